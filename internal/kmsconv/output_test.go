package kmsconv_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/internal/kmsconv"
	"github.com/kmsim/kmsim/keystore"
)

var (
	created = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	deletes = time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
)

const (
	mrkID  = "mrk-1234abcd12ab34cd56ef1234567890ab"
	usARN  = "arn:aws:kms:us-east-1:111122223333:key/" + mrkID
	euARN  = "arn:aws:kms:eu-west-1:111122223333:key/" + mrkID
	apARN  = "arn:aws:kms:ap-southeast-2:111122223333:key/" + mrkID
	srkID  = "1234abcd-12ab-34cd-56ef-1234567890ab"
	srkARN = "arn:aws:kms:us-east-1:111122223333:key/" + srkID
)

// singleRegion is the metadata of a fresh symmetric single-Region key.
func singleRegion() engine.KeyMetadata {
	return engine.KeyMetadata{
		AWSAccountID:          "111122223333",
		KeyID:                 srkID,
		Arn:                   srkARN,
		CreationDate:          created,
		Enabled:               true,
		KeyUsage:              keystore.EncryptDecrypt,
		KeyState:              keystore.Enabled,
		Origin:                keystore.OriginAWSKMS,
		KeyManager:            keystore.ManagerCustomer,
		CustomerMasterKeySpec: keystore.SymmetricDefault,
		KeySpec:               keystore.SymmetricDefault,
		EncryptionAlgorithms:  []string{"SYMMETRIC_DEFAULT"},
	}
}

func singleRegionSDK() *types.KeyMetadata {
	return &types.KeyMetadata{
		AWSAccountId:          aws.String("111122223333"),
		KeyId:                 aws.String(srkID),
		Arn:                   aws.String(srkARN),
		CreationDate:          aws.Time(created),
		Enabled:               true,
		Description:           aws.String(""),
		KeyUsage:              types.KeyUsageTypeEncryptDecrypt,
		KeyState:              types.KeyStateEnabled,
		Origin:                types.OriginTypeAwsKms,
		KeyManager:            types.KeyManagerTypeCustomer,
		CustomerMasterKeySpec: types.CustomerMasterKeySpecSymmetricDefault,
		KeySpec:               types.KeySpecSymmetricDefault,
		EncryptionAlgorithms:  []types.EncryptionAlgorithmSpec{types.EncryptionAlgorithmSpecSymmetricDefault},
		MultiRegion:           aws.Bool(false),
	}
}

