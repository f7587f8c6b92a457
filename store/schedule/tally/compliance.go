package tally

import (
	"cmp"
	"fmt"
	"slices"

	"cunjing/store/schedule"
	"cunjing/store/schedule/almanac"
)

// PatrolRecord is what the patrol log holds about one patrol, reduced to
// what compliance needs.
type PatrolRecord struct {
	ID     string         `json:"id"`
	TeamID string         `json:"team_id"`
	RuleID string         `json:"rule_id,omitempty"` // the planned slot's rule; empty for an ad hoc patrol
	Date   schedule.Date  `json:"date"`
	Start  schedule.Clock `json:"start"`
	End    schedule.Clock `json:"end"`
}

// Compliance periods.
const (
	ByWeek  = "week"  // ISO weeks, Monday first: "2026-W49"
	ByMonth = "month" // "2026-12"
)

// ComplianceRow is planned versus done for one team in one period.
type ComplianceRow struct {
	TeamID string        `json:"team_id"`
	Team   string        `json:"team"`
	Period string        `json:"period"`
	From   schedule.Date `json:"from"`
	To     schedule.Date `json:"to"`
	Count
}

// Compliance matches patrol records to planned slots (Match) and counts
// per team and period. Pass the planned slots and records of the same date
// range, and only the kinds of slot that are patrols (Logged): Tally does
// both and is what every screen and report counts with.
func Compliance(planned []schedule.Slot, records []PatrolRecord, teams []schedule.Team, period string) ([]ComplianceRow, error) {
	if period != ByWeek && period != ByMonth {
		return nil, fmt.Errorf("compliance period %q: want %q or %q", period, ByWeek, ByMonth)
	}
	done, answered, err := Match(planned, records)
	if err != nil {
		return nil, err
	}
	return complianceRows(planned, records, done, answered, teams, period), nil
}

// Match pairs patrol records with planned slots: a record answers at most
// one slot and a slot at most one record. First a record naming a rule
// takes that rule's slot on its date whose start is nearest its own; then
// an ad hoc record of the same team takes a slot whose hours it overlaps
// (someone forgot to pick the slot when logging) — of its own date first,
// then of the day before (a slot that runs past midnight: a night patrol
// logged at 01:00 belongs to the evening before) and the day after. done[i]
// says slot i is answered, answered[j] that record j answers one.
func Match(planned []schedule.Slot, records []PatrolRecord) (done, answered []bool, err error) {
	type key struct {
		rule string
		date schedule.Date
	}
	byRule := map[key][]int{}
	byTeamDay := map[key][]int{}
	for i, s := range planned {
		if s.Date == 0 {
			return nil, nil, fmt.Errorf("planned slot %d (%s): no date", i, s.Rule)
		}
		byRule[key{s.RuleID, s.Date}] = append(byRule[key{s.RuleID, s.Date}], i)
		byTeamDay[key{s.TeamID, s.Date}] = append(byTeamDay[key{s.TeamID, s.Date}], i)
	}
	done = make([]bool, len(planned))
	answered = make([]bool, len(records))
	for i, r := range records {
		if r.Date == 0 {
			return nil, nil, fmt.Errorf("patrol record %q: no date", r.ID)
		}
		if r.RuleID == "" {
			continue
		}
		best, bestDiff := -1, 0
		for _, k := range byRule[key{r.RuleID, r.Date}] {
			if done[k] {
				continue
			}
			diff := int(planned[k].Start) - int(r.Start)
			diff = max(diff, -diff)
			if best < 0 || diff < bestDiff {
				best, bestDiff = k, diff
			}
		}
		if best >= 0 {
			done[best], answered[i] = true, true
		}
	}
	for i, r := range records {
		if answered[i] || r.RuleID != "" {
			continue
		}
		rs := int64(r.Date)*1440 + int64(r.Start)
		re := rs + int64(schedule.Window{Start: r.Start, End: r.End}.Minutes())
	days:
		for _, d := range []schedule.Date{r.Date, r.Date - 1, r.Date + 1} {
			for _, k := range byTeamDay[key{r.TeamID, d}] {
				s := planned[k]
				ss := int64(s.Date)*1440 + int64(s.Start)
				se := ss + int64(schedule.Window{Start: s.Start, End: s.End}.Minutes())
				if !done[k] && rs < se && ss < re {
					done[k], answered[i] = true, true
					break days
				}
			}
		}
	}
	return done, answered, nil
}

func complianceRows(planned []schedule.Slot, records []PatrolRecord, done, answered []bool, teams []schedule.Team, period string) []ComplianceRow {
	names := map[string]string{}
	for _, t := range teams {
		names[t.ID] = t.Name
	}
	for _, s := range planned {
		if _, ok := names[s.TeamID]; !ok {
			names[s.TeamID] = s.Team
		}
	}
	rows := map[[2]string]*ComplianceRow{}
	row := func(team string, d schedule.Date) *ComplianceRow {
		label, from, to := periodOf(d, period)
		k := [2]string{team, label}
		if rows[k] == nil {
			rows[k] = &ComplianceRow{TeamID: team, Team: names[team], Period: label, From: from, To: to}
		}
		return rows[k]
	}
	for i, s := range planned {
		r := row(s.TeamID, s.Date)
		r.Planned++
		if done[i] {
			r.Done++
		}
	}
	for i, rec := range records {
		if !answered[i] {
			row(rec.TeamID, rec.Date).AdHoc++
		}
	}
	out := make([]ComplianceRow, 0, len(rows))
	for _, r := range rows {
		r.settle()
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b ComplianceRow) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.Team, b.Team), cmp.Compare(a.TeamID, b.TeamID))
	})
	return out
}

func periodOf(d schedule.Date, period string) (label string, from, to schedule.Date) {
	y, m, _ := d.YMD()
	if period == ByMonth {
		return fmt.Sprintf("%04d-%02d", y, m), schedule.DateOf(y, m, 1), schedule.DateOf(y, m, almanac.DaysIn(y, m))
	}
	wd := (int(d.Weekday()) + 6) % 7 // Monday = 0
	from = d - schedule.Date(wd)
	// The ISO week belongs to the year of its Thursday.
	ty, _, _ := (from + 3).YMD()
	jan4 := schedule.DateOf(ty, 1, 4)
	week1 := jan4 - schedule.Date((int(jan4.Weekday())+6)%7)
	return fmt.Sprintf("%04d-W%02d", ty, int(from-week1)/7+1), from, from + 6
}
