package kmshttp_test

import (
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

func TestCryptoOverHTTP(t *testing.T) {
	ctx := t.Context()
	env := kmstest.NewEnv(t)
	h := newHandler(t, env, kmshttp.Config{})
	us, west := inProcessClient(h, "us-east-1", nil), inProcessClient(h, "us-west-2", nil)
	key, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	require.NoError(t, err)
	id := key.KeyMetadata.KeyId
	require.NotNil(t, key.KeyMetadata.CurrentKeyMaterialId)
	_, err = us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: id, ReplicaRegion: aws.String("us-west-2")})
	require.NoError(t, err)
	env.Settle()

	ec := map[string]string{"ключ": "значение"}
	enc, err := us.Encrypt(ctx, &kms.EncryptInput{KeyId: id, Plaintext: []byte("over the wire"), EncryptionContext: ec})
	require.NoError(t, err)
	dec, err := west.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec, KeyId: id})
	require.NoError(t, err)
	assert.Equal(t, []byte("over the wire"), dec.Plaintext)
	assert.Equal(t, *key.KeyMetadata.CurrentKeyMaterialId, *dec.KeyMaterialId)
	d, err := west.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id})
	require.NoError(t, err)
	assert.Equal(t, key.KeyMetadata.CurrentKeyMaterialId, d.KeyMetadata.CurrentKeyMaterialId)

	gdk, err := west.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: id, KeySpec: types.DataKeySpecAes256})
	require.NoError(t, err)
	dec, err = us.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: gdk.CiphertextBlob})
	require.NoError(t, err)
	assert.Equal(t, gdk.Plaintext, dec.Plaintext)

	// InvalidCiphertextException goes out with no message member.
	bad := append([]byte(nil), enc.CiphertextBlob...)
	bad[len(bad)-1] ^= 1
	body := `{"CiphertextBlob":"` + base64.StdEncoding.EncodeToString(bad) + `"}`
	msg := requireError(t, serve(h, kmsRequest("Decrypt", authHeader("test", "us-west-2"), body)), 400, "InvalidCiphertextException")
	assert.Empty(t, msg)
	_, err = west.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: bad})
	var ic *types.InvalidCiphertextException
	require.ErrorAs(t, err, &ic)
	assert.Nil(t, ic.Message)

	_, err = inProcessClient(h, "ap-south-1", nil).Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AccessDeniedException")
}

func TestReEncryptAndGenerateRandomOverHTTP(t *testing.T) {
	ctx := t.Context()
	env := kmstest.NewEnv(t)
	h := newHandler(t, env, kmshttp.Config{})
	us, west := inProcessClient(h, "us-east-1", nil), inProcessClient(h, "us-west-2", nil)
	key, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	require.NoError(t, err)
	id := key.KeyMetadata.KeyId
	rep, err := us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: id, ReplicaRegion: aws.String("us-west-2")})
	require.NoError(t, err)
	env.Settle()

	ec := map[string]string{"a": "b"}
	enc, err := us.Encrypt(ctx, &kms.EncryptInput{KeyId: id, Plaintext: []byte("over the wire"), EncryptionContext: ec})
	require.NoError(t, err)
	re, err := west.ReEncrypt(ctx, &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: ec, SourceKeyId: id, DestinationKeyId: id})
	require.NoError(t, err)
	assert.Equal(t, *rep.ReplicaKeyMetadata.Arn, *re.SourceKeyId)
	assert.Equal(t, *rep.ReplicaKeyMetadata.Arn, *re.KeyId)
	assert.Equal(t, types.EncryptionAlgorithmSpecSymmetricDefault, re.SourceEncryptionAlgorithm)
	assert.Equal(t, *key.KeyMetadata.CurrentKeyMaterialId, *re.DestinationKeyMaterialId)
	dec, err := us.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: re.CiphertextBlob})
	require.NoError(t, err)
	assert.Equal(t, []byte("over the wire"), dec.Plaintext)

	_, err = west.ReEncrypt(ctx, &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: ec, DestinationKeyId: id, DryRun: aws.Bool(true)})
	var dr *types.DryRunOperationException
	assert.ErrorAs(t, err, &dr)

	r, err := us.GenerateRandom(ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(1024)})
	require.NoError(t, err)
	assert.Len(t, r.Plaintext, 1024)
	_, err = us.GenerateRandom(ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(0)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ValidationException")
}
