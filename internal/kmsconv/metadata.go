package kmsconv

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmsim/kmsim/engine"
)

// metadataBox holds a types.KeyMetadata together with the values its
// pointers and slices refer to, so that one allocation serves the whole
// structure of a usual key; outputs embed it for the same reason. Members
// of imported and custom-key-store keys live in a separate rareMetadata,
// and lists longer than the inline arrays get their own allocation.
type metadataBox struct {
	md types.KeyMetadata

	keyID, account, arn, description string
	currentKeyMaterialID             string
	creationDate, deletionDate       time.Time
	pendingWindow                    int32
	multiRegion                      bool

	mrc         types.MultiRegionConfiguration
	primary     types.MultiRegionKey
	primaryARN  string
	primaryReg  string
	replicas    [2]types.MultiRegionKey
	replicaStrs [4]string

	encryption   [2]types.EncryptionAlgorithmSpec
	signing      [1]types.SigningAlgorithmSpec
	keyAgreement [1]types.KeyAgreementAlgorithmSpec
	mac          [1]types.MacAlgorithmSpec
}

// rareMetadata holds the values of the members most keys lack.
type rareMetadata struct {
	validTo                           time.Time
	customKeyStoreID, cloudHsmCluster string
	xksKeyID                          string
	xks                               types.XksKeyConfigurationType
}

// KeyMetadata converts the metadata of DescribeKey, CreateKey and
// ReplicateKey. Description, MultiRegion and the identifiers are always
// set; DeletionDate, ValidTo, PendingDeletionWindowInDays, the custom key
// store members, XksKeyConfiguration, CurrentKeyMaterialId, empty
// algorithm lists and MultiRegionConfiguration are nil when the engine
// leaves them zero.
func KeyMetadata(m *engine.KeyMetadata) *types.KeyMetadata {
	if m == nil {
		return nil
	}
	b := new(metadataBox)
	return b.fill(m)
}

// fill converts m into b and returns b's KeyMetadata.
func (b *metadataBox) fill(m *engine.KeyMetadata) *types.KeyMetadata {
	b.keyID, b.account, b.arn, b.description = m.KeyID, m.AWSAccountID, m.Arn, m.Description
	b.creationDate = m.CreationDate.UTC()
	b.multiRegion = m.MultiRegion
	// b is new and zero: set fields one by one rather than copying a
	// whole struct literal in, which costs a bulk write barrier.
	md := &b.md
	md.KeyId = &b.keyID
	md.AWSAccountId = &b.account
	md.Arn = &b.arn
	md.CreationDate = &b.creationDate
	md.Description = &b.description
	md.Enabled = m.Enabled
	md.KeyUsage = types.KeyUsageType(m.KeyUsage)
	md.KeyState = types.KeyState(m.KeyState)
	md.Origin = types.OriginType(m.Origin)
	md.ExpirationModel = types.ExpirationModelType(m.ExpirationModel)
	md.KeyManager = types.KeyManagerType(m.KeyManager)
	md.CustomerMasterKeySpec = types.CustomerMasterKeySpec(m.CustomerMasterKeySpec)
	md.KeySpec = types.KeySpec(m.KeySpec)
	md.MultiRegion = &b.multiRegion
	md.EncryptionAlgorithms = enums(b.encryption[:0], m.EncryptionAlgorithms)
	md.SigningAlgorithms = enums(b.signing[:0], m.SigningAlgorithms)
	md.KeyAgreementAlgorithms = enums(b.keyAgreement[:0], m.KeyAgreementAlgorithms)
	md.MacAlgorithms = enums(b.mac[:0], m.MacAlgorithms)
	if !m.DeletionDate.IsZero() {
		b.deletionDate = m.DeletionDate.UTC()
		md.DeletionDate = &b.deletionDate
	}
	if m.PendingDeletionWindowInDays != 0 {
		b.pendingWindow = m.PendingDeletionWindowInDays
		md.PendingDeletionWindowInDays = &b.pendingWindow
	}
	if m.CurrentKeyMaterialID != "" {
		// Every symmetric encryption key has one, so it lives in b.
		b.currentKeyMaterialID = m.CurrentKeyMaterialID
		md.CurrentKeyMaterialId = &b.currentKeyMaterialID
	}
	if !m.ValidTo.IsZero() || m.CustomKeyStoreID != "" || m.CloudHsmClusterID != "" || m.XksKeyID != "" {
		fillRare(md, m)
	}
	if c := m.MultiRegionConfiguration; c != nil {
		b.primaryARN, b.primaryReg = c.PrimaryKey.Arn, string(c.PrimaryKey.Region)
		b.primary.Arn, b.primary.Region = &b.primaryARN, &b.primaryReg
		b.mrc.MultiRegionKeyType = types.MultiRegionKeyType(c.MultiRegionKeyType)
		b.mrc.PrimaryKey = &b.primary
		b.mrc.ReplicaKeys = multiRegionKeys(b.replicas[:0], b.replicaStrs[:0], c.ReplicaKeys)
		md.MultiRegionConfiguration = &b.mrc
	}
	return md
}

// fillRare sets the members of imported and custom-key-store keys.
func fillRare(md *types.KeyMetadata, m *engine.KeyMetadata) {
	r := new(rareMetadata)
	if !m.ValidTo.IsZero() {
		r.validTo = m.ValidTo.UTC()
		md.ValidTo = &r.validTo
	}
	if m.CustomKeyStoreID != "" {
		r.customKeyStoreID = m.CustomKeyStoreID
		md.CustomKeyStoreId = &r.customKeyStoreID
	}
	if m.CloudHsmClusterID != "" {
		r.cloudHsmCluster = m.CloudHsmClusterID
		md.CloudHsmClusterId = &r.cloudHsmCluster
	}
	if m.XksKeyID != "" {
		r.xksKeyID = m.XksKeyID
		r.xks.Id = &r.xksKeyID
		md.XksKeyConfiguration = &r.xks
	}
}

// enums converts a list of algorithm names, appending to dst when it has
// room. An empty list gives nil: KMS omits the member.
func enums[T ~string](dst []T, src []string) []T {
	if len(src) == 0 {
		return nil
	}
	if cap(dst) < len(src) {
		dst = make([]T, 0, len(src))
	}
	for _, s := range src {
		dst = append(dst, T(s))
	}
	return dst
}

// multiRegionKeys converts a replica list into dst, with the strings the
// pointers refer to in strs. The result is never nil.
func multiRegionKeys(dst []types.MultiRegionKey, strs []string, src []engine.MultiRegionKey) []types.MultiRegionKey {
	if cap(dst) < len(src) {
		dst = make([]types.MultiRegionKey, 0, len(src))
	}
	if cap(strs) < 2*len(src) {
		strs = make([]string, 0, 2*len(src))
	}
	strs = strs[:2*len(src)]
	for i, k := range src {
		strs[2*i], strs[2*i+1] = k.Arn, string(k.Region)
		dst = append(dst, types.MultiRegionKey{Arn: &strs[2*i], Region: &strs[2*i+1]})
	}
	return dst
}
