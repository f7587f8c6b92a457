package print

import (
	"errors"
	"image/color"
)

// SummaryTable is a one-page A4 summary: a title, lines of notes under it,
// and a table (the first row its heading) whose columns share the width.
// The monthly report's PDF is one (app/monthreport).
type SummaryTable struct {
	Title string
	Notes []string
	Rows  [][]string
}

// SummaryPage lays t out on one A4 page, landscape when the table is wide;
// a table that does not fit is refused rather than cut off.
func SummaryPage(t SummaryTable) (Page, error) {
	if len(t.Rows) == 0 {
		return Page{}, errors.New("summary page: no table")
	}
	cols := len(t.Rows[0])
	w, h := 210.0, 297.0
	if cols > 6 {
		w, h = h, w
	}
	const margin, pt, title, rowH = 15.0, 10.0, 16.0, 7.0
	if need := margin*2 + 14 + float64(len(t.Notes))*6 + float64(len(t.Rows))*rowH; need > h {
		return Page{}, errors.New("summary page: too many rows for one page")
	}
	black, grey := color.RGBA{R: 0, G: 0, B: 0, A: 255}, color.RGBA{R: 110, G: 110, B: 110, A: 255}
	return Page{W: w, H: h, Label: t.Title, Draw: func(s Surface) error {
		y := margin + 6
		s.Text(margin, y, title, Style{Color: black, Bold: true}, t.Title)
		y += 8
		for _, n := range t.Notes {
			s.Text(margin, y, pt, Style{Color: grey}, n)
			y += 6
		}
		y += 2
		colW := (w - 2*margin) / float64(cols)
		for i, row := range t.Rows {
			st := Style{Color: black, Bold: i == 0 || i == len(t.Rows)-1}
			for j, cell := range row {
				size := pt
				for size > 6 && s.Width(cell, size) > colW-1.5 {
					size -= 0.5
				}
				s.Text(margin+float64(j)*colW, y+5, size, st, cell)
			}
			s.Line(margin, y+rowH, w-margin, y+rowH, 0.2, grey, false)
			y += rowH
		}
		return nil
	}}, nil
}
