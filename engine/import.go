package engine

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
)

// Wrapping algorithms (the AlgorithmSpec enum) and wrapping key specs
// (WrappingKeySpec) of GetParametersForImport.
// RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256 and SM2PKE are the constants of the
// same name in crypto.go.
const (
	RSAESPKCS1V15       = "RSAES_PKCS1_V1_5"
	RSAAESKeyWrapSHA1   = "RSA_AES_KEY_WRAP_SHA_1"
	RSAAESKeyWrapSHA256 = "RSA_AES_KEY_WRAP_SHA_256"
	WrappingKeySpecSM2  = "SM2"
)

// Import limits (spec §10.3).
const (
	// ImportTokenValidity is how long an import token and its wrapping
	// key are good for.
	ImportTokenValidity = 24 * time.Hour
	// MaxImportedValidDays is how far ahead ValidTo may be.
	MaxImportedValidDays = 365
)

var (
	wrappingAlgorithms = []string{RSAESPKCS1V15, RSAESOAEPSHA1, RSAESOAEPSHA256, RSAAESKeyWrapSHA1, RSAAESKeyWrapSHA256, SM2PKE}
	wrappingKeySpecs   = []string{string(keystore.RSA2048), string(keystore.RSA3072), string(keystore.RSA4096), WrappingKeySpecSM2}
)

// Import types (the ImportType enum).
const (
	NewKeyMaterial      = "NEW_KEY_MATERIAL"
	ExistingKeyMaterial = "EXISTING_KEY_MATERIAL"
)

var importTypes = []string{NewKeyMaterial, ExistingKeyMaterial}

// importTokenVersion starts every import token kmsim issues.
const importTokenVersion = 0x01

// GetParametersForImportInput is the GetParametersForImport request.
type GetParametersForImportInput struct {
	KeyID             string `json:"keyId"`
	WrappingAlgorithm string `json:"wrappingAlgorithm"`
	WrappingKeySpec   string `json:"wrappingKeySpec"`
}

// GetParametersForImportOutput is the GetParametersForImport response.
type GetParametersForImportOutput struct {
	// KeyID is the key ARN.
	KeyID       string `json:"keyId"`
	ImportToken []byte `json:"importToken"`
	// PublicKey is the wrapping key, a DER SubjectPublicKeyInfo.
	PublicKey         []byte    `json:"publicKey"`
	ParametersValidTo time.Time `json:"parametersValidTo"`
}

// GetParametersForImport returns a new wrapping key and an import token
// for one key of Origin EXTERNAL (spec §6.4): ImportKeyMaterial on that
// key accepts material wrapped under the public key with the wrapping
// algorithm, together with the token, for 24 hours. Each related
// multi-Region key needs its own. The wrapping key comes from
// Config.Rand: an RSA key, or in the aws-cn partition an SM2 key for the
// SM2PKE wrapping algorithm.
//
// It returns, in this order of checks: ValidationException (including
// SM2 or SM2PKE outside aws-cn, and SM2 with another algorithm or SM2PKE
// with an RSA key spec), InvalidArnException, NotFoundException,
// AccessDeniedException, UnsupportedOperationException (origin not
// EXTERNAL), KMSInvalidStateException (a Disabled key is fine), and
// UnsupportedOperationException for RSAES_PKCS1_V1_5, which KMS retired.
func (e *Engine) GetParametersForImport(c Caller, in GetParametersForImportInput) (*GetParametersForImportOutput, error) {
	return run(e, "GetParametersForImport", c, in, (*call).getParametersForImport)
}

