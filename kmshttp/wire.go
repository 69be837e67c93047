package kmshttp

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// errorBody returns the body of an error response as KMS sends it:
// {"__type":"<code>","message":"<msg>"}, without "message" when msg is
// empty.
func errorBody(code, msg string) []byte {
	b := make([]byte, 0, len(code)+len(msg)+32)
	b = append(b, `{"__type":`...)
	b = appendString(b, code)
	if msg != "" {
		b = append(b, `,"message":`...)
		b = appendString(b, msg)
	}
	return append(b, '}')
}

// appendString appends s as a JSON string. Unlike json.Marshal it leaves
// <, > and & as they are, as the AWS front end does; invalid UTF-8
// becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// marshalJSON encodes v like json.Marshal, leaving <, > and & unescaped.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// decodeInput decodes a request body, which kmsmodel.Validate has
// accepted, into in, a *kms.<Op>Input. The input structs' exported field
// names are the wire member names. encoding/json matches names without
// regard to case, while KMS ignores a member whose name is not spelled
// exactly as in the model ("keyid" is not KeyId), so members whose names
// differ from every field name are removed before decoding.
func decodeInput(body []byte, in any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if prune(v, reflect.TypeOf(in)) {
		var err error
		if body, err = json.Marshal(v); err != nil {
			return err
		}
	}
	return json.Unmarshal(body, in)
}

// prune removes from the decoded JSON value v the object members that no
// field of the Go type t would take by exact name, recursively. It
// reports whether it removed any.
func prune(v any, t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	changed := false
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return false
		}
		fields := fieldsOf(t)
		for name, mv := range obj {
			ft, ok := fields[name]
			if !ok {
				delete(obj, name)
				changed = true
				continue
			}
			if ts, ok := epochTime(mv, ft); ok {
				obj[name] = ts
				changed = true
				continue
			}
			if prune(mv, ft) {
				changed = true
			}
		}
	case reflect.Slice, reflect.Array:
		list, ok := v.([]any)
		if !ok {
			return false
		}
		for _, item := range list {
			if prune(item, t.Elem()) {
				changed = true
			}
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return false
		}
		for _, mv := range obj {
			if prune(mv, t.Elem()) {
				changed = true
			}
		}
	}
	return changed
}

var timeType = reflect.TypeFor[time.Time]()

// epochTime converts a timestamp member, which awsJson1.1 sends as epoch
// seconds (ImportKeyMaterial's ValidTo), to the RFC 3339 string that
// encoding/json reads into a time.Time.
func epochTime(v any, t reflect.Type) (string, bool) {
	n, ok := v.(json.Number)
	if !ok || (t != timeType && t != reflect.PointerTo(timeType)) {
		return "", false
	}
	whole, frac, _ := strings.Cut(n.String(), ".")
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return "", false
	}
	var nsec int64
	if frac != "" {
		frac = (frac + "000000000")[:9]
		if nsec, err = strconv.ParseInt(frac, 10, 64); err != nil {
			return "", false
		}
		if sec < 0 || strings.HasPrefix(whole, "-") {
			nsec = -nsec
		}
	}
	return time.Unix(sec, nsec).UTC().Format(time.RFC3339Nano), true
}

// fieldCache maps a struct type to its JSON member names and their types.
var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

// fieldsOf returns the member names encoding/json uses for the exported
// fields of struct type t, with the field types.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	fields := make(map[string]reflect.Type, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			tagName, _, _ := strings.Cut(tag, ",")
			if tagName == "-" {
				continue
			}
			if tagName != "" {
				name = tagName
			}
		}
		fields[name] = f.Type
	}
	f, _ := fieldCache.LoadOrStore(t, fields)
	return f.(map[string]reflect.Type)
}

// maxPooledBuffer is the largest buffer kept for reuse; the rare larger
// body or response (a long ListAliases page) gets a buffer of its own,
// so the pool does not pin memory.
const maxPooledBuffer = 64 << 10

// exchangeBuffers are the buffer a request body is read into and the one
// its response is written into, kept together between requests so that
// one pool operation serves both.
type exchangeBuffers struct{ body, out []byte }

// buffers holds exchangeBuffers between requests.
var buffers = sync.Pool{New: func() any {
	return &exchangeBuffers{body: make([]byte, 0, 2048), out: make([]byte, 0, 2048)}
}}

func getBuffers() *exchangeBuffers { return buffers.Get().(*exchangeBuffers) }

// putBuffers returns b to the pool, without a buffer that grew past
// maxPooledBuffer. The ResponseWriter has copied the response by then:
// Write must not retain its argument.
func putBuffers(b *exchangeBuffers) {
	if cap(b.body) > maxPooledBuffer {
		b.body = nil
	}
	if cap(b.out) > maxPooledBuffer {
		b.out = nil
	}
	buffers.Put(b)
}
