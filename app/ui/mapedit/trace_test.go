package mapedit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/scantrace"
	"cunjing/app/ui/uitest"
	"cunjing/maps"
	"cunjing/maps/edit"
	"cunjing/maps/trace/sheetgen"
	"cunjing/store"
	"cunjing/store/mapdata"
)

// entries lists the side panel's text entries, in order.
func entries(m *Screen) []*widget.Entry {
	var out []*widget.Entry
	uitest.Walk(m.side, func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.Entry); ok {
			out = append(out, e)
		}
	})
	return out
}

// A draft made by `map trace` is reviewed in the editor: the houses to
// check one by one (a number typed is kept in the draft at once), the
// scale, then 全部接受 adds everything as one step that one undo takes
// back, lays the scan under it and drops the draft.
func TestMapeditReviewTraceDraft(t *testing.T) {
	ctx := context.Background()
	s := uitest.Fixture(t, 0)
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "maps", "trace", "testdata", "sheet-1.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := scantrace.Trace(ctx, data, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, img := tr.Kept, tr.Image
	v, _, err := scantrace.Save(ctx, s, "新庄村", "sheet-1.jpg", tr)
	if err != nil {
		t.Fatal(err)
	}
	u, w, m := openMap(t, s)
	m.village.SetSelected("新庄村")
	u.Wait()
	w.Canvas().Capture()
	test.Tap(uitest.FindButton(t, m.root.(*fyne.Container), "底图"))
	if got := mapSide(m); !strings.Contains(got, "有一份识别草稿") || !strings.Contains(got, "sheet-1.jpg") {
		t.Fatalf("panel:\n%s", got)
	}
	test.Tap(uitest.FindButton(t, m.side, "核对草稿"))
	u.Wait()
	if !m.scan.Reviewing() || !m.scan.ScanLoaded() {
		t.Fatal("the review did not open")
	}
	first, cur, walk := m.scan.Current()
	if walk == 0 || cur != 1 || !strings.Contains(mapSide(m), "第 1 /") {
		t.Fatalf("%d houses to check; panel:\n%s", walk, mapSide(m))
	}
	if m.canvas.Overlay().Empty() {
		t.Error("the proposal is not drawn over the map")
	}
	if pv := m.canvas.Style().Preview; pv == nil || pv.Image == nil || pv.Layer.ImageHash != img.Hash {
		t.Error("the scan is not shown under the proposal")
	}
	es := entries(m)
	if len(es) != 2 {
		t.Fatalf("%d entries in the panel", len(es))
	}
	es[1].SetText("777")
	es[1].OnSubmitted("777")
	u.Wait()
	if !strings.Contains(mapSide(m), "第 2 /") && walk > 1 {
		t.Errorf("Enter did not go on to the next house:\n%s", mapSide(m))
	}
	kept, _, err := scantrace.Load(ctx, s, v.ID)
	if err != nil || kept.Houses[first].Number != "777" || kept.Houses[first].Doubtful {
		t.Fatalf("the typed number was not kept in the draft: %+v, %v", kept.Houses[first], err)
	}

	test.Tap(uitest.FindButton(t, m.side, "全部接受"))
	if !strings.Contains(m.status.Text, "比例尺") || len(m.v().Houses) != 0 {
		t.Fatalf("accepted without a scale: %q, %d houses", m.status.Text, len(m.v().Houses))
	}
	// While no scale is known the scan is previewed at a scale guessed
	// from its houses' size (12 m a house), not at 1 px a metre.
	pv := m.canvas.Style().Preview
	if pv == nil || pv.Layer.MetresPerPx > 0.5 || pv.Layer.MetresPerPx < 0.1 {
		t.Fatalf("preview at %+v m a pixel, want a guess near the sheet's 1/4.2", pv)
	}
	// The scale measured on the scan: two points 420 px apart on it are
	// 100 m apart.
	test.Tap(uitest.FindButton(t, m.side, "在扫描图上量比例尺"))
	if pv = m.canvas.Style().Preview; pv == nil {
		t.Fatal("the scan went away while measuring on it")
	}
	mapTap(m, pv.Layer.ImageToWorld(maps.Point{X: 100, Y: 50}))
	mapTap(m, pv.Layer.ImageToWorld(maps.Point{X: 520, Y: 50}))
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no distance dialog")
	}
	test.Type(dialogEntry(t, top), "100")
	test.Tap(uitest.DialogButton(t, top, "确定"))
	u.Wait()
	if got := entries(m)[0].Text; got != "4.2" || !m.scan.Reviewing() {
		t.Fatalf("measured scale %q, reviewing %v; panel:\n%s", got, m.scan.Reviewing(), mapSide(m))
	}
	if b := m.v().Base; b != nil {
		t.Fatalf("measuring on the draft's scan changed the map's base layer: %+v", b)
	}
	test.Tap(uitest.FindButton(t, m.side, "全部接受"))
	u.Wait()
	if got := len(m.v().Houses); got != len(d.Houses) || m.v().Base == nil || m.v().Base.ImageHash != img.Hash {
		t.Fatalf("%d houses of %d, base %+v", got, len(d.Houses), m.v().Base)
	}
	if m.scan.HasDraft() {
		t.Error("the draft stayed after accepting")
	}
	if m.canvas.Style().Preview != nil {
		t.Error("the preview stayed over the accepted base map")
	}
	if _, err := s.TraceDraft(ctx, v.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the stored draft stayed: %v", err)
	}
	if stored := mapStored(t, u, "新庄村"); len(stored.Houses) != len(d.Houses) {
		t.Errorf("%d houses saved", len(stored.Houses))
	}
	found := false
	for _, h := range m.v().Houses {
		found = found || h.Number == "777"
	}
	if !found {
		t.Error("the typed number is not on the map")
	}
	test.Tap(uitest.FindButton(t, m.root.(*fyne.Container), "撤销"))
	u.Wait()
	if len(m.v().Houses) != 0 || m.v().Base != nil {
		t.Errorf("one undo left %d houses, base %+v", len(m.v().Houses), m.v().Base)
	}
}

