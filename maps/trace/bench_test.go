package trace

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"sync/atomic"
	"testing"
	"time"

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

// BenchmarkPhotoA3 photographs the A3 sheets of BenchmarkDetectA3 at an
// angle on a darker table (sheetgen.PhotoOf: each corner moved by up to
// 6% of the sheet), finds the corners, flattens, traces with the numbers
// read, and reports the corners' worst error and the houses found, in the
// photo's pixels. Run:
//
//	go test ./maps/trace/ -run '^$' -bench PhotoA3 -benchtime 5x
func BenchmarkPhotoA3(b *testing.B) {
	if _, err := sheetgen.FindFont(); errors.Is(err, sheetgen.ErrNoFont) {
		b.Skipf("skipped: %v", err)
	}
	type photo struct {
		ph    *sheetgen.Photo
		rings [][]Pt
		seed  int64
	}
	var photos []photo
	for _, seed := range freshSeeds {
		s, err := sheetgen.Generate(seed, a3)
		if err != nil {
			b.Fatal(err)
		}
		ph, err := sheetgen.PhotoOf(s, seed, sheetgen.PhotoOptions{})
		if err != nil {
			b.Fatal(err)
		}
		h, err := HomographyFrom([4]Pt{{0, 0}, {float64(s.Truth.Width), 0}, {float64(s.Truth.Width), float64(s.Truth.Height)}, {0, float64(s.Truth.Height)}}, [4]Pt(toPts(ph.Corners[:])))
		if err != nil {
			b.Fatal(err)
		}
		rings := truthRings(s.Truth)
		for _, r := range rings {
			for i := range r {
				r[i] = h.Apply(r[i])
			}
		}
		photos = append(photos, photo{ph, rings, seed})
	}
	worst := 0.0
	var sum Score
	for _, p := range photos {
		img, err := Decode(bytes.NewReader(p.ph.JPEG))
		if err != nil {
			b.Fatal(err)
		}
		c, err := FindSheetCorners(img)
		if err != nil {
			b.Fatal(err)
		}
		for i := range 4 {
			worst = math.Max(worst, math.Hypot(c[i][0]-p.ph.Corners[i][0], c[i][1]-p.ph.Corners[i][1]))
		}
		pr, err := Detect(img, Options{FindCorners: true})
		if err != nil {
			b.Fatal(err)
		}
		sc := ScoreHouses(p.rings, pr.Houses)
		sum.Truth, sum.Found, sum.Proposed, sum.Right = sum.Truth+sc.Truth, sum.Found+sc.Found, sum.Proposed+sc.Proposed, sum.Right+sc.Right
		b.Logf("seed %d: photo %d×%d, flat sheet %d×%d; houses %d of %d, %d of %d right", p.seed, pr.Width, pr.Height, pr.FlatWidth, pr.FlatHeight, sc.Found, sc.Truth, sc.Right, sc.Proposed)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := photos[i%len(photos)]
		img, err := Decode(bytes.NewReader(p.ph.JPEG))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Detect(img, Options{FindCorners: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(worst, "worst_corner_px")
	b.ReportMetric(100*float64(sum.Found)/float64(sum.Truth), "recall%")
	b.ReportMetric(100*float64(sum.Right)/float64(sum.Proposed), "precision%")
}

// BenchmarkDetectA0 traces one A0 sheet at 200 dpi (9362×6622 px, 62
// megapixels: the largest accepted) of a 3,000-house village, without the
// scale (so the scale bar is looked for) and with the numbers read, and
// reports the Go heap's peak over decoding and tracing (sampled every 5 ms
// after the sheet was drawn and the heap collected), and logs the figures
// against the truth (lane widths judged in pixels at the true scale when
// no scale was found). Run:
//
//	go test ./maps/trace/ -run '^$' -bench DetectA0 -benchtime 1x -timeout 30m
func BenchmarkDetectA0(b *testing.B) {
	if _, err := sheetgen.FindFont(); errors.Is(err, sheetgen.ErrNoFont) {
		b.Skipf("skipped: %v", err)
	}
	s, err := sheetgen.Generate(freshSeeds[0], sheetgen.Options{Houses: 3000, PageW: 9362, PageH: 6622, ScaleBar: true})
	if err != nil {
		b.Fatal(err)
	}
	jpg, tr := s.JPEG, s.Truth
	s = nil
	runtime.GC()
	debug.FreeOSMemory()
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				runtime.ReadMemStats(&ms)
				if v := ms.HeapInuse + ms.StackInuse; v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	b.ResetTimer()
	var p *Proposal
	for i := 0; i < b.N; i++ {
		img, err := Decode(bytes.NewReader(jpg))
		if err != nil {
			b.Fatal(err)
		}
		if p, err = Detect(img, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(done)
	sc := ScoreHouses(truthRings(tr), p.Houses)
	ls := ScoreLanes(laneTruth(tr), p.Lanes, tr.PxPerM, tr.Width, tr.Height)
	ws := ScoreLandmarks(truthPoints(tr, "well"), p.Landmarks, "well", 2*tr.PxPerM)
	b.Logf("%.2f px per metre found (true %.2f) %s; houses %d of %d, %d of %d right; lanes %d of %d points covered, %d widths within 1 m; wells %d of %d, %d of %d right",
		p.PxPerM, tr.PxPerM, p.NoScaleBar, sc.Found, sc.Truth, sc.Right, sc.Proposed, ls.Covered, ls.Points, ls.WidthOK, ws.Found, ws.Truth, ws.Right, ws.Proposed)
	b.ReportMetric(float64(peak.Load())/(1<<20), "peakheap_MB")
}
