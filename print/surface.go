package print

import (
	"image"
	"image/color"

	"cunjing/print/typeset"
)

// ptMM is one typographic point in millimetres.
const ptMM = typeset.PtMM

// style is how text is painted; Bold is emulated (fill + an outline whose
// width suits each glyph, print/typeset) because CJK system fonts come in
// one weight. Fine marks fine print (citations, dates, captions), which
// has a smaller minimum size than body text (MinTextMM).
type style struct {
	Color color.RGBA
	Bold  bool
	Fine  bool
}

// surface is what layouts draw on. Coordinates are millimetres from the top
// left; text y is the baseline; sizes are points.
type surface interface {
	FillRect(x, y, w, h float64, c color.RGBA)
	StrokeRect(x, y, w, h, lw float64, c color.RGBA)
	Line(x1, y1, x2, y2, lw float64, c color.RGBA, dashed bool)
	Text(x, y, pt float64, st style, s string)
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

// transformed draws onto an inner surface with a uniform scale and an
// offset: it puts a board's layout onto a tile, a miniature or a page with
// bleed without the layout knowing.
type transformed struct {
	in     surface
	s      float64
	ox, oy float64
}

func (t transformed) x(v float64) float64 { return t.ox + v*t.s }
func (t transformed) y(v float64) float64 { return t.oy + v*t.s }

func (t transformed) FillRect(x, y, w, h float64, c color.RGBA) {
	t.in.FillRect(t.x(x), t.y(y), w*t.s, h*t.s, c)
}
func (t transformed) StrokeRect(x, y, w, h, lw float64, c color.RGBA) {
	t.in.StrokeRect(t.x(x), t.y(y), w*t.s, h*t.s, lw*t.s, c)
}
func (t transformed) Line(x1, y1, x2, y2, lw float64, c color.RGBA, dashed bool) {
	t.in.Line(t.x(x1), t.y(y1), t.x(x2), t.y(y2), lw*t.s, c, dashed)
}
func (t transformed) Text(x, y, pt float64, st style, s string) {
	t.in.Text(t.x(x), t.y(y), pt*t.s, st, s)
}
func (t transformed) Image(key string, img image.Image, x, y, w, h float64) {
	t.in.Image(key, img, t.x(x), t.y(y), w*t.s, h*t.s)
}
func (t transformed) Clip(x, y, w, h float64)                        { t.in.Clip(t.x(x), t.y(y), w*t.s, h*t.s) }
func (t transformed) Unclip()                                        { t.in.Unclip() }
func (t transformed) QR(payload string) (image.Image, string, error) { return t.in.QR(payload) }
func (t transformed) Width(s string, pt float64) float64 {
	return t.in.Width(s, pt*t.s) / t.s
}

// Break breaks on the inner surface: widths scale with the size, so the
// lines are the same.
func (t transformed) Break(text string, pt, w float64) ([]string, bool) {
	return t.in.Break(text, pt*t.s, w*t.s)
}

// Palette. Red for warnings and amounts, police blue for headings.
var (
	black     = color.RGBA{0x1a, 0x1a, 0x1a, 0xff}
	white     = color.RGBA{0xff, 0xff, 0xff, 0xff}
	red       = color.RGBA{0xc8, 0x10, 0x2e, 0xff}
	blue      = color.RGBA{0x0b, 0x3d, 0x91, 0xff}
	lightBlue = color.RGBA{0xe6, 0xee, 0xfa, 0xff}
	amber     = color.RGBA{0xd9, 0x6c, 0x00, 0xff}
	yellow    = color.RGBA{0xff, 0xd0, 0x00, 0xff}
	grey      = color.RGBA{0x80, 0x80, 0x80, 0xff}
	lightGrey = color.RGBA{0xee, 0xee, 0xee, 0xff}
	paleRed   = color.RGBA{0xfd, 0xec, 0xee, 0xff}
)

// textAt draws s aligned within [x, x+w]: align 0 left, 1 centre, 2 right.
func textAt(s surface, x, w, baseline, pt float64, st style, align int, txt string) {
	switch align {
	case 1:
		x += (w - s.Width(txt, pt)) / 2
	case 2:
		x += w - s.Width(txt, pt)
	}
	s.Text(x, baseline, pt, st, txt)
}
