package kmshttp_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/kmstest"
)

// A multi-Region key's life through the real SDK client, with clients of
// two Regions on one port.
func TestMultiRegionWalkThrough(t *testing.T) {
	env := kmstest.NewEnv(t)
	srv := newServer(t, env, kmshttp.Config{})
	us, eu := testClient(srv, "us-east-1"), testClient(srv, "eu-west-1")
	ctx := t.Context()

	created, err := us.CreateKey(ctx, &kms.CreateKeyInput{
		MultiRegion: aws.Bool(true),
		Description: aws.String("primary"),
		Tags:        []types.Tag{{TagKey: aws.String("team"), TagValue: aws.String("payments")}},
	})
	require.NoError(t, err)
	md := created.KeyMetadata
	id := *md.KeyId
	usARN := "arn:aws:kms:us-east-1:111122223333:key/" + id
	euARN := "arn:aws:kms:eu-west-1:111122223333:key/" + id
	assert.Regexp(t, `^mrk-[0-9a-f]{32}$`, id)
	assert.Equal(t, usARN, *md.Arn)
	assert.Equal(t, "111122223333", *md.AWSAccountId)
	assert.True(t, *md.MultiRegion)
	assert.True(t, md.Enabled)
	assert.Equal(t, types.KeyStateEnabled, md.KeyState)
	assert.True(t, kmstest.Start.Equal(*md.CreationDate), "%v", md.CreationDate)
	assert.Nil(t, md.DeletionDate)
	assert.Equal(t, &types.MultiRegionConfiguration{
		MultiRegionKeyType: types.MultiRegionKeyTypePrimary,
		PrimaryKey:         &types.MultiRegionKey{Arn: aws.String(usARN), Region: aws.String("us-east-1")},
		ReplicaKeys:        []types.MultiRegionKey{},
	}, md.MultiRegionConfiguration)
	assert.NotEmpty(t, created.ResultMetadata)

	rep, err := us.ReplicateKey(ctx, &kms.ReplicateKeyInput{
		KeyId:         aws.String(usARN),
		ReplicaRegion: aws.String("eu-west-1"),
		Description:   aws.String("replica"),
		Tags:          []types.Tag{{TagKey: aws.String("team"), TagValue: aws.String("eu")}},
	})
	require.NoError(t, err)
	assert.Equal(t, euARN, *rep.ReplicaKeyMetadata.Arn)
	assert.Equal(t, types.KeyStateCreating, rep.ReplicaKeyMetadata.KeyState)
	assert.NotEmpty(t, *rep.ReplicaPolicy)
	assert.Equal(t, []types.Tag{{TagKey: aws.String("team"), TagValue: aws.String("eu")}}, rep.ReplicaTags)

	// The eu-west-1 client reaches the eu-west-1 endpoint.
	d, err := eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, "replica", *d.KeyMetadata.Description)
	assert.Equal(t, types.KeyStateCreating, d.KeyMetadata.KeyState)
	assert.False(t, d.KeyMetadata.Enabled)
	assert.Equal(t, types.MultiRegionKeyTypeReplica, d.KeyMetadata.MultiRegionConfiguration.MultiRegionKeyType)
	assert.Equal(t, usARN, *d.KeyMetadata.MultiRegionConfiguration.PrimaryKey.Arn)

	env.Clock.Advance(5 * time.Second)
	d, err = eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(euARN)})
	require.NoError(t, err)
	assert.Equal(t, types.KeyStateEnabled, d.KeyMetadata.KeyState)
	assert.True(t, d.KeyMetadata.Enabled)

	// Move the primary to eu-west-1.
	_, err = us.UpdatePrimaryRegion(ctx, &kms.UpdatePrimaryRegionInput{KeyId: aws.String(id), PrimaryRegion: aws.String("eu-west-1")})
	require.NoError(t, err)
	d, err = us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, types.KeyStateUpdating, d.KeyMetadata.KeyState)
	env.Settle()
	for c, role := range map[*kms.Client]types.MultiRegionKeyType{us: types.MultiRegionKeyTypeReplica, eu: types.MultiRegionKeyTypePrimary} {
		d, err = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
		require.NoError(t, err)
		assert.Equal(t, types.KeyStateEnabled, d.KeyMetadata.KeyState)
		assert.Equal(t, &types.MultiRegionConfiguration{
			MultiRegionKeyType: role,
			PrimaryKey:         &types.MultiRegionKey{Arn: aws.String(euARN), Region: aws.String("eu-west-1")},
			ReplicaKeys:        []types.MultiRegionKey{{Arn: aws.String(usARN), Region: aws.String("us-east-1")}},
		}, d.KeyMetadata.MultiRegionConfiguration)
	}

	// Tags are per Region.
	tags, err := us.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, []types.Tag{{TagKey: aws.String("team"), TagValue: aws.String("payments")}}, tags.Tags)
	assert.False(t, tags.Truncated)
	_, err = us.UntagResource(ctx, &kms.UntagResourceInput{KeyId: aws.String(id), TagKeys: []string{"team"}})
	require.NoError(t, err)
	_, err = us.TagResource(ctx, &kms.TagResourceInput{KeyId: aws.String(id), Tags: []types.Tag{{TagKey: aws.String("a"), TagValue: aws.String("b")}}})
	require.NoError(t, err)
	tags, err = us.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, []types.Tag{{TagKey: aws.String("a"), TagValue: aws.String("b")}}, tags.Tags)
	tags, err = eu.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, []types.Tag{{TagKey: aws.String("team"), TagValue: aws.String("eu")}}, tags.Tags)

	// Descriptions and enablement are per key.
	_, err = us.UpdateKeyDescription(ctx, &kms.UpdateKeyDescriptionInput{KeyId: aws.String(id), Description: aws.String("")})
	require.NoError(t, err)
	_, err = us.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	d, err = us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, "", *d.KeyMetadata.Description)
	assert.Equal(t, types.KeyStateDisabled, d.KeyMetadata.KeyState)
	_, err = us.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(id)})
	require.NoError(t, err)

	// Deleting the primary waits for its replica; cancel the replica's
	// deletion.
	sched, err := eu.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(7)})
	require.NoError(t, err)
	assert.Equal(t, euARN, *sched.KeyId)
	assert.Equal(t, types.KeyStatePendingReplicaDeletion, sched.KeyState)
	assert.Equal(t, aws.Int32(7), sched.PendingWindowInDays)
	assert.Nil(t, sched.DeletionDate)

	sched, err = us.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, types.KeyStatePendingDeletion, sched.KeyState)
	require.NotNil(t, sched.DeletionDate)
	assert.Equal(t, 30*24*time.Hour, sched.DeletionDate.Sub(env.Clock.Now()))
	canceled, err := us.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, usARN, *canceled.KeyId)
	d, err = us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, types.KeyStateDisabled, d.KeyMetadata.KeyState)
	assert.Nil(t, d.KeyMetadata.DeletionDate)
}

