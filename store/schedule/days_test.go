package schedule

import (
	"fmt"
	"strings"
	"testing"
)

// A version keeps the days and hours the rule had up to its Until (an
// edit of 每周一、五 to 每周一、三、五, or 07:00-08:00 to 07:30-08:30, applies
// from its day on); a version without them has those of the version after
// it, or the rule's own.
func TestVersionsKeepDaysAndHours(t *testing.T) {
	edit := DateOf(2026, 11, 11) // a Wednesday: the rule changed that day
	monFri := spec(t, "每周一、五")
	mwf := spec(t, "每周一、三、五")
	daily := spec(t, "每天")
	early := win(t, "07:00-08:00")
	late := win(t, "07:30-08:30")
	base := Input{Teams: []Team{{ID: "t", Name: "一队"}}, Members: []Member{{ID: "a", TeamID: "t", Name: "甲"}}}
	rule := Rule{ID: "r", Name: "护学岗", TeamID: "t", Kind: KindSchoolGate, Spec: mwf, Windows: late, People: []string{"a"}}
	v := func(until Date, sp *Spec, ws []Window) Version {
		return Version{Until: until, People: []string{"a"}, Spec: sp, Windows: ws}
	}
	// slots is the slots of the week of the edit as "day hh:mm".
	slots := func(s *Schedule) string {
		var out []string
		for _, x := range s.Slots {
			_, _, d := x.Date.YMD()
			out = append(out, fmt.Sprintf("%d %s", d, x.Start))
		}
		return strings.Join(out, " ")
	}
	for _, c := range []struct {
		name string
		vs   []Version
		want string // 2026-11-09 (Mon) .. 11-13 (Fri)
	}{
		{"no version: the rule's days and hours on every day", nil, "9 07:30 11 07:30 13 07:30"},
		{"only who stood kept: the rule's days and hours", []Version{v(edit-1, nil, nil)}, "9 07:30 11 07:30 13 07:30"},
		{"days kept: no Wednesday before the edit", []Version{v(edit-2, &monFri, nil)}, "9 07:30 11 07:30 13 07:30"},
		{"days kept to the day of the version", []Version{v(edit, &monFri, nil)}, "9 07:30 13 07:30"},
		{"days and hours kept", []Version{v(edit-1, &monFri, early)}, "9 07:00 11 07:30 13 07:30"},
		{"days kept up to Thursday", []Version{v(edit+1, &daily, early)}, "9 07:00 10 07:00 11 07:00 12 07:00 13 07:30"},
		{"an earlier version without days has those of the one after", []Version{v(edit-2, nil, nil), v(edit+1, &monFri, early)},
			"9 07:00 13 07:30"},
		{"an earlier version's own days", []Version{v(edit-1, &daily, nil), v(edit+1, &monFri, early)},
			"9 07:00 10 07:00 13 07:30"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := base
			r := rule
			r.Versions = c.vs
			in.Rules = []Rule{r}
			s, err := Expand(in, edit-2, edit+2)
			if err != nil {
				t.Fatal(err)
			}
			if got := slots(s); got != c.want {
				t.Errorf("slots %s, want %s", got, c.want)
			}
		})
	}
	for _, c := range []struct {
		name string
		v    Version
	}{
		{"days that do not read", v(edit, &Spec{Kind: Weekly}, nil)},
		{"hours overlapping", v(edit, nil, []Window{{Start: 60, End: 180}, {Start: 120, End: 240}})},
	} {
		in := base
		r := rule
		r.Versions = []Version{c.v}
		in.Rules = []Rule{r}
		if _, err := Expand(in, edit, edit); err == nil {
			t.Errorf("%s: expanded", c.name)
		}
	}
}

