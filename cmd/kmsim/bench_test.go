package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for kmsim when kmsim bench
// starts its servers as child processes of os.Executable.
func TestMain(m *testing.M) {
	if os.Getenv("KMSIM_TEST_AS_KMSIM") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func TestBenchFlags(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"-c", "0"}, `bad concurrency "0"`},
		{[]string{"-c", "x"}, `bad concurrency "x"`},
		{[]string{"-ops", "Sign"}, `unknown operation "Sign"`},
		{[]string{"-n", "0"}, "-n must be positive"},
		{[]string{"-warmup", "-1"}, "-warmup must not be negative"},
		{[]string{"-rounds", "0"}, "-rounds must be positive"},
		{[]string{"-serve", "other"}, `-serve "other"`},
		{[]string{"-pid", "1"}, "-pid needs -url"},
		{[]string{"-url", "http://x", "-inprocess"}, "exclude each other"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		var stdout, stderr bytes.Buffer
		if code := runBench(context.Background(), tc.args, &stdout, &stderr); code != 2 {
			t.Errorf("kmsim bench %q = %d, want 2", tc.args, code)
		}
		if !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("kmsim bench %q: stderr %q, want it to contain %q", tc.args, stderr.String(), tc.stderr)
		}
	}
}

// checkReport checks that every cell and ratio of a run is in stdout.
func checkReport(t *testing.T, stdout string, ops []string, wantServerCPU bool) {
	t.Helper()
	for _, op := range ops {
		for _, server := range []string{"kmsim", "null"} {
			for _, c := range []string{"1", "4"} {
				found := false
				for _, line := range strings.Split(stdout, "\n") {
					f := strings.Fields(line)
					if len(f) == 8 && f[0] == op && f[1] == c && f[2] == server {
						found = true
						if got := f[6] != "-"; got != wantServerCPU {
							t.Errorf("server CPU in %q: got %t, want %t", line, got, wantServerCPU)
						}
					}
				}
				if !found {
					t.Errorf("no line for %s c=%s on %s in:\n%s", op, c, server, stdout)
				}
			}
		}
	}
	if !strings.Contains(stdout, "kmsim against the null handler") {
		t.Errorf("no ratios in:\n%s", stdout)
	}
}

func TestBenchInProcess(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"-inprocess", "-n", "24", "-warmup", "8", "-c", "1,4"}
	if code := runBench(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("kmsim bench = %d: %s", code, stderr.String())
	}
	checkReport(t, stdout.String(), []string{"CreateKey", "DescribeKey", "ReplicateKey", "EncryptDecrypt"}, false)
}

// The default: both servers in child processes, with their CPU time.
func TestBenchChildProcesses(t *testing.T) {
	t.Setenv("KMSIM_TEST_AS_KMSIM", "1")
	var stdout, stderr bytes.Buffer
	args := []string{"-n", "24", "-warmup", "8", "-c", "1,4", "-ops", "DescribeKey,ReplicateKey"}
	if code := runBench(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("kmsim bench = %d: %s", code, stderr.String())
	}
	checkReport(t, stdout.String(), []string{"DescribeKey", "ReplicateKey"}, true)
}

func TestProcessCPU(t *testing.T) {
	if _, ok := processCPU(0); ok {
		t.Error("processCPU(0) reported a time")
	}
	before, ok := processCPU(os.Getpid())
	if !ok {
		t.Skip("no /proc/<pid>/stat here")
	}
	// Spin until the clock-tick resolution shows CPU time passing.
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if after, _ := processCPU(os.Getpid()); after.ticks > before.ticks {
			return
		}
	}
	t.Errorf("processCPU did not grow while this process spun for 2s")
}

