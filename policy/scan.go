package policy

import (
	"strconv"
	"unicode/utf8"
)

// scanner reads a JSON text in a single pass without building a generic
// tree. The policy parser drives it element by element. Strings without
// escapes are returned as substrings of the input, so reading them does not
// allocate. The first syntax error is kept in syn (with its byte offset in
// at); every method is a no-op reporting failure once it is set.
type scanner struct {
	s   string
	i   int
	syn string
	at  int
}

// fail records a syntax error at byte offset at unless one is recorded.
func (sc *scanner) fail(at int, msg string) {
	if sc.syn == "" {
		sc.syn = msg
		sc.at = at
	}
}

// position returns the 1-based line and column (in bytes) of offset at.
func (sc *scanner) position(at int) (line, col int) {
	line, start := 1, 0
	for i := 0; i < at && i < len(sc.s); i++ {
		if sc.s[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return line, at - start + 1
}

// syntaxMessage formats the recorded syntax error for users.
func (sc *scanner) syntaxMessage() string {
	line, col := sc.position(sc.at)
	return "The policy is not valid JSON: " + sc.syn + " (line " + strconv.Itoa(line) +
		", column " + strconv.Itoa(col) + ")."
}

// peek skips JSON white space and returns the next byte, or 0 at the end.
func (sc *scanner) peek() byte {
	for sc.i < len(sc.s) {
		switch c := sc.s[sc.i]; c {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return c
		}
	}
	return 0
}

// open consumes the opening byte c ('{' or '[') that peek has returned.
func (sc *scanner) open() { sc.i++ }

// member advances to the next member of an object whose '{' has been
// consumed. first must be true for the first call. It returns the member
// name with the ':' consumed, or ok=false at the closing '}' (consumed) or
// on a syntax error.
func (sc *scanner) member(first *bool) (name string, ok bool) {
	c := sc.peek()
	if c == '}' {
		sc.i++
		return "", false
	}
	if sc.i >= len(sc.s) {
		sc.fail(sc.i, "unexpected end of input")
		return "", false
	}
	if !*first {
		if c != ',' {
			sc.fail(sc.i, "expected ',' or '}' after an object member")
			return "", false
		}
		sc.i++
		c = sc.peek()
	}
	*first = false
	if c != '"' {
		if sc.i >= len(sc.s) {
			sc.fail(sc.i, "unexpected end of input")
			return "", false
		}
		sc.fail(sc.i, "expected a string as object member name")
		return "", false
	}
	name, ok = sc.str()
	if !ok {
		return "", false
	}
	if sc.peek() != ':' {
		sc.fail(sc.i, "expected ':' after an object member name")
		return "", false
	}
	sc.i++
	return name, true
}

// element advances to the next element of an array whose '[' has been
// consumed. It returns false at the closing ']' (consumed) or on a syntax
// error.
func (sc *scanner) element(first *bool) bool {
	c := sc.peek()
	if c == ']' {
		sc.i++
		return false
	}
	if sc.i >= len(sc.s) {
		sc.fail(sc.i, "unexpected end of input")
		return false
	}
	if !*first {
		if c != ',' {
			sc.fail(sc.i, "expected ',' or ']' after an array element")
			return false
		}
		sc.i++
		if sc.peek() == ']' {
			sc.fail(sc.i, "expected a value after ','")
			return false
		}
	}
	*first = false
	return true
}

// plain marks the bytes a string may contain without further checks:
// printable ASCII other than '"' and '\'.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str reads a string; the scanner must be at its opening quote.
func (sc *scanner) str() (string, bool) {
	s := sc.s
	start := sc.i + 1
	for i := start; i < len(s); {
		c := s[i]
		if plain[c] {
			i++
			continue
		}
		switch {
		case c == '"':
			sc.i = i + 1
			return s[start:i], true
		case c == '\\':
			return sc.strEscaped(start, i)
		case c < 0x20:
			sc.fail(i, "control character in a string")
			return "", false
		case c < utf8.RuneSelf:
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				sc.fail(i, "invalid UTF-8 in a string")
				return "", false
			}
			i += n
		}
	}
	sc.fail(len(s), "unterminated string")
	return "", false
}

// strEscaped finishes reading a string that contains escapes; start is the
// offset after the opening quote and i the offset of the first backslash.
// Lone UTF-16 surrogates decode to U+FFFD, as encoding/json does.
func (sc *scanner) strEscaped(start, i int) (string, bool) {
	s := sc.s
	buf := make([]byte, 0, i-start+16)
	buf = append(buf, s[start:i]...)
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			sc.i = i + 1
			return string(buf), true
		case c == '\\':
			if i+1 >= len(s) {
				sc.fail(len(s), "unterminated string")
				return "", false
			}
			e := s[i+1]
			i += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := hex4(s, i)
				if !ok {
					sc.fail(i-2, `invalid \u escape`)
					return "", false
				}
				i += 4
				if r >= 0xD800 && r < 0xDC00 {
					// High surrogate: a low one must follow.
					if lo, ok := hex4(s, i+2); ok && i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' && lo >= 0xDC00 && lo < 0xE000 {
						r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
						i += 6
					} else {
						r = utf8.RuneError
					}
				} else if r >= 0xDC00 && r < 0xE000 {
					r = utf8.RuneError
				}
				buf = utf8.AppendRune(buf, r)
			default:
				sc.fail(i-2, "invalid escape sequence in a string")
				return "", false
			}
		case c < 0x20:
			sc.fail(i, "control character in a string")
			return "", false
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				sc.fail(i, "invalid UTF-8 in a string")
				return "", false
			}
			buf = append(buf, s[i:i+n]...)
			i += n
		}
	}
	sc.fail(len(s), "unterminated string")
	return "", false
}

