package engine_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// kms:ReEncryptOnSameKey (spec §7.2) is true when ReEncrypt's source and
// destination are the same key; ciphertext of a related multi-Region key
// re-encrypted under the local related key counts as the same key.

const sameDenyStatement = `{"Sid":"no same-key re-encryption","Effect":"Deny","Principal":{"AWS":"*"},
	"Action":["kms:ReEncryptFrom","kms:ReEncryptTo"],"Resource":"*",
	"Condition":{"Bool":{"kms:ReEncryptOnSameKey":"true"}}}`

const sameKeyPolicy = `{"Version":"2012-10-17","Statement":[
	{"Sid":"root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
	` + sameDenyStatement + `]}`

const sameIAMDeny = `{"Version":"2012-10-17","Statement":[
	{"Effect":"Deny","Action":"kms:ReEncrypt*","Resource":"*","Condition":{"Bool":{"kms:ReEncryptOnSameKey":"true"}}}]}`

// sameIAMAllowOther allows ReEncrypt only onto another key.
const sameIAMAllowOther = `{"Version":"2012-10-17","Statement":[
	{"Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt","kms:DescribeKey"],"Resource":"*"},
	{"Effect":"Allow","Action":"kms:ReEncrypt*","Resource":"*","Condition":{"Bool":{"kms:ReEncryptOnSameKey":"false"}}}]}`

const allowKMSPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`

func TestReEncryptOnSameKey(t *testing.T) {
	for _, tt := range []struct {
		name string
		// policy is the key policy of every key ("" is the default);
		// iam the identity policies of alice.
		policy string
		iam    []string
		denial string // how the same-key request is refused
	}{
		{"key policy deny", sameKeyPolicy, []string{allowKMSPolicy}, " with an explicit deny in a resource-based policy"},
		{"IAM deny", "", []string{allowKMSPolicy, sameIAMDeny}, " with an explicit deny in an identity-based policy"},
		{"IAM allows other keys only", "", []string{sameIAMAllowOther}, " because no identity-based policy allows the kms:ReEncryptFrom action"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := kmstest.NewEnv(t)
			root := env.Caller("us-east-1")
			out, err := env.Engine.CreateKey(root, engine.CreateKeyInput{MultiRegion: true, Policy: tt.policy})
			require.NoError(t, err)
			id := out.KeyMetadata.KeyID
			_, err = env.Engine.ReplicateKey(root, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1", Policy: tt.policy})
			require.NoError(t, err)
			other, err := env.Engine.CreateKey(root, engine.CreateKeyInput{Policy: tt.policy})
			require.NoError(t, err)
			otherEU, err := env.Engine.CreateKey(env.Caller("eu-west-1"), engine.CreateKeyInput{Policy: tt.policy})
			require.NoError(t, err)
			env.Settle()
			_, err = env.Engine.CreateAlias(root, engine.CreateAliasInput{AliasName: "alias/same", TargetKeyID: id})
			require.NoError(t, err)
			require.NoError(t, env.Engine.CreatePrincipal(alice))
			for i, doc := range tt.iam {
				require.NoError(t, env.Engine.PutPrincipalPolicy(alice, string(rune('a'+i)), doc))
			}
			as := func(r region.ID) engine.Caller {
				return engine.Caller{Account: kmstest.DefaultAccount, Principal: alice, Region: r}
			}
			ctx := map[string]string{"k": "v"}
			enc, err := env.Engine.Encrypt(as("us-east-1"), engine.EncryptInput{KeyID: id, Plaintext: []byte("same"), EncryptionContext: ctx})
			require.NoError(t, err)
			reEncrypt := func(r region.ID, dst string) error {
				_, err := env.Engine.ReEncrypt(as(r), engine.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: ctx, DestinationKeyID: dst})
				return err
			}
			denied := func(r region.ID) kmserrors.APIError {
				return &kmserrors.AccessDeniedException{Message: "User: " + alice + " is not authorized to perform: kms:ReEncryptFrom on resource: " +
					chkARN(r, id) + tt.denial}
			}
			// The same key, by every identifier form.
			for _, dst := range []string{id, chkARN("us-east-1", id), "alias/same"} {
				chkRequireErr(t, reEncrypt("us-east-1", dst), denied("us-east-1"))
			}
			// The related key in another Region decrypts with itself.
			chkRequireErr(t, reEncrypt("eu-west-1", id), denied("eu-west-1"))
			// Other keys are fine in either Region.
			require.NoError(t, reEncrypt("us-east-1", other.KeyMetadata.KeyID))
			require.NoError(t, reEncrypt("eu-west-1", otherEU.KeyMetadata.Arn))
		})
	}
}
