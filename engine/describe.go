package engine

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
	var v violations
	v.keyID("keyId", in.KeyID)
	v.grantTokens("grantTokens", in.GrantTokens)
	if err := v.err(); err != nil {
		return nil, err
	}
	k, err := cl.target(in.KeyID, anyRef, nil)
	if err != nil {
		return nil, err
	}
	both := &withLists[DescribeKeyOutput]{}
	setMetadata(&both.out.KeyMetadata, k, &both.st)
	return &both.out, nil
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
