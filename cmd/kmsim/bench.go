package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/kmsim/kmsim/bench"
	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmshttp"
)

// benchConfig holds the flags of kmsim bench.
type benchConfig struct {
	url         string
	pid         int
	inProcess   bool
	null        bool
	calls       int
	warmup      int
	rounds      int
	concurrency []int
	ops         []bench.Op
	serve       string // serve "kmsim", "null" or "keep" (see newServerHandler)
	cpuProfile  string // with serve: write the child's CPU profile here
	memProfile  string // with serve: write the child's heap profile here
}

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat.
// Go cannot ask sysconf without cgo; Linux has used 100 on every
// architecture Go supports.
const clockTicks = 100

// benchEventLogLimit bounds the event log of the server kmsim bench
// starts, so a long run measures calls, not a growing log.
const benchEventLogLimit = 10_000

func parseBenchFlags(args []string, stderr io.Writer) (benchConfig, int) {
	cfg := benchConfig{null: true}
	fs := flag.NewFlagSet("kmsim bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.url, "url", "", "benchmark the kmsim server at `URL` instead of starting one")
	fs.IntVar(&cfg.pid, "pid", 0, "process ID of the server at -url, to read its CPU time from /proc")
	fs.BoolVar(&cfg.inProcess, "inprocess", false, "run the servers in this process (no server CPU figures)")
	fs.BoolVar(&cfg.null, "null", true, "measure the null handler too, the harness's ceiling")
	fs.IntVar(&cfg.calls, "n", 2000, "calls per operation, concurrency and server")
	fs.IntVar(&cfg.warmup, "warmup", 1000, "calls made before each cell is measured, at the same concurrency")
	fs.IntVar(&cfg.rounds, "rounds", 1, "measure each cell this many times, the servers taking turns; the comparison\nshows the median and range of the rounds")
	conc := fs.String("c", "1,16", "comma-separated `concurrencies`")
	opNames := fs.String("ops", "", "comma-separated operations (default all: "+strings.Join(opNamesOf(bench.Ops()), ",")+")")
	fs.StringVar(&cfg.serve, "serve", "", "serve kmsim, null or keep (null that keeps each new key's records) on a free port,\nprinting its URL, until standard input ends; for a parent kmsim bench or for -url")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "with -serve: write the server's CPU profile to `file` when its stdin ends")
	fs.StringVar(&cfg.memProfile, "memprofile", "", "with -serve: write the server's heap profile to `file` when its stdin ends")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: kmsim bench [flags]\n\n"+
			"Load-test a kmsim server over HTTP with the real AWS SDK for Go v2 client:\n"+
			"CreateKey, DescribeKey, ReplicateKey and Encrypt+Decrypt of 1 KiB, at each\n"+
			"concurrency, printing ops/s, p50/p99 latency and CPU time per call. The same\n"+
			"client is measured against a null handler that answers fixed responses, so\n"+
			"the report shows what fraction of the harness's ceiling kmsim reaches. By\n"+
			"default both servers run as child processes and their CPU time is read\n"+
			"from /proc/<pid> (each thread's schedstat, else stat). Each cell is\n"+
			"measured after -warmup unmeasured calls.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, 0
		}
		return cfg, 2
	}
	var problem string
	for _, s := range strings.Split(*conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			problem = fmt.Sprintf("bad concurrency %q", s)
		}
		cfg.concurrency = append(cfg.concurrency, n)
	}
	if *opNames == "" {
		cfg.ops = bench.Ops()
	}
	for _, name := range strings.Split(*opNames, ",") {
		if name == "" {
			continue
		}
		op, ok := bench.LookupOp(strings.TrimSpace(name))
		if !ok {
			problem = fmt.Sprintf("unknown operation %q", name)
		}
		cfg.ops = append(cfg.ops, op)
	}
	switch {
	case fs.NArg() > 0:
		problem = fmt.Sprintf("unexpected argument %q", fs.Arg(0))
	case cfg.calls < 1:
		problem = "-n must be positive"
	case cfg.warmup < 0:
		problem = "-warmup must not be negative"
	case cfg.rounds < 1:
		problem = "-rounds must be positive"
	case cfg.serve != "" && cfg.serve != "kmsim" && cfg.serve != "null" && cfg.serve != "keep":
		problem = fmt.Sprintf("-serve %q: want kmsim, null or keep", cfg.serve)
	case (cfg.cpuProfile != "" || cfg.memProfile != "") && cfg.serve == "":
		problem = "-cpuprofile and -memprofile need -serve"
	case cfg.pid != 0 && cfg.url == "":
		problem = "-pid needs -url"
	case cfg.url != "" && cfg.inProcess:
		problem = "-url and -inprocess exclude each other"
	}
	if problem != "" {
		fmt.Fprintf(stderr, "kmsim bench: %s\n", problem)
		fs.Usage()
		return cfg, 2
	}
	return cfg, -1
}

