package print

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"cunjing/print/platetest"
	"cunjing/print/printtest"
	"cunjing/print/typeset"
)

func TestPlatePayload(t *testing.T) {
	for _, c := range []struct {
		village, number, phone, want string
	}{
		{"张庄村", "203", "0371-1234567", "CJ1|张庄村|203|0371-1234567"},
		{"张庄村", "203-1", "138 1234 5678", "CJ1|张庄村|203-1|13812345678"},
		{" 张庄村 ", "7", "", "CJ1|张庄村|7|"},
		{"张|庄", "1|2", "110", "CJ1|张｜庄|1｜2|110"},
	} {
		got := PlatePayload(c.village, c.number, c.phone)
		if got != c.want {
			t.Errorf("PlatePayload(%q, %q, %q) = %q, want %q", c.village, c.number, c.phone, got, c.want)
		}
		v, n, p, err := ParsePlatePayload(got)
		if err != nil || v != strings.TrimSpace(strings.ReplaceAll(c.village, "|", "｜")) || n != strings.ReplaceAll(c.number, "|", "｜") || p != strings.ReplaceAll(c.phone, " ", "") {
			t.Errorf("ParsePlatePayload(%q) = %q %q %q %v", got, v, n, p, err)
		}
	}
	for _, bad := range []string{"", "CJ1|张庄村|203", "CJ2|张庄村|203|110", "CJ1||203|110", "CJ1|张庄村||110", "CJ1|a|b|c|d"} {
		if _, _, _, err := ParsePlatePayload(bad); err == nil {
			t.Errorf("ParsePlatePayload(%q) accepted", bad)
		}
	}
}

// A scanned plate code is outside input: whatever it is, reading it never
// panics, and what it accepts writes back to the same text.
func FuzzParsePlatePayload(f *testing.F) {
	for _, s := range []string{"CJ1|张庄村|203|110", "CJ1|张庄村|203-1|", "CJ1|||", "|||", "CJ1|a|b|c|d", "CJ1|张庄村|203|0371 1234567"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, n, p, err := ParsePlatePayload(s)
		if err != nil {
			return
		}
		if v == "" || n == "" || strings.Contains(v+n+p, "|") {
			t.Fatalf("%q accepted as %q %q %q", s, v, n, p)
		}
		plain := strings.TrimSpace(v) == v && strings.TrimSpace(n) == n && strings.Join(strings.Fields(p), "") == p
		if back := PlatePayload(v, n, p); plain && back != s {
			t.Fatalf("%q read as %q %q %q, written back as %q", s, v, n, p, back)
		}
	})
}

func TestParsePlateSize(t *testing.T) {
	for in, want := range map[string]string{
		"20x12": "20x12", "20×12": "20x12", "20X12": "20x12", "30x20": "30x20", " 30*20 ": "30x20",
		"a4-stickers": "a4-stickers", "A4_stickers": "a4-stickers", "a4": "a4-stickers",
	} {
		got, err := ParsePlateSize(in)
		if err != nil || got.Name != want {
			t.Errorf("ParsePlateSize(%q) = %q, %v; want %q", in, got.Name, err, want)
		}
	}
	for _, bad := range []string{"", "20x30", "A3", "12x20"} {
		if _, err := ParsePlateSize(bad); err == nil {
			t.Errorf("ParsePlateSize(%q) accepted", bad)
		}
	}
}

// plateRec records the texts a plate draws, with where they go.
type plateRec struct {
	m     *typeset.Metrics
	texts []recText
	qr    []string // the QR codes' payloads
}

type recText struct {
	s        string
	x, y, pt float64
	w        float64
}

