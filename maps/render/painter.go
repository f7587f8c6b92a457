package render

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"

	"cunjing/maps"
	"cunjing/maps/numbering"
	"cunjing/maps/route"
)

// Painter is a drawing surface in device units with y pointing down. The
// raster Renderer and the PDF map sheet both implement it, so the screen
// and the paper show the same map from the same Draw code.
type Painter interface {
	// FillPolygon fills a closed ring (nonzero rule).
	FillPolygon(pts []maps.Point, c color.RGBA)
	// StrokePolyline draws a line of the given width; closed joins the
	// last point to the first; dash (on, off lengths) may be nil.
	StrokePolyline(pts []maps.Point, width float64, c color.RGBA, closed bool, dash []float64)
	// FillCircle fills a disc.
	FillCircle(center maps.Point, r float64, c color.RGBA)
	// Text draws s with its em size in device units, centred on at when
	// centre is true, otherwise starting at at (vertically centred either
	// way). halo draws a light outline behind the glyphs where supported.
	Text(at maps.Point, size float64, s string, c color.RGBA, centre, halo bool)
	// TextWidth measures s at the given size; 0 when no font is set.
	TextWidth(s string, size float64) float64
	// Image draws img with world→device mapping given by the affine matrix
	// m (device = m·(px, py, 1)) at the given opacity.
	Image(img image.Image, m [6]float64, opacity float64)
}

// clearer is implemented by painters that can fill the whole surface
// faster than through FillPolygon.
type clearer interface{ Clear(c color.RGBA) }

// RouteOverlay is a fire route to draw on top of the map: the drive along
// lanes, the hose from the stop to the house, the stop itself.
type RouteOverlay struct {
	Drive []maps.Point
	Hose  []maps.Point
	Stop  *maps.Point
	// Water are the water sources the route names (route.Result.NamedWater),
	// ringed so the brigade finds them on the map.
	Water []maps.Point
	// Lanes are the names of the lanes the route drives or lays its hose
	// along: with PlaceLabels their names are always written, where a
	// lane the route does not use is left unnamed when no place is free.
	Lanes []string
}

// Style says what to draw beyond the features themselves. The zero value
// draws a plain map.
type Style struct {
	// VehicleWidth marks lanes narrower than it as too narrow for the
	// engine (default DefaultVehicleWidth).
	VehicleWidth float64
	Selected     string   // feature ID drawn with vertex handles
	Highlight    []string // house IDs drawn with a thick outline (search hits)
	Route        *RouteOverlay
	// BaseImage is the decoded scanned map (possibly downscaled; the
	// village's BaseLayer says how original pixels map to metres).
	BaseImage image.Image
	// Preview is a scan shown under the map without being its base layer
	// (the map editor's review of a trace draft, before it is accepted).
	Preview *Preview
	// MinNumberSize is the smallest legible number in device units;
	// smaller numbers are left out (default 7, i.e. pixels).
	MinNumberSize float64
	// SymbolSize is the landmark symbol radius in device units (default 7).
	SymbolSize float64
	// Names writes the householder's name under the number when the house
	// is large enough on screen.
	Names bool
	// NoBackground leaves the surface as it is (PDF pages are white).
	NoBackground bool
	// Line scales stroke widths (1 = one device unit for outlines).
	Line float64
	// PlaceLabels places every name (landmarks, lanes, free labels) where
	// it covers no house number, no symbol and no other name, inside the
	// viewport, shrinking it or moving it away on a leader line when it
	// must; names are then drawn last, over everything. House numbers the
	// viewport's edge would cut are left out (a tiled sheet's overlap
	// shows them whole on the next page). Printed sheets set it; the
	// screen draws names where the features are.
	PlaceLabels bool
	// RoadGap, with PlaceLabels, is the clear space in ems every name
	// keeps from every lane's outer edge, and names' leaders then keep off
	// crossing lanes (a lane's own name may still sit on it). Printed
	// sheets set it; 0 lets names touch lanes (the phone card, whose
	// small page has no room to spare for it).
	RoadGap float64
	// ClearOutlines, with PlaceLabels, keeps names' boxes off house
	// outlines where any place within reach allows it (an outline through
	// the characters reads as a stroke of them). Printed sheets set it;
	// the phone card leaves it: on its small, dense map the names the
	// route sentence gives (5号巷水井) shrank to the smallest size or went
	// onto the route to keep it.
	ClearOutlines bool
	// MaxLeader, with PlaceLabels, is the longest leader line a name may
	// take from its feature, in device units (0: no bound). The A4
	// emergency card bounds it on paper: 13号巷水井 was set 47 mm from its
	// well, across a third of the map, where nothing nearer was clear.
	// A water source the route names may take NamedWaterLeader times it.
	MaxLeader float64
	// WaterNamesOnly, with PlaceLabels, places no name but those of the
	// water sources the route names: they are placed before every other
	// name, so where the whole drawing puts them. For a caller laying the
	// map out only to see where the numbers, symbols and those names go
	// (the emergency card, widening its view until they fit full size).
	WaterNamesOnly bool
	// Reserved are boxes, in device units, that the caller draws over the
	// picture afterwards (the emergency card's red number tag): with
	// PlaceLabels no name is placed on them.
	Reserved []maps.Rect
}

