// Command gen writes zz_model.go of package kmsmodel from the botocore KMS
// service model. It is run by go generate in internal/kmsmodel:
//
//	go run ./gen -model ../../../shared/reference/kms-service-2.json
//
// Flags: -model (the service-2.json file, required) and -o (the output
// file, zz_model.go by default; "-" writes to standard output).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kmsim/kmsim/internal/kmsmodel/internal/genmodel"
)

func main() {
	modelPath := flag.String("model", "", "botocore service model (kms-service-2.json)")
	out := flag.String("o", "zz_model.go", `output file ("-" for standard output)`)
	flag.Parse()
	if *modelPath == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*modelPath, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(modelPath, out string) error {
	data, err := os.ReadFile(modelPath)
	if err != nil {
		return err
	}
	src, err := genmodel.Generate(data, filepath.Base(modelPath))
	if err != nil {
		return err
	}
	if out == "-" {
		_, err = os.Stdout.Write(src)
		return err
	}
	return os.WriteFile(out, src, 0o644)
}
