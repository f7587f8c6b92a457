package print

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"cunjing/print/printtest"
	"cunjing/print/typeset"
)

// The month report's page: a post's name longer than an even share of the
// width (乌珠牛录锡伯族村警务室, or at a county a post named with its
// station) was shrunk to 6 pt and still ran over the house count beside
// it. Every cell is now set in its own column: no text overlaps another,
// none is smaller than 8 pt, and every cell's characters are all drawn.
func TestSummaryCellsStayInTheirColumns(t *testing.T) {
	font := printtest.Font(t)
	m, err := typeset.NewMetrics(font.TTF)
	if err != nil {
		t.Fatal(err)
	}
	head := []string{"警务室", "房屋", "住户", "居民", "应巡", "实巡", "完成率", "逢集覆盖", "护学岗", "印制牌", "张贴牌", "走访"}
	rows := [][]string{head}
	for _, name := range []string{"张庄村警务室", "乌珠牛录锡伯族村警务室", "乌珠牛录锡伯族村警务室（孙扎齐牛录镇派出所）", "东关村警务室（城关镇派出所）"} {
		rows = append(rows, []string{name, "1384", "1384", "11152", "257", "245", "79%", "67%", "—", "246", "3", "1189"})
	}
	rows = append(rows, []string{"合计", "5536", "5536", "44608", "1028", "980", "79%", "67%", "—", "984", "12", "4756"})
	pg, err := SummaryPage(SummaryTable{Title: "2026-11 月报", Notes: []string{"统计 2026-11-01 至 2026-11-30"}, Rows: rows})
	if err != nil {
		t.Fatal(err)
	}
	r := &plateRec{m: m}
	if err := pg.Draw(r); err != nil {
		t.Fatal(err)
	}
	var drawn strings.Builder
	for i, a := range r.texts {
		drawn.WriteString(a.s)
		if a.x < 0 || a.x+a.w > pg.W {
			t.Errorf("%q runs off the page (%.1f–%.1f of %.0f mm)", a.s, a.x, a.x+a.w, pg.W)
		}
		if a.pt < 8 && a.s != "" {
			t.Errorf("%q set at %.1f pt", a.s, a.pt)
		}
		for _, b := range r.texts[i+1:] {
			// Same line when the baselines are closer than the smaller size.
			if d := a.y - b.y; d*d >= sq(min(a.pt, b.pt)*PtMM) {
				continue
			}
			if a.x < b.x+b.w && b.x < a.x+a.w {
				t.Errorf("%q (%.1f–%.1f mm) overlaps %q (%.1f–%.1f mm)", a.s, a.x, a.x+a.w, b.s, b.x, b.x+b.w)
			}
		}
	}
	all := drawn.String()
	for _, row := range rows {
		for _, c := range row {
			if !strings.Contains(strings.ReplaceAll(all, " ", ""), strings.ReplaceAll(c, " ", "")) {
				// A wrapped name comes back in pieces: check its characters.
				for _, ch := range c {
					if !strings.ContainsRune(all, ch) {
						t.Errorf("cell %q: %q not drawn", c, ch)
					}
				}
			}
		}
	}
}

func sq(v float64) float64 { return v * v }

// A county report that runs over does not end on a page of the total
// alone under the repeated title and heading: 40 posts of one line each
// filled two landscape pages of 20 and left 合计 for a third. The rows are
// shared out over the pages within one row of each other.
func TestSummaryPagesShareTheRows(t *testing.T) {
	m, err := typeset.NewMetrics(printtest.Font(t).TTF)
	if err != nil {
		t.Fatal(err)
	}
	head := []string{"警务室", "房屋", "住户", "居民", "应巡", "实巡", "完成率", "逢集覆盖", "护学岗", "印制牌", "张贴牌", "走访"}
	for _, posts := range []int{40, 41, 59} {
		rows := [][]string{head}
		for i := range posts {
			rows = append(rows, []string{fmt.Sprintf("第%d村警务室", i+1), "1384", "1384", "11152", "257", "245", "79%", "67%", "—", "246", "3", "1189"})
		}
		rows = append(rows, []string{"合计", "5536", "5536", "44608", "1028", "980", "79%", "67%", "—", "984", "12", "4756"})
		pages, err := SummaryPages(SummaryTable{Title: "2026-11 月报", Notes: []string{"统计 2026-11-01 至 2026-11-30"}, Rows: rows}, m)
		if err != nil {
			t.Fatal(err)
		}
		least, most := len(rows), 0
		for _, pg := range pages {
			r := &plateRec{m: m}
			if err := pg.Draw(r); err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, a := range r.texts {
				if a.s == "11152" || a.s == "44608" { // one a row, the total's too
					n++
				}
			}
			least, most = min(least, n), max(most, n)
		}
		if len(pages) < 2 || most-least > 1 {
			t.Errorf("%d posts and the total: %d pages holding %d to %d rows", posts, len(pages), least, most)
		}
	}
}

