package tab

import (
	"context"

	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
)

// Data is what every tab reads, loaded once per refresh.
type Data struct {
	Teams      []store.Team
	Members    []store.Member
	Rules      []store.ShiftRule
	Exceptions []store.ShiftException
	Venues     []store.Venue
	Villages   []store.Village
	// Holidays is this device's holiday calendar (at a station: the one
	// it publishes), whichever post is shown.
	Holidays []rosterdata.HolidayEntry
	// In is the schedule input; InErr says which record does not convert
	// (a rule damaged by hand), shown on the calendar instead of failing
	// the whole screen.
	In    schedule.Input
	InErr error
	// Approved are the post's months the station approved (locked).
	Approved []store.MonthApproval
}

// Load reads the roster records of owner; "" is all the file holds (at a
// station every post's together).
func Load(ctx context.Context, s *store.Store, owner string) (Data, error) {
	var d Data
	var err error
	if d.Teams, err = s.Teams(ctx); err != nil {
		return d, err
	}
	if d.Members, err = s.Members(ctx, ""); err != nil {
		return d, err
	}
	if d.Rules, err = s.ShiftRules(ctx); err != nil {
		return d, err
	}
	if d.Exceptions, err = s.ShiftExceptions(ctx); err != nil {
		return d, err
	}
	if d.Venues, err = s.Venues(ctx); err != nil {
		return d, err
	}
	if d.Villages, err = s.Villages(ctx); err != nil {
		return d, err
	}
	who := owner
	if who == "" {
		who = s.DeviceID()
	}
	as, err := s.MonthApprovals(ctx, who)
	if err != nil {
		return d, err
	}
	for _, a := range as {
		if a.State == store.ApprovalApproved {
			d.Approved = append(d.Approved, a)
		}
	}
	if d.Holidays, err = rosterdata.HolidayEntries(ctx, s); err != nil {
		return d, err
	}
	if owner == "" {
		d.In, d.InErr = rosterdata.ScheduleInput(ctx, s)
		return d, nil
	}
	d.In, d.InErr = rosterdata.ScheduleInputOf(ctx, s, owner)
	return d.Only(owner), nil
}

// Only keeps owner's records.
func (d Data) Only(owner string) Data {
	d.Teams = OwnedBy(d.Teams, owner, func(x store.Team) string { return x.Owner })
	d.Members = OwnedBy(d.Members, owner, func(x store.Member) string { return x.Owner })
	d.Rules = OwnedBy(d.Rules, owner, func(x store.ShiftRule) string { return x.Owner })
	d.Exceptions = OwnedBy(d.Exceptions, owner, func(x store.ShiftException) string { return x.Owner })
	d.Venues = OwnedBy(d.Venues, owner, func(x store.Venue) string { return x.Owner })
	d.Villages = OwnedBy(d.Villages, owner, func(x store.Village) string { return x.Owner })
	return d
}

// OwnedBy keeps the records whose owner (of) is owner ("": all).
func OwnedBy[T any](recs []T, owner string, of func(T) string) []T {
	if owner == "" {
		return recs
	}
	var out []T
	for _, r := range recs {
		if of(r) == owner {
			out = append(out, r)
		}
	}
	return out
}

// MemberLabel names a member in a pick list: name, role, and the team
// when there are several.
func MemberLabel(m store.Member, d Data) string {
	label := m.Name + "（" + m.Role
	if len(d.Teams) > 1 {
		if t := d.TeamName(m.TeamID); t != "" {
			label += "，" + t
		}
	}
	return label + "）"
}

// MemberIDs are the members' IDs, in order.
func MemberIDs(ms []store.Member) []string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}

// MemberName is the name of the member with id, or the last name of one
// deleted since ("" if none).
func (d Data) MemberName(id string) string {
	for _, m := range d.Members {
		if m.ID == id {
			return m.Name
		}
	}
	// Deleted since (a swap or stand-in they made): their last name.
	for _, m := range d.In.Former {
		if m.ID == id {
			return m.Name
		}
	}
	return ""
}

// TeamName is the name of the team with id, or the last name of one
// deleted since (a rule that ended still draws on it; "" if none).
func (d Data) TeamName(id string) string {
	for _, t := range d.Teams {
		if t.ID == id {
			return t.Name
		}
	}
	for _, t := range d.In.FormerTeams {
		if t.ID == id {
			return t.Name
		}
	}
	return ""
}

// RuleName is the name of the shift rule with id ("" if none).
func (d Data) RuleName(id string) string {
	for _, r := range d.Rules {
		if r.ID == id {
			return r.Name
		}
	}
	return ""
}
