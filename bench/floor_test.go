package bench_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/kmsim/kmsim/bench"
	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// floorRecord is the size of a keystore.Key (224 bytes), with the three
// strings a lookup may compare or copy.
type floorRecord struct {
	id, arn, description string
	hits                 int64
	_                    [168]byte
}

// BenchmarkFloor measures what the machine charges for the memory behind
// a call, apart from kmsim's code, so the Scale and ReplicateKey figures
// can be read against it (BENCHMARKS.md, "What the machine charges"):
//
//   - MapLookup: one lookup in a bare Go map of n key IDs, as the home
//     Region's index of BenchmarkScale's fleet of n keys holds them,
//     touching the record found, with scaleDescribe's access pattern
//     (uniform random keys, repeats allowed, drawn from the same seeded
//     generator). Two more records per key are allocated after the
//     first n, as the fleet's replicas are, so the heap the lookups land
//     in is the fleet's size. A DescribeKey of a random key reaches its
//     record through at least this much.
//   - FirstTouch (Linux, floor_linux_test.go): the first write to a page
//     of fresh memory, which a heap growing by new key records pays once
//     per 4 KiB.
//   - ReplicateRecords: what a ReplicateKey keeps and returns, and
//     nothing else, measured as BenchmarkReplicateKey is: see
//     benchmarkReplicateRecords.
func BenchmarkFloor(b *testing.B) {
	for _, n := range scaleSizes() {
		b.Run(fmt.Sprintf("MapLookup/keys=%d", n), func(b *testing.B) {
			gen := rand.New(rand.NewPCG(3, 4))
			ids := make([]string, n)
			index := make(map[string]*floorRecord)
			for i := range ids {
				ids[i] = fmt.Sprintf("%08x-%04x-%04x-%04x-%012x",
					gen.Uint32(), gen.Uint32()>>16, gen.Uint32()>>16, gen.Uint32()>>16, gen.Uint64()>>16)
				index[ids[i]] = &floorRecord{id: ids[i]}
			}
			replicas := make([]*floorRecord, 2*n)
			for i := range replicas {
				replicas[i] = &floorRecord{id: ids[i/2]}
			}
			rng := rand.New(rand.NewPCG(1, 2))
			b.ReportAllocs()
			for b.Loop() {
				index[ids[rng.IntN(len(ids))]].hits++
			}
			b.StopTimer()
			if len(replicas) != 2*n { // keeps the replicas live to the end
				b.Fatal("replicas lost")
			}
		})
	}
	benchmarkFirstTouch(b)
	benchmarkReplicateRecords(b)
}

// floorSink keeps the last response of ReplicateRecords reachable, as a
// caller keeps a response.
var floorSink *engine.ReplicateKeyOutput

// benchmarkReplicateRecords does the memory work of BenchmarkReplicateKey
// without the engine: primaries made in batches of batch with the timer
// stopped, then per call one replica record (a keystore.Key with its
// ARN, linked to its family and indexed in the replica Region of a
// keystore.Store) and a response (an engine.ReplicateKeyOutput whose
// lists have their own storage). No checks, authorization, policy,
// schedule or event log, and primaries without material, responses or
// events of their own, so less garbage than CreateKey leaves: what kmsim
// keeps and returns for a replica costs at least this in a heap that
// grows by a key and a replica a call.
func benchmarkReplicateRecords(b *testing.B) {
	b.Run("ReplicateRecords", func(b *testing.B) {
		const account = "111122223333"
		to := bench.ReplicaRegions(bench.Home, 1)[0]
		store := keystore.NewStore()
		var primaries []*keystore.Key
		next := 0
		b.ReportAllocs()
		for b.Loop() {
			if len(primaries) == 0 {
				b.StopTimer()
				for range batch {
					id := fmt.Sprintf("mrk-%032x", next)
					next++
					p := &keystore.Key{Region: bench.Home, ARN: region.KeyARN("aws", bench.Home, account, id), State: keystore.Enabled}
					keystore.NewFamily(keystore.Family{KeyID: id, Account: account, Partition: "aws", MultiRegion: true}, p)
					store.Put(p)
					primaries = append(primaries, p)
				}
				b.StartTimer()
			}
			p := primaries[len(primaries)-1]
			primaries = primaries[:len(primaries)-1]
			r := &keystore.Key{Region: to, ARN: region.KeyARN("aws", to, account, p.ID()), State: keystore.Creating}
			p.Family.AddReplica(r)
			store.Put(r)
			out := &engine.ReplicateKeyOutput{}
			m := &out.ReplicaKeyMetadata
			m.AWSAccountID, m.KeyID, m.Arn, m.KeyState = account, p.ID(), r.ARN, r.State
			m.EncryptionAlgorithms = []string{"SYMMETRIC_DEFAULT"}
			m.MultiRegion = true
			m.MultiRegionConfiguration = &engine.MultiRegionConfiguration{
				MultiRegionKeyType: keystore.Replica,
				PrimaryKey:         engine.MultiRegionKey{Arn: p.ARN, Region: p.Region},
				ReplicaKeys:        []engine.MultiRegionKey{{Arn: r.ARN, Region: r.Region}},
			}
			floorSink = out
		}
	})
}
