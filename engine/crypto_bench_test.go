package engine_test

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"testing"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmstest"
)

// The engine's Encrypt and Decrypt beside raw AES-256-GCM of the same
// bytes: the difference is the engine's frame (lock, authorization,
// event log) and the blob header.
func BenchmarkCrypto(b *testing.B) {
	for _, n := range []int{1024, 4096} {
		p := make([]byte, n)
		b.Run(fmt.Sprintf("Encrypt/%dB", n), func(b *testing.B) {
			env := kmstest.NewEnv(b, kmstest.WithConfig(engine.Config{EventLogLimit: 1024}))
			id := cryptoFamily(b, env)
			in := engine.EncryptInput{KeyID: id, Plaintext: p, EncryptionContext: map[string]string{"k": "v"}}
			c := env.Caller(cryptoHome)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := env.Engine.Encrypt(c, in); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("Decrypt/%dB", n), func(b *testing.B) {
			env := kmstest.NewEnv(b, kmstest.WithConfig(engine.Config{EventLogLimit: 1024}))
			id := cryptoFamily(b, env)
			ctx := map[string]string{"k": "v"}
			in := engine.DecryptInput{CiphertextBlob: encrypt(b, env, cryptoHome, id, p, ctx), EncryptionContext: ctx}
			c := env.Caller("us-west-2")
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := env.Engine.Decrypt(c, in); err != nil {
					b.Fatal(err)
				}
			}
		})
		key, iv := make([]byte, 32), make([]byte, 12)
		block, _ := aes.NewCipher(key)
		gcm, _ := cipher.NewGCM(block)
		b.Run(fmt.Sprintf("RawSeal/%dB", n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				_ = gcm.Seal(nil, iv, p, nil)
			}
		})
		b.Run(fmt.Sprintf("RawOpen/%dB", n), func(b *testing.B) {
			ct := gcm.Seal(nil, iv, p, nil)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := gcm.Open(nil, iv, ct, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("GenerateDataKey", func(b *testing.B) {
		env := kmstest.NewEnv(b, kmstest.WithConfig(engine.Config{EventLogLimit: 1024}))
		id := cryptoFamily(b, env)
		in := engine.GenerateDataKeyInput{KeyID: id, KeySpec: engine.AES256}
		c := env.Caller(cryptoHome)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := env.Engine.GenerateDataKey(c, in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
