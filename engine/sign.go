package engine

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	_ "crypto/sha256" // crypto.SHA256 needs its implementation linked in
	"crypto/sha512"
	"fmt"
	"slices"
	"strings"

	"github.com/cloudflare/circl/sign/mldsa/mldsa44"
	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
)

// Signing algorithms (the SigningAlgorithmSpec enum, in model order).
const (
	RSASSAPSSSHA256      = "RSASSA_PSS_SHA_256"
	RSASSAPSSSHA384      = "RSASSA_PSS_SHA_384"
	RSASSAPSSSHA512      = "RSASSA_PSS_SHA_512"
	RSASSAPKCS1V15SHA256 = "RSASSA_PKCS1_V1_5_SHA_256"
	RSASSAPKCS1V15SHA384 = "RSASSA_PKCS1_V1_5_SHA_384"
	RSASSAPKCS1V15SHA512 = "RSASSA_PKCS1_V1_5_SHA_512"
	ECDSASHA256          = "ECDSA_SHA_256"
	ECDSASHA384          = "ECDSA_SHA_384"
	ECDSASHA512          = "ECDSA_SHA_512"
	SM2DSA               = "SM2DSA"
	MLDSASHAKE256        = "ML_DSA_SHAKE_256"
	ED25519SHA512        = "ED25519_SHA_512"
	ED25519PHSHA512      = "ED25519_PH_SHA_512"
)

var signingAlgorithms = []string{
	RSASSAPSSSHA256, RSASSAPSSSHA384, RSASSAPSSSHA512,
	RSASSAPKCS1V15SHA256, RSASSAPKCS1V15SHA384, RSASSAPKCS1V15SHA512,
	ECDSASHA256, ECDSASHA384, ECDSASHA512, SM2DSA, MLDSASHAKE256, ED25519SHA512, ED25519PHSHA512,
}

// Message types (the MessageType enum).
const (
	MessageRaw        = "RAW"
	MessageDigest     = "DIGEST"
	MessageExternalMu = "EXTERNAL_MU"
)

var messageTypes = []string{MessageRaw, MessageDigest, MessageExternalMu}

// algHash returns the hash a signing algorithm's name ends in.
func algHash(alg string) crypto.Hash {
	switch {
	case strings.HasSuffix(alg, "SHA_256"):
		return crypto.SHA256
	case strings.HasSuffix(alg, "SHA_384"):
		return crypto.SHA384
	case strings.HasSuffix(alg, "SHA_512"):
		return crypto.SHA512
	}
	return 0
}

func errDigestLength(alg string) error {
	return invalid("Digest is invalid length for algorithm %s.", alg)
}

// errMessageType rejects a MessageType the algorithm does not take. KMS's
// text is not recorded; kmsim's names both values (spec is silent).
func errMessageType(msgType, alg string) error {
	return invalid("Message type %s is incompatible with algorithm %s.", msgType, alg)
}