// TextTurner is implemented by painters that can draw text turned a
// quarter turn anticlockwise (reading upwards), centred on at; with
// PlaceLabels, names of north–south lanes are written along them.
type TextTurner interface {
	TextTurned(at maps.Point, size float64, s string, c color.RGBA, halo bool)
}

// Palette. Tints keep the numbers readable on top of warning colours.
var (
	colBackground    = color.RGBA{0xf7, 0xf5, 0xef, 0xff}
	colLaneFill      = color.RGBA{0xff, 0xff, 0xff, 0xff}
	colLaneCasing    = color.RGBA{0x8c, 0x8c, 0x8c, 0xff}
	colNarrowFill    = color.RGBA{0xfc, 0xe0, 0xb4, 0xff}
	colNarrowCasing  = color.RGBA{0xc0, 0x7a, 0x22, 0xff}
	colHouse         = color.RGBA{0xe6, 0xd8, 0xc0, 0xff}
	colCourtyard     = color.RGBA{0xf1, 0xea, 0xdc, 0xff}
	colHouseLine     = color.RGBA{0x6b, 0x5a, 0x44, 0xff}
	colNumber        = color.RGBA{0x1a, 0x1a, 0x1a, 0xff}
	colName          = color.RGBA{0x44, 0x44, 0x44, 0xff}
	colHighlight     = color.RGBA{0x00, 0x66, 0xff, 0xff}
	colSelect        = color.RGBA{0xff, 0x00, 0x99, 0xff}
	colDrive         = color.RGBA{0x11, 0x52, 0x9c, 0xd0} // premultiplied
	colHose          = color.RGBA{0xe5, 0x1c, 0x23, 0xff}
	colLabel         = color.RGBA{0x33, 0x33, 0x33, 0xff}
	colLaneName      = color.RGBA{0x55, 0x55, 0x55, 0xff}
	colWarnRedTint   = color.RGBA{0xf6, 0xc1, 0xbb, 0xff}
	colWarnOrTint    = color.RGBA{0xfb, 0xdb, 0xb0, 0xff}
	colWarnGreenTint = color.RGBA{0xcf, 0xe8, 0xc9, 0xff}
)

// CategoryColour is the marker colour of a house category.
func CategoryColour(c maps.Category) color.RGBA {
	switch c {
	case maps.CatParty:
		return color.RGBA{0xc6, 0x00, 0x00, 0xff}
	case maps.CatGrid:
		return color.RGBA{0x1f, 0x5f, 0xbf, 0xff}
	case maps.CatWubao:
		return color.RGBA{0x7b, 0x3f, 0xa0, 0xff}
	case maps.CatKey:
		return color.RGBA{0x20, 0x20, 0x20, 0xff}
	case maps.CatElderly:
		return color.RGBA{0x8d, 0x55, 0x24, 0xff}
	case maps.CatChildren:
		return color.RGBA{0xe7, 0x54, 0x80, 0xff}
	case maps.CatRental:
		return color.RGBA{0x00, 0x89, 0x7b, 0xff}
	}
	return color.RGBA{0x9e, 0x9e, 0x9e, 0xff}
}

// WarningColour is the outline colour of a warning grade (zero alpha when
// the house is not graded).
func WarningColour(w maps.Warning) color.RGBA {
	switch w {
	case maps.WarningRed:
		return maps.ColourWarnRed
	case maps.WarningOrange:
		return maps.ColourWarnOrange
	case maps.WarningGreen:
		return maps.ColourWarnGreen
	}
	return color.RGBA{}
}

// LandmarkColour is the symbol colour of a landmark kind.
func LandmarkColour(k maps.LandmarkKind) color.RGBA {
	switch k {
	case maps.KindEntrance:
		return color.RGBA{0x2e, 0x7d, 0x32, 0xff}
	case maps.KindPond, maps.KindWell:
		return color.RGBA{0x1e, 0x88, 0xe5, 0xff}
	case maps.KindHydrant:
		return color.RGBA{0xd3, 0x2f, 0x2f, 0xff}
	case maps.KindCommittee:
		return color.RGBA{0xb7, 0x1c, 0x1c, 0xff}
	case maps.KindSchool:
		return color.RGBA{0xf9, 0xa8, 0x25, 0xff}
	case maps.KindShop, maps.KindParcel:
		return color.RGBA{0x6a, 0x1b, 0x9a, 0xff}
	case maps.KindClinic:
		return color.RGBA{0x00, 0x96, 0x88, 0xff}
	}
	return color.RGBA{0x54, 0x6e, 0x7a, 0xff}
}

func houseFill(h *maps.House) color.RGBA {
	switch h.Warning {
	case maps.WarningRed:
		return colWarnRedTint
	case maps.WarningOrange:
		return colWarnOrTint
	case maps.WarningGreen:
		return colWarnGreenTint
	}
	if h.Courtyard {
		return colCourtyard
	}
	return colHouse
}

// Draw paints the part of the indexed village that vp shows onto p. The
// Index does the culling, so cost follows what is visible, not the map's
// size; numbers and names are left out when they would be too small to
// read rather than drawn as noise.
func Draw(p Painter, ix *maps.Index, vp Viewport, st *Style) error {
	_, err := drawOnce(p, ix, vp, st, false)
	return err
}

