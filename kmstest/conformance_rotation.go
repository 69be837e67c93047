package kmstest

import (
	"bytes"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// ---- Rotation -----------------------------------------------------------

// rotationStatus returns GetKeyRotationStatus of key id in region.
func (s *session) rotationStatus(region, id string) *kms.GetKeyRotationStatusOutput {
	s.t.Helper()
	out, err := s.client(region).GetKeyRotationStatus(s.ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(id)})
	s.must(err, "GetKeyRotationStatus in %s", region)
	return out
}

// rotationEnableDisable: automatic rotation is set on the primary and
// reported by every related key; a replica refuses to change it (spec
// §3.5, §4.2 REPL).
func rotationEnableDisable(s *session) {
	id, arn := s.family(west)
	if st := s.rotationStatus(home, id); st.KeyRotationEnabled {
		s.t.Errorf("GetKeyRotationStatus of a new key: enabled")
	}
	_, err := s.client(home).EnableKeyRotation(s.ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(id), RotationPeriodInDays: aws.Int32(180)})
	s.must(err, "EnableKeyRotation in %s", home)
	for _, r := range []string{home, west} {
		st := s.rotationStatus(r, id)
		if !st.KeyRotationEnabled || aws.ToInt32(st.RotationPeriodInDays) != 180 || st.NextRotationDate == nil {
			s.t.Errorf("GetKeyRotationStatus in %s: enabled %v, period %v, next %v", r, st.KeyRotationEnabled, aws.ToInt32(st.RotationPeriodInDays), st.NextRotationDate)
		}
		if aws.ToString(st.KeyId) != inRegion(arn, r) {
			s.t.Errorf("GetKeyRotationStatus in %s: KeyId %s", r, aws.ToString(st.KeyId))
		}
	}
	_, err = s.client(west).EnableKeyRotation(s.ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(id)})
	wantError[*types.UnsupportedOperationException](s, err, "EnableKeyRotation on the replica")
	_, err = s.client(west).DisableKeyRotation(s.ctx, &kms.DisableKeyRotationInput{KeyId: aws.String(id)})
	wantError[*types.UnsupportedOperationException](s, err, "DisableKeyRotation on the replica")
	_, err = s.client(home).EnableKeyRotation(s.ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(id), RotationPeriodInDays: aws.Int32(89)})
	s.wantCode(err, "ValidationException", "EnableKeyRotation with 89 days")
	_, err = s.client(home).DisableKeyRotation(s.ctx, &kms.DisableKeyRotationInput{KeyId: aws.String(id)})
	s.must(err, "DisableKeyRotation in %s", home)
	if st := s.rotationStatus(west, id); st.KeyRotationEnabled {
		s.t.Errorf("GetKeyRotationStatus in %s after DisableKeyRotation: enabled", west)
	}
}

// rotationUnsupportedKey: asymmetric keys do not rotate.
func rotationUnsupportedKey(s *session) {
	m := s.createKey(home, &kms.CreateKeyInput{KeySpec: types.KeySpecRsa2048, KeyUsage: types.KeyUsageTypeSignVerify, Description: aws.String("kmsim conformance")})
	_, err := s.client(home).EnableKeyRotation(s.ctx, &kms.EnableKeyRotationInput{KeyId: m.KeyId})
	wantError[*types.UnsupportedOperationException](s, err, "EnableKeyRotation of an RSA key")
	_, err = s.client(home).RotateKeyOnDemand(s.ctx, &kms.RotateKeyOnDemandInput{KeyId: m.KeyId})
	wantError[*types.UnsupportedOperationException](s, err, "RotateKeyOnDemand of an RSA key")
}

