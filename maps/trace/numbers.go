package trace

import (
	"cmp"
	"errors"
	"fmt"
	"image"
	"math"
	"slices"
	"strconv"
	"strings"

	"cunjing/maps/trace/digits"
)

// MinNumberConfidence is the least confidence at which a number read is
// proposed; below it the house stays unread.
const MinNumberConfidence = 0.3

// readNumbers reads each house's number from the ink inside its outline.
// raw is the ink before it was grown, lab the paper regions.
func readNumbers(img *image.Gray, raw []byte, lab []int32, regs []region, hs []House, read, keep bool) error {
	var m *digits.Model
	if read {
		var err error
		if m, err = digits.Embedded(); err != nil {
			return fmt.Errorf("trace: %w", err)
		}
	}
	var sc cropScratch
	for i := range hs {
		crop, err := houseCrop(img, raw, lab, regs[hs[i].region], hs[i].region, &sc)
		if err != nil {
			return fmt.Errorf("trace: house at %.0f,%.0f: %w", hs[i].At[0], hs[i].At[1], err)
		}
		if crop.W == 0 {
			continue
		}
		if keep {
			hs[i].Crop = crop
		}
		if !read {
			continue
		}
		rd, err := m.Read(crop)
		if errors.Is(err, digits.ErrNoNumber) {
			continue
		}
		if err != nil {
			return fmt.Errorf("trace: house at %.0f,%.0f: %w", hs[i].At[0], hs[i].At[1], err)
		}
		if !digits.WellFormed(rd.Text) || rd.Confidence < MinNumberConfidence {
			continue
		}
		hs[i].Number = rd.Text
		hs[i].NumberConfidence = math.Round(rd.Confidence*100) / 100
	}
	return nil
}

type cropScratch struct {
	seen  []bool
	stack []int
	comp  []int
}

// houseCrop cuts out a house's number: the house's paper and a pixel
// around it (the outline's ink), keeping as ink only the islands — pieces
// of pencil (before the ink was grown) not joined to the crop's edge, as
// the outline, an L's inner corner or a lane are: the number's strokes. A
// number written against the outline stays apart from it at the scan's
// own resolution more often than once the ink is grown. A region far
// larger than a house gives an empty crop.
func houseCrop(img *image.Gray, raw []byte, lab []int32, r region, id int32, sc *cropScratch) (digits.Crop, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	x0, y0, x1, y1 := max(r.x0-1, 0), max(r.y0-1, 0), min(r.x1+1, w), min(r.y1+1, h)
	cw, ch := x1-x0, y1-y0
	if cw*ch > digits.MaxCropPixels {
		return digits.Crop{}, nil
	}
	sc.seen = slices.Grow(sc.seen[:0], cw*ch)[:cw*ch]
	clear(sc.seen)
	seen := sc.seen
	ink := func(x, y int) bool {
		i := (y0+y)*w + x0 + x
		return raw[i] == 1 && lab[i] != id
	}
	keep := make([]bool, cw*ch)
	for y := 0; y < ch; y++ {
		for x := 0; x < cw; x++ {
			k := y*cw + x
			if seen[k] || !ink(x, y) {
				continue
			}
			seen[k] = true
			sc.stack = append(sc.stack[:0], k)
			sc.comp = sc.comp[:0]
			edge := false
			for len(sc.stack) > 0 {
				p := sc.stack[len(sc.stack)-1]
				sc.stack = sc.stack[:len(sc.stack)-1]
				sc.comp = append(sc.comp, p)
				px, py := p%cw, p/cw
				if px == 0 || py == 0 || px == cw-1 || py == ch-1 {
					edge = true
				}
				for _, d := range dirs {
					nx, ny := px+d[0], py+d[1]
					if nx < 0 || ny < 0 || nx >= cw || ny >= ch {
						continue
					}
					q := ny*cw + nx
					if !seen[q] && ink(nx, ny) {
						seen[q] = true
						sc.stack = append(sc.stack, q)
					}
				}
			}
			if edge {
				continue
			}
			for _, p := range sc.comp {
				keep[p] = true
			}
		}
	}
	return digits.FromGray(img, image.Rect(x0, y0, x1, y1).Add(img.Rect.Min), keep)
}

// numberBase is a number's whole part: 203 for 203 and 203-1.
func numberBase(s string) (int, bool) {
	b, _, _ := strings.Cut(s, "-")
	n, err := strconv.Atoi(b)
	return n, err == nil
}

// checkSequence flags a read number as doubtful when it is far from every
// number read on the houses nearest it. maps numbers houses in walking
// order along each lane, both sides alike, so a house's neighbours in its
// row carry numbers within a few of its own; a misread digit (a 3 for an
// 8 in the tens) lands tens or hundreds away. Two numbers read alike are
// both doubtful. Houses with no read neighbour close by are left as read.
func checkSequence(hs []House) {
	const (
		neighbours = 4
		maxStep    = 6
	)
	if len(hs) < 3 {
		return
	}
	areas := make([]int, len(hs))
	for i, h := range hs {
		areas[i] = h.AreaPx
	}
	slices.Sort(areas)
	reach := 3 * math.Sqrt(float64(areas[len(areas)/2]))
	count := map[string]int{}
	for _, h := range hs {
		if h.Number != "" {
			count[h.Number]++
		}
	}
	type near struct {
		d    float64
		base int
	}
	var ns []near
	for i := range hs {
		n, ok := numberBase(hs[i].Number)
		if !ok {
			continue
		}
		if count[hs[i].Number] > 1 {
			hs[i].Doubtful = true
			continue
		}
		ns = ns[:0]
		for j, o := range hs {
			b, ok := numberBase(o.Number)
			if j == i || !ok {
				continue
			}
			if d := math.Hypot(o.At[0]-hs[i].At[0], o.At[1]-hs[i].At[1]); d <= reach {
				ns = append(ns, near{d, b})
			}
		}
		if len(ns) == 0 {
			continue
		}
		slices.SortFunc(ns, func(a, b near) int { return cmp.Compare(a.d, b.d) })
		best := math.MaxInt
		for _, x := range ns[:min(len(ns), neighbours)] {
			best = min(best, abs(x.base-n))
		}
		hs[i].Doubtful = best > maxStep
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
