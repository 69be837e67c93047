package kmstest

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	smithy "github.com/aws/smithy-go"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/policy"
)

// prettyPolicy writes KMS's layout: with the default policy's statement
// it is the default policy byte for byte.
func TestPrettyPolicyLayout(t *testing.T) {
	const root = "arn:aws:iam::111122223333:root"
	got := prettyPolicy("key-default-1", allowAll("Enable IAM User Permissions", root))
	if want := policy.Default("aws", "111122223333"); got != want {
		t.Errorf("prettyPolicy gives\n%s\nwant\n%s", got, want)
	}
	if got := defaultPolicyOf("arn:aws-cn:kms:cn-north-1:111122223333:key/k"); got != policy.Default("aws-cn", "111122223333") {
		t.Errorf("defaultPolicyOf a aws-cn key gives\n%s", got)
	}
	for _, text := range []string{
		lockoutPolicy(root),
		prettyPolicy("two", allowAll("One", root),
			statement{sid: "Two", effect: "Deny", principal: "arn:aws:iam::111122223333:user/u", actions: []string{"kms:A", "kms:B"}}),
	} {
		if _, err := policy.Parse(text); err != nil {
			t.Errorf("%v:\n%s", err, text)
		}
	}
	if _, err := policy.ParseIdentity(iamPolicy(iamStatement("Allow", "*", `{"Bool":{"aws:SecureTransport":"true"}}`, "kms:CreateKey"))); err != nil {
		t.Errorf("iamPolicy: %v", err)
	}
}

// Both simulated harnesses add principals and call as them.
func TestPrincipalHarnesses(t *testing.T) {
	for name, newHarness := range map[string]func(context.Context, *testing.T) (Harness, error){
		"Engine": EngineHarness(),
		"HTTP":   HTTPHarness(),
	} {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			h, err := newHarness(ctx, t)
			if err != nil {
				t.Fatal(err)
			}
			p := h.(PrincipalHarness)
			const user = "arn:aws:iam::111122223333:user/conformance/creator"
			if err := p.AddPrincipal(ctx, user, iamPolicy(iamStatement("Allow", "*", "", "kms:CreateKey"))); err != nil {
				t.Fatal(err)
			}
			var exists *kmserrors.AlreadyExistsException
			if err := p.AddPrincipal(ctx, user, ""); !errors.As(err, &exists) {
				t.Errorf("AddPrincipal of an existing user: %v", err)
			}
			var malformed *kmserrors.MalformedPolicyDocumentException
			if err := p.AddPrincipal(ctx, "arn:aws:iam::111122223333:role/r", "{"); !errors.As(err, &malformed) {
				t.Errorf("AddPrincipal with a malformed identity policy: %v", err)
			}

			c := p.ClientAs(west, user)
			out, err := c.CreateKey(ctx, &kms.CreateKeyInput{})
			if err != nil {
				t.Fatalf("CreateKey as the user: %v", err)
			}
			if got := arnRegion(*out.KeyMetadata.Arn); got != west {
				t.Errorf("the user's key is in %s", got)
			}
			_, err = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: out.KeyMetadata.KeyId})
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDeniedException" {
				t.Errorf("DescribeKey as the user: %v", err)
			}
			var env *Env
			switch h := h.(type) {
			case *engineHarness:
				env = h.env
			case *httpHarness:
				env = h.env
			}
			evs := env.Engine.Events()
			if len(evs) == 0 || evs[len(evs)-1].Principal != user {
				t.Errorf("the last event is not the user's: %+v", evs)
			}
			// The harness's own clients still call as the account root.
			if _, err := h.Client(west).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: out.KeyMetadata.KeyId}); err != nil {
				t.Errorf("DescribeKey as root: %v", err)
			}
		})
	}
}
