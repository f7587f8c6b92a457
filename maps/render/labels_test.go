package render_test

import (
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"cunjing/maps"
	"cunjing/maps/render"
	"cunjing/maps/render/rendertest"
	"cunjing/maps/route"
	"cunjing/maps/synth"
)

// The page a printed A4 landscape map frame has, in millimetres, and the
// sheet's style (print/mapsheet draws with these).
const pageW, pageH = 277.0, 155.0

func sheetStyle(route *render.RouteOverlay, highlight ...string) *render.Style {
	return &render.Style{MinNumberSize: 1.5, SymbolSize: 1.6, Names: true, NoBackground: true, Line: 0.18,
		PlaceLabels: true, Route: route, Highlight: highlight}
}

// tiles covers v's extent with pages at scale s (mm per metre), the way a
// tiled sheet does, overlapping a little.
func tiles(v *maps.Village, s float64) []render.Viewport {
	ext := maps.BuildIndex(v).Extent().Inset(5)
	tw, th := pageW/s, pageH/s
	var out []render.Viewport
	for y := ext.Min.Y; ; y += th * 0.9 {
		for x := ext.Min.X; ; x += tw * 0.9 {
			out = append(out, render.Viewport{Center: maps.Point{X: x + tw/2, Y: y + th/2}, Scale: s, W: pageW, H: pageH})
			if x+tw >= ext.Max.X {
				break
			}
		}
		if y+th >= ext.Max.Y {
			break
		}
	}
	return out
}

// crowded is a random village packed tighter than any real one: houses
// on a jittered grid, lanes between the rows and columns, landmarks and
// free labels dropped anywhere (on houses, on each other) with long names.
func crowded(seed uint64) *maps.Village {
	rng := rand.New(rand.NewPCG(seed, 18))
	v := &maps.Village{Name: "随机村"}
	cols, rows := 6+rng.IntN(20), 3+rng.IntN(8)
	n := 0
	for r := 0; r < rows; r++ {
		y := float64(r) * 30
		v.Lanes = append(v.Lanes, maps.Lane{ID: fmt.Sprint("h", r), Name: fmt.Sprintf("第%d排后街", r+1), Width: 2 + rng.Float64()*5,
			Points: []maps.Point{{X: -10, Y: y - 3}, {X: float64(cols) * 16, Y: y - 3 + rng.Float64()*8}}})
		for c := 0; c < cols; c++ {
			if rng.IntN(9) == 0 {
				continue
			}
			x := float64(c)*16 + rng.Float64()*2
			w, h := 9+rng.Float64()*5, 10+rng.Float64()*12
			n++
			hs := maps.House{ID: fmt.Sprint("H", n), Number: fmt.Sprint(n), Polygon: maps.Polygon{{X: x, Y: y}, {X: x + w, Y: y}, {X: x + w, Y: y + h}, {X: x, Y: y + h}},
				Warning: []maps.Warning{"", maps.WarningRed, maps.WarningGreen, maps.WarningOrange}[rng.IntN(4)], Courtyard: rng.IntN(12) == 0}
			if rng.IntN(3) == 0 {
				hs.Name = "王" + strings.Repeat("建", rng.IntN(3))
			}
			if rng.IntN(5) == 0 {
				hs.Categories = []maps.Category{maps.Categories[rng.IntN(len(maps.Categories))]}
			}
			v.Houses = append(v.Houses, hs)
		}
	}
	for c := 0; c < cols; c += 1 + rng.IntN(3) {
		x := float64(c)*16 - 2
		v.Lanes = append(v.Lanes, maps.Lane{ID: fmt.Sprint("v", c), Name: fmt.Sprintf("%d号巷", c+1), Width: 1.5 + rng.Float64()*4,
			Points: []maps.Point{{X: x, Y: -5}, {X: x, Y: float64(rows) * 30}}})
	}
	names := []string{"老井", "1号消火栓", "快递点", "村委会", "东坑塘", "卫生室", "便民超市", "村东口", "北后街水井", "关帝庙", "文化广场"}
	for k := 0; k < 4+rng.IntN(18); k++ {
		p := maps.Point{X: rng.Float64() * float64(cols) * 16, Y: rng.Float64() * float64(rows) * 30}
		if k%3 == 0 && len(v.Landmarks) > 0 { // right next to another
			p = v.Landmarks[len(v.Landmarks)-1].Point.Add(maps.Point{X: rng.Float64() * 4, Y: rng.Float64() * 4})
		}
		v.Landmarks = append(v.Landmarks, maps.Landmark{ID: fmt.Sprint("M", k), Kind: maps.LandmarkKinds[rng.IntN(len(maps.LandmarkKinds))], Name: names[rng.IntN(len(names))], Point: p})
	}
	for k := 0; k < rng.IntN(4); k++ {
		v.Labels = append(v.Labels, maps.Label{ID: fmt.Sprint("T", k), Text: []string{"往镇上", "麦场", "北地"}[k%3],
			Point: maps.Point{X: rng.Float64() * float64(cols) * 16, Y: rng.Float64() * float64(rows) * 30}, Size: 4 + rng.Float64()*4})
	}
	return v
}

