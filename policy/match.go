package policy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// actionKind is the compiled shape of an action pattern.
type actionKind uint8

const (
	actionAny    actionKind = iota // "*"
	actionExact                    // no wildcard
	actionPrefix                   // one trailing '*', like "kms:Describe*" or "kms:*"
	actionGlob                     // anything else
)

// actionPattern is one compiled value of Action or NotAction. Matching is
// case-insensitive.
type actionPattern struct {
	raw  string
	kind actionKind
	lit  string // the exact text, or the prefix before the trailing '*'
}

// compileAction compiles an action pattern: "*" or <vendor>:<name>, where
// the vendor has letters, digits and '-', and the name letters, digits,
// '_', '-' and the wildcards '*' and '?'. It reports false for any other
// text.
func compileAction(v string) (actionPattern, bool) {
	a := actionPattern{raw: v}
	if v == "*" {
		a.kind = actionAny
		return a, true
	}
	vendor, name, ok := strings.Cut(v, ":")
	if !ok || vendor == "" || name == "" {
		return a, false
	}
	for i := 0; i < len(vendor); i++ {
		if c := vendor[i]; !(isAlnum(c) || c == '-') {
			return a, false
		}
	}
	wild := strings.IndexAny(name, "*?")
	for i := 0; i < len(name); i++ {
		if c := name[i]; !(isAlnum(c) || c == '_' || c == '-' || c == '*' || c == '?') {
			return a, false
		}
	}
	switch {
	case wild < 0:
		a.kind, a.lit = actionExact, v
	case wild == len(name)-1 && name[wild] == '*':
		a.kind, a.lit = actionPrefix, v[:len(v)-1]
	default:
		a.kind = actionGlob
	}
	return a, true
}

