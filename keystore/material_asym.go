package keystore

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	stdrsa "crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/big"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// Asymmetric key generation reads only from the caller's reader. The
// standard library's rsa/ecdsa/ecdh GenerateKey and crypto/rand.Prime do
// not: since Go 1.26 they ignore their rand argument (GODEBUG
// cryptocustomrand), and before that they read a random extra byte
// (randutil.MaybeReadByte). So keys are assembled here from bytes of r.

// maxTries bounds the rejection-sampling loops; with a working random
// source they end after a handful of draws, so reaching it means r is
// broken (for example, returns constant bytes).
const maxTries = 1 << 16

var errTries = errors.New("random source produced no valid key")

// newRSA makes an RSA key of the given modulus size with e = 65537 from
// two primes of bits/2 bits drawn from r by [randPrime]. Its ID bytes are
// the PKCS #1 DER private key.
func newRSA(r io.Reader, bits int) (*secret, []byte, error) {
	const e = 65537
	bigE := big.NewInt(e)
	one := big.NewInt(1)
	for range maxTries {
		p, err := randPrime(r, bits/2)
		if err != nil {
			return nil, nil, err
		}
		q, err := randPrime(r, bits-bits/2)
		if err != nil {
			return nil, nil, err
		}
		if p.Cmp(q) == 0 {
			continue
		}
		n := new(big.Int).Mul(p, q)
		if n.BitLen() != bits {
			continue
		}
		pm1 := new(big.Int).Sub(p, one)
		qm1 := new(big.Int).Sub(q, one)
		phi := new(big.Int).Mul(pm1, qm1)
		d := new(big.Int).ModInverse(bigE, phi)
		if d == nil { // gcd(e, φ) ≠ 1
			continue
		}
		k := &stdrsa.PrivateKey{
			PublicKey: stdrsa.PublicKey{N: n, E: e},
			D:         d,
			Primes:    []*big.Int{p, q},
		}
		k.Precompute()
		if err := k.Validate(); err != nil {
			return nil, nil, fmt.Errorf("assembled RSA key is invalid: %w", err)
		}
		s := &secret{pair: &keyPair{signer: k, decrypter: k, rsa: k, public: &k.PublicKey}}
		return s, x509.MarshalPKCS1PrivateKey(k), nil
	}
	return nil, nil, errTries
}

// smallPrimeGroups are the odd primes below 2000, in groups whose product
// fits in a uint64, for trial division before Miller–Rabin.
var smallPrimeGroups = func() (groups []struct {
	prod   uint64
	primes []uint64
}) {
	const limit = 2000
	composite := make([]bool, limit)
	var cur struct {
		prod   uint64
		primes []uint64
	}
	cur.prod = 1
	for i := uint64(3); i < limit; i += 2 {
		if composite[i] {
			continue
		}
		for j := i * i; j < limit; j += 2 * i {
			composite[j] = true
		}
		if cur.prod > (1<<64-1)/i {
			groups = append(groups, cur)
			cur.prod, cur.primes = 1, nil
		}
		cur.prod *= i
		cur.primes = append(cur.primes, i)
	}
	return append(groups, cur)
}()

// randPrime returns a prime of exactly bits bits (bits ≥ 16) with its top
// two bits set, so that the product of two such primes has 2·bits bits. It
// draws fresh candidates from r until one passes trial division and
// big.Int.ProbablyPrime(20) (Miller–Rabin plus Baillie-PSW, deterministic
// for a given candidate).
func randPrime(r io.Reader, bits int) (*big.Int, error) {
	buf := make([]byte, (bits+7)/8)
	top := uint(bits % 8) // significant bits in buf[0]
	if top == 0 {
		top = 8
	}
	p := new(big.Int)
	mod := new(big.Int)
	for range maxTries * 16 {
		if err := readRand(r, buf); err != nil {
			return nil, err
		}
		buf[0] &= byte(1<<top - 1)
		if top >= 2 {
			buf[0] |= 3 << (top - 2)
		} else {
			buf[0] |= 1
			buf[1] |= 0x80
		}
		buf[len(buf)-1] |= 1
		p.SetBytes(buf)
		if hasSmallFactor(p, mod) {
			continue
		}
		if p.ProbablyPrime(20) {
			return p, nil
		}
	}
	return nil, errTries
}

