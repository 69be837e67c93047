package engine_test

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// FuzzInputs feeds arbitrary strings to every operation's free-form
// members. Whatever comes in, the engine must answer with a KMS error
// whose message is valid UTF-8, or succeed; it must never panic.
func FuzzInputs(f *testing.F) {
	f.Add("mrk-1234abcd12ab34cd56ef1234567890ab", "eu-west-1", "desc", `{"Version":"2012-10-17"}`, "k", "v", 7)
	f.Add("arn:aws:kms:us-east-1:111122223333:alias/x", "cn-north-1", "", "", "aws:x", "", 0)
	f.Add("alias/aws/ebs", "us-invalid-1", "\xff\xfe", "\x00", "", "\xff", 31)
	f.Add("arn:aws-cn:kms:us-east-1:111122223333:key/", "ap-east-1", "", "é", "a", "b", 366)
	f.Fuzz(func(t *testing.T, keyID, reg, text, doc, tagKey, tagValue string, days int) {
		env := kmstest.NewEnv(t)
		us := env.Caller("us-east-1")
		created, err := env.Engine.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
		if err != nil {
			t.Fatal(err)
		}
		ids := []string{keyID, created.KeyMetadata.KeyID, created.KeyMetadata.Arn}
		tags := []keystore.Tag{{Key: tagKey, Value: tagValue}}
		check := func(op string, err error) {
			t.Helper()
			if err == nil {
				return
			}
			ae, ok := kmserrors.As(err)
			if !ok {
				t.Fatalf("%s: untyped error %v", op, err)
			}
			if !utf8.ValidString(ae.ErrorMessage()) {
				t.Fatalf("%s: message is not UTF-8: %q", op, ae.ErrorMessage())
			}
		}
		_, err = env.Engine.CreateKey(us, engine.CreateKeyInput{Description: text, Policy: doc, Tags: tags, KeySpec: keystore.KeySpec(tagKey), KeyUsage: keystore.KeyUsage(tagValue)})
		check("CreateKey", err)
		for _, id := range ids {
			_, err = env.Engine.DescribeKey(us, engine.DescribeKeyInput{KeyID: id, GrantTokens: []string{text}})
			check("DescribeKey", err)
			_, err = env.Engine.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: region.ID(reg), Description: text, Policy: doc, Tags: tags})
			check("ReplicateKey", err)
			_, err = env.Engine.UpdatePrimaryRegion(us, engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: region.ID(reg)})
			check("UpdatePrimaryRegion", err)
			_, err = env.Engine.TagResource(us, engine.TagResourceInput{KeyID: id, Tags: tags})
			check("TagResource", err)
			_, err = env.Engine.UntagResource(us, engine.UntagResourceInput{KeyID: id, TagKeys: []string{tagKey}})
			check("UntagResource", err)
			_, err = env.Engine.ListResourceTags(us, engine.ListResourceTagsInput{KeyID: id, Marker: text, Limit: days})
			check("ListResourceTags", err)
			_, err = env.Engine.UpdateKeyDescription(us, engine.UpdateKeyDescriptionInput{KeyID: id, Description: text})
			check("UpdateKeyDescription", err)
			_, err = env.Engine.DisableKey(us, engine.DisableKeyInput{KeyID: id})
			check("DisableKey", err)
			_, err = env.Engine.EnableKey(us, engine.EnableKeyInput{KeyID: id})
			check("EnableKey", err)
			_, err = env.Engine.ScheduleKeyDeletion(us, engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: days})
			check("ScheduleKeyDeletion", err)
			_, err = env.Engine.CancelKeyDeletion(us, engine.CancelKeyDeletionInput{KeyID: id})
			check("CancelKeyDeletion", err)
		}
		_, err = env.Engine.ListKeys(us, engine.ListKeysInput{Limit: days, Marker: text})
		check("ListKeys", err)
		_, err = env.Engine.DescribeKey(engine.Caller{Account: tagKey, Principal: text, Region: region.ID(reg)}, engine.DescribeKeyInput{KeyID: keyID})
		check("DescribeKey as stranger", err)
	})
}