// Drawing is what one Draw put inside its viewport.
type Drawing struct {
	// Keys are the legend keys (LegendItem.Key) of what lies inside the
	// viewport, sorted: LegendFor(Keys, …) is the legend of exactly
	// what was drawn.
	Keys []string
	// Texts are every text written, as placed, in drawing order.
	Texts []PlacedText
	// Marks are the boxes of the landmark symbols and the route's stop
	// marker, which texts keep clear of (with PlaceLabels only).
	Marks []maps.Rect
}

// Has reports whether key is among d's legend keys.
func (d *Drawing) Has(key string) bool {
	_, ok := slices.BinarySearch(d.Keys, key)
	return ok
}

// TextKind says what a text on the map names.
type TextKind uint8

// Text kinds.
const (
	TextNumber   TextKind = iota + 1 // a house number
	TextHolder                       // the householder's name under it
	TextLane                         // a lane's name
	TextLandmark                     // a landmark's name
	TextLabel                        // free text (Village.Labels)
)

// PlacedText is one text as Draw wrote it.
type PlacedText struct {
	Kind TextKind
	Text string
	Size float64 // em size in device units
	// Box holds the text's em box and halo in device units (y down: Min
	// is the top-left corner); for turned text it is the turned box.
	Box    maps.Rect
	Turned bool
	// Leader is the line from the feature to a name placed away from it
	// (nil when the name is beside its feature).
	Leader []maps.Point
}

// DrawReport is Draw, also saying what it drew: the legend keys of what
// lies inside the viewport, and where every text went.
func DrawReport(p Painter, ix *maps.Index, vp Viewport, st *Style) (*Drawing, error) {
	return drawOnce(p, ix, vp, st, true)
}

// drawOnce is Draw, keeping account of what it draws when report is set (the
// screen, redrawn every frame, does not pay for it).
func drawOnce(p Painter, ix *maps.Index, vp Viewport, st *Style, report bool) (*Drawing, error) {
	if err := vp.Validate(); err != nil {
		return nil, fmt.Errorf("draw: %w", err)
	}
	if st == nil {
		st = &Style{}
	}
	d := drawer{p: p, ix: ix, v: ix.Village(), vp: vp, st: st, record: report || st.PlaceLabels}
	d.defaults()
	d.run()
	return d.report(), nil
}

// drawAll is Draw without culling: every feature is sent to the painter.
// It exists as the naive baseline the render benchmark compares against.
func drawAll(p Painter, ix *maps.Index, vp Viewport, st *Style) error {
	if err := vp.Validate(); err != nil {
		return fmt.Errorf("draw: %w", err)
	}
	if st == nil {
		st = &Style{}
	}
	d := drawer{p: p, ix: ix, v: ix.Village(), vp: vp, st: st, noCull: true}
	d.defaults()
	d.run()
	return nil
}

type drawer struct {
	p     Painter
	ix    *maps.Index
	v     *maps.Village
	vp    Viewport
	st    *Style
	vw    float64 // vehicle width
	line  float64
	minN  float64
	sym   float64
	pts   []maps.Point // scratch
	hi    map[string]bool
	world maps.Rect
	// noCull draws every feature (baseline for benchmarks).
	noCull bool
	// record keeps the legend keys and texts for DrawReport.
	record bool
	// view is the viewport's world box exactly (what a page shows).
	view  maps.Rect
	keys  map[string]bool
	texts []PlacedText
	// With PlaceLabels: the names still to place, the boxes they must
	// not cover (symbols, markers) and the house boxes they avoid.
	reqs []labelReq
	hard []maps.Rect
	// spread is where a landmark's symbol is drawn when another's took
	// its spot (PlaceLabels: printed maps and cards), by index.
	spread map[int]maps.Point
	soft   []maps.Rect
	outl   []outline      // the houses' outlines, which no name's box crosses when it can help it
	lines  [][]maps.Point // the route's lines, which names avoid too
	roads  []road         // the lanes as drawn, whose edges names keep a gap from
	// maxLeader is the longest leader the name being placed may take
	// (Style.MaxLeader, longer for a named water source; 0: no bound).
	maxLeader float64
}

func (d *drawer) defaults() {
	d.vw = d.st.VehicleWidth
	if d.vw <= 0 {
		d.vw = route.DefaultVehicleWidth
	}
	d.line = d.st.Line
	if d.line <= 0 {
		d.line = 1
	}
	d.minN = d.st.MinNumberSize
	if d.minN <= 0 {
		d.minN = 7
	}
	d.sym = d.st.SymbolSize
	if d.sym <= 0 {
		d.sym = 7
	}
	if len(d.st.Highlight) > 0 {
		d.hi = make(map[string]bool, len(d.st.Highlight))
		for _, id := range d.st.Highlight {
			d.hi[id] = true
		}
	}
	// Cull with a margin so strokes and symbols at the edge are not cut.
	d.view = d.vp.World()
	d.world = d.view.Inset(d.vp.Metres(2*d.sym + 4))
	d.keys = map[string]bool{}
}

// frame is the viewport in device units.
func (d *drawer) frame() maps.Rect {
	return maps.Rect{Min: maps.Point{X: 0, Y: 0}, Max: maps.Point{X: d.vp.W, Y: d.vp.H}}
}

