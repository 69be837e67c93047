package kmstest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"

	"github.com/kmsim/kmsim/internal/readmecheck"
	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
)

func ExampleNewServer() {
	// In a test: srv := kmstest.NewServer(t), closed when the test ends.
	srv := kmstest.NewServer(nil)
	defer srv.Close()
	ctx := context.Background()
	us := srv.Client("us-east-1") // a real *kms.Client
	eu := srv.Client("eu-west-1")

	key, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	if err != nil {
		panic(err)
	}
	id := key.KeyMetadata.KeyId
	replica, err := us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: id, ReplicaRegion: aws.String("eu-west-1")})
	if err != nil {
		panic(err)
	}
	fmt.Println("replica:", replica.ReplicaKeyMetadata.KeyState)

	srv.Env.Clock.Advance(5 * time.Second) // replicas are Creating for 5s
	out, err := eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id})
	if err != nil {
		panic(err)
	}
	fmt.Println("replica:", out.KeyMetadata.KeyState, "of", *out.KeyMetadata.MultiRegionConfiguration.PrimaryKey.Region)

	_, err = us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: id, ReplicaRegion: aws.String("us-east-1")})
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("error:", apiErr.ErrorCode())
	}
	// Output:
	// replica: Creating
	// replica: Enabled of us-east-1
	// error: ValidationException
}

// TestReplicaOverHTTP is the NewServer snippet in README.md, compiled and
// run here; TestREADMEServerSnippet keeps the two copies the same.
func TestReplicaOverHTTP(t *testing.T) {
	srv := kmstest.NewServer(t) // kmsim on a local port until the test ends
	ctx := t.Context()
	us, eu := srv.Client("us-east-1"), srv.Client("eu-west-1") // real *kms.Client values

	key, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	id := key.KeyMetadata.KeyId

	_, err = us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: id, ReplicaRegion: aws.String("eu-west-1")})
	if err != nil {
		t.Fatal(err)
	}
	srv.Env.Settle() // runs the manual clock past every scheduled transition
	out, err := eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.KeyMetadata.KeyState; got != types.KeyStateEnabled {
		t.Errorf("replica is %s, want Enabled", got)
	}

	// Errors are the SDK's types, as from AWS.
	_, err = us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: id, ReplicaRegion: aws.String("eu-west-1")})
	var exists *types.AlreadyExistsException
	if !errors.As(err, &exists) {
		t.Errorf("second replica in eu-west-1: got %v, want AlreadyExistsException", err)
	}
}

// TestREADMEServerSnippet checks that README.md shows TestReplicaOverHTTP
// exactly as it is written above, so the README's code always compiles.
func TestREADMEServerSnippet(t *testing.T) {
	readmecheck.SameFunc(t, "../README.md", "server_test.go", "TestReplicaOverHTTP")
}

// The admin API moves the Env's clock, and what falls due is applied.
func TestServerAdminClock(t *testing.T) {
	srv := kmstest.NewServer(t, kmstest.Seed(7))
	ctx := t.Context()
	us := srv.Client("us-east-1")
	key, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: key.KeyMetadata.KeyId, ReplicaRegion: aws.String("eu-west-1")}); err != nil {
		t.Fatal(err)
	}

	resp, err := http.Post(srv.URL+"/_kmsim/clock/advance", "application/json", strings.NewReader(`{"Seconds":5}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var now struct{ Now time.Time }
	if err := json.NewDecoder(resp.Body).Decode(&now); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("clock/advance: status %d, %v", resp.StatusCode, err)
	}
	if want := kmstest.Start.Add(5 * time.Second); !now.Now.Equal(want) || !srv.Env.Clock.Now().Equal(want) {
		t.Errorf("after advancing 5s the server says %v and Env.Clock %v, want %v", now.Now, srv.Env.Clock.Now(), want)
	}
	if p := srv.Env.Engine.Pending(); len(p) != 0 {
		t.Errorf("pending after the advance: %v", p)
	}
	out, err := srv.Client("eu-west-1").DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: key.KeyMetadata.KeyId})
	if err != nil {
		t.Fatal(err)
	}
	if out.KeyMetadata.KeyState != types.KeyStateEnabled {
		t.Errorf("replica is %s after the advance", out.KeyMetadata.KeyState)
	}
}

// Server clients sign their requests as kmshttp's strict mode wants, over
// the socket and in process.
func TestStrictSignatures(t *testing.T) {
	// The Env's clock is far from the real time the SDK signs with;
	// strict mode checks signatures against the real time.
	opts := []kmstest.Option{kmstest.ServerConfig(kmshttp.Config{StrictSigV4: true})}
	srv := kmstest.NewServer(t, opts...)
	if _, err := srv.Client("eu-west-1").CreateKey(t.Context(), &kms.CreateKeyInput{}); err != nil {
		t.Errorf("over the socket: %v", err)
	}
	h, err := kmstest.HTTPHarness(opts...)(t.Context(), t)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if _, err := h.Client("eu-west-1").CreateKey(t.Context(), &kms.CreateKeyInput{}); err != nil {
		t.Errorf("in process: %v", err)
	}

	// A wrong secret is caught, so the check above means something.
	bad := kms.New(kms.Options{
		Region:       "eu-west-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "wrong"}, nil
		}),
		RetryMaxAttempts: 1,
	})
	_, err = bad.ListKeys(t.Context(), &kms.ListKeysInput{})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidSignatureException" {
		t.Errorf("wrong secret: got %v, want InvalidSignatureException", err)
	}
}

// The HTTP harness opens no socket and starts no goroutine, so it runs
// in a synctest bubble.
func TestHTTPHarnessInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, err := kmstest.HTTPHarness()(t.Context(), t)
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		us := h.Client("us-east-1")
		key, err := us.CreateKey(t.Context(), &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := us.ReplicateKey(t.Context(), &kms.ReplicateKeyInput{KeyId: key.KeyMetadata.KeyId, ReplicaRegion: aws.String("eu-west-1")}); err != nil {
			t.Fatal(err)
		}
		if err := h.Settle(t.Context()); err != nil {
			t.Fatal(err)
		}
		out, err := h.Client("eu-west-1").DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: key.KeyMetadata.KeyId})
		if err != nil {
			t.Fatal(err)
		}
		if out.KeyMetadata.KeyState != types.KeyStateEnabled {
			t.Errorf("replica is %s after Settle", out.KeyMetadata.KeyState)
		}
	})
}

// Env.Client and Server.Client see the same engine.
func TestEnvClientAndServerClient(t *testing.T) {
	srv := kmstest.NewServer(t)
	key, err := srv.Env.Client("ap-southeast-2").CreateKey(t.Context(), &kms.CreateKeyInput{Description: aws.String("in process")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := srv.Client("ap-southeast-2").DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: key.KeyMetadata.Arn})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.KeyMetadata.Description); got != "in process" {
		t.Errorf("Description over HTTP is %q", got)
	}
	_, err = srv.Client("us-east-1").DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: key.KeyMetadata.KeyId})
	var notFound *types.NotFoundException
	if !errors.As(err, &notFound) {
		t.Errorf("key of ap-southeast-2 in us-east-1: got %v, want NotFoundException", err)
	}
}
