// Package gentable reads and writes exceptions.tsv, the table behind the
// kmserrors package, and renders zz_exceptions.go from it.
//
// Both the generator (errors/internal/gen) and the kmserrors tests use it,
// so a test can check that the generated file is up to date without
// running the go command.
package gentable

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"go/format"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Row is one line of the table.
type Row struct {
	Code            string // exception name on the wire, also the Go type name
	Fault           string // "client" or "server"
	HTTPStatus      int    // status the HTTP front end sends
	ModelHTTPStatus int    // Smithy httpError of the model
	InModel         bool   // declared in kms-service-2.json
	Doc             string // one sentence ending with a period
}

// Columns is the header line of the table, tab separated.
var Columns = []string{"code", "fault", "http_status", "model_http_status", "in_model", "doc"}

// Preamble is the comment block at the top of the table, as [Format]
// writes it. [Parse] accepts any comment lines.
const Preamble = `# One row per error code the simulator can return; the single source of
# truth for zz_exceptions.go. After editing, run ` + "`go generate`" + ` in this
# directory (rows are kept sorted by code; ` + "`go run ./internal/gen -model" + `
# <kms-service-2.json>` + "`" + ` adds or updates the rows declared by the model).
#
# code              exception name as it appears on the wire (__type)
# fault             client or server
# http_status       status the simulator's HTTP front end sends (observed AWS)
# model_http_status Smithy httpError of the model; http_status when not in it
# in_model          true if kms-service-2.json declares the shape
# doc               one sentence, ending with a period
`

// Parse reads a table. Blank lines and lines starting with '#' are
// ignored; the first other line must be the header [Columns]. Every row is
// checked with [Validate], and codes must be unique.
func Parse(r io.Reader) ([]Row, error) {
	var rows []Row
	seen := make(map[string]int)
	header := false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if !header {
			if !slices.Equal(fields, Columns) {
				return nil, fmt.Errorf("line %d: header is %q, want %q", n, fields, Columns)
			}
			header = true
			continue
		}
		row, err := parseRow(fields)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if prev, dup := seen[row.Code]; dup {
			return nil, fmt.Errorf("line %d: duplicate code %s (first on line %d)", n, row.Code, prev)
		}
		seen[row.Code] = n
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !header {
		return nil, fmt.Errorf("no header line %q", strings.Join(Columns, "\t"))
	}
	return rows, nil
}

func parseRow(fields []string) (Row, error) {
	if len(fields) != len(Columns) {
		return Row{}, fmt.Errorf("%d fields, want %d", len(fields), len(Columns))
	}
	status, err := strconv.Atoi(fields[2])
	if err != nil {
		return Row{}, fmt.Errorf("http_status: %w", err)
	}
	model, err := strconv.Atoi(fields[3])
	if err != nil {
		return Row{}, fmt.Errorf("model_http_status: %w", err)
	}
	inModel, err := strconv.ParseBool(fields[4])
	if err != nil {
		return Row{}, fmt.Errorf("in_model: %w", err)
	}
	row := Row{
		Code:            fields[0],
		Fault:           fields[1],
		HTTPStatus:      status,
		ModelHTTPStatus: model,
		InModel:         inModel,
		Doc:             fields[5],
	}
	return row, Validate(row)
}

// Validate reports whether a row can be rendered: the code is an exported
// ASCII Go identifier, the fault is client or server, both statuses are
// 4xx or 5xx, and the doc is one line of text ending with a period.
func Validate(r Row) error {
	if !isTypeName(r.Code) {
		return fmt.Errorf("code %q is not an exported ASCII identifier", r.Code)
	}
	if r.Fault != "client" && r.Fault != "server" {
		return fmt.Errorf("%s: fault %q is neither client nor server", r.Code, r.Fault)
	}
	for _, s := range []int{r.HTTPStatus, r.ModelHTTPStatus} {
		if s < 400 || s > 599 {
			return fmt.Errorf("%s: status %d is not an error status", r.Code, s)
		}
	}
	switch {
	case strings.TrimSpace(r.Doc) != r.Doc || r.Doc == "":
		return fmt.Errorf("%s: doc is empty or has surrounding spaces", r.Code)
	case !strings.HasSuffix(r.Doc, "."):
		return fmt.Errorf("%s: doc does not end with a period", r.Code)
	case strings.ContainsAny(r.Doc, "\t\n\r"), !utf8.ValidString(r.Doc):
		return fmt.Errorf("%s: doc contains tabs, line breaks or invalid UTF-8", r.Code)
	}
	return nil
}

