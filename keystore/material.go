package keystore

import (
	"crypto"
	stdecdh "crypto/ecdh"
	stdrsa "crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// ErrUnsupportedSpec is wrapped by the error [NewMaterial] returns for a
// key spec it cannot generate material for: any string that is not a
// KeySpec of the API model.
var ErrUnsupportedSpec = errors.New("keystore: unsupported key spec for key material")

// Material is one version of a key's material. It is immutable once made,
// so related multi-Region keys may share the same *Material.
//
// Material never prints its secret: String, GoString and Format (every
// verb, including %#v and %+v) show only the ID. The secret sits inside a
// closure, which reflection cannot look into, so even a reflective print
// (a Material in an unexported field, a bad verb, a test library's diff)
// shows a func address, not the key.
type Material struct {
	// ID is the KeyMaterialId: 64 lowercase hex digits, see [MaterialID].
	ID string
	// Spec is the key spec the material was made for.
	Spec KeySpec

	// rawID is ID's bytes, which ciphertext blobs carry; kept beside
	// the hex so Encrypt does not decode it and Decrypt compares bytes.
	rawID [sha256.Size]byte
	s     func() *secret
}

// RawID returns the 32 bytes that ID spells in hex.
func (m *Material) RawID() [sha256.Size]byte { return m.rawID }

// noSecret stands in for the secret of a zero Material.
var noSecret secret

// sec returns m's secret, or an empty one.
func (m *Material) sec() *secret {
	if m.s == nil {
		return &noSecret
	}
	return m.s()
}

// secret holds the key itself: symmetric for SYMMETRIC_DEFAULT
// (AES-256) and HMAC_*, pair for every asymmetric spec. The pair is apart
// so the common symmetric secret is 32 bytes rather than 88: one per key
// at a million keys.
type secret struct {
	symmetric []byte
	pair      *keyPair
}

// keyPair is an asymmetric secret; the fields a spec has no use for are
// nil.
type keyPair struct {
	signer    crypto.Signer       // every asymmetric spec
	decrypter crypto.Decrypter    // RSA_*, SM2
	ecdh      *stdecdh.PrivateKey // ECC_NIST_P256/P384/P521
	public    crypto.PublicKey    // every asymmetric spec
	rsa       *stdrsa.PrivateKey  // RSA_*, for the engine's OAEP and PSS calls
}

// noPair stands in for the key pair of a symmetric secret.
var noPair keyPair

// keys returns s's key pair, or an empty one for a symmetric secret.
func (s *secret) keys() *keyPair {
	if s.pair == nil {
		return &noPair
	}
	return s.pair
}

// String returns "keystore.Material{ID: <id>}".
func (m Material) String() string { return "keystore.Material{ID: " + m.ID + "}" }

// GoString returns the same as String, so %#v hides the secret too.
func (m Material) GoString() string { return m.String() }

// Format writes String for every verb and flag.
func (m Material) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, m.String()) }

// Symmetric returns the AES-256 key (SYMMETRIC_DEFAULT) or HMAC key
// (HMAC_*), or nil for an asymmetric spec. The slice is the material
// itself: the engine uses it for its crypto and must neither modify nor
// emit it.
func (m *Material) Symmetric() []byte {
	return m.sec().symmetric
}

// Signer returns the private key of an asymmetric spec as a crypto.Signer,
// or nil for SYMMETRIC_DEFAULT and HMAC_*. Its concrete type is
// *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey, or a keystore
// type: for ECC_SECG_P256K1 one whose Sign returns an ASN.1 DER ECDSA
// signature (RFC 6979, low S) of a digest and ignores rand and opts; for
// SM2 one whose Sign returns a deterministic ASN.1 DER SM2 signature of a
// 32-byte digest e = SM3(Z_A ‖ M) and ignores rand and opts; for
// ML_DSA_* one whose Sign returns the deterministic pure ML-DSA signature
// of a whole message (opts must not name a hash).
func (m *Material) Signer() crypto.Signer {
	return m.sec().keys().signer
}

// Decrypter returns the private key as a crypto.Decrypter for RSA_* specs
// (the *rsa.PrivateKey) and SM2 (a keystore type that opens SM2PKE
// ciphertext in KMS's ASN.1 form and ignores rand and opts), and nil
// otherwise.
func (m *Material) Decrypter() crypto.Decrypter {
	return m.sec().keys().decrypter
}

// RSA returns the RSA private key for RSA_* specs, and nil otherwise.
func (m *Material) RSA() *stdrsa.PrivateKey {
	return m.sec().keys().rsa
}

