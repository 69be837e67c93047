package engine_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"fmt"
	"hash"
	mrand "math/rand/v2"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/emmansun/gmsm/sm2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// asymPairs holds key pairs by (seed, spec) so each RSA key is made
// once. Tests using it must not run in parallel.
var asymPairs = map[string][2][]byte{}

// asymPair returns a PKCS #8 private key and its SPKI public key of spec,
// made by kmsim's deterministic generators from seed, in the format
// OpenSSL and the standard library write.
func asymPair(t testing.TB, seed byte, spec keystore.KeySpec) (private, public []byte) {
	t.Helper()
	k := fmt.Sprint(seed, spec)
	if p, ok := asymPairs[k]; ok {
		return p[0], p[1]
	}
	var s [32]byte
	s[0] = seed
	private, public, err := keystore.NewDataKeyPair(mrand.NewChaCha8(s), spec)
	require.NoError(t, err)
	asymPairs[k] = [2][]byte{private, public}
	return private, public
}

// asymExternalKey creates a key of Origin EXTERNAL as caller c.
func asymExternalKey(t testing.TB, env *kmstest.Env, c engine.Caller, spec keystore.KeySpec, usage keystore.KeyUsage, multiRegion bool) string {
	t.Helper()
	out, err := env.Engine.CreateKey(c, engine.CreateKeyInput{Origin: keystore.OriginExternal, KeySpec: spec, KeyUsage: usage, MultiRegion: multiRegion})
	require.NoError(t, err)
	return out.KeyMetadata.KeyID
}

// asymImport wraps private under a new wrapping key of wrapSpec with alg
// (RSA) and imports it into key id as caller c, without expiry.
func asymImport(t testing.TB, env *kmstest.Env, c engine.Caller, id, alg, wrapSpec string, private []byte) (*engine.ImportKeyMaterialOutput, error) {
	t.Helper()
	p, err := env.Engine.GetParametersForImport(c, engine.GetParametersForImportInput{KeyID: id, WrappingAlgorithm: alg, WrappingKeySpec: wrapSpec})
	require.NoError(t, err)
	return env.Engine.ImportKeyMaterial(c, engine.ImportKeyMaterialInput{
		KeyID: id, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapMaterial(t, p.PublicKey, alg, private),
		ExpirationModel: keystore.KeyMaterialDoesNotExpire,
	})
}

// idBytes returns the bytes a KeyMaterialId of the private key covers,
// computed here with the standard library: the PKCS #1 DER of an RSA key
// (kmsim's generators use d = e⁻¹ mod φ(n), as the import rebuilds it),
// the padded scalar of an ECC key.
func idBytes(t testing.TB, spec keystore.KeySpec, private []byte) []byte {
	t.Helper()
	if spec == keystore.ECCSECGP256K1 {
		return secp256k1Scalar(t, private)
	}
	k, err := x509.ParsePKCS8PrivateKey(private)
	require.NoError(t, err)
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return x509.MarshalPKCS1PrivateKey(k)
	case *ecdsa.PrivateKey:
		b, err := k.Bytes()
		require.NoError(t, err)
		return b
	}
	t.Fatalf("unexpected key %T", k)
	return nil
}

// secp256k1Scalar reads the scalar of a secp256k1 PKCS #8 key, which
// x509 refuses for its curve.
func secp256k1Scalar(t testing.TB, private []byte) []byte {
	t.Helper()
	var outer struct {
		Version    int
		Algo       pkix.AlgorithmIdentifier
		PrivateKey []byte
	}
	_, err := asn1.Unmarshal(private, &outer)
	require.NoError(t, err)
	var inner struct {
		Version    int
		PrivateKey []byte
		Rest       asn1.RawValue `asn1:"optional,explicit,tag:1"`
	}
	_, err = asn1.Unmarshal(outer.PrivateKey, &inner)
	require.NoError(t, err)
	require.Len(t, inner.PrivateKey, 32)
	return inner.PrivateKey
}

