package engine_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// Helpers of this file carry the prefix "thr".

const thrMsg = "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls."

func thrThrottled(t *testing.T, err error) {
	t.Helper()
	chkRequireErr(t, err, &kmserrors.ThrottlingException{Message: thrMsg})
}

// thrNotThrottled asserts that err, whatever else it is, is not
// ThrottlingException.
func thrNotThrottled(t *testing.T, err error) {
	t.Helper()
	_, throttled := err.(*kmserrors.ThrottlingException)
	require.False(t, throttled, "unexpected ThrottlingException")
}

// thrKeys are the keys of the quota tests: a multi-Region symmetric key
// with a replica, and one key per other key type, all in us-east-1.
type thrKeys struct {
	sym, hmac, rsa, ecc string
	blob                []byte
}

func thrEnv(t *testing.T, rates map[string]float64) (*kmstest.Env, thrKeys) {
	t.Helper()
	// Keys and the blob are made with throttling off; then a second
	// engine with throttling on would have other keys, so the test
	// spends the setup's tokens by advancing the clock a full second
	// instead: buckets refill to one second's worth.
	env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{Throttle: true, RequestRates: rates}))
	us := env.Caller("us-east-1")
	var k thrKeys
	k.sym = chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
	env.Advance(time.Second)
	chkReplicate(t, env, k.sym, "us-east-1", "us-west-2")
	env.Settle()
	env.Advance(time.Second)
	for _, in := range []struct {
		dst  *string
		spec keystore.KeySpec
		use  keystore.KeyUsage
	}{
		{&k.hmac, keystore.HMAC256, keystore.GenerateVerifyMAC},
		{&k.rsa, keystore.RSA2048, keystore.SignVerify},
		{&k.ecc, keystore.ECCNISTP256, keystore.SignVerify},
	} {
		*in.dst = chkSingle(t, env, "us-east-1", engine.CreateKeyInput{KeySpec: in.spec, KeyUsage: in.use})
		env.Advance(time.Second)
	}
	_, err := env.Engine.CreateAlias(us, engine.CreateAliasInput{AliasName: "alias/rsa", TargetKeyID: k.rsa})
	require.NoError(t, err)
	enc, err := env.Engine.Encrypt(us, engine.EncryptInput{KeyID: k.sym, Plaintext: []byte("p")})
	require.NoError(t, err)
	k.blob = enc.CiphertextBlob
	env.Advance(time.Second)
	return env, k
}

// thrOps are requests of every cryptographic operation kmsim has, on the
// symmetric key, each counting once against the symmetric quota.
func thrOps(env *kmstest.Env, k thrKeys) map[string]func(c engine.Caller) error {
	return map[string]func(c engine.Caller) error{
		"Encrypt": func(c engine.Caller) error {
			_, err := env.Engine.Encrypt(c, engine.EncryptInput{KeyID: k.sym, Plaintext: []byte("p")})
			return err
		},
		"Decrypt": func(c engine.Caller) error {
			_, err := env.Engine.Decrypt(c, engine.DecryptInput{CiphertextBlob: k.blob})
			return err
		},
		"GenerateDataKey": func(c engine.Caller) error {
			_, err := env.Engine.GenerateDataKey(c, engine.GenerateDataKeyInput{KeyID: k.sym, KeySpec: engine.AES256})
			return err
		},
		"GenerateDataKeyWithoutPlaintext": func(c engine.Caller) error {
			_, err := env.Engine.GenerateDataKeyWithoutPlaintext(c, engine.GenerateDataKeyWithoutPlaintextInput{KeyID: k.sym, KeySpec: engine.AES128})
			return err
		},
		"ReEncrypt": func(c engine.Caller) error {
			_, err := env.Engine.ReEncrypt(c, engine.ReEncryptInput{CiphertextBlob: k.blob, DestinationKeyID: k.sym})
			return err
		},
		"GenerateRandom": func(c engine.Caller) error {
			_, err := env.Engine.GenerateRandom(c, engine.GenerateRandomInput{NumberOfBytes: 8})
			return err
		},
	}
}

