package engine_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// This file holds the error tables of ReplicateKey (spec §5.6),
// UpdatePrimaryRegion (§6.1), key identifier resolution (§1.6) and caller
// authentication, plus the helpers the other *_test.go files of this set
// (states_test.go, ops_test.go) share. Helpers carry the prefix "chk" so
// they cannot clash with other test files of package engine_test.

// chkAcct is the account of every kmstest.Env.
const chkAcct = kmstest.DefaultAccount

// chkOtherAcct is a second account used for cross-account cases.
const chkOtherAcct = "444455556666"

// chkARN is the key ARN KMS shows for key id in Region r of chkAcct,
// written out here rather than taken from the code under test.
func chkARN(r region.ID, id string) string {
	return fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", r, chkAcct, id)
}

// chkVal is the body of one model-constraint violation (spec §0.2).
func chkVal(value, member, constraint string) string {
	return "Value " + value + " at '" + member + "' failed to satisfy constraint: Member must " + constraint
}

// chkOne is the ValidationException message for a single violation.
func chkOne(value, member, constraint string) string {
	return "1 validation error detected: " + chkVal(value, member, constraint)
}

// chkPolicyPattern is the PolicyType pattern as AWS quotes it.
const chkPolicyPattern = `[\u0009\u000A\u000D\u0020-\u00FF]+`

// chkRegionPattern is the RegionType pattern as AWS quotes it.
const chkRegionPattern = `^([a-z]+-){2,3}\d+$`

// chkExpand returns a copy of want with the placeholders in its message
// replaced: {id} by the key ID of the case, {arn} by the ARN of the key
// the case is about.
func chkExpand(want kmserrors.APIError, id, arn string) kmserrors.APIError {
	msg := strings.NewReplacer("{id}", id, "{arn}", arn).Replace(want.ErrorMessage())
	v := reflect.New(reflect.TypeOf(want).Elem())
	v.Elem().FieldByName("Message").SetString(msg)
	return v.Interface().(kmserrors.APIError)
}

// chkRequireErr asserts that err is, through errors.As, the concrete
// exception type of want and carries exactly want's message.
func chkRequireErr(t testing.TB, err error, want kmserrors.APIError) {
	t.Helper()
	require.Errorf(t, err, "want %s %q", want.ErrorCode(), want.ErrorMessage())
	target := reflect.New(reflect.TypeOf(want)) // **kmserrors.X
	require.Truef(t, errors.As(err, target.Interface()), "got %T (%v), want %T", err, err, want)
	got := target.Elem().Interface().(kmserrors.APIError)
	require.Equal(t, want.ErrorMessage(), got.ErrorMessage(), "message of %s", want.ErrorCode())
	require.True(t, utf8.ValidString(got.ErrorMessage()), "message is not valid UTF-8: %q", got.ErrorMessage())
}

// chkRequireErrType asserts only the concrete exception type of err, for
// errors whose message the spec leaves open; the message must still be
// non-empty valid UTF-8.
func chkRequireErrType(t testing.TB, err error, want kmserrors.APIError) {
	t.Helper()
	require.Error(t, err)
	target := reflect.New(reflect.TypeOf(want))
	require.Truef(t, errors.As(err, target.Interface()), "got %T (%v), want %T", err, err, want)
	got := target.Elem().Interface().(kmserrors.APIError)
	require.NotEmpty(t, got.ErrorMessage())
	require.True(t, utf8.ValidString(got.ErrorMessage()))
}

// chkRegions are the Regions whose keys chkSnapshot records; a Region an
// account cannot call is recorded with its error.
var chkRegions = []region.ID{"us-east-1", "us-west-2", "eu-west-1", "ap-east-1", "ap-northeast-1", "cn-north-1"}

// chkKeyView is what a caller can observe about one key.
type chkKeyView struct {
	Meta engine.KeyMetadata
	Tags []keystore.Tag
}

// chkWorld is the observable state of an engine: every key of every
// account in chkRegions with its tags, the key lists, and the pending
// transitions.
type chkWorld struct {
	Lists   map[string][]string
	Keys    map[string]chkKeyView
	Pending []engine.Transition
}

// chkSnapshot records the observable state of env's engine. It uses only
// read operations, so taking it changes nothing.
func chkSnapshot(t testing.TB, env *kmstest.Env) chkWorld {
	t.Helper()
	w := chkWorld{Lists: map[string][]string{}, Keys: map[string]chkKeyView{}}
	w.Pending = env.Engine.Pending()
	for _, acct := range env.Engine.Accounts() {
		for _, r := range chkRegions {
			c := engine.Caller{Account: acct, Region: r}
			scope := acct + "/" + string(r)
			ids := []string{}
			marker := ""
			for {
				out, err := env.Engine.ListKeys(c, engine.ListKeysInput{Limit: 1000, Marker: marker})
				if err != nil {
					ids = append(ids, "error: "+err.Error())
					break
				}
				for _, k := range out.Keys {
					ids = append(ids, k.KeyID)
					d, err := env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: k.KeyArn})
					require.NoError(t, err)
					w.Keys[k.KeyArn] = chkKeyView{Meta: d.KeyMetadata, Tags: chkAllTags(t, env, c, k.KeyArn)}
				}
				if !out.Truncated {
					break
				}
				marker = out.NextMarker
			}
			w.Lists[scope] = ids
		}
	}
	return w
}

// chkAllTags reads every page of a key's tags.
func chkAllTags(t testing.TB, env *kmstest.Env, c engine.Caller, keyID string) []keystore.Tag {
	t.Helper()
	var tags []keystore.Tag
	marker := ""
	for {
		out, err := env.Engine.ListResourceTags(c, engine.ListResourceTagsInput{KeyID: keyID, Marker: marker})
		require.NoError(t, err)
		tags = append(tags, out.Tags...)
		if !out.Truncated {
			return tags
		}
		marker = out.NextMarker
	}
}

// chkFails runs a call that must fail with want (placeholders already
// expanded) and asserts that it changed no observable state.
func chkFails(t testing.TB, env *kmstest.Env, want kmserrors.APIError, call func() error) {
	t.Helper()
	before := chkSnapshot(t, env)
	err := call()
	chkRequireErr(t, err, want)
	require.Equal(t, before, chkSnapshot(t, env), "a failed call changed the observable state")
}

// chkFailsType is chkFails for errors whose message the spec leaves open.
func chkFailsType(t testing.TB, env *kmstest.Env, want kmserrors.APIError, call func() error) {
	t.Helper()
	before := chkSnapshot(t, env)
	err := call()
	chkRequireErrType(t, err, want)
	require.Equal(t, before, chkSnapshot(t, env), "a failed call changed the observable state")
}

// chkPrimary creates a multi-Region primary key in r and returns its ID.
func chkPrimary(t testing.TB, env *kmstest.Env, r region.ID, in engine.CreateKeyInput) string {
	t.Helper()
	in.MultiRegion = true
	out, err := env.Engine.CreateKey(env.Caller(r), in)
	require.NoError(t, err)
	return out.KeyMetadata.KeyID
}

// chkSingle creates a single-Region key in r and returns its ID.
func chkSingle(t testing.TB, env *kmstest.Env, r region.ID, in engine.CreateKeyInput) string {
	t.Helper()
	out, err := env.Engine.CreateKey(env.Caller(r), in)
	require.NoError(t, err)
	require.False(t, out.KeyMetadata.MultiRegion)
	return out.KeyMetadata.KeyID
}

// chkReplicate replicates the primary id from Region from into to.
func chkReplicate(t testing.TB, env *kmstest.Env, id string, from, to region.ID) {
	t.Helper()
	_, err := env.Engine.ReplicateKey(env.Caller(from), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: to})
	require.NoError(t, err)
}

