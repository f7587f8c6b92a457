package typeset

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"cunjing/print/fonts"
)

// Bold ink bounds (docs/PRINTING.md): rasterised by poppler, the bold
// title has BoldInkMin–BoldInkMax times the regular weight's ink, and each
// dense character keeps at least BoldHoleAreaKept of the white area
// enclosed by its strokes (its counters). The uniform stroke this replaced
// (0.045 em) kept 40% of 警's and 30% of 骗's.
const (
	BoldInkMin       = 1.15
	BoldInkMax       = 1.8
	BoldHoleAreaKept = 0.5
)

// renderLines draws each text on its own line of a page, regular or bold,
// and rasterises the page with pdftoppm at dpi; it returns the image and
// each line's baseline and left edge in pixels.
func renderLines(t *testing.T, pt, dpi float64, bold bool, texts ...string) (*image.Gray, []float64) {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) not installed")
	}
	f, err := fonts.Find("")
	if err != nil {
		t.Skipf("no CJK font: %v", err)
	}
	p, err := NewPDF(context.Background(), f, Info{Title: "bold"})
	if err != nil {
		t.Fatal(err)
	}
	em := pt * PtMM
	w := 0.0
	for _, s := range texts {
		w = max(w, p.M.Width(s, pt))
	}
	p.AddPage(w+2*em, float64(len(texts))*em*1.6+em)
	var bases []float64
	for i, s := range texts {
		y := em*1.2 + float64(i)*em*1.6
		p.Text(em, y, pt, color.RGBA{0, 0, 0, 255}, bold, s)
		bases = append(bases, y)
	}
	img := rasterise(t, p, "-r", fmt.Sprint(dpi), "-singlefile")[0]
	g := image.NewGray(img.Bounds())
	for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y++ {
		for x := g.Rect.Min.X; x < g.Rect.Max.X; x++ {
			g.Set(x, y, img.At(x, y))
		}
	}
	return g, bases
}

// rasterise writes p and renders its pages in grey with pdftoppm and the
// options given; it returns the pages' images in order.
func rasterise(t *testing.T, p *PDF, opts ...string) []image.Image {
	t.Helper()
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "p.pdf")
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append(append([]string{"-gray", "-png"}, opts...), in, filepath.Join(dir, "p"))
	if out, err := exec.Command("pdftoppm", args...).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	names, err := filepath.Glob(filepath.Join(dir, "p*.png"))
	if err != nil || len(names) == 0 {
		t.Fatalf("pdftoppm wrote no page: %v", err)
	}
	sort.Strings(names) // p-1.png, p-2.png …: as many pages as digits here
	var pages []image.Image
	for _, n := range names {
		r, err := os.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, img)
	}
	return pages
}

// ink is the coverage of r: the sum of darkness over its pixels.
func ink(g *image.Gray, r image.Rectangle) float64 {
	sum := 0.0
	r = r.Intersect(g.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			sum += float64(255-g.GrayAt(x, y).Y) / 255
		}
	}
	return sum
}

// holes counts the white regions inside r that do not touch its edge (a
// glyph's counters), ignoring specks under 3 pixels, and their area.
func holes(g *image.Gray, r image.Rectangle) (n, area int) {
	r = r.Intersect(g.Rect)
	seen := map[image.Point]bool{}
	white := func(p image.Point) bool { return g.GrayAt(p.X, p.Y).Y >= 128 }
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := image.Pt(x, y)
			if seen[p] || !white(p) {
				continue
			}
			stack := []image.Point{p}
			seen[p] = true
			size, edge := 0, false
			for len(stack) > 0 {
				q := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				size++
				for _, d := range []image.Point{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
					nb := q.Add(d)
					if !nb.In(r) {
						edge = true
						continue
					}
					if !seen[nb] && white(nb) {
						seen[nb] = true
						stack = append(stack, nb)
					}
				}
			}
			if !edge && size >= 3 {
				n++
				area += size
			}
		}
	}
	return n, area
}

// The board title's 警 was a solid block: bold filled its counters. Now
// the title is clearly heavier than regular, within bounds, and 警 and 骗
// keep their counters.
func TestBoldStaysLegible(t *testing.T) {
	const pt, dpi = 46.7, 100.0 // the A4 board's title; about 65 px per em
	title := "打架成本警示牌"
	reg, bases := renderLines(t, pt, dpi, false, title, "防范电信网络诈骗")
	bold, _ := renderLines(t, pt, dpi, true, title, "防范电信网络诈骗")
	m := metrics(t)
	px := dpi / 25.4
	em := pt * PtMM
	lineBox := func(i int) image.Rectangle {
		return image.Rect(0, int((bases[i]-em)*px), reg.Rect.Dx(), int((bases[i]+0.3*em)*px))
	}
	ratio := ink(bold, lineBox(0)) / ink(reg, lineBox(0))
	t.Logf("bold/regular ink of %s: %.2f", title, ratio)
	if ratio < BoldInkMin || ratio > BoldInkMax {
		t.Errorf("bold title has %.2f× the regular ink, want %.2f–%.2f", ratio, BoldInkMin, BoldInkMax)
	}
	glyphBox := func(line int, text string, r rune) image.Rectangle {
		x := em
		for _, c := range text {
			if c == r {
				break
			}
			x += m.Width(string(c), pt)
		}
		up, down := m.Ink(string(r), pt)
		return image.Rect(int(x*px), int((bases[line]-up)*px)-1, int((x+m.Width(string(r), pt))*px)+1, int((bases[line]+down)*px)+1)
	}
	for _, c := range []struct {
		line int
		text string
		r    rune
	}{{0, title, '警'}, {1, "防范电信网络诈骗", '骗'}, {0, title, '架'}} {
		box := glyphBox(c.line, c.text, c.r)
		rn, ra := holes(reg, box)
		bn, ba := holes(bold, box)
		t.Logf("%c: regular %d counters (%d px), bold %d (%d px)", c.r, rn, ra, bn, ba)
		if rn == 0 {
			t.Fatalf("%c: no counters found in the regular weight (box %v)", c.r, box)
		}
		if bn == 0 || float64(ba) < BoldHoleAreaKept*float64(ra) {
			t.Errorf("%c: bold keeps %d of %d px of counters (%d regions); want ≥ %.0f%%", c.r, ba, ra, bn, BoldHoleAreaKept*100)
		}
	}
}