// The month report's figures were set left-aligned, 84 under 1384 at its
// left, and a long post's name came within 1.5 mm of the house count
// beside it. Every column of figures is now right-aligned, its heading
// too, and any two texts on a line keep 3 mm of paper between them.
func TestSummaryFiguresRightAligned(t *testing.T) {
	m, err := typeset.NewMetrics(printtest.Font(t).TTF)
	if err != nil {
		t.Fatal(err)
	}
	head := []string{"警务室", "房屋", "住户", "居民", "应巡", "实巡", "完成率", "逢集覆盖", "护学岗", "印制牌", "张贴牌", "走访"}
	for _, names := range [][]string{
		// The longest name sets the first column's width: it ended 2 mm
		// from the house count.
		{"张庄村警务室", "东关村警务室（城关镇派出所）", "合计"},
		// Names longer than a quarter of the table wrap.
		{"张庄村警务室", "乌珠牛录锡伯族村警务室（孙扎齐牛录镇派出所）", "河南省周口市郸城县城关镇张庄村警务室第二警务工作站", "东关村警务室（城关镇派出所）", "合计"},
	} {
		checkSummaryFigures(t, m, head, names)
	}
}

func checkSummaryFigures(t *testing.T, m *typeset.Metrics, head, names []string) {
	t.Helper()
	rows := [][]string{head}
	col := map[string]int{} // every figure is unique: which column it is in
	for i, name := range names {
		row := []string{name}
		for j := 1; j < len(head); j++ {
			v := strconv.Itoa(j) + strings.Repeat("5", i)
			if j == 6 || j == 7 {
				v += "%"
			}
			row = append(row, v)
			col[v] = j
		}
		rows = append(rows, row)
	}
	for j, h := range head {
		col[h] = j
	}
	pg, err := SummaryPage(SummaryTable{Title: "2026-11 月报", Rows: rows})
	if err != nil {
		t.Fatal(err)
	}
	r := &plateRec{m: m}
	if err := pg.Draw(r); err != nil {
		t.Fatal(err)
	}
	rights := map[int][]float64{}
	for _, a := range r.texts {
		if j, ok := col[a.s]; ok && j > 0 {
			rights[j] = append(rights[j], a.x+a.w)
		}
	}
	for j := 1; j < len(head); j++ {
		if len(rights[j]) != len(rows) {
			t.Fatalf("column %s: %d texts found, want %d", head[j], len(rights[j]), len(rows))
		}
		if lo, hi := slices.Min(rights[j]), slices.Max(rights[j]); hi-lo > 0.05 {
			t.Errorf("column %s: right ends %.1f–%.1f mm, want one edge", head[j], lo, hi)
		}
	}
	// Texts side by side: their em boxes share some height.
	em := func(a recText) (float64, float64) { return a.y - 0.88*a.pt*PtMM, a.y + 0.12*a.pt*PtMM }
	for i, a := range r.texts {
		for _, b := range r.texts[i+1:] {
			at, ab := em(a)
			bt, bb := em(b)
			if at >= bb || bt >= ab {
				continue
			}
			if b.x < a.x {
				a, b = b, a
			}
			if gap := b.x - (a.x + a.w); gap < 2.9 {
				t.Errorf("%q and %q: %.1f mm apart, want 3", a.s, b.s, gap)
			}
		}
	}
}
