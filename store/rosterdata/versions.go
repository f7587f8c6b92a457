package rosterdata

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"cunjing/store"
	"cunjing/store/schedule"
	"cunjing/store/schedule/almanac"
)

// SaveKeepingPast saves roster records (shift rules, members, teams) as
// of today, keeping the past as it was: a rule whose people change — its
// own list, its Rotate or MinPeople, or, for a rule drawing on its whole
// team, the team's members — or whose days, hours, holiday policy, kind,
// team or start change, keeps what it was until yesterday as a version
// (schedule.Version), so the calendar, the duty tables and 完成情况 show
// the days before the edit as they were, and a rotation goes on where it
// was. A rule that begins today or later keeps no version: it has no
// past. today is the day the edit applies from: EditDayOf, not the PC's
// date alone.
//
// A member's leave edited keeps its days before today as they were
// (keepPastLeave): leave decides who stood and how a rotation's queue
// went, so clearing or moving it would change the past turns too. Their
// regular days off (固定休息) likewise change from today (keepPastOff).
//
// A member moved to another team who a team-wide rotation of their old
// team cannot do without (it would have fewer people than a turn) is
// refused as DeleteMember refuses: *NeededError with Move set.
func SaveKeepingPast(ctx context.Context, s *store.Store, today schedule.Date, recs ...store.Record) error {
	err := keepingPast(ctx, s, today, func(tx *store.Tx) error {
		for _, r := range recs {
			m, ok := r.(*store.Member)
			if !ok || m.ID == "" {
				continue
			}
			var was store.Member
			if err := tx.Get(&was, m.ID); errors.Is(err, store.ErrNotFound) {
				continue
			} else if err != nil {
				return fmt.Errorf("member %s: %w", m.Name, err)
			}
			if !was.Deleted {
				m.Leave = keepPastLeave(was.Leave, m.Leave, today)
				m.Off = keepPastOff(was.Off, m.Off, today)
			}
		}
		return tx.SaveAll(recs...)
	})
	var ne *NeededError
	if errors.As(err, &ne) && ne.Move {
		for _, r := range recs {
			if m, ok := r.(*store.Member); ok {
				ne.Member = m.Name
			}
		}
	}
	return err
}

// keepPastLeave is a member's leave edited from was to now on today: the
// days before today as was has them, today on as now has them. Leave that
// does not read is left as now has it, for the store to refuse.
//
// A leave kept past the end now types for it (shortened to a day before
// today) is kept as two ranges meeting there — the typed end, then the
// days kept —, the same days away: when today was a PC's clock run ahead,
// ConfirmToday drops the days kept from the confirmed today on
// (leaveFromWrongToday) and the leave ends on the day typed, which the
// one range kept to the wrong yesterday had lost. An end typed on
// yesterday itself, the day a cleared leave is cut to, is written as its
// own day in range form (typedEndMark: "…..D-2", "D-1..D-1"), so the
// record says it was typed, not cut.
func keepPastLeave(was, now []string, today schedule.Date) []string {
	old, err1 := schedule.ParseLeave(was)
	edited, err2 := schedule.ParseLeave(now)
	if err1 != nil || err2 != nil {
		return now
	}
	var rs []schedule.DateRange
	typedYesterday := false
	for _, r := range old {
		if r.From < today {
			kept := schedule.DateRange{From: r.From, To: min(r.To, today-1)}
			rs = append(rs, splitAtTypedEnds(kept, edited)...)
			typedYesterday = typedYesterday || kept.To == today-1 && typedEndOn(edited, today-1)
		}
	}
	for _, r := range edited {
		if r.To >= today {
			rs = append(rs, schedule.DateRange{From: max(r.From, today), To: r.To})
		}
	}
	slices.SortFunc(rs, func(a, b schedule.DateRange) int { return cmp.Compare(a.From, b.From) })
	out := make([]string, 0, len(rs)+1)
	for i, r := range rs {
		// A range cut at today and its edit going on from today are one.
		if i > 0 && rs[i-1].To == today-1 && r.From == today {
			rs[i].From = rs[i-1].From
			out = out[:len(out)-1]
		}
		if typedYesterday && rs[i].To == today-1 && (i == len(rs)-1 || rs[i+1].From != today) {
			out = append(out, typedEndMark(rs[i])...)
			continue
		}
		out = append(out, rs[i].String())
	}
	if slices.Equal(out, now) || len(out) == 0 && len(now) == 0 {
		return now
	}
	return out
}

