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

func TestAliasesThroughClient(t *testing.T) {
	env := kmstest.NewEnv(t)
	us := env.Client("us-east-1")
	key, err := us.CreateKey(ctx, &kms.CreateKeyInput{})
	require.NoError(t, err)
	id := key.KeyMetadata.KeyId

	_, err = us.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/app"), TargetKeyId: id})
	require.NoError(t, err)
	d, err := us.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/app")})
	require.NoError(t, err)
	assert.Equal(t, *id, *d.KeyMetadata.KeyId)

	list, err := us.ListAliases(ctx, &kms.ListAliasesInput{KeyId: id})
	require.NoError(t, err)
	require.Len(t, list.Aliases, 1)
	assert.Equal(t, "alias/app", *list.Aliases[0].AliasName)
	assert.Equal(t, *id, *list.Aliases[0].TargetKeyId)
	assert.NotNil(t, list.Aliases[0].CreationDate)
	assert.Nil(t, list.NextMarker)

	_, err = us.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/app"), TargetKeyId: id})
	var exists *types.AlreadyExistsException
	require.True(t, errors.As(err, &exists), "%v", err)

	// Required members are checked by the client, before sending.
	_, err = us.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/b")})
	var invalid smithy.InvalidParamsError
	require.True(t, errors.As(err, &invalid), "%v", err)
	_, err = us.UpdateAlias(ctx, &kms.UpdateAliasInput{TargetKeyId: id})
	require.True(t, errors.As(err, &invalid), "%v", err)
	_, err = us.DeleteAlias(ctx, &kms.DeleteAliasInput{})
	require.True(t, errors.As(err, &invalid), "%v", err)

	_, err = us.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String("alias/app")})
	require.NoError(t, err)
	_, err = us.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String("alias/app")})
	var nf *types.NotFoundException
	require.True(t, errors.As(err, &nf), "%v", err)
}
