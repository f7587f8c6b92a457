package record

import (
	"time"

	"cunjing/store/schedule"
)

// A resident's mobility (Resident.Mobility); "" walks unaided.
const (
	MobilityImpaired  = "行动不便"
	MobilityBedridden = "卧床"
)

// Needs words besides the household categories (CatElderly, CatChild,
// CatAlone) that ResidentNeeds gives.
const (
	NeedChild    = "儿童"  // under 14, not 留守儿童
	NeedDisabled = "残疾"  // Resident.Disabled
	NeedHelp     = "需协助" // what a role that may not see health data sees for 残疾, 行动不便 and 卧床
)

// ChildAge is the age under which a resident counts as a child (儿童) on
// the emergency card.
const ChildAge = 14

// Emergency is one emergency card opened at the post: who opened it, when
// (the PC's wall time, for people to read), for which house and from
// what was typed; PatrolID is the patrol record it was turned into
// afterwards. It syncs (see migration 0010 for why).
type Emergency struct {
	Meta
	At        string `db:"at"` // "2006-01-02 15:04:05"
	User      string `db:"user"`
	Role      string `db:"role"`
	VillageID string `db:"village_id"`
	HouseID   string `db:"house_id"`
	Number    string `db:"number"`
	Query     string `db:"query"`
	PatrolID  string `db:"patrol_id"`
	Notes     string `db:"notes"`
}

func (*Emergency) Table() string { return "emergencies" }

func (e *Emergency) Validate() error {
	if _, err := time.ParseInLocation("2006-01-02 15:04:05", e.At, schedule.Zone); err != nil {
		return fieldErr("emergencies", "at", e.At, "must be a time YYYY-MM-DD HH:MM:SS")
	}
	if e.HouseID == "" {
		return fieldErr("emergencies", "house_id", "", "required")
	}
	return nil
}

// ResidentNeeds says why a resident needs help in an emergency, in the
// words of the card: 留守老人, 留守儿童, 独居 (the resident's own
// categories, or the household's where they fit the person: 留守老人 from
// 60, 留守儿童 under 18, 独居 for the one resident), 儿童 (under ChildAge),
// 残疾, 行动不便, 卧床. Health data follows the ID-number rule: a role
// that may not see full ID numbers (CanSeeIDs) gets 需协助 instead.
// age < 0 means unknown.
func ResidentNeeds(r Resident, household []string, alone bool, age int, role string) []string {
	has := func(cs []string, c string) bool {
		for _, x := range cs {
			if x == c {
				return true
			}
		}
		return false
	}
	var out []string
	add := func(n string) {
		if !has(out, n) {
			out = append(out, n)
		}
	}
	if has(r.Categories, CatElderly) || (has(household, CatElderly) && age >= 60) {
		add(CatElderly)
	}
	if has(r.Categories, CatChild) || (has(household, CatChild) && age >= 0 && age < 18) {
		add(CatChild)
	}
	if has(r.Categories, CatAlone) || (has(household, CatAlone) && alone) {
		add(CatAlone)
	}
	if age >= 0 && age < ChildAge && !has(out, CatChild) {
		add(NeedChild)
	}
	var health []string
	if r.Disabled {
		health = append(health, NeedDisabled)
	}
	if r.Mobility != "" {
		health = append(health, r.Mobility)
	}
	if len(health) > 0 {
		if CanSeeIDs(role) {
			out = append(out, health...)
		} else {
			add(NeedHelp)
		}
	}
	return out
}

// LivesIn reports whether a resident is in the house on day (YYYY-MM-DD):
// not moved out by then and not 户在人不在 (registered, living elsewhere).
func LivesIn(r Resident, day string) bool {
	if r.CensusStatus == CensusAbsent {
		return false
	}
	return r.MoveOut == "" || r.MoveOut > day
}
