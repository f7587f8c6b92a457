package rosterdata_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
)

// SaveKeepingPast keeps who stood until yesterday only when there is a
// past and who stands changes; the versions it keeps are what ScheduleRule
// hands the expansion.
func TestSaveKeepingPast(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5)
	for _, c := range []struct {
		name      string
		validFrom string
		edit      func(r *store.ShiftRule, m *store.Member)
		versions  int // kept after the edit
		people    []string
	}{
		{"people changed, begun before today", "2026-11-01", func(r *store.ShiftRule, m *store.Member) { r.People = r.People[:1] }, 1, []string{"甲", "乙"}},
		{"rotate changed", "2026-11-01", func(r *store.ShiftRule, m *store.Member) { r.Rotate = 2 }, 1, []string{"甲", "乙"}},
		{"begins today: no past", "2026-12-05", func(r *store.ShiftRule, m *store.Member) { r.People = r.People[:1] }, 0, nil},
		{"begins later: no past", "2026-12-20", func(r *store.ShiftRule, m *store.Member) { r.People = r.People[:1] }, 0, nil},
		{"only the name changed", "2026-11-01", func(r *store.ShiftRule, m *store.Member) { r.Name = "新名字" }, 0, nil},
		{"a member's phone changed", "2026-11-01", func(r *store.ShiftRule, m *store.Member) { m.Phone = "13900002222" }, 0, nil},
		{"a member renamed: the past keeps who stood", "2026-11-01", func(r *store.ShiftRule, m *store.Member) { m.Name = "甲甲" }, 0, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStore(t, store.RolePost)
			team := &store.Team{Name: "一队"}
			a := &store.Member{TeamID: "", Name: "甲", Role: "民警"}
			b := &store.Member{TeamID: "", Name: "乙", Role: "辅警"}
			if err := s.Save(ctx, team); err != nil {
				t.Fatal(err)
			}
			a.TeamID, b.TeamID = team.ID, team.ID
			if err := s.Save(ctx, a, b); err != nil {
				t.Fatal(err)
			}
			r := &store.ShiftRule{TeamID: team.ID, Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
				People: []string{a.ID, b.ID}, Rotate: 1, ValidFrom: c.validFrom}
			if err := s.Save(ctx, r); err != nil {
				t.Fatal(err)
			}
			c.edit(r, a)
			if err := rosterdata.SaveKeepingPast(ctx, s, today, r, a); err != nil {
				t.Fatal(err)
			}
			if c.versions > 0 {
				// Twice the same day: still one version, the first edit's.
				r2 := *r
				r2.MinPeople = 1
				if err := rosterdata.SaveKeepingPast(ctx, s, today, &r2); err != nil {
					t.Fatal(err)
				}
			}
			rs, err := s.ShiftRules(ctx)
			if err != nil || len(rs) != 1 {
				t.Fatalf("rules %v (%v)", rs, err)
			}
			var vs []schedule.Version
			if rs[0].Versions != "" {
				if err := json.Unmarshal([]byte(rs[0].Versions), &vs); err != nil {
					t.Fatal(err)
				}
			}
			if len(vs) != c.versions {
				t.Fatalf("%d versions kept, want %d: %s", len(vs), c.versions, rs[0].Versions)
			}
			if c.versions > 0 {
				if vs[0].Until != today-1 || !slices.Equal(vs[0].Names, c.people) || vs[0].Rotate != 1 {
					t.Errorf("version %+v", vs[0])
				}
			}
			rule, err := rosterdata.ScheduleRule(rs[0])
			if err != nil || len(rule.Versions) != c.versions {
				t.Errorf("ScheduleRule: %d versions (%v)", len(rule.Versions), err)
			}
		})
	}
}

