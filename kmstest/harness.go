package kmstest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/region"
)

// identityPolicyName is the name under which the simulated harnesses
// attach the identity policy of [PrincipalHarness.AddPrincipal].
const identityPolicyName = "kmstest-conformance"

// EngineHarness returns a [RunConformance] harness constructor that runs
// every scenario on an engine of its own, made by [NewEnv] with opts,
// through in-process [kmssdk] clients. Its Settle moves the manual clock
// past the last pending Creating or Updating transition (repeatedly, in
// case applying one schedules another); deletion windows end only when a
// scenario advances the clock, which the harness allows ([ClockHarness]).
// It is a [PrincipalHarness]: AddPrincipal calls the engine's
// CreatePrincipal and PutPrincipalPolicy, and ClientAs gives a kmssdk
// client with [kmssdk.WithCaller].
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
// Updating and no on-demand rotation runs. Unlike [Env.Settle] it leaves deletion windows running,
// unless one ends before a transient state does, as it would in real time.
func settleTransient(ctx context.Context, env *Env) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var last time.Time
		for _, p := range env.Engine.Pending() {
			if p.Action == engine.FinishCreating || p.Action == engine.FinishUpdating || p.Action == engine.FinishRotation {
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

var (
	_ ClockHarness     = (*engineHarness)(nil)
	_ PrincipalHarness = (*engineHarness)(nil)
)

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

// AddPrincipal implements [PrincipalHarness] on the engine.
func (h *engineHarness) AddPrincipal(_ context.Context, arn, identityPolicy string) error {
	return addPrincipal(h.env.Engine, arn, identityPolicy)
}

// addPrincipal creates an IAM user or role in e and attaches an identity
// policy unless it is empty.
func addPrincipal(e *engine.Engine, arn, identityPolicy string) error {
	if err := e.CreatePrincipal(arn); err != nil {
		return err
	}
	if identityPolicy == "" {
		return nil
	}
	return e.PutPrincipalPolicy(arn, identityPolicyName, identityPolicy)
}

// ClientAs implements [PrincipalHarness] with a kmssdk client calling as
// principalARN in the account its ARN names.
func (h *engineHarness) ClientAs(r, principalARN string) API {
	a, _ := region.ParseARN(principalARN)
	return kmssdk.New(h.env.Engine, kmssdk.WithRegion(region.ID(r)), kmssdk.WithCaller(a.Account, principalARN))
}
