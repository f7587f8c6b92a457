// Package dutytable turns the post's roster into the duty table print/duty
// draws. It sits apart from package app so the window (package app/ui) and
// the CLI can share it without app/ui importing app.
package dutytable

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cunjing/print/duty"
	"cunjing/print/typeset"
	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
)

// Build expands the roster over [from, to] and lays it out as the duty
// table the print package draws (print may not read the store, so the app
// does the conversion; the window and the CLI share it).
func Build(ctx context.Context, s *store.Store, from, to schedule.Date, period string, printed time.Time) (duty.Table, error) {
	in, err := rosterdata.ScheduleInput(ctx, s)
	if err != nil {
		return duty.Table{}, fmt.Errorf("read roster: %w", err)
	}
	var self store.Post
	if err := s.Get(ctx, &self, s.DeviceID()); err != nil {
		return duty.Table{}, fmt.Errorf("read own profile: %w", err)
	}
	return build(in, self, from, to, period, printed)
}

// BuildOf is Build of one post's roster at a station (or county), which
// holds its posts' rosters side by side: owner's teams, rules and
// holidays (rosterdata.ScheduleInputOf), titled and signed with the
// post's profile, or name when the station holds none. Owner "" is
// Build: this device's own table. The command line and the window both
// print through it.
func BuildOf(ctx context.Context, s *store.Store, owner, name string, from, to schedule.Date, period string, printed time.Time) (duty.Table, error) {
	if owner == "" {
		return Build(ctx, s, from, to, period, printed)
	}
	in, err := rosterdata.ScheduleInputOf(ctx, s, owner)
	if err != nil {
		return duty.Table{}, fmt.Errorf("read roster of %s: %w", name, err)
	}
	post := store.Post{Name: name}
	if err := s.Get(ctx, &post, owner); err != nil && !errors.Is(err, store.ErrNotFound) {
		return duty.Table{}, fmt.Errorf("read the profile of %s: %w", name, err)
	}
	if post.Name == "" {
		post.Name = name
	}
	return build(in, post, from, to, period, printed)
}

// build lays out in's roster over [from, to] as self's duty table.
func build(in schedule.Input, self store.Post, from, to schedule.Date, period string, printed time.Time) (duty.Table, error) {
	sch, err := schedule.Expand(in, from, to)
	if err != nil {
		return duty.Table{}, err
	}
	t := duty.Table{Title: self.Name + "值班表", Period: period, Printed: printed,
		Footer: fmt.Sprintf("%s  民警 %s %s  报警 110  打印于 %s", self.Name, self.Officer, typeset.Phone(self.Phone), printed.In(schedule.Zone).Format("2006-01-02"))}
	index := map[schedule.Date]int{}
	for _, d := range sch.Days {
		index[d.Date] = len(t.Days)
		notes := append([]string(nil), d.Exceptions...)
		for _, h := range d.Holidays {
			notes = append(notes, h.Label())
		}
		t.Days = append(t.Days, duty.Day{Date: d.Date.Time(schedule.Zone), Lunar: d.Lunar.DayName(), Market: d.Market, Notes: notes})
	}
	onDuty := map[string]bool{}
	for _, sl := range sch.Slots {
		i, ok := index[sl.Date]
		if !ok {
			continue
		}
		t.Days[i].Entries = append(t.Days[i].Entries, duty.Entry{Start: sl.Start.String(), End: sl.End.String(),
			Rule: sl.Rule, Team: sl.Team, People: sl.People, Alert: len(sl.Conflicts) > 0})
		for _, id := range sl.PersonIDs {
			onDuty[id] = true
		}
	}
	for _, m := range in.Members {
		if onDuty[m.ID] {
			t.Contacts = append(t.Contacts, duty.Person{Name: m.Name, Role: m.Role, Phone: m.Phone})
		}
	}
	return t, nil
}

// MonthRange parses "2026-12" into its first and last day and a Chinese
// period title.
func MonthRange(month string) (from, to schedule.Date, period string, err error) {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return 0, 0, "", fmt.Errorf("month must be YYYY-MM, got %q", month)
	}
	from = schedule.FromTime(t)
	to = schedule.FromTime(t.AddDate(0, 1, -1))
	return from, to, fmt.Sprintf("%d年%d月", t.Year(), int(t.Month())), nil
}

// WeekOf parses "2026-12-09" and gives the Monday-to-Sunday week holding
// it (WeekRange).
func WeekOf(day string) (from, to schedule.Date, period string, err error) {
	d, err := schedule.ParseDate(day)
	if err != nil {
		return 0, 0, "", fmt.Errorf("week must be a date YYYY-MM-DD in it, got %q", day)
	}
	from, to, period = WeekRange(d)
	return from, to, period, nil
}

// WeekRange gives the Monday-to-Sunday week holding day and a Chinese
// period title ("2026年12月7日–13日"), for the weekly duty table.
func WeekRange(day schedule.Date) (from, to schedule.Date, period string) {
	// Weekday is 0 for Sunday; the posts' week starts on Monday.
	back := (int(day.Weekday()) + 6) % 7
	from = day.AddDays(-back)
	to = from.AddDays(6)
	fy, fm, fd := from.YMD()
	ty, tm, td := to.YMD()
	switch {
	case fy != ty:
		period = fmt.Sprintf("%d年%d月%d日–%d年%d月%d日", fy, fm, fd, ty, tm, td)
	case fm != tm:
		period = fmt.Sprintf("%d年%d月%d日–%d月%d日", fy, fm, fd, tm, td)
	default:
		period = fmt.Sprintf("%d年%d月%d日–%d日", fy, fm, fd, td)
	}
	return from, to, period
}
