package engine_test

import (
	"bytes"
	"crypto/rand"
	"encoding/asn1"
	"math/big"
	randv2 "math/rand/v2"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
)

// SM2 wrapping keys exist only in aws-cn, so these tests run in the
// aws-cn account of sm2_test.go, in an engine of their own.

// cnEnv returns a new engine with the aws-cn account.
func cnEnv(t testing.TB, seed uint64) *kmstest.Env {
	t.Helper()
	env := kmstest.NewEnv(t, kmstest.Seed(seed))
	require.NoError(t, env.Engine.CreateAccount(engine.AccountInput{ID: cnAccount, Partition: "aws-cn"}))
	return env
}

// cnExternalKey creates a key of Origin EXTERNAL in cn-north-1.
func cnExternalKey(t testing.TB, env *kmstest.Env, in engine.CreateKeyInput) string {
	t.Helper()
	in.Origin = keystore.OriginExternal
	out, err := env.Engine.CreateKey(cnNorth, in)
	require.NoError(t, err)
	return out.KeyMetadata.KeyID
}

// sm2Params asks for an SM2 wrapping key for key id as caller c.
func sm2Params(t testing.TB, env *kmstest.Env, c engine.Caller, id string) *engine.GetParametersForImportOutput {
	t.Helper()
	out, err := env.Engine.GetParametersForImport(c, engine.GetParametersForImportInput{KeyID: id, WrappingAlgorithm: engine.SM2PKE, WrappingKeySpec: engine.WrappingKeySpecSM2})
	require.NoError(t, err)
	return out
}

// sm2Wrap wraps secret under the SM2 wrapping public key DER with
// kmsim's own SM2PKE, as a client following KMS's documentation would.
func sm2Wrap(t testing.TB, der, secret []byte) []byte {
	t.Helper()
	wrapped, err := keystore.SM2Encrypt(rand.Reader, sm2PublicKey(t, der), secret)
	require.NoError(t, err)
	return wrapped
}

// sm2Import wraps secret for key id in caller c's Region and imports it
// without expiry.
func sm2Import(t testing.TB, env *kmstest.Env, c engine.Caller, id string, secret []byte) (*engine.ImportKeyMaterialOutput, error) {
	t.Helper()
	p := sm2Params(t, env, c, id)
	return env.Engine.ImportKeyMaterial(c, engine.ImportKeyMaterialInput{
		KeyID: id, ImportToken: p.ImportToken, EncryptedKeyMaterial: sm2Wrap(t, p.PublicKey, secret),
		ExpirationModel: keystore.KeyMaterialDoesNotExpire,
	})
}

func cnState(t testing.TB, env *kmstest.Env, c engine.Caller, id string) keystore.KeyState {
	t.Helper()
	out, err := env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: id})
	require.NoError(t, err)
	return out.KeyMetadata.KeyState
}

// cnRoundTrip encrypts under key id as enc and decrypts as dec.
func cnRoundTrip(t testing.TB, env *kmstest.Env, enc, dec engine.Caller, id string) {
	t.Helper()
	msg := []byte("imported under SM2 wrapping")
	out, err := env.Engine.Encrypt(enc, engine.EncryptInput{KeyID: id, Plaintext: msg})
	require.NoError(t, err)
	back, err := env.Engine.Decrypt(dec, engine.DecryptInput{CiphertextBlob: out.CiphertextBlob})
	require.NoError(t, err)
	assert.Equal(t, msg, back.Plaintext)
}

