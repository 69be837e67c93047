//go:build !linux

package bench_test

import "testing"

// benchmarkFirstTouch is measured on Linux only (floor_linux_test.go).
func benchmarkFirstTouch(*testing.B) {}
