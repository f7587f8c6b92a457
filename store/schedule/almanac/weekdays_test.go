package almanac

import (
	"slices"
	"testing"
	"time"
)

func TestWeekdaysOff(t *testing.T) {
	d := func(s string) Date {
		x, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	ws, err := ParseWeekdaysOff([]string{"2026-11-02:3", "2026-12-06:7,1", "2026-12-20:"})
	if err != nil {
		t.Fatal(err)
	}
	if got := FormatWeekdaysOff(ws); !slices.Equal(got, []string{"2026-11-02:3", "2026-12-06:1,7", "2026-12-20:"}) {
		t.Errorf("round trip: %q", got)
	}
	for _, c := range []struct {
		day  string
		want []time.Weekday
	}{
		{"2026-11-01", nil},
		{"2026-11-02", []time.Weekday{time.Wednesday}},
		{"2026-12-05", []time.Weekday{time.Wednesday}},
		{"2026-12-06", []time.Weekday{time.Monday, time.Sunday}},
		{"2026-12-20", nil},
		{"2027-03-01", nil},
	} {
		if got := OffOn(ws, d(c.day)); !slices.Equal(got, c.want) {
			t.Errorf("OffOn(%s) = %v, want %v", c.day, got, c.want)
		}
	}
	for _, bad := range [][]string{{"2026-12-06"}, {"2026-12-06:8"}, {"2026-12-06:0"}, {"2026-13-01:1"}, {"2026-12-06:1", "2026-12-01:2"}, {"2026-12-06:1", "2026-12-06:2"}, {"2026-12-06:一"}} {
		if _, err := ParseWeekdaysOff(bad); err == nil {
			t.Errorf("ParseWeekdaysOff(%q) read", bad)
		}
	}
}

// TestKeepPastWeekdaysOff: setting the days off applies from today; the
// days before keep what was in force, and setting what was there already
// adds no change.
func TestKeepPastWeekdaysOff(t *testing.T) {
	today, _ := ParseDate("2026-12-06")
	wed := []time.Weekday{time.Wednesday}
	parse := func(ss ...string) []WeekdaysOff {
		ws, err := ParseWeekdaysOff(ss)
		if err != nil {
			t.Fatal(err)
		}
		return ws
	}
	for _, c := range []struct {
		name string
		was  []WeekdaysOff
		days []time.Weekday
		want []string
	}{
		{"first set", nil, wed, []string{"2026-12-06:3"}},
		{"none to none", nil, nil, []string{}},
		{"same again", parse("2026-11-02:3"), wed, []string{"2026-11-02:3"}},
		{"changed", parse("2026-11-02:3"), []time.Weekday{time.Friday}, []string{"2026-11-02:3", "2026-12-06:5"}},
		{"cleared", parse("2026-11-02:3"), nil, []string{"2026-11-02:3", "2026-12-06:"}},
		{"twice today", parse("2026-11-02:3", "2026-12-06:5"), []time.Weekday{time.Saturday}, []string{"2026-11-02:3", "2026-12-06:6"}},
		{"back today", parse("2026-11-02:3", "2026-12-06:5"), wed, []string{"2026-11-02:3"}},
		{"a later change given way", parse("2026-12-10:5"), wed, []string{"2026-12-06:3"}},
	} {
		got := FormatWeekdaysOff(KeepPastWeekdaysOff(c.was, c.days, today))
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
