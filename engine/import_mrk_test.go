package engine_test

import (
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

// externalFamily creates an EXTERNAL primary in cryptoHome with secret
// imported, and replicas in regions, settled and waiting for their
// material. It returns the key ID and the material's ID.
func externalFamily(t *testing.T, env *kmstest.Env, secret []byte, regions ...region.ID) (string, string) {
	t.Helper()
	id := externalKey(t, env, true)
	mat := mustImport(t, env, cryptoHome, id, secret, importOpts{})
	for _, r := range regions {
		_, err := env.Engine.ReplicateKey(env.Caller(cryptoHome), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: r})
		require.NoError(t, err)
	}
	env.Settle()
	return id, mat
}

func TestImportMultiRegionRules(t *testing.T) {
	env := kmstest.NewEnv(t)
	home := env.Caller(cryptoHome)
	west := env.Caller("us-west-2")
	id := externalKey(t, env, true)

	// A primary waiting for its material cannot be replicated.
	_, err := env.Engine.ReplicateKey(home, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"})
	wantErr[*kmserrors.KMSInvalidStateException](t, err, keyARN(cryptoHome, id)+" is pending import.")

	secret := secretOf(0x11)
	mat := mustImport(t, env, cryptoHome, id, secret, importOpts{description: "shared"})
	_, err = env.Engine.ReplicateKey(home, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"})
	require.NoError(t, err)
	// Creating: no material ID yet, and no import.
	assert.Empty(t, describe(t, env, "us-west-2", id).CurrentKeyMaterialID)
	_, err = env.Engine.GetParametersForImport(west, engine.GetParametersForImportInput{KeyID: id, WrappingAlgorithm: engine.RSAESOAEPSHA1, WrappingKeySpec: "RSA_2048"})
	wantErr[*kmserrors.KMSInvalidStateException](t, err, keyARN("us-west-2", id)+" is creating.")
	_, err = env.Engine.DeleteImportedKeyMaterial(west, engine.DeleteImportedKeyMaterialInput{KeyID: id})
	wantErr[*kmserrors.KMSInvalidStateException](t, err, keyARN("us-west-2", id)+" is creating.")
	env.Settle()
	m := describe(t, env, "us-west-2", id)
	assert.Equal(t, keystore.PendingImport, m.KeyState)
	assert.Equal(t, mat, m.CurrentKeyMaterialID, "a replica awaiting import names the material it must receive")
	assert.Empty(t, m.ExpirationModel)

	_, err = importInto(t, env, "us-west-2", id, secretOf(0x12), importOpts{})
	wantErr[*kmserrors.IncorrectKeyMaterialException](t, err, "Imported key material does not have the expected identifier ("+mat+").")
	_, err = importInto(t, env, "us-west-2", id, secret, importOpts{importType: engine.NewKeyMaterial})
	wantErr[*kmserrors.ValidationException](t, err, "Input parameter ImportType NEW_KEY_MATERIAL cannot be used on replica Multi-Region keys")
	_, err = importInto(t, env, "us-west-2", id, secret, importOpts{description: "mine"})
	wantErr[*kmserrors.ValidationException](t, err, "Key material description can only be specified on primary Multi-Region keys")

	// Tokens belong to one key: the primary's does not work on the replica.
	params, err := env.Engine.GetParametersForImport(home, engine.GetParametersForImportInput{KeyID: id, WrappingAlgorithm: engine.RSAESOAEPSHA256, WrappingKeySpec: "RSA_2048"})
	require.NoError(t, err)
	_, err = env.Engine.ImportKeyMaterial(west, engine.ImportKeyMaterialInput{
		KeyID: id, ImportToken: params.ImportToken, ExpirationModel: keystore.KeyMaterialDoesNotExpire,
		EncryptedKeyMaterial: wrapMaterial(t, params.PublicKey, engine.RSAESOAEPSHA256, secret),
	})
	wantErr[*kmserrors.InvalidImportTokenException](t, err, "The import token is not valid for this KMS key.")
	assert.Equal(t, keystore.PendingImport, describe(t, env, "us-west-2", id).KeyState)

	// Each related key imports on its own, with its own expiration.
	validTo := env.Clock.Now().Add(10 * day)
	assert.Equal(t, mat, mustImport(t, env, "us-west-2", id, secret, importOpts{validTo: validTo, materialID: mat}))
	m = describe(t, env, "us-west-2", id)
	assert.Equal(t, keystore.Enabled, m.KeyState)
	assert.Equal(t, keystore.KeyMaterialExpires, m.ExpirationModel)
	assert.Equal(t, validTo, m.ValidTo)
	p := describe(t, env, cryptoHome, id)
	assert.Equal(t, keystore.KeyMaterialDoesNotExpire, p.ExpirationModel)
	assert.True(t, p.ValidTo.IsZero())
	rot := listRotations(t, env, "us-west-2", engine.ListKeyRotationsInput{KeyID: id, IncludeKeyMaterial: engine.AllKeyMaterial})
	require.Len(t, rot, 1)
	assert.Equal(t, "shared", rot[0].KeyMaterialDescription, "the description is the primary's")

	blob := encrypt(t, env, cryptoHome, id, []byte("home"), nil)
	out, err := env.Engine.Decrypt(west, engine.DecryptInput{CiphertextBlob: blob})
	require.NoError(t, err)
	assert.Equal(t, []byte("home"), out.Plaintext)

	// The replica's material expires alone.
	env.Advance(10 * day)
	assert.Equal(t, keystore.PendingImport, describe(t, env, "us-west-2", id).KeyState)
	assert.Equal(t, keystore.Enabled, describe(t, env, cryptoHome, id).KeyState)
}

func TestImportedRotationMultiRegion(t *testing.T) {
	env := kmstest.NewEnv(t)
	home := env.Caller(cryptoHome)
	a := secretOf(0xa)
	id, matA := externalFamily(t, env, a, cryptoReplicas...)
	for _, r := range cryptoReplicas {
		mustImport(t, env, r, id, a, importOpts{})
	}
	oldBlob := encrypt(t, env, "us-west-2", id, []byte("a"), nil)

	b := secretOf(0xb)
	matB := mustImport(t, env, cryptoHome, id, b, importOpts{importType: engine.NewKeyMaterial, description: "b"})
	stateOf := func(r region.ID, mat string) (state, imported string) {
		for _, en := range listRotations(t, env, r, engine.ListKeyRotationsInput{KeyID: id, IncludeKeyMaterial: engine.AllKeyMaterial}) {
			if en.KeyMaterialID == mat {
				return en.KeyMaterialState, en.ImportState
			}
		}
		return "", ""
	}
	st, imp := stateOf(cryptoHome, matB)
	assert.Equal(t, "PENDING_MULTI_REGION_IMPORT_AND_ROTATION", st)
	assert.Equal(t, "IMPORTED", imp)
	st, imp = stateOf("us-west-2", matB)
	assert.Equal(t, "PENDING_MULTI_REGION_IMPORT_AND_ROTATION", st)
	assert.Equal(t, "PENDING_IMPORT", imp)

	_, err := env.Engine.RotateKeyOnDemand(home, engine.RotateKeyOnDemandInput{KeyID: id})
	wantErr[*kmserrors.KMSInvalidStateException](t, err, "Cannot perform key material rotation: Key material has not been imported for replicas of the Multi-Region key.")
	mustImport(t, env, "us-west-2", id, b, importOpts{})
	st, _ = stateOf("eu-west-1", matB)
	assert.Equal(t, "PENDING_MULTI_REGION_IMPORT_AND_ROTATION", st)
	_, err = env.Engine.RotateKeyOnDemand(home, engine.RotateKeyOnDemandInput{KeyID: id})
	wantErr[*kmserrors.KMSInvalidStateException](t, err, "Cannot perform key material rotation: Key material has not been imported for replicas of the Multi-Region key.")
	mustImport(t, env, "eu-west-1", id, b, importOpts{})
	st, imp = stateOf("eu-west-1", matB)
	assert.Equal(t, "PENDING_ROTATION", st)
	assert.Equal(t, "IMPORTED", imp)
	for _, r := range cryptoReplicas {
		assert.Equal(t, matA, describe(t, env, r, id).CurrentKeyMaterialID, "pending material is not current")
	}

	_, err = env.Engine.RotateKeyOnDemand(home, engine.RotateKeyOnDemandInput{KeyID: id})
	require.NoError(t, err)
	env.Settle()
	regions := append([]region.ID{cryptoHome}, cryptoReplicas...)
	newBlob := encrypt(t, env, "eu-west-1", id, []byte("b"), nil)
	for _, r := range regions {
		m := describe(t, env, r, id)
		assert.Equal(t, matB, m.CurrentKeyMaterialID)
		assert.Equal(t, keystore.Enabled, m.KeyState)
		for blob, want := range map[string]string{string(oldBlob): matA, string(newBlob): matB} {
			out, err := env.Engine.Decrypt(env.Caller(r), engine.DecryptInput{CiphertextBlob: []byte(blob)})
			require.NoError(t, err, "Decrypt in %s", r)
			assert.Equal(t, want, out.KeyMaterialID)
		}
	}

	// Pending material deleted on the primary leaves every replica too.
	matC := mustImport(t, env, cryptoHome, id, secretOf(0xc), importOpts{importType: engine.NewKeyMaterial})
	mustImport(t, env, "us-west-2", id, secretOf(0xc), importOpts{})
	del, err := env.Engine.DeleteImportedKeyMaterial(home, engine.DeleteImportedKeyMaterialInput{KeyID: id, KeyMaterialID: matC})
	require.NoError(t, err)
	assert.Equal(t, matC, del.KeyMaterialID)
	for _, r := range regions {
		st, _ := stateOf(r, matC)
		assert.Empty(t, st, "%s still lists the deleted material", r)
		assert.Equal(t, keystore.Enabled, describe(t, env, r, id).KeyState)
	}
	_, err = importInto(t, env, "us-west-2", id, secretOf(0xc), importOpts{})
	var ikm *kmserrors.IncorrectKeyMaterialException
	assert.ErrorAs(t, err, &ikm, "the replica cannot import material the family no longer has")

	// Material deleted on a replica affects no other key.
	_, err = env.Engine.DeleteImportedKeyMaterial(env.Caller("us-west-2"), engine.DeleteImportedKeyMaterialInput{KeyID: id, KeyMaterialID: matA})
	require.NoError(t, err)
	assert.Equal(t, keystore.PendingImport, describe(t, env, "us-west-2", id).KeyState)
	assert.Equal(t, keystore.Enabled, describe(t, env, cryptoHome, id).KeyState)
	assert.Equal(t, keystore.Enabled, describe(t, env, "eu-west-1", id).KeyState)
	// The replica names what it lacks.
	_, err = importInto(t, env, "us-west-2", id, secretOf(0xd), importOpts{})
	wantErr[*kmserrors.IncorrectKeyMaterialException](t, err, "Imported key material does not have the expected identifier ("+matA+").")

	// A replica made after the rotation needs every version.
	_, err = env.Engine.ReplicateKey(home, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "ap-southeast-2"})
	require.NoError(t, err)
	env.Settle()
	mustImport(t, env, "ap-southeast-2", id, b, importOpts{})
	assert.Equal(t, keystore.PendingImport, describe(t, env, "ap-southeast-2", id).KeyState)
	mustImport(t, env, "ap-southeast-2", id, a, importOpts{})
	assert.Equal(t, keystore.Enabled, describe(t, env, "ap-southeast-2", id).KeyState)
	out, err := env.Engine.Decrypt(env.Caller("ap-southeast-2"), engine.DecryptInput{CiphertextBlob: oldBlob})
	require.NoError(t, err)
	assert.Equal(t, []byte("a"), out.Plaintext)
}

// A replica that loses the pending material between RotateKeyOnDemand
// and the rotation's completion waits for an import of it afterwards.
func TestImportedRotationReplicaLosesMaterial(t *testing.T) {
	env := kmstest.NewEnv(t)
	a, b := secretOf(1), secretOf(2)
	id, _ := externalFamily(t, env, a, "us-west-2")
	mustImport(t, env, "us-west-2", id, a, importOpts{})
	matB := mustImport(t, env, cryptoHome, id, b, importOpts{importType: engine.NewKeyMaterial})
	mustImport(t, env, "us-west-2", id, b, importOpts{validTo: env.Clock.Now().Add(time.Second)})
	_, err := env.Engine.RotateKeyOnDemand(env.Caller(cryptoHome), engine.RotateKeyOnDemandInput{KeyID: id})
	require.NoError(t, err)
	env.Settle()
	assert.Equal(t, matB, describe(t, env, cryptoHome, id).CurrentKeyMaterialID)
	assert.Equal(t, keystore.Enabled, describe(t, env, cryptoHome, id).KeyState)
	assert.Equal(t, keystore.PendingImport, describe(t, env, "us-west-2", id).KeyState)
	mustImport(t, env, "us-west-2", id, b, importOpts{})
	assert.Equal(t, keystore.Enabled, describe(t, env, "us-west-2", id).KeyState)
}
