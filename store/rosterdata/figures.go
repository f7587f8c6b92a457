package rosterdata

// One owner's roster and patrol log for the township station, which holds
// every post's teams, rules and patrols side by side (package sync/station
// compares planned with done per post); the conversions mirror
// ScheduleInput, filtered by owner.

import (
	"context"
	"encoding/json"
	"fmt"

	"cunjing/store"
	"cunjing/store/record"
	"cunjing/store/schedule"
	"cunjing/store/schedule/tally"
)

// ScheduleInputOf is ScheduleInput restricted to the roster records owned
// by owner.
func ScheduleInputOf(ctx context.Context, s *store.Store, owner string) (schedule.Input, error) {
	ins, errs, err := scheduleInputs(ctx, s, "owner = ?", owner)
	if err != nil {
		return schedule.Input{}, err
	}
	return ins[owner], errs[owner]
}

// scheduleInputs reads the roster records matching cond (owner = ?, or
// every owner) once, table by table, and builds each owner's
// schedule.Input. A record that does not convert spoils only its owner's
// input (errs[owner], with the teams read so far); err is for the
// database.
func scheduleInputs(ctx context.Context, s *store.Store, cond string, args ...any) (ins map[string]schedule.Input, errs map[string]error, err error) {
	ins, errs = map[string]schedule.Input{}, map[string]error{}
	ofOwners := "AND " + cond + " "
	fail := func(owner string, e error) {
		if errs[owner] == nil {
			errs[owner] = e
		}
	}
	teams, err := store.Live[store.Team](ctx, s, ofOwners+"ORDER BY name, id", args...)
	if err != nil {
		return nil, nil, err
	}
	for _, t := range teams {
		in := ins[t.Owner]
		in.Teams = append(in.Teams, schedule.Team{ID: t.ID, Name: t.Name})
		ins[t.Owner] = in
	}
	members, err := store.Live[store.Member](ctx, s, ofOwners+"ORDER BY team_id, name, id", args...)
	if err != nil {
		return nil, nil, err
	}
	for _, m := range members {
		sm, err := ScheduleMember(m)
		if err != nil {
			fail(m.Owner, err)
			continue
		}
		in := ins[m.Owner]
		in.Members = append(in.Members, sm)
		ins[m.Owner] = in
	}
	former, err := formerMembers(ctx, s, ofOwners, args...)
	if err != nil {
		return nil, nil, err
	}
	for owner, ms := range former {
		in := ins[owner]
		in.Former = ms
		ins[owner] = in
	}
	formerTeams, err := formerTeamsOf(ctx, s, ofOwners, args...)
	if err != nil {
		return nil, nil, err
	}
	for owner, ts := range formerTeams {
		in := ins[owner]
		in.FormerTeams = ts
		ins[owner] = in
	}
	rules, err := store.Live[store.ShiftRule](ctx, s, ofOwners+"ORDER BY team_id, name, id", args...)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range rules {
		rule, err := ScheduleRule(r)
		if err != nil {
			fail(r.Owner, err)
			continue
		}
		in := ins[r.Owner]
		in.Rules = append(in.Rules, rule)
		ins[r.Owner] = in
	}
	excs, err := store.Live[store.ShiftException](ctx, s, ofOwners+"ORDER BY name, id", args...)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range excs {
		var x schedule.Exception
		if err := json.Unmarshal([]byte(e.Spec), &x); err != nil {
			fail(e.Owner, fmt.Errorf("exception %s: %w", e.Name, err))
			continue
		}
		x.ID, x.Name = e.ID, e.Name
		in := ins[e.Owner]
		in.Exceptions = append(in.Exceptions, x)
		ins[e.Owner] = in
	}
	// Holidays: each owner's own and the station's (HolidayCalendarOf),
	// read once.
	hs, err := store.Live[store.Holiday](ctx, s, `AND (`+cond+` OR owner IN
		(SELECT id FROM posts WHERE role IN (?, ?) AND `+record.LiveSQL("")+`)) ORDER BY date_from, kind, name, id`, append(append([]any{}, args...), store.RoleStation, store.RoleCounty)...)
	if err != nil {
		return nil, nil, err
	}
	stations := map[string]bool{}
	if len(hs) > 0 {
		ps, err := store.Live[store.Post](ctx, s, "AND role IN (?, ?)", store.RoleStation, store.RoleCounty)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range ps {
			stations[p.ID] = true
		}
	}
	owners := map[string]bool{}
	for o := range ins {
		owners[o] = true
	}
	for o := range errs {
		owners[o] = true
	}
	for _, h := range hs {
		if !stations[h.Owner] {
			owners[h.Owner] = true
		}
	}
	if len(args) == 1 {
		if o, ok := args[0].(string); ok {
			owners[o] = true
		}
	}
	for o := range owners {
		var mine []store.Holiday
		for _, h := range hs {
			if h.Owner == o || stations[h.Owner] {
				mine = append(mine, h)
			}
		}
		es, err := holidayEntries(mine, stations)
		if err != nil {
			fail(o, err)
			continue
		}
		cal := calendarOf(es)
		in := ins[o]
		in.Holidays = cal
		ins[o] = in
	}
	return ins, errs, nil
}

