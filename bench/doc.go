// Package bench holds kmsim's benchmark scenarios and the benchmarks
// that measure the engine, its two fronts and its cost as the number of
// keys grows.
//
// The scenarios are exported so that any benchmark or load generator can
// run them. They are seeded and never sleep: the engine-level ones
// ([CreateFleet], [Fleet.FanOut], [Fleet.SwapPrimaries],
// [Fleet.ScheduleAndCancel], [Workload]) drive a [kmstest.Env] and move
// its manual clock; the client-level ones ([Ops]) take any value with
// the *kms.Client method set ([API]), so the same calls run in process
// through kmssdk and over HTTP through the real AWS SDK client, which is
// what "kmsim bench" does.
//
// # Benchmarks
//
// Run them all once, as CI does, with
//
//	go test -run '^$' -bench . -benchtime=1x ./bench/...
//
// and for figures to compare with benchstat
//
//	go test -run '^$' -bench . -benchmem -count 6 ./bench/ > new.txt
//
// The scale benchmarks build fleets of 1,000 and 100,000 keys with two
// replicas each; the 1,000,000-key fleet takes about a minute and a few
// GB, so it runs only when the environment variable KMSIM_BENCH_1M is
// set to 1.
package bench
