package kmsmodel

import (
	"encoding/json"
	"iter"
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
// Its errors are Validate's.
func Parse(op string, body []byte) (*Request, error) {
	o, ok := lookupOp(op)
	if !ok {
		return nil, unknownOperation(op)
	}
	r, err := parseBody(body)
	if err != nil {
		return nil, err
	}
	if o.input == noShape {
		return r, nil
	}
	var v validator
	if err := v.structure(o.input, r.Root()); err != nil {
		return nil, err
	}
	if err := v.result(); err != nil {
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
	r := &Request{nodes: make([]node, 0, 8)}
	if isJSONSpace(body) {
		r.nodes = append(r.nodes, node{kind: Object, end: 1})
		return r, nil
	}
	p := parser{src: string(body), r: r}
	p.space()
	if !p.value("", 0) {
		return nil, errNotJSON
	}
	p.space()
	if p.pos != len(p.src) {
		return nil, errTrailing
	}
	if k := r.nodes[0].kind; k != Object {
		return nil, typeError(Value{r, 0}, "a Structure")
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

func (p *parser) space() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
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
