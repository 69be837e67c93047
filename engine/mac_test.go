package engine_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
)

var macSpecs = []struct {
	spec keystore.KeySpec
	alg  string
	h    func() hash.Hash
}{
	{keystore.HMAC224, engine.HMACSHA224, sha256.New224},
	{keystore.HMAC256, engine.HMACSHA256, sha256.New},
	{keystore.HMAC384, engine.HMACSHA384, sha512.New384},
	{keystore.HMAC512, engine.HMACSHA512, sha512.New},
}

// TestMac computes MACs with every HMAC spec, checks them against
// crypto/hmac with the key's material, verifies them in a replica Region
// and rejects every other algorithm.
func TestMac(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := env.Caller(cryptoHome)
	west := env.Caller("us-west-2")
	for _, m := range macSpecs {
		t.Run(string(m.spec), func(t *testing.T) {
			k, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: m.spec, KeyUsage: keystore.GenerateVerifyMAC, MultiRegion: true})
			require.NoError(t, err)
			id := k.KeyMetadata.KeyID
			_, err = env.Engine.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"})
			require.NoError(t, err)
			env.Settle()
			msg := []byte("message to authenticate")
			out, err := env.Engine.GenerateMac(c, engine.GenerateMacInput{KeyID: id, Message: msg, MacAlgorithm: m.alg})
			require.NoError(t, err)
			assert.Equal(t, k.KeyMetadata.Arn, out.KeyID)
			assert.Equal(t, m.alg, out.MacAlgorithm)
			secret := env.Engine.MaterialSecrets(kmstest.DefaultAccount, cryptoHome, id)[0]
			want := hmac.New(m.h, secret)
			want.Write(msg)
			assert.Equal(t, want.Sum(nil), out.Mac, "RFC 2104 HMAC of the key material")

			v, err := env.Engine.VerifyMac(west, engine.VerifyMacInput{KeyID: id, Message: msg, MacAlgorithm: m.alg, Mac: out.Mac})
			require.NoError(t, err)
			assert.True(t, v.MacValid)
			assert.Equal(t, keyARN("us-west-2", id), v.KeyID)

			bad := append([]byte(nil), out.Mac...)
			bad[len(bad)-1] ^= 1
			_, err = env.Engine.VerifyMac(c, engine.VerifyMacInput{KeyID: id, Message: msg, MacAlgorithm: m.alg, Mac: bad})
			requireAPIError(t, err, "KMSInvalidMacException", "")
			_, err = env.Engine.VerifyMac(c, engine.VerifyMacInput{KeyID: id, Message: []byte("other"), MacAlgorithm: m.alg, Mac: out.Mac})
			requireAPIError(t, err, "KMSInvalidMacException", "")
			_, err = env.Engine.VerifyMac(c, engine.VerifyMacInput{KeyID: id, Message: msg, MacAlgorithm: m.alg, Mac: out.Mac[:len(out.Mac)-1]})
			requireAPIError(t, err, "KMSInvalidMacException", "")

			for _, other := range macSpecs {
				if other.alg == m.alg {
					continue
				}
				want := fmt.Sprintf("Algorithm %s is incompatible with key spec %s.", other.alg, m.spec)
				_, err := env.Engine.GenerateMac(c, engine.GenerateMacInput{KeyID: id, Message: msg, MacAlgorithm: other.alg})
				requireAPIError(t, err, "InvalidKeyUsageException", want)
				_, err = env.Engine.VerifyMac(c, engine.VerifyMacInput{KeyID: id, Message: msg, MacAlgorithm: other.alg, Mac: out.Mac})
				requireAPIError(t, err, "InvalidKeyUsageException", want)
			}
			const dry = "The request would have succeeded, but the DryRun option is set."
			_, err = env.Engine.GenerateMac(c, engine.GenerateMacInput{KeyID: id, Message: msg, MacAlgorithm: m.alg, DryRun: true})
			requireAPIError(t, err, "DryRunOperationException", dry)
			_, err = env.Engine.VerifyMac(c, engine.VerifyMacInput{KeyID: id, Message: msg, MacAlgorithm: m.alg, Mac: bad, DryRun: true})
			requireAPIError(t, err, "DryRunOperationException", dry)
		})
	}
}

func TestMacErrors(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := env.Caller(cryptoHome)
	sym, err := env.Engine.CreateKey(c, engine.CreateKeyInput{})
	require.NoError(t, err)
	sig, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: keystore.ECCNISTP256, KeyUsage: keystore.SignVerify})
	require.NoError(t, err)
	h, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC})
	require.NoError(t, err)
	msg := []byte("m")
	cases := []struct {
		name      string
		in        engine.GenerateMacInput
		code, msg string
	}{
		{"symmetric key", engine.GenerateMacInput{KeyID: sym.KeyMetadata.KeyID, Message: msg, MacAlgorithm: engine.HMACSHA224},
			"InvalidKeyUsageException", sym.KeyMetadata.Arn + " key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac."},
		{"signing key", engine.GenerateMacInput{KeyID: sig.KeyMetadata.KeyID, Message: msg, MacAlgorithm: engine.HMACSHA256},
			"InvalidKeyUsageException", sig.KeyMetadata.Arn + " key usage is SIGN_VERIFY which is not valid for GenerateMac."},
		{"unknown algorithm", engine.GenerateMacInput{KeyID: h.KeyMetadata.KeyID, Message: msg, MacAlgorithm: "INVALID"},
			"ValidationException", "1 validation error detected: Value 'INVALID' at 'macAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [HMAC_SHA_224, HMAC_SHA_256, HMAC_SHA_384, HMAC_SHA_512]"},
		{"no algorithm", engine.GenerateMacInput{KeyID: h.KeyMetadata.KeyID, Message: msg},
			"ValidationException", "1 validation error detected: Value null at 'macAlgorithm' failed to satisfy constraint: Member must not be null"},
		{"message too long", engine.GenerateMacInput{KeyID: h.KeyMetadata.KeyID, Message: make([]byte, 4097), MacAlgorithm: engine.HMACSHA256},
			"ValidationException", "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096"},
		{"empty message", engine.GenerateMacInput{KeyID: h.KeyMetadata.KeyID, Message: []byte{}, MacAlgorithm: engine.HMACSHA256},
			"ValidationException", "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length greater than or equal to 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.Engine.GenerateMac(c, tc.in)
			requireAPIError(t, err, tc.code, tc.msg)
		})
	}
	_, err = env.Engine.DisableKey(c, engine.DisableKeyInput{KeyID: h.KeyMetadata.KeyID})
	require.NoError(t, err)
	_, err = env.Engine.VerifyMac(c, engine.VerifyMacInput{KeyID: h.KeyMetadata.KeyID, Message: msg, MacAlgorithm: engine.HMACSHA256, Mac: []byte("x")})
	requireAPIError(t, err, "DisabledException", h.KeyMetadata.Arn+" is disabled.")
	_, err = env.Engine.VerifyMac(c, engine.VerifyMacInput{KeyID: h.KeyMetadata.KeyID, Message: msg, MacAlgorithm: engine.HMACSHA256})
	requireAPIError(t, err, "ValidationException", "1 validation error detected: Value null at 'mac' failed to satisfy constraint: Member must not be null")
}
