package geojson

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"cunjing/maps"
	"cunjing/maps/maptest"
)

// A stand-in placement: 1e-5 degree per metre around 114°E 34°N (the real
// one is in maps/geo; this package only has to carry positions through).
func toyToLonLat(p maps.Point) (float64, float64) { return 114 + p.X*1e-5, 34 + p.Y*1e-5 }

func toyPlace(maps.Rect) (func(lon, lat float64) (maps.Point, error), error) {
	return func(lon, lat float64) (maps.Point, error) {
		return maps.Point{X: (lon - 114) * 1e5, Y: (lat - 34) * 1e5}, nil
	}, nil
}

func TestGeoJSONWGS84RoundTrip(t *testing.T) {
	v := maptest.FixtureVillage()
	v.Retired = []string{"99"}
	data, err := ExportWGS84([]Layer{{Village: v, ToLonLat: toyToLonLat}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), `"units"`) {
		t.Fatal("an RFC 7946 file carries units")
	}
	if u, err := Detect(data); err != nil || u != UnitsDegrees {
		t.Fatalf("detected %q %v", u, err)
	}
	var raw struct {
		Features []struct {
			Geometry struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	json.Unmarshal(data, &raw)
	for _, f := range raw.Features {
		if f.Geometry.Type != "Polygon" {
			continue
		}
		var rings [][][2]float64
		json.Unmarshal(f.Geometry.Coordinates, &rings)
		r := rings[0]
		var a float64
		for i := 0; i+1 < len(r); i++ {
			a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
			if math.Abs(r[i][0]-114) > 1 || math.Abs(r[i][1]-34) > 1 {
				t.Fatalf("position %v is not where the placement put it", r[i])
			}
		}
		if a <= 0 {
			t.Error("exterior ring is not anticlockwise (RFC 7946 §3.1.6)")
		}
	}
	if _, _, err := Import(data); err == nil || !strings.Contains(err.Error(), "nothing says where") {
		t.Fatalf("degrees imported without a placement: %v", err)
	}
	got, rep, err := ImportWith(data, Options{Place: toyPlace})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped)+len(rep.Warnings) != 0 {
		t.Fatalf("issues: %s", rep)
	}
	if len(got.Houses) != len(v.Houses) || got.Retired[0] != "99" {
		t.Fatalf("houses %d, retired %v", len(got.Houses), got.Retired)
	}
	for i, h := range got.Houses {
		for j, p := range h.Polygon {
			if d := maps.Dist(p, v.Houses[i].Polygon[j]); d > 0.002 { // 8 decimals ≈ 1 mm here
				t.Fatalf("house %s vertex %d moved %.4f m", h.Number, j, d)
			}
		}
	}
}

func TestGeoJSONWGS84Township(t *testing.T) {
	a, b := maptest.FixtureVillage(), maptest.FixtureVillage()
	a.Name, b.Name = "张庄村", "李庄村"
	data, err := ExportWGS84([]Layer{{a, toyToLonLat}, {b, func(p maps.Point) (float64, float64) { return toyToLonLat(p.Add(maps.Point{X: 3000})) }}})
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Name     string
		Features []struct{ Properties map[string]any }
	}
	json.Unmarshal(data, &raw)
	count := map[any]int{}
	for _, f := range raw.Features {
		count[f.Properties["village"]]++
	}
	if raw.Name != "" || count["张庄村"] == 0 || count["张庄村"] != count["李庄村"] || len(count) != 2 {
		t.Fatalf("township export: name %q, features per village %v", raw.Name, count)
	}
}