// TestProcessCPUThreads checks the nanosecond clock against getrusage
// over a spin of this process, and that since falls back to ticks when
// it cannot use it.
func TestProcessCPUThreads(t *testing.T) {
	before, ok := processCPU(os.Getpid())
	if !ok || !before.threadsOK {
		t.Skip("no /proc/<pid>/task/*/schedstat here")
	}
	self0 := selfCPU()
	for spin := time.Now(); time.Since(spin) < 300*time.Millisecond; {
	}
	after, _ := processCPU(os.Getpid())
	self := selfCPU() - self0
	got := after.since(before)
	if diff := got - self; diff < -30*time.Millisecond || diff > 30*time.Millisecond {
		t.Errorf("threads' clock %v, getrusage %v over the same spin", got, self)
	}

	r0 := cpuReading{ticks: 10 * time.Millisecond, threads: 5 * time.Millisecond, threadsOK: true}
	for _, tc := range []struct {
		r    cpuReading
		want time.Duration
	}{
		{cpuReading{ticks: 30 * time.Millisecond, threads: 22 * time.Millisecond, threadsOK: true}, 17 * time.Millisecond},
		{cpuReading{ticks: 30 * time.Millisecond, threads: 4 * time.Millisecond, threadsOK: true}, 20 * time.Millisecond},
		{cpuReading{ticks: 30 * time.Millisecond}, 20 * time.Millisecond},
	} {
		if got := tc.r.since(r0); got != tc.want {
			t.Errorf("%+v.since(%+v) = %v, want %v", tc.r, r0, got, tc.want)
		}
	}
}

// With rounds, each cell is measured that many times and the comparison
// gives the median of the rounds' ratios with their range.
func TestBenchRounds(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"-inprocess", "-n", "16", "-warmup", "4", "-c", "2", "-ops", "DescribeKey", "-rounds", "3"}
	if code := runBench(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("kmsim bench = %d: %s", code, stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, "3 rounds") {
		t.Errorf("the header does not say 3 rounds:\n%s", out)
	}
	for _, server := range []string{"kmsim", "null"} {
		if n := len(regexp.MustCompile(`(?m)^DescribeKey\s+2 `+server+` `).FindAllString(out, -1)); n != 3 {
			t.Errorf("%d lines for %s, want 3:\n%s", n, server, out)
		}
	}
	if !regexp.MustCompile(`(?m)^DescribeKey\s+2\s+\d+% \(\d+–\d+%\)\s+-$`).MatchString(out) {
		t.Errorf("no median and range of ops/s (and no CPU figures in process) in:\n%s", out)
	}
}

func TestPrintRatios(t *testing.T) {
	pair := func(op string, c int, kmsimOps, nullOps int, kmsimCPU, nullCPU time.Duration) []cell {
		return []cell{
			{op: op, c: c, server: "kmsim", calls: kmsimOps, wall: time.Second, serverCPU: kmsimCPU},
			{op: op, c: c, server: "null", calls: nullOps, wall: time.Second, serverCPU: nullCPU},
		}
	}
	var cells []cell
	cells = append(cells, pair("DescribeKey", 16, 90, 100, 110, 100)...)
	cells = append(cells, pair("DescribeKey", 16, 80, 100, 130, 100)...)
	cells = append(cells, pair("DescribeKey", 16, 100, 100, 100, 100)...)
	cells = append(cells, pair("CreateKey", 1, 50, 100, 150, 100)...)
	cells = append(cells, pair("CreateKey", 16, 50, 100, -1, 100)...)
	var b bytes.Buffer
	printRatios(&b, cells)
	want := []string{
		`DescribeKey\s+16\s+90% \(80–100%\)\s+1\.10× \(1\.00–1\.30×\)`,
		`CreateKey\s+1\s+50%\s+1\.50×`,
		`CreateKey\s+16\s+50%\s+-`,
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2+len(want) {
		t.Fatalf("printRatios wrote %d lines:\n%s", len(lines), b.String())
	}
	for i, w := range want {
		if !regexp.MustCompile(`^` + w + `$`).MatchString(lines[2+i]) {
			t.Errorf("line %q does not match %s", lines[2+i], w)
		}
	}
}

func TestSpread(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want string
	}{
		{[]float64{1.5}, "1.50×"},
		{[]float64{1.3, 1.1}, "1.20× (1.10–1.30×)"},
		{[]float64{1.4, 1.0, 1.2}, "1.20× (1.00–1.40×)"},
	} {
		if got := spread(tc.xs, "%.2f", "×"); got != tc.want {
			t.Errorf("spread(%v) = %q, want %q", tc.xs, got, tc.want)
		}
	}
}
