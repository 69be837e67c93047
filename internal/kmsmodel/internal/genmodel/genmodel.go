// Package genmodel turns the botocore KMS service model
// (kms-service-2.json) into the Go tables of package kmsmodel
// (zz_model.go). It is used by the generator command kmsmodel/gen and by
// the kmsmodel test that checks the checked-in file is up to date.
//
// Only the standard library is used.
package genmodel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Generate parses a botocore service model and returns the gofmt'd source
// of zz_model.go for package kmsmodel. source names the model in the file
// header (a base name, so that the output does not depend on where the
// model lives).
func Generate(model []byte, source string) ([]byte, error) {
	m, err := parse(model)
	if err != nil {
		return nil, err
	}
	src, err := emit(m, source)
	if err != nil {
		return nil, err
	}
	out, err := format.Source(src)
	if err != nil {
		return nil, fmt.Errorf("genmodel: gofmt generated code: %w", err)
	}
	return out, nil
}

// ---- model file ----

type ref struct {
	Shape string `json:"shape"`
}

type modelOp struct {
	Name   string `json:"name"`
	Input  *ref   `json:"input"`
	Output *ref   `json:"output"`
	Errors []ref  `json:"errors"`
}

type modelMember struct {
	Name  string
	Shape string
}

// orderedMembers keeps the members of a structure in model order, which
// encoding/json's maps would lose.
type orderedMembers []modelMember

func (o *orderedMembers) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("members: want object, got %v", tok)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, ok := tok.(string)
		if !ok {
			return fmt.Errorf("members: want name, got %v", tok)
		}
		var r ref
		if err := dec.Decode(&r); err != nil {
			return fmt.Errorf("member %s: %w", name, err)
		}
		if slices.ContainsFunc(*o, func(m modelMember) bool { return m.Name == name }) {
			return fmt.Errorf("member %s: duplicate", name)
		}
		*o = append(*o, modelMember{Name: name, Shape: r.Shape})
	}
	_, err = dec.Token() // '}'
	return err
}

type modelShape struct {
	Type      string         `json:"type"`
	Required  []string       `json:"required"`
	Members   orderedMembers `json:"members"`
	Member    *ref           `json:"member"`
	Key       *ref           `json:"key"`
	Value     *ref           `json:"value"`
	Min       *json.Number   `json:"min"`
	Max       *json.Number   `json:"max"`
	Pattern   *string        `json:"pattern"`
	Enum      []string       `json:"enum"`
	Sensitive bool           `json:"sensitive"`
}

type modelFile struct {
	Metadata struct {
		APIVersion string `json:"apiVersion"`
		Protocol   string `json:"protocol"`
	} `json:"metadata"`
	Operations map[string]modelOp     `json:"operations"`
	Shapes     map[string]*modelShape `json:"shapes"`
}

// ---- resolved model ----

type shape struct {
	name      string
	typ       string // botocore type
	min, max  int64  // -1: none
	pattern   string // as in the model; "" none
	goPattern string // anchored Go translation
	hasPat    bool
	enum      []string
	sensitive bool
	members   []member
	elem      string // list member or map value shape
	key       string // map key shape
}

type member struct {
	name, shape string
	required    bool
}

type operation struct {
	name, input, output string
	errors              []string
}

type model struct {
	apiVersion string
	ops        []operation
	shapes     []*shape // reachable from inputs, sorted by name
}

var knownTypes = map[string]string{
	"string":    "kindString",
	"integer":   "kindInteger",
	"long":      "kindLong",
	"boolean":   "kindBoolean",
	"blob":      "kindBlob",
	"timestamp": "kindTimestamp",
	"list":      "kindList",
	"map":       "kindMap",
	"structure": "kindStructure",
}

