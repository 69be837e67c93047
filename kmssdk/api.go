package kmssdk

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/internal/kmsconv"
)

// API is the part of *kms.Client that kmsim implements. Code written
// against an interface of these *kms.Client methods accepts a *Client
// unchanged.
type API interface {
	CancelKeyDeletion(context.Context, *kms.CancelKeyDeletionInput, ...func(*kms.Options)) (*kms.CancelKeyDeletionOutput, error)
	CreateKey(context.Context, *kms.CreateKeyInput, ...func(*kms.Options)) (*kms.CreateKeyOutput, error)
	Decrypt(context.Context, *kms.DecryptInput, ...func(*kms.Options)) (*kms.DecryptOutput, error)
	DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
	DisableKey(context.Context, *kms.DisableKeyInput, ...func(*kms.Options)) (*kms.DisableKeyOutput, error)
	EnableKey(context.Context, *kms.EnableKeyInput, ...func(*kms.Options)) (*kms.EnableKeyOutput, error)
	Encrypt(context.Context, *kms.EncryptInput, ...func(*kms.Options)) (*kms.EncryptOutput, error)
	GenerateDataKey(context.Context, *kms.GenerateDataKeyInput, ...func(*kms.Options)) (*kms.GenerateDataKeyOutput, error)
	GenerateDataKeyWithoutPlaintext(context.Context, *kms.GenerateDataKeyWithoutPlaintextInput, ...func(*kms.Options)) (*kms.GenerateDataKeyWithoutPlaintextOutput, error)
	GenerateRandom(context.Context, *kms.GenerateRandomInput, ...func(*kms.Options)) (*kms.GenerateRandomOutput, error)
	ReEncrypt(context.Context, *kms.ReEncryptInput, ...func(*kms.Options)) (*kms.ReEncryptOutput, error)
	ListKeys(context.Context, *kms.ListKeysInput, ...func(*kms.Options)) (*kms.ListKeysOutput, error)
	ListResourceTags(context.Context, *kms.ListResourceTagsInput, ...func(*kms.Options)) (*kms.ListResourceTagsOutput, error)
	ReplicateKey(context.Context, *kms.ReplicateKeyInput, ...func(*kms.Options)) (*kms.ReplicateKeyOutput, error)
	ScheduleKeyDeletion(context.Context, *kms.ScheduleKeyDeletionInput, ...func(*kms.Options)) (*kms.ScheduleKeyDeletionOutput, error)
	TagResource(context.Context, *kms.TagResourceInput, ...func(*kms.Options)) (*kms.TagResourceOutput, error)
	UntagResource(context.Context, *kms.UntagResourceInput, ...func(*kms.Options)) (*kms.UntagResourceOutput, error)
	UpdateKeyDescription(context.Context, *kms.UpdateKeyDescriptionInput, ...func(*kms.Options)) (*kms.UpdateKeyDescriptionOutput, error)
	PutKeyPolicy(context.Context, *kms.PutKeyPolicyInput, ...func(*kms.Options)) (*kms.PutKeyPolicyOutput, error)
	GetKeyPolicy(context.Context, *kms.GetKeyPolicyInput, ...func(*kms.Options)) (*kms.GetKeyPolicyOutput, error)
	ListKeyPolicies(context.Context, *kms.ListKeyPoliciesInput, ...func(*kms.Options)) (*kms.ListKeyPoliciesOutput, error)
	UpdatePrimaryRegion(context.Context, *kms.UpdatePrimaryRegionInput, ...func(*kms.Options)) (*kms.UpdatePrimaryRegionOutput, error)
	CreateAlias(context.Context, *kms.CreateAliasInput, ...func(*kms.Options)) (*kms.CreateAliasOutput, error)
	UpdateAlias(context.Context, *kms.UpdateAliasInput, ...func(*kms.Options)) (*kms.UpdateAliasOutput, error)
	DeleteAlias(context.Context, *kms.DeleteAliasInput, ...func(*kms.Options)) (*kms.DeleteAliasOutput, error)
	ListAliases(context.Context, *kms.ListAliasesInput, ...func(*kms.Options)) (*kms.ListAliasesOutput, error)
	Sign(context.Context, *kms.SignInput, ...func(*kms.Options)) (*kms.SignOutput, error)
	Verify(context.Context, *kms.VerifyInput, ...func(*kms.Options)) (*kms.VerifyOutput, error)
	GetPublicKey(context.Context, *kms.GetPublicKeyInput, ...func(*kms.Options)) (*kms.GetPublicKeyOutput, error)
	GenerateMac(context.Context, *kms.GenerateMacInput, ...func(*kms.Options)) (*kms.GenerateMacOutput, error)
	VerifyMac(context.Context, *kms.VerifyMacInput, ...func(*kms.Options)) (*kms.VerifyMacOutput, error)
	GenerateDataKeyPair(context.Context, *kms.GenerateDataKeyPairInput, ...func(*kms.Options)) (*kms.GenerateDataKeyPairOutput, error)
	GenerateDataKeyPairWithoutPlaintext(context.Context, *kms.GenerateDataKeyPairWithoutPlaintextInput, ...func(*kms.Options)) (*kms.GenerateDataKeyPairWithoutPlaintextOutput, error)
	EnableKeyRotation(context.Context, *kms.EnableKeyRotationInput, ...func(*kms.Options)) (*kms.EnableKeyRotationOutput, error)
	DisableKeyRotation(context.Context, *kms.DisableKeyRotationInput, ...func(*kms.Options)) (*kms.DisableKeyRotationOutput, error)
	GetKeyRotationStatus(context.Context, *kms.GetKeyRotationStatusInput, ...func(*kms.Options)) (*kms.GetKeyRotationStatusOutput, error)
	RotateKeyOnDemand(context.Context, *kms.RotateKeyOnDemandInput, ...func(*kms.Options)) (*kms.RotateKeyOnDemandOutput, error)
	ListKeyRotations(context.Context, *kms.ListKeyRotationsInput, ...func(*kms.Options)) (*kms.ListKeyRotationsOutput, error)
	GetParametersForImport(context.Context, *kms.GetParametersForImportInput, ...func(*kms.Options)) (*kms.GetParametersForImportOutput, error)
	ImportKeyMaterial(context.Context, *kms.ImportKeyMaterialInput, ...func(*kms.Options)) (*kms.ImportKeyMaterialOutput, error)
	DeleteImportedKeyMaterial(context.Context, *kms.DeleteImportedKeyMaterialInput, ...func(*kms.Options)) (*kms.DeleteImportedKeyMaterialOutput, error)
}

