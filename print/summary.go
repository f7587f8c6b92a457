package print

import (
	"errors"
	"fmt"
	"image/color"
	"strings"

	"cunjing/print/typeset"
)

// SummaryTable is a summary on A4: a title, lines of notes under it, and a
// table (the first row its heading, the last its total). The first column
// (the names) is as wide as its longest text needs, up to a quarter of the
// table; the other columns share the rest. A column of figures (every cell
// under its heading a number, a percentage or —) is set right-aligned, its
// heading too, as an accountant's table is. The monthly report's PDF is one
// (app/monthreport).
type SummaryTable struct {
	Title string
	Notes []string
	Rows  [][]string
}

// Summary page geometry, in millimetres and points.
const (
	summaryMargin  = 15.0
	summaryPt      = 10.0 // table and notes
	summaryMinPt   = 8.0  // a cell shrinks no further; it wraps instead
	summaryTitlePt = 16.0
	summaryRowH    = 7.0 // a row of one line
	summaryPad     = 1.5 // each side of a column's text: 3 mm of paper between two columns' texts
	summaryFootH   = 8.0 // the page number, when there are several pages
)

// summarySize is the page: landscape when the table is wide.
func summarySize(cols int) (w, h float64) {
	if cols > 6 {
		return 297, 210
	}
	return 210, 297
}

// summaryTop is where the table starts below the title and notes.
func summaryTop(t SummaryTable) float64 {
	return summaryMargin + 6 + 8 + float64(len(t.Notes))*6 + 2
}

// SummaryPage lays t out on one A4 page, landscape when the table is wide.
// Every cell is set by the one text layout: a name too long for its column
// wraps inside it (the row grows) and never runs into the next column; a
// table that does not fit the page is refused rather than cut off
// (SummaryPages continues it on further pages).
func SummaryPage(t SummaryTable) (Page, error) {
	if len(t.Rows) == 0 {
		return Page{}, errors.New("summary page: no table")
	}
	w, h := summarySize(len(t.Rows[0]))
	if need := summaryTop(t) + float64(len(t.Rows))*summaryRowH + summaryMargin; need > h {
		return Page{}, errors.New("summary page: too many rows for one page")
	}
	return summaryPage(t, t.Rows[0], t.Rows[1:], true, "", w, h), nil
}

// SummaryPages lays t out on as many A4 pages as its rows need, measured
// with m (the font the PDF embeds): one page, as SummaryPage, when it fits;
// otherwise each page repeats the title, notes and heading, the total ends
// the last page, and every page says 第 i 页 共 n 页.
func SummaryPages(t SummaryTable, m typeset.Measurer) ([]Page, error) {
	if len(t.Rows) == 0 {
		return nil, errors.New("summary pages: no table")
	}
	head, body := t.Rows[0], t.Rows[1:]
	w, h := summarySize(len(head))
	widths := summaryWidths(m, t.Rows, w-2*summaryMargin)
	heights := make([]float64, len(t.Rows))
	for i, row := range t.Rows {
		hh, err := summaryRowHeight(m, row, widths)
		if err != nil {
			return nil, err
		}
		heights[i] = hh
	}
	avail := h - summaryMargin - summaryTop(t)
	total := 0.0
	for _, hh := range heights {
		total += hh
	}
	if total <= avail {
		return []Page{summaryPage(t, head, body, true, "", w, h)}, nil
	}
	// Several pages: each holds the heading and as many rows as fit above
	// the page number.
	avail -= summaryFootH
	// The rows are counted onto pages first, then shared out over that
	// many, so the last page is not the total alone (40 posts: 20, 20 and
	// 合计 before; 14, 14 and 13 now).
	fill := func(quota func(i, onPage, done int) int) [][2]int {
		var chunks [][2]int
		start, used := 0, heights[0]
		for i := range body {
			hh := heights[i+1]
			if used+hh > avail || i-start >= quota(i, i-start, len(chunks)) {
				chunks = append(chunks, [2]int{start, i})
				start, used = i, heights[0]
			}
			used += hh
		}
		return append(chunks, [2]int{start, len(body)})
	}
	for i := range body {
		if heights[i+1]+heights[0] > avail {
			return nil, fmt.Errorf("summary pages: row %q is taller than a page", body[i][0])
		}
	}
	n := len(fill(func(int, int, int) int { return len(body) }))
	chunks := fill(func(i, onPage, done int) int {
		left := max(1, n-done)
		return (len(body) - i + onPage + left - 1) / left
	})
	pages := make([]Page, len(chunks))
	for i, c := range chunks {
		foot := fmt.Sprintf("第 %d 页 共 %d 页", i+1, len(chunks))
		pages[i] = summaryPage(t, head, body[c[0]:c[1]], i == len(chunks)-1, foot, w, h)
	}
	return pages, nil
}