// asymVerify checks sig over msg with the original public key, with the
// standard library (decred for secp256k1).
func asymVerify(t testing.TB, spec keystore.KeySpec, public, msg, sig []byte) {
	t.Helper()
	if spec == keystore.ECCSECGP256K1 {
		pub, err := secp256k1.ParsePubKey(public[len(public)-65:])
		require.NoError(t, err)
		s, err := secpecdsa.ParseDERSignature(sig)
		require.NoError(t, err)
		d := sha256.Sum256(msg)
		assert.True(t, s.Verify(d[:], pub))
		return
	}
	pub, err := x509.ParsePKIXPublicKey(public)
	require.NoError(t, err)
	switch pub := pub.(type) {
	case *rsa.PublicKey:
		d := sha256.Sum256(msg)
		assert.NoError(t, rsa.VerifyPSS(pub, crypto.SHA256, d[:], sig, nil))
	case *ecdsa.PublicKey:
		var h hash.Hash = sha256.New()
		switch spec {
		case keystore.ECCNISTP384:
			h = sha512.New384()
		case keystore.ECCNISTP521:
			h = sha512.New()
		}
		h.Write(msg)
		assert.True(t, ecdsa.VerifyASN1(pub, h.Sum(nil), sig))
	}
}

var asymSigning = map[keystore.KeySpec]string{
	keystore.RSA2048: engine.RSASSAPSSSHA256, keystore.RSA3072: engine.RSASSAPSSSHA256, keystore.RSA4096: engine.RSASSAPSSSHA256,
	keystore.ECCNISTP256: engine.ECDSASHA256, keystore.ECCNISTP384: engine.ECDSASHA384, keystore.ECCNISTP521: engine.ECDSASHA512,
	keystore.ECCSECGP256K1: engine.ECDSASHA256,
}

func TestImportAsymmetricRoundTrip(t *testing.T) {
	env := kmstest.NewEnv(t, kmstest.Seed(7))
	home := env.Caller(cryptoHome)
	cases := []struct {
		spec  keystore.KeySpec
		usage keystore.KeyUsage
		// oaep is the wrapping key spec under which RSAES_OAEP_SHA_256
		// can wrap the material directly, "" when none can.
		oaep string
	}{
		{keystore.RSA2048, keystore.SignVerify, ""},
		{keystore.RSA3072, keystore.EncryptDecrypt, ""},
		{keystore.RSA4096, keystore.SignVerify, ""},
		{keystore.RSA2048, keystore.EncryptDecrypt, ""},
		{keystore.ECCNISTP256, keystore.SignVerify, "RSA_2048"},
		{keystore.ECCNISTP384, keystore.SignVerify, "RSA_2048"},
		{keystore.ECCNISTP521, keystore.SignVerify, "RSA_3072"},
		{keystore.ECCSECGP256K1, keystore.SignVerify, "RSA_2048"},
	}
	for i, tc := range cases {
		t.Run(fmt.Sprint(tc.spec, "/", tc.usage), func(t *testing.T) {
			private, public := asymPair(t, byte(i+1), tc.spec)
			id := asymExternalKey(t, env, home, tc.spec, tc.usage, false)
			out, err := asymImport(t, env, home, id, engine.RSAAESKeyWrapSHA256, "RSA_2048", private)
			require.NoError(t, err)
			assert.Equal(t, &engine.ImportKeyMaterialOutput{KeyID: keyARN(cryptoHome, id), KeyMaterialID: keystore.MaterialID(id, idBytes(t, tc.spec, private))}, out)
			assert.Equal(t, keystore.Enabled, describe(t, env, cryptoHome, id).KeyState)

			pk, err := env.Engine.GetPublicKey(home, engine.GetPublicKeyInput{KeyID: id})
			require.NoError(t, err)
			assert.Equal(t, public, pk.PublicKey)

			msg := []byte("signed with imported material")
			if tc.usage == keystore.SignVerify {
				sig, err := env.Engine.Sign(home, engine.SignInput{KeyID: id, Message: msg, SigningAlgorithm: asymSigning[tc.spec]})
				require.NoError(t, err)
				asymVerify(t, tc.spec, public, msg, sig.Signature)
				v, err := env.Engine.Verify(home, engine.VerifyInput{KeyID: id, Message: msg, Signature: sig.Signature, SigningAlgorithm: asymSigning[tc.spec]})
				require.NoError(t, err)
				assert.True(t, v.SignatureValid)
			} else {
				pub, err := x509.ParsePKIXPublicKey(public)
				require.NoError(t, err)
				ct, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, pub.(*rsa.PublicKey), msg, nil)
				require.NoError(t, err)
				dec, err := env.Engine.Decrypt(home, engine.DecryptInput{KeyID: id, CiphertextBlob: ct, EncryptionAlgorithm: engine.RSAESOAEPSHA256})
				require.NoError(t, err)
				assert.Equal(t, msg, dec.Plaintext)
			}

			// Reimporting the same private key, wrapped another way, gives
			// the same material.
			again, err := asymImport(t, env, home, id, engine.RSAAESKeyWrapSHA1, "RSA_4096", private)
			require.NoError(t, err)
			assert.Equal(t, out, again)
			if tc.oaep != "" {
				again, err = asymImport(t, env, home, id, engine.RSAESOAEPSHA256, tc.oaep, private)
				require.NoError(t, err)
				assert.Equal(t, out, again)
			}
			// Another private key of the spec is not this key's material:
			// asymmetric keys never change material.
			other, _ := asymPair(t, 100, tc.spec)
			_, err = asymImport(t, env, home, id, engine.RSAAESKeyWrapSHA256, "RSA_2048", other)
			wantErr[*kmserrors.IncorrectKeyMaterialException](t, err, "Imported key material does not have the expected identifier ("+out.KeyMaterialID+").")
			assert.Equal(t, keystore.Enabled, describe(t, env, cryptoHome, id).KeyState)
		})
	}
}

