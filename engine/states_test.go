package engine_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
	"github.com/kmsim/kmsim/kmstest"
	"github.com/kmsim/kmsim/region"
)

// chkTarget is a key in a known state, and where to call it from.
type chkTarget struct {
	region region.ID
	id     string
}

func (tg chkTarget) arn() string { return chkARN(tg.region, tg.id) }

// chkStateFixtures reach every key state the engine can produce through
// the API alone (spec §4.1; Unavailable needs a custom key store).
var chkStateFixtures = map[keystore.KeyState]func(t *testing.T, env *kmstest.Env) chkTarget{
	keystore.Enabled: func(t *testing.T, env *kmstest.Env) chkTarget {
		return chkTarget{"us-east-1", chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})}
	},
	keystore.Disabled: func(t *testing.T, env *kmstest.Env) chkTarget {
		id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
		chkDisable(t, env, "us-east-1", id)
		return chkTarget{"us-east-1", id}
	},
	keystore.PendingDeletion: func(t *testing.T, env *kmstest.Env) chkTarget {
		id := chkSingle(t, env, "us-east-1", engine.CreateKeyInput{})
		chkSchedule(t, env, "us-east-1", id, 7)
		return chkTarget{"us-east-1", id}
	},
	keystore.PendingReplicaDeletion: func(t *testing.T, env *kmstest.Env) chkTarget {
		id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		chkReplicate(t, env, id, "us-east-1", "us-west-2")
		chkCreated(env)
		chkSchedule(t, env, "us-east-1", id, 7)
		return chkTarget{"us-east-1", id}
	},
	keystore.PendingImport: func(t *testing.T, env *kmstest.Env) chkTarget {
		return chkTarget{"us-east-1", chkSingle(t, env, "us-east-1", engine.CreateKeyInput{Origin: keystore.OriginExternal})}
	},
	keystore.Creating: func(t *testing.T, env *kmstest.Env) chkTarget {
		id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		chkReplicate(t, env, id, "us-east-1", "us-west-2")
		return chkTarget{"us-west-2", id}
	},
	keystore.Updating: func(t *testing.T, env *kmstest.Env) chkTarget {
		id := chkPrimary(t, env, "us-east-1", engine.CreateKeyInput{})
		chkReplicate(t, env, id, "us-east-1", "us-west-2")
		chkCreated(env)
		chkPromote(t, env, id, "us-east-1", "us-west-2")
		return chkTarget{"us-west-2", id}
	},
}

// chkStateOrder is the column order of the §4.3 table.
var chkStateOrder = []keystore.KeyState{
	keystore.Enabled, keystore.Disabled, keystore.PendingDeletion, keystore.PendingReplicaDeletion,
	keystore.PendingImport, keystore.Creating, keystore.Updating,
}

// chkStateOp is one operation of the §4.3 table applied to a target; check
// verifies its effect when it succeeds.
type chkStateOp struct {
	call  func(t *testing.T, env *kmstest.Env, tg chkTarget) error
	check func(t *testing.T, env *kmstest.Env, tg chkTarget)
}