var (
	_ API = (*kms.Client)(nil) // the signatures are the SDK's
	_ API = (*Client)(nil)
)

var (
	cancelKeyDeletion = newOperation("CancelKeyDeletion", validateCancelKeyDeletion, kmsconv.CheckCancelKeyDeletionInput,
		kmsconv.CancelKeyDeletionInput, (*engine.Engine).CancelKeyDeletion, kmsconv.CancelKeyDeletionOutput)
	createKey = newOperation("CreateKey", validateCreateKey, kmsconv.CheckCreateKeyInput,
		kmsconv.CreateKeyInput, kmsconv.CreateKey, same[kms.CreateKeyOutput])
	decrypt = newOperation("Decrypt", validateDecrypt, kmsconv.CheckDecryptInput,
		kmsconv.DecryptInput, (*engine.Engine).Decrypt, kmsconv.DecryptOutput)
	encrypt = newOperation("Encrypt", validateEncrypt, kmsconv.CheckEncryptInput,
		kmsconv.EncryptInput, (*engine.Engine).Encrypt, kmsconv.EncryptOutput)
	generateDataKey = newOperation("GenerateDataKey", validateGenerateDataKey, kmsconv.CheckGenerateDataKeyInput,
		kmsconv.GenerateDataKeyInput, (*engine.Engine).GenerateDataKey, kmsconv.GenerateDataKeyOutput)
	generateDataKeyWithoutPlaintext = newOperation("GenerateDataKeyWithoutPlaintext", validateGenerateDataKeyWithoutPlaintext,
		kmsconv.CheckGenerateDataKeyWithoutPlaintextInput, kmsconv.GenerateDataKeyWithoutPlaintextInput,
		(*engine.Engine).GenerateDataKeyWithoutPlaintext, kmsconv.GenerateDataKeyWithoutPlaintextOutput)
	generateRandom = newOperation("GenerateRandom", validateGenerateRandom, kmsconv.CheckGenerateRandomInput,
		kmsconv.GenerateRandomInput, (*engine.Engine).GenerateRandom, kmsconv.GenerateRandomOutput)
	reEncrypt = newOperation("ReEncrypt", validateReEncrypt, kmsconv.CheckReEncryptInput,
		kmsconv.ReEncryptInput, (*engine.Engine).ReEncrypt, kmsconv.ReEncryptOutput)
	describeKey = newOperation("DescribeKey", validateDescribeKey, kmsconv.CheckDescribeKeyInput,
		kmsconv.DescribeKeyInput, kmsconv.DescribeKey, same[kms.DescribeKeyOutput])
	disableKey = newOperation("DisableKey", validateDisableKey, kmsconv.CheckDisableKeyInput,
		kmsconv.DisableKeyInput, (*engine.Engine).DisableKey, kmsconv.DisableKeyOutput)
	enableKey = newOperation("EnableKey", validateEnableKey, kmsconv.CheckEnableKeyInput,
		kmsconv.EnableKeyInput, (*engine.Engine).EnableKey, kmsconv.EnableKeyOutput)
	listKeys = newOperation("ListKeys", validateListKeys, kmsconv.CheckListKeysInput,
		kmsconv.ListKeysInput, (*engine.Engine).ListKeys, kmsconv.ListKeysOutput)
	listResourceTags = newOperation("ListResourceTags", validateListResourceTags, kmsconv.CheckListResourceTagsInput,
		kmsconv.ListResourceTagsInput, (*engine.Engine).ListResourceTags, kmsconv.ListResourceTagsOutput)
	replicateKey = newOperation("ReplicateKey", validateReplicateKey, kmsconv.CheckReplicateKeyInput,
		kmsconv.ReplicateKeyInput, (*engine.Engine).ReplicateKey, kmsconv.ReplicateKeyOutput)
	scheduleKeyDeletion = newOperation("ScheduleKeyDeletion", validateScheduleKeyDeletion, kmsconv.CheckScheduleKeyDeletionInput,
		kmsconv.ScheduleKeyDeletionInput, (*engine.Engine).ScheduleKeyDeletion, kmsconv.ScheduleKeyDeletionOutput)
	tagResource = newOperation("TagResource", validateTagResource, kmsconv.CheckTagResourceInput,
		kmsconv.TagResourceInput, (*engine.Engine).TagResource, kmsconv.TagResourceOutput)
	untagResource = newOperation("UntagResource", validateUntagResource, kmsconv.CheckUntagResourceInput,
		kmsconv.UntagResourceInput, (*engine.Engine).UntagResource, kmsconv.UntagResourceOutput)
	updateKeyDescription = newOperation("UpdateKeyDescription", validateUpdateKeyDescription, kmsconv.CheckUpdateKeyDescriptionInput,
		kmsconv.UpdateKeyDescriptionInput, (*engine.Engine).UpdateKeyDescription, kmsconv.UpdateKeyDescriptionOutput)
	putKeyPolicy = newOperation("PutKeyPolicy", validatePutKeyPolicy, kmsconv.CheckPutKeyPolicyInput,
		kmsconv.PutKeyPolicyInput, (*engine.Engine).PutKeyPolicy, kmsconv.PutKeyPolicyOutput)
	getKeyPolicy = newOperation("GetKeyPolicy", validateGetKeyPolicy, kmsconv.CheckGetKeyPolicyInput,
		kmsconv.GetKeyPolicyInput, (*engine.Engine).GetKeyPolicy, kmsconv.GetKeyPolicyOutput)
	listKeyPolicies = newOperation("ListKeyPolicies", validateListKeyPolicies, kmsconv.CheckListKeyPoliciesInput,
		kmsconv.ListKeyPoliciesInput, (*engine.Engine).ListKeyPolicies, kmsconv.ListKeyPoliciesOutput)
	updatePrimaryRegion = newOperation("UpdatePrimaryRegion", validateUpdatePrimaryRegion, kmsconv.CheckUpdatePrimaryRegionInput,
		kmsconv.UpdatePrimaryRegionInput, (*engine.Engine).UpdatePrimaryRegion, kmsconv.UpdatePrimaryRegionOutput)
	createAlias = newOperation("CreateAlias", validateCreateAlias, kmsconv.CheckCreateAliasInput,
		kmsconv.CreateAliasInput, (*engine.Engine).CreateAlias, kmsconv.CreateAliasOutput)
	updateAlias = newOperation("UpdateAlias", validateUpdateAlias, kmsconv.CheckUpdateAliasInput,
		kmsconv.UpdateAliasInput, (*engine.Engine).UpdateAlias, kmsconv.UpdateAliasOutput)
	deleteAlias = newOperation("DeleteAlias", validateDeleteAlias, kmsconv.CheckDeleteAliasInput,
		kmsconv.DeleteAliasInput, (*engine.Engine).DeleteAlias, kmsconv.DeleteAliasOutput)
	listAliases = newOperation("ListAliases", validateListAliases, kmsconv.CheckListAliasesInput,
		kmsconv.ListAliasesInput, (*engine.Engine).ListAliases, kmsconv.ListAliasesOutput)
	sign = newOperation("Sign", validateSign, kmsconv.CheckSignInput,
		kmsconv.SignInput, (*engine.Engine).Sign, kmsconv.SignOutput)
	verify = newOperation("Verify", validateVerify, kmsconv.CheckVerifyInput,
		kmsconv.VerifyInput, (*engine.Engine).Verify, kmsconv.VerifyOutput)
	getPublicKey = newOperation("GetPublicKey", validateGetPublicKey, kmsconv.CheckGetPublicKeyInput,
		kmsconv.GetPublicKeyInput, (*engine.Engine).GetPublicKey, kmsconv.GetPublicKeyOutput)
	generateMac = newOperation("GenerateMac", validateGenerateMac, kmsconv.CheckGenerateMacInput,
		kmsconv.GenerateMacInput, (*engine.Engine).GenerateMac, kmsconv.GenerateMacOutput)
	verifyMac = newOperation("VerifyMac", validateVerifyMac, kmsconv.CheckVerifyMacInput,
		kmsconv.VerifyMacInput, (*engine.Engine).VerifyMac, kmsconv.VerifyMacOutput)
	generateDataKeyPair = newOperation("GenerateDataKeyPair", validateGenerateDataKeyPair, kmsconv.CheckGenerateDataKeyPairInput,
		kmsconv.GenerateDataKeyPairInput, (*engine.Engine).GenerateDataKeyPair, kmsconv.GenerateDataKeyPairOutput)
	generateDataKeyPairWithoutPlaintext = newOperation("GenerateDataKeyPairWithoutPlaintext", validateGenerateDataKeyPairWithoutPlaintext,
		kmsconv.CheckGenerateDataKeyPairWithoutPlaintextInput, kmsconv.GenerateDataKeyPairWithoutPlaintextInput,
		(*engine.Engine).GenerateDataKeyPairWithoutPlaintext, kmsconv.GenerateDataKeyPairWithoutPlaintextOutput)
	enableKeyRotation = newOperation("EnableKeyRotation", validateEnableKeyRotation, kmsconv.CheckEnableKeyRotationInput,
		kmsconv.EnableKeyRotationInput, (*engine.Engine).EnableKeyRotation, kmsconv.EnableKeyRotationOutput)
	disableKeyRotation = newOperation("DisableKeyRotation", validateDisableKeyRotation, kmsconv.CheckDisableKeyRotationInput,
		kmsconv.DisableKeyRotationInput, (*engine.Engine).DisableKeyRotation, kmsconv.DisableKeyRotationOutput)
	getKeyRotationStatus = newOperation("GetKeyRotationStatus", validateGetKeyRotationStatus, kmsconv.CheckGetKeyRotationStatusInput,
		kmsconv.GetKeyRotationStatusInput, (*engine.Engine).GetKeyRotationStatus, kmsconv.GetKeyRotationStatusOutput)
	rotateKeyOnDemand = newOperation("RotateKeyOnDemand", validateRotateKeyOnDemand, kmsconv.CheckRotateKeyOnDemandInput,
		kmsconv.RotateKeyOnDemandInput, (*engine.Engine).RotateKeyOnDemand, kmsconv.RotateKeyOnDemandOutput)
	listKeyRotations = newOperation("ListKeyRotations", validateListKeyRotations, kmsconv.CheckListKeyRotationsInput,
		kmsconv.ListKeyRotationsInput, (*engine.Engine).ListKeyRotations, kmsconv.ListKeyRotationsOutput)
	getParametersForImport = newOperation("GetParametersForImport", validateGetParametersForImport, kmsconv.CheckGetParametersForImportInput,
		kmsconv.GetParametersForImportInput, (*engine.Engine).GetParametersForImport, kmsconv.GetParametersForImportOutput)
	importKeyMaterial = newOperation("ImportKeyMaterial", validateImportKeyMaterial, kmsconv.CheckImportKeyMaterialInput,
		kmsconv.ImportKeyMaterialInput, (*engine.Engine).ImportKeyMaterial, kmsconv.ImportKeyMaterialOutput)
	deleteImportedKeyMaterial = newOperation("DeleteImportedKeyMaterial", validateDeleteImportedKeyMaterial, kmsconv.CheckDeleteImportedKeyMaterialInput,
		kmsconv.DeleteImportedKeyMaterialInput, (*engine.Engine).DeleteImportedKeyMaterial, kmsconv.DeleteImportedKeyMaterialOutput)
)

