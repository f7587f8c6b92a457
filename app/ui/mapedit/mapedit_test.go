package mapedit

import (
	"bytes"
	"context"
	"errors"
	"image"
	imgpng "image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/mapedit/mapprint"
	"cunjing/app/ui/uitest"
	"cunjing/maps"
	"cunjing/maps/edit"
	"cunjing/maps/numbering"
	"cunjing/maps/render"
	"cunjing/print/fonts"
	"cunjing/store"
	"cunjing/store/mapdata"
)

// mapOpen opens 地图 on the fixture with a CJK font, showing village (""
// for the first), drawn once so the viewport knows its size.
func mapOpen(t *testing.T, village string) (*testEnv, fyne.Window, *Screen) {
	t.Helper()
	u, w, m := openMap(t, uitest.Fixture(t, 0))
	if village != "" && m.village.Selected != village {
		m.village.SetSelected(village)
		u.Wait()
	}
	if m.ed == nil {
		t.Fatalf("no map loaded for %q", village)
	}
	w.Canvas().Capture()
	if m.canvas.Viewport().Scale <= 0 {
		t.Fatal("viewport not fitted")
	}
	return u, w, m
}

// testEnv is the map's environment in the tests: the headless one, and
// the households it was asked to open on 住户.
type testEnv struct {
	*kit.Env
	opened []string
}

func (e *testEnv) OpenHousehold(houseID string) { e.opened = append(e.opened, houseID) }

// openMap shows 地图 over s with a CJK font in a headless window.
func openMap(t *testing.T, s *store.Store) (*testEnv, fyne.Window, *Screen) {
	t.Helper()
	env, w := uitest.NewEnv(t, s)
	uitest.NoCutText(t, w)
	uitest.UseFont(t, env)
	u := &testEnv{Env: env}
	m := New(u)
	w.SetContent(m.Object())
	u.Wait()
	return u, w, m
}

// mapStored reads a village's map back from the store.
func mapStored(t *testing.T, u Env, village string) *maps.Village {
	t.Helper()
	ctx := context.Background()
	v, err := u.Store().VillageByName(ctx, village)
	if err != nil {
		t.Fatal(err)
	}
	mv, err := mapdata.Load(ctx, u.Store(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	return mv
}

func mapTap(m *Screen, p maps.Point) {
	m.canvas.Tapped(&fyne.PointEvent{Position: m.canvas.ToPosition(p)})
}

// mapDrag drags on the map from one world point to another in two
// moves, as a mouse would.
func mapDrag(m *Screen, from, to maps.Point) {
	a, b := m.canvas.ToPosition(from), m.canvas.ToPosition(to)
	mid := fyne.NewPos((a.X+b.X)/2, (a.Y+b.Y)/2)
	m.canvas.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: mid}, Dragged: fyne.NewDelta(mid.X-a.X, mid.Y-a.Y)})
	m.canvas.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: b}, Dragged: fyne.NewDelta(b.X-mid.X, b.Y-mid.Y)})
	m.canvas.DragEnd()
}

func mapSide(m *Screen) string { return strings.Join(uitest.Texts(m.side), "\n") }

// An empty spot of the view: its centre, moved off any feature.
func mapEmptySpot(t *testing.T, m *Screen) maps.Point {
	t.Helper()
	vp := m.canvas.Viewport()
	ix := m.ed.Index()
	for dx := 0.0; dx < 200; dx += 7 {
		for _, s := range []float64{1, -1} {
			p := maps.Point{X: vp.Center.X + s*dx, Y: vp.Center.Y + s*dx/3}
			if _, hit := ix.HitTest(p, 12); !hit {
				if _, hit := ix.HitTest(p.Add(maps.Point{X: 12, Y: -10}), 12); !hit {
					return p
				}
			}
		}
	}
	t.Fatal("no empty spot in view")
	return maps.Point{}
}

// Find by old number, pinyin initials and phone; the panel shows the
// household and its residents from the store.
func TestMapeditFind(t *testing.T) {
	u, _, m := mapOpen(t, "东河村")
	cases := []struct{ query, want string }{
		{"118", "203"},         // an old number
		{"wjg", "203"},         // 王建国 by pinyin initials
		{"13812345678", "203"}, // the householder's phone
		{"203", "203"},
	}
	for _, c := range cases {
		m.find.SetText(c.query)
		m.find.OnSubmitted(c.query)
		u.Wait()
		i := m.v().HouseByID(m.selected)
		if i < 0 || m.v().Houses[i].Number != c.want {
			t.Fatalf("find %q selected %q", c.query, m.selected)
		}
		if hl := m.canvas.Style().Highlight; !slices.Contains(hl, m.selected) {
			t.Errorf("find %q: highlight %v lacks %s", c.query, hl, m.selected)
		}
	}
	got := mapSide(m)
	// 房屋状态 as 住户 names it (the panel said 居住).
	for _, w := range []string{"203号  王建国", "原门牌", "118", "刘桂兰（配偶）", "红色", "重点户", "消防车路线", "房屋状态"} {
		if !strings.Contains(got, w) {
			t.Errorf("house panel lacks %q:\n%s", w, got)
		}
	}
	test.Tap(uitest.FindButton(t, m.side, "查看住户和居民"))
	u.Wait()
	if len(u.opened) != 1 || u.opened[0] != m.selected {
		t.Fatalf("查看住户和居民 opened %v, want the house %s on 住户", u.opened, m.selected)
	}
	m.find.SetText("不存在的人")
	m.find.OnSubmitted(m.find.Text)
	u.Wait()
	if got := mapSide(m); !strings.Contains(got, "没有找到") {
		t.Errorf("no hit shows %q", got)
	}
}

