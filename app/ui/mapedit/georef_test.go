package mapedit

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/mapedit/georefpanel"
	"cunjing/app/ui/uitest"
	"cunjing/maps"
	"cunjing/maps/geo"
	"cunjing/store/mapdata"
	"cunjing/store/search"
)

// 地理配准 on the map (the panel's own tests are in georefpanel): opened
// from 底图, 在地图上点一个位置 takes the tool and a click on the map places
// a point (a house gives its centre and number) and gives 选择
// back; the points are drawn over the map, a suspect one red; the
// coordinates typed in the panel's fields save through 保存配准; 清除配准
// removes it; 返回底图 leaves the points off the map.
func TestGeorefOnTheMap(t *testing.T) {
	ctx := context.Background()
	u, w, m := mapOpen(t, "")
	side := func() string { return uitest.Shown(m.side) }
	m.showBasePanel()
	test.Tap(uitest.FindButton(t, m.side, "放到真实地图上（地理配准）"))
	u.Wait()
	if !strings.Contains(side(), "还没有配准") {
		t.Fatalf("panel:\n%s", side())
	}
	v := m.v()
	if len(v.Houses) == 0 {
		t.Fatal("the fixture village has no houses")
	}
	house := v.Houses[len(v.Houses)/2]
	mark, name, ok := georefpanel.PlaceOf(v, house.ID, maps.FeatHouse)
	if !ok || !strings.Contains(name, search.PlainNumber(house.Number)) || mark != house.Polygon.Centroid() {
		t.Fatalf("PlaceOf house %s: %v %q %v", house.Number, mark, name, ok)
	}
	place := func(at maps.Point) {
		t.Helper()
		test.Tap(uitest.FindButton(t, m.side, "在地图上点一个位置"))
		if m.tool != toolGeoPoint {
			t.Fatalf("tool %v after 在地图上点一个位置", m.tool)
		}
		mapTap(m, at)
		if m.tool != toolSelect {
			t.Fatalf("tool %v after placing a point", m.tool)
		}
	}
	place(mark.Add(maps.Point{X: 0.5, Y: 0.5}))
	if pts := m.geo.Points(); len(pts) != 1 || pts[0].At != mark || !strings.Contains(side(), name) {
		t.Fatalf("a click in %s (%v): points %+v\n%s", name, mark, pts, side())
	}
	c := mark
	for _, d := range []maps.Point{{X: 80}, {Y: 60}} {
		place(c.Add(d))
	}
	dots := func() []maps.Point {
		var at []maps.Point
		for _, d := range m.canvas.Overlay().Dots {
			if d.R == 7 && d.Ring == colDrawPoint && (d.Fill == colDrawLine || d.Fill == colStart) {
				at = append(at, d.At)
			}
		}
		return at
	}
	pts := m.geo.Points()
	if len(pts) != 3 || len(dots()) != 3 {
		t.Fatalf("points %+v, dots %v", pts, dots())
	}

	frame, err := geo.NewFrame(114.35, 34.81)
	if err != nil {
		t.Fatal(err)
	}
	coords := func(p maps.Point, offE float64) string {
		lon, lat := frame.Inverse(maps.Point{X: p.X + offE, Y: p.Y})
		return fmt.Sprintf("%.7f,%.7f", lon, lat)
	}
	// The panel's fields, as the officer fills them.
	fields := func() (datum *widget.Select, entries []*kit.Entry) {
		uitest.Walk(m.side, func(o fyne.CanvasObject) {
			switch v := o.(type) {
			case *widget.Select:
				if datum == nil {
					datum = v
				}
			case *kit.Entry:
				entries = append(entries, v)
			}
		})
		return datum, entries
	}
	datum, entries := fields()
	if datum == nil || len(entries) != 3 {
		t.Fatalf("datum %v, %d coordinates fields", datum, len(entries))
	}
	datum.SetSelectedIndex(2) // WGS 84
	for i, e := range entries {
		e.SetText(coords(pts[i].At, 0))
	}
	test.Tap(uitest.FindButton(t, m.side, "保存配准"))
	u.Wait()
	saved, err := mapdata.Georef(ctx, u.Store(), m.villageID)
	if err != nil || saved == nil || len(saved.Points) != 3 {
		t.Fatalf("stored %+v, %v\n%s", saved, err, side())
	}
	if !strings.Contains(side(), "已配准（3 个点）") || !strings.Contains(side(), "已保存：3 个点") {
		t.Errorf("after saving:\n%s", side())
	}

	// A fourth point 300 m off: not saved, its dot red.
	place(c.Add(maps.Point{X: 80, Y: 60}))
	_, entries = fields()
	if len(entries) != 4 {
		t.Fatalf("%d coordinates fields", len(entries))
	}
	entries[3].SetText(coords(m.geo.Points()[3].At, 300))
	test.Tap(uitest.FindButton(t, m.side, "保存配准"))
	u.Wait()
	if again, _ := mapdata.Georef(ctx, u.Store(), m.villageID); again == nil || len(again.Points) != 3 {
		t.Errorf("a suspect fit was saved: %+v", again)
	}
	// Its message is laid out whole in the side panel (it was cut after
	// two lines: said after the panel was laid out, its height unseen).
	if msg := findMessage(m.side); msg == nil || !strings.Contains(msg.Text(), "对不上") {
		t.Errorf("no suspect message in the side panel:\n%s", side())
	} else if got, want := msg.Size().Height, msg.MinSize().Height; got < want-0.5 {
		t.Errorf("the message %q has %.0f px of the %.0f it needs", msg.Text(), got, want)
	}
	red := 0
	for _, d := range m.canvas.Overlay().Dots {
		if d.R == 7 && d.Ring == colDrawPoint && d.Fill == colStart {
			red++
		}
	}
	if red != 1 || len(dots()) != 4 {
		t.Errorf("%d red of %d dots, want 1 of 4\n%s", red, len(dots()), side())
	}

	// Removed, after asking.
	test.Tap(uitest.FindButton(t, m.side, "清除配准"))
	test.Tap(uitest.ButtonIn(w.Canvas().Overlays().Top(), "删除"))
	u.Wait()
	if gone, _ := mapdata.Georef(ctx, u.Store(), m.villageID); gone != nil {
		t.Errorf("georeference still there: %+v", gone)
	}
	if !strings.Contains(side(), "还没有配准") {
		t.Errorf("after removing:\n%s", side())
	}

	// 返回底图: the base panel, the points kept but off the map.
	test.Tap(uitest.FindButton(t, m.side, "返回底图"))
	if strings.Contains(side(), "还没有配准") || len(dots()) != 0 || len(m.geo.Points()) != 0 {
		t.Errorf("back: %d dots\n%s", len(dots()), side())
	}
	test.Tap(uitest.FindButton(t, m.side, "放到真实地图上（地理配准）"))
	if len(dots()) != 4 {
		t.Errorf("opened again: %d dots, want the 4 points kept", len(dots()))
	}
}

// findMessage is the first kit.Message under o.
func findMessage(o fyne.CanvasObject) *kit.Message {
	if msg, ok := o.(*kit.Message); ok {
		return msg
	}
	var kids []fyne.CanvasObject
	switch c := o.(type) {
	case *fyne.Container:
		kids = c.Objects
	case *container.Scroll:
		kids = []fyne.CanvasObject{c.Content}
	}
	for _, k := range kids {
		if msg := findMessage(k); msg != nil {
			return msg
		}
	}
	return nil
}