// Every method below behaves like the *kms.Client method of the same
// name, without retries: it returns a *smithy.OperationError wrapping a
// smithy.InvalidParamsError for a nil required member, the context's
// error for a done context, and otherwise the KMS error as the SDK's
// modeled exception (or smithy.GenericAPIError) inside an
// *awshttp.ResponseError. See the package documentation.

// CancelKeyDeletion runs [engine.Engine.CancelKeyDeletion]; it fails with
// *types.NotFoundException, *types.InvalidArnException and
// *types.KMSInvalidStateException, and ValidationException.
func (c *Client) CancelKeyDeletion(ctx context.Context, params *kms.CancelKeyDeletionInput, optFns ...func(*kms.Options)) (*kms.CancelKeyDeletionOutput, error) {
	return cancelKeyDeletion.invoke(ctx, c, params, optFns)
}

// CreateKey runs [engine.Engine.CreateKey]; it fails with
// *types.TagException, *types.LimitExceededException,
// *types.UnsupportedOperationException,
// *types.CustomKeyStoreNotFoundException and ValidationException.
func (c *Client) CreateKey(ctx context.Context, params *kms.CreateKeyInput, optFns ...func(*kms.Options)) (*kms.CreateKeyOutput, error) {
	return createKey.invoke(ctx, c, params, optFns)
}

