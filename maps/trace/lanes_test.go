package trace

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"cunjing/maps/trace/sheetgen"
)

func laneTruth(tr sheetgen.Truth) []LaneTruth {
	var out []LaneTruth
	for _, l := range tr.Lanes {
		pts := make([]Pt, len(l.Points))
		for i, p := range l.Points {
			pts[i] = Pt(p)
		}
		out = append(out, LaneTruth{Points: pts, WidthM: l.WidthM})
	}
	return out
}

// TestLaneFixtures holds lane coverage and widths on the kept sheets at
// the level reached, with the scale given and without it.
func TestLaneFixtures(t *testing.T) {
	for _, tc := range []struct {
		seed        int
		scale       bool
		cover, wide float64 // coverage and widths within 1 m at least
	}{
		{1, true, 0.9, 0.9}, {2, true, 0.9, 0.9}, {3, true, 0.9, 0.9},
		{1, false, 0.9, 0.9}, {2, false, 0.9, 0.9}, {3, false, 0.9, 0.9},
	} {
		t.Run(fmt.Sprintf("%d/scale=%v", tc.seed, tc.scale), func(t *testing.T) {
			img, tr := loadFixture(t, tc.seed)
			o := Options{SkipNumbers: true}
			if tc.scale {
				o.PxPerM = tr.PxPerM
			}
			p, err := Detect(img, o)
			if err != nil {
				t.Fatal(err)
			}
			s := ScoreLanes(laneTruth(tr), p.Lanes, tr.PxPerM, tr.Width, tr.Height)
			errs := slices.Clone(s.WidthErrM)
			slices.Sort(errs)
			med := math.NaN()
			if len(errs) > 0 {
				med = errs[len(errs)/2]
			}
			t.Logf("%d lanes; covered %d/%d, width within 1 m %d, median error %.2f m; proposed %d/%d right", len(p.Lanes), s.Covered, s.Points, s.WidthOK, med, s.ProposedRight, s.ProposedPoints)
			if s.Coverage < tc.cover || s.WidthWithin < tc.wide {
				t.Errorf("coverage %.2f, widths %.2f: want ≥ %.2f, %.2f", s.Coverage, s.WidthWithin, tc.cover, tc.wide)
			}
			for _, l := range p.Lanes {
				if len(l.Points) < 2 || l.WidthPx <= 0 || (tc.scale != (l.WidthM > 0)) {
					t.Errorf("lane %+v", l)
				}
			}
		})
	}
}

func TestSamples(t *testing.T) {
	for _, tc := range []struct {
		line []Pt
		step float64
		want int
	}{
		{[]Pt{{0, 0}, {10, 0}}, 1, 11},
		{[]Pt{{0, 0}, {10, 0}, {10, 5}}, 2, 9},
		{[]Pt{{0, 0}, {0, 0}}, 1, 1},
		{nil, 1, 0},
	} {
		got := samples(tc.line, tc.step)
		if len(got) != tc.want {
			t.Errorf("%v step %v: %d points %v, want %d", tc.line, tc.step, len(got), got, tc.want)
		}
	}
}
