package kmshttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
)

// newHandler returns a handler of env's engine on env's clock that fails
// the test on any panic it recovers from.
func newHandler(tb testing.TB, env *kmstest.Env, cfg kmshttp.Config) *kmshttp.Handler {
	tb.Helper()
	if cfg.Clock == nil {
		cfg.Clock = env.Clock
	}
	cfg.OnPanic = func(v any) { tb.Errorf("handler panicked: %v", v) }
	h, err := kmshttp.New(env.Engine, cfg)
	require.NoError(tb, err)
	return h
}

// newServer serves a new handler of env over a local socket.
func newServer(tb testing.TB, env *kmstest.Env, cfg kmshttp.Config) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(newHandler(tb, env, cfg))
	tb.Cleanup(srv.Close)
	return srv
}

// newClient returns the real SDK client for srv in Region r, signing with
// the given access key.
func newClient(srv *httptest.Server, r, akid, secret string) *kms.Client {
	return kms.New(kms.Options{
		Region:       r,
		BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret}, nil
		}),
		RetryMaxAttempts: 1,
		HTTPClient:       srv.Client(),
	})
}

// testClient is newClient with the default "test" access key.
func testClient(srv *httptest.Server, r string) *kms.Client {
	return newClient(srv, r, "test", "test")
}

// kmsRequest builds a raw KMS request for operation op ("" sends no
// X-Amz-Target) with an optional Authorization header.
func kmsRequest(op, auth, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if op != "" {
		r.Header.Set("X-Amz-Target", "TrentService."+op)
	}
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	return r
}

// serve runs one request through h in process.
func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// kmsError is the body of a KMS error response.
type kmsError struct {
	Type    string  `json:"__type"`
	Message *string `json:"message"`
}

// requireError checks that w holds a KMS error response with the given
// status and code and returns its message ("" when absent).
func requireError(tb testing.TB, w *httptest.ResponseRecorder, status int, code string) string {
	tb.Helper()
	require.Equal(tb, status, w.Code, "body: %s", w.Body)
	require.Equal(tb, code, w.Header().Get("X-Amzn-ErrorType"), "body: %s", w.Body)
	require.Equal(tb, "application/x-amz-json-1.1", w.Header().Get("Content-Type"))
	require.NotEmpty(tb, w.Header().Get("X-Amzn-RequestId"))
	var e kmsError
	dec := json.NewDecoder(w.Body)
	dec.DisallowUnknownFields()
	require.NoError(tb, dec.Decode(&e))
	_, err := dec.Token()
	require.ErrorIs(tb, err, io.EOF)
	require.Equal(tb, code, e.Type)
	if e.Message == nil {
		return ""
	}
	require.NotEmpty(tb, *e.Message, "an empty message is omitted")
	return *e.Message
}

// authHeader returns an Authorization header for akid in Region r; the
// signature is not checked outside strict mode.
func authHeader(akid, r string) string {
	return "AWS4-HMAC-SHA256 Credential=" + akid + "/20260101/" + r + "/kms/aws4_request, " +
		"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + strings.Repeat("0", 64)
}

// inProcess is an HTTP client for the SDK that calls a handler directly,
// without sockets. record, when set, sees each request and its body.
type inProcess struct {
	h      http.Handler
	record func(r *http.Request, body []byte)
}

func (c inProcess) Do(r *http.Request) (*http.Response, error) {
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	if c.record != nil {
		var body []byte
		if r.Body != nil {
			var err error
			if body, err = io.ReadAll(r.Body); err != nil {
				return nil, err
			}
		}
		c.record(r, body)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	return w.Result(), nil
}

// inProcessClient returns the real SDK client in Region r calling h in
// process with the "test" access key.
func inProcessClient(h http.Handler, r string, record func(*http.Request, []byte)) *kms.Client {
	return kms.New(kms.Options{
		Region:       r,
		BaseEndpoint: aws.String("http://kms.local"),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		}),
		RetryMaxAttempts: 1,
		HTTPClient:       inProcess{h: h, record: record},
	})
}

// allowKMS is an IAM identity policy that allows every KMS action; IAM
// users and roles can do nothing without one.
const allowKMS = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`
