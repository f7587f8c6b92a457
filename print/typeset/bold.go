package typeset

import (
	"image"
	"math"
	"sort"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Faux bold. The CJK fonts gofpdf can embed (glyf TrueType: wqy-microhei,
// SimHei, …) come in one weight, and Debian's bold CJK faces are CFF, which
// gofpdf cannot read. So bold is drawn as the regular glyph filled and
// stroked with its own outline (PDF text rendering mode 2). A stroke of
// width w grows every stroke of the glyph by w and narrows every gap
// between strokes by w, so one width for all glyphs either leaves 一 thin
// or fills 警's counters. BoldEm chooses w per glyph from the gaps between
// its strokes:
//
//	w = min(BoldMaxEm, BoldGapShare × g)
//
// where g is the 25th-percentile width of the white runs enclosed by ink
// along the glyph's rows and columns (its narrow counters). Widths are in
// ems, so they scale with the size.
const (
	BoldMaxEm    = 0.06 // a simple glyph's stroke (一, 十, digits)
	BoldMinEm    = 0.012
	BoldGapShare = 0.45
	boldSamplePx = 128 // the glyph is measured rasterised this many pixels per em
)

// BoldEm is the outline width, in ems, that emboldens r.
func (m *Metrics) BoldEm(r rune) float64 {
	if w, ok := m.bold[r]; ok {
		return w
	}
	w := BoldMaxEm
	if g, ok := m.glyph(r); ok {
		if gap, ok := m.narrowGap(g); ok {
			w = math.Max(BoldMinEm, math.Min(BoldMaxEm, BoldGapShare*gap))
		}
	}
	m.bold[r] = w
	return w
}

// narrowGap is the 25th-percentile width (ems) of the white runs enclosed
// by ink along rows and columns of glyph g; ok is false for glyphs without
// enclosed white (一, 丨, a dot).
//
// A run in a wedge is not a counter: where two strokes meet at an angle and
// the white between them opens out of the glyph (the flag and stem of 1,
// the crotch of 人, the arms of V, the tail of ，) the runs narrow line by
// line down to nothing, and filling that tip is what any bold face does.
// A run in white open to the outside whose width, as many lines before and
// after as it is wide, differs by half its width or more is left out, and
// so is one with ink that far on one side and open white on the other (a
// notch no deeper than it is wide); a gap between parallel strokes (警's,
// 三's), whose width holds along it, and every run of a closed counter (口,
// the triangle of 4) still count.
func (m *Metrics) narrowGap(g sfnt.GlyphIndex) (float64, bool) {
	mask := m.glyphMask(g, boldSamplePx)
	if mask == nil {
		return 0, false
	}
	b := mask.Bounds()
	ink := func(x, y int) bool { return mask.Pix[(y-b.Min.Y)*mask.Stride+(x-b.Min.X)] >= 0x80 }
	open := openWhite(mask)
	type span struct{ a, b int } // enclosed white, a..b inclusive
	var runs []int
	scan := func(n, l int, at func(i, k int) bool, isOpen func(i, k int) bool) {
		lines := make([][]span, n)
		for i := 0; i < n; i++ {
			last := -1 // index of the last ink pixel
			for k := 0; k < l; k++ {
				if !at(i, k) {
					continue
				}
				if last >= 0 && k-last > 1 {
					lines[i] = append(lines[i], span{last + 1, k - 1})
				}
				last = k
			}
		}
		// width is the run of line i through k: 0 on ink, -1 off the
		// glyph or where the white there is not enclosed along the line.
		width := func(i, k int) int {
			if i < 0 || i >= n {
				return -1
			}
			if at(i, k) {
				return 0
			}
			for _, s := range lines[i] {
				if s.a <= k && k <= s.b {
					return s.b - s.a + 1
				}
			}
			return -1
		}
		for i, spans := range lines {
			for _, s := range spans {
				w, mid := s.b-s.a+1, (s.a+s.b)/2
				if isOpen(i, mid) {
					d := max(2, w)
					before, after := width(i-d, mid), width(i+d, mid)
					if before >= 0 && after >= 0 && 2*abs(after-before) >= w || before*after == 0 && before+after == -1 {
						continue // a wedge, or a notch no longer than it is wide
					}
				}
				runs = append(runs, w)
			}
		}
	}
	scan(b.Dy(), b.Dx(), func(i, k int) bool { return ink(b.Min.X+k, b.Min.Y+i) }, func(i, k int) bool { return open[i*b.Dx()+k] })
	scan(b.Dx(), b.Dy(), func(i, k int) bool { return ink(b.Min.X+i, b.Min.Y+k) }, func(i, k int) bool { return open[k*b.Dx()+i] })
	if len(runs) == 0 {
		return 0, false
	}
	sort.Ints(runs)
	return float64(runs[len(runs)/4]) / boldSamplePx, true
}

// openWhite marks the white pixels of mask (row by row) that connect to
// its edge: the outside of the glyph, as against its closed counters.
func openWhite(mask *image.Alpha) []bool {
	b := mask.Bounds()
	w, h := b.Dx(), b.Dy()
	white := func(x, y int) bool { return mask.Pix[y*mask.Stride+x] < 0x80 }
	open := make([]bool, w*h)
	var stack []int
	push := func(x, y int) {
		if x >= 0 && y >= 0 && x < w && y < h && !open[y*w+x] && white(x, y) {
			open[y*w+x] = true
			stack = append(stack, y*w+x)
		}
	}
	for x := 0; x < w; x++ {
		push(x, 0)
		push(x, h-1)
	}
	for y := 0; y < h; y++ {
		push(0, y)
		push(w-1, y)
	}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		x, y := p%w, p/w
		push(x+1, y)
		push(x-1, y)
		push(x, y+1)
		push(x, y-1)
	}
	return open
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// glyphMask rasterises glyph g at px pixels per em (nil if it has no
// outline).
func (m *Metrics) glyphMask(g sfnt.GlyphIndex, px int) *image.Alpha {
	ppem := fixed.I(px)
	segs, err := m.f.LoadGlyph(&m.buf, g, ppem, nil)
	if err != nil || len(segs) == 0 {
		return nil
	}
	bounds := segs.Bounds()
	x0, y0 := bounds.Min.X.Floor()-1, bounds.Min.Y.Floor()-1
	w, h := bounds.Max.X.Ceil()+1-x0, bounds.Max.Y.Ceil()+1-y0
	if w <= 0 || h <= 0 {
		return nil
	}
	ras := vector.NewRasterizer(w, h)
	f := func(p fixed.Point26_6) (float32, float32) {
		return float32(p.X)/64 - float32(x0), float32(p.Y)/64 - float32(y0)
	}
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			ras.MoveTo(f(s.Args[0]))
		case sfnt.SegmentOpLineTo:
			ras.LineTo(f(s.Args[0]))
		case sfnt.SegmentOpQuadTo:
			ax, ay := f(s.Args[0])
			bx, by := f(s.Args[1])
			ras.QuadTo(ax, ay, bx, by)
		case sfnt.SegmentOpCubeTo:
			ax, ay := f(s.Args[0])
			bx, by := f(s.Args[1])
			cx, cy := f(s.Args[2])
			ras.CubeTo(ax, ay, bx, by, cx, cy)
		}
	}
	ras.ClosePath()
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	ras.Draw(mask, mask.Bounds(), image.Opaque, image.Point{})
	return mask
}
