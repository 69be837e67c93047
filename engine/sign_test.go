package engine_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cloudflare/circl/sign/mldsa/mldsa44"
	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
)

// signingSpecs lists every key spec kmsim can sign with in the aws
// partition and its algorithms (spec §3.4). SM2 keys exist only in
// aws-cn; sm2_test.go runs the same checks and property there.
func signingSpecs() map[keystore.KeySpec][]string {
	out := map[keystore.KeySpec][]string{}
	for _, s := range keystore.KeySpecs {
		if s == keystore.SM2 || !s.Allows(keystore.SignVerify) {
			continue
		}
		out[s] = s.Algorithms(keystore.SignVerify).Signing
	}
	return out
}

// signingEnv is one engine with a SIGN_VERIFY key of every spec, made
// once: RSA key generation is slow.
type signingEnv struct {
	env  *kmstest.Env
	keys map[keystore.KeySpec]string
}

var (
	sharedSigning     *signingEnv
	sharedSigningOnce sync.Once
)

func signingKeys(t testing.TB) *signingEnv {
	sharedSigningOnce.Do(func() {
		env := kmstest.NewEnv(t, kmstest.Seed(42))
		s := &signingEnv{env: env, keys: map[keystore.KeySpec]string{}}
		for spec := range signingSpecs() {
			out, err := env.Engine.CreateKey(env.Caller(cryptoHome), engine.CreateKeyInput{KeySpec: spec, KeyUsage: keystore.SignVerify})
			require.NoError(t, err)
			s.keys[spec] = out.KeyMetadata.KeyID
		}
		sharedSigning = s
	})
	return sharedSigning
}

// digestOf hashes m the way alg's RAW message type does.
func digestOf(alg string, m []byte) []byte {
	var h crypto.Hash
	switch {
	case strings.HasSuffix(alg, "SHA_256"):
		h = crypto.SHA256
	case strings.HasSuffix(alg, "SHA_384"):
		h = crypto.SHA384
	default:
		h = crypto.SHA512
	}
	d := h.New()
	d.Write(m)
	return d.Sum(nil)
}

// stdVerify checks sig with libraries outside kmsim against the DER
// public key GetPublicKey returned: what a real verifier would do.
func stdVerify(t *testing.T, der []byte, alg string, msg, sig []byte) bool {
	t.Helper()
	var f struct {
		Algorithm struct {
			Algorithm  asn1.ObjectIdentifier
			Parameters asn1.RawValue `asn1:"optional"`
		}
		PublicKey asn1.BitString
	}
	_, err := asn1.Unmarshal(der, &f)
	require.NoError(t, err)
	switch f.Algorithm.Algorithm.String() {
	case "2.16.840.1.101.3.4.3.17":
		var pk mldsa44.PublicKey
		require.NoError(t, pk.UnmarshalBinary(f.PublicKey.Bytes))
		return mldsa44.Verify(&pk, msg, nil, sig)
	case "2.16.840.1.101.3.4.3.18":
		var pk mldsa65.PublicKey
		require.NoError(t, pk.UnmarshalBinary(f.PublicKey.Bytes))
		return mldsa65.Verify(&pk, msg, nil, sig)
	case "2.16.840.1.101.3.4.3.19":
		var pk mldsa87.PublicKey
		require.NoError(t, pk.UnmarshalBinary(f.PublicKey.Bytes))
		return mldsa87.Verify(&pk, msg, nil, sig)
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil { // secp256k1, which x509 does not know
		pk, err := secp256k1.ParsePubKey(f.PublicKey.Bytes)
		require.NoError(t, err)
		s, err := secpecdsa.ParseDERSignature(sig)
		return err == nil && s.Verify(digestOf(alg, msg), pk)
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		h := map[int]crypto.Hash{32: crypto.SHA256, 48: crypto.SHA384, 64: crypto.SHA512}[len(digestOf(alg, msg))]
		if strings.HasPrefix(alg, "RSASSA_PSS") {
			return rsa.VerifyPSS(k, h, digestOf(alg, msg), sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}) == nil
		}
		return rsa.VerifyPKCS1v15(k, h, digestOf(alg, msg), sig) == nil
	case *ecdsa.PublicKey:
		return ecdsa.VerifyASN1(k, digestOf(alg, msg), sig)
	case ed25519.PublicKey:
		return ed25519.Verify(k, msg, sig)
	}
	t.Fatalf("unexpected public key %T", pub)
	return false
}

