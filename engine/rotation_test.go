package engine_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

const day = 24 * time.Hour

// rotationKeys builds one key of every kind the rotation rules tell
// apart, by name, in cryptoHome unless the name says otherwise:
// "primary" with a settled replica "replica" in us-west-2, "single",
// "rsa", "hmac", "external", a "creating" replica in eu-west-1 of
// another primary "primary2", and "disabled", "pending" (PendingDeletion),
// "prd" (a primary waiting for its replica) and "updating" (a primary
// just promoted in us-west-2) keys.
func rotationKeys(t *testing.T, env *kmstest.Env) map[string]string {
	t.Helper()
	home := env.Caller(cryptoHome)
	create := func(in engine.CreateKeyInput) string {
		out, err := env.Engine.CreateKey(home, in)
		require.NoError(t, err)
		return out.KeyMetadata.KeyID
	}
	ids := map[string]string{
		"primary":  create(engine.CreateKeyInput{MultiRegion: true}),
		"single":   create(engine.CreateKeyInput{}),
		"rsa":      create(engine.CreateKeyInput{KeySpec: keystore.RSA2048, KeyUsage: keystore.EncryptDecrypt}),
		"hmac":     create(engine.CreateKeyInput{KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC}),
		"external": create(engine.CreateKeyInput{Origin: keystore.OriginExternal}),
		"disabled": create(engine.CreateKeyInput{}),
		"pending":  create(engine.CreateKeyInput{}),
		"prd":      create(engine.CreateKeyInput{MultiRegion: true}),
		"updating": create(engine.CreateKeyInput{MultiRegion: true}),
		"primary2": create(engine.CreateKeyInput{MultiRegion: true}),
	}
	ids["replica"] = ids["primary"]
	for _, name := range []string{"primary", "prd", "updating"} {
		_, err := env.Engine.ReplicateKey(home, engine.ReplicateKeyInput{KeyID: ids[name], ReplicaRegion: "us-west-2"})
		require.NoError(t, err)
	}
	env.Settle()
	_, err := env.Engine.ReplicateKey(home, engine.ReplicateKeyInput{KeyID: ids["primary2"], ReplicaRegion: "eu-west-1"})
	require.NoError(t, err)
	ids["creating"] = ids["primary2"]
	_, err = env.Engine.DisableKey(home, engine.DisableKeyInput{KeyID: ids["disabled"]})
	require.NoError(t, err)
	for _, name := range []string{"pending", "prd"} {
		_, err = env.Engine.ScheduleKeyDeletion(home, engine.ScheduleKeyDeletionInput{KeyID: ids[name], PendingWindowInDays: 7})
		require.NoError(t, err)
	}
	_, err = env.Engine.UpdatePrimaryRegion(home, engine.UpdatePrimaryRegionInput{KeyID: ids["updating"], PrimaryRegion: "us-west-2"})
	require.NoError(t, err)
	return ids
}

// rotationRegion is the Region of the named key of rotationKeys.
func rotationRegion(name string) region.ID {
	switch name {
	case "replica", "updating":
		return "us-west-2"
	case "creating":
		return "eu-west-1"
	}
	return cryptoHome
}