// The cryptographic operations share one bucket per account and Region:
// after a quota's worth of any mix of them, every one of them is
// throttled, in that Region only, until the clock refills the bucket.
func TestThrottleCryptoShared(t *testing.T) {
	for first := range thrOps(nil, thrKeys{}) {
		t.Run("exhausted by "+first, func(t *testing.T) {
			const rate = 6 // 1/6 s is not exact in floating point: the refill must round
			env, k := thrEnv(t, map[string]float64{engine.QuotaCryptoSymmetric: rate})
			ops := thrOps(env, k)
			us := env.Caller("us-east-1")
			// Half the bucket on one operation, the rest on the others.
			for range rate / 2 {
				require.NoError(t, ops[first](us))
			}
			n := rate / 2
			for name, op := range ops {
				if name != first && n < rate {
					require.NoError(t, op(us), name)
					n++
				}
			}
			for name, op := range ops {
				thrThrottled(t, op(us))
				// The replica's Region has a bucket of its own.
				require.NoError(t, op(env.Caller("us-west-2")), name)
			}
			env.Clock.Advance(time.Second / rate)
			require.NoError(t, ops[first](us))
			thrThrottled(t, ops[first](us))
		})
	}
}

// The default symmetric quota depends on the Region (spec §10.2).
func TestThrottleCryptoRegionalDefaults(t *testing.T) {
	for _, tt := range []struct {
		region region.ID
		rate   int
	}{
		{"ap-south-1", 10_000},
		{"sa-east-1", 10_000},
		{"eu-west-2", 20_000},
		{"ap-northeast-1", 20_000},
		{"us-east-1", 100_000},
	} {
		t.Run(string(tt.region), func(t *testing.T) {
			env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{Throttle: true, EventLogLimit: 16}))
			c := env.Caller(tt.region)
			for i := range tt.rate {
				if _, err := env.Engine.GenerateRandom(c, engine.GenerateRandomInput{NumberOfBytes: 1}); err != nil {
					t.Fatalf("request %d: %v", i+1, err)
				}
			}
			_, err := env.Engine.GenerateRandom(c, engine.GenerateRandomInput{NumberOfBytes: 1})
			thrThrottled(t, err)
		})
	}
	require.Equal(t, 1000.0, engine.DefaultRequestRates[engine.QuotaCryptoRSA])
	require.Equal(t, 1000.0, engine.DefaultRequestRates[engine.QuotaCryptoECC])
}

// Requests count against the quota of their key's type, found through
// any identifier form, whether or not the request then succeeds.
func TestThrottleCryptoByKeyType(t *testing.T) {
	rates := map[string]float64{engine.QuotaCryptoSymmetric: 3, engine.QuotaCryptoRSA: 2, engine.QuotaCryptoECC: 1}
	type req struct {
		name string
		call func(env *kmstest.Env, k thrKeys) error
	}
	encrypt := func(keyID func(k thrKeys) string) func(env *kmstest.Env, k thrKeys) error {
		return func(env *kmstest.Env, k thrKeys) error {
			_, err := env.Engine.Encrypt(env.Caller("us-east-1"), engine.EncryptInput{KeyID: keyID(k), Plaintext: []byte("p")})
			return err
		}
	}
	rsaARN := func(k thrKeys) string { return chkARN("us-east-1", k.rsa) }
	for _, tt := range []struct {
		name    string
		spend   []req
		quota   string // the quota the requests spent
		untouch []string
	}{
		{"RSA by key ID", []req{{"Encrypt", encrypt(func(k thrKeys) string { return k.rsa })}}, engine.QuotaCryptoRSA, nil},
		{"RSA by ARN", []req{{"Encrypt", encrypt(rsaARN)}}, engine.QuotaCryptoRSA, nil},
		{"RSA by alias", []req{{"Encrypt", encrypt(func(thrKeys) string { return "alias/rsa" })}}, engine.QuotaCryptoRSA, nil},
		{"ECC", []req{{"GenerateDataKey", func(env *kmstest.Env, k thrKeys) error {
			_, err := env.Engine.GenerateDataKey(env.Caller("us-east-1"), engine.GenerateDataKeyInput{KeyID: k.ecc, KeySpec: engine.AES256})
			return err
		}}}, engine.QuotaCryptoECC, nil},
		{"HMAC is symmetric", []req{{"Encrypt", encrypt(func(k thrKeys) string { return k.hmac })}}, engine.QuotaCryptoSymmetric, nil},
		{"unknown key is symmetric", []req{{"Encrypt", encrypt(func(thrKeys) string { return "alias/none" })}}, engine.QuotaCryptoSymmetric, nil},
		{"Decrypt by the blob's key", []req{{"Decrypt", func(env *kmstest.Env, k thrKeys) error {
			_, err := env.Engine.Decrypt(env.Caller("us-east-1"), engine.DecryptInput{CiphertextBlob: k.blob})
			return err
		}}}, engine.QuotaCryptoSymmetric, nil},
		{"Decrypt by KeyId", []req{{"Decrypt", func(env *kmstest.Env, k thrKeys) error {
			_, err := env.Engine.Decrypt(env.Caller("us-east-1"), engine.DecryptInput{CiphertextBlob: k.blob, KeyID: k.rsa})
			return err
		}}}, engine.QuotaCryptoRSA, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env, k := thrEnv(t, rates)
			call := tt.spend[0].call
			for range int(rates[tt.quota]) {
				thrNotThrottled(t, call(env, k))
			}
			thrThrottled(t, call(env, k))
			// The other quotas still have their tokens.
			for q, rate := range rates {
				if q == tt.quota {
					continue
				}
				for range int(rate) {
					thrNotThrottled(t, thrSpend(env, k, q))
				}
				thrThrottled(t, thrSpend(env, k, q))
			}
		})
	}
}