// DescribeKey runs [engine.Engine.DescribeKey]; it fails with
// *types.NotFoundException, *types.InvalidArnException and
// ValidationException.
func (c *Client) DescribeKey(ctx context.Context, params *kms.DescribeKeyInput, optFns ...func(*kms.Options)) (*kms.DescribeKeyOutput, error) {
	return describeKey.invoke(ctx, c, params, optFns)
}

// DisableKey runs [engine.Engine.DisableKey]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.KMSInvalidStateException and ValidationException.
func (c *Client) DisableKey(ctx context.Context, params *kms.DisableKeyInput, optFns ...func(*kms.Options)) (*kms.DisableKeyOutput, error) {
	return disableKey.invoke(ctx, c, params, optFns)
}

// EnableKey runs [engine.Engine.EnableKey]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.KMSInvalidStateException and ValidationException.
func (c *Client) EnableKey(ctx context.Context, params *kms.EnableKeyInput, optFns ...func(*kms.Options)) (*kms.EnableKeyOutput, error) {
	return enableKey.invoke(ctx, c, params, optFns)
}

// ListKeys runs [engine.Engine.ListKeys]; it fails with
// ValidationException.
func (c *Client) ListKeys(ctx context.Context, params *kms.ListKeysInput, optFns ...func(*kms.Options)) (*kms.ListKeysOutput, error) {
	return listKeys.invoke(ctx, c, params, optFns)
}