// checkSM2Wrapping applies the rules of SM2 wrapping: the SM2 wrapping
// key spec and the SM2PKE wrapping algorithm exist only in the China
// Regions (the KMS Developer Guide: "AWS KMS also supports the SM2
// wrapping key spec (China Regions only)"), and each goes only with the
// other, since SM2PKE is SM2 public-key encryption and the RSA wrapping
// algorithms need an RSA key.
//
// Neither the API reference nor the Developer Guide gives the errors, so
// they are kmsim's: ValidationException worded as CreateKey's and
// GenerateDataKeyPair's for KeySpec SM2 outside aws-cn, and a
// ValidationException for a mismatched pair. They are checked with the
// other request checks, before the key is looked up, since neither
// depends on the key.
func (cl *call) checkSM2Wrapping(in GetParametersForImportInput) error {
	sm2Spec, sm2Alg := in.WrappingKeySpec == WrappingKeySpecSM2, in.WrappingAlgorithm == SM2PKE
	switch {
	case !sm2Spec && !sm2Alg:
		return nil
	case cl.partition != "aws-cn" && sm2Spec:
		return invalid("WrappingKeySpec SM2 is not supported in this AWS partition.")
	case cl.partition != "aws-cn":
		return invalid("WrappingAlgorithm SM2PKE is not supported in this AWS partition.")
	case sm2Spec && !sm2Alg:
		return invalid("WrappingKeySpec SM2 can be used only with WrappingAlgorithm SM2PKE, not %s.", in.WrappingAlgorithm)
	case sm2Alg && !sm2Spec:
		return invalid("WrappingAlgorithm SM2PKE can be used only with WrappingKeySpec SM2, not %s.", in.WrappingKeySpec)
	}
	return nil
}

