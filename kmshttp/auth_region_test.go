package kmshttp

import (
	"strings"
	"testing"
	"unsafe"
)

// TestOwnRegionIDDoesNotAliasTheHeader checks that the Region kept for a
// call shares no memory with the Authorization header it came from, so
// that an event in the engine's log does not hold a request's headers.
func TestOwnRegionIDDoesNotAliasTheHeader(t *testing.T) {
	for _, scope := range []string{"us-east-1", "eu-west-1", "cn-north-1", "xx-nowhere-9", ""} {
		header := "AWS4-HMAC-SHA256 Credential=test/20260101/" + scope + "/kms/aws4_request, SignedHeaders=host, Signature=00"
		a, err := parseAuthorization(header)
		if err != nil {
			t.Fatalf("%q: %v", header, err)
		}
		got := ownRegionID(a.cred.region)
		if string(got) != scope {
			t.Errorf("ownRegionID(%q) = %q", scope, got)
		}
		if aliases(string(got), header) {
			t.Errorf("ownRegionID(%q) shares memory with the header", scope)
		}
	}
}

// aliases reports whether s points into the bytes of within.
func aliases(s, within string) bool {
	if len(s) == 0 || len(within) == 0 {
		return false
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	lo := uintptr(unsafe.Pointer(unsafe.StringData(within)))
	return p >= lo && p < lo+uintptr(len(within))
}

// TestAliasesDetectsASubstring keeps the test above able to fail.
func TestAliasesDetectsASubstring(t *testing.T) {
	header := strings.Repeat("x", 8) + "us-east-1"
	if !aliases(header[8:], header) {
		t.Fatal("aliases misses a substring")
	}
	if aliases(strings.Clone(header[8:]), header) {
		t.Fatal("aliases reports a copy")
	}
}

func BenchmarkOwnRegionID(b *testing.B) {
	b.ReportAllocs()
	a, err := parseAuthorization("AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_ = ownRegionID(a.cred.region)
	}
}
