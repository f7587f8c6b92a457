package schedule

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"cunjing/store/schedule/almanac"
)

// SpecKind says how a Spec picks its days.
type SpecKind string

// The kinds of calendar rule villages use.
const (
	Daily   SpecKind = "daily"  // 每天
	Lunar   SpecKind = "lunar"  // 农历逢二、五、十 / 农历每月初一、十五
	Solar   SpecKind = "solar"  // 公历逢1、5、8 / 每月1日、15日
	Weekly  SpecKind = "weekly" // 每周一、五
	Branch  SpecKind = "branch" // 赶辰戌: days whose earthly branch is listed
	EveryN  SpecKind = "every"  // 五天一集: every N days from an anchor date
	maxEvry          = 60
)

// Short-month policies (see the package doc).
const (
	ShortMonthLastDay = "last_day" // default: a day-30 market falls on day 29 (or Feb 28/29)
	ShortMonthSkip    = "skip"     // a day-30 market does not happen in a short month
)

// Spec is the calendar part of a shift rule: which days it falls on. It is
// what the store persists as JSON text; the keys below are stable.
type Spec struct {
	Kind SpecKind `json:"kind"`
	// Endings are day-of-month endings for Lunar and Solar: 1..9, and 10 for
	// 十 (lunar) or 0 (solar). 逢二、五、十 is [2 5 10]: days 2,5,10,12,15,20,22,25,30.
	Endings []int `json:"endings,omitempty"`
	// Days are explicit days of the month for Lunar (1..30) and Solar (1..31):
	// 初一、十五 is [1 15].
	Days []int `json:"days,omitempty"`
	// Weekdays for Weekly: 1 = Monday … 7 = Sunday.
	Weekdays []int `json:"weekdays,omitempty"`
	// Branches for Branch: earthly branches 子 … 亥 of the day.
	Branches []string `json:"branches,omitempty"`
	// Every and Anchor for EveryN: every Every days counting from Anchor, a
	// day known to be on the rule.
	Every  int  `json:"every,omitempty"`
	Anchor Date `json:"anchor,omitempty"`
	// ShortMonth is "" (= last_day) or "skip"; only for Lunar and Solar.
	ShortMonth string `json:"short_month,omitempty"`
	// Text is the rule as the officer wrote it (农历逢2、5、10), stored
	// with what it was read as, so a later reading of the same words (a
	// parser fix) can be offered to the officer (Recheck). "" in a spec
	// saved before it was kept. ParseSpec leaves it to the caller.
	Text string `json:"text,omitempty"`
}

// MaxSpecText bounds Spec.Text.
const MaxSpecText = 500

// Validate reports a Spec that is empty, contradictory or out of range.
func (s Spec) Validate() error {
	other := func(field string, set bool) error {
		if set {
			return fmt.Errorf("%s rule: %s does not apply to it", s.Kind, field)
		}
		return nil
	}
	checks := []struct {
		field string
		set   bool
		ok    bool
	}{
		{"endings", len(s.Endings) > 0, s.Kind == Lunar || s.Kind == Solar},
		{"days", len(s.Days) > 0, s.Kind == Lunar || s.Kind == Solar},
		{"weekdays", len(s.Weekdays) > 0, s.Kind == Weekly},
		{"branches", len(s.Branches) > 0, s.Kind == Branch},
		{"every", s.Every != 0, s.Kind == EveryN},
		{"anchor", s.Anchor != 0, s.Kind == EveryN},
		{"short_month", s.ShortMonth != "", s.Kind == Lunar || s.Kind == Solar},
	}
	if len(s.Text) > MaxSpecText {
		return fmt.Errorf("rule text is %d bytes, more than %d", len(s.Text), MaxSpecText)
	}
	switch s.Kind {
	case Daily, Lunar, Solar, Weekly, Branch, EveryN:
	case "":
		return fmt.Errorf("rule has no kind: want one of daily, lunar, solar, weekly, branch, every")
	default:
		return fmt.Errorf("unknown rule kind %q: want one of daily, lunar, solar, weekly, branch, every", s.Kind)
	}
	for _, c := range checks {
		if !c.ok {
			if err := other(c.field, c.set); err != nil {
				return err
			}
		}
	}
	switch s.Kind {
	case Lunar, Solar:
		if len(s.Endings) == 0 && len(s.Days) == 0 {
			return fmt.Errorf("%s rule names no days: give endings (逢二、五、十) or days (初一、十五)", s.Kind)
		}
		for _, e := range s.Endings {
			if e < 1 || e > 10 {
				return fmt.Errorf("%s rule: day ending %d out of range 1..10 (10 = 十)", s.Kind, e)
			}
		}
		maxDay := 30
		if s.Kind == Solar {
			maxDay = 31
		}
		for _, d := range s.Days {
			if d < 1 || d > maxDay {
				return fmt.Errorf("%s rule: day %d out of range 1..%d", s.Kind, d, maxDay)
			}
		}
		if s.ShortMonth != "" && s.ShortMonth != ShortMonthLastDay && s.ShortMonth != ShortMonthSkip {
			return fmt.Errorf("%s rule: short_month %q: want %q or %q", s.Kind, s.ShortMonth, ShortMonthLastDay, ShortMonthSkip)
		}
	case Weekly:
		if len(s.Weekdays) == 0 {
			return fmt.Errorf("weekly rule names no weekdays")
		}
		for _, w := range s.Weekdays {
			if w < 1 || w > 7 {
				return fmt.Errorf("weekly rule: weekday %d out of range 1 (Monday)..7 (Sunday)", w)
			}
		}
	case Branch:
		if len(s.Branches) == 0 {
			return fmt.Errorf("branch rule names no earthly branches (子丑寅卯辰巳午未申酉戌亥)")
		}
		for _, b := range s.Branches {
			if branchIndex(b) < 0 {
				return fmt.Errorf("branch rule: %q is not an earthly branch (子丑寅卯辰巳午未申酉戌亥)", b)
			}
		}
	case EveryN:
		if s.Every < 1 || s.Every > maxEvry {
			return fmt.Errorf("every-N-days rule: every %d out of range 1..%d", s.Every, maxEvry)
		}
		if s.Anchor == 0 {
			return fmt.Errorf("every-%d-days rule needs an anchor: a date known to be on the rule (a market day)", s.Every)
		}
		if err := almanac.CheckRange(s.Anchor); err != nil {
			return fmt.Errorf("every-%d-days rule anchor: %w", s.Every, err)
		}
	}
	return nil
}

