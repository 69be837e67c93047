package policy

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	kmserrors "github.com/kmsim/kmsim/errors"
)

// Parse compiles a key policy. It checks the grammar of the IAM policy
// language as KMS accepts it, rules 3 and 4 of spec §7.3 (see the package
// documentation, section Grammar), and returns every violation as a
// *kmserrors.MalformedPolicyDocumentException whose message names the
// element and the statement (by index and Sid). It does not check the
// size or character set of text (rules 1 and 2), principal existence
// (rule 5), ForAllValues misuse (rule 6) or the lockout safety check (rule
// 7); [Validate] does.
func Parse(text string) (*Document, error) { return parse(text, false) }

// ParseIdentity compiles an IAM identity-based policy, as attached to the
// users and roles whose requests [Authorize] decides. The grammar is that
// of [Parse] except that statements must not have a Principal or
// NotPrincipal element and must have an Action (or NotAction) and a
// Resource (or NotResource) element. Errors are
// *kmserrors.MalformedPolicyDocumentException.
func ParseIdentity(text string) (*Document, error) { return parse(text, true) }

func malformed(msg string) error {
	return &kmserrors.MalformedPolicyDocumentException{Message: msg}
}

// span is a range of one of the parser's lists.
type span struct{ lo, hi int32 }

// spans locates the lists of one statement in the parser's lists.
type spans struct {
	actions, resources, aws, canonical, federated, service, conds span
}

// parser builds a Document while scanning. All lists of a document
// (statements, actions, principals, conditions, values) are collected in
// the parser's lists and copied out once, at their exact size, when the
// document is complete; parsers are pooled so that their lists are reused.
// A document therefore costs about ten allocations whatever its size.
type parser struct {
	scanner
	identity    bool
	version     string
	id          string
	hasID       bool
	noPrincipal int  // first statement without a principal, or -1
	dollar      bool // some value may hold a policy variable

	stmts     []statement
	spans     []spans
	actions   []actionPattern
	resources []pattern
	aws       []awsPrincipal
	strs      []string
	ops       []string
	conds     []condition
	values    []conditionValue
}

var parsers = sync.Pool{New: func() any { return new(parser) }}

func parse(text string, identity bool) (*Document, error) {
	p := parsers.Get().(*parser)
	defer p.release()
	p.scanner = scanner{s: text}
	p.identity, p.noPrincipal = identity, -1
	if msg := p.document(); msg != "" {
		return nil, malformed(msg)
	}
	if p.noPrincipal >= 0 {
		st := &p.stmts[p.noPrincipal]
		return nil, malformed(statementLabel(p.noPrincipal, st.sid, st.hasSid) +
			" has no Principal or NotPrincipal element; every statement of a key policy must name its principals.")
	}
	d := p.finish()
	if p.dollar && d.variables() {
		d.compileVariables()
	}
	d.findRule6()
	return d, nil
}

// maxPooled is the largest list length a pooled parser keeps, so that one
// huge document does not pin memory in the pool.
const maxPooled = 4096

// release clears the parser and returns it to the pool.
func (p *parser) release() {
	if cap(p.stmts) > maxPooled || cap(p.actions) > maxPooled || cap(p.resources) > maxPooled || cap(p.aws) > maxPooled ||
		cap(p.strs) > maxPooled || cap(p.ops) > maxPooled || cap(p.conds) > maxPooled || cap(p.values) > maxPooled {
		return // let the garbage collector have it
	}
	clear(p.stmts)
	clear(p.actions)
	clear(p.resources)
	clear(p.aws)
	clear(p.strs)
	clear(p.ops)
	clear(p.conds)
	clear(p.values)
	*p = parser{
		stmts: p.stmts[:0], spans: p.spans[:0], actions: p.actions[:0], resources: p.resources[:0],
		aws: p.aws[:0], strs: p.strs[:0], ops: p.ops[:0], conds: p.conds[:0], values: p.values[:0],
	}
	parsers.Put(p)
}

