package engine_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/policy"
	"github.com/kmsim/kmsim/region"
)

// This file holds the key policy tables: validation (spec §7.3) through
// CreateKey, ReplicateKey and PutKeyPolicy, the lockout safety check
// (§7.4), the stored text (§5.4, §7.3), and PutKeyPolicy, GetKeyPolicy
// and ListKeyPolicies (§7, §4.3). Helpers carry the prefix "kp"; the "az"
// helpers come from authz_table_test.go.

// kpDefaultA is the programmatic default key policy of account
// 111122223333 in the aws partition, copied from spec §5.4.
const kpDefaultA = `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::111122223333:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`

// Messages of the validation rules, written out from spec §7.3.
const (
	kpTooLarge   = "The key policy exceeds the maximum allowed size."
	kpInvalidPrn = "Policy contains a statement with one or more invalid principals."
	kpLockout    = "The new key policy will not allow you to update the key policy in the future."
	kpRule6Tag   = "OverlyPermissiveCondition: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified tag or with an unspecified tag. To fix, remove ForAllValues."
	kpRule6EC    = "OverlyPermissiveCondition: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified encryption context or with an unspecified encryption context. To fix, remove ForAllValues."
)

// kpGet returns the key policy of key in Region r as the root user sees
// it.
func kpGet(t testing.TB, env *kmstest.Env, r region.ID, key string) string {
	t.Helper()
	out, err := env.Engine.GetKeyPolicy(env.Caller(r), engine.GetKeyPolicyInput{KeyID: key})
	require.NoError(t, err)
	require.Equal(t, "default", out.PolicyName)
	return out.Policy
}

// kpPut has the root user put text on key in Region r.
func kpPut(t testing.TB, env *kmstest.Env, r region.ID, key, text string, bypass bool) {
	t.Helper()
	_, err := env.Engine.PutKeyPolicy(env.Caller(r), engine.PutKeyPolicyInput{KeyID: key, Policy: text, BypassPolicyLockoutSafetyCheck: bypass})
	require.NoError(t, err)
}

// kpFailsWith runs a call that must fail, checks its error with check and
// asserts, through viewer's eyes, that it changed nothing.
func kpFailsWith(t testing.TB, env *kmstest.Env, viewer string, check func(error), call func() error) {
	t.Helper()
	l0, v0, p0 := azSnapshot(t, env, viewer)
	check(call())
	l1, v1, p1 := azSnapshot(t, env, viewer)
	require.Equal(t, l0, l1, "a failed call changed the key lists")
	require.Equal(t, v0, v1, "a failed call changed a key")
	require.Equal(t, p0, p1, "a failed call changed the schedule")
}

// kpPad returns text followed by white space up to exactly n bytes.
func kpPad(text string, n int) string {
	return text + strings.Repeat(" ", n-len(text))
}

// kpLatin1 is a valid key policy with a Sid of k times "é" (two UTF-8
// bytes each).
func kpLatin1(k int) string {
	return azDoc(`{"Sid":"` + strings.Repeat("é", k) + `","Effect":"Allow","Principal":` + azPr(azRootA) + `,"Action":"kms:*","Resource":"*"}`)
}

// kpSubmitter submits a key policy through one of the three operations
// that take one. The world holds a key the operation applies to; the call
// is made as caller from us-east-1. On success it returns the policy the
// operation stored, as the response shows it when it does ("" otherwise).
type kpSubmitter struct {
	name string
	// world prepares the environment and returns the key ID the call
	// concerns ("" for CreateKey).
	world func(t *testing.T, env *kmstest.Env) string
	call  func(env *kmstest.Env, caller engine.Caller, id, text string, bypass bool) (string, error)
}

// kpSubmitters are CreateKey, ReplicateKey (into eu-west-1) and
// PutKeyPolicy. The PutKeyPolicy key lets alice and the Admin role call
// PutKeyPolicy directly and bob do anything.
var kpSubmitters = []kpSubmitter{
	{name: "CreateKey",
		world: func(t *testing.T, env *kmstest.Env) string { return "" },
		call: func(env *kmstest.Env, c engine.Caller, _, text string, bypass bool) (string, error) {
			_, err := env.Engine.CreateKey(c, engine.CreateKeyInput{Policy: text, BypassPolicyLockoutSafetyCheck: bypass})
			return "", err
		}},
	{name: "ReplicateKey",
		world: func(t *testing.T, env *kmstest.Env) string {
			return chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		},
		call: func(env *kmstest.Env, c engine.Caller, id, text string, bypass bool) (string, error) {
			out, err := env.Engine.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1", Policy: text, BypassPolicyLockoutSafetyCheck: bypass})
			if err != nil {
				return "", err
			}
			return out.ReplicaPolicy, nil
		}},
	{name: "PutKeyPolicy",
		world: func(t *testing.T, env *kmstest.Env) string {
			id, _ := azCreate(t, env, azA, azDoc(azEnableIAM, azKS("Allow", azPr(azBob), `"kms:*"`, ""),
				azKS("Allow", azPr(azAlice, azRole), `"kms:PutKeyPolicy"`, "")))
			return id
		},
		call: func(env *kmstest.Env, c engine.Caller, id, text string, bypass bool) (string, error) {
			_, err := env.Engine.PutKeyPolicy(c, engine.PutKeyPolicyInput{KeyID: id, Policy: text, BypassPolicyLockoutSafetyCheck: bypass})
			return "", err
		}},
}

