package schedule

import (
	"cmp"
	"fmt"
	"slices"

	"cunjing/store/schedule/almanac"
)

// MaxRangeDays bounds one expansion (about ten years), so a typo in a year
// cannot make the app allocate millions of slots.
const MaxRangeDays = 3660

// MaxBookings bounds the people-on-slots of one expansion (each person on
// each slot, and each double booking, is one): about a post of 50 people,
// every one on two slots a day, for ten years. Past it the expansion is an
// error asking for a shorter range, not minutes of work and gigabytes.
const MaxBookings = 2_000_000

// Conflict kinds.
const (
	ConflictDoubleBooked = "double_booked" // the person stands on an overlapping slot too (With)
	ConflictShort        = "short"         // fewer people than the rule's minimum (Need, Have)
	ConflictOnLeave      = "on_leave"      // the person is on leave: left out of a team slot, or a substitute who is away
	ConflictSubstituted  = "substituted"   // a rotation passed over the person (on leave); By stood in
)

// SlotRef names another slot in a conflict.
type SlotRef struct {
	Date   Date   `json:"date"`
	Start  Clock  `json:"start"`
	Rule   string `json:"rule"`
	RuleID string `json:"rule_id"`
}

// Conflict is a problem with a slot, for a person to look at.
type Conflict struct {
	Kind     string   `json:"kind"`
	PersonID string   `json:"person_id,omitempty"`
	Person   string   `json:"person,omitempty"`
	With     *SlotRef `json:"with,omitempty"`
	By       string   `json:"by,omitempty"`
	Need     int      `json:"need,omitempty"`
	Have     int      `json:"have,omitempty"`
}

// Slot is one planned shift. It marshals to the CLI's keys: date, start, end,
// kind, rule, team, people (names), plus ids, end_date and conflicts.
type Slot struct {
	Date      Date       `json:"date"`
	Start     Clock      `json:"start"`
	End       Clock      `json:"end"`
	Kind      string     `json:"kind"`
	Rule      string     `json:"rule"`
	Team      string     `json:"team"`
	People    []string   `json:"people"`
	RuleID    string     `json:"rule_id"`
	TeamID    string     `json:"team_id"`
	PersonIDs []string   `json:"person_ids"`
	EndDate   Date       `json:"end_date,omitempty"` // set when the slot ends on a later day
	Conflicts []Conflict `json:"conflicts,omitempty"`
}

// Day describes one date of the range for calendars and duty tables.
type Day struct {
	Date       Date      `json:"date"`
	Lunar      LunarDate `json:"lunar"`
	Market     bool      `json:"market"`               // a market-kind slot falls on it
	Exceptions []string  `json:"exceptions,omitempty"` // names of exceptions that touched it
	// Holidays are the calendar's holidays on this day (元旦, 寒假, 调休
	// 上班 …), and 春节休集 when a market was not held for it.
	Holidays []HolidayMark `json:"holidays,omitempty"`
}

// Schedule is the expansion of an Input over a range.
type Schedule struct {
	From  Date   `json:"from"`
	To    Date   `json:"to"`
	Slots []Slot `json:"slots"`
	Days  []Day  `json:"days"`
	// Unapplied lists exceptions that changed nothing in the range (a swap
	// naming someone who was not on that slot, a holiday with no slots), so
	// the editor can say so instead of failing silently.
	Unapplied []string `json:"unapplied,omitempty"`
	// HolidayGaps are the years of the range whose holidays the calendar
	// does not hold while rules skip them (HolidayGap); none when the
	// input has no calendar at all (Input.Holidays nil).
	HolidayGaps []HolidayGap `json:"holiday_gaps,omitempty"`
}

// lunarSource converts dates; the table is the fast one, the library the
// naive baseline.
type lunarSource interface {
	At(Date) (LunarDate, error)
}

type librarySource struct{}

func (librarySource) At(d Date) (LunarDate, error) { return almanac.LibraryLunar(d) }

// Expand lays the rules of in over [from, to]: every slot with its team and
// people, rotations taken in turn from each rule's ValidFrom, exceptions
// applied, and conflicts flagged on the slots they concern.
func Expand(in Input, from, to Date) (*Schedule, error) {
	return expand(in, from, to, func(lo, hi Date) (lunarSource, error) {
		if t := in.Lunar; t != nil && t.Covers(lo) && t.Covers(hi) {
			return t, nil
		}
		return NewLunarTable(lo, hi)
	})
}

