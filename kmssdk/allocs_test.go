package kmssdk_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/kmstest"
)

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
