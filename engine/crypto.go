package engine

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

// Encryption algorithms (the EncryptionAlgorithmSpec enum).
const (
	SymmetricDefault = "SYMMETRIC_DEFAULT"
	RSAESOAEPSHA1    = "RSAES_OAEP_SHA_1"
	RSAESOAEPSHA256  = "RSAES_OAEP_SHA_256"
	SM2PKE           = "SM2PKE"
)

var encryptionAlgorithms = []string{SymmetricDefault, RSAESOAEPSHA1, RSAESOAEPSHA256, SM2PKE}

// Data key specs (the DataKeySpec enum) and their lengths in bytes.
const (
	AES256 = "AES_256"
	AES128 = "AES_128"
)

var dataKeySpecs = []string{AES256, AES128}

// Engine ciphertext format (spec §9.7):
//
//	0x01 | key ID (36 ASCII) | KeyMaterialId (32 bytes) | IV (12) | AES-256-GCM ciphertext ‖ tag (16)
//
// The additional data is key ID ‖ KeyMaterialId ‖ canonical(encryption
// context), so a blob opens only under its own key, material version and
// context.
const (
	blobVersion   = 0x01
	blobKeyID     = 36
	blobMaterial  = 32
	blobIV        = 12
	blobTag       = 16
	blobHeader    = 1 + blobKeyID + blobMaterial + blobIV
	blobMin       = blobHeader + blobTag
	maxPlaintext  = 4096
	maxCiphertext = 6144
	maxDataKey    = 1024
)

// materialSeed draws the seed of a new key's material and returns the
// generator that makes the material from it on first need.
func (e *Engine) materialSeed(id string, spec keystore.KeySpec) (func() (*keystore.Material, error), error) {
	var seed [32]byte
	if _, err := io.ReadFull(e.rand, seed[:]); err != nil {
		return nil, &kmserrors.KMSInternalException{Message: fmt.Sprintf("random source failed: %v", err)}
	}
	return func() (*keystore.Material, error) {
		// Called under the engine's lock, so one ChaCha8 serves every
		// key: a new one per key was the largest allocation of CreateKey.
		// A ChaCha8 keeps the words it handed out, the key's material, so
		// it is reseeded with zeros before the lock is let go.
		e.materialRand.Seed(seed)
		defer e.materialRand.Seed([32]byte{})
		return keystore.NewMaterial(e.materialRand, id, spec)
	}, nil
}

// currentMaterial returns the family's current material version,
// generating the first one on first need. It returns nil when the family
// has none: EXTERNAL material not yet imported, or a spec the keystore
// cannot generate.
func currentMaterial(f *keystore.Family) (*keystore.Material, error) {
	if f.Material.Len() == 0 && f.Generate != nil {
		m, err := f.Generate()
		if errors.Is(err, keystore.ErrUnsupportedSpec) {
			f.Generate = nil
			return nil, nil
		}
		if err != nil {
			return nil, &kmserrors.KMSInternalException{Message: "generating key material failed"}
		}
		f.Generate = nil
		f.Material.Add(m)
	}
	return f.Material.Current(), nil
}

// aead returns the AES-GCM cipher of a symmetric material version, made
// once per version.
func (e *Engine) aead(m *keystore.Material) (cipher.AEAD, error) {
	if a := e.aeads[m]; a != nil {
		return a, nil
	}
	b, err := aes.NewCipher(m.Symmetric())
	if err != nil {
		return nil, &kmserrors.KMSInternalException{Message: "key material is not an AES key"}
	}
	a, err := cipher.NewGCM(b)
	if err != nil {
		return nil, &kmserrors.KMSInternalException{Message: "key material is not an AES key"}
	}
	e.aeads[m] = a
	return a, nil
}