// RSAES_OAEP_* cannot wrap an RSA private key, nor ECC_NIST_P521
// material under an RSA_2048 wrapping key: the material is longer than
// OAEP takes, so the client fails before KMS sees it (the API reference
// and the Developer Guide rule these combinations out).
func TestImportAsymmetricTooLongForOAEP(t *testing.T) {
	rsaKey, _ := asymPair(t, 1, keystore.RSA2048)
	p521, _ := asymPair(t, 1, keystore.ECCNISTP521)
	for _, tc := range []struct {
		material []byte
		wrapping *rsa.PrivateKey
	}{
		{rsaKey, asymWrappingKey(t, 4096)},
		{p521, asymWrappingKey(t, 2048)},
	} {
		for _, h := range []hash.Hash{sha256.New(), sha512.New384()} {
			_, err := rsa.EncryptOAEP(h, rand.Reader, &tc.wrapping.PublicKey, tc.material, nil)
			assert.ErrorIs(t, err, rsa.ErrMessageTooLong)
		}
	}
}

// asymWrappingKey is an RSA wrapping key of bits bits from kmsim's
// generator.
func asymWrappingKey(t testing.TB, bits int) *rsa.PrivateKey {
	t.Helper()
	spec := keystore.KeySpec(fmt.Sprintf("RSA_%d", bits))
	private, _ := asymPair(t, 1, spec)
	k, err := x509.ParsePKCS8PrivateKey(private)
	require.NoError(t, err)
	return k.(*rsa.PrivateKey)
}

