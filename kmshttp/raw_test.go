package kmshttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
)

// A successful response: status, headers and a body shaped as the model.
func TestRawSuccess(t *testing.T) {
	env := kmstest.NewEnv(t)
	h := newHandler(t, env, kmshttp.Config{})

	w := serve(h, kmsRequest("CreateKey", "", `{"Description":"d","MultiRegion":true}`))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, "application/x-amz-json-1.1", w.Header().Get("Content-Type"))
	assert.Equal(t, "00000000-0000-4000-8000-000000000001", w.Header().Get("X-Amzn-RequestId"))
	assert.Empty(t, w.Header().Get("X-Amzn-ErrorType"))
	var out struct {
		KeyMetadata map[string]any
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &out))
	md := out.KeyMetadata
	id := md["KeyId"].(string)
	assert.Equal(t, "arn:aws:kms:us-east-1:111122223333:key/"+id, md["Arn"], "unsigned requests go to us-east-1")
	assert.Equal(t, "d", md["Description"])
	assert.Equal(t, true, md["Enabled"])
	assert.Equal(t, float64(kmstest.Start.Unix()), md["CreationDate"], "epoch seconds")
	assert.NotContains(t, md, "DeletionDate")
	assert.Contains(t, w.Body.String(), `"ReplicaKeys":[]`)

	// Members not spelled exactly as in the model are ignored, even when
	// they match one without regard to case.
	w = serve(h, kmsRequest("DescribeKey", "", `{"KeyId":"`+id+`","keyid":"alias/other","KEYID":7}`))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), id)
	assert.Equal(t, "00000000-0000-4000-8000-000000000002", w.Header().Get("X-Amzn-RequestId"))

	// Operations without output members answer {}.
	w = serve(h, kmsRequest("TagResource", "", `{"KeyId":"`+id+`","Tags":[{"TagKey":"k","TagValue":"v"}]}`))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, "{}", w.Body.String())
}

// The Region comes from the credential scope; the caller from the access
// key, with unknown keys acting as the default account outside strict
// mode.
func TestRegionsAndCallers(t *testing.T) {
	env := kmstest.NewEnv(t)
	require.NoError(t, env.Engine.CreateAccount(engine.AccountInput{ID: "444455556666"}))
	require.NoError(t, env.Engine.CreatePrincipal("arn:aws:iam::444455556666:user/alice"))
	require.NoError(t, env.Engine.PutPrincipalPolicy("arn:aws:iam::444455556666:user/alice", "kms", allowKMS))
	require.NoError(t, env.Engine.CreateAccessKey(engine.AccessKey{
		ID: "AKIDALICE", Secret: "s", Account: "444455556666", Principal: "arn:aws:iam::444455556666:user/alice",
	}))
	h := newHandler(t, env, kmshttp.Config{DefaultRegion: "eu-central-1"})

	arnOf := func(auth string) string {
		t.Helper()
		w := serve(h, kmsRequest("CreateKey", auth, ""))
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		var out struct{ KeyMetadata struct{ Arn string } }
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &out))
		arn := out.KeyMetadata.Arn
		return arn[:strings.LastIndex(arn, "/")]
	}
	assert.Equal(t, "arn:aws:kms:eu-central-1:111122223333:key", arnOf(""))
	assert.Equal(t, "arn:aws:kms:ap-south-1:111122223333:key", arnOf(authHeader("test", "ap-south-1")))
	assert.Equal(t, "arn:aws:kms:ap-south-1:111122223333:key", arnOf(authHeader("AKIDUNKNOWN", "ap-south-1")))
	assert.Equal(t, "arn:aws:kms:us-west-2:444455556666:key", arnOf(authHeader("AKIDALICE", "us-west-2")))
	// Outside strict mode an unreadable header counts as none, but a
	// readable Credential still picks the Region.
	assert.Equal(t, "arn:aws:kms:eu-central-1:111122223333:key", arnOf("Bearer xyz"))
	assert.Equal(t, "arn:aws:kms:sa-east-1:444455556666:key", arnOf("AWS4-HMAC-SHA256 Credential=AKIDALICE/20260101/sa-east-1/kms/aws4_request"))

	evs := env.Engine.Events()
	require.NotEmpty(t, evs)
	last := evs[len(evs)-1]
	assert.Equal(t, "arn:aws:iam::444455556666:user/alice", last.Principal)

	// A Region of another partition is not the account's.
	w := serve(h, kmsRequest("ListKeys", authHeader("test", "cn-north-1"), "{}"))
	requireError(t, w, 400, "UnrecognizedClientException")
}