// splitAtTypedEnds is kept, a range of leave kept as it was, cut after
// each day within it that a range of edited ends on.
func splitAtTypedEnds(kept schedule.DateRange, edited []schedule.DateRange) []schedule.DateRange {
	var ends []schedule.Date
	for _, e := range edited {
		if e.To >= kept.From && e.To < kept.To {
			ends = append(ends, e.To)
		}
	}
	slices.Sort(ends)
	var out []schedule.DateRange
	for _, end := range slices.Compact(ends) {
		out = append(out, schedule.DateRange{From: kept.From, To: end})
		kept.From = end + 1
	}
	return append(out, kept)
}

// typedEndOn says a range of edited ends on day.
func typedEndOn(edited []schedule.DateRange, day schedule.Date) bool {
	return slices.ContainsFunc(edited, func(e schedule.DateRange) bool { return e.To == day })
}

// typedEndMark writes r, a leave whose end was typed, with its last day
// on its own in range form ("2026-12-04..2026-12-04", which a single day
// is otherwise not written as: DateRange.String): the same days away,
// read alike by every version (store.Member's leave), and what
// leaveFromWrongToday tells from the cut of a cleared leave by
// (isTypedEnd).
func typedEndMark(r schedule.DateRange) []string {
	last := r.To.String() + ".." + r.To.String()
	if r.From == r.To {
		return []string{last}
	}
	return []string{schedule.DateRange{From: r.From, To: r.To - 1}.String(), last}
}

// isTypedEnd says s is the last day of a leave written by typedEndMark.
func isTypedEnd(s string) bool {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "..")
	return ok && from == to
}

// keepPastOff is a member's regular days off edited from was to now on
// today: the changes before today as was has them, the days now has in
// force today from today on (and any change now has after today). Days
// off that do not read are left as now has them, for the store to refuse.
func keepPastOff(was, now []string, today schedule.Date) []string {
	old, err1 := schedule.ParseWeekdaysOff(was)
	edited, err2 := schedule.ParseWeekdaysOff(now)
	if err1 != nil || err2 != nil {
		return now
	}
	out := almanac.KeepPastWeekdaysOff(old, almanac.OffOn(edited, today), today)
	for _, w := range edited {
		if w.From > today {
			out = append(out, w)
		}
	}
	if kept := almanac.FormatWeekdaysOff(out); !slices.Equal(kept, now) && (len(kept) > 0 || len(now) > 0) {
		return kept
	}
	return now
}

// DeleteKeepingPast deletes a roster record (a member leaving a team) as
// SaveKeepingPast saves: the rules they stood on keep them on the days
// before today.
func DeleteKeepingPast(ctx context.Context, s *store.Store, today schedule.Date, rec store.Record, id string) error {
	return keepingPast(ctx, s, today, func(tx *store.Tx) error { return tx.Delete(rec, id) })
}

