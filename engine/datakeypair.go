package engine

import (
	"errors"
	"slices"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
)

// dataKeyPairSpecs is the DataKeyPairSpec enum, in model order.
var dataKeyPairSpecs = []keystore.KeySpec{
	keystore.RSA2048, keystore.RSA3072, keystore.RSA4096,
	keystore.ECCNISTP256, keystore.ECCNISTP384, keystore.ECCNISTP521, keystore.ECCSECGP256K1,
	keystore.SM2, keystore.ECCNISTEdwards25519,
}

// GenerateDataKeyPairInput is the GenerateDataKeyPair request. Empty
// strings, nil and false stand for omitted members. The Recipient member
// is not simulated; the fronts reject it with
// UnsupportedOperationException.
type GenerateDataKeyPairInput struct {
	EncryptionContext map[string]string `json:"encryptionContext,omitempty"`
	// KeyID names the symmetric encryption key that encrypts the private
	// key.
	KeyID       string           `json:"keyId"`
	KeyPairSpec keystore.KeySpec `json:"keyPairSpec"`
	GrantTokens []string         `json:"grantTokens,omitempty"`
	DryRun      bool             `json:"dryRun,omitempty"`
}

// GenerateDataKeyPairOutput is the GenerateDataKeyPair response.
type GenerateDataKeyPairOutput struct {
	// PrivateKeyCiphertextBlob is the private key encrypted exactly as
	// Encrypt would: Decrypt with the same encryption context opens it.
	PrivateKeyCiphertextBlob []byte `json:"privateKeyCiphertextBlob"`
	// PrivateKeyPlaintext is the DER PKCS #8 PrivateKeyInfo (RFC 5958);
	// the event log never holds it.
	PrivateKeyPlaintext []byte `json:"privateKeyPlaintext,omitempty"`
	// PublicKey is the DER X.509 SubjectPublicKeyInfo.
	PublicKey   []byte           `json:"publicKey"`
	KeyID       string           `json:"keyId"`
	KeyPairSpec keystore.KeySpec `json:"keyPairSpec"`
	// KeyMaterialID names the material of the encrypting key.
	KeyMaterialID string `json:"keyMaterialId"`
}

// GenerateDataKeyPairWithoutPlaintextInput is the
// GenerateDataKeyPairWithoutPlaintext request.
type GenerateDataKeyPairWithoutPlaintextInput struct {
	EncryptionContext map[string]string `json:"encryptionContext,omitempty"`
	KeyID             string            `json:"keyId"`
	KeyPairSpec       keystore.KeySpec  `json:"keyPairSpec"`
	GrantTokens       []string          `json:"grantTokens,omitempty"`
	DryRun            bool              `json:"dryRun,omitempty"`
}

// GenerateDataKeyPairWithoutPlaintextOutput is the
// GenerateDataKeyPairWithoutPlaintext response.
type GenerateDataKeyPairWithoutPlaintextOutput struct {
	PrivateKeyCiphertextBlob []byte           `json:"privateKeyCiphertextBlob"`
	PublicKey                []byte           `json:"publicKey"`
	KeyID                    string           `json:"keyId"`
	KeyPairSpec              keystore.KeySpec `json:"keyPairSpec"`
	KeyMaterialID            string           `json:"keyMaterialId"`
}

// GenerateDataKeyPair returns a new asymmetric key pair for use outside
// KMS: the public key, the private key, and the private key encrypted
// under a symmetric encryption key (spec §9.5 applies to the encryption).
// The pair comes from Config.Rand (32 bytes per call seed keystore's
// deterministic generators), so a seeded engine replays it.
//
// It returns ValidationException (model constraints; KeyPairSpec SM2
// outside the aws-cn partition), NotFoundException, InvalidArnException,
// AccessDeniedException, DisabledException, KMSInvalidStateException,
// InvalidKeyUsageException (any key but a symmetric encryption key) and
// DryRunOperationException. An SM2 pair (aws-cn) is a PKCS #8 and
// SubjectPublicKeyInfo with id-ecPublicKey and the curve sm2p256v1.
func (e *Engine) GenerateDataKeyPair(c Caller, in GenerateDataKeyPairInput) (*GenerateDataKeyPairOutput, error) {
	return runPacked(e, "GenerateDataKeyPair", c, in, (*call).generateDataKeyPair)
}

