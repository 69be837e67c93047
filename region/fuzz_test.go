package region_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/kmsim/kmsim/region"
)

// Reference regular expressions from KMS-SPEC §1.2, made case-insensitive
// for hex digits (§11 #14).
var (
	uuidRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	mrkRe  = regexp.MustCompile(`^mrk-[0-9a-fA-F]{32}$`)
	codeRe = regexp.MustCompile(region.CodePattern)
)

func FuzzParseARN(f *testing.F) {
	for _, s := range []string{
		"arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"arn:aws:kms:us-west-2:111122223333:alias/ExampleAlias",
		"arn:aws:iam::111122223333:root",
		"arn:aws:logs:us-east-1:111122223333:log-group:/a/b:*",
		"arn:::::",
		"arn:aws:kms",
		"arn",
		"",
		"alias/x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := region.ParseARN(s)
		want := strings.HasPrefix(s, "arn:") && strings.Count(s, ":") >= 5
		if ok != want {
			t.Fatalf("ParseARN(%q) ok = %v, want %v", s, ok, want)
		}
		if !ok {
			if a != (region.ARN{}) {
				t.Fatalf("ParseARN(%q) failed but returned %+v", s, a)
			}
			return
		}
		if got := a.String(); got != s {
			t.Fatalf("ParseARN(%q).String() = %q", s, got)
		}
		for _, field := range []string{a.Partition, a.Service, a.Region, a.Account} {
			if strings.Contains(field, ":") {
				t.Fatalf("ParseARN(%q) = %+v: field %q contains ':'", s, a, field)
			}
		}
		kind, id := region.KMSResource(a)
		switch kind {
		case "key":
			if a.Service != "kms" || a.Resource != "key/"+id || id == "" {
				t.Fatalf("KMSResource(%+v) = %q, %q", a, kind, id)
			}
			if got := region.KeyARN(a.Partition, region.ID(a.Region), a.Account, id); got != s {
				t.Fatalf("KeyARN from %+v = %q, want %q", a, got, s)
			}
		case "alias":
			if a.Service != "kms" || a.Resource != id || !strings.HasPrefix(id, "alias/") || id == "alias/" {
				t.Fatalf("KMSResource(%+v) = %q, %q", a, kind, id)
			}
			if got := region.AliasARN(a.Partition, region.ID(a.Region), a.Account, id); got != s {
				t.Fatalf("AliasARN from %+v = %q, want %q", a, got, s)
			}
		case "":
			if id != "" {
				t.Fatalf("KMSResource(%+v) = %q, %q", a, kind, id)
			}
		default:
			t.Fatalf("KMSResource(%+v) kind = %q", a, kind)
		}
		// Building an ARN from the parsed fields and parsing it again is stable.
		if b, ok := region.ParseARN(a.String()); !ok || b != a {
			t.Fatalf("round trip of %+v gave %+v, %v", a, b, ok)
		}
	})
}

func FuzzIsKeyID(f *testing.F) {
	for _, s := range []string{
		"1234abcd-12ab-34cd-56ef-1234567890ab",
		"1234ABCD-12AB-34CD-56EF-1234567890AB",
		"mrk-1234abcd12ab34cd56ef1234567890ab",
		"134f2428cec14b25a1ae9048164dba47",
		"mrk-fake-key-id",
		"fake-key-id",
		"mrk-1234abcd12ab34cd56ef1234567890a\xff",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key, mrk := region.IsKeyID(s), region.IsMultiRegionKeyID(s)
		if want := uuidRe.MatchString(s) || mrkRe.MatchString(s); key != want {
			t.Fatalf("IsKeyID(%q) = %v, regexp says %v", s, key, want)
		}
		if want := mrkRe.MatchString(s); mrk != want {
			t.Fatalf("IsMultiRegionKeyID(%q) = %v, regexp says %v", s, mrk, want)
		}
		if !key {
			return
		}
		// A key ID survives a trip through its key ARN.
		arn := region.KeyARN("aws", "us-east-1", "111122223333", s)
		a, ok := region.ParseARN(arn)
		if !ok {
			t.Fatalf("ParseARN(%q) failed", arn)
		}
		if kind, id := region.KMSResource(a); kind != "key" || id != s {
			t.Fatalf("KMSResource(%q) = %q, %q", arn, kind, id)
		}
		// Case folding does not change validity.
		if !region.IsKeyID(strings.ToLower(s)) {
			t.Fatalf("IsKeyID(lower(%q)) = false", s)
		}
	})
}

func FuzzValidCode(f *testing.F) {
	for _, s := range []string{"us-east-1", "a-b-c-d-1", "a-b-c-1", "us-1", "us-east-1a", "aws-global", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := region.ValidCode(s)
		if want := len(s) >= 1 && len(s) <= 32 && codeRe.MatchString(s); got != want {
			t.Fatalf("ValidCode(%q) = %v, regexp says %v", s, got, want)
		}
		if _, known := region.Lookup(region.ID(s)); known && !got {
			t.Fatalf("known Region %q fails ValidCode", s)
		}
		// PartitionFor never fails and always names a real partition.
		p := region.PartitionFor(region.ID(s))
		if _, ok := region.LookupPartition(p.ID); !ok {
			t.Fatalf("PartitionFor(%q) = unknown partition %q", s, p.ID)
		}
	})
}