func keepingPast(ctx context.Context, s *store.Store, today schedule.Date, write func(*store.Tx) error) error {
	if err := almanac.CheckRange(today); err != nil {
		return fmt.Errorf("roster: today: %w", err)
	}
	return s.Update(ctx, func(tx *store.Tx) error {
		before, err := crewsTx(tx)
		if err != nil {
			return err
		}
		if err := write(tx); err != nil {
			return err
		}
		after, err := crewsTx(tx)
		if err != nil {
			return err
		}
		// A team-wide rotation the write left short of a turn (a member
		// moved to another team) would fail the whole roster.
		var short []string
		for id, now := range after {
			was, ok := before[id]
			// (A rule edited itself — its team or its turn — is the
			// rule form's to check.)
			if ok && !was.same(now) && now.rule.Owner == s.DeviceID() && len(now.rule.People) == 0 && !RuleEnded(now.rule, today) &&
				was.rule.TeamID == now.rule.TeamID && was.rotate == now.rotate &&
				now.rotate > int64(len(now.people)) && was.rotate <= int64(len(was.people)) {
				short = append(short, now.rule.Name)
			}
		}
		if len(short) > 0 {
			slices.Sort(short)
			return &NeededError{Rules: short, Move: true}
		}
		for id, now := range after {
			was, ok := before[id]
			if !ok || was.same(now) || now.rule.Owner != s.DeviceID() {
				continue // new, unchanged, or another device's (a post's rule at its station)
			}
			r := now.rule
			keep, err := addPastVersion(&r, was, today)
			if err != nil {
				return err
			}
			if !keep {
				continue
			}
			if err := tx.Save(&r); err != nil {
				return fmt.Errorf("rule %s: keep who stood before %s: %w", r.Name, today, err)
			}
		}
		return nil
	})
}

// crew is who a stored rule puts on duty: its people resolved (its whole
// team's members, in the roster's order, when it lists none) with their
// names, and its Rotate and MinPeople; on which days and hours; and the
// rule as stored (its kind, team and start: same compares them too).
type crew struct {
	rule      store.ShiftRule
	people    []string
	names     []string
	rotate    int64
	minPeople int64
	hours     ruleHours
}

func (c crew) same(o crew) bool {
	return slices.Equal(c.people, o.people) && c.rotate == o.rotate && c.minPeople == o.minPeople && c.hours.key == o.hours.key &&
		c.rule.Kind == o.rule.Kind && c.rule.TeamID == o.rule.TeamID && c.rule.ValidFrom == o.rule.ValidFrom
}

// ruleHours are a stored rule's days, hours and holiday policy: key
// compares them (the words typed and the order of the hours aside), spec,
// windows and holidays are them read (nil when they do not read).
type ruleHours struct {
	key      string
	spec     *schedule.Spec
	windows  []schedule.Window
	holidays *string
}

func hoursOf(r store.ShiftRule) ruleHours {
	h := ruleHours{key: r.Spec + "|" + r.Windows + "|" + r.Holidays}
	var sp schedule.Spec
	ws, err := schedule.ParseWindows(r.Windows)
	hp, err2 := schedule.ParseHolidayPolicy(r.Holidays, r.Kind)
	if json.Unmarshal([]byte(r.Spec), &sp) != nil || err != nil || err2 != nil {
		return h
	}
	slices.SortFunc(ws, func(a, b schedule.Window) int { return int(a.Start) - int(b.Start) })
	h.spec, h.windows, h.holidays = &sp, ws, &hp
	words := sp
	words.Text = ""
	b, err := json.Marshal(words.Normalized())
	if err == nil {
		h.key = fmt.Sprint(string(b), ws, hp)
	}
	return h
}

// crewsTx reads every live rule's crew inside tx, by rule ID. Members are
// in the order ScheduleInput gives them (team, name, id), the order a
// rule without a list takes its team in.
func crewsTx(tx *store.Tx) (map[string]crew, error) {
	members, err := store.LiveTx[store.Member](tx, "ORDER BY team_id, name, id")
	if err != nil {
		return nil, fmt.Errorf("roster: members: %w", err)
	}
	rules, err := store.LiveTx[store.ShiftRule](tx, "ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("roster: rules: %w", err)
	}
	name := map[string]string{}
	for _, m := range members {
		name[m.ID] = m.Name
	}
	out := make(map[string]crew, len(rules))
	for _, r := range rules {
		c := crew{rule: r, rotate: r.Rotate, minPeople: r.MinPeople, hours: hoursOf(r)}
		if len(r.People) > 0 {
			c.people = slices.Clone(r.People)
		} else {
			for _, m := range members {
				if m.TeamID == r.TeamID {
					c.people = append(c.people, m.ID)
				}
			}
		}
		for _, p := range c.people {
			c.names = append(c.names, name[p])
		}
		out[r.ID] = c
	}
	return out, nil
}

