// Package kmstest provides helpers for tests that use kmsim: a manual
// clock and ready-made engines with a seeded random source.
//
// Typical usage inside a test is:
//
//	env := kmstest.NewEnv(t)
//	us := env.Caller("us-east-1")
//	out, err := env.Engine.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
//	...
//	env.Clock.Advance(5 * time.Second) // replicas leave Creating
//
// [Env.Settle] runs the clock past every scheduled transition.
package kmstest
