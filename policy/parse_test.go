package policy_test

import (
	"errors"
	"strings"
	"testing"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/policy"
)

// stmt wraps statement members into a key policy.
func stmt(members string) string {
	return `{"Version":"2012-10-17","Statement":[{` + members + `}]}`
}

// base is a complete statement body to extend.
const base = `"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"`

func TestParseAccepts(t *testing.T) {
	cases := map[string]string{
		"default":              policy.Default("aws", acct),
		"no version":           `{"Statement":{` + base + `}}`,
		"version 2008":         `{"Version":"2008-10-17","Statement":{` + base + `}}`,
		"single statement":     `{"Statement":{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}}`,
		"id":                   `{"Id":"my id","Statement":[{` + base + `}]}`,
		"sid with spaces":      stmt(`"Sid":"Allow use of the key",` + base),
		"empty sid":            stmt(`"Sid":"",` + base),
		"lists":                stmt(`"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::111122223333:user/a/b/alice"]},"Action":["kms:Encrypt","kms:Re*","kms:Get?eyPolicy"],"Resource":["*","arn:aws:kms:*:111122223333:key/*"]`),
		"principal types":      stmt(`"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"kms:*","Resource":"*"`),
		"not elements":         stmt(`"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:sts::111122223333:assumed-role/Admin/s1"},"NotAction":"kms:Describe*","NotResource":"arn:aws:kms:us-east-1:111122223333:key/x"`),
		"no action":            stmt(`"Effect":"Allow","Principal":"*","Resource":"*"`),
		"no resource":          stmt(`"Effect":"Allow","Principal":"*","Action":"kms:*"`),
		"empty condition":      stmt(base + `,"Condition":{}`),
		"empty operator":       stmt(base + `,"Condition":{"StringEquals":{}}`),
		"value types":          stmt(base + `,"Condition":{"StringEquals":{"kms:A":["x",1,-2.5e3,true]},"Bool":{"aws:SecureTransport":false}}`),
		"every operator":       stmt(base + `,"Condition":{` + everyOperator + `}`),
		"white space":          " \t\r\n{ \"Statement\" : [ { " + strings.ReplaceAll(base, ",", " ,\n ") + " } ] } \n",
		"escapes":              stmt(`"Sid":"a\"b\\c\/d\u00e9\ud83d\ude00\t",` + base),
		"latin-1 raw":          stmt(`"Sid":"Zugriff für Schlüssel",` + base),
		"group is only rule 5": stmt(`"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:group/admins"},"Action":"kms:*","Resource":"*"`),
		"unknown action":       stmt(`"Effect":"Allow","Principal":"*","Action":["kms:FooBar","s3:GetObject"],"Resource":"*"`),
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			d, err := policy.Parse(text)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if d.Statements() != 1 && name != "default" {
				t.Errorf("Statements() = %d", d.Statements())
			}
		})
	}
}

