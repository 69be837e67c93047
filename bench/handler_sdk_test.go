package bench_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsim/kmsim/bench"
	"github.com/kmsim/kmsim/kmshttp"
)

// capturingClient is an SDK HTTP client that serves each request with a
// handler in process and keeps the last request, headers and body, as
// the real client built it.
type capturingClient struct {
	h    http.Handler
	req  *http.Request
	body []byte
}

func (c *capturingClient) Do(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	c.req, c.body = r.Clone(context.Background()), body
	r.Body = io.NopCloser(bytes.NewReader(body))
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	return w.Result(), nil
}

// BenchmarkHandlerSDK serves requests exactly as the real AWS SDK client
// sends them (SigV4 Authorization, User-Agent, invocation ID and the
// rest) with the kmshttp handler and with the null handler, in process:
// the server's part of what "kmsim bench" measures over HTTP, for the
// two operations of its targets.
func BenchmarkHandlerSDK(b *testing.B) {
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
	cc := &capturingClient{h: h}
	client := bench.NewHTTPClient("http://localhost:4566", bench.Home, 1)
	client = kms.New(client.Options(), func(o *kms.Options) { o.HTTPClient = cc })
	ctx := context.Background()
	calls := []struct {
		name string
		call func() error
	}{
		{"DescribeKey", func() error {
			_, err := client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(f.IDs[0])})
			return err
		}},
		{"CreateKey", func() error {
			_, err := client.CreateKey(ctx, &kms.CreateKeyInput{})
			return err
		}},
	}
	for _, c := range calls {
		if err := c.call(); err != nil {
			b.Fatal(err)
		}
		proto, body := cc.req, cc.body
		for _, s := range []struct {
			name string
			h    http.Handler
		}{{"kmshttp", h}, {"null", null}} {
			b.Run(c.name+"/"+s.name, func(b *testing.B) {
				rd := bytes.NewReader(nil)
				w := newDiscardWriter()
				b.ReportAllocs()
				cpu := processCPU()
				for b.Loop() {
					r := *proto
					rd.Reset(body)
					r.Body = io.NopCloser(rd)
					w.reset()
					s.h.ServeHTTP(w, &r)
					if w.code != http.StatusOK {
						b.Fatalf("status %d", w.code)
					}
				}
				b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// processCPU returns the user and system CPU time the process has used,
// in nanoseconds. On a machine shared with other work, CPU time per
// call is steadier than elapsed time, and it is what "kmsim bench"
// reports for a server; it includes the garbage collector's workers.
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// discardWriter is a ResponseWriter that keeps only the status, so that
// the benchmark counts the handler's allocations, not a recorder's.
type discardWriter struct {
	hdr  http.Header
	code int
}

func newDiscardWriter() *discardWriter { return &discardWriter{hdr: make(http.Header)} }

func (w *discardWriter) reset() {
	clear(w.hdr)
	w.code = 0
}

func (w *discardWriter) Header() http.Header { return w.hdr }

func (w *discardWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *discardWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(p), nil
}
