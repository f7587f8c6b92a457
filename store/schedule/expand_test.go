package schedule

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"cunjing/store/schedule/almanac"
)

func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func win(t testing.TB, s string) []Window {
	t.Helper()
	w, err := ParseWindows(s)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func spec(t testing.TB, s string) Spec {
	t.Helper()
	sp, err := ParseSpec(s)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// post is a small post: a mixed patrol team, village heads of security on
// 24-hour duty, police + village police at the school gate.
func post(t testing.TB) Input {
	return Input{
		Teams: []Team{{ID: "t1", Name: "东村巡逻队"}, {ID: "t2", Name: "警务室"}},
		Members: []Member{
			{ID: "m1", TeamID: "t1", Name: "王村警", Role: "村警", Phone: "13800000001"},
			{ID: "m2", TeamID: "t1", Name: "李网格", Role: "网格员", Phone: "13800000002"},
			{ID: "p1", TeamID: "t2", Name: "赵民警", Role: "民警", Phone: "13800000003"},
			{ID: "h1", TeamID: "t2", Name: "甲主任", Role: "治保主任"},
			{ID: "h2", TeamID: "t2", Name: "乙主任", Role: "治保主任"},
			{ID: "h3", TeamID: "t2", Name: "丙主任", Role: "治保主任"},
		},
		Rules: []Rule{
			{ID: "r-daily", Name: "每日巡逻", TeamID: "t1", Kind: KindPatrol, Spec: spec(t, "每天"), Windows: win(t, "19:00-21:00"), MinPeople: 2},
			{ID: "r-market", Name: "逢集必巡", TeamID: "t1", Kind: KindMarket, Spec: spec(t, "农历逢二、五、十"), Windows: win(t, "08:00-11:00")},
			{ID: "r-school", Name: "护学岗", TeamID: "t2", Kind: KindSchoolGate, Spec: spec(t, "每周一、五"),
				Windows: win(t, "07:00-08:00、16:30-17:30"), People: []string{"p1", "m1"}, MinPeople: 2},
			{ID: "r-duty", Name: "24小时值班", TeamID: "t2", Kind: KindDuty, Spec: spec(t, "每天"), Windows: win(t, "08:00-08:00"),
				People: []string{"h1", "h2", "h3"}, Rotate: 1, ValidFrom: DateOf(2026, 1, 1)},
		},
	}
}

func expandT(t testing.TB, in Input, from, to string) *Schedule {
	t.Helper()
	s, err := Expand(in, mustDate(t, from), mustDate(t, to))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func slotsOf(s *Schedule, ruleID string) []Slot {
	var out []Slot
	for _, x := range s.Slots {
		if x.RuleID == ruleID {
			out = append(out, x)
		}
	}
	return out
}

func hasConflict(s Slot, kind, person string) bool {
	return slices.ContainsFunc(s.Conflicts, func(c Conflict) bool { return c.Kind == kind && (person == "" || c.PersonID == person) })
}

func TestExpandPost(t *testing.T) {
	s := expandT(t, post(t), "2026-12-01", "2026-12-31")
	if n := len(slotsOf(s, "r-daily")); n != 31 {
		t.Errorf("daily: %d slots", n)
	}
	// December 2026 Mondays and Fridays: 4,7,11,14,18,21,25,28 → 8 days × 2 windows.
	school := slotsOf(s, "r-school")
	if len(school) != 16 || school[0].Date != mustDate(t, "2026-12-04") || school[0].Start.String() != "07:00" || school[1].Start.String() != "16:30" {
		t.Errorf("school gate: %d slots, first %+v", len(school), school[0])
	}
	duty := slotsOf(s, "r-duty")
	if len(duty) != 31 || duty[0].EndDate != mustDate(t, "2026-12-02") || len(duty[0].People) != 1 {
		t.Errorf("duty: %d slots, first %+v", len(duty), duty[0])
	}
	// Market days are the lunar 逢二、五、十 days; each is marked in Days.
	for _, m := range slotsOf(s, "r-market") {
		l, err := almanac.LibraryLunar(m.Date)
		if err != nil {
			t.Fatal(err)
		}
		if e := l.Day % 10; e != 2 && e != 5 && e != 0 && l.Day != l.MonthDays {
			t.Errorf("market on %s = lunar %s", m.Date, l)
		}
		if !s.Days[m.Date-s.From].Market {
			t.Errorf("%s not marked as a market day", m.Date)
		}
	}
	if !slices.IsSortedFunc(s.Slots, func(a, b Slot) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Start, b.Start),
			cmp.Compare(slices.Index(Kinds, a.Kind), slices.Index(Kinds, b.Kind)), cmp.Compare(a.Rule, b.Rule))
	}) {
		t.Error("slots are not in (date, start, kind, rule) order")
	}
	// 王村警 stands both the daily patrol 19:00 and nothing overlapping; the
	// school gate and duty do not clash with him. But 赵民警 is only at school.
	for _, x := range s.Slots {
		if hasConflict(x, ConflictDoubleBooked, "") {
			t.Errorf("unexpected double booking: %+v", x)
		}
	}
}

