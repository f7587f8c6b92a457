package schedule

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// naiveTurns is the rotation as first written (a queue rebuilt every
// turn), kept as the oracle the fast one must agree with: each of the
// rule's days from ValidFrom, the people of the turn and who was passed
// over for whom.
func naiveTurns(in Input, r Rule, days []Date) (map[Date][]string, map[Date][]Conflict) {
	members := map[string]*Member{}
	for i := range in.Members {
		members[in.Members[i].ID] = &in.Members[i]
	}
	q := slices.Clone(r.People)
	ids, conf := map[Date][]string{}, map[Date][]Conflict{}
	for _, d := range days {
		var got []string
		for k := 0; k < len(q) && len(got) < r.Rotate; k++ {
			if members[q[k]].Available(d) {
				got = append(got, q[k])
			}
		}
		var cs []Conflict
		if !slices.Equal(got, q[:r.Rotate]) {
			var standIns []string
			for _, p := range got {
				if !slices.Contains(q[:r.Rotate], p) {
					standIns = append(standIns, p)
				}
			}
			k := 0
			for _, p := range q[:r.Rotate] {
				if slices.Contains(got, p) {
					continue
				}
				c := Conflict{Kind: ConflictOnLeave, PersonID: p, Person: members[p].Name}
				if k < len(standIns) {
					c.Kind, c.By = ConflictSubstituted, members[standIns[k]].Name
					k++
				}
				cs = append(cs, c)
			}
		}
		var rest []string
		for _, p := range q {
			if !slices.Contains(got, p) {
				rest = append(rest, p)
			}
		}
		q = append(rest, got...)
		ids[d], conf[d] = got, cs
	}
	return ids, conf
}

// The rotation agrees with the oracle turn by turn, with random leave and
// weekdays off, whatever range is viewed.
func TestRotationMatchesOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	subs := 0
	for iter := range 80 {
		n := 1 + rng.IntN(9)
		per := 1 + rng.IntN(n)
		in := Input{Teams: []Team{{ID: "t", Name: "T"}}}
		var people []string
		start := DateOf(2025, 1, 1) + Date(rng.IntN(300))
		for i := range n {
			m := Member{ID: fmt.Sprintf("p%d", i), TeamID: "t", Name: fmt.Sprintf("人%d", i)}
			for range rng.IntN(4) {
				f := start + Date(rng.IntN(200))
				m.Leave = append(m.Leave, DateRange{From: f, To: f + Date(rng.IntN(12))})
			}
			if rng.IntN(4) == 0 {
				m.Off = []WeekdaysOff{{Days: []time.Weekday{time.Weekday(rng.IntN(7))}}}
			}
			in.Members = append(in.Members, m)
			people = append(people, m.ID)
		}
		rng.Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
		r := Rule{ID: "r", Name: "轮值", TeamID: "t", Kind: KindDuty, Spec: Spec{Kind: Daily},
			Windows: []Window{{Start: 480, End: 480}}, People: people, Rotate: per, ValidFrom: start}
		in.Rules = []Rule{r}
		from := start + Date(rng.IntN(100))
		to := from + Date(rng.IntN(150))
		s, err := Expand(in, from, to)
		if err != nil {
			t.Fatal(err)
		}
		var days []Date
		for d := start; d <= to; d++ {
			days = append(days, d)
		}
		wantIDs, wantConf := naiveTurns(in, r, days)
		if len(s.Slots) != int(to-from)+1 {
			t.Fatalf("iter %d: %d slots for %d days", iter, len(s.Slots), int(to-from)+1)
		}
		for _, x := range s.Slots {
			if !slices.Equal(x.PersonIDs, wantIDs[x.Date]) && (len(x.PersonIDs) > 0 || len(wantIDs[x.Date]) > 0) {
				t.Fatalf("iter %d (%d people, %d a turn): %s stands %v, oracle %v", iter, n, per, x.Date, x.PersonIDs, wantIDs[x.Date])
			}
			var got []Conflict
			for _, c := range x.Conflicts {
				if c.Kind == ConflictOnLeave || c.Kind == ConflictSubstituted {
					got = append(got, c)
				}
			}
			want := slices.Clone(wantConf[x.Date])
			slices.SortStableFunc(want, func(a, b Conflict) int {
				return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.PersonID, b.PersonID))
			})
			subs += len(want)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("iter %d: %s conflicts %+v, oracle %+v", iter, x.Date, got, want)
			}
		}
	}
	if subs < 50 {
		t.Errorf("only %d people passed over in all: the leave does not exercise the rotation", subs)
	}
}

