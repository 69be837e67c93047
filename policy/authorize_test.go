package policy_test

import (
	"errors"
	"testing"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/policy"
)

// keyPolicy builds a key policy from statement texts.
func keyPolicy(stmts ...string) *policy.Document {
	text := `{"Version":"2012-10-17","Statement":[`
	for i, s := range stmts {
		if i > 0 {
			text += ","
		}
		text += s
	}
	return mustParse(text + "]}")
}

// Statement texts for the authorization table.
const (
	rootAllows    = `{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}`
	accountAllows = `{"Sid":"Account","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*"}`
	aliceAllows   = `{"Sid":"Alice","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"}`
	roleAllows    = `{"Sid":"Role","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/KeyUser"},"Action":"kms:Encrypt","Resource":"*"}`
	sessionAllows = `{"Sid":"Session","Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/KeyUser/s1"},"Action":"kms:Encrypt","Resource":"*"}`
	starAllows    = `{"Sid":"Star","Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*"}`
	otherAllows   = `{"Sid":"Other","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:Encrypt","Resource":"*"}`
	carolAllows   = `{"Sid":"Carol","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:user/carol"},"Action":"kms:Encrypt","Resource":"*"}`
	denyEncrypt   = `{"Sid":"NoEncrypt","Effect":"Deny","Principal":"*","Action":"kms:Encrypt","Resource":"*"}`
	denyAll       = `{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}`
)

var (
	iamAllowAll   = mustIdentity(allowAllIdentity)
	iamAllowKey   = mustIdentity(`{"Statement":{"Sid":"ThisKey","Effect":"Allow","Action":"kms:Encrypt","Resource":"` + keyARN + `"}}`)
	iamAllowKeys  = mustIdentity(`{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"arn:aws:kms:*:111122223333:key/*"}}`)
	iamOtherKey   = mustIdentity(`{"Statement":{"Effect":"Allow","Action":"kms:Encrypt","Resource":"arn:aws:kms:us-east-1:111122223333:key/other"}}`)
	iamDenyAll    = mustIdentity(`{"Statement":{"Sid":"IAMDeny","Effect":"Deny","Action":"kms:*","Resource":"*"}}`)
	iamCreateKey  = mustIdentity(`{"Statement":{"Sid":"Create","Effect":"Allow","Action":"kms:CreateKey","Resource":"*"}}`)
	iamCreateArn  = mustIdentity(`{"Statement":{"Effect":"Allow","Action":"kms:CreateKey","Resource":"arn:aws:kms:*:111122223333:key/*"}}`)
	iamOtherAllow = mustIdentity(`{"Statement":{"Sid":"CarolIAM","Effect":"Allow","Action":"kms:Encrypt","Resource":"` + keyARN + `"}}`)
)