// ListResourceTags runs [engine.Engine.ListResourceTags]; it fails with
// *types.NotFoundException, *types.InvalidArnException and
// ValidationException.
func (c *Client) ListResourceTags(ctx context.Context, params *kms.ListResourceTagsInput, optFns ...func(*kms.Options)) (*kms.ListResourceTagsOutput, error) {
	return listResourceTags.invoke(ctx, c, params, optFns)
}

// ReplicateKey runs [engine.Engine.ReplicateKey]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.UnsupportedOperationException, *types.DisabledException,
// *types.KMSInvalidStateException, *types.AlreadyExistsException,
// *types.TagException, *types.LimitExceededException and
// ValidationException.
func (c *Client) ReplicateKey(ctx context.Context, params *kms.ReplicateKeyInput, optFns ...func(*kms.Options)) (*kms.ReplicateKeyOutput, error) {
	return replicateKey.invoke(ctx, c, params, optFns)
}

// ScheduleKeyDeletion runs [engine.Engine.ScheduleKeyDeletion]; it fails
// with *types.NotFoundException, *types.InvalidArnException,
// *types.KMSInvalidStateException and ValidationException.
func (c *Client) ScheduleKeyDeletion(ctx context.Context, params *kms.ScheduleKeyDeletionInput, optFns ...func(*kms.Options)) (*kms.ScheduleKeyDeletionOutput, error) {
	return scheduleKeyDeletion.invoke(ctx, c, params, optFns)
}

// TagResource runs [engine.Engine.TagResource]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.KMSInvalidStateException, *types.TagException and
// ValidationException.
func (c *Client) TagResource(ctx context.Context, params *kms.TagResourceInput, optFns ...func(*kms.Options)) (*kms.TagResourceOutput, error) {
	return tagResource.invoke(ctx, c, params, optFns)
}

// UntagResource runs [engine.Engine.UntagResource]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.KMSInvalidStateException, *types.TagException and
// ValidationException.
func (c *Client) UntagResource(ctx context.Context, params *kms.UntagResourceInput, optFns ...func(*kms.Options)) (*kms.UntagResourceOutput, error) {
	return untagResource.invoke(ctx, c, params, optFns)
}

// UpdateKeyDescription runs [engine.Engine.UpdateKeyDescription]; it
// fails with *types.NotFoundException, *types.InvalidArnException,
// *types.KMSInvalidStateException and ValidationException.
func (c *Client) UpdateKeyDescription(ctx context.Context, params *kms.UpdateKeyDescriptionInput, optFns ...func(*kms.Options)) (*kms.UpdateKeyDescriptionOutput, error) {
	return updateKeyDescription.invoke(ctx, c, params, optFns)
}

// UpdatePrimaryRegion runs [engine.Engine.UpdatePrimaryRegion]; it fails
// with *types.NotFoundException, *types.InvalidArnException,
// *types.KMSInvalidStateException, *types.UnsupportedOperationException,
// *types.DisabledException and ValidationException.
func (c *Client) UpdatePrimaryRegion(ctx context.Context, params *kms.UpdatePrimaryRegionInput, optFns ...func(*kms.Options)) (*kms.UpdatePrimaryRegionOutput, error) {
	return updatePrimaryRegion.invoke(ctx, c, params, optFns)
}

