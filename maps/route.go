package maps

// Fire-engine routing.
//
// The engine drives only on lanes at least as wide as the vehicle (default
// 4.0 m: GB 50016-2014 §7.1.8 clear width of a fire lane). It starts from
// the chosen point or, by default, from whichever entrance gives the
// shortest drive. The house is reached at its gate: the point of the lane
// it opens onto that is nearest to its centre.
//
// The stop point is the place reachable by the engine from which the hose
// to the house is shortest; on a tie the one with the shorter drive. Hose
// is laid along lanes of any width (it cannot cross walls and houses),
// then straight from the gate to the house outline; hose_m is that total.
// Water sources (hydrants, wells, ponds) are reported with their walking
// distance along lanes from the stop point (where the engine stands and
// would draft or refill), plus the straight step from the lane to the
// source.

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// DefaultVehicleWidth is the clear width a fire engine needs (GB 50016 §7.1.8).
const DefaultVehicleWidth = 4.0

// RouteOptions choose the start and the vehicle.
type RouteOptions struct {
	// To is the house number (current or old) to reach.
	To string
	// Start is where the engine comes from; nil means the best entrance.
	Start *Point
	// Width is the vehicle's required clear width in metres; 0 means
	// DefaultVehicleWidth.
	Width float64
	// Water is how many water sources to report; 0 means 3.
	Water int
}

// XY is a point in the CLI's JSON shape.
type XY struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// WaterSource is a water source near the stop point.
type WaterSource struct {
	Name      string  `json:"name"`
	Kind      string  `json:"kind"`
	DistanceM float64 `json:"distance_m"`
	At        Point   `json:"-"`
}

// RouteStep is one stretch of the drive along one lane.
type RouteStep struct {
	Lane      string  `json:"lane"`
	Direction string  `json:"direction"` // 东, 东北, 北 …
	LengthM   float64 `json:"length_m"`
	Text      string  `json:"text"`
}

// RouteResult is the answer for the brigade. Its JSON keys are the CLI's
// (`cunjing route … --json`).
type RouteResult struct {
	Reachable bool          `json:"reachable"`
	LengthM   float64       `json:"length_m"`
	Stop      *XY           `json:"stop"`
	HoseM     float64       `json:"hose_m"`
	Water     []WaterSource `json:"water"`
	Steps     []RouteStep   `json:"steps"`

	HouseID   string  `json:"-"`
	Number    string  `json:"-"` // the house's current number
	StartName string  `json:"-"` // entrance or landmark name; "" when unnamed
	FromEntry bool    `json:"-"` // the start is an entrance
	StopName  string  `json:"-"` // e.g. "3号巷口"
	Path      []Point `json:"-"` // the drive, start to stop
	HosePath  []Point `json:"-"` // stop to the house outline
	Width     float64 `json:"-"`
	// Problem says in plain words why the engine cannot reach (when
	// Reachable is false).
	Problem string `json:"-"`
}

// ErrUnknownHouse is returned when no house has the number asked for.
var ErrUnknownHouse = errors.New("no house has that number")

// Router answers routes on one village; build it once per map version.
type Router struct {
	v      *Village
	g      *Graph
	gates  []gate
	gSpots []Spot // gate spot per house (Edge -1 if none)
	byNum  map[string]int
	water  []waterSpot
}

type waterSpot struct {
	lm   Landmark
	spot Spot
	ok   bool
}

