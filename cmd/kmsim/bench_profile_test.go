package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kmsim/kmsim/bench"
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

// Every kind -serve accepts makes a handler that answers CreateKey;
// "keep" is bench.KeepHandler, which keeps the key.
func TestServeKinds(t *testing.T) {
	for _, kind := range []string{"kmsim", "null", "keep"} {
		h, err := newServerHandler(kind)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "TrentService.CreateKey")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"KeyMetadata"`) {
			t.Errorf("%s: CreateKey answered %d %s", kind, w.Code, w.Body)
		}
		if keep, ok := h.(*bench.KeepHandler); ok {
			if byRegion, _ := keep.Kept(); byRegion[bench.Home] != 1 {
				t.Errorf("keep: kept %v after one CreateKey", byRegion)
			}
		} else if kind == "keep" {
			t.Errorf("keep: handler is %T", h)
		}
	}
}
