package kmssdk_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/kmstest"
)

// injector fails every operation, or only the one named op, with err.
type injector struct {
	op  string
	err error
}

func (i injector) Before(op engine.Op) error {
	if i.op == "" || i.op == op.Name {
		return i.err
	}
	return nil
}

func faultConfig(code, msg string) engine.Config {
	return engine.Config{Faults: injector{err: kmserrors.New(code, msg)}}
}

// checkError asserts that err is what the real client returns for the
// KMS error code: an OperationError of op around a ResponseError with the
// kmsim HTTP status around the SDK's type for code.
func checkError(t *testing.T, err error, op, code string) {
	t.Helper()
	require.Error(t, err)
	var opErr *smithy.OperationError
	require.True(t, errors.As(err, &opErr), "%T: %v", err, err)
	assert.Equal(t, "KMS", opErr.ServiceID)
	assert.Equal(t, op, opErr.OperationName)

	info, ok := kmserrors.Lookup(code)
	require.True(t, ok, code)
	var resp *awshttp.ResponseError
	require.True(t, errors.As(err, &resp), "%v", err)
	assert.Equal(t, info.HTTPStatus, resp.HTTPStatusCode())

	var apiErr smithy.APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, code, apiErr.ErrorCode())
	if info.InModel {
		assert.Equal(t, "*types."+code, fmt.Sprintf("%T", apiErr))
	} else {
		var generic *smithy.GenericAPIError
		assert.True(t, errors.As(err, &generic), "%T", apiErr)
	}
}

// Every code kmserrors knows, injected into a real engine, reaches the
// caller as the SDK's type for it.
func TestEveryCodeThroughClient(t *testing.T) {
	for _, info := range kmserrors.All() {
		t.Run(info.Code, func(t *testing.T) {
			env := kmstest.NewEnv(t, kmstest.WithConfig(faultConfig(info.Code, "injected")))
			c := kmssdk.New(env.Engine)
			_, err := c.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: aws.String("mrk-1"), ReplicaRegion: aws.String("eu-west-1")})
			checkError(t, err, "ReplicateKey", info.Code)
			var apiErr smithy.APIError
			require.True(t, errors.As(err, &apiErr))
			assert.Equal(t, "injected", apiErr.ErrorMessage())
		})
	}
}