// finish copies the parsed lists into a new Document.
func (p *parser) finish() *Document {
	d := &Document{version: p.version, id: p.id, hasID: p.hasID, identity: p.identity}
	d.stmts = slices.Clone(p.stmts)
	actions := slices.Clone(p.actions)
	resources := slices.Clone(p.resources)
	aws := slices.Clone(p.aws)
	strs := slices.Clone(p.strs)
	conds := slices.Clone(p.conds)
	values := slices.Clone(p.values)
	for i := range d.stmts {
		st, sp := &d.stmts[i], &p.spans[i]
		st.actions = actions[sp.actions.lo:sp.actions.hi:sp.actions.hi]
		st.resources = resources[sp.resources.lo:sp.resources.hi:sp.resources.hi]
		st.principal.aws = aws[sp.aws.lo:sp.aws.hi:sp.aws.hi]
		st.principal.canonical = strs[sp.canonical.lo:sp.canonical.hi:sp.canonical.hi]
		st.principal.federated = strs[sp.federated.lo:sp.federated.hi:sp.federated.hi]
		st.principal.service = strs[sp.service.lo:sp.service.hi:sp.service.hi]
		st.conds = conds[sp.conds.lo:sp.conds.hi:sp.conds.hi]
		for j := range st.conds {
			c := &st.conds[j]
			c.values = values[c.vr.lo:c.vr.hi:c.vr.hi]
			c.index = sp.conds.lo + int32(j)
		}
	}
	lowerKeys(conds)
	return d
}

