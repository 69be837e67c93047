package engine_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// TestConcurrentOperations runs mixed operations on shared keys from many
// goroutines while the clock moves. Under -race it checks the locking;
// afterwards every multi-Region key must still satisfy the replica
// invariants.
func TestConcurrentOperations(t *testing.T) {
	env := kmstest.NewEnv(t)
	e := env.Engine
	regions := []region.ID{"us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"}
	var ids []string
	for range 4 {
		out, err := e.CreateKey(env.Caller("us-east-1"), engine.CreateKeyInput{MultiRegion: true})
		require.NoError(t, err)
		ids = append(ids, out.KeyMetadata.KeyID)
	}

	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				id := ids[(g+i)%len(ids)]
				r := regions[(g*7+i)%len(regions)]
				c := env.Caller(r)
				// Errors are expected (wrong Region, states); only
				// consistency and the race detector matter here.
				switch i % 7 {
				case 0:
					_, _ = e.ReplicateKey(env.Caller("us-east-1"), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: r})
				case 1:
					_, _ = e.DescribeKey(c, engine.DescribeKeyInput{KeyID: id})
				case 2:
					_, _ = e.UpdatePrimaryRegion(c, engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: regions[i%len(regions)]})
				case 3:
					_, _ = e.TagResource(c, engine.TagResourceInput{KeyID: id, Tags: nil})
				case 4:
					_, _ = e.ListKeys(c, engine.ListKeysInput{Limit: 10})
				case 5:
					env.Clock.Advance(time.Second)
				case 6:
					_ = e.Pending()
					_ = e.Events()
				}
			}
		})
	}
	wg.Wait()
	env.Settle()

	for _, id := range ids {
		var primaries int
		var config string
		for _, r := range regions {
			out, err := e.DescribeKey(env.Caller(r), engine.DescribeKeyInput{KeyID: id})
			if err != nil {
				continue
			}
			c := out.KeyMetadata.MultiRegionConfiguration
			if c.MultiRegionKeyType == "PRIMARY" {
				primaries++
			}
			got := fmt.Sprint(c.PrimaryKey, c.ReplicaKeys)
			if config == "" {
				config = got
			}
			require.Equal(t, config, got, "related keys disagree on %s", id)
		}
		require.Equal(t, 1, primaries, "key %s", id)
	}
}