// TestKeyPolicyValidation runs the rules of spec §7.3 in order through
// CreateKey, ReplicateKey and PutKeyPolicy. alice and the Admin role have
// IAM permission for kms:CreateKey and kms:ReplicateKey only; extra adds
// IAM policies for alice.
func TestKeyPolicyValidation(t *testing.T) {
	t.Parallel()
	ok := azDoc(azEnableIAM)
	withSid := func(sid string) string {
		return azDoc(`{"Sid":"` + sid + `","Effect":"Allow","Principal":` + azPr(azRootA) + `,"Action":"kms:*","Resource":"*"}`)
	}
	principal := func(p string) string { return azDoc(azEnableIAM, azKS("Allow", p, `"kms:Describe*"`, "")) }
	cond := func(c string) string { return azDoc(azEnableIAM, azKS("Allow", `"*"`, `"kms:Encrypt"`, c)) }
	tooLong := kpPad(ok, 131073)
	badChar := withSid("\u0100")
	ctlChar := withSid("\x01")
	pattern := func(text string) kmserrors.APIError {
		return &kmserrors.ValidationException{Message: chkOne("'"+text+"'", "policy", "satisfy regular expression pattern: "+chkPolicyPattern)}
	}
	// Latin-1 characters are two bytes: 16376 of them keep the character
	// count under the quota while the byte count exceeds it.
	latin1Over := kpLatin1(16376)
	latin1Under := kpLatin1((32768 - len(kpLatin1(0))) / 2)
	malformed := &kmserrors.MalformedPolicyDocumentException{}
	ghost := principal(azPr("arn:aws:iam::111122223333:user/ghost"))

	cases := []struct {
		name     string
		text     string
		bypass   bool
		caller   string   // azRootA when empty
		extra    []string // more IAM policies of alice
		want     kmserrors.APIError
		typeOnly bool   // the spec leaves the message open
		skip     string // the submitter this case does not apply to
	}{
		// Rule 1: model constraints.
		{name: "1/character above U+00FF", text: badChar, want: pattern(badChar)},
		{name: "1/control character", text: ctlChar, want: pattern(ctlChar)},
		{name: "1/character above U+00FF with bypass", text: badChar, bypass: true, want: pattern(badChar)},
		{name: "1/U+007F, tab, CR, LF and Latin-1 are allowed", text: "\t" + withSid("\x7f é ÿ ©") + "\r\n"},
		{name: "1/longer than 131072 characters", text: tooLong,
			want: &kmserrors.ValidationException{Message: chkOne("'"+tooLong+"'", "policy", "have length less than or equal to 131072")}},

		// Rule 2: 32768 bytes, checked before the document is parsed.
		{name: "2/exactly 32768 bytes", text: kpPad(ok, 32768)},
		{name: "2/32769 bytes", text: kpPad(ok, 32769), want: &kmserrors.LimitExceededException{Message: kpTooLarge}},
		{name: "2/32769 bytes with bypass", text: kpPad(ok, 32769), bypass: true, want: &kmserrors.LimitExceededException{Message: kpTooLarge}},
		{name: "2/Latin-1 characters count two bytes", text: latin1Over, want: &kmserrors.LimitExceededException{Message: kpTooLarge}},
		{name: "2/Latin-1 characters within the quota", text: latin1Under},
		{name: "2/before grammar", text: strings.Repeat("x", 40000), want: &kmserrors.LimitExceededException{Message: kpTooLarge}},
		{name: "2/before principals", text: kpPad(ghost, 33000), want: &kmserrors.LimitExceededException{Message: kpTooLarge}},

		// Rule 3: grammar.
		{name: "3/not JSON", text: "not json", want: malformed, typeOnly: true},
		{name: "3/JSON array", text: "[" + ok + "]", want: malformed, typeOnly: true},
		{name: "3/text after the object", text: ok + " {}", want: malformed, typeOnly: true},
		{name: "3/no Statement", text: `{"Version":"2012-10-17"}`, want: malformed, typeOnly: true},
		{name: "3/empty Statement", text: `{"Version":"2012-10-17","Statement":[]}`, want: malformed, typeOnly: true},
		{name: "3/Effect Permit", text: azDoc(azKS("Permit", azPr(azRootA), `"kms:*"`, "")), want: malformed, typeOnly: true},
		{name: "3/unknown Version", text: strings.Replace(ok, "2012-10-17", "2020-01-01", 1), want: malformed, typeOnly: true},
		{name: "3/unknown element", text: strings.Replace(ok, `"Effect"`, `"Foo":"bar","Effect"`, 1), want: malformed, typeOnly: true},
		{name: "3/element names are case-sensitive", text: strings.Replace(ok, `"Effect"`, `"effect"`, 1), want: malformed, typeOnly: true},
		{name: "3/unknown condition operator", text: cond(`{"StringEqualz":{"kms:CallerAccount":"111122223333"}}`), want: malformed, typeOnly: true},
		{name: "3/with bypass", text: "not json", bypass: true, want: malformed, typeOnly: true},
		{name: "3/Version 2008-10-17 is accepted", text: strings.Replace(ok, "2012-10-17", "2008-10-17", 1)},
		{name: "3/single Statement object and Sid with spaces", text: `{"Statement":{"Sid":"Key admins of team A","Effect":"Allow","Principal":` + azPr(azRootA) + `,"Action":"kms:*","Resource":"*"}}`},
		{name: "3/statement without Action is accepted", text: azDoc(azEnableIAM, `{"Effect":"Allow","Principal":`+azPr(azAlice)+`,"Resource":"*"}`)},

		// Rule 4: a principal in every statement.
		{name: "4/statement without Principal", text: azDoc(azEnableIAM, `{"Effect":"Allow","Action":"kms:*","Resource":"*"}`), want: malformed, typeOnly: true},
		{name: "4/with bypass", text: azDoc(azEnableIAM, `{"Effect":"Allow","Action":"kms:*","Resource":"*"}`), bypass: true, want: malformed, typeOnly: true},
		{name: "4/NotPrincipal counts as principal", text: azDoc(azEnableIAM, `{"Effect":"Deny","NotPrincipal":`+azPr(azRootA)+`,"Action":"kms:Decrypt","Resource":"*"}`)},

		// Rule 5: principals that exist.
		{name: "5/unknown user", text: ghost, want: &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}},
		{name: "5/unknown user with bypass", text: ghost, bypass: true, want: &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}},
		{name: "5/unknown user among known ones", text: principal(azPr(azAlice, "arn:aws:iam::111122223333:user/ghost")),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}},
		{name: "5/session of an unknown role", text: principal(azPr("arn:aws:sts::111122223333:assumed-role/Ghost/s1")),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}},
		{name: "5/unknown account root", text: principal(azPr("arn:aws:iam::999999999999:root")),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}},
		{name: "5/unknown account ID", text: principal(`{"AWS":"999999999999"}`),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}},
		{name: "5/IAM group", text: principal(azPr("arn:aws:iam::111122223333:group/admins")),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}},
		{name: "5/wildcard in a user ARN", text: principal(azPr("arn:aws:iam::111122223333:user/*")),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}},
		{name: "5/malformed service principal", text: principal(`{"Service":"Not A Service"}`),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}},
		{name: "5/unknown user in NotPrincipal", text: azDoc(azEnableIAM, `{"Effect":"Deny","NotPrincipal":`+azPr("arn:aws:iam::111122223333:user/ghost")+`,"Action":"kms:Decrypt","Resource":"*"}`),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}},
		{name: "5/unknown user in a Deny", text: azDoc(azEnableIAM, azKS("Deny", azPr("arn:aws:iam::111122223333:user/ghost"), `"kms:*"`, "")),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}},
		{name: "5/role ARN without the role's path", text: principal(azPr("arn:aws:iam::111122223333:role/Admin")),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}},
		{name: "5/user ARN without the user's path", text: principal(azPr("arn:aws:iam::111122223333:user/bob")),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}},
		{name: "5/account root of another partition", text: principal(azPr("arn:aws-cn:iam::111122223333:root")),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}},
		{name: "5/user of another partition", text: principal(azPr("arn:aws-cn:iam::111122223333:user/alice")),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}},
		{name: "5/known users, roles, sessions, accounts and services",
			text: principal(`{"AWS":["` + azAlice + `","` + azBob + `","` + azRole + `","` + azSess + `","` + azCarol + `","` + azRootB + `","444455556666"],"Service":"cloudtrail.amazonaws.com"}`)},
		{name: "5/principal *", text: principal(`"*"`)},

		// Rule 6: ForAllValues on single-valued keys.
		{name: "6/ForAllValues on aws:RequestTag", text: cond(`{"ForAllValues:StringEquals":{"aws:RequestTag/team":"blue"}}`),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpRule6Tag}},
		{name: "6/ForAllValues on kms:EncryptionContext", text: cond(`{"ForAllValues:StringLike":{"kms:EncryptionContext:dept":"*"}}`),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpRule6EC}},
		{name: "6/with bypass", text: cond(`{"ForAllValues:StringEquals":{"aws:RequestTag/team":"blue"}}`), bypass: true,
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpRule6Tag}},
		{name: "6/ForAnyValue on aws:RequestTag is allowed", text: cond(`{"ForAnyValue:StringEquals":{"aws:RequestTag/team":"blue"}}`)},
		{name: "6/ForAllValues on aws:TagKeys is allowed", text: cond(`{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}}`)},
		{name: "6/ForAllValues on kms:EncryptionContextKeys is allowed", text: cond(`{"ForAllValues:StringEquals":{"kms:EncryptionContextKeys":"dept"}}`)},

		// Rule 7: lockout safety check (spec §7.4).
		{name: "7/root user not named", text: azDoc(azKS("Allow", azPr(azAlice), `"kms:*"`, "")),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpLockout}},
		{name: "7/root user not named, bypass", text: azDoc(azKS("Allow", azPr(azAlice), `"kms:*"`, "")), bypass: true},
		{name: "7/root user with the account principal for kms:PutKeyPolicy only", text: azDoc(azKS("Allow", azPr(azRootA), `"kms:PutKeyPolicy"`, ""))},
		{name: "7/root user with the account principal as an ID", text: azDoc(azKS("Allow", `{"AWS":"111122223333"}`, `"kms:Put*"`, ""))},
		{name: "7/root user with principal *", text: azDoc(azKS("Allow", `"*"`, `"kms:PutKeyPolicy"`, ""))},
		{name: "7/root user with the account principal for other actions", text: azDoc(azKS("Allow", azPr(azRootA), `["kms:Describe*","kms:Get*"]`, "")),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpLockout}},
		{name: "7/Deny of kms:PutKeyPolicy", text: azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:PutKeyPolicy"`, "")),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpLockout}},
		{name: "7/Deny of kms:PutKeyPolicy, bypass", text: azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:PutKeyPolicy"`, "")), bypass: true},
		{name: "7/the lockout check does not see the bypass flag",
			text: azDoc(azKS("Allow", azPr(azRootA), `"kms:*"`, `{"Bool":{"kms:BypassPolicyLockoutSafetyCheck":"false"}}`)),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpLockout}},
		{name: "7/the lockout check sees kms:CallerAccount",
			text: azDoc(azKS("Allow", azPr(azRootA), `"kms:*"`, `{"StringEquals":{"kms:CallerAccount":"111122223333"}}`))},
		{name: "7/user: account principal without IAM kms:PutKeyPolicy", caller: azAlice, text: azDoc(azEnableIAM),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpLockout}},
		{name: "7/user: account principal with IAM kms:PutKeyPolicy", caller: azAlice, text: azDoc(azEnableIAM),
			extra: []string{azDoc(azIS("Allow", `"kms:PutKeyPolicy"`, `"*"`, ""))}},
		{name: "7/user: named directly", caller: azAlice, text: azDoc(azEnableIAM, azKS("Allow", azPr(azAlice), `"kms:PutKeyPolicy"`, ""))},
		{name: "7/user: named directly but denied by IAM", caller: azAlice, skip: "PutKeyPolicy", // the Deny would deny the call itself
			text:  azDoc(azEnableIAM, azKS("Allow", azPr(azAlice), `"kms:PutKeyPolicy"`, "")),
			extra: []string{azDoc(azIS("Deny", `"kms:PutKeyPolicy"`, `"*"`, ""))},
			want:  &kmserrors.MalformedPolicyDocumentException{Message: kpLockout}},
		{name: "7/user: another user named", caller: azAlice, text: azDoc(azEnableIAM, azKS("Allow", azPr(azBob), `"kms:PutKeyPolicy"`, "")),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpLockout}},
		{name: "7/user: named with a condition on the bypass flag", caller: azAlice,
			text: azDoc(azEnableIAM, azKS("Allow", azPr(azAlice), `"kms:PutKeyPolicy"`, `{"Bool":{"kms:BypassPolicyLockoutSafetyCheck":"true"}}`)),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpLockout}},
		{name: "7/user: named with aws:PrincipalArn", caller: azAlice,
			text: azDoc(azEnableIAM, azKS("Allow", `"*"`, `"kms:PutKeyPolicy"`, `{"ArnEquals":{"aws:PrincipalArn":"`+azAlice+`"}}`))},
		{name: "7/role session: the role named", caller: azSess, text: azDoc(azEnableIAM, azKS("Allow", azPr(azRole), `"kms:PutKeyPolicy"`, ""))},
		{name: "7/role session: another session named", caller: azSess, text: azDoc(azEnableIAM, azKS("Allow", azPr(azSess2), `"kms:PutKeyPolicy"`, "")),
			want: &kmserrors.MalformedPolicyDocumentException{Message: kpLockout}},
	}
	for _, sub := range kpSubmitters {
		for _, tc := range cases {
			if tc.skip == sub.name {
				continue
			}
			t.Run(sub.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				env := azEnv(t)
				base := azDoc(azIS("Allow", `["kms:CreateKey","kms:ReplicateKey"]`, `"*"`, ""))
				azIAM(t, env, azAlice, append([]string{base}, tc.extra...)...)
				azIAM(t, env, azRole, base)
				azIAM(t, env, azBob, azIAMAll) // bob watches the state
				id := sub.world(t, env)
				caller := tc.caller
				if caller == "" {
					caller = azRootA
				}
				call := func() (string, error) { return sub.call(env, azAs(caller, "us-east-1"), id, tc.text, tc.bypass) }
				if tc.want == nil {
					stored, err := call()
					require.NoError(t, err)
					if sub.name == "ReplicateKey" {
						require.Equal(t, tc.text, stored, "ReplicaPolicy is the submitted text")
					}
					return
				}
				kpFailsWith(t, env, azBob, func(err error) {
					if tc.typeOnly {
						chkRequireErrType(t, err, tc.want)
					} else {
						chkRequireErr(t, err, tc.want)
					}
				}, func() error {
					_, err := call()
					return err
				})
			})
		}
	}
}

