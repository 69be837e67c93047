package engine

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	_ "crypto/sha1" // RSAES_OAEP_SHA_1
	"fmt"
	"io"
	"math/rand/v2"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
)

// random returns a fresh ChaCha8 stream seeded with 32 bytes of
// Config.Rand, for the standard library calls that take a reader (OAEP
// seeds, PSS salts, data key pairs). Each call takes exactly 32 bytes from
// Config.Rand, however many the callee reads, so a seeded engine replays
// the same way even if a Go release changes how much those calls read.
func (cl *call) random() (io.Reader, error) {
	var seed [32]byte
	if _, err := io.ReadFull(cl.e.rand, seed[:]); err != nil {
		return nil, &kmserrors.KMSInternalException{Message: fmt.Sprintf("random source failed: %v", err)}
	}
	return rand.NewChaCha8(seed), nil
}

// oaepHash returns the hash of an RSAES_OAEP_* algorithm (MGF1 uses the
// same hash, and the label is empty, as in KMS).
func oaepHash(alg string) crypto.Hash {
	if alg == RSAESOAEPSHA1 {
		return crypto.SHA1
	}
	return crypto.SHA256
}

// maxOAEPPlaintext is the largest plaintext alg can encrypt under an RSA
// key of modulus size n bytes: n − 2·hLen − 2 (RFC 8017 §7.1.1), which
// gives KMS's limits: RSA_2048 214 (SHA-1) / 190 (SHA-256), RSA_3072
// 342 / 318, RSA_4096 470 / 446 (spec §9.2).
func maxOAEPPlaintext(n int, alg string) int {
	return n - 2*oaepHash(alg).Size() - 2
}

// asymmetric reports whether k is an asymmetric ENCRYPT_DECRYPT key.
func asymmetric(k *keystore.Key) bool {
	return k.Family.Spec != keystore.SymmetricDefault
}

// checkContext rejects an encryption context on an asymmetric key: only
// symmetric encryption uses one (spec §9.6). KMS's exact answer is not
// recorded; kmsim chooses ValidationException with this text.
func checkContext(k *keystore.Key, ctx map[string]string) error {
	if len(ctx) > 0 && asymmetric(k) {
		return invalid("EncryptionContext is not supported with asymmetric KMS keys.")
	}
	return nil
}

// maxSM2Plaintext is KMS's SM2PKE plaintext limit (spec §9.2).
const maxSM2Plaintext = 1024

// checkPlaintextSize applies the asymmetric size limit of alg for k's
// material (spec §9.2).
func checkPlaintextSize(k *keystore.Key, mat *keystore.Material, alg string, n int) error {
	if !asymmetric(k) {
		return nil
	}
	max := maxSM2Plaintext
	if k.Family.Spec != keystore.SM2 {
		max = maxOAEPPlaintext(mat.RSA().Size(), alg)
	}
	if n > max {
		return invalid("Algorithm %s and key spec %s cannot encrypt data larger than %d bytes.", alg, k.Family.Spec, max)
	}
	return nil
}

// encryptFor encrypts plaintext under k's material mat with alg: the
// engine blob for a symmetric key, raw RSAES-OAEP output (what KMS
// returns) for an RSA key, and for an SM2 key SM2PKE ciphertext (GM/T
// 0003.4) in the ASN.1 form KMS uses, SEQUENCE { x, y, C3 (SM3 hash),
// C2 } (KMS's developer guide, SM2OfflineOperationHelper). Its size was
// checked by checkPlaintextSize.
func (cl *call) encryptFor(k *keystore.Key, mat *keystore.Material, alg string, plaintext []byte, ctx map[string]string) ([]byte, error) {
	if !asymmetric(k) {
		return cl.seal(k, mat, plaintext, ctx)
	}
	rng, err := cl.random()
	if err != nil {
		return nil, err
	}
	if k.Family.Spec == keystore.SM2 {
		pub, ok := mat.PublicKey().(*ecdsa.PublicKey)
		if !ok {
			return nil, &kmserrors.KMSInternalException{Message: "SM2 key material is not an SM2 key"}
		}
		c, err := keystore.SM2Encrypt(rng, pub, plaintext)
		if err != nil {
			return nil, &kmserrors.KMSInternalException{Message: "SM2 encryption failed"}
		}
		return c, nil
	}
	c, err := rsa.EncryptOAEP(oaepHash(alg).New(), rng, &mat.RSA().PublicKey, plaintext, nil)
	if err != nil {
		return nil, &kmserrors.KMSInternalException{Message: "RSA encryption failed"}
	}
	return c, nil
}

// decryptAsymmetric decrypts RSA or SM2 ciphertext, which names no key:
// KeyId must name the key (spec §9.3). A symmetric key named here cannot
// open a blob that is not in the engine format: InvalidCiphertextException,
// as is any ciphertext OAEP or SM2 rejects.
func (cl *call) decryptAsymmetric(action string, blob []byte, keyID string, ctx map[string]string, alg string) (*keystore.Key, []byte, *keystore.Material, error) {
	if cl.foreignKeyARN(keyID) {
		return nil, nil, nil, errIncorrectKey()
	}
	k, err := cl.resolve(keyID, anyRef)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := cl.checkCryptoKey(action, k, ctx, alg); err != nil {
		return nil, nil, nil, err
	}
	if !asymmetric(k) {
		return nil, nil, nil, errInvalidCiphertext()
	}
	if err := checkContext(k, ctx); err != nil {
		return nil, nil, nil, err
	}
	mat, err := asymmetricMaterial(k)
	if err != nil {
		return nil, nil, nil, err
	}
	var p []byte
	if k.Family.Spec == keystore.SM2 {
		p, err = mat.Decrypter().Decrypt(nil, blob, nil)
	} else {
		p, err = rsa.DecryptOAEP(oaepHash(alg).New(), nil, mat.RSA(), blob, nil)
	}
	if err != nil {
		return nil, nil, nil, errInvalidCiphertext()
	}
	return k, p, mat, nil
}

// materialID is the KeyMaterialId a response reports for mat: KMS names
// the material of symmetric encryption keys only.
func materialID(mat *keystore.Material) string {
	if mat == nil || mat.Symmetric() == nil {
		return ""
	}
	return mat.ID
}
