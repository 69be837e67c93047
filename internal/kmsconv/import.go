package kmsconv

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/keystore"
)

// GetParametersForImportInput converts a GetParametersForImport request.
func GetParametersForImportInput(in *kms.GetParametersForImportInput) engine.GetParametersForImportInput {
	if in == nil {
		return engine.GetParametersForImportInput{}
	}
	return engine.GetParametersForImportInput{
		KeyID:             str(in.KeyId),
		WrappingAlgorithm: string(in.WrappingAlgorithm),
		WrappingKeySpec:   string(in.WrappingKeySpec),
	}
}

// GetParametersForImportOutput converts a GetParametersForImport
// response.
func GetParametersForImportOutput(out *engine.GetParametersForImportOutput) *kms.GetParametersForImportOutput {
	if out == nil {
		return nil
	}
	return &kms.GetParametersForImportOutput{
		KeyId:             optional(out.KeyID),
		ImportToken:       out.ImportToken,
		PublicKey:         out.PublicKey,
		ParametersValidTo: optionalTime(out.ParametersValidTo),
	}
}

// CheckGetParametersForImportInput reports a KeyId sent empty.
func CheckGetParametersForImportInput(in *kms.GetParametersForImportInput) error {
	if in == nil {
		return nil
	}
	return keyIDOnly(in.KeyId)
}

// ImportKeyMaterialInput converts an ImportKeyMaterial request. A nil
// ValidTo becomes the zero time.
func ImportKeyMaterialInput(in *kms.ImportKeyMaterialInput) engine.ImportKeyMaterialInput {
	if in == nil {
		return engine.ImportKeyMaterialInput{}
	}
	var validTo time.Time
	if in.ValidTo != nil {
		validTo = *in.ValidTo
	}
	return engine.ImportKeyMaterialInput{
		KeyID:                  str(in.KeyId),
		ImportToken:            in.ImportToken,
		EncryptedKeyMaterial:   in.EncryptedKeyMaterial,
		ValidTo:                validTo,
		ExpirationModel:        keystore.ExpirationModel(in.ExpirationModel),
		ImportType:             string(in.ImportType),
		KeyMaterialDescription: str(in.KeyMaterialDescription),
		KeyMaterialID:          str(in.KeyMaterialId),
	}
}

// ImportKeyMaterialOutput converts an ImportKeyMaterial response.
func ImportKeyMaterialOutput(out *engine.ImportKeyMaterialOutput) *kms.ImportKeyMaterialOutput {
	if out == nil {
		return nil
	}
	return &kms.ImportKeyMaterialOutput{KeyId: optional(out.KeyID), KeyMaterialId: optional(out.KeyMaterialID)}
}

// CheckImportKeyMaterialInput reports KeyId, ImportToken,
// EncryptedKeyMaterial, KeyMaterialDescription or KeyMaterialId sent
// empty: the engine takes "" for omitted, but an empty description
// fails the model's pattern and an empty ID its length.
func CheckImportKeyMaterialInput(in *kms.ImportKeyMaterialInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	p.minBlob("importToken", in.ImportToken)
	p.minBlob("encryptedKeyMaterial", in.EncryptedKeyMaterial)
	if in.KeyMaterialDescription != nil && *in.KeyMaterialDescription == "" {
		p = append(p, `Value '' at 'keyMaterialDescription' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_\s.-]+$`)
	}
	if in.KeyMaterialId != nil && *in.KeyMaterialId == "" {
		p = append(p, "Value '' at 'keyMaterialId' failed to satisfy constraint: Member must have length greater than or equal to 64")
	}
	return p.err()
}

// DeleteImportedKeyMaterialInput converts a DeleteImportedKeyMaterial
// request.
func DeleteImportedKeyMaterialInput(in *kms.DeleteImportedKeyMaterialInput) engine.DeleteImportedKeyMaterialInput {
	if in == nil {
		return engine.DeleteImportedKeyMaterialInput{}
	}
	return engine.DeleteImportedKeyMaterialInput{KeyID: str(in.KeyId), KeyMaterialID: str(in.KeyMaterialId)}
}

// DeleteImportedKeyMaterialOutput converts a DeleteImportedKeyMaterial
// response.
func DeleteImportedKeyMaterialOutput(out *engine.DeleteImportedKeyMaterialOutput) *kms.DeleteImportedKeyMaterialOutput {
	if out == nil {
		return nil
	}
	return &kms.DeleteImportedKeyMaterialOutput{KeyId: optional(out.KeyID), KeyMaterialId: optional(out.KeyMaterialID)}
}

// CheckDeleteImportedKeyMaterialInput reports a KeyId or KeyMaterialId
// sent empty.
func CheckDeleteImportedKeyMaterialInput(in *kms.DeleteImportedKeyMaterialInput) error {
	if in == nil {
		return nil
	}
	var p presence
	p.minLen("keyId", in.KeyId)
	if in.KeyMaterialId != nil && *in.KeyMaterialId == "" {
		p = append(p, "Value '' at 'keyMaterialId' failed to satisfy constraint: Member must have length greater than or equal to 64")
	}
	return p.err()
}
