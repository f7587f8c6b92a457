// Package housenum settles the house numbers on a traced sheet: where a
// house's number is written (Crop: the pencil islands inside its outline,
// and a digit joined to the outline or to an L's inner stroke taken back),
// for maps/trace/digits to read, and which of the reader's readings to
// believe (ChooseBySequence, CheckSequence: by the numbers read on the
// neighbouring houses). maps/trace calls it for each house it finds; it
// imports only maps/trace/digits.
package housenum

import (
	"image"
	"slices"

	"cunjing/maps/trace/digits"
)

// around are a pixel's eight neighbours.
var around = [8][2]int{{1, 0}, {1, 1}, {0, 1}, {-1, 1}, {-1, 0}, {-1, -1}, {0, -1}, {1, -1}}

// Scratch is what Crop reuses from one house to the next.
type Scratch struct {
	seen    []bool
	stack   []int
	comp    []int
	edge    []bool
	hl, vl  []int32
	islands []image.Rectangle
}

// Crop cuts out a house's number: the house's paper — the pixels labelled
// id in lab, within box (in raw's and lab's pixels: img's, from 0, 0) —
// and a pixel around it (the outline's ink), keeping as ink only the islands — pieces
// of pencil (before the ink was grown) not joined to the crop's edge, as
// the outline, an L's inner corner or a lane are: the number's strokes. A
// number written against the outline stays apart from it at the scan's
// own resolution more often than once the ink is grown. A digit that
// does touch the outline or an L's inner stroke is taken back by
// rescueTouching. A region far larger than a house gives an empty crop.
func Crop(img *image.Gray, raw []byte, lab []int32, box image.Rectangle, id int32, sc *Scratch) (digits.Crop, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	x0, y0, x1, y1 := max(box.Min.X-1, 0), max(box.Min.Y-1, 0), min(box.Max.X+1, w), min(box.Max.Y+1, h)
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
	sc.edge = slices.Grow(sc.edge[:0], cw*ch)[:cw*ch]
	clear(sc.edge)
	sc.islands = sc.islands[:0]
	for y := 0; y < ch; y++ {
		for x := 0; x < cw; x++ {
			k := y*cw + x
			if seen[k] || !ink(x, y) {
				continue
			}
			b, edge := sc.piece(k, cw, ch, seen, ink)
			for _, p := range sc.comp {
				if edge {
					sc.edge[p] = true
				} else {
					keep[p] = true
				}
			}
			if !edge {
				sc.islands = append(sc.islands, b)
			}
		}
	}
	rescueTouching(cw, ch, keep, sc)
	return digits.FromGray(img, image.Rect(x0, y0, x1, y1).Add(img.Rect.Min), keep)
}

