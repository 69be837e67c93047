package engine

import (
	"time"

	"github.com/kmsim/kmsim/keystore"
)

// Imported material is per key (spec §6.4): related keys share the
// versions, each with its KeyMaterialId, but each key holds only the
// versions imported into it, each with its own expiration. These helpers
// keep a key's state in line with what it holds.

// holds reports whether k holds material version id: always for material
// KMS generated, and for imported material once it was imported into k
// and has neither expired nor been deleted.
func holds(k *keystore.Key, id string) bool {
	if k.Family.Origin != keystore.OriginExternal {
		return true
	}
	_, ok := k.Import.Held[id]
	return ok
}

// holdsAll reports whether k holds every version that is not pending
// rotation, which an EXTERNAL key needs to leave PendingImport: KMS says
// "you will need to import all of the key materials associated with the
// KMS key to change its state to Enabled".
func holdsAll(k *keystore.Key) bool {
	if k.Family.Origin != keystore.OriginExternal {
		return true
	}
	if k.Family.Material.Len() == 0 {
		return false
	}
	for _, v := range k.Family.Material.List() {
		if !v.Info.Pending && !holds(k, v.Material.ID) {
			return false
		}
	}
	return true
}

// syncImportState moves an EXTERNAL key that lost material it needs to
// PendingImport (spec §4.4: Enabled|Disabled → PendingImport); a key
// pending deletion keeps its state, and an Updating key returns to
// PendingImport.
func (e *Engine) syncImportState(k *keystore.Key) {
	if holdsAll(k) {
		return
	}
	switch k.State {
	case keystore.Enabled, keystore.Disabled:
		k.State = keystore.PendingImport
	case keystore.Updating:
		if k.Resume == keystore.Enabled || k.Resume == keystore.Disabled {
			k.Resume = keystore.PendingImport
		}
	}
}

// expireMaterial removes from k every imported version whose ValidTo has
// come (spec §6.4) and schedules the next expiry.
func (e *Engine) expireMaterial(k *keystore.Key, due time.Time) {
	expired := false
	for id, h := range k.Import.Held {
		if !h.ValidTo.IsZero() && !h.ValidTo.After(due) {
			delete(k.Import.Held, id)
			expired = true
		}
	}
	e.scheduleExpiry(k)
	e.syncImportState(k)
	if expired {
		// CloudTrail records the deletion KMS makes on its own.
		e.log.add(Event{
			Time:      due,
			Name:      "DeleteExpiredKeyMaterial",
			Region:    k.Region,
			Account:   k.Account(),
			Principal: serviceKMS,
			Resources: []string{k.ARN},
		})
	}
}

// importedRotation checks that family f, of imported material, can
// rotate on demand, and returns the pending version to make current.
func (e *Engine) importedRotation(f *keystore.Family) (string, error) {
	pending := f.Material.Pending()
	if pending == nil {
		// kmsim's wording, after the observed message below: KMS needs
		// material imported with ImportType NEW_KEY_MATERIAL first.
		return "", invalidState("Cannot perform key material rotation: No key material is pending rotation.")
	}
	for _, k := range related(f) {
		if holds(k, pending.ID) {
			continue
		}
		if f.MultiRegion && k != f.Primary() {
			return "", invalidState("Cannot perform key material rotation: Key material has not been imported for replicas of the Multi-Region key.")
		}
		return "", invalidState("Cannot perform key material rotation: No key material is pending rotation.")
	}
	return pending.ID, nil
}

// materialState is the KeyMaterialState of version v of family f.
func materialState(f *keystore.Family, v keystore.Version) string {
	switch {
	case v.Current:
		return "CURRENT"
	case !v.Info.Pending:
		return "NON_CURRENT"
	}
	for _, k := range related(f) {
		if !holds(k, v.Material.ID) {
			if f.MultiRegion {
				return "PENDING_MULTI_REGION_IMPORT_AND_ROTATION"
			}
			break
		}
	}
	return "PENDING_ROTATION"
}

// importExpiration returns the ExpirationModel and ValidTo DescribeKey
// shows for k: those of k's import of the current material, and nothing
// for keys without imported material.
func importExpiration(k *keystore.Key) (keystore.ExpirationModel, time.Time) {
	if k.Family.Origin != keystore.OriginExternal {
		return "", time.Time{}
	}
	h, ok := k.Import.Held[k.Family.Material.CurrentID()]
	if !ok {
		return "", time.Time{}
	}
	return h.ExpirationModel, h.ValidTo
}
