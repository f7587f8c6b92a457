package gpkg

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/maps"
	"cunjing/maps/geo"
	"cunjing/maps/geojson"
	"cunjing/maps/synth"
)

func village(t testing.TB) (*maps.Village, *geo.Transform) {
	t.Helper()
	v, err := synth.Village(9, 40)
	if err != nil {
		t.Fatal(err)
	}
	v.Name = "张庄村"
	v.Retired = []string{"998", "999"}
	tr, err := geo.FrameGeoref(114.3521, 34.8123).Transform()
	if err != nil {
		t.Fatal(err)
	}
	return v, tr
}

func place(tr *geo.Transform) geojson.Options {
	return geojson.Options{Place: func(maps.Rect) (func(lon, lat float64) (maps.Point, error), error) { return tr.FromLonLat, nil }}
}

func TestWriteReadRoundTrip(t *testing.T) {
	ctx := context.Background()
	v, tr := village(t)
	// A '#' or '%' in a folder's name is the file's, not the SQLite URI's.
	dir := filepath.Join(t.TempDir(), "地图#2 %41")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, georef := range []bool{true, false} {
		path := filepath.Join(dir, "v.gpkg")
		os.Remove(path)
		l := Layer{Village: v}
		if georef {
			l.ToLonLat = tr.ToLonLat
		}
		if err := Write(ctx, path, []Layer{l}); err != nil {
			t.Fatal(err)
		}
		if err := Write(ctx, path, []Layer{l}); err == nil {
			t.Fatal("Write overwrote a file")
		}
		data, units, notes, err := Read(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		wantUnits := UnitsLocal
		if georef {
			wantUnits = UnitsDegrees
		}
		if units != wantUnits {
			t.Fatalf("georef=%v: units %s", georef, units)
		}
		if georef && (len(notes) != 4 || !strings.Contains(notes[0], "local metres")) {
			t.Errorf("notes: %v", notes)
		}
		got, rep, err := geojson.ImportWith(data, place(tr))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Skipped)+len(rep.Warnings) != 0 {
			t.Fatalf("georef=%v: %s", georef, rep)
		}
		if got.Name != v.Name || len(got.Retired) != 2 || len(got.Houses) != len(v.Houses) || len(got.Lanes) != len(v.Lanes) ||
			len(got.Landmarks) != len(v.Landmarks) || len(got.Labels) != len(v.Labels) {
			t.Fatalf("georef=%v: %q %v, %d houses %d lanes %d landmarks %d labels", georef, got.Name, got.Retired, len(got.Houses), len(got.Lanes), len(got.Landmarks), len(got.Labels))
		}
		var worst float64
		for i, h := range got.Houses {
			w := v.Houses[i]
			if h.ID != w.ID || h.Number != w.Number || h.Name != w.Name || h.Phone != w.Phone || h.Warning != w.Warning ||
				len(h.Categories) != len(w.Categories) || h.Courtyard != w.Courtyard {
				t.Fatalf("house %d: %+v\nwant %+v", i, h, w)
			}
			for j := range h.Polygon {
				worst = max(worst, maps.Dist(h.Polygon[j], w.Polygon[j]))
			}
		}
		if worst > 1e-6 {
			t.Errorf("georef=%v: a vertex moved %.2g m", georef, worst)
		}
		for i, l := range got.Lanes {
			if l.Width != v.Lanes[i].Width || l.ID != v.Lanes[i].ID {
				t.Errorf("lane %d: %+v", i, l)
			}
		}
	}
}

func TestReadRefusesWhatIsNotAGeoPackage(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o644)
		return p
	}
	plain := filepath.Join(dir, "plain.db")
	db, _ := sql.Open("sqlite3", "file:"+plain)
	db.Exec("CREATE TABLE x (a)")
	db.Close()
	cj := filepath.Join(dir, "cunjing.db")
	db, _ = sql.Open("sqlite3", "file:"+cj)
	db.Exec("PRAGMA application_id = 1128943175") // "CJNG"
	db.Exec("CREATE TABLE x (a)")
	db.Close()
	big := filepath.Join(dir, "big.gpkg")
	f, _ := os.Create(big)
	f.Truncate(MaxBytes + 1) // sparse: costs nothing
	f.Close()
	tests := []struct{ path, msg string }{
		{write("text.gpkg", []byte("这不是地图")), "not a GeoPackage"},
		{write("json.gpkg", []byte(strings.Repeat("{", 200))), "not an SQLite file"},
		{plain, "not a GeoPackage (application_id"},
		{cj, "cunjing database"},
		{big, "read up to"},
		{filepath.Join(dir, "missing.gpkg"), "no such file"},
		{dir, "not a regular file"},
	}
	for _, tt := range tests {
		if _, _, _, err := Read(ctx, tt.path); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: %v, want %q", filepath.Base(tt.path), err, tt.msg)
		}
	}
}

