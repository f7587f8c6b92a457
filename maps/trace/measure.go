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
			if Inside(h.At, t) {
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

// Inside is the even–odd point-in-polygon test.
func Inside(p Pt, ring []Pt) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		a, b := ring[i], ring[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// NumberScore compares the numbers read with the true ones, over the true
// houses found (a proposal's centre inside the outline; the first such
// proposal counts).
type NumberScore struct {
	Found  int // true houses found
	Exact  int // read exactly
	Unread int // found, number not read
	Wrong  int // read, but not the true number
	// Doubtful counts, of the wrong and of the exact readings, how many
	// were flagged as breaking the sequence.
	WrongDoubtful, ExactDoubtful int
}

// ScoreNumbers scores the numbers read against true outlines and numbers.
func ScoreNumbers(truth [][]Pt, numbers []string, got []House) NumberScore {
	var s NumberScore
	for i, t := range truth {
		for _, h := range got {
			if !Inside(h.At, t) {
				continue
			}
			s.Found++
			switch {
			case h.Number == "":
				s.Unread++
			case h.Number == numbers[i]:
				s.Exact++
				if h.Doubtful {
					s.ExactDoubtful++
				}
			default:
				s.Wrong++
				if h.Doubtful {
					s.WrongDoubtful++
				}
			}
			break
		}
	}
	return s
}

// Add sums two scores.
func (s NumberScore) Add(o NumberScore) NumberScore {
	return NumberScore{s.Found + o.Found, s.Exact + o.Exact, s.Unread + o.Unread, s.Wrong + o.Wrong, s.WrongDoubtful + o.WrongDoubtful, s.ExactDoubtful + o.ExactDoubtful}
}
