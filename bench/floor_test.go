package bench_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
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
//   - DescribeRecords: MapLookup plus what the owning DescribeKey cannot
//     do without, a new response: an engine.DescribeKeyOutput (440
//     bytes, where DescribeKey's response with its lists is 640).
//   - FirstTouch (Linux, floor_linux_test.go): the first write to a page
//     of fresh memory, which a heap growing by new key records pays once
//     per 4 KiB.
//   - ReplicateRecords: what a ReplicateKey keeps and returns, and
//     nothing else, measured as BenchmarkReplicateKey is: see
//     benchmarkReplicateRecords.
func BenchmarkFloor(b *testing.B) {
	for _, n := range scaleSizes() {
		b.Run(fmt.Sprintf("MapLookup/keys=%d", n), func(b *testing.B) { benchmarkMapLookup(b, n, false) })
		b.Run(fmt.Sprintf("DescribeRecords/keys=%d", n), func(b *testing.B) { benchmarkMapLookup(b, n, true) })
	}
	benchmarkFirstTouch(b)
	benchmarkReplicateRecords(b)
}

// floorDescribed keeps the last response of DescribeRecords reachable.
var floorDescribed *engine.DescribeKeyOutput

// benchmarkMapLookup is MapLookup, and DescribeRecords with respond.
func benchmarkMapLookup(b *testing.B, n int, respond bool) {
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
		rec := index[ids[rng.IntN(len(ids))]]
		rec.hits++
		if respond {
			out := &engine.DescribeKeyOutput{}
			out.KeyMetadata.KeyID, out.KeyMetadata.Arn, out.KeyMetadata.Description = rec.id, rec.arn, rec.description
			floorDescribed = out
		}
	}
	b.StopTimer()
	runtime.KeepAlive(replicas) // the fleet's records stay in the heap to the end
}

// floorAccount owns the floor's keys.
const floorAccount = "111122223333"

// floorPrimary keeps a multi-Region primary's records in store, as
// kmsim's CreateKey does without its material, and returns the key.
func floorPrimary(store *keystore.Store, id string) *keystore.Key {
	p := &keystore.Key{Region: bench.Home, ARN: region.KeyARN("aws", bench.Home, floorAccount, id), State: keystore.Enabled}
	keystore.NewFamily(keystore.Family{KeyID: id, Account: floorAccount, Partition: "aws", MultiRegion: true}, p)
	store.Put(p)
	return p
}

// floorReplicate keeps a replica of p in Region to and returns the
// response a ReplicateKey would: the records and response of
// benchmarkReplicateRecords.
func floorReplicate(store *keystore.Store, p *keystore.Key, to region.ID) *engine.ReplicateKeyOutput {
	r := &keystore.Key{Region: to, ARN: region.KeyARN("aws", to, floorAccount, p.ID()), State: keystore.Creating}
	p.Family.AddReplica(r)
	store.Put(r)
	out := &engine.ReplicateKeyOutput{}
	m := &out.ReplicaKeyMetadata
	m.AWSAccountID, m.KeyID, m.Arn, m.KeyState = floorAccount, p.ID(), r.ARN, r.State
	m.EncryptionAlgorithms = []string{"SYMMETRIC_DEFAULT"}
	m.MultiRegion = true
	config := &engine.MultiRegionConfiguration{
		MultiRegionKeyType: keystore.Replica,
		PrimaryKey:         engine.MultiRegionKey{Arn: p.ARN, Region: p.Region},
	}
	config.ReplicaKeys = make([]engine.MultiRegionKey, 0, len(p.Family.Replicas()))
	for _, rr := range p.Family.Replicas() {
		config.ReplicaKeys = append(config.ReplicaKeys, engine.MultiRegionKey{Arn: rr.ARN, Region: rr.Region})
	}
	m.MultiRegionConfiguration = config
	return out
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
		to := bench.ReplicaRegions(bench.Home, 1)[0]
		store := keystore.NewStore()
		var primaries []*keystore.Key
		next := 0
		b.ReportAllocs()
		for b.Loop() {
			if len(primaries) == 0 {
				b.StopTimer()
				for range batch {
					primaries = append(primaries, floorPrimary(store, fmt.Sprintf("mrk-%032x", next)))
					next++
				}
				b.StartTimer()
			}
			p := primaries[len(primaries)-1]
			primaries = primaries[:len(primaries)-1]
			floorSink = floorReplicate(store, p, to)
		}
	})
}
