package bench

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"

	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// KeepHandler is the null handler plus the records kmsim keeps for a new
// key: for each CreateKey a keystore.Key with its ARN, its family and its
// key material, indexed in a keystore.Store; for each ReplicateKey a
// replica's key record in the next Region of [ReplicaRegions], MaxReplicas
// to a family (so every MaxReplicas-th ReplicateKey also makes the
// family's multi-Region primary, which kmsim's ReplicateKey cell makes
// in its unmeasured preparation). It does nothing else: no checks,
// authorization, schedule, event log or response rendering, and it
// answers with the null handler's recorded responses.
//
// Its server CPU beside the null handler's is what keeping kmsim's key
// records in a garbage-collected heap costs on the machine, the floor of
// kmsim's CreateKey and ReplicateKey over HTTP with its record layout.
// Serve it with "kmsim bench -serve keep" and measure it with "kmsim
// bench -url".
type KeepHandler struct {
	null *NullHandler

	mu      sync.Mutex
	store   *keystore.Store
	rand    *rand.ChaCha8
	made    uint64
	regions []region.ID
	// family takes the replicas of ReplicateKey calls until it has one
	// in every Region of regions.
	family   *keystore.Family
	replicas int
}

// keepAccount owns the kept keys.
const keepAccount = "111122223333"

// NewKeepHandler returns a KeepHandler that keeps nothing yet.
func NewKeepHandler() (*KeepHandler, error) {
	null, err := NewNullHandler()
	if err != nil {
		return nil, err
	}
	return &KeepHandler{
		null:    null,
		store:   keystore.NewStore(),
		rand:    rand.NewChaCha8([32]byte{'k', 'e', 'e', 'p'}),
		regions: ReplicaRegions(Home, MaxReplicas),
	}, nil
}

// ServeHTTP keeps a key for CreateKey and a replica for ReplicateKey,
// then answers as the null handler does.
func (h *KeepHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var err error
	switch r.Header.Get("X-Amz-Target") {
	case "TrentService.CreateKey":
		err = h.keepKey()
	case "TrentService.ReplicateKey":
		err = h.keepReplica()
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h.null.ServeHTTP(w, r)
}

// Kept counts the kept key records, by Region, and those with key
// material.
func (h *KeepHandler) Kept() (byRegion map[region.ID]int, withMaterial int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	byRegion = make(map[region.ID]int)
	for _, s := range h.store.Scopes() {
		keys, _ := h.store.List(s, "", h.store.Count(s))
		for _, k := range keys {
			byRegion[k.Region]++
			if k.Family.Material.Len() > 0 {
				withMaterial++
			}
		}
	}
	return byRegion, withMaterial
}

func (h *KeepHandler) keepKey() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := h.newKey(false)
	return err
}

// newKey keeps a symmetric encryption key in Home with its material and
// returns its family; h.mu is held.
func (h *KeepHandler) newKey(multiRegion bool) (*keystore.Family, error) {
	h.made++
	var id string
	if multiRegion {
		id = fmt.Sprintf("mrk-%032x", h.made)
	} else {
		id = fmt.Sprintf("%08x-0000-4000-8000-%012x", h.made>>48, h.made&(1<<48-1))
	}
	k := &keystore.Key{Region: Home, ARN: region.KeyARN("aws", Home, keepAccount, id), State: keystore.Enabled}
	f := keystore.NewFamily(keystore.Family{
		KeyID:       k.ARN[len(k.ARN)-len(id):],
		Account:     keepAccount,
		Partition:   "aws",
		MultiRegion: multiRegion,
		Spec:        keystore.SymmetricDefault,
		Usage:       keystore.EncryptDecrypt,
		Origin:      keystore.OriginAWSKMS,
	}, k)
	m, err := keystore.NewMaterial(h.rand, f.KeyID, keystore.SymmetricDefault)
	if err != nil {
		return nil, err
	}
	f.Material.Add(m)
	h.store.Put(k)
	return f, nil
}

func (h *KeepHandler) keepReplica() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.family == nil || h.replicas == len(h.regions) {
		f, err := h.newKey(true)
		if err != nil {
			return err
		}
		h.family, h.replicas = f, 0
	}
	r := h.regions[h.replicas]
	h.replicas++
	k := &keystore.Key{Region: r, ARN: region.KeyARN("aws", r, keepAccount, h.family.KeyID), State: keystore.Creating}
	h.family.AddReplica(k)
	h.store.Put(k)
	return nil
}
