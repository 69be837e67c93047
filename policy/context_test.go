package policy_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/kmsim/kmsim/policy"
)

func TestContext(t *testing.T) {
	var c policy.Context
	if c.Len() != 0 {
		t.Fatal("zero Context not empty")
	}
	c1 := c.With("kms:ViaService", "s3.us-east-1.amazonaws.com")
	c2 := c1.With("aws:TagKeys", "b", "a").With("KMS:viaservice", "ec2.us-east-1.amazonaws.com")
	if c.Len() != 0 || c1.Len() != 1 || c2.Len() != 2 {
		t.Fatalf("With modified its receiver or miscounted: %d %d %d", c.Len(), c1.Len(), c2.Len())
	}
	if v, ok := c1.Lookup("KMS:VIASERVICE"); !ok || !reflect.DeepEqual(v, []string{"s3.us-east-1.amazonaws.com"}) {
		t.Errorf("c1.Lookup = %v %v", v, ok)
	}
	if v, ok := c2.Lookup("kms:viaService"); !ok || !reflect.DeepEqual(v, []string{"ec2.us-east-1.amazonaws.com"}) {
		t.Errorf("c2.Lookup = %v %v", v, ok)
	}
	if v, _ := c2.Lookup("aws:tagkeys"); !reflect.DeepEqual(v, []string{"b", "a"}) {
		t.Errorf("multi-valued Lookup = %v", v)
	}
	if got := c2.Keys(); !reflect.DeepEqual(got, []string{"aws:TagKeys", "KMS:viaservice"}) {
		t.Errorf("Keys = %q", got)
	}
	c3 := c2.Without("AWS:TAGKEYS")
	if _, ok := c3.Lookup("aws:TagKeys"); ok || c3.Len() != 1 || c2.Len() != 2 {
		t.Error("Without")
	}
	if c4 := c2.With("kms:ViaService"); c4.Len() != 1 {
		t.Error("With without values does not remove")
	}
	if c5 := c2.Without("absent"); c5.Len() != 2 {
		t.Error("Without of an absent key")
	}
	m := policy.ContextOf(map[string][]string{
		"kms:CallerAccount": {acct},
		"KMS:CALLERACCOUNT": {otherAcct},
		"aws:SourceIp":      {"10.0.0.1"},
		"empty":             nil,
	})
	if m.Len() != 2 {
		t.Fatalf("ContextOf keys %q", m.Keys())
	}
	if v, _ := m.Lookup("kms:calleraccount"); !reflect.DeepEqual(v, []string{otherAcct, acct}) {
		t.Errorf("merged values %v", v)
	}
}

// TestEvaluateAllocations checks that evaluating a compiled document does
// not allocate once its explanations exist, whatever path it takes.
func TestEvaluateAllocations(t *testing.T) {
	d := mustParse(twentyStatements())
	vars := mustParse(conditionsPolicy)
	ctx := policy.ContextOf(map[string][]string{
		"kms:ViaService":                   {"s3.us-east-1.amazonaws.com"},
		"kms:CallerAccount":                {acct},
		"kms:EncryptionContext:tenant":     {"t7"},
		"kms:EncryptionContext:aws:s3:arn": {"arn:aws:s3:::bucket-7/x"},
		"kms:EncryptionContext:user":       {"alice"},
		"aws:username":                     {"alice"},
		"aws:SourceIp":                     {"10.7.0.1"},
		"aws:CurrentTime":                  {"2024-01-01T00:00:00Z"},
		"aws:PrincipalArn":                 {userARN},
	})
	reqs := []*policy.Request{
		{Action: "kms:Decrypt", Caller: caller("arn:aws:iam::111122223333:role/App7"), Resource: keyARN, Context: ctx},
		{Action: "kms:Decrypt", Caller: caller("arn:aws:iam::111122223333:user/dev3"), Resource: keyARN, Context: ctx},
		{Action: "kms:Sign", Caller: caller(aliceARN), Resource: keyARN, Context: ctx},
		{Action: "kms:Encrypt", Caller: caller(aliceARN), Resource: keyARN, Context: ctx},
		{Action: "kms:Decrypt", Caller: caller(userARN), Resource: keyARN, Context: ctx},
	}
	identity := []*policy.Document{mustIdentity(allowAllIdentity)}
	for i, req := range reqs {
		for _, doc := range []*policy.Document{d, vars} {
			doc.Evaluate(req) // builds the explanations once
			if n := testing.AllocsPerRun(100, func() { doc.Evaluate(req) }); n != 0 {
				t.Errorf("request %d: Evaluate allocates %v times", i, n)
			}
			if strings.HasPrefix(policy.Authorize(doc, nil, req).Reason, "key policy ") {
				continue // a reason combining two statements is composed
			}
			if n := testing.AllocsPerRun(100, func() { policy.Authorize(doc, nil, req) }); n != 0 {
				t.Errorf("request %d: Authorize allocates %v times", i, n)
			}
		}
	}
	// Authorize composes its reason only when both kinds of policy decide.
	req := &policy.Request{Action: "kms:Encrypt", Caller: caller(adminARN), Resource: keyARN}
	k := mustParse(policy.Default("aws", acct))
	policy.Authorize(k, identity, req)
	if n := testing.AllocsPerRun(100, func() { policy.Authorize(k, identity, req) }); n > 2 {
		t.Errorf("Authorize with delegation allocates %v times", n)
	}
}
