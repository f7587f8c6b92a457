package ecard

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"testing"
)

// bands counts the bands of ink in img's rows from the top down to row
// to: runs of rows with a dark pixel, parted by rows with none.
func bands(img *image.RGBA, to int) int {
	n, in := 0, false
	for y := 0; y < to; y++ {
		dark := false
		for x := 0; x < img.Bounds().Dx() && !dark; x++ {
			dark = img.RGBAAt(x, y).R < 0x80
		}
		if dark && !in {
			n++
		}
		in = dark
	}
	return n
}

// The phone card drew a name typed with combining marks mark by mark
// from its main font, which has no U+0304: Zha□ng, a box with an advance
// where the macron goes (the A4 card and every PDF composed it). It now
// composes as the PDF does (Zhāng, as wide as the precomposed name) and
// draws a mark no precomposed form takes from a fallback font, raised
// over an accent: ê̄ has its macron and circumflex apart (three bands of
// ink down to the e's top, as ē has two).
func TestCardTextComposesMarks(t *testing.T) {
	td, err := fontDrawer(testFont(t))
	if err != nil {
		t.Fatal(err)
	}
	const px = 80.0
	if w, want := td.Width("Zha\u0304ng", px), td.Width("Zh\u0101ng", px); math.Abs(w-want) > 0.5 {
		t.Errorf("Zha+U+0304+ng is %.1f px wide, Zhāng %.1f", w, want)
	}
	for _, c := range []struct {
		s    string
		want int
	}{{"e\u0304", 2}, {"\u00ea\u0304", 3}} {
		img := image.NewRGBA(image.Rect(0, 0, 200, 200))
		draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		const base = 150.0
		td.draw(img, 40, base, px, color.RGBA{0, 0, 0, 255}, false, c.s)
		if got := bands(img, int(base-0.45*px)); got != c.want {
			t.Errorf("%+q: %d bands of ink down to the e's top, want %d", c.s, got, c.want)
		}
	}
}
