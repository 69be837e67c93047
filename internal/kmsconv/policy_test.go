package kmsconv_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/internal/kmsconv"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/policy"
)

// policyText is a valid key policy that keeps the account in control.
const policyText = `{"Version":"2012-10-17","Statement":[{"Sid":"own","Effect":"Allow",` +
	`"Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`

func TestPolicyInputs(t *testing.T) {
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"PutKeyPolicy/nil", kmsconv.PutKeyPolicyInput(nil), engine.PutKeyPolicyInput{}},
		{"PutKeyPolicy/empty", kmsconv.PutKeyPolicyInput(&kms.PutKeyPolicyInput{}), engine.PutKeyPolicyInput{}},
		{"PutKeyPolicy/full", kmsconv.PutKeyPolicyInput(&kms.PutKeyPolicyInput{
			KeyId:                          aws.String("k"),
			PolicyName:                     aws.String("default"),
			Policy:                         aws.String(policyText),
			BypassPolicyLockoutSafetyCheck: true,
		}), engine.PutKeyPolicyInput{KeyID: "k", PolicyName: "default", Policy: policyText, BypassPolicyLockoutSafetyCheck: true}},
		{"PutKeyPolicy/noName", kmsconv.PutKeyPolicyInput(&kms.PutKeyPolicyInput{KeyId: aws.String("k"), Policy: aws.String("p")}),
			engine.PutKeyPolicyInput{KeyID: "k", Policy: "p"}},

		{"GetKeyPolicy/nil", kmsconv.GetKeyPolicyInput(nil), engine.GetKeyPolicyInput{}},
		{"GetKeyPolicy/empty", kmsconv.GetKeyPolicyInput(&kms.GetKeyPolicyInput{}), engine.GetKeyPolicyInput{}},
		{"GetKeyPolicy/full", kmsconv.GetKeyPolicyInput(&kms.GetKeyPolicyInput{KeyId: aws.String("k"), PolicyName: aws.String("default")}),
			engine.GetKeyPolicyInput{KeyID: "k", PolicyName: "default"}},

		{"ListKeyPolicies/nil", kmsconv.ListKeyPoliciesInput(nil), engine.ListKeyPoliciesInput{}},
		{"ListKeyPolicies/empty", kmsconv.ListKeyPoliciesInput(&kms.ListKeyPoliciesInput{}), engine.ListKeyPoliciesInput{}},
		{"ListKeyPolicies/full", kmsconv.ListKeyPoliciesInput(&kms.ListKeyPoliciesInput{KeyId: aws.String("k"), Limit: aws.Int32(5), Marker: aws.String("m")}),
			engine.ListKeyPoliciesInput{KeyID: "k", Limit: 5, Marker: "m"}},

		{"ReplicateKey/policy", kmsconv.ReplicateKeyInput(&kms.ReplicateKeyInput{
			KeyId: aws.String("k"), ReplicaRegion: aws.String("eu-west-1"), Policy: aws.String(policyText), BypassPolicyLockoutSafetyCheck: true,
		}), engine.ReplicateKeyInput{KeyID: "k", ReplicaRegion: "eu-west-1", Policy: policyText, BypassPolicyLockoutSafetyCheck: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.got)
		})
	}
}

