package kmssdk

import (
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"
)

// The functions below repeat the client-side validation of the SDK's
// generated validators (service/kms/validators.go): they report required
// members that are nil, with the same smithy.InvalidParamsError, before
// anything is sent. Everything else is the service's to check.

// params collects the failures of one input.
type params struct{ smithy.InvalidParamsError }

func newParams(context string) params {
	return params{smithy.InvalidParamsError{Context: context}}
}

func (p *params) required(field string, missing bool) {
	if missing {
		p.Add(smithy.NewErrParamRequired(field))
	}
}

// tags checks a TagList: each tag needs TagKey and TagValue.
func (p *params) tags(field string, tags []types.Tag) {
	list := smithy.InvalidParamsError{Context: "TagList"}
	for i := range tags {
		t := smithy.InvalidParamsError{Context: "Tag"}
		if tags[i].TagKey == nil {
			t.Add(smithy.NewErrParamRequired("TagKey"))
		}
		if tags[i].TagValue == nil {
			t.Add(smithy.NewErrParamRequired("TagValue"))
		}
		if t.Len() > 0 {
			list.AddNested("["+strconv.Itoa(i)+"]", t)
		}
	}
	if list.Len() > 0 {
		p.AddNested(field, list)
	}
}

// err returns the InvalidParamsError, as a value as the SDK returns it,
// or nil.
func (p *params) err() error {
	if p.Len() == 0 {
		return nil
	}
	return p.InvalidParamsError
}

// keyID is the validation of the inputs whose only required member is
// KeyId.
func keyID(context string, id *string) error {
	p := newParams(context)
	p.required("KeyId", id == nil)
	return p.err()
}

func validateCreateKey(in *kms.CreateKeyInput) error {
	p := newParams("CreateKeyInput")
	p.tags("Tags", in.Tags)
	return p.err()
}

func validateDescribeKey(in *kms.DescribeKeyInput) error {
	return keyID("DescribeKeyInput", in.KeyId)
}

func validateListKeys(*kms.ListKeysInput) error { return nil }

func validateReplicateKey(in *kms.ReplicateKeyInput) error {
	p := newParams("ReplicateKeyInput")
	p.required("KeyId", in.KeyId == nil)
	p.required("ReplicaRegion", in.ReplicaRegion == nil)
	p.tags("Tags", in.Tags)
	return p.err()
}

func validateUpdatePrimaryRegion(in *kms.UpdatePrimaryRegionInput) error {
	p := newParams("UpdatePrimaryRegionInput")
	p.required("KeyId", in.KeyId == nil)
	p.required("PrimaryRegion", in.PrimaryRegion == nil)
	return p.err()
}

func validateEnableKey(in *kms.EnableKeyInput) error { return keyID("EnableKeyInput", in.KeyId) }

func validateDisableKey(in *kms.DisableKeyInput) error { return keyID("DisableKeyInput", in.KeyId) }

func validateScheduleKeyDeletion(in *kms.ScheduleKeyDeletionInput) error {
	return keyID("ScheduleKeyDeletionInput", in.KeyId)
}

func validateCancelKeyDeletion(in *kms.CancelKeyDeletionInput) error {
	return keyID("CancelKeyDeletionInput", in.KeyId)
}

func validateUpdateKeyDescription(in *kms.UpdateKeyDescriptionInput) error {
	p := newParams("UpdateKeyDescriptionInput")
	p.required("KeyId", in.KeyId == nil)
	p.required("Description", in.Description == nil)
	return p.err()
}

func validateTagResource(in *kms.TagResourceInput) error {
	p := newParams("TagResourceInput")
	p.required("KeyId", in.KeyId == nil)
	p.required("Tags", in.Tags == nil)
	p.tags("Tags", in.Tags)
	return p.err()
}

func validateUntagResource(in *kms.UntagResourceInput) error {
	p := newParams("UntagResourceInput")
	p.required("KeyId", in.KeyId == nil)
	p.required("TagKeys", in.TagKeys == nil)
	return p.err()
}

func validateListResourceTags(in *kms.ListResourceTagsInput) error {
	return keyID("ListResourceTagsInput", in.KeyId)
}

func validatePutKeyPolicy(in *kms.PutKeyPolicyInput) error {
	p := newParams("PutKeyPolicyInput")
	p.required("KeyId", in.KeyId == nil)
	p.required("Policy", in.Policy == nil)
	return p.err()
}

func validateGetKeyPolicy(in *kms.GetKeyPolicyInput) error {
	return keyID("GetKeyPolicyInput", in.KeyId)
}

func validateListKeyPolicies(in *kms.ListKeyPoliciesInput) error {
	return keyID("ListKeyPoliciesInput", in.KeyId)
}

func validateEncrypt(in *kms.EncryptInput) error {
	p := newParams("EncryptInput")
	p.required("KeyId", in.KeyId == nil)
	p.required("Plaintext", in.Plaintext == nil)
	return p.err()
}

func validateDecrypt(*kms.DecryptInput) error { return nil }

func validateGenerateDataKey(in *kms.GenerateDataKeyInput) error {
	return keyID("GenerateDataKeyInput", in.KeyId)
}

