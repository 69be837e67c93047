package engine

import (
	"strconv"
	"time"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
)

// KeyIDInput is the request of the operations that take only a key:
// EnableKey, DisableKey and CancelKeyDeletion.
type KeyIDInput struct {
	// KeyID is a key ID or key ARN in the caller's account and Region.
	KeyID string `json:"keyId"`
}

// EnableKeyInput is the EnableKey request.
type EnableKeyInput = KeyIDInput

// DisableKeyInput is the DisableKey request.
type DisableKeyInput = KeyIDInput

// CancelKeyDeletionInput is the CancelKeyDeletion request.
type CancelKeyDeletionInput = KeyIDInput

// EnableKeyOutput is the (empty) EnableKey response.
type EnableKeyOutput struct{}

// DisableKeyOutput is the (empty) DisableKey response.
type DisableKeyOutput struct{}

// EnableKey sets a Disabled key to Enabled; an Enabled key stays so.
//
// It returns ValidationException, InvalidArnException, NotFoundException
// and KMSInvalidStateException (PendingDeletion, PendingReplicaDeletion,
// PendingImport, Creating, Updating).
func (e *Engine) EnableKey(c Caller, in EnableKeyInput) (*EnableKeyOutput, error) {
	return run(e, "EnableKey", c, in, func(cl *call, in EnableKeyInput) (*EnableKeyOutput, error) {
		k, err := cl.keyForUpdate(in.KeyID, keystore.Enabled, keystore.Disabled)
		if err != nil {
			return nil, err
		}
		k.State = keystore.Enabled
		cl.e.resumeRotation(k, cl.now)
		return &EnableKeyOutput{}, nil
	})
}

// DisableKey sets an Enabled key to Disabled; a Disabled key stays so.
// Related multi-Region keys keep their own states.
//
// It returns the same errors as [Engine.EnableKey].
func (e *Engine) DisableKey(c Caller, in DisableKeyInput) (*DisableKeyOutput, error) {
	return run(e, "DisableKey", c, in, func(cl *call, in DisableKeyInput) (*DisableKeyOutput, error) {
		k, err := cl.keyForUpdate(in.KeyID, keystore.Enabled, keystore.Disabled)
		if err != nil {
			return nil, err
		}
		k.State = keystore.Disabled
		return &DisableKeyOutput{}, nil
	})
}

// keyForUpdate validates a KeyIDInput, resolves the key (key ID or ARN
// only) and checks that its state is one of allowed.
func (cl *call) keyForUpdate(keyID string, allowed ...keystore.KeyState) (*keystore.Key, error) {
	var v violations
	v.keyID("keyId", keyID)
	if err := v.err(); err != nil {
		return nil, err
	}
	k, err := cl.target(keyID, keyOnly, nil)
	if err != nil {
		return nil, err
	}
	if err := requireState(k, allowed...); err != nil {
		return nil, err
	}
	return k, nil
}

// ScheduleKeyDeletionInput is the ScheduleKeyDeletion request.
type ScheduleKeyDeletionInput struct {
	KeyID string `json:"keyId"`
	// PendingWindowInDays is the waiting period, 7..30 days; 0 means 30.
	PendingWindowInDays int `json:"pendingWindowInDays,omitempty"`
}

// ScheduleKeyDeletionOutput is the ScheduleKeyDeletion response.
type ScheduleKeyDeletionOutput struct {
	// KeyID is the key ARN.
	KeyID string `json:"keyId"`
	// DeletionDate is zero when the key waits in PendingReplicaDeletion.
	DeletionDate        time.Time         `json:"deletionDate,omitzero"`
	KeyState            keystore.KeyState `json:"keyState"`
	PendingWindowInDays int               `json:"pendingWindowInDays"`
}

// ScheduleKeyDeletion starts a key's deletion (spec §4.5). A
// multi-Region primary that still has replicas waits in
// PendingReplicaDeletion until the last of them is deleted, and only then
// starts its own window; any other key goes to PendingDeletion and is
// deleted at its DeletionDate.
//
// It returns ValidationException (including a window outside 7..30),
// InvalidArnException, NotFoundException and KMSInvalidStateException.
func (e *Engine) ScheduleKeyDeletion(c Caller, in ScheduleKeyDeletionInput) (*ScheduleKeyDeletionOutput, error) {
	return run(e, "ScheduleKeyDeletion", c, in, (*call).scheduleKeyDeletion)
}

func (cl *call) scheduleKeyDeletion(in ScheduleKeyDeletionInput) (*ScheduleKeyDeletionOutput, error) {
	var v violations
	v.keyID("keyId", in.KeyID)
	if in.PendingWindowInDays != 0 {
		v.intRange("pendingWindowInDays", in.PendingWindowInDays, 1, 365)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	days := orDefault(in.PendingWindowInDays, 30)
	k, err := cl.target(in.KeyID, keyOnly, conditions{"kms:ScheduleKeyDeletionPendingWindowInDays": {strconv.Itoa(days)}})
	if err != nil {
		return nil, err
	}
	if err := requireState(k, keystore.Enabled, keystore.Disabled, keystore.PendingImport,
		keystore.Creating, keystore.Unavailable); err != nil {
		return nil, err
	}
	if days < 7 || days > 30 {
		return nil, invalid("PendingWindowInDays must be between 7 and 30 (inclusive).")
	}
	k.PendingWindowInDays = int32(days)
	out := &ScheduleKeyDeletionOutput{KeyID: k.ARN, PendingWindowInDays: days}
	if k.IsPrimary() && len(k.Family.Replicas()) > 0 {
		k.State = keystore.PendingReplicaDeletion
	} else {
		cl.e.startDeletionWindow(k, cl.now)
		out.DeletionDate = k.DeletionDate
	}
	out.KeyState = k.State
	return out, nil
}

// CancelKeyDeletionOutput is the CancelKeyDeletion response.
type CancelKeyDeletionOutput struct {
	// KeyID is the key ARN.
	KeyID string `json:"keyId"`
}

// CancelKeyDeletion stops a pending deletion. The key becomes Disabled,
// or PendingImport when it is an EXTERNAL key without key material.
//
// It returns ValidationException, InvalidArnException, NotFoundException
// and KMSInvalidStateException when the key is not pending deletion.
func (e *Engine) CancelKeyDeletion(c Caller, in CancelKeyDeletionInput) (*CancelKeyDeletionOutput, error) {
	return run(e, "CancelKeyDeletion", c, in, func(cl *call, in CancelKeyDeletionInput) (*CancelKeyDeletionOutput, error) {
		var v violations
		v.keyID("keyId", in.KeyID)
		if err := v.err(); err != nil {
			return nil, err
		}
		k, err := cl.target(in.KeyID, keyOnly, nil)
		if err != nil {
			return nil, err
		}
		if k.State != keystore.PendingDeletion && k.State != keystore.PendingReplicaDeletion {
			return nil, &kmserrors.KMSInvalidStateException{Message: k.ARN + " is not pending deletion."}
		}
		cl.e.queue.cancelDeletion(k)
		k.State = keystore.Disabled
		if !holdsAll(k) {
			// An EXTERNAL key without its material goes back to waiting
			// for an import (spec §11 #30).
			k.State = keystore.PendingImport
		}
		k.DeletionDate = time.Time{}
		k.PendingWindowInDays = 0
		return &CancelKeyDeletionOutput{KeyID: k.ARN}, nil
	})
}
