package policy

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// The two values of the Version element.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Document is a compiled policy document: a key policy from [Parse] or
// [Validate], or an IAM identity-based policy from [ParseIdentity]. It is
// immutable and safe for concurrent use; evaluating it never parses text
// again. The zero value is a key policy without statements, which allows
// nothing.
type Document struct {
	version  string // "" when the element is absent
	id       string
	hasID    bool
	identity bool
	stmts    []statement
	// rule6 is the message of the first rule-6 violation (ForAllValues
	// with a single-valued key), checked by Validate after rule 5.
	rule6 string

	// The explanations of evaluation results, built on first use.
	explainOnce sync.Once
	expl        *explanations
}

// statement is one compiled statement.
type statement struct {
	sid    string
	hasSid bool
	effect Effect

	hasPrincipal bool
	notPrincipal bool
	principal    principalSet

	hasAction bool
	notAction bool
	actions   []actionPattern

	hasResource bool
	notResource bool
	resources   []pattern

	conds []condition
}

// Statements returns the number of statements in d.
func (d *Document) Statements() int {
	if d == nil {
		return 0
	}
	return len(d.stmts)
}

// Version returns the Version element, or "" when the document has none
// (which KMS reads as 2008-10-17).
func (d *Document) Version() string {
	if d == nil {
		return ""
	}
	return d.version
}

// Identity reports whether d is an IAM identity-based policy, parsed by
// [ParseIdentity], rather than a key policy.
func (d *Document) Identity() bool { return d != nil && d.identity }

// variables reports whether policy variables are expanded in d.
func (d *Document) variables() bool { return d.version == Version2012 }

// Equal reports whether d and o are the same document up to formatting:
// white space, the order of object members, escapes in strings, a single
// value versus a one-element list and a single Statement object versus a
// one-element array. The order of statements and of list values matters.
// Two nil documents are equal.
func (d *Document) Equal(o *Document) bool {
	if d == nil || o == nil {
		return d == o
	}
	return d.identity == o.identity && d.String() == o.String()
}

// String returns the canonical JSON text of d: compact, elements in the
// order Version, Id, Statement and Sid, Effect, Principal or NotPrincipal,
// Action or NotAction, Resource or NotResource, Condition; principal types,
// condition operators and condition keys sorted; one-element lists written
// as single values and condition values always as strings. Parsing the
// result gives a document Equal to d.
func (d *Document) String() string {
	if d == nil {
		return ""
	}
	var b strings.Builder
	b.WriteByte('{')
	sep := ""
	if d.version != "" {
		b.WriteString(`"Version":`)
		writeJSONString(&b, d.version)
		sep = ","
	}
	if d.hasID {
		b.WriteString(sep + `"Id":`)
		writeJSONString(&b, d.id)
		sep = ","
	}
	b.WriteString(sep + `"Statement":[`)
	for i := range d.stmts {
		if i > 0 {
			b.WriteByte(',')
		}
		d.stmts[i].write(&b)
	}
	b.WriteString("]}")
	return b.String()
}

func (st *statement) write(b *strings.Builder) {
	b.WriteByte('{')
	if st.hasSid {
		b.WriteString(`"Sid":`)
		writeJSONString(b, st.sid)
		b.WriteByte(',')
	}
	if st.effect == Deny {
		b.WriteString(`"Effect":"Deny"`)
	} else {
		b.WriteString(`"Effect":"Allow"`)
	}
	if st.hasPrincipal {
		if st.notPrincipal {
			b.WriteString(`,"NotPrincipal":`)
		} else {
			b.WriteString(`,"Principal":`)
		}
		st.principal.write(b)
	}
	if st.hasAction {
		if st.notAction {
			b.WriteString(`,"NotAction":`)
		} else {
			b.WriteString(`,"Action":`)
		}
		writeList(b, len(st.actions), func(i int) string { return st.actions[i].raw })
	}
	if st.hasResource {
		if st.notResource {
			b.WriteString(`,"NotResource":`)
		} else {
			b.WriteString(`,"Resource":`)
		}
		writeList(b, len(st.resources), func(i int) string { return st.resources[i].text })
	}
	if len(st.conds) > 0 {
		b.WriteString(`,"Condition":{`)
		order := make([]int, len(st.conds))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(x, y int) int {
			cx, cy := &st.conds[x], &st.conds[y]
			if c := strings.Compare(cx.opName, cy.opName); c != 0 {
				return c
			}
			if c := strings.Compare(cx.key, cy.key); c != 0 {
				return c
			}
			return strings.Compare(cx.keyName, cy.keyName)
		})
		prevOp := ""
		for n, i := range order {
			c := &st.conds[i]
			if n == 0 || c.opName != prevOp {
				if n > 0 {
					b.WriteString("},")
				}
				writeJSONString(b, c.opName)
				b.WriteString(":{")
				prevOp = c.opName
			} else {
				b.WriteByte(',')
			}
			writeJSONString(b, c.keyName)
			b.WriteByte(':')
			writeList(b, len(c.values), func(i int) string { return c.values[i].text })
		}
		b.WriteString("}}")
	}
	b.WriteByte('}')
}

// writeList writes n strings as a single JSON string when n is 1 and as an
// array otherwise.
func writeList(b *strings.Builder, n int, at func(int) string) {
	if n == 1 {
		writeJSONString(b, at(0))
		return
	}
	b.WriteByte('[')
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(b, at(i))
	}
	b.WriteByte(']')
}

// writeJSONString writes s as a JSON string. Invalid UTF-8, which Parse
// never produces, is written as U+FFFD.
func writeJSONString(b *strings.Builder, s string) {
	const hexDigits = "0123456789abcdef"
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || n != 1 {
				i += n
				continue
			}
			b.WriteString(s[start:i])
			b.WriteString("\ufffd")
			i++
			start = i
			continue
		}
		b.WriteString(s[start:i])
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xF])
		}
		i++
		start = i
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// statementLabel names statement i for messages: #i followed by the Sid
// in parentheses when there is one.
func statementLabel(i int, sid string, hasSid bool) string {
	if hasSid {
		return "Statement #" + strconv.Itoa(i) + " (" + strconv.Quote(sid) + ")"
	}
	return "Statement #" + strconv.Itoa(i)
}
