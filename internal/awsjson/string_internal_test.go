package awsjson

import (
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// refAppendString is appendString one byte at a time, without the
// eight-byte scan: the reference the tests below hold it to.
func refAppendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case plain[c]:
				b = append(b, c)
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\b':
				b = append(b, '\\', 'b')
			case c == '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// TestSkipPlainWordsEveryByte puts every byte value at every position of a
// word of plain bytes, and of strings around it, so that a wrong mask
// or a borrow between bytes shows.
func TestSkipPlainWordsEveryByte(t *testing.T) {
	for c := range 256 {
		for pos := range 8 {
			w := []byte("abcdefgh")
			w[pos] = byte(c)
			want := 8 // past the word, or at its start
			if !plain[c] {
				want = 0
			}
			if got := skipPlainWords(string(w), 0); got != want {
				t.Errorf("skipPlainWords with %#x at %d = %d, want %d", c, pos, got, want)
			}
			for _, s := range []string{string(w), "0123456789" + string(w) + "xyz", strings.Repeat(string(w), 3)} {
				if got, want := string(appendString(nil, s)), string(refAppendString(nil, s)); got != want {
					t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
				}
			}
		}
	}
}

func TestAppendStringMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(
			rapid.String(),
			rapid.StringMatching(`[ -~]{0,40}`),
			rapid.Map(rapid.SliceOf(rapid.Byte()), func(b []byte) string { return string(b) }),
		).Draw(t, "s")
		if got, want := string(appendString(nil, s)), string(refAppendString(nil, s)); got != want {
			t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}

// BenchmarkAppendString writes the strings of a DescribeKey response:
// ARNs, IDs and enum values, all plain ASCII.
func BenchmarkAppendString(b *testing.B) {
	strs := []string{
		"111122223333", "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
		"SYMMETRIC_DEFAULT", "Enabled", "ENCRYPT_DECRYPT", "mrk-1234abcd12ab34cd56ef1234567890ab",
		"CUSTOMER", "AWS_KMS", "PRIMARY", "us-east-1", "",
	}
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = buf[:0]
		for _, s := range strs {
			buf = appendString(buf, s)
		}
	}
}
