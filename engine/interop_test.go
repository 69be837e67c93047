package engine_test

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// This file holds the cross-Region interoperability table of spec §9.1
// and §9.3: which related multi-Region key decrypts what, under which
// KeyId, in which situation. Helpers carry the prefix "io".

// ioRegions are the Regions of the family: the primary first, then three
// replicas. All are in chkRegions, so chkSnapshot sees every key.
var ioRegions = []region.ID{"us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"}

// ioStranger is a Region of the partition where the family has no key.
const ioStranger region.ID = "ap-southeast-2"

// ioAlias names the local related key in every Region of the family.
const ioAlias = "alias/interop"

const ioIncorrect = "The key ID in the request does not identify a CMK that can perform this operation."

const ioNoKeyHere = "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access."

// ioWorld is an engine with the family under test and keys that must
// never decrypt its ciphertext.
type ioWorld struct {
	env *kmstest.Env
	id  string // the family's key ID
	mat string // its KeyMaterialId
	// single holds a single-Region key per Region of the family; other
	// is a second multi-Region family with keys in the same Regions.
	single map[region.ID]string
	other  string
}

func ioNewWorld(t *testing.T) *ioWorld {
	t.Helper()
	env := kmstest.NewEnv(t)
	w := &ioWorld{env: env, single: map[region.ID]string{}}
	w.id = chkPrimary(t, env, ioRegions[0], engine.CreateKeyInput{})
	w.other = chkPrimary(t, env, ioRegions[0], engine.CreateKeyInput{})
	for _, r := range ioRegions[1:] {
		chkReplicate(t, env, w.id, ioRegions[0], r)
		chkReplicate(t, env, w.other, ioRegions[0], r)
	}
	env.Settle()
	for _, r := range ioRegions {
		w.single[r] = chkSingle(t, env, r, engine.CreateKeyInput{})
		_, err := env.Engine.CreateAlias(env.Caller(r), engine.CreateAliasInput{AliasName: ioAlias, TargetKeyID: w.id})
		require.NoError(t, err)
	}
	w.mat = chkDescribe(t, env, ioRegions[0], w.id).CurrentKeyMaterialID
	require.Regexp(t, `^[0-9a-f]{64}$`, w.mat)
	return w
}

// ioBlob is one ciphertext of the family and what it holds.
type ioBlob struct {
	maker     region.ID
	op        string
	plaintext []byte
	blob      []byte
	ctx       map[string]string
}

func (b ioBlob) String() string { return fmt.Sprintf("%s in %s", b.op, b.maker) }

// make has the related key of Region r produce a ciphertext with Encrypt
// and one with GenerateDataKey; each response names r's key.
func (w *ioWorld) make(t *testing.T, r region.ID) []ioBlob {
	t.Helper()
	ctx := map[string]string{"maker": string(r), "Ünïcode": "値"}
	p := []byte("plaintext made in " + string(r))
	enc, err := w.env.Engine.Encrypt(w.env.Caller(r), engine.EncryptInput{KeyID: w.id, Plaintext: p, EncryptionContext: ctx})
	require.NoError(t, err)
	require.Equal(t, chkARN(r, w.id), enc.KeyID)
	gdk, err := w.env.Engine.GenerateDataKey(w.env.Caller(r), engine.GenerateDataKeyInput{KeyID: ioAlias, KeySpec: engine.AES256, EncryptionContext: ctx})
	require.NoError(t, err)
	require.Equal(t, chkARN(r, w.id), gdk.KeyID)
	require.Equal(t, w.mat, gdk.KeyMaterialID)
	return []ioBlob{
		{maker: r, op: "Encrypt", plaintext: p, blob: enc.CiphertextBlob, ctx: ctx},
		{maker: r, op: "GenerateDataKey", plaintext: gdk.Plaintext, blob: gdk.CiphertextBlob, ctx: ctx},
	}
}

// ioSituation is a state of the family in which its ciphertext is
// decrypted. blocked is the Region whose key refuses, with error refusal.
type ioSituation struct {
	name    string
	apply   func(t *testing.T, w *ioWorld)
	blocked region.ID
	refusal func(w *ioWorld) kmserrors.APIError
}

