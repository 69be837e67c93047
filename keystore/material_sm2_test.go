package keystore_test

import (
	"crypto/ecdsa"
	"crypto/rand"
	"math/big"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/keystore"
)

// sm2Digest is e = SM3(Z_A ‖ M) with the default distinguishing ID, as
// gmsm computes it for a raw message.
func sm2Digest(t *testing.T, pub *ecdsa.PublicKey, msg []byte) []byte {
	t.Helper()
	za, err := sm2.CalculateZA(pub, []byte("1234567812345678"))
	require.NoError(t, err)
	h := sm3.New()
	h.Write(za)
	h.Write(msg)
	return h.Sum(nil)
}

func TestSM2MaterialSignsAndDecrypts(t *testing.T) {
	m := cachedMat(t, 1, keystore.SM2)
	pub, ok := m.PublicKey().(*ecdsa.PublicKey)
	require.True(t, ok)
	require.True(t, keystore.IsSM2PublicKey(pub))
	require.False(t, keystore.IsSM2PublicKey(cachedMat(t, 1, keystore.ECCNISTP256).PublicKey()))

	msg := []byte("message for SM2DSA")
	e := sm2Digest(t, pub, msg)
	sig, err := m.Signer().Sign(rand.Reader, e, nil)
	require.NoError(t, err)
	again, err := m.Signer().Sign(rand.Reader, e, nil)
	require.NoError(t, err)
	require.Equal(t, sig, again, "deterministic signing")
	require.True(t, sm2.VerifyASN1WithSM2(pub, nil, msg, sig), "gmsm verifies over the raw message")
	require.True(t, sm2.VerifyASN1(pub, e, sig))
	require.False(t, sm2.VerifyASN1WithSM2(pub, nil, []byte("other"), sig))
	_, err = m.Signer().Sign(nil, msg, nil)
	require.Error(t, err, "not a 32-byte digest")

	ct, err := sm2.EncryptASN1(rand.Reader, pub, []byte("secret"))
	require.NoError(t, err)
	p, err := m.Decrypter().Decrypt(nil, ct, nil)
	require.NoError(t, err)
	require.Equal(t, []byte("secret"), p)

	raw, err := sm2.Encrypt(rand.Reader, pub, []byte("secret"), nil)
	require.NoError(t, err)
	_, err = m.Decrypter().Decrypt(nil, raw, nil)
	require.Error(t, err, "KMS takes only the ASN.1 form")
	ct[len(ct)-1] ^= 1
	_, err = m.Decrypter().Decrypt(nil, ct, nil)
	require.Error(t, err)
	_, err = m.Decrypter().Decrypt(nil, nil, nil)
	require.Error(t, err)
}

func TestSM2MaterialIDAndRange(t *testing.T) {
	// The ID is over the 32-byte scalar, which must lie in [1, N-2].
	n := sm2.P256().Params().N
	for seed := byte(0); seed < 20; seed++ {
		m := newMat(t, seed, keystore.SM2)
		r := seeded(seed)
		var b [32]byte
		_, err := r.Read(b[:])
		require.NoError(t, err)
		d := new(big.Int).SetBytes(b[:])
		if d.Sign() > 0 && d.Cmp(new(big.Int).Sub(n, big.NewInt(1))) < 0 {
			require.Equal(t, keystore.MaterialID(testKeyID, b[:]), m.ID, "first draw accepted")
			x, y := sm2.P256().ScalarBaseMult(b[:])
			pub := m.PublicKey().(*ecdsa.PublicKey)
			require.Zero(t, x.Cmp(pub.X))
			require.Zero(t, y.Cmp(pub.Y))
		}
	}
}

// TestSM2EncryptRoundTrip: kmsim's SM2PKE round-trips every length,
// including one byte (where gmsm v0.15.5 fails about once in 300), and
// opens gmsm's ASN.1 ciphertext; engine tests decrypt gmsm's offline
// ciphertext through Decrypt.
func TestSM2EncryptRoundTrip(t *testing.T) {
	m := cachedMat(t, 1, keystore.SM2)
	pub := m.PublicKey().(*ecdsa.PublicKey)
	r := seeded(5)
	for i := range 2000 {
		msg := []byte{byte(i)}
		ct, err := keystore.SM2Encrypt(r, pub, msg)
		require.NoError(t, err)
		p, err := m.Decrypter().Decrypt(nil, ct, nil)
		require.NoError(t, err, "message %d", i)
		require.Equal(t, msg, p)
	}
	for _, n := range []int{2, 100, 1024} {
		msg := make([]byte, n)
		ct, err := sm2.EncryptASN1(rand.Reader, pub, msg)
		require.NoError(t, err)
		p, err := m.Decrypter().Decrypt(nil, ct, nil)
		require.NoError(t, err)
		require.Equal(t, msg, p)
		ours, err := keystore.SM2Encrypt(r, pub, msg)
		require.NoError(t, err)
		require.Equal(t, byte(0x30), ours[0])
	}
	_, err := keystore.SM2Encrypt(r, pub, nil)
	require.Error(t, err)
	_, err = keystore.SM2Encrypt(r, cachedMat(t, 1, keystore.ECCNISTP256).PublicKey().(*ecdsa.PublicKey), []byte("m"))
	require.Error(t, err)
}
