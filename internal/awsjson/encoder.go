package awsjson

import (
	"encoding/base64"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/document"
	smithydocjson "github.com/aws/smithy-go/document/json"
	smithytime "github.com/aws/smithy-go/time"
	"github.com/aws/smithy-go/traits"
)

// Marshal serializes v (e.g. *kms.DescribeKeyOutput) to JSON as KMS sends
// it. A nil v, or a nil pointer, gives {}, the body of an output without
// members.
func Marshal(v smithy.Serializable) []byte {
	return Append(make([]byte, 0, 512), v)
}

// encoders keeps Encoders between calls of Append: their frame stacks
// and map entry buffers are reused.
var encoders = sync.Pool{New: func() any { return new(Encoder) }}

// Append appends the JSON of v, as Marshal writes it, to dst and returns
// the extended slice. With a dst reused between calls (a pooled buffer),
// encoding a response allocates nothing of its own.
func Append(dst []byte, v smithy.Serializable) []byte {
	if v == nil {
		return append(dst, "{}"...)
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return append(dst, "{}"...)
	}
	e := encoders.Get().(*Encoder)
	e.reset(dst)
	v.Serialize(e)
	out := e.buf
	e.buf = nil // the caller owns the bytes now
	encoders.Put(e)
	return out
}

type frameKind uint8

const (
	frameTop frameKind = iota
	frameStruct
	frameList
	frameMap
	frameUnion
)

// frame is one open JSON container.
type frame struct {
	kind  frameKind
	count int // values (or members, or entries) written so far
	// frameStruct: members written as false by CloseStruct unless seen.
	defaults []*smithy.Schema
	seen     uint64 // bit i: defaults[i] was written
	// frameMap: where each entry starts (at its comma, if any) and its key;
	// keyPending is set between WriteKey and the value.
	entries    []mapEntry
	keyPending bool
}

type mapEntry struct {
	key   string
	start int
}

// Encoder writes one value as awsJson1.1 JSON. The zero value is not
// usable; use NewEncoder. An Encoder implements [smithy.ShapeSerializer]
// and is not safe for concurrent use.
type Encoder struct {
	buf   []byte
	stack []frame
	init  [8]frame
}

var _ smithy.ShapeSerializer = (*Encoder)(nil)

// NewEncoder returns an Encoder ready to write one top-level value.
func NewEncoder() *Encoder {
	e := new(Encoder)
	e.reset(make([]byte, 0, 512))
	return e
}

// reset makes e ready to append one top-level value to buf. The frames
// of an earlier use keep their entries buffers.
func (e *Encoder) reset(buf []byte) {
	e.buf = buf
	if e.stack == nil {
		e.stack = e.init[:0]
	}
	e.stack = e.stack[:1]
	e.stack[0] = frame{kind: frameTop, entries: e.stack[0].entries[:0]}
}

// Bytes returns the JSON written so far. The slice aliases the Encoder's
// buffer until the next write.
func (e *Encoder) Bytes() []byte { return e.buf }

func (e *Encoder) top() *frame { return &e.stack[len(e.stack)-1] }

// prefix writes what precedes a value in the current container: a comma
// and, for a struct member, its name; for a map value without WriteKey, an
// empty key.
func (e *Encoder) prefix(s *smithy.Schema) {
	f := e.top()
	switch f.kind {
	case frameStruct:
		if f.count > 0 {
			e.buf = append(e.buf, ',')
		}
		name := ""
		if s != nil {
			name = s.MemberName()
			for i, d := range f.defaults {
				if d == s {
					f.seen |= 1 << uint(i)
				}
			}
		}
		e.buf = appendString(e.buf, name)
		e.buf = append(e.buf, ':')
	case frameList:
		if f.count > 0 {
			e.buf = append(e.buf, ',')
		}
	case frameMap:
		if !f.keyPending {
			// A value without WriteKey: give it an empty key.
			e.key("")
		}
		f.keyPending = false
	case frameUnion:
		// WriteUnion wrote the variant's name already.
	}
	f.count++
}

// push opens a container, reusing the entries buffer of an earlier frame
// at the same depth.
func (e *Encoder) push(kind frameKind, defaults []*smithy.Schema) {
	if n := len(e.stack); n < cap(e.stack) {
		e.stack = e.stack[:n+1]
		f := &e.stack[n]
		*f = frame{kind: kind, defaults: defaults, entries: f.entries[:0]}
		return
	}
	e.stack = append(e.stack, frame{kind: kind, defaults: defaults})
}