// Error responses: status, headers and body exactly as KMS sends them.
func TestRawErrorFormat(t *testing.T) {
	env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{Faults: faultsByOp{
		"DescribeKey": &kmserrors.NotFoundException{Message: `Key 'x' <does> not "exist"`},
		"DisableKey":  &kmserrors.InvalidCiphertextException{},
		"EnableKey":   &kmserrors.DependencyTimeoutException{Message: "slow"},
	}}))
	h := newHandler(t, env, kmshttp.Config{})

	w := serve(h, kmsRequest("DescribeKey", "", `{"KeyId":"x"}`))
	assert.Equal(t, 400, w.Code)
	assert.Equal(t, "NotFoundException", w.Header().Get("X-Amzn-ErrorType"))
	assert.Equal(t, "application/x-amz-json-1.1", w.Header().Get("Content-Type"))
	assert.Equal(t, "00000000-0000-4000-8000-000000000001", w.Header().Get("X-Amzn-RequestId"))
	assert.Equal(t, `{"__type":"NotFoundException","message":"Key 'x' <does> not \"exist\""}`, w.Body.String())
	assert.Equal(t, []string{strconv.Itoa(w.Body.Len())}, w.Header()["Content-Length"])

	// An empty message is left out.
	w = serve(h, kmsRequest("DisableKey", "", `{"KeyId":"x"}`))
	assert.Equal(t, 400, w.Code)
	assert.Equal(t, `{"__type":"InvalidCiphertextException"}`, w.Body.String())
	assert.Equal(t, "", requireError(t, serve(h, kmsRequest("DisableKey", "", `{"KeyId":"x"}`)), 400, "InvalidCiphertextException"))

	// Server errors keep their status.
	w = serve(h, kmsRequest("EnableKey", "", `{"KeyId":"x"}`))
	assert.Equal(t, "slow", requireError(t, w, 503, "DependencyTimeoutException"))
}

// faultsByOp fails the named operations with the given errors.
type faultsByOp map[string]error

func (f faultsByOp) Before(op engine.Op) error { return f[op.Name] }

// Requests the front end rejects before the engine sees them.
func TestRawFrontEndErrors(t *testing.T) {
	env := kmstest.NewEnv(t)
	h := newHandler(t, env, kmshttp.Config{MaxBodyBytes: 1024})
	tests := []struct {
		name   string
		req    *http.Request
		code   string
		status int
		msg    string // substring; "" skips
	}{
		{"missing target", kmsRequest("", "", "{}"), "UnknownOperationException", 400, "Missing X-Amz-Target"},
		{"unknown operation", kmsRequest("DescribeKeys", "", "{}"), "UnknownOperationException", 400, `"DescribeKeys"`},
		{"lower-case operation", kmsRequest("describeKey", "", "{}"), "UnknownOperationException", 400, ""},
		{"other service", func() *http.Request {
			r := kmsRequest("", "", "{}")
			r.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
			return r
		}(), "UnknownOperationException", 400, "DynamoDB_20120810.ListTables"},
		{"GET", httptest.NewRequest(http.MethodGet, "/", nil), "UnknownOperationException", 400, "POST"},
		{"not JSON", kmsRequest("DescribeKey", "", `{"KeyId":`), "SerializationException", 400, ""},
		{"not an object", kmsRequest("DescribeKey", "", `["KeyId"]`), "SerializationException", 400, ""},
		{"trailing data", kmsRequest("DescribeKey", "", `{"KeyId":"k"} {}`), "SerializationException", 400, ""},
		{"wrong member type", kmsRequest("DescribeKey", "", `{"KeyId":5}`), "SerializationException", 400, "NUMBER_VALUE can not be converted to a String"},
		{"wrong integer", kmsRequest("ListKeys", "", `{"Limit":"10"}`), "SerializationException", 400, ""},
		{"body over the limit", kmsRequest("DescribeKey", "", `{"KeyId":"`+strings.Repeat("a", 1024)+`"}`), "SerializationException", 400, "larger than the limit of 1024 bytes"},
		{"body over the limit, unknown length", func() *http.Request {
			r := kmsRequest("DescribeKey", "", `{"KeyId":"`+strings.Repeat("a", 1024)+`"}`)
			r.ContentLength = -1
			return r
		}(), "SerializationException", 400, "larger than the limit of 1024 bytes"},
		{"missing required member", kmsRequest("DescribeKey", "", `{}`), "ValidationException", 400, "Value null at 'keyId' failed to satisfy constraint: Member must not be null"},
		{"enum", kmsRequest("CreateKey", "", `{"KeySpec":"AES_512"}`), "ValidationException", 400, "Member must satisfy enum value set"},
		{"not implemented", kmsRequest("CreateGrant", "", `{"KeyId":"k","GranteePrincipal":"arn:aws:iam::111122223333:root","Operations":["Decrypt"]}`), "UnsupportedOperationException", 400, "kmsim does not implement CreateGrant yet"},
		{"not implemented, invalid", kmsRequest("CreateGrant", "", `{}`), "ValidationException", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := requireError(t, serve(h, tt.req), tt.status, tt.code)
			assert.Contains(t, msg, tt.msg)
		})
	}
	assert.Empty(t, env.Engine.Events(), "the engine saw none of them")
}

