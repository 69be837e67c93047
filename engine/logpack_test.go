package engine

import (
	"encoding/binary"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"pgregory.net/rapid"

	"github.com/kmsim/kmsim/keystore"
)

// roundTrip logs in the way the engine logs it and reads it back as
// Events does.
func roundTrip[In logPacker](in In) any {
	var cl call
	var ev Event
	logPacked(&cl, &ev, in)
	if ev.unpack == nil { // declined, logged boxed
		return ev.RequestParameters
	}
	return ev.unpack(&logReader{b: ev.packed})
}

// checkRoundTrip draws inputs of one packed type and checks that the log
// gives each back as it was, without the fields it must not keep.
func checkRoundTrip[In logPacker](t *testing.T, secretless func(In) In) {
	t.Run(reflect.TypeFor[In]().Name(), func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) {
			in := rapid.Make[In]().Draw(t, "in")
			if got, want := roundTrip(in), secretless(in); !reflect.DeepEqual(got, want) {
				t.Fatalf("logged %#v\nread back %#v", want, got)
			}
		})
	})
}

func TestPackedInputsRoundTrip(t *testing.T) {
	checkRoundTrip(t, func(in DescribeKeyInput) DescribeKeyInput { return in })
	checkRoundTrip(t, func(in GetPublicKeyInput) GetPublicKeyInput { return in })
	checkRoundTrip(t, func(in SignInput) SignInput { in.Message = nil; return in })
	checkRoundTrip(t, func(in VerifyInput) VerifyInput { in.Message, in.Signature = nil, nil; return in })
	checkRoundTrip(t, func(in GenerateMacInput) GenerateMacInput { in.Message = nil; return in })
	checkRoundTrip(t, func(in VerifyMacInput) VerifyMacInput { in.Message, in.Mac = nil, nil; return in })
	checkRoundTrip(t, func(in EncryptInput) EncryptInput { in.Plaintext = nil; return in })
	checkRoundTrip(t, func(in DecryptInput) DecryptInput { in.CiphertextBlob = nil; return in })
	checkRoundTrip(t, func(in ReEncryptInput) ReEncryptInput { in.CiphertextBlob = nil; return in })
	checkRoundTrip(t, func(in GenerateDataKeyInput) GenerateDataKeyInput { return in })
	checkRoundTrip(t, func(in GenerateDataKeyWithoutPlaintextInput) GenerateDataKeyWithoutPlaintextInput { return in })
	checkRoundTrip(t, func(in GenerateDataKeyPairInput) GenerateDataKeyPairInput { return in })
	checkRoundTrip(t, func(in GenerateDataKeyPairWithoutPlaintextInput) GenerateDataKeyPairWithoutPlaintextInput {
		return in
	})
	checkRoundTrip(t, func(in CreateKeyInput) CreateKeyInput { return in })
	checkRoundTrip(t, func(in ReplicateKeyInput) ReplicateKeyInput { return in })
}

// Nil and empty contexts, grant-token and tag lists are different requests
// (one sent the member, one did not) and are logged apart.
func TestPackedInputsKeepNilApartFromEmpty(t *testing.T) {
	for _, in := range []DescribeKeyInput{{KeyID: "k"}, {KeyID: "k", GrantTokens: []string{}}, {GrantTokens: []string{"t"}}} {
		if got := roundTrip(in); !reflect.DeepEqual(got, in) {
			t.Errorf("logged %#v, read back %#v", in, got)
		}
	}
	for _, in := range []EncryptInput{
		{KeyID: "k"},
		{KeyID: "k", EncryptionContext: map[string]string{}, GrantTokens: []string{}},
		{KeyID: "k", EncryptionContext: map[string]string{"": ""}, GrantTokens: []string{""}},
	} {
		if got := roundTrip(in); !reflect.DeepEqual(got, in) {
			t.Errorf("logged %#v, read back %#v", in, got)
		}
	}
	for _, in := range []CreateKeyInput{{}, {Tags: []keystore.Tag{}}, {Tags: []keystore.Tag{{}}}} {
		if got := roundTrip(in); !reflect.DeepEqual(got, in) {
			t.Errorf("logged %#v, read back %#v", in, got)
		}
	}
}

// A damaged packed input (which the engine never makes) reads back as
// something, never a panic or a huge allocation.
func TestLogReaderToleratesDamage(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := string(rapid.SliceOf(rapid.Byte()).Draw(t, "packed"))
		unpackers := []logUnpacker{unpackEncrypt, unpackDecrypt, unpackReEncrypt, unpackSign, unpackVerify}
		// The other readers are returned by their packLog.
		var w logWriter
		for _, p := range []logPacker{
			DescribeKeyInput{GrantTokens: []string{}}, GetPublicKeyInput{GrantTokens: []string{}},
			GenerateMacInput{}, VerifyMacInput{}, GenerateDataKeyInput{}, GenerateDataKeyWithoutPlaintextInput{},
			GenerateDataKeyPairInput{}, GenerateDataKeyPairWithoutPlaintextInput{},
			CreateKeyInput{}, ReplicateKeyInput{},
		} {
			unpackers = append(unpackers, p.packLog(&w))
		}
		for _, unpack := range unpackers {
			_ = unpack(&logReader{b: b})
		}
	})
}

