package demo

import (
	"strings"

	"cunjing/maps"
	"cunjing/store"
)

// venueSpot is a place a venue can be: a shop or clinic landmark, or a
// house on the main road (where village shops are).
type venueSpot struct {
	villageID string
	houseID   string
	address   string
	x, y      float64
}

func venueSpots(v *store.Village, mv *maps.Village) []venueSpot {
	var out []venueSpot
	for _, lm := range mv.Landmarks {
		switch lm.Kind {
		case maps.KindShop, maps.KindClinic, maps.KindParcel:
			out = append(out, venueSpot{villageID: v.ID, address: v.Name + lm.Name, x: lm.Point.X, y: lm.Point.Y})
		}
	}
	// Houses facing the main road, in number order, take the rest.
	var road *maps.Lane
	for i := range mv.Lanes {
		if strings.Contains(mv.Lanes[i].Name, "主街") || strings.Contains(mv.Lanes[i].Name, "大街") {
			road = &mv.Lanes[i]
			break
		}
	}
	for _, h := range mv.Houses {
		if h.Courtyard || len(h.Polygon) == 0 {
			continue
		}
		c := centroid(h.Polygon)
		if road != nil && distToLane(c, road) > 25 {
			continue
		}
		out = append(out, venueSpot{villageID: v.ID, houseID: h.ID, address: v.Name + h.Number + "号", x: c.X, y: c.Y})
	}
	return out
}

func centroid(p maps.Polygon) maps.Point {
	var c maps.Point
	for _, q := range p {
		c = c.Add(q)
	}
	return c.Scale(1 / float64(len(p)))
}

func distToLane(p maps.Point, l *maps.Lane) float64 {
	best := -1.0
	for i := 1; i < len(l.Points); i++ {
		d := maps.DistToSegment(p, l.Points[i-1], l.Points[i])
		if best < 0 || d < best {
			best = d
		}
	}
	return best
}
