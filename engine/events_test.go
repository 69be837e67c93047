package engine_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmstest"
)

// The log keeps the response of operations that change keys, as
// CloudTrail does, and none for reads and cryptographic operations.
func TestEventResponseElements(t *testing.T) {
	env := kmstest.NewEnv(t)
	us := env.Caller("us-east-1")
	key, err := env.Engine.CreateKey(us, engine.CreateKeyInput{})
	require.NoError(t, err)
	id := key.KeyMetadata.KeyID
	_, err = env.Engine.DescribeKey(us, engine.DescribeKeyInput{KeyID: id})
	require.NoError(t, err)
	_, err = env.Engine.ListKeys(us, engine.ListKeysInput{})
	require.NoError(t, err)
	enc, err := env.Engine.Encrypt(us, engine.EncryptInput{KeyID: id, Plaintext: []byte("p")})
	require.NoError(t, err)
	_, err = env.Engine.Decrypt(us, engine.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	require.NoError(t, err)
	_, err = env.Engine.GenerateDataKey(us, engine.GenerateDataKeyInput{KeyID: id, NumberOfBytes: 16})
	require.NoError(t, err)
	_, err = env.Engine.GetKeyPolicy(us, engine.GetKeyPolicyInput{KeyID: id})
	require.NoError(t, err)
	_, err = env.Engine.ScheduleKeyDeletion(us, engine.ScheduleKeyDeletionInput{KeyID: id})
	require.NoError(t, err)

	want := map[string]bool{
		"CreateKey": true, "DescribeKey": false, "ListKeys": false, "Encrypt": false,
		"Decrypt": false, "GenerateDataKey": false, "GetKeyPolicy": false, "ScheduleKeyDeletion": true,
	}
	events := env.Engine.Events()
	require.Len(t, events, len(want))
	for _, ev := range events {
		require.Equal(t, want[ev.Name], ev.ResponseElements != nil, "%s: ResponseElements %v", ev.Name, ev.ResponseElements)
		require.NotNil(t, ev.RequestParameters, ev.Name)
	}
}

// A bounded log keeps the newest events, oldest first, with their
// sequence numbers.
func TestEventLogLimit(t *testing.T) {
	env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{EventLogLimit: 4}))
	us := env.Caller("us-east-1")
	key, err := env.Engine.CreateKey(us, engine.CreateKeyInput{})
	require.NoError(t, err)
	for n := 2; n <= 11; n++ {
		_, err = env.Engine.DescribeKey(us, engine.DescribeKeyInput{KeyID: key.KeyMetadata.KeyID})
		require.NoError(t, err)
		events := env.Engine.Events()
		require.Len(t, events, min(n, 4))
		for i, ev := range events {
			require.Equal(t, uint64(n-len(events)+1+i), ev.Seq)
			require.Equal(t, []string{key.KeyMetadata.Arn}, ev.Resources)
		}
	}
}

// An unbounded log keeps every event in order across its storage chunks.
func TestEventLogUnbounded(t *testing.T) {
	env := kmstest.NewEnv(t)
	us := env.Caller("us-east-1")
	key, err := env.Engine.CreateKey(us, engine.CreateKeyInput{})
	require.NoError(t, err)
	const calls = 2500 // more than two chunks
	for range calls {
		_, err = env.Engine.DescribeKey(us, engine.DescribeKeyInput{KeyID: key.KeyMetadata.KeyID})
		require.NoError(t, err)
	}
	events := env.Engine.Events()
	require.Len(t, events, calls+1)
	for i, ev := range events {
		require.Equal(t, uint64(i+1), ev.Seq)
	}
	require.Equal(t, "CreateKey", events[0].Name)
	require.Equal(t, "DescribeKey", events[calls].Name)
}

// Logged cryptographic requests keep their encryption contexts (as the
// caller sent them, unaffected by later changes to the caller's map) and
// lose their plaintext and ciphertext.
func TestEventEncryptionContexts(t *testing.T) {
	env := kmstest.NewEnv(t)
	us := env.Caller("us-east-1")
	key, err := env.Engine.CreateKey(us, engine.CreateKeyInput{})
	require.NoError(t, err)
	id := key.KeyMetadata.KeyID
	ctx := map[string]string{"purpose": "test", "": "empty key", "ünï": ""}
	enc, err := env.Engine.Encrypt(us, engine.EncryptInput{KeyID: id, Plaintext: []byte("p"), EncryptionContext: ctx})
	require.NoError(t, err)
	dst := map[string]string{"to": "there"}
	_, err = env.Engine.ReEncrypt(us, engine.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob,
		SourceEncryptionContext: ctx, DestinationKeyID: id, DestinationEncryptionContext: dst})
	require.NoError(t, err)
	_, err = env.Engine.GenerateDataKey(us, engine.GenerateDataKeyInput{KeyID: id, NumberOfBytes: 8, EncryptionContext: map[string]string{}})
	require.NoError(t, err)
	want := map[string]string{"purpose": "test", "": "empty key", "ünï": ""}
	ctx["purpose"] = "changed later"

	events := env.Engine.Events()
	require.Len(t, events, 4)
	e, ok := events[1].RequestParameters.(engine.EncryptInput)
	require.True(t, ok, "%T", events[1].RequestParameters)
	require.Equal(t, want, e.EncryptionContext)
	require.Nil(t, e.Plaintext)
	r, ok := events[2].RequestParameters.(engine.ReEncryptInput)
	require.True(t, ok, "%T", events[2].RequestParameters)
	require.Equal(t, want, r.SourceEncryptionContext)
	require.Equal(t, dst, r.DestinationEncryptionContext)
	require.Nil(t, r.CiphertextBlob)
	g, ok := events[3].RequestParameters.(engine.GenerateDataKeyInput)
	require.True(t, ok, "%T", events[3].RequestParameters)
	require.NotNil(t, g.EncryptionContext)
	require.Empty(t, g.EncryptionContext)
}

// ReplicateKey logs its own event and the CreateKey KMS makes in the
// replica's Region, whose response is the replica's metadata as the
// ReplicateKey response shows it.
func TestReplicateKeyEvents(t *testing.T) {
	env := kmstest.NewEnv(t)
	us := env.Caller("us-east-1")
	key, err := env.Engine.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
	require.NoError(t, err)
	out, err := env.Engine.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: key.KeyMetadata.KeyID, ReplicaRegion: "eu-west-1"})
	require.NoError(t, err)

	events := env.Engine.Events()
	require.Len(t, events, 3)
	replicate, created := events[1], events[2]
	require.Equal(t, "ReplicateKey", replicate.Name)
	require.Equal(t, out, replicate.ResponseElements)
	require.Equal(t, "CreateKey", created.Name)
	require.Equal(t, "eu-west-1", string(created.Region))
	require.Equal(t, []string{out.ReplicaKeyMetadata.Arn}, created.Resources)
	require.Equal(t, &engine.CreateKeyOutput{KeyMetadata: out.ReplicaKeyMetadata}, created.ResponseElements)
	// Each call of Events gives the same answer.
	require.Equal(t, events, env.Engine.Events())
}
