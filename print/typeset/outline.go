package typeset

import (
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// A PDF embeds the one font through gofpdf, which can only show the
// characters of the Basic Multilingual Plane that font has. A name may hold
// others: 㙟 and 䶮 (CJK Extension A) are in few fonts, 𠮷 (Extension B) is
// beyond U+FFFF, where gofpdf's character map ends (a page with it once
// failed with index out of range [65536]). Such a character is drawn as
// its outline instead: from the font itself when it has the glyph, else
// from a fallback font of the machine ((*fonts.Font).Fallbacks), else as an
// empty box, so the paper shows a character is there rather than a gap.

// Seg is one step of a glyph outline: Op is 'M' (move), 'L' (line), 'Q'
// (quadratic, P[0] the control point) or 'C' (cubic, P[0] and P[1]), each
// to its last point; coordinates are millimetres from the pen, y down.
type Seg struct {
	Op byte
	P  [3][2]float64
}

// Fallbacks sets fonts whose outlines are drawn for characters the main
// font lacks (in order; the first with the glyph is used). load is called
// once, on the first such character.
func (m *Metrics) Fallbacks(load func() []*sfnt.Font) { m.loadFallbacks = load }

// Embeddable reports whether r can be set as text with the embedded font:
// the font has it and it is in the Basic Multilingual Plane.
func (m *Metrics) Embeddable(r rune) bool { return r <= 0xFFFF && m.Has(r) }

// source is the font and glyph r is drawn from: the main font, else the
// first fallback with it; ok is false when none has it.
func (m *Metrics) source(r rune) (f *sfnt.Font, g sfnt.GlyphIndex, ok bool) {
	if g, ok := m.glyph(r); ok {
		return m.f, g, true
	}
	if m.loadFallbacks != nil && !m.fallbacksLoaded {
		m.fallbacks = m.loadFallbacks()
		m.fallbacksLoaded = true
	}
	for _, f := range m.fallbacks {
		if g, err := f.GlyphIndex(&m.buf, r); err == nil && g != 0 && SaneGlyph(&m.buf, f, g, r) {
			return f, g, true
		}
	}
	return nil, 0, false
}

// SaneGlyph reports whether glyph g of fallback font f looks like a
// character: its advance more than 0 (0 for a combining mark, r) and at
// most 1.5 em, its outline within the em box and half an em around it
// (an em to the left, where a combining mark reaches back). A damaged font (hmtx or
// glyf overwritten) gave advances of 65 em or below 0, and a name with 㙟
// then fitted nowhere; such a glyph is not used (the PDF, the preview and
// the emergency card's picture).
func SaneGlyph(buf *sfnt.Buffer, f *sfnt.Font, g sfnt.GlyphIndex, r rune) bool {
	upem := fixed.I(int(f.UnitsPerEm()))
	adv, err := f.GlyphAdvance(buf, g, upem, font.HintingNone)
	if err != nil || adv < 0 || adv > upem*3/2 || adv == 0 && !unicode.Is(unicode.Mn, r) {
		return false
	}
	b, _, err := f.GlyphBounds(buf, g, upem, font.HintingNone)
	if err != nil {
		return false
	}
	lo, hi := -upem/2, upem*3/2
	return b.Min.X >= -upem && b.Max.X <= hi && b.Min.Y >= -hi && b.Max.Y <= -lo
}

// fallbackEm is r's advance in ems in the fallback font that has it, 0
// when none has it.
func (m *Metrics) fallbackEm(r rune) float64 {
	f, g, ok := m.source(r)
	if !ok || f == m.f {
		return 0
	}
	upem := fixed.I(int(f.UnitsPerEm()))
	adv, err := f.GlyphAdvance(&m.buf, g, upem, font.HintingNone)
	if err != nil {
		return 0
	}
	return float64(adv) / float64(upem)
}

// Shape is r's outline at pt, in millimetres from the pen on the baseline,
// for a character Embeddable refuses. found is false when no font has r:
// the outline is then a box as wide as r's advance (Width reserves a full
// em), so the reader sees a character is missing.
func (m *Metrics) Shape(r rune, pt float64) (segs []Seg, found bool) {
	k := pt * PtMM
	f, g, ok := m.source(r)
	if !ok && (Invisible(r) || IsMark(r)) {
		return nil, false // nothing to see, and no room (em)
	}
	if ok {
		upem := fixed.I(int(f.UnitsPerEm()))
		gs, err := f.LoadGlyph(&m.buf, g, upem, nil)
		if err == nil {
			s := k / float64(upem)
			pt := func(p fixed.Point26_6) [2]float64 { return [2]float64{float64(p.X) * s, float64(p.Y) * s} }
			for _, seg := range gs {
				var out Seg
				switch seg.Op {
				case sfnt.SegmentOpMoveTo:
					out.Op = 'M'
					out.P[0] = pt(seg.Args[0])
				case sfnt.SegmentOpLineTo:
					out.Op = 'L'
					out.P[0] = pt(seg.Args[0])
				case sfnt.SegmentOpQuadTo:
					out.Op = 'Q'
					out.P[0], out.P[1] = pt(seg.Args[0]), pt(seg.Args[1])
				case sfnt.SegmentOpCubeTo:
					out.Op = 'C'
					out.P[0], out.P[1], out.P[2] = pt(seg.Args[0]), pt(seg.Args[1]), pt(seg.Args[2])
				}
				segs = append(segs, out)
			}
			return segs, true
		}
	}
	// A box of 0.1 em strokes inside the em, from the baseline up to 0.8 em.
	w := m.em(r) * k
	x0, x1, y0, y1 := 0.12*k, w-0.12*k, -0.80*k, 0.06*k
	t := 0.08 * k
	box := func(x0, y0, x1, y1 float64, cw bool) {
		if cw {
			segs = append(segs, Seg{Op: 'M', P: [3][2]float64{{x0, y0}}}, Seg{Op: 'L', P: [3][2]float64{{x1, y0}}},
				Seg{Op: 'L', P: [3][2]float64{{x1, y1}}}, Seg{Op: 'L', P: [3][2]float64{{x0, y1}}})
			return
		}
		segs = append(segs, Seg{Op: 'M', P: [3][2]float64{{x0, y0}}}, Seg{Op: 'L', P: [3][2]float64{{x0, y1}}},
			Seg{Op: 'L', P: [3][2]float64{{x1, y1}}}, Seg{Op: 'L', P: [3][2]float64{{x1, y0}}})
	}
	// Outer square one way, inner the other: filled by the non-zero rule,
	// a hollow frame.
	box(x0, y0, x1, y1, true)
	box(x0+t, y0+t, x1-t, y1-t, false)
	return segs, false
}

// Invisible reports whether r is never seen: a control character (a tab
// pasted from a spreadsheet), a format character or a variation selector
// (U+FE0F after an emoji pasted from WeChat). Where no font has it, it
// takes no room and draws nothing, not a box.
func Invisible(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// Last is the point a segment ends at.
func (s Seg) Last() [2]float64 {
	switch s.Op {
	case 'Q':
		return s.P[1]
	case 'C':
		return s.P[2]
	}
	return s.P[0]
}