func TestAuthorize(t *testing.T) {
	const session = "arn:aws:sts::111122223333:assumed-role/KeyUser/s1"
	const session2 = "arn:aws:sts::111122223333:assumed-role/KeyUser/s2"
	cases := []struct {
		name      string
		key       *policy.Document
		identity  []*policy.Document
		action    string
		who       string
		cross     bool
		resource  string // default keyARN
		effect    policy.Effect
		source    string
		statement string
	}{
		// 1. Explicit deny wins.
		{"key policy deny beats direct allow", keyPolicy(aliceAllows, denyEncrypt), nil, "kms:Encrypt", aliceARN, false, "", policy.Deny, policy.ResourceBased, "NoEncrypt"},
		{"key policy deny beats root", keyPolicy(rootAllows, denyEncrypt), nil, "kms:Encrypt", rootARN, false, "", policy.Deny, policy.ResourceBased, "NoEncrypt"},
		{"key policy deny beats IAM", keyPolicy(rootAllows, denyEncrypt), []*policy.Document{iamAllowAll}, "kms:Encrypt", aliceARN, false, "", policy.Deny, policy.ResourceBased, "NoEncrypt"},
		{"identity deny beats direct allow", keyPolicy(aliceAllows), []*policy.Document{iamDenyAll}, "kms:Encrypt", aliceARN, false, "", policy.Deny, policy.IdentityBased, "IAMDeny"},
		{"identity deny without account delegation", keyPolicy(starAllows), []*policy.Document{iamAllowAll, iamDenyAll}, "kms:Encrypt", aliceARN, false, "", policy.Deny, policy.IdentityBased, "IAMDeny"},
		{"key deny reported before identity deny", keyPolicy(denyAll), []*policy.Document{iamDenyAll}, "kms:Encrypt", aliceARN, false, "", policy.Deny, policy.ResourceBased, "DenyAll"},
		{"deny of account principal covers its users", keyPolicy(aliceAllows, `{"Sid":"D","Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"*","Resource":"*"}`), nil, "kms:Encrypt", aliceARN, false, "", policy.Deny, policy.ResourceBased, "D"},

		// 2a. Same account, key policy names the caller.
		{"user named", keyPolicy(aliceAllows), nil, "kms:Encrypt", aliceARN, false, "", policy.Allow, policy.ResourceBased, "Alice"},
		{"user named other action", keyPolicy(aliceAllows), nil, "kms:ScheduleKeyDeletion", aliceARN, false, "", policy.ImplicitDeny, policy.ResourceBased, ""},
		{"other user not named", keyPolicy(aliceAllows), nil, "kms:Encrypt", bobARN, false, "", policy.ImplicitDeny, policy.ResourceBased, ""},
		{"role named", keyPolicy(roleAllows), nil, "kms:Encrypt", userARN, false, "", policy.Allow, policy.ResourceBased, "Role"},
		{"role session via role", keyPolicy(roleAllows), nil, "kms:Encrypt", session, false, "", policy.Allow, policy.ResourceBased, "Role"},
		{"session named", keyPolicy(sessionAllows), nil, "kms:Encrypt", session, false, "", policy.Allow, policy.ResourceBased, "Session"},
		{"other session", keyPolicy(sessionAllows), nil, "kms:Encrypt", session2, false, "", policy.ImplicitDeny, policy.ResourceBased, ""},
		{"role itself not a session", keyPolicy(sessionAllows), nil, "kms:Encrypt", userARN, false, "", policy.ImplicitDeny, policy.ResourceBased, ""},
		{"star", keyPolicy(starAllows), nil, "kms:Encrypt", bobARN, false, "", policy.Allow, policy.ResourceBased, "Star"},
		{"star root", keyPolicy(starAllows), nil, "kms:Encrypt", rootARN, false, "", policy.Allow, policy.ResourceBased, "Star"},

		// 2b. Same account, account principal plus IAM.
		{"delegated with IAM", keyPolicy(rootAllows), []*policy.Document{iamAllowAll}, "kms:Encrypt", aliceARN, false, "", policy.Allow, policy.IdentityBased, "#0"},
		{"delegated with bare account", keyPolicy(accountAllows), []*policy.Document{iamAllowAll}, "kms:Encrypt", aliceARN, false, "", policy.Allow, policy.IdentityBased, "#0"},
		{"delegated IAM on key ARN", keyPolicy(rootAllows), []*policy.Document{iamAllowKey}, "kms:Encrypt", aliceARN, false, "", policy.Allow, policy.IdentityBased, "ThisKey"},
		{"delegated IAM on ARN pattern", keyPolicy(rootAllows), []*policy.Document{iamAllowKeys}, "kms:Encrypt", userARN, false, "", policy.Allow, policy.IdentityBased, "#0"},
		{"delegated IAM for session", keyPolicy(rootAllows), []*policy.Document{iamAllowAll}, "kms:Encrypt", session, false, "", policy.Allow, policy.IdentityBased, "#0"},
		{"delegated without IAM", keyPolicy(rootAllows), nil, "kms:Encrypt", aliceARN, false, "", policy.ImplicitDeny, policy.IdentityBased, ""},
		{"delegated IAM on other key", keyPolicy(rootAllows), []*policy.Document{iamOtherKey}, "kms:Encrypt", aliceARN, false, "", policy.ImplicitDeny, policy.IdentityBased, ""},
		{"delegated IAM other action", keyPolicy(rootAllows), []*policy.Document{iamAllowKey}, "kms:Decrypt", aliceARN, false, "", policy.ImplicitDeny, policy.IdentityBased, ""},
		{"root needs no IAM", keyPolicy(rootAllows), nil, "kms:PutKeyPolicy", rootARN, false, "", policy.Allow, policy.ResourceBased, "Root"},
		{"root via bare account", keyPolicy(accountAllows), nil, "kms:Encrypt", rootARN, false, "", policy.Allow, policy.ResourceBased, "Account"},
		{"direct allow wins over delegation", keyPolicy(rootAllows, aliceAllows), nil, "kms:Encrypt", aliceARN, false, "", policy.Allow, policy.ResourceBased, "Alice"},

		// Without an account-principal statement IAM has no effect.
		{"IAM alone has no effect", keyPolicy(aliceAllows), []*policy.Document{iamAllowAll}, "kms:Encrypt", bobARN, false, "", policy.ImplicitDeny, policy.ResourceBased, ""},
		{"root locked out", keyPolicy(aliceAllows), nil, "kms:Encrypt", rootARN, false, "", policy.ImplicitDeny, policy.ResourceBased, ""},
		{"no key policy", nil, []*policy.Document{iamAllowAll}, "kms:Encrypt", aliceARN, false, "", policy.ImplicitDeny, policy.ResourceBased, ""},
		{"other partition account", keyPolicy(`{"Effect":"Allow","Principal":{"AWS":"arn:aws-cn:iam::111122223333:root"},"Action":"*","Resource":"*"}`), nil,
			"kms:Encrypt", rootARN, false, "", policy.ImplicitDeny, policy.ResourceBased, ""},

		// 3. Cross account.
		{"cross not supported", keyPolicy(otherAllows), []*policy.Document{iamOtherAllow}, "kms:Encrypt", otherUser, false, "", policy.ImplicitDeny, "", ""},
		{"cross account allowed", keyPolicy(otherAllows), []*policy.Document{iamOtherAllow}, "kms:Encrypt", otherUser, true, "", policy.Allow, policy.IdentityBased, "CarolIAM"},
		{"cross account without IAM", keyPolicy(otherAllows), nil, "kms:Encrypt", otherUser, true, "", policy.ImplicitDeny, policy.IdentityBased, ""},
		{"cross caller named needs IAM", keyPolicy(carolAllows), nil, "kms:Encrypt", otherUser, true, "", policy.ImplicitDeny, policy.IdentityBased, ""},
		{"cross caller named with IAM", keyPolicy(carolAllows), []*policy.Document{iamOtherAllow}, "kms:Encrypt", otherUser, true, "", policy.Allow, policy.IdentityBased, "CarolIAM"},
		{"cross star with IAM", keyPolicy(starAllows), []*policy.Document{iamOtherAllow}, "kms:Encrypt", otherUser, true, "", policy.Allow, policy.IdentityBased, "CarolIAM"},
		{"cross star without IAM", keyPolicy(starAllows), nil, "kms:Encrypt", otherUser, true, "", policy.ImplicitDeny, policy.IdentityBased, ""},
		{"cross account not in key policy", keyPolicy(rootAllows), []*policy.Document{iamOtherAllow}, "kms:Encrypt", otherUser, true, "", policy.ImplicitDeny, policy.ResourceBased, ""},
		{"cross root of caller account", keyPolicy(otherAllows), nil, "kms:Encrypt", otherRoot, true, "", policy.Allow, policy.ResourceBased, "Other"},
		{"cross key policy deny", keyPolicy(otherAllows, denyEncrypt), []*policy.Document{iamOtherAllow}, "kms:Encrypt", otherUser, true, "", policy.Deny, policy.ResourceBased, "NoEncrypt"},

		// 5. IAM-only actions.
		{"CreateKey with IAM", nil, []*policy.Document{iamCreateKey}, "kms:CreateKey", aliceARN, false, "*", policy.Allow, policy.IdentityBased, "Create"},
		{"CreateKey without IAM", nil, nil, "kms:CreateKey", aliceARN, false, "*", policy.ImplicitDeny, policy.IdentityBased, ""},
		{"CreateKey key policy ignored", keyPolicy(denyAll), []*policy.Document{iamCreateKey}, "kms:CreateKey", aliceARN, false, "*", policy.Allow, policy.IdentityBased, "Create"},
		{"CreateKey root", nil, nil, "kms:CreateKey", rootARN, false, "*", policy.Allow, policy.IdentityBased, ""},
		{"CreateKey IAM on ARN does not cover *", nil, []*policy.Document{iamCreateArn}, "kms:CreateKey", aliceARN, false, "*", policy.ImplicitDeny, policy.IdentityBased, ""},
		{"ListKeys IAM deny", nil, []*policy.Document{iamAllowAll, iamDenyAll}, "kms:ListKeys", aliceARN, false, "*", policy.Deny, policy.IdentityBased, "IAMDeny"},
		{"ListAliases", nil, []*policy.Document{iamAllowAll}, "kms:ListAliases", aliceARN, false, "*", policy.Allow, policy.IdentityBased, "#0"},
		{"GenerateRandom any case", nil, []*policy.Document{iamAllowAll}, "KMS:generaterandom", aliceARN, false, "*", policy.Allow, policy.IdentityBased, "#0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := c.resource
			if res == "" {
				res = keyARN
			}
			req := &policy.Request{Action: c.action, Caller: caller(c.who), Resource: res, CrossAccountAllowed: c.cross}
			dec := policy.Authorize(c.key, c.identity, req)
			if dec.Effect != c.effect || dec.Source != c.source || dec.Statement != c.statement {
				t.Errorf("Authorize = %+v\nwant Effect %v Source %q Statement %q", dec, c.effect, c.source, c.statement)
			}
			if dec.Reason == "" {
				t.Error("empty Reason")
			}
			if again := policy.Authorize(c.key, c.identity, req); again != dec {
				t.Errorf("not deterministic: %+v", again)
			}
		})
	}
}

