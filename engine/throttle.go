package engine

import (
	"time"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// DefaultRequestRates are KMS's request quotas in requests per second per
// account and Region (spec §10.2) for the operations the engine has.
// [Config.RequestRates] overrides them one by one.
var DefaultRequestRates = map[string]float64{
	"CancelKeyDeletion":    5,
	"CreateAlias":          5,
	"CreateKey":            5,
	"DeleteAlias":          15,
	"DescribeKey":          2000,
	"DisableKey":           5,
	"EnableKey":            5,
	"ListAliases":          500,
	"ListKeys":             500,
	"ListResourceTags":     2000,
	"ReplicateKey":         5,
	"ScheduleKeyDeletion":  15,
	"TagResource":          10,
	"UntagResource":        5,
	"UpdateAlias":          5,
	"UpdateKeyDescription": 5,
	"UpdatePrimaryRegion":  5,
	// Rotation and import (§10.2). GetParametersForImport's 0.25 per
	// second is left out: a bucket holding one second's worth never
	// reaches a whole request.
	"DeleteImportedKeyMaterial": 5,
	"DisableKeyRotation":        5,
	"EnableKeyRotation":         15,
	"GetKeyRotationStatus":      1000,
	"ImportKeyMaterial":         5,
}

// throttler keeps one token bucket per account, Region and quota. A
// bucket holds at most one second's worth of requests and refills
// continuously on the simulated clock.
type throttler struct {
	rates   map[string]float64
	buckets map[bucketKey]*bucket
}

type bucketKey struct {
	scope keystore.Scope
	quota string
}

type bucket struct {
	tokens float64
	at     time.Time
}

// charge is what one request costs one quota in one Region.
type charge struct {
	quota  string
	region region.ID
	n      float64
}

func newThrottler(overrides map[string]float64) *throttler {
	t := &throttler{rates: make(map[string]float64), buckets: make(map[bucketKey]*bucket)}
	for op, r := range DefaultRequestRates {
		t.rates[op] = r
	}
	for op, r := range overrides {
		t.rates[op] = r
	}
	return t
}

// charges lists what a request costs. ReplicateKey also costs two
// CreateKey requests in the replica Region (one is KMS's own dry run), and
// UpdatePrimaryRegion counts once in each of the two Regions (§10.2).
func (cl *call) charges(in any) []charge {
	cs := []charge{{quota: cl.op, region: cl.scope.Region, n: 1}}
	switch in := in.(type) {
	case ReplicateKeyInput:
		if _, ok := region.Lookup(in.ReplicaRegion); ok {
			cs = append(cs, charge{quota: "CreateKey", region: in.ReplicaRegion, n: 2})
		}
	case UpdatePrimaryRegionInput:
		if _, ok := region.Lookup(in.PrimaryRegion); ok && in.PrimaryRegion != cl.scope.Region {
			cs = append(cs, charge{quota: cl.op, region: in.PrimaryRegion, n: 1})
		}
	}
	return cs
}

// take spends the tokens for every charge, or none of them and returns
// ThrottlingException when any bucket is short.
func (t *throttler) take(account string, now time.Time, cs []charge) error {
	bs := make([]*bucket, len(cs))
	for i, c := range cs {
		rate, ok := t.rates[c.quota]
		if !ok || rate <= 0 {
			continue
		}
		k := bucketKey{scope: keystore.Scope{Account: account, Region: c.region}, quota: c.quota}
		b := t.buckets[k]
		if b == nil {
			b = &bucket{tokens: rate, at: now}
			t.buckets[k] = b
		}
		if d := now.Sub(b.at); d > 0 {
			b.tokens = min(rate, b.tokens+d.Seconds()*rate)
			b.at = now
		}
		if b.tokens < c.n {
			return &kmserrors.ThrottlingException{Message: "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls."}
		}
		bs[i] = b
	}
	for i, b := range bs {
		if b != nil {
			b.tokens -= cs[i].n
		}
	}
	return nil
}
