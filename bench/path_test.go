package bench_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kmsim/kmsim/bench"
	"github.com/kmsim/kmsim/kmstest"
)

// BenchmarkPath runs the same client calls through kmssdk (in process)
// and through kmshttp with the real AWS SDK client over loopback TCP, and
// through the same client against the null handler, the harness's
// ceiling: the difference between the first two is what HTTP, SigV4 and
// JSON cost a caller.
func BenchmarkPath(b *testing.B) {
	null, err := bench.NewNullHandler()
	if err != nil {
		b.Fatal(err)
	}
	paths := []struct {
		name   string
		client func(b *testing.B) bench.API
	}{
		{"kmssdk", func(b *testing.B) bench.API { return newEnv(b).Client(bench.Home) }},
		{"kmshttp", func(b *testing.B) bench.API {
			s := kmstest.NewServer(b, kmstest.WithConfig(benchConfig))
			return bench.NewHTTPClient(s.URL, bench.Home, 1)
		}},
		{"null", func(b *testing.B) bench.API { return bench.NewHTTPClient(startServer(b, null), bench.Home, 1) }},
	}
	for _, name := range []string{"DescribeKey", "EncryptDecrypt"} {
		op, _ := bench.LookupOp(name)
		for _, p := range paths {
			b.Run(name+"/"+p.name, func(b *testing.B) {
				ctx := context.Background()
				call, err := op.Prepare(ctx, p.client(b), b.N)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := range b.N {
					if err := call(ctx, i); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// startServer serves h on a loopback port until the benchmark ends.
func startServer(b *testing.B, h http.Handler) string {
	s := httptest.NewServer(h)
	b.Cleanup(s.Close)
	return s.URL
}
