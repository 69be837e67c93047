package engine_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"fmt"
	randv2 "math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// SM2 keys exist only in aws-cn (CreateKey), so these tests run in an
// aws-cn account across the two China Regions.
const cnAccount = "222233334444"

var (
	cnNorth     = engine.Caller{Account: cnAccount, Region: "cn-north-1"}
	cnNorthwest = engine.Caller{Account: cnAccount, Region: "cn-northwest-1"}
)

func cnARN(r region.ID, id string) string { return region.KeyARN("aws-cn", r, cnAccount, id) }

// sm2Env holds an engine with an aws-cn account and SM2 keys: a
// multi-Region SIGN_VERIFY key and a multi-Region ENCRYPT_DECRYPT key,
// both replicated to cn-northwest-1, a symmetric key, and an ECC_NIST_P256
// signing key.
type sm2Env struct {
	env                  *kmstest.Env
	sign, enc, sym, p256 string
}

var (
	sharedSM2     *sm2Env
	sharedSM2Once sync.Once
)

func sm2Keys(t testing.TB) *sm2Env {
	sharedSM2Once.Do(func() {
		env := kmstest.NewEnv(t, kmstest.Seed(7))
		require.NoError(t, env.Engine.CreateAccount(engine.AccountInput{ID: cnAccount, Partition: "aws-cn"}))
		s := &sm2Env{env: env}
		mk := func(in engine.CreateKeyInput) string {
			out, err := env.Engine.CreateKey(cnNorth, in)
			require.NoError(t, err)
			if in.MultiRegion {
				_, err = env.Engine.ReplicateKey(cnNorth, engine.ReplicateKeyInput{KeyID: out.KeyMetadata.KeyID, ReplicaRegion: "cn-northwest-1"})
				require.NoError(t, err)
			}
			return out.KeyMetadata.KeyID
		}
		s.sign = mk(engine.CreateKeyInput{KeySpec: keystore.SM2, KeyUsage: keystore.SignVerify, MultiRegion: true})
		s.enc = mk(engine.CreateKeyInput{KeySpec: keystore.SM2, KeyUsage: keystore.EncryptDecrypt, MultiRegion: true})
		s.sym = mk(engine.CreateKeyInput{})
		s.p256 = mk(engine.CreateKeyInput{KeySpec: keystore.ECCNISTP256, KeyUsage: keystore.SignVerify})
		env.Settle()
		sharedSM2 = s
	})
	return sharedSM2
}

// sm2PublicKey parses GetPublicKey's DER with gmsm, as an offline user
// would, and checks the encoding: id-ecPublicKey with curve sm2p256v1.
func sm2PublicKey(t testing.TB, der []byte) *ecdsa.PublicKey {
	t.Helper()
	require.True(t, bytes.HasPrefix(der, []byte{0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d, 0x03, 0x42, 0x00, 0x04}),
		"SubjectPublicKeyInfo{id-ecPublicKey, sm2p256v1, uncompressed point}: % x", der)
	pub, err := smx509.ParsePKIXPublicKey(der)
	require.NoError(t, err)
	k, ok := pub.(*ecdsa.PublicKey)
	require.True(t, ok && sm2.IsSM2PublicKey(k))
	return k
}

// offlineDigest is e = SM3(Z_A ‖ msg) for distinguishing ID uid,
// computed the way KMS's SM2OfflineOperationHelper does.
func offlineDigest(t testing.TB, pub *ecdsa.PublicKey, uid, msg []byte) []byte {
	t.Helper()
	za, err := sm2.CalculateZA(pub, uid)
	require.NoError(t, err)
	h := sm3.New()
	h.Write(za)
	h.Write(msg)
	return h.Sum(nil)
}

