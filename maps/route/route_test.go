package route

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"cunjing/maps"
	"cunjing/maps/maptest"
	"cunjing/maps/synth"
)

// testVillage: entrance at the east end of a 6 m main road (y=0, x 0..200);
// lane 1 (3 m) runs north from x=100 to a 5 m back street (y=60, x 100..200)
// reachable only through that narrow lane; lane 2 (4.5 m) runs south from
// x=150 and dead-ends at y=-80; a 2 m lane 3 runs north from x=40 to y=50.
// A pond lies by the main road at x=180, a well on the back street.
func testVillage() *maps.Village {
	return &maps.Village{
		Lanes: []maps.Lane{
			{ID: "main", Name: "主街", Width: 6, Points: []maps.Point{{X: 0, Y: 0}, {X: 200, Y: 0}}},
			{ID: "l1", Name: "1号巷", Width: 3, Points: []maps.Point{{X: 100, Y: 0}, {X: 100, Y: 60}}},
			{ID: "back", Name: "后街", Width: 5, Points: []maps.Point{{X: 100, Y: 60}, {X: 200, Y: 60}}},
			{ID: "l2", Name: "2号巷", Width: 4.5, Points: []maps.Point{{X: 150, Y: 0}, {X: 150, Y: -80}}},
			{ID: "l3", Name: "3号巷", Width: 2, Points: []maps.Point{{X: 40, Y: 0}, {X: 40, Y: 50}}},
		},
		Houses: []maps.House{
			{ID: "h-back", Number: "1", Name: "王建国", Polygon: maptest.Box(145, 63, 10, 12)},  // on the back street
			{ID: "h-dead", Number: "2", Name: "李秀兰", Polygon: maptest.Box(153, -75, 12, 10)}, // end of the dead end
			{ID: "h-main", Number: "3", Name: "张明", Polygon: maptest.Box(60, 4, 12, 14)},     // on the main road
			{ID: "h-l3", Number: "4", Name: "赵平", Polygon: maptest.Box(42, 30, 12, 10)},      // on the 2 m lane
			{ID: "h-lone", Number: "5", Name: "刘强", Polygon: maptest.Box(300, 300, 10, 10)},  // far from every lane
		},
		Landmarks: []maps.Landmark{
			{ID: "e", Kind: maps.KindEntrance, Name: "村东口", Point: maps.Point{X: 200, Y: 0}},
			{ID: "p", Kind: maps.KindPond, Name: "东坑塘", Point: maps.Point{X: 180, Y: -15}},
			{ID: "w", Kind: maps.KindWell, Name: "后街井", Point: maps.Point{X: 190, Y: 63}},
			{ID: "s", Kind: maps.KindSchool, Name: "村小学", Point: maps.Point{X: 20, Y: -10}},
		},
	}
}