func TestEnableDisableKeyRotationRules(t *testing.T) {
	env := kmstest.NewEnv(t)
	ids := rotationKeys(t, env)
	arn := func(name string) string { return keyARN(rotationRegion(name), ids[name]) }
	const notSymmetric = "You cannot perform this operation on a non-symmetric key or a key with non-ENCRYPT_DECRYPT key usage."
	tests := []struct {
		key  string
		days int
		// code and msg of the expected error; "" means success.
		code, msg string
	}{
		{key: "single"},
		{key: "primary", days: 90},
		{key: "primary", days: 2560},
		{key: "updating"},
		{key: "rsa", code: "UnsupportedOperationException", msg: notSymmetric},
		{key: "hmac", code: "UnsupportedOperationException", msg: notSymmetric},
		{key: "external", code: "UnsupportedOperationException", msg: arn("external") + " origin is EXTERNAL which is not valid for this operation."},
		{key: "replica", code: "UnsupportedOperationException", msg: arn("replica") + " is a multi-region replica key which is not valid for {op}."},
		{key: "creating", code: "UnsupportedOperationException", msg: arn("creating") + " is a multi-region replica key which is not valid for {op}."},
		{key: "disabled", code: "DisabledException", msg: arn("disabled") + " is disabled."},
		{key: "pending", code: "KMSInvalidStateException", msg: arn("pending") + " is pending deletion."},
		{key: "prd", code: "KMSInvalidStateException", msg: arn("prd") + " is pending replica deletion."},
		{key: "single", days: 89, code: "ValidationException", msg: "1 validation error detected: Value '89' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90"},
		{key: "single", days: 2561, code: "ValidationException", msg: "1 validation error detected: Value '2561' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 2560"},
	}
	for _, op := range []string{"EnableKeyRotation", "DisableKeyRotation"} {
		for _, tc := range tests {
			if op == "DisableKeyRotation" && tc.days != 0 {
				continue
			}
			t.Run(fmt.Sprintf("%s/%s/%d", op, tc.key, tc.days), func(t *testing.T) {
				c := env.Caller(rotationRegion(tc.key))
				var err error
				if op == "EnableKeyRotation" {
					_, err = env.Engine.EnableKeyRotation(c, engine.EnableKeyRotationInput{KeyID: ids[tc.key], RotationPeriodInDays: tc.days})
				} else {
					_, err = env.Engine.DisableKeyRotation(c, engine.DisableKeyRotationInput{KeyID: ids[tc.key]})
				}
				if tc.code == "" {
					require.NoError(t, err)
					return
				}
				ae, ok := kmserrors.As(err)
				require.True(t, ok, "%v", err)
				assert.Equal(t, tc.code, ae.ErrorCode())
				assert.Equal(t, strings.ReplaceAll(tc.msg, "{op}", op), ae.ErrorMessage())
			})
		}
	}
	_, err := env.Engine.EnableKeyRotation(env.Caller(cryptoHome), engine.EnableKeyRotationInput{KeyID: "alias/x"})
	wantErr[*kmserrors.InvalidArnException](t, err, "Key Aliases are not supported for this operation.")
	_, err = env.Engine.EnableKeyRotation(env.Caller(cryptoHome), engine.EnableKeyRotationInput{})
	wantErr[*kmserrors.ValidationException](t, err, "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null")
}

func rotationStatus(t *testing.T, env *kmstest.Env, r region.ID, id string) *engine.GetKeyRotationStatusOutput {
	t.Helper()
	out, err := env.Engine.GetKeyRotationStatus(env.Caller(r), engine.GetKeyRotationStatusInput{KeyID: id})
	require.NoError(t, err)
	return out
}

func TestGetKeyRotationStatus(t *testing.T) {
	env := kmstest.NewEnv(t)
	home := env.Caller(cryptoHome)
	out, err := env.Engine.CreateKey(home, engine.CreateKeyInput{MultiRegion: true})
	require.NoError(t, err)
	id := out.KeyMetadata.KeyID
	assert.Equal(t, &engine.GetKeyRotationStatusOutput{KeyID: keyARN(cryptoHome, id)}, rotationStatus(t, env, cryptoHome, id))

	_, err = env.Engine.EnableKeyRotation(home, engine.EnableKeyRotationInput{KeyID: id})
	require.NoError(t, err)
	next := env.Clock.Now().Add(365 * day)
	want := func(r region.ID) *engine.GetKeyRotationStatusOutput {
		return &engine.GetKeyRotationStatusOutput{KeyRotationEnabled: true, KeyID: keyARN(r, id), RotationPeriodInDays: 365, NextRotationDate: next}
	}
	assert.Equal(t, want(cryptoHome), rotationStatus(t, env, cryptoHome, id))

	// A replica answers with the primary's values, already while Creating.
	_, err = env.Engine.ReplicateKey(home, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"})
	require.NoError(t, err)
	assert.Equal(t, want("us-west-2"), rotationStatus(t, env, "us-west-2", id))
	env.Settle()

	// A new period keeps the current period's start.
	env.Advance(10 * day)
	_, err = env.Engine.EnableKeyRotation(home, engine.EnableKeyRotationInput{KeyID: id, RotationPeriodInDays: 100})
	require.NoError(t, err)
	next = kmstest.Start.Add(100 * day)
	got := rotationStatus(t, env, "us-west-2", id)
	assert.Equal(t, 100, got.RotationPeriodInDays)
	assert.Equal(t, next, got.NextRotationDate)

	// The primary waiting for its replica keeps the real value; the
	// replica pending deletion reads false, and true again once cancelled.
	_, err = env.Engine.ScheduleKeyDeletion(home, engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: 7})
	require.NoError(t, err)
	assert.True(t, rotationStatus(t, env, cryptoHome, id).KeyRotationEnabled)
	_, err = env.Engine.ScheduleKeyDeletion(env.Caller("us-west-2"), engine.ScheduleKeyDeletionInput{KeyID: id, PendingWindowInDays: 7})
	require.NoError(t, err)
	assert.Equal(t, &engine.GetKeyRotationStatusOutput{KeyID: keyARN("us-west-2", id)}, rotationStatus(t, env, "us-west-2", id))
	_, err = env.Engine.CancelKeyDeletion(env.Caller("us-west-2"), engine.CancelKeyDeletionInput{KeyID: id})
	require.NoError(t, err)
	assert.True(t, rotationStatus(t, env, "us-west-2", id).KeyRotationEnabled)

	// Keys that cannot rotate automatically read false.
	for _, in := range []engine.CreateKeyInput{
		{KeySpec: keystore.RSA2048, KeyUsage: keystore.SignVerify},
		{KeySpec: keystore.HMAC256, KeyUsage: keystore.GenerateVerifyMAC},
		{Origin: keystore.OriginExternal},
	} {
		out, err := env.Engine.CreateKey(home, in)
		require.NoError(t, err)
		assert.False(t, rotationStatus(t, env, cryptoHome, out.KeyMetadata.KeyID).KeyRotationEnabled)
	}
	_, err = env.Engine.GetKeyRotationStatus(home, engine.GetKeyRotationStatusInput{KeyID: "alias/x"})
	wantErr[*kmserrors.InvalidArnException](t, err, "Key Aliases are not supported for this operation.")
}