// key records that something of legend key k lies inside the viewport.
func (d *drawer) key(k string) { d.keys[k] = true }

func (d *drawer) report() *Drawing {
	r := &Drawing{Texts: d.texts, Marks: d.hard}
	for k := range d.keys {
		r.Keys = append(r.Keys, k)
	}
	slices.Sort(r.Keys)
	return r
}

// text writes s and records where it went; with PlaceLabels, not at all
// when the page's edge would cut it.
func (d *drawer) text(kind TextKind, at maps.Point, size float64, s string, c color.RGBA, centre bool) {
	if !d.record {
		d.p.Text(at, size, s, c, centre, true)
		return
	}
	w := d.p.TextWidth(s, size)
	x := at.X
	if centre {
		x -= w / 2
	}
	box := textBox(x, at.Y, w, size)
	if d.st.PlaceLabels && !within(box, d.frame()) {
		return
	}
	d.p.Text(at, size, s, c, centre, true)
	if w > 0 && size > 0 {
		d.texts = append(d.texts, PlacedText{Kind: kind, Text: s, Size: size, Box: box})
	}
}

func (d *drawer) screen(pts []maps.Point) []maps.Point {
	d.pts = d.pts[:0]
	for _, q := range pts {
		d.pts = append(d.pts, d.vp.ToScreen(q))
	}
	return d.pts
}

func (d *drawer) run() {
	if !d.st.NoBackground {
		if c, ok := d.p.(clearer); ok {
			c.Clear(colBackground)
		} else {
			d.p.FillPolygon([]maps.Point{{X: 0, Y: 0}, {X: d.vp.W, Y: 0}, {X: d.vp.W, Y: d.vp.H}, {X: 0, Y: d.vp.H}}, colBackground)
		}
	}
	d.base()
	lanes, houses, marks, labels := d.ix.Visible(d.world)
	if d.noCull {
		lanes, houses, marks, labels = seq(len(d.v.Lanes)), seq(len(d.v.Houses)), seq(len(d.v.Landmarks)), seq(len(d.v.Labels))
	}
	if d.st.PlaceLabels {
		d.spreadMarks(marks)
		d.markers(marks)
	}
	d.lanes(lanes)
	for _, i := range houses {
		d.house(&d.v.Houses[i])
	}
	d.route()
	for _, i := range marks {
		d.landmark(i)
	}
	for _, i := range labels {
		l := &d.v.Labels[i]
		size := l.Size
		if size <= 0 {
			size = maps.DefaultLabelSize
		}
		s := size * d.vp.Scale
		switch {
		case d.st.PlaceLabels && s >= d.minN*0.8 && d.view.Contains(l.Point):
			d.reqs = append(d.reqs, labelReq{kind: TextLabel, text: l.Text, size: s, col: colLabel, at: d.vp.ToScreen(l.Point), onPoint: true, prio: 2})
		case !d.st.PlaceLabels && s >= d.minN*0.8:
			d.text(TextLabel, d.vp.ToScreen(l.Point), s, l.Text, colLabel, true)
		}
	}
	d.selection()
	if d.st.PlaceLabels {
		d.placeLabels()
	}
}

// Preview is a scan and where it lies (Style.Preview).
type Preview struct {
	Layer maps.BaseLayer
	Image image.Image
}

func (d *drawer) base() {
	d.scan(d.v.Base, d.st.BaseImage)
	if p := d.st.Preview; p != nil {
		d.scan(&p.Layer, p.Image)
	}
}

// scan draws a scanned map's image where its layer places it.
func (d *drawer) scan(b *maps.BaseLayer, img image.Image) {
	if b == nil || img == nil || b.Opacity <= 0 || b.Width <= 0 || b.Height <= 0 {
		return
	}
	mpp := b.MetresPerPx
	if mpp <= 0 {
		mpp = 1
	}
	// The decoded image may be a downscaled copy: rescale its pixels to
	// original pixels, then to metres (y down in the image, y up in the
	// world), then to the device.
	ib := img.Bounds()
	kx := float64(b.Width) / float64(ib.Dx())
	ky := float64(b.Height) / float64(ib.Dy())
	s := d.vp.Scale
	ox := (b.Origin.X-d.vp.Center.X)*s + d.vp.W/2
	oy := d.vp.H/2 - (b.Origin.Y-d.vp.Center.Y)*s
	m := [6]float64{
		kx * mpp * s, 0, ox - float64(ib.Min.X)*kx*mpp*s,
		0, ky * mpp * s, oy - float64(ib.Min.Y)*ky*mpp*s,
	}
	d.p.Image(img, m, math.Min(1, b.Opacity))
}