// Drawing every kind of feature; each step is saved at once, and undo
// and redo are saved too.
func TestMapeditDrawUndoRedo(t *testing.T) {
	u, _, m := mapOpen(t, "北庄村")
	before := mapStored(t, u, "北庄村")
	p := mapEmptySpot(t, m)

	test.Tap(m.tools[toolRect])
	mapDrag(m, p, p.Add(maps.Point{X: 10, Y: -8}))
	u.Wait()
	if m.selKind != maps.FeatHouse || m.selected == "" || m.tool != toolSelect {
		t.Fatalf("rectangle: selected %q (%v), tool %v", m.selected, m.selKind, m.tool)
	}
	rectID := m.selected
	if got := mapStored(t, u, "北庄村"); got.HouseByID(rectID) < 0 || len(got.Houses) != len(before.Houses)+1 {
		t.Fatalf("rectangle house not saved")
	}
	if !strings.Contains(m.saved.Text, "已保存") {
		t.Errorf("save state: %q", m.saved.Text)
	}

	// A polygon house, closed by clicking its first corner again.
	q := p.Add(maps.Point{X: 0, Y: -20})
	test.Tap(m.tools[toolPolygon])
	for _, d := range []maps.Point{{}, {X: 9}, {X: 12, Y: -6}, {X: 4, Y: -10}, {}} {
		mapTap(m, q.Add(d))
	}
	u.Wait()
	if i := m.v().HouseByID(m.selected); i < 0 || len(m.v().Houses[i].Polygon) != 4 {
		t.Fatalf("polygon house: selected %q", m.selected)
	}

	// A lane with a width typed in the panel.
	test.Tap(m.tools[toolLane])
	m.lane.text.SetText("新巷")
	m.lane.length.SetText("３．５米")
	for _, d := range []maps.Point{{X: -5, Y: 5}, {X: 20, Y: 5}, {X: 30, Y: -15}} {
		mapTap(m, p.Add(d))
	}
	m.finishShape()
	u.Wait()
	got := mapStored(t, u, "北庄村")
	if !slices.ContainsFunc(got.Lanes, func(l maps.Lane) bool { return l.Name == "新巷" && l.Width == 3.5 && len(l.Points) == 3 }) {
		t.Fatalf("lane not saved: %d lanes", len(got.Lanes))
	}

	// A well and a label.
	test.Tap(m.tools[toolLandmark])
	m.markKind.SetSelected("水井")
	m.markName.SetText("新井")
	mapTap(m, p.Add(maps.Point{X: -6, Y: -4}))
	test.Tap(m.tools[toolLabel])
	mapTap(m, p.Add(maps.Point{X: 15, Y: 15}))
	if !strings.Contains(m.status.Text, "请先") {
		t.Errorf("label without text: status %q", m.status.Text)
	}
	m.label.text.SetText("麦场")
	mapTap(m, p.Add(maps.Point{X: 15, Y: 15}))
	u.Wait()
	got = mapStored(t, u, "北庄村")
	if !slices.ContainsFunc(got.Landmarks, func(l maps.Landmark) bool { return l.Kind == maps.KindWell && l.Name == "新井" }) {
		t.Error("well not saved")
	}
	if !slices.ContainsFunc(got.Labels, func(l maps.Label) bool { return l.Text == "麦场" }) {
		t.Error("label not saved")
	}

	// Delete the label with the keyboard, then undo everything.
	m.canvas.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	u.Wait()
	if got := mapStored(t, u, "北庄村"); len(got.Labels) != len(before.Labels) {
		t.Fatalf("deleted label still stored")
	}
	steps := 0
	for m.ed.CanUndo() {
		test.Tap(m.undoBtn)
		steps++
	}
	u.Wait()
	if steps != 6 {
		t.Errorf("%d undo steps, want 6 (house, polygon, lane, well, label, delete)", steps)
	}
	got = mapStored(t, u, "北庄村")
	if len(got.Houses) != len(before.Houses) || len(got.Lanes) != len(before.Lanes) || len(got.Landmarks) != len(before.Landmarks) || len(got.Labels) != len(before.Labels) {
		t.Fatalf("undo all not saved: %d/%d houses, %d/%d lanes", len(got.Houses), len(before.Houses), len(got.Lanes), len(before.Lanes))
	}
	m.shortcut(&fyne.ShortcutRedo{})
	u.Wait()
	if got := mapStored(t, u, "北庄村"); got.HouseByID(rectID) < 0 {
		t.Fatal("redo (Ctrl+Y) not saved")
	}
	if m.undoBtn.Disabled() || m.redoBtn.Disabled() {
		t.Errorf("undo/redo buttons: %v %v", m.undoBtn.Disabled(), m.redoBtn.Disabled())
	}
}

