package engine_test

import (
	"fmt"
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

// importStateKey is an EXTERNAL key in one state, with an import token
// obtained before it got there.
type importStateKey struct {
	r      region.ID
	id     string
	params *engine.GetParametersForImportOutput
}

// importStateKeys returns an EXTERNAL key in each state of the spec §4.3
// columns, by state name. Every key but the PendingImport one and the
// Creating replica holds secretOf(1).
func importStateKeys(t *testing.T, env *kmstest.Env) map[keystore.KeyState]importStateKey {
	t.Helper()
	home := env.Caller(cryptoHome)
	withToken := func(r region.ID, id string) importStateKey {
		p, err := env.Engine.GetParametersForImport(env.Caller(r), engine.GetParametersForImportInput{KeyID: id, WrappingAlgorithm: engine.RSAESOAEPSHA256, WrappingKeySpec: "RSA_2048"})
		require.NoError(t, err)
		return importStateKey{r, id, p}
	}
	ready := func() string {
		id := externalKey(t, env, false)
		mustImport(t, env, cryptoHome, id, secretOf(1), importOpts{})
		return id
	}
	// Families first: externalFamily settles the clock, which would end
	// deletion windows and Updating.
	prd, _ := externalFamily(t, env, secretOf(1), "us-west-2")
	up, _ := externalFamily(t, env, secretOf(1), "eu-west-1")
	mustImport(t, env, "eu-west-1", up, secretOf(1), importOpts{})
	cr, _ := externalFamily(t, env, secretOf(1))
	keys := map[keystore.KeyState]importStateKey{
		keystore.Enabled:                withToken(cryptoHome, ready()),
		keystore.Disabled:               withToken(cryptoHome, ready()),
		keystore.PendingDeletion:        withToken(cryptoHome, ready()),
		keystore.PendingImport:          withToken(cryptoHome, externalKey(t, env, false)),
		keystore.PendingReplicaDeletion: withToken(cryptoHome, prd),
		keystore.Updating:               withToken(cryptoHome, up),
		keystore.Creating:               {r: "ap-southeast-2", id: cr},
	}
	_, err := env.Engine.DisableKey(home, engine.DisableKeyInput{KeyID: keys[keystore.Disabled].id})
	require.NoError(t, err)
	for _, id := range []string{keys[keystore.PendingDeletion].id, prd} {
		_, err = env.Engine.ScheduleKeyDeletion(home, engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: 7})
		require.NoError(t, err)
	}
	_, err = env.Engine.UpdatePrimaryRegion(home, engine.UpdatePrimaryRegionInput{KeyID: up, PrimaryRegion: "eu-west-1"})
	require.NoError(t, err)
	_, err = env.Engine.ReplicateKey(home, engine.ReplicateKeyInput{KeyID: cr, ReplicaRegion: "ap-southeast-2"})
	require.NoError(t, err)
	for s, k := range keys {
		require.Equal(t, s, describe(t, env, k.r, k.id).KeyState)
	}
	return keys
}

