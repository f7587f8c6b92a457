package rosterdata

// The holiday calendar (table holidays, migration 0006; the record is
// store.Holiday). A station publishes the year's 法定节假日, 调休上班 days
// and school holidays; a post may add its county's school calendar.
// Rosters read the stored calendar laid over the defaults the app ships
// (schedule.MergeHolidays): a year and class with the station's entries,
// or a post's of a shipped name, takes none of the defaults; a post's
// other entries (农忙假) are additions (HolidayEntry).

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"cunjing/store"
	"cunjing/store/schedule"
)

// HolidayRecord is a schedule holiday as a record to save (a new ID).
func HolidayRecord(h schedule.Holiday) store.Holiday {
	return store.Holiday{Name: h.Name, Kind: h.Kind, DateFrom: h.Dates.From.String(), DateTo: h.Dates.To.String(),
		Confirmed: h.Confirmed, Source: h.Source}
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
// A year and class (national days; school holidays) with anything the
// station published, or a post's entry of a shipped name (寒假), takes
// none of the shipped defaults (schedule.MergeHolidays); a post's entry of
// another name (农忙假) is an addition.
type HolidayEntry struct {
	schedule.Holiday
	From string
	// Record is the stored record (nil for a shipped default).
	Record *store.Holiday
	// Shadowed: a post's entry the station's of the same year, kind and
	// name replaces; listed, not in the calendar.
	Shadowed bool
}

// Editable reports whether this device may change the entry: its own
// records (a station its own, a post its own), not a station's at a
// post, not a shipped default (confirm its year instead).
func Editable(s *store.Store, e HolidayEntry) bool {
	return e.Record != nil && e.Record.Owner == s.DeviceID()
}

// HolidayEntries is this device's holiday calendar, shipped defaults
// included, with the post entries the station's replace (Shadowed) listed
// too, by date. At a station it is the station's own calendar (what it
// publishes), not its posts' additions.
func HolidayEntries(ctx context.Context, s *store.Store) ([]HolidayEntry, error) {
	hs, stations, err := holidaysAndStations(ctx, s)
	if err != nil {
		return nil, err
	}
	if store.Publishes(s.Role()) {
		hs = slices.DeleteFunc(hs, func(h store.Holiday) bool { return !stations[h.Owner] })
	} else {
		// A post holds only its own records and its station's.
		for _, h := range hs {
			if h.Owner != s.DeviceID() {
				stations[h.Owner] = true
			}
		}
	}
	return holidayEntries(hs, stations)
}

// HolidayCalendar is the calendar rosters use: the stored holidays laid
// over the app's defaults (HolidayEntries without the shadowed).
func HolidayCalendar(ctx context.Context, s *store.Store) ([]schedule.Holiday, error) {
	es, err := HolidayEntries(ctx, s)
	if err != nil {
		return nil, err
	}
	return calendarOf(es), nil
}

// HolidayCalendarOf is the calendar of one post as its station sees it:
// the holidays the post entered and those any station published, by the
// same rule as at the post.
func HolidayCalendarOf(ctx context.Context, s *store.Store, owner string) ([]schedule.Holiday, error) {
	hs, stations, err := holidaysAndStations(ctx, s)
	if err != nil {
		return nil, err
	}
	hs = slices.DeleteFunc(hs, func(h store.Holiday) bool { return h.Owner != owner && !stations[h.Owner] })
	es, err := holidayEntries(hs, stations)
	if err != nil {
		return nil, err
	}
	return calendarOf(es), nil
}

// holidaysAndStations are the stored holidays and the devices whose
// holidays are published ones (stationIDs).
func holidaysAndStations(ctx context.Context, s *store.Store) ([]store.Holiday, map[string]bool, error) {
	hs, err := s.Holidays(ctx)
	if err != nil {
		return nil, nil, err
	}
	stations, err := stationIDs(ctx, s)
	if err != nil {
		return nil, nil, err
	}
	return hs, stations, nil
}

// stationIDs are the devices this one knows that publish down the tree
// (stations and the county; itself, if one).
func stationIDs(ctx context.Context, s *store.Store) (map[string]bool, error) {
	out := map[string]bool{}
	if store.Publishes(s.Role()) {
		out[s.DeviceID()] = true
	}
	posts, err := s.Posts(ctx)
	if err != nil {
		return nil, fmt.Errorf("stations: %w", err)
	}
	for _, p := range posts {
		if p.Role == store.RoleStation || p.Role == store.RoleCounty {
			out[p.ID] = true
		}
	}
	return out, nil
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
func holidayEntries(hs []store.Holiday, stations map[string]bool) ([]HolidayEntry, error) {
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
	defs, err := schedule.DefaultHolidays()
	if err != nil {
		return nil, fmt.Errorf("holiday calendar: defaults: %w", err)
	}
	// What is stored replaces the defaults of its year and class: the
	// station's calendar, or a post's entry of a shipped name (its county
	// 寒假 for the shipped guess). A post's entry of another name (a
	// village school's 农忙假) is an addition and leaves the year's
	// shipped 寒假 and 暑假 in place.
	shipped := map[holidayKey]bool{}
	for _, h := range defs {
		shipped[keyOf(h)] = true
	}
	var inForce, added []schedule.Holiday
	for i, e := range stored {
		switch {
		case e.From == HolidayFromPost && published[keyOf(e.Holiday)]:
			stored[i].Shadowed = true
		case e.From == HolidayFromPost && !shipped[keyOf(e.Holiday)]:
			added = append(added, e.Holiday)
		default:
			inForce = append(inForce, e.Holiday)
		}
	}
	byID := map[string]HolidayEntry{}
	for _, e := range stored {
		byID[e.ID] = e
	}
	var out []HolidayEntry
	for _, h := range append(schedule.MergeHolidays(defs, inForce), added...) {
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
func SaveHoliday(ctx context.Context, s *store.Store, h *store.Holiday, day string) error {
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
		var old store.Holiday
		if err := s.Get(ctx, &old, h.ID); err != nil {
			return fmt.Errorf("holiday %s: %w", h.ID, err)
		}
		if old.Owner != s.DeviceID() {
			return fmt.Errorf("holiday %s %s: %w", old.Name, old.DateFrom, store.ErrNotOwner)
		}
	}
	if err := h.Validate(); err != nil {
		return err
	}
	return s.Save(ctx, h)
}

// DeleteHoliday deletes one of this device's stored holidays (a
// tombstone; a shipped default goes away when its year is stored).
func DeleteHoliday(ctx context.Context, s *store.Store, id string) (store.Holiday, error) {
	var h store.Holiday
	if err := s.Get(ctx, &h, id); err != nil {
		return h, fmt.Errorf("holiday %s: %w", id, err)
	}
	if h.Owner != s.DeviceID() {
		return h, fmt.Errorf("holiday %s %s: %w", h.Name, h.DateFrom, store.ErrNotOwner)
	}
	return h, s.Update(ctx, func(tx *store.Tx) error { return tx.Delete(&store.Holiday{}, id) })
}

// ConfirmHolidays marks a year's calendar as checked on day (YYYY-MM-DD):
// this device's stored entries of the year, and the shipped defaults still
// in use for it, which become records of this device (a station's reach
// its posts at the next sync). kind "" confirms both classes, public the
// national days (放假 and 调休上班), school the school holidays. A
// station's entries at a post are the station's to confirm. It returns
// how many entries it confirmed.
func ConfirmHolidays(ctx context.Context, s *store.Store, year int, kind, day string) (int, error) {
	if kind != "" && kind != schedule.HolidayPublic && kind != schedule.HolidaySchool {
		return 0, fmt.Errorf("confirm holidays: kind %q: want public or school", kind)
	}
	if _, err := time.Parse("2006-01-02", day); err != nil || day == "" {
		return 0, fmt.Errorf("confirm holidays: day %q: want YYYY-MM-DD", day)
	}
	es, err := HolidayEntries(ctx, s)
	if err != nil {
		return 0, err
	}
	var recs []store.Record
	for _, e := range es {
		y, _, _ := e.Dates.From.YMD()
		class := schedule.HolidayPublic
		if e.Kind == schedule.HolidaySchool {
			class = schedule.HolidaySchool
		}
		if y != year || (kind != "" && class != kind) || e.Confirmed || e.Shadowed {
			continue
		}
		var r store.Holiday
		switch {
		case e.Record == nil:
			r = HolidayRecord(e.Holiday)
		case e.Record.Owner == s.DeviceID():
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