func TestImportAsymmetricRejects(t *testing.T) {
	env := kmstest.NewEnv(t, kmstest.Seed(8))
	home := env.Caller(cryptoHome)
	rsa2048, rsaPub := asymPair(t, 1, keystore.RSA2048)
	rsa3072, _ := asymPair(t, 1, keystore.RSA3072)
	p256, p256Pub := asymPair(t, 1, keystore.ECCNISTP256)
	p384, _ := asymPair(t, 1, keystore.ECCNISTP384)
	k1, _ := asymPair(t, 1, keystore.ECCSECGP256K1)
	ed, _ := asymPair(t, 1, keystore.ECCNISTEdwards25519)
	parsed, err := x509.ParsePKCS8PrivateKey(rsa2048)
	require.NoError(t, err)
	pkcs1 := x509.MarshalPKCS1PrivateKey(parsed.(*rsa.PrivateKey))
	notValid := func(spec keystore.KeySpec) string {
		return "The key material is not valid for a " + string(spec) + " key: it must be a DER-encoded PKCS #8 private key of that key spec."
	}
	cases := []struct {
		name     string
		spec     keystore.KeySpec
		usage    keystore.KeyUsage
		material []byte
	}{
		{"RSA_3072 material", keystore.RSA2048, keystore.SignVerify, rsa3072},
		{"RSA_2048 material", keystore.RSA4096, keystore.EncryptDecrypt, rsa2048},
		{"ECC material", keystore.RSA2048, keystore.SignVerify, p256},
		{"PKCS #1", keystore.RSA2048, keystore.SignVerify, pkcs1},
		{"public key", keystore.RSA2048, keystore.SignVerify, rsaPub},
		{"garbage", keystore.RSA3072, keystore.SignVerify, secretOf(9)},
		{"P-384 material", keystore.ECCNISTP256, keystore.SignVerify, p384},
		{"secp256k1 material", keystore.ECCNISTP256, keystore.SignVerify, k1},
		{"P-256 material", keystore.ECCSECGP256K1, keystore.SignVerify, p256},
		{"Ed25519 material", keystore.ECCNISTP256, keystore.SignVerify, ed},
		{"RSA material", keystore.ECCNISTP521, keystore.SignVerify, rsa2048},
		{"EC public key", keystore.ECCNISTP256, keystore.SignVerify, p256Pub},
		{"trailing byte", keystore.ECCNISTP256, keystore.SignVerify, append(append([]byte(nil), p256...), 0)},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.spec, "/", tc.name), func(t *testing.T) {
			id := asymExternalKey(t, env, home, tc.spec, tc.usage, false)
			_, err := asymImport(t, env, home, id, engine.RSAAESKeyWrapSHA256, "RSA_2048", tc.material)
			wantErr[*kmserrors.IncorrectKeyMaterialException](t, err, notValid(tc.spec))
			assert.Equal(t, keystore.PendingImport, describe(t, env, cryptoHome, id).KeyState)
		})
	}

	// Specs without imported material fail before the token is looked at.
	for _, spec := range []keystore.KeySpec{keystore.ECCNISTEdwards25519, keystore.MLDSA44, keystore.MLDSA65, keystore.MLDSA87} {
		id := asymExternalKey(t, env, home, spec, keystore.SignVerify, false)
		_, err := env.Engine.ImportKeyMaterial(home, engine.ImportKeyMaterialInput{
			KeyID: id, ImportToken: []byte("no token"), EncryptedKeyMaterial: []byte("x"), ExpirationModel: keystore.KeyMaterialDoesNotExpire,
		})
		wantErr[*kmserrors.UnsupportedOperationException](t, err, "Key material cannot be imported into "+string(spec)+" keys.")
	}

	// The options of symmetric keys are refused as for HMAC keys.
	id := asymExternalKey(t, env, home, keystore.ECCNISTP256, keystore.SignVerify, false)
	_, err = importInto(t, env, cryptoHome, id, p256, importOpts{alg: engine.RSAAESKeyWrapSHA256, importType: engine.NewKeyMaterial})
	wantErr[*kmserrors.ValidationException](t, err, "ImportType, KeyMaterialDescription and KeyMaterialId can be used only with symmetric encryption keys.")
}

// Imported asymmetric material expires like any other, and the same
// private key brings the key back.
func TestImportAsymmetricExpires(t *testing.T) {
	env := kmstest.NewEnv(t, kmstest.Seed(9))
	home := env.Caller(cryptoHome)
	private, public := asymPair(t, 3, keystore.ECCNISTP256)
	id := asymExternalKey(t, env, home, keystore.ECCNISTP256, keystore.SignVerify, false)
	validTo := env.Clock.Now().Add(2 * day)
	out, err := importInto(t, env, cryptoHome, id, private, importOpts{alg: engine.RSAAESKeyWrapSHA256, validTo: validTo})
	require.NoError(t, err)
	m := describe(t, env, cryptoHome, id)
	assert.Equal(t, keystore.KeyMaterialExpires, m.ExpirationModel)
	assert.Equal(t, validTo, m.ValidTo)
	env.Advance(2 * day)
	assert.Equal(t, keystore.PendingImport, describe(t, env, cryptoHome, id).KeyState)
	_, err = env.Engine.GetPublicKey(home, engine.GetPublicKeyInput{KeyID: id})
	wantErr[*kmserrors.KMSInvalidStateException](t, err, keyARN(cryptoHome, id)+" is pending import.")
	again, err := importInto(t, env, cryptoHome, id, private, importOpts{alg: engine.RSAESOAEPSHA1})
	require.NoError(t, err)
	assert.Equal(t, out.KeyMaterialID, again.KeyMaterialID)
	pk, err := env.Engine.GetPublicKey(home, engine.GetPublicKeyInput{KeyID: id})
	require.NoError(t, err)
	assert.Equal(t, public, pk.PublicKey)
}

