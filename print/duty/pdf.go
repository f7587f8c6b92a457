package duty

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"strings"

	"cunjing/print/fonts"
	"cunjing/print/typeset"
)

// Page geometry in millimetres (A4 landscape).
const (
	pageW, pageH = 297.0, 210.0
	margin       = 10.0
	minDateColW  = 25.0
	lunarColW    = 13.0
	marketColW   = 8.0
	notesColW    = 32.0
	minRuleColW  = 30.0
	footerH      = 6.0
	cellPad      = 1.0
	// minCellPt is the smallest size a cell shrinks to when one name (or
	// a phone number) is wider than its column.
	minCellPt = 6.0
	// minMonthPt is the smallest size a table is set at to keep it on
	// one page (a month is set at 8.5 pt).
	minMonthPt = 7.5
)

var (
	black    = color.RGBA{0, 0, 0, 0xff}
	darkGrey = color.RGBA{70, 70, 70, 0xff}
	midGrey  = color.RGBA{90, 90, 90, 0xff}
	alertRed = color.RGBA{190, 30, 30, 0xff}
	headFill = color.RGBA{225, 232, 240, 0xff}
	ruleGrey = color.RGBA{120, 120, 120, 0xff}
	market   = color.RGBA{255, 243, 191, 0xff}
)

// WritePDF renders t as an A4 landscape PDF with font (a CJK TrueType from
// print/fonts). Columns that do not fit one page width continue on further
// pages, each repeating the date column. Cells wrap by the one text layout
// (print/typeset): names stay whole, nothing is dropped, and a cell whose
// widest name does not fit even at minCellPt is an error.
//
// Every PDF writer in print takes ctx, w, font, then what it prints.
func WritePDF(ctx context.Context, w io.Writer, font *fonts.Font, t Table) (err error) {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("duty table: %w", err)
	}
	if err := t.validate(); err != nil {
		return err
	}
	if font == nil || len(font.TTF) == 0 {
		return fmt.Errorf("duty table: no font")
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("duty table: PDF layout failed: %v", r)
		}
	}()
	// Laid out twice: the first time to count the pages, so that every
	// footer of a table that runs over says 第 i 页 共 n 页.
	count, err := typeset.NewPDF(ctx, font, typeset.Info{Title: t.Title})
	if err != nil {
		return fmt.Errorf("duty table: %w", err)
	}
	n, err := lay(count, &t, 0)
	if err != nil {
		return err
	}
	pdf, err := typeset.NewPDF(ctx, font, typeset.Info{Title: t.Title + " " + t.Period, Created: t.Printed})
	if err != nil {
		return fmt.Errorf("duty table: %w", err)
	}
	if _, err := lay(pdf, &t, n); err != nil {
		return err
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("duty table: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("duty table: write PDF: %w", err)
	}
	return nil
}

// lay draws t on pdf and returns how many pages it took; total, when not
// zero, is the number the footers give.
func lay(pdf *typeset.PDF, t *Table, total int) (int, error) {
	var err error
	l := layout{pdf: pdf, t: t, total: total}
	l.size = 11.0
	if len(t.Days) > 10 {
		l.size = 8.5
	}
	if l.contactLines, err = l.contactText(); err != nil {
		return 0, err
	}
	cols := t.columns()
	hasNotes := false
	for _, d := range t.Days {
		hasNotes = hasNotes || len(d.Notes) > 0
	}
	var fixed float64
	var groups [][]column
	// plan sets the columns out at the layout's size (the date column
	// grows with it).
	plan := func() {
		l.dateW = l.dateColW()
		fixed = l.dateW + l.lunarW() + l.marketW()
		if hasNotes {
			fixed += notesColW
		}
		perPage := max(1, int((pageW-2*margin-fixed)/minRuleColW))
		groups = [][]column{nil}
		if len(cols) > 0 {
			groups = nil
		}
		for start := 0; start < len(cols); start += perPage {
			groups = append(groups, cols[start:min(len(cols), start+perPage)])
		}
	}
	plan()
	colW := func(g []column) float64 { return (pageW - 2*margin - fixed) / float64(max(1, len(g))) }
	if err := l.chooseSize(groups, colW, hasNotes); err != nil {
		return 0, err
	}
	if err := l.growSize(plan, &groups, colW, hasNotes); err != nil {
		return 0, err
	}
	for _, g := range groups {
		if err := l.page(g, hasNotes, colW(g)); err != nil {
			return 0, err
		}
	}
	if l.contactLines == nil {
		if err := l.contacts(); err != nil {
			return 0, err
		}
	}
	if err := l.finishPage(); err != nil {
		return 0, err
	}
	return l.pages, nil
}

