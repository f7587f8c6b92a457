package scantrace

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/maps"
	"cunjing/maps/trace"
	"cunjing/maps/trace/sheetgen"
)

func draft() *trace.Draft {
	return &trace.Draft{PxPerM: 5, Width: 1000, Height: 500, Houses: []trace.DraftHouse{
		{Number: "1", Px: [2]float64{15, 15}, OutlinePx: [][2]float64{{10, 10}, {20, 10}, {20, 20}, {10, 20}}},
	}, Landmarks: []trace.DraftLandmark{{Kind: "well", Px: [2]float64{50, 50}}}}
}

// Where an accepted draft goes: on an empty map over its scan (which
// becomes the base layer), beside the houses of a map that has some
// (keeping that map's base), and on its own base when it was traced from
// it.
func TestPlace(t *testing.T) {
	square := maps.Polygon{{X: 0, Y: 0}, {X: 10, Y: 0}, {X: 10, Y: 10}, {X: 0, Y: 10}}
	for _, tc := range []struct {
		name       string
		v          maps.Village
		wantBase   bool
		wantBeside bool
		firstX     float64 // the house's first vertex, metres
	}{
		{"empty map", maps.Village{}, true, false, 2},
		{"empty map with another base", maps.Village{Base: &maps.BaseLayer{ImageHash: "old", Width: 9, Height: 9, MetresPerPx: 1, Origin: maps.Point{X: 7, Y: 3}}}, true, false, 9},
		{"its own base, same scale", maps.Village{Base: &maps.BaseLayer{ImageHash: "scan", Width: 1000, Height: 500, MetresPerPx: 0.2, Origin: maps.Point{X: -5, Y: 0}}}, false, false, -3},
		{"its own base, scale unset", maps.Village{Base: &maps.BaseLayer{ImageHash: "scan", Width: 1000, Height: 500, MetresPerPx: 1, Origin: maps.Point{X: -5, Y: 0}}}, true, false, -3},
		{"houses drawn", maps.Village{Houses: []maps.House{{ID: "h", Number: "1", Polygon: square}}, Base: &maps.BaseLayer{ImageHash: "old", Width: 9, Height: 9, MetresPerPx: 1}}, false, true, 10 + Gap + 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pl, err := Place(draft(), &tc.v, "scan", 5)
			if err != nil {
				t.Fatal(err)
			}
			if (pl.Base != nil) != tc.wantBase || pl.Beside != tc.wantBeside {
				t.Fatalf("base %+v, beside %v", pl.Base, pl.Beside)
			}
			if pl.Base != nil && (pl.Base.ImageHash != "scan" || pl.Base.MetresPerPx != 0.2) {
				t.Errorf("base %+v", pl.Base)
			}
			if len(pl.Houses) != 1 || len(pl.Landmarks) != 1 || pl.Houses[0].Polygon[0].X != tc.firstX {
				t.Errorf("house at %v, want x %v", pl.Houses, tc.firstX)
			}
		})
	}
	for _, ppm := range []float64{0, -1, 5000} {
		if _, err := Place(draft(), &maps.Village{}, "scan", ppm); err == nil {
			t.Errorf("scale %v accepted", ppm)
		}
	}
	if _, err := Place(&trace.Draft{}, &maps.Village{}, "scan", 5); err == nil {
		t.Error("a draft without its scan's size was placed")
	}
}