func TestSM2WrappingRules(t *testing.T) {
	env := cnEnv(t, 1)
	aws := env.Caller(cryptoHome)
	awsKey := externalKey(t, env, false)
	cnKey := cnExternalKey(t, env, engine.CreateKeyInput{})
	generated, err := env.Engine.CreateKey(cnNorth, engine.CreateKeyInput{})
	require.NoError(t, err)
	generatedID := generated.KeyMetadata.KeyID
	const missing = "1234abcd-12ab-34cd-56ef-1234567890ab"
	cases := []struct {
		name      string
		c         engine.Caller
		key       string
		alg, spec string
		code, msg string
	}{
		{"SM2 outside aws-cn", aws, awsKey, engine.SM2PKE, engine.WrappingKeySpecSM2,
			"ValidationException", "WrappingKeySpec SM2 is not supported in this AWS partition."},
		{"SM2 with RSA-OAEP outside aws-cn", aws, awsKey, engine.RSAESOAEPSHA256, engine.WrappingKeySpecSM2,
			"ValidationException", "WrappingKeySpec SM2 is not supported in this AWS partition."},
		{"SM2PKE outside aws-cn", aws, awsKey, engine.SM2PKE, "RSA_4096",
			"ValidationException", "WrappingAlgorithm SM2PKE is not supported in this AWS partition."},
		// The SM2 checks need no key, so they come before its lookup.
		{"SM2 outside aws-cn, unknown key", aws, missing, engine.SM2PKE, engine.WrappingKeySpecSM2,
			"ValidationException", "WrappingKeySpec SM2 is not supported in this AWS partition."},
		{"SM2PKE with RSA_2048", cnNorth, cnKey, engine.SM2PKE, "RSA_2048",
			"ValidationException", "WrappingAlgorithm SM2PKE can be used only with WrappingKeySpec SM2, not RSA_2048."},
		{"SM2 with RSA_AES_KEY_WRAP_SHA_256", cnNorth, cnKey, engine.RSAAESKeyWrapSHA256, engine.WrappingKeySpecSM2,
			"ValidationException", "WrappingKeySpec SM2 can be used only with WrappingAlgorithm SM2PKE, not RSA_AES_KEY_WRAP_SHA_256."},
		{"SM2 with RSAES_PKCS1_V1_5", cnNorth, cnKey, engine.RSAESPKCS1V15, engine.WrappingKeySpecSM2,
			"ValidationException", "WrappingKeySpec SM2 can be used only with WrappingAlgorithm SM2PKE, not RSAES_PKCS1_V1_5."},
		{"SM2 on an unknown key", cnNorth, missing, engine.SM2PKE, engine.WrappingKeySpecSM2,
			"NotFoundException", "Key '" + cnARN("cn-north-1", missing) + "' does not exist"},
		{"SM2 on a key of origin AWS_KMS", cnNorth, generatedID, engine.SM2PKE, engine.WrappingKeySpecSM2,
			"UnsupportedOperationException", cnARN("cn-north-1", generatedID) + " origin is AWS_KMS which is not valid for this operation."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.Engine.GetParametersForImport(tc.c, engine.GetParametersForImportInput{KeyID: tc.key, WrappingAlgorithm: tc.alg, WrappingKeySpec: tc.spec})
			var api kmserrors.APIError
			require.ErrorAs(t, err, &api)
			assert.Equal(t, tc.code, api.ErrorCode())
			assert.Equal(t, tc.msg, api.ErrorMessage())
		})
	}

	// RSA wrapping keys stay available in aws-cn.
	p, err := env.Engine.GetParametersForImport(cnNorth, engine.GetParametersForImportInput{KeyID: cnKey, WrappingAlgorithm: engine.RSAESOAEPSHA256, WrappingKeySpec: "RSA_2048"})
	require.NoError(t, err)
	_, err = env.Engine.ImportKeyMaterial(cnNorth, engine.ImportKeyMaterialInput{
		KeyID: cnKey, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapMaterial(t, p.PublicKey, engine.RSAESOAEPSHA256, secretOf(3)),
		ExpirationModel: keystore.KeyMaterialDoesNotExpire,
	})
	require.NoError(t, err)
}

