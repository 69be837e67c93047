package kmshttp

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// awsJson1.1 sends timestamps as epoch seconds, which encoding/json alone
// cannot read into a time.Time.
func TestDecodeInputEpochSeconds(t *testing.T) {
	for body, want := range map[string]time.Time{
		`{"KeyId":"k","ValidTo":1767225600}`:        time.Unix(1767225600, 0).UTC(),
		`{"KeyId":"k","ValidTo":1767225600.25}`:     time.Unix(1767225600, 250_000_000).UTC(),
		`{"KeyId":"k","ValidTo":1767225600.000001}`: time.Unix(1767225600, 1000).UTC(),
	} {
		var in kms.ImportKeyMaterialInput
		if err := decodeInput([]byte(body), &in); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if in.ValidTo == nil || !in.ValidTo.Equal(want) {
			t.Errorf("%s: ValidTo %v, want %v", body, in.ValidTo, want)
		}
	}
	var in kms.ImportKeyMaterialInput
	if err := decodeInput([]byte(`{"ValidTo":"soon"}`), &in); err == nil {
		t.Error("a string timestamp decoded")
	}
}