// TestKeyPolicyPutKeyPolicyRequired checks the PutKeyPolicy members the
// other operations do not have: Policy is required (no default policy,
// spec §7.5).
func TestKeyPolicyPutKeyPolicyRequired(t *testing.T) {
	t.Parallel()
	env := azEnv(t)
	id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
	_, err := env.Engine.PutKeyPolicy(env.Caller("us-east-1"), engine.PutKeyPolicyInput{KeyID: id})
	chkRequireErr(t, err, &kmserrors.ValidationException{Message: chkOne("null", "policy", "not be null")})
	_, err = env.Engine.PutKeyPolicy(env.Caller("us-east-1"), engine.PutKeyPolicyInput{})
	chkRequireErr(t, err, &kmserrors.ValidationException{Message: "2 validation errors detected: " +
		chkVal("null", "keyId", "not be null") + "; " + chkVal("null", "policy", "not be null")})
	require.Equal(t, kpDefaultA, kpGet(t, env, "us-east-1", id))
}

// TestKeyPolicyReplicaLockout checks that ReplicateKey evaluates the
// lockout safety check against the replica's policy in the replica's
// Region (spec §7.4), not against the primary. {id} in a policy is the
// key ID. alice has IAM permission for kms:ReplicateKey and kms:CreateKey.
func TestKeyPolicyReplicaLockout(t *testing.T) {
	t.Parallel()
	alicePut := func(resource, cond string) string {
		s := `{"Effect":"Allow","Principal":` + azPr(azAlice) + `,"Action":"kms:PutKeyPolicy","Resource":"` + resource + `"`
		if cond != "" {
			s += `,"Condition":` + cond
		}
		return azDoc(azEnableIAM, s+"}")
	}
	cases := []struct {
		name    string
		primary string // the primary's key policy, default when empty
		replica string
		to      region.ID
		locked  bool
	}{
		{name: "aws:RequestedRegion is the replica's Region", to: "eu-west-1",
			replica: alicePut("*", `{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}`)},
		{name: "aws:RequestedRegion is not the primary's Region", to: "eu-west-1", locked: true,
			replica: alicePut("*", `{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`)},
		{name: "aws:RequestedRegion of another replica Region", to: "ap-northeast-1", locked: true,
			replica: alicePut("*", `{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}`)},
		{name: "Resource is the replica's ARN", to: "eu-west-1",
			replica: alicePut("arn:aws:kms:eu-west-1:111122223333:key/{id}", "")},
		{name: "Resource is the primary's ARN", to: "eu-west-1", locked: true,
			replica: alicePut("arn:aws:kms:us-east-1:111122223333:key/{id}", "")},
		{name: "kms:MultiRegionKeyType is REPLICA", to: "eu-west-1",
			replica: alicePut("*", `{"StringEquals":{"kms:MultiRegionKeyType":"REPLICA"}}`)},
		{name: "kms:MultiRegionKeyType is not PRIMARY", to: "eu-west-1", locked: true,
			replica: alicePut("*", `{"StringEquals":{"kms:MultiRegionKeyType":"PRIMARY"}}`)},
		{name: "the primary's policy does not help", to: "eu-west-1", locked: true,
			primary: azDoc(azEnableIAM, azKS("Allow", azPr(azAlice), `"kms:*"`, "")),
			replica: azDoc(azEnableIAM)},
		{name: "the primary's policy does not hurt", to: "eu-west-1",
			primary: azDoc(azEnableIAM, azKS("Deny", azPr(azAlice), `"kms:PutKeyPolicy"`, "")),
			replica: alicePut("*", "")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := azEnv(t)
			azIAM(t, env, azAlice, azDoc(azIS("Allow", `["kms:CreateKey","kms:ReplicateKey"]`, `"*"`, "")))
			azIAM(t, env, azBob, azIAMAll)
			id, _ := azCreate(t, env, azA, tc.primary)
			text := strings.ReplaceAll(tc.replica, "{id}", id)
			call := func(bypass bool) (*engine.ReplicateKeyOutput, error) {
				return env.Engine.ReplicateKey(azAs(azAlice, "us-east-1"), engine.ReplicateKeyInput{
					KeyID: id, ReplicaRegion: tc.to, Policy: text, BypassPolicyLockoutSafetyCheck: bypass,
				})
			}
			if tc.locked {
				kpFailsWith(t, env, azBob, func(err error) {
					chkRequireErr(t, err, &kmserrors.MalformedPolicyDocumentException{Message: kpLockout})
				}, func() error {
					_, err := call(false)
					return err
				})
			}
			// With bypass (or when not locked out) the replica gets the text.
			out, err := call(tc.locked)
			require.NoError(t, err)
			require.Equal(t, text, out.ReplicaPolicy)
			require.Equal(t, text, kpGet(t, env, tc.to, id))
		})
	}
}

