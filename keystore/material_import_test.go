package keystore_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/keystore"
)

// importSpecs are the specs whose private keys are imported.
var importSpecs = []keystore.KeySpec{
	keystore.RSA2048, keystore.RSA3072, keystore.RSA4096,
	keystore.ECCNISTP256, keystore.ECCNISTP384, keystore.ECCNISTP521,
	keystore.ECCSECGP256K1, keystore.SM2,
}

// pairCache holds NewDataKeyPair results by (seed, spec), so each RSA
// key is made once. Tests using it must not run in parallel.
var pairCache = map[string][2][]byte{}

// keyPair returns the PKCS #8 private key and SPKI public key that
// NewDataKeyPair makes from a ChaCha8 stream whose 32-byte seed starts
// with seed; NewMaterial on rand.NewChaCha8 of the first 32 bytes of the
// same stream makes the same key pair.
func keyPair(t testing.TB, seed byte, spec keystore.KeySpec) (private, public []byte) {
	t.Helper()
	k := fmt.Sprint(seed, spec)
	if p, ok := pairCache[k]; ok {
		return p[0], p[1]
	}
	private, public, err := keystore.NewDataKeyPair(seeded(seed), spec)
	require.NoError(t, err, spec)
	pairCache[k] = [2][]byte{private, public}
	return private, public
}

func TestMaterialFromPrivateKeyEverySpec(t *testing.T) {
	for _, spec := range importSpecs {
		t.Run(string(spec), func(t *testing.T) {
			assert.True(t, keystore.ImportsPrivateKey(spec))
			private, public := keyPair(t, 1, spec)
			m, err := keystore.MaterialFromPrivateKey(testKeyID, spec, private)
			require.NoError(t, err)
			assert.Equal(t, spec, m.Spec)
			assert.Regexp(t, materialIDRE, m.ID)
			der, err := m.PublicKeyDER()
			require.NoError(t, err)
			assert.Equal(t, public, der, "the public key is derived from the private key")
			assert.NotNil(t, m.Signer())

			// The material NewMaterial makes for the same key pair has the
			// same ID: the ID bytes are the same.
			var seed [32]byte
			copy(seed[:], firstBytes(t, 1, 32))
			gen, err := keystore.NewMaterial(mrand.NewChaCha8(seed), testKeyID, spec)
			require.NoError(t, err)
			assert.Equal(t, gen.ID, m.ID)

			again, err := keystore.MaterialFromPrivateKey(testKeyID, spec, bytes.Clone(private))
			require.NoError(t, err)
			assert.Equal(t, m.ID, again.ID)
			other, err := keystore.MaterialFromPrivateKey("another-key", spec, private)
			require.NoError(t, err)
			assert.NotEqual(t, m.ID, other.ID, "the ID depends on the key ID")
		})
	}
}

func TestMaterialFromPrivateKeyUnsupported(t *testing.T) {
	private, _ := keyPair(t, 1, keystore.ECCNISTEdwards25519)
	for _, spec := range []keystore.KeySpec{keystore.SymmetricDefault, keystore.HMAC256, keystore.ECCNISTEdwards25519, keystore.MLDSA44, keystore.MLDSA65, keystore.MLDSA87, "RSA_1024"} {
		assert.False(t, keystore.ImportsPrivateKey(spec), spec)
		_, err := keystore.MaterialFromPrivateKey(testKeyID, spec, private)
		assert.ErrorIs(t, err, keystore.ErrUnsupportedSpec, spec)
		assert.NotErrorIs(t, err, keystore.ErrPrivateKey, spec)
	}
}

// Local copies of the PKCS #8 and RFC 5915 structures, to build keys
// that are wrong in one way.
type testPKCS8 struct {
	Version    int
	Algo       pkix.AlgorithmIdentifier
	PrivateKey []byte
}

type testECKey struct {
	Version       int
	PrivateKey    []byte
	NamedCurveOID asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	PublicKey     asn1.BitString        `asn1:"optional,explicit,tag:1"`
}

