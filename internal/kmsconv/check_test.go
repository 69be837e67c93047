package kmsconv_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/assert"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/internal/kmsconv"
)

func TestCheck(t *testing.T) {
	const (
		emptyKeyID = "1 validation error detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1"
		zeroLimit  = "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
	)
	empty := aws.String("")
	tests := []struct {
		name string
		err  error
		want string // "" for no error
	}{
		{"CreateKey/nil", kmsconv.CheckCreateKeyInput(nil), ""},
		{"CreateKey/omitted", kmsconv.CheckCreateKeyInput(&kms.CreateKeyInput{}), ""},
		{"CreateKey/emptyDescription", kmsconv.CheckCreateKeyInput(&kms.CreateKeyInput{Description: empty}), ""},
		{"CreateKey/emptyPolicy", kmsconv.CheckCreateKeyInput(&kms.CreateKeyInput{Policy: empty}),
			"1 validation error detected: Value '' at 'policy' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"CreateKey/three", kmsconv.CheckCreateKeyInput(&kms.CreateKeyInput{Policy: empty, CustomKeyStoreId: empty, XksKeyId: empty}),
			"3 validation errors detected: Value '' at 'policy' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value '' at 'customKeyStoreId' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value '' at 'xksKeyId' failed to satisfy constraint: Member must have length greater than or equal to 1"},

		{"DescribeKey/nil", kmsconv.CheckDescribeKeyInput(nil), ""},
		{"DescribeKey/omitted", kmsconv.CheckDescribeKeyInput(&kms.DescribeKeyInput{}), ""},
		{"DescribeKey/set", kmsconv.CheckDescribeKeyInput(&kms.DescribeKeyInput{KeyId: aws.String("k")}), ""},
		{"DescribeKey/empty", kmsconv.CheckDescribeKeyInput(&kms.DescribeKeyInput{KeyId: empty}), emptyKeyID},

		{"ListKeys/nil", kmsconv.CheckListKeysInput(nil), ""},
		{"ListKeys/set", kmsconv.CheckListKeysInput(&kms.ListKeysInput{Limit: aws.Int32(-1), Marker: aws.String("m")}), ""},
		{"ListKeys/zeroLimit", kmsconv.CheckListKeysInput(&kms.ListKeysInput{Limit: aws.Int32(0)}), zeroLimit},
		{"ListKeys/emptyMarker", kmsconv.CheckListKeysInput(&kms.ListKeysInput{Marker: empty}),
			"1 validation error detected: Value '' at 'marker' failed to satisfy constraint: Member must have length greater than or equal to 1"},

		{"ReplicateKey/nil", kmsconv.CheckReplicateKeyInput(nil), ""},
		{"ReplicateKey/set", kmsconv.CheckReplicateKeyInput(&kms.ReplicateKeyInput{KeyId: aws.String("k"), ReplicaRegion: aws.String("r"), Description: empty}), ""},
		{"ReplicateKey/emptyRegion", kmsconv.CheckReplicateKeyInput(&kms.ReplicateKeyInput{KeyId: aws.String("k"), ReplicaRegion: empty}),
			"1 validation error detected: Value '' at 'replicaRegion' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"ReplicateKey/emptyPolicy", kmsconv.CheckReplicateKeyInput(&kms.ReplicateKeyInput{Policy: empty}),
			"1 validation error detected: Value '' at 'policy' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"ReplicateKey/emptyKeyID", kmsconv.CheckReplicateKeyInput(&kms.ReplicateKeyInput{KeyId: empty}), emptyKeyID},

		{"UpdatePrimaryRegion/nil", kmsconv.CheckUpdatePrimaryRegionInput(nil), ""},
		{"UpdatePrimaryRegion/set", kmsconv.CheckUpdatePrimaryRegionInput(&kms.UpdatePrimaryRegionInput{KeyId: aws.String("k"), PrimaryRegion: aws.String("r")}), ""},
		{"UpdatePrimaryRegion/emptyKeyID", kmsconv.CheckUpdatePrimaryRegionInput(&kms.UpdatePrimaryRegionInput{KeyId: empty}), emptyKeyID},
		{"UpdatePrimaryRegion/emptyRegion", kmsconv.CheckUpdatePrimaryRegionInput(&kms.UpdatePrimaryRegionInput{PrimaryRegion: empty}),
			"1 validation error detected: Value '' at 'primaryRegion' failed to satisfy constraint: Member must have length greater than or equal to 1"},

		{"EnableKey/nil", kmsconv.CheckEnableKeyInput(nil), ""},
		{"EnableKey/omitted", kmsconv.CheckEnableKeyInput(&kms.EnableKeyInput{}), ""},
		{"EnableKey/empty", kmsconv.CheckEnableKeyInput(&kms.EnableKeyInput{KeyId: empty}), emptyKeyID},
		{"DisableKey/nil", kmsconv.CheckDisableKeyInput(nil), ""},
		{"DisableKey/empty", kmsconv.CheckDisableKeyInput(&kms.DisableKeyInput{KeyId: empty}), emptyKeyID},

		{"ScheduleKeyDeletion/nil", kmsconv.CheckScheduleKeyDeletionInput(nil), ""},
		{"ScheduleKeyDeletion/set", kmsconv.CheckScheduleKeyDeletionInput(&kms.ScheduleKeyDeletionInput{KeyId: aws.String("k"), PendingWindowInDays: aws.Int32(400)}), ""},
		{"ScheduleKeyDeletion/zeroWindow", kmsconv.CheckScheduleKeyDeletionInput(&kms.ScheduleKeyDeletionInput{KeyId: aws.String("k"), PendingWindowInDays: aws.Int32(0)}),
			"1 validation error detected: Value '0' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"ScheduleKeyDeletion/emptyKeyID", kmsconv.CheckScheduleKeyDeletionInput(&kms.ScheduleKeyDeletionInput{KeyId: empty}), emptyKeyID},

		{"CancelKeyDeletion/nil", kmsconv.CheckCancelKeyDeletionInput(nil), ""},
		{"CancelKeyDeletion/empty", kmsconv.CheckCancelKeyDeletionInput(&kms.CancelKeyDeletionInput{KeyId: empty}), emptyKeyID},

		{"UpdateKeyDescription/nil", kmsconv.CheckUpdateKeyDescriptionInput(nil), ""},
		{"UpdateKeyDescription/emptyDescription", kmsconv.CheckUpdateKeyDescriptionInput(&kms.UpdateKeyDescriptionInput{KeyId: aws.String("k"), Description: empty}), ""},
		{"UpdateKeyDescription/emptyKeyID", kmsconv.CheckUpdateKeyDescriptionInput(&kms.UpdateKeyDescriptionInput{KeyId: empty}), emptyKeyID},

		{"TagResource/nil", kmsconv.CheckTagResourceInput(nil), ""},
		{"TagResource/empty", kmsconv.CheckTagResourceInput(&kms.TagResourceInput{KeyId: empty}), emptyKeyID},
		{"UntagResource/nil", kmsconv.CheckUntagResourceInput(nil), ""},
		{"UntagResource/empty", kmsconv.CheckUntagResourceInput(&kms.UntagResourceInput{KeyId: empty}), emptyKeyID},

		{"ListResourceTags/nil", kmsconv.CheckListResourceTagsInput(nil), ""},
		{"ListResourceTags/set", kmsconv.CheckListResourceTagsInput(&kms.ListResourceTagsInput{KeyId: aws.String("k"), Limit: aws.Int32(5)}), ""},
		{"ListResourceTags/zeroLimit", kmsconv.CheckListResourceTagsInput(&kms.ListResourceTagsInput{KeyId: aws.String("k"), Limit: aws.Int32(0)}), zeroLimit},
		{"ListResourceTags/two", kmsconv.CheckListResourceTagsInput(&kms.ListResourceTagsInput{KeyId: empty, Marker: empty}),
			"2 validation errors detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value '' at 'marker' failed to satisfy constraint: Member must have length greater than or equal to 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == "" {
				assert.NoError(t, tt.err)
				return
			}
			var ve *kmserrors.ValidationException
			if assert.True(t, errors.As(tt.err, &ve), "got %v", tt.err) {
				assert.Equal(t, tt.want, ve.Message)
			}
		})
	}
}
