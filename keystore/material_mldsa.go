package keystore

import (
	"crypto"
	"errors"
	"fmt"
	"io"

	"github.com/cloudflare/circl/sign/mldsa/mldsa44"
	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"
)

// ML-DSA (FIPS 204) comes from github.com/cloudflare/circl: the standard
// library has none that a Go 1.25 module can import. A key is derived from
// a 32-byte seed ξ read from r (FIPS 204 ML-DSA.KeyGen_internal), so the
// same reader yields the same key, and the seed is the ID bytes.

// newMLDSA makes an ML-DSA-44/65/87 key from a 32-byte seed read from r.
func newMLDSA(r io.Reader, spec KeySpec) (*secret, []byte, error) {
	var seed [32]byte
	if err := readRand(r, seed[:]); err != nil {
		return nil, nil, err
	}
	var s mldsaSigner
	switch spec {
	case MLDSA44:
		pk, sk := mldsa44.NewKeyFromSeed(&seed)
		s = mldsaSigner{level: 44, pub: pk, sign: func(msg []byte, sig []byte) error { return mldsa44.SignTo(sk, msg, nil, false, sig) }, size: mldsa44.SignatureSize}
	case MLDSA65:
		pk, sk := mldsa65.NewKeyFromSeed(&seed)
		s = mldsaSigner{level: 65, pub: pk, sign: func(msg []byte, sig []byte) error { return mldsa65.SignTo(sk, msg, nil, false, sig) }, size: mldsa65.SignatureSize}
	case MLDSA87:
		pk, sk := mldsa87.NewKeyFromSeed(&seed)
		s = mldsaSigner{level: 87, pub: pk, sign: func(msg []byte, sig []byte) error { return mldsa87.SignTo(sk, msg, nil, false, sig) }, size: mldsa87.SignatureSize}
	default:
		return nil, nil, fmt.Errorf("%w: %s is not an ML-DSA spec", ErrUnsupportedSpec, spec)
	}
	return &secret{pair: &keyPair{signer: s, public: s.pub}}, seed[:], nil
}

// mldsaSigner is the crypto.Signer of the ML_DSA_* specs. It prints no key.
type mldsaSigner struct {
	level int
	pub   crypto.PublicKey
	sign  func(msg, sig []byte) error
	size  int
}

// Public returns the *mldsa44.PublicKey, *mldsa65.PublicKey or
// *mldsa87.PublicKey.
func (s mldsaSigner) Public() crypto.PublicKey { return s.pub }

// Sign returns the pure ML-DSA signature (FIPS 204 Algorithm 2, empty
// context) of the whole message, which it does not hash first: opts must
// be crypto.Hash(0) or nil. rand is ignored: signing is deterministic
// (FIPS 204 allows it, rnd = 0³²), so a seeded simulation replays the same
// signatures; any ML-DSA verifier accepts them, hedged or not.
func (s mldsaSigner) Sign(_ io.Reader, msg []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts != nil && opts.HashFunc() != 0 {
		return nil, errors.New("keystore: ML-DSA signs the message itself, not a digest")
	}
	sig := make([]byte, s.size)
	if err := s.sign(msg, sig); err != nil {
		return nil, err
	}
	return sig, nil
}

func (s mldsaSigner) String() string             { return fmt.Sprintf("keystore.mldsaSigner{ML-DSA-%d}", s.level) }
func (s mldsaSigner) GoString() string           { return s.String() }
func (s mldsaSigner) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }
