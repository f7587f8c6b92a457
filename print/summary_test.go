package print

import (
	"fmt"
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