func TestAuthorizeReasons(t *testing.T) {
	req := &policy.Request{Action: "kms:Encrypt", Caller: caller(aliceARN), Resource: keyARN}
	cases := []struct {
		key      *policy.Document
		identity []*policy.Document
		req      *policy.Request
		reason   string
	}{
		{keyPolicy(rootAllows), []*policy.Document{iamAllowKey}, req,
			"key policy statement 'Root' allows the request through the account principal, which lets IAM policies decide, and identity policy 0: statement 'ThisKey' allows the request"},
		{keyPolicy(rootAllows), nil, req,
			"key policy statement 'Root' allows the request through the account principal, which lets IAM policies decide, but no identity-based policy allows the request"},
		{keyPolicy(aliceAllows), []*policy.Document{nil, iamDenyAll}, req, "identity policy 1: statement 'IAMDeny' explicitly denies the request"},
		{keyPolicy(denyEncrypt), nil, req, "statement 'NoEncrypt' explicitly denies the request"},
		{keyPolicy(roleAllows), nil, req, "no Allow statement names the caller"},
		{keyPolicy(aliceAllows), nil, &policy.Request{Action: "kms:Sign", Caller: caller(aliceARN), Resource: keyARN}, "no Allow statement that names the caller covers the action"},
		{keyPolicy(`{"Sid":"K","Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:kms:*:*:key/other"}`), nil, req,
			"statement 'K' matched but its Resource does not cover the resource"},
		{keyPolicy(`{"Effect":"Allow","Principal":"*","Action":"*","NotResource":"*"}`), nil, req,
			"statement #0 matched but its NotResource does not cover the resource"},
		{nil, nil, req, "the key has no key policy"},
		{keyPolicy(otherAllows), nil, &policy.Request{Action: "kms:Encrypt", Caller: caller(otherUser), Resource: keyARN},
			"the caller is in another account and the operation does not support cross-account use"},
		{nil, nil, &policy.Request{Action: "kms:CreateKey", Caller: caller(aliceARN), Resource: "*"},
			"no identity-based policy allows the action, which only IAM policies can grant"},
		{nil, nil, &policy.Request{Action: "kms:CreateKey", Caller: caller(rootARN), Resource: "*"},
			"the account root user has every permission an identity-based policy can grant"},
		{keyPolicy(otherAllows), nil, &policy.Request{Action: "kms:Encrypt", Caller: caller(otherRoot), Resource: keyARN, CrossAccountAllowed: true},
			"key policy statement 'Other' allows the request, and the account root user needs no identity-based policy"},
		{nil, nil, nil, "no request"},
	}
	for i, c := range cases {
		if got := policy.Authorize(c.key, c.identity, c.req).Reason; got != c.reason {
			t.Errorf("%d: Reason\n got %q\nwant %q", i, got, c.reason)
		}
	}
}

