package engine_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"hash"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// wrapMaterial wraps secret under the DER public key as a KMS client
// does for wrapping algorithm alg.
func wrapMaterial(t testing.TB, publicKey []byte, alg string, secret []byte) []byte {
	t.Helper()
	pub, err := x509.ParsePKIXPublicKey(publicKey)
	require.NoError(t, err)
	rsaPub := pub.(*rsa.PublicKey)
	var h hash.Hash = sha256.New()
	if alg == engine.RSAESOAEPSHA1 || alg == engine.RSAAESKeyWrapSHA1 {
		h = sha1.New()
	}
	switch alg {
	case engine.RSAESOAEPSHA1, engine.RSAESOAEPSHA256:
		out, err := rsa.EncryptOAEP(h, rand.Reader, rsaPub, secret, nil)
		require.NoError(t, err)
		return out
	}
	aesKey := make([]byte, 32)
	_, _ = rand.Read(aesKey)
	head, err := rsa.EncryptOAEP(h, rand.Reader, rsaPub, aesKey, nil)
	require.NoError(t, err)
	tail, err := keystore.KeyWrapPad(aesKey, secret)
	require.NoError(t, err)
	return append(head, tail...)
}

// importOpts are the optional members of one import.
type importOpts struct {
	alg         string // default RSAES_OAEP_SHA_256
	validTo     time.Time
	importType  string
	description string
	materialID  string
}

// importInto runs GetParametersForImport and ImportKeyMaterial on key id
// in Region r; material that does not expire unless o.validTo is set.
func importInto(t testing.TB, env *kmstest.Env, r region.ID, id string, secret []byte, o importOpts) (*engine.ImportKeyMaterialOutput, error) {
	t.Helper()
	alg := orDefaultString(o.alg, engine.RSAESOAEPSHA256)
	params, err := env.Engine.GetParametersForImport(env.Caller(r), engine.GetParametersForImportInput{KeyID: id, WrappingAlgorithm: alg, WrappingKeySpec: "RSA_2048"})
	if err != nil {
		return nil, err
	}
	in := engine.ImportKeyMaterialInput{
		KeyID: id, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapMaterial(t, params.PublicKey, alg, secret),
		ExpirationModel: keystore.KeyMaterialDoesNotExpire, ImportType: o.importType,
		KeyMaterialDescription: o.description, KeyMaterialID: o.materialID,
	}
	if !o.validTo.IsZero() {
		in.ExpirationModel, in.ValidTo = keystore.KeyMaterialExpires, o.validTo
	}
	return env.Engine.ImportKeyMaterial(env.Caller(r), in)
}

func orDefaultString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func mustImport(t testing.TB, env *kmstest.Env, r region.ID, id string, secret []byte, o importOpts) string {
	t.Helper()
	out, err := importInto(t, env, r, id, secret, o)
	require.NoError(t, err)
	return out.KeyMaterialID
}