// 放弃草稿 asks first, then drops the draft and its scan; the map keeps
// what it had.
func TestMapeditDropTraceDraft(t *testing.T) {
	ctx := context.Background()
	s := uitest.Fixture(t, 0)
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "maps", "trace", "testdata", "sheet-3.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := scantrace.Trace(ctx, data, 4.2, nil)
	if err != nil {
		t.Fatal(err)
	}
	img := tr.Image
	v, _, err := scantrace.Save(ctx, s, "北庄村", "sheet-3.jpg", tr)
	if err != nil {
		t.Fatal(err)
	}
	u, w, m := openMap(t, s)
	m.village.SetSelected("北庄村")
	u.Wait()
	before := len(m.v().Houses)
	test.Tap(uitest.FindButton(t, m.root.(*fyne.Container), "底图"))
	test.Tap(uitest.FindButton(t, m.side, "核对草稿"))
	u.Wait()
	if pv := m.canvas.Style().Preview; pv == nil || pv.Layer.Origin.X <= 0 {
		t.Errorf("a village with houses previews the scan beside them: %+v", pv)
	}
	test.Tap(uitest.FindButton(t, m.side, "放弃草稿"))
	if !m.scan.HasDraft() {
		t.Fatal("dropped without asking")
	}
	test.Tap(uitest.ButtonIn(w.Canvas().Overlays().Top(), "删除"))
	u.Wait()
	if m.scan.HasDraft() || m.canvas.Style().Preview != nil || len(m.v().Houses) != before {
		t.Fatalf("draft %v, preview %v, %d houses (were %d)", m.scan.HasDraft(), m.canvas.Style().Preview, len(m.v().Houses), before)
	}
	if _, err := s.TraceDraft(ctx, v.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the stored draft stayed: %v", err)
	}
	if ok, _ := s.HasBlob(ctx, img.Hash); ok {
		t.Error("the thrown-away scan stayed")
	}
}

// A damaged draft (another program wrote the row) is said when the
// village opens, and the map opens as it is, with nothing to review.
func TestMapeditDamagedTraceDraft(t *testing.T) {
	ctx := context.Background()
	s := uitest.Fixture(t, 0)
	v, err := s.VillageByName(ctx, "北庄村")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveTraceDraft(ctx, store.TraceDraft{VillageID: v.ID, ImageHash: "x", Proposal: []byte(`{"houses":[{"px":[1e300,0]}]}`)}, []byte("scan")); err != nil {
		t.Fatal(err)
	}
	u, w, m := openMap(t, s)
	m.village.SetSelected("北庄村")
	u.Wait()
	if m.ed == nil || len(m.v().Houses) == 0 || m.scan.HasDraft() {
		t.Fatalf("map %v, draft %v", m.ed != nil, m.scan.HasDraft())
	}
	top := w.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(uitest.Shown(top), "识别扫描图没有成功") {
		t.Fatal("the damaged draft was not said")
	}
}

