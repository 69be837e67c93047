package keystore_test

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/region"
)

func TestSpecUsageTable(t *testing.T) {
	tests := []struct {
		spec  keystore.KeySpec
		usage keystore.KeyUsage
		ok    bool
	}{
		{keystore.SymmetricDefault, keystore.EncryptDecrypt, true},
		{keystore.SymmetricDefault, keystore.SignVerify, false},
		{keystore.RSA2048, keystore.EncryptDecrypt, true},
		{keystore.RSA3072, keystore.SignVerify, true},
		{keystore.RSA4096, keystore.KeyAgreement, false},
		{keystore.ECCNISTP256, keystore.KeyAgreement, true},
		{keystore.ECCNISTP384, keystore.SignVerify, true},
		{keystore.ECCNISTP521, keystore.EncryptDecrypt, false},
		{keystore.ECCSECGP256K1, keystore.SignVerify, true},
		{keystore.ECCSECGP256K1, keystore.KeyAgreement, false},
		{keystore.HMAC224, keystore.GenerateVerifyMAC, true},
		{keystore.HMAC512, keystore.EncryptDecrypt, false},
		{keystore.SM2, keystore.EncryptDecrypt, true},
		{keystore.SM2, keystore.SignVerify, true},
		{keystore.SM2, keystore.KeyAgreement, true},
		{keystore.SM2, keystore.GenerateVerifyMAC, false},
		{keystore.MLDSA65, keystore.SignVerify, true},
		{keystore.MLDSA87, keystore.EncryptDecrypt, false},
		{keystore.ECCNISTEdwards25519, keystore.SignVerify, true},
		{keystore.ECCNISTEdwards25519, keystore.KeyAgreement, false},
		{"NOPE", keystore.EncryptDecrypt, false},
	}
	for _, tt := range tests {
		require.Equal(t, tt.ok, tt.spec.Allows(tt.usage), "%s/%s", tt.spec, tt.usage)
	}
	for _, s := range keystore.KeySpecs {
		require.True(t, s.Valid(), s)
		var n int
		for _, u := range keystore.KeyUsages {
			algs, legacy := s.Describe(u)
			require.Equal(t, s.Algorithms(u), algs, "Describe(%s) of %s", u, s)
			require.Equal(t, s.InCustomerMasterKeySpecEnum(), legacy, "Describe(%s) of %s", u, s)
			if s.Allows(u) {
				n++
				a := s.Algorithms(u)
				require.NotEmpty(t, len(a.Encryption)+len(a.Signing)+len(a.MAC)+len(a.KeyAgreement), "%s/%s", s, u)
			}
		}
		require.NotZero(t, n, "%s allows no usage", s)
	}
	require.Equal(t, []string{"ECDSA_SHA_384"}, keystore.ECCNISTP384.Algorithms(keystore.SignVerify).Signing)
	require.Len(t, keystore.CustomerMasterKeySpecs, 13)
	require.False(t, keystore.MLDSA44.InCustomerMasterKeySpecEnum())
	require.True(t, keystore.SM2.InCustomerMasterKeySpecEnum())
}

func TestTags(t *testing.T) {
	var tags keystore.Tags
	a := tags.With([]keystore.Tag{{Key: "b", Value: "1"}, {Key: "a", Value: "2"}})
	require.Nil(t, tags, "With must not modify its receiver")
	require.Equal(t, keystore.Tags{{Key: "a", Value: "2"}, {Key: "b", Value: "1"}}, a)
	b := a.With([]keystore.Tag{{Key: "a", Value: "3"}})
	require.Equal(t, "2", a[0].Value)
	v, ok := b.Get("a")
	require.True(t, ok)
	require.Equal(t, "3", v)
	c := b.Without([]string{"a", "zz"})
	require.Equal(t, keystore.Tags{{Key: "b", Value: "1"}}, c)
	require.Len(t, b, 2)
}

func newKey(r region.ID) *keystore.Key { return &keystore.Key{Region: r, ARN: "arn:" + string(r)} }