// TestSignVerifyEveryAlgorithm signs with every algorithm of every spec,
// verifies with Verify and with standard verifiers against GetPublicKey,
// and checks the DIGEST forms.
func TestSignVerifyEveryAlgorithm(t *testing.T) {
	s := signingKeys(t)
	c := s.env.Caller(cryptoHome)
	msg := []byte("the message KMS signs")
	for spec, algs := range signingSpecs() {
		id := s.keys[spec]
		pk, err := s.env.Engine.GetPublicKey(c, engine.GetPublicKeyInput{KeyID: id})
		require.NoError(t, err, spec)
		assert.Equal(t, spec, pk.KeySpec)
		assert.Equal(t, keystore.SignVerify, pk.KeyUsage)
		assert.Equal(t, algs, pk.SigningAlgorithms)
		assert.Empty(t, pk.EncryptionAlgorithms)
		assert.Equal(t, keyARN(cryptoHome, id), pk.KeyID)
		if spec.InCustomerMasterKeySpecEnum() {
			assert.Equal(t, spec, pk.CustomerMasterKeySpec)
		} else {
			assert.Empty(t, pk.CustomerMasterKeySpec)
		}
		for _, alg := range algs {
			t.Run(string(spec)+"/"+alg, func(t *testing.T) {
				msgType, signed := engine.MessageRaw, msg
				if alg == engine.ED25519PHSHA512 {
					d := sha512.Sum512(msg)
					msgType, signed = engine.MessageDigest, d[:]
				}
				out, err := s.env.Engine.Sign(c, engine.SignInput{KeyID: id, Message: signed, MessageType: msgType, SigningAlgorithm: alg})
				require.NoError(t, err)
				assert.Equal(t, alg, out.SigningAlgorithm)
				assert.Equal(t, keyARN(cryptoHome, id), out.KeyID)
				v, err := s.env.Engine.Verify(c, engine.VerifyInput{KeyID: id, Message: signed, MessageType: msgType, Signature: out.Signature, SigningAlgorithm: alg})
				require.NoError(t, err)
				assert.True(t, v.SignatureValid)
				switch alg {
				case engine.ED25519PHSHA512:
					// Ed25519ph over the caller's digest: KMS hashes it again.
					ph := sha512.Sum512(signed)
					key, err := x509.ParsePKIXPublicKey(pk.PublicKey)
					require.NoError(t, err)
					assert.NoError(t, ed25519.VerifyWithOptions(key.(ed25519.PublicKey), ph[:], out.Signature, &ed25519.Options{Hash: crypto.SHA512}))
				default:
					assert.True(t, stdVerify(t, pk.PublicKey, alg, msg, out.Signature), "standard verifier")
				}
				if strings.HasPrefix(alg, "RSASSA_") || strings.HasPrefix(alg, "ECDSA_") {
					// A RAW signature verifies as DIGEST of the same hash,
					// and a DIGEST signature as RAW.
					d := digestOf(alg, msg)
					_, err := s.env.Engine.Verify(c, engine.VerifyInput{KeyID: id, Message: d, MessageType: engine.MessageDigest, Signature: out.Signature, SigningAlgorithm: alg})
					require.NoError(t, err)
					ds, err := s.env.Engine.Sign(c, engine.SignInput{KeyID: id, Message: d, MessageType: engine.MessageDigest, SigningAlgorithm: alg})
					require.NoError(t, err)
					_, err = s.env.Engine.Verify(c, engine.VerifyInput{KeyID: id, Message: msg, Signature: ds.Signature, SigningAlgorithm: alg})
					require.NoError(t, err)
				}
			})
		}
	}
}

