package engine_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// This file holds the bad-input tables of the symmetric cryptographic
// operations (spec §9, §4.3): each row is a request that must fail with
// an exact error and leave no trace but its own failed event. Helpers
// carry the prefix "bad".

// badPair is two engines built by the same calls from the same seed. The
// failing call runs on env only; afterwards both must draw the same
// random bytes, which shows the failure took nothing from Config.Rand.
type badPair struct{ env, twin *kmstest.Env }

// badNew builds a pair with build and returns build's result.
func badNew[T any](t *testing.T, build func(t *testing.T, env *kmstest.Env) T) (badPair, T) {
	t.Helper()
	p := badPair{env: kmstest.NewEnv(t), twin: kmstest.NewEnv(t)}
	x := build(t, p.env)
	require.Equal(t, x, build(t, p.twin), "the twin engines differ")
	return p, x
}

// fails runs call on env; it must fail with want, record exactly one
// event that carries want's code and no response, change nothing
// chkSnapshot sees and draw no random bytes.
func (p badPair) fails(t *testing.T, want kmserrors.APIError, call func(e *engine.Engine) error) {
	t.Helper()
	before := chkSnapshot(t, p.env)
	n := len(p.env.Engine.Events())
	chkRequireErr(t, call(p.env.Engine), want)
	evs := p.env.Engine.Events()
	require.Len(t, evs, n+1, "a failed call records one event")
	require.Equal(t, want.ErrorCode(), evs[n].ErrorCode)
	require.Equal(t, want.ErrorMessage(), evs[n].ErrorMessage)
	require.Nil(t, evs[n].ResponseElements, "a failed call has no response")
	require.Equal(t, before, chkSnapshot(t, p.env), "a failed call changed the observable state")
	p.sameRandom(t)
}

// sameRandom checks that env and twin are at the same point of their
// random streams.
func (p badPair) sameRandom(t *testing.T) {
	t.Helper()
	in := engine.GenerateRandomInput{NumberOfBytes: 16}
	a, err := p.env.Engine.GenerateRandom(p.env.Caller(badHome), in)
	require.NoError(t, err)
	b, err := p.twin.Engine.GenerateRandom(p.twin.Caller(badHome), in)
	require.NoError(t, err)
	require.Equal(t, b.Plaintext, a.Plaintext, "the failed call drew from Config.Rand")
}

const badHome region.ID = "us-east-1"

func badCaller(r region.ID) engine.Caller {
	return engine.Caller{Account: kmstest.DefaultAccount, Region: r}
}

// badKeys is the fixture of the input tables.
type badKeys struct {
	ID     string // multi-Region primary in badHome, replica in us-west-2
	Single string // single-Region key in badHome
	Far    string // single-Region key in eu-west-1 only
	// Keys of every usage but ENCRYPT_DECRYPT, by ARN, with their usage.
	Wrong map[string]keystore.KeyUsage
	Blob  []byte // "bad input" under ID with Ctx
	Ctx   map[string]string
}

var badCtx = map[string]string{"a": "1", "b": "2"}

func badBuild(t *testing.T, env *kmstest.Env) badKeys {
	k := badKeys{Wrong: map[string]keystore.KeyUsage{}, Ctx: badCtx}
	k.ID = chkPrimary(t, env, badHome, engine.CreateKeyInput{})
	chkReplicate(t, env, k.ID, badHome, "us-west-2")
	env.Settle()
	k.Single = chkSingle(t, env, badHome, engine.CreateKeyInput{})
	k.Far = chkSingle(t, env, "eu-west-1", engine.CreateKeyInput{})
	for _, in := range []engine.CreateKeyInput{
		{KeySpec: keystore.RSA2048, KeyUsage: keystore.SignVerify},
		{KeySpec: keystore.ECCNISTP256, KeyUsage: keystore.SignVerify},
		{KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC},
		{KeySpec: keystore.ECCNISTP256, KeyUsage: keystore.KeyAgreement},
	} {
		out, err := env.Engine.CreateKey(badCaller(badHome), in)
		require.NoError(t, err)
		k.Wrong[out.KeyMetadata.Arn] = in.KeyUsage
	}
	enc, err := env.Engine.Encrypt(badCaller(badHome), engine.EncryptInput{KeyID: k.ID, Plaintext: []byte("bad input"), EncryptionContext: badCtx})
	require.NoError(t, err)
	k.Blob = enc.CiphertextBlob
	return k
}

// Offsets of the engine blob format (spec §9.7).
const (
	badKeyIDAt = 1
	badMatAt   = badKeyIDAt + 36
	badIVAt    = badMatAt + 32
	badBodyAt  = badIVAt + 12
)

