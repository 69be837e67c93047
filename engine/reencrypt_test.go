package engine_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/kmstest"
)

func TestGenerateRandom(t *testing.T) {
	env := kmstest.NewEnv(t)
	us := env.Caller(cryptoHome)
	tests := []struct {
		name string
		in   engine.GenerateRandomInput
		msg  string // ValidationException message; "" means success
	}{
		{"1 byte", engine.GenerateRandomInput{NumberOfBytes: 1}, ""},
		{"1024 bytes", engine.GenerateRandomInput{NumberOfBytes: 1024}, ""},
		{"omitted", engine.GenerateRandomInput{}, "1 validation error detected: Value null at 'numberOfBytes' failed to satisfy constraint: Member must not be null"},
		{"1025", engine.GenerateRandomInput{NumberOfBytes: 1025}, "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024"},
		{"negative", engine.GenerateRandomInput{NumberOfBytes: -1}, "1 validation error detected: Value '-1' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"long store ID", engine.GenerateRandomInput{NumberOfBytes: 1, CustomKeyStoreID: strings.Repeat("c", 65)},
			"1 validation error detected: Value '" + strings.Repeat("c", 65) + "' at 'customKeyStoreId' failed to satisfy constraint: Member must have length less than or equal to 64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := env.Engine.GenerateRandom(us, tt.in)
			if tt.msg != "" {
				wantErr[*kmserrors.ValidationException](t, err, tt.msg)
				return
			}
			require.NoError(t, err)
			assert.Len(t, out.Plaintext, tt.in.NumberOfBytes)
		})
	}

	_, err := env.Engine.GenerateRandom(us, engine.GenerateRandomInput{NumberOfBytes: 8, CustomKeyStoreID: "cks-1234567890abcdef0"})
	wantErr[*kmserrors.CustomKeyStoreNotFoundException](t, err, "Custom key store cks-1234567890abcdef0 does not exist.")

	// Two calls differ.
	a, err := env.Engine.GenerateRandom(us, engine.GenerateRandomInput{NumberOfBytes: 32})
	require.NoError(t, err)
	b, err := env.Engine.GenerateRandom(us, engine.GenerateRandomInput{NumberOfBytes: 32})
	require.NoError(t, err)
	assert.NotEqual(t, a.Plaintext, b.Plaintext)

	// IAM only: a user needs an identity policy.
	require.NoError(t, env.Engine.CreatePrincipal(alice))
	as := engine.Caller{Account: kmstest.DefaultAccount, Principal: alice, Region: cryptoHome}
	_, err = env.Engine.GenerateRandom(as, engine.GenerateRandomInput{NumberOfBytes: 8})
	wantErr[*kmserrors.AccessDeniedException](t, err, "User: "+alice+" is not authorized to perform: kms:GenerateRandom on resource: * because no identity-based policy allows the kms:GenerateRandom action")
	require.NoError(t, env.Engine.PutPrincipalPolicy(alice, "random", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"kms:GenerateRandom","Resource":"*"}]}`))
	_, err = env.Engine.GenerateRandom(as, engine.GenerateRandomInput{NumberOfBytes: 8})
	require.NoError(t, err)

	// The event log never holds the random bytes.
	for _, ev := range env.Engine.Events() {
		j, err := json.Marshal(ev)
		require.NoError(t, err)
		for _, s := range [][]byte{a.Plaintext, b.Plaintext} {
			assert.NotContains(t, string(j), base64.StdEncoding.EncodeToString(s))
		}
	}
}

func TestReEncrypt(t *testing.T) {
	env := kmstest.NewEnv(t)
	id := cryptoFamily(t, env)
	us, eu := env.Caller(cryptoHome), env.Caller("eu-west-1")
	other, err := env.Engine.CreateKey(eu, engine.CreateKeyInput{})
	require.NoError(t, err)
	otherID := other.KeyMetadata.KeyID
	secret := []byte("RE-ENCRYPT-SECRET-PLAINTEXT-42")
	srcCtx := map[string]string{"from": "us"}
	dstCtx := map[string]string{"to": "eu"}
	blob := encrypt(t, env, cryptoHome, id, secret, srcCtx)
	d, err := env.Engine.DescribeKey(us, engine.DescribeKeyInput{KeyID: id})
	require.NoError(t, err)
	mat := d.KeyMetadata.CurrentKeyMaterialID
	od, err := env.Engine.DescribeKey(eu, engine.DescribeKeyInput{KeyID: otherID})
	require.NoError(t, err)

	// Ciphertext of us-east-1 re-encrypted in eu-west-1 to the replica and
	// to an unrelated key, then decrypted there.
	for _, dst := range []struct {
		name, keyID, arn, mat string
	}{
		{"replica by key ID", id, keyARN("eu-west-1", id), mat},
		{"unrelated key by ARN", other.KeyMetadata.Arn, other.KeyMetadata.Arn, od.KeyMetadata.CurrentKeyMaterialID},
	} {
		t.Run(dst.name, func(t *testing.T) {
			out, err := env.Engine.ReEncrypt(eu, engine.ReEncryptInput{CiphertextBlob: blob, SourceEncryptionContext: srcCtx,
				DestinationKeyID: dst.keyID, DestinationEncryptionContext: dstCtx})
			require.NoError(t, err)
			assert.Equal(t, keyARN("eu-west-1", id), out.SourceKeyID)
			assert.Equal(t, dst.arn, out.KeyID)
			assert.Equal(t, engine.SymmetricDefault, out.SourceEncryptionAlgorithm)
			assert.Equal(t, engine.SymmetricDefault, out.DestinationEncryptionAlgorithm)
			assert.Equal(t, mat, out.SourceKeyMaterialID)
			assert.Equal(t, dst.mat, out.DestinationKeyMaterialID)
			dec, err := env.Engine.Decrypt(eu, engine.DecryptInput{CiphertextBlob: out.CiphertextBlob, EncryptionContext: dstCtx})
			require.NoError(t, err)
			assert.Equal(t, secret, dec.Plaintext)
			assert.Equal(t, dst.arn, dec.KeyID)
		})
	}

	const incorrect = "The key ID in the request does not identify a CMK that can perform this operation."
	errTests := []struct {
		name  string
		c     engine.Caller
		in    engine.ReEncryptInput
		check func(t *testing.T, err error)
	}{
		{"no ciphertext", eu, engine.ReEncryptInput{DestinationKeyID: id}, func(t *testing.T, err error) {
			wantErr[*kmserrors.ValidationException](t, err, "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null")
		}},
		{"no destination", eu, engine.ReEncryptInput{CiphertextBlob: blob, SourceEncryptionContext: srcCtx}, func(t *testing.T, err error) {
			wantErr[*kmserrors.ValidationException](t, err, "1 validation error detected: Value null at 'destinationKeyId' failed to satisfy constraint: Member must not be null")
		}},
		{"source key of another Region", eu, engine.ReEncryptInput{CiphertextBlob: blob, SourceEncryptionContext: srcCtx, SourceKeyID: keyARN(cryptoHome, id), DestinationKeyID: id},
			func(t *testing.T, err error) { wantErr[*kmserrors.IncorrectKeyException](t, err, incorrect) }},
		{"unrelated source key", eu, engine.ReEncryptInput{CiphertextBlob: blob, SourceEncryptionContext: srcCtx, SourceKeyID: otherID, DestinationKeyID: id},
			func(t *testing.T, err error) { wantErr[*kmserrors.IncorrectKeyException](t, err, incorrect) }},
		{"wrong source context", eu, engine.ReEncryptInput{CiphertextBlob: blob, DestinationKeyID: id},
			func(t *testing.T, err error) { wantErr[*kmserrors.InvalidCiphertextException](t, err, "") }},
		{"unknown destination", eu, engine.ReEncryptInput{CiphertextBlob: blob, SourceEncryptionContext: srcCtx, DestinationKeyID: "alias/none"},
			func(t *testing.T, err error) {
				var nf *kmserrors.NotFoundException
				assert.ErrorAs(t, err, &nf)
			}},
		{"bad algorithm", eu, engine.ReEncryptInput{CiphertextBlob: blob, SourceEncryptionContext: srcCtx, DestinationKeyID: id, DestinationEncryptionAlgorithm: engine.RSAESOAEPSHA256},
			func(t *testing.T, err error) {
				var ku *kmserrors.InvalidKeyUsageException
				assert.ErrorAs(t, err, &ku)
			}},
		{"DryRun", eu, engine.ReEncryptInput{CiphertextBlob: blob, SourceEncryptionContext: srcCtx, DestinationKeyID: otherID, DryRun: true},
			func(t *testing.T, err error) {
				wantErr[*kmserrors.DryRunOperationException](t, err, "The request would have succeeded, but the DryRun option is set.")
			}},
		{"DryRun checks first", eu, engine.ReEncryptInput{CiphertextBlob: blob[:len(blob)-1], SourceEncryptionContext: srcCtx, DestinationKeyID: otherID, DryRun: true},
			func(t *testing.T, err error) { wantErr[*kmserrors.InvalidCiphertextException](t, err, "") }},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := env.Engine.ReEncrypt(tt.c, tt.in)
			assert.Nil(t, out)
			tt.check(t, err)
		})
	}

	t.Run("authorization", func(t *testing.T) {
		require.NoError(t, env.Engine.CreatePrincipal(alice))
		as := engine.Caller{Account: kmstest.DefaultAccount, Principal: alice, Region: "eu-west-1"}
		in := engine.ReEncryptInput{CiphertextBlob: blob, SourceEncryptionContext: srcCtx, DestinationKeyID: otherID}
		var denied *kmserrors.AccessDeniedException
		_, err := env.Engine.ReEncrypt(as, in)
		require.ErrorAs(t, err, &denied)
		assert.Contains(t, denied.Message, "kms:ReEncryptFrom on resource: "+keyARN("eu-west-1", id))
		require.NoError(t, env.Engine.PutPrincipalPolicy(alice, "from", `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"kms:ReEncryptFrom","Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:from":"us"}}}]}`))
		_, err = env.Engine.ReEncrypt(as, in)
		require.ErrorAs(t, err, &denied)
		assert.Contains(t, denied.Message, "kms:ReEncryptTo on resource: "+other.KeyMetadata.Arn)
		require.NoError(t, env.Engine.PutPrincipalPolicy(alice, "to", `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"kms:ReEncryptTo","Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:to":"eu"}}}]}`))
		_, err = env.Engine.ReEncrypt(as, in)
		require.ErrorAs(t, err, &denied, "the destination context does not match")
		in.DestinationEncryptionContext = dstCtx
		_, err = env.Engine.ReEncrypt(as, in)
		require.NoError(t, err)
	})

	// The event log holds neither the plaintext nor the ciphertext given.
	for _, ev := range env.Engine.Events() {
		j, err := json.Marshal(ev)
		require.NoError(t, err)
		assert.False(t, bytes.Contains(j, secret), "event %s shows the plaintext", ev.Name)
		assert.NotContains(t, string(j), base64.StdEncoding.EncodeToString(secret))
		if ev.Name == "ReEncrypt" {
			assert.NotContains(t, string(j), base64.StdEncoding.EncodeToString(blob))
		}
	}
}
