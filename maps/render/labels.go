package render

import (
	"image"
	"image/color"
	"math"
	"slices"
	"sort"

	"cunjing/maps"
)

// Label placement for printed sheets (Style.PlaceLabels). House numbers
// stay where they are, inside their houses; every name (landmarks, free
// labels, lanes) is then placed in turn, the most important first, where
// its box covers no number, no householder's name, no symbol, no name
// placed before it, and lies inside the viewport.
// Among such places it prefers, in order: beside its feature at full
// size, beside it smaller (down to the smallest legible size), further
// away on a leader line, and only then over a house's body (never its
// number). Boxes are em boxes plus the white halo, so "not overlapping"
// holds for the ink with room to spare. With Style.RoadGap a name also
// keeps that clear of every lane's outer edge (its casing): a name touching a road's edge
// reads as part of the road, and the edge cuts through the characters on
// a print shop's coarse screen. Only a lane's own name may sit on it,
// inside its fill. A place that crosses an edge is taken only when
// nothing near or on a leader is clear.

// labelReq is a name waiting to be placed.
type labelReq struct {
	kind TextKind
	text string
	size float64 // preferred em size
	col  color.RGBA
	at   maps.Point // the feature's point on the device
	// around is the feature's box (a symbol, a lane's end): names go
	// beside it; zero for a free label, which prefers to sit on at.
	around  maps.Rect
	onPoint bool
	lane    *maps.Lane
	prio    int // lower goes first
	// floor is the smallest size it shrinks to beside its feature before
	// places on a leader are tried (0: the smallest number size).
	floor float64
	// optional: where no place is free the name is left out rather than
	// set over a symbol (a lane the route does not use).
	optional bool
}

// candidate is one place a name could go: its centre, size and turn.
type candidate struct {
	c      maps.Point
	size   float64
	turned bool
	box    maps.Rect
	leader []maps.Point
	rank   float64 // preference among places that cover no house
	onLane bool    // a lane's name written on the lane itself
}

// road is a lane as drawn: its centreline on the device and half its
// width out to the casing's outer edge.
type road struct {
	pts  []maps.Point
	half float64
	lane *maps.Lane
	box  maps.Rect // the band's bounds
}

// roadGap is the clear space a name of em size s keeps between its box
// (em box and halo) and a road's outer edge (Style.RoadGap ems).
func (d *drawer) roadGap(s float64) float64 { return d.st.RoadGap * s }

// rectSegDist is the distance from segment ab to r (0 when they meet).
func rectSegDist(a, b maps.Point, r maps.Rect) float64 {
	if r.MeetsSegment(a, b) {
		return 0
	}
	dp := func(p maps.Point) float64 {
		dx := math.Max(math.Max(r.Min.X-p.X, 0), p.X-r.Max.X)
		dy := math.Max(math.Max(r.Min.Y-p.Y, 0), p.Y-r.Max.Y)
		return math.Hypot(dx, dy)
	}
	m := math.Min(dp(a), dp(b))
	for _, c := range []maps.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}} {
		m = math.Min(m, maps.DistToSegment(c, a, b))
	}
	return m
}

// RoadClearance is how far box lies outside a road drawn along pts
// (device units) with half its width half out to its outer edge:
// negative when the box reaches over the edge.
func RoadClearance(box maps.Rect, pts []maps.Point, half float64) float64 {
	m := math.Inf(1)
	if len(pts) == 1 {
		return rectSegDist(pts[0], pts[0], box) - half
	}
	for i := 1; i < len(pts); i++ {
		m = math.Min(m, rectSegDist(pts[i-1], pts[i], box))
	}
	return m - half
}

// roadsTouched counts the roads whose edge a name's box comes closer to
// than roadGap (a lane's own name on the lane is not counted against it).
func (d *drawer) roadsTouched(c *candidate, r *labelReq) int {
	gap := d.roadGap(c.size)
	near := c.box.Inset(gap) // Inset grows a box by its argument
	n := 0
	for i := range d.roads {
		rd := &d.roads[i]
		if c.onLane && rd.lane == r.lane {
			continue
		}
		if !rd.box.Overlaps(near) {
			continue
		}
		if RoadClearance(c.box, rd.pts, rd.half) < gap {
			n++
		}
	}
	return n
}

// leaderCrossings counts the roads a name's leader crosses (their
// centrelines): a leader across a road reads as naming what lies on the
// road's far side.
func (d *drawer) leaderCrossings(c *candidate) int {
	if len(c.leader) < 2 {
		return 0
	}
	n := 0
	lb := maps.BoundsOf(c.leader)
	for i := range d.roads {
		rd := &d.roads[i]
		if !rd.box.Overlaps(lb) {
			continue
		}
	cross:
		for j := 1; j < len(c.leader); j++ {
			for k := 1; k < len(rd.pts); k++ {
				if maps.SegmentsCross(c.leader[j-1], c.leader[j], rd.pts[k-1], rd.pts[k]) {
					n++
					break cross
				}
			}
		}
	}
	return n
}

// outline is a house's outline on the device and its bounds.
type outline struct {
	box maps.Rect
	pts []maps.Point
}

