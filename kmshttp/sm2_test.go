package kmshttp_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// An aws-cn account signs requests with an access key of its root user:
// the "test" key belongs to the default aws account, whose keys live in
// another partition.
const (
	cnAccount = "222233334444"
	cnAKID    = "AKIDCHINAROOT"
	cnSecret  = "china-secret"
)

// cnServer serves an engine with the aws-cn account and its access key.
func cnServer(t *testing.T) (*kmstest.Env, *httptest.Server) {
	t.Helper()
	env := kmstest.NewEnv(t, kmstest.Seed(11))
	require.NoError(t, env.Engine.CreateAccount(engine.AccountInput{ID: cnAccount, Partition: "aws-cn"}))
	require.NoError(t, env.Engine.CreateAccessKey(engine.AccessKey{
		ID: cnAKID, Secret: cnSecret, Account: cnAccount, Principal: region.RootARN("aws-cn", cnAccount),
	}))
	return env, newServer(t, env, kmshttp.Config{})
}

// sdkPublicKey parses a DER SubjectPublicKeyInfo of an SM2 key as a
// China-Region client would, with gmsm's x509.
func sdkPublicKey(t *testing.T, der []byte) *ecdsa.PublicKey {
	t.Helper()
	pub, err := smx509.ParsePKIXPublicKey(der)
	require.NoError(t, err)
	k, ok := pub.(*ecdsa.PublicKey)
	require.True(t, ok && sm2.IsSM2PublicKey(k), "%T", pub)
	return k
}

func requireAPIError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var api smithy.APIError
	require.True(t, errors.As(err, &api), "%v", err)
	assert.Equal(t, code, api.ErrorCode())
	assert.Equal(t, msg, api.ErrorMessage())
}