// thrSpend makes one request that counts against quota q.
func thrSpend(env *kmstest.Env, k thrKeys, q string) error {
	id := map[string]string{engine.QuotaCryptoSymmetric: k.sym, engine.QuotaCryptoRSA: k.rsa, engine.QuotaCryptoECC: k.ecc}[q]
	_, err := env.Engine.Encrypt(env.Caller("us-east-1"), engine.EncryptInput{KeyID: id, Plaintext: []byte("p")})
	return err
}

// ReEncrypt counts once against each distinct quota of its two keys, and
// a throttled ReEncrypt spends nothing.
func TestThrottleCryptoReEncrypt(t *testing.T) {
	rates := map[string]float64{engine.QuotaCryptoSymmetric: 4, engine.QuotaCryptoRSA: 1}
	env, k := thrEnv(t, rates)
	us := env.Caller("us-east-1")
	toRSA := func() error {
		_, err := env.Engine.ReEncrypt(us, engine.ReEncryptInput{CiphertextBlob: k.blob, DestinationKeyID: k.rsa})
		return err
	}
	// Symmetric to RSA: one symmetric and one RSA token. It fails on the
	// RSA key's usage, after being counted.
	err := toRSA()
	chkRequireErr(t, err, &kmserrors.InvalidKeyUsageException{Message: chkARN("us-east-1", k.rsa) + " key usage is SIGN_VERIFY which is not valid for ReEncrypt."})
	// The RSA bucket is empty: the next one is throttled whole, and the
	// symmetric bucket keeps its 3 tokens.
	thrThrottled(t, toRSA())
	for range 3 {
		_, err := env.Engine.ReEncrypt(us, engine.ReEncryptInput{CiphertextBlob: k.blob, DestinationKeyID: k.sym})
		require.NoError(t, err, "symmetric to symmetric costs one token")
	}
	thrThrottled(t, thrSpend(env, k, engine.QuotaCryptoSymmetric))
}

// Config.RequestRates sets a shared quota in every Region, overriding
// the Regional defaults, and a rate of zero switches it off.
func TestThrottleCryptoOverrides(t *testing.T) {
	for _, r := range []region.ID{"us-east-1", "eu-west-2", "ap-south-1"} {
		env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{Throttle: true, RequestRates: map[string]float64{engine.QuotaCryptoSymmetric: 2}}))
		for range 2 {
			_, err := env.Engine.GenerateRandom(env.Caller(r), engine.GenerateRandomInput{NumberOfBytes: 1})
			require.NoError(t, err)
		}
		_, err := env.Engine.GenerateRandom(env.Caller(r), engine.GenerateRandomInput{NumberOfBytes: 1})
		thrThrottled(t, err)
	}
	env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{Throttle: true, EventLogLimit: 16,
		RequestRates: map[string]float64{engine.QuotaCryptoSymmetric: 0, "Encrypt": 1}}))
	for i := range 20_000 {
		_, err := env.Engine.GenerateRandom(env.Caller("ap-south-1"), engine.GenerateRandomInput{NumberOfBytes: 1})
		require.NoError(t, err, "request %d", i)
	}
	// Crypto operations have no quota of their own: "Encrypt" names none.
	id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
	for range 3 {
		_, err := env.Engine.Encrypt(env.Caller("us-east-1"), engine.EncryptInput{KeyID: id, Plaintext: []byte("p")})
		require.NoError(t, err)
	}
	require.True(t, strings.HasPrefix(engine.QuotaCryptoSymmetric, "Cryptographic operations"), fmt.Sprint(engine.CryptoOperations))
}