// addPastVersion adds to r (as edited) the version that keeps was (its
// crew, days, hours, holiday policy, kind, team and start before the
// edit) until the day before today, and reports whether there was a past
// to keep: the rule began before today and no version already ends
// yesterday (a second edit the same day changes only today on). A version
// ending today or later (kept while the clock ran ahead) is cut back to
// yesterday, and those after it dropped. A version keeps each of days,
// hours, holiday policy, kind, team and start only when the edit changed
// it (a version without one has that of the one after it, or the
// rule's).
//
// A start moved later keeps the days already planned (the version keeps
// the start it had; from today the rule waits for its new start); one
// moved before the rule's first day adds the days before it
// (extendStart).
func addPastVersion(r *store.ShiftRule, was crew, today schedule.Date) (bool, error) {
	first, err := FirstDay(was.rule)
	if err != nil {
		return false, err
	}
	if first >= today {
		return false, nil // it has not begun: no past
	}
	if len(was.people) == 0 {
		return false, nil // nobody stood: nothing to keep
	}
	vs, err := versionsOf(*r)
	if err != nil {
		return false, err
	}
	// Days a start moved earlier added today are the first edit's: a
	// second edit the same day changes what it did, so they go before
	// this edit adds its own (a start typed a year too early and put
	// right the same day left a year of turns planned and never done).
	vs, first, undone := undoAdded(vs, first, today)
	wasFrom, err := startOf(was.rule)
	if err != nil {
		return false, err
	}
	nowFrom, err := startOf(*r)
	if err != nil {
		return false, err
	}
	until := today - 1
	now := hoursOf(*r)
	// A version reaching today or later was kept by an edit made while
	// the PC's clock ran ahead: the crew it keeps stood only up to
	// yesterday (the edit being saved applies from today on), and the
	// versions after it stood on no day yet.
	if k := slices.IndexFunc(vs, func(v schedule.Version) bool { return v.Until >= until }); k >= 0 {
		changed := undone || vs[k].Until > until || len(vs) > k+1
		// What it stood with (its own, the next version's, or the
		// rule's before the edit), kept if it is not the rule's now.
		sp, ws, hp := was.hours.spec, was.hours.windows, was.hours.holidays
		kind, team, from := was.rule.Kind, was.rule.TeamID, &wasFrom
		for _, v := range slices.Backward(vs[k:]) {
			sp, hp, from = cmp.Or(v.Spec, sp), cmp.Or(v.Holidays, hp), cmp.Or(v.From, from)
			kind, team = cmp.Or(v.Kind, kind), cmp.Or(v.TeamID, team)
			if v.Windows != nil {
				ws = v.Windows
			}
		}
		later := len(vs) > k+1
		pin := later || was.hours.key != now.key
		vs[k].Until, vs = until, vs[:k+1]
		if vs[k].Spec == nil && sp != nil && pin {
			vs[k].Spec, changed = sp, true
		}
		if vs[k].Windows == nil && ws != nil && pin {
			vs[k].Windows, changed = ws, true
		}
		if vs[k].Holidays == nil && hp != nil && pin {
			vs[k].Holidays, changed = hp, true
		}
		if vs[k].Kind == "" && (later || kind != r.Kind) {
			vs[k].Kind, changed = kind, true
		}
		if vs[k].TeamID == "" && (later || team != r.TeamID) {
			vs[k].TeamID, changed = team, true
		}
		if vs[k].From == nil && (later || *from != nowFrom) {
			vs[k].From, changed = from, true
		}
		var ext bool
		if vs, ext = extendStart(vs, first, nowFrom, today); ext {
			changed = true
		}
		if !changed {
			return false, nil // a second edit the same day: the first kept the past
		}
		return true, setVersions(r, vs)
	}
	// A crew left short of its turn (a move merged from another copy)
	// stood everyone it had; kept as it was, the version would fail the
	// rule for good, the edit mending it included.
	rotate := min(was.rotate, int64(len(was.people)))
	v := schedule.Version{Until: until, People: was.people, Names: was.names, Rotate: int(rotate), MinPeople: int(was.minPeople), Team: len(was.rule.People) == 0}
	if was.hours.key != now.key {
		v.Spec, v.Windows, v.Holidays = was.hours.spec, was.hours.windows, was.hours.holidays
	}
	if was.rule.Kind != r.Kind {
		v.Kind = was.rule.Kind
	}
	if was.rule.TeamID != r.TeamID {
		v.TeamID = was.rule.TeamID
	}
	if wasFrom != nowFrom {
		v.From = &wasFrom
	}
	vs, _ = extendStart(append(vs, v), first, nowFrom, today)
	return true, setVersions(r, vs)
}

