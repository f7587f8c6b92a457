// Package digits reads hand-written house numbers — digits, with '-' for
// an inserted house (203-1) — from a crop of a scanned village map, in
// pure Go so that it runs from the one Windows .exe (no tesseract, no cgo).
//
// It owns three steps:
//   - FromGray and Segment: the crop's ink (with the faint pencil joined to
//     it or lying apart from the outline) is split into 8-connected
//     components, specks dropped, the components grouped into text lines;
//     a line struck through (a crossed-out number) is passed over beside a
//     clean one; pieces of one digit are merged.
//   - Normalise: each character's darkness is scaled, aspect kept, into a
//     16×16 glyph, with its aspect and its height against the line's as two
//     more inputs.
//   - Classify (Model.Read): a small convolutional network whose weights
//     are embedded (weights.bin, trained by `make train-digits` from fonts
//     on synthetic handwriting, see maps/trace/digits/train) classifies
//     every cut of every piece into 1 to 4 characters — the ten digits,
//     '-', or Reject (not one character) — and the best well-formed
//     combination is read. A '-' is also recognised by its shape (short,
//     flat, mid-height).
//
// A reading has a confidence: the product of the characters' probabilities.
package digits

import (
	"errors"
	"fmt"
	"image"
	"math"
	"slices"
)

// MaxCropPixels bounds a crop: a house's number never needs more.
const MaxCropPixels = 4 << 20

// GlyphSide is the side of a normalised glyph.
const GlyphSide = 16

// Inputs is the classifier's input size: the glyph and two shape features.
const Inputs = GlyphSide*GlyphSide + 2

// Crop is a piece of a sheet to read: darkness 0 (paper) to 1 (full
// pencil) and which pixels are ink, row by row.
type Crop struct {
	W, H int
	Dark []float32
	Ink  []bool
}

func (c Crop) check() error {
	if c.W <= 0 || c.H <= 0 {
		return fmt.Errorf("digits: crop %d×%d: empty", c.W, c.H)
	}
	if c.W*c.H > MaxCropPixels || c.W > MaxCropPixels || c.H > MaxCropPixels {
		return fmt.Errorf("digits: crop %d×%d is over %d pixels: not a house's number", c.W, c.H, MaxCropPixels)
	}
	if len(c.Dark) != c.W*c.H || len(c.Ink) != c.W*c.H {
		return fmt.Errorf("digits: crop %d×%d with %d darkness and %d ink values", c.W, c.H, len(c.Dark), len(c.Ink))
	}
	return nil
}

