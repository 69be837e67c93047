package policy_test

import (
	"strings"
	"testing"

	"github.com/kmsim/kmsim/policy"
	"pgregory.net/rapid"
)

// Pools the generators draw from: principals, actions, resources and
// conditions of the shared fixtures, so that generated statements often
// match generated requests.
var (
	genPrincipals = []string{
		`"*"`, `{"AWS":"*"}`, `{"AWS":"111122223333"}`, `{"AWS":"` + rootARN + `"}`, `{"AWS":"` + aliceARN + `"}`,
		`{"AWS":["` + bobARN + `","` + userARN + `"]}`, `{"AWS":"arn:aws:sts::111122223333:assumed-role/KeyUser/s1"}`,
		`{"AWS":"` + otherRoot + `"}`, `{"AWS":"` + otherUser + `"}`, `{"Service":"cloudtrail.amazonaws.com"}`,
	}
	genActions = []string{
		`"kms:*"`, `"*"`, `"kms:Encrypt"`, `["kms:Decrypt","kms:ReEncrypt*"]`, `"kms:Describe*"`, `"kms:PutKeyPolicy"`,
		`"kms:CreateKey"`, `["kms:Get*","kms:Put*"]`,
	}
	genResources  = []string{`"*"`, `"` + keyARN + `"`, `"arn:aws:kms:*:111122223333:key/*"`, `"arn:aws:kms:us-east-1:111122223333:key/other"`}
	genConditions = []string{
		``, `{"StringEquals":{"kms:CallerAccount":"111122223333"}}`, `{"Bool":{"aws:SecureTransport":"true"}}`,
		`{"StringNotEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}`, `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`,
		`{"Null":{"kms:ViaService":"true"}}`, `{"ForAnyValue:StringLike":{"aws:TagKeys":"a*"}}`,
		`{"StringLikeIfExists":{"kms:ViaService":"s3.*"},"NumericLessThan":{"kms:n":"5"}}`,
	}
	genActionsReq = []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:DescribeKey", "kms:PutKeyPolicy", "kms:GetKeyPolicy", "kms:CreateKey", "kms:ScheduleKeyDeletion"}
	genCallers    = []string{rootARN, aliceARN, bobARN, userARN, "arn:aws:sts::111122223333:assumed-role/KeyUser/s1", otherRoot, otherUser}
)

// genStatement draws one statement; identity statements have no
// principal.
func genStatement(identity bool, effect string) *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		var b strings.Builder
		if effect == "" {
			effect = rapid.SampledFrom([]string{"Allow", "Allow", "Deny"}).Draw(t, "effect")
		}
		b.WriteString(`{"Effect":"` + effect + `"`)
		if !identity {
			name := "Principal"
			if rapid.IntRange(0, 9).Draw(t, "not-principal") == 0 {
				name = "NotPrincipal"
			}
			b.WriteString(`,"` + name + `":` + rapid.SampledFrom(genPrincipals).Draw(t, "principal"))
		}
		name := "Action"
		if rapid.IntRange(0, 9).Draw(t, "not-action") == 0 {
			name = "NotAction"
		}
		b.WriteString(`,"` + name + `":` + rapid.SampledFrom(genActions).Draw(t, "action"))
		b.WriteString(`,"Resource":` + rapid.SampledFrom(genResources).Draw(t, "resource"))
		if c := rapid.SampledFrom(genConditions).Draw(t, "condition"); c != "" {
			b.WriteString(`,"Condition":` + c)
		}
		b.WriteString("}")
		return b.String()
	})
}