// ListKeys pages through the real client's paginator, per Region.
func TestListKeysPaging(t *testing.T) {
	env := kmstest.NewEnv(t)
	srv := newServer(t, env, kmshttp.Config{})
	us := testClient(srv, "us-east-1")
	want := map[string]bool{}
	for range 7 {
		out, err := us.CreateKey(t.Context(), nil)
		require.NoError(t, err)
		want[*out.KeyMetadata.KeyId] = true
	}
	got := map[string]bool{}
	pages := 0
	p := kms.NewListKeysPaginator(us, &kms.ListKeysInput{Limit: aws.Int32(3)})
	for p.HasMorePages() {
		page, err := p.NextPage(t.Context())
		require.NoError(t, err)
		pages++
		assert.Equal(t, page.NextMarker != nil, page.Truncated)
		for _, k := range page.Keys {
			assert.False(t, got[*k.KeyId], "key listed twice")
			got[*k.KeyId] = true
			assert.Equal(t, "arn:aws:kms:us-east-1:111122223333:key/"+*k.KeyId, *k.KeyArn)
		}
	}
	assert.Equal(t, want, got)
	assert.Equal(t, 3, pages)

	out, err := testClient(srv, "eu-west-1").ListKeys(t.Context(), nil)
	require.NoError(t, err)
	assert.Empty(t, out.Keys)
	assert.NotNil(t, out.Keys)
}

