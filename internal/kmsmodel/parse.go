package kmsmodel

import (
	"encoding/json"
	"iter"
	"sync"
	"unicode/utf8"

	kmserrors "github.com/kmsim/kmsim/errors"
)

// The body of a request is read once, by a scanner that accepts exactly
// what encoding/json accepts, into a flat tree of nodes: validation walks
// it, and the HTTP front decodes the SDK input from it, so a request is
// parsed once instead of twice and without interface values.

// Kind is the JSON type of a [Value].
type Kind uint8

// The kinds of JSON values.
const (
	Null Kind = iota
	String
	Number
	Bool
	Array
	Object
)

// node is one JSON value. The nodes of a container's subtree follow it
// in document order; end is the index just past the subtree, so a
// container's first child is at i+1 and each child's sibling at its end.
type node struct {
	kind  Kind
	truth bool   // Bool
	end   int32  // index past this node's subtree
	key   string // member name, for a member of an object
	text  string // String: the unescaped value; Number: the literal
}

// Request is a request body that [Parse] has read and validated.
type Request struct {
	nodes []node
	// blobs holds the bytes of the Blob members validation decoded, so
	// that decoding the input does not decode them a second time.
	blobs []blob
	// path is the validator's buffer for member paths.
	path []byte
}

// blob is the decoded value of the String node at index node.
type blob struct {
	node int32
	b    []byte
}

// requests keeps Requests, with their node arrays, between calls of
// Parse: a request body is parsed, decoded and dropped, so the next one
// can take over the arrays.
var requests = sync.Pool{New: func() any { return &Request{nodes: make([]node, 0, 16)} }}

// maxPooledNodes bounds the node array a freed Request keeps, so that one
// huge body does not pin its array in the pool.
const maxPooledNodes = 1024

// maxPooledPath is the same bound for the path buffer, which a long map
// key can grow without adding nodes.
const maxPooledPath = 4096

// Free gives r back for reuse by a later [Parse]. Neither r nor any
// [Value] of it may be used afterwards; strings and byte slices taken
// from them stay valid, as they never point into r's own arrays.
func (r *Request) Free() {
	if cap(r.nodes) > maxPooledNodes {
		return
	}
	// Drop the references to the body and to blobs, which the caller
	// may keep or which may be large.
	clear(r.nodes)
	clear(r.blobs)
	r.nodes, r.blobs = r.nodes[:0], r.blobs[:0]
	if cap(r.path) > maxPooledPath {
		r.path = nil
	}
	requests.Put(r)
}

// Value is one JSON value of a [Request]; the zero Value is null.
type Value struct {
	r *Request
	i int32
}

func (v Value) n() *node { return &v.r.nodes[v.i] }

// Root returns the body's top-level object ({} for an empty body).
func (r *Request) Root() Value { return Value{r, 0} }

// Kind returns the JSON type of v.
func (v Value) Kind() Kind {
	if v.r == nil {
		return Null
	}
	return v.n().kind
}

// Text returns the unescaped text of a String or the literal of a
// Number (as encoding/json's json.Number holds it), and "" otherwise.
func (v Value) Text() string {
	if v.r == nil {
		return ""
	}
	return v.n().text
}

// Bool returns the value of a Bool, and false otherwise.
func (v Value) Bool() bool { return v.r != nil && v.n().truth }

// Len returns the number of items of an Array or members of an Object
// (duplicate names included), and 0 otherwise.
func (v Value) Len() int {
	n := 0
	for range v.children() {
		n++
	}
	return n
}

// children yields the node indexes of v's items or members in order.
func (v Value) children() iter.Seq[int32] {
	return func(yield func(int32) bool) {
		if v.r == nil {
			return
		}
		nd := v.n()
		if nd.kind != Array && nd.kind != Object {
			return
		}
		for c := v.i + 1; c < nd.end; c = v.r.nodes[c].end {
			if !yield(c) {
				return
			}
		}
	}
}

// Items yields the items of an Array in order.
func (v Value) Items() iter.Seq[Value] {
	return func(yield func(Value) bool) {
		for c := range v.children() {
			if !yield(Value{v.r, c}) {
				return
			}
		}
	}
}

// Members yields the members of an Object in document order, duplicate
// names included (encoding/json lets the last one win).
func (v Value) Members() iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		for c := range v.children() {
			if !yield(v.r.nodes[c].key, Value{v.r, c}) {
				return
			}
		}
	}
}

