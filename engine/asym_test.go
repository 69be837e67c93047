package engine_test

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
)

// rsaLimits are KMS's plaintext limits (spec §9.2).
var rsaLimits = []struct {
	spec  keystore.KeySpec
	alg   string
	limit int
}{
	{keystore.RSA2048, engine.RSAESOAEPSHA1, 214}, {keystore.RSA2048, engine.RSAESOAEPSHA256, 190},
	{keystore.RSA3072, engine.RSAESOAEPSHA1, 342}, {keystore.RSA3072, engine.RSAESOAEPSHA256, 318},
	{keystore.RSA4096, engine.RSAESOAEPSHA1, 470}, {keystore.RSA4096, engine.RSAESOAEPSHA256, 446},
}

// rsaEnv makes a multi-Region RSA_2048 encryption key replicated to
// us-west-2 and single-Region RSA_3072/RSA_4096 keys.
func rsaEnv(t *testing.T) (*kmstest.Env, map[keystore.KeySpec]string) {
	env := kmstest.NewEnv(t)
	c := env.Caller(cryptoHome)
	keys := map[keystore.KeySpec]string{}
	for _, spec := range []keystore.KeySpec{keystore.RSA2048, keystore.RSA3072, keystore.RSA4096} {
		out, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: spec, KeyUsage: keystore.EncryptDecrypt, MultiRegion: spec == keystore.RSA2048})
		require.NoError(t, err)
		keys[spec] = out.KeyMetadata.KeyID
	}
	_, err := env.Engine.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: keys[keystore.RSA2048], ReplicaRegion: "us-west-2"})
	require.NoError(t, err)
	env.Settle()
	return env, keys
}

func TestRSAEncryption(t *testing.T) {
	env, keys := rsaEnv(t)
	c := env.Caller(cryptoHome)
	for _, l := range rsaLimits {
		t.Run(fmt.Sprintf("%s/%s", l.spec, l.alg), func(t *testing.T) {
			id := keys[l.spec]
			arn := keyARN(cryptoHome, id)
			p := bytes.Repeat([]byte{0xa5}, l.limit)
			out, err := env.Engine.Encrypt(c, engine.EncryptInput{KeyID: id, Plaintext: p, EncryptionAlgorithm: l.alg})
			require.NoError(t, err)
			assert.Equal(t, arn, out.KeyID)
			assert.Equal(t, l.alg, out.EncryptionAlgorithm)
			pub, err := env.Engine.GetPublicKey(c, engine.GetPublicKeyInput{KeyID: id})
			require.NoError(t, err)
			assert.Equal(t, []string{engine.RSAESOAEPSHA1, engine.RSAESOAEPSHA256}, pub.EncryptionAlgorithms)
			key, err := x509.ParsePKIXPublicKey(pub.PublicKey)
			require.NoError(t, err)
			// Raw OAEP output: exactly the modulus size.
			assert.Len(t, out.CiphertextBlob, key.(*rsa.PublicKey).Size())

			d, err := env.Engine.Decrypt(c, engine.DecryptInput{KeyID: id, CiphertextBlob: out.CiphertextBlob, EncryptionAlgorithm: l.alg})
			require.NoError(t, err)
			assert.Equal(t, p, d.Plaintext)
			assert.Equal(t, arn, d.KeyID)
			assert.Empty(t, d.KeyMaterialID, "KMS names material of symmetric keys only")

			// Ciphertext made outside KMS with the public key decrypts.
			h := crypto.SHA256
			if l.alg == engine.RSAESOAEPSHA1 {
				h = crypto.SHA1
			}
			ext, err := rsa.EncryptOAEP(h.New(), rand.Reader, key.(*rsa.PublicKey), []byte("made outside"), nil)
			require.NoError(t, err)
			d, err = env.Engine.Decrypt(c, engine.DecryptInput{KeyID: arn, CiphertextBlob: ext, EncryptionAlgorithm: l.alg})
			require.NoError(t, err)
			assert.Equal(t, []byte("made outside"), d.Plaintext)

			_, err = env.Engine.Encrypt(c, engine.EncryptInput{KeyID: id, Plaintext: append(p, 0), EncryptionAlgorithm: l.alg})
			requireAPIError(t, err, "ValidationException", fmt.Sprintf("Algorithm %s and key spec %s cannot encrypt data larger than %d bytes.", l.alg, l.spec, l.limit))
		})
	}
}

