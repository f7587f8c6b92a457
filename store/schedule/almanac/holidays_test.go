package almanac

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func defaultHolidaysT(t testing.TB) []Holiday {
	t.Helper()
	hs, err := DefaultHolidays()
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

func findHoliday(hs []Holiday, name, kind string, year int) (Holiday, bool) {
	for _, h := range hs {
		if y, _, _ := h.Dates.From.YMD(); h.Name == name && h.Kind == kind && y == year {
			return h, true
		}
	}
	return Holiday{}, false
}

// The 2026 calendar is the State Council's notice (国办发明电〔2025〕7号).
func TestDefaultHolidays2026AsPublished(t *testing.T) {
	hs := defaultHolidaysT(t)
	for _, tc := range []struct {
		name, kind string
		from, to   string
	}{
		{"元旦", HolidayPublic, "2026-01-01", "2026-01-03"},
		{"元旦调休上班", HolidayWorkday, "2026-01-04", "2026-01-04"},
		{"春节", HolidayPublic, "2026-02-15", "2026-02-23"},
		{"清明节", HolidayPublic, "2026-04-04", "2026-04-06"},
		{"劳动节", HolidayPublic, "2026-05-01", "2026-05-05"},
		{"端午节", HolidayPublic, "2026-06-19", "2026-06-21"},
		{"中秋节", HolidayPublic, "2026-09-25", "2026-09-27"},
		{"国庆节", HolidayPublic, "2026-10-01", "2026-10-07"},
	} {
		h, ok := findHoliday(hs, tc.name, tc.kind, 2026)
		if !ok {
			t.Errorf("no %s in 2026", tc.name)
			continue
		}
		if h.Dates.From.String() != tc.from || h.Dates.To.String() != tc.to {
			t.Errorf("%s 2026: %s, want %s..%s", tc.name, h.Dates, tc.from, tc.to)
		}
		if !strings.Contains(h.Source, "国办发明电〔2025〕7号") {
			t.Errorf("%s 2026: source %q", tc.name, h.Source)
		}
	}
	var workdays []string
	for _, h := range hs {
		if h.Kind == HolidayWorkday {
			workdays = append(workdays, h.Dates.From.String())
		}
	}
	if want := []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}; !slices.Equal(workdays, want) {
		t.Errorf("调休上班 %v, want %v", workdays, want)
	}
	for _, h := range hs {
		if h.Confirmed {
			t.Errorf("%s %s ships confirmed; defaults are 待核实 until the station checks them", h.Name, h.Dates)
		}
		if h.Source == "" || h.ID == "" {
			t.Errorf("%s %s: no source or id", h.Name, h.Dates)
		}
		if err := h.Validate(); err != nil {
			t.Error(err)
		}
	}
}

// Years without a notice get the law's days, computed: 2027's Spring
// Festival is 2027-02-06, so 除夕..初三 is 02-05..02-08.
func TestStatutoryHolidays(t *testing.T) {
	hs := defaultHolidaysT(t)
	for _, tc := range []struct{ name, from, to string }{
		{"元旦", "2027-01-01", "2027-01-01"},
		{"春节", "2027-02-05", "2027-02-08"},
		{"清明节", "2027-04-05", "2027-04-05"},
		{"劳动节", "2027-05-01", "2027-05-02"},
		{"端午节", "2027-06-09", "2027-06-09"},
		{"中秋节", "2027-09-15", "2027-09-15"},
		{"国庆节", "2027-10-01", "2027-10-03"},
	} {
		h, ok := findHoliday(hs, tc.name, HolidayPublic, 2027)
		if !ok {
			t.Errorf("no %s in 2027", tc.name)
			continue
		}
		if h.Dates.From.String() != tc.from || h.Dates.To.String() != tc.to || h.Source != SourceStatutory {
			t.Errorf("%s 2027: %s (%s), want %s..%s computed", tc.name, h.Dates, h.Source, tc.from, tc.to)
		}
	}
	// Property: in a year with a notice, every statutory day the law gives
	// lies inside the published days off of the same name.
	stat, err := StatutoryHolidays(2026)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stat {
		p, ok := findHoliday(hs, s.Name, HolidayPublic, 2026)
		if !ok || s.Dates.From < p.Dates.From || s.Dates.To > p.Dates.To {
			t.Errorf("statutory %s %s is not inside the published %s", s.Name, s.Dates, p.Dates)
		}
	}
	for _, y := range []int{1901, 2099} {
		if _, err := StatutoryHolidays(y); err != nil {
			t.Errorf("year %d: %v", y, err)
		}
	}
	if _, err := StatutoryHolidays(1800); err == nil {
		t.Error("year 1800 accepted")
	}
}

// A stored calendar replaces the defaults of its year and class only.
func TestMergeHolidays(t *testing.T) {
	defs := defaultHolidaysT(t)
	stored := []Holiday{
		{ID: "s1", Name: "元旦", Kind: HolidayPublic, Dates: DateRange{From: DateOf(2027, 1, 1), To: DateOf(2027, 1, 3)}, Confirmed: true, Source: "国办发明电〔2026〕X号"},
		{ID: "s2", Name: "寒假", Kind: HolidaySchool, Dates: DateRange{From: DateOf(2026, 1, 31), To: DateOf(2026, 3, 1)}, Confirmed: true, Source: "县教育局校历"},
	}
	got := MergeHolidays(defs, stored)
	if _, ok := findHoliday(got, "春节", HolidayPublic, 2027); ok {
		t.Error("the computed 2027 Spring Festival stayed beside the station's 2027 calendar")
	}
	if h, ok := findHoliday(got, "春节", HolidayPublic, 2026); !ok || h.Dates.From != DateOf(2026, 2, 15) {
		t.Error("2026's national defaults were dropped for a school calendar")
	}
	if h, ok := findHoliday(got, "寒假", HolidaySchool, 2026); !ok || h.ID != "s2" {
		t.Errorf("2026 寒假 %+v, want the stored one", h)
	}
	if _, ok := findHoliday(got, "暑假", HolidaySchool, 2026); ok {
		t.Error("the default 2026 暑假 stayed beside a stored 2026 school calendar")
	}
	if _, ok := findHoliday(got, "寒假", HolidaySchool, 2027); !ok {
		t.Error("2027's school defaults were dropped")
	}
	for i := 1; i < len(got); i++ {
		if got[i].Dates.From < got[i-1].Dates.From {
			t.Fatal("merged calendar not sorted by date")
		}
	}
	if len(MergeHolidays(nil, nil)) != 0 {
		t.Error("empty merge not empty")
	}
}

// NewestNotice is the date Source2026 names, as the notice writes it.
func TestNewestNoticeIsSource2026s(t *testing.T) {
	y, m, d := NewestNotice.YMD()
	if want := fmt.Sprintf("%d年%d月%d日", y, m, d); !strings.Contains(Source2026, want) {
		t.Errorf("NewestNotice %s is not the day Source2026 names: %s", NewestNotice, Source2026)
	}
}
