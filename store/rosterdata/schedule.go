package rosterdata

import (
	"context"
	"encoding/json"
	"fmt"

	"cunjing/store"
	"cunjing/store/record"
	"cunjing/store/schedule"
)

// ScheduleInput converts the roster records (teams, members, shift rules,
// exceptions) into the schedule package's plain input. A record that does
// not convert is an error naming it: the roster must never silently drop
// a rule.
func ScheduleInput(ctx context.Context, s *store.Store) (schedule.Input, error) {
	var in schedule.Input
	teams, err := s.Teams(ctx)
	if err != nil {
		return in, err
	}
	for _, t := range teams {
		in.Teams = append(in.Teams, schedule.Team{ID: t.ID, Name: t.Name})
	}
	members, err := s.Members(ctx, "")
	if err != nil {
		return in, err
	}
	for _, m := range members {
		sm, err := ScheduleMember(m)
		if err != nil {
			return in, err
		}
		in.Members = append(in.Members, sm)
	}
	former, err := formerMembers(ctx, s, "")
	if err != nil {
		return in, err
	}
	for _, ms := range former { // as the live records: every owner's
		in.Former = append(in.Former, ms...)
	}
	formerTeams, err := formerTeamsOf(ctx, s, "")
	if err != nil {
		return in, err
	}
	for _, ts := range formerTeams {
		in.FormerTeams = append(in.FormerTeams, ts...)
	}
	rules, err := s.ShiftRules(ctx)
	if err != nil {
		return in, err
	}
	for _, r := range rules {
		rule, err := ScheduleRule(r)
		if err != nil {
			return in, err
		}
		in.Rules = append(in.Rules, rule)
	}
	excs, err := s.ShiftExceptions(ctx)
	if err != nil {
		return in, err
	}
	for _, e := range excs {
		var x schedule.Exception
		if err := json.Unmarshal([]byte(e.Spec), &x); err != nil {
			return in, fmt.Errorf("exception %s: %w", e.Name, err)
		}
		x.ID, x.Name = e.ID, e.Name
		in.Exceptions = append(in.Exceptions, x)
	}
	if in.Holidays, err = HolidayCalendar(ctx, s); err != nil {
		return in, err
	}
	return in, nil
}

// formerMembers are the members deleted since (tombstones keep their
// names; schedule.Input.Former) by owner, of the owners matching and
// (SQL: "AND owner = ? ", or "" for every owner).
func formerMembers(ctx context.Context, s *store.Store, and string, args ...any) (map[string][]schedule.Member, error) {
	gone, err := store.List[store.Member](ctx, s, "WHERE NOT ("+record.LiveSQL("")+") "+and+"ORDER BY id", args...)
	if err != nil {
		return nil, fmt.Errorf("roster: members deleted: %w", err)
	}
	out := map[string][]schedule.Member{}
	for _, m := range gone {
		// Their leave too: the rotation passed them over on those days
		// before they left, and still must.
		sm, err := ScheduleMember(m)
		if err != nil {
			// They stand on no day to come: leave or days off that do
			// not read only lose their past.
			sm = schedule.Member{ID: m.ID, TeamID: m.TeamID, Name: m.Name, Role: m.Role}
		}
		sm.Phone = ""
		out[m.Owner] = append(out[m.Owner], sm)
	}
	return out, nil
}

// formerTeamsOf are the teams deleted since (schedule.Input.FormerTeams)
// by owner, of the owners matching and ("AND owner = ? ", or "").
func formerTeamsOf(ctx context.Context, s *store.Store, and string, args ...any) (map[string][]schedule.Team, error) {
	gone, err := store.List[store.Team](ctx, s, "WHERE NOT ("+record.LiveSQL("")+") "+and+"ORDER BY id", args...)
	if err != nil {
		return nil, fmt.Errorf("roster: teams deleted: %w", err)
	}
	out := map[string][]schedule.Team{}
	for _, t := range gone {
		out[t.Owner] = append(out[t.Owner], schedule.Team{ID: t.ID, Name: t.Name})
	}
	return out, nil
}

// ScheduleRule converts one shift-rule record.
func ScheduleRule(r store.ShiftRule) (schedule.Rule, error) {
	var sp schedule.Spec
	if err := json.Unmarshal([]byte(r.Spec), &sp); err != nil {
		return schedule.Rule{}, fmt.Errorf("rule %s: spec: %w", r.Name, err)
	}
	wins, err := schedule.ParseWindows(r.Windows)
	if err != nil {
		return schedule.Rule{}, fmt.Errorf("rule %s: times: %w", r.Name, err)
	}
	rule := schedule.Rule{ID: r.ID, Name: r.Name, TeamID: r.TeamID, Kind: r.Kind, Spec: sp, Windows: wins,
		People: r.People, Rotate: int(r.Rotate), MinPeople: int(r.MinPeople), Holidays: r.Holidays}
	if r.ValidFrom != "" {
		if rule.ValidFrom, err = schedule.ParseDate(r.ValidFrom); err != nil {
			return schedule.Rule{}, fmt.Errorf("rule %s: valid_from: %w", r.Name, err)
		}
	}
	if r.ValidTo != "" {
		if rule.ValidTo, err = schedule.ParseDate(r.ValidTo); err != nil {
			return schedule.Rule{}, fmt.Errorf("rule %s: valid_to: %w", r.Name, err)
		}
	}
	if r.Versions != "" {
		if err := json.Unmarshal([]byte(r.Versions), &rule.Versions); err != nil {
			return schedule.Rule{}, fmt.Errorf("rule %s: earlier versions: %w", r.Name, err)
		}
	}
	return rule, nil
}

// ScheduleMember is a member record as the planner takes it: its leave
// and its regular days off (固定休息) read from the store's forms.
func ScheduleMember(m store.Member) (schedule.Member, error) {
	leave, err := schedule.ParseLeave(m.Leave)
	if err != nil {
		return schedule.Member{}, fmt.Errorf("member %s: leave: %w", m.Name, err)
	}
	off, err := schedule.ParseWeekdaysOff(m.Off)
	if err != nil {
		return schedule.Member{}, fmt.Errorf("member %s: days off: %w", m.Name, err)
	}
	return schedule.Member{ID: m.ID, TeamID: m.TeamID, Name: m.Name, Role: m.Role, Phone: m.Phone, Leave: leave, Off: off}, nil
}