func TestSignErrors(t *testing.T) {
	s := signingKeys(t)
	env := s.env
	c := env.Caller(cryptoHome)
	sym, err := env.Engine.CreateKey(c, engine.CreateKeyInput{})
	require.NoError(t, err)
	hmacKey, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC})
	require.NoError(t, err)
	rsaEnc, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: keystore.RSA2048, KeyUsage: keystore.EncryptDecrypt})
	require.NoError(t, err)
	agree, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: keystore.ECCNISTP256, KeyUsage: keystore.KeyAgreement})
	require.NoError(t, err)
	arn := func(id string) string { return keyARN(cryptoHome, id) }
	msg := []byte("m")
	usage := func(id string, u keystore.KeyUsage, op string) string {
		return fmt.Sprintf("%s key usage is %s which is not valid for %s.", arn(id), u, op)
	}
	type tc struct {
		name    string
		in      engine.SignInput
		code    string
		message string
	}
	cases := []tc{
		{"symmetric key", engine.SignInput{KeyID: sym.KeyMetadata.KeyID, Message: msg, SigningAlgorithm: engine.ECDSASHA256},
			"InvalidKeyUsageException", usage(sym.KeyMetadata.KeyID, keystore.EncryptDecrypt, "Sign")},
		{"HMAC key", engine.SignInput{KeyID: hmacKey.KeyMetadata.KeyID, Message: msg, SigningAlgorithm: engine.RSASSAPSSSHA256},
			"InvalidKeyUsageException", usage(hmacKey.KeyMetadata.KeyID, keystore.GenerateVerifyMAC, "Sign")},
		{"RSA encryption key", engine.SignInput{KeyID: rsaEnc.KeyMetadata.KeyID, Message: msg, SigningAlgorithm: engine.RSASSAPSSSHA256},
			"InvalidKeyUsageException", usage(rsaEnc.KeyMetadata.KeyID, keystore.EncryptDecrypt, "Sign")},
		{"key agreement key", engine.SignInput{KeyID: agree.KeyMetadata.KeyID, Message: msg, SigningAlgorithm: engine.ECDSASHA256},
			"InvalidKeyUsageException", usage(agree.KeyMetadata.KeyID, keystore.KeyAgreement, "Sign")},
		{"no algorithm", engine.SignInput{KeyID: sym.KeyMetadata.KeyID, Message: msg},
			"ValidationException", "1 validation error detected: Value null at 'signingAlgorithm' failed to satisfy constraint: Member must not be null"},
		{"unknown algorithm", engine.SignInput{KeyID: sym.KeyMetadata.KeyID, Message: msg, SigningAlgorithm: "RSA"},
			"ValidationException", "1 validation error detected: Value 'RSA' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RSASSA_PSS_SHA_256, RSASSA_PSS_SHA_384, RSASSA_PSS_SHA_512, RSASSA_PKCS1_V1_5_SHA_256, RSASSA_PKCS1_V1_5_SHA_384, RSASSA_PKCS1_V1_5_SHA_512, ECDSA_SHA_256, ECDSA_SHA_384, ECDSA_SHA_512, SM2DSA, ML_DSA_SHAKE_256, ED25519_SHA_512, ED25519_PH_SHA_512]"},
		{"unknown message type", engine.SignInput{KeyID: sym.KeyMetadata.KeyID, Message: msg, MessageType: "HASH", SigningAlgorithm: engine.ECDSASHA256},
			"ValidationException", "1 validation error detected: Value 'HASH' at 'messageType' failed to satisfy constraint: Member must satisfy enum value set: [RAW, DIGEST, EXTERNAL_MU]"},
		{"message too long", engine.SignInput{KeyID: sym.KeyMetadata.KeyID, Message: make([]byte, 4097), SigningAlgorithm: engine.ECDSASHA256},
			"ValidationException", "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096"},
		{"no message", engine.SignInput{KeyID: sym.KeyMetadata.KeyID, SigningAlgorithm: engine.ECDSASHA256},
			"ValidationException", "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null"},
		{"DryRun", engine.SignInput{KeyID: s.keys[keystore.ECCNISTP256], Message: msg, SigningAlgorithm: engine.ECDSASHA256, DryRun: true},
			"DryRunOperationException", "The request would have succeeded, but the DryRun option is set."},
		{"EXTERNAL_MU", engine.SignInput{KeyID: s.keys[keystore.MLDSA65], Message: make([]byte, 64), MessageType: engine.MessageExternalMu, SigningAlgorithm: engine.MLDSASHAKE256},
			"UnsupportedOperationException", "kmsim does not support MessageType EXTERNAL_MU: its ML-DSA library cannot sign an external μ."},
		{"EXTERNAL_MU of 63 bytes", engine.SignInput{KeyID: s.keys[keystore.MLDSA44], Message: make([]byte, 63), MessageType: engine.MessageExternalMu, SigningAlgorithm: engine.MLDSASHAKE256},
			"ValidationException", "Digest is invalid length for algorithm ML_DSA_SHAKE_256."},
		{"ML-DSA DIGEST", engine.SignInput{KeyID: s.keys[keystore.MLDSA44], Message: make([]byte, 64), MessageType: engine.MessageDigest, SigningAlgorithm: engine.MLDSASHAKE256},
			"ValidationException", "Message type DIGEST is incompatible with algorithm ML_DSA_SHAKE_256."},
		{"Ed25519 DIGEST", engine.SignInput{KeyID: s.keys[keystore.ECCNISTEdwards25519], Message: make([]byte, 64), MessageType: engine.MessageDigest, SigningAlgorithm: engine.ED25519SHA512},
			"ValidationException", "Message type DIGEST is incompatible with algorithm ED25519_SHA_512."},
		{"Ed25519ph RAW", engine.SignInput{KeyID: s.keys[keystore.ECCNISTEdwards25519], Message: msg, SigningAlgorithm: engine.ED25519PHSHA512},
			"ValidationException", "Message type RAW is incompatible with algorithm ED25519_PH_SHA_512."},
		{"Ed25519ph short digest", engine.SignInput{KeyID: s.keys[keystore.ECCNISTEdwards25519], Message: make([]byte, 32), MessageType: engine.MessageDigest, SigningAlgorithm: engine.ED25519PHSHA512},
			"ValidationException", "Digest is invalid length for algorithm ED25519_PH_SHA_512."},
		{"ECDSA EXTERNAL_MU", engine.SignInput{KeyID: s.keys[keystore.ECCNISTP256], Message: make([]byte, 64), MessageType: engine.MessageExternalMu, SigningAlgorithm: engine.ECDSASHA256},
			"ValidationException", "Message type EXTERNAL_MU is incompatible with algorithm ECDSA_SHA_256."},
	}
	// Every algorithm a spec does not list, and every wrong digest length.
	for spec, algs := range signingSpecs() {
		for _, alg := range []string{engine.RSASSAPSSSHA256, engine.RSASSAPKCS1V15SHA512, engine.ECDSASHA256, engine.ECDSASHA384, engine.ECDSASHA512, engine.SM2DSA, engine.MLDSASHAKE256, engine.ED25519SHA512, engine.ED25519PHSHA512} {
			if slices.Contains(algs, alg) {
				continue
			}
			cases = append(cases, tc{fmt.Sprintf("%s with %s", spec, alg), engine.SignInput{KeyID: s.keys[spec], Message: msg, SigningAlgorithm: alg},
				"InvalidKeyUsageException", fmt.Sprintf("Algorithm %s is incompatible with key spec %s.", alg, spec)})
		}
		for _, alg := range algs {
			if !strings.HasPrefix(alg, "RSASSA_") && !strings.HasPrefix(alg, "ECDSA_") {
				continue
			}
			n := len(digestOf(alg, nil))
			for _, bad := range []int{1, n - 1, n + 1, 20} {
				cases = append(cases, tc{fmt.Sprintf("%s/%s digest of %d", spec, alg, bad), engine.SignInput{KeyID: s.keys[spec], Message: make([]byte, bad), MessageType: engine.MessageDigest, SigningAlgorithm: alg},
					"ValidationException", "Digest is invalid length for algorithm " + alg + "."})
			}
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.Engine.Sign(c, tc.in)
			requireAPIError(t, err, tc.code, tc.message)
			// Verify answers the same way before it looks at the signature.
			if !strings.Contains(tc.message, "validation error") {
				_, err = env.Engine.Verify(c, engine.VerifyInput{KeyID: tc.in.KeyID, Message: tc.in.Message, MessageType: tc.in.MessageType, SigningAlgorithm: tc.in.SigningAlgorithm, Signature: []byte("sig"), DryRun: tc.in.DryRun})
				requireAPIError(t, err, tc.code, strings.ReplaceAll(tc.message, "for Sign.", "for Verify."))
			}
		})
	}
}

