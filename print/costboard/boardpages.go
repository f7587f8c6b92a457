package costboard

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"strings"

	"cunjing/print"
	"cunjing/print/fonts"
)

// A board's pages: one print-shop page with bleed and crop marks, or
// A4 tiles with glue strips and an index page (boardpages.go; the resident
// sheets are package print/sheet).

// Tiling geometry, in millimetres.
const (
	tileMarginMM  = 10.0 // office printers cannot print the page edge
	tileOverlapMM = 10.0 // glue strip shared by neighbouring tiles
)

func (l Layout) drawer(b Board) (*boardDrawer, float64, error) {
	if l.Size.W <= 0 || l.Size.H <= 0 {
		return nil, 0, errors.New("layout: no size (use ParseSize)")
	}
	if _, err := ParseTemplate(string(l.Template)); err != nil {
		return nil, 0, err
	}
	if err := blocking(Check(b, l.RequireConfirmed)); err != nil {
		return nil, 0, err
	}
	scale := l.Size.W / logicalW
	t := l.Template
	if t == "" {
		t = TemplateTable
	}
	return &boardDrawer{b: b, t: t, h: l.Size.H / scale, scale: scale, size: l.Size}, scale, nil
}

// Pages lays one board out as pages: one plain page for paper sizes,
// one page with bleed and crop marks for board sizes (or with l.Marks), or
// an assembly index followed by A4 tiles when l.TileA4 is set.
func Pages(b Board, l Layout) ([]print.Page, error) {
	d, scale, err := l.drawer(b)
	if err != nil {
		return nil, err
	}
	label := "board"
	if b.Venue != "" {
		label = b.Venue
	}
	switch {
	case l.TileA4:
		return tilePages(d, scale, l.Size, label), nil
	case l.Size.Paper && !l.Marks:
		return []print.Page{{W: l.Size.W, H: l.Size.H, Label: label, Draw: func(s print.Surface) error {
			return d.draw(print.Transformed{In: s, Scale: scale, OX: 0, OY: 0})
		}}}, nil
	}
	return []print.Page{printShopPage(d, scale, l.Size, label, b.Title)}, nil
}

// printShopPage puts the board with its bleed in the middle of a larger
// page, crop marks in the corners outside the bleed and a job line.
func printShopPage(d *boardDrawer, scale float64, sz print.Size, label, title string) print.Page {
	o := print.BleedMM + print.SlugMM
	pd := *d
	pd.bleed = print.BleedMM / scale
	boxes := &print.PageBoxes{TrimX: o, TrimY: o, TrimW: sz.W, TrimH: sz.H, Bleed: print.BleedMM}
	return print.Page{W: sz.W + 2*o, H: sz.H + 2*o, Label: label, Boxes: boxes, Draw: func(s print.Surface) error {
		s.Clip(o-print.BleedMM, o-print.BleedMM, sz.W+2*print.BleedMM, sz.H+2*print.BleedMM)
		err := pd.draw(print.Transformed{In: s, Scale: scale, OX: o, OY: o})
		s.Unclip()
		if err != nil {
			return err
		}
		return print.DrawCropMarks(s, o, sz, title+" · "+label)
	}}
}

// tileGrid is how a board is cut into A4 sheets.
type tileGrid struct {
	pageW, pageH   float64 // A4 in the chosen orientation
	cw, ch         float64 // printable content per sheet
	cols, rows     int
	stepX, stepY   float64
	boardW, boardH float64
}

func countTiles(board, content float64) int {
	if board <= content {
		return 1
	}
	return int(math.Ceil((board - tileOverlapMM) / (content - tileOverlapMM)))
}

// planTiles chooses the A4 orientation needing fewer sheets.
func planTiles(sz print.Size) tileGrid {
	best := tileGrid{}
	for _, o := range [][2]float64{{210, 297}, {297, 210}} {
		g := tileGrid{pageW: o[0], pageH: o[1], cw: o[0] - 2*tileMarginMM, ch: o[1] - 2*tileMarginMM, boardW: sz.W, boardH: sz.H}
		g.cols, g.rows = countTiles(sz.W, g.cw), countTiles(sz.H, g.ch)
		g.stepX, g.stepY = g.cw-tileOverlapMM, g.ch-tileOverlapMM
		if best.cols == 0 || g.cols*g.rows < best.cols*best.rows {
			best = g
		}
	}
	return best
}

// tileName is the sheet's label on the index: row letter, column number.
func tileName(r, c int) string {
	row := ""
	for n := r; ; n = n/26 - 1 {
		row = string(rune('A'+n%26)) + row
		if n < 26 {
			break
		}
	}
	return fmt.Sprintf("%s%d", row, c+1)
}

func tilePages(d *boardDrawer, scale float64, sz print.Size, label string) []print.Page {
	g := planTiles(sz)
	pages := []print.Page{{W: 210, H: 297, Label: label + " 拼贴说明", Draw: func(s print.Surface) error {
		return drawTileIndex(s, d, scale, g, label)
	}}}
	for r := 0; r < g.rows; r++ {
		for c := 0; c < g.cols; c++ {
			r, c := r, c
			pages = append(pages, print.Page{W: g.pageW, H: g.pageH, Label: label + " " + tileName(r, c), Draw: func(s print.Surface) error {
				return drawTile(s, d, scale, g, r, c, label)
			}})
		}
	}
	return pages
}