// ECDH returns the key-agreement private key for the NIST curve specs
// (ECC_NIST_P256/P384/P521), and nil otherwise.
func (m *Material) ECDH() *stdecdh.PrivateKey {
	return m.sec().keys().ecdh
}

// PublicKey returns the public key of an asymmetric spec, or nil. Its
// concrete type is *rsa.PublicKey, *ecdsa.PublicKey (NIST curves, and the
// SM2 curve for SM2: see [IsSM2PublicKey]), ed25519.PublicKey,
// *secp256k1.PublicKey (github.com/decred/dcrd/dcrec/secp256k1/v4), or
// *mldsa44.PublicKey, *mldsa65.PublicKey, *mldsa87.PublicKey
// (github.com/cloudflare/circl/sign/mldsa/...).
func (m *Material) PublicKey() crypto.PublicKey {
	return m.sec().keys().public
}

// MaterialID computes the KeyMaterialId of secret for key keyID:
// hex(SHA-256(keyID ‖ secret)), 64 lowercase hex digits. For the secret
// bytes of each spec, see [NewMaterial].
func MaterialID(keyID string, secret []byte) string {
	sum := materialSum(keyID, secret)
	return hexID(&sum)
}

// materialSum is SHA-256(keyID ‖ secret), the bytes of a KeyMaterialId.
func materialSum(keyID string, secret []byte) [sha256.Size]byte {
	// A fixed-size buffer keeps the common case (a key ID and a symmetric
	// key) off the heap; every CreateKey computes an ID.
	var buf [128]byte
	return sha256.Sum256(append(append(buf[:0], keyID...), secret...))
}

func hexID(sum *[sha256.Size]byte) string {
	var id [2 * sha256.Size]byte
	hex.Encode(id[:], sum[:])
	return string(id[:])
}

// hmacBytes maps each HMAC spec to its key length, the digest size.
var hmacBytes = map[KeySpec]int{HMAC224: 28, HMAC256: 32, HMAC384: 48, HMAC512: 64}

// NewMaterial generates material for spec from r for key keyID. Every byte
// comes from r, so the same r stream yields the same material and ID
// (math/rand/v2's ChaCha8 makes a deterministic r for tests); nothing
// depends on whether the standard library honours its rand arguments.
//
// Material and the secret bytes its ID is computed from:
//
//   - SYMMETRIC_DEFAULT: 32 bytes of r, an AES-256 key.
//   - HMAC_224/256/384/512: 28/32/48/64 bytes of r.
//   - RSA_2048/3072/4096: e = 65537 and two primes drawn from r (see
//     [RSA]); the ID is over the PKCS #1 DER private key.
//   - ECC_NIST_P256/P384/P521, ECC_SECG_P256K1: a scalar in [1, N-1] from
//     r by rejection sampling; the ID is over the big-endian scalar padded
//     to the curve's size. secp256k1 comes from
//     github.com/decred/dcrd/dcrec/secp256k1/v4.
//   - SM2: a scalar in [1, N-2] from r by rejection sampling (GM/T 0003
//     keys; github.com/emmansun/gmsm); the ID is over the 32-byte scalar.
//   - ECC_NIST_EDWARDS25519: a 32-byte seed from r; the ID is over the seed.
//   - ML_DSA_44/65/87: a 32-byte seed ξ from r (FIPS 204 key generation,
//     github.com/cloudflare/circl); the ID is over the seed.
//
// An unknown spec wraps [ErrUnsupportedSpec]. SYMMETRIC_DEFAULT is always
// AES-256; SM4 for the China partition is not modelled here.
//
// Errors never contain key material.
func NewMaterial(r io.Reader, keyID string, spec KeySpec) (*Material, error) {
	var (
		s   *secret
		raw []byte
		err error
	)
	switch spec {
	case SymmetricDefault:
		s, raw, err = symmetric(r, 32)
	case HMAC224, HMAC256, HMAC384, HMAC512:
		s, raw, err = symmetric(r, hmacBytes[spec])
	case RSA2048:
		s, raw, err = newRSA(r, 2048)
	case RSA3072:
		s, raw, err = newRSA(r, 3072)
	case RSA4096:
		s, raw, err = newRSA(r, 4096)
	case ECCNISTP256, ECCNISTP384, ECCNISTP521:
		s, raw, err = newNIST(r, spec)
	case ECCSECGP256K1:
		s, raw, err = newSecp256k1(r)
	case ECCNISTEdwards25519:
		s, raw, err = newEd25519(r)
	case MLDSA44, MLDSA65, MLDSA87:
		s, raw, err = newMLDSA(r, spec)
	case SM2:
		s, raw, err = newSM2(r)
	default:
		return nil, fmt.Errorf("%w: %q is not a key spec", ErrUnsupportedSpec, string(spec))
	}
	if err != nil {
		return nil, fmt.Errorf("keystore: generating %s key material: %w", spec, err)
	}
	return newMaterial(keyID, spec, s, raw), nil
}