func TestSlotJSONKeys(t *testing.T) {
	s := expandT(t, post(t), "2026-12-04", "2026-12-04")
	b, err := json.Marshal(s.Slots)
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"date", "start", "end", "kind", "rule", "team", "people"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("slot JSON lacks %q: %s", k, b)
		}
	}
	var school map[string]any
	for _, g := range got {
		if g["kind"] == "school_gate" {
			school = g
			break
		}
	}
	want := `{"date":"2026-12-04","end":"08:00","kind":"school_gate","people":["赵民警","王村警"],"rule":"护学岗","start":"07:00","team":"警务室"}`
	for _, k := range []string{"rule_id", "team_id", "person_ids", "conflicts", "end_date"} {
		delete(school, k)
	}
	if b, _ := json.Marshal(school); string(b) != want {
		t.Errorf("school slot = %s\nwant %s", b, want)
	}
}

// Rotation fairness, as a property: random rotation lists, windows and
// start dates; over every calendar month (and any stretch) the turns of
// people without leave differ by at most one, and the same day gets the same
// person whatever range is expanded.
func TestRotationFairnessProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	specs := []string{"每天", "农历逢二、五、十", "每周一、五", "赶辰戌", "公历逢1、5、8"}
	for iter := range 60 {
		n := 1 + rng.IntN(7)
		per := 1 + rng.IntN(n)
		in := Input{Teams: []Team{{ID: "t", Name: "T"}}}
		var people []string
		for i := range n {
			id := fmt.Sprintf("p%d", i)
			in.Members = append(in.Members, Member{ID: id, TeamID: "t", Name: id})
			people = append(people, id)
		}
		rng.Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
		start := DateOf(2025, 1, 1) + Date(rng.IntN(400))
		in.Rules = []Rule{{ID: "r", Name: "轮值", TeamID: "t", Kind: KindDuty, Spec: spec(t, specs[rng.IntN(len(specs))]),
			Windows: win(t, "08:00-08:00"), People: people, Rotate: per, ValidFrom: start}}
		from := start + Date(rng.IntN(300))
		to := from + Date(60+rng.IntN(400))
		s, err := Expand(in, from, to)
		if err != nil {
			t.Fatal(err)
		}
		// Any calendar month, and any window of consecutive turns.
		byMonth := map[string][]Slot{}
		for _, x := range s.Slots {
			if len(x.PersonIDs) != per || hasConflict(x, ConflictShort, "") {
				t.Fatalf("iter %d: slot %s has %v, want %d people", iter, x.Date, x.PersonIDs, per)
			}
			byMonth[x.Date.String()[:7]] = append(byMonth[x.Date.String()[:7]], x)
		}
		for m, sl := range byMonth {
			c := CountTurns(sl, "r")
			lo, hi := len(sl), 0
			for _, p := range people {
				lo, hi = min(lo, c[p]), max(hi, c[p])
			}
			if hi-lo > 1 {
				t.Fatalf("iter %d (%d people, %d per turn): month %s counts %v differ by %d", iter, n, per, m, c, hi-lo)
			}
		}
		// Stable under the viewed range: a later sub-range agrees day by day.
		mid := from + (to-from)/2
		s2, err := Expand(in, mid, to)
		if err != nil {
			t.Fatal(err)
		}
		want := map[Date][]string{}
		for _, x := range s.Slots {
			want[x.Date] = x.PersonIDs
		}
		for _, x := range s2.Slots {
			if !slices.Equal(want[x.Date], x.PersonIDs) {
				t.Fatalf("iter %d: %s is %v when viewed from %s but %v from %s", iter, x.Date, x.PersonIDs, mid, want[x.Date], from)
			}
		}
	}
}

