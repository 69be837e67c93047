package engine_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

const cryptoHome region.ID = "us-east-1"

var cryptoReplicas = []region.ID{"us-west-2", "eu-west-1"}

// cryptoFamily creates a multi-Region primary in us-east-1 with settled
// replicas in cryptoReplicas and returns its key ID.
func cryptoFamily(t testing.TB, env *kmstest.Env) string {
	t.Helper()
	out, err := env.Engine.CreateKey(env.Caller(cryptoHome), engine.CreateKeyInput{MultiRegion: true})
	require.NoError(t, err)
	id := out.KeyMetadata.KeyID
	for _, r := range cryptoReplicas {
		_, err := env.Engine.ReplicateKey(env.Caller(cryptoHome), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: r})
		require.NoError(t, err)
	}
	env.Settle()
	return id
}

func keyARN(r region.ID, id string) string {
	return region.KeyARN("aws", r, kmstest.DefaultAccount, id)
}

func encrypt(t testing.TB, env *kmstest.Env, r region.ID, keyID string, p []byte, ctx map[string]string) []byte {
	t.Helper()
	out, err := env.Engine.Encrypt(env.Caller(r), engine.EncryptInput{KeyID: keyID, Plaintext: p, EncryptionContext: ctx})
	require.NoError(t, err)
	return out.CiphertextBlob
}

// wantErr checks that err is a *E with message msg.
func wantErr[E interface {
	*T
	error
	ErrorMessage() string
}, T any](t testing.TB, err error, msg string) {
	t.Helper()
	var target E
	if assert.True(t, errors.As(err, &target), "got %v, want %T", err, target) {
		assert.Equal(t, msg, target.ErrorMessage())
	}
}

func TestCryptoCrossRegion(t *testing.T) {
	setups := []struct {
		name  string
		setup func(t *testing.T, env *kmstest.Env, id string)
		// regions that decrypt; nil means the replica Regions
		regions []region.ID
	}{
		{name: "plain"},
		{name: "after UpdatePrimaryRegion", regions: append([]region.ID{cryptoHome}, cryptoReplicas...),
			setup: func(t *testing.T, env *kmstest.Env, id string) {
				_, err := env.Engine.UpdatePrimaryRegion(env.Caller(cryptoHome), engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: "us-west-2"})
				require.NoError(t, err)
				env.Settle()
			}},
		{name: "primary Disabled", setup: func(t *testing.T, env *kmstest.Env, id string) {
			_, err := env.Engine.DisableKey(env.Caller(cryptoHome), engine.DisableKeyInput{KeyID: id})
			require.NoError(t, err)
		}},
		{name: "primary PendingReplicaDeletion", setup: func(t *testing.T, env *kmstest.Env, id string) {
			out, err := env.Engine.ScheduleKeyDeletion(env.Caller(cryptoHome), engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: 7})
			require.NoError(t, err)
			require.Equal(t, keystore.PendingReplicaDeletion, out.KeyState)
		}},
	}
	for _, s := range setups {
		t.Run(s.name, func(t *testing.T) {
			env := kmstest.NewEnv(t)
			id := cryptoFamily(t, env)
			ctx := map[string]string{"purpose": "test", "région": "ünïcode"}
			p := []byte("cross-Region plaintext")
			blob := encrypt(t, env, cryptoHome, id, p, ctx)
			d, err := env.Engine.DescribeKey(env.Caller(cryptoHome), engine.DescribeKeyInput{KeyID: id})
			require.NoError(t, err)
			matID := d.KeyMetadata.CurrentKeyMaterialID
			require.Len(t, matID, 64)
			if s.setup != nil {
				s.setup(t, env, id)
			}
			regions := s.regions
			if regions == nil {
				regions = cryptoReplicas
			}
			for _, r := range regions {
				for _, form := range []string{"", id, keyARN(r, id)} {
					out, err := env.Engine.Decrypt(env.Caller(r), engine.DecryptInput{CiphertextBlob: blob, EncryptionContext: ctx, KeyID: form})
					require.NoError(t, err, "%s with KeyId %q", r, form)
					assert.Equal(t, p, out.Plaintext)
					assert.Equal(t, keyARN(r, id), out.KeyID)
					assert.Equal(t, matID, out.KeyMaterialID)
					assert.Equal(t, "SYMMETRIC_DEFAULT", out.EncryptionAlgorithm)
				}
				// And the other way round: each related key encrypts for
				// the others.
				if r != cryptoHome && s.name == "plain" {
					back := encrypt(t, env, r, id, p, ctx)
					out, err := env.Engine.Decrypt(env.Caller(cryptoHome), engine.DecryptInput{CiphertextBlob: back, EncryptionContext: ctx})
					require.NoError(t, err)
					assert.Equal(t, p, out.Plaintext)
				}
			}
		})
	}
}