// A GeoPackage from outside cannot run anything: triggers and views do
// not fire or are not read, nothing is written, functions are refused.
func TestReadIsLockedDown(t *testing.T) {
	ctx := context.Background()
	v, tr := village(t)
	path := filepath.Join(t.TempDir(), "evil.gpkg")
	if err := Write(ctx, path, []Layer{{Village: v, ToLonLat: tr.ToLonLat}}); err != nil {
		t.Fatal(err)
	}
	db, _ := sql.Open("sqlite3", "file:"+path)
	for _, q := range []string{
		`CREATE TABLE log (x)`,
		// A view listed as a feature table, calling a function.
		`CREATE VIEW sneaky AS SELECT fid, geom, load_extension('evil') AS boom FROM houses`,
		`INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('sneaky', 'features', 'sneaky', 4326)`,
		`INSERT INTO gpkg_geometry_columns VALUES ('sneaky', 'geom', 'POLYGON', 4326, 0, 0)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	before, _ := os.ReadFile(path)
	data, _, notes, err := Read(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(notes, "\n"), "sneaky is not a table") {
		t.Errorf("view read: %v", notes)
	}
	var fc struct{ Features []any }
	json.Unmarshal(data, &fc)
	if len(fc.Features) == 0 {
		t.Fatal("no features read")
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Fatal("reading changed the file")
	}
	// The locked connection refuses writes and functions outright.
	register()
	ro, err := sql.Open(driverName, "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	for _, q := range []string{`INSERT INTO log VALUES (1)`, `SELECT count(*) FROM houses`, `SELECT * FROM sneaky`, `ATTACH 'x.db' AS x`, `PRAGMA writable_schema = ON`} {
		if _, err := ro.Exec(q); err == nil {
			t.Errorf("%s: allowed", q)
		}
	}
}

func TestDecodeGeometryVariants(t *testing.T) {
	// Z, M and ZM points, big-endian, a multipolygon: what GDAL and QGIS
	// may write.
	le := func(typ uint32, coords ...float64) []byte {
		b := []byte{'G', 'P', 0, 1, 0, 0, 0, 0, 1}
		b = append(b, byte(typ), byte(typ>>8), byte(typ>>16), byte(typ>>24))
		for _, c := range coords {
			var x [8]byte
			bits := mathFloat64bits(c)
			for i := range x {
				x[i] = byte(bits >> (8 * i))
			}
			b = append(b, x[:]...)
		}
		return b
	}
	for _, tt := range []struct {
		typ    uint32
		coords []float64
	}{{1001, []float64{1, 2, 3}}, {2001, []float64{1, 2, 3}}, {3001, []float64{1, 2, 3, 4}}, {0x80000001, []float64{1, 2, 3}}} {
		g, err := DecodeGeometry(le(tt.typ, tt.coords...))
		if err != nil || g.Type != "Point" || g.Coords.([2]float64) != [2]float64{1, 2} {
			t.Errorf("type %#x: %+v %v", tt.typ, g, err)
		}
	}
	be := []byte{'G', 'P', 0, 0, 0, 0, 0x10, 0xe6, 0, 0, 0, 0, 1}
	be = append(be, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0) // (0, 2) big-endian
	if g, err := DecodeGeometry(be); err != nil || g.Coords.([2]float64) != [2]float64{0, 2} {
		t.Errorf("big-endian point: %+v %v", g, err)
	}
	mp := encodeGeometry(4326, wkbPolygon, [][][2]float64{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}})
	// Wrap the polygon's WKB (after the 8+32 header) in a MultiPolygon.
	multi := append([]byte{'G', 'P', 0, 1, 0xe6, 0x10, 0, 0, 1, 6, 0, 0, 0, 1, 0, 0, 0}, mp[40:]...)
	if g, err := DecodeGeometry(multi); err != nil || g.Type != "MultiPolygon" {
		t.Errorf("multipolygon: %+v %v", g, err)
	}
	for _, bad := range [][]byte{nil, []byte("GP"), []byte("XX\x00\x01\x00\x00\x00\x00"), le(1, 1), le(7), le(3), le(2, 1e300)} {
		if _, err := DecodeGeometry(bad); err == nil {
			t.Errorf("%x: decoded", bad)
		}
	}
}

// FuzzDecodeGeometry: a blob from an outside file decodes or is refused,
// never panics nor allocates past what it holds.
func FuzzDecodeGeometry(f *testing.F) {
	f.Add(encodeGeometry(4326, wkbPolygon, [][][2]float64{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}))
	f.Add(encodeGeometry(4326, wkbLineString, [][][2]float64{{{0, 0}, {1, 0}}}))
	f.Add(encodeGeometry(4326, wkbPoint, [][][2]float64{{{0, 0}}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		DecodeGeometry(b)
	})
}

// TestGDALReadsTheGeoPackage: GDAL's own reader (what QGIS uses) opens the
// file, sees the layers, their CRS and where they lie; ogr2ogr's copy of it
// (GDAL's own writer: R-tree, triggers, its own metadata) reads back.
func TestGDALReadsTheGeoPackage(t *testing.T) {
	ogrinfo := lookGDAL(t)
	ctx := context.Background()
	v, tr := village(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "v.gpkg")
	if err := Write(ctx, path, []Layer{{Village: v, ToLonLat: tr.ToLonLat}}); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(ogrinfo, "-ro", "-so", "-al", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	s := string(out)
	for _, want := range []string{"Layer name: houses\n", "Layer name: houses_local", "Layer name: lanes", "Layer name: landmarks", "Layer name: cunjing_villages",
		"Geometry: Polygon", "Geometry: Line String", "width_m: Real", "number: String", "GEOGCRS[\"WGS 84\"", "ENGCRS[\"cunjing village map"} {
		if !strings.Contains(s, want) {
			t.Errorf("ogrinfo does not show %q", want)
		}
	}
	if strings.Contains(s, "ERROR") || strings.Contains(s, "Warning") {
		t.Errorf("ogrinfo complains:\n%s", s)
	}
	t.Logf("ogrinfo houses layer: %s", firstLines(s[strings.Index(s, "Layer name: houses\n"):], 6))
	// GDAL's copy of the WGS 84 houses, lanes and landmarks reads back.
	copyPath := filepath.Join(dir, "gdal.gpkg")
	if out, err := exec.Command(filepath.Join(filepath.Dir(ogrinfo), "ogr2ogr"), "-f", "GPKG", copyPath, path, "houses", "lanes", "landmarks", "labels").CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, out)
	}
	data, units, _, err := Read(ctx, copyPath)
	if err != nil {
		t.Fatal(err)
	}
	got, rep, err := geojson.ImportWith(data, place(tr))
	if err != nil || units != UnitsDegrees {
		t.Fatal(units, err)
	}
	if len(got.Houses) != len(v.Houses) || len(got.Lanes) != len(v.Lanes) || len(rep.Skipped) != 0 {
		t.Fatalf("GDAL's GeoPackage: %d houses %d lanes; %s", len(got.Houses), len(got.Lanes), rep)
	}
	for i, h := range got.Houses {
		for j := range h.Polygon {
			if d := maps.Dist(h.Polygon[j], v.Houses[i].Polygon[j]); d > 1e-6 {
				t.Fatalf("house %s moved %.2g m through GDAL", h.Number, d)
			}
		}
	}
}

func lookGDAL(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo (Debian gdal-bin, installed by make deps) is not on PATH: GDAL round trips not run")
	}
	return p
}

func firstLines(s string, n int) string {
	ls := strings.SplitN(s, "\n", n+1)
	if len(ls) > n {
		ls = ls[:n]
	}
	return strings.Join(ls, " | ")
}

func mathFloat64bits(f float64) uint64 { return math.Float64bits(f) }
