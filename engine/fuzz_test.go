package engine_test

import (
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
