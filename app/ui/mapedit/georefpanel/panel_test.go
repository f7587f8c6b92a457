package georefpanel

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/maps"
	"cunjing/maps/geo"
	"cunjing/store/mapdata"
	"cunjing/store/search"
)

// fakeMap is the open map as the panel's tests give it: the fixture's
// first village, a side panel in the window, the tool in hand.
type fakeMap struct {
	p         *Panel
	v         *maps.Village
	villageID string
	side      *fyne.Container
	placing   bool
	selID     string
	selKind   maps.FeatureKind
	overlays  int // RefreshOverlay calls
}

func (f *fakeMap) Village() *maps.Village { return f.v }
func (f *fakeMap) VillageID() string      { return f.villageID }
func (f *fakeMap) SetSide(objs ...fyne.CanvasObject) {
	f.p.Closed()
	f.side.Objects = objs
	f.side.Refresh()
	f.side.Refresh() // as mapedit's setSide: wrapped labels have their width now
}
func (f *fakeMap) RefreshOverlay()                      { f.overlays++ }
func (f *fakeMap) PlacePoint()                          { f.placing = true }
func (f *fakeMap) Placing() bool                        { return f.placing }
func (f *fakeMap) SelectTool()                          { f.placing = false }
func (f *fakeMap) ShowBasePanel()                       { f.SetSide() }
func (f *fakeMap) Selected() (string, maps.FeatureKind) { return f.selID, f.selKind }

