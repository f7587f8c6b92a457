package trace

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"cunjing/maps/trace/sheetgen"
)

// TestScaleBarSheets draws small sheets with a scale bar and checks the
// scale found against the truth, and that a sheet without one says so.
func TestScaleBarSheets(t *testing.T) {
	if _, err := sheetgen.FindFont(); errors.Is(err, sheetgen.ErrNoFont) {
		t.Skipf("skipped: %v", err)
	}
	for _, tc := range []struct {
		seed int64
		bar  bool
	}{{1, true}, {2, true}, {3, true}, {1, false}} {
		t.Run(fmt.Sprintf("%d/bar=%v", tc.seed, tc.bar), func(t *testing.T) {
			s, err := sheetgen.Generate(tc.seed, sheetgen.Options{Houses: 30, PageW: 620, PageH: 860, ScaleBar: tc.bar})
			if err != nil {
				t.Fatal(err)
			}
			p, err := Detect(s.Image, Options{SkipNumbers: true})
			if err != nil {
				t.Fatal(err)
			}
			if !tc.bar {
				if p.ScaleBar != nil || p.PxPerM != 0 || p.NoScaleBar == "" {
					t.Errorf("no bar drawn, found %+v at %.2f px/m (%q)", p.ScaleBar, p.PxPerM, p.NoScaleBar)
				}
				for _, l := range p.Lanes {
					if l.WidthM != 0 {
						t.Errorf("lane width %v m without a scale", l.WidthM)
					}
				}
				return
			}
			if p.ScaleBar == nil {
				t.Fatalf("no scale bar: %s", p.NoScaleBar)
			}
			e := p.PxPerM/s.Truth.PxPerM - 1
			t.Logf("%v m, %.3f px/m (true %.3f, %+.1f%%), confidence %.2f", p.ScaleBar.Metres, p.PxPerM, s.Truth.PxPerM, 100*e, p.ScaleBar.Confidence)
			if p.ScaleBar.Metres != s.Truth.ScaleBar.Metres || math.Abs(e) > 0.03 {
				t.Errorf("scale %.3f px/m from %v m, want %.3f from %v m", p.PxPerM, p.ScaleBar.Metres, s.Truth.PxPerM, s.Truth.ScaleBar.Metres)
			}
		})
	}
}
