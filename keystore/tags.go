package keystore

import (
	"slices"
	"strings"
)

// Tag is one resource tag.
type Tag struct {
	Key   string `json:"tagKey"`
	Value string `json:"tagValue"`
}

// Tags is a key's tag set, sorted by Key with unique keys.
type Tags []Tag

// MaxTags is the KMS limit on user tags per key.
const MaxTags = 50

func (t Tags) find(key string) (int, bool) {
	return slices.BinarySearchFunc(t, key, func(e Tag, k string) int { return strings.Compare(e.Key, k) })
}

// Get returns the value of key.
func (t Tags) Get(key string) (string, bool) {
	if i, ok := t.find(key); ok {
		return t[i].Value, true
	}
	return "", false
}

// With returns a new set holding t overlaid with add (later values win).
// t itself is not modified, so a caller can check the result before it
// commits to it.
func (t Tags) With(add []Tag) Tags {
	out := slices.Clone(t)
	for _, a := range add {
		if i, ok := out.find(a.Key); ok {
			out[i].Value = a.Value
		} else {
			out = slices.Insert(out, i, a)
		}
	}
	return out
}

// Without returns a new set without the given keys; absent keys are ignored.
func (t Tags) Without(keys []string) Tags {
	out := slices.Clone(t)
	for _, k := range keys {
		if i, ok := out.find(k); ok {
			out = slices.Delete(out, i, i+1)
		}
	}
	return out
}