func TestPolicyOutputs(t *testing.T) {
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"PutKeyPolicy/nil", kmsconv.PutKeyPolicyOutput(nil), (*kms.PutKeyPolicyOutput)(nil)},
		{"PutKeyPolicy", kmsconv.PutKeyPolicyOutput(&engine.PutKeyPolicyOutput{}), &kms.PutKeyPolicyOutput{}},

		{"GetKeyPolicy/nil", kmsconv.GetKeyPolicyOutput(nil), (*kms.GetKeyPolicyOutput)(nil)},
		{"GetKeyPolicy", kmsconv.GetKeyPolicyOutput(&engine.GetKeyPolicyOutput{Policy: policyText, PolicyName: "default"}),
			&kms.GetKeyPolicyOutput{Policy: aws.String(policyText), PolicyName: aws.String("default")}},

		{"ListKeyPolicies/nil", kmsconv.ListKeyPoliciesOutput(nil), (*kms.ListKeyPoliciesOutput)(nil)},
		{"ListKeyPolicies/nilNames", kmsconv.ListKeyPoliciesOutput(&engine.ListKeyPoliciesOutput{}),
			&kms.ListKeyPoliciesOutput{PolicyNames: []string{}}},
		{"ListKeyPolicies/default", kmsconv.ListKeyPoliciesOutput(&engine.ListKeyPoliciesOutput{PolicyNames: []string{"default"}}),
			&kms.ListKeyPoliciesOutput{PolicyNames: []string{"default"}}},
		{"ListKeyPolicies/truncated", kmsconv.ListKeyPoliciesOutput(&engine.ListKeyPoliciesOutput{PolicyNames: []string{"default"}, NextMarker: "n", Truncated: true}),
			&kms.ListKeyPoliciesOutput{PolicyNames: []string{"default"}, NextMarker: aws.String("n"), Truncated: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.got)
		})
	}
}

func TestPolicyChecks(t *testing.T) {
	const (
		emptyKeyID  = "Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1"
		emptyName   = "Value '' at 'policyName' failed to satisfy constraint: Member must have length greater than or equal to 1"
		emptyPolicy = "Value '' at 'policy' failed to satisfy constraint: Member must have length greater than or equal to 1"
		emptyMarker = "Value '' at 'marker' failed to satisfy constraint: Member must have length greater than or equal to 1"
		zeroLimit   = "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
	)
	k, empty := aws.String("k"), aws.String("")
	tests := []struct {
		name string
		err  error
		want string // "" for no error
	}{
		{"PutKeyPolicy/nil", kmsconv.CheckPutKeyPolicyInput(nil), ""},
		{"PutKeyPolicy/omitted", kmsconv.CheckPutKeyPolicyInput(&kms.PutKeyPolicyInput{}), ""},
		{"PutKeyPolicy/set", kmsconv.CheckPutKeyPolicyInput(&kms.PutKeyPolicyInput{KeyId: k, PolicyName: aws.String("other"), Policy: aws.String("x")}), ""},
		{"PutKeyPolicy/emptyPolicy", kmsconv.CheckPutKeyPolicyInput(&kms.PutKeyPolicyInput{KeyId: k, Policy: empty}),
			"1 validation error detected: " + emptyPolicy},
		{"PutKeyPolicy/three", kmsconv.CheckPutKeyPolicyInput(&kms.PutKeyPolicyInput{KeyId: empty, PolicyName: empty, Policy: empty}),
			"3 validation errors detected: " + emptyKeyID + "; " + emptyName + "; " + emptyPolicy},

		{"GetKeyPolicy/nil", kmsconv.CheckGetKeyPolicyInput(nil), ""},
		{"GetKeyPolicy/omitted", kmsconv.CheckGetKeyPolicyInput(&kms.GetKeyPolicyInput{}), ""},
		{"GetKeyPolicy/emptyName", kmsconv.CheckGetKeyPolicyInput(&kms.GetKeyPolicyInput{KeyId: k, PolicyName: empty}),
			"1 validation error detected: " + emptyName},
		{"GetKeyPolicy/two", kmsconv.CheckGetKeyPolicyInput(&kms.GetKeyPolicyInput{KeyId: empty, PolicyName: empty}),
			"2 validation errors detected: " + emptyKeyID + "; " + emptyName},

		{"ListKeyPolicies/nil", kmsconv.CheckListKeyPoliciesInput(nil), ""},
		{"ListKeyPolicies/set", kmsconv.CheckListKeyPoliciesInput(&kms.ListKeyPoliciesInput{KeyId: k, Limit: aws.Int32(1000), Marker: aws.String("m")}), ""},
		{"ListKeyPolicies/three", kmsconv.CheckListKeyPoliciesInput(&kms.ListKeyPoliciesInput{KeyId: empty, Limit: aws.Int32(0), Marker: empty}),
			"3 validation errors detected: " + emptyKeyID + "; " + zeroLimit + "; " + emptyMarker},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == "" {
				assert.NoError(t, tt.err)
				return
			}
			var ve *kmserrors.ValidationException
			if assert.True(t, errors.As(tt.err, &ve), "got %v", tt.err) {
				assert.Equal(t, tt.want, ve.Message)
			}
		})
	}
}

