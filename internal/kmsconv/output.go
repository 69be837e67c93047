package kmsconv

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
)

// optional returns a pointer to a copy of s, or nil for "".
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// tagsOut converts a tag list into a new, non-nil slice.
func tagsOut(tags []keystore.Tag) []types.Tag {
	out := make([]types.Tag, len(tags))
	strs := make([]string, 2*len(tags))
	for i, t := range tags {
		strs[2*i], strs[2*i+1] = t.Key, t.Value
		out[i] = types.Tag{TagKey: &strs[2*i], TagValue: &strs[2*i+1]}
	}
	return out
}

type createKeyBox struct {
	out kms.CreateKeyOutput
	md  metadataBox
}

// CreateKeyOutput converts a CreateKey response.
func CreateKeyOutput(out *engine.CreateKeyOutput) *kms.CreateKeyOutput {
	if out == nil {
		return nil
	}
	return createKeyOutput(&out.KeyMetadata)
}

// createKeyOutput converts the metadata of a CreateKey response into a
// response of its own.
func createKeyOutput(m *engine.KeyMetadata) *kms.CreateKeyOutput {
	b := new(createKeyBox)
	b.out.KeyMetadata = b.md.fill(m)
	return &b.out
}

// CreateKey runs CreateKey and converts its response, reading the
// metadata through engine.CreateKeyView, as DescribeKey does.
var CreateKey = viewed((*engine.Engine).CreateKeyView, createKeyOutput)

type describeKeyBox struct {
	out kms.DescribeKeyOutput
	md  metadataBox
}

// DescribeKeyOutput converts a DescribeKey response.
func DescribeKeyOutput(out *engine.DescribeKeyOutput) *kms.DescribeKeyOutput {
	if out == nil {
		return nil
	}
	return describeKeyOutput(&out.KeyMetadata)
}

// describeKeyOutput converts the metadata of a DescribeKey response into
// a response of its own.
func describeKeyOutput(m *engine.KeyMetadata) *kms.DescribeKeyOutput {
	b := new(describeKeyBox)
	b.out.KeyMetadata = b.md.fill(m)
	return &b.out
}

// DescribeKey runs DescribeKey and converts its response, reading the
// metadata through engine.DescribeKeyView: the SDK response is the
// call's only allocation, where DescribeKey followed by
// DescribeKeyOutput would allocate the engine's response too.
var DescribeKey = viewed((*engine.Engine).DescribeKeyView, describeKeyOutput)

// viewed returns the engine call, through view, of an operation whose
// response is one KeyMetadata, converting the lent metadata with conv.
func viewed[EI, SO any](
	view func(*engine.Engine, engine.Caller, EI, func(*engine.KeyMetadata)) error,
	conv func(*engine.KeyMetadata) *SO,
) func(*engine.Engine, engine.Caller, EI) (*SO, error) {
	return func(e *engine.Engine, c engine.Caller, in EI) (*SO, error) {
		var out *SO
		err := view(e, c, in, func(m *engine.KeyMetadata) { out = conv(m) })
		return out, err
	}
}

// ListKeysOutput converts a ListKeys page. Keys is never nil; NextMarker
// is nil unless the page is truncated.
func ListKeysOutput(out *engine.ListKeysOutput) *kms.ListKeysOutput {
	if out == nil {
		return nil
	}
	keys := make([]types.KeyListEntry, len(out.Keys))
	strs := make([]string, 2*len(out.Keys))
	for i, k := range out.Keys {
		strs[2*i], strs[2*i+1] = k.KeyID, k.KeyArn
		keys[i] = types.KeyListEntry{KeyId: &strs[2*i], KeyArn: &strs[2*i+1]}
	}
	return &kms.ListKeysOutput{Keys: keys, NextMarker: optional(out.NextMarker), Truncated: out.Truncated}
}

type replicateKeyBox struct {
	out    kms.ReplicateKeyOutput
	md     metadataBox
	policy string
}

// ReplicateKeyOutput converts a ReplicateKey response. ReplicaPolicy is
// always set; ReplicaTags is nil when the engine's is.
func ReplicateKeyOutput(out *engine.ReplicateKeyOutput) *kms.ReplicateKeyOutput {
	if out == nil {
		return nil
	}
	b := new(replicateKeyBox)
	b.policy = out.ReplicaPolicy
	b.out.ReplicaKeyMetadata = b.md.fill(&out.ReplicaKeyMetadata)
	b.out.ReplicaPolicy = &b.policy
	if out.ReplicaTags != nil {
		b.out.ReplicaTags = tagsOut(out.ReplicaTags)
	}
	return &b.out
}

// UpdatePrimaryRegionOutput converts the empty UpdatePrimaryRegion
// response.
func UpdatePrimaryRegionOutput(out *engine.UpdatePrimaryRegionOutput) *kms.UpdatePrimaryRegionOutput {
	if out == nil {
		return nil
	}
	return &kms.UpdatePrimaryRegionOutput{}
}

// EnableKeyOutput converts the empty EnableKey response.
func EnableKeyOutput(out *engine.EnableKeyOutput) *kms.EnableKeyOutput {
	if out == nil {
		return nil
	}
	return &kms.EnableKeyOutput{}
}

// DisableKeyOutput converts the empty DisableKey response.
func DisableKeyOutput(out *engine.DisableKeyOutput) *kms.DisableKeyOutput {
	if out == nil {
		return nil
	}
	return &kms.DisableKeyOutput{}
}

type scheduleKeyDeletionBox struct {
	out    kms.ScheduleKeyDeletionOutput
	keyID  string
	date   time.Time
	window int32
}

// ScheduleKeyDeletionOutput converts a ScheduleKeyDeletion response.
// DeletionDate is nil for a primary left in PendingReplicaDeletion.
func ScheduleKeyDeletionOutput(out *engine.ScheduleKeyDeletionOutput) *kms.ScheduleKeyDeletionOutput {
	if out == nil {
		return nil
	}
	b := &scheduleKeyDeletionBox{keyID: out.KeyID, window: int32(out.PendingWindowInDays)}
	b.out = kms.ScheduleKeyDeletionOutput{
		KeyId:               &b.keyID,
		KeyState:            types.KeyState(out.KeyState),
		PendingWindowInDays: &b.window,
	}
	if !out.DeletionDate.IsZero() {
		b.date = out.DeletionDate.UTC()
		b.out.DeletionDate = &b.date
	}
	return &b.out
}

type cancelKeyDeletionBox struct {
	out   kms.CancelKeyDeletionOutput
	keyID string
}

// CancelKeyDeletionOutput converts a CancelKeyDeletion response.
func CancelKeyDeletionOutput(out *engine.CancelKeyDeletionOutput) *kms.CancelKeyDeletionOutput {
	if out == nil {
		return nil
	}
	b := &cancelKeyDeletionBox{keyID: out.KeyID}
	b.out.KeyId = &b.keyID
	return &b.out
}

// UpdateKeyDescriptionOutput converts the empty UpdateKeyDescription
// response.
func UpdateKeyDescriptionOutput(out *engine.UpdateKeyDescriptionOutput) *kms.UpdateKeyDescriptionOutput {
	if out == nil {
		return nil
	}
	return &kms.UpdateKeyDescriptionOutput{}
}

// TagResourceOutput converts the empty TagResource response.
func TagResourceOutput(out *engine.TagResourceOutput) *kms.TagResourceOutput {
	if out == nil {
		return nil
	}
	return &kms.TagResourceOutput{}
}

// UntagResourceOutput converts the empty UntagResource response.
func UntagResourceOutput(out *engine.UntagResourceOutput) *kms.UntagResourceOutput {
	if out == nil {
		return nil
	}
	return &kms.UntagResourceOutput{}
}

// ListResourceTagsOutput converts a ListResourceTags page. Tags is never
// nil; NextMarker is nil unless the page is truncated.
func ListResourceTagsOutput(out *engine.ListResourceTagsOutput) *kms.ListResourceTagsOutput {
	if out == nil {
		return nil
	}
	return &kms.ListResourceTagsOutput{
		Tags:       tagsOut(out.Tags),
		NextMarker: optional(out.NextMarker),
		Truncated:  out.Truncated,
	}
}

// PutKeyPolicyOutput converts the empty PutKeyPolicy response.
func PutKeyPolicyOutput(out *engine.PutKeyPolicyOutput) *kms.PutKeyPolicyOutput {
	if out == nil {
		return nil
	}
	return &kms.PutKeyPolicyOutput{}
}

// GetKeyPolicyOutput converts a GetKeyPolicy response.
func GetKeyPolicyOutput(out *engine.GetKeyPolicyOutput) *kms.GetKeyPolicyOutput {
	if out == nil {
		return nil
	}
	return &kms.GetKeyPolicyOutput{Policy: aws.String(out.Policy), PolicyName: aws.String(out.PolicyName)}
}

// ListKeyPoliciesOutput converts a ListKeyPolicies page. PolicyNames is
// never nil; NextMarker is nil unless the page is truncated.
func ListKeyPoliciesOutput(out *engine.ListKeyPoliciesOutput) *kms.ListKeyPoliciesOutput {
	if out == nil {
		return nil
	}
	names := out.PolicyNames
	if names == nil {
		names = []string{}
	}
	return &kms.ListKeyPoliciesOutput{PolicyNames: names, NextMarker: optional(out.NextMarker), Truncated: out.Truncated}
}