func validateGenerateDataKeyWithoutPlaintext(in *kms.GenerateDataKeyWithoutPlaintextInput) error {
	return keyID("GenerateDataKeyWithoutPlaintextInput", in.KeyId)
}

func validateGenerateRandom(*kms.GenerateRandomInput) error { return nil }

func validateReEncrypt(in *kms.ReEncryptInput) error {
	p := newParams("ReEncryptInput")
	p.required("DestinationKeyId", in.DestinationKeyId == nil)
	return p.err()
}

func validateCreateAlias(in *kms.CreateAliasInput) error {
	p := newParams("CreateAliasInput")
	p.required("AliasName", in.AliasName == nil)
	p.required("TargetKeyId", in.TargetKeyId == nil)
	return p.err()
}

func validateUpdateAlias(in *kms.UpdateAliasInput) error {
	p := newParams("UpdateAliasInput")
	p.required("AliasName", in.AliasName == nil)
	p.required("TargetKeyId", in.TargetKeyId == nil)
	return p.err()
}

func validateDeleteAlias(in *kms.DeleteAliasInput) error {
	p := newParams("DeleteAliasInput")
	p.required("AliasName", in.AliasName == nil)
	return p.err()
}

func validateListAliases(*kms.ListAliasesInput) error { return nil }

func validateSign(in *kms.SignInput) error {
	p := newParams("SignInput")
	p.required("KeyId", in.KeyId == nil)
	p.required("Message", in.Message == nil)
	p.required("SigningAlgorithm", len(in.SigningAlgorithm) == 0)
	return p.err()
}

func validateVerify(in *kms.VerifyInput) error {
	p := newParams("VerifyInput")
	p.required("KeyId", in.KeyId == nil)
	p.required("Message", in.Message == nil)
	p.required("Signature", in.Signature == nil)
	p.required("SigningAlgorithm", len(in.SigningAlgorithm) == 0)
	return p.err()
}

func validateGetPublicKey(in *kms.GetPublicKeyInput) error {
	return keyID("GetPublicKeyInput", in.KeyId)
}

func validateGenerateMac(in *kms.GenerateMacInput) error {
	p := newParams("GenerateMacInput")
	p.required("Message", in.Message == nil)
	p.required("KeyId", in.KeyId == nil)
	p.required("MacAlgorithm", len(in.MacAlgorithm) == 0)
	return p.err()
}

func validateVerifyMac(in *kms.VerifyMacInput) error {
	p := newParams("VerifyMacInput")
	p.required("Message", in.Message == nil)
	p.required("KeyId", in.KeyId == nil)
	p.required("MacAlgorithm", len(in.MacAlgorithm) == 0)
	p.required("Mac", in.Mac == nil)
	return p.err()
}

func validateGenerateDataKeyPair(in *kms.GenerateDataKeyPairInput) error {
	p := newParams("GenerateDataKeyPairInput")
	p.required("KeyId", in.KeyId == nil)
	p.required("KeyPairSpec", len(in.KeyPairSpec) == 0)
	return p.err()
}

func validateGenerateDataKeyPairWithoutPlaintext(in *kms.GenerateDataKeyPairWithoutPlaintextInput) error {
	p := newParams("GenerateDataKeyPairWithoutPlaintextInput")
	p.required("KeyId", in.KeyId == nil)
	p.required("KeyPairSpec", len(in.KeyPairSpec) == 0)
	return p.err()
}

func validateEnableKeyRotation(in *kms.EnableKeyRotationInput) error {
	return keyID("EnableKeyRotationInput", in.KeyId)
}

func validateDisableKeyRotation(in *kms.DisableKeyRotationInput) error {
	return keyID("DisableKeyRotationInput", in.KeyId)
}

func validateGetKeyRotationStatus(in *kms.GetKeyRotationStatusInput) error {
	return keyID("GetKeyRotationStatusInput", in.KeyId)
}

func validateRotateKeyOnDemand(in *kms.RotateKeyOnDemandInput) error {
	return keyID("RotateKeyOnDemandInput", in.KeyId)
}

func validateListKeyRotations(in *kms.ListKeyRotationsInput) error {
	return keyID("ListKeyRotationsInput", in.KeyId)
}

func validateGetParametersForImport(in *kms.GetParametersForImportInput) error {
	p := newParams("GetParametersForImportInput")
	p.required("KeyId", in.KeyId == nil)
	p.required("WrappingAlgorithm", in.WrappingAlgorithm == "")
	p.required("WrappingKeySpec", in.WrappingKeySpec == "")
	return p.err()
}

func validateImportKeyMaterial(in *kms.ImportKeyMaterialInput) error {
	p := newParams("ImportKeyMaterialInput")
	p.required("KeyId", in.KeyId == nil)
	p.required("ImportToken", in.ImportToken == nil)
	p.required("EncryptedKeyMaterial", in.EncryptedKeyMaterial == nil)
	return p.err()
}

func validateDeleteImportedKeyMaterial(in *kms.DeleteImportedKeyMaterialInput) error {
	return keyID("DeleteImportedKeyMaterialInput", in.KeyId)
}
