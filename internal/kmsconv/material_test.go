package kmsconv_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/internal/kmsconv"
	"github.com/kmsim/kmsim/keystore"
)

// The checks of the rotation and import operations: members sent empty,
// which the engine cannot tell from omitted ones.
func TestCheckMaterialOperations(t *testing.T) {
	const emptyKeyID = "1 validation error detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1"
	const emptyMaterialID = "1 validation error detected: Value '' at 'keyMaterialId' failed to satisfy constraint: Member must have length greater than or equal to 64"
	empty := aws.String("")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"EnableKeyRotation/nil", kmsconv.CheckEnableKeyRotationInput(nil), ""},
		{"EnableKeyRotation/set", kmsconv.CheckEnableKeyRotationInput(&kms.EnableKeyRotationInput{KeyId: aws.String("k"), RotationPeriodInDays: aws.Int32(1)}), ""},
		{"EnableKeyRotation/emptyKeyID", kmsconv.CheckEnableKeyRotationInput(&kms.EnableKeyRotationInput{KeyId: empty}), emptyKeyID},
		{"EnableKeyRotation/zeroPeriod", kmsconv.CheckEnableKeyRotationInput(&kms.EnableKeyRotationInput{RotationPeriodInDays: aws.Int32(0)}),
			"1 validation error detected: Value '0' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90"},
		{"DisableKeyRotation/emptyKeyID", kmsconv.CheckDisableKeyRotationInput(&kms.DisableKeyRotationInput{KeyId: empty}), emptyKeyID},
		{"GetKeyRotationStatus/emptyKeyID", kmsconv.CheckGetKeyRotationStatusInput(&kms.GetKeyRotationStatusInput{KeyId: empty}), emptyKeyID},
		{"RotateKeyOnDemand/emptyKeyID", kmsconv.CheckRotateKeyOnDemandInput(&kms.RotateKeyOnDemandInput{KeyId: empty}), emptyKeyID},
		{"ListKeyRotations/zeroLimit", kmsconv.CheckListKeyRotationsInput(&kms.ListKeyRotationsInput{Limit: aws.Int32(0)}),
			"1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"ListKeyRotations/set", kmsconv.CheckListKeyRotationsInput(&kms.ListKeyRotationsInput{KeyId: aws.String("k"), Marker: aws.String("m")}), ""},
		{"GetParametersForImport/emptyKeyID", kmsconv.CheckGetParametersForImportInput(&kms.GetParametersForImportInput{KeyId: empty}), emptyKeyID},
		{"ImportKeyMaterial/set", kmsconv.CheckImportKeyMaterialInput(&kms.ImportKeyMaterialInput{KeyId: aws.String("k"), ImportToken: []byte{1}, EncryptedKeyMaterial: []byte{1}}), ""},
		{"ImportKeyMaterial/emptyBlobs", kmsconv.CheckImportKeyMaterialInput(&kms.ImportKeyMaterialInput{ImportToken: []byte{}, EncryptedKeyMaterial: []byte{}}),
			"2 validation errors detected: Value at 'importToken' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value at 'encryptedKeyMaterial' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"ImportKeyMaterial/emptyDescription", kmsconv.CheckImportKeyMaterialInput(&kms.ImportKeyMaterialInput{KeyMaterialDescription: empty}),
			`1 validation error detected: Value '' at 'keyMaterialDescription' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_\s.-]+$`},
		{"ImportKeyMaterial/emptyMaterialID", kmsconv.CheckImportKeyMaterialInput(&kms.ImportKeyMaterialInput{KeyMaterialId: empty}), emptyMaterialID},
		{"DeleteImportedKeyMaterial/emptyMaterialID", kmsconv.CheckDeleteImportedKeyMaterialInput(&kms.DeleteImportedKeyMaterialInput{KeyMaterialId: empty}), emptyMaterialID},
		{"DeleteImportedKeyMaterial/nil", kmsconv.CheckDeleteImportedKeyMaterialInput(nil), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == "" {
				assert.NoError(t, tc.err)
				return
			}
			var ve *kmserrors.ValidationException
			if assert.True(t, errors.As(tc.err, &ve), "%v", tc.err) {
				assert.Equal(t, tc.want, ve.Message)
			}
		})
	}
}

func TestMaterialConversions(t *testing.T) {
	at := time.Date(2026, 2, 3, 4, 5, 6, 0, time.FixedZone("x", 3600))
	in := kmsconv.ImportKeyMaterialInput(&kms.ImportKeyMaterialInput{
		KeyId: aws.String("k"), ImportToken: []byte{1}, EncryptedKeyMaterial: []byte{2}, ValidTo: &at,
		ExpirationModel: types.ExpirationModelTypeKeyMaterialExpires, ImportType: types.ImportTypeNewKeyMaterial,
		KeyMaterialDescription: aws.String("d"), KeyMaterialId: aws.String("m"),
	})
	assert.Equal(t, engine.ImportKeyMaterialInput{
		KeyID: "k", ImportToken: []byte{1}, EncryptedKeyMaterial: []byte{2}, ValidTo: at,
		ExpirationModel: keystore.KeyMaterialExpires, ImportType: "NEW_KEY_MATERIAL", KeyMaterialDescription: "d", KeyMaterialID: "m",
	}, in)

	st := kmsconv.GetKeyRotationStatusOutput(&engine.GetKeyRotationStatusOutput{KeyID: "arn", KeyRotationEnabled: true, RotationPeriodInDays: 90, NextRotationDate: at})
	assert.Equal(t, int32(90), aws.ToInt32(st.RotationPeriodInDays))
	assert.Equal(t, at.UTC(), *st.NextRotationDate)
	assert.Nil(t, st.OnDemandRotationStartDate)
	off := kmsconv.GetKeyRotationStatusOutput(&engine.GetKeyRotationStatusOutput{KeyID: "arn"})
	assert.Nil(t, off.RotationPeriodInDays)
	assert.Nil(t, off.NextRotationDate)

	list := kmsconv.ListKeyRotationsOutput(&engine.ListKeyRotationsOutput{Rotations: []engine.RotationsListEntry{
		{KeyID: "k", KeyMaterialID: "m", KeyMaterialState: "CURRENT"},
	}})
	assert.Equal(t, []types.RotationsListEntry{{KeyId: aws.String("k"), KeyMaterialId: aws.String("m"), KeyMaterialState: types.KeyMaterialStateCurrent}}, list.Rotations)
	assert.NotNil(t, kmsconv.ListKeyRotationsOutput(&engine.ListKeyRotationsOutput{}).Rotations)
}