// GenerateDataKeyPairWithoutPlaintext is GenerateDataKeyPair without the
// plaintext private key in the response.
func (e *Engine) GenerateDataKeyPairWithoutPlaintext(c Caller, in GenerateDataKeyPairWithoutPlaintextInput) (*GenerateDataKeyPairWithoutPlaintextOutput, error) {
	return runPacked(e, "GenerateDataKeyPairWithoutPlaintext", c, in, (*call).generateDataKeyPairWithoutPlaintext)
}

func (cl *call) generateDataKeyPairWithoutPlaintext(in GenerateDataKeyPairWithoutPlaintextInput) (*GenerateDataKeyPairWithoutPlaintextOutput, error) {
	out, err := cl.generateDataKeyPair(GenerateDataKeyPairInput(in))
	if err != nil {
		return nil, err
	}
	clear(out.PrivateKeyPlaintext)
	return &GenerateDataKeyPairWithoutPlaintextOutput{
		PrivateKeyCiphertextBlob: out.PrivateKeyCiphertextBlob,
		PublicKey:                out.PublicKey,
		KeyID:                    out.KeyID,
		KeyPairSpec:              out.KeyPairSpec,
		KeyMaterialID:            out.KeyMaterialID,
	}, nil
}

func (cl *call) generateDataKeyPair(in GenerateDataKeyPairInput) (*GenerateDataKeyPairOutput, error) {
	var v violations
	v.keyID("keyId", in.KeyID)
	if v.required("keyPairSpec", string(in.KeyPairSpec)) {
		enum(&v, "keyPairSpec", in.KeyPairSpec, dataKeyPairSpecs)
	}
	v.grantTokens("grantTokens", in.GrantTokens)
	if err := v.err(); err != nil {
		return nil, err
	}
	// As CreateKey answers KeySpec SM2 (spec §3.4: China Regions only).
	if in.KeyPairSpec == keystore.SM2 && cl.partition != "aws-cn" {
		return nil, invalid("KeyPairSpec SM2 is not supported in this AWS partition.")
	}
	k, err := cl.resolve(in.KeyID, anyRef)
	if err != nil {
		return nil, err
	}
	var c conditions
	if !cl.authorizesTrivially(k) {
		c = cl.cryptoConditions(k, in.EncryptionContext, SymmetricDefault).set("kms:DataKeyPairSpec", string(in.KeyPairSpec))
	}
	if err := cl.authorize("kms:"+cl.op, k, true, c); err != nil {
		return nil, err
	}
	if err := cl.usable(k); err != nil {
		return nil, err
	}
	if err := checkAlgorithm(k, SymmetricDefault); err != nil {
		return nil, err
	}
	mat, err := keyMaterial(k)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(keystore.DataKeyPairSpecs, in.KeyPairSpec) {
		return nil, &kmserrors.UnsupportedOperationException{Message: "kmsim does not implement " + string(in.KeyPairSpec) + " data key pairs."}
	}
	if in.DryRun {
		return nil, errDryRun()
	}
	priv, pub, err := keystore.NewDataKeyPair(cl.e.rand, in.KeyPairSpec)
	if errors.Is(err, keystore.ErrUnsupportedSpec) {
		return nil, &kmserrors.UnsupportedOperationException{Message: "kmsim does not implement " + string(in.KeyPairSpec) + " data key pairs."}
	}
	if err != nil {
		return nil, &kmserrors.KMSInternalException{Message: "generating the data key pair failed"}
	}
	blob, err := cl.seal(k, mat, priv, in.EncryptionContext)
	if err != nil {
		clear(priv)
		return nil, err
	}
	return &GenerateDataKeyPairOutput{
		PrivateKeyCiphertextBlob: blob,
		PrivateKeyPlaintext:      priv,
		PublicKey:                pub,
		KeyID:                    k.ARN,
		KeyPairSpec:              in.KeyPairSpec,
		KeyMaterialID:            mat.ID,
	}, nil
}
