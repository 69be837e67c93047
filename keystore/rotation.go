package keystore

import "time"

// Rotation is the automatic and on-demand rotation state of a family of
// keys. Related multi-Region keys share it (spec §3.3): only the primary
// changes it, and every replica reports it.
type Rotation struct {
	// Enabled is whether automatic rotation is on.
	Enabled bool
	// PeriodDays is the automatic rotation period, 90..2560; set while
	// Enabled.
	PeriodDays int
	// Next is the NextRotationDate while Enabled.
	Next time.Time
	// OnDemand counts the on-demand rotations started, against KMS's
	// per-key limit.
	OnDemand int
	// OnDemandStart is when the on-demand rotation in progress started;
	// zero when none is.
	OnDemandStart time.Time
	// OnDemandID is the pending imported version an on-demand rotation in
	// progress makes current; "" for new KMS-generated material.
	OnDemandID string
	// OnDemandMaterial is the KMS-generated version an on-demand rotation
	// in progress makes current; nil for imported material.
	OnDemandMaterial *Material
}
