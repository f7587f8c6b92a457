package schedule

import (
	"slices"
	"strings"
	"testing"

	"cunjing/store/schedule/almanac"
)

func defaultHolidaysT(t testing.TB) []Holiday {
	t.Helper()
	hs, err := DefaultHolidays()
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

// holidayPost is the small post of expand_test with the default calendar
// and a market that falls on 初一, 初二 and 初六 (逢一、二、六).
func holidayPost(t *testing.T) Input {
	in := post(t)
	in.Holidays = defaultHolidaysT(t)
	for i := range in.Rules {
		if in.Rules[i].ID == "r-market" {
			in.Rules[i].Spec = spec(t, "农历逢一、二、六")
		}
	}
	return in
}

func ruleOn(s *Schedule, ruleID string, d Date) bool {
	return slices.ContainsFunc(s.Slots, func(x Slot) bool { return x.RuleID == ruleID && x.Date == d })
}

func TestHolidaysInExpansion(t *testing.T) {
	for _, tc := range []struct {
		name   string
		date   string
		rule   string
		policy string // "" keeps the rule's default
		want   bool
	}{
		{"护学岗 not on 元旦 2026 (Friday)", "2026-01-02", "r-school", "", false},
		{"护学岗 not on 元旦 2027 (Friday)", "2027-01-01", "r-school", "", false},
		{"护学岗 not in the winter break", "2026-02-02", "r-school", "", false},
		{"护学岗 not in the Spring Festival", "2026-02-16", "r-school", "", false},
		{"护学岗 not in the summer break", "2026-08-07", "r-school", "", false},
		{"护学岗 when school is back", "2026-03-02", "r-school", "", true},
		{"护学岗 on an ordinary Friday", "2026-12-04", "r-school", "", true},
		{"护学岗 on 国庆节 off", "2026-10-02", "r-school", "", false},
		{"护学岗 set to keep holidays", "2026-01-02", "r-school", HolidaysKeep, true},
		{"no market on 春节 2027 (正月初一)", "2027-02-06", "r-market", "", false},
		{"no market on 正月初二 2026", "2026-02-18", "r-market", "", false},
		{"no market on 正月初二 2027", "2027-02-07", "r-market", "", false},
		{"market on 正月初六, a public holiday", "2026-02-22", "r-market", "", true},
		{"market on 国庆节 (八月廿一)", "2026-10-01", "r-market", "", true},
		{"market on 正月初二 when the town keeps it", "2026-02-18", "r-market", HolidaysKeep, true},
		{"daily patrol keeps 春节", "2026-02-17", "r-daily", "", true},
		{"24-hour duty keeps 元旦", "2026-01-01", "r-duty", "", true},
		{"a patrol that skips public holidays", "2026-10-01", "r-daily", SkipPublic, false},
		{"…but not a 调休 working Saturday", "2026-10-10", "r-daily", SkipPublic, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := holidayPost(t)
			for i := range in.Rules {
				if in.Rules[i].ID == tc.rule {
					in.Rules[i].Holidays = tc.policy
				}
			}
			d := mustDate(t, tc.date)
			if tc.rule == "r-market" && tc.want {
				// The case must be a market day by the spec itself.
				l, err := almanac.LibraryLunar(d)
				if err != nil {
					t.Fatal(err)
				}
				if e := l.Day % 10; e != 1 && e != 2 && e != 6 {
					t.Fatalf("bad case: %s is lunar %s, not a 逢一、二、六 market day", tc.date, l)
				}
			}
			s := expandT(t, in, tc.date, tc.date)
			if got := ruleOn(s, tc.rule, d); got != tc.want {
				t.Errorf("%s on %s: %v, want %v (day %+v)", tc.rule, tc.date, got, tc.want, s.Days[0])
			}
		})
	}
}

