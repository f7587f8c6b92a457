package trace

import (
	"errors"
	"fmt"
	"image"
	"math"
	"slices"
	"strconv"

	"cunjing/maps/trace/digits"
)

// ScaleBar is a scale bar found on the sheet: the centres of its two end
// ticks on the bar's line, the metres written above it, and the scale
// they give.
type ScaleBar struct {
	Ends   [2]Pt
	Metres float64
	PxPerM float64
	// Confidence is the label's reading confidence, 0..1.
	Confidence float64
	// Label is the box the metres were read from.
	Label image.Rectangle
}

// maxBarComponent bounds the ink pieces looked at as a bar: a bar is a
// thin line, a lane network or a scribble is far more ink.
const maxBarComponent = 200_000

// barCandidate is a piece of ink shaped like a scale bar: a straight,
// nearly level line with upward ticks at both ends.
type barCandidate struct {
	ends   [2]Pt
	ticks  int
	yAt    func(x float64) float64
	tickH  float64
	pixels []int
}

// findScaleBar looks for a drawn scale bar — a straight, nearly level
// pencil line with upward ticks at both ends and its length in metres
// written above its middle — and reads the metres with the digit
// recogniser. guess is the scale the houses' size suggests: a reading
// that gives a scale more than barAgreement from it is a misreading (the
// recogniser may cut "100" into 1010), and the label is read again from
// a tighter crop and at half the resolution before the bar is given up.
// It returns nil and the reason when no bar gives a scale.
func findScaleBar(img *image.Gray, raw []byte, w, h int, guess float64) (*ScaleBar, error) {
	cands := barCandidates(raw, w, h)
	if len(cands) == 0 {
		return nil, errors.New("no straight line with end ticks")
	}
	m, err := digits.Embedded()
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	var best *ScaleBar
	var why error = errors.New("no number read above the bar")
	for _, c := range cands {
		l := math.Hypot(c.ends[1][0]-c.ends[0][0], c.ends[1][1]-c.ends[0][1])
		mid := (c.ends[0][0] + c.ends[1][0]) / 2
		top := c.yAt(mid) - c.tickH - math.Min(0.3*l, 6*c.tickH)
		r := image.Rect(int(mid-0.4*l), int(math.Max(0, top)), int(mid+0.4*l), int(c.yAt(mid)-0.5*c.tickH)).Intersect(image.Rect(0, 0, w, h))
		if r.Dx() < 4 || r.Dy() < 4 {
			continue
		}
		onBar := make(map[int]bool, len(c.pixels))
		for _, p := range c.pixels {
			onBar[p] = true
		}
		for _, read := range []func() (digits.Reading, error){
			func() (digits.Reading, error) { return readLabel(m, img, r, onBar, w, 1) },
			func() (digits.Reading, error) {
				return readLabel(m, img, inkBox(raw, onBar, w, r).Inset(-2).Intersect(r), onBar, w, 1)
			},
			func() (digits.Reading, error) { return readLabel(m, img, r, onBar, w, 2) },
		} {
			rd, err := read()
			if err != nil {
				why = fmt.Errorf("the bar's label: %w", err)
				continue
			}
			n, err := strconv.Atoi(rd.Text)
			if err != nil || !digits.WellFormed(rd.Text) || n < 1 || rd.Confidence < MinNumberConfidence {
				why = fmt.Errorf("the bar's label read as %q (confidence %.2f)", rd.Text, rd.Confidence)
				continue
			}
			sb := &ScaleBar{Ends: c.ends, Metres: float64(n), PxPerM: l / float64(n), Confidence: math.Round(rd.Confidence*100) / 100, Label: r}
			if q := sb.PxPerM / guess; q < 1/barAgreement || q > barAgreement {
				why = fmt.Errorf("the scale bar (%.0f m over %.0f px: %.2f px per metre) disagrees with the houses' size (about %.2f px per metre)", sb.Metres, l, sb.PxPerM, guess)
				continue
			}
			if best == nil || sb.Confidence > best.Confidence {
				best = sb
			}
			break
		}
	}
	if best == nil {
		return nil, why
	}
	return best, nil
}

