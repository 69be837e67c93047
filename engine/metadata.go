package engine

import (
	"slices"
	"time"

	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// KeyMetadata describes a key as DescribeKey, CreateKey and ReplicateKey
// return it. Zero values stand for members KMS omits: a zero DeletionDate
// or ValidTo, an empty string, a nil slice or a zero
// PendingDeletionWindowInDays.
type KeyMetadata struct {
	AWSAccountID                string                    `json:"aWSAccountId"`
	KeyID                       string                    `json:"keyId"`
	Arn                         string                    `json:"arn"`
	CreationDate                time.Time                 `json:"creationDate"`
	Enabled                     bool                      `json:"enabled"`
	Description                 string                    `json:"description"`
	KeyUsage                    keystore.KeyUsage         `json:"keyUsage"`
	KeyState                    keystore.KeyState         `json:"keyState"`
	DeletionDate                time.Time                 `json:"deletionDate,omitzero"`
	ValidTo                     time.Time                 `json:"validTo,omitzero"`
	Origin                      keystore.Origin           `json:"origin"`
	CustomKeyStoreID            string                    `json:"customKeyStoreId,omitempty"`
	CloudHsmClusterID           string                    `json:"cloudHsmClusterId,omitempty"`
	ExpirationModel             keystore.ExpirationModel  `json:"expirationModel,omitempty"`
	KeyManager                  keystore.KeyManager       `json:"keyManager"`
	CustomerMasterKeySpec       keystore.KeySpec          `json:"customerMasterKeySpec,omitempty"`
	KeySpec                     keystore.KeySpec          `json:"keySpec"`
	EncryptionAlgorithms        []string                  `json:"encryptionAlgorithms,omitempty"`
	SigningAlgorithms           []string                  `json:"signingAlgorithms,omitempty"`
	KeyAgreementAlgorithms      []string                  `json:"keyAgreementAlgorithms,omitempty"`
	MacAlgorithms               []string                  `json:"macAlgorithms,omitempty"`
	MultiRegion                 bool                      `json:"multiRegion"`
	MultiRegionConfiguration    *MultiRegionConfiguration `json:"multiRegionConfiguration,omitempty"`
	PendingDeletionWindowInDays int32                     `json:"pendingDeletionWindowInDays,omitempty"`
	XksKeyID                    string                    `json:"xksKeyId,omitempty"`
	CurrentKeyMaterialID        string                    `json:"currentKeyMaterialId,omitempty"`
}

// MultiRegionConfiguration is the primary/replica view every related
// multi-Region key reports identically.
type MultiRegionConfiguration struct {
	MultiRegionKeyType keystore.MultiRegionKeyType `json:"multiRegionKeyType"`
	PrimaryKey         MultiRegionKey              `json:"primaryKey"`
	// ReplicaKeys lists every replica in creation order, demoted
	// primaries last; it is empty, not nil, for a primary with none.
	ReplicaKeys []MultiRegionKey `json:"replicaKeys"`
}

// MultiRegionKey names one related multi-Region key.
type MultiRegionKey struct {
	Arn    string    `json:"arn"`
	Region region.ID `json:"region"`
}

// setMetadata renders k into *m, which must be zero, with the lists it
// holds in st. Outputs fill their own KeyMetadata in place and carry st
// in the same allocation: the struct is large and full of pointers, and
// copying it into a heap-allocated output, or allocating each list
// apart, costs more than rendering it.
func setMetadata(m *KeyMetadata, k *keystore.Key, st *metadataStore) {
	f := k.Family
	algs, legacy := f.Spec.Describe(f.Usage)
	*m = KeyMetadata{
		AWSAccountID:           f.Account,
		KeyID:                  f.KeyID,
		Arn:                    k.ARN,
		CreationDate:           k.CreationDate,
		Enabled:                k.State == keystore.Enabled,
		Description:            k.Description,
		KeyUsage:               f.Usage,
		KeyState:               k.State,
		Origin:                 f.Origin,
		KeyManager:             keystore.ManagerCustomer,
		KeySpec:                f.Spec,
		EncryptionAlgorithms:   st.algorithms(algs.Encryption),
		SigningAlgorithms:      st.algorithms(algs.Signing),
		KeyAgreementAlgorithms: st.algorithms(algs.KeyAgreement),
		MacAlgorithms:          st.algorithms(algs.MAC),
		MultiRegion:            f.MultiRegion,
	}
	if legacy {
		m.CustomerMasterKeySpec = f.Spec
	}
	switch k.State {
	case keystore.PendingDeletion:
		m.DeletionDate = k.DeletionDate
	case keystore.PendingReplicaDeletion:
		m.PendingDeletionWindowInDays = k.PendingWindowInDays
	}
	if f.MultiRegion {
		m.MultiRegionConfiguration = st.multiRegionConfiguration(k)
	}
	// Spec §3.1: symmetric encryption keys show their current material,
	// except while a replica is Creating (so never in ReplicateKey's
	// response) and before EXTERNAL material is imported.
	if f.Spec == keystore.SymmetricDefault && k.State != keystore.Creating {
		if mat, _ := currentMaterial(f); mat != nil {
			m.CurrentKeyMaterialID = mat.ID
		}
	}
	m.ExpirationModel, m.ValidTo = importExpiration(k)
}

// metadataStore is the storage of one rendered KeyMetadata's lists: its
// algorithms and the multi-Region configuration. Each list's capacity is
// its length, so a caller's append copies it elsewhere; longer lists get
// their own allocation. It is sized for the common key (one or two
// algorithms, up to two replicas) rather than the largest: every
// DescribeKey, CreateKey and ReplicateKey response allocates it, and at a
// million calls a second the bytes allocated, more than the number of
// allocations, set what the garbage collector costs. (DescribeKeyView
// reuses pooled ones.)
type metadataStore struct {
	algs     [2]string
	nalgs    int
	config   MultiRegionConfiguration
	replicas [2]MultiRegionKey
}

// withLists is a response holding one KeyMetadata and the storage of its
// lists, allocated together.
type withLists[Out any] struct {
	out Out
	st  metadataStore
}

// algorithms returns a copy of list (which belongs to keystore's table)
// in st's storage if it fits, nil for an empty list.
func (st *metadataStore) algorithms(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	if st.nalgs+len(list) > len(st.algs) {
		return slices.Clone(list)
	}
	s := st.algs[st.nalgs : st.nalgs+len(list) : st.nalgs+len(list)]
	copy(s, list)
	st.nalgs += len(list)
	return s
}

func (st *metadataStore) multiRegionConfiguration(k *keystore.Key) *MultiRegionConfiguration {
	f := k.Family
	p := f.Primary()
	replicas := f.Replicas()
	c := &st.config
	if len(replicas) <= len(st.replicas) {
		c.ReplicaKeys = st.replicas[:len(replicas):len(replicas)]
	} else {
		c.ReplicaKeys = make([]MultiRegionKey, len(replicas))
	}
	c.MultiRegionKeyType = k.Role()
	c.PrimaryKey = MultiRegionKey{Arn: p.ARN, Region: p.Region}
	for i, r := range replicas {
		c.ReplicaKeys[i] = MultiRegionKey{Arn: r.ARN, Region: r.Region}
	}
	return c
}
