package kmssdk_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// BenchmarkDescribeKey compares DescribeKey of a multi-Region primary with
// two replicas through a Client with the engine called directly; the
// difference is the client's overhead.
func BenchmarkDescribeKey(b *testing.B) {
	// A bounded event log keeps its growth out of the numbers.
	env := kmstest.NewEnv(b, kmstest.WithConfig(engine.Config{EventLogLimit: 1024}))
	us := env.Caller("us-east-1")
	key, err := env.Engine.CreateKey(us, engine.CreateKeyInput{MultiRegion: true, Description: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	id := key.KeyMetadata.KeyID
	for _, r := range []region.ID{"eu-west-1", "ap-southeast-2"} {
		if _, err := env.Engine.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: r}); err != nil {
			b.Fatal(err)
		}
	}
	env.Settle()

	b.Run("engine", func(b *testing.B) {
		in := engine.DescribeKeyInput{KeyID: id}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := env.Engine.DescribeKey(us, in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("kmssdk", func(b *testing.B) {
		c := kmssdk.New(env.Engine)
		in := &kms.DescribeKeyInput{KeyId: aws.String(id)}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.DescribeKey(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// The client adds one allocation to the engine's on the DescribeKey
// success path: the output with its metadata.
func TestDescribeKeyAllocs(t *testing.T) {
	env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{EventLogLimit: 1024}))
	us := env.Caller("us-east-1")
	key, err := env.Engine.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
	if err != nil {
		t.Fatal(err)
	}
	in := engine.DescribeKeyInput{KeyID: key.KeyMetadata.KeyID}
	direct := testing.AllocsPerRun(1000, func() { _, _ = env.Engine.DescribeKey(us, in) })
	c := kmssdk.New(env.Engine)
	sin := &kms.DescribeKeyInput{KeyId: aws.String(in.KeyID)}
	client := testing.AllocsPerRun(1000, func() { _, _ = c.DescribeKey(ctx, sin) })
	if client > direct+1 {
		t.Errorf("DescribeKey allocates %v times through the client, %v times directly", client, direct)
	}
}
