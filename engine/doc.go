// Package engine is the KMS state machine: accounts and principals,
// keys in every Region of every partition, the links between related
// multi-Region keys, and the operations that change them, each with the
// checks, check order and errors of AWS KMS.
//
// Every KMS operation is a method named after it that takes the [Caller]
// (account, principal, Region) and a plain Go input, and returns a plain
// Go output or a [kmserrors] value:
//
//	out, err := e.ReplicateKey(caller, engine.ReplicateKeyInput{
//		KeyID:         "mrk-1234abcd12ab34cd56ef1234567890ab",
//		ReplicaRegion: "eu-west-1",
//	})
//
// # Determinism
//
// The engine reads time only from [Config.Clock] and randomness only from
// [Config.Rand]; it starts no goroutines and never sleeps. KMS's
// asynchronous steps — a replica leaving Creating, both keys leaving
// Updating, the end of a deletion window, automatic and on-demand key
// rotation, the expiry of imported key material — are scheduled
// transitions.
// Each operation first applies those due at the clock's current time, in
// (due time, sequence) order; [Engine.Pending] lists the rest. The same
// seed, clock and calls therefore give the same key IDs, states and
// [Engine.Events].
//
// # Atomicity and concurrency
//
// An Engine is safe for concurrent use. Each operation runs under one
// lock and checks everything before it changes anything, so it either
// happens whole or leaves no trace other than its event.
//
// # Errors
//
// Failures are values of the types in package
// github.com/kmsim/kmsim/errors (imported as kmserrors), matched with
// errors.As. Callers that fail authentication — unknown account or
// principal, a Region outside the account's partition, an opt-in Region
// the account has not enabled — get UnrecognizedClientException, as from
// AWS.
//
// # Inputs
//
// Optional members are plain values: an empty string, zero or false
// means the member was omitted and KMS's default applies. The HTTP and
// SDK fronts check "present but empty" against the API model before they
// call the engine.
//
// # Outputs
//
// An output belongs to the caller, with one exception: the event log
// keeps the outputs of the operations whose response CloudTrail records
// (see [Event]), so those must not be changed; CreateKey's is not kept
// (its event keeps what the response is rendered from, when asked).
// Reading many keys' metadata without keeping it, [Engine.DescribeKeyView]
// lends the metadata to a callback instead and allocates nothing, and
// [Engine.CreateKeyView] lends a new key's metadata, sparing the
// response; the HTTP and SDK fronts describe and create keys that way.
package engine
