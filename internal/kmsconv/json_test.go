package kmsconv

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/internal/awsjson"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// anyString draws "" often, plain identifiers, arbitrary Unicode and
// arbitrary bytes (invalid UTF-8 included), so that escaping is covered.
var anyString = rapid.OneOf(
	rapid.Just(""),
	rapid.StringMatching(`[a-zA-Z0-9:/_-]{1,40}`),
	rapid.String(),
	rapid.Map(rapid.SliceOf(rapid.Byte()), func(b []byte) string { return string(b) }),
)

var anyTime = rapid.Custom(func(t *rapid.T) time.Time {
	if rapid.Bool().Draw(t, "zero") {
		return time.Time{}
	}
	ns := rapid.Int64Range(-1e18, 4e18).Draw(t, "ns")
	zone := time.FixedZone("z", rapid.IntRange(-12, 12).Draw(t, "zone")*3600)
	return time.Unix(0, ns).In(zone)
})

var anyList = rapid.OneOf(rapid.Just([]string(nil)), rapid.Just([]string{}), rapid.SliceOfN(anyString, 1, 4))

var anyMultiRegionKey = rapid.Custom(func(t *rapid.T) engine.MultiRegionKey {
	return engine.MultiRegionKey{Arn: anyString.Draw(t, "arn"), Region: region.ID(anyString.Draw(t, "region"))}
})

var anyMetadata = rapid.Custom(func(t *rapid.T) engine.KeyMetadata {
	m := engine.KeyMetadata{
		AWSAccountID:                anyString.Draw(t, "account"),
		KeyID:                       anyString.Draw(t, "keyID"),
		Arn:                         anyString.Draw(t, "arn"),
		CreationDate:                anyTime.Draw(t, "created"),
		Enabled:                     rapid.Bool().Draw(t, "enabled"),
		Description:                 anyString.Draw(t, "description"),
		KeyUsage:                    keystore.KeyUsage(anyString.Draw(t, "usage")),
		KeyState:                    keystore.KeyState(anyString.Draw(t, "state")),
		DeletionDate:                anyTime.Draw(t, "deletion"),
		ValidTo:                     anyTime.Draw(t, "validTo"),
		Origin:                      keystore.Origin(anyString.Draw(t, "origin")),
		CustomKeyStoreID:            anyString.Draw(t, "store"),
		CloudHsmClusterID:           anyString.Draw(t, "cluster"),
		ExpirationModel:             keystore.ExpirationModel(anyString.Draw(t, "expiration")),
		KeyManager:                  keystore.KeyManager(anyString.Draw(t, "manager")),
		CustomerMasterKeySpec:       keystore.KeySpec(anyString.Draw(t, "cmkSpec")),
		KeySpec:                     keystore.KeySpec(anyString.Draw(t, "spec")),
		EncryptionAlgorithms:        anyList.Draw(t, "encryption"),
		SigningAlgorithms:           anyList.Draw(t, "signing"),
		KeyAgreementAlgorithms:      anyList.Draw(t, "agreement"),
		MacAlgorithms:               anyList.Draw(t, "mac"),
		MultiRegion:                 rapid.Bool().Draw(t, "multiRegion"),
		PendingDeletionWindowInDays: rapid.Int32().Draw(t, "window"),
		XksKeyID:                    anyString.Draw(t, "xks"),
		CurrentKeyMaterialID:        anyString.Draw(t, "material"),
	}
	if rapid.Bool().Draw(t, "mrk") {
		m.MultiRegionConfiguration = &engine.MultiRegionConfiguration{
			MultiRegionKeyType: keystore.MultiRegionKeyType(anyString.Draw(t, "mrkType")),
			PrimaryKey:         anyMultiRegionKey.Draw(t, "primary"),
			ReplicaKeys:        rapid.SliceOfN(anyMultiRegionKey, -1, 5).Draw(t, "replicas"),
		}
	}
	return m
})

