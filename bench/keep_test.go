package bench_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kmsim/kmsim/bench"
)

// post sends one KMS request for op to h and returns the response body.
func post(t *testing.T, h http.Handler, op, body string) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "TrentService."+op)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", op, w.Code, w.Body)
	}
	b, err := io.ReadAll(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The keeping handler answers as the null handler does, and keeps one key
// record a CreateKey, one a ReplicateKey, and a multi-Region primary for
// every MaxReplicas replicas.
func TestKeepHandlerKeepsRecords(t *testing.T) {
	null, err := bench.NewNullHandler()
	if err != nil {
		t.Fatal(err)
	}
	keep, err := bench.NewKeepHandler()
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range []string{"CreateKey", "ReplicateKey", "DescribeKey", "Encrypt"} {
		if got, want := post(t, keep, op, `{}`), post(t, null, op, `{}`); got != want {
			t.Errorf("%s: keep answered %s, null %s", op, got, want)
		}
	}
	// So far: one key, one primary and its replica.
	if got := keep.Keys(); got != 3 {
		t.Fatalf("Keys = %d after one CreateKey and one ReplicateKey, want 3", got)
	}
	for range bench.MaxReplicas {
		post(t, keep, "ReplicateKey", `{}`)
	}
	// 1 + MaxReplicas+1 replicas: a second primary took the last one.
	if got, want := keep.Keys(), 3+bench.MaxReplicas+1; got != want {
		t.Errorf("Keys = %d, want %d", got, want)
	}
	post(t, keep, "DescribeKey", `{}`)
	if got, want := keep.Keys(), 3+bench.MaxReplicas+1; got != want {
		t.Errorf("DescribeKey kept a record: Keys = %d, want %d", got, want)
	}
}

// The keeping handler is safe for concurrent requests.
func TestKeepHandlerConcurrent(t *testing.T) {
	keep, err := bench.NewKeepHandler()
	if err != nil {
		t.Fatal(err)
	}
	s := httptest.NewServer(keep)
	t.Cleanup(s.Close)
	ctx := context.Background()
	op, _ := bench.LookupOp("ReplicateKey")
	call, err := op.Prepare(ctx, bench.NewHTTPClient(s.URL, bench.Home, 8), 64)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 8)
	for g := range 8 {
		go func() {
			for i := g; i < 64; i += 8 {
				if err := call(ctx, i); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	// 64 replicas, 4 primaries for them, and the primaries Prepare made.
	if got, want := keep.Keys(), 64+64/bench.MaxReplicas+64/bench.MaxReplicas; got != want {
		t.Errorf("Keys = %d, want %d", got, want)
	}
}