func TestDecryptKeyErrors(t *testing.T) {
	env := kmstest.NewEnv(t)
	id := cryptoFamily(t, env)
	blob := encrypt(t, env, cryptoHome, id, []byte("p"), nil)
	west := env.Caller("us-west-2")

	_, err := env.Engine.Decrypt(west, engine.DecryptInput{CiphertextBlob: blob, KeyID: keyARN(cryptoHome, id)})
	wantErr[*kmserrors.IncorrectKeyException](t, err, "The key ID in the request does not identify a CMK that can perform this operation.")

	_, err = env.Engine.Decrypt(env.Caller("ap-southeast-2"), engine.DecryptInput{CiphertextBlob: blob})
	wantErr[*kmserrors.AccessDeniedException](t, err, "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.")

	// An unrelated key, multi-Region or not, never decrypts.
	for _, mrk := range []bool{false, true} {
		other, err := env.Engine.CreateKey(env.Caller(cryptoHome), engine.CreateKeyInput{MultiRegion: mrk})
		require.NoError(t, err)
		_, err = env.Engine.Decrypt(env.Caller(cryptoHome), engine.DecryptInput{CiphertextBlob: blob, KeyID: other.KeyMetadata.KeyID})
		wantErr[*kmserrors.IncorrectKeyException](t, err, "The key ID in the request does not identify a CMK that can perform this operation.")
		otherBlob := encrypt(t, env, cryptoHome, other.KeyMetadata.KeyID, []byte("p"), nil)
		_, err = env.Engine.Decrypt(west, engine.DecryptInput{CiphertextBlob: otherBlob, KeyID: id})
		wantErr[*kmserrors.IncorrectKeyException](t, err, "The key ID in the request does not identify a CMK that can perform this operation.")
	}

	_, err = env.Engine.Decrypt(west, engine.DecryptInput{CiphertextBlob: blob, KeyID: "alias/x"})
	var nf *kmserrors.NotFoundException
	assert.ErrorAs(t, err, &nf)
}