// extendStart adds to vs the days a start moved earlier than the rule's
// first day gives it: a version before the first, of its crew, from the
// new start to the day before the old, and the first starts its turns
// again on its first day (Version.Fresh), so the turns added move none of
// those after. It reports whether it added one. (A first version that
// stood on no day, ending before the rule's first, is left as it is.)
// The version added says it was added today (Version.Added: undoAdded).
// A start cleared (0: none) is not one moved earlier: it applies from
// today like a start moved later, the days before the first staying
// without turns (it added every day back to no day at all).
func extendStart(vs []schedule.Version, first, start, today schedule.Date) ([]schedule.Version, bool) {
	if first == 0 || start == 0 || start >= first || len(vs) == 0 || vs[0].Until < first {
		return vs, false
	}
	ext := vs[0]
	ext.Until, ext.From, ext.Fresh, ext.Added = first-1, &start, false, today
	vs = slices.Insert(vs, 0, ext)
	vs[1].Fresh = vs[1].Rotate > 0
	return vs, true
}

// undoAdded takes out of vs the versions an edit made today added before
// the rule's first day (extendStart), and gives the first day as it was
// before them (the day after the last of them) and whether it took one:
// the version after them starts its turns where it did before (Fresh was
// theirs).
func undoAdded(vs []schedule.Version, first, today schedule.Date) ([]schedule.Version, schedule.Date, bool) {
	m := 0
	for m < len(vs) && vs[m].Added == today {
		m++
	}
	if m == 0 {
		return vs, first, false
	}
	first = vs[m-1].Until + 1
	vs = vs[m:]
	if len(vs) > 0 {
		vs[0].Fresh = false
	}
	return vs, first, true
}

// versionsOf reads a stored rule's versions.
func versionsOf(r store.ShiftRule) ([]schedule.Version, error) {
	var vs []schedule.Version
	if r.Versions != "" {
		if err := json.Unmarshal([]byte(r.Versions), &vs); err != nil {
			return nil, fmt.Errorf("rule %s: earlier versions: %w", r.Name, err)
		}
	}
	return vs, nil
}

// startOf is a stored rule's own start (0: none).
func startOf(r store.ShiftRule) (schedule.Date, error) {
	if r.ValidFrom == "" {
		return 0, nil
	}
	d, err := schedule.ParseDate(r.ValidFrom)
	if err != nil {
		return 0, fmt.Errorf("rule %s: valid_from: %w", r.Name, err)
	}
	return d, nil
}

// FirstDay is the first day a stored rule plans (0: no start): its own
// start, or an earlier one a version keeps (a start moved later keeps
// the days already planned).
func FirstDay(r store.ShiftRule) (schedule.Date, error) {
	first, err := startOf(r)
	if err != nil {
		return 0, err
	}
	vs, err := versionsOf(r)
	if err != nil {
		return 0, err
	}
	for _, v := range vs {
		if v.From != nil {
			first = min(first, *v.From)
		}
	}
	return first, nil
}

// setVersions stores vs as r's versions.
func setVersions(r *store.ShiftRule, vs []schedule.Version) error {
	b, err := json.Marshal(vs)
	if err != nil {
		return fmt.Errorf("rule %s: earlier versions: %w", r.Name, err)
	}
	r.Versions = string(b)
	return nil
}

// exceptionSpec is x as a ShiftException's spec, as the window writes
// it: the record holds the ID and the name, not its spec.
func exceptionSpec(x schedule.Exception) (string, error) {
	b, err := json.Marshal(x)
	var m map[string]json.RawMessage
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	delete(m, "id")
	delete(m, "name")
	if err == nil {
		b, err = json.Marshal(m)
	}
	return string(b), err
}

