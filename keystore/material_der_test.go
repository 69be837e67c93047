package keystore_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"testing"

	"github.com/cloudflare/circl/sign/mldsa/mldsa44"
	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/keystore"
)

// spkiFields is the outer SubjectPublicKeyInfo, for specs x509 cannot
// parse.
type spkiFields struct {
	Algorithm struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue `asn1:"optional"`
	}
	PublicKey asn1.BitString
}

func TestPublicKeyDEREverySpec(t *testing.T) {
	for _, spec := range keystore.KeySpecs {
		m := cachedMat(t, 1, spec)
		der, err := m.PublicKeyDER()
		if m.PublicKey() == nil {
			require.Error(t, err, spec)
			continue
		}
		require.NoError(t, err, spec)
		var f spkiFields
		rest, err := asn1.Unmarshal(der, &f)
		require.NoError(t, err, spec)
		require.Empty(t, rest)
		if spec == keystore.SM2 {
			require.Equal(t, "1.2.840.10045.2.1", f.Algorithm.Algorithm.String())
			var curve asn1.ObjectIdentifier
			_, err := asn1.Unmarshal(f.Algorithm.Parameters.FullBytes, &curve)
			require.NoError(t, err)
			require.Equal(t, "1.2.156.10197.1.301", curve.String())
			parsed, err := smx509.ParsePKIXPublicKey(der)
			require.NoError(t, err)
			require.True(t, m.PublicKey().(*ecdsa.PublicKey).Equal(parsed))
			continue
		}
		switch pub := m.PublicKey().(type) {
		case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
			parsed, err := x509.ParsePKIXPublicKey(der)
			require.NoError(t, err, spec)
			require.True(t, parsed.(interface{ Equal(crypto.PublicKey) bool }).Equal(pub), spec)
		case *secp256k1.PublicKey:
			require.Equal(t, "1.2.840.10045.2.1", f.Algorithm.Algorithm.String())
			var curve asn1.ObjectIdentifier
			_, err := asn1.Unmarshal(f.Algorithm.Parameters.FullBytes, &curve)
			require.NoError(t, err)
			require.Equal(t, "1.3.132.0.10", curve.String())
			back, err := secp256k1.ParsePubKey(f.PublicKey.Bytes)
			require.NoError(t, err)
			require.True(t, back.IsEqual(pub))
		case *mldsa44.PublicKey:
			require.Equal(t, "2.16.840.1.101.3.4.3.17", f.Algorithm.Algorithm.String())
			require.Equal(t, pub.Bytes(), f.PublicKey.Bytes)
			require.Empty(t, f.Algorithm.Parameters.FullBytes)
		case *mldsa65.PublicKey:
			require.Equal(t, "2.16.840.1.101.3.4.3.18", f.Algorithm.Algorithm.String())
			require.Equal(t, pub.Bytes(), f.PublicKey.Bytes)
		case *mldsa87.PublicKey:
			require.Equal(t, "2.16.840.1.101.3.4.3.19", f.Algorithm.Algorithm.String())
			require.Equal(t, pub.Bytes(), f.PublicKey.Bytes)
		default:
			t.Fatalf("%s: unexpected public key type %T", spec, pub)
		}
	}
}

func TestMLDSAMaterialWorks(t *testing.T) {
	msg := []byte("post-quantum message")
	for _, spec := range []keystore.KeySpec{keystore.MLDSA44, keystore.MLDSA65, keystore.MLDSA87} {
		m := cachedMat(t, 1, spec)
		sig, err := m.Signer().Sign(nil, msg, crypto.Hash(0))
		require.NoError(t, err, spec)
		again, err := m.Signer().Sign(nil, msg, nil)
		require.NoError(t, err)
		require.Equal(t, sig, again, "deterministic signing")
		var ok bool
		switch pub := m.PublicKey().(type) {
		case *mldsa44.PublicKey:
			ok = mldsa44.Verify(pub, msg, nil, sig)
		case *mldsa65.PublicKey:
			ok = mldsa65.Verify(pub, msg, nil, sig)
		case *mldsa87.PublicKey:
			ok = mldsa87.Verify(pub, msg, nil, sig)
		}
		require.True(t, ok, spec)
		_, err = m.Signer().Sign(nil, msg, crypto.SHA256)
		require.Error(t, err)
		require.Equal(t, "keystore.mldsaSigner{ML-DSA-"+string(spec)[len("ML_DSA_"):]+"}", fmt.Sprintf("%+v", m.Signer()))
	}
}