// rescueTouching takes back the part of a digit joined to the outline or
// to an L's inner stroke (sc.edge: the ink joined to the crop's edge): the
// edge ink's straight strokes — runs, with a pixel's wobble either side,
// thin across (at most half the number's height) and longer than the
// number's height and 3 px (its height is its tallest island's) — are
// taken away with what lies within 2 pixels of them (the knot where two
// strokes meet, their rough edges), and what is left of the edge ink is
// kept as ink when it is apart from the edge, 0.55–1.4 of the number's
// height, in line with the islands and near them, and not solid: a digit,
// not a corner of the outline. Without islands nothing is taken back.
func rescueTouching(cw, ch int, keep []bool, sc *Scratch) {
	// the number's height: its tallest island (a digit whole; the others
	// may be pieces of pencil)
	hMed := 0
	for _, b := range sc.islands {
		hMed = max(hMed, b.Dy())
	}
	if hMed < 4 {
		return
	}
	band := image.Rectangle{}
	for _, b := range sc.islands {
		if b.Dy()*2 >= hMed {
			band = band.Union(b)
		}
	}
	if band.Empty() {
		return
	}
	long := max(6, hMed+3)
	thin := max(3, (hMed+1)/2)
	n := cw * ch
	edge := sc.edge
	// each edge pixel's run of edge ink across a row (hl) and down a
	// column (vl): a vertical stroke is thin across, a horizontal one down
	sc.hl = slices.Grow(sc.hl[:0], n)[:n]
	sc.vl = slices.Grow(sc.vl[:0], n)[:n]
	hl, vl := sc.hl, sc.vl
	clear(hl)
	clear(vl)
	for y := range ch {
		runLengths(edge, hl, y*cw, 1, cw)
	}
	for x := range cw {
		runLengths(edge, vl, x, cw, ch)
	}
	line := make([]bool, n)
	// on: a thin piece of a stroke at (x, y), a pixel of wobble either side
	on := func(x, y int, vertical bool) bool {
		for d := -1; d <= 1; d++ {
			if vertical {
				if xx := x + d; xx >= 0 && xx < cw && edge[y*cw+xx] && int(hl[y*cw+xx]) <= thin {
					return true
				}
			} else if yy := y + d; yy >= 0 && yy < ch && edge[yy*cw+x] && int(vl[yy*cw+x]) <= thin {
				return true
			}
		}
		return false
	}
	for _, vertical := range []bool{true, false} {
		outer, inner := cw, ch
		if !vertical {
			outer, inner = ch, cw
		}
		at := func(o, i int) (int, int) {
			if vertical {
				return o, i
			}
			return i, o
		}
		for o := 0; o < outer; o++ {
			for i := 0; i < inner; {
				if x, y := at(o, i); !on(x, y, vertical) {
					i++
					continue
				}
				j := i
				for j < inner {
					if xx, yy := at(o, j); !on(xx, yy, vertical) {
						break
					}
					j++
				}
				if j-i >= long {
					for k := i; k < j; k++ {
						// the stroke's own pixels about (o, k)
						for d := -1; d <= 1; d++ {
							xx, yy := at(o+d, k)
							if xx < 0 || yy < 0 || xx >= cw || yy >= ch {
								continue
							}
							q := yy*cw + xx
							if edge[q] && ((vertical && int(hl[q]) <= thin) || (!vertical && int(vl[q]) <= thin)) {
								line[q] = true
							}
						}
					}
				}
				i = j
			}
		}
	}
	// the knot where two strokes meet, and the strokes' rough edges: what
	// lies within a pixel or two of a straight stroke goes with it
	grow := max(2, thin/2)
	grown := slices.Clone(line)
	for p := range n {
		if !line[p] {
			continue
		}
		px, py := p%cw, p/cw
		for dy := -grow; dy <= grow; dy++ {
			for dx := -grow; dx <= grow; dx++ {
				if x, y := px+dx, py+dy; x >= 0 && y >= 0 && x < cw && y < ch {
					grown[y*cw+x] = true
				}
			}
		}
	}
	line = grown
	// what is left of the edge ink, in pieces
	seen := make([]bool, n)
	left := func(x, y int) bool { r := y*cw + x; return edge[r] && !line[r] }
	for p := range n {
		if !edge[p] || line[p] || seen[p] {
			continue
		}
		b, touches := sc.piece(p, cw, ch, seen, left)
		// a digit's height, and strokes, not the solid knot where an L's
		// two strokes meet
		if touches || b.Dy()*20 < hMed*11 || b.Dy()*5 > hMed*7 || len(sc.comp)*20 > b.Dx()*b.Dy()*13 {
			continue
		}
		if ov := min(b.Max.Y, band.Max.Y) - max(b.Min.Y, band.Min.Y); ov*2 < b.Dy() {
			continue
		}
		if gap := max(band.Min.X-b.Max.X, b.Min.X-band.Max.X); gap*5 > hMed*6 {
			continue
		}
		for _, q := range sc.comp {
			keep[q] = true
		}
	}
}

// piece gathers into sc.comp the 8-connected piece of the cw×ch crop that
// holds pixel k, of the pixels in says are ink, marking them in seen: its
// box, and whether it touches the crop's edge.
func (sc *Scratch) piece(k, cw, ch int, seen []bool, in func(x, y int) bool) (image.Rectangle, bool) {
	seen[k] = true
	sc.stack = append(sc.stack[:0], k)
	sc.comp = sc.comp[:0]
	b := image.Rectangle{Min: image.Pt(cw, ch)}
	touches := false
	for len(sc.stack) > 0 {
		p := sc.stack[len(sc.stack)-1]
		sc.stack = sc.stack[:len(sc.stack)-1]
		sc.comp = append(sc.comp, p)
		px, py := p%cw, p/cw
		b = image.Rectangle{Min: image.Pt(min(b.Min.X, px), min(b.Min.Y, py)), Max: image.Pt(max(b.Max.X, px+1), max(b.Max.Y, py+1))}
		if px == 0 || py == 0 || px == cw-1 || py == ch-1 {
			touches = true
		}
		for _, d := range around {
			nx, ny := px+d[0], py+d[1]
			if nx < 0 || ny < 0 || nx >= cw || ny >= ch {
				continue
			}
			if q := ny*cw + nx; !seen[q] && in(nx, ny) {
				seen[q] = true
				sc.stack = append(sc.stack, q)
			}
		}
	}
	return b, touches
}

// runLengths writes, for each set pixel of the line of n pixels that
// starts at index start of mask and steps by step (1: a row; the width:
// a column), the length of the run of set pixels it is in, into out at
// the same index.
func runLengths(mask []bool, out []int32, start, step, n int) {
	for i := 0; i < n; {
		if !mask[start+i*step] {
			i++
			continue
		}
		j := i
		for j < n && mask[start+j*step] {
			j++
		}
		for k := i; k < j; k++ {
			out[start+k*step] = int32(j - i)
		}
		i = j
	}
}
