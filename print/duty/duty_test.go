package duty

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cunjing/print/fonts"
	"cunjing/print/printtest"

	"github.com/xuri/excelize/v2"
)

var lunarDays = []string{"初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
	"十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
	"廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十"}

// month builds December 2026 by hand: lunar 十月廿二 on 12-01, markets on
// 逢二、五、十, a daily patrol, a Monday/Friday school gate and a 24-hour
// duty in turn.
func month(days int) Table {
	heads := []string{"甲主任", "乙主任", "丙主任"}
	t := Table{Title: "东村警务室值班表", Period: "2026年12月", Footer: "东村警务室 0371-12345678",
		Contacts: []Person{{"王村警", "村警", "13800000001"}, {"李网格", "网格员", "13800000002"}, {"赵民警", "民警", "13800000003"},
			{"甲主任", "治保主任", "13800000004"}, {"乙主任", "治保主任", "13800000005"}, {"丙主任", "治保主任", "13800000006"}}}
	lunar := 21 // 十月廿二 is index 21
	for i := range days {
		date := time.Date(2026, 12, 1+i, 0, 0, 0, 0, time.UTC)
		ld := lunarDays[lunar%30]
		if lunar == 30 || lunar == 0 && i > 0 {
			ld = "冬月"
		}
		d := Day{Date: date, Lunar: ld}
		day := lunar%30 + 1
		if e := day % 10; e == 2 || e == 5 || e == 0 {
			d.Market = true
			d.Entries = append(d.Entries, Entry{Start: "08:00", End: "11:00", Rule: "逢集必巡", Team: "东村巡逻队", People: []string{"王村警", "李网格"}})
		}
		d.Entries = append(d.Entries, Entry{Start: "19:00", End: "21:00", Rule: "每日巡逻", Team: "东村巡逻队", People: []string{"王村警", "李网格"}, Alert: i == 8})
		if wd := date.Weekday(); wd == time.Monday || wd == time.Friday {
			d.Entries = append(d.Entries,
				Entry{Start: "07:00", End: "08:00", Rule: "护学岗", Team: "警务室", People: []string{"赵民警", "王村警"}},
				Entry{Start: "16:30", End: "17:30", Rule: "护学岗", Team: "警务室", People: []string{"赵民警", "王村警"}})
		}
		d.Entries = append(d.Entries, Entry{Start: "08:00", End: "08:00", Rule: "24小时值班", Team: "警务室", People: []string{heads[i%3]}})
		if date.Day() == 31 {
			d.Notes = []string{"元旦前夜加巡"}
		}
		t.Days = append(t.Days, d)
		lunar++
		if lunar == 30 { // 十月 of 2026 has 30 days
			lunar = 0
		}
	}
	return t
}

func font(t *testing.T) *fonts.Font {
	f, err := fonts.Find(os.Getenv("CUNJING_FONT"))
	if err != nil {
		t.Skipf("no CJK font on this machine (install fonts-wqy-microhei): %v", err)
	}
	return f
}