func expand(in Input, from, to Date, newSource func(lo, hi Date) (lunarSource, error)) (*Schedule, error) {
	if err := almanac.CheckRange(from); err != nil {
		return nil, problemIDs(ProblemRange, "expand from: %w", err)
	}
	if err := almanac.CheckRange(to); err != nil {
		return nil, problemIDs(ProblemRange, "expand to: %w", err)
	}
	if to < from {
		return nil, problemIDs(ProblemRange, "expand: %s is before %s", to, from)
	}
	if int(to-from) >= MaxRangeDays {
		return nil, problemIDs(ProblemRange, "expand: %s..%s is longer than %d days", from, to, MaxRangeDays)
	}
	c, err := in.compile()
	if err != nil {
		return nil, err
	}
	lo := from
	for i := range c.rules {
		if r := &c.rules[i]; r.rotates && r.turns < lo {
			lo = r.turns
		}
	}
	src, err := newSource(lo, to)
	if err != nil {
		return nil, err
	}
	e := &expander{c: c, from: from, to: to, lo: lo, src: src}
	if err := e.fillDays(); err != nil {
		return nil, err
	}
	if err := e.presize(); err != nil {
		return nil, err
	}
	for i := range c.rules {
		if err := e.rule(&c.rules[i]); err != nil {
			return nil, within(InRule, c.rules[i].ID, c.rules[i].Name, err)
		}
	}
	if err := e.finish(); err != nil {
		return nil, err
	}
	if in.Holidays != nil {
		e.out.HolidayGaps = c.holidayGaps(from, to)
	}
	return e.out, nil
}

type expander struct {
	c        *compiled
	from, to Date
	lo       Date
	src      lunarSource
	info     []dayInfo // lo..to
	keys     []slotKey
	excOn    [][]int    // per day lo..to: indexes of exceptions covering it
	marks    []dayMarks // per day lo..to: holiday kinds covering it
	spring   []bool     // per day from..to: a slot was skipped for 春节休集
	out      *Schedule
}

func (e *expander) fillDays() error {
	n := int(e.to-e.lo) + 1
	e.info = make([]dayInfo, n)
	e.excOn = make([][]int, n)
	e.marks = make([]dayMarks, n)
	e.spring = make([]bool, int(e.to-e.from)+1)
	e.out = &Schedule{From: e.from, To: e.to, Slots: []Slot{}, Days: make([]Day, 0, int(e.to-e.from)+1)}
	for i := range n {
		d := e.lo + Date(i)
		l, err := e.src.At(d)
		if err != nil {
			return err
		}
		y, m, sd := d.YMD()
		e.info[i] = dayInfo{date: d, lunar: l, sDay: sd, sMonthDs: almanac.DaysIn(y, m)}
		for j := range e.c.excs {
			if e.c.excs[j].covers(d, l) {
				e.excOn[i] = append(e.excOn[i], j)
			}
		}
		day := Day{Date: d, Lunar: l}
		for _, h := range e.c.holidays {
			if h.Dates.Contains(d) {
				e.marks[i] |= markOf(h.Kind)
				day.Holidays = append(day.Holidays, HolidayMark{Name: h.Name, Kind: h.Kind, Confirmed: h.Confirmed})
			}
		}
		if d >= e.from {
			e.out.Days = append(e.out.Days, day)
		}
	}
	return nil
}

// onHoliday reports whether a rule's own calendar day d is dropped for a
// holiday under the policy of its crew cw (and notes a Spring Festival
// market break).
func (e *expander) onHoliday(cw *crew, i int, di *dayInfo) bool {
	if !cw.holidays.skips(e.marks[i], di.lunar) {
		return false
	}
	if d := di.date; d >= e.from && cw.holidays.spring && springBreak(di.lunar) && cw.kind == KindMarket {
		e.spring[d-e.from] = true
	}
	return true
}