// Houses can be moved and reshaped only once selected; a drag anywhere
// else pans, so a 3,000-house map is never changed by a stray drag.
func TestMapeditMoveReshapePan(t *testing.T) {
	u, _, m := mapOpen(t, "北庄村")
	h := m.v().Houses[len(m.v().Houses)/2]
	h.Polygon = slices.Clone(h.Polygon) // the editor changes the map in place
	c := h.Polygon.Centroid()
	m.canvas.FitTo(h.Polygon.Bounds(), 60)

	// Unselected: the drag pans.
	vp := m.canvas.Viewport()
	mapDrag(m, c, c.Add(maps.Point{X: 5}))
	if m.canvas.Viewport().Center == vp.Center {
		t.Fatal("drag over an unselected house did not pan")
	}
	if !slices.Equal(m.v().Houses[m.v().HouseByID(h.ID)].Polygon, h.Polygon) {
		t.Fatal("drag over an unselected house moved it")
	}

	mapTap(m, c)
	if m.selected != h.ID {
		t.Fatalf("tap selected %q, want %s", m.selected, h.ID)
	}
	mapDrag(m, c, c.Add(maps.Point{X: 4, Y: 3}))
	u.Wait()
	stored := mapStored(t, u, "北庄村")
	moved := stored.Houses[stored.HouseByID(h.ID)].Polygon
	if d := moved[0].Sub(h.Polygon[0]); absf(d.X-4) > 0.01 || absf(d.Y-3) > 0.01 {
		t.Fatalf("moved by %v, want (4,3)", d)
	}

	// Drag a corner out: the house gets bigger.
	corner := m.v().Houses[m.v().HouseByID(h.ID)].Polygon[0]
	area := m.v().Houses[m.v().HouseByID(h.ID)].Polygon.Area()
	out := corner.Add(corner.Sub(m.v().Houses[m.v().HouseByID(h.ID)].Polygon.Centroid()).Scale(0.5))
	mapDrag(m, corner, out)
	u.Wait()
	stored = mapStored(t, u, "北庄村")
	if got := stored.Houses[stored.HouseByID(h.ID)].Polygon; got.Area() <= area {
		t.Fatalf("corner drag: area %.1f → %.1f", area, got.Area())
	}

	// Add a corner on an edge, then remove it with the right button.
	n := len(m.v().Houses[m.v().HouseByID(h.ID)].Polygon)
	pg := m.v().Houses[m.v().HouseByID(h.ID)].Polygon
	mid := pg[1].Add(pg[2]).Scale(0.5)
	m.setTool(toolAddVertex)
	mapTap(m, mid)
	if got := len(m.v().Houses[m.v().HouseByID(h.ID)].Polygon); got != n+1 {
		t.Fatalf("add corner: %d corners, want %d", got, n+1)
	}
	m.setTool(toolSelect)
	m.canvas.TappedSecondary(&fyne.PointEvent{Position: m.canvas.ToPosition(mid)})
	if got := len(m.v().Houses[m.v().HouseByID(h.ID)].Polygon); got != n {
		t.Fatalf("remove corner: %d corners, want %d", got, n)
	}
}

