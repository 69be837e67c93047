package engine_test

import (
	"flag"
	"os"
	"strconv"
	"testing"
)

// rapidChecks is the number of sequences each rapid property runs by
// default (rapid's own default is 100).
const rapidChecks = 2000

// TestMain raises rapid's number of checks to rapidChecks unless the user
// chose a number with -rapid.checks or RAPID_CHECKS.
func TestMain(m *testing.M) {
	flag.Parse()
	chosen := false
	flag.Visit(func(f *flag.Flag) {
		if f.Name == "rapid.checks" {
			chosen = true
		}
	})
	if _, env := os.LookupEnv("RAPID_CHECKS"); !chosen && !env {
		if err := flag.Set("rapid.checks", strconv.Itoa(rapidChecks)); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
