package print

import (
	"errors"
	"fmt"
	"image/color"
)

// SummaryTable is a one-page A4 summary: a title, lines of notes under it,
// and a table (the first row its heading). The first column (the names)
// is as wide as its longest text needs, up to a third of the table; the
// other columns share the rest. The monthly report's PDF is one
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
	summaryPad     = 1.5 // between a cell's text and the next column
)

// SummaryPage lays t out on one A4 page, landscape when the table is wide.
// Every cell is set by the one text layout: a name too long for its column
// wraps inside it (the row grows) and never runs into the next column; a
// table that does not fit the page is refused rather than cut off.
func SummaryPage(t SummaryTable) (Page, error) {
	if len(t.Rows) == 0 {
		return Page{}, errors.New("summary page: no table")
	}
	cols := len(t.Rows[0])
	w, h := 210.0, 297.0
	if cols > 6 {
		w, h = h, w
	}
	m := summaryMargin
	if need := m*2 + 14 + float64(len(t.Notes))*6 + float64(len(t.Rows))*summaryRowH; need > h {
		return Page{}, errors.New("summary page: too many rows for one page")
	}
	black, grey := color.RGBA{R: 0, G: 0, B: 0, A: 255}, color.RGBA{R: 110, G: 110, B: 110, A: 255}
	return Page{W: w, H: h, Label: t.Title, Draw: func(s Surface) error {
		y := m + 6
		s.Text(m, y, summaryTitlePt, Style{Color: black, Bold: true}, t.Title)
		y += 8
		for _, n := range t.Notes {
			s.Text(m, y, summaryPt, Style{Color: grey}, n)
			y += 6
		}
		y += 2
		widths := summaryWidths(s, t.Rows, w-2*m)
		for i, row := range t.Rows {
			st := Style{Color: black, Bold: i == 0 || i == len(t.Rows)-1}
			cells := make([]Fitted, len(row))
			rowH := summaryRowH
			for j, cell := range row {
				if j >= len(widths) {
					return fmt.Errorf("summary page: row %d has %d cells, the heading %d", i+1, len(row), cols)
				}
				f, err := Fit(s, "summary cell", cell, widths[j]-summaryPad, 0, summaryPt, summaryMinPt)
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
				DrawBlock(s, f, x, y+(rowH-f.Height())/2, widths[j]-summaryPad, st, 0)
				x += widths[j]
			}
			s.Line(m, y+rowH, w-m, y+rowH, 0.2, grey, false)
			y += rowH
		}
		return nil
	}}, nil
}

// summaryWidths gives the first column what its longest text needs at the
// table's size (at least an equal share, at most a third of the width) and
// shares the rest equally.
func summaryWidths(s Surface, rows [][]string, total float64) []float64 {
	cols := len(rows[0])
	even := total / float64(cols)
	first := even
	if cols > 1 {
		for _, r := range rows {
			if len(r) > 0 {
				first = max(first, s.Width(r[0], summaryPt)+summaryPad+0.5)
			}
		}
		first = min(first, total/3)
	}
	out := make([]float64, cols)
	out[0] = first
	for j := 1; j < cols; j++ {
		out[j] = (total - first) / float64(cols-1)
	}
	return out
}
