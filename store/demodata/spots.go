package demodata

import (
	"strings"

	"cunjing/maps"
	"cunjing/store"
)

// venueSpot is a place a venue can be: a shop, clinic or parcel-point
// landmark, or a house on the main road (where village shops are). Its
// address is always a door number: the house itself, or the house the
// landmark stands by, never another venue's name.
type venueSpot struct {
	villageID string
	houseID   string
	address   string
	kind      maps.LandmarkKind // the landmark's kind; "" for a house
	x, y      float64
}

func venueSpots(v *store.Village, mv *maps.Village) []venueSpot {
	var out []venueSpot
	used := map[string]bool{}
	for _, lm := range mv.Landmarks {
		switch lm.Kind {
		case maps.KindShop, maps.KindClinic, maps.KindParcel:
		default:
			continue
		}
		h := nearestHouse(mv, lm.Point, used)
		if h == nil {
			continue
		}
		used[h.ID] = true
		out = append(out, venueSpot{villageID: v.ID, houseID: h.ID, address: v.Name + h.Number + "号", kind: lm.Kind, x: lm.Point.X, y: lm.Point.Y})
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
		if h.Courtyard || len(h.Polygon) == 0 || h.Number == "" || used[h.ID] {
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

// nearestHouse is the numbered house nearest p not yet taken.
func nearestHouse(mv *maps.Village, p maps.Point, taken map[string]bool) *maps.House {
	var best *maps.House
	bd := 0.0
	for i := range mv.Houses {
		h := &mv.Houses[i]
		if h.Courtyard || len(h.Polygon) == 0 || h.Number == "" || taken[h.ID] {
			continue
		}
		if d := maps.Dist(centroid(h.Polygon), p); best == nil || d < bd {
			best, bd = h, d
		}
	}
	return best
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