// onDay reports whether crew cw's calendar falls on day i (lo-based), holidays
// aside. A 调休上班 day is a working day by the State Council's notice:
// offices work and schools hold classes, so a rule held on every working
// weekday (工作日, 周一至周五) is held on it when it falls on a weekend. A
// rule on some weekdays only (每周一、五) is not: which weekday a make-up
// day stands in for is not in the calendar, and the post adds the day
// (加岗) if it wants it.
func (e *expander) onDay(cw *crew, i int) bool {
	return cw.m.match(&e.info[i]) || cw.m.workdays && e.marks[i]&markWorkday != 0
}

// crewOn is the index of r's crew standing on d, k the one standing on
// an earlier day (-1: none yet).
func (r *compiledRule) crewOn(d Date, k int) int {
	for k < len(r.crews)-1 && (k < 0 || d > r.crews[k].until) {
		k++
	}
	return k
}

// presize counts the slots the rules' calendars give (exceptions aside), so
// the slot array is allocated once: growing it dominated the cost. A
// roster that would book more than MaxBookings people on them is an error.
func (e *expander) presize() error {
	n, booked := 0, 0
	for i := range e.c.rules {
		r := &e.c.rules[i]
		perSlot := 0
		for _, cw := range r.crews {
			if cw.rotate > 0 {
				perSlot = max(perSlot, cw.rotate)
			} else {
				perSlot = max(perSlot, len(cw.people))
			}
		}
		before := n
		start, end := max(e.from, r.start), e.to
		if r.ValidTo != 0 && r.ValidTo < end {
			end = r.ValidTo
		}
		k := -1
		for d := start; d <= end; d++ {
			k = r.crewOn(d, k)
			if cw := &r.crews[k]; d >= cw.from && e.onDay(cw, int(d-e.lo)) && !cw.holidays.skips(e.marks[d-e.lo], e.info[d-e.lo].lunar) {
				n += len(cw.windows)
			}
		}
		booked += (n - before) * perSlot
		if booked > MaxBookings {
			return problemIDs(ProblemBookings, "expand: %s..%s books more than %d people on slots (rule %q has %d people a slot): view a shorter range", e.from, e.to, MaxBookings, r.Name, perSlot)
		}
	}
	n += n / 64 // room for added days
	e.out.Slots = make([]Slot, 0, n)
	e.keys = make([]slotKey, 0, n)
	return nil
}

// rule emits the slots of one rule. Days before e.from are walked only to
// advance a rotation.
func (e *expander) rule(r *compiledRule) error {
	start := max(e.from, r.start)
	if r.rotates {
		start = min(start, r.turns) // walked from its first turn
	}
	end := e.to
	if r.ValidTo != 0 && r.ValidTo < end {
		end = r.ValidTo
	}
	// rot is the standing crew's rotation (nil: everyone stands); last
	// the latest rotation, which a later crew's turns go on from, also
	// after a pause in which everyone stood.
	var rot, last *rotation
	k := -1 // the crew standing on d
	for d := start; d <= end; d++ {
		if k < 0 || k < len(r.crews)-1 && d > r.crews[k].until {
			k = r.crewOn(d, k)
			if cw := &r.crews[k]; cw.rotate > 0 {
				if cw.fresh {
					last = nil
				}
				rot = newRotation(e.c, cw, last)
				last = rot
			} else {
				rot = nil
			}
		}
		cw := &r.crews[k]
		if d < cw.from {
			continue // before the start it had then
		}
		i := int(d - e.lo)
		di := &e.info[i]
		// A holiday drops the rule's own days; an added day (加密巡逻) is
		// still kept.
		on := e.onDay(cw, i) && !e.onHoliday(cw, i, di)
		cancelled := false
		for _, j := range e.excOn[i] {
			x := &e.c.excs[j]
			if !x.applies(r, cw) {
				continue
			}
			switch x.Action {
			case Add:
				if !on && d >= e.from {
					x.used = true
				}
				on = true
			case Cancel:
				if !cancelled && d >= e.from {
					x.used = true
				}
				cancelled = true
			}
		}
		if !on || cancelled {
			continue
		}
		var ids, names []string
		var conflicts []Conflict
		if rot != nil {
			ids, conflicts = e.turn(rot, d, d >= e.from)
		} else {
			ids, names = cw.people, cw.names
			for k, p := range cw.people {
				if m := e.c.members[p]; !m.Available(d) {
					if len(conflicts) == 0 {
						ids = slices.Clone(cw.people[:k])
					}
					conflicts = append(conflicts, Conflict{Kind: ConflictOnLeave, PersonID: p, Person: m.Name})
				} else if len(conflicts) > 0 {
					ids = append(ids, p)
				}
			}
			if len(conflicts) > 0 {
				names = nil
			}
		}
		if d < e.from {
			continue
		}
		if len(e.excOn[i]) > 0 {
			before := len(conflicts)
			var changed bool
			ids, conflicts, changed = e.replacements(r, cw, i, d, ids, conflicts)
			if changed || len(conflicts) != before {
				names = nil
			}
		}
		if len(ids) < cw.minPeople {
			conflicts = append(conflicts, Conflict{Kind: ConflictShort, Need: cw.minPeople, Have: len(ids)})
		}
		if names == nil {
			names = make([]string, len(ids))
			for k, id := range ids {
				names[k] = e.c.members[id].Name
			}
		}
		if ids == nil {
			ids = []string{}
		}
		for _, w := range cw.windows {
			s := Slot{Date: d, Start: w.Start, End: w.End, Kind: cw.kind, Rule: r.Name, Team: cw.team,
				People: names, RuleID: r.ID, TeamID: cw.teamID, PersonIDs: ids}
			if w.Overnight() {
				s.EndDate = d + 1
			}
			if len(conflicts) > 0 {
				s.Conflicts = slices.Clone(conflicts)
			}
			e.keys = append(e.keys, slotKey{
				key: uint64(d-e.from)<<40 | uint64(w.Start)<<24 | uint64(cw.kindRank)<<20 | uint64(r.rank),
				idx: int32(len(e.out.Slots)),
			})
			e.out.Slots = append(e.out.Slots, s)
		}
		if cw.kind == KindMarket {
			e.out.Days[d-e.from].Market = true
		}
	}
	return nil
}