// TakeBlob returns the bytes of a String of a Blob member, decoded from
// base64 when [Parse] validated it, and reports whether it had them. It
// hands them out once: the caller owns the slice, and a second call
// reports false (the caller decodes the text itself then).
func (v Value) TakeBlob() ([]byte, bool) {
	if v.r == nil {
		return nil, false
	}
	for i := range v.r.blobs {
		if b := &v.r.blobs[i]; b.node == v.i && b.b != nil {
			out := b.b
			b.b = nil
			return out, true
		}
	}
	return nil, false
}

// member returns the last member of object v named name, or null.
func (v Value) member(name string) Value {
	found := Value{}
	for c := range v.children() {
		if v.r.nodes[c].key == name {
			found = Value{v.r, c}
		}
	}
	return found
}

// Parse reads a request body of operation op and checks it against the
// model, as [Validate] does, and returns the parsed body for decoding.
// Its errors are Validate's. The caller may [Request.Free] the result
// when done with it.
func Parse(op string, body []byte) (*Request, error) {
	p, ok := ParserOf(op)
	if !ok {
		return nil, unknownOperation(op)
	}
	return p.Parse(body)
}

// Parser parses the request bodies of one operation: [Parse] without
// looking the operation up by name on every request.
type Parser struct{ o *opInfo }

// ParserOf returns the Parser of operation op, if the model has it.
func ParserOf(op string) (Parser, bool) {
	o, ok := lookupOp(op)
	return Parser{o}, ok
}

// Parse is [Parse] for p's operation.
func (p Parser) Parse(body []byte) (*Request, error) {
	r, err := parseBody(body)
	if err != nil {
		return nil, err
	}
	if p.o.input == noShape {
		return r, nil
	}
	// The path buffer comes with the pooled Request, so that walking a
	// valid body does not allocate.
	v := validator{r: r, path: r.path[:0]}
	err = v.structure(p.o.input, r.Root())
	r.path = v.path[:0]
	if err != nil {
		r.Free()
		return nil, err
	}
	if err := v.result(); err != nil {
		r.Free()
		return nil, err
	}
	return r, nil
}

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

var (
	errNotJSON  = &kmserrors.SerializationException{Message: "Request body is not valid JSON"}
	errTrailing = &kmserrors.SerializationException{Message: "Unexpected content after the JSON object"}
)

// parseBody reads body as one JSON object. An empty body, or one of only
// white space, is {}. Syntax errors, and anything but white space after
// the first value, are the SerializationExceptions that the
// json.Decoder-based reading gave before: a json.Decoder returns a
// top-level value as soon as it ends (even "1x" yields 1), and the
// trailing content is then what is reported.
func parseBody(body []byte) (*Request, error) {
	r := requests.Get().(*Request)
	if isJSONSpace(body) {
		r.nodes = append(r.nodes, node{kind: Object, end: 1})
		return r, nil
	}
	p := parser{src: string(body), r: r}
	p.space()
	var err error
	switch {
	case !p.value("", 0):
		err = errNotJSON
	case p.space() != len(p.src):
		err = errTrailing
	case r.nodes[0].kind != Object:
		err = typeError(Value{r, 0}, "a Structure")
	}
	if err != nil {
		r.Free()
		return nil, err
	}
	return r, nil
}

// parser is a recursive-descent JSON reader over one body. Strings
// without escapes (the usual case) are substrings of src, which is the
// body's one copy.
type parser struct {
	src string
	pos int
	r   *Request
}

// space skips white space and returns the new position.
func (p *parser) space() int {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return p.pos
		}
	}
	return p.pos
}