func TestSM2SignVerify(t *testing.T) {
	s := sm2Keys(t)
	e := s.env.Engine
	pk, err := e.GetPublicKey(cnNorth, engine.GetPublicKeyInput{KeyID: s.sign})
	require.NoError(t, err)
	assert.Equal(t, keystore.SM2, pk.KeySpec)
	assert.Equal(t, keystore.SM2, pk.CustomerMasterKeySpec)
	assert.Equal(t, keystore.SignVerify, pk.KeyUsage)
	assert.Equal(t, []string{engine.SM2DSA}, pk.SigningAlgorithms)
	assert.Empty(t, pk.EncryptionAlgorithms)
	assert.Equal(t, cnARN("cn-north-1", s.sign), pk.KeyID)
	pub := sm2PublicKey(t, pk.PublicKey)
	west, err := e.GetPublicKey(cnNorthwest, engine.GetPublicKeyInput{KeyID: s.sign})
	require.NoError(t, err)
	assert.Equal(t, pk.PublicKey, west.PublicKey, "related keys share the key pair")

	msg := []byte("the message KMS signs with SM2")
	out, err := e.Sign(cnNorth, engine.SignInput{KeyID: s.sign, Message: msg, SigningAlgorithm: engine.SM2DSA})
	require.NoError(t, err)
	assert.Equal(t, cnARN("cn-north-1", s.sign), out.KeyID)
	assert.Equal(t, engine.SM2DSA, out.SigningAlgorithm)
	// gmsm's verifier, with the default distinguishing ID, over the raw
	// message: the offline check of KMS's guide.
	assert.True(t, sm2.VerifyASN1WithSM2(pub, []byte("1234567812345678"), msg, out.Signature))
	assert.False(t, sm2.VerifyASN1WithSM2(pub, []byte("another ID"), msg, out.Signature))
	again, err := e.Sign(cnNorth, engine.SignInput{KeyID: s.sign, Message: msg, SigningAlgorithm: engine.SM2DSA})
	require.NoError(t, err)
	assert.Equal(t, out.Signature, again.Signature, "kmsim signs deterministically")

	// Verify in the other Region, RAW and as the DIGEST e of the default ID.
	e0 := offlineDigest(t, pub, []byte("1234567812345678"), msg)
	for _, in := range []engine.VerifyInput{
		{KeyID: s.sign, Message: msg, Signature: out.Signature, SigningAlgorithm: engine.SM2DSA},
		{KeyID: s.sign, Message: e0, MessageType: engine.MessageDigest, Signature: out.Signature, SigningAlgorithm: engine.SM2DSA},
	} {
		v, err := e.Verify(cnNorthwest, in)
		require.NoError(t, err, in.MessageType)
		assert.True(t, v.SignatureValid)
		assert.Equal(t, cnARN("cn-northwest-1", s.sign), v.KeyID)
	}
	_, err = e.Verify(cnNorth, engine.VerifyInput{KeyID: s.sign, Message: []byte("other"), Signature: out.Signature, SigningAlgorithm: engine.SM2DSA})
	requireAPIError(t, err, "KMSInvalidSignatureException", "")

	// A caller with its own distinguishing ID sends e as a DIGEST; KMS
	// signs e as is, so the signature verifies offline with that ID.
	uid := []byte("alice@example.cn")
	d := offlineDigest(t, pub, uid, msg)
	ds, err := e.Sign(cnNorthwest, engine.SignInput{KeyID: s.sign, Message: d, MessageType: engine.MessageDigest, SigningAlgorithm: engine.SM2DSA})
	require.NoError(t, err)
	assert.True(t, sm2.VerifyASN1WithSM2(pub, uid, msg, ds.Signature))
	assert.True(t, sm2.VerifyASN1(pub, d, ds.Signature))
	_, err = e.Verify(cnNorth, engine.VerifyInput{KeyID: s.sign, Message: msg, Signature: ds.Signature, SigningAlgorithm: engine.SM2DSA})
	requireAPIError(t, err, "KMSInvalidSignatureException", "")

	// A signature made offline with gmsm verifies in KMS? Only the holder
	// of the private key can make one; an ECDSA-style signature over the
	// same digest does not verify as SM2.
	ecdsaPK, err := e.GetPublicKey(cnNorth, engine.GetPublicKeyInput{KeyID: s.p256})
	require.NoError(t, err)
	assert.NotEqual(t, ecdsaPK.PublicKey, pk.PublicKey)
}

