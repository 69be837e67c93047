package region_test

import (
	"math/rand/v2"
	"testing"

	"github.com/kmsim/kmsim/region"
)

func BenchmarkIsKeyID(b *testing.B) {
	for _, tc := range []struct{ name, s string }{
		{"uuid", "1234abcd-12ab-34cd-56ef-1234567890ab"},
		{"mrk", "mrk-1234abcd12ab34cd56ef1234567890ab"},
		{"invalid", "mrk-fake-key-id"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				region.IsKeyID(tc.s)
			}
		})
	}
}

func BenchmarkValidCode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		region.ValidCode("ap-southeast-7")
	}
}

func BenchmarkLookup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		region.Lookup("ap-southeast-7")
	}
}

func BenchmarkPartitionFor(b *testing.B) {
	for _, tc := range []struct {
		name string
		id   region.ID
	}{
		{"known", "cn-north-1"},
		{"unknown", "us-isob-x-1"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				region.PartitionFor(tc.id)
			}
		})
	}
}

func BenchmarkKeyARN(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		region.KeyARN("aws", "us-west-2", "111122223333", "mrk-1234abcd12ab34cd56ef1234567890ab")
	}
}

func BenchmarkParseARN(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		region.ParseARN("arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab")
	}
}

func BenchmarkNewKeyID(b *testing.B) {
	for _, mrk := range []bool{false, true} {
		name := "single"
		if mrk {
			name = "multi"
		}
		b.Run(name, func(b *testing.B) {
			r := rand.NewChaCha8([32]byte{1})
			b.ReportAllocs()
			for b.Loop() {
				if _, err := region.NewKeyID(r, mrk); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