func (r *plateRec) FillRect(float64, float64, float64, float64, color.RGBA)            {}
func (r *plateRec) StrokeRect(float64, float64, float64, float64, float64, color.RGBA) {}
func (r *plateRec) Line(float64, float64, float64, float64, float64, color.RGBA, bool) {}
func (r *plateRec) Image(string, image.Image, float64, float64, float64, float64)      {}
func (r *plateRec) Clip(float64, float64, float64, float64)                            {}
func (r *plateRec) Unclip()                                                            {}
func (r *plateRec) Width(s string, pt float64) float64                                 { return r.m.Width(s, pt) }
func (r *plateRec) Break(text string, pt, w float64) ([]string, bool) {
	return typeset.Break(r.m, text, pt, w)
}
func (r *plateRec) QR(payload string) (image.Image, string, error) {
	r.qr = append(r.qr, payload)
	return image.NewGray(image.Rect(0, 0, 1, 1)), "qr", nil
}
func (r *plateRec) Text(x, y, pt float64, _ Style, s string) {
	r.texts = append(r.texts, recText{s: s, x: x, y: y, pt: pt, w: r.m.Width(s, pt)})
}

// Long numbers shrink to fit: the number and its 号 stay inside the text
// column (left of the QR code) at every size, and 1203-12 is set smaller
// than 203 but still large.
func TestPlateNumberFits(t *testing.T) {
	font := printtest.Font(t)
	m, err := typeset.NewMetrics(font.TTF)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range PlateSizes() {
		b := plateLayout(size.W, size.H)
		var pts []float64
		for _, num := range []string{"7", "203", "1203-12", "88888888-8888"} {
			r := &plateRec{m: m}
			p := Plate{Village: "张庄村", Lane: "东西大街", Number: num, Old: "203", Post: "柳树村警务室", Phone: "13812345678"}
			if err := drawPlate(r, p, 0, 0, size.W, size.H, 0); err != nil {
				t.Fatalf("%s %s: %v", size.Name, num, err)
			}
			var numT, hao recText
			for _, tx := range r.texts {
				switch tx.s {
				case num:
					numT = tx
				case "号":
					hao = tx
				}
				if tx.x < 0 || tx.x+tx.w > size.W {
					t.Errorf("%s %s: %q runs off the plate (%.1f–%.1f of %.0f mm)", size.Name, num, tx.s, tx.x, tx.x+tx.w, size.W)
				}
			}
			if numT.s == "" || hao.s == "" {
				t.Fatalf("%s %s: number or 号 not drawn: %+v", size.Name, num, r.texts)
			}
			if right := hao.x + hao.w; right > b.left+b.lw+0.01 || numT.x < b.left {
				t.Errorf("%s %s: number spans %.1f–%.1f mm, its column %.1f–%.1f (the QR code starts at %.1f)",
					size.Name, num, numT.x, right, b.left, b.left+b.lw, b.qrX)
			}
			if em := numT.pt * PtMM; em > b.numH {
				t.Errorf("%s %s: number %.1f mm tall in a %.1f mm box", size.Name, num, em, b.numH)
			}
			pts = append(pts, numT.pt)
		}
		if !(pts[2] < pts[1]) {
			t.Errorf("%s: 1203-12 set at %.1f pt, 203 at %.1f: the long number did not shrink", size.Name, pts[2], pts[1])
		}
		if em := pts[2] * PtMM; em < size.H*0.15 {
			t.Errorf("%s: 1203-12 only %.1f mm tall", size.Name, em)
		}
	}
}

// plateDay is the print date of the plates' tests (print imports nothing
// of store, clocktest included).
var plateDay = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

func testPlates() []Plate {
	return []Plate{
		{Village: "张庄村", Lane: "东西大街", Number: "1", Post: "柳树村警务室", Phone: "13812345678"},
		{Village: "张庄村", Lane: "后街", Number: "203-1", Old: "203", Post: "柳树村警务室", Phone: "13812345678"},
		{Village: "张庄村", Number: "1203-12", Post: "柳树村警务室", Phone: "13812345678"},
	}
}

