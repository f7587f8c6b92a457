package record

// The holiday calendar as synced records (table holidays, migration 0006).
// A station publishes the year's 法定节假日, 调休上班 days and school
// holidays; a post may add its county's school calendar. Rosters read the
// stored calendar laid over the defaults the app ships
// (schedule.MergeHolidays): a year and class with stored entries takes
// none of the defaults. The calendar itself (entries, whose they are,
// saving and confirming them) is store/rosterdata's; the record is here.

import (
	"fmt"
	"strings"

	"cunjing/store/schedule"
)

// Holiday is one stretch of the holiday calendar.
type Holiday struct {
	Meta
	Name      string `db:"name"` // 元旦, 春节, 寒假 …
	Kind      string `db:"kind"` // public, workday, school (schedule.Holiday*)
	DateFrom  string `db:"date_from"`
	DateTo    string `db:"date_to"`
	Confirmed bool   `db:"confirmed"` // checked by the station; else 待核实
	Source    string `db:"source"`    // 国办发明电〔2025〕7号, 县教育局校历 …
	CheckedOn string `db:"checked_on"`
}

func (*Holiday) Table() string { return "holidays" }
func (h *Holiday) Validate() error {
	if strings.TrimSpace(h.Name) == "" {
		return fieldErr("holidays", "name", "", "required")
	}
	if !oneOf(h.Kind, schedule.HolidayKinds...) {
		return fieldErr("holidays", "kind", h.Kind, "must be public, workday or school")
	}
	if h.DateFrom == "" || !validDate(h.DateFrom) {
		return fieldErr("holidays", "date_from", h.DateFrom, "must be a date YYYY-MM-DD")
	}
	if h.DateTo == "" || !validDate(h.DateTo) || h.DateTo < h.DateFrom {
		return fieldErr("holidays", "date_to", h.DateTo, "must be a date not before date_from")
	}
	if !validDate(h.CheckedOn) {
		return fieldErr("holidays", "checked_on", h.CheckedOn, "must be a date YYYY-MM-DD")
	}
	if _, err := h.Schedule(); err != nil {
		return fieldErr("holidays", "date_to", h.DateTo, err.Error())
	}
	return nil
}

// Schedule converts the record into the schedule package's holiday.
func (h *Holiday) Schedule() (schedule.Holiday, error) {
	from, err := schedule.ParseDate(h.DateFrom)
	if err != nil {
		return schedule.Holiday{}, fmt.Errorf("holiday %s: from: %w", h.Name, err)
	}
	to, err := schedule.ParseDate(h.DateTo)
	if err != nil {
		return schedule.Holiday{}, fmt.Errorf("holiday %s: to: %w", h.Name, err)
	}
	out := schedule.Holiday{ID: h.ID, Name: h.Name, Kind: h.Kind, Dates: schedule.DateRange{From: from, To: to},
		Confirmed: h.Confirmed, Source: h.Source}
	return out, out.Validate()
}

// validHolidayPolicy checks a shift rule's holiday policy.
func validHolidayPolicy(policy, kind string) error {
	_, err := schedule.ParseHolidayPolicy(policy, kind)
	return err
}
