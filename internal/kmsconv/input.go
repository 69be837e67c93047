package kmsconv

import (
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// Lists are copied: the engine keeps each request in its event log, which
// must not change when the caller reuses a slice.

// str returns *p, or "" for nil.
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// num returns *p as an int, or 0 for nil.
func num(p *int32) int {
	if p == nil {
		return 0
	}
	return int(*p)
}

// flag returns *p, or false for nil.
func flag(p *bool) bool { return p != nil && *p }

// tagsIn converts a request's tags. A nil list stays nil; a tag member
// that is nil becomes "".
func tagsIn(tags []types.Tag) []keystore.Tag {
	if tags == nil {
		return nil
	}
	out := make([]keystore.Tag, len(tags))
	for i, t := range tags {
		out[i] = keystore.Tag{Key: str(t.TagKey), Value: str(t.TagValue)}
	}
	return out
}

// CreateKeyInput converts a CreateKey request.
func CreateKeyInput(in *kms.CreateKeyInput) engine.CreateKeyInput {
	if in == nil {
		return engine.CreateKeyInput{}
	}
	return engine.CreateKeyInput{
		Policy:                         str(in.Policy),
		Description:                    str(in.Description),
		KeyUsage:                       keystore.KeyUsage(in.KeyUsage),
		CustomerMasterKeySpec:          keystore.KeySpec(in.CustomerMasterKeySpec),
		KeySpec:                        keystore.KeySpec(in.KeySpec),
		Origin:                         keystore.Origin(in.Origin),
		CustomKeyStoreID:               str(in.CustomKeyStoreId),
		BypassPolicyLockoutSafetyCheck: in.BypassPolicyLockoutSafetyCheck,
		Tags:                           tagsIn(in.Tags),
		MultiRegion:                    flag(in.MultiRegion),
		XksKeyID:                       str(in.XksKeyId),
	}
}

// DescribeKeyInput converts a DescribeKey request.
func DescribeKeyInput(in *kms.DescribeKeyInput) engine.DescribeKeyInput {
	if in == nil {
		return engine.DescribeKeyInput{}
	}
	return engine.DescribeKeyInput{KeyID: str(in.KeyId), GrantTokens: slices.Clone(in.GrantTokens)}
}

// ListKeysInput converts a ListKeys request.
func ListKeysInput(in *kms.ListKeysInput) engine.ListKeysInput {
	if in == nil {
		return engine.ListKeysInput{}
	}
	return engine.ListKeysInput{Limit: num(in.Limit), Marker: str(in.Marker)}
}

// ReplicateKeyInput converts a ReplicateKey request.
func ReplicateKeyInput(in *kms.ReplicateKeyInput) engine.ReplicateKeyInput {
	if in == nil {
		return engine.ReplicateKeyInput{}
	}
	return engine.ReplicateKeyInput{
		KeyID:                          str(in.KeyId),
		ReplicaRegion:                  region.ID(str(in.ReplicaRegion)),
		Policy:                         str(in.Policy),
		BypassPolicyLockoutSafetyCheck: in.BypassPolicyLockoutSafetyCheck,
		Description:                    str(in.Description),
		Tags:                           tagsIn(in.Tags),
	}
}

// UpdatePrimaryRegionInput converts an UpdatePrimaryRegion request.
func UpdatePrimaryRegionInput(in *kms.UpdatePrimaryRegionInput) engine.UpdatePrimaryRegionInput {
	if in == nil {
		return engine.UpdatePrimaryRegionInput{}
	}
	return engine.UpdatePrimaryRegionInput{KeyID: str(in.KeyId), PrimaryRegion: region.ID(str(in.PrimaryRegion))}
}

// EnableKeyInput converts an EnableKey request.
func EnableKeyInput(in *kms.EnableKeyInput) engine.EnableKeyInput {
	if in == nil {
		return engine.EnableKeyInput{}
	}
	return engine.EnableKeyInput{KeyID: str(in.KeyId)}
}

// DisableKeyInput converts a DisableKey request.
func DisableKeyInput(in *kms.DisableKeyInput) engine.DisableKeyInput {
	if in == nil {
		return engine.DisableKeyInput{}
	}
	return engine.DisableKeyInput{KeyID: str(in.KeyId)}
}

// ScheduleKeyDeletionInput converts a ScheduleKeyDeletion request.
func ScheduleKeyDeletionInput(in *kms.ScheduleKeyDeletionInput) engine.ScheduleKeyDeletionInput {
	if in == nil {
		return engine.ScheduleKeyDeletionInput{}
	}
	return engine.ScheduleKeyDeletionInput{KeyID: str(in.KeyId), PendingWindowInDays: num(in.PendingWindowInDays)}
}

// CancelKeyDeletionInput converts a CancelKeyDeletion request.
func CancelKeyDeletionInput(in *kms.CancelKeyDeletionInput) engine.CancelKeyDeletionInput {
	if in == nil {
		return engine.CancelKeyDeletionInput{}
	}
	return engine.CancelKeyDeletionInput{KeyID: str(in.KeyId)}
}

// UpdateKeyDescriptionInput converts an UpdateKeyDescription request.
func UpdateKeyDescriptionInput(in *kms.UpdateKeyDescriptionInput) engine.UpdateKeyDescriptionInput {
	if in == nil {
		return engine.UpdateKeyDescriptionInput{}
	}
	return engine.UpdateKeyDescriptionInput{KeyID: str(in.KeyId), Description: str(in.Description)}
}

// TagResourceInput converts a TagResource request.
func TagResourceInput(in *kms.TagResourceInput) engine.TagResourceInput {
	if in == nil {
		return engine.TagResourceInput{}
	}
	return engine.TagResourceInput{KeyID: str(in.KeyId), Tags: tagsIn(in.Tags)}
}

// UntagResourceInput converts an UntagResource request.
func UntagResourceInput(in *kms.UntagResourceInput) engine.UntagResourceInput {
	if in == nil {
		return engine.UntagResourceInput{}
	}
	return engine.UntagResourceInput{KeyID: str(in.KeyId), TagKeys: slices.Clone(in.TagKeys)}
}

// ListResourceTagsInput converts a ListResourceTags request.
func ListResourceTagsInput(in *kms.ListResourceTagsInput) engine.ListResourceTagsInput {
	if in == nil {
		return engine.ListResourceTagsInput{}
	}
	return engine.ListResourceTagsInput{KeyID: str(in.KeyId), Limit: num(in.Limit), Marker: str(in.Marker)}
}

// PutKeyPolicyInput converts a PutKeyPolicy request.
func PutKeyPolicyInput(in *kms.PutKeyPolicyInput) engine.PutKeyPolicyInput {
	if in == nil {
		return engine.PutKeyPolicyInput{}
	}
	return engine.PutKeyPolicyInput{
		KeyID: str(in.KeyId), PolicyName: str(in.PolicyName), Policy: str(in.Policy),
		BypassPolicyLockoutSafetyCheck: in.BypassPolicyLockoutSafetyCheck,
	}
}

// GetKeyPolicyInput converts a GetKeyPolicy request.
func GetKeyPolicyInput(in *kms.GetKeyPolicyInput) engine.GetKeyPolicyInput {
	if in == nil {
		return engine.GetKeyPolicyInput{}
	}
	return engine.GetKeyPolicyInput{KeyID: str(in.KeyId), PolicyName: str(in.PolicyName)}
}

// ListKeyPoliciesInput converts a ListKeyPolicies request.
func ListKeyPoliciesInput(in *kms.ListKeyPoliciesInput) engine.ListKeyPoliciesInput {
	if in == nil {
		return engine.ListKeyPoliciesInput{}
	}
	return engine.ListKeyPoliciesInput{KeyID: str(in.KeyId), Limit: num(in.Limit), Marker: str(in.Marker)}
}