// checkSDKError asserts that err is what the real client returns for a
// KMS error with this code: an OperationError of op around a
// ResponseError with the code's status around the SDK's type for code.
func checkSDKError(t *testing.T, err error, op, code string) {
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
	assert.Regexp(t, `^00000000-0000-4000-8000-[0-9a-f]{12}$`, resp.ServiceRequestID())
	var apiErr smithy.APIError
	require.True(t, errors.As(err, &apiErr), "%T: %v", err, err)
	assert.Equal(t, code, apiErr.ErrorCode())
	if info.InModel {
		assert.Equal(t, "*types."+code, fmt.Sprintf("%T", apiErr))
	} else {
		var generic *smithy.GenericAPIError
		assert.True(t, errors.As(err, &generic), "%T", apiErr)
	}
}

// injector fails every operation with err.
type injector struct{ err error }

func (i injector) Before(engine.Op) error { return i.err }

// Every code kmserrors knows, injected into the engine, reaches the real
// client as the SDK's type for it, with its message.
func TestEveryCodeThroughHTTP(t *testing.T) {
	for _, info := range kmserrors.All() {
		t.Run(info.Code, func(t *testing.T) {
			env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{Faults: injector{kmserrors.New(info.Code, "injected <&>")}}))
			srv := newServer(t, env, kmshttp.Config{})
			_, err := testClient(srv, "us-east-1").ReplicateKey(t.Context(), &kms.ReplicateKeyInput{
				KeyId: aws.String("mrk-1"), ReplicaRegion: aws.String("eu-west-1"),
			})
			checkSDKError(t, err, "ReplicateKey", info.Code)
			var apiErr smithy.APIError
			require.True(t, errors.As(err, &apiErr))
			assert.Equal(t, "injected <&>", apiErr.ErrorMessage())
		})
	}
}