// FromGray makes a crop of r in a grey image. The paper's brightness is
// the crop's 90th percentile; a pixel is ink when darker than 0.78 of it
// (as maps/trace binarises). keep, when not nil, is r's size and says
// which pixels may be ink (trace passes the islands inside a house).
func FromGray(img *image.Gray, r image.Rectangle, keep []bool) (Crop, error) {
	if img == nil {
		return Crop{}, errors.New("digits: no image")
	}
	r = r.Intersect(img.Rect)
	w, h := r.Dx(), r.Dy()
	c := Crop{W: w, H: h}
	if w <= 0 || h <= 0 {
		return c, fmt.Errorf("digits: crop %v: empty", r)
	}
	if w*h > MaxCropPixels {
		return c, fmt.Errorf("digits: crop %d×%d is over %d pixels: not a house's number", w, h, MaxCropPixels)
	}
	if keep != nil && len(keep) != w*h {
		return c, fmt.Errorf("digits: keep mask of %d for a %d×%d crop", len(keep), w, h)
	}
	var hist [256]int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for _, v := range img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)] {
			hist[v]++
		}
	}
	want, acc, paper := w*h/10, 0, 255
	for ; paper > 0; paper-- {
		acc += hist[paper]
		if acc > want {
			break
		}
	}
	c.Dark = make([]float32, w*h)
	c.Ink = make([]bool, w*h)
	if paper < 40 {
		return c, nil // a black crop: nothing legible
	}
	pf := float32(paper)
	// barred: ink not kept (the outline) and the pixels touching it
	barred := make([]bool, w*h)
	var stack []int
	for y := 0; y < h; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, r.Min.Y+y):]
		for x := 0; x < w; x++ {
			i := y*w + x
			v := float32(row[x])
			d := (pf - v) / (0.8 * pf)
			c.Dark[i] = min(1, max(0, d))
			strong := v < 0.78*pf
			c.Ink[i] = strong && (keep == nil || keep[i])
			if strong && !c.Ink[i] {
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						if nx, ny := x+dx, y+dy; nx >= 0 && ny >= 0 && nx < w && ny < h {
							barred[ny*w+nx] = true
						}
					}
				}
			}
			if c.Ink[i] {
				stack = append(stack, i)
			}
		}
	}
	// weak: pencil too faint for the threshold, against the paper around
	// it (the brightest pixel within 4), so a stain's darker rim is not
	lp := localPaper(img, r, paper)
	weak := make([]bool, w*h)
	for y := 0; y < h; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, r.Min.Y+y):]
		for x := 0; x < w; x++ {
			i := y*w + x
			weak[i] = !barred[i] && float32(row[x]) < WeakInk*lp[i]
		}
	}
	// hysteresis: the faint pencil within 2 pixels of the kept ink, along
	// faint pencil, is ink too (a thin stroke at 6–12 px breaks up at one
	// threshold; further, a stain's rim would lead the ink astray)
	inside := func(x, y int) bool { return keep == nil || x > 0 && y > 0 && x < w-1 && y < h-1 }
	for step := 0; step < 2 && len(stack) > 0; step++ {
		var next []int
		for _, p := range stack {
			x, y := p%w, p/w
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					if q := ny*w + nx; weak[q] && !c.Ink[q] && inside(nx, ny) {
						c.Ink[q] = true
						next = append(next, q)
					}
				}
			}
		}
		stack = next
	}
	// a faint digit on its own: an island of weak pencil of a few pixels
	// that touches neither the crop's edge nor the outline
	seen := make([]bool, w*h)
	var comp []int
	stack = stack[:0]
	for i := range weak {
		if !weak[i] || c.Ink[i] || seen[i] {
			continue
		}
		seen[i] = true
		stack = append(stack[:0], i)
		comp = comp[:0]
		edge := false
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			comp = append(comp, p)
			x, y := p%w, p/w
			if x == 0 || y == 0 || x == w-1 || y == h-1 {
				edge = true
			}
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					if q := ny*w + nx; weak[q] && !seen[q] && !c.Ink[q] {
						seen[q] = true
						stack = append(stack, q)
					}
				}
			}
		}
		if edge || len(comp) < 4 {
			continue
		}
		for _, p := range comp {
			c.Ink[p] = true
		}
	}
	return c, nil
}

// localPaper is, for each pixel of r, the brightest within 4 pixels (the
// paper around it), at most paper.
func localPaper(img *image.Gray, r image.Rectangle, paper int) []float32 {
	const rad = 4
	w, h := r.Dx(), r.Dy()
	tmp := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, r.Min.Y+y):]
		for x := 0; x < w; x++ {
			var m uint8
			for k := max(0, x-rad); k <= min(w-1, x+rad); k++ {
				m = max(m, row[k])
			}
			tmp[y*w+x] = m
		}
	}
	out := make([]float32, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var m uint8
			for k := max(0, y-rad); k <= min(h-1, y+rad); k++ {
				m = max(m, tmp[k*w+x])
			}
			out[y*w+x] = float32(min(int(m), paper))
		}
	}
	return out
}

// WeakInk is the share of the paper's brightness below which a pixel
// joined to ink is ink too.
const WeakInk = 0.86

// Box is one character's pixels in a crop.
type Box struct {
	X0, Y0, X1, Y1 int   // bounding box, X1 and Y1 exclusive
	Pix            []int // crop indices of its ink
	Hyphen         bool  // a '-' by its shape
	// Small is a piece under half the line's height that Segment drops as
	// a dot or a tick; segment keeps it, for Read to weigh, when asked
	// (a small round 0 beside a 7's descender).
	Small bool
}

func (b Box) w() int { return b.X1 - b.X0 }
func (b Box) h() int { return b.Y1 - b.Y0 }

// Line is the characters of the number read, left to right, and the
// line's height in pixels. Pieces are the same before wide pieces were cut
// into digits (Read chooses the cuts with the network's help).
type Line struct {
	Boxes  []Box
	Pieces []Box
	Height int
}

// ErrNoNumber is returned when a crop shows no legible number.
var ErrNoNumber = errors.New("digits: no number in the crop")

// Segment finds the number's characters in a crop.
func Segment(c Crop) (Line, error) { return segment(c, false) }

