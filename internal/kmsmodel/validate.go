package kmsmodel

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	kmserrors "github.com/kmsim/kmsim/errors"
)

// Validate checks a request body of operation op against the model, as the
// AWS front end does before KMS sees it.
//
// It returns nil, a *kmserrors.SerializationException when the body is not
// a JSON object or a member has the wrong JSON type, a
// *kmserrors.ValidationException listing every constraint violation, or a
// *kmserrors.UnknownOperationException when the model has no operation op.
//
// # Reading the body
//
// An empty body (or one of only JSON white space) is treated as {}. Members
// the input shape does not declare are ignored, whatever their value; JSON
// null counts as absent, for members, list items and map values alike. A
// member is a SerializationException when its JSON type does not fit its
// shape: strings (enums included) need a JSON string, integers an integer
// literal within the Java int (integer) or long (long) range (1.5, 1e3 and
// 2147483648 for an integer are rejected), booleans true or false,
// timestamps a finite number, blobs a string that decodes as standard,
// padded base64, lists an array, maps and structures an object.
//
// # Constraints
//
// Each present member is checked in this order and reports at most one
// violation: length (strings count characters, blobs decoded bytes, lists
// and maps entries) or value range (integers), then the enum, then the
// pattern. The model's patterns are Java regular expressions that must
// match the whole value; they are translated at generate time. A required
// member that is absent or null is reported as not null. Violations are
// listed in model member order, depth first (a list's own length before
// its items).
//
// # Messages
//
// One violation gives "1 validation error detected: <v>", several give
// "N validation errors detected: <v1>; <v2>; ...". Each <v> reads
//
//	Value '<value>' at '<path>' failed to satisfy constraint: <constraint>
//
// with "Value null at" for an absent required member and "Value at" (no
// value) for members whose shape is sensitive, such as Plaintext. The path
// joins member names with their first letter lowered: "keyId",
// "xksProxyAuthenticationCredential.accessKeyId"; a list item adds its
// 1-based index and "member" ("tags.1.member.tagKey",
// "grantTokens.3.member"), a map value adds its key
// ("encryptionContext.purpose"). The value of a string or number is
// printed as it is; a list or map is printed as compact JSON text; a blob
// as Java's ByteBuffer.toString would show it,
// "java.nio.HeapByteBuffer[pos=0 lim=<n> cap=<n>]", which is how the AWS
// front end prints a blob it does not consider sensitive. Constraints are
// spelled "Member must not be null", "Member must have length greater than
// or equal to N", "Member must have length less than or equal to N",
// "Member must have value greater than or equal to N", "Member must have
// value less than or equal to N", "Member must satisfy enum value set: [A,
// B, C]" (model order) and "Member must satisfy regular expression
// pattern: <pattern as written in the model>".
func Validate(op string, body []byte) error {
	r, err := Parse(op, body)
	if err != nil {
		return err
	}
	r.Free()
	return nil
}

func unknownOperation(op string) error {
	return &kmserrors.UnknownOperationException{Message: "Unknown operation " + strconv.Quote(op)}
}

func isJSONSpace(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return true
}

// typeError reports a JSON value of the wrong type, in the words of the
// AWS front end: "NUMBER_VALUE can not be converted to a String".
func typeError(got Value, want string) error {
	var msg string
	switch got.Kind() {
	case Object:
		msg = "Start of structure or map found where not expected."
	case Array:
		msg = "Start of list found where not expected"
	case String:
		msg = "STRING_VALUE can not be converted to " + want
	case Number:
		msg = "NUMBER_VALUE can not be converted to " + want
	case Bool:
		msg = "BOOLEAN_VALUE can not be converted to " + want
	default:
		msg = "Unexpected value where " + want + " was expected"
	}
	return &kmserrors.SerializationException{Message: msg}
}

// regexps holds the compiled pattern of each shape that has one.
var regexps = sync.OnceValue(func() *[numShapes]*regexp.Regexp {
	var res [numShapes]*regexp.Regexp
	for i := range shapes {
		if shapes[i].goPattern != "" {
			// The generator has compiled every translation already.
			res[i] = regexp.MustCompile(shapes[i].goPattern)
		}
	}
	return &res
})