// The versions travel with the rule: a station holding the post's changes
// (in any order, twice) expands the post's past as the post had it before
// the edit.
func TestVersionsReachTheStation(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5)
	post := newTestStore(t, store.RolePost)
	station := newTestStore(t, store.RoleStation)
	team := &store.Team{Name: "一队"}
	if err := post.Save(ctx, team); err != nil {
		t.Fatal(err)
	}
	var ms []*store.Member
	for _, n := range []string{"甲", "乙", "丙"} {
		m := &store.Member{TeamID: team.ID, Name: n, Role: "辅警"}
		if err := post.Save(ctx, m); err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	r := &store.ShiftRule{TeamID: team.ID, Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
		Rotate: 1, ValidFrom: "2026-11-01"}
	if err := post.Save(ctx, r); err != nil {
		t.Fatal(err)
	}
	turns := func(s *store.Store) []string {
		t.Helper()
		in, err := rosterdata.ScheduleInputOf(ctx, s, post.DeviceID())
		if err != nil {
			t.Fatal(err)
		}
		sch, err := schedule.Expand(in, schedule.DateOf(2026, 11, 1), today-1)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, sl := range sch.Slots {
			out = append(out, sl.Date.String()+":"+strings.Join(sl.People, "、"))
		}
		return out
	}
	was := turns(post)
	// 丙 leaves the team today: the team-wide rotation keeps 丙's turns.
	if err := rosterdata.DeleteKeepingPast(ctx, post, today, &store.Member{}, ms[2].ID); err != nil {
		t.Fatal(err)
	}
	if got := turns(post); !slices.Equal(got, was) {
		t.Fatalf("the post's past changed:\n%v\nwas\n%v", got, was)
	}
	ch := allChanges(t, post)
	rev := slices.Clone(ch)
	slices.Reverse(rev)
	for _, batch := range [][]store.Change{rev, ch} {
		if _, err := station.Apply(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	if got := turns(station); !slices.Equal(got, was) {
		t.Errorf("the station's past of the post:\n%v\nwant\n%v", got, was)
	}
}

// Edits that change nobody's turn leave every day's turn where it was,
// before and after the edit: renaming a member of a team-wide rotation
// moves them in the team's alphabetical order, which is not a new order
// of turns the officer chose. Red before: the rotation started again in
// the new alphabetical order from today (乙 stood two days running).
func TestEditsThatChangeNoTurn(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5)
	for _, c := range []struct {
		name string
		list bool // the rule lists its people (else its whole team)
		edit func(ms []*store.Member)
	}{
		{"team-wide: a member renamed to the front", false, func(ms []*store.Member) { ms[2].Name = "丁" }},
		{"team-wide: a member renamed to the back", false, func(ms []*store.Member) { ms[0].Name = "癸" }},
		{"team-wide: two renamed", false, func(ms []*store.Member) { ms[0].Name, ms[1].Name = "癸", "丁" }},
		{"listed: a member renamed", true, func(ms []*store.Member) { ms[2].Name = "丁" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStore(t, store.RolePost)
			team := &store.Team{Name: "一队"}
			if err := s.Save(ctx, team); err != nil {
				t.Fatal(err)
			}
			var ms []*store.Member
			var ids []string
			for _, n := range []string{"丙", "乙", "甲"} { // the team's order
				m := &store.Member{TeamID: team.ID, Name: n, Role: "辅警"}
				if err := s.Save(ctx, m); err != nil {
					t.Fatal(err)
				}
				ms, ids = append(ms, m), append(ids, m.ID)
			}
			r := &store.ShiftRule{TeamID: team.ID, Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
				Rotate: 1, ValidFrom: "2026-11-02"}
			if c.list {
				r.People = ids
			}
			if err := s.Save(ctx, r); err != nil {
				t.Fatal(err)
			}
			turns := func() []string {
				t.Helper()
				sch := expandRoster(t, s, schedule.DateOf(2026, 11, 2), today+6)
				var out []string
				for _, sl := range sch.Slots {
					name := map[string]string{}
					for _, m := range ms {
						name[m.ID] = m.ID[len(m.ID)-4:] // the names change
					}
					who := slices.Clone(sl.PersonIDs)
					for k := range who {
						who[k] = name[who[k]]
					}
					out = append(out, sl.Date.String()+":"+strings.Join(who, "、"))
				}
				return out
			}
			was := turns()
			c.edit(ms)
			var recs []store.Record
			for _, m := range ms {
				recs = append(recs, m)
			}
			if err := rosterdata.SaveKeepingPast(ctx, s, today, recs...); err != nil {
				t.Fatal(err)
			}
			got := turns()
			if len(got) != len(was) {
				t.Fatalf("%d turns after the edit, %d before", len(got), len(was))
			}
			for i := range got {
				if got[i] != was[i] {
					t.Errorf("after the edit %s, was %s", got[i], was[i])
				}
			}
		})
	}
}

// An edit saved while the PC's clock ran ahead (an old PC's flat clock
// battery, set by hand to the wrong month) kept the crew before it up to
// that wrong yesterday; once the clock is right again, the next edit of
// who stands applies from the real today, and the days before it keep who
// stood. Red before: the first edit's version ended a month ahead, so every
// later edit showed nowhere until then (甲 and 乙 went on taking turns).
func TestEditAfterTheClockRanAhead(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5)
	for _, c := range []struct {
		name  string
		edits []schedule.Date // the todays of the edits before the last (to 甲 alone, then 乙 alone)
	}{
		{"a month ahead", []schedule.Date{today + 30}},
		{"a day ahead", []schedule.Date{today + 1}},
		{"right (the same day)", []schedule.Date{today}},
		{"right, then a month ahead", []schedule.Date{today, today + 30}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStore(t, store.RolePost)
			r, ms := nightPatrol(t, s, schedule.DateOf(2026, 11, 1))
			ids := []string{ms[0].ID, ms[1].ID, ms[2].ID}
			stood := func(from, to schedule.Date) map[schedule.Date]string { return standingFrom(t, s, r.ID, from, to) }
			past := stood(schedule.DateOf(2026, 11, 1), today-1)
			// The edits before, the clock ahead for some: 甲 alone, 乙 alone.
			for i, day := range c.edits {
				r.People = ids[i : i+1]
				if err := rosterdata.SaveKeepingPast(ctx, s, day, r); err != nil {
					t.Fatal(err)
				}
			}
			// The clock put right, the officer puts 丙 on instead.
			r.People = ids[2:]
			if err := rosterdata.SaveKeepingPast(ctx, s, today, r); err != nil {
				t.Fatal(err)
			}
			now := stood(schedule.DateOf(2026, 11, 1), today+40)
			for d := schedule.DateOf(2026, 11, 1); d <= today+40; d++ {
				want := "丙"
				if d < today {
					want = past[d]
				}
				if now[d] != want {
					t.Errorf("%s: %s stood, want %s", d, now[d], want)
				}
			}
		})
	}
}