func (e *Encoder) pop(want frameKind, closer byte) {
	if len(e.stack) > 1 && e.top().kind == want {
		e.stack = e.stack[:len(e.stack)-1]
	}
	e.buf = append(e.buf, closer)
}

// WriteInt8 implements [smithy.ShapeSerializer].
func (e *Encoder) WriteInt8(s *smithy.Schema, v int8) { e.WriteInt64(s, int64(v)) }

// WriteInt16 implements [smithy.ShapeSerializer].
func (e *Encoder) WriteInt16(s *smithy.Schema, v int16) { e.WriteInt64(s, int64(v)) }

// WriteInt32 implements [smithy.ShapeSerializer].
func (e *Encoder) WriteInt32(s *smithy.Schema, v int32) { e.WriteInt64(s, int64(v)) }

// WriteInt64 implements [smithy.ShapeSerializer].
func (e *Encoder) WriteInt64(s *smithy.Schema, v int64) {
	e.prefix(s)
	e.buf = strconv.AppendInt(e.buf, v, 10)
}

// WriteFloat32 implements [smithy.ShapeSerializer].
func (e *Encoder) WriteFloat32(s *smithy.Schema, v float32) { e.writeFloat(s, float64(v), 32) }

// WriteFloat64 implements [smithy.ShapeSerializer].
func (e *Encoder) WriteFloat64(s *smithy.Schema, v float64) { e.writeFloat(s, v, 64) }

func (e *Encoder) writeFloat(s *smithy.Schema, v float64, bits int) {
	switch {
	case math.IsNaN(v):
		e.WriteString(s, "NaN")
		return
	case math.IsInf(v, 1):
		e.WriteString(s, "Infinity")
		return
	case math.IsInf(v, -1):
		e.WriteString(s, "-Infinity")
		return
	}
	e.prefix(s)
	format := byte('f')
	if a := math.Abs(v); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	e.buf = strconv.AppendFloat(e.buf, v, format, -1, bits)
}

// WriteBool implements [smithy.ShapeSerializer].
func (e *Encoder) WriteBool(s *smithy.Schema, v bool) {
	e.prefix(s)
	e.buf = strconv.AppendBool(e.buf, v)
}

// WriteString implements [smithy.ShapeSerializer].
func (e *Encoder) WriteString(s *smithy.Schema, v string) {
	e.prefix(s)
	e.buf = appendString(e.buf, v)
}

// WriteBigInt implements [smithy.ShapeSerializer]; nil is WriteNil.
func (e *Encoder) WriteBigInt(s *smithy.Schema, v *big.Int) {
	if v == nil {
		e.WriteNil(s)
		return
	}
	e.prefix(s)
	e.buf = v.Append(e.buf, 10)
}

// WriteBigFloat implements [smithy.ShapeSerializer]; nil is WriteNil and
// infinities are written as WriteFloat64 writes them.
func (e *Encoder) WriteBigFloat(s *smithy.Schema, v *big.Float) {
	switch {
	case v == nil:
		e.WriteNil(s)
		return
	case v.IsInf():
		e.writeFloat(s, math.Inf(v.Sign()), 64)
		return
	}
	e.prefix(s)
	e.buf = v.Append(e.buf, 'g', -1)
}

// WriteBlob implements [smithy.ShapeSerializer]: standard base64.
func (e *Encoder) WriteBlob(s *smithy.Schema, v []byte) {
	e.prefix(s)
	e.buf = append(e.buf, '"')
	e.buf = base64.StdEncoding.AppendEncode(e.buf, v)
	e.buf = append(e.buf, '"')
}

// WriteTime implements [smithy.ShapeSerializer]: epoch seconds with up to
// millisecond precision, unless the schema has a timestampFormat trait.
func (e *Encoder) WriteTime(s *smithy.Schema, v time.Time) {
	format := "epoch-seconds"
	if t, ok := smithy.SchemaTrait[*traits.TimestampFormat](s); ok {
		format = t.Format
	}
	switch format {
	case "date-time":
		e.WriteString(s, smithytime.FormatDateTime(v))
	case "http-date":
		e.WriteString(s, smithytime.FormatHTTPDate(v))
	default:
		e.prefix(s)
		e.buf = appendEpochSeconds(e.buf, v)
	}
}

