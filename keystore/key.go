package keystore

import (
	"time"

	"github.com/kmsim/kmsim/policy"
	"github.com/kmsim/kmsim/region"
)

// Family is what related keys share: a single-Region key alone, or a
// multi-Region primary with its replicas. Shared properties (§3.3) are
// fields of the Family, so they cannot drift apart between related keys.
type Family struct {
	KeyID       string
	Account     string
	Partition   string
	MultiRegion bool
	Spec        KeySpec
	Usage       KeyUsage
	Origin      Origin

	// Generate makes the family's first material version on first need,
	// so creating a key costs no key generation; nil when KMS makes no
	// material for the key (EXTERNAL origin). The engine's closure holds
	// a seed, which reflection and printing cannot reach.
	Generate func() (*Material, error)
	// Material holds every material version; related keys share it
	// through the Family, so a replica has every version (spec §9.1).
	Material Versions
	// Rotation is the rotation state every related key reports; nil
	// until rotation is first turned on or started on demand, which most
	// keys never see: a Rotation is 96 bytes, and without it a Family
	// fits the 208-byte size class instead of the 320-byte one. Read it
	// with RotationState; change it through EditRotation, or through the
	// pointer itself where a nil one means there is nothing to change.
	Rotation *Rotation

	primary  *Key
	replicas []*Key // in ReplicaKeys order: creation order, demoted primaries appended
}

// NewFamily returns a family whose first key, the primary, is k. For a
// single-Region key the family never gains replicas.
func NewFamily(f Family, k *Key) *Family {
	nf := &f
	nf.primary = k
	nf.replicas = nil
	k.Family = nf
	return nf
}

// RotationState returns the rotation state, the zero Rotation (rotation
// off, no rotation on demand in progress) when none was ever set.
func (f *Family) RotationState() Rotation {
	if f.Rotation == nil {
		return Rotation{}
	}
	return *f.Rotation
}

// EditRotation returns the rotation state to change, made on first need.
func (f *Family) EditRotation() *Rotation {
	if f.Rotation == nil {
		f.Rotation = &Rotation{}
	}
	return f.Rotation
}

// Primary returns the primary key (for a single-Region key, the key).
func (f *Family) Primary() *Key { return f.primary }

// Replicas returns the replicas in ReplicaKeys order. The slice belongs to
// the family and must not be modified.
func (f *Family) Replicas() []*Key { return f.replicas }

// In returns the related key in Region r, or nil.
func (f *Family) In(r region.ID) *Key {
	if f.primary != nil && f.primary.Region == r {
		return f.primary
	}
	for _, k := range f.replicas {
		if k.Region == r {
			return k
		}
	}
	return nil
}

// Size returns the number of related keys that exist.
func (f *Family) Size() int {
	n := len(f.replicas)
	if f.primary != nil {
		n++
	}
	return n
}

// AddReplica appends k to the replicas and links it to the family.
func (f *Family) AddReplica(k *Key) {
	k.Family = f
	f.replicas = append(f.replicas, k)
}

// Remove unlinks k from the family: a replica leaves the replica list; the
// primary leaves only when it is the last key, which ends the family.
func (f *Family) Remove(k *Key) {
	if k == f.primary {
		f.primary = nil
		return
	}
	for i, r := range f.replicas {
		if r == k {
			f.replicas = append(f.replicas[:i:i], f.replicas[i+1:]...)
			return
		}
	}
}

// Promote makes replica k the primary; the former primary is appended to
// the end of the replica list, as KMS does in UpdatePrimaryRegion.
func (f *Family) Promote(k *Key) {
	old := f.primary
	rest := make([]*Key, 0, len(f.replicas))
	for _, r := range f.replicas {
		if r != k {
			rest = append(rest, r)
		}
	}
	f.replicas = append(rest, old)
	f.primary = k
}

// Key is one KMS key in one account and Region: the independent
// properties of §3.3 plus a link to the shared ones.
type Key struct {
	Family *Family
	Region region.ID
	ARN    string

	CreationDate time.Time
	Description  string
	// Policy is the key policy document as stored; "" stands for the
	// default key policy, rendered on demand, which saves its few hundred
	// bytes on every key that uses it.
	Policy string
	// PolicyDoc is Policy compiled, so authorization never parses; nil
	// with the default policy.
	PolicyDoc *policy.Document
	Tags      Tags

	State KeyState
	// Resume is the state an Updating key returns to.
	Resume KeyState
	// DeletionDate is set while State is PendingDeletion.
	DeletionDate time.Time
	// PendingWindowInDays is the deletion window of a key in
	// PendingDeletion or PendingReplicaDeletion.
	PendingWindowInDays int32
	// Import is the imported-material state of an EXTERNAL key.
	Import KeyImport
}

// ID returns the key ID, shared by all related keys.
func (k *Key) ID() string { return k.Family.KeyID }

// Account returns the owning account ID.
func (k *Key) Account() string { return k.Family.Account }

// IsPrimary reports whether k is a multi-Region primary key.
func (k *Key) IsPrimary() bool { return k.Family.MultiRegion && k.Family.primary == k }

// IsReplica reports whether k is a multi-Region replica key.
func (k *Key) IsReplica() bool { return k.Family.MultiRegion && k.Family.primary != k }

// Role returns PRIMARY or REPLICA for multi-Region keys and "" otherwise.
func (k *Key) Role() MultiRegionKeyType {
	switch {
	case !k.Family.MultiRegion:
		return ""
	case k.Family.primary == k:
		return Primary
	default:
		return Replica
	}
}