// readLabel reads the number in r, leaving out the bar's own ink, at the
// image's resolution (scale 1) or at half of it (scale 2).
func readLabel(m *digits.Model, img *image.Gray, r image.Rectangle, onBar map[int]bool, w, scale int) (digits.Reading, error) {
	if r.Dx() < 4*scale || r.Dy() < 4*scale {
		return digits.Reading{}, errors.New("too small")
	}
	src, sr := img, r
	if scale > 1 {
		// the crop, bar ink whitened, box-averaged down
		sr = image.Rect(0, 0, r.Dx()/scale, r.Dy()/scale)
		src = image.NewGray(sr)
		for y := 0; y < sr.Dy(); y++ {
			for x := 0; x < sr.Dx(); x++ {
				sum := 0
				for dy := 0; dy < scale; dy++ {
					for dx := 0; dx < scale; dx++ {
						px, py := r.Min.X+x*scale+dx, r.Min.Y+y*scale+dy
						if onBar[py*w+px] {
							sum += 255
						} else {
							sum += int(img.Pix[img.PixOffset(px, py)])
						}
					}
				}
				src.Pix[y*src.Stride+x] = uint8(sum / (scale * scale))
			}
		}
	}
	keep := make([]bool, sr.Dx()*sr.Dy())
	for i := range keep {
		x, y := sr.Min.X+i%sr.Dx(), sr.Min.Y+i/sr.Dx()
		keep[i] = scale > 1 || !onBar[y*w+x]
	}
	crop, err := digits.FromGray(src, sr, keep)
	if err != nil {
		return digits.Reading{}, err
	}
	return m.Read(crop)
}

// inkBox is the box around the ink in r that is not the bar's.
func inkBox(raw []byte, onBar map[int]bool, w int, r image.Rectangle) image.Rectangle {
	var b image.Rectangle
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if i := y*w + x; raw[i] == 1 && !onBar[i] {
				b = b.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return b
}

// barCandidates finds the 8-connected pieces of ink shaped like a scale
// bar: wide, low, thin; a straight line through most of its columns;
// taller columns (ticks) near both ends, all on the line's upper side.
func barCandidates(raw []byte, w, h int) []barCandidate {
	seen := make([]uint64, (w*h+63)/64)
	isSeen := func(i int) bool { return seen[i>>6]&(1<<(i&63)) != 0 }
	mark := func(i int) { seen[i>>6] |= 1 << (i & 63) }
	minW := math.Max(40, 0.04*float64(min(w, h)))
	var out []barCandidate
	var stack, pix []int
	for start := range raw {
		if raw[start] == 0 || isSeen(start) {
			continue
		}
		mark(start)
		stack = append(stack[:0], start)
		pix = pix[:0]
		x0, y0, x1, y1 := w, h, -1, -1
		n := 0
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n++
			if len(pix) < maxBarComponent {
				pix = append(pix, i)
			}
			x, y := i%w, i/w
			x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					if j := ny*w + nx; raw[j] == 1 && !isSeen(j) {
						mark(j)
						stack = append(stack, j)
					}
				}
			}
		}
		bw, bh := float64(x1-x0+1), float64(y1-y0+1)
		if n > maxBarComponent || bw < minW || bh > 0.25*bw || float64(n) > 8*(bw+6*bh) {
			continue
		}
		if c, ok := barShape(pix, w, x0, x1); ok {
			c.pixels = slices.Clone(pix)
			out = append(out, c)
		}
	}
	return out
}

