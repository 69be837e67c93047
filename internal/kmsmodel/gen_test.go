package kmsmodel

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/kmsim/kmsim/internal/kmsmodel/internal/genmodel"
)

// modelPath is the AWS model in the shared/ directory beside the checkout,
// as named by the go:generate line in doc.go.
var modelPath = filepath.Join("..", "..", "..", "shared", "reference", "kms-service-2.json")

// TestGeneratedUpToDate regenerates zz_model.go in memory and compares it
// with the checked-in file. CI has no shared/ directory and skips it.
func TestGeneratedUpToDate(t *testing.T) {
	model, err := os.ReadFile(modelPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not present", modelPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	want, err := genmodel.Generate(model, filepath.Base(modelPath))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("zz_model.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("zz_model.go is out of date; run go generate in internal/kmsmodel")
	}
}

var generatedHeader = regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.$`)

// TestTables checks the invariants Validate relies on.
func TestTables(t *testing.T) {
	src, err := os.ReadFile("zz_model.go")
	if err != nil {
		t.Fatal(err)
	}
	if !generatedHeader.Match(src) {
		t.Error("zz_model.go lacks the generated-code header")
	}
	for i := 1; i < len(shapes); i++ {
		if shapes[i-1].name >= shapes[i].name {
			t.Errorf("shapes not sorted at %s", shapes[i].name)
		}
	}
	for i := 1; i < len(operations); i++ {
		if operations[i-1].name >= operations[i].name {
			t.Errorf("operations not sorted at %s", operations[i].name)
		}
	}
	for _, o := range operations {
		if o.input == noShape || shapes[o.input].kind != kindStructure {
			t.Errorf("%s: input is not a structure", o.name)
		}
	}
	res := regexps()
	for i, s := range shapes {
		if s.kind == 0 {
			t.Errorf("shape %d has no kind", i)
		}
		if (s.pattern == "") != (s.goPattern == "") || (s.goPattern != "") != (res[i] != nil) {
			t.Errorf("%s: pattern tables disagree", s.name)
		}
		for _, m := range s.members {
			if m.path == "" || int(m.shape) >= len(shapes) {
				t.Errorf("%s.%s: bad member", s.name, m.name)
			}
		}
	}
}