// hasSmallFactor reports whether p (large, odd) has a factor below 2000.
func hasSmallFactor(p, scratch *big.Int) bool {
	var m big.Int
	for _, g := range smallPrimeGroups {
		rem := scratch.Mod(p, m.SetUint64(g.prod)).Uint64()
		for _, q := range g.primes {
			if rem%q == 0 {
				return true
			}
		}
	}
	return false
}

// randScalar returns a big-endian scalar in [1, n-1], len(n) bytes long
// (padded), drawn from r by rejection sampling with the excess high bits
// masked off.
func randScalar(r io.Reader, n *big.Int) ([]byte, error) {
	size := (n.BitLen() + 7) / 8
	excess := uint(size*8 - n.BitLen())
	b := make([]byte, size)
	var k big.Int
	for range maxTries {
		if err := readRand(r, b); err != nil {
			return nil, err
		}
		b[0] &= 0xff >> excess
		k.SetBytes(b)
		if k.Sign() > 0 && k.Cmp(n) < 0 {
			return b, nil
		}
	}
	return nil, errTries
}

// newNIST makes a P-256/P-384/P-521 key usable for ECDSA and ECDH. Its ID
// bytes are the padded private scalar.
func newNIST(r io.Reader, spec KeySpec) (*secret, []byte, error) {
	var c elliptic.Curve
	switch spec {
	case ECCNISTP256:
		c = elliptic.P256()
	case ECCNISTP384:
		c = elliptic.P384()
	default:
		c = elliptic.P521()
	}
	d, err := randScalar(r, c.Params().N)
	if err != nil {
		return nil, nil, err
	}
	s, err := nistSecret(c, d)
	if err != nil {
		return nil, nil, fmt.Errorf("building %s key: %w", spec, err)
	}
	return s, d, nil
}

// nistSecret builds the ECDSA and ECDH key of scalar d (big-endian, the
// curve's size, in [1, N-1]) on curve c.
func nistSecret(c elliptic.Curve, d []byte) (*secret, error) {
	k, err := ecdsa.ParseRawPrivateKey(c, d)
	if err != nil {
		return nil, err
	}
	x, err := k.ECDH()
	if err != nil {
		return nil, err
	}
	return &secret{pair: &keyPair{signer: k, ecdh: x, public: &k.PublicKey}}, nil
}

// newSecp256k1 makes a secp256k1 signing key. Its ID bytes are the 32-byte
// private scalar.
func newSecp256k1(r io.Reader) (*secret, []byte, error) {
	d, err := randScalar(r, secp256k1.S256().N)
	if err != nil {
		return nil, nil, err
	}
	return secp256k1Secret(d), d, nil
}

// secp256k1Secret builds the signing key of scalar d (32 bytes, in
// [1, N-1]).
func secp256k1Secret(d []byte) *secret {
	k := secp256k1.PrivKeyFromBytes(d)
	return &secret{pair: &keyPair{signer: secp256k1Signer{k}, public: k.PubKey()}}
}

// newEd25519 makes an Ed25519 key from a 32-byte seed, its ID bytes.
func newEd25519(r io.Reader) (*secret, []byte, error) {
	seed := make([]byte, ed25519.SeedSize)
	if err := readRand(r, seed); err != nil {
		return nil, nil, err
	}
	k := ed25519.NewKeyFromSeed(seed)
	return &secret{pair: &keyPair{signer: k, public: k.Public()}}, seed, nil
}

// secp256k1Signer is a crypto.Signer for ECC_SECG_P256K1. It prints no
// key.
type secp256k1Signer struct{ k *secp256k1.PrivateKey }

// Public returns the *secp256k1.PublicKey.
func (s secp256k1Signer) Public() crypto.PublicKey { return s.k.PubKey() }

// Sign returns the ASN.1 DER ECDSA signature of digest, deterministic per
// RFC 6979 with a low S value. rand and opts are ignored.
func (s secp256k1Signer) Sign(_ io.Reader, digest []byte, _ crypto.SignerOpts) ([]byte, error) {
	return secpecdsa.Sign(s.k, digest).Serialize(), nil
}

func (s secp256k1Signer) String() string             { return "keystore.secp256k1Signer" }
func (s secp256k1Signer) GoString() string           { return s.String() }
func (s secp256k1Signer) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }
