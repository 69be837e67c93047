package engine_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// alsARN is the alias ARN of name in Region r of chkAcct, written out.
func alsARN(r region.ID, name string) string {
	return fmt.Sprintf("arn:aws:kms:%s:%s:%s", r, chkAcct, name)
}

// alsWorld is the key state of chkSnapshot plus every alias of chkAcct.
type alsWorld struct {
	Keys    chkWorld
	Aliases map[region.ID][]engine.AliasListEntry
}

func alsSnapshot(t *testing.T, env *kmstest.Env) alsWorld {
	t.Helper()
	w := alsWorld{Keys: chkSnapshot(t, env), Aliases: map[region.ID][]engine.AliasListEntry{}}
	for _, r := range []region.ID{"us-east-1", "us-west-2"} {
		w.Aliases[r] = alsAll(t, env, r, "")
	}
	return w
}

// alsAll reads every page of ListAliases in r, optionally for one key.
func alsAll(t *testing.T, env *kmstest.Env, r region.ID, keyID string) []engine.AliasListEntry {
	t.Helper()
	var all []engine.AliasListEntry
	marker := ""
	for {
		out, err := env.Engine.ListAliases(env.Caller(r), engine.ListAliasesInput{KeyID: keyID, Marker: marker, Limit: 7})
		require.NoError(t, err)
		all = append(all, out.Aliases...)
		if !out.Truncated {
			return all
		}
		marker = out.NextMarker
	}
}

// alsFails asserts the call fails with want and changes neither keys nor
// aliases.
func alsFails(t *testing.T, env *kmstest.Env, want kmserrors.APIError, call func() error) {
	t.Helper()
	before := alsSnapshot(t, env)
	chkRequireErr(t, call(), want)
	require.Equal(t, before, alsSnapshot(t, env), "a failed call changed the observable state")
}

func alsCreate(t *testing.T, env *kmstest.Env, r region.ID, name, target string) {
	t.Helper()
	_, err := env.Engine.CreateAlias(env.Caller(r), engine.CreateAliasInput{AliasName: name, TargetKeyID: target})
	require.NoError(t, err)
}

