package bench_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/kmsim/kmsim/bench"
	"github.com/kmsim/kmsim/region"
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
// record with material a CreateKey, one replica record a ReplicateKey in
// the next Region, and a multi-Region primary for every MaxReplicas
// replicas.
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
	for range bench.MaxReplicas {
		post(t, keep, "ReplicateKey", `{}`)
	}
	// One key, then MaxReplicas+1 replicas: two primaries, the first with
	// a replica in every Region of ReplicaRegions, the second with one.
	regions := bench.ReplicaRegions(bench.Home, bench.MaxReplicas)
	want := map[region.ID]int{bench.Home: 3, regions[0]: 2}
	for _, r := range regions[1:] {
		want[r] = 1
	}
	byRegion, withMaterial := keep.Kept()
	if !reflect.DeepEqual(byRegion, want) {
		t.Errorf("kept by Region %v, want %v", byRegion, want)
	}
	// Replicas share their family's material.
	if all := 3 + bench.MaxReplicas + 1; withMaterial != all {
		t.Errorf("%d of %d records with material", withMaterial, all)
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
	// 64 replicas, MaxReplicas to a primary in every Region, the
	// primaries of their families, and the keys Prepare made.
	byRegion, _ := keep.Kept()
	for _, r := range bench.ReplicaRegions(bench.Home, bench.MaxReplicas) {
		if byRegion[r] != 64/bench.MaxReplicas {
			t.Errorf("%d replicas in %s, want %d", byRegion[r], r, 64/bench.MaxReplicas)
		}
	}
	if want := 2 * 64 / bench.MaxReplicas; byRegion[bench.Home] != want {
		t.Errorf("%d keys in %s, want %d", byRegion[bench.Home], bench.Home, want)
	}
}
