package kmshttp_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
)

// strictEnv returns an environment whose clock reads the real time, as
// signature expiry needs with clients that sign with the real time.
func strictEnv(t *testing.T) *kmstest.Env {
	env := kmstest.NewEnv(t, kmstest.At(time.Now().UTC().Truncate(time.Second)))
	require.NoError(t, env.Engine.CreatePrincipal("arn:aws:iam::111122223333:user/alice"))
	require.NoError(t, env.Engine.PutPrincipalPolicy("arn:aws:iam::111122223333:user/alice", "kms", allowKMS))
	require.NoError(t, env.Engine.CreateAccessKey(engine.AccessKey{
		ID: "AKIDALICE", Secret: "alice-secret", Account: "111122223333", Principal: "arn:aws:iam::111122223333:user/alice",
	}))
	return env
}

// apiCode returns the error code of an SDK error.
func apiCode(t *testing.T, err error) (code, msg string) {
	t.Helper()
	var apiErr smithy.APIError
	require.True(t, errors.As(err, &apiErr), "%T: %v", err, err)
	return apiErr.ErrorCode(), apiErr.ErrorMessage()
}

func TestStrictRealClient(t *testing.T) {
	env := strictEnv(t)
	// Signatures are checked against their own clock, apart from the
	// engine's, so a test can move it to expire them.
	sigClock := kmstest.NewClock(time.Now())
	srv := newServer(t, env, kmshttp.Config{StrictSigV4: true, SignatureClock: sigClock})

	// Correct signatures, of the default key and of a user's key.
	_, err := testClient(srv, "us-east-1").CreateKey(t.Context(), nil)
	require.NoError(t, err)
	out, err := newClient(srv, "eu-west-1", "AKIDALICE", "alice-secret").ListKeys(t.Context(), nil)
	require.NoError(t, err)
	assert.Empty(t, out.Keys)
	evs := env.Engine.Events()
	assert.Equal(t, "arn:aws:iam::111122223333:user/alice", evs[len(evs)-1].Principal)
	assert.Equal(t, "eu-west-1", string(evs[len(evs)-1].Region))

	// A session token is signed like any header.
	c := kms.New(kms.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1, HTTPClient: srv.Client(),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test", SessionToken: "token"}, nil
		}),
	})
	_, err = c.ListKeys(t.Context(), nil)
	require.NoError(t, err)

	// A wrong secret.
	_, err = newClient(srv, "us-east-1", "AKIDALICE", "wrong").ListKeys(t.Context(), nil)
	checkSDKError(t, err, "ListKeys", "InvalidSignatureException")
	_, msg := apiCode(t, err)
	assert.Equal(t, "The request signature we calculated does not match the signature you provided. "+
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details.", msg)

	// An unknown access key.
	_, err = newClient(srv, "us-east-1", "AKIDNOBODY", "x").ListKeys(t.Context(), nil)
	checkSDKError(t, err, "ListKeys", "UnrecognizedClientException")
	_, msg = apiCode(t, err)
	assert.Equal(t, "The security token included in the request is invalid.", msg)

	// The engine's clock does not matter to signatures.
	env.Clock.Advance(48 * time.Hour)
	_, err = testClient(srv, "us-east-1").ListKeys(t.Context(), nil)
	require.NoError(t, err)

	// The server's clock runs ahead of the client's.
	sigClock.Advance(16 * time.Minute)
	_, err = testClient(srv, "us-east-1").ListKeys(t.Context(), nil)
	checkSDKError(t, err, "ListKeys", "InvalidSignatureException")
	_, msg = apiCode(t, err)
	assert.Regexp(t, `^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$`, msg)

	// ... or behind it.
	sigClock.Advance(-32 * time.Minute)
	_, err = testClient(srv, "us-east-1").ListKeys(t.Context(), nil)
	code, msg := apiCode(t, err)
	assert.Equal(t, "InvalidSignatureException", code)
	assert.True(t, strings.HasPrefix(msg, "Signature not yet current: "), msg)

	// Without a Config.SignatureClock the real time counts.
	h, err := kmshttp.New(env.Engine, kmshttp.Config{StrictSigV4: true, OnPanic: func(v any) { t.Error(v) }})
	require.NoError(t, err)
	w := serve(h, signedRequest(t, "ListKeys", "{}", "test", "test", "us-east-1", time.Now()))
	assert.Equal(t, 200, w.Code, w.Body.String())
}

