package trace

// Score compares proposed houses with true outlines: a true house is
// found when some proposal's centre lies inside its outline; a proposal
// is right when its centre lies inside some true outline.
type Score struct {
	Truth, Proposed   int
	Found, Right      int
	Recall, Precision float64
}

// ScoreHouses scores proposals against true outlines (pixels).
func ScoreHouses(truth [][]Pt, got []House) Score {
	s := Score{Truth: len(truth), Proposed: len(got)}
	found := make([]bool, len(truth))
	for _, h := range got {
		hit := false
		for i, t := range truth {
			if inside(h.At, t) {
				found[i] = true
				hit = true
			}
		}
		if hit {
			s.Right++
		}
	}
	for _, f := range found {
		if f {
			s.Found++
		}
	}
	if s.Truth > 0 {
		s.Recall = float64(s.Found) / float64(s.Truth)
	}
	if s.Proposed > 0 {
		s.Precision = float64(s.Right) / float64(s.Proposed)
	}
	return s
}

// inside is the even–odd point-in-polygon test.
func inside(p Pt, ring []Pt) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		a, b := ring[i], ring[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}