// requireAPIError checks an error's KMS code and message.
func requireAPIError(t *testing.T, err error, code, msg string) {
	t.Helper()
	api, ok := kmserrors.As(err)
	require.True(t, ok, "got %v, want %s", err, code)
	assert.Equal(t, code, api.ErrorCode())
	assert.Equal(t, msg, api.ErrorMessage())
}

func TestGetPublicKeyErrors(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := env.Caller(cryptoHome)
	for _, in := range []engine.CreateKeyInput{{}, {KeySpec: keystore.HMAC384, KeyUsage: keystore.GenerateVerifyMAC}} {
		k, err := env.Engine.CreateKey(c, in)
		require.NoError(t, err)
		_, err = env.Engine.GetPublicKey(c, engine.GetPublicKeyInput{KeyID: k.KeyMetadata.KeyID})
		requireAPIError(t, err, "UnsupportedOperationException", fmt.Sprintf("%s key spec is %s which is not valid for GetPublicKey.", k.KeyMetadata.Arn, k.KeyMetadata.KeySpec))
	}
	k, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: keystore.ECCNISTP384, KeyUsage: keystore.KeyAgreement})
	require.NoError(t, err)
	pk, err := env.Engine.GetPublicKey(c, engine.GetPublicKeyInput{KeyID: k.KeyMetadata.Arn})
	require.NoError(t, err)
	assert.Equal(t, []string{"ECDH"}, pk.KeyAgreementAlgorithms)
	_, err = env.Engine.DisableKey(c, engine.DisableKeyInput{KeyID: k.KeyMetadata.KeyID})
	require.NoError(t, err)
	_, err = env.Engine.GetPublicKey(c, engine.GetPublicKeyInput{KeyID: k.KeyMetadata.KeyID})
	requireAPIError(t, err, "DisabledException", k.KeyMetadata.Arn+" is disabled.")
	_, err = env.Engine.GetPublicKey(c, engine.GetPublicKeyInput{})
	requireAPIError(t, err, "ValidationException", "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null")
}

