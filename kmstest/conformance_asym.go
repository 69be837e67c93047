package kmstest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// ---- Asymmetric and MAC -------------------------------------------------

// asymFamily creates a multi-Region key of spec and usage in home with a
// replica in each of replicas, settled, and returns its key ID.
func (s *session) asymFamily(spec types.KeySpec, usage types.KeyUsageType, replicas ...string) string {
	s.t.Helper()
	m := s.createKey(home, &kms.CreateKeyInput{
		Description: aws.String("kmsim conformance"),
		KeySpec:     spec,
		KeyUsage:    usage,
		MultiRegion: aws.Bool(true),
	})
	for _, r := range replicas {
		s.replicate(home, *m.KeyId, r)
	}
	if len(replicas) > 0 {
		s.settle()
	}
	return *m.KeyId
}

// asymSignVerify: a signature of the primary verifies with the replica
// and, outside KMS, with the public key either Region returns; a changed
// message fails with KMSInvalidSignatureException.
func asymSignVerify(s *session) {
	id := s.asymFamily(types.KeySpecEccNistP256, types.KeyUsageTypeSignVerify, west)
	msg := []byte("kmsim conformance message")
	sig, err := s.client(home).Sign(s.ctx, &kms.SignInput{KeyId: aws.String(id), Message: msg, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	s.must(err, "Sign in %s", home)
	if sig.SigningAlgorithm != types.SigningAlgorithmSpecEcdsaSha256 {
		s.t.Errorf("Sign: SigningAlgorithm %q", sig.SigningAlgorithm)
	}
	v, err := s.client(west).Verify(s.ctx, &kms.VerifyInput{KeyId: aws.String(id), Message: msg, Signature: sig.Signature, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	s.must(err, "Verify in %s", west)
	if !v.SignatureValid {
		s.t.Errorf("Verify in %s: SignatureValid false", west)
	}
	digest := sha256.Sum256(msg)
	_, err = s.client(home).Verify(s.ctx, &kms.VerifyInput{KeyId: aws.String(id), Message: digest[:], MessageType: types.MessageTypeDigest, Signature: sig.Signature, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	s.must(err, "Verify of the digest in %s", home)
	for _, r := range []string{home, west} {
		pk, err := s.client(r).GetPublicKey(s.ctx, &kms.GetPublicKeyInput{KeyId: aws.String(id)})
		s.must(err, "GetPublicKey in %s", r)
		if pk.KeySpec != types.KeySpecEccNistP256 || pk.KeyUsage != types.KeyUsageTypeSignVerify ||
			len(pk.SigningAlgorithms) != 1 || pk.SigningAlgorithms[0] != types.SigningAlgorithmSpecEcdsaSha256 {
			s.t.Errorf("GetPublicKey in %s: %s %s %v", r, pk.KeySpec, pk.KeyUsage, pk.SigningAlgorithms)
		}
		pub, err := x509.ParsePKIXPublicKey(pk.PublicKey)
		s.must(err, "parsing the public key of %s", r)
		if k, ok := pub.(*ecdsa.PublicKey); !ok || !ecdsa.VerifyASN1(k, digest[:], sig.Signature) {
			s.t.Errorf("the public key of %s does not verify the signature", r)
		}
	}
	_, err = s.client(west).Verify(s.ctx, &kms.VerifyInput{KeyId: aws.String(id), Message: []byte("another message"), Signature: sig.Signature, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	wantError[*types.KMSInvalidSignatureException](s, err, "Verify of another message")
}

// asymSignErrors: wrong key usage and algorithm are
// InvalidKeyUsageException; a digest of the wrong length is
// ValidationException; GetPublicKey of a symmetric key is
// UnsupportedOperationException; DryRun answers DryRunOperationException.
func asymSignErrors(s *session) {
	signing := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance"), KeySpec: types.KeySpecEccNistP384, KeyUsage: types.KeyUsageTypeSignVerify})
	sym := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	c := s.client(home)
	_, err := c.Sign(s.ctx, &kms.SignInput{KeyId: sym.KeyId, Message: []byte("m"), SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	wantError[*types.InvalidKeyUsageException](s, err, "Sign with a symmetric key")
	_, err = c.Sign(s.ctx, &kms.SignInput{KeyId: signing.KeyId, Message: []byte("m"), SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	wantError[*types.InvalidKeyUsageException](s, err, "Sign of ECC_NIST_P384 with ECDSA_SHA_256")
	_, err = c.Sign(s.ctx, &kms.SignInput{KeyId: signing.KeyId, Message: make([]byte, 32), MessageType: types.MessageTypeDigest, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha384})
	s.wantCode(err, "ValidationException", "Sign of a 32-byte digest with ECDSA_SHA_384")
	_, err = c.Sign(s.ctx, &kms.SignInput{KeyId: signing.KeyId, Message: []byte("m"), SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha384, DryRun: aws.Bool(true)})
	wantError[*types.DryRunOperationException](s, err, "Sign with DryRun")
	_, err = c.GetPublicKey(s.ctx, &kms.GetPublicKeyInput{KeyId: sym.KeyId})
	wantError[*types.UnsupportedOperationException](s, err, "GetPublicKey of a symmetric key")
}

// asymRSAEncryption: RSA ciphertext of the primary decrypts with the
// replica; ciphertext made outside KMS with the public key decrypts too;
// the plaintext limit is ValidationException; ReEncrypt moves a
// ciphertext from the RSA key to a symmetric key.
func asymRSAEncryption(s *session) {
	id := s.asymFamily(types.KeySpecRsa2048, types.KeyUsageTypeEncryptDecrypt, west)
	alg := types.EncryptionAlgorithmSpecRsaesOaepSha256
	p := []byte("kmsim conformance plaintext")
	enc, err := s.client(home).Encrypt(s.ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: p, EncryptionAlgorithm: alg})
	s.must(err, "Encrypt in %s", home)
	dec, err := s.client(west).Decrypt(s.ctx, &kms.DecryptInput{KeyId: aws.String(id), CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: alg})
	s.must(err, "Decrypt in %s", west)
	if !bytes.Equal(dec.Plaintext, p) {
		s.t.Errorf("Decrypt in %s: wrong plaintext", west)
	}
	pk, err := s.client(west).GetPublicKey(s.ctx, &kms.GetPublicKeyInput{KeyId: aws.String(id)})
	s.must(err, "GetPublicKey in %s", west)
	pub, err := x509.ParsePKIXPublicKey(pk.PublicKey)
	s.must(err, "parsing the RSA public key")
	if k, ok := pub.(*rsa.PublicKey); ok {
		ext, err := rsa.EncryptOAEP(crypto.SHA256.New(), rand.Reader, k, []byte("outside"), nil)
		s.must(err, "OAEP outside KMS")
		dec, err := s.client(home).Decrypt(s.ctx, &kms.DecryptInput{KeyId: aws.String(id), CiphertextBlob: ext, EncryptionAlgorithm: alg})
		s.must(err, "Decrypt of outside ciphertext")
		if string(dec.Plaintext) != "outside" {
			s.t.Errorf("Decrypt of outside ciphertext: wrong plaintext")
		}
	} else {
		s.t.Errorf("GetPublicKey: %T, want an RSA key", pub)
	}
	_, err = s.client(home).Encrypt(s.ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: make([]byte, 191), EncryptionAlgorithm: alg})
	s.wantCode(err, "ValidationException", "Encrypt of 191 bytes with RSAES_OAEP_SHA_256 and RSA_2048")
	_, err = s.client(home).Encrypt(s.ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: p})
	wantError[*types.InvalidKeyUsageException](s, err, "Encrypt with an RSA key and no algorithm")
	sym := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	re, err := s.client(home).ReEncrypt(s.ctx, &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, SourceKeyId: aws.String(id), SourceEncryptionAlgorithm: alg, DestinationKeyId: sym.KeyId})
	s.must(err, "ReEncrypt from RSA to symmetric")
	dec, err = s.client(home).Decrypt(s.ctx, &kms.DecryptInput{CiphertextBlob: re.CiphertextBlob})
	s.must(err, "Decrypt after ReEncrypt")
	if !bytes.Equal(dec.Plaintext, p) {
		s.t.Errorf("Decrypt after ReEncrypt: wrong plaintext")
	}
}

// asymMac: a MAC of the primary verifies with the replica; a changed MAC
// is KMSInvalidMacException; another spec's algorithm and a key of
// another usage are InvalidKeyUsageException.
func asymMac(s *session) {
	id := s.asymFamily(types.KeySpecHmac384, types.KeyUsageTypeGenerateVerifyMac, east)
	msg := []byte("kmsim conformance message")
	alg := types.MacAlgorithmSpecHmacSha384
	out, err := s.client(home).GenerateMac(s.ctx, &kms.GenerateMacInput{KeyId: aws.String(id), Message: msg, MacAlgorithm: alg})
	s.must(err, "GenerateMac in %s", home)
	if len(out.Mac) != 48 || out.MacAlgorithm != alg {
		s.t.Errorf("GenerateMac: %d-byte MAC, algorithm %q", len(out.Mac), out.MacAlgorithm)
	}
	v, err := s.client(east).VerifyMac(s.ctx, &kms.VerifyMacInput{KeyId: aws.String(id), Message: msg, MacAlgorithm: alg, Mac: out.Mac})
	s.must(err, "VerifyMac in %s", east)
	if !v.MacValid {
		s.t.Errorf("VerifyMac in %s: MacValid false", east)
	}
	bad := append([]byte(nil), out.Mac...)
	bad[0] ^= 0x80
	_, err = s.client(east).VerifyMac(s.ctx, &kms.VerifyMacInput{KeyId: aws.String(id), Message: msg, MacAlgorithm: alg, Mac: bad})
	wantError[*types.KMSInvalidMacException](s, err, "VerifyMac of a changed MAC")
	_, err = s.client(home).GenerateMac(s.ctx, &kms.GenerateMacInput{KeyId: aws.String(id), Message: msg, MacAlgorithm: types.MacAlgorithmSpecHmacSha256})
	wantError[*types.InvalidKeyUsageException](s, err, "GenerateMac of HMAC_384 with HMAC_SHA_256")
	sym := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance")})
	_, err = s.client(home).GenerateMac(s.ctx, &kms.GenerateMacInput{KeyId: sym.KeyId, Message: msg, MacAlgorithm: alg})
	wantError[*types.InvalidKeyUsageException](s, err, "GenerateMac with a symmetric encryption key")
	_, err = s.client(home).GenerateMac(s.ctx, &kms.GenerateMacInput{KeyId: aws.String(id), Message: msg, MacAlgorithm: alg, DryRun: aws.Bool(true)})
	wantError[*types.DryRunOperationException](s, err, "GenerateMac with DryRun")
}

// asymDataKeyPair: the private key of a data key pair is PKCS #8 that
// matches the SubjectPublicKeyInfo, and its ciphertext decrypts in a
// replica Region with the same encryption context, also for the pair
// without plaintext; an asymmetric key cannot encrypt the pair.
func asymDataKeyPair(s *session) {
	id, _ := s.family(west)
	ec := map[string]string{"purpose": "data key pair"}
	out, err := s.client(home).GenerateDataKeyPair(s.ctx, &kms.GenerateDataKeyPairInput{KeyId: aws.String(id), KeyPairSpec: types.DataKeyPairSpecEccNistP256, EncryptionContext: ec})
	s.must(err, "GenerateDataKeyPair in %s", home)
	priv, err := x509.ParsePKCS8PrivateKey(out.PrivateKeyPlaintext)
	s.must(err, "parsing the private key")
	pub, err := x509.ParsePKIXPublicKey(out.PublicKey)
	s.must(err, "parsing the public key")
	if k, ok := priv.(*ecdsa.PrivateKey); !ok || !k.PublicKey.Equal(pub) {
		s.t.Errorf("GenerateDataKeyPair: the private key does not match the public key")
	}
	if out.KeyPairSpec != types.DataKeyPairSpecEccNistP256 || len(aws.ToString(out.KeyMaterialId)) != 64 {
		s.t.Errorf("GenerateDataKeyPair: KeyPairSpec %q, KeyMaterialId %q", out.KeyPairSpec, aws.ToString(out.KeyMaterialId))
	}
	dec, err := s.client(west).Decrypt(s.ctx, &kms.DecryptInput{CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext: ec})
	s.must(err, "Decrypt of the private key in %s", west)
	if !bytes.Equal(dec.Plaintext, out.PrivateKeyPlaintext) {
		s.t.Errorf("Decrypt of the private key: it differs")
	}
	wo, err := s.client(west).GenerateDataKeyPairWithoutPlaintext(s.ctx, &kms.GenerateDataKeyPairWithoutPlaintextInput{KeyId: aws.String(id), KeyPairSpec: types.DataKeyPairSpecRsa2048})
	s.must(err, "GenerateDataKeyPairWithoutPlaintext in %s", west)
	dec, err = s.client(home).Decrypt(s.ctx, &kms.DecryptInput{CiphertextBlob: wo.PrivateKeyCiphertextBlob})
	s.must(err, "Decrypt of the private key in %s", home)
	rk, err := x509.ParsePKCS8PrivateKey(dec.Plaintext)
	s.must(err, "parsing the RSA private key")
	rp, err := x509.ParsePKIXPublicKey(wo.PublicKey)
	s.must(err, "parsing the RSA public key")
	if k, ok := rk.(*rsa.PrivateKey); !ok || !k.PublicKey.Equal(rp) {
		s.t.Errorf("GenerateDataKeyPairWithoutPlaintext: the private key does not match the public key")
	}
	signing := s.createKey(home, &kms.CreateKeyInput{Description: aws.String("kmsim conformance"), KeySpec: types.KeySpecEccNistP256, KeyUsage: types.KeyUsageTypeSignVerify})
	_, err = s.client(home).GenerateDataKeyPair(s.ctx, &kms.GenerateDataKeyPairInput{KeyId: signing.KeyId, KeyPairSpec: types.DataKeyPairSpecEccNistP256})
	wantError[*types.InvalidKeyUsageException](s, err, "GenerateDataKeyPair with a signing key")
	_, err = s.client(home).GenerateDataKeyPair(s.ctx, &kms.GenerateDataKeyPairInput{KeyId: aws.String(id), KeyPairSpec: types.DataKeyPairSpecEccNistP256, DryRun: aws.Bool(true)})
	wantError[*types.DryRunOperationException](s, err, "GenerateDataKeyPair with DryRun")
}
