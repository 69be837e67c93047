package policy

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Context holds the condition-key values of a request (kms:CallerAccount,
// kms:ViaService, aws:PrincipalArn, kms:EncryptionContext:<key>, ...).
// Key names are case-insensitive; values are kept as given. A key may have
// several values (kms:EncryptionContextKeys, aws:TagKeys).
//
// A Context is a value: its methods never modify the receiver, and the
// zero value is an empty context. Every value is parsed once, when it is
// added, as a number, a date, a Boolean and an IP address, so that
// evaluating conditions needs neither parsing nor allocation: lookups are a
// binary search over a slice sorted by lower-cased key.
type Context struct {
	entries []contextEntry // sorted by key
}

type contextEntry struct {
	key    string // lower-cased
	name   string // as given
	values []contextValue
}

// contextValue is one value with its typed interpretations.
type contextValue struct {
	s     string
	num   float64
	date  instant
	ip    netip.Addr
	flags uint8
	b     bool
}

const (
	hasNum uint8 = 1 << iota
	hasDate
	hasBool
	hasIP
)

func newContextValue(s string) contextValue {
	v := contextValue{s: s}
	if f, ok := parseNumber(s); ok {
		v.num, v.flags = f, v.flags|hasNum
	}
	if t, ok := parseDate(s); ok {
		v.date, v.flags = t, v.flags|hasDate
	}
	if b, ok := parseBool(s); ok {
		v.b, v.flags = b, v.flags|hasBool
	}
	if maybeIP(s) {
		if a, err := netip.ParseAddr(s); err == nil {
			v.ip, v.flags = a.Unmap(), v.flags|hasIP
		}
	}
	return v
}

// ContextOf returns a Context holding the keys and values of m. Keys that
// differ only in case are merged, values in the order of the sorted keys;
// keys without values are left out.
func ContextOf(m map[string][]string) Context {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	var c Context
	for _, k := range names {
		if old, ok := c.Lookup(k); ok {
			c = c.With(k, append(slices.Clone(old), m[k]...)...)
		} else {
			c = c.With(k, m[k]...)
		}
	}
	return c
}

// With returns a copy of c in which key has exactly the given values,
// replacing any values of the same key in any case. With no values, the
// key is removed.
func (c Context) With(key string, values ...string) Context {
	lk := strings.ToLower(key)
	i, found := slices.BinarySearchFunc(c.entries, lk, func(e contextEntry, k string) int {
		return strings.Compare(e.key, k)
	})
	n := len(c.entries)
	if !found && len(values) > 0 {
		n++
	}
	if found && len(values) == 0 {
		n--
	}
	entries := make([]contextEntry, 0, n)
	entries = append(entries, c.entries[:i]...)
	if len(values) > 0 {
		e := contextEntry{key: lk, name: key, values: make([]contextValue, len(values))}
		for j, v := range values {
			e.values[j] = newContextValue(v)
		}
		entries = append(entries, e)
	}
	if found {
		i++
	}
	entries = append(entries, c.entries[i:]...)
	return Context{entries: entries}
}

// Without returns a copy of c without key (in any case).
func (c Context) Without(key string) Context { return c.With(key) }

// Lookup returns the values of key, compared case-insensitively, and
// whether the key is present. The caller must not modify the result.
func (c Context) Lookup(key string) ([]string, bool) {
	e := c.find(strings.ToLower(key))
	if e == nil {
		return nil, false
	}
	out := make([]string, len(e.values))
	for i := range e.values {
		out[i] = e.values[i].s
	}
	return out, true
}

// Keys returns the key names as they were given, sorted case-insensitively.
func (c Context) Keys() []string {
	out := make([]string, len(c.entries))
	for i := range c.entries {
		out[i] = c.entries[i].name
	}
	return out
}

// Len returns the number of keys in c.
func (c Context) Len() int { return len(c.entries) }

// find returns the entry of the lower-cased key lk, or nil. It does not
// allocate.
func (c *Context) find(lk string) *contextEntry {
	lo, hi := 0, len(c.entries)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if c.entries[m].key < lk {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(c.entries) && c.entries[lo].key == lk {
		return &c.entries[lo]
	}
	return nil
}

// instant is a point in time as seconds and nanoseconds since the Unix
// epoch; unlike time.Time it compares with plain integer arithmetic.
type instant struct {
	sec  int64
	nsec int32
}

func (a instant) compare(b instant) int {
	switch {
	case a.sec < b.sec:
		return -1
	case a.sec > b.sec:
		return 1
	case a.nsec < b.nsec:
		return -1
	case a.nsec > b.nsec:
		return 1
	}
	return 0
}

// parseNumber parses a decimal number (optional sign, digits, fraction and
// exponent). It rejects anything else, including "NaN" and "Inf", without
// allocating.
func parseNumber(s string) (float64, bool) {
	if s == "" || len(s) > 64 {
		return 0, false
	}
	digits := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E':
		default:
			return 0, false
		}
	}
	if !digits {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// parseDate parses the date forms IAM accepts in Date conditions: RFC 3339
// with or without fractional seconds ("2024-05-01T12:00:00Z",
// "2024-05-01T12:00:00.5+02:00"), a date alone ("2024-05-01", midnight
// UTC), and epoch seconds ("1714564800", optionally with a fraction).
func parseDate(s string) (instant, bool) {
	if s == "" || len(s) > 40 {
		return instant{}, false
	}
	if s[0] >= '0' && s[0] <= '9' && !strings.ContainsAny(s, "-:T") {
		// Epoch seconds.
		whole, frac, _ := strings.Cut(s, ".")
		if whole == "" || len(whole) > 12 || len(frac) > 9 {
			return instant{}, false
		}
		var t instant
		for i := 0; i < len(whole); i++ {
			if c := whole[i]; c >= '0' && c <= '9' {
				t.sec = t.sec*10 + int64(c-'0')
			} else {
				return instant{}, false
			}
		}
		scale := int32(100000000)
		for i := 0; i < len(frac); i++ {
			c := frac[i]
			if c < '0' || c > '9' {
				return instant{}, false
			}
			t.nsec += int32(c-'0') * scale
			scale /= 10
		}
		return t, true
	}
	if len(s) < 10 || !isDigits(s[0:4]) || s[4] != '-' || !isDigits(s[5:7]) || s[7] != '-' || !isDigits(s[8:10]) {
		return instant{}, false
	}
	var t time.Time
	var err error
	if len(s) == 10 {
		t, err = time.Parse(time.DateOnly, s)
	} else {
		t, err = time.Parse(time.RFC3339Nano, s)
	}
	if err != nil {
		return instant{}, false
	}
	return instant{sec: t.Unix(), nsec: int32(t.Nanosecond())}, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// parseBool accepts "true" and "false" in any case.
func parseBool(s string) (bool, bool) {
	switch {
	case equalFoldASCII(s, "true"):
		return true, true
	case equalFoldASCII(s, "false"):
		return false, true
	}
	return false, false
}

// maybeIP is a cheap filter before netip.ParseAddr.
func maybeIP(s string) bool {
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':' || c == '%') {
			return false
		}
	}
	return true
}
