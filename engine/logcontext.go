package engine

import "encoding/binary"

// The event log keeps the encryption contexts of cryptographic requests.
// Kept as maps, each logged request would leave a map and its strings for
// the garbage collector to trace for as long as the log holds it, and with
// a long log that tracing cost more than the AES-GCM of a 4 KiB Encrypt.
// So the log holds a context as one pointer-free byte slice, the encoding
// canonicalContext makes for the additional data, and Events turns it back
// into a map.

// loggedContext is an encryption context packed for the log; nil stands
// for no context and an empty non-nil slice for an empty one.
type loggedContext []byte

func packContext(ctx map[string]string) loggedContext {
	if ctx == nil {
		return nil
	}
	n := 0
	for k, v := range ctx {
		n += 8 + len(k) + len(v)
	}
	return canonicalContext(make([]byte, 0, n), ctx)
}

// unpack decodes c; it never fails on what packContext made.
func (c loggedContext) unpack() map[string]string {
	if c == nil {
		return nil
	}
	m := make(map[string]string)
	next := func() string {
		n := binary.BigEndian.Uint32(c)
		s := string(c[4 : 4+n])
		c = c[4+n:]
		return s
	}
	for len(c) > 0 {
		k := next()
		m[k] = next()
	}
	return m
}

// contextInput is a request with one or two encryption contexts, which
// withContexts puts back into a copy of it.
type contextInput interface {
	withContexts(a, b map[string]string) any
}

// packedInput is a logged request whose contexts are packed.
type packedInput[T contextInput] struct {
	in   T
	a, b loggedContext
}

func (p packedInput[T]) unpack() any { return p.in.withContexts(p.a.unpack(), p.b.unpack()) }

// unpacker is implemented by logged values that Events expands.
type unpacker interface{ unpack() any }

func (in EncryptInput) withContexts(a, _ map[string]string) any {
	in.EncryptionContext = a
	return in
}

func (in DecryptInput) withContexts(a, _ map[string]string) any {
	in.EncryptionContext = a
	return in
}

func (in GenerateDataKeyInput) withContexts(a, _ map[string]string) any {
	in.EncryptionContext = a
	return in
}

func (in GenerateDataKeyWithoutPlaintextInput) withContexts(a, _ map[string]string) any {
	in.EncryptionContext = a
	return in
}

func (in GenerateDataKeyPairInput) withContexts(a, _ map[string]string) any {
	in.EncryptionContext = a
	return in
}

func (in GenerateDataKeyPairWithoutPlaintextInput) withContexts(a, _ map[string]string) any {
	in.EncryptionContext = a
	return in
}

func (in ReEncryptInput) withContexts(a, b map[string]string) any {
	in.SourceEncryptionContext, in.DestinationEncryptionContext = a, b
	return in
}
