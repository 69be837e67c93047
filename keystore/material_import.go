package keystore

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	stdrsa "crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/emmansun/gmsm/sm2"
)

// Imported asymmetric material. The KMS Developer Guide ("Requirements
// for imported key material") takes the private key of an RSA, ECC or
// (China Regions) SM2 key pair as a DER-encoded PKCS #8 PrivateKeyInfo,
// and derives the public key itself. It lists no ECC_NIST_EDWARDS25519 or
// ML-DSA material, so those specs are not imported.

// ErrPrivateKey is wrapped by the error [MaterialFromPrivateKey] returns
// for bytes that are not a private key of the key spec. The error says
// what is wrong (the format, the algorithm, the curve, the size) and
// never shows the bytes.
var ErrPrivateKey = errors.New("keystore: not a private key of the key spec")

// privateKeyCurves are the elliptic-curve specs whose private keys are
// imported, with the named curve PKCS #8 must give and the largest valid
// scalar (N−1; N−2 for SM2, see [newSM2]).
var privateKeyCurves = map[KeySpec]struct {
	oid   asn1.ObjectIdentifier
	curve elliptic.Curve // nil for secp256k1, whose arithmetic is decred's
	max   *big.Int
}{
	ECCNISTP256:   {asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}, elliptic.P256(), new(big.Int).Sub(elliptic.P256().Params().N, big.NewInt(1))},
	ECCNISTP384:   {asn1.ObjectIdentifier{1, 3, 132, 0, 34}, elliptic.P384(), new(big.Int).Sub(elliptic.P384().Params().N, big.NewInt(1))},
	ECCNISTP521:   {asn1.ObjectIdentifier{1, 3, 132, 0, 35}, elliptic.P521(), new(big.Int).Sub(elliptic.P521().Params().N, big.NewInt(1))},
	ECCSECGP256K1: {oidSecp256k1, nil, new(big.Int).Sub(secp256k1.S256().N, big.NewInt(1))},
	SM2:           {oidSM2, sm2.P256(), new(big.Int).Sub(sm2MaxScalar, big.NewInt(1))},
}

// privateKeyRSABits maps the RSA specs to their modulus sizes.
var privateKeyRSABits = map[KeySpec]int{RSA2048: 2048, RSA3072: 3072, RSA4096: 4096}

// oidRSAEncryption is rsaEncryption (PKCS #1), the PKCS #8 algorithm of
// an RSA private key.
var oidRSAEncryption = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}

// ImportsPrivateKey reports whether [MaterialFromPrivateKey] takes
// material of spec: RSA_2048/3072/4096, ECC_NIST_P256/P384/P521,
// ECC_SECG_P256K1 and SM2.
func ImportsPrivateKey(spec KeySpec) bool {
	_, rsa := privateKeyRSABits[spec]
	_, ec := privateKeyCurves[spec]
	return rsa || ec
}

// MaterialFromPrivateKey makes the material version of an imported
// private key for key keyID: der is a DER PKCS #8 PrivateKeyInfo (RFC
// 5208; version 0 or 1 of RFC 5958) with nothing after it, of a key pair
// of spec. The material is the one [NewMaterial] makes for the same key
// pair, with its ID over the same bytes, so the same private key imported
// into related keys has one ID whatever its encoding:
//
//   - RSA_*: rsaEncryption with a two-prime key of the spec's modulus
//     size; the ID is over the PKCS #1 DER of the key rebuilt from its
//     primes and public exponent (so a d mod λ(n) and a d mod φ(n)
//     encoding give one ID).
//   - ECC_NIST_P256/P384/P521, ECC_SECG_P256K1, SM2: id-ecPublicKey with
//     the spec's named curve (prime256v1, secp384r1, secp521r1, secp256k1,
//     sm2p256v1) and an RFC 5915 ECPrivateKey whose scalar is in range;
//     a curve or public key inside it must match. The ID is over the
//     scalar padded to the curve's size.
//
// A spec it does not take (see [ImportsPrivateKey]) wraps
// [ErrUnsupportedSpec]; anything else wrong wraps [ErrPrivateKey]. It
// keeps no reference to der.
func MaterialFromPrivateKey(keyID string, spec KeySpec, der []byte) (*Material, error) {
	var (
		s      *secret
		raw    []byte
		reason string
	)
	bits, isRSA := privateKeyRSABits[spec]
	c, isEC := privateKeyCurves[spec]
	if !isRSA && !isEC {
		return nil, fmt.Errorf("%w: %s: private keys of this spec are not imported", ErrUnsupportedSpec, spec)
	}
	var p pkcs8
	rest, err := asn1.Unmarshal(der, &p)
	switch {
	case err != nil || len(rest) != 0 || (p.Version != 0 && p.Version != 1):
		reason = "not a DER PKCS #8 private key"
	case isRSA:
		s, raw, reason = privateRSA(der, p, bits)
	default:
		s, raw, reason = privateEC(p, spec, c.oid, c.curve, c.max)
	}
	if reason != "" {
		return nil, fmt.Errorf("%w: %s key material: %s", ErrPrivateKey, spec, reason)
	}
	return newMaterial(keyID, spec, s, raw), nil
}

