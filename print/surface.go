package print

import (
	"image"
	"image/color"

	"cunjing/print/typeset"
)

// PtMM is one typographic point in millimetres.
const PtMM = typeset.PtMM

// Style is how text is painted; Bold is emulated (fill + an outline whose
// width suits each glyph, print/typeset) because CJK system fonts come in
// one weight. Fine marks fine print (citations, dates, captions), which
// has a smaller minimum size than body text (costboard.MinTextMM).
type Style struct {
	Color color.RGBA
	Bold  bool
	Fine  bool
}

// Surface is what layouts draw on. Coordinates are millimetres from the top
// left; text y is the baseline; sizes are points.
type Surface interface {
	FillRect(x, y, w, h float64, c color.RGBA)
	StrokeRect(x, y, w, h, lw float64, c color.RGBA)
	Line(x1, y1, x2, y2, lw float64, c color.RGBA, dashed bool)
	Text(x, y, pt float64, st Style, s string)
	// Image draws img scaled into the box; key identifies identical images
	// so a PDF stores each once.
	Image(key string, img image.Image, x, y, w, h float64)
	// Clip confines drawing to a rectangle until Unclip.
	Clip(x, y, w, h float64)
	Unclip()
	// Width is the advance width of s at pt, in millimetres.
	Width(s string, pt float64) float64
	// Break breaks text into lines no wider than w at pt (typeset.Break,
	// remembered per document: a batch breaks the same texts per board).
	Break(text string, pt, w float64) ([]string, bool)
	// QR encodes payload once per document (a batch repeats each post's
	// code on many boards, and encoding dominates otherwise).
	QR(payload string) (image.Image, string, error)
}

// qrCache memoises QR images for one document.
type qrCache map[string]qrEntry

type qrEntry struct {
	img image.Image
	key string
}

func (c qrCache) QR(payload string) (image.Image, string, error) {
	if e, ok := c[payload]; ok {
		return e.img, e.key, nil
	}
	img, key, err := qrImage(payload)
	if err != nil {
		return nil, "", err
	}
	c[payload] = qrEntry{img, key}
	return img, key, nil
}

// Transformed draws onto an inner surface with a uniform scale and an
// offset: it puts a board's layout onto a tile, a miniature or a page with
// bleed without the layout knowing.
type Transformed struct {
	In     Surface // where the drawing lands
	Scale  float64 // inner units per outer unit
	OX, OY float64 // where the outer origin lands on In
}

func (t Transformed) x(v float64) float64 { return t.OX + v*t.Scale }
func (t Transformed) y(v float64) float64 { return t.OY + v*t.Scale }

func (t Transformed) FillRect(x, y, w, h float64, c color.RGBA) {
	t.In.FillRect(t.x(x), t.y(y), w*t.Scale, h*t.Scale, c)
}
func (t Transformed) StrokeRect(x, y, w, h, lw float64, c color.RGBA) {
	t.In.StrokeRect(t.x(x), t.y(y), w*t.Scale, h*t.Scale, lw*t.Scale, c)
}
func (t Transformed) Line(x1, y1, x2, y2, lw float64, c color.RGBA, dashed bool) {
	t.In.Line(t.x(x1), t.y(y1), t.x(x2), t.y(y2), lw*t.Scale, c, dashed)
}
func (t Transformed) Text(x, y, pt float64, st Style, s string) {
	t.In.Text(t.x(x), t.y(y), pt*t.Scale, st, s)
}
func (t Transformed) Image(key string, img image.Image, x, y, w, h float64) {
	t.In.Image(key, img, t.x(x), t.y(y), w*t.Scale, h*t.Scale)
}
func (t Transformed) Clip(x, y, w, h float64)                        { t.In.Clip(t.x(x), t.y(y), w*t.Scale, h*t.Scale) }
func (t Transformed) Unclip()                                        { t.In.Unclip() }
func (t Transformed) QR(payload string) (image.Image, string, error) { return t.In.QR(payload) }
func (t Transformed) Width(s string, pt float64) float64 {
	return t.In.Width(s, pt*t.Scale) / t.Scale
}

// ObserveFit tells the inner surface's fit observer, if it has one.
func (t Transformed) ObserveFit(c typeset.Cell) {
	if o, ok := t.In.(typeset.FitObserver); ok {
		o.ObserveFit(c)
	}
}

// Break breaks on the inner surface: widths scale with the size, so the
// lines are the same.
func (t Transformed) Break(text string, pt, w float64) ([]string, bool) {
	return t.In.Break(text, pt*t.Scale, w*t.Scale)
}

// Palette. Red for warnings and amounts, police blue for headings.
var (
	Black     = color.RGBA{R: 0x1a, G: 0x1a, B: 0x1a, A: 0xff}
	White     = color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	Red       = color.RGBA{R: 0xc8, G: 0x10, B: 0x2e, A: 0xff}
	Blue      = color.RGBA{R: 0x0b, G: 0x3d, B: 0x91, A: 0xff}
	LightBlue = color.RGBA{R: 0xe6, G: 0xee, B: 0xfa, A: 0xff}
	Amber     = color.RGBA{R: 0xd9, G: 0x6c, B: 0x00, A: 0xff}
	Yellow    = color.RGBA{R: 0xff, G: 0xd0, B: 0x00, A: 0xff}
	Grey      = color.RGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
	LightGrey = color.RGBA{R: 0xee, G: 0xee, B: 0xee, A: 0xff}
	PaleRed   = color.RGBA{R: 0xfd, G: 0xec, B: 0xee, A: 0xff}
)

// TextAt draws s aligned within [x, x+w]: align 0 left, 1 centre, 2 right.
func TextAt(s Surface, x, w, baseline, pt float64, st Style, align int, txt string) {
	switch align {
	case 1:
		x += (w - s.Width(txt, pt)) / 2
	case 2:
		x += w - s.Width(txt, pt)
	}
	s.Text(x, baseline, pt, st, txt)
}

// Rect is a box on the page: its top left corner and size, in millimetres.
type Rect struct{ X, Y, W, H float64 }
