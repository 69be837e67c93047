package keystore_test

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	mrand "math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/keystore"
)

const testKeyID = "1234abcd-12ab-34cd-56ef-1234567890ab"

var materialIDRE = regexp.MustCompile(`^[a-f0-9]{64}$`)

// seeded returns a deterministic random stream.
func seeded(n byte) io.Reader {
	var seed [32]byte
	seed[0] = n
	return mrand.NewChaCha8(seed)
}

// firstBytes returns the first n bytes of the stream seeded(seed).
func firstBytes(t testing.TB, seed byte, n int) []byte {
	b := make([]byte, n)
	_, err := io.ReadFull(seeded(seed), b)
	require.NoError(t, err)
	return b
}

// matCache holds material by (seed, spec) so the slow RSA specs are made
// once; the determinism test calls NewMaterial itself. Tests using it
// must not run in parallel.
var matCache = map[[2]string]*keystore.Material{}

// cachedMat is newMat, memoized.
func cachedMat(t testing.TB, seed byte, spec keystore.KeySpec) *keystore.Material {
	k := [2]string{string(rune(seed)), string(spec)}
	if m, ok := matCache[k]; ok {
		return m
	}
	m := newMat(t, seed, spec)
	matCache[k] = m
	return m
}

// newMat generates material for spec with a fixed seed.
func newMat(t testing.TB, seed byte, spec keystore.KeySpec) *keystore.Material {
	t.Helper()
	m, err := keystore.NewMaterial(seeded(seed), testKeyID, spec)
	require.NoError(t, err, spec)
	return m
}

func TestNewMaterialEverySpec(t *testing.T) {
	for _, spec := range keystore.KeySpecs {
		m := cachedMat(t, 1, spec)
		require.Regexp(t, materialIDRE, m.ID, spec)
		require.Equal(t, spec, m.Spec)
		symmetric := spec == keystore.SymmetricDefault || strings.HasPrefix(string(spec), "HMAC_")
		if symmetric {
			require.NotEmpty(t, m.Symmetric(), spec)
			require.Nil(t, m.Signer(), spec)
			require.Nil(t, m.PublicKey(), spec)
		} else {
			require.Nil(t, m.Symmetric(), spec)
			require.NotNil(t, m.Signer(), spec)
			require.NotNil(t, m.PublicKey(), spec)
			require.Equal(t, m.Signer().Public(), m.PublicKey(), spec)
		}
		isRSA := strings.HasPrefix(string(spec), "RSA_")
		require.Equal(t, isRSA || spec == keystore.SM2, m.Decrypter() != nil, spec)
		require.Equal(t, isRSA, m.RSA() != nil, spec)
		isNIST := strings.HasPrefix(string(spec), "ECC_NIST_P")
		require.Equal(t, isNIST, m.ECDH() != nil, spec)
	}

	_, err := keystore.NewMaterial(seeded(1), testKeyID, "NOPE")
	require.ErrorIs(t, err, keystore.ErrUnsupportedSpec)
}

func TestNewMaterialDeterministic(t *testing.T) {
	for _, spec := range keystore.KeySpecs {
		a, b := newMat(t, 1, spec), newMat(t, 1, spec)
		require.Equal(t, a.ID, b.ID, "same seed, %s", spec)
		require.Equal(t, a.Symmetric(), b.Symmetric(), spec)
		if pk, ok := a.PublicKey().(interface{ Equal(crypto.PublicKey) bool }); ok {
			require.True(t, pk.Equal(b.PublicKey()), spec)
		}

		c := newMat(t, 2, spec)
		require.NotEqual(t, a.ID, c.ID, "different seed, %s", spec)

		if a.RSA() == nil { // the ID formula is shared; spare the slow specs
			d, err := keystore.NewMaterial(seeded(1), "other-key", spec)
			require.NoError(t, err)
			require.NotEqual(t, a.ID, d.ID, "different key ID, %s", spec)
		}
	}
}

