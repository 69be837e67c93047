package engine_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/kmstest"
)

func TestAccessKeys(t *testing.T) {
	env := kmstest.NewEnv(t)
	e := env.Engine
	alice := "arn:aws:iam::111122223333:user/team/alice"
	require.NoError(t, e.CreatePrincipal(alice))

	require.NoError(t, e.CreateAccessKey(engine.AccessKey{ID: "AKIAROOT", Secret: "s", Account: kmstest.DefaultAccount}))
	require.NoError(t, e.CreateAccessKey(engine.AccessKey{ID: "AKIAALICE", Secret: "s2", Account: kmstest.DefaultAccount, Principal: alice}))

	k, ok := e.LookupAccessKey("AKIAROOT")
	require.True(t, ok)
	require.Equal(t, "arn:aws:iam::111122223333:root", k.Principal, "an empty principal means the root user")
	require.Len(t, e.AccessKeys(), 2)
	ps, err := e.Principals(kmstest.DefaultAccount)
	require.NoError(t, err)
	require.Equal(t, []string{alice}, ps)

	var exists *kmserrors.AlreadyExistsException
	require.ErrorAs(t, e.CreateAccessKey(engine.AccessKey{ID: "AKIAROOT", Secret: "x", Account: kmstest.DefaultAccount}), &exists)
	var nf *kmserrors.NotFoundException
	require.ErrorAs(t, e.CreateAccessKey(engine.AccessKey{ID: "A2", Secret: "x", Account: "999999999999"}), &nf)
	require.ErrorAs(t, e.CreateAccessKey(engine.AccessKey{ID: "A3", Secret: "x", Account: kmstest.DefaultAccount, Principal: "arn:aws:iam::111122223333:user/bob"}), &nf)
	var inv *kmserrors.ValidationException
	require.ErrorAs(t, e.CreateAccessKey(engine.AccessKey{ID: "A4", Account: kmstest.DefaultAccount}), &inv)

	require.NoError(t, e.DeletePrincipal(alice))
	_, ok = e.LookupAccessKey("AKIAALICE")
	require.False(t, ok, "deleting a principal deletes its access keys")
}