// rotationOnDemand: an on-demand rotation on the primary gives every
// related key the new material, and every key still decrypts the old
// ciphertext (spec §9.1).
func rotationOnDemand(s *session) {
	id, _ := s.family(west)
	plaintext := []byte("kmsim rotation")
	enc, err := s.client(home).Encrypt(s.ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: plaintext})
	s.must(err, "Encrypt in %s", home)
	before := aws.ToString(s.describe(home, id).CurrentKeyMaterialId)
	_, err = s.client(west).RotateKeyOnDemand(s.ctx, &kms.RotateKeyOnDemandInput{KeyId: aws.String(id)})
	wantError[*types.UnsupportedOperationException](s, err, "RotateKeyOnDemand on the replica")
	_, err = s.client(home).RotateKeyOnDemand(s.ctx, &kms.RotateKeyOnDemandInput{KeyId: aws.String(id)})
	s.must(err, "RotateKeyOnDemand in %s", home)
	s.settle()
	after := aws.ToString(s.describe(home, id).CurrentKeyMaterialId)
	if after == before || after == "" {
		s.t.Errorf("CurrentKeyMaterialId after the rotation: %q, before %q", after, before)
	}
	for _, r := range []string{home, west} {
		if got := aws.ToString(s.describe(r, id).CurrentKeyMaterialId); got != after {
			s.t.Errorf("DescribeKey in %s: CurrentKeyMaterialId %q, want %q", r, got, after)
		}
		out, err := s.client(r).Decrypt(s.ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
		s.must(err, "Decrypt in %s of ciphertext older than the rotation", r)
		if !bytes.Equal(out.Plaintext, plaintext) || aws.ToString(out.KeyMaterialId) != before {
			s.t.Errorf("Decrypt in %s: plaintext or KeyMaterialId %q wrong", r, aws.ToString(out.KeyMaterialId))
		}
		list, err := s.client(r).ListKeyRotations(s.ctx, &kms.ListKeyRotationsInput{KeyId: aws.String(id)})
		s.must(err, "ListKeyRotations in %s", r)
		if len(list.Rotations) != 1 || list.Rotations[0].RotationType != types.RotationTypeOnDemand ||
			aws.ToString(list.Rotations[0].KeyMaterialId) != after || list.Rotations[0].KeyMaterialState != types.KeyMaterialStateCurrent {
			s.t.Errorf("ListKeyRotations in %s: %+v", r, list.Rotations)
		}
	}
	all, err := s.client(home).ListKeyRotations(s.ctx, &kms.ListKeyRotationsInput{KeyId: aws.String(id), IncludeKeyMaterial: types.IncludeKeyMaterialAllKeyMaterial, Limit: aws.Int32(1)})
	s.must(err, "ListKeyRotations with ALL_KEY_MATERIAL")
	if len(all.Rotations) != 1 || !all.Truncated || aws.ToString(all.Rotations[0].KeyMaterialId) != before {
		s.t.Errorf("ListKeyRotations first page: %+v truncated %v", all.Rotations, all.Truncated)
	}
}

// rotationAutomatic: with automatic rotation on, the material rotates
// when the period ends, for every related key.
func rotationAutomatic(s *session) {
	id, _ := s.family(west)
	before := aws.ToString(s.describe(west, id).CurrentKeyMaterialId)
	_, err := s.client(home).EnableKeyRotation(s.ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(id), RotationPeriodInDays: aws.Int32(90)})
	s.must(err, "EnableKeyRotation in %s", home)
	s.advance(90 * day)
	after := aws.ToString(s.describe(west, id).CurrentKeyMaterialId)
	if after == before {
		s.t.Errorf("CurrentKeyMaterialId in %s unchanged after the rotation period", west)
	}
	list, err := s.client(west).ListKeyRotations(s.ctx, &kms.ListKeyRotationsInput{KeyId: aws.String(id)})
	s.must(err, "ListKeyRotations in %s", west)
	if len(list.Rotations) != 1 || list.Rotations[0].RotationType != types.RotationTypeAutomatic || list.Rotations[0].RotationDate == nil {
		s.t.Errorf("ListKeyRotations in %s: %+v", west, list.Rotations)
	}
}
