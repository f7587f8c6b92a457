package mapsheet

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"cunjing/maps"
	"cunjing/maps/render"
	"cunjing/maps/synth"
	"cunjing/print/printtest"
	"cunjing/print/typeset"
)

var keep = flag.String("keep", "", "directory to write the sample PDFs into, for looking at them")

func village(t testing.TB, n int) *maps.Village {
	t.Helper()
	v, err := synth.Village(1, n)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var day = time.Date(2026, 11, 24, 0, 0, 0, 0, time.Local)

func write(t *testing.T, name string, v *maps.Village, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePDF(context.Background(), &buf, printtest.Font(t), v, opt); err != nil {
		t.Fatal(err)
	}
	if *keep != "" {
		if err := os.WriteFile(filepath.Join(*keep, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestPlanChoices(t *testing.T) {
	small := village(t, 60)
	p, err := MakePlan(small, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Tiles != 1 || p.Paper != "A4" {
		t.Errorf("small village: %+v, want one A4 sheet", p)
	}
	big := village(t, 3000)
	p, err = MakePlan(big, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Tiles < 2 || p.Paper != "A4" {
		t.Errorf("3000 houses: %+v, want tiled on A4", p)
	}
	// Legible: the median house's short side is at least minHouseMM.
	if med := medianShort(big); med*1000/float64(p.Scale) < minHouseMM {
		t.Errorf("1:%d prints a %.1f m house at %.1f mm", p.Scale, med, med*1000/float64(p.Scale))
	}
	// Forcing a small scale makes it fit one A3 sheet.
	p, err = MakePlan(big, Options{Paper: PaperA3, Scale: 5000})
	if err != nil {
		t.Fatal(err)
	}
	if p.Tiles != 1 || p.Paper != "A3" || p.Scale != 5000 {
		t.Errorf("forced A3 1:5000: %+v", p)
	}
	if _, err := MakePlan(&maps.Village{}, Options{}); err != ErrEmpty {
		t.Errorf("empty village: %v", err)
	}
	if _, err := MakePlan(small, Options{Paper: "Letter"}); err == nil {
		t.Error("unknown paper accepted")
	}
	if _, err := MakePlan(big, Options{Scale: 200}); err == nil {
		t.Error("1:200 of 3000 houses should need too many pages")
	}
}

func TestSingleSheet(t *testing.T) {
	v := village(t, 320)
	opt := Options{Post: "城关派出所东街警务室", Date: day}
	pdf := write(t, "single.pdf", v, opt)
	txt := pdftotext(t, pdf)
	for _, want := range []string{v.Name + "房屋分布图", "城关派出所东街警务室", "2026年11月24日", "比例尺 1:", "房屋索引", "门牌号", "户主", "消防车可通行", "坑塘"} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	// Every householder is in the index, next to their number.
	for _, h := range v.Houses[:20] {
		if h.Name != "" && !strings.Contains(txt, h.Name) {
			t.Errorf("householder %s of %s missing", h.Name, h.Number)
		}
	}
}

// TestRareCharactersInLabels: a lane, landmark or householder named with
// 𠮷 (beyond U+FFFF) stopped the map sheet with index out of range [65536]
// from gofpdf (the map's labels are set straight on the page); 㙟 (not in
// wqy-microhei) printed as nothing. They are drawn as outlines now, and
// the PDF's text still gives the names whole.
func TestRareCharactersInLabels(t *testing.T) {
	v := village(t, 120)
	for i := range v.Lanes {
		v.Lanes[i].Name = "𠮷㙟" + v.Lanes[i].Name
	}
	for i := range v.Landmarks {
		v.Landmarks[i].Name = "㙟" + v.Landmarks[i].Name
	}
	v.Houses[0].Name = "欧阳䶮𠮷㙟"
	txt := pdftotext(t, write(t, "rare.pdf", v, Options{Post: "城关派出所东街警务室", Date: day}))
	if !strings.Contains(txt, "欧阳䶮𠮷㙟") {
		t.Error("the index lacks 欧阳䶮𠮷㙟")
	}
	lanes := 0
	for _, l := range v.Lanes {
		if strings.Contains(txt, l.Name) {
			lanes++
		}
	}
	if lanes == 0 || strings.Contains(txt, string(typeset.Geta)) {
		t.Errorf("%d of %d lane names in the text whole; 〓 in the text: %v", lanes, len(v.Lanes), strings.Contains(txt, string(typeset.Geta)))
	}
}

func TestTiledSheet(t *testing.T) {
	v := village(t, 3000)
	p, err := MakePlan(v, Options{})
	if err != nil {
		t.Fatal(err)
	}
	pdf := write(t, "tiled.pdf", v, Options{Post: "城关派出所", Date: day})
	txt := pdftotext(t, pdf)
	if !strings.Contains(txt, "图幅索引") || !strings.Contains(txt, "第2页") {
		t.Error("tiled sheet lacks its page index")
	}
	if !strings.Contains(txt, "接 ") {
		t.Error("tiles do not name their neighbours")
	}
	pages := strings.Count(txt, "\f")
	if pages < p.Tiles+2 {
		t.Errorf("%d pages for %d tiles plus index and house list", pages, p.Tiles)
	}
}

func TestRouteAndHighlight(t *testing.T) {
	v := village(t, 320)
	stop := v.Lanes[0].Points[1]
	opt := Options{Date: day, Highlight: []string{v.Houses[5].ID}, NoIndex: true, Route: &render.RouteOverlay{
		Drive: v.Lanes[0].Points[:2], Hose: []maps.Point{stop, v.Houses[5].Polygon.Centroid()}, Stop: &stop,
	}}
	txt := pdftotext(t, write(t, "route.pdf", v, opt))
	if !strings.Contains(txt, "消防车路线") || !strings.Contains(txt, "停车点") {
		t.Error("route legend missing")
	}
	if strings.Contains(txt, "房屋索引") {
		t.Error("NoIndex still printed the index")
	}
}

func TestWritePDFErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePDF(context.Background(), &buf, nil, village(t, 20), Options{}); err == nil {
		t.Error("nil font accepted")
	}
	if err := WritePDF(context.Background(), &buf, printtest.Font(t), nil, Options{}); err == nil {
		t.Error("nil village accepted")
	}
}

func medianShort(v *maps.Village) float64 {
	var s []float64
	for _, h := range v.Houses {
		b := h.Polygon.Bounds()
		s = append(s, min(b.W(), b.H()))
	}
	slices.Sort(s)
	return s[len(s)/2]
}

// A cancelled print stops between pages with the context's error.
func TestWritePDFCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	if err := WritePDF(ctx, &buf, printtest.Font(t), village(t, 20), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
