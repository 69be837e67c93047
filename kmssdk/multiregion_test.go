package kmssdk_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/kmstest"
)

// A multi-Region key's life, seen through clients in two Regions.
func TestMultiRegionWalkThrough(t *testing.T) {
	env := kmstest.NewEnv(t)
	var us, eu kmssdk.API = kmssdk.New(env.Engine), kmssdk.New(env.Engine, kmssdk.WithRegion("eu-west-1"))

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
	assert.True(t, *md.MultiRegion)
	assert.True(t, md.Enabled)
	assert.Equal(t, types.KeyStateEnabled, md.KeyState)
	assert.Equal(t, kmstest.Start, *md.CreationDate)
	assert.Nil(t, md.DeletionDate)
	assert.Equal(t, &types.MultiRegionConfiguration{
		MultiRegionKeyType: types.MultiRegionKeyTypePrimary,
		PrimaryKey:         &types.MultiRegionKey{Arn: aws.String(usARN), Region: aws.String("us-east-1")},
		ReplicaKeys:        []types.MultiRegionKey{},
	}, md.MultiRegionConfiguration)

	rep, err := us.ReplicateKey(ctx, &kms.ReplicateKeyInput{
		KeyId:         aws.String(usARN),
		ReplicaRegion: aws.String("eu-west-1"),
		Description:   aws.String("replica"),
		Tags:          []types.Tag{{TagKey: aws.String("team"), TagValue: aws.String("eu")}},
	})
	require.NoError(t, err)
	assert.Equal(t, euARN, *rep.ReplicaKeyMetadata.Arn)
	assert.Equal(t, types.KeyStateCreating, rep.ReplicaKeyMetadata.KeyState)
	assert.False(t, rep.ReplicaKeyMetadata.Enabled)
	assert.NotEmpty(t, *rep.ReplicaPolicy)
	assert.Equal(t, []types.Tag{{TagKey: aws.String("team"), TagValue: aws.String("eu")}}, rep.ReplicaTags)

	// The replica answers from its own Region.
	d, err := eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, "replica", *d.KeyMetadata.Description)
	assert.Equal(t, types.KeyStateCreating, d.KeyMetadata.KeyState)
	assert.Equal(t, types.MultiRegionKeyTypeReplica, d.KeyMetadata.MultiRegionConfiguration.MultiRegionKeyType)
	assert.Equal(t, usARN, *d.KeyMetadata.MultiRegionConfiguration.PrimaryKey.Arn)

	env.Advance(5 * time.Second)
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
	for c, role := range map[kmssdk.API]types.MultiRegionKeyType{us: types.MultiRegionKeyTypeReplica, eu: types.MultiRegionKeyTypePrimary} {
		d, err = c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
		require.NoError(t, err)
		assert.Equal(t, types.KeyStateEnabled, d.KeyMetadata.KeyState)
		assert.Equal(t, &types.MultiRegionConfiguration{
			MultiRegionKeyType: role,
			PrimaryKey:         &types.MultiRegionKey{Arn: aws.String(euARN), Region: aws.String("eu-west-1")},
			ReplicaKeys:        []types.MultiRegionKey{{Arn: aws.String(usARN), Region: aws.String("us-east-1")}},
		}, d.KeyMetadata.MultiRegionConfiguration)
	}

	// Lists and tags are per Region.
	keys, err := eu.ListKeys(ctx, &kms.ListKeysInput{Limit: aws.Int32(10)})
	require.NoError(t, err)
	assert.Equal(t, []types.KeyListEntry{{KeyId: aws.String(id), KeyArn: aws.String(euARN)}}, keys.Keys)
	assert.Nil(t, keys.NextMarker)
	assert.False(t, keys.Truncated)
	tags, err := us.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, []types.Tag{{TagKey: aws.String("team"), TagValue: aws.String("payments")}}, tags.Tags)
	_, err = us.UntagResource(ctx, &kms.UntagResourceInput{KeyId: aws.String(id), TagKeys: []string{"team"}})
	require.NoError(t, err)
	_, err = us.TagResource(ctx, &kms.TagResourceInput{KeyId: aws.String(id), Tags: []types.Tag{{TagKey: aws.String("a"), TagValue: aws.String("b")}}})
	require.NoError(t, err)
	tags, err = us.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, []types.Tag{{TagKey: aws.String("a"), TagValue: aws.String("b")}}, tags.Tags)

	// Descriptions and enablement are per key.
	_, err = us.UpdateKeyDescription(ctx, &kms.UpdateKeyDescriptionInput{KeyId: aws.String(id), Description: aws.String("")})
	require.NoError(t, err)
	_, err = us.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	d, err = us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, "", *d.KeyMetadata.Description)
	assert.Equal(t, types.KeyStateDisabled, d.KeyMetadata.KeyState)
	d, err = eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, "replica", *d.KeyMetadata.Description)
	assert.Equal(t, types.KeyStateEnabled, d.KeyMetadata.KeyState)
	_, err = us.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(id)})
	require.NoError(t, err)

	// Deleting the primary waits for its replica.
	sched, err := eu.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id), PendingWindowInDays: aws.Int32(7)})
	require.NoError(t, err)
	assert.Equal(t, &kms.ScheduleKeyDeletionOutput{
		KeyId:               aws.String(euARN),
		KeyState:            types.KeyStatePendingReplicaDeletion,
		PendingWindowInDays: aws.Int32(7),
	}, sched)
	d, err = eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, aws.Int32(7), d.KeyMetadata.PendingDeletionWindowInDays)
	assert.Nil(t, d.KeyMetadata.DeletionDate)

	sched, err = us.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, types.KeyStatePendingDeletion, sched.KeyState)
	require.NotNil(t, sched.DeletionDate)
	assert.Equal(t, 30*24*time.Hour, sched.DeletionDate.Sub(env.Clock.Now()))
	d, err = us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, sched.DeletionDate, d.KeyMetadata.DeletionDate)
	assert.Nil(t, d.KeyMetadata.PendingDeletionWindowInDays)

	canceled, err := us.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, usARN, *canceled.KeyId)
	d, err = us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, types.KeyStateDisabled, d.KeyMetadata.KeyState)
	assert.Nil(t, d.KeyMetadata.DeletionDate)
}
