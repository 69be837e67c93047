package kmshttp_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
)

// BenchmarkDescribeKey measures DescribeKey of a multi-Region replica
// through the handler in process: raw requests, and the real SDK client
// (signing, serializing, deserializing) over an in-process HTTP client.
func BenchmarkDescribeKey(b *testing.B) {
	// A bounded event log keeps the engine's cost per call flat.
	env := kmstest.NewEnv(b, kmstest.Seed(1), kmstest.WithConfig(engine.Config{EventLogLimit: 1024}))
	h := newHandler(b, env, kmshttp.Config{})
	us := inProcessClient(h, "us-east-1", nil)
	out, err := us.CreateKey(b.Context(), &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	require.NoError(b, err)
	id := *out.KeyMetadata.KeyId
	_, err = us.ReplicateKey(b.Context(), &kms.ReplicateKeyInput{KeyId: &id, ReplicaRegion: aws.String("eu-west-1")})
	require.NoError(b, err)
	env.Settle()

	b.Run("handler", func(b *testing.B) {
		body := `{"KeyId":"` + id + `"}`
		proto := kmsRequest("DescribeKey", authHeader("test", "eu-west-1"), body)
		b.ReportAllocs()
		for b.Loop() {
			r := *proto
			r.Body = io.NopCloser(strings.NewReader(body))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, &r)
			if w.Code != 200 {
				b.Fatal(w.Body.String())
			}
		}
	})
	b.Run("sdk", func(b *testing.B) {
		eu := inProcessClient(h, "eu-west-1", nil)
		in := &kms.DescribeKeyInput{KeyId: &id}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := eu.DescribeKey(b.Context(), in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