// rotation is a rule's queue of people, a ring over indexes into its
// people: a turn touches only the people it looks at (those it takes and
// those it passes over), not the whole team, so a rotation of thousands
// begun years ago stays cheap.
type rotation struct {
	people  []string // the crew's, in list order
	rotate  int      // people a turn
	ring    []int32  // the queue, from head, as indexes into people
	head    int
	members []*Member // by index
	taken   []int32   // scratch: this turn's people, in queue order
	passed  []int32   // scratch: those passed over (on leave), in queue order
}

// newRotation is the queue of crew cw. After prev (the rotation of the
// crew before, an edit ago) the people kept go on in prev's queue order
// and newcomers join at the back, in list order; the same people listed
// in a new order start again in that order (a change of Rotate alone
// goes on) — unless the crew is its whole team, whose order is only its
// names' (a member renamed is no new order of turns).
func newRotation(c *compiled, cw *crew, prev *rotation) *rotation {
	n := len(cw.people)
	rot := &rotation{people: cw.people, rotate: cw.rotate, ring: make([]int32, 0, n), members: make([]*Member, n)}
	at := make(map[string]int32, n)
	for i, p := range cw.people {
		rot.members[i], at[p] = c.members[p], int32(i)
	}
	reordered := !cw.whole && !slices.Equal(prev.peopleOrNil(), cw.people) && samePeople(prev.peopleOrNil(), cw.people)
	if prev != nil && !reordered {
		m := len(prev.ring)
		for j := range m {
			if x, ok := at[prev.people[prev.ring[(prev.head+j)%m]]]; ok {
				rot.ring = append(rot.ring, x)
				delete(at, cw.people[x])
			}
		}
	}
	for i, p := range cw.people {
		if _, left := at[p]; left {
			rot.ring = append(rot.ring, int32(i))
		}
	}
	return rot
}

func (rot *rotation) peopleOrNil() []string {
	if rot == nil {
		return nil
	}
	return rot.people
}

// samePeople reports whether a and b list the same people, in any order.
func samePeople(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	sa, sb := slices.Clone(a), slices.Clone(b)
	slices.Sort(sa)
	slices.Sort(sb)
	return slices.Equal(sa, sb)
}

