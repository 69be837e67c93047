package kmsmodel

import (
	"strings"
	"testing"
)

// TestTakeBlob checks that Parse keeps the decoded bytes of Blob members,
// and only of those, and hands them out once.
func TestTakeBlob(t *testing.T) {
	r, err := Parse("Encrypt", []byte(`{"KeyId":"k","Plaintext":"aGVsbG8=","EncryptionContext":{"a":"aGVsbG8="}}`))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Free()
	root := r.Root()
	b, ok := root.member("Plaintext").TakeBlob()
	if !ok || string(b) != "hello" {
		t.Fatalf("TakeBlob = %q, %t; want hello, true", b, ok)
	}
	if b, ok := root.member("Plaintext").TakeBlob(); ok {
		t.Errorf("second TakeBlob = %q, true; want false", b)
	}
	for _, v := range []Value{root.member("KeyId"), root.member("EncryptionContext").member("a"), root, {}} {
		if b, ok := v.TakeBlob(); ok {
			t.Errorf("TakeBlob of a %v that is no Blob = %q, true", v.Kind(), b)
		}
	}
}

// TestTakeBlobEmpty checks that an empty Blob gives an empty, non-nil
// slice, as encoding/json decodes "". Every Blob of the model has a
// minimum length of 1, so only the validator's own step can see one.
func TestTakeBlobEmpty(t *testing.T) {
	r, err := parseBody([]byte(`{"a":""}`))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Free()
	a := r.Root().member("a")
	v := validator{r: r}
	if n, err := v.blob(a); n != 0 || err != nil {
		t.Fatalf("blob = %d, %v", n, err)
	}
	b, ok := a.TakeBlob()
	if !ok || b == nil || len(b) != 0 {
		t.Fatalf("TakeBlob = %#v, %t; want []byte{}, true", b, ok)
	}
}

// TestFreedRequestReuse checks that what a caller took from a freed
// Request survives the next Parse, which reuses its arrays, and that
// failed Parses leave nothing behind that spoils later ones.
func TestFreedRequestReuse(t *testing.T) {
	first := `{"KeyId":"aaaa","Plaintext":"aGVsbG8=","EncryptionContext":{"k1":"v1"}}`
	r, err := Parse("Encrypt", []byte(first))
	if err != nil {
		t.Fatal(err)
	}
	id := r.Root().member("KeyId").Text()
	key := ""
	for k := range r.Root().member("EncryptionContext").Members() {
		key = k
	}
	blob, _ := r.Root().member("Plaintext").TakeBlob()
	r.Free()

	bad := []string{`{"KeyId":`, `[1]`, `{"KeyId":"` + strings.Repeat("x", 3000) + `","Plaintext":"AA==","EncryptionContext":{"` + strings.Repeat("y", 5000) + `":1}}`}
	for _, body := range bad {
		if _, err := Parse("Encrypt", []byte(body)); err == nil {
			t.Fatalf("%.40s...: no error", body)
		}
	}
	for range 8 {
		r, err := Parse("Encrypt", []byte(`{"KeyId":"zzzz","Plaintext":"d29ybGQ=","EncryptionContext":{"k2":"v2"}}`))
		if err != nil {
			t.Fatal(err)
		}
		b, ok := r.Root().member("Plaintext").TakeBlob()
		if !ok || string(b) != "world" {
			t.Fatalf("TakeBlob after reuse = %q, %t", b, ok)
		}
		r.Free()
	}
	if id != "aaaa" || key != "k1" || string(blob) != "hello" {
		t.Errorf("after reuse: KeyId %q, context key %q, Plaintext %q; want aaaa, k1, hello", id, key, blob)
	}
	// A violation's path is built in the pooled buffer: it must start
	// empty whatever the last request left there.
	err = Validate("Encrypt", []byte(`{"KeyId":"","Plaintext":"AA=="}`))
	if err == nil || !strings.Contains(err.Error(), "at 'keyId'") {
		t.Errorf("Validate = %v; want a violation at 'keyId'", err)
	}
}