func (a *actionPattern) match(action string) bool {
	switch a.kind {
	case actionAny:
		return true
	case actionExact:
		return equalFoldASCII(a.lit, action)
	case actionPrefix:
		return len(action) >= len(a.lit) && equalFoldASCII(a.lit, action[:len(a.lit)])
	}
	return glob(a.raw, 0, len(a.raw), action, 0, len(action), false, true)
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFoldASCII compares a and b, folding ASCII letters only.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

// byteSeq lets the matchers run over a string from the compiled policy or
// over a stack buffer holding a value with its policy variables
// substituted.
type byteSeq interface{ ~string | ~[]byte }

// glob reports whether s[si:se] matches the pattern p[pi:pe], where '*'
// matches any sequence and '?' one character. With esc, a backslash makes
// the next pattern byte literal. With fold, ASCII letters match
// case-insensitively.
func glob[P byteSeq](p P, pi, pe int, s string, si, se int, esc, fold bool) bool {
	starP, starS := -1, 0
	for {
		if pi < pe {
			c := p[pi]
			switch {
			case c == '*':
				pi++
				if pi == pe {
					return true
				}
				starP, starS = pi, si
				continue
			case c == '?':
				if si < se {
					si += runeWidth(s, si, se)
					pi++
					continue
				}
			default:
				n := 1
				if esc && c == '\\' && pi+1 < pe {
					c, n = p[pi+1], 2
				}
				if si < se && (s[si] == c || fold && lowerASCII(s[si]) == lowerASCII(c)) {
					pi += n
					si++
					continue
				}
			}
		} else if si == se {
			return true
		}
		if starP < 0 || starS >= se {
			return false
		}
		starS += runeWidth(s, starS, se)
		pi, si = starP, starS
	}
}

func runeWidth(s string, i, end int) int {
	if s[i] < utf8.RuneSelf {
		return 1
	}
	_, n := utf8.DecodeRuneInString(s[i:end])
	return n
}

// colons records the offsets of the first five unescaped ':' of p in pos
// and returns how many it found.
func colons[P byteSeq](p P, esc bool, pos *[5]int) int {
	n := 0
	for i := 0; i < len(p) && n < 5; i++ {
		switch p[i] {
		case '\\':
			if esc {
				i++
			}
		case ':':
			pos[n] = i
			n++
		}
	}
	return n
}

// arnMatch matches an ARN against an ARN pattern the way ArnLike and the
// Resource element do: each of the six colon-separated fields is matched
// separately, so wildcards never span a ':' of the first five; the last
// field (the resource) may itself contain ':'. A pattern with fewer than
// six fields is matched against the whole value.
func arnMatch[P byteSeq](p P, s string, esc bool) bool {
	var pc, sc [5]int
	if colons(p, esc, &pc) < 5 {
		return glob(p, 0, len(p), s, 0, len(s), esc, false)
	}
	if colons(s, false, &sc) < 5 {
		return false
	}
	ps, ss := 0, 0
	for k := 0; k < 5; k++ {
		if !glob(p, ps, pc[k], s, ss, sc[k], esc, false) {
			return false
		}
		ps, ss = pc[k]+1, sc[k]+1
	}
	return glob(p, ps, len(p), s, ss, len(s), esc, false)
}

// equalFoldBytes is strings.EqualFold for a byte slice and a string.
func equalFoldBytes(b []byte, s string) bool {
	for len(b) > 0 && len(s) > 0 {
		var r1, r2 rune
		var n1, n2 int
		if b[0] < utf8.RuneSelf {
			r1, n1 = rune(b[0]), 1
		} else {
			r1, n1 = utf8.DecodeRune(b)
		}
		if s[0] < utf8.RuneSelf {
			r2, n2 = rune(s[0]), 1
		} else {
			r2, n2 = utf8.DecodeRuneInString(s)
		}
		b, s = b[n1:], s[n2:]
		if r1 == r2 {
			continue
		}
		if r2 < r1 {
			r1, r2 = r2, r1
		}
		if r2 < utf8.RuneSelf {
			if 'A' <= r1 && r1 <= 'Z' && r2 == r1+'a'-'A' {
				continue
			}
			return false
		}
		r := unicode.SimpleFold(r1)
		for r != r1 && r < r2 {
			r = unicode.SimpleFold(r)
		}
		if r != r2 {
			return false
		}
	}
	return len(b) == len(s)
}

// partKind is the kind of one piece of a value with policy variables.
type partKind uint8

const (
	partText    partKind = iota // policy text; wildcards keep their meaning
	partLiteral                 // ${*}, ${?} or ${$}: a literal character
	partVar                     // ${key} or ${key, 'default'}
)

type part struct {
	kind   partKind
	s      string // text, the literal character, or the lower-cased key
	def    string
	hasDef bool
}

// pattern is a compiled string value of Resource, NotResource or a
// String*/Arn* condition. When the document's Version is 2012-10-17 and
// the value contains policy variables, parts holds it split into text and
// variables, resolved against the request context at evaluation time.
type pattern struct {
	text  string
	parts []part
}

// compileVariables splits text into parts. It returns nil when text has no
// policy variable. A "${" that does not start a well-formed variable is
// ordinary text.
func compileVariables(text string) []part {
	var parts []part
	last := 0 // start of pending text
	for i := 0; i+1 < len(text); i++ {
		if text[i] != '$' || text[i+1] != '{' {
			continue
		}
		end := strings.IndexByte(text[i+2:], '}')
		if end < 0 {
			break
		}
		body := text[i+2 : i+2+end]
		p, ok := parseVariable(body)
		if !ok {
			continue
		}
		if i > last {
			parts = append(parts, part{kind: partText, s: text[last:i]})
		}
		parts = append(parts, p)
		i += 2 + end
		last = i + 1
	}
	if parts == nil {
		return nil
	}
	if last < len(text) {
		parts = append(parts, part{kind: partText, s: text[last:]})
	}
	return parts
}

// parseVariable parses the inside of ${...}: one of *, ?, $, or a
// condition key name optionally followed by a comma and a default value in
// single quotes.
func parseVariable(body string) (part, bool) {
	switch body {
	case "*", "?", "$":
		return part{kind: partLiteral, s: body}, true
	}
	name, def, hasDef := strings.Cut(body, ",")
	name = strings.TrimSpace(name)
	if name == "" || strings.ContainsAny(name, " \t'${") {
		return part{}, false
	}
	p := part{kind: partVar, s: strings.ToLower(name)}
	if hasDef {
		def = strings.TrimSpace(def)
		if len(def) < 2 || def[0] != '\'' || def[len(def)-1] != '\'' || strings.Contains(def[1:len(def)-1], "'") {
			return part{}, false
		}
		p.def, p.hasDef = def[1:len(def)-1], true
	}
	return p, true
}

// resolve appends the value of p, variables substituted from ctx, to buf.
// With esc, the result is a pattern for glob/arnMatch in escape mode:
// substituted text has '*', '?' and '\' escaped, policy text only '\'. It
// reports false when a variable has no single value and no default.
func (p *pattern) resolve(buf []byte, ctx *Context, esc bool) ([]byte, bool) {
	for i := range p.parts {
		pt := &p.parts[i]
		v := pt.s
		switch pt.kind {
		case partText:
			if esc {
				buf = appendEscaped(buf, v, false)
			} else {
				buf = append(buf, v...)
			}
			continue
		case partVar:
			e := ctx.find(pt.s)
			switch {
			case e != nil && len(e.values) == 1:
				v = e.values[0].s
			case pt.hasDef:
				v = pt.def
			default:
				return buf, false
			}
		}
		if esc {
			buf = appendEscaped(buf, v, true)
		} else {
			buf = append(buf, v...)
		}
	}
	return buf, true
}

// appendEscaped appends v escaping '\' and, with wild, '*' and '?'.
func appendEscaped(buf []byte, v string, wild bool) []byte {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\\' || wild && (c == '*' || c == '?') {
			buf = append(buf, '\\')
		}
		buf = append(buf, c)
	}
	return buf
}

// resolveBuf is the size of the stack buffer used to substitute policy
// variables; longer values fall back to the heap.
const resolveBuf = 256

// equal reports whether s equals p (case-insensitively with fold).
func (p *pattern) equal(s string, ctx *Context, fold bool) bool {
	if p.parts == nil {
		if fold {
			return strings.EqualFold(p.text, s)
		}
		return p.text == s
	}
	var arr [resolveBuf]byte
	buf, ok := p.resolve(arr[:0], ctx, false)
	if !ok {
		return false
	}
	if fold {
		return equalFoldBytes(buf, s)
	}
	return string(buf) == s
}

// like reports whether s matches p with '*' and '?' wildcards.
func (p *pattern) like(s string, ctx *Context) bool {
	if p.parts == nil {
		return glob(p.text, 0, len(p.text), s, 0, len(s), false, false)
	}
	var arr [resolveBuf]byte
	buf, ok := p.resolve(arr[:0], ctx, true)
	return ok && glob(buf, 0, len(buf), s, 0, len(s), true, false)
}

// arn reports whether the ARN s matches p field by field.
func (p *pattern) arn(s string, ctx *Context) bool {
	if p.parts == nil {
		if p.text == "*" {
			return true
		}
		return arnMatch(p.text, s, false)
	}
	var arr [resolveBuf]byte
	buf, ok := p.resolve(arr[:0], ctx, true)
	return ok && arnMatch(buf, s, true)
}
