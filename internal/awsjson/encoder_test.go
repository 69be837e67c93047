package awsjson_test

import (
	"encoding/json"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/document"
	"github.com/aws/smithy-go/traits"

	"github.com/kmsim/kmsim/internal/awsjson"
)

const (
	account = "111122223333"
	keyID   = "mrk-1234abcd12ab34cd56ef1234567890ab"
	keyArn  = "arn:aws:kms:us-east-1:" + account + ":key/" + keyID
)

// created has a sub-millisecond part, which the wire drops.
var (
	created  = time.Date(2020, 12, 9, 0, 16, 27, 918_765_432, time.UTC)
	deletion = time.Date(2021, 1, 8, 0, 0, 0, 0, time.UTC)
)

func keyMetadata(region string, created, deletion time.Time) *types.KeyMetadata {
	arn := "arn:aws:kms:" + region + ":" + account + ":key/" + keyID
	return &types.KeyMetadata{
		AWSAccountId:                aws.String(account),
		KeyId:                       aws.String(keyID),
		Arn:                         aws.String(arn),
		CreationDate:                aws.Time(created),
		DeletionDate:                aws.Time(deletion),
		Description:                 aws.String(""),
		Enabled:                     false,
		CustomerMasterKeySpec:       types.CustomerMasterKeySpecSymmetricDefault,
		KeySpec:                     types.KeySpecSymmetricDefault,
		KeyUsage:                    types.KeyUsageTypeEncryptDecrypt,
		KeyState:                    types.KeyStatePendingDeletion,
		KeyManager:                  types.KeyManagerTypeCustomer,
		Origin:                      types.OriginTypeAwsKms,
		EncryptionAlgorithms:        []types.EncryptionAlgorithmSpec{types.EncryptionAlgorithmSpecSymmetricDefault},
		MultiRegion:                 aws.Bool(true),
		PendingDeletionWindowInDays: aws.Int32(30),
		MultiRegionConfiguration: &types.MultiRegionConfiguration{
			MultiRegionKeyType: types.MultiRegionKeyTypePrimary,
			PrimaryKey:         &types.MultiRegionKey{Arn: aws.String(arn), Region: aws.String(region)},
			ReplicaKeys:        []types.MultiRegionKey{},
		},
	}
}

func TestMarshalDescribeKey(t *testing.T) {
	got := awsjson.Marshal(&kms.DescribeKeyOutput{KeyMetadata: keyMetadata("us-east-1", created, deletion)})
	want := `{"KeyMetadata":{` +
		`"AWSAccountId":"111122223333",` +
		`"Arn":"` + keyArn + `",` +
		`"CreationDate":1607472987.918,` +
		`"CustomerMasterKeySpec":"SYMMETRIC_DEFAULT",` +
		`"DeletionDate":1610064000,` +
		`"Description":"",` +
		`"EncryptionAlgorithms":["SYMMETRIC_DEFAULT"],` +
		`"KeyId":"` + keyID + `",` +
		`"KeyManager":"CUSTOMER",` +
		`"KeySpec":"SYMMETRIC_DEFAULT",` +
		`"KeyState":"PendingDeletion",` +
		`"KeyUsage":"ENCRYPT_DECRYPT",` +
		`"MultiRegion":true,` +
		`"MultiRegionConfiguration":{"MultiRegionKeyType":"PRIMARY","PrimaryKey":{"Arn":"` + keyArn + `","Region":"us-east-1"},"ReplicaKeys":[]},` +
		`"Origin":"AWS_KMS",` +
		`"PendingDeletionWindowInDays":30,` +
		`"Enabled":false}}`
	if string(got) != want {
		t.Errorf("Marshal\n got: %s\nwant: %s", got, want)
	}
	if !json.Valid(got) {
		t.Error("invalid JSON")
	}
}