func secretOf(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func externalKey(t testing.TB, env *kmstest.Env, multiRegion bool) string {
	t.Helper()
	out, err := env.Engine.CreateKey(env.Caller(cryptoHome), engine.CreateKeyInput{Origin: keystore.OriginExternal, MultiRegion: multiRegion})
	require.NoError(t, err)
	return out.KeyMetadata.KeyID
}

func describe(t testing.TB, env *kmstest.Env, r region.ID, id string) engine.KeyMetadata {
	t.Helper()
	out, err := env.Engine.DescribeKey(env.Caller(r), engine.DescribeKeyInput{KeyID: id})
	require.NoError(t, err)
	return out.KeyMetadata
}

func TestImportKeyMaterialHappyPath(t *testing.T) {
	env := kmstest.NewEnv(t)
	id := externalKey(t, env, false)
	m := describe(t, env, cryptoHome, id)
	assert.Equal(t, keystore.PendingImport, m.KeyState)
	assert.Empty(t, m.CurrentKeyMaterialID)
	assert.Empty(t, m.ExpirationModel)

	params, err := env.Engine.GetParametersForImport(env.Caller(cryptoHome), engine.GetParametersForImportInput{KeyID: id, WrappingAlgorithm: engine.RSAESOAEPSHA256, WrappingKeySpec: "RSA_3072"})
	require.NoError(t, err)
	assert.Equal(t, keyARN(cryptoHome, id), params.KeyID)
	assert.Equal(t, env.Clock.Now().Add(24*time.Hour), params.ParametersValidTo)
	pub, err := x509.ParsePKIXPublicKey(params.PublicKey)
	require.NoError(t, err)
	assert.Equal(t, 3072, pub.(*rsa.PublicKey).N.BitLen())

	secret := secretOf(7)
	validTo := env.Clock.Now().Add(30 * day)
	out, err := env.Engine.ImportKeyMaterial(env.Caller(cryptoHome), engine.ImportKeyMaterialInput{
		KeyID: id, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapMaterial(t, params.PublicKey, engine.RSAESOAEPSHA256, secret),
		ValidTo: validTo, KeyMaterialDescription: "first one",
	})
	require.NoError(t, err)
	sum := sha256.Sum256(append([]byte(id), secret...))
	assert.Equal(t, &engine.ImportKeyMaterialOutput{KeyID: keyARN(cryptoHome, id), KeyMaterialID: hex.EncodeToString(sum[:])}, out)
	m = describe(t, env, cryptoHome, id)
	assert.Equal(t, keystore.Enabled, m.KeyState)
	assert.Equal(t, out.KeyMaterialID, m.CurrentKeyMaterialID)
	assert.Equal(t, keystore.KeyMaterialExpires, m.ExpirationModel)
	assert.Equal(t, validTo, m.ValidTo)
	blob := encrypt(t, env, cryptoHome, id, []byte("imported"), nil)
	dec, err := env.Engine.Decrypt(env.Caller(cryptoHome), engine.DecryptInput{CiphertextBlob: blob})
	require.NoError(t, err)
	assert.Equal(t, []byte("imported"), dec.Plaintext)
	assert.Equal(t, []engine.RotationsListEntry{{
		KeyID: id, KeyMaterialID: out.KeyMaterialID, KeyMaterialState: "CURRENT", KeyMaterialDescription: "first one",
		ImportState: "IMPORTED", ExpirationModel: keystore.KeyMaterialExpires, ValidTo: validTo,
	}}, listRotations(t, env, cryptoHome, engine.ListKeyRotationsInput{KeyID: id, IncludeKeyMaterial: engine.AllKeyMaterial}))

	// The material expires at ValidTo on the simulated clock.
	env.Advance(30*day - time.Second)
	assert.Equal(t, keystore.Enabled, describe(t, env, cryptoHome, id).KeyState)
	env.Advance(time.Second)
	m = describe(t, env, cryptoHome, id)
	assert.Equal(t, keystore.PendingImport, m.KeyState)
	assert.Equal(t, out.KeyMaterialID, m.CurrentKeyMaterialID, "the key still names the material it needs")
	evs := env.Engine.Events()
	last := evs[len(evs)-2] // before this DescribeKey
	assert.Equal(t, "DeleteExpiredKeyMaterial", last.Name)
	assert.Equal(t, "kms.amazonaws.com", last.Principal)
	assert.Equal(t, []string{keyARN(cryptoHome, id)}, last.Resources)
	assert.Equal(t, validTo, last.Time)
	_, err = env.Engine.Decrypt(env.Caller(cryptoHome), engine.DecryptInput{CiphertextBlob: blob})
	wantErr[*kmserrors.KMSInvalidStateException](t, err, keyARN(cryptoHome, id)+" is pending import.")
	// Reimporting the same material restores it.
	mustImport(t, env, cryptoHome, id, secret, importOpts{})
	_, err = env.Engine.Decrypt(env.Caller(cryptoHome), engine.DecryptInput{CiphertextBlob: blob})
	require.NoError(t, err)

	// Nothing secret reaches the event log.
	log, err := json.Marshal(env.Engine.Events())
	require.NoError(t, err)
	assert.NotContains(t, string(log), hex.EncodeToString(secret))
	assert.NotContains(t, string(log), `"encryptedKeyMaterial":"`)
	assert.NotContains(t, string(log), `"importToken":"`)
}

func TestImportWrappingAlgorithms(t *testing.T) {
	env := kmstest.NewEnv(t)
	for i, alg := range []string{engine.RSAESOAEPSHA1, engine.RSAESOAEPSHA256, engine.RSAAESKeyWrapSHA1, engine.RSAAESKeyWrapSHA256} {
		t.Run(alg, func(t *testing.T) {
			id := externalKey(t, env, false)
			mustImport(t, env, cryptoHome, id, secretOf(byte(i)), importOpts{alg: alg})
			params, err := env.Engine.GetParametersForImport(env.Caller(cryptoHome), engine.GetParametersForImportInput{KeyID: id, WrappingAlgorithm: alg, WrappingKeySpec: "RSA_2048"})
			require.NoError(t, err)
			other := engine.RSAESOAEPSHA256
			if alg == engine.RSAESOAEPSHA256 {
				other = engine.RSAESOAEPSHA1
			}
			_, err = env.Engine.ImportKeyMaterial(env.Caller(cryptoHome), engine.ImportKeyMaterialInput{
				KeyID: id, ImportToken: params.ImportToken, ExpirationModel: keystore.KeyMaterialDoesNotExpire,
				EncryptedKeyMaterial: wrapMaterial(t, params.PublicKey, other, secretOf(byte(i))),
			})
			var ic *kmserrors.InvalidCiphertextException
			assert.ErrorAs(t, err, &ic, "material wrapped with %s", other)
		})
	}
}

func TestGetParametersForImportRules(t *testing.T) {
	env := kmstest.NewEnv(t)
	home := env.Caller(cryptoHome)
	id := externalKey(t, env, false)
	plain, err := env.Engine.CreateKey(home, engine.CreateKeyInput{})
	require.NoError(t, err)
	pending := externalKey(t, env, false)
	_, err = env.Engine.ScheduleKeyDeletion(home, engine.ScheduleKeyDeletionInput{KeyID: pending, PendingWindowInDays: 7})
	require.NoError(t, err)
	tests := []struct {
		name, key, alg, spec string
		check                func(error)
	}{
		{"AWS_KMS", plain.KeyMetadata.KeyID, engine.RSAESOAEPSHA256, "RSA_2048", func(err error) {
			wantErr[*kmserrors.UnsupportedOperationException](t, err, keyARN(cryptoHome, plain.KeyMetadata.KeyID)+" origin is AWS_KMS which is not valid for this operation.")
		}},
		{"PKCS1", id, "RSAES_PKCS1_V1_5", "RSA_2048", func(err error) {
			wantErr[*kmserrors.UnsupportedOperationException](t, err, "The RSAES_PKCS1_V1_5 wrapping algorithm is no longer supported. Use RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.")
		}},
		{"SM2PKE", id, "SM2PKE", "RSA_2048", func(err error) {
			wantErr[*kmserrors.ValidationException](t, err, "WrappingAlgorithm SM2PKE is not supported in this AWS partition.")
		}},
		{"SM2", id, engine.RSAESOAEPSHA1, "SM2", func(err error) {
			wantErr[*kmserrors.ValidationException](t, err, "WrappingKeySpec SM2 is not supported in this AWS partition.")
		}},
		{"PendingDeletion", pending, engine.RSAESOAEPSHA1, "RSA_2048", func(err error) {
			wantErr[*kmserrors.KMSInvalidStateException](t, err, keyARN(cryptoHome, pending)+" is pending deletion.")
		}},
		{"Missing", "", "", "", func(err error) {
			wantErr[*kmserrors.ValidationException](t, err, "3 validation errors detected: "+
				"Value null at 'keyId' failed to satisfy constraint: Member must not be null; "+
				"Value null at 'wrappingAlgorithm' failed to satisfy constraint: Member must not be null; "+
				"Value null at 'wrappingKeySpec' failed to satisfy constraint: Member must not be null")
		}},
		{"Enum", id, "AES", "RSA_1024", func(err error) {
			wantErr[*kmserrors.ValidationException](t, err, "2 validation errors detected: "+
				"Value 'AES' at 'wrappingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RSAES_PKCS1_V1_5, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, RSA_AES_KEY_WRAP_SHA_1, RSA_AES_KEY_WRAP_SHA_256, SM2PKE]; "+
				"Value 'RSA_1024' at 'wrappingKeySpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, RSA_3072, RSA_4096, SM2]")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.Engine.GetParametersForImport(home, engine.GetParametersForImportInput{KeyID: tc.key, WrappingAlgorithm: tc.alg, WrappingKeySpec: tc.spec})
			tc.check(err)
		})
	}
}

func TestImportKeyMaterialRules(t *testing.T) {
	env := kmstest.NewEnv(t)
	home := env.Caller(cryptoHome)
	id := externalKey(t, env, false)
	other := externalKey(t, env, false)
	params, err := env.Engine.GetParametersForImport(home, engine.GetParametersForImportInput{KeyID: id, WrappingAlgorithm: engine.RSAESOAEPSHA256, WrappingKeySpec: "RSA_2048"})
	require.NoError(t, err)
	wrapped := wrapMaterial(t, params.PublicKey, engine.RSAESOAEPSHA256, secretOf(1))
	now := env.Clock.Now()
	base := engine.ImportKeyMaterialInput{KeyID: id, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: keystore.KeyMaterialDoesNotExpire}
	with := func(f func(*engine.ImportKeyMaterialInput)) engine.ImportKeyMaterialInput {
		in := base
		f(&in)
		return in
	}
	tests := []struct {
		name      string
		in        engine.ImportKeyMaterialInput
		code, msg string
	}{
		{"NoValidTo", with(func(in *engine.ImportKeyMaterialInput) { in.ExpirationModel = "" }),
			"ValidationException", "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES"},
		{"ValidToWithoutExpiry", with(func(in *engine.ImportKeyMaterialInput) { in.ValidTo = now.Add(day) }),
			"ValidationException", "A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE"},
		{"ValidToPast", with(func(in *engine.ImportKeyMaterialInput) {
			in.ExpirationModel, in.ValidTo = keystore.KeyMaterialExpires, now
		}), "ValidationException", "The validTo date must be in the future."},
		{"ValidToTooLate", with(func(in *engine.ImportKeyMaterialInput) {
			in.ExpirationModel, in.ValidTo = keystore.KeyMaterialExpires, now.Add(365*day+time.Second)
		}), "ValidationException", "The validTo date must be no more than 365 days in the future."},
		{"OtherKeysToken", with(func(in *engine.ImportKeyMaterialInput) { in.KeyID = other }),
			"InvalidImportTokenException", "The import token is not valid for this KMS key."},
		{"GarbageToken", with(func(in *engine.ImportKeyMaterialInput) { in.ImportToken = []byte("x") }),
			"InvalidImportTokenException", "The import token is not valid for this KMS key."},
		{"NotWrapped", with(func(in *engine.ImportKeyMaterialInput) { in.EncryptedKeyMaterial = secretOf(1) }),
			"InvalidCiphertextException", ""},
		{"NewWithID", with(func(in *engine.ImportKeyMaterialInput) {
			in.ImportType, in.KeyMaterialID = engine.NewKeyMaterial, hex.EncodeToString(make([]byte, 32))
		}), "ValidationException", "A KeyMaterialId cannot be specified if the ImportType is NEW_KEY_MATERIAL"},
		{"WrongID", with(func(in *engine.ImportKeyMaterialInput) { in.KeyMaterialID = hex.EncodeToString(make([]byte, 32)) }),
			"IncorrectKeyMaterialException", "Imported key material does not have the expected identifier (" + hex.EncodeToString(make([]byte, 32)) + ")."},
		{"Description", with(func(in *engine.ImportKeyMaterialInput) { in.KeyMaterialDescription = "no*stars" }),
			"ValidationException", `1 validation error detected: Value 'no*stars' at 'keyMaterialDescription' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_\s.-]+$`},
		{"MaterialIDFormat", with(func(in *engine.ImportKeyMaterialInput) { in.KeyMaterialID = "ABC" }),
			"ValidationException", "1 validation error detected: Value 'ABC' at 'keyMaterialId' failed to satisfy constraint: Member must have length greater than or equal to 64"},
		{"Missing", engine.ImportKeyMaterialInput{KeyID: id}, "ValidationException", "2 validation errors detected: " +
			"Value null at 'importToken' failed to satisfy constraint: Member must not be null; " +
			"Value null at 'encryptedKeyMaterial' failed to satisfy constraint: Member must not be null"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.Engine.ImportKeyMaterial(home, tc.in)
			ae, ok := kmserrors.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tc.code, ae.ErrorCode())
			assert.Equal(t, tc.msg, ae.ErrorMessage())
		})
	}
	assert.Equal(t, keystore.PendingImport, describe(t, env, cryptoHome, id).KeyState, "failed imports change nothing")

	// 16 bytes are no AES-256 key.
	_, err = importInto(t, env, cryptoHome, id, make([]byte, 16), importOpts{})
	wantErr[*kmserrors.IncorrectKeyMaterialException](t, err, "The key material is not valid for a SYMMETRIC_DEFAULT key: it must be 32 bytes.")

	// The token expires after 24 hours.
	env.Advance(24 * time.Hour)
	_, err = env.Engine.ImportKeyMaterial(home, base)
	wantErr[*kmserrors.ExpiredImportTokenException](t, err, "The import token has expired. Call GetParametersForImport for a new one.")

	// Imported material needs an EXTERNAL key.
	plain, err := env.Engine.CreateKey(home, engine.CreateKeyInput{})
	require.NoError(t, err)
	_, err = env.Engine.ImportKeyMaterial(home, with(func(in *engine.ImportKeyMaterialInput) { in.KeyID = plain.KeyMetadata.KeyID }))
	wantErr[*kmserrors.UnsupportedOperationException](t, err, keyARN(cryptoHome, plain.KeyMetadata.KeyID)+" origin is AWS_KMS which is not valid for this operation.")
	_, err = env.Engine.DeleteImportedKeyMaterial(home, engine.DeleteImportedKeyMaterialInput{KeyID: plain.KeyMetadata.KeyID})
	wantErr[*kmserrors.UnsupportedOperationException](t, err, keyARN(cryptoHome, plain.KeyMetadata.KeyID)+" origin is AWS_KMS which is not valid for this operation.")
}