func TestSM2Errors(t *testing.T) {
	s := sm2Keys(t)
	e := s.env.Engine
	signARN, encARN := cnARN("cn-north-1", s.sign), cnARN("cn-north-1", s.enc)
	enc, err := e.Encrypt(cnNorth, engine.EncryptInput{KeyID: s.enc, Plaintext: []byte("p"), EncryptionAlgorithm: engine.SM2PKE})
	require.NoError(t, err)
	sig, err := e.Sign(cnNorth, engine.SignInput{KeyID: s.sign, Message: []byte("m"), SigningAlgorithm: engine.SM2DSA})
	require.NoError(t, err)
	const dry = "The request would have succeeded, but the DryRun option is set."
	cases := []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"ECDSA on an SM2 key", func() error {
			_, err := e.Sign(cnNorth, engine.SignInput{KeyID: s.sign, Message: []byte("m"), SigningAlgorithm: engine.ECDSASHA256})
			return err
		}, "InvalidKeyUsageException", "Algorithm ECDSA_SHA_256 is incompatible with key spec SM2."},
		{"SM2DSA on a P-256 key", func() error {
			_, err := e.Sign(cnNorth, engine.SignInput{KeyID: s.p256, Message: []byte("m"), SigningAlgorithm: engine.SM2DSA})
			return err
		}, "InvalidKeyUsageException", "Algorithm SM2DSA is incompatible with key spec ECC_NIST_P256."},
		{"digest of 31 bytes", func() error {
			_, err := e.Sign(cnNorth, engine.SignInput{KeyID: s.sign, Message: make([]byte, 31), MessageType: engine.MessageDigest, SigningAlgorithm: engine.SM2DSA})
			return err
		}, "ValidationException", "Digest is invalid length for algorithm SM2DSA."},
		{"verify digest of 33 bytes", func() error {
			_, err := e.Verify(cnNorth, engine.VerifyInput{KeyID: s.sign, Message: make([]byte, 33), MessageType: engine.MessageDigest, Signature: sig.Signature, SigningAlgorithm: engine.SM2DSA})
			return err
		}, "ValidationException", "Digest is invalid length for algorithm SM2DSA."},
		{"EXTERNAL_MU", func() error {
			_, err := e.Sign(cnNorth, engine.SignInput{KeyID: s.sign, Message: make([]byte, 64), MessageType: engine.MessageExternalMu, SigningAlgorithm: engine.SM2DSA})
			return err
		}, "ValidationException", "Message type EXTERNAL_MU is incompatible with algorithm SM2DSA."},
		{"sign with an encryption key", func() error {
			_, err := e.Sign(cnNorth, engine.SignInput{KeyID: s.enc, Message: []byte("m"), SigningAlgorithm: engine.SM2DSA})
			return err
		}, "InvalidKeyUsageException", encARN + " key usage is ENCRYPT_DECRYPT which is not valid for Sign."},
		{"encrypt with a signing key", func() error {
			_, err := e.Encrypt(cnNorth, engine.EncryptInput{KeyID: s.sign, Plaintext: []byte("p"), EncryptionAlgorithm: engine.SM2PKE})
			return err
		}, "InvalidKeyUsageException", signARN + " key usage is SIGN_VERIFY which is not valid for Encrypt."},
		{"encrypt without an algorithm", func() error {
			_, err := e.Encrypt(cnNorth, engine.EncryptInput{KeyID: s.enc, Plaintext: []byte("p")})
			return err
		}, "InvalidKeyUsageException", "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec SM2."},
		{"encrypt with OAEP", func() error {
			_, err := e.Encrypt(cnNorth, engine.EncryptInput{KeyID: s.enc, Plaintext: []byte("p"), EncryptionAlgorithm: engine.RSAESOAEPSHA256})
			return err
		}, "InvalidKeyUsageException", "Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SM2."},
		{"SM2PKE on a symmetric key", func() error {
			_, err := e.Encrypt(cnNorth, engine.EncryptInput{KeyID: s.sym, Plaintext: []byte("p"), EncryptionAlgorithm: engine.SM2PKE})
			return err
		}, "InvalidKeyUsageException", "Algorithm SM2PKE is incompatible with key spec SYMMETRIC_DEFAULT."},
		{"1025 bytes", func() error {
			_, err := e.Encrypt(cnNorth, engine.EncryptInput{KeyID: s.enc, Plaintext: make([]byte, 1025), EncryptionAlgorithm: engine.SM2PKE})
			return err
		}, "ValidationException", "Algorithm SM2PKE and key spec SM2 cannot encrypt data larger than 1024 bytes."},
		{"encryption context", func() error {
			_, err := e.Encrypt(cnNorth, engine.EncryptInput{KeyID: s.enc, Plaintext: []byte("p"), EncryptionAlgorithm: engine.SM2PKE, EncryptionContext: map[string]string{"k": "v"}})
			return err
		}, "ValidationException", "EncryptionContext is not supported with asymmetric KMS keys."},
		{"decrypt with a context", func() error {
			_, err := e.Decrypt(cnNorth, engine.DecryptInput{KeyID: s.enc, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: engine.SM2PKE, EncryptionContext: map[string]string{"k": "v"}})
			return err
		}, "ValidationException", "EncryptionContext is not supported with asymmetric KMS keys."},
		{"decrypt without KeyId", func() error {
			_, err := e.Decrypt(cnNorth, engine.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: engine.SM2PKE})
			return err
		}, "InvalidCiphertextException", ""},
		{"decrypt with SYMMETRIC_DEFAULT", func() error {
			_, err := e.Decrypt(cnNorth, engine.DecryptInput{KeyID: s.enc, CiphertextBlob: enc.CiphertextBlob})
			return err
		}, "InvalidKeyUsageException", "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec SM2."},
		{"decrypt raw C1C3C2", func() error {
			pk, err := e.GetPublicKey(cnNorth, engine.GetPublicKeyInput{KeyID: s.enc})
			require.NoError(t, err)
			raw, err := sm2.Encrypt(rand.Reader, sm2PublicKey(t, pk.PublicKey), []byte("p"), nil)
			require.NoError(t, err)
			_, err = e.Decrypt(cnNorth, engine.DecryptInput{KeyID: s.enc, CiphertextBlob: raw, EncryptionAlgorithm: engine.SM2PKE})
			return err
		}, "InvalidCiphertextException", ""},
		{"decrypt tampered", func() error {
			b := slices.Clone(enc.CiphertextBlob)
			b[len(b)-1] ^= 1
			_, err := e.Decrypt(cnNorth, engine.DecryptInput{KeyID: s.enc, CiphertextBlob: b, EncryptionAlgorithm: engine.SM2PKE})
			return err
		}, "InvalidCiphertextException", ""},
		{"decrypt with the symmetric key", func() error {
			_, err := e.Decrypt(cnNorth, engine.DecryptInput{KeyID: s.sym, CiphertextBlob: enc.CiphertextBlob})
			return err
		}, "InvalidCiphertextException", ""},
		{"Sign DryRun", func() error {
			_, err := e.Sign(cnNorth, engine.SignInput{KeyID: s.sign, Message: []byte("m"), SigningAlgorithm: engine.SM2DSA, DryRun: true})
			return err
		}, "DryRunOperationException", dry},
		{"Verify DryRun", func() error {
			_, err := e.Verify(cnNorth, engine.VerifyInput{KeyID: s.sign, Message: []byte("m"), Signature: []byte("not checked"), SigningAlgorithm: engine.SM2DSA, DryRun: true})
			return err
		}, "DryRunOperationException", dry},
		{"Encrypt DryRun", func() error {
			_, err := e.Encrypt(cnNorth, engine.EncryptInput{KeyID: s.enc, Plaintext: []byte("p"), EncryptionAlgorithm: engine.SM2PKE, DryRun: true})
			return err
		}, "DryRunOperationException", dry},
		{"Decrypt DryRun", func() error {
			_, err := e.Decrypt(cnNorth, engine.DecryptInput{KeyID: s.enc, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: engine.SM2PKE, DryRun: true})
			return err
		}, "DryRunOperationException", dry},
		{"SM2 data key pair outside aws-cn", func() error {
			k, err := e.CreateKey(s.env.Caller(cryptoHome), engine.CreateKeyInput{})
			require.NoError(t, err)
			_, err = e.GenerateDataKeyPair(s.env.Caller(cryptoHome), engine.GenerateDataKeyPairInput{KeyID: k.KeyMetadata.KeyID, KeyPairSpec: keystore.SM2})
			return err
		}, "ValidationException", "KeyPairSpec SM2 is not supported in this AWS partition."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			requireAPIError(t, tc.call(), tc.code, tc.msg)
		})
	}
}

