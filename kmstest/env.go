package kmstest

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/region"
)

// DefaultAccount is the account every [Env] starts with.
const DefaultAccount = "111122223333"

// Start is the time an [Env]'s clock starts at unless [At] says otherwise.
var Start = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// Env is an engine wired to a manual clock and a seeded random source,
// with one account ready to use.
type Env struct {
	Engine *engine.Engine
	Clock  *Clock
}

// Option configures [NewEnv], and likewise [NewServer], [EngineHarness]
// and [HTTPHarness].
type Option func(*envConfig)

type envConfig struct {
	seed  uint64
	start time.Time
	cfg   engine.Config
	// http configures the handler of NewServer and HTTPHarness.
	http kmshttp.Config
}

// Seed sets the seed of the random source (default 1).
func Seed(n uint64) Option { return func(c *envConfig) { c.seed = n } }

// At sets the clock's start time (default [Start]).
func At(t time.Time) Option { return func(c *envConfig) { c.start = t } }

// WithConfig lets a test set engine options; Clock and Rand are replaced
// by the Env's own.
func WithConfig(cfg engine.Config) Option { return func(c *envConfig) { c.cfg = cfg } }

// NewEnv returns an Env whose engine holds [DefaultAccount] in the aws
// partition. It fails the test if setup fails.
func NewEnv(tb testing.TB, opts ...Option) *Env {
	tb.Helper()
	env, err := newEnv(newEnvConfig(opts))
	if err != nil {
		tb.Fatalf("kmstest: %v", err)
	}
	return env
}

// newEnvConfig applies opts to the defaults.
func newEnvConfig(opts []Option) envConfig {
	c := envConfig{seed: 1, start: Start}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// newEnv is NewEnv without a test to fail.
func newEnv(c envConfig) (*Env, error) {
	var key [32]byte
	for i := range 8 {
		key[i] = byte(c.seed >> (8 * i))
	}
	clock := NewClock(c.start)
	c.cfg.Clock = clock
	c.cfg.Rand = rand.NewChaCha8(key)
	e := engine.New(c.cfg)
	if err := e.CreateAccount(engine.AccountInput{ID: DefaultAccount}); err != nil {
		return nil, err
	}
	return &Env{Engine: e, Clock: clock}, nil
}

// Caller returns the root user of [DefaultAccount] calling in Region r.
func (env *Env) Caller(r region.ID) engine.Caller {
	return engine.Caller{Account: DefaultAccount, Region: r}
}

// Settle advances the clock past every scheduled transition, including
// those that applying others schedules, so no key is left Creating,
// Updating or waiting out a deletion window, and no on-demand rotation or
// material expiry is left to come. Automatic rotations that fall due on
// the way happen; those after the last other transition stay scheduled.
func (env *Env) Settle() {
	for {
		// Automatic rotation recurs for as long as it is enabled, so it
		// alone never settles; it happens when the clock passes it.
		var last time.Time
		for _, p := range env.Engine.Pending() {
			if p.Action != engine.RotateKey {
				last = p.Due
			}
		}
		if last.IsZero() {
			return
		}
		env.Clock.Set(last)
	}
}

// Advance moves the clock by d and applies what falls due.
func (env *Env) Advance(d time.Duration) {
	env.Clock.Advance(d)
	env.Engine.Pending()
}

// Client returns an in-process client of the Env's engine in Region r,
// calling as the root user of [DefaultAccount]: the *kms.Client method set
// with no network. Clients of different Regions see the same keys.
func (env *Env) Client(r region.ID) *kmssdk.Client {
	return kmssdk.New(env.Engine, kmssdk.WithRegion(r), kmssdk.WithCaller(DefaultAccount, ""))
}