// lowerKeys sets the lower-cased key of every condition, as substrings of
// one string.
func lowerKeys(conds []condition) {
	if len(conds) == 0 {
		return
	}
	size := 0
	for i := range conds {
		size += len(conds[i].keyName)
	}
	buf := make([]byte, 0, size)
	for i := range conds {
		k := conds[i].keyName
		for j := 0; j < len(k); j++ {
			if c := k[j]; c < utf8.RuneSelf {
				buf = append(buf, lowerASCII(c))
				continue
			}
			// Rare: fall back to the full Unicode mapping for the rest.
			buf = append(buf, strings.ToLower(k[j:])...)
			break
		}
	}
	all := string(buf)
	off := 0
	for i := range conds {
		k := conds[i].keyName
		n := len(k)
		if !isASCII(k) {
			n = len(strings.ToLower(k))
		}
		conds[i].key = all[off : off+n]
		off += n
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Top-level and statement element bits, for duplicate detection.
const (
	elemVersion = 1 << iota
	elemID
	elemStatement
)

const (
	elemSid = 1 << iota
	elemEffect
	elemPrincipal
	elemNotPrincipal
	elemAction
	elemNotAction
	elemResource
	elemNotResource
	elemCondition
)

// statementElements names the statement elements, indexed by bit number.
var statementElements = [...]string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}

// statementElement returns the bit of a statement element name, or 0.
func statementBit(name string) int {
	switch name {
	case "Sid":
		return elemSid
	case "Effect":
		return elemEffect
	case "Principal":
		return elemPrincipal
	case "NotPrincipal":
		return elemNotPrincipal
	case "Action":
		return elemAction
	case "NotAction":
		return elemNotAction
	case "Resource":
		return elemResource
	case "NotResource":
		return elemNotResource
	case "Condition":
		return elemCondition
	}
	return 0
}

func (p *parser) document() string {
	switch c := p.peek(); c {
	case '{':
		p.open()
	case 0:
		if p.i >= len(p.s) {
			return "The policy is empty."
		}
		fallthrough
	default:
		if p.skip(); p.syn != "" {
			return p.syntaxMessage()
		}
		return "The policy must be a JSON object, not " + kind(c) + "."
	}
	var seen int
	first := true
	for {
		name, ok := p.member(&first)
		if !ok {
			break
		}
		var bit int
		switch name {
		case "Version":
			bit = elemVersion
		case "Id":
			bit = elemID
		case "Statement":
			bit = elemStatement
		default:
			return "The policy has an unknown element " + strconv.Quote(name) +
				`; the elements of a policy are "Version", "Id" and "Statement".`
		}
		if seen&bit != 0 {
			return "The policy has a duplicate element " + strconv.Quote(name) + "."
		}
		seen |= bit
		switch name {
		case "Version":
			v, msg := p.stringValue("The Version element")
			if msg == "" && v != Version2012 && v != Version2008 {
				msg = `The Version element must be "2012-10-17" or "2008-10-17", not ` + strconv.Quote(v) + "."
			}
			if msg != "" || p.syn != "" {
				return p.either(msg)
			}
			p.version = v
		case "Id":
			v, msg := p.stringValue("The Id element")
			if msg != "" || p.syn != "" {
				return p.either(msg)
			}
			p.id, p.hasID = v, true
		case "Statement":
			if msg := p.statements(); msg != "" || p.syn != "" {
				return p.either(msg)
			}
		}
	}
	if p.syn != "" {
		return p.syntaxMessage()
	}
	if p.peek() != 0 {
		p.fail(p.i, "unexpected data after the policy object")
		return p.syntaxMessage()
	}
	if seen&elemStatement == 0 {
		return "The policy has no Statement element."
	}
	return ""
}

// either returns the syntax error if there is one, else msg.
func (p *parser) either(msg string) string {
	if p.syn != "" {
		return p.syntaxMessage()
	}
	return msg
}

// stringValue reads a string element; what names it for messages.
func (p *parser) stringValue(what string) (string, string) {
	if c := p.peek(); c != '"' {
		return "", what + " must be a string, not " + kind(c) + "."
	}
	s, _ := p.str()
	return s, ""
}

func (p *parser) statements() string {
	switch c := p.peek(); c {
	case '{':
		return p.statement(0)
	case '[':
		p.open()
		first, n := true, 0
		for p.element(&first) {
			if c := p.peek(); c != '{' {
				return "Statement #" + strconv.Itoa(n) + " must be an object, not " + kind(c) + "."
			}
			if msg := p.statement(n); msg != "" || p.syn != "" {
				return msg
			}
			n++
		}
		if p.syn == "" && n == 0 {
			return "The Statement element must contain at least one statement."
		}
		return ""
	default:
		return "The Statement element must be an object or an array of objects, not " + kind(c) + "."
	}
}

// statement reads statement number idx. Problems other than syntax errors
// are reported once the whole statement is read, so that the message can
// name the statement's Sid wherever it appears.
func (p *parser) statement(idx int) string {
	p.open()
	var st statement
	var sp spans
	var seen int
	var problem string
	first := true
	for {
		name, ok := p.member(&first)
		if !ok {
			break
		}
		if problem != "" && name != "Sid" {
			p.skip()
			continue
		}
		bit := statementBit(name)
		start := p.i
		var msg string
		switch {
		case bit == 0:
			msg = "unknown element " + strconv.Quote(name) +
				`; the elements of a statement are "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource" and "Condition".`
		case seen&bit != 0:
			msg = "duplicate element " + strconv.Quote(name) + "."
		default:
			seen |= bit
			msg = p.statementElement(&st, &sp, bit)
		}
		if p.syn != "" {
			return ""
		}
		if msg != "" {
			p.i = start
			p.skip()
			if p.syn != "" {
				return ""
			}
			if problem == "" {
				problem = msg
			}
		}
	}
	if p.syn != "" {
		return ""
	}
	switch {
	case problem != "":
	case seen&(elemPrincipal|elemNotPrincipal) == elemPrincipal|elemNotPrincipal:
		problem = "has both Principal and NotPrincipal; use one of them."
	case seen&(elemAction|elemNotAction) == elemAction|elemNotAction:
		problem = "has both Action and NotAction; use one of them."
	case seen&(elemResource|elemNotResource) == elemResource|elemNotResource:
		problem = "has both Resource and NotResource; use one of them."
	case seen&elemEffect == 0:
		problem = `has no Effect element; it must be "Allow" or "Deny".`
	case p.identity && st.hasPrincipal:
		problem = "has a Principal or NotPrincipal element, which identity-based policies must not have."
	case p.identity && !st.hasAction:
		problem = "has no Action or NotAction element."
	case p.identity && !st.hasResource:
		problem = "has no Resource or NotResource element."
	}
	if problem != "" {
		return statementLabel(idx, st.sid, st.hasSid) + ": " + problem
	}
	if !p.identity && !st.hasPrincipal && p.noPrincipal < 0 {
		p.noPrincipal = idx
	}
	p.stmts = append(p.stmts, st)
	p.spans = append(p.spans, sp)
	return ""
}

// statementElement reads the value of one statement element and returns a
// problem description, or "".
func (p *parser) statementElement(st *statement, sp *spans, bit int) string {
	switch bit {
	case elemSid:
		v, msg := p.stringValue("Sid")
		if msg != "" {
			return msg
		}
		st.sid, st.hasSid = v, true
	case elemEffect:
		v, msg := p.stringValue("Effect")
		if msg != "" {
			return msg
		}
		switch v {
		case "Allow":
			st.effect = Allow
		case "Deny":
			st.effect = Deny
		default:
			return `Effect must be "Allow" or "Deny", not ` + strconv.Quote(v) + "."
		}
	case elemPrincipal, elemNotPrincipal:
		st.hasPrincipal = true
		st.notPrincipal = bit == elemNotPrincipal
		return p.principal(&st.principal, sp)
	case elemAction, elemNotAction:
		st.hasAction = true
		st.notAction = bit == elemNotAction
		start := len(p.actions)
		msg := p.strings(bit, func(v string) string {
			a, ok := compileAction(v)
			if !ok {
				return elementName(bit) + " value " + strconv.Quote(v) +
					` is not an action; use "*" or "<service>:<operation>" such as "kms:Encrypt" or "kms:Describe*".`
			}
			p.actions = append(p.actions, a)
			return ""
		})
		sp.actions = span{int32(start), int32(len(p.actions))}
		return msg
	case elemResource, elemNotResource:
		st.hasResource = true
		st.notResource = bit == elemNotResource
		start := len(p.resources)
		msg := p.strings(bit, func(v string) string {
			if v != "*" && !strings.HasPrefix(v, "arn:") {
				return elementName(bit) + " value " + strconv.Quote(v) + ` is not "*" or an ARN.`
			}
			if strings.Contains(v, "${") {
				p.dollar = true
			}
			p.resources = append(p.resources, pattern{text: v})
			return ""
		})
		sp.resources = span{int32(start), int32(len(p.resources))}
		return msg
	case elemCondition:
		return p.conditionBlock(sp)
	}
	return ""
}

// elementName returns the name of a statement element bit.
func elementName(bit int) string {
	for i, name := range statementElements {
		if 1<<i == bit {
			return name
		}
	}
	return ""
}

// strings reads a string or a non-empty array of strings for element
// (or, for principals, principal type) bit, handing each to f, which
// returns a problem description or "".
func (p *parser) strings(bit int, f func(string) string) string {
	switch c := p.peek(); c {
	case '"':
		s, ok := p.str()
		if !ok {
			return ""
		}
		return f(s)
	case '[':
		p.open()
		first, n := true, 0
		for p.element(&first) {
			if c := p.peek(); c != '"' {
				return elementName(bit) + " must contain only strings, not " + kind(c) + "."
			}
			s, ok := p.str()
			if !ok {
				return ""
			}
			if msg := f(s); msg != "" {
				return msg
			}
			n++
		}
		if p.syn == "" && n == 0 {
			return elementName(bit) + " must not be an empty list."
		}
		return ""
	default:
		return elementName(bit) + " must be a string or a list of strings, not " + kind(c) + "."
	}
}

func (p *parser) principal(ps *principalSet, sp *spans) string {
	switch c := p.peek(); c {
	case '"':
		s, ok := p.str()
		if ok && s != "*" {
			return `Principal must be "*" or an object such as {"AWS": "` + s + `"}, not the string ` + strconv.Quote(s) + "."
		}
		ps.star = true
		return ""
	case '{':
	default:
		return `Principal must be "*" or an object, not ` + kind(c) + "."
	}
	p.open()
	var seen int
	first := true
	for {
		typ, ok := p.member(&first)
		if !ok {
			break
		}
		t := slices.Index(principalTypes[:], typ)
		if t < 0 {
			return "Principal has an unknown principal type " + strconv.Quote(typ) +
				`; use "AWS", "Service", "Federated" or "CanonicalUser".`
		}
		if seen&(1<<t) != 0 {
			return "Principal has a duplicate principal type " + strconv.Quote(typ) + "."
		}
		seen |= 1 << t
		var msg string
		if t == 0 {
			start := len(p.aws)
			msg = p.strings(elemPrincipal, func(v string) string {
				p.aws = append(p.aws, compileAWS(v))
				return ""
			})
			sp.aws = span{int32(start), int32(len(p.aws))}
		} else {
			start := len(p.strs)
			msg = p.strings(elemPrincipal, func(v string) string {
				p.strs = append(p.strs, v)
				return ""
			})
			r := span{int32(start), int32(len(p.strs))}
			switch t {
			case 1:
				sp.canonical = r
			case 2:
				sp.federated = r
			case 3:
				sp.service = r
			}
		}
		if msg != "" || p.syn != "" {
			return msg
		}
	}
	if p.syn == "" && seen == 0 {
		return "Principal must name at least one principal."
	}
	return ""
}

func (p *parser) conditionBlock(sp *spans) string {
	if c := p.peek(); c != '{' {
		return "Condition must be an object, not " + kind(c) + "."
	}
	p.open()
	p.ops = p.ops[:0]
	start := len(p.conds)
	msg := p.conditionOperators()
	sp.conds = span{int32(start), int32(len(p.conds))}
	return msg
}

func (p *parser) conditionOperators() string {
	first := true
	for {
		opName, ok := p.member(&first)
		if !ok {
			return ""
		}
		if slices.Contains(p.ops, opName) {
			return "Condition has a duplicate operator " + strconv.Quote(opName) + "."
		}
		p.ops = append(p.ops, opName)
		op, set, ifExists, ok := parseOperator(opName)
		if !ok {
			return "Condition has an unknown operator " + strconv.Quote(opName) + "."
		}
		if c := p.peek(); c != '{' {
			return "Condition operator " + strconv.Quote(opName) + " must be an object of condition keys, not " + kind(c) + "."
		}
		p.open()
		firstKey := len(p.conds)
		kfirst := true
		for {
			key, ok := p.member(&kfirst)
			if !ok {
				break
			}
			if prefix, rest, ok := strings.Cut(key, ":"); !ok || prefix == "" || rest == "" || !plainKey(key) {
				return where(opName, key) + `: a condition key needs a service prefix and a name, such as "kms:ViaService".`
			}
			for i := firstKey; i < len(p.conds); i++ {
				if equalLower(p.conds[i].keyName, key) {
					return "Condition operator " + strconv.Quote(opName) + " has the key " + strconv.Quote(key) +
						" more than once (condition keys are case-insensitive)."
				}
			}
			c := condition{opName: opName, op: op, set: set, ifExists: ifExists, keyName: key,
				// KMS gives aws:ResourceTag/<key> a value in IAM policies
				// only (spec §7.2); in a key policy it is always absent.
				unset: !p.identity && len(key) > 16 && equalLower(key[:16], "aws:ResourceTag/")}
			if msg := p.conditionValues(&c); msg != "" || p.syn != "" {
				return msg
			}
			p.conds = append(p.conds, c)
		}
		if p.syn != "" {
			return ""
		}
	}
}

// where names a condition key in messages.
func where(opName, key string) string {
	return "Condition " + opName + " " + strconv.Quote(key)
}

// plainKey reports whether a condition key has no white space or control
// characters.
func plainKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if k[i] <= ' ' || k[i] == 0x7F {
			return false
		}
	}
	return true
}