func TestNewDataKeyPair(t *testing.T) {
	digest := sha256.Sum256([]byte("data key pair"))
	for _, spec := range keystore.DataKeyPairSpecs {
		if spec == keystore.RSA4096 && testing.Short() {
			continue
		}
		priv, pub, err := keystore.NewDataKeyPair(seeded(7), spec)
		require.NoError(t, err, spec)
		priv2, pub2, err := keystore.NewDataKeyPair(seeded(7), spec)
		require.NoError(t, err)
		require.Equal(t, priv, priv2, "deterministic")
		require.Equal(t, pub, pub2)
		if spec == keystore.ECCSECGP256K1 {
			// x509 knows no secp256k1: read the PKCS #8 by hand.
			var p8 struct {
				Version int
				Algo    struct {
					Algorithm  asn1.ObjectIdentifier
					Parameters asn1.ObjectIdentifier
				}
				PrivateKey []byte
			}
			_, err := asn1.Unmarshal(priv, &p8)
			require.NoError(t, err)
			require.Equal(t, "1.3.132.0.10", p8.Algo.Parameters.String())
			var ec struct {
				Version    int
				PrivateKey []byte
				PublicKey  asn1.BitString `asn1:"optional,explicit,tag:1"`
			}
			_, err = asn1.Unmarshal(p8.PrivateKey, &ec)
			require.NoError(t, err)
			k := secp256k1.PrivKeyFromBytes(ec.PrivateKey)
			var f spkiFields
			_, err = asn1.Unmarshal(pub, &f)
			require.NoError(t, err)
			require.Equal(t, k.PubKey().SerializeUncompressed(), f.PublicKey.Bytes)
			require.Equal(t, f.PublicKey.Bytes, ec.PublicKey.Bytes)
			sig := secpecdsa.Sign(k, digest[:])
			require.True(t, sig.Verify(digest[:], k.PubKey()))
			continue
		}
		if spec == keystore.SM2 {
			// x509 knows no SM2 curve; gmsm's parser must read both halves.
			key, err := smx509.ParsePKCS8PrivateKey(priv)
			require.NoError(t, err)
			parsedPub, err := smx509.ParsePKIXPublicKey(pub)
			require.NoError(t, err)
			k := key.(*sm2.PrivateKey)
			require.True(t, k.PublicKey.Equal(parsedPub))
			sig, err := k.Sign(rand.Reader, []byte("data key pair"), sm2.NewSM2SignerOption(true, nil))
			require.NoError(t, err)
			require.True(t, sm2.VerifyASN1WithSM2(parsedPub.(*ecdsa.PublicKey), nil, []byte("data key pair"), sig))
			continue
		}
		key, err := x509.ParsePKCS8PrivateKey(priv)
		require.NoError(t, err, spec)
		parsedPub, err := x509.ParsePKIXPublicKey(pub)
		require.NoError(t, err, spec)
		signer := key.(crypto.Signer)
		require.True(t, signer.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(parsedPub), spec)
	}
	for _, spec := range []keystore.KeySpec{keystore.MLDSA44, keystore.SymmetricDefault, "NOPE"} {
		_, _, err := keystore.NewDataKeyPair(seeded(7), spec)
		require.ErrorIs(t, err, keystore.ErrUnsupportedSpec, spec)
	}
	_, _, err := keystore.NewDataKeyPair(bytes.NewReader(nil), keystore.ECCNISTP256)
	require.Error(t, err)
}