// chkDescribe returns the metadata of the key id in Region r.
func chkDescribe(t testing.TB, env *kmstest.Env, r region.ID, id string) engine.KeyMetadata {
	t.Helper()
	out, err := env.Engine.DescribeKey(env.Caller(r), engine.DescribeKeyInput{KeyID: id})
	require.NoError(t, err)
	return out.KeyMetadata
}

// chkCreated lets every replica leave Creating (and nothing else happen
// that takes longer).
func chkCreated(env *kmstest.Env) { env.Advance(engine.DefaultCreatingDelay) }

// chkMustState asserts the state of the key id in Region r.
func chkMustState(t testing.TB, env *kmstest.Env, r region.ID, id string, want keystore.KeyState) {
	t.Helper()
	require.Equal(t, want, chkDescribe(t, env, r, id).KeyState, "state of %s", chkARN(r, id))
}

// chkDisable disables the key id in Region r.
func chkDisable(t testing.TB, env *kmstest.Env, r region.ID, id string) {
	t.Helper()
	_, err := env.Engine.DisableKey(env.Caller(r), engine.DisableKeyInput{KeyID: id})
	require.NoError(t, err)
}

// chkSchedule schedules the deletion of the key id in Region r.
func chkSchedule(t testing.TB, env *kmstest.Env, r region.ID, id string, days int) *engine.ScheduleKeyDeletionOutput {
	t.Helper()
	out, err := env.Engine.ScheduleKeyDeletion(env.Caller(r), engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: days})
	require.NoError(t, err)
	return out
}

// chkPromote moves the primary id from Region from to Region to.
func chkPromote(t testing.TB, env *kmstest.Env, id string, from, to region.ID) {
	t.Helper()
	_, err := env.Engine.UpdatePrimaryRegion(env.Caller(from), engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: to})
	require.NoError(t, err)
}

// chkFault fails one operation with a fixed error.
type chkFault struct {
	op  string
	err error
}

func (f chkFault) Before(op engine.Op) error {
	if op.Name == f.op {
		return f.err
	}
	return nil
}

// chkTags returns n distinct tags k00, k01, ...
func chkTags(n int) []keystore.Tag {
	tags := make([]keystore.Tag, n)
	for i := range tags {
		tags[i] = keystore.Tag{Key: fmt.Sprintf("k%02d", i), Value: "v"}
	}
	return tags
}

// chkReplicateCase is one row of the ReplicateKey error table. setup
// builds the world and returns the caller's Region, the request and the
// key ID that {id} stands for in want.
type chkReplicateCase struct {
	name  string
	cfg   *engine.Config
	setup func(t *testing.T, env *kmstest.Env) (region.ID, engine.ReplicateKeyInput, string)
	want  kmserrors.APIError
}

// chkOnPrimary is the common setup: an Enabled multi-Region primary in
// us-east-1, called from us-east-1 with ReplicaRegion to, then mod.
func chkOnPrimary(to region.ID, mod func(in *engine.ReplicateKeyInput, id string)) func(*testing.T, *kmstest.Env) (region.ID, engine.ReplicateKeyInput, string) {
	return func(t *testing.T, env *kmstest.Env) (region.ID, engine.ReplicateKeyInput, string) {
		id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		in := engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: to}
		if mod != nil {
			mod(&in, id)
		}
		return "us-east-1", in, id
	}
}

// chkWithReplica is an Enabled primary in us-east-1 with an Enabled
// replica in us-west-2; prep may change either before the request.
func chkWithReplica(prep func(t *testing.T, env *kmstest.Env, id string), caller region.ID, to region.ID, mod func(in *engine.ReplicateKeyInput)) func(*testing.T, *kmstest.Env) (region.ID, engine.ReplicateKeyInput, string) {
	return func(t *testing.T, env *kmstest.Env) (region.ID, engine.ReplicateKeyInput, string) {
		id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		chkReplicate(t, env, id, "us-east-1", "us-west-2")
		chkCreated(env)
		if prep != nil {
			prep(t, env, id)
		}
		in := engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: to}
		if mod != nil {
			mod(&in)
		}
		return caller, in, id
	}
}