// NewRouter builds the lane network and locates every gate and water
// source. It fails on invalid lanes and on a map without lanes.
func NewRouter(v *Village) (*Router, error) {
	if len(v.Lanes) == 0 {
		return nil, errors.New("route: the map has no lanes")
	}
	g, err := BuildGraph(v.Lanes)
	if err != nil {
		return nil, fmt.Errorf("route: lane network: %w", err)
	}
	r := &Router{v: v, g: g, byNum: map[string]int{}}
	grid := newLaneGrid(g.lanes)
	r.gates = make([]gate, len(v.Houses))
	r.gSpots = make([]Spot, len(v.Houses))
	for i := range v.Houses {
		h := &v.Houses[i]
		for _, n := range h.History {
			if n = NormalizeNumber(n); n != "" {
				r.byNum[n] = i
			}
		}
	}
	for i := range v.Houses {
		h := &v.Houses[i]
		if n := NormalizeNumber(h.Number); n != "" {
			r.byNum[n] = i // a current number wins over an old one
		}
		r.gates[i] = houseGate(h, g.lanes, grid.near(h.Polygon.Bounds()))
		r.gSpots[i] = Spot{Edge: -1}
		if gt := r.gates[i]; gt.lane >= 0 {
			if sp, ok := g.LaneSpot(PointAt(g.lanes[gt.lane].Points, gt.s), gt.lane); ok {
				r.gSpots[i] = sp
			}
		}
	}
	for _, lm := range v.Landmarks {
		if !lm.Kind.IsWater() {
			continue
		}
		sp, ok := g.Nearest(lm.Point, 0)
		r.water = append(r.water, waterSpot{lm, sp, ok})
	}
	return r, nil
}

// Graph returns the router's lane network.
func (r *Router) Graph() *Graph { return r.g }

// spotDist is the network distance to spot sp given node distances from
// origin o (which may lie on the same edge).
func (r *Router) spotDist(dist []float64, o, sp Spot) float64 {
	ed := r.g.Edges[sp.Edge]
	d := math.Min(dist[ed.A]+(sp.S-ed.S0), dist[ed.B]+(ed.S1-sp.S))
	if o.Edge == sp.Edge {
		d = math.Min(d, math.Abs(o.S-sp.S))
	}
	return d
}

