package typeset

import (
	"fmt"
	"strings"
)

// Verify checks a block Fit returned for text against the rules every
// layout relies on; the property tests run it over random text in every
// cell the layouts use. It returns the first broken rule:
//   - every character of text (less word joiners, and spaces where a line
//     breaks) comes out exactly once, in order;
//   - each line is at most w wide, the block at most h high (h > 0);
//   - no line starts with closing punctuation or ends with opening
//     punctuation, except at the start and end of a paragraph;
//   - no line break falls inside a Latin word or a number with its unit.
func Verify(m Measurer, text string, b Block, w, h float64) error {
	for i, l := range b.Lines {
		if lw := m.Width(l, b.Pt); lw > w+1e-6 {
			return fmt.Errorf("line %d %q is %.3f mm wide, box %.3f", i+1, l, lw, w)
		}
	}
	if h > 0 && b.Height() > h+1e-6 {
		return fmt.Errorf("%d lines at %.2f pt are %.3f mm high, box %.3f", len(b.Lines), b.Pt, b.Height(), h)
	}
	seps, err := reconstruct(text, b.Lines)
	if err != nil {
		return err
	}
	for i := 1; i < len(b.Lines); i++ {
		if strings.Contains(seps[i], "\n") {
			continue // a paragraph break of the text
		}
		prev, next := []rune(b.Lines[i-1]), []rune(b.Lines[i])
		if len(next) > 0 && noStart(next[0]) {
			return fmt.Errorf("line %d starts with %q: %q", i+1, next[0], b.Lines)
		}
		if len(prev) > 0 && noEnd(prev[len(prev)-1]) {
			return fmt.Errorf("line %d ends with %q: %q", i, prev[len(prev)-1], b.Lines)
		}
		if len(prev) > 0 && len(next) > 0 && seps[i] == "" {
			a, c := prev[len(prev)-1], next[0]
			if isWordRune(a) && isWordRune(c) {
				return fmt.Errorf("word broken between lines %d and %d: %q", i, i+1, b.Lines)
			}
			if isDigit(a) && unitAt(next) > 0 {
				return fmt.Errorf("number and unit split between lines %d and %d: %q", i, i+1, b.Lines)
			}
		}
	}
	return nil
}

// reconstruct checks that lines are text with only spaces (and word
// joiners) removed at the breaks, and "\n" turned into breaks; it returns
// what the text had between each line and the one before.
func reconstruct(text string, lines []string) ([]string, error) {
	src := []rune(StripJoiners(text))
	seps := make([]string, len(lines))
	p := 0
	for i, l := range lines {
		q := p
		for p < len(src) && isSpace(src[p]) {
			p++
		}
		if i > 0 && p < len(src) && src[p] == '\n' {
			p++
			for p < len(src) && isSpace(src[p]) {
				p++
			}
		}
		seps[i] = string(src[q:p])
		for _, r := range l {
			if p >= len(src) || src[p] != r {
				got := "end of text"
				if p < len(src) {
					got = fmt.Sprintf("%q", src[p])
				}
				return nil, fmt.Errorf("line %d %q: character %q where the text has %s (text %q, lines %q)", i+1, l, r, got, text, lines)
			}
			p++
		}
	}
	for p < len(src) && (src[p] == '\n' || isSpace(src[p])) {
		p++
	}
	if p != len(src) {
		return nil, fmt.Errorf("text lost after %q: %q (lines %q)", string(src[:p]), string(src[p:]), lines)
	}
	return seps, nil
}

// CheckPlaced places b in the box (x, y, w, h) as the layouts do (centred
// vertically; h ≤ 0: the block's own height) and checks that every line's
// advance and ink lie inside it.
func CheckPlaced(m *Metrics, b Block, x, y, w, h float64, align Align) error {
	if h <= 0 {
		h = b.Height()
	}
	const eps = 1e-6
	top := y + (h-b.Height())/2
	for i, p := range b.Place(m, x, top, w, align) {
		up, down := m.Ink(p.Text, p.Pt)
		switch {
		case p.X < x-eps || p.X+p.W > x+w+eps:
			return fmt.Errorf("line %d %q spans x %.3f–%.3f outside %.3f–%.3f", i+1, p.Text, p.X, p.X+p.W, x, x+w)
		case p.Baseline-up < y-eps || p.Baseline+down > y+h+eps:
			return fmt.Errorf("line %d %q inks y %.3f–%.3f outside %.3f–%.3f", i+1, p.Text, p.Baseline-up, p.Baseline+down, y, y+h)
		}
	}
	return nil
}