func TestSpecReplicateKeyErrors(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("x", n) }
	region33 := region.ID(strings.Repeat("a", 28) + "-bb-1") // matches the pattern, 33 characters
	bigPolicy := strings.Repeat("a", 32769)
	latin1Policy := strings.Repeat("é", 16385) // 16385 characters, 32770 UTF-8 bytes
	badPolicy := `{"Version":"2012-10-17","Statement":[{"Sid":"€"}]}`
	ctlPolicy := "{\x01}"
	upperKeyID := func(in *engine.ReplicateKeyInput, id string) { in.KeyID = "mrk-" + strings.ToUpper(id[4:]) }

	cases := []chkReplicateCase{
		// Row 1: model validation.
		{name: "row1/missing KeyId", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) { in.KeyID = "" }),
			want: &kmserrors.ValidationException{Message: chkOne("null", "keyId", "not be null")}},
		{name: "row1/missing ReplicaRegion", setup: chkOnPrimary("", nil),
			want: &kmserrors.ValidationException{Message: chkOne("null", "replicaRegion", "not be null")}},
		{name: "row1/ReplicaRegion uppercase", setup: chkOnPrimary("US-WEST-2", nil),
			want: &kmserrors.ValidationException{Message: chkOne("'US-WEST-2'", "replicaRegion", "satisfy regular expression pattern: "+chkRegionPattern)}},
		{name: "row1/ReplicaRegion four groups", setup: chkOnPrimary("us-west-x-y-2", nil),
			want: &kmserrors.ValidationException{Message: chkOne("'us-west-x-y-2'", "replicaRegion", "satisfy regular expression pattern: "+chkRegionPattern)}},
		{name: "row1/ReplicaRegion without number", setup: chkOnPrimary("aws-global", nil),
			want: &kmserrors.ValidationException{Message: chkOne("'aws-global'", "replicaRegion", "satisfy regular expression pattern: "+chkRegionPattern)}},
		{name: "row1/ReplicaRegion 33 characters", setup: chkOnPrimary(region33, nil),
			want: &kmserrors.ValidationException{Message: chkOne("'"+string(region33)+"'", "replicaRegion", "have length less than or equal to 32")}},
		{name: "row1/KeyId 2049 characters", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) { in.KeyID = long(2049) }),
			want: &kmserrors.ValidationException{Message: chkOne("'"+long(2049)+"'", "keyId", "have length less than or equal to 2048")}},
		{name: "row1/Description 8193 characters", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) { in.Description = long(8193) }),
			want: &kmserrors.ValidationException{Message: chkOne("'"+long(8193)+"'", "description", "have length less than or equal to 8192")}},
		{name: "row1/TagKey 129 characters", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) {
			in.Tags = []keystore.Tag{{Key: long(129), Value: "v"}}
		}), want: &kmserrors.ValidationException{Message: chkOne("'"+long(129)+"'", "tags.1.member.tagKey", "have length less than or equal to 128")}},
		{name: "row1/empty TagKey", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) {
			in.Tags = []keystore.Tag{{Key: "", Value: "v"}}
		}), want: &kmserrors.ValidationException{Message: chkOne("''", "tags.1.member.tagKey", "have length greater than or equal to 1")}},
		{name: "row1/TagValue 257 characters in the second tag", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) {
			in.Tags = []keystore.Tag{{Key: "a", Value: "ok"}, {Key: "b", Value: long(257)}}
		}), want: &kmserrors.ValidationException{Message: chkOne("'"+long(257)+"'", "tags.2.member.tagValue", "have length less than or equal to 256")}},
		{name: "row1/Policy with a character above U+00FF", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) { in.Policy = badPolicy }),
			want: &kmserrors.ValidationException{Message: chkOne("'"+badPolicy+"'", "policy", "satisfy regular expression pattern: "+chkPolicyPattern)}},
		{name: "row1/Policy with a control character", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) { in.Policy = ctlPolicy }),
			want: &kmserrors.ValidationException{Message: chkOne("'"+ctlPolicy+"'", "policy", "satisfy regular expression pattern: "+chkPolicyPattern)}},
		{name: "row1/three violations joined", setup: chkOnPrimary("X", func(in *engine.ReplicateKeyInput, _ string) {
			in.KeyID = ""
			in.Description = long(8193)
		}), want: &kmserrors.ValidationException{Message: "3 validation errors detected: " +
			chkVal("null", "keyId", "not be null") + "; " +
			chkVal("'X'", "replicaRegion", "satisfy regular expression pattern: "+chkRegionPattern) + "; " +
			chkVal("'"+long(8193)+"'", "description", "have length less than or equal to 8192")}},
		{name: "row1/two tag violations joined", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) {
			in.Tags = []keystore.Tag{{Key: long(129), Value: long(257)}}
		}), want: &kmserrors.ValidationException{Message: "2 validation errors detected: " +
			chkVal("'"+long(129)+"'", "tags.1.member.tagKey", "have length less than or equal to 128") + "; " +
			chkVal("'"+long(257)+"'", "tags.1.member.tagValue", "have length less than or equal to 256")}},
		{name: "row1/validation before alias check", setup: chkOnPrimary("X", func(in *engine.ReplicateKeyInput, _ string) { in.KeyID = "alias/foo" }),
			want: &kmserrors.ValidationException{Message: chkOne("'X'", "replicaRegion", "satisfy regular expression pattern: "+chkRegionPattern)}},

		// Row 2: aliases.
		{name: "row2/alias name", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) { in.KeyID = "alias/foo" }),
			want: &kmserrors.InvalidArnException{Message: "Key Aliases are not supported for this operation."}},
		{name: "row2/alias ARN", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) {
			in.KeyID = "arn:aws:kms:us-east-1:" + chkAcct + ":alias/foo"
		}), want: &kmserrors.InvalidArnException{Message: "Key Aliases are not supported for this operation."}},

		// Row 3: not found.
		{name: "row3/malformed key ID", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) { in.KeyID = "mrk-fake-key-id" }),
			want: &kmserrors.NotFoundException{Message: "Invalid keyId 'mrk-fake-key-id'"}},
		{name: "row3/unknown key ID", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) {
			in.KeyID = "mrk-0123456789abcdef0123456789abcdef"
		}), want: &kmserrors.NotFoundException{Message: "Key 'arn:aws:kms:us-east-1:" + chkAcct + ":key/mrk-0123456789abcdef0123456789abcdef' does not exist"}},
		{name: "row3/unknown key ARN", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) {
			in.KeyID = chkARN("us-east-1", "mrk-0123456789abcdef0123456789abcdef")
		}), want: &kmserrors.NotFoundException{Message: "Key 'arn:aws:kms:us-east-1:" + chkAcct + ":key/mrk-0123456789abcdef0123456789abcdef' does not exist"}},
		{name: "row3/uppercase key ID", setup: chkOnPrimary("us-west-2", upperKeyID),
			want: nil /* filled below: depends on the ID */},
		{name: "row3/ARN of another Region", setup: chkOnPrimary("eu-west-1", func(in *engine.ReplicateKeyInput, id string) {
			in.KeyID = chkARN("us-west-2", id)
		}), want: &kmserrors.NotFoundException{Message: "Invalid arn us-west-2"}},
		{name: "row3/ARN of another account", setup: chkOnPrimary("eu-west-1", func(in *engine.ReplicateKeyInput, id string) {
			in.KeyID = "arn:aws:kms:us-east-1:" + chkOtherAcct + ":key/" + id
		}), want: &kmserrors.NotFoundException{Message: "Key 'arn:aws:kms:us-east-1:" + chkOtherAcct + ":key/{id}' does not exist"}},

		// Rows 5 and 6: not a multi-Region primary.
		{name: "row5/replica still Creating", setup: func(t *testing.T, env *kmstest.Env) (region.ID, engine.ReplicateKeyInput, string) {
			id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
			chkReplicate(t, env, id, "us-east-1", "us-west-2")
			return "us-west-2", engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1"}, id
		}, want: &kmserrors.UnsupportedOperationException{Message: "arn:aws:kms:us-west-2:" + chkAcct + ":key/{id} is not a multi-region primary key."}},
		{name: "row5/Enabled replica", setup: chkWithReplica(nil, "us-west-2", "eu-west-1", nil),
			want: &kmserrors.UnsupportedOperationException{Message: "arn:aws:kms:us-west-2:" + chkAcct + ":key/{id} is not a multi-region primary key."}},
		{name: "row5/replica before Region rules", setup: chkWithReplica(nil, "us-west-2", "us-east-1", nil),
			want: &kmserrors.UnsupportedOperationException{Message: "arn:aws:kms:us-west-2:" + chkAcct + ":key/{id} is not a multi-region primary key."}},
		{name: "row5/Disabled replica: type before state", setup: chkWithReplica(func(t *testing.T, env *kmstest.Env, id string) {
			chkDisable(t, env, "us-west-2", id)
		}, "us-west-2", "eu-west-1", nil),
			want: &kmserrors.UnsupportedOperationException{Message: "arn:aws:kms:us-west-2:" + chkAcct + ":key/{id} is not a multi-region primary key."}},
		{name: "row6/single-Region key", setup: func(t *testing.T, env *kmstest.Env) (region.ID, engine.ReplicateKeyInput, string) {
			id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
			return "us-east-1", engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"}, id
		}, want: &kmserrors.UnsupportedOperationException{Message: "arn:aws:kms:us-east-1:" + chkAcct + ":key/{id} is not a multi-region primary key."}},

		// Rows 7-10: the primary's state.
		{name: "row7/primary Disabled", setup: chkWithReplica(func(t *testing.T, env *kmstest.Env, id string) {
			chkDisable(t, env, "us-east-1", id)
		}, "us-east-1", "eu-west-1", nil),
			want: &kmserrors.DisabledException{Message: "arn:aws:kms:us-east-1:" + chkAcct + ":key/{id} is disabled."}},
		{name: "row7/primary Disabled before Region rules", setup: func(t *testing.T, env *kmstest.Env) (region.ID, engine.ReplicateKeyInput, string) {
			id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
			chkDisable(t, env, "us-east-1", id)
			return "us-east-1", engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-east-1"}, id
		}, want: &kmserrors.DisabledException{Message: "arn:aws:kms:us-east-1:" + chkAcct + ":key/{id} is disabled."}},
		{name: "row8/primary PendingDeletion", setup: func(t *testing.T, env *kmstest.Env) (region.ID, engine.ReplicateKeyInput, string) {
			id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
			chkSchedule(t, env, "us-east-1", id, 7)
			return "us-east-1", engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"}, id
		}, want: &kmserrors.KMSInvalidStateException{Message: "arn:aws:kms:us-east-1:" + chkAcct + ":key/{id} is pending deletion."}},
		{name: "row8/primary PendingReplicaDeletion", setup: chkWithReplica(func(t *testing.T, env *kmstest.Env, id string) {
			chkSchedule(t, env, "us-east-1", id, 7)
		}, "us-east-1", "eu-west-1", nil),
			want: &kmserrors.KMSInvalidStateException{Message: "arn:aws:kms:us-east-1:" + chkAcct + ":key/{id} is pending replica deletion."}},
		{name: "row9/primary PendingImport", setup: func(t *testing.T, env *kmstest.Env) (region.ID, engine.ReplicateKeyInput, string) {
			id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{Origin: keystore.OriginExternal})
			return "us-east-1", engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"}, id
		}, want: &kmserrors.KMSInvalidStateException{Message: "arn:aws:kms:us-east-1:" + chkAcct + ":key/{id} is pending import."}},
		{name: "row10/new primary Updating", setup: chkWithReplica(func(t *testing.T, env *kmstest.Env, id string) {
			chkPromote(t, env, id, "us-east-1", "us-west-2")
		}, "us-west-2", "eu-west-1", nil),
			want: &kmserrors.KMSInvalidStateException{Message: "arn:aws:kms:us-west-2:" + chkAcct + ":key/{id} is updating."}},
		{name: "row10/demoted primary Updating is a replica", setup: chkWithReplica(func(t *testing.T, env *kmstest.Env, id string) {
			chkPromote(t, env, id, "us-east-1", "us-west-2")
		}, "us-east-1", "eu-west-1", nil),
			want: &kmserrors.UnsupportedOperationException{Message: "arn:aws:kms:us-east-1:" + chkAcct + ":key/{id} is not a multi-region primary key."}},

		// Rows 11-13: the replica Region.
		{name: "row11/replica in the primary's Region", setup: chkOnPrimary("us-east-1", nil),
			want: &kmserrors.ValidationException{Message: "us-east-1 cannot have a replica because it contains the primary."}},
		{name: "row12/China partition", setup: chkOnPrimary("cn-north-1", nil),
			want: &kmserrors.ValidationException{Message: "The replica key Region must be in the same AWS partition as the primary key Region."}},
		{name: "row12/GovCloud partition", setup: chkOnPrimary("us-gov-west-1", nil),
			want: &kmserrors.ValidationException{Message: "The replica key Region must be in the same AWS partition as the primary key Region."}},
		{name: "row13/unknown Region", setup: chkOnPrimary("us-invalid-1", nil),
			want: &kmserrors.ValidationException{Message: "Region us-invalid-1 is not a valid Region or multi-Region keys are not supported in Region us-invalid-1."}},
		{name: "row13/Region without multi-Region keys", cfg: &engine.Config{NoMultiRegion: []region.ID{"eu-west-1"}}, setup: chkOnPrimary("eu-west-1", nil),
			want: &kmserrors.ValidationException{Message: "Region eu-west-1 is not a valid Region or multi-Region keys are not supported in Region eu-west-1."}},
		{name: "row13/opt-in Region not enabled", setup: chkOnPrimary("ap-east-1", nil),
			want: &kmserrors.ValidationException{Message: "Region ap-east-1 is not a valid Region or multi-Region keys are not supported in Region ap-east-1."}},
		{name: "row13/partition before existence", setup: chkOnPrimary("cn-invalid-9", nil),
			want: &kmserrors.ValidationException{Message: "The replica key Region must be in the same AWS partition as the primary key Region."}},

		// Row 14: one related key per Region.
		{name: "row14/replica exists and is Creating", setup: func(t *testing.T, env *kmstest.Env) (region.ID, engine.ReplicateKeyInput, string) {
			id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
			chkReplicate(t, env, id, "us-east-1", "us-west-2")
			return "us-east-1", engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"}, id
		}, want: &kmserrors.AlreadyExistsException{Message: "You can create only one replica of each primary key in each AWS Region."}},
		{name: "row14/replica exists and is Enabled", setup: chkWithReplica(nil, "us-east-1", "us-west-2", nil),
			want: &kmserrors.AlreadyExistsException{Message: "You can create only one replica of each primary key in each AWS Region."}},
		{name: "row14/replica is Disabled", setup: chkWithReplica(func(t *testing.T, env *kmstest.Env, id string) {
			chkDisable(t, env, "us-west-2", id)
		}, "us-east-1", "us-west-2", nil),
			want: &kmserrors.AlreadyExistsException{Message: "You can create only one replica of each primary key in each AWS Region."}},
		{name: "row14/replica is PendingDeletion", setup: chkWithReplica(func(t *testing.T, env *kmstest.Env, id string) {
			chkSchedule(t, env, "us-west-2", id, 7)
		}, "us-east-1", "us-west-2", nil),
			want: &kmserrors.AlreadyExistsException{Message: "You can create only one replica of each primary key in each AWS Region."}},
		{name: "row14/before tag rules", setup: chkWithReplica(nil, "us-east-1", "us-west-2", func(in *engine.ReplicateKeyInput) {
			in.Tags = []keystore.Tag{{Key: "aws:x", Value: "v"}}
		}), want: &kmserrors.AlreadyExistsException{Message: "You can create only one replica of each primary key in each AWS Region."}},

		// Row 15: tags.
		{name: "row15/aws: prefix", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) {
			in.Tags = []keystore.Tag{{Key: "aws:key1", Value: "v"}}
		}), want: &kmserrors.TagException{Message: "Tags beginning with aws: are reserved"}},
		{name: "row15/AWS: prefix", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) {
			in.Tags = []keystore.Tag{{Key: "ok", Value: "v"}, {Key: "AWS:key1", Value: "v"}}
		}), want: &kmserrors.TagException{Message: "Tags beginning with aws: are reserved"}},
		{name: "row15/aWs: prefix", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) {
			in.Tags = []keystore.Tag{{Key: "aWs:", Value: ""}}
		}), want: &kmserrors.TagException{Message: "Tags beginning with aws: are reserved"}},
		{name: "row15/duplicate keys", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) {
			in.Tags = []keystore.Tag{{Key: "k", Value: "1"}, {Key: "k", Value: "2"}}
		}), want: &kmserrors.TagException{Message: "Duplicate tag keys"}},
		{name: "row15/51 tags", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) { in.Tags = chkTags(51) }),
			want: &kmserrors.TagException{Message: "Too many tags"}},
		{name: "row15/tags before policy size", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) {
			in.Tags = chkTags(51)
			in.Policy = bigPolicy
		}), want: &kmserrors.TagException{Message: "Too many tags"}},

		// Row 17: quotas.
		{name: "row17/policy of 32769 bytes", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) { in.Policy = bigPolicy }),
			want: &kmserrors.LimitExceededException{Message: "The key policy exceeds the maximum allowed size."}},
		{name: "row17/policy of 16385 Latin-1 characters is 32770 bytes", setup: chkOnPrimary("us-west-2", func(in *engine.ReplicateKeyInput, _ string) { in.Policy = latin1Policy }),
			want: &kmserrors.LimitExceededException{Message: "The key policy exceeds the maximum allowed size."}},
		{name: "row17/key quota of the replica Region", cfg: &engine.Config{KeyQuota: 1}, setup: func(t *testing.T, env *kmstest.Env) (region.ID, engine.ReplicateKeyInput, string) {
			id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
			chkSingle(t, env, "us-west-2", engine.CreateKeyInput{})
			return "us-east-1", engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"}, id
		}, want: &kmserrors.LimitExceededException{Message: "The request was rejected because a quota was exceeded."}},

		// Row 19: fault injection.
		{name: "row19/injected KMSInternalException", cfg: &engine.Config{Faults: chkFault{op: "ReplicateKey", err: &kmserrors.KMSInternalException{Message: "injected"}}},
			setup: chkOnPrimary("us-west-2", nil), want: &kmserrors.KMSInternalException{Message: "injected"}},
		{name: "row19/injected DependencyTimeoutException", cfg: &engine.Config{Faults: chkFault{op: "ReplicateKey", err: &kmserrors.DependencyTimeoutException{Message: "slow"}}},
			setup: chkOnPrimary("us-west-2", nil), want: &kmserrors.DependencyTimeoutException{Message: "slow"}},
		{name: "row19/injected fault before validation", cfg: &engine.Config{Faults: chkFault{op: "ReplicateKey", err: &kmserrors.KMSInternalException{Message: "injected"}}},
			setup: chkOnPrimary("X", nil), want: &kmserrors.KMSInternalException{Message: "injected"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var opts []kmstest.Option
			if tc.cfg != nil {
				opts = append(opts, kmstest.WithConfig(*tc.cfg))
			}
			env := kmstest.NewEnv(t, opts...)
			r, in, id := tc.setup(t, env)
			want := tc.want
			if want == nil { // the uppercase row
				want = &kmserrors.NotFoundException{Message: "Key '" + chkARN("us-east-1", in.KeyID) + "' does not exist"}
			}
			want = chkExpand(want, id, "")
			chkFails(t, env, want, func() error {
				out, err := env.Engine.ReplicateKey(env.Caller(r), in)
				if err == nil {
					require.Nil(t, out)
				}
				return err
			})
		})
	}

	t.Run("row19/plain error becomes KMSInternalException", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{Faults: chkFault{op: "ReplicateKey", err: errors.New("disk on fire")}}))
		id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		before := chkSnapshot(t, env)
		_, err := env.Engine.ReplicateKey(env.Caller("us-east-1"), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"})
		chkRequireErrType(t, err, &kmserrors.KMSInternalException{})
		require.Equal(t, before, chkSnapshot(t, env))
	})

	t.Run("row13/opt-in Region works once enabled", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		_, err := env.Engine.ReplicateKey(env.Caller("us-east-1"), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "ap-east-1"})
		chkRequireErr(t, err, &kmserrors.ValidationException{Message: "Region ap-east-1 is not a valid Region or multi-Region keys are not supported in Region ap-east-1."})
		require.NoError(t, env.Engine.EnableRegion(chkAcct, "ap-east-1"))
		out, err := env.Engine.ReplicateKey(env.Caller("us-east-1"), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "ap-east-1"})
		require.NoError(t, err)
		require.Equal(t, chkARN("ap-east-1", id), out.ReplicaKeyMetadata.Arn)
		require.Equal(t, keystore.Creating, out.ReplicaKeyMetadata.KeyState)
		chkCreated(env)
		chkMustState(t, env, "ap-east-1", id, keystore.Enabled)
	})

	t.Run("row14/deleted replica can be recreated", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		chkReplicate(t, env, id, "us-east-1", "us-west-2")
		chkCreated(env)
		chkSchedule(t, env, "us-west-2", id, 7)
		env.Settle()
		_, err := env.Engine.DescribeKey(env.Caller("us-west-2"), engine.DescribeKeyInput{KeyID: id})
		chkRequireErr(t, err, &kmserrors.NotFoundException{Message: "Key '" + chkARN("us-west-2", id) + "' does not exist"})
		out, err := env.Engine.ReplicateKey(env.Caller("us-east-1"), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"})
		require.NoError(t, err)
		require.Equal(t, id, out.ReplicaKeyMetadata.KeyID)
		require.Equal(t, []engine.MultiRegionKey{{Arn: chkARN("us-west-2", id), Region: "us-west-2"}},
			chkDescribe(t, env, "us-east-1", id).MultiRegionConfiguration.ReplicaKeys)
	})

	t.Run("R7/unrelated multi-Region keys share a Region", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		a := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		b := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		chkReplicate(t, env, a, "us-east-1", "us-west-2")
		chkReplicate(t, env, b, "us-east-1", "us-west-2")
	})
}

