package kmssdk_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/policy"
)

// ownPolicy returns a compact key policy that lets the account's
// principals do everything, with a Sid to tell policies apart.
func ownPolicy(sid string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"` + sid + `","Effect":"Allow",` +
		`"Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`
}

// getPolicy returns the key policy of id, asking for policyName (nil:
// omitted).
func getPolicy(t *testing.T, c kmssdk.API, id string, policyName *string) string {
	t.Helper()
	out, err := c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(id), PolicyName: policyName})
	require.NoError(t, err)
	assert.Equal(t, "default", aws.ToString(out.PolicyName))
	return aws.ToString(out.Policy)
}

// A key's policy is the default one byte for byte until PutKeyPolicy
// replaces it; the submitted text comes back as it was sent.
func TestKeyPolicyRoundTrip(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := kmssdk.New(env.Engine)
	key, err := c.CreateKey(ctx, nil)
	require.NoError(t, err)
	id := *key.KeyMetadata.KeyId

	def := policy.Default("aws", kmstest.DefaultAccount)
	assert.Equal(t, def, getPolicy(t, c, id, nil))
	assert.Equal(t, def, getPolicy(t, c, *key.KeyMetadata.Arn, aws.String("default")))

	list, err := c.ListKeyPolicies(ctx, &kms.ListKeyPoliciesInput{KeyId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, []string{"default"}, list.PolicyNames)
	assert.False(t, list.Truncated)
	assert.Nil(t, list.NextMarker)

	// PolicyName omitted, then "default"; odd spacing survives.
	for i, name := range []*string{nil, aws.String("default")} {
		text := strings.ReplaceAll(ownPolicy("round"+string(rune('A'+i))), ",", " ,\n\t")
		out, err := c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(id), PolicyName: name, Policy: aws.String(text)})
		require.NoError(t, err)
		assert.Equal(t, &kms.PutKeyPolicyOutput{}, out)
		assert.Equal(t, text, getPolicy(t, c, id, nil))
		assert.Equal(t, text, getPolicy(t, c, id, aws.String("default")))
	}
}

// The required members of the policy operations are checked as the real
// client checks them, before anything reaches the engine.
func TestKeyPolicyRequiredMembers(t *testing.T) {
	env := kmstest.NewEnv(t)
	sim := kmssdk.New(env.Engine)
	real := realClient(t, 0, "", "")
	calls := map[string]func(kmssdk.API) error{
		"PutKeyPolicy/nil": func(c kmssdk.API) error { _, err := c.PutKeyPolicy(ctx, nil); return err },
		"PutKeyPolicy/noKeyId": func(c kmssdk.API) error {
			_, err := c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{Policy: aws.String(ownPolicy("x"))})
			return err
		},
		"PutKeyPolicy/noPolicy": func(c kmssdk.API) error {
			_, err := c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String("k"), PolicyName: aws.String("default")})
			return err
		},
		"GetKeyPolicy": func(c kmssdk.API) error {
			_, err := c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{PolicyName: aws.String("default")})
			return err
		},
		"ListKeyPolicies": func(c kmssdk.API) error {
			_, err := c.ListKeyPolicies(ctx, &kms.ListKeyPoliciesInput{Limit: aws.Int32(1)})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			simErr, realErr := call(sim), call(real)
			var simParams, realParams smithy.InvalidParamsError
			require.True(t, errors.As(simErr, &simParams), "%T: %v", simErr, simErr)
			require.True(t, errors.As(realErr, &realParams), "%T: %v", realErr, realErr)
			assert.Equal(t, realParams, simParams)
			assert.Equal(t, realErr.Error(), simErr.Error())
		})
	}
	assert.Empty(t, env.Engine.Events(), "nothing reached the engine")
}