func TestCryptoBadInput(t *testing.T) {
	env := kmstest.NewEnv(t)
	id := cryptoFamily(t, env)
	us := env.Caller(cryptoHome)
	ctx := map[string]string{"a": "1", "b": "2"}
	blob := encrypt(t, env, cryptoHome, id, []byte("x"), ctx)
	decrypt := func(b []byte, c map[string]string) error {
		_, err := env.Engine.Decrypt(us, engine.DecryptInput{CiphertextBlob: b, EncryptionContext: c})
		return err
	}
	invalid := func(t *testing.T, err error) {
		t.Helper()
		wantErr[*kmserrors.InvalidCiphertextException](t, err, "")
	}

	t.Run("every bit flip", func(t *testing.T) {
		for i := range len(blob) * 8 {
			b := bytes.Clone(blob)
			b[i/8] ^= 1 << (i % 8)
			invalid(t, decrypt(b, ctx))
		}
	})
	t.Run("truncated", func(t *testing.T) {
		for n := 1; n < len(blob); n++ {
			invalid(t, decrypt(blob[:n], ctx))
		}
		invalid(t, decrypt(append(bytes.Clone(blob), 0), ctx))
	})
	t.Run("wrong context", func(t *testing.T) {
		for _, c := range []map[string]string{nil, {"a": "1"}, {"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "3"}, {"A": "1", "b": "2"}, {"a": "1", "B": "2"}} {
			invalid(t, decrypt(blob, c))
		}
		require.NoError(t, decrypt(blob, map[string]string{"b": "2", "a": "1"}))
	})
	t.Run("empty and oversized blobs", func(t *testing.T) {
		wantErr[*kmserrors.ValidationException](t, decrypt(nil, nil), "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null")
		wantErr[*kmserrors.ValidationException](t, decrypt([]byte{}, nil), "1 validation error detected: Value at 'ciphertextBlob' failed to satisfy constraint: Member must have length greater than or equal to 1")
		wantErr[*kmserrors.ValidationException](t, decrypt(make([]byte, 6145), nil), "1 validation error detected: Value at 'ciphertextBlob' failed to satisfy constraint: Member must have length less than or equal to 6144")
		invalid(t, decrypt(make([]byte, 6144), nil))
	})
	t.Run("unicode context", func(t *testing.T) {
		c := map[string]string{"日本語": "値", "emoji 🔑": "🔒", "": "empty key", "e\u0301": "combining"}
		b := encrypt(t, env, cryptoHome, id, []byte("y"), c)
		out, err := env.Engine.Decrypt(env.Caller("eu-west-1"), engine.DecryptInput{CiphertextBlob: b, EncryptionContext: c})
		require.NoError(t, err)
		assert.Equal(t, []byte("y"), out.Plaintext)
		// NFC and NFD spellings differ: the context is bytes.
		invalid(t, decrypt(b, map[string]string{"日本語": "値", "emoji 🔑": "🔒", "": "empty key", "\u00e9": "combining"}))
	})
	t.Run("plaintext size", func(t *testing.T) {
		b := encrypt(t, env, cryptoHome, id, make([]byte, 4096), nil)
		assert.LessOrEqual(t, len(b), 6144)
		require.NoError(t, decrypt(b, nil))
		_, err := env.Engine.Encrypt(us, engine.EncryptInput{KeyID: id, Plaintext: make([]byte, 4097)})
		wantErr[*kmserrors.ValidationException](t, err, "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096")
		_, err = env.Engine.Encrypt(us, engine.EncryptInput{KeyID: id, Plaintext: []byte{}})
		wantErr[*kmserrors.ValidationException](t, err, "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1")
		_, err = env.Engine.Encrypt(us, engine.EncryptInput{KeyID: id})
		wantErr[*kmserrors.ValidationException](t, err, "1 validation error detected: Value null at 'plaintext' failed to satisfy constraint: Member must not be null")
	})
	t.Run("algorithm", func(t *testing.T) {
		_, err := env.Engine.Encrypt(us, engine.EncryptInput{KeyID: id, Plaintext: []byte("x"), EncryptionAlgorithm: "AES"})
		var v *kmserrors.ValidationException
		assert.ErrorAs(t, err, &v)
		_, err = env.Engine.Encrypt(us, engine.EncryptInput{KeyID: id, Plaintext: []byte("x"), EncryptionAlgorithm: engine.RSAESOAEPSHA256})
		var ku *kmserrors.InvalidKeyUsageException
		assert.ErrorAs(t, err, &ku)
	})
}

func TestGenerateDataKey(t *testing.T) {
	env := kmstest.NewEnv(t)
	id := cryptoFamily(t, env)
	us := env.Caller(cryptoHome)
	ctx := map[string]string{"bucket": "b"}
	for _, tt := range []struct {
		spec string
		n    int
		want int
	}{{spec: engine.AES256, want: 32}, {spec: engine.AES128, want: 16}, {n: 1, want: 1}, {n: 1024, want: 1024}} {
		out, err := env.Engine.GenerateDataKey(us, engine.GenerateDataKeyInput{KeyID: id, KeySpec: tt.spec, NumberOfBytes: tt.n, EncryptionContext: ctx})
		require.NoError(t, err)
		require.Len(t, out.Plaintext, tt.want)
		assert.Equal(t, keyARN(cryptoHome, id), out.KeyID)
		for _, r := range cryptoReplicas {
			d, err := env.Engine.Decrypt(env.Caller(r), engine.DecryptInput{CiphertextBlob: out.CiphertextBlob, EncryptionContext: ctx})
			require.NoError(t, err)
			assert.Equal(t, out.Plaintext, d.Plaintext)
			assert.Equal(t, out.KeyMaterialID, d.KeyMaterialID)
		}
		wp, err := env.Engine.GenerateDataKeyWithoutPlaintext(env.Caller("eu-west-1"), engine.GenerateDataKeyWithoutPlaintextInput{KeyID: id, KeySpec: tt.spec, NumberOfBytes: tt.n})
		require.NoError(t, err)
		d, err := env.Engine.Decrypt(us, engine.DecryptInput{CiphertextBlob: wp.CiphertextBlob})
		require.NoError(t, err)
		assert.Len(t, d.Plaintext, tt.want)
		assert.Equal(t, keyARN("eu-west-1", id), wp.KeyID)
	}
	const either = "Please specify either number of bytes or key spec."
	_, err := env.Engine.GenerateDataKey(us, engine.GenerateDataKeyInput{KeyID: id})
	wantErr[*kmserrors.ValidationException](t, err, either)
	_, err = env.Engine.GenerateDataKeyWithoutPlaintext(us, engine.GenerateDataKeyWithoutPlaintextInput{KeyID: id, KeySpec: engine.AES256, NumberOfBytes: 32})
	wantErr[*kmserrors.ValidationException](t, err, either)
	_, err = env.Engine.GenerateDataKey(us, engine.GenerateDataKeyInput{KeyID: id, NumberOfBytes: 1025})
	wantErr[*kmserrors.ValidationException](t, err, "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024")
	_, err = env.Engine.GenerateDataKey(us, engine.GenerateDataKeyInput{KeyID: id, KeySpec: "AES_512"})
	var v *kmserrors.ValidationException
	assert.ErrorAs(t, err, &v)
}

func TestCurrentKeyMaterialID(t *testing.T) {
	env := kmstest.NewEnv(t)
	us := env.Caller(cryptoHome)
	created, err := env.Engine.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
	require.NoError(t, err)
	id, matID := created.KeyMetadata.KeyID, created.KeyMetadata.CurrentKeyMaterialID
	assert.Regexp(t, `^[0-9a-f]{64}$`, matID)

	rep, err := env.Engine.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1"})
	require.NoError(t, err)
	assert.Empty(t, rep.ReplicaKeyMetadata.CurrentKeyMaterialID, "ReplicateKey response")
	d, err := env.Engine.DescribeKey(env.Caller("eu-west-1"), engine.DescribeKeyInput{KeyID: id})
	require.NoError(t, err)
	assert.Equal(t, keystore.Creating, d.KeyMetadata.KeyState)
	assert.Empty(t, d.KeyMetadata.CurrentKeyMaterialID, "while Creating")
	_, err = env.Engine.Encrypt(env.Caller("eu-west-1"), engine.EncryptInput{KeyID: id, Plaintext: []byte("x")})
	wantErr[*kmserrors.KMSInvalidStateException](t, err, keyARN("eu-west-1", id)+" is creating.")

	env.Settle()
	for _, r := range []region.ID{cryptoHome, "eu-west-1"} {
		d, err := env.Engine.DescribeKey(env.Caller(r), engine.DescribeKeyInput{KeyID: id})
		require.NoError(t, err)
		assert.Equal(t, matID, d.KeyMetadata.CurrentKeyMaterialID, r)
	}

	for _, in := range []engine.CreateKeyInput{
		{KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC},
		{KeySpec: keystore.RSA2048, KeyUsage: keystore.EncryptDecrypt},
		{KeySpec: keystore.MLDSA44, KeyUsage: keystore.SignVerify},
		{Origin: keystore.OriginExternal, MultiRegion: true},
	} {
		out, err := env.Engine.CreateKey(us, in)
		require.NoError(t, err)
		assert.Empty(t, out.KeyMetadata.CurrentKeyMaterialID, "%+v", in)
	}
}

// Material generation waits for first use, and the result does not
// depend on when that is.
func TestMaterialIndependentOfUse(t *testing.T) {
	ids := func(describeEarly bool) []string {
		env := kmstest.NewEnv(t)
		us := env.Caller(cryptoHome)
		var out []string
		for range 3 {
			k, err := env.Engine.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
			require.NoError(t, err)
			if !describeEarly {
				// Make sure the material exists before the next CreateKey.
				_, err = env.Engine.DescribeKey(us, engine.DescribeKeyInput{KeyID: k.KeyMetadata.KeyID})
				require.NoError(t, err)
			}
			out = append(out, k.KeyMetadata.KeyID)
		}
		for _, id := range out[:len(out):len(out)] {
			d, err := env.Engine.DescribeKey(us, engine.DescribeKeyInput{KeyID: id})
			require.NoError(t, err)
			out = append(out, d.KeyMetadata.CurrentKeyMaterialID)
		}
		return out
	}
	// CreateKey's own output already made the first material; what
	// matters is that neither order nor repetition changes anything.
	early := ids(false)
	assert.Equal(t, early, ids(false))
	assert.Equal(t, early, ids(true))
}

func TestCryptoStatesAndUsage(t *testing.T) {
	env := kmstest.NewEnv(t)
	us := env.Caller(cryptoHome)
	id := cryptoFamily(t, env)
	west := env.Caller("us-west-2")
	blob := encrypt(t, env, cryptoHome, id, []byte("x"), nil)

	// Updating keys work (§4.3).
	_, err := env.Engine.UpdatePrimaryRegion(us, engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: "us-west-2"})
	require.NoError(t, err)
	for _, c := range []engine.Caller{us, west} {
		_, err = env.Engine.Encrypt(c, engine.EncryptInput{KeyID: id, Plaintext: []byte("x")})
		require.NoError(t, err)
		_, err = env.Engine.Decrypt(c, engine.DecryptInput{CiphertextBlob: blob})
		require.NoError(t, err)
	}
	env.Settle()

	_, err = env.Engine.DisableKey(west, engine.DisableKeyInput{KeyID: id})
	require.NoError(t, err)
	_, err = env.Engine.Decrypt(west, engine.DecryptInput{CiphertextBlob: blob})
	wantErr[*kmserrors.DisabledException](t, err, keyARN("us-west-2", id)+" is disabled.")
	_, err = env.Engine.GenerateDataKey(west, engine.GenerateDataKeyInput{KeyID: id, KeySpec: engine.AES256})
	wantErr[*kmserrors.DisabledException](t, err, keyARN("us-west-2", id)+" is disabled.")
	// The disabled primary does not stop a replica.
	_, err = env.Engine.Decrypt(us, engine.DecryptInput{CiphertextBlob: blob})
	require.NoError(t, err)

	_, err = env.Engine.ScheduleKeyDeletion(env.Caller("eu-west-1"), engine.ScheduleKeyDeletionInput{KeyID: id})
	require.NoError(t, err)
	_, err = env.Engine.Encrypt(env.Caller("eu-west-1"), engine.EncryptInput{KeyID: id, Plaintext: []byte("x")})
	wantErr[*kmserrors.KMSInvalidStateException](t, err, keyARN("eu-west-1", id)+" is pending deletion.")

	hmac, err := env.Engine.CreateKey(us, engine.CreateKeyInput{KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC})
	require.NoError(t, err)
	_, err = env.Engine.Encrypt(us, engine.EncryptInput{KeyID: hmac.KeyMetadata.Arn, Plaintext: []byte("x")})
	wantErr[*kmserrors.InvalidKeyUsageException](t, err, hmac.KeyMetadata.Arn+" key usage is GENERATE_VERIFY_MAC which is not valid for Encrypt.")
	_, err = env.Engine.GenerateDataKeyWithoutPlaintext(us, engine.GenerateDataKeyWithoutPlaintextInput{KeyID: hmac.KeyMetadata.KeyID, KeySpec: engine.AES256})
	wantErr[*kmserrors.InvalidKeyUsageException](t, err, hmac.KeyMetadata.Arn+" key usage is GENERATE_VERIFY_MAC which is not valid for GenerateDataKeyWithoutPlaintext.")

	rsa, err := env.Engine.CreateKey(us, engine.CreateKeyInput{KeySpec: keystore.RSA2048, KeyUsage: keystore.EncryptDecrypt})
	require.NoError(t, err)
	_, err = env.Engine.Encrypt(us, engine.EncryptInput{KeyID: rsa.KeyMetadata.KeyID, Plaintext: []byte("x")})
	wantErr[*kmserrors.InvalidKeyUsageException](t, err, "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.")
	_, err = env.Engine.GenerateDataKey(us, engine.GenerateDataKeyInput{KeyID: rsa.KeyMetadata.KeyID, KeySpec: engine.AES256})
	var ku *kmserrors.InvalidKeyUsageException
	assert.ErrorAs(t, err, &ku)
}

