package engine_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/kmstest"
)

// Alias operations need the permission on the alias (IAM only) and on the
// key (spec §7.6 rule 5); kms:RequestAlias carries the alias a request
// named.
func TestAliasAuthorization(t *testing.T) {
	env := kmstest.NewEnv(t)
	e := env.Engine
	bob := "arn:aws:iam::111122223333:user/bob"
	require.NoError(t, e.CreatePrincipal(bob))
	root := env.Caller("us-east-1")
	as := engine.Caller{Account: kmstest.DefaultAccount, Principal: bob, Region: "us-east-1"}
	key, err := e.CreateKey(root, engine.CreateKeyInput{})
	require.NoError(t, err)
	id := key.KeyMetadata.KeyID

	var denied *kmserrors.AccessDeniedException
	_, err = e.CreateAlias(as, engine.CreateAliasInput{AliasName: "alias/app", TargetKeyID: id})
	require.ErrorAs(t, err, &denied)
	require.Contains(t, denied.Message, "kms:CreateAlias")

	// Allowed on aliases but not on keys: the key side still denies.
	require.NoError(t, e.PutPrincipalPolicy(bob, "alias", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"kms:CreateAlias","Resource":"arn:aws:kms:us-east-1:111122223333:alias/*"}]}`))
	_, err = e.CreateAlias(as, engine.CreateAliasInput{AliasName: "alias/app", TargetKeyID: id})
	require.ErrorAs(t, err, &denied)
	require.Contains(t, denied.Message, key.KeyMetadata.Arn)

	require.NoError(t, e.PutPrincipalPolicy(bob, "key", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"kms:CreateAlias","Resource":"arn:aws:kms:us-east-1:111122223333:key/*"},
		{"Effect":"Allow","Action":"kms:DescribeKey","Resource":"*","Condition":{"StringEquals":{"kms:RequestAlias":"alias/app"}}}]}`))
	_, err = e.CreateAlias(as, engine.CreateAliasInput{AliasName: "alias/app", TargetKeyID: id})
	require.NoError(t, err)

	// DescribeKey is allowed only when the request names the key by that
	// alias.
	_, err = e.DescribeKey(as, engine.DescribeKeyInput{KeyID: "alias/app"})
	require.NoError(t, err)
	_, err = e.DescribeKey(as, engine.DescribeKeyInput{KeyID: id})
	require.ErrorAs(t, err, &denied)
}
