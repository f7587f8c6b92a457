package mapedit

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/kit/wrap"
	"cunjing/app/ui/mapedit/mapprint"
	"cunjing/app/ui/uitest"
	"cunjing/maps"
	"cunjing/maps/lanenet"
	"cunjing/print"
	"cunjing/print/platetest"
)

// 门牌 on the map: with a house selected, the dialog offers it; saving
// (through the save seam) writes its plate, whose QR code reads back as
// that house, records the print and says where the file is. The whole
// village goes on A4 stickers; a lane not picked, numbers that do not read
// and a village with no renumbered house are refused in Chinese, with
// nothing written.
func TestMapeditPlates(t *testing.T) {
	u, w, m := mapOpen(t, "北庄村")
	dir := t.TempDir()
	var asked []string
	next := filepath.Join(dir, "plate.pdf")
	m.savePath = func(name string, then func(path string)) {
		asked = append(asked, name)
		then(next)
	}
	v := m.v()
	var house *maps.House
	for i := range v.Houses {
		if v.Houses[i].Number != "" {
			house = &v.Houses[i]
			break
		}
	}
	m.selectFeature(house.ID, maps.FeatHouse)

	// The button says what it does, as its dialog is named (门牌 beside
	// 编门牌 read as a second way to number the houses).
	if m.platesBtn.Text != "打印门牌" {
		t.Errorf("the button opening 打印门牌 says %q", m.platesBtn.Text)
	}
	test.Tap(m.platesBtn)
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("打印门牌 opened no dialog")
	}
	shown := dialogText(top)
	for _, want := range []string{"打印门牌", "全村", "选中的房子（" + house.Number + "）", "A4 贴纸", "CJ1|村名|门牌号|警务室电话"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the dialog lacks %q:\n%s", want, shown)
		}
	}
	test.Tap(uitest.DialogButton(t, top, "保存为 PDF…"))
	u.Wait()
	if len(asked) != 1 || asked[0] != "北庄村门牌.pdf" {
		t.Errorf("save seam asked %v", asked)
	}
	data, err := os.ReadFile(next)
	if err != nil {
		t.Fatalf("no PDF: %v (status %q)", err, m.status.Text)
	}
	pages := platetest.Render(t, data, 100)
	if len(pages) != 1 {
		t.Fatalf("%d pages for the selected house, want 1", len(pages))
	}
	got, err := platetest.Decode(pages[0], platetest.MM(130, 15, 75, 110, 100))
	if err != nil {
		t.Fatal(err)
	}
	if _, number, _, err := print.ParsePlatePayload(got); err != nil || number != house.Number {
		t.Errorf("QR %q (%v), want house %s", got, err, house.Number)
	}
	if saved := uitest.Shown(w.Canvas().Overlays().Top()); !strings.Contains(saved, next) || !strings.Contains(saved, "门牌 1 张") {
		t.Errorf("ShowSaved says %q", saved)
	}
	recs, err := u.Store().PrintRecords(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Kind != "plates" || recs[0].Size != "20x12" || recs[0].Copies != 1 {
		t.Fatalf("print records %+v", recs)
	}

	// The whole village on A4 stickers, 10 a sheet.
	stickers := filepath.Join(dir, "stickers.pdf")
	m.printer.PrintPlates(stickers, mapprint.PlatesChoice{Scope: mapprint.PlatesVillage, Size: print.PlateStickers})
	u.Wait()
	numbered := 0
	for _, h := range v.Houses {
		if h.Number != "" {
			numbered++
		}
	}
	if _, err := os.Stat(stickers); err != nil {
		t.Fatalf("no sticker PDF: %v (%s)", err, uitest.Shown(w.Canvas().Overlays().Top()))
	}
	if out, err := exec.Command("pdfinfo", stickers).Output(); err == nil {
		want := fmt.Sprintf("Pages:           %d\n", (numbered+print.PlatesPerSheet-1)/print.PlatesPerSheet)
		if !strings.Contains(string(out), want) {
			t.Errorf("stickers of %d houses: want %q:\n%s", numbered, want, out)
		}
	}

	// Refusals: in Chinese, nothing written, nothing recorded.
	for _, c := range []struct {
		choice mapprint.PlatesChoice
		say    string
	}{
		{mapprint.PlatesChoice{Scope: mapprint.PlatesLane, Size: print.Plate20x12}, "请选一条巷道"},
		{mapprint.PlatesChoice{Scope: mapprint.PlatesNumbers, Size: print.Plate20x12}, "请填写门牌号"},
		{mapprint.PlatesChoice{Scope: mapprint.PlatesNumbers, Houses: "1..x", Size: print.Plate20x12}, "门牌号写得不对"},
		{mapprint.PlatesChoice{Scope: mapprint.PlatesNumbers, Houses: "9999", Size: print.Plate20x12}, "门牌号写得不对"},
		{mapprint.PlatesChoice{Scope: mapprint.PlatesVillage, List: true, Size: print.Plate20x12}, "没有门牌号改过的房子"},
	} {
		bad := filepath.Join(dir, "bad.pdf")
		m.printer.PrintPlates(bad, c.choice)
		u.Wait()
		if _, err := os.Stat(bad); err == nil {
			t.Errorf("%+v: a file was written", c.choice)
		}
		if say := uitest.Shown(w.Canvas().Overlays().Top()); !strings.Contains(say, c.say) {
			t.Errorf("%+v: the window says %q, want %q", c.choice, say, c.say)
		}
	}
	if recs, _ := u.Store().PrintRecords(context.Background()); len(recs) != 2 {
		t.Errorf("%d print records, want 2", len(recs))
	}

	// 东河村's house 203 was 118: the list of plates to replace.
	m.village.SetSelected("东河村")
	u.Wait()
	list := filepath.Join(dir, "list.pdf")
	m.printer.PrintPlates(list, mapprint.PlatesChoice{Scope: mapprint.PlatesVillage, List: true, Size: print.Plate20x12})
	u.Wait()
	if _, err := os.Stat(list); err != nil {
		t.Fatalf("no list: %v (%s)", err, uitest.Shown(w.Canvas().Overlays().Top()))
	}
	if out, err := exec.Command("pdftotext", "-layout", list, "-").Output(); err == nil {
		if !strings.Contains(string(out), "118") || !strings.Contains(string(out), "203") || !strings.Contains(string(out), "王建国") {
			t.Errorf("the list lacks 118 → 203 王建国:\n%s", out)
		}
	}
}