func TestKeyMetadata(t *testing.T) {
	tests := []struct {
		name string
		in   func(*engine.KeyMetadata)
		want func(*types.KeyMetadata)
	}{
		{"singleRegion", func(*engine.KeyMetadata) {}, func(*types.KeyMetadata) {}},
		{"disabled", func(m *engine.KeyMetadata) {
			m.Enabled, m.KeyState, m.Description = false, keystore.Disabled, "d"
		}, func(m *types.KeyMetadata) {
			m.Enabled, m.KeyState, m.Description = false, types.KeyStateDisabled, aws.String("d")
		}},
		{"pendingDeletion", func(m *engine.KeyMetadata) {
			m.Enabled, m.KeyState, m.DeletionDate = false, keystore.PendingDeletion, deletes
		}, func(m *types.KeyMetadata) {
			m.Enabled, m.KeyState, m.DeletionDate = false, types.KeyStatePendingDeletion, aws.Time(deletes)
		}},
		{"pendingReplicaDeletion", func(m *engine.KeyMetadata) {
			m.Enabled, m.KeyState, m.PendingDeletionWindowInDays = false, keystore.PendingReplicaDeletion, 7
		}, func(m *types.KeyMetadata) {
			m.Enabled, m.KeyState, m.PendingDeletionWindowInDays = false, types.KeyStatePendingReplicaDeletion, aws.Int32(7)
		}},
		{"imported", func(m *engine.KeyMetadata) {
			m.Origin, m.ExpirationModel, m.ValidTo = keystore.OriginExternal, keystore.KeyMaterialExpires, deletes
			m.CurrentKeyMaterialID = "km"
		}, func(m *types.KeyMetadata) {
			m.Origin, m.ExpirationModel, m.ValidTo = types.OriginTypeExternal, types.ExpirationModelTypeKeyMaterialExpires, aws.Time(deletes)
			m.CurrentKeyMaterialId = aws.String("km")
		}},
		{"customKeyStore", func(m *engine.KeyMetadata) {
			m.CustomKeyStoreID, m.CloudHsmClusterID, m.XksKeyID = "cks", "cluster", "xks"
		}, func(m *types.KeyMetadata) {
			m.CustomKeyStoreId, m.CloudHsmClusterId = aws.String("cks"), aws.String("cluster")
			m.XksKeyConfiguration = &types.XksKeyConfigurationType{Id: aws.String("xks")}
		}},
		{"noCustomerMasterKeySpec", func(m *engine.KeyMetadata) {
			m.CustomerMasterKeySpec, m.KeySpec, m.KeyUsage = "", "ML_DSA_44", keystore.SignVerify
			m.EncryptionAlgorithms, m.SigningAlgorithms = nil, []string{"ML_DSA_SHAKE_256"}
		}, func(m *types.KeyMetadata) {
			m.CustomerMasterKeySpec, m.KeySpec, m.KeyUsage = "", types.KeySpecMlDsa44, types.KeyUsageTypeSignVerify
			m.EncryptionAlgorithms = nil
			m.SigningAlgorithms = []types.SigningAlgorithmSpec{types.SigningAlgorithmSpecMlDsaShake256}
		}},
		{"rsa", func(m *engine.KeyMetadata) {
			m.KeySpec, m.CustomerMasterKeySpec = "RSA_2048", "RSA_2048"
			m.EncryptionAlgorithms = []string{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}
			m.SigningAlgorithms = []string{"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512"}
		}, func(m *types.KeyMetadata) {
			m.KeySpec, m.CustomerMasterKeySpec = types.KeySpecRsa2048, types.CustomerMasterKeySpecRsa2048
			m.EncryptionAlgorithms = []types.EncryptionAlgorithmSpec{types.EncryptionAlgorithmSpecRsaesOaepSha1, types.EncryptionAlgorithmSpecRsaesOaepSha256}
			m.SigningAlgorithms = []types.SigningAlgorithmSpec{types.SigningAlgorithmSpecRsassaPssSha256, types.SigningAlgorithmSpecRsassaPssSha384, types.SigningAlgorithmSpecRsassaPssSha512}
		}},
		{"macAndKeyAgreement", func(m *engine.KeyMetadata) {
			m.EncryptionAlgorithms, m.MacAlgorithms, m.KeyAgreementAlgorithms = []string{}, []string{"HMAC_SHA_256"}, []string{"ECDH"}
		}, func(m *types.KeyMetadata) {
			m.EncryptionAlgorithms = nil
			m.MacAlgorithms = []types.MacAlgorithmSpec{types.MacAlgorithmSpecHmacSha256}
			m.KeyAgreementAlgorithms = []types.KeyAgreementAlgorithmSpec{types.KeyAgreementAlgorithmSpecEcdh}
		}},
		{"primaryWithoutReplicas", func(m *engine.KeyMetadata) {
			m.KeyID, m.Arn, m.MultiRegion = mrkID, usARN, true
			m.MultiRegionConfiguration = &engine.MultiRegionConfiguration{
				MultiRegionKeyType: keystore.Primary,
				PrimaryKey:         engine.MultiRegionKey{Arn: usARN, Region: "us-east-1"},
				ReplicaKeys:        []engine.MultiRegionKey{},
			}
		}, func(m *types.KeyMetadata) {
			m.KeyId, m.Arn, m.MultiRegion = aws.String(mrkID), aws.String(usARN), aws.Bool(true)
			m.MultiRegionConfiguration = &types.MultiRegionConfiguration{
				MultiRegionKeyType: types.MultiRegionKeyTypePrimary,
				PrimaryKey:         &types.MultiRegionKey{Arn: aws.String(usARN), Region: aws.String("us-east-1")},
				ReplicaKeys:        []types.MultiRegionKey{},
			}
		}},
		{"primaryNilReplicaList", func(m *engine.KeyMetadata) {
			m.KeyID, m.Arn, m.MultiRegion = mrkID, usARN, true
			m.MultiRegionConfiguration = &engine.MultiRegionConfiguration{
				MultiRegionKeyType: keystore.Primary,
				PrimaryKey:         engine.MultiRegionKey{Arn: usARN, Region: "us-east-1"},
			}
		}, func(m *types.KeyMetadata) {
			m.KeyId, m.Arn, m.MultiRegion = aws.String(mrkID), aws.String(usARN), aws.Bool(true)
			m.MultiRegionConfiguration = &types.MultiRegionConfiguration{
				MultiRegionKeyType: types.MultiRegionKeyTypePrimary,
				PrimaryKey:         &types.MultiRegionKey{Arn: aws.String(usARN), Region: aws.String("us-east-1")},
				ReplicaKeys:        []types.MultiRegionKey{},
			}
		}},
		{"replica", func(m *engine.KeyMetadata) {
			m.KeyID, m.Arn, m.MultiRegion = mrkID, euARN, true
			m.Enabled, m.KeyState = false, keystore.Creating
			m.MultiRegionConfiguration = &engine.MultiRegionConfiguration{
				MultiRegionKeyType: keystore.Replica,
				PrimaryKey:         engine.MultiRegionKey{Arn: usARN, Region: "us-east-1"},
				ReplicaKeys: []engine.MultiRegionKey{
					{Arn: euARN, Region: "eu-west-1"},
					{Arn: apARN, Region: "ap-southeast-2"},
				},
			}
		}, func(m *types.KeyMetadata) {
			m.KeyId, m.Arn, m.MultiRegion = aws.String(mrkID), aws.String(euARN), aws.Bool(true)
			m.Enabled, m.KeyState = false, types.KeyStateCreating
			m.MultiRegionConfiguration = &types.MultiRegionConfiguration{
				MultiRegionKeyType: types.MultiRegionKeyTypeReplica,
				PrimaryKey:         &types.MultiRegionKey{Arn: aws.String(usARN), Region: aws.String("us-east-1")},
				ReplicaKeys: []types.MultiRegionKey{
					{Arn: aws.String(euARN), Region: aws.String("eu-west-1")},
					{Arn: aws.String(apARN), Region: aws.String("ap-southeast-2")},
				},
			}
		}},
		{"manyReplicas", func(m *engine.KeyMetadata) {
			m.KeyID, m.Arn, m.MultiRegion = mrkID, usARN, true
			c := &engine.MultiRegionConfiguration{
				MultiRegionKeyType: keystore.Primary,
				PrimaryKey:         engine.MultiRegionKey{Arn: usARN, Region: "us-east-1"},
			}
			for range 6 {
				c.ReplicaKeys = append(c.ReplicaKeys, engine.MultiRegionKey{Arn: euARN, Region: "eu-west-1"})
			}
			m.MultiRegionConfiguration = c
		}, func(m *types.KeyMetadata) {
			m.KeyId, m.Arn, m.MultiRegion = aws.String(mrkID), aws.String(usARN), aws.Bool(true)
			c := &types.MultiRegionConfiguration{
				MultiRegionKeyType: types.MultiRegionKeyTypePrimary,
				PrimaryKey:         &types.MultiRegionKey{Arn: aws.String(usARN), Region: aws.String("us-east-1")},
			}
			for range 6 {
				c.ReplicaKeys = append(c.ReplicaKeys, types.MultiRegionKey{Arn: aws.String(euARN), Region: aws.String("eu-west-1")})
			}
			m.MultiRegionConfiguration = c
		}},
		{"localTime", func(m *engine.KeyMetadata) {
			m.CreationDate = created.In(time.FixedZone("X", 3600))
		}, func(*types.KeyMetadata) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, want := singleRegion(), singleRegionSDK()
			tt.in(&in)
			tt.want(want)
			got := kmsconv.KeyMetadata(&in)
			assert.Equal(t, want, got)
			assert.Equal(t, time.UTC, got.CreationDate.Location())
		})
	}
	assert.Nil(t, kmsconv.KeyMetadata(nil))
}