// A photo of the sheet laid under a village as its base map is traced
// from 识别当前底图; the officer then clicks the sheet's four corners
// on it in any order (fewer are refused, nothing changes), and it is
// traced again flattened from them: clicking the corners of the sheet's
// top half gives a draft of that half.
func TestMapeditTraceCornersClicked(t *testing.T) {
	if _, err := sheetgen.FindFont(); errors.Is(err, sheetgen.ErrNoFont) {
		t.Skipf("skipped: %v", err)
	}
	ctx := context.Background()
	s := uitest.Fixture(t, 0)
	sheet, err := sheetgen.Generate(2, sheetgen.Options{Houses: 30, PageW: 620, PageH: 860})
	if err != nil {
		t.Fatal(err)
	}
	ph, err := sheetgen.PhotoOf(sheet, 2, sheetgen.PhotoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	img, err := maps.DecodeBaseImage(ph.JPEG, 0)
	if err != nil {
		t.Fatal(err)
	}
	v := store.Village{Name: "照片村"}
	if err := s.Save(ctx, &v); err != nil {
		t.Fatal(err)
	}
	if err := s.PutBlob(ctx, img.Hash, ph.JPEG); err != nil {
		t.Fatal(err)
	}
	layer := img.Layer(0.6)
	if err := mapdata.SaveChanges(ctx, s, v.ID, &maps.Village{Base: &layer}, edit.DirtySet{Village: true}); err != nil {
		t.Fatal(err)
	}
	u, w, m := openMap(t, s)
	m.village.SetSelected("照片村")
	u.Wait()
	test.Tap(uitest.FindButton(t, m.root.(*fyne.Container), "底图"))
	test.Tap(uitest.FindButton(t, m.side, "识别当前底图"))
	u.Wait()
	if !m.scan.Reviewing() || !strings.Contains(mapSide(m), "自动找到并拉正") {
		t.Fatalf("reviewing %v; panel:\n%s", m.scan.Reviewing(), mapSide(m))
	}
	picker := func() (fyne.CanvasObject, fyne.Tappable) {
		test.Tap(uitest.FindButton(t, m.side, "手动点出纸的四角"))
		u.Wait()
		top := w.Canvas().Overlays().Top()
		if top == nil {
			t.Fatal("no corner dialog")
		}
		var p fyne.Tappable
		uitest.WalkRendered(top, func(o fyne.CanvasObject) bool {
			if tp, ok := o.(fyne.Tappable); ok && fmt.Sprintf("%T", o) == "*mapscan.cornerPicker" {
				p = tp
			}
			return true
		})
		if p == nil {
			t.Fatal("no photo to click in the corner dialog")
		}
		return top, p
	}
	tapCorner := func(p fyne.Tappable, c sheetgen.Pt) {
		size := p.(fyne.CanvasObject).Size()
		sc := min(size.Width/float32(img.Width), size.Height/float32(img.Height))
		x0, y0 := (size.Width-float32(img.Width)*sc)/2, (size.Height-float32(img.Height)*sc)/2
		p.Tapped(&fyne.PointEvent{Position: fyne.NewPos(x0+float32(c[0])*sc, y0+float32(c[1])*sc)})
	}
	before, _, err := scantrace.Load(ctx, s, v.ID)
	if err != nil || before == nil {
		t.Fatalf("no draft after tracing the base map: %v", err)
	}

	top, p := picker()
	tapCorner(p, ph.Corners[0])
	tapCorner(p, ph.Corners[2])
	test.Tap(uitest.DialogButton(t, top, "按四角重新识别"))
	u.Wait()
	if !strings.Contains(m.status.Text, "四个角") {
		t.Errorf("two corners were not refused: %q", m.status.Text)
	}
	if again, _, _ := scantrace.Load(ctx, s, v.ID); again.Width != before.Width || len(again.Houses) != len(before.Houses) {
		t.Fatal("two corners changed the draft")
	}

	// The top half of the sheet, clicked in another order: the draft is
	// that half flattened, half as tall for its width as the whole.
	c := ph.Corners
	mid := func(a, b sheetgen.Pt) sheetgen.Pt { return sheetgen.Pt{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2} }
	half := [4]sheetgen.Pt{c[0], c[1], mid(c[1], c[2]), mid(c[0], c[3])}
	top, p = picker()
	for _, i := range []int{2, 0, 3, 1} {
		tapCorner(p, half[i])
	}
	test.Tap(uitest.DialogButton(t, top, "按四角重新识别"))
	u.Wait()
	d, _, err := scantrace.Load(ctx, s, v.ID)
	if err != nil || d == nil {
		t.Fatalf("no draft after tracing from the corners: %v", err)
	}
	whole, got := float64(before.Height)/float64(before.Width), float64(d.Height)/float64(d.Width)
	if got < 0.4*whole || got > 0.6*whole {
		t.Errorf("the draft is %d×%d, the whole sheet's %d×%d: not the clicked half", d.Width, d.Height, before.Width, before.Height)
	}
	if len(d.Houses) < 8 || len(d.Houses) > 22 {
		t.Errorf("%d houses on the top half of a sheet of 30 (the whole: %d)", len(d.Houses), len(before.Houses))
	}
	if !m.scan.Reviewing() || !strings.Contains(mapSide(m), "按你点的四角") {
		t.Errorf("reviewing %v; panel:\n%s", m.scan.Reviewing(), mapSide(m))
	}
}