// Route works out the drive, the stop, the hose and the water for a house.
func (r *Router) Route(opt RouteOptions) (*RouteResult, error) {
	w := opt.Width
	if w == 0 {
		w = DefaultVehicleWidth
	}
	if !(w > 0) || w > 20 {
		return nil, fmt.Errorf("route: vehicle width %v m: want more than 0 and at most 20", opt.Width)
	}
	nw := opt.Water
	if nw <= 0 {
		nw = 3
	}
	hi, ok := r.byNum[NormalizeNumber(opt.To)]
	if !ok {
		return nil, fmt.Errorf("route to %q: %w", opt.To, ErrUnknownHouse)
	}
	h := &r.v.Houses[hi]
	res := &RouteResult{HouseID: h.ID, Number: h.Number, Width: w, Water: []WaterSource{}, Steps: []RouteStep{}}
	gs := r.gSpots[hi]
	if gs.Edge < 0 {
		res.Problem = fmt.Sprintf("%s号不挨着任何巷道", h.Number)
		return res, nil
	}
	gatePt := gs.At
	door := h.Polygon.NearestBoundaryPoint(gatePt)
	doorGap := Dist(gatePt, door)
	hose, hoseVia := r.g.Distances(gs, 0)

	// Possible starts: the given point, or every entrance.
	type start struct {
		name  string
		spot  Spot
		entry bool
	}
	var starts []start
	if opt.Start != nil {
		if !finite(*opt.Start) {
			return nil, errors.New("route: start point is not a finite number")
		}
		if sp, ok := r.g.Nearest(*opt.Start, w); ok {
			starts = append(starts, start{r.placeName(*opt.Start), sp, false})
		}
	} else {
		ents := r.v.Entrances()
		if len(ents) == 0 {
			return nil, errors.New("route: the map has no entrance; place one or give a start point")
		}
		for _, e := range ents {
			if sp, ok := r.g.Nearest(e.Point, w); ok {
				starts = append(starts, start{e.Name, sp, true})
			}
		}
	}
	if len(starts) == 0 {
		res.Problem = fmt.Sprintf("没有宽度不小于%.1f米的车道，消防车无法驶入", w)
		return res, nil
	}

	type choice struct {
		st       start
		dist     []float64
		via      []int
		stopNode int // -1 when stopping at the gate itself
		hoseLane float64
		drive    float64
	}
	best := choice{hoseLane: math.Inf(1), drive: math.Inf(1), stopNode: -1}
	better := func(hl, dr float64) bool {
		if math.Abs(hl-best.hoseLane) > 0.5 {
			return hl < best.hoseLane
		}
		return dr < best.drive-1e-9
	}
	for _, st := range starts {
		dist, via := r.g.Distances(st.spot, w)
		ge := r.g.Edges[gs.Edge]
		if ge.Width >= w {
			if d := r.spotDist(dist, st.spot, gs); !math.IsInf(d, 1) && better(0, d) {
				best = choice{st: st, dist: dist, via: via, stopNode: -1, hoseLane: 0, drive: d}
			}
		}
		for n := range r.g.Nodes {
			if math.IsInf(dist[n], 1) || math.IsInf(hose[n], 1) {
				continue
			}
			if better(hose[n], dist[n]) {
				best = choice{st: st, dist: dist, via: via, stopNode: n, hoseLane: hose[n], drive: dist[n]}
			}
		}
	}
	if math.IsInf(best.drive, 1) {
		res.Problem = fmt.Sprintf("没有宽度不小于%.1f米的车道与%s号相通，消防车无法靠近", w, h.Number)
		return res, nil
	}
	res.Reachable = true
	res.StartName = best.st.name
	res.FromEntry = best.st.entry
	res.LengthM = round1(best.drive)
	res.HoseM = round1(best.hoseLane + doorGap)

	// The drive, rebuilt backwards from the stop.
	var stopPt Point
	var pieces []drivePiece
	if best.stopNode < 0 {
		stopPt = gs.At
		pieces = r.driveTo(best.dist, best.via, best.st.spot, gs)
	} else {
		stopPt = r.g.Nodes[best.stopNode]
		pieces = r.driveToNode(best.dist, best.via, best.st.spot, best.stopNode)
	}
	res.Stop = &XY{round1(stopPt.X), round1(stopPt.Y)}
	res.Path = r.joinPieces(pieces)
	res.Steps = r.steps(pieces)

	// The hose: from the stop along lanes to the gate, then to the door.
	if best.stopNode < 0 {
		res.HosePath = []Point{gs.At, door}
		res.StopName = h.Number + "号门前"
	} else {
		hp := r.hoseFrom(best.stopNode, hoseVia, gs)
		res.HosePath = append(r.joinPieces(hp), door)
		res.StopName = r.junctionName(best.stopNode, hp, pieces)
	}

	// Water near the stop.
	stopSpot := gs
	if best.stopNode >= 0 {
		stopSpot = r.nodeSpot(best.stopNode)
	}
	wd, _ := r.g.Distances(stopSpot, 0)
	var ws []WaterSource
	for _, x := range r.water {
		if !x.ok {
			continue
		}
		d := r.spotDist(wd, stopSpot, x.spot)
		if math.IsInf(d, 1) {
			continue
		}
		ws = append(ws, WaterSource{Name: x.lm.Name, Kind: string(x.lm.Kind), DistanceM: round1(d + x.spot.Off), At: x.lm.Point})
	}
	sort.SliceStable(ws, func(a, b int) bool { return ws[a].DistanceM < ws[b].DistanceM })
	if len(ws) > nw {
		ws = ws[:nw]
	}
	res.Water = append(res.Water, ws...)
	return res, nil
}

// nodeSpot expresses a node as a spot on one of its edges.
func (r *Router) nodeSpot(n int) Spot {
	e := r.g.Adj[n][0]
	ed := r.g.Edges[e]
	s := ed.S0
	if ed.B == n {
		s = ed.S1
	}
	return Spot{Edge: e, S: s, At: r.g.Nodes[n]}
}

// drivePiece is part of one edge driven from S0f to S1f (in that order,
// which may run against the lane's direction).
type drivePiece struct {
	edge     int
	from, to float64
}

