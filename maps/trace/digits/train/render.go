// Package train makes the house-number recogniser's weights
// (maps/trace/digits/weights.bin): it draws synthetic hand-written numbers
// with fonts installed from Debian — varied size, stroke width, slant,
// rotation, spacing (so digits touch), pencil darkness, paper grain and
// JPEG loss — cuts them into digits with the recogniser's own
// segmentation, and trains the network by plain stochastic gradient
// descent. Everything is seeded: the same fonts and seed give the same
// bytes. One handwriting font family (HeldOut) is never trained on and is
// kept for measuring.
package train

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"strings"

	"cunjing/maps/trace/digits"
	"cunjing/maps/trace/sheetgen"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Fonts are the training fonts: handwriting-like first (Handwriting), then
// plain faces for the shapes a careful hand makes. Debian packages:
// fonts-humor-sans fonts-comic-neue fonts-breip fonts-femkeklaver
// fonts-bwht fonts-kristi fonts-tlwg-purisa-ttf fonts-sjfonts fonts-dustin
// fonts-ecolier-court fonts-nanum-extra fonts-rufscript fonts-seto
// fonts-kaushanscript fonts-klee fonts-yusei-magic fonts-yozvox-yozfont-new-kana
// fonts-dejavu-core fonts-dejavu-extra fonts-liberation. traindigits -hand
// draws a share of the numbers by the stroke hand instead (strokes.go; not
// used by make train-digits: see docs/BENCHMARKS.md).
var Fonts = append(append([]string(nil), Handwriting...),
	"/usr/share/fonts/truetype/yozvox-yozfont/YOzRN_.ttf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
	"/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
	"/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Regular.ttf",
)

// Handwriting are the handwriting-like training fonts: numbers are
// rendered alone in them and sheets are drawn with them.
var Handwriting = []string{
	"/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf",
	"/usr/share/fonts/opentype/comic-neue/ComicNeue-Regular.otf",
	"/usr/share/fonts/opentype/comic-neue/ComicNeue-Bold.otf",
	"/usr/share/fonts/opentype/comic-neue/ComicNeue-Light.otf",
	"/usr/share/fonts/opentype/comic-neue/ComicNeue-Italic.otf",
	"/usr/share/fonts/truetype/breip/Breip.ttf",
	"/usr/share/fonts/truetype/femkeklaver/femkeklaver.ttf",
	"/usr/share/fonts/opentype/bwht/BecauseWeBuild-Regular.otf",
	"/usr/share/fonts/opentype/bwht/BecauseWeConnect-Regular.otf",
	"/usr/share/fonts/opentype/bwht/BecauseWeCreate-Regular.otf",
	"/usr/share/fonts/opentype/bwht/BecauseWeLearn-Regular.otf",
	"/usr/share/fonts/opentype/bwht/BecauseWeMentor-Regular.otf",
	"/usr/share/fonts/opentype/bwht/BecauseWeOrganize-Regular.otf",
	"/usr/share/fonts/truetype/kristi/Kristi.ttf",
	"/usr/share/fonts/truetype/tlwg/Purisa.ttf",
	"/usr/share/fonts/truetype/tlwg/Purisa-Oblique.ttf",
	"/usr/share/fonts/truetype/sjfonts/SteveHand.ttf",
	"/usr/share/fonts/truetype/sjfonts/Delphine.ttf",
	"/usr/share/fonts/truetype/dustin/Domestic_Manners.ttf",
	"/usr/share/fonts/truetype/ecolier-court/Ecolier-court.ttf",
	"/usr/share/fonts/truetype/nanum/NanumPen.ttf",
	"/usr/share/fonts/truetype/nanum/NanumBrush.ttf",
	"/usr/share/fonts/truetype/nanum/NanumBarunpenR.ttf",
	"/usr/share/fonts/truetype/rufscript/Rufscript010.ttf",
	"/usr/share/fonts/truetype/seto/setofont.ttf",
	"/usr/share/fonts/opentype/kaushanscript/KaushanScript-Regular.otf",
	"/usr/share/fonts/truetype/klee/KleeOne-Regular.ttf",
	"/usr/share/fonts/truetype/yusei-magic/YuseiMagic-Regular.ttf",
}