// badForge returns a copy of blob whose header names key id.
func badForge(blob []byte, id string) []byte {
	b := bytes.Clone(blob)
	copy(b[badKeyIDAt:badMatAt], id)
	return b
}

func badFlip(blob []byte, i int) []byte {
	b := bytes.Clone(blob)
	b[i] ^= 0x01
	return b
}

func badSet(blob []byte, i int, v byte) []byte {
	b := bytes.Clone(blob)
	b[i] = v
	return b
}

func badValidation(value, member, constraint string) kmserrors.APIError {
	return &kmserrors.ValidationException{Message: chkOne(value, member, constraint)}
}

// badSensitive is the ValidationException of a sensitive blob member,
// whose value the message leaves out.
func badSensitive(member, constraint string) kmserrors.APIError {
	return &kmserrors.ValidationException{Message: "1 validation error detected: Value at '" + member + "' failed to satisfy constraint: Member must " + constraint}
}

var (
	badInvalid = &kmserrors.InvalidCiphertextException{}
	badEither  = &kmserrors.ValidationException{Message: "Please specify either number of bytes or key spec."}
	badDryRun  = &kmserrors.DryRunOperationException{Message: "The request would have succeeded, but the DryRun option is set."}
)

func badDecrypt(blob []byte, ctx map[string]string) func(e *engine.Engine) error {
	return func(e *engine.Engine) error {
		_, err := e.Decrypt(badCaller(badHome), engine.DecryptInput{CiphertextBlob: blob, EncryptionContext: ctx})
		return err
	}
}

func TestBadCiphertext(t *testing.T) {
	p, k := badNew(t, badBuild)
	blob, ctx := k.Blob, k.Ctx
	require.Greater(t, len(blob), badBodyAt+16, "the blob has a body")
	tag := len(blob) - 16
	rows := []struct {
		name string
		blob []byte
		ctx  map[string]string
		want kmserrors.APIError
	}{
		{"missing", nil, ctx, badValidation("null", "ciphertextBlob", "not be null")},
		{"empty", []byte{}, ctx, badSensitive("ciphertextBlob", "have length greater than or equal to 1")},
		{"1 byte", []byte{0x01}, ctx, badInvalid},
		{"6145 bytes", append(bytes.Clone(blob), make([]byte, 6145-len(blob))...), ctx,
			badSensitive("ciphertextBlob", "have length less than or equal to 6144")},
		{"6144 bytes: padded", append(bytes.Clone(blob), make([]byte, 6144-len(blob))...), ctx, badInvalid},
		{"one byte more", append(bytes.Clone(blob), 0), ctx, badInvalid},
		{"version 0x00", badSet(blob, 0, 0x00), ctx, badInvalid},
		{"version 0x02", badSet(blob, 0, 0x02), ctx, badInvalid},
		{"version 0xff", badSet(blob, 0, 0xff), ctx, badInvalid},
		{"key ID: first byte", badFlip(blob, badKeyIDAt), ctx, badInvalid},
		{"key ID: last byte", badFlip(blob, badMatAt-1), ctx, badInvalid},
		{"key ID: unknown key", badForge(blob, "mrk-00000000000000000000000000000000"), ctx, badInvalid},
		{"key ID: a single-Region key here", badForge(blob, k.Single), ctx, badInvalid},
		{"key ID: a key of another Region only", badForge(blob, k.Far), ctx,
			&kmserrors.AccessDeniedException{Message: ioNoKeyHere}},
		{"material ID: first byte", badFlip(blob, badMatAt), ctx, badInvalid},
		{"material ID: last byte", badFlip(blob, badIVAt-1), ctx, badInvalid},
		{"IV: first byte", badFlip(blob, badIVAt), ctx, badInvalid},
		{"IV: last byte", badFlip(blob, badBodyAt-1), ctx, badInvalid},
		{"body: first byte", badFlip(blob, badBodyAt), ctx, badInvalid},
		{"body: last byte", badFlip(blob, tag-1), ctx, badInvalid},
		{"tag: first byte", badFlip(blob, tag), ctx, badInvalid},
		{"tag: last byte", badFlip(blob, len(blob)-1), ctx, badInvalid},
		{"context: missing", blob, nil, badInvalid},
		{"context: one pair short", blob, map[string]string{"a": "1"}, badInvalid},
		{"context: one pair extra", blob, map[string]string{"a": "1", "b": "2", "c": "3"}, badInvalid},
		{"context: value changed", blob, map[string]string{"a": "1", "b": "3"}, badInvalid},
		{"context: key case", blob, map[string]string{"A": "1", "b": "2"}, badInvalid},
		{"context: value case", blob, map[string]string{"a": "1", "b": "2 "}, badInvalid},
		{"context: pairs swapped", blob, map[string]string{"a": "2", "b": "1"}, badInvalid},
		{"context: key and value joined", blob, map[string]string{"a1": "", "b": "2"}, badInvalid},
	}
	// Truncation at and around every header boundary, and inside the tag.
	for _, n := range []int{badKeyIDAt, badMatAt - 1, badMatAt, badMatAt + 1, badIVAt - 1, badIVAt, badIVAt + 1,
		badBodyAt - 1, badBodyAt, badBodyAt + 1, badBodyAt + 16, tag, len(blob) - 1} {
		rows = append(rows, struct {
			name string
			blob []byte
			ctx  map[string]string
			want kmserrors.APIError
		}{fmt.Sprintf("truncated to %d bytes", n), bytes.Clone(blob[:n]), ctx, badInvalid})
	}
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			p.fails(t, tt.want, badDecrypt(tt.blob, tt.ctx))
			// ReEncrypt opens the source as Decrypt does.
			p.fails(t, tt.want, func(e *engine.Engine) error {
				_, err := e.ReEncrypt(badCaller(badHome), engine.ReEncryptInput{CiphertextBlob: tt.blob, SourceEncryptionContext: tt.ctx, DestinationKeyID: k.Single})
				return err
			})
		})
	}
	// Pair order does not matter: the intact blob still opens.
	out, err := p.env.Engine.Decrypt(badCaller(badHome), engine.DecryptInput{CiphertextBlob: blob, EncryptionContext: map[string]string{"b": "2", "a": "1"}})
	require.NoError(t, err)
	require.Equal(t, []byte("bad input"), out.Plaintext)
}