// everyOperator uses each condition operator once.
const everyOperator = `"StringEquals":{"kms:a":"x"},"StringNotEquals":{"kms:a":"x"},"StringEqualsIgnoreCase":{"kms:a":"x"},` +
	`"StringNotEqualsIgnoreCase":{"kms:a":"x"},"StringLike":{"kms:a":"x*"},"StringNotLike":{"kms:a":"x?"},` +
	`"NumericEquals":{"kms:n":"1"},"NumericNotEquals":{"kms:n":1},"NumericLessThan":{"kms:n":"1.5"},` +
	`"NumericLessThanEquals":{"kms:n":"-1"},"NumericGreaterThan":{"kms:n":"1e2"},"NumericGreaterThanEquals":{"kms:n":"0"},` +
	`"DateEquals":{"kms:d":"2024-01-01T00:00:00Z"},"DateNotEquals":{"kms:d":"2024-01-01"},"DateLessThan":{"kms:d":1700000000},` +
	`"DateLessThanEquals":{"kms:d":"2024-01-01T00:00:00.5+02:00"},"DateGreaterThan":{"kms:d":"1700000000.25"},` +
	`"DateGreaterThanEquals":{"kms:d":"2024-01-01T00:00:00Z"},"Bool":{"kms:b":"TRUE"},"BinaryEquals":{"kms:bin":"QmluYXJ5"},` +
	`"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.1","2001:db8::/32"]},"NotIpAddress":{"aws:SourceIp":"10.1.0.0/16"},` +
	`"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/*"},"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/A?"},` +
	`"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::1:root"},"ArnNotLike":{"aws:PrincipalArn":"arn:*:iam::*:*"},` +
	`"Null":{"kms:x":"true"},"StringEqualsIfExists":{"kms:a":"x"},"ForAnyValue:StringLike":{"kms:EncryptionContextKeys":"a*"},` +
	`"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]},"ForAnyValue:NumericLessThanIfExists":{"kms:n":"3"}`

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, text, msg string
	}{
		{"empty", ``, "The policy is empty."},
		{"blank", "  \n", "The policy is empty."},
		{"array", `[]`, "The policy must be a JSON object, not an array."},
		{"string", `"x"`, "The policy must be a JSON object, not a string."},
		{"not json", `Version: 2012`, "The policy is not valid JSON: invalid value (line 1, column 1)."},
		{"number", `2012`, "The policy must be a JSON object, not a number."},
		{"nul", "\x00", "The policy is not valid JSON: invalid value (line 1, column 1)."},
		{"truncated", `{"Statement":[{`, "The policy is not valid JSON: unexpected end of input (line 1, column 16)."},
		{"trailing comma", `{"Statement":[{` + base + `,}]}`, `The policy is not valid JSON: expected a string as object member name (line 1, column 118).`},
		{"trailing data", `{"Statement":[{` + base + `}]} x`, "The policy is not valid JSON: unexpected data after the policy object (line 1, column 121)."},
		{"two objects", `{"Statement":[{` + base + `}]}{}`, "The policy is not valid JSON: unexpected data after the policy object (line 1, column 120)."},
		{"bad escape", stmt(`"Sid":"\x",` + base), "The policy is not valid JSON: invalid escape sequence in a string (line 1, column 46)."},
		{"control char", stmt("\"Sid\":\"a\tb\"," + base), "The policy is not valid JSON: control character in a string (line 1, column 47)."},
		{"bad utf-8", stmt("\"Sid\":\"\xff\"," + base), "The policy is not valid JSON: invalid UTF-8 in a string (line 1, column 46)."},
		{"line numbers", "{\n  \"Statement\": [\n    {\"Effect\" \"Allow\"}\n  ]\n}", "The policy is not valid JSON: expected ':' after an object member name (line 3, column 15)."},
		{"unknown top", `{"Statment":[]}`, `The policy has an unknown element "Statment"; the elements of a policy are "Version", "Id" and "Statement".`},
		{"lower-case element", `{"statement":[]}`, `The policy has an unknown element "statement"; the elements of a policy are "Version", "Id" and "Statement".`},
		{"duplicate top", `{"Version":"2012-10-17","Version":"2012-10-17","Statement":[]}`, `The policy has a duplicate element "Version".`},
		{"bad version", `{"Version":"2012-10-18","Statement":{` + base + `}}`, `The Version element must be "2012-10-17" or "2008-10-17", not "2012-10-18".`},
		{"version type", `{"Version":2012,"Statement":{` + base + `}}`, `The Version element must be a string, not a number.`},
		{"id type", `{"Id":null,"Statement":{` + base + `}}`, `The Id element must be a string, not null.`},
		{"no statement", `{"Version":"2012-10-17"}`, "The policy has no Statement element."},
		{"empty statements", `{"Statement":[]}`, "The Statement element must contain at least one statement."},
		{"statement type", `{"Statement":"x"}`, "The Statement element must be an object or an array of objects, not a string."},
		{"statement element type", `{"Statement":[{` + base + `},7]}`, "Statement #1 must be an object, not a number."},
		{"effect case", stmt(`"Sid":"s","Effect":"allow","Principal":"*"`), `Statement #0 ("s"): Effect must be "Allow" or "Deny", not "allow".`},
		{"sid after problem", stmt(`"Effect":"Permit","Principal":"*","Sid":"Late Sid"`), `Statement #0 ("Late Sid"): Effect must be "Allow" or "Deny", not "Permit".`},
		{"no effect", stmt(`"Principal":"*","Action":"*","Resource":"*"`), `Statement #0: has no Effect element; it must be "Allow" or "Deny".`},
		{"unknown element", stmt(base + `,"Actions":"kms:*"`), `Statement #0: unknown element "Actions"; the elements of a statement are "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource" and "Condition".`},
		{"duplicate element", stmt(base + `,"Action":"kms:Encrypt"`), `Statement #0: duplicate element "Action".`},
		{"principal and notprincipal", stmt(base + `,"NotPrincipal":"*"`), "Statement #0: has both Principal and NotPrincipal; use one of them."},
		{"action and notaction", stmt(base + `,"NotAction":"kms:*"`), "Statement #0: has both Action and NotAction; use one of them."},
		{"resource and notresource", stmt(base + `,"NotResource":"*"`), "Statement #0: has both Resource and NotResource; use one of them."},
		{"sid type", stmt(`"Sid":1,` + base), "Statement #0: Sid must be a string, not a number."},
		{"action type", stmt(`"Effect":"Allow","Principal":"*","Action":{"a":1}`), "Statement #0: Action must be a string or a list of strings, not an object."},
		{"action list type", stmt(`"Effect":"Allow","Principal":"*","Action":["kms:Encrypt",null]`), "Statement #0: Action must contain only strings, not null."},
		{"empty action list", stmt(`"Effect":"Allow","Principal":"*","NotAction":[]`), "Statement #0: NotAction must not be an empty list."},
		{"bad action", stmt(`"Effect":"Allow","Principal":"*","Action":"Encrypt"`), `Statement #0: Action value "Encrypt" is not an action; use "*" or "<service>:<operation>" such as "kms:Encrypt" or "kms:Describe*".`},
		{"bad action chars", stmt(`"Effect":"Allow","Principal":"*","Action":"kms:En crypt"`), `Statement #0: Action value "kms:En crypt" is not an action; use "*" or "<service>:<operation>" such as "kms:Encrypt" or "kms:Describe*".`},
		{"bad resource", stmt(`"Effect":"Allow","Principal":"*","Resource":"key/1"`), `Statement #0: Resource value "key/1" is not "*" or an ARN.`},
		{"principal string", stmt(`"Effect":"Allow","Principal":"111122223333"`), `Statement #0: Principal must be "*" or an object such as {"AWS": "111122223333"}, not the string "111122223333".`},
		{"principal type", stmt(`"Effect":"Allow","Principal":["*"]`), `Statement #0: Principal must be "*" or an object, not an array.`},
		{"principal unknown type", stmt(`"Effect":"Allow","Principal":{"aws":"*"}`), `Statement #0: Principal has an unknown principal type "aws"; use "AWS", "Service", "Federated" or "CanonicalUser".`},
		{"principal duplicate type", stmt(`"Effect":"Allow","Principal":{"AWS":"*","AWS":"*"}`), `Statement #0: Principal has a duplicate principal type "AWS".`},
		{"principal empty", stmt(`"Effect":"Allow","Principal":{}`), "Statement #0: Principal must name at least one principal."},
		{"principal empty list", stmt(`"Effect":"Allow","Principal":{"AWS":[]}`), "Statement #0: Principal must not be an empty list."},
		{"principal value type", stmt(`"Effect":"Allow","Principal":{"AWS":123456789012}`), "Statement #0: Principal must be a string or a list of strings, not a number."},
		{"condition type", stmt(base + `,"Condition":[]`), "Statement #0: Condition must be an object, not an array."},
		{"unknown operator", stmt(base + `,"Condition":{"StringEqual":{"kms:a":"b"}}`), `Statement #0: Condition has an unknown operator "StringEqual".`},
		{"operator case", stmt(base + `,"Condition":{"stringequals":{"kms:a":"b"}}`), `Statement #0: Condition has an unknown operator "stringequals".`},
		{"null ifexists", stmt(base + `,"Condition":{"NullIfExists":{"kms:a":"true"}}`), `Statement #0: Condition has an unknown operator "NullIfExists".`},
		{"set null", stmt(base + `,"Condition":{"ForAnyValue:Null":{"kms:a":"true"}}`), `Statement #0: Condition has an unknown operator "ForAnyValue:Null".`},
		{"duplicate operator", stmt(base + `,"Condition":{"Bool":{"kms:a":"true"},"Bool":{"kms:b":"true"}}`), `Statement #0: Condition has a duplicate operator "Bool".`},
		{"duplicate key", stmt(base + `,"Condition":{"StringEquals":{"kms:ViaService":"a","KMS:viaservice":"b"}}`), `Statement #0: Condition operator "StringEquals" has the key "KMS:viaservice" more than once (condition keys are case-insensitive).`},
		{"operator value type", stmt(base + `,"Condition":{"StringEquals":"x"}`), `Statement #0: Condition operator "StringEquals" must be an object of condition keys, not a string.`},
		{"key without prefix", stmt(base + `,"Condition":{"StringEquals":{"ViaService":"x"}}`), `Statement #0: Condition StringEquals "ViaService": a condition key needs a service prefix and a name, such as "kms:ViaService".`},
		{"value null", stmt(base + `,"Condition":{"StringEquals":{"kms:a":null}}`), `Statement #0: Condition StringEquals "kms:a": values must be strings, numbers or Booleans, not null.`},
		{"value object", stmt(base + `,"Condition":{"StringEquals":{"kms:a":["x",{}]}}`), `Statement #0: Condition StringEquals "kms:a": values must be strings, numbers or Booleans, not an object.`},
		{"empty values", stmt(base + `,"Condition":{"StringEquals":{"kms:a":[]}}`), `Statement #0: Condition StringEquals "kms:a": the list of values is empty.`},
		{"numeric", stmt(base + `,"Condition":{"NumericLessThan":{"kms:n":"ten"}}`), `Statement #0: Condition NumericLessThan "kms:n": value "ten" is not a number.`},
		{"numeric nan", stmt(base + `,"Condition":{"NumericEquals":{"kms:n":"NaN"}}`), `Statement #0: Condition NumericEquals "kms:n": value "NaN" is not a number.`},
		{"date", stmt(base + `,"Condition":{"DateLessThan":{"aws:CurrentTime":"yesterday"}}`), `Statement #0: Condition DateLessThan "aws:CurrentTime": value "yesterday" is not a date (RFC 3339 or epoch seconds).`},
		{"bool", stmt(base + `,"Condition":{"Bool":{"aws:SecureTransport":"yes"}}`), `Statement #0: Condition Bool "aws:SecureTransport": value "yes" is not "true" or "false".`},
		{"null value", stmt(base + `,"Condition":{"Null":{"kms:a":1}}`), `Statement #0: Condition Null "kms:a": value "1" is not "true" or "false".`},
		{"binary", stmt(base + `,"Condition":{"BinaryEquals":{"kms:b":"not base64!"}}`), `Statement #0: Condition BinaryEquals "kms:b": value "not base64!" is not base64.`},
		{"ip", stmt(base + `,"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}`), `Statement #0: Condition IpAddress "aws:SourceIp": value "10.0.0.0/33" is not an IP address or CIDR block.`},
		{"second statement", `{"Statement":[{` + base + `},{"Sid":"Two","Effect":"Allow","Principal":"*","Resource":7}]}`, `Statement #1 ("Two"): Resource must be a string or a list of strings, not a number.`},
		{"missing principal", stmt(`"Sid":"NoOne","Effect":"Allow","Action":"kms:*","Resource":"*"`), `Statement #0 ("NoOne") has no Principal or NotPrincipal element; every statement of a key policy must name its principals.`},
		{"grammar before principal", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Maybe","Principal":"*"}]}`, `Statement #1: Effect must be "Allow" or "Deny", not "Maybe".`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := policy.Parse(c.text)
			if err == nil {
				t.Fatalf("Parse succeeded: %s", d)
			}
			var mp *kmserrors.MalformedPolicyDocumentException
			if !errors.As(err, &mp) {
				t.Fatalf("error %T %v, want MalformedPolicyDocumentException", err, err)
			}
			if mp.Message != c.msg {
				t.Errorf("message\n got %s\nwant %s", mp.Message, c.msg)
			}
		})
	}
}

