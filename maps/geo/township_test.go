package geo

import (
	"errors"
	"math"
	"testing"

	"cunjing/maps"
)

// Two villages drawn each in its own metres, tied down 1 km apart east of
// each other, stand 1 km apart on the township map; every feature of each
// is there with its ID, and the villages' own maps are not changed.
func TestTownship(t *testing.T) {
	a := placedVillage(t)
	b := placedVillage(t)
	b.Village = b.Village.Clone()
	for i := range b.Village.Houses {
		b.Village.Houses[i].ID = "b-" + b.Village.Houses[i].ID
	}
	dLon := 1000 / (111320 * math.Cos(34.8123*math.Pi/180))
	tr, err := Georef{Lon: 114.3521 + dLon, Lat: 34.8123, Method: MethodFrame}.Transform()
	if err != nil {
		t.Fatal(err)
	}
	b.Transform = tr
	before := a.Village.Houses[0].Polygon[0]
	tw, err := Township([]Placed{a, b}, "城关镇")
	if err != nil {
		t.Fatal(err)
	}
	if a.Village.Houses[0].Polygon[0] != before {
		t.Error("the village's own map moved")
	}
	n := len(a.Village.Houses)
	if len(tw.Houses) != 2*n || len(tw.Lanes) != len(a.Village.Lanes)+len(b.Village.Lanes) ||
		len(tw.Landmarks) != len(a.Village.Landmarks)+len(b.Village.Landmarks) || tw.Name != "城关镇" {
		t.Fatalf("township: %d houses, %d lanes", len(tw.Houses), len(tw.Lanes))
	}
	if tw.Retired != nil || tw.Base != nil {
		t.Error("retired numbers or a base image on the township map")
	}
	for i := 0; i < n; i++ {
		ca, cb := tw.Houses[i].Polygon.Centroid(), tw.Houses[n+i].Polygon.Centroid()
		if tw.Houses[n+i].ID != "b-"+tw.Houses[i].ID {
			t.Fatalf("house %d: IDs %q, %q", i, tw.Houses[i].ID, tw.Houses[n+i].ID)
		}
		if d := maps.Dist(ca, cb); math.Abs(d-1000) > 2 || math.Abs(cb.Y-ca.Y) > 2 {
			t.Fatalf("house %d: %.2f m apart (%v, %v), want 1000 m east", i, d, ca, cb)
		}
	}
	if _, err := Township(nil, ""); !errors.Is(err, ErrNoPlaced) {
		t.Errorf("no villages: %v", err)
	}
}
