package engine_test

import (
	"bytes"
	"maps"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// This file holds the rapid properties of the symmetric cryptographic
// operations over random multi-Region families. Helpers carry the prefix
// "prop".

// propRegions are Regions every account can use without opting in.
var propRegions = []region.ID{"us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1",
	"ap-northeast-1", "ap-southeast-2", "sa-east-1", "ca-central-1"}

// propFamily is a random family: a primary and 1..4 settled replicas.
type propFamily struct {
	env     *kmstest.Env
	id      string
	regions []region.ID // primary first
}

// tb is the enclosing test, which kmstest.NewEnv needs; *rapid.T is not
// a testing.TB.
func propNewFamily(tb testing.TB, t *rapid.T) *propFamily {
	regions := rapid.Permutation(propRegions).Draw(t, "regions")
	n := rapid.IntRange(2, 5).Draw(t, "related keys")
	f := &propFamily{env: kmstest.NewEnv(tb, kmstest.Seed(rapid.Uint64().Draw(t, "seed"))), regions: regions[:n]}
	out, err := f.env.Engine.CreateKey(f.env.Caller(f.regions[0]), engine.CreateKeyInput{MultiRegion: true})
	if err != nil {
		t.Fatal(err)
	}
	f.id = out.KeyMetadata.KeyID
	for _, r := range f.regions[1:] {
		if _, err := f.env.Engine.ReplicateKey(f.env.Caller(f.regions[0]), engine.ReplicateKeyInput{KeyID: f.id, ReplicaRegion: r}); err != nil {
			t.Fatal(err)
		}
	}
	f.env.Settle()
	return f
}

func (f *propFamily) region(t *rapid.T, label string) region.ID {
	return rapid.SampledFrom(f.regions).Draw(t, label)
}

func propContext(t *rapid.T, label string) map[string]string {
	return rapid.MapOfN(rapid.String(), rapid.String(), 0, 4).Draw(t, label)
}

// propOtherContext returns a context that differs from ctx by one added,
// removed or changed pair.
func propOtherContext(t *rapid.T, ctx map[string]string) map[string]string {
	other := maps.Clone(ctx)
	if other == nil {
		other = map[string]string{}
	}
	keys := slices.Sorted(maps.Keys(ctx))
	kinds := []string{"add"}
	if len(keys) > 0 {
		kinds = append(kinds, "remove", "change")
	}
	switch rapid.SampledFrom(kinds).Draw(t, "change kind") {
	case "add":
		k := rapid.String().Filter(func(s string) bool { _, ok := ctx[s]; return !ok }).Draw(t, "added key")
		other[k] = rapid.String().Draw(t, "added value")
	case "remove":
		delete(other, rapid.SampledFrom(keys).Draw(t, "removed key"))
	case "change":
		k := rapid.SampledFrom(keys).Draw(t, "changed key")
		other[k] = rapid.String().Filter(func(s string) bool { return s != ctx[k] }).Draw(t, "new value")
	}
	return other
}

func propIsInvalidCiphertext(err error) bool {
	ic, ok := err.(*kmserrors.InvalidCiphertextException)
	return ok && ic.Message == ""
}

// Decrypt(Encrypt(p, ctx), ctx) = p for every related key, and any other
// context fails with InvalidCiphertextException.
func TestPropEncryptDecrypt(t *testing.T) {
	tb := t
	rapid.Check(t, func(t *rapid.T) {
		f := propNewFamily(tb, t)
		p := rapid.SliceOfN(rapid.Byte(), 1, 4096).Draw(t, "plaintext")
		ctx := propContext(t, "context")
		maker := f.region(t, "maker")
		enc, err := f.env.Engine.Encrypt(f.env.Caller(maker), engine.EncryptInput{KeyID: f.id, Plaintext: p, EncryptionContext: ctx})
		if err != nil {
			t.Fatal(err)
		}
		if len(enc.CiphertextBlob) > 6144 {
			t.Fatalf("ciphertext of %d bytes exceeds 6144", len(enc.CiphertextBlob))
		}
		for _, r := range f.regions {
			out, err := f.env.Engine.Decrypt(f.env.Caller(r), engine.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ctx})
			if err != nil {
				t.Fatalf("%s: %v", r, err)
			}
			if !bytes.Equal(out.Plaintext, p) {
				t.Fatalf("%s: round trip changed the plaintext", r)
			}
			if want := chkARN(r, f.id); out.KeyID != want {
				t.Fatalf("%s: decrypted by %s, want %s", r, out.KeyID, want)
			}
		}
		other := propOtherContext(t, ctx)
		d := f.region(t, "decrypter")
		_, err = f.env.Engine.Decrypt(f.env.Caller(d), engine.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: other})
		if !propIsInvalidCiphertext(err) {
			t.Fatalf("context %q instead of %q: got %v, want InvalidCiphertextException", other, ctx, err)
		}
	})
}