func TestSM2EncryptDecrypt(t *testing.T) {
	s := sm2Keys(t)
	e := s.env.Engine
	pk, err := e.GetPublicKey(cnNorthwest, engine.GetPublicKeyInput{KeyID: s.enc})
	require.NoError(t, err)
	assert.Equal(t, keystore.EncryptDecrypt, pk.KeyUsage)
	assert.Equal(t, []string{engine.SM2PKE}, pk.EncryptionAlgorithms)
	assert.Empty(t, pk.SigningAlgorithms)
	pub := sm2PublicKey(t, pk.PublicKey)

	for _, n := range []int{1, 32, 1024} {
		p := bytes.Repeat([]byte{byte(n)}, n)
		out, err := e.Encrypt(cnNorth, engine.EncryptInput{KeyID: s.enc, Plaintext: p, EncryptionAlgorithm: engine.SM2PKE})
		require.NoError(t, err, n)
		assert.Equal(t, engine.SM2PKE, out.EncryptionAlgorithm)
		// ASN.1 SEQUENCE { x, y, C3, C2 }: C2 as long as the plaintext.
		assert.Equal(t, byte(0x30), out.CiphertextBlob[0])
		assert.Less(t, len(out.CiphertextBlob), n+120)
		// The related key in the other Region decrypts.
		dec, err := e.Decrypt(cnNorthwest, engine.DecryptInput{KeyID: s.enc, CiphertextBlob: out.CiphertextBlob, EncryptionAlgorithm: engine.SM2PKE})
		require.NoError(t, err, n)
		assert.Equal(t, p, dec.Plaintext)
		assert.Equal(t, cnARN("cn-northwest-1", s.enc), dec.KeyID)
		assert.Empty(t, dec.KeyMaterialID, "KMS names the material of symmetric keys only")
	}

	// Offline encryption with gmsm against GetPublicKey, as KMS's guide
	// describes (ASN.1 form), decrypts in KMS.
	offline, err := sm2.EncryptASN1(rand.Reader, pub, []byte("encrypted offline"))
	require.NoError(t, err)
	dec, err := e.Decrypt(cnNorth, engine.DecryptInput{KeyID: s.enc, CiphertextBlob: offline, EncryptionAlgorithm: engine.SM2PKE})
	require.NoError(t, err)
	assert.Equal(t, []byte("encrypted offline"), dec.Plaintext)

	// ReEncrypt from SM2 to a symmetric key and back.
	re, err := e.ReEncrypt(cnNorth, engine.ReEncryptInput{CiphertextBlob: offline, SourceKeyID: s.enc, SourceEncryptionAlgorithm: engine.SM2PKE, DestinationKeyID: s.sym})
	require.NoError(t, err)
	back, err := e.ReEncrypt(cnNorth, engine.ReEncryptInput{CiphertextBlob: re.CiphertextBlob, DestinationKeyID: s.enc, DestinationEncryptionAlgorithm: engine.SM2PKE})
	require.NoError(t, err)
	assert.Equal(t, engine.SM2PKE, back.DestinationEncryptionAlgorithm)
	dec, err = e.Decrypt(cnNorthwest, engine.DecryptInput{KeyID: s.enc, CiphertextBlob: back.CiphertextBlob, EncryptionAlgorithm: engine.SM2PKE})
	require.NoError(t, err)
	assert.Equal(t, []byte("encrypted offline"), dec.Plaintext)
	big := make([]byte, 1025)
	symBig, err := e.Encrypt(cnNorth, engine.EncryptInput{KeyID: s.sym, Plaintext: big})
	require.NoError(t, err)
	_, err = e.ReEncrypt(cnNorth, engine.ReEncryptInput{CiphertextBlob: symBig.CiphertextBlob, DestinationKeyID: s.enc, DestinationEncryptionAlgorithm: engine.SM2PKE})
	requireAPIError(t, err, "ValidationException", "Algorithm SM2PKE and key spec SM2 cannot encrypt data larger than 1024 bytes.")
}

