package sheetgen

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the fixture sheets in ../testdata")

// FixtureSeeds are the sheets kept as fixtures in maps/trace/testdata.
var fixtureSeeds = []int64{1, 2, 3}

// fixtureOptions draws a small village on a small page.
var fixtureOptions = Options{Houses: 30, PageW: 620, PageH: 860}

func needFont(t *testing.T) {
	t.Helper()
	if _, err := FindFont(); errors.Is(err, ErrNoFont) {
		t.Skipf("skipped: %v", err)
	}
}

func TestGenerateTruth(t *testing.T) {
	needFont(t)
	for _, tc := range []struct {
		seed   int64
		houses int
	}{{1, 30}, {7, 60}} {
		t.Run(fmt.Sprint(tc.seed), func(t *testing.T) {
			s, err := Generate(tc.seed, Options{Houses: tc.houses, PageW: 620, PageH: 860})
			if err != nil {
				t.Fatal(err)
			}
			tr := s.Truth
			if b := s.Image.Bounds(); b.Dx() != tr.Width || b.Dy() != tr.Height {
				t.Fatalf("image %v, truth %d×%d", b, tr.Width, tr.Height)
			}
			// one house became the empty plot
			if len(tr.Houses) != tc.houses-1 {
				t.Errorf("%d houses in truth, want %d", len(tr.Houses), tc.houses-1)
			}
			kinds := map[string]int{}
			for _, l := range tr.Landmarks {
				kinds[l.Kind]++
			}
			if kinds["empty"] != 1 || kinds["pond"] < 1 || kinds["well"] < 1 {
				t.Errorf("landmarks %v: want an empty plot, a pond and a well", kinds)
			}
			crossed := 0
			for _, h := range tr.Houses {
				if h.Number == "" || len(h.Outline) < 4 {
					t.Fatalf("house %+v", h)
				}
				if h.Crossed != "" {
					crossed++
				}
				for _, p := range h.Outline {
					if p[0] < 0 || p[1] < 0 || p[0] >= float64(tr.Width) || p[1] >= float64(tr.Height) {
						t.Fatalf("house %s outside the sheet at %v", h.Number, p)
					}
				}
			}
			if crossed != 1 {
				t.Errorf("%d crossed-out numbers, want 1", crossed)
			}
			if len(tr.Lanes) == 0 || tr.PxPerM < 1 {
				t.Errorf("lanes %d, px/m %.2f", len(tr.Lanes), tr.PxPerM)
			}
			// the sheet is mostly paper with some pencil on it
			dark := 0
			for _, v := range s.Image.Pix {
				if v < 100 {
					dark++
				}
			}
			if f := float64(dark) / float64(len(s.Image.Pix)); f < 0.002 || f > 0.3 {
				t.Errorf("dark fraction %.3f", f)
			}
		})
	}
}

func TestGenerateDeterministic(t *testing.T) {
	needFont(t)
	a, err := Generate(5, fixtureOptions)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(5, fixtureOptions)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Image.Pix, b.Image.Pix) {
		t.Error("same seed gave different sheets")
	}
}

func TestGenerateBadOptions(t *testing.T) {
	for _, o := range []Options{
		{Houses: 0, PageW: 600, PageH: 600},
		{Houses: 10, PageW: 10, PageH: 600},
		{Houses: 10, PageW: 20000, PageH: 20000},
		{Houses: 3000, PageW: 100, PageH: 100},
		{Houses: 10, PageW: 600, PageH: 600, Font: "/nonexistent/font.ttf"},
	} {
		if _, err := Generate(1, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

// TestWriteFixtures rewrites maps/trace/testdata/sheet-N.jpg (the JPEG exactly as generated)
// and sheet-N.json (its truth)
// with -update.
func TestWriteFixtures(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite the fixtures")
	}
	needFont(t)
	for _, seed := range fixtureSeeds {
		s, err := Generate(seed, fixtureOptions)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Join("..", "testdata", fmt.Sprintf("sheet-%d", seed))
		if err := os.WriteFile(base+".jpg", s.JPEG, 0o644); err != nil {
			t.Fatal(err)
		}
		js, err := json.MarshalIndent(s.Truth, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(base+".json", js, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestScaleBar(t *testing.T) {
	needFont(t)
	for _, seed := range []int64{1, 2, 3, 4} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			o := fixtureOptions
			o.ScaleBar = true
			s, err := Generate(seed, o)
			if err != nil {
				t.Fatal(err)
			}
			b := s.Truth.ScaleBar
			if b == nil {
				t.Fatal("no scale bar drawn")
			}
			l := math.Hypot(b.Ends[1][0]-b.Ends[0][0], b.Ends[1][1]-b.Ends[0][1])
			if got := l / b.Metres; math.Abs(got-s.Truth.PxPerM) > 1e-6*s.Truth.PxPerM {
				t.Errorf("bar %.1f px for %v m: %.4f px per m, sheet %.4f", l, b.Metres, got, s.Truth.PxPerM)
			}
			for _, e := range b.Ends {
				if e[0] < 0 || e[1] < 0 || e[0] >= float64(s.Truth.Width) || e[1] >= float64(s.Truth.Height) {
					t.Errorf("bar end %v off the sheet", e)
				}
				// ink under the bar's end
				if v := s.Image.GrayAt(int(e[0]), int(e[1])).Y; v > 170 {
					t.Errorf("bar end %v: grey %d, no pencil", e, v)
				}
			}
			plain, err := Generate(seed, fixtureOptions)
			if err != nil {
				t.Fatal(err)
			}
			if plain.Truth.ScaleBar != nil {
				t.Error("a scale bar without asking")
			}
		})
	}
}

func TestPhotoOf(t *testing.T) {
	needFont(t)
	s, err := Generate(1, fixtureOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		o    PhotoOptions
		ok   bool
	}{
		{"default", PhotoOptions{}, true},
		{"steep", PhotoOptions{Margin: 0.2, Tilt: 0.15}, true},
		{"tilt over margin", PhotoOptions{Margin: 0.05, Tilt: 0.1}, false},
		{"negative", PhotoOptions{Margin: -1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := PhotoOf(s, 1, tc.o)
			if (err == nil) != tc.ok {
				t.Fatalf("err %v, want ok=%v", err, tc.ok)
			}
			if !tc.ok {
				return
			}
			// the sheet is bright inside its corners, the table dark outside
			var cx, cy float64
			for _, c := range p.Corners {
				cx, cy = cx+c[0]/4, cy+c[1]/4
			}
			if v := p.Image.GrayAt(int(cx), int(cy)).Y; v < 150 {
				t.Errorf("sheet centre grey %d", v)
			}
			if v := p.Image.GrayAt(2, 2).Y; v > 130 {
				t.Errorf("table grey %d", v)
			}
			q, err := PhotoOf(s, 1, tc.o)
			if err != nil || !bytes.Equal(p.Image.Pix, q.Image.Pix) {
				t.Error("same seed, different photo")
			}
		})
	}
	if _, err := PhotoOf(nil, 1, PhotoOptions{}); err == nil {
		t.Error("nil sheet: no error")
	}
}