// chkUPRCase is one row of the UpdatePrimaryRegion error table.
type chkUPRCase struct {
	name  string
	cfg   *engine.Config
	setup func(t *testing.T, env *kmstest.Env) (region.ID, engine.UpdatePrimaryRegionInput, string)
	want  kmserrors.APIError
}

// chkUPRWorld is a primary in us-east-1 with replicas in us-west-2 and
// eu-west-1, all Enabled; prep may change them before the request, which
// is sent from caller with KeyId id and PrimaryRegion to.
func chkUPRWorld(prep func(t *testing.T, env *kmstest.Env, id string), caller, to region.ID) func(*testing.T, *kmstest.Env) (region.ID, engine.UpdatePrimaryRegionInput, string) {
	return func(t *testing.T, env *kmstest.Env) (region.ID, engine.UpdatePrimaryRegionInput, string) {
		id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		chkReplicate(t, env, id, "us-east-1", "us-west-2")
		chkReplicate(t, env, id, "us-east-1", "eu-west-1")
		chkCreated(env)
		if prep != nil {
			prep(t, env, id)
		}
		return caller, engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: to}, id
	}
}

// chkUPRKeyID is chkUPRWorld with the KeyId replaced by key(id).
func chkUPRKeyID(key func(id string) string, to region.ID) func(*testing.T, *kmstest.Env) (region.ID, engine.UpdatePrimaryRegionInput, string) {
	return func(t *testing.T, env *kmstest.Env) (region.ID, engine.UpdatePrimaryRegionInput, string) {
		r, in, id := chkUPRWorld(nil, "us-east-1", to)(t, env)
		in.KeyID = key(id)
		return r, in, id
	}
}

