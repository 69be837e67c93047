package kmsmodel_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/internal/kmsmodel"
)

func FuzzValidate(f *testing.F) {
	ops := kmsmodel.Operations()
	index := func(name string) uint8 {
		for i, op := range ops {
			if op == name {
				return uint8(i)
			}
		}
		f.Fatalf("no operation %s", name)
		return 0
	}
	seeds := []struct{ op, body string }{
		{"ReplicateKey", `{"KeyId":"mrk-1234abcd12ab34cd56ef1234567890ab","ReplicaRegion":"eu-west-1","Tags":[{"TagKey":"a","TagValue":"b"}]}`},
		{"ReplicateKey", `{"ReplicaRegion":"US_EAST_1"}`},
		{"CreateKey", `{"MultiRegion":true,"KeySpec":"SYMMETRIC_DEFAULT","KeyUsage":"ENCRYPT_DECRYPT","Description":"d","Policy":"{}"}`},
		{"CreateKey", `{"Tags":[{"TagKey":"","TagValue":null},null,[]]}`},
		{"ScheduleKeyDeletion", `{"KeyId":"k","PendingWindowInDays":7}`},
		{"ScheduleKeyDeletion", `{"KeyId":"k","PendingWindowInDays":1e400}`},
		{"ListKeys", `{"Limit":100,"Marker":"m"}`},
		{"ListKeys", ``},
		{"Encrypt", `{"KeyId":"k","Plaintext":"` + base64.StdEncoding.EncodeToString([]byte("hello")) + `","EncryptionContext":{"a":"b"}}`},
		{"Decrypt", `{"CiphertextBlob":"AQID","GrantTokens":["t"],"Recipient":{"KeyEncryptionAlgorithm":"RSAES_OAEP_SHA_256","AttestationDocument":"AA=="}}`},
		{"PutKeyPolicy", `{"KeyId":"k","Policy":"{\"Version\":\"2012-10-17\"}","PolicyName":"default"}`},
		{"CreateGrant", `{"KeyId":"k","Operations":["Decrypt"],"Constraints":{"EncryptionContextEquals":{"x":"y"}}}`},
		{"UpdatePrimaryRegion", `{"KeyId":"k","PrimaryRegion":"us-west-2"}`},
		{"TagResource", "{\"KeyId\":\"k\",\"Tags\":[{\"TagKey\":\"\xff\xfe\",\"TagValue\":\"\"}]}"},
		{"DescribeKey", `[1,2,3]`},
		{"DescribeKey", `{"KeyId":` + strings.Repeat("[", 100) + `}`},
	}
	for _, s := range seeds {
		f.Add(index(s.op), []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		err := kmsmodel.Validate(ops[int(op)%len(ops)], body)
		if err == nil {
			return
		}
		var (
			ve  *kmserrors.ValidationException
			se  *kmserrors.SerializationException
			msg string
		)
		switch {
		case errors.As(err, &ve):
			msg = ve.Message
			if !strings.Contains(msg, " validation error") {
				t.Fatalf("bad message %q", msg)
			}
		case errors.As(err, &se):
			msg = se.Message
		default:
			t.Fatalf("untyped error %#v", err)
		}
		if !utf8.ValidString(msg) {
			t.Fatalf("message is not UTF-8: %q", msg)
		}
	})
}
