package engine

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"slices"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
)

// MAC algorithms (the MacAlgorithmSpec enum, in model order).
const (
	HMACSHA224 = "HMAC_SHA_224"
	HMACSHA256 = "HMAC_SHA_256"
	HMACSHA384 = "HMAC_SHA_384"
	HMACSHA512 = "HMAC_SHA_512"
)

var macAlgorithms = []string{HMACSHA224, HMACSHA256, HMACSHA384, HMACSHA512}

// macHash returns the hash constructor of a MAC algorithm.
func macHash(alg string) func() hash.Hash {
	switch alg {
	case HMACSHA224:
		return sha256.New224
	case HMACSHA256:
		return sha256.New
	case HMACSHA384:
		return sha512.New384
	}
	return sha512.New
}

// macKey resolves, authorizes (action, with kms:MacAlgorithm) and checks
// the key of GenerateMac or VerifyMac, in this order: key lookup,
// authorization, key state (§4.3 crypto row), key usage, algorithm
// against key spec (the one HMAC_SHA_<n> of HMAC_<n>). It returns the
// HMAC key bytes of the current material.
func (cl *call) macKey(action, keyID, alg string) (*keystore.Key, []byte, error) {
	k, err := cl.resolve(keyID, anyRef)
	if err != nil {
		return nil, nil, err
	}
	var c conditions
	if !cl.authorizesTrivially(k) {
		c = conditions{"kms:MacAlgorithm": {alg}}
	}
	if err := cl.authorize(action, k, true, c); err != nil {
		return nil, nil, err
	}
	if err := requireState(k, keystore.Enabled, keystore.Updating); err != nil {
		return nil, nil, err
	}
	if err := cl.requireUsage(k, keystore.GenerateVerifyMAC); err != nil {
		return nil, nil, err
	}
	f := k.Family
	if !slices.Contains(f.Spec.Algorithms(f.Usage).MAC, alg) {
		return nil, nil, errIncompatible(alg, f.Spec)
	}
	mat, err := currentMaterial(f)
	if err != nil {
		return nil, nil, err
	}
	if mat == nil || mat.Symmetric() == nil {
		return nil, nil, &kmserrors.UnsupportedOperationException{Message: k.ARN + " has no key material kmsim can compute a MAC with."}
	}
	return k, mat.Symmetric(), nil
}

// checkMAC validates GenerateMac's and VerifyMac's shared members, in
// model member order (Message, KeyId, MacAlgorithm).
func (v *violations) checkMAC(msg []byte, keyID, alg string) {
	v.sensitiveBlob("message", msg, 1, maxPlaintext)
	v.keyID("keyId", keyID)
	if v.required("macAlgorithm", alg) {
		enum(v, "macAlgorithm", alg, macAlgorithms)
	}
}

// GenerateMacInput is the GenerateMac request. Empty strings, nil and
// false stand for omitted members.
type GenerateMacInput struct {
	// Message is 1..4096 bytes; the event log never holds it.
	Message []byte `json:"message,omitempty"`
	// KeyID names an HMAC key (GENERATE_VERIFY_MAC).
	KeyID        string   `json:"keyId"`
	MacAlgorithm string   `json:"macAlgorithm"`
	GrantTokens  []string `json:"grantTokens,omitempty"`
	DryRun       bool     `json:"dryRun,omitempty"`
}

// GenerateMacOutput is the GenerateMac response.
type GenerateMacOutput struct {
	// Mac is the HMAC (RFC 2104) of the message.
	Mac          []byte `json:"mac"`
	MacAlgorithm string `json:"macAlgorithm"`
	// KeyID is the key's ARN.
	KeyID string `json:"keyId"`
}

// GenerateMac computes the HMAC of a message with an HMAC key. Related
// multi-Region HMAC keys share the key, so a MAC of one verifies with
// another.
//
// It returns ValidationException, NotFoundException, InvalidArnException,
// AccessDeniedException, DisabledException, KMSInvalidStateException,
// InvalidKeyUsageException (key usage is not GENERATE_VERIFY_MAC;
// MacAlgorithm is not the key spec's) and DryRunOperationException.
func (e *Engine) GenerateMac(c Caller, in GenerateMacInput) (*GenerateMacOutput, error) {
	return runPacked(e, "GenerateMac", c, in, (*call).generateMac)
}

func (cl *call) generateMac(in GenerateMacInput) (*GenerateMacOutput, error) {
	var v violations
	v.checkMAC(in.Message, in.KeyID, in.MacAlgorithm)
	v.grantTokens("grantTokens", in.GrantTokens)
	if err := v.err(); err != nil {
		return nil, err
	}
	k, key, err := cl.macKey("kms:GenerateMac", in.KeyID, in.MacAlgorithm)
	if err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	m := hmac.New(macHash(in.MacAlgorithm), key)
	m.Write(in.Message)
	return &GenerateMacOutput{Mac: m.Sum(nil), MacAlgorithm: in.MacAlgorithm, KeyID: k.ARN}, nil
}

// VerifyMacInput is the VerifyMac request.
type VerifyMacInput struct {
	// Message is 1..4096 bytes; the event log never holds it.
	Message      []byte `json:"message,omitempty"`
	KeyID        string `json:"keyId"`
	MacAlgorithm string `json:"macAlgorithm"`
	// Mac is 1..6144 bytes.
	Mac         []byte   `json:"mac,omitempty"`
	GrantTokens []string `json:"grantTokens,omitempty"`
	DryRun      bool     `json:"dryRun,omitempty"`
}

// VerifyMacOutput is the VerifyMac response; MacValid is always true, as
// a MAC that does not verify is an error.
type VerifyMacOutput struct {
	KeyID        string `json:"keyId"`
	MacValid     bool   `json:"macValid"`
	MacAlgorithm string `json:"macAlgorithm"`
}

// VerifyMac recomputes the HMAC of a message and compares it, in constant
// time, with the one given.
//
// It returns KMSInvalidMacException (with an empty message, as KMS sends
// it) when they differ, and otherwise the errors of GenerateMac.
func (e *Engine) VerifyMac(c Caller, in VerifyMacInput) (*VerifyMacOutput, error) {
	return runPacked(e, "VerifyMac", c, in, (*call).verifyMac)
}

func (cl *call) verifyMac(in VerifyMacInput) (*VerifyMacOutput, error) {
	var v violations
	v.checkMAC(in.Message, in.KeyID, in.MacAlgorithm)
	v.sensitiveBlob("mac", in.Mac, 1, maxCiphertext)
	v.grantTokens("grantTokens", in.GrantTokens)
	if err := v.err(); err != nil {
		return nil, err
	}
	k, key, err := cl.macKey("kms:VerifyMac", in.KeyID, in.MacAlgorithm)
	if err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	m := hmac.New(macHash(in.MacAlgorithm), key)
	m.Write(in.Message)
	if !hmac.Equal(m.Sum(nil), in.Mac) {
		return nil, &kmserrors.KMSInvalidMacException{}
	}
	return &VerifyMacOutput{KeyID: k.ARN, MacValid: true, MacAlgorithm: in.MacAlgorithm}, nil
}