// Errors the engine produces on its own reach the real client with the
// same code and message as through kmssdk, the in-process client.
func TestEngineErrors(t *testing.T) {
	// API is what the scenarios call; both clients have it.
	type API interface {
		CreateKey(ctx context.Context, in *kms.CreateKeyInput, opts ...func(*kms.Options)) (*kms.CreateKeyOutput, error)
		ReplicateKey(ctx context.Context, in *kms.ReplicateKeyInput, opts ...func(*kms.Options)) (*kms.ReplicateKeyOutput, error)
		DescribeKey(ctx context.Context, in *kms.DescribeKeyInput, opts ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
		DisableKey(ctx context.Context, in *kms.DisableKeyInput, opts ...func(*kms.Options)) (*kms.DisableKeyOutput, error)
		EnableKey(ctx context.Context, in *kms.EnableKeyInput, opts ...func(*kms.Options)) (*kms.EnableKeyOutput, error)
		UpdatePrimaryRegion(ctx context.Context, in *kms.UpdatePrimaryRegionInput, opts ...func(*kms.Options)) (*kms.UpdatePrimaryRegionOutput, error)
		CancelKeyDeletion(ctx context.Context, in *kms.CancelKeyDeletionInput, opts ...func(*kms.Options)) (*kms.CancelKeyDeletionOutput, error)
		ScheduleKeyDeletion(ctx context.Context, in *kms.ScheduleKeyDeletionInput, opts ...func(*kms.Options)) (*kms.ScheduleKeyDeletionOutput, error)
		TagResource(ctx context.Context, in *kms.TagResourceInput, opts ...func(*kms.Options)) (*kms.TagResourceOutput, error)
		ListResourceTags(ctx context.Context, in *kms.ListResourceTagsInput, opts ...func(*kms.Options)) (*kms.ListResourceTagsOutput, error)
		ListKeys(ctx context.Context, in *kms.ListKeysInput, opts ...func(*kms.Options)) (*kms.ListKeysOutput, error)
	}
	type setup struct {
		us, eu   API
		mrk, srk *string // a settled multi-Region primary with a eu-west-1 replica; a single-Region key
	}
	tests := []struct {
		name, op, code string
		cfg            engine.Config
		run            func(context.Context, *setup) error
		check          func(*testing.T, error)
	}{
		{"NotFound", "DescribeKey", "NotFoundException", engine.Config{}, func(ctx context.Context, s *setup) error {
			_, err := s.us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("1234abcd-12ab-34cd-56ef-1234567890ab")})
			return err
		}, func(t *testing.T, err error) {
			var e *types.NotFoundException
			assert.True(t, errors.As(err, &e))
		}},
		{"AlreadyExists", "ReplicateKey", "AlreadyExistsException", engine.Config{}, func(ctx context.Context, s *setup) error {
			_, err := s.us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: s.mrk, ReplicaRegion: aws.String("eu-west-1")})
			return err
		}, func(t *testing.T, err error) {
			var e *types.AlreadyExistsException
			assert.True(t, errors.As(err, &e))
		}},
		{"Disabled", "ReplicateKey", "DisabledException", engine.Config{}, func(ctx context.Context, s *setup) error {
			if _, err := s.us.DisableKey(ctx, &kms.DisableKeyInput{KeyId: s.mrk}); err != nil {
				return err
			}
			_, err := s.us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: s.mrk, ReplicaRegion: aws.String("ap-southeast-2")})
			return err
		}, func(t *testing.T, err error) {
			var e *types.DisabledException
			assert.True(t, errors.As(err, &e))
		}},
		{"KMSInvalidState", "UpdatePrimaryRegion", "KMSInvalidStateException", engine.Config{}, func(ctx context.Context, s *setup) error {
			_, err := s.eu.UpdatePrimaryRegion(ctx, &kms.UpdatePrimaryRegionInput{KeyId: s.mrk, PrimaryRegion: aws.String("us-east-1")})
			return err
		}, func(t *testing.T, err error) {
			var e *types.KMSInvalidStateException
			assert.True(t, errors.As(err, &e))
		}},
		{"KMSInvalidState/CancelKeyDeletion", "CancelKeyDeletion", "KMSInvalidStateException", engine.Config{}, func(ctx context.Context, s *setup) error {
			_, err := s.us.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: s.srk})
			return err
		}, nil},
		{"UnsupportedOperation", "ReplicateKey", "UnsupportedOperationException", engine.Config{}, func(ctx context.Context, s *setup) error {
			_, err := s.us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: s.srk, ReplicaRegion: aws.String("eu-west-1")})
			return err
		}, func(t *testing.T, err error) {
			var e *types.UnsupportedOperationException
			assert.True(t, errors.As(err, &e))
		}},
		{"InvalidArn", "EnableKey", "InvalidArnException", engine.Config{}, func(ctx context.Context, s *setup) error {
			_, err := s.us.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String("alias/mine")})
			return err
		}, func(t *testing.T, err error) {
			var e *types.InvalidArnException
			assert.True(t, errors.As(err, &e))
		}},
		{"Tag", "TagResource", "TagException", engine.Config{}, func(ctx context.Context, s *setup) error {
			_, err := s.us.TagResource(ctx, &kms.TagResourceInput{KeyId: s.srk, Tags: []types.Tag{{TagKey: aws.String("aws:x"), TagValue: aws.String("")}}})
			return err
		}, func(t *testing.T, err error) {
			var e *types.TagException
			assert.True(t, errors.As(err, &e))
		}},
		{"LimitExceeded", "CreateKey", "LimitExceededException", engine.Config{KeyQuota: 2}, func(ctx context.Context, s *setup) error {
			_, err := s.us.CreateKey(ctx, nil)
			return err
		}, func(t *testing.T, err error) {
			var e *types.LimitExceededException
			assert.True(t, errors.As(err, &e))
		}},
		{"Validation/engine", "ScheduleKeyDeletion", "ValidationException", engine.Config{}, func(ctx context.Context, s *setup) error {
			_, err := s.us.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: s.srk, PendingWindowInDays: aws.Int32(5)})
			return err
		}, nil},
		{"Validation/model", "ListResourceTags", "ValidationException", engine.Config{}, func(ctx context.Context, s *setup) error {
			_, err := s.us.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: s.srk, Limit: aws.Int32(0)})
			return err
		}, func(t *testing.T, err error) {
			var ge *smithy.GenericAPIError
			require.True(t, errors.As(err, &ge))
			assert.Equal(t, "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", ge.Message)
		}},
		{"UnrecognizedClient/optInRegion", "ListKeys", "UnrecognizedClientException", engine.Config{}, func(ctx context.Context, s *setup) error {
			_, err := s.us.ListKeys(ctx, nil, func(o *kms.Options) { o.Region = "af-south-1" })
			return err
		}, nil},
		{"Throttling", "DescribeKey", "ThrottlingException", engine.Config{Throttle: true, RequestRates: map[string]float64{"DescribeKey": 1}}, func(ctx context.Context, s *setup) error {
			for {
				if _, err := s.us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: s.mrk}); err != nil {
					return err
				}
			}
		}, nil},
	}
	newSetup := func(t *testing.T, cfg engine.Config, viaHTTP bool) *setup {
		env := kmstest.NewEnv(t, kmstest.WithConfig(cfg))
		s := &setup{us: kmssdk.New(env.Engine), eu: kmssdk.New(env.Engine, kmssdk.WithRegion("eu-west-1"))}
		if viaHTTP {
			srv := newServer(t, env, kmshttp.Config{})
			s.us, s.eu = testClient(srv, "us-east-1"), testClient(srv, "eu-west-1")
		}
		ctx := t.Context()
		mrk, err := s.us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
		require.NoError(t, err)
		_, err = s.us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: mrk.KeyMetadata.KeyId, ReplicaRegion: aws.String("eu-west-1")})
		require.NoError(t, err)
		env.Settle()
		s.mrk = mrk.KeyMetadata.KeyId
		srk, err := s.us.CreateKey(ctx, nil)
		require.NoError(t, err)
		s.srk = srk.KeyMetadata.KeyId
		return s
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			viaSDK := tt.run(t.Context(), newSetup(t, tt.cfg, false))
			err := tt.run(t.Context(), newSetup(t, tt.cfg, true))
			checkSDKError(t, err, tt.op, tt.code)
			if tt.check != nil {
				tt.check(t, err)
			}
			var want, got smithy.APIError
			require.True(t, errors.As(viaSDK, &want))
			require.True(t, errors.As(err, &got))
			assert.Equal(t, want.ErrorCode(), got.ErrorCode())
			assert.Equal(t, want.ErrorMessage(), got.ErrorMessage())
		})
	}
}

