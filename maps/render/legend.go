package render

import (
	"fmt"
	"image/color"
	"math"

	"cunjing/maps"
	"cunjing/maps/route"
)

// LegendItem is one entry of a printed or on-screen legend.
type LegendItem struct {
	// Key is a stable identifier: "house", "courtyard", "warning:red",
	// "highlight", "category:party", "lane", "narrow", "landmark:well",
	// "drive", "hose", "stop", "water".
	Key   string
	Label string // Chinese text
	kind  legendKind
	col   color.RGBA
	line  color.RGBA
	lk    maps.LandmarkKind
}

type legendKind int

const (
	lgBox legendKind = iota
	lgSquare
	lgLane
	lgSymbol
	lgDrive
	lgHose
	lgStop
	lgWater
	lgOutline
)

// Legend lists the entries that matter for v: the house fills, the
// warning grades, categories and landmark kinds that occur in it, the two
// lane classes for the vehicle width, and the route symbols when withRoute.
// A printed sheet lists instead what its page shows (Drawing.Keys and
// LegendFor).
func Legend(v *maps.Village, vehicleWidth float64, withRoute bool) []LegendItem {
	keys := []string{"house", "lane", "narrow"}
	for i := range v.Houses {
		keys = append(keys, houseKey(&v.Houses[i]))
		for _, c := range v.Houses[i].Categories {
			keys = append(keys, "category:"+string(c))
		}
	}
	for _, m := range v.Landmarks {
		keys = append(keys, "landmark:"+string(m.Kind))
	}
	if withRoute {
		keys = append(keys, "drive", "hose", "stop")
	}
	return LegendFor(keys, vehicleWidth)
}

// houseKey is the legend key of a house's fill.
func houseKey(h *maps.House) string {
	switch {
	case h.Warning == maps.WarningRed || h.Warning == maps.WarningOrange || h.Warning == maps.WarningGreen:
		return "warning:" + string(h.Warning)
	case h.Courtyard:
		return "courtyard"
	}
	return "house"
}

// LegendFor returns the entries for the given keys (see LegendItem.Key;
// repeats and unknown keys are ignored), in the legend's fixed order: a
// printed page passes the keys of what it shows (Drawing.Keys), so its
// legend lists exactly that.
func LegendFor(keys []string, vehicleWidth float64) []LegendItem {
	if vehicleWidth <= 0 {
		vehicleWidth = route.DefaultVehicleWidth
	}
	has := make(map[string]bool, len(keys))
	for _, k := range keys {
		has[k] = true
	}
	var all []LegendItem
	all = append(all,
		LegendItem{Key: "house", Label: "房屋", kind: lgBox, col: colHouse, line: colHouseLine},
		LegendItem{Key: "courtyard", Label: "院落", kind: lgBox, col: colCourtyard, line: colHouseLine},
	)
	for _, w := range []maps.Warning{maps.WarningRed, maps.WarningOrange, maps.WarningGreen} {
		h := maps.House{Warning: w}
		all = append(all, LegendItem{Key: "warning:" + string(w), Label: w.Label() + "色预警", kind: lgBox, col: houseFill(&h), line: WarningColour(w)})
	}
	all = append(all, LegendItem{Key: "highlight", Label: "目标房屋", kind: lgOutline, line: colHighlight})
	for _, c := range maps.Categories {
		all = append(all, LegendItem{Key: "category:" + string(c), Label: c.Label(), kind: lgSquare, col: CategoryColour(c)})
	}
	all = append(all,
		LegendItem{Key: "lane", Label: fmt.Sprintf("道路 ≥%.1f米（消防车可通行）", vehicleWidth), kind: lgLane, col: colLaneFill, line: colLaneCasing},
		LegendItem{Key: "narrow", Label: fmt.Sprintf("窄巷 <%.1f米", vehicleWidth), kind: lgLane, col: colNarrowFill, line: colNarrowCasing},
	)
	for _, k := range maps.LandmarkKinds {
		all = append(all, LegendItem{Key: "landmark:" + string(k), Label: k.Label(), kind: lgSymbol, lk: k})
	}
	all = append(all,
		LegendItem{Key: "drive", Label: "消防车路线", kind: lgDrive},
		LegendItem{Key: "hose", Label: "水带", kind: lgHose},
		LegendItem{Key: "stop", Label: "停车点", kind: lgStop},
		LegendItem{Key: "water", Label: "最近水源", kind: lgWater},
	)
	var items []LegendItem
	for _, it := range all {
		if has[it.Key] {
			items = append(items, it)
		}
	}
	return items
}

// DrawLegendSwatch draws the item's sample in a size×size box centred on c
// (device units), with the same colours and symbols the map uses.
func DrawLegendSwatch(p Painter, it LegendItem, c maps.Point, size float64) {
	h := size / 2
	box := []maps.Point{{X: c.X - h, Y: c.Y - h*0.75}, {X: c.X + h, Y: c.Y - h*0.75}, {X: c.X + h, Y: c.Y + h*0.75}, {X: c.X - h, Y: c.Y + h*0.75}}
	lw := math.Max(size*0.06, 0.1)
	switch it.kind {
	case lgBox:
		p.FillPolygon(box, it.col)
		w := lw
		if it.line != colHouseLine {
			w = 2.5 * lw
		}
		p.StrokePolyline(box, w, it.line, true, nil)
	case lgSquare:
		q := h * 0.6
		p.FillPolygon([]maps.Point{{X: c.X - q, Y: c.Y - q}, {X: c.X + q, Y: c.Y - q}, {X: c.X + q, Y: c.Y + q}, {X: c.X - q, Y: c.Y + q}}, it.col)
	case lgLane:
		line := []maps.Point{{X: c.X - h, Y: c.Y}, {X: c.X + h, Y: c.Y}}
		p.StrokePolyline(line, size*0.5+2*lw, it.line, false, nil)
		p.StrokePolyline(line, size*0.5, it.col, false, nil)
	case lgSymbol:
		DrawLandmarkSymbol(p, it.lk, c, h*0.7)
	case lgDrive:
		p.StrokePolyline([]maps.Point{{X: c.X - h, Y: c.Y}, {X: c.X + h, Y: c.Y}}, size*0.25, colDrive, false, nil)
	case lgHose:
		p.StrokePolyline([]maps.Point{{X: c.X - h, Y: c.Y}, {X: c.X + h, Y: c.Y}}, size*0.12, colHose, false, []float64{size * 0.25, size * 0.15})
	case lgStop:
		p.FillCircle(c, h*0.55, color.RGBA{0xff, 0xff, 0xff, 0xff})
		p.FillCircle(c, h*0.4, colHose)
	case lgWater:
		p.StrokePolyline(ring(c, h*0.7, 24), math.Max(size*0.1, 0.1), colHose, true, nil)
	case lgOutline:
		p.StrokePolyline(box, 2.5*lw, it.line, true, nil)
	}
}
