package kmstest_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	smithy "github.com/aws/smithy-go"

	"github.com/kmsim/kmsim/internal/readmecheck"
	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/kmstest"
)

// TestIAMUserNeedsAPolicy is the key-policy snippet in README.md,
// compiled and run here; TestREADMEPolicySnippet keeps the two copies
// the same.
func TestIAMUserNeedsAPolicy(t *testing.T) {
	env := kmstest.NewEnv(t)
	ctx := t.Context()
	const alice = "arn:aws:iam::111122223333:user/alice"
	if err := env.Engine.CreatePrincipal(alice); err != nil {
		t.Fatal(err)
	}
	key, err := env.Client("us-east-1").CreateKey(ctx, &kms.CreateKeyInput{}) // as root: default key policy
	if err != nil {
		t.Fatal(err)
	}
	asAlice := kmssdk.New(env.Engine, kmssdk.WithCaller(kmstest.DefaultAccount, alice))

	// No identity policy yet.
	_, err = asAlice.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: key.KeyMetadata.KeyId})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDeniedException" {
		t.Errorf("got %v, want AccessDeniedException", err)
	}

	// The default key policy delegates to IAM, so an identity policy is enough.
	err = env.Engine.PutPrincipalPolicy(alice, "kms-read",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:DescribeKey","Resource":"*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := asAlice.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: key.KeyMetadata.KeyId}); err != nil {
		t.Error(err)
	}
}

// TestREADMEPolicySnippet checks that README.md shows
// TestIAMUserNeedsAPolicy exactly as it is written above.
func TestREADMEPolicySnippet(t *testing.T) {
	readmecheck.SameFunc(t, "../README.md", "readme_policy_test.go", "TestIAMUserNeedsAPolicy")
}
