package keystore

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	stdrsa "crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/cloudflare/circl/sign/mldsa/mldsa44"
	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// Object identifiers the standard library's x509 package does not know.
var (
	oidECPublicKey = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidSecp256k1   = asn1.ObjectIdentifier{1, 3, 132, 0, 10}
	// id-ml-dsa-44/65/87 (NIST CSOR; RFC 9881: no parameters).
	oidMLDSA44 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 3, 17}
	oidMLDSA65 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 3, 18}
	oidMLDSA87 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 3, 19}
)

// subjectPublicKeyInfo is the X.509 structure (RFC 5280 §4.1).
type subjectPublicKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	PublicKey asn1.BitString
}

// spki encodes a SubjectPublicKeyInfo with algorithm oid, its parameters
// (nil for none) and the public key bytes.
func spki(oid asn1.ObjectIdentifier, params any, key []byte) ([]byte, error) {
	alg := pkix.AlgorithmIdentifier{Algorithm: oid}
	if params != nil {
		b, err := asn1.Marshal(params)
		if err != nil {
			return nil, err
		}
		alg.Parameters = asn1.RawValue{FullBytes: b}
	}
	return asn1.Marshal(subjectPublicKeyInfo{Algorithm: alg, PublicKey: asn1.BitString{Bytes: key, BitLength: 8 * len(key)}})
}

// MarshalPublicKey returns pub, a public key of a type
// [Material.PublicKey] returns, as a DER X.509 SubjectPublicKeyInfo, the
// form KMS's GetPublicKey and GenerateDataKeyPair use. secp256k1 keys use
// id-ecPublicKey with the named curve secp256k1 (1.3.132.0.10) and an
// uncompressed point; ML-DSA keys use id-ml-dsa-44/65/87 without
// parameters (RFC 9881); SM2 keys id-ecPublicKey with the named curve
// sm2p256v1 (1.2.156.10197.1.301) and an uncompressed point.
func MarshalPublicKey(pub any) ([]byte, error) {
	if k, ok := pub.(*ecdsa.PublicKey); ok && IsSM2PublicKey(k) {
		return marshalSM2PublicKey(k)
	}
	switch k := pub.(type) {
	case *stdrsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		return x509.MarshalPKIXPublicKey(k)
	case *secp256k1.PublicKey:
		return spki(oidECPublicKey, oidSecp256k1, k.SerializeUncompressed())
	case *mldsa44.PublicKey:
		return spki(oidMLDSA44, nil, k.Bytes())
	case *mldsa65.PublicKey:
		return spki(oidMLDSA65, nil, k.Bytes())
	case *mldsa87.PublicKey:
		return spki(oidMLDSA87, nil, k.Bytes())
	}
	return nil, fmt.Errorf("keystore: cannot marshal a public key of type %T", pub)
}

// PublicKeyDER returns m's public key as a DER SubjectPublicKeyInfo (see
// [MarshalPublicKey]), or an error for symmetric material.
func (m *Material) PublicKeyDER() ([]byte, error) {
	return MarshalPublicKey(m.PublicKey())
}

// DataKeyPairSpecs lists the key specs [NewDataKeyPair] generates, the
// DataKeyPairSpec enum of the API model.
var DataKeyPairSpecs = []KeySpec{RSA2048, RSA3072, RSA4096, ECCNISTP256, ECCNISTP384, ECCNISTP521, ECCSECGP256K1, SM2, ECCNISTEdwards25519}

// NewDataKeyPair generates a key pair for GenerateDataKeyPair with the
// same deterministic generators as [NewMaterial]: every byte comes from a
// ChaCha8 stream seeded with the first 32 bytes of r. It returns the
// private key as a DER PKCS #8 PrivateKeyInfo (RFC 5958) and the public
// key as a DER SubjectPublicKeyInfo. The key pair belongs to the caller,
// not to a KMS key, which is why its private half may leave the package.
//
// An SM2 private key is PKCS #8 with id-ecPublicKey and the curve
// sm2p256v1, as gmsm's smx509 and OpenSSL read it. An unsupported spec
// (ML-DSA, anything else) wraps
// [ErrUnsupportedSpec].
func NewDataKeyPair(r io.Reader, spec KeySpec) (private, public []byte, err error) {
	var seed [32]byte
	if err := readRand(r, seed[:]); err != nil {
		return nil, nil, err
	}
	rr := rand.NewChaCha8(seed)
	var s *secret
	switch spec {
	case RSA2048:
		s, _, err = newRSA(rr, 2048)
	case RSA3072:
		s, _, err = newRSA(rr, 3072)
	case RSA4096:
		s, _, err = newRSA(rr, 4096)
	case ECCNISTP256, ECCNISTP384, ECCNISTP521:
		s, _, err = newNIST(rr, spec)
	case ECCSECGP256K1:
		s, _, err = newSecp256k1(rr)
	case SM2:
		s, _, err = newSM2(rr)
	case ECCNISTEdwards25519:
		s, _, err = newEd25519(rr)
	default:
		return nil, nil, fmt.Errorf("%w: no data key pairs of spec %q", ErrUnsupportedSpec, string(spec))
	}
	if err != nil {
		return nil, nil, fmt.Errorf("keystore: generating a %s data key pair: %w", spec, err)
	}
	switch k := s.pair.signer.(type) {
	case secp256k1Signer:
		private, err = marshalSecp256k1PKCS8(k.k)
	case sm2Key:
		private, err = marshalSM2PKCS8(k)
	default:
		private, err = x509.MarshalPKCS8PrivateKey(s.pair.signer)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("keystore: encoding a %s private key: %w", spec, err)
	}
	public, err = MarshalPublicKey(s.pair.public)
	if err != nil {
		return nil, nil, err
	}
	return private, public, nil
}

// pkcs8 and ecPrivateKey are the RFC 5958 and RFC 5915 structures.
type pkcs8 struct {
	Version    int
	Algo       pkix.AlgorithmIdentifier
	PrivateKey []byte
}

type ecPrivateKey struct {
	Version       int
	PrivateKey    []byte
	NamedCurveOID asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	PublicKey     asn1.BitString        `asn1:"optional,explicit,tag:1"`
}

// marshalSecp256k1PKCS8 encodes a secp256k1 key as PKCS #8, which
// x509.MarshalPKCS8PrivateKey refuses for a curve it does not know. As
// OpenSSL does, the curve is named in the AlgorithmIdentifier and left
// out of the inner ECPrivateKey.
func marshalSecp256k1PKCS8(k *secp256k1.PrivateKey) ([]byte, error) {
	d := k.Key.Bytes()
	pub := k.PubKey().SerializeUncompressed()
	inner, err := asn1.Marshal(ecPrivateKey{Version: 1, PrivateKey: d[:], PublicKey: asn1.BitString{Bytes: pub, BitLength: 8 * len(pub)}})
	if err != nil {
		return nil, err
	}
	params, err := asn1.Marshal(oidSecp256k1)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(pkcs8{
		Algo:       pkix.AlgorithmIdentifier{Algorithm: oidECPublicKey, Parameters: asn1.RawValue{FullBytes: params}},
		PrivateKey: inner,
	})
}
