package engine_test

import (
	"crypto/sha512"
	"testing"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
)

func BenchmarkSign(b *testing.B) {
	s := signingKeys(b)
	c := s.env.Caller(cryptoHome)
	msg := []byte("benchmark message")
	ph := sha512.Sum512(msg)
	for _, tc := range []struct {
		spec keystore.KeySpec
		alg  string
	}{
		{keystore.RSA2048, engine.RSASSAPSSSHA256}, {keystore.RSA4096, engine.RSASSAPKCS1V15SHA512},
		{keystore.ECCNISTP256, engine.ECDSASHA256}, {keystore.ECCSECGP256K1, engine.ECDSASHA256},
		{keystore.ECCNISTEdwards25519, engine.ED25519PHSHA512}, {keystore.MLDSA65, engine.MLDSASHAKE256},
	} {
		in := engine.SignInput{KeyID: s.keys[tc.spec], Message: msg, SigningAlgorithm: tc.alg}
		if tc.alg == engine.ED25519PHSHA512 {
			in.Message, in.MessageType = ph[:], engine.MessageDigest
		}
		b.Run(string(tc.spec)+"/"+tc.alg, func(b *testing.B) {
			// Material is made on first use; keep its generation (seconds
			// for RSA_4096) out of the figure.
			if _, err := s.env.Engine.Sign(c, in); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.env.Engine.Sign(c, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
