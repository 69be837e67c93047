package bench_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/kmsim/kmsim/bench"
	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

func TestReplicaRegions(t *testing.T) {
	rs := bench.ReplicaRegions(bench.Home, bench.MaxReplicas)
	seen := map[region.ID]bool{bench.Home: true}
	for _, r := range rs {
		info, ok := region.Lookup(r)
		if !ok || info.OptIn || info.Partition != "aws" || seen[r] {
			t.Errorf("ReplicaRegions named %s (known %t, opt-in %t, repeated %t)", r, ok, info.OptIn, seen[r])
		}
		seen[r] = true
	}
	defer func() {
		if recover() == nil {
			t.Error("ReplicaRegions(17) did not panic")
		}
	}()
	bench.ReplicaRegions(bench.Home, bench.MaxReplicas+1)
}

// describe returns the metadata of key id in Region r.
func describe(t *testing.T, env *kmstest.Env, r region.ID, id string) engine.KeyMetadata {
	t.Helper()
	out, err := env.Engine.DescribeKey(env.Caller(r), engine.DescribeKeyInput{KeyID: id})
	if err != nil {
		t.Fatal(err)
	}
	return out.KeyMetadata
}

func TestFleetScenarios(t *testing.T) {
	env := kmstest.NewEnv(t)
	f, err := bench.CreateFleet(env, bench.Home, 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.FanOut(4, 0); err != nil {
		t.Fatal(err)
	}
	if err := f.FanOut(12, 0); err != nil {
		t.Fatal(err)
	}
	if err := f.FanOut(1, 0); err == nil {
		t.Error("FanOut beyond 16 replicas succeeded")
	}
	for _, id := range f.IDs {
		if n := len(describe(t, env, bench.Home, id).MultiRegionConfiguration.ReplicaKeys); n != 16 {
			t.Errorf("%s has %d replicas, want 16", id, n)
		}
	}

	old, to := f.Home, f.Replicas[2]
	if err := f.SwapPrimaries(to); err != nil {
		t.Fatal(err)
	}
	if f.Home != to || f.Replicas[len(f.Replicas)-1] != old || len(f.Replicas) != 16 {
		t.Errorf("after the swap: home %s, replicas %v", f.Home, f.Replicas)
	}
	for _, id := range f.IDs {
		md := describe(t, env, to, id)
		if md.MultiRegionConfiguration.PrimaryKey.Region != to || md.KeyState != keystore.Enabled {
			t.Errorf("%s: primary in %s, state %s", id, md.MultiRegionConfiguration.PrimaryKey.Region, md.KeyState)
		}
	}

	if err := f.ScheduleAndCancel(); err != nil {
		t.Fatal(err)
	}
	if p := env.Engine.Pending(); len(p) != 0 {
		t.Errorf("ScheduleAndCancel left %d transitions pending", len(p))
	}
	for _, id := range f.IDs {
		if s := describe(t, env, f.Home, id).KeyState; s != keystore.Enabled {
			t.Errorf("%s is %s after ScheduleAndCancel", id, s)
		}
	}
}

func TestWorkload(t *testing.T) {
	env := kmstest.NewEnv(t)
	w, err := bench.NewWorkload(env, bench.WorkloadConfig{Keys: 5})
	if err != nil {
		t.Fatal(err)
	}
	const steps = 400
	for range steps {
		if err := w.Step(); err != nil {
			t.Fatal(err)
		}
	}
	c := w.Counts
	if c.Describe+c.Encrypt+c.Decrypt+c.Replicate != steps {
		t.Errorf("counts %+v do not add up to %d", c, steps)
	}
	// Each weight of DefaultMix is at least 5%, so 400 steps see each.
	if c.Describe == 0 || c.Encrypt == 0 || c.Decrypt == 0 || c.Replicate == 0 {
		t.Errorf("an operation never ran: %+v", c)
	}
	if accounts := env.Engine.Accounts(); len(accounts) != 3 {
		t.Errorf("accounts %v, want 3", accounts)
	}
	if rs := w.Regions(); len(rs) != 3 {
		t.Errorf("Regions %v, want 3", rs)
	}
}

// Every client-level operation succeeds in process, over HTTP against
// kmsim, against the null handler and against the keeping one.
func TestOps(t *testing.T) {
	null, err := bench.NewNullHandler()
	if err != nil {
		t.Fatal(err)
	}
	ns := httptest.NewServer(null)
	t.Cleanup(ns.Close)
	keep, err := bench.NewKeepHandler()
	if err != nil {
		t.Fatal(err)
	}
	ks := httptest.NewServer(keep)
	t.Cleanup(ks.Close)
	clients := map[string]bench.API{
		"kmssdk":  kmstest.NewEnv(t).Client(bench.Home),
		"kmshttp": bench.NewHTTPClient(kmstest.NewServer(t).URL, bench.Home, 4),
		"null":    bench.NewHTTPClient(ns.URL, bench.Home, 4),
		"keep":    bench.NewHTTPClient(ks.URL, bench.Home, 4),
	}
	ctx := context.Background()
	for name, c := range clients {
		for _, op := range bench.Ops() {
			t.Run(name+"/"+op.Name, func(t *testing.T) {
				const n = 20
				call, err := op.Prepare(ctx, c, n)
				if err != nil {
					t.Fatal(err)
				}
				for i := range n {
					if err := call(ctx, i); err != nil {
						t.Fatalf("call %d: %v", i, err)
					}
				}
			})
		}
	}
	if _, ok := bench.LookupOp("Sign"); ok {
		t.Error("LookupOp found an operation bench does not have")
	}
}
