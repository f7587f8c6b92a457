package rosterdata_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"cunjing/store"
	"cunjing/store/rosterdata"
	"cunjing/store/schedule"
	"cunjing/store/schedule/tally"
)

// A team that only a rule which has ended draws on may be deleted: no
// rule in force or still to come needs it, and the ended rule's past is
// still counted, its turns shown under the team's last name and who
// stood. A rule in force, or one that begins later, still refuses it.
// Red before: the officer had to move the ended rule to another team.
func TestDeleteTeamOnlyAnEndedRuleDrawsOn(t *testing.T) {
	ctx := context.Background()
	today := schedule.DateOf(2026, 12, 5)
	for _, c := range []struct {
		name     string
		from, to string // the rule's ValidFrom and ValidTo
		listed   bool   // the rule lists its people (else its whole team)
		refused  bool
	}{
		{"ended, drawing on the whole team", "2026-11-01", "2026-11-30", false, false},
		{"ended, listing its people", "2026-11-01", "2026-11-30", true, false},
		{"ended yesterday", "2026-11-01", "2026-12-04", false, false},
		{"in force", "2026-11-01", "", false, true},
		{"ends today", "2026-11-01", "2026-12-05", false, true},
		{"begins later", "2026-12-20", "", false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestStore(t, store.RolePost)
			team, ms := saveTeam(t, s, "二队", "丁/辅警", "戊/村警")
			a, b := ms[0], ms[1]
			r := &store.ShiftRule{TeamID: team.ID, Name: "夜巡", Kind: schedule.KindPatrol, Spec: `{"kind":"daily"}`, Windows: "20:00-22:00",
				Rotate: 1, ValidFrom: c.from, ValidTo: c.to}
			if c.listed {
				r.People = []string{b.ID, a.ID}
			}
			if err := s.Save(ctx, r); err != nil {
				t.Fatal(err)
			}
			from := schedule.DateOf(2026, 11, 1)
			before := standing(t, s, r.ID, today)
			figures := func() tally.Figures {
				f, err := rosterdata.PatrolFigures(ctx, s, s.DeviceID(), from, today-1, tally.EndOf(today), tally.ByMonth)
				if err != nil || len(f.Problems) > 0 {
					t.Fatalf("figures: %v %v", err, f.Problems)
				}
				return f
			}
			was := figures()
			err := rosterdata.DeleteTeam(ctx, s, today, team.ID)
			if c.refused {
				var ne *rosterdata.NeededError
				if !errors.As(err, &ne) || ne.Team != "二队" || !slices.Equal(ne.Rules, []string{"夜巡"}) {
					t.Fatalf("deleting 二队: %v, want refused naming 夜巡", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("deleting a team only an ended rule draws on: %v", err)
			}
			if ts, _ := s.Teams(ctx); len(ts) != 0 {
				t.Fatalf("teams left: %v", ts)
			}
			after := standing(t, s, r.ID, today)
			for d := from; d < today; d++ {
				if after[d] != before[d] {
					t.Errorf("%s: %q stands after, %q before", d, after[d], before[d])
				}
			}
			now := figures()
			if now.Planned != was.Planned || now.Planned == 0 {
				t.Errorf("planned %d after, %d before", now.Planned, was.Planned)
			}
			var rows []string
			for _, row := range now.Rows {
				rows = append(rows, row.Team)
			}
			if len(rows) == 0 || slices.ContainsFunc(rows, func(n string) bool { return n != "二队" }) {
				t.Errorf("rows under %v, want 二队", rows)
			}
			in, err := rosterdata.ScheduleInputOf(ctx, s, s.DeviceID())
			if err != nil {
				t.Fatal(err)
			}
			sch, err := schedule.Expand(in, from, from)
			if err != nil || len(sch.Slots) != 1 || sch.Slots[0].Team != "二队" || !strings.ContainsAny(strings.Join(sch.Slots[0].People, ""), "丁戊") {
				t.Errorf("the first day: %+v (%v)", sch, err)
			}
		})
	}
}
