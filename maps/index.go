package maps

import (
	"math"
	"slices"
)

// FeatureKind says which slice of a Village a Ref points into.
type FeatureKind uint8

// Feature kinds.
const (
	FeatNone FeatureKind = iota
	FeatHouse
	FeatLane
	FeatLandmark
	FeatLabel
)

func (k FeatureKind) String() string {
	switch k {
	case FeatHouse:
		return "house"
	case FeatLane:
		return "lane"
	case FeatLandmark:
		return "landmark"
	case FeatLabel:
		return "label"
	}
	return "none"
}

// Ref names one feature of a Village by kind and slice index. Indices are
// only valid for the Village an Index was built from; the edit model works
// with IDs and rebuilds the index after each change.
type Ref struct {
	Kind  FeatureKind
	Index int
}

// Index is a uniform grid over a Village's features for viewport culling
// and hit testing. It is read-only after Build, so one Index may serve
// several goroutines; rebuild it after the Village changes.
type Index struct {
	v      *Village
	origin Point
	cell   float64
	nx, ny int
	cells  [][]entry
	// bounds of every feature, by kind then slice index; lanes are indexed
	// per segment, so laneBox holds the whole lane's box for culling.
	houseBox []Rect
	laneBox  []Rect
	extent   Rect
}

type entry struct {
	ref Ref
	seg int32 // lane segment, -1 otherwise
	box Rect
}

// LandmarkReach is the radius in metres a landmark symbol covers on the
// ground; hits and culling use it.
const LandmarkReach = 3.0

// maxCells bounds the grid so a village spread over kilometres with few
// features does not allocate millions of empty cells.
const maxCells = 1 << 16

// BuildIndex indexes v. The cell size adapts to the feature density (about
// a few houses per cell), which keeps both culling and hit tests O(1) per
// cell touched.
func BuildIndex(v *Village) *Index {
	ix := &Index{v: v, houseBox: make([]Rect, len(v.Houses)), laneBox: make([]Rect, len(v.Lanes))}
	var es []entry
	ext := EmptyRect()
	for i := range v.Houses {
		b := v.Houses[i].Polygon.Bounds()
		ix.houseBox[i] = b
		if b.IsEmpty() {
			continue
		}
		es = append(es, entry{Ref{FeatHouse, i}, -1, b})
		ext = ext.Union(b)
	}
	for i := range v.Lanes {
		l := &v.Lanes[i]
		half := math.Max(l.Width, 0) / 2
		lb := EmptyRect()
		for s := 1; s < len(l.Points); s++ {
			b := BoundsOf(l.Points[s-1 : s+1]).Inset(half)
			lb = lb.Union(b)
			es = append(es, entry{Ref{FeatLane, i}, int32(s - 1), b})
		}
		if len(l.Points) == 1 {
			lb = BoundsOf(l.Points).Inset(half)
			es = append(es, entry{Ref{FeatLane, i}, 0, lb})
		}
		ix.laneBox[i] = lb
		ext = ext.Union(lb)
	}
	for i, m := range v.Landmarks {
		b := Rect{m.Point, m.Point}.Inset(LandmarkReach)
		es = append(es, entry{Ref{FeatLandmark, i}, -1, b})
		ext = ext.Union(b)
	}
	for i, lb := range v.Labels {
		b := LabelBox(lb)
		es = append(es, entry{Ref{FeatLabel, i}, -1, b})
		ext = ext.Union(b)
	}
	es = finiteEntries(es)
	ext = EmptyRect()
	for _, e := range es {
		ext = ext.Union(e.box)
	}
	if len(es) == 0 {
		ix.extent = EmptyRect()
		return ix
	}
	ix.extent = ext
	// Aim at ~4 entries per cell, with cells no smaller than 4 m.
	area := math.Max(ext.W(), 1) * math.Max(ext.H(), 1)
	cell := math.Max(4, math.Sqrt(area*4/float64(len(es))))
	for (math.Ceil(ext.W()/cell)+1)*(math.Ceil(ext.H()/cell)+1) > maxCells {
		cell *= 1.5
	}
	ix.cell = cell
	ix.origin = ext.Min
	ix.nx = int(ext.W()/cell) + 1
	ix.ny = int(ext.H()/cell) + 1
	ix.cells = make([][]entry, ix.nx*ix.ny)
	for _, e := range es {
		x0, y0, x1, y1 := ix.span(e.box)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				c := &ix.cells[y*ix.nx+x]
				*c = append(*c, e)
			}
		}
	}
	return ix
}

