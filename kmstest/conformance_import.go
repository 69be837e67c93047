package kmstest

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// ---- Imported key material ---------------------------------------------

// externalKey creates a key of Origin EXTERNAL in home.
func (s *session) externalKey(multiRegion bool) *types.KeyMetadata {
	s.t.Helper()
	return s.createKey(home, &kms.CreateKeyInput{
		Description: aws.String("kmsim conformance"),
		Origin:      types.OriginTypeExternal,
		MultiRegion: aws.Bool(multiRegion),
	})
}

// importParams holds one GetParametersForImport answer.
type importParams struct {
	token   []byte
	public  *rsa.PublicKey
	validTo time.Time
}

// importParameters asks for an RSA_2048 wrapping key for RSAES_OAEP_SHA_256.
func (s *session) importParameters(region, id string) importParams {
	s.t.Helper()
	out, err := s.client(region).GetParametersForImport(s.ctx, &kms.GetParametersForImportInput{
		KeyId: aws.String(id), WrappingAlgorithm: types.AlgorithmSpecRsaesOaepSha256, WrappingKeySpec: types.WrappingKeySpecRsa2048,
	})
	s.must(err, "GetParametersForImport in %s", region)
	pub, err := x509.ParsePKIXPublicKey(out.PublicKey)
	s.must(err, "parsing the wrapping key of %s", region)
	rsaPub, ok := pub.(*rsa.PublicKey)
	if !ok || out.ParametersValidTo == nil || len(out.ImportToken) == 0 {
		s.t.Fatalf("GetParametersForImport in %s: public key %T, ParametersValidTo %v", region, pub, out.ParametersValidTo)
	}
	return importParams{token: out.ImportToken, public: rsaPub, validTo: *out.ParametersValidTo}
}

// importMaterial wraps secret with the public key as a KMS client does
// (RSA-OAEP with SHA-256) and imports it into key id in region.
func (s *session) importMaterial(region, id string, secret []byte, in kms.ImportKeyMaterialInput) (*kms.ImportKeyMaterialOutput, error) {
	s.t.Helper()
	p := s.importParameters(region, id)
	wrapped, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, p.public, secret, nil)
	s.must(err, "wrapping key material")
	in.KeyId, in.ImportToken, in.EncryptedKeyMaterial = aws.String(id), p.token, wrapped
	if in.ExpirationModel == "" {
		in.ExpirationModel = types.ExpirationModelTypeKeyMaterialDoesNotExpire
	}
	return s.client(region).ImportKeyMaterial(s.ctx, &in)
}

