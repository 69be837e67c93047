package kmssdk_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/internal/kmsconv"
	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/kmstest"
)

var ctx = context.Background()

// transport answers every request of a real *kms.Client with one canned
// response, or fails it, so tests can compare the real client's errors
// with a Client's without a network.
type transport func(*http.Request) (*http.Response, error)

func (f transport) Do(r *http.Request) (*http.Response, error) { return f(r) }

// realClient returns a real *kms.Client whose every request gets the
// given KMS JSON error response. status 0 means requests must not be
// sent at all.
func realClient(t *testing.T, status int, code, body string) *kms.Client {
	t.Helper()
	return kms.New(kms.Options{
		Region: "us-east-1",
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}, nil
		}),
		RetryMaxAttempts: 1,
		HTTPClient: transport(func(r *http.Request) (*http.Response, error) {
			if status == 0 {
				t.Errorf("request sent: %s", r.Header.Get("X-Amz-Target"))
				return nil, errors.New("no network in tests")
			}
			return &http.Response{
				StatusCode: status,
				Header: http.Header{
					"Content-Type":     {"application/x-amz-json-1.1"},
					"X-Amzn-Errortype": {code},
					"X-Amzn-Requestid": {"real-request"},
				},
				Body:    io.NopCloser(strings.NewReader(body)),
				Request: r,
			}, nil
		}),
	})
}

func TestDefaults(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := kmssdk.New(env.Engine)
	assert.Equal(t, kmssdk.DefaultRegion, c.Region())
	assert.Equal(t, kmstest.DefaultAccount, kmssdk.DefaultAccount)

	out, err := c.CreateKey(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, kmstest.DefaultAccount, *out.KeyMetadata.AWSAccountId)
	assert.True(t, strings.HasPrefix(*out.KeyMetadata.Arn, "arn:aws:kms:us-east-1:111122223333:key/"))

	eu := kmssdk.New(env.Engine, kmssdk.WithRegion("eu-west-1"))
	assert.Equal(t, "eu-west-1", string(eu.Region()))
	_, err = eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: out.KeyMetadata.KeyId})
	var nf *types.NotFoundException
	assert.True(t, errors.As(err, &nf), "a single-Region key is not in eu-west-1: %v", err)
}

