package engine_test

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
)

// checkKeyPair checks that the PKCS #8 private key and the SPKI public
// key belong together, with crypto/x509, or for secp256k1 (which x509
// does not know) by reading the structures and signing.
func checkKeyPair(t *testing.T, spec keystore.KeySpec, priv, pub []byte) {
	t.Helper()
	if spec == keystore.ECCSECGP256K1 {
		var p8 struct {
			Version int
			Algo    struct{ Algorithm, Curve asn1.ObjectIdentifier }
			Key     []byte
		}
		_, err := asn1.Unmarshal(priv, &p8)
		require.NoError(t, err)
		assert.Equal(t, "1.3.132.0.10", p8.Algo.Curve.String())
		var ec struct {
			Version int
			D       []byte
		}
		_, err = asn1.Unmarshal(p8.Key, &ec)
		require.NoError(t, err)
		var spki struct {
			Algo struct{ Algorithm, Curve asn1.ObjectIdentifier }
			Key  asn1.BitString
		}
		_, err = asn1.Unmarshal(pub, &spki)
		require.NoError(t, err)
		pk, err := secp256k1.ParsePubKey(spki.Key.Bytes)
		require.NoError(t, err)
		d := sha256.Sum256([]byte("pair"))
		assert.True(t, secpecdsa.Sign(secp256k1.PrivKeyFromBytes(ec.D), d[:]).Verify(d[:], pk))
		return
	}
	key, err := x509.ParsePKCS8PrivateKey(priv)
	require.NoError(t, err, spec)
	p, err := x509.ParsePKIXPublicKey(pub)
	require.NoError(t, err, spec)
	assert.True(t, key.(crypto.Signer).Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(p), "%s: the keys differ", spec)
}

func TestGenerateDataKeyPairEverySpec(t *testing.T) {
	env := kmstest.NewEnv(t)
	id := cryptoFamily(t, env)
	c := env.Caller(cryptoHome)
	d, err := env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: id})
	require.NoError(t, err)
	ctx := map[string]string{"use": "data key pair"}
	for _, spec := range keystore.DataKeyPairSpecs {
		if spec == keystore.SM2 {
			continue // aws-cn only: TestSM2DataKeyPair
		}
		t.Run(string(spec), func(t *testing.T) {
			out, err := env.Engine.GenerateDataKeyPair(c, engine.GenerateDataKeyPairInput{KeyID: id, KeyPairSpec: spec, EncryptionContext: ctx})
			require.NoError(t, err)
			assert.Equal(t, keyARN(cryptoHome, id), out.KeyID)
			assert.Equal(t, spec, out.KeyPairSpec)
			assert.Equal(t, d.KeyMetadata.CurrentKeyMaterialID, out.KeyMaterialID)
			checkKeyPair(t, spec, out.PrivateKeyPlaintext, out.PublicKey)
			// The private key is encrypted as Encrypt would: any related
			// key decrypts it with the same context.
			dec, err := env.Engine.Decrypt(env.Caller("us-west-2"), engine.DecryptInput{CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext: ctx})
			require.NoError(t, err)
			assert.Equal(t, out.PrivateKeyPlaintext, dec.Plaintext)
			_, err = env.Engine.Decrypt(c, engine.DecryptInput{CiphertextBlob: out.PrivateKeyCiphertextBlob})
			requireAPIError(t, err, "InvalidCiphertextException", "")

			wo, err := env.Engine.GenerateDataKeyPairWithoutPlaintext(c, engine.GenerateDataKeyPairWithoutPlaintextInput{KeyID: id, KeyPairSpec: spec})
			require.NoError(t, err)
			dec, err = env.Engine.Decrypt(c, engine.DecryptInput{CiphertextBlob: wo.PrivateKeyCiphertextBlob})
			require.NoError(t, err)
			checkKeyPair(t, spec, dec.Plaintext, wo.PublicKey)
			assert.NotEqual(t, out.PublicKey, wo.PublicKey, "every call makes a new pair")
		})
	}
}

// TestGenerateDataKeyPairDeterministic: the pair comes from Config.Rand.
func TestGenerateDataKeyPairDeterministic(t *testing.T) {
	var pubs [][]byte
	for range 2 {
		env := kmstest.NewEnv(t, kmstest.Seed(9))
		k, err := env.Engine.CreateKey(env.Caller(cryptoHome), engine.CreateKeyInput{})
		require.NoError(t, err)
		out, err := env.Engine.GenerateDataKeyPair(env.Caller(cryptoHome), engine.GenerateDataKeyPairInput{KeyID: k.KeyMetadata.KeyID, KeyPairSpec: keystore.RSA2048})
		require.NoError(t, err)
		pubs = append(pubs, out.PublicKey)
	}
	assert.Equal(t, pubs[0], pubs[1])
}