// FontPackages are the Debian packages of Fonts (the Makefile's
// DIGIT_FONTS, less the held-out font's).
const FontPackages = "fonts-humor-sans fonts-comic-neue fonts-breip fonts-femkeklaver fonts-bwht fonts-kristi " +
	"fonts-tlwg-purisa-ttf fonts-sjfonts fonts-dustin fonts-ecolier-court fonts-nanum-extra fonts-rufscript fonts-seto " +
	"fonts-kaushanscript fonts-klee fonts-yusei-magic fonts-yozvox-yozfont-new-kana fonts-dejavu-core fonts-dejavu-extra fonts-liberation"

// HeldOut is the handwriting font never trained on, used only to measure.
const HeldOut = sheetgen.HeldOutFont

// Font is a parsed font with its path.
type Font struct {
	Path string
	f    *opentype.Font
}

// LoadFonts parses font files, refusing one without the ten digits and '-'.
func LoadFonts(paths []string) ([]Font, error) {
	var out []Font
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("train: %w (install the font's Debian package: see train.Fonts)", err)
		}
		f, err := opentype.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("train: parse %s: %w", p, err)
		}
		var buf sfnt.Buffer
		for _, r := range "0123456789-" {
			if gi, err := f.GlyphIndex(&buf, r); err != nil || gi == 0 {
				return nil, fmt.Errorf("train: font %s has no %q", p, r)
			}
		}
		out = append(out, Font{Path: p, f: f})
	}
	return out, nil
}

// RandomNumber is a house number as villages have them: 1 to 4 digits,
// sometimes with a '-' suffix for a house inserted later.
func RandomNumber(rng *rand.Rand) string {
	n := 1 + rng.IntN(4)
	digits := []int{1 + rng.IntN(9)}
	for len(digits) < n {
		digits = append(digits, rng.IntN(10))
	}
	s := ""
	for _, d := range digits {
		s += string(rune('0' + d))
	}
	if rng.IntN(6) == 0 {
		s += fmt.Sprintf("-%d", 1+rng.IntN(9))
	}
	return s
}

func between(rng *rand.Rand, a, b float64) float64 { return a + rng.Float64()*(b-a) }

// StrokeHand is the font path that stands for the stroke hand (see
// strokes.go): digits drawn as jittered pen strokes, not from a font file.
const StrokeHand = "stroke hand"

// Render draws s as a hand would write it with pencil on a scanned sheet.
func Render(rng *rand.Rand, f Font, s string) (*image.Gray, error) {
	const ss = 4 // supersampling
	size := math.Exp(between(rng, math.Log(6), math.Log(32)))
	var mask *image.Alpha
	var bw, bh int
	if f.f == nil {
		// a digit is about 0.7 of a font's size tall; the pen 1/12 to 1/6 of it
		h := 0.7 * size * ss
		mask = drawStrokes(rng, s, h, h*between(rng, 0.07, 0.16), between(rng, -0.07, 0.15)*size*ss, int(size*ss/2))
		bw, bh = mask.Rect.Dx(), mask.Rect.Dy()
	} else {
		var err error
		if mask, err = renderFont(rng, f, s, size, ss); err != nil {
			return nil, err
		}
		bw, bh = mask.Rect.Dx(), mask.Rect.Dy()
	}
	return finish(rng, mask, bw, bh, size, ss)
}

// renderFont lays s out in a font at size (times the supersampling ss),
// its characters' spacing varied so that some touch.
func renderFont(rng *rand.Rand, f Font, s string, size float64, ss int) (*image.Alpha, error) {
	face, err := opentype.NewFace(f.f, &opentype.FaceOptions{Size: size * float64(ss), DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("train: face: %w", err)
	}
	defer face.Close()
	m := face.Metrics()
	asc, desc := m.Ascent.Ceil(), m.Descent.Ceil()
	fs := size * float64(ss)
	gap := between(rng, -0.07, 0.15) * fs
	x := fixed.I(int(fs))
	var xs []fixed.Int26_6
	for _, r := range s {
		xs = append(xs, x)
		adv, _ := face.GlyphAdvance(r)
		x += adv + fixed.Int26_6(gap*64) + fixed.Int26_6(between(rng, -0.04, 0.04)*fs*64)
	}
	bw := x.Ceil() + int(fs)
	bh := asc + desc + int(fs)
	mask := image.NewAlpha(image.Rect(0, 0, bw, bh))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: face}
	i := 0
	for _, r := range s {
		d.Dot = fixed.Point26_6{X: xs[i], Y: fixed.I(asc+int(fs/2)) + fixed.Int26_6(between(rng, -0.04, 0.04)*fs*64)}
		d.DrawString(string(r))
		i++
	}
	return mask, nil
}