// Bold 1 was as thin as regular: the narrow white between its flag and its
// stem (a wedge open to the outside, not a counter) counted as a gap to keep
// open, so 1 got the least stroke (0.014 em) while 0 got the most, and the
// boards' 110 and every phone number in bold read as two weights
// (紧急情况 请拨打 110, 电话：139 0392 1110). Rendered by poppler, each 1 now
// gains about as much ink as each 0 does, and 人 (a wedge too) as much as 八.
func TestBoldDigitsAlike(t *testing.T) {
	const pt, dpi = 23.2, 100.0 // a board's body at A4
	texts := []string{"1110", "八人"}
	reg, bases := renderLines(t, pt, dpi, false, texts...)
	bold, _ := renderLines(t, pt, dpi, true, texts...)
	m := metrics(t)
	px := dpi / 25.4
	em := pt * PtMM
	gain := func(line int, i int) float64 {
		x := em
		for k, c := range texts[line] {
			if k == i {
				w := m.Width(string(c), pt)
				// The glyph's advance and a margin for the stroke.
				r := image.Rect(int((x-0.05*em)*px), int((bases[line]-em)*px), int((x+w+0.05*em)*px), int((bases[line]+0.3*em)*px))
				return ink(bold, r) / ink(reg, r)
			}
			x += m.Width(string(c), pt)
		}
		t.Fatalf("no character %d in %q", i, texts[line])
		return 0
	}
	one, zero := gain(0, 0), gain(0, 3)
	ren, ba := gain(1, 3), gain(1, 0) // byte offsets: 八 is 3 bytes
	t.Logf("bold/regular ink: 1 %.2f, 0 %.2f, 人 %.2f, 八 %.2f", one, zero, ren, ba)
	if one < 0.85*zero {
		t.Errorf("bold 1 gains %.2f× its ink, 0 %.2f×: want 1 within 15%% of 0", one, zero)
	}
	if ren < 0.85*ba {
		t.Errorf("bold 人 gains %.2f× its ink, 八 %.2f×: want 人 within 15%% of 八", ren, ba)
	}
}

// A dashed line drawn last on a page (the leaflet's fold line) left its
// dash pattern on: gofpdf carries it onto the next page, while the new
// page's Reset took the stroke for solid, so the bold headings inside
// the fire leaflet (电动车充电, 用电用气) were outlined with a dashed pen,
// their edges ragged. A bold text on the next page now prints as it does
// on the first.
func TestBoldAfterADashedLineOnTheLastPage(t *testing.T) {
	for _, bin := range []string{"pdftoppm"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s (poppler-utils) not installed", bin)
		}
	}
	f, err := fonts.Find("")
	if err != nil {
		t.Skipf("no CJK font: %v", err)
	}
	p, err := NewPDF(context.Background(), f, Info{Title: "dash"})
	if err != nil {
		t.Fatal(err)
	}
	const pt, w, h = 24.0, 80.0, 40.0
	black := color.RGBA{0, 0, 0, 255}
	for page := range 2 {
		p.AddPage(w, h)
		p.Text(4, 14, pt, black, true, "电动车充电")
		if page == 0 {
			p.SetStroke(black, 0.3, true) // the fold line, drawn last
			p.Line(w/2, 30, w/2, h)
		}
	}
	pages := rasterise(t, p, "-r", "300", "-y", "0", "-H", "300")
	if len(pages) != 2 {
		t.Fatalf("%d pages rendered, want 2", len(pages))
	}
	differ, inked := 0, 0
	b := pages[0].Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			a, _, _, _ := pages[0].At(x, y).RGBA()
			c, _, _, _ := pages[1].At(x, y).RGBA()
			if a < 0x8000 {
				inked++
			}
			if d := int(a>>8) - int(c>>8); d > 64 || d < -64 {
				differ++
			}
		}
	}
	if inked < 1000 {
		t.Fatalf("%d inked pixels: the text was not drawn", inked)
	}
	if differ > inked/100 {
		t.Errorf("the bold text on the page after a dashed line differs in %d of its %d inked pixels", differ, inked)
	}
}