// uvarint reads what binary.Uvarint reads, from a string.
func TestUvarintMatchesBinary(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := rapid.SliceOfN(rapid.Byte(), 0, 12).Draw(t, "b")
		if rapid.Bool().Draw(t, "valid") {
			b = binary.AppendUvarint(nil, rapid.Uint64().Draw(t, "n"))
		}
		n, size := uvarint(string(b))
		wantN, wantSize := binary.Uvarint(b)
		if n != wantN || (size > 0) != (wantSize > 0) || (size > 0 && size != wantSize) {
			t.Fatalf("uvarint(%x) = %d, %d; binary.Uvarint = %d, %d", b, n, size, wantN, wantSize)
		}
	})
}

// An input the log packs is packed, never boxed with its plaintext, also
// when its operation is run through run rather than runPacked.
func TestLogBoxedPacksPackers(t *testing.T) {
	in := EncryptInput{KeyID: "k", Plaintext: []byte("secret"), EncryptionContext: map[string]string{"a": "b"}}
	var cl call
	var ev Event
	logBoxed(&cl, &ev, in)
	if ev.RequestParameters != nil || ev.unpack == nil {
		t.Fatalf("logged %#v boxed, want it packed", ev.RequestParameters)
	}
	if strings.Contains(ev.packed, "secret") {
		t.Fatalf("packed input %q holds the plaintext", ev.packed)
	}
	want := in
	want.Plaintext = nil
	if got := ev.unpack(&logReader{b: ev.packed}); !reflect.DeepEqual(got, want) {
		t.Fatalf("read back %#v, want %#v", got, want)
	}
}

// A logged request lets go of the HTTP body its strings are slices of
// (kmsmodel parses them so): the event keeps copies, not the body with
// its message, signature or wrapped key material.
func TestLoggedInputsLetGoOfTheBody(t *testing.T) {
	body := strings.Repeat("x", 4096) + "1234abcd-12ab-34cd-56ef-1234567890ab" + "RSASSA_PSS_SHA_256"
	keyID, alg := body[4096:4096+36], body[4096+36:]
	inBody := func(s string) bool {
		p, start := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(body)))
		return len(s) > 0 && p >= start && p < start+uintptr(len(body))
	}
	var cl call
	var ev Event
	logPacked(&cl, &ev, SignInput{KeyID: keyID, Message: []byte(body[:4096]), SigningAlgorithm: alg})
	if inBody(ev.packed) {
		t.Error("the packed Sign input shares the request body")
	}
	logged := ImportKeyMaterialInput{KeyID: keyID, ImportType: alg, KeyMaterialDescription: alg, KeyMaterialID: alg}.logCopy().(ImportKeyMaterialInput)
	for _, s := range []string{logged.KeyID, logged.ImportType, logged.KeyMaterialDescription, logged.KeyMaterialID} {
		if inBody(s) {
			t.Errorf("the logged ImportKeyMaterial input keeps %q, a slice of the request body", s)
		}
	}
}

// A CreateKey or ReplicateKey request with a policy is logged boxed: the
// event shares the policy string the new key keeps instead of copying up
// to 32 KB, has its own copy of the tag list, and lets go of the request
// body its other strings are slices of.
func TestPolicyRequestsAreLoggedBoxed(t *testing.T) {
	policy := strings.Repeat("p", 32<<10)
	body := strings.Repeat("x", 4096) + "description" + "team"
	desc, tagKey := body[4096:4096+11], body[4096+11:]
	inBody := func(s string) bool {
		p, start := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(body)))
		return len(s) > 0 && p >= start && p < start+uintptr(len(body))
	}
	tags := []keystore.Tag{{Key: tagKey, Value: "v"}}
	for _, in := range []logPacker{
		CreateKeyInput{Policy: policy, Description: desc, Tags: tags},
		ReplicateKeyInput{KeyID: "k", Policy: policy, Description: desc, Tags: tags},
	} {
		var cl call
		var ev Event
		logPacked(&cl, &ev, in)
		if ev.unpack != nil || ev.packed != "" {
			t.Fatalf("%T with a policy was packed", in)
		}
		var logged, loggedDesc string
		var loggedTags []keystore.Tag
		switch v := ev.RequestParameters.(type) {
		case CreateKeyInput:
			logged, loggedDesc, loggedTags = v.Policy, v.Description, v.Tags
		case ReplicateKeyInput:
			logged, loggedDesc, loggedTags = v.Policy, v.Description, v.Tags
		default:
			t.Fatalf("logged %T", v)
		}
		if loggedDesc != desc || inBody(loggedDesc) || inBody(loggedTags[0].Key) {
			t.Errorf("%T: logged description %q or tag key still points into the body", in, loggedDesc)
		}
		if unsafe.StringData(logged) != unsafe.StringData(policy) {
			t.Errorf("%T: the event copied the policy", in)
		}
		if &loggedTags[0] == &tags[0] || !reflect.DeepEqual(loggedTags, tags) {
			t.Errorf("%T: logged tags %v share the caller's slice or differ", in, loggedTags)
		}
	}
}
