package engine_test

import (
	"testing"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

func BenchmarkCreateKey(b *testing.B) {
	env := kmstest.NewEnv(b, kmstest.WithConfig(engine.Config{KeyQuota: 1 << 30, EventLogLimit: 1024}))
	us := env.Caller("us-east-1")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := env.Engine.CreateKey(us, engine.CreateKeyInput{MultiRegion: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplicateKey replicates fresh primaries into one Region, so
// each iteration creates exactly one replica.
func BenchmarkReplicateKey(b *testing.B) {
	env := kmstest.NewEnv(b, kmstest.WithConfig(engine.Config{KeyQuota: 1 << 30, EventLogLimit: 1024}))
	us := env.Caller("us-east-1")
	ids := make([]string, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		if len(ids) == 0 {
			b.StopTimer()
			for range cap(ids) {
				out, err := env.Engine.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
				if err != nil {
					b.Fatal(err)
				}
				ids = append(ids, out.KeyMetadata.KeyID)
			}
			b.StartTimer()
		}
		id := ids[len(ids)-1]
		ids = ids[:len(ids)-1]
		if _, err := env.Engine.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDescribeKey(b *testing.B) {
	env := kmstest.NewEnv(b, kmstest.WithConfig(engine.Config{EventLogLimit: 1024}))
	us := env.Caller("us-east-1")
	out, err := env.Engine.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range []region.ID{"eu-west-1", "ap-southeast-2"} {
		if _, err := env.Engine.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: out.KeyMetadata.KeyID, ReplicaRegion: r}); err != nil {
			b.Fatal(err)
		}
	}
	in := engine.DescribeKeyInput{KeyID: out.KeyMetadata.KeyID}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := env.Engine.DescribeKey(us, in); err != nil {
			b.Fatal(err)
		}
	}
}
