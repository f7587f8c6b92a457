package lanenet

import (
	"container/heap"
	"fmt"
	"math"
	"sort"

	"cunjing/maps"
)

// Tolerances for joining hand-drawn lanes into a network.
const (
	// nodeSnap joins junction points closer than this (metres).
	nodeSnap = 1.0
	// endSnapExtra: a lane end that stops within half the other lane's
	// width plus this much of the other lane's centre line is joined to it,
	// because on the ground it reaches that lane's edge.
	endSnapExtra = 1.0
)

// Edge is one piece of a lane between two junctions or ends.
type Edge struct {
	A, B   int     // node indices
	Lane   int     // index into Village.Lanes
	S0, S1 float64 // arc positions along the lane, S0 < S1, at A and B
	Width  float64
	Length float64
}

// Graph is the lane network: lanes split at every crossing, T-junction and
// shared end within snap tolerance.
type Graph struct {
	Nodes []maps.Point
	Edges []Edge
	Adj   [][]int // edge indices touching each node
	Lanes []maps.Lane
	// LaneEdges lists each lane's edges in order of arc position.
	LaneEdges [][]int
}

type splitPt struct {
	s        float64
	p        maps.Point
	junction bool // where another lane meets; its point wins over a vertex
}

// cleanPolyline drops repeated points.
func cleanPolyline(pts []maps.Point) []maps.Point {
	out := make([]maps.Point, 0, len(pts))
	for _, p := range pts {
		if len(out) > 0 && maps.Dist(out[len(out)-1], p) < 1e-6 {
			continue
		}
		out = append(out, p)
	}
	return out
}

// BuildGraph builds the lane network. Lanes must be valid (see
// ValidateLane); an invalid lane is an error naming it.
func BuildGraph(lanes []maps.Lane) (*Graph, error) {
	g := &Graph{Lanes: make([]maps.Lane, len(lanes)), LaneEdges: make([][]int, len(lanes))}
	for i, l := range lanes {
		if err := maps.ValidateLane(l); err != nil {
			return nil, fmt.Errorf("lane %d (%s): %w", i, l.ID, err)
		}
		l.Points = cleanPolyline(l.Points)
		if n := maps.PolylineLength(l.Points); n < nodeSnap {
			return nil, fmt.Errorf("lane %d (%s): %.2f m long: too short to be a lane", i, l.ID, n)
		}
		g.Lanes[i] = l
	}
	// Cumulative arc positions of each lane's vertices.
	cum := make([][]float64, len(g.Lanes))
	boxes := make([]maps.Rect, len(g.Lanes))
	for i, l := range g.Lanes {
		c := make([]float64, len(l.Points))
		for k := 1; k < len(l.Points); k++ {
			c[k] = c[k-1] + maps.Dist(l.Points[k-1], l.Points[k])
		}
		cum[i] = c
		boxes[i] = maps.BoundsOf(l.Points).Inset(l.Width/2 + endSnapExtra)
	}
	splits := make([][]splitPt, len(g.Lanes))
	for i, l := range g.Lanes {
		for k, p := range l.Points {
			splits[i] = append(splits[i], splitPt{cum[i][k], p, false})
		}
	}
	for i := range g.Lanes {
		for j := i + 1; j < len(g.Lanes); j++ {
			if !boxes[i].Overlaps(boxes[j]) {
				continue
			}
			g.joinPair(i, j, cum, splits)
		}
	}
	// Node creation with snapping through a hash grid.
	grid := map[[2]int][]int{}
	cell := func(p maps.Point) [2]int {
		return [2]int{int(math.Floor(p.X / nodeSnap)), int(math.Floor(p.Y / nodeSnap))}
	}
	nodeAt := func(p maps.Point) int {
		c := cell(p)
		best, bd := -1, nodeSnap
		for dx := -1; dx <= 1; dx++ {
			for dy := -1; dy <= 1; dy++ {
				for _, n := range grid[[2]int{c[0] + dx, c[1] + dy}] {
					if d := maps.Dist(g.Nodes[n], p); d < bd {
						best, bd = n, d
					}
				}
			}
		}
		if best >= 0 {
			return best
		}
		g.Nodes = append(g.Nodes, p)
		g.Adj = append(g.Adj, nil)
		grid[c] = append(grid[c], len(g.Nodes)-1)
		return len(g.Nodes) - 1
	}
	for i, l := range g.Lanes {
		sp := splits[i]
		sort.Slice(sp, func(a, b int) bool { return sp[a].s < sp[b].s })
		// Only junctions and ends become nodes; interior vertices are
		// kept as lane geometry.
		var stops []splitPt
		total := cum[i][len(cum[i])-1]
		for _, x := range sp {
			if !x.junction && x.s > 0 && x.s < total {
				continue // an interior vertex: geometry, not a node
			}
			if len(stops) > 0 && x.s-stops[len(stops)-1].s < 1e-6 {
				if x.junction && !stops[len(stops)-1].junction {
					stops[len(stops)-1] = x
				}
				continue
			}
			stops = append(stops, x)
		}
		if len(stops) == 0 || stops[0].s > 1e-9 {
			stops = append([]splitPt{{0, l.Points[0], false}}, stops...)
		}
		if stops[len(stops)-1].s < total-1e-9 {
			stops = append(stops, splitPt{total, l.Points[len(l.Points)-1], false})
		}
		// A piece whose ends meet (a ring road) gets a node half way, so
		// it is not lost as a loop on one node.
		for k := 1; k < len(stops); k++ {
			a, b := stops[k-1], stops[k]
			if maps.Dist(a.p, b.p) < nodeSnap && b.s-a.s > 2*nodeSnap {
				mid := (a.s + b.s) / 2
				stops = append(stops[:k], append([]splitPt{{mid, PointAt(l.Points, mid), true}}, stops[k:]...)...)
			}
		}
		prev := nodeAt(stops[0].p)
		for k := 1; k < len(stops); k++ {
			n := nodeAt(stops[k].p)
			if n == prev {
				continue // a piece shorter than the snap tolerance
			}
			e := Edge{A: prev, B: n, Lane: i, S0: stops[k-1].s, S1: stops[k].s, Width: l.Width}
			e.Length = e.S1 - e.S0
			g.Edges = append(g.Edges, e)
			id := len(g.Edges) - 1
			g.Adj[prev] = append(g.Adj[prev], id)
			g.Adj[n] = append(g.Adj[n], id)
			g.LaneEdges[i] = append(g.LaneEdges[i], id)
			prev = n
		}
		if len(g.LaneEdges[i]) == 0 {
			return nil, fmt.Errorf("lane %d (%s): its ends lie within %.0f m of each other and it is too short to be a ring", i, l.ID, nodeSnap)
		}
	}
	return g, nil
}

