package kmstest

import (
	"context"
	"sync"
	"testing"

	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/region"
)

// httpEndpoint is the BaseEndpoint of the HTTP harness's clients. No
// request leaves the process, so the host is never resolved.
const httpEndpoint = "http://kmsim.test"

// HTTPHarness returns a [RunConformance] harness constructor that runs
// every scenario on an Env of its own (made by [NewEnv] with opts) behind
// a [kmshttp] handler, through real *kms.Client values: static
// credentials "test"/"test", RetryMaxAttempts 1, and an HTTPClient that
// calls the handler in process through an [httptest.ResponseRecorder].
// No socket is opened, so it also runs inside a testing/synctest bubble.
// [ServerConfig] configures the handler; a handler panic fails the test.
// Settle and Advance work as the [EngineHarness]'s.
func HTTPHarness(opts ...Option) func(context.Context, *testing.T) (Harness, error) {
	return func(_ context.Context, t *testing.T) (Harness, error) {
		c := newEnvConfig(opts)
		env, err := newEnv(c)
		if err != nil {
			return nil, err
		}
		h, err := newHandler(t, env, c.http)
		if err != nil {
			return nil, err
		}
		return &httpHarness{simHarness: simHarness{env: env}, handler: h, clients: make(map[string]API)}, nil
	}
}

// httpHarness runs scenarios through real SDK clients and kmshttp.
type httpHarness struct {
	simHarness
	handler *kmshttp.Handler
	mu      sync.Mutex
	clients map[string]API
}

var _ ClockHarness = (*httpHarness)(nil)

// Client implements [Harness.Client] with a *kms.Client per Region.
func (h *httpHarness) Client(r string) API {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.clients[r]
	if !ok {
		c = newSDKClient(region.ID(r), httpEndpoint, handlerClient{h.handler})
		h.clients[r] = c
	}
	return c
}