// With leave, nobody stands while away, the turn passes to the next person,
// and the one who was away stands the first turn after returning.
func TestRotationLeave(t *testing.T) {
	in := post(t)
	in.Members[4].Leave = []DateRange{{From: mustDate(t, "2026-12-05"), To: mustDate(t, "2026-12-09")}} // 乙主任 h2
	s := expandT(t, in, "2026-12-01", "2026-12-31")
	duty := slotsOf(s, "r-duty")
	subs := 0
	for _, x := range duty {
		if x.PersonIDs[0] == "h2" && x.Date >= mustDate(t, "2026-12-05") && x.Date <= mustDate(t, "2026-12-09") {
			t.Errorf("%s: h2 on duty while on leave", x.Date)
		}
		if hasConflict(x, ConflictSubstituted, "h2") {
			subs++
		}
	}
	if subs == 0 {
		t.Error("no substitution flagged for h2's leave")
	}
	if duty[9].PersonIDs[0] != "h2" { // 12-10: first day back
		t.Errorf("12-10: %v, want h2 back at the front", duty[9].PersonIDs)
	}
	c := CountTurns(duty, "r-duty")
	if c["h1"]+c["h2"]+c["h3"] != 31 || c["h2"] < 8 {
		t.Errorf("counts %v", c)
	}
}

func TestConflicts(t *testing.T) {
	in := post(t)
	// 王村警 also on the duty rotation, alone: he is double-booked on his
	// duty days (08:00–08:00 overlaps the 19:00 patrol).
	in.Rules[3].People = []string{"m1"}
	// 李网格 on leave: daily patrol goes short.
	in.Members[1].Leave = []DateRange{{From: mustDate(t, "2026-12-03"), To: mustDate(t, "2026-12-03")}}
	s := expandT(t, in, "2026-12-01", "2026-12-07")
	daily := slotsOf(s, "r-daily")
	if !hasConflict(daily[2], ConflictOnLeave, "m2") || !hasConflict(daily[2], ConflictShort, "") || len(daily[2].People) != 1 {
		t.Errorf("12-03 daily: %+v", daily[2])
	}
	if hasConflict(daily[1], ConflictShort, "") {
		t.Errorf("12-02 daily short: %+v", daily[1])
	}
	for _, x := range daily {
		if !hasConflict(x, ConflictDoubleBooked, "m1") {
			t.Errorf("%s: 王村警 not flagged double-booked: %+v", x.Date, x.Conflicts)
		}
	}
	for _, x := range slotsOf(s, "r-duty") {
		c := x.Conflicts[slices.IndexFunc(x.Conflicts, func(c Conflict) bool { return c.Kind == ConflictDoubleBooked })]
		if c.With == nil || c.With.RuleID == "" {
			t.Errorf("double booking without the other slot: %+v", c)
		}
	}
	// A window that ends before the next starts is not a double booking.
	in2 := post(t)
	in2.Rules[0].Windows = win(t, "06:00-07:00")
	in2.Rules[0].People = []string{"m1", "m2"}
	for _, x := range expandT(t, in2, "2026-12-04", "2026-12-04").Slots {
		if hasConflict(x, ConflictDoubleBooked, "") {
			t.Errorf("back-to-back flagged: %+v", x)
		}
	}
}

