package trace

import (
	"errors"
	"fmt"
	"image"
	"math"
	"testing"

	"cunjing/maps/trace/sheetgen"
)

func TestRectifyBadCorners(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 200, 200))
	for _, tc := range []struct {
		name    string
		corners [4]Pt
	}{
		{"crossed", [4]Pt{{10, 10}, {190, 190}, {190, 10}, {10, 190}}},
		{"tiny", [4]Pt{{10, 10}, {12, 10}, {12, 12}, {10, 12}}},
		{"in a line", [4]Pt{{10, 10}, {50, 10}, {100, 10}, {150, 10}}},
		{"not a number", [4]Pt{{math.NaN(), 10}, {190, 10}, {190, 190}, {10, 190}}},
		{"huge", [4]Pt{{0, 0}, {1e6, 0}, {1e6, 1e6}, {0, 1e6}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := Rectify(img, tc.corners); err == nil {
				t.Fatal("no error")
			} else {
				t.Log(err)
			}
		})
	}
	if _, _, err := Rectify(nil, [4]Pt{}); err == nil {
		t.Error("nil image: no error")
	}
}

func TestFindSheetCornersNone(t *testing.T) {
	img, _ := loadFixture(t, 1) // a scan: the sheet fills the frame
	if _, err := FindSheetCorners(img); !errors.Is(err, ErrNoSheetEdge) {
		t.Errorf("a scan: %v, want ErrNoSheetEdge", err)
	}
	flat := image.NewGray(image.Rect(0, 0, 300, 300))
	for i := range flat.Pix {
		flat.Pix[i] = 90
	}
	if _, err := FindSheetCorners(flat); !errors.Is(err, ErrNoSheetEdge) {
		t.Errorf("a grey card: %v, want ErrNoSheetEdge", err)
	}
	// tracing a scan with FindCorners traces it as it is
	p, err := Detect(img, Options{FindCorners: true, SkipNumbers: true})
	if err != nil || p.Corners != nil {
		t.Errorf("scan with FindCorners: %v, corners %v", err, p.Corners)
	}
}

// TestPhotoFlattened photographs fixture-sized sheets at an angle on a
// darker table (sheetgen.PhotoOf, a known homography), finds the corners,
// flattens, traces, and scores the houses in the photo's pixels.
func TestPhotoFlattened(t *testing.T) {
	if _, err := sheetgen.FindFont(); errors.Is(err, sheetgen.ErrNoFont) {
		t.Skipf("skipped: %v", err)
	}
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			s, err := sheetgen.Generate(seed, sheetgen.Options{Houses: 30, PageW: 620, PageH: 860})
			if err != nil {
				t.Fatal(err)
			}
			ph, err := sheetgen.PhotoOf(s, seed, sheetgen.PhotoOptions{})
			if err != nil {
				t.Fatal(err)
			}
			c, err := FindSheetCorners(ph.Image)
			if err != nil {
				t.Fatal(err)
			}
			worst := 0.0
			for i := range 4 {
				worst = math.Max(worst, math.Hypot(c[i][0]-ph.Corners[i][0], c[i][1]-ph.Corners[i][1]))
			}
			t.Logf("corners found within %.2f px of the true ones", worst)
			if worst > 4 {
				t.Errorf("corners %v, true %v", c, ph.Corners)
			}
			// the truth in the photo's pixels
			toPhoto, err := HomographyFrom([4]Pt{{0, 0}, {float64(s.Truth.Width), 0}, {float64(s.Truth.Width), float64(s.Truth.Height)}, {0, float64(s.Truth.Height)}}, [4]Pt(toPts(ph.Corners[:])))
			if err != nil {
				t.Fatal(err)
			}
			var rings [][]Pt
			for _, r := range truthRings(s.Truth) {
				for i := range r {
					r[i] = toPhoto.Apply(r[i])
				}
				rings = append(rings, r)
			}
			for _, mode := range []string{"found", "given"} {
				o := Options{SkipNumbers: true, FindCorners: mode == "found"}
				if mode == "given" {
					cs := [4]Pt(toPts(ph.Corners[:]))
					o.Corners = &cs
				}
				p, err := Detect(ph.Image, o)
				if err != nil {
					t.Fatal(err)
				}
				if p.Corners == nil || p.Width != ph.Image.Rect.Dx() {
					t.Fatalf("%s: not flattened", mode)
				}
				sc := ScoreHouses(rings, p.Houses)
				t.Logf("%s: houses %d of %d, %d of %d right; flat sheet %d×%d (true %d×%d)", mode, sc.Found, sc.Truth, sc.Right, sc.Proposed, p.FlatWidth, p.FlatHeight, s.Truth.Width, s.Truth.Height)
				if sc.Recall < 0.9 || sc.Precision < 0.9 {
					t.Errorf("%s: recall %.2f precision %.2f", mode, sc.Recall, sc.Precision)
				}
			}
		})
	}
}

func toPts(ps []sheetgen.Pt) []Pt {
	out := make([]Pt, len(ps))
	for i, p := range ps {
		out[i] = Pt(p)
	}
	return out
}