// turn takes the next r.Rotate available people from the queue and sends them
// to its back. People passed over (on leave) keep their place at the front,
// so they stand the next turn they can: over any stretch without leave every
// count is within one of every other. With emit false (a day before the
// range, walked only to advance the queue) it returns nothing.
func (e *expander) turn(rot *rotation, d Date, emit bool) ([]string, []Conflict) {
	n := len(rot.ring)
	taken, passed := rot.taken[:0], rot.passed[:0]
	early := 0 // how many were passed over among the first rot.rotate
	k := 0
	for ; k < n && len(taken) < rot.rotate; k++ {
		if k == rot.rotate {
			early = len(passed)
		}
		x := rot.ring[(rot.head+k)%n]
		if rot.members[x].Available(d) {
			taken = append(taken, x)
		} else {
			passed = append(passed, x)
		}
	}
	if k <= rot.rotate {
		early = len(passed)
	}
	// The first k leave the front; those passed over go back to it, in
	// order, and those taken to the back: the ring's own first k places.
	rot.head = (rot.head + len(taken)) % n
	for j, x := range passed {
		rot.ring[(rot.head+j)%n] = x
	}
	for j, x := range taken {
		rot.ring[(rot.head+n-len(taken)+j)%n] = x
	}
	rot.taken, rot.passed = taken, passed
	if !emit {
		return nil, nil
	}
	ids := make([]string, len(taken))
	for j, x := range taken {
		ids[j] = rot.people[x]
	}
	var conflicts []Conflict
	// Who stood in: those taken from beyond the first rot.rotate places.
	standIns := taken[rot.rotate-early:]
	for j, x := range passed[:early] {
		p := rot.members[x]
		c := Conflict{Kind: ConflictOnLeave, PersonID: p.ID, Person: p.Name}
		if j < len(standIns) {
			c.Kind, c.By = ConflictSubstituted, rot.members[standIns[j]].Name
		}
		conflicts = append(conflicts, c)
	}
	return ids, conflicts
}

func (e *expander) replacements(r *compiledRule, cw *crew, i int, d Date, ids []string, conflicts []Conflict) ([]string, []Conflict, bool) {
	changed := false
	for _, j := range e.excOn[i] {
		x := &e.c.excs[j]
		if x.Action != Replace || !x.applies(r, cw) {
			continue
		}
		k := slices.Index(ids, x.Person)
		if k < 0 {
			continue
		}
		x.used, changed = true, true
		ids = slices.Clone(ids)
		if x.Substitute == "" || slices.Contains(ids, x.Substitute) {
			ids = slices.Delete(ids, k, k+1)
			continue
		}
		ids[k] = x.Substitute
		if sub := e.c.members[x.Substitute]; !sub.Available(d) {
			conflicts = append(conflicts, Conflict{Kind: ConflictOnLeave, PersonID: sub.ID, Person: sub.Name})
		}
	}
	return ids, conflicts, changed
}

type slotKey struct {
	key uint64 // day, start, kind, rule rank: the output order
	idx int32
}

