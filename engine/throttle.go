package engine

import (
	"slices"
	"strings"
	"time"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// Shared quotas of the cryptographic operations (spec §10.2). The
// operations in [CryptoOperations] have no quota of their own: each
// request counts against the quota of its key's type, which all of them
// share per account and Region. [Config.RequestRates] sets these by the
// quota names below.
const (
	// QuotaCryptoSymmetric covers symmetric encryption keys, HMAC keys
	// and GenerateRandom, which uses no key.
	QuotaCryptoSymmetric = "Cryptographic operations (symmetric)"
	// QuotaCryptoRSA covers RSA keys.
	QuotaCryptoRSA = "Cryptographic operations (RSA)"
	// QuotaCryptoECC covers elliptic-curve keys, SM2 included.
	QuotaCryptoECC = "Cryptographic operations (ECC)"
	// QuotaCryptoMLDSA covers ML-DSA keys.
	QuotaCryptoMLDSA = "Cryptographic operations (ML-DSA)"
)

// CryptoOperations lists the operations that share the cryptographic
// quotas instead of having one each. Sign, Verify and DeriveSharedSecret
// count against the asymmetric quotas of their keys; the quota table
// lists them there.
var CryptoOperations = []string{
	"Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateMac",
	"GenerateRandom", "ReEncrypt", "VerifyMac", "Sign", "Verify", "DeriveSharedSecret",
}

// DefaultRequestRates are KMS's request quotas in requests per second per
// account and Region (spec §10.2) for the operations the engine has, and
// the shared cryptographic quotas by name, as the current KMS docs give
// them. [RegionalRequestRates] raises some in some Regions;
// [Config.RequestRates] overrides them one by one, in every Region.
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
	// Rotation and import (§10.2). GetParametersForImport allows one
	// request every 4 s; its bucket holds that one request.
	"GetParametersForImport":    0.25,
	"DeleteImportedKeyMaterial": 5,
	"DisableKeyRotation":        5,
	"EnableKeyRotation":         15,
	"GetKeyRotationStatus":      1000,
	"ImportKeyMaterial":         5,
	QuotaCryptoSymmetric:        10_000,
	QuotaCryptoRSA:              1_000,
	QuotaCryptoECC:              1_000,
	QuotaCryptoMLDSA:            1_000,
}

// RegionalRequestRates are the Regions whose default differs from
// [DefaultRequestRates], by quota. The current docs give 20,000 for the
// symmetric quota in six Regions. For us-east-1, us-west-2 and eu-west-1
// the spec has no current value (§11); the 2023 docs gave them 50,000,
// five times the others' 10,000 then, and kmsim keeps that ratio to the
// 20,000 tier: 100,000.
var RegionalRequestRates = map[string]map[region.ID]float64{
	QuotaCryptoSymmetric: {
		"us-east-2": 20_000, "ap-southeast-1": 20_000, "ap-southeast-2": 20_000,
		"ap-northeast-1": 20_000, "eu-central-1": 20_000, "eu-west-2": 20_000,
		"us-east-1": 100_000, "us-west-2": 100_000, "eu-west-1": 100_000,
	},
}

// throttler keeps one token bucket per account, Region and quota. A
// bucket holds one second's worth of requests (at least one, see
// bucketSize) and refills continuously on the simulated clock.
type throttler struct {
	overrides map[string]float64 // Config.RequestRates
	buckets   map[bucketKey]*bucket
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
	t := &throttler{overrides: make(map[string]float64, len(overrides)), buckets: make(map[bucketKey]*bucket)}
	for q, r := range overrides {
		t.overrides[q] = r
	}
	return t
}

// rate returns the requests per second of quota in Region r, and false
// when the quota does not exist or is switched off.
func (t *throttler) rate(quota string, r region.ID) (float64, bool) {
	rate, ok := t.overrides[quota]
	if !ok {
		if rate, ok = RegionalRequestRates[quota][r]; !ok {
			rate, ok = DefaultRequestRates[quota]
		}
	}
	return rate, ok && rate > 0
}

