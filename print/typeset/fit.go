package typeset

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"unicode/utf8"
)

// Leading is the default line height as a multiple of the size.
const Leading = 1.3

// Spec says how a text may be fitted into its box.
type Spec struct {
	Field string  // what the text is, for the OverflowError ("title", "备注")
	MaxPt float64 // the size it is set at when it fits
	MinPt float64 // the smallest size it may shrink to (a floor: MaxPt below it is raised)
	// Leading is the line height over the size (0: Leading).
	Leading float64
	// OneLine shrinks instead of wrapping ("\n" still breaks).
	OneLine bool
}

func (sp Spec) leading() float64 {
	if sp.Leading > 0 {
		return sp.Leading
	}
	return Leading
}

// Block is text broken into lines at one size.
type Block struct {
	Lines   []string
	Pt      float64
	Leading float64
}

// LineHeight is the distance between baselines, mm.
func (b Block) LineHeight() float64 {
	l := b.Leading
	if l <= 0 {
		l = Leading
	}
	return b.Pt * PtMM * l
}

// Height of the block in mm.
func (b Block) Height() float64 { return float64(len(b.Lines)) * b.LineHeight() }

// Width of the widest line, mm.
func (b Block) Width(m Measurer) float64 {
	w := 0.0
	for _, l := range b.Lines {
		w = math.Max(w, m.Width(l, b.Pt))
	}
	return w
}

// Text is the block's lines joined by newlines.
func (b Block) Text() string { return strings.Join(b.Lines, "\n") }

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

// Cell is one fitting request, as a fit observer is told it.
type Cell struct {
	W, H float64 // box, mm (H ≤ 0: any height)
	Spec Spec
}

// FitObserver is a Measurer that is told of every box text is fitted into
// with it (Fit calls ObserveFit first).
type FitObserver interface {
	ObserveFit(Cell)
}

type fitObserverKey struct{}

// WithFitObserver returns a context carrying f, as net/http/httptrace
// carries a trace: a PDF begun with it (NewPDF) calls f with every box
// text is fitted into on its pages, one call at a time. The property
// tests feed random text through every cell the layouts really use;
// printing does not use it.
func WithFitObserver(ctx context.Context, f func(Cell)) context.Context {
	var mu sync.Mutex
	return context.WithValue(ctx, fitObserverKey{}, func(c Cell) {
		mu.Lock()
		defer mu.Unlock()
		f(c)
	})
}

// FitObserverOf is the fit observer ctx carries (WithFitObserver), or
// nil: for a measuring surface of its own to tell it.
func FitObserverOf(ctx context.Context) func(Cell) {
	f, _ := ctx.Value(fitObserverKey{}).(func(Cell))
	return f
}

// Fit sets text in a w×h box (h ≤ 0: any height) at the largest size from
// sp.MaxPt down to sp.MinPt (in 4% steps) at which every line fits the
// width without breaking a word, and the block fits the height. When none
// does it returns an *OverflowError naming sp.Field.
func Fit(m Measurer, text string, w, h float64, sp Spec) (Block, error) {
	if o, ok := m.(FitObserver); ok {
		o.ObserveFit(Cell{W: w, H: h, Spec: sp})
	}
	lead := sp.leading()
	// The minimum is a floor: a maximum below it is raised to it.
	sp.MaxPt = math.Max(sp.MaxPt, sp.MinPt)
	minPt := sp.MinPt
	if sp.OneLine {
		return fitOneLine(m, text, w, h, sp, lead, minPt)
	}
	for pt := sp.MaxPt; ; pt = quantize(pt * 0.96) {
		if pt < minPt {
			pt = minPt
		}
		lines, ok := breakWith(m, text, pt, w)
		b := Block{Lines: lines, Pt: pt, Leading: lead}
		if ok && (h <= 0 || (b.Height() <= h+1e-6 && inkFits(m, b, h))) {
			return b, nil
		}
		if pt == minPt {
			return Block{}, &OverflowError{Field: sp.Field, Text: StripJoiners(text), W: w, H: h, MinPt: minPt}
		}
	}
}

// inkFits reports whether b, centred in a box of height h as the layouts
// place it, keeps its ink inside the box: with tight leading a descender
// (Q, g, a low quote) can reach past the line's own height. A measurer that
// cannot say where ink goes is trusted with line heights alone.
func inkFits(m Measurer, b Block, h float64) bool {
	ik, ok := m.(interface {
		Ink(s string, pt float64) (up, down float64)
	})
	if !ok {
		return true
	}
	const eps = 1e-6
	for _, p := range b.Place(m, 0, (h-b.Height())/2, 0, Left) {
		up, down := ik.Ink(p.Text, p.Pt)
		if p.Baseline-up < -eps || p.Baseline+down > h+eps {
			return false
		}
	}
	return true
}

// fitOneLine shrinks text (one line per "\n"-separated part) until it fits.
func fitOneLine(m Measurer, text string, w, h float64, sp Spec, lead, minPt float64) (Block, error) {
	lines := strings.Split(StripJoiners(text), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimFunc(l, isSpace)
	}
	pt := sp.MaxPt
	if h > 0 {
		pt = math.Min(pt, h/(PtMM*lead*float64(len(lines))))
	}
	for _, l := range lines {
		if lw := m.Width(l, pt); lw > w {
			pt *= w / lw
		}
	}
	if q := quantize(pt); q >= minPt {
		pt = q
	}
	if pt < minPt-1e-9 || pt <= 0 {
		return Block{}, &OverflowError{Field: sp.Field, Text: StripJoiners(text), W: w, H: h, MinPt: minPt}
	}
	return Block{Lines: lines, Pt: pt, Leading: lead}, nil
}

