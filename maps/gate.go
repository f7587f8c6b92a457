package maps

// HouseLanes gives, for each house of v (by index into v.Houses), the index
// into v.Lanes of the lane its gate opens onto — the lane whose edge is
// nearest the outline, as numbering walks them — or -1 when the map has no
// usable lane. A door plate names this lane. Lanes that are not valid
// (ValidateLane) are passed over.
func HouseLanes(v *Village) []int {
	out := make([]int, len(v.Houses))
	var lanes []Lane
	var index []int // lanes[k] is v.Lanes[index[k]]
	for i, l := range v.Lanes {
		if ValidateLane(l) != nil {
			continue
		}
		l.Points = cleanPolyline(l.Points)
		if len(l.Points) < 2 {
			continue
		}
		lanes = append(lanes, l)
		index = append(index, i)
	}
	if len(lanes) == 0 {
		for i := range out {
			out[i] = -1
		}
		return out
	}
	g := newLaneGrid(lanes)
	for i := range v.Houses {
		h := &v.Houses[i]
		out[i] = -1
		if len(h.Polygon) == 0 {
			continue
		}
		if li := houseGate(h, lanes, g.near(h.Polygon.Bounds())).lane; li >= 0 {
			out[i] = index[li]
		}
	}
	return out
}
