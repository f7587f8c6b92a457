package store

// The holiday calendar as synced records (table holidays, migration 0006).
// A station publishes the year's 法定节假日, 调休上班 days and school
// holidays; a post may add its county's school calendar. Rosters read the
// stored calendar laid over the defaults the app ships
// (schedule.MergeHolidays): a year and class with stored entries takes
// none of the defaults.

import (
	"cmp"
	"context"
	"fmt"
	"slices"
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

// HolidayRecord is a schedule holiday as a record to save (a new ID).
func HolidayRecord(h schedule.Holiday) Holiday {
	return Holiday{Name: h.Name, Kind: h.Kind, DateFrom: h.Dates.From.String(), DateTo: h.Dates.To.String(),
		Confirmed: h.Confirmed, Source: h.Source}
}

// Holidays lists the live stored holidays, by date.
func (s *Store) Holidays(ctx context.Context) ([]Holiday, error) {
	return live[Holiday](ctx, s, "ORDER BY date_from, kind, name, id")
}

// Whose a calendar entry is (HolidayEntry.From).
const (
	HolidayShipped     = "shipped" // a default the app ships, 待核实
	HolidayFromStation = "station" // published by the station (at a station: its own)
	HolidayFromPost    = "post"    // a post's own: its village's school calendar …
)

// HolidayEntry is one entry of a device's holiday calendar and whose it
// is. The rule when a post's entries meet its station's: both apply,
// except that a post's entry with the same year, kind and name as one of
// the station's (the post's 2027 寒假 beside the station's 2027 寒假) gives
// way to the station's (Shadowed); whatever else a post enters (a
// village school's 农忙假) is its own and applies beside the station's.
// A year and class (national days; school holidays) with anything stored
// takes none of the shipped defaults (schedule.MergeHolidays).
type HolidayEntry struct {
	schedule.Holiday
	From string
	// Record is the stored record (nil for a shipped default).
	Record *Holiday
	// Shadowed: a post's entry the station's of the same year, kind and
	// name replaces; listed, not in the calendar.
	Shadowed bool
}

// Editable reports whether this device may change the entry: its own
// records (a station its own, a post its own), not a station's at a
// post, not a shipped default (confirm its year instead).
func (s *Store) Editable(e HolidayEntry) bool {
	return e.Record != nil && e.Record.Owner == s.device
}

// HolidayEntries is this device's holiday calendar, shipped defaults
// included, with the post entries the station's replace (Shadowed) listed
// too, by date. At a station it is the station's own calendar (what it
// publishes), not its posts' additions.
func (s *Store) HolidayEntries(ctx context.Context) ([]HolidayEntry, error) {
	hs, err := s.Holidays(ctx)
	if err != nil {
		return nil, err
	}
	stations, err := s.stationIDs(ctx)
	if err != nil {
		return nil, err
	}
	if Publishes(s.role) {
		hs = slices.DeleteFunc(hs, func(h Holiday) bool { return !stations[h.Owner] })
	} else {
		// A post holds only its own records and its station's.
		for _, h := range hs {
			if h.Owner != s.device {
				stations[h.Owner] = true
			}
		}
	}
	return holidayEntries(hs, stations)
}

// HolidayCalendar is the calendar rosters use: the stored holidays laid
// over the app's defaults (HolidayEntries without the shadowed).
func (s *Store) HolidayCalendar(ctx context.Context) ([]schedule.Holiday, error) {
	es, err := s.HolidayEntries(ctx)
	if err != nil {
		return nil, err
	}
	return calendarOf(es), nil
}

// HolidayCalendarOf is the calendar of one post as its station sees it:
// the holidays the post entered and those any station published, by the
// same rule as at the post.
func (s *Store) HolidayCalendarOf(ctx context.Context, owner string) ([]schedule.Holiday, error) {
	hs, err := s.Holidays(ctx)
	if err != nil {
		return nil, err
	}
	stations, err := s.stationIDs(ctx)
	if err != nil {
		return nil, err
	}
	hs = slices.DeleteFunc(hs, func(h Holiday) bool { return h.Owner != owner && !stations[h.Owner] })
	es, err := holidayEntries(hs, stations)
	if err != nil {
		return nil, err
	}
	return calendarOf(es), nil
}

// stationIDs are the devices this one knows that publish down the tree
// (stations and the county; itself, if one).
func (s *Store) stationIDs(ctx context.Context) (map[string]bool, error) {
	out := map[string]bool{}
	if Publishes(s.role) {
		out[s.device] = true
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM posts WHERE role IN (?, ?) AND deleted = 0", RoleStation, RoleCounty)
	if err != nil {
		return nil, fmt.Errorf("stations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("stations: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// holidayKey is what makes a post's entry give way to the station's.
type holidayKey struct {
	year       int
	kind, name string
}

func keyOf(h schedule.Holiday) holidayKey {
	y, _, _ := h.Dates.From.YMD()
	return holidayKey{y, h.Kind, h.Name}
}

// holidayEntries applies the rule (HolidayEntry) to stored records whose
// owners in stations are stations', and adds the defaults.
func holidayEntries(hs []Holiday, stations map[string]bool) ([]HolidayEntry, error) {
	var stored []HolidayEntry
	published := map[holidayKey]bool{}
	for i := range hs {
		h, err := hs[i].Schedule()
		if err != nil {
			return nil, fmt.Errorf("holiday calendar: %w", err)
		}
		e := HolidayEntry{Holiday: h, From: HolidayFromPost, Record: &hs[i]}
		if stations[hs[i].Owner] {
			e.From = HolidayFromStation
			published[keyOf(h)] = true
		}
		stored = append(stored, e)
	}
	var inForce []schedule.Holiday
	for i, e := range stored {
		if e.From == HolidayFromPost && published[keyOf(e.Holiday)] {
			stored[i].Shadowed = true
			continue
		}
		inForce = append(inForce, e.Holiday)
	}
	defs, err := schedule.DefaultHolidays()
	if err != nil {
		return nil, fmt.Errorf("holiday calendar: defaults: %w", err)
	}
	byID := map[string]HolidayEntry{}
	for _, e := range stored {
		byID[e.ID] = e
	}
	var out []HolidayEntry
	for _, h := range schedule.MergeHolidays(defs, inForce) {
		if e, ok := byID[h.ID]; ok {
			out = append(out, e)
			delete(byID, h.ID)
		} else {
			out = append(out, HolidayEntry{Holiday: h, From: HolidayShipped})
		}
	}
	for _, e := range stored {
		if e.Shadowed {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b HolidayEntry) int {
		return cmp.Or(cmp.Compare(a.Dates.From, b.Dates.From), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// calendarOf is the calendar in force: the entries less the shadowed.
func calendarOf(es []HolidayEntry) []schedule.Holiday {
	out := make([]schedule.Holiday, 0, len(es))
	for _, e := range es {
		if !e.Shadowed {
			out = append(out, e.Holiday)
		}
	}
	return out
}

// SaveHoliday checks and stores one holiday entry of this device (new, or
// one of its own edited); a confirmed entry is stamped checked on day
// (YYYY-MM-DD) unless it already was. The CLI's holidays add and the
// window's 节假日 both come here.
func (s *Store) SaveHoliday(ctx context.Context, h *Holiday, day string) error {
	h.Name, h.Source = strings.TrimSpace(h.Name), strings.TrimSpace(h.Source)
	if h.DateTo == "" {
		h.DateTo = h.DateFrom
	}
	if h.Confirmed && h.CheckedOn == "" {
		h.CheckedOn = day
	}
	if !h.Confirmed {
		h.CheckedOn = ""
	}
	if h.ID != "" {
		var old Holiday
		if err := s.Get(ctx, &old, h.ID); err != nil {
			return fmt.Errorf("holiday %s: %w", h.ID, err)
		}
		if old.Owner != s.device {
			return fmt.Errorf("holiday %s %s: %w", old.Name, old.DateFrom, ErrNotOwner)
		}
	}
	if err := h.Validate(); err != nil {
		return err
	}
	return s.Save(ctx, h)
}

// DeleteHoliday deletes one of this device's stored holidays (a
// tombstone; a shipped default goes away when its year is stored).
func (s *Store) DeleteHoliday(ctx context.Context, id string) (Holiday, error) {
	var h Holiday
	if err := s.Get(ctx, &h, id); err != nil {
		return h, fmt.Errorf("holiday %s: %w", id, err)
	}
	if h.Owner != s.device {
		return h, fmt.Errorf("holiday %s %s: %w", h.Name, h.DateFrom, ErrNotOwner)
	}
	return h, s.Update(ctx, func(tx *Tx) error { return tx.Delete(&Holiday{}, id) })
}

// ConfirmHolidays marks a year's calendar as checked on day (YYYY-MM-DD):
// this device's stored entries of the year, and the shipped defaults still
// in use for it, which become records of this device (a station's reach
// its posts at the next sync). kind "" confirms both classes, public the
// national days (放假 and 调休上班), school the school holidays. A
// station's entries at a post are the station's to confirm. It returns
// how many entries it confirmed.
func (s *Store) ConfirmHolidays(ctx context.Context, year int, kind, day string) (int, error) {
	if kind != "" && kind != schedule.HolidayPublic && kind != schedule.HolidaySchool {
		return 0, fmt.Errorf("confirm holidays: kind %q: want public or school", kind)
	}
	if !validDate(day) || day == "" {
		return 0, fmt.Errorf("confirm holidays: day %q: want YYYY-MM-DD", day)
	}
	es, err := s.HolidayEntries(ctx)
	if err != nil {
		return 0, err
	}
	var recs []Record
	for _, e := range es {
		y, _, _ := e.Dates.From.YMD()
		class := schedule.HolidayPublic
		if e.Kind == schedule.HolidaySchool {
			class = schedule.HolidaySchool
		}
		if y != year || (kind != "" && class != kind) || e.Confirmed || e.Shadowed {
			continue
		}
		var r Holiday
		switch {
		case e.Record == nil:
			r = HolidayRecord(e.Holiday)
		case e.Record.Owner == s.device:
			r = *e.Record
		default:
			continue
		}
		r.Confirmed, r.CheckedOn = true, day
		recs = append(recs, &r)
	}
	if len(recs) == 0 {
		return 0, nil
	}
	if err := s.Save(ctx, recs...); err != nil {
		return 0, err
	}
	return len(recs), nil
}