// Every single-bit change anywhere in a blob makes it unreadable.
func TestBadCiphertextEveryBit(t *testing.T) {
	env := kmstest.NewEnv(t)
	k := badBuild(t, env)
	for i := range len(k.Blob) * 8 {
		b := bytes.Clone(k.Blob)
		b[i/8] ^= 1 << (i % 8)
		_, err := env.Engine.Decrypt(badCaller(badHome), engine.DecryptInput{CiphertextBlob: b, EncryptionContext: k.Ctx})
		// A changed key ID names no key of the account in any Region,
		// so it is a damaged blob too, not AccessDeniedException.
		chkRequireErr(t, err, badInvalid)
	}
}

// Encryption contexts are compared as bytes: Unicode normalization forms
// are different contexts (spec §9.6).
func TestBadUnicodeContext(t *testing.T) {
	p, k := badNew(t, badBuild)
	const nfc, nfd = "caf\u00e9", "cafe\u0301"
	contexts := []map[string]string{
		{nfc: "v"}, {nfd: "v"}, {"k": nfc}, {"k": nfd},
		{"日本語": "値", "emoji 🔑": "🔒", "ключ": "значение", "": "empty key", "k": ""},
	}
	for i, c := range contexts {
		enc, err := p.env.Engine.Encrypt(badCaller(badHome), engine.EncryptInput{KeyID: k.ID, Plaintext: []byte{byte(i)}, EncryptionContext: c})
		require.NoError(t, err)
		_, err = p.twin.Engine.Encrypt(badCaller(badHome), engine.EncryptInput{KeyID: k.ID, Plaintext: []byte{byte(i)}, EncryptionContext: c})
		require.NoError(t, err)
		out, err := p.env.Engine.Decrypt(badCaller("us-west-2"), engine.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: c})
		require.NoError(t, err)
		require.Equal(t, []byte{byte(i)}, out.Plaintext)
		for j, other := range contexts {
			if j != i {
				p.fails(t, badInvalid, badDecrypt(enc.CiphertextBlob, other))
			}
		}
	}
}

