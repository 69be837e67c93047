package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"time"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// Defaults of kmsim serve.
const (
	defaultAddr = "127.0.0.1:4599"
	// shutdownTimeout bounds the wait for requests in flight after
	// SIGINT or SIGTERM.
	shutdownTimeout = 5 * time.Second
)

// serveConfig holds the flags of kmsim serve.
type serveConfig struct {
	addr          string
	region        region.ID
	account       string
	creatingDelay time.Duration
	updatingDelay time.Duration
	strict        bool
	manualClock   bool
	seed          uint64
	seeded        bool // -seed was given
	eventLogLimit int
	logRequests   bool
}

// runServe parses the flags of kmsim serve and serves until ctx is done.
// ready, when not nil, is called with the server's URL once it listens,
// which is how a test finds the port of -addr 127.0.0.1:0.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(url string)) int {
	cfg, code := parseServeFlags(args, stderr)
	if code >= 0 {
		return code
	}
	if err := serve(ctx, cfg, stdout, stderr, ready); err != nil {
		fmt.Fprintf(stderr, "kmsim serve: %v\n", err)
		return 1
	}
	return 0
}

// parseServeFlags returns the configuration, or an exit status (0 for
// -h, 2 for a usage error) when the command must stop; -1 means go on.
func parseServeFlags(args []string, stderr io.Writer) (serveConfig, int) {
	var cfg serveConfig
	fs := flag.NewFlagSet("kmsim serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", defaultAddr, "`host:port` to listen on; port 0 picks a free port")
	regionFlag := fs.String("region", string(kmshttp.DefaultRegion), "Region of unsigned requests (signed requests name their own)")
	fs.StringVar(&cfg.account, "account", kmshttp.DefaultAccount, "account of the access key test/test, and of requests with an unknown key")
	fs.DurationVar(&cfg.creatingDelay, "creating-delay", engine.DefaultCreatingDelay, "how long a new replica stays Creating")
	fs.DurationVar(&cfg.updatingDelay, "updating-delay", engine.DefaultUpdatingDelay, "how long UpdatePrimaryRegion leaves both keys Updating")
	fs.BoolVar(&cfg.strict, "strict", false, "require requests signed (SigV4) with a known access key, and check the signatures")
	fs.BoolVar(&cfg.manualClock, "manual-clock", false,
		"run on a manual clock that starts at "+kmstest.Start.Format(time.RFC3339)+
			" and moves only when told to (POST /_kmsim/clock/advance); otherwise the real clock")
	// A long load test through kmsim serve would otherwise grow the event
	// log without end: memory, and garbage collection work that grows
	// with it, so each call costs more CPU the longer the server runs.
	// The default keeps every event, as the admin API has always shown.
	fs.IntVar(&cfg.eventLogLimit, "event-log-limit", 0,
		"keep only about the newest `n` events of the log (GET /_kmsim/events); 0 keeps all, which a long load test should not")
	// The line of every request is a write to stderr: about 10 µs of
	// server CPU per call on the machine of BENCHMARKS.md, which a load
	// test may rather not spend.
	fs.BoolVar(&cfg.logRequests, "log-requests", true,
		"log one line per request to stderr; with false only failures (5xx, recovered panics) are logged")
	fs.Uint64Var(&cfg.seed, "seed", 0, "seed the random source that picks key IDs (default: crypto/rand); with -manual-clock a run replays exactly")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: kmsim serve [flags]\n\n"+
			"Serve the AWS KMS JSON API over HTTP for AWS SDKs and the AWS CLI, with\n"+
			"the access key test and secret test. Every Region is served on one port;\n"+
			"a request's Region comes from its signature. The admin API is under\n"+
			"/_kmsim/. Stop with SIGINT or SIGTERM.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, 0
		}
		return cfg, 2
	}
	fs.Visit(func(f *flag.Flag) { cfg.seeded = cfg.seeded || f.Name == "seed" })
	cfg.region = region.ID(*regionFlag)

	var problem string
	switch _, known := region.Lookup(cfg.region); {
	case fs.NArg() > 0:
		problem = fmt.Sprintf("unexpected argument %q", fs.Arg(0))
	case !known:
		problem = fmt.Sprintf("unknown Region %q", cfg.region)
	case !region.ValidAccountID(cfg.account):
		problem = fmt.Sprintf("account %q is not a 12-digit account ID", cfg.account)
	case cfg.creatingDelay <= 0 || cfg.updatingDelay <= 0:
		problem = "delays must be positive"
	case cfg.eventLogLimit < 0:
		problem = "-event-log-limit must not be negative"
	}
	if problem != "" {
		fmt.Fprintf(stderr, "kmsim serve: %s\n", problem)
		fs.Usage()
		return cfg, 2
	}
	return cfg, -1
}

// serve runs the server until ctx is done, then shuts it down.
func serve(ctx context.Context, cfg serveConfig, stdout, stderr io.Writer, ready func(url string)) error {
	ecfg := engine.Config{CreatingDelay: cfg.creatingDelay, UpdatingDelay: cfg.updatingDelay, EventLogLimit: cfg.eventLogLimit}
	// nil Clock and Rand are the real clock and crypto/rand; this command
	// is the one place where kmsim may use them.
	var clock *kmstest.Clock
	if cfg.manualClock {
		clock = kmstest.NewClock(kmstest.Start)
		ecfg.Clock = clock
	}
	if cfg.seeded {
		ecfg.Rand = rand.NewChaCha8(seedKey(cfg.seed))
	}
	e := engine.New(ecfg)

	hcfg := kmshttp.Config{
		DefaultRegion:  cfg.region,
		DefaultAccount: cfg.account,
		StrictSigV4:    cfg.strict,
		Logger:         slog.New(slog.NewTextHandler(stderr, logOptions(cfg.logRequests))),
	}
	if clock != nil {
		hcfg.Clock = clock
	}
	h, err := kmshttp.New(e, hcfg)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := kmshttp.NewServer(cfg.addr, h)
	url := "http://" + ln.Addr().String()
	printBanner(stdout, cfg, url)
	if ready != nil {
		ready(url)
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err // never http.ErrServerClosed: only this function shuts down
	case <-ctx.Done():
	}

	fmt.Fprintln(stderr, "kmsim serve: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// logOptions returns the options of the request log: every request, or
// only those the handler logs at level Error.
func logOptions(everyRequest bool) *slog.HandlerOptions {
	if everyRequest {
		return nil
	}
	return &slog.HandlerOptions{Level: slog.LevelError}
}

// printBanner tells the user where the server is and how to call it.
func printBanner(w io.Writer, cfg serveConfig, url string) {
	fmt.Fprintf(w, "kmsim serve: KMS for every Region at %s (account %s, access key test, secret test)\n", url, cfg.account)
	fmt.Fprintf(w, "try: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws kms list-keys --endpoint-url %s --region %s\n", url, cfg.region)
	if cfg.manualClock {
		fmt.Fprintf(w, "manual clock at %s; advance it: curl -X POST %s/_kmsim/clock/advance -d '{\"Seconds\":5}'\n",
			kmstest.Start.Format(time.RFC3339), url)
	}
}
