package engine_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
)

// A key's material depends only on the seed drawn when the key was made,
// not on which other keys generated theirs first: asymmetric material is
// made on first use, from a stream the engine reseeds for each key.
func TestMaterialIndependentOfGenerationOrder(t *testing.T) {
	publicKeys := func(order []int) map[string][]byte {
		env := kmstest.NewEnv(t, kmstest.Seed(7))
		c := env.Caller(cryptoHome)
		var ids []string
		for _, spec := range []keystore.KeySpec{keystore.ECCNISTP256, keystore.ECCSECGP256K1, keystore.ECCNISTP384} {
			out, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: spec, KeyUsage: keystore.SignVerify})
			require.NoError(t, err)
			ids = append(ids, out.KeyMetadata.KeyID)
		}
		got := map[string][]byte{}
		for _, i := range order {
			out, err := env.Engine.GetPublicKey(c, engine.GetPublicKeyInput{KeyID: ids[i]})
			require.NoError(t, err)
			got[ids[i]] = out.PublicKey
		}
		return got
	}
	forward, backward := publicKeys([]int{0, 1, 2}), publicKeys([]int{2, 1, 0})
	require.Len(t, forward, 3)
	assert.Equal(t, forward, backward)
}