// TestWritersMatchAwsjson holds each direct writer to awsjson.Marshal of
// the SDK output the conversion makes, byte for byte.
func TestWritersMatchAwsjson(t *testing.T) {
	// metadataOp's writer, for DescribeKey and CreateKey alike.
	metadata := func(b []byte, m *engine.KeyMetadata) []byte { return appendMetadataOutput(b, "KeyMetadata", m) }
	replicate := writerOf[engine.ReplicateKeyOutput]()
	if replicate == nil || len(writers) != 1 {
		t.Fatalf("writers has %d entries; ReplicateKey %t", len(writers), replicate != nil)
	}
	rapid.Check(t, func(t *rapid.T) {
		md := anyMetadata.Draw(t, "metadata")
		prefix := []byte("prefix")
		d := &engine.DescribeKeyOutput{KeyMetadata: md}
		got, want := metadata(prefix, &md), append(prefix, awsjson.Marshal(DescribeKeyOutput(d))...)
		if !bytes.Equal(got, want) {
			t.Fatalf("DescribeKey:\n got: %s\nwant: %s", got, want)
		}
		c := &engine.CreateKeyOutput{KeyMetadata: md}
		got, want = metadata(nil, &md), awsjson.Marshal(CreateKeyOutput(c))
		if !bytes.Equal(got, want) {
			t.Fatalf("CreateKey:\n got: %s\nwant: %s", got, want)
		}
		r := &engine.ReplicateKeyOutput{ReplicaKeyMetadata: md, ReplicaPolicy: anyString.Draw(t, "policy")}
		if rapid.Bool().Draw(t, "tagged") {
			r.ReplicaTags = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) keystore.Tag {
				return keystore.Tag{Key: anyString.Draw(t, "key"), Value: anyString.Draw(t, "value")}
			}), 0, 4).Draw(t, "tags")
		}
		got, want = replicate(nil, r), awsjson.Marshal(ReplicateKeyOutput(r))
		if !bytes.Equal(got, want) {
			t.Fatalf("ReplicateKey:\n got: %s\nwant: %s", got, want)
		}
	})
}

// TestAppendJSONMatchesCall checks that the registry's two paths give the
// same body for a real key, with and without a direct writer.
func TestAppendJSONMatchesCall(t *testing.T) {
	e := engine.New(engine.Config{})
	if err := e.CreateAccount(engine.AccountInput{ID: "111122223333", Partition: "aws"}); err != nil {
		t.Fatal(err)
	}
	c := engine.Caller{Account: "111122223333", Region: "us-east-1"}
	create, _ := Lookup("CreateKey")
	body, err := create.AppendJSON(nil, e, c, create.NewInput())
	if err != nil {
		t.Fatal(err)
	}
	id := bytes.Split(bytes.Split(body, []byte(`"KeyId":"`))[1], []byte(`"`))[0]
	for _, name := range []string{"DescribeKey", "GetKeyPolicy", "ListKeys"} {
		o, _ := Lookup(name)
		in := o.NewInput()
		if f := reflect.ValueOf(in).Elem().FieldByName("KeyId"); f.IsValid() {
			f.Set(reflect.ValueOf(&[]string{string(id)}[0]))
		}
		got, err := o.AppendJSON(nil, e, c, in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, err := o.Call(e, c, in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := awsjson.Marshal(out); !bytes.Equal(got, want) {
			t.Errorf("%s:\nAppendJSON: %s\n      Call: %s", name, got, want)
		}
	}
	// DescribeKey reads the metadata the engine lends; it must say what
	// the engine's own response says.
	direct, err := e.DescribeKey(c, engine.DescribeKeyInput{KeyID: string(id)})
	if err != nil {
		t.Fatal(err)
	}
	viewed, err := DescribeKey(e, c, engine.DescribeKeyInput{KeyID: string(id)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := awsjson.Marshal(viewed), awsjson.Marshal(DescribeKeyOutput(direct)); !bytes.Equal(got, want) {
		t.Errorf("DescribeKey through the view:\n got: %s\nwant: %s", got, want)
	}
}