func TestRoute(t *testing.T) {
	for _, tc := range []struct {
		name      string
		to        string
		width     float64
		start     *maps.Point
		reachable bool
		stop      maps.Point
		length    float64 // drive, metres
		hose      float64 // hose, metres (±1)
		text      []string
	}{
		{name: "bottleneck: stop at the narrow lane's mouth", to: "1", reachable: true,
			stop: maps.Point{X: 100, Y: 0}, length: 100, hose: 60 + 50 + 2.5,
			text: []string{"从村东口进", "沿主街（宽6.0米）向西100米", "在1号巷口停车（1号巷宽3.0米）", "到1号的水带距离113米", "最近水源（离停车点的水带距离）：东坑塘95米、后街井153米"}},
		{name: "a smaller vehicle drives through the bottleneck", to: "1", width: 2.5, reachable: true,
			stop: maps.Point{X: 150, Y: 60}, length: 100 + 60 + 50, hose: 2.5,
			text: []string{"沿主街（宽6.0米）向西100米", "转入1号巷（宽3.0米）向北60米", "转入后街（宽5.0米）向东50米", "在1号门前停车，水带距离3米"}},
		{name: "dead end wide enough: drive to the gate", to: "2", reachable: true,
			stop: maps.Point{X: 150, Y: -70}, length: 50 + 70, hose: 3 - 2.25 + 2.25,
			text: []string{"转入2号巷（宽4.5米）向南70米", "在2号门前停车"}},
		{name: "2 m lane: stop at its mouth", to: "4", reachable: true,
			stop: maps.Point{X: 40, Y: 0}, length: 160, hose: 35 + 2, text: []string{"在3号巷口停车（3号巷宽2.0米）"}},
		{name: "old number finds the house", to: "1-old", reachable: true, stop: maps.Point{X: 100, Y: 0}, length: 100, hose: 112.5},
		{name: "start inside the village", to: "3", start: &maps.Point{X: 120, Y: 20}, reachable: true,
			stop: maps.Point{X: 66, Y: 0}, length: 54, hose: 4},
		{name: "no lane wide enough: stop at the entrance, hose along the lanes", to: "3", width: 8, reachable: false,
			stop: maps.Point{X: 200, Y: 0}, length: 0, hose: 200 - 66 + 4,
			text: []string{"消防车开不进来：没有宽度不小于8.0米的车道；在村东口停车（主街宽6.0米），水带沿主街向西134米，到3号的水带距离共138米", "最近水源（离停车点的水带距离）：东坑塘35米"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := testVillage()
			v.Houses[0].History = []string{"1-old"}
			res, err := Find(v, Options{To: tc.to, Width: tc.width, Start: tc.start})
			if err != nil {
				t.Fatal(err)
			}
			if res.Reachable != tc.reachable {
				t.Fatalf("reachable %v, want %v (%s)", res.Reachable, tc.reachable, res.Problem)
			}
			if !tc.reachable && (res.Problem == "" || res.Stop == nil || len(res.Water) == 0) {
				t.Fatalf("unreachable result: stop %v, problem %q, water %v", res.Stop, res.Problem, res.Water)
			}
			if maps.Dist(maps.Point{X: res.Stop.X, Y: res.Stop.Y}, tc.stop) > 1 {
				t.Errorf("stop %v, want %v", *res.Stop, tc.stop)
			}
			if math.Abs(res.LengthM-tc.length) > 1 {
				t.Errorf("length %.1f, want %.1f", res.LengthM, tc.length)
			}
			if math.Abs(res.HoseM-tc.hose) > 1.5 {
				t.Errorf("hose %.1f, want %.1f", res.HoseM, tc.hose)
			}
			if got := maps.PolylineLength(res.Path); math.Abs(got-res.LengthM) > 0.5 {
				t.Errorf("drawn path %.1f m, reported %.1f m", got, res.LengthM)
			}
			if got := maps.PolylineLength(res.HosePath); math.Abs(got-res.HoseM) > 0.5 {
				t.Errorf("drawn hose %.1f m, reported %.1f m", got, res.HoseM)
			}
			text := res.PhoneText()
			checkSaidOnce(t, text)
			for _, want := range tc.text {
				if !strings.Contains(text, want) {
					t.Errorf("phone text %q lacks %q", text, want)
				}
			}
		})
	}
}