func (d *drawer) lanes(idx []int) {
	// Casings first, then fills, so crossing lanes merge into one network
	// instead of each lane cutting the others with its outline.
	edge := math.Max(1.2*d.line, 0)
	for _, i := range idx {
		l := &d.v.Lanes[i]
		w := math.Max(l.Width*d.vp.Scale, 1.5*d.line)
		c := colLaneCasing
		if l.Width < d.vw {
			c = colNarrowCasing
		}
		d.p.StrokePolyline(d.screen(l.Points), w+2*edge, c, false, nil)
		if d.st.PlaceLabels && d.st.RoadGap > 0 {
			pts := append([]maps.Point(nil), d.pts...)
			d.roads = append(d.roads, road{pts: pts, half: w/2 + edge, lane: l, box: maps.BoundsOf(pts).Inset(w/2 + edge)})
		}
	}
	for _, i := range idx {
		l := &d.v.Lanes[i]
		w := math.Max(l.Width*d.vp.Scale, 1.5*d.line)
		c := colLaneFill
		if l.Width < d.vw {
			c = colNarrowFill
		}
		d.p.StrokePolyline(d.screen(l.Points), w, c, false, nil)
	}
	for _, i := range idx {
		l := &d.v.Lanes[i]
		if d.record && polylineHitsRect(l.Points, d.view) {
			if l.Width < d.vw {
				d.key("narrow")
			} else {
				d.key("lane")
			}
		}
		if d.st.PlaceLabels {
			d.laneNameReq(l)
		} else {
			d.laneName(l)
		}
	}
}

func (d *drawer) laneName(l *maps.Lane) {
	if l.Name == "" || len(l.Points) < 2 {
		return
	}
	size := math.Max(d.minN*1.1, math.Min(l.Width*d.vp.Scale*0.8, 2.2*d.minN))
	tw := d.p.TextWidth(l.Name, size)
	if tw == 0 {
		return
	}
	// Put the name on the longest segment, if it is long enough on screen.
	best, bl := -1, 0.0
	for s := 1; s < len(l.Points); s++ {
		if sl := maps.Dist(l.Points[s-1], l.Points[s]); sl > bl {
			best, bl = s, sl
		}
	}
	if bl*d.vp.Scale < tw*1.6 {
		return
	}
	a, b := l.Points[best-1], l.Points[best]
	mid := d.vp.ToScreen(maps.Point{X: (a.X + b.X) / 2, Y: (a.Y + b.Y) / 2})
	// Horizontal text sits beside a vertical lane, on it otherwise.
	if math.Abs(b.X-a.X) < math.Abs(b.Y-a.Y) {
		mid.X += l.Width*d.vp.Scale/2 + tw/2 + 2
	}
	d.text(TextLane, mid, size, l.Name, colLaneName, true)
}

func (d *drawer) house(h *maps.House) {
	if len(h.Polygon) < 3 {
		return
	}
	in := d.record && polygonHitsRect(h.Polygon, d.view)
	if in {
		d.key(houseKey(h))
	}
	pts := d.screen(h.Polygon)
	if d.st.PlaceLabels {
		d.soft = append(d.soft, maps.BoundsOf(pts))
		d.outl = append(d.outl, outline{box: maps.BoundsOf(pts), pts: slices.Clone(pts)})
	}
	d.p.FillPolygon(pts, houseFill(h))
	lw := 0.8 * d.line
	lc := colHouseLine
	if w := WarningColour(h.Warning); w.A != 0 {
		lw, lc = 2*d.line, w
	}
	d.p.StrokePolyline(pts, lw, lc, true, nil)
	if d.hi[h.ID] {
		d.p.StrokePolyline(d.screen(h.Polygon), 3.5*d.line, colHighlight, true, nil)
		if in {
			d.key("highlight")
		}
	}
	b := h.Polygon.Bounds()
	wpx, hpx := b.W()*d.vp.Scale, b.H()*d.vp.Scale
	d.categories(h, b, wpx, hpx)
	if h.Number == "" {
		return
	}
	num := numbering.Plain(h.Number)
	c := d.vp.ToScreen(h.Polygon.Centroid())
	// Fit the number into the house: width-limited for long numbers.
	n := float64(len([]rune(num)))
	size := math.Min(hpx*0.45, wpx/(0.62*n+0.4))
	size = math.Min(size, 4*d.minN)
	if d.hi[h.ID] {
		size = math.Max(size, 1.6*d.minN)
	}
	if size < d.minN {
		return
	}
	nameSize := size * 0.7
	named := d.st.Names && h.Name != "" && hpx > 3.2*size && nameSize >= d.minN*0.9 &&
		d.p.TextWidth(h.Name, nameSize) < wpx*0.95
	if d.st.PlaceLabels {
		// Clear of the symbols standing on the house, if it has room.
		c, size = d.numberSpot(h, num, pts, c, size, named)
		nameSize = size * 0.7
	}
	if named {
		d.text(TextNumber, maps.Point{X: c.X, Y: c.Y - size*0.45}, size, num, colNumber, true)
		d.text(TextHolder, maps.Point{X: c.X, Y: c.Y + size*0.6}, nameSize, h.Name, colName, true)
		return
	}
	d.text(TextNumber, c, size, num, colNumber, true)
}