type layout struct {
	pdf          *typeset.PDF
	t            *Table
	size         float64
	y            float64
	pages        int
	total        int            // pages in all, for the footer (0: not known)
	contactLines *typeset.Block // phones printed under the title when they fit in two lines
	dateW        float64        // the date column: its widest "12月10日 周四" on one line
}

// dateColW is the date column's width: what the widest of the table's
// dates takes on one line at the table's size (a week at 11 pt wrapped
// "12月10日 周四" under "12月9日 周三"), and never less than minDateColW.
func (l *layout) dateColW() float64 {
	w := minDateColW
	for _, d := range l.t.Days {
		w = max(w, l.pdf.M.Width(dateLabel(d.Date), l.size)+2*cellPad+0.5)
	}
	return w
}

// lunarW and marketW are the lunar date's and the market mark's columns:
// two characters and one on a line at the table's size, and never less
// than lunarColW and marketColW.
func (l *layout) lunarW() float64 {
	return max(lunarColW, l.pdf.M.Width("廿一", l.size)+2*cellPad+0.5)
}

func (l *layout) marketW() float64 {
	return max(marketColW, l.pdf.M.Width("集", l.size)+2*cellPad+0.5)
}

func (l *layout) lineH() float64 { return l.size * typeset.PtMM * 1.25 }

// Heights of what title draws above the table, in millimetres.
const (
	titleH, periodH, belowTitle = 8.0, 4.5, 1.5
)

// headerH is the height of the column heads.
func (l *layout) headerH() float64 { return 2*l.lineH() + 3 }

// rowsTop is where a page's first row starts.
func (l *layout) rowsTop() float64 {
	y := margin + titleH + periodH + belowTitle
	if b := l.contactLines; b != nil {
		y += b.Height()
	}
	return y + l.headerH()
}

// chooseSize keeps the table on one page a column group when it can: a
// month whose rows run a little over the page (a few days with two lines
// of notes) is set smaller, down to minMonthPt, rather than leave a row or
// two alone on a second page. A table that does not fit even then keeps
// its size and continues on further pages.
func (l *layout) chooseSize(groups [][]column, colW func([]column) float64, notes bool) error {
	fits := func() (bool, error) {
		avail := pageH - margin - footerH - l.rowsTop()
		for _, g := range groups {
			total := 0.0
			for _, d := range l.t.Days {
				_, h, err := l.row(d, g, notes, colW(g))
				if err != nil {
					return false, err
				}
				total += h
			}
			if total > avail {
				return false, nil
			}
		}
		return true, nil
	}
	start := l.size
	for size := start; size >= minMonthPt-1e-9; size -= 0.25 {
		l.size = size
		ok, err := fits()
		if err != nil || ok {
			return err
		}
	}
	l.size = start
	return nil
}

// maxWeekPt is the largest size a table on one page grows to.
const maxWeekPt = 16.0

