package kmssdk_test

import (
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/kmssdk"
	"github.com/kmsim/kmsim/kmstest"
)

// The asymmetric and MAC operations check required members exactly as
// the SDK's generated validators do, before anything reaches the engine.
func TestAsymmetricRequiredMembers(t *testing.T) {
	env := kmstest.NewEnv(t)
	apis := []kmssdk.API{kmssdk.New(env.Engine), realClient(t, 0, "", "")}
	calls := map[string]func(kmssdk.API) error{
		"Sign": func(c kmssdk.API) error { _, err := c.Sign(ctx, &kms.SignInput{}); return err },
		"Verify": func(c kmssdk.API) error {
			_, err := c.Verify(ctx, &kms.VerifyInput{KeyId: aws.String("k")})
			return err
		},
		"GetPublicKey": func(c kmssdk.API) error {
			_, err := c.GetPublicKey(ctx, &kms.GetPublicKeyInput{})
			return err
		},
		"GenerateMac": func(c kmssdk.API) error { _, err := c.GenerateMac(ctx, &kms.GenerateMacInput{}); return err },
		"VerifyMac": func(c kmssdk.API) error {
			_, err := c.VerifyMac(ctx, &kms.VerifyMacInput{Message: []byte("m")})
			return err
		},
		"GenerateDataKeyPair": func(c kmssdk.API) error {
			_, err := c.GenerateDataKeyPair(ctx, &kms.GenerateDataKeyPairInput{})
			return err
		},
		"GenerateDataKeyPairWithoutPlaintext": func(c kmssdk.API) error {
			_, err := c.GenerateDataKeyPairWithoutPlaintext(ctx, &kms.GenerateDataKeyPairWithoutPlaintextInput{KeyId: aws.String("k")})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			var params [2]smithy.InvalidParamsError
			var errs [2]error
			for i, c := range apis {
				errs[i] = call(c)
				require.True(t, errors.As(errs[i], &params[i]), "%v", errs[i])
			}
			assert.Equal(t, errs[1].Error(), errs[0].Error())
			assert.Equal(t, params[1], params[0])
		})
	}
	assert.Empty(t, env.Engine.Events(), "nothing reached the engine")
}

func TestAsymmetricThroughClient(t *testing.T) {
	env := kmstest.NewEnv(t)
	c := kmssdk.New(env.Engine)
	k, err := c.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: types.KeySpecEccSecgP256k1, KeyUsage: types.KeyUsageTypeSignVerify})
	require.NoError(t, err)
	d := sha256.Sum256([]byte("m"))
	sig, err := c.Sign(ctx, &kms.SignInput{KeyId: k.KeyMetadata.KeyId, Message: d[:], MessageType: types.MessageTypeDigest, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	require.NoError(t, err)
	v, err := c.Verify(ctx, &kms.VerifyInput{KeyId: k.KeyMetadata.KeyId, Message: []byte("m"), Signature: sig.Signature, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	require.NoError(t, err)
	assert.True(t, v.SignatureValid)
	_, err = c.Sign(ctx, &kms.SignInput{KeyId: k.KeyMetadata.KeyId, Message: []byte{}, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	var ve interface{ ErrorCode() string }
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "ValidationException", ve.ErrorCode())
	_, err = c.Verify(ctx, &kms.VerifyInput{KeyId: k.KeyMetadata.KeyId, Message: []byte("n"), Signature: sig.Signature, SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256})
	var is *types.KMSInvalidSignatureException
	require.ErrorAs(t, err, &is)
	_, err = c.Sign(ctx, &kms.SignInput{KeyId: k.KeyMetadata.KeyId, Message: []byte("m"), SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha384})
	var ku *types.InvalidKeyUsageException
	require.ErrorAs(t, err, &ku)
	assert.Equal(t, "Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_SECG_P256K1.", aws.ToString(ku.Message))
	pk, err := c.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: k.KeyMetadata.Arn})
	require.NoError(t, err)
	assert.Equal(t, types.CustomerMasterKeySpecEccSecgP256k1, pk.CustomerMasterKeySpec)
}