func TestDeleteImportedKeyMaterialStates(t *testing.T) {
	env := kmstest.NewEnv(t)
	home := env.Caller(cryptoHome)
	id := externalKey(t, env, false)
	arn := keyARN(cryptoHome, id)
	// Nothing imported: no effect.
	out, err := env.Engine.DeleteImportedKeyMaterial(home, engine.DeleteImportedKeyMaterialInput{KeyID: id})
	require.NoError(t, err)
	assert.Equal(t, &engine.DeleteImportedKeyMaterialOutput{KeyID: arn}, out)
	assert.Equal(t, keystore.PendingImport, describe(t, env, cryptoHome, id).KeyState)

	first := mustImport(t, env, cryptoHome, id, secretOf(1), importOpts{})
	out, err = env.Engine.DeleteImportedKeyMaterial(home, engine.DeleteImportedKeyMaterialInput{KeyID: id})
	require.NoError(t, err)
	assert.Equal(t, &engine.DeleteImportedKeyMaterialOutput{KeyID: arn, KeyMaterialID: first}, out)
	assert.Equal(t, keystore.PendingImport, describe(t, env, cryptoHome, id).KeyState)
	// Only the same material comes back.
	_, err = importInto(t, env, cryptoHome, id, secretOf(2), importOpts{})
	wantErr[*kmserrors.IncorrectKeyMaterialException](t, err, "Imported key material does not have the expected identifier ("+first+").")
	mustImport(t, env, cryptoHome, id, secretOf(1), importOpts{})
	assert.Equal(t, keystore.Enabled, describe(t, env, cryptoHome, id).KeyState)

	// A reimport leaves a Disabled key Disabled (spec §11 #31); deleting
	// its material sends it to PendingImport.
	_, err = env.Engine.DisableKey(home, engine.DisableKeyInput{KeyID: id})
	require.NoError(t, err)
	mustImport(t, env, cryptoHome, id, secretOf(1), importOpts{})
	assert.Equal(t, keystore.Disabled, describe(t, env, cryptoHome, id).KeyState)
	_, err = env.Engine.DeleteImportedKeyMaterial(home, engine.DeleteImportedKeyMaterialInput{KeyID: id, KeyMaterialID: first})
	require.NoError(t, err)
	assert.Equal(t, keystore.PendingImport, describe(t, env, cryptoHome, id).KeyState)
	mustImport(t, env, cryptoHome, id, secretOf(1), importOpts{})

	// Pending deletion: the state stays; cancelling finds no material.
	_, err = env.Engine.ScheduleKeyDeletion(home, engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: 7})
	require.NoError(t, err)
	_, err = env.Engine.DeleteImportedKeyMaterial(home, engine.DeleteImportedKeyMaterialInput{KeyID: id})
	require.NoError(t, err)
	assert.Equal(t, keystore.PendingDeletion, describe(t, env, cryptoHome, id).KeyState)
	_, err = env.Engine.CancelKeyDeletion(home, engine.CancelKeyDeletionInput{KeyID: id})
	require.NoError(t, err)
	assert.Equal(t, keystore.PendingImport, describe(t, env, cryptoHome, id).KeyState)
	// With its material, a cancelled key is Disabled as any other.
	mustImport(t, env, cryptoHome, id, secretOf(1), importOpts{})
	_, err = env.Engine.ScheduleKeyDeletion(home, engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: 7})
	require.NoError(t, err)
	_, err = env.Engine.CancelKeyDeletion(home, engine.CancelKeyDeletionInput{KeyID: id})
	require.NoError(t, err)
	assert.Equal(t, keystore.Disabled, describe(t, env, cryptoHome, id).KeyState)

	unknown := hex.EncodeToString(make([]byte, 32))
	_, err = env.Engine.DeleteImportedKeyMaterial(home, engine.DeleteImportedKeyMaterialInput{KeyID: id, KeyMaterialID: unknown})
	wantErr[*kmserrors.NotFoundException](t, err, "Key material "+unknown+" is not associated with "+arn+".")
}

