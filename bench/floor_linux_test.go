package bench_test

import (
	"syscall"
	"testing"
)

// floorChunk is how much fresh memory FirstTouch maps at a time.
const floorChunk = 64 << 20

// benchmarkFirstTouch writes one byte to each page of anonymous memory
// mapped for the purpose, so every write is the page's first: the cost
// per op is one page fault, the kernel's zeroed page included, as the Go
// heap pays it for each 4 KiB it grows by.
func benchmarkFirstTouch(b *testing.B) {
	b.Run("FirstTouch", func(b *testing.B) {
		page := syscall.Getpagesize()
		var mem []byte
		unmap := func() {
			if mem != nil {
				if err := syscall.Munmap(mem); err != nil {
					b.Fatal(err)
				}
				mem = nil
			}
		}
		defer unmap()
		off := floorChunk
		for b.Loop() {
			if off == floorChunk {
				b.StopTimer()
				unmap()
				var err error
				mem, err = syscall.Mmap(-1, 0, floorChunk, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
				if err != nil {
					b.Fatal(err)
				}
				// The figure is a 4 KiB fault wherever it runs: with
				// transparent huge pages always on, one fault would map
				// 2 MiB and make the next 511 writes free. (Go does not ask
				// for huge pages for its heap, so on a system set to
				// "madvise", like the one BENCHMARKS.md reports, the heap
				// grows 4 KiB a fault.)
				if err := syscall.Madvise(mem, syscall.MADV_NOHUGEPAGE); err != nil {
					b.Fatal(err)
				}
				off = 0
				b.StartTimer()
			}
			mem[off] = 1
			off += page
		}
		b.ReportMetric(float64(page), "B/page")
	})
}
