package maps

import "testing"

// Each house is given the lane its side faces, the one numbering walks.
func TestHouseLanes(t *testing.T) {
	box := func(x, y float64) Polygon {
		return Polygon{{x, y}, {x + 8, y}, {x + 8, y + 8}, {x, y + 8}}
	}
	v := &Village{
		Lanes: []Lane{
			{ID: "bad", Name: "坏巷", Width: 3, Points: []Point{{0, 0}}}, // one point: passed over
			{ID: "ew", Name: "东西大街", Width: 6, Points: []Point{{0, 0}, {200, 0}}},
			{ID: "ns", Name: "南北巷", Width: 3, Points: []Point{{100, 0}, {100, 200}}},
		},
		Houses: []House{
			{ID: "a", Number: "1", Polygon: box(20, 5)},    // north of the street
			{ID: "b", Number: "2", Polygon: box(104, 150)}, // east of the lane, far from the street
			{ID: "c", Number: "3", Polygon: box(40, -15)},  // south of the street
			{ID: "d", Number: "4"},                         // no outline
		},
	}
	got := HouseLanes(v)
	want := []int{1, 2, 1, -1}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("house %s: lane %d, want %d", v.Houses[i].Number, got[i], want[i])
		}
	}
	if got := HouseLanes(&Village{Houses: v.Houses[:1]}); got[0] != -1 {
		t.Errorf("no lanes: %d, want -1", got[0])
	}
}
