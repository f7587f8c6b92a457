package numbering

import (
	"errors"
	"strings"
	"testing"

	"cunjing/maps"
	"cunjing/maps/maptest"
)

// streetVillage: a main road east–west from the entrance at x=200, one
// lane north at x=100 and one south at x=50; houses on both sides.
func streetVillage() *maps.Village {
	return &maps.Village{
		Lanes: []maps.Lane{
			{ID: "main", Name: "主街", Width: 6, Points: []maps.Point{{X: 0, Y: 0}, {X: 200, Y: 0}}},
			{ID: "n", Name: "1号巷", Width: 4, Points: []maps.Point{{X: 100, Y: 0}, {X: 100, Y: 80}}},
			{ID: "s", Name: "2号巷", Width: 3, Points: []maps.Point{{X: 50, Y: 0}, {X: 50, Y: -80}}},
		},
		Houses: []maps.House{
			{ID: "m-n-far", Polygon: maptest.Box(20, 5, 12, 14)},     // main road, north side, far from the entrance
			{ID: "m-s-near", Polygon: maptest.Box(170, -19, 12, 14)}, // main road, south side, near
			{ID: "m-n-near", Polygon: maptest.Box(150, 5, 12, 14)},   // main road, north, between
			{ID: "n-w-1", Polygon: maptest.Box(84, 20, 14, 10)},      // 1号巷 west side
			{ID: "n-e-1", Polygon: maptest.Box(102, 22, 14, 10)},     // 1号巷 east side, a little further
			{ID: "n-w-2", Polygon: maptest.Box(84, 50, 14, 10)},
			{ID: "s-e-1", Polygon: maptest.Box(52, -30, 14, 10)}, // 2号巷
		},
		Landmarks: []maps.Landmark{{ID: "e", Kind: maps.KindEntrance, Name: "村东口", Point: maps.Point{X: 200, Y: 0}}},
	}
}

func numbersByID(v *maps.Village) map[string]string {
	m := map[string]string{}
	for _, h := range v.Houses {
		m[h.ID] = h.Number
	}
	return m
}

func TestWalkOrder(t *testing.T) {
	v := streetVillage()
	if _, err := Auto(v, Options{}); err != nil {
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
	if _, err := Auto(w, Options{Start: &maps.Point{X: 0, Y: 0}}); err != nil {
		t.Fatal(err)
	}
	if g := numbersByID(w); g["m-n-far"] != "1" || g["s-e-1"] != "4" {
		t.Errorf("from the west: %v", g)
	}
}

func TestNumberNewSuffixes(t *testing.T) {
	v := streetVillage()
	if _, err := Auto(v, Options{}); err != nil {
		t.Fatal(err)
	}
	// A house built between 5 and 6 (on 1号巷, east side, beyond n-e-1).
	v.Houses = append(v.Houses, maps.House{ID: "new1", Polygon: maptest.Box(102, 40, 14, 10)})
	plan, err := Auto(v, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 1 || plan[0].New != "5-1" {
		t.Fatalf("inserted house: plan %+v, want 5-1", plan)
	}
	// Another one after 5 takes the next free suffix.
	v.Houses = append(v.Houses, maps.House{ID: "new2", Polygon: maptest.Box(84, 35, 14, 10)})
	if plan, _ = Auto(v, Options{}); len(plan) != 1 || plan[0].New != "5-2" {
		t.Fatalf("second insert: %+v", plan)
	}
	// Existing numbers never moved.
	got := numbersByID(v)
	if got["n-e-1"] != "5" || got["m-s-near"] != "1" {
		t.Fatalf("existing numbers changed: %v", got)
	}
	// A house before every numbered one takes the next whole number.
	v.Houses = append(v.Houses, maps.House{ID: "new3", Polygon: maptest.Box(186, 5, 10, 10)})
	if plan, _ = Auto(v, Options{}); len(plan) != 1 || plan[0].New != "8" {
		t.Fatalf("house before all: %+v", plan)
	}
}

func TestRenumberKeepsHistory(t *testing.T) {
	v := streetVillage()
	if _, err := Auto(v, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := RemoveHouse(v, "m-n-near"); err != nil { // number 2 retires
		t.Fatal(err)
	}
	if _, err := Auto(v, Options{Mode: Renumber}); err != nil {
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
	i, ok := Find(v, "6")
	if !ok || v.Houses[i].ID != "n-w-2" {
		t.Fatalf("number 6 finds %v", i)
	}
	if err := Set(v, "s-e-1", "100"); err != nil {
		t.Fatal(err)
	}
	if i, ok := Find(v, "7"); !ok || v.Houses[i].ID != "s-e-1" {
		t.Fatal("old number 7 no longer finds its house")
	}
}

func TestSetNumberRejects(t *testing.T) {
	v := streetVillage()
	if _, err := Auto(v, Options{}); err != nil {
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
		if i, ok := Find(v, tc.n); ok {
			owner = v.Houses[i].ID
		}
		err := Set(v, tc.id, tc.n)
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
		var taken *TakenError
		if tc.taken && (!errors.As(err, &taken) || taken.HouseID != owner || taken.Current != tc.n) {
			t.Errorf("SetNumber(%s, %q): %v, want taken by %s", tc.id, tc.n, err, owner)
		}
	}
	// Its own old number is fine to take back.
	if err := Set(v, "n-w-1", "4"); err != nil {
		t.Errorf("taking back own number: %v", err)
	}
	dup := streetVillage()
	dup.Houses[0].Number, dup.Houses[1].Number = "9", "9"
	if _, err := Plan(dup, Options{}); err == nil {
		t.Error("duplicate numbers not reported")
	}
}

// Plain is how every screen, map and plate shows a stored number: the
// 号 an older version stored after a digit dropped, full-width digits
// made plain; a plain number is returned as it is.
func TestPlain(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"203", "203"},
		{"203-1", "203-1"},
		{"205号", "205"},
		{"９９８号", "998"},
		{" 203－1 ", "203-1"},
		{"号", "号"},
		{"附号", "附号"},
		{"", ""},
	} {
		if got := Plain(c.in); got != c.want {
			t.Errorf("Plain(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
