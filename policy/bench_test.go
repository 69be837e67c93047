package policy_test

import (
	"encoding/json"
	"testing"

	"github.com/kmsim/kmsim/policy"
)

// BenchmarkValidate measures Parse+Validate (rules 1 to 7, the lockout
// check included) against json.Valid on the same bytes; the target is
// within 3x of json.Valid.
func BenchmarkValidate(b *testing.B) {
	lockout := &policy.Request{Caller: caller(rootARN), Resource: keyARN}
	for _, c := range []struct {
		name, text string
	}{
		{"default", policy.Default("aws", acct)},
		{"20-statements", twentyStatements()},
		{"32KiB", bigPolicy()},
	} {
		opts := policy.ValidateOptions{Lockout: lockout}
		if _, err := policy.Validate(c.text, opts); err != nil {
			b.Fatal(err)
		}
		data := []byte(c.text)
		b.Run(c.name+"/Validate", func(b *testing.B) {
			b.SetBytes(int64(len(c.text)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := policy.Validate(c.text, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/json.Valid", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if !json.Valid(data) {
					b.Fatal("invalid")
				}
			}
		})
	}
}

// BenchmarkEvaluate measures one compiled 20-statement policy; the target
// is under 2µs and zero allocations.
func BenchmarkEvaluate(b *testing.B) {
	d := mustParse(twentyStatements())
	ctx := policy.ContextOf(map[string][]string{
		"kms:ViaService":                   {"s3.us-east-1.amazonaws.com"},
		"kms:CallerAccount":                {acct},
		"kms:EncryptionContext:tenant":     {"t18"},
		"kms:EncryptionContext:aws:s3:arn": {"arn:aws:s3:::bucket-18/reports/2024.csv"},
		"kms:EncryptionContextKeys":        {"tenant", "aws:s3:arn"},
		"aws:SourceIp":                     {"10.18.3.4"},
		"aws:SourceVpce":                   {"vpce-1a2b3c4d"},
		"aws:PrincipalArn":                 {"arn:aws:iam::111122223333:role/App18"},
	})
	for _, c := range []struct {
		name, action string
		who          policy.Principal
	}{
		// The caller matches the last Allow statement: every statement's
		// principal is checked and one set of conditions evaluated.
		{"allow-last", "kms:Decrypt", caller("arn:aws:iam::111122223333:role/App18")},
		// No statement names the caller directly.
		{"implicit-deny", "kms:Decrypt", caller("arn:aws:iam::111122223333:role/Nobody")},
	} {
		req := &policy.Request{Action: c.action, Caller: c.who, Resource: keyARN, Context: ctx}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = d.Evaluate(req)
			}
		})
	}
}

// BenchmarkAuthorize measures the §7.6 combination with an identity
// policy.
func BenchmarkAuthorize(b *testing.B) {
	d := mustParse(consolePolicy(acct))
	id := []*policy.Document{mustIdentity(allowAllIdentity)}
	req := &policy.Request{Action: "kms:Encrypt", Caller: caller(userARN), Resource: keyARN}
	b.ReportAllocs()
	for b.Loop() {
		_ = policy.Authorize(d, id, req)
	}
}
