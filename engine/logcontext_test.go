package engine

import (
	"testing"

	"pgregory.net/rapid"
)

// A packed context unpacks to the same map, and nil and empty stay
// apart.
func TestLoggedContextRoundTrip(t *testing.T) {
	if got := packContext(nil).unpack(); got != nil {
		t.Fatalf("nil context unpacked to %v", got)
	}
	if got := packContext(map[string]string{}).unpack(); got == nil || len(got) != 0 {
		t.Fatalf("empty context unpacked to %#v", got)
	}
	rapid.Check(t, func(t *rapid.T) {
		ctx := rapid.MapOf(rapid.String(), rapid.String()).Draw(t, "ctx")
		got := packContext(ctx).unpack()
		if len(got) != len(ctx) {
			t.Fatalf("got %d pairs, want %d", len(got), len(ctx))
		}
		for k, v := range ctx {
			if g, ok := got[k]; !ok || g != v {
				t.Fatalf("pair %q: got %q, %v; want %q", k, g, ok, v)
			}
		}
	})
}