func TestParseIdentity(t *testing.T) {
	d, err := policy.ParseIdentity(allowAllIdentity)
	if err != nil || !d.Identity() || d.Statements() != 1 {
		t.Fatalf("ParseIdentity: %v %v", d, err)
	}
	if k := mustParse(policy.Default("aws", acct)); k.Identity() {
		t.Error("key policy reports Identity")
	}
	for text, msg := range map[string]string{
		`{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`: "Statement #0: has a Principal or NotPrincipal element, which identity-based policies must not have.",
		`{"Statement":{"Effect":"Allow","Resource":"*"}}`:                              "Statement #0: has no Action or NotAction element.",
		`{"Statement":{"Effect":"Allow","Action":"kms:*"}}`:                            "Statement #0: has no Resource or NotResource element.",
	} {
		_, err := policy.ParseIdentity(text)
		var mp *kmserrors.MalformedPolicyDocumentException
		if !errors.As(err, &mp) || mp.Message != msg {
			t.Errorf("ParseIdentity(%s) = %v, want %q", text, err, msg)
		}
	}
	// Identity and key policies with the same text are not Equal.
	k := mustParse(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`)
	i := mustIdentity(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)
	if k.Equal(i) || i.Equal(k) {
		t.Error("key and identity policies Equal")
	}
}

func TestStringRoundTrip(t *testing.T) {
	texts := append(seedPolicies(), bigPolicy(),
		stmt(base+`,"Condition":{`+everyOperator+`}`),
		stmt(`"Sid":"a\"b\\c\u0001\u00e9\ud800",`+base),
		`{"Version":"2008-10-17","Statement":{`+base+`,"Condition":{"StringLike":{"kms:a":"${aws:username}"}}}}`,
	)
	for i, text := range texts {
		d, err := policy.Parse(text)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		s := d.String()
		d2, err := policy.Parse(s)
		if err != nil {
			t.Fatalf("%d: reparse %v\n%s", i, err, s)
		}
		if !d.Equal(d2) || !d2.Equal(d) || d2.String() != s {
			t.Errorf("%d: round trip differs\n%s\n%s", i, s, d2.String())
		}
		if d.Statements() != d2.Statements() || d.Version() != d2.Version() {
			t.Errorf("%d: statements or version differ", i)
		}
	}
}

func TestStringCanonical(t *testing.T) {
	got := mustParse(`{"Id":"i","Statement":{"Action":["kms:Encrypt"],"Resource":["*"],"Effect":"Allow",` +
		`"Principal":{"Service":["b.amazonaws.com","a.amazonaws.com"],"AWS":["111122223333"]},` +
		`"Condition":{"StringLike":{"kms:B":["x"],"kms:a":"y"},"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"kms:n":10}}}}`).String()
	want := `{"Id":"i","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333","Service":["b.amazonaws.com","a.amazonaws.com"]},` +
		`"Action":"kms:Encrypt","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"},"NumericLessThan":{"kms:n":"10"},` +
		`"StringLike":{"kms:a":"y","kms:B":"x"}}}]}`
	if got != want {
		t.Errorf("String()\n got %s\nwant %s", got, want)
	}
	a := mustParse(policy.Default("aws", acct))
	b := mustParse(`{"Version":"2012-10-17","Id":"key-default-1","Statement":{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root"]},"Action":["kms:*"],"Resource":"*"}}`)
	if !a.Equal(b) {
		t.Errorf("formatting variants not Equal:\n%s\n%s", a, b)
	}
	c := mustParse(`{"Statement":{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}}`)
	if a.Equal(c) {
		t.Error("documents without Version and Id are Equal to the default")
	}
	var nilDoc *policy.Document
	if !nilDoc.Equal(nil) || nilDoc.Equal(a) || a.Equal(nil) || nilDoc.String() != "" || nilDoc.Statements() != 0 {
		t.Error("nil Document methods")
	}
}

func TestDeeplyNested(t *testing.T) {
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	for _, text := range []string{
		stmt(base + `,"Condition":{"StringEquals":{"kms:a":` + deep + `}}}`),
		stmt(base + `,"Foo":` + deep),
		stmt(base + `,"Foo":` + strings.Repeat(`{"a":`, 50000) + "1" + strings.Repeat("}", 50000)),
	} {
		if _, err := policy.Parse(text); err == nil {
			t.Error("deeply nested value accepted")
		}
	}
}
