package kmssdk_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/kmstest"
)

func TestCryptoThroughClient(t *testing.T) {
	env := kmstest.NewEnv(t)
	us, eu := env.Client("us-east-1"), env.Client("eu-west-1")
	key, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	require.NoError(t, err)
	id := key.KeyMetadata.KeyId
	require.NotNil(t, key.KeyMetadata.CurrentKeyMaterialId)
	rep, err := us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: id, ReplicaRegion: aws.String("eu-west-1")})
	require.NoError(t, err)
	assert.Nil(t, rep.ReplicaKeyMetadata.CurrentKeyMaterialId)
	env.Settle()

	ec := map[string]string{"k": "v"}
	enc, err := us.Encrypt(ctx, &kms.EncryptInput{KeyId: id, Plaintext: []byte("hello"), EncryptionContext: ec})
	require.NoError(t, err)
	assert.Equal(t, types.EncryptionAlgorithmSpecSymmetricDefault, enc.EncryptionAlgorithm)
	dec, err := eu.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec})
	require.NoError(t, err)
	assert.Equal(t, []byte("hello"), dec.Plaintext)
	assert.Equal(t, *rep.ReplicaKeyMetadata.Arn, *dec.KeyId)
	assert.Equal(t, *key.KeyMetadata.CurrentKeyMaterialId, *dec.KeyMaterialId)

	gdk, err := eu.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: id, KeySpec: types.DataKeySpecAes128})
	require.NoError(t, err)
	assert.Len(t, gdk.Plaintext, 16)
	dec, err = us.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: gdk.CiphertextBlob, KeyId: id})
	require.NoError(t, err)
	assert.Equal(t, gdk.Plaintext, dec.Plaintext)
	wp, err := us.GenerateDataKeyWithoutPlaintext(ctx, &kms.GenerateDataKeyWithoutPlaintextInput{KeyId: id, NumberOfBytes: aws.Int32(7)})
	require.NoError(t, err)
	assert.NotEmpty(t, wp.CiphertextBlob)

	_, err = eu.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	var ic *types.InvalidCiphertextException
	require.ErrorAs(t, err, &ic)
	assert.Nil(t, ic.Message, "KMS sends no message")

	_, err = eu.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec, KeyId: key.KeyMetadata.Arn})
	var ik *types.IncorrectKeyException
	assert.ErrorAs(t, err, &ik)

	var api smithy.APIError
	_, err = us.Encrypt(ctx, &kms.EncryptInput{KeyId: id, Plaintext: []byte{}})
	require.True(t, errors.As(err, &api))
	assert.Equal(t, "ValidationException", api.ErrorCode())
	assert.Equal(t, "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1", api.ErrorMessage())
	_, err = us.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: id, NumberOfBytes: aws.Int32(0)})
	require.True(t, errors.As(err, &api))
	assert.Equal(t, "ValidationException", api.ErrorCode())
}

func TestReEncryptAndGenerateRandomThroughClient(t *testing.T) {
	env := kmstest.NewEnv(t)
	us, eu := env.Client("us-east-1"), env.Client("eu-west-1")
	key, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	require.NoError(t, err)
	id := key.KeyMetadata.KeyId
	rep, err := us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: id, ReplicaRegion: aws.String("eu-west-1")})
	require.NoError(t, err)
	env.Settle()
	other, err := eu.CreateKey(ctx, &kms.CreateKeyInput{})
	require.NoError(t, err)

	enc, err := us.Encrypt(ctx, &kms.EncryptInput{KeyId: id, Plaintext: []byte("move me")})
	require.NoError(t, err)
	re, err := eu.ReEncrypt(ctx, &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: other.KeyMetadata.KeyId,
		DestinationEncryptionContext: map[string]string{"k": "v"}})
	require.NoError(t, err)
	assert.Equal(t, *rep.ReplicaKeyMetadata.Arn, *re.SourceKeyId)
	assert.Equal(t, *other.KeyMetadata.Arn, *re.KeyId)
	assert.Equal(t, types.EncryptionAlgorithmSpecSymmetricDefault, re.DestinationEncryptionAlgorithm)
	assert.Equal(t, *key.KeyMetadata.CurrentKeyMaterialId, *re.SourceKeyMaterialId)
	assert.Equal(t, *other.KeyMetadata.CurrentKeyMaterialId, *re.DestinationKeyMaterialId)
	dec, err := eu.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: re.CiphertextBlob, EncryptionContext: map[string]string{"k": "v"}})
	require.NoError(t, err)
	assert.Equal(t, []byte("move me"), dec.Plaintext)

	_, err = eu.ReEncrypt(ctx, &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, SourceKeyId: other.KeyMetadata.KeyId, DestinationKeyId: id})
	var ik *types.IncorrectKeyException
	assert.ErrorAs(t, err, &ik)
	// DestinationKeyId is required client-side.
	_, err = eu.ReEncrypt(ctx, &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob})
	var ip smithy.InvalidParamsError
	assert.ErrorAs(t, err, &ip)

	r, err := us.GenerateRandom(ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(48)})
	require.NoError(t, err)
	assert.Len(t, r.Plaintext, 48)
	var api smithy.APIError
	_, err = us.GenerateRandom(ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(1025)})
	require.True(t, errors.As(err, &api))
	assert.Equal(t, "ValidationException", api.ErrorCode())
	_, err = us.GenerateRandom(ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(1), Recipient: &types.RecipientInfo{}})
	var uo *types.UnsupportedOperationException
	assert.ErrorAs(t, err, &uo)
	_, err = us.GenerateRandom(ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(1), CustomKeyStoreId: aws.String("cks-1")})
	var cks *types.CustomKeyStoreNotFoundException
	assert.ErrorAs(t, err, &cks)
}
