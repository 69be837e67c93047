package engine_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/kmstest"
)

func TestThrottlingIsOffByDefault(t *testing.T) {
	env := kmstest.NewEnv(t)
	for range 50 {
		_, err := env.Engine.CreateKey(env.Caller("us-east-1"), engine.CreateKeyInput{})
		require.NoError(t, err)
	}
}

func TestThrottlingRefillsOnTheSimulatedClock(t *testing.T) {
	env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{Throttle: true}))
	us := env.Caller("us-east-1")
	for range 5 {
		_, err := env.Engine.CreateKey(us, engine.CreateKeyInput{})
		require.NoError(t, err)
	}
	_, err := env.Engine.CreateKey(us, engine.CreateKeyInput{})
	var th *kmserrors.ThrottlingException
	require.ErrorAs(t, err, &th)
	require.Equal(t, "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.", th.Message)

	// Another Region has its own bucket.
	_, err = env.Engine.CreateKey(env.Caller("eu-west-1"), engine.CreateKeyInput{})
	require.NoError(t, err)

	env.Clock.Advance(200 * time.Millisecond) // one token at 5 per second
	_, err = env.Engine.CreateKey(us, engine.CreateKeyInput{})
	require.NoError(t, err)
	_, err = env.Engine.CreateKey(us, engine.CreateKeyInput{})
	require.ErrorAs(t, err, &th)
}

func TestReplicateKeyCostsTwoCreateKeysInTheReplicaRegion(t *testing.T) {
	env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{
		Throttle:     true,
		RequestRates: map[string]float64{"CreateKey": 3, "ReplicateKey": 100},
	}))
	us := env.Caller("us-east-1")
	var ids []string
	for range 2 {
		out, err := env.Engine.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
		require.NoError(t, err)
		ids = append(ids, out.KeyMetadata.KeyID)
	}
	env.Clock.Advance(time.Second)
	_, err := env.Engine.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: ids[0], ReplicaRegion: "eu-west-1"})
	require.NoError(t, err)
	// One CreateKey token is left in eu-west-1; the next replica needs two.
	_, err = env.Engine.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: ids[1], ReplicaRegion: "eu-west-1"})
	var th *kmserrors.ThrottlingException
	require.ErrorAs(t, err, &th)
	_, err = env.Engine.DescribeKey(env.Caller("eu-west-1"), engine.DescribeKeyInput{KeyID: ids[1]})
	var nf *kmserrors.NotFoundException
	require.ErrorAs(t, err, &nf, "a throttled ReplicateKey must leave no replica")
	_, err = env.Engine.CreateKey(env.Caller("eu-west-1"), engine.CreateKeyInput{})
	require.NoError(t, err, "the failed request must not have spent the remaining token")
}

// GetParametersForImport's quota is 0.25 per second (spec §10.2): one
// request, then one more every 4 s.
func TestThrottlingBelowOnePerSecond(t *testing.T) {
	env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{Throttle: true}))
	us := env.Caller("us-east-1")
	key, err := env.Engine.CreateKey(us, engine.CreateKeyInput{Origin: "EXTERNAL"})
	require.NoError(t, err)
	in := engine.GetParametersForImportInput{KeyID: key.KeyMetadata.KeyID, WrappingAlgorithm: "RSAES_OAEP_SHA_256", WrappingKeySpec: "RSA_2048"}
	_, err = env.Engine.GetParametersForImport(us, in)
	require.NoError(t, err)
	var th *kmserrors.ThrottlingException
	env.Clock.Advance(3900 * time.Millisecond)
	_, err = env.Engine.GetParametersForImport(us, in)
	require.ErrorAs(t, err, &th)
	env.Clock.Advance(100 * time.Millisecond)
	_, err = env.Engine.GetParametersForImport(us, in)
	require.NoError(t, err)
}
