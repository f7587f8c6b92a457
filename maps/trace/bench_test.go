package trace

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"cunjing/maps/trace/sheetgen"
)

// freshSeeds are never used for tuning (the fixtures are seeds 1–3).
var freshSeeds = []int64{101, 102, 103, 104, 105}

// a3 is an A3 sheet at 150 dpi.
var a3 = sheetgen.Options{Houses: 300, PageW: 2480, PageH: 1754}

// BenchmarkDetectA3 decodes and traces A3 sheets at 150 dpi of a
// 300-house village drawn from fresh seeds, and reports house recall and
// precision over them (and ponds found), with the scale given and
// without it. Run:
//
//	go test ./maps/trace/ -run '^$' -bench DetectA3 -benchtime 5x
func BenchmarkDetectA3(b *testing.B) {
	if _, err := sheetgen.FindFont(); errors.Is(err, sheetgen.ErrNoFont) {
		b.Skipf("skipped: %v", err)
	}
	type sheet struct {
		jpeg  []byte
		truth sheetgen.Truth
	}
	var sheets []sheet
	for _, seed := range freshSeeds {
		s, err := sheetgen.Generate(seed, a3)
		if err != nil {
			b.Fatal(err)
		}
		sheets = append(sheets, sheet{s.JPEG, s.Truth})
	}
	type metric struct {
		v    float64
		unit string
	}
	var metrics []metric
	for _, scaled := range []bool{true, false} {
		var sum Score
		var ponds, pondsFound, pondsProposed int
		var lanes LaneScore
		var wells LandmarkScore
		for _, s := range sheets {
			img, err := Decode(bytes.NewReader(s.jpeg))
			if err != nil {
				b.Fatal(err)
			}
			o := Options{}
			if scaled {
				o.PxPerM = s.truth.PxPerM
			}
			p, err := Detect(img, o)
			if err != nil {
				b.Fatal(err)
			}
			sc := ScoreHouses(truthRings(s.truth), p.Houses)
			sum.Truth += sc.Truth
			sum.Found += sc.Found
			sum.Proposed += sc.Proposed
			sum.Right += sc.Right
			for _, l := range s.truth.Landmarks {
				if l.Kind == "pond" {
					ponds++
				}
			}
			lanes = lanes.Add(ScoreLanes(laneTruth(s.truth), p.Lanes, s.truth.PxPerM, s.truth.Width, s.truth.Height))
			wells = wells.Add(ScoreLandmarks(truthPoints(s.truth, "well"), p.Landmarks, "well", 2*s.truth.PxPerM))
			pondsFound += pondsNear(s.truth, p.Landmarks)
			for _, l := range p.Landmarks {
				if l.Kind == "pond" {
					pondsProposed++
				}
			}
		}
		name := "scale"
		if !scaled {
			name = "noscale"
		}
		metrics = append(metrics,
			metric{100 * float64(sum.Found) / float64(sum.Truth), "recall%_" + name},
			metric{100 * float64(sum.Right) / float64(sum.Proposed), "precision%_" + name})
		metrics = append(metrics,
			metric{100 * lanes.Coverage, "lanecover%_" + name},
			metric{100 * lanes.WidthWithin, "lanewidth1m%_" + name})
		b.Logf("%s: lanes: %d of %d centreline points covered, %d widths within 1 m, median |error| %.2f m; %d of %d proposed points on a true lane", name, lanes.Covered, lanes.Points, lanes.WidthOK, medianAbs(lanes.WidthErrM), lanes.ProposedRight, lanes.ProposedPoints)
		metrics = append(metrics,
			metric{100 * float64(wells.Found) / float64(wells.Truth), "wellrecall%_" + name},
			metric{100 * float64(wells.Right) / math.Max(1, float64(wells.Proposed)), "wellprecision%_" + name})
		b.Logf("%s: wells: found %d of %d, %d of %d proposals right (within 2 m)", name, wells.Found, wells.Truth, wells.Right, wells.Proposed)
		b.Logf("%s: found %d of %d houses, %d of %d proposals right; %d of %d ponds found, %d pond proposals", name, sum.Found, sum.Truth, sum.Right, sum.Proposed, pondsFound, ponds, pondsProposed)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := sheets[i%len(sheets)]
		img, err := Decode(bytes.NewReader(s.jpeg))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Detect(img, Options{PxPerM: s.truth.PxPerM}); err != nil {
			b.Fatal(fmt.Errorf("seed %d: %w", s.truth.Seed, err))
		}
	}
	b.StopTimer()
	for _, m := range metrics { // reported after ResetTimer, which drops them
		b.ReportMetric(m.v, m.unit)
	}
}

