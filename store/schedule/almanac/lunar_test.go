package almanac

import (
	"testing"
	"time"
)

// Known lunar↔solar pairs for 2024–2027 from the published Chinese calendar
// (festival dates as announced and printed on wall calendars), hard-coded so
// the library under test is not its own witness.
var knownLunar = []struct {
	solar string
	lunar LunarDate // MonthDays 0 = not asserted
	what  string
}{
	{"2024-02-10", LunarDate{Year: 2024, Month: 1, Day: 1}, "春节 2024"},
	{"2024-09-17", LunarDate{Year: 2024, Month: 8, Day: 15}, "中秋 2024"},
	{"2025-01-07", LunarDate{Year: 2024, Month: 12, Day: 8}, "腊八 2025"},
	{"2025-01-28", LunarDate{Year: 2024, Month: 12, Day: 29, MonthDays: 29}, "除夕 2025 is 腊月廿九: no 年三十"},
	{"2025-01-29", LunarDate{Year: 2025, Month: 1, Day: 1}, "春节 2025"},
	{"2025-02-12", LunarDate{Year: 2025, Month: 1, Day: 15}, "元宵 2025"},
	{"2025-05-31", LunarDate{Year: 2025, Month: 5, Day: 5}, "端午 2025"},
	{"2025-07-25", LunarDate{Year: 2025, Month: 6, Leap: true, Day: 1}, "闰六月初一 2025"},
	{"2025-08-22", LunarDate{Year: 2025, Month: 6, Leap: true, Day: 29, MonthDays: 29}, "闰六月廿九 2025, last day"},
	{"2025-08-23", LunarDate{Year: 2025, Month: 7, Day: 1}, "七月初一 2025"},
	{"2025-08-29", LunarDate{Year: 2025, Month: 7, Day: 7}, "七夕 2025"},
	{"2025-10-06", LunarDate{Year: 2025, Month: 8, Day: 15}, "中秋 2025"},
	{"2026-01-19", LunarDate{Year: 2025, Month: 12, Day: 1, MonthDays: 29}, "腊月初一 2026"},
	{"2026-01-26", LunarDate{Year: 2025, Month: 12, Day: 8}, "腊八 2026"},
	{"2026-02-16", LunarDate{Year: 2025, Month: 12, Day: 29, MonthDays: 29}, "除夕 2026 is 腊月廿九"},
	{"2026-02-17", LunarDate{Year: 2026, Month: 1, Day: 1}, "春节 2026"},
	{"2026-03-03", LunarDate{Year: 2026, Month: 1, Day: 15}, "元宵 2026"},
	{"2026-06-19", LunarDate{Year: 2026, Month: 5, Day: 5}, "端午 2026"},
	{"2026-09-25", LunarDate{Year: 2026, Month: 8, Day: 15}, "中秋 2026"},
	{"2027-02-05", LunarDate{Year: 2026, Month: 12, Day: 29, MonthDays: 29}, "除夕 2027 is 腊月廿九"},
	{"2027-02-06", LunarDate{Year: 2027, Month: 1, Day: 1}, "春节 2027"},
	{"2027-02-20", LunarDate{Year: 2027, Month: 1, Day: 15}, "元宵 2027"},
	{"2027-06-09", LunarDate{Year: 2027, Month: 5, Day: 5}, "端午 2027"},
	{"2027-09-15", LunarDate{Year: 2027, Month: 8, Day: 15}, "中秋 2027"},
}

