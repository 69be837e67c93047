package kmsmodel

// The reading and walking of request bodies as Validate did them with
// encoding/json and interface values, before the single-pass parser. They
// are kept here as the reference the parser is checked against: same
// errors, same messages, for every body.

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"

	kmserrors "github.com/kmsim/kmsim/errors"
)

// refValidate is Validate as it was.
func refValidate(op string, body []byte) error {
	o, ok := lookupOp(op)
	if !ok {
		return unknownOperation(op)
	}
	root, err := refDecodeBody(body)
	if err != nil {
		return err
	}
	if o.input == noShape {
		return nil
	}
	var v refValidator
	if err := v.structure(o.input, root); err != nil {
		return err
	}
	return v.result()
}

type refValidator struct{ validator }

// decodeBody reads body as one JSON object.
func refDecodeBody(body []byte) (map[string]any, error) {
	if isJSONSpace(body) {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, &kmserrors.SerializationException{Message: "Request body is not valid JSON"}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &kmserrors.SerializationException{Message: "Unexpected content after the JSON object"}
	}
	obj, ok := root.(map[string]any)
	if !ok {
		return nil, refTypeError(root, "a Structure")
	}
	return obj, nil
}

// typeError reports a JSON value of the wrong type, in the words of the
// AWS front end: "NUMBER_VALUE can not be converted to a String".
func refTypeError(got any, want string) error {
	var msg string
	switch got.(type) {
	case map[string]any:
		msg = "Start of structure or map found where not expected."
	case []any:
		msg = "Start of list found where not expected"
	case string:
		msg = "STRING_VALUE can not be converted to " + want
	case json.Number:
		msg = "NUMBER_VALUE can not be converted to " + want
	case bool:
		msg = "BOOLEAN_VALUE can not be converted to " + want
	default:
		msg = "Unexpected value where " + want + " was expected"
	}
	return &kmserrors.SerializationException{Message: msg}
}

func (v *refValidator) structure(id shapeID, obj map[string]any) error {
	sh := &shapes[id]
	for i := range sh.members {
		m := &sh.members[i]
		val := obj[m.name]
		mark := v.push(m.path)
		var err error
		if val == nil {
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
func (v *refValidator) value(id shapeID, val any) error {
	sh := &shapes[id]
	switch sh.kind {
	case kindString:
		s, ok := val.(string)
		if !ok {
			return refTypeError(val, "a String")
		}
		v.str(id, s)
	case kindInteger, kindLong:
		num, ok := val.(json.Number)
		if !ok {
			return refTypeError(val, intName(sh.kind))
		}
		bits := 32
		if sh.kind == kindLong {
			bits = 64
		}
		n, err := strconv.ParseInt(string(num), 10, bits)
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
		if _, ok := val.(bool); !ok {
			return refTypeError(val, "a Boolean")
		}
	case kindTimestamp:
		num, ok := val.(json.Number)
		if !ok {
			return refTypeError(val, "a Timestamp")
		}
		if _, err := strconv.ParseFloat(string(num), 64); err != nil {
			return &kmserrors.SerializationException{Message: "NUMBER_VALUE is out of range for a Timestamp"}
		}
	case kindBlob:
		s, ok := val.(string)
		if !ok {
			return refTypeError(val, "a Blob")
		}
		n, err := v.decodedLen(s)
		if err != nil {
			return &kmserrors.SerializationException{Message: "STRING_VALUE is not valid Base64 data for a Blob"}
		}
		if c := lengthViolation(sh, int64(n)); c != "" {
			v.fail(sh, byteBufferString(n), false, c)
		}
	case kindList:
		list, ok := val.([]any)
		if !ok {
			return refTypeError(val, "a List")
		}
		if c := lengthViolation(sh, int64(len(list))); c != "" {
			v.fail(sh, jsonText(list), false, c)
		}
		for i, item := range list {
			if item == nil {
				continue
			}
			mark := v.push(strconv.Itoa(i + 1))
			v.path = append(v.path, ".member"...)
			err := v.value(sh.elem, item)
			v.path = v.path[:mark]
			if err != nil {
				return err
			}
		}
	case kindMap:
		m, ok := val.(map[string]any)
		if !ok {
			return refTypeError(val, "a Map")
		}
		if c := lengthViolation(sh, int64(len(m))); c != "" {
			v.fail(sh, jsonText(m), false, c)
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			mark := v.push(k)
			v.str(sh.key, k)
			var err error
			if item := m[k]; item != nil {
				err = v.value(sh.elem, item)
			}
			v.path = v.path[:mark]
			if err != nil {
				return err
			}
		}
	case kindStructure:
		obj, ok := val.(map[string]any)
		if !ok {
			return refTypeError(val, "a Structure")
		}
		return v.structure(id, obj)
	}
	return nil
}
