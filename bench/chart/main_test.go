package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkScale/keys=1000/HeapPerRecord-2         	       1	       555.0 B/record	         0 ns/op
BenchmarkScale/keys=1000/DescribeKey-2           	  100000	      1000 ns/op	    1072 B/op	       9 allocs/op
BenchmarkScale/keys=1000/DescribeKey-2           	  100000	      2000 ns/op	    1072 B/op	       9 allocs/op
BenchmarkScale/keys=100000/HeapPerRecord-2       	       1	       529.3 B/record	         0 ns/op
BenchmarkScale/keys=100000/DescribeKey-2         	  100000	      1800 ns/op	    1072 B/op	       9 allocs/op
BenchmarkScale/keys=100000/ReplicateKey-2        	  100000	      4000 ns/op	    2880 B/op	      21 allocs/op
BenchmarkCreateKey-2 	 1000	 5000 ns/op
PASS
`

func TestParseFloor(t *testing.T) {
	in := sample + "BenchmarkFloor/MapLookup/keys=1000-2 \t 100 \t 20 ns/op \t 0 B/op \t 0 allocs/op\n" +
		"BenchmarkFloor/MapLookup/keys=100000-2 \t 100 \t 200 ns/op\n" +
		"BenchmarkFloor/FirstTouch-2 \t 100 \t 12000 ns/op \t 4096 B/page\n"
	s, err := parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.ns[floorOp]; got[1000] != 20 || got[100000] != 200 {
		t.Errorf("floor series %v, want 20 ns at 1k and 200 ns at 100k", got)
	}
	if len(s.ops) != 3 || len(s.sizes) != 2 {
		t.Errorf("ops %v sizes %v: FirstTouch has no fleet size and is not drawn", s.ops, s.sizes)
	}
}

func TestParse(t *testing.T) {
	s, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.sizes) != 2 || s.sizes[0] != 1000 || s.sizes[1] != 100000 {
		t.Errorf("sizes %v", s.sizes)
	}
	if got := s.ns["DescribeKey"][1000]; got != 1500 {
		t.Errorf("DescribeKey at 1k = %v, want the mean 1500", got)
	}
	if _, ok := s.ns["HeapPerRecord"]; ok {
		t.Error("HeapPerRecord plotted as an operation")
	}
	if s.heap[100000] != 529.3 {
		t.Errorf("heap at 100k = %v", s.heap[100000])
	}
	if len(s.ops) != 2 {
		t.Errorf("ops %v, want DescribeKey and ReplicateKey", s.ops)
	}
}

func TestDraw(t *testing.T) {
	s, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := draw(&b, s); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"<svg", "</svg>", "DescribeKey", "ReplicateKey", "1 KiB target", ">100k<", ">529<"} {
		if !strings.Contains(out, want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
}

func TestNiceCeil(t *testing.T) {
	for in, want := range map[float64]float64{0: 1, 3: 5, 7: 10, 1024: 2000, 4000: 5000, 100: 100} {
		if got := niceCeil(in); got != want {
			t.Errorf("niceCeil(%v) = %v, want %v", in, got, want)
		}
	}
}