// panelOpen is 地理配准 over the fixture post's first village in a
// headless window.
func panelOpen(t *testing.T) (*kit.Env, fyne.Window, *fakeMap) {
	t.Helper()
	u, w := uitest.NewEnv(t, uitest.Fixture(t, 0))
	uitest.NoCutText(t, w)
	ctx := context.Background()
	vs, err := u.Store().Villages(ctx)
	if err != nil || len(vs) == 0 {
		t.Fatalf("villages %v: %v", vs, err)
	}
	v, err := mapdata.Load(ctx, u.Store(), vs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeMap{v: v, villageID: vs[0].ID, side: container.NewVBox()}
	f.p = New(u, f)
	w.SetContent(container.NewVScroll(f.side))
	return u, w, f
}

// tap is a click on the map with the place-a-point tool, as the editor
// hands it over.
func (f *fakeMap) tap(at maps.Point) {
	f.PlacePoint()
	f.p.AddPoint("", at)
}

// 地理配准 in the window: the datum must be chosen; points are tapped on
// the map (a landmark or house gives its own position and name) and their
// coordinates pasted; a good set saves and says how well it fits; a point
// far off is named suspect and nothing is saved; a 高德 link under WGS 84
// is refused in words; the georeference can be removed.
func TestGeorefPanel(t *testing.T) {
	ctx := context.Background()
	u, w, f := panelOpen(t)
	m := f.p
	m.Show()
	g := m.geo()
	side := func() string { return uitest.Shown(f.side) }
	if !strings.Contains(side(), "还没有配准") {
		t.Fatalf("panel:\n%s", side())
	}
	m.fitGeoref(false)
	if !strings.Contains(g.msg.Text(), "请先选“坐标来自”") {
		t.Errorf("no datum: %q", g.msg.Text())
	}
	g.datum.SetSelectedIndex(2) // WGS 84

	frame, err := geo.NewFrame(114.35, 34.81)
	if err != nil {
		t.Fatal(err)
	}
	// Map metres are east and north, as the frame's.
	coords := func(p maps.Point, offE float64) string {
		lon, lat := frame.Inverse(maps.Point{X: p.X + offE, Y: p.Y})
		return fmt.Sprintf("%.7f,%.7f", lon, lat)
	}
	c := maps.Point{X: 200, Y: 100}
	for _, d := range []maps.Point{{}, {X: 80}, {Y: 60}} {
		f.tap(c.Add(d))
	}
	if len(g.points) != 3 || f.placing {
		t.Fatalf("%d points, still placing %v", len(g.points), f.placing)
	}
	m.fitGeoref(false)
	if !strings.Contains(g.msg.Text(), "第 1 个点还没填经纬度") {
		t.Errorf("empty coordinates: %q", g.msg.Text())
	}
	for _, p := range g.points {
		p.coords.SetText(coords(p.at, 0))
	}
	m.fitGeoref(false)
	u.Wait()
	if !strings.Contains(g.msg.Text(), "已保存：3 个点") {
		t.Fatalf("save: %q (%s)", g.msg.Text(), g.msg.Detail())
	}
	saved, err := mapdata.Georef(ctx, u.Store(), f.villageID)
	if err != nil || saved == nil || len(saved.Points) != 3 {
		t.Fatalf("stored %+v, %v", saved, err)
	}
	if !strings.Contains(side(), "已配准（3 个点）") || !strings.Contains(side(), "偏差 ") {
		t.Errorf("after saving:\n%s", side())
	}

	// A fourth point 300 m off: suspect, named, nothing saved.
	f.tap(c.Add(maps.Point{X: 80, Y: 60}))
	g.points[3].coords.SetText(coords(g.points[3].at, 300))
	m.fitGeoref(false)
	u.Wait()
	if !strings.Contains(g.msg.Text(), "对不上") || !strings.Contains(side(), "可疑") {
		t.Errorf("suspect: %q\n%s", g.msg.Text(), side())
	}
	// The message is laid out whole (it was cut after two lines: set
	// after the panel was laid out, its new height went unseen).
	if got, want := g.msg.Size().Height, g.msg.MinSize().Height; got < want-0.5 {
		t.Errorf("the message %q has %.0f px of the %.0f it needs", g.msg.Text(), got, want)
	}
	if again, _ := mapdata.Georef(ctx, u.Store(), f.villageID); again == nil || len(again.Points) != 3 {
		t.Errorf("a suspect fit was saved: %+v", again)
	}

	// A 高德 link while WGS 84 is chosen.
	g.points[3].coords.SetText("https://uri.amap.com/marker?position=114.35,34.81")
	m.fitGeoref(true)
	if !strings.Contains(g.msg.Text(), "第 4 个点") || !strings.Contains(g.msg.Text(), "和上面选的“坐标来自”不一样") {
		t.Errorf("datum mismatch: %q", g.msg.Text())
	}

	// Removed, after asking.
	m.clearGeoref()
	test.Tap(uitest.ButtonIn(w.Canvas().Overlays().Top(), "删除"))
	u.Wait()
	if gone, _ := mapdata.Georef(ctx, u.Store(), f.villageID); gone != nil {
		t.Errorf("georeference still there: %+v", gone)
	}
	if !strings.Contains(side(), "还没有配准") {
		t.Errorf("after removing:\n%s", side())
	}
}

// Waypoints walked with a phone fill a point's coordinates by name; a
// hand drawing that bends (six points, each a few metres off a straight
// fit) is offered the smooth correction, which saves only when ticked.
func TestGeorefWaypointsAndSmooth(t *testing.T) {
	ctx := context.Background()
	u, _, f := panelOpen(t)
	m := f.p
	m.Show()
	g := m.geo()
	g.datum.SetSelectedIndex(2) // WGS 84
	frame, err := geo.NewFrame(114.35, 34.81)
	if err != nil {
		t.Fatal(err)
	}
	c := maps.Point{X: 200, Y: 100}
	var wps []geo.Waypoint
	for i, d := range []maps.Point{{}, {X: 120}, {Y: 90}, {X: 120, Y: 90}, {X: 60, Y: 45}, {X: 60}} {
		bend := 0.0
		if i >= 4 {
			bend = 8 // the middle of the sheet drawn 8 m too far east
		}
		lon, lat := frame.Inverse(maps.Point{X: c.X + d.X + bend, Y: c.Y + d.Y})
		wps = append(wps, geo.Waypoint{Name: fmt.Sprintf("点%d", i+1), Lon: lon, Lat: lat})
		f.tap(c.Add(d))
	}
	m.setWaypoints(g, "走村.gpx", wps)
	if !strings.Contains(uitest.Shown(f.side), "已读入 走村.gpx：6 个航点") {
		t.Fatalf("panel:\n%s", uitest.Shown(f.side))
	}
	for i, p := range g.points {
		p.coords.SetText("@" + wps[i].Name)
	}
	m.fitGeoref(false)
	u.Wait()
	if !g.fit.SmoothOffered || g.smooth.Checked {
		t.Fatalf("smooth offered %v, checked %v: %q", g.fit.SmoothOffered, g.smooth.Checked, g.msg.Text())
	}
	if !strings.Contains(uitest.Shown(f.side), "手绘图各处比例不一样时用") {
		t.Errorf("the smooth correction is not offered:\n%s", uitest.Shown(f.side))
	}
	plain, err := mapdata.Georef(ctx, u.Store(), f.villageID)
	if err != nil || plain == nil || plain.Method == geo.MethodSmooth {
		t.Fatalf("saved without smoothing: %+v %v", plain, err)
	}
	g.smooth.SetChecked(true)
	m.fitGeoref(false)
	u.Wait()
	smooth, err := mapdata.Georef(ctx, u.Store(), f.villageID)
	if err != nil || smooth == nil || smooth.Method != geo.MethodSmooth {
		t.Errorf("smooth fit saved as %+v (%v): %q", smooth, err, g.msg.Text())
	}
	g.points[0].coords.SetText("@没有这个点")
	m.fitGeoref(true)
	if !strings.Contains(g.msg.Text(), "航点文件里没有这个名字的点") {
		t.Errorf("unknown waypoint: %q", g.msg.Text())
	}
}

// The house selected on the map is offered as a point (its centre, named
// by its number), and so is a landmark (its point, named by its kind when
// it has no name); nothing selected, nothing offered.
func TestGeorefSelectedPlace(t *testing.T) {
	_, _, f := panelOpen(t)
	m := f.p
	m.Show()
	if strings.Contains(uitest.Shown(f.side), "用选中的") {
		t.Fatalf("offered with nothing selected:\n%s", uitest.Shown(f.side))
	}
	h := f.v.Houses[0]
	f.selID, f.selKind = h.ID, maps.FeatHouse
	m.Show()
	want := "用选中的“" + search.PlainNumber(h.Number) + "号”"
	test.Tap(uitest.FindButton(t, f.side, want))
	g := m.geo()
	if len(g.points) != 1 || g.points[0].at != h.Polygon.Centroid() || g.points[0].name != search.PlainNumber(h.Number)+"号" {
		t.Fatalf("points %+v", g.points)
	}
	if pts := m.Points(); len(pts) != 1 || pts[0].At != h.Polygon.Centroid() || pts[0].Suspect {
		t.Errorf("drawn %+v", pts)
	}
	f.v.Landmarks = append(f.v.Landmarks, maps.Landmark{ID: "lm-well", Kind: maps.KindWell, Point: maps.Point{X: 3, Y: 4}},
		maps.Landmark{ID: "lm-old", Kind: maps.KindWell, Name: "老井", Point: maps.Point{X: 5, Y: 6}})
	at, name, ok := PlaceOf(f.v, "lm-well", maps.FeatLandmark)
	if !ok || at != (maps.Point{X: 3, Y: 4}) || name != maps.KindWell.Label() || name == "" {
		t.Errorf("landmark: %v %q %v", at, name, ok)
	}
	if at, name, ok := PlaceOf(f.v, "lm-old", maps.FeatLandmark); !ok || at != (maps.Point{X: 5, Y: 6}) || name != "老井" {
		t.Errorf("named landmark: %v %q %v", at, name, ok)
	}
	if _, _, ok := PlaceOf(f.v, "lm-none", maps.FeatLandmark); ok {
		t.Error("a landmark not on the map was placed")
	}
	f.ShowBasePanel()
	if pts := m.Points(); len(pts) != 0 {
		t.Errorf("drawn with the panel closed: %+v", pts)
	}
}
