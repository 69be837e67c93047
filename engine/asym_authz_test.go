package engine_test

import (
	"crypto/sha512"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
)

// TestAsymmetricConditionKeys: IAM policies see kms:SigningAlgorithm,
// kms:MessageType, kms:MacAlgorithm, kms:DataKeyPairSpec and
// kms:EncryptionAlgorithm on the new operations, and each operation is
// authorized as kms:<Operation>.
func TestAsymmetricConditionKeys(t *testing.T) {
	env := kmstest.NewEnv(t)
	root := env.Caller(cryptoHome)
	ed, err := env.Engine.CreateKey(root, engine.CreateKeyInput{KeySpec: keystore.ECCNISTEdwards25519, KeyUsage: keystore.SignVerify})
	require.NoError(t, err)
	hm, err := env.Engine.CreateKey(root, engine.CreateKeyInput{KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC})
	require.NoError(t, err)
	sym, err := env.Engine.CreateKey(root, engine.CreateKeyInput{})
	require.NoError(t, err)
	user := "arn:aws:iam::" + kmstest.DefaultAccount + ":user/alice"
	require.NoError(t, env.Engine.CreatePrincipal(user))
	require.NoError(t, env.Engine.PutPrincipalPolicy(user, "asym", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"kms:Sign","Resource":"*","Condition":{"StringEquals":{"kms:SigningAlgorithm":"ED25519_SHA_512","kms:MessageType":"RAW"}}},
		{"Effect":"Allow","Action":"kms:GetPublicKey","Resource":"*"},
		{"Effect":"Allow","Action":"kms:GenerateMac","Resource":"*","Condition":{"StringEquals":{"kms:MacAlgorithm":"HMAC_SHA_512"}}},
		{"Effect":"Allow","Action":"kms:GenerateDataKeyPair","Resource":"*","Condition":{"StringEquals":{"kms:DataKeyPairSpec":"ECC_NIST_P256","kms:EncryptionAlgorithm":"SYMMETRIC_DEFAULT"}}}
	]}`))
	alice := engine.Caller{Account: kmstest.DefaultAccount, Principal: user, Region: cryptoHome}
	denied := func(err error, action, arn string) {
		t.Helper()
		requireAPIError(t, err, "AccessDeniedException", "User: "+user+" is not authorized to perform: "+action+" on resource: "+arn+" because no identity-based policy allows the "+action+" action")
	}

	_, err = env.Engine.Sign(alice, engine.SignInput{KeyID: ed.KeyMetadata.KeyID, Message: []byte("m"), SigningAlgorithm: engine.ED25519SHA512})
	require.NoError(t, err)
	d := sha512.Sum512([]byte("m"))
	_, err = env.Engine.Sign(alice, engine.SignInput{KeyID: ed.KeyMetadata.KeyID, Message: d[:], MessageType: engine.MessageDigest, SigningAlgorithm: engine.ED25519PHSHA512})
	denied(err, "kms:Sign", ed.KeyMetadata.Arn)
	_, err = env.Engine.Verify(alice, engine.VerifyInput{KeyID: ed.KeyMetadata.KeyID, Message: []byte("m"), Signature: []byte("s"), SigningAlgorithm: engine.ED25519SHA512})
	denied(err, "kms:Verify", ed.KeyMetadata.Arn)
	_, err = env.Engine.GetPublicKey(alice, engine.GetPublicKeyInput{KeyID: ed.KeyMetadata.KeyID})
	require.NoError(t, err)

	_, err = env.Engine.GenerateMac(alice, engine.GenerateMacInput{KeyID: hm.KeyMetadata.KeyID, Message: []byte("m"), MacAlgorithm: engine.HMACSHA256})
	denied(err, "kms:GenerateMac", hm.KeyMetadata.Arn)

	_, err = env.Engine.GenerateDataKeyPair(alice, engine.GenerateDataKeyPairInput{KeyID: sym.KeyMetadata.KeyID, KeyPairSpec: keystore.ECCNISTP256})
	require.NoError(t, err)
	_, err = env.Engine.GenerateDataKeyPair(alice, engine.GenerateDataKeyPairInput{KeyID: sym.KeyMetadata.KeyID, KeyPairSpec: keystore.ECCNISTP384})
	denied(err, "kms:GenerateDataKeyPair", sym.KeyMetadata.Arn)
	_, err = env.Engine.GenerateDataKeyPairWithoutPlaintext(alice, engine.GenerateDataKeyPairWithoutPlaintextInput{KeyID: sym.KeyMetadata.KeyID, KeyPairSpec: keystore.ECCNISTP256})
	denied(err, "kms:GenerateDataKeyPairWithoutPlaintext", sym.KeyMetadata.Arn)
}