func TestAliasCreateErrors(t *testing.T) {
	env := kmstest.NewEnv(t)
	const r = region.ID("us-east-1")
	id := chkSingle(t, env, r, engine.CreateKeyInput{})
	alsCreate(t, env, r, "alias/one", id)
	create := func(name, target string) func() error {
		return func() error {
			_, err := env.Engine.CreateAlias(env.Caller(r), engine.CreateAliasInput{AliasName: name, TargetKeyID: target})
			return err
		}
	}
	pending := chkSingle(t, env, r, engine.CreateKeyInput{})
	chkSchedule(t, env, r, pending, 7)
	missing := "11111111-2222-3333-4444-555555555555"

	cases := []struct {
		name, alias, target string
		want                kmserrors.APIError
	}{
		{"target is an alias name", "alias/two", "alias/one", &kmserrors.ValidationException{Message: "Aliases must refer to keys. Not aliases"}},
		{"target is an alias ARN", "alias/two", alsARN(r, "alias/one"), &kmserrors.ValidationException{Message: "Aliases must refer to keys. Not aliases"}},
		{"no prefix", "two", id, &kmserrors.ValidationException{Message: `Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`}},
		{"colon", "alias/a:b", id, &kmserrors.ValidationException{Message: "alias/a:b contains invalid characters for an alias"}},
		{"reserved", "alias/aws/s3", id, &kmserrors.InvalidAliasNameException{Message: "Alias names cannot begin with alias/aws/."}},
		{"pattern", "alias/a b", id, &kmserrors.ValidationException{Message: chkOne("'alias/a b'", "aliasName", "satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$")}},
		{"missing name", "", id, &kmserrors.ValidationException{Message: chkOne("null", "aliasName", "not be null")}},
		{"exists", "alias/one", id, &kmserrors.AlreadyExistsException{Message: "An alias with the name " + alsARN(r, "alias/one") + " already exists"}},
		{"pending deletion", "alias/two", pending, &kmserrors.KMSInvalidStateException{Message: chkARN(r, pending) + " is pending deletion."}},
		{"unknown key", "alias/two", missing, &kmserrors.NotFoundException{Message: "Key '" + chkARN(r, missing) + "' does not exist"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { alsFails(t, env, tc.want, create(tc.alias, tc.target)) })
	}

	t.Run("50 per key", func(t *testing.T) {
		k := chkSingle(t, env, r, engine.CreateKeyInput{})
		for i := range 50 {
			alsCreate(t, env, r, fmt.Sprintf("alias/q%02d", i), chkARN(r, k))
		}
		alsFails(t, env, &kmserrors.LimitExceededException{Message: "The request was rejected because a quota was exceeded."}, create("alias/q50", k))
	})
}

func TestAliasResolution(t *testing.T) {
	env := kmstest.NewEnv(t)
	id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
	chkReplicate(t, env, id, "us-east-1", "us-west-2")
	chkCreated(env)
	alsCreate(t, env, "us-east-1", "alias/app", id)
	c := env.Caller("us-east-1")

	for _, ref := range []string{"alias/app", alsARN("us-east-1", "alias/app")} {
		d, err := env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: ref})
		require.NoError(t, err, ref)
		require.Equal(t, chkARN("us-east-1", id), d.KeyMetadata.Arn)
		enc, err := env.Engine.Encrypt(c, engine.EncryptInput{KeyID: ref, Plaintext: []byte("hi")})
		require.NoError(t, err, ref)
		require.Equal(t, chkARN("us-east-1", id), enc.KeyID)
	}

	// Aliases are not shared with the related replica.
	_, err := env.Engine.DescribeKey(env.Caller("us-west-2"), engine.DescribeKeyInput{KeyID: "alias/app"})
	chkRequireErr(t, err, &kmserrors.NotFoundException{Message: "Alias " + alsARN("us-west-2", "alias/app") + " is not found."})
	require.Empty(t, alsAll(t, env, "us-west-2", ""))

	// Unknown aliases.
	_, err = env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: "alias/nope"})
	chkRequireErr(t, err, &kmserrors.NotFoundException{Message: "Alias " + alsARN("us-east-1", "alias/nope") + " is not found."})

	// Key-only operations keep rejecting aliases.
	alsFails(t, env, &kmserrors.InvalidArnException{Message: "Key Aliases are not supported for this operation."}, func() error {
		_, err := env.Engine.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: "alias/app", ReplicaRegion: "eu-west-1"})
		return err
	})
	alsFails(t, env, &kmserrors.InvalidArnException{Message: "Key Aliases are not supported for this operation."}, func() error {
		_, err := env.Engine.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: alsARN("us-east-1", "alias/app"), ReplicaRegion: "eu-west-1"})
		return err
	})
	alsFails(t, env, &kmserrors.InvalidArnException{Message: "Key Aliases are not supported for this operation."}, func() error {
		_, err := env.Engine.DisableKey(c, engine.DisableKeyInput{KeyID: "alias/app"})
		return err
	})

	// The same name can exist independently in another Region.
	alsCreate(t, env, "us-west-2", "alias/app", id)
	require.Len(t, alsAll(t, env, "us-west-2", ""), 1)
}

