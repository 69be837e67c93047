package kmshttp

import "testing"

// sdkAuthorization is an Authorization header as aws-sdk-go-v2 signs a
// KMS request.
const sdkAuthorization = "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/kms/aws4_request, " +
	"SignedHeaders=accept-encoding;amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date;x-amz-target, " +
	"Signature=3a8c5e0b8f1f6d1f7e4c0c5c2c4d1d8e9b6a7f0e1d2c3b4a5968778695a4b3c2"

func BenchmarkParseAuthorization(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		a, err := parseAuthorization(sdkAuthorization)
		if err != nil || !a.credOK {
			b.Fatal(err)
		}
	}
}
