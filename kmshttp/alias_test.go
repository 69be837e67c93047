package kmshttp_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
)

func TestAliasesOverHTTP(t *testing.T) {
	env := kmstest.NewEnv(t)
	srv := newServer(t, env, kmshttp.Config{})
	us := testClient(srv, "us-east-1")
	ctx := t.Context()
	key, err := us.CreateKey(ctx, &kms.CreateKeyInput{})
	require.NoError(t, err)
	id := key.KeyMetadata.KeyId

	_, err = us.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/web"), TargetKeyId: key.KeyMetadata.Arn})
	require.NoError(t, err)
	enc, err := us.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String("alias/web"), Plaintext: []byte("x")})
	require.NoError(t, err)
	assert.Equal(t, *key.KeyMetadata.Arn, *enc.KeyId)

	list, err := us.ListAliases(ctx, nil)
	require.NoError(t, err)
	require.Len(t, list.Aliases, 1)
	assert.Equal(t, "arn:aws:kms:us-east-1:"+kmstest.DefaultAccount+":alias/web", *list.Aliases[0].AliasArn)
	assert.Equal(t, *id, *list.Aliases[0].TargetKeyId)
	assert.False(t, list.Truncated)

	_, err = us.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/aws/x"), TargetKeyId: id})
	var bad *types.InvalidAliasNameException
	require.True(t, errors.As(err, &bad), "%v", err)
	assert.Equal(t, "Alias names cannot begin with alias/aws/.", *bad.Message)

	_, err = us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: aws.String("alias/web"), ReplicaRegion: aws.String("eu-west-1")})
	var arnErr *types.InvalidArnException
	require.True(t, errors.As(err, &arnErr), "%v", err)

	_, err = us.UpdateAlias(ctx, &kms.UpdateAliasInput{AliasName: aws.String("alias/none"), TargetKeyId: id})
	var nf *types.NotFoundException
	require.True(t, errors.As(err, &nf), "%v", err)
	assert.Equal(t, "Alias arn:aws:kms:us-east-1:"+kmstest.DefaultAccount+":alias/none is not found.", *nf.Message)
}
