package duty

import (
	"fmt"
	"io"
	"strings"

	"cunjing/print/fonts"

	"github.com/jung-kurt/gofpdf"
)

// Page geometry in millimetres (A4 landscape).
const (
	pageW, pageH = 297.0, 210.0
	margin       = 10.0
	dateColW     = 25.0
	lunarColW    = 13.0
	marketColW   = 8.0
	notesColW    = 32.0
	minRuleColW  = 30.0
)

// WritePDF renders t as an A4 landscape PDF with font (a CJK TrueType from
// print/fonts). Columns that do not fit one page width continue on further
// pages, each repeating the date column.
func WritePDF(w io.Writer, t Table, font *fonts.Font) (err error) {
	if err := t.validate(); err != nil {
		return err
	}
	if font == nil || len(font.TTF) == 0 {
		return fmt.Errorf("duty table: no font")
	}
	// gofpdf only prints a message for a font it cannot read and panics
	// later, so check the font the way print/fonts does first.
	if _, err := fonts.FromBytes(font.Name, font.TTF); err != nil {
		return fmt.Errorf("duty table: font %s: %w", font.Name, err)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("duty table: PDF layout failed: %v", r)
		}
	}()
	pdf := gofpdf.New("L", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, margin)
	pdf.AddUTF8FontFromBytes("cjk", "", font.TTF)
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("duty table font %s: %w", font.Name, err)
	}
	pdf.SetTitle(t.Title+" "+t.Period, true)
	pdf.SetFooterFunc(func() {
		pdf.SetY(pageH - margin + 2)
		pdf.SetFont("cjk", "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(pageW-2*margin, 4, strings.TrimSpace(t.Footer+"  第"+fmt.Sprint(pdf.PageNo())+"页"), "", 0, "R", false, 0, "")
	})
	l := layout{pdf: pdf, t: &t}
	l.size = 11.0
	if len(t.Days) > 10 {
		l.size = 8.5
	}
	l.lineH = l.size * 0.44
	l.contactLines = l.contactText()
	cols := t.columns()
	hasNotes := false
	for _, d := range t.Days {
		hasNotes = hasNotes || len(d.Notes) > 0
	}
	fixed := dateColW + lunarColW + marketColW
	if hasNotes {
		fixed += notesColW
	}
	perPage := max(1, int((pageW-2*margin-fixed)/minRuleColW))
	if len(cols) == 0 {
		l.page(nil, hasNotes, pageW-2*margin-fixed)
	}
	for start := 0; start < len(cols); start += perPage {
		group := cols[start:min(len(cols), start+perPage)]
		l.page(group, hasNotes, (pageW-2*margin-fixed)/float64(len(group)))
	}
	if len(l.contactLines) == 0 {
		l.contacts()
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("duty table: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("duty table: write PDF: %w", err)
	}
	return nil
}

type layout struct {
	pdf          *gofpdf.Fpdf
	t            *Table
	size         float64
	lineH        float64
	contactLines []string // phones printed under the title when they fit in two lines
}

// contactText lays the phone list out as at most two lines under the title,
// so a month on the wall shows who to call; a longer list gets its own
// block after the table instead.
func (l *layout) contactText() []string {
	if len(l.t.Contacts) == 0 {
		return nil
	}
	parts := make([]string, len(l.t.Contacts))
	for i, p := range l.t.Contacts {
		parts[i] = strings.TrimSpace(p.Name + " " + p.Phone)
	}
	l.pdf.SetFont("cjk", "", 8.5)
	ls := l.lines("联系电话："+strings.Join(parts, "　"), pageW-2*margin)
	if len(ls) > 2 {
		return nil
	}
	return ls
}

func (l *layout) title() {
	pdf := l.pdf
	pdf.AddPage()
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont("cjk", "", 16)
	pdf.CellFormat(pageW-2*margin, 8, l.t.Title, "", 1, "C", false, 0, "")
	pdf.SetFont("cjk", "", 9.5)
	pdf.SetTextColor(70, 70, 70)
	pdf.CellFormat(pageW-2*margin, 4.5, l.t.Period+"　　黄色底为集日　　带 * 的班次有冲突（请假、人手不足或重复排班）", "", 1, "C", false, 0, "")
	pdf.SetFont("cjk", "", 8.5)
	for _, s := range l.contactLines {
		pdf.CellFormat(pageW-2*margin, 4, s, "", 1, "C", false, 0, "")
	}
	pdf.Ln(1.5)
	pdf.SetTextColor(0, 0, 0)
}

// lines wraps s into width at the current font.
func (l *layout) lines(s string, width float64) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, part := range strings.Split(s, "\n") {
		out = append(out, l.pdf.SplitText(part, width-2)...)
	}
	return out
}