// dropRuleFromExceptions takes rule id, deleted, out of the exceptions
// of owner that name it: one for that rule alone goes with it (left
// naming no rule it would touch every rule), one for others too stays for
// them. An exception naming a rule that is gone fails the whole roster.
func dropRuleFromExceptions(tx *store.Tx, owner, id string) error {
	excs, err := store.LiveTx[store.ShiftException](tx, "AND owner = ? ORDER BY id", owner)
	if err != nil {
		return fmt.Errorf("roster: exceptions: %w", err)
	}
	for _, e := range excs {
		var x schedule.Exception
		if json.Unmarshal([]byte(e.Spec), &x) != nil || !slices.Contains(x.Rules, id) {
			continue
		}
		x.Rules = slices.DeleteFunc(x.Rules, func(r string) bool { return r == id })
		if len(x.Rules) == 0 {
			if err := tx.Delete(&store.ShiftException{}, e.ID); err != nil {
				return fmt.Errorf("exception %s: %w", e.Name, err)
			}
			continue
		}
		if e.Spec, err = exceptionSpec(x); err != nil {
			return fmt.Errorf("exception %s: %w", e.Name, err)
		}
		if err := tx.Save(&e); err != nil {
			return fmt.Errorf("exception %s: %w", e.Name, err)
		}
	}
	return nil
}

// NeededError refuses to delete a member or a team a rule still needs: the
// last person a rule lists, one its rotation cannot do without, or the
// team rules draw on. Rule names the rules (at least one).
type NeededError struct {
	Member string   // the member's name ("" for a team)
	Team   string   // the team's name ("" for a member)
	Rules  []string // the rules that need them, by name
	// Move says the member was being moved to another team (not deleted):
	// the team-wide rotations of their old team could not fill a turn.
	Move bool
}

func (e *NeededError) Error() string {
	if e.Team != "" {
		return fmt.Sprintf("team %s is still drawn on by rules %v", e.Team, e.Rules)
	}
	return fmt.Sprintf("member %s is still needed by rules %v", e.Member, e.Rules)
}

// DeleteMember deletes a member who left, keeping the past as
// DeleteKeepingPast does: every rule of this post that lists them lists
// them no more from today (its earlier crew, with them, is kept as a
// version), and their swaps and stand-ins end yesterday
// (endExceptionsOf); a rule that ended before today keeps them on its
// days. A rule that would be left with nobody, or with fewer people than
// its rotation puts on a turn, refuses the deletion (*NeededError): the
// officer changes that rule first.
func DeleteMember(ctx context.Context, s *store.Store, today schedule.Date, id string) error {
	return keepingPast(ctx, s, today, func(tx *store.Tx) error {
		var m store.Member
		if err := getLive(tx, &m, "member", id); err != nil {
			return err
		}
		needed, err := deleteMemberTx(tx, m, today)
		if err != nil {
			return err
		}
		if len(needed) > 0 {
			return &NeededError{Member: m.Name, Rules: needed}
		}
		return nil
	})
}