var ioSituations = []ioSituation{
	{name: "plain"},
	{name: "after UpdatePrimaryRegion", apply: func(t *testing.T, w *ioWorld) {
		chkPromote(t, w.env, w.id, ioRegions[0], ioRegions[2])
		w.env.Settle()
		require.Equal(t, "PRIMARY", string(chkDescribe(t, w.env, ioRegions[2], w.id).MultiRegionConfiguration.MultiRegionKeyType))
	}},
	{name: "primary Disabled", blocked: ioRegions[0],
		apply: func(t *testing.T, w *ioWorld) { chkDisable(t, w.env, ioRegions[0], w.id) },
		refusal: func(w *ioWorld) kmserrors.APIError {
			return &kmserrors.DisabledException{Message: chkARN(ioRegions[0], w.id) + " is disabled."}
		}},
	{name: "primary PendingReplicaDeletion", blocked: ioRegions[0],
		apply: func(t *testing.T, w *ioWorld) {
			chkSchedule(t, w.env, ioRegions[0], w.id, 7)
			chkMustState(t, w.env, ioRegions[0], w.id, "PendingReplicaDeletion")
		},
		refusal: func(w *ioWorld) kmserrors.APIError {
			return &kmserrors.KMSInvalidStateException{Message: chkARN(ioRegions[0], w.id) + " is pending replica deletion."}
		}},
	{name: "replica Disabled", blocked: ioRegions[2],
		apply: func(t *testing.T, w *ioWorld) { chkDisable(t, w.env, ioRegions[2], w.id) },
		refusal: func(w *ioWorld) kmserrors.APIError {
			return &kmserrors.DisabledException{Message: chkARN(ioRegions[2], w.id) + " is disabled."}
		}},
}

func TestInteropCrossRegion(t *testing.T) {
	for _, s := range ioSituations {
		t.Run(s.name, func(t *testing.T) {
			w := ioNewWorld(t)
			var blobs []ioBlob
			for _, r := range ioRegions {
				blobs = append(blobs, w.make(t, r)...)
			}
			if s.apply != nil {
				s.apply(t, w)
			}
			// Every usable related key makes ciphertext in the situation
			// too; the blocked one refuses to.
			for _, r := range ioRegions {
				if r != s.blocked {
					blobs = append(blobs, w.make(t, r)...)
					continue
				}
				_, err := w.env.Engine.Encrypt(w.env.Caller(r), engine.EncryptInput{KeyID: w.id, Plaintext: []byte("x")})
				chkRequireErr(t, err, s.refusal(w))
				_, err = w.env.Engine.GenerateDataKey(w.env.Caller(r), engine.GenerateDataKeyInput{KeyID: w.id, NumberOfBytes: 8})
				chkRequireErr(t, err, s.refusal(w))
			}
			for _, b := range blobs {
				for _, d := range ioRegions {
					t.Run(fmt.Sprintf("%s to %s", b, d), func(t *testing.T) {
						w.checkDecrypt(t, s, b, d)
						w.checkReEncrypt(t, s, b, d)
					})
				}
				w.checkStrangers(t, b)
			}
		})
	}
}

// checkDecrypt decrypts b in Region d with each KeyId form that names d's
// key, and with the forms that must not work.
func (w *ioWorld) checkDecrypt(t *testing.T, s ioSituation, b ioBlob, d region.ID) {
	c := w.env.Caller(d)
	for _, form := range []string{"", w.id, chkARN(d, w.id), ioAlias} {
		out, err := w.env.Engine.Decrypt(c, engine.DecryptInput{CiphertextBlob: b.blob, EncryptionContext: b.ctx, KeyID: form})
		if d == s.blocked {
			chkRequireErr(t, err, s.refusal(w))
			continue
		}
		require.NoError(t, err, "KeyId %q", form)
		require.Equal(t, b.plaintext, out.Plaintext, "KeyId %q", form)
		require.Equal(t, chkARN(d, w.id), out.KeyID, "Decrypt names the decrypter's own key")
		require.Equal(t, w.mat, out.KeyMaterialID)
		require.Equal(t, engine.SymmetricDefault, out.EncryptionAlgorithm)
	}
	// The key ARN of a related key in another Region, even the maker's,
	// does not name d's key (spec §9.3, observed).
	for _, r := range ioRegions {
		if r == d {
			continue
		}
		_, err := w.env.Engine.Decrypt(c, engine.DecryptInput{CiphertextBlob: b.blob, EncryptionContext: b.ctx, KeyID: chkARN(r, w.id)})
		chkRequireErr(t, err, &kmserrors.IncorrectKeyException{Message: ioIncorrect})
	}
	// Unrelated keys of d's Region: a single-Region key and a key of
	// another multi-Region family.
	for _, u := range []string{w.single[d], w.other, chkARN(d, w.other)} {
		_, err := w.env.Engine.Decrypt(c, engine.DecryptInput{CiphertextBlob: b.blob, EncryptionContext: b.ctx, KeyID: u})
		chkRequireErr(t, err, &kmserrors.IncorrectKeyException{Message: ioIncorrect})
	}
}