// Unrelated keys holding the same imported material do not decrypt each
// other's ciphertext (spec §9.1): the material IDs differ, and the key ID
// is part of the additional data.
func TestImportedMaterialUnrelatedKeys(t *testing.T) {
	env := kmstest.NewEnv(t)
	a, b := externalKey(t, env, false), externalKey(t, env, false)
	ida := mustImport(t, env, cryptoHome, a, secretOf(9), importOpts{})
	idb := mustImport(t, env, cryptoHome, b, secretOf(9), importOpts{})
	assert.NotEqual(t, ida, idb)
	blob := encrypt(t, env, cryptoHome, a, []byte("mine"), nil)
	_, err := env.Engine.Decrypt(env.Caller(cryptoHome), engine.DecryptInput{CiphertextBlob: blob, KeyID: b})
	wantErr[*kmserrors.IncorrectKeyException](t, err, "The key ID in the request does not identify a CMK that can perform this operation.")
	// Rewriting the header to name b and its material does not help.
	forged := bytes.Clone(blob)
	copy(forged[1:], b)
	mb, _ := hex.DecodeString(idb)
	copy(forged[1+36:], mb)
	_, err = env.Engine.Decrypt(env.Caller(cryptoHome), engine.DecryptInput{CiphertextBlob: forged})
	var ic *kmserrors.InvalidCiphertextException
	assert.ErrorAs(t, err, &ic)
}

