package region_test

import (
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/kmsim/kmsim/region"
)

func TestIsKeyID(t *testing.T) {
	for _, tc := range []struct {
		s        string
		key, mrk bool
	}{
		{"1234abcd-12ab-34cd-56ef-1234567890ab", true, false},
		{"00000000-0000-0000-0000-000000000000", true, false},
		{"ffffffff-ffff-ffff-ffff-ffffffffffff", true, false},
		{"1234ABCD-12AB-34CD-56EF-1234567890AB", true, false},
		{"1234abcd-12AB-34cd-56EF-1234567890aB", true, false},
		{"mrk-1234abcd12ab34cd56ef1234567890ab", true, true},
		{"mrk-1234ABCD12AB34CD56EF1234567890AB", true, true},
		{"mrk-00000000000000000000000000000000", true, true},
		{"MRK-1234abcd12ab34cd56ef1234567890ab", false, false},
		{"mrk_1234abcd12ab34cd56ef1234567890ab", false, false},
		{"134f2428cec14b25a1ae9048164dba47", false, false},
		{"mrk-fake-key-id", false, false},
		{"fake-key-id", false, false},
		{"mrk-1234abcd12ab34cd56ef1234567890a", false, false},   // 31 hex
		{"mrk-1234abcd12ab34cd56ef1234567890abc", false, false}, // 33 hex
		{"mrk-1234abcd-12ab-34cd-56ef-1234567890ab", false, false},
		{"mrk-1234abcd12ab34cd56ef1234567890ag", false, false},
		{"1234abcd-12ab-34cd-56ef-1234567890a", false, false},
		{"1234abcd-12ab-34cd-56ef-1234567890abc", false, false},
		{"1234abcd-12ab-34cd-56ef-1234567890ag", false, false},
		{"1234abcd112ab-34cd-56ef-1234567890ab", false, false},
		{"1234abcd-12ab-34cd-56ef11234567890ab", false, false},
		{"1234abc-d12ab-34cd-56ef-1234567890ab", false, false},
		{"{234abcd-12ab-34cd-56ef-1234567890ab", false, false},
		{"1234abcd-12ab-34cd-56ef-1234567890a\xff", false, false},
		{"mrk-1234abcd12ab34cd56ef1234567890a\xff", false, false},
		{strings.Repeat("\xff", 36), false, false},
		{"mrk-" + strings.Repeat("\xc6", 32), false, false},
		{"alias/ExampleAlias", false, false},
		{"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", false, false},
		{"", false, false},
		{"mrk-", false, false},
	} {
		if got := region.IsKeyID(tc.s); got != tc.key {
			t.Errorf("IsKeyID(%q) = %v, want %v", tc.s, got, tc.key)
		}
		if got := region.IsMultiRegionKeyID(tc.s); got != tc.mrk {
			t.Errorf("IsMultiRegionKeyID(%q) = %v, want %v", tc.s, got, tc.mrk)
		}
	}
}

// seeded returns a deterministic random source.
func seeded(b byte) io.Reader { return rand.NewChaCha8([32]byte{b}) }

func TestNewKeyIDDeterministic(t *testing.T) {
	for _, mrk := range []bool{false, true} {
		r1, r2 := seeded(1), seeded(1)
		seen := map[string]bool{}
		for range 100 {
			a, err := region.NewKeyID(r1, mrk)
			if err != nil {
				t.Fatal(err)
			}
			b, err := region.NewKeyID(r2, mrk)
			if err != nil {
				t.Fatal(err)
			}
			if a != b {
				t.Fatalf("same seed gave %q and %q", a, b)
			}
			if seen[a] {
				t.Fatalf("repeated key ID %q", a)
			}
			seen[a] = true
		}
	}
	a, _ := region.NewKeyID(seeded(1), false)
	b, _ := region.NewKeyID(seeded(2), false)
	if a == b {
		t.Errorf("different seeds gave the same key ID %q", a)
	}
}

func TestNewKeyIDFormat(t *testing.T) {
	r := seeded(7)
	for range 1000 {
		id, err := region.NewKeyID(r, false)
		if err != nil {
			t.Fatal(err)
		}
		if !region.IsKeyID(id) || region.IsMultiRegionKeyID(id) || id != strings.ToLower(id) {
			t.Fatalf("single-Region key ID %q has the wrong form", id)
		}
		if id[14] != '4' {
			t.Fatalf("key ID %q: version nibble %c, want 4", id, id[14])
		}
		if !strings.ContainsRune("89ab", rune(id[19])) {
			t.Fatalf("key ID %q: variant nibble %c, want one of 89ab", id, id[19])
		}

		m, err := region.NewKeyID(r, true)
		if err != nil {
			t.Fatal(err)
		}
		if !region.IsKeyID(m) || !region.IsMultiRegionKeyID(m) || m != strings.ToLower(m) {
			t.Fatalf("multi-Region key ID %q has the wrong form", m)
		}
		// Hex digit 13 (index 12 after the prefix) is the version nibble.
		if m[4+12] != '4' || !strings.ContainsRune("89ab", rune(m[4+16])) {
			t.Fatalf("multi-Region key ID %q: bad version or variant", m)
		}
	}
}

func TestNewKeyIDSameBytes(t *testing.T) {
	// The same 16 bytes give the same digits in both forms.
	id, err := region.NewKeyID(seeded(3), false)
	if err != nil {
		t.Fatal(err)
	}
	m, err := region.NewKeyID(seeded(3), true)
	if err != nil {
		t.Fatal(err)
	}
	if want := "mrk-" + strings.ReplaceAll(id, "-", ""); m != want {
		t.Errorf("NewKeyID(mrk) = %q, want %q", m, want)
	}
	// Fixed input bytes give a fixed ID.
	src := strings.NewReader("\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff")
	if id, _ := region.NewKeyID(src, false); id != "00112233-4455-4677-8899-aabbccddeeff" {
		t.Errorf("NewKeyID(fixed bytes) = %q", id)
	}
}

func TestNewKeyIDNilReader(t *testing.T) {
	id, err := region.NewKeyID(nil, true)
	if err != nil || !region.IsMultiRegionKeyID(id) {
		t.Errorf("NewKeyID(nil, true) = %q, %v", id, err)
	}
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

func TestNewKeyIDReadError(t *testing.T) {
	boom := errors.New("boom")
	id, err := region.NewKeyID(failingReader{boom}, false)
	if !errors.Is(err, boom) || id != "" {
		t.Errorf("NewKeyID(failing reader) = %q, %v; want an error wrapping %v", id, err, boom)
	}
	id, err = region.NewKeyID(strings.NewReader("short"), true)
	if !errors.Is(err, io.ErrUnexpectedEOF) || id != "" {
		t.Errorf("NewKeyID(short reader) = %q, %v; want io.ErrUnexpectedEOF", id, err)
	}
	id, err = region.NewKeyID(strings.NewReader(""), true)
	if !errors.Is(err, io.EOF) || id != "" {
		t.Errorf("NewKeyID(empty reader) = %q, %v; want io.EOF", id, err)
	}
}
