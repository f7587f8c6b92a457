package print

import (
	"cunjing/print/typeset"
)

// OverflowError says that a text does not fit its box even at the smallest
// size the layout allows; the designer shows Field to the user. It is the
// one text layout's error (print/typeset).
type OverflowError = typeset.OverflowError

// Leading is the line height as a multiple of the font size.
const Leading = typeset.Leading

// Fitted is text laid out in a box.
type Fitted = typeset.Block

// Fit wraps text into a w×h box at the largest size from maxPt down to
// minPt at which it fits; if none does it returns an OverflowError naming
// field.
func Fit(s Surface, field, text string, w, h, maxPt, minPt float64) (Fitted, error) {
	return typeset.Fit(s, text, w, h, typeset.Spec{Field: field, MaxPt: maxPt, MinPt: minPt})
}

// FitLine is fit for a single line: it only shrinks, never wraps. It
// returns the size.
func FitLine(s Surface, field, text string, w, h, maxPt, minPt float64) (float64, error) {
	b, err := typeset.FitLine(s, text, w, h, typeset.Spec{Field: field, MaxPt: maxPt, MinPt: minPt})
	return b.Pt, err
}

// DrawBlock paints the block with the top of its first line at y.
func DrawBlock(s Surface, f Fitted, x, y, w float64, st Style, align int) {
	for _, l := range f.Place(s, x, y, w, typeset.Align(align)) {
		s.Text(l.X, l.Baseline, l.Pt, st, l.Text)
	}
}

// LineBaseline is where to put a single line of pt so it is vertically
// centred in a box of height h starting at y.
func LineBaseline(y, h, pt float64) float64 { return typeset.Baseline(y, h, pt) }

// SetAt breaks text into lines at pt no wider than w; ok is false when a
// word or a character with its punctuation is wider than w alone (the
// caller shrinks the type).
func SetAt(s Surface, text string, pt, w float64) (Fitted, bool) {
	lines, ok := s.Break(text, pt, w)
	return Fitted{Lines: lines, Pt: pt, Leading: Leading}, ok
}
