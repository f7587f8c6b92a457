package georef

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"cunjing/maps"
	"cunjing/maps/geo"
	"cunjing/store"
	"cunjing/store/mapdata"
)

func TestCoordinates(t *testing.T) {
	wps := []geo.Waypoint{{Name: "村口", Lon: 114.3, Lat: 34.8}}
	for _, tc := range []struct {
		what     string
		d        geo.Datum
		wps      []geo.Waypoint
		lon, lat float64
		name     string
		mismatch bool
		fails    bool
	}{
		{what: "114.35,34.81", d: geo.WGS84, lon: 114.35, lat: 34.81},
		{what: " 114.35, 34.81 ", d: geo.GCJ02, lon: 114.35, lat: 34.81},
		{what: "https://uri.amap.com/marker?position=114.35,34.81", d: geo.GCJ02, lon: 114.35, lat: 34.81},
		{what: "https://uri.amap.com/marker?position=114.35,34.81", d: geo.WGS84, mismatch: true, fails: true},
		{what: "@村口", d: geo.WGS84, wps: wps, lon: 114.3, lat: 34.8, name: "村口"},
		{what: "@村口", d: geo.WGS84, fails: true},
		{what: "@水井", d: geo.WGS84, wps: wps, fails: true},
		{what: "no position here", d: geo.WGS84, fails: true},
	} {
		lon, lat, name, err := Coordinates(tc.what, tc.d, tc.wps)
		var mm *DatumMismatchError
		if (err != nil) != tc.fails || errors.As(err, &mm) != tc.mismatch {
			t.Errorf("%q in %s: err %v", tc.what, tc.d, err)
			continue
		}
		if err == nil && (lon != tc.lon || lat != tc.lat || name != tc.name) {
			t.Errorf("%q: %v, %v, %q", tc.what, lon, lat, name)
		}
	}
}

// Apply saves a good fit, and neither a dry run nor a fit with a suspect
// point (unless accepted).
func TestApply(t *testing.T) {
	ctx := context.Background()
	s, err := store.Create(ctx, filepath.Join(t.TempDir(), "p.db"), store.Identity{DeviceID: "POST-AAAAAAA", Role: store.RolePost, Name: "东河警务室"}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v := &store.Village{Name: "东河村"}
	if err := s.Save(ctx, v); err != nil {
		t.Fatal(err)
	}
	f, err := geo.NewFrame(114.35, 34.81)
	if err != nil {
		t.Fatal(err)
	}
	points := func(offE float64) []geo.ControlPoint {
		var out []geo.ControlPoint
		for i, p := range []maps.Point{{}, {X: 100}, {Y: 80}, {X: 100, Y: 80}} {
			at := p
			if i == 3 {
				at.X += offE
			}
			lon, lat := f.Inverse(at)
			cp, err := geo.NewControlPoint("", p, geo.WGS84, lon, lat)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, cp)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		offE  float64
		opt   Options
		saved bool
	}{
		{"dry run", 0, Options{DryRun: true}, false},
		{"suspect", 200, Options{}, false},
		{"suspect accepted", 200, Options{AcceptSuspect: true}, true},
		{"good", 0, Options{}, true},
	} {
		if err := mapdata.ClearGeoref(ctx, s, v.ID); err != nil {
			t.Fatal(err)
		}
		res, saved, err := Apply(ctx, s, v.ID, points(tc.offE), tc.opt)
		if err != nil || saved != tc.saved || res == nil {
			t.Errorf("%s: saved %v, err %v", tc.name, saved, err)
			continue
		}
		g, err := mapdata.Georef(ctx, s, v.ID)
		if err != nil || (g != nil) != tc.saved {
			t.Errorf("%s: stored %+v, %v", tc.name, g, err)
		}
	}
	if _, _, err := Apply(ctx, s, v.ID, points(0)[:1], Options{}); !errors.Is(err, geo.ErrTooFewPoints) {
		t.Errorf("one point: %v", err)
	}
}
