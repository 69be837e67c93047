package engine

import (
	"fmt"
	"io"
	"strconv"

	kmserrors "github.com/kmsim/kmsim/errors"
)

// ReEncryptInput is the ReEncrypt request. Empty strings, nil and false
// stand for omitted members.
type ReEncryptInput struct {
	// CiphertextBlob is 1..6144 bytes made by Encrypt, GenerateDataKey or
	// ReEncrypt.
	CiphertextBlob          []byte            `json:"ciphertextBlob,omitempty"`
	SourceEncryptionContext map[string]string `json:"sourceEncryptionContext,omitempty"`
	// SourceKeyID is optional; when given it must identify the key that
	// decrypts, as Decrypt's KeyId.
	SourceKeyID string `json:"sourceKeyId,omitempty"`
	// DestinationKeyID is a key ID, key ARN (of any account), alias name
	// or alias ARN.
	DestinationKeyID               string            `json:"destinationKeyId"`
	DestinationEncryptionContext   map[string]string `json:"destinationEncryptionContext,omitempty"`
	SourceEncryptionAlgorithm      string            `json:"sourceEncryptionAlgorithm,omitempty"`
	DestinationEncryptionAlgorithm string            `json:"destinationEncryptionAlgorithm,omitempty"`
	GrantTokens                    []string          `json:"grantTokens,omitempty"`
	DryRun                         bool              `json:"dryRun,omitempty"`
}

// ReEncryptOutput is the ReEncrypt response.
type ReEncryptOutput struct {
	CiphertextBlob []byte `json:"ciphertextBlob"`
	// SourceKeyID is the ARN of the key that decrypted, in the caller's
	// Region.
	SourceKeyID string `json:"sourceKeyId"`
	// KeyID is the ARN of the key that encrypted.
	KeyID                          string `json:"keyId"`
	SourceEncryptionAlgorithm      string `json:"sourceEncryptionAlgorithm"`
	DestinationEncryptionAlgorithm string `json:"destinationEncryptionAlgorithm"`
	SourceKeyMaterialID            string `json:"sourceKeyMaterialId"`
	DestinationKeyMaterialID       string `json:"destinationKeyMaterialId"`
}

// ReEncrypt decrypts a ciphertext as Decrypt does, with the key that made
// it or its related multi-Region key in the caller's Region, and encrypts
// the plaintext under the destination key's current material as Encrypt
// does (spec §9.4). It needs kms:ReEncryptFrom on the source key and
// kms:ReEncryptTo on the destination key. The plaintext never leaves the
// engine.
//
// It returns the errors of Decrypt for the source side
// (InvalidCiphertextException, IncorrectKeyException, ...) and those of
// Encrypt for the destination side (including its plaintext size limit
// for an RSA destination), ValidationException and
// DryRunOperationException. Either side may be a symmetric or an RSA key;
// SourceKeyId is required for RSA ciphertext, as Decrypt's KeyId.
func (e *Engine) ReEncrypt(c Caller, in ReEncryptInput) (*ReEncryptOutput, error) {
	return runPacked(e, "ReEncrypt", c, in, (*call).reEncrypt)
}

