package kmsmodel

import (
	"slices"
	"strings"
)

// kind is the type of a model shape.
type kind uint8

const (
	kindString kind = iota + 1
	kindInteger
	kindLong
	kindBoolean
	kindBlob
	kindTimestamp
	kindList
	kindMap
	kindStructure
)

// shapeID indexes shapes; the generated constants are named s<ShapeName>.
type shapeID uint16

// noShape marks an operation without an input shape.
const noShape = ^shapeID(0)

// shape is one shape of the model reachable from an operation input.
type shape struct {
	name      string
	kind      kind
	sensitive bool
	// min and max bound the length of a string (characters), blob
	// (bytes), list or map (entries), or the value of an integer; -1 means
	// no bound.
	min, max int64
	// pattern is the regular expression as the model writes it (Java
	// syntax; quoted in messages), goPattern its anchored RE2 translation.
	pattern, goPattern string
	enum               []string // allowed values in model order
	members            []member // structure members in model order
	elem               shapeID  // list member or map value
	key                shapeID  // map key
}

// member is a structure member.
type member struct {
	name     string  // as on the wire, e.g. "KeyId"
	path     string  // as in validation messages, e.g. "keyId"
	shape    shapeID // target shape
	required bool
}

// opInfo is one operation of the model.
type opInfo struct {
	name   string
	input  shapeID // noShape: none
	output string  // output shape name; "" none
	errors []string
}

// Operation describes one KMS API operation.
type Operation struct {
	Name string
	// Errors lists the error codes the model declares for the operation,
	// in model order, e.g. "NotFoundException".
	Errors []string
}

// Operations returns the names of all operations of the model (54 for the
// 2014-11-01 API), sorted. The caller may modify the slice.
func Operations() []string {
	names := make([]string, len(operations))
	for i := range operations {
		names[i] = operations[i].name
	}
	return names
}

// Lookup describes the operation named name, e.g. "ReplicateKey". Names
// are case-sensitive. The caller may modify the returned Errors slice.
func Lookup(name string) (Operation, bool) {
	o, ok := lookupOp(name)
	if !ok {
		return Operation{}, false
	}
	return Operation{Name: o.name, Errors: slices.Clone(o.errors)}, true
}

// Known reports whether the model has an operation named name, as
// Lookup does but without copying its error list.
func Known(name string) bool {
	_, ok := lookupOp(name)
	return ok
}

func lookupOp(name string) (*opInfo, bool) {
	i, ok := slices.BinarySearchFunc(operations[:], name, func(o opInfo, n string) int {
		return strings.Compare(o.name, n)
	})
	if !ok {
		return nil, false
	}
	return &operations[i], true
}
