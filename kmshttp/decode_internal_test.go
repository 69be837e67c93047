package kmshttp

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/kmsim/kmsim/internal/kmsconv"
	"github.com/kmsim/kmsim/internal/kmsmodel"
)

// decodeCases are request bodies for decodeParsed's corners: nulls in
// lists and maps, empty lists, maps and blobs, escapes, duplicates,
// unknown and case-mismatched members, nested structs and types
// encoding/json decodes itself (timestamps).
var decodeCases = []struct{ op, body string }{
	{"DescribeKey", `{"KeyId":"k"}`},
	{"DescribeKey", `{"KeyId":"k","GrantTokens":["a",null,"b"]}`},
	{"DescribeKey", `{"KeyId":"k","GrantTokens":[]}`},
	{"DescribeKey", `{"KeyId":"k","GrantTokens":null,"keyid":"x","Bogus":[1,{"a":null}]}`},
	{"DescribeKey", `{"Key\u0049d":"\u00e9\ud83d\ude00\ud800\n"}`},
	{"DescribeKey", "{\"KeyId\":\"\xff\"}"},
	{"DescribeKey", `{"KeyId":"a","KeyId":"b"}`},
	{"DescribeKey", `{"KeyId":"a","KeyId":"b","X":1}`},
	{"DescribeKey", `{"KeyId":null}`},
	{"DescribeKey", ``},
	{"CreateKey", `{}`},
	{"CreateKey", `{"MultiRegion":true,"KeySpec":"SYMMETRIC_DEFAULT","KeyUsage":"ENCRYPT_DECRYPT","Description":"d","Policy":"{}","BypassPolicyLockoutSafetyCheck":false}`},
	{"CreateKey", `{"Tags":[{"TagKey":"a","TagValue":"b"},null,{"TagKey":"c","TagValue":null}]}`},
	{"CreateKey", `{"Tags":[{"TagKey":"a","TagValue":"b","TagKey":"c"}]}`},
	{"CreateKey", `{"MultiRegion":null,"Tags":[]}`},
	{"Encrypt", `{"KeyId":"k","Plaintext":"aGVsbG8=","EncryptionContext":{"b":"2","a":"1","c":null}}`},
	{"Encrypt", `{"KeyId":"k","Plaintext":"","EncryptionContext":{}}`},
	{"Encrypt", `{"KeyId":"k","Plaintext":"AA==","EncryptionContext":{"a":"1","a":"2"}}`},
	{"Encrypt", `{"KeyId":"k","Plaintext":"AA==","EncryptionContext":{"a":"1"},"EncryptionContext":{"b":"2"}}`},
	{"Encrypt", `{"KeyId":"k","Plaintext":"AA==","EncryptionContext":{"a":"1"},"EncryptionContext":{"b":"2"},"X":0}`},
	{"Encrypt", `{"KeyId":"k","Plaintext":"A\u0041=="}`},
	{"Decrypt", `{"CiphertextBlob":"AQID","GrantTokens":["t"],"Recipient":{"KeyEncryptionAlgorithm":"RSAES_OAEP_SHA_256","AttestationDocument":"AA=="},"DryRun":true}`},
	{"Decrypt", `{"CiphertextBlob":"AQID","Recipient":null}`},
	{"ListKeys", `{"Limit":100,"Marker":"m"}`},
	{"ListKeys", `{"Limit":-0}`},
	{"ScheduleKeyDeletion", `{"KeyId":"k","PendingWindowInDays":7}`},
	{"GenerateRandom", `{"NumberOfBytes":32,"CustomKeyStoreId":"c"}`},
	{"ImportKeyMaterial", `{"KeyId":"k","ImportToken":"AA==","EncryptedKeyMaterial":"AA==","ValidTo":1700000000.5}`},
	{"ImportKeyMaterial", `{"KeyId":"k","ImportToken":"AA==","EncryptedKeyMaterial":"AA==","ValidTo":null}`},
	{"TagResource", `{"KeyId":"k","Tags":[{"TagKey":"a","TagValue":"b"}]}`},
}

// TestDecodeParsedMatchesDecodeInput checks that, wherever decodeParsed
// decodes a body, it gives what decodeInput (encoding/json) gives.
func TestDecodeParsedMatchesDecodeInput(t *testing.T) {
	for i, c := range decodeCases {
		t.Run(fmt.Sprint(i, c.op), func(t *testing.T) {
			checkDecode(t, c.op, []byte(c.body))
		})
	}
}

// TestDecodeParsedCovers checks that the usual bodies take the fast path.
func TestDecodeParsedCovers(t *testing.T) {
	for _, body := range []string{`{"KeyId":"k","GrantTokens":["a"]}`, `{"KeyId":"k","Plaintext":"AA==","EncryptionContext":{"a":"1"}}`} {
		op := "DescribeKey"
		if strings.Contains(body, "Plaintext") {
			op = "Encrypt"
		}
		req, err := kmsmodel.Parse(op, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		o, _ := kmsconv.Lookup(op)
		if !decodeParsed(req.Root(), o.NewInput()) {
			t.Errorf("%s %s: decodeParsed fell back", op, body)
		}
	}
}

func checkDecode(t *testing.T, op string, body []byte) {
	t.Helper()
	o, ok := kmsconv.Lookup(op)
	if !ok {
		return
	}
	req, err := kmsmodel.Parse(op, body)
	if err != nil {
		return
	}
	fast := o.NewInput()
	if !decodeParsed(req.Root(), fast) {
		return
	}
	slow := o.NewInput()
	if err := decodeInput(body, slow); err != nil {
		t.Fatalf("%s %q: decodeParsed succeeded, decodeInput failed: %v", op, body, err)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("%s %q:\ndecodeParsed: %#v\n decodeInput: %#v", op, body, fast, slow)
	}
}

func FuzzDecodeParsed(f *testing.F) {
	for _, c := range decodeCases {
		f.Add(c.op, []byte(c.body))
	}
	names := kmsconv.Names()
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		if _, ok := kmsconv.Lookup(op); !ok {
			op = names[len(op)%len(names)]
		}
		checkDecode(t, op, body)
	})
}

// refParseAuthorization is parseAuthorization as it was, with
// strings.Split, the reference of FuzzParseAuthorization.
func refParseAuthorization(v string) (authorization, string, bool) {
	a := authorization{raw: v}
	alg, params, _ := strings.Cut(strings.TrimSpace(v), " ")
	if alg != sigAlgorithm {
		return a, "", false
	}
	var credRaw string
	var haveCred, haveSigned, haveSig bool
	for _, p := range strings.Split(params, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok {
			continue
		}
		switch k {
		case "Credential":
			credRaw, haveCred = val, true
		case "SignedHeaders":
			a.signedHeaders, haveSigned = val, val != ""
		case "Signature":
			a.signature, haveSig = val, val != ""
		}
	}
	if haveCred {
		if parts := strings.Split(credRaw, "/"); len(parts) == 5 {
			a.cred = credential{parts[0], parts[1], parts[2], parts[3], parts[4]}
			a.credOK = true
		}
	}
	return a, credRaw, haveCred && haveSigned && haveSig && a.credOK
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc")
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c, SignedHeaders=, Signature=")
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f,Credential=x/y/z/w/v")
	f.Add("AWS4-HMAC-SHA256")
	f.Add("Basic abc")
	f.Fuzz(func(t *testing.T, v string) {
		got, err := parseAuthorization(v)
		want, _, ok := refParseAuthorization(v)
		if got != want || (err == nil) != ok {
			t.Fatalf("%q:\n got %+v, %v\nwant %+v, ok=%t", v, got, err, want, ok)
		}
	})
}