// equalLower reports whether a and b are equal after lower-casing, as
// strings.ToLower would.
func equalLower(a, b string) bool {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb && unicode.ToLower(ra) != unicode.ToLower(rb) {
			return false
		}
		a, b = a[na:], b[nb:]
	}
	return a == b
}

// conditionValues reads the value or list of values of one condition key.
func (p *parser) conditionValues(c *condition) string {
	start := len(p.values)
	if p.peek() != '[' {
		if msg := p.conditionValue(c); msg != "" || p.syn != "" {
			return msg
		}
	} else {
		p.open()
		first := true
		for p.element(&first) {
			if msg := p.conditionValue(c); msg != "" || p.syn != "" {
				return msg
			}
		}
		if p.syn != "" {
			return ""
		}
		if len(p.values) == start {
			return where(c.opName, c.keyName) + ": the list of values is empty."
		}
	}
	c.vr = span{int32(start), int32(len(p.values))}
	return ""
}

// conditionValue reads one value of a condition: a string, number or
// Boolean.
func (p *parser) conditionValue(c *condition) string {
	var text string
	switch ch := p.peek(); {
	case ch == '"':
		text, _ = p.str()
	case ch == 't' || ch == 'f':
		text, _ = p.literal()
	case ch == '-' || ch >= '0' && ch <= '9':
		text, _ = p.number()
	default:
		return where(c.opName, c.keyName) + ": values must be strings, numbers or Booleans, not " + kind(ch) + "."
	}
	if p.syn != "" {
		return ""
	}
	v, problem := compileValue(c.op, text)
	if problem != "" {
		return where(c.opName, c.keyName) + ": value " + strconv.Quote(text) + " " + problem + "."
	}
	if strings.Contains(text, "${") {
		p.dollar = true
	}
	p.values = append(p.values, v)
	return ""
}