// FuzzDecrypt feeds arbitrary ciphertexts, encryption contexts and key
// identifiers to Decrypt and ReEncrypt in Regions with and without a
// related key. Every failure must be a KMS error with a UTF-8 message;
// every success must come from the one key that can decrypt and return
// the one plaintext that was encrypted.
func FuzzDecrypt(f *testing.F) {
	env := kmstest.NewEnv(f, kmstest.WithConfig(engine.Config{EventLogLimit: 1024}))
	id := cryptoFamily(f, env)
	us := env.Caller(cryptoHome)
	single, err := env.Engine.CreateKey(us, engine.CreateKeyInput{})
	if err != nil {
		f.Fatal(err)
	}
	if _, err := env.Engine.CreateAlias(us, engine.CreateAliasInput{AliasName: "alias/fuzz", TargetKeyID: id}); err != nil {
		f.Fatal(err)
	}
	plaintext := []byte("fuzz")
	blob := encrypt(f, env, cryptoHome, id, plaintext, map[string]string{"k": "v"})
	plain := encrypt(f, env, cryptoHome, id, plaintext, nil)
	nfd := encrypt(f, env, "us-west-2", id, plaintext, map[string]string{"cafe\u0301": "v"})
	other := encrypt(f, env, cryptoHome, single.KeyMetadata.KeyID, plaintext, nil)
	forged := bytes.Clone(blob)
	copy(forged[1:37], single.KeyMetadata.KeyID)

	f.Add(blob, "k", "v", "", id)
	f.Add(blob, "k", "w", id, single.KeyMetadata.Arn)
	f.Add(plain, "", "", "alias/fuzz", "alias/fuzz")
	f.Add(nfd, "caf\u00e9", "v", keyARN("us-west-2", id), id)
	f.Add(nfd, "cafe\u0301", "v", "", "arn:aws:kms:us-east-1:111122223333:alias/fuzz")
	f.Add(other, "", "", id, id)
	f.Add(forged, "k", "v", "", id)
	f.Add(blob[:40], "", "", "alias/x", "")
	f.Add(blob[:81], "k", "v", "", id)
	f.Add(append(bytes.Clone(blob), make([]byte, 6144-len(blob))...), "k", "v", "", id)
	f.Add(make([]byte, 6145), "", "", "", id)
	f.Add([]byte{1}, "", "", keyARN(cryptoHome, id), "\xff")
	f.Add([]byte{}, "", "", "arn:aws:kms:us-west-2:111122223333:key/"+id, "arn:aws:kms:us-west-2:111122223333:key/")
	f.Add([]byte{2}, "\xff\xfe", "\x00", "arn:aws-cn:kms:cn-north-1:111122223333:key/"+id, "alias/aws/ebs")
	f.Fuzz(func(t *testing.T, b []byte, k, v, keyID, dstKeyID string) {
		var ctx map[string]string
		if k != "" || v != "" {
			ctx = map[string]string{k: v}
		}
		check := func(op string, err error) {
			t.Helper()
			ae, ok := kmserrors.As(err)
			if !ok {
				t.Fatalf("%s: untyped error %v", op, err)
			}
			if !utf8.ValidString(ae.ErrorMessage()) {
				t.Fatalf("%s: message is not UTF-8: %q", op, ae.ErrorMessage())
			}
		}
		for _, r := range []region.ID{cryptoHome, "us-west-2", "ap-south-1"} {
			c := env.Caller(r)
			out, err := env.Engine.Decrypt(c, engine.DecryptInput{CiphertextBlob: b, EncryptionContext: ctx, KeyID: keyID})
			if err != nil {
				check("Decrypt", err)
			} else if out.KeyID != keyARN(r, id) && out.KeyID != single.KeyMetadata.Arn || !bytes.Equal(out.Plaintext, plaintext) {
				t.Fatalf("Decrypt in %s: %d bytes from %s", r, len(out.Plaintext), out.KeyID)
			}
			re, err := env.Engine.ReEncrypt(c, engine.ReEncryptInput{CiphertextBlob: b, SourceEncryptionContext: ctx, SourceKeyID: keyID,
				DestinationKeyID: dstKeyID, DestinationEncryptionContext: ctx})
			if err != nil {
				check("ReEncrypt", err)
				continue
			}
			back, err := env.Engine.Decrypt(c, engine.DecryptInput{CiphertextBlob: re.CiphertextBlob, EncryptionContext: ctx})
			if err != nil || !bytes.Equal(back.Plaintext, plaintext) || back.KeyID != re.KeyID {
				t.Fatalf("ReEncrypt in %s to %s made a ciphertext that does not decrypt: %v", r, re.KeyID, err)
			}
		}
	})
}
