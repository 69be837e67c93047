package kmsconv_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/internal/kmsconv"
	"github.com/kmsim/kmsim/kmstest"
)

// engineOps lists the KMS operations the engine implements.
var engineOps = []string{
	"CancelKeyDeletion",
	"CreateAlias",
	"CreateKey",
	"Decrypt",
	"DeleteAlias",
	"DeleteImportedKeyMaterial",
	"DescribeKey",
	"DisableKey",
	"DisableKeyRotation",
	"EnableKey",
	"EnableKeyRotation",
	"Encrypt",
	"GenerateDataKey",
	"GenerateDataKeyPair",
	"GenerateDataKeyPairWithoutPlaintext",
	"GenerateDataKeyWithoutPlaintext",
	"GenerateMac",
	"GenerateRandom",
	"GetKeyPolicy",
	"GetKeyRotationStatus",
	"GetParametersForImport",
	"GetPublicKey",
	"ImportKeyMaterial",
	"ListAliases",
	"ListKeyPolicies",
	"ListKeyRotations",
	"ListKeys",
	"ListResourceTags",
	"PutKeyPolicy",
	"ReEncrypt",
	"ReplicateKey",
	"RotateKeyOnDemand",
	"ScheduleKeyDeletion",
	"Sign",
	"TagResource",
	"UntagResource",
	"UpdateAlias",
	"UpdateKeyDescription",
	"UpdatePrimaryRegion",
	"Verify",
	"VerifyMac",
}

func TestRegistryNames(t *testing.T) {
	assert.Equal(t, engineOps, kmsconv.Names())
	assert.True(t, slices.IsSorted(kmsconv.Names()))
	for _, name := range engineOps {
		op, ok := kmsconv.Lookup(name)
		require.True(t, ok, name)
		assert.Equal(t, name, op.Name)
		in := op.NewInput()
		assert.Equal(t, "*kms."+name+"Input", fmt.Sprintf("%T", in))
		assert.NotSame(t, in, op.NewInput(), "NewInput must return a new value")
	}
	for _, name := range []string{"", "sign", "describeKey", "CreateGrant"} {
		_, ok := kmsconv.Lookup(name)
		assert.False(t, ok, name)
	}
}

// Every engine method of the form Op(Caller, OpInput) (*OpOutput, error)
// is a KMS operation and must be in the registry; this fails when the
// engine gains one that kmsconv does not convert yet.
func TestRegistryCoversEngine(t *testing.T) {
	caller := reflect.TypeFor[engine.Caller]()
	errType := reflect.TypeFor[error]()
	var found []string
	typ := reflect.TypeFor[*engine.Engine]()
	for i := range typ.NumMethod() {
		m := typ.Method(i)
		ft := m.Type // receiver first
		if ft.NumIn() != 3 || ft.In(1) != caller || ft.NumOut() != 2 || ft.Out(1) != errType {
			continue
		}
		found = append(found, m.Name)
	}
	assert.Equal(t, engineOps, found)
}

func TestRegistryCall(t *testing.T) {
	env := kmstest.NewEnv(t)
	us := env.Caller("us-east-1")
	call := func(name string, in any) (any, error) {
		op, ok := kmsconv.Lookup(name)
		require.True(t, ok)
		return op.Call(env.Engine, us, in)
	}

	out, err := call("CreateKey", &kms.CreateKeyInput{MultiRegion: aws.Bool(true), Description: aws.String("d")})
	require.NoError(t, err)
	created := out.(*kms.CreateKeyOutput)
	assert.Equal(t, "d", *created.KeyMetadata.Description)
	assert.Equal(t, types.MultiRegionKeyTypePrimary, created.KeyMetadata.MultiRegionConfiguration.MultiRegionKeyType)

	out, err = call("DescribeKey", &kms.DescribeKeyInput{KeyId: created.KeyMetadata.KeyId})
	require.NoError(t, err)
	assert.Equal(t, created.KeyMetadata, out.(*kms.DescribeKeyOutput).KeyMetadata)

	out, err = call("ReplicateKey", &kms.ReplicateKeyInput{KeyId: created.KeyMetadata.KeyId, ReplicaRegion: aws.String("eu-west-1")})
	require.NoError(t, err)
	assert.Equal(t, types.KeyStateCreating, out.(*kms.ReplicateKeyOutput).ReplicaKeyMetadata.KeyState)

	out, err = call("EnableKey", &kms.EnableKeyInput{KeyId: created.KeyMetadata.KeyId})
	require.NoError(t, err)
	assert.Equal(t, &kms.EnableKeyOutput{}, out)

	// The engine's error comes back unchanged.
	out, err = call("DescribeKey", &kms.DescribeKeyInput{KeyId: aws.String("mrk-00000000000000000000000000000000")})
	assert.Nil(t, out)
	var nf *kmserrors.NotFoundException
	assert.True(t, errors.As(err, &nf), "%v", err)

	// So does the presence check's, before the engine runs.
	out, err = call("ListKeys", &kms.ListKeysInput{Limit: aws.Int32(0)})
	assert.Nil(t, out)
	var ve *kmserrors.ValidationException
	assert.True(t, errors.As(err, &ve), "%v", err)

	// A missing required member reaches the engine, which answers as the
	// service does.
	_, err = call("EnableKey", &kms.EnableKeyInput{})
	require.True(t, errors.As(err, &ve), "%v", err)
	assert.Contains(t, ve.Message, "Value null at 'keyId'")

	// An input of the wrong type is a plain error.
	out, err = call("DescribeKey", &kms.EnableKeyInput{})
	assert.Nil(t, out)
	require.Error(t, err)
	_, isAPI := kmserrors.As(err)
	assert.False(t, isAPI)
}

// Each op decodes into its own NewInput value and runs.
func TestRegistryEveryOpRuns(t *testing.T) {
	env := kmstest.NewEnv(t)
	us := env.Caller("us-east-1")
	for _, name := range engineOps {
		op, _ := kmsconv.Lookup(name)
		out, err := op.Call(env.Engine, us, op.NewInput())
		if err != nil {
			// Zero inputs lack required members; the engine says so.
			_, ok := kmserrors.As(err)
			assert.True(t, ok, "%s: %v", name, err)
			assert.Nil(t, out, name)
			continue
		}
		assert.Equal(t, "*kms."+name+"Output", fmt.Sprintf("%T", out))
	}
}
