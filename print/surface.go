package print

import (
	"fmt"
	"image"
	"image/color"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// ptMM is one typographic point in millimetres.
const ptMM = 25.4 / 72

// style is how text is painted; Bold is emulated (fill + stroke) because
// CJK system fonts come in one weight.
type style struct {
	Color color.RGBA
	Bold  bool
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

// metrics measures text from the font's own advance widths, so the PDF and
// the preview wrap lines at the same places.
type metrics struct {
	f     *sfnt.Font
	upem  fixed.Int26_6
	buf   sfnt.Buffer
	cache map[rune]float64 // advance in ems
}

func newMetrics(ttf []byte) (*metrics, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("parse font for measuring: %w", err)
	}
	return &metrics{f: f, upem: fixed.I(int(f.UnitsPerEm())), cache: map[rune]float64{}}, nil
}

func (m *metrics) em(r rune) float64 {
	if a, ok := m.cache[r]; ok {
		return a
	}
	var a float64
	if g, err := m.f.GlyphIndex(&m.buf, r); err == nil && g != 0 {
		if adv, err := m.f.GlyphAdvance(&m.buf, g, m.upem, 0); err == nil {
			a = float64(adv) / float64(m.upem)
		}
	}
	if a == 0 && r != 0 {
		// Missing glyph: the PDF shows .notdef; reserve a full em so
		// layouts never overflow because of it.
		a = 1
	}
	m.cache[r] = a
	return a
}

// Width implements surface.Width for both backends.
func (m *metrics) Width(s string, pt float64) float64 {
	var w float64
	for _, r := range s {
		w += m.em(r)
	}
	return w * pt * ptMM
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