func TestRSAEncryptionErrors(t *testing.T) {
	env, keys := rsaEnv(t)
	c := env.Caller(cryptoHome)
	id := keys[keystore.RSA2048]
	arn := keyARN(cryptoHome, id)
	blob, err := env.Engine.Encrypt(c, engine.EncryptInput{KeyID: id, Plaintext: []byte("secret"), EncryptionAlgorithm: engine.RSAESOAEPSHA256})
	require.NoError(t, err)
	sym, err := env.Engine.CreateKey(c, engine.CreateKeyInput{})
	require.NoError(t, err)
	signing, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: keystore.RSA2048, KeyUsage: keystore.SignVerify})
	require.NoError(t, err)
	ctx := map[string]string{"a": "b"}
	const contextMsg = "EncryptionContext is not supported with asymmetric KMS keys."
	cases := []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"Encrypt without algorithm", func() error {
			_, err := env.Engine.Encrypt(c, engine.EncryptInput{KeyID: id, Plaintext: []byte("x")})
			return err
		}, "InvalidKeyUsageException", "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048."},
		{"Encrypt with SM2PKE", func() error {
			_, err := env.Engine.Encrypt(c, engine.EncryptInput{KeyID: id, Plaintext: []byte("x"), EncryptionAlgorithm: engine.SM2PKE})
			return err
		}, "InvalidKeyUsageException", "Algorithm SM2PKE is incompatible with key spec RSA_2048."},
		{"Encrypt RSAES on a symmetric key", func() error {
			_, err := env.Engine.Encrypt(c, engine.EncryptInput{KeyID: sym.KeyMetadata.KeyID, Plaintext: []byte("x"), EncryptionAlgorithm: engine.RSAESOAEPSHA1})
			return err
		}, "InvalidKeyUsageException", "Algorithm RSAES_OAEP_SHA_1 is incompatible with key spec SYMMETRIC_DEFAULT."},
		{"Encrypt with a signing key", func() error {
			_, err := env.Engine.Encrypt(c, engine.EncryptInput{KeyID: signing.KeyMetadata.KeyID, Plaintext: []byte("x"), EncryptionAlgorithm: engine.RSAESOAEPSHA1})
			return err
		}, "InvalidKeyUsageException", signing.KeyMetadata.Arn + " key usage is SIGN_VERIFY which is not valid for Encrypt."},
		{"Encrypt with a context", func() error {
			_, err := env.Engine.Encrypt(c, engine.EncryptInput{KeyID: id, Plaintext: []byte("x"), EncryptionAlgorithm: engine.RSAESOAEPSHA1, EncryptionContext: ctx})
			return err
		}, "ValidationException", contextMsg},
		{"Encrypt DryRun", func() error {
			_, err := env.Engine.Encrypt(c, engine.EncryptInput{KeyID: id, Plaintext: []byte("x"), EncryptionAlgorithm: engine.RSAESOAEPSHA1, DryRun: true})
			return err
		}, "DryRunOperationException", "The request would have succeeded, but the DryRun option is set."},
		{"Decrypt without KeyId", func() error {
			_, err := env.Engine.Decrypt(c, engine.DecryptInput{CiphertextBlob: blob.CiphertextBlob, EncryptionAlgorithm: engine.RSAESOAEPSHA256})
			return err
		}, "InvalidCiphertextException", ""},
		{"Decrypt without algorithm", func() error {
			_, err := env.Engine.Decrypt(c, engine.DecryptInput{KeyID: id, CiphertextBlob: blob.CiphertextBlob})
			return err
		}, "InvalidKeyUsageException", "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048."},
		{"Decrypt with the other OAEP hash", func() error {
			_, err := env.Engine.Decrypt(c, engine.DecryptInput{KeyID: id, CiphertextBlob: blob.CiphertextBlob, EncryptionAlgorithm: engine.RSAESOAEPSHA1})
			return err
		}, "InvalidCiphertextException", ""},
		{"Decrypt with another RSA key", func() error {
			_, err := env.Engine.Decrypt(c, engine.DecryptInput{KeyID: keys[keystore.RSA3072], CiphertextBlob: blob.CiphertextBlob, EncryptionAlgorithm: engine.RSAESOAEPSHA256})
			return err
		}, "InvalidCiphertextException", ""},
		{"Decrypt with a symmetric key", func() error {
			_, err := env.Engine.Decrypt(c, engine.DecryptInput{KeyID: sym.KeyMetadata.KeyID, CiphertextBlob: blob.CiphertextBlob})
			return err
		}, "InvalidCiphertextException", ""},
		{"Decrypt with a context", func() error {
			_, err := env.Engine.Decrypt(c, engine.DecryptInput{KeyID: id, CiphertextBlob: blob.CiphertextBlob, EncryptionAlgorithm: engine.RSAESOAEPSHA256, EncryptionContext: ctx})
			return err
		}, "ValidationException", contextMsg},
		{"Decrypt with the ARN of another Region", func() error {
			_, err := env.Engine.Decrypt(c, engine.DecryptInput{KeyID: keyARN("us-west-2", id), CiphertextBlob: blob.CiphertextBlob, EncryptionAlgorithm: engine.RSAESOAEPSHA256})
			return err
		}, "IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation."},
		{"Decrypt DryRun", func() error {
			_, err := env.Engine.Decrypt(c, engine.DecryptInput{KeyID: arn, CiphertextBlob: blob.CiphertextBlob, EncryptionAlgorithm: engine.RSAESOAEPSHA256, DryRun: true})
			return err
		}, "DryRunOperationException", "The request would have succeeded, but the DryRun option is set."},
		{"ReEncrypt RSA destination with a context", func() error {
			sb := encrypt(t, env, cryptoHome, sym.KeyMetadata.KeyID, []byte("x"), nil)
			_, err := env.Engine.ReEncrypt(c, engine.ReEncryptInput{CiphertextBlob: sb, DestinationKeyID: id, DestinationEncryptionAlgorithm: engine.RSAESOAEPSHA1, DestinationEncryptionContext: ctx})
			return err
		}, "ValidationException", contextMsg},
		{"ReEncrypt too much for the RSA destination", func() error {
			sb := encrypt(t, env, cryptoHome, sym.KeyMetadata.KeyID, make([]byte, 191), nil)
			_, err := env.Engine.ReEncrypt(c, engine.ReEncryptInput{CiphertextBlob: sb, DestinationKeyID: id, DestinationEncryptionAlgorithm: engine.RSAESOAEPSHA256})
			return err
		}, "ValidationException", "Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190 bytes."},
		{"ReEncrypt RSA source without SourceKeyId", func() error {
			_, err := env.Engine.ReEncrypt(c, engine.ReEncryptInput{CiphertextBlob: blob.CiphertextBlob, DestinationKeyID: sym.KeyMetadata.KeyID, SourceEncryptionAlgorithm: engine.RSAESOAEPSHA256})
			return err
		}, "InvalidCiphertextException", ""},
		{"ReEncrypt DryRun", func() error {
			_, err := env.Engine.ReEncrypt(c, engine.ReEncryptInput{CiphertextBlob: blob.CiphertextBlob, SourceKeyID: id, SourceEncryptionAlgorithm: engine.RSAESOAEPSHA256, DestinationKeyID: keys[keystore.RSA4096], DestinationEncryptionAlgorithm: engine.RSAESOAEPSHA1, DryRun: true})
			return err
		}, "DryRunOperationException", "The request would have succeeded, but the DryRun option is set."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			requireAPIError(t, tc.call(), tc.code, tc.msg)
		})
	}
}