func TestWithCaller(t *testing.T) {
	env := kmstest.NewEnv(t)
	const role = "arn:aws:iam::111122223333:role/Admin"
	require.NoError(t, env.Engine.CreatePrincipal(role))
	require.NoError(t, env.Engine.PutPrincipalPolicy(role, "kms",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`))

	c := kmssdk.New(env.Engine, kmssdk.WithCaller(kmstest.DefaultAccount, role))
	_, err := c.CreateKey(ctx, &kms.CreateKeyInput{})
	require.NoError(t, err)
	events := env.Engine.Events()
	assert.Equal(t, role, events[len(events)-1].Principal)

	c = kmssdk.New(env.Engine, kmssdk.WithCaller(kmstest.DefaultAccount, ""))
	_, err = c.ListKeys(ctx, nil)
	require.NoError(t, err)
	events = env.Engine.Events()
	assert.Equal(t, "arn:aws:iam::111122223333:root", events[len(events)-1].Principal)

	c = kmssdk.New(env.Engine, kmssdk.WithCaller("444455556666", ""))
	_, err = c.ListKeys(ctx, nil)
	var apiErr smithy.APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, "UnrecognizedClientException", apiErr.ErrorCode())
}

func TestOptFnsRegion(t *testing.T) {
	env := kmstest.NewEnv(t)
	us := kmssdk.New(env.Engine)
	key, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	require.NoError(t, err)
	_, err = us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: key.KeyMetadata.KeyId, ReplicaRegion: aws.String("eu-west-1")})
	require.NoError(t, err)

	inEU := func(o *kms.Options) { o.Region = "eu-west-1" }
	other := func(o *kms.Options) {
		assert.Equal(t, "eu-west-1", o.Region, "option functions see the Region of the ones before")
		o.RetryMaxAttempts = 5
	}
	out, err := us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: key.KeyMetadata.KeyId}, inEU, other)
	require.NoError(t, err)
	assert.Equal(t, types.MultiRegionKeyTypeReplica, out.KeyMetadata.MultiRegionConfiguration.MultiRegionKeyType)

	seen := ""
	out, err = us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: key.KeyMetadata.KeyId}, func(o *kms.Options) { seen = o.Region })
	require.NoError(t, err)
	assert.Equal(t, "us-east-1", seen)
	assert.Equal(t, types.MultiRegionKeyTypePrimary, out.KeyMetadata.MultiRegionConfiguration.MultiRegionKeyType)
	assert.Equal(t, "us-east-1", string(us.Region()), "an override lasts one call")
}

func TestContext(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := kmssdk.New(env.Engine)
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, err := c.CreateKey(canceled, &kms.CreateKeyInput{})
	assert.ErrorIs(t, err, context.Canceled)
	var opErr *smithy.OperationError
	require.True(t, errors.As(err, &opErr))
	assert.Equal(t, "KMS", opErr.ServiceID)
	assert.Equal(t, "CreateKey", opErr.OperationName)
	var ce *smithy.CanceledError
	assert.True(t, errors.As(err, &ce))

	expired, cancel := context.WithDeadline(ctx, time.Unix(0, 0))
	defer cancel()
	_, err = c.ListKeys(expired, nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	keys, err := c.ListKeys(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, keys.Keys, "the canceled CreateKey did not run")
}

// Required members are checked before the call exactly as the SDK's
// client-side validation checks them: the errors equal the real client's.
func TestRequiredMembers(t *testing.T) {
	env := kmstest.NewEnv(t)
	sim := kmssdk.New(env.Engine)
	real := realClient(t, 0, "", "")
	var (
		apis  = []kmssdk.API{sim, real}
		tag   = []types.Tag{{TagKey: aws.String("k")}, {TagValue: aws.String("v")}}
		calls = map[string]func(kmssdk.API) error{
			"DescribeKey/nil":   func(c kmssdk.API) error { _, err := c.DescribeKey(ctx, nil); return err },
			"DescribeKey/empty": func(c kmssdk.API) error { _, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{}); return err },
			"CreateKey/tags": func(c kmssdk.API) error {
				_, err := c.CreateKey(ctx, &kms.CreateKeyInput{Tags: tag})
				return err
			},
			"ReplicateKey": func(c kmssdk.API) error {
				_, err := c.ReplicateKey(ctx, &kms.ReplicateKeyInput{Tags: tag})
				return err
			},
			"UpdatePrimaryRegion": func(c kmssdk.API) error {
				_, err := c.UpdatePrimaryRegion(ctx, &kms.UpdatePrimaryRegionInput{})
				return err
			},
			"Encrypt": func(c kmssdk.API) error { _, err := c.Encrypt(ctx, &kms.EncryptInput{}); return err },
			"GenerateDataKey": func(c kmssdk.API) error {
				_, err := c.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeySpec: types.DataKeySpecAes256})
				return err
			},
			"GenerateDataKeyWithoutPlaintext": func(c kmssdk.API) error {
				_, err := c.GenerateDataKeyWithoutPlaintext(ctx, &kms.GenerateDataKeyWithoutPlaintextInput{NumberOfBytes: aws.Int32(8)})
				return err
			},
			"EnableKey":  func(c kmssdk.API) error { _, err := c.EnableKey(ctx, &kms.EnableKeyInput{}); return err },
			"DisableKey": func(c kmssdk.API) error { _, err := c.DisableKey(ctx, &kms.DisableKeyInput{}); return err },
			"ScheduleKeyDeletion": func(c kmssdk.API) error {
				_, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{PendingWindowInDays: aws.Int32(7)})
				return err
			},
			"CancelKeyDeletion": func(c kmssdk.API) error {
				_, err := c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{})
				return err
			},
			"UpdateKeyDescription": func(c kmssdk.API) error {
				_, err := c.UpdateKeyDescription(ctx, &kms.UpdateKeyDescriptionInput{})
				return err
			},
			"TagResource/nil": func(c kmssdk.API) error {
				_, err := c.TagResource(ctx, &kms.TagResourceInput{})
				return err
			},
			"TagResource/tags": func(c kmssdk.API) error {
				_, err := c.TagResource(ctx, &kms.TagResourceInput{KeyId: aws.String("k"), Tags: tag})
				return err
			},
			"UntagResource": func(c kmssdk.API) error {
				_, err := c.UntagResource(ctx, &kms.UntagResourceInput{})
				return err
			},
			"ListResourceTags": func(c kmssdk.API) error {
				_, err := c.ListResourceTags(ctx, &kms.ListResourceTagsInput{Limit: aws.Int32(1)})
				return err
			},
		}
	)
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			var errs [2]error
			for i, c := range apis {
				errs[i] = call(c)
				require.Error(t, errs[i])
				var opErr *smithy.OperationError
				require.True(t, errors.As(errs[i], &opErr))
				var ip smithy.InvalidParamsError
				require.True(t, errors.As(errs[i], &ip), "%T", opErr.Err)
			}
			assert.Equal(t, errs[1].Error(), errs[0].Error())
			var simParams, realParams smithy.InvalidParamsError
			errors.As(errs[0], &simParams)
			errors.As(errs[1], &realParams)
			assert.Equal(t, realParams, simParams)
		})
	}
	assert.Empty(t, env.Engine.Events(), "nothing reached the engine")
}

// A Client's error chain is the real client's for the same KMS response.
func TestErrorChainMatchesRealClient(t *testing.T) {
	for _, info := range kmserrors.All() {
		code := info.Code
		for _, msg := range []string{"the message", ""} {
			t.Run(code+"/"+msg, func(t *testing.T) {
				env := kmstest.NewEnv(t, kmstest.WithConfig(faultConfig(code, msg)))
				sim := kmssdk.New(env.Engine)
				simErr := describe(sim)
				status := statusOf(t, simErr)
				body := `{"__type":"` + code + `"`
				if msg != "" {
					body += `,"message":"` + msg + `"`
				}
				realErr := describe(realClient(t, status, code, body+"}"))

				var simOp, realOp *smithy.OperationError
				require.True(t, errors.As(simErr, &simOp))
				require.True(t, errors.As(realErr, &realOp), "%v", realErr)
				assert.Equal(t, realOp.ServiceID, simOp.ServiceID)
				assert.Equal(t, realOp.OperationName, simOp.OperationName)
				assert.Equal(t, reflect.TypeOf(realOp.Err), reflect.TypeOf(simOp.Err))
				var simMax, realMax *retry.MaxAttemptsError
				if errors.As(realErr, &realMax) {
					require.True(t, errors.As(simErr, &simMax), "%v", simErr)
					assert.Equal(t, realMax.Attempt, simMax.Attempt)
				}

				var simResp, realResp *awshttp.ResponseError
				require.True(t, errors.As(simErr, &simResp))
				require.True(t, errors.As(realErr, &realResp))
				assert.Equal(t, realResp.HTTPStatusCode(), simResp.HTTPStatusCode())
				assert.Equal(t, reflect.TypeOf(realResp.Err), reflect.TypeOf(simResp.Err))
				assert.Equal(t, realResp.Err, simResp.Err, "the SDK errors are equal")
				assert.NotEmpty(t, simResp.ServiceRequestID())
			})
		}
	}
}

func describe(c kmssdk.API) error {
	_, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab")})
	return err
}

func statusOf(t *testing.T, err error) int {
	t.Helper()
	var re *awshttp.ResponseError
	require.True(t, errors.As(err, &re), "%v", err)
	return re.HTTPStatusCode()
}

func TestRequestIDs(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := kmssdk.New(env.Engine)
	ids := make([]string, 3)
	for i := range ids {
		var re *awshttp.ResponseError
		require.True(t, errors.As(describe(c), &re))
		ids[i] = re.RequestID
		assert.Equal(t, re.RequestID, re.Response.Header.Get("X-Amzn-Requestid"))
		assert.Equal(t, "NotFoundException", re.Response.Header.Get("X-Amzn-Errortype"))
	}
	assert.Equal(t, []string{
		"00000000-0000-4000-8000-000000000001",
		"00000000-0000-4000-8000-000000000002",
		"00000000-0000-4000-8000-000000000003",
	}, ids)
}

// The API lists every operation the registry has, so the HTTP front and
// the client cover the same ground.
func TestAPICoversRegistry(t *testing.T) {
	api := reflect.TypeFor[kmssdk.API]()
	var methods []string
	for i := range api.NumMethod() {
		methods = append(methods, api.Method(i).Name)
	}
	assert.Equal(t, kmsconv.Names(), methods)
}

func TestConcurrentUse(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := kmssdk.New(env.Engine)
	key, err := c.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	require.NoError(t, err)
	done := make(chan error)
	for i := range 8 {
		go func() {
			for range 50 {
				if _, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: key.KeyMetadata.KeyId}); err != nil {
					done <- err
					return
				}
				if i%2 == 0 {
					_ = describe(c) // an error, which takes a request ID
				}
			}
			done <- nil
		}()
	}
	for range 8 {
		assert.NoError(t, <-done)
	}
}