// TestMaterialComesFromReader checks the material is the reader's bytes
// where the construction makes that visible, and not the system CSPRNG.
func TestMaterialComesFromReader(t *testing.T) {
	for spec, n := range map[keystore.KeySpec]int{
		keystore.SymmetricDefault: 32, keystore.HMAC224: 28, keystore.HMAC256: 32,
		keystore.HMAC384: 48, keystore.HMAC512: 64,
	} {
		want := firstBytes(t, 3, n)
		m := newMat(t, 3, spec)
		require.Equal(t, want, m.Symmetric(), spec)
		require.Equal(t, keystore.MaterialID(testKeyID, want), m.ID, spec)
	}

	seed := firstBytes(t, 3, 32)
	ed := newMat(t, 3, keystore.ECCNISTEdwards25519)
	require.Equal(t, ed25519.NewKeyFromSeed(seed).Public(), ed.PublicKey())
	require.Equal(t, keystore.MaterialID(testKeyID, seed), ed.ID)

	// The first 32 bytes are below the order of both curves for this seed.
	p256 := newMat(t, 3, keystore.ECCNISTP256).Signer().(*ecdsa.PrivateKey)
	d, err := p256.Bytes()
	require.NoError(t, err)
	require.Equal(t, seed, d)

	k1 := newMat(t, 3, keystore.ECCSECGP256K1)
	require.True(t, secp256k1.PrivKeyFromBytes(seed).PubKey().IsEqual(k1.PublicKey().(*secp256k1.PublicKey)))
	require.Equal(t, keystore.MaterialID(testKeyID, seed), k1.ID)
}

func TestHMACKeyLengths(t *testing.T) {
	for spec, n := range map[keystore.KeySpec]int{
		keystore.HMAC224: 28, keystore.HMAC256: 32, keystore.HMAC384: 48, keystore.HMAC512: 64,
		keystore.SymmetricDefault: 32,
	} {
		require.Len(t, cachedMat(t, 1, spec).Symmetric(), n, spec)
	}
}

func TestRSAKeySizes(t *testing.T) {
	for spec, bits := range map[keystore.KeySpec]int{
		keystore.RSA2048: 2048, keystore.RSA3072: 3072, keystore.RSA4096: 4096,
	} {
		k := cachedMat(t, 1, spec).RSA()
		require.Equal(t, bits, k.N.BitLen(), spec)
		require.Equal(t, 65537, k.E)
		require.NoError(t, k.Validate())
	}
}

func TestMaterialID(t *testing.T) {
	sum := sha256.Sum256([]byte("key-1" + "\x00\x01secret"))
	require.Equal(t, hex.EncodeToString(sum[:]), keystore.MaterialID("key-1", []byte("\x00\x01secret")))
	require.Regexp(t, materialIDRE, keystore.MaterialID("", nil))
}

func TestNewMaterialReaderErrors(t *testing.T) {
	boom := errors.New("boom")
	for _, spec := range keystore.KeySpecs {
		_, err := keystore.NewMaterial(errReader{boom}, testKeyID, spec)
		require.ErrorIs(t, err, boom, spec)
		_, err = keystore.NewMaterial(bytes.NewReader(make([]byte, 8)), testKeyID, spec)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF, spec)
	}
	// A reader of zeros never yields a valid scalar: the loop gives up.
	_, err := keystore.NewMaterial(zeros{}, testKeyID, keystore.ECCNISTP256)
	require.Error(t, err)
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

type zeros struct{}

func (zeros) Read(b []byte) (int, error) { clear(b); return len(b), nil }

