package kmsconv_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/internal/kmsconv"
)

// sdkTypes returns the SDK's exception types by code, from the registry
// its deserializer uses.
func sdkTypes(t *testing.T) map[string]reflect.Type {
	t.Helper()
	out := make(map[string]reflect.Type)
	for id, entry := range kms.TypeRegistry.Entries {
		code, ok := strings.CutPrefix(id, "com.amazonaws.kms#")
		require.True(t, ok, id)
		out[code] = reflect.TypeOf(entry.New())
	}
	require.Len(t, out, 48, "the KMS model of this SDK version declares 48 exceptions")
	return out
}

func TestSDKErrorEveryCode(t *testing.T) {
	want := sdkTypes(t)
	for _, info := range kmserrors.All() {
		t.Run(info.Code, func(t *testing.T) {
			typ, modeled := want[info.Code]
			assert.Equal(t, info.InModel, modeled, "kmserrors.Info.InModel disagrees with the SDK")
			assert.Equal(t, modeled, kmsconv.Modeled(info.Code))

			err := kmsconv.SDKError(kmserrors.New(info.Code, "the message"))
			var apiErr smithy.APIError
			require.True(t, errors.As(err, &apiErr))
			assert.Equal(t, info.Code, apiErr.ErrorCode())
			assert.Equal(t, "the message", apiErr.ErrorMessage())

			empty := kmsconv.SDKError(kmserrors.New(info.Code, ""))
			if modeled {
				assert.Equal(t, typ, reflect.TypeOf(err))
				assert.Equal(t, "*types."+info.Code, fmt.Sprintf("%T", err))
				want := smithy.FaultClient
				if info.Fault == kmserrors.FaultServer {
					want = smithy.FaultServer
				}
				assert.Equal(t, want, apiErr.ErrorFault())
				// An empty message is no message member: a nil Message.
				assert.True(t, reflect.ValueOf(empty).Elem().FieldByName("Message").IsNil())
				return
			}
			assert.Equal(t, &smithy.GenericAPIError{Code: info.Code, Message: "the message"}, err)
			assert.Equal(t, &smithy.GenericAPIError{Code: info.Code, Message: "UnknownError"}, empty)
		})
	}
}

// Every exception of the SDK is reachable from some kmserrors code.
func TestSDKErrorCoversTheSDK(t *testing.T) {
	for code, typ := range sdkTypes(t) {
		_, ok := kmserrors.Lookup(code)
		assert.True(t, ok, "kmserrors has no %s", code)
		assert.True(t, kmsconv.Modeled(code), code)
		assert.Equal(t, typ, reflect.TypeOf(kmsconv.SDKError(kmserrors.New(code, "m"))), code)
	}
}

func TestSDKErrorCommon(t *testing.T) {
	var nf *types.NotFoundException
	err := kmsconv.SDKError(fmt.Errorf("context: %w", &kmserrors.NotFoundException{Message: "Key 'k' does not exist"}))
	require.True(t, errors.As(err, &nf))
	assert.Equal(t, "Key 'k' does not exist", *nf.Message)

	var ic *types.InvalidCiphertextException
	require.True(t, errors.As(kmsconv.SDKError(&kmserrors.InvalidCiphertextException{}), &ic))
	assert.Nil(t, ic.Message)

	var generic *smithy.GenericAPIError
	require.True(t, errors.As(kmsconv.SDKError(&kmserrors.ValidationException{Message: "bad"}), &generic))
	assert.Equal(t, "ValidationException", generic.Code)
	assert.Equal(t, "bad", generic.Message)
	assert.Equal(t, smithy.FaultUnknown, generic.Fault, "the awsJson 1.1 deserializer sets no fault")

	for _, code := range []string{"AccessDeniedException", "ThrottlingException", "UnrecognizedClientException"} {
		require.True(t, errors.As(kmsconv.SDKError(kmserrors.New(code, "m")), &generic), code)
		assert.Equal(t, code, generic.Code)
	}
}

func TestSDKErrorOthers(t *testing.T) {
	assert.NoError(t, kmsconv.SDKError(nil))

	var internal *types.KMSInternalException
	require.True(t, errors.As(kmsconv.SDKError(errors.New("boom")), &internal))
	assert.Equal(t, "boom", *internal.Message)

	sdkErr := &types.DisabledException{}
	assert.Same(t, sdkErr, kmsconv.SDKError(sdkErr))
}