// finish sorts, flags double bookings and notes unused exceptions. More
// than MaxBookings double bookings (rules of a large team that overlap) is
// an error, counted before any is flagged.
func (e *expander) finish() error {
	// Sorting small keys and permuting once beats sorting the slots.
	slices.SortFunc(e.keys, func(a, b slotKey) int { return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.idx, b.idx)) })
	s := e.out.Slots
	// Apply the permutation in place, cycle by cycle: position k takes the
	// slot at keys[k].idx.
	for k := range e.keys {
		if e.keys[k].idx < 0 {
			continue
		}
		tmp := s[k]
		j := k
		for {
			src := int(e.keys[j].idx)
			e.keys[j].idx = -1
			if src == k {
				s[j] = tmp
				break
			}
			s[j] = s[src]
			j = src
		}
	}
	type iv struct {
		start, end int64
		slot       int
	}
	// Two passes: count each person's slots, then fill one backing array.
	count := make(map[string]int, len(e.c.members))
	total := 0
	for k := range s {
		for _, p := range s[k].PersonIDs {
			count[p]++
		}
		total += len(s[k].PersonIDs)
	}
	backing := make([]iv, 0, total)
	byPerson := make(map[string][]iv, len(count))
	for p, n := range count {
		byPerson[p] = backing[len(backing) : len(backing) : len(backing)+n]
		backing = backing[:len(backing)+n]
	}
	for k := range s {
		w := Window{Start: s[k].Start, End: s[k].End}
		st := int64(s[k].Date)*1440 + int64(s[k].Start)
		for _, p := range s[k].PersonIDs {
			byPerson[p] = append(byPerson[p], iv{st, st + int64(w.Minutes()), k})
		}
	}
	pairs := 0
	for _, ivs := range byPerson {
		for a := range ivs {
			for b := a + 1; b < len(ivs) && ivs[b].start < ivs[a].end; b++ {
				if pairs++; pairs > MaxBookings/2 {
					return problemIDs(ProblemBookings, "expand: %s..%s double-books people more than %d times (rules of the same people overlap): view a shorter range or fix the rules", e.from, e.to, MaxBookings/2)
				}
			}
		}
	}
	for p, ivs := range byPerson {
		// Slots are in start order, so each person's list is too.
		for a := range ivs {
			for b := a + 1; b < len(ivs) && ivs[b].start < ivs[a].end; b++ {
				sa, sb := &s[ivs[a].slot], &s[ivs[b].slot]
				name := e.c.members[p].Name
				sa.Conflicts = append(sa.Conflicts, Conflict{Kind: ConflictDoubleBooked, PersonID: p, Person: name,
					With: &SlotRef{Date: sb.Date, Start: sb.Start, Rule: sb.Rule, RuleID: sb.RuleID}})
				sb.Conflicts = append(sb.Conflicts, Conflict{Kind: ConflictDoubleBooked, PersonID: p, Person: name,
					With: &SlotRef{Date: sa.Date, Start: sa.Start, Rule: sa.Rule, RuleID: sa.RuleID}})
			}
		}
	}
	for k := range s {
		// Map iteration above is unordered; keep output deterministic.
		slices.SortStableFunc(s[k].Conflicts, func(a, b Conflict) int {
			return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.PersonID, b.PersonID), cmpRef(a.With, b.With))
		})
	}
	for i, d := range e.out.Days {
		if e.spring[i] {
			e.out.Days[i].Holidays = append(e.out.Days[i].Holidays, HolidayMark{Name: SpringBreakName, Kind: SkipSpring, Confirmed: true})
		}
		for _, j := range e.excOn[int(d.Date-e.lo)] {
			if e.c.excs[j].Name != "" && !slices.Contains(e.out.Days[i].Exceptions, e.c.excs[j].Name) {
				e.out.Days[i].Exceptions = append(e.out.Days[i].Exceptions, e.c.excs[j].Name)
			}
		}
	}
	for _, x := range e.c.excs {
		if !x.used {
			e.out.Unapplied = append(e.out.Unapplied, x.ID)
		}
	}
	return nil
}

func cmpRef(a, b *SlotRef) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Start, b.Start), cmp.Compare(a.RuleID, b.RuleID))
}

// CountTurns counts, per person ID, the slots of rule ruleID (one per day:
// a rule's windows on one day are one turn).
func CountTurns(slots []Slot, ruleID string) map[string]int {
	out := map[string]int{}
	seen := map[Date]bool{}
	for _, s := range slots {
		if s.RuleID != ruleID || seen[s.Date] {
			continue
		}
		seen[s.Date] = true
		for _, p := range s.PersonIDs {
			out[p]++
		}
	}
	return out
}

// NextDates lists the next n days on or after from that spec falls on, for
// the rule editor's live preview (exceptions are not applied).
func NextDates(spec Spec, from Date, n int) ([]Date, error) {
	if n < 0 || n > 366 {
		return nil, fmt.Errorf("next dates: n=%d out of range 0..366", n)
	}
	m, err := compile(spec)
	if err != nil {
		return nil, err
	}
	if err := almanac.CheckRange(from); err != nil {
		return nil, err
	}
	// Every kind recurs within 60 days, so n turns fit in (n+1)*62 days.
	to := min(from+Date((n+1)*62), DateOf(almanac.MaxYear, 12, 31))
	var t *LunarTable
	if m.kind == Lunar {
		if t, err = NewLunarTable(from, to); err != nil {
			return nil, err
		}
	}
	out := make([]Date, 0, n)
	for d := from; d <= to && len(out) < n; d++ {
		y, mo, sd := d.YMD()
		di := dayInfo{date: d, sDay: sd, sMonthDs: almanac.DaysIn(y, mo)}
		if t != nil {
			if di.lunar, err = t.At(d); err != nil {
				return nil, err
			}
		}
		if m.match(&di) {
			out = append(out, d)
		}
	}
	return out, nil
}