// canonicalContext appends the encryption context to b as the additional
// data sees it: pairs sorted by key (byte order), each key and value
// preceded by its length as a 4-byte big-endian number, so no two
// contexts serialize alike.
func canonicalContext(b []byte, ctx map[string]string) []byte {
	if len(ctx) == 0 {
		return b
	}
	// One pass over the map collects the pairs; most contexts have a
	// few, which fit the array on the stack.
	var small [8][2]string
	pairs := small[:0]
	for k, v := range ctx {
		pairs = append(pairs, [2]string{k, v})
	}
	slices.SortFunc(pairs, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	for _, kv := range pairs {
		for _, s := range kv {
			b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
			b = append(b, s...)
		}
	}
	return b
}

// additionalData returns key ID ‖ KeyMaterialId ‖ canonical(ctx), using
// the blob's own header bytes when the context is empty and otherwise the
// call's scratch buffer, which the next call reuses.
func (cl *call) additionalData(blob []byte, ctx map[string]string) []byte {
	id := blob[1 : 1+blobKeyID+blobMaterial]
	if len(ctx) == 0 {
		return id
	}
	cl.aad = canonicalContext(append(cl.aad[:0], id...), ctx)
	return cl.aad
}

// seal encrypts plaintext under k's current material, drawing the IV from
// Config.Rand, and returns the blob and the material used.
func (cl *call) seal(k *keystore.Key, mat *keystore.Material, plaintext []byte, ctx map[string]string) ([]byte, error) {
	a, err := cl.e.aead(mat)
	if err != nil {
		return nil, err
	}
	blob := make([]byte, blobHeader, blobHeader+len(plaintext)+blobTag)
	blob[0] = blobVersion
	copy(blob[1:], k.ID())
	raw := mat.RawID()
	copy(blob[1+blobKeyID:], raw[:])
	if _, err := io.ReadFull(cl.e.rand, blob[blobHeader-blobIV:blobHeader]); err != nil {
		return nil, &kmserrors.KMSInternalException{Message: fmt.Sprintf("random source failed: %v", err)}
	}
	return a.Seal(blob, blob[blobHeader-blobIV:blobHeader], plaintext, cl.additionalData(blob, ctx)), nil
}

// errInvalidCiphertext is KMS's answer to a blob that does not open: no
// message at all (spec §9.3).
func errInvalidCiphertext() error { return &kmserrors.InvalidCiphertextException{} }

// open decrypts blob with k's material version named in the blob.
func (cl *call) open(k *keystore.Key, blob []byte, ctx map[string]string) ([]byte, *keystore.Material, error) {
	if _, err := currentMaterial(k.Family); err != nil {
		return nil, nil, err
	}
	mat := k.Family.Material.LookupRaw(blob[1+blobKeyID : 1+blobKeyID+blobMaterial])
	if mat == nil || mat.Symmetric() == nil {
		return nil, nil, errInvalidCiphertext()
	}
	a, err := cl.e.aead(mat)
	if err != nil {
		return nil, nil, err
	}
	p, err := a.Open(nil, blob[blobHeader-blobIV:blobHeader], blob[blobHeader:], cl.additionalData(blob, ctx))
	if err != nil {
		return nil, nil, errInvalidCiphertext()
	}
	return p, mat, nil
}

// sensitiveBlob checks a sensitive blob member; its value never appears
// in the message. A nil b is a required member left out.
func (v *violations) sensitiveBlob(member string, b []byte, lo, hi int) {
	switch {
	case b == nil:
		v.add("null", member, "not be null")
	case len(b) > hi:
		*v = append(*v, "Value at '"+member+"' failed to satisfy constraint: Member must have length less than or equal to "+fmt.Sprint(hi))
	case len(b) < lo:
		*v = append(*v, "Value at '"+member+"' failed to satisfy constraint: Member must have length greater than or equal to "+fmt.Sprint(lo))
	}
}

// cryptoCommon checks the members every cryptographic request shares.
func (v *violations) cryptoCommon(tokens []string, alg string) {
	v.grantTokens("grantTokens", tokens)
	enum(v, "encryptionAlgorithm", alg, encryptionAlgorithms)
}

// cryptoConditions returns the request condition keys of a cryptographic
// operation on k, or nil when authorization will not look at them.
func (cl *call) cryptoConditions(k *keystore.Key, ctx map[string]string, alg string) conditions {
	if cl.authorizesTrivially(k) {
		return nil
	}
	c := conditions{"kms:EncryptionAlgorithm": {alg}}
	if len(ctx) > 0 {
		keys := make([]string, 0, len(ctx))
		for key, val := range ctx {
			c["kms:EncryptionContext:"+key] = []string{val}
			keys = append(keys, key)
		}
		slices.Sort(keys)
		c["kms:EncryptionContextKeys"] = keys
	}
	return c
}

// usable applies the key-state rows of spec §4.3 for cryptographic
// operations (Enabled and Updating keys work) and KMS's key usage rule.
func (cl *call) usable(k *keystore.Key) error {
	if err := requireState(k, keystore.Enabled, keystore.Updating); err != nil {
		return err
	}
	if u := k.Family.Usage; u != keystore.EncryptDecrypt {
		return &kmserrors.InvalidKeyUsageException{Message: fmt.Sprintf("%s key usage is %s which is not valid for %s.", k.ARN, u, cl.op)}
	}
	return nil
}

// checkAlgorithm accepts alg for k when k's spec lists it:
// SYMMETRIC_DEFAULT on a symmetric key, RSAES_OAEP_SHA_1/256 on an RSA
// key, SM2PKE on an SM2 key. An
// asymmetric key thus needs EncryptionAlgorithm: the default is
// SYMMETRIC_DEFAULT.
func checkAlgorithm(k *keystore.Key, alg string) error {
	f := k.Family
	if !slices.Contains(f.Spec.Algorithms(f.Usage).Encryption, alg) {
		return errIncompatible(alg, f.Spec)
	}
	return nil
}

// keyMaterial returns the material new ciphertext of k uses.
func keyMaterial(k *keystore.Key) (*keystore.Material, error) {
	if asymmetric(k) {
		return asymmetricMaterial(k)
	}
	mat, err := currentMaterial(k.Family)
	if err != nil {
		return nil, err
	}
	if mat == nil || mat.Symmetric() == nil {
		return nil, &kmserrors.UnsupportedOperationException{Message: k.ARN + " has no key material kmsim can encrypt with."}
	}
	return mat, nil
}

func errDryRun() error {
	return &kmserrors.DryRunOperationException{Message: "The request would have succeeded, but the DryRun option is set."}
}

// EncryptInput is the Encrypt request. Empty strings, nil and false stand
// for omitted members.
type EncryptInput struct {
	// KeyID is a key ID, key ARN (of any account), alias name or alias ARN.
	KeyID string `json:"keyId"`
	// Plaintext is 1..4096 bytes; the event log never holds it.
	Plaintext           []byte            `json:"plaintext,omitempty"`
	EncryptionContext   map[string]string `json:"encryptionContext,omitempty"`
	GrantTokens         []string          `json:"grantTokens,omitempty"`
	EncryptionAlgorithm string            `json:"encryptionAlgorithm,omitempty"`
	DryRun              bool              `json:"dryRun,omitempty"`
}

// EncryptOutput is the Encrypt response.
type EncryptOutput struct {
	CiphertextBlob []byte `json:"ciphertextBlob"`
	// KeyID is the ARN of the key that encrypted.
	KeyID               string `json:"keyId"`
	EncryptionAlgorithm string `json:"encryptionAlgorithm"`
}

// Encrypt encrypts up to 4096 bytes under a symmetric encryption key, a
// few hundred under an RSA ENCRYPT_DECRYPT key with RSAES_OAEP_SHA_1 or
// RSAES_OAEP_SHA_256, or up to 1024 under an SM2 key (aws-cn only) with
// SM2PKE (spec §9.2). The ciphertext decrypts with the key or any related
// multi-Region key, with the same encryption context. RSA ciphertext is
// the raw OAEP output and SM2 ciphertext the ASN.1 form of GM/T 0003.4,
// as KMS's, so any implementation with the private key (none outside
// kmsim) or Decrypt opens it.
//
// It returns ValidationException (also for a plaintext over the
// algorithm's limit and for an encryption context with an asymmetric
// key), NotFoundException, InvalidArnException, AccessDeniedException,
// DisabledException, KMSInvalidStateException, InvalidKeyUsageException
// (wrong usage; an algorithm the key spec does not list, which includes
// omitting it for an asymmetric key) and DryRunOperationException.
func (e *Engine) Encrypt(c Caller, in EncryptInput) (*EncryptOutput, error) {
	return runPacked(e, "Encrypt", c, in, (*call).encrypt)
}

func (cl *call) encrypt(in EncryptInput) (*EncryptOutput, error) {
	var v violations
	v.keyID("keyId", in.KeyID)
	v.sensitiveBlob("plaintext", in.Plaintext, 1, maxPlaintext)
	v.cryptoCommon(in.GrantTokens, in.EncryptionAlgorithm)
	if err := v.err(); err != nil {
		return nil, err
	}
	alg := orDefault(in.EncryptionAlgorithm, SymmetricDefault)
	k, mat, err := cl.cryptoKey("kms:"+cl.op, in.KeyID, in.EncryptionContext, alg)
	if err != nil {
		return nil, err
	}
	if err := checkPlaintextSize(k, mat, alg, len(in.Plaintext)); err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	blob, err := cl.encryptFor(k, mat, alg, in.Plaintext, in.EncryptionContext)
	if err != nil {
		return nil, err
	}
	return &EncryptOutput{CiphertextBlob: blob, KeyID: k.ARN, EncryptionAlgorithm: alg}, nil
}

// checkCryptoKey authorizes action on k with the condition keys of a
// cryptographic request and applies the key-state, key-usage and
// algorithm rules: the checks every encrypting or decrypting operation
// makes once it has its key.
func (cl *call) checkCryptoKey(action string, k *keystore.Key, ctx map[string]string, alg string) error {
	if err := cl.authorize(action, k, true, cl.cryptoConditions(k, ctx, alg)); err != nil {
		return err
	}
	if err := cl.usable(k); err != nil {
		return err
	}
	return checkAlgorithm(k, alg)
}

// cryptoKey resolves, authorizes (action) and checks the key of an
// operation that encrypts, and returns its current material.
func (cl *call) cryptoKey(action, keyID string, ctx map[string]string, alg string) (*keystore.Key, *keystore.Material, error) {
	k, err := cl.resolve(keyID, anyRef)
	if err != nil {
		return nil, nil, err
	}
	if err := cl.checkCryptoKey(action, k, ctx, alg); err != nil {
		return nil, nil, err
	}
	if err := checkContext(k, ctx); err != nil {
		return nil, nil, err
	}
	mat, err := keyMaterial(k)
	if err != nil {
		return nil, nil, err
	}
	return k, mat, nil
}

// DecryptInput is the Decrypt request.
type DecryptInput struct {
	// CiphertextBlob is 1..6144 bytes made by Encrypt or GenerateDataKey.
	CiphertextBlob    []byte            `json:"ciphertextBlob,omitempty"`
	EncryptionContext map[string]string `json:"encryptionContext,omitempty"`
	GrantTokens       []string          `json:"grantTokens,omitempty"`
	// KeyID is optional; when given it must identify the key that
	// decrypts: its key ID, its ARN in the caller's Region, or an alias.
	KeyID               string `json:"keyId,omitempty"`
	EncryptionAlgorithm string `json:"encryptionAlgorithm,omitempty"`
	DryRun              bool   `json:"dryRun,omitempty"`
}

// DecryptOutput is the Decrypt response.
type DecryptOutput struct {
	// KeyID is the ARN of the key that decrypted, in the caller's Region.
	KeyID               string `json:"keyId"`
	Plaintext           []byte `json:"plaintext,omitempty"`
	EncryptionAlgorithm string `json:"encryptionAlgorithm"`
	KeyMaterialID       string `json:"keyMaterialId"`
}

// Decrypt decrypts a ciphertext of Encrypt or GenerateDataKey with the
// key it names, or with the related multi-Region key of the caller's
// Region (spec §9.3).
//
// It returns ValidationException, InvalidCiphertextException (with an
// empty message: tampered or truncated blob, wrong encryption context,
// unknown material version), IncorrectKeyException (KeyId names another
// key, or a key ARN of another Region), AccessDeniedException (no related
// key in the caller's Region), NotFoundException, InvalidArnException,
// DisabledException, KMSInvalidStateException, InvalidKeyUsageException
// and DryRunOperationException.
func (e *Engine) Decrypt(c Caller, in DecryptInput) (*DecryptOutput, error) {
	return runPacked(e, "Decrypt", c, in, (*call).decrypt)
}

func errIncorrectKey() error {
	return &kmserrors.IncorrectKeyException{Message: "The key ID in the request does not identify a CMK that can perform this operation."}
}

func (cl *call) decrypt(in DecryptInput) (*DecryptOutput, error) {
	var v violations
	if in.CiphertextBlob == nil {
		v.add("null", "ciphertextBlob", "not be null")
	} else {
		v.sensitiveBlob("ciphertextBlob", in.CiphertextBlob, 1, maxCiphertext)
	}
	v.optional("keyId", in.KeyID, 1, 2048)
	v.cryptoCommon(in.GrantTokens, in.EncryptionAlgorithm)
	if err := v.err(); err != nil {
		return nil, err
	}
	alg := orDefault(in.EncryptionAlgorithm, SymmetricDefault)
	k, p, mat, err := cl.decryptBlob("kms:Decrypt", in.CiphertextBlob, in.KeyID, in.EncryptionContext, alg)
	if err != nil {
		return nil, err
	}
	if in.DryRun {
		clear(p)
		return nil, errDryRun()
	}
	return &DecryptOutput{KeyID: k.ARN, Plaintext: p, EncryptionAlgorithm: alg, KeyMaterialID: materialID(mat)}, nil
}

// decryptBlob finds the key that decrypts blob (see decryptKey),
// authorizes action on it, checks it and opens the blob: the steps
// Decrypt and the source side of ReEncrypt share. A blob that is not in
// the engine's symmetric format can only be RSA ciphertext, which names
// no key, so KeyId must (see decryptAsymmetric); without it the blob is
// InvalidCiphertextException. (An OAEP output that happens to start like
// an engine blob, 0x01 and 36 key ID characters, is too unlikely to
// matter.)
func (cl *call) decryptBlob(action string, blob []byte, keyID string, ctx map[string]string, alg string) (*keystore.Key, []byte, *keystore.Material, error) {
	var blobKey string
	if len(blob) >= blobMin && blob[0] == blobVersion {
		blobKey = string(blob[1 : 1+blobKeyID])
	}
	if !region.IsKeyID(blobKey) {
		if keyID == "" {
			return nil, nil, nil, errInvalidCiphertext()
		}
		return cl.decryptAsymmetric(action, blob, keyID, ctx, alg)
	}
	k, err := cl.decryptKey(keyID, blobKey)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := cl.checkCryptoKey(action, k, ctx, alg); err != nil {
		return nil, nil, nil, err
	}
	p, mat, err := cl.open(k, blob, ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	return k, p, mat, nil
}

// decryptKey finds the key that decrypts a blob made by key blobKey: the
// one KeyId names, which must be that key, or else blobKey's key in the
// caller's account and Region.
func (cl *call) decryptKey(keyID, blobKey string) (*keystore.Key, error) {
	if keyID != "" {
		if cl.foreignKeyARN(keyID) {
			return nil, errIncorrectKey()
		}
		k, err := cl.resolve(keyID, anyRef)
		if err != nil {
			return nil, err
		}
		if k.ID() != blobKey {
			return nil, errIncorrectKey()
		}
		return k, nil
	}
	k := cl.e.keys.Get(cl.scope, blobKey)
	if k == nil {
		// A key that exists in another Region of the account has no
		// related key here; a key ID no Region knows can only come from
		// a damaged blob.
		if cl.idInUse(blobKey, true) {
			return nil, &kmserrors.AccessDeniedException{Message: "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access."}
		}
		return nil, errInvalidCiphertext()
	}
	cl.key = k
	return k, nil
}

// foreignKeyARN reports whether keyID is a key ARN of another Region of
// the caller's partition: it cannot name the local related key
// (observed: IncorrectKeyException, not NotFoundException).
func (cl *call) foreignKeyARN(keyID string) bool {
	a, ok := region.ParseARN(keyID)
	return ok && a.Service == "kms" && a.Region != "" &&
		region.ID(a.Region) != cl.scope.Region && a.Partition == cl.partition &&
		region.ValidAccountID(a.Account) && len(a.Resource) > len("key/") && a.Resource[:4] == "key/"
}

// GenerateDataKeyInput is the GenerateDataKey request. Exactly one of
// NumberOfBytes (0 means omitted) and KeySpec must be given.
type GenerateDataKeyInput struct {
	KeyID             string            `json:"keyId"`
	EncryptionContext map[string]string `json:"encryptionContext,omitempty"`
	NumberOfBytes     int               `json:"numberOfBytes,omitempty"`
	// KeySpec is AES_256 (32 bytes) or AES_128 (16 bytes).
	KeySpec     string   `json:"keySpec,omitempty"`
	GrantTokens []string `json:"grantTokens,omitempty"`
	DryRun      bool     `json:"dryRun,omitempty"`
}

// GenerateDataKeyOutput is the GenerateDataKey response.
type GenerateDataKeyOutput struct {
	// CiphertextBlob is the data key encrypted as Encrypt would.
	CiphertextBlob []byte `json:"ciphertextBlob"`
	// Plaintext is the data key; the event log never holds it.
	Plaintext     []byte `json:"plaintext,omitempty"`
	KeyID         string `json:"keyId"`
	KeyMaterialID string `json:"keyMaterialId"`
}

// GenerateDataKeyWithoutPlaintextInput is the
// GenerateDataKeyWithoutPlaintext request.
type GenerateDataKeyWithoutPlaintextInput struct {
	KeyID             string            `json:"keyId"`
	EncryptionContext map[string]string `json:"encryptionContext,omitempty"`
	NumberOfBytes     int               `json:"numberOfBytes,omitempty"`
	KeySpec           string            `json:"keySpec,omitempty"`
	GrantTokens       []string          `json:"grantTokens,omitempty"`
	DryRun            bool              `json:"dryRun,omitempty"`
}

// GenerateDataKeyWithoutPlaintextOutput is the
// GenerateDataKeyWithoutPlaintext response.
type GenerateDataKeyWithoutPlaintextOutput struct {
	CiphertextBlob []byte `json:"ciphertextBlob"`
	KeyID          string `json:"keyId"`
	KeyMaterialID  string `json:"keyMaterialId"`
}

// GenerateDataKey returns a new data key from Config.Rand, in plaintext
// and encrypted under a symmetric encryption key (spec §9.5).
//
// It returns ValidationException (also for neither or both of KeySpec and
// NumberOfBytes), NotFoundException, InvalidArnException,
// AccessDeniedException, DisabledException, KMSInvalidStateException,
// InvalidKeyUsageException (any key but a symmetric encryption key) and
// DryRunOperationException.
func (e *Engine) GenerateDataKey(c Caller, in GenerateDataKeyInput) (*GenerateDataKeyOutput, error) {
	return runPacked(e, "GenerateDataKey", c, in, (*call).generateDataKey)
}

// GenerateDataKeyWithoutPlaintext is GenerateDataKey without the
// plaintext data key in the response.
func (e *Engine) GenerateDataKeyWithoutPlaintext(c Caller, in GenerateDataKeyWithoutPlaintextInput) (*GenerateDataKeyWithoutPlaintextOutput, error) {
	return runPacked(e, "GenerateDataKeyWithoutPlaintext", c, in, (*call).generateDataKeyWithoutPlaintext)
}

func (cl *call) generateDataKeyWithoutPlaintext(in GenerateDataKeyWithoutPlaintextInput) (*GenerateDataKeyWithoutPlaintextOutput, error) {
	out, err := cl.generateDataKey(GenerateDataKeyInput(in))
	if err != nil {
		return nil, err
	}
	clear(out.Plaintext)
	return &GenerateDataKeyWithoutPlaintextOutput{CiphertextBlob: out.CiphertextBlob, KeyID: out.KeyID, KeyMaterialID: out.KeyMaterialID}, nil
}

func (cl *call) generateDataKey(in GenerateDataKeyInput) (*GenerateDataKeyOutput, error) {
	var v violations
	v.keyID("keyId", in.KeyID)
	if in.NumberOfBytes != 0 {
		v.intRange("numberOfBytes", in.NumberOfBytes, 1, maxDataKey)
	}
	enum(&v, "keySpec", in.KeySpec, dataKeySpecs)
	v.grantTokens("grantTokens", in.GrantTokens)
	if err := v.err(); err != nil {
		return nil, err
	}
	if (in.NumberOfBytes == 0) == (in.KeySpec == "") {
		return nil, invalid("Please specify either number of bytes or key spec.")
	}
	n := in.NumberOfBytes
	switch in.KeySpec {
	case AES256:
		n = 32
	case AES128:
		n = 16
	}
	k, mat, err := cl.cryptoKey("kms:"+cl.op, in.KeyID, in.EncryptionContext, SymmetricDefault)
	if err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	dataKey := make([]byte, n)
	if _, err := io.ReadFull(cl.e.rand, dataKey); err != nil {
		return nil, &kmserrors.KMSInternalException{Message: fmt.Sprintf("random source failed: %v", err)}
	}
	blob, err := cl.seal(k, mat, dataKey, in.EncryptionContext)
	if err != nil {
		return nil, err
	}
	return &GenerateDataKeyOutput{CiphertextBlob: blob, Plaintext: dataKey, KeyID: k.ARN, KeyMaterialID: mat.ID}, nil
}
