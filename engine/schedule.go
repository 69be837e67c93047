package engine

import (
	"container/heap"
	"time"

	"github.com/kmsim/kmsim/keystore"
)

// Action names a scheduled transition.
type Action string

// Scheduled transitions: the asynchronous steps of KMS (spec §4.4).
const (
	// FinishCreating ends a new replica's Creating state: Enabled, or
	// PendingImport when the primary's material is imported.
	FinishCreating Action = "FinishCreating"
	// FinishUpdating returns a key from Updating to its previous state.
	FinishUpdating Action = "FinishUpdating"
	// DeleteKey removes a key whose deletion window has ended. Deleting
	// the last replica of a primary in PendingReplicaDeletion starts the
	// primary's own window.
	DeleteKey Action = "DeleteKey"
	// RotateKey is an automatic rotation of a family's key material, due
	// at its NextRotationDate (see rotation.go).
	RotateKey Action = "RotateKey"
	// FinishRotation completes an on-demand rotation (RotateKeyOnDemand).
	FinishRotation Action = "FinishRotation"
	// ExpireKeyMaterial removes imported key material from a key at its
	// ValidTo (see import.go).
	ExpireKeyMaterial Action = "ExpireKeyMaterial"
)

// Transition is a scheduled state change, as [Engine.Pending] lists it.
type Transition struct {
	Due    time.Time `json:"due"`
	Action Action    `json:"action"`
	KeyARN string    `json:"keyArn"`
}

// transition is one entry of the schedule.
type transition struct {
	due    time.Time
	seq    uint64
	action Action
	key    *keystore.Key
	index  int // position in the heap, kept by the heap methods
}

// schedule is a min-heap of transitions ordered by (due, seq), so that
// transitions due at the same instant apply in the order they were made.
type schedule struct {
	items []*transition
	seq   uint64
	// deletions finds a key's pending DeleteKey, which CancelKeyDeletion
	// withdraws.
	deletions map[*keystore.Key]*transition
}

func (s *schedule) Len() int { return len(s.items) }
func (s *schedule) Less(i, j int) bool {
	a, b := s.items[i], s.items[j]
	if c := a.due.Compare(b.due); c != 0 {
		return c < 0
	}
	return a.seq < b.seq
}
func (s *schedule) Swap(i, j int) {
	s.items[i], s.items[j] = s.items[j], s.items[i]
	s.items[i].index = i
	s.items[j].index = j
}
func (s *schedule) Push(x any) {
	t := x.(*transition)
	t.index = len(s.items)
	s.items = append(s.items, t)
}
func (s *schedule) Pop() any {
	n := len(s.items) - 1
	t := s.items[n]
	s.items[n] = nil
	s.items = s.items[:n]
	t.index = -1
	return t
}

// add schedules action on k at due.
func (s *schedule) add(due time.Time, action Action, k *keystore.Key) {
	s.seq++
	t := &transition{due: due, seq: s.seq, action: action, key: k}
	heap.Push(s, t)
	if action == DeleteKey {
		s.deletions[k] = t
	}
}

// cancelDeletion withdraws k's pending deletion, if any.
func (s *schedule) cancelDeletion(k *keystore.Key) {
	if t := s.deletions[k]; t != nil {
		heap.Remove(s, t.index)
		delete(s.deletions, k)
	}
}

// advance applies every transition due at or before now, in order. A
// transition may schedule another (the end of a primary's wait for its
// replicas); if that one is due too it is applied in the same pass.
func (s *schedule) advance(e *Engine, now time.Time) {
	for len(s.items) > 0 && !s.items[0].due.After(now) {
		t := heap.Pop(s).(*transition)
		if t.action == DeleteKey {
			delete(s.deletions, t.key)
		}
		e.apply(t)
	}
}

// apply performs one transition at its due time.
func (e *Engine) apply(t *transition) {
	k := t.key
	if t.action == RotateKey || t.action == FinishRotation {
		// Rotation belongs to the family, which outlives the key it
		// was scheduled on when that key is deleted.
		e.applyRotation(t.action, k.Family, t.due)
		return
	}
	if e.keys.Get(keystore.Scope{Account: k.Account(), Region: k.Region}, k.ID()) != k {
		return // the key is gone
	}
	switch t.action {
	case FinishCreating:
		// A replica scheduled for deletion while Creating keeps that state.
		if k.State == keystore.Creating {
			k.State = keystore.Enabled
			if k.Family.Origin == keystore.OriginExternal {
				k.State = keystore.PendingImport
			}
		}
	case FinishUpdating:
		if k.State == keystore.Updating {
			k.State = k.Resume
			k.Resume = ""
		}
	case DeleteKey:
		e.deleteKey(k, t.due)
	case ExpireKeyMaterial:
		e.expireMaterial(k, t.due)
	}
}

// deleteKey removes k at time at. When k is the last replica of a primary
// that waits in PendingReplicaDeletion, the primary's own deletion window
// starts now (spec §4.4).
func (e *Engine) deleteKey(k *keystore.Key, at time.Time) {
	f := k.Family
	e.keys.Delete(k)
	e.deleteAliasesOf(k)
	f.Remove(k)
	if f.Size() == 0 {
		// The last related key is gone and its material with it.
		for _, m := range f.Material.All() {
			delete(e.aeads, m)
		}
	}
	e.log.add(Event{
		Time:      at,
		Name:      "DeleteKey",
		Region:    k.Region,
		Account:   k.Account(),
		Principal: serviceKMS,
		Resources: []string{k.ARN},
	})
	p := f.Primary()
	if p != nil && p != k && p.State == keystore.PendingReplicaDeletion && len(f.Replicas()) == 0 {
		e.startDeletionWindow(p, at)
	}
}

// startDeletionWindow puts k in PendingDeletion with a DeletionDate its
// window after from, and schedules the deletion.
func (e *Engine) startDeletionWindow(k *keystore.Key, from time.Time) {
	k.State = keystore.PendingDeletion
	k.DeletionDate = from.Add(time.Duration(k.PendingWindowInDays) * 24 * time.Hour)
	e.queue.add(k.DeletionDate.Add(e.deletionLag), DeleteKey, k)
}

// Pending lists the scheduled transitions in the order they will apply.
// Transitions already due are applied first, as by any operation.
func (e *Engine) Pending() []Transition {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.queue.advance(e, e.clock.Now())
	// Sort copies: popping from a heap rewrites the entries' indexes,
	// which the real schedule needs to withdraw a deletion.
	items := make([]*transition, len(e.queue.items))
	for i, t := range e.queue.items {
		c := *t
		items[i] = &c
	}
	sorted := &schedule{items: items}
	out := make([]Transition, 0, len(items))
	for sorted.Len() > 0 {
		t := heap.Pop(sorted).(*transition)
		out = append(out, Transition{Due: t.due, Action: t.action, KeyARN: t.key.ARN})
	}
	return out
}