// currentMaterialID returns the CurrentKeyMaterialId DescribeKey shows.
func currentMaterialID(t *testing.T, env *kmstest.Env, r region.ID, id string) string {
	t.Helper()
	out, err := env.Engine.DescribeKey(env.Caller(r), engine.DescribeKeyInput{KeyID: id})
	require.NoError(t, err)
	return out.KeyMetadata.CurrentKeyMaterialID
}

func listRotations(t *testing.T, env *kmstest.Env, r region.ID, in engine.ListKeyRotationsInput) []engine.RotationsListEntry {
	t.Helper()
	out, err := env.Engine.ListKeyRotations(env.Caller(r), in)
	require.NoError(t, err)
	return out.Rotations
}

func TestAutomaticRotation(t *testing.T) {
	env := kmstest.NewEnv(t)
	id := cryptoFamily(t, env)
	home := env.Caller(cryptoHome)
	first := currentMaterialID(t, env, cryptoHome, id)
	old := encrypt(t, env, cryptoHome, id, []byte("before"), nil)
	_, err := env.Engine.EnableKeyRotation(home, engine.EnableKeyRotationInput{KeyID: id, RotationPeriodInDays: 90})
	require.NoError(t, err)
	enabled := env.Clock.Now()

	env.Advance(90*day - time.Second)
	assert.Equal(t, first, currentMaterialID(t, env, cryptoHome, id))
	env.Advance(time.Second)
	second := currentMaterialID(t, env, cryptoHome, id)
	assert.NotEqual(t, first, second)
	for _, r := range cryptoReplicas {
		assert.Equal(t, second, currentMaterialID(t, env, r, id), "related keys share the rotation")
		out, err := env.Engine.Decrypt(env.Caller(r), engine.DecryptInput{CiphertextBlob: old})
		require.NoError(t, err)
		assert.Equal(t, first, out.KeyMaterialID)
	}
	assert.Equal(t, enabled.Add(180*day), rotationStatus(t, env, "us-west-2", id).NextRotationDate)
	assert.Equal(t, []engine.RotationsListEntry{
		{KeyID: id, KeyMaterialID: second, KeyMaterialState: "CURRENT", RotationDate: enabled.Add(90 * day), RotationType: keystore.RotationAutomatic},
	}, listRotations(t, env, "eu-west-1", engine.ListKeyRotationsInput{KeyID: id}))

	var rotations []engine.Event
	for _, ev := range env.Engine.Events() {
		if ev.Name == "RotateKey" {
			rotations = append(rotations, ev)
		}
	}
	require.Len(t, rotations, 1)
	assert.Equal(t, "kms.amazonaws.com", rotations[0].Principal)
	assert.Equal(t, []string{keyARN(cryptoHome, id)}, rotations[0].Resources)

	// A disabled primary does not rotate; enabling it again rotates at
	// once, because the date has passed.
	_, err = env.Engine.DisableKey(home, engine.DisableKeyInput{KeyID: id})
	require.NoError(t, err)
	env.Advance(100 * day)
	assert.Equal(t, second, currentMaterialID(t, env, "us-west-2", id))
	_, err = env.Engine.EnableKey(home, engine.EnableKeyInput{KeyID: id})
	require.NoError(t, err)
	third := currentMaterialID(t, env, "us-west-2", id)
	assert.NotEqual(t, second, third)
	assert.Equal(t, env.Clock.Now().Add(90*day), rotationStatus(t, env, cryptoHome, id).NextRotationDate)

	// After DisableKeyRotation nothing rotates.
	_, err = env.Engine.DisableKeyRotation(home, engine.DisableKeyRotationInput{KeyID: id})
	require.NoError(t, err)
	env.Advance(1000 * day)
	assert.Equal(t, third, currentMaterialID(t, env, cryptoHome, id))
	assert.Len(t, listRotations(t, env, cryptoHome, engine.ListKeyRotationsInput{KeyID: id, IncludeKeyMaterial: engine.AllKeyMaterial}), 3)
}

