package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"cunjing/app/cli/clitest"
	"cunjing/app/cli/mapcmd"
	"cunjing/maps"
	"cunjing/maps/geo"
	"cunjing/maps/geojson"
	"cunjing/store"
	"cunjing/store/mapdata"
)

// The demo village tied to a made-up place on the North China Plain:
// map metres turned 12° anticlockwise, 2% larger, shifted to 114.3521 E,
// 34.8123 N. Control points are computed from it and then given as 高德
// (GCJ-02) coordinates, as an officer would copy them.
type demoTruth struct {
	f   *geo.Frame
	rot float64
	k   float64
}

func newDemoTruth(t *testing.T) demoTruth {
	t.Helper()
	f, err := geo.NewFrame(114.3521, 34.8123)
	if err != nil {
		t.Fatal(err)
	}
	return demoTruth{f: f, rot: 12 * math.Pi / 180, k: 1.02}
}

func (d demoTruth) lonlat(p maps.Point) (float64, float64) {
	s, c := math.Sincos(d.rot)
	return d.f.Inverse(maps.Point{X: d.k * (c*p.X - s*p.Y), Y: d.k * (s*p.X + c*p.Y)})
}

func demoMap(t *testing.T, db string) *maps.Village {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, db, store.Options{SkipIntegrityCheck: true}) // a clitest.Demo copy: checked when the test ends
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v, err := s.VillageByName(ctx, "张庄村")
	if err != nil {
		t.Fatal(err)
	}
	mv, err := mapdata.Load(ctx, s, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	return mv
}

// pointArgs are --point flags for the named landmarks, in GCJ-02, with
// optional changes to their WGS 84 position (metres east, north).
func pointArgs(t *testing.T, tr demoTruth, mv *maps.Village, names []string, shift map[string][2]float64) []string {
	t.Helper()
	var args []string
	for _, n := range names {
		var p *maps.Point
		for i := range mv.Landmarks {
			if mv.Landmarks[i].Name == n {
				p = &mv.Landmarks[i].Point
			}
		}
		if p == nil {
			t.Fatalf("the demo has no landmark %s", n)
		}
		lon, lat := tr.lonlat(*p)
		if d, ok := shift[n]; ok {
			q := tr.f.Forward(lon, lat)
			lon, lat = tr.f.Inverse(maps.Point{X: q.X + d[0], Y: q.Y + d[1]})
		}
		glon, glat := geo.FromWGS84(geo.GCJ02, lon, lat)
		args = append(args, "--point", fmt.Sprintf("%s=%.8f,%.8f", n, glon, glat))
	}
	return args
}

var extentRE = regexp.MustCompile(`Extent: \((-?[\d.]+), (-?[\d.]+)\) - \((-?[\d.]+), (-?[\d.]+)\)`)

// ogrExtent runs GDAL's ogrinfo on a file and returns the extent it reads
// for the layer (the first, or the one named).
func ogrExtent(t *testing.T, ogrinfo, path string, layer ...string) [4]float64 {
	t.Helper()
	args := append([]string{"-ro", "-so", path}, layer...)
	if len(layer) == 0 {
		args = append(args, "-al")
	}
	out, err := exec.Command(ogrinfo, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo %s: %v\n%s", path, err, out)
	}
	m := extentRE.FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("ogrinfo %s shows no extent:\n%s", path, out)
	}
	var e [4]float64
	for i := range e {
		e[i], _ = strconv.ParseFloat(m[i+1], 64)
	}
	return e
}

func needGDAL(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo (Debian gdal-bin, installed by make deps) is not on PATH: the GDAL round trips were not run")
	}
	return p
}

