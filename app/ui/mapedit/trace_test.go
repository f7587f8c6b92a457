package mapedit

import (
	"context"
	"errors"
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
	"cunjing/store"
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
	// The scale measured on the scan: two points 420 px apart on it (it
	// lies at 1 px a metre while no scale is known) are 100 m apart.
	test.Tap(uitest.FindButton(t, m.side, "在扫描图上量比例尺"))
	if m.canvas.Style().Preview == nil {
		t.Fatal("the scan went away while measuring on it")
	}
	mapTap(m, maps.Point{X: 100, Y: -50})
	mapTap(m, maps.Point{X: 520, Y: -50})
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