// checkReEncrypt re-encrypts b in Region d under d's related key and
// under the other family, and checks who can decrypt the results.
func (w *ioWorld) checkReEncrypt(t *testing.T, s ioSituation, b ioBlob, d region.ID) {
	c := w.env.Caller(d)
	dstCtx := map[string]string{"re-encrypted in": string(d)}
	for _, dst := range []string{w.id, w.other} {
		out, err := w.env.Engine.ReEncrypt(c, engine.ReEncryptInput{CiphertextBlob: b.blob, SourceEncryptionContext: b.ctx,
			DestinationKeyID: dst, DestinationEncryptionContext: dstCtx})
		if d == s.blocked {
			chkRequireErr(t, err, s.refusal(w))
			continue
		}
		require.NoError(t, err)
		require.Equal(t, chkARN(d, w.id), out.SourceKeyID)
		require.Equal(t, chkARN(d, dst), out.KeyID)
		require.Equal(t, w.mat, out.SourceKeyMaterialID)
		for _, r := range ioRegions {
			dec, err := w.env.Engine.Decrypt(w.env.Caller(r), engine.DecryptInput{CiphertextBlob: out.CiphertextBlob, EncryptionContext: dstCtx})
			if dst == w.id && r == s.blocked {
				chkRequireErr(t, err, s.refusal(w))
				continue
			}
			require.NoError(t, err, "decrypting in %s what %s re-encrypted", r, d)
			require.Equal(t, b.plaintext, dec.Plaintext)
			require.Equal(t, chkARN(r, dst), dec.KeyID)
			require.Equal(t, out.DestinationKeyMaterialID, dec.KeyMaterialID)
			if dst == w.other {
				// Ciphertext of the other family is not the family's.
				_, err := w.env.Engine.Decrypt(w.env.Caller(r), engine.DecryptInput{CiphertextBlob: out.CiphertextBlob, EncryptionContext: dstCtx, KeyID: w.id})
				chkRequireErr(t, err, &kmserrors.IncorrectKeyException{Message: ioIncorrect})
			}
		}
	}
}

// checkStrangers checks the Regions and keys that are not b's family.
func (w *ioWorld) checkStrangers(t *testing.T, b ioBlob) {
	t.Helper()
	far := w.env.Caller(ioStranger)
	_, err := w.env.Engine.Decrypt(far, engine.DecryptInput{CiphertextBlob: b.blob, EncryptionContext: b.ctx})
	chkRequireErr(t, err, &kmserrors.AccessDeniedException{Message: ioNoKeyHere})
	_, err = w.env.Engine.ReEncrypt(far, engine.ReEncryptInput{CiphertextBlob: b.blob, SourceEncryptionContext: b.ctx, DestinationKeyID: "alias/none"})
	chkRequireErr(t, err, &kmserrors.AccessDeniedException{Message: ioNoKeyHere})
	_, err = w.env.Engine.Decrypt(far, engine.DecryptInput{CiphertextBlob: b.blob, EncryptionContext: b.ctx, KeyID: w.id})
	chkRequireErr(t, err, &kmserrors.NotFoundException{Message: "Key '" + chkARN(ioStranger, w.id) + "' does not exist"})

	// A blob whose header names an unrelated key of the maker's Region
	// instead does not open with that key: its material differs.
	for _, u := range []string{w.single[b.maker], w.other} {
		forged := bytes.Clone(b.blob)
		copy(forged[1:37], u)
		_, err := w.env.Engine.Decrypt(w.env.Caller(b.maker), engine.DecryptInput{CiphertextBlob: forged, EncryptionContext: b.ctx})
		chkRequireErr(t, err, &kmserrors.InvalidCiphertextException{})
	}
}

// Ciphertext of unrelated keys never decrypts with the family, whatever
// KeyId names a family key.
func TestInteropUnrelatedCiphertext(t *testing.T) {
	w := ioNewWorld(t)
	for _, r := range ioRegions {
		for _, u := range []string{w.single[r], w.other} {
			enc, err := w.env.Engine.Encrypt(w.env.Caller(r), engine.EncryptInput{KeyID: u, Plaintext: []byte("unrelated")})
			require.NoError(t, err)
			for _, form := range []string{w.id, chkARN(r, w.id), ioAlias} {
				_, err := w.env.Engine.Decrypt(w.env.Caller(r), engine.DecryptInput{CiphertextBlob: enc.CiphertextBlob, KeyID: form})
				chkRequireErr(t, err, &kmserrors.IncorrectKeyException{Message: ioIncorrect})
			}
			// A single-Region key's ciphertext has no related key
			// elsewhere; the other family's does, but not in ioStranger.
			for _, d := range slices.Concat(ioRegions, []region.ID{ioStranger}) {
				if d == r {
					continue
				}
				out, err := w.env.Engine.Decrypt(w.env.Caller(d), engine.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
				if u == w.other && d != ioStranger {
					require.NoError(t, err)
					require.Equal(t, chkARN(d, w.other), out.KeyID)
					continue
				}
				chkRequireErr(t, err, &kmserrors.AccessDeniedException{Message: ioNoKeyHere})
			}
		}
	}
}
