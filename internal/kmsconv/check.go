package kmsconv

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	kmserrors "github.com/kmsim/kmsim/errors"
)

// presence collects the violations of members that were sent but are
// outside their model range, in the format of the AWS front end (spec
// §0.2). The engine checks everything else.
type presence []string

// minLen flags a string member that was sent empty; every member it is
// used for has a minimum length of 1.
func (p *presence) minLen(member string, s *string) {
	if s != nil && *s == "" {
		*p = append(*p, "Value '' at '"+member+"' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
}

// minValue flags an integer member that was sent as 0; every member it is
// used for has a minimum value of 1. Other values reach the engine, which
// checks them.
func (p *presence) minValue(member string, n *int32) {
	if n != nil && *n == 0 {
		*p = append(*p, "Value '0' at '"+member+"' failed to satisfy constraint: Member must have value greater than or equal to 1")
	}
}

func (p presence) err() error {
	switch len(p) {
	case 0:
		return nil
	case 1:
		return &kmserrors.ValidationException{Message: "1 validation error detected: " + p[0]}
	}
	return &kmserrors.ValidationException{
		Message: strconv.Itoa(len(p)) + " validation errors detected: " + strings.Join(p, "; "),
	}
}

// CheckCreateKeyInput reports Policy, CustomKeyStoreId or XksKeyId sent
// empty. It returns nil or a *kmserrors.ValidationException.
func CheckCreateKeyInput(in *kms.CreateKeyInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("policy", in.Policy)
	p.minLen("customKeyStoreId", in.CustomKeyStoreId)
	p.minLen("xksKeyId", in.XksKeyId)
	return p.err()
}

// CheckDescribeKeyInput reports a KeyId sent empty.
func CheckDescribeKeyInput(in *kms.DescribeKeyInput) error {
	if in == nil {
		return nil
	}
	return keyIDOnly(in.KeyId)
}

// CheckListKeysInput reports a Limit of 0 or a Marker sent empty.
func CheckListKeysInput(in *kms.ListKeysInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minValue("limit", in.Limit)
	p.minLen("marker", in.Marker)
	return p.err()
}

// CheckReplicateKeyInput reports KeyId, ReplicaRegion or Policy sent
// empty.
func CheckReplicateKeyInput(in *kms.ReplicateKeyInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	p.minLen("replicaRegion", in.ReplicaRegion)
	p.minLen("policy", in.Policy)
	return p.err()
}

// CheckUpdatePrimaryRegionInput reports KeyId or PrimaryRegion sent empty.
func CheckUpdatePrimaryRegionInput(in *kms.UpdatePrimaryRegionInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	p.minLen("primaryRegion", in.PrimaryRegion)
	return p.err()
}

// CheckEnableKeyInput reports a KeyId sent empty.
func CheckEnableKeyInput(in *kms.EnableKeyInput) error {
	if in == nil {
		return nil
	}
	return keyIDOnly(in.KeyId)
}

// CheckDisableKeyInput reports a KeyId sent empty.
func CheckDisableKeyInput(in *kms.DisableKeyInput) error {
	if in == nil {
		return nil
	}
	return keyIDOnly(in.KeyId)
}

// CheckScheduleKeyDeletionInput reports a KeyId sent empty or a
// PendingWindowInDays of 0.
func CheckScheduleKeyDeletionInput(in *kms.ScheduleKeyDeletionInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	p.minValue("pendingWindowInDays", in.PendingWindowInDays)
	return p.err()
}

// CheckCancelKeyDeletionInput reports a KeyId sent empty.
func CheckCancelKeyDeletionInput(in *kms.CancelKeyDeletionInput) error {
	if in == nil {
		return nil
	}
	return keyIDOnly(in.KeyId)
}

// CheckUpdateKeyDescriptionInput reports a KeyId sent empty; an empty
// Description is valid.
func CheckUpdateKeyDescriptionInput(in *kms.UpdateKeyDescriptionInput) error {
	if in == nil {
		return nil
	}
	return keyIDOnly(in.KeyId)
}

// CheckTagResourceInput reports a KeyId sent empty.
func CheckTagResourceInput(in *kms.TagResourceInput) error {
	if in == nil {
		return nil
	}
	return keyIDOnly(in.KeyId)
}

// CheckUntagResourceInput reports a KeyId sent empty.
func CheckUntagResourceInput(in *kms.UntagResourceInput) error {
	if in == nil {
		return nil
	}
	return keyIDOnly(in.KeyId)
}

// CheckListResourceTagsInput reports a KeyId or Marker sent empty or a
// Limit of 0.
func CheckListResourceTagsInput(in *kms.ListResourceTagsInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	p.minValue("limit", in.Limit)
	p.minLen("marker", in.Marker)
	return p.err()
}

// keyIDOnly checks the one member of the operations that take only a key.
func keyIDOnly(keyID *string) error {
	if keyID == nil || *keyID != "" {
		return nil
	}
	var p presence
	p.minLen("keyId", keyID)
	return p.err()
}

// CheckPutKeyPolicyInput reports a KeyId, PolicyName or Policy sent empty.
func CheckPutKeyPolicyInput(in *kms.PutKeyPolicyInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	p.minLen("policyName", in.PolicyName)
	p.minLen("policy", in.Policy)
	return p.err()
}

// CheckGetKeyPolicyInput reports a KeyId or PolicyName sent empty.
func CheckGetKeyPolicyInput(in *kms.GetKeyPolicyInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	p.minLen("policyName", in.PolicyName)
	return p.err()
}

// CheckListKeyPoliciesInput reports a KeyId or Marker sent empty or a
// Limit of 0.
func CheckListKeyPoliciesInput(in *kms.ListKeyPoliciesInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	p.minValue("limit", in.Limit)
	p.minLen("marker", in.Marker)
	return p.err()
}