// signedRequest returns a raw KMS request signed with the SDK's signer.
func signedRequest(t *testing.T, op, body, akid, secret, r string, at time.Time) *http.Request {
	t.Helper()
	req := kmsRequest(op, "", body)
	req.Host = "kms." + r + ".amazonaws.com"
	sum := sha256.Sum256([]byte(body))
	err := v4.NewSigner().SignHTTP(t.Context(), aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret},
		req, hex.EncodeToString(sum[:]), "kms", r, at)
	require.NoError(t, err)
	return req
}

func TestStrictRaw(t *testing.T) {
	env := strictEnv(t)
	h := newHandler(t, env, kmshttp.Config{StrictSigV4: true})
	now := env.Clock.Now()
	ok := func() *http.Request {
		return signedRequest(t, "ListKeys", `{"Limit":5}`, "test", "test", "eu-west-1", now)
	}

	w := serve(h, ok())
	require.Equal(t, 200, w.Code, w.Body.String())

	tests := []struct {
		name   string
		req    func() *http.Request
		code   string
		msgSub string
	}{
		{"unsigned", func() *http.Request { return kmsRequest("ListKeys", "", "{}") }, "MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"no Credential", func() *http.Request {
			return kmsRequest("ListKeys", "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc", "{}")
		}, "IncompleteSignatureException", "Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc"},
		{"nothing", func() *http.Request { return kmsRequest("ListKeys", "AWS4-HMAC-SHA256", "{}") }, "IncompleteSignatureException",
			"Authorization header requires 'Credential' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires 'Signature' parameter."},
		{"short Credential", func() *http.Request {
			return kmsRequest("ListKeys", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1, SignedHeaders=host, Signature=abc", "{}")
		}, "IncompleteSignatureException", "Credential must have exactly 5 slash-delimited elements"},
		{"other algorithm", func() *http.Request { return kmsRequest("ListKeys", "Bearer abc", "{}") }, "IncompleteSignatureException", "Unsupported AWS 'algorithm': 'Bearer'"},
		{"no X-Amz-Date", func() *http.Request {
			r := ok()
			r.Header.Del("X-Amz-Date")
			return r
		}, "IncompleteSignatureException", "requires existence of either a 'X-Amz-Date' or a 'Date' header"},
		{"bad X-Amz-Date", func() *http.Request {
			r := ok()
			r.Header.Set("X-Amz-Date", "yesterday")
			return r
		}, "IncompleteSignatureException", "Date must be in ISO-8601 'basic format'. Got 'yesterday'."},
		{"scope date", func() *http.Request {
			r := ok()
			r.Header.Set("X-Amz-Date", now.Add(48*time.Hour).UTC().Format("20060102T150405Z"))
			return r
		}, "InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD"},
		{"other service", func() *http.Request {
			r := ok()
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/kms/", "/s3/", 1))
			return r
		}, "InvalidSignatureException", "Credential should be scoped to correct service: 'kms'."},
		{"other terminator", func() *http.Request {
			r := ok()
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/aws4_request", "/aws5_request", 1))
			return r
		}, "InvalidSignatureException", "valid terminator"},
		{"unknown key", func() *http.Request {
			return signedRequest(t, "ListKeys", "{}", "AKIDNOBODY", "x", "eu-west-1", now)
		}, "UnrecognizedClientException", "The security token included in the request is invalid."},
		{"wrong secret", func() *http.Request {
			return signedRequest(t, "ListKeys", "{}", "test", "nope", "eu-west-1", now)
		}, "InvalidSignatureException", "The request signature we calculated does not match"},
		{"tampered body", func() *http.Request {
			r := signedRequest(t, "ListKeys", `{"Limit":5}`, "test", "test", "eu-west-1", now)
			good := ok()
			good.Header = r.Header
			good.Body = kmsRequest("", "", `{"Limit":6}`).Body
			return good
		}, "InvalidSignatureException", "does not match"},
		{"tampered target", func() *http.Request {
			r := ok()
			r.Header.Set("X-Amz-Target", "TrentService.CreateKey")
			return r
		}, "InvalidSignatureException", "does not match"},
		{"tampered Region", func() *http.Request {
			r := ok()
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/eu-west-1/", "/us-east-1/", 1))
			return r
		}, "InvalidSignatureException", "does not match"},
		{"signed header missing", func() *http.Request {
			r := ok()
			r.Header.Del("Content-Type")
			return r
		}, "InvalidSignatureException", "does not match"},
		{"expired", func() *http.Request {
			return signedRequest(t, "ListKeys", "{}", "test", "test", "eu-west-1", now.Add(-16*time.Minute))
		}, "InvalidSignatureException", "Signature expired: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := requireError(t, serve(h, tt.req()), 400, tt.code)
			assert.Contains(t, msg, tt.msgSub)
		})
	}
	evs := env.Engine.Events()
	assert.Len(t, evs, 1, "only the first request reached the engine")
}