func TestExceptions(t *testing.T) {
	in := post(t)
	in.Exceptions = []Exception{
		{ID: "x-nd", Name: "元旦", Action: Cancel, Dates: &DateRange{From: DateOf(2027, 1, 1), To: DateOf(2027, 1, 3)}, Kinds: []string{KindSchoolGate}},
		// 春节休集: no market 腊月廿三 .. 正月初五 (wraps the lunar new year).
		{ID: "x-cj", Name: "春节休集", Action: Cancel, LunarFrom: &LunarMD{12, 23}, LunarTo: &LunarMD{1, 5}, Kinds: []string{KindMarket}},
		// 除夕 (腊月三十, held on 廿九 in a 29-day month): extra patrol.
		{ID: "x-cx", Name: "除夕加巡", Action: Add, LunarFrom: &LunarMD{12, 30}, LunarTo: &LunarMD{12, 30}, Rules: []string{"r-school"}},
		{ID: "x-none", Name: "无效换班", Action: Replace, Dates: &DateRange{From: DateOf(2027, 1, 4), To: DateOf(2027, 1, 4)}, Rules: []string{"r-school"}, Person: "h3", Substitute: "h1"},
	}
	s := expandT(t, in, "2026-12-25", "2027-02-28")
	for _, x := range slotsOf(s, "r-school") {
		if x.Date >= DateOf(2027, 1, 1) && x.Date <= DateOf(2027, 1, 3) {
			t.Errorf("school gate on 元旦 %s", x.Date)
		}
	}
	// 丙午 腊月: 2027-01-08 (初一) .. 2027-02-05 (廿九); 廿三 = 2027-01-30; 正月初五 = 2027-02-10.
	var markets []Date
	for _, x := range slotsOf(s, "r-market") {
		markets = append(markets, x.Date)
	}
	for _, d := range markets {
		if d >= DateOf(2027, 1, 30) && d <= DateOf(2027, 2, 10) {
			t.Errorf("market during the Spring Festival break: %s", d)
		}
	}
	if !slices.Contains(markets, DateOf(2027, 1, 27)) || !slices.Contains(markets, DateOf(2027, 1, 29)) || !slices.Contains(markets, DateOf(2027, 2, 15)) {
		t.Errorf("markets around the break: %v", markets)
	}
	if !slices.Contains(s.Days[DateOf(2027, 2, 5)-s.From].Exceptions, "除夕加巡") {
		t.Errorf("除夕 not marked: %+v", s.Days[DateOf(2027, 2, 5)-s.From])
	}
	if !slices.Contains(s.Days[DateOf(2027, 2, 1)-s.From].Exceptions, "春节休集") {
		t.Error("break not marked on 2027-02-01")
	}
	if !slices.Contains(s.Unapplied, "x-none") || slices.Contains(s.Unapplied, "x-cj") || slices.Contains(s.Unapplied, "x-nd") {
		t.Errorf("unapplied: %v", s.Unapplied)
	}
	// Add on 除夕 2025 (2025-01-28, a Tuesday, 腊月廿九 of a 29-day month,
	// so "腊月三十" means it): the school gate is staffed that day too.
	in.Rules[3].ValidFrom = DateOf(2025, 1, 1)
	s = expandT(t, in, "2025-01-20", "2025-02-05")
	var school []Date
	for _, x := range slotsOf(s, "r-school") {
		school = append(school, x.Date)
	}
	if !slices.Contains(school, DateOf(2025, 1, 28)) || slices.Contains(school, DateOf(2025, 1, 29)) {
		t.Errorf("school gate days with 除夕 added: %v", school)
	}
	if slices.Contains(s.Unapplied, "x-cx") {
		t.Errorf("除夕加巡 reported unapplied")
	}
}

func TestSwapApplies(t *testing.T) {
	in := post(t)
	plain := slotsOf(expandT(t, in, "2027-02-01", "2027-02-02"), "r-duty")
	a, b := plain[0].PersonIDs[0], plain[1].PersonIDs[0]
	in.Exceptions = Swap("sw", "r-duty", a, DateOf(2027, 2, 1), b, DateOf(2027, 2, 2))
	s := expandT(t, in, "2027-02-01", "2027-02-03")
	d := slotsOf(s, "r-duty")
	if d[0].PersonIDs[0] != b || d[1].PersonIDs[0] != a {
		t.Errorf("swap: %v %v, want %s %s", d[0].PersonIDs, d[1].PersonIDs, b, a)
	}
	if len(s.Unapplied) != 0 {
		t.Errorf("unapplied: %v", s.Unapplied)
	}
	// The rotation itself is untouched after the swapped days.
	after := slotsOf(expandT(t, post(t), "2027-02-03", "2027-02-03"), "r-duty")
	if d[2].PersonIDs[0] != after[0].PersonIDs[0] {
		t.Errorf("02-03 %v, want %v", d[2].PersonIDs, after[0].PersonIDs)
	}
}

