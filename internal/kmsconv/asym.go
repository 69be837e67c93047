package kmsconv

import (
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
)

// Conversions of the asymmetric and MAC operations: Sign, Verify,
// GetPublicKey, GenerateMac, VerifyMac, GenerateDataKeyPair and
// GenerateDataKeyPairWithoutPlaintext.

// SignInput converts a Sign request.
func SignInput(in *kms.SignInput) engine.SignInput {
	if in == nil {
		return engine.SignInput{}
	}
	return engine.SignInput{
		KeyID:            str(in.KeyId),
		Message:          in.Message,
		MessageType:      string(in.MessageType),
		GrantTokens:      in.GrantTokens,
		SigningAlgorithm: string(in.SigningAlgorithm),
		DryRun:           flag(in.DryRun),
	}
}

// SignOutput converts a Sign response.
func SignOutput(out *engine.SignOutput) *kms.SignOutput {
	if out == nil {
		return nil
	}
	return &kms.SignOutput{
		KeyId:            optional(out.KeyID),
		Signature:        out.Signature,
		SigningAlgorithm: types.SigningAlgorithmSpec(out.SigningAlgorithm),
	}
}

// CheckSignInput reports KeyId or Message sent empty.
func CheckSignInput(in *kms.SignInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	p.minBlob("message", in.Message)
	return p.err()
}

// VerifyInput converts a Verify request.
func VerifyInput(in *kms.VerifyInput) engine.VerifyInput {
	if in == nil {
		return engine.VerifyInput{}
	}
	return engine.VerifyInput{
		KeyID:            str(in.KeyId),
		Message:          in.Message,
		MessageType:      string(in.MessageType),
		Signature:        in.Signature,
		SigningAlgorithm: string(in.SigningAlgorithm),
		GrantTokens:      in.GrantTokens,
		DryRun:           flag(in.DryRun),
	}
}

// VerifyOutput converts a Verify response.
func VerifyOutput(out *engine.VerifyOutput) *kms.VerifyOutput {
	if out == nil {
		return nil
	}
	return &kms.VerifyOutput{
		KeyId:            optional(out.KeyID),
		SignatureValid:   out.SignatureValid,
		SigningAlgorithm: types.SigningAlgorithmSpec(out.SigningAlgorithm),
	}
}

// CheckVerifyInput reports KeyId, Message or Signature sent empty.
func CheckVerifyInput(in *kms.VerifyInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	p.minBlob("message", in.Message)
	p.minBlob("signature", in.Signature)
	return p.err()
}

// GetPublicKeyInput converts a GetPublicKey request.
func GetPublicKeyInput(in *kms.GetPublicKeyInput) engine.GetPublicKeyInput {
	if in == nil {
		return engine.GetPublicKeyInput{}
	}
	return engine.GetPublicKeyInput{KeyID: str(in.KeyId), GrantTokens: in.GrantTokens}
}

// GetPublicKeyOutput converts a GetPublicKey response.
func GetPublicKeyOutput(out *engine.GetPublicKeyOutput) *kms.GetPublicKeyOutput {
	if out == nil {
		return nil
	}
	return &kms.GetPublicKeyOutput{
		KeyId:                  optional(out.KeyID),
		PublicKey:              out.PublicKey,
		KeySpec:                types.KeySpec(out.KeySpec),
		CustomerMasterKeySpec:  types.CustomerMasterKeySpec(out.CustomerMasterKeySpec),
		KeyUsage:               types.KeyUsageType(out.KeyUsage),
		EncryptionAlgorithms:   enums[types.EncryptionAlgorithmSpec](nil, out.EncryptionAlgorithms),
		SigningAlgorithms:      enums[types.SigningAlgorithmSpec](nil, out.SigningAlgorithms),
		KeyAgreementAlgorithms: enums[types.KeyAgreementAlgorithmSpec](nil, out.KeyAgreementAlgorithms),
	}
}

// CheckGetPublicKeyInput reports a KeyId sent empty.
func CheckGetPublicKeyInput(in *kms.GetPublicKeyInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	return p.err()
}

// GenerateMacInput converts a GenerateMac request.
func GenerateMacInput(in *kms.GenerateMacInput) engine.GenerateMacInput {
	if in == nil {
		return engine.GenerateMacInput{}
	}
	return engine.GenerateMacInput{
		Message:      in.Message,
		KeyID:        str(in.KeyId),
		MacAlgorithm: string(in.MacAlgorithm),
		GrantTokens:  in.GrantTokens,
		DryRun:       flag(in.DryRun),
	}
}

// GenerateMacOutput converts a GenerateMac response.
func GenerateMacOutput(out *engine.GenerateMacOutput) *kms.GenerateMacOutput {
	if out == nil {
		return nil
	}
	return &kms.GenerateMacOutput{
		Mac:          out.Mac,
		MacAlgorithm: types.MacAlgorithmSpec(out.MacAlgorithm),
		KeyId:        optional(out.KeyID),
	}
}

