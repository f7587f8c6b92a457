package geojson

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"cunjing/maps/maptest"
	"cunjing/maps/synth"
)

func TestGeoJSONRoundTrip(t *testing.T) {
	v := maptest.FixtureVillage()
	v.Houses[0].History = []string{"7-1", "300"}
	v.Houses[1].Courtyard = true
	v.Retired = []string{"99"}
	data, err := Export(v)
	if err != nil {
		t.Fatal(err)
	}
	got, rep, err := Import(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) != 0 || len(rep.Warnings) != 0 {
		t.Fatalf("clean export produced issues: %s", rep)
	}
	if !reflect.DeepEqual(maptest.Normalized(v), maptest.Normalized(got)) {
		a, _ := json.MarshalIndent(maptest.Normalized(v), "", " ")
		b, _ := json.MarshalIndent(maptest.Normalized(got), "", " ")
		t.Fatalf("round trip changed the village:\nwant %s\ngot  %s", a, b)
	}
	again, err := Export(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Error("second export differs from the first")
	}
	// The collection must be plain GeoJSON: a FeatureCollection whose
	// features carry the documented properties.
	var raw struct {
		Type     string
		Features []struct {
			Geometry struct {
				Type string
			}
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(data, &raw); err != nil || raw.Type != "FeatureCollection" {
		t.Fatalf("not a FeatureCollection: %v %q", err, raw.Type)
	}
	for _, f := range raw.Features {
		switch f.Properties["kind"] {
		case "house":
			if f.Geometry.Type != "Polygon" || f.Properties["number"] == nil || f.Properties["name"] == nil {
				t.Errorf("house feature: %v %v", f.Geometry.Type, f.Properties)
			}
		case "lane":
			if f.Geometry.Type != "LineString" || f.Properties["width_m"] == nil {
				t.Errorf("lane feature: %v %v", f.Geometry.Type, f.Properties)
			}
		default:
			if f.Geometry.Type != "Point" {
				t.Errorf("%v feature has %v", f.Properties["kind"], f.Geometry.Type)
			}
		}
	}
}

func TestGeoJSONRoundTripSynthetic(t *testing.T) {
	v, err := synth.Village(11, 250)
	if err != nil {
		t.Fatal(err)
	}
	data, err := Export(v)
	if err != nil {
		t.Fatal(err)
	}
	got, rep, err := Import(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped)+len(rep.Warnings) != 0 {
		t.Fatalf("issues: %s", rep)
	}
	if !reflect.DeepEqual(maptest.Normalized(v), maptest.Normalized(got)) {
		t.Fatal("synthetic village changed in the round trip")
	}
}

// fc is a collection in local metres ("units": "m").
func fc(features ...string) []byte {
	return []byte(`{"type":"FeatureCollection","units":"m","features":[` + strings.Join(features, ",") + `]}`)
}

const okHouse = `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,8],[0,8],[0,0]]]},"properties":{"kind":"house","number":"203","name":"张三"}}`

func TestGeoJSONImportSkips(t *testing.T) {
	tests := []struct {
		name    string
		feature string
		reason  string // substring of the skip reason
	}{
		{"unknown kind", `{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"kind":"ufo"}}`, "unknown landmark kind"},
		{"no kind", `{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{}}`, "no kind"},
		{"no geometry", `{"type":"Feature","geometry":null,"properties":{"kind":"well"}}`, "no geometry"},
		{"open ring", `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,8],[0,8]]]},"properties":{"kind":"house"}}`, "not closed"},
		{"two-point polygon", `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[0,0]]]},"properties":{"kind":"house"}}`, "at least 3"},
		{"flat polygon", `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[20,0],[0,0]]]},"properties":{"kind":"house"}}`, "no area"},
		{"bow tie", `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,10],[10,0],[0,10],[0,0]]]},"properties":{"kind":"house"}}`, "cross"},
		{"house as point", `{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"kind":"house"}}`, "want Polygon"},
		{"zero-length lane", `{"type":"Feature","geometry":{"type":"LineString","coordinates":[[5,5],[5,5]]},"properties":{"kind":"lane","width_m":3}}`, "lane needs"},
		{"lane without width", `{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[5,5]]},"properties":{"kind":"lane"}}`, "width_m"},
		{"lane negative width", `{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[5,5]]},"properties":{"kind":"lane","width_m":-2}}`, "width"},
		{"short position", `{"type":"Feature","geometry":{"type":"Point","coordinates":[1]},"properties":{"kind":"well"}}`, "want 2"},
		{"huge coordinate", `{"type":"Feature","geometry":{"type":"Point","coordinates":[1e300,0]},"properties":{"kind":"well"}}`, "out of range"},
		{"coordinates not numbers", `{"type":"Feature","geometry":{"type":"LineString","coordinates":"x"},"properties":{"kind":"lane","width_m":3}}`, "coordinates"},
		{"label without text", `{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"kind":"label"}}`, "without text"},
		{"not a feature", `{"type":"Point","coordinates":[1,2]}`, "want Feature"},
		{"lane as point", `{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"kind":"lane","width_m":3}}`, "lane geometry is Point, want LineString"},
		{"empty multipolygon", `{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[]},"properties":{"kind":"house"}}`, "multipolygon has no polygon"},
		{"empty multilinestring", `{"type":"Feature","geometry":{"type":"MultiLineString","coordinates":[]},"properties":{"kind":"lane","width_m":3}}`, "multilinestring has no line"},
		{"multipolygon not numbers", `{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":"x"},"properties":{"kind":"house"}}`, "multipolygon coordinates"},
		{"polygon not numbers", `{"type":"Feature","geometry":{"type":"Polygon","coordinates":"x"},"properties":{"kind":"house"}}`, "polygon coordinates"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, rep, err := Import(fc(okHouse, tc.feature))
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Houses) != 1 || v.Houses[0].Number != "203" {
				t.Errorf("the good house was not kept: %+v", v.Houses)
			}
			if len(rep.Skipped) != 1 || rep.Skipped[0].Feature != 1 || !strings.Contains(rep.Skipped[0].Reason, tc.reason) {
				t.Errorf("report: %s; want feature 1 skipped for %q", rep, tc.reason)
			}
		})
	}
}

