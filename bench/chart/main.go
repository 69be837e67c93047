// Command chart draws the scaling chart of BENCHMARKS.md from the output
// of the scale benchmarks:
//
//	go test -run '^$' -bench Scale -benchmem ./bench/ | go run ./bench/chart > bench/scaling.svg
//
// The left panel plots ns/op of each operation against the number of
// keys (log scale), with BenchmarkFloor's map lookup when the input has
// it; the right panel the heap bytes per key record. Runs repeated with
// -count are averaged.
package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	s, err := parse(os.Stdin)
	if err == nil && len(s.sizes) == 0 {
		err = fmt.Errorf("no BenchmarkScale lines on standard input")
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "chart: %v\n", err)
		os.Exit(1)
	}
	if err := draw(os.Stdout, s); err != nil {
		fmt.Fprintf(os.Stderr, "chart: %v\n", err)
		os.Exit(1)
	}
}

// series holds the averaged figures by operation and fleet size.
type series struct {
	sizes []int
	ops   []string
	ns    map[string]map[int]float64 // op -> keys -> ns/op
	heap  map[int]float64            // keys -> B/record
}

var line = regexp.MustCompile(`^BenchmarkScale/keys=(\d+)/(\w+)(?:-\d+)?\s+\d+\s+(.*)$`)

// floorLine is BenchmarkFloor's map lookup at the same fleet sizes, drawn
// as the operation floorOp: the least any lookup of a random key costs.
var floorLine = regexp.MustCompile(`^BenchmarkFloor/MapLookup/keys=(\d+)(?:-\d+)?\s+\d+\s+(.*)$`)

const floorOp = "floor: map lookup"

// parse reads benchmark output and averages the scale figures.
func parse(r io.Reader) (*series, error) {
	type acc struct{ sum, n float64 }
	ns := map[string]map[int]*acc{}
	heap := map[int]*acc{}
	add := func(m map[int]*acc, k int, v float64) {
		if m[k] == nil {
			m[k] = &acc{}
		}
		m[k].sum += v
		m[k].n++
	}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if f := floorLine.FindStringSubmatch(sc.Text()); f != nil {
			m = []string{f[0], f[1], floorOp, f[2]}
		}
		if m == nil {
			continue
		}
		keys, _ := strconv.Atoi(m[1])
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%q: %w", sc.Text(), err)
			}
			switch {
			case f[i+1] == "B/record":
				add(heap, keys, v)
			case f[i+1] == "ns/op" && m[2] != "HeapPerRecord":
				if ns[m[2]] == nil {
					ns[m[2]] = map[int]*acc{}
				}
				add(ns[m[2]], keys, v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	s := &series{ns: map[string]map[int]float64{}, heap: map[int]float64{}}
	sizes := map[int]bool{}
	for op, bySize := range ns {
		s.ops = append(s.ops, op)
		s.ns[op] = map[int]float64{}
		for k, a := range bySize {
			s.ns[op][k] = a.sum / a.n
			sizes[k] = true
		}
	}
	for k, a := range heap {
		s.heap[k] = a.sum / a.n
		sizes[k] = true
	}
	for k := range sizes {
		s.sizes = append(s.sizes, k)
	}
	slices.Sort(s.sizes)
	slices.Sort(s.ops)
	return s, nil
}

var colors = []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"}

// Panel geometry, in SVG user units.
const (
	width, height = 760, 320
	top, bottom   = 40, 260
	leftX0        = 70
	leftX1        = 420
	rightX0       = 520
	rightX1       = 730
)

func draw(w io.Writer, s *series) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", width, height)
	fmt.Fprintf(b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)

	// Left: ns/op against keys, log x.
	maxNS := 0.0
	for _, op := range s.ops {
		for _, v := range s.ns[op] {
			maxNS = math.Max(maxNS, v)
		}
	}
	maxNS = niceCeil(maxNS)
	lo, hi := math.Log10(float64(s.sizes[0])), math.Log10(float64(s.sizes[len(s.sizes)-1]))
	if hi == lo {
		lo, hi = lo-1, hi+1
	}
	xOf := func(k int) float64 { return leftX0 + (math.Log10(float64(k))-lo)/(hi-lo)*(leftX1-leftX0) }
	yOf := func(v float64) float64 { return bottom - v/maxNS*(bottom-top) }
	fmt.Fprintf(b, `<text x="%d" y="20" font-size="13">Cost per call as the fleet grows (keys with 2 replicas each)</text>`+"\n", leftX0-40)
	axes(b, leftX0, leftX1, maxNS, "ns/op")
	for _, k := range s.sizes {
		fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", xOf(k), bottom+16, keysLabel(k))
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle">keys</text>`+"\n", (leftX0+leftX1)/2, bottom+32)
	for i, op := range s.ops {
		c := colors[i%len(colors)]
		var pts []string
		for _, k := range s.sizes {
			if v, ok := s.ns[op][k]; ok {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", xOf(k), yOf(v)))
				fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", xOf(k), yOf(v), c)
			}
		}
		fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(pts, " "), c)
		fmt.Fprintf(b, `<text x="%d" y="%d" fill="%s">%s</text>`+"\n", leftX0+8, top+12+14*i, c, op)
	}

	// Right: heap bytes per key record, one bar per size.
	maxB := 0.0
	for _, v := range s.heap {
		maxB = math.Max(maxB, v)
	}
	maxB = niceCeil(math.Max(maxB, 1024)) // the 1 KiB target stays in view
	fmt.Fprintf(b, `<text x="%d" y="20" font-size="13">Heap per key record</text>`+"\n", rightX0-20)
	axes(b, rightX0, rightX1, maxB, "B/record")
	target := bottom - 1024/maxB*(bottom-top)
	fmt.Fprintf(b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#999" stroke-dasharray="4 3"/>`+"\n", rightX0, target, rightX1, target)
	fmt.Fprintf(b, `<text x="%d" y="%.1f" fill="#666" text-anchor="end">1 KiB target</text>`+"\n", rightX1, target-4)
	slot := float64(rightX1-rightX0) / float64(len(s.sizes))
	for i, k := range s.sizes {
		v, ok := s.heap[k]
		if !ok {
			continue
		}
		x := rightX0 + slot*float64(i) + slot*0.2
		y := bottom - v/maxB*(bottom-top)
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`+"\n", x, y, slot*0.6, bottom-y, colors[0])
		fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="middle">%.0f</text>`+"\n", x+slot*0.3, y-4, v)
		fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x+slot*0.3, bottom+16, keysLabel(k))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// axes draws a panel's axes with five horizontal grid lines up to max.
func axes(b *strings.Builder, x0, x1 int, max float64, unit string) {
	for i := 0; i <= 4; i++ {
		v := max * float64(i) / 4
		y := bottom - float64(i)/4*(bottom-top)
		fmt.Fprintf(b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#eee"/>`+"\n", x0, y, x1, y)
		fmt.Fprintf(b, `<text x="%d" y="%.1f" text-anchor="end">%g</text>`+"\n", x0-6, y+4, v)
	}
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", x0, bottom, x1, bottom)
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", x0, top, x0, bottom)
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle" transform="rotate(-90 %d %d)">%s</text>`+"\n",
		x0-48, (top+bottom)/2, x0-48, (top+bottom)/2, unit)
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func keysLabel(k int) string {
	switch {
	case k >= 1_000_000 && k%1_000_000 == 0:
		return strconv.Itoa(k/1_000_000) + "M"
	case k >= 1000 && k%1000 == 0:
		return strconv.Itoa(k/1000) + "k"
	}
	return strconv.Itoa(k)
}
