package engine

import (
	"reflect"
	"testing"
	"time"
)

// The record a CreateKey event keeps holds values only: strings, a time
// and a flag. A pointer into the keystore would keep a deleted key's
// records and material alive for as long as the log keeps the event.
func TestKeyCreatedKeepsNoKeyRecord(t *testing.T) {
	typ := reflect.TypeFor[keyCreated]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		switch {
		case f.Type == reflect.TypeFor[time.Time]():
		case f.Type.Kind() == reflect.String, f.Type.Kind() == reflect.Bool:
		default:
			t.Errorf("keyCreated.%s is a %s", f.Name, f.Type)
		}
	}
}
