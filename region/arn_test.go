package region_test

import (
	"testing"

	"github.com/kmsim/kmsim/region"
)

func TestValidAccountID(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"111122223333", true},
		{"000000000000", true},
		{"", false},
		{"11112222333", false},
		{"1111222233334", false},
		{"11112222333a", false},
		{"1111-2222-33", false},
		{" 11122223333", false},
		{"１１１１２２２２３３３３", false}, // full-width digits
		{"11112222333\xff", false},
	} {
		if got := region.ValidAccountID(tc.s); got != tc.want {
			t.Errorf("ValidAccountID(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

func TestParseARN(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want region.ARN
		ok   bool
	}{
		{
			s:    "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
			want: region.ARN{"aws", "kms", "us-west-2", "111122223333", "key/1234abcd-12ab-34cd-56ef-1234567890ab"},
			ok:   true,
		},
		{
			s:    "arn:aws-cn:kms:cn-north-1:111122223333:alias/a/b_c-d",
			want: region.ARN{"aws-cn", "kms", "cn-north-1", "111122223333", "alias/a/b_c-d"},
			ok:   true,
		},
		{
			s:    "arn:aws:iam::111122223333:root",
			want: region.ARN{"aws", "iam", "", "111122223333", "root"},
			ok:   true,
		},
		{
			s:    "arn:aws:logs:us-east-1:111122223333:log-group:/a/b:*",
			want: region.ARN{"aws", "logs", "us-east-1", "111122223333", "log-group:/a/b:*"},
			ok:   true,
		},
		{
			s:    "arn:aws:s3:::bucket/key:with:colons",
			want: region.ARN{"aws", "s3", "", "", "bucket/key:with:colons"},
			ok:   true,
		},
		{s: "arn:::::", want: region.ARN{}, ok: true},
		{s: "arn:aws:kms:us-east-1:111122223333:", want: region.ARN{"aws", "kms", "us-east-1", "111122223333", ""}, ok: true},
		{s: "arn:aws:kms:us-east-1:111122223333"},
		{s: "arn:aws:kms:us-east-1"},
		{s: "arn:"},
		{s: "arn"},
		{s: ""},
		{s: "ARN:aws:kms:us-east-1:111122223333:key/x"},
		{s: " arn:aws:kms:us-east-1:111122223333:key/x"},
		{s: "aws:kms:us-east-1:111122223333:key/x:y"},
		{s: "alias/arn:aws:kms:us-east-1:111122223333:key/x"},
		{s: "1234abcd-12ab-34cd-56ef-1234567890ab"},
	} {
		got, ok := region.ParseARN(tc.s)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseARN(%q) = %+v, %v; want %+v, %v", tc.s, got, ok, tc.want, tc.ok)
			continue
		}
		if ok && got.String() != tc.s {
			t.Errorf("ParseARN(%q).String() = %q", tc.s, got.String())
		}
	}
}

func TestARNRoundTrip(t *testing.T) {
	a := region.ARN{Partition: "aws-us-gov", Service: "kms", Region: "us-gov-west-1", Account: "111122223333", Resource: "key/mrk-x:y/z"}
	s := a.String()
	if s != "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-x:y/z" {
		t.Fatalf("String() = %q", s)
	}
	if b, ok := region.ParseARN(s); !ok || b != a {
		t.Errorf("ParseARN(%q) = %+v, %v; want %+v", s, b, ok, a)
	}
}

func TestBuildARNs(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{
			region.KeyARN("aws", "us-west-2", "111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab"),
			"arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		},
		{
			region.KeyARN("aws-cn", "cn-north-1", "111122223333", "mrk-1234abcd12ab34cd56ef1234567890ab"),
			"arn:aws-cn:kms:cn-north-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
		},
		{
			region.AliasARN("aws", "us-west-2", "111122223333", "alias/ExampleAlias"),
			"arn:aws:kms:us-west-2:111122223333:alias/ExampleAlias",
		},
		{region.RootARN("aws", "111122223333"), "arn:aws:iam::111122223333:root"},
		{region.RootARN("aws-us-gov", "111122223333"), "arn:aws-us-gov:iam::111122223333:root"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestKeyARNAllocs(t *testing.T) {
	n := testing.AllocsPerRun(100, func() {
		_ = region.KeyARN("aws", "us-west-2", "111122223333", "mrk-1234abcd12ab34cd56ef1234567890ab")
	})
	if n > 1 {
		t.Errorf("KeyARN makes %v allocations, want at most 1", n)
	}
	n = testing.AllocsPerRun(100, func() {
		_, _ = region.ParseARN("arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab")
	})
	if n != 0 {
		t.Errorf("ParseARN makes %v allocations, want 0", n)
	}
}

func TestKMSResource(t *testing.T) {
	for _, tc := range []struct {
		s        string
		kind, id string
	}{
		{"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "key", "1234abcd-12ab-34cd-56ef-1234567890ab"},
		{"arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab", "key", "mrk-1234abcd12ab34cd56ef1234567890ab"},
		{"arn:aws:kms:us-east-1:111122223333:key/not-checked", "key", "not-checked"},
		{"arn:aws:kms:us-east-1:111122223333:alias/ExampleAlias", "alias", "alias/ExampleAlias"},
		{"arn:aws:kms:us-east-1:111122223333:alias/a/b", "alias", "alias/a/b"},
		{"arn:aws:kms:us-east-1:111122223333:key/", "", ""},
		{"arn:aws:kms:us-east-1:111122223333:alias/", "", ""},
		{"arn:aws:kms:us-east-1:111122223333:key", "", ""},
		{"arn:aws:kms:us-east-1:111122223333:Key/x", "", ""},
		{"arn:aws:kms:us-east-1:111122223333:grant/x", "", ""},
		{"arn:aws:kms:us-east-1:111122223333:", "", ""},
		{"arn:aws:iam::111122223333:key/x", "", ""},
		{"arn:aws:KMS:us-east-1:111122223333:key/x", "", ""},
	} {
		a, ok := region.ParseARN(tc.s)
		if !ok {
			t.Fatalf("ParseARN(%q) failed", tc.s)
		}
		if kind, id := region.KMSResource(a); kind != tc.kind || id != tc.id {
			t.Errorf("KMSResource(%q) = %q, %q; want %q, %q", tc.s, kind, id, tc.kind, tc.id)
		}
	}
}