func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestLunarKnownDates(t *testing.T) {
	tab, err := NewLunarTable(mustDate(t, "2024-01-01"), mustDate(t, "2027-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range knownLunar {
		d := mustDate(t, k.solar)
		for name, get := range map[string]func(Date) (LunarDate, error){"table": tab.At, "library": LibraryLunar} {
			got, err := get(d)
			if err != nil {
				t.Fatalf("%s %s: %v", name, k.solar, err)
			}
			want := k.lunar
			if want.MonthDays == 0 {
				got.MonthDays = 0
			}
			if got != want {
				t.Errorf("%s: %s (%s) = %+v, want %+v", name, k.solar, k.what, got, want)
			}
		}
	}
}

// The table must agree with the library's per-day answer on every day.
func TestLunarTableMatchesLibrary(t *testing.T) {
	from, to := mustDate(t, "2023-11-01"), mustDate(t, "2028-03-01")
	if testing.Short() {
		to = mustDate(t, "2026-03-01")
	}
	tab, err := NewLunarTable(from, to)
	if err != nil {
		t.Fatal(err)
	}
	for d := from; d <= to; d++ {
		a, err1 := tab.At(d)
		b, err2 := LibraryLunar(d)
		if err1 != nil || err2 != nil || a != b {
			t.Fatalf("%s: table %+v (%v), library %+v (%v)", d, a, err1, b, err2)
		}
	}
}

func TestLunarOutOfRange(t *testing.T) {
	if _, err := NewLunarTable(DateOf(1850, 1, 1), DateOf(2026, 1, 1)); err == nil {
		t.Error("1850: want an error")
	}
	if _, err := NewLunarTable(DateOf(2026, 1, 1), DateOf(2100, 1, 1)); err == nil {
		t.Error("2100: want an error")
	}
	if _, err := LibraryLunar(DateOf(1800, 1, 1)); err == nil {
		t.Error("library 1800: want an error")
	}
	tab, err := NewLunarTable(DateOf(2026, 1, 1), DateOf(2026, 1, 31))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tab.At(DateOf(2026, 2, 1)); err == nil {
		t.Error("outside the table: want an error")
	}
	// The whole supported range builds.
	if _, err := NewLunarTable(DateOf(MinYear, 1, 1), DateOf(MaxYear, 12, 31)); err != nil {
		t.Errorf("full range: %v", err)
	}
}

func TestDayGanZhi(t *testing.T) {
	// 1949-10-01 was a 甲子 day (a widely printed fact); the cycle is 60 days.
	base := DateOf(1949, 10, 1)
	if g := DayGanZhi(base); g != "甲子" {
		t.Fatalf("1949-10-01 = %s, want 甲子", g)
	}
	if g := DayGanZhi(base + 60*300 + 4); g != "戊辰" {
		t.Errorf("甲子+4 = %s, want 戊辰", g)
	}
}

func TestDateArithmetic(t *testing.T) {
	for d := DateOf(1901, 1, 1); d <= DateOf(2099, 12, 31); d += 37 {
		y, m, day := d.YMD()
		tm := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
		if DateOf(y, m, day) != d || tm.Weekday() != d.Weekday() {
			t.Fatalf("%d: %04d-%02d-%02d weekday %v vs %v", d, y, m, day, d.Weekday(), tm.Weekday())
		}
		if FromTime(tm.AddDate(0, 0, 1)) != d+1 {
			t.Fatalf("%s +1 day disagrees with time", d)
		}
	}
	for _, bad := range []string{"", "2026-02-30", "2026-13-01", "26-01-01", "2026-1-1", "2100-01-01", "1900-12-31", "abcd-ef-gh", "2026-00-10"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q): want an error", bad)
		}
	}
}

// Leap months beyond the years above, from the published tables (the Hong
// Kong Observatory's and the printed 万年历; 2033's 闰十一月 is the one
// older algorithms got wrong): the first day of each, the day before it
// in the ordinary month of the same number, and its length in the month
// after.
func TestLeapMonthsPublished(t *testing.T) {
	for _, k := range []struct {
		first string
		year  int
		month int
	}{
		{"2023-03-22", 2023, 2},
		{"2025-07-25", 2025, 6},
		{"2028-06-23", 2028, 5},
		{"2031-04-22", 2031, 3},
		{"2033-12-22", 2033, 11},
	} {
		d := mustDate(t, k.first)
		tab, err := NewLunarTable(d-40, d+40)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tab.At(d)
		if err != nil {
			t.Fatal(err)
		}
		if got.Year != k.year || got.Month != k.month || !got.Leap || got.Day != 1 {
			t.Errorf("%s = %+v (%s), want 闰%d月初一 of %d", k.first, got, got, k.month, k.year)
			continue
		}
		before, _ := tab.At(d - 1)
		if before.Leap || before.Month != k.month || before.Day != before.MonthDays {
			t.Errorf("the day before %s = %+v, want the last day of the ordinary %d月", k.first, before, k.month)
		}
		after, _ := tab.At(d + Date(got.MonthDays))
		if after.Leap || after.Month != k.month%12+1 || after.Day != 1 {
			t.Errorf("%d days after %s = %+v, want the next month's 初一", got.MonthDays, k.first, after)
		}
	}
}
