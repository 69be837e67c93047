package engine_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/policy"
	"github.com/kmsim/kmsim/region"
)

// This file holds the authorization tables of spec §7.6 as the engine
// operations apply them: the branches of the decision, the multi-step
// permissions of ReplicateKey (§5.5) and UpdatePrimaryRegion (§6.1 item
// 7), the place of authorization in the check order (§0.3), the
// condition keys of §7.2 and Config.DisableAuthorization. Helpers carry
// the prefix "az"; keypolicy_test.go uses them too. Every expected
// AccessDeniedException message is written out from the spec, never
// taken from the policy package.

// The accounts and principals of the authorization tests. azA is the
// account of every kmstest.Env; azB is a second account.
const (
	azA       = kmstest.DefaultAccount
	azB       = "444455556666"
	azRootA   = "arn:aws:iam::111122223333:root"
	azRootB   = "arn:aws:iam::444455556666:root"
	azAlice   = "arn:aws:iam::111122223333:user/alice"
	azBob     = "arn:aws:iam::111122223333:user/dev/bob"
	azRole    = "arn:aws:iam::111122223333:role/team/Admin" // a role with a path
	azSess    = "arn:aws:sts::111122223333:assumed-role/Admin/s1"
	azSess2   = "arn:aws:sts::111122223333:assumed-role/Admin/s2"
	azOps     = "arn:aws:iam::111122223333:role/Ops"
	azOpsSess = "arn:aws:sts::111122223333:assumed-role/Ops/s1"
	azCarol   = "arn:aws:iam::444455556666:user/carol"
)

// azEnv is a kmstest.Env with account azB and the IAM users and roles
// above, none of which has an IAM policy yet.
func azEnv(t testing.TB, opts ...kmstest.Option) *kmstest.Env {
	t.Helper()
	env := kmstest.NewEnv(t, opts...)
	require.NoError(t, env.Engine.CreateAccount(engine.AccountInput{ID: azB}))
	for _, p := range []string{azAlice, azBob, azRole, azOps, azCarol} {
		require.NoError(t, env.Engine.CreatePrincipal(p))
	}
	return env
}

// azAs is principal (any ARN above) calling in Region r.
func azAs(principal string, r region.ID) engine.Caller {
	return engine.Caller{Account: strings.Split(principal, ":")[4], Principal: principal, Region: r}
}

// azFrom is c calling from the address ip.
func azFrom(c engine.Caller, ip string) engine.Caller {
	c.SourceIP = ip
	return c
}

