// Package policy holds KMS key policies: for now the default key policy
// that CreateKey and ReplicateKey apply when the request has none.
//
// Parsing, validation and evaluation of policy documents come with the
// key-policy work; the engine stores documents verbatim until then.
package policy