// Bad scans get a clear error, never a panic.
func TestTraceRefuses(t *testing.T) {
	ctx := context.Background()
	sheet, err := os.ReadFile(filepath.Join("..", "..", "maps", "trace", "testdata", "sheet-1.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	var tiny, blank bytes.Buffer
	if err := png.Encode(&tiny, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	white := image.NewGray(image.Rect(0, 0, 400, 300))
	for i := range white.Pix {
		white.Pix[i] = 255
	}
	if err := png.Encode(&blank, white); err != nil {
		t.Fatal(err)
	}
	// a PNG header saying 20,000×20,000 grey pixels, with no pixels after it
	ihdr := []byte("IHDR\x00\x00N \x00\x00N \x08\x00\x00\x00\x00")
	huge := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\r"), ihdr...)
	huge = binary.BigEndian.AppendUint32(huge, crc32.ChecksumIEEE(ihdr))
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"not an image", []byte("a letter"), "not a JPEG or PNG"},
		{"1×1", tiny.Bytes(), "too small"},
		{"empty sheet", blank.Bytes(), "no house outlines"},
		{"20,000×20,000", huge, "megapixels"},
		{"truncated JPEG", sheet[:len(sheet)/2], "decode"},
	} {
		if _, err := Trace(ctx, tc.data, 0, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want an error naming %q", tc.name, err, tc.want)
		}
	}
	tr, err := Trace(ctx, sheet, 4.2, nil)
	if err != nil || len(tr.Draft.Houses) < 25 || tr.Image.Width != tr.Draft.Width || tr.Image.Hash == "" || tr.Flattened || tr.Kept != tr.Draft {
		t.Fatalf("fixture: %v", err)
	}
}

// A photo taken at an angle is flattened from the sheet's corners: the
// printed draft stays in the photo's pixels, the kept draft and its scan
// are the flattened sheet's, and each house lands on the flat sheet where
// the homography takes it.
func TestTracePhotoFlattened(t *testing.T) {
	if _, err := sheetgen.FindFont(); errors.Is(err, sheetgen.ErrNoFont) {
		t.Skipf("skipped: %v", err)
	}
	s, err := sheetgen.Generate(2, sheetgen.Options{Houses: 30, PageW: 620, PageH: 860})
	if err != nil {
		t.Fatal(err)
	}
	ph, err := sheetgen.PhotoOf(s, 2, sheetgen.PhotoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := Trace(context.Background(), ph.JPEG, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := ph.Image.Bounds()
	if !tr.Flattened || tr.Draft.Width != b.Dx() || tr.Kept.Width != tr.Image.Width || tr.Kept.Height != tr.Image.Height {
		t.Fatalf("flattened %v; printed %d×%d (photo %d×%d), kept %d×%d, scan %d×%d", tr.Flattened,
			tr.Draft.Width, tr.Draft.Height, b.Dx(), b.Dy(), tr.Kept.Width, tr.Kept.Height, tr.Image.Width, tr.Image.Height)
	}
	if len(tr.Kept.Houses) != len(tr.Draft.Houses) || len(tr.Kept.Houses) < 25 {
		t.Fatalf("%d houses kept, %d printed", len(tr.Kept.Houses), len(tr.Draft.Houses))
	}
	// The flat sheet is about the size of the sheet drawn (its corners
	// are found within a few pixels) and every kept house lies on it.
	if w, h := tr.Kept.Width, tr.Kept.Height; math.Abs(float64(w)-620) > 40 || math.Abs(float64(h)-860) > 60 {
		t.Errorf("flat sheet %d×%d, drawn 620×860", w, h)
	}
	for i, h := range tr.Kept.Houses {
		if h.Px[0] < 0 || h.Px[1] < 0 || h.Px[0] > float64(tr.Kept.Width) || h.Px[1] > float64(tr.Kept.Height) {
			t.Fatalf("house %d at %v, off the %d×%d sheet", i, h.Px, tr.Kept.Width, tr.Kept.Height)
		}
	}
	// The printed houses are in the photo: inside the sheet's corners.
	ring := make([]trace.Pt, 4)
	for i, c := range ph.Corners {
		ring[i] = trace.Pt(c)
	}
	inside := 0
	for _, h := range tr.Draft.Houses {
		if trace.Inside(trace.Pt(h.Px), ring) {
			inside++
		}
	}
	if inside != len(tr.Draft.Houses) {
		t.Errorf("%d of %d printed houses inside the photographed sheet", inside, len(tr.Draft.Houses))
	}
}
