package trace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"math"
	"os"
	"path/filepath"
	"testing"

	"cunjing/maps/trace/sheetgen"
)

func loadFixture(t testing.TB, seed int) (*image.Gray, sheetgen.Truth) {
	t.Helper()
	base := filepath.Join("testdata", fmt.Sprintf("sheet-%d", seed))
	f, err := os.Open(base + ".jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(base + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var tr sheetgen.Truth
	if err := json.Unmarshal(raw, &tr); err != nil {
		t.Fatal(err)
	}
	return img, tr
}

func truthRings(tr sheetgen.Truth) [][]Pt {
	var out [][]Pt
	for _, h := range tr.Houses {
		r := make([]Pt, len(h.Outline))
		for i, p := range h.Outline {
			r[i] = Pt(p)
		}
		out = append(out, r)
	}
	return out
}

// TestDetectFixtures runs detection on the kept sheets, with and without
// the scale, and holds the figures at the level reached.
func TestDetectFixtures(t *testing.T) {
	for _, tc := range []struct {
		seed  int
		scale bool
		min   float64 // recall and precision at least
	}{
		{1, true, 0.9}, {2, true, 0.9}, {3, true, 0.9},
		{1, false, 0.9}, {2, false, 0.9}, {3, false, 0.9},
	} {
		t.Run(fmt.Sprintf("%d/scale=%v", tc.seed, tc.scale), func(t *testing.T) {
			img, tr := loadFixture(t, tc.seed)
			o := Options{}
			if tc.scale {
				o.PxPerM = tr.PxPerM
			}
			p, err := Detect(img, o)
			if err != nil {
				t.Fatal(err)
			}
			s := ScoreHouses(truthRings(tr), p.Houses)
			t.Logf("recall %d/%d, precision %d/%d", s.Found, s.Truth, s.Right, s.Proposed)
			if s.Recall < tc.min || s.Precision < tc.min {
				t.Errorf("recall %.2f precision %.2f, want ≥ %.2f", s.Recall, s.Precision, tc.min)
			}
			ponds := 0
			for _, l := range tr.Landmarks {
				if l.Kind == "pond" {
					ponds++
				}
			}
			proposed := 0
			for _, l := range p.Landmarks {
				if l.Kind == "pond" {
					proposed++
				}
			}
			if near := pondsNear(tr, p.Landmarks); near != ponds || proposed != ponds {
				t.Errorf("%d pond proposals, %d near the %d true ponds", proposed, near, ponds)
			}
			for _, h := range p.Houses {
				if len(h.Outline) < 4 || h.Confidence < 0 || h.Confidence > 1 {
					t.Errorf("house %+v", h)
				}
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	img, _ := loadFixture(t, 1)
	var sheet bytes.Buffer
	raw, err := os.ReadFile(filepath.Join("testdata", "sheet-1.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	sheet.Write(raw[:len(raw)/2])
	blank := image.NewGray(image.Rect(0, 0, 400, 300))
	for i := range blank.Pix {
		blank.Pix[i] = 230
	}
	for _, tc := range []struct {
		name string
		run  func() error
	}{
		{"truncated jpeg", func() error { _, err := Decode(&sheet); return err }},
		{"not an image", func() error { _, err := Decode(bytes.NewReader([]byte("hello, map"))); return err }},
		{"1x1", func() error { _, err := Detect(image.NewGray(image.Rect(0, 0, 1, 1)), Options{}); return err }},
		{"huge", func() error { _, err := Decode(bytes.NewReader(pngHeader(20000, 20000))); return err }},
		{"empty sheet", func() error { _, err := Detect(blank, Options{}); return err }},
		{"bad scale", func() error { _, err := Detect(img, Options{PxPerM: -1}); return err }},
		{"nil", func() error { _, err := Detect(nil, Options{}); return err }},
		{"noise photo, corners looked for", func() error { _, err := Detect(noise(640, 480), Options{FindCorners: true}); return err }},
		{"empty sheet, corners given", func() error {
			_, err := Detect(blank, Options{Corners: &[4]Pt{{10, 10}, {390, 12}, {385, 290}, {8, 288}}})
			return err
		}},
		{"corners off the image", func() error {
			_, err := Detect(blank, Options{Corners: &[4]Pt{{-5e5, -5e5}, {5e5, -5e5}, {5e5, 5e5}, {-5e5, 5e5}}})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil {
				t.Fatal("no error")
			}
			t.Log(err)
		})
	}
}

// pngHeader is a PNG's signature and IHDR for a w×h grey image, without pixels.
func pngHeader(w, h int) []byte {
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	b = append(b, byte(w>>24), byte(w>>16), byte(w>>8), byte(w), byte(h>>24), byte(h>>16), byte(h>>8), byte(h), 8, 0, 0, 0, 0)
	c := crc32.ChecksumIEEE(b[12:])
	return append(b, byte(c>>24), byte(c>>16), byte(c>>8), byte(c))
}

func FuzzDecode(f *testing.F) {
	raw, err := os.ReadFile(filepath.Join("testdata", "sheet-1.jpg"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw[:2000])
	f.Add(pngHeader(40, 40))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		if n := img.Rect.Dx() * img.Rect.Dy(); n > MaxPixels || img.Rect.Dx() < MinSide {
			t.Fatalf("accepted %v", img.Rect)
		}
		if img.Rect.Dx()*img.Rect.Dy() <= 1<<20 { // keep each run quick
			// a photo's corners looked for on every other input
			_, _ = Detect(img, Options{FindCorners: len(data)%2 == 0})
		}
	})
}

// pondsNear counts the true ponds with a pond proposal within 4 m.
func pondsNear(tr sheetgen.Truth, got []Landmark) int {
	n := 0
	for _, l := range tr.Landmarks {
		if l.Kind != "pond" {
			continue
		}
		for _, g := range got {
			if dx, dy := g.At[0]-l.At[0], g.At[1]-l.At[1]; g.Kind == "pond" && dx*dx+dy*dy <= 16*tr.PxPerM*tr.PxPerM {
				n++
				break
			}
		}
	}
	return n
}

// noise is a photo of nothing in particular: grey noise with soft blobs.
func noise(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	var x uint32 = 2463534242
	for i := range img.Pix {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		v := 90 + int(x%120) + int(40*math.Sin(float64(i%w)/37)*math.Cos(float64(i/w)/23))
		img.Pix[i] = uint8(max(0, min(255, v)))
	}
	return img
}

// FuzzRectify flattens a small sheet from arbitrary corners (as clicked):
// an error or a flat sheet, never a crash.
func FuzzRectify(f *testing.F) {
	img, _ := loadFixture(f, 1)
	f.Add(10.0, 10.0, 600.0, 12.0, 590.0, 840.0, 8.0, 850.0)
	f.Add(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
	f.Add(10.0, 10.0, 590.0, 840.0, 600.0, 12.0, 8.0, 850.0)
	f.Fuzz(func(t *testing.T, x0, y0, x1, y1, x2, y2, x3, y3 float64) {
		c := [4]Pt{{x0, y0}, {x1, y1}, {x2, y2}, {x3, y3}}
		d := func(a, b Pt) float64 { return math.Hypot(b[0]-a[0], b[1]-a[1]) }
		if w, h := (d(c[0], c[1])+d(c[3], c[2]))/2, (d(c[0], c[3])+d(c[1], c[2]))/2; w*h > 1<<21 {
			t.Skip("keep each run quick")
		}
		flat, back, err := Rectify(img, c)
		if err != nil {
			return
		}
		if flat.Rect.Dx() < MinSide || flat.Rect.Dy() < MinSide {
			t.Fatalf("flat sheet %v", flat.Rect)
		}
		// the flat sheet's corner goes back to the first corner given
		if p := back.Apply(Pt{0, 0}); d(p, c[0]) > 1e-3*(1+math.Abs(c[0][0])+math.Abs(c[0][1])) {
			t.Errorf("flat (0,0) → %v, want %v", p, c[0])
		}
	})
}