func TestSpecUpdatePrimaryRegionErrors(t *testing.T) {
	t.Parallel()
	noReplica := &kmserrors.ValidationException{Message: "{id} does not have a replica key in the specified Region."}
	cases := []chkUPRCase{
		{name: "validation/missing KeyId", setup: chkUPRKeyID(func(string) string { return "" }, "us-west-2"),
			want: &kmserrors.ValidationException{Message: chkOne("null", "keyId", "not be null")}},
		{name: "validation/missing PrimaryRegion", setup: chkUPRWorld(nil, "us-east-1", ""),
			want: &kmserrors.ValidationException{Message: chkOne("null", "primaryRegion", "not be null")}},
		{name: "validation/PrimaryRegion pattern", setup: chkUPRWorld(nil, "us-east-1", "us_west_2"),
			want: &kmserrors.ValidationException{Message: chkOne("'us_west_2'", "primaryRegion", "satisfy regular expression pattern: "+chkRegionPattern)}},
		{name: "validation/two violations", setup: chkUPRKeyID(func(string) string { return "" }, "Us-West-2"),
			want: &kmserrors.ValidationException{Message: "2 validation errors detected: " + chkVal("null", "keyId", "not be null") + "; " +
				chkVal("'Us-West-2'", "primaryRegion", "satisfy regular expression pattern: "+chkRegionPattern)}},
		{name: "alias name", setup: chkUPRKeyID(func(string) string { return "alias/foo" }, "us-west-2"),
			want: &kmserrors.InvalidArnException{Message: "Key Aliases are not supported for this operation."}},
		{name: "alias ARN", setup: chkUPRKeyID(func(string) string { return "arn:aws:kms:us-east-1:" + chkAcct + ":alias/foo" }, "us-west-2"),
			want: &kmserrors.InvalidArnException{Message: "Key Aliases are not supported for this operation."}},
		{name: "malformed key ID", setup: chkUPRKeyID(func(string) string { return "fake-key-id" }, "us-west-2"),
			want: &kmserrors.NotFoundException{Message: "Invalid keyId 'fake-key-id'"}},
		{name: "unknown key ID", setup: chkUPRKeyID(func(string) string { return "mrk-00000000000000000000000000000000" }, "us-west-2"),
			want: &kmserrors.NotFoundException{Message: "Key 'arn:aws:kms:us-east-1:" + chkAcct + ":key/mrk-00000000000000000000000000000000' does not exist"}},
		{name: "ARN of another Region", setup: chkUPRKeyID(func(id string) string { return chkARN("eu-west-1", id) }, "us-west-2"),
			want: &kmserrors.NotFoundException{Message: "Invalid arn eu-west-1"}},
		{name: "replica as KeyId", setup: chkUPRWorld(nil, "us-west-2", "eu-west-1"),
			want: &kmserrors.KMSInvalidStateException{Message: "arn:aws:kms:us-west-2:" + chkAcct + ":key/{id} is not a multi-Region primary key."}},
		{name: "replica as KeyId naming its own Region", setup: chkUPRWorld(nil, "us-west-2", "us-west-2"),
			want: &kmserrors.KMSInvalidStateException{Message: "arn:aws:kms:us-west-2:" + chkAcct + ":key/{id} is not a multi-Region primary key."}},
		{name: "Creating replica as KeyId", setup: func(t *testing.T, env *kmstest.Env) (region.ID, engine.UpdatePrimaryRegionInput, string) {
			id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
			chkReplicate(t, env, id, "us-east-1", "us-west-2")
			return "us-west-2", engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: "us-east-1"}, id
		}, want: &kmserrors.KMSInvalidStateException{Message: "arn:aws:kms:us-west-2:" + chkAcct + ":key/{id} is not a multi-Region primary key."}},
		{name: "demoted primary while Updating", setup: chkUPRWorld(func(t *testing.T, env *kmstest.Env, id string) {
			chkPromote(t, env, id, "us-east-1", "us-west-2")
		}, "us-east-1", "eu-west-1"),
			want: &kmserrors.KMSInvalidStateException{Message: "arn:aws:kms:us-east-1:" + chkAcct + ":key/{id} is not a multi-Region primary key."}},
		{name: "single-Region key", setup: func(t *testing.T, env *kmstest.Env) (region.ID, engine.UpdatePrimaryRegionInput, string) {
			id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
			return "us-east-1", engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: "us-west-2"}, id
		}, want: &kmserrors.UnsupportedOperationException{Message: "arn:aws:kms:us-east-1:" + chkAcct + ":key/{id} is not a multi-Region key."}},
		{name: "no replica in the Region", setup: chkUPRWorld(nil, "us-east-1", "ap-northeast-1"), want: noReplica},
		{name: "no replica: unknown Region", setup: chkUPRWorld(nil, "us-east-1", "us-invalid-1"), want: noReplica},
		{name: "no replica: other partition", setup: chkUPRWorld(nil, "us-east-1", "cn-north-1"), want: noReplica},
		{name: "no replica: lone primary", setup: func(t *testing.T, env *kmstest.Env) (region.ID, engine.UpdatePrimaryRegionInput, string) {
			id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
			return "us-east-1", engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: "us-west-2"}, id
		}, want: noReplica},
		{name: "no replica: primary PendingDeletion has none left", setup: func(t *testing.T, env *kmstest.Env) (region.ID, engine.UpdatePrimaryRegionInput, string) {
			id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
			chkSchedule(t, env, "us-east-1", id, 7)
			return "us-east-1", engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: "us-west-2"}, id
		}, want: noReplica},
		{name: "no replica: primary PendingImport", setup: func(t *testing.T, env *kmstest.Env) (region.ID, engine.UpdatePrimaryRegionInput, string) {
			id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{Origin: keystore.OriginExternal})
			return "us-east-1", engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: "us-west-2"}, id
		}, want: noReplica},
		{name: "primary Disabled", setup: chkUPRWorld(func(t *testing.T, env *kmstest.Env, id string) {
			chkDisable(t, env, "us-east-1", id)
		}, "us-east-1", "us-west-2"),
			want: &kmserrors.DisabledException{Message: "arn:aws:kms:us-east-1:" + chkAcct + ":key/{id} is disabled."}},
		{name: "primary PendingReplicaDeletion", setup: chkUPRWorld(func(t *testing.T, env *kmstest.Env, id string) {
			chkSchedule(t, env, "us-east-1", id, 7)
		}, "us-east-1", "us-west-2"),
			want: &kmserrors.KMSInvalidStateException{Message: "arn:aws:kms:us-east-1:" + chkAcct + ":key/{id} is pending replica deletion."}},
		{name: "primary Updating", setup: chkUPRWorld(func(t *testing.T, env *kmstest.Env, id string) {
			chkPromote(t, env, id, "us-east-1", "us-west-2")
		}, "us-west-2", "eu-west-1"),
			want: &kmserrors.KMSInvalidStateException{Message: "arn:aws:kms:us-west-2:" + chkAcct + ":key/{id} is updating."}},
		{name: "primary Updating, back to the demoted key", setup: chkUPRWorld(func(t *testing.T, env *kmstest.Env, id string) {
			chkPromote(t, env, id, "us-east-1", "us-west-2")
		}, "us-west-2", "us-east-1"),
			want: &kmserrors.KMSInvalidStateException{Message: "arn:aws:kms:us-west-2:" + chkAcct + ":key/{id} is updating."}},
		{name: "replica Disabled", setup: chkUPRWorld(func(t *testing.T, env *kmstest.Env, id string) {
			chkDisable(t, env, "us-west-2", id)
		}, "us-east-1", "us-west-2"),
			want: &kmserrors.DisabledException{Message: "arn:aws:kms:us-west-2:" + chkAcct + ":key/{id} is disabled."}},
		{name: "replica PendingDeletion", setup: chkUPRWorld(func(t *testing.T, env *kmstest.Env, id string) {
			chkSchedule(t, env, "us-west-2", id, 7)
		}, "us-east-1", "us-west-2"),
			want: &kmserrors.KMSInvalidStateException{Message: "arn:aws:kms:us-west-2:" + chkAcct + ":key/{id} is pending deletion."}},
		{name: "replica Creating", setup: chkUPRWorld(func(t *testing.T, env *kmstest.Env, id string) {
			chkReplicate(t, env, id, "us-east-1", "ap-northeast-1")
		}, "us-east-1", "ap-northeast-1"),
			want: &kmserrors.KMSInvalidStateException{Message: "arn:aws:kms:ap-northeast-1:" + chkAcct + ":key/{id} is creating."}},
		{name: "primary state before replica state", setup: chkUPRWorld(func(t *testing.T, env *kmstest.Env, id string) {
			chkDisable(t, env, "us-west-2", id)
			chkDisable(t, env, "us-east-1", id)
		}, "us-east-1", "us-west-2"),
			want: &kmserrors.DisabledException{Message: "arn:aws:kms:us-east-1:" + chkAcct + ":key/{id} is disabled."}},
		{name: "injected fault", cfg: &engine.Config{Faults: chkFault{op: "UpdatePrimaryRegion", err: &kmserrors.KMSInternalException{Message: "injected"}}},
			setup: chkUPRWorld(nil, "us-east-1", "us-west-2"), want: &kmserrors.KMSInternalException{Message: "injected"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var opts []kmstest.Option
			if tc.cfg != nil {
				opts = append(opts, kmstest.WithConfig(*tc.cfg))
			}
			env := kmstest.NewEnv(t, opts...)
			r, in, id := tc.setup(t, env)
			chkFails(t, env, chkExpand(tc.want, id, ""), func() error {
				_, err := env.Engine.UpdatePrimaryRegion(env.Caller(r), in)
				return err
			})
		})
	}

	t.Run("current primary Region is a no-op", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		_, in, id := chkUPRWorld(nil, "us-east-1", "us-east-1")(t, env)
		before := chkSnapshot(t, env)
		require.Empty(t, before.Pending)
		out, err := env.Engine.UpdatePrimaryRegion(env.Caller("us-east-1"), in)
		require.NoError(t, err)
		require.NotNil(t, out)
		after := chkSnapshot(t, env)
		require.Equal(t, before, after)
		require.Empty(t, after.Pending, "no Updating transition")
		for _, r := range []region.ID{"us-east-1", "us-west-2", "eu-west-1"} {
			m := chkDescribe(t, env, r, id)
			require.Equal(t, keystore.Enabled, m.KeyState)
			require.Equal(t, chkARN("us-east-1", id), m.MultiRegionConfiguration.PrimaryKey.Arn)
		}
	})

	t.Run("current primary Region of a lone primary is a no-op", func(t *testing.T) {
		t.Parallel()
		env := kmstest.NewEnv(t)
		id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		before := chkSnapshot(t, env)
		_, err := env.Engine.UpdatePrimaryRegion(env.Caller("us-east-1"), engine.UpdatePrimaryRegionInput{KeyID: chkARN("us-east-1", id), PrimaryRegion: "us-east-1"})
		require.NoError(t, err)
		require.Equal(t, before, chkSnapshot(t, env))
	})
}

