package schedule

// How rules meet the holiday calendar (almanac.Holiday): the policies a
// rule keeps on holidays, the marks a day of the schedule shows, and the
// years an expansion lacks holidays for.

import (
	"fmt"
	"slices"
	"strings"

	"cunjing/store/schedule/almanac"
)

// The holiday calendar itself (its kinds, the shipped defaults, merging
// a station's over them) is package almanac's; these names keep schedule's
// callers as they were.
type Holiday = almanac.Holiday

// Holiday kinds (almanac's).
const (
	HolidayPublic  = almanac.HolidayPublic
	HolidayWorkday = almanac.HolidayWorkday
	HolidaySchool  = almanac.HolidaySchool
)

// HolidayKinds lists the valid Holiday.Kind values.
var HolidayKinds = almanac.HolidayKinds

// DefaultHolidays is almanac.DefaultHolidays: the calendar the app ships.
func DefaultHolidays() ([]Holiday, error) { return almanac.DefaultHolidays() }

// MergeHolidays is almanac.MergeHolidays: the stored calendar over the defaults.
func MergeHolidays(defaults, stored []Holiday) []Holiday {
	return almanac.MergeHolidays(defaults, stored)
}

// HolidaysOn is almanac.HolidaysOn: the holidays covering d.
func HolidaysOn(hs []Holiday, d Date) []Holiday { return almanac.HolidaysOn(hs, d) }

// Holiday policies: what a rule does on holidays (Rule.Holidays). A policy
// is "keep" or a comma-separated list of what to skip; "" is the default
// for the rule's kind (DefaultHolidayPolicy).
const (
	HolidaysKeep = "keep"   // holidays remove no slot (a rule on every working weekday still works the calendar's 调休上班 days)
	SkipPublic   = "public" // no slots on 法定节假日
	SkipSchool   = "school" // no slots while school is out: 法定节假日 and school holidays
	SkipSpring   = "spring" // no slots 正月初一–初五 (春节休集)
)

// DefaultHolidayPolicy is the policy of a rule of kind that says nothing:
// the school gate (护学岗) is not kept while school is out; markets keep
// their lunar days except 正月初一–初五; patrols and duty go on.
func DefaultHolidayPolicy(kind string) string {
	switch kind {
	case KindSchoolGate:
		return SkipSchool
	case KindMarket:
		return SkipSpring
	}
	return HolidaysKeep
}

// holidayPolicy is a parsed policy.
type holidayPolicy struct{ public, school, spring bool }

// ParseHolidayPolicy checks a policy string ("" takes the kind's default).
func ParseHolidayPolicy(s, kind string) (string, error) {
	_, err := parseHolidayPolicy(s, kind)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(s) == "" {
		return DefaultHolidayPolicy(kind), nil
	}
	return s, nil
}

func parseHolidayPolicy(s, kind string) (holidayPolicy, error) {
	var p holidayPolicy
	if strings.TrimSpace(s) == "" {
		s = DefaultHolidayPolicy(kind)
	}
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' }) {
		switch tok {
		case HolidaysKeep:
			if s != HolidaysKeep {
				return p, fmt.Errorf("holiday policy %q: keep cannot be combined with what to skip", s)
			}
		case SkipPublic:
			p.public = true
		case SkipSchool:
			p.public, p.school = true, true
		case SkipSpring:
			p.spring = true
		default:
			return p, fmt.Errorf("holiday policy %q: %q is not %s, %s, %s or %s", s, tok, HolidaysKeep, SkipPublic, SkipSchool, SkipSpring)
		}
	}
	return p, nil
}

// skips reports whether the policy drops a day with these marks.
func (p holidayPolicy) skips(m dayMarks, l LunarDate) bool {
	return (p.public && m&markPublic != 0) || (p.school && m&markSchool != 0) || (p.spring && springBreak(l))
}

// springBreak is 正月初一–初五 (not in a leap first month, which comes
// weeks after the festival).
func springBreak(l LunarDate) bool { return l.Month == 1 && !l.Leap && l.Day >= 1 && l.Day <= 5 }

// SpringBreakName is how a day skipped for the Spring Festival break reads.
const SpringBreakName = "春节休集"

// dayMarks are the kinds of holiday covering one day.
type dayMarks uint8

const (
	markPublic dayMarks = 1 << iota
	markWorkday
	markSchool
)

func markOf(kind string) dayMarks {
	switch kind {
	case HolidayPublic:
		return markPublic
	case HolidayWorkday:
		return markWorkday
	}
	return markSchool
}

// HolidayMark is a holiday as a day of the schedule shows it.
type HolidayMark struct {
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Confirmed bool   `json:"confirmed"`
}

