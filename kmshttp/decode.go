package kmshttp

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strconv"
	"sync"

	"github.com/kmsim/kmsim/internal/kmsmodel"
)

// decodeParsed fills in, a new *kms.<Op>Input, from the body kmsmodel.Parse
// has read and validated, so that the body is not read a second time.
//
// It gives exactly what decodeInput gives for the same body, and reports
// false, leaving in in an unspecified state, where it could not promise
// that: a Go type whose decoding encoding/json would customize (such as
// time.Time), a JSON value of another type than the field's, or a member
// name repeated in an object that becomes a struct or map (encoding/json
// merges or replaces such duplicates depending on what else the body
// holds). The caller then decodes a fresh input with decodeInput.
func decodeParsed(v kmsmodel.Value, in any) bool {
	rv := reflect.ValueOf(in)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return false
	}
	return decoderOf(rv.Type())(v, rv)
}

// decodeFunc decodes a JSON value into dst, which is settable (or a
// non-nil pointer at the top), and reports whether it could.
type decodeFunc func(v kmsmodel.Value, dst reflect.Value) bool

var decoders sync.Map // reflect.Type -> decodeFunc

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decoderOf returns the decoder of type t, building it on first use. A
// recursive type finds its own decoder through the indirection below.
func decoderOf(t reflect.Type) decodeFunc {
	if d, ok := decoders.Load(t); ok {
		return d.(decodeFunc)
	}
	var (
		once sync.Once
		d    decodeFunc
	)
	indirect := decodeFunc(func(v kmsmodel.Value, dst reflect.Value) bool {
		once.Do(func() { d = buildDecoder(t) })
		return d(v, dst)
	})
	if actual, loaded := decoders.LoadOrStore(t, indirect); loaded {
		return actual.(decodeFunc)
	}
	once.Do(func() { d = buildDecoder(t) })
	decoders.Store(t, d)
	return d
}

func fail(kmsmodel.Value, reflect.Value) bool { return false }

// buildDecoder mirrors what encoding/json does for each kind of t, for
// the kinds the SDK's input structs use.
func buildDecoder(t reflect.Type) decodeFunc {
	if t.Implements(jsonUnmarshaler) || t.Implements(textUnmarshaler) ||
		reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return fail
	}
	switch t.Kind() {
	case reflect.Pointer:
		elem := decoderOf(t.Elem())
		return func(v kmsmodel.Value, dst reflect.Value) bool {
			if v.Kind() == kmsmodel.Null {
				dst.SetZero()
				return true
			}
			if dst.IsNil() {
				dst.Set(reflect.New(t.Elem()))
			}
			return elem(v, dst.Elem())
		}
	case reflect.String:
		return func(v kmsmodel.Value, dst reflect.Value) bool {
			switch v.Kind() {
			case kmsmodel.Null:
				return true
			case kmsmodel.String:
				dst.SetString(v.Text())
				return true
			}
			return false
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(v kmsmodel.Value, dst reflect.Value) bool {
			switch v.Kind() {
			case kmsmodel.Null:
				return true
			case kmsmodel.Number:
				n, err := strconv.ParseInt(v.Text(), 10, 64)
				if err != nil || dst.OverflowInt(n) {
					return false
				}
				dst.SetInt(n)
				return true
			}
			return false
		}
	case reflect.Bool:
		return func(v kmsmodel.Value, dst reflect.Value) bool {
			switch v.Kind() {
			case kmsmodel.Null:
				return true
			case kmsmodel.Bool:
				dst.SetBool(v.Bool())
				return true
			}
			return false
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return decodeBytes
		}
		return sliceDecoder(t)
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return fail
		}
		return mapDecoder(t)
	case reflect.Struct:
		return structDecoder(t)
	}
	return fail
}

// decodeBytes decodes standard base64 as encoding/json does: "" gives an
// empty, non-nil slice.
func decodeBytes(v kmsmodel.Value, dst reflect.Value) bool {
	switch v.Kind() {
	case kmsmodel.Null:
		dst.SetZero()
		return true
	case kmsmodel.String:
		if b, ok := v.TakeBlob(); ok {
			// Parse decoded it already, with the same decoder.
			dst.SetBytes(b)
			return true
		}
		s := v.Text()
		b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
		n, err := base64.StdEncoding.Decode(b, []byte(s))
		if err != nil {
			return false
		}
		dst.SetBytes(b[:n])
		return true
	}
	return false
}

// sliceDecoder makes a new slice of the items; [] gives an empty,
// non-nil slice and a null item the zero element.
func sliceDecoder(t reflect.Type) decodeFunc {
	elem := decoderOf(t.Elem())
	return func(v kmsmodel.Value, dst reflect.Value) bool {
		switch v.Kind() {
		case kmsmodel.Null:
			dst.SetZero()
			return true
		case kmsmodel.Array:
		default:
			return false
		}
		s := reflect.MakeSlice(t, v.Len(), v.Len())
		i := 0
		for item := range v.Items() {
			if !elem(item, s.Index(i)) {
				return false
			}
			i++
		}
		dst.Set(s)
		return true
	}
}

// mapDecoder makes a new map; a null value gives the zero element.
func mapDecoder(t reflect.Type) decodeFunc {
	elem := decoderOf(t.Elem())
	return func(v kmsmodel.Value, dst reflect.Value) bool {
		switch v.Kind() {
		case kmsmodel.Null:
			dst.SetZero()
			return true
		case kmsmodel.Object:
		default:
			return false
		}
		if !dst.IsNil() {
			return false // a repeated member: see decodeParsed
		}
		m := reflect.MakeMapWithSize(t, v.Len())
		for k, item := range v.Members() {
			key := reflect.ValueOf(k).Convert(t.Key())
			if m.MapIndex(key).IsValid() {
				return false
			}
			e := reflect.New(t.Elem()).Elem()
			if !elem(item, e) {
				return false
			}
			m.SetMapIndex(key, e)
		}
		dst.Set(m)
		return true
	}
}

// structField is one exported field of a struct, by its JSON name.
type structField struct {
	index  int
	bit    uint64 // the field's bit in the set of members seen
	decode decodeFunc
}

// structDecoder sets the fields whose JSON names match the members
// exactly; other members are ignored, as decodeInput ignores them.
func structDecoder(t reflect.Type) decodeFunc {
	names := fieldsOf(t)
	if len(names) > 64 {
		return fail
	}
	fields := make(map[string]structField, len(names))
	for i := range t.NumField() {
		f := t.Field(i)
		if ft, ok := names[jsonName(f)]; ok && f.IsExported() && !f.Anonymous && ft == f.Type {
			fields[jsonName(f)] = structField{index: i, bit: 1 << len(fields), decode: decoderOf(f.Type)}
		}
	}
	return func(v kmsmodel.Value, dst reflect.Value) bool {
		switch v.Kind() {
		case kmsmodel.Null:
			return true
		case kmsmodel.Object:
		default:
			return false
		}
		var seen uint64
		for k, item := range v.Members() {
			f, ok := fields[k]
			if !ok {
				continue
			}
			if seen&f.bit != 0 {
				return false // a repeated member: see decodeParsed
			}
			seen |= f.bit
			if !f.decode(item, dst.Field(f.index)) {
				return false
			}
		}
		return true
	}
}

// jsonName is the member name encoding/json uses for field f.
func jsonName(f reflect.StructField) string {
	name := f.Name
	if tag, ok := f.Tag.Lookup("json"); ok {
		if n, _, _ := cutComma(tag); n != "" {
			name = n
		}
	}
	return name
}

func cutComma(s string) (before, after string, found bool) {
	for i := range len(s) {
		if s[i] == ',' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
