package bench_test

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"testing"

	"github.com/kmsim/kmsim/bench"
	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// benchConfig is the engine configuration of every in-process
// benchmark: a bounded event log keeps the log's growth out of the cost
// per call, and the key quota is out of reach.
var benchConfig = engine.Config{KeyQuota: 1 << 30, EventLogLimit: 1024}

func newEnv(b *testing.B) *kmstest.Env {
	return kmstest.NewEnv(b, kmstest.Seed(1), kmstest.WithConfig(benchConfig))
}

// batch is how many keys the benchmarks that consume keys make at a time,
// with the timer stopped.
const batch = 1024

func fleet(b *testing.B, env *kmstest.Env, n, replicas int) *bench.Fleet {
	b.Helper()
	f, err := bench.CreateFleet(env, bench.Home, n)
	if err != nil {
		b.Fatal(err)
	}
	if replicas > 0 {
		if err := f.FanOut(replicas, 0); err != nil {
			b.Fatal(err)
		}
	}
	return f
}

func BenchmarkCreateKey(b *testing.B) {
	for _, mrk := range []bool{false, true} {
		b.Run(fmt.Sprintf("multiRegion=%t", mrk), func(b *testing.B) {
			env := newEnv(b)
			c := env.Caller(bench.Home)
			in := engine.CreateKeyInput{MultiRegion: mrk}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := env.Engine.CreateKey(c, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReplicateKey replicates fresh primaries into one Region, so
// each call makes exactly one replica.
func BenchmarkReplicateKey(b *testing.B) {
	env := newEnv(b)
	c := env.Caller(bench.Home)
	to := bench.ReplicaRegions(bench.Home, 1)[0]
	var ids []string
	b.ReportAllocs()
	for b.Loop() {
		if len(ids) == 0 {
			b.StopTimer()
			ids = fleet(b, env, batch, 0).IDs
			b.StartTimer()
		}
		id := ids[len(ids)-1]
		ids = ids[:len(ids)-1]
		if _, err := env.Engine.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: to}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFanOut replicates one primary into k Regions per iteration;
// replica/op is the cost of one of those ReplicateKey calls.
func BenchmarkFanOut(b *testing.B) {
	for _, k := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("replicas=%d", k), func(b *testing.B) {
			env := newEnv(b)
			c := env.Caller(bench.Home)
			regions := bench.ReplicaRegions(bench.Home, k)
			var ids []string
			b.ReportAllocs()
			for b.Loop() {
				if len(ids) == 0 {
					b.StopTimer()
					ids = fleet(b, env, batch, 0).IDs
					b.StartTimer()
				}
				id := ids[len(ids)-1]
				ids = ids[:len(ids)-1]
				for _, r := range regions {
					if _, err := env.Engine.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: r}); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*k), "ns/replica")
		})
	}
}

// BenchmarkDescribeKey describes a multi-Region key with two replicas,
// through its primary and through a replica, with DescribeKey (a new
// response each call) and with DescribeKeyView (metadata lent for the
// length of a callback, as kmssdk and kmshttp read it).
func BenchmarkDescribeKey(b *testing.B) {
	env := newEnv(b)
	f := fleet(b, env, 1, 2)
	env.Settle()
	for _, r := range []region.ID{f.Home, f.Replicas[0]} {
		role := "primary"
		if r != f.Home {
			role = "replica"
		}
		c := env.Caller(r)
		in := engine.DescribeKeyInput{KeyID: f.IDs[0]}
		b.Run(role, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := env.Engine.DescribeKey(c, in); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("view-"+role, func(b *testing.B) {
			var state keystore.KeyState
			view := func(m *engine.KeyMetadata) { state = m.KeyState }
			b.ReportAllocs()
			for b.Loop() {
				if err := env.Engine.DescribeKeyView(c, in, view); err != nil {
					b.Fatal(err)
				}
			}
			if state != keystore.Enabled {
				b.Fatalf("viewed state %s", state)
			}
		})
	}
}

// BenchmarkUpdatePrimaryRegion swaps the primary of keys with one
// replica; each key swaps back only after its Updating state ended, which
// the engine applies during a later call, so the cost of the scheduled
// FinishUpdating transitions is included.
func BenchmarkUpdatePrimaryRegion(b *testing.B) {
	env := newEnv(b)
	f := fleet(b, env, batch, 1)
	env.Settle()
	primary := make([]region.ID, len(f.IDs))
	for i := range primary {
		primary[i] = f.Home
	}
	other := map[region.ID]region.ID{f.Home: f.Replicas[0], f.Replicas[0]: f.Home}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if i == len(f.IDs) {
			i = 0
			env.Clock.Advance(engine.DefaultUpdatingDelay)
		}
		to := other[primary[i]]
		in := engine.UpdatePrimaryRegionInput{KeyID: f.IDs[i], PrimaryRegion: to}
		if _, err := env.Engine.UpdatePrimaryRegion(env.Caller(primary[i]), in); err != nil {
			b.Fatal(err)
		}
		primary[i] = to
		i++
	}
}

// BenchmarkScheduleCancel schedules a key's deletion and cancels it: two
// calls per iteration.
func BenchmarkScheduleCancel(b *testing.B) {
	env := newEnv(b)
	f := fleet(b, env, 1, 0)
	c := env.Caller(bench.Home)
	id := f.IDs[0]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := env.Engine.ScheduleKeyDeletion(c, engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: 7}); err != nil {
			b.Fatal(err)
		}
		if _, err := env.Engine.CancelKeyDeletion(c, engine.CancelKeyDeletionInput{KeyID: id}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScenarios runs the exported scenarios on fleets of 64 keys:
// the cost per key of each.
func BenchmarkScenarios(b *testing.B) {
	const n = 64
	b.Run("SwapPrimaries", func(b *testing.B) {
		env := newEnv(b)
		f := fleet(b, env, n, 1)
		b.ReportAllocs()
		for b.Loop() {
			if err := f.SwapPrimaries(f.Replicas[0]); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/key")
	})
	b.Run("ScheduleAndCancel", func(b *testing.B) {
		env := newEnv(b)
		f := fleet(b, env, n, 2)
		b.ReportAllocs()
		for b.Loop() {
			if err := f.ScheduleAndCancel(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/key")
	})
}

// BenchmarkMixed runs DefaultMix over three accounts of 100 keys with
// two replicas each, in every Region of the keys.
func BenchmarkMixed(b *testing.B) {
	env := newEnv(b)
	w, err := bench.NewWorkload(env, bench.WorkloadConfig{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := w.Step(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCrypto sets the engine's Encrypt and Decrypt beside raw
// AES-256-GCM of the same bytes: the difference is the engine's frame
// (lock, authorization, event log) and the ciphertext blob's header.
func BenchmarkCrypto(b *testing.B) {
	ctx := map[string]string{"purpose": "bench"}
	for _, n := range []int{1024, 4096} {
		p := bench.Plaintext(n)
		b.Run(fmt.Sprintf("Encrypt/%dB", n), func(b *testing.B) {
			env := newEnv(b)
			id := fleet(b, env, 1, 0).IDs[0]
			c := env.Caller(bench.Home)
			in := engine.EncryptInput{KeyID: id, Plaintext: p, EncryptionContext: ctx}
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := env.Engine.Encrypt(c, in); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("Decrypt/%dB", n), func(b *testing.B) {
			env := newEnv(b)
			f := fleet(b, env, 1, 1)
			env.Settle()
			out, err := env.Engine.Encrypt(env.Caller(f.Home), engine.EncryptInput{KeyID: f.IDs[0], Plaintext: p, EncryptionContext: ctx})
			if err != nil {
				b.Fatal(err)
			}
			// Decrypt in the replica's Region: what multi-Region keys are for.
			c := env.Caller(f.Replicas[0])
			in := engine.DecryptInput{CiphertextBlob: out.CiphertextBlob, EncryptionContext: ctx}
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := env.Engine.Decrypt(c, in); err != nil {
					b.Fatal(err)
				}
			}
		})
		key, iv := bench.Plaintext(32), make([]byte, 12)
		block, err := aes.NewCipher(key)
		if err != nil {
			b.Fatal(err)
		}
		gcm, err := cipher.NewGCM(block)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("RawSeal/%dB", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				_ = gcm.Seal(nil, iv, p, nil)
			}
		})
		b.Run(fmt.Sprintf("RawOpen/%dB", n), func(b *testing.B) {
			ct := gcm.Seal(nil, iv, p, nil)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := gcm.Open(nil, iv, ct, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("GenerateDataKey", func(b *testing.B) {
		env := newEnv(b)
		id := fleet(b, env, 1, 0).IDs[0]
		c := env.Caller(bench.Home)
		in := engine.GenerateDataKeyInput{KeyID: id, KeySpec: engine.AES256}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := env.Engine.GenerateDataKey(c, in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