func TestGenerateDataKeyPairErrors(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := env.Caller(cryptoHome)
	sym, err := env.Engine.CreateKey(c, engine.CreateKeyInput{})
	require.NoError(t, err)
	rsaKey, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: keystore.RSA2048, KeyUsage: keystore.EncryptDecrypt})
	require.NoError(t, err)
	hmacKey, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC})
	require.NoError(t, err)
	require.NoError(t, env.Engine.CreateAccount(engine.AccountInput{ID: "222233334444", Partition: "aws-cn"}))
	cn := engine.Caller{Account: "222233334444", Region: "cn-north-1"}
	cnKey, err := env.Engine.CreateKey(cn, engine.CreateKeyInput{})
	require.NoError(t, err)
	cases := []struct {
		name      string
		c         engine.Caller
		in        engine.GenerateDataKeyPairInput
		code, msg string
	}{
		{"no spec", c, engine.GenerateDataKeyPairInput{KeyID: sym.KeyMetadata.KeyID},
			"ValidationException", "1 validation error detected: Value null at 'keyPairSpec' failed to satisfy constraint: Member must not be null"},
		{"unknown spec", c, engine.GenerateDataKeyPairInput{KeyID: sym.KeyMetadata.KeyID, KeyPairSpec: keystore.MLDSA44},
			"ValidationException", "1 validation error detected: Value 'ML_DSA_44' at 'keyPairSpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, SM2, ECC_NIST_EDWARDS25519]"},
		{"SM2 outside China", c, engine.GenerateDataKeyPairInput{KeyID: sym.KeyMetadata.KeyID, KeyPairSpec: keystore.SM2},
			"ValidationException", "KeyPairSpec SM2 is not supported in this AWS partition."},
		{"SM2 in China, DryRun", cn, engine.GenerateDataKeyPairInput{KeyID: cnKey.KeyMetadata.KeyID, KeyPairSpec: keystore.SM2, DryRun: true},
			"DryRunOperationException", "The request would have succeeded, but the DryRun option is set."},
		{"RSA key", c, engine.GenerateDataKeyPairInput{KeyID: rsaKey.KeyMetadata.KeyID, KeyPairSpec: keystore.ECCNISTP256},
			"InvalidKeyUsageException", "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048."},
		{"HMAC key", c, engine.GenerateDataKeyPairInput{KeyID: hmacKey.KeyMetadata.KeyID, KeyPairSpec: keystore.ECCNISTP256},
			"InvalidKeyUsageException", hmacKey.KeyMetadata.Arn + " key usage is GENERATE_VERIFY_MAC which is not valid for GenerateDataKeyPair."},
		{"DryRun", c, engine.GenerateDataKeyPairInput{KeyID: sym.KeyMetadata.KeyID, KeyPairSpec: keystore.ECCNISTP256, DryRun: true},
			"DryRunOperationException", "The request would have succeeded, but the DryRun option is set."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.Engine.GenerateDataKeyPair(tc.c, tc.in)
			requireAPIError(t, err, tc.code, tc.msg)
			_, err = env.Engine.GenerateDataKeyPairWithoutPlaintext(tc.c, engine.GenerateDataKeyPairWithoutPlaintextInput(tc.in))
			requireAPIError(t, err, tc.code, strings.ReplaceAll(tc.msg, "GenerateDataKeyPair.", "GenerateDataKeyPairWithoutPlaintext."))
		})
	}
	_, err = env.Engine.DisableKey(c, engine.DisableKeyInput{KeyID: sym.KeyMetadata.KeyID})
	require.NoError(t, err)
	_, err = env.Engine.GenerateDataKeyPair(c, engine.GenerateDataKeyPairInput{KeyID: sym.KeyMetadata.KeyID, KeyPairSpec: keystore.ECCNISTP256})
	requireAPIError(t, err, "DisabledException", sym.KeyMetadata.Arn+" is disabled.")
}

