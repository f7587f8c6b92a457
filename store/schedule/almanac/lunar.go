package almanac

import (
	"fmt"
	"sort"

	"github.com/6tail/lunar-go/calendar"
)

// LunarDate is a day of the Chinese lunisolar calendar (农历).
type LunarDate struct {
	Year      int  `json:"year"`  // lunar year, starting at 正月初一
	Month     int  `json:"month"` // 1..12
	Leap      bool `json:"leap,omitempty"`
	Day       int  `json:"day"`        // 1..30
	MonthDays int  `json:"month_days"` // 29 or 30
}

var (
	lunarMonthNames = [...]string{"", "正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月", "腊月"}
	lunarDayNames   = [...]string{"", "初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
		"十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
		"廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十"}
)

// String gives the date as printed on a calendar, e.g. "闰六月初五".
func (l LunarDate) String() string {
	if l.Month < 1 || l.Month > 12 || l.Day < 1 || l.Day > 30 {
		return "?"
	}
	s := lunarMonthNames[l.Month] + lunarDayNames[l.Day]
	if l.Leap {
		s = "闰" + s
	}
	return s
}

// LunarDayName is the name of day d of a lunar month, 初一 … 三十 ("?"
// outside 1..30).
func LunarDayName(d int) string {
	if d < 1 || d > 30 {
		return "?"
	}
	return lunarDayNames[d]
}

// DayName is the short form used in a calendar cell: the month name on 初一,
// the day name otherwise.
func (l LunarDate) DayName() string {
	if l.Month < 1 || l.Month > 12 || l.Day < 1 || l.Day > 30 {
		return "?"
	}
	if l.Day == 1 {
		if l.Leap {
			return "闰" + lunarMonthNames[l.Month]
		}
		return lunarMonthNames[l.Month]
	}
	return lunarDayNames[l.Day]
}

type lunarMonth struct {
	first Date
	year  int
	month int
	leap  bool
	days  int
}

// LunarTable answers solar→lunar for a range of dates from a table of lunar
// months built once from the library (a dozen library calls per year instead
// of one per day). It is read-only after construction and safe to share.
type LunarTable struct {
	from, to Date
	months   []lunarMonth
	idx      []int16 // per day in [from,to]: index into months
}

// NewLunarTable builds the table for [from, to].
func NewLunarTable(from, to Date) (*LunarTable, error) {
	if err := CheckRange(from); err != nil {
		return nil, err
	}
	if err := CheckRange(to); err != nil {
		return nil, err
	}
	if to < from {
		return nil, fmt.Errorf("lunar table: %s is before %s", to, from)
	}
	fy, _, _ := from.YMD()
	ty, _, _ := to.YMD()
	seen := map[Date]bool{}
	var months []lunarMonth
	for y := fy - 1; y <= ty; y++ {
		ms, err := libraryMonths(y)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if !seen[m.first] {
				seen[m.first] = true
				months = append(months, m)
			}
		}
	}
	sort.Slice(months, func(i, j int) bool { return months[i].first < months[j].first })
	for i := 1; i < len(months); i++ {
		if months[i-1].first+Date(months[i-1].days) != months[i].first {
			return nil, fmt.Errorf("lunar table: months around %s do not join up", months[i].first)
		}
	}
	if len(months) == 0 || months[0].first > from || months[len(months)-1].first+Date(months[len(months)-1].days) <= to {
		return nil, fmt.Errorf("lunar table: the calendar library does not cover %s..%s", from, to)
	}
	t := &LunarTable{from: from, to: to, months: months, idx: make([]int16, int(to-from)+1)}
	mi := sort.Search(len(months), func(i int) bool { return months[i].first > from }) - 1
	for d := from; d <= to; d++ {
		for d >= months[mi].first+Date(months[mi].days) {
			mi++
		}
		t.idx[d-from] = int16(mi)
	}
	return t, nil
}

// Covers reports whether d is inside the table.
func (t *LunarTable) Covers(d Date) bool { return d >= t.from && d <= t.to }

// At returns the lunar date of d.
func (t *LunarTable) At(d Date) (LunarDate, error) {
	if !t.Covers(d) {
		return LunarDate{}, fmt.Errorf("lunar table covers %s..%s, not %s", t.from, t.to, d)
	}
	m := t.months[t.idx[d-t.from]]
	return LunarDate{Year: m.year, Month: m.month, Leap: m.leap, Day: int(d-m.first) + 1, MonthDays: m.days}, nil
}

// libraryMonths lists the lunar months the library computes for solar year y
// (about 15, from before the previous winter solstice). The library panics on
// some bad input; that is turned into an error here.
func libraryMonths(y int) (ms []lunarMonth, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("lunar calendar for %d: %v", y, r)
		}
	}()
	for e := calendar.NewLunarYear(y).GetMonths().Front(); e != nil; e = e.Next() {
		m, ok := e.Value.(*calendar.LunarMonth)
		if !ok {
			return nil, fmt.Errorf("lunar calendar for %d: unexpected month value %T", y, e.Value)
		}
		s := calendar.NewSolarFromJulianDay(m.GetFirstJulianDay())
		mon := m.GetMonth()
		leap := mon < 0
		if leap {
			mon = -mon
		}
		ms = append(ms, lunarMonth{
			first: DateOf(s.GetYear(), s.GetMonth(), s.GetDay()),
			year:  m.GetYear(), month: mon, leap: leap, days: m.GetDayCount(),
		})
	}
	return ms, nil
}

// LibraryLunar converts one date by asking the library directly, with no
// table: the naive path, kept for the benchmark baseline and to cross-check
// the table in tests.
func LibraryLunar(d Date) (l LunarDate, err error) {
	if err := CheckRange(d); err != nil {
		return LunarDate{}, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("lunar date of %s: %v", d, r)
		}
	}()
	y, m, day := d.YMD()
	ld := calendar.NewLunarFromSolar(calendar.NewSolarFromYmd(y, m, day))
	mon := ld.GetMonth()
	days := calendar.NewLunarMonthFromYm(ld.GetYear(), mon).GetDayCount()
	l = LunarDate{Year: ld.GetYear(), Month: mon, Day: ld.GetDay(), MonthDays: days}
	if mon < 0 {
		l.Month, l.Leap = -mon, true
	}
	return l, nil
}

// DayBranch is the earthly branch of d's day in the sexagenary cycle
// (0 = 子 … 11 = 亥); 1949-10-01 was a 甲子 day.
func DayBranch(d Date) int { return ((int(d)-11)%12 + 12) % 12 }

// dayStem is the heavenly stem (0 = 甲 … 9 = 癸).
func dayStem(d Date) int { return ((int(d)-11)%10 + 10) % 10 }

var (
	branchNames = [...]string{"子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉", "戌", "亥"}
	stemNames   = [...]string{"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"}
)

// Branches are the twelve earthly branches, 子 … 亥, in the cycle's order.
func Branches() [12]string { return branchNames }

// DayGanZhi is the sexagenary name of d's day, e.g. "甲子".
func DayGanZhi(d Date) string { return stemNames[dayStem(d)] + branchNames[DayBranch(d)] }