// CheckGenerateMacInput reports Message or KeyId sent empty.
func CheckGenerateMacInput(in *kms.GenerateMacInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minBlob("message", in.Message)
	p.minLen("keyId", in.KeyId)
	return p.err()
}

// VerifyMacInput converts a VerifyMac request.
func VerifyMacInput(in *kms.VerifyMacInput) engine.VerifyMacInput {
	if in == nil {
		return engine.VerifyMacInput{}
	}
	return engine.VerifyMacInput{
		Message:      in.Message,
		KeyID:        str(in.KeyId),
		MacAlgorithm: string(in.MacAlgorithm),
		Mac:          in.Mac,
		GrantTokens:  in.GrantTokens,
		DryRun:       flag(in.DryRun),
	}
}

// VerifyMacOutput converts a VerifyMac response.
func VerifyMacOutput(out *engine.VerifyMacOutput) *kms.VerifyMacOutput {
	if out == nil {
		return nil
	}
	return &kms.VerifyMacOutput{
		KeyId:        optional(out.KeyID),
		MacValid:     out.MacValid,
		MacAlgorithm: types.MacAlgorithmSpec(out.MacAlgorithm),
	}
}

// CheckVerifyMacInput reports Message, KeyId or Mac sent empty.
func CheckVerifyMacInput(in *kms.VerifyMacInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minBlob("message", in.Message)
	p.minLen("keyId", in.KeyId)
	p.minBlob("mac", in.Mac)
	return p.err()
}

// GenerateDataKeyPairInput converts a GenerateDataKeyPair request.
func GenerateDataKeyPairInput(in *kms.GenerateDataKeyPairInput) engine.GenerateDataKeyPairInput {
	if in == nil {
		return engine.GenerateDataKeyPairInput{}
	}
	return engine.GenerateDataKeyPairInput{
		EncryptionContext: in.EncryptionContext,
		KeyID:             str(in.KeyId),
		KeyPairSpec:       keystore.KeySpec(in.KeyPairSpec),
		GrantTokens:       in.GrantTokens,
		DryRun:            flag(in.DryRun),
	}
}

// GenerateDataKeyPairOutput converts a GenerateDataKeyPair response.
func GenerateDataKeyPairOutput(out *engine.GenerateDataKeyPairOutput) *kms.GenerateDataKeyPairOutput {
	if out == nil {
		return nil
	}
	return &kms.GenerateDataKeyPairOutput{
		PrivateKeyCiphertextBlob: out.PrivateKeyCiphertextBlob,
		PrivateKeyPlaintext:      out.PrivateKeyPlaintext,
		PublicKey:                out.PublicKey,
		KeyId:                    optional(out.KeyID),
		KeyPairSpec:              types.DataKeyPairSpec(out.KeyPairSpec),
		KeyMaterialId:            optional(out.KeyMaterialID),
	}
}

// CheckGenerateDataKeyPairInput reports a KeyId sent empty and rejects
// Recipient with UnsupportedOperationException.
func CheckGenerateDataKeyPairInput(in *kms.GenerateDataKeyPairInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	if err := p.err(); err != nil {
		return err
	}
	if in.Recipient != nil {
		return errRecipient()
	}
	return nil
}

// GenerateDataKeyPairWithoutPlaintextInput converts a
// GenerateDataKeyPairWithoutPlaintext request.
func GenerateDataKeyPairWithoutPlaintextInput(in *kms.GenerateDataKeyPairWithoutPlaintextInput) engine.GenerateDataKeyPairWithoutPlaintextInput {
	if in == nil {
		return engine.GenerateDataKeyPairWithoutPlaintextInput{}
	}
	return engine.GenerateDataKeyPairWithoutPlaintextInput{
		EncryptionContext: in.EncryptionContext,
		KeyID:             str(in.KeyId),
		KeyPairSpec:       keystore.KeySpec(in.KeyPairSpec),
		GrantTokens:       in.GrantTokens,
		DryRun:            flag(in.DryRun),
	}
}

// GenerateDataKeyPairWithoutPlaintextOutput converts a
// GenerateDataKeyPairWithoutPlaintext response.
func GenerateDataKeyPairWithoutPlaintextOutput(out *engine.GenerateDataKeyPairWithoutPlaintextOutput) *kms.GenerateDataKeyPairWithoutPlaintextOutput {
	if out == nil {
		return nil
	}
	return &kms.GenerateDataKeyPairWithoutPlaintextOutput{
		PrivateKeyCiphertextBlob: out.PrivateKeyCiphertextBlob,
		PublicKey:                out.PublicKey,
		KeyId:                    optional(out.KeyID),
		KeyPairSpec:              types.DataKeyPairSpec(out.KeyPairSpec),
		KeyMaterialId:            optional(out.KeyMaterialID),
	}
}

// CheckGenerateDataKeyPairWithoutPlaintextInput reports a KeyId sent
// empty.
func CheckGenerateDataKeyPairWithoutPlaintextInput(in *kms.GenerateDataKeyPairWithoutPlaintextInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	return p.err()
}
