package geo

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"cunjing/maps"
	"cunjing/maps/geojson"
	"cunjing/maps/synth"
)

// placedVillage is a synthetic village tied down at Zhangzhuang.
func placedVillage(t testing.TB) Placed {
	t.Helper()
	v, err := synth.Village(5, 60)
	if err != nil {
		t.Fatal(err)
	}
	v.Name = "张庄村"
	v.Retired = []string{"999"}
	g := Georef{Lon: 114.3521, Lat: 34.8123, Method: MethodFrame}
	tr, err := g.Transform()
	if err != nil {
		t.Fatal(err)
	}
	return Placed{Village: v, Transform: tr}
}

func placeWith(tr *Transform) func(maps.Rect) (func(lon, lat float64) (maps.Point, error), error) {
	return func(maps.Rect) (func(lon, lat float64) (maps.Point, error), error) { return tr.FromLonLat, nil }
}

func TestKMLRoundTrip(t *testing.T) {
	p := placedVillage(t)
	for _, kmz := range []bool{false, true} {
		var data []byte
		var err error
		if kmz {
			data, err = EncodeKMZ([]Placed{p}, p.Village.Name)
		} else {
			data, err = EncodeKML([]Placed{p}, p.Village.Name)
		}
		if err != nil {
			t.Fatal(err)
		}
		var pms *KML
		if kmz {
			pms, err = DecodeKMZ(data)
		} else {
			if !strings.Contains(string(data), "<name>门牌号</name>") || strings.Contains(string(data), p.Village.Houses[0].Name) {
				t.Fatal("KML lacks the numbers folder or carries householder names")
			}
			pms, err = DecodeKML(data)
		}
		if err != nil {
			t.Fatal(err)
		}
		gj, err := pms.GeoJSON()
		if err != nil {
			t.Fatal(err)
		}
		got, rep, err := geojson.ImportWith(gj, geojson.Options{Place: placeWith(p.Transform)})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Skipped)+len(rep.Warnings) != 0 {
			t.Fatalf("kmz=%v: %s", kmz, rep)
		}
		v := p.Village
		if len(got.Houses) != len(v.Houses) || len(got.Lanes) != len(v.Lanes) || len(got.Landmarks) != len(v.Landmarks) || len(got.Labels) != len(v.Labels) {
			t.Fatalf("kmz=%v: %d/%d houses %d/%d lanes %d/%d landmarks %d/%d labels", kmz, len(got.Houses), len(v.Houses),
				len(got.Lanes), len(v.Lanes), len(got.Landmarks), len(v.Landmarks), len(got.Labels), len(v.Labels))
		}
		if len(got.Retired) != 1 || got.Retired[0] != "999" {
			t.Errorf("retired numbers: %v", got.Retired)
		}
		for i, h := range got.Houses {
			w := v.Houses[i]
			if h.ID != w.ID || h.Number != w.Number || len(h.Polygon) != len(w.Polygon) || h.Courtyard != w.Courtyard {
				t.Fatalf("house %d: %+v, want %+v", i, h, w)
			}
			for j := range h.Polygon {
				if d := maps.Dist(h.Polygon[j], w.Polygon[j]); d > 0.002 {
					t.Fatalf("house %s moved %.4f m", h.Number, d)
				}
			}
		}
		for i, l := range got.Lanes {
			if l.Width != v.Lanes[i].Width || l.Name != v.Lanes[i].Name {
				t.Errorf("lane %d: %+v", i, l)
			}
		}
		byID := map[string]maps.Landmark{}
		for _, m := range v.Landmarks {
			byID[m.ID] = m
		}
		for i, m := range got.Landmarks { // grouped by folder: water, entrances, the rest
			if w := byID[m.ID]; m.Kind != w.Kind || m.Name != w.Name || maps.Dist(m.Point, w.Point) > 0.002 {
				t.Errorf("landmark %d: %+v want %+v", i, m, w)
			}
		}
		if got.Name != v.Name {
			t.Errorf("name %q", got.Name)
		}
	}
}