var chkStateOps = map[string]chkStateOp{
	"EnableKey": {call: func(t *testing.T, env *kmstest.Env, tg chkTarget) error {
		out, err := env.Engine.EnableKey(env.Caller(tg.region), engine.EnableKeyInput{KeyID: tg.id})
		if err == nil {
			require.NotNil(t, out)
		}
		return err
	}},
	"DisableKey": {call: func(t *testing.T, env *kmstest.Env, tg chkTarget) error {
		_, err := env.Engine.DisableKey(env.Caller(tg.region), engine.DisableKeyInput{KeyID: tg.id})
		return err
	}},
	"ScheduleKeyDeletion": {call: func(t *testing.T, env *kmstest.Env, tg chkTarget) error {
		_, err := env.Engine.ScheduleKeyDeletion(env.Caller(tg.region), engine.ScheduleKeyDeletionInput{KeyID: tg.id, PendingWindowInDays: 7})
		return err
	}, check: func(t *testing.T, env *kmstest.Env, tg chkTarget) {
		m := chkDescribe(t, env, tg.region, tg.id)
		require.Equal(t, env.Clock.Now().Add(7*24*time.Hour), m.DeletionDate)
	}},
	"CancelKeyDeletion": {call: func(t *testing.T, env *kmstest.Env, tg chkTarget) error {
		_, err := env.Engine.CancelKeyDeletion(env.Caller(tg.region), engine.CancelKeyDeletionInput{KeyID: tg.id})
		return err
	}, check: func(t *testing.T, env *kmstest.Env, tg chkTarget) {
		m := chkDescribe(t, env, tg.region, tg.id)
		require.True(t, m.DeletionDate.IsZero())
		require.Zero(t, m.PendingDeletionWindowInDays)
		for _, p := range env.Engine.Pending() {
			require.False(t, p.KeyARN == tg.arn() && p.Action == engine.DeleteKey, "deletion still scheduled")
		}
	}},
	"TagResource": {call: func(t *testing.T, env *kmstest.Env, tg chkTarget) error {
		_, err := env.Engine.TagResource(env.Caller(tg.region), engine.TagResourceInput{KeyID: tg.id, Tags: []keystore.Tag{{Key: "team", Value: "blue"}}})
		return err
	}, check: func(t *testing.T, env *kmstest.Env, tg chkTarget) {
		require.Equal(t, []keystore.Tag{{Key: "team", Value: "blue"}}, chkAllTags(t, env, env.Caller(tg.region), tg.id))
	}},
	"UntagResource": {call: func(t *testing.T, env *kmstest.Env, tg chkTarget) error {
		_, err := env.Engine.UntagResource(env.Caller(tg.region), engine.UntagResourceInput{KeyID: tg.id, TagKeys: []string{"team"}})
		return err
	}, check: func(t *testing.T, env *kmstest.Env, tg chkTarget) {
		require.Empty(t, chkAllTags(t, env, env.Caller(tg.region), tg.id))
	}},
	"UpdateKeyDescription": {call: func(t *testing.T, env *kmstest.Env, tg chkTarget) error {
		_, err := env.Engine.UpdateKeyDescription(env.Caller(tg.region), engine.UpdateKeyDescriptionInput{KeyID: tg.id, Description: "new"})
		return err
	}, check: func(t *testing.T, env *kmstest.Env, tg chkTarget) {
		require.Equal(t, "new", chkDescribe(t, env, tg.region, tg.id).Description)
	}},
	"DescribeKey": {call: func(t *testing.T, env *kmstest.Env, tg chkTarget) error {
		out, err := env.Engine.DescribeKey(env.Caller(tg.region), engine.DescribeKeyInput{KeyID: tg.arn()})
		if err == nil {
			require.Equal(t, tg.arn(), out.KeyMetadata.Arn)
		}
		return err
	}},
	"ListResourceTags": {call: func(t *testing.T, env *kmstest.Env, tg chkTarget) error {
		out, err := env.Engine.ListResourceTags(env.Caller(tg.region), engine.ListResourceTagsInput{KeyID: tg.arn()})
		if err == nil {
			require.NotNil(t, out.Tags)
		}
		return err
	}},
}