// PutKeyPolicy runs [engine.Engine.PutKeyPolicy]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.MalformedPolicyDocumentException, *types.LimitExceededException,
// AccessDeniedException and ValidationException.
func (c *Client) PutKeyPolicy(ctx context.Context, params *kms.PutKeyPolicyInput, optFns ...func(*kms.Options)) (*kms.PutKeyPolicyOutput, error) {
	return putKeyPolicy.invoke(ctx, c, params, optFns)
}

// GetKeyPolicy runs [engine.Engine.GetKeyPolicy]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// AccessDeniedException and ValidationException.
func (c *Client) GetKeyPolicy(ctx context.Context, params *kms.GetKeyPolicyInput, optFns ...func(*kms.Options)) (*kms.GetKeyPolicyOutput, error) {
	return getKeyPolicy.invoke(ctx, c, params, optFns)
}

// ListKeyPolicies runs [engine.Engine.ListKeyPolicies]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// AccessDeniedException and ValidationException.
func (c *Client) ListKeyPolicies(ctx context.Context, params *kms.ListKeyPoliciesInput, optFns ...func(*kms.Options)) (*kms.ListKeyPoliciesOutput, error) {
	return listKeyPolicies.invoke(ctx, c, params, optFns)
}

// Encrypt runs [engine.Engine.Encrypt]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.DisabledException, *types.KMSInvalidStateException,
// *types.InvalidKeyUsageException, *types.DryRunOperationException,
// *types.UnsupportedOperationException (asymmetric encryption is not
// implemented yet), AccessDeniedException and ValidationException.
func (c *Client) Encrypt(ctx context.Context, params *kms.EncryptInput, optFns ...func(*kms.Options)) (*kms.EncryptOutput, error) {
	return encrypt.invoke(ctx, c, params, optFns)
}

// Decrypt runs [engine.Engine.Decrypt]; it fails with
// *types.InvalidCiphertextException (with a nil Message),
// *types.IncorrectKeyException, *types.NotFoundException,
// *types.InvalidArnException, *types.DisabledException,
// *types.KMSInvalidStateException, *types.InvalidKeyUsageException,
// *types.DryRunOperationException, *types.UnsupportedOperationException
// (Recipient), AccessDeniedException and ValidationException.
func (c *Client) Decrypt(ctx context.Context, params *kms.DecryptInput, optFns ...func(*kms.Options)) (*kms.DecryptOutput, error) {
	return decrypt.invoke(ctx, c, params, optFns)
}

// GenerateDataKey runs [engine.Engine.GenerateDataKey]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.DisabledException, *types.KMSInvalidStateException,
// *types.InvalidKeyUsageException, *types.DryRunOperationException,
// *types.UnsupportedOperationException (Recipient), AccessDeniedException
// and ValidationException.
func (c *Client) GenerateDataKey(ctx context.Context, params *kms.GenerateDataKeyInput, optFns ...func(*kms.Options)) (*kms.GenerateDataKeyOutput, error) {
	return generateDataKey.invoke(ctx, c, params, optFns)
}

// GenerateDataKeyWithoutPlaintext runs
// [engine.Engine.GenerateDataKeyWithoutPlaintext]; it fails as
// GenerateDataKey does.
func (c *Client) GenerateDataKeyWithoutPlaintext(ctx context.Context, params *kms.GenerateDataKeyWithoutPlaintextInput, optFns ...func(*kms.Options)) (*kms.GenerateDataKeyWithoutPlaintextOutput, error) {
	return generateDataKeyWithoutPlaintext.invoke(ctx, c, params, optFns)
}

// GenerateRandom runs [engine.Engine.GenerateRandom]; it fails with
// *types.CustomKeyStoreNotFoundException,
// *types.UnsupportedOperationException (Recipient), AccessDeniedException
// and ValidationException.
func (c *Client) GenerateRandom(ctx context.Context, params *kms.GenerateRandomInput, optFns ...func(*kms.Options)) (*kms.GenerateRandomOutput, error) {
	return generateRandom.invoke(ctx, c, params, optFns)
}

// ReEncrypt runs [engine.Engine.ReEncrypt]; it fails as Decrypt does for
// the source key and as Encrypt does for the destination key, and with
// *types.UnsupportedOperationException (DryRunModifiers).
func (c *Client) ReEncrypt(ctx context.Context, params *kms.ReEncryptInput, optFns ...func(*kms.Options)) (*kms.ReEncryptOutput, error) {
	return reEncrypt.invoke(ctx, c, params, optFns)
}

