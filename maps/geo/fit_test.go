package geo

import (
	"errors"
	"math"
	"math/rand"
	"testing"

	"cunjing/maps"
)

func TestFrameRoundTrip(t *testing.T) {
	for _, o := range [][2]float64{{114.5, 34.8}, {87.6, 43.8}, {121.5, 31.2}, {126.6, 45.75}, {109.5, 18.25}} {
		f, err := NewFrame(o[0], o[1])
		if err != nil {
			t.Fatal(err)
		}
		if p := f.Forward(o[0], o[1]); math.Hypot(p.X, p.Y) > 1e-6 {
			t.Fatalf("origin projects to %v", p)
		}
		for _, p := range []maps.Point{pt(0, 0), pt(1000, 0), pt(0, -1000), pt(-3500, 4200), pt(8000, 8000)} {
			lon, lat := f.Inverse(p)
			q := f.Forward(lon, lat)
			if d := maps.Dist(p, q); d > 1e-6 {
				t.Errorf("%v: %v → (%.9f, %.9f) → %v (%.2g m)", o, p, lon, lat, q, d)
			}
		}
		// Plane distances are ground distances: 1 km east is 1 km away.
		lon, lat := f.Inverse(maps.Point{X: 1000})
		if d := haversine(o[0], o[1], lon, lat); math.Abs(d-1000) > 3 { // haversine is a sphere
			t.Errorf("%v: 1000 m east is %.2f m away on the sphere", o, d)
		}
		if math.Abs(lat-o[1]) > 1e-4 || lon <= o[0] {
			t.Errorf("%v: east is (%g, %g)", o, lon, lat)
		}
	}
}

// truth is a made-up village tie: map metres → WGS 84 through a known
// rotation, scale and shift at Zhangzhuang (a plain in Henan).
type truth struct {
	f      *Frame
	lin    affine
	warp   func(maps.Point) maps.Point // a hand drawing's local error, plane metres
	origin [2]float64
}

func newTruth(t *testing.T, rotDeg, scale float64) truth {
	t.Helper()
	f, err := NewFrame(114.3521, 34.8123)
	if err != nil {
		t.Fatal(err)
	}
	s, c := math.Sincos(rotDeg * math.Pi / 180)
	return truth{f: f, lin: affine{scale * c, -scale * s, 120, scale * s, scale * c, -80}, origin: [2]float64{114.3521, 34.8123}}
}

func (tr truth) lonlat(p maps.Point) (float64, float64) {
	q := tr.lin.apply(p)
	if tr.warp != nil {
		q = q.Add(tr.warp(p))
	}
	return tr.f.Inverse(q)
}

func (tr truth) point(name string, p maps.Point) ControlPoint {
	lon, lat := tr.lonlat(p)
	return ControlPoint{Name: name, X: p.X, Y: p.Y, Lon: lon, Lat: lat, Datum: WGS84}
}

var villageCorners = []maps.Point{pt(-40, -90), pt(610, -60), pt(600, 95), pt(-55, 80), pt(280, 10), pt(150, -70), pt(420, 70)}