func branchIndex(b string) int {
	for i, n := range almanac.Branches() {
		if n == b {
			return i
		}
	}
	return -1
}

// Normalized returns s with its lists sorted and de-duplicated and the
// default short-month policy left implicit, so equal rules compare equal.
func (s Spec) Normalized() Spec {
	sortUniq := func(v []int) []int {
		if len(v) == 0 {
			return nil
		}
		v = slices.Clone(v)
		slices.Sort(v)
		return slices.Compact(v)
	}
	s.Endings = sortUniq(s.Endings)
	s.Days = sortUniq(s.Days)
	s.Weekdays = sortUniq(s.Weekdays)
	if len(s.Branches) > 0 {
		idx := make([]int, 0, len(s.Branches))
		for _, b := range s.Branches {
			idx = append(idx, branchIndex(b))
		}
		idx = sortUniq(idx)
		s.Branches = make([]string, 0, len(idx))
		for _, i := range idx {
			if i >= 0 {
				s.Branches = append(s.Branches, almanac.Branches()[i])
			} else {
				s.Branches = append(s.Branches, "?")
			}
		}
	}
	if s.Kind == EveryN && s.Every == 1 {
		// Every day from any anchor is every day.
		s = Spec{Kind: Daily}
	}
	if s.ShortMonth == ShortMonthLastDay || (s.ShortMonth == ShortMonthSkip && !s.mentions30()) {
		s.ShortMonth = ""
	}
	return s
}

// matcher is a validated Spec compiled to bit masks.
type matcher struct {
	kind     SpecKind
	days     uint32 // bit d set: day d of the month
	moveLast uint32 // days that fall on the month's last day when the month is too short
	weekdays uint8  // bit time.Weekday
	// workdays: a weekly rule held on every working weekday (工作日,
	// 周一至周五) is held on a 调休上班 weekend day too (see onDay).
	workdays bool
	branches uint16
	every    int
	anchor   Date
}

func compile(s Spec) (matcher, error) {
	if err := s.Validate(); err != nil {
		return matcher{}, err
	}
	m := matcher{kind: s.Kind, every: s.Every, anchor: s.Anchor}
	maxDay := 30
	if s.Kind == Solar {
		maxDay = 31
	}
	for _, e := range s.Endings {
		for d := e; d <= maxDay; d += 10 {
			m.days |= 1 << d
		}
	}
	if m.days&(1<<30) != 0 {
		m.moveLast |= 1 << 30
	}
	for _, d := range s.Days {
		m.days |= 1 << d
		if d >= 29 {
			// An explicit 三十 (or 31st) means "the end of the month" to
			// people, so it moves to the last day when the month lacks it.
			m.moveLast |= 1 << d
		}
	}
	if s.ShortMonth == ShortMonthSkip {
		m.moveLast = 0
	}
	for _, w := range s.Weekdays {
		m.weekdays |= 1 << (w % 7) // 7 (Sunday) → time.Sunday (0)
	}
	const monToFri = 1<<time.Monday | 1<<time.Tuesday | 1<<time.Wednesday | 1<<time.Thursday | 1<<time.Friday
	m.workdays = s.Kind == Weekly && m.weekdays&monToFri == monToFri
	for _, b := range s.Branches {
		m.branches |= 1 << branchIndex(b)
	}
	return m, nil
}