// barShape checks a piece's columns: the lowest ink of each column lies
// on one straight line (the bar), and the columns reaching well above it
// form ticks, one at each end.
func barShape(pix []int, w, x0, x1 int) (barCandidate, bool) {
	n := x1 - x0 + 1
	lo := make([]int, n) // lowest ink (largest y) per column
	hi := make([]int, n) // highest ink
	for i := range lo {
		lo[i], hi[i] = -1, math.MaxInt
	}
	for _, p := range pix {
		x, y := p%w-x0, p/w
		lo[x], hi[x] = max(lo[x], y), min(hi[x], y)
	}
	// the line through the columns' lowest ink, fitted twice: the second
	// time without the columns far from the first fit
	fit := func(use func(k int) bool) (a, b float64, cnt int) {
		var sx, sy, sxx, sxy float64
		for k := range n {
			if lo[k] < 0 || !use(k) {
				continue
			}
			x, y := float64(k), float64(lo[k])
			sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
			cnt++
		}
		if cnt < 2 {
			return 0, 0, cnt
		}
		c := float64(cnt)
		b = (c*sxy - sx*sy) / math.Max(1e-9, c*sxx-sx*sx)
		a = (sy - b*sx) / c
		return a, b, cnt
	}
	a, b, cnt := fit(func(int) bool { return true })
	if cnt < n*8/10 {
		return barCandidate{}, false
	}
	a, b, cnt = fit(func(k int) bool { return math.Abs(float64(lo[k])-(a+b*float64(k))) <= 3 })
	if cnt < n*7/10 || math.Abs(b) > 0.07 { // level within 4°
		return barCandidate{}, false
	}
	// how thick the line is: the median height of the columns
	var hs []int
	for k := range n {
		if lo[k] >= 0 {
			hs = append(hs, lo[k]-hi[k]+1)
		}
	}
	slices.Sort(hs)
	thick := float64(hs[len(hs)/2])
	// ticks: runs of columns reaching four pixels (and a line's
	// thickness) above the line
	tall := math.Max(thick+4, 2*thick)
	type tick struct{ from, to, height int }
	var ticks []tick
	for k := 0; k < n; k++ {
		if lo[k] < 0 || float64(lo[k]-hi[k]+1) < tall {
			continue
		}
		t := tick{from: k, to: k}
		for ; k < n && lo[k] >= 0 && float64(lo[k]-hi[k]+1) >= tall; k++ {
			t.to = k
			t.height = max(t.height, lo[k]-hi[k]+1)
		}
		ticks = append(ticks, t)
	}
	if len(ticks) < 2 {
		return barCandidate{}, false
	}
	first, last := ticks[0], ticks[len(ticks)-1]
	if float64(first.from) > 0.05*float64(n)+3 || float64(last.to) < 0.95*float64(n)-4 {
		return barCandidate{}, false
	}
	yAt := func(x float64) float64 { return a + b*(x-float64(x0)) - (thick-1)/2 }
	ex0 := float64(x0) + float64(first.from+first.to)/2 + 0.5
	ex1 := float64(x0) + float64(last.from+last.to)/2 + 0.5
	return barCandidate{
		ends:  [2]Pt{{ex0, yAt(ex0 - 0.5)}, {ex1, yAt(ex1 - 0.5)}},
		ticks: len(ticks),
		yAt:   yAt,
		tickH: float64(max(first.height, last.height)),
	}, true
}

// barAgreement is how far a scale bar's scale may be from the one the
// houses' median size suggests (which is within 10% on the fixtures).
const barAgreement = 1.5

// outsideBar drops the signs on a scale bar or its label (a 0 is a ring).
func outsideBar(ls []Landmark, b *ScaleBar) []Landmark {
	r := b.Label
	for _, e := range b.Ends {
		r = r.Union(image.Rect(int(e[0])-8, int(e[1])-8, int(e[0])+8, int(e[1])+8))
	}
	out := ls[:0]
	for _, l := range ls {
		if !image.Pt(int(l.At[0]), int(l.At[1])).In(r) {
			out = append(out, l)
		}
	}
	return out
}