// TestSpecKeyStateTable walks the key-state effect table of spec §4.3 for
// the operations the engine has: one row per (operation, state), each on
// a fresh engine with the key brought into the state through the API.
func TestSpecKeyStateTable(t *testing.T) {
	t.Parallel()
	const (
		en  = keystore.Enabled
		dis = keystore.Disabled
		pd  = keystore.PendingDeletion
		prd = keystore.PendingReplicaDeletion
		pi  = keystore.PendingImport
		cr  = keystore.Creating
		up  = keystore.Updating
	)
	// §4.2 templates; {arn} is the ARN of the key in the row's state.
	var (
		errPD  = &kmserrors.KMSInvalidStateException{Message: "{arn} is pending deletion."}
		errPRD = &kmserrors.KMSInvalidStateException{Message: "{arn} is pending replica deletion."}
		errNPD = &kmserrors.KMSInvalidStateException{Message: "{arn} is not pending deletion."}
		errPI  = &kmserrors.KMSInvalidStateException{Message: "{arn} is pending import."}
		errCR  = &kmserrors.KMSInvalidStateException{Message: "{arn} is creating."}
		errUP  = &kmserrors.KMSInvalidStateException{Message: "{arn} is updating."}
	)
	type cell struct {
		state keystore.KeyState  // resulting state when the call succeeds
		err   kmserrors.APIError // else the error
	}
	ok := func(s keystore.KeyState) cell { return cell{state: s} }
	fail := func(e kmserrors.APIError) cell { return cell{err: e} }
	// same means "succeeds and leaves the state as it was".
	same := cell{}

	table := map[string]map[keystore.KeyState]cell{
		"DescribeKey": {en: same, dis: same, pd: same, prd: same, pi: same, cr: same, up: same},
		"EnableKey": {en: ok(en), dis: ok(en), pd: fail(errPD), prd: fail(errPRD), pi: fail(errPI),
			cr: fail(errCR), up: fail(errUP)},
		"DisableKey": {en: ok(dis), dis: ok(dis), pd: fail(errPD), prd: fail(errPRD), pi: fail(errPI),
			cr: fail(errCR), up: fail(errUP)},
		// The Enabled and Disabled targets are single-Region keys, so the
		// result is PendingDeletion (a primary with replicas is §4.5).
		"ScheduleKeyDeletion": {en: ok(pd), dis: ok(pd), pd: fail(errPD), prd: fail(errPRD), pi: ok(pd),
			cr: ok(pd), up: fail(errUP)},
		"CancelKeyDeletion": {en: fail(errNPD), dis: fail(errNPD), pd: ok(dis), prd: ok(dis), pi: fail(errNPD),
			cr: fail(errNPD), up: fail(errNPD)},
		"TagResource":          {en: same, dis: same, pd: fail(errPD), prd: fail(errPRD), pi: same, cr: same, up: same},
		"UntagResource":        {en: same, dis: same, pd: fail(errPD), prd: fail(errPRD), pi: same, cr: same, up: same},
		"UpdateKeyDescription": {en: same, dis: same, pd: fail(errPD), prd: fail(errPRD), pi: same, cr: same, up: same},
		"ListResourceTags":     {en: same, dis: same, pd: same, prd: same, pi: same, cr: same, up: same},
	}
	require.Len(t, table, len(chkStateOps))

	for _, opName := range []string{"DescribeKey", "EnableKey", "DisableKey", "ScheduleKeyDeletion", "CancelKeyDeletion",
		"TagResource", "UntagResource", "UpdateKeyDescription", "ListResourceTags"} {
		row := table[opName]
		require.Len(t, row, len(chkStateOrder), opName)
		op := chkStateOps[opName]
		for _, state := range chkStateOrder {
			want := row[state]
			t.Run(opName+"/"+string(state), func(t *testing.T) {
				t.Parallel()
				env := kmstest.NewEnv(t)
				tg := chkStateFixtures[state](t, env)
				chkMustState(t, env, tg.region, tg.id, state)
				if want.err != nil {
					chkFails(t, env, chkExpand(want.err, tg.id, tg.arn()), func() error { return op.call(t, env, tg) })
					return
				}
				require.NoError(t, op.call(t, env, tg))
				wantState := want.state
				if wantState == "" {
					wantState = state
				}
				chkMustState(t, env, tg.region, tg.id, wantState)
				if op.check != nil {
					op.check(t, env, tg)
				}
			})
		}
	}
}

// TestSpecKeyMetadataPerState checks the presence rules of spec §3.1 that
// depend on the key state: Enabled is true only in Enabled, DeletionDate
// appears only in PendingDeletion and PendingDeletionWindowInDays only in
// PendingReplicaDeletion.
func TestSpecKeyMetadataPerState(t *testing.T) {
	t.Parallel()
	for _, state := range chkStateOrder {
		t.Run(string(state), func(t *testing.T) {
			t.Parallel()
			env := kmstest.NewEnv(t)
			tg := chkStateFixtures[state](t, env)
			m := chkDescribe(t, env, tg.region, tg.id)
			require.Equal(t, state, m.KeyState)
			require.Equal(t, state == keystore.Enabled, m.Enabled, "Enabled")
			if state == keystore.PendingDeletion {
				require.Equal(t, env.Clock.Now().Add(7*24*time.Hour), m.DeletionDate)
			} else {
				require.True(t, m.DeletionDate.IsZero(), "DeletionDate only in PendingDeletion")
			}
			if state == keystore.PendingReplicaDeletion {
				require.EqualValues(t, 7, m.PendingDeletionWindowInDays)
			} else {
				require.Zero(t, m.PendingDeletionWindowInDays, "PendingDeletionWindowInDays only in PendingReplicaDeletion")
			}
			require.Equal(t, tg.arn(), m.Arn)
			require.Equal(t, tg.id, m.KeyID)
			require.Equal(t, chkAcct, m.AWSAccountID)
			require.Equal(t, keystore.ManagerCustomer, m.KeyManager)

			raw, err := json.Marshal(m)
			require.NoError(t, err)
			var fields map[string]any
			require.NoError(t, json.Unmarshal(raw, &fields))
			require.Contains(t, fields, "description", "Description is always present")
			require.Contains(t, fields, "enabled")
			_, hasDeletion := fields["deletionDate"]
			require.Equal(t, state == keystore.PendingDeletion, hasDeletion, "deletionDate member")
			_, hasWindow := fields["pendingDeletionWindowInDays"]
			require.Equal(t, state == keystore.PendingReplicaDeletion, hasWindow, "pendingDeletionWindowInDays member")
		})
	}
}
