package engine_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

const cryptoHome region.ID = "us-east-1"

var cryptoReplicas = []region.ID{"us-west-2", "eu-west-1"}

// cryptoFamily creates a multi-Region primary in us-east-1 with settled
// replicas in cryptoReplicas and returns its key ID.
func cryptoFamily(t testing.TB, env *kmstest.Env) string {
	t.Helper()
	out, err := env.Engine.CreateKey(env.Caller(cryptoHome), engine.CreateKeyInput{MultiRegion: true})
	require.NoError(t, err)
	id := out.KeyMetadata.KeyID
	for _, r := range cryptoReplicas {
		_, err := env.Engine.ReplicateKey(env.Caller(cryptoHome), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: r})
		require.NoError(t, err)
	}
	env.Settle()
	return id
}

func keyARN(r region.ID, id string) string {
	return region.KeyARN("aws", r, kmstest.DefaultAccount, id)
}

func encrypt(t testing.TB, env *kmstest.Env, r region.ID, keyID string, p []byte, ctx map[string]string) []byte {
	t.Helper()
	out, err := env.Engine.Encrypt(env.Caller(r), engine.EncryptInput{KeyID: keyID, Plaintext: p, EncryptionContext: ctx})
	require.NoError(t, err)
	return out.CiphertextBlob
}

// wantErr checks that err is a *E with message msg.
func wantErr[E interface {
	*T
	error
	ErrorMessage() string
}, T any](t testing.TB, err error, msg string) {
	t.Helper()
	var target E
	if assert.True(t, errors.As(err, &target), "got %v, want %T", err, target) {
		assert.Equal(t, msg, target.ErrorMessage())
	}
}

func TestCurrentKeyMaterialID(t *testing.T) {
	env := kmstest.NewEnv(t)
	us := env.Caller(cryptoHome)
	created, err := env.Engine.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
	require.NoError(t, err)
	id, matID := created.KeyMetadata.KeyID, created.KeyMetadata.CurrentKeyMaterialID
	assert.Regexp(t, `^[0-9a-f]{64}$`, matID)

	rep, err := env.Engine.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1"})
	require.NoError(t, err)
	assert.Empty(t, rep.ReplicaKeyMetadata.CurrentKeyMaterialID, "ReplicateKey response")
	d, err := env.Engine.DescribeKey(env.Caller("eu-west-1"), engine.DescribeKeyInput{KeyID: id})
	require.NoError(t, err)
	assert.Equal(t, keystore.Creating, d.KeyMetadata.KeyState)
	assert.Empty(t, d.KeyMetadata.CurrentKeyMaterialID, "while Creating")
	_, err = env.Engine.Encrypt(env.Caller("eu-west-1"), engine.EncryptInput{KeyID: id, Plaintext: []byte("x")})
	wantErr[*kmserrors.KMSInvalidStateException](t, err, keyARN("eu-west-1", id)+" is creating.")

	env.Settle()
	for _, r := range []region.ID{cryptoHome, "eu-west-1"} {
		d, err := env.Engine.DescribeKey(env.Caller(r), engine.DescribeKeyInput{KeyID: id})
		require.NoError(t, err)
		assert.Equal(t, matID, d.KeyMetadata.CurrentKeyMaterialID, r)
	}

	for _, in := range []engine.CreateKeyInput{
		{KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC},
		{KeySpec: keystore.RSA2048, KeyUsage: keystore.EncryptDecrypt},
		{KeySpec: keystore.MLDSA44, KeyUsage: keystore.SignVerify},
		{Origin: keystore.OriginExternal, MultiRegion: true},
	} {
		out, err := env.Engine.CreateKey(us, in)
		require.NoError(t, err)
		assert.Empty(t, out.KeyMetadata.CurrentKeyMaterialID, "%+v", in)
	}
}

// Material generation waits for first use, and the result does not
// depend on when that is.
func TestMaterialIndependentOfUse(t *testing.T) {
	ids := func(describeEarly bool) []string {
		env := kmstest.NewEnv(t)
		us := env.Caller(cryptoHome)
		var out []string
		for range 3 {
			k, err := env.Engine.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
			require.NoError(t, err)
			if !describeEarly {
				// Make sure the material exists before the next CreateKey.
				_, err = env.Engine.DescribeKey(us, engine.DescribeKeyInput{KeyID: k.KeyMetadata.KeyID})
				require.NoError(t, err)
			}
			out = append(out, k.KeyMetadata.KeyID)
		}
		for _, id := range out[:len(out):len(out)] {
			d, err := env.Engine.DescribeKey(us, engine.DescribeKeyInput{KeyID: id})
			require.NoError(t, err)
			out = append(out, d.KeyMetadata.CurrentKeyMaterialID)
		}
		return out
	}
	// CreateKey's own output already made the first material; what
	// matters is that neither order nor repetition changes anything.
	early := ids(false)
	assert.Equal(t, early, ids(false))
	assert.Equal(t, early, ids(true))
}