func TestMarshalOutputs(t *testing.T) {
	tests := []struct {
		name string
		v    smithy.Serializable
		want string
	}{
		{"NilOutput", (*kms.DescribeKeyOutput)(nil), `{}`},
		{"NilInterface", nil, `{}`},
		{"Empty", &kms.EnableKeyOutput{}, `{}`},
		{"ListKeysNilKeys", &kms.ListKeysOutput{}, `{"Truncated":false}`},
		{"ListKeysEmpty", &kms.ListKeysOutput{Keys: []types.KeyListEntry{}}, `{"Keys":[],"Truncated":false}`},
		{"ListKeysTruncated", &kms.ListKeysOutput{
			Keys:       []types.KeyListEntry{{KeyId: aws.String("a"), KeyArn: aws.String("arn:a")}, {KeyId: aws.String("b")}},
			NextMarker: aws.String("m"), Truncated: true,
		}, `{"Keys":[{"KeyArn":"arn:a","KeyId":"a"},{"KeyId":"b"}],"NextMarker":"m","Truncated":true}`},
		{"KeyRotationStatus", &kms.GetKeyRotationStatusOutput{KeyId: aws.String("k")}, `{"KeyId":"k","KeyRotationEnabled":false}`},
		{"GenerateRandom", &kms.GenerateRandomOutput{Plaintext: []byte{0, 1, 2, 0xfb, 0xff}}, `{"Plaintext":"AAEC+/8="}`},
		{"EmptyBlob", &kms.GenerateRandomOutput{Plaintext: []byte{}}, `{"Plaintext":""}`},
		{"Strings", &kms.GetKeyPolicyOutput{Policy: aws.String("{\"a\":\"<\u00e9\u2028\x01\x7f\xff\t\"}\n"), PolicyName: aws.String("default")},
			`{"Policy":"{\"a\":\"<é` + "\u2028" + `\u0001` + "\x7f" + `\ufffd\t\"}\n","PolicyName":"default"}`},
		{"MapSorted", &kms.ListGrantsOutput{Grants: []types.GrantListEntry{{
			GrantId:     aws.String("g"),
			Constraints: &types.GrantConstraints{EncryptionContextEquals: map[string]string{"z": "1", "a": "2", "m": "3", "": "4"}},
		}}}, `{"Grants":[{"Constraints":{"EncryptionContextEquals":{"":"4","a":"2","m":"3","z":"1"}},"GrantId":"g"}],"Truncated":false}`},
		{"EmptyMap", &kms.ListGrantsOutput{Grants: []types.GrantListEntry{{
			Constraints: &types.GrantConstraints{EncryptionContextSubset: map[string]string{}},
		}}}, `{"Grants":[{"Constraints":{"EncryptionContextSubset":{}}}],"Truncated":false}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := awsjson.Marshal(tt.v)
			if string(got) != tt.want {
				t.Errorf("Marshal\n got: %s\nwant: %s", got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("invalid JSON: %s", got)
			}
		})
	}
}

// Test schemas for what KMS outputs do not use.
var (
	testStruct   = smithy.NewSchema(smithy.ShapeID{Namespace: "test", Name: "S"}, smithy.ShapeTypeStructure, 8)
	stringShape  = smithy.NewSchema(smithy.ShapeID{Namespace: "test", Name: "Str"}, smithy.ShapeTypeString, 0)
	timeShape    = smithy.NewSchema(smithy.ShapeID{Namespace: "test", Name: "T"}, smithy.ShapeTypeTimestamp, 0)
	listShape    = smithy.NewSchema(smithy.ShapeID{Namespace: "test", Name: "L"}, smithy.ShapeTypeList, 1)
	unionShape   = smithy.NewSchema(smithy.ShapeID{Namespace: "test", Name: "U"}, smithy.ShapeTypeUnion, 1)
	docShape     = smithy.NewSchema(smithy.ShapeID{Namespace: "test", Name: "D"}, smithy.ShapeTypeDocument, 0)
	sA           = testStruct.AddMember("A", stringShape)
	sNil         = testStruct.AddMember("Nil", stringShape)
	sDateTime    = testStruct.AddMember("DateTime", timeShape, &traits.TimestampFormat{Format: "date-time"})
	sHTTPDate    = testStruct.AddMember("HTTPDate", timeShape, &traits.TimestampFormat{Format: "http-date"})
	sEpoch       = testStruct.AddMember("Epoch", timeShape)
	sList        = testStruct.AddMember("List", listShape)
	listMember   = listShape.AddMember("member", stringShape)
	sUnion       = testStruct.AddMember("Union", unionShape)
	unionVariant = unionShape.AddMember("Text", stringShape)
	sDoc         = testStruct.AddMember("Doc", docShape)
	sNumbers     = testStruct.AddMember("Numbers", listShape)
)

type custom struct{}

func (custom) Serialize(s smithy.ShapeSerializer) {
	s.WriteStruct(testStruct)
	s.WriteString(sA, "a")
	s.WriteNil(sNil)
	s.WriteTime(sDateTime, created)
	s.WriteTime(sHTTPDate, deletion)
	s.WriteTime(sEpoch, time.Unix(-1, -500*int64(time.Millisecond)))
	s.WriteList(sList)
	s.WriteString(listMember, "x")
	s.WriteNil(listMember)
	s.CloseList()
	s.WriteUnion(sUnion, unionVariant)
	s.WriteString(unionVariant, "t")
	s.CloseUnion()
	s.WriteDocument(sDoc, document.Map{
		"b": document.List{document.Number("1.5e3"), document.Null{}, document.Boolean(true)},
		"a": document.String("s"),
		"c": document.Number("not a number"),
	})
	s.WriteList(sNumbers)
	s.WriteInt8(nil, -8)
	s.WriteInt64(nil, math.MaxInt64)
	s.WriteFloat32(nil, 0.1)
	s.WriteFloat64(nil, 1e21)
	s.WriteFloat64(nil, 1e-7)
	s.WriteFloat64(nil, math.NaN())
	s.WriteFloat64(nil, math.Inf(-1))
	s.WriteBigInt(nil, new(big.Int).Lsh(big.NewInt(1), 70))
	s.WriteBigInt(nil, nil)
	s.WriteBigFloat(nil, big.NewFloat(2.5))
	s.WriteBigFloat(nil, new(big.Float).SetInf(false))
	s.CloseList()
	s.CloseStruct()
}

func TestEncoderShapes(t *testing.T) {
	got := string(awsjson.Marshal(custom{}))
	want := `{"A":"a","DateTime":"2020-12-09T00:16:27.918Z","HTTPDate":"Fri, 08 Jan 2021 00:00:00 GMT",` +
		`"Epoch":-1.5,"List":["x",null],"Union":{"Text":"t"},"Doc":{"a":"s","b":[1.5e3,null,true],"c":"not a number"},` +
		`"Numbers":[-8,9223372036854775807,0.1,1e+21,1e-07,"NaN","-Infinity",1180591620717411303424,null,2.5,"Infinity"]}`
	if got != want {
		t.Errorf("Marshal\n got: %s\nwant: %s", got, want)
	}
	if !json.Valid([]byte(got)) {
		t.Error("invalid JSON")
	}
}

func TestEpochSeconds(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Unix(0, 0), "0"},
		{time.Unix(1607472987, 900_000_000), "1607472987.9"},
		{time.Unix(1607472987, 910_000_000), "1607472987.91"},
		{time.Unix(1607472987, 1_000_000), "1607472987.001"},
		{time.Unix(1607472987, 999_999), "1607472987"},
		{time.Unix(-2, 0), "-2"},
		{time.Unix(0, -1), "-0.001"},
	}
	for _, tt := range tests {
		e := awsjson.NewEncoder()
		e.WriteTime(nil, tt.t)
		if got := string(e.Bytes()); got != tt.want {
			t.Errorf("WriteTime(%v) = %s, want %s", tt.t, got, tt.want)
		}
	}
}

func BenchmarkMarshalDescribeKey(b *testing.B) {
	out := &kms.DescribeKeyOutput{KeyMetadata: keyMetadata("us-east-1", created, deletion)}
	b.ReportAllocs()
	for b.Loop() {
		awsjson.Marshal(out)
	}
}

func BenchmarkMarshalListKeys(b *testing.B) {
	out := &kms.ListKeysOutput{}
	for i := range 100 {
		id := keyID[:len(keyID)-2] + string(rune('a'+i%26)) + string(rune('a'+i/26))
		out.Keys = append(out.Keys, types.KeyListEntry{KeyId: aws.String(id), KeyArn: aws.String("arn:aws:kms:us-east-1:" + account + ":key/" + id)})
	}
	b.ReportAllocs()
	for b.Loop() {
		awsjson.Marshal(out)
	}
}