// categories draws one small square per category along the top edge of
// the house box, so several categories stay distinguishable. Sizes are in
// device units relative to the symbol size, so a printed sheet (mm) keeps
// them as a screen (px) does: a house 2.5 mm wide on an A4 sheet at
// 1:2000 still shows who lives there. With label placement on, the squares
// are obstacles the house number keeps clear of.
func (d *drawer) categories(h *maps.House, b maps.Rect, wpx, hpx float64) {
	minS := catMinSize * d.sym
	if len(h.Categories) == 0 || wpx < 1.5*minS || hpx < 1.5*minS {
		return
	}
	s := math.Max(math.Min(math.Min(wpx, hpx)*0.22, 2.2*d.sym), minS)
	tl := d.vp.ToScreen(maps.Point{X: b.Min.X, Y: b.Max.Y})
	gap := math.Min(s*0.4, (math.Min(wpx, hpx)-s)/2)
	x := tl.X + gap
	y := tl.Y + gap
	for _, c := range h.Categories {
		if x+s > tl.X+wpx {
			break
		}
		sq := maps.Rect{Min: maps.Point{X: x, Y: y}, Max: maps.Point{X: x + s, Y: y + s}}
		d.p.FillPolygon([]maps.Point{{X: x, Y: y}, {X: x + s, Y: y}, {X: x + s, Y: y + s}, {X: x, Y: y + s}}, CategoryColour(c))
		if d.record && sq.Overlaps(d.frame()) {
			d.key("category:" + string(c))
		}
		if d.st.PlaceLabels {
			d.hard = append(d.hard, sq)
		}
		x += s * 1.2
	}
}

// catMinSize is the smallest category square, as a share of the symbol
// size: 3 px on screen, 0.7 mm on paper.
const catMinSize = 0.45

func (d *drawer) route() {
	r := d.st.Route
	if r == nil {
		return
	}
	if d.st.PlaceLabels {
		for _, l := range [][]maps.Point{r.Drive, r.Hose} {
			if len(l) > 1 {
				d.lines = append(d.lines, append([]maps.Point(nil), d.screen(l)...))
			}
		}
	}
	if len(r.Drive) > 1 {
		d.p.StrokePolyline(d.screen(r.Drive), math.Max(4*d.line, 2.5*d.vp.Scale), colDrive, false, nil)
		if d.record && polylineHitsRect(r.Drive, d.view) {
			d.key("drive")
		}
	}
	if len(r.Hose) > 1 {
		d.p.StrokePolyline(d.screen(r.Hose), 2.5*d.line, colHose, false, []float64{6 * d.line, 4 * d.line})
		if d.record && polylineHitsRect(r.Hose, d.view) {
			d.key("hose")
		}
	}
	if r.Stop != nil {
		c := d.vp.ToScreen(*r.Stop)
		d.p.FillCircle(c, d.sym*1.1, color.RGBA{0xff, 0xff, 0xff, 0xff})
		d.p.FillCircle(c, d.sym*0.8, colHose)
		if squareAt(c, d.sym*0.8).Overlaps(d.frame()) {
			d.key("stop")
		}
	}
	// A ring round each named water source; the landmark's own symbol is
	// drawn on top of it afterwards.
	for _, w := range r.Water {
		rg := ring(d.vp.ToScreen(w), d.waterRing(), 24)
		d.p.StrokePolyline(rg, 2*d.line, colHose, true, nil)
		if d.record && polylineHitsRect(append(rg, rg[0]), d.frame()) {
			d.key("water")
		}
	}
}

// waterRing is the radius of the ring round a route's water source.
func (d *drawer) waterRing() float64 { return waterRing(d.sym) }

func waterRing(sym float64) float64 { return sym * 2.2 }

// landmarkNameSize is the size a landmark's name is written at (before it
// shrinks to find a place), for the smallest number size minN and the
// symbol's radius r.
func landmarkNameSize(minN, r float64) float64 { return math.Max(minN*1.15, r*1.3) }

// WaterName is what the name of a water source the route names at p
// needs on the map vp draws with st: its full size (the size landmarks'
// names are written at) and the box round its ring the name is set
// beside (on the device). The emergency card keeps that box and the
// name beside it inside its map.
func WaterName(vp Viewport, st *Style, p maps.Point) (size float64, around maps.Rect) {
	sym, minN, line := st.SymbolSize, st.MinNumberSize, st.Line
	if sym <= 0 {
		sym = 7
	}
	if minN <= 0 {
		minN = 7
	}
	if line <= 0 {
		line = 1
	}
	return landmarkNameSize(minN, symbolRadius(sym, vp.Scale)), squareAt(vp.ToScreen(p), waterRing(sym)+line)
}

// ring approximates a circle by n points.
func ring(c maps.Point, r float64, n int) []maps.Point {
	pts := make([]maps.Point, n)
	for i := range pts {
		a := 2 * math.Pi * float64(i) / float64(n)
		pts[i] = maps.Point{X: c.X + r*math.Cos(a), Y: c.Y + r*math.Sin(a)}
	}
	return pts
}

// symbolRadius is a landmark symbol's radius: symbols grow a little when
// zoomed in so they stay in proportion to the houses, but never vanish
// when zoomed out.
func (d *drawer) symbolRadius() float64 { return symbolRadius(d.sym, d.vp.Scale) }

func symbolRadius(sym, scale float64) float64 {
	return sym * math.Max(1, math.Min(2, math.Sqrt(scale/2)))
}