// dialogText is what a dialog shows: its labels and buttons, with the
// choices of its radio groups and the words of its check boxes.
func dialogText(o fyne.CanvasObject) string {
	var out []string
	uitest.WalkRendered(o, func(o fyne.CanvasObject) bool {
		if !o.Visible() {
			return false
		}
		switch v := o.(type) {
		case *widget.Label:
			out = append(out, v.Text)
		case *wrap.Label:
			out = append(out, v.Raw())
		case *widget.Button:
			out = append(out, v.Text)
		case *widget.RadioGroup:
			out = append(out, v.Options...)
		case *widget.Check:
			out = append(out, v.Text)
		default:
			return true
		}
		return false
	})
	return strings.Join(out, "\n")
}

// In the dialog, picking a lane or typing numbers chooses them, and
// saving prints just those houses.
func TestMapeditPlatesDialogLane(t *testing.T) {
	u, w, m := mapOpen(t, "北庄村")
	path := filepath.Join(t.TempDir(), "lane.pdf")
	m.savePath = func(_ string, then func(string)) { then(path) }
	test.Tap(m.platesBtn)
	top := w.Canvas().Overlays().Top()
	var lane *widget.Select
	var entry *widget.Entry
	uitest.WalkRendered(top, func(o fyne.CanvasObject) bool {
		switch v := o.(type) {
		case *widget.Select:
			lane = v
		case *kit.Entry:
			entry = &v.Entry
		case *widget.Entry:
			entry = v
		default:
			return true
		}
		return false
	})
	if lane == nil || entry == nil || len(lane.Options) == 0 {
		t.Fatal("no lane list or number entry in the dialog")
	}
	test.Type(entry, "1..3")
	lane.SetSelected(lane.Options[0]) // the lane wins: it was chosen last
	test.Tap(uitest.DialogButton(t, top, "保存为 PDF…"))
	u.Wait()
	want := 0
	lanes := lanenet.HouseLanes(m.v())
	for i, h := range m.v().Houses {
		if h.Number != "" && lanes[i] >= 0 && m.v().Lanes[lanes[i]].Name == lane.Options[0] {
			want++
		}
	}
	recs, err := u.Store().PrintRecords(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want == 0 || len(recs) != 1 || recs[0].Copies != int64(want) {
		t.Fatalf("lane %s has %d numbered houses; print records %+v (%s)", lane.Options[0], want, recs, uitest.Shown(w.Canvas().Overlays().Top()))
	}
}

// 打印门牌 fits an old 1366×768 screen with a taskbar (about 700 px of
// window, less its title): its least height, with every choice shown (a
// house selected, the lanes, the sizes, the note), is at most 560 px, so
// its 保存为 PDF… and 取消 stay on screen. It was 660.
func TestMapeditPlatesDialogFitsAnOldScreen(t *testing.T) {
	_, w, m := mapOpen(t, "北庄村")
	w.Resize(fyne.NewSize(1366, 700))
	v := m.v()
	for i := range v.Houses {
		if v.Houses[i].Number != "" {
			m.selectFeature(v.Houses[i].ID, maps.FeatHouse)
			break
		}
	}
	test.Tap(m.platesBtn)
	top, ok := w.Canvas().Overlays().Top().(*widget.PopUp)
	if !ok {
		t.Fatalf("打印门牌 opened %T", w.Canvas().Overlays().Top())
	}
	shown := dialogText(top)
	for _, want := range []string{"一条巷道：", "这些门牌号：", "30×20 厘米", "门牌更换清单", "CJ1|村名|门牌号|警务室电话", "保存为 PDF…"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the dialog lacks %q:\n%s", want, shown)
		}
	}
	if h := top.Content.Size().Height; h > 560 {
		t.Errorf("打印门牌 is %.0f px tall, want at most 560", h)
	}
	if wd := top.Content.Size().Width; wd > 700 {
		t.Errorf("打印门牌 is %.0f px wide", wd)
	}
}