// deleteMemberTx deletes member m inside tx as DeleteMember does, or
// deletes nothing and names the rules that still need them.
func deleteMemberTx(tx *store.Tx, m store.Member, today schedule.Date) (needed []string, err error) {
	id := m.ID
	rules, err := store.LiveTx[store.ShiftRule](tx, "AND owner = ? ORDER BY name, id", m.Owner)
	if err != nil {
		return nil, fmt.Errorf("roster: rules: %w", err)
	}
	team, err := store.LiveTx[store.Member](tx, "AND team_id = ? AND id != ?", m.TeamID, id)
	if err != nil {
		return nil, fmt.Errorf("roster: members: %w", err)
	}
	var edited []store.ShiftRule
	var crews map[string]crew
	for _, r := range rules {
		if RuleEnded(r, today) {
			// It plans no day from today: nothing needs them. A rule
			// listing them keeps its crew with them, to the day it
			// ended, as a version (its own list then stands on no
			// day); a team-wide one is versioned as the team changes.
			if !slices.Contains(r.People, id) {
				continue
			}
			if crews == nil {
				if crews, err = crewsTx(tx); err != nil {
					return nil, err
				}
			}
			if keep, err := addPastVersion(&r, crews[r.ID], today); err != nil {
				return nil, err
			} else if keep {
				edited = append(edited, r)
			}
			continue
		}
		if len(r.People) == 0 && r.TeamID == m.TeamID && int64(len(team)) < r.Rotate {
			needed = append(needed, r.Name) // the team's turns need them
			continue
		}
		if !slices.Contains(r.People, id) {
			continue
		}
		rest := slices.DeleteFunc(slices.Clone(r.People), func(p string) bool { return p == id })
		if len(rest) == 0 || int64(len(rest)) < r.Rotate {
			needed = append(needed, r.Name)
			continue
		}
		r.People = rest
		edited = append(edited, r)
	}
	if len(needed) > 0 {
		return needed, nil
	}
	for i := range edited {
		if err := tx.Save(&edited[i]); err != nil {
			return nil, fmt.Errorf("rule %s: %w", edited[i].Name, err)
		}
	}
	if err := endExceptionsOf(tx, m.Owner, id, today); err != nil {
		return nil, err
	}
	return nil, tx.Delete(&store.Member{}, id)
}

// endExceptionsOf ends on yesterday the swaps and stand-ins (Replace
// exceptions of owner) that name member id, who leaves today: one wholly
// from today on goes, one running over today keeps its days before. So
// the member stands on no day after they left (the schedule knows them by
// their last name, and would put them on those days), and whoever the
// rule puts on those days stands.
func endExceptionsOf(tx *store.Tx, owner, id string, today schedule.Date) error {
	excs, err := store.LiveTx[store.ShiftException](tx, "AND owner = ? ORDER BY id", owner)
	if err != nil {
		return fmt.Errorf("roster: exceptions: %w", err)
	}
	for _, e := range excs {
		var x schedule.Exception
		if json.Unmarshal([]byte(e.Spec), &x) != nil || x.Action != schedule.Replace || x.Dates == nil ||
			x.Person != id && x.Substitute != id || x.Dates.To < today {
			continue // not theirs, or over before today
		}
		if x.Dates.From >= today {
			if err := tx.Delete(&store.ShiftException{}, e.ID); err != nil {
				return fmt.Errorf("exception %s: %w", e.Name, err)
			}
			continue
		}
		x.Dates.To = today - 1
		if e.Spec, err = exceptionSpec(x); err != nil {
			return fmt.Errorf("exception %s: %w", e.Name, err)
		}
		if err := tx.Save(&e); err != nil {
			return fmt.Errorf("exception %s: end it yesterday: %w", e.Name, err)
		}
	}
	return nil
}

// DeleteTeam deletes a team and its members together, so no member is
// left in a team that is gone; each member goes as DeleteMember deletes
// them (a rule of another team listing them goes on without them from
// today). A team a rule in force or still to come draws on, or whose
// member a rule of another team cannot do without, is refused
// (*NeededError): those rules would have nobody to put on duty. A rule
// that ended before today needs it no more: it keeps drawing on it, and
// its past turns stand under the team's last name and with who stood
// (schedule.Input.FormerTeams, and its crew kept as a version).
func DeleteTeam(ctx context.Context, s *store.Store, today schedule.Date, id string) error {
	return keepingPast(ctx, s, today, func(tx *store.Tx) error {
		var team store.Team
		if err := getLive(tx, &team, "team", id); err != nil {
			return err
		}
		rules, err := store.LiveTx[store.ShiftRule](tx, "AND team_id = ? ORDER BY name, id", id)
		if err != nil {
			return fmt.Errorf("roster: rules: %w", err)
		}
		if rules = slices.DeleteFunc(rules, func(r store.ShiftRule) bool { return RuleEnded(r, today) }); len(rules) > 0 {
			e := &NeededError{Team: team.Name}
			for _, r := range rules {
				e.Rules = append(e.Rules, r.Name)
			}
			return e
		}
		ms, err := store.LiveTx[store.Member](tx, "AND team_id = ?", id)
		if err != nil {
			return fmt.Errorf("roster: members: %w", err)
		}
		// Each member as DeleteMember deletes them: rules of other teams
		// listing them go on without them, their swaps end.
		var needed []string
		for _, m := range ms {
			n, err := deleteMemberTx(tx, m, today)
			if err != nil {
				return fmt.Errorf("delete member %s: %w", m.Name, err)
			}
			for _, r := range n {
				if !slices.Contains(needed, r) {
					needed = append(needed, r)
				}
			}
		}
		if len(needed) > 0 {
			return &NeededError{Team: team.Name, Rules: needed}
		}
		return tx.Delete(&store.Team{}, id)
	})
}