// joinPair adds split points where lanes i and j cross or where an end of
// one stops on the other.
func (g *Graph) joinPair(i, j int, cum [][]float64, splits [][]splitPt) {
	li, lj := g.Lanes[i], g.Lanes[j]
	for a := 1; a < len(li.Points); a++ {
		for b := 1; b < len(lj.Points); b++ {
			p, t, u, ok := maps.SegmentIntersection(li.Points[a-1], li.Points[a], lj.Points[b-1], lj.Points[b])
			if !ok {
				continue
			}
			si := cum[i][a-1] + t*(cum[i][a]-cum[i][a-1])
			sj := cum[j][b-1] + u*(cum[j][b]-cum[j][b-1])
			splits[i] = append(splits[i], splitPt{si, p, true})
			splits[j] = append(splits[j], splitPt{sj, p, true})
		}
	}
	// Ends of one lane stopping on or near the other (T-junctions).
	tee := func(x, y int) {
		lx, ly := g.Lanes[x], g.Lanes[y]
		for _, end := range []int{0, len(lx.Points) - 1} {
			e := lx.Points[end]
			q, d, _, s := maps.NearestOnPolyline(e, ly.Points)
			if d > ly.Width/2+endSnapExtra {
				continue
			}
			splits[y] = append(splits[y], splitPt{s, q, true})
			// Move the end onto the junction so both lanes share the node.
			splits[x] = append(splits[x], splitPt{cum[x][end], q, true})
		}
	}
	tee(i, j)
	tee(j, i)
}

// Lane returns the lane with the given index as the graph saw it.
func (g *Graph) Lane(i int) maps.Lane { return g.Lanes[i] }

// LaneCount is the number of lanes the graph was built from.
func (g *Graph) LaneCount() int { return len(g.Lanes) }

// EdgePoints returns the geometry of edge e from S0 to S1.
func (g *Graph) EdgePoints(e int) []maps.Point {
	ed := g.Edges[e]
	return SubPolyline(g.Lanes[ed.Lane].Points, ed.S0, ed.S1)
}

