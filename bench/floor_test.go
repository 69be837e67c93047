package bench_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
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
}
