package kmsconv

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsim/kmsim/engine"
)

// optionalTime returns a pointer to t in UTC, or nil for the zero time.
func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// EnableKeyRotationInput converts an EnableKeyRotation request.
func EnableKeyRotationInput(in *kms.EnableKeyRotationInput) engine.EnableKeyRotationInput {
	if in == nil {
		return engine.EnableKeyRotationInput{}
	}
	return engine.EnableKeyRotationInput{KeyID: str(in.KeyId), RotationPeriodInDays: num(in.RotationPeriodInDays)}
}

// EnableKeyRotationOutput converts an EnableKeyRotation response.
func EnableKeyRotationOutput(out *engine.EnableKeyRotationOutput) *kms.EnableKeyRotationOutput {
	if out == nil {
		return nil
	}
	return &kms.EnableKeyRotationOutput{}
}

// CheckEnableKeyRotationInput reports a KeyId sent empty or a
// RotationPeriodInDays of 0, which the engine cannot tell from an omitted
// one.
func CheckEnableKeyRotationInput(in *kms.EnableKeyRotationInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	if in.RotationPeriodInDays != nil && *in.RotationPeriodInDays == 0 {
		p = append(p, "Value '0' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90")
	}
	return p.err()
}

// DisableKeyRotationInput converts a DisableKeyRotation request.
func DisableKeyRotationInput(in *kms.DisableKeyRotationInput) engine.DisableKeyRotationInput {
	if in == nil {
		return engine.DisableKeyRotationInput{}
	}
	return engine.DisableKeyRotationInput{KeyID: str(in.KeyId)}
}

// DisableKeyRotationOutput converts a DisableKeyRotation response.
func DisableKeyRotationOutput(out *engine.DisableKeyRotationOutput) *kms.DisableKeyRotationOutput {
	if out == nil {
		return nil
	}
	return &kms.DisableKeyRotationOutput{}
}

// CheckDisableKeyRotationInput reports a KeyId sent empty.
func CheckDisableKeyRotationInput(in *kms.DisableKeyRotationInput) error {
	if in == nil {
		return nil
	}
	return keyIDOnly(in.KeyId)
}

// GetKeyRotationStatusInput converts a GetKeyRotationStatus request.
func GetKeyRotationStatusInput(in *kms.GetKeyRotationStatusInput) engine.GetKeyRotationStatusInput {
	if in == nil {
		return engine.GetKeyRotationStatusInput{}
	}
	return engine.GetKeyRotationStatusInput{KeyID: str(in.KeyId)}
}

// GetKeyRotationStatusOutput converts a GetKeyRotationStatus response;
// RotationPeriodInDays and the dates are nil when the engine leaves them
// zero.
func GetKeyRotationStatusOutput(out *engine.GetKeyRotationStatusOutput) *kms.GetKeyRotationStatusOutput {
	if out == nil {
		return nil
	}
	o := &kms.GetKeyRotationStatusOutput{
		KeyRotationEnabled:        out.KeyRotationEnabled,
		KeyId:                     optional(out.KeyID),
		NextRotationDate:          optionalTime(out.NextRotationDate),
		OnDemandRotationStartDate: optionalTime(out.OnDemandRotationStartDate),
	}
	if out.RotationPeriodInDays != 0 {
		o.RotationPeriodInDays = aws.Int32(int32(out.RotationPeriodInDays))
	}
	return o
}

// CheckGetKeyRotationStatusInput reports a KeyId sent empty.
func CheckGetKeyRotationStatusInput(in *kms.GetKeyRotationStatusInput) error {
	if in == nil {
		return nil
	}
	return keyIDOnly(in.KeyId)
}

// RotateKeyOnDemandInput converts a RotateKeyOnDemand request.
func RotateKeyOnDemandInput(in *kms.RotateKeyOnDemandInput) engine.RotateKeyOnDemandInput {
	if in == nil {
		return engine.RotateKeyOnDemandInput{}
	}
	return engine.RotateKeyOnDemandInput{KeyID: str(in.KeyId)}
}

// RotateKeyOnDemandOutput converts a RotateKeyOnDemand response.
func RotateKeyOnDemandOutput(out *engine.RotateKeyOnDemandOutput) *kms.RotateKeyOnDemandOutput {
	if out == nil {
		return nil
	}
	return &kms.RotateKeyOnDemandOutput{KeyId: optional(out.KeyID)}
}

// CheckRotateKeyOnDemandInput reports a KeyId sent empty.
func CheckRotateKeyOnDemandInput(in *kms.RotateKeyOnDemandInput) error {
	if in == nil {
		return nil
	}
	return keyIDOnly(in.KeyId)
}

// ListKeyRotationsInput converts a ListKeyRotations request.
func ListKeyRotationsInput(in *kms.ListKeyRotationsInput) engine.ListKeyRotationsInput {
	if in == nil {
		return engine.ListKeyRotationsInput{}
	}
	return engine.ListKeyRotationsInput{
		KeyID:              str(in.KeyId),
		IncludeKeyMaterial: string(in.IncludeKeyMaterial),
		Limit:              num(in.Limit),
		Marker:             str(in.Marker),
	}
}

// ListKeyRotationsOutput converts a ListKeyRotations response; Rotations
// is never nil.
func ListKeyRotationsOutput(out *engine.ListKeyRotationsOutput) *kms.ListKeyRotationsOutput {
	if out == nil {
		return nil
	}
	rs := make([]types.RotationsListEntry, len(out.Rotations))
	for i, r := range out.Rotations {
		rs[i] = types.RotationsListEntry{
			KeyId:                  optional(r.KeyID),
			KeyMaterialId:          optional(r.KeyMaterialID),
			KeyMaterialState:       types.KeyMaterialState(r.KeyMaterialState),
			RotationDate:           optionalTime(r.RotationDate),
			RotationType:           types.RotationType(r.RotationType),
			KeyMaterialDescription: optional(r.KeyMaterialDescription),
			ImportState:            types.ImportState(r.ImportState),
			ExpirationModel:        types.ExpirationModelType(r.ExpirationModel),
			ValidTo:                optionalTime(r.ValidTo),
		}
	}
	return &kms.ListKeyRotationsOutput{Rotations: rs, NextMarker: optional(out.NextMarker), Truncated: out.Truncated}
}

// CheckListKeyRotationsInput reports a KeyId or Marker sent empty or a
// Limit of 0.
func CheckListKeyRotationsInput(in *kms.ListKeyRotationsInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	p.minValue("limit", in.Limit)
	p.minLen("marker", in.Marker)
	return p.err()
}