// CreateAlias runs [engine.Engine.CreateAlias]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.InvalidAliasNameException, *types.AlreadyExistsException,
// *types.KMSInvalidStateException, *types.LimitExceededException and
// ValidationException.
func (c *Client) CreateAlias(ctx context.Context, params *kms.CreateAliasInput, optFns ...func(*kms.Options)) (*kms.CreateAliasOutput, error) {
	return createAlias.invoke(ctx, c, params, optFns)
}

// UpdateAlias runs [engine.Engine.UpdateAlias]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.InvalidAliasNameException, *types.KMSInvalidStateException,
// *types.LimitExceededException and ValidationException.
func (c *Client) UpdateAlias(ctx context.Context, params *kms.UpdateAliasInput, optFns ...func(*kms.Options)) (*kms.UpdateAliasOutput, error) {
	return updateAlias.invoke(ctx, c, params, optFns)
}

// DeleteAlias runs [engine.Engine.DeleteAlias]; it fails with
// *types.NotFoundException and ValidationException.
func (c *Client) DeleteAlias(ctx context.Context, params *kms.DeleteAliasInput, optFns ...func(*kms.Options)) (*kms.DeleteAliasOutput, error) {
	return deleteAlias.invoke(ctx, c, params, optFns)
}

// ListAliases runs [engine.Engine.ListAliases]; it fails with
// *types.NotFoundException, *types.InvalidArnException and
// ValidationException.
func (c *Client) ListAliases(ctx context.Context, params *kms.ListAliasesInput, optFns ...func(*kms.Options)) (*kms.ListAliasesOutput, error) {
	return listAliases.invoke(ctx, c, params, optFns)
}

// Sign runs [engine.Engine.Sign]; it fails with *types.NotFoundException,
// *types.InvalidArnException, *types.DisabledException,
// *types.KMSInvalidStateException, *types.InvalidKeyUsageException,
// *types.DryRunOperationException, *types.UnsupportedOperationException
// (SM2 keys, MessageType EXTERNAL_MU), AccessDeniedException and
// ValidationException.
func (c *Client) Sign(ctx context.Context, params *kms.SignInput, optFns ...func(*kms.Options)) (*kms.SignOutput, error) {
	return sign.invoke(ctx, c, params, optFns)
}

// Verify runs [engine.Engine.Verify]; it fails as Sign does and with
// *types.KMSInvalidSignatureException when the signature does not verify.
func (c *Client) Verify(ctx context.Context, params *kms.VerifyInput, optFns ...func(*kms.Options)) (*kms.VerifyOutput, error) {
	return verify.invoke(ctx, c, params, optFns)
}

// GetPublicKey runs [engine.Engine.GetPublicKey]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.DisabledException, *types.KMSInvalidStateException,
// *types.UnsupportedOperationException (symmetric, HMAC and SM2 keys),
// AccessDeniedException and ValidationException.
func (c *Client) GetPublicKey(ctx context.Context, params *kms.GetPublicKeyInput, optFns ...func(*kms.Options)) (*kms.GetPublicKeyOutput, error) {
	return getPublicKey.invoke(ctx, c, params, optFns)
}

// GenerateMac runs [engine.Engine.GenerateMac]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.DisabledException, *types.KMSInvalidStateException,
// *types.InvalidKeyUsageException, *types.DryRunOperationException,
// AccessDeniedException and ValidationException.
func (c *Client) GenerateMac(ctx context.Context, params *kms.GenerateMacInput, optFns ...func(*kms.Options)) (*kms.GenerateMacOutput, error) {
	return generateMac.invoke(ctx, c, params, optFns)
}

// VerifyMac runs [engine.Engine.VerifyMac]; it fails as GenerateMac does
// and with *types.KMSInvalidMacException when the MAC does not verify.
func (c *Client) VerifyMac(ctx context.Context, params *kms.VerifyMacInput, optFns ...func(*kms.Options)) (*kms.VerifyMacOutput, error) {
	return verifyMac.invoke(ctx, c, params, optFns)
}

// GenerateDataKeyPair runs [engine.Engine.GenerateDataKeyPair]; it fails
// with *types.NotFoundException, *types.InvalidArnException,
// *types.DisabledException, *types.KMSInvalidStateException,
// *types.InvalidKeyUsageException, *types.DryRunOperationException,
// *types.UnsupportedOperationException (Recipient; SM2 pairs),
// AccessDeniedException and ValidationException.
func (c *Client) GenerateDataKeyPair(ctx context.Context, params *kms.GenerateDataKeyPairInput, optFns ...func(*kms.Options)) (*kms.GenerateDataKeyPairOutput, error) {
	return generateDataKeyPair.invoke(ctx, c, params, optFns)
}

