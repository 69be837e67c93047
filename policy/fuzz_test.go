package policy_test

import (
	"encoding/json"
	"errors"
	"testing"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/policy"
)

// fuzzSeeds are the seed corpus shared by the fuzz targets: real-looking
// policies and near misses.
func fuzzSeeds() []string {
	seeds := seedPolicies()
	return append(seeds,
		`{"Version":"2012-10-17","Statement":[]}`,
		`{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}`,
		stmt(base+`,"Condition":{"ForAllValues:StringEquals":{"kms:EncryptionContext:a":"b"}}`),
		stmt(base+`,"Condition":{`+everyOperator+`}`),
		`{"Statement":[{"Sid":"\u00e9\ud83d\ude00","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:group/g"},"Action":"kms:*","Resource":"*"}]}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"arn:aws:kms:*:${aws:PrincipalAccount}:key/*","Condition":{"StringLike":{"kms:a":"${aws:username, 'x'}${*}"}}}}`,
		`[1, 2, {"a": [true, false, null]}]`,
		`{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}} trailing`,
	)
}

// FuzzParse checks that Parse never panics, fails only with
// MalformedPolicyDocumentException, and that String round-trips.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, parse := range []func(string) (*policy.Document, error){policy.Parse, policy.ParseIdentity} {
			d, err := parse(text)
			if err != nil {
				var mp *kmserrors.MalformedPolicyDocumentException
				if !errors.As(err, &mp) || mp.Message == "" {
					t.Fatalf("error %T %v", err, err)
				}
				if d != nil {
					t.Fatal("document returned with an error")
				}
				continue
			}
			if d.Statements() == 0 {
				t.Fatal("document without statements")
			}
			s := d.String()
			d2, err := parse(s)
			if err != nil {
				t.Fatalf("canonical form does not parse: %v\n%s", err, s)
			}
			if !d.Equal(d2) || !d2.Equal(d) {
				t.Fatalf("round trip not Equal\n%s\n%s", s, d2.String())
			}
			if s2 := d2.String(); s2 != s {
				t.Fatalf("String not stable\n%s\n%s", s, s2)
			}
			if !json.Valid([]byte(s)) {
				t.Fatalf("String is not JSON: %s", s)
			}
			d.Evaluate(&policy.Request{Action: "kms:Encrypt", Caller: caller(aliceARN), Resource: keyARN})
		}
	})
}

// FuzzValidate checks that Validate never panics, returns only the three
// documented error types, and agrees with Parse.
func FuzzValidate(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s, uint16(0), false, uint8(0))
	}
	f.Add("", uint16(0), false, uint8(1))
	f.Add("{\x01}", uint16(10), true, uint8(2))
	f.Add(policy.Default("aws", acct), uint16(100), false, uint8(3))
	callers := []string{rootARN, aliceARN, adminARN, "arn:aws:sts::111122223333:assumed-role/KeyAdmin/s", otherUser}
	f.Fuzz(func(t *testing.T, text string, maxBytes uint16, bypass bool, who uint8) {
		opts := policy.ValidateOptions{
			MaxBytes:  int(maxBytes),
			Directory: newDirectory(),
			Lockout:   &policy.Request{Caller: caller(callers[int(who)%len(callers)]), Resource: keyARN},
			Bypass:    bypass,
		}
		if who&8 != 0 {
			opts.IdentityPolicies = []*policy.Document{mustIdentity(allowAllIdentity)}
		}
		d, err := policy.Validate(text, opts)
		var v *kmserrors.ValidationException
		var l *kmserrors.LimitExceededException
		var m *kmserrors.MalformedPolicyDocumentException
		switch {
		case err == nil:
			if d == nil {
				t.Fatal("nil document without error")
			}
			p, perr := policy.Parse(text)
			if perr != nil || !p.Equal(d) {
				t.Fatalf("Validate accepted what Parse rejects: %v", perr)
			}
		case errors.As(err, &v), errors.As(err, &l):
		case errors.As(err, &m):
			if _, perr := policy.Parse(text); perr != nil && perr.Error() != err.Error() {
				t.Fatalf("Validate %v, Parse %v", err, perr)
			}
		default:
			t.Fatalf("error %T %v", err, err)
		}
	})
}

// denyAllStatement and allowAllStatement are appended to fuzzed policies.
const (
	denyAllStatement  = `{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}`
	allowAllStatement = `{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}`
)

