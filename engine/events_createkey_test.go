package engine_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
)

// A CreateKey event's response is the CreateKey response as the call
// returned it, whatever happened to the key since: the log keeps the key
// and what could change, and renders the response when asked.
func TestCreateKeyEventShowsTheResponseAsReturned(t *testing.T) {
	env := kmstest.NewEnv(t)
	home := env.Caller(cryptoHome)
	inputs := []engine.CreateKeyInput{
		{},
		{Description: "described", Tags: []keystore.Tag{{Key: "team", Value: "a"}}},
		{MultiRegion: true, Description: "mrk"},
		{Origin: keystore.OriginExternal},
		{Origin: keystore.OriginExternal, MultiRegion: true},
		{KeySpec: keystore.RSA2048, KeyUsage: keystore.SignVerify},
		{KeySpec: keystore.ECCNISTP256, KeyUsage: keystore.KeyAgreement},
		{KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC},
	}
	var created []*engine.CreateKeyOutput
	for _, in := range inputs {
		out, err := env.Engine.CreateKey(home, in)
		require.NoError(t, err, "%+v", in)
		created = append(created, out)
	}
	want := func() []*engine.CreateKeyOutput {
		var got []*engine.CreateKeyOutput
		for _, ev := range env.Engine.Events() {
			if ev.Name == "CreateKey" && ev.Region == cryptoHome {
				out, ok := ev.ResponseElements.(*engine.CreateKeyOutput)
				require.True(t, ok, "%T", ev.ResponseElements)
				got = append(got, out)
			}
		}
		return got
	}
	require.Equal(t, created, want(), "right after the calls")

	// Change every key in every way its metadata can change.
	id := func(i int) string { return created[i].KeyMetadata.KeyID }
	_, err := env.Engine.UpdateKeyDescription(home, engine.UpdateKeyDescriptionInput{KeyID: id(1), Description: "changed"})
	require.NoError(t, err)
	_, err = env.Engine.DisableKey(home, engine.DisableKeyInput{KeyID: id(0)})
	require.NoError(t, err)
	_, err = env.Engine.RotateKeyOnDemand(home, engine.RotateKeyOnDemandInput{KeyID: id(1)})
	require.NoError(t, err)
	_, err = env.Engine.ReplicateKey(home, engine.ReplicateKeyInput{KeyID: id(2), ReplicaRegion: "eu-west-1"})
	require.NoError(t, err)
	env.Settle()
	_, err = env.Engine.UpdatePrimaryRegion(home, engine.UpdatePrimaryRegionInput{KeyID: id(2), PrimaryRegion: "eu-west-1"})
	require.NoError(t, err)
	mustImport(t, env, cryptoHome, id(3), secretOf(3), importOpts{})
	_, err = env.Engine.ScheduleKeyDeletion(home, engine.ScheduleKeyDeletionInput{KeyID: id(5), PendingWindowInDays: 7})
	require.NoError(t, err)
	env.Settle()
	require.NotEqual(t, created[1].KeyMetadata, describe(t, env, cryptoHome, id(1)), "the changes show in DescribeKey")

	require.Equal(t, created, want(), "after the keys changed")

	// The key scheduled for deletion goes; its event stays as it was.
	env.Clock.Set(env.Clock.Now().Add(8 * 24 * time.Hour))
	env.Settle()
	_, err = env.Engine.DescribeKey(home, engine.DescribeKeyInput{KeyID: id(5)})
	require.Error(t, err, "the key is deleted")
	require.Equal(t, created, want(), "after a key was deleted")

	// Each response is a value of its own: changing one changes neither
	// the caller's nor the next Events.
	got := want()
	got[2].KeyMetadata.MultiRegionConfiguration.ReplicaKeys = append(got[2].KeyMetadata.MultiRegionConfiguration.ReplicaKeys, engine.MultiRegionKey{Arn: "x"})
	got[0].KeyMetadata.Description = "edited"
	require.Equal(t, created, want())
	require.Empty(t, created[0].KeyMetadata.Description)
}
