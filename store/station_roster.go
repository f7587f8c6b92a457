package store

// One owner's roster and patrol log for the township station, which holds
// every post's teams, rules and patrols side by side (package sync/station
// compares planned with done per post). Written by the sync engineer; the
// conversions mirror ScheduleInput, filtered by owner.

import (
	"context"
	"encoding/json"
	"fmt"

	"cunjing/store/schedule"
)

// ScheduleInputOf is ScheduleInput restricted to the roster records owned
// by owner.
func (s *Store) ScheduleInputOf(ctx context.Context, owner string) (schedule.Input, error) {
	var in schedule.Input
	const live = "WHERE deleted = 0 AND owner = ? "
	teams, err := list[Team](ctx, s, live+"ORDER BY name, id", owner)
	if err != nil {
		return in, err
	}
	for _, t := range teams {
		in.Teams = append(in.Teams, schedule.Team{ID: t.ID, Name: t.Name})
	}
	members, err := list[Member](ctx, s, live+"ORDER BY team_id, name, id", owner)
	if err != nil {
		return in, err
	}
	for _, m := range members {
		leave, err := schedule.ParseLeave(m.Leave)
		if err != nil {
			return in, fmt.Errorf("member %s: leave: %w", m.Name, err)
		}
		in.Members = append(in.Members, schedule.Member{ID: m.ID, TeamID: m.TeamID, Name: m.Name, Role: m.Role, Phone: m.Phone, Leave: leave})
	}
	rules, err := list[ShiftRule](ctx, s, live+"ORDER BY team_id, name, id", owner)
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
	excs, err := list[ShiftException](ctx, s, live+"ORDER BY name, id", owner)
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
	if in.Holidays, err = s.HolidayCalendarOf(ctx, owner); err != nil {
		return in, err
	}
	return in, nil
}

// PatrolRecordsOf returns owner's live patrols dated from..to inclusive,
// reduced to what compliance needs. A patrol logged without times covers
// its whole day; times that do not parse are described in bad (the patrol
// still counts, as a whole day) rather than dropping the patrol.
func (s *Store) PatrolRecordsOf(ctx context.Context, owner string, from, to schedule.Date) (recs []schedule.PatrolRecord, bad []string, err error) {
	ps, err := list[Patrol](ctx, s, "WHERE deleted = 0 AND owner = ? AND date >= ? AND date <= ? ORDER BY date, start, id",
		owner, from.String(), to.String())
	if err != nil {
		return nil, nil, err
	}
	for _, p := range ps {
		d, err := schedule.ParseDate(p.Date)
		if err != nil {
			return nil, nil, fmt.Errorf("patrol %s: %w", p.ID, err)
		}
		r := schedule.PatrolRecord{ID: p.ID, TeamID: p.TeamID, RuleID: p.RuleID, Date: d}
		if p.Start != "" || p.End != "" {
			st, err1 := schedule.ParseClock(p.Start)
			en, err2 := schedule.ParseClock(p.End)
			if err1 != nil || err2 != nil {
				bad = append(bad, fmt.Sprintf("patrol %s on %s: times %q-%q do not read as HH:MM", p.ID, p.Date, p.Start, p.End))
			} else {
				r.Start, r.End = st, en
			}
		}
		recs = append(recs, r)
	}
	return recs, bad, nil
}

// PatrolFigures counts owner's patrols over from..to, never past today
// (schedule.Tally, per team and period): the one function the post's
// 巡逻排班, the station's screens and `cunjing station` count with. A roster
// record that does not convert and patrol times that do not read are
// Problems (every patrol is then ad hoc, or a whole-day patrol), not
// errors: the figures still stand, and say why they are low.
func (s *Store) PatrolFigures(ctx context.Context, owner string, from, to, today schedule.Date, period string) (schedule.Figures, error) {
	in, inErr := s.ScheduleInputOf(ctx, owner)
	if inErr != nil {
		if ctx.Err() != nil {
			return schedule.Figures{}, ctx.Err()
		}
		in = schedule.Input{Teams: in.Teams}
	}
	hi := to
	if today != 0 && hi > today {
		hi = today
	}
	var recs []schedule.PatrolRecord
	var bad []string
	if hi >= from {
		var err error
		if recs, bad, err = s.PatrolRecordsOf(ctx, owner, from, hi); err != nil {
			return schedule.Figures{}, fmt.Errorf("patrol figures: %w", err)
		}
	}
	f, err := schedule.Tally(in, recs, from, to, today, period)
	if err != nil {
		return f, err
	}
	if inErr != nil {
		f.Problems = append([]string{"roster: " + inErr.Error()}, f.Problems...)
	}
	f.Problems = append(f.Problems, bad...)
	return f, nil
}
