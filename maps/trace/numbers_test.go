package trace

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"cunjing/maps/trace/sheetgen"
)

// TestReadFixtureNumbers reads the kept sheets' numbers with the embedded
// weights and holds the share read exactly, among houses found, at the
// level reached (it fails if reading breaks); the few read wrong must
// mostly be flagged doubtful or be rare.
func TestReadFixtureNumbers(t *testing.T) {
	for _, tc := range []struct {
		seed     int
		minExact float64
	}{
		{1, 0.8}, {2, 0.8}, {3, 0.8},
	} {
		t.Run(fmt.Sprint(tc.seed), func(t *testing.T) {
			img, tr := loadFixture(t, tc.seed)
			p, err := Detect(img, Options{PxPerM: tr.PxPerM})
			if err != nil {
				t.Fatal(err)
			}
			var nums []string
			for _, h := range tr.Houses {
				nums = append(nums, h.Number)
			}
			s := ScoreNumbers(truthRings(tr), nums, p.Houses)
			t.Logf("%+v", s)
			if s.Found == 0 || float64(s.Exact)/float64(s.Found) < tc.minExact {
				t.Errorf("%d of %d found houses' numbers read exactly, want ≥ %.0f%%", s.Exact, s.Found, 100*tc.minExact)
			}
			for _, h := range p.Houses {
				if h.Number == "" && (h.NumberConfidence != 0 || h.Doubtful) {
					t.Errorf("unread house %+v has a confidence or a doubt", h)
				}
				if h.NumberConfidence < 0 || h.NumberConfidence > 1 {
					t.Errorf("house %+v", h)
				}
			}
		})
	}
}

// TestReadHeldOutHand draws one A3 sheet at 150 dpi (seed 106, never
// used for tuning) with every number in the handwriting font held out of
// the recogniser's training, and holds the share read exactly among the
// houses found near the level reached (docs/BENCHMARKS.md): it fails when
// a change to the segmentation, the network or the weights loses much.
func TestReadHeldOutHand(t *testing.T) {
	if _, err := os.Stat(sheetgen.HeldOutFont); errors.Is(err, os.ErrNotExist) {
		t.Skipf("skipped: the held-out font %s is not installed (Debian's fonts-dkg-handwriting)", sheetgen.HeldOutFont)
	}
	o := a3
	o.Fonts = []string{sheetgen.HeldOutFont}
	s, err := sheetgen.Generate(106, o)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Detect(s.Image, Options{PxPerM: s.Truth.PxPerM})
	if err != nil {
		t.Fatal(err)
	}
	var nums []string
	for _, h := range s.Truth.Houses {
		nums = append(nums, h.Number)
	}
	sc := ScoreNumbers(truthRings(s.Truth), nums, p.Houses)
	t.Logf("%+v", sc)
	if exact := float64(sc.Exact) / float64(max(1, sc.Found)); sc.Found < 250 || exact < heldOutFloor {
		t.Errorf("%d of %d found houses' numbers read exactly (%.1f%%), want ≥ %.0f%%", sc.Exact, sc.Found, 100*exact, 100*heldOutFloor)
	}
}

// heldOutFloor is TestReadHeldOutHand's least share read exactly.
const heldOutFloor = 0.85
