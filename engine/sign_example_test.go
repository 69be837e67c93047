package engine_test

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
)

// A signature made by Sign verifies with Verify and, outside KMS, with
// the public key GetPublicKey returns.
func ExampleEngine_Sign() {
	e := engine.New(engine.Config{Clock: kmstest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), Rand: rand.NewChaCha8([32]byte{1})})
	if err := e.CreateAccount(engine.AccountInput{ID: "111122223333"}); err != nil {
		panic(err)
	}
	c := engine.Caller{Account: "111122223333", Region: "us-east-1"}
	key, _ := e.CreateKey(c, engine.CreateKeyInput{KeySpec: keystore.ECCNISTP256, KeyUsage: keystore.SignVerify})
	msg := []byte("release 1.0")
	sig, _ := e.Sign(c, engine.SignInput{KeyID: key.KeyMetadata.KeyID, Message: msg, SigningAlgorithm: engine.ECDSASHA256})
	v, _ := e.Verify(c, engine.VerifyInput{KeyID: key.KeyMetadata.KeyID, Message: msg, Signature: sig.Signature, SigningAlgorithm: engine.ECDSASHA256})
	fmt.Println("Verify:", v.SignatureValid)

	pk, _ := e.GetPublicKey(c, engine.GetPublicKeyInput{KeyID: key.KeyMetadata.KeyID})
	pub, _ := x509.ParsePKIXPublicKey(pk.PublicKey)
	digest := sha256.Sum256(msg)
	fmt.Println("crypto/ecdsa:", ecdsa.VerifyASN1(pub.(*ecdsa.PublicKey), digest[:], sig.Signature))

	_, err := e.Verify(c, engine.VerifyInput{KeyID: key.KeyMetadata.KeyID, Message: []byte("release 1.1"), Signature: sig.Signature, SigningAlgorithm: engine.ECDSASHA256})
	fmt.Println(err)
	// Output:
	// Verify: true
	// crypto/ecdsa: true
	// KMSInvalidSignatureException
}
