package engine

import (
	"fmt"
	"strconv"
	"time"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
)

// Rotation limits and defaults (spec §3.5, §10.1, §10.3).
const (
	// DefaultRotationPeriodDays is the automatic rotation period when
	// EnableKeyRotation names none.
	DefaultRotationPeriodDays = 365
	// MinRotationPeriodDays and MaxRotationPeriodDays bound
	// RotationPeriodInDays (the model's RotationPeriodInDaysType).
	MinRotationPeriodDays = 90
	MaxRotationPeriodDays = 2560
	// OnDemandRotationLimit is how many on-demand rotations one key may
	// have. The 2024 quota page said 10; the current one says 25, which
	// kmsim follows (spec §10.1).
	OnDemandRotationLimit = 25
	// OnDemandRotationDelay is how long an on-demand rotation runs on the
	// simulated clock. KMS rotates in the background: GetKeyRotationStatus
	// shows OnDemandRotationStartDate until it completes, and replicas
	// were seen to change their CurrentKeyMaterialId after "a short poll
	// interval" (spec §3.3). kmsim completes the rotation as a scheduled
	// transition ([FinishRotation]) after this delay; Harness.Settle in
	// kmstest waits for it.
	OnDemandRotationDelay = 5 * time.Second
)

// errNotSymmetricEncryption rejects rotation of asymmetric and HMAC keys.
func errNotSymmetricEncryption() error {
	return &kmserrors.UnsupportedOperationException{Message: "You cannot perform this operation on a non-symmetric key or a key with non-ENCRYPT_DECRYPT key usage."}
}

// errOrigin is KMS's answer to an operation that the key's origin rules
// out (spec §4.2 EXT and NOTEXT).
func errOrigin(k *keystore.Key) error {
	return &kmserrors.UnsupportedOperationException{Message: fmt.Sprintf("%s origin is %s which is not valid for this operation.", k.ARN, k.Family.Origin)}
}

// errReplicaOp is spec §4.2 REPL: rotation settings change only on the
// primary.
func errReplicaOp(k *keystore.Key, op string) error {
	return &kmserrors.UnsupportedOperationException{Message: fmt.Sprintf("%s is a multi-region replica key which is not valid for %s.", k.ARN, op)}
}

// symmetricEncryption reports whether f is a symmetric encryption key, the
// only kind KMS rotates.
func symmetricEncryption(f *keystore.Family) bool {
	return f.Spec == keystore.SymmetricDefault && f.Usage == keystore.EncryptDecrypt
}

// EnableKeyRotationInput is the EnableKeyRotation request.
type EnableKeyRotationInput struct {
	KeyID string `json:"keyId"`
	// RotationPeriodInDays is 90..2560; 0 means the default of 365.
	RotationPeriodInDays int `json:"rotationPeriodInDays,omitempty"`
}

// EnableKeyRotationOutput is the (empty) EnableKeyRotation response.
type EnableKeyRotationOutput struct{}

// DisableKeyRotationInput is the DisableKeyRotation request.
type DisableKeyRotationInput = KeyIDInput

// DisableKeyRotationOutput is the (empty) DisableKeyRotation response.
type DisableKeyRotationOutput struct{}

// EnableKeyRotation turns on automatic rotation of a symmetric encryption
// key with AWS_KMS origin, or changes its period. The key rotates every
// RotationPeriodInDays on the simulated clock, counted from now (or, when
// rotation was already on, from the start of the current period). For a
// multi-Region key only the primary accepts it, and the setting is shared
// by every related key.
//
// It returns, in this order of checks: ValidationException,
// InvalidArnException, NotFoundException, AccessDeniedException,
// UnsupportedOperationException (not a symmetric encryption key, EXTERNAL
// origin, a replica), DisabledException and KMSInvalidStateException.
func (e *Engine) EnableKeyRotation(c Caller, in EnableKeyRotationInput) (*EnableKeyRotationOutput, error) {
	return run(e, "EnableKeyRotation", c, in, (*call).enableKeyRotation)
}