// validator walks one request body.
type validator struct {
	path    []byte   // path of the value being checked
	errs    []string // violations so far
	scratch []byte   // base64 decoding buffer, when r is nil
	// r, when set, keeps the decoded bytes of Blob members for
	// [Value.TakeBlob].
	r *Request
}

func (v *validator) result() error {
	switch len(v.errs) {
	case 0:
		return nil
	case 1:
		return &kmserrors.ValidationException{Message: "1 validation error detected: " + v.errs[0]}
	}
	return &kmserrors.ValidationException{Message: strconv.Itoa(len(v.errs)) +
		" validation errors detected: " + strings.Join(v.errs, "; ")}
}

// fail records a violation of the value at the current path. value is the
// printed value without quotes; null selects "Value null at".
func (v *validator) fail(sh *shape, value string, null bool, constraint string) {
	var b strings.Builder
	b.Grow(len(value) + len(v.path) + len(constraint) + 48)
	b.WriteString("Value ")
	switch {
	case null:
		b.WriteString("null ")
	case !sh.sensitive:
		b.WriteByte('\'')
		b.WriteString(value)
		b.WriteString("' ")
	}
	b.WriteString("at '")
	b.Write(v.path)
	b.WriteString("' failed to satisfy constraint: ")
	b.WriteString(constraint)
	v.errs = append(v.errs, b.String())
}

// push appends one path segment (with a '.' unless the path is empty) and
// returns the length to restore.
func (v *validator) push(seg string) int {
	n := len(v.path)
	if n > 0 {
		v.path = append(v.path, '.')
	}
	v.path = append(v.path, seg...)
	return n
}

// lengthViolation returns the constraint a length n violates, or "".
func lengthViolation(sh *shape, n int64) string {
	if sh.min >= 0 && n < sh.min {
		return "Member must have length greater than or equal to " + strconv.FormatInt(sh.min, 10)
	}
	if sh.max >= 0 && n > sh.max {
		return "Member must have length less than or equal to " + strconv.FormatInt(sh.max, 10)
	}
	return ""
}

func (v *validator) structure(id shapeID, obj Value) error {
	sh := &shapes[id]
	for i := range sh.members {
		m := &sh.members[i]
		val := obj.member(m.name)
		mark := v.push(m.path)
		var err error
		if val.Kind() == Null {
			if m.required {
				v.fail(&shapes[m.shape], "", true, "Member must not be null")
			}
		} else {
			err = v.value(m.shape, val)
		}
		v.path = v.path[:mark]
		if err != nil {
			return err
		}
	}
	return nil
}