// SM2 keys and SM2-wrapped imports in the two China Regions through the
// real SDK client. With BaseEndpoint set the SDK's endpoint resolver
// uses it for cn Regions as for any other (the amazonaws.com.cn DNS
// suffix never comes into play), and signs with the client's Region,
// which is how kmshttp learns the Region.
func TestSM2ChinaRegionsSDK(t *testing.T) {
	env, srv := cnServer(t)
	north, west := newClient(srv, "cn-north-1", cnAKID, cnSecret), newClient(srv, "cn-northwest-1", cnAKID, cnSecret)
	ctx := t.Context()
	arn := func(r region.ID, id string) string { return region.KeyARN("aws-cn", r, cnAccount, id) }

	// replicate replicates key id to cn-northwest-1 and lets the replica
	// finish Creating.
	replicate := func(t *testing.T, id string) {
		t.Helper()
		rep, err := north.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String("cn-northwest-1")})
		require.NoError(t, err)
		assert.Equal(t, arn("cn-northwest-1", id), *rep.ReplicaKeyMetadata.Arn)
		env.Settle()
	}
	// create creates a multi-Region key in cn-north-1.
	create := func(t *testing.T, in kms.CreateKeyInput) string {
		t.Helper()
		in.MultiRegion = aws.Bool(true)
		out, err := north.CreateKey(ctx, &in)
		require.NoError(t, err)
		id := *out.KeyMetadata.KeyId
		assert.Equal(t, arn("cn-north-1", id), *out.KeyMetadata.Arn)
		return id
	}
	// mrk creates a multi-Region key with a replica.
	mrk := func(t *testing.T, in kms.CreateKeyInput) string {
		t.Helper()
		id := create(t, in)
		replicate(t, id)
		return id
	}

	t.Run("SignVerify", func(t *testing.T) {
		id := mrk(t, kms.CreateKeyInput{KeySpec: types.KeySpecSm2, KeyUsage: types.KeyUsageTypeSignVerify})
		pk, err := west.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(id)})
		require.NoError(t, err)
		assert.Equal(t, types.KeySpecSm2, pk.KeySpec)
		assert.Equal(t, types.KeyUsageTypeSignVerify, pk.KeyUsage)
		assert.Equal(t, []types.SigningAlgorithmSpec{types.SigningAlgorithmSpecSm2dsa}, pk.SigningAlgorithms)
		assert.Equal(t, arn("cn-northwest-1", id), *pk.KeyId)
		pub := sdkPublicKey(t, pk.PublicKey)

		msg := []byte("signed in Beijing, verified in Ningxia")
		sig, err := north.Sign(ctx, &kms.SignInput{KeyId: aws.String(id), Message: msg, SigningAlgorithm: types.SigningAlgorithmSpecSm2dsa})
		require.NoError(t, err)
		ok, err := west.Verify(ctx, &kms.VerifyInput{KeyId: aws.String(id), Message: msg, Signature: sig.Signature, SigningAlgorithm: types.SigningAlgorithmSpecSm2dsa})
		require.NoError(t, err)
		assert.True(t, ok.SignatureValid)
		// Offline, with the default distinguishing ID of KMS's guide.
		assert.True(t, sm2.VerifyASN1WithSM2(pub, []byte("1234567812345678"), msg, sig.Signature))

		sig2, err := west.Sign(ctx, &kms.SignInput{KeyId: aws.String(id), Message: msg, SigningAlgorithm: types.SigningAlgorithmSpecSm2dsa})
		require.NoError(t, err)
		ok, err = north.Verify(ctx, &kms.VerifyInput{KeyId: aws.String(id), Message: msg, Signature: sig2.Signature, SigningAlgorithm: types.SigningAlgorithmSpecSm2dsa})
		require.NoError(t, err)
		assert.True(t, ok.SignatureValid)
		_, err = north.Verify(ctx, &kms.VerifyInput{KeyId: aws.String(id), Message: []byte("other"), Signature: sig2.Signature, SigningAlgorithm: types.SigningAlgorithmSpecSm2dsa})
		var invalid *types.KMSInvalidSignatureException
		assert.ErrorAs(t, err, &invalid)
	})

	t.Run("EncryptDecrypt", func(t *testing.T) {
		id := mrk(t, kms.CreateKeyInput{KeySpec: types.KeySpecSm2, KeyUsage: types.KeyUsageTypeEncryptDecrypt})
		pk, err := north.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(id)})
		require.NoError(t, err)
		assert.Equal(t, []types.EncryptionAlgorithmSpec{types.EncryptionAlgorithmSpecSm2pke}, pk.EncryptionAlgorithms)
		pub := sdkPublicKey(t, pk.PublicKey)

		msg := []byte("encrypted in one China Region, decrypted in the other")
		enc, err := west.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: msg, EncryptionAlgorithm: types.EncryptionAlgorithmSpecSm2pke})
		require.NoError(t, err)
		assert.Equal(t, arn("cn-northwest-1", id), *enc.KeyId)
		dec, err := north.Decrypt(ctx, &kms.DecryptInput{KeyId: aws.String(id), CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: types.EncryptionAlgorithmSpecSm2pke})
		require.NoError(t, err)
		assert.Equal(t, msg, dec.Plaintext)
		assert.Equal(t, arn("cn-north-1", id), *dec.KeyId)

		// Ciphertext made offline under the public key decrypts too.
		offline, err := keystore.SM2Encrypt(rand.Reader, pub, msg)
		require.NoError(t, err)
		dec, err = west.Decrypt(ctx, &kms.DecryptInput{KeyId: aws.String(id), CiphertextBlob: offline, EncryptionAlgorithm: types.EncryptionAlgorithmSpecSm2pke})
		require.NoError(t, err)
		assert.Equal(t, msg, dec.Plaintext)
	})

	t.Run("GenerateDataKeyPair", func(t *testing.T) {
		id := mrk(t, kms.CreateKeyInput{})
		pair, err := north.GenerateDataKeyPair(ctx, &kms.GenerateDataKeyPairInput{KeyId: aws.String(id), KeyPairSpec: types.DataKeyPairSpecSm2})
		require.NoError(t, err)
		assert.Equal(t, types.DataKeyPairSpecSm2, pair.KeyPairSpec)
		priv, err := smx509.ParsePKCS8PrivateKey(pair.PrivateKeyPlaintext)
		require.NoError(t, err)
		sk, ok := priv.(*sm2.PrivateKey)
		require.True(t, ok, "%T", priv)
		pub := sdkPublicKey(t, pair.PublicKey)
		assert.True(t, pub.Equal(&sk.PublicKey))
		// The replica opens the encrypted private key.
		dec, err := west.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: pair.PrivateKeyCiphertextBlob})
		require.NoError(t, err)
		assert.Equal(t, pair.PrivateKeyPlaintext, dec.Plaintext)
		assert.Equal(t, arn("cn-northwest-1", id), *dec.KeyId)
	})

	t.Run("ImportSM2Wrapped", func(t *testing.T) {
		// A replica needs the primary's material first.
		id := create(t, kms.CreateKeyInput{Origin: types.OriginTypeExternal})
		secret := bytes.Repeat([]byte{0x5a}, 32)
		imp := func(c *kms.Client, r region.ID) *kms.ImportKeyMaterialOutput {
			t.Helper()
			p, err := c.GetParametersForImport(ctx, &kms.GetParametersForImportInput{
				KeyId: aws.String(id), WrappingAlgorithm: types.AlgorithmSpecSm2pke, WrappingKeySpec: types.WrappingKeySpecSm2,
			})
			require.NoError(t, err)
			assert.Equal(t, arn(r, id), *p.KeyId)
			wrapped, err := keystore.SM2Encrypt(rand.Reader, sdkPublicKey(t, p.PublicKey), secret)
			require.NoError(t, err)
			out, err := c.ImportKeyMaterial(ctx, &kms.ImportKeyMaterialInput{
				KeyId: aws.String(id), ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapped,
				ExpirationModel: types.ExpirationModelTypeKeyMaterialDoesNotExpire,
			})
			require.NoError(t, err)
			return out
		}
		primary := imp(north, "cn-north-1")
		replicate(t, id)
		replica := imp(west, "cn-northwest-1")
		assert.Equal(t, *primary.KeyMaterialId, *replica.KeyMaterialId, "the same material in both Regions")
		d, err := west.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
		require.NoError(t, err)
		assert.Equal(t, types.KeyStateEnabled, d.KeyMetadata.KeyState)

		msg := []byte("under imported material")
		enc, err := north.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: msg})
		require.NoError(t, err)
		dec, err := west.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
		require.NoError(t, err)
		assert.Equal(t, msg, dec.Plaintext)
		enc, err = west.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(id), Plaintext: msg})
		require.NoError(t, err)
		dec, err = north.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
		require.NoError(t, err)
		assert.Equal(t, msg, dec.Plaintext)

		// A mismatched pair fails over the wire as in the engine.
		_, err = north.GetParametersForImport(ctx, &kms.GetParametersForImportInput{
			KeyId: aws.String(id), WrappingAlgorithm: types.AlgorithmSpecSm2pke, WrappingKeySpec: types.WrappingKeySpecRsa2048,
		})
		requireAPIError(t, err, "ValidationException", "WrappingAlgorithm SM2PKE can be used only with WrappingKeySpec SM2, not RSA_2048.")
	})

	t.Run("SM2WrappingOutsideChina", func(t *testing.T) {
		us := testClient(srv, "us-east-1")
		out, err := us.CreateKey(ctx, &kms.CreateKeyInput{Origin: types.OriginTypeExternal})
		require.NoError(t, err)
		_, err = us.GetParametersForImport(ctx, &kms.GetParametersForImportInput{
			KeyId: out.KeyMetadata.KeyId, WrappingAlgorithm: types.AlgorithmSpecSm2pke, WrappingKeySpec: types.WrappingKeySpecSm2,
		})
		requireAPIError(t, err, "ValidationException", "WrappingKeySpec SM2 is not supported in this AWS partition.")
	})
}