func TestHolidayDayMarks(t *testing.T) {
	s := expandT(t, holidayPost(t), "2026-01-01", "2026-02-28")
	day := func(ds string) Day { return s.Days[mustDate(t, ds)-s.From] }
	if m := day("2026-01-01").Holidays; len(m) != 1 || m[0].Name != "元旦" || m[0].Confirmed {
		t.Errorf("2026-01-01 marks %+v, want 元旦 unconfirmed", m)
	}
	if m := day("2026-01-04").Holidays; len(m) != 1 || m[0].Kind != HolidayWorkday {
		t.Errorf("2026-01-04 marks %+v, want 调休上班", m)
	}
	if m := day("2026-02-18").Holidays; !slices.ContainsFunc(m, func(h HolidayMark) bool { return h.Name == SpringBreakName }) ||
		!slices.ContainsFunc(m, func(h HolidayMark) bool { return h.Name == "寒假" }) {
		t.Errorf("2026-02-18 (正月初二) marks %+v, want 春节, 寒假 and 春节休集", m)
	}
	if m := day("2026-01-13").Holidays; len(m) != 0 {
		t.Errorf("an ordinary day has marks %+v", m)
	}
	// Markets of the lunar month are held except 正月初一–初五.
	for _, x := range slotsOf(s, "r-market") {
		if l := s.Days[x.Date-s.From].Lunar; l.Month == 1 && l.Day <= 5 {
			t.Errorf("market on %s (%s)", x.Date, l)
		}
	}
}

// An explicit 加巡 on a holiday is kept: the holiday drops only the rule's
// own days.
func TestHolidayAddExceptionWins(t *testing.T) {
	in := holidayPost(t)
	in.Exceptions = []Exception{{ID: "x", Name: "元旦加岗", Action: Add, Dates: &DateRange{From: DateOf(2026, 1, 2), To: DateOf(2026, 1, 2)}, Rules: []string{"r-school"}}}
	s := expandT(t, in, "2026-01-02", "2026-01-02")
	if !ruleOn(s, "r-school", DateOf(2026, 1, 2)) {
		t.Error("the added school-gate day on 元旦 was dropped")
	}
}

// A rotation does not take a turn on a day its rule skips, exactly as for
// a cancelled day, and stays fair.
func TestHolidayRotationStaysFair(t *testing.T) {
	in := holidayPost(t)
	for i := range in.Rules {
		if in.Rules[i].ID == "r-duty" {
			in.Rules[i].Holidays = SkipPublic
		}
	}
	s := expandT(t, in, "2026-01-01", "2026-12-31")
	for _, d := range []string{"2026-01-01", "2026-02-17", "2026-10-05"} {
		if ruleOn(s, "r-duty", mustDate(t, d)) {
			t.Errorf("duty set to skip public holidays stands on %s", d)
		}
	}
	counts := CountTurns(s.Slots, "r-duty")
	lo, hi := 1<<30, 0
	for _, n := range counts {
		lo, hi = min(lo, n), max(hi, n)
	}
	if len(counts) != 3 || hi-lo > 1 {
		t.Errorf("turns %v: not within one of each other", counts)
	}
}

func TestHolidayPolicyParse(t *testing.T) {
	for _, tc := range []struct {
		in, kind, want string
		bad            bool
	}{
		{"", KindSchoolGate, SkipSchool, false},
		{"", KindMarket, SkipSpring, false},
		{"", KindPatrol, HolidaysKeep, false},
		{"", KindDuty, HolidaysKeep, false},
		{"public,spring", KindMarket, "public,spring", false},
		{"public、spring", KindMarket, "public、spring", false},
		{"keep", KindSchoolGate, "keep", false},
		{"keep,public", KindPatrol, "", true},
		{"weekends", KindPatrol, "", true},
	} {
		got, err := ParseHolidayPolicy(tc.in, tc.kind)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("ParseHolidayPolicy(%q, %s) = %q, %v; want %q, bad %v", tc.in, tc.kind, got, err, tc.want, tc.bad)
		}
	}
	in := post(t)
	in.Rules[0].Holidays = "sundays"
	if _, err := Expand(in, DateOf(2026, 1, 1), DateOf(2026, 1, 2)); err == nil {
		t.Error("a bad policy expanded")
	}
	in = post(t)
	in.Holidays = []Holiday{{Name: "坏", Kind: "party", Dates: DateRange{From: DateOf(2026, 1, 1), To: DateOf(2026, 1, 1)}}}
	if _, err := Expand(in, DateOf(2026, 1, 1), DateOf(2026, 1, 2)); err == nil {
		t.Error("a bad holiday expanded")
	}
}