// DeleteRule takes a rule off the roster from today. A rule that has
// run before today ends yesterday instead of going (ended: its ValidTo is
// set), so the calendar, the duty tables and the months' figures keep the
// days it planned — a 护学岗 rule deleted at the end of a term would
// otherwise take the whole term's planned turns out of 完成情况 and the
// month report. A rule that has not begun, or ended before today, is
// deleted (a tombstone): the officer asked for it to go.
func DeleteRule(ctx context.Context, s *store.Store, today schedule.Date, id string) (ended bool, err error) {
	if err := almanac.CheckRange(today); err != nil {
		return false, fmt.Errorf("roster: today: %w", err)
	}
	err = s.Update(ctx, func(tx *store.Tx) error {
		var r store.ShiftRule
		if err := getLive(tx, &r, "rule", id); err != nil {
			return err
		}
		if RuleEnded(r, today) || !RuleBegan(r, today) {
			if err := dropRuleFromExceptions(tx, r.Owner, id); err != nil {
				return err
			}
			return tx.Delete(&store.ShiftRule{}, id)
		}
		if err := endRule(&r, today); err != nil {
			return err
		}
		ended = true
		if err := tx.Save(&r); err != nil {
			return fmt.Errorf("rule %s: end it yesterday: %w", r.Name, err)
		}
		return nil
	})
	return ended, err
}

// endRule ends r, which began before today, on yesterday. One whose own
// start is still to come (a start moved later: its days so far are all
// in versions) ends with its last version, its own start put there too
// (the versions that took it keep it), so its own crew stands on no day.
func endRule(r *store.ShiftRule, today schedule.Date) error {
	from, err := startOf(*r)
	if err != nil {
		return err
	}
	end := today - 1
	if from > end {
		vs, err := versionsOf(*r)
		if err != nil || len(vs) == 0 {
			return fmt.Errorf("rule %s: its start %s is to come, and no version kept its past: %w", r.Name, r.ValidFrom, err)
		}
		for i := len(vs) - 1; i >= 0 && vs[i].From == nil; i-- {
			vs[i].From = &from
		}
		end = vs[len(vs)-1].Until
		r.ValidFrom = end.String()
		if err := setVersions(r, vs); err != nil {
			return err
		}
	}
	r.ValidTo = end.String()
	return nil
}

// RuleEnded says whether a rule's last day is before today (it plans no
// day from today on); one whose end date does not read has not ended.
func RuleEnded(r store.ShiftRule, today schedule.Date) bool {
	if r.ValidTo == "" {
		return false
	}
	to, err := schedule.ParseDate(r.ValidTo)
	return err == nil && to < today
}

// RuleBegan says whether a rule planned days before today (no start date:
// it always did), a start a version keeps included (FirstDay).
func RuleBegan(r store.ShiftRule, today schedule.Date) bool {
	first, err := FirstDay(r)
	return err == nil && first < today
}

// getLive reads the live record id into rec inside tx (store.Tx.Get); a
// deleted one is store.ErrNotFound, as one that is not there.
func getLive(tx *store.Tx, rec store.Record, what, id string) error {
	if err := tx.Get(rec, id); err != nil {
		return fmt.Errorf("roster: %s %s: %w", what, id, err)
	}
	if rec.RecordMeta().Deleted {
		return fmt.Errorf("roster: %s %s: %w", what, id, store.ErrNotFound)
	}
	return nil
}