// charges lists what a request costs. ReplicateKey also costs two
// CreateKey requests in the replica Region (one is KMS's own dry run), and
// UpdatePrimaryRegion counts once in each of the two Regions (§10.2). A
// cryptographic operation costs its key type's shared quota instead of a
// quota of its own (see cryptoQuotas).
func (cl *call) charges(in any) []charge {
	if qs := cl.cryptoQuotas(in); qs != nil {
		cs := make([]charge, len(qs))
		for i, q := range qs {
			cs[i] = charge{quota: q, region: cl.scope.Region, n: 1}
		}
		return cs
	}
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

// cryptoQuotas returns the shared quotas a cryptographic request counts
// against, or nil for any other operation.
//
// KMS picks the quota by the type of the key the request uses, which is
// known only once the key is resolved. kmsim still throttles in the
// operation frame, before the body, like every other quota: here it looks
// the key up without authorizing, recording or failing anything, so a
// throttled request has no other effect and the checks of the body keep
// their order. A key that cannot be found (the request will fail anyway)
// counts against the symmetric quota, as does GenerateRandom.
//
// ReEncrypt uses two keys. It counts once against each distinct quota of
// its source and destination keys: a symmetric-to-symmetric ReEncrypt is
// one symmetric request, a symmetric-to-RSA one costs one of each.
func (cl *call) cryptoQuotas(in any) []string {
	var keys []*keystore.Key
	switch in := in.(type) {
	case EncryptInput:
		keys = []*keystore.Key{cl.peek(in.KeyID)}
	case GenerateDataKeyInput:
		keys = []*keystore.Key{cl.peek(in.KeyID)}
	case GenerateDataKeyWithoutPlaintextInput:
		keys = []*keystore.Key{cl.peek(in.KeyID)}
	case DecryptInput:
		keys = []*keystore.Key{cl.peek(in.KeyID, blobKey(in.CiphertextBlob))}
	case ReEncryptInput:
		keys = []*keystore.Key{cl.peek(in.SourceKeyID, blobKey(in.CiphertextBlob)), cl.peek(in.DestinationKeyID)}
	case GenerateRandomInput:
		keys = []*keystore.Key{nil}
	default:
		// An operation of CryptoOperations whose input has no case yet
		// still shares a quota.
		for _, op := range CryptoOperations {
			if op == cl.op {
				return []string{QuotaCryptoSymmetric}
			}
		}
		return nil
	}
	var qs []string
	for _, k := range keys {
		if q := cryptoQuota(k); !slices.Contains(qs, q) {
			qs = append(qs, q)
		}
	}
	return qs
}

// blobKey returns the key ID in the header of an engine ciphertext, or ""
// when blob does not start like one.
func blobKey(blob []byte) string {
	if len(blob) >= 1+blobKeyID && blob[0] == blobVersion && region.IsKeyID(string(blob[1:1+blobKeyID])) {
		return string(blob[1 : 1+blobKeyID])
	}
	return ""
}

// peek returns the key the first of refs that names one resolves to in
// the caller's Region, or nil. It runs before the body, when the call has
// resolved nothing yet, and leaves no trace on it: no event resource, no
// alias recorded for kms:RequestAlias.
func (cl *call) peek(refs ...string) *keystore.Key {
	for _, ref := range refs {
		if ref == "" {
			continue
		}
		key, via := cl.key, cl.viaAlias
		k, err := cl.resolve(ref, anyRef)
		cl.key, cl.viaAlias = key, via
		if err == nil {
			return k
		}
	}
	return nil
}

// cryptoQuota returns the shared quota of k's key type; nil is the
// symmetric one.
func cryptoQuota(k *keystore.Key) string {
	if k == nil {
		return QuotaCryptoSymmetric
	}
	spec := string(k.Family.Spec)
	switch {
	case strings.HasPrefix(spec, "RSA_"):
		return QuotaCryptoRSA
	case strings.HasPrefix(spec, "ECC_"), spec == string(keystore.SM2):
		return QuotaCryptoECC
	case strings.HasPrefix(spec, "ML_DSA_"):
		return QuotaCryptoMLDSA
	}
	return QuotaCryptoSymmetric
}

// bucketSize is what a bucket of the given rate holds: one second's worth
// of requests, and at least one request, so that a quota below one per
// second (GetParametersForImport's 0.25) admits a request every 1/rate
// seconds instead of never.
func bucketSize(rate float64) float64 { return max(rate, 1) }

// tokenEpsilon absorbs the rounding error of the bucket's refill.
const tokenEpsilon = 1e-6

// take spends the tokens for every charge, or none of them and returns
// ThrottlingException when any bucket is short.
func (t *throttler) take(account string, now time.Time, cs []charge) error {
	bs := make([]*bucket, len(cs))
	for i, c := range cs {
		rate, ok := t.rate(c.quota, c.region)
		if !ok {
			continue
		}
		k := bucketKey{scope: keystore.Scope{Account: account, Region: c.region}, quota: c.quota}
		b := t.buckets[k]
		if b == nil {
			b = &bucket{tokens: bucketSize(rate), at: now}
			t.buckets[k] = b
		}
		if d := now.Sub(b.at); d > 0 {
			b.tokens = min(bucketSize(rate), b.tokens+d.Seconds()*rate)
			b.at = now
		}
		// The refill is floating point: d.Seconds()*rate for a d of
		// exactly 1/rate seconds can land a hair under one token, so a
		// shortfall below tokenEpsilon is rounding, not a real deficit.
		if b.tokens+tokenEpsilon < c.n {
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