func TestDecisionError(t *testing.T) {
	req := &policy.Request{Action: "kms:ScheduleKeyDeletion", Caller: caller(aliceARN), Resource: keyARN}
	head := "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: kms:ScheduleKeyDeletion on resource: " + keyARN
	cases := []struct {
		dec  policy.Decision
		want string
	}{
		{policy.Decision{Effect: policy.Deny, Source: policy.ResourceBased}, head + " with an explicit deny in a resource-based policy"},
		{policy.Decision{Effect: policy.Deny, Source: policy.IdentityBased}, head + " with an explicit deny in an identity-based policy"},
		{policy.Decision{Effect: policy.ImplicitDeny, Source: policy.ResourceBased}, head + " because no resource-based policy allows the kms:ScheduleKeyDeletion action"},
		{policy.Decision{Effect: policy.ImplicitDeny, Source: policy.IdentityBased}, head + " because no identity-based policy allows the kms:ScheduleKeyDeletion action"},
		{policy.Decision{Effect: policy.ImplicitDeny}, head},
	}
	for _, c := range cases {
		err := c.dec.Error(req)
		var ad *kmserrors.AccessDeniedException
		if !errors.As(err, &ad) || ad.Message != c.want {
			t.Errorf("Error() = %v\nwant %s", err, c.want)
		}
	}
	if err := (policy.Decision{Effect: policy.Allow}).Error(req); err != nil {
		t.Errorf("Allow: %v", err)
	}
	// End to end, with CreateKey's resource "*".
	create := &policy.Request{Action: "kms:CreateKey", Caller: caller(aliceARN), Resource: "*"}
	err := policy.Authorize(nil, nil, create).Error(create)
	want := "AccessDeniedException: User: arn:aws:iam::111122223333:user/alice is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy allows the kms:CreateKey action"
	if err == nil || err.Error() != want {
		t.Errorf("Error() = %v\nwant %s", err, want)
	}
	if err := (policy.Decision{}).Error(nil); err == nil {
		t.Error("nil request: no error")
	}
}