func opNamesOf(ops []bench.Op) []string {
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = op.Name
	}
	return names
}

// runBench is kmsim bench.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, code := parseBenchFlags(args, stderr)
	if code >= 0 {
		return code
	}
	if cfg.serve != "" {
		if err := serveChild(cfg.serve, cfg.cpuProfile, cfg.memProfile, os.Stdin, stdout); err != nil {
			fmt.Fprintf(stderr, "kmsim bench -serve: %v\n", err)
			return 1
		}
		return 0
	}
	if err := benchmark(ctx, cfg, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "kmsim bench: %v\n", err)
		return 1
	}
	return 0
}

// newServerHandler returns the handler a started server runs: kmsim,
// the null handler, or the null handler that keeps each new key's
// records (bench.KeepHandler), the floor of a server that holds keys.
func newServerHandler(kind string) (http.Handler, error) {
	switch kind {
	case "null":
		return bench.NewNullHandler()
	case "keep":
		return bench.NewKeepHandler()
	}
	// The real clock and crypto/rand, as kmsim serve runs, without its
	// per-request log line.
	e := engine.New(engine.Config{EventLogLimit: benchEventLogLimit})
	return kmshttp.New(e, kmshttp.Config{})
}

// serveChild serves kind on a free loopback port, writes its URL as one
// line to out, and serves until in ends: the parent closes it, or dies.
// With a profile path it records a CPU profile of the whole time, which
// is how one finds where a server's CPU goes under "kmsim bench -url":
//
//	kmsim bench -serve kmsim -cpuprofile cpu.out   # prints the URL; ^D stops it
func serveChild(kind, cpuProfile, memProfile string, in io.Reader, out io.Writer) error {
	h, err := newServerHandler(kind)
	if err != nil {
		return err
	}
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := kmshttp.NewServer(ln.Addr().String(), h)
	go func() { _ = srv.Serve(ln) }()
	fmt.Fprintf(out, "http://%s\n", ln.Addr())
	_, _ = io.Copy(io.Discard, in)
	if err := srv.Close(); err != nil {
		return err
	}
	if memProfile != "" {
		err = writeHeapProfile(memProfile)
	}
	// The engine behind h is the heap the profile is about.
	runtime.KeepAlive(h)
	return err
}

// writeHeapProfile writes the live heap, as of a fresh collection, to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// target is one server under test.
type target struct {
	name string
	url  string
	pid  int // 0: CPU time unknown
	// inProcess is set when the server shares this process, whose CPU
	// time is then not the client's alone.
	inProcess bool
	stop      func()
}

// startChild runs "kmsim bench -serve kind" and returns its URL.
func startChild(kind string) (*target, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "bench", "-serve", kind)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		_ = stdin.Close()
		_ = cmd.Wait()
		return nil, fmt.Errorf("starting the %s server: %w", kind, err)
	}
	return &target{
		name: kind,
		url:  strings.TrimSpace(line),
		pid:  cmd.Process.Pid,
		stop: func() { _ = stdin.Close(); _ = cmd.Wait() },
	}, nil
}