func TestExpandErrors(t *testing.T) {
	mod := func(f func(in *Input)) Input { in := post(t); f(&in); return in }
	cases := map[string]Input{
		"rotation over nobody": mod(func(in *Input) {
			in.Rules[3].People = nil
			in.Teams = append(in.Teams, Team{ID: "t3", Name: "空队"})
			in.Rules[3].TeamID = "t3"
		}),
		"rotation without start": mod(func(in *Input) { in.Rules[3].ValidFrom = 0 }),
		"rotation too many":      mod(func(in *Input) { in.Rules[3].Rotate = 4 }),
		"min people > rotate":    mod(func(in *Input) { in.Rules[3].MinPeople = 2 }),
		"empty spec":             mod(func(in *Input) { in.Rules[0].Spec = Spec{} }),
		"lunar without days":     mod(func(in *Input) { in.Rules[1].Spec = Spec{Kind: Lunar} }),
		"no windows":             mod(func(in *Input) { in.Rules[0].Windows = nil }),
		"overlapping windows":    mod(func(in *Input) { in.Rules[2].Windows = win(t, "07:00-08:00、07:30-09:00") }),
		"valid_to before from":   mod(func(in *Input) { in.Rules[3].ValidTo = DateOf(2025, 1, 1) }),
		"unknown member":         mod(func(in *Input) { in.Rules[2].People = []string{"nobody"} }),
		"member twice":           mod(func(in *Input) { in.Rules[2].People = []string{"p1", "p1"} }),
		"unknown team":           mod(func(in *Input) { in.Rules[0].TeamID = "zz" }),
		"unknown kind":           mod(func(in *Input) { in.Rules[0].Kind = "party" }),
		"duplicate rule":         mod(func(in *Input) { in.Rules[1].ID = "r-daily" }),
		"exception no days":      mod(func(in *Input) { in.Exceptions = []Exception{{ID: "x", Action: Cancel}} }),
		"exception unknown rule": mod(func(in *Input) {
			in.Exceptions = []Exception{{ID: "x", Action: Cancel, Dates: &DateRange{From: 1, To: 1}, Rules: []string{"zz"}}}
		}),
		"exception bad lunar": mod(func(in *Input) {
			in.Exceptions = []Exception{{ID: "x", Action: Cancel, LunarFrom: &LunarMD{13, 1}, LunarTo: &LunarMD{1, 1}}}
		}),
		"replace self": mod(func(in *Input) {
			in.Exceptions = Swap("s", "r-duty", "h1", DateOf(2026, 1, 5), "h1", DateOf(2026, 1, 6))
		}),
		"add without rules": mod(func(in *Input) {
			in.Exceptions = []Exception{{ID: "x", Action: Add, Dates: &DateRange{From: DateOf(2026, 1, 1), To: DateOf(2026, 1, 1)}}}
		}),
		"bad action": mod(func(in *Input) {
			in.Exceptions = []Exception{{ID: "x", Action: "move", Dates: &DateRange{From: DateOf(2026, 1, 1), To: DateOf(2026, 1, 1)}}}
		}),
		"leave backwards":         mod(func(in *Input) { in.Members[0].Leave = []DateRange{{From: DateOf(2026, 1, 5), To: DateOf(2026, 1, 1)}} }),
		"member of unknown team":  mod(func(in *Input) { in.Members[0].TeamID = "zz" }),
		"every-N without anchor":  mod(func(in *Input) { in.Rules[1].Spec = Spec{Kind: EveryN, Every: 5} }),
		"contradictory spec kind": mod(func(in *Input) { in.Rules[1].Spec = Spec{Kind: Weekly, Weekdays: []int{1}, Endings: []int{2}} }),
	}
	for name, in := range cases {
		if _, err := Expand(in, DateOf(2026, 12, 1), DateOf(2026, 12, 31)); err == nil {
			t.Errorf("%s: want an error", name)
		} else if !strings.Contains(err.Error(), "rule") && !strings.Contains(err.Error(), "exception") && !strings.Contains(err.Error(), "member") {
			t.Errorf("%s: error does not say where: %v", name, err)
		}
	}
	for _, r := range [][2]Date{{DateOf(1850, 1, 1), DateOf(1850, 2, 1)}, {DateOf(2099, 12, 1), DateOf(2100, 1, 5)},
		{DateOf(2026, 12, 31), DateOf(2026, 12, 1)}, {DateOf(2020, 1, 1), DateOf(2040, 1, 1)}} {
		if _, err := Expand(post(t), r[0], r[1]); err == nil {
			t.Errorf("range %s..%s: want an error", r[0], r[1])
		}
	}
}

