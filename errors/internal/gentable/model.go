package gentable

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
)

// ModelShape is an exception shape of the service model.
type ModelShape struct {
	Code  string
	Fault string // "client" or "server"
	// HTTPStatus is the status of the shape's "error" trait in the JSON
	// model, or 0 when the model does not give one (the botocore KMS model
	// does not).
	HTTPStatus int
	Doc        string // documentation with HTML removed, whitespace collapsed
}

// ModelExceptions returns the shapes marked "exception": true in a botocore
// service-2.json model, sorted by code.
func ModelExceptions(modelJSON []byte) ([]ModelShape, error) {
	var model struct {
		Shapes map[string]struct {
			Exception     bool   `json:"exception"`
			Fault         bool   `json:"fault"`
			Documentation string `json:"documentation"`
			Error         struct {
				HTTPStatusCode int `json:"httpStatusCode"`
			} `json:"error"`
		} `json:"shapes"`
	}
	if err := json.Unmarshal(modelJSON, &model); err != nil {
		return nil, fmt.Errorf("parse model: %w", err)
	}
	var out []ModelShape
	for name, s := range model.Shapes {
		if !s.Exception {
			continue
		}
		fault := "client"
		if s.Fault {
			fault = "server"
		}
		out = append(out, ModelShape{
			Code:       name,
			Fault:      fault,
			HTTPStatus: s.Error.HTTPStatusCode,
			Doc:        plainText(s.Documentation),
		})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("model declares no exception shapes")
	}
	slices.SortFunc(out, func(a, b ModelShape) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

var (
	tagRE   = regexp.MustCompile(`<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// plainText strips HTML tags and entities and collapses white space.
func plainText(doc string) string {
	doc = tagRE.ReplaceAllString(doc, " ")
	doc = html.UnescapeString(doc)
	doc = spaceRE.ReplaceAllString(doc, " ")
	doc = strings.ReplaceAll(doc, " .", ".")
	doc = strings.ReplaceAll(doc, " ,", ",")
	return strings.TrimSpace(doc)
}

// firstSentence returns the text up to and including the first period
// that ends a sentence.
func firstSentence(doc string) string {
	if i := strings.Index(doc, ". "); i >= 0 {
		return doc[:i+1]
	}
	if doc != "" && !strings.HasSuffix(doc, ".") {
		doc += "."
	}
	return doc
}

// MergeModel brings rows in line with the model's exception shapes and
// returns the updated rows (sorted) and a note for every change:
//   - a shape missing from the table is added with a doc taken from the
//     first sentence of the model documentation, statuses from the model's
//     error trait or else 400 (client) / 500 (server);
//   - an existing row gets InModel set and the model's fault, and
//     ModelHTTPStatus when the model gives one;
//   - a row marked InModel whose shape the model lacks is marked false.
//
// Docs and HTTPStatus of existing rows are never changed.
func MergeModel(rows []Row, shapes []ModelShape) ([]Row, []string) {
	rows = Sorted(rows)
	var notes []string
	index := make(map[string]int, len(rows))
	for i, r := range rows {
		index[r.Code] = i
	}
	inModel := make(map[string]bool, len(shapes))
	for _, s := range shapes {
		inModel[s.Code] = true
		i, ok := index[s.Code]
		if !ok {
			status := s.HTTPStatus
			if status == 0 {
				status = 400
				if s.Fault == "server" {
					status = 500
				}
			}
			doc := firstSentence(s.Doc)
			if doc == "" {
				doc = "Declared by the KMS model without documentation."
			}
			rows = append(rows, Row{
				Code: s.Code, Fault: s.Fault, HTTPStatus: status,
				ModelHTTPStatus: status, InModel: true, Doc: doc,
			})
			notes = append(notes, fmt.Sprintf("added %s (%s, %d); check its statuses and doc", s.Code, s.Fault, status))
			continue
		}
		r := &rows[i]
		if !r.InModel {
			r.InModel = true
			notes = append(notes, fmt.Sprintf("%s: in_model false -> true", r.Code))
		}
		if r.Fault != s.Fault {
			notes = append(notes, fmt.Sprintf("%s: fault %s -> %s", r.Code, r.Fault, s.Fault))
			r.Fault = s.Fault
		}
		if s.HTTPStatus != 0 && r.ModelHTTPStatus != s.HTTPStatus {
			notes = append(notes, fmt.Sprintf("%s: model_http_status %d -> %d", r.Code, r.ModelHTTPStatus, s.HTTPStatus))
			r.ModelHTTPStatus = s.HTTPStatus
		}
	}
	for i := range rows {
		if r := &rows[i]; r.InModel && !inModel[r.Code] {
			r.InModel = false
			notes = append(notes, fmt.Sprintf("%s: no longer in the model; in_model -> false", r.Code))
		}
	}
	return Sorted(rows), notes
}