// badOps are the cryptographic operations on a key given by ID, blob
// and context; each calls with a KeyId and leaves other members valid.
var badOps = []struct {
	name string
	call func(e *engine.Engine, c engine.Caller, keyID string, blob []byte, ctx map[string]string, dryRun bool) error
}{
	{"Encrypt", func(e *engine.Engine, c engine.Caller, keyID string, _ []byte, ctx map[string]string, dryRun bool) error {
		_, err := e.Encrypt(c, engine.EncryptInput{KeyID: keyID, Plaintext: []byte("p"), EncryptionContext: ctx, DryRun: dryRun})
		return err
	}},
	{"Decrypt", func(e *engine.Engine, c engine.Caller, keyID string, blob []byte, ctx map[string]string, dryRun bool) error {
		_, err := e.Decrypt(c, engine.DecryptInput{KeyID: keyID, CiphertextBlob: blob, EncryptionContext: ctx, DryRun: dryRun})
		return err
	}},
	{"GenerateDataKey", func(e *engine.Engine, c engine.Caller, keyID string, _ []byte, ctx map[string]string, dryRun bool) error {
		_, err := e.GenerateDataKey(c, engine.GenerateDataKeyInput{KeyID: keyID, KeySpec: engine.AES256, EncryptionContext: ctx, DryRun: dryRun})
		return err
	}},
	{"GenerateDataKeyWithoutPlaintext", func(e *engine.Engine, c engine.Caller, keyID string, _ []byte, ctx map[string]string, dryRun bool) error {
		_, err := e.GenerateDataKeyWithoutPlaintext(c, engine.GenerateDataKeyWithoutPlaintextInput{KeyID: keyID, NumberOfBytes: 64, EncryptionContext: ctx, DryRun: dryRun})
		return err
	}},
	// ReEncrypt from the key to itself: the key is both source and
	// destination.
	{"ReEncrypt", func(e *engine.Engine, c engine.Caller, keyID string, blob []byte, ctx map[string]string, dryRun bool) error {
		_, err := e.ReEncrypt(c, engine.ReEncryptInput{CiphertextBlob: blob, SourceEncryptionContext: ctx, SourceKeyID: keyID,
			DestinationKeyID: keyID, DestinationEncryptionContext: ctx, DryRun: dryRun})
		return err
	}},
}

func TestBadKeyUsage(t *testing.T) {
	p, k := badNew(t, badBuild)
	for arn, usage := range k.Wrong {
		// A blob whose header names the key, so Decrypt gets as far as
		// the key's usage.
		id := arn[strings.LastIndexByte(arn, '/')+1:]
		blob := badForge(k.Blob, id)
		for _, op := range badOps {
			t.Run(fmt.Sprintf("%s/%s", usage, op.name), func(t *testing.T) {
				want := &kmserrors.InvalidKeyUsageException{Message: fmt.Sprintf("%s key usage is %s which is not valid for %s.", arn, usage, op.name)}
				p.fails(t, want, func(e *engine.Engine) error { return op.call(e, badCaller(badHome), arn, blob, nil, false) })
				p.fails(t, want, func(e *engine.Engine) error { return op.call(e, badCaller(badHome), id, blob, nil, true) })
			})
		}
		t.Run(fmt.Sprintf("%s/ReEncrypt to it", usage), func(t *testing.T) {
			p.fails(t, &kmserrors.InvalidKeyUsageException{Message: arn + " key usage is " + string(usage) + " which is not valid for ReEncrypt."},
				func(e *engine.Engine) error {
					_, err := e.ReEncrypt(badCaller(badHome), engine.ReEncryptInput{CiphertextBlob: k.Blob, SourceEncryptionContext: k.Ctx, DestinationKeyID: arn})
					return err
				})
		})
	}
}

