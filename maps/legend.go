package maps

import (
	"fmt"
	"image/color"
	"math"
)

// LegendItem is one entry of a printed or on-screen legend.
type LegendItem struct {
	Key   string // stable identifier: "house", "warning:red", "category:party", "lane", "narrow", "landmark:well", "drive", "hose", "stop"
	Label string // Chinese text
	kind  legendKind
	col   color.RGBA
	line  color.RGBA
	lk    LandmarkKind
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
)

// Legend lists the entries that matter for v: the house fills, the
// warning grades, categories and landmark kinds that occur in it, the two
// lane classes for the vehicle width, and the route symbols when withRoute.
func Legend(v *Village, vehicleWidth float64, withRoute bool) []LegendItem {
	if vehicleWidth <= 0 {
		vehicleWidth = DefaultVehicleWidth
	}
	items := []LegendItem{{Key: "house", Label: "房屋", kind: lgBox, col: colHouse, line: colHouseLine}}
	warn := map[Warning]bool{}
	cats := map[Category]bool{}
	court := false
	for i := range v.Houses {
		warn[v.Houses[i].Warning] = true
		court = court || v.Houses[i].Courtyard
		for _, c := range v.Houses[i].Categories {
			cats[c] = true
		}
	}
	if court {
		items = append(items, LegendItem{Key: "courtyard", Label: "院落", kind: lgBox, col: colCourtyard, line: colHouseLine})
	}
	for _, w := range []Warning{WarningRed, WarningOrange, WarningGreen} {
		if warn[w] {
			h := House{Warning: w}
			items = append(items, LegendItem{Key: "warning:" + string(w), Label: w.Label() + "色预警", kind: lgBox, col: houseFill(&h), line: WarningColour(w)})
		}
	}
	for _, c := range Categories {
		if cats[c] {
			items = append(items, LegendItem{Key: "category:" + string(c), Label: c.Label(), kind: lgSquare, col: CategoryColour(c)})
		}
	}
	items = append(items,
		LegendItem{Key: "lane", Label: fmt.Sprintf("道路 ≥%.1f米（消防车可通行）", vehicleWidth), kind: lgLane, col: colLaneFill, line: colLaneCasing},
		LegendItem{Key: "narrow", Label: fmt.Sprintf("窄巷 <%.1f米", vehicleWidth), kind: lgLane, col: colNarrowFill, line: colNarrowCasing},
	)
	kinds := map[LandmarkKind]bool{}
	for _, m := range v.Landmarks {
		kinds[m.Kind] = true
	}
	for _, k := range LandmarkKinds {
		if kinds[k] {
			items = append(items, LegendItem{Key: "landmark:" + string(k), Label: k.Label(), kind: lgSymbol, lk: k})
		}
	}
	if withRoute {
		items = append(items,
			LegendItem{Key: "drive", Label: "消防车路线", kind: lgDrive},
			LegendItem{Key: "hose", Label: "水带", kind: lgHose},
			LegendItem{Key: "stop", Label: "停车点", kind: lgStop},
		)
	}
	return items
}

// DrawLegendSwatch draws the item's sample in a size×size box centred on c
// (device units), with the same colours and symbols the map uses.
func DrawLegendSwatch(p Painter, it LegendItem, c Point, size float64) {
	h := size / 2
	box := []Point{{c.X - h, c.Y - h*0.75}, {c.X + h, c.Y - h*0.75}, {c.X + h, c.Y + h*0.75}, {c.X - h, c.Y + h*0.75}}
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
		p.FillPolygon([]Point{{c.X - q, c.Y - q}, {c.X + q, c.Y - q}, {c.X + q, c.Y + q}, {c.X - q, c.Y + q}}, it.col)
	case lgLane:
		line := []Point{{c.X - h, c.Y}, {c.X + h, c.Y}}
		p.StrokePolyline(line, size*0.5+2*lw, it.line, false, nil)
		p.StrokePolyline(line, size*0.5, it.col, false, nil)
	case lgSymbol:
		DrawLandmarkSymbol(p, it.lk, c, h*0.7)
	case lgDrive:
		p.StrokePolyline([]Point{{c.X - h, c.Y}, {c.X + h, c.Y}}, size*0.25, colDrive, false, nil)
	case lgHose:
		p.StrokePolyline([]Point{{c.X - h, c.Y}, {c.X + h, c.Y}}, size*0.12, colHose, false, []float64{size * 0.25, size * 0.15})
	case lgStop:
		p.FillCircle(c, h*0.55, color.RGBA{0xff, 0xff, 0xff, 0xff})
		p.FillCircle(c, h*0.4, colHose)
	}
}
