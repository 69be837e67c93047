package engine

import (
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// UpdatePrimaryRegionInput is the UpdatePrimaryRegion request.
type UpdatePrimaryRegionInput struct {
	// KeyID is the key ID or key ARN of the current primary, in the
	// caller's Region.
	KeyID string `json:"keyId"`
	// PrimaryRegion is the Region of the replica to promote.
	PrimaryRegion region.ID `json:"primaryRegion"`
}

// UpdatePrimaryRegionOutput is the (empty) UpdatePrimaryRegion response.
type UpdatePrimaryRegionOutput struct{}

// UpdatePrimaryRegion makes the replica in PrimaryRegion the primary and
// the current primary a replica (spec §6.1). Both keys must be Enabled;
// both turn Updating at once and return to their state after
// Config.UpdatingDelay. Every related key reports the new primary, and
// the demoted key moves to the end of ReplicaKeys. Naming the current
// primary's own Region changes nothing.
//
// It returns, in this order of checks: ValidationException,
// InvalidArnException (aliases), NotFoundException,
// KMSInvalidStateException (a replica), UnsupportedOperationException (a
// single-Region key), ValidationException (no replica there), then
// DisabledException or KMSInvalidStateException for the primary's and
// then the replica's state.
func (e *Engine) UpdatePrimaryRegion(c Caller, in UpdatePrimaryRegionInput) (*UpdatePrimaryRegionOutput, error) {
	return run(e, "UpdatePrimaryRegion", c, in, (*call).updatePrimaryRegion)
}

func (cl *call) updatePrimaryRegion(in UpdatePrimaryRegionInput) (*UpdatePrimaryRegionOutput, error) {
	var v violations
	v.keyID("keyId", in.KeyID)
	v.regionCode("primaryRegion", in.PrimaryRegion)
	if err := v.err(); err != nil {
		return nil, err
	}
	primaryRegion := conditions{"kms:PrimaryRegion": {string(in.PrimaryRegion)}}
	p, err := cl.target(in.KeyID, keyOnly, primaryRegion)
	if err != nil {
		return nil, err
	}
	// The permission is needed on the replica too, in its own Region.
	if r := p.Family.In(in.PrimaryRegion); r != nil && r != p {
		if err := cl.authorize("kms:UpdatePrimaryRegion", r, false, primaryRegion); err != nil {
			return nil, err
		}
	}
	switch {
	case p.IsReplica():
		return nil, invalidState(p.ARN + " is not a multi-Region primary key.")
	case !p.Family.MultiRegion:
		return nil, &kmserrors.UnsupportedOperationException{Message: p.ARN + " is not a multi-Region key."}
	case in.PrimaryRegion == p.Region:
		return &UpdatePrimaryRegionOutput{}, nil
	}
	r := p.Family.In(in.PrimaryRegion)
	if r == nil {
		return nil, invalid("%s does not have a replica key in the specified Region.", p.ID())
	}
	if err := requireState(p, keystore.Enabled); err != nil {
		return nil, err
	}
	if err := requireState(r, keystore.Enabled); err != nil {
		return nil, err
	}

	p.Family.Promote(r)
	due := cl.now.Add(cl.e.updatingDelay)
	for _, k := range []*keystore.Key{p, r} {
		k.Resume, k.State = k.State, keystore.Updating
		cl.e.queue.add(due, FinishUpdating, k)
	}
	// KMS records the call in the demoted key's Region (this call's own
	// event) and again, as invoked by itself, in the promoted key's.
	cl.emit(Event{
		Name:              "UpdatePrimaryRegion",
		Region:            r.Region,
		Account:           r.Account(),
		Principal:         cl.caller.Principal,
		InvokedBy:         serviceKMS,
		RequestParameters: UpdatePrimaryRegionInput{KeyID: r.ARN, PrimaryRegion: in.PrimaryRegion},
		Resources:         []string{r.ARN},
	})
	return &UpdatePrimaryRegionOutput{}, nil
}
