package engine_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
)

// CreateKeyView makes the same key, answers with the same metadata,
// fails with the same errors and logs the same events as CreateKey: two
// engines with one seed, one called through each.
func TestCreateKeyViewMatchesCreateKey(t *testing.T) {
	owning, viewing := kmstest.NewEnv(t, kmstest.Seed(5)), kmstest.NewEnv(t, kmstest.Seed(5))
	inputs := []engine.CreateKeyInput{
		{},
		{MultiRegion: true, Description: "mrk", Tags: []keystore.Tag{{Key: "k", Value: "v"}}},
		{Origin: keystore.OriginExternal},
		{KeySpec: keystore.ECCNISTP384, KeyUsage: keystore.SignVerify},
		{KeySpec: keystore.RSA2048, KeyUsage: keystore.EncryptDecrypt},
		{KeySpec: keystore.HMAC384, KeyUsage: keystore.GenerateVerifyMAC},
		{KeySpec: keystore.RSA2048},                             // no KeyUsage: ValidationException
		{Description: string(make([]byte, 8193))},               // too long
		{MultiRegion: true, Origin: keystore.OriginAWSCloudHSM}, // custom key stores are not simulated
	}
	failed := 0
	for _, in := range inputs {
		want, wantErr := owning.Engine.CreateKey(owning.Caller(cryptoHome), in)
		var got engine.KeyMetadata
		called := false
		err := viewing.Engine.CreateKeyView(viewing.Caller(cryptoHome), in, func(m *engine.KeyMetadata) {
			called = true
			got = cloneMetadata(*m)
		})
		if wantErr != nil {
			require.Equal(t, wantErr, err, "%+v", in)
			require.False(t, called, "view called for a failed call")
			failed++
			continue
		}
		require.NoError(t, err, "%+v", in)
		require.True(t, called)
		require.Equal(t, want.KeyMetadata, got, "%+v", in)
	}
	require.Equal(t, 3, failed, "the last three inputs fail")
	require.Equal(t, owning.Engine.Events(), viewing.Engine.Events())
	require.Equal(t, owning.Engine.Pending(), viewing.Engine.Pending())
}

// A view is lent: changing it changes neither the key nor the event, and
// view may call the engine (the lock is released).
func TestCreateKeyViewIsLent(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := env.Caller(cryptoHome)
	var id string
	var described engine.KeyMetadata
	err := env.Engine.CreateKeyView(c, engine.CreateKeyInput{MultiRegion: true, Description: "kept"}, func(m *engine.KeyMetadata) {
		id = m.KeyID
		out, err := env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: m.KeyID})
		require.NoError(t, err)
		described = out.KeyMetadata
		require.Equal(t, described, cloneMetadata(*m))
		m.Description = "changed by the viewer"
		m.MultiRegionConfiguration.ReplicaKeys = append(m.MultiRegionConfiguration.ReplicaKeys, engine.MultiRegionKey{Arn: "x"})
	})
	require.NoError(t, err)
	require.Equal(t, "kept", describe(t, env, cryptoHome, id).Description)
	for _, ev := range env.Engine.Events() {
		if ev.Name == "CreateKey" {
			require.Equal(t, &engine.CreateKeyOutput{KeyMetadata: described}, ev.ResponseElements)
		}
	}
}

// Through the view, CreateKey allocates less than with its response.
func TestCreateKeyViewAllocatesLess(t *testing.T) {
	env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{KeyQuota: 1 << 20, EventLogLimit: 16}))
	c := env.Caller(cryptoHome)
	in := engine.CreateKeyInput{}
	owning := testing.AllocsPerRun(200, func() {
		if _, err := env.Engine.CreateKey(c, in); err != nil {
			t.Fatal(err)
		}
	})
	viewing := testing.AllocsPerRun(200, func() {
		if err := env.Engine.CreateKeyView(c, in, func(*engine.KeyMetadata) {}); err != nil {
			t.Fatal(err)
		}
	})
	require.Less(t, viewing, owning)
}
