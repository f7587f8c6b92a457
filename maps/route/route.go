// Package route finds the fire engine's way to a house on the lane
// network (package lanenet): where it drives, where it stops, how much
// hose from there, the water sources near, and the words an officer reads
// out on the phone (Result.PhoneText).
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
//
// When the engine cannot reach the house the answer still says where it
// stops, the hose distance from there and the water: with no lane wide
// enough it stops at the entrance (or start) whose hose along the lanes
// is shortest; when wide lanes exist but none joins the house's lanes, at
// the drivable point nearest the house, and the distance is straight.
package route

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"cunjing/maps"
	"cunjing/maps/lanenet"
	"cunjing/maps/numbering"
)

// DefaultVehicleWidth is the clear width a fire engine needs (GB 50016 §7.1.8).
const DefaultVehicleWidth = 4.0

// Options choose the start and the vehicle.
type Options struct {
	// To is the house number (current or old) to reach.
	To string
	// Start is where the engine comes from; nil means the best entrance.
	Start *maps.Point
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

// WaterSource is a water source near the stop point. DistanceM is a hose
// distance from where the engine stops: along lanes, then straight from
// the lane to the source.
type WaterSource struct {
	Name      string     `json:"name"`
	Kind      string     `json:"kind"`
	DistanceM float64    `json:"distance_m"`
	ID        string     `json:"-"` // the landmark's ID
	At        maps.Point `json:"-"`
}

// Step is one stretch of the drive (or of the hose) along one lane.
type Step struct {
	Lane      string  `json:"lane"`
	WidthM    float64 `json:"width_m"`
	Direction string  `json:"direction"` // 东, 东北, 北 …
	LengthM   float64 `json:"length_m"`
	Text      string  `json:"text"`
}

// Lane is a lane with its clear width.
type Lane struct {
	Name   string  `json:"name"`
	WidthM float64 `json:"width_m"`
}

// Result is the answer for the brigade. Its JSON keys are the CLI's
// (`cunjing route … --json`).
//
// When the engine cannot reach the house (Reachable false) the result
// still says where it must stop and how far the hose is from there: with
// no lane wide enough anywhere it stops at the entrance (or the start
// point) and the hose follows the lanes in; when lanes wide enough exist
// but none joins the house's lanes, it stops at the drivable point
// nearest the house and HoseM is the straight distance (HoseStraight).
type Result struct {
	Reachable bool    `json:"reachable"`
	LengthM   float64 `json:"length_m"`
	Stop      *XY     `json:"stop"`
	StopName  string  `json:"stop_name"` // e.g. "3号巷口", "村东口"
	HoseM     float64 `json:"hose_m"`
	// HoseStraight: no lane joins the stop to the house, so HoseM is the
	// straight distance, not a hose distance along lanes.
	HoseStraight bool          `json:"hose_straight,omitempty"`
	Water        []WaterSource `json:"water"`
	Steps        []Step        `json:"steps"`
	// Lanes are the lanes driven along, in order, each once.
	Lanes []Lane `json:"lanes"`
	// Problem says in plain words why the engine cannot reach (when
	// Reachable is false).
	Problem string `json:"problem,omitempty"`

	HouseID   string `json:"-"`
	Number    string `json:"-"` // the house's current number
	StartName string `json:"-"` // entrance or landmark name; "" when unnamed
	FromEntry bool   `json:"-"` // the start is an entrance
	// StopLane is the lane at the stop the engine is too wide for (the
	// lane the hose goes into); nil when it stops at the house's gate.
	StopLane  *Lane        `json:"-"`
	HoseSteps []Step       `json:"-"` // the hose along lanes, stop to gate
	Path      []maps.Point `json:"-"` // the drive, start to stop
	HosePath  []maps.Point `json:"-"` // stop to the house outline
	Width     float64      `json:"-"`
	// NoDrive: no lane is wide enough to drive in at all; the engine
	// stops at the start.
	NoDrive bool `json:"-"`
}

// Why Route or NewRouter fail (errors.Is), for callers that say it in
// the user's words.
var (
	// ErrUnknownHouse is returned when no house has the number asked for.
	ErrUnknownHouse = errors.New("no house has that number")
	// ErrNoLanes: the map has no lanes to drive along.
	ErrNoLanes = errors.New("the map has no lanes")
	// ErrNoEntrance: no start point was given and the map has no
	// entrance (村口) to start from.
	ErrNoEntrance = errors.New("the map has no entrance")
)

// Router answers routes on one village; build it once per map version.
type Router struct {
	v      *maps.Village
	g      *lanenet.Graph
	gates  []lanenet.Gate
	gSpots []lanenet.Spot // gate spot per house (Edge -1 if none)
	byNum  map[string]int
	water  []waterSpot
}

type waterSpot struct {
	lm   maps.Landmark
	spot lanenet.Spot
	ok   bool
}

// NewRouter builds the lane network and locates every gate and water
// source. It fails on invalid lanes and on a map without lanes.
func NewRouter(v *maps.Village) (*Router, error) {
	if len(v.Lanes) == 0 {
		return nil, fmt.Errorf("route: %w", ErrNoLanes)
	}
	g, err := lanenet.BuildGraph(v.Lanes)
	if err != nil {
		return nil, fmt.Errorf("route: lane network: %w", err)
	}
	r := &Router{v: v, g: g, byNum: map[string]int{}}
	grid := lanenet.NewGrid(g.Lanes)
	r.gates = make([]lanenet.Gate, len(v.Houses))
	r.gSpots = make([]lanenet.Spot, len(v.Houses))
	for i := range v.Houses {
		h := &v.Houses[i]
		for _, n := range h.History {
			if n = numbering.Normalize(n); n != "" {
				r.byNum[n] = i
			}
		}
	}
	for i := range v.Houses {
		h := &v.Houses[i]
		if n := numbering.Normalize(h.Number); n != "" {
			r.byNum[n] = i // a current number wins over an old one
		}
		r.gates[i] = lanenet.HouseGate(h, g.Lanes, grid.Near(h.Polygon.Bounds()))
		r.gSpots[i] = lanenet.Spot{Edge: -1}
		if gt := r.gates[i]; gt.Lane >= 0 {
			if sp, ok := g.LaneSpot(lanenet.PointAt(g.Lanes[gt.Lane].Points, gt.S), gt.Lane); ok {
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
func (r *Router) Graph() *lanenet.Graph { return r.g }

// spotDist is the network distance to spot sp given node distances from
// origin o (which may lie on the same edge).
func (r *Router) spotDist(dist []float64, o, sp lanenet.Spot) float64 {
	ed := r.g.Edges[sp.Edge]
	d := math.Min(dist[ed.A]+(sp.S-ed.S0), dist[ed.B]+(ed.S1-sp.S))
	if o.Edge == sp.Edge {
		d = math.Min(d, math.Abs(o.S-sp.S))
	}
	return d
}

// routeStart is where the engine may come from.
type routeStart struct {
	name  string
	at    maps.Point   // the entrance or start point itself
	spot  lanenet.Spot // where it joins the lanes wide enough (Edge -1: none)
	entry bool
}

// Route works out the drive, the stop, the hose and the water for a house.
func (r *Router) Route(opt Options) (*Result, error) {
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
	hi, ok := r.byNum[numbering.Normalize(opt.To)]
	if !ok {
		return nil, fmt.Errorf("route to %q: %w", opt.To, ErrUnknownHouse)
	}
	h := &r.v.Houses[hi]
	res := &Result{HouseID: h.ID, Number: h.Number, Width: w, Water: []WaterSource{}, Steps: []Step{}, Lanes: []Lane{}}

	// Possible starts: the given point, or every entrance.
	var all []routeStart
	if opt.Start != nil {
		if !maps.Finite(*opt.Start) {
			return nil, errors.New("route: start point is not a finite number")
		}
		all = append(all, routeStart{name: r.placeName(*opt.Start), at: *opt.Start})
	} else {
		ents := r.v.Entrances()
		if len(ents) == 0 {
			return nil, fmt.Errorf("route: %w; place one or give a start point", ErrNoEntrance)
		}
		for _, e := range ents {
			all = append(all, routeStart{name: e.Name, at: e.Point, entry: true})
		}
	}
	var starts []routeStart
	for _, st := range all {
		if sp, ok := r.g.Nearest(st.at, w); ok {
			st.spot = sp
			starts = append(starts, st)
		}
	}

	gs := r.gSpots[hi]
	if gs.Edge < 0 {
		res.Problem = fmt.Sprintf("%s号不挨着任何巷道", h.Number)
		if len(starts) == 0 {
			res.Problem = fmt.Sprintf("没有宽度不小于%.1f米的车道，%s号也不挨着任何巷道", w, h.Number)
			r.stopAtStart(res, h, all, gs, nw)
		} else {
			r.stopNearest(res, h, starts, w, nw)
		}
		return res, nil
	}
	if len(starts) == 0 {
		res.Problem = fmt.Sprintf("没有宽度不小于%.1f米的车道", w)
		r.stopAtStart(res, h, all, gs, nw)
		return res, nil
	}
	gatePt := gs.At
	door := h.Polygon.NearestBoundaryPoint(gatePt)
	doorGap := maps.Dist(gatePt, door)
	hose, hoseVia := r.g.Distances(gs, 0)

	type choice struct {
		st       routeStart
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
		res.Problem = fmt.Sprintf("没有宽度不小于%.1f米的车道与%s号相通", w, h.Number)
		r.stopNearest(res, h, starts, w, nw)
		return res, nil
	}
	res.Reachable = true
	res.StartName = best.st.name
	res.FromEntry = best.st.entry
	res.LengthM = round1(best.drive)
	res.HoseM = round1(best.hoseLane + doorGap)

	// The drive, rebuilt backwards from the stop.
	var stopPt maps.Point
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
	res.Steps = r.steps(pieces, true)
	res.Lanes = r.pieceLanes(pieces)

	// The hose: from the stop along lanes to the gate, then to the door.
	if best.stopNode < 0 {
		res.HosePath = []maps.Point{gs.At, door}
		res.StopName = h.Number + "号门前"
	} else {
		hp := r.hoseFrom(best.stopNode, hoseVia, gs)
		res.HosePath = append(r.joinPieces(hp), door)
		res.StopName = r.junctionName(best.stopNode, hp, pieces)
		res.HoseSteps = r.steps(hp, false)
		if len(hp) > 0 {
			if l := r.routeLane(r.g.Edges[hp[0].edge].Lane); l.WidthM < w {
				res.StopLane = &l
			}
		}
	}

	// Water near the stop.
	stopSpot := gs
	if best.stopNode >= 0 {
		stopSpot = r.nodeSpot(best.stopNode)
	}
	res.Water = append(res.Water, r.waterFrom(stopSpot, 0, nw)...)
	return res, nil
}

// stopAtStart fills an unreachable result where no lane is wide enough to
// drive in: the engine stops at the start (the entrance, of all of them,
// with the shortest hose) and the hose runs along lanes of any width to
// the house, or straight when no lane leads there.
func (r *Router) stopAtStart(res *Result, h *maps.House, all []routeStart, gs lanenet.Spot, nw int) {
	type cand struct {
		st       routeStart
		sp       lanenet.Spot // where the hose joins the lanes
		hose     float64
		straight bool
	}
	best := cand{hose: math.Inf(1)}
	better := func(c cand) bool {
		switch {
		case math.IsInf(best.hose, 1):
			return true
		case c.straight != best.straight:
			return !c.straight // along lanes beats straight across
		}
		return c.hose < best.hose-1e-9
	}
	var hose []float64
	var door maps.Point
	if gs.Edge >= 0 {
		hose, _ = r.g.Distances(gs, 0)
		door = h.Polygon.NearestBoundaryPoint(gs.At)
	}
	for _, st := range all {
		sp, ok := r.g.Nearest(st.at, 0)
		if !ok {
			sp = lanenet.Spot{Edge: -1}
		}
		c := cand{st: st, sp: sp, hose: h.Polygon.DistToBoundary(st.at), straight: true}
		if ok && gs.Edge >= 0 {
			if d := r.spotDist(hose, gs, sp); !math.IsInf(d, 1) {
				c.hose, c.straight = d+sp.Off+maps.Dist(gs.At, door), false
			}
		}
		if better(c) {
			best = c
		}
	}
	if math.IsInf(best.hose, 1) {
		return // no start at all: the caller refuses that case before
	}
	res.NoDrive = true
	res.StartName, res.FromEntry = best.st.name, best.st.entry
	res.Stop = &XY{round1(best.st.at.X), round1(best.st.at.Y)}
	res.StopName = best.st.name
	if res.StopName == "" {
		res.StopName = "出发点"
	}
	res.HoseM = round1(best.hose)
	if best.sp.Edge >= 0 {
		l := r.routeLane(r.g.Edges[best.sp.Edge].Lane)
		res.StopLane = &l
	}
	if best.straight {
		res.HoseStraight = true
		res.HosePath = []maps.Point{best.st.at, h.Polygon.NearestBoundaryPoint(best.st.at)}
	} else {
		d0, v0 := r.g.Distances(best.sp, 0)
		hp := r.driveTo(d0, v0, best.sp, gs)
		res.HosePath = append(append([]maps.Point{best.st.at}, r.joinPieces(hp)...), door)
		res.HoseSteps = r.steps(hp, false)
	}
	if best.sp.Edge >= 0 {
		res.Water = append(res.Water, r.waterFrom(best.sp, best.sp.Off, nw)...)
	}
}

// stopNearest fills an unreachable result where lanes wide enough exist
// but none joins the house's lanes: the engine drives to the point it can
// reach that is nearest the house, and the hose distance is the straight
// one from there.
func (r *Router) stopNearest(res *Result, h *maps.House, starts []routeStart, w float64, nw int) {
	c := h.Polygon.Centroid()
	type cand struct {
		st       routeStart
		dist     []float64
		via      []int
		sp       lanenet.Spot
		straight float64
		drive    float64
	}
	best := cand{straight: math.Inf(1), drive: math.Inf(1)}
	for _, st := range starts {
		dist, via := r.g.Distances(st.spot, w)
		for e, ed := range r.g.Edges {
			if ed.Width < w || (e != st.spot.Edge && math.IsInf(dist[ed.A], 1) && math.IsInf(dist[ed.B], 1)) {
				continue
			}
			q, _, _, s := maps.NearestOnPolyline(c, r.g.EdgePoints(e))
			sp := lanenet.Spot{Edge: e, S: ed.S0 + s, At: q}
			d := h.Polygon.DistToBoundary(q)
			dr := r.spotDist(dist, st.spot, sp)
			if math.IsInf(dr, 1) {
				continue
			}
			if d < best.straight-0.5 || (d < best.straight+0.5 && dr < best.drive-1e-9) {
				best = cand{st: st, dist: dist, via: via, sp: sp, straight: d, drive: dr}
			}
		}
	}
	if math.IsInf(best.straight, 1) {
		return
	}
	pieces := r.driveTo(best.dist, best.via, best.st.spot, best.sp)
	res.StartName, res.FromEntry = best.st.name, best.st.entry
	res.LengthM = round1(best.drive)
	res.Path = r.joinPieces(pieces)
	res.Steps = r.steps(pieces, true)
	res.Lanes = r.pieceLanes(pieces)
	res.Stop = &XY{round1(best.sp.At.X), round1(best.sp.At.Y)}
	res.StopName = r.laneName(r.g.Edges[best.sp.Edge].Lane) + "离" + h.Number + "号最近处"
	res.HoseM = round1(best.straight)
	res.HoseStraight = true
	res.HosePath = []maps.Point{best.sp.At, h.Polygon.NearestBoundaryPoint(best.sp.At)}
	res.Water = append(res.Water, r.waterFrom(best.sp, 0, nw)...)
}

// waterFrom lists the n nearest water sources by hose distance from a
// spot on the lanes (plus extra metres already laid to reach the spot),
// nearest first.
func (r *Router) waterFrom(from lanenet.Spot, extra float64, n int) []WaterSource {
	wd, _ := r.g.Distances(from, 0)
	var ws []WaterSource
	for _, x := range r.water {
		if !x.ok {
			continue
		}
		d := r.spotDist(wd, from, x.spot)
		if math.IsInf(d, 1) {
			continue
		}
		ws = append(ws, WaterSource{Name: x.lm.Name, Kind: string(x.lm.Kind), DistanceM: round1(extra + d + x.spot.Off), ID: x.lm.ID, At: x.lm.Point})
	}
	sort.SliceStable(ws, func(a, b int) bool { return ws[a].DistanceM < ws[b].DistanceM })
	if len(ws) > n {
		ws = ws[:n]
	}
	return ws
}

// routeLane is lane li's name and width.
func (r *Router) routeLane(li int) Lane {
	return Lane{Name: r.laneName(li), WidthM: r.g.Lanes[li].Width}
}

// pieceLanes lists the lanes the pieces run along, in order, each once.
func (r *Router) pieceLanes(ps []drivePiece) []Lane {
	out := []Lane{}
	_, lanes := r.stepLanes(ps, false)
	seen := map[int]bool{}
	for _, li := range lanes {
		if !seen[li] {
			seen[li] = true
			out = append(out, r.routeLane(li))
		}
	}
	return out
}

// nodeSpot expresses a node as a spot on one of its edges.
func (r *Router) nodeSpot(n int) lanenet.Spot {
	e := r.g.Adj[n][0]
	ed := r.g.Edges[e]
	s := ed.S0
	if ed.B == n {
		s = ed.S1
	}
	return lanenet.Spot{Edge: e, S: s, At: r.g.Nodes[n]}
}

// drivePiece is part of one edge driven from S0f to S1f (in that order,
// which may run against the lane's direction).
type drivePiece struct {
	edge     int
	from, to float64
}

func (r *Router) piecePoints(p drivePiece) []maps.Point {
	ed := r.g.Edges[p.edge]
	pts := r.g.Lanes[ed.Lane].Points
	if p.from <= p.to {
		return lanenet.SubPolyline(pts, p.from, p.to)
	}
	sub := lanenet.SubPolyline(pts, p.to, p.from)
	for i, j := 0, len(sub)-1; i < j; i, j = i+1, j-1 {
		sub[i], sub[j] = sub[j], sub[i]
	}
	return sub
}

// joinPieces concatenates the pieces' geometry.
func (r *Router) joinPieces(ps []drivePiece) []maps.Point {
	var out []maps.Point
	for _, p := range ps {
		pts := r.piecePoints(p)
		if len(out) > 0 && len(pts) > 0 && maps.Dist(out[len(out)-1], pts[0]) < 1e-6 {
			pts = pts[1:]
		}
		out = append(out, pts...)
	}
	return out
}

// compass names the direction of travel from a to b.
func compass(a, b maps.Point) string {
	ang := math.Atan2(b.Y-a.Y, b.X-a.X) * 180 / math.Pi // 0 = east, 90 = north
	names := []string{"东", "东北", "北", "西北", "西", "西南", "南", "东南"}
	k := int(math.Floor((ang+22.5)/45)) % 8
	if k < 0 {
		k += 8
	}
	return names[k]
}

// steps groups the drive (or the hose) into one step per lane; the
// drive's steps name each lane's width ("沿主街（宽6.0米）向西87米").
func (r *Router) steps(ps []drivePiece, withWidth bool) []Step {
	out, _ := r.stepLanes(ps, withWidth)
	return out
}

// stepLanes is steps plus the lane index of each step.
func (r *Router) stepLanes(ps []drivePiece, withWidth bool) ([]Step, []int) {
	out := []Step{}
	var lanes []int
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
			st := Step{Lane: name, WidthM: r.g.Lanes[lane].Width, Direction: compass(pts[0], pts[len(pts)-1]), LengthM: round1(length)}
			verb := "沿"
			if len(out) > 0 {
				verb = "转入"
			}
			what := name
			if withWidth {
				what += "（宽" + metres1(st.WidthM) + "米）"
			}
			st.Text = fmt.Sprintf("%s%s向%s%d米", verb, what, st.Direction, int(math.Round(length)))
			out = append(out, st)
			lanes = append(lanes, lane)
		}
		i = j
	}
	return out, lanes
}

// metres1 writes a width with one decimal: "6.0", "3.5".
func metres1(m float64) string { return strconv.FormatFloat(m, 'f', 1, 64) }

func (r *Router) laneName(li int) string {
	if n := strings.TrimSpace(r.g.Lanes[li].Name); n != "" {
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
func (r *Router) placeName(p maps.Point) string {
	best, bd := "", 50.0
	for _, lm := range r.v.Landmarks {
		if d := maps.Dist(lm.Point, p); d < bd && lm.Name != "" {
			best, bd = lm.Name, d
		}
	}
	return best
}

// driveToNode rebuilds the drive from the start spot to node n: the way
// back from n (walkBack), each piece and their order turned round.
func (r *Router) driveToNode(dist []float64, via []int, st lanenet.Spot, n int) []drivePiece {
	back := r.walkBack(n, via, st)
	rev := make([]drivePiece, len(back))
	for i, p := range back {
		rev[len(back)-1-i] = drivePiece{p.edge, p.to, p.from}
	}
	return rev
}

// driveTo rebuilds the drive from the start spot to a spot on an edge.
func (r *Router) driveTo(dist []float64, via []int, st, sp lanenet.Spot) []drivePiece {
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
func (r *Router) hoseFrom(n int, via []int, gs lanenet.Spot) []drivePiece {
	return r.walkBack(n, via, gs)
}

// walkBack follows the predecessor edges of a Dijkstra run (via) from node
// n back to where the run started, the spot sp: the pieces in order from
// n, each running away from n; the last ends at sp on its edge (the direct
// way along sp's edge always beats going round and back over the whole
// edge, so via names that edge only there).
func (r *Router) walkBack(n int, via []int, sp lanenet.Spot) []drivePiece {
	var out []drivePiece
	for guard := 0; guard <= len(r.g.Nodes); guard++ {
		e := via[n]
		if e < 0 {
			break
		}
		ed := r.g.Edges[e]
		near, far, next := ed.S0, ed.S1, ed.B
		if n == ed.B {
			near, far, next = ed.S1, ed.S0, ed.A
		}
		if e == sp.Edge {
			out = append(out, drivePiece{e, near, sp.S})
			break
		}
		out = append(out, drivePiece{e, near, far})
		n = next
	}
	return out
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// NamedWater is the water sources the sentence names (the nearest two),
// for sheets and the screen to mark on the map.
func (res *Result) NamedWater() []WaterSource {
	if res == nil {
		return nil
	}
	if len(res.Water) > namedWater {
		return res.Water[:namedWater]
	}
	return res.Water
}

// namedWater is how many water sources the sentence names.
const namedWater = 2

// PhoneText is the route as one sentence to read out to the brigade, e.g.
// "从村东口进，沿主街（宽6.0米）向西180米，在3号巷口停车（3号巷宽2.5米），到203号的水带距离35米；最近水源（离停车点的水带距离）：东坑塘60米".
// Each clause is said once: when the engine cannot reach, the reason
// comes first, then where it stops and the hose from there.
func (res *Result) PhoneText() string {
	var parts []string
	head := ""
	if !res.Reachable {
		if res.NoDrive {
			head = "消防车开不进来：" + res.Problem
		} else {
			head = "消防车无法靠近" + res.Number + "号：" + res.Problem
		}
		if res.Stop == nil {
			return head
		}
	}
	if !res.NoDrive {
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
	}
	hose := int(math.Ceil(res.HoseM))
	stop := res.StopName
	if stop == "" {
		stop = res.Number + "号门前"
	}
	stop = "在" + stop + "停车"
	if l := res.StopLane; l != nil {
		stop += "（" + l.Name + "宽" + metres1(l.WidthM) + "米）"
	}
	switch {
	case res.HoseStraight:
		parts = append(parts, stop, fmt.Sprintf("离%s号直线距离%d米（没有巷道相通，水带要绕行）", res.Number, hose))
	case res.StopName == res.Number+"号门前" || res.StopName == "":
		parts = append(parts, stop+fmt.Sprintf("，水带距离%d米", hose))
	case !res.Reachable && len(res.HoseSteps) > 0:
		var lay []string
		for _, st := range res.HoseSteps {
			lay = append(lay, st.Text)
		}
		parts = append(parts, stop, "水带"+strings.Join(lay, "，"), fmt.Sprintf("到%s号的水带距离共%d米", res.Number, hose))
	default:
		parts = append(parts, stop, fmt.Sprintf("到%s号的水带距离%d米", res.Number, hose))
	}
	text := strings.Join(parts, "，")
	if head != "" {
		text = head + "；" + text
	}
	ws := res.NamedWater()
	if len(ws) == 0 {
		return text + "；附近没有登记的水源"
	}
	var names []string
	for _, w := range ws {
		name := w.Name
		if name == "" {
			name = maps.LandmarkKind(w.Kind).Label()
		}
		if last := name[len(name)-1]; last >= '0' && last <= '9' {
			name += " " // "消火栓1 88米", not "消火栓188米"
		}
		names = append(names, fmt.Sprintf("%s%d米", name, int(math.Round(w.DistanceM))))
	}
	return text + "；最近水源（离停车点的水带距离）：" + strings.Join(names, "、")
}

// Find is NewRouter plus one Router.Route, for one-off queries.
func Find(v *maps.Village, opt Options) (*Result, error) {
	r, err := NewRouter(v)
	if err != nil {
		return nil, err
	}
	return r.Route(opt)
}
