package engine

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// violations collects the model-constraint failures of one request and
// reports them the way the AWS front end does (spec §0.2).
type violations []string

func (v *violations) add(value, member, constraint string) {
	*v = append(*v, "Value "+value+" at '"+member+"' failed to satisfy constraint: Member must "+constraint)
}

func quote(s string) string { return "'" + sanitize(s) + "'" }

// sanitize makes s printable in a message: invalid UTF-8 turns into U+FFFD,
// as an SDK's JSON encoder would send it.
func sanitize(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// required checks that a required string member was given.
func (v *violations) required(member, s string) bool {
	if s == "" {
		v.add("null", member, "not be null")
		return false
	}
	return true
}

// length checks a string member's length in characters.
func (v *violations) length(member, s string, lo, hi int) {
	n := utf8.RuneCountInString(s)
	switch {
	case n > hi:
		v.add(quote(s), member, "have length less than or equal to "+strconv.Itoa(hi))
	case n < lo:
		v.add(quote(s), member, "have length greater than or equal to "+strconv.Itoa(lo))
	}
}

// optional checks an optional string member, where "" means absent.
func (v *violations) optional(member, s string, lo, hi int) {
	if s != "" {
		v.length(member, s, lo, hi)
	}
}

// keyID checks a required KeyIdType member.
func (v *violations) keyID(member, s string) {
	if v.required(member, s) {
		v.length(member, s, 1, 2048)
	}
}

// regionCode checks a required RegionType member.
func (v *violations) regionCode(member string, r region.ID) {
	s := string(r)
	if !v.required(member, s) {
		return
	}
	if utf8.RuneCountInString(s) > 32 {
		v.length(member, s, 1, 32)
		return
	}
	if !region.ValidCode(s) {
		v.add(quote(s), member, "satisfy regular expression pattern: "+region.CodePattern)
	}
}

// intRange checks an integer member that was given.
func (v *violations) intRange(member string, n, lo, hi int) {
	switch {
	case n > hi:
		v.add(quote(strconv.Itoa(n)), member, "have value less than or equal to "+strconv.Itoa(hi))
	case n < lo:
		v.add(quote(strconv.Itoa(n)), member, "have value greater than or equal to "+strconv.Itoa(lo))
	}
}

// enum checks an optional enum member, where "" means absent.
func enum[T ~string](v *violations, member string, val T, set []T) {
	if val == "" {
		return
	}
	for _, s := range set {
		if s == val {
			return
		}
	}
	var b strings.Builder
	b.WriteString("satisfy enum value set: [")
	for i, s := range set {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(s))
	}
	b.WriteString("]")
	v.add(quote(string(val)), member, b.String())
}

// policyPattern is the PolicyType model pattern, as AWS prints it.
const policyPattern = `[\u0009\u000A\u000D\u0020-\u00FF]+`

// policy checks an optional PolicyType member: 1..131072 characters from
// the allowed set (spec §7.3 rule 1).
func (v *violations) policy(member, s string) {
	if s == "" {
		return
	}
	n := utf8.RuneCountInString(s)
	if n > 131072 {
		v.length(member, s, 1, 131072)
		return
	}
	for _, r := range s {
		if !(r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xFF)) {
			v.add(quote(s), member, "satisfy regular expression pattern: "+policyPattern)
			return
		}
	}
}

// tags checks a TagList member: each key 1..128 and value 0..256
// characters, with AWS's 1-based member paths.
func (v *violations) tags(member string, tags []keystore.Tag) {
	for i, t := range tags {
		p := member + "." + strconv.Itoa(i+1) + ".member."
		v.length(p+"tagKey", t.Key, 1, 128)
		v.length(p+"tagValue", t.Value, 0, 256)
	}
}

// grantTokens checks a GrantTokenList member: at most 10 tokens of
// 1..8192 characters.
func (v *violations) grantTokens(member string, tokens []string) {
	if len(tokens) > 10 {
		// The list is printed as compact JSON, as the HTTP front's model
		// validation prints it, so both fronts give the same message.
		text, _ := json.Marshal(tokens)
		v.add(quote(string(text)), member, "have length less than or equal to 10")
	}
	for i, t := range tokens {
		v.length(member+"."+strconv.Itoa(i+1)+".member", t, 1, 8192)
	}
}

// err returns the ValidationException for the collected failures, or nil.
func (v violations) err() error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return &kmserrors.ValidationException{Message: "1 validation error detected: " + v[0]}
	}
	return &kmserrors.ValidationException{
		Message: strconv.Itoa(len(v)) + " validation errors detected: " + strings.Join(v, "; "),
	}
}
