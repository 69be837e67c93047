package bench_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kmsim/kmsim/bench"
	"github.com/kmsim/kmsim/kmshttp"
)

// BenchmarkHandler serves a DescribeKey request of a key with two
// replicas, and a CreateKey request with an empty body, with the kmshttp
// handler and with the null handler, in process with no client and no
// sockets: the server's own cost per request, which "kmsim bench"
// measures as CPU time over HTTP. The responses go to an
// httptest.ResponseRecorder; BenchmarkHandlerSDK sends the SDK's own
// requests and discards the responses.
func BenchmarkHandler(b *testing.B) {
	env := newEnv(b)
	f := fleet(b, env, 1, 2)
	env.Settle()
	h, err := kmshttp.New(env.Engine, kmshttp.Config{Clock: env.Clock})
	if err != nil {
		b.Fatal(err)
	}
	null, err := bench.NewNullHandler()
	if err != nil {
		b.Fatal(err)
	}
	requests := []struct{ op, body string }{
		{"DescribeKey", `{"KeyId":"` + f.IDs[0] + `"}`},
		{"CreateKey", `{}`},
	}
	for _, req := range requests {
		for _, s := range []struct {
			name string
			h    http.Handler
		}{{"kmshttp", h}, {"null", null}} {
			b.Run(req.op+"/"+s.name, func(b *testing.B) {
				proto := httptest.NewRequest(http.MethodPost, "/", nil)
				proto.Header.Set("Content-Type", "application/x-amz-json-1.1")
				proto.Header.Set("X-Amz-Target", "TrentService."+req.op)
				b.ReportAllocs()
				for b.Loop() {
					r := *proto
					r.Body = io.NopCloser(strings.NewReader(req.body))
					w := httptest.NewRecorder()
					s.h.ServeHTTP(w, &r)
					if w.Code != http.StatusOK {
						b.Fatal(w.Body.String())
					}
				}
			})
		}
	}
}