func TestBadSizes(t *testing.T) {
	p, k := badNew(t, badBuild)
	us := badCaller(badHome)
	encrypt := func(pt []byte) func(e *engine.Engine) error {
		return func(e *engine.Engine) error {
			_, err := e.Encrypt(us, engine.EncryptInput{KeyID: k.ID, Plaintext: pt})
			return err
		}
	}
	p.fails(t, badValidation("null", "plaintext", "not be null"), encrypt(nil))
	p.fails(t, badSensitive("plaintext", "have length greater than or equal to 1"), encrypt([]byte{}))
	p.fails(t, badSensitive("plaintext", "have length less than or equal to 4096"), encrypt(make([]byte, 4097)))
	for _, n := range []int{1, 4096} {
		pt := bytes.Repeat([]byte{0xa5}, n)
		out, err := p.env.Engine.Encrypt(us, engine.EncryptInput{KeyID: k.ID, Plaintext: pt})
		require.NoError(t, err)
		require.Len(t, out.CiphertextBlob, badBodyAt+n+16)
		d, err := p.env.Engine.Decrypt(badCaller("us-west-2"), engine.DecryptInput{CiphertextBlob: out.CiphertextBlob})
		require.NoError(t, err)
		require.Equal(t, pt, d.Plaintext)
		_, err = p.twin.Engine.Encrypt(us, engine.EncryptInput{KeyID: k.ID, Plaintext: pt})
		require.NoError(t, err)
	}

	// GenerateDataKey*: exactly one of KeySpec and NumberOfBytes (0 is
	// an omitted NumberOfBytes in the engine; the fronts turn an explicit
	// 0 into the range error).
	type gdk struct {
		n    int
		spec string
	}
	for _, tt := range []struct {
		in   gdk
		want kmserrors.APIError
		len  int
	}{
		{in: gdk{}, want: badEither},
		{in: gdk{n: 32, spec: engine.AES256}, want: badEither},
		{in: gdk{n: 1, spec: engine.AES128}, want: badEither},
		{in: gdk{n: -1}, want: badValidation("'-1'", "numberOfBytes", "have value greater than or equal to 1")},
		{in: gdk{n: 1025}, want: badValidation("'1025'", "numberOfBytes", "have value less than or equal to 1024")},
		{in: gdk{spec: "AES_512"}, want: badValidation("'AES_512'", "keySpec", "satisfy enum value set: [AES_256, AES_128]")},
		{in: gdk{n: 1}, len: 1},
		{in: gdk{n: 1024}, len: 1024},
		{in: gdk{spec: engine.AES256}, len: 32},
		{in: gdk{spec: engine.AES128}, len: 16},
	} {
		t.Run(fmt.Sprintf("GenerateDataKey %+v", tt.in), func(t *testing.T) {
			withPt := func(e *engine.Engine) (*engine.GenerateDataKeyOutput, error) {
				return e.GenerateDataKey(us, engine.GenerateDataKeyInput{KeyID: k.ID, NumberOfBytes: tt.in.n, KeySpec: tt.in.spec})
			}
			without := func(e *engine.Engine) (*engine.GenerateDataKeyWithoutPlaintextOutput, error) {
				return e.GenerateDataKeyWithoutPlaintext(us, engine.GenerateDataKeyWithoutPlaintextInput{KeyID: k.ID, NumberOfBytes: tt.in.n, KeySpec: tt.in.spec})
			}
			if tt.want != nil {
				p.fails(t, tt.want, func(e *engine.Engine) error { _, err := withPt(e); return err })
				p.fails(t, tt.want, func(e *engine.Engine) error { _, err := without(e); return err })
				return
			}
			out, err := withPt(p.env.Engine)
			require.NoError(t, err)
			require.Len(t, out.Plaintext, tt.len)
			require.Len(t, out.CiphertextBlob, badBodyAt+tt.len+16)
			wp, err := without(p.env.Engine)
			require.NoError(t, err)
			d, err := p.env.Engine.Decrypt(us, engine.DecryptInput{CiphertextBlob: wp.CiphertextBlob})
			require.NoError(t, err)
			require.Len(t, d.Plaintext, tt.len)
			// Keep the twin's random stream in step.
			_, err = withPt(p.twin.Engine)
			require.NoError(t, err)
			_, err = without(p.twin.Engine)
			require.NoError(t, err)
		})
	}
	for _, tt := range []struct {
		n    int
		want kmserrors.APIError
	}{
		{0, badValidation("null", "numberOfBytes", "not be null")},
		{-1, badValidation("'-1'", "numberOfBytes", "have value greater than or equal to 1")},
		{1025, badValidation("'1025'", "numberOfBytes", "have value less than or equal to 1024")},
	} {
		p.fails(t, tt.want, func(e *engine.Engine) error {
			_, err := e.GenerateRandom(us, engine.GenerateRandomInput{NumberOfBytes: tt.n})
			return err
		})
	}
}