func (cl *call) reEncrypt(in ReEncryptInput) (*ReEncryptOutput, error) {
	var v violations
	v.sensitiveBlob("ciphertextBlob", in.CiphertextBlob, 1, maxCiphertext)
	v.optional("sourceKeyId", in.SourceKeyID, 1, 2048)
	v.keyID("destinationKeyId", in.DestinationKeyID)
	enum(&v, "sourceEncryptionAlgorithm", in.SourceEncryptionAlgorithm, encryptionAlgorithms)
	enum(&v, "destinationEncryptionAlgorithm", in.DestinationEncryptionAlgorithm, encryptionAlgorithms)
	v.grantTokens("grantTokens", in.GrantTokens)
	if err := v.err(); err != nil {
		return nil, err
	}
	srcAlg := orDefault(in.SourceEncryptionAlgorithm, SymmetricDefault)
	dstAlg := orDefault(in.DestinationEncryptionAlgorithm, SymmetricDefault)
	if cl.e.authz {
		cl.callConds = conditions{"kms:ReEncryptOnSameKey": {strconv.FormatBool(cl.reEncryptOnSameKey(in))}}
	}
	src, p, srcMat, err := cl.decryptBlob("kms:ReEncryptFrom", in.CiphertextBlob, in.SourceKeyID, in.SourceEncryptionContext, srcAlg)
	if err != nil {
		return nil, err
	}
	defer clear(p)
	dst, dstMat, err := cl.cryptoKey("kms:ReEncryptTo", in.DestinationKeyID, in.DestinationEncryptionContext, dstAlg)
	if err != nil {
		return nil, err
	}
	if err := checkPlaintextSize(dst, dstMat, dstAlg, len(p)); err != nil {
		return nil, err
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	blob, err := cl.encryptFor(dst, dstMat, dstAlg, p, in.DestinationEncryptionContext)
	if err != nil {
		return nil, err
	}
	return &ReEncryptOutput{
		CiphertextBlob:                 blob,
		SourceKeyID:                    src.ARN,
		KeyID:                          dst.ARN,
		SourceEncryptionAlgorithm:      srcAlg,
		DestinationEncryptionAlgorithm: dstAlg,
		SourceKeyMaterialID:            materialID(srcMat),
		DestinationKeyMaterialID:       materialID(dstMat),
	}, nil
}

// reEncryptOnSameKey is the value of kms:ReEncryptOnSameKey, which both
// authorizations of ReEncrypt (kms:ReEncryptFrom and kms:ReEncryptTo)
// see. It must be known before the source key is authorized, so it comes
// from lookups that leave no trace (see peek). The source is the key of
// the caller's Region that will decrypt: for ciphertext of a related
// multi-Region key made in another Region, the local related key. So
// re-encrypting such ciphertext under the local related key counts as the
// same key: both are one key ID, and the material does not change. A
// request that names no existing destination gets false; it fails later.
func (cl *call) reEncryptOnSameKey(in ReEncryptInput) bool {
	src := cl.peek(blobKey(in.CiphertextBlob))
	return src != nil && src == cl.peek(in.DestinationKeyID)
}

// GenerateRandomInput is the GenerateRandom request. NumberOfBytes 0
// means omitted. The Recipient member is not simulated; the fronts reject
// it with UnsupportedOperationException.
type GenerateRandomInput struct {
	// NumberOfBytes is 1..1024. The model marks it optional but documents
	// it as required; kmsim answers an omitted NumberOfBytes with the
	// model's "must not be null" ValidationException.
	NumberOfBytes    int    `json:"numberOfBytes,omitempty"`
	CustomKeyStoreID string `json:"customKeyStoreId,omitempty"`
}

// GenerateRandomOutput is the GenerateRandom response.
type GenerateRandomOutput struct {
	// Plaintext is the random byte string; the event log never holds it.
	Plaintext []byte `json:"plaintext,omitempty"`
}

// GenerateRandom returns NumberOfBytes bytes from Config.Rand. It needs
// kms:GenerateRandom, which only IAM policies grant (spec §7.6 item 5).
//
// It returns ValidationException, AccessDeniedException and
// CustomKeyStoreNotFoundException for any CustomKeyStoreId: kmsim has no
// custom key stores.
func (e *Engine) GenerateRandom(c Caller, in GenerateRandomInput) (*GenerateRandomOutput, error) {
	return run(e, "GenerateRandom", c, in, (*call).generateRandom)
}

func (cl *call) generateRandom(in GenerateRandomInput) (*GenerateRandomOutput, error) {
	var v violations
	if in.NumberOfBytes == 0 {
		v.add("null", "numberOfBytes", "not be null")
	} else {
		v.intRange("numberOfBytes", in.NumberOfBytes, 1, maxDataKey)
	}
	v.optional("customKeyStoreId", in.CustomKeyStoreID, 1, 64)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := cl.authorizeIAM("kms:GenerateRandom", "*", nil); err != nil {
		return nil, err
	}
	if in.CustomKeyStoreID != "" {
		return nil, &kmserrors.CustomKeyStoreNotFoundException{Message: fmt.Sprintf("Custom key store %s does not exist.", sanitize(in.CustomKeyStoreID))}
	}
	b := make([]byte, in.NumberOfBytes)
	if _, err := io.ReadFull(cl.e.rand, b); err != nil {
		return nil, &kmserrors.KMSInternalException{Message: fmt.Sprintf("random source failed: %v", err)}
	}
	return &GenerateRandomOutput{Plaintext: b}, nil
}