// TestSpecResolve checks identifier resolution (spec §1.6) on DescribeKey,
// which takes aliases and other accounts' keys, and on ListResourceTags, a
// key-ID-only operation that changes nothing.
func TestSpecResolve(t *testing.T) {
	t.Parallel()
	env := kmstest.NewEnv(t)
	single := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
	mrk := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
	chkReplicate(t, env, mrk, "us-east-1", "us-west-2")
	c := env.Caller("us-east-1")
	upper := strings.ToUpper(single)
	upperMRK := "mrk-" + strings.ToUpper(mrk[4:])
	noHyphens := strings.ReplaceAll(single, "-", "")
	otherAcctARN := "arn:aws:kms:us-east-1:" + chkOtherAcct + ":key/" + single
	aliasARN := "arn:aws:kms:us-east-1:" + chkAcct + ":alias/missing"
	aliasesUnsupported := &kmserrors.InvalidArnException{Message: "Key Aliases are not supported for this operation."}

	type want struct {
		ok  string             // ARN of the key found
		err kmserrors.APIError // else this error
	}
	cases := []struct {
		name      string
		input     string
		describe  want
		keyIDOnly want
	}{
		{"key ID", single, want{ok: chkARN("us-east-1", single)}, want{ok: chkARN("us-east-1", single)}},
		{"key ARN", chkARN("us-east-1", single), want{ok: chkARN("us-east-1", single)}, want{ok: chkARN("us-east-1", single)}},
		{"multi-Region key ID", mrk, want{ok: chkARN("us-east-1", mrk)}, want{ok: chkARN("us-east-1", mrk)}},
		{"multi-Region key ARN", chkARN("us-east-1", mrk), want{ok: chkARN("us-east-1", mrk)}, want{ok: chkARN("us-east-1", mrk)}},
		{"uppercase key ID: well-formed, not found", upper,
			want{err: &kmserrors.NotFoundException{Message: "Key '" + chkARN("us-east-1", upper) + "' does not exist"}},
			want{err: &kmserrors.NotFoundException{Message: "Key '" + chkARN("us-east-1", upper) + "' does not exist"}}},
		{"uppercase multi-Region key ID: well-formed, not found", upperMRK,
			want{err: &kmserrors.NotFoundException{Message: "Key '" + chkARN("us-east-1", upperMRK) + "' does not exist"}},
			want{err: &kmserrors.NotFoundException{Message: "Key '" + chkARN("us-east-1", upperMRK) + "' does not exist"}}},
		{"32 hex digits without hyphens", noHyphens,
			want{err: &kmserrors.NotFoundException{Message: "Invalid keyId '" + noHyphens + "'"}},
			want{err: &kmserrors.NotFoundException{Message: "Invalid keyId '" + noHyphens + "'"}}},
		{"mrk-fake-key-id", "mrk-fake-key-id",
			want{err: &kmserrors.NotFoundException{Message: "Invalid keyId 'mrk-fake-key-id'"}},
			want{err: &kmserrors.NotFoundException{Message: "Invalid keyId 'mrk-fake-key-id'"}}},
		{"fake-key-id", "fake-key-id",
			want{err: &kmserrors.NotFoundException{Message: "Invalid keyId 'fake-key-id'"}},
			want{err: &kmserrors.NotFoundException{Message: "Invalid keyId 'fake-key-id'"}}},
		{"unknown UUID", "11111111-2222-4333-8444-555555555555",
			want{err: &kmserrors.NotFoundException{Message: "Key '" + chkARN("us-east-1", "11111111-2222-4333-8444-555555555555") + "' does not exist"}},
			want{err: &kmserrors.NotFoundException{Message: "Key '" + chkARN("us-east-1", "11111111-2222-4333-8444-555555555555") + "' does not exist"}}},
		{"S3 ARN", "arn:aws:s3:::x",
			want{err: &kmserrors.InvalidArnException{Message: "arn:aws:s3:::x is not a valid ARN."}},
			want{err: &kmserrors.InvalidArnException{Message: "arn:aws:s3:::x is not a valid ARN."}}},
		{"ARN with too few fields", "arn:aws:kms:us-east-1:" + chkAcct,
			want{err: &kmserrors.InvalidArnException{Message: "arn:aws:kms:us-east-1:" + chkAcct + " is not a valid ARN."}},
			want{err: &kmserrors.InvalidArnException{Message: "arn:aws:kms:us-east-1:" + chkAcct + " is not a valid ARN."}}},
		{"KMS ARN of another resource type", "arn:aws:kms:us-east-1:" + chkAcct + ":grant/abc",
			want{err: &kmserrors.InvalidArnException{Message: "arn:aws:kms:us-east-1:" + chkAcct + ":grant/abc is not a valid ARN."}},
			want{err: &kmserrors.InvalidArnException{Message: "arn:aws:kms:us-east-1:" + chkAcct + ":grant/abc is not a valid ARN."}}},
		{"key ARN of another account", otherAcctARN,
			want{err: &kmserrors.NotFoundException{Message: "Key '" + otherAcctARN + "' does not exist"}},
			want{err: &kmserrors.NotFoundException{Message: "Key '" + otherAcctARN + "' does not exist"}}},
		{"key ARN of another Region", chkARN("us-west-2", mrk),
			want{err: &kmserrors.NotFoundException{Message: "Invalid arn us-west-2"}},
			want{err: &kmserrors.NotFoundException{Message: "Invalid arn us-west-2"}}},
		{"alias name", "alias/missing",
			want{err: &kmserrors.NotFoundException{Message: "Alias " + aliasARN + " is not found."}},
			want{err: aliasesUnsupported}},
		{"alias ARN", aliasARN,
			want{err: &kmserrors.NotFoundException{Message: "Alias " + aliasARN + " is not found."}},
			want{err: aliasesUnsupported}},
		{"empty", "",
			want{err: &kmserrors.ValidationException{Message: chkOne("null", "keyId", "not be null")}},
			want{err: &kmserrors.ValidationException{Message: chkOne("null", "keyId", "not be null")}}},
	}
	for _, tc := range cases {
		t.Run("DescribeKey/"+tc.name, func(t *testing.T) {
			out, err := env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: tc.input})
			if tc.describe.err != nil {
				chkRequireErr(t, err, tc.describe.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.describe.ok, out.KeyMetadata.Arn)
		})
		t.Run("ListResourceTags/"+tc.name, func(t *testing.T) {
			out, err := env.Engine.ListResourceTags(c, engine.ListResourceTagsInput{KeyID: tc.input})
			if tc.keyIDOnly.err != nil {
				chkRequireErr(t, err, tc.keyIDOnly.err)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, out.Tags)
		})
	}

	t.Run("DescribeKey/key ARN of another existing account", func(t *testing.T) {
		require.NoError(t, env.Engine.CreateAccount(engine.AccountInput{ID: "555566667777"}))
		arn := "arn:aws:kms:us-east-1:555566667777:key/" + mrk
		_, err := env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: arn})
		chkRequireErr(t, err, &kmserrors.NotFoundException{Message: "Key '" + arn + "' does not exist"})
	})

	t.Run("invalid UTF-8 never panics", func(t *testing.T) {
		inputs := []string{
			"\xff",
			"\xff\xfe\xfd",
			strings.Repeat("\xff", 36),
			"mrk-\xff" + strings.Repeat("0", 31),
			"alias/\xff",
			"arn:\xff",
			"arn:aws:kms:us-east-1:" + chkAcct + ":key/\xff\xfe",
			"arn:aws:kms:\xff:" + chkAcct + ":key/" + single,
			"arn:aws:kms:us-east-1:" + chkAcct + ":alias/\xc3",
			"arn:aws:kms:us-east-1:\xff:key/" + single,
		}
		for _, in := range inputs {
			for name, call := range map[string]func() error{
				"DescribeKey": func() error {
					_, err := env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: in})
					return err
				},
				"ListResourceTags": func() error {
					_, err := env.Engine.ListResourceTags(c, engine.ListResourceTagsInput{KeyID: in})
					return err
				},
				"ReplicateKey": func() error {
					_, err := env.Engine.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: in, ReplicaRegion: region.ID(in)})
					return err
				},
				"UpdatePrimaryRegion": func() error {
					_, err := env.Engine.UpdatePrimaryRegion(c, engine.UpdatePrimaryRegionInput{KeyID: in, PrimaryRegion: region.ID(in)})
					return err
				},
				"UpdateKeyDescription": func() error {
					_, err := env.Engine.UpdateKeyDescription(c, engine.UpdateKeyDescriptionInput{KeyID: in, Description: in})
					return err
				},
			} {
				var err error
				require.NotPanics(t, func() { err = call() }, "%s(%q)", name, in)
				require.Errorf(t, err, "%s(%q)", name, in)
				ae, ok := kmserrors.As(err)
				require.Truef(t, ok, "%s(%q): %T is not a KMS error", name, in, err)
				require.Truef(t, utf8.ValidString(ae.ErrorMessage()), "%s(%q): message %q", name, in, ae.ErrorMessage())
			}
		}
	})
}

