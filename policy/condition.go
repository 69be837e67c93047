package policy

import (
	"encoding/base64"
	"net/netip"
	"strings"
)

// family is a group of condition operators sharing a value type.
type family uint8

const (
	famString family = iota
	famStringIgnoreCase
	famStringLike
	famNumeric
	famDate
	famBool
	famBinary
	famIP
	famArn
	famNull
)

// comparison is the relation of Numeric* and Date* operators.
type comparison uint8

const (
	cmpEq comparison = iota
	cmpLt
	cmpLe
	cmpGt
	cmpGe
)

// setQualifier is the ForAnyValue:/ForAllValues: prefix.
type setQualifier uint8

const (
	setNone setQualifier = iota
	setAny
	setAll
)

type operator struct {
	fam     family
	cmp     comparison
	negated bool
}

// operators maps each base operator name (without prefix or IfExists) to
// its meaning. Negated operators are true when the key is absent.
var operators = map[string]operator{
	"StringEquals":              {fam: famString},
	"StringNotEquals":           {fam: famString, negated: true},
	"StringEqualsIgnoreCase":    {fam: famStringIgnoreCase},
	"StringNotEqualsIgnoreCase": {fam: famStringIgnoreCase, negated: true},
	"StringLike":                {fam: famStringLike},
	"StringNotLike":             {fam: famStringLike, negated: true},
	"NumericEquals":             {fam: famNumeric, cmp: cmpEq},
	"NumericNotEquals":          {fam: famNumeric, cmp: cmpEq, negated: true},
	"NumericLessThan":           {fam: famNumeric, cmp: cmpLt},
	"NumericLessThanEquals":     {fam: famNumeric, cmp: cmpLe},
	"NumericGreaterThan":        {fam: famNumeric, cmp: cmpGt},
	"NumericGreaterThanEquals":  {fam: famNumeric, cmp: cmpGe},
	"DateEquals":                {fam: famDate, cmp: cmpEq},
	"DateNotEquals":             {fam: famDate, cmp: cmpEq, negated: true},
	"DateLessThan":              {fam: famDate, cmp: cmpLt},
	"DateLessThanEquals":        {fam: famDate, cmp: cmpLe},
	"DateGreaterThan":           {fam: famDate, cmp: cmpGt},
	"DateGreaterThanEquals":     {fam: famDate, cmp: cmpGe},
	"Bool":                      {fam: famBool},
	"BinaryEquals":              {fam: famBinary},
	"IpAddress":                 {fam: famIP},
	"NotIpAddress":              {fam: famIP, negated: true},
	"ArnEquals":                 {fam: famArn},
	"ArnLike":                   {fam: famArn},
	"ArnNotEquals":              {fam: famArn, negated: true},
	"ArnNotLike":                {fam: famArn, negated: true},
	"Null":                      {fam: famNull},
}

// parseOperator splits a condition operator name into its qualifier, base
// operator and IfExists suffix. Null takes neither a qualifier nor
// IfExists.
func parseOperator(name string) (op operator, set setQualifier, ifExists bool, ok bool) {
	base := name
	if rest, found := strings.CutPrefix(base, "ForAnyValue:"); found {
		base, set = rest, setAny
	} else if rest, found := strings.CutPrefix(base, "ForAllValues:"); found {
		base, set = rest, setAll
	}
	if rest, found := strings.CutSuffix(base, "IfExists"); found {
		base, ifExists = rest, true
	}
	op, ok = operators[base]
	if ok && op.fam == famNull && (ifExists || set != setNone) {
		ok = false
	}
	return op, set, ifExists, ok
}

// conditionValue is one compiled value of a condition.
type conditionValue struct {
	text   string       // canonical text (JSON numbers and Booleans as written)
	pat    pattern      // String*, Arn*
	num    float64      // Numeric*
	date   instant      // Date*
	b      bool         // Bool, Null
	prefix netip.Prefix // IpAddress, NotIpAddress
	bin    string       // BinaryEquals: standard padded base64
}

// condition is one (operator, key) pair of a Condition block with its
// values, which OR together.
type condition struct {
	opName   string // as written, e.g. "ForAnyValue:StringLikeIfExists"
	op       operator
	set      setQualifier
	ifExists bool
	key      string // lower-cased
	keyName  string // as written
	values   []conditionValue
	index    int32 // index among all conditions of the document
	vr       span  // values in the parser's list, while parsing
	// unset makes the key absent whatever the request holds; see parse.
	unset bool
}

