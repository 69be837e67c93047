package bench_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/kmsim/kmsim/bench"
	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// scaleSizes are the fleet sizes of BenchmarkScale. The million-key
// fleet needs about a minute and a few GB, so it runs only on request.
func scaleSizes() []int {
	sizes := []int{1_000, 100_000}
	if os.Getenv("KMSIM_BENCH_1M") == "1" {
		sizes = append(sizes, 1_000_000)
	}
	return sizes
}

// scaleStep separates the replicas' creation times, so that their
// FinishCreating transitions fall due one at a time.
const scaleStep = time.Millisecond

// scaleExtra are the Regions ReplicateKey adds replicas in, beside the
// fleet's two.
const scaleExtra = 3

// scaleFleet is a fleet of keys with two replicas each, every replica
// still Creating, its FinishCreating transition pending.
type scaleFleet struct {
	env   *kmstest.Env
	f     *bench.Fleet
	extra []region.ID
	// pending is how many FinishCreating transitions are still due, in
	// creation order: the next falls due at next.
	pending int
	next    time.Time
	// replicas counts the (key, Region) pairs of extra used so far.
	replicas int
}

func newScaleFleet(b *testing.B, n int) *scaleFleet {
	b.Helper()
	// Replicas stay Creating until the whole fleet is built, and a tiny
	// event log keeps the log (a separate, configurable cost) out of the
	// heap per record.
	cfg := benchConfig
	cfg.CreatingDelay = time.Duration(2*n)*scaleStep + time.Hour
	cfg.EventLogLimit = 16
	env := kmstest.NewEnv(b, kmstest.Seed(1), kmstest.WithConfig(cfg))
	f := fleet(b, env, n, 0)
	start := env.Clock.Now()
	if err := f.FanOut(2, scaleStep); err != nil {
		b.Fatal(err)
	}
	return &scaleFleet{
		env:     env,
		f:       f,
		extra:   bench.ReplicaRegions(bench.Home, 2+scaleExtra)[2:],
		pending: 2 * n,
		next:    start.Add(cfg.CreatingDelay),
	}
}

// BenchmarkScale measures what grows with the number of keys: each size
// is a fleet of n multi-Region keys with two replicas each (3n key
// records) whose replicas are still Creating, so 2n FinishCreating
// transitions are pending.
//
//   - HeapPerRecord: live heap after GC per key record, the engine's
//     whole state (keys, families, index, schedule) divided by 3n.
//   - DescribeKey: keys in a seeded random order, so large fleets pay
//     their cache misses.
//   - DescribeKeyView: the same through engine.DescribeKeyView, which
//     lends the metadata instead of allocating a response (what kmssdk
//     and kmshttp call).
//   - ReplicateKey: a third replica of keys in a seeded random order,
//     into one of three more Regions; a small fleet that runs out of
//     pairs is rebuilt with the timer stopped.
//   - ApplyTransition: one call of DescribeKey that first applies the
//     oldest pending FinishCreating (the clock moves to its due time);
//     subtract DescribeKey for the transition alone.
func BenchmarkScale(b *testing.B) {
	for _, n := range scaleSizes() {
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			sf := newScaleFleet(b, n)
			var after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&after)
			perRecord := float64(after.HeapAlloc-before.HeapAlloc) / float64(3*n)

			b.Run("HeapPerRecord", func(b *testing.B) {
				for b.Loop() {
				}
				b.ReportMetric(perRecord, "B/record")
				b.ReportMetric(0, "ns/op")
			})
			b.Run("DescribeKey", func(b *testing.B) { scaleDescribe(b, sf) })
			b.Run("DescribeKeyView", func(b *testing.B) { scaleDescribeView(b, sf) })
			b.Run("ReplicateKey", func(b *testing.B) { scaleReplicate(b, sf, n) })
			b.Run("ApplyTransition", func(b *testing.B) { scaleApply(b, sf, n) })
			runtime.KeepAlive(sf)
		})
	}
}

func scaleDescribe(b *testing.B, sf *scaleFleet) {
	rng := rand.New(rand.NewPCG(1, 2))
	ids := sf.f.IDs
	c := sf.env.Caller(bench.Home)
	b.ReportAllocs()
	for b.Loop() {
		in := engine.DescribeKeyInput{KeyID: ids[rng.IntN(len(ids))]}
		if _, err := sf.env.Engine.DescribeKey(c, in); err != nil {
			b.Fatal(err)
		}
	}
}

func scaleDescribeView(b *testing.B, sf *scaleFleet) {
	rng := rand.New(rand.NewPCG(1, 2))
	ids := sf.f.IDs
	c := sf.env.Caller(bench.Home)
	var viewed string
	view := func(m *engine.KeyMetadata) { viewed = m.KeyID }
	b.ReportAllocs()
	for b.Loop() {
		in := engine.DescribeKeyInput{KeyID: ids[rng.IntN(len(ids))]}
		if err := sf.env.Engine.DescribeKeyView(c, in, view); err != nil {
			b.Fatal(err)
		}
		if viewed != in.KeyID {
			b.Fatalf("viewed %s, described %s", viewed, in.KeyID)
		}
	}
}

func scaleReplicate(b *testing.B, sf *scaleFleet, n int) {
	// A random permutation of the key indexes, walked once per extra
	// Region.
	perm := rand.New(rand.NewPCG(3, 4)).Perm(n)
	c := sf.env.Caller(bench.Home)
	b.ReportAllocs()
	for b.Loop() {
		if sf.replicas == n*len(sf.extra) {
			b.StopTimer()
			*sf = *newScaleFleet(b, n)
			b.StartTimer()
		}
		i := sf.replicas
		sf.replicas++
		in := engine.ReplicateKeyInput{KeyID: sf.f.IDs[perm[i%n]], ReplicaRegion: sf.extra[i/n]}
		if _, err := sf.env.Engine.ReplicateKey(c, in); err != nil {
			b.Fatal(err)
		}
	}
}

func scaleApply(b *testing.B, sf *scaleFleet, n int) {
	c := sf.env.Caller(bench.Home)
	in := engine.DescribeKeyInput{KeyID: sf.f.IDs[0]}
	b.ReportAllocs()
	for b.Loop() {
		if sf.pending == 0 {
			b.StopTimer()
			*sf = *newScaleFleet(b, n)
			b.StartTimer()
		}
		sf.env.Clock.Set(sf.next)
		sf.next = sf.next.Add(scaleStep)
		sf.pending--
		if _, err := sf.env.Engine.DescribeKey(c, in); err != nil {
			b.Fatal(err)
		}
	}
}
