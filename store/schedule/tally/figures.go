package tally

import (
	"fmt"
	"slices"
	"time"

	"cunjing/store/schedule"
)

// Due is how far a count reaches: every slot of the days before Day, and
// those of Day that have ended by At or that a patrol answers — a turn due
// tonight is not missed at nine in the morning (it was: the post's 完成情况
// showed it as 漏巡 in red all day, and the station counted it against the
// post). The zero Due reaches to the end of the range.
type Due struct {
	Day schedule.Date
	At  schedule.Clock
}

// DueAt is the Due of the instant t, in Beijing time (schedule.Zone).
func DueAt(t time.Time) Due {
	b := t.In(schedule.Zone)
	return Due{Day: schedule.FromTime(b), At: schedule.Clock(b.Hour()*60 + b.Minute())}
}

// EndOf is the Due of day's end: every slot of day counts.
func EndOf(day schedule.Date) Due { return Due{Day: day, At: 24 * 60} }

// due reports whether slot s is due by d (zero d: every slot).
func (d Due) due(s schedule.Slot) bool {
	if d.Day == 0 || s.Date < d.Day {
		return true
	}
	return s.Date == d.Day && (s.EndDate == 0 || s.EndDate == s.Date) && s.End <= d.At
}

// Logged reports whether slots of kind are answered by patrol log entries
// and so count in patrol completion: daily patrols, market days (逢集必巡)
// and school-gate posts (护学岗) are logged as patrols; 24-hour post duty
// is a post stood, not logged, and is not counted.
func Logged(kind string) bool { return kind != schedule.KindDuty }

// KindFigures is planned versus done for one kind of slot.
type KindFigures struct {
	Planned int     `json:"planned"`
	Done    int     `json:"done"`
	Missed  int     `json:"missed"`
	Rate    float64 `json:"rate"` // Done / Planned; 1 when nothing was planned
}

// Figures is the one definition of a post's patrol numbers: how many
// logged slots (Logged) its roster planned over From..To, how many a
// patrol log entry answers (Match), how many patrols answer none, per kind
// — market-day coverage is ByKind[schedule.KindMarket].Rate, school-gate posts kept
// ByKind[schedule.KindSchoolGate].Rate — and per team and period. The post's
// 巡逻排班, the station's screens, `cunjing station` and the reports all
// count with Tally, so they cannot disagree.
type Figures struct {
	From schedule.Date `json:"from"`
	To   schedule.Date `json:"to"` // never past today: later slots are not due yet
	Count
	// ByKind has an entry for every logged kind (zero when none planned).
	ByKind map[string]KindFigures `json:"by_kind"`
	// Rows are the same per team and period (week or month).
	Rows []ComplianceRow `json:"rows,omitempty"`
	// Problems are what could not be counted as it should: a roster that
	// does not expand (every patrol is then ad hoc). Shown, so a low rate
	// is not blamed on the officers when the roster is broken.
	Problems []string `json:"problems,omitempty"`
	// Faults are the errors behind Problems, in the same order: a roster
	// that does not expand is a *schedule.Problem, which the window says in
	// the officer's words (the command line prints Problems).
	Faults []error `json:"-"`
	// HolidayGaps are the years of the range whose holidays the calendar
	// does not hold while rules skip them: their slots on those holidays
	// are planned, and missed unless patrolled (Schedule.HolidayGaps).
	HolidayGaps []schedule.HolidayGap `json:"holiday_gaps,omitempty"`
}

// Count is planned against done, the five numbers every patrol count
// shows — a post's (Figures), a team's in a period (ComplianceRow), the
// station's view of a post (sync/station.PatrolPlan) — under the same
// JSON keys wherever it is embedded.
type Count struct {
	Planned int     `json:"planned"`
	Done    int     `json:"done"`   // planned slots a patrol answers
	Missed  int     `json:"missed"` // Planned - Done
	AdHoc   int     `json:"ad_hoc"` // patrols that answer no planned slot
	Rate    float64 `json:"rate"`   // Done / Planned; 1 when nothing was planned
}

// none is the count of nothing planned: rate 1, nothing missed.
func none() Count { return Count{Rate: 1} }

