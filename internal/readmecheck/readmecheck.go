// Package readmecheck keeps the Go snippets of README.md compiling: each
// snippet is a test function in some package, and that package's test
// asks readmecheck whether README.md still shows it letter for letter.
package readmecheck

import (
	"os"
	"strings"
	"testing"
)

// SameFunc fails t unless the function funcName appears identically in
// the file readme and in the Go file source (paths relative to the
// calling test's package directory). A function runs from its
// "func <funcName>(" line to the first line that is just "}".
func SameFunc(t testing.TB, readme, source, funcName string) {
	t.Helper()
	got := extract(t, readme, funcName)
	want := extract(t, source, funcName)
	if got != want {
		t.Errorf("%s's snippet differs from %s in %s;\n%s has:\n%s\n%s has:\n%s",
			readme, funcName, source, readme, got, source, want)
	}
}

func extract(t testing.TB, path, funcName string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	start := "func " + funcName + "("
	i := strings.Index(src, start)
	if i < 0 {
		t.Fatalf("%s has no %s", path, start)
	}
	j := strings.Index(src[i:], "\n}\n")
	if j < 0 {
		t.Fatalf("%s: %s has no end", path, start)
	}
	return src[i : i+j+3]
}
