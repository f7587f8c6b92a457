package schedule

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
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
				m.Off = []time.Weekday{time.Weekday(rng.IntN(7))}
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