// markers records, before anything is drawn, the boxes house numbers and
// names keep clear of: the landmark symbols and the route's stop.
func (d *drawer) markers(marks []int) {
	r := d.symbolRadius()
	for _, i := range marks {
		m := &d.v.Landmarks[i]
		d.hard = append(d.hard, inkBox(m.Kind, d.symbolAt(i), r, true))
	}
	if rt := d.st.Route; rt != nil && rt.Stop != nil {
		d.hard = append(d.hard, squareAt(d.vp.ToScreen(*rt.Stop), d.sym*1.1))
	}
	d.hard = append(d.hard, d.st.Reserved...)
}

// spreadMarks moves the symbol of a landmark that would be drawn over
// one drawn before it (two venues recorded at one door, a shop on a
// house's point) beside it, a symbol's width apart, with a thin line
// back to its own point: on paper the symbol drawn last hid the others,
// and their names stood round one symbol. A water source the route
// names keeps its place (its ring is drawn there); the others move.
func (d *drawer) spreadMarks(marks []int) {
	r := d.symbolRadius()
	order := make([]int, 0, len(marks))
	for _, i := range marks {
		if d.namedWater(d.v.Landmarks[i].Point) {
			order = append(order, i)
		}
	}
	for _, i := range marks {
		if !d.namedWater(d.v.Landmarks[i].Point) {
			order = append(order, i)
		}
	}
	var taken []maps.Point
	for _, i := range order {
		c := d.vp.ToScreen(d.v.Landmarks[i].Point)
		at := c
		free := func(p maps.Point) bool {
			for _, o := range taken {
				if maps.Dist(o, p) < 2*r {
					return false
				}
			}
			return true
		}
	search:
		for k := 1; !free(at) && k <= 4; k++ {
			for j := 0; j < 8; j++ {
				a := float64(j) * math.Pi / 4
				p := maps.Point{X: c.X + 2.6*r*float64(k)*math.Cos(a), Y: c.Y + 2.6*r*float64(k)*math.Sin(a)}
				if free(p) {
					at = p
					break search
				}
			}
		}
		if at != c {
			if d.spread == nil {
				d.spread = map[int]maps.Point{}
			}
			d.spread[i] = at
		}
		taken = append(taken, at)
	}
}

// symbolAt is where landmark i's symbol is drawn (on the device).
func (d *drawer) symbolAt(i int) maps.Point {
	if p, ok := d.spread[i]; ok {
		return p
	}
	return d.vp.ToScreen(d.v.Landmarks[i].Point)
}

func (d *drawer) landmark(i int) {
	m := &d.v.Landmarks[i]
	c := d.symbolAt(i)
	r := d.symbolRadius()
	col := LandmarkColour(m.Kind)
	if _, moved := d.spread[i]; moved {
		// A thin line from its own point to the symbol moved beside it.
		own := d.vp.ToScreen(m.Point)
		d.p.StrokePolyline([]maps.Point{own, c}, d.line, colLabel, false, nil)
	}
	DrawLandmarkSymbol(d.p, m.Kind, c, r)
	if d.record && inkBox(m.Kind, c, r, false).Overlaps(d.frame()) {
		d.key("landmark:" + string(m.Kind))
	}
	name := m.Name
	if name == "" {
		name = m.Kind.Label()
	}
	size := landmarkNameSize(d.minN, r)
	if d.st.PlaceLabels {
		sym := inkBox(m.Kind, c, r, true)
		if !d.view.Contains(m.Point) {
			return // named on the page that shows it
		}
		req := labelReq{kind: TextLandmark, text: name, size: size, col: col, at: c, around: sym, prio: 2}
		if d.namedWater(m.Point) {
			// Beyond the red ring, and placed before the rest; the route
			// sentence names it, so beside its well it shrinks one step,
			// then goes on a leader at full size, and only then smaller
			// beside it (on the phone card's small map 6号巷水井 went
			// down to the smallest number size, 12 px, before a leader
			// was tried).
			req.around, req.prio, req.floor = squareAt(c, d.waterRing()+d.line), 0, size*0.88
		} else if m.Kind.IsWater() || m.Kind == maps.KindEntrance {
			req.prio = 1
		}
		d.reqs = append(d.reqs, req)
		return
	}
	if tw := d.p.TextWidth(name, size); tw > 0 && d.vp.Scale*12 > tw*0.5 {
		d.text(TextLandmark, maps.Point{X: c.X + r*1.4, Y: c.Y}, size, name, col, false)
	}
}

// namedWater reports whether the route rings a water source at p.
func (d *drawer) namedWater(p maps.Point) bool {
	if d.st.Route == nil {
		return false
	}
	for _, w := range d.st.Route.Water {
		if maps.Dist(w, p) < 1e-6 {
			return true
		}
	}
	return false
}

