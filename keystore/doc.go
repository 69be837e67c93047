// Package keystore holds KMS key records: their states, key specs and
// usages, tags, and the links between related multi-Region keys.
//
// The package is a plain data structure with no locking and no clock; the
// engine owns both and calls into a [Store] while it holds its lock.
//
// # Related keys
//
// A multi-Region primary and its replicas share one [Family]: the key ID,
// key spec, key usage, origin and the primary/replica designation live
// there once, so every related key reports the same values by
// construction. Independent properties (description, policy, tags, state,
// deletion schedule, creation date) live on each [Key].
//
// A single-Region key has a Family of its own with no replicas, which keeps
// the code paths for the two kinds of key the same.
package keystore
