package keystore

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/subtle"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"

	"github.com/emmansun/gmsm/kdf"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/smx509"
)

// SM2 (GM/T 0003, the China partition's elliptic-curve scheme) comes from
// github.com/emmansun/gmsm: neither the standard library nor x/crypto has
// SM2 or SM3. Only the curve arithmetic, signing, encryption and DER
// helpers are used; the private scalar is drawn here from the caller's
// reader, because gmsm's GenerateKey reads its rand argument in a way
// that is not part of its contract.

// oidSM2 names the SM2 curve sm2p256v1 (GM/T 0006), the parameters of
// id-ecPublicKey in SM2 keys' SubjectPublicKeyInfo and PKCS #8.
var oidSM2 = asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 301}

// sm2MaxScalar is N−1 of the SM2 curve: GM/T 0003.1 §6.1 takes the
// private key d in [1, N−2], since signing needs (1+d)⁻¹ mod N.
var sm2MaxScalar = new(big.Int).Sub(sm2.P256().Params().N, big.NewInt(1))

// newSM2 makes an SM2 key from a scalar in [1, N−2] drawn from r by
// rejection sampling. Its ID bytes are the 32-byte scalar.
func newSM2(r io.Reader) (*secret, []byte, error) {
	d, err := randScalar(r, sm2MaxScalar)
	if err != nil {
		return nil, nil, err
	}
	return sm2Secret(d), d, nil
}

// sm2Secret builds the signing and decryption key of scalar d (32 bytes,
// in [1, N-2]).
func sm2Secret(d []byte) *secret {
	k := sm2FromScalar(d)
	s := sm2Key{k}
	return &secret{pair: &keyPair{signer: s, decrypter: s, public: &k.PublicKey}}
}

// sm2FromScalar builds the SM2 key pair of scalar d (big-endian, valid).
func sm2FromScalar(d []byte) *sm2.PrivateKey {
	c := sm2.P256()
	k := new(sm2.PrivateKey)
	k.Curve = c
	k.D = new(big.Int).SetBytes(d)
	k.X, k.Y = c.ScalarBaseMult(d)
	return k
}

// IsSM2PublicKey reports whether pub is an SM2 public key as
// [Material.PublicKey] returns it: an *ecdsa.PublicKey on the SM2 curve.
func IsSM2PublicKey(pub crypto.PublicKey) bool {
	return sm2.IsSM2PublicKey(pub)
}

// marshalSM2PublicKey encodes an SM2 public key as KMS's GetPublicKey
// does: id-ecPublicKey with the named curve sm2p256v1 and an uncompressed
// point. (KMS's documentation has callers parse this DER with Bouncy
// Castle's standard EC key factory, which reads SM2 keys in exactly this
// form; it is also what OpenSSL 1.1.1 and gmsm write.)
func marshalSM2PublicKey(k *ecdsa.PublicKey) ([]byte, error) {
	pt := make([]byte, 65)
	pt[0] = 4
	k.X.FillBytes(pt[1:33])
	k.Y.FillBytes(pt[33:])
	return spki(oidECPublicKey, oidSM2, pt)
}

// marshalSM2PKCS8 encodes an SM2 private key as PKCS #8 with
// id-ecPublicKey and the curve sm2p256v1, the form gmsm's
// smx509.ParsePKCS8PrivateKey and OpenSSL read.
func marshalSM2PKCS8(k sm2Key) ([]byte, error) {
	return smx509.MarshalPKCS8PrivateKey(k.k)
}

// sm2Key is the crypto.Signer and crypto.Decrypter of an SM2 key. It
// prints no key.
type sm2Key struct{ k *sm2.PrivateKey }

// zeroReader gives gmsm's signer a constant entropy input, so that its
// nonce depends on the key and the digest alone (it hashes the key, the
// entropy and the digest into an AES-CTR stream): signatures are then
// deterministic, like kmsim's ECDSA (RFC 6979), and do not depend on how
// many bytes gmsm decides to read.
type zeroReader struct{}

func (zeroReader) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

// Public returns the *ecdsa.PublicKey on the SM2 curve.
func (s sm2Key) Public() crypto.PublicKey { return &s.k.PublicKey }

// Sign returns the ASN.1 DER SM2 signature (r, s) of digest, the 32-byte
// e = SM3(Z_A ‖ M) of GM/T 0003.2 §6.1, which the caller computes. It is
// deterministic; rand and opts are ignored.
func (s sm2Key) Sign(_ io.Reader, digest []byte, _ crypto.SignerOpts) ([]byte, error) {
	if len(digest) != 32 {
		return nil, errors.New("keystore: an SM2 digest is 32 bytes")
	}
	return sm2.SignASN1(zeroReader{}, s.k, digest, nil)
}