func drawTile(s print.Surface, d *boardDrawer, scale float64, g tileGrid, r, c int, label string) error {
	m := tileMarginMM
	x0, y0 := float64(c)*g.stepX, float64(r)*g.stepY
	vw, vh := math.Min(g.cw, g.boardW-x0), math.Min(g.ch, g.boardH-y0)
	s.Clip(m, m, vw, vh)
	err := d.draw(print.Transformed{In: s, Scale: scale, OX: m - x0, OY: m - y0})
	s.Unclip()
	if err != nil {
		return err
	}
	small := print.Style{Color: print.Grey}
	// Glue strips on the right and bottom: the next sheet's trimmed edge
	// lands on the dashed line and covers the same picture.
	if c < g.cols-1 {
		gx := m + g.stepX
		s.Line(gx, m, gx, m+vh, 0.3, print.Grey, true)
		for _, y := range []float64{m - 6, m + vh + 1} {
			s.FillRect(gx, y, tileOverlapMM, 5, print.LightGrey)
			print.TextAt(s, gx, tileOverlapMM, y+3.8, 7, small, 1, "粘贴")
		}
		// Which sheet comes next, down the right margin (below the picture
		// it sat 1 mm from the page's edge, where printers print nothing).
		for i, t := range []string{"接", tileName(r, c+1), "→"} {
			print.TextAt(s, m+vw, m-2, m+vh/2+float64(i-1)*3.5, 7, small, 1, t)
		}
	}
	if r < g.rows-1 {
		gy := m + g.stepY
		s.Line(m, gy, m+vw, gy, 0.3, print.Grey, true)
		for _, x := range []float64{m - 6, m + vw + 1} {
			s.FillRect(x, gy, 5, tileOverlapMM, print.LightGrey)
			s.Text(x+0.4, gy+4, 6, small, "粘")
			s.Text(x+0.4, gy+8.5, 6, small, "贴")
		}
	}
	// Cut lines on the left and top where this sheet overlaps its
	// neighbours: its white margin goes.
	if c > 0 {
		s.Line(m, 2, m, g.pageH-2, 0.3, print.Black, true)
		s.Text(m-5, m+4, 7, print.Style{Color: print.Black}, "剪")
	}
	if r > 0 {
		s.Line(2, m, g.pageW-2, m, 0.3, print.Black, true)
		s.Text(m+1, m-2, 7, print.Style{Color: print.Black}, "剪：沿虚线剪去白边")
	}
	// Registration ticks at the picture's corners.
	for _, p := range [][2]float64{{m, m}, {m + vw, m}, {m, m + vh}, {m + vw, m + vh}} {
		s.Line(p[0]-3, p[1], p[0]+3, p[1], 0.2, print.Black, false)
		s.Line(p[0], p[1]-3, p[0], p[1]+3, 0.2, print.Black, false)
	}
	name := tileName(r, c)
	info := fmt.Sprintf("%s · 第%d行第%d列 · 共%d×%d张 · %s · %.0f×%.0f mm", name, r+1, c+1, g.cols, g.rows, label, g.boardW, g.boardH)
	// The sheet's name and what it is, in the bottom margin clear of the
	// registration tick and 5 mm from the page's edge (office printers
	// print nothing nearer; they sat 2.5–3 mm from it).
	pt, err := print.FitLine(s, "tile label", info, g.pageW-2*m-30, 6, 8, 3)
	if err != nil {
		return err
	}
	s.Text(m+13, g.pageH-5, pt, small, info)
	s.Text(m+1.5, g.pageH-5, 10, print.Style{Color: print.Red, Bold: true}, name)
	return nil
}