// outlinesCrossed counts the house outlines that run through a name's
// box: the outline's line through the characters (or cut by their halo)
// reads as a stroke of them, where a box set inside a yard or over a
// house's body at least leaves the house's shape whole.
func (d *drawer) outlinesCrossed(c *candidate) int {
	if !d.st.ClearOutlines {
		return 0
	}
	n := 0
	for i := range d.outl {
		o := &d.outl[i]
		if !o.box.Overlaps(c.box) {
			continue
		}
		for j := range o.pts {
			if c.box.MeetsSegment(o.pts[j], o.pts[(j+1)%len(o.pts)]) {
				n++
				break
			}
		}
	}
	return n
}

// leaderHugsRoad reports whether a name's leader runs along a road's edge
// or along the route for more than a third of its length: there it reads
// as the edge (or is hidden under the route), and the name as no one's (6号巷水井 set 10 mm down 6号巷 on a leader drawn
// along the lane's edge line).
func (d *drawer) leaderHugsRoad(c *candidate) bool {
	if len(c.leader) < 2 {
		return false
	}
	tol := math.Max(1.5*d.line, 0.15*c.size)
	lb := maps.BoundsOf(c.leader).Inset(tol)
	var near []*road
	for i := range d.roads {
		if d.roads[i].box.Overlaps(lb) {
			near = append(near, &d.roads[i])
		}
	}
	// The route's lines hide a leader drawn along them altogether (the
	// drive is a broad band): 13号巷水井's leader down the drive on the
	// phone card for 150号.
	drive := math.Max(4*d.line, 2.5*d.vp.Scale)/2 + tol
	var lines [][]maps.Point
	for _, l := range d.lines {
		if maps.BoundsOf(l).Inset(drive).Overlaps(lb) {
			lines = append(lines, l)
		}
	}
	if len(near) == 0 && len(lines) == 0 {
		return false
	}
	step := c.size * 0.25
	on, all := 0, 0
	for i := 1; i < len(c.leader); i++ {
		a, b := c.leader[i-1], c.leader[i]
		n := int(maps.Dist(a, b)/step) + 1
		for k := 0; k <= n; k++ {
			f := float64(k) / float64(n)
			p := maps.Point{X: a.X + (b.X-a.X)*f, Y: a.Y + (b.Y-a.Y)*f}
			all++
			hidden := false
			for _, rd := range near {
				m := math.Inf(1)
				for j := 1; j < len(rd.pts); j++ {
					m = math.Min(m, maps.DistToSegment(p, rd.pts[j-1], rd.pts[j]))
				}
				if math.Abs(m-rd.half) < tol {
					hidden = true
					break
				}
			}
			for _, l := range lines {
				for j := 1; j < len(l) && !hidden; j++ {
					hidden = maps.DistToSegment(p, l[j-1], l[j]) < drive
				}
			}
			if hidden {
				on++
			}
		}
	}
	return 3*on > all
}

// roadSearch is how far, in ems, a name that finds no place clear of
// roads near its feature or on the leader rings (which reach ~13 ems)
// looks further for one before it is set over a road's edge.
const roadSearch = 24

// outlineSearch is how far, in ems, a name that finds no place clear of
// house outlines near its feature or on the leader rings looks for one
// (on every point of a grid, where the rings try 16 directions) before
// it is set across an outline: further, the name is too far from what
// it names to be read as its name.
const outlineSearch = 16

// haloPad is the halo's reach beyond the em box, in ems.
const haloPad = 0.08

// textBox is the box of a horizontal text starting at x, vertically
// centred on y (as Painter.Text draws it), with its halo.
func textBox(x, y, w, size float64) maps.Rect {
	p := haloPad * size
	return maps.Rect{Min: maps.Point{X: x - p, Y: y - size/2 - p}, Max: maps.Point{X: x + w + p, Y: y + size/2 + p}}
}

// boxAround is the box of a text of width w centred on c, turned or not.
func boxAround(c maps.Point, w, size float64, turned bool) maps.Rect {
	if turned {
		p := haloPad * size
		return maps.Rect{Min: maps.Point{X: c.X - size/2 - p, Y: c.Y - w/2 - p}, Max: maps.Point{X: c.X + size/2 + p, Y: c.Y + w/2 + p}}
	}
	return textBox(c.X-w/2, c.Y, w, size)
}

func squareAt(c maps.Point, r float64) maps.Rect {
	return maps.Rect{Min: maps.Point{X: c.X - r, Y: c.Y - r}, Max: maps.Point{X: c.X + r, Y: c.Y + r}}
}

// inkBox is the box DrawLandmarkSymbol paints for kind at c with radius
// r; without white, the box of its coloured parts only.
func inkBox(kind maps.LandmarkKind, c maps.Point, r float64, white bool) maps.Rect {
	b := boxPainter{box: maps.EmptyRect(), white: white}
	DrawLandmarkSymbol(&b, kind, c, r)
	return b.box
}

// boxPainter is a Painter that only measures what is painted.
type boxPainter struct {
	box   maps.Rect
	white bool // count white paint too
}

func (b *boxPainter) counts(c color.RGBA) bool {
	return c.A != 0 && (b.white || c != color.RGBA{0xff, 0xff, 0xff, 0xff})
}

func (b *boxPainter) FillPolygon(pts []maps.Point, c color.RGBA) {
	if b.counts(c) {
		b.box = b.box.Union(maps.BoundsOf(pts))
	}
}

func (b *boxPainter) StrokePolyline(pts []maps.Point, w float64, c color.RGBA, _ bool, _ []float64) {
	if b.counts(c) {
		b.box = b.box.Union(maps.BoundsOf(pts).Inset(w / 2))
	}
}

