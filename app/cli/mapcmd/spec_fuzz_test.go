package mapcmd

import (
	"math"
	"testing"

	"cunjing/maps"
	"cunjing/maps/geo"
)

// FuzzControlPoint reads arbitrary text as a `map georef --point` spec
// (NAME:X,Y=LON,LAT, a landmark or house number for X,Y, @WAYPOINT for
// LON,LAT), in each datum: an error, or a control point whose every
// coordinate is a finite number and whose longitude and latitude are on
// the Earth, never a panic.
func FuzzControlPoint(f *testing.F) {
	for _, s := range []string{"0,0=114.3521,34.8123", "村口:12.5,-3=114.35,34.81", "村口=@井", "203=34.8123,114.3521", "NaN,0=1,2", "1e400,0=114,34", "=", ",=,", "203号=@", "x,y=@@"} {
		f.Add(s, uint8(0))
	}
	mv := &maps.Village{
		Houses:    []maps.House{{ID: "h1", Number: "203", Polygon: maps.Polygon{{X: 0, Y: 0}, {X: 10, Y: 0}, {X: 10, Y: 8}, {X: 0, Y: 8}}}},
		Landmarks: []maps.Landmark{{ID: "l1", Kind: maps.KindEntrance, Name: "东口", Point: maps.Point{X: -5, Y: 3}}},
	}
	wps := []geo.Waypoint{{Name: "井", Lon: 114.352, Lat: 34.812}, {Name: "far", Lon: 1e308, Lat: math.NaN()}}
	datums := []geo.Datum{geo.WGS84, geo.GCJ02, geo.BD09}
	f.Fuzz(func(t *testing.T, spec string, di uint8) {
		d := datums[int(di)%len(datums)]
		for _, w := range [][]geo.Waypoint{nil, wps} {
			cp, err := controlPoint(spec, d, mv, w)
			if err != nil {
				continue
			}
			for _, v := range []float64{cp.X, cp.Y, cp.Lon, cp.Lat} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%q (%s): %+v", spec, d, cp)
				}
			}
			if cp.Lon < -180 || cp.Lon > 180 || cp.Lat < -90 || cp.Lat > 90 {
				t.Fatalf("%q (%s): off the Earth: %+v", spec, d, cp)
			}
		}
	})
}