func absf(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// A new house is numbered along the lanes; a typed number another house
// has, had, or a demolished house had is refused in plain words; the
// renumbering keeps every old number in the history.
func TestMapeditNumbers(t *testing.T) {
	u, _, m := mapOpen(t, "北庄村")
	v := m.v()
	// A house just beside an existing one, so the walk reaches it.
	h0 := v.Houses[3]
	b := h0.Polygon.Bounds()
	test.Tap(m.tools[toolRect])
	mapDrag(m, maps.Point{X: b.Max.X + 2, Y: b.Max.Y}, maps.Point{X: b.Max.X + 8, Y: b.Max.Y - 6})
	id := m.selected
	if id == "" {
		t.Fatalf("no house drawn: %s", m.status.Text)
	}
	if got := mapSide(m); !strings.Contains(got, "未编号") {
		t.Errorf("new house panel:\n%s", got)
	}
	test.Tap(uitest.FindButton(t, m.side, "按巷道顺序自动编号"))
	u.Wait()
	i := m.v().HouseByID(id)
	num := m.v().Houses[i].Number
	if num == "" {
		t.Fatalf("auto number gave nothing: %s", m.status.Text)
	}
	for _, other := range v.Houses {
		if other.ID != id && (other.Number == num || slices.Contains(other.History, num)) {
			t.Fatalf("new house took %s, the number of house %s", num, other.ID)
		}
	}

	// Manual numbers.
	m.selectFeature(id, maps.FeatHouse)
	m.setHouseNumber(id, v.Houses[0].Number)
	if !strings.Contains(m.status.Text, "不能重复") {
		t.Errorf("taken number: status %q", m.status.Text)
	}
	victim := v.Houses[5]
	test.Tap(m.tools[toolSelect])
	m.selectFeature(victim.ID, maps.FeatHouse)
	m.deleteSelected()
	m.setHouseNumber(id, victim.Number)
	if !strings.Contains(m.status.Text, "已拆除") {
		t.Errorf("retired number: status %q", m.status.Text)
	}
	m.setHouseNumber(id, "９９９－１")
	u.Wait()
	stored := mapStored(t, u, "北庄村")
	sh := stored.Houses[stored.HouseByID(id)]
	if sh.Number != "999-1" || !slices.Contains(sh.History, num) {
		t.Fatalf("manual number: %q, history %v", sh.Number, sh.History)
	}
	if i, ok := numbering.Find(stored, num); !ok || stored.Houses[i].ID != id {
		t.Errorf("old number %s no longer finds the house", num)
	}

	// Renumber the whole village: numbers are never reused.
	old := map[string]string{}
	for _, h := range m.v().Houses {
		old[h.ID] = h.Number
	}
	m.autoNumber(numbering.Renumber)
	u.Wait()
	stored = mapStored(t, u, "北庄村")
	for _, h := range stored.Houses {
		for id2, n := range old {
			if id2 != h.ID && n == h.Number && n != "" {
				t.Fatalf("house %s got %s, which was house %s's", h.ID, n, id2)
			}
		}
		if o := old[h.ID]; o != "" && o != h.Number && !slices.Contains(h.History, o) {
			t.Fatalf("house %s lost old number %s", h.ID, o)
		}
	}
	if !slices.Contains(stored.Retired, victim.Number) {
		t.Errorf("demolished house's number %s not retired", victim.Number)
	}
}

// The fire route from the entrance and from a tapped start; with a wide
// vehicle the panel says plainly that no lane is wide enough.
func TestMapeditRoute(t *testing.T) {
	u, _, m := mapOpen(t, "北庄村")
	target := m.v().Houses[len(m.v().Houses)-1]
	m.find.SetText(target.Number)
	m.find.OnSubmitted(target.Number)
	u.Wait()
	test.Tap(uitest.FindButton(t, m.side, "消防车路线"))
	if m.route == nil || m.routeHouse != target.ID {
		t.Fatal("no route worked out")
	}
	got := mapSide(m)
	if !strings.Contains(got, m.route.PhoneText()) || !strings.Contains(got, "复制这段话") {
		t.Errorf("panel lacks the phone text %q:\n%s", m.route.PhoneText(), got)
	}
	if m.route.Reachable && m.canvas.Style().Route == nil {
		t.Error("reachable route not drawn")
	}
	checkRouteWater(t, m)
	test.Tap(uitest.FindButton(t, m.side, "复制这段话"))
	if clip := u.App().Clipboard().Content(); clip != m.route.PhoneText() {
		t.Errorf("clipboard %q", clip)
	}

	// A start tapped on the map: on a lane, away from the entrance.
	lane := m.v().Lanes[len(m.v().Lanes)/2]
	start := lane.Points[0]
	test.Tap(uitest.FindButton(t, m.side, "在地图上点起点"))
	m.canvas.FitTo(maps.BoundsOf(lane.Points), 60)
	mapTap(m, start)
	if m.routeStart == nil || maps.Dist(*m.routeStart, start) > 0.5 {
		t.Fatalf("start not taken: %v", m.routeStart)
	}
	if !strings.Contains(mapSide(m), "地图上选的点") {
		t.Errorf("panel does not say the start was chosen:\n%s", mapSide(m))
	}

	// Too wide a vehicle for every lane.
	m.vehicleWidth = 19
	m.routeStart = nil
	m.showRoute(target.ID)
	if m.route.Reachable {
		t.Fatal("a 19 m vehicle reached the house")
	}
	if got := mapSide(m); !strings.Contains(got, m.route.Problem) || m.route.Problem == "" {
		t.Errorf("no plain statement for an unreachable house:\n%s", got)
	}
	checkRouteWater(t, m)
}

// checkRouteWater: the map on screen marks the water sources the route's
// sentence names, where they are, as the printed sheet does
// (render.OverlayOf), and the stop the sentence gives, reachable or not.
func checkRouteWater(t *testing.T, m *Screen) {
	t.Helper()
	named := m.route.NamedWater()
	if len(named) == 0 {
		t.Fatalf("the fixture's route to %s names no water source: %q", m.route.Number, m.route.PhoneText())
	}
	ov := m.canvas.Style().Route
	if ov == nil {
		t.Fatalf("route to %s (reachable %v) not on the map", m.route.Number, m.route.Reachable)
	}
	if len(ov.Water) != len(named) {
		t.Fatalf("the map rings %d water sources, the sentence names %d: %q", len(ov.Water), len(named), m.route.PhoneText())
	}
	for i, w := range named {
		if !strings.Contains(m.route.PhoneText(), w.Name) || maps.Dist(ov.Water[i], w.At) > 0.01 {
			t.Errorf("water %d ringed at %v, the sentence's %s is at %v", i, ov.Water[i], w.Name, w.At)
		}
	}
	if m.route.Stop != nil && (ov.Stop == nil || maps.Dist(*ov.Stop, maps.Point{X: m.route.Stop.X, Y: m.route.Stop.Y}) > 0.01) {
		t.Errorf("stop %v drawn at %v", m.route.Stop, ov.Stop)
	}
}

// The households screen jumps to a house in another village.
func TestMapeditShowHouseOnMap(t *testing.T) {
	u, _, m := mapOpen(t, "北庄村")
	west := mapStored(t, u, "西岭村")
	m.ShowHouse(west.Houses[0].ID)
	u.Wait()
	if m.village.Selected != "西岭村" || m.selected != west.Houses[0].ID {
		t.Fatalf("village %q, selected %q", m.village.Selected, m.selected)
	}
	if got := mapSide(m); !strings.Contains(got, "张志刚") {
		t.Errorf("panel:\n%s", got)
	}
}

// A scan with EXIF orientation is imported upright, kept as a blob, and
// comes back with the map; the scale is set from two clicks and a typed
// distance.
func TestMapeditBaseImage(t *testing.T) {
	u, w, m := mapOpen(t, "北庄村")
	f, err := fonts.Find("")
	if err != nil {
		t.Skip(err)
	}
	jpg, want := scannedJPEG(t, m.v(), f.TTF, 1.5, 1)
	m.importBase(jpg)
	u.Wait()
	b := m.v().Base
	if b == nil || b.Width != want.Width || b.Height != want.Height {
		t.Fatalf("base %+v, want upright %dx%d", b, want.Width, want.Height)
	}
	if ok, err := u.Store().HasBlob(context.Background(), b.ImageHash); err != nil || !ok {
		t.Fatalf("blob not stored: %v %v", ok, err)
	}
	if m.canvas.Style().BaseImage == nil {
		t.Fatal("base not drawn")
	}
	if stored := mapStored(t, u, "北庄村"); stored.Base == nil || stored.Base.ImageHash != b.ImageHash {
		t.Fatalf("base layer not saved: %+v", stored.Base)
	}

	// Opacity from the slider in the base map panel, saved when let go.
	test.Tap(uitest.FindButton(t, m.root.(*fyne.Container), "底图"))
	var slider *widget.Slider
	for _, o := range m.side.Objects {
		if c, ok := o.(*fyne.Container); ok {
			for _, x := range c.Objects {
				if s, ok := x.(*widget.Slider); ok {
					slider = s
				}
			}
		}
	}
	if slider == nil {
		t.Fatalf("no opacity slider in:\n%s", mapSide(m))
	}
	slider.SetValue(30)
	slider.OnChangeEnded(30)
	u.Wait()
	if stored := mapStored(t, u, "北庄村"); absf(stored.Base.Opacity-0.3) > 1e-9 {
		t.Fatalf("opacity saved as %v", stored.Base.Opacity)
	}

	// Scale: two clicks 50 m apart on the map are really 100 m apart.
	c := m.canvas.Viewport().Center
	p1, p2 := c, c.Add(maps.Point{X: 50})
	mpp := b.MetresPerPx
	m.setTool(toolScale)
	mapTap(m, p1)
	mapTap(m, p2)
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no distance dialog")
	}
	entry := dialogEntry(t, top)
	test.Type(entry, "100")
	test.Tap(uitest.DialogButton(t, top, "确定"))
	u.Wait()
	if got := m.v().Base.MetresPerPx; absf(got/mpp-2) > 0.01 {
		t.Fatalf("scale: %g m/px, want %g", got, 2*mpp)
	}

	// Another screen opening the village shows the scan again.
	m2 := New(u)
	u.Wait()
	m2.village.SetSelected("北庄村")
	u.Wait()
	if m2.baseDisplay() == nil || m2.v().Base.MetresPerPx != m.v().Base.MetresPerPx {
		t.Fatal("reloaded map has no base image or lost the scale")
	}

	// A file that is not an image is refused without changing the map.
	m.importBase([]byte("not an image"))
	u.Wait()
	if m.v().Base.ImageHash != b.ImageHash {
		t.Fatal("a broken file replaced the base map")
	}
}