// compileVariables compiles the policy variables of a 2012-10-17
// document.
func (d *Document) compileVariables() {
	for i := range d.stmts {
		st := &d.stmts[i]
		for j := range st.resources {
			st.resources[j].parts = compileVariables(st.resources[j].text)
		}
		for j := range st.conds {
			c := &st.conds[j]
			switch c.op.fam {
			case famString, famStringIgnoreCase, famStringLike, famArn:
				for k := range c.values {
					c.values[k].pat.parts = compileVariables(c.values[k].text)
				}
			}
		}
	}
}

// findRule6 records the first ForAllValues condition on a single-valued
// key (spec §7.3 rule 6).
func (d *Document) findRule6() {
	for i := range d.stmts {
		for j := range d.stmts[i].conds {
			c := &d.stmts[i].conds[j]
			if c.set != setAll {
				continue
			}
			if what := singleValuedKind(c.key); what != "" {
				d.rule6 = "OverlyPermissiveCondition: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified " +
					what + " or with an unspecified " + what + ". To fix, remove ForAllValues."
				return
			}
		}
	}
}

// explanations holds the texts evaluation reports, all substrings of one
// string.
type explanations struct {
	stmts []statementTexts
	conds []string // by condition index: "statement 'S' matched but condition ... failed"
}