func TestRouteUnreachableHouse(t *testing.T) {
	v := testVillage()
	// A lane nobody can get to: the house on it has no hose path either.
	v.Lanes = append(v.Lanes, maps.Lane{ID: "island", Name: "孤巷", Width: 5, Points: []maps.Point{{X: 290, Y: 310}, {X: 290, Y: 280}}})
	res, err := Find(v, Options{To: "5"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Reachable || res.Problem == "" {
		t.Fatalf("house on a disconnected lane: reachable=%v problem=%q", res.Reachable, res.Problem)
	}
	if _, err := Find(v, Options{To: "999"}); !errors.Is(err, ErrUnknownHouse) {
		t.Fatalf("unknown number: %v", err)
	}
	if _, err := Find(v, Options{To: "1", Width: -1}); err == nil {
		t.Fatal("negative width accepted")
	}
	if _, err := Find(&maps.Village{Houses: v.Houses}, Options{To: "1"}); err == nil {
		t.Fatal("map without lanes accepted")
	}
	noEntrance := testVillage()
	noEntrance.Landmarks = nil
	if _, err := Find(noEntrance, Options{To: "1"}); err == nil {
		t.Fatal("map without entrance and no start accepted")
	}
}

func TestRouteWaterOrder(t *testing.T) {
	res, err := Find(testVillage(), Options{To: "3"})
	if err != nil {
		t.Fatal(err)
	}
	// The engine stops on the main road at x≈66: the pond is 114 m along the
	// road plus 15 m off it; the well 134+60+... further.
	if len(res.Water) != 2 || res.Water[0].Name != "东坑塘" || res.Water[1].Name != "后街井" {
		t.Fatalf("water %+v", res.Water)
	}
	if math.Abs(res.Water[0].DistanceM-(114+15)) > 1.5 {
		t.Errorf("pond at %.1f m", res.Water[0].DistanceM)
	}
}

// Every house of a synthetic village gets an answer; the engine never
// stands on a lane narrower than the vehicle.
func TestRouteSynthetic(t *testing.T) {
	v, err := synth.Village(11, 320)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRouter(v)
	if err != nil {
		t.Fatal(err)
	}
	hosed := 0
	for _, h := range v.Houses {
		res, err := r.Route(Options{To: h.Number})
		if err != nil {
			t.Fatalf("route to %s: %v", h.Number, err)
		}
		if !res.Reachable {
			t.Fatalf("route to %s: %s", h.Number, res.Problem)
		}
		sp, ok := r.Graph().Nearest(maps.Point{X: res.Stop.X, Y: res.Stop.Y}, DefaultVehicleWidth)
		if !ok || sp.Off > 0.2 {
			t.Fatalf("house %s: stop %v is not on a lane wide enough", h.Number, *res.Stop)
		}
		if res.HoseM > 20 {
			hosed++
		}
	}
	if hosed == 0 {
		t.Fatal("no house needs more than 20 m of hose; the old quarter is missing")
	}
}

// checkSaidOnce fails when a clause of the sentence is said twice, as the
// unreachable sentence once did ("…无法到达15号：…，消防车无法驶入").
func checkSaidOnce(t *testing.T, text string) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range strings.FieldsFunc(text, func(r rune) bool { return r == '，' || r == '；' || r == '：' }) {
		if seen[c] {
			t.Errorf("%q says %q twice", text, c)
		}
		seen[c] = true
	}
	if strings.Count(text, "无法") > 1 || strings.Count(text, "开不进") > 1 {
		t.Errorf("%q says twice that the engine cannot get there", text)
	}
}

func TestRouteLanesAndWidths(t *testing.T) {
	res, err := Find(testVillage(), Options{To: "1", Width: 2.5})
	if err != nil {
		t.Fatal(err)
	}
	want := []Lane{{"主街", 6}, {"1号巷", 3}, {"后街", 5}}
	if len(res.Lanes) != len(want) {
		t.Fatalf("lanes %+v, want %+v", res.Lanes, want)
	}
	for i := range want {
		if res.Lanes[i] != want[i] {
			t.Errorf("lane %d: %+v, want %+v", i, res.Lanes[i], want[i])
		}
	}
	for _, st := range res.Steps {
		if st.WidthM == 0 || !strings.Contains(st.Text, "宽") {
			t.Errorf("step %+v does not name the lane's width", st)
		}
	}
	// The JSON keeps its old keys and gains lanes.
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"reachable", "length_m", "stop", "hose_m", "water", "steps", "lanes", "stop_name"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
	if l, _ := m["lanes"].([]any); len(l) != 3 || l[0].(map[string]any)["width_m"] != 6.0 {
		t.Errorf("JSON lanes %v", m["lanes"])
	}
}

// Every way of not getting there still says where to stop, how much hose
// from there and where the water is.
func TestRouteUnreachableStillHelps(t *testing.T) {
	for _, tc := range []struct {
		name     string
		village  func() *maps.Village
		to       string
		width    float64
		stop     maps.Point
		hose     float64
		straight bool
		steps    int
		text     []string
	}{
		{name: "too wide for every lane", village: testVillage, to: "1", width: 7,
			stop: maps.Point{X: 200, Y: 0}, hose: 100 + 60 + 50 + 2.5,
			text: []string{"消防车开不进来：没有宽度不小于7.0米的车道", "在村东口停车（主街宽6.0米）",
				"水带沿主街向西100米，转入1号巷向北60米，转入后街向东50米", "到1号的水带距离共213米"}},
		{name: "the house's lane is cut off", to: "5", width: 2.5, steps: 3, straight: true,
			village: func() *maps.Village {
				v := testVillage()
				v.Lanes = append(v.Lanes, maps.Lane{ID: "island", Name: "孤巷", Width: 5, Points: []maps.Point{{X: 290, Y: 310}, {X: 290, Y: 280}}})
				return v
			},
			// The engine drives up the 3 m lane and the back street to its
			// east end (200, 60), 260 m from the house in a straight line.
			stop: maps.Point{X: 200, Y: 60}, hose: maps.Dist(maps.Point{X: 200, Y: 60}, maps.Point{X: 300, Y: 300}),
			text: []string{"消防车无法靠近5号：没有宽度不小于2.5米的车道与5号相通", "从村东口进，沿主街（宽6.0米）向西100米", "在后街离5号最近处停车", "离5号直线距离260米"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Find(tc.village(), Options{To: tc.to, Width: tc.width})
			if err != nil {
				t.Fatal(err)
			}
			if res.Reachable || res.Problem == "" {
				t.Fatalf("reachable %v, problem %q", res.Reachable, res.Problem)
			}
			if res.Stop == nil || maps.Dist(maps.Point{X: res.Stop.X, Y: res.Stop.Y}, tc.stop) > 1 {
				t.Fatalf("stop %v, want %v", res.Stop, tc.stop)
			}
			if math.Abs(res.HoseM-tc.hose) > 1.5 || res.HoseStraight != tc.straight {
				t.Errorf("hose %.1f straight %v, want %.1f straight %v", res.HoseM, res.HoseStraight, tc.hose, tc.straight)
			}
			if got := maps.PolylineLength(res.HosePath); math.Abs(got-res.HoseM) > 0.5 {
				t.Errorf("drawn hose %.1f m, reported %.1f m", got, res.HoseM)
			}
			if len(res.Steps) != tc.steps || len(res.Lanes) != tc.steps {
				t.Errorf("steps %+v lanes %+v, want %d", res.Steps, res.Lanes, tc.steps)
			}
			if len(res.Water) == 0 {
				t.Error("no water sources")
			}
			for i := 1; i < len(res.Water); i++ {
				if res.Water[i].DistanceM < res.Water[i-1].DistanceM {
					t.Errorf("water not nearest first: %+v", res.Water)
				}
			}
			text := res.PhoneText()
			checkSaidOnce(t, text)
			for _, want := range append(tc.text, "最近水源（离停车点的水带距离）：") {
				if !strings.Contains(text, want) {
					t.Errorf("phone text %q lacks %q", text, want)
				}
			}
		})
	}
}

func TestNamedWater(t *testing.T) {
	res, err := Find(testVillage(), Options{To: "3"})
	if err != nil {
		t.Fatal(err)
	}
	named := res.NamedWater()
	if len(named) != 2 || named[0].ID != "p" || named[1].ID != "w" {
		t.Fatalf("named water %+v", named)
	}
	text := res.PhoneText()
	for _, w := range named {
		if !strings.Contains(text, w.Name) {
			t.Errorf("%q does not name %s", text, w.Name)
		}
		if w.At == (maps.Point{}) {
			t.Errorf("%s has no position to mark", w.Name)
		}
	}
	if (*Result)(nil).NamedWater() != nil {
		t.Error("nil route names water")
	}
}
