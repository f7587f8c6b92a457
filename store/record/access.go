package record

// User roles. An officer and a station admin may see full ID numbers; an
// auxiliary sees them masked.
const (
	UserOfficer      = "officer"
	UserAuxiliary    = "auxiliary"
	UserStationAdmin = "station_admin"
)

// CanSeeIDs reports whether a role may see full ID numbers.
func CanSeeIDs(role string) bool { return role == UserOfficer || role == UserStationAdmin }

// ShowID returns the ID number as role may see it.
func ShowID(role, id string) string {
	if id == "" || CanSeeIDs(role) {
		return id
	}
	return MaskIDNumber(id)
}
