package keystore_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/keystore"
)

func importedOf(t *testing.T, b byte) *keystore.Material {
	t.Helper()
	m, err := keystore.ImportMaterial("k", keystore.SymmetricDefault, bytes.Repeat([]byte{b}, 32))
	require.NoError(t, err)
	return m
}

func TestVersionsRotationAndPending(t *testing.T) {
	var v keystore.Versions
	a, b, c := importedOf(t, 1), importedOf(t, 2), importedOf(t, 3)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	v.Add(a)
	v.Rotate(b, keystore.VersionInfo{RotationDate: at, RotationType: keystore.RotationAutomatic, Pending: true})
	assert.Equal(t, b.ID, v.CurrentID())
	assert.Equal(t, 1, v.Rotations())
	assert.Panics(t, func() { v.Rotate(b, keystore.VersionInfo{}) })

	assert.True(t, v.AddPending(c, "next"))
	assert.False(t, v.AddPending(c, "again"), "an ID already present")
	assert.Equal(t, c, v.Pending())
	assert.Equal(t, b.ID, v.CurrentID(), "pending material is not current")
	info, ok := v.Info(c.ID)
	assert.True(t, ok)
	assert.Equal(t, keystore.VersionInfo{Pending: true, Description: "next"}, info)
	assert.False(t, v.Promote(a.ID, at, keystore.RotationOnDemand), "only pending versions are promoted")
	assert.False(t, v.RemovePending(b.ID), "rotated versions are permanent")

	list := v.List()
	require.Len(t, list, 3)
	assert.Equal(t, []bool{false, true, false}, []bool{list[0].Current, list[1].Current, list[2].Current})
	assert.Equal(t, keystore.VersionInfo{RotationDate: at, RotationType: keystore.RotationAutomatic}, list[1].Info)

	clone := v.Clone()
	assert.True(t, v.Promote(c.ID, at.Add(time.Hour), keystore.RotationOnDemand))
	assert.Equal(t, c.ID, v.CurrentID())
	assert.Nil(t, v.Pending())
	assert.Equal(t, 2, v.Rotations())
	assert.Equal(t, b.ID, clone.CurrentID(), "a clone keeps its own metadata")
	assert.Equal(t, c, clone.Pending())

	// Removing a pending version before the current one keeps the current.
	var w keystore.Versions
	w.Add(a)
	w.AddPending(b, "")
	assert.True(t, w.RemovePending(b.ID))
	assert.Equal(t, a.ID, w.CurrentID())
	assert.Equal(t, 1, w.Len())
	assert.Nil(t, w.Lookup(b.ID))
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", v, v, v), string(bytes.Repeat([]byte{3}, 32)))
}

func TestImportMaterial(t *testing.T) {
	secret := bytes.Repeat([]byte{7}, 32)
	m, err := keystore.ImportMaterial("key-1", keystore.SymmetricDefault, secret)
	require.NoError(t, err)
	assert.Equal(t, keystore.MaterialID("key-1", secret), m.ID)
	other, err := keystore.ImportMaterial("key-2", keystore.SymmetricDefault, secret)
	require.NoError(t, err)
	assert.NotEqual(t, m.ID, other.ID, "unrelated keys give the same material different IDs")
	secret[0] = 0
	assert.Equal(t, byte(7), m.Symmetric()[0], "the material keeps its own copy")
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v %s", m, m, m, m), "\x07\x07\x07")

	for spec, sizes := range map[keystore.KeySpec][2]int{
		keystore.SymmetricDefault: {32, 32}, keystore.HMAC224: {28, 64}, keystore.HMAC256: {32, 64},
		keystore.HMAC384: {48, 128}, keystore.HMAC512: {64, 128},
	} {
		for n, ok := range map[int]bool{sizes[0] - 1: false, sizes[0]: true, sizes[1]: true, sizes[1] + 1: false} {
			_, err := keystore.ImportMaterial("k", spec, make([]byte, n))
			assert.Equal(t, ok, err == nil, "%s with %d bytes: %v", spec, n, err)
		}
	}
	_, err = keystore.ImportMaterial("k", keystore.RSA2048, secret)
	assert.True(t, errors.Is(err, keystore.ErrUnsupportedSpec), "%v", err)
}