// growSize sets a table that fits its page with room to spare (a week:
// at 11 pt it filled the top third of the page) at the largest size, up to
// maxWeekPt, at which it still fits one page in as many column groups and
// no cell takes more lines than it did.
func (l *layout) growSize(plan func(), groups *[][]column, colW func([]column) float64, notes bool) error {
	// lines is how many lines each row takes (a name that wrapped at
	// the larger size read as two entries).
	lines := func() ([]int, bool) {
		avail := pageH - margin - footerH - l.rowsTop()
		var out []int
		for _, g := range *groups {
			total := 0.0
			for _, d := range l.t.Days {
				cells, h, err := l.row(d, g, notes, colW(g))
				if err != nil {
					return nil, false // too small a cell at this size
				}
				n := 0
				for _, c := range cells {
					n = max(n, len(c.b.Lines))
				}
				out = append(out, n)
				total += h
			}
			if total > avail {
				return nil, false
			}
		}
		return out, true
	}
	base, ok := lines()
	if !ok {
		return nil
	}
	start, n := l.size, len(*groups)
	best := start
	for size := start + 0.5; size <= maxWeekPt+1e-9; size += 0.5 {
		l.size = size
		plan()
		got, ok := lines()
		if !ok || len(*groups) != n || fmt.Sprint(got) != fmt.Sprint(base) {
			break
		}
		best = size
	}
	l.size = best
	plan()
	return nil
}

// contactText lays the phone list out as at most two lines under the title,
// so a month on the wall shows who to call; a longer list gets its own
// block after the table instead (nil).
func (l *layout) contactText() (*typeset.Block, error) {
	if len(l.t.Contacts) == 0 {
		return &typeset.Block{}, nil
	}
	parts := make([]string, len(l.t.Contacts))
	for i, p := range l.t.Contacts {
		parts[i] = typeset.Join(strings.TrimSpace(p.Name + " " + typeset.Phone(p.Phone)))
	}
	lines, ok := typeset.Break(l.pdf.M, "联系电话："+strings.Join(parts, "　"), 8.5, pageW-2*margin)
	if !ok || len(lines) > 2 {
		return nil, nil
	}
	return &typeset.Block{Lines: lines, Pt: 8.5, Leading: 1.25}, nil
}

// finishPage writes the footer of the page being drawn.
func (l *layout) finishPage() error {
	if l.pages == 0 {
		return nil
	}
	n := "第" + fmt.Sprint(l.pages) + "页"
	if l.total > 1 {
		n += " 共" + fmt.Sprint(l.total) + "页"
	}
	text := strings.TrimSpace(l.t.Footer + "  " + n)
	return l.pdf.Cell(text, margin, pageH-margin-footerH+2, pageW-2*margin, footerH-2,
		typeset.Spec{Field: "footer", MaxPt: 8, MinPt: 5, OneLine: true}, typeset.Style{Color: midGrey, Align: typeset.Right})
}

func (l *layout) title() error {
	if err := l.finishPage(); err != nil {
		return err
	}
	p := l.pdf
	p.AddPage(pageW, pageH)
	l.pages++
	w := pageW - 2*margin
	y := margin
	if err := p.Cell(l.t.Title, margin, y, w, titleH, typeset.Spec{Field: "title", MaxPt: 16, MinPt: 9, OneLine: true}, typeset.Style{Color: black, Bold: true, Align: typeset.Center}); err != nil {
		return err
	}
	y += titleH
	legend := l.t.Period + "　　黄色底为集日　　带 * 的班次有冲突（请假、人手不足或重复排班）"
	if err := p.Cell(legend, margin, y, w, periodH, typeset.Spec{Field: "period", MaxPt: 9.5, MinPt: 6, OneLine: true}, typeset.Style{Color: darkGrey, Align: typeset.Center}); err != nil {
		return err
	}
	y += periodH
	if b := l.contactLines; b != nil && len(b.Lines) > 0 {
		p.Block(*b, margin, y, w, typeset.Center, darkGrey, false)
		y += b.Height()
	}
	l.y = y + belowTitle
	return nil
}