// A rule may draw on a team deleted since (Input.FormerTeams: a rule
// that ended before the deletion): its slots stand under the team's last
// name. A live member of a deleted team, or a team neither live nor
// former, is still an error.
func TestFormerTeams(t *testing.T) {
	d0 := DateOf(2026, 11, 1)
	for _, c := range []struct {
		name       string
		ruleTeam   string
		memberTeam string
		team, err  string
	}{
		{"a rule of a deleted team", "gone", "t", "二队", ""},
		{"a live member of a deleted team", "t", "gone", "", "unknown team"},
		{"a team neither live nor deleted", "x", "t", "", "unknown team"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := Input{Teams: []Team{{ID: "t", Name: "一队"}}, FormerTeams: []Team{{ID: "gone", Name: "二队"}},
				Members: []Member{{ID: "a", TeamID: c.memberTeam, Name: "甲"}},
				Rules: []Rule{{ID: "r", Name: "夜巡", TeamID: c.ruleTeam, Kind: KindPatrol, Spec: Spec{Kind: Daily},
					Windows: []Window{{Start: 19 * 60, End: 21 * 60}}, People: []string{"a"}}}}
			s, err := Expand(in, d0, d0)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("%v, want an error saying %q", err, c.err)
				}
				return
			}
			if err != nil || len(s.Slots) != 1 || s.Slots[0].Team != c.team {
				t.Errorf("slots %+v (%v), want one under %s", s, err, c.team)
			}
		})
	}
}

// A version keeps what the rule did on holidays too: a 护学岗 that skipped
// the winter break and is set to keep holidays from the edit on still
// skipped the days of the break before it.
func TestVersionsKeepHolidayPolicy(t *testing.T) {
	hs, err := DefaultHolidays()
	if err != nil {
		t.Fatal(err)
	}
	edit := DateOf(2027, 2, 3) // in the 2027 winter break (a Wednesday)
	skip, keep := "", HolidaysKeep
	base := Input{Teams: []Team{{ID: "t", Name: "一队"}}, Members: []Member{{ID: "a", TeamID: "t", Name: "甲"}}, Holidays: hs}
	rule := Rule{ID: "r", Name: "护学岗", TeamID: "t", Kind: KindSchoolGate, Spec: spec(t, "每天"), Windows: win(t, "07:00-08:00"),
		People: []string{"a"}, Holidays: keep}
	for _, c := range []struct {
		name   string
		vs     []Version
		before int // slots of the two days before the edit
		after  int // of the edit's day and the next
	}{
		{"no version: kept every day", nil, 2, 2},
		{"skipped the break before the edit", []Version{{Until: edit - 1, People: []string{"a"}, Holidays: &skip}}, 0, 2},
		{"a version without a policy has the rule's", []Version{{Until: edit - 1, People: []string{"a"}}}, 2, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := base
			r := rule
			r.Versions = c.vs
			in.Rules = []Rule{r}
			s, err := Expand(in, edit-2, edit+1)
			if err != nil {
				t.Fatal(err)
			}
			before, after := 0, 0
			for _, x := range s.Slots {
				if x.Date < edit {
					before++
				} else {
					after++
				}
			}
			if before != c.before || after != c.after {
				t.Errorf("%d slots before the edit, %d from it; want %d, %d", before, after, c.before, c.after)
			}
		})
	}
	bad := "public,keep"
	in := base
	r := rule
	r.Versions = []Version{{Until: edit, People: []string{"a"}, Holidays: &bad}}
	in.Rules = []Rule{r}
	if _, err := Expand(in, edit, edit); err == nil {
		t.Error("a version's policy that does not read: expanded")
	}
}

