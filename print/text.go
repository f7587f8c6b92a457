package print

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// OverflowError says that a text does not fit its box even at the smallest
// size the layout allows; the designer shows Field to the user.
type OverflowError struct {
	Field string
	Text  string
	W, H  float64 // box, mm
	MinPt float64
}

func (e *OverflowError) Error() string {
	t := e.Text
	if utf8.RuneCountInString(t) > 24 {
		t = string([]rune(t)[:24]) + "…"
	}
	return fmt.Sprintf("%s %q (%d characters) does not fit in %.0f×%.0f mm even at %.1f pt: shorten it or choose a larger size",
		e.Field, t, utf8.RuneCountInString(e.Text), e.W, e.H, e.MinPt)
}

// Characters that may not start a line (closing punctuation) or end one
// (opening punctuation), per common Chinese typesetting practice.
const (
	noLineStart = "，。、；：？！）》」』”’%…·,.;:?!)]}"
	noLineEnd   = "（《「『“‘([{"
)

// tokens splits text into unbreakable pieces: each CJK character alone,
// Latin words and numbers (with their punctuation) together, punctuation
// glued to the character it belongs to.
func tokens(text string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	isWord := func(r rune) bool {
		return r < 0x2E80 && !unicode.IsSpace(r) && !strings.ContainsRune(noLineStart+noLineEnd, r) ||
			r == '–' || r == '—' || r == '×' || r == '÷'
	}
	prevWord := false
	glueNext := false
	for _, r := range text {
		switch {
		case r == '\n':
			flush()
			out = append(out, "\n")
			prevWord, glueNext = false, false
			continue
		case unicode.IsSpace(r):
			flush()
			out = append(out, " ")
			prevWord, glueNext = false, false
			continue
		case strings.ContainsRune(noLineStart, r):
			// Glue to what precedes it.
			if cur.Len() == 0 && len(out) > 0 && out[len(out)-1] != " " && out[len(out)-1] != "\n" {
				cur.WriteString(out[len(out)-1])
				out = out[:len(out)-1]
			}
			cur.WriteRune(r)
			prevWord = false
			continue
		case strings.ContainsRune(noLineEnd, r):
			if !glueNext {
				flush()
			}
			cur.WriteRune(r)
			glueNext = true
			prevWord = false
			continue
		}
		w := isWord(r)
		if glueNext {
			cur.WriteRune(r)
			glueNext = false
			prevWord = w
			continue
		}
		if !(w && prevWord) {
			flush()
		}
		cur.WriteRune(r)
		prevWord = w
	}
	flush()
	return out
}

// wrap breaks text into lines no wider than maxW at pt. A token wider than
// a whole line is split between characters.
func wrap(s surface, text string, pt, maxW float64) []string {
	var lines []string
	var line strings.Builder
	lw := 0.0
	emit := func() {
		lines = append(lines, strings.TrimRight(line.String(), " "))
		line.Reset()
		lw = 0
	}
	for _, t := range tokens(text) {
		if t == "\n" {
			emit()
			continue
		}
		if t == " " && line.Len() == 0 {
			continue
		}
		tw := s.Width(t, pt)
		if lw+tw <= maxW+1e-9 {
			line.WriteString(t)
			lw += tw
			continue
		}
		if t == " " {
			emit()
			continue
		}
		if line.Len() > 0 {
			emit()
		}
		if tw <= maxW {
			line.WriteString(t)
			lw = tw
			continue
		}
		for _, r := range t {
			rw := s.Width(string(r), pt)
			if lw+rw > maxW && line.Len() > 0 {
				// Take closing punctuation's predecessors along so the
				// new line does not start with it.
				carry := ""
				if strings.ContainsRune(noLineStart, r) {
					rs := []rune(line.String())
					k := 1
					for k < len(rs)-1 && strings.ContainsRune(noLineStart, rs[len(rs)-k]) {
						k++
					}
					if c := string(rs[len(rs)-k:]); k < len(rs) && s.Width(c+string(r), pt) <= maxW {
						carry = c
						line.Reset()
						line.WriteString(string(rs[:len(rs)-k]))
					}
				}
				emit()
				line.WriteString(carry)
				lw = s.Width(carry, pt)
			}
			line.WriteRune(r)
			lw += rw
		}
	}
	if line.Len() > 0 || len(lines) == 0 {
		emit()
	}
	return lines
}

// leading is the line height as a multiple of the font size.
const leading = 1.3

// fitted is text laid out in a box.
type fitted struct {
	Lines []string
	Pt    float64
}

// Height of the block in mm.
func (f fitted) Height() float64 { return float64(len(f.Lines)) * f.Pt * ptMM * leading }

// fit wraps text into a w×h box at the largest size from maxPt down to
// minPt (in 4% steps) at which it fits; if none does it returns an
// OverflowError naming field.
func fit(s surface, field, text string, w, h, maxPt, minPt float64) (fitted, error) {
	if minPt > maxPt {
		minPt = maxPt
	}
	for pt := maxPt; ; pt *= 0.96 {
		if pt < minPt {
			pt = minPt
		}
		lines := wrap(s, text, pt, w)
		f := fitted{lines, pt}
		if f.Height() <= h+1e-6 && widest(s, lines, pt) <= w+1e-6 {
			return f, nil
		}
		if pt == minPt {
			return fitted{}, &OverflowError{Field: field, Text: text, W: w, H: h, MinPt: minPt}
		}
	}
}

// fitLine is fit for a single line: it only shrinks, never wraps.
func fitLine(s surface, field, text string, w, h, maxPt, minPt float64) (float64, error) {
	pt := maxPt
	if byH := h / (ptMM * leading); byH < pt {
		pt = byH
	}
	if tw := s.Width(text, pt); tw > w {
		pt *= w / tw
	}
	if pt < minPt {
		return 0, &OverflowError{Field: field, Text: text, W: w, H: h, MinPt: minPt}
	}
	return pt, nil
}

func widest(s surface, lines []string, pt float64) float64 {
	m := 0.0
	for _, l := range lines {
		if w := s.Width(l, pt); w > m {
			m = w
		}
	}
	return m
}

// draw paints the block with its first baseline at the top of the box.
func (f fitted) draw(s surface, x, y, w float64, st style, align int) {
	lh := f.Pt * ptMM * leading
	// Baseline sits ~0.8 em below the line top for CJK fonts, with the
	// extra leading split above and below.
	base := y + f.Pt*ptMM*(0.88+(leading-1)/2)
	for i, l := range f.Lines {
		textAt(s, x, w, base+float64(i)*lh, f.Pt, st, align, l)
	}
}

// lineBaseline is where to put a single line of pt so it is vertically
// centred in a box of height h starting at y.
func lineBaseline(y, h, pt float64) float64 {
	return y + h/2 + pt*ptMM*0.35
}
