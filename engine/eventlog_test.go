package engine

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// The log keeps every event, or the newest limit of them, oldest first,
// across chunk boundaries and ring wrap-arounds.
func TestEventLogKeepsTheNewest(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		limit := rapid.OneOf(rapid.Just(0), rapid.IntRange(1, 3*eventChunk)).Draw(t, "limit")
		n := rapid.IntRange(0, 4*eventChunk).Draw(t, "events")
		l := eventLog{limit: limit}
		for i := range n {
			l.add(Event{Name: fmt.Sprint(i)})
		}
		got := l.appendAll(nil)
		want := n
		if limit > 0 {
			want = min(n, limit)
		}
		if len(got) != want {
			t.Fatalf("log holds %d events, want %d", len(got), want)
		}
		for i, ev := range got {
			seq := n - want + i + 1
			if ev.Seq != uint64(seq) || ev.Name != fmt.Sprint(seq-1) {
				t.Fatalf("event %d is #%d %q, want #%d", i, ev.Seq, ev.Name, seq)
			}
		}
	})
}