func TestSM2DataKeyPair(t *testing.T) {
	s := sm2Keys(t)
	e := s.env.Engine
	ctx := map[string]string{"pair": "sm2"}
	out, err := e.GenerateDataKeyPair(cnNorth, engine.GenerateDataKeyPairInput{KeyID: s.sym, KeyPairSpec: keystore.SM2, EncryptionContext: ctx})
	require.NoError(t, err)
	assert.Equal(t, keystore.SM2, out.KeyPairSpec)
	pub := sm2PublicKey(t, out.PublicKey)
	key, err := smx509.ParsePKCS8PrivateKey(out.PrivateKeyPlaintext)
	require.NoError(t, err)
	priv, ok := key.(*sm2.PrivateKey)
	require.True(t, ok, "%T", key)
	assert.True(t, priv.PublicKey.Equal(pub))
	sig, err := priv.Sign(rand.Reader, []byte("m"), sm2.NewSM2SignerOption(true, nil))
	require.NoError(t, err)
	assert.True(t, sm2.VerifyASN1WithSM2(pub, nil, []byte("m"), sig))
	dec, err := e.Decrypt(cnNorth, engine.DecryptInput{CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext: ctx})
	require.NoError(t, err)
	assert.Equal(t, out.PrivateKeyPlaintext, dec.Plaintext)

	wo, err := e.GenerateDataKeyPairWithoutPlaintext(cnNorth, engine.GenerateDataKeyPairWithoutPlaintextInput{KeyID: s.sym, KeyPairSpec: keystore.SM2})
	require.NoError(t, err)
	dec, err = e.Decrypt(cnNorth, engine.DecryptInput{CiphertextBlob: wo.PrivateKeyCiphertextBlob})
	require.NoError(t, err)
	key, err = smx509.ParsePKCS8PrivateKey(dec.Plaintext)
	require.NoError(t, err)
	assert.True(t, key.(*sm2.PrivateKey).PublicKey.Equal(sm2PublicKey(t, wo.PublicKey)))
	assert.NotEqual(t, out.PublicKey, wo.PublicKey, "every call makes a new pair")
}

