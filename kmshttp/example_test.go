package kmshttp_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
)

// A multi-Region key through the real SDK client: one server, clients of
// two Regions, and the admin API moving the simulated clock.
func Example_multiRegion() {
	clock := kmstest.NewClock(kmstest.Start)
	e := engine.New(engine.Config{Clock: clock, Rand: rand.NewChaCha8([32]byte{1})})
	h, err := kmshttp.New(e, kmshttp.Config{Clock: clock})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	client := func(r string) *kms.Client {
		return kms.New(kms.Options{
			Region:       r,
			BaseEndpoint: aws.String(srv.URL),
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
			}),
		})
	}
	ctx := context.Background()
	us, eu := client("us-east-1"), client("eu-west-1")

	key, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	if err != nil {
		panic(err)
	}
	id := key.KeyMetadata.KeyId
	if _, err := us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: id, ReplicaRegion: aws.String("eu-west-1")}); err != nil {
		panic(err)
	}
	d, err := eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id})
	if err != nil {
		panic(err)
	}
	fmt.Println(*d.KeyMetadata.Arn, d.KeyMetadata.KeyState)

	resp, err := http.Post(srv.URL+"/_kmsim/clock/advance", "application/json", strings.NewReader(`{"Seconds":5}`))
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))

	d, err = eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id})
	if err != nil {
		panic(err)
	}
	fmt.Println(d.KeyMetadata.KeyState, d.KeyMetadata.MultiRegionConfiguration.MultiRegionKeyType)
	// Output:
	// arn:aws:kms:eu-west-1:111122223333:key/mrk-6ae6783f4fbd491baeb88b73a48ed247 Creating
	// {"Now":"2026-01-01T00:00:05Z"}
	// Enabled REPLICA
}