type labelCase struct {
	name  string
	v     *maps.Village
	scale float64
	route *render.RouteOverlay
	hi    string
}

func labelCases(t *testing.T) []labelCase {
	t.Helper()
	var cs []labelCase
	synth := func(seed int64, n int) *maps.Village {
		v, err := synth.Village(seed, n)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// The demo post's two villages (store/demodata: seed 1 with 320 houses,
	// seed 2 with 64), with a route to a house in the old quarter and
	// one on the main street.
	demo := synth(1, 320)
	for _, to := range []string{"303", "210"} {
		res, err := route.Find(demo, route.Options{To: to})
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, labelCase{"demo-route-" + to, demo, 0.5, render.OverlayOf(res), res.HouseID})
	}
	cs = append(cs, labelCase{"demo-1:1000", demo, 1, nil, ""}, labelCase{"demo2", synth(2, 64), 1000.0 / 1500, nil, ""})
	for seed := int64(3); seed <= 6; seed++ {
		n := []int{40, 150, 600, 1500}[seed%4]
		v := synth(seed, n)
		res, err := route.Find(v, route.Options{To: v.Houses[len(v.Houses)/3].Number})
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, labelCase{fmt.Sprintf("synth-%d-%d", seed, n), v, 0.5, render.OverlayOf(res), res.HouseID})
	}
	for seed := uint64(1); seed <= 12; seed++ {
		cs = append(cs, labelCase{fmt.Sprintf("crowded-%d", seed), crowded(seed), []float64{0.5, 0.8, 1.2}[seed%3], nil, ""})
	}
	return cs
}

// TestPlacedLabelsClear: on a printed page no text covers another — no
// name over a house number, a householder or another name — nor a
// landmark's symbol or the route's stop, every text lies inside the page,
// and every landmark, lane and free label the page shows is named on it. The boxes come from what was painted, not from
// the drawer's report, and the report must agree with them.
func TestPlacedLabelsClear(t *testing.T) {
	for _, c := range labelCases(t) {
		t.Run(c.name, func(t *testing.T) {
			ix := maps.BuildIndex(c.v)
			var hi []string
			if c.hi != "" {
				hi = []string{c.hi}
			}
			for ti, vp := range tiles(c.v, c.scale) {
				rec := &rendertest.Recorder{W: vp.W, H: vp.H}
				st := sheetStyle(c.route, hi...)
				d, err := render.DrawReport(rec, ix, vp, st)
				if err != nil {
					t.Fatal(err)
				}
				checkTexts(t, fmt.Sprintf("%s page %d", c.name, ti+1), c.v, vp, st, rec, d)
			}
		})
	}
}

func checkTexts(t *testing.T, where string, v *maps.Village, vp render.Viewport, st *render.Style, rec *rendertest.Recorder, d *render.Drawing) {
	t.Helper()
	if len(d.Texts) != len(rec.Texts) {
		t.Fatalf("%s: report has %d texts, %d painted", where, len(d.Texts), len(rec.Texts))
	}
	page := maps.Rect{Max: maps.Point{X: vp.W, Y: vp.H}}
	bad := 0
	for i, pt := range d.Texts {
		r := rec.Texts[i]
		if pt.Text != r.S || pt.Turned != r.Turned || !near(pt.Box, r.Box) {
			t.Fatalf("%s: text %d reported as %q %v, painted %q %v", where, i, pt.Text, pt.Box, r.S, r.Box)
		}
		if !inside(r.Box, page) {
			t.Errorf("%s: %q at %v leaves the page", where, r.S, r.Box)
		}
		// Numbers move off the symbols standing on their houses (these
		// maps all leave them room), names never go there.
		for _, m := range d.Marks {
			if rendertest.Overlap(r.Box, m) {
				t.Errorf("%s: %q at %v and a symbol at %v overlap", where, r.S, fmtBox(r.Box), fmtBox(m))
			}
		}
		if pt.Kind == render.TextNumber || pt.Kind == render.TextHolder {
			continue
		}
		for j, o := range rec.Texts {
			if j != i && rendertest.Overlap(r.Box, o.Box) && bad < 10 {
				bad++
				t.Errorf("%s: %q at %v covers %q at %v", where, r.S, fmtBox(r.Box), o.S, fmtBox(o.Box))
			}
		}
	}
	// Every name the page shows is on it.
	have := map[string]int{}
	for _, r := range rec.Texts {
		have[r.S]++
	}
	view := vp.World()
	var due []string
	for _, m := range v.Landmarks {
		if view.Contains(m.Point) {
			n := m.Name
			if n == "" {
				n = m.Kind.Label()
			}
			due = append(due, n)
		}
	}
	for _, l := range v.Lanes {
		if l.Name != "" && lineInView(l.Points, view) {
			due = append(due, l.Name)
		}
	}
	for _, l := range v.Labels {
		size := l.Size
		if size <= 0 {
			size = maps.DefaultLabelSize
		}
		if view.Contains(l.Point) && size*vp.Scale >= st.MinNumberSize*0.8 {
			due = append(due, l.Text)
		}
	}
	need := map[string]int{}
	for _, n := range due {
		need[n]++
	}
	for n, k := range need {
		if have[n] < k {
			t.Errorf("%s: %q is due %d times, written %d", where, n, k, have[n])
		}
	}
}

