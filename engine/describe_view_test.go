package engine_test

import (
	"sync"
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

// describeViewed is DescribeKeyView with the viewed metadata copied out,
// and whether view was called.
func describeViewed(t *testing.T, e *engine.Engine, c engine.Caller, in engine.DescribeKeyInput) (engine.KeyMetadata, bool, error) {
	t.Helper()
	var got engine.KeyMetadata
	called := false
	err := e.DescribeKeyView(c, in, func(m *engine.KeyMetadata) {
		called = true
		got = cloneMetadata(*m)
	})
	return got, called, err
}

// cloneMetadata copies m and its lists, so it stays as it is when the
// engine reuses the memory behind a view.
func cloneMetadata(m engine.KeyMetadata) engine.KeyMetadata {
	clone := func(s []string) []string {
		if s == nil {
			return nil
		}
		return append([]string{}, s...)
	}
	m.EncryptionAlgorithms = clone(m.EncryptionAlgorithms)
	m.SigningAlgorithms = clone(m.SigningAlgorithms)
	m.KeyAgreementAlgorithms = clone(m.KeyAgreementAlgorithms)
	m.MacAlgorithms = clone(m.MacAlgorithms)
	if m.MultiRegionConfiguration != nil {
		cfg := *m.MultiRegionConfiguration
		cfg.ReplicaKeys = append([]engine.MultiRegionKey{}, cfg.ReplicaKeys...)
		m.MultiRegionConfiguration = &cfg
	}
	return m
}

// DescribeKeyView shows exactly what DescribeKey returns, for keys whose
// lists fit the reused storage and for keys whose lists do not, in every
// role and in a state with a deletion date.
func TestDescribeKeyViewMatchesDescribeKey(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := env.Caller(cryptoHome)
	create := func(in engine.CreateKeyInput) string {
		out, err := env.Engine.CreateKey(c, in)
		require.NoError(t, err)
		return out.KeyMetadata.KeyID
	}
	symmetric := create(engine.CreateKeyInput{Description: "plain"})
	signing := create(engine.CreateKeyInput{KeySpec: keystore.RSA3072, KeyUsage: keystore.SignVerify})
	mrk := create(engine.CreateKeyInput{MultiRegion: true})
	replicas := []region.ID{"us-west-2", "eu-west-1", "ap-southeast-2"}
	for _, r := range replicas {
		_, err := env.Engine.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: mrk, ReplicaRegion: r})
		require.NoError(t, err)
	}
	env.Settle()
	deleted := create(engine.CreateKeyInput{})
	_, err := env.Engine.ScheduleKeyDeletion(c, engine.ScheduleKeyDeletionInput{KeyID: deleted, PendingWindowInDays: 7})
	require.NoError(t, err)

	for _, tc := range []struct {
		name   string
		region region.ID
		keyID  string
	}{
		{"symmetric", cryptoHome, symmetric},
		{"signing, six algorithms", cryptoHome, signing},
		{"primary, three replicas", cryptoHome, mrk},
		{"replica", replicas[1], mrk},
		{"by ARN", replicas[2], keyARN(replicas[2], mrk)},
		{"pending deletion", cryptoHome, deleted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := engine.DescribeKeyInput{KeyID: tc.keyID}
			want, err := env.Engine.DescribeKey(env.Caller(tc.region), in)
			require.NoError(t, err)
			got, called, err := describeViewed(t, env.Engine, env.Caller(tc.region), in)
			require.NoError(t, err)
			require.True(t, called)
			assert.Equal(t, want.KeyMetadata, got)
		})
	}
}

// A failed DescribeKeyView returns DescribeKey's error without calling
// view, and each call is logged as the DescribeKey it is.
func TestDescribeKeyViewErrorsAndEvents(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := env.Caller(cryptoHome)
	for _, in := range []engine.DescribeKeyInput{
		{KeyID: ""},
		{KeyID: "1234abcd-12ab-34cd-56ef-1234567890ab"},
		{KeyID: "arn:aws:s3:::bucket"},
	} {
		_, wantErr := env.Engine.DescribeKey(c, in)
		require.Error(t, wantErr)
		_, called, err := describeViewed(t, env.Engine, c, in)
		assert.False(t, called, "%q", in.KeyID)
		assert.Equal(t, wantErr, err, "%q", in.KeyID)
		_, ok := kmserrors.As(err)
		assert.True(t, ok, "%q: %T is a KMS error", in.KeyID, err)
	}

	out, err := env.Engine.CreateKey(c, engine.CreateKeyInput{})
	require.NoError(t, err)
	in := engine.DescribeKeyInput{KeyID: out.KeyMetadata.KeyID}
	_, err = env.Engine.DescribeKey(c, in)
	require.NoError(t, err)
	_, _, err = describeViewed(t, env.Engine, c, in)
	require.NoError(t, err)
	events := env.Engine.Events()
	require.GreaterOrEqual(t, len(events), 2)
	direct, viewed := events[len(events)-2], events[len(events)-1]
	assert.Equal(t, "DescribeKey", viewed.Name)
	direct.Seq, viewed.Seq = 0, 0
	assert.Equal(t, direct, viewed)
}