// importSymmetric: material imported into a key of Origin EXTERNAL
// enables it for encryption; deleting it makes the key wait for the same
// material again (spec §4.4, §6.4).
func importSymmetric(s *session) {
	m := s.externalKey(false)
	id := aws.ToString(m.KeyId)
	s.wantState(home, id, types.KeyStatePendingImport)
	secret := bytes.Repeat([]byte{0x5a}, 32)
	out, err := s.importMaterial(home, id, secret, kms.ImportKeyMaterialInput{})
	s.must(err, "ImportKeyMaterial")
	d := s.wantState(home, id, types.KeyStateEnabled)
	if aws.ToString(out.KeyMaterialId) == "" || aws.ToString(d.CurrentKeyMaterialId) != aws.ToString(out.KeyMaterialId) {
		s.t.Errorf("KeyMaterialId %q, CurrentKeyMaterialId %q", aws.ToString(out.KeyMaterialId), aws.ToString(d.CurrentKeyMaterialId))
	}
	if d.ExpirationModel != types.ExpirationModelTypeKeyMaterialDoesNotExpire {
		s.t.Errorf("ExpirationModel %q", d.ExpirationModel)
	}
	enc, err := s.client(home).Encrypt(s.ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("imported")})
	s.must(err, "Encrypt with imported material")
	_, err = s.client(home).DeleteImportedKeyMaterial(s.ctx, &kms.DeleteImportedKeyMaterialInput{KeyId: aws.String(id)})
	s.must(err, "DeleteImportedKeyMaterial")
	s.wantState(home, id, types.KeyStatePendingImport)
	_, err = s.client(home).Decrypt(s.ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	wantError[*types.KMSInvalidStateException](s, err, "Decrypt while PendingImport")
	_, err = s.importMaterial(home, id, bytes.Repeat([]byte{0x5b}, 32), kms.ImportKeyMaterialInput{})
	wantError[*types.IncorrectKeyMaterialException](s, err, "ImportKeyMaterial of other material")
	_, err = s.importMaterial(home, id, secret, kms.ImportKeyMaterialInput{})
	s.must(err, "ImportKeyMaterial of the same material again")
	dec, err := s.client(home).Decrypt(s.ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	s.must(err, "Decrypt after the reimport")
	if !bytes.Equal(dec.Plaintext, []byte("imported")) {
		s.t.Errorf("Decrypt after the reimport: wrong plaintext")
	}
}

// importNotExternal: only keys of Origin EXTERNAL take imported material.
func importNotExternal(s *session) {
	m := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	_, err := s.client(home).GetParametersForImport(s.ctx, &kms.GetParametersForImportInput{
		KeyId: m.KeyId, WrappingAlgorithm: types.AlgorithmSpecRsaesOaepSha256, WrappingKeySpec: types.WrappingKeySpecRsa2048,
	})
	wantError[*types.UnsupportedOperationException](s, err, "GetParametersForImport of an AWS_KMS key")
	_, err = s.client(home).DeleteImportedKeyMaterial(s.ctx, &kms.DeleteImportedKeyMaterialInput{KeyId: m.KeyId})
	wantError[*types.UnsupportedOperationException](s, err, "DeleteImportedKeyMaterial of an AWS_KMS key")
}

// importMultiRegion: a replica of an EXTERNAL primary waits in
// PendingImport and accepts only the primary's material, imported on its
// own; then the related keys decrypt each other's ciphertext (spec §6.4).
func importMultiRegion(s *session) {
	m := s.externalKey(true)
	id := aws.ToString(m.KeyId)
	// A primary waiting for its material cannot be replicated.
	_, err := s.client(home).ReplicateKey(s.ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String(west)})
	wantError[*types.KMSInvalidStateException](s, err, "ReplicateKey of a primary in PendingImport")
	secret := bytes.Repeat([]byte{0x6c}, 32)
	_, err = s.importMaterial(home, id, secret, kms.ImportKeyMaterialInput{})
	s.must(err, "ImportKeyMaterial into the primary")
	s.replicate(home, id, west)
	s.settle()
	s.wantState(west, id, types.KeyStatePendingImport)
	_, err = s.importMaterial(west, id, bytes.Repeat([]byte{0x6d}, 32), kms.ImportKeyMaterialInput{})
	wantError[*types.IncorrectKeyMaterialException](s, err, "ImportKeyMaterial of other material into the replica")
	_, err = s.importMaterial(west, id, secret, kms.ImportKeyMaterialInput{ImportType: types.ImportTypeNewKeyMaterial})
	s.wantCode(err, "ValidationException", "ImportKeyMaterial with NEW_KEY_MATERIAL into the replica")
	s.wantState(west, id, types.KeyStatePendingImport)
	_, err = s.importMaterial(west, id, secret, kms.ImportKeyMaterialInput{})
	s.must(err, "ImportKeyMaterial into the replica")
	s.wantState(west, id, types.KeyStateEnabled)
	enc, err := s.client(west).Encrypt(s.ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("west")})
	s.must(err, "Encrypt in %s", west)
	_, err = s.client(home).Decrypt(s.ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	s.must(err, "Decrypt in %s of the replica's ciphertext", home)
	// Deleting the replica's material leaves the primary alone.
	_, err = s.client(west).DeleteImportedKeyMaterial(s.ctx, &kms.DeleteImportedKeyMaterialInput{KeyId: aws.String(id)})
	s.must(err, "DeleteImportedKeyMaterial in %s", west)
	s.wantState(west, id, types.KeyStatePendingImport)
	s.wantState(home, id, types.KeyStateEnabled)
}