// secretForms returns the secret of m as the strings a leak could take:
// raw, hex (both cases), base64 variants, fmt of the bytes, and the
// decimal form of big integers.
func secretForms(t *testing.T, m *keystore.Material) []string {
	t.Helper()
	var raws [][]byte
	var ints []*big.Int
	switch k := m.Signer().(type) {
	case nil:
		raws = append(raws, m.Symmetric())
	case *rsa.PrivateKey:
		ints = append(ints, k.D, k.Primes[0], k.Primes[1], k.Precomputed.Dp, k.Precomputed.Qinv)
	case *ecdsa.PrivateKey:
		d, err := k.Bytes()
		require.NoError(t, err)
		raws = append(raws, d)
		ints = append(ints, new(big.Int).SetBytes(d))
	case ed25519.PrivateKey:
		raws = append(raws, k.Seed())
	default: // secp256k1, SM2 and ML-DSA: the first 32 bytes are the scalar or seed
		require.Contains(t, []keystore.KeySpec{keystore.ECCSECGP256K1, keystore.SM2, keystore.MLDSA44, keystore.MLDSA65, keystore.MLDSA87}, m.Spec)
		d := firstBytes(t, 1, 32)
		raws = append(raws, d)
		ints = append(ints, new(big.Int).SetBytes(d))
	}
	for _, i := range ints {
		raws = append(raws, i.Bytes())
	}
	var out []string
	for _, r := range raws {
		require.GreaterOrEqual(t, len(r), 16)
		for _, w := range [][]byte{r, r[:12]} {
			out = append(out, string(w), hex.EncodeToString(w), strings.ToUpper(hex.EncodeToString(w)),
				fmt.Sprint(w), fmt.Sprintf("%#v", w))
		}
		out = append(out,
			base64.StdEncoding.EncodeToString(r), base64.RawStdEncoding.EncodeToString(r),
			base64.URLEncoding.EncodeToString(r), base64.RawURLEncoding.EncodeToString(r[:12]))
	}
	for _, i := range ints {
		out = append(out, i.String()[:20])
	}
	return out
}

type holder struct {
	M  keystore.Material
	P  *keystore.Material
	V  keystore.Versions
	VP *keystore.Versions
	m  keystore.Material    // unexported: printed by reflection
	v  keystore.Versions    // unexported: printed by reflection
	s  []*keystore.Material // unexported slice of pointers
}

type embedding struct {
	keystore.Material
	Name string
}

func TestMaterialNeverPrints(t *testing.T) {
	for _, spec := range keystore.KeySpecs {
		m := cachedMat(t, 1, spec)
		forms := secretForms(t, m)
		var v keystore.Versions
		v.Add(m)
		values := []any{
			m, *m, v, &v, []*keystore.Material{m}, map[string]*keystore.Material{"k": m},
			holder{M: *m, P: m, V: v, VP: &v, m: *m, v: v, s: []*keystore.Material{m}},
			&holder{M: *m, P: m, m: *m},
			embedding{Material: *m, Name: "x"},
			m.Signer(), // for secp256k1, a keystore type that hides its key
		}
		if spec != keystore.ECCSECGP256K1 {
			values = values[:len(values)-1]
		}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %[1]v"} {
			for i, val := range values {
				out := fmt.Sprintf(verb, val)
				for _, f := range forms {
					require.NotContains(t, out, f, "%s: value %d printed with %s leaks the secret", spec, i, verb)
				}
			}
		}
		require.Equal(t, "keystore.Material{ID: "+m.ID+"}", m.String())
		require.Equal(t, m.String(), fmt.Sprintf("%#v", m))
		require.Equal(t, m.String(), fmt.Sprintf("%+v", *m))
		require.Equal(t, "keystore.Versions[*"+m.ID+"]", fmt.Sprint(v))
	}
}

func TestZeroMaterial(t *testing.T) {
	var m keystore.Material
	require.Nil(t, m.Symmetric())
	require.Nil(t, m.Signer())
	require.Nil(t, m.Decrypter())
	require.Nil(t, m.RSA())
	require.Nil(t, m.ECDH())
	require.Nil(t, m.PublicKey())
	require.Equal(t, "keystore.Material{ID: }", fmt.Sprintf("%v", m))
}

