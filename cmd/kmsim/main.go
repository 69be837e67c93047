// Command kmsim runs the kmsim simulation of AWS KMS.
//
// Usage:
//
//	kmsim demo [-seed N]   walk through multi-Region keys on a simulated clock
//	kmsim serve            serve the KMS JSON API (not yet implemented)
//	kmsim bench            run benchmark scenarios (not yet implemented)
//
// The demo uses a manual clock and a seeded random source, so the same
// seed always prints the same output.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `Usage: kmsim <command> [flags]

kmsim is an in-process, deterministic simulation of AWS KMS.

Commands:
  demo    walk through multi-Region keys on a simulated clock
  serve   serve the KMS JSON API over HTTP (not yet implemented)
  bench   run benchmark scenarios (not yet implemented)

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
	case "serve", "bench":
		fmt.Fprintf(stderr, "kmsim %s: not yet implemented, see README\n", cmd)
		return 2
	default:
		fmt.Fprintf(stderr, "kmsim: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}