// settle works out what follows from planned and done: missed and rate.
func (c *Count) settle() { c.Missed, c.Rate = c.Planned-c.Done, Rate(c.Done, c.Planned) }

// Rate is done over planned; 1 when nothing was planned.
func Rate(done, planned int) float64 {
	if planned == 0 {
		return 1
	}
	return float64(done) / float64(planned)
}

// RosterProblem begins each of Figures.Problems that is the roster's (it
// does not expand, or a record of it does not convert), not the patrol
// log's: with nothing planned, only such a problem says the roster is
// broken.
const RosterProblem = "roster: "

// Tally counts a post's patrols over from..to, but never past what is due
// (Due: the zero Due, no limit): it expands the roster in (leave, swaps
// and holidays applied), keeps the logged kinds, matches the records dated
// in the range to the slots and counts the slots that are due or done. An
// empty range (to before from) is all zeros. A roster that does not expand
// is a Problem, not an error: every record is then ad hoc. Errors are for
// bad arguments only.
func Tally(in schedule.Input, records []PatrolRecord, from, to schedule.Date, due Due, period string) (Figures, error) {
	if due.Day != 0 && to > due.Day {
		to = due.Day
	}
	f := Figures{From: from, To: to, Count: none(), ByKind: map[string]KindFigures{}}
	for _, k := range schedule.Kinds {
		if Logged(k) {
			f.ByKind[k] = KindFigures{Rate: 1}
		}
	}
	if period != ByWeek && period != ByMonth {
		return f, fmt.Errorf("patrol figures: period %q: want %q or %q", period, ByWeek, ByMonth)
	}
	if to < from {
		return f, nil
	}
	var planned []schedule.Slot
	if sch, err := schedule.Expand(in, from, to); err != nil {
		f.Problems = append(f.Problems, RosterProblem+err.Error())
		f.Faults = append(f.Faults, err)
	} else {
		f.HolidayGaps = sch.HolidayGaps
		for _, s := range sch.Slots {
			if Logged(s.Kind) {
				planned = append(planned, s)
			}
		}
	}
	var recs []PatrolRecord
	for _, r := range records {
		if r.Date >= from && r.Date <= to || r.Date == 0 {
			recs = append(recs, r)
		}
	}
	done, answered, err := Match(planned, recs)
	if err != nil {
		return f, fmt.Errorf("patrol figures: %w", err)
	}
	// Today's turns still to come are not planned yet, unless done early.
	var keep []schedule.Slot
	var kept []bool
	for i, s := range planned {
		if done[i] || due.due(s) {
			keep, kept = append(keep, s), append(kept, done[i])
		}
	}
	planned, done = keep, kept
	for i, s := range planned {
		k := f.ByKind[s.Kind]
		k.Planned++
		f.Planned++
		if done[i] {
			k.Done++
			f.Done++
		}
		f.ByKind[s.Kind] = k
	}
	for _, a := range answered {
		if !a {
			f.AdHoc++
		}
	}
	for kind, k := range f.ByKind {
		k.Missed, k.Rate = k.Planned-k.Done, Rate(k.Done, k.Planned)
		f.ByKind[kind] = k
	}
	f.settle()
	// A team deleted since is named as it was last (its patrols logged
	// ad hoc, its ended rule's turns); a live team's name wins.
	teams := append(slices.Clone(in.FormerTeams), in.Teams...)
	f.Rows = complianceRows(planned, recs, done, answered, teams, period)
	return f, nil
}

// Add sums o into f (a township total): counts add, rates are recomputed,
// the range widens; rows and problems are not carried.
func (f *Figures) Add(o Figures) {
	if f.ByKind == nil {
		f.ByKind = map[string]KindFigures{}
	}
	if f.From == 0 || o.From != 0 && o.From < f.From {
		f.From = o.From
	}
	f.To = max(f.To, o.To)
	f.Planned += o.Planned
	f.Done += o.Done
	f.AdHoc += o.AdHoc
	f.settle()
	for kind, ok := range o.ByKind {
		k := f.ByKind[kind]
		k.Planned += ok.Planned
		k.Done += ok.Done
		k.Missed, k.Rate = k.Planned-k.Done, Rate(k.Done, k.Planned)
		f.ByKind[kind] = k
	}
}
