package kmstest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/region"
)

// EngineHarness returns a [RunConformance] harness constructor that runs
// every scenario on an engine of its own, made by [NewEnv] with opts,
// through in-process [kmssdk] clients. Its Settle moves the manual clock
// past the last pending Creating or Updating transition (repeatedly, in
// case applying one schedules another); deletion windows end only when a
// scenario advances the clock, which the harness allows ([ClockHarness]).
func EngineHarness(opts ...Option) func(context.Context, *testing.T) (Harness, error) {
	return func(_ context.Context, t *testing.T) (Harness, error) {
		env := NewEnv(t, opts...)
		return &engineHarness{
			simHarness: simHarness{env: env},
			clients:    make(map[string]API),
		}, nil
	}
}

// simHarness is what the engine and HTTP harnesses share: an Env whose
// clock they control.
type simHarness struct {
	env *Env
}

// Settle implements [Harness.Settle].
func (h *simHarness) Settle(ctx context.Context) error { return settleTransient(ctx, h.env) }

// Advance implements [ClockHarness].
func (h *simHarness) Advance(d time.Duration) { h.env.Advance(d) }

// Close implements [Harness.Close]; the Env needs no cleanup.
func (h *simHarness) Close() {}

// settleTransient advances env's clock until no key is Creating or
// Updating. Unlike [Env.Settle] it leaves deletion windows running,
// unless one ends before a transient state does, as it would in real time.
func settleTransient(ctx context.Context, env *Env) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var last time.Time
		for _, p := range env.Engine.Pending() {
			if p.Action == engine.FinishCreating || p.Action == engine.FinishUpdating {
				last = p.Due // Pending lists them in order, so the last one wins
			}
		}
		if last.IsZero() {
			return nil
		}
		if last.After(env.Clock.Now()) {
			env.Clock.Set(last)
		}
	}
}

// engineHarness runs scenarios through kmssdk clients.
type engineHarness struct {
	simHarness
	mu      sync.Mutex
	clients map[string]API
}

var _ ClockHarness = (*engineHarness)(nil)

// Client implements [Harness.Client] with an [Env.Client] per Region.
func (h *engineHarness) Client(r string) API {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.clients[r]
	if !ok {
		c = h.env.Client(region.ID(r))
		h.clients[r] = c
	}
	return c
}
