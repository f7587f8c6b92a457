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
		hs[i].reading = &rd
		if !digits.WellFormed(rd.Text) || rd.Confidence < MinNumberConfidence {
			continue
		}
		hs[i].Number = rd.Text
		hs[i].NumberConfidence = math.Round(rd.Confidence*100) / 100
	}
	return nil
}

type cropScratch struct {
	seen    []bool
	stack   []int
	comp    []int
	edge    []bool
	hl, vl  []int32
	islands []image.Rectangle
}

// houseCrop cuts out a house's number: the house's paper and a pixel
// around it (the outline's ink), keeping as ink only the islands — pieces
// of pencil (before the ink was grown) not joined to the crop's edge, as
// the outline, an L's inner corner or a lane are: the number's strokes. A
// number written against the outline stays apart from it at the scan's
// own resolution more often than once the ink is grown. A digit that
// does touch the outline or an L's inner stroke is taken back by
// rescueTouching. A region far larger than a house gives an empty crop.
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
	sc.edge = slices.Grow(sc.edge[:0], cw*ch)[:cw*ch]
	clear(sc.edge)
	sc.islands = sc.islands[:0]
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
				for _, p := range sc.comp {
					sc.edge[p] = true
				}
				continue
			}
			b := image.Rectangle{Min: image.Pt(cw, ch)}
			for _, p := range sc.comp {
				keep[p] = true
				px, py := p%cw, p/cw
				b = image.Rectangle{Min: image.Pt(min(b.Min.X, px), min(b.Min.Y, py)), Max: image.Pt(max(b.Max.X, px+1), max(b.Max.Y, py+1))}
			}
			sc.islands = append(sc.islands, b)
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
func rescueTouching(cw, ch int, keep []bool, sc *cropScratch) {
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
	for p := range n {
		if !edge[p] || line[p] || seen[p] {
			continue
		}
		seen[p] = true
		sc.stack = append(sc.stack[:0], p)
		sc.comp = sc.comp[:0]
		b := image.Rectangle{Min: image.Pt(cw, ch)}
		touches := false
		for len(sc.stack) > 0 {
			q := sc.stack[len(sc.stack)-1]
			sc.stack = sc.stack[:len(sc.stack)-1]
			sc.comp = append(sc.comp, q)
			qx, qy := q%cw, q/cw
			b = image.Rectangle{Min: image.Pt(min(b.Min.X, qx), min(b.Min.Y, qy)), Max: image.Pt(max(b.Max.X, qx+1), max(b.Max.Y, qy+1))}
			if qx == 0 || qy == 0 || qx == cw-1 || qy == ch-1 {
				touches = true
			}
			for _, d := range dirs {
				nx, ny := qx+d[0], qy+d[1]
				if nx < 0 || ny < 0 || nx >= cw || ny >= ch {
					continue
				}
				if r := ny*cw + nx; edge[r] && !line[r] && !seen[r] {
					seen[r] = true
					sc.stack = append(sc.stack, r)
				}
			}
		}
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

// Sequence choice (set on the tuning sheets 201–205 in the held-out hand):
// how far below the best reading's score (in nats) an alternative may be
// chosen, what each unit of distance from the nearest fitting neighbour's
// number costs in nats, how many nearest read houses are the neighbours,
// how far from one of them a number still fits, the passes, and what
// keeping a number another house also has costs, and what choosing an
// inserted house's number (203-1) over a plain reading costs.
const (
	altMargin     = 4.0
	seqWeight     = 1.0
	seqNeighbours = 4
	seqMaxStep    = 6
	seqPasses     = 2
	seqDuplicate  = 4.0
	seqDash       = 2.0
)

// chooseBySequence reads each house's number again from the recogniser's
// reading and its alternatives, knowing its neighbours': of the readings
// scored within altMargin of the best, that no other house has and that
// lie within seqMaxStep of a neighbour whose own number fits its
// neighbours, the one least unlikely — its score below the best plus
// seqWeight for each unit it lies from that neighbour's number — is
// taken (a house keeping the number another house has pays seqDuplicate:
// a village numbers each house once). A digit read as its second likeliest (a flat-topped 3 read as a
// 5 in the tens) or touching digits counted wrong then give way to the
// reading the lane's numbering supports; a house left unread may be read
// this way; a number with nothing read near it is left as read. Two
// passes, so a house set right can support its neighbour. checkSequence
// still flags what breaks the sequence after this.
func chooseBySequence(hs []House) {
	if len(hs) < 3 {
		return
	}
	areas := make([]int, len(hs))
	for i, h := range hs {
		areas[i] = h.AreaPx
	}
	slices.Sort(areas)
	reach := 3 * math.Sqrt(float64(areas[len(areas)/2]))
	// each house's nearest houses within reach, nearest first
	type near struct {
		d float64
		j int
	}
	nbrs := make([][]int, len(hs))
	var ns []near
	for i := range hs {
		ns = ns[:0]
		for j := range hs {
			if j == i {
				continue
			}
			if d := math.Hypot(hs[j].At[0]-hs[i].At[0], hs[j].At[1]-hs[i].At[1]); d <= reach {
				ns = append(ns, near{d, j})
			}
		}
		slices.SortFunc(ns, func(a, b near) int { return cmp.Compare(a.d, b.d) })
		for _, x := range ns {
			nbrs[i] = append(nbrs[i], x.j)
		}
	}
	// step is how far base lies from the nearest read neighbours of i
	// (those of them in ok only, when ok is not nil); -1 when none is read
	step := func(i, base int, ok []bool) int {
		best, seen := -1, 0
		for _, j := range nbrs[i] {
			b, read := numberBase(hs[j].Number)
			if !read {
				continue
			}
			seen++
			if ok == nil || ok[j] {
				if d := abs(b - base); best < 0 || d < best {
					best = d
				}
			}
			if seen == seqNeighbours {
				break
			}
		}
		return best
	}
	for range seqPasses {
		used := map[string]int{}
		for _, h := range hs {
			if h.Number != "" {
				used[h.Number]++
			}
		}
		fits := make([]bool, len(hs))
		for i := range hs {
			if b, ok := numberBase(hs[i].Number); ok && used[hs[i].Number] == 1 {
				d := step(i, b, nil)
				fits[i] = d >= 0 && d <= seqMaxStep
			}
		}
		for i := range hs {
			rd := hs[i].reading
			if rd == nil {
				continue
			}
			// each reading's cost: how much less likely than the best,
			// and how far from its fitting neighbours' numbers
			cost := func(a digits.Reading) (float64, bool) {
				b, ok := numberBase(a.Text)
				if !ok || !digits.WellFormed(a.Text) || (a.Text != hs[i].Number && used[a.Text] > 0) {
					return 0, false
				}
				d := step(i, b, fits)
				if d < 0 || d > seqMaxStep {
					return 0, false
				}
				c := rd.Score - a.Score + seqWeight*float64(d)
				if a.Text == hs[i].Number && used[a.Text] > 1 {
					c += seqDuplicate // another house has it too: one is wrong
				}
				if strings.Contains(a.Text, "-") && !strings.Contains(rd.Text, "-") {
					c += seqDash // an inserted house's number lies close by its base's
				}
				return c, true
			}
			cur, curOK := math.Inf(1), false
			if hs[i].Number != "" {
				for _, a := range append([]digits.Reading{*rd}, rd.Alternatives...) {
					if a.Text == hs[i].Number {
						cur, curOK = cost(a)
						if !curOK {
							cur = math.Inf(1)
						}
						break
					}
				}
				if !curOK {
					if b, ok := numberBase(hs[i].Number); ok && step(i, b, nil) < 0 {
						continue // nothing read near it to judge by
					}
				}
			}
			var pick *digits.Reading
			for k, a := range append([]digits.Reading{*rd}, rd.Alternatives...) {
				if a.Score < rd.Score-altMargin {
					break
				}
				if c, ok := cost(a); ok && c < cur {
					cur, pick = c, &append([]digits.Reading{*rd}, rd.Alternatives...)[k]
				}
			}
			if pick != nil && pick.Text != hs[i].Number {
				if hs[i].Number != "" {
					used[hs[i].Number]--
				}
				used[pick.Text]++
				hs[i].Number = pick.Text
				hs[i].NumberConfidence = math.Round(pick.Confidence*100) / 100
			}
			if pick != nil || curOK {
				fits[i] = true
			}
		}
	}
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