func TestFitRecoversKnownTie(t *testing.T) {
	for _, tt := range []struct {
		n      int
		method Method
	}{{2, MethodSimilarity}, {3, MethodAffine}, {5, MethodAffine}, {7, MethodAffine}} {
		tr := newTruth(t, 17, 1.04)
		var pts []ControlPoint
		for i := 0; i < tt.n; i++ {
			pts = append(pts, tr.point("", villageCorners[i]))
		}
		res, err := Fit(pts, FitOptions{})
		if err != nil {
			t.Fatalf("%d points: %v", tt.n, err)
		}
		if res.Method != tt.method || res.Suspects != 0 || res.RMS > 0.01 {
			t.Errorf("%d points: method %s, %d suspects, rms %.3f", tt.n, res.Method, res.Suspects, res.RMS)
		}
		if math.Abs(res.RotationDeg-17) > 0.01 || math.Abs(res.Scale-1.04) > 1e-4 {
			t.Errorf("%d points: rotation %.3f° scale %.5f", tt.n, res.RotationDeg, res.Scale)
		}
		// Anywhere on the map, not only at the points.
		for _, p := range []maps.Point{pt(0, 0), pt(300, 50), pt(700, -120)} {
			lon, lat := res.Transform.ToLonLat(p)
			wl, wa := tr.lonlat(p)
			if d := Distance(lon, lat, wl, wa); d > 0.01 {
				t.Errorf("%d points: %v lands %.3f m off", tt.n, p, d)
			}
			back, err := res.Transform.FromLonLat(lon, lat)
			if err != nil || maps.Dist(back, p) > 1e-6 {
				t.Errorf("%d points: inverse of %v is %v (%v)", tt.n, p, back, err)
			}
		}
		if tt.n == 2 && (res.Checked || len(res.Notes) == 0) {
			t.Errorf("two points are not checked and say so: %+v", res)
		}
		// What is stored rebuilds the same fit.
		again, err := res.Georef.Transform()
		if err != nil {
			t.Fatal(err)
		}
		lon1, lat1 := again.ToLonLat(maps.Point{X: 77, Y: 33})
		lon2, lat2 := res.Transform.ToLonLat(maps.Point{X: 77, Y: 33})
		if d := Distance(lon1, lat1, lon2, lat2); d > 1e-6 {
			t.Errorf("%d points: stored georef fits differently (%.2g m)", tt.n, d)
		}
	}
}