func TestImportedRotationSingleRegion(t *testing.T) {
	env := kmstest.NewEnv(t)
	home := env.Caller(cryptoHome)
	id := externalKey(t, env, false)
	first := mustImport(t, env, cryptoHome, id, secretOf(1), importOpts{})
	old := encrypt(t, env, cryptoHome, id, []byte("old"), nil)
	_, err := env.Engine.RotateKeyOnDemand(home, engine.RotateKeyOnDemandInput{KeyID: id})
	wantErr[*kmserrors.KMSInvalidStateException](t, err, "Cannot perform key material rotation: No key material is pending rotation.")
	// Without ImportType, material after the first is EXISTING.
	_, err = importInto(t, env, cryptoHome, id, secretOf(2), importOpts{})
	wantErr[*kmserrors.IncorrectKeyMaterialException](t, err, "Imported key material does not have the expected identifier ("+first+").")
	second := mustImport(t, env, cryptoHome, id, secretOf(2), importOpts{importType: engine.NewKeyMaterial, description: "next: v2"})
	_, err = importInto(t, env, cryptoHome, id, secretOf(3), importOpts{importType: engine.NewKeyMaterial})
	wantErr[*kmserrors.KMSInvalidStateException](t, err, keyARN(cryptoHome, id)+" already has key material pending rotation ("+second+").")
	assert.Equal(t, []engine.RotationsListEntry{
		{KeyID: id, KeyMaterialID: first, KeyMaterialState: "CURRENT", ImportState: "IMPORTED", ExpirationModel: keystore.KeyMaterialDoesNotExpire},
		{KeyID: id, KeyMaterialID: second, KeyMaterialState: "PENDING_ROTATION", ImportState: "IMPORTED", ExpirationModel: keystore.KeyMaterialDoesNotExpire, KeyMaterialDescription: "next: v2"},
	}, listRotations(t, env, cryptoHome, engine.ListKeyRotationsInput{KeyID: id, IncludeKeyMaterial: engine.AllKeyMaterial}))
	assert.Empty(t, listRotations(t, env, cryptoHome, engine.ListKeyRotationsInput{KeyID: id}))

	_, err = env.Engine.RotateKeyOnDemand(home, engine.RotateKeyOnDemandInput{KeyID: id})
	require.NoError(t, err)
	env.Settle()
	assert.Equal(t, second, describe(t, env, cryptoHome, id).CurrentKeyMaterialID)
	rot := listRotations(t, env, cryptoHome, engine.ListKeyRotationsInput{KeyID: id})
	require.Len(t, rot, 1)
	assert.Equal(t, "CURRENT", rot[0].KeyMaterialState)
	assert.Equal(t, keystore.RotationOnDemand, rot[0].RotationType)
	out, err := env.Engine.Decrypt(home, engine.DecryptInput{CiphertextBlob: old})
	require.NoError(t, err)
	assert.Equal(t, first, out.KeyMaterialID)

	// Deleting old material the key needs sends it to PendingImport.
	_, err = env.Engine.DeleteImportedKeyMaterial(home, engine.DeleteImportedKeyMaterialInput{KeyID: id, KeyMaterialID: first})
	require.NoError(t, err)
	assert.Equal(t, keystore.PendingImport, describe(t, env, cryptoHome, id).KeyState)
	mustImport(t, env, cryptoHome, id, secretOf(1), importOpts{materialID: first})
	assert.Equal(t, keystore.Enabled, describe(t, env, cryptoHome, id).KeyState)

	// Pending material can be deleted and replaced.
	third := mustImport(t, env, cryptoHome, id, secretOf(3), importOpts{importType: engine.NewKeyMaterial})
	_, err = env.Engine.DeleteImportedKeyMaterial(home, engine.DeleteImportedKeyMaterialInput{KeyID: id, KeyMaterialID: third})
	require.NoError(t, err)
	assert.Equal(t, keystore.Enabled, describe(t, env, cryptoHome, id).KeyState)
	mustImport(t, env, cryptoHome, id, secretOf(4), importOpts{importType: engine.NewKeyMaterial})
	assert.Len(t, listRotations(t, env, cryptoHome, engine.ListKeyRotationsInput{KeyID: id, IncludeKeyMaterial: engine.AllKeyMaterial}), 3)
}

