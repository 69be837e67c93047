package engine

import (
	"container/heap"
	"time"

	"github.com/kmsim/kmsim/keystore"
)

// removeWhere withdraws every scheduled transition for which drop reports
// true, so that [Engine.Pending] lists only transitions that will do
// something. It is linear in the schedule, which holds a few entries per
// key.
func (s *schedule) removeWhere(drop func(*transition) bool) {
	kept := s.items[:0]
	for _, t := range s.items {
		if !drop(t) {
			kept = append(kept, t)
		}
	}
	clear(s.items[len(kept):])
	s.items = kept
	for i, t := range s.items {
		t.index = i
	}
	heap.Init(s)
}

// cancelRotation withdraws family f's scheduled automatic rotation.
func (e *Engine) cancelRotation(f *keystore.Family) {
	e.queue.removeWhere(func(t *transition) bool { return t.action == RotateKey && t.key.Family == f })
}

// scheduleRotation schedules family f's next automatic rotation at its
// NextRotationDate, replacing any earlier schedule.
func (e *Engine) scheduleRotation(f *keystore.Family) {
	e.cancelRotation(f)
	if r := f.RotationState(); r.Enabled {
		e.queue.add(r.Next, RotateKey, f.Primary())
	}
}

// scheduleExpiry schedules the expiry of the imported material of k that
// expires first, replacing any earlier schedule; expireMaterial schedules
// the next one when it runs.
func (e *Engine) scheduleExpiry(k *keystore.Key) {
	e.queue.removeWhere(func(t *transition) bool { return t.action == ExpireKeyMaterial && t.key == k })
	var first time.Time
	for _, h := range k.Import.Held {
		if !h.ValidTo.IsZero() && (first.IsZero() || h.ValidTo.Before(first)) {
			first = h.ValidTo
		}
	}
	if !first.IsZero() {
		e.queue.add(first, ExpireKeyMaterial, k)
	}
}