// GrantTokens: at most 10, each 1..8192 characters, on every operation
// that takes them.
func TestBadGrantTokens(t *testing.T) {
	p, k := badNew(t, badBuild)
	eleven := []string{"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10", "t11"}
	long := strings.Repeat("g", 8193)
	rows := []struct {
		name   string
		tokens []string
		want   kmserrors.APIError
	}{
		{"11 tokens", eleven, badValidation(`'["t1","t2","t3","t4","t5","t6","t7","t8","t9","t10","t11"]'`, "grantTokens", "have length less than or equal to 10")},
		{"empty token", []string{"ok", ""}, badValidation("''", "grantTokens.2.member", "have length greater than or equal to 1")},
		{"8193 characters", []string{long}, badValidation("'"+long+"'", "grantTokens.1.member", "have length less than or equal to 8192")},
	}
	us := badCaller(badHome)
	calls := map[string]func(e *engine.Engine, tokens []string) error{
		"Encrypt": func(e *engine.Engine, tokens []string) error {
			_, err := e.Encrypt(us, engine.EncryptInput{KeyID: k.ID, Plaintext: []byte("p"), GrantTokens: tokens})
			return err
		},
		"Decrypt": func(e *engine.Engine, tokens []string) error {
			_, err := e.Decrypt(us, engine.DecryptInput{CiphertextBlob: k.Blob, EncryptionContext: k.Ctx, GrantTokens: tokens})
			return err
		},
		"GenerateDataKey": func(e *engine.Engine, tokens []string) error {
			_, err := e.GenerateDataKey(us, engine.GenerateDataKeyInput{KeyID: k.ID, KeySpec: engine.AES256, GrantTokens: tokens})
			return err
		},
		"GenerateDataKeyWithoutPlaintext": func(e *engine.Engine, tokens []string) error {
			_, err := e.GenerateDataKeyWithoutPlaintext(us, engine.GenerateDataKeyWithoutPlaintextInput{KeyID: k.ID, KeySpec: engine.AES256, GrantTokens: tokens})
			return err
		},
		"ReEncrypt": func(e *engine.Engine, tokens []string) error {
			_, err := e.ReEncrypt(us, engine.ReEncryptInput{CiphertextBlob: k.Blob, SourceEncryptionContext: k.Ctx, DestinationKeyID: k.Single, GrantTokens: tokens})
			return err
		},
	}
	for op, call := range calls {
		for _, tt := range rows {
			t.Run(op+"/"+tt.name, func(t *testing.T) {
				p.fails(t, tt.want, func(e *engine.Engine) error { return call(e, tt.tokens) })
			})
		}
		// Ten tokens of 8192 characters are fine.
		ten := make([]string, 10)
		for i := range ten {
			ten[i] = strings.Repeat(string(rune('a'+i)), 8192)
		}
		require.NoError(t, call(p.env.Engine, ten), op)
		require.NoError(t, call(p.twin.Engine, ten), op)
	}
}

func TestBadKeyID(t *testing.T) {
	p, k := badNew(t, badBuild)
	us := badCaller(badHome)
	rows := []struct {
		keyID string
		want  kmserrors.APIError
	}{
		{"alias/none", &kmserrors.NotFoundException{Message: "Alias arn:aws:kms:us-east-1:111122223333:alias/none is not found."}},
		{"mrk-00000000000000000000000000000000", &kmserrors.NotFoundException{Message: "Key '" + chkARN(badHome, "mrk-00000000000000000000000000000000") + "' does not exist"}},
		{"not-a-key", &kmserrors.NotFoundException{Message: "Invalid keyId 'not-a-key'"}},
		{"arn:aws:kms:us-east-1:111122223333:thing/x", &kmserrors.InvalidArnException{Message: "arn:aws:kms:us-east-1:111122223333:thing/x is not a valid ARN."}},
		{k.Far, &kmserrors.NotFoundException{Message: "Key '" + chkARN(badHome, k.Far) + "' does not exist"}},
	}
	for _, tt := range rows {
		for _, op := range badOps {
			if op.name == "Decrypt" || op.name == "ReEncrypt" {
				continue // TestInterop* covers KeyId against a blob
			}
			t.Run(op.name+"/"+tt.keyID, func(t *testing.T) {
				p.fails(t, tt.want, func(e *engine.Engine) error { return op.call(e, us, tt.keyID, nil, nil, false) })
			})
		}
	}
	p.fails(t, badValidation("null", "keyId", "not be null"), func(e *engine.Engine) error {
		_, err := e.Encrypt(us, engine.EncryptInput{Plaintext: []byte("p")})
		return err
	})
	p.fails(t, badValidation("null", "destinationKeyId", "not be null"), func(e *engine.Engine) error {
		_, err := e.ReEncrypt(us, engine.ReEncryptInput{CiphertextBlob: k.Blob, SourceEncryptionContext: k.Ctx})
		return err
	})
}

// badStateKeys is the fixture of the key-state table: one key in the
// state, in Region, with a ciphertext it can open, and a healthy key of
// the same Region for the other side of ReEncrypt.
type badStateKeys struct {
	Region  region.ID
	ID      string
	Blob    []byte
	Healthy string
	Good    []byte // ciphertext of Healthy
}