// medianAbs is the median of the values' magnitudes (NaN for none).
func medianAbs(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	a := make([]float64, len(v))
	for i, x := range v {
		a[i] = math.Abs(x)
	}
	slices.Sort(a)
	return a[len(a)/2]
}

// BenchmarkScaleBarA3 draws the A3 sheets of BenchmarkDetectA3 with a
// scale bar (fresh seeds), traces them without the scale, and reports how
// many bars gave the scale, the largest scale error, and the lanes'
// widths and the wells at the scale found. Run:
//
//	go test ./maps/trace/ -run '^$' -bench ScaleBarA3 -benchtime 5x
func BenchmarkScaleBarA3(b *testing.B) {
	if _, err := sheetgen.FindFont(); errors.Is(err, sheetgen.ErrNoFont) {
		b.Skipf("skipped: %v", err)
	}
	o := a3
	o.ScaleBar = true
	var sheets []*sheetgen.Sheet
	for _, seed := range freshSeeds {
		s, err := sheetgen.Generate(seed, o)
		if err != nil {
			b.Fatal(err)
		}
		if s.Truth.ScaleBar == nil {
			b.Fatalf("seed %d: no room for a scale bar", seed)
		}
		sheets = append(sheets, s)
	}
	found, worst := 0, 0.0
	var lanes LaneScore
	var wells LandmarkScore
	var houses Score
	for _, s := range sheets {
		img, err := Decode(bytes.NewReader(s.JPEG))
		if err != nil {
			b.Fatal(err)
		}
		p, err := Detect(img, Options{SkipNumbers: true})
		if err != nil {
			b.Fatal(err)
		}
		if p.ScaleBar == nil {
			b.Logf("seed %d: %s", s.Truth.Seed, p.NoScaleBar)
			continue
		}
		found++
		e := math.Abs(p.PxPerM/s.Truth.PxPerM - 1)
		worst = math.Max(worst, e)
		b.Logf("seed %d: %v m over %.1f px, %.3f px/m (true %.3f: %.2f%% off), label confidence %.2f", s.Truth.Seed, p.ScaleBar.Metres, p.PxPerM*p.ScaleBar.Metres, p.PxPerM, s.Truth.PxPerM, 100*e, p.ScaleBar.Confidence)
		// widths in metres at the scale found, scored against the truth's
		ls := make([]Lane, len(p.Lanes))
		for i, l := range p.Lanes {
			ls[i] = Lane{Points: l.Points, WidthPx: l.WidthM * s.Truth.PxPerM}
		}
		lanes = lanes.Add(ScoreLanes(laneTruth(s.Truth), ls, s.Truth.PxPerM, s.Truth.Width, s.Truth.Height))
		wells = wells.Add(ScoreLandmarks(truthPoints(s.Truth, "well"), p.Landmarks, "well", 2*s.Truth.PxPerM))
		sc := ScoreHouses(truthRings(s.Truth), p.Houses)
		houses.Truth, houses.Found, houses.Proposed, houses.Right = houses.Truth+sc.Truth, houses.Found+sc.Found, houses.Proposed+sc.Proposed, houses.Right+sc.Right
	}
	b.Logf("bars found %d of %d; lanes at the scale found: %d of %d covered, %d widths within 1 m; wells %d of %d found, %d of %d right; houses %d of %d, %d of %d right", found, len(sheets), lanes.Covered, lanes.Points, lanes.WidthOK, wells.Found, wells.Truth, wells.Right, wells.Proposed, houses.Found, houses.Truth, houses.Right, houses.Proposed)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := sheets[i%len(sheets)]
		img, err := Decode(bytes.NewReader(s.JPEG))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Detect(img, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(found), "bars_found")
	b.ReportMetric(100*worst, "worst_scale_err%")
	b.ReportMetric(100*lanes.WidthWithin, "lanewidth1m%")
}