func parse(data []byte) (*model, error) {
	var f modelFile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("genmodel: parse model: %w", err)
	}
	if len(f.Operations) == 0 {
		return nil, fmt.Errorf("genmodel: model has no operations")
	}
	m := &model{apiVersion: f.Metadata.APIVersion}
	resolved := map[string]*shape{}
	var visit func(name, from string) error
	visit = func(name, from string) error {
		if _, ok := resolved[name]; ok {
			return nil
		}
		ms, ok := f.Shapes[name]
		if !ok || ms == nil {
			return fmt.Errorf("genmodel: %s refers to unknown shape %q", from, name)
		}
		s, err := resolve(name, ms)
		if err != nil {
			return err
		}
		resolved[name] = s
		for _, mem := range s.members {
			if err := visit(mem.shape, name+"$"+mem.name); err != nil {
				return err
			}
		}
		for _, n := range []string{s.elem, s.key} {
			if n != "" {
				if err := visit(n, name); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, name := range slicesSortedKeys(f.Operations) {
		op := f.Operations[name]
		if op.Name != "" && op.Name != name {
			return nil, fmt.Errorf("genmodel: operation %s is named %s", name, op.Name)
		}
		o := operation{name: name}
		if op.Input != nil {
			o.input = op.Input.Shape
			if err := visit(o.input, name); err != nil {
				return nil, err
			}
			if resolved[o.input].typ != "structure" {
				return nil, fmt.Errorf("genmodel: input of %s is not a structure", name)
			}
		}
		if op.Output != nil {
			o.output = op.Output.Shape
			if _, ok := f.Shapes[o.output]; !ok {
				return nil, fmt.Errorf("genmodel: output of %s: unknown shape %q", name, o.output)
			}
		}
		for _, e := range op.Errors {
			if _, ok := f.Shapes[e.Shape]; !ok {
				return nil, fmt.Errorf("genmodel: error of %s: unknown shape %q", name, e.Shape)
			}
			o.errors = append(o.errors, e.Shape)
		}
		m.ops = append(m.ops, o)
	}
	for _, name := range slicesSortedKeys(resolved) {
		m.shapes = append(m.shapes, resolved[name])
	}
	return m, nil
}

func resolve(name string, ms *modelShape) (*shape, error) {
	if !isIdent(name) {
		return nil, fmt.Errorf("genmodel: shape name %q is not a Go identifier", name)
	}
	if _, ok := knownTypes[ms.Type]; !ok {
		return nil, fmt.Errorf("genmodel: shape %s: unsupported type %q", name, ms.Type)
	}
	s := &shape{name: name, typ: ms.Type, min: -1, max: -1, enum: ms.Enum, sensitive: ms.Sensitive}
	var err error
	if s.min, err = bound(ms.Min); err != nil {
		return nil, fmt.Errorf("genmodel: shape %s: min: %w", name, err)
	}
	if s.max, err = bound(ms.Max); err != nil {
		return nil, fmt.Errorf("genmodel: shape %s: max: %w", name, err)
	}
	if ms.Pattern != nil {
		s.hasPat = true
		s.pattern = *ms.Pattern
		s.goPattern, err = TranslatePattern(s.pattern)
		if err != nil {
			return nil, fmt.Errorf("genmodel: shape %s: %w", name, err)
		}
	}
	switch ms.Type {
	case "structure":
		for _, r := range ms.Required {
			if !slices.ContainsFunc(ms.Members, func(m modelMember) bool { return m.Name == r }) {
				return nil, fmt.Errorf("genmodel: shape %s: required member %s does not exist", name, r)
			}
		}
		for _, mm := range ms.Members {
			if mm.Name == "" || !utf8.ValidString(mm.Name) {
				return nil, fmt.Errorf("genmodel: shape %s: bad member name %q", name, mm.Name)
			}
			s.members = append(s.members, member{
				name:     mm.Name,
				shape:    mm.Shape,
				required: slices.Contains(ms.Required, mm.Name),
			})
		}
	case "list":
		if ms.Member == nil {
			return nil, fmt.Errorf("genmodel: list %s has no member", name)
		}
		s.elem = ms.Member.Shape
	case "map":
		if ms.Key == nil || ms.Value == nil {
			return nil, fmt.Errorf("genmodel: map %s lacks key or value", name)
		}
		s.key, s.elem = ms.Key.Shape, ms.Value.Shape
	}
	return s, nil
}

func bound(n *json.Number) (int64, error) {
	if n == nil {
		return -1, nil
	}
	v, err := strconv.ParseInt(string(*n), 10, 64)
	if err != nil {
		f, ferr := n.Float64()
		if ferr != nil || f != float64(int64(f)) {
			return 0, fmt.Errorf("%s is not an integer", *n)
		}
		v = int64(f)
	}
	if v < 0 {
		return 0, fmt.Errorf("negative bound %d is not supported", v)
	}
	return v, nil
}

func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return s != ""
}

func slicesSortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// lowerFirst returns name with its first letter lowered, which is how the
// AWS front end names members in validation messages.
func lowerFirst(name string) string {
	r, n := utf8.DecodeRuneInString(name)
	return string(unicode.ToLower(r)) + name[n:]
}

// ---- pattern translation ----

// javaDot is what '.' does not match in a java.util.regex
// pattern without DOTALL.
const javaDot = `[^\n\r\x{85}\x{2028}\x{2029}]`

// javaSpace is Java's \s: [ \t\n\x0B\f\r]. Go's \s lacks \x0B.
const javaSpaceClass = `\t\n\x0B\f\r\x20`

// TranslatePattern converts a java.util.regex pattern, as the AWS models
// write them, into an RE2 pattern for Go's regexp that matches the whole
// input, as Java's Matcher.matches does: ^(?:...)$.
//
// Translations: \uXXXX becomes \x{XXXX}; \s expands to Java's set, which
// includes \x0B; '.' outside a class excludes Java's line terminators
// (\n, \r, U+0085, U+2028, U+2029). \d and \w are ASCII in both engines.
// Constructs with a different meaning in Java that RE2 would accept
// silently (a nested '[' or '&&' inside a class) are rejected, as is
// anything RE2 does not compile.
func TranslatePattern(p string) (string, error) {
	var b strings.Builder
	inClass := false
	classStart := false // just after '[' or '[^'
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == '\\':
			if i+1 >= len(p) {
				return "", fmt.Errorf("pattern %q: trailing backslash", p)
			}
			e := p[i+1]
			switch e {
			case 'u':
				if i+6 > len(p) {
					return "", fmt.Errorf("pattern %q: short \\u escape", p)
				}
				hex := p[i+2 : i+6]
				if _, err := strconv.ParseUint(hex, 16, 16); err != nil {
					return "", fmt.Errorf("pattern %q: bad \\u escape %q", p, hex)
				}
				b.WriteString(`\x{` + hex + `}`)
				i += 6
			case 's':
				if inClass {
					b.WriteString(javaSpaceClass)
				} else {
					b.WriteString("[" + javaSpaceClass + "]")
				}
				i += 2
			case 'S':
				if inClass {
					return "", fmt.Errorf("pattern %q: \\S inside a class is not supported", p)
				}
				b.WriteString("[^" + javaSpaceClass + "]")
				i += 2
			case 'Q', 'E', 'G', 'Z', 'R', 'X', 'h', 'H', 'v', 'V', 'k', 'N':
				return "", fmt.Errorf("pattern %q: Java escape \\%c is not supported", p, e)
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
				i += 2
			}
			classStart = false
			continue
		case inClass:
			switch {
			case c == '[' && !classStart:
				return "", fmt.Errorf("pattern %q: nested class is not supported", p)
			case c == '&' && i+1 < len(p) && p[i+1] == '&':
				return "", fmt.Errorf("pattern %q: class intersection is not supported", p)
			case c == ']' && !classStart:
				inClass = false
			}
			if !(classStart && c == '^') {
				classStart = false
			}
			b.WriteByte(c)
		case c == '[':
			inClass, classStart = true, true
			b.WriteByte(c)
		case c == '.':
			b.WriteString(javaDot)
		default:
			b.WriteByte(c)
		}
		i++
	}
	if inClass {
		return "", fmt.Errorf("pattern %q: unterminated class", p)
	}
	out := "^(?:" + b.String() + ")$"
	if _, err := regexp.Compile(out); err != nil {
		return "", fmt.Errorf("pattern %q: translated %q does not compile: %w", p, out, err)
	}
	return out, nil
}