// Label is the mark as a calendar cell prints it: "元旦", "寒假（待核实）".
func (m HolidayMark) Label() string {
	if m.Confirmed {
		return m.Name
	}
	return m.Name + "（待核实）"
}

// HolidayGap is a year of an expansion for which the calendar holds no
// holidays of a class (national days, or school holidays) while rules in
// force that year skip them (Rules, by name): beyond the years the app
// ships and the station has published, those rules are planned on every
// holiday as on an ordinary day (the 护学岗 through 国庆节 and the summer
// break), and the patrol figures count those slots as missed. The roster
// says so (Schedule.HolidayGaps, Figures.HolidayGaps) instead of planning
// them in silence.
type HolidayGap struct {
	Year  int      `json:"year"`
	Kind  string   `json:"kind"` // HolidayPublic (放假 and 调休上班) or HolidaySchool
	Rules []string `json:"rules"`
	// Missing names the school breaks the year lacks (SchoolBreaks: 寒假,
	// 暑假), in that order; empty for a public gap. A year holding other
	// school days only (a village school's 农忙假) still lacks both.
	Missing []string `json:"missing,omitempty"`
}

// String says the gap in English, for the command line (the window says
// it in its own language).
func (g HolidayGap) String() string {
	what := "public holidays and make-up working days"
	if g.Kind == HolidaySchool {
		what = "school holidays"
		if len(g.Missing) > 0 && len(g.Missing) < len(SchoolBreaks) {
			what = "school holidays (" + strings.Join(g.Missing, ", ") + ")"
		}
	}
	return fmt.Sprintf("the holiday calendar has no %s for %d: %s are planned on every day of %d as on ordinary days, holidays included; publish %d's holidays from the station, or enter them under 节假日",
		what, g.Year, strings.Join(g.Rules, ", "), g.Year, g.Year)
}

// SchoolBreaks are the school holidays every year's school calendar has
// (a station's or the shipped one), by the word their names hold: a year
// whose calendar lacks one of them has a gap (HolidayGap.Missing), however
// many other school days it holds (a village school's 农忙假).
var SchoolBreaks = []string{"寒假", "暑假"}

// statutoryWords are the national holidays by the words their names hold
// (a day off or its 调休上班): a year's national calendar is held when it
// has one of them, not a post's own local day of the public kind.
var statutoryWords = []string{"元旦", "春节", "清明", "劳动节", "端午", "中秋", "国庆"}

// holidayGaps lists the gaps of from..to (HolidayGap) for the rules in c.
func (c *compiled) holidayGaps(from, to Date) []HolidayGap {
	type key struct {
		year int
		what string // HolidayPublic, or a school break (SchoolBreaks)
	}
	have := map[key]bool{}
	for _, h := range c.holidays {
		var holds []string
		if almanac.HolidayClass(h.Kind) == HolidaySchool {
			for _, b := range SchoolBreaks {
				if strings.Contains(h.Name, b) {
					holds = append(holds, b)
				}
			}
		} else if slices.ContainsFunc(statutoryWords, func(w string) bool { return strings.Contains(h.Name, w) }) {
			holds = append(holds, HolidayPublic)
		}
		fy, _, _ := h.Dates.From.YMD()
		ty, _, _ := h.Dates.To.YMD()
		for y := fy; y <= ty; y++ {
			for _, w := range holds {
				have[key{y, w}] = true
			}
		}
	}
	fy, _, _ := from.YMD()
	ty, _, _ := to.YMD()
	var out []HolidayGap
	for y := fy; y <= ty; y++ {
		lo, hi := max(from, DateOf(y, 1, 1)), min(to, DateOf(y, 12, 31))
		for _, kind := range []string{HolidayPublic, HolidaySchool} {
			var missing []string
			if kind == HolidaySchool {
				for _, b := range SchoolBreaks {
					if !have[key{y, b}] {
						missing = append(missing, b)
					}
				}
				if len(missing) == 0 {
					continue
				}
			} else if have[key{y, kind}] {
				continue
			}
			g := HolidayGap{Year: y, Kind: kind, Missing: missing}
			for _, r := range c.ruleOrder() {
				if r.start > hi || r.ValidTo != 0 && r.ValidTo < lo {
					continue
				}
				if kind == HolidayPublic && r.holidays.public || kind == HolidaySchool && r.holidays.school {
					g.Rules = append(g.Rules, r.Name)
				}
			}
			if g.Rules = slices.Compact(g.Rules); len(g.Rules) > 0 {
				out = append(out, g)
			}
		}
	}
	return out
}
