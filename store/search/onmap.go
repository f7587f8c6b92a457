package search

import "cunjing/maps"

// OnMap is what a village map shows for hits: the best hit of each house
// on v (houses not on this map — another village, or deleted since the
// hits were read — dropped) and v's landmarks whose name contains the
// query, best first. The map's find box and `cunjing locate` both show
// this.
func OnMap(p Plan, hits []Hit, v *maps.Village) []Hit {
	var out []Hit
	for _, h := range Houses(hits) {
		if h.HouseID != "" && v.HouseByID(h.HouseID) >= 0 {
			out = append(out, h)
		}
	}
	for _, lm := range v.Landmarks {
		if p.LandmarkMatches(lm.Name) {
			out = append(out, Hit{LandmarkID: lm.ID, Name: lm.Name, Match: MatchLandmark})
		}
	}
	Sort(out)
	return out
}

// Located is one line of `cunjing locate --json`; the keys are kept
// stable for scripts.
type Located struct {
	Number string  `json:"number"`
	Name   string  `json:"name"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	Match  string  `json:"-"`
}

// Locate places map hits (OnMap's) on v: a house at its outline's centre,
// a landmark at its point, in metres to 0.1.
func Locate(hits []Hit, v *maps.Village) []Located {
	out := make([]Located, 0, len(hits))
	for _, h := range hits {
		l := Located{Number: PlainNumber(h.Number), Name: h.Name, Match: h.Match.String()}
		var at maps.Point
		if i := v.HouseByID(h.HouseID); h.HouseID != "" && i >= 0 {
			at = v.Houses[i].Polygon.Centroid()
		} else {
			for _, lm := range v.Landmarks {
				if lm.ID == h.LandmarkID {
					at = lm.Point
				}
			}
		}
		l.X, l.Y = round1(at.X), round1(at.Y)
		out = append(out, l)
	}
	return out
}

func round1(x float64) float64 {
	if x < 0 {
		return -float64(int64(-x*10+0.5)) / 10
	}
	return float64(int64(x*10+0.5)) / 10
}