func TestCryptoDryRun(t *testing.T) {
	env := kmstest.NewEnv(t)
	id := cryptoFamily(t, env)
	us := env.Caller(cryptoHome)
	blob := encrypt(t, env, cryptoHome, id, []byte("x"), nil)
	const msg = "The request would have succeeded, but the DryRun option is set."
	_, err := env.Engine.Encrypt(us, engine.EncryptInput{KeyID: id, Plaintext: []byte("x"), DryRun: true})
	wantErr[*kmserrors.DryRunOperationException](t, err, msg)
	_, err = env.Engine.Decrypt(us, engine.DecryptInput{CiphertextBlob: blob, DryRun: true})
	wantErr[*kmserrors.DryRunOperationException](t, err, msg)
	_, err = env.Engine.GenerateDataKey(us, engine.GenerateDataKeyInput{KeyID: id, KeySpec: engine.AES256, DryRun: true})
	wantErr[*kmserrors.DryRunOperationException](t, err, msg)
	// Checks come first.
	_, err = env.Engine.Decrypt(us, engine.DecryptInput{CiphertextBlob: blob[:len(blob)-1], DryRun: true})
	wantErr[*kmserrors.InvalidCiphertextException](t, err, "")
}

// Neither outputs, events nor errors ever show key material; events and
// errors never show a plaintext or data key.
func TestCryptoNoLeak(t *testing.T) {
	env := kmstest.NewEnv(t)
	id := cryptoFamily(t, env)
	us := env.Caller(cryptoHome)
	secret := []byte("TOP-SECRET-PLAINTEXT-0123456789")
	var outputs []any
	var errs []error
	var dataKeys [][]byte
	record := func(out any, err error) {
		if err != nil {
			errs = append(errs, err)
			return
		}
		outputs = append(outputs, out)
	}
	ctx := map[string]string{"k": "v"}
	enc, err := env.Engine.Encrypt(us, engine.EncryptInput{KeyID: id, Plaintext: secret, EncryptionContext: ctx})
	require.NoError(t, err)
	record(enc, err)
	for _, r := range append([]region.ID{cryptoHome}, cryptoReplicas...) {
		record(env.Engine.Decrypt(env.Caller(r), engine.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ctx}))
		record(env.Engine.Decrypt(env.Caller(r), engine.DecryptInput{CiphertextBlob: enc.CiphertextBlob}))
		gdk, err := env.Engine.GenerateDataKey(env.Caller(r), engine.GenerateDataKeyInput{KeyID: id, KeySpec: engine.AES256})
		require.NoError(t, err)
		dataKeys = append(dataKeys, bytes.Clone(gdk.Plaintext))
		record(gdk, err)
		record(env.Engine.GenerateDataKeyWithoutPlaintext(env.Caller(r), engine.GenerateDataKeyWithoutPlaintextInput{KeyID: id, NumberOfBytes: 64}))
		record(env.Engine.Encrypt(env.Caller(r), engine.EncryptInput{KeyID: id, Plaintext: secret, DryRun: true}))
		record(env.Engine.Encrypt(env.Caller(r), engine.EncryptInput{KeyID: id, Plaintext: append(bytes.Clone(secret), make([]byte, 4096)...)}))
		record(env.Engine.DescribeKey(env.Caller(r), engine.DescribeKeyInput{KeyID: id}))
	}
	mats := env.Engine.MaterialSecrets(kmstest.DefaultAccount, cryptoHome, id)
	require.Len(t, mats, 1)
	require.Len(t, mats[0], 32)

	forms := func(b []byte) []string {
		return []string{string(b), hex.EncodeToString(b), base64.StdEncoding.EncodeToString(b), fmt.Sprint(b), fmt.Sprintf("%x", b), fmt.Sprintf("%q", b)}
	}
	scan := func(what, text string, secrets [][]byte) {
		t.Helper()
		for _, s := range secrets {
			for _, f := range forms(s) {
				if strings.Contains(text, f) {
					t.Errorf("%s shows a secret: %.200s", what, text)
					return
				}
			}
		}
	}
	dump := func(v any) string {
		j, err := json.Marshal(v)
		require.NoError(t, err)
		return string(j) + fmt.Sprintf("%+v %#v", v, v)
	}
	for i, o := range outputs {
		scan(fmt.Sprintf("output %d", i), dump(o), mats)
	}
	hidden := append(append([][]byte{secret}, mats...), dataKeys...)
	events := env.Engine.Events()
	require.NotEmpty(t, events)
	for _, ev := range events {
		scan("event "+ev.Name, dump(ev), hidden)
	}
	require.NotEmpty(t, errs)
	for _, err := range errs {
		scan("error", err.Error()+fmt.Sprintf("%+v %#v", err, err), hidden)
	}
}