func (r *Router) piecePoints(p drivePiece) []Point {
	ed := r.g.Edges[p.edge]
	pts := r.g.lanes[ed.Lane].Points
	if p.from <= p.to {
		return SubPolyline(pts, p.from, p.to)
	}
	sub := SubPolyline(pts, p.to, p.from)
	for i, j := 0, len(sub)-1; i < j; i, j = i+1, j-1 {
		sub[i], sub[j] = sub[j], sub[i]
	}
	return sub
}

// joinPieces concatenates the pieces' geometry.
func (r *Router) joinPieces(ps []drivePiece) []Point {
	var out []Point
	for _, p := range ps {
		pts := r.piecePoints(p)
		if len(out) > 0 && len(pts) > 0 && Dist(out[len(out)-1], pts[0]) < 1e-6 {
			pts = pts[1:]
		}
		out = append(out, pts...)
	}
	return out
}

// compass names the direction of travel from a to b.
func compass(a, b Point) string {
	ang := math.Atan2(b.Y-a.Y, b.X-a.X) * 180 / math.Pi // 0 = east, 90 = north
	names := []string{"东", "东北", "北", "西北", "西", "西南", "南", "东南"}
	k := int(math.Floor((ang+22.5)/45)) % 8
	if k < 0 {
		k += 8
	}
	return names[k]
}

// steps groups the drive into one step per lane.
func (r *Router) steps(ps []drivePiece) []RouteStep {
	out := []RouteStep{}
	for i := 0; i < len(ps); {
		lane := r.g.Edges[ps[i].edge].Lane
		j := i
		var length float64
		for j < len(ps) && r.g.Edges[ps[j].edge].Lane == lane {
			length += math.Abs(ps[j].to - ps[j].from)
			j++
		}
		pts := r.joinPieces(ps[i:j])
		if length >= 0.5 && len(pts) >= 2 {
			name := r.laneName(lane)
			st := RouteStep{Lane: name, Direction: compass(pts[0], pts[len(pts)-1]), LengthM: round1(length)}
			verb := "沿"
			if len(out) > 0 {
				verb = "转入"
			}
			st.Text = fmt.Sprintf("%s%s向%s%d米", verb, name, st.Direction, int(math.Round(length)))
			out = append(out, st)
		}
		i = j
	}
	return out
}

func (r *Router) laneName(li int) string {
	if n := strings.TrimSpace(r.g.lanes[li].Name); n != "" {
		return n
	}
	return "无名巷"
}

// junctionName names the stop: the mouth of the lane the hose goes into.
func (r *Router) junctionName(n int, hose, drive []drivePiece) string {
	if len(hose) == 0 {
		return ""
	}
	hl := r.g.Edges[hose[0].edge].Lane
	if len(drive) > 0 && r.g.Edges[drive[len(drive)-1].edge].Lane == hl {
		return r.laneName(hl)
	}
	return r.laneName(hl) + "口"
}

// placeName names a start point after the nearest landmark within 50 m.
func (r *Router) placeName(p Point) string {
	best, bd := "", 50.0
	for _, lm := range r.v.Landmarks {
		if d := Dist(lm.Point, p); d < bd && lm.Name != "" {
			best, bd = lm.Name, d
		}
	}
	return best
}

