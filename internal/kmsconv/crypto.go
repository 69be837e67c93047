package kmsconv

import (
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
)

// The engine keeps its own copies of what it logs (never a plaintext), so
// the conversions below pass blobs and maps through.

// EncryptInput converts an Encrypt request.
func EncryptInput(in *kms.EncryptInput) engine.EncryptInput {
	if in == nil {
		return engine.EncryptInput{}
	}
	return engine.EncryptInput{
		KeyID:               str(in.KeyId),
		Plaintext:           in.Plaintext,
		EncryptionContext:   in.EncryptionContext,
		GrantTokens:         in.GrantTokens,
		EncryptionAlgorithm: string(in.EncryptionAlgorithm),
		DryRun:              flag(in.DryRun),
	}
}

// DecryptInput converts a Decrypt request.
func DecryptInput(in *kms.DecryptInput) engine.DecryptInput {
	if in == nil {
		return engine.DecryptInput{}
	}
	return engine.DecryptInput{
		CiphertextBlob:      in.CiphertextBlob,
		EncryptionContext:   in.EncryptionContext,
		GrantTokens:         in.GrantTokens,
		KeyID:               str(in.KeyId),
		EncryptionAlgorithm: string(in.EncryptionAlgorithm),
		DryRun:              flag(in.DryRun),
	}
}

// GenerateDataKeyInput converts a GenerateDataKey request.
func GenerateDataKeyInput(in *kms.GenerateDataKeyInput) engine.GenerateDataKeyInput {
	if in == nil {
		return engine.GenerateDataKeyInput{}
	}
	return engine.GenerateDataKeyInput{
		KeyID:             str(in.KeyId),
		EncryptionContext: in.EncryptionContext,
		NumberOfBytes:     num(in.NumberOfBytes),
		KeySpec:           string(in.KeySpec),
		GrantTokens:       in.GrantTokens,
		DryRun:            flag(in.DryRun),
	}
}

// GenerateDataKeyWithoutPlaintextInput converts a
// GenerateDataKeyWithoutPlaintext request.
func GenerateDataKeyWithoutPlaintextInput(in *kms.GenerateDataKeyWithoutPlaintextInput) engine.GenerateDataKeyWithoutPlaintextInput {
	if in == nil {
		return engine.GenerateDataKeyWithoutPlaintextInput{}
	}
	return engine.GenerateDataKeyWithoutPlaintextInput{
		KeyID:             str(in.KeyId),
		EncryptionContext: in.EncryptionContext,
		NumberOfBytes:     num(in.NumberOfBytes),
		KeySpec:           string(in.KeySpec),
		GrantTokens:       in.GrantTokens,
		DryRun:            flag(in.DryRun),
	}
}

// The calls made most (Encrypt, Decrypt and the data keys of envelope
// encryption) have their SDK output and the strings it points to in one
// allocation, where optional would add one per string.

type encryptBox struct {
	out   kms.EncryptOutput
	keyID string
}

// EncryptOutput converts an Encrypt response.
func EncryptOutput(out *engine.EncryptOutput) *kms.EncryptOutput {
	if out == nil {
		return nil
	}
	b := &encryptBox{keyID: out.KeyID}
	b.out.CiphertextBlob = out.CiphertextBlob
	b.out.KeyId = boxed(&b.keyID)
	b.out.EncryptionAlgorithm = types.EncryptionAlgorithmSpec(out.EncryptionAlgorithm)
	return &b.out
}

type decryptBox struct {
	out                  kms.DecryptOutput
	keyID, keyMaterialID string
}

// DecryptOutput converts a Decrypt response.
func DecryptOutput(out *engine.DecryptOutput) *kms.DecryptOutput {
	if out == nil {
		return nil
	}
	b := &decryptBox{keyID: out.KeyID, keyMaterialID: out.KeyMaterialID}
	b.out.KeyId = boxed(&b.keyID)
	b.out.Plaintext = out.Plaintext
	b.out.EncryptionAlgorithm = types.EncryptionAlgorithmSpec(out.EncryptionAlgorithm)
	b.out.KeyMaterialId = boxed(&b.keyMaterialID)
	return &b.out
}

// boxed is optional for a string already in a box: p, or nil when *p is
// empty.
func boxed(p *string) *string {
	if *p == "" {
		return nil
	}
	return p
}

type generateDataKeyBox struct {
	out                  kms.GenerateDataKeyOutput
	keyID, keyMaterialID string
}

// GenerateDataKeyOutput converts a GenerateDataKey response.
func GenerateDataKeyOutput(out *engine.GenerateDataKeyOutput) *kms.GenerateDataKeyOutput {
	if out == nil {
		return nil
	}
	b := &generateDataKeyBox{keyID: out.KeyID, keyMaterialID: out.KeyMaterialID}
	b.out.CiphertextBlob = out.CiphertextBlob
	b.out.Plaintext = out.Plaintext
	b.out.KeyId = boxed(&b.keyID)
	b.out.KeyMaterialId = boxed(&b.keyMaterialID)
	return &b.out
}

type generateDataKeyWithoutPlaintextBox struct {
	out                  kms.GenerateDataKeyWithoutPlaintextOutput
	keyID, keyMaterialID string
}

// GenerateDataKeyWithoutPlaintextOutput converts a
// GenerateDataKeyWithoutPlaintext response.
func GenerateDataKeyWithoutPlaintextOutput(out *engine.GenerateDataKeyWithoutPlaintextOutput) *kms.GenerateDataKeyWithoutPlaintextOutput {
	if out == nil {
		return nil
	}
	b := &generateDataKeyWithoutPlaintextBox{keyID: out.KeyID, keyMaterialID: out.KeyMaterialID}
	b.out.CiphertextBlob = out.CiphertextBlob
	b.out.KeyId = boxed(&b.keyID)
	b.out.KeyMaterialId = boxed(&b.keyMaterialID)
	return &b.out
}