// TestKeyPolicyLockoutSourceIp checks that the lockout safety check
// evaluates the candidate policy in the current request's context,
// aws:SourceIp included (spec §7.4).
func TestKeyPolicyLockoutSourceIp(t *testing.T) {
	t.Parallel()
	env := azEnv(t)
	text := azDoc(azKS("Allow", azPr(azRootA), `"kms:*"`, `{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}`))
	root := env.Caller("us-east-1")
	for _, tc := range []struct {
		ip     string
		locked bool
	}{{"192.0.2.5", false}, {"198.51.100.1", true}, {"", true}} {
		_, err := env.Engine.CreateKey(azFrom(root, tc.ip), engine.CreateKeyInput{Policy: text})
		if tc.locked {
			chkRequireErr(t, err, &kmserrors.MalformedPolicyDocumentException{Message: kpLockout})
		} else {
			require.NoError(t, err, tc.ip)
		}
	}
}

// TestKeyPolicyVisibilityDelay checks Config.PrincipalVisibilityDelay
// (spec §7.3 rule 5): a principal created moments ago is an invalid
// principal until the delay has passed; older principals, accounts and
// the caller's own permissions are unaffected.
func TestKeyPolicyVisibilityDelay(t *testing.T) {
	t.Parallel()
	const delay = 10 * time.Second
	const dave = "arn:aws:iam::111122223333:user/new/dave"
	const fresh = "arn:aws:iam::111122223333:role/Fresh"
	const freshSession = "arn:aws:sts::111122223333:assumed-role/Fresh/s"
	for _, sub := range kpSubmitters {
		t.Run(sub.name, func(t *testing.T) {
			t.Parallel()
			env := azEnv(t, kmstest.WithConfig(engine.Config{PrincipalVisibilityDelay: delay}))
			env.Advance(time.Hour) // the principals of azEnv are old now
			id := sub.world(t, env)
			require.NoError(t, env.Engine.CreatePrincipal(dave))
			require.NoError(t, env.Engine.CreatePrincipal(fresh))
			root := env.Caller("us-east-1")
			naming := func(p string) string { return azDoc(azEnableIAM, azKS("Allow", azPr(p), `"kms:Describe*"`, "")) }
			invalid := &kmserrors.MalformedPolicyDocumentException{Message: kpInvalidPrn}

			// Old principals are visible at once.
			_, err := sub.call(env, root, id, naming(azAlice), false)
			require.NoError(t, err)
			if sub.name == "ReplicateKey" {
				// One replica per Region: start again from a new primary.
				id = sub.world(t, env)
			}
			for _, elapsed := range []time.Duration{0, delay / 2, delay - time.Millisecond} {
				env.Clock.Set(kmstest.Start.Add(time.Hour + elapsed))
				for _, p := range []string{dave, fresh, freshSession} {
					_, err := sub.call(env, root, id, naming(p), true)
					chkRequireErr(t, err, invalid)
				}
			}
			env.Clock.Set(kmstest.Start.Add(time.Hour + delay + time.Millisecond))
			_, err = sub.call(env, root, id, naming(dave), false)
			require.NoError(t, err)
			if sub.name == "ReplicateKey" {
				id = sub.world(t, env)
			}
			_, err = sub.call(env, root, id, naming(freshSession), false)
			require.NoError(t, err)
		})
	}
}