// compileValue checks and compiles one value of a condition with operator
// op. It returns a problem description for values the operator cannot use.
func compileValue(op operator, text string) (conditionValue, string) {
	v := conditionValue{text: text}
	switch op.fam {
	case famString, famStringIgnoreCase, famStringLike, famArn:
		v.pat.text = text
	case famNumeric:
		f, ok := parseNumber(text)
		if !ok {
			return v, "is not a number"
		}
		v.num = f
	case famDate:
		t, ok := parseDate(text)
		if !ok {
			return v, "is not a date (RFC 3339 or epoch seconds)"
		}
		v.date = t
	case famBool, famNull:
		b, ok := parseBool(text)
		if !ok {
			return v, `is not "true" or "false"`
		}
		v.b = b
	case famBinary:
		raw, err := base64.StdEncoding.DecodeString(text)
		if err != nil {
			return v, "is not base64"
		}
		v.bin = base64.StdEncoding.EncodeToString(raw)
	case famIP:
		if strings.Contains(text, "/") {
			p, err := netip.ParsePrefix(text)
			if err != nil {
				return v, "is not an IP address or CIDR block"
			}
			v.prefix = p.Masked()
		} else {
			a, err := netip.ParseAddr(text)
			if err != nil || a.Zone() != "" {
				return v, "is not an IP address or CIDR block"
			}
			v.prefix = netip.PrefixFrom(a, a.BitLen())
		}
		if v.prefix.Addr().Is4In6() {
			a := v.prefix.Addr().Unmap()
			bits := v.prefix.Bits() - 96
			if bits < 0 {
				bits = 0
			}
			v.prefix = netip.PrefixFrom(a, bits).Masked()
		}
	}
	return v, ""
}

// eval reports whether the condition holds for the request context.
func (c *condition) eval(ctx *Context) bool {
	e := ctx.find(c.key)
	if c.unset {
		e = nil
	}
	if c.op.fam == famNull {
		present := e != nil && len(e.values) > 0
		for i := range c.values {
			if c.values[i].b != present { // Null:true holds for absent keys
				return true
			}
		}
		return false
	}
	if e == nil || len(e.values) == 0 {
		switch {
		case c.ifExists, c.set == setAll:
			return true
		case c.set == setAny:
			return false
		}
		return c.op.negated
	}
	switch c.set {
	case setAll:
		for i := range e.values {
			if !c.single(&e.values[i], ctx) {
				return false
			}
		}
		return true
	case setAny:
		for i := range e.values {
			if c.single(&e.values[i], ctx) {
				return true
			}
		}
		return false
	}
	// Without a qualifier a positive operator needs one request value to
	// match one policy value; a negated one needs none to.
	for i := range e.values {
		if c.anyValue(&e.values[i], ctx) {
			return !c.op.negated
		}
	}
	return c.op.negated
}

// single evaluates the operator for one request value: any policy value
// matches, or for a negated operator none does.
func (c *condition) single(rv *contextValue, ctx *Context) bool {
	return c.anyValue(rv, ctx) != c.op.negated
}

// anyValue reports whether rv matches one of the policy values under the
// positive form of the operator.
func (c *condition) anyValue(rv *contextValue, ctx *Context) bool {
	for i := range c.values {
		if c.matchValue(rv, &c.values[i], ctx) {
			return true
		}
	}
	return false
}

func (c *condition) matchValue(rv *contextValue, pv *conditionValue, ctx *Context) bool {
	switch c.op.fam {
	case famString:
		return pv.pat.equal(rv.s, ctx, false)
	case famStringIgnoreCase:
		return pv.pat.equal(rv.s, ctx, true)
	case famStringLike:
		return pv.pat.like(rv.s, ctx)
	case famArn:
		return pv.pat.arn(rv.s, ctx)
	case famNumeric:
		if rv.flags&hasNum == 0 {
			return false
		}
		switch c.op.cmp {
		case cmpLt:
			return rv.num < pv.num
		case cmpLe:
			return rv.num <= pv.num
		case cmpGt:
			return rv.num > pv.num
		case cmpGe:
			return rv.num >= pv.num
		}
		return rv.num == pv.num
	case famDate:
		if rv.flags&hasDate == 0 {
			return false
		}
		d := rv.date.compare(pv.date)
		switch c.op.cmp {
		case cmpLt:
			return d < 0
		case cmpLe:
			return d <= 0
		case cmpGt:
			return d > 0
		case cmpGe:
			return d >= 0
		}
		return d == 0
	case famBool:
		return rv.flags&hasBool != 0 && rv.b == pv.b
	case famBinary:
		return rv.s == pv.bin
	case famIP:
		return rv.flags&hasIP != 0 && pv.prefix.Contains(rv.ip)
	}
	return false
}

// singleValuedKind reports whether a condition key is single-valued in a
// way that rule 6 forbids with ForAllValues, and names it for the message.
func singleValuedKind(lowerKey string) string {
	switch {
	case strings.HasPrefix(lowerKey, "kms:encryptioncontext:"):
		return "encryption context"
	case strings.HasPrefix(lowerKey, "aws:requesttag/"):
		return "tag"
	}
	return ""
}