func TestImportHMACMaterial(t *testing.T) {
	env := kmstest.NewEnv(t)
	out, err := env.Engine.CreateKey(env.Caller(cryptoHome), engine.CreateKeyInput{Origin: keystore.OriginExternal, KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC})
	require.NoError(t, err)
	id := out.KeyMetadata.KeyID
	_, err = importInto(t, env, cryptoHome, id, make([]byte, 31), importOpts{})
	wantErr[*kmserrors.IncorrectKeyMaterialException](t, err, "The key material is not valid for a HMAC_256 key: it must be 32 to 64 bytes.")
	_, err = importInto(t, env, cryptoHome, id, secretOf(1), importOpts{importType: engine.NewKeyMaterial})
	wantErr[*kmserrors.ValidationException](t, err, "ImportType, KeyMaterialDescription and KeyMaterialId can be used only with symmetric encryption keys.")
	mustImport(t, env, cryptoHome, id, bytes.Repeat([]byte{1}, 48), importOpts{})
	assert.Equal(t, keystore.Enabled, describe(t, env, cryptoHome, id).KeyState)

	rsaKey, err := env.Engine.CreateKey(env.Caller(cryptoHome), engine.CreateKeyInput{Origin: keystore.OriginExternal, KeySpec: keystore.RSA2048, KeyUsage: keystore.SignVerify})
	require.NoError(t, err)
	_, err = importInto(t, env, cryptoHome, rsaKey.KeyMetadata.KeyID, secretOf(1), importOpts{})
	wantErr[*kmserrors.IncorrectKeyMaterialException](t, err, "The key material is not valid for a RSA_2048 key: it must be a DER-encoded PKCS #8 private key of that key spec.")
}

// The wrapping key and token come from Config.Rand alone.
func TestGetParametersForImportDeterministic(t *testing.T) {
	run := func() *engine.GetParametersForImportOutput {
		env := kmstest.NewEnv(t, kmstest.Seed(42))
		id := externalKey(t, env, false)
		out, err := env.Engine.GetParametersForImport(env.Caller(cryptoHome), engine.GetParametersForImportInput{KeyID: id, WrappingAlgorithm: engine.RSAAESKeyWrapSHA256, WrappingKeySpec: "RSA_2048"})
		require.NoError(t, err)
		return out
	}
	assert.Equal(t, run(), run())
}
