package kmsmodel_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/internal/kmsmodel"
)

const keySpecs = "[RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, " +
	"ECC_SECG_P256K1, SYMMETRIC_DEFAULT, HMAC_224, HMAC_256, HMAC_384, HMAC_512, SM2, " +
	"ML_DSA_44, ML_DSA_65, ML_DSA_87, ECC_NIST_EDWARDS25519]"

func b64(n int) string { return base64.StdEncoding.EncodeToString(make([]byte, n)) }

func TestValidateMessages(t *testing.T) {
	long8193 := strings.Repeat("d", 8193)
	tag129 := strings.Repeat("k", 129)
	tests := []struct {
		name, op, body, want string
	}{
		{
			name: "ReplicateKey/MissingKeyIdAndBadRegion",
			op:   "ReplicateKey", body: `{"ReplicaRegion":"US_EAST_1"}`,
			want: "2 validation errors detected: " +
				"Value null at 'keyId' failed to satisfy constraint: Member must not be null; " +
				`Value 'US_EAST_1' at 'replicaRegion' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([a-z]+-){2,3}\d+$`,
		},
		{
			name: "ReplicateKey/RegionTooLong",
			op:   "ReplicateKey", body: `{"KeyId":"mrk-1","ReplicaRegion":"` + strings.Repeat("a", 33) + `"}`,
			want: "1 validation error detected: Value '" + strings.Repeat("a", 33) +
				"' at 'replicaRegion' failed to satisfy constraint: Member must have length less than or equal to 32",
		},
		{
			name: "ReplicateKey/RegionNewline",
			op:   "ReplicateKey", body: `{"KeyId":"mrk-1","ReplicaRegion":"us-east-1\n"}`,
			want: "1 validation error detected: Value 'us-east-1\n' at 'replicaRegion' failed to satisfy constraint: " +
				`Member must satisfy regular expression pattern: ^([a-z]+-){2,3}\d+$`,
		},
		{
			name: "CreateKey/Description8193",
			op:   "CreateKey", body: `{"Description":"` + long8193 + `"}`,
			want: "1 validation error detected: Value '" + long8193 +
				"' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192",
		},
		{
			name: "CreateKey/DescriptionCountsCharacters",
			op:   "CreateKey", body: `{"Description":"` + strings.Repeat("é", 8192) + `"}`,
		},
		{
			name: "CreateKey/TagKeyEmpty",
			op:   "CreateKey", body: `{"Tags":[{"TagKey":"a","TagValue":""},{"TagKey":"","TagValue":"v"}]}`,
			want: "1 validation error detected: Value '' at 'tags.2.member.tagKey' failed to satisfy constraint: " +
				"Member must have length greater than or equal to 1",
		},
		{
			name: "TagResource/TagKey129",
			op:   "TagResource", body: `{"KeyId":"k","Tags":[{"TagKey":"` + tag129 + `","TagValue":"v"}]}`,
			want: "1 validation error detected: Value '" + tag129 + "' at 'tags.1.member.tagKey' failed to satisfy constraint: " +
				"Member must have length less than or equal to 128",
		},
		{
			name: "TagResource/TagValueMissing",
			op:   "TagResource", body: `{"KeyId":"k","Tags":[{"TagKey":"a"},{"TagKey":"b","TagValue":null}]}`,
			want: "2 validation errors detected: " +
				"Value null at 'tags.1.member.tagValue' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'tags.2.member.tagValue' failed to satisfy constraint: Member must not be null",
		},
		{
			name: "CreateKey/KeySpecEnum",
			op:   "CreateKey", body: `{"KeySpec":"AES_256"}`,
			want: "1 validation error detected: Value 'AES_256' at 'keySpec' failed to satisfy constraint: " +
				"Member must satisfy enum value set: " + keySpecs,
		},
		{
			name: "ScheduleKeyDeletion/Window0",
			op:   "ScheduleKeyDeletion", body: `{"KeyId":"k","PendingWindowInDays":0}`,
			want: "1 validation error detected: Value '0' at 'pendingWindowInDays' failed to satisfy constraint: " +
				"Member must have value greater than or equal to 1",
		},
		{
			name: "ScheduleKeyDeletion/Window366",
			op:   "ScheduleKeyDeletion", body: `{"KeyId":"k","PendingWindowInDays":366}`,
			want: "1 validation error detected: Value '366' at 'pendingWindowInDays' failed to satisfy constraint: " +
				"Member must have value less than or equal to 365",
		},
		{
			name: "ScheduleKeyDeletion/Window7",
			op:   "ScheduleKeyDeletion", body: `{"KeyId":"k","PendingWindowInDays":7}`,
		},
		{
			name: "ListKeys/Limit0",
			op:   "ListKeys", body: `{"Limit":0}`,
			want: "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: " +
				"Member must have value greater than or equal to 1",
		},
		{
			name: "ListKeys/LimitNegative",
			op:   "ListKeys", body: `{"Limit":-2147483648}`,
			want: "1 validation error detected: Value '-2147483648' at 'limit' failed to satisfy constraint: " +
				"Member must have value greater than or equal to 1",
		},
		{
			name: "Encrypt/Plaintext4097",
			op:   "Encrypt", body: `{"KeyId":"k","Plaintext":"` + b64(4097) + `"}`,
			want: "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: " +
				"Member must have length less than or equal to 4096",
		},
		{
			name: "Encrypt/Plaintext4096",
			op:   "Encrypt", body: `{"KeyId":"k","Plaintext":"` + b64(4096) + `"}`,
		},
		{
			name: "Encrypt/PlaintextEmpty",
			op:   "Encrypt", body: `{"KeyId":"k","Plaintext":""}`,
			want: "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: " +
				"Member must have length greater than or equal to 1",
		},
		{
			name: "Encrypt/PlaintextMissing",
			op:   "Encrypt", body: `{"KeyId":"k"}`,
			want: "1 validation error detected: Value null at 'plaintext' failed to satisfy constraint: " +
				"Member must not be null",
		},
		{
			name: "Decrypt/CiphertextEmpty",
			op:   "Decrypt", body: `{"CiphertextBlob":""}`,
			want: "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=0 cap=0]' at 'ciphertextBlob' " +
				"failed to satisfy constraint: Member must have length greater than or equal to 1",
		},
		{
			name: "PutKeyPolicy/PolicyU+0100",
			op:   "PutKeyPolicy", body: `{"KeyId":"k","Policy":"{\"Sid\":\"\u0100\"}"}`,
			want: "1 validation error detected: Value '{\"Sid\":\"\u0100\"}' at 'policy' failed to satisfy constraint: " +
				`Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`,
		},
		{
			name: "PutKeyPolicy/PolicyLatin1AndTab",
			op:   "PutKeyPolicy", body: `{"KeyId":"k","Policy":"{\t\"Sid\": \"\u00ff\"}\n"}`,
		},
		{
			name: "PutKeyPolicy/NoPolicyName",
			op:   "PutKeyPolicy", body: `{"KeyId":"k","Policy":"{}"}`,
		},
		{
			name: "Encrypt/GrantTokensTooMany",
			op:   "Encrypt", body: `{"KeyId":"k","Plaintext":"AA==","GrantTokens":["1","2","3","4","5","6","7","8","9","10","11"]}`,
			want: `1 validation error detected: Value '["1","2","3","4","5","6","7","8","9","10","11"]' at 'grantTokens' ` +
				"failed to satisfy constraint: Member must have length less than or equal to 10",
		},
		{
			name: "Encrypt/GrantTokenEmpty",
			op:   "Encrypt", body: `{"KeyId":"k","Plaintext":"AA==","GrantTokens":["a",null,""]}`,
			want: "1 validation error detected: Value '' at 'grantTokens.3.member' " +
				"failed to satisfy constraint: Member must have length greater than or equal to 1",
		},
		{
			name: "CreateGrant/NestedAndOrder",
			op:   "CreateGrant",
			body: `{"KeyId":"","Operations":["Decrypt","Fly"],"GranteePrincipal":"bad principal",` +
				`"Constraints":{"EncryptionContextSubset":{"a":"b"}}}`,
			want: "3 validation errors detected: " +
				"Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value 'bad principal' at 'granteePrincipal' failed to satisfy constraint: " +
				`Member must satisfy regular expression pattern: ^[\w+=,.@:/-]+$; ` +
				"Value 'Fly' at 'operations.2.member' failed to satisfy constraint: Member must satisfy enum value set: " +
				"[Decrypt, Encrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, ReEncryptFrom, ReEncryptTo, Sign, " +
				"Verify, GetPublicKey, CreateGrant, RetireGrant, DescribeKey, GenerateDataKeyPair, " +
				"GenerateDataKeyPairWithoutPlaintext, GenerateMac, VerifyMac, DeriveSharedSecret]",
		},
		{
			name: "CreateCustomKeyStore/SensitiveNested",
			op:   "CreateCustomKeyStore",
			body: `{"CustomKeyStoreName":"s","XksProxyAuthenticationCredential":{"AccessKeyId":"short","RawSecretAccessKey":"` +
				strings.Repeat("a", 43) + `"}}`,
			want: "1 validation error detected: Value at 'xksProxyAuthenticationCredential.accessKeyId' failed to satisfy constraint: " +
				"Member must have length greater than or equal to 20",
		},
		{
			name: "UnknownMemberIgnored",
			op:   "DescribeKey", body: `{"KeyId":"k","Bogus":{"x":[1,2,{"y":null}]},"keyId":5}`,
		},
		{
			name: "NullIsAbsent",
			op:   "CreateKey", body: `{"Description":null,"Tags":null,"KeySpec":null,"MultiRegion":null}`,
		},
		{
			name: "EmptyBody",
			op:   "ListKeys", body: ``,
		},
		{
			name: "EmptyBodyRequired",
			op:   "DescribeKey", body: " \n",
			want: "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
		},
		{
			name: "EncryptionContextMap",
			op:   "Encrypt", body: `{"KeyId":"k","Plaintext":"AA==","EncryptionContext":{"b":"2","a":"1","c":null}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := kmsmodel.Validate(tt.op, []byte(tt.body))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var ve *kmserrors.ValidationException
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %#v, want *ValidationException", err)
			}
			if ve.Message != tt.want {
				t.Errorf("message\n got: %q\nwant: %q", ve.Message, tt.want)
			}
		})
	}
}

func TestValidateSerialization(t *testing.T) {
	tests := []struct{ name, op, body string }{
		{"StringForInteger", "ListKeys", `{"Limit":"10"}`},
		{"FractionForInteger", "ListKeys", `{"Limit":1.5}`},
		{"ExponentForInteger", "ListKeys", `{"Limit":1e2}`},
		{"IntegerOverflow", "ListKeys", `{"Limit":2147483648}`},
		{"HugeInteger", "ListKeys", `{"Limit":` + strings.Repeat("9", 5000) + `}`},
		{"NumberForString", "DescribeKey", `{"KeyId":12}`},
		{"BoolForString", "DescribeKey", `{"KeyId":true}`},
		{"ObjectForString", "DescribeKey", `{"KeyId":{}}`},
		{"ArrayForString", "DescribeKey", `{"KeyId":["k"]}`},
		{"ObjectForList", "DescribeKey", `{"KeyId":"k","GrantTokens":{"a":"b"}}`},
		{"StringForList", "DescribeKey", `{"KeyId":"k","GrantTokens":"a"}`},
		{"NumberInList", "DescribeKey", `{"KeyId":"k","GrantTokens":[1]}`},
		{"StringForBool", "CreateKey", `{"MultiRegion":"true"}`},
		{"ListForStruct", "CreateKey", `{"Tags":[[]]}`},
		{"NumberForMap", "Encrypt", `{"KeyId":"k","Plaintext":"AA==","EncryptionContext":1}`},
		{"NumberMapValue", "Encrypt", `{"KeyId":"k","Plaintext":"AA==","EncryptionContext":{"a":1}}`},
		{"BlobNotBase64", "Encrypt", `{"KeyId":"k","Plaintext":"!!!"}`},
		{"BlobUnpadded", "Encrypt", `{"KeyId":"k","Plaintext":"AA"}`},
		{"BlobNumber", "Encrypt", `{"KeyId":"k","Plaintext":5}`},
		{"TypeErrorBeatsValidation", "ReplicateKey", `{"ReplicaRegion":"x","KeyId":7}`},
		{"NotObjectArray", "ListKeys", `[]`},
		{"NotObjectString", "ListKeys", `"x"`},
		{"NotObjectNull", "ListKeys", `null`},
		{"Malformed", "ListKeys", `{"Limit":`},
		{"Trailing", "ListKeys", `{} {}`},
		{"TrailingGarbage", "ListKeys", `{}x`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := kmsmodel.Validate(tt.op, []byte(tt.body))
			var se *kmserrors.SerializationException
			if !errors.As(err, &se) {
				t.Fatalf("Validate = %#v, want *SerializationException", err)
			}
		})
	}
}

func TestValidateUnknownOperation(t *testing.T) {
	err := kmsmodel.Validate("FlyKey", []byte(`{}`))
	var uo *kmserrors.UnknownOperationException
	if !errors.As(err, &uo) {
		t.Fatalf("Validate = %#v, want *UnknownOperationException", err)
	}
}

// TestValidateEveryOperation checks that an empty body validates or names
// exactly the required members.
func TestValidateEveryOperation(t *testing.T) {
	for _, op := range kmsmodel.Operations() {
		err := kmsmodel.Validate(op, nil)
		if err == nil {
			continue
		}
		var ve *kmserrors.ValidationException
		if !errors.As(err, &ve) || !strings.Contains(ve.Message, "Member must not be null") {
			t.Errorf("%s: Validate(empty) = %v", op, err)
		}
	}
}

func TestOperations(t *testing.T) {
	ops := kmsmodel.Operations()
	if len(ops) != 54 {
		t.Fatalf("len(Operations()) = %d, want 54", len(ops))
	}
	if !slices.IsSorted(ops) {
		t.Error("Operations() not sorted")
	}
	ops[0] = "changed"
	if kmsmodel.Operations()[0] == "changed" {
		t.Error("Operations() shares its slice")
	}
	for _, name := range kmsmodel.Operations() {
		op, ok := kmsmodel.Lookup(name)
		if !ok || op.Name != name {
			t.Errorf("Lookup(%q) = %v, %v", name, op, ok)
		}
		for _, code := range op.Errors {
			if _, ok := kmserrors.Lookup(code); !ok {
				t.Errorf("%s declares %s, unknown to kmserrors", name, code)
			}
		}
	}
}

func TestLookup(t *testing.T) {
	op, ok := kmsmodel.Lookup("UpdatePrimaryRegion")
	if !ok {
		t.Fatal("UpdatePrimaryRegion not found")
	}
	want := []string{"DisabledException", "InvalidArnException", "KMSInvalidStateException",
		"KMSInternalException", "NotFoundException", "UnsupportedOperationException"}
	if !slices.Equal(op.Errors, want) {
		t.Errorf("Errors = %v, want %v", op.Errors, want)
	}
	op.Errors[0] = "changed"
	if again, _ := kmsmodel.Lookup("UpdatePrimaryRegion"); again.Errors[0] != want[0] {
		t.Error("Lookup shares its Errors slice")
	}
	if _, ok := kmsmodel.Lookup("replicateKey"); ok {
		t.Error("Lookup is not case-sensitive")
	}
}

func ExampleValidate() {
	err := kmsmodel.Validate("ScheduleKeyDeletion", []byte(`{"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","PendingWindowInDays":400}`))
	fmt.Println(err)
	// Output:
	// ValidationException: 1 validation error detected: Value '400' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 365
}

func BenchmarkValidate(b *testing.B) {
	body := []byte(`{"KeyId":"arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",` +
		`"ReplicaRegion":"eu-west-1","Description":"replica of the primary key","BypassPolicyLockoutSafetyCheck":false,` +
		`"Tags":[{"TagKey":"team","TagValue":"payments"},{"TagKey":"env","TagValue":"prod"}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if err := kmsmodel.Validate("ReplicateKey", body); err != nil {
			b.Fatal(err)
		}
	}
}
