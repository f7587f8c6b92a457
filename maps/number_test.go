package maps

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// streetVillage: a main road east–west from the entrance at x=200, one
// lane north at x=100 and one south at x=50; houses on both sides.
func streetVillage() *Village {
	return &Village{
		Lanes: []Lane{
			{ID: "main", Name: "主街", Width: 6, Points: []Point{{0, 0}, {200, 0}}},
			{ID: "n", Name: "1号巷", Width: 4, Points: []Point{{100, 0}, {100, 80}}},
			{ID: "s", Name: "2号巷", Width: 3, Points: []Point{{50, 0}, {50, -80}}},
		},
		Houses: []House{
			{ID: "m-n-far", Polygon: rect(20, 5, 12, 14)},     // main road, north side, far from the entrance
			{ID: "m-s-near", Polygon: rect(170, -19, 12, 14)}, // main road, south side, near
			{ID: "m-n-near", Polygon: rect(150, 5, 12, 14)},   // main road, north, between
			{ID: "n-w-1", Polygon: rect(84, 20, 14, 10)},      // 1号巷 west side
			{ID: "n-e-1", Polygon: rect(102, 22, 14, 10)},     // 1号巷 east side, a little further
			{ID: "n-w-2", Polygon: rect(84, 50, 14, 10)},
			{ID: "s-e-1", Polygon: rect(52, -30, 14, 10)}, // 2号巷
		},
		Landmarks: []Landmark{{ID: "e", Kind: KindEntrance, Name: "村东口", Point: Point{200, 0}}},
	}
}

func numbersByID(v *Village) map[string]string {
	m := map[string]string{}
	for _, h := range v.Houses {
		m[h.ID] = h.Number
	}
	return m
}

func TestWalkOrder(t *testing.T) {
	v := streetVillage()
	if _, err := AutoNumber(v, NumberOptions{}); err != nil {
		t.Fatal(err)
	}
	// The main road first (walking west from the entrance, both sides as
	// passed), then 1号巷 (its mouth is nearer), then 2号巷.
	want := map[string]string{"m-s-near": "1", "m-n-near": "2", "m-n-far": "3",
		"n-w-1": "4", "n-e-1": "5", "n-w-2": "6", "s-e-1": "7"}
	got := numbersByID(v)
	for id, n := range want {
		if got[id] != n {
			t.Errorf("house %s: number %q, want %q (all: %v)", id, got[id], n, got)
		}
	}
	// From the west end the order turns round.
	w := streetVillage()
	if _, err := AutoNumber(w, NumberOptions{Start: &Point{0, 0}}); err != nil {
		t.Fatal(err)
	}
	if g := numbersByID(w); g["m-n-far"] != "1" || g["s-e-1"] != "4" {
		t.Errorf("from the west: %v", g)
	}
}