func lineInView(pts []maps.Point, r maps.Rect) bool {
	// Sample the lane finely: a lane crossing the page shows.
	for i := 1; i < len(pts); i++ {
		for k := 0; k <= 200; k++ {
			f := float64(k) / 200
			if r.Contains(maps.Point{X: pts[i-1].X + f*(pts[i].X-pts[i-1].X), Y: pts[i-1].Y + f*(pts[i].Y-pts[i-1].Y)}) {
				return true
			}
		}
	}
	return false
}

func near(a, b maps.Rect) bool {
	return math.Abs(a.Min.X-b.Min.X) < 1e-9 && math.Abs(a.Min.Y-b.Min.Y) < 1e-9 && math.Abs(a.Max.X-b.Max.X) < 1e-9 && math.Abs(a.Max.Y-b.Max.Y) < 1e-9
}

func inside(r, outer maps.Rect) bool {
	return r.Min.X >= outer.Min.X && r.Min.Y >= outer.Min.Y && r.Max.X <= outer.Max.X && r.Max.Y <= outer.Max.Y
}

func fmtBox(r maps.Rect) string {
	return fmt.Sprintf("(%.1f,%.1f)-(%.1f,%.1f)", r.Min.X, r.Min.Y, r.Max.X, r.Max.Y)
}

// leaderGrey is the colour of the lines leading to names placed away from
// their features (and of free labels): not a kind of feature, so not in
// the legend.
var leaderGrey = color.RGBA{0x33, 0x33, 0x33, 0xff}

// TestLegendIsWhatIsDrawn: the legend of a page (LegendFor of the keys
// DrawReport gives) has exactly the styles painted on the page — every
// colour and kind of shape inside the page has its legend entry, and no
// entry shows a style the page lacks.
func TestLegendIsWhatIsDrawn(t *testing.T) {
	for _, c := range labelCases(t) {
		t.Run(c.name, func(t *testing.T) {
			ix := maps.BuildIndex(c.v)
			var hi []string
			if c.hi != "" {
				hi = []string{c.hi}
			}
			for ti, vp := range tiles(c.v, c.scale) {
				rec := &rendertest.Recorder{W: vp.W, H: vp.H}
				d, err := render.DrawReport(rec, ix, vp, sheetStyle(c.route, hi...))
				if err != nil {
					t.Fatal(err)
				}
				onPage := rec.Styles(func(s rendertest.Style) bool { return s.Op == "stroke" && s.Colour == leaderGrey })
				leg := &rendertest.Recorder{W: 1000, H: 1000}
				items := render.LegendFor(d.Keys, 0)
				for i, it := range items {
					render.DrawLegendSwatch(leg, it, maps.Point{X: 10, Y: 10 + 5*float64(i)}, 3.6)
				}
				inLegend := leg.Styles(nil)
				for s := range onPage {
					if !inLegend[s] {
						t.Errorf("page %d: %s %v is on the page but not in the legend %v", ti+1, s.Op, s.Colour, labels(items))
					}
				}
				for s := range inLegend {
					if !onPage[s] {
						t.Errorf("page %d: the legend %v shows %s %v, which the page lacks", ti+1, labels(items), s.Op, s.Colour)
					}
				}
			}
		})
	}
}

