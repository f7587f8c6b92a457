package typeset

import (
	"fmt"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// PtMM is one typographic point in millimetres.
const PtMM = 25.4 / 72

// Metrics measures text from a font's own advance widths and glyph bounds.
// It caches per rune and is not safe for concurrent use: make one per
// document.
type Metrics struct {
	f    *sfnt.Font
	upem fixed.Int26_6
	buf  sfnt.Buffer
	adv  map[rune]float64 // advance, ems
	// glyphs caches glyph: the index, 0 for none.
	glyphs map[rune]sfnt.GlyphIndex
	ink    map[rune][2]float64
	bold   map[rune]float64
	// observe, if set, is told of every fitting request (ObserveFit).
	observe func(Cell)
	// Fonts drawn from for characters f lacks (outline.go).
	loadFallbacks   func() []*sfnt.Font
	fallbacks       []*sfnt.Font
	fallbacksLoaded bool
}

// ObserveFit tells the fit observer the Metrics were made with, if any
// (NewPDF with a context from WithFitObserver).
func (m *Metrics) ObserveFit(c Cell) {
	if m.observe != nil {
		m.observe(c)
	}
}

// NewMetrics parses a TrueType font for measuring.
func NewMetrics(ttf []byte) (*Metrics, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("parse font for measuring: %w", err)
	}
	m := &Metrics{f: f, upem: fixed.I(int(f.UnitsPerEm())), adv: map[rune]float64{}, ink: map[rune][2]float64{}, bold: map[rune]float64{}, glyphs: map[rune]sfnt.GlyphIndex{}}
	return m, nil
}

// Font is the parsed font (for rasterising previews).
func (m *Metrics) Font() *sfnt.Font { return m.f }

// glyph is r's glyph in the font; ok is false when the font has none, or
// only a blank one for a character that shows ink (wqy-microhei maps ǘ
// and ǚ to empty glyphs: a Pinyin name printed with a gap).
func (m *Metrics) glyph(r rune) (sfnt.GlyphIndex, bool) {
	if g, ok := m.glyphs[r]; ok {
		return g, g != 0
	}
	g, err := m.f.GlyphIndex(&m.buf, r)
	if err != nil {
		g = 0
	}
	if g != 0 && !unicode.IsSpace(r) && !Invisible(r) && !unicode.Is(unicode.Zs, r) {
		if b, _, err := m.f.GlyphBounds(&m.buf, g, m.upem, font.HintingNone); err != nil || b.Empty() {
			g = 0
		}
	}
	m.glyphs[r] = g
	return g, g != 0
}

// em is the advance of r in ems.
func (m *Metrics) em(r rune) float64 {
	if a, ok := m.adv[r]; ok {
		return a
	}
	var a float64
	if r == WordJoiner {
		m.adv[r] = 0
		return 0
	}
	if g, ok := m.glyph(r); ok {
		if adv, err := m.f.GlyphAdvance(&m.buf, g, m.upem, font.HintingNone); err == nil {
			a = float64(adv) / float64(m.upem)
		}
	}
	if a == 0 && r != 0 && !IsMark(r) {
		// Missing glyph: drawn from a fallback font (Shape), as wide as
		// it is there; else a box a full em wide, so layouts never
		// overflow because of it.
		if a = m.fallbackEm(r); a == 0 && !Invisible(r) {
			a = 1
		}
	}
	m.adv[r] = a
	return a
}

// Width is the advance width of s at pt, in millimetres.
func (m *Metrics) Width(s string, pt float64) float64 {
	var w float64
	for _, r := range s {
		e := m.em(r)
		if e == 0 && IsMark(r) || accented(r) && !m.shows(string(r)) {
			// Measured as it is drawn: composed (Compose).
			return m.width(m.Compose(s), pt)
		}
		w += e
	}
	return w * pt * PtMM
}

func (m *Metrics) width(s string, pt float64) float64 {
	var w float64
	for _, r := range s {
		w += m.em(r)
	}
	return w * pt * PtMM
}

// Has reports whether the font has a glyph for r.
func (m *Metrics) Has(r rune) bool {
	_, ok := m.glyph(r)
	return ok
}

// inkEm is how far r's ink reaches above and below the baseline, in ems.
func (m *Metrics) inkEm(r rune) (up, down float64) {
	if v, ok := m.ink[r]; ok {
		return v[0], v[1]
	}
	if g, ok := m.glyph(r); ok {
		if b, _, err := m.f.GlyphBounds(&m.buf, g, m.upem, font.HintingNone); err == nil && b.Max.Y > b.Min.Y {
			up, down = -float64(b.Min.Y)/float64(m.upem), float64(b.Max.Y)/float64(m.upem)
		}
	}
	m.ink[r] = [2]float64{up, down}
	return up, down
}

// Ink is how far the ink of s at pt reaches above (up) and below (down)
// its baseline, in millimetres.
func (m *Metrics) Ink(s string, pt float64) (up, down float64) {
	for _, r := range s {
		u, d := m.inkEm(r)
		up, down = max(up, u), max(down, d)
	}
	return up * pt * PtMM, down * pt * PtMM
}

// Ascent is where a line's baseline sits below the top of its em box,
// as a fraction of the size: the ideographic em box runs from 0.88 em above
// the baseline to 0.12 em below it in the CJK fonts we use (wqy-microhei's
// 中 inks 0.81 above and 0.10 below).
const Ascent = 0.88