// segment is Segment, keeping with small the pieces of a small character
// that Segment drops as ticks (at least 0.3 of the line's height, 0.2 of
// it wide), marked Small.
func segment(c Crop, small bool) (Line, error) {
	if err := c.check(); err != nil {
		return Line{}, err
	}
	comps := components(c)
	if len(comps) == 0 {
		return Line{}, ErrNoNumber
	}
	// the tallest sizeable component gives the digits' height
	tall := 0
	for _, b := range comps {
		if len(b.Pix) >= 4 {
			tall = max(tall, b.h())
		}
	}
	if tall < 4 {
		return Line{}, ErrNoNumber
	}
	keep := comps[:0]
	for _, b := range comps {
		if len(b.Pix) < 3 || (b.h() < tall/4+1 && b.w() < tall/4+1) {
			continue // specks of grain or a stain
		}
		keep = append(keep, b)
	}
	lines := groupLines(keep)
	// a line struck through is passed over when another is not (touching
	// digits can look struck: a lone line is read all the same)
	crossed := make([]bool, len(lines))
	clean := 0
	for i, l := range lines {
		crossed[i] = struck(c, l)
		if !crossed[i] {
			clean++
		}
	}
	best, bestArea := -1, 0
	for i, l := range lines {
		if crossed[i] && clean > 0 {
			continue
		}
		a := 0
		for _, b := range l {
			a += len(b.Pix)
		}
		if a > bestArea {
			best, bestArea = i, a
		}
	}
	if best < 0 {
		return Line{}, ErrNoNumber
	}
	l := lines[best]
	slices.SortFunc(l, func(a, b Box) int { return (a.X0 + a.X1) - (b.X0 + b.X1) })
	lh := 0
	y0, y1 := math.MaxInt, 0
	for _, b := range l {
		lh = max(lh, b.h())
		y0, y1 = min(y0, b.Y0), max(y1, b.Y1)
	}
	l = mergeParts(l, lh)
	mid := float64(y0+y1) / 2
	var out, pieces []Box
	for _, b := range l {
		cy := float64(b.Y0+b.Y1) / 2
		if b.h()*10 <= lh*4 && b.w()*10 >= b.h()*14 && math.Abs(cy-mid) < 0.3*float64(y1-y0) {
			b.Hyphen = true
			out = append(out, b)
			pieces = append(pieces, b)
			continue
		}
		if b.h()*2 < lh {
			if small && b.h()*10 >= lh*3 && b.w()*10 >= lh*2 {
				b.Small = true
				out = append(out, b)
				pieces = append(pieces, b)
			}
			continue // a dot or a tick beside the number
		}
		out = append(out, split(c, b)...)
		pieces = append(pieces, b)
	}
	if len(out) == 0 || len(out) > 12 {
		return Line{}, ErrNoNumber
	}
	return Line{Boxes: out, Pieces: pieces, Height: lh}, nil
}

// components labels the crop's ink, 8-connected.
func components(c Crop) []Box {
	seen := make([]bool, len(c.Ink))
	var out []Box
	var stack []int
	for i, on := range c.Ink {
		if !on || seen[i] {
			continue
		}
		b := Box{X0: c.W, Y0: c.H}
		seen[i] = true
		stack = append(stack[:0], i)
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%c.W, p/c.W
			b.Pix = append(b.Pix, p)
			b.X0, b.Y0, b.X1, b.Y1 = min(b.X0, x), min(b.Y0, y), max(b.X1, x+1), max(b.Y1, y+1)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= c.W || ny >= c.H {
						continue
					}
					if q := ny*c.W + nx; c.Ink[q] && !seen[q] {
						seen[q] = true
						stack = append(stack, q)
					}
				}
			}
		}
		out = append(out, b)
	}
	return out
}

// groupLines puts components that overlap vertically into one line.
func groupLines(bs []Box) [][]Box {
	slices.SortFunc(bs, func(a, b Box) int { return b.h() - a.h() }) // tall first seed the lines
	type line struct {
		y0, y1 int
		bs     []Box
	}
	var ls []line
	for _, b := range bs {
		placed := false
		for i := range ls {
			l := &ls[i]
			ov := min(l.y1, b.Y1) - max(l.y0, b.Y0)
			if ov*2 >= min(l.y1-l.y0, b.h()) {
				l.bs = append(l.bs, b)
				l.y0, l.y1 = min(l.y0, b.Y0), max(l.y1, b.Y1)
				placed = true
				break
			}
		}
		if !placed {
			ls = append(ls, line{b.Y0, b.Y1, []Box{b}})
		}
	}
	out := make([][]Box, len(ls))
	for i, l := range ls {
		out[i] = l.bs
	}
	return out
}