func pdfText(t *testing.T, pdf []byte) string {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	p := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(p, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestPDFMonth(t *testing.T) {
	f := font(t)
	var b bytes.Buffer
	if err := WritePDF(context.Background(), &b, f, month(31)); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("DUTY_PDF_OUT") != "" {
		if err := os.WriteFile(os.Getenv("DUTY_PDF_OUT"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	text := pdfText(t, b.Bytes())
	for _, want := range []string{"东村警务室值班表", "2026年12月", "12月1日 周二", "廿二", "冬月", "12月31日 周四", "逢集必巡", "护学岗",
		"24小时值班", "08:00起24小时", "甲主任", "138 0000 0003", "元旦前夜加巡", "联系电话", "集", "*"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	if n := strings.Count(text, "\f"); n != 1 {
		t.Errorf("%d pages for a month", n)
	}
}

func TestPDFWeekAndWideTable(t *testing.T) {
	f := font(t)
	week := month(7)
	week.Period = "2026年12月1日—7日"
	var b bytes.Buffer
	if err := WritePDF(context.Background(), &b, f, week); err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, b.Bytes()); !strings.Contains(text, "12月7日 周一") || strings.Contains(text, "12月8日") {
		t.Errorf("week PDF text:\n%s", text)
	}
	// A week of two-digit days (at a week's 11 pt) has each date on one
	// line, as the one-digit days have: "12月10日" above "周四" read as two
	// rows.
	late := month(13)
	late.Days = late.Days[6:]
	b.Reset()
	if err := WritePDF(context.Background(), &b, f, late); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b.Bytes())
	for _, want := range []string{"12月7日 周一", "12月10日 周四", "12月13日 周日"} {
		if !strings.Contains(text, want) {
			t.Errorf("week PDF does not have %q on one line:\n%s", want, text)
		}
	}
	// Twelve rules do not fit one page width: they continue on another page.
	wide := month(7)
	for i := range wide.Days {
		for k := range 12 {
			wide.Days[i].Entries = append(wide.Days[i].Entries, Entry{Start: fmt.Sprintf("%02d:00", 8+k), End: fmt.Sprintf("%02d:30", 8+k),
				Rule: fmt.Sprintf("巡逻%d", k+1), Team: "二队", People: []string{"某某"}})
		}
	}
	b.Reset()
	if err := WritePDF(context.Background(), &b, f, wide); err != nil {
		t.Fatal(err)
	}
	text = pdfText(t, b.Bytes())
	if n := strings.Count(text, "\f"); n < 2 {
		t.Errorf("wide table on %d page(s)", n)
	}
	for k := range 12 {
		if !strings.Contains(text, fmt.Sprintf("巡逻%d", k+1)) {
			t.Errorf("column 巡逻%d missing", k+1)
		}
	}
}

func TestBadTables(t *testing.T) {
	f := &fonts.Font{Name: "none", TTF: []byte("not a font")}
	two := month(2)
	two.Days[1].Date = two.Days[0].Date
	for name, tb := range map[string]Table{"empty": {Title: "x"}, "unordered": two} {
		if err := WritePDF(context.Background(), &bytes.Buffer{}, f, tb); err == nil {
			t.Errorf("%s: want an error", name)
		}
		if err := WriteXLSX(&bytes.Buffer{}, tb); err == nil {
			t.Errorf("%s xlsx: want an error", name)
		}
	}
	if err := WritePDF(context.Background(), &bytes.Buffer{}, nil, month(3)); err == nil {
		t.Error("no font: want an error")
	}
	if err := WritePDF(context.Background(), &bytes.Buffer{}, f, month(3)); err == nil {
		t.Error("broken font: want an error")
	}
}

func TestXLSX(t *testing.T) {
	var b bytes.Buffer
	if err := WriteXLSX(&b, month(31)); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); len(got) != 2 || got[0] != "值班表" || got[1] != "联系人" {
		t.Errorf("sheets %v", got)
	}
	rows, err := x.GetRows("值班表")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 33 || rows[2][0] != "2026-12-01" || rows[2][2] != "廿二" {
		t.Fatalf("rows: %d, first %v", len(rows), rows[2])
	}
	head := strings.Join(rows[1], "|")
	for _, want := range []string{"护学岗", "24小时值班", "逢集必巡", "每日巡逻", "备注"} {
		if !strings.Contains(head, want) {
			t.Errorf("header %q lacks %s", head, want)
		}
	}
	// 12-02 is 十月廿三? No: 12-01 廿二 → market; its market cell is filled.
	if rows[2][3] != "集" {
		t.Errorf("12-01 market mark: %q", rows[2][3])
	}
	if !strings.Contains(strings.Join(rows[10], "|"), "*") {
		t.Errorf("12-09 alert not marked: %v", rows[10])
	}
	ppl, err := x.GetRows("联系人")
	if err != nil || len(ppl) != 7 || ppl[3][2] != "13800000003" {
		t.Errorf("contacts %v %v", ppl, err)
	}
	style, err := x.GetCellStyle("值班表", "A3")
	if err != nil {
		t.Fatal(err)
	}
	st, err := x.GetStyle(style)
	if err != nil || len(st.Fill.Color) == 0 || st.Fill.Color[0] != "FFF3BF" {
		t.Errorf("market row fill: %+v %v", st, err)
	}
}

// The names that lost characters where gofpdf's SplitText wrapped a cell
// (赵保田 → "赵 / 田", 赵长江 → "赵长"): in narrow columns, weekly and
// monthly, every name comes out whole, as often as it was given.
func TestNamesWrapWhole(t *testing.T) {
	f := font(t)
	names := []string{"赵保田", "赵长江", "马志刚", "胡浩然", "欧阳秀英"}
	for _, days := range []int{7, 31} {
		tb := month(days)
		for i := range tb.Days {
			tb.Days[i].Entries = nil
			for k := range 7 {
				tb.Days[i].Entries = append(tb.Days[i].Entries, Entry{Start: fmt.Sprintf("%02d:00", 8+k), End: fmt.Sprintf("%02d:30", 8+k),
					Rule: fmt.Sprintf("巡逻%d", k+1), Team: "二队", People: names, Alert: k == 3})
			}
		}
		var b bytes.Buffer
		if err := WritePDF(context.Background(), &b, f, tb); err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, b.Bytes())
		for _, n := range names {
			if got := strings.Count(text, n); got != days*7 {
				t.Errorf("%d days: %q printed whole %d times, want %d", days, n, got, days*7)
			}
		}
		for _, line := range strings.Split(text, "\n") {
			if l := strings.TrimSpace(line); strings.HasPrefix(l, "、") {
				t.Errorf("%d days: a line starts with 、: %q", days, l)
				break
			}
		}
	}
}

// A month whose rows run just over the page — the Spring Festival week,
// whose notes take two lines (寒假（待核实）、春节（待核实）、春节休集) —
// printed its last day alone on a second page (2027-02-28 under a repeated
// title and header). It is set a little smaller and stays on one page; a
// month that cannot fit even then still continues, every day printed once,
// and its pages say 第 i 页 共 n 页 (they said 第1页, 第2页, …).
func TestMonthNoLoneRow(t *testing.T) {
	f := font(t)
	for _, c := range []struct {
		noted, pages int
	}{{6, 1}, {10, 1}, {31, 0}} { // 0: more than one page
		tb := month(28)
		if c.noted == 31 {
			tb = month(31)
			for i := range tb.Days {
				tb.Days[i].Notes = []string{"寒假（待核实）", "春节（待核实）", "春节休集", "元宵节（待核实）", "加强巡逻"}
			}
		} else {
			for i := range c.noted {
				tb.Days[i].Notes = []string{"寒假（待核实）", "春节（待核实）", "春节休集"}
			}
		}
		var b bytes.Buffer
		if err := WritePDF(context.Background(), &b, f, tb); err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, b.Bytes())
		if n := strings.Count(text, "\f"); n != c.pages && (c.pages != 0 || n < 2) {
			t.Errorf("%d days with notes: %d pages, want %d", c.noted, n, c.pages)
		}
		for _, d := range tb.Days {
			if got := strings.Count(text, dateLabel(d.Date)); got != 1 {
				t.Errorf("%d days with notes: %s printed %d times", c.noted, dateLabel(d.Date), got)
			}
		}
		// A table that runs over says so on every page; one page needs no
		// total.
		n := strings.Count(text, "\f")
		for i := 1; i <= n; i++ {
			want := fmt.Sprintf("第%d页 共%d页", i, n)
			if n == 1 {
				want = "第1页"
			}
			if !strings.Contains(text, want) || n == 1 && strings.Contains(text, "共1页") {
				t.Errorf("%d days with notes: page %d's footer does not say %s", c.noted, i, want)
			}
		}
	}
}

// A table that cannot be kept on one page filled each page and left the
// rest for the last: 19 days with four lines of notes each printed 9, 9
// and one day alone under a repeated title. The days are shared out evenly
// over the pages the table needs (7, 6 and 6).
func TestPagesShareTheDays(t *testing.T) {
	f := font(t)
	tb := month(19)
	for i := range tb.Days {
		tb.Days[i].Notes = []string{"寒假（待核实）", "春节（待核实）", "春节休集", "元宵节（待核实）", "加强巡逻"}
	}
	var b bytes.Buffer
	if err := WritePDF(context.Background(), &b, f, tb); err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(strings.TrimSuffix(pdfText(t, b.Bytes()), "\f"), "\f")
	least, most := len(tb.Days), 0
	for _, pg := range pages {
		n := 0
		for _, d := range tb.Days {
			n += strings.Count(pg, dateLabel(d.Date))
		}
		least, most = min(least, n), max(most, n)
	}
	if len(pages) < 2 || most-least > 1 {
		t.Errorf("%d pages holding %d to %d days", len(pages), least, most)
	}
}

// A week's table filled the top third of its landscape page at 11 pt and
// left the rest white (a window half the page wide and a quarter high
// held no ink below it): it hangs on the post's wall and is read from
// across the room. A table on one page now takes the largest size at
// which it stays on it (up to 16 pt) and its rows share out the page's
// height, so no quarter of the page is blank; a month keeps its page.
func TestWeekFillsItsPage(t *testing.T) {
	f := font(t)
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) not installed")
	}
	for _, tc := range []struct {
		name string
		days int
	}{{"week", 7}, {"month", 31}} {
		var b bytes.Buffer
		if err := WritePDF(context.Background(), &b, f, month(tc.days)); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		p := filepath.Join(dir, "d.pdf")
		if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", "-singlefile", p, filepath.Join(dir, "d")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		fh, err := os.Open(filepath.Join(dir, "d.png"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(fh)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		if r, ok := printtest.BlankWindow(img, 0.5, 0.25); ok {
			t.Errorf("%s: %v of the %v page is blank", tc.name, r, img.Bounds().Size())
		}
		if n := strings.Count(pdfText(t, b.Bytes()), "\f"); n != 1 {
			t.Errorf("%s on %d pages", tc.name, n)
		}
	}
}