// finish varies the stroke width, slants and turns the mask, brings it
// down to the sheet's pixels on paper, and sometimes through JPEG.
func finish(rng *rand.Rand, mask *image.Alpha, bw, bh int, size float64, ss int) (*image.Gray, error) {
	// stroke width: grow or thin the strokes by up to half a pixel and more
	grow := rng.IntN(5) - 1
	if size < 14 && grow < 0 {
		grow = 0
	}
	for range abs(grow) {
		mask = morph(mask, grow > 0)
	}
	// slant and a slight rotation, then down to the sheet's pixels
	slant := between(rng, -0.3, 0.35)
	rot := between(rng, -0.08, 0.08)
	cs, sn := math.Cos(rot), math.Sin(rot)
	ow, oh := bw/ss+int(size*0.6), bh/ss
	dst := image.NewGray(image.Rect(0, 0, ow, oh))
	dark := between(rng, 0.65, 0.95)
	paper := between(rng, 0.75, 0.95)
	cx, cy := float64(bw)/2, float64(bh)/2
	ocx, ocy := float64(ow)/2, float64(oh)/2
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			var a float64
			for j := 0; j < ss; j++ {
				for k := 0; k < ss; k++ {
					// output sample → unrotated, unslanted mask position
					px := (float64(ox) + (float64(k)+0.5)/float64(ss) - ocx) * float64(ss)
					py := (float64(oy) + (float64(j)+0.5)/float64(ss) - ocy) * float64(ss)
					rx, ry := px*cs+py*sn, -px*sn+py*cs
					rx += slant * ry
					mx, my := int(math.Floor(rx+cx)), int(math.Floor(ry+cy))
					if mx >= 0 && my >= 0 && mx < bw && my < bh {
						a += float64(mask.Pix[my*mask.Stride+mx]) / 255
					}
				}
			}
			a /= float64(ss * ss)
			t := paper + (rng.Float64()-0.5)*0.05
			v := t * (1 - 0.8*dark*a*(0.8+0.2*rng.Float64()))
			dst.Pix[oy*dst.Stride+ox] = uint8(math.Max(0, math.Min(255, v*255)))
		}
	}
	if rng.IntN(10) < 7 {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 40 + rng.IntN(51)}); err != nil {
			return nil, fmt.Errorf("train: jpeg: %w", err)
		}
		img, err := jpeg.Decode(&buf)
		if err != nil {
			return nil, fmt.Errorf("train: jpeg: %w", err)
		}
		if g, ok := img.(*image.Gray); ok {
			dst = g
		}
	}
	return dst, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// morph grows (or thins) a mask by one pixel, 4-connected.
func morph(m *image.Alpha, grow bool) *image.Alpha {
	out := image.NewAlpha(m.Rect)
	w, h := m.Rect.Dx(), m.Rect.Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := m.Pix[y*m.Stride+x]
			for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				nx, ny := x+d[0], y+d[1]
				var n uint8
				if nx >= 0 && ny >= 0 && nx < w && ny < h {
					n = m.Pix[ny*m.Stride+nx]
				}
				if grow {
					v = max(v, n)
				} else {
					v = min(v, n)
				}
			}
			out.Pix[y*out.Stride+x] = v
		}
	}
	return out
}

// Sample is one digit's classifier input and its digit.
type Sample struct {
	In    []float32
	Digit int
}

// Samples renders n numbers with the fonts and cuts them with
// digits.Segment; a number cut into the wrong count of characters, or
// with its '-' missed, gives no samples. It returns the samples and how
// many numbers were cut right.
func Samples(rng *rand.Rand, fonts []Font, n int) ([]Sample, int, error) {
	return SamplesWithHand(rng, fonts, n, 0, DefaultOverCut)
}

// SamplesWithHand is Samples with a share hand of the numbers drawn by
// the stroke hand (StrokeHand) instead of a font, and the over-cut
// Reject samples of CutOver's overCut.
func SamplesWithHand(rng *rand.Rand, fonts []Font, n int, hand, overCut float64) ([]Sample, int, error) {
	var out []Sample
	right := 0
	for range n {
		var f Font
		if hand > 0 && rng.Float64() < hand {
			f = Font{Path: StrokeHand}
		} else {
			f = fonts[rng.IntN(len(fonts))]
		}
		s := RandomNumber(rng)
		img, err := Render(rng, f, s)
		if err != nil {
			return nil, 0, err
		}
		c, err := digits.FromGray(img, img.Rect, nil)
		if err != nil {
			return nil, 0, err
		}
		ss, ok := CutOver(c, s, overCut)
		if !ok {
			continue
		}
		right++
		out = append(out, ss...)
	}
	return out, right, nil
}

