package engine_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/internal/readmecheck"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// regionsOf returns the Regions of a ReplicaKeys list.
func regionsOf(keys []engine.MultiRegionKey) []region.ID {
	out := make([]region.ID, len(keys))
	for i, k := range keys {
		out[i] = k.Region
	}
	return out
}

func ExampleEngine_ReplicateKey() {
	// A manual clock and a seeded random source make the run repeatable.
	clock := kmstest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	e := engine.New(engine.Config{Clock: clock, Rand: rand.NewChaCha8([32]byte{1})})
	if err := e.CreateAccount(engine.AccountInput{ID: "111122223333"}); err != nil {
		panic(err)
	}
	us := engine.Caller{Account: "111122223333", Region: "us-east-1"}

	key, err := e.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
	if err != nil {
		panic(err)
	}
	id := key.KeyMetadata.KeyID
	fmt.Println("primary:", id)

	out, err := e.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1"})
	if err != nil {
		panic(err)
	}
	replica := out.ReplicaKeyMetadata
	fmt.Println("replica:", replica.Arn)
	fmt.Println("state:", replica.KeyState)
	fmt.Println("replicas:", regionsOf(replica.MultiRegionConfiguration.ReplicaKeys))

	// The replica is usable once the simulated clock passes CreatingDelay.
	clock.Advance(engine.DefaultCreatingDelay)
	eu := engine.Caller{Account: "111122223333", Region: "eu-west-1"}
	d, err := e.DescribeKey(eu, engine.DescribeKeyInput{KeyID: id})
	if err != nil {
		panic(err)
	}
	fmt.Println("state after 5s:", d.KeyMetadata.KeyState)

	// One replica per Region.
	_, err = e.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1"})
	var exists *kmserrors.AlreadyExistsException
	if errors.As(err, &exists) {
		fmt.Println("again:", exists.ErrorCode())
	}
	// Output:
	// primary: mrk-6ae6783f4fbd491baeb88b73a48ed247
	// replica: arn:aws:kms:eu-west-1:111122223333:key/mrk-6ae6783f4fbd491baeb88b73a48ed247
	// state: Creating
	// replicas: [eu-west-1]
	// state after 5s: Enabled
	// again: AlreadyExistsException
}

func Example_multiRegion() {
	clock := kmstest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	e := engine.New(engine.Config{Clock: clock, Rand: rand.NewChaCha8([32]byte{1})})
	if err := e.CreateAccount(engine.AccountInput{ID: "111122223333"}); err != nil {
		panic(err)
	}
	in := func(r region.ID) engine.Caller { return engine.Caller{Account: "111122223333", Region: r} }
	regions := []region.ID{"us-east-1", "eu-west-1", "ap-southeast-2"}
	show := func(id string) {
		for _, r := range regions {
			d, err := e.DescribeKey(in(r), engine.DescribeKeyInput{KeyID: id})
			if err != nil {
				panic(err)
			}
			m := d.KeyMetadata
			fmt.Printf("  %-14s %s %s\n", r, m.MultiRegionConfiguration.MultiRegionKeyType, m.KeyState)
		}
	}

	// A multi-Region primary in us-east-1 with replicas in two Regions.
	key, err := e.CreateKey(in("us-east-1"), engine.CreateKeyInput{MultiRegion: true})
	if err != nil {
		panic(err)
	}
	id := key.KeyMetadata.KeyID
	fmt.Println("key", id)
	for _, r := range regions[1:] {
		if _, err := e.ReplicateKey(in("us-east-1"), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: r}); err != nil {
			panic(err)
		}
	}
	fmt.Println("after ReplicateKey:")
	show(id)
	clock.Advance(5 * time.Second)
	fmt.Println("5s later:")
	show(id)

	// Move the primary to eu-west-1; both keys are Updating for a while.
	_, err = e.UpdatePrimaryRegion(in("us-east-1"), engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: "eu-west-1"})
	if err != nil {
		panic(err)
	}
	fmt.Println("after UpdatePrimaryRegion:")
	show(id)
	d, err := e.DescribeKey(in("ap-southeast-2"), engine.DescribeKeyInput{KeyID: id})
	if err != nil {
		panic(err)
	}
	c := d.KeyMetadata.MultiRegionConfiguration
	fmt.Println("PrimaryKey:", c.PrimaryKey.Region)
	fmt.Println("ReplicaKeys:", regionsOf(c.ReplicaKeys))
	clock.Advance(5 * time.Second)
	fmt.Println("5s later:")
	show(id)

	// Only the primary can be replicated.
	_, err = e.ReplicateKey(in("us-east-1"), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"})
	var unsupported *kmserrors.UnsupportedOperationException
	if errors.As(err, &unsupported) {
		fmt.Println("ReplicateKey in us-east-1:", unsupported.ErrorCode())
	}
	// Output:
	// key mrk-6ae6783f4fbd491baeb88b73a48ed247
	// after ReplicateKey:
	//   us-east-1      PRIMARY Enabled
	//   eu-west-1      REPLICA Creating
	//   ap-southeast-2 REPLICA Creating
	// 5s later:
	//   us-east-1      PRIMARY Enabled
	//   eu-west-1      REPLICA Enabled
	//   ap-southeast-2 REPLICA Enabled
	// after UpdatePrimaryRegion:
	//   us-east-1      REPLICA Updating
	//   eu-west-1      PRIMARY Updating
	//   ap-southeast-2 REPLICA Enabled
	// PrimaryKey: eu-west-1
	// ReplicaKeys: [ap-southeast-2 us-east-1]
	// 5s later:
	//   us-east-1      REPLICA Enabled
	//   eu-west-1      PRIMARY Enabled
	//   ap-southeast-2 REPLICA Enabled
	// ReplicateKey in us-east-1: UnsupportedOperationException
}

