package lanenet

import (
	"testing"

	"cunjing/maps"
)

// Each house is given the lane its side faces, the one numbering walks.
func TestHouseLanes(t *testing.T) {
	box := func(x, y float64) maps.Polygon {
		return maps.Polygon{{X: x, Y: y}, {X: x + 8, Y: y}, {X: x + 8, Y: y + 8}, {X: x, Y: y + 8}}
	}
	v := &maps.Village{
		Lanes: []maps.Lane{
			{ID: "bad", Name: "坏巷", Width: 3, Points: []maps.Point{{X: 0, Y: 0}}}, // one point: passed over
			{ID: "ew", Name: "东西大街", Width: 6, Points: []maps.Point{{X: 0, Y: 0}, {X: 200, Y: 0}}},
			{ID: "ns", Name: "南北巷", Width: 3, Points: []maps.Point{{X: 100, Y: 0}, {X: 100, Y: 200}}},
		},
		Houses: []maps.House{
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
	if got := HouseLanes(&maps.Village{Houses: v.Houses[:1]}); got[0] != -1 {
		t.Errorf("no lanes: %d, want -1", got[0])
	}
}
