package almanac

// The holiday calendar: public holidays (法定节假日) as the State Council
// publishes them each November, the weekend days worked in exchange (调休
// 上班), and school holidays (寒假、暑假), which each county's education
// bureau sets. Rules choose what a holiday does to them (Rule.Holidays):
// the police keep patrolling and standing duty, the school gate has no
// children to guard while school is out, and markets keep their lunar
// days except at the Spring Festival (正月初一–初五 no market is held).
//
// The app ships a default calendar (DefaultHolidays): 2026 as published by
// 国办发明电〔2025〕7号, later years computed from the holiday law until
// their notice is out, and school holidays as plain guesses. Every default
// is unconfirmed (待核实) until the station checks it and publishes its own
// calendar, which replaces the defaults year by year (MergeHolidays).

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/6tail/lunar-go/calendar"
)

// Holiday kinds.
const (
	HolidayPublic  = "public"  // 法定节假日（放假，含调休放假的日子）
	HolidayWorkday = "workday" // 调休上班：周末照常上班
	HolidaySchool  = "school"  // 中小学放假：寒假、暑假
)

// HolidayKinds lists the valid Holiday.Kind values.
var HolidayKinds = []string{HolidayPublic, HolidayWorkday, HolidaySchool}

// Holiday is one stretch of the holiday calendar.
type Holiday struct {
	ID    string    `json:"id,omitempty"`
	Name  string    `json:"name"` // 元旦, 春节, 寒假 …
	Kind  string    `json:"kind"`
	Dates DateRange `json:"dates"`
	// Confirmed is set when the station has checked the dates; until then
	// calendars show them as 待核实.
	Confirmed bool `json:"confirmed"`
	// Source says where the dates come from: the State Council notice, the
	// holiday law they were computed from, the county's school calendar.
	Source string `json:"source"`
}

// Validate reports a holiday without a name, kind or dates.
func (h Holiday) Validate() error {
	if strings.TrimSpace(h.Name) == "" {
		return fmt.Errorf("holiday %s: no name", h.Dates)
	}
	if !slices.Contains(HolidayKinds, h.Kind) {
		return fmt.Errorf("holiday %s: kind %q: want one of %v", h.Name, h.Kind, HolidayKinds)
	}
	if err := CheckRange(h.Dates.From); err != nil {
		return fmt.Errorf("holiday %s: from: %w", h.Name, err)
	}
	if err := CheckRange(h.Dates.To); err != nil {
		return fmt.Errorf("holiday %s: to: %w", h.Name, err)
	}
	if h.Dates.To < h.Dates.From {
		return fmt.Errorf("holiday %s: %s is before %s", h.Name, h.Dates.To, h.Dates.From)
	}
	if int(h.Dates.To-h.Dates.From) > 92 {
		return fmt.Errorf("holiday %s: %s..%s is longer than three months", h.Name, h.Dates.From, h.Dates.To)
	}
	return nil
}

// Sources of the default calendar.
const (
	Source2026       = "国办发明电〔2025〕7号（国务院办公厅关于2026年部分节假日安排的通知，2025年11月4日）"
	SourceStatutory  = "按《全国年节及纪念日放假办法》（2024年11月修订，2025年1月1日起施行）推算；放假调休以国务院办公厅当年通知为准"
	SourceSchoolTerm = "默认值：请按县教育局当年校历修改"
)

// NewestNotice is the day of the newest notice this build carries
// (Source2026's 2025年11月4日): a build carrying it was made after that
// day, so no PC running it can rightly be before it (CheckToday: a
// date before it cannot be confirmed as today). A release carrying a
// newer notice moves it.
var NewestNotice = DateOf(2025, 11, 4)