var (
	testOIDEC   = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	testOIDP256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	testOIDP384 = asn1.ObjectIdentifier{1, 3, 132, 0, 34}
)

// ecPKCS8 encodes an EC private key with curve parameters params (nil
// for none) around inner.
func ecPKCS8(t testing.TB, version int, params any, inner testECKey) []byte {
	t.Helper()
	algo := pkix.AlgorithmIdentifier{Algorithm: testOIDEC}
	if params != nil {
		b, err := asn1.Marshal(params)
		require.NoError(t, err)
		algo.Parameters = asn1.RawValue{FullBytes: b}
	}
	in, err := asn1.Marshal(inner)
	require.NoError(t, err)
	out, err := asn1.Marshal(testPKCS8{Version: version, Algo: algo, PrivateKey: in})
	require.NoError(t, err)
	return out
}

// p256Point returns the uncompressed public point of P-256 scalar d.
func p256Point(t testing.TB, d []byte) []byte {
	t.Helper()
	k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d)
	require.NoError(t, err)
	pub, err := k.PublicKey.Bytes()
	require.NoError(t, err)
	return pub
}

func TestMaterialFromPrivateKeyRejects(t *testing.T) {
	p256, p256Pub := keyPair(t, 1, keystore.ECCNISTP256)
	p384, _ := keyPair(t, 1, keystore.ECCNISTP384)
	k1, _ := keyPair(t, 1, keystore.ECCSECGP256K1)
	sm2Key, _ := keyPair(t, 1, keystore.SM2)
	ed, _ := keyPair(t, 1, keystore.ECCNISTEdwards25519)
	rsa2048, rsaPub := keyPair(t, 1, keystore.RSA2048)
	rsa3072, _ := keyPair(t, 1, keystore.RSA3072)
	ecParsed, err := x509.ParsePKCS8PrivateKey(p256)
	require.NoError(t, err)
	sec1, err := x509.MarshalECPrivateKey(ecParsed.(*ecdsa.PrivateKey))
	require.NoError(t, err)

	d := make([]byte, 32)
	d[31] = 7
	other := make([]byte, 32)
	other[31] = 8
	n := elliptic.P256().Params().N
	point := p256Point(t, d)
	good := testECKey{Version: 1, PrivateKey: d, PublicKey: asn1.BitString{Bytes: point, BitLength: 8 * len(point)}}
	withCurve := func(k testECKey, oid asn1.ObjectIdentifier) testECKey { k.NamedCurveOID = oid; return k }
	withScalar := func(k testECKey, s []byte) testECKey { k.PrivateKey = s; k.PublicKey = asn1.BitString{}; return k }
	withPoint := func(k testECKey, pt []byte) testECKey {
		k.PublicKey = asn1.BitString{Bytes: pt, BitLength: 8 * len(pt)}
		return k
	}
	compressed := append([]byte{byte(2 + point[64]&1)}, point[1:33]...)

	cases := []struct {
		name   string
		spec   keystore.KeySpec
		der    []byte
		reason string // "" for success
	}{
		{"garbage", keystore.RSA2048, []byte("not a key at all"), "not a DER PKCS #8 private key"},
		{"empty", keystore.ECCNISTP256, nil, "not a DER PKCS #8 private key"},
		{"RSA public key", keystore.RSA2048, rsaPub, "not a DER PKCS #8 private key"},
		{"EC public key", keystore.ECCNISTP256, p256Pub, "not a DER PKCS #8 private key"},
		{"PKCS #1 RSA private key", keystore.RSA2048, x509.MarshalPKCS1PrivateKey(mustRSA(t, rsa2048)), "not a DER PKCS #8 private key"},
		{"SEC 1 EC private key", keystore.ECCNISTP256, sec1, "not a DER PKCS #8 private key"},
		{"trailing byte", keystore.ECCNISTP256, append(bytes.Clone(p256), 0), "not a DER PKCS #8 private key"},
		{"PKCS #8 version 2", keystore.ECCNISTP256, ecPKCS8(t, 2, testOIDP256, good), "not a DER PKCS #8 private key"},
		{"RSA 3072 for RSA_2048", keystore.RSA2048, rsa3072, "the modulus is 3072 bits, not 2048"},
		{"RSA 2048 for RSA_4096", keystore.RSA4096, rsa2048, "the modulus is 2048 bits, not 4096"},
		{"EC key for RSA", keystore.RSA3072, p256, "the PKCS #8 algorithm is 1.2.840.10045.2.1, not rsaEncryption"},
		{"RSA key for EC", keystore.ECCNISTP256, rsa2048, "the PKCS #8 algorithm is 1.2.840.113549.1.1.1, not id-ecPublicKey"},
		{"Ed25519 key for EC", keystore.ECCNISTP256, ed, "the PKCS #8 algorithm is 1.3.101.112, not id-ecPublicKey"},
		{"P-384 for P-256", keystore.ECCNISTP256, p384, "the curve is 1.3.132.0.34, not 1.2.840.10045.3.1.7"},
		{"P-256 for P-521", keystore.ECCNISTP521, p256, "the curve is 1.2.840.10045.3.1.7, not 1.3.132.0.35"},
		{"secp256k1 for P-256", keystore.ECCNISTP256, k1, "the curve is 1.3.132.0.10, not 1.2.840.10045.3.1.7"},
		{"P-256 for secp256k1", keystore.ECCSECGP256K1, p256, "the curve is 1.2.840.10045.3.1.7, not 1.3.132.0.10"},
		{"SM2 for P-256", keystore.ECCNISTP256, sm2Key, "the curve is 1.2.156.10197.1.301, not 1.2.840.10045.3.1.7"},
		{"P-256 for SM2", keystore.SM2, p256, "the curve is 1.2.840.10045.3.1.7, not 1.2.156.10197.1.301"},
		{"no curve", keystore.ECCNISTP256, ecPKCS8(t, 0, nil, good), "the PKCS #8 algorithm parameters are not a named curve"},
		{"explicit curve parameters", keystore.ECCNISTP256, ecPKCS8(t, 0, asn1.RawValue{Tag: asn1.TagSequence, Class: asn1.ClassUniversal, IsCompound: true, Bytes: []byte{2, 1, 1}}, good), "the PKCS #8 algorithm parameters are not a named curve"},
		{"inner curve differs", keystore.ECCNISTP256, ecPKCS8(t, 0, testOIDP256, withCurve(good, testOIDP384)), "the ECPrivateKey names the curve 1.3.132.0.34, not 1.2.840.10045.3.1.7"},
		{"inner version 0", keystore.ECCNISTP256, ecPKCS8(t, 0, testOIDP256, testECKey{Version: 0, PrivateKey: d}), "the private key is not an RFC 5915 ECPrivateKey"},
		{"scalar zero", keystore.ECCNISTP256, ecPKCS8(t, 0, testOIDP256, withScalar(good, make([]byte, 32))), "the private scalar is out of range"},
		{"scalar N", keystore.ECCNISTP256, ecPKCS8(t, 0, testOIDP256, withScalar(good, n.Bytes())), "the private scalar is out of range"},
		{"scalar too long", keystore.ECCNISTP256, ecPKCS8(t, 0, testOIDP256, withScalar(good, append([]byte{0}, d...))), "the private scalar is 33 bytes, more than 32"},
		{"public key of another scalar", keystore.ECCNISTP256, ecPKCS8(t, 0, testOIDP256, withPoint(good, p256Point(t, other))), "the public key does not belong to the private key"},
		{"garbage public key", keystore.ECCNISTP256, ecPKCS8(t, 0, testOIDP256, withPoint(good, []byte{4, 1, 2})), "the public key does not belong to the private key"},

		{"well formed", keystore.ECCNISTP256, ecPKCS8(t, 0, testOIDP256, good), ""},
		{"version 1", keystore.ECCNISTP256, ecPKCS8(t, 1, testOIDP256, good), ""},
		{"matching inner curve", keystore.ECCNISTP256, ecPKCS8(t, 0, testOIDP256, withCurve(good, testOIDP256)), ""},
		{"compressed public key", keystore.ECCNISTP256, ecPKCS8(t, 0, testOIDP256, withPoint(good, compressed)), ""},
		{"no public key", keystore.ECCNISTP256, ecPKCS8(t, 0, testOIDP256, withScalar(good, d)), ""},
		{"short scalar", keystore.ECCNISTP256, ecPKCS8(t, 0, testOIDP256, withScalar(good, []byte{7})), ""},
		{"scalar N-1", keystore.ECCNISTP256, ecPKCS8(t, 0, testOIDP256, withScalar(good, new(big.Int).Sub(n, big.NewInt(1)).Bytes())), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := keystore.MaterialFromPrivateKey(testKeyID, tc.spec, tc.der)
			if tc.reason == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.spec, m.Spec)
				return
			}
			require.ErrorIs(t, err, keystore.ErrPrivateKey)
			assert.False(t, errors.Is(err, keystore.ErrUnsupportedSpec))
			assert.Equal(t, "keystore: not a private key of the key spec: "+string(tc.spec)+" key material: "+tc.reason, err.Error())
			assert.Nil(t, m)
		})
	}

	// Every encoding of scalar 7 is one material.
	a, err := keystore.MaterialFromPrivateKey(testKeyID, keystore.ECCNISTP256, ecPKCS8(t, 0, testOIDP256, good))
	require.NoError(t, err)
	b, err := keystore.MaterialFromPrivateKey(testKeyID, keystore.ECCNISTP256, ecPKCS8(t, 1, testOIDP256, withScalar(good, []byte{7})))
	require.NoError(t, err)
	assert.Equal(t, keystore.MaterialID(testKeyID, d), a.ID)
	assert.Equal(t, a.ID, b.ID)
}

