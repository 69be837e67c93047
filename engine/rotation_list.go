package engine

import (
	"time"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/keystore"
)

// IncludeKeyMaterial values of ListKeyRotations.
const (
	AllKeyMaterial = "ALL_KEY_MATERIAL"
	RotationsOnly  = "ROTATIONS_ONLY"
)

var includeKeyMaterial = []string{AllKeyMaterial, RotationsOnly}

// ListKeyRotationsInput is the ListKeyRotations request.
type ListKeyRotationsInput struct {
	KeyID string `json:"keyId"`
	// IncludeKeyMaterial is ROTATIONS_ONLY (the default) or
	// ALL_KEY_MATERIAL.
	IncludeKeyMaterial string `json:"includeKeyMaterial,omitempty"`
	// Limit is 1..1000; 0 means 100.
	Limit  int    `json:"limit,omitempty"`
	Marker string `json:"marker,omitempty"`
}

// RotationsListEntry is one material version in a ListKeyRotations page.
// Zero values stand for members KMS omits.
type RotationsListEntry struct {
	// KeyID is the key ID.
	KeyID            string `json:"keyId"`
	KeyMaterialID    string `json:"keyMaterialId"`
	KeyMaterialState string `json:"keyMaterialState"`
	// RotationDate and RotationType are absent for the first version and
	// for material pending rotation.
	RotationDate time.Time             `json:"rotationDate,omitzero"`
	RotationType keystore.RotationType `json:"rotationType,omitempty"`
	// The members below are present only for EXTERNAL keys: ImportState
	// is this key's (IMPORTED or PENDING_IMPORT), ExpirationModel and
	// ValidTo those of this key's import.
	KeyMaterialDescription string                   `json:"keyMaterialDescription,omitempty"`
	ImportState            string                   `json:"importState,omitempty"`
	ExpirationModel        keystore.ExpirationModel `json:"expirationModel,omitempty"`
	ValidTo                time.Time                `json:"validTo,omitzero"`
}

// ListKeyRotationsOutput is one page of ListKeyRotations.
type ListKeyRotationsOutput struct {
	Rotations  []RotationsListEntry `json:"rotations"`
	NextMarker string               `json:"nextMarker,omitempty"`
	Truncated  bool                 `json:"truncated"`
}

// ListKeyRotations lists the material versions of a symmetric encryption
// key, oldest first: by default those that rotations made, and with
// ALL_KEY_MATERIAL also the first version and imported material pending
// rotation. Related multi-Region keys list the same versions; the import
// members describe the key asked. It answers in every key state.
//
// It returns ValidationException, InvalidArnException, NotFoundException,
// AccessDeniedException, UnsupportedOperationException (not a symmetric
// encryption key) and InvalidMarkerException.
func (e *Engine) ListKeyRotations(c Caller, in ListKeyRotationsInput) (*ListKeyRotationsOutput, error) {
	return run(e, "ListKeyRotations", c, in, (*call).listKeyRotations)
}

func (cl *call) listKeyRotations(in ListKeyRotationsInput) (*ListKeyRotationsOutput, error) {
	var v violations
	v.keyID("keyId", in.KeyID)
	enum(&v, "includeKeyMaterial", in.IncludeKeyMaterial, includeKeyMaterial)
	v.limit(in.Limit)
	v.marker(in.Marker)
	if err := v.err(); err != nil {
		return nil, err
	}
	k, err := cl.target(in.KeyID, keyOnly, nil)
	if err != nil {
		return nil, err
	}
	f := k.Family
	if !symmetricEncryption(f) {
		return nil, errNotSymmetricEncryption()
	}
	// The first version of an AWS_KMS key is made on first need; listing
	// it is a need.
	if _, err := currentMaterial(f); err != nil {
		return nil, err
	}
	all := in.IncludeKeyMaterial == AllKeyMaterial
	var entries []RotationsListEntry
	for _, ver := range f.Material.List() {
		if !all && ver.Info.RotationType == "" {
			continue
		}
		entries = append(entries, rotationEntry(k, ver))
	}
	start := 0
	if in.Marker != "" {
		start = -1
		for i, en := range entries {
			if en.KeyMaterialID == in.Marker {
				start = i
				break
			}
		}
		if start < 0 {
			// The marker is the ID of the first version of the next page;
			// one that names no listed version cannot come from KMS.
			return nil, &kmserrors.InvalidMarkerException{Message: "The marker is not valid: " + quote(in.Marker)}
		}
	}
	limit := orDefault(in.Limit, 100)
	rest := entries[start:]
	out := &ListKeyRotationsOutput{Rotations: make([]RotationsListEntry, 0, min(limit, len(rest)))}
	if len(rest) > limit {
		out.NextMarker, out.Truncated = rest[limit].KeyMaterialID, true
		rest = rest[:limit]
	}
	out.Rotations = append(out.Rotations, rest...)
	return out, nil
}

// rotationEntry describes version ver as key k lists it.
func rotationEntry(k *keystore.Key, ver keystore.Version) RotationsListEntry {
	f := k.Family
	en := RotationsListEntry{
		KeyID:            f.KeyID,
		KeyMaterialID:    ver.Material.ID,
		KeyMaterialState: materialState(f, ver),
		RotationDate:     ver.Info.RotationDate,
		RotationType:     ver.Info.RotationType,
	}
	if f.Origin != keystore.OriginExternal {
		return en
	}
	en.KeyMaterialDescription = ver.Info.Description
	en.ImportState = "PENDING_IMPORT"
	if h, ok := k.Import.Held[ver.Material.ID]; ok {
		en.ImportState = "IMPORTED"
		en.ExpirationModel, en.ValidTo = h.ExpirationModel, h.ValidTo
	}
	return en
}
