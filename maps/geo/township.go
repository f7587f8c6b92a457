package geo

import (
	"errors"
	"fmt"

	"cunjing/maps"
)

// ErrNoPlaced: no village is georeferenced, so there is no township map.
var ErrNoPlaced = errors.New("no georeferenced village")

// Township is every placed village on one map: one tangent-plane frame at
// the villages' middle, each village's houses, lanes, landmarks and
// labels moved into it through its own georeference, so villages drawn
// apart by different officers stand where they are on the ground. The
// map is for looking (a station's 全镇 view): base images and retired
// numbers are left out; the features keep their IDs (a village's records
// are found on it as on its own map). Lane widths stay in metres (a fit
// scales by close to 1).
func Township(ps []Placed, name string) (*maps.Village, error) {
	if len(ps) == 0 {
		return nil, ErrNoPlaced
	}
	var lon, lat float64
	for _, p := range ps {
		if p.Village == nil || p.Transform == nil {
			return nil, errors.New("township map: a village without its map or georeference")
		}
		c := maps.EmptyRect()
		for _, h := range p.Village.Houses {
			c = c.Union(h.Polygon.Bounds())
		}
		at := maps.Point{}
		if !c.IsEmpty() {
			at = maps.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2}
		}
		x, y := p.Transform.ToLonLat(at)
		lon, lat = lon+x, lat+y
	}
	f, err := NewFrame(lon/float64(len(ps)), lat/float64(len(ps)))
	if err != nil {
		return nil, fmt.Errorf("township map: %w", err)
	}
	out := &maps.Village{Name: name}
	for _, p := range ps {
		move := func(q maps.Point) maps.Point { return f.Forward(p.Transform.ToLonLat(q)) }
		v := p.Village.Clone()
		for i := range v.Houses {
			for j, q := range v.Houses[i].Polygon {
				v.Houses[i].Polygon[j] = move(q)
			}
		}
		for i := range v.Lanes {
			for j, q := range v.Lanes[i].Points {
				v.Lanes[i].Points[j] = move(q)
			}
		}
		for i := range v.Landmarks {
			v.Landmarks[i].Point = move(v.Landmarks[i].Point)
		}
		for i := range v.Labels {
			v.Labels[i].Point = move(v.Labels[i].Point)
		}
		out.Houses = append(out.Houses, v.Houses...)
		out.Lanes = append(out.Lanes, v.Lanes...)
		out.Landmarks = append(out.Landmarks, v.Landmarks...)
		out.Labels = append(out.Labels, v.Labels...)
	}
	return out, nil
}