// dayInfo is everything a matcher looks at for one date.
type dayInfo struct {
	date     Date
	lunar    LunarDate
	sDay     int
	sMonthDs int
}

func (m *matcher) match(di *dayInfo) bool {
	switch m.kind {
	case Daily:
		return true
	case Weekly:
		return m.weekdays&(1<<di.date.Weekday()) != 0
	case Branch:
		return m.branches&(1<<almanac.DayBranch(di.date)) != 0
	case EveryN:
		return (int(di.date-m.anchor)%m.every+m.every)%m.every == 0
	case Lunar:
		return monthDayMatch(m.days, m.moveLast, di.lunar.Day, di.lunar.MonthDays)
	case Solar:
		return monthDayMatch(m.days, m.moveLast, di.sDay, di.sMonthDs)
	}
	return false
}

func monthDayMatch(days, moveLast uint32, day, monthDays int) bool {
	if days&(1<<day) != 0 {
		return true
	}
	// On the last day of a short month, pick up the days it lacks.
	return day == monthDays && moveLast>>(monthDays+1) != 0
}

var (
	cnDigits   = [...]string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	weekdayCN  = [...]string{"", "一", "二", "三", "四", "五", "六", "日"}
	shortNotes = map[string]string{ShortMonthSkip: "小月无三十则不补"}
)

const shortLastNote = "小月三十移廿九"

// Describe writes s the way a village would, e.g. "农历逢二、五、十". The text
// parses back to the same Spec with ParseSpec.
func (s Spec) Describe() string {
	s = s.Normalized()
	join := func(v []int, f func(int) string) string {
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = f(x)
		}
		return strings.Join(parts, "、")
	}
	var b strings.Builder
	switch s.Kind {
	case Daily:
		return "每天"
	case Weekly:
		return "每周" + join(s.Weekdays, func(w int) string {
			if w >= 1 && w <= 7 {
				return weekdayCN[w]
			}
			return "?"
		})
	case Branch:
		return "逢" + strings.Join(s.Branches, "、") + "日"
	case EveryN:
		b.WriteString("每" + strconv.Itoa(s.Every) + "天一次")
		if s.Anchor != 0 {
			b.WriteString("（自" + s.Anchor.String() + "起）")
		}
		return b.String()
	case Lunar, Solar:
		if s.Kind == Lunar {
			b.WriteString("农历")
		} else {
			b.WriteString("公历")
		}
		if len(s.Endings) > 0 {
			b.WriteString("逢")
			b.WriteString(join(s.Endings, func(e int) string {
				if s.Kind == Solar {
					return strconv.Itoa(e % 10)
				}
				if e >= 1 && e <= 10 {
					return cnDigits[e]
				}
				return "?"
			}))
		}
		if len(s.Days) > 0 {
			if len(s.Endings) > 0 {
				b.WriteString("及")
			}
			b.WriteString("每月")
			b.WriteString(join(s.Days, func(d int) string {
				if s.Kind == Solar {
					return strconv.Itoa(d) + "日"
				}
				return almanac.LunarDayName(d)
			}))
		}
		if n, ok := shortNotes[s.ShortMonth]; ok && s.mentions30() {
			b.WriteString("（" + n + "）")
		}
		return b.String()
	}
	return string(s.Kind)
}

// mentions30 reports whether the short-month policy can matter: only days
// that a month may lack move.
func (s Spec) mentions30() bool {
	return slices.Contains(s.Endings, 10) || slices.ContainsFunc(s.Days, func(d int) bool { return d >= 29 })
}

// DecodeSpec reads a Spec from the JSON text the store keeps, rejecting
// unknown keys and invalid rules (an every-N-days rule without an anchor
// included), so a damaged or hand-edited row is reported, not guessed at.
func DecodeSpec(text string) (Spec, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	var s Spec
	if err := dec.Decode(&s); err != nil {
		return Spec{}, fmt.Errorf("rule spec JSON: %w", err)
	}
	if dec.More() {
		return Spec{}, fmt.Errorf("rule spec JSON: trailing data")
	}
	if err := s.Validate(); err != nil {
		return Spec{}, fmt.Errorf("rule spec: %w", err)
	}
	return s.Normalized(), nil
}

// EncodeSpec is the JSON text the store keeps for s.
func EncodeSpec(s Spec) (string, error) {
	if err := s.Validate(); err != nil {
		return "", fmt.Errorf("rule spec: %w", err)
	}
	b, err := json.Marshal(s.Normalized())
	if err != nil {
		return "", fmt.Errorf("rule spec JSON: %w", err)
	}
	return string(b), nil
}
