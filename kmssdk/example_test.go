package kmssdk_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/kmstest"
)

// Code under test takes the interface; production passes
// kms.NewFromConfig(cfg), tests pass kmssdk.New(engine).
func replicate(ctx context.Context, client kmssdk.API, keyID, to string) (*types.KeyMetadata, error) {
	out, err := client.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: aws.String(keyID), ReplicaRegion: aws.String(to)})
	if err != nil {
		return nil, err
	}
	return out.ReplicaKeyMetadata, nil
}

func Example_multiRegion() {
	ctx := context.Background()
	clock := kmstest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	e := engine.New(engine.Config{Clock: clock, Rand: rand.NewChaCha8([32]byte{})})
	if err := e.CreateAccount(engine.AccountInput{ID: "111122223333"}); err != nil {
		panic(err)
	}
	us := kmssdk.New(e) // us-east-1, account 111122223333
	eu := kmssdk.New(e, kmssdk.WithRegion("eu-west-1"))

	created, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	if err != nil {
		panic(err)
	}
	md := created.KeyMetadata
	fmt.Println("created:", md.MultiRegionConfiguration.MultiRegionKeyType, md.KeyState)

	replica, err := replicate(ctx, us, *md.KeyId, "eu-west-1")
	if err != nil {
		panic(err)
	}
	fmt.Println("replica:", replica.MultiRegionConfiguration.MultiRegionKeyType, replica.KeyState)

	clock.Advance(5 * time.Second) // replicas leave Creating
	d, err := eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: md.KeyId})
	if err != nil {
		panic(err)
	}
	fmt.Println("in eu-west-1:", d.KeyMetadata.KeyState, "primary in", *d.KeyMetadata.MultiRegionConfiguration.PrimaryKey.Region)

	_, err = us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab")})
	var notFound *types.NotFoundException
	if errors.As(err, &notFound) {
		fmt.Println("not found:", *notFound.Message)
	}
	// Output:
	// created: PRIMARY Enabled
	// replica: REPLICA Creating
	// in eu-west-1: Enabled primary in us-east-1
	// not found: Key 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist
}
