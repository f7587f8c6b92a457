package trace

import (
	"math"
	"slices"
)

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

// LaneTruth is a true lane: its centreline in pixels and width in metres.
type LaneTruth struct {
	Points []Pt
	WidthM float64
}

// LaneScore compares proposed lanes with true ones, on points every metre
// along the true centrelines inside the image: a point is covered when a
// proposed lane passes within 1.5 m of it, and its width is right when
// the nearest proposed lane's width is within 1 m of the true one. The
// other way, points every metre along the proposed lanes are right when a
// true centreline passes within 1.5 m.
type LaneScore struct {
	Points, Covered, WidthOK int
	// Coverage is Covered/Points, WidthWithin WidthOK/Covered.
	Coverage, WidthWithin float64
	// WidthErrM are the width errors (proposed − true, metres) at the
	// covered points.
	WidthErrM []float64
	// ProposedPoints and ProposedRight measure the proposals the other way.
	ProposedPoints, ProposedRight int
}

// ScoreLanes scores proposed lanes (widths in pixels) against true ones on
// a w×h image at pxPerM pixels per metre.
func ScoreLanes(truth []LaneTruth, got []Lane, pxPerM float64, w, h int) LaneScore {
	var s LaneScore
	tol := 1.5 * pxPerM
	for _, t := range truth {
		for _, p := range samples(t.Points, pxPerM) {
			if p[0] < 2 || p[1] < 2 || p[0] > float64(w)-2 || p[1] > float64(h)-2 {
				continue
			}
			s.Points++
			best, bw := math.Inf(1), 0.0
			for _, l := range got {
				if d := distToPolyline(p, l.Points); d < best {
					best, bw = d, l.WidthPx
				}
			}
			if best > tol {
				continue
			}
			s.Covered++
			e := bw/pxPerM - t.WidthM
			s.WidthErrM = append(s.WidthErrM, e)
			if math.Abs(e) <= 1 {
				s.WidthOK++
			}
		}
	}
	for _, l := range got {
		for _, p := range samples(l.Points, pxPerM) {
			s.ProposedPoints++
			for _, t := range truth {
				if distToPolyline(p, t.Points) <= tol {
					s.ProposedRight++
					break
				}
			}
		}
	}
	if s.Points > 0 {
		s.Coverage = float64(s.Covered) / float64(s.Points)
	}
	if s.Covered > 0 {
		s.WidthWithin = float64(s.WidthOK) / float64(s.Covered)
	}
	return s
}

// Add sums two lane scores.
func (s LaneScore) Add(o LaneScore) LaneScore {
	r := LaneScore{Points: s.Points + o.Points, Covered: s.Covered + o.Covered, WidthOK: s.WidthOK + o.WidthOK,
		WidthErrM:      append(slices.Clone(s.WidthErrM), o.WidthErrM...),
		ProposedPoints: s.ProposedPoints + o.ProposedPoints, ProposedRight: s.ProposedRight + o.ProposedRight}
	if r.Points > 0 {
		r.Coverage = float64(r.Covered) / float64(r.Points)
	}
	if r.Covered > 0 {
		r.WidthWithin = float64(r.WidthOK) / float64(r.Covered)
	}
	return r
}

// samples are points every step pixels along a polyline, both ends included.
func samples(line []Pt, step float64) []Pt {
	if len(line) == 0 || step <= 0 {
		return nil
	}
	out := []Pt{line[0]}
	cum, next := 0.0, step
	for i := 1; i < len(line); i++ {
		a, b := line[i-1], line[i]
		l := math.Hypot(b[0]-a[0], b[1]-a[1])
		for ; next <= cum+l; next += step {
			t := (next - cum) / l
			out = append(out, Pt{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t})
		}
		cum += l
	}
	if last := line[len(line)-1]; out[len(out)-1] != last {
		out = append(out, last)
	}
	return out
}

// LandmarkScore compares proposed map signs of one kind with true ones: a
// true sign is found when a proposal of its kind lies within the
// tolerance; a proposal is right when a true sign of its kind does.
type LandmarkScore struct {
	Truth, Found, Proposed, Right int
}

// ScoreLandmarks scores the proposals of kind against true positions
// (pixels), within tol pixels.
func ScoreLandmarks(truth []Pt, got []Landmark, kind string, tol float64) LandmarkScore {
	s := LandmarkScore{Truth: len(truth)}
	near := func(a, b Pt) bool { return math.Hypot(a[0]-b[0], a[1]-b[1]) <= tol }
	for _, t := range truth {
		for _, g := range got {
			if g.Kind == kind && near(g.At, t) {
				s.Found++
				break
			}
		}
	}
	for _, g := range got {
		if g.Kind != kind {
			continue
		}
		s.Proposed++
		for _, t := range truth {
			if near(g.At, t) {
				s.Right++
				break
			}
		}
	}
	return s
}

// Add sums two landmark scores.
func (s LandmarkScore) Add(o LandmarkScore) LandmarkScore {
	return LandmarkScore{s.Truth + o.Truth, s.Found + o.Found, s.Proposed + o.Proposed, s.Right + o.Right}
}