// Cut segments a crop whose number is known and returns its characters'
// samples (a '-' the shape rule found gives none; one inside a piece is
// class digits.Dash) and, as class digits.Reject, cuts of its pieces into
// too few or too many characters; or false when the crop cannot be cut into that
// number's characters. The characters are shared out among the pieces in
// order, each piece at least one, a '-' found by its shape exactly the
// '-': of the ways to do so, the one whose pieces' widths best fit their
// characters' (a digit 0.6 of the line's height wide, a 1 0.35, a '-' 0.45).
func Cut(c digits.Crop, s string) ([]Sample, bool) {
	return CutOver(c, s, DefaultOverCut)
}

// CutOver is Cut with the over-cut Reject samples' least character width
// overCut (of the line's height) instead of DefaultOverCut.
func CutOver(c digits.Crop, s string, overCut float64) ([]Sample, bool) {
	line, err := digits.Segment(c)
	if err != nil || len(line.Pieces) > len(s) {
		return nil, false
	}
	n, ok := share(line, s)
	if !ok {
		return nil, false
	}
	var out []Sample
	add := func(b digits.Box, class int) {
		in := make([]float32, digits.Inputs)
		digits.Glyph(c, b, line.Height, in)
		out = append(out, Sample{In: in, Digit: class})
	}
	at := 0
	for i, p := range line.Pieces {
		if p.Hyphen {
			at++
			continue
		}
		bs := digits.SplitN(c, p, n[i])
		if len(bs) != n[i] {
			return nil, false
		}
		chars := s[at : at+n[i]]
		for _, b := range bs {
			add(b, digits.ClassOf(s[at]))
			at++
		}
		// the wrong cuts Read will weigh, as not one character: too few
		// (characters that touch), and one of too many (part of one) when
		// no character of the piece is a narrow 1 or '-'
		if n[i] > 1 {
			for _, b := range digits.SplitN(c, p, n[i]-1) {
				add(b, digits.Reject)
			}
		}
		if k := n[i] + 1; k <= overCuts(p, line.Height, overCut) && !strings.ContainsAny(chars, "1-") {
			if bs := digits.SplitN(c, p, k); len(bs) == k {
				add(bs[k/2], digits.Reject)
			}
		}
	}
	return out, true
}

// DefaultOverCut is the least width of a character, against the line's
// height, at which Cut gives a piece's cut into one character too many as
// a Reject sample (traindigits -overcut): 0.35 made the weights before the
// reader cut a piece as finely as digits.MaxCut does now (0.24).
const DefaultOverCut = 0.35

func overCuts(b digits.Box, lineH int, least float64) int {
	return min(4, max(1, int(float64(b.X1-b.X0)/(least*float64(max(1, lineH))))))
}

// share gives each of a line's pieces its count of s's characters (see Cut).
func share(line digits.Line, s string) ([]int, bool) {
	np := len(line.Pieces)
	lh := float64(max(1, line.Height))
	width := func(t string) float64 {
		w := 0.0
		for i := range len(t) {
			switch t[i] {
			case '1':
				w += 0.35
			case '-':
				w += 0.45
			default:
				w += 0.6
			}
		}
		return w + 0.05*float64(len(t)-1)
	}
	best, bestCost := []int(nil), math.Inf(1)
	n := make([]int, np)
	var walk func(i, at int, cost float64)
	walk = func(i, at int, cost float64) {
		if cost >= bestCost {
			return
		}
		if i == np {
			if at == len(s) {
				best, bestCost = append(best[:0], n...), cost
			}
			return
		}
		p := line.Pieces[i]
		for k := 1; at+k <= len(s)-(np-i-1); k++ {
			t := s[at : at+k]
			if p.Hyphen && t != "-" {
				return
			}
			d := float64(p.X1-p.X0)/lh - width(t)
			n[i] = k
			walk(i+1, at+k, cost+d*d)
		}
	}
	walk(0, 0, 0)
	return best, best != nil
}