// published are the State Council's arrangements the app knows (放假 and
// 调休上班 days), by year.
var published = map[int][]Holiday{
	2026: {
		{Name: "元旦", Kind: HolidayPublic, Dates: DateRange{From: DateOf(2026, 1, 1), To: DateOf(2026, 1, 3)}},
		{Name: "元旦调休上班", Kind: HolidayWorkday, Dates: DateRange{From: DateOf(2026, 1, 4), To: DateOf(2026, 1, 4)}},
		{Name: "春节调休上班", Kind: HolidayWorkday, Dates: DateRange{From: DateOf(2026, 2, 14), To: DateOf(2026, 2, 14)}},
		{Name: "春节", Kind: HolidayPublic, Dates: DateRange{From: DateOf(2026, 2, 15), To: DateOf(2026, 2, 23)}},
		{Name: "春节调休上班", Kind: HolidayWorkday, Dates: DateRange{From: DateOf(2026, 2, 28), To: DateOf(2026, 2, 28)}},
		{Name: "清明节", Kind: HolidayPublic, Dates: DateRange{From: DateOf(2026, 4, 4), To: DateOf(2026, 4, 6)}},
		{Name: "劳动节", Kind: HolidayPublic, Dates: DateRange{From: DateOf(2026, 5, 1), To: DateOf(2026, 5, 5)}},
		{Name: "劳动节调休上班", Kind: HolidayWorkday, Dates: DateRange{From: DateOf(2026, 5, 9), To: DateOf(2026, 5, 9)}},
		{Name: "端午节", Kind: HolidayPublic, Dates: DateRange{From: DateOf(2026, 6, 19), To: DateOf(2026, 6, 21)}},
		{Name: "国庆节调休上班", Kind: HolidayWorkday, Dates: DateRange{From: DateOf(2026, 9, 20), To: DateOf(2026, 9, 20)}},
		{Name: "中秋节", Kind: HolidayPublic, Dates: DateRange{From: DateOf(2026, 9, 25), To: DateOf(2026, 9, 27)}},
		{Name: "国庆节", Kind: HolidayPublic, Dates: DateRange{From: DateOf(2026, 10, 1), To: DateOf(2026, 10, 7)}},
		{Name: "国庆节调休上班", Kind: HolidayWorkday, Dates: DateRange{From: DateOf(2026, 10, 10), To: DateOf(2026, 10, 10)}},
	},
}

// schoolTerms are default school holidays by year: guesses a post or the
// station replaces with the county's calendar.
var schoolTerms = map[int][]Holiday{
	2026: {
		{Name: "寒假", Kind: HolidaySchool, Dates: DateRange{From: DateOf(2026, 1, 24), To: DateOf(2026, 2, 28)}},
		{Name: "暑假", Kind: HolidaySchool, Dates: DateRange{From: DateOf(2026, 7, 4), To: DateOf(2026, 8, 31)}},
	},
	2027: {
		{Name: "寒假", Kind: HolidaySchool, Dates: DateRange{From: DateOf(2027, 1, 16), To: DateOf(2027, 2, 21)}},
		{Name: "暑假", Kind: HolidaySchool, Dates: DateRange{From: DateOf(2027, 7, 3), To: DateOf(2027, 8, 31)}},
	},
}

// DefaultHolidayYears are the years DefaultHolidays covers.
var DefaultHolidayYears = []int{2026, 2027}

// DefaultHolidays is the calendar the app ships: for each of
// DefaultHolidayYears the published arrangement or, where none is known,
// the statutory days computed from the law, plus default school holidays.
// All unconfirmed. A fresh slice each call.
func DefaultHolidays() ([]Holiday, error) {
	var out []Holiday
	for _, y := range DefaultHolidayYears {
		if p, ok := published[y]; ok {
			for _, h := range p {
				h.Source = Source2026
				out = append(out, h)
			}
		} else {
			hs, err := StatutoryHolidays(y)
			if err != nil {
				return nil, err
			}
			out = append(out, hs...)
		}
		for _, h := range schoolTerms[y] {
			h.Source = SourceSchoolTerm
			out = append(out, h)
		}
	}
	sortHolidays(out)
	for i := range out {
		out[i].ID = defaultHolidayID(out[i])
	}
	return out, nil
}