// TestSM2Property: for any message, Verify(Sign(m)) holds in either
// Region, and changing a byte of the message or the signature fails with
// KMSInvalidSignatureException; for any plaintext up to 1024 bytes,
// Decrypt(Encrypt(p)) = p in either Region, and a changed ciphertext byte
// is InvalidCiphertextException.
func TestSM2Property(t *testing.T) {
	s := sm2Keys(t)
	e := s.env.Engine
	callers := []engine.Caller{cnNorth, cnNorthwest}
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.SampledFrom(callers).Draw(t, "signer")
		b := rapid.SampledFrom(callers).Draw(t, "verifier")
		msg := rapid.SliceOfN(rapid.Byte(), 1, 4096).Draw(t, "message")
		out, err := e.Sign(a, engine.SignInput{KeyID: s.sign, Message: msg, SigningAlgorithm: engine.SM2DSA})
		if err != nil {
			t.Fatalf("Sign: %v", err)
		}
		verify := func(m, sig []byte) error {
			_, err := e.Verify(b, engine.VerifyInput{KeyID: s.sign, Message: m, Signature: sig, SigningAlgorithm: engine.SM2DSA})
			return err
		}
		if err := verify(msg, out.Signature); err != nil {
			t.Fatalf("Verify of a fresh signature: %v", err)
		}
		var bad *kmserrors.KMSInvalidSignatureException
		m2 := slices.Clone(msg)
		m2[rapid.IntRange(0, len(m2)-1).Draw(t, "message byte")] ^= byte(rapid.IntRange(1, 255).Draw(t, "xor"))
		if err := verify(m2, out.Signature); !errors.As(err, &bad) {
			t.Fatalf("changed message: got %v", err)
		}
		s2 := slices.Clone(out.Signature)
		s2[rapid.IntRange(0, len(s2)-1).Draw(t, "signature byte")] ^= byte(rapid.IntRange(1, 255).Draw(t, "xor2"))
		if err := verify(msg, s2); !errors.As(err, &bad) {
			t.Fatalf("changed signature: got %v", err)
		}

		p := rapid.SliceOfN(rapid.Byte(), 1, 1024).Draw(t, "plaintext")
		enc, err := e.Encrypt(a, engine.EncryptInput{KeyID: s.enc, Plaintext: p, EncryptionAlgorithm: engine.SM2PKE})
		if err != nil {
			t.Fatalf("Encrypt: %v", err)
		}
		dec, err := e.Decrypt(b, engine.DecryptInput{KeyID: s.enc, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: engine.SM2PKE})
		if err != nil || !bytes.Equal(dec.Plaintext, p) {
			t.Fatalf("Decrypt: %v", err)
		}
		c2 := slices.Clone(enc.CiphertextBlob)
		c2[rapid.IntRange(0, len(c2)-1).Draw(t, "ciphertext byte")] ^= byte(rapid.IntRange(1, 255).Draw(t, "xor3"))
		var inv *kmserrors.InvalidCiphertextException
		if _, err := e.Decrypt(b, engine.DecryptInput{KeyID: s.enc, CiphertextBlob: c2, EncryptionAlgorithm: engine.SM2PKE}); !errors.As(err, &inv) {
			t.Fatalf("changed ciphertext: got %v", err)
		}
	})
}