// quantize rounds a size down to the 0.01 pt a PDF writes, so what was
// measured is what is printed.
func quantize(pt float64) float64 { return math.Floor(pt*100+1e-9) / 100 }

// FitLine is Fit for a single line: it only shrinks, never wraps.
func FitLine(m Measurer, text string, w, h float64, sp Spec) (Block, error) {
	sp.OneLine = true
	return Fit(m, text, w, h, sp)
}

// Align is horizontal alignment within a box.
type Align int

// Alignments.
const (
	Left Align = iota
	Center
	Right
)

// Placed is one line where it is drawn: X is its left end, Baseline its
// baseline, W its advance width (all mm).
type Placed struct {
	Text        string
	X, Baseline float64
	W           float64
	Pt          float64
}

// Place positions the block's lines with the top of the first line at y,
// aligned within [x, x+w]. Each line's em box (0.88 em above the baseline,
// 0.12 below) is centred in its line height.
func (b Block) Place(m Measurer, x, y, w float64, align Align) []Placed {
	lh := b.LineHeight()
	base := y + lh/2 + (Ascent-0.5)*b.Pt*PtMM
	out := make([]Placed, 0, len(b.Lines))
	for i, l := range b.Lines {
		lw := m.Width(l, b.Pt)
		lx := x
		switch align {
		case Center:
			lx += (w - lw) / 2
		case Right:
			lx += w - lw
		}
		out = append(out, Placed{Text: l, X: lx, Baseline: base + float64(i)*lh, W: lw, Pt: b.Pt})
	}
	return out
}

// Baseline is where to put a single line of pt so its em box is centred
// in a box of height h starting at y.
func Baseline(y, h, pt float64) float64 {
	return y + h/2 + (Ascent-0.5)*pt*PtMM
}

// Phone is a phone number as every printed page writes it: a mainland
// mobile grouped 3-4-4 (139 0392 1110, +86 dropped) so it reads aloud
// easily; a landline with its area code set off (0371-12345678); other
// numbers as written.
func Phone(p string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, p)
	if len(d) == 13 && strings.HasPrefix(d, "86") {
		d = d[2:]
	}
	if len(d) == 11 && d[0] == '1' {
		return d[:3] + " " + d[3:7] + " " + d[7:]
	}
	if len(d) >= 10 && len(d) <= 12 && d[0] == '0' && strings.Trim(p, "0123456789 -()") == "" {
		// A landline as the store keeps it (037112345678) with its area
		// code set off: 010 and 02x are three digits, the rest four.
		area := 4
		if d[1] == '1' || d[1] == '2' {
			area = 3
		}
		if n := len(d) - area; (n == 7 || n == 8) && !strings.Contains(strings.TrimLeft(afterDigits(p, area), " -()"), "-") {
			// (A dash inside the number sets off an extension:
			// 0371-6123456-1 is not 0371-61234561.)
			return d[:area] + "-" + d[area:]
		}
	}
	return strings.TrimSpace(p)
}

// Dial is phone number p as a phone dials it (a QR code's tel: and vCard
// TEL): its digits, with a leading +, and an extension — after 转, 分机 or
// ext, or a dash inside a landline's number after its area code
// (0371-6123456-1) — after a comma, the pause a dialer waits before
// dialling it. All the digits run together (037161234561) ring another
// number or none.
func Dial(p string) string {
	main, ext := p, ""
	cut := -1
	for _, mk := range []string{"转", "分机", "ext", "Ext", "EXT"} {
		if i := strings.Index(p, mk); i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut >= 0 {
		main, ext = p[:cut], digitsOf(p[cut:])
	} else if d := digitsOf(p); len(d) >= 3 && d[0] == '0' && strings.Trim(p, "0123456789 -()") == "" {
		area := 4
		if d[1] == '1' || d[1] == '2' {
			area = 3
		}
		rest := strings.TrimLeft(afterDigits(p, area), " -()")
		if j := strings.Index(rest, "-"); j >= 0 {
			main, ext = p[:len(p)-len(rest)+j], digitsOf(rest[j:])
		}
	}
	dial := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '+' {
			return r
		}
		return -1
	}, main)
	if ext != "" {
		dial += "," + ext
	}
	return dial
}

// digitsOf is the ASCII digits of s.
func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// afterDigits is what of p follows its first n digits.
func afterDigits(p string, n int) string {
	for i, r := range p {
		if n == 0 {
			return p[i:]
		}
		if r >= '0' && r <= '9' {
			n--
		}
	}
	return ""
}

// EvenShare is the rows [first, last) of share k when total rows are
// shared over n (pages, or a page's columns): the first total%n shares
// hold one row more than the rest, so no two differ by more than one row
// and the last is never a row or two alone.
func EvenShare(total, n, k int) (first, last int) {
	per, more := total/n, total%n
	first = k*per + min(k, more)
	last = first + per
	if k < more {
		last++
	}
	return first, last
}