// startInProcess serves kind from this process.
func startInProcess(kind string) (*target, error) {
	h, err := newServerHandler(kind)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := kmshttp.NewServer(ln.Addr().String(), h)
	go func() { _ = srv.Serve(ln) }()
	return &target{name: kind, url: "http://" + ln.Addr().String(), inProcess: true, stop: func() { _ = srv.Close() }}, nil
}

func startTargets(cfg benchConfig) ([]*target, error) {
	var kinds []string
	var targets []*target
	if cfg.url != "" {
		targets = append(targets, &target{name: "kmsim", url: cfg.url, pid: cfg.pid, stop: func() {}})
	} else {
		kinds = append(kinds, "kmsim")
	}
	if cfg.null {
		kinds = append(kinds, "null")
	}
	for _, kind := range kinds {
		start := startChild
		if cfg.inProcess {
			start = startInProcess
		}
		t, err := start(kind)
		if err != nil {
			stopTargets(targets)
			return nil, err
		}
		targets = append(targets, t)
	}
	return targets, nil
}

func stopTargets(ts []*target) {
	for _, t := range ts {
		t.stop()
	}
}

// cell is the result of one operation at one concurrency on one server.
type cell struct {
	op       string
	c        int
	server   string
	calls    int
	wall     time.Duration
	p50, p99 time.Duration
	// serverCPU and clientCPU are CPU time per call; negative when
	// unknown.
	serverCPU, clientCPU time.Duration
}

func (c cell) opsPerSec() float64 { return float64(c.calls) / c.wall.Seconds() }

func benchmark(ctx context.Context, cfg benchConfig, stdout, stderr io.Writer) error {
	targets, err := startTargets(cfg)
	if err != nil {
		return err
	}
	defer stopTargets(targets)

	where := "child processes; server CPU from /proc/<pid>"
	switch {
	case cfg.inProcess:
		where = "this process; no server CPU figures"
	case cfg.url != "":
		where = cfg.url
	}
	rounds := ""
	if cfg.rounds > 1 {
		rounds = fmt.Sprintf(", %d rounds", cfg.rounds)
	}
	fmt.Fprintf(stdout, "kmsim bench: %d calls per cell after %d unmeasured%s, servers in %s; %s, %d CPUs, GOMAXPROCS %d\n",
		cfg.calls, cfg.warmup, rounds, where, runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0))
	fmt.Fprintf(stdout, "%-15s %3s %-6s %9s %9s %9s %12s %12s\n",
		"operation", "c", "server", "ops/s", "p50", "p99", "server CPU", "client CPU")
	var cells []cell
	turn := 0
	for _, op := range cfg.ops {
		for _, c := range cfg.concurrency {
			for range cfg.rounds {
				// The servers take turns within a cell, so drift in the
				// machine's load falls on both, and which goes first
				// alternates from round to round and cell to cell, so that
				// neither always runs right after the other's burst of work
				// (kmsim used to go first every time).
				res := make([]cell, len(targets))
				for k := range targets {
					i := k
					if turn%2 == 1 {
						i = len(targets) - 1 - k
					}
					t := targets[i]
					r, err := runCell(ctx, op, c, cfg.warmup, cfg.calls, t, stderr)
					if err != nil {
						return fmt.Errorf("%s c=%d on %s: %w", op.Name, c, t.name, err)
					}
					res[i] = r
				}
				turn++
				for _, r := range res {
					cells = append(cells, r)
					fmt.Fprintf(stdout, "%-15s %3d %-6s %9.0f %9s %9s %12s %12s\n",
						r.op, r.c, r.server, r.opsPerSec(), round(r.p50), round(r.p99),
						perCall(r.serverCPU), perCall(r.clientCPU))
				}
			}
		}
	}
	if len(targets) == 2 {
		printRatios(stdout, cells)
	}
	return nil
}