// privateRSA reads an RSA private key of bits bits from der, whose outer
// PKCS #8 structure is p. It returns the secret and its ID bytes, or why
// der is not such a key.
func privateRSA(der []byte, p pkcs8, bits int) (*secret, []byte, string) {
	if !p.Algo.Algorithm.Equal(oidRSAEncryption) {
		return nil, nil, "the PKCS #8 algorithm is " + p.Algo.Algorithm.String() + ", not rsaEncryption"
	}
	// The standard library checks the key's consistency (n = p·q, e·d ≡ 1
	// and the CRT values).
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, nil, "not a valid RSA private key"
	}
	rk := k.(*stdrsa.PrivateKey)
	switch {
	case rk.N.BitLen() != bits:
		return nil, nil, fmt.Sprintf("the modulus is %d bits, not %d", rk.N.BitLen(), bits)
	case len(rk.Primes) != 2:
		return nil, nil, fmt.Sprintf("the key has %d primes, not 2", len(rk.Primes))
	}
	s, raw, err := rsaFromPrimes(rk.Primes[0], rk.Primes[1], rk.E)
	if err != nil {
		return nil, nil, "not a valid RSA private key"
	}
	return s, raw, ""
}

// rsaFromPrimes builds the RSA key of primes p and q and public exponent
// e as [newRSA] does, d = e⁻¹ mod φ(n), and returns it with its PKCS #1
// DER, the ID bytes.
func rsaFromPrimes(p, q *big.Int, e int) (*secret, []byte, error) {
	one := big.NewInt(1)
	n := new(big.Int).Mul(p, q)
	phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
	d := new(big.Int).ModInverse(big.NewInt(int64(e)), phi)
	if d == nil {
		return nil, nil, errors.New("e is not invertible")
	}
	k := &stdrsa.PrivateKey{
		PublicKey: stdrsa.PublicKey{N: n, E: e},
		D:         d,
		Primes:    []*big.Int{new(big.Int).Set(p), new(big.Int).Set(q)},
	}
	k.Precompute()
	if err := k.Validate(); err != nil {
		return nil, nil, err
	}
	return &secret{pair: &keyPair{signer: k, decrypter: k, rsa: k, public: &k.PublicKey}}, x509.MarshalPKCS1PrivateKey(k), nil
}

// privateEC reads the elliptic-curve private key of spec inside the PKCS
// #8 structure p: named curve oid, curve c (nil for secp256k1) and
// scalars in [1, max]. It returns the secret and its ID bytes, the padded
// scalar, or why p is not such a key.
func privateEC(p pkcs8, spec KeySpec, oid asn1.ObjectIdentifier, c elliptic.Curve, max *big.Int) (*secret, []byte, string) {
	if !p.Algo.Algorithm.Equal(oidECPublicKey) {
		return nil, nil, "the PKCS #8 algorithm is " + p.Algo.Algorithm.String() + ", not id-ecPublicKey"
	}
	var named asn1.ObjectIdentifier
	if rest, err := asn1.Unmarshal(p.Algo.Parameters.FullBytes, &named); err != nil || len(rest) != 0 {
		return nil, nil, "the PKCS #8 algorithm parameters are not a named curve"
	}
	if !named.Equal(oid) {
		return nil, nil, "the curve is " + named.String() + ", not " + oid.String()
	}
	var ek ecPrivateKey
	if rest, err := asn1.Unmarshal(p.PrivateKey, &ek); err != nil || len(rest) != 0 || ek.Version != 1 {
		return nil, nil, "the private key is not an RFC 5915 ECPrivateKey"
	}
	if len(ek.NamedCurveOID) > 0 && !ek.NamedCurveOID.Equal(oid) {
		return nil, nil, "the ECPrivateKey names the curve " + ek.NamedCurveOID.String() + ", not " + oid.String()
	}
	size := (max.BitLen() + 7) / 8
	if len(ek.PrivateKey) > size {
		return nil, nil, fmt.Sprintf("the private scalar is %d bytes, more than %d", len(ek.PrivateKey), size)
	}
	d := new(big.Int).SetBytes(ek.PrivateKey)
	if d.Sign() == 0 || d.Cmp(max) > 0 {
		return nil, nil, "the private scalar is out of range"
	}
	raw := d.FillBytes(make([]byte, size))
	var s *secret
	switch spec {
	case ECCSECGP256K1:
		s = secp256k1Secret(raw)
	case SM2:
		s = sm2Secret(raw)
	default:
		var err error
		if s, err = nistSecret(c, raw); err != nil {
			return nil, nil, "the private scalar is out of range"
		}
	}
	if pub := ek.PublicKey.RightAlign(); len(pub) > 0 && !matchesPoint(s.pair.public, size, pub) {
		return nil, nil, "the public key does not belong to the private key"
	}
	return s, raw, ""
}

// matchesPoint reports whether pt, an uncompressed or compressed SEC 1
// point, is the public key pub of a curve of size-byte coordinates.
func matchesPoint(pub any, size int, pt []byte) bool {
	var x, y *big.Int
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		x, y = k.X, k.Y
	case *secp256k1.PublicKey:
		x, y = k.X(), k.Y()
	default:
		return false
	}
	full := append([]byte{4}, x.FillBytes(make([]byte, size))...)
	full = append(full, y.FillBytes(make([]byte, size))...)
	short := append([]byte{byte(2 + y.Bit(0))}, full[1:1+size]...)
	return bytes.Equal(pt, full) || bytes.Equal(pt, short)
}