// value checks a non-null value against its shape.
func (v *validator) value(id shapeID, val Value) error {
	sh := &shapes[id]
	switch sh.kind {
	case kindString:
		if val.Kind() != String {
			return typeError(val, "a String")
		}
		v.str(id, val.Text())
	case kindInteger, kindLong:
		if val.Kind() != Number {
			return typeError(val, intName(sh.kind))
		}
		num := val.Text()
		bits := 32
		if sh.kind == kindLong {
			bits = 64
		}
		n, err := strconv.ParseInt(num, 10, bits)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return &kmserrors.SerializationException{Message: "NUMBER_VALUE is out of range for " + intName(sh.kind)}
			}
			return &kmserrors.SerializationException{Message: "NUMBER_VALUE can not be converted to " + intName(sh.kind)}
		}
		switch {
		case sh.min >= 0 && n < sh.min:
			v.fail(sh, strconv.FormatInt(n, 10), false, "Member must have value greater than or equal to "+strconv.FormatInt(sh.min, 10))
		case sh.max >= 0 && n > sh.max:
			v.fail(sh, strconv.FormatInt(n, 10), false, "Member must have value less than or equal to "+strconv.FormatInt(sh.max, 10))
		}
	case kindBoolean:
		if val.Kind() != Bool {
			return typeError(val, "a Boolean")
		}
	case kindTimestamp:
		if val.Kind() != Number {
			return typeError(val, "a Timestamp")
		}
		if _, err := strconv.ParseFloat(val.Text(), 64); err != nil {
			return &kmserrors.SerializationException{Message: "NUMBER_VALUE is out of range for a Timestamp"}
		}
	case kindBlob:
		if val.Kind() != String {
			return typeError(val, "a Blob")
		}
		n, err := v.blob(val)
		if err != nil {
			return &kmserrors.SerializationException{Message: "STRING_VALUE is not valid Base64 data for a Blob"}
		}
		if c := lengthViolation(sh, int64(n)); c != "" {
			v.fail(sh, byteBufferString(n), false, c)
		}
	case kindList:
		if val.Kind() != Array {
			return typeError(val, "a List")
		}
		if c := lengthViolation(sh, int64(val.Len())); c != "" {
			v.fail(sh, jsonText(val.toAny()), false, c)
		}
		i := 0
		for item := range val.Items() {
			i++
			if item.Kind() == Null {
				continue
			}
			mark := v.push(strconv.Itoa(i))
			v.path = append(v.path, ".member"...)
			err := v.value(sh.elem, item)
			v.path = v.path[:mark]
			if err != nil {
				return err
			}
		}
	case kindMap:
		if val.Kind() != Object {
			return typeError(val, "a Map")
		}
		// A map's entries are its distinct keys, the last duplicate
		// winning, visited in key order.
		last := make(map[string]Value, val.Len())
		for k, item := range val.Members() {
			last[k] = item
		}
		if c := lengthViolation(sh, int64(len(last))); c != "" {
			v.fail(sh, jsonText(val.toAny()), false, c)
		}
		keys := make([]string, 0, len(last))
		for k := range last {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			mark := v.push(k)
			v.str(sh.key, k)
			var err error
			if item := last[k]; item.Kind() != Null {
				err = v.value(sh.elem, item)
			}
			v.path = v.path[:mark]
			if err != nil {
				return err
			}
		}
	case kindStructure:
		if val.Kind() != Object {
			return typeError(val, "a Structure")
		}
		return v.structure(id, val)
	}
	return nil
}

// str checks a string against length, enum and pattern.
func (v *validator) str(id shapeID, s string) {
	sh := &shapes[id]
	if c := lengthViolation(sh, int64(utf8.RuneCountInString(s))); c != "" {
		v.fail(sh, s, false, c)
		return
	}
	if len(sh.enum) > 0 && !slices.Contains(sh.enum, s) {
		v.fail(sh, s, false, "Member must satisfy enum value set: ["+strings.Join(sh.enum, ", ")+"]")
		return
	}
	if sh.goPattern != "" && !regexps()[id].MatchString(s) {
		v.fail(sh, s, false, "Member must satisfy regular expression pattern: "+sh.pattern)
	}
}

// blob decodes the base64 text of a Blob member and returns the number of
// bytes. The bytes are what decoding the input needs, so they are kept
// in the request, in a slice of their own, for [Value.TakeBlob].
func (v *validator) blob(val Value) (int, error) {
	if v.r == nil {
		return v.decodedLen(val.Text())
	}
	s := val.Text()
	b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Decode(b, unsafeBytes(s))
	if err != nil {
		return n, err
	}
	v.r.blobs = append(v.r.blobs, blob{node: val.i, b: b[:n]})
	return n, nil
}

// decodedLen decodes the base64 text s and returns the number of bytes.
func (v *validator) decodedLen(s string) (int, error) {
	need := base64.StdEncoding.DecodedLen(len(s))
	if cap(v.scratch) < need {
		v.scratch = make([]byte, need)
	}
	return base64.StdEncoding.Decode(v.scratch[:need], unsafeBytes(s))
}

func intName(k kind) string {
	if k == kindLong {
		return "a Long"
	}
	return "an Integer"
}

// byteBufferString prints a blob of n bytes as java.nio.ByteBuffer.toString
// does for the buffer the AWS front end decodes it into.
func byteBufferString(n int) string {
	ns := strconv.Itoa(n)
	return "java.nio.HeapByteBuffer[pos=0 lim=" + ns + " cap=" + ns + "]"
}

// jsonText prints a decoded list or map as compact JSON.
func jsonText(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// unsafeBytes returns the bytes of s without copying them, for reading
// only: base64 decoding has no string form that writes into a buffer.
func unsafeBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
