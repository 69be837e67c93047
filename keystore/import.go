package keystore

import (
	"bytes"
	"fmt"
	"time"
)

// ImportedMaterial records that one key holds one imported material
// version, and until when (spec §6.4). Import state is per key even
// though related keys share the versions themselves.
type ImportedMaterial struct {
	ExpirationModel ExpirationModel
	// ValidTo is zero for KEY_MATERIAL_DOES_NOT_EXPIRE.
	ValidTo time.Time
}

// ImportToken is an outstanding GetParametersForImport answer of one key:
// the wrapping key pair behind the public key it returned.
type ImportToken struct {
	// Nonce identifies the token inside the key; the token blob carries
	// it.
	Nonce     string
	Algorithm string
	// Wrapping is the wrapping key pair (RSA, or SM2 in aws-cn); its
	// private half never leaves the engine.
	Wrapping *Material
	ValidTo  time.Time
}

// KeyImport is the imported-material state of one key of Origin
// EXTERNAL.
type KeyImport struct {
	// Held maps the KeyMaterialId of every version the key holds to its
	// expiration; nil until the first import.
	Held map[string]ImportedMaterial
	// Tokens are the outstanding import tokens, oldest first.
	Tokens []ImportToken
}

// importSizes maps each spec whose material can be imported to the
// accepted secret lengths in bytes: AES-256 for SYMMETRIC_DEFAULT, and
// for HMAC keys at least the digest size and at most the block size, as
// the KMS Developer Guide lists for imported HMAC material.
var importSizes = map[KeySpec][2]int{
	SymmetricDefault: {32, 32},
	HMAC224:          {28, 64},
	HMAC256:          {32, 64},
	HMAC384:          {48, 128},
	HMAC512:          {64, 128},
}

// ImportSizes returns the shortest and longest secret [ImportMaterial]
// accepts for spec; ok is false for specs whose material is not a
// secret of a length: asymmetric material is a private key, see
// [MaterialFromPrivateKey].
func ImportSizes(spec KeySpec) (lo, hi int, ok bool) {
	s, ok := importSizes[spec]
	return s[0], s[1], ok
}

// ImportMaterial makes the material version of imported secret bytes for
// key keyID. Its ID is [MaterialID](keyID, secret), so the same secret
// imported into related keys has one ID, and into unrelated keys another.
// It keeps its own copy of secret. The error wraps [ErrUnsupportedSpec]
// for a spec without imported material (see [ImportSizes]) and says
// nothing about secret but its length.
func ImportMaterial(keyID string, spec KeySpec, secretBytes []byte) (*Material, error) {
	lo, hi, ok := ImportSizes(spec)
	if !ok {
		return nil, fmt.Errorf("%w: %s: importing this key material is not implemented", ErrUnsupportedSpec, spec)
	}
	if len(secretBytes) < lo || len(secretBytes) > hi {
		return nil, fmt.Errorf("keystore: %s key material must be %d to %d bytes, not %d", spec, lo, hi, len(secretBytes))
	}
	k := bytes.Clone(secretBytes)
	s := &secret{symmetric: k}
	return newMaterial(keyID, spec, s, k), nil
}
