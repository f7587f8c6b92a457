// Package wrap is a word-wrapped label that keeps Chinese punctuation off
// the head of a line (行首禁则: 。，、；：？！ and closing quotes and
// brackets end the line before) and opening quotes and brackets off its
// end (行尾禁则). Fyne's word wrap breaks Chinese text at any character,
// and the window read "“画巷道 / ”等": Label breaks the line a character
// earlier there itself, where Fyne would have broken it, and leaves every
// other break to Fyne.
package wrap

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// noHead are the characters a line may not start with; noTail those it
// may not end with.
const (
	noHead = "。，、；：？！…）》」』】〕〉”’%,.;:!?)]}"
	noTail = "（《「『【〔〈“‘([{"
)

// Label is a word-wrapped widget.Label whose lines keep the rules above.
// Its Text is what is shown (with the breaks it added); Raw is what it
// was given.
type Label struct {
	widget.Label
	raw string
	// Items, when set, is the separator of a list (、 between names):
	// a line breaks after one rather than inside an item that fits on
	// the next line (胡宇 / 航 read as two people).
	Items rune
}

// New is a word-wrapped label of text.
func New(text string) *Label {
	l := &Label{raw: text}
	l.Text = text
	l.Wrapping = fyne.TextWrapWord
	l.ExtendBaseWidget(l)
	return l
}

// Raw is the text the label was given.
func (l *Label) Raw() string { return l.raw }

// SetText gives the label text, broken anew at its width.
func (l *Label) SetText(text string) {
	l.raw = text
	l.Label.Text = l.broken(l.Size().Width)
	l.Label.Refresh()
}

// Resize breaks the text for the new width, then lays it out.
func (l *Label) Resize(size fyne.Size) {
	if t := l.broken(size.Width); t != l.Label.Text {
		l.Label.Text = t
		l.Label.Refresh()
	}
	l.Label.Resize(size)
}

// MinSize is the height the lines need at the label's width.
func (l *Label) MinSize() fyne.Size {
	l.ExtendBaseWidget(l)
	return l.BaseWidget.MinSize()
}

// broken is the raw text with the breaks Fix adds at width (the label's,
// padding and all).
func (l *Label) broken(width float32) string {
	th := l.Theme()
	size := th.Size(theme.SizeNameText)
	if l.SizeName != "" {
		size = th.Size(l.SizeName)
	}
	inner := width - 2*th.Size(theme.SizeNameInnerPadding)
	if inner <= 0 {
		return l.raw
	}
	style := l.TextStyle
	measure := func(s []rune) float32 { return fyne.MeasureText(string(s), size, style).Width }
	if l.Items != 0 {
		return FixList(l.raw, l.Items, inner, measure)
	}
	return Fix(l.raw, inner, measure)
}

// FixList is Fix for a list of items joined by sep: a line that would
// end inside an item breaks after the last sep on it instead.
func FixList(text string, sep rune, width float32, measure func([]rune) float32) string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		out = append(out, fixLineWith([]rune(para), sep, width, measure))
	}
	return strings.Join(out, "\n")
}

// Fix is text with a line break put before the character ahead of each
// place where Fyne's word wrap, at width with measure, would start a line
// with a character of noHead, or end one with one of noTail. Other breaks
// stay Fyne's.
func Fix(text string, width float32, measure func([]rune) float32) string {
	if !strings.ContainsAny(text, noHead+noTail) {
		return text
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		out = append(out, fixLine([]rune(para), width, measure))
	}
	return strings.Join(out, "\n")
}

// fixLine follows Fyne's TextWrapWord (widget.lineBounds) over one line
// of text, moving a break that breaks a rule back.
func fixLine(text []rune, width float32, measure func([]rune) float32) string {
	return fixLineWith(text, 0, width, measure)
}

// fixLineWith is fixLine that, with sep, also breaks after the line's
// last sep rather than inside an item.
func fixLineWith(text []rune, sep rune, width float32, measure func([]rune) float32) string {
	var b strings.Builder
	low := 0
	for low < len(text) {
		if measure(text[low:]) <= width {
			b.WriteString(string(text[low:]))
			break
		}
		fit := fits(text, low, width, measure)
		if fit < 1 { // not even a character fits: Fyne shows one a line
			fit = 1
		}
		if sp := lastSpace(text[low:], fit); sp > 0 {
			// Fyne breaks at a space: the space is a fine place to break.
			b.WriteString(string(text[low : low+sp+1]))
			low += sp + 1
			continue
		}
		end := low + fit
		for end-1 > low && end < len(text) && (strings.ContainsRune(noHead, text[end]) || strings.ContainsRune(noTail, text[end-1])) {
			end--
		}
		if end < len(text) && end-1 == low && (strings.ContainsRune(noHead, text[end]) || strings.ContainsRune(noTail, text[end-1])) {
			end = low + fit // no place keeps the rules: Fyne's
		}
		if sep != 0 && end < len(text) && text[end-1] != sep {
			for i := end - 1; i > low; i-- {
				if text[i] == sep {
					end = i + 1
					break
				}
			}
		}
		b.WriteString(string(text[low:end]))
		if end < len(text) && end != low+fit {
			b.WriteByte('\n')
		}
		low = end
	}
	return b.String()
}

// fits is how many runes from low fit in width (binary search, as Fyne).
func fits(text []rune, low int, width float32, measure func([]rune) float32) int {
	lo, hi := 0, len(text)-low
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if measure(text[low:low+mid]) <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// lastSpace is the index in sub of the last space at or before at, as
// Fyne's findSpaceIndex looks for one, or -1.
func lastSpace(sub []rune, at int) int {
	for i := min(at, len(sub)-1); i >= 0; i-- {
		if unicode.IsSpace(sub[i]) {
			return i
		}
	}
	return -1
}
