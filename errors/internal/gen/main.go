// Command gen writes zz_exceptions.go of package errors from
// exceptions.tsv. It runs from the package directory through
// `go generate`:
//
//	go run ./internal/gen                  # regenerate zz_exceptions.go
//	go run ./internal/gen -check           # exit 1 if it is out of date
//	go run ./internal/gen -model FILE      # first merge the exception shapes
//	                                       # of a botocore kms service-2.json
//	                                       # into exceptions.tsv
//
// The table is the only input of a plain run; the model is read only when
// -model is given.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/kmsim/kmsim/errors/internal/gentable"
)

func main() {
	table := flag.String("table", "exceptions.tsv", "table to read")
	out := flag.String("out", "zz_exceptions.go", "Go file to write")
	check := flag.Bool("check", false, "do not write; exit 1 if -out (or the table, with -model) would change")
	model := flag.String("model", "", "botocore kms service-2.json whose exception shapes are merged into the table first")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "gen: unexpected arguments:", flag.Args())
		os.Exit(2)
	}
	if err := run(*table, *out, *model, *check); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(tablePath, outPath, modelPath string, check bool) error {
	f, err := os.Open(tablePath)
	if err != nil {
		return err
	}
	rows, err := gentable.Parse(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", tablePath, err)
	}

	if modelPath != "" {
		data, err := os.ReadFile(modelPath)
		if err != nil {
			return err
		}
		shapes, err := gentable.ModelExceptions(data)
		if err != nil {
			return fmt.Errorf("%s: %w", modelPath, err)
		}
		var notes []string
		rows, notes = gentable.MergeModel(rows, shapes)
		for _, n := range notes {
			fmt.Fprintln(os.Stderr, "gen:", n)
		}
		if err := update(tablePath, gentable.Format(rows), check); err != nil {
			return err
		}
	}

	src, err := gentable.Render(rows)
	if err != nil {
		return fmt.Errorf("%s: %w", tablePath, err)
	}
	return update(outPath, src, check)
}

// update writes data to path unless it already holds it. With check it
// writes nothing and fails if the content differs.
func update(path string, data []byte, check bool) error {
	old, err := os.ReadFile(path)
	if err == nil && bytes.Equal(old, data) {
		return nil
	}
	if check {
		return fmt.Errorf("%s is out of date; run go generate", path)
	}
	return os.WriteFile(path, data, 0o666)
}