// TestSignAcrossRegions: replicas share the key pair, so a signature of
// the primary verifies with a replica and GetPublicKey agrees.
func TestSignAcrossRegions(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := env.Caller(cryptoHome)
	out, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: keystore.ECCNISTP256, KeyUsage: keystore.SignVerify, MultiRegion: true})
	require.NoError(t, err)
	id := out.KeyMetadata.KeyID
	_, err = env.Engine.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"})
	require.NoError(t, err)
	west := env.Caller("us-west-2")
	// Still Creating: not usable (§4.3).
	_, err = env.Engine.Sign(west, engine.SignInput{KeyID: id, Message: []byte("m"), SigningAlgorithm: engine.ECDSASHA256})
	requireAPIError(t, err, "KMSInvalidStateException", keyARN("us-west-2", id)+" is creating.")
	env.Settle()
	sig, err := env.Engine.Sign(c, engine.SignInput{KeyID: id, Message: []byte("m"), SigningAlgorithm: engine.ECDSASHA256})
	require.NoError(t, err)
	v, err := env.Engine.Verify(west, engine.VerifyInput{KeyID: id, Message: []byte("m"), Signature: sig.Signature, SigningAlgorithm: engine.ECDSASHA256})
	require.NoError(t, err)
	assert.Equal(t, keyARN("us-west-2", id), v.KeyID)
	a, err := env.Engine.GetPublicKey(c, engine.GetPublicKeyInput{KeyID: id})
	require.NoError(t, err)
	b, err := env.Engine.GetPublicKey(west, engine.GetPublicKeyInput{KeyID: id})
	require.NoError(t, err)
	assert.Equal(t, a.PublicKey, b.PublicKey)
	_, err = env.Engine.Verify(west, engine.VerifyInput{KeyID: id, Message: []byte("n"), Signature: sig.Signature, SigningAlgorithm: engine.ECDSASHA256})
	requireAPIError(t, err, "KMSInvalidSignatureException", "")
}