// TestCLIMapGeorefGDAL: georeference the demo from 高德 coordinates, export
// WGS 84 GeoJSON, GeoPackage and KML, and check with GDAL's own reader that
// the village lies where the control points put it; then GDAL rewrites the
// GeoJSON, cunjing imports it back, and no house moves by 0.1 m.
func TestCLIMapGeorefGDAL(t *testing.T) {
	t.Parallel()
	ogrinfo := needGDAL(t)
	ogr2ogr := filepath.Join(filepath.Dir(ogrinfo), "ogr2ogr")
	db := clitest.DemoDB(t)
	dir := t.TempDir()
	mv := demoMap(t, db)
	tr := newDemoTruth(t)
	names := []string{"村西口", "村东口", "老井", "村小学", "13号巷水井"}

	var res mapcmd.GeorefResult
	out := clitest.MustRun(t, append([]string{"map", "georef", "--db", db, "--village", "张庄村", "--datum", "gcj02", "--json"}, pointArgs(t, tr, mv, names, nil)...)...)
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if !res.Saved || res.Method != geo.MethodAffine || res.Suspects != 0 || res.RMS > 0.05 || len(res.Points) != 5 ||
		math.Abs(res.RotationDeg-12) > 0.01 || math.Abs(res.Scale-1.02) > 1e-3 {
		t.Fatalf("georef: %+v", res)
	}

	// The WGS 84 GeoJSON: GDAL reads it as WGS 84 and finds the village
	// where the truth puts it.
	gj := filepath.Join(dir, "v.geojson")
	clitest.MustRun(t, "map", "export", "--db", db, "--village", "张庄村", "--out", gj)
	want := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	grow := func(p maps.Point) {
		lon, lat := tr.lonlat(p)
		want = [4]float64{math.Min(want[0], lon), math.Min(want[1], lat), math.Max(want[2], lon), math.Max(want[3], lat)}
	}
	for _, h := range mv.Houses {
		for _, p := range h.Polygon {
			grow(p)
		}
	}
	wantHouses := want
	for _, l := range mv.Lanes {
		for _, p := range l.Points {
			grow(p)
		}
	}
	for _, l := range mv.Landmarks {
		grow(l.Point)
	}
	for _, l := range mv.Labels {
		grow(l.Point)
	}
	got := ogrExtent(t, ogrinfo, gj) // the first export's extent, compared with the later ones below
	metres := func(a, b [4]float64) float64 {
		return max(geo.Distance(a[0], a[1], b[0], b[1]), geo.Distance(a[2], a[3], b[2], b[3]))
	}
	if d := metres(got, want); d > res.RMS+0.2 { // ogrinfo prints 6 decimals, ~0.1 m
		t.Errorf("GDAL's extent %v is %.2f m from where the control points put the village %v", got, d, want)
	}
	t.Logf("GDAL extent of the exported GeoJSON: %v (%.3f m from the truth, fit rms %.3f m)", got, metres(got, want), res.RMS)

	// GeoPackage: GDAL sees the WGS 84 houses in the same place, and the
	// local layer in metres.
	gp := filepath.Join(dir, "v.gpkg")
	clitest.MustRun(t, "map", "export", "--db", db, "--village", "张庄村", "--out", gp)
	if d := metres(ogrExtent(t, ogrinfo, gp, "houses"), wantHouses); d > res.RMS+0.2 {
		t.Errorf("GDAL finds the GeoPackage's houses %.2f m from where the control points put them", d)
	}
	if e := ogrExtent(t, ogrinfo, gp, "houses_local"); e[0] < -200 || e[2] > 800 {
		t.Errorf("local houses extent %v is not the map's metres", e)
	}
	// KML: GDAL finds the house numbers and the water sources.
	km := filepath.Join(dir, "v.kml")
	clitest.MustRun(t, "map", "export", "--db", db, "--village", "张庄村", "--out", km)
	if o, err := exec.Command(ogrinfo, "-ro", "-so", km, "门牌号").CombinedOutput(); err != nil || !strings.Contains(string(o), fmt.Sprintf("Feature Count: %d", numbered(mv))) {
		t.Errorf("ogrinfo on the KML: %v\n%s", err, o)
	}

	// GDAL rewrites the GeoJSON (its own writer, RFC 7946, 7 decimals);
	// cunjing imports that back into the village and exports again.
	rw := filepath.Join(dir, "gdal.geojson")
	if o, err := exec.Command(ogr2ogr, "-f", "GeoJSON", "-lco", "RFC7946=YES", rw, gj).CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, o)
	}
	var rep mapcmd.ImportResult
	json.Unmarshal([]byte(clitest.MustRun(t, "map", "import", "--db", db, "--village", "张庄村", rw, "--json")), &rep)
	if rep.Units != geojson.UnitsDegrees || rep.FrameSet || rep.Houses != len(mv.Houses) || len(rep.Skipped) != 0 {
		t.Fatalf("import of GDAL's GeoJSON: %+v", rep)
	}
	after := demoMap(t, db)
	if len(after.Houses) != len(mv.Houses) {
		t.Fatalf("the import added houses: %d → %d", len(mv.Houses), len(after.Houses))
	}
	worst := 0.0
	byID := map[string]maps.House{}
	for _, h := range after.Houses {
		byID[h.ID] = h
	}
	for _, h := range mv.Houses {
		a := byID[h.ID]
		if a.Number != h.Number || len(a.Polygon) != len(h.Polygon) {
			t.Fatalf("house %s came back as %+v", h.Number, a)
		}
		for i := range h.Polygon {
			worst = max(worst, maps.Dist(a.Polygon[i], h.Polygon[i]))
		}
	}
	if worst >= 0.1 {
		t.Errorf("a house moved %.3f m through GeoJSON → GDAL → import", worst)
	}
	t.Logf("GeoJSON → GDAL ogr2ogr (RFC 7946) → import: the furthest house vertex moved %.4f m", worst)
	again := filepath.Join(dir, "again.geojson")
	clitest.MustRun(t, "map", "export", "--db", db, "--village", "张庄村", "--out", again)
	if d := metres(ogrExtent(t, ogrinfo, again), got); d > 0.2 {
		t.Errorf("the second export's extent moved %.2f m", d)
	}

	// The township: a second village imported from GDAL's file lands in its
	// own frame, and --all writes both.
	clitest.MustRun(t, "map", "import", "--db", db, "--village", "复制村", rw)
	all := filepath.Join(dir, "township.geojson")
	var ex mapcmd.ExportResult
	json.Unmarshal([]byte(clitest.MustRun(t, "map", "export", "--db", db, "--all", "--out", all, "--json")), &ex)
	if len(ex.Villages) != 2 || ex.Features != 2*(len(mv.Houses)+len(mv.Lanes)+len(mv.Landmarks)+len(mv.Labels)) {
		t.Errorf("township export: %+v", ex)
	}
	if d := metres(ogrExtent(t, ogrinfo, all), got); d > 0.5 {
		t.Errorf("the copy does not lie on the original: township extent %.2f m off", d)
	}
}