// appendEpochSeconds appends t as seconds since the Unix epoch, truncated
// to the millisecond: 1607472987.918, 1607472987.9, 1607472987.
func appendEpochSeconds(b []byte, t time.Time) []byte {
	ms := t.UnixMilli()
	var u uint64
	if ms < 0 {
		b = append(b, '-')
		u = uint64(-(ms + 1)) + 1
	} else {
		u = uint64(ms)
	}
	b = strconv.AppendUint(b, u/1000, 10)
	if frac := u % 1000; frac != 0 {
		digits := []byte{'.', byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
		for digits[len(digits)-1] == '0' {
			digits = digits[:len(digits)-1]
		}
		b = append(b, digits...)
	}
	return b
}

// WriteUnion implements [smithy.ShapeSerializer]: an object with the one
// member variant, whose value is the next value written.
func (e *Encoder) WriteUnion(schema, variant *smithy.Schema) {
	e.prefix(schema)
	e.buf = append(e.buf, '{')
	name := ""
	if variant != nil {
		name = variant.MemberName()
	}
	e.buf = appendString(e.buf, name)
	e.buf = append(e.buf, ':')
	e.push(frameUnion, nil)
}

// CloseUnion implements [smithy.ShapeSerializer].
func (e *Encoder) CloseUnion() { e.pop(frameUnion, '}') }

// WriteDocument implements [smithy.ShapeSerializer]. Map and structure
// documents are written with sorted keys.
func (e *Encoder) WriteDocument(s *smithy.Schema, v document.Value) {
	switch d := v.(type) {
	case nil, document.Null:
		e.WriteNil(s)
	case document.Boolean:
		e.WriteBool(s, bool(d))
	case document.String:
		e.WriteString(s, string(d))
	case document.Number:
		if isJSONNumber(string(d)) {
			e.prefix(s)
			e.buf = append(e.buf, d...)
		} else {
			e.WriteString(s, string(d))
		}
	case document.Blob:
		e.WriteBlob(s, []byte(d))
	case document.Timestamp:
		e.WriteTime(s, time.Time(d))
	case document.List:
		e.WriteList(s)
		for _, item := range d {
			e.WriteDocument(nil, item)
		}
		e.CloseList()
	case document.Map:
		e.WriteMap(s)
		for k, item := range d {
			e.WriteKey(nil, k)
			e.WriteDocument(nil, item)
		}
		e.CloseMap()
	case document.Structure:
		e.WriteMap(s)
		for k, item := range d.Members {
			e.WriteKey(nil, k)
			e.WriteDocument(nil, item)
		}
		e.CloseMap()
	case document.Opaque:
		e.writeOpaque(s, d.Value)
	case *document.Opaque:
		if d == nil {
			e.WriteNil(s)
			return
		}
		e.writeOpaque(s, d.Value)
	default:
		e.writeOpaque(s, v)
	}
}

func (e *Encoder) writeOpaque(s *smithy.Schema, v any) {
	var (
		p   []byte
		err error
	)
	if m, ok := v.(document.Marshaler); ok {
		p, err = m.MarshalSmithyDocument()
	} else {
		p, err = smithydocjson.NewEncoder().Encode(v)
	}
	if err != nil || len(p) == 0 {
		e.WriteNil(s)
		return
	}
	e.prefix(s)
	e.buf = append(e.buf, p...)
}

// WriteNil implements [smithy.ShapeSerializer]: a struct member is
// omitted; elsewhere null is written.
func (e *Encoder) WriteNil(s *smithy.Schema) {
	if e.top().kind == frameStruct {
		return
	}
	e.prefix(s)
	e.buf = append(e.buf, "null"...)
}

// WriteStruct implements [smithy.ShapeSerializer].
func (e *Encoder) WriteStruct(s *smithy.Schema) {
	e.prefix(s)
	e.buf = append(e.buf, '{')
	e.push(frameStruct, defaultFalseMembers(s))
}

// CloseStruct implements [smithy.ShapeSerializer]. It writes false for the
// default-false boolean members the struct did not write.
func (e *Encoder) CloseStruct() {
	if f := e.top(); f.kind == frameStruct {
		for i, d := range f.defaults {
			if f.seen&(1<<uint(i)) == 0 {
				e.WriteBool(d, false)
			}
		}
	}
	e.pop(frameStruct, '}')
}

// WriteList implements [smithy.ShapeSerializer].
func (e *Encoder) WriteList(s *smithy.Schema) {
	e.prefix(s)
	e.buf = append(e.buf, '[')
	e.push(frameList, nil)
}

// CloseList implements [smithy.ShapeSerializer].
func (e *Encoder) CloseList() { e.pop(frameList, ']') }

// WriteMap implements [smithy.ShapeSerializer].
func (e *Encoder) WriteMap(s *smithy.Schema) {
	e.prefix(s)
	e.buf = append(e.buf, '{')
	e.push(frameMap, nil)
}

// WriteKey implements [smithy.ShapeSerializer]: the key of the next map
// entry.
func (e *Encoder) WriteKey(_ *smithy.Schema, key string) {
	if e.top().kind != frameMap {
		return
	}
	e.key(key)
}

func (e *Encoder) key(key string) {
	f := e.top()
	f.entries = append(f.entries, mapEntry{key: key, start: len(e.buf)})
	if len(f.entries) > 1 {
		e.buf = append(e.buf, ',')
	}
	e.buf = appendString(e.buf, key)
	e.buf = append(e.buf, ':')
	f.keyPending = true
}

// CloseMap implements [smithy.ShapeSerializer]. Entries are sorted by key.
func (e *Encoder) CloseMap() {
	if f := e.top(); f.kind == frameMap {
		e.sortEntries(f.entries)
	}
	e.pop(frameMap, '}')
}

// sortEntries reorders the map entries written since entries[0].start.
func (e *Encoder) sortEntries(entries []mapEntry) {
	if len(entries) < 2 || slices.IsSortedFunc(entries, cmpEntry) {
		return
	}
	type segment struct {
		key  string
		text []byte // without a leading comma
	}
	base := entries[0].start
	segs := make([]segment, len(entries))
	for i, en := range entries {
		end := len(e.buf)
		if i+1 < len(entries) {
			end = entries[i+1].start
		}
		text := e.buf[en.start:end]
		if i > 0 {
			text = text[1:]
		}
		segs[i] = segment{en.key, text}
	}
	slices.SortStableFunc(segs, func(a, b segment) int { return strings.Compare(a.key, b.key) })
	out := make([]byte, 0, len(e.buf)-base)
	for i, sg := range segs {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, sg.text...)
	}
	copy(e.buf[base:], out)
}