func TestFamilyPromoteAndRemove(t *testing.T) {
	p := newKey("us-east-1")
	f := keystore.NewFamily(keystore.Family{KeyID: "mrk-1", Account: "111122223333", MultiRegion: true}, p)
	r1, r2 := newKey("eu-west-1"), newKey("ap-southeast-2")
	f.AddReplica(r1)
	f.AddReplica(r2)
	require.True(t, p.IsPrimary())
	require.True(t, r1.IsReplica())
	require.Equal(t, keystore.Replica, r2.Role())
	require.Same(t, r1, f.In("eu-west-1"))
	require.Nil(t, f.In("us-west-2"))
	require.Equal(t, 3, f.Size())

	f.Promote(r1)
	require.Same(t, r1, f.Primary())
	require.Equal(t, []*keystore.Key{r2, p}, f.Replicas())

	f.Remove(r2)
	require.Equal(t, []*keystore.Key{p}, f.Replicas())
	f.Remove(p)
	require.Empty(t, f.Replicas())
	f.Remove(r1)
	require.Nil(t, f.Primary())
	require.Zero(t, f.Size())
}

func TestSingleRegionKeyHasNoRole(t *testing.T) {
	k := newKey("us-east-1")
	keystore.NewFamily(keystore.Family{KeyID: "1234abcd-12ab-34cd-56ef-1234567890ab"}, k)
	require.False(t, k.IsPrimary())
	require.False(t, k.IsReplica())
	require.Equal(t, keystore.MultiRegionKeyType(""), k.Role())
}

func TestStoreListsInIDOrder(t *testing.T) {
	st := keystore.NewStore()
	s := keystore.Scope{Account: "111122223333", Region: "us-east-1"}
	for _, id := range []string{"c", "a", "d", "b"} {
		k := newKey("us-east-1")
		keystore.NewFamily(keystore.Family{KeyID: id, Account: s.Account}, k)
		st.Put(k)
	}
	require.Equal(t, 4, st.Count(s))
	keys, more := st.List(s, "", 2)
	require.True(t, more)
	require.Equal(t, []string{"a", "b"}, []string{keys[0].ID(), keys[1].ID()})
	keys, more = st.List(s, "c", 5)
	require.False(t, more)
	require.Len(t, keys, 2)
	st.Delete(st.Get(s, "c"))
	keys, _ = st.List(s, "b", 5)
	require.Equal(t, "b", keys[0].ID())
	require.Equal(t, "d", keys[1].ID())
	require.Equal(t, 3, st.Len())
	require.Equal(t, []keystore.Scope{s}, st.Scopes())
	require.Nil(t, st.Get(keystore.Scope{Account: "x", Region: "y"}, "a"))
}

func TestStoreInAnyRegion(t *testing.T) {
	st := keystore.NewStore()
	put := func(account string, r region.ID, id string) *keystore.Key {
		k := newKey(r)
		keystore.NewFamily(keystore.Family{KeyID: id, Account: account}, k)
		st.Put(k)
		return k
	}
	put("111122223333", "us-east-1", "mrk-a")
	k := put("111122223333", "eu-west-1", "mrk-b")
	put("444455556666", "us-west-2", "mrk-c")
	require.True(t, st.InAnyRegion("111122223333", "mrk-a"))
	require.True(t, st.InAnyRegion("111122223333", "mrk-b"))
	require.False(t, st.InAnyRegion("111122223333", "mrk-c"), "another account's key")
	require.False(t, st.InAnyRegion("999999999999", "mrk-a"), "an account without keys")
	st.Delete(k)
	require.False(t, st.InAnyRegion("111122223333", "mrk-b"), "a deleted key")
}

func TestFamilyRotationStateIsMadeOnFirstEdit(t *testing.T) {
	f := keystore.NewFamily(keystore.Family{KeyID: "1234abcd-12ab-34cd-56ef-1234567890ab"}, newKey("us-east-1"))
	require.Nil(t, f.Rotation, "a new family keeps no rotation state")
	require.Equal(t, keystore.Rotation{}, f.RotationState())

	r := f.EditRotation()
	r.Enabled, r.PeriodDays = true, 90
	require.Same(t, r, f.EditRotation(), "edits reach one state")
	require.Equal(t, keystore.Rotation{Enabled: true, PeriodDays: 90}, f.RotationState())

	// RotationState is a copy.
	st := f.RotationState()
	st.Enabled = false
	require.True(t, f.RotationState().Enabled)
}

// TestFamilySizeClass guards the size of a Family, one per key at a
// million keys: 208 bytes is a size class of Go's allocator, and the next
// is 224.
func TestFamilySizeClass(t *testing.T) {
	require.LessOrEqual(t, unsafe.Sizeof(keystore.Family{}), uintptr(208))
}
