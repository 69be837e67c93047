package kmsconv

import (
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"

	kmserrors "github.com/kmsim/kmsim/errors"
)

// unknownMessage is the message the SDK reports for an unmodeled error
// whose response has none.
const unknownMessage = "UnknownError"

// SDKError returns the error the SDK's deserializer produces for the KMS
// error err carries:
//
//   - nil for nil;
//   - for a code the KMS model declares, the SDK's exception of that name,
//     such as *types.NotFoundException, with a nil Message when the
//     message is empty (KMS sends no message member, as for
//     InvalidCiphertextException);
//   - for any other code (ValidationException, AccessDeniedException,
//     ThrottlingException, UnrecognizedClientException, ...), a
//     *smithy.GenericAPIError with the code and message, "UnknownError"
//     for an empty message, and an unknown fault, as the awsJson 1.1
//     deserializer leaves it;
//   - err itself when it already is an SDK error (a smithy.APIError but
//     no kmserrors value);
//   - for anything else, *types.KMSInternalException with err's text, as
//     the HTTP front reports unexpected failures.
func SDKError(err error) error {
	if err == nil {
		return nil
	}
	apiErr, ok := kmserrors.As(err)
	if !ok {
		if sdkErr, ok := err.(smithy.APIError); ok {
			return sdkErr
		}
		msg := err.Error()
		return &types.KMSInternalException{Message: &msg}
	}
	code, msg := apiErr.ErrorCode(), apiErr.ErrorMessage()
	if e := modeled(code, msg); e != nil {
		return e
	}
	if msg == "" {
		msg = unknownMessage
	}
	return &smithy.GenericAPIError{Code: code, Message: msg}
}

// Modeled reports whether the SDK has an exception type for code.
func Modeled(code string) bool { return modeled(code, "") != nil }

// modeled returns the SDK exception for code, or nil when the SDK models
// no such exception. It covers every exception in service/kms/types.
func modeled(code, msg string) error {
	var m *string
	if msg != "" {
		m = &msg
	}
	switch code {
	case "AlreadyExistsException":
		return &types.AlreadyExistsException{Message: m}
	case "CloudHsmClusterInUseException":
		return &types.CloudHsmClusterInUseException{Message: m}
	case "CloudHsmClusterInvalidConfigurationException":
		return &types.CloudHsmClusterInvalidConfigurationException{Message: m}
	case "CloudHsmClusterNotActiveException":
		return &types.CloudHsmClusterNotActiveException{Message: m}
	case "CloudHsmClusterNotFoundException":
		return &types.CloudHsmClusterNotFoundException{Message: m}
	case "CloudHsmClusterNotRelatedException":
		return &types.CloudHsmClusterNotRelatedException{Message: m}
	case "ConflictException":
		return &types.ConflictException{Message: m}
	case "CustomKeyStoreHasCMKsException":
		return &types.CustomKeyStoreHasCMKsException{Message: m}
	case "CustomKeyStoreInvalidStateException":
		return &types.CustomKeyStoreInvalidStateException{Message: m}
	case "CustomKeyStoreNameInUseException":
		return &types.CustomKeyStoreNameInUseException{Message: m}
	case "CustomKeyStoreNotFoundException":
		return &types.CustomKeyStoreNotFoundException{Message: m}
	case "DependencyTimeoutException":
		return &types.DependencyTimeoutException{Message: m}
	case "DisabledException":
		return &types.DisabledException{Message: m}
	case "DryRunOperationException":
		return &types.DryRunOperationException{Message: m}
	case "ExpiredImportTokenException":
		return &types.ExpiredImportTokenException{Message: m}
	case "IncorrectKeyException":
		return &types.IncorrectKeyException{Message: m}
	case "IncorrectKeyMaterialException":
		return &types.IncorrectKeyMaterialException{Message: m}
	case "IncorrectTrustAnchorException":
		return &types.IncorrectTrustAnchorException{Message: m}
	case "InvalidAliasNameException":
		return &types.InvalidAliasNameException{Message: m}
	case "InvalidArnException":
		return &types.InvalidArnException{Message: m}
	case "InvalidCiphertextException":
		return &types.InvalidCiphertextException{Message: m}
	case "InvalidGrantIdException":
		return &types.InvalidGrantIdException{Message: m}
	case "InvalidGrantTokenException":
		return &types.InvalidGrantTokenException{Message: m}
	case "InvalidImportTokenException":
		return &types.InvalidImportTokenException{Message: m}
	case "InvalidKeyUsageException":
		return &types.InvalidKeyUsageException{Message: m}
	case "InvalidMarkerException":
		return &types.InvalidMarkerException{Message: m}
	case "KeyUnavailableException":
		return &types.KeyUnavailableException{Message: m}
	case "KMSInternalException":
		return &types.KMSInternalException{Message: m}
	case "KMSInvalidMacException":
		return &types.KMSInvalidMacException{Message: m}
	case "KMSInvalidSignatureException":
		return &types.KMSInvalidSignatureException{Message: m}
	case "KMSInvalidStateException":
		return &types.KMSInvalidStateException{Message: m}
	case "LimitExceededException":
		return &types.LimitExceededException{Message: m}
	case "MalformedPolicyDocumentException":
		return &types.MalformedPolicyDocumentException{Message: m}
	case "NotFoundException":
		return &types.NotFoundException{Message: m}
	case "TagException":
		return &types.TagException{Message: m}
	case "UnsupportedOperationException":
		return &types.UnsupportedOperationException{Message: m}
	case "XksKeyAlreadyInUseException":
		return &types.XksKeyAlreadyInUseException{Message: m}
	case "XksKeyInvalidConfigurationException":
		return &types.XksKeyInvalidConfigurationException{Message: m}
	case "XksKeyNotFoundException":
		return &types.XksKeyNotFoundException{Message: m}
	case "XksProxyIncorrectAuthenticationCredentialException":
		return &types.XksProxyIncorrectAuthenticationCredentialException{Message: m}
	case "XksProxyInvalidConfigurationException":
		return &types.XksProxyInvalidConfigurationException{Message: m}
	case "XksProxyInvalidResponseException":
		return &types.XksProxyInvalidResponseException{Message: m}
	case "XksProxyUriEndpointInUseException":
		return &types.XksProxyUriEndpointInUseException{Message: m}
	case "XksProxyUriInUseException":
		return &types.XksProxyUriInUseException{Message: m}
	case "XksProxyUriUnreachableException":
		return &types.XksProxyUriUnreachableException{Message: m}
	case "XksProxyVpcEndpointServiceInUseException":
		return &types.XksProxyVpcEndpointServiceInUseException{Message: m}
	case "XksProxyVpcEndpointServiceInvalidConfigurationException":
		return &types.XksProxyVpcEndpointServiceInvalidConfigurationException{Message: m}
	case "XksProxyVpcEndpointServiceNotFoundException":
		return &types.XksProxyVpcEndpointServiceNotFoundException{Message: m}
	}
	return nil
}