// signedInput turns Message into what the algorithm signs (spec §3.4, the
// model's MessageType documentation):
//
//   - RSASSA_*, ECDSA_*: RAW is hashed with the algorithm's hash; DIGEST
//     must already be a digest of that length and is signed as is.
//   - ED25519_SHA_512: RAW only; the message itself (pure Ed25519).
//   - ED25519_PH_SHA_512: DIGEST only, 64 bytes; KMS still applies the
//     Ed25519ph SHA-512 prehash to it, so the input is SHA-512(Message).
//   - SM2DSA: RAW, hashed later by sm2Digest, which needs the public
//     key; or DIGEST, the 32-byte e = SM3(Z_A ‖ M) signed as is.
//   - ML_DSA_SHAKE_256: RAW, the message itself. EXTERNAL_MU (a 64-byte
//     μ, FIPS 204 §6.2) needs ML-DSA's internal signing, which circl does
//     not export: UnsupportedOperationException.
//
// EXTERNAL_MU with any other algorithm, and DIGEST with ML-DSA, are
// ValidationException.
func signedInput(alg, msgType string, msg []byte) ([]byte, error) {
	switch alg {
	case ED25519SHA512:
		if msgType != MessageRaw {
			return nil, errMessageType(msgType, alg)
		}
		return msg, nil
	case ED25519PHSHA512:
		if msgType != MessageDigest {
			return nil, errMessageType(msgType, alg)
		}
		if len(msg) != sha512.Size {
			return nil, errDigestLength(alg)
		}
		ph := sha512.Sum512(msg)
		return ph[:], nil
	case MLDSASHAKE256:
		switch msgType {
		case MessageRaw:
			return msg, nil
		case MessageExternalMu:
			if len(msg) != 64 {
				return nil, errDigestLength(alg)
			}
			return nil, &kmserrors.UnsupportedOperationException{Message: "kmsim does not support MessageType EXTERNAL_MU: its ML-DSA library cannot sign an external μ."}
		}
		return nil, errMessageType(msgType, alg)
	case SM2DSA:
		// KMS's developer guide ("Offline verification with SM2 key
		// pairs"): for RAW, KMS computes e = SM3(Z_A ‖ M) with the default
		// distinguishing ID 1234567812345678 (GM/T 0009); a caller with
		// another ID computes e itself and sends it as a DIGEST.
		switch msgType {
		case MessageRaw:
			return msg, nil
		case MessageDigest:
			if len(msg) != 32 {
				return nil, errDigestLength(alg)
			}
			return msg, nil
		}
		return nil, errMessageType(msgType, alg)
	}
	h := algHash(alg)
	if h == 0 {
		return nil, &kmserrors.UnsupportedOperationException{Message: fmt.Sprintf("kmsim does not implement signing algorithm %s.", alg)}
	}
	switch msgType {
	case MessageRaw:
		d := h.New()
		d.Write(msg)
		return d.Sum(nil), nil
	case MessageDigest:
		if len(msg) != h.Size() {
			return nil, errDigestLength(alg)
		}
		return msg, nil
	}
	return nil, errMessageType(msgType, alg)
}

// pssOptions are KMS's RSASSA-PSS parameters: MGF1 with the message hash
// and a salt as long as the digest.
func pssOptions(h crypto.Hash) *rsa.PSSOptions {
	return &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: h}
}

// signWith signs input (from signedInput) with m under alg. RSASSA-PSS
// draws its salt from Config.Rand (through cl.random); every other
// algorithm is deterministic: PKCS #1 v1.5 and Ed25519 by definition,
// ECDSA per RFC 6979 (crypto/ecdsa with a nil reader, and the secp256k1
// signer), SM2DSA with a nonce derived from the key and digest (the
// keystore's SM2 signer), ML-DSA with rnd = 0. KMS's own ECDSA and SM2
// signatures are randomized; any valid signature verifies the same.
func (cl *call) signWith(m *keystore.Material, alg string, input []byte) ([]byte, error) {
	s := m.Signer()
	var (
		sig []byte
		err error
	)
	switch {
	case strings.HasPrefix(alg, "RSASSA_PSS_"):
		rng, rerr := cl.random()
		if rerr != nil {
			return nil, rerr
		}
		h := algHash(alg)
		sig, err = rsa.SignPSS(rng, m.RSA(), h, input, pssOptions(h))
	case strings.HasPrefix(alg, "RSASSA_PKCS1_"):
		sig, err = rsa.SignPKCS1v15(nil, m.RSA(), algHash(alg), input)
	case strings.HasPrefix(alg, "ECDSA_"):
		sig, err = s.Sign(nil, input, algHash(alg))
	case alg == SM2DSA:
		sig, err = s.Sign(nil, input, nil)
	case alg == ED25519SHA512:
		sig, err = s.Sign(nil, input, crypto.Hash(0))
	case alg == ED25519PHSHA512:
		sig, err = s.Sign(nil, input, &ed25519.Options{Hash: crypto.SHA512})
	case alg == MLDSASHAKE256:
		sig, err = s.Sign(nil, input, nil)
	default:
		return nil, &kmserrors.UnsupportedOperationException{Message: fmt.Sprintf("kmsim does not implement signing algorithm %s.", alg)}
	}
	if err != nil {
		return nil, &kmserrors.KMSInternalException{Message: "signing failed"}
	}
	return sig, nil
}

