package monthreport

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cunjing/print/printtest"
	"cunjing/store/postcounts"
	"cunjing/store/schedule"
	"cunjing/store/schedule/tally"
)

// A month in which nothing was due printed 完成率 100%, 逢集覆盖 100% and
// 护学岗 100% under 本月没有数据：各项均为 0: a rate of nothing is no rate.
// The summary prints — where nothing was planned, and the rate otherwise.
func TestSummaryRateOfNothingIsADash(t *testing.T) {
	none := tally.Figures{Count: tally.Count{Rate: 1}, ByKind: map[string]tally.KindFigures{
		schedule.KindMarket: {Rate: 1}, schedule.KindSchoolGate: {Rate: 1}}}
	some := tally.Figures{Count: tally.Count{Planned: 57, Done: 45, Rate: 45.0 / 57}, ByKind: map[string]tally.KindFigures{
		schedule.KindMarket: {Planned: 9, Done: 6, Rate: 6.0 / 9}, schedule.KindSchoolGate: {Rate: 1}}}
	post := func(name string, f tally.Figures) Post {
		return Post{Name: name, Stats: postcounts.NewStats(""), Month: postcounts.NewMonthCounts(), Patrols: f}
	}
	r := Report{Month: "2026-01", Posts: []Post{post("东关村警务室", none), post("张庄村警务室", some)}, Total: post("合计", some)}
	tb := Summary(r)
	head := tb.Rows[0]
	col := func(name string) int {
		for i, h := range head {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s in %q", name, head)
		return -1
	}
	rate, market, gate := col("完成率"), col("逢集覆盖"), col("护学岗")
	for _, c := range []struct {
		row                int
		rate, market, gate string
	}{{1, "—", "—", "—"}, {2, "79%", "67%", "—"}, {3, "79%", "67%", "—"}} {
		row := tb.Rows[c.row]
		if row[rate] != c.rate || row[market] != c.market || row[gate] != c.gate {
			t.Errorf("%s: 完成率 %q 逢集覆盖 %q 护学岗 %q, want %q %q %q", row[0], row[rate], row[market], row[gate], c.rate, c.market, c.gate)
		}
	}
}

// At a county the report lists every post, named with its station: 40
// posts did not fit one page, and the PDF was refused (summary page: too
// many rows for one page). The table continues on further pages, each with
// the heading, 第 i 页 共 n 页 on every page, every post once, the total
// once, at the end.
func TestCountyReportContinues(t *testing.T) {
	font := printtest.Font(t)
	some := tally.Figures{Count: tally.Count{Planned: 57, Done: 45, Rate: 45.0 / 57}, ByKind: map[string]tally.KindFigures{}}
	r := Report{Month: "2026-11", Total: Post{Name: "合计", Stats: postcounts.NewStats(""), Month: postcounts.NewMonthCounts(), Patrols: some}}
	for i := range 40 {
		name := fmt.Sprintf("第%d村警务室（城关镇派出所）", i+1)
		if i%7 == 3 {
			name = fmt.Sprintf("乌珠牛录锡伯族第%d村警务室（孙扎齐牛录镇派出所）", i+1)
		}
		r.Posts = append(r.Posts, Post{Name: name, Stats: postcounts.NewStats(""), Month: postcounts.NewMonthCounts(), Patrols: some})
	}
	path := printtest.WriteTemp(t, "月报.pdf", func(b *bytes.Buffer) error {
		return WritePDF(context.Background(), b, font, r, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	})
	if out := os.Getenv("MONTHREPORT_PDF_OUT"); out != "" { // to look at it
		if b, err := os.ReadFile(path); err != nil || os.WriteFile(out, b, 0o644) != nil {
			t.Fatalf("copy to %s: %v", out, err)
		}
	}
	n := printtest.PDFPages(t, path)
	if n < 2 {
		t.Fatalf("%d page(s) for 40 posts", n)
	}
	text := printtest.Squash(printtest.Poppler(t, "pdftotext", path, "-"))
	for _, p := range r.Posts {
		// A name wrapped in its column comes back with its row's figures
		// between its lines: its characters, in order, close together.
		if got := strings.Count(text, printtest.Squash(p.Name)); got != 1 && !nearlyWhole(text, p.Name) {
			t.Errorf("%s printed %d times", p.Name, got)
		}
	}
	if got := strings.Count(text, "合计"); got != 1 {
		t.Errorf("合计 printed %d times", got)
	}
	if got := strings.Count(text, "警务室房屋住户"); got != n {
		t.Errorf("the heading on %d of %d pages", got, n)
	}
	for i := 1; i <= n; i++ {
		if !strings.Contains(text, fmt.Sprintf("第%d页共%d页", i, n)) {
			t.Errorf("page %d does not say 第 %d 页 共 %d 页", i, i, n)
		}
	}
}

// nearlyWhole reports whether name's characters come in order in text,
// with at most 80 others between its first and its last.
func nearlyWhole(text, name string) bool {
	rs, want := []rune(text), []rune(name)
	for start := range rs {
		if rs[start] != want[0] {
			continue
		}
		k := 1
		for i := start + 1; i < len(rs) && i-start <= len(want)+80 && k < len(want); i++ {
			if rs[i] == want[k] {
				k++
			}
		}
		if k == len(want) {
			return true
		}
	}
	return false
}

// The workbook wrote a rate as the text 79%: Excel set it at the left of
// its cell, under headings of right-aligned counts, and could not sort or
// average it. A rate is now the number (0.789…) shown as 79%, right-aligned;
// — where nothing was planned, right-aligned too.
func TestWorkbookRatesAreNumbers(t *testing.T) {
	none := tally.Figures{Count: tally.Count{Rate: 1}, ByKind: map[string]tally.KindFigures{}}
	some := tally.Figures{Count: tally.Count{Planned: 57, Done: 45, Rate: 45.0 / 57}, ByKind: map[string]tally.KindFigures{
		schedule.KindMarket: {Planned: 9, Done: 6, Rate: 6.0 / 9}}}
	post := func(name string, f tally.Figures) Post {
		return Post{Name: name, Stats: postcounts.NewStats(""), Month: postcounts.NewMonthCounts(), Patrols: f}
	}
	r := Report{Month: "2026-01", Posts: []Post{post("东关村警务室", none), post("张庄村警务室", some)}, Total: post("合计", some)}
	var buf bytes.Buffer
	if err := WriteXLSX(r, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases := []struct {
		sheet, cell, shown string
		raw                float64 // 0: the text —
	}{
		{SheetPatrols, "E3", "—", 0},
		{SheetPatrols, "E4", "79%", 45.0 / 57},
		{SheetCoverage, "D4", "67%", 6.0 / 9},
		{SheetCoverage, "G4", "—", 0},
	}
	for _, c := range cases {
		shown, err := f.GetCellValue(c.sheet, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := f.GetCellValue(c.sheet, c.cell, excelize.Options{RawCellValue: true})
		v, perr := strconv.ParseFloat(raw, 64)
		switch {
		case shown != c.shown:
			t.Errorf("%s!%s shows %q, want %q", c.sheet, c.cell, shown, c.shown)
		case c.raw != 0 && (perr != nil || math.Abs(v-c.raw) > 1e-9):
			t.Errorf("%s!%s holds %q, want the number %g", c.sheet, c.cell, raw, c.raw)
		}
		id, err := f.GetCellStyle(c.sheet, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil || st.Alignment == nil || st.Alignment.Horizontal != "right" {
			t.Errorf("%s!%s (%s) is not right-aligned", c.sheet, c.cell, shown)
		}
	}
}