func TestEvaluateMatching(t *testing.T) {
	type probe struct {
		action, resource string
		want             policy.Effect
	}
	cases := []struct {
		name   string
		doc    *policy.Document
		probes []probe
	}{
		{"ReEncrypt*", keyPolicy(`{"Effect":"Allow","Principal":"*","Action":"kms:ReEncrypt*","Resource":"*"}`), []probe{
			{"kms:ReEncryptFrom", keyARN, policy.Allow}, {"kms:ReEncryptTo", keyARN, policy.Allow},
			{"kms:reencryptfrom", keyARN, policy.Allow}, {"kms:Encrypt", keyARN, policy.ImplicitDeny},
		}},
		{"case-insensitive and ?", keyPolicy(`{"Effect":"Allow","Principal":"*","Action":["KMS:describe?ey","kms:GENERATEDATAKEY*"],"Resource":"*"}`), []probe{
			{"kms:DescribeKey", keyARN, policy.Allow}, {"kms:GenerateDataKeyWithoutPlaintext", keyARN, policy.Allow},
			{"kms:DescribeKeys", keyARN, policy.ImplicitDeny}, {"kms:GetKeyPolicy", keyARN, policy.ImplicitDeny},
		}},
		{"exact action", keyPolicy(`{"Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*"}`), []probe{
			{"kms:Encrypt", keyARN, policy.Allow}, {"kms:EncryptX", keyARN, policy.ImplicitDeny}, {"s3:Encrypt", keyARN, policy.ImplicitDeny},
		}},
		{"glob action", keyPolicy(`{"Effect":"Allow","Principal":"*","Action":"kms:*Key*","Resource":"*"}`), []probe{
			{"kms:DescribeKey", keyARN, policy.Allow}, {"kms:GetKeyPolicy", keyARN, policy.Allow}, {"kms:Encrypt", keyARN, policy.ImplicitDeny},
		}},
		{"star action", keyPolicy(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}`), []probe{
			{"kms:Encrypt", keyARN, policy.Allow}, {"anything", keyARN, policy.Allow},
		}},
		{"NotAction", keyPolicy(`{"Effect":"Allow","Principal":"*","NotAction":["kms:Delete*","kms:ScheduleKeyDeletion"],"Resource":"*"}`), []probe{
			{"kms:Encrypt", keyARN, policy.Allow}, {"kms:ScheduleKeyDeletion", keyARN, policy.ImplicitDeny}, {"kms:DeleteAlias", keyARN, policy.ImplicitDeny},
		}},
		{"resource ARN", keyPolicy(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"` + keyARN + `"}`), []probe{
			{"kms:Encrypt", keyARN, policy.Allow}, {"kms:Encrypt", "arn:aws:kms:us-east-1:111122223333:key/other", policy.ImplicitDeny},
		}},
		{"resource pattern", keyPolicy(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"arn:aws:kms:*:111122223333:key/*"}`), []probe{
			{"kms:Encrypt", keyARN, policy.Allow}, {"kms:Encrypt", "arn:aws:kms:eu-west-1:111122223333:key/mrk-1", policy.Allow},
			{"kms:Encrypt", "arn:aws:kms:us-east-1:444455556666:key/x", policy.ImplicitDeny},
			{"kms:Encrypt", "arn:aws:kms:us-east-1:111122223333:alias/x", policy.ImplicitDeny},
			{"kms:CreateKey", "*", policy.ImplicitDeny},
		}},
		{"NotResource", keyPolicy(`{"Effect":"Allow","Principal":"*","Action":"*","NotResource":"arn:aws:kms:*:*:key/secret"}`), []probe{
			{"kms:Encrypt", keyARN, policy.Allow}, {"kms:Encrypt", "arn:aws:kms:us-east-1:111122223333:key/secret", policy.ImplicitDeny},
		}},
		{"no action never applies", keyPolicy(`{"Effect":"Deny","Principal":"*","Resource":"*"}`, `{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}`), []probe{
			{"kms:Encrypt", keyARN, policy.Allow},
		}},
		{"no resource never applies", keyPolicy(`{"Effect":"Allow","Principal":"*","Action":"*"}`), []probe{
			{"kms:Encrypt", keyARN, policy.ImplicitDeny},
		}},
		{"deny beats allow in any order", keyPolicy(denyEncrypt, starAllows), []probe{
			{"kms:Encrypt", keyARN, policy.Deny}, {"kms:Decrypt", keyARN, policy.ImplicitDeny},
		}},
	}
	for _, c := range cases {
		for _, p := range c.probes {
			req := &policy.Request{Action: p.action, Caller: caller(aliceARN), Resource: p.resource}
			if got := c.doc.Evaluate(req).Effect; got != p.want {
				t.Errorf("%s: %s on %s = %v, want %v", c.name, p.action, p.resource, got, p.want)
			}
		}
	}
}

func TestEvaluatePrincipals(t *testing.T) {
	notAlice := keyPolicy(`{"Sid":"N","Effect":"Deny","NotPrincipal":{"AWS":"` + aliceARN + `"},"Action":"*","Resource":"*"}`)
	service := keyPolicy(`{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"*","Resource":"*"}`)
	cases := []struct {
		doc  *policy.Document
		who  string
		want policy.Effect
	}{
		{notAlice, aliceARN, policy.ImplicitDeny},
		{notAlice, bobARN, policy.Deny},
		{notAlice, rootARN, policy.Deny},
		{service, aliceARN, policy.ImplicitDeny},
		{service, rootARN, policy.ImplicitDeny},
		{keyPolicy(rootAllows), aliceARN, policy.Allow}, // through the account principal
		{keyPolicy(rootAllows), otherUser, policy.ImplicitDeny},
		{keyPolicy(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":"*"}`), otherUser, policy.Allow},
	}
	for i, c := range cases {
		req := &policy.Request{Action: "kms:Encrypt", Caller: caller(c.who), Resource: keyARN}
		if got := c.doc.Evaluate(req); got.Effect != c.want {
			t.Errorf("%d: %s = %+v, want %v", i, c.who, got, c.want)
		}
	}
	// A caller with no kind or account matches only "*".
	anon := &policy.Request{Action: "kms:Encrypt", Caller: policy.Principal{ARN: "x"}, Resource: keyARN}
	if got := keyPolicy(rootAllows, aliceAllows).Evaluate(anon).Effect; got != policy.ImplicitDeny {
		t.Errorf("anonymous caller: %v", got)
	}
	if got := keyPolicy(starAllows).Evaluate(anon).Effect; got != policy.Allow {
		t.Errorf("anonymous caller and *: %v", got)
	}
	var nilDoc *policy.Document
	if got := nilDoc.Evaluate(anon).Effect; got != policy.ImplicitDeny {
		t.Errorf("nil document: %v", got)
	}
	if got := keyPolicy(starAllows).Evaluate(nil).Effect; got != policy.ImplicitDeny {
		t.Errorf("nil request: %v", got)
	}
}