// Printing writes the map sheet PDF and records it.
func TestMapeditPrint(t *testing.T) {
	u, _, m := mapOpen(t, "北庄村")
	path := filepath.Join(t.TempDir(), "北庄村地图.pdf")
	m.printer.PrintMap(path, mapprint.SheetChoice{Paper: "A4", Index: true})
	u.Wait()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no PDF: %v (status %q)", err, m.status.Text)
	}
	if !strings.HasPrefix(string(data), "%PDF") {
		t.Fatal("not a PDF")
	}
	recs, err := u.Store().PrintRecords(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Kind != "map" || recs[0].Template != "北庄村" {
		t.Fatalf("print records %+v", recs)
	}
	// A folder that does not exist: a clear error, no record.
	m.printer.PrintMap(filepath.Join(t.TempDir(), "nope", "x.pdf"), mapprint.SheetChoice{})
	u.Wait()
	if recs, _ := u.Store().PrintRecords(context.Background()); len(recs) != 1 {
		t.Fatalf("failed print recorded: %d records", len(recs))
	}
}

// Following the pointer while drawing repaints only the overlay: the
// village is not rendered again.
func TestMapeditHoverDoesNotRerender(t *testing.T) {
	_, w, m := mapOpen(t, "北庄村")
	p := mapEmptySpot(t, m)
	test.Tap(m.tools[toolPolygon])
	mapTap(m, p)
	w.Canvas().Capture()
	before := m.canvas.Renders()
	for i := 0; i < 5; i++ {
		m.hoverAt(p.Add(maps.Point{X: float64(i), Y: 3}))
		w.Canvas().Capture()
	}
	if m.canvas.Renders() != before {
		t.Errorf("hover rendered the map %d times", m.canvas.Renders()-before)
	}
	if m.canvas.Overlay().Empty() {
		t.Error("no rubber band drawn")
	}
}