func numbered(v *maps.Village) int {
	n := 0
	for _, h := range v.Houses {
		if h.Number != "" {
			n++
		}
	}
	return n
}

// TestCLIMapGeorefBadInput: every refusal says what is wrong and changes
// nothing.
func TestCLIMapGeorefBadInput(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)
	dir := t.TempDir()
	mv := demoMap(t, db)
	tr := newDemoTruth(t)
	names := []string{"村西口", "村东口", "老井", "村小学", "13号巷水井"}
	before := dumpNoAudit(t, db)
	base := []string{"map", "georef", "--db", db, "--village", "张庄村", "--datum", "gcj02"}

	// A point typed 10 km off is named, and nothing is saved.
	out, errs, code := clitest.Run(t, append(append(base, "--json"), pointArgs(t, tr, mv, names, map[string][2]float64{"村小学": {6000, 8000}})...)...)
	var res mapcmd.GeorefResult
	json.Unmarshal([]byte(out), &res)
	if code != 1 || res.Saved || res.Suspects != 1 || !res.Points[3].Suspect || res.Points[3].ResidualM < 9900 || !strings.Contains(errs, "--accept-suspect") {
		t.Errorf("10 km off: exit %d %q %+v", code, errs, res)
	}
	// Latitude and longitude swapped in one point.
	pts := pointArgs(t, tr, mv, names[:3], nil)
	lon, lat, _ := strings.Cut(strings.SplitN(pts[3], "=", 2)[1], ",")
	pts[3] = "村东口=" + lat + "," + lon
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{append(append([]string{}, base...), pts...), 1, "point 2 (村东口="},
		{append(append([]string{}, base...), pts...), 1, "swapped"},
		{append(append([]string{}, base...), pts[:2]...), 2, "at least 2 points"},
		{append([]string{"map", "georef", "--db", db, "--village", "张庄村"}, pts[:4]...), 2, "--datum wgs84|gcj02|bd09 is required"},
		{append(append([]string{}, base...), "--point", "0,0=114.35,34.81", "--point", "100,1=114.36,34.811", "--point", "200,0=114.37,34.81"), 1, "lie on one line"},
		{append(append([]string{}, base...), "--point", "0,0=2.35,48.85", "--point", "100,0=2.36,48.85"), 1, "outside China"},
		{append(append([]string{}, base...), "--point", "无名地=114.35,34.81", "--point", "100,0=114.36,34.81"), 1, "neither x,y in metres nor a landmark"},
		{append(append([]string{}, base...), "--point", "0,0=@井", "--point", "100,0=114.36,34.81"), 1, "needs --waypoints"},
		{append([]string{"map", "georef", "--db", db, "--village", "张庄村", "--datum", "wgs84"}, "--point", "0,0=https://uri.amap.com/marker?position=114.35,34.81", "--point", "100,0=114.36,34.81"), 1, "use --datum gcj02"},
		{append(append([]string{}, base...), "--smooth", "--point", "0,0=114.35,34.81", "--point", "100,0=114.36,34.81"), 1, "smooth correction needs at least 5"},
	}
	for _, tt := range tests {
		_, errs, code := clitest.Run(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("cunjing %v:\nexit %d, %q; want exit %d with %q", tt.args, code, errs, tt.code, tt.msg)
		}
	}

	// A village with no georeference is not written as fake degrees.
	for _, out := range []string{"v.geojson", "v.kml", "v.kmz"} {
		_, errs, code := clitest.Run(t, "map", "export", "--db", db, "--village", "张庄村", "--out", filepath.Join(dir, out))
		if code != 1 || !strings.Contains(errs, "not georeferenced") || !strings.Contains(errs, "--local") || !strings.Contains(errs, ".gpkg") {
			t.Errorf("export %s of an unplaced village: exit %d %q", out, code, errs)
		}
		if _, err := os.Stat(filepath.Join(dir, out)); err == nil {
			t.Errorf("%s written", out)
		}
	}
	if _, errs, code := clitest.Run(t, "map", "export", "--db", db, "--all", "--out", filepath.Join(dir, "t.geojson")); code != 1 || !strings.Contains(errs, "no village here is georeferenced") {
		t.Errorf("--all with nothing placed: exit %d %q", code, errs)
	}

	// Imports that cannot be placed.
	local := filepath.Join(dir, "local.geojson")
	clitest.MustRun(t, "map", "export", "--db", db, "--village", "张庄村", "--out", local, "--local")
	raw, _ := os.ReadFile(local)
	noUnits := filepath.Join(dir, "nounits.geojson")
	os.WriteFile(noUnits, []byte(strings.Replace(string(raw), `"units": "m",`, "", 1)), 0o644)
	degrees := filepath.Join(dir, "degrees.geojson")
	os.WriteFile(degrees, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kind":"well","name":"新井"},"geometry":{"type":"Point","coordinates":[114.353,34.813]}}]}`), 0o644)
	emptyKML := filepath.Join(dir, "empty.kml")
	os.WriteFile(emptyKML, []byte(`<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>空</name></Document></kml>`), 0o644)
	notGpkg := filepath.Join(dir, "not.gpkg")
	os.WriteFile(notGpkg, raw, 0o644)
	imports := []struct {
		file, msg string
	}{
		{noUnits, "is not a longitude/latitude"},
		{degrees, "has a drawn map but no georeference"},
		{emptyKML, "no placemarks"},
		{notGpkg, "not a GeoPackage"},
		{db, "give a .geojson, .gpkg, .kml or .kmz file"},
	}
	for _, tt := range imports {
		_, errs, code := clitest.Run(t, "map", "import", "--db", db, "--village", "张庄村", tt.file)
		if code == 0 || !strings.Contains(errs, tt.msg) {
			t.Errorf("import %s: exit %d %q, want %q", filepath.Base(tt.file), code, errs, tt.msg)
		}
	}
	if dumpNoAudit(t, db) != before {
		t.Fatal("a refused georeference, export or import changed the database")
	}
}