func TestDecryptEncryptProperty(t *testing.T) {
	env := kmstest.NewEnv(t)
	id := cryptoFamily(t, env)
	regions := append([]region.ID{cryptoHome}, cryptoReplicas...)
	rapid.Check(t, func(t *rapid.T) {
		p := rapid.SliceOfN(rapid.Byte(), 1, 4096).Draw(t, "plaintext")
		ctx := rapid.MapOfN(rapid.String(), rapid.String(), 0, 4).Draw(t, "context")
		from := rapid.SampledFrom(regions).Draw(t, "from")
		out, err := env.Engine.Encrypt(env.Caller(from), engine.EncryptInput{KeyID: id, Plaintext: p, EncryptionContext: ctx})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range regions {
			d, err := env.Engine.Decrypt(env.Caller(r), engine.DecryptInput{CiphertextBlob: out.CiphertextBlob, EncryptionContext: ctx})
			if err != nil {
				t.Fatalf("%s: %v", r, err)
			}
			if !bytes.Equal(d.Plaintext, p) {
				t.Fatalf("%s: round trip changed the plaintext", r)
			}
		}
	})
}

func FuzzDecrypt(f *testing.F) {
	env := kmstest.NewEnv(f)
	id := cryptoFamily(f, env)
	blob := encrypt(f, env, cryptoHome, id, []byte("fuzz"), map[string]string{"k": "v"})
	f.Add(blob, "k", "v", "")
	f.Add(blob, "k", "w", id)
	f.Add(blob[:40], "", "", "alias/x")
	f.Add([]byte{1}, "", "", keyARN(cryptoHome, id))
	f.Add([]byte{}, "", "", "arn:aws:kms:us-west-2:111122223333:key/"+id)
	f.Fuzz(func(t *testing.T, b []byte, k, v, keyID string) {
		var ctx map[string]string
		if k != "" || v != "" {
			ctx = map[string]string{k: v}
		}
		for _, r := range []region.ID{cryptoHome, "us-west-2", "ap-south-1"} {
			out, err := env.Engine.Decrypt(env.Caller(r), engine.DecryptInput{CiphertextBlob: b, EncryptionContext: ctx, KeyID: keyID})
			if err != nil {
				if _, ok := kmserrors.As(err); !ok {
					t.Fatalf("untyped error: %v", err)
				}
				continue
			}
			if out.KeyID != keyARN(r, id) {
				t.Fatalf("decrypted with %s", out.KeyID)
			}
		}
	})
}
