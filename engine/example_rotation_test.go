package engine_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmstest"
)

func ExampleEngine_RotateKeyOnDemand() {
	clock := kmstest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	e := engine.New(engine.Config{Clock: clock, Rand: rand.NewChaCha8([32]byte{1})})
	if err := e.CreateAccount(engine.AccountInput{ID: "111122223333"}); err != nil {
		panic(err)
	}
	us := engine.Caller{Account: "111122223333", Region: "us-east-1"}
	eu := engine.Caller{Account: "111122223333", Region: "eu-west-1"}
	key, err := e.CreateKey(us, engine.CreateKeyInput{MultiRegion: true})
	if err != nil {
		panic(err)
	}
	id := key.KeyMetadata.KeyID
	if _, err := e.ReplicateKey(us, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1"}); err != nil {
		panic(err)
	}
	clock.Advance(engine.DefaultCreatingDelay)
	old, err := e.Encrypt(us, engine.EncryptInput{KeyID: id, Plaintext: []byte("written before the rotation")})
	if err != nil {
		panic(err)
	}

	// Rotation happens on the primary and in the background.
	if _, err := e.RotateKeyOnDemand(us, engine.RotateKeyOnDemandInput{KeyID: id}); err != nil {
		panic(err)
	}
	st, _ := e.GetKeyRotationStatus(eu, engine.GetKeyRotationStatusInput{KeyID: id})
	fmt.Println("rotating since:", st.OnDemandRotationStartDate.Format(time.TimeOnly))
	clock.Advance(engine.OnDemandRotationDelay)

	// The replica has the new version and still decrypts the old one.
	list, _ := e.ListKeyRotations(eu, engine.ListKeyRotationsInput{KeyID: id, IncludeKeyMaterial: engine.AllKeyMaterial})
	for _, r := range list.Rotations {
		fmt.Println(r.KeyMaterialState, r.RotationType, r.RotationDate.Format(time.TimeOnly))
	}
	dec, err := e.Decrypt(eu, engine.DecryptInput{CiphertextBlob: old.CiphertextBlob})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s\n", dec.Plaintext)
	// Output:
	// rotating since: 00:00:05
	// NON_CURRENT  00:00:00
	// CURRENT ON_DEMAND 00:00:10
	// written before the rotation
}