// The same errors, read by the real SDK's error deserializer from a raw
// request over a socket.
func TestRawErrorsThroughSocket(t *testing.T) {
	env := kmstest.NewEnv(t)
	srv := newServer(t, env, kmshttp.Config{})
	post := func(target, body string) (*http.Response, error) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("X-Amz-Target", target)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		return srv.Client().Do(req)
	}
	for _, tt := range []struct{ target, body, code string }{
		{"TrentService.Frobnicate", "{}", "UnknownOperationException"},
		{"TrentService.DescribeKey", "not json", "SerializationException"},
		{"TrentService.DescribeKey", `{"KeyId":true}`, "SerializationException"},
	} {
		resp, err := post(tt.target, tt.body)
		require.NoError(t, err)
		var buf bytes.Buffer
		_, err = buf.ReadFrom(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		assert.Equal(t, 400, resp.StatusCode)
		assert.Equal(t, tt.code, resp.Header.Get("X-Amzn-ErrorType"))
		var e kmsError
		require.NoError(t, json.Unmarshal(buf.Bytes(), &e), buf.String())
		assert.Equal(t, tt.code, e.Type)
	}
}

// rewriter is an HTTP client that changes each request before sending it.
type rewriter struct {
	c  *http.Client
	fn func(*http.Request)
}

func (rw rewriter) Do(r *http.Request) (*http.Response, error) {
	rw.fn(r)
	return rw.c.Do(r)
}

// Requests the SDK would never send, altered on their way out, come back
// as API errors from the SDK's own error deserializer.
func TestRawErrorsThroughSDK(t *testing.T) {
	env := kmstest.NewEnv(t)
	srv := newServer(t, env, kmshttp.Config{})
	client := func(fn func(*http.Request)) *kms.Client {
		return kms.New(kms.Options{
			Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1,
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
			}),
			HTTPClient: rewriter{srv.Client(), fn},
		})
	}
	setBody := func(r *http.Request, body string) {
		r.Body = io.NopCloser(strings.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = nil
	}

	_, err := client(func(r *http.Request) { r.Header.Set("X-Amz-Target", "TrentService.Frobnicate") }).
		ListKeys(t.Context(), nil)
	code, _ := apiCode(t, err)
	assert.Equal(t, "UnknownOperationException", code)
	checkSDKError(t, err, "ListKeys", "UnknownOperationException")

	_, err = client(func(r *http.Request) { setBody(r, `{"Limit":`) }).ListKeys(t.Context(), nil)
	checkSDKError(t, err, "ListKeys", "SerializationException")

	_, err = client(func(r *http.Request) { setBody(r, `{"Limit":"ten"}`) }).ListKeys(t.Context(), nil)
	checkSDKError(t, err, "ListKeys", "SerializationException")
	_, msg := apiCode(t, err)
	assert.Equal(t, "STRING_VALUE can not be converted to an Integer", msg)
}

// panicker panics in the engine's fault hook.
type panicker struct{}

func (panicker) Before(engine.Op) error { panic("boom") }

// A panic becomes KMSInternalException and reaches OnPanic and the log.
func TestPanicRecovered(t *testing.T) {
	env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{Faults: panicker{}}))
	var panics []any
	var logs bytes.Buffer
	h, err := kmshttp.New(env.Engine, kmshttp.Config{
		OnPanic: func(v any) { panics = append(panics, v) },
		Logger:  slog.New(slog.NewJSONHandler(&logs, nil)),
	})
	require.NoError(t, err)
	msg := requireError(t, serve(h, kmsRequest("ListKeys", "", "{}")), 500, "KMSInternalException")
	assert.Contains(t, msg, "boom")
	assert.Equal(t, []any{"boom"}, panics)
	assert.Contains(t, logs.String(), `"panic":"boom"`)

	// The engine is still usable: its lock was released.
	assert.Empty(t, env.Engine.Events())

	// Through the real client: a server error, not retried.
	srv := httptest.NewServer(h)
	defer srv.Close()
	_, err = testClient(srv, "us-east-1").ListKeys(t.Context(), nil)
	checkSDKError(t, err, "ListKeys", "KMSInternalException")
}