// A replica of an imported asymmetric multi-Region key takes only the
// primary's private key, and then signs as the primary does.
func TestImportAsymmetricMultiRegion(t *testing.T) {
	env := kmstest.NewEnv(t, kmstest.Seed(10))
	home := env.Caller(cryptoHome)
	const west region.ID = "us-west-2"
	private, public := asymPair(t, 4, keystore.RSA2048)
	id := asymExternalKey(t, env, home, keystore.RSA2048, keystore.SignVerify, true)
	primary, err := asymImport(t, env, home, id, engine.RSAAESKeyWrapSHA256, "RSA_3072", private)
	require.NoError(t, err)
	_, err = env.Engine.ReplicateKey(home, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: west})
	require.NoError(t, err)
	env.Settle()
	assert.Equal(t, keystore.PendingImport, describe(t, env, west, id).KeyState)

	other, _ := asymPair(t, 5, keystore.RSA2048)
	_, err = asymImport(t, env, env.Caller(west), id, engine.RSAAESKeyWrapSHA256, "RSA_2048", other)
	wantErr[*kmserrors.IncorrectKeyMaterialException](t, err, "Imported key material does not have the expected identifier ("+primary.KeyMaterialID+").")
	rsa3072, _ := asymPair(t, 1, keystore.RSA3072)
	_, err = asymImport(t, env, env.Caller(west), id, engine.RSAAESKeyWrapSHA256, "RSA_2048", rsa3072)
	wantErr[*kmserrors.IncorrectKeyMaterialException](t, err, "The key material is not valid for a RSA_2048 key: it must be a DER-encoded PKCS #8 private key of that key spec.")
	assert.Equal(t, keystore.PendingImport, describe(t, env, west, id).KeyState)

	replica, err := asymImport(t, env, env.Caller(west), id, engine.RSAAESKeyWrapSHA1, "RSA_2048", private)
	require.NoError(t, err)
	assert.Equal(t, &engine.ImportKeyMaterialOutput{KeyID: keyARN(west, id), KeyMaterialID: primary.KeyMaterialID}, replica)
	assert.Equal(t, keystore.Enabled, describe(t, env, west, id).KeyState)
	msg := []byte("signed in the replica Region")
	sig, err := env.Engine.Sign(env.Caller(west), engine.SignInput{KeyID: id, Message: msg, SigningAlgorithm: engine.RSASSAPSSSHA256})
	require.NoError(t, err)
	asymVerify(t, keystore.RSA2048, public, msg, sig.Signature)
	v, err := env.Engine.Verify(home, engine.VerifyInput{KeyID: id, Message: msg, Signature: sig.Signature, SigningAlgorithm: engine.RSASSAPSSSHA256})
	require.NoError(t, err)
	assert.True(t, v.SignatureValid)
}