// header is the column heads: the rule's name, and under it the team and
// the times, wrapped and shrunk to fit their box.
func (l *layout) header(cols []column, notes bool, colW float64) error {
	p := l.pdf
	h := l.headerH()
	x, y := margin, l.y
	box := func(w float64, a, b string) error {
		p.SetFillRGBA(headFill)
		p.SetStroke(ruleGrey, 0.2, false)
		p.Rect(x, y, w, h, "FD")
		iw := w - 2*cellPad
		if b == "" {
			if err := p.Cell(a, x+cellPad, y, iw, h, typeset.Spec{Field: "column heading", MaxPt: l.size, MinPt: minCellPt}, typeset.Style{Color: black, Bold: true, Align: typeset.Center}); err != nil {
				return err
			}
		} else {
			if err := p.Cell(a, x+cellPad, y+1, iw, l.lineH(), typeset.Spec{Field: "column heading", MaxPt: l.size, MinPt: minCellPt, OneLine: true}, typeset.Style{Color: black, Bold: true, Align: typeset.Center}); err != nil {
				return err
			}
			if err := p.Cell(b, x+cellPad, y+1+l.lineH(), iw, h-2-l.lineH(), typeset.Spec{Field: "column heading", MaxPt: l.size * 0.8, MinPt: 4.5, Leading: 1.1}, typeset.Style{Color: darkGrey, Align: typeset.Center}); err != nil {
				return err
			}
		}
		x += w
		return nil
	}
	if err := box(l.dateW, "日期", ""); err != nil {
		return err
	}
	if err := box(l.lunarW(), "农历", ""); err != nil {
		return err
	}
	if err := box(l.marketW(), "集", ""); err != nil {
		return err
	}
	for _, c := range cols {
		a, b := c.heading()
		if err := box(colW, a, b); err != nil {
			return err
		}
	}
	if notes {
		if err := box(notesColW, "备注", ""); err != nil {
			return err
		}
	}
	l.y = y + h
	return nil
}

// cellBox is one cell of a row, fitted.
type cellBox struct {
	w     float64
	b     typeset.Block
	color color.RGBA
}

func (l *layout) fitCell(text string, w float64, field string) (typeset.Block, error) {
	return typeset.Fit(l.pdf.M, text, w-2*cellPad, 0, typeset.Spec{Field: field, MaxPt: l.size, MinPt: minCellPt, Leading: 1.25})
}

func (l *layout) page(cols []column, notes bool, colW float64) error {
	if err := l.title(); err != nil {
		return err
	}
	if err := l.header(cols, notes, colW); err != nil {
		return err
	}
	p := l.pdf
	bottom := pageH - margin - footerH
	// How many pages the rows fill, one after another; they are then
	// shared out evenly over that many, so the last page is not a row or
	// two alone.
	pages, y := 1, l.y
	for _, d := range l.t.Days {
		_, h, err := l.row(d, cols, notes, colW)
		if err != nil {
			return err
		}
		if y+h > bottom && y > l.y {
			pages, y = pages+1, l.y
		}
		y += h
	}
	// On one page (its phones under the title), the rows share out the
	// height left below them, up to two lines more a row.
	pad := 0.0
	if pages == 1 && l.contactLines != nil && len(l.t.Days) > 0 {
		pad = min(max(0, bottom-y-0.01)/float64(len(l.t.Days)), 2*l.lineH()) // (0.01: the last row stays on the page)
	}
	done, onPage := 0, 0
	for i, d := range l.t.Days {
		cells, h, err := l.row(d, cols, notes, colW)
		if err != nil {
			return err
		}
		h += pad
		quota := (len(l.t.Days) - i + onPage + (pages - done) - 1) / max(1, pages-done)
		if l.y+h > bottom || pages > 1 && onPage >= quota {
			if err := l.title(); err != nil {
				return err
			}
			if err := l.header(cols, notes, colW); err != nil {
				return err
			}
			done, onPage = done+1, 0
		}
		onPage++
		x := margin
		fill := "D"
		if d.Market {
			p.SetFillRGBA(market)
			fill = "FD"
		}
		p.SetStroke(ruleGrey, 0.2, false)
		for _, c := range cells {
			p.Rect(x, l.y, c.w, h, fill)
			p.Block(c.b, x+cellPad, l.y+(h-c.b.Height())/2, c.w-2*cellPad, typeset.Center, c.color, false)
			x += c.w
		}
		l.y += h
	}
	return nil
}