// drawTileIndex is the first sheet: the whole board small, the grid of
// sheets over it, and how to put them together.
func drawTileIndex(s print.Surface, d *boardDrawer, scale float64, g tileGrid, label string) error {
	m := 15.0
	title := "拼贴说明 · " + label
	pt, err := print.FitLine(s, "index title", title, 210-2*m, 10, 18, 8)
	if err != nil {
		return err
	}
	s.Text(m, m+7, pt, print.Style{Color: print.Blue, Bold: true}, title)
	sub := fmt.Sprintf("成品 %.0f×%.0f mm，用 %d 张 A4（%d 列 × %d 行）拼成。\n红线分出每一张：左边的字母是行，上边的数字是列，左上角那张是 A1。", g.boardW, g.boardH, g.cols*g.rows, g.cols, g.rows)
	sf, err := print.Fit(s, "index subtitle", sub, 210-2*m, 12, 10, 7)
	if err != nil {
		return err
	}
	print.DrawBlock(s, sf, m, m+10, 210-2*m, print.Style{Color: print.Black}, 0)

	// The sheets' names stand outside the picture, as on a map's grid:
	// row letters at its left, column numbers above it (set in each cell
	// on a white box they hid the board's title, amounts and slogan).
	npt := 14.0
	gutter := s.Width(tileName(g.rows-1, 0)[:len(tileName(g.rows-1, 0))-1], npt) + 4
	boxW, boxH := 210-2*m-gutter, 297-m-25-60-m-6-gutter
	k := math.Min(boxW/g.boardW, boxH/g.boardH)
	mw, mh := g.boardW*k, g.boardH*k
	ox, oy := m+gutter+(boxW-mw)/2, m+25+gutter+(boxH-mh)/2
	if err := d.draw(print.Transformed{In: s, Scale: scale * k, OX: ox, OY: oy}); err != nil {
		return err
	}
	s.StrokeRect(ox, oy, mw, mh, 0.3, print.Black)
	// Each cell is the part of the board a sheet shows once assembled (the
	// overlap goes under the next sheet).
	npt = math.Min(npt, math.Min(g.stepX, g.stepY)*k/print.PtMM*0.8)
	red := print.Style{Color: print.Red, Bold: true}
	span := func(i, n int, step, whole float64) (float64, float64) {
		a := float64(i) * step
		if i == n-1 {
			return a, whole
		}
		return a, math.Min(a+step, whole)
	}
	for r := 0; r < g.rows; r++ {
		y0, y1 := span(r, g.rows, g.stepY, g.boardH)
		for c := 0; c < g.cols; c++ {
			x0, x1 := span(c, g.cols, g.stepX, g.boardW)
			s.StrokeRect(ox+x0*k, oy+y0*k, (x1-x0)*k, (y1-y0)*k, 0.5, print.Red)
		}
		row := tileName(r, 0)
		row = row[:len(row)-1]
		print.TextAt(s, ox-gutter, gutter-2, oy+(y0+y1)/2*k+npt*print.PtMM*0.35, npt, red, 2, row)
	}
	for c := 0; c < g.cols; c++ {
		x0, x1 := span(c, g.cols, g.stepX, g.boardW)
		print.TextAt(s, ox+x0*k, (x1-x0)*k, oy-2, npt, red, 1, fmt.Sprint(c+1))
	}
	steps := strings.Join([]string{
		"1. 按“实际大小 / 100%”打印，不要选“适合页面”，否则拼不齐。",
		"2. 除第一列外，每张沿左边的虚线剪去白边；除第一行外，沿上边的虚线剪去白边。",
		"3. 从 A1 开始，把下一张压在前一张右边（或上一行下边）的灰色“粘贴”区上，剪边对准虚线、图案对齐后粘牢。",
		"4. 全部拼好后，沿外圈图案边缘裁齐四周白边。",
	}, "\n")
	f, err := print.Fit(s, "instructions", steps, 210-2*m, 60, 10.5, 6)
	if err != nil {
		return err
	}
	print.DrawBlock(s, f, m, 297-m-60, 210-2*m, print.Style{Color: print.Black}, 0)
	return nil
}

// Write writes one board as a PDF.
func Write(w io.Writer, font *fonts.Font, b Board, l Layout) error {
	return WriteAll(context.Background(), w, font, []Board{b}, l, print.DocInfo{Title: b.Title}, nil)
}

// WriteAll writes all boards (one per venue, typically) into one PDF
// with the font embedded once. progress, if not nil, is called with the
// number of boards finished; ctx cancels between pages.
func WriteAll(ctx context.Context, w io.Writer, font *fonts.Font, boards []Board, l Layout, info print.DocInfo, progress func(done, total int)) error {
	if len(boards) == 0 {
		return errors.New("print boards: no boards (the venue list is empty)")
	}
	var pages []print.Page
	ends := make([]int, len(boards)) // page count after each board
	for i, b := range boards {
		ps, err := Pages(b, l)
		if err != nil {
			return fmt.Errorf("board %d (%s): %w", i+1, b.Venue, err)
		}
		pages = append(pages, ps...)
		ends[i] = len(pages)
	}
	if info.Title == "" {
		info.Title = boards[0].Title
	}
	var pageProgress func(done, total int)
	if progress != nil {
		next := 0
		pageProgress = func(done, _ int) {
			for next < len(ends) && ends[next] <= done {
				next++
				progress(next, len(boards))
			}
		}
	}
	return print.WritePDF(ctx, w, font, info, pages, pageProgress)
}

// Preview renders the board alone (trim size, no marks, untiled) into
// an image widthPx wide, for the designer's live preview.
func Preview(font *fonts.Font, b Board, l Layout, widthPx int) (image.Image, error) {
	l.TileA4, l.Marks = false, false
	d, scale, err := l.drawer(b)
	if err != nil {
		return nil, err
	}
	p := print.Page{W: l.Size.W, H: l.Size.H, Label: "preview", Draw: func(s print.Surface) error {
		return d.draw(print.Transformed{In: s, Scale: scale, OX: 0, OY: 0})
	}}
	return print.Rasterize(font, p, widthPx)
}