func TestFitResidualsWithNoise(t *testing.T) {
	tr := newTruth(t, -8, 0.97)
	rng := rand.New(rand.NewSource(3))
	var pts []ControlPoint
	for i, p := range villageCorners {
		cp := tr.point("", p)
		// ~1.5 m of phone GPS noise
		e, n := rng.NormFloat64()*1.5, rng.NormFloat64()*1.5
		q := tr.f.Forward(cp.Lon, cp.Lat)
		cp.Lon, cp.Lat = tr.f.Inverse(maps.Point{X: q.X + e, Y: q.Y + n})
		cp.Name = string(rune('A' + i))
		pts = append(pts, cp)
	}
	res, err := Fit(pts, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Suspects != 0 || res.RMS < 0.3 || res.RMS > 3 || !res.Checked {
		t.Fatalf("noisy fit: %+v", res)
	}
	for _, p := range res.Points {
		if p.ResidualM > 6 || math.Abs(math.Hypot(p.DE, p.DN)-p.ResidualM) > 0.02 {
			t.Errorf("point %s: %+v", p.Name, p)
		}
	}
}

func TestFitNamesTheBadPoint(t *testing.T) {
	tr := newTruth(t, 25, 1.0)
	for _, n := range []int{4, 5, 7} {
		var pts []ControlPoint
		for i := 0; i < n; i++ {
			pts = append(pts, tr.point(string(rune('A'+i)), villageCorners[i]))
		}
		// Point C is 10 km off (a digit typed wrong).
		bad := 2
		q := tr.f.Forward(pts[bad].Lon, pts[bad].Lat)
		pts[bad].Lon, pts[bad].Lat = tr.f.Inverse(maps.Point{X: q.X + 6000, Y: q.Y - 8000})
		res, err := Fit(pts, FitOptions{})
		if err != nil {
			t.Fatalf("%d points: %v", n, err)
		}
		for i, p := range res.Points {
			if p.Suspect != (i == bad) {
				t.Errorf("%d points: point %s suspect=%v residual %.1f m", n, p.Name, p.Suspect, p.ResidualM)
			}
		}
		if res.Points[bad].ResidualM < 9000 || res.RMS > 0.1 {
			t.Errorf("%d points: bad residual %.0f m, rms of the rest %.2f", n, res.Points[bad].ResidualM, res.RMS)
		}
		// Accepted anyway: all points are fitted, and it shows.
		acc, err := Fit(pts, FitOptions{AcceptSuspect: true})
		if err != nil {
			if contains(err.Error(), "mirror") {
				continue // so far off that the fit through it turns the map over
			}
			t.Fatalf("%d points accepted: %v", n, err)
		}
		if acc.RMS < 1000 || !acc.Points[bad].Suspect {
			t.Errorf("%d points accepted: rms %.0f", n, acc.RMS)
		}
	}
	// Three points, one wrong: they disagree and cannot say which, or the
	// wrong one turns the map over.
	for _, off := range []maps.Point{{X: 6000, Y: -8000}, {X: -300, Y: 400}} {
		pts := []ControlPoint{tr.point("A", villageCorners[0]), tr.point("B", villageCorners[1]), tr.point("C", villageCorners[2])}
		q := tr.f.Forward(pts[2].Lon, pts[2].Lat)
		pts[2].Lon, pts[2].Lat = tr.f.Inverse(q.Add(off))
		res, err := Fit(pts, FitOptions{})
		switch {
		case err != nil && contains(err.Error(), "one of them is wrong"):
		case err != nil:
			t.Fatal(err)
		case res.Suspects != 3:
			t.Errorf("three disagreeing points (%v): %d suspects (%+v)", off, res.Suspects, res.Points)
		}
	}
}

func TestFitRefusals(t *testing.T) {
	tr := newTruth(t, 0, 1)
	line := []ControlPoint{tr.point("", maps.Point{X: 0, Y: 0}), tr.point("", maps.Point{X: 100, Y: 1}), tr.point("", maps.Point{X: 200, Y: 0})}
	swapped := tr.point("井", maps.Point{X: 300, Y: 300})
	swapped.Lon, swapped.Lat = swapped.Lat, swapped.Lon
	tests := []struct {
		name string
		pts  []ControlPoint
		err  error
		msg  string
	}{
		{"none", nil, ErrTooFewPoints, ""},
		{"one", line[:1], ErrTooFewPoints, ""},
		{"collinear", line, ErrCollinear, ""},
		{"same map place", []ControlPoint{line[0], {X: 0.1, Lon: 114.4, Lat: 34.9}}, nil, "same place on the map"},
		{"swapped", []ControlPoint{line[0], line[2], swapped}, nil, "point 3 (井): "},
		{"outside China", []ControlPoint{line[0], {X: 50, Y: 50, Lon: 2.35, Lat: 48.85}}, nil, "outside China"},
	}
	for _, tt := range tests {
		_, err := Fit(tt.pts, FitOptions{})
		if err == nil || (tt.err != nil && !errors.Is(err, tt.err)) || (tt.msg != "" && !contains(err.Error(), tt.msg)) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if _, err := Fit(line[:2], FitOptions{Smooth: true}); err == nil {
		t.Error("smooth with two points accepted")
	}
	// A mirrored set (north and south swapped).
	var mirrored []ControlPoint
	for _, p := range villageCorners[:4] {
		cp := tr.point("", maps.Point{X: p.X, Y: -p.Y})
		cp.X, cp.Y = p.X, p.Y
		mirrored = append(mirrored, cp)
	}
	if _, err := Fit(mirrored, FitOptions{}); err == nil || !contains(err.Error(), "mirror") {
		t.Errorf("mirrored: %v", err)
	}
}

func TestSmoothCorrection(t *testing.T) {
	tr := newTruth(t, 10, 1.1)
	// The drawing squeezes the east end of the village.
	tr.warp = func(p maps.Point) maps.Point {
		return maps.Point{X: -25 * math.Max(0, p.X-300) / 300, Y: 12 * math.Sin(p.X/200)}
	}
	var pts []ControlPoint
	for _, p := range append(villageCorners, maps.Point{X: 450, Y: -20}, maps.Point{X: 50, Y: 0}) {
		pts = append(pts, tr.point("", p))
	}
	plain, err := Fit(pts, FitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !plain.SmoothOffered {
		t.Fatalf("a warped drawing (rms %.1f m) is not offered the smooth fit: %v", plain.RMS, plain.Notes)
	}
	sm, err := Fit(pts, FitOptions{Smooth: true})
	if err != nil {
		t.Fatal(err)
	}
	if sm.Method != MethodSmooth || sm.Georef.Method != MethodSmooth {
		t.Fatalf("method %s", sm.Method)
	}
	// Through every point, exactly; better than the affine in between.
	var errPlain, errSmooth float64
	for _, cp := range pts {
		lon, lat := sm.Transform.ToLonLat(cp.Map())
		if d := Distance(lon, lat, cp.Lon, cp.Lat); d > 0.01 {
			t.Errorf("smooth fit misses a point by %.3f m", d)
		}
	}
	for x := -40.0; x <= 600; x += 40 {
		for y := -80.0; y <= 80; y += 40 {
			p := maps.Point{X: x, Y: y}
			wl, wa := tr.lonlat(p)
			lon, lat := plain.Transform.ToLonLat(p)
			errPlain = math.Max(errPlain, Distance(lon, lat, wl, wa))
			lon, lat = sm.Transform.ToLonLat(p)
			errSmooth = math.Max(errSmooth, Distance(lon, lat, wl, wa))
			back, err := sm.Transform.FromLonLat(lon, lat)
			if err != nil || maps.Dist(back, p) > 1e-4 {
				t.Fatalf("smooth inverse of %v: %v %v", p, back, err)
			}
		}
	}
	if errSmooth >= errPlain {
		t.Errorf("smooth fit is no better: worst %.1f m vs affine %.1f m", errSmooth, errPlain)
	}
	t.Logf("worst error over the village: affine %.1f m, smooth %.1f m", errPlain, errSmooth)
}

// TestFitNamesTheBadPointRandom: villages of random shape, rotation,
// scale and proportions, 5 to 8 points with 2 m of noise, one point 200 m to 20 km off in
// any direction: that point, and only it, is suspect.
func TestFitNamesTheBadPointRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(25))
	fails := 0
	for c := 0; c < 400; c++ {
		tr := newTruth(t, rng.Float64()*360, 0.7+rng.Float64()*0.6)
		// a sketch up to 30 % wider than tall, or taller than wide
		k := 1 + (rng.Float64()-0.5)*0.6
		tr.lin[0], tr.lin[3] = tr.lin[0]*k, tr.lin[3]*k
		n := 5 + rng.Intn(4)
		w, h := 200+rng.Float64()*800, 100+rng.Float64()*500
		var pts []ControlPoint
		for i := 0; i < n; i++ {
			p := pt(rng.Float64()*w, rng.Float64()*h)
			cp := tr.point("", p)
			q := tr.f.Forward(cp.Lon, cp.Lat)
			cp.Lon, cp.Lat = tr.f.Inverse(q.Add(pt(rng.NormFloat64()*2, rng.NormFloat64()*2)))
			pts = append(pts, cp)
		}
		if thinness(func() []maps.Point {
			var s []maps.Point
			for _, p := range pts {
				s = append(s, p.Map())
			}
			return s
		}()) < 0.1 {
			continue
		}
		bad := rng.Intn(n)
		dist := 200 * math.Pow(100, rng.Float64())
		a := rng.Float64() * 2 * math.Pi
		q := tr.f.Forward(pts[bad].Lon, pts[bad].Lat)
		pts[bad].Lon, pts[bad].Lat = tr.f.Inverse(q.Add(pt(dist*math.Cos(a), dist*math.Sin(a))))
		res, err := Fit(pts, FitOptions{})
		if err != nil {
			if contains(err.Error(), "one of them is wrong") || contains(err.Error(), "same place") {
				continue // turned the map over, or two random points fell together: refused, also fine
			}
			t.Fatalf("case %d: %v", c, err)
		}
		for i, p := range res.Points {
			if p.Suspect != (i == bad) {
				fails++
				t.Errorf("case %d: %d points, point %d off by %.0f m: point %d suspect=%v (residual %.1f)", c, n, bad+1, dist, i+1, p.Suspect, p.ResidualM)
				break
			}
		}
	}
	if fails > 0 {
		t.Logf("%d of 400 cases misnamed", fails)
	}
}
