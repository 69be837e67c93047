package kmstest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/region"
)

// Server is a kmsim HTTP endpoint for a test: an [httptest.Server]
// running the [kmshttp] handler over an [Env]. Real AWS SDK clients, the
// AWS CLI and other processes reach it at URL.
type Server struct {
	// Env is the engine behind the server and its manual clock; tests
	// may call and advance it directly.
	Env *Env
	// URL is the server's base URL, http://127.0.0.1:<port>, for a
	// client's BaseEndpoint or the CLI's --endpoint-url.
	URL string
	// Handler is the kmshttp handler the server runs.
	Handler *kmshttp.Handler

	srv *httptest.Server
}

// ServerConfig sets the kmshttp configuration of [NewServer] and
// [HTTPHarness], for instance StrictSigV4 or a Logger. Its Clock is
// replaced by the Env's, and its OnPanic by one that fails the test.
// Strict mode checks request dates against the real time, not the
// Env's clock, as SDKs sign with the real time.
func ServerConfig(cfg kmshttp.Config) Option { return func(c *envConfig) { c.http = cfg } }

// NewServer starts a kmsim server over a new [Env] made with opts, as
// [NewEnv] makes it. The server is closed when the test ends; a panic in
// the handler fails the test.
//
// The handler serves account [DefaultAccount] with the access key "test"
// and secret "test" ([Server.Client] uses them), takes a request's
// Region from its signature, and serves the kmshttp admin API under
// /_kmsim/, including POST /_kmsim/clock/advance, which moves Env.Clock.
//
// t may be nil outside a test, as in an example; the caller must then
// Close the server, and NewServer panics if setup fails.
func NewServer(t testing.TB, opts ...Option) *Server {
	if t != nil {
		t.Helper()
	}
	s, err := newServer(t, newEnvConfig(opts))
	if err != nil {
		if t == nil {
			panic(err)
		}
		t.Fatalf("kmstest: %v", err)
	}
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

func newServer(t testing.TB, c envConfig) (*Server, error) {
	env, err := newEnv(c)
	if err != nil {
		return nil, err
	}
	h, err := newHandler(t, env, c.http)
	if err != nil {
		return nil, err
	}
	srv := httptest.NewServer(h)
	return &Server{Env: env, URL: srv.URL, Handler: h, srv: srv}, nil
}

// newHandler returns the kmshttp handler of env, failing t on a panic.
func newHandler(t testing.TB, env *Env, cfg kmshttp.Config) (*kmshttp.Handler, error) {
	cfg.Clock = env.Clock
	cfg.OnPanic = nil
	if t != nil {
		cfg.OnPanic = func(v any) { t.Errorf("kmstest: the kmshttp handler panicked: %v", v) }
	}
	if cfg.DefaultAccount == "" {
		cfg.DefaultAccount = DefaultAccount
	}
	h, err := kmshttp.New(env.Engine, cfg)
	if err != nil {
		return nil, fmt.Errorf("kmstest: %w", err)
	}
	return h, nil
}

// Client returns a real *kms.Client of the server in Region r: static
// credentials "test"/"test", BaseEndpoint the server's URL, the test
// server's HTTP client and RetryMaxAttempts 1, so that a server error
// comes back at once instead of after three attempts.
func (s *Server) Client(r region.ID) *kms.Client {
	return newSDKClient(r, s.URL, s.srv.Client())
}

// Close shuts the server down, waiting for requests in flight. NewServer
// calls it when the test ends; calling it again does nothing.
func (s *Server) Close() { s.srv.Close() }

// testCredentials signs with the access key kmshttp registers.
var testCredentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
	return aws.Credentials{
		AccessKeyID:     kmshttp.TestAccessKeyID,
		SecretAccessKey: kmshttp.TestSecretAccessKey,
		Source:          "kmstest",
	}, nil
})

// newSDKClient returns a real *kms.Client of a kmsim endpoint.
func newSDKClient(r region.ID, endpoint string, hc kms.HTTPClient) *kms.Client {
	return kms.New(kms.Options{
		Region:           string(r),
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      testCredentials,
		RetryMaxAttempts: 1,
		HTTPClient:       hc,
	})
}

// handlerClient is a kms.HTTPClient that serves every request with an
// http.Handler in the calling goroutine, through an
// [httptest.ResponseRecorder]: no sockets, no goroutines.
type handlerClient struct{ h http.Handler }

// Do serves req. A handler that aborts (panics with
// [http.ErrAbortHandler], as kmshttp does for a request whose context is
// done) gives the error a dropped connection would.
func (c handlerClient) Do(req *http.Request) (resp *http.Response, err error) {
	in := req.Clone(req.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "192.0.2.1:1234" // what httptest.NewRequest uses
	rec := httptest.NewRecorder()
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
			err = fmt.Errorf("kmstest: the handler aborted %s %s", req.Method, req.URL)
			if ctxErr := req.Context().Err(); ctxErr != nil {
				err = fmt.Errorf("%w: %w", err, ctxErr)
			}
			resp = nil
		}
	}()
	c.h.ServeHTTP(rec, in)
	resp = rec.Result()
	resp.Request = req
	return resp, nil
}