// TestBadKeyStates walks the crypto row of the §4.3 table for every state
// kmsim can produce (Unavailable needs a custom key store, which kmsim
// does not simulate).
func TestBadKeyStates(t *testing.T) {
	ctx := map[string]string{"state": "test"}
	seal := func(t *testing.T, env *kmstest.Env, r region.ID, id string) []byte {
		out, err := env.Engine.Encrypt(badCaller(r), engine.EncryptInput{KeyID: id, Plaintext: []byte("state"), EncryptionContext: ctx})
		require.NoError(t, err)
		return out.CiphertextBlob
	}
	withKey := func(r region.ID, mk func(t *testing.T, env *kmstest.Env) (string, []byte)) func(t *testing.T, env *kmstest.Env) badStateKeys {
		return func(t *testing.T, env *kmstest.Env) badStateKeys {
			healthy := chkSingle(t, env, r, engine.CreateKeyInput{})
			s := badStateKeys{Region: r, Healthy: healthy, Good: seal(t, env, r, healthy)}
			s.ID, s.Blob = mk(t, env)
			return s
		}
	}
	states := []struct {
		state keystore.KeyState
		build func(t *testing.T, env *kmstest.Env) badStateKeys
		err   string // message template; "" means the operations work
		dis   bool   // DisabledException rather than KMSInvalidStateException
	}{
		{keystore.Enabled, withKey(badHome, func(t *testing.T, env *kmstest.Env) (string, []byte) {
			id := chkSingle(t, env, badHome, engine.CreateKeyInput{})
			return id, seal(t, env, badHome, id)
		}), "", false},
		{keystore.Disabled, withKey(badHome, func(t *testing.T, env *kmstest.Env) (string, []byte) {
			id := chkSingle(t, env, badHome, engine.CreateKeyInput{})
			b := seal(t, env, badHome, id)
			chkDisable(t, env, badHome, id)
			return id, b
		}), "{arn} is disabled.", true},
		{keystore.PendingDeletion, withKey(badHome, func(t *testing.T, env *kmstest.Env) (string, []byte) {
			id := chkSingle(t, env, badHome, engine.CreateKeyInput{})
			b := seal(t, env, badHome, id)
			chkSchedule(t, env, badHome, id, 7)
			return id, b
		}), "{arn} is pending deletion.", false},
		{keystore.PendingReplicaDeletion, withKey(badHome, func(t *testing.T, env *kmstest.Env) (string, []byte) {
			id := chkPrimary(t, env, badHome, engine.CreateKeyInput{})
			chkReplicate(t, env, id, badHome, "us-west-2")
			env.Settle()
			b := seal(t, env, badHome, id)
			chkSchedule(t, env, badHome, id, 7)
			return id, b
		}), "{arn} is pending replica deletion.", false},
		{keystore.PendingImport, withKey(badHome, func(t *testing.T, env *kmstest.Env) (string, []byte) {
			id := chkSingle(t, env, badHome, engine.CreateKeyInput{Origin: keystore.OriginExternal})
			// The key never had material: a blob naming it gets as far
			// as the state check.
			other := chkSingle(t, env, badHome, engine.CreateKeyInput{})
			return id, badForge(seal(t, env, badHome, other), id)
		}), "{arn} is pending import.", false},
		{keystore.Creating, withKey("eu-west-1", func(t *testing.T, env *kmstest.Env) (string, []byte) {
			id := chkPrimary(t, env, badHome, engine.CreateKeyInput{})
			b := seal(t, env, badHome, id)
			chkReplicate(t, env, id, badHome, "eu-west-1")
			return id, b
		}), "{arn} is creating.", false},
		{keystore.Updating, withKey(badHome, func(t *testing.T, env *kmstest.Env) (string, []byte) {
			id := chkPrimary(t, env, badHome, engine.CreateKeyInput{})
			chkReplicate(t, env, id, badHome, "us-west-2")
			env.Settle()
			b := seal(t, env, badHome, id)
			chkPromote(t, env, id, badHome, "us-west-2")
			return id, b
		}), "", false},
	}
	for _, st := range states {
		t.Run(string(st.state), func(t *testing.T) {
			p, k := badNew(t, st.build)
			chkMustState(t, p.env, k.Region, k.ID, st.state)
			c := badCaller(k.Region)
			arn := chkARN(k.Region, k.ID)
			var want kmserrors.APIError
			if st.err != "" {
				msg := strings.ReplaceAll(st.err, "{arn}", arn)
				want = &kmserrors.KMSInvalidStateException{Message: msg}
				if st.dis {
					want = &kmserrors.DisabledException{Message: msg}
				}
			}
			for _, op := range badOps {
				for _, dryRun := range []bool{false, true} {
					call := func(e *engine.Engine) error { return op.call(e, c, k.ID, k.Blob, ctx, dryRun) }
					switch {
					case want != nil:
						// The state error comes before DryRun's answer.
						p.fails(t, want, call)
					case dryRun:
						p.fails(t, badDryRun, call)
					default:
						require.NoError(t, call(p.env.Engine), op.name)
						require.NoError(t, call(p.twin.Engine), op.name)
					}
				}
			}
			// ReEncrypt with the key on one side only.
			from := func(e *engine.Engine) error {
				_, err := e.ReEncrypt(c, engine.ReEncryptInput{CiphertextBlob: k.Blob, SourceEncryptionContext: ctx, DestinationKeyID: k.Healthy})
				return err
			}
			to := func(e *engine.Engine) error {
				_, err := e.ReEncrypt(c, engine.ReEncryptInput{CiphertextBlob: k.Good, SourceEncryptionContext: ctx, DestinationKeyID: arn})
				return err
			}
			for _, call := range []func(e *engine.Engine) error{from, to} {
				if want != nil {
					p.fails(t, want, call)
					continue
				}
				require.NoError(t, call(p.env.Engine))
				require.NoError(t, call(p.twin.Engine))
			}
			p.sameRandom(t)
		})
	}
}