func TestRotateKeyOnDemand(t *testing.T) {
	env := kmstest.NewEnv(t)
	id := cryptoFamily(t, env)
	home := env.Caller(cryptoHome)
	arn := keyARN(cryptoHome, id)
	first := currentMaterialID(t, env, cryptoHome, id)

	out, err := env.Engine.RotateKeyOnDemand(home, engine.RotateKeyOnDemandInput{KeyID: arn})
	require.NoError(t, err)
	assert.Equal(t, id, out.KeyID)
	started := env.Clock.Now()
	// KMS rotates in the background.
	assert.Equal(t, started, rotationStatus(t, env, "us-west-2", id).OnDemandRotationStartDate)
	assert.Equal(t, first, currentMaterialID(t, env, "us-west-2", id))
	_, err = env.Engine.RotateKeyOnDemand(home, engine.RotateKeyOnDemandInput{KeyID: id})
	wantErr[*kmserrors.ConflictException](t, err, "An on-demand rotation of "+arn+" is already in progress.")
	env.Advance(engine.OnDemandRotationDelay)
	assert.True(t, rotationStatus(t, env, cryptoHome, id).OnDemandRotationStartDate.IsZero())
	second := currentMaterialID(t, env, "eu-west-1", id)
	assert.NotEqual(t, first, second)
	assert.Equal(t, []engine.RotationsListEntry{
		{KeyID: id, KeyMaterialID: first, KeyMaterialState: "NON_CURRENT"},
		{KeyID: id, KeyMaterialID: second, KeyMaterialState: "CURRENT", RotationDate: started.Add(engine.OnDemandRotationDelay), RotationType: keystore.RotationOnDemand},
	}, listRotations(t, env, "us-west-2", engine.ListKeyRotationsInput{KeyID: id, IncludeKeyMaterial: engine.AllKeyMaterial}))

	for range engine.OnDemandRotationLimit - 1 {
		_, err := env.Engine.RotateKeyOnDemand(home, engine.RotateKeyOnDemandInput{KeyID: id})
		require.NoError(t, err)
		env.Advance(engine.OnDemandRotationDelay)
	}
	_, err = env.Engine.RotateKeyOnDemand(home, engine.RotateKeyOnDemandInput{KeyID: id})
	wantErr[*kmserrors.LimitExceededException](t, err, "The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: "+arn)
	assert.Len(t, listRotations(t, env, cryptoHome, engine.ListKeyRotationsInput{KeyID: id}), engine.OnDemandRotationLimit)
}