// defaultHolidayID names a default entry stably ("2026-01-01/public"), so
// a schedule shows the same ids whatever day it is computed.
func defaultHolidayID(h Holiday) string { return "default/" + h.Dates.From.String() + "/" + h.Kind }

// StatutoryHolidays computes year's public holidays from 《全国年节及纪念日
// 放假办法》 as revised in 2024 (in force 2025-01-01): 元旦 1 day, 春节 4
// (除夕 to 正月初三), 清明节 1 (the 清明 solar term), 劳动节 2 (5月1日、2日),
// 端午节 1 (五月初五), 中秋节 1 (八月十五), 国庆节 3 (10月1日–3日). The days
// moved around weekends (调休) are the State Council's yearly choice and
// cannot be computed; the result is unconfirmed.
func StatutoryHolidays(year int) (hs []Holiday, err error) {
	if year < MinYear || year > MaxYear {
		return nil, fmt.Errorf("statutory holidays of %d: year out of range %d..%d", year, MinYear, MaxYear)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("statutory holidays of %d: lunar calendar: %v", year, r)
		}
	}()
	lunarDay := func(m, d int) Date {
		s := calendar.NewLunarFromYmd(year, m, d).GetSolar()
		return DateOf(s.GetYear(), s.GetMonth(), s.GetDay())
	}
	newYear := lunarDay(1, 1)
	qm := calendar.NewSolarFromYmd(year, 4, 15).GetLunar().GetJieQiTable()["清明"]
	if qm == nil {
		return nil, fmt.Errorf("statutory holidays of %d: no 清明 in the lunar tables", year)
	}
	qingming := DateOf(qm.GetYear(), qm.GetMonth(), qm.GetDay())
	day := func(name string, from, to Date) Holiday {
		return Holiday{Name: name, Kind: HolidayPublic, Dates: DateRange{From: from, To: to}, Source: SourceStatutory}
	}
	hs = []Holiday{
		day("元旦", DateOf(year, 1, 1), DateOf(year, 1, 1)),
		day("春节", newYear-1, newYear+2),
		day("清明节", qingming, qingming),
		day("劳动节", DateOf(year, 5, 1), DateOf(year, 5, 2)),
		day("端午节", lunarDay(5, 5), lunarDay(5, 5)),
		day("中秋节", lunarDay(8, 15), lunarDay(8, 15)),
		day("国庆节", DateOf(year, 10, 1), DateOf(year, 10, 3)),
	}
	sortHolidays(hs)
	return hs, nil
}

// HolidayClass groups kinds that replace each other: a year's national
// arrangement (放假 and 调休上班 together), and its school holidays.
func HolidayClass(kind string) string {
	if kind == HolidaySchool {
		return HolidaySchool
	}
	return HolidayPublic
}

// MergeHolidays lays the stored calendar (what the station published and
// what this post entered) over the defaults: a year for which anything of
// a class (national days, or school holidays) is stored takes none of the
// defaults of that class, so a published calendar replaces the shipped
// guess instead of mixing with it. The result is sorted by date.
func MergeHolidays(defaults, stored []Holiday) []Holiday {
	type key struct {
		year  int
		class string
	}
	have := map[key]bool{}
	for _, h := range stored {
		y, _, _ := h.Dates.From.YMD()
		have[key{y, HolidayClass(h.Kind)}] = true
	}
	out := slices.Clone(stored)
	for _, h := range defaults {
		y, _, _ := h.Dates.From.YMD()
		if !have[key{y, HolidayClass(h.Kind)}] {
			out = append(out, h)
		}
	}
	sortHolidays(out)
	return out
}

func sortHolidays(hs []Holiday) {
	slices.SortStableFunc(hs, func(a, b Holiday) int {
		return cmp.Or(cmp.Compare(a.Dates.From, b.Dates.From), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
}

// HolidaysOn lists the holidays covering d.
func HolidaysOn(hs []Holiday, d Date) []Holiday {
	var out []Holiday
	for _, h := range hs {
		if h.Dates.Contains(d) {
			out = append(out, h)
		}
	}
	return out
}
