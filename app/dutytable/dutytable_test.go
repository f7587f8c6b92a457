package dutytable

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/schedule"
)

func TestMonthRange(t *testing.T) {
	cases := []struct {
		in, from, to, period string
		bad                  bool
	}{
		{in: "2026-12", from: "2026-12-01", to: "2026-12-31", period: "2026年12月"},
		{in: "2028-02", from: "2028-02-01", to: "2028-02-29", period: "2028年2月"},
		{in: "2026-13", bad: true},
		{in: "", bad: true},
		{in: "2026/12", bad: true},
	}
	for _, c := range cases {
		from, to, period, err := MonthRange(c.in)
		if c.bad {
			if err == nil {
				t.Errorf("MonthRange(%q): no error", c.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("MonthRange(%q): %v", c.in, err)
			continue
		}
		if from.String() != c.from || to.String() != c.to || period != c.period {
			t.Errorf("MonthRange(%q) = %s %s %q, want %s %s %q", c.in, from, to, period, c.from, c.to, c.period)
		}
	}
}

func TestWeekRange(t *testing.T) {
	cases := []struct{ day, from, to, period string }{
		{"2026-12-09", "2026-12-07", "2026-12-13", "2026年12月7日–13日"}, // a Wednesday
		{"2026-12-07", "2026-12-07", "2026-12-13", "2026年12月7日–13日"}, // Monday is the first day
		{"2026-12-13", "2026-12-07", "2026-12-13", "2026年12月7日–13日"}, // Sunday the last
		{"2026-12-01", "2026-11-30", "2026-12-06", "2026年11月30日–12月6日"},
		{"2027-01-01", "2026-12-28", "2027-01-03", "2026年12月28日–2027年1月3日"},
	}
	for _, c := range cases {
		d, err := schedule.ParseDate(c.day)
		if err != nil {
			t.Fatal(err)
		}
		from, to, period := WeekRange(d)
		if from.String() != c.from || to.String() != c.to || period != c.period {
			t.Errorf("WeekRange(%s) = %s %s %q, want %s %s %q", c.day, from, to, period, c.from, c.to, c.period)
		}
	}
}

func TestBuild(t *testing.T) {
	ctx := context.Background()
	s, err := store.Create(ctx, filepath.Join(t.TempDir(), "p.db"),
		store.Identity{DeviceID: "POST-DT", Role: store.RolePost, Name: "东河警务室", Officer: "赵警官"}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	team := &store.Team{Name: "一队"}
	if err := s.Save(ctx, team); err != nil {
		t.Fatal(err)
	}
	a := &store.Member{TeamID: team.ID, Name: "甲", Role: "民警", Phone: "13900001111"}
	b := &store.Member{TeamID: team.ID, Name: "乙", Role: "村警"}
	idle := &store.Member{TeamID: team.ID, Name: "丙", Role: "志愿者"}
	if err := s.Save(ctx, a, b, idle); err != nil {
		t.Fatal(err)
	}
	spec, err := schedule.ParseSpec("农历逢二、五、十")
	if err != nil {
		t.Fatal(err)
	}
	js, err := schedule.EncodeSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	rule := &store.ShiftRule{TeamID: team.ID, Name: "逢集", Kind: "market", Spec: js, Windows: "07:00-09:00",
		People: []string{a.ID, b.ID}, MinPeople: 3}
	if err := s.Save(ctx, rule); err != nil {
		t.Fatal(err)
	}
	from, to, period, err := MonthRange("2026-12")
	if err != nil {
		t.Fatal(err)
	}
	printed := time.Date(2026, 11, 28, 9, 0, 0, 0, schedule.Zone)
	tab, err := Build(ctx, s, from, to, period, printed)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tab.Footer, "打印于 2026-11-28") {
		t.Errorf("footer %q does not carry the print date", tab.Footer)
	}
	if len(tab.Days) != 31 || tab.Title != "东河警务室值班表" || tab.Period != "2026年12月" {
		t.Fatalf("table: %d days, title %q, period %q", len(tab.Days), tab.Title, tab.Period)
	}
	markets := 0
	for _, d := range tab.Days {
		if d.Market != (len(d.Entries) > 0) {
			t.Errorf("%s: market %v with %d entries", d.Date.Format("2006-01-02"), d.Market, len(d.Entries))
		}
		for _, e := range d.Entries {
			markets++
			if !e.Alert {
				t.Errorf("%s: two people on a rule needing three is not flagged", d.Date.Format("2006-01-02"))
			}
		}
	}
	// 逢二、五、十 is nine market days a lunar month; a solar month holds
	// parts of two lunar months.
	if markets < 8 || markets > 10 {
		t.Errorf("%d market days in a month", markets)
	}
	if len(tab.Contacts) != 2 {
		t.Errorf("contacts %v: want the two people on duty only", tab.Contacts)
	}
}