// ---- output ----

func emit(m *model, source string) ([]byte, error) {
	var w bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&w, format, args...) }
	p("// Code generated by kmsmodel/gen from %s (API version %s). DO NOT EDIT.\n\n", source, m.apiVersion)
	p("package kmsmodel\n\n")
	p("// Shapes reachable from operation inputs, sorted by name.\n")
	p("const (\n")
	for i, s := range m.shapes {
		if i == 0 {
			p("s%s shapeID = iota\n", s.name)
		} else {
			p("s%s\n", s.name)
		}
	}
	p("numShapes\n)\n\n")

	p("var shapes = [numShapes]shape{\n")
	for _, s := range m.shapes {
		p("s%s: {name: %q, kind: %s, min: %d, max: %d", s.name, s.name, knownTypes[s.typ], s.min, s.max)
		if s.sensitive {
			p(", sensitive: true")
		}
		if s.hasPat {
			p(",\npattern: %s,\ngoPattern: %s", quote(s.pattern), quote(s.goPattern))
		}
		if len(s.enum) > 0 {
			p(",\nenum: []string{")
			for i, e := range s.enum {
				if i > 0 {
					p(", ")
				}
				p("%s", quote(e))
			}
			p("}")
		}
		if s.key != "" {
			p(", key: s%s", s.key)
		}
		if s.elem != "" {
			p(", elem: s%s", s.elem)
		}
		if len(s.members) > 0 {
			p(", members: []member{\n")
			for _, mem := range s.members {
				p("{%s, %s, s%s, %t},\n", quote(mem.name), quote(lowerFirst(mem.name)), mem.shape, mem.required)
			}
			p("}")
		}
		p("},\n")
	}
	p("}\n\n")

	p("// Operations sorted by name.\n")
	p("var operations = [...]opInfo{\n")
	for _, o := range m.ops {
		in := "noShape"
		if o.input != "" {
			in = "s" + o.input
		}
		p("{name: %s, input: %s, output: %s, errors: []string{", quote(o.name), in, quote(o.output))
		for i, e := range o.errors {
			if i > 0 {
				p(", ")
			}
			p("%s", quote(e))
		}
		p("}},\n")
	}
	p("}\n")
	return w.Bytes(), nil
}

// quote prefers a raw string literal, which keeps the model's patterns
// readable, and falls back to an interpreted one.
func quote(s string) string {
	if strings.ContainsAny(s, "`\r") || !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) {
		return strconv.Quote(s)
	}
	if strings.ContainsRune(s, '\\') {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}