func TestRotateKeyOnDemandRules(t *testing.T) {
	env := kmstest.NewEnv(t)
	ids := rotationKeys(t, env)
	arn := func(name string) string { return keyARN(rotationRegion(name), ids[name]) }
	const notSymmetric = "You cannot perform this operation on a non-symmetric key or a key with non-ENCRYPT_DECRYPT key usage."
	tests := []struct{ key, code, msg string }{
		{key: "single"},
		{key: "updating"},
		{key: "rsa", code: "UnsupportedOperationException", msg: notSymmetric},
		{key: "hmac", code: "UnsupportedOperationException", msg: notSymmetric},
		{key: "replica", code: "UnsupportedOperationException", msg: arn("replica") + " is a multi-region replica key which is not valid for RotateKeyOnDemand."},
		{key: "creating", code: "UnsupportedOperationException", msg: arn("creating") + " is a multi-region replica key which is not valid for RotateKeyOnDemand."},
		{key: "disabled", code: "DisabledException", msg: arn("disabled") + " is disabled."},
		{key: "pending", code: "KMSInvalidStateException", msg: arn("pending") + " is pending deletion."},
		{key: "prd", code: "KMSInvalidStateException", msg: arn("prd") + " is pending replica deletion."},
		{key: "external", code: "KMSInvalidStateException", msg: arn("external") + " is pending import."},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			_, err := env.Engine.RotateKeyOnDemand(env.Caller(rotationRegion(tc.key)), engine.RotateKeyOnDemandInput{KeyID: ids[tc.key]})
			if tc.code == "" {
				require.NoError(t, err)
				return
			}
			ae, ok := kmserrors.As(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tc.code, ae.ErrorCode())
			assert.Equal(t, tc.msg, ae.ErrorMessage())
		})
	}
}

func TestListKeyRotationsPagingAndRules(t *testing.T) {
	env := kmstest.NewEnv(t)
	home := env.Caller(cryptoHome)
	out, err := env.Engine.CreateKey(home, engine.CreateKeyInput{})
	require.NoError(t, err)
	id := out.KeyMetadata.KeyID
	assert.Empty(t, listRotations(t, env, cryptoHome, engine.ListKeyRotationsInput{KeyID: id}))
	for range 5 {
		_, err := env.Engine.RotateKeyOnDemand(home, engine.RotateKeyOnDemandInput{KeyID: id})
		require.NoError(t, err)
		env.Advance(engine.OnDemandRotationDelay)
	}
	all := listRotations(t, env, cryptoHome, engine.ListKeyRotationsInput{KeyID: id, IncludeKeyMaterial: engine.AllKeyMaterial})
	require.Len(t, all, 6)
	var paged []engine.RotationsListEntry
	marker := ""
	for {
		page, err := env.Engine.ListKeyRotations(home, engine.ListKeyRotationsInput{KeyID: id, IncludeKeyMaterial: engine.AllKeyMaterial, Limit: 4, Marker: marker})
		require.NoError(t, err)
		assert.LessOrEqual(t, len(page.Rotations), 4)
		paged = append(paged, page.Rotations...)
		if !page.Truncated {
			assert.Empty(t, page.NextMarker)
			break
		}
		marker = page.NextMarker
	}
	assert.Equal(t, all, paged)
	assert.Equal(t, all[1:], listRotations(t, env, cryptoHome, engine.ListKeyRotationsInput{KeyID: id, IncludeKeyMaterial: engine.RotationsOnly}))

	_, err = env.Engine.ListKeyRotations(home, engine.ListKeyRotationsInput{KeyID: id, Marker: "nope"})
	wantErr[*kmserrors.InvalidMarkerException](t, err, "The marker is not valid: 'nope'")
	_, err = env.Engine.ListKeyRotations(home, engine.ListKeyRotationsInput{KeyID: id, Limit: 1001, IncludeKeyMaterial: "SOME"})
	wantErr[*kmserrors.ValidationException](t, err, "2 validation errors detected: "+
		"Value 'SOME' at 'includeKeyMaterial' failed to satisfy constraint: Member must satisfy enum value set: [ALL_KEY_MATERIAL, ROTATIONS_ONLY]; "+
		"Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000")
	rsa, err := env.Engine.CreateKey(home, engine.CreateKeyInput{KeySpec: keystore.RSA2048, KeyUsage: keystore.SignVerify})
	require.NoError(t, err)
	_, err = env.Engine.ListKeyRotations(home, engine.ListKeyRotationsInput{KeyID: rsa.KeyMetadata.KeyID})
	wantErr[*kmserrors.UnsupportedOperationException](t, err, "You cannot perform this operation on a non-symmetric key or a key with non-ENCRYPT_DECRYPT key usage.")
}

