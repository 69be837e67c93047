package engine

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"

	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// PrivateKeyParts returns secret parts of the private key of every
// asymmetric material version of key id (RSA private exponent and
// primes, ECDSA scalar, Ed25519 seed), for tests that check nothing
// leaks.
func (e *Engine) PrivateKeyParts(account string, r region.ID, id string) [][]byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	k := e.keys.Get(keystore.Scope{Account: account, Region: r}, id)
	if k == nil {
		return nil
	}
	var out [][]byte
	for _, m := range k.Family.Material.All() {
		switch s := m.Signer().(type) {
		case *rsa.PrivateKey:
			out = append(out, s.D.Bytes(), s.Primes[0].Bytes(), s.Primes[1].Bytes())
		case *ecdsa.PrivateKey:
			d, err := s.Bytes()
			if err == nil {
				out = append(out, d)
			}
		case ed25519.PrivateKey:
			out = append(out, s.Seed())
		}
	}
	return out
}
