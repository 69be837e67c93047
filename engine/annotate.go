package engine

import (
	"slices"
	"strconv"
	"strings"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
)

// UpdateKeyDescriptionInput is the UpdateKeyDescription request.
type UpdateKeyDescriptionInput struct {
	KeyID       string `json:"keyId"`
	Description string `json:"description"`
}

// UpdateKeyDescriptionOutput is the (empty) UpdateKeyDescription response.
type UpdateKeyDescriptionOutput struct{}

// UpdateKeyDescription replaces a key's description; related
// multi-Region keys keep theirs.
//
// It returns ValidationException, InvalidArnException, NotFoundException
// and KMSInvalidStateException (pending deletion).
func (e *Engine) UpdateKeyDescription(c Caller, in UpdateKeyDescriptionInput) (*UpdateKeyDescriptionOutput, error) {
	return run(e, "UpdateKeyDescription", c, in, func(cl *call, in UpdateKeyDescriptionInput) (*UpdateKeyDescriptionOutput, error) {
		var v violations
		v.keyID("keyId", in.KeyID)
		v.length("description", in.Description, 0, 8192)
		if err := v.err(); err != nil {
			return nil, err
		}
		k, err := cl.keyNotPendingDeletion(in.KeyID, nil)
		if err != nil {
			return nil, err
		}
		k.Description = sanitize(in.Description)
		return &UpdateKeyDescriptionOutput{}, nil
	})
}

// keyNotPendingDeletion resolves a key ID or ARN and rejects keys pending
// deletion, the rule shared by the description and tag operations.
func (cl *call) keyNotPendingDeletion(keyID string, extra conditions) (*keystore.Key, error) {
	k, err := cl.target(keyID, keyOnly, extra)
	if err != nil {
		return nil, err
	}
	if k.State == keystore.PendingDeletion || k.State == keystore.PendingReplicaDeletion {
		return nil, stateError(k)
	}
	return k, nil
}

// TagResourceInput is the TagResource request.
type TagResourceInput struct {
	KeyID string         `json:"keyId"`
	Tags  []keystore.Tag `json:"tags"`
}

// TagResourceOutput is the (empty) TagResource response.
type TagResourceOutput struct{}

// TagResource adds tags to a key or replaces their values. Tags are
// per key: related multi-Region keys keep theirs.
//
// It returns ValidationException (including an empty tag list),
// InvalidArnException, NotFoundException, KMSInvalidStateException
// (pending deletion) and TagException (reserved aws: prefix, duplicate
// keys, more than 50 tags on the key).
func (e *Engine) TagResource(c Caller, in TagResourceInput) (*TagResourceOutput, error) {
	return run(e, "TagResource", c, in, func(cl *call, in TagResourceInput) (*TagResourceOutput, error) {
		var v violations
		v.keyID("keyId", in.KeyID)
		v.tagList("tags", len(in.Tags))
		v.tags("tags", in.Tags)
		if err := v.err(); err != nil {
			return nil, err
		}
		k, err := cl.keyNotPendingDeletion(in.KeyID, conditions{}.tags(in.Tags))
		if err != nil {
			return nil, err
		}
		if err := checkNewTags(k.Tags, in.Tags); err != nil {
			return nil, err
		}
		k.Tags = k.Tags.With(in.Tags)
		return &TagResourceOutput{}, nil
	})
}

// UntagResourceInput is the UntagResource request.
type UntagResourceInput struct {
	KeyID   string   `json:"keyId"`
	TagKeys []string `json:"tagKeys"`
}

// UntagResourceOutput is the (empty) UntagResource response.
type UntagResourceOutput struct{}

// UntagResource removes tags by key; keys the key does not have are
// ignored.
//
// It returns ValidationException (including an empty key list),
// InvalidArnException, NotFoundException, KMSInvalidStateException
// (pending deletion) and TagException (reserved aws: prefix).
func (e *Engine) UntagResource(c Caller, in UntagResourceInput) (*UntagResourceOutput, error) {
	return run(e, "UntagResource", c, in, func(cl *call, in UntagResourceInput) (*UntagResourceOutput, error) {
		var v violations
		v.keyID("keyId", in.KeyID)
		v.tagList("tagKeys", len(in.TagKeys))
		for i, key := range in.TagKeys {
			v.length("tagKeys."+itoa(i+1)+".member", key, 1, 128)
		}
		if err := v.err(); err != nil {
			return nil, err
		}
		k, err := cl.keyNotPendingDeletion(in.KeyID, conditions{"aws:TagKeys": in.TagKeys})
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(in.TagKeys, reservedTagKey) {
			return nil, errReservedTag()
		}
		k.Tags = k.Tags.Without(in.TagKeys)
		return &UntagResourceOutput{}, nil
	})
}

// tagList rejects an empty tag or tag-key list: the model allows one, KMS
// does not.
func (v *violations) tagList(member string, n int) {
	if n == 0 {
		v.add("'[]'", member, "have length greater than or equal to 1")
	}
}

// ListResourceTagsInput is the ListResourceTags request. Zero Limit means
// 50, the most KMS returns in one page.
type ListResourceTagsInput struct {
	KeyID  string `json:"keyId"`
	Limit  int    `json:"limit,omitempty"`
	Marker string `json:"marker,omitempty"`
}

// ListResourceTagsOutput is one page of a key's tags, sorted by key.
type ListResourceTagsOutput struct {
	Tags       []keystore.Tag `json:"tags"`
	NextMarker string         `json:"nextMarker,omitempty"`
	Truncated  bool           `json:"truncated"`
}

// ListResourceTags lists a key's tags in any key state.
//
// It returns ValidationException, InvalidArnException and
// NotFoundException.
func (e *Engine) ListResourceTags(c Caller, in ListResourceTagsInput) (*ListResourceTagsOutput, error) {
	return run(e, "ListResourceTags", c, in, func(cl *call, in ListResourceTagsInput) (*ListResourceTagsOutput, error) {
		var v violations
		v.keyID("keyId", in.KeyID)
		v.limit(in.Limit)
		v.marker(in.Marker)
		if err := v.err(); err != nil {
			return nil, err
		}
		k, err := cl.target(in.KeyID, keyOnly, nil)
		if err != nil {
			return nil, err
		}
		// KMS documents 1..50 for this Limit though the model allows 1000.
		limit := min(orDefault(in.Limit, 50), 50)
		i, _ := slices.BinarySearchFunc(k.Tags, in.Marker, func(t keystore.Tag, m string) int { return strings.Compare(t.Key, m) })
		rest := k.Tags[i:]
		out := &ListResourceTagsOutput{Tags: slices.Clone(rest[:min(limit, len(rest))])}
		if len(rest) > limit {
			out.NextMarker, out.Truncated = rest[limit].Key, true
		}
		if out.Tags == nil {
			out.Tags = []keystore.Tag{}
		}
		return out, nil
	})
}

// reservedTagKey reports whether a tag key uses the prefix AWS keeps for
// itself, in any letter case.
func reservedTagKey(key string) bool { return len(key) >= 4 && strings.EqualFold(key[:4], "aws:") }

func errReservedTag() error {
	return &kmserrors.TagException{Message: "Tags beginning with aws: are reserved"}
}

func itoa(n int) string { return strconv.Itoa(n) }