func TestVersions(t *testing.T) {
	var v keystore.Versions
	require.Nil(t, v.Current())
	require.Empty(t, v.CurrentID())
	require.Empty(t, v.All())
	require.Zero(t, v.Len())

	a, b, c := newMat(t, 1, keystore.SymmetricDefault), newMat(t, 2, keystore.SymmetricDefault), newMat(t, 3, keystore.SymmetricDefault)
	v.Add(a)
	require.Same(t, a, v.Current())
	v.Add(b)
	require.Same(t, b, v.Current())
	require.Equal(t, b.ID, v.CurrentID())
	require.Equal(t, []*keystore.Material{a, b}, v.All())
	require.Same(t, a, v.Lookup(a.ID))
	require.Same(t, b, v.Lookup(b.ID))
	require.Nil(t, v.Lookup(c.ID))
	require.Nil(t, v.Lookup(""))
	for _, m := range []*keystore.Material{a, b} {
		raw, err := hex.DecodeString(m.ID)
		require.NoError(t, err)
		rawID := m.RawID()
		require.Equal(t, raw, rawID[:], "RawID is the bytes ID spells")
		require.Same(t, m, v.LookupRaw(raw))
		raw[31] ^= 1
		require.Nil(t, v.LookupRaw(raw))
		require.Nil(t, v.LookupRaw(raw[:31]))
	}
	rawC, err := hex.DecodeString(c.ID)
	require.NoError(t, err)
	require.Nil(t, v.LookupRaw(rawC))
	var zero keystore.Versions
	zero.Add(&keystore.Material{})
	require.Nil(t, zero.LookupRaw(make([]byte, 32)), "a zero Material matches no blob")

	// Re-adding a known version makes it current without duplicating it.
	v.Add(newMat(t, 1, keystore.SymmetricDefault))
	require.Same(t, a, v.Current())
	require.Equal(t, 2, v.Len())
	require.Equal(t, "keystore.Versions[*"+a.ID+" "+b.ID+"]", v.String())
	v.Add(b)

	// All returns a copy.
	all := v.All()
	all[0] = c
	require.Same(t, a, v.All()[0])

	require.Panics(t, func() { v.Add(nil) })
}

// TestVersionsReplica models a replica created after rotations: it gets
// every version of the primary, and rotation on the primary's side does
// not change a clone already handed out.
func TestVersionsReplica(t *testing.T) {
	r := seeded(9)
	var primary keystore.Versions
	for range 3 {
		m, err := keystore.NewMaterial(r, testKeyID, keystore.SymmetricDefault)
		require.NoError(t, err)
		primary.Add(m)
	}
	replica := primary.Clone()
	require.Equal(t, primary.All(), replica.All())
	require.Equal(t, primary.CurrentID(), replica.CurrentID())
	for _, m := range primary.All() {
		require.Same(t, m, replica.Lookup(m.ID))
	}

	m, err := keystore.NewMaterial(r, testKeyID, keystore.SymmetricDefault)
	require.NoError(t, err)
	primary.Add(m)
	require.Equal(t, 3, replica.Len())
	require.Nil(t, replica.Lookup(m.ID))
	replica.Add(m)
	require.Equal(t, primary.All(), replica.All())
	require.Equal(t, primary.CurrentID(), replica.CurrentID())
}

func TestSymmetricMaterialWorks(t *testing.T) {
	key := cachedMat(t, 1, keystore.SymmetricDefault).Symmetric()
	block, err := aes.NewCipher(key)
	require.NoError(t, err)
	require.Equal(t, 32, len(key)) // AES-256
	gcm, err := cipher.NewGCM(block)
	require.NoError(t, err)
	nonce := make([]byte, gcm.NonceSize())
	ct := gcm.Seal(nil, nonce, []byte("hello"), nil)
	pt, err := gcm.Open(nil, nonce, ct, nil)
	require.NoError(t, err)
	require.Equal(t, "hello", string(pt))

	mk := cachedMat(t, 1, keystore.HMAC512).Symmetric()
	mac := hmac.New(sha512.New, mk)
	mac.Write([]byte("msg"))
	require.Len(t, mac.Sum(nil), 64)
}