// TestKeyPolicyStoredVerbatim checks that the stored policy is returned
// byte for byte by GetKeyPolicy and in ReplicaPolicy, and that the default
// policy is exactly the text of spec §5.4 (policy.Default included).
func TestKeyPolicyStoredVerbatim(t *testing.T) {
	t.Parallel()
	env := azEnv(t)
	require.NoError(t, env.Engine.CreateAccount(engine.AccountInput{ID: "210987654321", Partition: "aws-cn"}))
	root := env.Caller("us-east-1")
	odd := "\r\n{ \"Statement\" :{\"Sid\":\"Schl\u00fcssel \\u00e9 \u00a9\u00ff\",\t\"Resource\":[\"*\"],\n" +
		"  \"Action\":[\"kms:*\"], \"Principal\":{\"AWS\":[\"111122223333\"]},\"Effect\":\"Allow\"}, \"Id\":\"my  policy\" }\n\n"

	// The default policy.
	require.Equal(t, kpDefaultA, policy.Default("aws", azA))
	cn := strings.ReplaceAll(strings.ReplaceAll(kpDefaultA, "arn:aws:", "arn:aws-cn:"), azA, "210987654321")
	require.Equal(t, cn, policy.Default("aws-cn", "210987654321"))
	cnKey, err := env.Engine.CreateKey(engine.Caller{Account: "210987654321", Region: "cn-north-1"}, engine.CreateKeyInput{})
	require.NoError(t, err)
	got, err := env.Engine.GetKeyPolicy(engine.Caller{Account: "210987654321", Region: "cn-north-1"}, engine.GetKeyPolicyInput{KeyID: cnKey.KeyMetadata.KeyID})
	require.NoError(t, err)
	require.Equal(t, cn, got.Policy)

	single := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
	require.Equal(t, kpDefaultA, kpGet(t, env, "us-east-1", single))

	// A submitted policy, through each of the three operations.
	mine, err := env.Engine.CreateKey(root, engine.CreateKeyInput{Policy: odd, MultiRegion: true})
	require.NoError(t, err)
	id := mine.KeyMetadata.KeyID
	require.Equal(t, odd, kpGet(t, env, "us-east-1", id))
	rep, err := env.Engine.ReplicateKey(root, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2", Policy: odd + " "})
	require.NoError(t, err)
	require.Equal(t, odd+" ", rep.ReplicaPolicy)
	require.Equal(t, odd+" ", kpGet(t, env, "us-west-2", id))
	kpPut(t, env, "us-east-1", single, "\t"+odd, false)
	require.Equal(t, "\t"+odd, kpGet(t, env, "us-east-1", single))

	// A replica without Policy gets the default policy, not the primary's.
	rep, err = env.Engine.ReplicateKey(root, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1"})
	require.NoError(t, err)
	require.Equal(t, kpDefaultA, rep.ReplicaPolicy)
	require.Equal(t, kpDefaultA, kpGet(t, env, "eu-west-1", id))

	// Putting the default text back stores it as given.
	kpPut(t, env, "us-east-1", single, kpDefaultA, false)
	require.Equal(t, kpDefaultA, kpGet(t, env, "us-east-1", single))
}

// TestKeyPolicyNames checks the PolicyName member of PutKeyPolicy and
// GetKeyPolicy and the answer of ListKeyPolicies: "default" (also when
// omitted) is the only name; others are not found; pattern and length
// violations are ValidationExceptions.
func TestKeyPolicyNames(t *testing.T) {
	t.Parallel()
	notFound := func(name string) kmserrors.APIError {
		return &kmserrors.NotFoundException{Message: "No such policy exists: " + name + ". The only key policy name is default."}
	}
	long := strings.Repeat("a", 129)
	cases := []struct {
		name string
		want kmserrors.APIError
	}{
		{name: ""},
		{name: "default"},
		{name: "other", want: notFound("other")},
		{name: "Default", want: notFound("Default")},
		{name: "default_2", want: notFound("default_2")},
		{name: strings.Repeat("d", 128), want: notFound(strings.Repeat("d", 128))},
		{name: "bad-name", want: &kmserrors.ValidationException{Message: chkOne("'bad-name'", "policyName", `satisfy regular expression pattern: [\w]+`)}},
		{name: "default ", want: &kmserrors.ValidationException{Message: chkOne("'default '", "policyName", `satisfy regular expression pattern: [\w]+`)}},
		{name: long, want: &kmserrors.ValidationException{Message: chkOne("'"+long+"'", "policyName", "have length less than or equal to 128")}},
	}
	for _, tc := range cases {
		t.Run("name "+tc.name, func(t *testing.T) {
			t.Parallel()
			env := azEnv(t)
			root := env.Caller("us-east-1")
			id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
			text := azDoc(azEnableIAM, azKS("Allow", azPr(azBob), `"kms:Get*"`, ""))
			get, err := env.Engine.GetKeyPolicy(root, engine.GetKeyPolicyInput{KeyID: id, PolicyName: tc.name})
			_, putErr := env.Engine.PutKeyPolicy(root, engine.PutKeyPolicyInput{KeyID: id, PolicyName: tc.name, Policy: text})
			if tc.want != nil {
				chkRequireErr(t, err, tc.want)
				chkRequireErr(t, putErr, tc.want)
				require.Equal(t, kpDefaultA, kpGet(t, env, "us-east-1", id), "a failed PutKeyPolicy changed the policy")
				return
			}
			require.NoError(t, err)
			require.Equal(t, engine.GetKeyPolicyOutput{Policy: kpDefaultA, PolicyName: "default"}, *get)
			require.NoError(t, putErr)
			require.Equal(t, text, kpGet(t, env, "us-east-1", id))
		})
	}
	t.Run("ListKeyPolicies", func(t *testing.T) {
		t.Parallel()
		env := azEnv(t)
		id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
		for _, in := range []engine.ListKeyPoliciesInput{{KeyID: id}, {KeyID: id, Limit: 1}, {KeyID: chkARN("us-east-1", id), Limit: 1000}} {
			out, err := env.Engine.ListKeyPolicies(env.Caller("us-east-1"), in)
			require.NoError(t, err)
			require.Equal(t, engine.ListKeyPoliciesOutput{PolicyNames: []string{"default"}}, *out)
		}
		// Under a custom policy the name is still "default".
		kpPut(t, env, "us-east-1", id, azDoc(azEnableIAM), false)
		out, err := env.Engine.ListKeyPolicies(env.Caller("us-east-1"), engine.ListKeyPoliciesInput{KeyID: id})
		require.NoError(t, err)
		require.Equal(t, []string{"default"}, out.PolicyNames)
		_, err = env.Engine.ListKeyPolicies(env.Caller("us-east-1"), engine.ListKeyPoliciesInput{KeyID: id, Limit: 1001})
		chkRequireErr(t, err, &kmserrors.ValidationException{Message: chkOne("'1001'", "limit", "have value less than or equal to 1000")})
		_, err = env.Engine.ListKeyPolicies(env.Caller("us-east-1"), engine.ListKeyPoliciesInput{})
		chkRequireErr(t, err, &kmserrors.ValidationException{Message: chkOne("null", "keyId", "not be null")})
	})
}

// TestKeyPolicyEveryState checks spec §4.3: PutKeyPolicy and GetKeyPolicy
// work in every key state (Unavailable needs a custom key store, which is
// not simulated), the state does not change, and the new policy decides
// the next call at once.
func TestKeyPolicyEveryState(t *testing.T) {
	t.Parallel()
	cases := []struct {
		state keystore.KeyState
		world func(t *testing.T, env *kmstest.Env) (region.ID, string)
	}{
		{keystore.Enabled, func(t *testing.T, env *kmstest.Env) (region.ID, string) {
			return "us-east-1", chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
		}},
		{keystore.Disabled, func(t *testing.T, env *kmstest.Env) (region.ID, string) {
			id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
			chkDisable(t, env, "us-east-1", id)
			return "us-east-1", id
		}},
		{keystore.PendingDeletion, func(t *testing.T, env *kmstest.Env) (region.ID, string) {
			id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
			chkSchedule(t, env, "us-east-1", id, 7)
			return "us-east-1", id
		}},
		{keystore.PendingReplicaDeletion, func(t *testing.T, env *kmstest.Env) (region.ID, string) {
			id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
			chkReplicate(t, env, id, "us-east-1", "us-west-2")
			chkCreated(env)
			chkSchedule(t, env, "us-east-1", id, 7)
			return "us-east-1", id
		}},
		{keystore.PendingImport, func(t *testing.T, env *kmstest.Env) (region.ID, string) {
			return "us-east-1", chkSingle(t, env, "us-east-1", engine.CreateKeyInput{Origin: keystore.OriginExternal})
		}},
		{keystore.Creating, func(t *testing.T, env *kmstest.Env) (region.ID, string) {
			id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
			chkReplicate(t, env, id, "us-east-1", "us-west-2")
			return "us-west-2", id
		}},
		{keystore.Updating, func(t *testing.T, env *kmstest.Env) (region.ID, string) {
			id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
			chkReplicate(t, env, id, "us-east-1", "us-west-2")
			chkCreated(env)
			chkPromote(t, env, id, "us-east-1", "us-west-2")
			return "us-west-2", id
		}},
	}
	for _, tc := range cases {
		t.Run(string(tc.state), func(t *testing.T) {
			t.Parallel()
			env := azEnv(t)
			r, id := tc.world(t, env)
			chkMustState(t, env, r, id, tc.state)
			bob := azAs(azBob, r)
			require.Error(t, azDescribe(env.Engine, bob, id), "bob has no permission yet")

			text := azDoc(azEnableIAM, azKS("Allow", azPr(azBob), `["kms:DescribeKey","kms:GetKeyPolicy","kms:ListKeyPolicies"]`, ""))
			kpPut(t, env, r, id, text, false)
			chkMustState(t, env, r, id, tc.state)
			require.Equal(t, text, kpGet(t, env, r, id))

			// The new policy decides the very next call.
			require.NoError(t, azDescribe(env.Engine, bob, id))
			got, err := env.Engine.GetKeyPolicy(bob, engine.GetKeyPolicyInput{KeyID: id, PolicyName: "default"})
			require.NoError(t, err)
			require.Equal(t, text, got.Policy)
			names, err := env.Engine.ListKeyPolicies(bob, engine.ListKeyPoliciesInput{KeyID: id})
			require.NoError(t, err)
			require.Equal(t, []string{"default"}, names.PolicyNames)
		})
	}
}

// TestKeyPolicyTakesEffectAtOnce checks that a PutKeyPolicy decides the
// next call: access is withdrawn and restored by the policy alone.
func TestKeyPolicyTakesEffectAtOnce(t *testing.T) {
	t.Parallel()
	env := azEnv(t)
	e := env.Engine
	id, arn := azCreate(t, env, azA, "")
	azIAM(t, env, azAlice, azIAMAll)
	alice, bob, root := azAs(azAlice, "us-east-1"), azAs(azBob, "us-east-1"), env.Caller("us-east-1")
	require.NoError(t, azDescribe(e, alice, id))

	// Only bob, named directly, remains.
	bobOnly := azDoc(azKS("Allow", azPr(azBob), `"kms:*"`, ""))
	_, err := e.PutKeyPolicy(alice, engine.PutKeyPolicyInput{KeyID: id, Policy: bobOnly})
	chkRequireErr(t, err, &kmserrors.MalformedPolicyDocumentException{Message: kpLockout})
	_, err = e.PutKeyPolicy(alice, engine.PutKeyPolicyInput{KeyID: id, Policy: bobOnly, BypassPolicyLockoutSafetyCheck: true})
	require.NoError(t, err)
	chkRequireErr(t, azDescribe(e, alice, id), azDenied(azAlice, "kms:DescribeKey", arn, azNoRB("kms:DescribeKey")))
	chkRequireErr(t, azDescribe(e, root, id), azDenied(azRootA, "kms:DescribeKey", arn, azNoRB("kms:DescribeKey")))
	_, err = e.PutKeyPolicy(alice, engine.PutKeyPolicyInput{KeyID: id, Policy: kpDefaultA, BypassPolicyLockoutSafetyCheck: true})
	chkRequireErr(t, err, azDenied(azAlice, "kms:PutKeyPolicy", arn, azNoRB("kms:PutKeyPolicy")))
	require.NoError(t, azDescribe(e, bob, id))

	// bob, without IAM, would lock himself out with the default policy.
	_, err = e.PutKeyPolicy(bob, engine.PutKeyPolicyInput{KeyID: id, Policy: kpDefaultA})
	chkRequireErr(t, err, &kmserrors.MalformedPolicyDocumentException{Message: kpLockout})
	_, err = e.PutKeyPolicy(bob, engine.PutKeyPolicyInput{KeyID: id, Policy: kpDefaultA, BypassPolicyLockoutSafetyCheck: true})
	require.NoError(t, err)
	require.NoError(t, azDescribe(e, alice, id))
	require.NoError(t, azDescribe(e, root, id))
	chkRequireErr(t, azDescribe(e, bob, id), azDenied(azBob, "kms:DescribeKey", arn, azNoIB("kms:DescribeKey")))

	// A Deny takes effect at once too, for the root user as well.
	kpPut(t, env, "us-east-1", id, azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:DescribeKey"`, "")), false)
	chkRequireErr(t, azDescribe(e, root, id), azDenied(azRootA, "kms:DescribeKey", arn, azXRB))
	chkRequireErr(t, azDescribe(e, alice, id), azDenied(azAlice, "kms:DescribeKey", arn, azXRB))
}

// TestKeyPolicyPerRelatedKey checks that related multi-Region keys keep
// their own policies (spec §7 intro, §6.1 item 4): PutKeyPolicy on one
// changes no other, each key's policy decides calls on that key only, and
// UpdatePrimaryRegion leaves them where they are.
func TestKeyPolicyPerRelatedKey(t *testing.T) {
	t.Parallel()
	env := azEnv(t)
	e := env.Engine
	id, _ := azCreate(t, env, azA, "")
	azReplicaOf(t, env, id, "us-west-2", "")
	chkCreated(env)
	azIAM(t, env, azAlice, azIAMAll)
	east, west := azAs(azAlice, "us-east-1"), azAs(azAlice, "us-west-2")

	p1 := azDoc(azEnableIAM, azKS("Deny", azPr(azAlice), `"kms:DescribeKey"`, ""))
	kpPut(t, env, "us-east-1", id, p1, false)
	require.Equal(t, p1, kpGet(t, env, "us-east-1", id))
	require.Equal(t, kpDefaultA, kpGet(t, env, "us-west-2", id))
	chkRequireErr(t, azDescribe(e, east, id), azDenied(azAlice, "kms:DescribeKey", chkARN("us-east-1", id), azXRB))
	require.NoError(t, azDescribe(e, west, id))

	p2 := azDoc(azEnableIAM, azKS("Deny", azPr(azAlice), `"kms:GetKeyPolicy"`, ""))
	kpPut(t, env, "us-west-2", id, p2, false)
	require.Equal(t, p1, kpGet(t, env, "us-east-1", id))
	require.Equal(t, p2, kpGet(t, env, "us-west-2", id))
	_, err := e.GetKeyPolicy(west, engine.GetKeyPolicyInput{KeyID: id})
	chkRequireErr(t, err, azDenied(azAlice, "kms:GetKeyPolicy", chkARN("us-west-2", id), azXRB))
	_, err = e.GetKeyPolicy(east, engine.GetKeyPolicyInput{KeyID: id})
	require.NoError(t, err)

	// Promotion moves no policy.
	chkPromote(t, env, id, "us-east-1", "us-west-2")
	env.Settle()
	require.Equal(t, p1, kpGet(t, env, "us-east-1", id))
	require.Equal(t, p2, kpGet(t, env, "us-west-2", id))

	// A new replica of the new primary gets the default policy, not p2.
	rep, err := e.ReplicateKey(env.Caller("us-west-2"), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1"})
	require.NoError(t, err)
	require.Equal(t, kpDefaultA, rep.ReplicaPolicy)
	require.Equal(t, kpDefaultA, kpGet(t, env, "eu-west-1", id))
	require.NoError(t, azDescribe(e, azAs(azAlice, "eu-west-1"), id))
}