// Decrypt opens SM2 public-key encryption ciphertext (GM/T 0003.4) in the
// ASN.1 form KMS uses for SM2PKE: SEQUENCE { x INTEGER, y INTEGER,
// C3 OCTET STRING (the SM3 hash), C2 OCTET STRING }. KMS's documentation
// has callers convert raw C1C2C3 output to this form, so raw forms, which
// gmsm would also accept, are refused. rand and opts are ignored. Its
// errors name no key or plaintext.
func (s sm2Key) Decrypt(_ io.Reader, ciphertext []byte, _ crypto.DecrypterOpts) ([]byte, error) {
	return sm2Decrypt(s.k, ciphertext)
}

func (s sm2Key) String() string             { return "keystore.sm2Key" }
func (s sm2Key) GoString() string           { return s.String() }
func (s sm2Key) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }

// sm2Ciphertext is the ASN.1 SM2PKE ciphertext of GM/T 0009 §7.2, the
// form KMS takes and returns: C1 as (x, y), C3 the SM3 hash, C2 the
// masked message.
type sm2Ciphertext struct {
	X, Y *big.Int
	C3   []byte
	C2   []byte
}

// SM2PKE is written out here (GM/T 0003.4 §6 and §7) on gmsm's curve, KDF
// and SM3 rather than called from gmsm's sm2.Encrypt and Decrypt: in
// v0.15.5 about one one-byte message in 300 does not round-trip through
// them (Decrypt also refuses a C2 that happens to be all zeros, which
// the standard allows).

// sm2Mask returns the KDF output t for the shared point (x2, y2), and
// x2 ‖ y2 for C3.
func sm2Mask(x2, y2 *big.Int, n int) (t, xy []byte) {
	xy = make([]byte, 64)
	x2.FillBytes(xy[:32])
	y2.FillBytes(xy[32:])
	return kdf.Kdf(sm3.New(), xy, n), xy
}

// sm2C3 is SM3(x2 ‖ msg ‖ y2).
func sm2C3(xy, msg []byte) []byte {
	h := sm3.New()
	h.Write(xy[:32])
	h.Write(msg)
	h.Write(xy[32:])
	return h.Sum(nil)
}

// SM2Encrypt encrypts msg (at least one byte) under the SM2 public key
// pub with an ephemeral scalar drawn from r, and returns the ciphertext
// in KMS's ASN.1 form (see [Material.Decrypter]). Every byte of
// randomness comes from r.
func SM2Encrypt(r io.Reader, pub *ecdsa.PublicKey, msg []byte) ([]byte, error) {
	if !IsSM2PublicKey(pub) || len(msg) == 0 {
		return nil, errors.New("keystore: SM2 encryption needs an SM2 key and a message")
	}
	c := sm2.P256()
	for range maxTries {
		k, err := randScalar(r, sm2MaxScalar)
		if err != nil {
			return nil, err
		}
		x1, y1 := c.ScalarBaseMult(k)
		x2, y2 := c.ScalarMult(pub.X, pub.Y, k)
		t, xy := sm2Mask(x2, y2, len(msg))
		if allZero(t) { // §6.1 A5: draw another k
			continue
		}
		c2 := make([]byte, len(msg))
		subtle.XORBytes(c2, msg, t)
		return asn1.Marshal(sm2Ciphertext{X: x1, Y: y1, C3: sm2C3(xy, msg), C2: c2})
	}
	return nil, errTries
}

// sm2Decrypt opens ct with k (§7): C1 must be on the curve, t not all
// zeros and C3 must match.
func sm2Decrypt(k *sm2.PrivateKey, ct []byte) ([]byte, error) {
	var v sm2Ciphertext
	rest, err := asn1.Unmarshal(ct, &v)
	if err != nil || len(rest) != 0 || len(v.C3) != sm3.Size || len(v.C2) == 0 ||
		v.X.Sign() < 0 || v.Y.Sign() < 0 || !sm2.P256().IsOnCurve(v.X, v.Y) {
		return nil, errors.New("keystore: malformed SM2 ciphertext")
	}
	d := make([]byte, 32)
	k.D.FillBytes(d)
	x2, y2 := sm2.P256().ScalarMult(v.X, v.Y, d)
	t, xy := sm2Mask(x2, y2, len(v.C2))
	if allZero(t) {
		return nil, errors.New("keystore: SM2 decryption failed")
	}
	msg := make([]byte, len(v.C2))
	subtle.XORBytes(msg, v.C2, t)
	if subtle.ConstantTimeCompare(sm2C3(xy, msg), v.C3) != 1 {
		clear(msg)
		return nil, errors.New("keystore: SM2 decryption failed")
	}
	return msg, nil
}

func allZero(b []byte) bool {
	var o byte
	for _, v := range b {
		o |= v
	}
	return o == 0
}