// verifyWith reports whether sig is alg's signature of input (from
// signedInput) under public key pub.
func verifyWith(pub crypto.PublicKey, alg string, input, sig []byte) bool {
	if alg == SM2DSA {
		// An SM2 public key is an *ecdsa.PublicKey too: it must not
		// reach ECDSA verification.
		k, ok := pub.(*ecdsa.PublicKey)
		return ok && keystore.IsSM2PublicKey(k) && sm2.VerifyASN1(k, input, sig)
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		h := algHash(alg)
		if strings.HasPrefix(alg, "RSASSA_PSS_") {
			return rsa.VerifyPSS(k, h, input, sig, pssOptions(h)) == nil
		}
		return rsa.VerifyPKCS1v15(k, h, input, sig) == nil
	case *ecdsa.PublicKey:
		return ecdsa.VerifyASN1(k, input, sig)
	case *secp256k1.PublicKey:
		s, err := secpecdsa.ParseDERSignature(sig)
		return err == nil && s.Verify(input, k)
	case ed25519.PublicKey:
		if alg == ED25519PHSHA512 {
			return ed25519.VerifyWithOptions(k, input, sig, &ed25519.Options{Hash: crypto.SHA512}) == nil
		}
		return ed25519.Verify(k, input, sig)
	case *mldsa44.PublicKey:
		return mldsa44.Verify(k, input, nil, sig)
	case *mldsa65.PublicKey:
		return mldsa65.Verify(k, input, nil, sig)
	case *mldsa87.PublicKey:
		return mldsa87.Verify(k, input, nil, sig)
	}
	return false
}

// requireUsage applies KMS's key usage rule: the key's KeyUsage must be
// the operation's.
func (cl *call) requireUsage(k *keystore.Key, u keystore.KeyUsage) error {
	if k.Family.Usage != u {
		return &kmserrors.InvalidKeyUsageException{Message: fmt.Sprintf("%s key usage is %s which is not valid for %s.", k.ARN, k.Family.Usage, cl.op)}
	}
	return nil
}

func errIncompatible(alg string, spec keystore.KeySpec) error {
	return &kmserrors.InvalidKeyUsageException{Message: fmt.Sprintf("Algorithm %s is incompatible with key spec %s.", alg, spec)}
}

// asymmetricMaterial returns the current material of an asymmetric key,
// or UnsupportedOperationException when kmsim has none for it (every
// asymmetric spec kmsim knows has material; the check guards a spec
// added to the model before the keystore can generate it).
func asymmetricMaterial(k *keystore.Key) (*keystore.Material, error) {
	mat, err := currentMaterial(k.Family)
	if err != nil {
		return nil, err
	}
	if mat == nil || mat.PublicKey() == nil {
		return nil, &kmserrors.UnsupportedOperationException{Message: fmt.Sprintf("kmsim does not implement %s key material: %s cannot be used for cryptographic operations.", k.Family.Spec, k.ARN)}
	}
	return mat, nil
}