func TestEvaluateDecision(t *testing.T) {
	d := keyPolicy(rootAllows, `{"Effect":"Allow","Principal":{"AWS":"`+aliceARN+`"},"Action":"kms:Encrypt","Resource":"*"}`)
	req := &policy.Request{Action: "kms:Encrypt", Caller: caller(aliceARN), Resource: keyARN}
	want := policy.Decision{Effect: policy.Allow, Statement: "#1", Reason: "statement #1 allows the request", Source: policy.ResourceBased}
	if got := d.Evaluate(req); got != want {
		t.Errorf("Evaluate = %+v, want %+v", got, want)
	}
	id := mustIdentity(`{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}`)
	want = policy.Decision{Effect: policy.ImplicitDeny, Reason: "no Allow statement covers the action", Source: policy.IdentityBased}
	if got := id.Evaluate(req); got != want {
		t.Errorf("identity Evaluate = %+v, want %+v", got, want)
	}
}

func TestParsePrincipal(t *testing.T) {
	cases := []struct {
		arn  string
		want policy.Principal
		ok   bool
	}{
		{rootARN, policy.Principal{ARN: rootARN, Account: acct, Partition: "aws", Kind: policy.Root}, true},
		{aliceARN, policy.Principal{ARN: aliceARN, Account: acct, Partition: "aws", Kind: policy.User}, true},
		{"arn:aws:iam::111122223333:user/div/alice", policy.Principal{ARN: "arn:aws:iam::111122223333:user/div/alice", Account: acct, Partition: "aws", Kind: policy.User}, true},
		{adminARN, policy.Principal{ARN: adminARN, Account: acct, Partition: "aws", Kind: policy.Role, RoleARN: adminARN}, true},
		{"arn:aws-cn:sts::111122223333:assumed-role/KeyAdmin/me", policy.Principal{ARN: "arn:aws-cn:sts::111122223333:assumed-role/KeyAdmin/me",
			Account: acct, Partition: "aws-cn", Kind: policy.Role, RoleARN: "arn:aws-cn:iam::111122223333:role/KeyAdmin"}, true},
		{"arn:aws:iam::111122223333:group/g", policy.Principal{}, false},
		{"arn:aws:iam::1111:root", policy.Principal{}, false},
		{"arn:aws:sts::111122223333:assumed-role/KeyAdmin", policy.Principal{}, false},
		{"arn:aws:iam::111122223333:user/", policy.Principal{}, false},
		{"arn:aws:s3:::bucket", policy.Principal{}, false},
		{"111122223333", policy.Principal{}, false},
	}
	for _, c := range cases {
		got, ok := policy.ParsePrincipal(c.arn)
		if ok != c.ok || got != c.want {
			t.Errorf("ParsePrincipal(%q) = %+v, %v", c.arn, got, ok)
		}
	}
	for k, s := range map[policy.PrincipalKind]string{policy.Root: "Root", policy.User: "User", policy.Role: "Role", 0: "PrincipalKind(0)"} {
		if k.String() != s {
			t.Errorf("%d.String() = %s", int(k), k.String())
		}
	}
	for e, s := range map[policy.Effect]string{policy.ImplicitDeny: "ImplicitDeny", policy.Allow: "Allow", policy.Deny: "Deny", 7: "Effect(7)"} {
		if e.String() != s {
			t.Errorf("%d.String() = %s", int(e), e.String())
		}
	}
}

func TestIAMOnly(t *testing.T) {
	for a, want := range map[string]bool{
		"kms:CreateKey": true, "kms:ListKeys": true, "kms:ListAliases": true, "kms:GenerateRandom": true,
		"KMS:CREATEKEY": true, "kms:CreateAlias": false, "kms:Encrypt": false, "": false,
	} {
		if policy.IAMOnly(a) != want {
			t.Errorf("IAMOnly(%q) = %v", a, !want)
		}
	}
}

// TestConcurrentUse evaluates one fresh document from many goroutines
// (run with -race): explanations are built once, safely.
func TestConcurrentUse(t *testing.T) {
	d := mustParse(consolePolicy(acct))
	id := []*policy.Document{mustIdentity(allowAllIdentity)}
	done := make(chan policy.Decision)
	for i := 0; i < 8; i++ {
		go func() {
			req := &policy.Request{Action: "kms:CreateGrant", Caller: caller(userARN), Resource: keyARN}
			d.Evaluate(req)
			done <- policy.Authorize(d, id, req)
		}()
	}
	first := <-done
	for i := 1; i < 8; i++ {
		if got := <-done; got != first {
			t.Errorf("decisions differ: %+v %+v", got, first)
		}
	}
}