// driveToNode rebuilds the drive from the start spot to node n.
func (r *Router) driveToNode(dist []float64, via []int, st Spot, n int) []drivePiece {
	var rev []drivePiece
	for {
		e := via[n]
		if e < 0 {
			break
		}
		ed := r.g.Edges[e]
		if e == st.Edge {
			// The first piece, from the start spot to this node: the
			// direct way along the start edge always beats going round
			// and back over the whole edge, so via names it only here.
			to := ed.S0
			if n == ed.B {
				to = ed.S1
			}
			rev = append(rev, drivePiece{e, st.S, to})
			break
		}
		if n == ed.B {
			rev = append(rev, drivePiece{e, ed.S0, ed.S1})
			n = ed.A
		} else {
			rev = append(rev, drivePiece{e, ed.S1, ed.S0})
			n = ed.B
		}
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

// driveTo rebuilds the drive from the start spot to a spot on an edge.
func (r *Router) driveTo(dist []float64, via []int, st, sp Spot) []drivePiece {
	ed := r.g.Edges[sp.Edge]
	viaA := dist[ed.A] + (sp.S - ed.S0)
	viaB := dist[ed.B] + (ed.S1 - sp.S)
	if st.Edge == sp.Edge && math.Abs(st.S-sp.S) <= math.Min(viaA, viaB) {
		return []drivePiece{{sp.Edge, st.S, sp.S}}
	}
	if viaA <= viaB {
		return append(r.driveToNode(dist, via, st, ed.A), drivePiece{sp.Edge, ed.S0, sp.S})
	}
	return append(r.driveToNode(dist, via, st, ed.B), drivePiece{sp.Edge, ed.S1, sp.S})
}

// hoseFrom rebuilds the hose line from node n to the gate spot using the
// predecessor edges of a Dijkstra run from the gate.
func (r *Router) hoseFrom(n int, via []int, gs Spot) []drivePiece {
	var out []drivePiece
	for guard := 0; guard <= len(r.g.Nodes); guard++ {
		e := via[n]
		if e < 0 {
			break
		}
		ed := r.g.Edges[e]
		if e == gs.Edge {
			from := ed.S0
			if n == ed.B {
				from = ed.S1
			}
			out = append(out, drivePiece{e, from, gs.S})
			break
		}
		if n == ed.A {
			out = append(out, drivePiece{e, ed.S0, ed.S1})
			n = ed.B
		} else {
			out = append(out, drivePiece{e, ed.S1, ed.S0})
			n = ed.A
		}
	}
	return out
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// PhoneText is the route as one sentence to read out to the brigade, e.g.
// "从村东口进，沿主街向西180米，在3号巷口停车，铺水带35米到203号；最近水源：东坑塘60米".
func (res *RouteResult) PhoneText() string {
	var b strings.Builder
	if !res.Reachable {
		fmt.Fprintf(&b, "消防车无法到达%s号：%s", res.Number, res.Problem)
		return b.String()
	}
	var parts []string
	switch {
	case res.FromEntry && res.StartName != "":
		parts = append(parts, "从"+res.StartName+"进")
	case res.StartName != "":
		parts = append(parts, "从"+res.StartName+"附近出发")
	default:
		parts = append(parts, "从出发点出发")
	}
	for _, st := range res.Steps {
		parts = append(parts, st.Text)
	}
	hose := int(math.Ceil(res.HoseM))
	if res.StopName == res.Number+"号门前" || res.StopName == "" {
		parts = append(parts, fmt.Sprintf("在%s号门前停车，铺水带%d米", res.Number, hose))
	} else {
		parts = append(parts, "在"+res.StopName+"停车", fmt.Sprintf("铺水带%d米到%s号", hose, res.Number))
	}
	b.WriteString(strings.Join(parts, "，"))
	if len(res.Water) == 0 {
		b.WriteString("；附近没有登记的水源")
		return b.String()
	}
	var ws []string
	for i, w := range res.Water {
		if i == 2 {
			break
		}
		name := w.Name
		if name == "" {
			name = LandmarkKind(w.Kind).Label()
		}
		if last := name[len(name)-1]; last >= '0' && last <= '9' {
			name += " " // "消火栓1 88米", not "消火栓188米"
		}
		ws = append(ws, fmt.Sprintf("%s%d米", name, int(math.Round(w.DistanceM))))
	}
	b.WriteString("；最近水源：" + strings.Join(ws, "、"))
	return b.String()
}

// Route is NewRouter plus one Router.Route, for one-off queries.
func Route(v *Village, opt RouteOptions) (*RouteResult, error) {
	r, err := NewRouter(v)
	if err != nil {
		return nil, err
	}
	return r.Route(opt)
}