// PointAt returns the point at arc position s along a polyline.
func PointAt(pts []maps.Point, s float64) maps.Point {
	if len(pts) == 0 {
		return maps.Point{}
	}
	for k := 1; k < len(pts); k++ {
		seg := maps.Dist(pts[k-1], pts[k])
		if s <= seg || k == len(pts)-1 {
			if seg == 0 {
				return pts[k]
			}
			t := math.Max(0, math.Min(1, s/seg))
			return pts[k-1].Add(pts[k].Sub(pts[k-1]).Scale(t))
		}
		s -= seg
	}
	return pts[len(pts)-1]
}

// SubPolyline returns the part of a polyline between arc positions s0<=s1.
func SubPolyline(pts []maps.Point, s0, s1 float64) []maps.Point {
	out := []maps.Point{PointAt(pts, s0)}
	var acc float64
	for k := 1; k < len(pts); k++ {
		acc += maps.Dist(pts[k-1], pts[k])
		if acc > s0 && acc < s1 {
			out = append(out, pts[k])
		}
	}
	return append(out, PointAt(pts, s1))
}

// Spot is a place on the network: on edge Edge at arc position S of its lane.
type Spot struct {
	Edge int
	S    float64
	At   maps.Point
	Off  float64 // distance from the query point to At
}

// Nearest finds the spot of the network closest to p among edges at least
// minWidth wide; ok is false when there is none.
func (g *Graph) Nearest(p maps.Point, minWidth float64) (Spot, bool) {
	best := Spot{Edge: -1, Off: math.Inf(1)}
	for e, ed := range g.Edges {
		if ed.Width < minWidth {
			continue
		}
		pts := g.EdgePoints(e)
		q, d, _, s := maps.NearestOnPolyline(p, pts)
		if d < best.Off {
			best = Spot{Edge: e, S: ed.S0 + s, At: q, Off: d}
		}
	}
	return best, best.Edge >= 0
}

// LaneSpot finds the spot on lane li closest to p.
func (g *Graph) LaneSpot(p maps.Point, li int) (Spot, bool) {
	best := Spot{Edge: -1, Off: math.Inf(1)}
	if li < 0 || li >= len(g.LaneEdges) {
		return best, false
	}
	for _, e := range g.LaneEdges[li] {
		ed := g.Edges[e]
		q, d, _, s := maps.NearestOnPolyline(p, g.EdgePoints(e))
		if d < best.Off {
			best = Spot{Edge: e, S: ed.S0 + s, At: q, Off: d}
		}
	}
	return best, best.Edge >= 0
}

// Distances runs Dijkstra from a spot over edges at least minWidth wide
// and returns the distance to every node (+Inf where unreachable) and the
// edge by which each node was reached (-1 for none).
func (g *Graph) Distances(from Spot, minWidth float64) (dist []float64, via []int) {
	dist = make([]float64, len(g.Nodes))
	via = make([]int, len(g.Nodes))
	for i := range dist {
		dist[i] = math.Inf(1)
		via[i] = -1
	}
	if from.Edge < 0 || from.Edge >= len(g.Edges) {
		return dist, via
	}
	h := &nodeHeap{}
	ed := g.Edges[from.Edge]
	if ed.Width >= minWidth {
		relax := func(n int, d float64) {
			if d < dist[n] {
				dist[n] = d
				via[n] = from.Edge
				heap.Push(h, nodeDist{n, d})
			}
		}
		relax(ed.A, from.S-ed.S0)
		relax(ed.B, ed.S1-from.S)
	}
	for h.Len() > 0 {
		cur := heap.Pop(h).(nodeDist)
		if cur.d > dist[cur.n] {
			continue
		}
		for _, e := range g.Adj[cur.n] {
			x := g.Edges[e]
			if x.Width < minWidth {
				continue
			}
			o := x.A
			if o == cur.n {
				o = x.B
			}
			if nd := cur.d + x.Length; nd < dist[o] {
				dist[o] = nd
				via[o] = e
				heap.Push(h, nodeDist{o, nd})
			}
		}
	}
	return dist, via
}

type nodeDist struct {
	n int
	d float64
}

type nodeHeap []nodeDist

func (h nodeHeap) Len() int           { return len(h) }
func (h nodeHeap) Less(i, j int) bool { return h[i].d < h[j].d }
func (h nodeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *nodeHeap) Push(x any)        { *h = append(*h, x.(nodeDist)) }
func (h *nodeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
