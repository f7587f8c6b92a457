package render

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"cunjing/maps"
	"cunjing/maps/maptest"
	"cunjing/maps/route"
	"cunjing/maps/synth"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

var update = flag.Bool("update", false, "rewrite golden images in testdata")

func testRenderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := NewRenderer(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRenderGolden renders the fixture at a few viewports and compares with
// the PNGs in testdata (regenerate with go test -run TestRenderGolden -update
// after looking at the new images).
func TestRenderGolden(t *testing.T) {
	v := maptest.FixtureVillage()
	ix := maps.BuildIndex(v)
	stop := maps.Point{X: 140, Y: 50}
	cases := []struct {
		name string
		vp   Viewport
		st   *Style
	}{
		{"overview", NewViewport(480, 300, ix.Extent(), 8), &Style{}},
		{"zoomed-names", Viewport{Center: maps.Point{X: 70, Y: 75}, Scale: 9, W: 400, H: 300}, &Style{Names: true, Highlight: []string{"H3"}}},
		{"route-select", NewViewport(480, 300, ix.Extent(), 8), &Style{
			Selected: "H14",
			Route: &RouteOverlay{
				Drive: []maps.Point{{X: 200, Y: 50}, {X: 140, Y: 50}},
				Hose:  []maps.Point{{X: 140, Y: 50}, {X: 140, Y: 80}, {X: 156, Y: 96}},
				Stop:  &stop,
			},
		}},
	}
	r := testRenderer(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img, err := r.RenderImage(ix, c.vp, c.st)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("testdata", "render-"+c.name+".png"), img)
		})
	}
}