func TestMemberOffWeekday(t *testing.T) {
	in := post(t)
	in.Members[0].Off = []WeekdaysOff{{Days: []time.Weekday{time.Friday}}} // 王村警 never on Fridays
	s := expandT(t, in, "2026-12-04", "2026-12-04")                        // a Friday
	for _, x := range slotsOf(s, "r-school") {
		if slices.Contains(x.PersonIDs, "m1") || !hasConflict(x, ConflictOnLeave, "m1") || !hasConflict(x, ConflictShort, "") {
			t.Errorf("%+v", x)
		}
	}
}

// A roster too large to lay out (10,000 people on every slot of two rules
// that overlap, for ten years: 73 million bookings and as many double
// bookings) is a clear error, returned at once, not minutes of work and
// gigabytes; a month of one rule of the same team still expands.
func TestExpandHugeTeamIsBounded(t *testing.T) {
	in := Input{Teams: []Team{{ID: "t", Name: "T"}}}
	for i := range 10000 {
		in.Members = append(in.Members, Member{ID: fmt.Sprintf("m%05d", i), TeamID: "t", Name: fmt.Sprintf("人%d", i)})
	}
	in.Rules = []Rule{
		{ID: "a", Name: "早巡", TeamID: "t", Kind: KindPatrol, Spec: Spec{Kind: Daily}, Windows: win(t, "08:00-10:00")},
		{ID: "b", Name: "集市", TeamID: "t", Kind: KindMarket, Spec: Spec{Kind: Daily}, Windows: win(t, "09:00-11:00")},
	}
	from := DateOf(2026, 1, 1)
	if _, err := Expand(in, from, from+MaxRangeDays-1); err == nil || !strings.Contains(err.Error(), "shorter range") {
		t.Errorf("ten years of 10,000 people on two rules: err %v, want one asking for a shorter range", err)
	}
	// Within the bookings but not the double bookings: 34 days of three
	// overlapping rules book 1,020,000 people and double-book them
	// 1,020,000 times.
	in2 := in
	in2.Rules = []Rule{in.Rules[0], in.Rules[1], in.Rules[1]}
	in2.Rules[2].ID, in2.Rules[2].Name = "c", "集市二"
	if _, err := Expand(in2, from, from+33); err == nil || !strings.Contains(err.Error(), "double-books") {
		t.Errorf("34 days of 10,000 people on three overlapping rules: err %v, want too many double bookings", err)
	}
	in.Rules = in.Rules[:1]
	s, err := Expand(in, from, from+30)
	if err != nil || len(s.Slots) != 31 || len(s.Slots[0].PersonIDs) != 10000 {
		t.Fatalf("a month of one rule: err %v", err)
	}
}

// TestMemberOffFromItsDay: regular days off set on a day apply from that
// day on; the Fridays before keep the member on duty.
func TestMemberOffFromItsDay(t *testing.T) {
	in := post(t)
	in.Members[0].Off = []WeekdaysOff{{From: DateOf(2026, 12, 5), Days: []time.Weekday{time.Friday}}}
	s := expandT(t, in, "2026-12-04", "2026-12-11") // two Fridays
	slots := slotsOf(s, "r-school")
	if len(slots) != 6 {
		t.Fatalf("%d 护学岗 slots from Friday to Friday, want 6 (morning and afternoon of Fri, Mon, Fri)", len(slots))
	}
	for _, x := range slots {
		off := x.Date >= DateOf(2026, 12, 5) && x.Date.Weekday() == time.Friday
		if slices.Contains(x.PersonIDs, "m1") == off {
			t.Errorf("%s (%s): m1 on duty %v, want %v", x.Date, x.Date.Weekday(), !off, !off)
		}
	}
}