// withStatement returns the canonical text of d with one more statement.
func withStatement(d *policy.Document, st string) string {
	s := d.String()
	return s[:len(s)-2] + "," + st + "]}"
}

// reversed returns d's text with its statements in reverse order.
func reversed(t *testing.T, d *policy.Document) string {
	var doc map[string]any
	if err := json.Unmarshal([]byte(d.String()), &doc); err != nil {
		t.Fatal(err)
	}
	st := doc["Statement"].([]any)
	for i, j := 0, len(st)-1; i < j; i, j = i+1, j-1 {
		st[i], st[j] = st[j], st[i]
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// FuzzEvaluate checks that evaluation never panics and is deterministic,
// that an added Deny always wins, that a Deny is kept when an Allow is
// added, and that statement order does not change the effect.
func FuzzEvaluate(f *testing.F) {
	for i, s := range fuzzSeeds() {
		f.Add(s, "kms:Encrypt", []string{aliceARN, rootARN, userARN, otherUser}[i%4], "kms:ViaService", "s3.us-east-1.amazonaws.com", i%2 == 0)
	}
	f.Add(crossAccountPolicy, "kms:ReplicateKey", adminARN, "kms:ReplicaRegion", "us-west-2", false)
	f.Add(consolePolicy(acct), "kms:CreateGrant", userARN, "kms:GrantIsForAWSResource", "true", false)
	f.Add(policy.Default("aws", acct), "kms:CreateKey", rootARN, "aws:RequestTag/x", "y", false)
	denyIdentity := mustIdentity(`{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`)
	f.Fuzz(func(t *testing.T, text, action, who, key, value string, cross bool) {
		d, err := policy.Parse(text)
		if err != nil {
			return
		}
		p, ok := policy.ParsePrincipal(who)
		if !ok {
			p = policy.Principal{ARN: who}
		}
		ctx := policy.ContextOf(map[string][]string{
			key:                 {value},
			"kms:CallerAccount": {p.Account},
			"aws:PrincipalArn":  {who},
			"aws:username":      {value},
		})
		req := &policy.Request{Action: action, Caller: p, Resource: keyARN, CrossAccountAllowed: cross, Context: ctx}
		identity := []*policy.Document{mustIdentity(allowAllIdentity)}

		dec := d.Evaluate(req)
		if again := d.Evaluate(req); again != dec {
			t.Fatalf("Evaluate not deterministic: %+v %+v", dec, again)
		}
		auth := policy.Authorize(d, identity, req)
		if again := policy.Authorize(d, identity, req); again != auth {
			t.Fatalf("Authorize not deterministic: %+v %+v", auth, again)
		}
		if (dec.Effect == policy.Allow) != (dec.Error(req) == nil) || (auth.Effect == policy.Allow) != (auth.Error(req) == nil) {
			t.Fatal("Error disagrees with Effect")
		}

		denied := mustParse(withStatement(d, denyAllStatement))
		if got := denied.Evaluate(req).Effect; got != policy.Deny {
			t.Fatalf("added Deny lost: %v", got)
		}
		if got := policy.Authorize(denied, identity, req).Effect; got != policy.Deny && !policy.IAMOnly(action) {
			t.Fatalf("added Deny lost in Authorize: %v", got)
		}
		if got := policy.Authorize(d, append(identity, denyIdentity), req).Effect; got != policy.Deny {
			t.Fatalf("added identity Deny lost: %v", got)
		}
		allowed := mustParse(withStatement(d, allowAllStatement))
		if dec.Effect == policy.Deny {
			if got := allowed.Evaluate(req).Effect; got != policy.Deny {
				t.Fatalf("Deny lost after adding an Allow: %v", got)
			}
		} else if got := allowed.Evaluate(req).Effect; got != policy.Allow {
			t.Fatalf("added Allow without Deny: %v", got)
		}
		if auth.Effect == policy.Allow {
			if got := policy.Authorize(allowed, identity, req).Effect; got != policy.Allow {
				t.Fatalf("adding an Allow removed access: %v", got)
			}
		}
		if d.Statements() > 1 {
			r := mustParse(reversed(t, d))
			if got := r.Evaluate(req).Effect; got != dec.Effect {
				t.Fatalf("statement order changed Evaluate: %v vs %v", got, dec.Effect)
			}
			if got := policy.Authorize(r, identity, req).Effect; got != auth.Effect {
				t.Fatalf("statement order changed Authorize: %v vs %v", got, auth.Effect)
			}
		}
	})
}