// finiteEntries drops entries with NaN/Inf boxes: validation rejects such
// geometry, but an Index must never loop or index out of range on it.
func finiteEntries(es []entry) []entry {
	out := es[:0]
	for _, e := range es {
		if Finite(e.box.Min) && Finite(e.box.Max) {
			out = append(out, e)
		}
	}
	return out
}

// LabelBox is the box a label's text covers on the map, centred on its
// point: one em (its size, or DefaultLabelSize) per character, in metres.
func LabelBox(l Label) Rect {
	h := l.Size
	if h <= 0 {
		h = DefaultLabelSize
	}
	// Text extent is unknown without a font; a CJK glyph is about one em
	// wide, so n runes span about n*h.
	w := float64(len([]rune(l.Text))) * h / 2
	return Rect{Point{l.Point.X - w, l.Point.Y - h/2}, Point{l.Point.X + w, l.Point.Y + h/2}}
}

// DefaultLabelSize is the text height in metres of a label without a size.
const DefaultLabelSize = 4.0

func (ix *Index) clampCell(v float64, n int) int {
	i := int(math.Floor(v / ix.cell))
	if i < 0 {
		return 0
	}
	if i >= n {
		return n - 1
	}
	return i
}

func (ix *Index) span(b Rect) (x0, y0, x1, y1 int) {
	x0 = ix.clampCell(b.Min.X-ix.origin.X, ix.nx)
	y0 = ix.clampCell(b.Min.Y-ix.origin.Y, ix.ny)
	x1 = ix.clampCell(b.Max.X-ix.origin.X, ix.nx)
	y1 = ix.clampCell(b.Max.Y-ix.origin.Y, ix.ny)
	return
}

// Village returns the village the index was built from.
func (ix *Index) Village() *Village { return ix.v }

// Extent is the box around every indexed feature (empty for an empty map).
func (ix *Index) Extent() Rect { return ix.extent }

// Query calls fn once for every feature whose box overlaps r. A feature
// spanning several cells is reported only from the cell holding the corner
// of its overlap with r, so no per-query "seen" set is needed and Query
// stays safe for concurrent use.
func (ix *Index) Query(r Rect, fn func(Ref)) {
	if ix.cells == nil || !r.Overlaps(ix.extent) {
		return
	}
	x0, y0, x1, y1 := ix.span(r)
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			for _, e := range ix.cells[y*ix.nx+x] {
				if !e.box.Overlaps(r) {
					continue
				}
				cx := ix.clampCell(math.Max(e.box.Min.X, r.Min.X)-ix.origin.X, ix.nx)
				cy := ix.clampCell(math.Max(e.box.Min.Y, r.Min.Y)-ix.origin.Y, ix.ny)
				if cx != x || cy != y {
					continue
				}
				if e.ref.Kind == FeatLane && !ix.firstLaneSeg(e, r) {
					continue
				}
				fn(e.ref)
			}
		}
	}
}

// firstLaneSeg reports whether e is the lowest-numbered segment of its lane
// overlapping r, so a lane comes back once, not once per segment.
func (ix *Index) firstLaneSeg(e entry, r Rect) bool {
	l := &ix.v.Lanes[e.ref.Index]
	half := math.Max(l.Width, 0) / 2
	for s := 1; s <= int(e.seg); s++ {
		if BoundsOf(l.Points[s-1 : s+1]).Inset(half).Overlaps(r) {
			return false
		}
	}
	return true
}

// Visible returns the features overlapping r, grouped by kind in drawing
// order (lanes, houses, landmarks, labels), each group in slice order so
// output is deterministic.
func (ix *Index) Visible(r Rect) (lanes, houses, landmarks, labels []int) {
	ix.Query(r, func(f Ref) {
		switch f.Kind {
		case FeatLane:
			lanes = append(lanes, f.Index)
		case FeatHouse:
			houses = append(houses, f.Index)
		case FeatLandmark:
			landmarks = append(landmarks, f.Index)
		case FeatLabel:
			labels = append(labels, f.Index)
		}
	})
	sortInts(lanes)
	sortInts(houses)
	sortInts(landmarks)
	sortInts(labels)
	return
}

func sortInts(a []int) { slices.Sort(a) }