// recordingReader remembers every byte the engine reads from it.
type recordingReader struct {
	r   *randv2.ChaCha8
	log []byte
}

func (rr *recordingReader) Read(b []byte) (int, error) {
	n, err := rr.r.Read(b)
	rr.log = append(rr.log, b[:n]...)
	return n, err
}

// TestSM2SecretsStayInTheEngine: the private scalar of an SM2 key shows
// in no response, error or event. The test recovers the scalar from what
// the engine read of Config.Rand: the key's material seed is 32 of those
// bytes, and the scalar the first accepted draw of ChaCha8(seed), which
// the KeyMaterialId (SHA-256 of key ID ‖ scalar) confirms.
func TestSM2SecretsStayInTheEngine(t *testing.T) {
	rr := &recordingReader{r: randv2.NewChaCha8([32]byte{3})}
	clock := kmstest.NewClock(kmstest.Start)
	env := &kmstest.Env{Engine: engine.New(engine.Config{Clock: clock, Rand: rr}), Clock: clock}
	e := env.Engine
	require.NoError(t, e.CreateAccount(engine.AccountInput{ID: cnAccount, Partition: "aws-cn"}))
	var outputs []any
	record := func(out any, err error) {
		if err != nil {
			outputs = append(outputs, err, err.Error())
			return
		}
		outputs = append(outputs, out)
	}
	var scalars [][]byte
	var ids []string
	for _, u := range []keystore.KeyUsage{keystore.SignVerify, keystore.EncryptDecrypt} {
		out, err := e.CreateKey(cnNorth, engine.CreateKeyInput{KeySpec: keystore.SM2, KeyUsage: u, MultiRegion: true})
		require.NoError(t, err)
		record(out, err)
		id := out.KeyMetadata.KeyID
		ids = append(ids, id)
		record(e.ReplicateKey(cnNorth, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "cn-northwest-1"}))
		var mat *keystore.Material
		for _, v := range e.KeyValues(cnAccount, "cn-north-1", id) {
			if m, ok := v.(*keystore.Material); ok {
				mat = m
			}
		}
		if mat == nil { // made on first use
			record(e.GetPublicKey(cnNorth, engine.GetPublicKeyInput{KeyID: id}))
			for _, v := range e.KeyValues(cnAccount, "cn-north-1", id) {
				if m, ok := v.(*keystore.Material); ok {
					mat = m
				}
			}
		}
		require.NotNil(t, mat)
		var found []byte
		for i := 0; i+32 <= len(rr.log) && found == nil; i++ {
			d := make([]byte, 32)
			_, _ = randv2.NewChaCha8([32]byte(rr.log[i : i+32])).Read(d)
			if keystore.MaterialID(id, d) == mat.ID {
				found = d
			}
		}
		require.NotNil(t, found, "the scalar of %s", id)
		scalars = append(scalars, found)
	}
	env.Settle()
	sign, enc := ids[0], ids[1]
	secret := []byte("SM2 PLAINTEXT 0123456789abcdef")
	for _, c := range []engine.Caller{cnNorth, cnNorthwest} {
		record(e.GetPublicKey(c, engine.GetPublicKeyInput{KeyID: sign}))
		record(e.GetPublicKey(c, engine.GetPublicKeyInput{KeyID: enc}))
		sig, err := e.Sign(c, engine.SignInput{KeyID: sign, Message: secret, SigningAlgorithm: engine.SM2DSA})
		require.NoError(t, err)
		record(sig, err)
		record(e.Verify(c, engine.VerifyInput{KeyID: sign, Message: secret, Signature: sig.Signature, SigningAlgorithm: engine.SM2DSA}))
		record(e.Verify(c, engine.VerifyInput{KeyID: sign, Message: []byte("x"), Signature: sig.Signature, SigningAlgorithm: engine.SM2DSA}))
		ct, err := e.Encrypt(c, engine.EncryptInput{KeyID: enc, Plaintext: secret, EncryptionAlgorithm: engine.SM2PKE})
		require.NoError(t, err)
		record(ct, err)
		record(e.Decrypt(c, engine.DecryptInput{KeyID: enc, CiphertextBlob: ct.CiphertextBlob, EncryptionAlgorithm: engine.SM2PKE}))
		record(e.Decrypt(c, engine.DecryptInput{KeyID: enc, CiphertextBlob: ct.CiphertextBlob[1:], EncryptionAlgorithm: engine.SM2PKE}))
		record(e.Encrypt(c, engine.EncryptInput{KeyID: enc, Plaintext: make([]byte, 2000), EncryptionAlgorithm: engine.SM2PKE}))
	}
	var texts []string
	for _, o := range outputs {
		texts = append(texts, fmt.Sprintf("%v %+v %#v", o, o, o), secDump(o))
	}
	for _, ev := range e.Events() {
		texts = append(texts, secDump(ev))
	}
	for _, id := range ids {
		for _, r := range []region.ID{"cn-north-1", "cn-northwest-1"} {
			for _, v := range e.KeyValues(cnAccount, r, id) {
				texts = append(texts, secDump(v))
			}
		}
	}
	all := strings.Join(texts, "\n")
	for _, d := range scalars {
		for _, f := range secForms(d) {
			require.NotContains(t, all, f)
		}
		require.Contains(t, "x"+secForms(d)[1]+"y", secForms(d)[1], "the forms are searchable")
	}
	t.Logf("%d texts scanned", len(texts))
}
