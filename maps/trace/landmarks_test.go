package trace

import (
	"fmt"
	"testing"

	"cunjing/maps/trace/sheetgen"
)

func truthPoints(tr sheetgen.Truth, kind string) []Pt {
	var out []Pt
	for _, l := range tr.Landmarks {
		if l.Kind == kind {
			out = append(out, Pt(l.At))
		}
	}
	return out
}

// TestWellFixtures holds well recall and precision on the kept sheets
// (a well is found within 2 m).
func TestWellFixtures(t *testing.T) {
	for _, tc := range []struct {
		seed               int
		scale              bool
		minFound, maxFalse int
	}{
		{1, true, 3, 1}, {2, true, 2, 1}, {3, true, 3, 1},
		{1, false, 3, 1}, {2, false, 2, 1}, {3, false, 2, 1},
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
			s := ScoreLandmarks(truthPoints(tr, "well"), p.Landmarks, "well", 2*tr.PxPerM)
			t.Logf("wells: found %d of %d, %d of %d proposals right", s.Found, s.Truth, s.Right, s.Proposed)
			if s.Found < tc.minFound || s.Proposed-s.Right > tc.maxFalse {
				t.Errorf("found %d (want ≥ %d), %d false (want ≤ %d)", s.Found, tc.minFound, s.Proposed-s.Right, tc.maxFalse)
			}
		})
	}
}

func TestScoreLandmarks(t *testing.T) {
	got := []Landmark{{Kind: "well", At: Pt{10, 10}}, {Kind: "well", At: Pt{50, 50}}, {Kind: "pond", At: Pt{100, 100}}}
	for _, tc := range []struct {
		truth []Pt
		kind  string
		want  LandmarkScore
	}{
		{[]Pt{{11, 10}}, "well", LandmarkScore{1, 1, 2, 1}},
		{[]Pt{{11, 10}, {52, 50}}, "well", LandmarkScore{2, 2, 2, 2}},
		{[]Pt{{100, 100}}, "well", LandmarkScore{1, 0, 2, 0}},
		{[]Pt{{100, 100}}, "pond", LandmarkScore{1, 1, 1, 1}},
		{nil, "pond", LandmarkScore{0, 0, 1, 0}},
	} {
		if s := ScoreLandmarks(tc.truth, got, tc.kind, 3); s != tc.want {
			t.Errorf("%v %s: %+v, want %+v", tc.truth, tc.kind, s, tc.want)
		}
	}
}
