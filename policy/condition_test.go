package policy_test

import (
	"testing"

	"github.com/kmsim/kmsim/policy"
)

// kv builds a Context from key and value lists: kv("k", "v") or
// kv("k", []string{"a", "b"}).
func kv(pairs ...any) policy.Context {
	var c policy.Context
	for i := 0; i+1 < len(pairs); i += 2 {
		switch v := pairs[i+1].(type) {
		case string:
			c = c.With(pairs[i].(string), v)
		case []string:
			c = c.With(pairs[i].(string), v...)
		}
	}
	return c
}

// holds evaluates a one-statement key policy with the given Condition
// block and reports whether it allowed kms:Encrypt.
func holds(t *testing.T, version, condition string, ctx policy.Context) bool {
	t.Helper()
	text := `{"Statement":{"Sid":"S","Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*","Condition":` + condition + `}}`
	if version != "" {
		text = `{"Version":"` + version + `","Statement":{"Sid":"S","Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*","Condition":` + condition + `}}`
	}
	d, err := policy.Parse(text)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	dec := d.Evaluate(&policy.Request{Action: "kms:Encrypt", Caller: caller(aliceARN), Resource: keyARN, Context: ctx})
	return dec.Effect == policy.Allow
}

func TestConditionOperators(t *testing.T) {
	cases := []struct {
		name, cond string
		ctx        policy.Context
		want       bool
	}{
		// String.
		{"StringEquals match", `{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}`, kv("kms:ViaService", "s3.us-east-1.amazonaws.com"), true},
		{"StringEquals other", `{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}`, kv("kms:ViaService", "ec2.us-east-1.amazonaws.com"), false},
		{"StringEquals absent", `{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}`, kv(), false},
		{"StringEquals value case", `{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}`, kv("kms:ViaService", "S3.us-east-1.amazonaws.com"), false},
		{"StringEquals key case", `{"StringEquals":{"KMS:VIASERVICE":"s3"}}`, kv("kms:ViaService", "s3"), true},
		{"StringEquals context key case", `{"StringEquals":{"kms:ViaService":"s3"}}`, kv("Kms:viaservice", "s3"), true},
		{"StringEquals values OR", `{"StringEquals":{"kms:CallerAccount":["111122223333","444455556666"]}}`, kv("kms:CallerAccount", "444455556666"), true},
		{"StringEquals no wildcard", `{"StringEquals":{"kms:a":"x*"}}`, kv("kms:a", "xyz"), false},
		{"StringEquals literal star", `{"StringEquals":{"kms:a":"x*"}}`, kv("kms:a", "x*"), true},
		{"StringEquals number value", `{"StringEquals":{"kms:a":42}}`, kv("kms:a", "42"), true},
		{"StringNotEquals other", `{"StringNotEquals":{"kms:a":["x","y"]}}`, kv("kms:a", "z"), true},
		{"StringNotEquals one", `{"StringNotEquals":{"kms:a":["x","y"]}}`, kv("kms:a", "y"), false},
		{"StringNotEquals absent", `{"StringNotEquals":{"kms:a":"x"}}`, kv(), true},
		{"StringEqualsIgnoreCase", `{"StringEqualsIgnoreCase":{"kms:a":"Finance"}}`, kv("kms:a", "FINANCE"), true},
		{"StringEqualsIgnoreCase unicode", `{"StringEqualsIgnoreCase":{"kms:a":"straße"}}`, kv("kms:a", "STRAßE"), true},
		{"StringEqualsIgnoreCase other", `{"StringEqualsIgnoreCase":{"kms:a":"Finance"}}`, kv("kms:a", "Fin"), false},
		{"StringNotEqualsIgnoreCase", `{"StringNotEqualsIgnoreCase":{"kms:a":"Finance"}}`, kv("kms:a", "finance"), false},
		{"StringNotEqualsIgnoreCase absent", `{"StringNotEqualsIgnoreCase":{"kms:a":"Finance"}}`, kv(), true},
		{"StringLike star", `{"StringLike":{"kms:ViaService":"s3.*.amazonaws.com"}}`, kv("kms:ViaService", "s3.eu-west-1.amazonaws.com"), true},
		{"StringLike question", `{"StringLike":{"kms:a":"a?c"}}`, kv("kms:a", "abc"), true},
		{"StringLike question one char", `{"StringLike":{"kms:a":"a?c"}}`, kv("kms:a", "abbc"), false},
		{"StringLike question unicode", `{"StringLike":{"kms:a":"a?c"}}`, kv("kms:a", "aéc"), true},
		{"StringLike case", `{"StringLike":{"kms:a":"A*"}}`, kv("kms:a", "abc"), false},
		{"StringLike absent", `{"StringLike":{"kms:a":"*"}}`, kv(), false},
		{"StringNotLike", `{"StringNotLike":{"kms:ReplicaRegion":"eu-*"}}`, kv("kms:ReplicaRegion", "us-east-1"), true},
		{"StringNotLike match", `{"StringNotLike":{"kms:ReplicaRegion":"eu-*"}}`, kv("kms:ReplicaRegion", "eu-west-1"), false},
		{"StringNotLike absent", `{"StringNotLike":{"kms:ReplicaRegion":"eu-*"}}`, kv(), true},

		// Numeric.
		{"NumericLessThan", `{"NumericLessThan":{"kms:n":10}}`, kv("kms:n", "9"), true},
		{"NumericLessThan equal", `{"NumericLessThan":{"kms:n":"10"}}`, kv("kms:n", "10"), false},
		{"NumericLessThanEquals", `{"NumericLessThanEquals":{"kms:n":"10"}}`, kv("kms:n", "10"), true},
		{"NumericGreaterThan", `{"NumericGreaterThan":{"kms:n":"10"}}`, kv("kms:n", "10.5"), true},
		{"NumericGreaterThan no", `{"NumericGreaterThan":{"kms:n":"10"}}`, kv("kms:n", "10"), false},
		{"NumericGreaterThanEquals", `{"NumericGreaterThanEquals":{"kms:ScheduleKeyDeletionPendingWindowInDays":"30"}}`, kv("kms:ScheduleKeyDeletionPendingWindowInDays", "30"), true},
		{"NumericEquals decimal", `{"NumericEquals":{"kms:n":"7.0"}}`, kv("kms:n", "7"), true},
		{"NumericEquals exponent", `{"NumericEquals":{"kms:n":1e2}}`, kv("kms:n", "100"), true},
		{"NumericEquals not a number", `{"NumericEquals":{"kms:n":"7"}}`, kv("kms:n", "seven"), false},
		{"NumericNotEquals", `{"NumericNotEquals":{"kms:n":"7"}}`, kv("kms:n", "8"), true},
		{"NumericNotEquals same", `{"NumericNotEquals":{"kms:n":"7"}}`, kv("kms:n", "7"), false},
		{"NumericNotEquals absent", `{"NumericNotEquals":{"kms:n":"7"}}`, kv(), true},
		{"NumericNotEquals not a number", `{"NumericNotEquals":{"kms:n":"7"}}`, kv("kms:n", "seven"), true},
		{"NumericLessThan absent", `{"NumericLessThan":{"kms:n":"7"}}`, kv(), false},

		// Date.
		{"DateLessThan", `{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}`, kv("aws:CurrentTime", "2024-05-01T12:00:00Z"), true},
		{"DateLessThan after", `{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`, kv("aws:CurrentTime", "2024-05-01T12:00:00Z"), false},
		{"DateGreaterThan epoch policy", `{"DateGreaterThan":{"aws:CurrentTime":1700000000}}`, kv("aws:CurrentTime", "2024-01-01T00:00:00Z"), true},
		{"DateEquals date and epoch", `{"DateEquals":{"aws:CurrentTime":"2024-01-01"}}`, kv("aws:CurrentTime", "1704067200"), true},
		{"DateEquals offset", `{"DateEquals":{"aws:CurrentTime":"2024-01-01T02:00:00+02:00"}}`, kv("aws:CurrentTime", "2024-01-01T00:00:00Z"), true},
		{"DateLessThanEquals equal", `{"DateLessThanEquals":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}`, kv("aws:CurrentTime", "2024-01-01T00:00:00Z"), true},
		{"DateGreaterThanEquals", `{"DateGreaterThanEquals":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}`, kv("aws:CurrentTime", "2023-12-31T23:59:59Z"), false},
		{"DateGreaterThan fraction", `{"DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}`, kv("aws:CurrentTime", "1704067200.5"), true},
		{"DateGreaterThan nanos", `{"DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00.000000001Z"}}`, kv("aws:CurrentTime", "2024-01-01T00:00:00Z"), false},
		{"DateNotEquals", `{"DateNotEquals":{"aws:CurrentTime":"2024-01-01"}}`, kv("aws:CurrentTime", "2024-01-02"), true},
		{"DateNotEquals absent", `{"DateNotEquals":{"aws:CurrentTime":"2024-01-01"}}`, kv(), true},
		{"Date not a date", `{"DateLessThan":{"aws:CurrentTime":"2030-01-01"}}`, kv("aws:CurrentTime", "soon"), false},

		// Bool.
		{"Bool true", `{"Bool":{"aws:SecureTransport":"true"}}`, kv("aws:SecureTransport", "true"), true},
		{"Bool case", `{"Bool":{"aws:SecureTransport":"true"}}`, kv("aws:SecureTransport", "True"), true},
		{"Bool json", `{"Bool":{"aws:SecureTransport":true}}`, kv("aws:SecureTransport", "true"), true},
		{"Bool mismatch", `{"Bool":{"aws:SecureTransport":true}}`, kv("aws:SecureTransport", "false"), false},
		{"Bool false", `{"Bool":{"kms:GrantIsForAWSResource":false}}`, kv("kms:GrantIsForAWSResource", "false"), true},
		{"Bool absent", `{"Bool":{"kms:GrantIsForAWSResource":"false"}}`, kv(), false},
		{"Bool not bool", `{"Bool":{"kms:GrantIsForAWSResource":"true"}}`, kv("kms:GrantIsForAWSResource", "yes"), false},

		// Binary.
		{"BinaryEquals", `{"BinaryEquals":{"kms:b":"QmluYXJ5"}}`, kv("kms:b", "QmluYXJ5"), true},
		{"BinaryEquals other", `{"BinaryEquals":{"kms:b":"QmluYXJ5"}}`, kv("kms:b", "QmluYXJ6"), false},
		{"BinaryEquals absent", `{"BinaryEquals":{"kms:b":"QmluYXJ5"}}`, kv(), false},

		// IP addresses.
		{"IpAddress cidr", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, kv("aws:SourceIp", "203.0.113.7"), true},
		{"IpAddress outside", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, kv("aws:SourceIp", "198.51.100.1"), false},
		{"IpAddress host bits", `{"IpAddress":{"aws:SourceIp":"203.0.113.9/24"}}`, kv("aws:SourceIp", "203.0.113.200"), true},
		{"IpAddress single", `{"IpAddress":{"aws:SourceIp":"192.0.2.1"}}`, kv("aws:SourceIp", "192.0.2.1"), true},
		{"IpAddress single other", `{"IpAddress":{"aws:SourceIp":"192.0.2.1"}}`, kv("aws:SourceIp", "192.0.2.2"), false},
		{"IpAddress v6", `{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}`, kv("aws:SourceIp", "2001:db8::1"), true},
		{"IpAddress mapped", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, kv("aws:SourceIp", "::ffff:203.0.113.7"), true},
		{"IpAddress mapped policy", `{"IpAddress":{"aws:SourceIp":"::ffff:203.0.113.0/120"}}`, kv("aws:SourceIp", "203.0.113.7"), true},
		{"IpAddress v4 not in v6", `{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, kv("aws:SourceIp", "203.0.113.7"), false},
		{"IpAddress not an ip", `{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`, kv("aws:SourceIp", "localhost"), false},
		{"NotIpAddress", `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, kv("aws:SourceIp", "192.0.2.1"), true},
		{"NotIpAddress inside", `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, kv("aws:SourceIp", "10.1.2.3"), false},
		{"NotIpAddress absent", `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, kv(), true},

		// ARNs.
		{"ArnLike", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/*"}}`, kv("aws:PrincipalArn", adminARN), true},
		{"ArnLike other type", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/*"}}`, kv("aws:PrincipalArn", aliceARN), false},
		{"ArnLike field wildcard", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}`, kv("aws:PrincipalArn", otherRoot), true},
		{"ArnLike no spanning", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::1*:role/x"}}`, kv("aws:PrincipalArn", "arn:aws:iam::1:2:role/x"), false},
		{"ArnLike resource colons", `{"ArnLike":{"kms:EncryptionContext:aws:lambda:FunctionArn":"arn:aws:lambda:*:111122223333:function:f*"}}`,
			kv("kms:EncryptionContext:aws:lambda:FunctionArn", "arn:aws:lambda:us-east-1:111122223333:function:fn:1"), true},
		{"ArnLike question", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/b?b"}}`, kv("aws:PrincipalArn", bobARN), true},
		{"ArnLike not an arn", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:*"}}`, kv("aws:PrincipalArn", "alice"), false},
		{"ArnLike case", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:USER/*"}}`, kv("aws:PrincipalArn", aliceARN), false},
		{"ArnEquals wildcard like ArnLike", `{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/*"}}`, kv("aws:PrincipalArn", aliceARN), true},
		{"ArnEquals exact", `{"ArnEquals":{"aws:PrincipalArn":"` + aliceARN + `"}}`, kv("aws:PrincipalArn", aliceARN), true},
		{"ArnNotEquals", `{"ArnNotEquals":{"aws:PrincipalArn":"` + aliceARN + `"}}`, kv("aws:PrincipalArn", aliceARN), false},
		{"ArnNotLike", `{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"}}`, kv("aws:PrincipalArn", aliceARN), true},
		{"ArnNotLike absent", `{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"}}`, kv(), true},
		{"ArnLike absent", `{"ArnLike":{"aws:PrincipalArn":"*"}}`, kv(), false},
		{"ArnLike star", `{"ArnLike":{"aws:PrincipalArn":"*"}}`, kv("aws:PrincipalArn", "anything"), true},

		// Null.
		{"Null true absent", `{"Null":{"kms:GranteePrincipal":"true"}}`, kv(), true},
		{"Null true present", `{"Null":{"kms:GranteePrincipal":"true"}}`, kv("kms:GranteePrincipal", "x"), false},
		{"Null false present", `{"Null":{"kms:GranteePrincipal":false}}`, kv("kms:GranteePrincipal", "x"), true},
		{"Null false absent", `{"Null":{"kms:GranteePrincipal":"false"}}`, kv(), false},

		// IfExists.
		{"IfExists absent", `{"StringEqualsIfExists":{"kms:a":"x"}}`, kv(), true},
		{"IfExists match", `{"StringEqualsIfExists":{"kms:a":"x"}}`, kv("kms:a", "x"), true},
		{"IfExists mismatch", `{"StringEqualsIfExists":{"kms:a":"x"}}`, kv("kms:a", "y"), false},
		{"NumericIfExists absent", `{"NumericLessThanIfExists":{"kms:n":"1"}}`, kv(), true},
		{"BoolIfExists absent", `{"BoolIfExists":{"kms:b":"true"}}`, kv(), true},
		{"ArnNotLikeIfExists present", `{"ArnNotLikeIfExists":{"aws:PrincipalArn":"arn:aws:iam::*:user/*"}}`, kv("aws:PrincipalArn", aliceARN), false},

		// Set qualifiers.
		{"ForAnyValue match", `{"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":["a","b"]}}`, kv("kms:EncryptionContextKeys", []string{"c", "b"}), true},
		{"ForAnyValue none", `{"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":["a","b"]}}`, kv("kms:EncryptionContextKeys", []string{"c"}), false},
		{"ForAnyValue absent", `{"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":["a","b"]}}`, kv(), false},
		{"ForAnyValue IfExists absent", `{"ForAnyValue:StringEqualsIfExists":{"kms:EncryptionContextKeys":"a"}}`, kv(), true},
		{"ForAnyValue negated", `{"ForAnyValue:StringNotLike":{"aws:TagKeys":"a*"}}`, kv("aws:TagKeys", []string{"ab", "c"}), true},
		{"ForAnyValue negated none", `{"ForAnyValue:StringNotLike":{"aws:TagKeys":"a*"}}`, kv("aws:TagKeys", []string{"ab"}), false},
		{"ForAllValues subset", `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, kv("aws:TagKeys", []string{"a"}), true},
		{"ForAllValues extra", `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, kv("aws:TagKeys", []string{"a", "c"}), false},
		{"ForAllValues absent", `{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, kv(), true},
		{"ForAllValues negated", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":"x"}}`, kv("aws:TagKeys", []string{"a", "b"}), true},
		{"ForAllValues negated hit", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":"x"}}`, kv("aws:TagKeys", []string{"a", "x"}), false},
		{"ForAllValues numeric", `{"ForAllValues:NumericLessThan":{"kms:n":"5"}}`, kv("kms:n", []string{"1", "4"}), true},
		{"plain multi-valued", `{"StringEquals":{"kms:EncryptionContextKeys":"b"}}`, kv("kms:EncryptionContextKeys", []string{"a", "b"}), true},
		{"plain negated multi-valued", `{"StringNotEquals":{"kms:EncryptionContextKeys":"b"}}`, kv("kms:EncryptionContextKeys", []string{"a", "b"}), false},

		// Combination: operators and keys AND.
		{"AND all hold", `{"StringEquals":{"kms:a":"x","kms:b":"y"},"Bool":{"kms:c":"true"}}`, kv("kms:a", "x", "kms:b", "y", "kms:c", "true"), true},
		{"AND one key fails", `{"StringEquals":{"kms:a":"x","kms:b":"y"},"Bool":{"kms:c":"true"}}`, kv("kms:a", "x", "kms:b", "z", "kms:c", "true"), false},
		{"AND one operator fails", `{"StringEquals":{"kms:a":"x","kms:b":"y"},"Bool":{"kms:c":"true"}}`, kv("kms:a", "x", "kms:b", "y"), false},
		{"empty block", `{}`, kv(), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := holds(t, "2012-10-17", c.cond, c.ctx); got != c.want {
				t.Errorf("condition %s with %v = %v, want %v", c.cond, c.ctx.Keys(), got, c.want)
			}
		})
	}
}

func TestPolicyVariables(t *testing.T) {
	user := `{"StringEquals":{"kms:EncryptionContext:user":"${aws:username}"}}`
	cases := []struct {
		name, version, cond string
		ctx                 policy.Context
		want                bool
	}{
		{"substituted", "2012-10-17", user, kv("aws:username", "alice", "kms:EncryptionContext:user", "alice"), true},
		{"other user", "2012-10-17", user, kv("aws:username", "bob", "kms:EncryptionContext:user", "alice"), false},
		{"variable absent", "2012-10-17", user, kv("kms:EncryptionContext:user", "${aws:username}"), false},
		{"literal in 2008", "2008-10-17", user, kv("aws:username", "alice", "kms:EncryptionContext:user", "${aws:username}"), true},
		{"literal without version", "", user, kv("aws:username", "alice", "kms:EncryptionContext:user", "alice"), false},
		{"name case-insensitive", "2012-10-17", `{"StringEquals":{"kms:a":"${AWS:UserName}"}}`, kv("aws:username", "alice", "kms:a", "alice"), true},
		{"default used", "2012-10-17", `{"StringEquals":{"kms:a":"${aws:username, 'nobody'}"}}`, kv("kms:a", "nobody"), true},
		{"default unused", "2012-10-17", `{"StringEquals":{"kms:a":"${aws:username,'nobody'}"}}`, kv("aws:username", "alice", "kms:a", "alice"), true},
		{"multi-valued variable", "2012-10-17", `{"StringEquals":{"kms:a":"${aws:TagKeys}"}}`, kv("aws:TagKeys", []string{"x", "y"}, "kms:a", "x"), false},
		{"text around", "2012-10-17", `{"StringEquals":{"kms:a":"home/${aws:username}/key"}}`, kv("aws:username", "alice", "kms:a", "home/alice/key"), true},
		{"like with variable", "2012-10-17", `{"StringLike":{"kms:a":"${aws:username}/*"}}`, kv("aws:username", "alice", "kms:a", "alice/x/y"), true},
		{"substituted star literal", "2012-10-17", `{"StringLike":{"kms:a":"${kms:p}x"}}`, kv("kms:p", "a*", "kms:a", "abcx"), false},
		{"substituted star itself", "2012-10-17", `{"StringLike":{"kms:a":"${kms:p}x"}}`, kv("kms:p", "a*", "kms:a", "a*x"), true},
		{"substituted backslash", "2012-10-17", `{"StringLike":{"kms:a":"${kms:p}*"}}`, kv("kms:p", `a\`, "kms:a", `a\b`), true},
		{"policy backslash", "2012-10-17", `{"StringLike":{"kms:a":"\\${kms:p}"}}`, kv("kms:p", "x", "kms:a", `\x`), true},
		{"special star", "2012-10-17", `{"StringLike":{"kms:a":"a${*}"}}`, kv("kms:a", "a*"), true},
		{"special star literal", "2012-10-17", `{"StringLike":{"kms:a":"a${*}"}}`, kv("kms:a", "ab"), false},
		{"special question", "2012-10-17", `{"StringEquals":{"kms:a":"a${?}"}}`, kv("kms:a", "a?"), true},
		{"special dollar", "2012-10-17", `{"StringEquals":{"kms:a":"${$}{x}"}}`, kv("kms:a", "${x}"), true},
		{"not a variable", "2012-10-17", `{"StringEquals":{"kms:a":"${ unterminated"}}`, kv("kms:a", "${ unterminated"), true},
		{"ignore case", "2012-10-17", `{"StringEqualsIgnoreCase":{"kms:a":"${aws:username}"}}`, kv("aws:username", "Alice", "kms:a", "ALICE"), true},
		{"arn with variable", "2012-10-17", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::${aws:PrincipalAccount}:user/*"}}`,
			kv("aws:PrincipalAccount", acct, "aws:PrincipalArn", aliceARN), true},
		{"arn with variable other", "2012-10-17", `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::${aws:PrincipalAccount}:user/*"}}`,
			kv("aws:PrincipalAccount", otherAcct, "aws:PrincipalArn", aliceARN), false},
		{"not in numeric", "2012-10-17", `{"NumericEquals":{"kms:n":"1"}}`, kv("kms:n", "1"), true},
		{"long value", "2012-10-17", `{"StringEquals":{"kms:a":"${kms:p}${kms:p}"}}`, kv("kms:p", string(make([]byte, 300)), "kms:a", string(make([]byte, 600))), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := holds(t, c.version, c.cond, c.ctx); got != c.want {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestResourceVariables(t *testing.T) {
	text := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"arn:aws:kms:*:${aws:PrincipalAccount}:key/*"}}`
	d := mustParse(text)
	for who, want := range map[string]policy.Effect{acct: policy.Allow, otherAcct: policy.ImplicitDeny} {
		req := &policy.Request{Action: "kms:Encrypt", Caller: caller(aliceARN), Resource: keyARN, Context: kv("aws:PrincipalAccount", who)}
		if got := d.Evaluate(req).Effect; got != want {
			t.Errorf("account %s: %v, want %v", who, got, want)
		}
	}
	old := mustParse(`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"arn:aws:kms:*:${aws:PrincipalAccount}:key/*"}}`)
	req := &policy.Request{Action: "kms:Encrypt", Caller: caller(aliceARN), Resource: keyARN, Context: kv("aws:PrincipalAccount", acct)}
	if got := old.Evaluate(req).Effect; got != policy.ImplicitDeny {
		t.Errorf("2008 policy expanded a variable: %v", got)
	}
}

func TestConditionReason(t *testing.T) {
	d := mustParse(consolePolicy(acct))
	grant := &policy.Request{Action: "kms:CreateGrant", Caller: caller(userARN), Resource: keyARN}
	dec := policy.Authorize(d, nil, grant)
	want := policy.Decision{Effect: policy.ImplicitDeny, Source: policy.IdentityBased,
		Reason: "key policy statement 'Enable IAM User Permissions' allows the request through the account principal, which lets IAM policies decide, " +
			"but no identity-based policy allows the request " +
			"(statement 'Allow attachment of persistent resources' matched but condition Bool kms:GrantIsForAWSResource failed)"}
	if dec != want {
		t.Errorf("Authorize = %+v\nwant %+v", dec, want)
	}
	d = mustParse(conditionsPolicy)
	req := &policy.Request{Action: "kms:Decrypt", Caller: caller(userARN), Resource: keyARN,
		Context: kv("kms:ViaService", "ec2.us-east-1.amazonaws.com", "kms:CallerAccount", acct)}
	want = policy.Decision{Effect: policy.ImplicitDeny, Source: policy.ResourceBased,
		Reason: "statement 'Allow use via S3 only' matched but condition StringEquals kms:ViaService failed"}
	if dec := d.Evaluate(req); dec != want {
		t.Errorf("Evaluate = %+v\nwant %+v", dec, want)
	}
}
