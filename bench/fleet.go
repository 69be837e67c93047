package bench

import (
	"fmt"
	"time"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// Home is the Region the scenarios create their primary keys in.
const Home region.ID = "us-east-1"

// MaxReplicas is the most replicas [ReplicaRegions] can name: the aws
// partition has 17 Regions that need no opt-in, and a key's primary
// takes one of them.
const MaxReplicas = 16

// ReplicaRegions returns the first k Regions of home's partition, in
// code order, that need no opt-in and are not home: the Regions a fan-out
// to k replicas uses. It panics if the partition has fewer, which is a
// mistake in the calling benchmark.
func ReplicaRegions(home region.ID, k int) []region.ID {
	hr, ok := region.Lookup(home)
	if !ok {
		panic(fmt.Sprintf("bench: unknown Region %q", home))
	}
	out := make([]region.ID, 0, k)
	for _, r := range region.All() {
		if len(out) == k {
			break
		}
		if r.Partition == hr.Partition && !r.OptIn && r.ID != home {
			out = append(out, r.ID)
		}
	}
	if len(out) < k {
		panic(fmt.Sprintf("bench: %s has only %d Regions for replicas, not %d", hr.Partition, len(out), k))
	}
	return out
}

// Fleet is a set of multi-Region keys of one account whose primaries
// share a Region.
type Fleet struct {
	Env *kmstest.Env
	// Account owns the keys; Home is the Region of their primaries.
	Account string
	Home    region.ID
	// IDs holds the key IDs in creation order.
	IDs []string
	// Replicas lists the Regions every key has a replica in, in the
	// order they were made.
	Replicas []region.ID
}

// CreateFleet creates n multi-Region primary keys in home, owned by
// [kmstest.DefaultAccount] and created by its root user. They are
// symmetric encryption keys with the default key policy.
func CreateFleet(env *kmstest.Env, home region.ID, n int) (*Fleet, error) {
	return createFleet(env, kmstest.DefaultAccount, home, n)
}

func createFleet(env *kmstest.Env, account string, home region.ID, n int) (*Fleet, error) {
	f := &Fleet{Env: env, Account: account, Home: home, IDs: make([]string, 0, n)}
	c := f.Caller(home)
	for range n {
		out, err := env.Engine.CreateKey(c, engine.CreateKeyInput{MultiRegion: true})
		if err != nil {
			return nil, fmt.Errorf("bench: CreateKey: %w", err)
		}
		f.IDs = append(f.IDs, out.KeyMetadata.KeyID)
	}
	return f, nil
}

// Caller returns the root user of the fleet's account calling in r.
func (f *Fleet) Caller(r region.ID) engine.Caller {
	return engine.Caller{Account: f.Account, Region: r}
}

// FanOut replicates every key into the first k Regions of
// [ReplicaRegions] that it has no replica in yet, key by key. Replicas
// start Creating. With step > 0 the clock moves by step after each
// ReplicateKey, so that the replicas' FinishCreating transitions fall due
// one at a time; with step 0 they all fall due together.
func (f *Fleet) FanOut(k int, step time.Duration) error {
	all := ReplicaRegions(f.Home, min(len(f.Replicas)+k, MaxReplicas))
	var add []region.ID
	for _, r := range all {
		if len(add) < k && !f.hasReplica(r) {
			add = append(add, r)
		}
	}
	if len(add) < k {
		return fmt.Errorf("bench: no room for %d more replicas beside %v", k, f.Replicas)
	}
	c := f.Caller(f.Home)
	for _, id := range f.IDs {
		for _, r := range add {
			if _, err := f.Env.Engine.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: r}); err != nil {
				return fmt.Errorf("bench: ReplicateKey %s to %s: %w", id, r, err)
			}
			if step > 0 {
				f.Env.Clock.Advance(step)
			}
		}
	}
	f.Replicas = append(f.Replicas, add...)
	return nil
}

func (f *Fleet) hasReplica(r region.ID) bool {
	for _, x := range f.Replicas {
		if x == r {
			return true
		}
	}
	return false
}

// SwapPrimaries lets every pending transition finish, makes the replica
// in Region to the primary of every key, and lets the keys leave the
// Updating state; the old home becomes the last replica Region.
func (f *Fleet) SwapPrimaries(to region.ID) error {
	i := -1
	for j, r := range f.Replicas {
		if r == to {
			i = j
		}
	}
	if i < 0 {
		return fmt.Errorf("bench: the fleet has no replicas in %s", to)
	}
	f.Env.Settle()
	c := f.Caller(f.Home)
	for _, id := range f.IDs {
		if _, err := f.Env.Engine.UpdatePrimaryRegion(c, engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: to}); err != nil {
			return fmt.Errorf("bench: UpdatePrimaryRegion %s to %s: %w", id, to, err)
		}
	}
	f.Env.Settle()
	f.Replicas = append(append(f.Replicas[:i:i], f.Replicas[i+1:]...), f.Home)
	f.Home = to
	return nil
}

// ScheduleAndCancel schedules the deletion of every primary with a
// seven-day window, cancels it, and enables the keys again, so the
// fleet ends as it began. A primary with replicas waits in
// PendingReplicaDeletion, which CancelKeyDeletion ends too.
func (f *Fleet) ScheduleAndCancel() error {
	c := f.Caller(f.Home)
	e := f.Env.Engine
	for _, id := range f.IDs {
		if _, err := e.ScheduleKeyDeletion(c, engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: 7}); err != nil {
			return fmt.Errorf("bench: ScheduleKeyDeletion %s: %w", id, err)
		}
		if _, err := e.CancelKeyDeletion(c, engine.CancelKeyDeletionInput{KeyID: id}); err != nil {
			return fmt.Errorf("bench: CancelKeyDeletion %s: %w", id, err)
		}
		if _, err := e.EnableKey(c, engine.EnableKeyInput{KeyID: id}); err != nil {
			return fmt.Errorf("bench: EnableKey %s: %w", id, err)
		}
	}
	return nil
}