func mustRSA(t testing.TB, der []byte) *rsa.PrivateKey {
	t.Helper()
	k, err := x509.ParsePKCS8PrivateKey(der)
	require.NoError(t, err)
	return k.(*rsa.PrivateKey)
}

// The SM2 scalar range ends at N−2, as for generated SM2 keys.
func TestMaterialFromPrivateKeySM2Range(t *testing.T) {
	sm2OID := asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 301}
	n, ok := new(big.Int).SetString("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)
	require.True(t, ok)
	for _, tc := range []struct {
		sub int64
		ok  bool
	}{{1, false}, {2, true}} {
		s := new(big.Int).Sub(n, big.NewInt(tc.sub)).Bytes()
		_, err := keystore.MaterialFromPrivateKey(testKeyID, keystore.SM2, ecPKCS8(t, 0, sm2OID, testECKey{Version: 1, PrivateKey: s}))
		if tc.ok {
			assert.NoError(t, err, "N-%d", tc.sub)
		} else {
			assert.ErrorIs(t, err, keystore.ErrPrivateKey, "N-%d", tc.sub)
		}
	}
}

// Errors never show the key.
func TestMaterialFromPrivateKeyErrorsShowNoKey(t *testing.T) {
	private, _ := keyPair(t, 1, keystore.ECCNISTP384)
	_, err := keystore.MaterialFromPrivateKey(testKeyID, keystore.ECCNISTP256, private)
	require.Error(t, err)
	p, err2 := x509.ParsePKCS8PrivateKey(private)
	require.NoError(t, err2)
	d, err2 := p.(*ecdsa.PrivateKey).Bytes()
	require.NoError(t, err2)
	for _, f := range []string{string(d), fmt.Sprintf("%x", d), fmt.Sprint(d), fmt.Sprintf("%x", private)} {
		assert.False(t, strings.Contains(err.Error(), f))
	}
}
