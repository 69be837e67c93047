package keystore

// KeyState is the state of a KMS key; values mirror the KMS strings.
type KeyState string

// Key states (KMS KeyState enum, in the order of the API model).
const (
	Creating               KeyState = "Creating"
	Enabled                KeyState = "Enabled"
	Disabled               KeyState = "Disabled"
	PendingDeletion        KeyState = "PendingDeletion"
	PendingImport          KeyState = "PendingImport"
	PendingReplicaDeletion KeyState = "PendingReplicaDeletion"
	Unavailable            KeyState = "Unavailable"
	Updating               KeyState = "Updating"
)

// KeyUsage says what cryptographic operations a key is for.
type KeyUsage string

// Key usages (KMS KeyUsageType enum, in model order).
const (
	SignVerify        KeyUsage = "SIGN_VERIFY"
	EncryptDecrypt    KeyUsage = "ENCRYPT_DECRYPT"
	GenerateVerifyMAC KeyUsage = "GENERATE_VERIFY_MAC"
	KeyAgreement      KeyUsage = "KEY_AGREEMENT"
)

// KeyUsages lists every KeyUsage in API-model order.
var KeyUsages = []KeyUsage{SignVerify, EncryptDecrypt, GenerateVerifyMAC, KeyAgreement}

// Origin is the source of a key's material.
type Origin string

// Key material origins (KMS OriginType enum, in model order).
const (
	OriginAWSKMS           Origin = "AWS_KMS"
	OriginExternal         Origin = "EXTERNAL"
	OriginAWSCloudHSM      Origin = "AWS_CLOUDHSM"
	OriginExternalKeyStore Origin = "EXTERNAL_KEY_STORE"
)

// Origins lists every Origin in API-model order.
var Origins = []Origin{OriginAWSKMS, OriginExternal, OriginAWSCloudHSM, OriginExternalKeyStore}

// MultiRegionKeyType is the role of a key in a set of related multi-Region keys.
type MultiRegionKeyType string

// Multi-Region key roles.
const (
	Primary MultiRegionKeyType = "PRIMARY"
	Replica MultiRegionKeyType = "REPLICA"
)

// ExpirationModel says whether imported key material expires.
type ExpirationModel string

// Expiration models of imported key material.
const (
	KeyMaterialExpires       ExpirationModel = "KEY_MATERIAL_EXPIRES"
	KeyMaterialDoesNotExpire ExpirationModel = "KEY_MATERIAL_DOES_NOT_EXPIRE"
)

// KeyManager says who manages a key. Every key the engine creates is
// customer managed.
type KeyManager string

// Key managers.
const (
	ManagerAWS      KeyManager = "AWS"
	ManagerCustomer KeyManager = "CUSTOMER"
)