type statementTexts struct {
	label    string // Sid, or #index
	match    string // the statement applies (allows or denies)
	account  string // an Allow that matched through an account principal
	resource string // principal and action matched, the resource did not
}

// explain returns the explanations of d, building them on first use.
func (d *Document) explain() *explanations {
	d.explainOnce.Do(d.buildExplanations)
	return d.expl
}

func (d *Document) buildExplanations() {
	x := &explanations{stmts: make([]statementTexts, len(d.stmts))}
	nconds, size := 0, 0
	for i := range d.stmts {
		st := &d.stmts[i]
		nconds += len(st.conds)
		size += 320 + 5*len(st.sid)
		for j := range st.conds {
			size += 48 + len(st.sid) + len(st.conds[j].opName) + len(st.conds[j].keyName)
		}
	}
	x.conds = make([]string, nconds)
	type ref struct {
		dst        *string
		start, end int
	}
	refs := make([]ref, 0, 4*len(d.stmts)+nconds)
	var b strings.Builder
	b.Grow(size)
	add := func(dst *string, parts ...string) {
		start := b.Len()
		for _, s := range parts {
			b.WriteString(s)
		}
		refs = append(refs, ref{dst, start, b.Len()})
	}
	for i := range d.stmts {
		st, t := &d.stmts[i], &x.stmts[i]
		// The statement as named in explanations: 'Sid' or #index.
		q1, q2, q3 := "'", st.sid, "'"
		if st.hasSid && st.sid != "" {
			add(&t.label, st.sid)
		} else {
			q1, q2, q3 = "#", strconv.Itoa(i), ""
			add(&t.label, q1, q2)
		}
		if st.effect == Deny {
			add(&t.match, "statement ", q1, q2, q3, " explicitly denies the request")
		} else {
			add(&t.match, "statement ", q1, q2, q3, " allows the request")
			if st.hasPrincipal && !st.notPrincipal && st.principal.hasAccount() {
				add(&t.account, "statement ", q1, q2, q3,
					" allows the request through the account principal, which lets IAM policies decide")
			}
		}
		add(&t.resource, "statement ", q1, q2, q3, " matched but its ", resourceWord(st), " does not cover the resource")
		for j := range st.conds {
			c := &st.conds[j]
			add(&x.conds[c.index], "statement ", q1, q2, q3, " matched but condition ", c.opName, " ", c.keyName, " failed")
		}
	}
	all := b.String()
	for _, r := range refs {
		*r.dst = all[r.start:r.end]
	}
	d.expl = x
}

func resourceWord(st *statement) string {
	if st.notResource {
		return "NotResource"
	}
	return "Resource"
}