// importExpiry: material imported with a ValidTo leaves the key then.
func importExpiry(s *session) {
	m := s.externalKey(false)
	id := aws.ToString(m.KeyId)
	// ParametersValidTo is 24 hours after the harness's now.
	validTo := s.importParameters(home, id).validTo.Add(24 * time.Hour)
	_, err := s.importMaterial(home, id, bytes.Repeat([]byte{0x7e}, 32), kms.ImportKeyMaterialInput{
		ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires, ValidTo: aws.Time(validTo),
	})
	s.must(err, "ImportKeyMaterial with a ValidTo")
	if d := s.wantState(home, id, types.KeyStateEnabled); d.ValidTo == nil || !d.ValidTo.Equal(validTo) {
		s.t.Errorf("DescribeKey: ValidTo %v, want %v", d.ValidTo, validTo)
	}
	s.advance(3 * day)
	s.wantState(home, id, types.KeyStatePendingImport)
}

// importMultiRegionRotation: new material imported into the primary waits
// until every replica has it too; then an on-demand rotation makes it
// current for every related key (spec §6.4).
func importMultiRegionRotation(s *session) {
	m := s.externalKey(true)
	id := aws.ToString(m.KeyId)
	first := bytes.Repeat([]byte{0x21}, 32)
	_, err := s.importMaterial(home, id, first, kms.ImportKeyMaterialInput{})
	s.must(err, "ImportKeyMaterial into the primary")
	s.replicate(home, id, west)
	s.settle()
	_, err = s.importMaterial(west, id, first, kms.ImportKeyMaterialInput{})
	s.must(err, "ImportKeyMaterial into the replica")

	next := bytes.Repeat([]byte{0x22}, 32)
	out, err := s.importMaterial(home, id, next, kms.ImportKeyMaterialInput{ImportType: types.ImportTypeNewKeyMaterial, KeyMaterialDescription: aws.String("second")})
	s.must(err, "ImportKeyMaterial of new material into the primary")
	nextID := aws.ToString(out.KeyMaterialId)
	pendingState := func() types.KeyMaterialState {
		list, err := s.client(home).ListKeyRotations(s.ctx, &kms.ListKeyRotationsInput{KeyId: aws.String(id), IncludeKeyMaterial: types.IncludeKeyMaterialAllKeyMaterial})
		s.must(err, "ListKeyRotations")
		for _, r := range list.Rotations {
			if aws.ToString(r.KeyMaterialId) == nextID {
				return r.KeyMaterialState
			}
		}
		return ""
	}
	if st := pendingState(); st != types.KeyMaterialStatePendingMultiRegionImportAndRotation {
		s.t.Errorf("new material before the replica has it: %q", st)
	}
	_, err = s.client(home).RotateKeyOnDemand(s.ctx, &kms.RotateKeyOnDemandInput{KeyId: aws.String(id)})
	wantError[*types.KMSInvalidStateException](s, err, "RotateKeyOnDemand before the replica has the material")
	_, err = s.importMaterial(west, id, next, kms.ImportKeyMaterialInput{})
	s.must(err, "ImportKeyMaterial of the new material into the replica")
	if st := pendingState(); st != types.KeyMaterialStatePendingRotation {
		s.t.Errorf("new material once every key has it: %q", st)
	}
	_, err = s.client(home).RotateKeyOnDemand(s.ctx, &kms.RotateKeyOnDemandInput{KeyId: aws.String(id)})
	s.must(err, "RotateKeyOnDemand")
	s.settle()
	for _, r := range []string{home, west} {
		if got := aws.ToString(s.describe(r, id).CurrentKeyMaterialId); got != nextID {
			s.t.Errorf("DescribeKey in %s: CurrentKeyMaterialId %q, want %q", r, got, nextID)
		}
	}
}