func isTypeName(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// Sorted returns a copy of rows sorted by code.
func Sorted(rows []Row) []Row {
	out := slices.Clone(rows)
	slices.SortFunc(out, func(a, b Row) int { return cmp.Compare(a.Code, b.Code) })
	return out
}

// Format writes rows as a table: [Preamble], [Columns], then the rows
// sorted by code. Parse(Format(rows)) returns the sorted rows.
func Format(rows []Row) []byte {
	var b bytes.Buffer
	b.WriteString(Preamble)
	b.WriteString(strings.Join(Columns, "\t"))
	b.WriteByte('\n')
	for _, r := range Sorted(rows) {
		fmt.Fprintf(&b, "%s\t%s\t%d\t%d\t%t\t%s\n",
			r.Code, r.Fault, r.HTTPStatus, r.ModelHTTPStatus, r.InModel, r.Doc)
	}
	return b.Bytes()
}

// GeneratedHeader is the first line of the rendered file.
const GeneratedHeader = "// Code generated by \"go run ./internal/gen\" from exceptions.tsv; DO NOT EDIT."

// Render produces the gofmt-formatted source of zz_exceptions.go for
// package errors: one type per row with its five methods, the sorted info
// table and the constructor switch. Rows may come in any order; invalid or
// duplicate rows are an error.
func Render(rows []Row) ([]byte, error) {
	rows = Sorted(rows)
	for i, r := range rows {
		if err := Validate(r); err != nil {
			return nil, err
		}
		if i > 0 && rows[i-1].Code == r.Code {
			return nil, fmt.Errorf("duplicate code %s", r.Code)
		}
	}

	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("%s\n\npackage errors\n", GeneratedHeader)

	for _, r := range rows {
		p("\n")
		comment(&b, "", typeDoc(r))
		p("type %s struct {\n", r.Code)
		p("\t// Message is the text sent in the \"message\" member; it may be empty.\n")
		p("\tMessage string\n}\n\n")

		comment(&b, "", fmt.Sprintf("Error returns %q followed by the message, or %q alone when the message is empty.", r.Code+": ", r.Code))
		p("func (e *%s) Error() string { return errorString(%q, e.Message) }\n\n", r.Code, r.Code)

		p("// ErrorCode returns %q.\n", r.Code)
		p("func (e *%s) ErrorCode() string { return %q }\n\n", r.Code, r.Code)

		p("// ErrorMessage returns e.Message.\n")
		p("func (e *%s) ErrorMessage() string { return e.Message }\n\n", r.Code)

		p("// ErrorFault returns [%s].\n", faultConst(r.Fault))
		p("func (e *%s) ErrorFault() Fault { return %s }\n\n", r.Code, faultConst(r.Fault))

		comment(&b, "", statusDoc(r))
		p("func (e *%s) HTTPStatusCode() int { return %d }\n", r.Code, r.HTTPStatus)
	}

	p("\n// infos lists every code, sorted by Code.\n")
	p("var infos = [...]Info{\n")
	for _, r := range rows {
		p("\t{Code: %q, Fault: %s, HTTPStatus: %d, ModelHTTPStatus: %d, InModel: %t,\n\t\tDoc: %q},\n",
			r.Code, faultConst(r.Fault), r.HTTPStatus, r.ModelHTTPStatus, r.InModel, r.Doc)
	}
	p("}\n\n")

	p("// newException returns the exception type for code, or nil.\n")
	p("func newException(code, message string) APIError {\n\tswitch code {\n")
	for _, r := range rows {
		p("\tcase %q:\n\t\treturn &%s{Message: message}\n", r.Code, r.Code)
	}
	p("\t}\n\treturn nil\n}\n\n")

	p("var (\n")
	for _, r := range rows {
		p("\t_ APIError = (*%s)(nil)\n", r.Code)
	}
	p(")\n")

	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("gofmt generated source: %w", err)
	}
	return src, nil
}

func faultConst(f string) string {
	if f == "server" {
		return "FaultServer"
	}
	return "FaultClient"
}

// statusDoc is the doc comment text of the HTTPStatusCode method for r.
func statusDoc(r Row) string {
	s := fmt.Sprintf("HTTPStatusCode returns %d, the status the KMS front end sends", r.HTTPStatus)
	switch {
	case !r.InModel:
		return s + "."
	case r.ModelHTTPStatus != r.HTTPStatus:
		return fmt.Sprintf("%s; the model declares %d.", s, r.ModelHTTPStatus)
	}
	return s + " and the model declares."
}

// typeDoc is the doc comment text of the type for r.
func typeDoc(r Row) string {
	if r.InModel {
		return fmt.Sprintf("%s mirrors the KMS exception of the same name: %s", r.Code, lowerFirst(r.Doc))
	}
	return fmt.Sprintf("%s mirrors the error of the same name that the AWS front end returns "+
		"for KMS, though the KMS model does not declare it: %s", r.Code, lowerFirst(r.Doc))
}

// lowerFirst lowercases the first letter of a sentence unless it starts an
// acronym or a name such as "KMS" or "HMAC".
func lowerFirst(s string) string {
	first, n := utf8.DecodeRuneInString(s)
	next, _ := utf8.DecodeRuneInString(s[n:])
	if unicode.IsUpper(first) && unicode.IsLower(next) {
		return string(unicode.ToLower(first)) + s[n:]
	}
	return s
}

// comment writes text as a // comment wrapped at about 76 columns.
func comment(b *bytes.Buffer, indent, text string) {
	const width = 76
	line := indent + "//"
	for _, w := range strings.Fields(text) {
		if len(line)+1+len(w) > width && len(line) > len(indent)+2 {
			b.WriteString(line + "\n")
			line = indent + "//"
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
}