// ReEncrypt keeps the plaintext and moves the ciphertext to the
// destination key: afterwards only the destination's family opens it,
// and only with the destination context.
func TestPropReEncrypt(t *testing.T) {
	tb := t
	rapid.Check(t, func(t *rapid.T) {
		f := propNewFamily(tb, t)
		p := rapid.SliceOfN(rapid.Byte(), 1, 4096).Draw(t, "plaintext")
		srcCtx, dstCtx := propContext(t, "source context"), propContext(t, "destination context")
		maker, r := f.region(t, "maker"), f.region(t, "re-encrypter")
		enc, err := f.env.Engine.Encrypt(f.env.Caller(maker), engine.EncryptInput{KeyID: f.id, Plaintext: p, EncryptionContext: srcCtx})
		if err != nil {
			t.Fatal(err)
		}
		dst := f.id
		toOther := rapid.Bool().Draw(t, "to an unrelated key")
		if toOther {
			out, err := f.env.Engine.CreateKey(f.env.Caller(r), engine.CreateKeyInput{})
			if err != nil {
				t.Fatal(err)
			}
			dst = out.KeyMetadata.KeyID
		}
		re, err := f.env.Engine.ReEncrypt(f.env.Caller(r), engine.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: srcCtx,
			DestinationKeyID: dst, DestinationEncryptionContext: dstCtx})
		if err != nil {
			t.Fatal(err)
		}
		if re.SourceKeyID != chkARN(r, f.id) || re.KeyID != chkARN(r, dst) {
			t.Fatalf("source %s, destination %s", re.SourceKeyID, re.KeyID)
		}
		out, err := f.env.Engine.Decrypt(f.env.Caller(r), engine.DecryptInput{CiphertextBlob: re.CiphertextBlob, EncryptionContext: dstCtx})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Plaintext, p) || out.KeyID != chkARN(r, dst) || out.KeyMaterialID != re.DestinationKeyMaterialID {
			t.Fatalf("re-encrypted ciphertext decrypts to %d bytes under %s", len(out.Plaintext), out.KeyID)
		}
		if toOther {
			// The family no longer opens it anywhere.
			_, err := f.env.Engine.Decrypt(f.env.Caller(r), engine.DecryptInput{CiphertextBlob: re.CiphertextBlob, EncryptionContext: dstCtx, KeyID: f.id})
			if _, ok := err.(*kmserrors.IncorrectKeyException); !ok {
				t.Fatalf("family key on the new ciphertext: %v", err)
			}
		} else {
			d := f.region(t, "decrypter")
			out, err := f.env.Engine.Decrypt(f.env.Caller(d), engine.DecryptInput{CiphertextBlob: re.CiphertextBlob, EncryptionContext: dstCtx})
			if err != nil || !bytes.Equal(out.Plaintext, p) {
				t.Fatalf("%s: %v", d, err)
			}
		}
		_, err = f.env.Engine.Decrypt(f.env.Caller(r), engine.DecryptInput{CiphertextBlob: re.CiphertextBlob, EncryptionContext: propOtherContext(t, dstCtx)})
		if !propIsInvalidCiphertext(err) {
			t.Fatalf("another destination context: got %v", err)
		}
	})
}

// GenerateDataKey's ciphertext decrypts, with any related key, to the
// plaintext data key it returned.
func TestPropGenerateDataKey(t *testing.T) {
	tb := t
	rapid.Check(t, func(t *rapid.T) {
		f := propNewFamily(tb, t)
		ctx := propContext(t, "context")
		in := engine.GenerateDataKeyInput{KeyID: f.id, EncryptionContext: ctx}
		want := 0
		switch rapid.IntRange(0, 2).Draw(t, "size form") {
		case 0:
			in.KeySpec, want = engine.AES256, 32
		case 1:
			in.KeySpec, want = engine.AES128, 16
		default:
			in.NumberOfBytes = rapid.IntRange(1, 1024).Draw(t, "bytes")
			want = in.NumberOfBytes
		}
		maker, d := f.region(t, "maker"), f.region(t, "decrypter")
		gdk, err := f.env.Engine.GenerateDataKey(f.env.Caller(maker), in)
		if err != nil {
			t.Fatal(err)
		}
		if len(gdk.Plaintext) != want {
			t.Fatalf("data key of %d bytes, want %d", len(gdk.Plaintext), want)
		}
		out, err := f.env.Engine.Decrypt(f.env.Caller(d), engine.DecryptInput{CiphertextBlob: gdk.CiphertextBlob, EncryptionContext: ctx})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Plaintext, gdk.Plaintext) || out.KeyMaterialID != gdk.KeyMaterialID {
			t.Fatal("the ciphertext does not hold the data key")
		}
	})
}