func TestGeoJSONImportDuplicateNumbers(t *testing.T) {
	dup := strings.Replace(okHouse, `"name":"张三"`, `"name":"李四"`, 1)
	dup = strings.Replace(dup, `[[[0,0],[10,0],[10,8],[0,8],[0,0]]]`, `[[[20,0],[30,0],[30,8],[20,8],[20,0]]]`, 1)
	old := strings.Replace(okHouse, `"number":"203"`, `"number":"5","history":["203"]`, 1)
	v, rep, err := Import(fc(okHouse, dup, old))
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Houses) != 3 {
		t.Fatalf("houses: %d", len(v.Houses))
	}
	if v.Houses[1].Number != "" || v.Houses[1].Name != "李四" {
		t.Errorf("duplicate kept its number: %+v", v.Houses[1])
	}
	if len(v.Houses[2].History) != 0 || v.Houses[2].Number != "5" {
		t.Errorf("old number held by another house was kept: %+v", v.Houses[2])
	}
	if len(rep.Warnings) != 2 || !strings.Contains(rep.Warnings[0].Reason, "already held") {
		t.Errorf("warnings: %s", rep)
	}
	// A retired number is not reusable either.
	v, rep, err = Import([]byte(`{"type":"FeatureCollection","units":"m","retired":["203"],"features":[` + okHouse + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	if v.Houses[0].Number != "" || len(rep.Warnings) != 1 {
		t.Errorf("retired number reused: %+v %s", v.Houses[0], rep)
	}
}

func TestGeoJSONImportNumericNumberAndIDs(t *testing.T) {
	h := `{"type":"Feature","id":17,"geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,8],[0,8],[0,0]]]},"properties":{"kind":"house","number":203,"phone":13800001111}}`
	v, rep, err := Import(fc(h, h))
	if err != nil {
		t.Fatal(err)
	}
	if v.Houses[0].ID != "17" || v.Houses[0].Number != "203" || v.Houses[0].Phone != "13800001111" {
		t.Errorf("numeric properties: %+v", v.Houses[0])
	}
	if v.Houses[1].ID == "17" || len(rep.Warnings) != 2 {
		t.Errorf("duplicate id kept or not reported: %q %s", v.Houses[1].ID, rep)
	}
}

func TestGeoJSONImportErrors(t *testing.T) {
	tests := map[string]string{
		"not json":        `{"type":`,
		"wrong top type":  `{"type":"Feature","features":[]}`,
		"degrees":         `{"type":"FeatureCollection","units":"deg","features":[]}`,
		"features object": `{"type":"FeatureCollection","features":{}}`,
	}
	for name, in := range tests {
		if _, _, err := Import([]byte(in)); err == nil {
			t.Errorf("%s: want error", name)
		}
	}
	if _, _, err := Import(make([]byte, MaxBytes+1)); err == nil {
		t.Error("oversized file accepted")
	}
}

func TestGeoJSONExportRejectsNaN(t *testing.T) {
	v := maptest.FixtureVillage()
	v.Landmarks[0].Point.X = nan()
	if _, err := Export(v); err == nil {
		t.Error("NaN exported")
	}
}

func nan() float64 { var z float64; return z / z }

// FuzzImportGeoJSON: any input gives an error or a village that exports,
// re-imports without new issues, and exports to the same bytes again.
func FuzzImportGeoJSON(f *testing.F) {
	if data, err := Export(maptest.FixtureVillage()); err == nil {
		f.Add(data)
	}
	f.Add(fc(okHouse))
	f.Add(fc(`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,10],[10,0],[0,10],[0,0]]]},"properties":{"kind":"house"}}`))
	f.Add(fc(`{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[0,0]]},"properties":{"kind":"lane","width_m":0}}`))
	f.Add([]byte(`{"type":"FeatureCollection","units":"m","retired":["1","1"],"features":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, _, err := Import(data)
		if err != nil {
			return
		}
		out, err := Export(v)
		if err != nil {
			t.Fatalf("imported village does not export: %v", err)
		}
		v2, rep, err := Import(out)
		if err != nil {
			t.Fatalf("export does not import: %v", err)
		}
		if len(rep.Skipped) != 0 {
			t.Fatalf("re-import skipped features: %s", rep)
		}
		out2, err := Export(v2)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("export not stable: %v", err)
		}
	})
}

// A house or lane of several parts keeps the first, and the report says so.
func TestGeoJSONImportMultiParts(t *testing.T) {
	house := `{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[10,0],[10,8],[0,8],[0,0]]],[[[20,0],[30,0],[30,8],[20,8],[20,0]]]]},"properties":{"kind":"house","number":"7"}}`
	lane := `{"type":"Feature","geometry":{"type":"MultiLineString","coordinates":[[[0,-5],[30,-5]],[[40,-5],[60,-5]],[[0,-20],[5,-20]]]},"properties":{"kind":"lane","width_m":3}}`
	v, rep, err := Import(fc(house, lane))
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Houses) != 1 || v.Houses[0].Polygon.Area() != 80 || len(v.Lanes) != 1 || len(v.Lanes[0].Points) != 2 || v.Lanes[0].Points[1].X != 30 {
		t.Fatalf("houses %+v, lanes %+v", v.Houses, v.Lanes)
	}
	var got []string
	for _, w := range rep.Warnings {
		got = append(got, w.Reason)
	}
	want := []string{"multipolygon of 2 parts: only the first is the house", "multilinestring of 3 parts: only the first is the lane"}
	if !slices.Equal(got, want) {
		t.Errorf("warnings %q, want %q", got, want)
	}
}
