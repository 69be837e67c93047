package kmssdk_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/kmstest"
)

// A DescribeKey through the client allocates once, for the SDK output
// with its metadata: the engine lends the metadata it converts
// (engine.DescribeKeyView) instead of allocating a response of its own.
func TestDescribeKeyAllocs(t *testing.T) {
	env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{EventLogLimit: 1024}))
	us := env.Caller("us-east-1")
	key, err := env.Engine.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
	if err != nil {
		t.Fatal(err)
	}
	c := kmssdk.New(env.Engine)
	sin := &kms.DescribeKeyInput{KeyId: aws.String(key.KeyMetadata.KeyID)}
	var out *kms.DescribeKeyOutput
	client := testing.AllocsPerRun(1000, func() { out, _ = c.DescribeKey(ctx, sin) })
	if client != 1 {
		t.Errorf("DescribeKey allocates %v times through the client, want 1", client)
	}
	if out == nil || aws.ToString(out.KeyMetadata.Arn) != key.KeyMetadata.Arn {
		t.Errorf("DescribeKey returned %+v", out)
	}
}
