package kmshttp_test

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
)

// TestAsymmetricOverHTTP drives the asymmetric and MAC operations through
// the real SDK client and the JSON protocol: bodies pass the model's
// validation both ways, blobs round-trip base64, and the message-less
// KMSInvalidSignatureException and KMSInvalidMacException decode as the
// SDK's types.
func TestAsymmetricOverHTTP(t *testing.T) {
	ctx := t.Context()
	env := kmstest.NewEnv(t)
	h := newHandler(t, env, kmshttp.Config{})
	us := inProcessClient(h, "us-east-1", nil)

	ed, err := us.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecEccNistEdwards25519, KeyUsage: types.KeyUsageTypeSignVerify})
	require.NoError(t, err)
	msg := []byte("signed over HTTP")
	sig, err := us.Sign(ctx, &kms.SignInput{KeyId: ed.KeyMetadata.KeyId, Message: msg, MessageType: types.MessageTypeRaw, SigningAlgorithm: types.SigningAlgorithmSpecEd25519Sha512})
	require.NoError(t, err)
	assert.Equal(t, ed.KeyMetadata.Arn, sig.KeyId)
	v, err := us.Verify(ctx, &kms.VerifyInput{KeyId: ed.KeyMetadata.KeyId, Message: msg, Signature: sig.Signature, SigningAlgorithm: types.SigningAlgorithmSpecEd25519Sha512})
	require.NoError(t, err)
	assert.True(t, v.SignatureValid)
	pk, err := us.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: ed.KeyMetadata.KeyId})
	require.NoError(t, err)
	assert.Equal(t, types.KeySpecEccNistEdwards25519, pk.KeySpec)
	assert.Empty(t, pk.CustomerMasterKeySpec, "outside the deprecated enum")
	assert.Equal(t, []types.SigningAlgorithmSpec{types.SigningAlgorithmSpecEd25519Sha512, types.SigningAlgorithmSpecEd25519PhSha512}, pk.SigningAlgorithms)
	pub, err := x509.ParsePKIXPublicKey(pk.PublicKey)
	require.NoError(t, err)
	assert.True(t, ed25519.Verify(pub.(ed25519.PublicKey), msg, sig.Signature))

	_, err = us.Verify(ctx, &kms.VerifyInput{KeyId: ed.KeyMetadata.KeyId, Message: []byte("changed"), Signature: sig.Signature, SigningAlgorithm: types.SigningAlgorithmSpecEd25519Sha512})
	var is *types.KMSInvalidSignatureException
	require.ErrorAs(t, err, &is)
	assert.Empty(t, aws.ToString(is.Message))
	body := `{"KeyId":"` + *ed.KeyMetadata.KeyId + `","Message":"` + base64.StdEncoding.EncodeToString([]byte("x")) + `","Signature":"` + base64.StdEncoding.EncodeToString(sig.Signature) + `","SigningAlgorithm":"ED25519_SHA_512"}`
	assert.Empty(t, requireError(t, serve(h, kmsRequest("Verify", authHeader("test", "us-east-1"), body)), 400, "KMSInvalidSignatureException"))

	ml, err := us.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecMlDsa87, KeyUsage: types.KeyUsageTypeSignVerify})
	require.NoError(t, err)
	mls, err := us.Sign(ctx, &kms.SignInput{KeyId: ml.KeyMetadata.KeyId, Message: msg, SigningAlgorithm: types.SigningAlgorithmSpecMlDsaShake256})
	require.NoError(t, err)
	assert.Len(t, mls.Signature, 4627, "an ML-DSA-87 signature fits the 6144-byte CiphertextType")
	_, err = us.Verify(ctx, &kms.VerifyInput{KeyId: ml.KeyMetadata.KeyId, Message: msg, Signature: mls.Signature, SigningAlgorithm: types.SigningAlgorithmSpecMlDsaShake256})
	require.NoError(t, err)
	mlpk, err := us.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: ml.KeyMetadata.KeyId})
	require.NoError(t, err)
	assert.Greater(t, len(mlpk.PublicKey), 2592, "ML-DSA-87 SubjectPublicKeyInfo")

	hm, err := us.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecHmac224, KeyUsage: types.KeyUsageTypeGenerateVerifyMac})
	require.NoError(t, err)
	mac, err := us.GenerateMac(ctx, &kms.GenerateMacInput{KeyId: hm.KeyMetadata.KeyId, Message: msg, MacAlgorithm: types.MacAlgorithmSpecHmacSha224})
	require.NoError(t, err)
	assert.Len(t, mac.Mac, 28)
	_, err = us.VerifyMac(ctx, &kms.VerifyMacInput{KeyId: hm.KeyMetadata.KeyId, Message: []byte("changed"), MacAlgorithm: types.MacAlgorithmSpecHmacSha224, Mac: mac.Mac})
	var im *types.KMSInvalidMacException
	require.ErrorAs(t, err, &im)
	assert.Empty(t, aws.ToString(im.Message))
	_, err = us.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: hm.KeyMetadata.KeyId})
	var uo *types.UnsupportedOperationException
	require.ErrorAs(t, err, &uo)

	sym, err := us.CreateKey(ctx, &kms.CreateKeyInput{})
	require.NoError(t, err)
	pair, err := us.GenerateDataKeyPair(ctx, &kms.GenerateDataKeyPairInput{KeyId: sym.KeyMetadata.KeyId, KeyPairSpec: types.DataKeyPairSpecRsa3072})
	require.NoError(t, err)
	_, err = x509.ParsePKCS8PrivateKey(pair.PrivateKeyPlaintext)
	require.NoError(t, err)
	_, err = us.GenerateDataKeyPair(ctx, &kms.GenerateDataKeyPairInput{KeyId: sym.KeyMetadata.KeyId, KeyPairSpec: types.DataKeyPairSpecEccNistP256, Recipient: &types.RecipientInfo{}})
	require.ErrorAs(t, err, &uo)
	rsaKey, err := us.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecRsa2048, KeyUsage: types.KeyUsageTypeEncryptDecrypt})
	require.NoError(t, err)
	enc, err := us.Encrypt(ctx, &kms.EncryptInput{KeyId: rsaKey.KeyMetadata.KeyId, Plaintext: msg, EncryptionAlgorithm: types.EncryptionAlgorithmSpecRsaesOaepSha1})
	require.NoError(t, err)
	dec, err := us.Decrypt(ctx, &kms.DecryptInput{KeyId: rsaKey.KeyMetadata.Arn, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: types.EncryptionAlgorithmSpecRsaesOaepSha1})
	require.NoError(t, err)
	assert.Equal(t, msg, dec.Plaintext)
	assert.Nil(t, dec.KeyMaterialId)
}