func document(stmts []string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

// scenario is a generated key policy, identity policies and request.
type scenario struct {
	key      []string
	identity [][]string
	req      *policy.Request
}

func genScenario(t *rapid.T) scenario {
	var s scenario
	s.key = rapid.SliceOfN(genStatement(false, ""), 1, 6).Draw(t, "key")
	n := rapid.IntRange(0, 2).Draw(t, "identities")
	for i := 0; i < n; i++ {
		s.identity = append(s.identity, rapid.SliceOfN(genStatement(true, ""), 1, 3).Draw(t, "identity"))
	}
	who := caller(rapid.SampledFrom(genCallers).Draw(t, "caller"))
	ctx := policy.Context{}.With("kms:CallerAccount", who.Account)
	if rapid.Bool().Draw(t, "secure") {
		ctx = ctx.With("aws:SecureTransport", "true")
	}
	if rapid.Bool().Draw(t, "via") {
		ctx = ctx.With("kms:ViaService", rapid.SampledFrom([]string{"s3.us-east-1.amazonaws.com", "ec2.us-east-1.amazonaws.com"}).Draw(t, "service"))
	}
	if rapid.Bool().Draw(t, "ip") {
		ctx = ctx.With("aws:SourceIp", rapid.SampledFrom([]string{"10.1.2.3", "192.0.2.1"}).Draw(t, "source-ip"))
	}
	if rapid.Bool().Draw(t, "tags") {
		ctx = ctx.With("aws:TagKeys", rapid.SliceOfN(rapid.SampledFrom([]string{"a", "ab", "b"}), 1, 3).Draw(t, "tag-keys")...)
	}
	action := rapid.SampledFrom(genActionsReq).Draw(t, "request-action")
	resource := keyARN
	if policy.IAMOnly(action) {
		resource = "*"
	}
	s.req = &policy.Request{Action: action, Caller: who, Resource: resource, CrossAccountAllowed: rapid.Bool().Draw(t, "cross"), Context: ctx}
	return s
}

func (s scenario) authorize(key []string, identity [][]string) policy.Decision {
	var ids []*policy.Document
	for _, st := range identity {
		ids = append(ids, mustIdentity(document(st)))
	}
	return policy.Authorize(mustParse(document(key)), ids, s.req)
}

// insert returns stmts with st inserted at index i.
func insert(stmts []string, i int, st string) []string {
	out := append([]string{}, stmts[:i]...)
	out = append(out, st)
	return append(out, stmts[i:]...)
}

func TestAddingDenyNeverGrants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genScenario(t)
		before := s.authorize(s.key, s.identity).Effect
		deny := genStatement(false, "Deny").Draw(t, "deny")
		after := s.authorize(insert(s.key, rapid.IntRange(0, len(s.key)).Draw(t, "at"), deny), s.identity).Effect
		if after == policy.Allow && before != policy.Allow {
			t.Fatalf("adding %s to the key policy granted access", deny)
		}
		if len(s.identity) > 0 {
			idDeny := genStatement(true, "Deny").Draw(t, "identity-deny")
			ids := append([][]string{}, s.identity...)
			ids[0] = insert(ids[0], 0, idDeny)
			if got := s.authorize(s.key, ids).Effect; got == policy.Allow && before != policy.Allow {
				t.Fatalf("adding %s to an identity policy granted access", idDeny)
			}
		}
	})
}

func TestAddingAllowNeverRemovesAccess(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genScenario(t)
		before := s.authorize(s.key, s.identity)
		allow := genStatement(false, "Allow").Draw(t, "allow")
		after := s.authorize(insert(s.key, rapid.IntRange(0, len(s.key)).Draw(t, "at"), allow), s.identity)
		if before.Effect == policy.Allow && after.Effect != policy.Allow {
			t.Fatalf("adding %s removed access: %+v", allow, after)
		}
		idAllow := genStatement(true, "Allow").Draw(t, "identity-allow")
		after = s.authorize(s.key, append(append([][]string{}, s.identity...), []string{idAllow}))
		if before.Effect == policy.Allow && after.Effect != policy.Allow {
			t.Fatalf("adding identity statement %s removed access: %+v", idAllow, after)
		}
	})
}