// A request whose context is done is abandoned before the engine runs it.
func TestCanceledContext(t *testing.T) {
	env := kmstest.NewEnv(t)
	h := newHandler(t, env, kmshttp.Config{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	r := kmsRequest("CreateKey", "", "{}").WithContext(ctx)
	w := httptest.NewRecorder()
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() { h.ServeHTTP(w, r) })
	assert.False(t, w.Flushed)
	assert.Empty(t, w.Body.String())
	assert.Empty(t, env.Engine.Events())

	// Through a server: the client gives up, the server stays healthy.
	srv := newServer(t, env, kmshttp.Config{})
	c := testClient(srv, "us-east-1")
	_, err := c.ListKeys(ctx, nil)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	_, err = c.ListKeys(t.Context(), nil)
	require.NoError(t, err)
}

// The log line of a request.
func TestLogger(t *testing.T) {
	env := kmstest.NewEnv(t)
	var logs bytes.Buffer
	h := newHandler(t, env, kmshttp.Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	serve(h, kmsRequest("ListKeys", authHeader("test", "eu-west-1"), "{}"))
	serve(h, kmsRequest("DescribeKey", authHeader("test", "eu-west-1"), `{"KeyId":"alias/x"}`))

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m))
		delete(m, "time")
		assert.IsType(t, float64(0), m["duration"])
		delete(m, "duration")
		lines = append(lines, m)
	}
	assert.Equal(t, []map[string]any{{
		"level": "INFO", "msg": "kmshttp request", "request_id": "00000000-0000-4000-8000-000000000001",
		"operation": "ListKeys", "region": "eu-west-1", "status": float64(200),
	}, {
		"level": "INFO", "msg": "kmshttp request", "request_id": "00000000-0000-4000-8000-000000000002",
		"operation": "DescribeKey", "region": "eu-west-1", "status": float64(400), "error_code": "NotFoundException",
	}}, lines)
}

func TestNew(t *testing.T) {
	env := kmstest.NewEnv(t)
	for _, cfg := range []kmshttp.Config{
		{DefaultRegion: "us-nowhere-1"},
		{DefaultAccount: "1234"},
		{MaxBodyBytes: -1},
	} {
		_, err := kmshttp.New(env.Engine, cfg)
		assert.Error(t, err, "%+v", cfg)
	}
	_, err := kmshttp.New(nil, kmshttp.Config{})
	assert.Error(t, err)

	// The default account is created in the default Region's partition
	// with the "test" key; a second handler keeps what exists.
	e := engine.New(engine.Config{})
	h, err := kmshttp.New(e, kmshttp.Config{DefaultRegion: "cn-north-1", DefaultAccount: "123456789012"})
	require.NoError(t, err)
	_, err = kmshttp.New(e, kmshttp.Config{DefaultRegion: "cn-north-1", DefaultAccount: "123456789012"})
	require.NoError(t, err)
	assert.Equal(t, []string{"123456789012"}, e.Accounts())
	k, ok := e.LookupAccessKey("test")
	require.True(t, ok)
	assert.Equal(t, engine.AccessKey{ID: "test", Secret: "test", Account: "123456789012", Principal: "arn:aws-cn:iam::123456789012:root"}, k)

	w := serve(h, kmsRequest("CreateKey", "", "{}"))
	require.Equal(t, 200, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), `"Arn":"arn:aws-cn:kms:cn-north-1:123456789012:key/`)
}

func TestNewServer(t *testing.T) {
	h := http.NotFoundHandler()
	s := kmshttp.NewServer("127.0.0.1:0", h)
	assert.Equal(t, "127.0.0.1:0", s.Addr)
	assert.NotNil(t, s.Handler)
	assert.Equal(t, 10*time.Second, s.ReadHeaderTimeout)
	assert.Positive(t, s.ReadTimeout)
	assert.Positive(t, s.WriteTimeout)
	assert.Positive(t, s.IdleTimeout)
	assert.Positive(t, s.MaxHeaderBytes)
}

// A server from NewServer serves the real client.
func TestNewServerRealClient(t *testing.T) {
	env := kmstest.NewEnv(t)
	h := newHandler(t, env, kmshttp.Config{})
	srv := httptest.NewUnstartedServer(nil)
	srv.Config = kmshttp.NewServer("", h)
	srv.Start()
	defer srv.Close()
	out, err := testClient(srv, "us-east-1").CreateKey(t.Context(), &kms.CreateKeyInput{Description: aws.String("via NewServer")})
	require.NoError(t, err)
	assert.Equal(t, "via NewServer", *out.KeyMetadata.Description)
}
