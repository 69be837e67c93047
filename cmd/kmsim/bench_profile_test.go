package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBenchProfileFlagsNeedServe(t *testing.T) {
	for _, args := range [][]string{{"-cpuprofile", "cpu.out"}, {"-memprofile", "mem.out"}} {
		var stdout, stderr bytes.Buffer
		if code := runBench(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("kmsim bench %q = %d, want 2", args, code)
		}
		if want := "-cpuprofile and -memprofile need -serve"; !strings.Contains(stderr.String(), want) {
			t.Errorf("kmsim bench %q: stderr %q, want it to contain %q", args, stderr.String(), want)
		}
	}
}

// TestServeChildWritesProfiles serves until its (empty) input ends and
// checks that both profiles are there and readable.
func TestServeChildWritesProfiles(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.out"), filepath.Join(dir, "mem.out")
	var out bytes.Buffer
	if err := serveChild("kmsim", cpu, mem, strings.NewReader(""), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "http://127.0.0.1:") {
		t.Errorf("serveChild printed %q, want the server's URL", out.String())
	}
	for _, p := range []string{cpu, mem} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		// Profiles are gzip-compressed protocol buffers.
		if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
			t.Errorf("%s is not a gzip-compressed profile (%d bytes)", filepath.Base(p), len(b))
		}
	}
}