// parseMetres reads what officers type.
func TestParseMetres(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"4", 4, true}, {"3.5", 3.5, true}, {"３．５", 3.5, true}, {" 4 米", 4, true}, {"4m", 4, true},
		{"", 0, false}, {"abc", 0, false}, {"0", 0, false}, {"999", 0, false}, {"NaN", 0, false}, {"-3", 0, false},
	}
	for _, c := range cases {
		got, ok := parseMetres(c.in, 0.5, 60)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("parseMetres(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// On a map that renders slowly, a drag slides the last frame and renders
// once when it ends.
func TestMapeditSlowMapSlidesWhileDragging(t *testing.T) {
	_, w, m := mapOpen(t, "北庄村")
	w.Canvas().Capture()
	m.canvas.SetSlow(true)
	before := m.canvas.Renders()
	start := m.canvas.Viewport().Center
	pos := fyne.NewPos(300, 300)
	for i := 0; i < 5; i++ {
		pos = pos.Add(fyne.NewDelta(10, 0))
		m.canvas.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: pos}, Dragged: fyne.NewDelta(10, 0)})
		w.Canvas().Capture()
	}
	if got := m.canvas.Renders() - before; got != 0 {
		t.Errorf("%d renders during the drag, want the frame slid", got)
	}
	if m.canvas.Viewport().Center.X >= start.X {
		t.Error("the view did not move west")
	}
	m.canvas.DragEnd()
	w.Canvas().Capture()
	if got := m.canvas.Renders() - before; got != 1 {
		t.Errorf("%d renders after the drag, want 1", got)
	}
}

// Whatever is typed into a width or distance box gives a length in range
// or a refusal, never a panic, NaN or infinity.
func FuzzParseMetres(f *testing.F) {
	for _, s := range []string{"4", "3.5", "３．５米", " 4 m", "1e3", "-0", "NaN", "Inf", "0x10", "4。5", "", "米"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseMetres(s, 0.5, 60)
		if ok && (math.IsNaN(got) || got < 0.5 || got > 60) {
			t.Fatalf("parseMetres(%q) = %v, accepted", s, got)
		}
		if !ok && got != 0 {
			t.Fatalf("parseMetres(%q) refused but gave %v", s, got)
		}
	})
}

// A village with nothing drawn yet: the panel offers the base map, a
// house can be drawn on the blank sheet, and numbering without lanes is
// refused in plain words.
func TestMapeditBlankVillage(t *testing.T) {
	s := uitest.Fixture(t, 0)
	if err := s.Save(context.Background(), &store.Village{Name: "新村", Township: "城关镇"}); err != nil {
		t.Fatal(err)
	}
	u, w, m := openMap(t, s)
	m.village.SetSelected("新村")
	u.Wait()
	w.Canvas().Capture()
	if got := mapSide(m); !strings.Contains(got, "导入底图") {
		t.Fatalf("blank village panel:\n%s", got)
	}
	test.Tap(m.tools[toolRect])
	mapDrag(m, maps.Point{X: -10, Y: 10}, maps.Point{X: 5, Y: -2})
	u.Wait()
	if got := mapStored(t, u, "新村"); len(got.Houses) != 1 {
		t.Fatalf("%d houses on the blank village", len(got.Houses))
	}
	m.showRoute(m.selected)
	if !strings.Contains(m.status.Text, "先编号") {
		t.Errorf("route to an unnumbered house: %q", m.status.Text)
	}
	m.autoNumber(numbering.NumberNew)
	if h := m.v().Houses[0]; h.Number != "1" {
		t.Errorf("first house of a blank village numbered %q", h.Number)
	}
	// No lanes yet: the route is refused with a message, not a crash.
	m.showRoute(m.v().Houses[0].ID)
	if w.Canvas().Overlays().Top() == nil || m.route != nil {
		t.Error("route without lanes: no message")
	}
}