// Converted outputs share nothing with the engine's values.
func TestKeyMetadataIsACopy(t *testing.T) {
	in := singleRegion()
	in.MultiRegionConfiguration = &engine.MultiRegionConfiguration{
		MultiRegionKeyType: keystore.Primary,
		PrimaryKey:         engine.MultiRegionKey{Arn: usARN, Region: "us-east-1"},
		ReplicaKeys:        []engine.MultiRegionKey{{Arn: euARN, Region: "eu-west-1"}},
	}
	got := kmsconv.KeyMetadata(&in)
	in.KeyID, in.EncryptionAlgorithms[0] = "changed", "changed"
	in.MultiRegionConfiguration.ReplicaKeys[0].Arn = "changed"
	assert.Equal(t, srkID, *got.KeyId)
	assert.Equal(t, types.EncryptionAlgorithmSpecSymmetricDefault, got.EncryptionAlgorithms[0])
	assert.Equal(t, euARN, *got.MultiRegionConfiguration.ReplicaKeys[0].Arn)
}

func TestOutputs(t *testing.T) {
	md := singleRegion()
	tags := []keystore.Tag{{Key: "a", Value: "1"}, {Key: "b", Value: ""}}
	sdkTags := []types.Tag{{TagKey: aws.String("a"), TagValue: aws.String("1")}, {TagKey: aws.String("b"), TagValue: aws.String("")}}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"CreateKey/nil", kmsconv.CreateKeyOutput(nil), (*kms.CreateKeyOutput)(nil)},
		{"CreateKey", kmsconv.CreateKeyOutput(&engine.CreateKeyOutput{KeyMetadata: md}),
			&kms.CreateKeyOutput{KeyMetadata: singleRegionSDK()}},

		{"DescribeKey/nil", kmsconv.DescribeKeyOutput(nil), (*kms.DescribeKeyOutput)(nil)},
		{"DescribeKey", kmsconv.DescribeKeyOutput(&engine.DescribeKeyOutput{KeyMetadata: md}),
			&kms.DescribeKeyOutput{KeyMetadata: singleRegionSDK()}},

		{"ListKeys/nil", kmsconv.ListKeysOutput(nil), (*kms.ListKeysOutput)(nil)},
		{"ListKeys/none", kmsconv.ListKeysOutput(&engine.ListKeysOutput{}),
			&kms.ListKeysOutput{Keys: []types.KeyListEntry{}}},
		{"ListKeys/page", kmsconv.ListKeysOutput(&engine.ListKeysOutput{
			Keys:       []engine.KeyListEntry{{KeyID: srkID, KeyArn: srkARN}, {KeyID: mrkID, KeyArn: usARN}},
			NextMarker: "next",
			Truncated:  true,
		}), &kms.ListKeysOutput{
			Keys: []types.KeyListEntry{
				{KeyId: aws.String(srkID), KeyArn: aws.String(srkARN)},
				{KeyId: aws.String(mrkID), KeyArn: aws.String(usARN)},
			},
			NextMarker: aws.String("next"),
			Truncated:  true,
		}},

		{"ReplicateKey/nil", kmsconv.ReplicateKeyOutput(nil), (*kms.ReplicateKeyOutput)(nil)},
		{"ReplicateKey/noTags", kmsconv.ReplicateKeyOutput(&engine.ReplicateKeyOutput{ReplicaKeyMetadata: md, ReplicaPolicy: "policy"}),
			&kms.ReplicateKeyOutput{ReplicaKeyMetadata: singleRegionSDK(), ReplicaPolicy: aws.String("policy")}},
		{"ReplicateKey/emptyPolicy", kmsconv.ReplicateKeyOutput(&engine.ReplicateKeyOutput{ReplicaKeyMetadata: md}),
			&kms.ReplicateKeyOutput{ReplicaKeyMetadata: singleRegionSDK(), ReplicaPolicy: aws.String("")}},
		{"ReplicateKey/tags", kmsconv.ReplicateKeyOutput(&engine.ReplicateKeyOutput{ReplicaKeyMetadata: md, ReplicaPolicy: "p", ReplicaTags: tags}),
			&kms.ReplicateKeyOutput{ReplicaKeyMetadata: singleRegionSDK(), ReplicaPolicy: aws.String("p"), ReplicaTags: sdkTags}},

		{"Encrypt/nil", kmsconv.EncryptOutput(nil), (*kms.EncryptOutput)(nil)},
		{"Encrypt", kmsconv.EncryptOutput(&engine.EncryptOutput{CiphertextBlob: []byte("c"), KeyID: usARN, EncryptionAlgorithm: "SYMMETRIC_DEFAULT"}),
			&kms.EncryptOutput{CiphertextBlob: []byte("c"), KeyId: aws.String(usARN), EncryptionAlgorithm: types.EncryptionAlgorithmSpecSymmetricDefault}},
		{"Encrypt/noKeyID", kmsconv.EncryptOutput(&engine.EncryptOutput{CiphertextBlob: []byte("c")}),
			&kms.EncryptOutput{CiphertextBlob: []byte("c")}},
		{"Decrypt/nil", kmsconv.DecryptOutput(nil), (*kms.DecryptOutput)(nil)},
		{"Decrypt", kmsconv.DecryptOutput(&engine.DecryptOutput{KeyID: usARN, Plaintext: []byte("p"), EncryptionAlgorithm: "SYMMETRIC_DEFAULT", KeyMaterialID: "m"}),
			&kms.DecryptOutput{KeyId: aws.String(usARN), Plaintext: []byte("p"), EncryptionAlgorithm: types.EncryptionAlgorithmSpecSymmetricDefault, KeyMaterialId: aws.String("m")}},
		{"Decrypt/noMaterialID", kmsconv.DecryptOutput(&engine.DecryptOutput{KeyID: usARN, Plaintext: []byte{}}),
			&kms.DecryptOutput{KeyId: aws.String(usARN), Plaintext: []byte{}}},

		{"GenerateDataKey/nil", kmsconv.GenerateDataKeyOutput(nil), (*kms.GenerateDataKeyOutput)(nil)},
		{"GenerateDataKey", kmsconv.GenerateDataKeyOutput(&engine.GenerateDataKeyOutput{CiphertextBlob: []byte("c"), Plaintext: []byte("p"), KeyID: usARN, KeyMaterialID: "m"}),
			&kms.GenerateDataKeyOutput{CiphertextBlob: []byte("c"), Plaintext: []byte("p"), KeyId: aws.String(usARN), KeyMaterialId: aws.String("m")}},
		{"GenerateDataKey/noMaterialID", kmsconv.GenerateDataKeyOutput(&engine.GenerateDataKeyOutput{KeyID: usARN}),
			&kms.GenerateDataKeyOutput{KeyId: aws.String(usARN)}},
		{"GenerateDataKeyWithoutPlaintext/nil", kmsconv.GenerateDataKeyWithoutPlaintextOutput(nil), (*kms.GenerateDataKeyWithoutPlaintextOutput)(nil)},
		{"GenerateDataKeyWithoutPlaintext", kmsconv.GenerateDataKeyWithoutPlaintextOutput(&engine.GenerateDataKeyWithoutPlaintextOutput{CiphertextBlob: []byte("c"), KeyID: usARN, KeyMaterialID: "m"}),
			&kms.GenerateDataKeyWithoutPlaintextOutput{CiphertextBlob: []byte("c"), KeyId: aws.String(usARN), KeyMaterialId: aws.String("m")}},

		{"UpdatePrimaryRegion/nil", kmsconv.UpdatePrimaryRegionOutput(nil), (*kms.UpdatePrimaryRegionOutput)(nil)},
		{"UpdatePrimaryRegion", kmsconv.UpdatePrimaryRegionOutput(&engine.UpdatePrimaryRegionOutput{}), &kms.UpdatePrimaryRegionOutput{}},
		{"EnableKey/nil", kmsconv.EnableKeyOutput(nil), (*kms.EnableKeyOutput)(nil)},
		{"EnableKey", kmsconv.EnableKeyOutput(&engine.EnableKeyOutput{}), &kms.EnableKeyOutput{}},
		{"DisableKey/nil", kmsconv.DisableKeyOutput(nil), (*kms.DisableKeyOutput)(nil)},
		{"DisableKey", kmsconv.DisableKeyOutput(&engine.DisableKeyOutput{}), &kms.DisableKeyOutput{}},

		{"ScheduleKeyDeletion/nil", kmsconv.ScheduleKeyDeletionOutput(nil), (*kms.ScheduleKeyDeletionOutput)(nil)},
		{"ScheduleKeyDeletion/pendingDeletion", kmsconv.ScheduleKeyDeletionOutput(&engine.ScheduleKeyDeletionOutput{
			KeyID: srkARN, DeletionDate: deletes, KeyState: keystore.PendingDeletion, PendingWindowInDays: 30,
		}), &kms.ScheduleKeyDeletionOutput{
			KeyId: aws.String(srkARN), DeletionDate: aws.Time(deletes), KeyState: types.KeyStatePendingDeletion, PendingWindowInDays: aws.Int32(30),
		}},
		{"ScheduleKeyDeletion/pendingReplicaDeletion", kmsconv.ScheduleKeyDeletionOutput(&engine.ScheduleKeyDeletionOutput{
			KeyID: usARN, KeyState: keystore.PendingReplicaDeletion, PendingWindowInDays: 7,
		}), &kms.ScheduleKeyDeletionOutput{
			KeyId: aws.String(usARN), KeyState: types.KeyStatePendingReplicaDeletion, PendingWindowInDays: aws.Int32(7),
		}},

		{"CancelKeyDeletion/nil", kmsconv.CancelKeyDeletionOutput(nil), (*kms.CancelKeyDeletionOutput)(nil)},
		{"CancelKeyDeletion", kmsconv.CancelKeyDeletionOutput(&engine.CancelKeyDeletionOutput{KeyID: srkARN}),
			&kms.CancelKeyDeletionOutput{KeyId: aws.String(srkARN)}},

		{"UpdateKeyDescription/nil", kmsconv.UpdateKeyDescriptionOutput(nil), (*kms.UpdateKeyDescriptionOutput)(nil)},
		{"UpdateKeyDescription", kmsconv.UpdateKeyDescriptionOutput(&engine.UpdateKeyDescriptionOutput{}), &kms.UpdateKeyDescriptionOutput{}},
		{"TagResource/nil", kmsconv.TagResourceOutput(nil), (*kms.TagResourceOutput)(nil)},
		{"TagResource", kmsconv.TagResourceOutput(&engine.TagResourceOutput{}), &kms.TagResourceOutput{}},
		{"UntagResource/nil", kmsconv.UntagResourceOutput(nil), (*kms.UntagResourceOutput)(nil)},
		{"UntagResource", kmsconv.UntagResourceOutput(&engine.UntagResourceOutput{}), &kms.UntagResourceOutput{}},

		{"ListResourceTags/nil", kmsconv.ListResourceTagsOutput(nil), (*kms.ListResourceTagsOutput)(nil)},
		{"ListResourceTags/none", kmsconv.ListResourceTagsOutput(&engine.ListResourceTagsOutput{Tags: []keystore.Tag{}}),
			&kms.ListResourceTagsOutput{Tags: []types.Tag{}}},
		{"ListResourceTags/nilTags", kmsconv.ListResourceTagsOutput(&engine.ListResourceTagsOutput{}),
			&kms.ListResourceTagsOutput{Tags: []types.Tag{}}},
		{"ListResourceTags/page", kmsconv.ListResourceTagsOutput(&engine.ListResourceTagsOutput{Tags: tags, NextMarker: "c", Truncated: true}),
			&kms.ListResourceTagsOutput{Tags: sdkTags, NextMarker: aws.String("c"), Truncated: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.got)
		})
	}
}

// Lists KMS always sends are non-nil even when empty; lists it omits are
// nil.
func TestOutputListsAreNonNil(t *testing.T) {
	lk := kmsconv.ListKeysOutput(&engine.ListKeysOutput{})
	require.NotNil(t, lk.Keys)
	lt := kmsconv.ListResourceTagsOutput(&engine.ListResourceTagsOutput{})
	require.NotNil(t, lt.Tags)
	md := singleRegion()
	md.MultiRegionConfiguration = &engine.MultiRegionConfiguration{MultiRegionKeyType: keystore.Primary}
	require.NotNil(t, kmsconv.KeyMetadata(&md).MultiRegionConfiguration.ReplicaKeys)
	rk := kmsconv.ReplicateKeyOutput(&engine.ReplicateKeyOutput{ReplicaTags: []keystore.Tag{}})
	require.NotNil(t, rk.ReplicaTags)
	rk = kmsconv.ReplicateKeyOutput(&engine.ReplicateKeyOutput{})
	require.Nil(t, rk.ReplicaTags)
	require.Nil(t, kmsconv.KeyMetadata(&md).SigningAlgorithms)
}