// TestRSAReEncryptAndRegions re-encrypts between symmetric and RSA keys
// both ways and decrypts RSA ciphertext of the primary with the replica.
func TestRSAReEncryptAndRegions(t *testing.T) {
	env, keys := rsaEnv(t)
	c := env.Caller(cryptoHome)
	west := env.Caller("us-west-2")
	id := keys[keystore.RSA2048]
	sym, err := env.Engine.CreateKey(c, engine.CreateKeyInput{})
	require.NoError(t, err)
	p := []byte("moves between key types")

	rsaBlob, err := env.Engine.Encrypt(c, engine.EncryptInput{KeyID: id, Plaintext: p, EncryptionAlgorithm: engine.RSAESOAEPSHA256})
	require.NoError(t, err)
	d, err := env.Engine.Decrypt(west, engine.DecryptInput{KeyID: id, CiphertextBlob: rsaBlob.CiphertextBlob, EncryptionAlgorithm: engine.RSAESOAEPSHA256})
	require.NoError(t, err, "the replica holds the same private key")
	assert.Equal(t, p, d.Plaintext)
	assert.Equal(t, keyARN("us-west-2", id), d.KeyID)

	// RSA -> symmetric.
	re, err := env.Engine.ReEncrypt(c, engine.ReEncryptInput{CiphertextBlob: rsaBlob.CiphertextBlob, SourceKeyID: id, SourceEncryptionAlgorithm: engine.RSAESOAEPSHA256,
		DestinationKeyID: sym.KeyMetadata.KeyID, DestinationEncryptionContext: map[string]string{"k": "v"}})
	require.NoError(t, err)
	assert.Equal(t, keyARN(cryptoHome, id), re.SourceKeyID)
	assert.Empty(t, re.SourceKeyMaterialID)
	assert.Len(t, re.DestinationKeyMaterialID, 64)
	assert.Equal(t, engine.SymmetricDefault, re.DestinationEncryptionAlgorithm)
	d, err = env.Engine.Decrypt(c, engine.DecryptInput{CiphertextBlob: re.CiphertextBlob, EncryptionContext: map[string]string{"k": "v"}})
	require.NoError(t, err)
	assert.Equal(t, p, d.Plaintext)

	// Symmetric -> RSA (another spec), then decrypt in the replica Region
	// after a second hop back to the multi-Region key.
	re2, err := env.Engine.ReEncrypt(c, engine.ReEncryptInput{CiphertextBlob: re.CiphertextBlob, SourceEncryptionContext: map[string]string{"k": "v"},
		DestinationKeyID: keys[keystore.RSA4096], DestinationEncryptionAlgorithm: engine.RSAESOAEPSHA1})
	require.NoError(t, err)
	assert.Empty(t, re2.DestinationKeyMaterialID)
	assert.Len(t, re2.SourceKeyMaterialID, 64)
	assert.Len(t, re2.CiphertextBlob, 512)
	re3, err := env.Engine.ReEncrypt(c, engine.ReEncryptInput{CiphertextBlob: re2.CiphertextBlob, SourceKeyID: keys[keystore.RSA4096], SourceEncryptionAlgorithm: engine.RSAESOAEPSHA1,
		DestinationKeyID: id, DestinationEncryptionAlgorithm: engine.RSAESOAEPSHA1})
	require.NoError(t, err)
	d, err = env.Engine.Decrypt(west, engine.DecryptInput{KeyID: keyARN("us-west-2", id), CiphertextBlob: re3.CiphertextBlob, EncryptionAlgorithm: engine.RSAESOAEPSHA1})
	require.NoError(t, err)
	assert.Equal(t, p, d.Plaintext)
}
