package print

import (
	"cunjing/print/typeset"
)

// OverflowError says that a text does not fit its box even at the smallest
// size the layout allows; the designer shows Field to the user. It is the
// one text layout's error (print/typeset).
type OverflowError = typeset.OverflowError

// leading is the line height as a multiple of the font size.
const leading = typeset.Leading

// fitted is text laid out in a box.
type fitted = typeset.Block

// fit wraps text into a w×h box at the largest size from maxPt down to
// minPt at which it fits; if none does it returns an OverflowError naming
// field.
func fit(s surface, field, text string, w, h, maxPt, minPt float64) (fitted, error) {
	return typeset.Fit(s, text, w, h, typeset.Spec{Field: field, MaxPt: maxPt, MinPt: minPt})
}

// fitLine is fit for a single line: it only shrinks, never wraps. It
// returns the size.
func fitLine(s surface, field, text string, w, h, maxPt, minPt float64) (float64, error) {
	b, err := typeset.FitLine(s, text, w, h, typeset.Spec{Field: field, MaxPt: maxPt, MinPt: minPt})
	return b.Pt, err
}

// drawBlock paints the block with the top of its first line at y.
func drawBlock(s surface, f fitted, x, y, w float64, st style, align int) {
	for _, l := range f.Place(s, x, y, w, typeset.Align(align)) {
		s.Text(l.X, l.Baseline, l.Pt, st, l.Text)
	}
}

// lineBaseline is where to put a single line of pt so it is vertically
// centred in a box of height h starting at y.
func lineBaseline(y, h, pt float64) float64 { return typeset.Baseline(y, h, pt) }

// setAt breaks text into lines at pt no wider than w; ok is false when a
// word or a character with its punctuation is wider than w alone (the
// caller shrinks the type).
func setAt(s surface, text string, pt, w float64) (fitted, bool) {
	lines, ok := s.Break(text, pt, w)
	return fitted{Lines: lines, Pt: pt, Leading: leading}, ok
}