// value reads one value with the given member name and reports whether
// it is well formed.
func (p *parser) value(key string, depth int) bool {
	if p.pos >= len(p.src) {
		return false
	}
	i := len(p.r.nodes)
	p.r.nodes = append(p.r.nodes, node{key: key})
	var ok bool
	switch c := p.src[p.pos]; {
	case c == '{':
		p.r.nodes[i].kind = Object
		ok = depth < maxDepth && p.object(depth+1)
	case c == '[':
		p.r.nodes[i].kind = Array
		ok = depth < maxDepth && p.array(depth+1)
	case c == '"':
		var s string
		s, ok = p.string()
		p.r.nodes[i].kind, p.r.nodes[i].text = String, s
	case c == '-' || '0' <= c && c <= '9':
		start := p.pos
		ok = p.number()
		p.r.nodes[i].kind, p.r.nodes[i].text = Number, p.src[start:p.pos]
	case c == 't':
		ok = p.literal("true")
		p.r.nodes[i].kind, p.r.nodes[i].truth = Bool, true
	case c == 'f':
		ok = p.literal("false")
		p.r.nodes[i].kind = Bool
	case c == 'n':
		ok = p.literal("null")
	}
	p.r.nodes[i].end = int32(len(p.r.nodes))
	return ok
}

func (p *parser) literal(word string) bool {
	if len(p.src)-p.pos < len(word) || p.src[p.pos:p.pos+len(word)] != word {
		return false
	}
	p.pos += len(word)
	return true
}

func (p *parser) object(depth int) bool {
	p.pos++ // {
	p.space()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		return true
	}
	for {
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			return false
		}
		key, ok := p.string()
		if !ok {
			return false
		}
		p.space()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return false
		}
		p.pos++
		p.space()
		if !p.value(key, depth) {
			return false
		}
		p.space()
		if p.pos >= len(p.src) {
			return false
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
			p.space()
		case '}':
			p.pos++
			return true
		default:
			return false
		}
	}
}

func (p *parser) array(depth int) bool {
	p.pos++ // [
	p.space()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		return true
	}
	for {
		if !p.value("", depth) {
			return false
		}
		p.space()
		if p.pos >= len(p.src) {
			return false
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
			p.space()
		case ']':
			p.pos++
			return true
		default:
			return false
		}
	}
}

// number reads a number in JSON syntax:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *parser) number() bool {
	s := p.src
	if s[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(s) && '0' <= s[p.pos] && s[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	switch {
	case p.pos < len(s) && s[p.pos] == '0':
		p.pos++
	case digits() == 0:
		return false
	}
	if p.pos < len(s) && s[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return false
		}
	}
	if p.pos < len(s) && (s[p.pos] == 'e' || s[p.pos] == 'E') {
		p.pos++
		if p.pos < len(s) && (s[p.pos] == '+' || s[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return false
		}
	}
	return true
}

// string reads a string token and returns its value as encoding/json
// unquotes it. A token without escapes whose bytes are valid UTF-8 is
// its own value; any other (escapes, invalid UTF-8, which becomes
// U+FFFD) is unquoted by encoding/json itself, so the rules for lone
// surrogates and bad bytes stay exactly its own.
func (p *parser) string() (string, bool) {
	s := p.src
	start := p.pos
	p.pos++ // opening quote
	simple := true
	for p.pos < len(s) {
		c := s[p.pos]
		switch {
		case c == '"':
			p.pos++
			if simple {
				return s[start+1 : p.pos-1], true
			}
			var v string
			if err := json.Unmarshal([]byte(s[start:p.pos]), &v); err != nil {
				return "", false
			}
			return v, true
		case c < 0x20:
			return "", false
		case c == '\\':
			simple = false
			p.pos++
			if p.pos >= len(s) {
				return "", false
			}
			switch s[p.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.pos++
			case 'u':
				p.pos++
				for range 4 {
					if p.pos >= len(s) || !isHex(s[p.pos]) {
						return "", false
					}
					p.pos++
				}
			default:
				return "", false
			}
		case c < utf8.RuneSelf:
			p.pos++
		default:
			r, size := utf8.DecodeRuneInString(s[p.pos:])
			if r == utf8.RuneError && size == 1 {
				simple = false
			}
			p.pos += size
		}
	}
	return "", false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// toAny returns v as encoding/json decodes it into an interface value
// with UseNumber: map[string]any (the last duplicate wins), []any,
// string, json.Number, bool or nil. Only violation messages need it.
func (v Value) toAny() any {
	switch v.Kind() {
	case String:
		return v.Text()
	case Number:
		return json.Number(v.Text())
	case Bool:
		return v.Bool()
	case Array:
		list := make([]any, 0, v.Len())
		for item := range v.Items() {
			list = append(list, item.toAny())
		}
		return list
	case Object:
		m := make(map[string]any, v.Len())
		for k, mv := range v.Members() {
			m[k] = mv.toAny()
		}
		return m
	}
	return nil
}