// Errors of the front end reach the real client as API errors with the
// right code.
func TestFrontEndErrorsThroughClient(t *testing.T) {
	env := kmstest.NewEnv(t)
	srv := newServer(t, env, kmshttp.Config{})
	us := testClient(srv, "us-east-1")

	// An alias name too long for the model: the client sends it, the
	// front end rejects it.
	_, err := us.DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: aws.String(strings.Repeat("k", 2049))})
	checkSDKError(t, err, "DescribeKey", "ValidationException")
	var apiErr smithy.APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Contains(t, apiErr.ErrorMessage(), "at 'keyId' failed to satisfy constraint: Member must have length less than or equal to 2048")

	// A Region without a KMS endpoint.
	_, err = us.ListKeys(t.Context(), nil, func(o *kms.Options) { o.Region = "xx-nowhere-1" })
	checkSDKError(t, err, "ListKeys", "UnrecognizedClientException")

	// An operation KMS has and kmsim does not implement yet.
	_, err = us.CreateGrant(t.Context(), &kms.CreateGrantInput{KeyId: aws.String("k"), GranteePrincipal: aws.String("arn:aws:iam::111122223333:root"), Operations: []types.GrantOperation{types.GrantOperationDecrypt}})
	checkSDKError(t, err, "CreateGrant", "UnsupportedOperationException")
	var uo *types.UnsupportedOperationException
	require.True(t, errors.As(err, &uo))
	assert.Equal(t, "kmsim does not implement CreateGrant yet", *uo.Message)
}