// azDoc is a policy document (key policy or IAM policy) with the given
// statements.
func azDoc(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

// azKS is a key-policy statement. principal and action are JSON values,
// cond is a JSON Condition object or "".
func azKS(effect, principal, action, cond string) string {
	s := `{"Effect":"` + effect + `","Principal":` + principal + `,"Action":` + action + `,"Resource":"*"`
	if cond != "" {
		s += `,"Condition":` + cond
	}
	return s + "}"
}

// azIS is an IAM identity-policy statement. action and resource are JSON
// values, cond is a JSON Condition object or "".
func azIS(effect, action, resource, cond string) string {
	s := `{"Effect":"` + effect + `","Action":` + action + `,"Resource":` + resource
	if cond != "" {
		s += `,"Condition":` + cond
	}
	return s + "}"
}

// azPr is the principal element naming the given AWS principals.
func azPr(arns ...string) string {
	if len(arns) == 1 {
		return `{"AWS":"` + arns[0] + `"}`
	}
	return `{"AWS":["` + strings.Join(arns, `","`) + `"]}`
}

// azEnableIAM is the statement of the default key policy: the account
// principal of azA may do everything, which delegates to IAM.
var azEnableIAM = azKS("Allow", azPr(azRootA), `"kms:*"`, "")

// azIAMAll is an IAM policy allowing every KMS action on every resource.
var azIAMAll = azDoc(azIS("Allow", `"kms:*"`, `"*"`, ""))

// azIAM attaches the IAM documents to principal as p0, p1, ...
func azIAM(t testing.TB, env *kmstest.Env, principal string, docs ...string) {
	t.Helper()
	for i, d := range docs {
		require.NoError(t, env.Engine.PutPrincipalPolicy(principal, fmt.Sprintf("p%d", i), d))
	}
}

// Suffixes of the AccessDeniedException message (spec §7.6).
const (
	azXRB = " with an explicit deny in a resource-based policy"
	azXIB = " with an explicit deny in an identity-based policy"
)

func azNoRB(action string) string {
	return " because no resource-based policy allows the " + action + " action"
}

func azNoIB(action string) string {
	return " because no identity-based policy allows the " + action + " action"
}

// azDenied is the AccessDeniedException of spec §7.6. resource may hold
// the placeholders {id} and {arn} of chkExpand.
func azDenied(who, action, resource, suffix string) *kmserrors.AccessDeniedException {
	return &kmserrors.AccessDeniedException{
		Message: "User: " + who + " is not authorized to perform: " + action + " on resource: " + resource + suffix,
	}
}

// azKeyARN is the ARN of key {id} of account acct in Region r, with the
// {id} placeholder of chkExpand.
func azKeyARN(r region.ID, acct string) string {
	return "arn:aws:kms:" + string(r) + ":" + acct + ":key/{id}"
}

// azCreate has the root user of acct create a multi-Region primary in
// us-east-1 with the given key policy ("" = default), bypassing the
// lockout check so that policies not naming the root user can be set up.
// It returns the key ID and ARN.
func azCreate(t testing.TB, env *kmstest.Env, acct, keyPolicy string) (string, string) {
	t.Helper()
	out, err := env.Engine.CreateKey(engine.Caller{Account: acct, Region: "us-east-1"}, engine.CreateKeyInput{
		Policy: keyPolicy, BypassPolicyLockoutSafetyCheck: true, MultiRegion: true,
	})
	require.NoError(t, err)
	return out.KeyMetadata.KeyID, out.KeyMetadata.Arn
}

// azReplicaOf has the root user replicate the primary id from us-east-1
// to r with the given key policy ("" = default), bypassing the lockout
// check.
func azReplicaOf(t testing.TB, env *kmstest.Env, id string, r region.ID, keyPolicy string) {
	t.Helper()
	_, err := env.Engine.ReplicateKey(env.Caller("us-east-1"), engine.ReplicateKeyInput{
		KeyID: id, ReplicaRegion: r, Policy: keyPolicy, BypassPolicyLockoutSafetyCheck: true,
	})
	require.NoError(t, err)
}

// azWant asserts err against want (nil: success), after replacing the
// placeholders {id} and {arn}.
func azWant(t testing.TB, err error, want kmserrors.APIError, id, arn string) {
	t.Helper()
	if want == nil {
		require.NoError(t, err)
		return
	}
	chkRequireErr(t, err, chkExpand(want, id, arn))
}

// azView is what viewer can observe about one key.
type azView struct {
	Meta   engine.KeyMetadata
	Tags   []keystore.Tag
	Policy string
}

// azSnapshot records every key of every account in chkRegions with its
// tags and key policy, the key lists and the pending transitions. Keys of
// azA are read by viewer (which must be allowed to read them, so that
// cases where the root user is locked out can still be observed), keys of
// other accounts by their root user.
func azSnapshot(t testing.TB, env *kmstest.Env, viewer string) (map[string][]string, map[string]azView, []engine.Transition) {
	t.Helper()
	lists, views := map[string][]string{}, map[string]azView{}
	pending := env.Engine.Pending()
	for _, acct := range env.Engine.Accounts() {
		for _, r := range chkRegions {
			c := engine.Caller{Account: acct, Region: r}
			if acct == azA {
				c.Principal = viewer
			}
			scope := acct + "/" + string(r)
			out, err := env.Engine.ListKeys(c, engine.ListKeysInput{Limit: 1000})
			if err != nil {
				lists[scope] = []string{"error: " + err.Error()}
				continue
			}
			require.False(t, out.Truncated)
			for _, k := range out.Keys {
				lists[scope] = append(lists[scope], k.KeyID)
				d, err := env.Engine.DescribeKey(c, engine.DescribeKeyInput{KeyID: k.KeyArn})
				require.NoError(t, err)
				tags, err := env.Engine.ListResourceTags(c, engine.ListResourceTagsInput{KeyID: k.KeyArn})
				require.NoError(t, err)
				require.False(t, tags.Truncated)
				p, err := env.Engine.GetKeyPolicy(c, engine.GetKeyPolicyInput{KeyID: k.KeyArn})
				require.NoError(t, err)
				views[k.KeyArn] = azView{Meta: d.KeyMetadata, Tags: tags.Tags, Policy: p.Policy}
			}
		}
	}
	return lists, views, pending
}

// azFails runs a call that must fail with want and asserts, through
// viewer's eyes, that it changed nothing.
func azFails(t testing.TB, env *kmstest.Env, viewer string, want kmserrors.APIError, call func() error) {
	t.Helper()
	l0, v0, p0 := azSnapshot(t, env, viewer)
	chkRequireErr(t, call(), want)
	l1, v1, p1 := azSnapshot(t, env, viewer)
	require.Equal(t, l0, l1, "a failed call changed the key lists")
	require.Equal(t, v0, v1, "a failed call changed a key")
	require.Equal(t, p0, p1, "a failed call changed the schedule")
}

// azOp is one operation on an existing key, called with key (an ID or
// ARN) in the caller's Region.
type azOp struct {
	name string
	call func(e *engine.Engine, c engine.Caller, key string) error
}

// azKeyOps are the engine's operations on an existing key, each with a
// request that is valid for an Enabled multi-Region primary in us-east-1
// with a replica in us-west-2.
var azKeyOps = []azOp{
	{"DescribeKey", func(e *engine.Engine, c engine.Caller, key string) error {
		_, err := e.DescribeKey(c, engine.DescribeKeyInput{KeyID: key})
		return err
	}},
	{"EnableKey", func(e *engine.Engine, c engine.Caller, key string) error {
		_, err := e.EnableKey(c, engine.EnableKeyInput{KeyID: key})
		return err
	}},
	{"DisableKey", func(e *engine.Engine, c engine.Caller, key string) error {
		_, err := e.DisableKey(c, engine.DisableKeyInput{KeyID: key})
		return err
	}},
	{"ScheduleKeyDeletion", func(e *engine.Engine, c engine.Caller, key string) error {
		_, err := e.ScheduleKeyDeletion(c, engine.ScheduleKeyDeletionInput{KeyID: key, PendingWindowInDays: 7})
		return err
	}},
	{"CancelKeyDeletion", func(e *engine.Engine, c engine.Caller, key string) error {
		_, err := e.CancelKeyDeletion(c, engine.CancelKeyDeletionInput{KeyID: key})
		return err
	}},
	{"PutKeyPolicy", func(e *engine.Engine, c engine.Caller, key string) error {
		_, err := e.PutKeyPolicy(c, engine.PutKeyPolicyInput{KeyID: key, Policy: policy.Default("aws", azA)})
		return err
	}},
	{"GetKeyPolicy", func(e *engine.Engine, c engine.Caller, key string) error {
		_, err := e.GetKeyPolicy(c, engine.GetKeyPolicyInput{KeyID: key})
		return err
	}},
	{"ListKeyPolicies", func(e *engine.Engine, c engine.Caller, key string) error {
		_, err := e.ListKeyPolicies(c, engine.ListKeyPoliciesInput{KeyID: key})
		return err
	}},
	{"TagResource", func(e *engine.Engine, c engine.Caller, key string) error {
		_, err := e.TagResource(c, engine.TagResourceInput{KeyID: key, Tags: []keystore.Tag{{Key: "team", Value: "blue"}}})
		return err
	}},
	{"UntagResource", func(e *engine.Engine, c engine.Caller, key string) error {
		_, err := e.UntagResource(c, engine.UntagResourceInput{KeyID: key, TagKeys: []string{"team"}})
		return err
	}},
	{"ListResourceTags", func(e *engine.Engine, c engine.Caller, key string) error {
		_, err := e.ListResourceTags(c, engine.ListResourceTagsInput{KeyID: key})
		return err
	}},
	{"UpdateKeyDescription", func(e *engine.Engine, c engine.Caller, key string) error {
		_, err := e.UpdateKeyDescription(c, engine.UpdateKeyDescriptionInput{KeyID: key, Description: "d"})
		return err
	}},
	{"ReplicateKey", func(e *engine.Engine, c engine.Caller, key string) error {
		_, err := e.ReplicateKey(c, engine.ReplicateKeyInput{KeyID: key, ReplicaRegion: "eu-west-1"})
		return err
	}},
	{"UpdatePrimaryRegion", func(e *engine.Engine, c engine.Caller, key string) error {
		_, err := e.UpdatePrimaryRegion(c, engine.UpdatePrimaryRegionInput{KeyID: key, PrimaryRegion: "us-west-2"})
		return err
	}},
}

// azKeyOp returns the operation of azKeyOps with the given name.
func azKeyOp(name string) azOp {
	for _, op := range azKeyOps {
		if op.name == name {
			return op
		}
	}
	panic("no operation " + name)
}

// azDescribe calls DescribeKey.
func azDescribe(e *engine.Engine, c engine.Caller, key string) error {
	return azKeyOp("DescribeKey").call(e, c, key)
}

// TestAuthzBranches walks every branch of spec §7.6 with DescribeKey (a
// cross-account operation) unless a case names another operation. The key
// is a multi-Region primary in us-east-1 owned by azA unless owner says
// azB; the caller names it by ARN from us-east-1.
func TestAuthzBranches(t *testing.T) {
	t.Parallel()
	arnA := "{arn}"
	cases := []struct {
		name   string
		owner  string
		policy string
		iam    map[string][]string
		caller string
		op     string
		want   kmserrors.APIError
	}{
		// 1. Explicit deny wins.
		{name: "key policy Deny beats a key policy Allow of the same user",
			policy: azDoc(azEnableIAM, azKS("Allow", azPr(azAlice), `"kms:*"`, ""), azKS("Deny", azPr(azAlice), `"kms:DescribeKey"`, "")),
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azXRB)},
		{name: "key policy Deny beats account principal plus IAM Allow",
			policy: azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:Describe*"`, "")),
			iam:    map[string][]string{azAlice: {azIAMAll}},
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azXRB)},
		{name: "key policy Deny naming the root user beats the account principal Allow",
			policy: azDoc(azEnableIAM, azKS("Deny", azPr(azRootA), `"kms:DescribeKey"`, "")),
			caller: azRootA, want: azDenied(azRootA, "kms:DescribeKey", arnA, azXRB)},
		{name: "key policy Deny with principal * applies to the root user",
			policy: azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:DescribeKey"`, "")),
			caller: azRootA, want: azDenied(azRootA, "kms:DescribeKey", arnA, azXRB)},
		{name: "key policy Deny with AWS * applies to a role session",
			policy: azDoc(azKS("Allow", azPr(azRole), `"kms:*"`, ""), azKS("Deny", `{"AWS":"*"}`, `"kms:DescribeKey"`, "")),
			caller: azSess, want: azDenied(azSess, "kms:DescribeKey", arnA, azXRB)},
		{name: "key policy Deny for another action does not apply",
			policy: azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:Disable*"`, "")),
			caller: azRootA},
		{name: "NotPrincipal Deny applies to every caller it does not name",
			policy: azDoc(azEnableIAM, `{"Effect":"Deny","NotPrincipal":`+azPr(azBob)+`,"Action":"kms:DescribeKey","Resource":"*"}`),
			iam:    map[string][]string{azAlice: {azIAMAll}},
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azXRB)},
		{name: "NotPrincipal Deny does not apply to the caller it names",
			policy: azDoc(azEnableIAM, `{"Effect":"Deny","NotPrincipal":`+azPr(azAlice)+`,"Action":"kms:DescribeKey","Resource":"*"}`),
			iam:    map[string][]string{azAlice: {azIAMAll}},
			caller: azAlice},
		{name: "key policy Deny naming the account principal applies to its users",
			policy: azDoc(azEnableIAM, azKS("Deny", azPr(azRootA), `"kms:DescribeKey"`, "")),
			iam:    map[string][]string{azAlice: {azIAMAll}},
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azXRB)},
		{name: "IAM Deny beats a key policy Allow naming the user",
			policy: azDoc(azKS("Allow", azPr(azAlice), `"kms:*"`, "")),
			iam:    map[string][]string{azAlice: {azDoc(azIS("Deny", `"kms:DescribeKey"`, `"*"`, ""))}},
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azXIB)},
		{name: "IAM Deny in a second policy beats an IAM Allow in the first",
			iam:    map[string][]string{azAlice: {azIAMAll, azDoc(azIS("Deny", `"kms:DescribeKey"`, `"arn:aws:kms:*:111122223333:key/*"`, ""))}},
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azXIB)},
		{name: "IAM Deny of a role applies to its session",
			policy: azDoc(azEnableIAM, azKS("Allow", azPr(azRole), `"kms:*"`, "")),
			iam:    map[string][]string{azRole: {azDoc(azIS("Deny", `"kms:*"`, `"*"`, ""))}},
			caller: azSess, want: azDenied(azSess, "kms:DescribeKey", arnA, azXIB)},

		// 2a. A key policy Allow naming the caller.
		{name: "key policy Allow naming the user needs no IAM",
			policy: azDoc(azEnableIAM, azKS("Allow", azPr(azAlice), `"kms:DescribeKey"`, "")),
			caller: azAlice},
		{name: "key policy Allow naming the user with a path needs no IAM",
			policy: azDoc(azKS("Allow", azPr(azBob), `["kms:Describe*","kms:List*"]`, "")),
			caller: azBob},
		{name: "key policy Allow naming the user covers only its actions",
			policy: azDoc(azKS("Allow", azPr(azAlice), `"kms:DescribeKey"`, "")),
			caller: azAlice, op: "GetKeyPolicy", want: azDenied(azAlice, "kms:GetKeyPolicy", arnA, azNoRB("kms:GetKeyPolicy"))},
		{name: "action names match case-insensitively",
			policy: azDoc(azKS("Allow", azPr(azAlice), `"KMS:describekey"`, "")),
			caller: azAlice},
		{name: "action names match with ? and *",
			policy: azDoc(azKS("Allow", azPr(azAlice), `"kms:Des?ribe*"`, "")),
			caller: azAlice},
		{name: "NotAction Allow covers every other action",
			policy: azDoc(`{"Effect":"Allow","Principal":` + azPr(azAlice) + `,"NotAction":"kms:Decrypt","Resource":"*"}`),
			caller: azAlice},
		{name: "statement without Action never applies",
			policy: azDoc(`{"Effect":"Allow","Principal":` + azPr(azAlice) + `,"Resource":"*"}`),
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azNoRB("kms:DescribeKey"))},
		{name: "key policy Allow naming another user",
			policy: azDoc(azKS("Allow", azPr(azBob), `"kms:*"`, "")),
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azNoRB("kms:DescribeKey"))},
		{name: "key policy Allow naming a role with a path allows its session",
			policy: azDoc(azKS("Allow", azPr(azRole), `"kms:DescribeKey"`, "")),
			caller: azSess},
		{name: "key policy Allow naming a role allows every session of it",
			policy: azDoc(azKS("Allow", azPr(azRole), `"kms:DescribeKey"`, "")),
			caller: azSess2},
		{name: "key policy Allow naming a role does not allow another role's session",
			policy: azDoc(azKS("Allow", azPr(azRole), `"kms:DescribeKey"`, "")),
			caller: azOpsSess, want: azDenied(azOpsSess, "kms:DescribeKey", arnA, azNoRB("kms:DescribeKey"))},
		{name: "key policy Allow naming one session allows that session",
			policy: azDoc(azKS("Allow", azPr(azSess), `"kms:DescribeKey"`, "")),
			caller: azSess},
		{name: "key policy Allow naming one session does not allow another",
			policy: azDoc(azKS("Allow", azPr(azSess), `"kms:DescribeKey"`, "")),
			caller: azSess2, want: azDenied(azSess2, "kms:DescribeKey", arnA, azNoRB("kms:DescribeKey"))},
		{name: "principal * allows a user without IAM",
			policy: azDoc(azKS("Allow", `"*"`, `"kms:DescribeKey"`, "")),
			caller: azAlice},
		{name: "principal AWS * allows a role session without IAM",
			policy: azDoc(azKS("Allow", `{"AWS":"*"}`, `"kms:DescribeKey"`, "")),
			caller: azOpsSess},
		{name: "principal * allows the root user",
			policy: azDoc(azKS("Allow", `"*"`, `"kms:DescribeKey"`, "")),
			caller: azRootA},

		// 2b. The account principal delegates to IAM.
		{name: "account principal plus IAM Allow",
			iam:    map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:DescribeKey"`, `"*"`, ""))}},
			caller: azAlice},
		{name: "account principal as a bare account ID plus IAM Allow",
			policy: azDoc(azKS("Allow", `{"AWS":"111122223333"}`, `"kms:*"`, "")),
			iam:    map[string][]string{azAlice: {azIAMAll}},
			caller: azAlice},
		{name: "account principal plus IAM Allow on the key ARN pattern",
			iam:    map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:DescribeKey"`, `"arn:aws:kms:us-east-1:111122223333:key/*"`, ""))}},
			caller: azAlice},
		{name: "account principal plus IAM Allow of the role for its session",
			iam:    map[string][]string{azRole: {azIAMAll}},
			caller: azSess},
		{name: "account principal without IAM policy",
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azNoIB("kms:DescribeKey"))},
		{name: "account principal with IAM Allow for another action",
			iam:    map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:Encrypt"`, `"*"`, ""))}},
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azNoIB("kms:DescribeKey"))},
		{name: "account principal with IAM Allow for another Region's keys",
			iam:    map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:*"`, `"arn:aws:kms:eu-west-1:111122223333:key/*"`, ""))}},
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azNoIB("kms:DescribeKey"))},
		{name: "account principal without IAM policy for a role session",
			caller: azSess, want: azDenied(azSess, "kms:DescribeKey", arnA, azNoIB("kms:DescribeKey"))},
		{name: "account principal statement limited to other actions",
			policy: azDoc(azKS("Allow", azPr(azRootA), `"kms:Encrypt"`, "")),
			iam:    map[string][]string{azAlice: {azIAMAll}},
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azNoRB("kms:DescribeKey"))},
		{name: "without an account principal statement IAM Allow has no effect",
			policy: azDoc(azKS("Allow", azPr(azBob), `"kms:*"`, "")),
			iam:    map[string][]string{azAlice: {azIAMAll}},
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azNoRB("kms:DescribeKey"))},
		{name: "without an account principal statement a role's IAM Allow has no effect",
			policy: azDoc(azKS("Allow", azPr(azAlice), `"kms:*"`, "")),
			iam:    map[string][]string{azRole: {azIAMAll}},
			caller: azSess, want: azDenied(azSess, "kms:DescribeKey", arnA, azNoRB("kms:DescribeKey"))},

		// The account root user.
		{name: "root user under the default key policy",
			caller: azRootA},
		{name: "root user under a key policy naming its account by ID",
			policy: azDoc(azKS("Allow", `{"AWS":"111122223333"}`, `"kms:DescribeKey"`, "")),
			caller: azRootA},
		{name: "root user under a key policy that does not name its account",
			policy: azDoc(azKS("Allow", azPr(azAlice), `"kms:*"`, "")),
			caller: azRootA, want: azDenied(azRootA, "kms:DescribeKey", arnA, azNoRB("kms:DescribeKey"))},
		{name: "root user under a key policy naming its account for other actions",
			policy: azDoc(azKS("Allow", azPr(azRootA), `"kms:Encrypt"`, "")),
			caller: azRootA, op: "GetKeyPolicy", want: azDenied(azRootA, "kms:GetKeyPolicy", arnA, azNoRB("kms:GetKeyPolicy"))},

		// 3. Cross account: the key belongs to azB, the caller to azA.
		{name: "cross-account under the owner's default key policy", owner: azB,
			iam:    map[string][]string{azAlice: {azIAMAll}},
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azNoRB("kms:DescribeKey"))},
		{name: "cross-account root user under the owner's default key policy", owner: azB,
			caller: azRootA, want: azDenied(azRootA, "kms:DescribeKey", arnA, azNoRB("kms:DescribeKey"))},
		{name: "cross-account: key policy allows the account and IAM allows", owner: azB,
			policy: azDoc(azKS("Allow", azPr(azRootB), `"kms:*"`, ""), azKS("Allow", azPr(azRootA), `"kms:DescribeKey"`, "")),
			iam:    map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:DescribeKey"`, `"arn:aws:kms:us-east-1:444455556666:key/*"`, ""))}},
			caller: azAlice},
		{name: "cross-account: key policy allows the account by ID and IAM allows", owner: azB,
			policy: azDoc(azKS("Allow", azPr(azRootB), `"kms:*"`, ""), azKS("Allow", `{"AWS":"111122223333"}`, `"kms:DescribeKey"`, "")),
			iam:    map[string][]string{azAlice: {azIAMAll}},
			caller: azAlice},
		{name: "cross-account: key policy allows the account, IAM does not", owner: azB,
			policy: azDoc(azKS("Allow", azPr(azRootB), `"kms:*"`, ""), azKS("Allow", azPr(azRootA), `"kms:DescribeKey"`, "")),
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azNoIB("kms:DescribeKey"))},
		{name: "cross-account: IAM allows another account's keys only", owner: azB,
			policy: azDoc(azKS("Allow", azPr(azRootB), `"kms:*"`, ""), azKS("Allow", azPr(azRootA), `"kms:DescribeKey"`, "")),
			iam:    map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:DescribeKey"`, `"arn:aws:kms:us-east-1:111122223333:key/*"`, ""))}},
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azNoIB("kms:DescribeKey"))},
		{name: "cross-account: key policy allows the caller ARN and IAM allows", owner: azB,
			policy: azDoc(azKS("Allow", azPr(azRootB), `"kms:*"`, ""), azKS("Allow", azPr(azAlice), `"kms:DescribeKey"`, "")),
			iam:    map[string][]string{azAlice: {azIAMAll}},
			caller: azAlice},
		{name: "cross-account: key policy allows the caller ARN, IAM does not", owner: azB,
			policy: azDoc(azKS("Allow", azPr(azRootB), `"kms:*"`, ""), azKS("Allow", azPr(azAlice), `"kms:DescribeKey"`, "")),
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azNoIB("kms:DescribeKey"))},
		{name: "cross-account: key policy allows the role and the role's IAM allows", owner: azB,
			policy: azDoc(azKS("Allow", azPr(azRootB), `"kms:*"`, ""), azKS("Allow", azPr(azRole), `"kms:DescribeKey"`, "")),
			iam:    map[string][]string{azRole: {azIAMAll}},
			caller: azSess},
		{name: "cross-account: key policy allows * and IAM allows", owner: azB,
			policy: azDoc(azKS("Allow", azPr(azRootB), `"kms:*"`, ""), azKS("Allow", `"*"`, `"kms:DescribeKey"`, "")),
			iam:    map[string][]string{azAlice: {azIAMAll}},
			caller: azAlice},
		{name: "cross-account: key policy allows *, IAM does not", owner: azB,
			policy: azDoc(azKS("Allow", azPr(azRootB), `"kms:*"`, ""), azKS("Allow", `"*"`, `"kms:DescribeKey"`, "")),
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azNoIB("kms:DescribeKey"))},
		{name: "cross-account: key policy allows another user of the account", owner: azB,
			policy: azDoc(azKS("Allow", azPr(azRootB), `"kms:*"`, ""), azKS("Allow", azPr(azBob), `"kms:DescribeKey"`, "")),
			iam:    map[string][]string{azAlice: {azIAMAll}},
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azNoRB("kms:DescribeKey"))},
		{name: "cross-account root user: key policy allows its account", owner: azB,
			policy: azDoc(azKS("Allow", azPr(azRootB), `"kms:*"`, ""), azKS("Allow", azPr(azRootA), `"kms:DescribeKey"`, "")),
			caller: azRootA},
		{name: "cross-account: IAM Deny beats both Allows", owner: azB,
			policy: azDoc(azKS("Allow", azPr(azRootB), `"kms:*"`, ""), azKS("Allow", azPr(azRootA), `"kms:DescribeKey"`, "")),
			iam:    map[string][]string{azAlice: {azIAMAll, azDoc(azIS("Deny", `"kms:DescribeKey"`, `"*"`, ""))}},
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azXIB)},
		{name: "cross-account: the owner's key policy Deny beats both Allows", owner: azB,
			policy: azDoc(azKS("Allow", azPr(azRootB), `"kms:*"`, ""), azKS("Allow", azPr(azRootA), `"kms:DescribeKey"`, ""),
				azKS("Deny", azPr(azAlice), `"kms:*"`, "")),
			iam:    map[string][]string{azAlice: {azIAMAll}},
			caller: azAlice, want: azDenied(azAlice, "kms:DescribeKey", arnA, azXRB)},
		{name: "owner's account principal plus IAM of a user of the owner", owner: azB,
			policy: azDoc(azKS("Allow", azPr(azRootB), `"kms:*"`, "")),
			iam:    map[string][]string{azCarol: {azIAMAll}},
			caller: azCarol},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := azEnv(t)
			owner := tc.owner
			if owner == "" {
				owner = azA
			}
			id, arn := azCreate(t, env, owner, tc.policy)
			for who, docs := range tc.iam {
				azIAM(t, env, who, docs...)
			}
			op := tc.op
			if op == "" {
				op = "DescribeKey"
			}
			err := azKeyOp(op).call(env.Engine, azAs(tc.caller, "us-east-1"), arn)
			azWant(t, err, tc.want, id, arn)
		})
	}
}

// TestAuthzEveryKeyOperation checks that every operation on a key asks for
// kms:<Operation> on the key's ARN: denied without IAM under the default
// key policy, allowed with an IAM Allow of just that action, denied by a
// key policy Deny of just that action even for the root user, and not
// rescued by IAM when the key policy has no account principal statement.
func TestAuthzEveryKeyOperation(t *testing.T) {
	t.Parallel()
	for _, op := range azKeyOps {
		action := "kms:" + op.name
		// setup makes a primary in us-east-1 with an Enabled replica in
		// us-west-2, then gives the primary keyPolicy.
		setup := func(t *testing.T, keyPolicy string) (*kmstest.Env, string, string) {
			env := azEnv(t)
			id, arn := azCreate(t, env, azA, "")
			azReplicaOf(t, env, id, "us-west-2", "")
			chkCreated(env)
			if keyPolicy != "" {
				_, err := env.Engine.PutKeyPolicy(env.Caller("us-east-1"), engine.PutKeyPolicyInput{
					KeyID: id, Policy: keyPolicy, BypassPolicyLockoutSafetyCheck: true,
				})
				require.NoError(t, err)
			}
			// bob watches the state: the root user may be locked out.
			azIAM(t, env, azBob, azIAMAll)
			return env, id, arn
		}
		t.Run(op.name+"/no IAM", func(t *testing.T) {
			t.Parallel()
			env, id, arn := setup(t, "")
			azFails(t, env, azBob, chkExpand(azDenied(azAlice, action, "{arn}", azNoIB(action)), id, arn), func() error {
				return op.call(env.Engine, azAs(azAlice, "us-east-1"), id)
			})
		})
		t.Run(op.name+"/IAM allows the action", func(t *testing.T) {
			t.Parallel()
			env, id, _ := setup(t, "")
			azIAM(t, env, azAlice, azDoc(azIS("Allow", `["`+action+`","kms:CreateKey"]`, `"*"`, "")))
			err := op.call(env.Engine, azAs(azAlice, "us-east-1"), id)
			var denied *kmserrors.AccessDeniedException
			require.NotErrorAs(t, err, &denied)
		})
		t.Run(op.name+"/key policy Deny for the root user", func(t *testing.T) {
			t.Parallel()
			env, id, arn := setup(t, azDoc(azEnableIAM, azKS("Deny", `"*"`, `"`+action+`"`,
				`{"ArnEquals":{"aws:PrincipalArn":"`+azRootA+`"}}`)))
			azFails(t, env, azBob, chkExpand(azDenied(azRootA, action, "{arn}", azXRB), id, arn), func() error {
				return op.call(env.Engine, env.Caller("us-east-1"), arn)
			})
		})
		t.Run(op.name+"/no account principal statement", func(t *testing.T) {
			t.Parallel()
			env, id, arn := setup(t, azDoc(azKS("Allow", azPr(azBob), `"kms:*"`, "")))
			azIAM(t, env, azAlice, azIAMAll)
			azFails(t, env, azBob, chkExpand(azDenied(azAlice, action, "{arn}", azNoRB(action)), id, arn), func() error {
				return op.call(env.Engine, azAs(azAlice, "us-east-1"), id)
			})
		})
	}
}

// TestAuthzCrossAccountKeyOnly checks that the operations that do not
// support cross-account use (spec §1.5, §7.6 item 3) answer
// NotFoundException for another account's key ARN even when its key
// policy and the caller's IAM policies allow everything: resolution fails
// before authorization. DescribeKey, which supports it, succeeds.
func TestAuthzCrossAccountKeyOnly(t *testing.T) {
	t.Parallel()
	open := azDoc(azKS("Allow", azPr(azRootB), `"kms:*"`, ""), azKS("Allow", `"*"`, `"kms:*"`, ""))
	for _, op := range azKeyOps {
		for _, who := range []string{azAlice, azRootA} {
			t.Run(op.name+"/"+who, func(t *testing.T) {
				t.Parallel()
				env := azEnv(t)
				id, arn := azCreate(t, env, azB, open)
				_, err := env.Engine.ReplicateKey(engine.Caller{Account: azB, Region: "us-east-1"},
					engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"})
				require.NoError(t, err)
				chkCreated(env)
				azIAM(t, env, azAlice, azIAMAll)
				call := func() error { return op.call(env.Engine, azAs(who, "us-east-1"), arn) }
				if op.name == "DescribeKey" {
					require.NoError(t, call())
					return
				}
				chkFails(t, env, chkExpand(&kmserrors.NotFoundException{Message: "Key '" + azKeyARN("us-east-1", azB) + "' does not exist"}, id, arn), call)
			})
		}
	}
}

// TestAuthzIAMOnlyActions checks kms:CreateKey and kms:ListKeys (spec
// §7.6 item 5): only IAM policies decide them, on resource "*".
func TestAuthzIAMOnlyActions(t *testing.T) {
	t.Parallel()
	createKey := func(in engine.CreateKeyInput) func(e *engine.Engine, c engine.Caller) error {
		return func(e *engine.Engine, c engine.Caller) error {
			_, err := e.CreateKey(c, in)
			return err
		}
	}
	listKeys := func(e *engine.Engine, c engine.Caller) error {
		_, err := e.ListKeys(c, engine.ListKeysInput{})
		return err
	}
	tags := []keystore.Tag{{Key: "team", Value: "blue"}}
	cases := []struct {
		name   string
		iam    map[string][]string
		caller string
		call   func(e *engine.Engine, c engine.Caller) error
		want   kmserrors.APIError
	}{
		{name: "CreateKey without IAM", caller: azAlice, call: createKey(engine.CreateKeyInput{}),
			want: azDenied(azAlice, "kms:CreateKey", "*", azNoIB("kms:CreateKey"))},
		{name: "CreateKey with IAM Allow", caller: azAlice, call: createKey(engine.CreateKeyInput{}),
			iam: map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:CreateKey"`, `"*"`, ""))}}},
		{name: "CreateKey with an IAM Deny", caller: azAlice, call: createKey(engine.CreateKeyInput{}),
			iam:  map[string][]string{azAlice: {azIAMAll, azDoc(azIS("Deny", `"kms:Create*"`, `"*"`, ""))}},
			want: azDenied(azAlice, "kms:CreateKey", "*", azXIB)},
		{name: "CreateKey by a role session with the role's IAM Allow", caller: azSess, call: createKey(engine.CreateKeyInput{}),
			iam: map[string][]string{azRole: {azDoc(azIS("Allow", `"kms:CreateKey"`, `"*"`, ""))}}},
		{name: "CreateKey by a role session without IAM", caller: azSess, call: createKey(engine.CreateKeyInput{}),
			want: azDenied(azSess, "kms:CreateKey", "*", azNoIB("kms:CreateKey"))},
		{name: "CreateKey by the root user", caller: azRootA, call: createKey(engine.CreateKeyInput{MultiRegion: true, Tags: tags})},
		{name: "CreateKey with Tags needs kms:TagResource", caller: azAlice, call: createKey(engine.CreateKeyInput{Tags: tags}),
			iam:  map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:CreateKey"`, `"*"`, ""))}},
			want: azDenied(azAlice, "kms:TagResource", "*", azNoIB("kms:TagResource"))},
		{name: "CreateKey with Tags and kms:TagResource", caller: azAlice, call: createKey(engine.CreateKeyInput{Tags: tags}),
			iam: map[string][]string{azAlice: {azDoc(azIS("Allow", `["kms:CreateKey","kms:TagResource"]`, `"*"`, ""))}}},
		{name: "CreateKey with Tags and an IAM Deny of kms:TagResource", caller: azAlice, call: createKey(engine.CreateKeyInput{Tags: tags}),
			iam:  map[string][]string{azAlice: {azIAMAll, azDoc(azIS("Deny", `"kms:TagResource"`, `"*"`, ""))}},
			want: azDenied(azAlice, "kms:TagResource", "*", azXIB)},
		{name: "CreateKey by a user of another account without IAM", caller: azCarol, call: createKey(engine.CreateKeyInput{}),
			iam:  map[string][]string{azAlice: {azIAMAll}},
			want: azDenied(azCarol, "kms:CreateKey", "*", azNoIB("kms:CreateKey"))},
		{name: "ListKeys without IAM", caller: azAlice, call: listKeys,
			want: azDenied(azAlice, "kms:ListKeys", "*", azNoIB("kms:ListKeys"))},
		{name: "ListKeys with IAM Allow", caller: azAlice, call: listKeys,
			iam: map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:List*"`, `"*"`, ""))}}},
		{name: "ListKeys with an IAM Deny", caller: azAlice, call: listKeys,
			iam:  map[string][]string{azAlice: {azIAMAll, azDoc(azIS("Deny", `"kms:ListKeys"`, `"*"`, ""))}},
			want: azDenied(azAlice, "kms:ListKeys", "*", azXIB)},
		{name: "ListKeys by the root user", caller: azRootA, call: listKeys},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := azEnv(t)
			// A key whose policy allows everyone everything: key policies
			// cannot grant IAM-only actions.
			azCreate(t, env, azA, azDoc(azEnableIAM, azKS("Allow", `"*"`, `"kms:*"`, "")))
			for who, docs := range tc.iam {
				azIAM(t, env, who, docs...)
			}
			c := azAs(tc.caller, "us-east-1")
			if tc.want == nil {
				require.NoError(t, tc.call(env.Engine, c))
				return
			}
			chkFails(t, env, tc.want, func() error { return tc.call(env.Engine, c) })
		})
	}
}

// TestAuthzReplicateKey checks the three permissions of ReplicateKey
// (spec §5.5, §5.6 row 4, §7.6 item 6) and the condition keys each sees.
// The primary lives in us-east-1; a denied call must leave no trace in
// either Region.
func TestAuthzReplicateKey(t *testing.T) {
	t.Parallel()
	team := func(v string) []keystore.Tag { return []keystore.Tag{{Key: "team", Value: v}} }
	allowAll3 := azDoc(azIS("Allow", `["kms:ReplicateKey","kms:CreateKey","kms:TagResource"]`, `"*"`, ""))
	allowRepCreate := azIS("Allow", `["kms:ReplicateKey","kms:CreateKey"]`, `"*"`, "")
	allowRep := azIS("Allow", `"kms:ReplicateKey"`, `"*"`, "")
	primary := azKeyARN("us-east-1", azA)
	cases := []struct {
		name   string
		policy string // the primary's key policy, default when empty
		iam    []string
		iamOf  string // who gets iam: azAlice when empty
		caller string // azAlice when empty
		to     region.ID
		tags   []keystore.Tag
		want   kmserrors.APIError // {id} is the key ID
	}{
		// Each missing permission.
		{name: "nothing allowed", to: "eu-west-1", tags: team("blue"),
			want: azDenied(azAlice, "kms:ReplicateKey", primary, azNoIB("kms:ReplicateKey"))},
		{name: "kms:ReplicateKey missing", to: "eu-west-1",
			iam:  []string{azDoc(azIS("Allow", `["kms:CreateKey","kms:TagResource"]`, `"*"`, ""))},
			want: azDenied(azAlice, "kms:ReplicateKey", primary, azNoIB("kms:ReplicateKey"))},
		{name: "kms:CreateKey missing", to: "eu-west-1",
			iam:  []string{azDoc(allowRep)},
			want: azDenied(azAlice, "kms:CreateKey", "*", azNoIB("kms:CreateKey"))},
		{name: "kms:CreateKey missing, with tags", to: "eu-west-1", tags: team("blue"),
			iam:  []string{azDoc(azIS("Allow", `["kms:ReplicateKey","kms:TagResource"]`, `"*"`, ""))},
			want: azDenied(azAlice, "kms:CreateKey", "*", azNoIB("kms:CreateKey"))},
		{name: "kms:TagResource missing, with tags", to: "eu-west-1", tags: team("blue"),
			iam:  []string{azDoc(allowRepCreate)},
			want: azDenied(azAlice, "kms:TagResource", azKeyARN("eu-west-1", azA), azNoIB("kms:TagResource"))},
		{name: "kms:TagResource not needed without tags", to: "eu-west-1",
			iam: []string{azDoc(allowRepCreate)}},
		{name: "all three with tags", to: "eu-west-1", tags: team("blue"),
			iam: []string{allowAll3}},
		{name: "all three for a role session through the role", to: "eu-west-1", tags: team("blue"),
			iamOf: azRole, caller: azSess, iam: []string{allowAll3}},
		{name: "root user needs no IAM", caller: azRootA, to: "eu-west-1", tags: team("blue")},
		{name: "kms:ReplicateKey from a key policy naming the user", to: "eu-west-1",
			policy: azDoc(azEnableIAM, azKS("Allow", azPr(azAlice), `"kms:ReplicateKey"`, "")),
			iam:    []string{azDoc(azIS("Allow", `"kms:CreateKey"`, `"*"`, ""))}},
		{name: "kms:CreateKey cannot come from a key policy", to: "eu-west-1",
			policy: azDoc(azEnableIAM, azKS("Allow", azPr(azAlice), `"kms:*"`, "")),
			want:   azDenied(azAlice, "kms:CreateKey", "*", azNoIB("kms:CreateKey"))},
		{name: "kms:TagResource cannot come from the primary's key policy", to: "eu-west-1", tags: team("blue"),
			policy: azDoc(azEnableIAM, azKS("Allow", azPr(azAlice), `"kms:*"`, "")),
			iam:    []string{azDoc(azIS("Allow", `"kms:CreateKey"`, `"*"`, ""))},
			want:   azDenied(azAlice, "kms:TagResource", azKeyARN("eu-west-1", azA), azNoIB("kms:TagResource"))},

		// Explicit denies.
		{name: "key policy Deny of kms:ReplicateKey for the root user", caller: azRootA, to: "eu-west-1",
			policy: azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:ReplicateKey"`, "")),
			want:   azDenied(azRootA, "kms:ReplicateKey", primary, azXRB)},
		{name: "IAM Deny of kms:ReplicateKey", to: "eu-west-1",
			iam:  []string{allowAll3, azDoc(azIS("Deny", `"kms:ReplicateKey"`, `"*"`, ""))},
			want: azDenied(azAlice, "kms:ReplicateKey", primary, azXIB)},
		{name: "IAM Deny of kms:CreateKey", to: "eu-west-1",
			iam:  []string{allowAll3, azDoc(azIS("Deny", `"kms:CreateKey"`, `"*"`, ""))},
			want: azDenied(azAlice, "kms:CreateKey", "*", azXIB)},
		{name: "IAM Deny of kms:TagResource", to: "eu-west-1", tags: team("blue"),
			iam:  []string{allowAll3, azDoc(azIS("Deny", `"kms:TagResource"`, `"*"`, ""))},
			want: azDenied(azAlice, "kms:TagResource", azKeyARN("eu-west-1", azA), azXIB)},
		{name: "IAM Deny of kms:TagResource does not matter without tags", to: "eu-west-1",
			iam: []string{allowAll3, azDoc(azIS("Deny", `"kms:TagResource"`, `"*"`, ""))}},

		// kms:ReplicaRegion on kms:ReplicateKey.
		{name: "kms:ReplicaRegion StringEquals matches", to: "eu-west-1",
			policy: azDoc(azKS("Allow", azPr(azAlice), `"kms:ReplicateKey"`, `{"StringEquals":{"kms:ReplicaRegion":"eu-west-1"}}`)),
			iam:    []string{azDoc(azIS("Allow", `"kms:CreateKey"`, `"*"`, ""))}},
		{name: "kms:ReplicaRegion StringEquals differs", to: "us-west-2",
			policy: azDoc(azKS("Allow", azPr(azBob), `"kms:*"`, ""),
				azKS("Allow", azPr(azAlice), `"kms:ReplicateKey"`, `{"StringEquals":{"kms:ReplicaRegion":"eu-west-1"}}`)),
			iam:  []string{azDoc(azIS("Allow", `"kms:CreateKey"`, `"*"`, ""))},
			want: azDenied(azAlice, "kms:ReplicateKey", primary, azNoRB("kms:ReplicateKey"))},
		{name: "kms:ReplicaRegion list matches its second value", to: "ap-northeast-1",
			policy: azDoc(azKS("Allow", azPr(azAlice), `"kms:ReplicateKey"`, `{"StringEquals":{"kms:ReplicaRegion":["eu-west-1","ap-northeast-1"]}}`)),
			iam:    []string{azDoc(azIS("Allow", `"kms:CreateKey"`, `"*"`, ""))}},
		{name: "kms:ReplicaRegion StringLike eu-* matches", to: "eu-west-1",
			iam: []string{azDoc(azIS("Allow", `"kms:ReplicateKey"`, `"*"`, `{"StringLike":{"kms:ReplicaRegion":"eu-*"}}`),
				azIS("Allow", `"kms:CreateKey"`, `"*"`, ""))}},
		{name: "kms:ReplicaRegion StringLike eu-* differs", to: "ap-northeast-1",
			iam: []string{azDoc(azIS("Allow", `"kms:ReplicateKey"`, `"*"`, `{"StringLike":{"kms:ReplicaRegion":"eu-*"}}`),
				azIS("Allow", `"kms:CreateKey"`, `"*"`, ""))},
			want: azDenied(azAlice, "kms:ReplicateKey", primary, azNoIB("kms:ReplicateKey"))},
		{name: "key policy Deny with kms:ReplicaRegion blocks that Region", caller: azRootA, to: "us-west-2",
			policy: azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:ReplicateKey"`, `{"StringEquals":{"kms:ReplicaRegion":"us-west-2"}}`)),
			want:   azDenied(azRootA, "kms:ReplicateKey", primary, azXRB)},
		{name: "key policy Deny with kms:ReplicaRegion leaves other Regions", caller: azRootA, to: "eu-west-1",
			policy: azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:ReplicateKey"`, `{"StringEquals":{"kms:ReplicaRegion":"us-west-2"}}`))},
		{name: "kms:ReplicaRegion has no value in the CreateKey authorization", to: "eu-west-1",
			iam: []string{azDoc(allowRep, azIS("Allow", `"kms:CreateKey"`, `"*"`, `{"Null":{"kms:ReplicaRegion":"true"}}`))}},
		{name: "aws:RequestedRegion of kms:ReplicateKey is the primary's Region", to: "eu-west-1",
			iam: []string{azDoc(azIS("Allow", `"kms:ReplicateKey"`, `"*"`, `{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`),
				azIS("Allow", `"kms:CreateKey"`, `"*"`, ""))}},

		// The CreateKey authorization in the replica Region.
		{name: "CreateKey sees aws:RequestedRegion = replica Region", to: "eu-west-1",
			iam: []string{azDoc(allowRep, azIS("Allow", `"kms:CreateKey"`, `"*"`, `{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}`))}},
		{name: "CreateKey with aws:RequestedRegion of another Region", to: "us-west-2",
			iam:  []string{azDoc(allowRep, azIS("Allow", `"kms:CreateKey"`, `"*"`, `{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}`))},
			want: azDenied(azAlice, "kms:CreateKey", "*", azNoIB("kms:CreateKey"))},
		{name: "CreateKey does not see the primary's Region", to: "us-west-2",
			iam:  []string{azDoc(allowRep, azIS("Allow", `"kms:CreateKey"`, `"*"`, `{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`))},
			want: azDenied(azAlice, "kms:CreateKey", "*", azNoIB("kms:CreateKey"))},
		{name: "CreateKey sees kms:MultiRegionKeyType = REPLICA", to: "eu-west-1",
			iam: []string{azDoc(allowRep, azIS("Allow", `"kms:CreateKey"`, `"*"`,
				`{"StringEquals":{"kms:MultiRegionKeyType":"REPLICA"},"Bool":{"kms:MultiRegion":"true"}}`))}},
		{name: "CreateKey allowed only for PRIMARY", to: "eu-west-1",
			iam:  []string{azDoc(allowRep, azIS("Allow", `"kms:CreateKey"`, `"*"`, `{"StringEquals":{"kms:MultiRegionKeyType":"PRIMARY"}}`))},
			want: azDenied(azAlice, "kms:CreateKey", "*", azNoIB("kms:CreateKey"))},
		{name: "IAM Deny of CreateKey for REPLICA", to: "eu-west-1",
			iam: []string{allowAll3, azDoc(azIS("Deny", `"kms:CreateKey"`, `"*"`,
				`{"StringEquals":{"kms:MultiRegionKeyType":"REPLICA"}}`))},
			want: azDenied(azAlice, "kms:CreateKey", "*", azXIB)},
		{name: "CreateKey sees the shared key spec, usage and origin", to: "eu-west-1",
			iam: []string{azDoc(allowRep, azIS("Allow", `"kms:CreateKey"`, `"*"`,
				`{"StringEquals":{"kms:KeySpec":"SYMMETRIC_DEFAULT","kms:KeyUsage":"ENCRYPT_DECRYPT","kms:KeyOrigin":"AWS_KMS"}}`))}},
		{name: "CreateKey sees aws:RequestTag", to: "eu-west-1", tags: team("blue"),
			iam: []string{azDoc(azIS("Allow", `["kms:ReplicateKey","kms:TagResource"]`, `"*"`, ""),
				azIS("Allow", `"kms:CreateKey"`, `"*"`, `{"StringEquals":{"aws:RequestTag/team":"blue"}}`))}},
		{name: "CreateKey conditioned on aws:RequestTag, without tags", to: "eu-west-1",
			iam: []string{azDoc(azIS("Allow", `["kms:ReplicateKey","kms:TagResource"]`, `"*"`, ""),
				azIS("Allow", `"kms:CreateKey"`, `"*"`, `{"StringEquals":{"aws:RequestTag/team":"blue"}}`))},
			want: azDenied(azAlice, "kms:CreateKey", "*", azNoIB("kms:CreateKey"))},

		// The TagResource authorization.
		{name: "TagResource with aws:RequestTag matching", to: "eu-west-1", tags: team("blue"),
			iam: []string{azDoc(allowRepCreate, azIS("Allow", `"kms:TagResource"`, `"*"`, `{"StringEquals":{"aws:RequestTag/team":"blue"}}`))}},
		{name: "TagResource with aws:RequestTag differing", to: "eu-west-1", tags: team("red"),
			iam:  []string{azDoc(allowRepCreate, azIS("Allow", `"kms:TagResource"`, `"*"`, `{"StringEquals":{"aws:RequestTag/team":"blue"}}`))},
			want: azDenied(azAlice, "kms:TagResource", azKeyARN("eu-west-1", azA), azNoIB("kms:TagResource"))},
		{name: "TagResource with aws:TagKeys inside the allowed set", to: "eu-west-1",
			tags: []keystore.Tag{{Key: "team", Value: "x"}, {Key: "env", Value: "y"}},
			iam: []string{azDoc(allowRepCreate, azIS("Allow", `"kms:TagResource"`, `"*"`,
				`{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}}`))}},
		{name: "TagResource with aws:TagKeys outside the allowed set", to: "eu-west-1",
			tags: []keystore.Tag{{Key: "team", Value: "x"}, {Key: "owner", Value: "y"}},
			iam: []string{azDoc(allowRepCreate, azIS("Allow", `"kms:TagResource"`, `"*"`,
				`{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}}`))},
			want: azDenied(azAlice, "kms:TagResource", azKeyARN("eu-west-1", azA), azNoIB("kms:TagResource"))},
		{name: "IAM Deny of a tag key through aws:TagKeys", to: "eu-west-1",
			tags: []keystore.Tag{{Key: "team", Value: "x"}, {Key: "secret", Value: "y"}},
			iam:  []string{allowAll3, azDoc(azIS("Deny", `"kms:TagResource"`, `"*"`, `{"ForAnyValue:StringEquals":{"aws:TagKeys":"secret"}}`))},
			want: azDenied(azAlice, "kms:TagResource", azKeyARN("eu-west-1", azA), azXIB)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := azEnv(t)
			id, _ := azCreate(t, env, azA, tc.policy)
			iamOf, caller := tc.iamOf, tc.caller
			if iamOf == "" {
				iamOf = azAlice
			}
			if caller == "" {
				caller = azAlice
			}
			azIAM(t, env, iamOf, tc.iam...)
			azIAM(t, env, azBob, azIAMAll) // bob watches the state
			in := engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: tc.to, Tags: tc.tags}
			call := func() (*engine.ReplicateKeyOutput, error) {
				return env.Engine.ReplicateKey(azAs(caller, "us-east-1"), in)
			}
			if tc.want == nil {
				out, err := call()
				require.NoError(t, err)
				require.Equal(t, chkARN(tc.to, id), out.ReplicaKeyMetadata.Arn)
				require.Equal(t, keystore.Creating, chkDescribe(t, env, tc.to, id).KeyState)
				if len(tc.tags) > 0 {
					require.ElementsMatch(t, tc.tags, out.ReplicaTags)
				}
				return
			}
			azFails(t, env, azBob, chkExpand(tc.want, id, ""), func() error {
				_, err := call()
				return err
			})
			// No trace in either Region.
			bob := func(r region.ID) engine.Caller { return azAs(azBob, r) }
			_, err := env.Engine.DescribeKey(bob(tc.to), engine.DescribeKeyInput{KeyID: id})
			chkRequireErr(t, err, &kmserrors.NotFoundException{Message: "Key '" + chkARN(tc.to, id) + "' does not exist"})
			d, err := env.Engine.DescribeKey(bob("us-east-1"), engine.DescribeKeyInput{KeyID: id})
			require.NoError(t, err)
			require.Empty(t, d.KeyMetadata.MultiRegionConfiguration.ReplicaKeys)
			require.Empty(t, env.Engine.Pending())
		})
	}
}

// TestAuthzUpdatePrimaryRegion checks spec §6.1 item 7: the caller needs
// kms:UpdatePrimaryRegion on the primary (us-east-1) and on the replica
// being promoted (us-west-2), each decided by that key's own policy; the
// other replica (eu-west-1) plays no part.
func TestAuthzUpdatePrimaryRegion(t *testing.T) {
	t.Parallel()
	const upr = "kms:UpdatePrimaryRegion"
	primary := azKeyARN("us-east-1", azA)
	west := azKeyARN("us-west-2", azA)
	allowUPR := azDoc(azIS("Allow", `"kms:UpdatePrimaryRegion"`, `"*"`, ""))
	directUPR := azDoc(azEnableIAM, azKS("Allow", azPr(azAlice), `"kms:UpdatePrimaryRegion"`, ""))
	denyUPR := azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:UpdatePrimaryRegion"`, ""))
	cases := []struct {
		name          string
		primary, repl string // key policies of the primary and of the us-west-2 replica
		other         string // key policy of the eu-west-1 replica
		iam           []string
		caller        string // azAlice when empty
		to            region.ID
		want          kmserrors.APIError
	}{
		{name: "IAM Allow under default key policies", iam: []string{allowUPR}, to: "us-west-2"},
		{name: "the primary's own Region still needs the permission", to: "us-east-1",
			want: azDenied(azAlice, upr, primary, azNoIB(upr))},
		{name: "the primary's own Region needs it on the primary only", to: "us-east-1", repl: denyUPR,
			iam: []string{azDoc(azIS("Allow", `"kms:UpdatePrimaryRegion"`, `"arn:aws:kms:us-east-1:111122223333:key/*"`, ""))}},
		{name: "no IAM under default key policies", to: "us-west-2",
			want: azDenied(azAlice, upr, primary, azNoIB(upr))},
		{name: "root user under default key policies", caller: azRootA, to: "us-west-2"},
		{name: "primary's policy names the user, replica's delegates to IAM", primary: directUPR, to: "us-west-2",
			want: azDenied(azAlice, upr, west, azNoIB(upr))},
		{name: "replica's policy names the user, primary's delegates to IAM", repl: directUPR, to: "us-west-2",
			want: azDenied(azAlice, upr, primary, azNoIB(upr))},
		{name: "both policies name the user", primary: directUPR, repl: directUPR, to: "us-west-2"},
		{name: "replica's policy without account principal blocks the IAM Allow", to: "us-west-2",
			repl: azDoc(azKS("Allow", azPr(azBob), `"kms:*"`, "")), iam: []string{allowUPR},
			want: azDenied(azAlice, upr, west, azNoRB(upr))},
		{name: "IAM Allow on the primary's ARN only", to: "us-west-2",
			iam:  []string{azDoc(azIS("Allow", `"kms:UpdatePrimaryRegion"`, `"arn:aws:kms:us-east-1:111122223333:key/*"`, ""))},
			want: azDenied(azAlice, upr, west, azNoIB(upr))},
		{name: "Deny in the replica's key policy blocks the root user", caller: azRootA, repl: denyUPR, to: "us-west-2",
			want: azDenied(azRootA, upr, west, azXRB)},
		{name: "Deny in the replica's key policy blocks an IAM Allow", repl: denyUPR, iam: []string{allowUPR}, to: "us-west-2",
			want: azDenied(azAlice, upr, west, azXRB)},
		{name: "Deny in the primary's key policy", primary: denyUPR, iam: []string{allowUPR}, to: "us-west-2",
			want: azDenied(azAlice, upr, primary, azXRB)},
		{name: "Deny in an uninvolved replica's key policy does not matter", caller: azRootA, other: denyUPR, to: "us-west-2"},
		{name: "IAM Deny on the replica's ARN", to: "us-west-2",
			iam:  []string{allowUPR, azDoc(azIS("Deny", `"kms:UpdatePrimaryRegion"`, `"arn:aws:kms:us-west-2:111122223333:key/*"`, ""))},
			want: azDenied(azAlice, upr, west, azXIB)},
		{name: "kms:PrimaryRegion StringLike eu-* matches", to: "eu-west-1",
			iam: []string{azDoc(azIS("Allow", `"kms:UpdatePrimaryRegion"`, `"*"`, `{"StringLike":{"kms:PrimaryRegion":"eu-*"}}`))}},
		{name: "kms:PrimaryRegion StringLike eu-* differs", to: "us-west-2",
			iam:  []string{azDoc(azIS("Allow", `"kms:UpdatePrimaryRegion"`, `"*"`, `{"StringLike":{"kms:PrimaryRegion":"eu-*"}}`))},
			want: azDenied(azAlice, upr, primary, azNoIB(upr))},
		{name: "kms:PrimaryRegion is seen on the replica's authorization too", to: "us-west-2",
			iam: []string{azDoc(
				azIS("Allow", `"kms:UpdatePrimaryRegion"`, `"arn:aws:kms:us-east-1:111122223333:key/*"`, ""),
				azIS("Allow", `"kms:UpdatePrimaryRegion"`, `"arn:aws:kms:us-west-2:111122223333:key/*"`, `{"StringEquals":{"kms:PrimaryRegion":"us-west-2"}}`))}},
		{name: "replica's key policy Deny on kms:PrimaryRegion", caller: azRootA, to: "us-west-2",
			repl: azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:UpdatePrimaryRegion"`, `{"StringEquals":{"kms:PrimaryRegion":"us-west-2"}}`)),
			want: azDenied(azRootA, upr, west, azXRB)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := azEnv(t)
			id, _ := azCreate(t, env, azA, tc.primary)
			azReplicaOf(t, env, id, "us-west-2", tc.repl)
			azReplicaOf(t, env, id, "eu-west-1", tc.other)
			chkCreated(env)
			azIAM(t, env, azAlice, tc.iam...)
			azIAM(t, env, azBob, azIAMAll) // bob watches the state
			caller := tc.caller
			if caller == "" {
				caller = azAlice
			}
			call := func() error {
				_, err := env.Engine.UpdatePrimaryRegion(azAs(caller, "us-east-1"),
					engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: tc.to})
				return err
			}
			if tc.want == nil {
				require.NoError(t, call())
				m := chkDescribe(t, env, tc.to, id)
				require.Equal(t, keystore.Primary, m.MultiRegionConfiguration.MultiRegionKeyType)
				want := keystore.Updating
				if tc.to == "us-east-1" {
					want = keystore.Enabled // the primary's own Region: nothing changes
				}
				require.Equal(t, want, m.KeyState)
				return
			}
			azFails(t, env, azBob, chkExpand(tc.want, id, ""), call)
		})
	}
}

// TestAuthzCheckOrder checks spec §0.3: authorization runs after model
// validation and key resolution and before key-type, key-state and
// operation-specific checks. alice has no IAM policy, so the default key
// policy denies her everything; the root user, allowed, reaches the check
// that alice's denial hides.
func TestAuthzCheckOrder(t *testing.T) {
	t.Parallel()
	type world = func(t *testing.T, env *kmstest.Env) (region.ID, string)
	primary := func(t *testing.T, env *kmstest.Env) (region.ID, string) {
		return "us-east-1", chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
	}
	withReplica := func(created bool, at region.ID, prep func(t *testing.T, env *kmstest.Env, id string)) world {
		return func(t *testing.T, env *kmstest.Env) (region.ID, string) {
			id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
			chkReplicate(t, env, id, "us-east-1", "us-west-2")
			if created {
				chkCreated(env)
			}
			if prep != nil {
				prep(t, env, id)
			}
			return at, id
		}
	}
	single := func(prep func(t *testing.T, env *kmstest.Env, id string)) world {
		return func(t *testing.T, env *kmstest.Env) (region.ID, string) {
			id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
			if prep != nil {
				prep(t, env, id)
			}
			return "us-east-1", id
		}
	}
	disablePrimary := func(t *testing.T, env *kmstest.Env, id string) { chkDisable(t, env, "us-east-1", id) }
	disableReplica := func(t *testing.T, env *kmstest.Env, id string) { chkDisable(t, env, "us-west-2", id) }
	schedule := func(t *testing.T, env *kmstest.Env, id string) { chkSchedule(t, env, "us-east-1", id, 7) }
	replicate := func(to region.ID, mod func(in *engine.ReplicateKeyInput)) func(e *engine.Engine, c engine.Caller, id string) error {
		return func(e *engine.Engine, c engine.Caller, id string) error {
			in := engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: to}
			if mod != nil {
				mod(&in)
			}
			_, err := e.ReplicateKey(c, in)
			return err
		}
	}
	promote := func(to region.ID) func(e *engine.Engine, c engine.Caller, id string) error {
		return func(e *engine.Engine, c engine.Caller, id string) error {
			_, err := e.UpdatePrimaryRegion(c, engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: to})
			return err
		}
	}
	op := func(name string) func(e *engine.Engine, c engine.Caller, id string) error { return azKeyOp(name).call }
	ghost := azDoc(azEnableIAM, azKS("Allow", azPr("arn:aws:iam::111122223333:user/ghost"), `"kms:*"`, ""))
	east, west := azKeyARN("us-east-1", azA), azKeyARN("us-west-2", azA)
	denied := func(action, arn string) kmserrors.APIError { return azDenied(azAlice, action, arn, azNoIB(action)) }

	cases := []struct {
		name  string
		world world
		call  func(e *engine.Engine, c engine.Caller, id string) error
		alice kmserrors.APIError // alice's error; {id} is the key ID
		root  kmserrors.APIError // the root user's error, nil for success
	}{
		// Authorization before key-type checks.
		{name: "ReplicateKey on an Enabled replica", world: withReplica(true, "us-west-2", nil), call: replicate("eu-west-1", nil),
			alice: denied("kms:ReplicateKey", west),
			root:  &kmserrors.UnsupportedOperationException{Message: west + " is not a multi-region primary key."}},
		{name: "ReplicateKey on a Creating replica", world: withReplica(false, "us-west-2", nil), call: replicate("eu-west-1", nil),
			alice: denied("kms:ReplicateKey", west),
			root:  &kmserrors.UnsupportedOperationException{Message: west + " is not a multi-region primary key."}},
		{name: "ReplicateKey on a single-Region key", world: single(nil), call: replicate("eu-west-1", nil),
			alice: denied("kms:ReplicateKey", east),
			root:  &kmserrors.UnsupportedOperationException{Message: east + " is not a multi-region primary key."}},
		{name: "UpdatePrimaryRegion on a replica", world: withReplica(true, "us-west-2", nil), call: promote("us-east-1"),
			alice: denied("kms:UpdatePrimaryRegion", west),
			root:  &kmserrors.KMSInvalidStateException{Message: west + " is not a multi-Region primary key."}},
		{name: "UpdatePrimaryRegion on a single-Region key", world: single(nil), call: promote("us-west-2"),
			alice: denied("kms:UpdatePrimaryRegion", east),
			root:  &kmserrors.UnsupportedOperationException{Message: east + " is not a multi-Region key."}},

		// Authorization before key-state checks.
		{name: "ReplicateKey on a Disabled primary", world: withReplica(true, "us-east-1", disablePrimary), call: replicate("eu-west-1", nil),
			alice: denied("kms:ReplicateKey", east),
			root:  &kmserrors.DisabledException{Message: east + " is disabled."}},
		{name: "ReplicateKey on a primary pending deletion", world: func(t *testing.T, env *kmstest.Env) (region.ID, string) {
			r, id := primary(t, env)
			schedule(t, env, id)
			return r, id
		}, call: replicate("eu-west-1", nil),
			alice: denied("kms:ReplicateKey", east),
			root:  &kmserrors.KMSInvalidStateException{Message: east + " is pending deletion."}},
		{name: "UpdatePrimaryRegion with a Disabled primary", world: withReplica(true, "us-east-1", disablePrimary), call: promote("us-west-2"),
			alice: denied("kms:UpdatePrimaryRegion", east),
			root:  &kmserrors.DisabledException{Message: east + " is disabled."}},
		{name: "UpdatePrimaryRegion with a Disabled replica", world: withReplica(true, "us-east-1", disableReplica), call: promote("us-west-2"),
			alice: denied("kms:UpdatePrimaryRegion", east),
			root:  &kmserrors.DisabledException{Message: west + " is disabled."}},
		{name: "UpdatePrimaryRegion with a Creating replica", world: withReplica(false, "us-east-1", nil), call: promote("us-west-2"),
			alice: denied("kms:UpdatePrimaryRegion", east),
			root:  &kmserrors.KMSInvalidStateException{Message: west + " is creating."}},
		{name: "EnableKey on a key pending deletion", world: single(schedule), call: op("EnableKey"),
			alice: denied("kms:EnableKey", east),
			root:  &kmserrors.KMSInvalidStateException{Message: east + " is pending deletion."}},
		{name: "DisableKey on a Creating replica", world: withReplica(false, "us-west-2", nil), call: op("DisableKey"),
			alice: denied("kms:DisableKey", west),
			root:  &kmserrors.KMSInvalidStateException{Message: west + " is creating."}},
		{name: "UpdateKeyDescription on a key pending deletion", world: single(schedule), call: op("UpdateKeyDescription"),
			alice: denied("kms:UpdateKeyDescription", east),
			root:  &kmserrors.KMSInvalidStateException{Message: east + " is pending deletion."}},
		{name: "TagResource on a key pending deletion", world: single(schedule), call: op("TagResource"),
			alice: denied("kms:TagResource", east),
			root:  &kmserrors.KMSInvalidStateException{Message: east + " is pending deletion."}},
		{name: "ScheduleKeyDeletion on a key pending deletion", world: single(schedule), call: op("ScheduleKeyDeletion"),
			alice: denied("kms:ScheduleKeyDeletion", east),
			root:  &kmserrors.KMSInvalidStateException{Message: east + " is pending deletion."}},
		{name: "CancelKeyDeletion on an Enabled key", world: single(nil), call: op("CancelKeyDeletion"),
			alice: denied("kms:CancelKeyDeletion", east),
			root:  &kmserrors.KMSInvalidStateException{Message: east + " is not pending deletion."}},

		// Authorization before operation-specific checks.
		{name: "ReplicateKey into the primary's Region", world: primary, call: replicate("us-east-1", nil),
			alice: denied("kms:ReplicateKey", east),
			root:  &kmserrors.ValidationException{Message: "us-east-1 cannot have a replica because it contains the primary."}},
		{name: "ReplicateKey into an unknown Region", world: primary, call: replicate("us-fake-1", nil),
			alice: denied("kms:ReplicateKey", east),
			root:  &kmserrors.ValidationException{Message: "Region us-fake-1 is not a valid Region or multi-Region keys are not supported in Region us-fake-1."}},
		{name: "ReplicateKey into a Region with a replica", world: withReplica(true, "us-east-1", nil), call: replicate("us-west-2", nil),
			alice: denied("kms:ReplicateKey", east),
			root:  &kmserrors.AlreadyExistsException{Message: "You can create only one replica of each primary key in each AWS Region."}},
		{name: "ReplicateKey with a reserved tag", world: primary, call: replicate("eu-west-1", func(in *engine.ReplicateKeyInput) {
			in.Tags = []keystore.Tag{{Key: "aws:team", Value: "x"}}
		}), alice: denied("kms:ReplicateKey", east),
			root: &kmserrors.TagException{Message: "Tags beginning with aws: are reserved"}},
		{name: "ReplicateKey with a policy naming an unknown principal", world: primary, call: replicate("eu-west-1", func(in *engine.ReplicateKeyInput) {
			in.Policy = ghost
		}), alice: denied("kms:ReplicateKey", east),
			root: &kmserrors.MalformedPolicyDocumentException{Message: "Policy contains a statement with one or more invalid principals."}},
		{name: "ReplicateKey with a policy over the size quota", world: primary, call: replicate("eu-west-1", func(in *engine.ReplicateKeyInput) {
			in.Policy = strings.Repeat(" ", 32769)
		}), alice: denied("kms:ReplicateKey", east),
			root: &kmserrors.LimitExceededException{Message: "The key policy exceeds the maximum allowed size."}},
		{name: "UpdatePrimaryRegion into a Region without a replica", world: primary, call: promote("eu-west-1"),
			alice: denied("kms:UpdatePrimaryRegion", east),
			root:  &kmserrors.ValidationException{Message: "{id} does not have a replica key in the specified Region."}},
		{name: "ScheduleKeyDeletion with a window of 5 days", world: single(nil), call: func(e *engine.Engine, c engine.Caller, id string) error {
			_, err := e.ScheduleKeyDeletion(c, engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: 5})
			return err
		}, alice: denied("kms:ScheduleKeyDeletion", east),
			root: &kmserrors.ValidationException{Message: "PendingWindowInDays must be between 7 and 30 (inclusive)."}},
		{name: "PutKeyPolicy with an unknown principal", world: single(nil), call: func(e *engine.Engine, c engine.Caller, id string) error {
			_, err := e.PutKeyPolicy(c, engine.PutKeyPolicyInput{KeyID: id, Policy: ghost})
			return err
		}, alice: denied("kms:PutKeyPolicy", east),
			root: &kmserrors.MalformedPolicyDocumentException{Message: "Policy contains a statement with one or more invalid principals."}},
		{name: "PutKeyPolicy that locks the caller out", world: single(nil), call: func(e *engine.Engine, c engine.Caller, id string) error {
			_, err := e.PutKeyPolicy(c, engine.PutKeyPolicyInput{KeyID: id, Policy: azDoc(azKS("Allow", azPr(azBob), `"kms:*"`, ""))})
			return err
		}, alice: denied("kms:PutKeyPolicy", east),
			root: &kmserrors.MalformedPolicyDocumentException{Message: "The new key policy will not allow you to update the key policy in the future."}},

		// Errors before authorization: alice sees them too.
		{name: "unknown key ID", world: primary, call: func(e *engine.Engine, c engine.Caller, _ string) error {
			return azDescribe(e, c, "0b7e2f1a-1111-4222-8333-944445555666")
		}, alice: &kmserrors.NotFoundException{Message: "Key 'arn:aws:kms:us-east-1:111122223333:key/0b7e2f1a-1111-4222-8333-944445555666' does not exist"},
			root: &kmserrors.NotFoundException{Message: "Key 'arn:aws:kms:us-east-1:111122223333:key/0b7e2f1a-1111-4222-8333-944445555666' does not exist"}},
		{name: "unknown key ID for ReplicateKey", world: primary, call: func(e *engine.Engine, c engine.Caller, _ string) error {
			return replicate("eu-west-1", nil)(e, c, "mrk-0123456789abcdef0123456789abcdef")
		}, alice: &kmserrors.NotFoundException{Message: "Key 'arn:aws:kms:us-east-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef' does not exist"},
			root: &kmserrors.NotFoundException{Message: "Key 'arn:aws:kms:us-east-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef' does not exist"}},
		{name: "unknown key of another account", world: primary, call: func(e *engine.Engine, c engine.Caller, _ string) error {
			return azDescribe(e, c, "arn:aws:kms:us-east-1:444455556666:key/mrk-0123456789abcdef0123456789abcdef")
		}, alice: &kmserrors.NotFoundException{Message: "Key 'arn:aws:kms:us-east-1:444455556666:key/mrk-0123456789abcdef0123456789abcdef' does not exist"},
			root: &kmserrors.NotFoundException{Message: "Key 'arn:aws:kms:us-east-1:444455556666:key/mrk-0123456789abcdef0123456789abcdef' does not exist"}},
		{name: "malformed key ID", world: primary, call: func(e *engine.Engine, c engine.Caller, _ string) error {
			return azKeyOp("DisableKey").call(e, c, "not-a-key")
		}, alice: &kmserrors.NotFoundException{Message: "Invalid keyId 'not-a-key'"},
			root: &kmserrors.NotFoundException{Message: "Invalid keyId 'not-a-key'"}},
		{name: "key ARN of another Region", world: withReplica(true, "us-east-1", nil), call: func(e *engine.Engine, c engine.Caller, id string) error {
			return replicate("eu-west-1", nil)(e, c, chkARN("us-west-2", id))
		}, alice: &kmserrors.NotFoundException{Message: "Invalid arn us-west-2"},
			root: &kmserrors.NotFoundException{Message: "Invalid arn us-west-2"}},
		{name: "alias for ReplicateKey", world: primary, call: func(e *engine.Engine, c engine.Caller, _ string) error {
			return replicate("eu-west-1", nil)(e, c, "alias/x")
		}, alice: &kmserrors.InvalidArnException{Message: "Key Aliases are not supported for this operation."},
			root: &kmserrors.InvalidArnException{Message: "Key Aliases are not supported for this operation."}},
		{name: "model validation", world: single(nil), call: func(e *engine.Engine, c engine.Caller, id string) error {
			_, err := e.ScheduleKeyDeletion(c, engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: 400})
			return err
		}, alice: &kmserrors.ValidationException{Message: chkOne("'400'", "pendingWindowInDays", "have value less than or equal to 365")},
			root: &kmserrors.ValidationException{Message: chkOne("'400'", "pendingWindowInDays", "have value less than or equal to 365")}},
		{name: "model validation of ReplicaRegion", world: primary, call: replicate("EU", nil),
			alice: &kmserrors.ValidationException{Message: chkOne("'EU'", "replicaRegion", "satisfy regular expression pattern: "+chkRegionPattern)},
			root:  &kmserrors.ValidationException{Message: chkOne("'EU'", "replicaRegion", "satisfy regular expression pattern: "+chkRegionPattern)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := azEnv(t)
			r, id := tc.world(t, env)
			chkFails(t, env, chkExpand(tc.alice, id, ""), func() error {
				return tc.call(env.Engine, azAs(azAlice, r), id)
			})
			err := tc.call(env.Engine, env.Caller(r), id)
			azWant(t, err, tc.root, id, "")
		})
	}
}

// azCheck is one call of a condition-key case: who calls (and from
// where), on which key, and the expected outcome.
type azCheck struct {
	label  string
	caller engine.Caller
	key    string // label of the key in the case's world; "" for CreateKey checks
	call   func(e *engine.Engine, c engine.Caller, key string) error
	want   kmserrors.APIError // nil: allowed; {arn} is the key's ARN
}

// TestAuthzConditionKeys checks the condition keys of spec §7.2 as each
// operation supplies them. Every case builds keys as the root user,
// attaches IAM policies, and runs its checks in order.
func TestAuthzConditionKeys(t *testing.T) {
	t.Parallel()
	us := func(who string) engine.Caller { return azAs(who, "us-east-1") }
	alice, root := us(azAlice), us(azRootA)
	createKey := func(in engine.CreateKeyInput) func(e *engine.Engine, c engine.Caller, _ string) error {
		return func(e *engine.Engine, c engine.Caller, _ string) error {
			_, err := e.CreateKey(c, in)
			return err
		}
	}
	schedule := func(days int) func(e *engine.Engine, c engine.Caller, key string) error {
		return func(e *engine.Engine, c engine.Caller, key string) error {
			_, err := e.ScheduleKeyDeletion(c, engine.ScheduleKeyDeletionInput{KeyID: key, PendingWindowInDays: days})
			return err
		}
	}
	tag := func(tags ...keystore.Tag) func(e *engine.Engine, c engine.Caller, key string) error {
		return func(e *engine.Engine, c engine.Caller, key string) error {
			_, err := e.TagResource(c, engine.TagResourceInput{KeyID: key, Tags: tags})
			return err
		}
	}
	untag := func(keys ...string) func(e *engine.Engine, c engine.Caller, key string) error {
		return func(e *engine.Engine, c engine.Caller, key string) error {
			_, err := e.UntagResource(c, engine.UntagResourceInput{KeyID: key, TagKeys: keys})
			return err
		}
	}
	putPolicy := func(text string, bypass bool) func(e *engine.Engine, c engine.Caller, key string) error {
		return func(e *engine.Engine, c engine.Caller, key string) error {
			_, err := e.PutKeyPolicy(c, engine.PutKeyPolicyInput{KeyID: key, Policy: text, BypassPolicyLockoutSafetyCheck: bypass})
			return err
		}
	}
	createDenied := func(suffix string) kmserrors.APIError { return azDenied(azAlice, "kms:CreateKey", "*", suffix) }
	describeNoIB := azDenied(azAlice, "kms:DescribeKey", "{arn}", azNoIB("kms:DescribeKey"))

	// keys creates the case's keys as the root user and returns their ARNs
	// by label.
	type keys = func(t *testing.T, env *kmstest.Env) map[string]string
	withPolicy := func(text string) keys {
		return func(t *testing.T, env *kmstest.Env) map[string]string {
			_, arn := azCreate(t, env, azA, text)
			return map[string]string{"k": arn}
		}
	}
	kinds := func(t *testing.T, env *kmstest.Env) map[string]string {
		m := map[string]string{}
		for _, k := range []struct {
			label string
			in    engine.CreateKeyInput
		}{
			{"sym", engine.CreateKeyInput{}},
			{"rsa", engine.CreateKeyInput{KeySpec: keystore.RSA2048, KeyUsage: keystore.SignVerify}},
			{"hmac", engine.CreateKeyInput{KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC}},
			{"ext", engine.CreateKeyInput{Origin: keystore.OriginExternal}},
			{"mrk", engine.CreateKeyInput{MultiRegion: true}},
		} {
			out, err := env.Engine.CreateKey(env.Caller("us-east-1"), k.in)
			require.NoError(t, err)
			m[k.label] = out.KeyMetadata.Arn
		}
		id := m["mrk"][strings.LastIndexByte(m["mrk"], '/')+1:]
		azReplicaOf(t, env, id, "us-west-2", "")
		m["replica"] = chkARN("us-west-2", id)
		return m
	}
	allowDescribeIf := func(cond string) []string {
		return []string{azDoc(azIS("Allow", `"kms:DescribeKey"`, `"*"`, cond))}
	}
	replicaCaller := azAs(azAlice, "us-west-2")
	// tagged makes keys tagged team=blue or team=red, with the default
	// policy, with a key policy allowing every caller when team=blue
	// (allow-blue) and with one denying every caller when team=blue
	// (deny-blue).
	tagged := func(t *testing.T, env *kmstest.Env) map[string]string {
		m := map[string]string{}
		for _, k := range []struct{ label, team, policy string }{
			{"blue", "blue", ""},
			{"red", "red", ""},
			{"allow-blue", "blue", azDoc(azEnableIAM, azKS("Allow", `"*"`, `"kms:DescribeKey"`, `{"StringEquals":{"aws:ResourceTag/team":"blue"}}`))},
			{"deny-blue", "blue", azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:DescribeKey"`, `{"StringEquals":{"aws:ResourceTag/team":"blue"}}`))},
		} {
			out, err := env.Engine.CreateKey(env.Caller("us-east-1"), engine.CreateKeyInput{
				Policy: k.policy, Tags: []keystore.Tag{{Key: "team", Value: k.team}},
			})
			require.NoError(t, err)
			m[k.label] = out.KeyMetadata.Arn
		}
		return m
	}

	cases := []struct {
		name   string
		keys   keys
		iam    map[string][]string
		checks []azCheck
	}{
		{name: "kms:CallerAccount of another account", keys: withPolicy(azDoc(azEnableIAM,
			azKS("Allow", `"*"`, `"kms:DescribeKey"`, `{"StringEquals":{"kms:CallerAccount":"444455556666"}}`))),
			iam: map[string][]string{azCarol: {azDoc(azIS("Allow", `"kms:DescribeKey"`, `"*"`, ""))}},
			checks: []azCheck{
				{label: "carol of 444455556666", caller: us(azCarol), key: "k"},
				{label: "alice of 111122223333", caller: alice, key: "k", want: describeNoIB},
			}},
		{name: "kms:CallerAccount of the key's account", keys: withPolicy(azDoc(azEnableIAM,
			azKS("Allow", `"*"`, `"kms:DescribeKey"`, `{"StringEquals":{"kms:CallerAccount":"111122223333"}}`))),
			iam: map[string][]string{azCarol: {azDoc(azIS("Allow", `"kms:DescribeKey"`, `"*"`, ""))}},
			checks: []azCheck{
				{label: "alice", caller: alice, key: "k"},
				{label: "carol", caller: us(azCarol), key: "k", want: azDenied(azCarol, "kms:DescribeKey", "{arn}", azNoRB("kms:DescribeKey"))},
			}},
		{name: "aws:PrincipalArn is the role ARN for a session", keys: withPolicy(azDoc(azEnableIAM,
			azKS("Allow", `"*"`, `"kms:DescribeKey"`, `{"ArnEquals":{"aws:PrincipalArn":"`+azRole+`"}}`))),
			checks: []azCheck{
				{label: "session s1", caller: us(azSess), key: "k"},
				{label: "session s2", caller: us(azSess2), key: "k"},
				{label: "other role's session", caller: us(azOpsSess), key: "k", want: azDenied(azOpsSess, "kms:DescribeKey", "{arn}", azNoIB("kms:DescribeKey"))},
				{label: "user", caller: alice, key: "k", want: describeNoIB},
			}},
		{name: "aws:PrincipalArn is never the session ARN", keys: withPolicy(azDoc(
			azKS("Allow", `"*"`, `"kms:DescribeKey"`, `{"StringEquals":{"aws:PrincipalArn":"`+azSess+`"}}`))),
			checks: []azCheck{
				{label: "session s1", caller: us(azSess), key: "k", want: azDenied(azSess, "kms:DescribeKey", "{arn}", azNoRB("kms:DescribeKey"))},
			}},
		{name: "aws:PrincipalArn ArnLike with the role's path", keys: withPolicy(azDoc(
			azKS("Allow", `"*"`, `"kms:DescribeKey"`, `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/team/*"}}`))),
			checks: []azCheck{
				{label: "session of team/Admin", caller: us(azSess), key: "k"},
				{label: "session of Ops", caller: us(azOpsSess), key: "k", want: azDenied(azOpsSess, "kms:DescribeKey", "{arn}", azNoRB("kms:DescribeKey"))},
			}},
		{name: "aws:PrincipalArn of a user in IAM", keys: withPolicy(""),
			iam: map[string][]string{azAlice: allowDescribeIf(`{"ArnEquals":{"aws:PrincipalArn":"` + azAlice + `"}}`)},
			checks: []azCheck{
				{label: "alice", caller: alice, key: "k"},
			}},
		{name: "kms:KeySpec of existing keys", keys: kinds,
			iam: map[string][]string{azAlice: allowDescribeIf(`{"StringEquals":{"kms:KeySpec":"SYMMETRIC_DEFAULT"}}`)},
			checks: []azCheck{
				{label: "symmetric", caller: alice, key: "sym"},
				{label: "external symmetric", caller: alice, key: "ext"},
				{label: "RSA", caller: alice, key: "rsa", want: describeNoIB},
				{label: "HMAC", caller: alice, key: "hmac", want: describeNoIB},
			}},
		{name: "kms:KeyUsage of existing keys", keys: kinds,
			iam: map[string][]string{azAlice: allowDescribeIf(`{"StringEquals":{"kms:KeyUsage":["SIGN_VERIFY","GENERATE_VERIFY_MAC"]}}`)},
			checks: []azCheck{
				{label: "RSA", caller: alice, key: "rsa"},
				{label: "HMAC", caller: alice, key: "hmac"},
				{label: "symmetric", caller: alice, key: "sym", want: describeNoIB},
			}},
		{name: "kms:KeyOrigin of existing keys", keys: kinds,
			iam: map[string][]string{azAlice: allowDescribeIf(`{"StringEquals":{"kms:KeyOrigin":"EXTERNAL"}}`)},
			checks: []azCheck{
				{label: "EXTERNAL", caller: alice, key: "ext"},
				{label: "AWS_KMS", caller: alice, key: "sym", want: describeNoIB},
			}},
		{name: "kms:MultiRegion of existing keys", keys: kinds,
			iam: map[string][]string{azAlice: allowDescribeIf(`{"Bool":{"kms:MultiRegion":"true"}}`)},
			checks: []azCheck{
				{label: "primary", caller: alice, key: "mrk"},
				{label: "replica", caller: replicaCaller, key: "replica"},
				{label: "single-Region", caller: alice, key: "sym", want: describeNoIB},
			}},
		{name: "kms:MultiRegion false of a single-Region key", keys: kinds,
			iam: map[string][]string{azAlice: allowDescribeIf(`{"Bool":{"kms:MultiRegion":false}}`)},
			checks: []azCheck{
				{label: "single-Region", caller: alice, key: "sym"},
				{label: "primary", caller: alice, key: "mrk", want: describeNoIB},
			}},
		{name: "kms:MultiRegionKeyType of existing keys", keys: kinds,
			iam: map[string][]string{azAlice: allowDescribeIf(`{"StringEquals":{"kms:MultiRegionKeyType":"REPLICA"}}`)},
			checks: []azCheck{
				{label: "replica", caller: replicaCaller, key: "replica"},
				{label: "primary", caller: alice, key: "mrk", want: describeNoIB},
				{label: "single-Region has none", caller: alice, key: "sym", want: describeNoIB},
			}},
		{name: "aws:RequestedRegion of an existing key", keys: kinds,
			iam: map[string][]string{azAlice: allowDescribeIf(`{"StringEquals":{"aws:RequestedRegion":"us-west-2"}}`)},
			checks: []azCheck{
				{label: "replica in us-west-2", caller: replicaCaller, key: "replica"},
				{label: "primary in us-east-1", caller: alice, key: "mrk", want: describeNoIB},
			}},

		{name: "aws:PrincipalAccount", keys: withPolicy(azDoc(azEnableIAM,
			azKS("Allow", `"*"`, `"kms:DescribeKey"`, `{"StringEquals":{"aws:PrincipalAccount":"444455556666"}}`))),
			iam: map[string][]string{azCarol: {azIAMAll}},
			checks: []azCheck{
				{label: "carol", caller: us(azCarol), key: "k"},
				{label: "alice", caller: alice, key: "k", want: describeNoIB},
			}},
		{name: "kms:ViaService is absent for direct calls", keys: withPolicy(""),
			iam: map[string][]string{
				azAlice: allowDescribeIf(`{"StringEquals":{"kms:ViaService":"ec2.us-east-1.amazonaws.com"}}`),
				azBob:   allowDescribeIf(`{"StringEqualsIfExists":{"kms:ViaService":"ec2.us-east-1.amazonaws.com"},"Null":{"kms:ViaService":"true"}}`),
			},
			checks: []azCheck{
				{label: "positive operator", caller: alice, key: "k", want: describeNoIB},
				{label: "IfExists and Null", caller: us(azBob), key: "k"},
			}},
		{name: "condition key names are case-insensitive, values are not", keys: withPolicy(azDoc(
			azKS("Allow", `"*"`, `"kms:DescribeKey"`, `{"StringEquals":{"KMS:CALLERACCOUNT":"111122223333","AWS:PRINCIPALARN":"`+azAlice+`"}}`),
			azKS("Allow", `"*"`, `"kms:GetKeyPolicy"`, `{"StringEquals":{"aws:PrincipalArn":"ARN:AWS:IAM::111122223333:USER/ALICE"}}`))),
			checks: []azCheck{
				{label: "key names", caller: alice, key: "k"},
				{label: "values", caller: alice, key: "k", call: azKeyOp("GetKeyPolicy").call,
					want: azDenied(azAlice, "kms:GetKeyPolicy", "{arn}", azNoRB("kms:GetKeyPolicy"))},
			}},
		{name: "policy variables with Version 2012-10-17", keys: withPolicy(azDoc(
			azKS("Allow", `"*"`, `"kms:DescribeKey"`, `{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/${aws:username}"}}`))),
			checks: []azCheck{
				{label: "alice", caller: alice, key: "k"},
				{label: "bob has a path", caller: us(azBob), key: "k", want: azDenied(azBob, "kms:DescribeKey", "{arn}", azNoRB("kms:DescribeKey"))},
			}},
		{name: "no policy variables with Version 2008-10-17", keys: withPolicy(strings.Replace(azDoc(
			azKS("Allow", `"*"`, `"kms:DescribeKey"`, `{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/${aws:username}"}}`)),
			"2012-10-17", "2008-10-17", 1)),
			checks: []azCheck{
				{label: "alice", caller: alice, key: "k", want: azDenied(azAlice, "kms:DescribeKey", "{arn}", azNoRB("kms:DescribeKey"))},
			}},

		// aws:ResourceTag: IAM policies only (spec §7.2).
		{name: "aws:ResourceTag in IAM", keys: tagged,
			iam: map[string][]string{azAlice: allowDescribeIf(`{"StringEquals":{"aws:ResourceTag/team":"blue"}}`)},
			checks: []azCheck{
				{label: "team=blue", caller: alice, key: "blue"},
				{label: "team=red", caller: alice, key: "red", want: describeNoIB},
			}},
		{name: "aws:ResourceTag has no value in a key policy Allow", keys: tagged,
			checks: []azCheck{
				// The "*" statement cannot match; the account principal
				// statement needs IAM, which alice lacks.
				{label: "team=blue", caller: alice, key: "allow-blue", want: describeNoIB},
			}},
		{name: "aws:ResourceTag has no value in a key policy Deny", keys: tagged,
			checks: []azCheck{
				{label: "team=blue", caller: root, key: "deny-blue"},
			}},

		// CreateKey: request values, with the defaults of omitted members.
		{name: "CreateKey condition keys match the defaults", keys: withPolicy(""),
			iam: map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:CreateKey"`, `"*"`,
				`{"StringEquals":{"kms:KeySpec":"SYMMETRIC_DEFAULT","kms:KeyUsage":"ENCRYPT_DECRYPT","kms:KeyOrigin":"AWS_KMS"},`+
					`"Bool":{"kms:MultiRegion":"false","kms:BypassPolicyLockoutSafetyCheck":"false"}}`))}},
			checks: []azCheck{
				{label: "all omitted", caller: alice, call: createKey(engine.CreateKeyInput{})},
				{label: "all given", caller: alice, call: createKey(engine.CreateKeyInput{KeySpec: keystore.SymmetricDefault,
					KeyUsage: keystore.EncryptDecrypt, Origin: keystore.OriginAWSKMS})},
				{label: "RSA key spec", caller: alice, call: createKey(engine.CreateKeyInput{KeySpec: keystore.RSA2048, KeyUsage: keystore.SignVerify}),
					want: createDenied(azNoIB("kms:CreateKey"))},
				{label: "EXTERNAL origin", caller: alice, call: createKey(engine.CreateKeyInput{Origin: keystore.OriginExternal}),
					want: createDenied(azNoIB("kms:CreateKey"))},
				{label: "multi-Region", caller: alice, call: createKey(engine.CreateKeyInput{MultiRegion: true}),
					want: createDenied(azNoIB("kms:CreateKey"))},
				{label: "bypass", caller: alice, call: createKey(engine.CreateKeyInput{BypassPolicyLockoutSafetyCheck: true}),
					want: createDenied(azNoIB("kms:CreateKey"))},
			}},
		{name: "CreateKey kms:KeySpec from CustomerMasterKeySpec", keys: withPolicy(""),
			iam: map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:CreateKey"`, `"*"`,
				`{"StringEquals":{"kms:KeySpec":"RSA_2048","kms:KeyUsage":"SIGN_VERIFY"}}`))}},
			checks: []azCheck{
				{label: "CustomerMasterKeySpec", caller: alice, call: createKey(engine.CreateKeyInput{CustomerMasterKeySpec: keystore.RSA2048, KeyUsage: keystore.SignVerify})},
				{label: "KeySpec", caller: alice, call: createKey(engine.CreateKeyInput{KeySpec: keystore.RSA2048, KeyUsage: keystore.SignVerify})},
				{label: "default", caller: alice, call: createKey(engine.CreateKeyInput{}), want: createDenied(azNoIB("kms:CreateKey"))},
			}},
		{name: "CreateKey kms:MultiRegion and kms:MultiRegionKeyType PRIMARY", keys: withPolicy(""),
			iam: map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:CreateKey"`, `"*"`,
				`{"StringEquals":{"kms:MultiRegionKeyType":"PRIMARY"},"Bool":{"kms:MultiRegion":"true"}}`))}},
			checks: []azCheck{
				{label: "multi-Region", caller: alice, call: createKey(engine.CreateKeyInput{MultiRegion: true})},
				{label: "single-Region", caller: alice, call: createKey(engine.CreateKeyInput{}), want: createDenied(azNoIB("kms:CreateKey"))},
			}},
		{name: "CreateKey kms:BypassPolicyLockoutSafetyCheck", keys: withPolicy(""),
			iam: map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:CreateKey"`, `"*"`, ""),
				azIS("Deny", `"kms:CreateKey"`, `"*"`, `{"Bool":{"kms:BypassPolicyLockoutSafetyCheck":"true"}}`))}},
			checks: []azCheck{
				{label: "without bypass", caller: alice, call: createKey(engine.CreateKeyInput{})},
				{label: "with bypass", caller: alice, call: createKey(engine.CreateKeyInput{BypassPolicyLockoutSafetyCheck: true}),
					want: createDenied(azXIB)},
			}},
		{name: "CreateKey kms:CallerAccount and aws:RequestTag", keys: withPolicy(""),
			iam: map[string][]string{azAlice: {azDoc(azIS("Allow", `["kms:CreateKey","kms:TagResource"]`, `"*"`,
				`{"StringEquals":{"kms:CallerAccount":"111122223333","aws:RequestTag/team":"blue"},"ForAllValues:StringEquals":{"aws:TagKeys":"team"}}`))}},
			checks: []azCheck{
				{label: "team=blue", caller: alice, call: createKey(engine.CreateKeyInput{Tags: []keystore.Tag{{Key: "team", Value: "blue"}}})},
				{label: "team=red", caller: alice, call: createKey(engine.CreateKeyInput{Tags: []keystore.Tag{{Key: "team", Value: "red"}}}),
					want: createDenied(azNoIB("kms:CreateKey"))},
				{label: "extra tag key", caller: alice, call: createKey(engine.CreateKeyInput{Tags: []keystore.Tag{{Key: "team", Value: "blue"}, {Key: "env", Value: "x"}}}),
					want: createDenied(azNoIB("kms:CreateKey"))},
			}},

		// PutKeyPolicy: kms:BypassPolicyLockoutSafetyCheck.
		{name: "PutKeyPolicy kms:BypassPolicyLockoutSafetyCheck in the key policy",
			keys: withPolicy(azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:PutKeyPolicy"`, `{"Bool":{"kms:BypassPolicyLockoutSafetyCheck":"true"}}`))),
			checks: []azCheck{
				{label: "with bypass", caller: root, key: "k", call: putPolicy(policy.Default("aws", azA), true),
					want: azDenied(azRootA, "kms:PutKeyPolicy", "{arn}", azXRB)},
				{label: "without bypass", caller: root, key: "k", call: putPolicy(policy.Default("aws", azA), false)},
			}},
		{name: "PutKeyPolicy kms:BypassPolicyLockoutSafetyCheck in IAM", keys: withPolicy(""),
			iam: map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:PutKeyPolicy"`, `"*"`, `{"Bool":{"kms:BypassPolicyLockoutSafetyCheck":"true"}}`))}},
			checks: []azCheck{
				{label: "without bypass", caller: alice, key: "k", call: putPolicy(policy.Default("aws", azA), false),
					want: azDenied(azAlice, "kms:PutKeyPolicy", "{arn}", azNoIB("kms:PutKeyPolicy"))},
				{label: "with bypass", caller: alice, key: "k", call: putPolicy(policy.Default("aws", azA), true)},
			}},

		// ScheduleKeyDeletion: kms:ScheduleKeyDeletionPendingWindowInDays.
		{name: "kms:ScheduleKeyDeletionPendingWindowInDays NumericLessThan in a key policy Deny",
			keys: withPolicy(azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:ScheduleKeyDeletion"`,
				`{"NumericLessThan":{"kms:ScheduleKeyDeletionPendingWindowInDays":"14"}}`))),
			checks: []azCheck{
				{label: "7 days", caller: root, key: "k", call: schedule(7), want: azDenied(azRootA, "kms:ScheduleKeyDeletion", "{arn}", azXRB)},
				{label: "13 days", caller: root, key: "k", call: schedule(13), want: azDenied(azRootA, "kms:ScheduleKeyDeletion", "{arn}", azXRB)},
				{label: "14 days", caller: root, key: "k", call: schedule(14)},
			}},
		{name: "kms:ScheduleKeyDeletionPendingWindowInDays NumericLessThan in IAM", keys: withPolicy(""),
			iam: map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:ScheduleKeyDeletion"`, `"*"`,
				`{"NumericLessThan":{"kms:ScheduleKeyDeletionPendingWindowInDays":20}}`))}},
			checks: []azCheck{
				{label: "25 days", caller: alice, key: "k", call: schedule(25),
					want: azDenied(azAlice, "kms:ScheduleKeyDeletion", "{arn}", azNoIB("kms:ScheduleKeyDeletion"))},
				{label: "20 days", caller: alice, key: "k", call: schedule(20),
					want: azDenied(azAlice, "kms:ScheduleKeyDeletion", "{arn}", azNoIB("kms:ScheduleKeyDeletion"))},
				{label: "19 days", caller: alice, key: "k", call: schedule(19)},
			}},
		{name: "kms:ScheduleKeyDeletionPendingWindowInDays is 30 when omitted", keys: withPolicy(""),
			iam: map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:ScheduleKeyDeletion"`, `"*"`,
				`{"NumericEquals":{"kms:ScheduleKeyDeletionPendingWindowInDays":"30"}}`))}},
			checks: []azCheck{
				{label: "29 days", caller: alice, key: "k", call: schedule(29),
					want: azDenied(azAlice, "kms:ScheduleKeyDeletion", "{arn}", azNoIB("kms:ScheduleKeyDeletion"))},
				{label: "omitted", caller: alice, key: "k", call: schedule(0)},
			}},

		// TagResource and UntagResource: aws:TagKeys and aws:RequestTag.
		{name: "TagResource aws:TagKeys", keys: withPolicy(""),
			iam: map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:TagResource"`, `"*"`,
				`{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}}`))}},
			checks: []azCheck{
				{label: "team", caller: alice, key: "k", call: tag(keystore.Tag{Key: "team", Value: "a"})},
				{label: "team and env", caller: alice, key: "k", call: tag(keystore.Tag{Key: "team", Value: "a"}, keystore.Tag{Key: "env", Value: "b"})},
				{label: "team and owner", caller: alice, key: "k", call: tag(keystore.Tag{Key: "team", Value: "a"}, keystore.Tag{Key: "owner", Value: "b"}),
					want: azDenied(azAlice, "kms:TagResource", "{arn}", azNoIB("kms:TagResource"))},
			}},
		{name: "TagResource aws:RequestTag", keys: withPolicy(""),
			iam: map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:TagResource"`, `"*"`,
				`{"StringEquals":{"aws:RequestTag/team":"blue"}}`))}},
			checks: []azCheck{
				{label: "team=blue", caller: alice, key: "k", call: tag(keystore.Tag{Key: "team", Value: "blue"})},
				{label: "team=red", caller: alice, key: "k", call: tag(keystore.Tag{Key: "team", Value: "red"}),
					want: azDenied(azAlice, "kms:TagResource", "{arn}", azNoIB("kms:TagResource"))},
				{label: "env only", caller: alice, key: "k", call: tag(keystore.Tag{Key: "env", Value: "x"}),
					want: azDenied(azAlice, "kms:TagResource", "{arn}", azNoIB("kms:TagResource"))},
			}},
		{name: "UntagResource aws:TagKeys in IAM", keys: withPolicy(""),
			iam: map[string][]string{azAlice: {azDoc(azIS("Allow", `"kms:UntagResource"`, `"*"`, ""),
				azIS("Deny", `"kms:UntagResource"`, `"*"`, `{"ForAnyValue:StringEquals":{"aws:TagKeys":"protected"}}`))}},
			checks: []azCheck{
				{label: "team", caller: alice, key: "k", call: untag("team")},
				{label: "team and protected", caller: alice, key: "k", call: untag("team", "protected"),
					want: azDenied(azAlice, "kms:UntagResource", "{arn}", azXIB)},
			}},
		{name: "UntagResource aws:TagKeys in the key policy",
			keys: withPolicy(azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:UntagResource"`, `{"ForAnyValue:StringLike":{"aws:TagKeys":"sec*"}}`))),
			checks: []azCheck{
				{label: "secret", caller: root, key: "k", call: untag("secret"), want: azDenied(azRootA, "kms:UntagResource", "{arn}", azXRB)},
				{label: "team", caller: root, key: "k", call: untag("team")},
			}},

		// aws:SourceIp.
		{name: "aws:SourceIp IpAddress in IAM", keys: withPolicy(""),
			iam: map[string][]string{azAlice: allowDescribeIf(`{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}`)},
			checks: []azCheck{
				{label: "inside", caller: azFrom(alice, "192.0.2.44"), key: "k"},
				{label: "outside", caller: azFrom(alice, "198.51.100.7"), key: "k", want: describeNoIB},
				{label: "no address", caller: alice, key: "k", want: describeNoIB},
			}},
		{name: "aws:SourceIp NotIpAddress in a key policy Deny",
			keys: withPolicy(azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:DescribeKey"`, `{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}`))),
			checks: []azCheck{
				{label: "inside", caller: azFrom(root, "10.1.2.3"), key: "k"},
				{label: "inside IPv6", caller: azFrom(root, "2001:db8::7"), key: "k"},
				{label: "outside", caller: azFrom(root, "192.0.2.1"), key: "k", want: azDenied(azRootA, "kms:DescribeKey", "{arn}", azXRB)},
				{label: "no address", caller: root, key: "k", want: azDenied(azRootA, "kms:DescribeKey", "{arn}", azXRB)},
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := azEnv(t)
			byLabel := tc.keys(t, env)
			for who, docs := range tc.iam {
				azIAM(t, env, who, docs...)
			}
			for _, c := range tc.checks {
				call := c.call
				if call == nil {
					call = azDescribe
				}
				arn := byLabel[c.key]
				err := call(env.Engine, c.caller, arn)
				if c.want == nil {
					require.NoError(t, err, c.label)
					continue
				}
				require.Error(t, err, c.label)
				chkRequireErr(t, err, chkExpand(c.want, "", arn))
			}
		})
	}
}

// TestAuthzDisabled checks Config.DisableAuthorization: no key policy or
// IAM policy denies anything, but submitted policies are still validated
// and stored, and resolution rules (cross-account) still apply.
//
// Observed: rules 1 to 6 of spec §7.3 still apply; the lockout safety
// check (rule 7) does not, so a policy that would lock the caller out is
// accepted without BypassPolicyLockoutSafetyCheck (an IAM user without
// identity policies can submit the default policy).
func TestAuthzDisabled(t *testing.T) {
	t.Parallel()
	env := azEnv(t, kmstest.WithConfig(engine.Config{DisableAuthorization: true}))
	e := env.Engine
	alice := azAs(azAlice, "us-east-1")
	denyAll := azDoc(azEnableIAM, azKS("Deny", `"*"`, `"kms:*"`, ""))

	// Every IAM-only and key operation is allowed without any policy.
	out, err := e.CreateKey(alice, engine.CreateKeyInput{MultiRegion: true, Tags: []keystore.Tag{{Key: "team", Value: "x"}}})
	require.NoError(t, err)
	id, arn := out.KeyMetadata.KeyID, out.KeyMetadata.Arn
	_, err = e.ListKeys(alice, engine.ListKeysInput{})
	require.NoError(t, err)
	rep, err := e.ReplicateKey(alice, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2", Tags: []keystore.Tag{{Key: "team", Value: "y"}}})
	require.NoError(t, err)
	require.Equal(t, policy.Default("aws", azA), rep.ReplicaPolicy)
	chkCreated(env)

	// Explicit denies in the key policy and in IAM change nothing.
	_, err = e.PutKeyPolicy(env.Caller("us-east-1"), engine.PutKeyPolicyInput{KeyID: id, Policy: denyAll, BypassPolicyLockoutSafetyCheck: true})
	require.NoError(t, err)
	azIAM(t, env, azAlice, azDoc(azIS("Deny", `"kms:*"`, `"*"`, "")))
	require.NoError(t, azDescribe(e, alice, id))
	require.NoError(t, azDescribe(e, env.Caller("us-east-1"), arn))
	_, err = e.UpdatePrimaryRegion(alice, engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: "us-west-2"})
	require.NoError(t, err)
	got, err := e.GetKeyPolicy(alice, engine.GetKeyPolicyInput{KeyID: id})
	require.NoError(t, err)
	require.Equal(t, denyAll, got.Policy, "the policy is stored even though it is not enforced")
	require.NoError(t, e.DeletePrincipalPolicy(azAlice, "p0"))

	// Cross-account: DescribeKey of another account's key under its
	// default policy works; key-only operations still do not resolve.
	bid, barn := azCreate(t, env, azB, "")
	require.NoError(t, azDescribe(e, alice, barn))
	_, err = e.DisableKey(alice, engine.DisableKeyInput{KeyID: barn})
	chkRequireErr(t, err, &kmserrors.NotFoundException{Message: "Key 'arn:aws:kms:us-east-1:444455556666:key/" + bid + "' does not exist"})

	// Policies are still validated, rules 1 to 6.
	single, err := e.CreateKey(alice, engine.CreateKeyInput{})
	require.NoError(t, err)
	sid := single.KeyMetadata.KeyID
	put := func(text string, bypass bool) error {
		_, err := e.PutKeyPolicy(alice, engine.PutKeyPolicyInput{KeyID: sid, Policy: text, BypassPolicyLockoutSafetyCheck: bypass})
		return err
	}
	chkRequireErr(t, put(azDoc(azKS("Allow", azPr("arn:aws:iam::111122223333:user/ghost"), `"kms:*"`, "")), true),
		&kmserrors.MalformedPolicyDocumentException{Message: "Policy contains a statement with one or more invalid principals."})
	chkRequireErr(t, put(strings.Repeat(" ", 32769), true),
		&kmserrors.LimitExceededException{Message: "The key policy exceeds the maximum allowed size."})
	chkRequireErrType(t, put("not json", true), &kmserrors.MalformedPolicyDocumentException{})
	chkRequireErr(t, put("{\"Statement\":\"\u0100\"}", true), &kmserrors.ValidationException{
		Message: chkOne("'{\"Statement\":\"\u0100\"}'", "policy", "satisfy regular expression pattern: "+chkPolicyPattern)})
	_, err = e.CreateKey(alice, engine.CreateKeyInput{Policy: azDoc(azKS("Allow", `"*"`, `"kms:*"`, `{"ForAllValues:StringEquals":{"aws:RequestTag/team":"x"}}`))})
	chkRequireErr(t, err, &kmserrors.MalformedPolicyDocumentException{Message: "OverlyPermissiveCondition: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified tag or with an unspecified tag. To fix, remove ForAllValues."})

	// Not rule 7: alice has no IAM Allow of kms:PutKeyPolicy, so with
	// authorization on the default policy would lock her out; a policy
	// naming only bob would lock out everyone but bob.
	require.NoError(t, put(policy.Default("aws", azA), false))
	require.Equal(t, kpDefaultA, kpGet(t, env, "us-east-1", sid))
	bobOnly := azDoc(azKS("Allow", azPr(azBob), `"kms:*"`, ""))
	require.NoError(t, put(bobOnly, false))
	got, err = e.GetKeyPolicy(alice, engine.GetKeyPolicyInput{KeyID: sid})
	require.NoError(t, err)
	require.Equal(t, bobOnly, got.Policy)
	_, err = e.CreateKey(alice, engine.CreateKeyInput{Policy: bobOnly})
	require.NoError(t, err)
	env.Settle() // the promotion to us-west-2 ends
	rep, err = e.ReplicateKey(azAs(azAlice, "us-west-2"), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1", Policy: bobOnly})
	require.NoError(t, err)
	require.Equal(t, bobOnly, rep.ReplicaPolicy)
}