func TestAliasUpdateAndDelete(t *testing.T) {
	env := kmstest.NewEnv(t)
	const r = region.ID("us-east-1")
	c := env.Caller(r)
	a := chkSingle(t, env, r, engine.CreateKeyInput{})
	b := chkSingle(t, env, r, engine.CreateKeyInput{})
	hmac := chkSingle(t, env, r, engine.CreateKeyInput{KeySpec: "HMAC_256", KeyUsage: keystore.GenerateVerifyMAC})
	alsCreate(t, env, r, "alias/x", a)
	update := func(name, target string) func() error {
		return func() error {
			_, err := env.Engine.UpdateAlias(c, engine.UpdateAliasInput{AliasName: name, TargetKeyID: target})
			return err
		}
	}
	alsFails(t, env, &kmserrors.NotFoundException{Message: "Alias " + alsARN(r, "alias/none") + " is not found."}, update("alias/none", b))
	alsFails(t, env, &kmserrors.ValidationException{Message: "Aliases must refer to keys. Not aliases"}, update("alias/x", "alias/x"))
	alsFails(t, env, &kmserrors.InvalidAliasNameException{Message: "Alias names cannot begin with alias/aws/."}, update("alias/aws/x", b))
	before := alsSnapshot(t, env)
	chkRequireErrType(t, update("alias/x", hmac)(), &kmserrors.ValidationException{})
	require.Equal(t, before, alsSnapshot(t, env))

	pending := chkSingle(t, env, r, engine.CreateKeyInput{})
	chkSchedule(t, env, r, pending, 7)
	alsFails(t, env, &kmserrors.KMSInvalidStateException{Message: chkARN(r, pending) + " is pending deletion."}, update("alias/x", pending))

	env.Clock.Advance(time.Hour)
	require.NoError(t, update("alias/x", chkARN(r, b))())
	got := alsAll(t, env, r, "")
	require.Len(t, got, 1)
	require.Equal(t, b, got[0].TargetKeyID)
	require.True(t, got[0].LastUpdatedDate.After(got[0].CreationDate))

	alsFails(t, env, &kmserrors.NotFoundException{Message: "Alias " + alsARN(r, "alias/none") + " is not found."}, func() error {
		_, err := env.Engine.DeleteAlias(c, engine.DeleteAliasInput{AliasName: "alias/none"})
		return err
	})
	_, err := env.Engine.DeleteAlias(c, engine.DeleteAliasInput{AliasName: "alias/x"})
	require.NoError(t, err)
	require.Empty(t, alsAll(t, env, r, ""))
}

func TestAliasDeletedWithKey(t *testing.T) {
	env := kmstest.NewEnv(t)
	const r = region.ID("us-east-1")
	a := chkSingle(t, env, r, engine.CreateKeyInput{})
	b := chkSingle(t, env, r, engine.CreateKeyInput{})
	alsCreate(t, env, r, "alias/a1", a)
	alsCreate(t, env, r, "alias/a2", a)
	alsCreate(t, env, r, "alias/b1", b)
	chkSchedule(t, env, r, a, 7)
	// Pending deletion keeps the aliases.
	require.Len(t, alsAll(t, env, r, ""), 3)
	env.Advance(8 * 24 * time.Hour)
	got := alsAll(t, env, r, "")
	require.Len(t, got, 1)
	require.Equal(t, "alias/b1", got[0].AliasName)
	_, err := env.Engine.DescribeKey(env.Caller(r), engine.DescribeKeyInput{KeyID: "alias/a1"})
	chkRequireErr(t, err, &kmserrors.NotFoundException{Message: "Alias " + alsARN(r, "alias/a1") + " is not found."})
}

func TestAliasListPaging(t *testing.T) {
	env := kmstest.NewEnv(t)
	const r = region.ID("us-east-1")
	c := env.Caller(r)
	a := chkSingle(t, env, r, engine.CreateKeyInput{})
	b := chkSingle(t, env, r, engine.CreateKeyInput{})
	for i := range 20 {
		target := a
		if i%2 == 1 {
			target = b
		}
		alsCreate(t, env, r, fmt.Sprintf("alias/k%02d", i), target)
	}
	out, err := env.Engine.ListAliases(c, engine.ListAliasesInput{Limit: 5})
	require.NoError(t, err)
	require.Len(t, out.Aliases, 5)
	require.True(t, out.Truncated)
	require.Equal(t, "alias/k05", out.NextMarker)
	require.Equal(t, "alias/k00", out.Aliases[0].AliasName)
	require.Equal(t, alsARN(r, "alias/k00"), out.Aliases[0].AliasArn)

	all := alsAll(t, env, r, "")
	require.Len(t, all, 20)
	for i, e := range all {
		require.Equal(t, fmt.Sprintf("alias/k%02d", i), e.AliasName)
	}
	onlyB := alsAll(t, env, r, chkARN(r, b))
	require.Len(t, onlyB, 10)
	for _, e := range onlyB {
		require.Equal(t, b, e.TargetKeyID)
	}

	_, err = env.Engine.ListAliases(c, engine.ListAliasesInput{KeyID: "alias/k00"})
	chkRequireErr(t, err, &kmserrors.InvalidArnException{Message: "Key Aliases are not supported for this operation."})
	_, err = env.Engine.ListAliases(c, engine.ListAliasesInput{Limit: 1001})
	chkRequireErr(t, err, &kmserrors.ValidationException{Message: chkOne("'1001'", "limit", "have value less than or equal to 1000")})
}