func checkGolden(t *testing.T, path string, img *image.RGBA) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("golden %s missing (run with -update): %v", path, err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if want.Bounds() != img.Bounds() {
		t.Fatalf("size %v, golden %v", img.Bounds(), want.Bounds())
	}
	// Allow tiny anti-aliasing differences (float rounding across CPUs)
	// but not a moved or missing feature.
	bad := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g := color.RGBAModel.Convert(want.At(x, y)).(color.RGBA)
			h := img.RGBAAt(x, y)
			if absDiff(g.R, h.R) > 8 || absDiff(g.G, h.G) > 8 || absDiff(g.B, h.B) > 8 {
				bad++
			}
		}
	}
	if limit := b.Dx() * b.Dy() / 500; bad > limit {
		out := filepath.Join(t.TempDir(), filepath.Base(path))
		_ = os.WriteFile(out, buf.Bytes(), 0o644)
		t.Fatalf("%d pixels differ from %s (limit %d); got image written to %s", bad, path, limit, out)
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// TestRenderShowsFeatures checks colours that must be on the picture, so
// a golden regenerated carelessly cannot hide a vanished layer.
func TestRenderShowsFeatures(t *testing.T) {
	v := maptest.FixtureVillage()
	ix := maps.BuildIndex(v)
	vp := Viewport{Center: maps.Point{X: 100, Y: 60}, Scale: 4, W: 900, H: 520}
	img, err := testRenderer(t).RenderImage(ix, vp, &Style{})
	if err != nil {
		t.Fatal(err)
	}
	at := func(p maps.Point) color.RGBA {
		s := vp.ToScreen(p)
		return img.RGBAAt(int(s.X), int(s.Y))
	}
	tests := []struct {
		name string
		p    maps.Point
		want color.RGBA
	}{
		{"wide lane fill", maps.Point{X: 20, Y: 50}, colLaneFill},
		{"narrow lane fill", maps.Point{X: 140, Y: 65}, colNarrowFill},
		{"red warning tint", maps.Point{X: 41, Y: 98}, colWarnRedTint},
		{"green warning tint", maps.Point{X: 41, Y: 72}, colWarnGreenTint},
		{"plain house", maps.Point{X: 11, Y: 31}, colHouse},
		{"background", maps.Point{X: 190, Y: 100}, colBackground},
	}
	for _, tc := range tests {
		if got := at(tc.p); got != tc.want {
			t.Errorf("%s at %v: got %v, want %v", tc.name, tc.p, got, tc.want)
		}
	}
	// The hydrant symbol is red somewhere near its point.
	hs := vp.ToScreen(maps.Point{X: 120, Y: 55})
	found := false
	for dy := -6; dy <= 6 && !found; dy++ {
		for dx := -6; dx <= 6; dx++ {
			if img.RGBAAt(int(hs.X)+dx, int(hs.Y)+dy) == LandmarkColour(maps.KindHydrant) {
				found = true
				break
			}
		}
	}
	if !found {
		t.Error("hydrant symbol not drawn")
	}
}

func TestRenderBadViewport(t *testing.T) {
	ix := maps.BuildIndex(maptest.FixtureVillage())
	r := testRenderer(t)
	for _, vp := range []Viewport{{W: 0, H: 10, Scale: 1}, {W: 10, H: 10, Scale: 0}, {W: 1e6, H: 1e6, Scale: 1}} {
		if _, err := r.RenderImage(ix, vp, nil); err == nil {
			t.Errorf("viewport %+v: want error", vp)
		}
	}
}

func TestRenderEmptyVillage(t *testing.T) {
	ix := maps.BuildIndex(&maps.Village{})
	img, err := testRenderer(t).RenderImage(ix, Viewport{W: 50, H: 40, Scale: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if img.RGBAAt(25, 20) != colBackground {
		t.Errorf("empty map: got %v", img.RGBAAt(25, 20))
	}
}

func TestNewRendererBadFont(t *testing.T) {
	if _, err := NewRenderer([]byte("not a font")); err == nil {
		t.Fatal("want error for garbage font")
	}
	r, err := NewRenderer(nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.TextWidth("123", 12) != 0 {
		t.Error("no font should measure 0")
	}
}

// TestRenderSyntheticRoute draws a real route on the synthetic village and
// checks the stop dot and hose colour appear where the route says.
func TestRenderSyntheticRoute(t *testing.T) {
	v, err := synth.Village(5, 320)
	if err != nil {
		t.Fatal(err)
	}
	var res *route.Result
	for _, h := range v.Houses {
		r, err := route.Find(v, route.Options{To: h.Number})
		if err == nil && r.Reachable && r.HoseM > 20 && r.Stop != nil {
			res = r
			break
		}
	}
	if res == nil {
		t.Fatal("no house in the synthetic village needs a hose")
	}
	ov := OverlayOf(res)
	ix := maps.BuildIndex(v)
	vp := Viewport{Center: *ov.Stop, Scale: 4, W: 400, H: 300}
	img, err := testRenderer(t).RenderImage(ix, vp, &Style{Route: ov})
	if err != nil {
		t.Fatal(err)
	}
	if c := img.RGBAAt(200, 150); c != colHose {
		t.Errorf("stop dot: %v", c)
	}
	// The water sources the sentence names are ringed.
	if len(ov.Water) == 0 || len(ov.Water) != len(res.NamedWater()) {
		t.Fatalf("overlay water %v, named %v", ov.Water, res.NamedWater())
	}
	w := ov.Water[0]
	plain, err := testRenderer(t).RenderImage(ix, Viewport{Center: w, Scale: 4, W: 200, H: 200}, &Style{})
	if err != nil {
		t.Fatal(err)
	}
	ringed, err := testRenderer(t).RenderImage(ix, Viewport{Center: w, Scale: 4, W: 200, H: 200}, &Style{Route: &RouteOverlay{Water: ov.Water}})
	if err != nil {
		t.Fatal(err)
	}
	red := 0
	for y := 60; y < 140; y++ {
		for x := 60; x < 140; x++ {
			if ringed.RGBAAt(x, y) == colHose && plain.RGBAAt(x, y) != colHose {
				red++
			}
		}
	}
	if red < 20 {
		t.Errorf("no ring round the water source at %v (%d red pixels)", w, red)
	}
	if OverlayOf(nil) != nil {
		t.Error("nil route gave an overlay")
	}
}

// TestTextFallsBackForMissingCharacters: a character the renderer's font
// lacks (here every CJK one: the Go font; in the window, 㙟 or 𠮷 in a
// lane's name with wqy-microhei) was drawn as the font's empty box; with
// SetFallbacks it is drawn from the first fallback font that has it, and
// the fallbacks are loaded only when such a character comes. Skipped
// without Droid Sans Fallback (make deps installs it).
func TestTextFallsBackForMissingCharacters(t *testing.T) {
	data, err := os.ReadFile("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
	if err != nil {
		t.Skip("no Droid Sans Fallback on this machine")
	}
	cjk, err := sfnt.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	ink := func(r *Renderer, s string) int {
		img := image.NewRGBA(image.Rect(0, 0, 80, 40))
		r.dst, r.clip = img, img.Bounds()
		r.Text(maps.Point{X: 4, Y: 20}, 24, s, color.RGBA{0, 0, 0, 0xff}, false, false)
		n := 0
		for i := 3; i < len(img.Pix); i += 4 {
			if img.Pix[i] > 128 {
				n++
			}
		}
		return n
	}
	plain := testRenderer(t)
	with := testRenderer(t)
	loads := 0
	with.SetFallbacks(func() []*sfnt.Font { loads++; return []*sfnt.Font{cjk} })
	if ink(with, "203") != ink(plain, "203") || loads != 0 {
		t.Fatalf("digits: drawn differently or fallbacks loaded (%d times)", loads)
	}
	// 巷 is dense: far more ink than the empty box.
	box, lane := ink(plain, "巷"), ink(with, "巷")
	if lane < 2*box || loads != 1 {
		t.Errorf("巷 with a fallback: %d pixels of ink, the box %d; fallbacks loaded %d times, want once", lane, box, loads)
	}
	ink(with, "巷口")
	if loads != 1 {
		t.Errorf("fallbacks loaded %d times, want once", loads)
	}
}
