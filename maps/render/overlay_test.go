package render

import (
	"testing"

	"cunjing/maps"
	"cunjing/maps/maptest"
	"cunjing/maps/route"
)

// A route the engine cannot drive still shows where it stops and the hose
// from there.
func TestOverlayOfUnreachableRoute(t *testing.T) {
	v := &maps.Village{
		Lanes:     []maps.Lane{{ID: "main", Name: "主街", Width: 6, Points: []maps.Point{{X: 0, Y: 0}, {X: 200, Y: 0}}}},
		Houses:    []maps.House{{ID: "h", Number: "1", Polygon: maptest.Box(60, 4, 12, 14)}},
		Landmarks: []maps.Landmark{{ID: "e", Kind: maps.KindEntrance, Name: "村东口", Point: maps.Point{X: 200, Y: 0}}},
	}
	res, err := route.Find(v, route.Options{To: "1", Width: 7})
	if err != nil {
		t.Fatal(err)
	}
	if res.Reachable {
		t.Fatal("a 6 m street took a 7 m engine")
	}
	if ov := OverlayOf(res); ov == nil || ov.Stop == nil || len(ov.Hose) < 2 {
		t.Errorf("overlay of an unreachable route lacks the stop or hose: %+v", ov)
	}
}
