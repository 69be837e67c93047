package kmshttp_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
)

// 16 goroutines run mixed operations in several Regions through real
// clients at once; run with -race. Expected KMS errors (a replica that
// exists already, a key another goroutine disabled) are fine; anything
// else, and in particular a 5xx, fails.
func TestConcurrentClients(t *testing.T) {
	env := kmstest.NewEnv(t)
	srv := newServer(t, env, kmshttp.Config{})
	regions := []string{"us-east-1", "eu-west-1", "ap-northeast-1", "us-west-2"}
	clients := map[string]*kms.Client{}
	for _, r := range regions {
		clients[r] = testClient(srv, r)
	}
	shared, err := clients["us-east-1"].CreateKey(t.Context(), &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	require.NoError(t, err)
	sharedID := shared.KeyMetadata.KeyId

	const workers, rounds = 16, 12
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*8)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := t.Context()
			c := clients[regions[w%len(regions)]]
			home := regions[w%len(regions)]
			for i := range rounds {
				out, err := c.CreateKey(ctx, &kms.CreateKeyInput{
					MultiRegion: aws.Bool(i%2 == 0),
					Description: aws.String(fmt.Sprintf("w%d-%d", w, i)),
					Tags:        []types.Tag{{TagKey: aws.String("worker"), TagValue: aws.String(fmt.Sprint(w))}},
				})
				if err != nil {
					errs <- err
					continue
				}
				id := out.KeyMetadata.KeyId
				if _, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id}); err != nil {
					errs <- err
				}
				if i%2 == 0 {
					target := regions[(w+1+i)%len(regions)]
					if target != home {
						_, err := c.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: id, ReplicaRegion: aws.String(target)})
						errs <- err
					}
				}
				_, err = c.TagResource(ctx, &kms.TagResourceInput{KeyId: id, Tags: []types.Tag{{TagKey: aws.String("round"), TagValue: aws.String(fmt.Sprint(i))}}})
				errs <- err
				_, err = c.ListKeys(ctx, &kms.ListKeysInput{Limit: aws.Int32(5)})
				errs <- err
				// Everyone pokes the shared key and its replicas.
				_, err = clients["us-east-1"].ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: sharedID, ReplicaRegion: aws.String(regions[1+w%3])})
				errs <- expected(err, "AlreadyExistsException")
				_, err = clients[regions[1+w%3]].DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: sharedID})
				errs <- expected(err, "NotFoundException") // the replica may not exist yet
				if i%3 == 0 {
					env.Clock.Advance(1e9)
				}
				_, err = c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: id})
				errs <- expected(err, "UnsupportedOperationException")
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	env.Settle()
	out, err := clients["eu-west-1"].DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: sharedID})
	require.NoError(t, err)
	assert.Equal(t, types.KeyStateEnabled, out.KeyMetadata.KeyState)
}

// expected returns nil for a KMS error with one of the given codes and
// err otherwise.
func expected(err error, codes ...string) error {
	var apiErr smithy.APIError
	if err == nil || !errors.As(err, &apiErr) {
		return err
	}
	for _, c := range codes {
		if apiErr.ErrorCode() == c {
			return nil
		}
	}
	return err
}