// The errors of the policy operations come back as the real client's
// types.
func TestKeyPolicyErrors(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := kmssdk.New(env.Engine)
	key, err := c.CreateKey(ctx, nil)
	require.NoError(t, err)
	id := key.KeyMetadata.KeyId
	put := func(text string, bypass bool) error {
		_, err := c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: id, Policy: aws.String(text), BypassPolicyLockoutSafetyCheck: bypass})
		return err
	}

	for name, text := range map[string]string{
		"notJSON":        "not json",
		"noStatement":    `{"Version":"2012-10-17"}`,
		"noPrincipal":    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`,
		"badEffect":      strings.Replace(ownPolicy("x"), `"Allow"`, `"Maybe"`, 1),
		"unknownUser":    strings.Replace(ownPolicy("x"), ":root", ":user/nobody", 1),
		"unknownAccount": strings.Replace(ownPolicy("x"), "111122223333", "999999999999", 1),
	} {
		t.Run("Malformed/"+name, func(t *testing.T) {
			err := put(text, false)
			checkError(t, err, "PutKeyPolicy", "MalformedPolicyDocumentException")
			var mp *types.MalformedPolicyDocumentException
			assert.True(t, errors.As(err, &mp))
		})
	}

	// A policy that would lock the caller out is refused unless bypassed.
	lockout := strings.Replace(ownPolicy("lockout"), `"kms:*"`, `["kms:Describe*","kms:Get*","kms:List*"]`, 1)
	err = put(lockout, false)
	checkError(t, err, "PutKeyPolicy", "MalformedPolicyDocumentException")
	assert.Equal(t, policy.Default("aws", kmstest.DefaultAccount), getPolicy(t, c, *id, nil), "the refused policy was not stored")

	// Too large for the quota but within the model's length.
	large := ownPolicy("large") + strings.Repeat(" ", policy.DefaultMaxBytes)
	err = put(large, false)
	checkError(t, err, "PutKeyPolicy", "LimitExceededException")
	var le *types.LimitExceededException
	assert.True(t, errors.As(err, &le))

	// Characters outside the model pattern, and an empty policy.
	checkError(t, put("{\"a\":\"\u0100\"}", false), "PutKeyPolicy", "ValidationException")
	checkError(t, put("", false), "PutKeyPolicy", "ValidationException")

	// Only "default" names a policy.
	_, err = c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: id, PolicyName: aws.String("other")})
	checkError(t, err, "GetKeyPolicy", "NotFoundException")
	_, err = c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: id, PolicyName: aws.String("other"), Policy: aws.String(ownPolicy("x"))})
	checkError(t, err, "PutKeyPolicy", "NotFoundException")
	_, err = c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: id, PolicyName: aws.String("bad-name")})
	checkError(t, err, "GetKeyPolicy", "ValidationException")
	_, err = c.ListKeyPolicies(ctx, &kms.ListKeyPoliciesInput{KeyId: aws.String("mrk-00000000000000000000000000000000")})
	checkError(t, err, "ListKeyPolicies", "NotFoundException")

	// The lockout policy goes in with the bypass; then PutKeyPolicy
	// itself is denied, while reading the policy still works.
	require.NoError(t, put(lockout, true))
	assert.Equal(t, lockout, getPolicy(t, c, *id, nil))
	err = put(ownPolicy("back"), true)
	checkError(t, err, "PutKeyPolicy", "AccessDeniedException")
	var generic *smithy.GenericAPIError
	require.True(t, errors.As(err, &generic), "AccessDeniedException is not in the KMS model")
	assert.Equal(t, "AccessDeniedException", generic.ErrorCode())
}

// AccessDeniedException through a Client is the real client's error for
// the same response.
func TestAccessDeniedMatchesRealClient(t *testing.T) {
	env := kmstest.NewEnv(t)
	const user = "arn:aws:iam::111122223333:user/nobody"
	require.NoError(t, env.Engine.CreatePrincipal(user))
	root := kmssdk.New(env.Engine)
	key, err := root.CreateKey(ctx, nil)
	require.NoError(t, err)

	get := func(c kmssdk.API) error {
		_, err := c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: key.KeyMetadata.KeyId})
		return err
	}
	simErr := get(kmssdk.New(env.Engine, kmssdk.WithCaller(kmstest.DefaultAccount, user)))
	checkError(t, simErr, "GetKeyPolicy", "AccessDeniedException")
	var simAPI smithy.APIError
	require.True(t, errors.As(simErr, &simAPI))
	body := `{"__type":"AccessDeniedException","message":"` + simAPI.ErrorMessage() + `"}`
	realErr := get(realClient(t, statusOf(t, simErr), "AccessDeniedException", body))

	var simResp, realResp *awshttp.ResponseError
	require.True(t, errors.As(simErr, &simResp))
	require.True(t, errors.As(realErr, &realResp))
	assert.Equal(t, reflect.TypeOf(realResp.Err), reflect.TypeOf(simResp.Err))
	assert.Equal(t, realResp.Err, simResp.Err)
	assert.Equal(t, &smithy.GenericAPIError{Code: "AccessDeniedException", Message: simAPI.ErrorMessage()}, simResp.Err)
}

// IAM users need identity policies; the root user does not.
func TestKeyPolicyIAM(t *testing.T) {
	env := kmstest.NewEnv(t)
	const user = "arn:aws:iam::111122223333:user/reader"
	require.NoError(t, env.Engine.CreatePrincipal(user))
	root := kmssdk.New(env.Engine)
	reader := kmssdk.New(env.Engine, kmssdk.WithCaller(kmstest.DefaultAccount, user))
	key, err := root.CreateKey(ctx, nil)
	require.NoError(t, err)
	id := key.KeyMetadata.KeyId

	_, err = reader.ListKeyPolicies(ctx, &kms.ListKeyPoliciesInput{KeyId: id})
	checkError(t, err, "ListKeyPolicies", "AccessDeniedException")

	require.NoError(t, env.Engine.PutPrincipalPolicy(user, "read", `{"Version":"2012-10-17","Statement":[`+
		`{"Effect":"Allow","Action":["kms:GetKeyPolicy","kms:ListKeyPolicies"],"Resource":"*"}]}`))
	_, err = reader.ListKeyPolicies(ctx, &kms.ListKeyPoliciesInput{KeyId: id})
	require.NoError(t, err)
	assert.Equal(t, policy.Default("aws", kmstest.DefaultAccount), getPolicy(t, reader, *id, nil))
	_, err = reader.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: id, Policy: aws.String(ownPolicy("x"))})
	checkError(t, err, "PutKeyPolicy", "AccessDeniedException")

	require.NoError(t, env.Engine.DeletePrincipalPolicy(user, "read"))
	_, err = reader.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: id})
	checkError(t, err, "GetKeyPolicy", "AccessDeniedException")
}

// ReplicateKey stores the Policy it is given for the replica alone and
// returns it verbatim; an invalid one creates nothing.
func TestReplicateKeyPolicy(t *testing.T) {
	env := kmstest.NewEnv(t)
	us := kmssdk.New(env.Engine)
	eu := kmssdk.New(env.Engine, kmssdk.WithRegion("eu-west-1"))
	key, err := us.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	require.NoError(t, err)
	id := *key.KeyMetadata.KeyId

	_, err = us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String("eu-west-1"), Policy: aws.String("{")})
	checkError(t, err, "ReplicateKey", "MalformedPolicyDocumentException")
	_, err = us.ReplicateKey(ctx, &kms.ReplicateKeyInput{
		KeyId: aws.String(id), ReplicaRegion: aws.String("eu-west-1"), Policy: aws.String(ownPolicy("big") + strings.Repeat("\n", policy.DefaultMaxBytes)),
	})
	checkError(t, err, "ReplicateKey", "LimitExceededException")
	_, err = eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	checkError(t, err, "DescribeKey", "NotFoundException")

	text := ownPolicy("replica")
	out, err := us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String("eu-west-1"), Policy: aws.String(text)})
	require.NoError(t, err)
	assert.Equal(t, text, aws.ToString(out.ReplicaPolicy))
	assert.Equal(t, text, getPolicy(t, eu, id, nil))
	assert.Equal(t, policy.Default("aws", kmstest.DefaultAccount), getPolicy(t, us, id, nil))

	// Without Policy the replica gets the default policy, not the
	// primary's.
	require.NoError(t, func() error {
		_, err := us.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(id), Policy: aws.String(ownPolicy("primary"))})
		return err
	}())
	out, err = us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: aws.String(id), ReplicaRegion: aws.String("ap-southeast-2")})
	require.NoError(t, err)
	assert.Equal(t, policy.Default("aws", kmstest.DefaultAccount), aws.ToString(out.ReplicaPolicy))
}