// dialogEntry is the text entry of the dialog top.
func dialogEntry(t *testing.T, top fyne.CanvasObject) *widget.Entry {
	t.Helper()
	var entry *widget.Entry
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *kit.Entry: // the window's entries pass Ctrl+E on
			entry = &v.Entry
		case *widget.Entry:
			entry = v
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case *widget.Form:
			for _, it := range v.Items {
				walk(it.Widget)
			}
		case fyne.Widget:
			walk(test.WidgetRenderer(v).Objects()[0])
		}
	}
	for _, o := range test.WidgetRenderer(top.(fyne.Widget)).Objects() {
		if entry == nil {
			walk(o)
		}
	}
	if entry == nil {
		t.Fatal("no entry in the dialog")
	}
	return entry
}

// A map without 村口 says what to do when a fire route is asked for: the
// dialog said only 算不出路线。 (the router's English behind 详细信息), and
// nothing told the officer the route starts from a 村口 landmark.
func TestRouteWithoutEntranceSaysPlaceOne(t *testing.T) {
	u, w, m := mapOpen(t, "北庄村")
	var ents []string
	for _, lm := range m.v().Landmarks {
		if lm.Kind == maps.KindEntrance {
			ents = append(ents, lm.ID)
		}
	}
	if len(ents) == 0 || !m.edit(func(ed *edit.Editor) error { return ed.Delete(ents...) }) {
		t.Fatalf("could not take away the %d entrances", len(ents))
	}
	u.Wait()
	target := m.v().Houses[len(m.v().Houses)-1]
	m.showRoute(target.ID)
	u.Wait()
	said := m.status.Text
	if top := w.Canvas().Overlays().Top(); top != nil {
		said += "\n" + uitest.Shown(top)
	}
	if m.route != nil || !strings.Contains(said, "村口") {
		t.Errorf("a route asked on a map without 村口 says:\n%s", said)
	}
}

// 改号 typed as people write a door number ("998号") gives the house
// number 998: it became "998号", drawn and printed as 998号号 on plates
// and titles.
func TestHouseNumberWithHao(t *testing.T) {
	u, _, m := mapOpen(t, "北庄村")
	id := m.v().Houses[3].ID
	m.selectFeature(id, maps.FeatHouse)
	m.setHouseNumber(id, "998号")
	u.Wait()
	stored := mapStored(t, u, "北庄村")
	if got := stored.Houses[stored.HouseByID(id)].Number; got != "998" {
		t.Errorf("typed 998号: the house's number is %q, want 998 (%s)", got, m.status.Text)
	}
}

// heldBG holds the background work started through it until release, so
// a test sees the window between a tap and the work done off the UI
// goroutine, deterministically.
type heldBG struct {
	Env
	held []func(ctx context.Context)
}

func (b *heldBG) GoBG(fn func(ctx context.Context)) { b.held = append(b.held, fn) }

// release starts what was held, in the window's own background.
func (b *heldBG) release() {
	for _, fn := range b.held {
		b.Env.GoBG(fn)
	}
	b.held = nil
}

// Importing a scan (up to 64 MB, maybe from a slow USB stick) reads and
// decodes it off the UI goroutine: the window says it is reading and the
// map changes only when the work is done. The read ran inside the file
// chooser's callback, freezing the window for seconds.
func TestBaseImageReadInTheBackground(t *testing.T) {
	var png bytes.Buffer
	scan := image.NewGray(image.Rect(0, 0, 40, 30))
	if err := imgpng.Encode(&png, scan); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		data    []byte
		err     error
		want    string // status once done
		dialog  string // error dialog's text once done ("" none)
		newBase bool
	}{
		{"scan", png.Bytes(), nil, "底图已导入", "", true},
		{"unreadable stick", nil, errors.New("read E:/扫描.png: input/output error"), "", "这张图片不能用作底图", false},
		{"not an image", []byte("not an image"), nil, "", "这张图片不能用作底图", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, w, m := mapOpen(t, "北庄村")
			before := m.v().Base
			bg := &heldBG{Env: m.u}
			m.u = bg
			var reads atomic.Int32
			m.readBase = func(path string) ([]byte, error) {
				reads.Add(1)
				return tc.data, tc.err
			}
			m.importBaseFile("E:/扫描.png")
			if n := reads.Load(); n != 0 {
				t.Fatalf("the scan was read %d times on the UI goroutine", n)
			}
			if m.status.Text != "正在读取图片…" {
				t.Errorf("while reading the status says %q", m.status.Text)
			}
			if len(bg.held) != 1 {
				t.Fatalf("%d background jobs held, want the read", len(bg.held))
			}
			bg.release()
			u.Wait()
			if n := reads.Load(); n != 1 {
				t.Errorf("read %d times, want once", n)
			}
			if !strings.HasPrefix(m.status.Text, tc.want) || tc.want == "" && m.status.Text != "" {
				t.Errorf("done: status %q, want %q…", m.status.Text, tc.want)
			}
			if got := m.v().Base; (got != before) != tc.newBase {
				t.Errorf("base layer %+v, was %+v; want a new one: %v", got, before, tc.newBase)
			}
			top := w.Canvas().Overlays().Top()
			if tc.dialog == "" && top != nil {
				t.Errorf("a dialog opened:\n%s", uitest.Shown(top))
			}
			if tc.dialog != "" && (top == nil || !strings.Contains(uitest.Shown(top), tc.dialog)) {
				t.Errorf("no dialog saying %q", tc.dialog)
			}
		})
	}
}