// A 调休上班 weekend day is a working day: a rule held on every working
// weekday (工作日, 周一至周五) is held on it — schools hold classes, so the
// school gate is kept — while a rule on some weekdays only, or one whose
// holiday policy skips the day (寒假), is not.
func TestWorkdayRuleOnMakeUpDay(t *testing.T) {
	for _, tc := range []struct {
		name, rule, spec, date string
		want                   bool
	}{
		{"周一至周五 护学岗 on 国庆节调休上班 (Saturday)", "r-school", "周一至周五", "2026-10-10", true},
		{"工作日 patrol on 国庆节调休上班 (Sunday)", "r-daily", "工作日", "2026-09-20", true},
		{"工作日 patrol on 元旦调休上班 (Sunday)", "r-daily", "工作日", "2026-01-04", true},
		{"周一至周六 patrol on 国庆节调休上班 (Sunday)", "r-daily", "周一至周六", "2026-09-20", true},
		{"工作日 patrol on an ordinary Saturday", "r-daily", "工作日", "2026-10-17", false},
		{"每周一、五 护学岗 on a 调休 Saturday", "r-school", "每周一、五", "2026-10-10", false},
		{"周一至周五 护学岗 on 春节调休上班 in the winter break", "r-school", "周一至周五", "2026-02-14", false},
		{"每周六 patrol on a 调休 Sunday", "r-daily", "每周六", "2026-09-20", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := holidayPost(t)
			for i := range in.Rules {
				if in.Rules[i].ID == tc.rule {
					in.Rules[i].Spec = spec(t, tc.spec)
				}
			}
			d := mustDate(t, tc.date)
			s := expandT(t, in, tc.date, tc.date)
			if got := ruleOn(s, tc.rule, d); got != tc.want {
				t.Errorf("%s (%s) on %s (%s): %v, want %v (day %+v)", tc.rule, tc.spec, tc.date, d.Weekday(), got, tc.want, s.Days[0])
			}
		})
	}
}

// Beyond the years the calendar holds (the app ships 2026 and 2027), the
// 护学岗 is planned on 元旦 and through the breaks as on ordinary days: the
// schedule and the figures say which years and rules, instead of planning
// them in silence.
func TestHolidayGapsBeyondTheCalendar(t *testing.T) {
	in := holidayPost(t)
	s := expandT(t, in, "2027-12-27", "2028-01-07")
	if !ruleOn(s, "r-school", DateOf(2027, 12, 31)) || !ruleOn(s, "r-school", DateOf(2028, 1, 3)) {
		t.Fatalf("bad case: 护学岗 not on Friday 2027-12-31 and Monday 2028-01-03")
	}
	want := []HolidayGap{{Year: 2028, Kind: HolidayPublic, Rules: []string{"护学岗"}}, {Year: 2028, Kind: HolidaySchool, Rules: []string{"护学岗"}}}
	if !slices.EqualFunc(s.HolidayGaps, want, func(a, b HolidayGap) bool {
		return a.Year == b.Year && a.Kind == b.Kind && slices.Equal(a.Rules, b.Rules)
	}) {
		t.Errorf("gaps %+v, want %+v", s.HolidayGaps, want)
	}
	if msg := s.HolidayGaps[0].String(); !strings.Contains(msg, "for 2028") || !strings.Contains(msg, "护学岗") {
		t.Errorf("gap says %q", msg)
	}
	// Within the shipped years, nothing to say.
	if s := expandT(t, in, "2027-01-01", "2027-12-31"); len(s.HolidayGaps) != 0 {
		t.Errorf("2027: gaps %+v", s.HolidayGaps)
	}
	// The station's 2028 national calendar closes that gap only.
	in.Holidays = append(in.Holidays, Holiday{Name: "元旦", Kind: HolidayPublic, Dates: DateRange{From: DateOf(2028, 1, 1), To: DateOf(2028, 1, 1)}})
	if s := expandT(t, in, "2028-01-01", "2028-01-07"); len(s.HolidayGaps) != 1 || s.HolidayGaps[0].Kind != HolidaySchool {
		t.Errorf("with 2028 元旦 stored: gaps %+v", s.HolidayGaps)
	}
	// A rule that keeps holidays does not consult the calendar; nor does
	// a rule not in force that year.
	for i := range in.Rules {
		if in.Rules[i].ID == "r-school" {
			in.Rules[i].ValidTo = DateOf(2027, 12, 31)
		}
	}
	if s := expandT(t, in, "2028-01-01", "2028-01-07"); len(s.HolidayGaps) != 0 {
		t.Errorf("the 护学岗 ended in 2027: gaps %+v", s.HolidayGaps)
	}
	in.Holidays = nil
	if s := expandT(t, in, "2028-01-01", "2028-01-07"); len(s.HolidayGaps) != 0 {
		t.Errorf("no calendar at all: gaps %+v", s.HolidayGaps)
	}
}