func TestNumberNewSuffixes(t *testing.T) {
	v := streetVillage()
	if _, err := AutoNumber(v, NumberOptions{}); err != nil {
		t.Fatal(err)
	}
	// A house built between 5 and 6 (on 1号巷, east side, beyond n-e-1).
	v.Houses = append(v.Houses, House{ID: "new1", Polygon: rect(102, 40, 14, 10)})
	plan, err := AutoNumber(v, NumberOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 1 || plan[0].New != "5-1" {
		t.Fatalf("inserted house: plan %+v, want 5-1", plan)
	}
	// Another one after 5 takes the next free suffix.
	v.Houses = append(v.Houses, House{ID: "new2", Polygon: rect(84, 35, 14, 10)})
	if plan, _ = AutoNumber(v, NumberOptions{}); len(plan) != 1 || plan[0].New != "5-2" {
		t.Fatalf("second insert: %+v", plan)
	}
	// Existing numbers never moved.
	got := numbersByID(v)
	if got["n-e-1"] != "5" || got["m-s-near"] != "1" {
		t.Fatalf("existing numbers changed: %v", got)
	}
	// A house before every numbered one takes the next whole number.
	v.Houses = append(v.Houses, House{ID: "new3", Polygon: rect(186, 5, 10, 10)})
	if plan, _ = AutoNumber(v, NumberOptions{}); len(plan) != 1 || plan[0].New != "8" {
		t.Fatalf("house before all: %+v", plan)
	}
}

func TestRenumberKeepsHistory(t *testing.T) {
	v := streetVillage()
	if _, err := AutoNumber(v, NumberOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := RemoveHouse(v, "m-n-near"); err != nil { // number 2 retires
		t.Fatal(err)
	}
	if _, err := AutoNumber(v, NumberOptions{Mode: Renumber}); err != nil {
		t.Fatal(err)
	}
	got := numbersByID(v)
	if got["m-s-near"] != "1" || got["m-n-far"] != "3" {
		t.Fatalf("renumber: %v", got)
	}
	// n-w-1 was 4; 2 is retired and 3 taken, so it keeps 4 — everyone
	// after shifts only into numbers nobody has had.
	for id, n := range got {
		if n == "2" {
			t.Fatalf("house %s got retired number 2", id)
		}
	}
	i, ok := FindByNumber(v, "6")
	if !ok || v.Houses[i].ID != "n-w-2" {
		t.Fatalf("number 6 finds %v", i)
	}
	if err := SetNumber(v, "s-e-1", "100"); err != nil {
		t.Fatal(err)
	}
	if i, ok := FindByNumber(v, "7"); !ok || v.Houses[i].ID != "s-e-1" {
		t.Fatal("old number 7 no longer finds its house")
	}
}

func TestSetNumberRejects(t *testing.T) {
	v := streetVillage()
	if _, err := AutoNumber(v, NumberOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := RemoveHouse(v, "n-w-2"); err != nil { // retires 6
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id, n, why string
		is         error // the sentinel the refusal is (the window words it)
		taken      bool  // another house has it: the refusal names that house
	}{
		{"n-w-1", "5", "another house's number", nil, true},
		{"n-w-1", "6", "retired", ErrNumberRetired, false},
		{"n-w-1", "", "empty", ErrBadNumber, false},
		{"n-w-1", "20 3", "ok after normalising? no: spaces are dropped, so 203 — allowed", nil, false},
		{"n-w-1", "2/3", "bad character", ErrBadNumber, false},
		{"nobody", "300", "no such house", nil, false},
		{"n-w-1", strings.Repeat("9", 17), "too long", ErrBadNumber, false},
	} {
		owner := ""
		if i, ok := FindByNumber(v, tc.n); ok {
			owner = v.Houses[i].ID
		}
		err := SetNumber(v, tc.id, tc.n)
		if tc.n == "20 3" {
			if err != nil || numbersByID(v)["n-w-1"] != "203" {
				t.Errorf("%q: %v", tc.n, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("SetNumber(%s, %q) accepted (%s)", tc.id, tc.n, tc.why)
			continue
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("SetNumber(%s, %q): %v, want it to be %v", tc.id, tc.n, err, tc.is)
		}
		var taken *NumberTakenError
		if tc.taken && (!errors.As(err, &taken) || taken.HouseID != owner || taken.Current != tc.n) {
			t.Errorf("SetNumber(%s, %q): %v, want taken by %s", tc.id, tc.n, err, owner)
		}
	}
	// Its own old number is fine to take back.
	if err := SetNumber(v, "n-w-1", "4"); err != nil {
		t.Errorf("taking back own number: %v", err)
	}
	dup := streetVillage()
	dup.Houses[0].Number, dup.Houses[1].Number = "9", "9"
	if _, err := PlanNumbers(dup, NumberOptions{}); err == nil {
		t.Error("duplicate numbers not reported")
	}
}

// Property: whatever sequence of inserts, deletes, manual numbers and
// (re)numbering runs, a number once given to a house never goes to another,
// and every number a house ever had still finds it.
func TestNumberStabilityProperty(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		v, err := Synthesize(int64(seed), 40)
		if err != nil {
			t.Fatal(err)
		}
		owner := map[string]string{} // number -> house ID, over all time
		record := func(step string) {
			cur := map[string]bool{}
			for _, h := range v.Houses {
				if h.Number == "" {
					continue
				}
				if cur[h.Number] {
					t.Fatalf("seed %d after %s: two houses numbered %s", seed, step, h.Number)
				}
				cur[h.Number] = true
				for _, n := range append(append([]string(nil), h.History...), h.Number) {
					if o, ok := owner[n]; ok && o != h.ID {
						t.Fatalf("seed %d after %s: number %s went from %s to %s", seed, step, n, o, h.ID)
					}
					owner[n] = h.ID
					if i, ok := FindByNumber(v, n); !ok || (v.Houses[i].ID != h.ID && NormalizeNumber(v.Houses[i].Number) != n) {
						t.Fatalf("seed %d after %s: number %s does not find house %s", seed, step, n, h.ID)
					}
				}
			}
		}
		record("start")
		for step := 0; step < 25; step++ {
			var name string
			switch op := rng.IntN(5); op {
			case 0, 1: // build a house next to an existing one
				base := v.Houses[rng.IntN(len(v.Houses))].Polygon.Centroid()
				v.Houses = append(v.Houses, House{ID: fmt.Sprintf("new-%d", step), Polygon: rect(base.X+rng.Float64()*4, base.Y+rng.Float64()*4, 8, 8)})
				_, err = AutoNumber(v, NumberOptions{})
				name = "insert"
			case 2:
				err = RemoveHouse(v, v.Houses[rng.IntN(len(v.Houses))].ID)
				name = "delete"
			case 3:
				_, err = AutoNumber(v, NumberOptions{Mode: Renumber})
				name = "renumber"
			case 4:
				h := v.Houses[rng.IntN(len(v.Houses))]
				n := fmt.Sprint(1 + rng.IntN(60))
				if e := SetNumber(v, h.ID, n); e == nil {
					if o, ok := owner[n]; ok && o != h.ID {
						t.Fatalf("seed %d: SetNumber gave %s (of %s) to %s", seed, n, o, h.ID)
					}
				}
				name = "set " + n
			}
			if err != nil {
				t.Fatalf("seed %d step %d %s: %v", seed, step, name, err)
			}
			record(name)
		}
	}
}