// Numbers stored with 号 by older versions ('９９８号', '205号' from 改号
// before it dropped the 号) show in the house's panel as everywhere else,
// without a migration: the title said ９９８号号, 原门牌 the raw number, and
// the number's entry the 号 that 改号 now drops.
func TestHouseNumbersStoredWithHao(t *testing.T) {
	for _, c := range []struct {
		stored, old     string
		title, formerly string
	}{
		{"９９８号", "１２号", "998号", "12"},
		{"205号", "", "205号", ""},
		{"203-1", "203号", "203-1号", "203"},
	} {
		t.Run(c.stored, func(t *testing.T) {
			ctx := context.Background()
			s := uitest.Fixture(t, 0)
			vil, err := s.VillageByName(ctx, "北庄村")
			if err != nil {
				t.Fatal(err)
			}
			mv, err := mapdata.Load(ctx, s, vil.ID)
			if err != nil {
				t.Fatal(err)
			}
			h := &mv.Houses[3]
			h.Number, h.History = c.stored, nil
			if c.old != "" {
				h.History = []string{c.old}
			}
			if err := mapdata.SaveChanges(ctx, s, vil.ID, mv, edit.DirtySet{Houses: []string{h.ID}}); err != nil {
				t.Fatal(err)
			}
			u, _, m := openMap(t, s)
			if m.village.Selected != "北庄村" {
				m.village.SetSelected("北庄村")
				u.Wait()
			}
			m.selectFeature(h.ID, maps.FeatHouse)
			u.Wait()
			side := mapSide(m)
			if !strings.Contains(side, c.title) || strings.Contains(side, "号号") {
				t.Errorf("panel shows no %q (or 号号):\n%s", c.title, side)
			}
			if c.formerly != "" && (!strings.Contains(side, c.formerly) || strings.Contains(side, c.old)) {
				t.Errorf("panel: 原门牌 not %q:\n%s", c.formerly, side)
			}
			if es := entries(m); len(es) == 0 || es[0].Text != strings.TrimSuffix(c.title, "号") {
				t.Errorf("number entry %q, want %q", es[0].Text, strings.TrimSuffix(c.title, "号"))
			}
		})
	}
}

// With nothing selected, 怎么用 is followed by 图例: each fill, marker and
// symbol the village shows, drawn (a sample that is not blank) and named
// in the window's words (重点户 and 出租屋 as 住户 says them, 消火栓 as
// 放地标 does, the warning colours), no Latin letter in them.
func TestMapeditLegend(t *testing.T) {
	_, _, m := mapOpen(t, "北庄村")
	m.selectFeature("", 0)
	side := mapSide(m)
	for _, want := range []string{"图例", "房屋", "消防车能过的路", "窄巷", "消火栓"} {
		if !strings.Contains(side, want) {
			t.Errorf("the map's side panel lacks %q:\n%s", want, side)
		}
	}
	// A village with every kind of entry.
	v := &maps.Village{Houses: []maps.House{{Courtyard: true}}}
	for _, w := range []maps.Warning{maps.WarningRed, maps.WarningOrange, maps.WarningGreen} {
		v.Houses = append(v.Houses, maps.House{Warning: w})
	}
	v.Houses = append(v.Houses, maps.House{Categories: maps.Categories})
	for _, k := range maps.LandmarkKinds {
		v.Landmarks = append(v.Landmarks, maps.Landmark{Kind: k})
	}
	objs := legend(v, 4)
	if len(objs) != 2 {
		t.Fatalf("legend: %d objects", len(objs))
	}
	shown := uitest.Joined(container.NewVBox(objs...))
	items := render.Legend(v, 4, false)
	if want := 2 + 3 + len(maps.Categories) + 2 + len(maps.LandmarkKinds); len(items) != want {
		t.Errorf("%d legend entries, want %d", len(items), want)
	}
	for _, it := range items {
		w := legendWord(it, 4)
		if w == "" || strings.ContainsFunc(w, func(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }) {
			t.Errorf("legend entry %s is called %q", it.Key, w)
		}
		if !strings.Contains(shown, w) {
			t.Errorf("legend entry %q not shown", w)
		}
	}
	for _, want := range []string{"红色预警", "橙色预警", "绿色预警", "重点户", "出租屋", "空置", "院落", "消火栓", "窄巷（不到4米）"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the legend lacks %q:\n%s", want, shown)
		}
	}
	var imgs []*canvas.Image
	uitest.Walk(objs[1], func(o fyne.CanvasObject) {
		if img, ok := o.(*canvas.Image); ok {
			imgs = append(imgs, img)
		}
	})
	if len(imgs) != len(items) {
		t.Fatalf("%d samples for %d entries", len(imgs), len(items))
	}
	for i, im := range imgs {
		img := im.Image
		blank := true
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y && blank; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if _, _, _, a := img.At(x, y).RGBA(); a != 0 {
					blank = false
					break
				}
			}
		}
		if blank {
			t.Errorf("legend sample %d: blank", i)
		}
	}
}
