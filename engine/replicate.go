package engine

import (
	"slices"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// ReplicateKeyInput is the ReplicateKey request. Empty strings stand for
// omitted members: no Policy means the default key policy, never the
// primary's.
type ReplicateKeyInput struct {
	// KeyID is the key ID or key ARN of a multi-Region primary key in the
	// caller's Region.
	KeyID                          string         `json:"keyId"`
	ReplicaRegion                  region.ID      `json:"replicaRegion"`
	Policy                         string         `json:"policy,omitempty"`
	BypassPolicyLockoutSafetyCheck bool           `json:"bypassPolicyLockoutSafetyCheck"`
	Description                    string         `json:"description"`
	Tags                           []keystore.Tag `json:"tags,omitempty"`
}

// ReplicateKeyOutput is the ReplicateKey response.
type ReplicateKeyOutput struct {
	ReplicaKeyMetadata KeyMetadata `json:"replicaKeyMetadata"`
	// ReplicaPolicy is the replica's key policy as stored.
	ReplicaPolicy string `json:"replicaPolicy"`
	// ReplicaTags is nil when the request had no tags.
	ReplicaTags []keystore.Tag `json:"replicaTags,omitempty"`
}

// ReplicateKey creates a replica of a multi-Region primary key in another
// Region of the same partition and account (spec §5). The replica starts
// Creating and becomes Enabled (PendingImport for imported material)
// after Config.CreatingDelay; every related key lists it at once.
//
// It returns, in this order of checks: ValidationException,
// InvalidArnException (aliases), NotFoundException,
// UnsupportedOperationException (not a primary), DisabledException and
// KMSInvalidStateException (primary's state), ValidationException
// (ReplicaRegion), AlreadyExistsException, TagException and
// LimitExceededException.
func (e *Engine) ReplicateKey(c Caller, in ReplicateKeyInput) (*ReplicateKeyOutput, error) {
	return runPacked(e, "ReplicateKey", c, in, (*call).replicateKey)
}

func (cl *call) replicateKey(in ReplicateKeyInput) (*ReplicateKeyOutput, error) {
	var v violations
	v.keyID("keyId", in.KeyID)
	v.regionCode("replicaRegion", in.ReplicaRegion)
	v.policy("policy", in.Policy)
	v.length("description", in.Description, 0, 8192)
	v.tags("tags", in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := cl.target(in.KeyID, keyOnly, conditions{"kms:ReplicaRegion": {string(in.ReplicaRegion)}})
	if err != nil {
		return nil, err
	}
	f := p.Family
	replicaARN := region.KeyARN(f.Partition, in.ReplicaRegion, f.Account, f.KeyID)
	// Creating the replica is a CreateKey (and, with tags, a TagResource)
	// in the replica Region, which only IAM policies can allow (§5.5).
	var replica conditions
	if cl.checksIAM() || in.Policy != "" {
		replica = cl.baseConditions(in.ReplicaRegion).merge(conditions{
			"kms:MultiRegion":        {"true"},
			"kms:MultiRegionKeyType": {string(keystore.Replica)},
			"kms:KeySpec":            {string(f.Spec)},
			"kms:KeyUsage":           {string(f.Usage)},
			"kms:KeyOrigin":          {string(f.Origin)},
		}).tags(in.Tags)
	}
	if err := cl.authorizeIAM("kms:CreateKey", "*", replica); err != nil {
		return nil, err
	}
	if len(in.Tags) > 0 {
		if err := cl.authorizeIAM("kms:TagResource", replicaARN, replica); err != nil {
			return nil, err
		}
	}
	if !p.IsPrimary() {
		return nil, &kmserrors.UnsupportedOperationException{Message: p.ARN + " is not a multi-region primary key."}
	}
	if err := requireState(p, keystore.Enabled); err != nil {
		return nil, err
	}
	if err := cl.checkReplicaRegion(p, in.ReplicaRegion); err != nil {
		return nil, err
	}
	if err := checkNewTags(nil, in.Tags); err != nil {
		return nil, err
	}
	// The lockout check runs in the replica Region against the replica's
	// policy (§7.4).
	doc, err := cl.validatePolicy(in.Policy, in.BypassPolicyLockoutSafetyCheck, replicaARN, in.ReplicaRegion, replica)
	if err != nil {
		return nil, err
	}
	if err := cl.checkKeyQuota(in.ReplicaRegion); err != nil {
		return nil, err
	}

	r := &keystore.Key{
		Region:       in.ReplicaRegion,
		ARN:          replicaARN,
		CreationDate: cl.now,
		Description:  sanitize(in.Description),
		Policy:       in.Policy,
		PolicyDoc:    doc,
		Tags:         keystore.Tags(nil).With(in.Tags),
		State:        keystore.Creating,
	}
	f.AddReplica(r)
	cl.e.keys.Put(r)
	cl.e.queue.add(cl.now.Add(cl.e.creatingDelay), FinishCreating, r)

	both := &withLists[ReplicateKeyOutput]{}
	out := &both.out
	setMetadata(&out.ReplicaKeyMetadata, r, &both.st)
	out.ReplicaPolicy = cl.e.keyPolicy(r)
	if len(in.Tags) > 0 {
		// A copy: the replica's own list must not be the caller's to change.
		out.ReplicaTags = slices.Clone([]keystore.Tag(r.Tags))
	}
	cl.emit(Event{
		Name:             "CreateKey",
		Region:           r.Region,
		Account:          f.Account,
		Principal:        cl.caller.Principal,
		InvokedBy:        serviceKMS,
		ResponseElements: replicaCreated{out},
		resource:         r.ARN,
	})
	return out, nil
}

// replicaCreated stands, in the log, for the response of the CreateKey
// event ReplicateKey records in the replica's Region: the replica's
// metadata in the ReplicateKey response, which Events turns into a
// CreateKeyOutput when asked, so the call need not copy the metadata
// (440 bytes) for an event that is seldom read. Like the ReplicateKey
// event, which logs the response itself, it shares the response with the
// caller (see Event).
type replicaCreated struct{ out *ReplicateKeyOutput }

// checkReplicaRegion applies rules R2–R6 of spec §2.3 to a replica of p
// in Region r.
func (cl *call) checkReplicaRegion(p *keystore.Key, r region.ID) error {
	if r == p.Region {
		return invalid("%s cannot have a replica because it contains the primary.", r)
	}
	reg, known := region.Lookup(r)
	partition := reg.Partition
	if !known {
		// Unknown codes belong to the partition whose pattern they match,
		// so "cn-foo-1" is another partition but "us-invalid-1" is not.
		partition = region.PartitionFor(r).ID
	}
	if partition != p.Family.Partition {
		return invalid("The replica key Region must be in the same AWS partition as the primary key Region.")
	}
	if !known || cl.e.noMRK[r] || !cl.acct.regionEnabled(reg) {
		return errRegionUnsupported(r)
	}
	if p.Family.In(r) != nil {
		return &kmserrors.AlreadyExistsException{Message: "You can create only one replica of each primary key in each AWS Region."}
	}
	return nil
}