// Errors the engine produces on its own, for each common code.
func TestEngineErrors(t *testing.T) {
	type setup struct {
		env *kmstest.Env
		us  *kmssdk.Client
		eu  *kmssdk.Client
		mrk *string // a multi-Region primary in us-east-1, replicated to eu-west-1 and settled
		srk *string // a single-Region key in us-east-1
	}
	newSetup := func(t *testing.T, opts ...kmstest.Option) *setup {
		env := kmstest.NewEnv(t, opts...)
		s := &setup{env: env, us: kmssdk.New(env.Engine), eu: kmssdk.New(env.Engine, kmssdk.WithRegion("eu-west-1"))}
		mrk, err := s.us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
		require.NoError(t, err)
		_, err = s.us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: mrk.KeyMetadata.KeyId, ReplicaRegion: aws.String("eu-west-1")})
		require.NoError(t, err)
		env.Settle()
		s.mrk = mrk.KeyMetadata.KeyId
		if len(opts) == 0 {
			srk, err := s.us.CreateKey(ctx, nil)
			require.NoError(t, err)
			s.srk = srk.KeyMetadata.KeyId
		}
		return s
	}
	tests := []struct {
		name, op, code string
		opts           []kmstest.Option
		run            func(*setup) error
		check          func(*testing.T, error)
	}{
		{"NotFound", "DescribeKey", "NotFoundException", nil, func(s *setup) error {
			_, err := s.us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab")})
			return err
		}, func(t *testing.T, err error) {
			var nf *types.NotFoundException
			require.True(t, errors.As(err, &nf))
			assert.Equal(t, "Key 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist", *nf.Message)
		}},
		{"AlreadyExists", "ReplicateKey", "AlreadyExistsException", nil, func(s *setup) error {
			_, err := s.us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: s.mrk, ReplicaRegion: aws.String("eu-west-1")})
			return err
		}, func(t *testing.T, err error) {
			var ae *types.AlreadyExistsException
			assert.True(t, errors.As(err, &ae))
		}},
		{"Disabled", "ReplicateKey", "DisabledException", nil, func(s *setup) error {
			if _, err := s.us.DisableKey(ctx, &kms.DisableKeyInput{KeyId: s.mrk}); err != nil {
				return err
			}
			_, err := s.us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: s.mrk, ReplicaRegion: aws.String("ap-southeast-2")})
			return err
		}, func(t *testing.T, err error) {
			var de *types.DisabledException
			assert.True(t, errors.As(err, &de))
		}},
		{"KMSInvalidState", "UpdatePrimaryRegion", "KMSInvalidStateException", nil, func(s *setup) error {
			_, err := s.eu.UpdatePrimaryRegion(ctx, &kms.UpdatePrimaryRegionInput{KeyId: s.mrk, PrimaryRegion: aws.String("us-east-1")})
			return err
		}, func(t *testing.T, err error) {
			var is *types.KMSInvalidStateException
			assert.True(t, errors.As(err, &is))
		}},
		{"KMSInvalidState/CancelKeyDeletion", "CancelKeyDeletion", "KMSInvalidStateException", nil, func(s *setup) error {
			_, err := s.us.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: s.srk})
			return err
		}, nil},
		{"UnsupportedOperation", "ReplicateKey", "UnsupportedOperationException", nil, func(s *setup) error {
			_, err := s.us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: s.srk, ReplicaRegion: aws.String("eu-west-1")})
			return err
		}, func(t *testing.T, err error) {
			var uo *types.UnsupportedOperationException
			assert.True(t, errors.As(err, &uo))
		}},
		{"InvalidArn", "EnableKey", "InvalidArnException", nil, func(s *setup) error {
			_, err := s.us.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String("alias/mine")})
			return err
		}, func(t *testing.T, err error) {
			var ia *types.InvalidArnException
			assert.True(t, errors.As(err, &ia))
		}},
		{"Tag", "TagResource", "TagException", nil, func(s *setup) error {
			_, err := s.us.TagResource(ctx, &kms.TagResourceInput{KeyId: s.srk, Tags: []types.Tag{{TagKey: aws.String("aws:x"), TagValue: aws.String("")}}})
			return err
		}, func(t *testing.T, err error) {
			var te *types.TagException
			assert.True(t, errors.As(err, &te))
		}},
		{"LimitExceeded", "CreateKey", "LimitExceededException", []kmstest.Option{kmstest.WithConfig(engine.Config{KeyQuota: 1})}, func(s *setup) error {
			_, err := s.us.CreateKey(ctx, nil)
			return err
		}, func(t *testing.T, err error) {
			var le *types.LimitExceededException
			assert.True(t, errors.As(err, &le))
		}},
		{"CustomKeyStoreNotFound", "CreateKey", "CustomKeyStoreNotFoundException", nil, func(s *setup) error {
			_, err := s.us.CreateKey(ctx, &kms.CreateKeyInput{CustomKeyStoreId: aws.String("cks-1234567890abcdef0"), Origin: types.OriginTypeAwsCloudhsm})
			return err
		}, nil},
		{"Validation/engine", "ScheduleKeyDeletion", "ValidationException", nil, func(s *setup) error {
			_, err := s.us.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: s.srk, PendingWindowInDays: aws.Int32(5)})
			return err
		}, func(t *testing.T, err error) {
			var ge *smithy.GenericAPIError
			require.True(t, errors.As(err, &ge))
			assert.Equal(t, "ValidationException", ge.Code)
			assert.Equal(t, "PendingWindowInDays must be between 7 and 30 (inclusive).", ge.Message)
		}},
		{"Validation/presence", "ListResourceTags", "ValidationException", nil, func(s *setup) error {
			_, err := s.us.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: s.srk, Limit: aws.Int32(0)})
			return err
		}, func(t *testing.T, err error) {
			var ge *smithy.GenericAPIError
			require.True(t, errors.As(err, &ge))
			assert.Equal(t, "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", ge.Message)
		}},
		{"UnrecognizedClient", "DescribeKey", "UnrecognizedClientException", nil, func(s *setup) error {
			c := kmssdk.New(s.env.Engine, kmssdk.WithCaller("444455556666", ""))
			_, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: s.mrk})
			return err
		}, nil},
		{"UnrecognizedClient/optInRegion", "ListKeys", "UnrecognizedClientException", nil, func(s *setup) error {
			_, err := s.us.ListKeys(ctx, nil, func(o *kms.Options) { o.Region = "af-south-1" })
			return err
		}, nil},
		{"Throttling", "DescribeKey", "ThrottlingException", []kmstest.Option{kmstest.WithConfig(engine.Config{
			Throttle: true, RequestRates: map[string]float64{"DescribeKey": 1},
		})}, func(s *setup) error {
			for {
				if _, err := s.us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: s.mrk}); err != nil {
					return err
				}
			}
		}, nil},
		{"KMSInternal", "DescribeKey", "KMSInternalException", []kmstest.Option{kmstest.WithConfig(engine.Config{
			Faults: injector{"DescribeKey", errors.New("not a KMS error")},
		})}, func(s *setup) error {
			_, err := s.us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: s.mrk})
			return err
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSetup(t, tt.opts...)
			err := tt.run(s)
			checkError(t, err, tt.op, tt.code)
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
}
