package engine

import (
	"sync"

	"github.com/kmsim/kmsim/keystore"
)

// DescribeKeyInput is the DescribeKey request.
type DescribeKeyInput struct {
	// KeyID is a key ID, key ARN, alias name or alias ARN.
	KeyID       string   `json:"keyId"`
	GrantTokens []string `json:"grantTokens,omitempty"`
}

// DescribeKeyOutput is the DescribeKey response.
type DescribeKeyOutput struct {
	KeyMetadata KeyMetadata `json:"keyMetadata"`
}

// DescribeKey returns a key's metadata in any key state. A key ARN of
// another account in the same partition and Region is accepted.
//
// It returns ValidationException, NotFoundException and
// InvalidArnException.
func (e *Engine) DescribeKey(c Caller, in DescribeKeyInput) (*DescribeKeyOutput, error) {
	return runPacked(e, "DescribeKey", c, in, (*call).describeKey)
}

func (cl *call) describeKey(in DescribeKeyInput) (*DescribeKeyOutput, error) {
	k, err := cl.describeTarget(in)
	if err != nil {
		return nil, err
	}
	both := &withLists[DescribeKeyOutput]{}
	setMetadata(&both.out.KeyMetadata, k, &both.st)
	return &both.out, nil
}

// describeTarget checks a DescribeKey request and finds its key.
func (cl *call) describeTarget(in DescribeKeyInput) (*keystore.Key, error) {
	var v violations
	v.keyID("keyId", in.KeyID)
	v.grantTokens("grantTokens", in.GrantTokens)
	if err := v.err(); err != nil {
		return nil, err
	}
	return cl.target(in.KeyID, anyRef, nil)
}

// DescribeKeyView is DescribeKey for callers that read the metadata and
// keep none of it, such as a front that converts or serializes it: it
// calls view with the key's metadata, or returns the error DescribeKey
// would return without calling view. The operation, its authorization
// and its event are DescribeKey's.
//
// The metadata and its lists belong to the engine and are valid only
// until view returns; view must copy what it keeps. Changing them
// changes nothing in the engine. view runs after the engine's lock is
// released, so it may call the engine.
//
// A DescribeKey response is a new allocation of about 640 bytes, which
// with its collection costs more than the call itself; DescribeKeyView
// reuses the memory and allocates nothing (see BENCHMARKS.md).
func (e *Engine) DescribeKeyView(c Caller, in DescribeKeyInput, view func(*KeyMetadata)) error {
	v, err := runPacked(e, "DescribeKey", c, in, (*call).describeKeyView)
	return lend(v, err, view)
}

func (cl *call) describeKeyView(in DescribeKeyInput) (*withLists[DescribeKeyOutput], error) {
	k, err := cl.describeTarget(in)
	if err != nil {
		return nil, err
	}
	v := borrowMetadata()
	setMetadata(&v.out.KeyMetadata, k, &v.st)
	return v, nil
}

// metadataViews holds the zeroed metadata DescribeKeyView and
// CreateKeyView lend out. Engines share it: a view holds no engine state
// once returned.
var metadataViews = sync.Pool{New: func() any { return new(withLists[DescribeKeyOutput]) }}

// borrowMetadata takes zeroed metadata storage from the pool, for a view
// call's body to render into.
func borrowMetadata() *withLists[DescribeKeyOutput] {
	return metadataViews.Get().(*withLists[DescribeKeyOutput])
}

// lend ends a view call: unless the body failed, it lends the metadata
// the body rendered into v to view, then zeroes v and pools it again.
func lend(v *withLists[DescribeKeyOutput], err error, view func(*KeyMetadata)) error {
	if err != nil {
		return err
	}
	view(&v.out.KeyMetadata)
	*v = withLists[DescribeKeyOutput]{}
	metadataViews.Put(v)
	return nil
}

// ListKeysInput is the ListKeys request. Zero Limit means the default of
// 100; empty Marker starts at the beginning.
type ListKeysInput struct {
	Limit  int    `json:"limit,omitempty"`
	Marker string `json:"marker,omitempty"`
}

// KeyListEntry is one key in a ListKeys page.
type KeyListEntry struct {
	KeyID  string `json:"keyId"`
	KeyArn string `json:"keyArn"`
}

// ListKeysOutput is one page of ListKeys.
type ListKeysOutput struct {
	Keys []KeyListEntry `json:"keys"`
	// NextMarker is set when Truncated; pass it as the next Marker.
	NextMarker string `json:"nextMarker,omitempty"`
	Truncated  bool   `json:"truncated"`
}

// ListKeys lists the keys of the caller's account in the caller's Region,
// in any state, sorted by key ID.
//
// It returns ValidationException for a Limit outside 1..1000 or a
// malformed Marker.
func (e *Engine) ListKeys(c Caller, in ListKeysInput) (*ListKeysOutput, error) {
	return run(e, "ListKeys", c, in, (*call).listKeys)
}

func (cl *call) listKeys(in ListKeysInput) (*ListKeysOutput, error) {
	var v violations
	v.limit(in.Limit)
	v.marker(in.Marker)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := cl.authorizeIAM("kms:ListKeys", "*", nil); err != nil {
		return nil, err
	}
	limit := orDefault(in.Limit, 100)
	// One key more than the page shows where the next page starts.
	keys, _ := cl.e.keys.List(cl.scope, in.Marker, limit+1)
	out := &ListKeysOutput{Keys: make([]KeyListEntry, 0, min(len(keys), limit))}
	if len(keys) > limit {
		out.NextMarker, out.Truncated = keys[limit].ID(), true
		keys = keys[:limit]
	}
	for _, k := range keys {
		out.Keys = append(out.Keys, KeyListEntry{KeyID: k.ID(), KeyArn: k.ARN})
	}
	return out, nil
}

// limit checks an optional LimitType member (0 means absent).
func (v *violations) limit(n int) {
	if n != 0 {
		v.intRange("limit", n, 1, 1000)
	}
}

// marker checks an optional MarkerType member: 1..1024 characters in
// U+0020..U+00FF.
func (v *violations) marker(s string) {
	if s == "" {
		return
	}
	v.length("marker", s, 1, 1024)
	for _, r := range s {
		if r < 0x20 || r > 0xFF {
			v.add(quote(s), "marker", `satisfy regular expression pattern: [\u0020-\u00FF]*`)
			return
		}
	}
}