// Changing a view changes nothing the engine answers later, view may call
// the engine, and concurrent views each see their own key.
func TestDescribeKeyViewIsTheCallers(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := env.Caller(cryptoHome)
	out, err := env.Engine.CreateKey(c, engine.CreateKeyInput{MultiRegion: true, Description: "kept"})
	require.NoError(t, err)
	id := out.KeyMetadata.KeyID
	_, err = env.Engine.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"})
	require.NoError(t, err)
	in := engine.DescribeKeyInput{KeyID: id}
	want, err := env.Engine.DescribeKey(c, in)
	require.NoError(t, err)

	err = env.Engine.DescribeKeyView(c, in, func(m *engine.KeyMetadata) {
		m.Description = "changed"
		m.EncryptionAlgorithms[0] = "changed"
		m.MultiRegionConfiguration.ReplicaKeys[0].Arn = "changed"
		m.MultiRegionConfiguration.PrimaryKey.Region = "changed"
		// The engine's lock is not held: this call does not deadlock.
		_, err := env.Engine.DescribeKey(c, in)
		assert.NoError(t, err)
	})
	require.NoError(t, err)
	got, _, err := describeViewed(t, env.Engine, c, in)
	require.NoError(t, err)
	assert.Equal(t, want.KeyMetadata, got)

	other, err := env.Engine.CreateKey(c, engine.CreateKeyInput{Description: "other"})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 200 {
				id, desc := id, "kept"
				if i%2 == 1 {
					id, desc = other.KeyMetadata.KeyID, "other"
				}
				err := env.Engine.DescribeKeyView(c, engine.DescribeKeyInput{KeyID: id}, func(m *engine.KeyMetadata) {
					if m.KeyID != id || m.Description != desc {
						t.Errorf("view of %s shows %s %q", id, m.KeyID, m.Description)
					}
				})
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}

// DescribeKeyView allocates nothing, where DescribeKey allocates its
// response.
func TestDescribeKeyViewAllocs(t *testing.T) {
	env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{EventLogLimit: 64}))
	c := env.Caller(cryptoHome)
	out, err := env.Engine.CreateKey(c, engine.CreateKeyInput{MultiRegion: true})
	require.NoError(t, err)
	_, err = env.Engine.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: out.KeyMetadata.KeyID, ReplicaRegion: "us-west-2"})
	require.NoError(t, err)
	in := engine.DescribeKeyInput{KeyID: out.KeyMetadata.KeyID}
	var seen string
	view := func(m *engine.KeyMetadata) { seen = m.Arn }
	for range 100 { // fill the event log, so it no longer grows
		require.NoError(t, env.Engine.DescribeKeyView(c, in, view))
	}
	allocs := testing.AllocsPerRun(1000, func() { _ = env.Engine.DescribeKeyView(c, in, view) })
	assert.Zero(t, allocs)
	assert.Equal(t, out.KeyMetadata.Arn, seen)
}

// DescribeKeyView is a DescribeKey to fault injection and to the request
// quota: an injected fault comes back without view being called, and
// both calls draw on DescribeKey's one bucket.
func TestDescribeKeyViewFaultsAndQuota(t *testing.T) {
	injected := &kmserrors.DependencyTimeoutException{Message: "slow"}
	faulty := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{Faults: chkFault{op: "DescribeKey", err: injected}}))
	_, called, err := describeViewed(t, faulty.Engine, faulty.Caller(cryptoHome), engine.DescribeKeyInput{KeyID: "alias/any"})
	assert.False(t, called)
	assert.Same(t, injected, err)

	env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{Throttle: true, RequestRates: map[string]float64{"DescribeKey": 4}}))
	c := env.Caller(cryptoHome)
	out, err := env.Engine.CreateKey(c, engine.CreateKeyInput{})
	require.NoError(t, err)
	env.Advance(time.Second) // a full bucket of 4
	in := engine.DescribeKeyInput{KeyID: out.KeyMetadata.KeyID}
	for i := range 4 {
		if i%2 == 0 {
			_, err = env.Engine.DescribeKey(c, in)
		} else {
			_, _, err = describeViewed(t, env.Engine, c, in)
		}
		require.NoError(t, err, "call %d", i)
	}
	_, called, err = describeViewed(t, env.Engine, c, in)
	assert.False(t, called)
	var throttled *kmserrors.ThrottlingException
	assert.ErrorAs(t, err, &throttled)
}