// signingKey resolves, authorizes (action) and checks the key of Sign or
// Verify, and returns it with its current material and the bytes the
// algorithm signs. Checks run in this order: key lookup, authorization,
// key state (§4.3 crypto row), key usage, algorithm against key spec,
// message type and digest length, key material. For SM2DSA over a RAW
// message the input is the digest e = SM3(Z_A ‖ M).
func (cl *call) signingKey(action, keyID, alg, msgType string, msg []byte) (*keystore.Key, *keystore.Material, []byte, error) {
	k, err := cl.resolve(keyID, anyRef)
	if err != nil {
		return nil, nil, nil, err
	}
	var c conditions
	if !cl.authorizesTrivially(k) {
		c = conditions{"kms:SigningAlgorithm": {alg}, "kms:MessageType": {msgType}}
	}
	if err := cl.authorize(action, k, true, c); err != nil {
		return nil, nil, nil, err
	}
	if err := requireState(k, keystore.Enabled, keystore.Updating); err != nil {
		return nil, nil, nil, err
	}
	if err := cl.requireUsage(k, keystore.SignVerify); err != nil {
		return nil, nil, nil, err
	}
	f := k.Family
	if !slices.Contains(f.Spec.Algorithms(f.Usage).Signing, alg) {
		return nil, nil, nil, errIncompatible(alg, f.Spec)
	}
	input, err := signedInput(alg, msgType, msg)
	if err != nil {
		return nil, nil, nil, err
	}
	mat, err := asymmetricMaterial(k)
	if err != nil {
		return nil, nil, nil, err
	}
	if alg == SM2DSA && msgType == MessageRaw {
		if input, err = sm2Digest(mat.PublicKey(), input); err != nil {
			return nil, nil, nil, err
		}
	}
	return k, mat, input, nil
}

// checkSigning validates the members Sign and Verify share, in model
// member order.
func (v *violations) checkSigning(keyID string, msg []byte, msgType string, tokens []string, alg string) {
	v.keyID("keyId", keyID)
	v.sensitiveBlob("message", msg, 1, maxPlaintext)
	enum(v, "messageType", msgType, messageTypes)
	v.grantTokens("grantTokens", tokens)
	if v.required("signingAlgorithm", alg) {
		enum(v, "signingAlgorithm", alg, signingAlgorithms)
	}
}

// SignInput is the Sign request. Empty strings, nil and false stand for
// omitted members.
type SignInput struct {
	// KeyID is a key ID, key ARN (of any account), alias name or alias ARN
	// of an asymmetric SIGN_VERIFY key.
	KeyID string `json:"keyId"`
	// Message is 1..4096 bytes: the message, or its digest with
	// MessageType DIGEST. The event log never holds it.
	Message []byte `json:"message,omitempty"`
	// MessageType is RAW (the default), DIGEST or EXTERNAL_MU.
	MessageType      string   `json:"messageType,omitempty"`
	GrantTokens      []string `json:"grantTokens,omitempty"`
	SigningAlgorithm string   `json:"signingAlgorithm"`
	DryRun           bool     `json:"dryRun,omitempty"`
}

// SignOutput is the Sign response.
type SignOutput struct {
	// KeyID is the ARN of the key that signed.
	KeyID string `json:"keyId"`
	// Signature is PKCS #1 for RSA, ASN.1 DER (RFC 3279) for ECDSA, ASN.1
	// DER (r, s) for SM2DSA (GM/T 0009), 64 bytes for Ed25519 and the
	// FIPS 204 encoding for ML-DSA.
	Signature        []byte `json:"signature"`
	SigningAlgorithm string `json:"signingAlgorithm"`
}

// Sign signs a message or digest with the private key of an asymmetric
// SIGN_VERIFY key (spec §3.4). Related multi-Region keys share the key
// pair, so a signature from one Region verifies in every other.
//
// It returns ValidationException (model constraints, a digest of the
// wrong length, a MessageType the algorithm does not take),
// NotFoundException, InvalidArnException, AccessDeniedException,
// DisabledException, KMSInvalidStateException, InvalidKeyUsageException
// (key usage is not SIGN_VERIFY; algorithm not of the key spec),
// DryRunOperationException, and UnsupportedOperationException for
// MessageType EXTERNAL_MU, which kmsim does not implement. SM2 keys exist
// only in the aws-cn partition (CreateKey).
func (e *Engine) Sign(c Caller, in SignInput) (*SignOutput, error) {
	return runPacked(e, "Sign", c, in, (*call).sign)
}