// TestCLIMapWaypointsAndSmooth: control points from a GPX walked with a
// phone, and the smooth correction offered and taken.
func TestCLIMapWaypointsAndSmooth(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)
	dir := t.TempDir()
	mv := demoMap(t, db)
	tr := newDemoTruth(t)
	// The drawing's east end is 30 m short: the fit has metres of error.
	warp := func(p maps.Point) maps.Point {
		if p.X > 300 {
			p.X += (p.X - 300) * 0.1
		}
		return p
	}
	var gpx strings.Builder
	gpx.WriteString(`<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">`)
	var args []string
	for _, l := range mv.Landmarks {
		if l.Kind == maps.KindShop {
			continue // several stand on the same spot
		}
		lon, lat := tr.lonlat(warp(l.Point))
		fmt.Fprintf(&gpx, `<wpt lat="%.8f" lon="%.8f"><name>wp %s</name></wpt>`, lat, lon, l.Name)
		args = append(args, "--point", fmt.Sprintf("%s=@wp %s", l.Name, l.Name))
	}
	gpx.WriteString(`</gpx>`)
	gf := filepath.Join(dir, "walk.gpx")
	os.WriteFile(gf, []byte(gpx.String()), 0o644)
	base := append([]string{"map", "georef", "--db", db, "--village", "张庄村", "--datum", "wgs84", "--waypoints", gf, "--json"}, args...)
	var plain, smooth mapcmd.GeorefResult
	out, errs, _ := clitest.Run(t, append(base, "--dry-run")...)
	if err := json.Unmarshal([]byte(out), &plain); err != nil {
		t.Fatalf("%v: %s", err, errs)
	}
	if plain.Saved || plain.RMS < 3 || !plain.SmoothOffered && plain.Suspects == 0 {
		t.Fatalf("a warped drawing: %+v", plain)
	}
	json.Unmarshal([]byte(clitest.MustRun(t, append(base, "--smooth", "--accept-suspect")...)), &smooth)
	if !smooth.Saved || smooth.Method != geo.MethodSmooth {
		t.Fatalf("smooth: %+v", smooth)
	}
	t.Logf("%d GPX waypoints: affine rms %.1f m; smooth (leave-one-out) rms %.1f m", len(plain.Points), plain.RMS, smooth.RMS)
	// The smooth fit is what exports use.
	km := filepath.Join(dir, "v.kmz")
	clitest.MustRun(t, "map", "export", "--db", db, "--village", "张庄村", "--out", km)
	data, _ := os.ReadFile(km)
	k, err := geo.DecodeKMZ(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range k.Waypoints() {
		for _, l := range mv.Landmarks {
			if l.Name == w.Name && l.Kind.IsWater() {
				lon, lat := tr.lonlat(warp(l.Point))
				if d := geo.Distance(w.Lon, w.Lat, lon, lat); d > 0.05 {
					t.Errorf("%s exported %.2f m from where it was walked", l.Name, d)
				}
			}
		}
	}
	// Clearing the georeference.
	clitest.MustRun(t, "map", "georef", "--db", db, "--village", "张庄村", "--clear")
	if _, _, code := clitest.Run(t, "map", "export", "--db", db, "--village", "张庄村", "--out", filepath.Join(dir, "x.geojson")); code != 1 {
		t.Error("export after --clear still georeferenced")
	}
}

