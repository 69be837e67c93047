package policy_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/policy"
)

// directory is a Directory over fixed sets; it resolves role sessions to
// their role by name.
type directory struct {
	accounts   map[string]bool
	principals map[string]bool
	asked      []string
}

func (d *directory) AccountExists(a string) bool {
	d.asked = append(d.asked, a)
	return d.accounts[a]
}

func (d *directory) PrincipalExists(arn string) bool {
	d.asked = append(d.asked, arn)
	p, ok := policy.ParsePrincipal(arn)
	if ok && p.Kind == policy.Root {
		// This test directory's accounts are in the aws partition.
		return p.Partition == "aws" && d.accounts[p.Account]
	}
	if ok && p.RoleARN != "" {
		arn = p.RoleARN
	}
	return d.principals[arn]
}

func newDirectory() *directory {
	return &directory{
		accounts:   map[string]bool{acct: true, otherAcct: true},
		principals: map[string]bool{adminARN: true, userARN: true, aliceARN: true},
	}
}

const pattern = `Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`

func TestValidateRules(t *testing.T) {
	good := policy.Default("aws", acct)
	forAll := func(key string) string {
		return stmt(base + `,"Condition":{"ForAllValues:StringEquals":{"` + key + `":"x"}}`)
	}
	rule6 := func(what string) string {
		return "OverlyPermissiveCondition: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified " +
			what + " or with an unspecified " + what + ". To fix, remove ForAllValues."
	}
	lockUser := &policy.Request{Caller: caller(aliceARN), Resource: keyARN}
	cases := []struct {
		name string
		text string
		opts policy.ValidateOptions
		err  error // nil: valid
	}{
		{"valid default", good, policy.ValidateOptions{}, nil},
		{"valid console", consolePolicy(acct), policy.ValidateOptions{Directory: newDirectory()}, nil},
		{"valid latin-1 and tab", stmt("\t\"Sid\":\"ÿ\u0080\"," + base), policy.ValidateOptions{}, nil},

		// Rule 1.
		{"1 empty", "", policy.ValidateOptions{},
			&kmserrors.ValidationException{Message: "1 validation error detected: Value '' at 'policy' failed to satisfy constraint: Member must have length greater than or equal to 1"}},
		{"1 character", stmt(`"Sid":"€",` + base), policy.ValidateOptions{},
			&kmserrors.ValidationException{Message: "1 validation error detected: Value '" + stmt(`"Sid":"€",`+base) + "' at 'policy' failed to satisfy constraint: " + pattern}},
		{"1 control", "{\x01}", policy.ValidateOptions{Member: "replicaPolicy"},
			&kmserrors.ValidationException{Message: "1 validation error detected: Value '{\x01}' at 'replicaPolicy' failed to satisfy constraint: " + pattern}},
		{"1 invalid utf-8", "{\xc3}", policy.ValidateOptions{},
			&kmserrors.ValidationException{Message: "1 validation error detected: Value '{\xc3}' at 'policy' failed to satisfy constraint: " + pattern}},
		{"1 too long", strings.Repeat(" ", 131073), policy.ValidateOptions{},
			&kmserrors.ValidationException{Message: "1 validation error detected: Value '" + strings.Repeat(" ", 131073) + "' at 'policy' failed to satisfy constraint: Member must have length less than or equal to 131072"}},
		{"1 before 2", strings.Repeat("€", 40000), policy.ValidateOptions{},
			&kmserrors.ValidationException{Message: "1 validation error detected: Value '" + strings.Repeat("€", 40000) + "' at 'policy' failed to satisfy constraint: " + pattern}},

		// Rule 2.
		{"2 over 32768 bytes", good + strings.Repeat(" ", 32769-len(good)), policy.ValidateOptions{},
			&kmserrors.LimitExceededException{Message: "The key policy exceeds the maximum allowed size."}},
		{"2 exactly 32768 bytes", good + strings.Repeat(" ", 32768-len(good)), policy.ValidateOptions{}, nil},
		{"2 latin-1 counts two bytes", good + strings.Repeat("é", 16384), policy.ValidateOptions{},
			&kmserrors.LimitExceededException{Message: "The key policy exceeds the maximum allowed size."}},
		{"2 configurable", good, policy.ValidateOptions{MaxBytes: 100},
			&kmserrors.LimitExceededException{Message: "The key policy exceeds the maximum allowed size."}},
		{"2 before 3", "x" + strings.Repeat(" ", 40000), policy.ValidateOptions{},
			&kmserrors.LimitExceededException{Message: "The key policy exceeds the maximum allowed size."}},

		// Rule 3.
		{"3 not json", "not json", policy.ValidateOptions{},
			&kmserrors.MalformedPolicyDocumentException{Message: "The policy is not valid JSON: invalid value (line 1, column 1)."}},
		{"3 before 4", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"allow","Principal":"*"}]}`, policy.ValidateOptions{},
			&kmserrors.MalformedPolicyDocumentException{Message: `Statement #1: Effect must be "Allow" or "Deny", not "allow".`}},

		// Rule 4.
		{"4 missing principal", stmt(`"Sid":"x","Effect":"Allow","Action":"*","Resource":"*"`), policy.ValidateOptions{},
			&kmserrors.MalformedPolicyDocumentException{Message: `Statement #0 ("x") has no Principal or NotPrincipal element; every statement of a key policy must name its principals.`}},
		{"4 before 5", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"nobody"}},{"Effect":"Allow","Action":"*"}]}`, policy.ValidateOptions{},
			&kmserrors.MalformedPolicyDocumentException{Message: `Statement #1 has no Principal or NotPrincipal element; every statement of a key policy must name its principals.`}},

		// Rule 5.
		{"5 unknown account", policy.Default("aws", "999999999999"), policy.ValidateOptions{Directory: newDirectory()}, errInvalidPrincipals},
		{"5 unknown bare account", stmt(`"Effect":"Allow","Principal":{"AWS":"999999999999"},"Action":"*","Resource":"*"`), policy.ValidateOptions{Directory: newDirectory()}, errInvalidPrincipals},
		{"5 unknown user", stmt(`"Effect":"Allow","Principal":{"AWS":"` + bobARN + `"},"Action":"*","Resource":"*"`), policy.ValidateOptions{Directory: newDirectory()}, errInvalidPrincipals},
		{"5 known user", stmt(`"Effect":"Allow","Principal":{"AWS":"` + aliceARN + `"},"Action":"*","Resource":"*"`), policy.ValidateOptions{Directory: newDirectory()}, nil},
		{"5 session of known role", stmt(`"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/KeyAdmin/s"},"Action":"*","Resource":"*"`), policy.ValidateOptions{Directory: newDirectory()}, nil},
		{"5 nil directory accepts well-formed", stmt(`"Effect":"Allow","Principal":{"AWS":"` + bobARN + `"},"Action":"*","Resource":"*"`), policy.ValidateOptions{}, nil},
		{"5 group", stmt(`"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:group/admins"},"Action":"*","Resource":"*"`), policy.ValidateOptions{}, errInvalidPrincipals},
		{"5 wildcard in arn", stmt(`"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/*"},"Action":"*","Resource":"*"`), policy.ValidateOptions{}, errInvalidPrincipals},
		{"5 garbage", stmt(`"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"*","Resource":"*"`), policy.ValidateOptions{}, errInvalidPrincipals},
		{"5 short account", stmt(`"Effect":"Allow","Principal":{"AWS":"11112222333"},"Action":"*","Resource":"*"`), policy.ValidateOptions{}, errInvalidPrincipals},
		{"5 unknown partition", policy.Default("aws-mars", acct), policy.ValidateOptions{}, errInvalidPrincipals},
		{"5 region in arn", stmt(`"Effect":"Allow","Principal":{"AWS":"arn:aws:iam:us-east-1:111122223333:root"},"Action":"*","Resource":"*"`), policy.ValidateOptions{}, errInvalidPrincipals},
		{"5 bad service", stmt(`"Effect":"Allow","Principal":{"Service":"CloudTrail"},"Action":"*","Resource":"*"`), policy.ValidateOptions{}, errInvalidPrincipals},
		{"5 service wildcard", stmt(`"Effect":"Allow","Principal":{"Service":"*"},"Action":"*","Resource":"*"`), policy.ValidateOptions{}, errInvalidPrincipals},
		{"5 bad canonical user", stmt(`"Effect":"Allow","Principal":{"CanonicalUser":"abc"},"Action":"*","Resource":"*"`), policy.ValidateOptions{}, errInvalidPrincipals},
		{"5 empty federated", stmt(`"Effect":"Allow","Principal":{"Federated":""},"Action":"*","Resource":"*"`), policy.ValidateOptions{}, errInvalidPrincipals},
		{"5 in NotPrincipal", stmt(`"Effect":"Deny","NotPrincipal":{"AWS":"nobody"},"Action":"*","Resource":"*"`), policy.ValidateOptions{}, errInvalidPrincipals},
		{"5 star ok", stmt(`"Effect":"Allow","Principal":{"AWS":["*"]},"Action":"*","Resource":"*"`), policy.ValidateOptions{Directory: newDirectory()}, nil},
		{"5 before 6", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"nobody"}},{"Effect":"Allow","Principal":"*","Condition":{"ForAllValues:StringEquals":{"kms:EncryptionContext:a":"b"}}}]}`,
			policy.ValidateOptions{}, errInvalidPrincipals},

		// Rule 6.
		{"6 encryption context", forAll("kms:EncryptionContext:Department"), policy.ValidateOptions{},
			&kmserrors.MalformedPolicyDocumentException{Message: rule6("encryption context")}},
		{"6 encryption context any case", forAll("KMS:encryptioncontext:x"), policy.ValidateOptions{},
			&kmserrors.MalformedPolicyDocumentException{Message: rule6("encryption context")}},
		{"6 request tag", forAll("aws:RequestTag/Project"), policy.ValidateOptions{},
			&kmserrors.MalformedPolicyDocumentException{Message: rule6("tag")}},
		{"6 encryption context keys allowed", forAll("kms:EncryptionContextKeys"), policy.ValidateOptions{}, nil},
		{"6 tag keys allowed", forAll("aws:TagKeys"), policy.ValidateOptions{}, nil},
		{"6 ForAnyValue allowed", stmt(base + `,"Condition":{"ForAnyValue:StringEquals":{"kms:EncryptionContext:a":"x"}}`), policy.ValidateOptions{}, nil},
		{"6 before 7", forAll("aws:RequestTag/a"), policy.ValidateOptions{Lockout: lockUser},
			&kmserrors.MalformedPolicyDocumentException{Message: rule6("tag")}},

		// Rule 7.
		{"7 root passes default", good, policy.ValidateOptions{Lockout: &policy.Request{Caller: caller(rootARN), Resource: keyARN}}, nil},
		{"7 user without IAM fails", good, policy.ValidateOptions{Lockout: lockUser}, errLockout},
		{"7 user with IAM passes", good, policy.ValidateOptions{Lockout: lockUser, IdentityPolicies: []*policy.Document{mustIdentity(allowAllIdentity)}}, nil},
		{"7 user with IAM for other action fails", good, policy.ValidateOptions{Lockout: lockUser,
			IdentityPolicies: []*policy.Document{mustIdentity(`{"Statement":{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*"}}`)}}, errLockout},
		{"7 bypass", good, policy.ValidateOptions{Lockout: lockUser, Bypass: true}, nil},
		{"7 admin named directly", consolePolicy(acct), policy.ValidateOptions{Lockout: &policy.Request{Caller: caller(adminARN), Resource: keyARN}}, nil},
		{"7 admin session", consolePolicy(acct), policy.ValidateOptions{Lockout: &policy.Request{Caller: caller("arn:aws:sts::111122223333:assumed-role/KeyAdmin/me"), Resource: keyARN}}, nil},
		{"7 key user cannot put", consolePolicy(acct), policy.ValidateOptions{Lockout: &policy.Request{Caller: caller(userARN), Resource: keyARN}}, errLockout},
		{"7 policy omits the caller", stmt(`"Effect":"Allow","Principal":{"AWS":"` + adminARN + `"},"Action":"kms:*","Resource":"*"`),
			policy.ValidateOptions{Lockout: &policy.Request{Caller: caller(rootARN), Resource: keyARN}}, errLockout},
		{"7 deny put", `{"Statement":[{` + base + `},{"Effect":"Deny","Principal":"*","Action":"kms:PutKeyPolicy","Resource":"*"}]}`,
			policy.ValidateOptions{Lockout: &policy.Request{Caller: caller(rootARN), Resource: keyARN}}, errLockout},
		{"7 identity deny", good, policy.ValidateOptions{Lockout: lockUser, IdentityPolicies: []*policy.Document{
			mustIdentity(allowAllIdentity), mustIdentity(`{"Statement":{"Effect":"Deny","Action":"kms:PutKeyPolicy","Resource":"*"}}`)}}, errLockout},
		{"7 bypass condition key ignored", stmt(base + `,"Condition":{"Bool":{"kms:BypassPolicyLockoutSafetyCheck":"true"}}`),
			policy.ValidateOptions{Lockout: &policy.Request{Caller: caller(rootARN), Resource: keyARN,
				Context: policy.Context{}.With("kms:BypassPolicyLockoutSafetyCheck", "true")}}, errLockout},
		{"7 context used", stmt(base + `,"Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`),
			policy.ValidateOptions{Lockout: &policy.Request{Caller: caller(rootARN), Resource: keyARN,
				Context: policy.Context{}.With("aws:RequestedRegion", "us-east-1")}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := policy.Validate(c.text, c.opts)
			if c.err == nil {
				if err != nil || d == nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate succeeded")
			}
			if d != nil {
				t.Error("document returned with an error")
			}
			if reflect.TypeOf(err) != reflect.TypeOf(c.err) || err.Error() != c.err.Error() {
				got, want := err.Error(), c.err.Error()
				if len(got) > 300 {
					got = got[:300] + "..."
				}
				if len(want) > 300 {
					want = want[:300] + "..."
				}
				t.Errorf("error\n got %T %s\nwant %T %s", err, got, c.err, want)
			}
		})
	}
}

