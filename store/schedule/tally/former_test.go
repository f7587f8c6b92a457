package tally

import (
	"testing"

	"cunjing/store/schedule"
)

// A team deleted since (schedule.Input.FormerTeams: a team only a rule
// that ended drew on may go) is counted under its last name: its patrols
// logged ad hoc in a period its rule planned nothing showed in 完成情况
// as a row with no team name. Its planned turns had the name already.
func TestTallyNamesADeletedTeam(t *testing.T) {
	day := schedule.DateOf(2026, 12, 2)
	for _, c := range []struct {
		name  string
		rule  bool // the deleted team's ended rule plans the day
		teams []schedule.Team
	}{
		{"patrols only", false, nil},
		{"its rule's turns and an ad hoc patrol", true, nil},
		{"a live team of the id wins", false, []schedule.Team{{ID: "t9", Name: "新西村队"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := post(t)
			in.Teams = append(in.Teams, c.teams...)
			in.FormerTeams = []schedule.Team{{ID: "t9", Name: "西村巡逻队"}}
			want := "西村巡逻队"
			if len(c.teams) > 0 {
				want = c.teams[0].Name
			}
			if c.rule {
				in.Rules = append(in.Rules, schedule.Rule{ID: "r-west", Name: "西村巡逻", TeamID: "t9", Kind: schedule.KindPatrol,
					Spec: spec(t, "每天"), Windows: win(t, "19:00-21:00"), People: []string{"m1"}, ValidTo: day})
			}
			recs := []PatrolRecord{{ID: "p1", TeamID: "t9", Date: day, Start: 8 * 60, End: 9 * 60}}
			f, err := Tally(in, recs, day, day, Due{}, ByMonth)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, r := range f.Rows {
				if r.TeamID != "t9" {
					continue
				}
				found = true
				if r.Team != want || r.AdHoc != 1 {
					t.Errorf("the deleted team's row: %+v, want team %q with 1 ad hoc patrol", r, want)
				}
			}
			if !found || len(f.Problems) != 0 {
				t.Errorf("no row of the deleted team (problems %v): %+v", f.Problems, f.Rows)
			}
		})
	}
}