func (cl *call) sign(in SignInput) (*SignOutput, error) {
	var v violations
	v.checkSigning(in.KeyID, in.Message, in.MessageType, in.GrantTokens, in.SigningAlgorithm)
	if err := v.err(); err != nil {
		return nil, err
	}
	msgType := orDefault(in.MessageType, MessageRaw)
	k, mat, input, err := cl.signingKey("kms:Sign", in.KeyID, in.SigningAlgorithm, msgType, in.Message)
	if err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	sig, err := cl.signWith(mat, in.SigningAlgorithm, input)
	if err != nil {
		return nil, err
	}
	return &SignOutput{KeyID: k.ARN, Signature: sig, SigningAlgorithm: in.SigningAlgorithm}, nil
}

// VerifyInput is the Verify request.
type VerifyInput struct {
	KeyID string `json:"keyId"`
	// Message is 1..4096 bytes; the event log never holds it.
	Message     []byte `json:"message,omitempty"`
	MessageType string `json:"messageType,omitempty"`
	// Signature is 1..6144 bytes.
	Signature        []byte   `json:"signature,omitempty"`
	SigningAlgorithm string   `json:"signingAlgorithm"`
	GrantTokens      []string `json:"grantTokens,omitempty"`
	DryRun           bool     `json:"dryRun,omitempty"`
}

// VerifyOutput is the Verify response; SignatureValid is always true, as
// a signature that does not verify is an error.
type VerifyOutput struct {
	KeyID            string `json:"keyId"`
	SignatureValid   bool   `json:"signatureValid"`
	SigningAlgorithm string `json:"signingAlgorithm"`
}

// Verify checks a signature made by Sign, or by anyone holding the
// private key, with the public key of an asymmetric SIGN_VERIFY key. The
// MessageType need not be the one used to sign, as long as both hash the
// same way.
//
// It returns KMSInvalidSignatureException (with an empty message, as KMS
// sends it) when the signature does not verify, and otherwise the errors
// of Sign.
func (e *Engine) Verify(c Caller, in VerifyInput) (*VerifyOutput, error) {
	return runPacked(e, "Verify", c, in, (*call).verify)
}

func (cl *call) verify(in VerifyInput) (*VerifyOutput, error) {
	var v violations
	v.keyID("keyId", in.KeyID)
	v.sensitiveBlob("message", in.Message, 1, maxPlaintext)
	enum(&v, "messageType", in.MessageType, messageTypes)
	v.sensitiveBlob("signature", in.Signature, 1, maxCiphertext)
	if v.required("signingAlgorithm", in.SigningAlgorithm) {
		enum(&v, "signingAlgorithm", in.SigningAlgorithm, signingAlgorithms)
	}
	v.grantTokens("grantTokens", in.GrantTokens)
	if err := v.err(); err != nil {
		return nil, err
	}
	msgType := orDefault(in.MessageType, MessageRaw)
	k, mat, input, err := cl.signingKey("kms:Verify", in.KeyID, in.SigningAlgorithm, msgType, in.Message)
	if err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	if !verifyWith(mat.PublicKey(), in.SigningAlgorithm, input, in.Signature) {
		return nil, &kmserrors.KMSInvalidSignatureException{}
	}
	return &VerifyOutput{KeyID: k.ARN, SignatureValid: true, SigningAlgorithm: in.SigningAlgorithm}, nil
}

// GetPublicKeyInput is the GetPublicKey request.
type GetPublicKeyInput struct {
	KeyID       string   `json:"keyId"`
	GrantTokens []string `json:"grantTokens,omitempty"`
}

// GetPublicKeyOutput is the GetPublicKey response.
type GetPublicKeyOutput struct {
	// KeyID is the key's ARN.
	KeyID string `json:"keyId"`
	// PublicKey is a DER X.509 SubjectPublicKeyInfo (RFC 5280).
	PublicKey []byte           `json:"publicKey"`
	KeySpec   keystore.KeySpec `json:"keySpec"`
	// CustomerMasterKeySpec equals KeySpec, or is empty for specs outside
	// its enum (ML_DSA_*, ECC_NIST_EDWARDS25519).
	CustomerMasterKeySpec  keystore.KeySpec  `json:"customerMasterKeySpec,omitempty"`
	KeyUsage               keystore.KeyUsage `json:"keyUsage"`
	EncryptionAlgorithms   []string          `json:"encryptionAlgorithms,omitempty"`
	SigningAlgorithms      []string          `json:"signingAlgorithms,omitempty"`
	KeyAgreementAlgorithms []string          `json:"keyAgreementAlgorithms,omitempty"`
}