var (
	errInvalidPrincipals = &kmserrors.MalformedPolicyDocumentException{Message: "Policy contains a statement with one or more invalid principals."}
	errLockout           = &kmserrors.MalformedPolicyDocumentException{Message: "The new key policy will not allow you to update the key policy in the future."}
)

func TestValidateAsksDirectory(t *testing.T) {
	dir := newDirectory()
	text := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["111122223333","` + aliceARN + `","arn:aws:sts::111122223333:assumed-role/KeyUser/s"]},"Action":"*","Resource":"*"}]}`
	if _, err := policy.Validate(text, policy.ValidateOptions{Directory: dir}); err != nil {
		t.Fatal(err)
	}
	want := []string{acct, aliceARN, "arn:aws:sts::111122223333:assumed-role/KeyUser/s"}
	if !reflect.DeepEqual(dir.asked, want) {
		t.Errorf("asked %q, want %q", dir.asked, want)
	}
}

func TestValidateErrorsAreTyped(t *testing.T) {
	for _, text := range []string{"", "{", "\x00", strings.Repeat("a", 40000)} {
		_, err := policy.Validate(text, policy.ValidateOptions{})
		if _, ok := kmserrors.As(err); !ok {
			t.Errorf("Validate(%.20q) = %v, not a kmserrors type", text, err)
		}
		var v *kmserrors.ValidationException
		var l *kmserrors.LimitExceededException
		var m *kmserrors.MalformedPolicyDocumentException
		if !errors.As(err, &v) && !errors.As(err, &l) && !errors.As(err, &m) {
			t.Errorf("Validate(%.20q) = %T", text, err)
		}
	}
}

func TestCheckLockout(t *testing.T) {
	d := mustParse(policy.Default("aws", acct))
	dec := policy.CheckLockout(d, nil, &policy.Request{Action: "kms:Encrypt", Caller: caller(aliceARN), Resource: keyARN, CrossAccountAllowed: true})
	if dec.Effect != policy.ImplicitDeny || dec.Source != policy.IdentityBased {
		t.Errorf("CheckLockout = %+v", dec)
	}
	if got := dec.Error(&policy.Request{Action: "kms:PutKeyPolicy", Caller: caller(aliceARN), Resource: keyARN}).Error(); !strings.HasSuffix(got,
		"because no identity-based policy allows the kms:PutKeyPolicy action") {
		t.Errorf("Error() = %s", got)
	}
	if dec := policy.CheckLockout(d, nil, &policy.Request{Caller: caller(rootARN), Resource: keyARN}); dec.Effect != policy.Allow {
		t.Errorf("root: %+v", dec)
	}
	if dec := policy.CheckLockout(d, nil, nil); dec.Effect != policy.ImplicitDeny {
		t.Errorf("nil request: %+v", dec)
	}
}