// printRatios sets kmsim's cells beside the null handler's. cells holds
// (kmsim, null) pairs, the rounds of one operation and concurrency in a
// row; with more than one round each ratio is the median of the rounds',
// with their range.
func printRatios(w io.Writer, cells []cell) {
	fmt.Fprintf(w, "\nkmsim against the null handler (the harness's ceiling):\n")
	fmt.Fprintf(w, "%-15s %3s %20s %22s\n", "operation", "c", "ops/s of null", "server CPU ×null")
	for i := 0; i+1 < len(cells); {
		k := cells[i]
		var ops, cpu []float64
		for ; i+1 < len(cells) && cells[i].op == k.op && cells[i].c == k.c; i += 2 {
			kmsim, null := cells[i], cells[i+1]
			ops = append(ops, 100*kmsim.opsPerSec()/null.opsPerSec())
			if kmsim.serverCPU >= 0 && null.serverCPU > 0 {
				cpu = append(cpu, float64(kmsim.serverCPU)/float64(null.serverCPU))
			}
		}
		cpuText := "-"
		if len(cpu) == len(ops) {
			cpuText = spread(cpu, "%.2f", "×")
		}
		fmt.Fprintf(w, "%-15s %3d %20s %22s\n", k.op, k.c, spread(ops, "%.0f", "%"), cpuText)
	}
}

// spread formats the median of xs, and their range when there is more
// than one, each with format and unit: "1.10×" or "1.10× (1.04–1.36×)".
func spread(xs []float64, format, unit string) string {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	n := len(xs)
	median := xs[n/2]
	if n%2 == 0 {
		median = (xs[n/2-1] + xs[n/2]) / 2
	}
	text := fmt.Sprintf(format, median) + unit
	if n > 1 {
		text += fmt.Sprintf(" ("+format+"–"+format+"%s)", xs[0], xs[n-1], unit)
	}
	return text
}

func round(d time.Duration) string {
	return d.Round(time.Microsecond).String()
}

func perCall(d time.Duration) string {
	if d < 0 {
		return "-"
	}
	return fmt.Sprintf("%.1fµs", float64(d)/float64(time.Microsecond))
}

// runCell prepares op on t, then makes n calls from c goroutines.
// runCell measures n calls of op at concurrency c against t, after warmup
// calls that are not measured: a fresh server first grows its heap, its
// event log and its maps, which a short cell would otherwise count as the
// cost of each call.
func runCell(ctx context.Context, op bench.Op, c, warmup, n int, t *target, progress io.Writer) (cell, error) {
	client := bench.NewHTTPClient(t.url, bench.Home, c)
	call, err := op.Prepare(ctx, client, warmup+n)
	if err != nil {
		return cell{}, err
	}
	if _, err := drive(ctx, call, c, 0, warmup, nil); err != nil {
		return cell{}, err
	}
	var done atomic.Int64
	stopProgress := showProgress(progress, fmt.Sprintf("%s c=%d %s", op.Name, c, t.name), n, &done)
	defer stopProgress()

	serverBefore, serverOK := processCPU(t.pid)
	clientBefore := selfCPU()
	start := time.Now()
	all, err := drive(ctx, call, c, warmup, warmup+n, &done)
	wall := time.Since(start)
	if err != nil {
		return cell{}, err
	}
	res := cell{op: op.Name, c: c, server: t.name, calls: n, wall: wall, serverCPU: -1, clientCPU: -1}
	if serverAfter, ok := processCPU(t.pid); ok && serverOK {
		res.serverCPU = serverAfter.since(serverBefore) / time.Duration(n)
	}
	if !t.inProcess {
		res.clientCPU = (selfCPU() - clientBefore) / time.Duration(n)
	}
	slices.Sort(all)
	res.p50 = all[len(all)*50/100]
	res.p99 = all[len(all)*99/100]
	return res, nil
}