func TestRSAMaterialWorks(t *testing.T) {
	m := cachedMat(t, 1, keystore.RSA2048)
	pub := m.PublicKey().(*rsa.PublicKey)

	ct, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, pub, []byte("secret message"), nil)
	require.NoError(t, err)
	pt, err := m.Decrypter().Decrypt(rand.Reader, ct, &rsa.OAEPOptions{Hash: crypto.SHA256})
	require.NoError(t, err)
	require.Equal(t, "secret message", string(pt))

	digest := sha256.Sum256([]byte("msg"))
	sig, err := m.Signer().Sign(rand.Reader, digest[:], &rsa.PSSOptions{Hash: crypto.SHA256})
	require.NoError(t, err)
	require.NoError(t, rsa.VerifyPSS(pub, crypto.SHA256, digest[:], sig, nil))
	sig, err = m.Signer().Sign(rand.Reader, digest[:], crypto.SHA256)
	require.NoError(t, err)
	require.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig))
}

func TestNISTMaterialWorks(t *testing.T) {
	for _, spec := range []keystore.KeySpec{keystore.ECCNISTP256, keystore.ECCNISTP384, keystore.ECCNISTP521} {
		a, b := cachedMat(t, 1, spec), cachedMat(t, 2, spec)
		digest := sha256.Sum256([]byte("msg"))
		sig, err := a.Signer().Sign(rand.Reader, digest[:], crypto.SHA256)
		require.NoError(t, err)
		require.True(t, ecdsa.VerifyASN1(a.PublicKey().(*ecdsa.PublicKey), digest[:], sig), spec)

		ab, err := a.ECDH().ECDH(b.ECDH().PublicKey())
		require.NoError(t, err)
		ba, err := b.ECDH().ECDH(a.ECDH().PublicKey())
		require.NoError(t, err)
		require.Equal(t, ab, ba, spec)

		// The ECDH key is the same key as the signing key.
		pub, err := a.PublicKey().(*ecdsa.PublicKey).Bytes()
		require.NoError(t, err)
		require.Equal(t, pub, a.ECDH().PublicKey().Bytes(), spec)
	}
}

func TestSecp256k1MaterialWorks(t *testing.T) {
	m := cachedMat(t, 1, keystore.ECCSECGP256K1)
	digest := sha256.Sum256([]byte("msg"))
	sig, err := m.Signer().Sign(nil, digest[:], crypto.SHA256)
	require.NoError(t, err)
	parsed, err := secpecdsa.ParseDERSignature(sig)
	require.NoError(t, err)
	require.True(t, parsed.Verify(digest[:], m.PublicKey().(*secp256k1.PublicKey)))
	other := sha256.Sum256([]byte("other"))
	require.False(t, parsed.Verify(other[:], m.PublicKey().(*secp256k1.PublicKey)))
}

func TestEd25519MaterialWorks(t *testing.T) {
	m := cachedMat(t, 1, keystore.ECCNISTEdwards25519)
	sig, err := m.Signer().Sign(nil, []byte("msg"), crypto.Hash(0))
	require.NoError(t, err)
	require.True(t, ed25519.Verify(m.PublicKey().(ed25519.PublicKey), []byte("msg"), sig))
}

func benchmarkNewMaterial(b *testing.B, spec keystore.KeySpec) {
	r := seeded(1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := keystore.NewMaterial(r, testKeyID, spec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewMaterialSymmetricDefault(b *testing.B) {
	benchmarkNewMaterial(b, keystore.SymmetricDefault)
}

func BenchmarkNewMaterialECCNISTP256(b *testing.B) { benchmarkNewMaterial(b, keystore.ECCNISTP256) }

func BenchmarkNewMaterialRSA2048(b *testing.B) { benchmarkNewMaterial(b, keystore.RSA2048) }
