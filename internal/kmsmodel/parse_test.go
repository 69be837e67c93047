package kmsmodel

import (
	"fmt"
	"strings"
	"testing"
)

// parseCases are bodies where a hand-written JSON reader could differ from
// encoding/json: syntax corners, escapes, invalid UTF-8, duplicates,
// nulls, nesting and trailing content.
var parseCases = []struct{ op, body string }{
	{"DescribeKey", `{"KeyId":"k"}`},
	{"DescribeKey", ` {"KeyId" : "k" , "GrantTokens" : [ "a" , null , "b" ] } ` + "\n"},
	{"DescribeKey", `{"KeyId":"k","KeyId":5}`},
	{"DescribeKey", `{"KeyId":5,"KeyId":"k"}`},
	{"DescribeKey", `{"KeyId":"k\u0000\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}`},
	{"DescribeKey", `{"KeyId":"\ud800"}`},
	{"DescribeKey", `{"KeyId":"\ud800\u0041"}`},
	{"DescribeKey", `{"KeyId":"\udc00\ud800"}`},
	{"DescribeKey", "{\"KeyId\":\"\xff\xfe\"}"},
	{"DescribeKey", "{\"KeyId\":\"\xed\xa0\x80\"}"},
	{"DescribeKey", "{\"KeyId\":\"a\tb\"}"},
	{"DescribeKey", `{"KeyId":"\x"}`},
	{"DescribeKey", `{"KeyId":"\u12"}`},
	{"DescribeKey", `{"KeyId":"\u12G4"}`},
	{"DescribeKey", `{"Key\u0049d":"k"}`},
	{"DescribeKey", `{"keyid":"k"}`},
	{"DescribeKey", `{"KeyId":"k",}`},
	{"DescribeKey", `{"KeyId":"k"`},
	{"DescribeKey", `{"KeyId"}`},
	{"DescribeKey", `{KeyId:"k"}`},
	{"DescribeKey", `{"KeyId":'k'}`},
	{"DescribeKey", `{"KeyId":"k"}}`},
	{"DescribeKey", `{"KeyId":"k"} `},
	{"DescribeKey", `{"KeyId":"k"} x`},
	{"DescribeKey", `{"KeyId":"k"}{}`},
	{"DescribeKey", "\ufeff{}"},
	{"DescribeKey", `1x`},
	{"DescribeKey", `1 x`},
	{"DescribeKey", `01`},
	{"DescribeKey", `-`},
	{"DescribeKey", `-0`},
	{"DescribeKey", `1.`},
	{"DescribeKey", `1.e5`},
	{"DescribeKey", `truex`},
	{"DescribeKey", `tru`},
	{"DescribeKey", `nul`},
	{"DescribeKey", `null`},
	{"DescribeKey", `"x"`},
	{"DescribeKey", `[]`},
	{"DescribeKey", `[1,]`},
	{"DescribeKey", ``},
	{"DescribeKey", "\t\r\n "},
	{"DescribeKey", `{"KeyId":"k","GrantTokens":[]}`},
	{"DescribeKey", `{"KeyId":"k","GrantTokens":["a","b","c","d","e","f","g","h","i","j","k"]}`},
	{"DescribeKey", `{"KeyId":"k","GrantTokens":[null,"",1]}`},
	{"DescribeKey", `{"KeyId":"k","Bogus":{"x":[1,2,{"y":null}],"z":-1.5e-7}}`},
	{"DescribeKey", `{"KeyId":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`},
	{"DescribeKey", `{"KeyId":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`},
	{"DescribeKey", strings.Repeat("[", 9999) + strings.Repeat("]", 9999)},
	{"DescribeKey", strings.Repeat("[", 10000) + strings.Repeat("]", 10000)},
	{"DescribeKey", strings.Repeat("[", 10001) + strings.Repeat("]", 10001)},
	{"ListKeys", `{"Limit":-0}`},
	{"ListKeys", `{"Limit":0,"Marker":""}`},
	{"ListKeys", `{"Limit":1E2}`},
	{"ListKeys", `{"Limit":2147483647}`},
	{"ListKeys", `{"Limit":-2147483649}`},
	{"ListKeys", `{"Limit":1.0}`},
	{"ListKeys", `{"Limit":true}`},
	{"ListKeys", `{"Limit":null}`},
	{"CreateKey", `{"Tags":[{"TagKey":"","TagValue":null},null,[]]}`},
	{"CreateKey", `{"Tags":[{"TagKey":"a","TagValue":"b"},{"TagKey":"a","TagValue":"b"}],"MultiRegion":false,"BypassPolicyLockoutSafetyCheck":true}`},
	{"CreateKey", `{"KeySpec":"NOPE","KeyUsage":"ENCRYPT_DECRYPT","Description":"` + strings.Repeat("é", 8193) + `"}`},
	{"Encrypt", `{"KeyId":"k","Plaintext":"AA==","EncryptionContext":{"b":"2","a":"1","c":null,"a":"3"}}`},
	{"Encrypt", `{"KeyId":"k","Plaintext":"","EncryptionContext":{}}`},
	{"Encrypt", `{"KeyId":"k","Plaintext":"A\u0041==","EncryptionContext":{"":"x"}}`},
	{"Encrypt", `{"KeyId":"k","Plaintext":"AA","EncryptionContext":{"a":1}}`},
	{"Encrypt", `{"KeyId":"k","Plaintext":"` + strings.Repeat("AAAA", 1100) + `"}`},
	{"ScheduleKeyDeletion", `{"KeyId":"k","PendingWindowInDays":1e400}`},
	{"ImportKeyMaterial", `{"KeyId":"k","ImportToken":"AA==","EncryptedKeyMaterial":"AA==","ValidTo":1e400}`},
	{"ImportKeyMaterial", `{"KeyId":"k","ImportToken":"AA==","EncryptedKeyMaterial":"AA==","ValidTo":1700000000.5}`},
	{"Decrypt", `{"CiphertextBlob":"AQID","GrantTokens":["t"],"Recipient":{"KeyEncryptionAlgorithm":"RSAES_OAEP_SHA_256","AttestationDocument":"AA=="}}`},
	{"CreateGrant", `{"KeyId":"k","Operations":["Decrypt","Nope"],"Constraints":{"EncryptionContextEquals":{"x":"y"}}}`},
}

// TestParseMatchesReference checks that Validate, now over the
// single-pass parser, gives what it gave over encoding/json.
func TestParseMatchesReference(t *testing.T) {
	for i, c := range parseCases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkAgainstReference(t, c.op, []byte(c.body))
		})
	}
}

func checkAgainstReference(t *testing.T, op string, body []byte) {
	t.Helper()
	got, want := Validate(op, body), refValidate(op, body)
	if fmt.Sprintf("%T %v", got, got) != fmt.Sprintf("%T %v", want, want) {
		t.Fatalf("%s %q:\n got: %T %v\nwant: %T %v", op, body, got, got, want, want)
	}
}

func FuzzParseMatchesReference(f *testing.F) {
	ops := Operations()
	for _, c := range parseCases {
		f.Add(c.op, []byte(c.body))
	}
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		if !Known(op) {
			op = ops[len(op)%len(ops)]
		}
		checkAgainstReference(t, op, body)
	})
}