func labels(items []render.LegendItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Label)
	}
	return out
}

// TestLegendKeysOfPages: a hand-made village on two pages — the route,
// its water and the hydrant on the west page, the clinic and the parcel
// point on the east — gives each page the legend of what it shows,
// including shop and parcel point, which share a symbol.
func TestLegendKeysOfPages(t *testing.T) {
	rect := func(x, y float64) maps.Polygon {
		return maps.Polygon{{X: x, Y: y}, {X: x + 10, Y: y}, {X: x + 10, Y: y + 10}, {X: x, Y: y + 10}}
	}
	v := &maps.Village{
		Houses: []maps.House{
			{ID: "a", Number: "1", Polygon: rect(10, 10), Warning: maps.WarningRed},
			{ID: "b", Number: "2", Polygon: rect(700, 10), Courtyard: true},
		},
		Lanes: []maps.Lane{{ID: "w", Name: "西街", Width: 6, Points: []maps.Point{{X: 0, Y: 0}, {X: 200, Y: 0}}},
			{ID: "e", Name: "东巷", Width: 2, Points: []maps.Point{{X: 650, Y: 0}, {X: 800, Y: 0}}}},
		Landmarks: []maps.Landmark{
			{ID: "h", Kind: maps.KindHydrant, Name: "1号消火栓", Point: maps.Point{X: 60, Y: -20}},
			{ID: "c", Kind: maps.KindClinic, Point: maps.Point{X: 720, Y: -20}},
			{ID: "p", Kind: maps.KindParcel, Point: maps.Point{X: 760, Y: -20}},
		},
	}
	stop := maps.Point{X: 15, Y: 0}
	route := &render.RouteOverlay{Drive: []maps.Point{{X: 150, Y: 0}, stop}, Hose: []maps.Point{stop, {X: 15, Y: 10}}, Stop: &stop, Water: []maps.Point{{X: 60, Y: -20}}}
	ix := maps.BuildIndex(v)
	page := func(cx float64) []string {
		d, err := render.DrawReport(&rendertest.Recorder{W: pageW, H: pageH}, ix, render.Viewport{Center: maps.Point{X: cx, Y: 0}, Scale: 1, W: pageW, H: pageH}, sheetStyle(route, "a"))
		if err != nil {
			t.Fatal(err)
		}
		return d.Keys
	}
	west, east := page(100), page(700)
	if want := []string{"drive", "highlight", "hose", "landmark:hydrant", "lane", "stop", "warning:red", "water"}; !slices.Equal(west, want) {
		t.Errorf("west page keys %v, want %v", west, want)
	}
	if want := []string{"courtyard", "landmark:clinic", "landmark:parcel", "narrow"}; !slices.Equal(east, want) {
		t.Errorf("east page keys %v, want %v", east, want)
	}
	if got := labels(render.LegendFor(east, 4)); !slices.Equal(got, []string{"院落", "窄巷 <4.0米", "卫生室", "快递点"}) {
		t.Errorf("east legend %v", got)
	}
}

// Numbers stored with 号 by older versions ('９９８号', '205号') are drawn
// as their neighbours are (998, 205), on the screen and the printed sheet:
// the map showed the raw '９９８号' among plain numbers.
func TestHouseNumbersStoredWithHao(t *testing.T) {
	for _, c := range []struct{ stored, want string }{
		{"９９８号", "998"},
		{"205号", "205"},
		{" 12 号", "12"},
		{"２０３－１", "203-1"},
		{"203-1", "203-1"},
		{"东1号", "东1"},
	} {
		t.Run(c.stored, func(t *testing.T) {
			v, err := synth.Village(5, 60)
			if err != nil {
				t.Fatal(err)
			}
			v.Houses[20].Number = c.stored
			ix := maps.BuildIndex(v)
			ext := ix.Extent()
			vp := render.Viewport{Center: ext.Center(), Scale: 4, W: ext.W() * 4, H: ext.H() * 4}
			rec := &rendertest.Recorder{W: vp.W, H: vp.H}
			d, err := render.DrawReport(rec, ix, vp, &render.Style{MinNumberSize: 1})
			if err != nil {
				t.Fatal(err)
			}
			var numbers []string
			for _, tx := range d.Texts {
				if tx.Kind == render.TextNumber {
					numbers = append(numbers, tx.Text)
				}
			}
			if !slices.Contains(numbers, c.want) || c.stored != c.want && slices.Contains(numbers, c.stored) {
				t.Errorf("numbers drawn %q: want %q, not %q", numbers, c.want, c.stored)
			}
		})
	}
}