// minBlob flags a sensitive or blob member that was sent empty; its value
// never appears in the message.
func (p *presence) minBlob(member string, b []byte) {
	if b != nil && len(b) == 0 {
		*p = append(*p, "Value at '"+member+"' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
}

// errRecipient rejects the Nitro Enclaves Recipient member, which kmsim
// does not simulate.
func errRecipient() error {
	return &kmserrors.UnsupportedOperationException{Message: "kmsim does not support the Recipient parameter."}
}

// CheckEncryptInput reports KeyId or Plaintext sent empty.
func CheckEncryptInput(in *kms.EncryptInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	p.minBlob("plaintext", in.Plaintext)
	return p.err()
}

// CheckDecryptInput reports CiphertextBlob or KeyId sent empty, and
// rejects Recipient with UnsupportedOperationException.
func CheckDecryptInput(in *kms.DecryptInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minBlob("ciphertextBlob", in.CiphertextBlob)
	p.minLen("keyId", in.KeyId)
	if err := p.err(); err != nil {
		return err
	}
	if in.Recipient != nil {
		return errRecipient()
	}
	return nil
}

// CheckGenerateDataKeyInput reports KeyId sent empty or NumberOfBytes
// sent as 0, and rejects Recipient with UnsupportedOperationException.
func CheckGenerateDataKeyInput(in *kms.GenerateDataKeyInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	p.minValue("numberOfBytes", in.NumberOfBytes)
	if err := p.err(); err != nil {
		return err
	}
	if in.Recipient != nil {
		return errRecipient()
	}
	return nil
}

// CheckGenerateDataKeyWithoutPlaintextInput reports KeyId sent empty or
// NumberOfBytes sent as 0.
func CheckGenerateDataKeyWithoutPlaintextInput(in *kms.GenerateDataKeyWithoutPlaintextInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	p.minValue("numberOfBytes", in.NumberOfBytes)
	return p.err()
}

// ReEncryptInput converts a ReEncrypt request.
func ReEncryptInput(in *kms.ReEncryptInput) engine.ReEncryptInput {
	if in == nil {
		return engine.ReEncryptInput{}
	}
	return engine.ReEncryptInput{
		CiphertextBlob:                 in.CiphertextBlob,
		SourceEncryptionContext:        in.SourceEncryptionContext,
		SourceKeyID:                    str(in.SourceKeyId),
		DestinationKeyID:               str(in.DestinationKeyId),
		DestinationEncryptionContext:   in.DestinationEncryptionContext,
		SourceEncryptionAlgorithm:      string(in.SourceEncryptionAlgorithm),
		DestinationEncryptionAlgorithm: string(in.DestinationEncryptionAlgorithm),
		GrantTokens:                    in.GrantTokens,
		DryRun:                         flag(in.DryRun),
	}
}

// ReEncryptOutput converts a ReEncrypt response.
func ReEncryptOutput(out *engine.ReEncryptOutput) *kms.ReEncryptOutput {
	if out == nil {
		return nil
	}
	return &kms.ReEncryptOutput{
		CiphertextBlob:                 out.CiphertextBlob,
		SourceKeyId:                    optional(out.SourceKeyID),
		KeyId:                          optional(out.KeyID),
		SourceEncryptionAlgorithm:      types.EncryptionAlgorithmSpec(out.SourceEncryptionAlgorithm),
		DestinationEncryptionAlgorithm: types.EncryptionAlgorithmSpec(out.DestinationEncryptionAlgorithm),
		SourceKeyMaterialId:            optional(out.SourceKeyMaterialID),
		DestinationKeyMaterialId:       optional(out.DestinationKeyMaterialID),
	}
}

// CheckReEncryptInput reports CiphertextBlob, SourceKeyId or
// DestinationKeyId sent empty, and rejects DryRunModifiers with
// UnsupportedOperationException.
func CheckReEncryptInput(in *kms.ReEncryptInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minBlob("ciphertextBlob", in.CiphertextBlob)
	p.minLen("sourceKeyId", in.SourceKeyId)
	p.minLen("destinationKeyId", in.DestinationKeyId)
	if err := p.err(); err != nil {
		return err
	}
	if len(in.DryRunModifiers) > 0 {
		return &kmserrors.UnsupportedOperationException{Message: "kmsim does not support the DryRunModifiers parameter."}
	}
	return nil
}

// GenerateRandomInput converts a GenerateRandom request.
func GenerateRandomInput(in *kms.GenerateRandomInput) engine.GenerateRandomInput {
	if in == nil {
		return engine.GenerateRandomInput{}
	}
	return engine.GenerateRandomInput{
		NumberOfBytes:    num(in.NumberOfBytes),
		CustomKeyStoreID: str(in.CustomKeyStoreId),
	}
}

// GenerateRandomOutput converts a GenerateRandom response.
func GenerateRandomOutput(out *engine.GenerateRandomOutput) *kms.GenerateRandomOutput {
	if out == nil {
		return nil
	}
	return &kms.GenerateRandomOutput{Plaintext: out.Plaintext}
}

// CheckGenerateRandomInput reports NumberOfBytes sent as 0 or
// CustomKeyStoreId sent empty, and rejects Recipient with
// UnsupportedOperationException.
func CheckGenerateRandomInput(in *kms.GenerateRandomInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minValue("numberOfBytes", in.NumberOfBytes)
	p.minLen("customKeyStoreId", in.CustomKeyStoreId)
	if err := p.err(); err != nil {
		return err
	}
	if in.Recipient != nil {
		return errRecipient()
	}
	return nil
}