func (d *drawer) selection() {
	id := d.st.Selected
	if id == "" {
		return
	}
	var pts []maps.Point
	closed := false
	if i := d.v.HouseByID(id); i >= 0 {
		pts, closed = d.v.Houses[i].Polygon, true
	} else {
		for i := range d.v.Lanes {
			if d.v.Lanes[i].ID == id {
				pts = d.v.Lanes[i].Points
			}
		}
		for i := range d.v.Landmarks {
			if d.v.Landmarks[i].ID == id {
				pts = []maps.Point{d.v.Landmarks[i].Point}
			}
		}
		for i := range d.v.Labels {
			if d.v.Labels[i].ID == id {
				pts = []maps.Point{d.v.Labels[i].Point}
			}
		}
	}
	if len(pts) == 0 {
		return
	}
	sp := append([]maps.Point(nil), d.screen(pts)...)
	if len(sp) > 1 {
		d.p.StrokePolyline(sp, 2*d.line, colSelect, closed, []float64{5 * d.line, 3 * d.line})
	}
	h := 3.5 * d.line
	for _, q := range sp {
		d.p.FillPolygon([]maps.Point{{X: q.X - h, Y: q.Y - h}, {X: q.X + h, Y: q.Y - h}, {X: q.X + h, Y: q.Y + h}, {X: q.X - h, Y: q.Y + h}}, colSelect)
		d.p.FillPolygon([]maps.Point{{X: q.X - h + 1.2, Y: q.Y - h + 1.2}, {X: q.X + h - 1.2, Y: q.Y - h + 1.2}, {X: q.X + h - 1.2, Y: q.Y + h - 1.2}, {X: q.X - h + 1.2, Y: q.Y + h - 1.2}}, color.RGBA{0xff, 0xff, 0xff, 0xff})
	}
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// DrawLandmarkSymbol draws the symbol of a landmark kind centred on c with
// radius r (device units); the map and the legend share it.
func DrawLandmarkSymbol(p Painter, kind maps.LandmarkKind, c maps.Point, r float64) {
	col := LandmarkColour(kind)
	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	switch kind {
	case maps.KindEntrance: // arrow-like triangle pointing into the village
		p.FillPolygon([]maps.Point{{X: c.X, Y: c.Y - r*1.2}, {X: c.X + r, Y: c.Y + r*0.8}, {X: c.X - r, Y: c.Y + r*0.8}}, col)
	case maps.KindPond: // irregular water body
		var ring []maps.Point
		for k := 0; k < 12; k++ {
			a := float64(k) * math.Pi / 6
			rr := r * (1.2 + 0.25*math.Sin(3*a))
			ring = append(ring, maps.Point{X: c.X + rr*1.3*math.Cos(a), Y: c.Y + rr*0.8*math.Sin(a)})
		}
		p.FillPolygon(ring, col)
	case maps.KindWell: // ring
		p.FillCircle(c, r, col)
		p.FillCircle(c, r*0.5, white)
	case maps.KindHydrant: // red disc with a white bar
		p.FillCircle(c, r, col)
		p.FillPolygon([]maps.Point{{X: c.X - r*0.6, Y: c.Y - r*0.2}, {X: c.X + r*0.6, Y: c.Y - r*0.2}, {X: c.X + r*0.6, Y: c.Y + r*0.2}, {X: c.X - r*0.6, Y: c.Y + r*0.2}}, white)
	case maps.KindClinic: // cross
		p.FillCircle(c, r, white)
		a, b := r*0.25, r*0.8
		p.FillPolygon([]maps.Point{{X: c.X - a, Y: c.Y - b}, {X: c.X + a, Y: c.Y - b}, {X: c.X + a, Y: c.Y + b}, {X: c.X - a, Y: c.Y + b}}, col)
		p.FillPolygon([]maps.Point{{X: c.X - b, Y: c.Y - a}, {X: c.X + b, Y: c.Y - a}, {X: c.X + b, Y: c.Y + a}, {X: c.X - b, Y: c.Y + a}}, col)
	case maps.KindCommittee, maps.KindSchool: // square with a flag notch
		p.FillPolygon([]maps.Point{{X: c.X - r, Y: c.Y - r}, {X: c.X + r, Y: c.Y - r}, {X: c.X + r, Y: c.Y + r}, {X: c.X - r, Y: c.Y + r}}, col)
		p.FillPolygon([]maps.Point{{X: c.X - r*0.4, Y: c.Y - r*0.6}, {X: c.X + r*0.5, Y: c.Y - r*0.3}, {X: c.X - r*0.4, Y: c.Y}}, white)
	case maps.KindShop, maps.KindParcel: // diamond
		p.FillPolygon([]maps.Point{{X: c.X, Y: c.Y - r}, {X: c.X + r, Y: c.Y}, {X: c.X, Y: c.Y + r}, {X: c.X - r, Y: c.Y}}, col)
	default:
		p.FillCircle(c, r*0.8, col)
	}
}

// OverlayOf turns a fire route into what Draw shows: the drive in blue,
// the hose dashed red, the stop as a red dot, the water sources the
// sentence names ringed in red. Nil for a nil route; an unreachable route
// still shows where to stop and the hose from there.
func OverlayOf(r *route.Result) *RouteOverlay {
	if r == nil {
		return nil
	}
	o := &RouteOverlay{Drive: r.Path, Hose: r.HosePath}
	if r.Stop != nil {
		o.Stop = &maps.Point{X: r.Stop.X, Y: r.Stop.Y}
	}
	for _, w := range r.NamedWater() {
		o.Water = append(o.Water, w.At)
	}
	for _, l := range r.Lanes {
		o.Lanes = append(o.Lanes, l.Name)
	}
	for _, s := range r.HoseSteps {
		o.Lanes = append(o.Lanes, s.Lane)
	}
	if r.StopLane != nil {
		o.Lanes = append(o.Lanes, r.StopLane.Name)
	}
	return o
}