func TestGeoJSONDetectionRule(t *testing.T) {
	house := func(coords string) string {
		return `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[` + coords + `]]},"properties":{"kind":"house","number":"1"}}`
	}
	deg := house(`[114.0001,34.0001],[114.0002,34.0001],[114.0002,34.0002],[114.0001,34.0001]`)
	tests := []struct {
		name string
		doc  string
		msg  string // "" = imported
	}{
		{"local metres", `{"type":"FeatureCollection","units":"m","features":[` + house(`[0,0],[10,0],[10,8],[0,0]`) + `]}`, ""},
		{"degrees", `{"type":"FeatureCollection","features":[` + deg + `]}`, ""},
		{"degrees, CRS84 named", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[` + deg + `]}`, ""},
		{"metres without units", `{"type":"FeatureCollection","features":[` + house(`[-60,-100],[648,-100],[648,100],[-60,-100]`) + `]}`, "feature 0: position (-60, -100) is not a longitude/latitude"},
		{"latitude beyond 90", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[34.8,114.3]},"properties":{"kind":"well"}}]}`, "not a longitude/latitude"},
		{"other crs", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4547"}},"features":[` + deg + `]}`, "EPSG::4547"},
		{"other units", `{"type":"FeatureCollection","units":"ft","features":[]}`, `units "ft"`},
	}
	for _, tt := range tests {
		v, _, err := ImportWith([]byte(tt.doc), Options{Place: toyPlace})
		switch {
		case tt.msg == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.msg == "" && len(v.Houses) != 1:
			t.Errorf("%s: %d houses", tt.name, len(v.Houses))
		case tt.msg != "" && (err == nil || !strings.Contains(err.Error(), tt.msg)):
			t.Errorf("%s: %v, want %q", tt.name, err, tt.msg)
		}
	}
	// The placement sees the data's extent, and its refusal is the import's.
	var seen maps.Rect
	_, _, err := ImportWith([]byte(`{"type":"FeatureCollection","features":[`+deg+`]}`), Options{
		Place: func(ext maps.Rect) (func(lon, lat float64) (maps.Point, error), error) {
			seen = ext
			return nil, errors.New("no thanks")
		}})
	if err == nil || err.Error() != "no thanks" || math.Abs(seen.Min.X-114.0001) > 1e-9 || math.Abs(seen.Max.Y-34.0002) > 1e-9 {
		t.Errorf("placement: %v, extent %+v", err, seen)
	}
}

func TestGeoJSONTracedOutlines(t *testing.T) {
	// What QGIS writes for footprints traced on imagery: MultiPolygons with
	// no cunjing properties.
	doc := `{"type":"FeatureCollection","features":[
	 {"type":"Feature","properties":{"fid":1},"geometry":{"type":"MultiPolygon","coordinates":[[[[114.0001,34.0001],[114.0002,34.0001],[114.0002,34.0002],[114.0001,34.0001]]]]}},
	 {"type":"Feature","properties":{"width_m":3.5},"geometry":{"type":"MultiLineString","coordinates":[[[114.0001,34.0003],[114.0005,34.0003]]]}},
	 {"type":"Feature","properties":{"name":"?"},"geometry":{"type":"Point","coordinates":[114.0001,34.0003]}}]}`
	v, rep, err := ImportWith([]byte(doc), Options{Place: toyPlace})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Houses) != 1 || len(v.Lanes) != 1 || v.Lanes[0].Width != 3.5 || len(rep.Skipped) != 1 || len(rep.Warnings) != 2 {
		t.Fatalf("traced outlines: %d houses %d lanes; %s", len(v.Houses), len(v.Lanes), rep)
	}
}

// FuzzImportGeoJSONDegrees: any file in degrees is refused or gives a
// village whose positions are finite and that exports again in both units.
func FuzzImportGeoJSONDegrees(f *testing.F) {
	if data, err := ExportWGS84([]Layer{{maptest.FixtureVillage(), toyToLonLat}}); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[[[114,34],[114.001,34],[114.001,34.001],[114,34]]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4326"}},"features":[{"type":"Feature","properties":{"kind":"well"},"geometry":{"type":"Point","coordinates":[181,0]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, _, err := ImportWith(data, Options{Place: toyPlace})
		if err != nil {
			return
		}
		if _, err := Export(v); err != nil {
			t.Fatalf("imported village does not export: %v", err)
		}
		if _, err := ExportWGS84([]Layer{{v, toyToLonLat}}); err != nil {
			t.Fatalf("imported village does not export in degrees: %v", err)
		}
	})
}
