package gpkg

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"cunjing/maps/geo"
	"cunjing/maps/geojson"
	"cunjing/maps/synth"
)

// FuzzRead reads arbitrary bytes as a GeoPackage file from outside (what
// `cunjing map import x.gpkg` opens): an error, or GeoJSON the import
// takes or refuses, never a panic or a write. Seeds: small GeoPackages
// this package wrote, in local metres and in degrees, and their header.
func FuzzRead(f *testing.F) {
	ctx := context.Background()
	v, err := synth.Village(9, 3)
	if err != nil {
		f.Fatal(err)
	}
	tr, err := geo.FrameGeoref(114.3521, 34.8123).Transform()
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	for i, l := range []Layer{{Village: v}, {Village: v, ToLonLat: tr.ToLonLat}} {
		p := filepath.Join(dir, string(rune('a'+i))+".gpkg")
		if err := Write(ctx, p, []Layer{l}); err != nil {
			f.Fatal(err)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:100])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.gpkg")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		out, _, _, err := Read(ctx, p)
		if got, rerr := os.ReadFile(p); rerr != nil || string(got) != string(data) {
			t.Fatalf("Read changed the file (%v)", rerr)
		}
		if err != nil {
			return
		}
		_, _, _ = geojson.ImportWith(out, place(tr))
	})
}