// struck says whether a line is crossed out: a component far wider than
// a digit with one row (or two, a slanted stroke) of ink running along
// 85% of it, through its middle when it is only two digits wide.
func struck(c Crop, l []Box) bool {
	lh := 0
	for _, b := range l {
		lh = max(lh, b.h())
	}
	for _, b := range l {
		if b.w()*5 < lh*8 {
			continue
		}
		// a piece over 2.2 heights wide may be struck anywhere; one of
		// two digits (1.6 heights) only through its middle
		wide := b.w()*5 >= lh*11
		rows := make([]bool, b.w()*b.h())
		for _, p := range b.Pix {
			rows[(p/c.W-b.Y0)*b.w()+p%c.W-b.X0] = true
		}
		on := func(x, y int) bool {
			// a stroke drawn at a slant: this row or the next
			return rows[y*b.w()+x] || (y+1 < b.h() && rows[(y+1)*b.w()+x])
		}
		for y := 0; y < b.h(); y++ {
			run, best := 0, 0
			for x := 0; x < b.w(); x++ {
				// a gap of one pixel in a pencil stroke still runs on
				if on(x, y) || (x+1 < b.w() && x > 0 && on(x-1, y) && on(x+1, y)) {
					run++
					best = max(best, run)
				} else {
					run = 0
				}
			}
			mid := y*10 >= b.h()*3 && y*10 <= b.h()*7
			if best*100 >= b.w()*85 && (wide || mid) {
				return true
			}
		}
	}
	return false
}

// mergeParts joins components that overlap mostly in x: one digit drawn
// in two strokes that do not touch (a 5's flag, a broken pencil line).
func mergeParts(l []Box, lh int) []Box {
	var out []Box
	for _, b := range l {
		if n := len(out); n > 0 {
			a := &out[n-1]
			ov := min(a.X1, b.X1) - max(a.X0, b.X0)
			if ov*10 >= min(a.w(), b.w())*6 && max(a.Y1, b.Y1)-min(a.Y0, b.Y0) <= lh*5/4+1 {
				a.X0, a.Y0, a.X1, a.Y1 = min(a.X0, b.X0), min(a.Y0, b.Y0), max(a.X1, b.X1), max(a.Y1, b.Y1)
				a.Pix = append(a.Pix, b.Pix...)
				continue
			}
		}
		out = append(out, b)
	}
	return out
}

// split cuts a component too wide for one digit into digits at the
// columns with the least ink near where equal widths would cut.
func split(c Crop, b Box) []Box {
	// measured on traced sheets (seeds 201–203, not measured on): cut
	// wider than tall, a digit 0.7 of the height wide
	h := float64(b.h())
	if float64(b.w()) <= h {
		return []Box{b}
	}
	return SplitN(c, b, int(math.Round(float64(b.w())/(0.7*h))))
}

// SplitN cuts a piece into n digits (1 to 4) at the columns with the
// least ink near where equal widths would cut.
func SplitN(c Crop, b Box, n int) []Box {
	n = min(max(n, 1), 4)
	if n == 1 || b.w() < 2*n {
		return []Box{b}
	}
	col := columnInk(c, b)
	cuts := []int{b.X0}
	for k := 1; k < n; k++ {
		at := b.w() * k / n
		r := max(1, b.w()/(4*n))
		best, bv := at, float32(math.MaxFloat32)
		for x := max(1, at-r); x <= min(b.w()-2, at+r); x++ {
			if v := col[x] + 0.05*float32(abs(x-at)); v < bv {
				best, bv = x, v
			}
		}
		cuts = append(cuts, b.X0+best)
	}
	out := make([]Box, 0, n)
	for _, nb := range cutAt(c, b, append(cuts, b.X1)) {
		if len(nb.Pix) > 0 {
			out = append(out, nb)
		}
	}
	return out
}

// SplitW cuts a piece into len(ws) characters whose widths are in the
// proportions ws, each cut at the column with the least ink near where
// those widths would put it (SplitN's search, about uneven widths: a
// narrow 1 beside a round digit). It returns nil when a character would
// be empty.
func SplitW(c Crop, b Box, ws []float64) []Box {
	n := len(ws)
	if n == 1 {
		return []Box{b}
	}
	if n < 1 || b.w() < 2*n {
		return nil
	}
	col := columnInk(c, b)
	total := 0.0
	for _, w := range ws {
		total += w
	}
	cuts := []int{b.X0}
	acc := 0.0
	for k := 1; k < n; k++ {
		acc += ws[k-1]
		at := int(math.Round(float64(b.w()) * acc / total))
		r := max(1, int(float64(b.w())*min(ws[k-1], ws[k])/total/4))
		best, bv := at, float32(math.MaxFloat32)
		for x := max(cuts[k-1]-b.X0+1, at-r); x <= min(b.w()-2, at+r); x++ {
			if v := col[x] + 0.05*float32(abs(x-at)); v < bv {
				best, bv = x, v
			}
		}
		cuts = append(cuts, b.X0+best)
	}
	out := cutAt(c, b, append(cuts, b.X1))
	for _, nb := range out {
		if len(nb.Pix) == 0 {
			return nil
		}
	}
	return out
}

