package keystore

// KeySpec is the type of key material and the algorithms it supports.
type KeySpec string

// Key specs (KMS KeySpec enum, in model order).
const (
	RSA2048             KeySpec = "RSA_2048"
	RSA3072             KeySpec = "RSA_3072"
	RSA4096             KeySpec = "RSA_4096"
	ECCNISTP256         KeySpec = "ECC_NIST_P256"
	ECCNISTP384         KeySpec = "ECC_NIST_P384"
	ECCNISTP521         KeySpec = "ECC_NIST_P521"
	ECCSECGP256K1       KeySpec = "ECC_SECG_P256K1"
	SymmetricDefault    KeySpec = "SYMMETRIC_DEFAULT"
	HMAC224             KeySpec = "HMAC_224"
	HMAC256             KeySpec = "HMAC_256"
	HMAC384             KeySpec = "HMAC_384"
	HMAC512             KeySpec = "HMAC_512"
	SM2                 KeySpec = "SM2"
	MLDSA44             KeySpec = "ML_DSA_44"
	MLDSA65             KeySpec = "ML_DSA_65"
	MLDSA87             KeySpec = "ML_DSA_87"
	ECCNISTEdwards25519 KeySpec = "ECC_NIST_EDWARDS25519"
)

// KeySpecs lists every KeySpec in API-model order.
var KeySpecs = []KeySpec{
	RSA2048, RSA3072, RSA4096, ECCNISTP256, ECCNISTP384, ECCNISTP521, ECCSECGP256K1,
	SymmetricDefault, HMAC224, HMAC256, HMAC384, HMAC512, SM2, MLDSA44, MLDSA65, MLDSA87,
	ECCNISTEdwards25519,
}

// CustomerMasterKeySpecs lists the values of the deprecated
// CustomerMasterKeySpec enum, which lacks the ML-DSA and Edwards specs.
var CustomerMasterKeySpecs = KeySpecs[:13]

// Algorithms lists the algorithms a key of some spec and usage supports,
// by family, as DescribeKey reports them. The slices are shared and must
// not be modified.
type Algorithms struct {
	Encryption   []string
	Signing      []string
	MAC          []string
	KeyAgreement []string
}

// specInfo describes one KeySpec: which usages it allows and the
// algorithms each usage brings.
type specInfo struct {
	usages map[KeyUsage]Algorithms
	// legacy reports whether the spec is in the CustomerMasterKeySpec enum.
	legacy bool
}

var (
	rsaEncrypt = Algorithms{Encryption: []string{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}}
	rsaSign    = Algorithms{Signing: []string{
		"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
		"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
	}}
	ecdh = Algorithms{KeyAgreement: []string{"ECDH"}}
)

func rsa() specInfo {
	return specInfo{legacy: true, usages: map[KeyUsage]Algorithms{EncryptDecrypt: rsaEncrypt, SignVerify: rsaSign}}
}

func nist(hash string) specInfo {
	return specInfo{legacy: true, usages: map[KeyUsage]Algorithms{
		SignVerify:   {Signing: []string{"ECDSA_" + hash}},
		KeyAgreement: ecdh,
	}}
}

func only(u KeyUsage, a Algorithms, legacy bool) specInfo {
	return specInfo{legacy: legacy, usages: map[KeyUsage]Algorithms{u: a}}
}

// specs is the KeySpec ↔ KeyUsage ↔ algorithm table of spec §3.4.
var specs = map[KeySpec]specInfo{
	RSA2048:          rsa(),
	RSA3072:          rsa(),
	RSA4096:          rsa(),
	ECCNISTP256:      nist("SHA_256"),
	ECCNISTP384:      nist("SHA_384"),
	ECCNISTP521:      nist("SHA_512"),
	ECCSECGP256K1:    only(SignVerify, Algorithms{Signing: []string{"ECDSA_SHA_256"}}, true),
	SymmetricDefault: only(EncryptDecrypt, Algorithms{Encryption: []string{"SYMMETRIC_DEFAULT"}}, true),
	HMAC224:          only(GenerateVerifyMAC, Algorithms{MAC: []string{"HMAC_SHA_224"}}, true),
	HMAC256:          only(GenerateVerifyMAC, Algorithms{MAC: []string{"HMAC_SHA_256"}}, true),
	HMAC384:          only(GenerateVerifyMAC, Algorithms{MAC: []string{"HMAC_SHA_384"}}, true),
	HMAC512:          only(GenerateVerifyMAC, Algorithms{MAC: []string{"HMAC_SHA_512"}}, true),
	SM2: {legacy: true, usages: map[KeyUsage]Algorithms{
		EncryptDecrypt: {Encryption: []string{"SM2PKE"}},
		SignVerify:     {Signing: []string{"SM2DSA"}},
		KeyAgreement:   ecdh,
	}},
	MLDSA44:             only(SignVerify, Algorithms{Signing: []string{"ML_DSA_SHAKE_256"}}, false),
	MLDSA65:             only(SignVerify, Algorithms{Signing: []string{"ML_DSA_SHAKE_256"}}, false),
	MLDSA87:             only(SignVerify, Algorithms{Signing: []string{"ML_DSA_SHAKE_256"}}, false),
	ECCNISTEdwards25519: only(SignVerify, Algorithms{Signing: []string{"ED25519_SHA_512", "ED25519_PH_SHA_512"}}, false),
}

// Valid reports whether s is a KeySpec of the API model.
func (s KeySpec) Valid() bool {
	_, ok := specs[s]
	return ok
}

// Symmetric reports whether s is the symmetric encryption spec, the only
// one for which CreateKey may omit KeyUsage.
func (s KeySpec) Symmetric() bool { return s == SymmetricDefault }

// InCustomerMasterKeySpecEnum reports whether s may be shown in the
// deprecated CustomerMasterKeySpec field of KeyMetadata.
func (s KeySpec) InCustomerMasterKeySpecEnum() bool { return specs[s].legacy }

// Describe returns what a key's metadata shows of spec s with usage u:
// Algorithms(u) and InCustomerMasterKeySpecEnum, from one table lookup
// (metadata is rendered on every DescribeKey).
func (s KeySpec) Describe(u KeyUsage) (algs Algorithms, legacy bool) {
	info := specs[s]
	return info.usages[u], info.legacy
}

// Allows reports whether a key of spec s may have usage u.
func (s KeySpec) Allows(u KeyUsage) bool {
	_, ok := specs[s].usages[u]
	return ok
}

// Algorithms returns the algorithms KMS lists for a key of spec s and
// usage u, or the zero value when the pair is not allowed.
func (s KeySpec) Algorithms(u KeyUsage) Algorithms { return specs[s].usages[u] }

// Valid reports whether u is a KeyUsage of the API model.
func (u KeyUsage) Valid() bool {
	switch u {
	case SignVerify, EncryptDecrypt, GenerateVerifyMAC, KeyAgreement:
		return true
	}
	return false
}

// Valid reports whether o is an Origin of the API model.
func (o Origin) Valid() bool {
	switch o {
	case OriginAWSKMS, OriginExternal, OriginAWSCloudHSM, OriginExternalKeyStore:
		return true
	}
	return false
}
