package keystore

import "time"

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
	// Wrapping is the RSA wrapping key pair; its private half never
	// leaves the engine.
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