// columnInk is the ink of b's pixels in each of its columns.
func columnInk(c Crop, b Box) []float32 {
	col := make([]float32, b.w())
	for _, p := range b.Pix {
		col[p%c.W-b.X0] += c.Dark[p]
	}
	return col
}

// cutAt cuts b into the len(cuts)-1 pieces between successive columns of
// cuts (crop columns, ascending), each bounded by its own pixels; a piece
// with no pixels is an empty Box.
func cutAt(c Crop, b Box, cuts []int) []Box {
	out := make([]Box, 0, len(cuts)-1)
	for k := 0; k+1 < len(cuts); k++ {
		nb := Box{X0: c.W, Y0: c.H}
		for _, p := range b.Pix {
			x, y := p%c.W, p/c.W
			if x < cuts[k] || x >= cuts[k+1] {
				continue
			}
			nb.Pix = append(nb.Pix, p)
			nb.X0, nb.Y0, nb.X1, nb.Y1 = min(nb.X0, x), min(nb.Y0, y), max(nb.X1, x+1), max(nb.Y1, y+1)
		}
		out = append(out, nb)
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Glyph normalises one character to the classifier's input: its darkness
// (only its own pixels and their edges) scaled with its aspect kept so its
// longer side spans 14 of 16 pixels, centred, brightest ink 1; then its
// width over height and its height over the line's.
func Glyph(c Crop, b Box, lineH int, out []float32) {
	clear(out)
	bw, bh := b.w(), b.h()
	if bw <= 0 || bh <= 0 || len(out) < Inputs {
		return
	}
	// the character's own ink and a one-pixel rim
	mw, mh := bw+2, bh+2
	m := make([]float32, mw*mh)
	for _, p := range b.Pix {
		x, y := p%c.W-b.X0+1, p/c.W-b.Y0+1
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				cx, cy := b.X0+x-1+dx, b.Y0+y-1+dy
				if cx < 0 || cy < 0 || cx >= c.W || cy >= c.H {
					continue
				}
				m[(y+dy)*mw+x+dx] = c.Dark[cy*c.W+cx]
			}
		}
	}
	s := 14 / float64(max(bw, bh))
	ox := (GlyphSide - float64(bw)*s) / 2
	oy := (GlyphSide - float64(bh)*s) / 2
	k := int(math.Min(4, math.Ceil(1/s)))
	var peak float32
	for v := 0; v < GlyphSide; v++ {
		for u := 0; u < GlyphSide; u++ {
			var acc float32
			for j := 0; j < k; j++ {
				for i := 0; i < k; i++ {
					// the source point in m (pixel centres at +0.5, rim of 1)
					sx := (float64(u)+(float64(i)+0.5)/float64(k)-ox)/s + 1 - 0.5
					sy := (float64(v)+(float64(j)+0.5)/float64(k)-oy)/s + 1 - 0.5
					acc += bilinear(m, mw, mh, sx, sy)
				}
			}
			acc /= float32(k * k)
			out[v*GlyphSide+u] = acc
			peak = max(peak, acc)
		}
	}
	if peak > 0 {
		for i := range GlyphSide * GlyphSide {
			out[i] /= peak
		}
	}
	out[GlyphSide*GlyphSide] = float32(math.Min(3, float64(bw)/float64(bh))) / 3
	out[GlyphSide*GlyphSide+1] = float32(math.Min(1.5, float64(bh)/float64(max(1, lineH))))
}

func bilinear(m []float32, w, h int, x, y float64) float32 {
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	ax, ay := float32(x-float64(x0)), float32(y-float64(y0))
	at := func(i, j int) float32 {
		if i < 0 || j < 0 || i >= w || j >= h {
			return 0
		}
		return m[j*w+i]
	}
	return (at(x0, y0)*(1-ax)+at(x0+1, y0)*ax)*(1-ay) + (at(x0, y0+1)*(1-ax)+at(x0+1, y0+1)*ax)*ay
}