// A version keeps the rule's kind, team and start as they were: its days
// show that kind and team, it stands on no day before its start, and a
// Fresh version starts its turns again at the head of its list. A kind,
// team or start that does not read fails the rule.
func TestVersionsKeepKindTeamAndStart(t *testing.T) {
	edit := DateOf(2026, 12, 9)
	base := Input{Teams: []Team{{ID: "t", Name: "一队"}}, FormerTeams: []Team{{ID: "old", Name: "旧队"}},
		Members: []Member{{ID: "a", TeamID: "t", Name: "甲"}, {ID: "b", TeamID: "t", Name: "乙"}}}
	rule := Rule{ID: "r", Name: "夜巡", TeamID: "t", Kind: KindDuty, Spec: spec(t, "每天"), Windows: win(t, "20:00-22:00"),
		People: []string{"a", "b"}, Rotate: 1, ValidFrom: edit - 4}
	late, early, ext, open := edit+1, edit-6, edit-5, Date(0)
	for _, c := range []struct {
		name string
		vs   []Version
		want string // the slots of edit-6..edit+1: "day kind team person"
	}{
		{"none", nil, "5 duty 一队 甲 6 duty 一队 乙 7 duty 一队 甲 8 duty 一队 乙 9 duty 一队 甲 10 duty 一队 乙"},
		{"kind and team kept", []Version{{Until: edit - 1, People: []string{"a", "b"}, Rotate: 1, Kind: KindPatrol, TeamID: "old"}},
			"5 patrol 旧队 甲 6 patrol 旧队 乙 7 patrol 旧队 甲 8 patrol 旧队 乙 9 duty 一队 甲 10 duty 一队 乙"},
		{"an earlier start kept, the rule's own later", []Version{{Until: edit - 1, People: []string{"a", "b"}, Rotate: 1, From: &early}},
			"3 duty 一队 甲 4 duty 一队 乙 5 duty 一队 甲 6 duty 一队 乙 7 duty 一队 甲 8 duty 一队 乙 9 duty 一队 甲 10 duty 一队 乙"},
		{"the rule's own start later: a pause, the turns go on", []Version{{Until: edit - 1, People: []string{"a", "b"}, Rotate: 1, From: &early}},
			"3 duty 一队 甲 4 duty 一队 乙 5 duty 一队 甲 6 duty 一队 乙 7 duty 一队 甲 8 duty 一队 乙 10 duty 一队 甲"},
		{"no start kept (a rule without one), none now", []Version{{Until: edit - 1, People: []string{"a"}, From: &open}},
			"3 duty 一队 甲 4 duty 一队 甲 5 duty 一队 甲 6 duty 一队 甲 7 duty 一队 甲 8 duty 一队 甲 9 duty 一队 乙 10 duty 一队 乙"},
		{"a day added before, then the first again from its head", []Version{
			{Until: edit - 5, People: []string{"a", "b"}, Rotate: 1, From: &ext},
			{Until: edit - 1, People: []string{"a", "b"}, Rotate: 1, Fresh: true}},
			"4 duty 一队 甲 5 duty 一队 甲 6 duty 一队 乙 7 duty 一队 甲 8 duty 一队 乙 9 duty 一队 甲 10 duty 一队 乙"},
		{"a day added before, not fresh: the turns go on", []Version{
			{Until: edit - 5, People: []string{"a", "b"}, Rotate: 1, From: &ext},
			{Until: edit - 1, People: []string{"a", "b"}, Rotate: 1}},
			"4 duty 一队 甲 5 duty 一队 乙 6 duty 一队 甲 7 duty 一队 乙 8 duty 一队 甲 9 duty 一队 乙 10 duty 一队 甲"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := base
			r := rule
			r.Versions = c.vs
			switch c.name {
			case "the rule's own start later: a pause, the turns go on":
				r.ValidFrom = late
			case "no start kept (a rule without one), none now":
				r.People, r.Rotate, r.ValidFrom = []string{"b"}, 0, 0
			}
			in.Rules = []Rule{r}
			s, err := Expand(in, edit-6, edit+1)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range s.Slots {
				_, _, d := x.Date.YMD()
				got = append(got, fmt.Sprintf("%d %s %s %s", d, x.Kind, x.Team, strings.Join(x.People, "、")))
			}
			if g := strings.Join(got, " "); g != c.want {
				t.Errorf("got  %s\nwant %s", g, c.want)
			}
		})
	}
	for _, v := range []Version{{Until: edit - 1, People: []string{"a"}, Kind: "walk"}, {Until: edit - 1, People: []string{"a"}, TeamID: "gone"}} {
		in := base
		r := rule
		r.Versions = []Version{v}
		in.Rules = []Rule{r}
		if _, err := Expand(in, edit, edit); err == nil {
			t.Errorf("a version of kind %q, team %q: expanded", v.Kind, v.TeamID)
		}
	}
}