func ExampleEngine_ScheduleKeyDeletion() {
	clock := kmstest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	e := engine.New(engine.Config{Clock: clock, Rand: rand.NewChaCha8([32]byte{1})})
	if err := e.CreateAccount(engine.AccountInput{ID: "111122223333"}); err != nil {
		panic(err)
	}
	us := engine.Caller{Account: "111122223333", Region: "us-east-1"}
	eu := engine.Caller{Account: "111122223333", Region: "eu-west-1"}
	key, err := e.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
	if err != nil {
		panic(err)
	}
	id := key.KeyMetadata.KeyID
	if _, err := e.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1"}); err != nil {
		panic(err)
	}
	clock.Advance(5 * time.Second)

	// The primary waits for its replica.
	out, err := e.ScheduleKeyDeletion(us, engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: 7})
	if err != nil {
		panic(err)
	}
	fmt.Println("primary:", out.KeyState, "deletion date set:", !out.DeletionDate.IsZero())

	out, err = e.ScheduleKeyDeletion(eu, engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: 7})
	if err != nil {
		panic(err)
	}
	fmt.Println("replica:", out.KeyState, "until", out.DeletionDate.Format(time.DateOnly))

	// When the replica is deleted, the primary's own 7-day window starts.
	clock.Advance(7 * 24 * time.Hour)
	d, err := e.DescribeKey(us, engine.DescribeKeyInput{KeyID: id})
	if err != nil {
		panic(err)
	}
	fmt.Println("primary:", d.KeyMetadata.KeyState, "until", d.KeyMetadata.DeletionDate.Format(time.DateOnly))
	fmt.Println("replicas:", regionsOf(d.KeyMetadata.MultiRegionConfiguration.ReplicaKeys))

	_, err = e.DescribeKey(eu, engine.DescribeKeyInput{KeyID: id})
	var nf *kmserrors.NotFoundException
	fmt.Println("replica gone:", errors.As(err, &nf))
	// Output:
	// primary: PendingReplicaDeletion deletion date set: false
	// replica: PendingDeletion until 2026-01-08
	// primary: PendingDeletion until 2026-01-15
	// replicas: []
	// replica gone: true
}

// TestReplicaBecomesEnabled is the snippet in README.md, compiled and run
// here; TestREADMESnippet keeps the two copies the same.
func TestReplicaBecomesEnabled(t *testing.T) {
	env := kmstest.NewEnv(t) // seed 1, clock at kmstest.Start
	us, eu := env.Caller("us-east-1"), env.Caller("eu-west-1")

	key, err := env.Engine.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
	if err != nil {
		t.Fatal(err)
	}
	id := key.KeyMetadata.KeyID // "mrk-...", shared by all its replicas

	_, err = env.Engine.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(5 * time.Second) // a replica is Creating for 5s
	out, err := env.Engine.DescribeKey(eu, engine.DescribeKeyInput{KeyID: id})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.KeyMetadata.KeyState; got != keystore.Enabled {
		t.Errorf("replica is %s, want Enabled", got)
	}

	// Errors are typed values, as the AWS SDK's are.
	_, err = env.Engine.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1"})
	var exists *kmserrors.AlreadyExistsException
	if !errors.As(err, &exists) {
		t.Errorf("second replica in eu-west-1: got %v, want AlreadyExistsException", err)
	}
}

// TestREADMESnippet checks that README.md shows TestReplicaBecomesEnabled
// exactly as it is written above, so the README's code always compiles.
func TestREADMESnippet(t *testing.T) {
	readmecheck.SameFunc(t, "../README.md", "example_test.go", "TestReplicaBecomesEnabled")
}
