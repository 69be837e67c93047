package keystore

import "time"

// RotationType says how a material version became current (the KMS
// RotationType enum).
type RotationType string

// Rotation types.
const (
	RotationAutomatic RotationType = "AUTOMATIC"
	RotationOnDemand  RotationType = "ON_DEMAND"
)

// VersionInfo is what KMS records about one material version besides the
// material itself (ListKeyRotations). It is shared by related keys, as
// the version is.
type VersionInfo struct {
	// RotationDate and RotationType are zero for the first version and
	// for a version still pending rotation.
	RotationDate time.Time
	RotationType RotationType
	// Pending marks imported material that was imported as new material
	// but has not been rotated in yet (PENDING_ROTATION or
	// PENDING_MULTI_REGION_IMPORT_AND_ROTATION). A pending version is
	// never current.
	Pending bool
	// Description is the KeyMaterialDescription of imported material.
	Description string
}

// Version is one material version with its metadata, as [Versions.List]
// returns it.
type Version struct {
	Material *Material
	Info     VersionInfo
	Current  bool
}

// infoAt returns the metadata of list[i].
func (v *Versions) infoAt(i int) VersionInfo {
	if i < len(v.info) {
		return v.info[i]
	}
	return VersionInfo{}
}

// setInfo records the metadata of list[i], growing info as needed.
func (v *Versions) setInfo(i int, in VersionInfo) {
	for len(v.info) <= i {
		v.info = append(v.info, VersionInfo{})
	}
	v.info[i] = in
}

// index returns the position of the version with ID id, or -1.
func (v *Versions) index(id string) int {
	for i, m := range v.list {
		if m.ID == id {
			return i
		}
	}
	return -1
}

// Rotate appends m as the new current version with in as its metadata
// (in.Pending is ignored: a rotated-in version is not pending). It panics
// on nil or on an ID already present; use [Versions.Promote] to make a
// pending version current.
func (v *Versions) Rotate(m *Material, in VersionInfo) {
	if m == nil {
		panic("keystore: Versions.Rotate(nil)")
	}
	if v.index(m.ID) >= 0 {
		panic("keystore: Versions.Rotate of a version already present")
	}
	in.Pending = false
	v.list = append(v.list, m)
	v.current = len(v.list) - 1
	v.setInfo(v.current, in)
}

// AddPending appends m as a version pending rotation: present, so that
// its ID is known, but not current. It reports false, changing nothing,
// when a version with m's ID is already present.
func (v *Versions) AddPending(m *Material, description string) bool {
	if v.index(m.ID) >= 0 {
		return false
	}
	v.list = append(v.list, m)
	v.setInfo(len(v.list)-1, VersionInfo{Pending: true, Description: description})
	return true
}

// Promote makes the pending version id current, recording when and how it
// was rotated in. It reports false when id is not a pending version.
func (v *Versions) Promote(id string, at time.Time, how RotationType) bool {
	i := v.index(id)
	if i < 0 || !v.infoAt(i).Pending {
		return false
	}
	in := v.infoAt(i)
	in.Pending, in.RotationDate, in.RotationType = false, at, how
	v.setInfo(i, in)
	v.current = i
	return true
}

// RemovePending removes the pending version id, which KMS does not keep
// once its material is deleted. It reports false when id is not a
// pending version; other versions are permanent.
func (v *Versions) RemovePending(id string) bool {
	i := v.index(id)
	if i < 0 || !v.infoAt(i).Pending {
		return false
	}
	v.list = append(v.list[:i:i], v.list[i+1:]...)
	if i < len(v.info) {
		v.info = append(v.info[:i:i], v.info[i+1:]...)
	}
	if v.current > i {
		v.current--
	}
	return true
}

// Pending returns the version pending rotation, or nil.
func (v *Versions) Pending() *Material {
	for i, m := range v.list {
		if v.infoAt(i).Pending {
			return m
		}
	}
	return nil
}

// Info returns the metadata of version id and whether it is present.
func (v *Versions) Info(id string) (VersionInfo, bool) {
	i := v.index(id)
	if i < 0 {
		return VersionInfo{}, false
	}
	return v.infoAt(i), true
}

// SetDescription replaces the KeyMaterialDescription of version id, if
// present.
func (v *Versions) SetDescription(id, description string) {
	if i := v.index(id); i >= 0 {
		in := v.infoAt(i)
		in.Description = description
		v.setInfo(i, in)
	}
}

// List returns every version with its metadata, oldest first.
func (v *Versions) List() []Version {
	out := make([]Version, len(v.list))
	for i, m := range v.list {
		out[i] = Version{Material: m, Info: v.infoAt(i), Current: i == v.current && !v.infoAt(i).Pending}
	}
	return out
}

// Rotations counts the versions that a rotation made current.
func (v *Versions) Rotations() int {
	n := 0
	for i := range v.list {
		if v.infoAt(i).RotationType != "" {
			n++
		}
	}
	return n
}