// SM2 keys, which exist in aws-cn only, take an SM2 private key, wrapped
// with SM2PKE or RSA-OAEP.
func TestImportAsymmetricSM2(t *testing.T) {
	env := cnEnv(t, 11)
	private, public := asymPair(t, 6, keystore.SM2)
	sign := cnExternalKey(t, env, engine.CreateKeyInput{KeySpec: keystore.SM2, KeyUsage: keystore.SignVerify})
	p := sm2Params(t, env, cnNorth, sign)
	out, err := env.Engine.ImportKeyMaterial(cnNorth, engine.ImportKeyMaterialInput{
		KeyID: sign, ImportToken: p.ImportToken, EncryptedKeyMaterial: sm2Wrap(t, p.PublicKey, private), ExpirationModel: keystore.KeyMaterialDoesNotExpire,
	})
	require.NoError(t, err)
	assert.Equal(t, keystore.Enabled, cnState(t, env, cnNorth, sign))
	pk, err := env.Engine.GetPublicKey(cnNorth, engine.GetPublicKeyInput{KeyID: sign})
	require.NoError(t, err)
	assert.Equal(t, public, pk.PublicKey)
	msg := []byte("imported SM2 key")
	sig, err := env.Engine.Sign(cnNorth, engine.SignInput{KeyID: sign, Message: msg, SigningAlgorithm: engine.SM2DSA})
	require.NoError(t, err)
	assert.True(t, sm2.VerifyASN1WithSM2(sm2PublicKey(t, public), []byte("1234567812345678"), msg, sig.Signature))

	// The same key under RSA-OAEP wrapping is the same material.
	again, err := asymImport(t, env, cnNorth, sign, engine.RSAESOAEPSHA256, "RSA_2048", private)
	require.NoError(t, err)
	assert.Equal(t, out, again)

	enc := cnExternalKey(t, env, engine.CreateKeyInput{KeySpec: keystore.SM2, KeyUsage: keystore.EncryptDecrypt})
	_, err = sm2Import(t, env, cnNorth, enc, private)
	require.NoError(t, err)
	ct, err := keystore.SM2Encrypt(rand.Reader, sm2PublicKey(t, public), msg)
	require.NoError(t, err)
	dec, err := env.Engine.Decrypt(cnNorth, engine.DecryptInput{KeyID: enc, CiphertextBlob: ct, EncryptionAlgorithm: engine.SM2PKE})
	require.NoError(t, err)
	assert.Equal(t, msg, dec.Plaintext)

	// A NIST key is not SM2 material.
	p256, _ := asymPair(t, 1, keystore.ECCNISTP256)
	bad := cnExternalKey(t, env, engine.CreateKeyInput{KeySpec: keystore.SM2, KeyUsage: keystore.SignVerify})
	_, err = sm2Import(t, env, cnNorth, bad, p256)
	wantErr[*kmserrors.IncorrectKeyMaterialException](t, err, "The key material is not valid for a SM2 key: it must be a DER-encoded PKCS #8 private key of that key spec.")
}

// Neither the imported private key nor its scalar reaches the event log,
// a response or an error.
func TestImportAsymmetricSecrets(t *testing.T) {
	env := kmstest.NewEnv(t, kmstest.Seed(12))
	home := env.Caller(cryptoHome)
	s := &secScanner{t: t, secrets: map[string][]byte{}}
	var texts []string
	for i, spec := range []keystore.KeySpec{keystore.RSA2048, keystore.ECCNISTP384, keystore.ECCSECGP256K1} {
		private, _ := asymPair(t, byte(20+i), spec)
		s.add(string(spec)+" private key", private)
		s.add(string(spec)+" ID bytes", idBytes(t, spec, private))
		id := asymExternalKey(t, env, home, spec, keystore.SignVerify, false)
		out, err := asymImport(t, env, home, id, engine.RSAAESKeyWrapSHA256, "RSA_2048", private)
		require.NoError(t, err)
		texts = append(texts, secDump(out))
		wrong, _ := asymPair(t, 1, keystore.RSA3072)
		_, err = asymImport(t, env, home, id, engine.RSAAESKeyWrapSHA256, "RSA_2048", wrong)
		require.Error(t, err)
		texts = append(texts, err.Error(), secDump(err))
		pk, err := env.Engine.GetPublicKey(home, engine.GetPublicKeyInput{KeyID: id})
		require.NoError(t, err)
		texts = append(texts, secDump(pk))
		m := describe(t, env, cryptoHome, id)
		texts = append(texts, secDump(m))
	}
	log, err := json.Marshal(env.Engine.Events())
	require.NoError(t, err)
	texts = append(texts, string(log), secDump(env.Engine.Events()))
	for i, text := range texts {
		s.scan(fmt.Sprint("text ", i), text)
	}
	assert.Equal(t, len(texts), s.scanned)
}