func TestStatementOrderDoesNotMatter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genScenario(t)
		before := s.authorize(s.key, s.identity)
		key := rapid.Permutation(s.key).Draw(t, "key-order")
		var ids [][]string
		for _, id := range s.identity {
			ids = append(ids, rapid.Permutation(id).Draw(t, "identity-order"))
		}
		ids = rapid.Permutation(ids).Draw(t, "identities-order")
		after := s.authorize(key, ids)
		if after.Effect != before.Effect || after.Source != before.Source {
			t.Fatalf("reordering changed %+v into %+v", before, after)
		}
		d := mustParse(document(s.key))
		if got, want := mustParse(document(key)).Evaluate(s.req).Effect, d.Evaluate(s.req).Effect; got != want {
			t.Fatalf("reordering changed Evaluate from %v to %v", want, got)
		}
	})
}

func TestLockoutProperties(t *testing.T) {
	// The default policy passes for the account's root user and for any
	// IAM identity of the account whose IAM policy allows PutKeyPolicy.
	rapid.Check(t, func(t *rapid.T) {
		account := rapid.StringMatching(`[0-9]{12}`).Draw(t, "account")
		partition := rapid.SampledFrom([]string{"aws", "aws-cn", "aws-us-gov"}).Draw(t, "partition")
		name := rapid.StringMatching(`[A-Za-z0-9+=,.@_-]{1,20}`).Draw(t, "name")
		key := "arn:" + partition + ":kms:r:" + account + ":key/k"
		opts := policy.ValidateOptions{Lockout: &policy.Request{Caller: caller("arn:" + partition + ":iam::" + account + ":root"), Resource: key}}
		if _, err := policy.Validate(policy.Default(partition, account), opts); err != nil {
			t.Fatalf("root: %v", err)
		}
		kind := rapid.SampledFrom([]string{":user/", ":role/"}).Draw(t, "kind")
		opts.Lockout = &policy.Request{Caller: caller("arn:" + partition + ":iam::" + account + kind + name), Resource: key}
		opts.IdentityPolicies = []*policy.Document{mustIdentity(`{"Statement":{"Effect":"Allow","Action":"kms:PutKeyPolicy","Resource":"*"}}`)}
		if _, err := policy.Validate(policy.Default(partition, account), opts); err != nil {
			t.Fatalf("identity with IAM: %v", err)
		}
		opts.IdentityPolicies = nil
		if _, err := policy.Validate(policy.Default(partition, account), opts); err == nil {
			t.Fatal("identity without IAM passed")
		}
	})
	// A policy none of whose statements names the caller, its account or
	// "*" fails for that caller, whatever IAM allows.
	rapid.Check(t, func(t *rapid.T) {
		others := []string{`{"AWS":"` + otherRoot + `"}`, `{"AWS":"` + otherUser + `"}`, `{"AWS":"` + bobARN + `"}`, `{"Service":"cloudtrail.amazonaws.com"}`}
		var stmts []string
		for i, n := 0, rapid.IntRange(1, 5).Draw(t, "n"); i < n; i++ {
			stmts = append(stmts, `{"Effect":"Allow","Principal":`+rapid.SampledFrom(others).Draw(t, "principal")+
				`,"Action":`+rapid.SampledFrom(genActions).Draw(t, "action")+`,"Resource":"*"}`)
		}
		who := rapid.SampledFrom([]string{aliceARN, userARN, "arn:aws:sts::111122223333:assumed-role/KeyUser/s1"}).Draw(t, "caller")
		_, err := policy.Validate(document(stmts), policy.ValidateOptions{
			Lockout:          &policy.Request{Caller: caller(who), Resource: keyARN},
			IdentityPolicies: []*policy.Document{mustIdentity(allowAllIdentity)},
		})
		if err == nil || err.Error() != errLockout.Error() {
			t.Fatalf("policy omitting %s: %v", who, err)
		}
	})
}
