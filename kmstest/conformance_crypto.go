package kmstest

import (
	"bytes"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// ---- Crypto -------------------------------------------------------------

// cryptoCrossRegionDecrypt: ciphertext of the primary decrypts with each
// replica, with KeyId omitted, the key ID or the replica's ARN, and
// Decrypt names the replica (spec §9.1); related keys report the same
// CurrentKeyMaterialId.
func cryptoCrossRegionDecrypt(s *session) {
	id, _ := s.family(west, east)
	ec := map[string]string{"purpose": "conformance"}
	plaintext := []byte("kmsim conformance plaintext")
	enc, err := s.client(home).Encrypt(s.ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: plaintext, EncryptionContext: ec})
	s.must(err, "Encrypt in %s", home)
	material := aws.ToString(s.describe(home, id).CurrentKeyMaterialId)
	if material == "" {
		s.t.Errorf("DescribeKey in %s: no CurrentKeyMaterialId", home)
	}
	for _, r := range []string{west, east} {
		m := s.describe(r, id)
		if got := aws.ToString(m.CurrentKeyMaterialId); got != material {
			s.t.Errorf("DescribeKey in %s: CurrentKeyMaterialId %q, want %q", r, got, material)
		}
		for _, keyID := range []*string{nil, aws.String(id), m.Arn} {
			out, err := s.client(r).Decrypt(s.ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec, KeyId: keyID})
			s.must(err, "Decrypt in %s with KeyId %v", r, aws.ToString(keyID))
			if !bytes.Equal(out.Plaintext, plaintext) {
				s.t.Errorf("Decrypt in %s: wrong plaintext", r)
			}
			if aws.ToString(out.KeyId) != aws.ToString(m.Arn) {
				s.t.Errorf("Decrypt in %s: KeyId %s, want the local key %s", r, aws.ToString(out.KeyId), aws.ToString(m.Arn))
			}
			if aws.ToString(out.KeyMaterialId) != material {
				s.t.Errorf("Decrypt in %s: KeyMaterialId %s, want %s", r, aws.ToString(out.KeyMaterialId), material)
			}
		}
	}
	// A data key made in a replica Region opens in the primary's.
	gdk, err := s.client(east).GenerateDataKey(s.ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(id), KeySpec: types.DataKeySpecAes256})
	s.must(err, "GenerateDataKey in %s", east)
	out, err := s.client(home).Decrypt(s.ctx, &kms.DecryptInput{CiphertextBlob: gdk.CiphertextBlob})
	s.must(err, "Decrypt of a data key in %s", home)
	if !bytes.Equal(out.Plaintext, gdk.Plaintext) {
		s.t.Errorf("Decrypt in %s: the data key differs", home)
	}
	_, err = s.client(west).Decrypt(s.ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	wantError[*types.InvalidCiphertextException](s, err, "Decrypt without the encryption context")
}

// cryptoIncorrectKey: a KeyId that does not identify the local related
// key fails with IncorrectKeyException, and a Region with no related key
// refuses the ciphertext.
func cryptoIncorrectKey(s *session) {
	id, arn := s.family(west)
	enc, err := s.client(home).Encrypt(s.ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: []byte("x")})
	s.must(err, "Encrypt in %s", home)
	_, err = s.client(west).Decrypt(s.ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, KeyId: aws.String(arn)})
	wantError[*types.IncorrectKeyException](s, err, "Decrypt in %s with the primary's ARN", west)
	other := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	_, err = s.client(home).Decrypt(s.ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, KeyId: other.KeyId})
	wantError[*types.IncorrectKeyException](s, err, "Decrypt in %s with an unrelated key", home)
	_, err = s.client(south).Decrypt(s.ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	s.wantCode(err, "AccessDeniedException", "Decrypt in %s, which has no related key", south)
}