// The three policy operations run through the registry, as the HTTP
// front runs them.
func TestRegistryPolicyOps(t *testing.T) {
	env := kmstest.NewEnv(t)
	us := env.Caller("us-east-1")
	call := func(name string, in any) (any, error) {
		op, ok := kmsconv.Lookup(name)
		require.True(t, ok, name)
		return op.Call(env.Engine, us, in)
	}
	out, err := call("CreateKey", &kms.CreateKeyInput{})
	require.NoError(t, err)
	id := out.(*kms.CreateKeyOutput).KeyMetadata.KeyId

	out, err = call("GetKeyPolicy", &kms.GetKeyPolicyInput{KeyId: id})
	require.NoError(t, err)
	assert.Equal(t, &kms.GetKeyPolicyOutput{
		Policy: aws.String(policy.Default("aws", kmstest.DefaultAccount)), PolicyName: aws.String("default"),
	}, out)

	out, err = call("PutKeyPolicy", &kms.PutKeyPolicyInput{KeyId: id, Policy: aws.String(policyText)})
	require.NoError(t, err)
	assert.Equal(t, &kms.PutKeyPolicyOutput{}, out)
	out, err = call("GetKeyPolicy", &kms.GetKeyPolicyInput{KeyId: id, PolicyName: aws.String("default")})
	require.NoError(t, err)
	assert.Equal(t, policyText, *out.(*kms.GetKeyPolicyOutput).Policy)

	out, err = call("ListKeyPolicies", &kms.ListKeyPoliciesInput{KeyId: id})
	require.NoError(t, err)
	assert.Equal(t, &kms.ListKeyPoliciesOutput{PolicyNames: []string{"default"}}, out)

	// Errors come back as kmserrors values, for SDKError to convert.
	_, err = call("PutKeyPolicy", &kms.PutKeyPolicyInput{KeyId: id, Policy: aws.String("not json")})
	var mp *kmserrors.MalformedPolicyDocumentException
	assert.True(t, errors.As(err, &mp), "%v", err)
	_, err = call("PutKeyPolicy", &kms.PutKeyPolicyInput{KeyId: id, Policy: aws.String("")})
	var ve *kmserrors.ValidationException
	assert.True(t, errors.As(err, &ve), "%v", err)
}

// The errors of the key-policy work become what the SDK's deserializer
// makes of them: the modeled exceptions as their types, and
// AccessDeniedException, which the KMS model does not declare, as a
// *smithy.GenericAPIError.
func TestSDKErrorPolicyCodes(t *testing.T) {
	var mp *types.MalformedPolicyDocumentException
	require.True(t, errors.As(kmsconv.SDKError(&kmserrors.MalformedPolicyDocumentException{Message: policy.MsgLockout}), &mp))
	assert.Equal(t, policy.MsgLockout, aws.ToString(mp.Message))

	var le *types.LimitExceededException
	require.True(t, errors.As(kmsconv.SDKError(&kmserrors.LimitExceededException{Message: policy.MsgTooLarge}), &le))
	assert.Equal(t, policy.MsgTooLarge, aws.ToString(le.Message))

	const denied = "User: arn:aws:iam::111122223333:user/u is not authorized to perform: kms:DescribeKey on resource: arn:aws:kms:us-east-1:111122223333:key/k"
	err := kmsconv.SDKError(&kmserrors.AccessDeniedException{Message: denied})
	assert.Equal(t, &smithy.GenericAPIError{Code: "AccessDeniedException", Message: denied}, err)
	assert.False(t, kmsconv.Modeled("AccessDeniedException"))
}
