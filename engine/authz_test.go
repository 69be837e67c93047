package engine_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/kmstest"
)

const alice = "arn:aws:iam::111122223333:user/alice"

func TestAuthorizationThroughIAMAndKeyPolicy(t *testing.T) {
	env := kmstest.NewEnv(t)
	e := env.Engine
	require.NoError(t, e.CreatePrincipal(alice))
	root := env.Caller("us-east-1")
	as := engine.Caller{Account: kmstest.DefaultAccount, Principal: alice, Region: "us-east-1"}

	key, err := e.CreateKey(root, engine.CreateKeyInput{MultiRegion: true})
	require.NoError(t, err)
	id := key.KeyMetadata.KeyID

	// No IAM policy: the default key policy delegates to IAM, which
	// allows nothing.
	_, err = e.DescribeKey(as, engine.DescribeKeyInput{KeyID: id})
	var denied *kmserrors.AccessDeniedException
	require.ErrorAs(t, err, &denied)
	require.Equal(t, "User: "+alice+" is not authorized to perform: kms:DescribeKey on resource: "+
		key.KeyMetadata.Arn+" because no identity-based policy allows the kms:DescribeKey action", denied.Message)

	require.NoError(t, e.PutPrincipalPolicy(alice, "describe", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"kms:DescribeKey","Resource":"*"}]}`))
	_, err = e.DescribeKey(as, engine.DescribeKeyInput{KeyID: id})
	require.NoError(t, err)

	// ReplicateKey also needs kms:CreateKey in the replica Region.
	require.NoError(t, e.PutPrincipalPolicy(alice, "replicate", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"kms:ReplicateKey","Resource":"*"}]}`))
	_, err = e.ReplicateKey(as, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1"})
	require.ErrorAs(t, err, &denied)
	require.Contains(t, denied.Message, "kms:CreateKey")
	require.NoError(t, e.PutPrincipalPolicy(alice, "create", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"kms:CreateKey","Resource":"*",
		 "Condition":{"StringEquals":{"kms:MultiRegionKeyType":"REPLICA","aws:RequestedRegion":"eu-west-1"}}}]}`))
	_, err = e.ReplicateKey(as, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "ap-southeast-2"})
	require.ErrorAs(t, err, &denied, "the condition limits replicas to eu-west-1")
	_, err = e.ReplicateKey(as, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1"})
	require.NoError(t, err)

	// A key policy Deny wins over every Allow, even for the root user.
	deny := `{"Version":"2012-10-17","Statement":[
		{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
		{"Sid":"No replicas","Effect":"Deny","Principal":"*","Action":"kms:ReplicateKey","Resource":"*"}]}`
	_, err = e.PutKeyPolicy(root, engine.PutKeyPolicyInput{KeyID: id, Policy: deny})
	require.NoError(t, err)
	got, err := e.GetKeyPolicy(root, engine.GetKeyPolicyInput{KeyID: id})
	require.NoError(t, err)
	require.Equal(t, deny, got.Policy)
	_, err = e.ReplicateKey(root, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"})
	require.ErrorAs(t, err, &denied)
	require.Contains(t, denied.Message, "with an explicit deny in a resource-based policy")

	// Switched off, nothing is denied.
	open := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{DisableAuthorization: true}))
	require.NoError(t, open.Engine.CreatePrincipal(alice))
	_, err = open.Engine.CreateKey(as, engine.CreateKeyInput{})
	require.NoError(t, err)
}

func TestPolicyValidationOnCreateAndReplicate(t *testing.T) {
	env := kmstest.NewEnv(t)
	root := env.Caller("us-east-1")
	var malformed *kmserrors.MalformedPolicyDocumentException

	// Lockout: a policy that does not let the caller put the policy again.
	lockout := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + alice + `"},"Action":"kms:*","Resource":"*"}]}`
	require.NoError(t, env.Engine.CreatePrincipal(alice))
	_, err := env.Engine.CreateKey(root, engine.CreateKeyInput{Policy: lockout})
	require.ErrorAs(t, err, &malformed)
	require.Equal(t, "The new key policy will not allow you to update the key policy in the future.", malformed.Message)
	_, err = env.Engine.CreateKey(root, engine.CreateKeyInput{Policy: lockout, BypassPolicyLockoutSafetyCheck: true})
	require.NoError(t, err)

	// Unknown principal.
	ghost := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/ghost"},"Action":"kms:*","Resource":"*"}]}`
	out, err := env.Engine.CreateKey(root, engine.CreateKeyInput{MultiRegion: true})
	require.NoError(t, err)
	_, err = env.Engine.ReplicateKey(root, engine.ReplicateKeyInput{KeyID: out.KeyMetadata.KeyID, ReplicaRegion: "eu-west-1", Policy: ghost})
	require.ErrorAs(t, err, &malformed)
	require.Equal(t, "Policy contains a statement with one or more invalid principals.", malformed.Message)
	_, err = env.Engine.DescribeKey(env.Caller("eu-west-1"), engine.DescribeKeyInput{KeyID: out.KeyMetadata.KeyID})
	var nf *kmserrors.NotFoundException
	require.ErrorAs(t, err, &nf, "a rejected policy leaves no replica")

	// Too large.
	big := `{"Version":"2012-10-17","Id":"` + string(make([]byte, 0)) + pad(33000) + `","Statement":[]}`
	_, err = env.Engine.CreateKey(root, engine.CreateKeyInput{Policy: big})
	var limit *kmserrors.LimitExceededException
	require.ErrorAs(t, err, &limit)

	// Policy names other than default.
	_, err = env.Engine.GetKeyPolicy(root, engine.GetKeyPolicyInput{KeyID: out.KeyMetadata.KeyID, PolicyName: "other"})
	require.ErrorAs(t, err, &nf)
	names, err := env.Engine.ListKeyPolicies(root, engine.ListKeyPoliciesInput{KeyID: out.KeyMetadata.KeyID})
	require.NoError(t, err)
	require.Equal(t, []string{"default"}, names.PolicyNames)
}

func pad(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'x'
	}
	return string(b)
}
