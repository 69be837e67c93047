package keystore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
	"errors"
)

// AES key wrap (RFC 3394) and AES key wrap with padding (RFC 5649), which
// KMS's RSA_AES_KEY_WRAP_SHA_* wrapping algorithms use for the key
// material after an RSA-OAEP wrapped AES key (PKCS #11
// CKM_RSA_AES_KEY_WRAP). Neither the standard library nor
// golang.org/x/crypto has them.

// ErrKeyWrap is returned by the unwrap functions for input that is not a
// valid wrapping under the key. It says nothing about the key or the
// data.
var ErrKeyWrap = errors.New("keystore: AES key unwrap failed")

// rfc3394IV is the default initial value of RFC 3394 §2.2.3.1.
var rfc3394IV = [8]byte{0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6}

// rfc5649IV is the 32-bit constant of the alternative initial value of
// RFC 5649 §3.
var rfc5649IV = [4]byte{0xA6, 0x59, 0x59, 0xA6}

// wrapCore is the wrapping process W of RFC 3394 §2.2.1 over the n
// 64-bit blocks of r with initial value a; it returns A ‖ R.
func wrapCore(b cipher.Block, a [8]byte, r []byte) []byte {
	n := len(r) / 8
	out := make([]byte, 8+len(r))
	copy(out[8:], r)
	var buf [16]byte
	for j := range 6 {
		for i := 1; i <= n; i++ {
			copy(buf[:8], a[:])
			copy(buf[8:], out[8*i:8*i+8])
			b.Encrypt(buf[:], buf[:])
			t := uint64(n*j + i)
			binary.BigEndian.PutUint64(a[:], binary.BigEndian.Uint64(buf[:8])^t)
			copy(out[8*i:], buf[8:])
		}
	}
	copy(out, a[:])
	return out
}

// unwrapCore is the unwrapping process W⁻¹ of RFC 3394 §2.2.2; it returns
// the recovered initial value and the plaintext blocks.
func unwrapCore(b cipher.Block, c []byte) ([8]byte, []byte) {
	n := len(c)/8 - 1
	var a [8]byte
	copy(a[:], c[:8])
	r := make([]byte, 8*n)
	copy(r, c[8:])
	var buf [16]byte
	for j := 5; j >= 0; j-- {
		for i := n; i >= 1; i-- {
			t := uint64(n*j + i)
			binary.BigEndian.PutUint64(buf[:8], binary.BigEndian.Uint64(a[:])^t)
			copy(buf[8:], r[8*(i-1):8*i])
			b.Decrypt(buf[:], buf[:])
			copy(a[:], buf[:8])
			copy(r[8*(i-1):], buf[8:])
		}
	}
	return a, r
}

// KeyWrap wraps plaintext, a multiple of 8 bytes and at least 16, under
// the AES key kek (RFC 3394).
func KeyWrap(kek, plaintext []byte) ([]byte, error) {
	b, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	if len(plaintext) < 16 || len(plaintext)%8 != 0 {
		return nil, errors.New("keystore: KeyWrap needs a multiple of 8 bytes, at least 16")
	}
	return wrapCore(b, rfc3394IV, plaintext), nil
}

// KeyUnwrap reverses [KeyWrap]; it returns [ErrKeyWrap] when the
// integrity check fails.
func KeyUnwrap(kek, wrapped []byte) ([]byte, error) {
	b, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	if len(wrapped) < 24 || len(wrapped)%8 != 0 {
		return nil, ErrKeyWrap
	}
	a, r := unwrapCore(b, wrapped)
	if subtle.ConstantTimeCompare(a[:], rfc3394IV[:]) != 1 {
		clear(r)
		return nil, ErrKeyWrap
	}
	return r, nil
}

// KeyWrapPad wraps plaintext of any length from 1 byte under the AES key
// kek with padding (RFC 5649).
func KeyWrapPad(kek, plaintext []byte) ([]byte, error) {
	b, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	if len(plaintext) == 0 || uint64(len(plaintext)) > 0xFFFFFFFF {
		return nil, errors.New("keystore: KeyWrapPad needs 1 to 2^32-1 bytes")
	}
	var a [8]byte
	copy(a[:4], rfc5649IV[:])
	binary.BigEndian.PutUint32(a[4:], uint32(len(plaintext)))
	padded := make([]byte, (len(plaintext)+7)/8*8)
	copy(padded, plaintext)
	if len(padded) == 8 {
		// §4.1: one block is encrypted once with AES in ECB mode.
		out := make([]byte, 16)
		copy(out, a[:])
		copy(out[8:], padded)
		b.Encrypt(out, out)
		return out, nil
	}
	return wrapCore(b, a, padded), nil
}

// KeyUnwrapPad reverses [KeyWrapPad]; it returns [ErrKeyWrap] when the
// integrity check or the padding check fails.
func KeyUnwrapPad(kek, wrapped []byte) ([]byte, error) {
	b, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	if len(wrapped) < 16 || len(wrapped)%8 != 0 {
		return nil, ErrKeyWrap
	}
	var a [8]byte
	var r []byte
	if len(wrapped) == 16 {
		buf := make([]byte, 16)
		b.Decrypt(buf, wrapped)
		copy(a[:], buf[:8])
		r = buf[8:]
	} else {
		a, r = unwrapCore(b, wrapped)
	}
	// §3: check the constant, the length and the zero padding, without
	// telling which failed.
	mli := int(binary.BigEndian.Uint32(a[4:]))
	ok := subtle.ConstantTimeCompare(a[:4], rfc5649IV[:]) == 1 &&
		mli > len(r)-8 && mli <= len(r)
	if ok {
		var pad byte
		for _, c := range r[mli:] {
			pad |= c
		}
		ok = pad == 0
	}
	if !ok {
		clear(r)
		return nil, ErrKeyWrap
	}
	return r[:mli], nil
}