// DryRun answers DryRunOperationException after every check passed and
// does nothing else; a request that would fail fails as it would without
// DryRun.
func TestBadDryRun(t *testing.T) {
	p, k := badNew(t, badBuild)
	for _, r := range []region.ID{badHome, "us-west-2"} {
		c := badCaller(r)
		for _, op := range badOps {
			t.Run(string(r)+"/"+op.name, func(t *testing.T) {
				p.fails(t, badDryRun, func(e *engine.Engine) error { return op.call(e, c, k.ID, k.Blob, k.Ctx, true) })
				// A wrong context fails the blob before DryRun answers.
				if op.name == "Decrypt" || op.name == "ReEncrypt" {
					p.fails(t, badInvalid, func(e *engine.Engine) error { return op.call(e, c, k.ID, k.Blob, nil, true) })
				}
			})
		}
	}
	// DryRun checks authorization too: alice has no permission at all.
	require.NoError(t, p.env.Engine.CreatePrincipal(alice))
	as := engine.Caller{Account: kmstest.DefaultAccount, Principal: alice, Region: badHome}
	p.fails(t, &kmserrors.AccessDeniedException{Message: "User: " + alice + " is not authorized to perform: kms:Encrypt on resource: " +
		chkARN(badHome, k.ID) + " because no identity-based policy allows the kms:Encrypt action"},
		func(e *engine.Engine) error {
			_, err := e.Encrypt(as, engine.EncryptInput{KeyID: k.ID, Plaintext: []byte("p"), DryRun: true})
			return err
		})
}

func TestBadAlgorithm(t *testing.T) {
	p, k := badNew(t, badBuild)
	us := badCaller(badHome)
	enumMsg := "satisfy enum value set: [SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE]"
	p.fails(t, badValidation("'AES'", "encryptionAlgorithm", enumMsg), func(e *engine.Engine) error {
		_, err := e.Encrypt(us, engine.EncryptInput{KeyID: k.ID, Plaintext: []byte("p"), EncryptionAlgorithm: "AES"})
		return err
	})
	p.fails(t, badValidation("'symmetric_default'", "encryptionAlgorithm", enumMsg), func(e *engine.Engine) error {
		_, err := e.Decrypt(us, engine.DecryptInput{CiphertextBlob: k.Blob, EncryptionContext: k.Ctx, EncryptionAlgorithm: "symmetric_default"})
		return err
	})
	p.fails(t, badValidation("'RSA'", "destinationEncryptionAlgorithm", enumMsg), func(e *engine.Engine) error {
		_, err := e.ReEncrypt(us, engine.ReEncryptInput{CiphertextBlob: k.Blob, SourceEncryptionContext: k.Ctx, DestinationKeyID: k.ID, DestinationEncryptionAlgorithm: "RSA"})
		return err
	})
	incompatible := &kmserrors.InvalidKeyUsageException{Message: "Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT."}
	p.fails(t, incompatible, func(e *engine.Engine) error {
		_, err := e.Encrypt(us, engine.EncryptInput{KeyID: k.ID, Plaintext: []byte("p"), EncryptionAlgorithm: engine.RSAESOAEPSHA256})
		return err
	})
	p.fails(t, incompatible, func(e *engine.Engine) error {
		_, err := e.Decrypt(us, engine.DecryptInput{CiphertextBlob: k.Blob, EncryptionContext: k.Ctx, EncryptionAlgorithm: engine.RSAESOAEPSHA256})
		return err
	})
}
