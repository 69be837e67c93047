package engine

import (
	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
)

// stateError is the error KMS gives when k's state forbids an operation
// (spec §4.2).
func stateError(k *keystore.Key) error {
	switch k.State {
	case keystore.Disabled:
		return &kmserrors.DisabledException{Message: k.ARN + " is disabled."}
	case keystore.PendingDeletion:
		return invalidState(k.ARN + " is pending deletion.")
	case keystore.PendingReplicaDeletion:
		return invalidState(k.ARN + " is pending replica deletion.")
	case keystore.PendingImport:
		return invalidState(k.ARN + " is pending import.")
	case keystore.Creating:
		return invalidState(k.ARN + " is creating.")
	case keystore.Updating:
		return invalidState(k.ARN + " is updating.")
	case keystore.Unavailable:
		return invalidState(k.ARN + " is unavailable.")
	}
	return invalidState(k.ARN + " is " + string(k.State) + ".")
}

func invalidState(msg string) error { return &kmserrors.KMSInvalidStateException{Message: msg} }

// requireState returns nil when k is in one of the allowed states and
// KMS's error for its state otherwise.
func requireState(k *keystore.Key, allowed ...keystore.KeyState) error {
	for _, s := range allowed {
		if k.State == s {
			return nil
		}
	}
	return stateError(k)
}
