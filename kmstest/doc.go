// Package kmstest provides helpers for tests that use kmsim.
// Typical usage inside a test is:
//
//	// In process: the engine, its manual clock and SDK-shaped clients.
//	env := kmstest.NewEnv(t)
//	us := env.Client("us-east-1") // a *kmssdk.Client: the *kms.Client methods
//	out, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
//	...
//	env.Clock.Advance(5 * time.Second) // replicas leave Creating
//
//	// Over HTTP: a real *kms.Client, or any AWS SDK or CLI, against srv.URL.
//	srv := kmstest.NewServer(t)
//	eu := srv.Client("eu-west-1") // a *kms.Client signed for eu-west-1
//	...
//	srv.Env.Settle() // every scheduled transition has happened
//
// [NewEnv] returns an [Env]: an engine with one account, [DefaultAccount],
// a manual [Clock] starting at [Start] and a random source seeded with
// [Seed] (1 by default), so key IDs and outputs are the same on every
// run. [Env.Caller] and the engine's methods use plain Go inputs;
// [Env.Client] gives the *kms.Client method set over the same engine.
// [Env.Settle] runs the clock past every scheduled transition.
//
// [NewServer] serves such an Env with [kmshttp] on a local port for the
// length of a test. Its clients use the access key "test" with secret
// "test"; the admin API under /_kmsim/ moves the clock from outside.
//
// # Conformance suite
//
// [RunConformance] runs one suite of scenarios (replication, primary
// Region updates, deletion, tags, key lifecycle, key policies,
// authorization, cross-Region encryption, key rotation, imported key
// material) against a
// [Harness]. Scenarios
// that need to move the clock or to act as another principal run only on
// harnesses that also implement [ClockHarness] or [PrincipalHarness]. The
// kmstest tests run it on the engine through kmssdk ([EngineHarness]) and
// through kmshttp and the real SDK client ([HTTPHarness]); with
//
//	go test ./kmstest -run Conformance -kms.live
//
// they also run it against real AWS KMS ([LiveHarness]), with credentials
// from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
// That creates real keys and schedules their deletion (7 days) when each
// scenario ends. Another fake or another endpoint can run the same suite
// by implementing Harness.
package kmstest