// GenerateDataKeyPairWithoutPlaintext runs
// [engine.Engine.GenerateDataKeyPairWithoutPlaintext]; it fails as
// GenerateDataKeyPair does.
func (c *Client) GenerateDataKeyPairWithoutPlaintext(ctx context.Context, params *kms.GenerateDataKeyPairWithoutPlaintextInput, optFns ...func(*kms.Options)) (*kms.GenerateDataKeyPairWithoutPlaintextOutput, error) {
	return generateDataKeyPairWithoutPlaintext.invoke(ctx, c, params, optFns)
}

// EnableKeyRotation runs [engine.Engine.EnableKeyRotation]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.UnsupportedOperationException, *types.DisabledException,
// *types.KMSInvalidStateException, AccessDeniedException and
// ValidationException.
func (c *Client) EnableKeyRotation(ctx context.Context, params *kms.EnableKeyRotationInput, optFns ...func(*kms.Options)) (*kms.EnableKeyRotationOutput, error) {
	return enableKeyRotation.invoke(ctx, c, params, optFns)
}

// DisableKeyRotation runs [engine.Engine.DisableKeyRotation]; it fails as
// EnableKeyRotation does.
func (c *Client) DisableKeyRotation(ctx context.Context, params *kms.DisableKeyRotationInput, optFns ...func(*kms.Options)) (*kms.DisableKeyRotationOutput, error) {
	return disableKeyRotation.invoke(ctx, c, params, optFns)
}

// GetKeyRotationStatus runs [engine.Engine.GetKeyRotationStatus]; it fails
// with *types.NotFoundException, *types.InvalidArnException,
// *types.KMSInvalidStateException, AccessDeniedException and
// ValidationException.
func (c *Client) GetKeyRotationStatus(ctx context.Context, params *kms.GetKeyRotationStatusInput, optFns ...func(*kms.Options)) (*kms.GetKeyRotationStatusOutput, error) {
	return getKeyRotationStatus.invoke(ctx, c, params, optFns)
}

// RotateKeyOnDemand runs [engine.Engine.RotateKeyOnDemand]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.UnsupportedOperationException, *types.DisabledException,
// *types.KMSInvalidStateException, *types.ConflictException,
// *types.LimitExceededException, AccessDeniedException and
// ValidationException.
func (c *Client) RotateKeyOnDemand(ctx context.Context, params *kms.RotateKeyOnDemandInput, optFns ...func(*kms.Options)) (*kms.RotateKeyOnDemandOutput, error) {
	return rotateKeyOnDemand.invoke(ctx, c, params, optFns)
}

// ListKeyRotations runs [engine.Engine.ListKeyRotations]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.UnsupportedOperationException, *types.InvalidMarkerException,
// AccessDeniedException and ValidationException.
func (c *Client) ListKeyRotations(ctx context.Context, params *kms.ListKeyRotationsInput, optFns ...func(*kms.Options)) (*kms.ListKeyRotationsOutput, error) {
	return listKeyRotations.invoke(ctx, c, params, optFns)
}

// GetParametersForImport runs [engine.Engine.GetParametersForImport]; it
// fails with *types.NotFoundException, *types.InvalidArnException,
// *types.UnsupportedOperationException, *types.KMSInvalidStateException,
// AccessDeniedException and ValidationException.
func (c *Client) GetParametersForImport(ctx context.Context, params *kms.GetParametersForImportInput, optFns ...func(*kms.Options)) (*kms.GetParametersForImportOutput, error) {
	return getParametersForImport.invoke(ctx, c, params, optFns)
}

// ImportKeyMaterial runs [engine.Engine.ImportKeyMaterial]; it fails with
// *types.NotFoundException, *types.InvalidArnException,
// *types.UnsupportedOperationException, *types.KMSInvalidStateException,
// *types.InvalidImportTokenException, *types.ExpiredImportTokenException,
// *types.InvalidCiphertextException, *types.IncorrectKeyMaterialException,
// AccessDeniedException and ValidationException.
func (c *Client) ImportKeyMaterial(ctx context.Context, params *kms.ImportKeyMaterialInput, optFns ...func(*kms.Options)) (*kms.ImportKeyMaterialOutput, error) {
	return importKeyMaterial.invoke(ctx, c, params, optFns)
}

// DeleteImportedKeyMaterial runs [engine.Engine.DeleteImportedKeyMaterial];
// it fails with *types.NotFoundException, *types.InvalidArnException,
// *types.UnsupportedOperationException, *types.KMSInvalidStateException,
// AccessDeniedException and ValidationException.
func (c *Client) DeleteImportedKeyMaterial(ctx context.Context, params *kms.DeleteImportedKeyMaterialInput, optFns ...func(*kms.Options)) (*kms.DeleteImportedKeyMaterialOutput, error) {
	return deleteImportedKeyMaterial.invoke(ctx, c, params, optFns)
}
