package bench

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"

	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// KeepHandler is the null handler plus the state no KMS server can do
// without: for each CreateKey it keeps the records kmsim keeps for a new
// key (a keystore.Key with its ARN, its family, its key material, all
// indexed in a keystore.Store), and for each ReplicateKey a replica's
// key record in the next Region of [ReplicaRegions], MaxReplicas to a
// family. It does nothing else: no checks, authorization, schedule,
// event log or response rendering, and it answers with the null
// handler's recorded responses.
//
// Its server CPU beside the null handler's is what keeping keys in a
// garbage-collected heap costs on the machine: the floor of kmsim's
// CreateKey and ReplicateKey over HTTP. Serve it with "kmsim bench
// -serve keep" and measure it with "kmsim bench -url".
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
	switch r.Header.Get("X-Amz-Target") {
	case "TrentService.CreateKey":
		h.keepKey()
	case "TrentService.ReplicateKey":
		h.keepReplica()
	}
	h.null.ServeHTTP(w, r)
}

// Keys returns how many key records the handler keeps.
func (h *KeepHandler) Keys() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.store.Len()
}

func (h *KeepHandler) keepKey() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.newKey(false)
}

// newKey keeps a symmetric encryption key in Home with its material and
// returns its family; h.mu is held.
func (h *KeepHandler) newKey(multiRegion bool) *keystore.Family {
	h.made++
	id := fmt.Sprintf("%08x-0000-4000-8000-%012x", h.made>>48, h.made&(1<<48-1))
	if multiRegion {
		id = fmt.Sprintf("mrk-%032x", h.made)
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
	if m, err := keystore.NewMaterial(h.rand, f.KeyID, keystore.SymmetricDefault); err == nil {
		f.Material.Add(m)
	}
	h.store.Put(k)
	return f
}

func (h *KeepHandler) keepReplica() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.family == nil || h.replicas == len(h.regions) {
		h.family, h.replicas = h.newKey(true), 0
	}
	r := h.regions[h.replicas]
	h.replicas++
	k := &keystore.Key{Region: r, ARN: region.KeyARN("aws", r, keepAccount, h.family.KeyID), State: keystore.Creating}
	h.family.AddReplica(k)
	h.store.Put(k)
}