func writeTestPlates(t *testing.T, plates []Plate, size PlateSize) []byte {
	t.Helper()
	var buf bytes.Buffer
	created := plateDay
	if err := WritePlates(context.Background(), &buf, printtest.Font(t), plates, size, DocInfo{Created: created}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "t.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// Each plate of a sign maker's size is its own page: trim, 3 mm bleed,
// crop marks; every text comes back from pdftotext and every QR code,
// rendered and read as a phone would, holds the plate's payload.
func TestPlatesPDF(t *testing.T) {
	plates := testPlates()
	for _, size := range []PlateSize{Plate20x12, Plate30x20} {
		t.Run(size.Name, func(t *testing.T) {
			pdf := writeTestPlates(t, plates, size)
			text := pdfText(t, pdf)
			for _, want := range []string{"张庄村", "东西大街", "后街", "203-1", "原门牌 203", "1203-12", "号", "柳树村警务室", "138 1234 5678", "扫码核对门牌", "按角线裁切"} {
				if !strings.Contains(text, want) {
					t.Errorf("pdftotext lacks %q:\n%s", want, text)
				}
			}
			if strings.Count(text, "原门牌") != 1 {
				t.Errorf("原门牌 printed %d times, want once (only 203-1 changed)", strings.Count(text, "原门牌"))
			}
			checkPlateBoxes(t, pdf, size, len(plates))
			const dpi = 100
			pages := platetest.Render(t, pdf, dpi)
			if len(pages) != len(plates) {
				t.Fatalf("%d pages, want %d", len(pages), len(plates))
			}
			o := BleedMM + SlugMM
			for i, img := range pages {
				b := plateLayout(size.W, size.H)
				got, err := platetest.Decode(img, platetest.MM(o+b.qrX-2, o+b.qrY-2, b.qrS+4, b.qrS+4, dpi))
				if err != nil {
					t.Fatalf("page %d: %v", i+1, err)
				}
				if want := PlatePayload("张庄村", plates[i].Number, "13812345678"); got != want {
					t.Errorf("page %d QR = %q, want %q", i+1, got, want)
				}
			}
		})
	}
}

// checkPlateBoxes reads TrimBox and BleedBox back with pdfinfo.
func checkPlateBoxes(t *testing.T, pdf []byte, size PlateSize, pages int) {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Log("pdfinfo missing: page boxes not checked")
		return
	}
	path := filepath.Join(t.TempDir(), "b.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", "-box", "-f", "1", "-l", fmt.Sprint(pages), path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	mm := func(v float64) string { return fmt.Sprintf("%.2f", v*72/25.4) }
	o := BleedMM + SlugMM
	want := map[string]string{
		"TrimBox:":  strings.Join([]string{mm(o), mm(o), mm(o + size.W), mm(o + size.H)}, " "),
		"BleedBox:": strings.Join([]string{mm(o - BleedMM), mm(o - BleedMM), mm(o + size.W + BleedMM), mm(o + size.H + BleedMM)}, " "),
	}
	seen := map[string]int{}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 7 && f[0] == "Page" && want[f[2]] != "" {
			if got := strings.Join(f[3:], " "); got != want[f[2]] {
				t.Errorf("page %s %s %s, want %s", f[1], f[2], got, want[f[2]])
			}
			seen[f[2]]++
		}
	}
	if seen["TrimBox:"] != pages || seen["BleedBox:"] != pages {
		t.Errorf("boxes on %v pages, want %d:\n%s", seen, pages, out)
	}
}

// The A4 sticker sheet holds PlatesPerSheet plates; the next one starts a
// new sheet; every sticker's QR code reads.
func TestPlateStickers(t *testing.T) {
	var plates []Plate
	for i := 1; i <= PlatesPerSheet+2; i++ {
		plates = append(plates, Plate{Village: "张庄村", Lane: "东西大街", Number: fmt.Sprint(i), Post: "柳树村警务室", Phone: "0371-1234567"})
	}
	plates[3].Number, plates[3].Old = "4-1", "4"
	pdf := writeTestPlates(t, plates, PlateStickers)
	text := pdfText(t, pdf)
	for _, want := range []string{"第 1 张 共 2 张", "第 2 张 共 2 张", "原门牌 4", "4-1", "12", "沿白线剪开"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
	const dpi = 150
	pages := platetest.Render(t, pdf, dpi)
	if len(pages) != 2 {
		t.Fatalf("%d sheets, want 2", len(pages))
	}
	size := PlateStickers
	ox, oy := (210-stickerCols*size.W)/2, (297-stickerRows*size.H)/2
	b := plateLayout(size.W, size.H)
	for i, p := range plates {
		img := pages[i/PlatesPerSheet]
		k := i % PlatesPerSheet
		x, y := ox+float64(k%stickerCols)*size.W, oy+float64(k/stickerCols)*size.H
		got, err := platetest.Decode(img, platetest.MM(x+b.qrX-1.5, y+b.qrY-1.5, b.qrS+3, b.qrS+3, dpi))
		if err != nil {
			t.Fatalf("sticker %s: %v", p.Number, err)
		}
		if want := PlatePayload("张庄村", p.Number, "0371-1234567"); got != want {
			t.Errorf("sticker %d QR = %q, want %q", i+1, got, want)
		}
	}
}

func TestPlatesRefused(t *testing.T) {
	if _, err := PlatePages(nil, Plate20x12); err == nil {
		t.Error("no plates accepted")
	}
	if _, err := PlatePages(testPlates(), PlateSize{}); err == nil {
		t.Error("no size accepted")
	}
	var buf bytes.Buffer
	err := WritePlates(context.Background(), &buf, printtest.Font(t), []Plate{{Village: "张庄村"}}, Plate20x12, DocInfo{})
	if err == nil || !strings.Contains(err.Error(), "without a number") {
		t.Errorf("plate without a number: %v", err)
	}
}

// The list of plates to replace: every row old → new with lane and
// householder, 25 rows a page, page numbers, the date it starts from.
func TestReplaceList(t *testing.T) {
	today := plateDay
	l := ReplaceList{Village: "张庄村", Post: "柳树村警务室", Since: today.AddDate(0, -1, 0), Printed: today}
	for i := 1; i <= 30; i++ {
		l.Rows = append(l.Rows, Replacement{Old: fmt.Sprint(200 + i), New: fmt.Sprintf("%d-1", 200+i), Lane: "东西大街", Householder: fmt.Sprintf("张%c", '甲'+rune(i))})
	}
	var buf bytes.Buffer
	if err := WriteReplaceList(context.Background(), &buf, printtest.Font(t), l, DocInfo{Created: today}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	for _, r := range l.Rows {
		for _, want := range []string{r.Old, r.New, r.Householder} {
			if !strings.Contains(text, want) {
				t.Errorf("list lacks %q", want)
			}
		}
	}
	for _, want := range []string{"门牌更换清单 · 张庄村", "门牌号变了的 30 户", l.Since.Format("2006-01-02") + " 以来", "第 1 页 共 2 页", "第 2 页 共 2 页", "已换"} {
		if !strings.Contains(text, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	if _, err := ReplaceListPages(ReplaceList{Village: "张庄村", Printed: time.Time{}}); err == nil {
		t.Error("empty list accepted")
	}
}

// 51 renumbered houses printed 25, 25 and then one row alone on a third
// page. The rows are shared out evenly over as few pages as hold them: no
// page has more than 25, none two fewer than another, and the 序号 run on
// from page to page.
func TestReplaceListPagesEven(t *testing.T) {
	m, err := typeset.NewMetrics(printtest.Font(t).TTF)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ rows, pages int }{{25, 1}, {26, 2}, {50, 2}, {51, 3}, {52, 3}, {76, 4}, {676, 28}} {
		l := ReplaceList{Village: "张庄村", Post: "柳树村警务室", Printed: plateDay}
		for i := 1; i <= c.rows; i++ {
			l.Rows = append(l.Rows, Replacement{Old: fmt.Sprint(i), New: fmt.Sprintf("%d-1", i), Lane: "东西大街", Householder: "张三"})
		}
		pages, err := ReplaceListPages(l)
		if err != nil {
			t.Fatal(err)
		}
		if len(pages) != c.pages {
			t.Errorf("%d rows: %d pages, want %d", c.rows, len(pages), c.pages)
		}
		least, most, next := c.rows, 0, 1
		for _, p := range pages {
			r := &plateRec{m: m}
			if err := p.Draw(r); err != nil {
				t.Fatal(err)
			}
			n := 0
			for i, tx := range r.texts {
				if tx.s == "→" {
					n++
					if i < 2 || r.texts[i-2].s != fmt.Sprint(next) {
						t.Errorf("%d rows: row %d is not numbered %d", c.rows, next, next)
					}
					next++
				}
			}
			least, most = min(least, n), max(most, n)
		}
		if most > 25 || most-least > 1 {
			t.Errorf("%d rows: pages hold %d to %d rows", c.rows, least, most)
		}
	}
}

// Numbers stored with 号 by older versions ('205号', '９９８号', from 改号
// before the form dropped it) are printed as the number and one 号: the
// plate said 205号号, its 原门牌, page label, QR code and the 门牌更换清单
// likewise.
func TestPlateNumberStoredWithHao(t *testing.T) {
	m, err := typeset.NewMetrics(printtest.Font(t).TTF)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		number, old      string
		wantNum, wantOld string
	}{
		{"205号", "", "205", ""},
		{"９９８号", "１２号", "998", "原门牌 12"},
		{"203-1", "203号", "203-1", "原门牌 203"},
		{" 7 号", "", "7", ""},
	} {
		t.Run(c.number, func(t *testing.T) {
			r := &plateRec{m: m}
			p := Plate{Village: "张庄村", Lane: "东西大街", Number: c.number, Old: c.old, Post: "柳树村警务室", Phone: "13812345678"}
			size := PlateSizes()[0]
			if err := drawPlate(r, p, 0, 0, size.W, size.H, 0); err != nil {
				t.Fatal(err)
			}
			var drawn []string
			for _, tx := range r.texts {
				drawn = append(drawn, tx.s)
			}
			hao := 0
			for _, s := range drawn {
				if strings.Contains(s, "号") && !strings.HasPrefix(s, "原门牌") {
					hao++
				}
			}
			if !slices.Contains(drawn, c.wantNum) || hao != 1 {
				t.Errorf("drawn %q: want the number %q and one 号", drawn, c.wantNum)
			}
			if c.wantOld != "" && !slices.Contains(drawn, c.wantOld) {
				t.Errorf("drawn %q: want %q", drawn, c.wantOld)
			}
			if want := PlatePayload("张庄村", c.wantNum, "13812345678"); len(r.qr) != 1 || r.qr[0] != want {
				t.Errorf("QR %q, want %q", r.qr, want)
			}
			pages, err := PlatePages([]Plate{p}, size)
			if err != nil {
				t.Fatal(err)
			}
			if want := "张庄村 " + c.wantNum; len(pages) != 1 || pages[0].Label != want {
				t.Errorf("page label %q, want %q", pages[0].Label, want)
			}
			l := ReplaceList{Village: "张庄村", Post: "柳树村警务室", Printed: plateDay,
				Rows: []Replacement{{Old: c.old, New: c.number, Lane: "东西大街", Householder: "张三"}}}
			rl, err := ReplaceListPages(l)
			if err != nil {
				t.Fatal(err)
			}
			lr := &plateRec{m: m}
			if err := rl[0].Draw(lr); err != nil {
				t.Fatal(err)
			}
			for i, tx := range lr.texts {
				if tx.s == "→" && (i+1 >= len(lr.texts) || lr.texts[i+1].s != c.wantNum) {
					t.Errorf("replacement list: %q after →, want %q", lr.texts[i+1].s, c.wantNum)
				}
				if strings.Contains(tx.s, "号号") || tx.s == c.old && strings.HasSuffix(c.old, "号") {
					t.Errorf("replacement list shows %q", tx.s)
				}
			}
		})
	}
}