// Every related key decrypts the ciphertext of every material version,
// made by any related key, before the replica existed and after the
// primary moved.
func TestRotationEveryRelatedKeyDecryptsEveryVersion(t *testing.T) {
	env := kmstest.NewEnv(t)
	home := env.Caller(cryptoHome)
	out, err := env.Engine.CreateKey(home, engine.CreateKeyInput{MultiRegion: true})
	require.NoError(t, err)
	id := out.KeyMetadata.KeyID
	type blob struct {
		data []byte
		mat  string
		ctx  map[string]string
	}
	var blobs []blob
	seal := func(r region.ID) {
		ctx := map[string]string{"r": string(r)}
		b := encrypt(t, env, r, id, []byte("version"), ctx)
		blobs = append(blobs, blob{b, currentMaterialID(t, env, r, id), ctx})
	}
	rotate := func(r region.ID) {
		_, err := env.Engine.RotateKeyOnDemand(env.Caller(r), engine.RotateKeyOnDemandInput{KeyID: id})
		require.NoError(t, err)
		env.Settle()
	}
	seal(cryptoHome)
	rotate(cryptoHome)
	seal(cryptoHome) // before any replica exists
	_, err = env.Engine.ReplicateKey(home, engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "us-west-2"})
	require.NoError(t, err)
	env.Settle()
	seal("us-west-2")
	rotate(cryptoHome)
	seal("us-west-2")
	_, err = env.Engine.UpdatePrimaryRegion(home, engine.UpdatePrimaryRegionInput{KeyID: id, PrimaryRegion: "us-west-2"})
	require.NoError(t, err)
	env.Settle()
	rotate("us-west-2")
	seal(cryptoHome)
	_, err = env.Engine.ReplicateKey(env.Caller("us-west-2"), engine.ReplicateKeyInput{KeyID: id, ReplicaRegion: "eu-west-1"})
	require.NoError(t, err)
	env.Settle()
	seal("eu-west-1")

	seen := map[string]bool{}
	for _, b := range blobs {
		seen[b.mat] = true
		for _, r := range []region.ID{cryptoHome, "us-west-2", "eu-west-1"} {
			out, err := env.Engine.Decrypt(env.Caller(r), engine.DecryptInput{CiphertextBlob: b.data, EncryptionContext: b.ctx})
			require.NoError(t, err, "Decrypt in %s of a blob of material %s", r, b.mat)
			assert.Equal(t, []byte("version"), out.Plaintext)
			assert.Equal(t, b.mat, out.KeyMaterialID)
		}
	}
	assert.Len(t, seen, 4, "blobs of four material versions")
}

// Decrypt(Encrypt(p)) = p for every related key across rotations.
func TestRotationRoundTripProperty(t *testing.T) {
	outer := t
	rapid.Check(t, func(t *rapid.T) {
		env := kmstest.NewEnv(outer, kmstest.Seed(rapid.Uint64().Draw(t, "seed")))
		id := cryptoFamily(outer, env)
		regions := append([]region.ID{cryptoHome}, cryptoReplicas...)
		type sealed struct {
			blob, plain []byte
		}
		var all []sealed
		steps := rapid.IntRange(1, 8).Draw(t, "steps")
		for i := range steps {
			switch rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("op%d", i)) {
			case 0:
				r := rapid.SampledFrom(regions).Draw(t, "region")
				p := rapid.SliceOfN(rapid.Byte(), 1, 64).Draw(t, "plaintext")
				out, err := env.Engine.Encrypt(env.Caller(r), engine.EncryptInput{KeyID: id, Plaintext: p})
				if err != nil {
					t.Fatalf("Encrypt: %v", err)
				}
				all = append(all, sealed{out.CiphertextBlob, p})
			case 1:
				if _, err := env.Engine.RotateKeyOnDemand(env.Caller(cryptoHome), engine.RotateKeyOnDemandInput{KeyID: id}); err != nil {
					t.Fatalf("RotateKeyOnDemand: %v", err)
				}
				env.Settle()
			case 2:
				if _, err := env.Engine.EnableKeyRotation(env.Caller(cryptoHome), engine.EnableKeyRotationInput{KeyID: id, RotationPeriodInDays: 90}); err != nil {
					t.Fatalf("EnableKeyRotation: %v", err)
				}
				env.Advance(time.Duration(rapid.IntRange(0, 400).Draw(t, "days")) * day)
			}
		}
		for _, s := range all {
			for _, r := range regions {
				out, err := env.Engine.Decrypt(env.Caller(r), engine.DecryptInput{CiphertextBlob: s.blob})
				if err != nil {
					t.Fatalf("Decrypt in %s: %v", r, err)
				}
				if !bytes.Equal(out.Plaintext, s.plain) {
					t.Fatalf("Decrypt in %s: wrong plaintext", r)
				}
			}
		}
	})
}
