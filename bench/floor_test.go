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
// can be read against it (BENCHMARKS.md does):
//
//   - MapLookup: one lookup of a random key ID in a bare Go map of 3n
//     records the size of a key record, touching the record, at the
//     sizes of BenchmarkScale (n keys with two replicas each) and with
//     its access pattern (IDs[perm[i]]). No store of n keys reaches a
//     random key with less, so its growth from 1k keys to 1M is the
//     floor of DescribeKey's.
//   - FirstTouch (Linux, floor_linux_test.go): the first write to a page
//     of fresh memory, which a heap growing by new key records pays once
//     per 4 KiB.
func BenchmarkFloor(b *testing.B) {
	for _, n := range scaleSizes() {
		b.Run(fmt.Sprintf("MapLookup/keys=%d", n), func(b *testing.B) {
			records := 3 * n
			r := rand.New(rand.NewPCG(1, 2))
			ids := make([]string, records)
			m := make(map[string]*floorRecord, records)
			for i := range ids {
				ids[i] = fmt.Sprintf("%08x-%04x-%04x-%04x-%012x",
					r.Uint32(), r.Uint32()>>16, r.Uint32()>>16, r.Uint32()>>16, r.Uint64()>>16)
				m[ids[i]] = &floorRecord{id: ids[i]}
			}
			perm := r.Perm(records)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				rec := m[ids[perm[i]]]
				rec.hits++
				if i++; i == records {
					i = 0
				}
			}
		})
	}
	benchmarkFirstTouch(b)
}