func (b *boxPainter) FillCircle(p maps.Point, r float64, c color.RGBA) {
	if b.counts(c) {
		b.box = b.box.Union(squareAt(p, r))
	}
}

func (b *boxPainter) Text(maps.Point, float64, string, color.RGBA, bool, bool) {}
func (b *boxPainter) TextWidth(string, float64) float64                        { return 0 }
func (b *boxPainter) Image(image.Image, [6]float64, float64)                   {}

// overlapArea is the area r and s share.
func overlapArea(r, s maps.Rect) float64 {
	w := math.Min(r.Max.X, s.Max.X) - math.Max(r.Min.X, s.Min.X)
	h := math.Min(r.Max.Y, s.Max.Y) - math.Max(r.Min.Y, s.Min.Y)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// strictOverlap reports whether r and s share an area (touching edges do
// not count).
func strictOverlap(r, s maps.Rect) bool {
	return r.Min.X < s.Max.X && s.Min.X < r.Max.X && r.Min.Y < s.Max.Y && s.Min.Y < r.Max.Y
}

// within reports whether r lies inside outer.
func within(r, outer maps.Rect) bool {
	return r.Min.X >= outer.Min.X && r.Min.Y >= outer.Min.Y && r.Max.X <= outer.Max.X && r.Max.Y <= outer.Max.Y
}

// polylineHitsRect reports whether any part of the polyline lies in r.
func polylineHitsRect(pts []maps.Point, r maps.Rect) bool {
	if len(pts) == 1 {
		return r.Contains(pts[0])
	}
	for i := 1; i < len(pts); i++ {
		if r.MeetsSegment(pts[i-1], pts[i]) {
			return true
		}
	}
	return false
}

// polygonHitsRect reports whether the polygon and r share a point.
func polygonHitsRect(pg maps.Polygon, r maps.Rect) bool {
	if len(pg) == 0 || !pg.Bounds().Overlaps(r) {
		return false
	}
	for i := range pg {
		if r.MeetsSegment(pg[i], pg[(i+1)%len(pg)]) {
			return true
		}
	}
	return pg.Contains(r.Center()) // r inside the polygon
}

// numberSpot moves a house's number (and the householder's name under
// it) off any symbol standing on the house: up, down or sideways as far
// as the house allows, then smaller, down to the smallest legible size.
// A house with no such room keeps its number where it was.
func (d *drawer) numberSpot(h *maps.House, num string, pts []maps.Point, c maps.Point, size float64, named bool) (maps.Point, float64) {
	boxes := func(c maps.Point, s float64) []maps.Rect {
		w := d.p.TextWidth(num, s)
		if !named {
			return []maps.Rect{boxAround(c, w, s, false)}
		}
		ns := s * 0.7
		return []maps.Rect{boxAround(maps.Point{X: c.X, Y: c.Y - s*0.45}, w, s, false), boxAround(maps.Point{X: c.X, Y: c.Y + s*0.6}, d.p.TextWidth(h.Name, ns), ns, false)}
	}
	clear := func(bs []maps.Rect) bool {
		for _, b := range bs {
			for _, o := range d.hard {
				if strictOverlap(b, o) {
					return false
				}
			}
		}
		return true
	}
	if clear(boxes(c, size)) {
		return c, size
	}
	hb := maps.BoundsOf(pts)
	fits := func(bs []maps.Rect) bool {
		for _, b := range bs {
			in := b.Inset(-haloPad * size)
			if !within(in, hb) || !maps.Polygon(pts).Contains(in.Min) || !maps.Polygon(pts).Contains(in.Max) ||
				!maps.Polygon(pts).Contains(maps.Point{X: in.Min.X, Y: in.Max.Y}) || !maps.Polygon(pts).Contains(maps.Point{X: in.Max.X, Y: in.Min.Y}) {
				return false
			}
		}
		return true
	}
	for _, s := range d.sizes(size) {
		step := s * 0.2
		for k := 0; k <= 12; k++ {
			for _, o := range []maps.Point{{X: 0, Y: -1}, {X: 0, Y: 1}, {X: -1, Y: 0}, {X: 1, Y: 0}, {X: -1, Y: -1}, {X: 1, Y: -1}, {X: -1, Y: 1}, {X: 1, Y: 1}} {
				p := maps.Point{X: c.X + o.X*float64(k)*step, Y: c.Y + o.Y*float64(k)*step}
				if bs := boxes(p, s); fits(bs) && clear(bs) {
					return p, s
				}
				if k == 0 {
					break
				}
			}
		}
	}
	return c, size
}

// laneNameReq queues the name of a lane the viewport shows.
func (d *drawer) laneNameReq(l *maps.Lane) {
	if l.Name == "" || len(l.Points) < 2 || !polylineHitsRect(l.Points, d.view) {
		return
	}
	size := math.Max(d.minN*1.1, math.Min(l.Width*d.vp.Scale*0.8, 2.2*d.minN))
	d.reqs = append(d.reqs, labelReq{kind: TextLane, text: l.Name, size: size, col: colLaneName, lane: l, prio: 3, optional: !d.routeLane(l.Name)})
}

// routeLane reports whether the route drives or lays its hose along the
// lane named name.
func (d *drawer) routeLane(name string) bool {
	return d.st.Route != nil && slices.Contains(d.st.Route.Lanes, name)
}

// placeLabels places and draws every queued name.
func (d *drawer) placeLabels() {
	sort.SliceStable(d.reqs, func(i, j int) bool { return d.reqs[i].prio < d.reqs[j].prio })
	for i := range d.reqs {
		r := &d.reqs[i]
		if d.st.WaterNamesOnly && r.floor == 0 {
			continue
		}
		c, ok := d.place(r)
		if !ok {
			continue
		}
		if len(c.leader) > 1 {
			d.p.StrokePolyline(c.leader, d.line, colLabel, false, nil)
		}
		if c.turned {
			d.p.(TextTurner).TextTurned(c.c, c.size, r.text, r.col, true)
		} else {
			d.p.Text(c.c, c.size, r.text, r.col, true, true)
		}
		d.texts = append(d.texts, PlacedText{Kind: r.kind, Text: r.text, Size: c.size, Box: c.box, Turned: c.turned, Leader: c.leader})
	}
}

// sizes are the sizes a name may take, largest first, down to the
// smallest legible number size.
func (d *drawer) sizes(pref float64) []float64 {
	out := []float64{pref}
	for s := pref * 0.88; s >= d.minN*0.999; s *= 0.88 {
		out = append(out, s)
	}
	if last := out[len(out)-1]; last > d.minN*1.02 {
		out = append(out, d.minN)
	}
	return out
}

// blocked reports whether a name at c would cover a number, a name or a
// symbol, leave the viewport, or draw its leader through any of them.
func (d *drawer) blocked(c *candidate, own maps.Rect) bool {
	frame := maps.Rect{Min: maps.Point{X: 0, Y: 0}, Max: maps.Point{X: d.vp.W, Y: d.vp.H}}
	if !within(c.box, frame) || d.maxLeader > 0 && LeaderLength(c.leader) > d.maxLeader {
		return true
	}
	var lb maps.Rect // the leader's bounds: most boxes lie clear of them
	if len(c.leader) > 1 {
		lb = maps.BoundsOf(c.leader)
	}
	hit := func(b maps.Rect) bool {
		if strictOverlap(c.box, b) {
			return true
		}
		if len(c.leader) < 2 || !lb.Overlaps(b) {
			return false
		}
		for i := 1; i < len(c.leader); i++ {
			if b != own && b.MeetsSegment(c.leader[i-1], c.leader[i]) {
				return true
			}
		}
		return false
	}
	for i := range d.texts {
		if hit(d.texts[i].Box) {
			return true
		}
		// Nor over a leader placed before it (快递点 written across
		// 小卖部's leader: the line ran between its characters).
		if ld := d.texts[i].Leader; len(ld) > 1 && maps.BoundsOf(ld).Overlaps(c.box) {
			for j := 1; j < len(ld); j++ {
				if c.box.MeetsSegment(ld[j-1], ld[j]) {
					return true
				}
			}
		}
	}
	for _, b := range d.hard {
		if b != own && hit(b) {
			return true
		}
	}
	// Never over the feature it names (its leader starts there).
	return own.W() > 0 && strictOverlap(c.box, own)
}

// LeaderLength is the length of a name's leader line (0 for none).
func LeaderLength(pts []maps.Point) float64 {
	l := 0.0
	for i := 1; i < len(pts); i++ {
		l += maps.Dist(pts[i-1], pts[i])
	}
	return l
}

// cost is how much of the name's ink lies over houses, as a share of its
// box, plus a share for each route line it crosses, a whole for each
// road edge it comes within roadGap of and a half for each road its
// leader crosses (0 when it is clear of them all).
func (d *drawer) cost(c *candidate, r *labelReq) float64 {
	k := d.cover(c, r) + 0.5*float64(d.leaderCrossings(c))
	if d.leaderHugsRoad(c) {
		k++ // as bad as touching a road
	}
	return k
}

// cover is cost without the leader's crossings.
func (d *drawer) cover(c *candidate, r *labelReq) float64 {
	ink := c.box.Inset(-(haloPad + 0.06) * c.size)
	area := ink.W() * ink.H()
	if area <= 0 {
		return 0
	}
	sum := 0.0
	for _, b := range d.soft {
		sum += overlapArea(ink, b)
	}
	k := sum / area
	for _, l := range d.lines {
		if polylineHitsRect(l, ink) {
			k += 0.3
		}
	}
	return k + float64(d.roadsTouched(c, r))
}

// scored is a place with what it costs (cost, plus its rank).
type scored struct {
	c    candidate
	cost float64
}

// byCost orders places by cost, the cheapest first.
func byCost(a, b scored) int {
	switch {
	case a.cost < b.cost:
		return -1
	case a.cost > b.cost:
		return 1
	}
	return 0
}

// onRoute reports whether a name's box reaches over one of the route's
// lines as drawn (the drive's broad band; the hose is narrower), or its
// leader crosses one: hidden under the band where it crosses, the leader
// reads as ending there and the name as naming what lies on the route's
// far side (6号巷水井 on the A4 card for 63号, set across the main street
// from its well, under 5号巷水井's name).
func (d *drawer) onRoute(c *candidate) bool {
	half := math.Max(4*d.line, 2.5*d.vp.Scale) / 2
	for _, l := range d.lines {
		if RoadClearance(c.box, l, half) < 0 {
			return true
		}
		for i := 1; i < len(c.leader); i++ {
			for j := 1; j < len(l); j++ {
				if maps.SegmentsCross(c.leader[i-1], c.leader[i], l[j-1], l[j]) {
					return true
				}
			}
		}
	}
	return false
}

// NamedWaterLeader is how many times Style.MaxLeader the leader of a
// water source the route names may be: readable on a leader before tiny
// beside its well.
const NamedWaterLeader = 1.5

// place finds where r goes; ok is false for a name with no width (no
// font) and for an optional one with no free place.
func (d *drawer) place(r *labelReq) (candidate, bool) {
	if d.p.TextWidth(r.text, r.size) <= 0 {
		return candidate{}, false
	}
	const clear = 0.02 // share of a box over houses that still counts as clear
	// A water source the route sentence names (its well ringed) may take
	// a longer leader (NamedWaterLeader).
	d.maxLeader = d.st.MaxLeader
	if r.floor > 0 {
		d.maxLeader *= NamedWaterLeader
	}
	g := d // the whole page, for the searches further out
	if r.lane == nil {
		// Beside the feature and on the leader rings a name stays within
		// the rings' reach: only what lies there can block or cost it.
		at, a := d.anchor(r)
		reach := math.Max(a.W(), a.H())/2 + 14*0.9*r.size + d.p.TextWidth(r.text, r.size) + 2*r.size
		d = d.localTo(squareAt(at, reach))
	}
	var fallback []scored
	var first *candidate
	own := r.around
	try := func(cs []candidate) (candidate, bool) {
		for i := range cs {
			c := &cs[i]
			if first == nil {
				f := *c
				first = &f
			}
			if d.blocked(c, own) {
				continue
			}
			k, crossed := d.cost(c, r), d.outlinesCrossed(c)
			if r.floor > 0 && d.onRoute(c) {
				k += 0.3 // a named well's name over the drive's band, not only its centreline
			}
			if k <= clear && crossed == 0 {
				return *c, true
			}
			// Outlines crossed weigh less than one road's edge touched.
			fallback = append(fallback, scored{*c, k + 0.25*float64(min(crossed, 3)) + c.rank})
		}
		return candidate{}, false
	}
	sizes := d.sizes(r.size)
	var small []float64 // below the floor: tried beside the feature after the leaders
	if r.floor > 0 {
		// Beside the feature down to the floor; then further out at full
		// size and at the floor; only then smaller beside it.
		for len(sizes) > 1 && sizes[len(sizes)-1] < r.floor*0.999 {
			small = append([]float64{sizes[len(sizes)-1]}, small...)
			sizes = sizes[:len(sizes)-1]
		}
	}
	// Beside the feature at each size down to the smallest, then on a
	// leader at full size and at the smallest size above the smallest,
	// and only then at the smallest beside it and on a leader: with the
	// A4 card's leaders bounded to 12 mm, a name shrank to the smallest
	// size (about 2 mm on paper) before a leader was tried, 327 of the
	// demo's 5,598 names (254 before the bound). The smallest are the
	// last size and those within 5% of it (1.01 of it prints the same):
	// a leader is taken only for a name a real step larger.
	beside, last := sizes, sizes[len(sizes)-1]
	if r.floor == 0 {
		for len(beside) > 0 && beside[len(beside)-1] <= last*1.05 {
			beside = beside[:len(beside)-1]
		}
	}
	for i, s := range beside {
		if c, ok := try(d.near(r, s)); ok {
			return c, true
		}
		if i == 0 && r.floor > 0 {
			// A water source the route names takes a leader at full size
			// before it shrinks the step to its floor beside its well: on
			// the phone cards of the demo 张庄村 38 of 640 were one step
			// under full size, 31 since.
			if c, ok := try(d.far(r, s, 14)); ok {
				return c, true
			}
			// Then the nearest place clear of everything within a leader's
			// reach, at full size: that search ran at the floor only, so a
			// name the rings' sixteen directions missed shrank where the
			// search's finer grid had room for it whole (22 of the 55 under
			// full size on those cards, 5号巷水井 on 43号's).
			if c, ok := g.anywhereClear(r, s, outlineSearch); ok {
				return c, true
			}
		}
	}
	// Further away, on a leader line.
	if n := len(beside); n > 0 {
		if r.floor == 0 { // a named water's was tried above
			if c, ok := try(d.far(r, sizes[0], 14)); ok {
				return c, true
			}
		}
		if n > 1 {
			if c, ok := try(d.far(r, beside[n-1], 14)); ok {
				return c, true
			}
		}
	}
	if len(beside) < len(sizes) {
		for _, s := range sizes[len(beside):] {
			if c, ok := try(d.near(r, s)); ok {
				return c, true
			}
		}
		if c, ok := try(d.far(r, last, 14)); ok {
			return c, true
		}
	}
	// readable is where a name the route sentence reads out goes at size
	// s once nothing beside its well or on the leader rings is clear: it
	// stays readable and off the route's lines before it shrinks (on the
	// phone card 64 of 640 named wells went down to 12 px beside their
	// well, and 93 were written over the drive, readable through the
	// halo, but on it). First a place clear of everything a little
	// further out, on a leader; then the best place found near or on the
	// rings that keeps off the route; then the nearest free place off
	// the route, over houses' bodies if it must (never their numbers).
	readable := func(s float64) (candidate, bool) {
		if c, ok := g.anywhereClear(r, s, outlineSearch); ok {
			return c, true
		}
		var off []scored
		for _, f := range fallback {
			if !d.onRoute(&f.c) {
				off = append(off, f)
			}
		}
		if len(off) > 0 {
			return slices.MinFunc(off, byCost).c, true
		}
		return g.anywhere(r, s, outlineSearch)
	}
	if r.floor > 0 {
		if c, ok := readable(sizes[len(sizes)-1]); ok {
			return c, true
		}
	}
	for _, s := range small {
		if c, ok := try(d.near(r, s)); ok {
			return c, true
		}
		// Under its floor a step at a time, each step beside the well,
		// on a leader and in the nearest free place before the next:
		// wedged among houses on the A4 card (6号巷水井 on 63号's), the
		// name went from its floor straight to the smallest size beside
		// its well.
		if c, ok := try(d.far(r, s, 14)); ok {
			return c, true
		}
		if c, ok := readable(s); ok {
			return c, true
		}
	}
	if len(small) > 0 {
		sizes = append(sizes, small...) // the searches further out at the smallest
	}
	if len(fallback) > 0 {
		best := slices.MinFunc(fallback, byCost)
		// Over a road's edge or across a house's outline only when no
		// place within roadSearch ems (further than the leader rings
		// reach) is clear of both.
		roads := g.roadsTouched(&best.c, r)
		if roads > 0 || g.outlinesCrossed(&best.c) > 0 {
			if c, ok := g.anywhereClear(r, sizes[len(sizes)-1], outlineSearch); ok {
				return c, true
			}
		}
		if roads > 0 {
			if c, ok := g.anywhere(r, sizes[len(sizes)-1], roadSearch); ok && g.roadsTouched(&c, r) == 0 {
				return c, true
			}
		}
		return best.c, true
	}
	// Anywhere on the page, nearest first.
	if c, ok := g.anywhere(r, sizes[len(sizes)-1], 0); ok {
		return c, true
	}
	if r.optional {
		// Nowhere is free: a lane the route does not use goes unnamed
		// rather than over a symbol or under the card's number tag
		// (西后巷 on the A4 card for 234号, under its tag).
		return candidate{}, false
	}
	if first != nil {
		return *first, true // nowhere is free: where it belongs
	}
	w := d.p.TextWidth(r.text, r.size)
	return candidate{c: r.at, size: r.size, box: boxAround(r.at, w, r.size, false)}, true
}

// near lists the places beside the feature for a name of size s.
func (d *drawer) near(r *labelReq, s float64) []candidate {
	w := d.p.TextWidth(r.text, s)
	mk := func(c maps.Point, turned bool, rank float64) candidate {
		return candidate{c: c, size: s, turned: turned, box: boxAround(c, w, s, turned), rank: rank}
	}
	if r.lane != nil {
		return d.alongLane(r, s, w, mk)
	}
	var out []candidate
	a := r.around
	if r.onPoint {
		out = append(out, mk(r.at, false, 0))
		a = boxAround(r.at, w, s, false)
	}
	g := 0.15 * s
	hw, hh := w/2+haloPad*s, s/2+haloPad*s
	cy := (a.Min.Y + a.Max.Y) / 2
	cx := (a.Min.X + a.Max.X) / 2
	out = append(out,
		mk(maps.Point{X: a.Max.X + g + hw, Y: cy}, false, 0.1),          // right
		mk(maps.Point{X: a.Min.X - g - hw, Y: cy}, false, 0.15),         // left
		mk(maps.Point{X: a.Max.X + hw, Y: a.Min.Y - hh}, false, 0.2),    // above right
		mk(maps.Point{X: a.Max.X + hw, Y: a.Max.Y + hh}, false, 0.2),    // below right
		mk(maps.Point{X: cx, Y: a.Min.Y - g - hh}, false, 0.25),         // above
		mk(maps.Point{X: cx, Y: a.Max.Y + g + hh}, false, 0.25),         // below
		mk(maps.Point{X: a.Min.X - hw, Y: a.Min.Y - hh}, false, 0.3),    // above left
		mk(maps.Point{X: a.Min.X - hw, Y: a.Max.Y + hh}, false, 0.3),    // below left
		mk(maps.Point{X: a.Max.X + g + hw, Y: a.Min.Y}, false, 0.35),    // right, higher
		mk(maps.Point{X: a.Max.X + g + hw, Y: a.Max.Y}, false, 0.35),    // right, lower
		mk(maps.Point{X: a.Min.X - g - hw, Y: a.Min.Y}, false, 0.4),     // left, higher
		mk(maps.Point{X: a.Min.X - g - hw, Y: a.Max.Y}, false, 0.4),     // left, lower
		mk(maps.Point{X: a.Max.X + g + hw + s, Y: cy}, false, 0.45),     // right, a little out
		mk(maps.Point{X: a.Min.X - g - hw - s, Y: cy}, false, 0.5),      // left, a little out
		mk(maps.Point{X: cx, Y: a.Min.Y - g - hh - s*0.6}, false, 0.55), // above, a little out
		mk(maps.Point{X: cx, Y: a.Max.Y + g + hh + s*0.6}, false, 0.55), // below, a little out
	)
	return out
}

// alongLane lists the places on and beside a lane's visible segments,
// the longest segment first: horizontal text on an east–west lane,
// turned text on a north–south one (when the painter can turn text),
// else beside it.
func (d *drawer) alongLane(r *labelReq, s, w float64, mk func(maps.Point, bool, float64) candidate) []candidate {
	l := r.lane
	lw := math.Max(l.Width*d.vp.Scale, 1.5*d.line) + 2*math.Max(1.2*d.line, 0)
	_, canTurn := d.p.(TextTurner)
	type seg struct {
		a, b maps.Point
		len  float64
	}
	var segs []seg
	for i := 1; i < len(l.Points); i++ {
		if !polylineHitsRect(l.Points[i-1:i+1], d.view) {
			continue
		}
		a, b := d.vp.ToScreen(l.Points[i-1]), d.vp.ToScreen(l.Points[i])
		segs = append(segs, seg{a, b, maps.Dist(a, b)})
	}
	sort.SliceStable(segs, func(i, j int) bool { return segs[i].len > segs[j].len })
	g := math.Max(0.15*s, d.roadGap(s)*1.05) // beside the lane: clear of its edge
	onIt := func(c candidate) candidate { c.onLane = true; return c }
	var on, beside []candidate
	for k, sg := range segs {
		dx, dy := math.Abs(sg.b.X-sg.a.X), math.Abs(sg.b.Y-sg.a.Y)
		horiz := dx >= dy
		span := dx // the text's length along the segment
		if !horiz {
			span = dy
		}
		if span < w*1.05 {
			continue
		}
		lo, hi := (w*0.55)/span, 1-(w*0.55)/span
		for j, t := range []float64{0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9} {
			t = lo + (hi-lo)*t
			p := maps.Point{X: sg.a.X + t*(sg.b.X-sg.a.X), Y: sg.a.Y + t*(sg.b.Y-sg.a.Y)}
			rank := float64(k)*0.2 + float64(j)*0.02
			switch {
			case horiz:
				on = append(on, onIt(mk(p, false, rank)))
				off := lw/2 + g + s/2 + haloPad*s
				beside = append(beside, mk(maps.Point{X: p.X, Y: p.Y - off}, false, rank+0.5), mk(maps.Point{X: p.X, Y: p.Y + off}, false, rank+0.5))
			case canTurn:
				on = append(on, onIt(mk(p, true, rank)))
			}
			if !horiz {
				off := lw/2 + g + w/2 + haloPad*s
				beside = append(beside, mk(maps.Point{X: p.X + off, Y: p.Y}, false, rank+0.5), mk(maps.Point{X: p.X - off, Y: p.Y}, false, rank+0.5))
			}
		}
	}
	return append(on, beside...)
}

// anchor is the point a name's leader starts from and the box it leaves.
func (d *drawer) anchor(r *labelReq) (maps.Point, maps.Rect) {
	if r.lane == nil {
		if r.around == (maps.Rect{}) {
			return r.at, squareAt(r.at, 0)
		}
		return r.at, r.around
	}
	// The middle of the lane's longest visible stretch.
	var best maps.Point
	bl := -1.0
	for i := 1; i < len(r.lane.Points); i++ {
		a, b := d.vp.ToScreen(r.lane.Points[i-1]), d.vp.ToScreen(r.lane.Points[i])
		if !polylineHitsRect(r.lane.Points[i-1:i+1], d.view) {
			continue
		}
		// Clip to the page so the point is on it.
		for k := 0; k < 2; k++ {
			a, b = clampTo(a, b, d.vp.W, d.vp.H), clampTo(b, a, d.vp.W, d.vp.H)
		}
		if l := maps.Dist(a, b); l > bl {
			best, bl = maps.Point{X: (a.X + b.X) / 2, Y: (a.Y + b.Y) / 2}, l
		}
	}
	return best, squareAt(best, d.line)
}

// clampTo moves a along ab until it lies in the w×h page (if it can).
func clampTo(a, b maps.Point, w, h float64) maps.Point {
	t := 0.0
	for _, c := range []struct{ v, dv, lo, hi float64 }{{a.X, b.X - a.X, 0, w}, {a.Y, b.Y - a.Y, 0, h}} {
		if c.dv == 0 {
			continue
		}
		if c.v < c.lo {
			t = math.Max(t, (c.lo-c.v)/c.dv)
		}
		if c.v > c.hi {
			t = math.Max(t, (c.hi-c.v)/c.dv)
		}
	}
	t = math.Min(math.Max(t, 0), 1)
	return maps.Point{X: a.X + t*(b.X-a.X), Y: a.Y + t*(b.Y-a.Y)}
}

// far lists places at growing distances round the feature, each with a
// leader line from the feature's edge to the name.
func (d *drawer) far(r *labelReq, s float64, rings int) []candidate {
	at, a := d.anchor(r)
	w := d.p.TextWidth(r.text, s)
	hw, hh := w/2+haloPad*s, s/2+haloPad*s
	rA := math.Max(a.W(), a.H()) / 2
	var out []candidate
	for k := 1; k <= rings; k++ {
		dist := rA + float64(k)*s*0.9
		for j := 0; j < 16; j++ {
			ang := float64(j) * math.Pi / 8
			ux, uy := math.Cos(ang), math.Sin(ang)
			// The box's near edge at dist from the feature.
			ext := math.Abs(ux)*hw + math.Abs(uy)*hh
			c := maps.Point{X: at.X + ux*(dist+ext), Y: at.Y + uy*(dist+ext)}
			box := boxAround(c, w, s, false)
			start := maps.Point{X: at.X + ux*rA, Y: at.Y + uy*rA}
			end := maps.Point{X: math.Min(math.Max(at.X, box.Min.X), box.Max.X), Y: math.Min(math.Max(at.Y, box.Min.Y), box.Max.Y)}
			cand := candidate{c: c, size: s, box: box, rank: 1 + float64(k)*0.1 + float64(j%2)*0.01}
			if r.kind != TextLabel && maps.Dist(start, end) > s*0.6 {
				cand.leader = []maps.Point{start, end}
			}
			out = append(out, cand)
		}
	}
	return out
}

// localTo is d seeing only the obstacles that reach into box (for a
// search that stays inside it).
func (d *drawer) localTo(box maps.Rect) *drawer {
	l := *d
	l.texts = nil
	for _, t := range d.texts {
		if t.Box.Overlaps(box) {
			l.texts = append(l.texts, t)
		}
	}
	keep := func(rs []maps.Rect) []maps.Rect {
		var out []maps.Rect
		for _, r := range rs {
			if r.Overlaps(box) {
				out = append(out, r)
			}
		}
		return out
	}
	l.hard, l.soft = keep(d.hard), keep(d.soft)
	l.outl = nil
	for _, o := range d.outl {
		if o.box.Overlaps(box) {
			l.outl = append(l.outl, o)
		}
	}
	l.lines = nil
	for _, ln := range d.lines {
		if maps.BoundsOf(ln).Overlaps(box) {
			l.lines = append(l.lines, ln)
		}
	}
	l.roads = nil
	for _, rd := range d.roads {
		if rd.box.Overlaps(box) {
			l.roads = append(l.roads, rd)
		}
	}
	return &l
}

// anywhere is the free place nearest the feature on the whole page
// (preferring places clear of houses), for a name nothing near can take.
// It searches square rings of growing size round the feature and stops
// once no nearer place can be left.
//
// With reach > 0 it looks no further than reach ems from the feature.
func (d *drawer) anywhere(r *labelReq, s float64, reach float64) (candidate, bool) {
	return d.search(r, s, reach, false)
}

// anywhereClear is anywhere among the places clear of houses (their
// bodies and outlines), roads' edges and the route.
func (d *drawer) anywhereClear(r *labelReq, s float64, reach float64) (candidate, bool) {
	return d.search(r, s, reach, true)
}

func (d *drawer) search(r *labelReq, s float64, reach float64, clear bool) (candidate, bool) {
	at, a := d.anchor(r)
	w := d.p.TextWidth(r.text, s)
	step := s * 0.5
	var best candidate
	bestScore := math.Inf(1)
	rA := math.Max(a.W(), a.H()) / 2
	maxK := int(math.Hypot(d.vp.W, d.vp.H)/step) + 1
	if m := d.maxLeader; m > 0 {
		// No place further than a leader may reach (blocked refuses it).
		if b := (rA + m + w/2 + s) / s; reach <= 0 || b < reach {
			reach = b
		}
	}
	if reach > 0 {
		maxK = min(maxK, int(reach*s/step)+1)
		// Only what lies in reach can block or cost a place there.
		d = d.localTo(squareAt(at, float64(maxK)*step).Inset(w/2 + s))
	}
	try := func(x, y float64) {
		c := candidate{c: maps.Point{X: x, Y: y}, size: s, box: boxAround(maps.Point{X: x, Y: y}, w, s, false)}
		if !within(c.box, maps.Rect{Min: maps.Point{X: 0, Y: 0}, Max: maps.Point{X: d.vp.W, Y: d.vp.H}}) {
			return
		}
		dist := maps.Dist(at, c.c)
		if dist/s >= bestScore {
			return
		}
		end := maps.Point{X: math.Min(math.Max(at.X, c.box.Min.X), c.box.Max.X), Y: math.Min(math.Max(at.Y, c.box.Min.Y), c.box.Max.Y)}
		if r.kind != TextLabel && maps.Dist(end, at) > rA+s*0.6 {
			u := end.Sub(at).Scale(1 / maps.Dist(end, at))
			c.leader = []maps.Point{at.Add(u.Scale(rA)), end}
		}
		if d.blocked(&c, a) {
			return
		}
		cover, crossed := d.cover(&c, r), d.outlinesCrossed(&c)
		if clear && (cover > 0.02 || crossed > 0) || r.floor > 0 && d.onRoute(&c) {
			return
		}
		// A leader across a road counts as 10 ems further away. A road's
		// edge touched weighs most (2000 with cover's share), as does a
		// leader along a road's edge, then a house outline crossed (500),
		// then a house's body. Whether the leader runs along an edge is
		// asked last, of a place that would be the best so far.
		score := dist/s + 1000*cover + 1000*float64(d.roadsTouched(&c, r)) + 500*float64(crossed) + 10*float64(d.leaderCrossings(&c))
		if score >= bestScore {
			return
		}
		if d.leaderHugsRoad(&c) {
			if clear {
				return
			}
			if score += 1000; score >= bestScore {
				return
			}
		}
		best, bestScore = c, score
	}
	for k := 0; k <= maxK; k++ {
		if float64(k)*step/s >= bestScore {
			break
		}
		o := float64(k) * step
		if k == 0 {
			try(at.X, at.Y)
			continue
		}
		for i := -k; i <= k; i++ {
			t := float64(i) * step
			try(at.X+t, at.Y-o)
			try(at.X+t, at.Y+o)
			if i != -k && i != k {
				try(at.X-o, at.Y+t)
				try(at.X+o, at.Y+t)
			}
		}
	}
	return best, !math.IsInf(bestScore, 1)
}
