package print

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"cunjing/print/printtest"
)

// inkBands counts the bands of ink from the top of img down to row to:
// runs of rows with a dark pixel, parted by rows with none.
func inkBands(img image.Image, to int) int {
	b := img.Bounds()
	bands, in := 0, false
	for y := b.Min.Y; y < min(to, b.Max.Y); y++ {
		dark := false
		for x := b.Min.X; x < b.Max.X && !dark; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			dark = (r+g+bl)/3 < 0x8000
		}
		if dark && !in {
			bands++
		}
		in = dark
	}
	return bands
}

// ê̄ (ê and a combining macron: Unicode has no precomposed form, and the
// macron comes from a fallback font, drawn where it sits over a plain e)
// printed its macron across the circumflex: one band of ink above the e
// where there are two. The macron is now raised over the circumflex
// (typeset.Metrics.Rise), in the PDF and in the preview: down to the top
// of the e's body there are three bands of ink, macron, circumflex and
// the e, with paper between (two before); ē has two.
func TestStackedMarkClearsTheAccent(t *testing.T) {
	font := printtest.Font(t)
	const pt, baseY = 60.0, 30.0
	for _, c := range []struct {
		s    string
		want int
	}{
		{"e\u0304", 2},      // ē, precomposed: the macron, the e's top
		{"\u00ea\u0304", 3}, // ê̄: the macron, the circumflex, the e's top
		{"e\u0302\u0304", 3},
	} {
		pg := Page{W: 40, H: 40, Draw: func(s Surface) error {
			s.Text(10, baseY, pt, Style{Color: Black}, c.s)
			return nil
		}}
		// The rows down to 0.45 em above the baseline (the e's top
		// is at ~0.55 em), at 300 dpi.
		dpi := 300.0
		to := int((baseY - 0.45*pt*0.3528) / 25.4 * dpi)
		p := printtest.WriteTemp(t, "stack.pdf", func(buf *bytes.Buffer) error {
			return WritePDF(context.Background(), buf, font, DocInfo{Title: "marks"}, []Page{pg}, nil)
		})
		printtest.Poppler(t, "pdftoppm", "-r", "300", "-png", "-singlefile", p, filepath.Join(filepath.Dir(p), "stack"))
		f, err := os.Open(filepath.Join(filepath.Dir(p), "stack.png"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := inkBands(img, to); got != c.want {
			t.Errorf("%+q in the PDF: %d bands of ink down to the e's top, want %d", c.s, got, c.want)
		}
		pre, err := Rasterize(font, pg, int(40/25.4*dpi))
		if err != nil {
			t.Fatal(err)
		}
		if got := inkBands(pre, to); got != c.want {
			t.Errorf("%+q in the preview: %d bands of ink down to the e's top, want %d", c.s, got, c.want)
		}
	}
}
