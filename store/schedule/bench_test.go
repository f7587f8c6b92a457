package schedule

import (
	"fmt"
	"testing"
)

// fiftyTeams is a township's worth of posts: 50 teams of 5, each with a daily
// patrol, a market rule (the written forms mixed), a Monday/Friday school
// gate in two windows and a 24-hour duty rotation.
func fiftyTeams(tb testing.TB) Input {
	markets := []string{"农历逢二、五、十", "逢一四七", "逢三六九", "公历逢1、5、8", "赶辰戌", "五天一集（自2026-01-03起）", "农历每月初一、十五"}
	var in Input
	for i := range 50 {
		tid := fmt.Sprintf("t%02d", i)
		in.Teams = append(in.Teams, Team{ID: tid, Name: fmt.Sprintf("第%d巡逻队", i+1)})
		var ids []string
		for j := range 5 {
			id := fmt.Sprintf("%s-m%d", tid, j)
			ids = append(ids, id)
			m := Member{ID: id, TeamID: tid, Name: fmt.Sprintf("队员%d-%d", i+1, j+1), Role: "村警"}
			if j == 2 {
				m.Leave = []DateRange{{From: DateOf(2026, 3, 1) + Date(i), To: DateOf(2026, 3, 10) + Date(i)}}
			}
			in.Members = append(in.Members, m)
		}
		in.Rules = append(in.Rules,
			Rule{ID: tid + "-daily", Name: "每日巡逻", TeamID: tid, Kind: KindPatrol, Spec: spec(tb, "每天"), Windows: win(tb, "19:00-21:00"), People: ids[:3]},
			Rule{ID: tid + "-market", Name: "逢集必巡", TeamID: tid, Kind: KindMarket, Spec: spec(tb, markets[i%len(markets)]), Windows: win(tb, "08:00-11:00"), People: ids[3:]},
			Rule{ID: tid + "-school", Name: "护学岗", TeamID: tid, Kind: KindSchoolGate, Spec: spec(tb, "每周一、五"), Windows: win(tb, "07:00-08:00、16:30-17:30"), People: ids[:2]},
			Rule{ID: tid + "-duty", Name: "24小时值班", TeamID: tid, Kind: KindDuty, Spec: spec(tb, "每天"), Windows: win(tb, "08:00-08:00"), People: ids, Rotate: 1, ValidFrom: DateOf(2025, 6, 1)},
		)
		in.Exceptions = append(in.Exceptions, Exception{ID: tid + "-cj", Name: "春节休集", Action: Cancel,
			LunarFrom: &LunarMD{12, 23}, LunarTo: &LunarMD{1, 5}, Rules: []string{tid + "-market"}})
	}
	return in
}

func BenchmarkExpandYear50Teams(b *testing.B) {
	in := fiftyTeams(b)
	from, to := DateOf(2026, 1, 1), DateOf(2026, 12, 31)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Expand(in, from, to)
		if err != nil || len(s.Slots) < 50*365*2 {
			b.Fatal(err, len(s.Slots))
		}
	}
}

// BenchmarkExpandYear50TeamsNaive is the baseline: each rule on its own,
// asking the lunar library for every day of every rule (no month table). It
// skips cross-rule double-booking checks, so it does less work than Expand
// apart from the lunar look-ups.
func BenchmarkExpandYear50TeamsNaive(b *testing.B) {
	in := fiftyTeams(b)
	from, to := DateOf(2026, 1, 1), DateOf(2026, 12, 31)
	lib := func(lo, hi Date) (lunarSource, error) { return librarySource{}, nil }
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, r := range in.Rules {
			one := in
			one.Rules = []Rule{r}
			one.Exceptions = nil
			for _, x := range in.Exceptions {
				if x.Rules[0] == r.ID {
					one.Exceptions = append(one.Exceptions, x)
				}
			}
			s, err := expand(one, from, to, lib)
			if err != nil {
				b.Fatal(err)
			}
			n += len(s.Slots)
		}
		if n < 50*365*2 {
			b.Fatal(n)
		}
	}
}

// BenchmarkExpandYear50TeamsVersions is the year above with every rule
// edited twice a month (48 versions each, people and days changing): what
// a roster kept for years by an officer who edits often expands like.
func BenchmarkExpandYear50TeamsVersions(b *testing.B) {
	in := fiftyTeams(b)
	days := []*Spec{nil, ptr(spec(b, "每周一、三、五"))}
	for i := range in.Rules {
		r := &in.Rules[i]
		people := r.People
		for k := range 48 {
			v := Version{Until: DateOf(2025, 1, 1) + Date(k*15), People: people, Rotate: r.Rotate}
			if k%2 == 1 && len(people) > max(r.Rotate, 1) {
				v.People = people[1:]
			}
			v.Spec = days[k%2]
			r.Versions = append(r.Versions, v)
		}
		if r.ValidFrom == 0 || r.ValidFrom > DateOf(2025, 1, 1) {
			r.ValidFrom = DateOf(2024, 12, 1)
		}
	}
	from, to := DateOf(2026, 1, 1), DateOf(2026, 12, 31)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Expand(in, from, to)
		if err != nil || len(s.Slots) < 50*365*2 {
			b.Fatal(err, len(s.Slots))
		}
	}
}

func ptr[T any](v T) *T { return &v }