func TestSM2WrappingRoundTrip(t *testing.T) {
	env := cnEnv(t, 2)
	id := cnExternalKey(t, env, engine.CreateKeyInput{})
	p := sm2Params(t, env, cnNorth, id)
	assert.Equal(t, cnARN("cn-north-1", id), p.KeyID)
	assert.Equal(t, env.Clock.Now().Add(engine.ImportTokenValidity), p.ParametersValidTo)
	pub := sm2PublicKey(t, p.PublicKey) // the DER GetPublicKey gives for SM2 keys
	other := sm2Params(t, env, cnNorth, id)
	assert.NotEqual(t, p.PublicKey, other.PublicKey, "each call has its own wrapping key")

	secret := secretOf(9)
	import_ := func(p *engine.GetParametersForImportOutput, wrapped []byte) (*engine.ImportKeyMaterialOutput, error) {
		return env.Engine.ImportKeyMaterial(cnNorth, engine.ImportKeyMaterialInput{
			KeyID: id, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: keystore.KeyMaterialDoesNotExpire,
		})
	}
	wrapped, err := keystore.SM2Encrypt(rand.Reader, pub, secret)
	require.NoError(t, err)

	// Material that does not unwrap under the token's wrapping key is
	// InvalidCiphertextException, and changes nothing.
	var ct struct {
		X, Y   *big.Int
		C3, C2 []byte
	}
	_, err = asn1.Unmarshal(wrapped, &ct)
	require.NoError(t, err)
	ct.C2 = bytes.Clone(ct.C2)
	ct.C2[0] ^= 1
	flipped, err := asn1.Marshal(ct)
	require.NoError(t, err)
	// Raw C1C2C3, which gmsm would read but KMS's form is not.
	raw := append([]byte{4}, ct.X.FillBytes(make([]byte, 32))...)
	raw = append(append(append(raw, ct.Y.FillBytes(make([]byte, 32))...), ct.C2...), ct.C3...)
	bad := map[string][]byte{
		"wrapped under another wrapping key": sm2Wrap(t, other.PublicKey, secret),
		"C2 altered":                         flipped,
		"raw C1C2C3":                         raw,
		"RSA-OAEP bytes":                     bytes.Repeat([]byte{7}, 256),
		"trailing bytes":                     append(bytes.Clone(wrapped), 0),
	}
	for name, b := range bad {
		_, err := import_(p, b)
		wantErr[*kmserrors.InvalidCiphertextException](t, err, "")
		assert.Equal(t, keystore.PendingImport, cnState(t, env, cnNorth, id), name)
	}

	out, err := import_(p, wrapped)
	require.NoError(t, err)
	assert.Equal(t, &engine.ImportKeyMaterialOutput{KeyID: cnARN("cn-north-1", id), KeyMaterialID: keystore.MaterialID(id, secret)}, out)
	assert.Equal(t, keystore.Enabled, cnState(t, env, cnNorth, id))
	cnRoundTrip(t, env, cnNorth, cnNorth, id)

	// gmsm's own SM2PKE writes the same ASN.1 form: a client wrapping
	// with it reimports the material. Its randomness is seeded, so the
	// test is reproducible despite gmsm's rare one-byte failures.
	again := sm2Params(t, env, cnNorth, id)
	g, err := sm2.EncryptASN1(randv2.NewChaCha8([32]byte{1}), sm2PublicKey(t, again.PublicKey), secret)
	require.NoError(t, err)
	out2, err := import_(again, g)
	require.NoError(t, err)
	assert.Equal(t, out.KeyMaterialID, out2.KeyMaterialID)

	// An RSA token does not open SM2 ciphertext.
	rsaParams, err := env.Engine.GetParametersForImport(cnNorth, engine.GetParametersForImportInput{KeyID: id, WrappingAlgorithm: engine.RSAESOAEPSHA256, WrappingKeySpec: "RSA_2048"})
	require.NoError(t, err)
	_, err = import_(rsaParams, sm2Wrap(t, sm2Params(t, env, cnNorth, id).PublicKey, secret))
	wantErr[*kmserrors.InvalidCiphertextException](t, err, "")
}