func (l *layout) header(cols []column, notes bool, colW float64) {
	pdf := l.pdf
	pdf.SetFillColor(225, 232, 240)
	pdf.SetDrawColor(120, 120, 120)
	pdf.SetFont("cjk", "", l.size)
	h := 2*l.lineH + 3
	x, y := margin, pdf.GetY()
	box := func(w float64, a, b string) {
		pdf.Rect(x, y, w, h, "FD")
		if b == "" {
			pdf.SetXY(x, y+(h-l.lineH)/2)
			pdf.CellFormat(w, l.lineH, a, "", 0, "C", false, 0, "")
		} else {
			pdf.SetXY(x, y+1.5)
			pdf.CellFormat(w, l.lineH, a, "", 0, "C", false, 0, "")
			pdf.SetFont("cjk", "", l.size*0.8)
			pdf.SetXY(x, y+1.5+l.lineH)
			pdf.CellFormat(w, l.lineH, fit(pdf, b, w-1), "", 0, "C", false, 0, "")
			pdf.SetFont("cjk", "", l.size)
		}
		x += w
	}
	box(dateColW, "日期", "")
	box(lunarColW, "农历", "")
	box(marketColW, "集", "")
	for _, c := range cols {
		a, b := c.heading()
		box(colW, a, b)
	}
	if notes {
		box(notesColW, "备注", "")
	}
	pdf.SetXY(margin, y+h)
}

// fit shortens s with "…" until it fits width.
func fit(pdf *gofpdf.Fpdf, s string, width float64) string {
	if pdf.GetStringWidth(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && pdf.GetStringWidth(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

func (l *layout) page(cols []column, notes bool, colW float64) {
	pdf := l.pdf
	l.title()
	l.header(cols, notes, colW)
	pdf.SetFont("cjk", "", l.size)
	bottom := pageH - margin
	for _, d := range l.t.Days {
		texts := make([][]string, len(cols))
		alerts := make([]bool, len(cols))
		n := 1
		for i, c := range cols {
			s, alert := cell(d, c)
			if alert {
				s += " *"
			}
			texts[i], alerts[i] = l.lines(s, colW), alert
			n = max(n, len(texts[i]))
		}
		noteLines := l.lines(strings.Join(d.Notes, "、"), notesColW)
		if notes {
			n = max(n, len(noteLines))
		}
		h := float64(n)*l.lineH + 1.1
		if pdf.GetY()+h > bottom {
			l.title()
			l.header(cols, notes, colW)
			pdf.SetFont("cjk", "", l.size)
		}
		y := pdf.GetY()
		x := margin
		fill := "D"
		if d.Market {
			pdf.SetFillColor(255, 243, 191)
			fill = "FD"
		}
		draw := func(w float64, ls []string, align string, red bool) {
			pdf.Rect(x, y, w, h, fill)
			if red {
				pdf.SetTextColor(190, 30, 30)
			}
			top := y + (h-float64(len(ls))*l.lineH)/2
			for k, s := range ls {
				pdf.SetXY(x+1, top+float64(k)*l.lineH)
				pdf.CellFormat(w-2, l.lineH, s, "", 0, align, false, 0, "")
			}
			pdf.SetTextColor(0, 0, 0)
			x += w
		}
		draw(dateColW, []string{dateLabel(d.Date)}, "C", false)
		draw(lunarColW, []string{d.Lunar}, "C", false)
		mark := []string{}
		if d.Market {
			mark = []string{"集"}
		}
		draw(marketColW, mark, "C", false)
		for i := range cols {
			draw(colW, texts[i], "C", alerts[i])
		}
		if notes {
			draw(notesColW, noteLines, "C", false)
		}
		pdf.SetXY(margin, y+h)
	}
}

// contacts prints the phone list after the table, on a new page if the
// last one is full.
func (l *layout) contacts() {
	if len(l.t.Contacts) == 0 {
		return
	}
	pdf := l.pdf
	const perRow = 4
	cw := (pageW - 2*margin) / perRow
	rowH := 6.0
	rows := (len(l.t.Contacts) + perRow - 1) / perRow
	if pdf.GetY()+8+rowH > pageH-margin-4 {
		l.title()
	}
	pdf.Ln(3)
	pdf.SetFont("cjk", "", 10)
	pdf.CellFormat(pageW-2*margin, 6, "值班人员联系电话", "", 1, "L", false, 0, "")
	pdf.SetFont("cjk", "", 9)
	for r := range rows {
		if pdf.GetY()+rowH > pageH-margin-4 {
			l.title()
			pdf.SetFont("cjk", "", 9)
		}
		y := pdf.GetY()
		for k := range perRow {
			i := r*perRow + k
			if i >= len(l.t.Contacts) {
				break
			}
			p := l.t.Contacts[i]
			s := strings.TrimSpace(p.Name + " " + p.Role + " " + p.Phone)
			pdf.SetXY(margin+float64(k)*cw, y)
			pdf.CellFormat(cw, rowH, fit(pdf, s, cw-2), "B", 0, "L", false, 0, "")
		}
		pdf.SetXY(margin, y+rowH)
	}
}