// row fits one day's cells at the layout's size; h is the row's height.
func (l *layout) row(d Day, cols []column, notes bool, colW float64) (cells []cellBox, h float64, err error) {
	add := func(w float64, text, field string, c color.RGBA) error {
		b, err := l.fitCell(text, w, field)
		if err != nil {
			return fmt.Errorf("duty table %s, %s: %w", d.Date.Format("2006-01-02"), field, err)
		}
		cells = append(cells, cellBox{w, b, c})
		return nil
	}
	// "12月10日 周四" breaks, if it must, at the space only.
	date, wd, _ := strings.Cut(dateLabel(d.Date), " ")
	if err := add(l.dateW, typeset.Join(date)+" "+typeset.Join(wd), "date", black); err != nil {
		return nil, 0, err
	}
	if err := add(l.lunarW(), d.Lunar, "lunar date", black); err != nil {
		return nil, 0, err
	}
	mark := ""
	if d.Market {
		mark = "集"
	}
	if err := add(l.marketW(), mark, "market", black); err != nil {
		return nil, 0, err
	}
	for _, c := range cols {
		s, alert := cell(d, c, typeset.Join)
		col := black
		if alert {
			s += string(typeset.WordJoiner) + " *"
			col = alertRed
		}
		if err := add(colW, s, c.Rule, col); err != nil {
			return nil, 0, err
		}
	}
	if notes {
		if err := add(notesColW, strings.Join(d.Notes, "、"), "notes", black); err != nil {
			return nil, 0, err
		}
	}
	for _, c := range cells {
		h = max(h, c.b.Height())
	}
	return cells, h + 1.1, nil
}

// contacts prints the phone list after the table, on a new page if the
// last one is full.
func (l *layout) contacts() error {
	if len(l.t.Contacts) == 0 {
		return nil
	}
	p := l.pdf
	const perRow = 4
	cw := (pageW - 2*margin) / perRow
	rowH := 6.0
	rows := (len(l.t.Contacts) + perRow - 1) / perRow
	bottom := pageH - margin - footerH
	if l.y+9+rowH > bottom {
		if err := l.title(); err != nil {
			return err
		}
	}
	l.y += 3
	if err := p.Cell("值班人员联系电话", margin, l.y, pageW-2*margin, 6, typeset.Spec{Field: "contacts", MaxPt: 10, MinPt: 10, OneLine: true}, typeset.Style{Color: black, Bold: true}); err != nil {
		return err
	}
	l.y += 6
	for r := range rows {
		if l.y+rowH > bottom {
			if err := l.title(); err != nil {
				return err
			}
		}
		for k := range perRow {
			i := r*perRow + k
			if i >= len(l.t.Contacts) {
				break
			}
			c := l.t.Contacts[i]
			s := strings.TrimSpace(c.Name + " " + c.Role + " " + typeset.Phone(c.Phone))
			x := margin + float64(k)*cw
			if err := p.Cell(s, x+cellPad, l.y, cw-2*cellPad, rowH, typeset.Spec{Field: "contact", MaxPt: 9, MinPt: minCellPt, Leading: 1.1}, typeset.Style{Color: black}); err != nil {
				return err
			}
			p.SetStroke(ruleGrey, 0.2, false)
			p.Line(x, l.y+rowH, x+cw, l.y+rowH)
		}
		l.y += rowH
	}
	return nil
}