// TestSignVerifyProperty: for every signing spec and algorithm,
// Verify(Sign(m)) holds, and changing any byte of the message or of the
// signature makes Verify fail with KMSInvalidSignatureException.
func TestSignVerifyProperty(t *testing.T) {
	s := signingKeys(t)
	c := s.env.Caller(cryptoHome)
	type pair struct {
		spec keystore.KeySpec
		alg  string
	}
	var pairs []pair
	for spec, algs := range signingSpecs() {
		// RSA_3072/4096 sign the same way as RSA_2048, only slower; the
		// table test covers them.
		if spec == keystore.RSA3072 || spec == keystore.RSA4096 {
			continue
		}
		for _, alg := range algs {
			pairs = append(pairs, pair{spec, alg})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int { return strings.Compare(string(a.spec)+a.alg, string(b.spec)+b.alg) })
	rapid.Check(t, func(t *rapid.T) {
		p := rapid.SampledFrom(pairs).Draw(t, "pair")
		msgType := engine.MessageRaw
		var msg []byte
		if p.alg == engine.ED25519PHSHA512 {
			msgType = engine.MessageDigest
			msg = rapid.SliceOfN(rapid.Byte(), 64, 64).Draw(t, "digest")
		} else {
			msg = rapid.SliceOfN(rapid.Byte(), 1, 4096).Draw(t, "message")
		}
		id := s.keys[p.spec]
		out, err := s.env.Engine.Sign(c, engine.SignInput{KeyID: id, Message: msg, MessageType: msgType, SigningAlgorithm: p.alg})
		if err != nil {
			t.Fatalf("Sign: %v", err)
		}
		verify := func(m, sig []byte) error {
			_, err := s.env.Engine.Verify(c, engine.VerifyInput{KeyID: id, Message: m, MessageType: msgType, Signature: sig, SigningAlgorithm: p.alg})
			return err
		}
		if err := verify(msg, out.Signature); err != nil {
			t.Fatalf("Verify of a fresh signature: %v", err)
		}
		var bad *kmserrors.KMSInvalidSignatureException
		m2 := slices.Clone(msg)
		i := rapid.IntRange(0, len(m2)-1).Draw(t, "message byte")
		m2[i] ^= byte(rapid.IntRange(1, 255).Draw(t, "xor"))
		if err := verify(m2, out.Signature); !errors.As(err, &bad) {
			t.Fatalf("changed message: got %v", err)
		}
		s2 := slices.Clone(out.Signature)
		j := rapid.IntRange(0, len(s2)-1).Draw(t, "signature byte")
		s2[j] ^= byte(rapid.IntRange(1, 255).Draw(t, "xor2"))
		if err := verify(msg, s2); !errors.As(err, &bad) {
			t.Fatalf("changed signature byte %d: got %v", j, err)
		}
	})
}
