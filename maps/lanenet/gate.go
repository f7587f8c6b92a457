package lanenet

import (
	"math"
	"sort"

	"cunjing/maps"
)

// HouseLanes gives, for each house of v (by index into v.Houses), the index
// into v.Lanes of the lane its gate opens onto — the lane whose edge is
// nearest the outline, as numbering walks them — or -1 when the map has no
// usable lane. A door plate names this lane. Lanes that are not valid
// (ValidateLane) are passed over.
func HouseLanes(v *maps.Village) []int {
	out := make([]int, len(v.Houses))
	var lanes []maps.Lane
	var index []int // lanes[k] is v.Lanes[index[k]]
	for i, l := range v.Lanes {
		if maps.ValidateLane(l) != nil {
			continue
		}
		l.Points = cleanPolyline(l.Points)
		if len(l.Points) < 2 {
			continue
		}
		lanes = append(lanes, l)
		index = append(index, i)
	}
	if len(lanes) == 0 {
		for i := range out {
			out[i] = -1
		}
		return out
	}
	g := NewGrid(lanes)
	for i := range v.Houses {
		h := &v.Houses[i]
		out[i] = -1
		if len(h.Polygon) == 0 {
			continue
		}
		if li := HouseGate(h, lanes, g.Near(h.Polygon.Bounds())).Lane; li >= 0 {
			out[i] = index[li]
		}
	}
	return out
}

// Gate is where a house meets the lane network.
type Gate struct {
	Lane int     // lane index, -1 when the map has no lanes
	S    float64 // arc position of the gate along the lane
	Left bool    // house is on the left when walking towards larger s
	Off  float64 // distance from the lane edge to the house outline
}

// HouseGate finds the lane a house opens onto: the lane whose edge is
// nearest the outline.
func HouseGate(h *maps.House, lanes []maps.Lane, cand []int) Gate {
	best := Gate{Lane: -1, Off: math.Inf(1)}
	c := h.Polygon.Centroid()
	for _, li := range cand {
		l := lanes[li]
		d := math.Inf(1)
		for _, p := range h.Polygon {
			_, dd, _, _ := maps.NearestOnPolyline(p, l.Points)
			d = math.Min(d, dd)
		}
		for _, p := range l.Points {
			d = math.Min(d, h.Polygon.DistToBoundary(p))
		}
		d -= l.Width / 2
		if d < best.Off {
			_, _, seg, s := maps.NearestOnPolyline(c, l.Points)
			dir := l.Points[seg+1].Sub(l.Points[seg])
			rel := c.Sub(l.Points[seg])
			best = Gate{Lane: li, S: s, Left: dir.X*rel.Y-dir.Y*rel.X > 0, Off: d}
		}
	}
	return best
}

// Grid is a coarse bucket grid of lanes so that each house only looks
// at lanes near it.
type Grid struct {
	cell  float64
	cells map[[2]int][]int
	all   []int
}

// NewGrid buckets lanes into 50 m cells.
func NewGrid(lanes []maps.Lane) *Grid {
	g := &Grid{cell: 50, cells: map[[2]int][]int{}}
	for i, l := range lanes {
		g.all = append(g.all, i)
		b := maps.BoundsOf(l.Points).Inset(l.Width/2 + 1)
		for x := int(math.Floor(b.Min.X / g.cell)); x <= int(math.Floor(b.Max.X/g.cell)); x++ {
			for y := int(math.Floor(b.Min.Y / g.cell)); y <= int(math.Floor(b.Max.Y/g.cell)); y++ {
				g.cells[[2]int{x, y}] = append(g.cells[[2]int{x, y}], i)
			}
		}
	}
	return g
}

// Near returns lanes whose cells lie within one ring of cells around r, or
// every lane if none do (a house far from all lanes still gets one).
func (g *Grid) Near(r maps.Rect) []int {
	seen := map[int]bool{}
	var out []int
	for x := int(math.Floor(r.Min.X/g.cell)) - 1; x <= int(math.Floor(r.Max.X/g.cell))+1; x++ {
		for y := int(math.Floor(r.Min.Y/g.cell)) - 1; y <= int(math.Floor(r.Max.Y/g.cell))+1; y++ {
			for _, i := range g.cells[[2]int{x, y}] {
				if !seen[i] {
					seen[i] = true
					out = append(out, i)
				}
			}
		}
	}
	if len(out) == 0 {
		return g.all
	}
	sort.Ints(out)
	return out
}