func (cl *call) enableKeyRotation(in EnableKeyRotationInput) (*EnableKeyRotationOutput, error) {
	var v violations
	v.keyID("keyId", in.KeyID)
	if in.RotationPeriodInDays != 0 {
		v.intRange("rotationPeriodInDays", in.RotationPeriodInDays, MinRotationPeriodDays, MaxRotationPeriodDays)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	days := orDefault(in.RotationPeriodInDays, DefaultRotationPeriodDays)
	k, err := cl.rotationTarget(in.KeyID, conditions{"kms:RotationPeriodInDays": {strconv.Itoa(days)}})
	if err != nil {
		return nil, err
	}
	r := k.Family.EditRotation()
	start := cl.now
	if r.Enabled {
		// A new period keeps the current period's start.
		start = r.Next.Add(-period(r.PeriodDays))
	}
	r.Enabled, r.PeriodDays = true, days
	r.Next = start.Add(period(days))
	if r.Next.Before(cl.now) {
		r.Next = cl.now
	}
	cl.e.scheduleRotation(k.Family)
	return &EnableKeyRotationOutput{}, nil
}

// DisableKeyRotation turns off automatic rotation; it takes the same keys
// and returns the same errors as [Engine.EnableKeyRotation].
func (e *Engine) DisableKeyRotation(c Caller, in DisableKeyRotationInput) (*DisableKeyRotationOutput, error) {
	return run(e, "DisableKeyRotation", c, in, func(cl *call, in DisableKeyRotationInput) (*DisableKeyRotationOutput, error) {
		var v violations
		v.keyID("keyId", in.KeyID)
		if err := v.err(); err != nil {
			return nil, err
		}
		k, err := cl.rotationTarget(in.KeyID, nil)
		if err != nil {
			return nil, err
		}
		if r := k.Family.Rotation; r != nil {
			r.Enabled, r.PeriodDays, r.Next = false, 0, time.Time{}
		}
		cl.e.cancelRotation(k.Family)
		return &DisableKeyRotationOutput{}, nil
	})
}

// rotationTarget resolves and checks the key of Enable/DisableKeyRotation:
// type checks before state checks (spec §0.3), so a Creating replica
// answers REPL.
func (cl *call) rotationTarget(keyID string, extra conditions) (*keystore.Key, error) {
	k, err := cl.target(keyID, keyOnly, extra)
	if err != nil {
		return nil, err
	}
	switch {
	case !symmetricEncryption(k.Family):
		return nil, errNotSymmetricEncryption()
	case k.Family.Origin != keystore.OriginAWSKMS:
		return nil, errOrigin(k)
	case k.IsReplica():
		return nil, errReplicaOp(k, cl.op)
	}
	if err := requireState(k, keystore.Enabled, keystore.Updating); err != nil {
		return nil, err
	}
	return k, nil
}

// period is n days.
func period(days int) time.Duration { return time.Duration(days) * 24 * time.Hour }

// GetKeyRotationStatusInput is the GetKeyRotationStatus request.
type GetKeyRotationStatusInput struct {
	// KeyID is a key ID or key ARN; a key ARN may name another account.
	KeyID string `json:"keyId"`
}

// GetKeyRotationStatusOutput is the GetKeyRotationStatus response. Zero
// values stand for members KMS omits.
type GetKeyRotationStatusOutput struct {
	KeyRotationEnabled bool `json:"keyRotationEnabled"`
	// KeyID is the key ARN.
	KeyID                     string    `json:"keyId"`
	RotationPeriodInDays      int       `json:"rotationPeriodInDays,omitempty"`
	NextRotationDate          time.Time `json:"nextRotationDate,omitzero"`
	OnDemandRotationStartDate time.Time `json:"onDemandRotationStartDate,omitzero"`
}

// GetKeyRotationStatus reports a key's rotation settings (spec §3.5). A
// replica reports its primary's, even while Creating. A key pending
// deletion reads false (its setting comes back when the deletion is
// cancelled); a primary pending replica deletion keeps its real value.
// Keys that cannot rotate automatically (asymmetric, HMAC, EXTERNAL)
// read false rather than failing: AWS changed GetKeyRotationStatus to
// answer so for asymmetric and HMAC keys, and spec §11 #29 chooses the
// same for imported material.
//
// It returns ValidationException, InvalidArnException, NotFoundException,
// AccessDeniedException and KMSInvalidStateException (Unavailable).
func (e *Engine) GetKeyRotationStatus(c Caller, in GetKeyRotationStatusInput) (*GetKeyRotationStatusOutput, error) {
	return run(e, "GetKeyRotationStatus", c, in, func(cl *call, in GetKeyRotationStatusInput) (*GetKeyRotationStatusOutput, error) {
		var v violations
		v.keyID("keyId", in.KeyID)
		if err := v.err(); err != nil {
			return nil, err
		}
		k, err := cl.target(in.KeyID, keyRef{crossAccount: true}, nil)
		if err != nil {
			return nil, err
		}
		if k.State == keystore.Unavailable {
			return nil, stateError(k)
		}
		r := k.Family.RotationState()
		out := &GetKeyRotationStatusOutput{KeyID: k.ARN, OnDemandRotationStartDate: r.OnDemandStart}
		if r.Enabled && k.State != keystore.PendingDeletion {
			out.KeyRotationEnabled = true
			out.RotationPeriodInDays = r.PeriodDays
			out.NextRotationDate = r.Next
		}
		return out, nil
	})
}

// RotateKeyOnDemandInput is the RotateKeyOnDemand request.
type RotateKeyOnDemandInput = KeyIDInput

// RotateKeyOnDemandOutput is the RotateKeyOnDemand response.
type RotateKeyOnDemandOutput struct {
	// KeyID is the key ID.
	KeyID string `json:"keyId"`
}

// RotateKeyOnDemand starts a rotation of a symmetric encryption key's
// material now, whether or not automatic rotation is on, and without
// moving its schedule. For AWS_KMS keys the new material is generated
// now; for EXTERNAL keys the material pending rotation becomes current,
// which for a multi-Region key must first be imported into every replica.
// The rotation completes after [OnDemandRotationDelay] on the simulated
// clock; until then GetKeyRotationStatus shows OnDemandRotationStartDate.
// Every related key gets the new version at once.
//
// It returns, in this order of checks: ValidationException,
// InvalidArnException, NotFoundException, AccessDeniedException,
// UnsupportedOperationException (not a symmetric encryption key, a
// replica), DisabledException and KMSInvalidStateException (key state;
// imported material not pending or not imported into every replica),
// ConflictException (a rotation is in progress) and
// LimitExceededException (25 on-demand rotations).
func (e *Engine) RotateKeyOnDemand(c Caller, in RotateKeyOnDemandInput) (*RotateKeyOnDemandOutput, error) {
	return run(e, "RotateKeyOnDemand", c, in, (*call).rotateKeyOnDemand)
}

func (cl *call) rotateKeyOnDemand(in RotateKeyOnDemandInput) (*RotateKeyOnDemandOutput, error) {
	var v violations
	v.keyID("keyId", in.KeyID)
	if err := v.err(); err != nil {
		return nil, err
	}
	k, err := cl.target(in.KeyID, keyOnly, nil)
	if err != nil {
		return nil, err
	}
	f := k.Family
	switch {
	case !symmetricEncryption(f):
		return nil, errNotSymmetricEncryption()
	case f.Origin != keystore.OriginAWSKMS && f.Origin != keystore.OriginExternal:
		return nil, errOrigin(k)
	case k.IsReplica():
		return nil, errReplicaOp(k, cl.op)
	}
	if err := requireState(k, keystore.Enabled, keystore.Updating); err != nil {
		return nil, err
	}
	r := f.RotationState()
	var pendingID string
	if f.Origin == keystore.OriginExternal {
		if pendingID, err = cl.e.importedRotation(f); err != nil {
			return nil, err
		}
	}
	if !r.OnDemandStart.IsZero() {
		// kmsim's choice: KMS has not been seen answering a second
		// rotation while one runs; ConflictException is the model's
		// error for concurrent changes.
		return nil, &kmserrors.ConflictException{Message: fmt.Sprintf("An on-demand rotation of %s is already in progress.", k.ARN)}
	}
	if r.OnDemand >= OnDemandRotationLimit {
		return nil, &kmserrors.LimitExceededException{Message: "The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: " + k.ARN}
	}
	var next *keystore.Material
	if pendingID == "" {
		// The first version must exist before the second is made, or a
		// lazily generated first version would come out current.
		if _, err := currentMaterial(f); err != nil {
			return nil, err
		}
		gen, err := cl.e.materialSeed(f.KeyID, f.Spec)
		if err != nil {
			return nil, err
		}
		if next, err = gen(); err != nil {
			return nil, &kmserrors.KMSInternalException{Message: "generating key material failed"}
		}
	}
	// Only now, with every check passed, does the family keep a
	// rotation state of its own.
	w := f.EditRotation()
	w.OnDemand++
	w.OnDemandStart = cl.now
	w.OnDemandID = pendingID
	w.OnDemandMaterial = next
	cl.e.queue.add(cl.now.Add(OnDemandRotationDelay), FinishRotation, k)
	return &RotateKeyOnDemandOutput{KeyID: f.KeyID}, nil
}

// applyRotation performs a RotateKey or FinishRotation transition of
// family f due at due.
func (e *Engine) applyRotation(action Action, f *keystore.Family, due time.Time) {
	p := f.Primary()
	if p == nil || f.Size() == 0 {
		return // the family is gone
	}
	r := f.Rotation
	if r == nil {
		return // never scheduled: only a family with rotation state is
	}
	switch action {
	case RotateKey:
		if !r.Enabled || !r.Next.Equal(due) {
			return // a schedule that outlived its settings; kept as a guard
		}
		if p.State != keystore.Enabled && p.State != keystore.Updating {
			// KMS does not rotate a disabled key or one pending deletion;
			// the rotation is overdue and happens when the key is enabled
			// again (resumeRotation).
			return
		}
		e.rotateAutomatically(f, due)
	case FinishRotation:
		if r.OnDemandStart.IsZero() {
			return
		}
		id, m := r.OnDemandID, r.OnDemandMaterial
		r.OnDemandStart, r.OnDemandID, r.OnDemandMaterial = time.Time{}, "", nil
		switch {
		case m != nil:
			f.Material.Rotate(m, keystore.VersionInfo{RotationDate: due, RotationType: keystore.RotationOnDemand})
		case id != "" && f.Material.Promote(id, due, keystore.RotationOnDemand):
			// Every related key held the material when the rotation
			// started; one that lost it since waits for an import.
			for _, k := range related(f) {
				e.syncImportState(k)
			}
		default:
			return // the pending material was deleted meanwhile
		}
		e.logRotation(p, due)
	}
}

// rotateAutomatically adds a new material version to f at time at and
// schedules the next automatic rotation.
func (e *Engine) rotateAutomatically(f *keystore.Family, at time.Time) {
	r := f.EditRotation()
	r.Next = at.Add(period(r.PeriodDays))
	e.scheduleRotation(f)
	if _, err := currentMaterial(f); err != nil {
		return
	}
	gen, err := e.materialSeed(f.KeyID, f.Spec)
	if err != nil {
		return // a broken random source skips this rotation
	}
	m, err := gen()
	if err != nil {
		return
	}
	f.Material.Rotate(m, keystore.VersionInfo{RotationDate: at, RotationType: keystore.RotationAutomatic})
	e.logRotation(f.Primary(), at)
}

// resumeRotation performs an automatic rotation that fell due while k, a
// primary or single-Region key, could not rotate; EnableKey calls it. KMS:
// "If the key material in the re-enabled KMS key hasn't been rotated in
// one year, KMS rotates it immediately"; a key whose date has not passed
// keeps its schedule.
func (e *Engine) resumeRotation(k *keystore.Key, now time.Time) {
	f := k.Family
	r := f.RotationState()
	if f.Primary() != k || !r.Enabled || r.Next.After(now) {
		return
	}
	e.rotateAutomatically(f, now)
}

// logRotation records the rotation KMS makes on its own, as CloudTrail
// does with a RotateKey event.
func (e *Engine) logRotation(p *keystore.Key, at time.Time) {
	e.log.add(Event{
		Time:      at,
		Name:      "RotateKey",
		Region:    p.Region,
		Account:   p.Account(),
		Principal: serviceKMS,
		Resources: []string{p.ARN},
	})
}

// related returns every existing key of f, the primary first.
func related(f *keystore.Family) []*keystore.Key {
	out := make([]*keystore.Key, 0, f.Size())
	if p := f.Primary(); p != nil {
		out = append(out, p)
	}
	return append(out, f.Replicas()...)
}