// SM2 wrapping imports HMAC material too: the wrapping key does not
// depend on the key spec.
func TestSM2WrappingHMAC(t *testing.T) {
	env := cnEnv(t, 3)
	id := cnExternalKey(t, env, engine.CreateKeyInput{KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC})
	secret := bytes.Repeat([]byte{5}, 48)
	_, err := sm2Import(t, env, cnNorth, id, secret)
	require.NoError(t, err)
	mac, err := env.Engine.GenerateMac(cnNorth, engine.GenerateMacInput{KeyID: id, Message: []byte("m"), MacAlgorithm: "HMAC_SHA_256"})
	require.NoError(t, err)
	v, err := env.Engine.VerifyMac(cnNorth, engine.VerifyMacInput{KeyID: id, Message: []byte("m"), MacAlgorithm: "HMAC_SHA_256", Mac: mac.Mac})
	require.NoError(t, err)
	assert.True(t, v.MacValid)

	// The wrong size unwraps but is not HMAC_256 material.
	other := cnExternalKey(t, env, engine.CreateKeyInput{KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC})
	_, err = sm2Import(t, env, cnNorth, other, secretOf(1)[:16])
	wantErr[*kmserrors.IncorrectKeyMaterialException](t, err, "The key material is not valid for a HMAC_256 key: it must be 32 to 64 bytes.")
}

// The SM2 wrapping key and the token come from Config.Rand alone.
func TestSM2WrappingDeterministic(t *testing.T) {
	run := func() *engine.GetParametersForImportOutput {
		env := cnEnv(t, 42)
		return sm2Params(t, env, cnNorth, cnExternalKey(t, env, engine.CreateKeyInput{}))
	}
	assert.Equal(t, run(), run())
}

// A multi-Region key in aws-cn imports SM2-wrapped material into its
// primary and replica, each with its own wrapping key and token.
func TestSM2WrappingMultiRegion(t *testing.T) {
	env := cnEnv(t, 4)
	id := cnExternalKey(t, env, engine.CreateKeyInput{MultiRegion: true})
	secret := secretOf(0x42)
	primary, err := sm2Import(t, env, cnNorth, id, secret)
	require.NoError(t, err)
	_, err = env.Engine.ReplicateKey(cnNorth, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "cn-northwest-1"})
	require.NoError(t, err)
	env.Settle()
	assert.Equal(t, keystore.PendingImport, cnState(t, env, cnNorthwest, id))

	north, west := sm2Params(t, env, cnNorth, id), sm2Params(t, env, cnNorthwest, id)
	assert.Equal(t, cnARN("cn-northwest-1", id), west.KeyID)
	assert.NotEqual(t, north.PublicKey, west.PublicKey)
	// The primary's token names the primary.
	_, err = env.Engine.ImportKeyMaterial(cnNorthwest, engine.ImportKeyMaterialInput{
		KeyID: id, ImportToken: north.ImportToken, EncryptedKeyMaterial: sm2Wrap(t, north.PublicKey, secret),
		ExpirationModel: keystore.KeyMaterialDoesNotExpire,
	})
	wantErr[*kmserrors.InvalidImportTokenException](t, err, "The import token is not valid for this KMS key.")
	// The replica accepts only the primary's material.
	_, err = env.Engine.ImportKeyMaterial(cnNorthwest, engine.ImportKeyMaterialInput{
		KeyID: id, ImportToken: west.ImportToken, EncryptedKeyMaterial: sm2Wrap(t, west.PublicKey, secretOf(0x43)),
		ExpirationModel: keystore.KeyMaterialDoesNotExpire,
	})
	wantErr[*kmserrors.IncorrectKeyMaterialException](t, err, "Imported key material does not have the expected identifier ("+primary.KeyMaterialID+").")
	assert.Equal(t, keystore.PendingImport, cnState(t, env, cnNorthwest, id))

	replica, err := env.Engine.ImportKeyMaterial(cnNorthwest, engine.ImportKeyMaterialInput{
		KeyID: id, ImportToken: west.ImportToken, EncryptedKeyMaterial: sm2Wrap(t, west.PublicKey, secret),
		ExpirationModel: keystore.KeyMaterialDoesNotExpire,
	})
	require.NoError(t, err)
	assert.Equal(t, &engine.ImportKeyMaterialOutput{KeyID: cnARN("cn-northwest-1", id), KeyMaterialID: primary.KeyMaterialID}, replica)
	assert.Equal(t, keystore.Enabled, cnState(t, env, cnNorthwest, id))
	cnRoundTrip(t, env, cnNorth, cnNorthwest, id)
	cnRoundTrip(t, env, cnNorthwest, cnNorth, id)
}