// dumpNoAudit is the database's dump without the audit log (the one
// export that succeeds above is rightly audited).
func dumpNoAudit(t *testing.T, db string) string {
	t.Helper()
	var keep []string
	for _, l := range strings.Split(clitest.MustRun(t, "dump", "--db", db), "\n") {
		if !strings.HasPrefix(l, "audit\t") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestCLIMapImportDatum: a file made from 高德 coordinates, imported with
// --datum gcj02 into a new village, comes out in WGS 84.
func TestCLIMapImportDatum(t *testing.T) {
	t.Parallel()
	db := clitest.DemoDB(t)
	dir := t.TempDir()
	wLon, wLat := 114.3521, 34.8123
	gLon, gLat := geo.FromWGS84(geo.GCJ02, wLon, wLat)
	in := filepath.Join(dir, "gcj.geojson")
	os.WriteFile(in, []byte(fmt.Sprintf(`{"type":"FeatureCollection","features":[
	 {"type":"Feature","properties":{"kind":"well","name":"新井"},"geometry":{"type":"Point","coordinates":[%.9f,%.9f]}},
	 {"type":"Feature","properties":{"kind":"entrance","name":"村口"},"geometry":{"type":"Point","coordinates":[%.9f,%.9f]}}]}`,
		gLon, gLat, gLon+0.001, gLat)), 0o644)
	var rep mapcmd.ImportResult
	json.Unmarshal([]byte(clitest.MustRun(t, "map", "import", "--db", db, "--village", "新村", "--datum", "gcj02", in, "--json")), &rep)
	if !rep.FrameSet || rep.Landmarks != 2 || rep.Units != geojson.UnitsDegrees {
		t.Fatalf("import: %+v", rep)
	}
	out := filepath.Join(dir, "out.geojson")
	clitest.MustRun(t, "map", "export", "--db", db, "--village", "新村", "--out", out)
	var fc struct {
		Features []struct {
			Properties map[string]any
			Geometry   struct{ Coordinates []float64 }
		}
	}
	raw, _ := os.ReadFile(out)
	json.Unmarshal(raw, &fc)
	for _, f := range fc.Features {
		if f.Properties["name"] == "新井" {
			if d := geo.Distance(f.Geometry.Coordinates[0], f.Geometry.Coordinates[1], wLon, wLat); d > 0.01 {
				t.Errorf("the well is exported %.3f m from its WGS 84 position", d)
			}
			return
		}
	}
	t.Fatal("the well was not exported")
}