// TestSpecCallers checks authentication: every failure is
// UnrecognizedClientException; known users, roles and role sessions can
// call.
func TestSpecCallers(t *testing.T) {
	t.Parallel()
	env := kmstest.NewEnv(t)
	require.NoError(t, env.Engine.CreateAccount(engine.AccountInput{ID: chkOtherAcct}))
	require.NoError(t, env.Engine.CreateAccount(engine.AccountInput{ID: "222233334444", Partition: "aws-cn"}))
	require.NoError(t, env.Engine.CreatePrincipal("arn:aws:iam::"+chkAcct+":user/alice"))
	require.NoError(t, env.Engine.CreatePrincipal("arn:aws:iam::"+chkAcct+":role/ops/Admin"))
	// Users and roles act only through IAM policies (spec §7.6).
	allowAll := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`
	require.NoError(t, env.Engine.PutPrincipalPolicy("arn:aws:iam::"+chkAcct+":user/alice", "kms", allowAll))
	require.NoError(t, env.Engine.PutPrincipalPolicy("arn:aws:iam::"+chkAcct+":role/ops/Admin", "kms", allowAll))
	require.NoError(t, env.Engine.CreatePrincipal("arn:aws:iam::"+chkOtherAcct+":user/bob"))
	unrecognized := &kmserrors.UnrecognizedClientException{Message: "The security token included in the request is invalid."}

	bad := []struct {
		name   string
		caller engine.Caller
	}{
		{"unknown account", engine.Caller{Account: "999999999999", Region: "us-east-1"}},
		{"malformed account", engine.Caller{Account: "123", Region: "us-east-1"}},
		{"principal not in the account", engine.Caller{Account: chkAcct, Principal: "arn:aws:iam::" + chkAcct + ":user/ghost", Region: "us-east-1"}},
		{"principal of another account", engine.Caller{Account: chkAcct, Principal: "arn:aws:iam::" + chkOtherAcct + ":user/bob", Region: "us-east-1"}},
		{"root of another account", engine.Caller{Account: chkAcct, Principal: "arn:aws:iam::" + chkOtherAcct + ":root", Region: "us-east-1"}},
		{"session of an unknown role", engine.Caller{Account: chkAcct, Principal: "arn:aws:sts::" + chkAcct + ":assumed-role/Nobody/s1", Region: "us-east-1"}},
		{"session of a user name", engine.Caller{Account: chkAcct, Principal: "arn:aws:sts::" + chkAcct + ":assumed-role/alice/s1", Region: "us-east-1"}},
		{"Region of another partition", engine.Caller{Account: chkAcct, Region: "cn-north-1"}},
		{"aws Region for an aws-cn account", engine.Caller{Account: "222233334444", Region: "us-east-1"}},
		{"opt-in Region not enabled", engine.Caller{Account: chkAcct, Region: "ap-east-1"}},
		{"unknown Region", engine.Caller{Account: chkAcct, Region: "us-invalid-1"}},
		{"pseudo-Region", engine.Caller{Account: chkAcct, Region: "aws-global"}},
		{"empty Region", engine.Caller{Account: chkAcct}},
	}
	for _, tc := range bad {
		t.Run("rejected/"+tc.name, func(t *testing.T) {
			chkFails(t, env, unrecognized, func() error {
				_, err := env.Engine.CreateKey(tc.caller, engine.CreateKeyInput{})
				return err
			})
			_, err := env.Engine.ListKeys(tc.caller, engine.ListKeysInput{})
			chkRequireErr(t, err, unrecognized)
			_, err = env.Engine.DescribeKey(tc.caller, engine.DescribeKeyInput{KeyID: "alias/x"})
			chkRequireErr(t, err, unrecognized)
		})
	}

	good := []struct {
		name   string
		caller engine.Caller
	}{
		{"root by default", engine.Caller{Account: chkAcct, Region: "us-east-1"}},
		{"root by ARN", engine.Caller{Account: chkAcct, Principal: "arn:aws:iam::" + chkAcct + ":root", Region: "us-east-1"}},
		{"user", engine.Caller{Account: chkAcct, Principal: "arn:aws:iam::" + chkAcct + ":user/alice", Region: "us-west-2"}},
		{"role", engine.Caller{Account: chkAcct, Principal: "arn:aws:iam::" + chkAcct + ":role/ops/Admin", Region: "us-east-1"}},
		{"session of the role", engine.Caller{Account: chkAcct, Principal: "arn:aws:sts::" + chkAcct + ":assumed-role/Admin/session-1", Region: "eu-west-1"}},
		{"China account in its partition", engine.Caller{Account: "222233334444", Region: "cn-north-1"}},
	}
	for _, tc := range good {
		t.Run("accepted/"+tc.name, func(t *testing.T) {
			out, err := env.Engine.CreateKey(tc.caller, engine.CreateKeyInput{})
			require.NoError(t, err)
			require.Equal(t, tc.caller.Account, out.KeyMetadata.AWSAccountID)
			d, err := env.Engine.DescribeKey(tc.caller, engine.DescribeKeyInput{KeyID: out.KeyMetadata.KeyID})
			require.NoError(t, err)
			require.Equal(t, out.KeyMetadata.Arn, d.KeyMetadata.Arn)
		})
	}

	t.Run("accepted/opt-in Region after EnableRegion", func(t *testing.T) {
		c := engine.Caller{Account: chkOtherAcct, Region: "ap-east-1"}
		_, err := env.Engine.ListKeys(c, engine.ListKeysInput{})
		chkRequireErr(t, err, unrecognized)
		require.NoError(t, env.Engine.EnableRegion(chkOtherAcct, "ap-east-1"))
		_, err = env.Engine.CreateKey(c, engine.CreateKeyInput{})
		require.NoError(t, err)
	})
}