// A rotation over a large team begun long ago costs its turns, not its
// team times its turns: 10,000 people, 100 a turn, every day since 1901,
// viewed for a month. The queue was rebuilt with a linear search per
// person each turn (some 4·10^10 steps: the roster hung for an hour).
func TestRotationLongAgoLargeTeamIsBounded(t *testing.T) {
	in := Input{Teams: []Team{{ID: "t", Name: "T"}}}
	for i := range 10000 {
		in.Members = append(in.Members, Member{ID: fmt.Sprintf("m%05d", i), TeamID: "t", Name: fmt.Sprintf("人%d", i)})
	}
	in.Rules = []Rule{{ID: "r", Name: "值班", TeamID: "t", Kind: KindDuty, Spec: Spec{Kind: Daily},
		Windows: []Window{{Start: 480, End: 480}}, Rotate: 100, ValidFrom: DateOf(1901, 1, 1)}}
	done := make(chan error, 1)
	go func() {
		s, err := Expand(in, DateOf(2026, 12, 1), DateOf(2026, 12, 31))
		if err == nil && len(s.Slots) != 31 {
			err = fmt.Errorf("%d slots, want 31", len(s.Slots))
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a month of a 10,000-person rotation begun in 1901 did not expand in 30 s")
	}
}

// An edit of who stands (Rule.Versions) changes the days from the edit
// on, never the past: the past is what the rule before the edit gave,
// and a rotation goes on where it was.
func TestVersionsKeepThePast(t *testing.T) {
	d0 := DateOf(2026, 11, 1)
	members := []Member{{ID: "a", TeamID: "t", Name: "甲"}, {ID: "b", TeamID: "t", Name: "乙"}, {ID: "c", TeamID: "t", Name: "丙"}, {ID: "d", TeamID: "t", Name: "丁"}}
	base := Rule{ID: "r", Name: "夜巡", TeamID: "t", Kind: KindPatrol, Spec: Spec{Kind: Daily},
		Windows: []Window{{Start: 19 * 60, End: 21 * 60}}, ValidFrom: d0}
	until := d0 + 9
	for _, c := range []struct {
		name          string
		before, after Rule // the rule as it was, and as edited on until+1 (Versions set below)
		future        [][]string
	}{
		{"a newcomer joins the back of the queue",
			Rule{People: []string{"a", "b", "c"}, Rotate: 1}, Rule{People: []string{"a", "b", "c", "d"}, Rotate: 1},
			[][]string{{"b"}, {"c"}, {"a"}, {"d"}, {"b"}}},
		{"one leaves, the others go on in turn",
			Rule{People: []string{"a", "b", "c"}, Rotate: 1}, Rule{People: []string{"a", "c"}, Rotate: 1},
			[][]string{{"c"}, {"a"}, {"c"}}},
		{"the same people in a new order start again in it",
			Rule{People: []string{"a", "b", "c"}, Rotate: 1}, Rule{People: []string{"c", "b", "a"}, Rotate: 1},
			[][]string{{"c"}, {"b"}, {"a"}}},
		{"two a turn from now",
			Rule{People: []string{"a", "b", "c"}, Rotate: 1}, Rule{People: []string{"a", "b", "c"}, Rotate: 2},
			[][]string{{"b", "c"}, {"a", "b"}}},
		{"everyone stands, then others",
			Rule{People: []string{"a", "b"}}, Rule{People: []string{"c", "d"}},
			[][]string{{"c", "d"}, {"c", "d"}}},
		{"everyone stood, now in turn",
			Rule{People: []string{"a", "b"}}, Rule{People: []string{"c", "d"}, Rotate: 1},
			[][]string{{"c"}, {"d"}, {"c"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := Input{Teams: []Team{{ID: "t", Name: "一队"}}, Members: members}
			was, now := base, base
			was.People, was.Rotate = c.before.People, c.before.Rotate
			now.People, now.Rotate = c.after.People, c.after.Rotate
			now.Versions = []Version{{Until: until, People: was.People, Rotate: was.Rotate}}
			in.Rules = []Rule{was}
			past, err := Expand(in, d0, until)
			if err != nil {
				t.Fatal(err)
			}
			in.Rules = []Rule{now}
			// Viewed from any day: a rotation's turns never shift with the range.
			for _, from := range []Date{d0, d0 + 4, until + 1} {
				got, err := Expand(in, from, until+Date(len(c.future)))
				if err != nil {
					t.Fatal(err)
				}
				for _, sl := range got.Slots {
					if sl.Date <= until {
						want := past.Slots[sl.Date-d0]
						if !slices.Equal(sl.PersonIDs, want.PersonIDs) || !slices.Equal(sl.People, want.People) {
							t.Errorf("from %s: %s (before the edit) has %v, had %v", from, sl.Date, sl.People, want.People)
						}
						continue
					}
					if want := c.future[sl.Date-until-1]; !slices.Equal(sl.PersonIDs, want) {
						t.Errorf("from %s: %s (after the edit) has %v, want %v", from, sl.Date, sl.PersonIDs, want)
					}
				}
			}
		})
	}
}

// A member deleted since stands on the old days under the name they had;
// versions that do not read are errors, never a silent change.
func TestVersionsOfDeletedMembersAndBadVersions(t *testing.T) {
	d0 := DateOf(2026, 11, 1)
	in := Input{Teams: []Team{{ID: "t", Name: "一队"}}, Members: []Member{{ID: "a", TeamID: "t", Name: "甲"}}}
	r := Rule{ID: "r", Name: "夜巡", TeamID: "t", Kind: KindPatrol, Spec: Spec{Kind: Daily},
		Windows: []Window{{Start: 19 * 60, End: 21 * 60}}, People: []string{"a"}}
	ok := r
	ok.Versions = []Version{{Until: d0, People: []string{"a", "x"}, Names: []string{"甲", "老王"}}}
	in.Rules = []Rule{ok}
	sch, err := Expand(in, d0, d0+1)
	if err != nil {
		t.Fatal(err)
	}
	if len(sch.Slots) != 2 || !slices.Equal(sch.Slots[0].People, []string{"甲", "老王"}) || !slices.Equal(sch.Slots[1].People, []string{"甲"}) {
		t.Errorf("slots %+v", sch.Slots)
	}
	for _, c := range []struct {
		name string
		vs   []Version
	}{
		{"not in order", []Version{{Until: d0 + 1, People: []string{"a"}}, {Until: d0, People: []string{"a"}}}},
		{"nobody", []Version{{Until: d0, People: nil}}},
		{"twice", []Version{{Until: d0, People: []string{"a", "a"}}}},
		{"names do not match", []Version{{Until: d0, People: []string{"a"}, Names: []string{"甲", "乙"}}}},
		{"more a turn than people", []Version{{Until: d0, People: []string{"a"}, Rotate: 2}}},
		{"a rotation without a start", []Version{{Until: d0, People: []string{"a"}, Rotate: 1}}},
	} {
		bad := r
		bad.Versions = c.vs
		in.Rules = []Rule{bad}
		if _, err := Expand(in, d0, d0+1); err == nil {
			t.Errorf("%s: expanded", c.name)
		}
	}
}

// A rule's list may name a member deleted since (Input.Former): a rule
// that ended before the deletion, or a copy of the roster merged from
// before it. They stand there under their last name (the past shows who
// stood; a merged list shows whom to take off) instead of the roster
// failing; a member neither live nor former is still an error.
func TestFormerMembersOnARuleList(t *testing.T) {
	d0 := DateOf(2026, 11, 1)
	base := Input{Teams: []Team{{ID: "t", Name: "一队"}}, Members: []Member{{ID: "b", TeamID: "t", Name: "乙"}},
		Former: []Member{{ID: "a", TeamID: "t", Name: "甲"}}}
	for _, c := range []struct {
		name   string
		people []string
		want   []string // who stands; nil: an error containing err
		err    string
	}{
		{"a former member on the list", []string{"a", "b"}, []string{"甲", "乙"}, ""},
		{"only former members", []string{"a"}, []string{"甲"}, ""},
		{"neither live nor former", []string{"x", "b"}, nil, "unknown member"},
	} {
		in := base
		in.Rules = []Rule{{ID: "r", Name: "夜巡", TeamID: "t", Kind: KindPatrol, Spec: Spec{Kind: Daily},
			Windows: []Window{{Start: 19 * 60, End: 21 * 60}}, People: c.people}}
		sch, err := Expand(in, d0, d0)
		if c.want == nil {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: %v, want an error saying %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil || len(sch.Slots) != 1 || !slices.Equal(sch.Slots[0].People, c.want) {
			t.Errorf("%s: %+v, %v; want %v", c.name, sch, err, c.want)
		}
	}
}

// A rotation paused for a while (everyone stood: 每次几人 left empty for a
// week of 加强巡逻) goes on where it stopped when turns come back, as it
// goes on across any other edit. Red before: it started again at the head
// of the list (甲 again, though 甲 had stood the last turn).
func TestRotationGoesOnAfterAPause(t *testing.T) {
	d0 := DateOf(2026, 11, 1)
	members := []Member{{ID: "a", TeamID: "t", Name: "甲"}, {ID: "b", TeamID: "t", Name: "乙"}, {ID: "c", TeamID: "t", Name: "丙"}}
	abc := []string{"a", "b", "c"}
	for _, c := range []struct {
		name     string
		versions []Version
		rotate   int
		want     []string // from d0, one a day
	}{
		{"turns, a pause, turns", []Version{{Until: d0 + 3, People: abc, Rotate: 1}, {Until: d0 + 5, People: abc}}, 1,
			[]string{"a", "b", "c", "a", "a,b,c", "a,b,c", "b", "c", "a"}},
		{"turns, a pause, two a turn", []Version{{Until: d0 + 1, People: abc, Rotate: 1}, {Until: d0 + 2, People: abc}}, 2,
			[]string{"a", "b", "a,b,c", "c,a", "b,c"}},
		{"no pause", []Version{{Until: d0 + 1, People: abc, Rotate: 1}}, 1,
			[]string{"a", "b", "c", "a"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := Input{Teams: []Team{{ID: "t", Name: "一队"}}, Members: members, Rules: []Rule{{ID: "r", Name: "夜巡", TeamID: "t", Kind: KindPatrol,
				Spec: Spec{Kind: Daily}, Windows: []Window{{Start: 19 * 60, End: 21 * 60}}, ValidFrom: d0, People: abc, Rotate: c.rotate, Versions: c.versions}}}
			sch, err := Expand(in, d0, d0+Date(len(c.want))-1)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, sl := range sch.Slots {
				got = append(got, strings.Join(sl.PersonIDs, ","))
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("turns %v, want %v", got, c.want)
			}
		})
	}
}
