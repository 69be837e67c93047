package kmsconv_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/internal/kmsconv"
	"github.com/kmsim/kmsim/keystore"
)

func TestInputs(t *testing.T) {
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"CreateKey/nil", kmsconv.CreateKeyInput(nil), engine.CreateKeyInput{}},
		{"CreateKey/empty", kmsconv.CreateKeyInput(&kms.CreateKeyInput{}), engine.CreateKeyInput{}},
		{"CreateKey/full", kmsconv.CreateKeyInput(&kms.CreateKeyInput{
			Policy:                         aws.String(`{"Version":"2012-10-17"}`),
			Description:                    aws.String("d"),
			KeyUsage:                       types.KeyUsageTypeSignVerify,
			CustomerMasterKeySpec:          types.CustomerMasterKeySpecRsa2048,
			KeySpec:                        types.KeySpecEccNistP256,
			Origin:                         types.OriginTypeExternal,
			CustomKeyStoreId:               aws.String("cks-1"),
			BypassPolicyLockoutSafetyCheck: true,
			Tags:                           []types.Tag{{TagKey: aws.String("k"), TagValue: aws.String("v")}, {TagKey: aws.String("e")}},
			MultiRegion:                    aws.Bool(true),
			XksKeyId:                       aws.String("xks"),
		}), engine.CreateKeyInput{
			Policy:                         `{"Version":"2012-10-17"}`,
			Description:                    "d",
			KeyUsage:                       keystore.SignVerify,
			CustomerMasterKeySpec:          "RSA_2048",
			KeySpec:                        "ECC_NIST_P256",
			Origin:                         keystore.OriginExternal,
			CustomKeyStoreID:               "cks-1",
			BypassPolicyLockoutSafetyCheck: true,
			Tags:                           []keystore.Tag{{Key: "k", Value: "v"}, {Key: "e"}},
			MultiRegion:                    true,
			XksKeyID:                       "xks",
		}},
		{"CreateKey/MultiRegionFalse", kmsconv.CreateKeyInput(&kms.CreateKeyInput{MultiRegion: aws.Bool(false)}), engine.CreateKeyInput{}},
		{"CreateKey/emptyTags", kmsconv.CreateKeyInput(&kms.CreateKeyInput{Tags: []types.Tag{}}), engine.CreateKeyInput{Tags: []keystore.Tag{}}},

		{"DescribeKey/nil", kmsconv.DescribeKeyInput(nil), engine.DescribeKeyInput{}},
		{"DescribeKey/empty", kmsconv.DescribeKeyInput(&kms.DescribeKeyInput{}), engine.DescribeKeyInput{}},
		{"DescribeKey/full", kmsconv.DescribeKeyInput(&kms.DescribeKeyInput{KeyId: aws.String("alias/a"), GrantTokens: []string{"g"}}),
			engine.DescribeKeyInput{KeyID: "alias/a", GrantTokens: []string{"g"}}},

		{"ListKeys/nil", kmsconv.ListKeysInput(nil), engine.ListKeysInput{}},
		{"ListKeys/empty", kmsconv.ListKeysInput(&kms.ListKeysInput{}), engine.ListKeysInput{}},
		{"ListKeys/full", kmsconv.ListKeysInput(&kms.ListKeysInput{Limit: aws.Int32(7), Marker: aws.String("m")}),
			engine.ListKeysInput{Limit: 7, Marker: "m"}},

		{"ReplicateKey/nil", kmsconv.ReplicateKeyInput(nil), engine.ReplicateKeyInput{}},
		{"ReplicateKey/empty", kmsconv.ReplicateKeyInput(&kms.ReplicateKeyInput{}), engine.ReplicateKeyInput{}},
		{"ReplicateKey/full", kmsconv.ReplicateKeyInput(&kms.ReplicateKeyInput{
			KeyId:                          aws.String("mrk-1"),
			ReplicaRegion:                  aws.String("eu-west-1"),
			Policy:                         aws.String("p"),
			BypassPolicyLockoutSafetyCheck: true,
			Description:                    aws.String("d"),
			Tags:                           []types.Tag{{TagKey: aws.String("k"), TagValue: aws.String("")}},
		}), engine.ReplicateKeyInput{
			KeyID:                          "mrk-1",
			ReplicaRegion:                  "eu-west-1",
			Policy:                         "p",
			BypassPolicyLockoutSafetyCheck: true,
			Description:                    "d",
			Tags:                           []keystore.Tag{{Key: "k"}},
		}},

		{"UpdatePrimaryRegion/nil", kmsconv.UpdatePrimaryRegionInput(nil), engine.UpdatePrimaryRegionInput{}},
		{"UpdatePrimaryRegion/empty", kmsconv.UpdatePrimaryRegionInput(&kms.UpdatePrimaryRegionInput{}), engine.UpdatePrimaryRegionInput{}},
		{"UpdatePrimaryRegion/full", kmsconv.UpdatePrimaryRegionInput(&kms.UpdatePrimaryRegionInput{KeyId: aws.String("mrk-1"), PrimaryRegion: aws.String("eu-west-1")}),
			engine.UpdatePrimaryRegionInput{KeyID: "mrk-1", PrimaryRegion: "eu-west-1"}},

		{"EnableKey/nil", kmsconv.EnableKeyInput(nil), engine.EnableKeyInput{}},
		{"EnableKey/empty", kmsconv.EnableKeyInput(&kms.EnableKeyInput{}), engine.EnableKeyInput{}},
		{"EnableKey/full", kmsconv.EnableKeyInput(&kms.EnableKeyInput{KeyId: aws.String("k")}), engine.EnableKeyInput{KeyID: "k"}},

		{"DisableKey/nil", kmsconv.DisableKeyInput(nil), engine.DisableKeyInput{}},
		{"DisableKey/empty", kmsconv.DisableKeyInput(&kms.DisableKeyInput{}), engine.DisableKeyInput{}},
		{"DisableKey/full", kmsconv.DisableKeyInput(&kms.DisableKeyInput{KeyId: aws.String("k")}), engine.DisableKeyInput{KeyID: "k"}},

		{"ScheduleKeyDeletion/nil", kmsconv.ScheduleKeyDeletionInput(nil), engine.ScheduleKeyDeletionInput{}},
		{"ScheduleKeyDeletion/empty", kmsconv.ScheduleKeyDeletionInput(&kms.ScheduleKeyDeletionInput{}), engine.ScheduleKeyDeletionInput{}},
		{"ScheduleKeyDeletion/full", kmsconv.ScheduleKeyDeletionInput(&kms.ScheduleKeyDeletionInput{KeyId: aws.String("k"), PendingWindowInDays: aws.Int32(7)}),
			engine.ScheduleKeyDeletionInput{KeyID: "k", PendingWindowInDays: 7}},

		{"CancelKeyDeletion/nil", kmsconv.CancelKeyDeletionInput(nil), engine.CancelKeyDeletionInput{}},
		{"CancelKeyDeletion/empty", kmsconv.CancelKeyDeletionInput(&kms.CancelKeyDeletionInput{}), engine.CancelKeyDeletionInput{}},
		{"CancelKeyDeletion/full", kmsconv.CancelKeyDeletionInput(&kms.CancelKeyDeletionInput{KeyId: aws.String("k")}), engine.CancelKeyDeletionInput{KeyID: "k"}},

		{"UpdateKeyDescription/nil", kmsconv.UpdateKeyDescriptionInput(nil), engine.UpdateKeyDescriptionInput{}},
		{"UpdateKeyDescription/empty", kmsconv.UpdateKeyDescriptionInput(&kms.UpdateKeyDescriptionInput{}), engine.UpdateKeyDescriptionInput{}},
		{"UpdateKeyDescription/full", kmsconv.UpdateKeyDescriptionInput(&kms.UpdateKeyDescriptionInput{KeyId: aws.String("k"), Description: aws.String("d")}),
			engine.UpdateKeyDescriptionInput{KeyID: "k", Description: "d"}},

		{"TagResource/nil", kmsconv.TagResourceInput(nil), engine.TagResourceInput{}},
		{"TagResource/empty", kmsconv.TagResourceInput(&kms.TagResourceInput{}), engine.TagResourceInput{}},
		{"TagResource/full", kmsconv.TagResourceInput(&kms.TagResourceInput{KeyId: aws.String("k"), Tags: []types.Tag{{TagKey: aws.String("a"), TagValue: aws.String("b")}, {}}}),
			engine.TagResourceInput{KeyID: "k", Tags: []keystore.Tag{{Key: "a", Value: "b"}, {}}}},

		{"UntagResource/nil", kmsconv.UntagResourceInput(nil), engine.UntagResourceInput{}},
		{"UntagResource/empty", kmsconv.UntagResourceInput(&kms.UntagResourceInput{}), engine.UntagResourceInput{}},
		{"UntagResource/full", kmsconv.UntagResourceInput(&kms.UntagResourceInput{KeyId: aws.String("k"), TagKeys: []string{"a", "b"}}),
			engine.UntagResourceInput{KeyID: "k", TagKeys: []string{"a", "b"}}},
		{"UntagResource/emptyKeys", kmsconv.UntagResourceInput(&kms.UntagResourceInput{TagKeys: []string{}}),
			engine.UntagResourceInput{TagKeys: []string{}}},

		{"ListResourceTags/nil", kmsconv.ListResourceTagsInput(nil), engine.ListResourceTagsInput{}},
		{"ListResourceTags/empty", kmsconv.ListResourceTagsInput(&kms.ListResourceTagsInput{}), engine.ListResourceTagsInput{}},
		{"ListResourceTags/full", kmsconv.ListResourceTagsInput(&kms.ListResourceTagsInput{KeyId: aws.String("k"), Limit: aws.Int32(3), Marker: aws.String("m")}),
			engine.ListResourceTagsInput{KeyID: "k", Limit: 3, Marker: "m"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.got)
		})
	}
}

// The engine keeps each request in its event log, so conversions must not
// share the caller's slices.
func TestInputsCopyLists(t *testing.T) {
	tokens, keys := []string{"g"}, []string{"a"}
	d := kmsconv.DescribeKeyInput(&kms.DescribeKeyInput{GrantTokens: tokens})
	u := kmsconv.UntagResourceInput(&kms.UntagResourceInput{TagKeys: keys})
	tokens[0], keys[0] = "changed", "changed"
	assert.Equal(t, []string{"g"}, d.GrantTokens)
	assert.Equal(t, []string{"a"}, u.TagKeys)
}