// hex4 decodes four hexadecimal digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i < 0 || i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// number reads a JSON number and returns its text.
func (sc *scanner) number() (string, bool) {
	s, i := sc.s, sc.i
	start := i
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		sc.fail(start, "invalid value")
		return "", false
	}
	if i < len(s) && s[i] == '.' {
		i++
		d := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			sc.fail(i, "invalid number: digit expected after '.'")
			return "", false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		d := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == d {
			sc.fail(i, "invalid number: digit expected in the exponent")
			return "", false
		}
	}
	sc.i = i
	return s[start:i], true
}

// literal reads true, false or null.
func (sc *scanner) literal() (string, bool) {
	for _, w := range [...]string{"true", "false", "null"} {
		if len(sc.s)-sc.i >= len(w) && sc.s[sc.i:sc.i+len(w)] == w {
			sc.i += len(w)
			return w, true
		}
	}
	sc.fail(sc.i, "invalid value")
	return "", false
}

// kind names a JSON value type for messages.
func kind(c byte) string {
	switch c {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case 0:
		return "nothing"
	}
	return "a number"
}

// skip reads one JSON value of any type, checking its syntax. It keeps an
// explicit stack, so deeply nested input cannot exhaust the goroutine
// stack.
func (sc *scanner) skip() {
	var stackBuf [32]byte
	stack := stackBuf[:0]
	for sc.syn == "" {
		c := sc.peek()
		switch c {
		case '{':
			sc.i++
			if sc.peek() == '}' {
				sc.i++
				break
			}
			stack = append(stack, '{')
			if !sc.memberName() {
				return
			}
			continue
		case '[':
			sc.i++
			if sc.peek() == ']' {
				sc.i++
				break
			}
			stack = append(stack, '[')
			continue
		case '"':
			if _, ok := sc.str(); !ok {
				return
			}
		case 't', 'f', 'n':
			if _, ok := sc.literal(); !ok {
				return
			}
		case 0:
			if sc.i >= len(sc.s) {
				sc.fail(sc.i, "unexpected end of input")
				return
			}
			fallthrough
		default:
			if _, ok := sc.number(); !ok {
				return
			}
		}
		// A value is complete: close finished containers, then move to
		// the next value.
		for {
			if len(stack) == 0 {
				return
			}
			top := stack[len(stack)-1]
			c := sc.peek()
			if c == ',' {
				sc.i++
				if top == '{' && !sc.memberName() {
					return
				}
				break
			}
			if (top == '{' && c == '}') || (top == '[' && c == ']') {
				sc.i++
				stack = stack[:len(stack)-1]
				continue
			}
			if top == '{' {
				sc.fail(sc.i, "expected ',' or '}' after an object member")
			} else {
				sc.fail(sc.i, "expected ',' or ']' after an array element")
			}
			return
		}
	}
}

// memberName reads `"name" :` inside skip.
func (sc *scanner) memberName() bool {
	if sc.peek() != '"' {
		sc.fail(sc.i, "expected a string as object member name")
		return false
	}
	if _, ok := sc.str(); !ok {
		return false
	}
	if sc.peek() != ':' {
		sc.fail(sc.i, "expected ':' after an object member name")
		return false
	}
	sc.i++
	return true
}