// PatrolRecordsOf returns owner's live patrols dated from..to inclusive,
// reduced to what compliance needs. A patrol logged without times covers
// its whole day; times that do not parse are described in bad (the patrol
// still counts, as a whole day) rather than dropping the patrol.
func PatrolRecordsOf(ctx context.Context, s *store.Store, owner string, from, to schedule.Date) (recs []tally.PatrolRecord, bad []string, err error) {
	all, err := patrolRecords(ctx, s, from, to, "owner = ?", owner)
	if err != nil {
		return nil, nil, err
	}
	return all[owner].recs, all[owner].bad, nil
}

type ownerPatrols struct {
	recs []tally.PatrolRecord
	bad  []string
}

// patrolRecords reads the live patrols dated from..to of the owners cond
// matches, once, grouped by owner (see PatrolRecordsOf).
func patrolRecords(ctx context.Context, s *store.Store, from, to schedule.Date, cond string, args ...any) (map[string]ownerPatrols, error) {
	ps, err := store.Live[store.Patrol](ctx, s, "AND date >= ? AND date <= ? AND "+cond+" ORDER BY date, start, id",
		append([]any{from.String(), to.String()}, args...)...)
	if err != nil {
		return nil, err
	}
	out := map[string]ownerPatrols{}
	for _, p := range ps {
		d, err := schedule.ParseDate(p.Date)
		if err != nil {
			return nil, fmt.Errorf("patrol %s: %w", p.ID, err)
		}
		o := out[p.Owner]
		r := tally.PatrolRecord{ID: p.ID, TeamID: p.TeamID, RuleID: p.RuleID, Date: d}
		if p.Start != "" || p.End != "" {
			st, err1 := schedule.ParseClock(p.Start)
			en, err2 := schedule.ParseClock(p.End)
			if err1 != nil || err2 != nil {
				o.bad = append(o.bad, fmt.Sprintf("patrol %s on %s: times %q-%q do not read as HH:MM", p.ID, p.Date, p.Start, p.End))
			} else {
				r.Start, r.End = st, en
			}
		}
		o.recs = append(o.recs, r)
		out[p.Owner] = o
	}
	return out, nil
}

// PatrolFigures counts owner's patrols over from..to, never past what is
// due (tally.Tally, per team and period; tally.DueAt(now): today's turns
// to come are not counted yet): the one function the post's
// 巡逻排班, the station's screens, `cunjing station` and the monthly report
// count with. A roster record that does not convert and patrol times that
// do not read are Problems (every patrol is then ad hoc, or a whole-day
// patrol), not errors: the figures still stand, and say why they are low.
func PatrolFigures(ctx context.Context, s *store.Store, owner string, from, to schedule.Date, due tally.Due, period string) (tally.Figures, error) {
	all, err := patrolFigures(ctx, s, []string{owner}, from, to, due, period, "owner = ?", owner)
	if err != nil {
		return tally.Figures{}, err
	}
	return all[owner], nil
}

// PatrolFiguresOf is PatrolFigures for each of owners, read in one pass:
// each roster table and the patrol log once for all of them, one lunar
// table for every expansion (a station counting 100 posts asked 600
// queries and built 100 lunar tables).
func PatrolFiguresOf(ctx context.Context, s *store.Store, owners []string, from, to schedule.Date, due tally.Due, period string) (map[string]tally.Figures, error) {
	return patrolFigures(ctx, s, owners, from, to, due, period, "1")
}

func patrolFigures(ctx context.Context, s *store.Store, owners []string, from, to schedule.Date, due tally.Due, period, cond string, args ...any) (map[string]tally.Figures, error) {
	ins, inErrs, err := scheduleInputs(ctx, s, cond, args...)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("patrol figures: %w", err)
	}
	hi := to
	if due.Day != 0 && hi > due.Day {
		hi = due.Day
	}
	patrols := map[string]ownerPatrols{}
	var lunar *schedule.LunarTable
	if hi >= from {
		if patrols, err = patrolRecords(ctx, s, from, hi, cond, args...); err != nil {
			return nil, fmt.Errorf("patrol figures: %w", err)
		}
		if len(owners) > 1 {
			// Shared by the expansions that fit in it; one that does
			// not (a bad range, a rotation from long ago) builds its own.
			lunar, _ = schedule.NewLunarTable(from, hi)
		}
	}
	out := make(map[string]tally.Figures, len(owners))
	for _, owner := range owners {
		in, inErr := ins[owner], inErrs[owner]
		if inErr != nil {
			in = schedule.Input{Teams: in.Teams}
		}
		in.Lunar = lunar
		f, err := tally.Tally(in, patrols[owner].recs, from, to, due, period)
		if err != nil {
			return nil, err
		}
		if inErr != nil {
			f.Problems = append([]string{tally.RosterProblem + inErr.Error()}, f.Problems...)
		}
		f.Problems = append(f.Problems, patrols[owner].bad...)
		out[owner] = f
	}
	return out, nil
}