func cmpEntry(a, b mapEntry) int { return strings.Compare(a.key, b.key) }

// defaultBooleans are the boolean shapes whose members the service always
// sends, as false when the SDK's Serialize skips them.
var defaultBooleans = map[smithy.ShapeID]bool{
	{Namespace: "com.amazonaws.kms", Name: "BooleanType"}: true,
}

var defaultsCache sync.Map // *smithy.Schema -> []*smithy.Schema

// defaultFalseMembers returns the members of struct schema s that target a
// default-false boolean shape, sorted by name (at most 64 are tracked).
func defaultFalseMembers(s *smithy.Schema) []*smithy.Schema {
	if s == nil {
		return nil
	}
	if v, ok := defaultsCache.Load(s); ok {
		return v.([]*smithy.Schema)
	}
	var list []*smithy.Schema
	for _, m := range s.Members() {
		if m.Type() == smithy.ShapeTypeBoolean && defaultBooleans[m.TargetID()] && m.MemberName() != "" {
			list = append(list, m)
		}
	}
	slices.SortFunc(list, func(a, b *smithy.Schema) int { return strings.Compare(a.MemberName(), b.MemberName()) })
	if len(list) > 64 {
		list = list[:64]
	}
	v, _ := defaultsCache.LoadOrStore(s, list)
	return v.([]*smithy.Schema)
}

// appendString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Runs of plain ASCII, almost every string KMS sends, are
		// copied in one append; they are found eight bytes at a time.
		i = skipPlainWords(s, i)
		for i < len(s) && plain[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// skipPlainWords returns the index of the first of the 8-byte words of
// s from i on that is not all plain, or of the shorter rest.
//
// Each word is tested with the usual SWAR tricks on one 64-bit value x:
// (x - n*lo) & ^x & hi is non-zero exactly when some byte of x is below
// n (n <= 0x80), so a byte below 0x20, a byte equal to '"' or '\\' (one
// that XORs to zero) or a byte with the high bit set (not ASCII) stops
// it.
func skipPlainWords(s string, i int) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		q := x ^ ('"' * lo)
		bs := x ^ ('\\' * lo)
		if ((x-0x20*lo)&^x|(q-lo)&^q|(bs-lo)&^bs|x)&hi != 0 {
			return i
		}
	}
	return i
}

// plain marks the bytes appendString copies as they are: ASCII from
// space up, except '"' and '\\'.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// isJSONNumber reports whether s is a number in JSON syntax.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// AppendString appends s as a JSON string, as the Encoder writes every
// string: for writers that produce the same bytes without a schema.
func AppendString(b []byte, s string) []byte { return appendString(b, s) }

// AppendTime appends t as the Encoder writes a timestamp without a
// timestampFormat trait: epoch seconds, at most millisecond precision.
func AppendTime(b []byte, t time.Time) []byte { return appendEpochSeconds(b, t) }