// summaryRowHeight is the height of row set in widths.
func summaryRowHeight(m typeset.Measurer, row []string, widths []float64) (float64, error) {
	h := summaryRowH
	for j, cell := range row {
		if j >= len(widths) {
			return 0, fmt.Errorf("summary page: a row has %d cells, the heading %d", len(row), len(widths))
		}
		_, cw := summaryCell(j, widths)
		f, err := typeset.Fit(m, cell, cw, 0, typeset.Spec{Field: "summary cell", MaxPt: summaryPt, MinPt: summaryMinPt})
		if err != nil {
			return 0, fmt.Errorf("summary page: %w", err)
		}
		h = max(h, f.Height()+2)
	}
	return h, nil
}

// summaryPage draws the title, notes, heading and rows on one page; the
// last row is bold when it is the total, and foot, if any, goes bottom
// right.
func summaryPage(t SummaryTable, head []string, rows [][]string, withTotal bool, foot string, w, h float64) Page {
	m := summaryMargin
	black, grey := color.RGBA{R: 0, G: 0, B: 0, A: 255}, color.RGBA{R: 110, G: 110, B: 110, A: 255}
	all := append([][]string{head}, rows...)
	return Page{W: w, H: h, Label: t.Title, Draw: func(s Surface) error {
		y := m + 6
		s.Text(m, y, summaryTitlePt, Style{Color: black, Bold: true}, t.Title)
		y += 8
		for _, n := range t.Notes {
			s.Text(m, y, summaryPt, Style{Color: grey}, n)
			y += 6
		}
		y += 2
		widths := summaryWidths(s, t.Rows, w-2*m) // alike on every page
		right := figureColumns(t.Rows)
		for i, row := range all {
			st := Style{Color: black, Bold: i == 0 || withTotal && i == len(all)-1}
			cells := make([]Fitted, len(row))
			rowH := summaryRowH
			for j, cell := range row {
				if j >= len(widths) {
					return fmt.Errorf("summary page: row %d has %d cells, the heading %d", i+1, len(row), len(widths))
				}
				_, cw := summaryCell(j, widths)
				f, err := Fit(s, "summary cell", cell, cw, 0, summaryPt, summaryMinPt)
				if err != nil {
					return fmt.Errorf("summary page: %w", err)
				}
				cells[j] = f
				rowH = max(rowH, f.Height()+2)
			}
			if y+rowH > h-m {
				return errors.New("summary page: too many rows for one page")
			}
			x := m
			for j, f := range cells {
				dx, cw := summaryCell(j, widths)
				align := 0
				if right[j] {
					align = 2
				}
				DrawBlock(s, f, x+dx, y+(rowH-f.Height())/2, cw, st, align)
				x += widths[j]
			}
			s.Line(m, y+rowH, w-m, y+rowH, 0.2, grey, false)
			y += rowH
		}
		if foot != "" {
			TextAt(s, m, w-2*m, h-m, 9, Style{Color: grey}, 2, foot)
		}
		return nil
	}}
}

// summaryWidths gives the first column what its longest text needs at the
// table's size (at least an equal share, at most a quarter of the width) and
// shares the rest equally.
func summaryWidths(s typeset.Measurer, rows [][]string, total float64) []float64 {
	cols := len(rows[0])
	even := total / float64(cols)
	first := even
	if cols > 1 {
		for _, r := range rows {
			if len(r) > 0 {
				first = max(first, s.Width(r[0], summaryPt)+summaryPad+0.5)
			}
		}
		first = min(first, total/4)
	}
	out := make([]float64, cols)
	out[0] = first
	for j := 1; j < cols; j++ {
		out[j] = (total - first) / float64(cols-1)
	}
	return out
}

// summaryCell is where column j's text goes, from the column's left edge,
// and how wide it may be: summaryPad in from both edges (the first column
// starts at the margin, under the title).
func summaryCell(j int, widths []float64) (dx, w float64) {
	if j > 0 {
		dx = summaryPad
	}
	return dx, widths[j] - dx - summaryPad
}

// figureColumns says which columns hold figures: every cell below the
// heading a number, a percentage or a dash (— for a rate of nothing). The
// first column holds the names.
func figureColumns(rows [][]string) []bool {
	out := make([]bool, len(rows[0]))
	for j := 1; j < len(out); j++ {
		out[j] = len(rows) > 1
		for _, r := range rows[1:] {
			if j < len(r) && !isFigure(r[j]) {
				out[j] = false
				break
			}
		}
	}
	return out
}

func isFigure(s string) bool {
	s = strings.TrimSpace(s)
	digits := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits = true
		case strings.ContainsRune(",.%+-−–—", r):
		default:
			return false
		}
	}
	return digits || s == "—" || s == "-" || s == "–"
}
