package region

import (
	"crypto/rand"
	"fmt"
	"io"
)

// keyIDLen is the length of both key ID forms: a hyphenated UUID and
// "mrk-" followed by 32 hex digits.
const keyIDLen = 36

// mrkPrefix starts every multi-Region key ID.
const mrkPrefix = "mrk-"

// hexDigit[c] reports whether byte c is a hex digit in either case.
var hexDigit = [256]bool{
	'0': true, '1': true, '2': true, '3': true, '4': true,
	'5': true, '6': true, '7': true, '8': true, '9': true,
	'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true,
	'A': true, 'B': true, 'C': true, 'D': true, 'E': true, 'F': true,
}

// IsKeyID reports whether s has the form of a KMS key ID: a single-Region
// key ID (a UUID, 8-4-4-4-12 hex digits) or a multi-Region key ID (see
// [IsMultiRegionKeyID]). Hex digits are accepted in either case; key
// lookup stays case-sensitive. The version and variant bits of a UUID are
// not checked.
func IsKeyID(s string) bool {
	if len(s) != keyIDLen {
		return false
	}
	if s[:len(mrkPrefix)] == mrkPrefix {
		return allHex(s[len(mrkPrefix):])
	}
	return s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-' &&
		allHex(s[:8]) && allHex(s[9:13]) && allHex(s[14:18]) && allHex(s[19:23]) && allHex(s[24:])
}

// IsMultiRegionKeyID reports whether s has the form of a multi-Region key
// ID: "mrk-" followed by 32 hex digits in either case. The prefix itself
// must be lowercase.
func IsMultiRegionKeyID(s string) bool {
	return len(s) == keyIDLen && s[:len(mrkPrefix)] == mrkPrefix && allHex(s[len(mrkPrefix):])
}

// allHex reports whether every byte of s is a hex digit.
func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !hexDigit[s[i]] {
			return false
		}
	}
	return true
}

// NewKeyID returns a new key ID made from 16 bytes read from r, with the
// UUID version 4 and variant bits set. For a single-Region key it is the
// lowercase hyphenated UUID, such as "1234abcd-12ab-44cd-96ef-1234567890ab";
// for a multi-Region key it is "mrk-" followed by the same 32 lowercase hex
// digits without hyphens. The same bytes from r always give the same ID.
//
// A nil r means crypto/rand.Reader, as in the engine's configuration.
// NewKeyID fails only when reading from r fails; the error wraps the read
// error (io.ErrUnexpectedEOF if r ends early).
func NewKeyID(r io.Reader, multiRegion bool) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	var u [16]byte
	if _, err := io.ReadFull(r, u[:]); err != nil {
		return "", fmt.Errorf("region: reading random bytes for a key ID: %w", err)
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant

	const digits = "0123456789abcdef"
	var buf [keyIDLen]byte
	n := 0
	if multiRegion {
		n = copy(buf[:], mrkPrefix)
	}
	for i, c := range u {
		if !multiRegion && (i == 4 || i == 6 || i == 8 || i == 10) {
			buf[n] = '-'
			n++
		}
		buf[n] = digits[c>>4]
		buf[n+1] = digits[c&0x0f]
		n += 2
	}
	return string(buf[:n]), nil
}
