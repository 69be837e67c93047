package engine_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmstest"
)

// A caller that only reads the metadata, say to count keys by state over
// many calls, can borrow it instead of owning a response: nothing is
// allocated, and whatever view needs afterwards it copies out.
func ExampleEngine_DescribeKeyView() {
	clock := kmstest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	e := engine.New(engine.Config{Clock: clock, Rand: rand.NewChaCha8([32]byte{1})})
	if err := e.CreateAccount(engine.AccountInput{ID: "111122223333"}); err != nil {
		panic(err)
	}
	us := engine.Caller{Account: "111122223333", Region: "us-east-1"}
	key, err := e.CreateKey(us, engine.CreateKeyInput{MultiRegion: true, Description: "orders"})
	if err != nil {
		panic(err)
	}
	if _, err := e.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: key.KeyMetadata.KeyID, ReplicaRegion: "eu-west-1"}); err != nil {
		panic(err)
	}

	var replicas int
	err = e.DescribeKeyView(us, engine.DescribeKeyInput{KeyID: "alias/missing"}, func(m *engine.KeyMetadata) {
		fmt.Println("not called for a key that does not exist")
	})
	fmt.Println("error:", err)
	err = e.DescribeKeyView(us, engine.DescribeKeyInput{KeyID: key.KeyMetadata.KeyID}, func(m *engine.KeyMetadata) {
		// m is valid until this function returns: print it or copy what
		// is needed, never keep m or its lists.
		fmt.Println(m.Description, m.KeyState, m.MultiRegionConfiguration.MultiRegionKeyType)
		replicas = len(m.MultiRegionConfiguration.ReplicaKeys)
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("replicas:", replicas)
	// Output:
	// error: NotFoundException: Alias arn:aws:kms:us-east-1:111122223333:alias/missing is not found.
	// orders Enabled PRIMARY
	// replicas: 1
}