// The key-state rows of spec §4.3 for the import operations.
func TestImportOperationsKeyStates(t *testing.T) {
	const ok = ""
	type row struct {
		gpfi, ikm, dikm string // expected error message or ok
		// after is the state DeleteImportedKeyMaterial leaves.
		after keystore.KeyState
	}
	rows := map[keystore.KeyState]row{
		keystore.Enabled:                {ok, ok, ok, keystore.PendingImport},
		keystore.Disabled:               {ok, ok, ok, keystore.PendingImport},
		keystore.PendingDeletion:        {"%s is pending deletion.", "%s is pending deletion.", ok, keystore.PendingDeletion},
		keystore.PendingReplicaDeletion: {"%s is pending replica deletion.", "%s is pending replica deletion.", ok, keystore.PendingReplicaDeletion},
		keystore.PendingImport:          {ok, ok, ok, keystore.PendingImport},
		keystore.Creating:               {"%s is creating.", "%s is creating.", "%s is creating.", keystore.Creating},
		keystore.Updating:               {"%s is updating.", ok, "%s is updating.", keystore.Updating},
	}
	// The keys are independent: each subtest changes only its own.
	env := kmstest.NewEnv(t)
	keys := importStateKeys(t, env)
	for state, want := range rows {
		t.Run(string(state), func(t *testing.T) {
			k := keys[state]
			c := env.Caller(k.r)
			arn := keyARN(k.r, k.id)
			check := func(op, msg string, err error) {
				t.Helper()
				if msg == ok {
					assert.NoError(t, err, op)
					return
				}
				wantErr[*kmserrors.KMSInvalidStateException](t, err, sprintf(msg, arn))
			}
			_, err := env.Engine.GetParametersForImport(c, engine.GetParametersForImportInput{KeyID: k.id, WrappingAlgorithm: engine.RSAESOAEPSHA1, WrappingKeySpec: "RSA_2048"})
			check("GetParametersForImport", want.gpfi, err)

			in := engine.ImportKeyMaterialInput{KeyID: k.id, ImportToken: []byte("no token"), EncryptedKeyMaterial: []byte("x"), ExpirationModel: keystore.KeyMaterialDoesNotExpire}
			if k.params != nil {
				in.ImportToken = k.params.ImportToken
				in.EncryptedKeyMaterial = wrapMaterial(t, k.params.PublicKey, engine.RSAESOAEPSHA256, secretOf(1))
			}
			_, err = env.Engine.ImportKeyMaterial(c, in)
			check("ImportKeyMaterial", want.ikm, err)
			if want.ikm == ok {
				wantState := state
				if state == keystore.PendingImport {
					wantState = keystore.Enabled
				}
				assert.Equal(t, wantState, describe(t, env, k.r, k.id).KeyState, "after ImportKeyMaterial")
			}

			_, err = env.Engine.DeleteImportedKeyMaterial(c, engine.DeleteImportedKeyMaterialInput{KeyID: k.id})
			check("DeleteImportedKeyMaterial", want.dikm, err)
			assert.Equal(t, want.after, describe(t, env, k.r, k.id).KeyState, "after DeleteImportedKeyMaterial")
		})
	}
}

// The schedule holds one automatic rotation per family and one expiry per
// key, however often the settings change.
func TestRotationAndExpirySchedules(t *testing.T) {
	env := kmstest.NewEnv(t)
	home := env.Caller(cryptoHome)
	count := func(action engine.Action) int {
		n := 0
		for _, p := range env.Engine.Pending() {
			if p.Action == action {
				n++
			}
		}
		return n
	}
	out, err := env.Engine.CreateKey(home, engine.CreateKeyInput{})
	require.NoError(t, err)
	id := out.KeyMetadata.KeyID
	for _, days := range []int{90, 100, 365} {
		_, err := env.Engine.EnableKeyRotation(home, engine.EnableKeyRotationInput{KeyID: id, RotationPeriodInDays: days})
		require.NoError(t, err)
		assert.Equal(t, 1, count(engine.RotateKey))
	}
	_, err = env.Engine.DisableKeyRotation(home, engine.DisableKeyRotationInput{KeyID: id})
	require.NoError(t, err)
	assert.Zero(t, count(engine.RotateKey))

	ext := externalKey(t, env, false)
	for _, d := range []int{30, 10, 20} {
		mustImport(t, env, cryptoHome, ext, secretOf(1), importOpts{validTo: env.Clock.Now().Add(time.Duration(d) * day)})
		assert.Equal(t, 1, count(engine.ExpireKeyMaterial))
	}
	mustImport(t, env, cryptoHome, ext, secretOf(1), importOpts{})
	assert.Zero(t, count(engine.ExpireKeyMaterial))
}

func sprintf(format, arg string) string { return fmt.Sprintf(format, arg) }