// A post's own school holiday (a village school's 农忙假) for a year the
// calendar otherwise lacks does not hide that the year's 寒假 and 暑假
// are missing, and a year with one of them says which is missing; a
// post's own local day does not stand for the national calendar. Red
// before: any school entry of a year closed its school gap.
func TestHolidayGapsSayWhatIsMissing(t *testing.T) {
	busy := Holiday{Name: "农忙假", Kind: HolidaySchool, Dates: DateRange{From: DateOf(2028, 5, 29), To: DateOf(2028, 6, 4)}}
	winter := Holiday{Name: "寒假", Kind: HolidaySchool, Dates: DateRange{From: DateOf(2028, 1, 22), To: DateOf(2028, 2, 20)}}
	summer := Holiday{Name: "暑假", Kind: HolidaySchool, Dates: DateRange{From: DateOf(2028, 7, 8), To: DateOf(2028, 8, 31)}}
	fair := Holiday{Name: "庙会", Kind: HolidayPublic, Dates: DateRange{From: DateOf(2028, 3, 3), To: DateOf(2028, 3, 3)}}
	newYear := Holiday{Name: "元旦", Kind: HolidayPublic, Dates: DateRange{From: DateOf(2028, 1, 1), To: DateOf(2028, 1, 1)}}
	for _, c := range []struct {
		name  string
		added []Holiday
		want  []HolidayGap // Rules left out: 护学岗 in each
	}{
		{"nothing for 2028", nil, []HolidayGap{{Year: 2028, Kind: HolidayPublic}, {Year: 2028, Kind: HolidaySchool, Missing: []string{"寒假", "暑假"}}}},
		{"only the post's 农忙假", []Holiday{busy}, []HolidayGap{{Year: 2028, Kind: HolidayPublic}, {Year: 2028, Kind: HolidaySchool, Missing: []string{"寒假", "暑假"}}}},
		{"农忙假 and 寒假", []Holiday{busy, winter}, []HolidayGap{{Year: 2028, Kind: HolidayPublic}, {Year: 2028, Kind: HolidaySchool, Missing: []string{"暑假"}}}},
		{"寒假 and 暑假", []Holiday{winter, summer}, []HolidayGap{{Year: 2028, Kind: HolidayPublic}}},
		{"only a local 庙会", []Holiday{fair, winter, summer}, []HolidayGap{{Year: 2028, Kind: HolidayPublic}}},
		{"元旦 published", []Holiday{newYear, busy, winter, summer}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := holidayPost(t)
			in.Holidays = append(in.Holidays, c.added...)
			s := expandT(t, in, "2028-01-01", "2028-12-31")
			if !slices.EqualFunc(s.HolidayGaps, c.want, func(a, b HolidayGap) bool {
				return a.Year == b.Year && a.Kind == b.Kind && slices.Equal(a.Missing, b.Missing) && slices.Equal(a.Rules, []string{"护学岗"})
			}) {
				t.Errorf("gaps %+v, want %+v", s.HolidayGaps, c.want)
			}
		})
	}
}