// GetPublicKey returns the public key of an asymmetric key with what KMS
// says about its use: spec, usage and algorithms. Related multi-Region
// keys return the same public key.
//
// It returns ValidationException, NotFoundException, InvalidArnException,
// AccessDeniedException, DisabledException, KMSInvalidStateException (the
// crypto row of spec §4.3), and UnsupportedOperationException for
// symmetric encryption and HMAC keys, which have no public key. An SM2
// key's public key is id-ecPublicKey with the curve sm2p256v1.
func (e *Engine) GetPublicKey(c Caller, in GetPublicKeyInput) (*GetPublicKeyOutput, error) {
	return runPacked(e, "GetPublicKey", c, in, (*call).getPublicKey)
}

func (cl *call) getPublicKey(in GetPublicKeyInput) (*GetPublicKeyOutput, error) {
	var v violations
	v.keyID("keyId", in.KeyID)
	v.grantTokens("grantTokens", in.GrantTokens)
	if err := v.err(); err != nil {
		return nil, err
	}
	k, err := cl.resolve(in.KeyID, anyRef)
	if err != nil {
		return nil, err
	}
	if err := cl.authorize("kms:GetPublicKey", k, true, nil); err != nil {
		return nil, err
	}
	if err := requireState(k, keystore.Enabled, keystore.Updating); err != nil {
		return nil, err
	}
	f := k.Family
	if f.Spec == keystore.SymmetricDefault || f.Usage == keystore.GenerateVerifyMAC {
		// KMS's text is not recorded (spec silent); kmsim follows the
		// pattern of its key usage message.
		return nil, &kmserrors.UnsupportedOperationException{Message: fmt.Sprintf("%s key spec is %s which is not valid for GetPublicKey.", k.ARN, f.Spec)}
	}
	mat, err := asymmetricMaterial(k)
	if err != nil {
		return nil, err
	}
	der, err := mat.PublicKeyDER()
	if err != nil {
		return nil, &kmserrors.KMSInternalException{Message: "encoding the public key failed"}
	}
	algs, legacy := f.Spec.Describe(f.Usage)
	out := &GetPublicKeyOutput{
		KeyID:                  k.ARN,
		PublicKey:              der,
		KeySpec:                f.Spec,
		KeyUsage:               f.Usage,
		EncryptionAlgorithms:   slices.Clone(algs.Encryption),
		SigningAlgorithms:      slices.Clone(algs.Signing),
		KeyAgreementAlgorithms: slices.Clone(algs.KeyAgreement),
	}
	if legacy {
		out.CustomerMasterKeySpec = f.Spec
	}
	return out, nil
}

// sm2DistinguishingID is the user ID KMS hashes into Z_A for SM2DSA over
// a RAW message: GM/T 0009's default; callers cannot choose another
// within KMS.
var sm2DistinguishingID = []byte("1234567812345678")

// sm2Digest returns e = SM3(Z_A ‖ msg) for the SM2 public key pub (GM/T
// 0003.2 §6.1), Z_A over sm2DistinguishingID.
func sm2Digest(pub crypto.PublicKey, msg []byte) ([]byte, error) {
	k, ok := pub.(*ecdsa.PublicKey)
	if !ok || !keystore.IsSM2PublicKey(k) {
		return nil, &kmserrors.KMSInternalException{Message: "SM2 key material is not an SM2 key"}
	}
	za, err := sm2.CalculateZA(k, sm2DistinguishingID)
	if err != nil {
		return nil, &kmserrors.KMSInternalException{Message: "computing the SM2 digest failed"}
	}
	h := sm3.New()
	h.Write(za)
	h.Write(msg)
	return h.Sum(nil), nil
}
