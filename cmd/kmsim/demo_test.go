package main

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// runDemoOutput runs "kmsim args..." and returns its stdout; it fails the
// test unless the exit status is 0 and nothing went to stderr.
func runDemoOutput(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("run(%q) = %d, stderr:\n%s", args, code, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("run(%q) wrote to stderr:\n%s", args, stderr.String())
	}
	return stdout.String()
}

func TestDemoIsDeterministic(t *testing.T) {
	first := runDemoOutput(t, "demo")
	second := runDemoOutput(t, "demo")
	if first != second {
		t.Fatalf("two runs of the demo differ:\n--- first\n%s\n--- second\n%s", first, second)
	}
	if seeded := runDemoOutput(t, "demo", "-seed", "1"); seeded != first {
		t.Errorf("demo -seed 1 differs from the default seed:\n%s", seeded)
	}
}

func TestDemoFacts(t *testing.T) {
	out := runDemoOutput(t, "demo")
	for _, want := range []string{
		"REPLICA eu-west-1       Creating",
		"REPLICA ap-southeast-2  Creating",
		"REPLICA eu-west-1       Enabled",
		"REPLICA us-east-1       Updating",
		"PRIMARY eu-west-1       Updating",
		"PRIMARY eu-west-1       Enabled",
		"PrimaryKey   arn:aws:kms:eu-west-1:111122223333:key/mrk-",
		"ReplicaKeys  ap-southeast-2, us-east-1",
		"error    AlreadyExistsException",
		"error    UnsupportedOperationException",
		"error    InvalidArnException",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	// Facts must appear in the order the walk-through tells them.
	order := []string{"Creating", "Enabled", "Updating", "PRIMARY eu-west-1", "AlreadyExistsException", "UnsupportedOperationException"}
	rest := out
	for _, s := range order {
		i := strings.Index(rest, s)
		if i < 0 {
			t.Fatalf("demo output lacks %q after the facts before it:\n%s", s, out)
		}
		rest = rest[i+len(s):]
	}
	// Steps are numbered 1, 2, 3, ... with no gaps.
	steps := regexp.MustCompile(`(?m)^(\d+)\. `).FindAllStringSubmatch(out, -1)
	if len(steps) < 8 {
		t.Errorf("demo has %d steps, want at least 8", len(steps))
	}
	for i, m := range steps {
		if want := strconv.Itoa(i + 1); m[1] != want {
			t.Errorf("step %d is numbered %s", i+1, m[1])
		}
	}
}

func TestDemoSeedChangesKeyID(t *testing.T) {
	id := regexp.MustCompile(`mrk-[0-9a-f]{32}`)
	a := id.FindString(runDemoOutput(t, "demo"))
	b := id.FindString(runDemoOutput(t, "demo", "-seed", "2"))
	if a == "" || b == "" || a == b {
		t.Errorf("key IDs for seeds 1 and 2: %q and %q, want two different IDs", a, b)
	}
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string // substring of stdout, or "" for none
		stderr string // substring of stderr, or "" for none
	}{
		{args: nil, code: 2, stderr: "Usage: kmsim"},
		{args: []string{"-h"}, code: 0, stdout: "Usage: kmsim"},
		{args: []string{"help"}, code: 0, stdout: "Usage: kmsim"},
		{args: []string{"serve", "-region", "nowhere-1"}, code: 2, stderr: `kmsim serve: unknown Region "nowhere-1"`},
		{args: []string{"bench", "-x"}, code: 2, stderr: "flag provided but not defined: -x"},
		{args: []string{"frobnicate"}, code: 2, stderr: `unknown command "frobnicate"`},
		{args: []string{"demo", "-h"}, code: 0, stderr: "-seed"},
		{args: []string{"demo", "-seed", "x"}, code: 2, stderr: "-seed"},
		{args: []string{"demo", "extra"}, code: 2, stderr: `unexpected argument "extra"`},
	} {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, &stdout, &stderr)
		if code != tc.code {
			t.Errorf("run(%q) = %d, want %d", tc.args, code, tc.code)
		}
		check := func(name string, got *bytes.Buffer, want string) {
			if want == "" && got.Len() > 0 {
				t.Errorf("run(%q) %s = %q, want nothing", tc.args, name, got.String())
			}
			if !strings.Contains(got.String(), want) {
				t.Errorf("run(%q) %s = %q, want it to contain %q", tc.args, name, got.String(), want)
			}
		}
		check("stdout", &stdout, tc.stdout)
		check("stderr", &stderr, tc.stderr)
	}
}

func TestUsageListsCommands(t *testing.T) {
	var stdout, stderr bytes.Buffer
	run([]string{"-h"}, &stdout, &stderr)
	for _, cmd := range []string{"demo", "serve", "bench"} {
		if !regexp.MustCompile(`(?m)^  ` + cmd + ` `).MatchString(stdout.String()) {
			t.Errorf("usage does not list %s:\n%s", cmd, stdout.String())
		}
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

var errWrite = errors.New("disk full")

func TestDemoReportsWriteError(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]string{"demo"}, failWriter{}, &stderr); code != 1 {
		t.Errorf("demo into a failing writer = %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "disk full") {
		t.Errorf("stderr = %q, want the write error", stderr.String())
	}
}
