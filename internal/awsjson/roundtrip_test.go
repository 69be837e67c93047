package awsjson_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/internal/awsjson"
)

// server answers every operation named in outputs with Marshal of its
// output, as the simulator's HTTP front end will.
func server(t *testing.T, outputs map[string]smithy.Serializable) *kms.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "TrentService.")
		out, ok := outputs[op]
		if !ok {
			w.Header().Set("X-Amzn-ErrorType", "UnknownOperationException")
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		body := awsjson.Marshal(out)
		if !json.Valid(body) {
			t.Errorf("%s: invalid JSON %s", op, body)
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-RequestId", "00000000-0000-0000-0000-000000000000")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIAFAKE", SecretAccessKey: "fake", Source: "test"}, nil
	})
	return kms.NewFromConfig(aws.Config{
		Region:           "us-east-1",
		Credentials:      creds,
		RetryMaxAttempts: 1,
		HTTPClient:       srv.Client(),
	}, func(o *kms.Options) { o.BaseEndpoint = aws.String(srv.URL) })
}

// ms is the precision of timestamps on the wire.
func ms(t time.Time) time.Time { return t.Truncate(time.Millisecond).UTC() }

func TestRoundTripSDKClient(t *testing.T) {
	ctx := context.Background()
	replica := keyMetadata("eu-west-1", created, deletion)
	replica.KeyState = types.KeyStateCreating
	replica.DeletionDate = nil
	replica.PendingDeletionWindowInDays = nil
	replica.MultiRegionConfiguration.MultiRegionKeyType = types.MultiRegionKeyTypeReplica
	replica.MultiRegionConfiguration.ReplicaKeys = []types.MultiRegionKey{
		{Arn: aws.String("arn:aws:kms:eu-west-1:" + account + ":key/" + keyID), Region: aws.String("eu-west-1")},
	}
	random := make([]byte, 1024)
	for i := range random {
		random[i] = byte(i * 7)
	}
	outputs := map[string]smithy.Serializable{
		"DescribeKey": &kms.DescribeKeyOutput{KeyMetadata: keyMetadata("us-east-1", created, deletion)},
		"ListKeys": &kms.ListKeysOutput{
			Keys:       []types.KeyListEntry{{KeyId: aws.String(keyID), KeyArn: aws.String(keyArn)}},
			NextMarker: aws.String("next"),
			Truncated:  true,
		},
		"ReplicateKey": &kms.ReplicateKeyOutput{
			ReplicaKeyMetadata: replica,
			ReplicaPolicy:      aws.String("{\n  \"Version\" : \"2012-10-17\"\n}"),
			ReplicaTags:        []types.Tag{{TagKey: aws.String("team"), TagValue: aws.String("")}},
		},
		"ScheduleKeyDeletion": &kms.ScheduleKeyDeletionOutput{
			KeyId:               aws.String(keyArn),
			DeletionDate:        aws.Time(created.Add(30 * 24 * time.Hour)),
			KeyState:            types.KeyStatePendingDeletion,
			PendingWindowInDays: aws.Int32(30),
		},
		"GenerateRandom": &kms.GenerateRandomOutput{Plaintext: random},
	}
	client := server(t, outputs)

	t.Run("DescribeKey", func(t *testing.T) {
		got, err := client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(keyID)})
		require.NoError(t, err)
		got.ResultMetadata = middleware.Metadata{}
		assert.Equal(t, &kms.DescribeKeyOutput{KeyMetadata: keyMetadata("us-east-1", ms(created), ms(deletion))}, got)
	})
	t.Run("ListKeys", func(t *testing.T) {
		got, err := client.ListKeys(ctx, &kms.ListKeysInput{})
		require.NoError(t, err)
		got.ResultMetadata = middleware.Metadata{}
		assert.Equal(t, outputs["ListKeys"], got)
	})
	t.Run("ReplicateKey", func(t *testing.T) {
		got, err := client.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: aws.String(keyID), ReplicaRegion: aws.String("eu-west-1")})
		require.NoError(t, err)
		got.ResultMetadata = middleware.Metadata{}
		want := *outputs["ReplicateKey"].(*kms.ReplicateKeyOutput)
		md := *want.ReplicaKeyMetadata
		md.CreationDate = aws.Time(ms(created))
		want.ReplicaKeyMetadata = &md
		assert.Equal(t, &want, got)
	})
	t.Run("ScheduleKeyDeletion", func(t *testing.T) {
		got, err := client.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(keyID)})
		require.NoError(t, err)
		got.ResultMetadata = middleware.Metadata{}
		want := *outputs["ScheduleKeyDeletion"].(*kms.ScheduleKeyDeletionOutput)
		want.DeletionDate = aws.Time(ms(*want.DeletionDate))
		assert.Equal(t, &want, got)
	})
	t.Run("GenerateRandom", func(t *testing.T) {
		got, err := client.GenerateRandom(ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(1024)})
		require.NoError(t, err)
		got.ResultMetadata = middleware.Metadata{}
		assert.Equal(t, outputs["GenerateRandom"], got)
	})
}