func (cl *call) getParametersForImport(in GetParametersForImportInput) (*GetParametersForImportOutput, error) {
	var v violations
	v.keyID("keyId", in.KeyID)
	if v.required("wrappingAlgorithm", in.WrappingAlgorithm) {
		enum(&v, "wrappingAlgorithm", in.WrappingAlgorithm, wrappingAlgorithms)
	}
	if v.required("wrappingKeySpec", in.WrappingKeySpec) {
		enum(&v, "wrappingKeySpec", in.WrappingKeySpec, wrappingKeySpecs)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := cl.checkSM2Wrapping(in); err != nil {
		return nil, err
	}
	k, err := cl.target(in.KeyID, keyOnly, conditions{
		"kms:WrappingAlgorithm": {in.WrappingAlgorithm},
		"kms:WrappingKeySpec":   {in.WrappingKeySpec},
	})
	if err != nil {
		return nil, err
	}
	if k.Family.Origin != keystore.OriginExternal {
		return nil, errOrigin(k)
	}
	if err := requireState(k, keystore.Enabled, keystore.Disabled, keystore.PendingImport); err != nil {
		return nil, err
	}
	switch {
	case in.WrappingAlgorithm == RSAESPKCS1V15:
		// kmsim's wording: KMS stopped accepting this algorithm on
		// 10 October 2023 (API reference); its error was not captured.
		return nil, &kmserrors.UnsupportedOperationException{Message: "The RSAES_PKCS1_V1_5 wrapping algorithm is no longer supported. Use RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256."}
	}
	// The wrapping key spec names a key spec keystore generates (RSA_*,
	// SM2), so the wrapping key pair comes from the same deterministic
	// generator as a new key's material.
	gen, err := cl.e.materialSeed(k.ID(), keystore.KeySpec(in.WrappingKeySpec))
	if err != nil {
		return nil, err
	}
	wrapping, err := gen()
	if err != nil || wrapping.Decrypter() == nil {
		return nil, &kmserrors.KMSInternalException{Message: "generating the wrapping key failed"}
	}
	// keystore's encoding is GetPublicKey's: PKIX for RSA, and for SM2
	// id-ecPublicKey with the curve sm2p256v1, which x509 cannot write.
	public, err := keystore.MarshalPublicKey(wrapping.PublicKey())
	if err != nil {
		return nil, &kmserrors.KMSInternalException{Message: "encoding the wrapping key failed"}
	}
	var nonce [16]byte
	if _, err := io.ReadFull(cl.e.rand, nonce[:]); err != nil {
		return nil, &kmserrors.KMSInternalException{Message: fmt.Sprintf("random source failed: %v", err)}
	}
	tok := keystore.ImportToken{Nonce: string(nonce[:]), Algorithm: in.WrappingAlgorithm, Wrapping: wrapping, ValidTo: cl.now.Add(ImportTokenValidity)}
	// Expired tokens are of no more use; dropping them bounds what a key
	// keeps.
	k.Import.Tokens = slices.DeleteFunc(k.Import.Tokens, func(t keystore.ImportToken) bool { return !cl.now.Before(t.ValidTo) })
	k.Import.Tokens = append(k.Import.Tokens, tok)
	return &GetParametersForImportOutput{
		KeyID:             k.ARN,
		ImportToken:       importToken(k, nonce[:]),
		PublicKey:         public,
		ParametersValidTo: tok.ValidTo,
	}, nil
}

// importToken is the opaque token of nonce for key k: a version byte, the
// key ARN's length and the ARN, and the nonce. Naming the ARN (and so the
// Region) makes a token of a related key in another Region fail as
// belonging to another key.
func importToken(k *keystore.Key, nonce []byte) []byte {
	b := []byte{importTokenVersion}
	b = strconv.AppendInt(b, int64(len(k.ARN)), 10)
	b = append(b, ':')
	b = append(b, k.ARN...)
	return append(b, nonce...)
}

func errInvalidImportToken() error {
	return &kmserrors.InvalidImportTokenException{Message: "The import token is not valid for this KMS key."}
}

// findImportToken returns k's token that blob names.
func (cl *call) findImportToken(k *keystore.Key, blob []byte) (keystore.ImportToken, error) {
	prefix := importToken(k, nil)
	if !bytes.HasPrefix(blob, prefix) {
		return keystore.ImportToken{}, errInvalidImportToken()
	}
	nonce := string(blob[len(prefix):])
	for _, t := range k.Import.Tokens {
		if t.Nonce != nonce {
			continue
		}
		if !cl.now.Before(t.ValidTo) {
			return keystore.ImportToken{}, &kmserrors.ExpiredImportTokenException{Message: "The import token has expired. Call GetParametersForImport for a new one."}
		}
		return t, nil
	}
	return keystore.ImportToken{}, errInvalidImportToken()
}

// unwrapMaterial recovers key material wrapped under tok's public key
// with tok's algorithm: RSA-OAEP, or for RSA_AES_KEY_WRAP an RSA-OAEP
// wrapped AES key followed by the material under AES key wrap with
// padding (RFC 5649), or SM2PKE. Anything that does not unwrap is
// InvalidCiphertextException.
func unwrapMaterial(tok keystore.ImportToken, wrapped []byte) ([]byte, error) {
	if tok.Algorithm == SM2PKE {
		// SM2PKE wraps the material directly, in the ASN.1 ciphertext
		// form SM2PKE Encrypt and Decrypt use (GM/T 0009).
		p, err := tok.Wrapping.Decrypter().Decrypt(nil, wrapped, nil)
		if err != nil {
			return nil, errInvalidCiphertext()
		}
		return p, nil
	}
	priv := tok.Wrapping.RSA()
	var h crypto.Hash
	switch tok.Algorithm {
	case RSAESOAEPSHA1, RSAAESKeyWrapSHA1:
		h = crypto.SHA1
	default:
		h = crypto.SHA256
	}
	oaep := func(ct []byte) ([]byte, error) {
		return rsa.DecryptOAEP(h.New(), nil, priv, ct, nil)
	}
	switch tok.Algorithm {
	case RSAESOAEPSHA1, RSAESOAEPSHA256:
		p, err := oaep(wrapped)
		if err != nil {
			return nil, errInvalidCiphertext()
		}
		return p, nil
	}
	n := priv.Size()
	if len(wrapped) <= n {
		return nil, errInvalidCiphertext()
	}
	aesKey, err := oaep(wrapped[:n])
	if err != nil {
		return nil, errInvalidCiphertext()
	}
	defer clear(aesKey)
	p, err := keystore.KeyUnwrapPad(aesKey, wrapped[n:])
	if err != nil {
		return nil, errInvalidCiphertext()
	}
	return p, nil
}

// ImportKeyMaterialInput is the ImportKeyMaterial request. Empty strings
// and a zero ValidTo stand for omitted members.
type ImportKeyMaterialInput struct {
	KeyID       string `json:"keyId"`
	ImportToken []byte `json:"importToken,omitempty"`
	// EncryptedKeyMaterial is the wrapped material; the event log never
	// holds it.
	EncryptedKeyMaterial []byte                   `json:"encryptedKeyMaterial,omitempty"`
	ValidTo              time.Time                `json:"validTo,omitzero"`
	ExpirationModel      keystore.ExpirationModel `json:"expirationModel,omitempty"`
	ImportType           string                   `json:"importType,omitempty"`
	// KeyMaterialDescription is 1..256 characters of [a-zA-Z0-9:/_\s.-].
	KeyMaterialDescription string `json:"keyMaterialDescription,omitempty"`
	KeyMaterialID          string `json:"keyMaterialId,omitempty"`
}

// ImportKeyMaterialOutput is the ImportKeyMaterial response.
type ImportKeyMaterialOutput struct {
	// KeyID is the key ARN.
	KeyID         string `json:"keyId"`
	KeyMaterialID string `json:"keyMaterialId"`
}

// ImportKeyMaterial imports key material into a key of Origin EXTERNAL
// (spec §6.4). The first material of a key becomes its current material;
// later NEW_KEY_MATERIAL (symmetric encryption keys only) waits pending
// rotation until RotateKeyOnDemand; EXISTING_KEY_MATERIAL reimports
// material the key had, for example after it expired or was deleted, and
// sets a new expiration. A multi-Region replica accepts only material the
// primary has, and each related key imports on its own. A key in
// PendingImport becomes Enabled once it holds all its material; a
// Disabled key stays Disabled (spec §11 #31). Material that expires
// leaves the key at ValidTo on the simulated clock.
//
// Imported material is supported for SYMMETRIC_DEFAULT keys (32 bytes),
// HMAC keys (the digest size to the block size), and the asymmetric specs
// RSA_2048/3072/4096, ECC_NIST_P256/P384/P521, ECC_SECG_P256K1 and SM2
// (which exists in aws-cn only), whose material is the private key as a
// DER PKCS #8 PrivateKeyInfo; the public key is derived from it, and the
// key then signs, verifies, encrypts, decrypts, derives shared secrets
// and returns its public key as with generated material. An RSA private
// key is too long for the RSAES_OAEP_* algorithms (the API reference
// requires an RSA_AES_KEY_WRAP_* one), as is ECC_NIST_P521 material for
// RSAES_OAEP_* under an RSA_2048 wrapping key: a client cannot wrap it.
// Asymmetric and HMAC keys never take different material after the
// first: reimporting other material fails as on a replica. Expiration
// works as for symmetric keys, since the API reference restricts it for
// no key type. ECC_NIST_EDWARDS25519 and ML_DSA_* keys fail with
// UnsupportedOperationException.
//
// It returns ValidationException, InvalidArnException, NotFoundException,
// AccessDeniedException, UnsupportedOperationException (origin not
// EXTERNAL, or a spec without imported material),
// KMSInvalidStateException, InvalidImportTokenException,
// ExpiredImportTokenException, InvalidCiphertextException (the material
// does not unwrap) and IncorrectKeyMaterialException (the wrong size,
// not a private key of the key spec, or not the material the key
// expects).
func (e *Engine) ImportKeyMaterial(c Caller, in ImportKeyMaterialInput) (*ImportKeyMaterialOutput, error) {
	return run(e, "ImportKeyMaterial", c, in, (*call).importKeyMaterial)
}

// validDescription reports whether s matches ^[a-zA-Z0-9:/_\s.-]+$.
func validDescription(s string) bool {
	for _, r := range s {
		ok := r == ':' || r == '/' || r == '_' || r == '.' || r == '-' || r == ' ' || r == '\t' || r == '\n' ||
			r == '\r' || r == '\f' || r == '\v' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return s != ""
}

// materialID checks an optional BackingKeyIdType member.
func (v *violations) materialID(member, s string) {
	if s == "" {
		return
	}
	if len(s) != 64 {
		v.length(member, s, 64, 64)
		return
	}
	if _, err := hex.DecodeString(s); err != nil || s != toLowerHex(s) {
		v.add(quote(s), member, "satisfy regular expression pattern: ^[a-f0-9]+$")
	}
}

func toLowerHex(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'F' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func (cl *call) importKeyMaterial(in ImportKeyMaterialInput) (*ImportKeyMaterialOutput, error) {
	var v violations
	v.keyID("keyId", in.KeyID)
	v.sensitiveBlob("importToken", in.ImportToken, 1, maxCiphertext)
	v.sensitiveBlob("encryptedKeyMaterial", in.EncryptedKeyMaterial, 1, maxCiphertext)
	enum(&v, "expirationModel", in.ExpirationModel, []keystore.ExpirationModel{keystore.KeyMaterialExpires, keystore.KeyMaterialDoesNotExpire})
	enum(&v, "importType", in.ImportType, importTypes)
	if in.KeyMaterialDescription != "" {
		v.length("keyMaterialDescription", in.KeyMaterialDescription, 0, 256)
		if !validDescription(in.KeyMaterialDescription) {
			v.add(quote(in.KeyMaterialDescription), "keyMaterialDescription", `satisfy regular expression pattern: ^[a-zA-Z0-9:/_\s.-]+$`)
		}
	}
	v.materialID("keyMaterialId", in.KeyMaterialID)
	if err := v.err(); err != nil {
		return nil, err
	}
	model := orDefault(in.ExpirationModel, keystore.KeyMaterialExpires)
	req := conditions{"kms:ExpirationModel": {string(model)}}
	if !in.ValidTo.IsZero() {
		req["kms:ValidTo"] = []string{strconv.FormatInt(in.ValidTo.Unix(), 10)}
	}
	k, err := cl.target(in.KeyID, keyOnly, req)
	if err != nil {
		return nil, err
	}
	f := k.Family
	if f.Origin != keystore.OriginExternal {
		return nil, errOrigin(k)
	}
	if err := requireState(k, keystore.Enabled, keystore.Disabled, keystore.PendingImport, keystore.Updating); err != nil {
		return nil, err
	}
	if err := cl.checkExpiration(model, in.ValidTo); err != nil {
		return nil, err
	}
	if err := checkImportOptions(k, in); err != nil {
		return nil, err
	}
	_, _, secretSpec := keystore.ImportSizes(f.Spec)
	if !secretSpec && !keystore.ImportsPrivateKey(f.Spec) {
		// kmsim's wording. The Developer Guide lists no imported
		// ECC_NIST_EDWARDS25519 or ML-DSA material; a property of the
		// key, so it comes before the token and the material.
		return nil, &kmserrors.UnsupportedOperationException{Message: fmt.Sprintf("Key material cannot be imported into %s keys.", f.Spec)}
	}
	tok, err := cl.findImportToken(k, in.ImportToken)
	if err != nil {
		return nil, err
	}
	raw, err := unwrapMaterial(tok, in.EncryptedKeyMaterial)
	if err != nil {
		return nil, err
	}
	mat, err := importedMaterial(f, raw)
	clear(raw)
	if err != nil {
		return nil, err
	}
	if in.KeyMaterialID != "" && in.KeyMaterialID != mat.ID {
		return nil, errUnexpectedMaterial(in.KeyMaterialID)
	}
	importType := in.ImportType
	if importType == "" {
		importType = NewKeyMaterial
		if f.Material.Len() > 0 || k.IsReplica() {
			importType = ExistingKeyMaterial
		}
	}
	if importType == NewKeyMaterial {
		if err := cl.importNew(k, mat, in.KeyMaterialDescription); err != nil {
			return nil, err
		}
	} else {
		if f.Material.Lookup(mat.ID) == nil {
			return nil, errUnexpectedMaterial(expectedMaterial(k, in.KeyMaterialID))
		}
		if in.KeyMaterialDescription != "" {
			f.Material.SetDescription(mat.ID, in.KeyMaterialDescription)
		}
	}
	cl.e.hold(k, mat.ID, model, in.ValidTo)
	return &ImportKeyMaterialOutput{KeyID: k.ARN, KeyMaterialID: mat.ID}, nil
}

// importedMaterial makes the material version of unwrapped material raw
// for family f: the secret of a SYMMETRIC_DEFAULT or HMAC key, or the
// DER PKCS #8 private key of an asymmetric key (the Developer Guide's
// format for RSA, ECC and SM2 material), from which the public key is
// derived. Material of another size, format, algorithm, curve or modulus
// size is IncorrectKeyMaterialException, whose message (kmsim's wording)
// says what the spec takes but nothing of raw.
func importedMaterial(f *keystore.Family, raw []byte) (*keystore.Material, error) {
	lo, hi, secretSpec := keystore.ImportSizes(f.Spec)
	if !secretSpec {
		mat, err := keystore.MaterialFromPrivateKey(f.KeyID, f.Spec, raw)
		if err != nil {
			return nil, &kmserrors.IncorrectKeyMaterialException{Message: fmt.Sprintf("The key material is not valid for a %s key: it must be a DER-encoded PKCS #8 private key of that key spec.", f.Spec)}
		}
		return mat, nil
	}
	mat, err := keystore.ImportMaterial(f.KeyID, f.Spec, raw)
	if err != nil {
		size := strconv.Itoa(lo)
		if hi != lo {
			size += " to " + strconv.Itoa(hi)
		}
		return nil, &kmserrors.IncorrectKeyMaterialException{Message: fmt.Sprintf("The key material is not valid for a %s key: it must be %s bytes.", f.Spec, size)}
	}
	return mat, nil
}

// checkExpiration applies the ExpirationModel and ValidTo rules of
// ImportKeyMaterial.
func (cl *call) checkExpiration(model keystore.ExpirationModel, validTo time.Time) error {
	switch {
	case model == keystore.KeyMaterialExpires && validTo.IsZero():
		return invalid("A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES")
	case model == keystore.KeyMaterialDoesNotExpire && !validTo.IsZero():
		// kmsim's wording, after the observed message above.
		return invalid("A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE")
	case validTo.IsZero():
		return nil
	case !validTo.After(cl.now):
		return invalid("The validTo date must be in the future.")
	case validTo.After(cl.now.Add(MaxImportedValidDays * 24 * time.Hour)):
		return invalid("The validTo date must be no more than 365 days in the future.")
	}
	return nil
}

// checkImportOptions applies the rules of ImportType,
// KeyMaterialDescription and KeyMaterialId that do not need the material.
func checkImportOptions(k *keystore.Key, in ImportKeyMaterialInput) error {
	f := k.Family
	if f.Spec != keystore.SymmetricDefault && (in.ImportType != "" || in.KeyMaterialDescription != "" || in.KeyMaterialID != "") {
		// kmsim's wording: the API reference says these parameters are
		// "only usable with symmetric encryption keys".
		return invalid("ImportType, KeyMaterialDescription and KeyMaterialId can be used only with symmetric encryption keys.")
	}
	if k.IsReplica() {
		if in.ImportType == NewKeyMaterial {
			return invalid("Input parameter ImportType NEW_KEY_MATERIAL cannot be used on replica Multi-Region keys")
		}
		if in.KeyMaterialDescription != "" {
			return invalid("Key material description can only be specified on primary Multi-Region keys")
		}
	}
	if in.ImportType == NewKeyMaterial && in.KeyMaterialID != "" {
		// The API reference: "You cannot specify a key material ID with
		// ImportType set to NEW_KEY_MATERIAL."; the wording is kmsim's.
		return invalid("A KeyMaterialId cannot be specified if the ImportType is NEW_KEY_MATERIAL")
	}
	return nil
}

func errUnexpectedMaterial(id string) error {
	return &kmserrors.IncorrectKeyMaterialException{Message: fmt.Sprintf("Imported key material does not have the expected identifier (%s).", id)}
}

// expectedMaterial is the KeyMaterialId k expects: the one the request
// named, else the first version k lacks, the current one first (a
// replica's CurrentKeyMaterialId shows it too, spec §3.1), else the
// current one.
func expectedMaterial(k *keystore.Key, named string) string {
	if named != "" {
		return named
	}
	f := k.Family
	if id := f.Material.CurrentID(); id != "" && !holds(k, id) {
		return id
	}
	for _, ver := range f.Material.List() {
		if !holds(k, ver.Material.ID) {
			return ver.Material.ID
		}
	}
	return f.Material.CurrentID()
}

// importNew adds mat to k's family as new material: the first material
// becomes current; later material waits pending rotation.
func (cl *call) importNew(k *keystore.Key, mat *keystore.Material, description string) error {
	f := k.Family
	if f.Material.Lookup(mat.ID) != nil {
		// kmsim's wording.
		return &kmserrors.IncorrectKeyMaterialException{Message: "This key material is already associated with the KMS key; import it with ImportType EXISTING_KEY_MATERIAL."}
	}
	if f.Material.Len() == 0 {
		f.Material.Add(mat)
		f.Material.SetDescription(mat.ID, description)
		return nil
	}
	if f.Spec != keystore.SymmetricDefault {
		return &kmserrors.UnsupportedOperationException{Message: fmt.Sprintf("%s cannot have new key material: only symmetric encryption keys rotate imported key material.", k.ARN)}
	}
	if p := f.Material.Pending(); p != nil {
		// kmsim's choice: KMS keeps one material pending rotation, which
		// must be deleted before different material takes its place.
		return invalidState(fmt.Sprintf("%s already has key material pending rotation (%s).", k.ARN, p.ID))
	}
	f.Material.AddPending(mat, description)
	return nil
}

// hold records that k holds version id until validTo, schedules its
// expiry, and enables a key in PendingImport that now holds all its
// material.
func (e *Engine) hold(k *keystore.Key, id string, model keystore.ExpirationModel, validTo time.Time) {
	if k.Import.Held == nil {
		k.Import.Held = make(map[string]keystore.ImportedMaterial)
	}
	k.Import.Held[id] = keystore.ImportedMaterial{ExpirationModel: model, ValidTo: validTo}
	e.scheduleExpiry(k)
	if k.State == keystore.PendingImport && holdsAll(k) {
		k.State = keystore.Enabled
	}
}

// DeleteImportedKeyMaterialInput is the DeleteImportedKeyMaterial
// request.
type DeleteImportedKeyMaterialInput struct {
	KeyID string `json:"keyId"`
	// KeyMaterialID names the material to delete; "" means the current
	// material.
	KeyMaterialID string `json:"keyMaterialId,omitempty"`
}

// DeleteImportedKeyMaterialOutput is the DeleteImportedKeyMaterial
// response.
type DeleteImportedKeyMaterialOutput struct {
	// KeyID is the key ARN.
	KeyID         string `json:"keyId"`
	KeyMaterialID string `json:"keyMaterialId,omitempty"`
}

// DeleteImportedKeyMaterial deletes imported key material from a key
// (spec §6.4), which then waits in PendingImport for it again; a key
// pending deletion keeps its state, and a key in PendingImport is left
// as it is. Material pending rotation deleted on a primary (or
// single-Region key) leaves the key and every replica, and can be
// replaced by other new material; material deleted on a replica affects
// no other key.
//
// It returns ValidationException, InvalidArnException, NotFoundException
// (a KeyMaterialId the key does not have), AccessDeniedException,
// UnsupportedOperationException (origin not EXTERNAL) and
// KMSInvalidStateException (Creating, Updating).
func (e *Engine) DeleteImportedKeyMaterial(c Caller, in DeleteImportedKeyMaterialInput) (*DeleteImportedKeyMaterialOutput, error) {
	return run(e, "DeleteImportedKeyMaterial", c, in, (*call).deleteImportedKeyMaterial)
}

func (cl *call) deleteImportedKeyMaterial(in DeleteImportedKeyMaterialInput) (*DeleteImportedKeyMaterialOutput, error) {
	var v violations
	v.keyID("keyId", in.KeyID)
	v.materialID("keyMaterialId", in.KeyMaterialID)
	if err := v.err(); err != nil {
		return nil, err
	}
	k, err := cl.target(in.KeyID, keyOnly, nil)
	if err != nil {
		return nil, err
	}
	f := k.Family
	if f.Origin != keystore.OriginExternal {
		return nil, errOrigin(k)
	}
	if err := requireState(k, keystore.Enabled, keystore.Disabled, keystore.PendingImport,
		keystore.PendingDeletion, keystore.PendingReplicaDeletion); err != nil {
		return nil, err
	}
	id := orDefault(in.KeyMaterialID, f.Material.CurrentID())
	info, known := f.Material.Info(id)
	if in.KeyMaterialID != "" && !known {
		// kmsim's wording.
		return nil, notFound("Key material %s is not associated with %s.", id, k.ARN)
	}
	out := &DeleteImportedKeyMaterialOutput{KeyID: k.ARN, KeyMaterialID: id}
	if info.Pending && !k.IsReplica() {
		// Material pending rotation is not yet part of the key: deleting
		// it on the primary removes it from the whole family.
		f.Material.RemovePending(id)
		for _, r := range related(f) {
			delete(r.Import.Held, id)
			cl.e.scheduleExpiry(r)
		}
		return out, nil
	}
	delete(k.Import.Held, id)
	cl.e.scheduleExpiry(k)
	cl.e.syncImportState(k)
	return out, nil
}

// The event log keeps no wrapped key material and no import token. Its
// strings are copied: over HTTP they are slices of the request body,
// which holds both blobs and which the log would otherwise keep alive.

func (in ImportKeyMaterialInput) logCopy() any {
	in.ImportToken = nil
	in.EncryptedKeyMaterial = nil
	in.KeyID = strings.Clone(in.KeyID)
	in.ImportType = strings.Clone(in.ImportType)
	in.KeyMaterialDescription = strings.Clone(in.KeyMaterialDescription)
	in.KeyMaterialID = strings.Clone(in.KeyMaterialID)
	return in
}
