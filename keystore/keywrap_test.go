package keystore_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/kmsim/kmsim/keystore"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The test vectors of RFC 3394 §4 and RFC 5649 §6.
func TestKeyWrapVectors(t *testing.T) {
	tests := []struct {
		name, kek, data, wrapped string
		pad                      bool
	}{
		{"3394/4.1", "000102030405060708090A0B0C0D0E0F", "00112233445566778899AABBCCDDEEFF",
			"1FA68B0A8112B447 AEF34BD8FB5A7B82 9D3E862371D2CFE5", false},
		{"3394/4.2", "000102030405060708090A0B0C0D0E0F1011121314151617", "00112233445566778899AABBCCDDEEFF",
			"96778B25AE6CA435 F92B5B97C050AED2 468AB8A17AD84E5D", false},
		{"3394/4.6", "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
			"00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F",
			"28C9F404C4B810F4 CBCCB35CFB87F826 3F5786E2D80ED326 CBC7F0E71A99F43B FB988B9B7A02DD21", false},
		{"5649/20", "5840df6e29b02af1 ab493b705bf16ea1 ae8338f4dcc176a8", "c37b7e6492584340 bed1220780894115 5068f738",
			"138bdeaa9b8fa7fc 61f97742e72248ee 5ae6ae5360d1ae6a 5f54f373fa543b6a", true},
		{"5649/7", "5840df6e29b02af1 ab493b705bf16ea1 ae8338f4dcc176a8", "466f7250617369",
			"afbeb0f07dfbf541 9200f2ccb50bb24f", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kek, data, want := unhex(t, tc.kek), unhex(t, tc.data), unhex(t, tc.wrapped)
			wrap, unwrap := keystore.KeyWrap, keystore.KeyUnwrap
			if tc.pad {
				wrap, unwrap = keystore.KeyWrapPad, keystore.KeyUnwrapPad
			}
			got, err := wrap(kek, data)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("wrap = %x, %v; want %x", got, err, want)
			}
			back, err := unwrap(kek, want)
			if err != nil || !bytes.Equal(back, data) {
				t.Fatalf("unwrap = %x, %v; want %x", back, err, data)
			}
			bad := bytes.Clone(want)
			bad[len(bad)-1] ^= 1
			if _, err := unwrap(kek, bad); !errors.Is(err, keystore.ErrKeyWrap) {
				t.Fatalf("unwrap of a damaged wrapping: %v", err)
			}
		})
	}
}

// KeyUnwrapPad(KeyWrapPad(p)) = p, and nothing else unwraps.
func TestKeyWrapPadRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		kek := rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "kek")
		p := rapid.SliceOfN(rapid.Byte(), 1, 200).Draw(t, "plaintext")
		w, err := keystore.KeyWrapPad(kek, p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := keystore.KeyUnwrapPad(kek, w)
		if err != nil || !bytes.Equal(got, p) {
			t.Fatalf("round trip: %x, %v", got, err)
		}
		i := rapid.IntRange(0, len(w)-1).Draw(t, "flip")
		w[i] ^= 0x80
		if _, err := keystore.KeyUnwrapPad(kek, w); !errors.Is(err, keystore.ErrKeyWrap) {
			t.Fatalf("a flipped bit unwrapped: %v", err)
		}
		if _, err := keystore.KeyUnwrapPad(kek, w[:len(w)-8]); err == nil && len(w) > 16 {
			t.Fatal("a truncated wrapping unwrapped")
		}
	})
}