// drive makes calls from..to-1 with c workers and returns their
// latencies; done, when not nil, counts the calls made. The first error
// stops every worker.
func drive(ctx context.Context, call func(context.Context, int) error, c, from, to int, done *atomic.Int64) ([]time.Duration, error) {
	lat := make([][]time.Duration, c)
	var (
		next     atomic.Int64
		firstErr error
		errOnce  sync.Once
		wg       sync.WaitGroup
	)
	next.Store(int64(from))
	for w := range c {
		lat[w] = make([]time.Duration, 0, (to-from)/c+1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= to {
					return
				}
				t0 := time.Now()
				if err := call(ctx, i); err != nil {
					errOnce.Do(func() { firstErr = err })
					next.Store(int64(to)) // stop the other workers
					return
				}
				lat[w] = append(lat[w], time.Since(t0))
				if done != nil {
					done.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return slices.Concat(lat...), firstErr
}

// showProgress rewrites one line on w every quarter second until the
// returned function is called, which clears it.
func showProgress(w io.Writer, label string, n int, done *atomic.Int64) func() {
	stop := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				fmt.Fprintf(w, "\r%-60s\r", "")
				return
			case <-tick.C:
				fmt.Fprintf(w, "\r%-60s", fmt.Sprintf("  %s: %d/%d calls", label, done.Load(), n))
			}
		}
	}()
	return func() { close(stop); <-finished }
}

// cpuReading is the CPU time a process has used so far, by two clocks:
// utime+stime from /proc/<pid>/stat, in clock ticks of 10 ms, and, when
// threadsOK, the sum of its threads' run times from
// /proc/<pid>/task/*/schedstat, in nanoseconds.
type cpuReading struct {
	ticks     time.Duration
	threads   time.Duration
	threadsOK bool
}

// since returns the CPU time used between r0 and r. It takes the
// threads' clock when both readings have it and it did not go back (a
// thread that exits takes its run time with it, which Go's threads
// rarely do), the tick clock otherwise: a cell of 2000 calls of 100 µs
// of server CPU is 20 ticks, so one tick more or less moved the figure
// by 5%.
func (r cpuReading) since(r0 cpuReading) time.Duration {
	if r.threadsOK && r0.threadsOK && r.threads >= r0.threads {
		return r.threads - r0.threads
	}
	return r.ticks - r0.ticks
}

// processCPU reads the CPU time of process pid so far.
func processCPU(pid int) (cpuReading, bool) {
	if pid == 0 {
		return cpuReading{}, false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return cpuReading{}, false
	}
	// The command name, field 2, is in parentheses and may hold spaces;
	// utime and stime are fields 14 and 15, the 12th and 13th after it.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return cpuReading{}, false
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return cpuReading{}, false
	}
	r := cpuReading{ticks: time.Duration(utime+stime) * time.Second / clockTicks}
	r.threads, r.threadsOK = threadsCPU(pid)
	return r, true
}

// threadsCPU sums the run time, in nanoseconds, of the threads of
// process pid: the first field of /proc/<pid>/task/<tid>/schedstat,
// which the scheduler keeps for user and system time alike.
func threadsCPU(pid int) (time.Duration, bool) {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	tasks, err := os.ReadDir(dir)
	if err != nil || len(tasks) == 0 {
		return 0, false
	}
	var sum time.Duration
	for _, t := range tasks {
		b, err := os.ReadFile(dir + "/" + t.Name() + "/schedstat")
		if err != nil {
			// A thread that exited since ReadDir ran no longer counts;
			// anything else means the file is not there to read.
			if errors.Is(err, os.ErrNotExist) {
				if _, serr := os.Stat(dir + "/" + t.Name()); serr != nil {
					continue
				}
			}
			return 0, false
		}
		f, _, _ := strings.Cut(string(b), " ")
		ns, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, false
		}
		sum += time.Duration(ns)
	}
	return sum, true
}

// selfCPU returns this process's user and system CPU time so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