// TestAsymmetricSecretsNeverLeak: no response (but GenerateDataKeyPair's
// own PrivateKeyPlaintext), no event and no error shows a data key pair's
// private key, a signing or decrypting key's private key, a signed or MAC'd
// message or an RSA plaintext.
func TestAsymmetricSecretsNeverLeak(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := env.Caller(cryptoHome)
	sym, err := env.Engine.CreateKey(c, engine.CreateKeyInput{})
	require.NoError(t, err)
	ecc, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: keystore.ECCNISTP256, KeyUsage: keystore.SignVerify})
	require.NoError(t, err)
	ed, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: keystore.ECCNISTEdwards25519, KeyUsage: keystore.SignVerify})
	require.NoError(t, err)
	rsaKey, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: keystore.RSA2048, KeyUsage: keystore.EncryptDecrypt})
	require.NoError(t, err)
	hm, err := env.Engine.CreateKey(c, engine.CreateKeyInput{KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC})
	require.NoError(t, err)
	secret := []byte("a secret message, never logged")

	var outputs []any
	var errs []error
	record := func(out any, err error) {
		if err != nil {
			errs = append(errs, err)
			return
		}
		outputs = append(outputs, out)
	}
	pair, err := env.Engine.GenerateDataKeyPair(c, engine.GenerateDataKeyPairInput{KeyID: sym.KeyMetadata.KeyID, KeyPairSpec: keystore.ECCNISTP384})
	require.NoError(t, err)
	privates := [][]byte{bytes.Clone(pair.PrivateKeyPlaintext)}
	wo, err := env.Engine.GenerateDataKeyPairWithoutPlaintext(c, engine.GenerateDataKeyPairWithoutPlaintextInput{KeyID: sym.KeyMetadata.KeyID, KeyPairSpec: keystore.ECCNISTEdwards25519})
	require.NoError(t, err)
	record(wo, nil)
	dec, err := env.Engine.Decrypt(c, engine.DecryptInput{CiphertextBlob: wo.PrivateKeyCiphertextBlob})
	require.NoError(t, err)
	privates = append(privates, bytes.Clone(dec.Plaintext))
	for _, id := range []string{ecc.KeyMetadata.KeyID, ed.KeyMetadata.KeyID} {
		alg := engine.ECDSASHA256
		if id == ed.KeyMetadata.KeyID {
			alg = engine.ED25519SHA512
		}
		s, err := env.Engine.Sign(c, engine.SignInput{KeyID: id, Message: secret, SigningAlgorithm: alg})
		record(s, err)
		require.NoError(t, err)
		record(env.Engine.Verify(c, engine.VerifyInput{KeyID: id, Message: secret, Signature: s.Signature, SigningAlgorithm: alg}))
		record(env.Engine.Verify(c, engine.VerifyInput{KeyID: id, Message: append(bytes.Clone(secret), 1), Signature: s.Signature, SigningAlgorithm: alg}))
		record(env.Engine.GetPublicKey(c, engine.GetPublicKeyInput{KeyID: id}))
	}
	enc, err := env.Engine.Encrypt(c, engine.EncryptInput{KeyID: rsaKey.KeyMetadata.KeyID, Plaintext: secret, EncryptionAlgorithm: engine.RSAESOAEPSHA1})
	record(enc, err)
	require.NoError(t, err)
	record(env.Engine.Encrypt(c, engine.EncryptInput{KeyID: rsaKey.KeyMetadata.KeyID, Plaintext: append(bytes.Clone(secret), make([]byte, 300)...), EncryptionAlgorithm: engine.RSAESOAEPSHA1}))
	record(env.Engine.GetPublicKey(c, engine.GetPublicKeyInput{KeyID: rsaKey.KeyMetadata.KeyID}))
	mac, err := env.Engine.GenerateMac(c, engine.GenerateMacInput{KeyID: hm.KeyMetadata.KeyID, Message: secret, MacAlgorithm: engine.HMACSHA256})
	require.NoError(t, err)
	record(env.Engine.VerifyMac(c, engine.VerifyMacInput{KeyID: hm.KeyMetadata.KeyID, Message: secret, MacAlgorithm: engine.HMACSHA256, Mac: mac.Mac}))
	record(env.Engine.VerifyMac(c, engine.VerifyMacInput{KeyID: hm.KeyMetadata.KeyID, Message: secret, MacAlgorithm: engine.HMACSHA256, Mac: []byte("wrong")}))

	var keyParts [][]byte
	for _, id := range []string{ecc.KeyMetadata.KeyID, ed.KeyMetadata.KeyID, rsaKey.KeyMetadata.KeyID} {
		parts := env.Engine.PrivateKeyParts(kmstest.DefaultAccount, cryptoHome, id)
		require.NotEmpty(t, parts)
		keyParts = append(keyParts, parts...)
	}
	keyParts = append(keyParts, env.Engine.MaterialSecrets(kmstest.DefaultAccount, cryptoHome, hm.KeyMetadata.KeyID)...)

	forms := func(b []byte) []string {
		return []string{string(b), hex.EncodeToString(b), base64.StdEncoding.EncodeToString(b), fmt.Sprint(b), fmt.Sprintf("%x", b)}
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
		scan(fmt.Sprintf("output %d", i), dump(o), append(append([][]byte{}, keyParts...), privates...))
	}
	hidden := append(append([][]byte{secret}, keyParts...), privates...)
	events := env.Engine.Events()
	require.NotEmpty(t, events)
	names := map[string]bool{}
	for _, ev := range events {
		names[ev.Name] = true
		scan("event "+ev.Name, dump(ev), hidden)
	}
	for _, op := range []string{"GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "Sign", "Verify", "GenerateMac", "VerifyMac", "GetPublicKey", "Encrypt"} {
		assert.True(t, names[op], "no %s event", op)
	}
	require.NotEmpty(t, errs)
	for _, err := range errs {
		scan("error", err.Error()+fmt.Sprintf("%+v %#v", err, err), hidden)
	}
}