// newMaterial makes the Material of secret s, whose bytes for its ID are
// raw (see NewMaterial), for key keyID.
func newMaterial(keyID string, spec KeySpec, s *secret, raw []byte) *Material {
	sum := materialSum(keyID, raw)
	return &Material{ID: hexID(&sum), Spec: spec, rawID: sum, s: func() *secret { return s }}
}

// symmetric reads an n-byte symmetric key from r.
func symmetric(r io.Reader, n int) (*secret, []byte, error) {
	k := make([]byte, n)
	if err := readRand(r, k); err != nil {
		return nil, nil, err
	}
	return &secret{symmetric: k}, k, nil
}

// readRand fills b from r. Its error names r's failure, never b.
func readRand(r io.Reader, b []byte) error {
	if _, err := io.ReadFull(r, b); err != nil {
		return fmt.Errorf("reading randomness: %w", err)
	}
	return nil
}

// Versions is the ordered list of a key's material versions, oldest first,
// with one current version (the one new ciphertext uses). Related
// multi-Region keys share the same versions: a replica gets all of them,
// by sharing the Versions or a [Versions.Clone]. The zero value is empty
// and ready to use.
//
// Like Material, Versions prints only IDs.
type Versions struct {
	list    []*Material
	current int
	// info holds the metadata of list[i] at info[i]; it may be shorter
	// than list, and a missing entry is the zero VersionInfo (see
	// versions.go).
	info []VersionInfo
}

// Current returns the current version, or nil when there is none.
func (v *Versions) Current() *Material {
	if len(v.list) == 0 {
		return nil
	}
	return v.list[v.current]
}

// CurrentID returns the current KeyMaterialId, or "" when there is none.
func (v *Versions) CurrentID() string {
	if c := v.Current(); c != nil {
		return c.ID
	}
	return ""
}

// Lookup returns the version whose ID is id, or nil.
func (v *Versions) Lookup(id string) *Material {
	for _, m := range v.list {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// LookupRaw returns the version whose ID is the hex encoding of raw, the
// 32 bytes a ciphertext carries, or nil. It compares without encoding,
// so Decrypt allocates nothing to find its material.
func (v *Versions) LookupRaw(raw []byte) *Material {
	if len(raw) != sha256.Size {
		return nil
	}
	for _, m := range v.list {
		// A zero Material (ID "") is no version of any key, so it
		// matches no blob, not even one naming 32 zero bytes.
		if m.ID != "" && m.rawID == [sha256.Size]byte(raw) {
			return m
		}
	}
	return nil
}

// Add makes m the current version, appending it unless a version with its
// ID is already present (then that one becomes current again, and the
// order is unchanged). It panics on nil.
func (v *Versions) Add(m *Material) {
	if m == nil {
		panic("keystore: Versions.Add(nil)")
	}
	for i, old := range v.list {
		if old.ID == m.ID {
			v.current = i
			return
		}
	}
	v.list = append(v.list, m)
	v.current = len(v.list) - 1
}

// All returns the versions, oldest first. The slice is a copy; the
// Materials are shared.
func (v *Versions) All() []*Material { return append([]*Material(nil), v.list...) }

// Len returns the number of versions.
func (v *Versions) Len() int { return len(v.list) }

// Clone returns a Versions with the same versions and current version; the
// Materials, which are immutable, are shared. Adding to the clone does not
// change v.
func (v *Versions) Clone() *Versions {
	return &Versions{list: v.All(), current: v.current, info: append([]VersionInfo(nil), v.info...)}
}

// String lists the version IDs, marking the current one with "*":
// "keystore.Versions[<id> *<id>]".
func (v Versions) String() string {
	b := []byte("keystore.Versions[")
	for i, m := range v.list {
		if i > 0 {
			b = append(b, ' ')
		}
		if i == v.current {
			b = append(b, '*')
		}
		b = append(b, m.ID...)
	}
	return string(append(b, ']'))
}

// GoString returns the same as String.
func (v Versions) GoString() string { return v.String() }

// Format writes String for every verb and flag.
func (v Versions) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, v.String()) }
