// Command kmsim runs the kmsim simulation of AWS KMS.
//
// Usage:
//
//	kmsim serve [flags]    serve the KMS JSON API over HTTP, on 127.0.0.1:4599
//	kmsim demo [-seed N]   walk through multi-Region keys on a simulated clock
//	kmsim bench [flags]    load-test kmsim over HTTP beside a null handler
//
// kmsim serve listens on -addr (default 127.0.0.1:4599) for AWS SDKs and
// the AWS CLI, with the access key test and secret test:
//
//	AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
//		aws kms list-keys --endpoint-url http://127.0.0.1:4599 --region us-east-1
//
// It logs one line per request to stderr and stops cleanly on SIGINT or
// SIGTERM. By default it runs on the real clock with random key IDs;
// -manual-clock starts a clock at 2026-01-01T00:00:00Z that moves only
// through the admin API (POST /_kmsim/clock/advance), and with -seed N as
// well a run replays exactly. Run "kmsim serve -h" for every flag.
//
// kmsim bench starts a kmsim server and a null handler (fixed responses,
// no work) as child processes and measures both with the same AWS SDK
// client: ops/s, p50/p99 latency and each server's CPU time per call.
// BENCHMARKS.md has the figures and the commands that reproduce them.
//
// The demo uses a manual clock and a seeded random source, so the same
// seed always prints the same output.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `Usage: kmsim <command> [flags]

kmsim is an in-process, deterministic simulation of AWS KMS.

Commands:
  serve   serve the KMS JSON API over HTTP (default 127.0.0.1:4599)
  demo    walk through multi-Region keys on a simulated clock
  bench   load-test kmsim over HTTP with the real AWS SDK client

Run "kmsim <command> -h" for the flags of a command.
`

// run is the whole program: args are the arguments after the program
// name, and the result is the exit status (0 success, 1 failure, 2 usage
// error).
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch cmd := args[0]; cmd {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "demo":
		return runDemo(args[1:], stdout, stderr)
	case "serve":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return runServe(ctx, args[1:], stdout, stderr, nil)
	case "bench":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return runBench(ctx, args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "kmsim: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}