func TestKMLFromElsewhere(t *testing.T) {
	// What a phone app writes: nested folders, a polygon with a hole named by
	// its number, a track, a plain point, spaces after commas.
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Document><Folder><name>a</name><Folder>
<Placemark><name>203</name><Polygon><innerBoundaryIs><LinearRing><coordinates>114.35212,34.81232 114.35213,34.81232 114.35213,34.81233 114.35212,34.81232</coordinates></LinearRing></innerBoundaryIs>
<outerBoundaryIs><LinearRing><coordinates>
  114.3521, 34.8123, 0  114.3522,34.8123,0 114.3522,34.8124,0 114.3521,34.8123,0
</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>walk</name><gx:Track><when>2026-01-01T00:00:00Z</when><gx:coord>114.3521 34.8125 80</gx:coord><gx:coord>114.3525 34.8125 80</gx:coord></gx:Track></Placemark>
<Placemark><name>老井</name><Point><coordinates>114.3523,34.8126</coordinates></Point></Placemark>
</Folder></Folder></Document></kml>`
	pms, err := DecodeKML([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(pms.Placemarks) != 3 || pms.Placemarks[0].Geoms[0].Type != "Polygon" || len(pms.Placemarks[0].Geoms[0].Rings) != 2 || len(pms.Placemarks[0].Geoms[0].Rings[0]) != 4 ||
		pms.Placemarks[1].Geoms[0].Type != "LineString" || len(pms.Placemarks[1].Geoms[0].Rings[0]) != 2 {
		t.Fatalf("placemarks: %+v", pms)
	}
	ws := pms.Waypoints()
	if w, err := FindWaypoint(ws, "老井"); err != nil || w.Lon != 114.3523 {
		t.Fatalf("waypoint: %+v %v", w, err)
	}
	if _, err := FindWaypoint(ws, "新井"); err == nil || !contains(err.Error(), "老井") {
		t.Errorf("missing waypoint: %v", err)
	}
	gj, err := pms.GeoJSON()
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := FrameGeoref(114.3521, 34.8123).Transform()
	v, rep, err := geojson.ImportWith(gj, geojson.Options{Place: placeWith(tr)})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Houses) != 1 || v.Houses[0].Number != "203" || len(rep.Skipped) != 2 {
		t.Fatalf("import: %+v %s", v.Houses, rep)
	}
}

func TestKMLBadInput(t *testing.T) {
	tests := []struct {
		name, doc, msg string
	}{
		{"no placemarks", `<kml><Document><name>空</name></Document></kml>`, "no placemarks"},
		{"not kml", `<gpx></gpx>`, "not a KML"},
		{"not xml", `{"type":"FeatureCollection"}`, "no <kml>"},
		{"bad number", `<kml><Placemark><Point><coordinates>abc,1</coordinates></Point></Placemark></kml>`, "not two numbers"},
		{"NaN", `<kml><Placemark><Point><coordinates>NaN,1</coordinates></Point></Placemark></kml>`, "not two numbers"},
		{"one number", `<kml><Placemark><Point><coordinates>114</coordinates></Point></Placemark></kml>`, "want lon,lat"},
		{"nested placemark", `<kml><Placemark><Placemark/></Placemark></kml>`, "inside a placemark"},
		{"gbk", `<?xml version="1.0" encoding="GBK"?><kml></kml>`, "encoding"},
	}
	for _, tt := range tests {
		_, err := DecodeKML([]byte(tt.doc))
		if err == nil || !contains(err.Error(), tt.msg) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.msg)
		}
	}
	if _, err := DecodeKMZ([]byte("PK not a zip")); err == nil {
		t.Error("broken KMZ accepted")
	}
	// A zip bomb stops at the limit.
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	f, _ := zw.Create("doc.kml")
	f.Write([]byte("<kml>"))
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < MaxKMLBytes>>20+1; i++ {
		f.Write(chunk)
	}
	zw.Close()
	if _, err := DecodeKMZ(b.Bytes()); err == nil || !contains(err.Error(), "unpacks to more than") {
		t.Errorf("zip bomb: %v", err)
	}
}

func TestGPX(t *testing.T) {
	doc := `<?xml version="1.0"?><gpx version="1.1" creator="phone" xmlns="http://www.topografix.com/GPX/1/1">
<wpt lat="34.8123" lon="114.3521"><ele>80</ele><name>村口</name></wpt>
<wpt lat="34.8126" lon="114.3530"><name> 老井 </name><extensions><name>x</name></extensions></wpt>
<wpt lat="34.8" lon="114.3"></wpt>
<trk><name>walk</name><trkseg><trkpt lat="34.8124" lon="114.3522"/><trkpt lat="34.8125" lon="114.3523"><name>十字路口</name></trkpt></trkseg></trk></gpx>`
	ws, err := DecodeGPX([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 3 || ws[0].Name != "村口" || ws[1].Name != "老井" || ws[2].Name != "十字路口" || ws[1].Lon != 114.3530 {
		t.Fatalf("waypoints: %+v", ws)
	}
	for _, bad := range []string{`<gpx><wpt lat="x" lon="1"/></gpx>`, `<gpx><wpt lat="116" lon="39"><name>a</name></wpt></gpx>`, `<gpx></gpx>`, `<kml/>`} {
		if _, err := DecodeGPX([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// FuzzDecodeKML: outside KML gives placemarks or an error, never a panic;
// what decodes converts to GeoJSON that the map importer takes or refuses
// with an error.
func FuzzDecodeKML(f *testing.F) {
	if data, err := EncodeKML([]Placed{placedVillage(f)}, "x"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`<kml><Placemark><name>1</name><Polygon><outerBoundaryIs><LinearRing><coordinates>1,2 3,4 5,6 1,2</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>`))
	f.Add([]byte(`<kml><Placemark><LinearRing><coordinates>1,2</coordinates></LinearRing><innerBoundaryIs><LinearRing><coordinates>1,2</coordinates></LinearRing></innerBoundaryIs></Placemark></kml>`))
	f.Add([]byte(`<kml><Placemark><ExtendedData><Data name="kind"><value>lane</value></Data><Data name="width_m"><value>NaN</value></Data></ExtendedData><LineString><coordinates>1,2 3,4</coordinates></LineString></Placemark></kml>`))
	tr, _ := FrameGeoref(114.3521, 34.8123).Transform()
	f.Fuzz(func(t *testing.T, data []byte) {
		pms, err := DecodeKML(data)
		if err != nil {
			return
		}
		gj, err := pms.GeoJSON()
		if err != nil {
			t.Fatalf("decoded placemarks do not convert: %v", err)
		}
		geojson.ImportWith(gj, geojson.Options{Place: placeWith(tr)})
	})
}

// FuzzDecodeKMZ: a hostile zip is refused or read within the limits.
func FuzzDecodeKMZ(f *testing.F) {
	if data, err := EncodeKMZ([]Placed{placedVillage(f)}, "x"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		DecodeKMZ(data)
	})
}

// FuzzDecodeGPX: outside GPX gives named waypoints with real coordinates,
// or an error.
func FuzzDecodeGPX(f *testing.F) {
	f.Add([]byte(`<gpx><wpt lat="34.8" lon="114.3"><name>a</name></wpt></gpx>`))
	f.Add([]byte(`<gpx><trk><trkseg><trkpt lat="1" lon="2"><name><name>x</name></name></trkpt></trkseg></trk></gpx>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ws, err := DecodeGPX(data)
		if err != nil {
			return
		}
		for _, w := range ws {
			if CheckLonLat(w.Lon, w.Lat) != nil || w.Name == "" {
				t.Fatalf("waypoint %+v", w)
			}
		}
	})
}
