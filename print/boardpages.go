package print

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"strings"

	"cunjing/print/fonts"
)

// A board's pages: one print-shop page with bleed and crop marks, or
// A4 tiles with glue strips and an index page (boardpages.go; the resident
// sheets are package print/sheet).

// Print-shop and tiling geometry, in millimetres.
const (
	bleedMM   = 3.0  // colour runs this far past the trim line
	slugMM    = 12.0 // room outside the bleed for crop marks and the job line
	markLenMM = 7.0
	markGapMM = 2.0 // crop marks start this far outside the bleed

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
	if err := blocking(CheckBoard(b, l.RequireConfirmed)); err != nil {
		return nil, 0, err
	}
	scale := l.Size.W / logicalW
	t := l.Template
	if t == "" {
		t = TemplateTable
	}
	return &boardDrawer{b: b, t: t, h: l.Size.H / scale, scale: scale}, scale, nil
}

// BoardPages lays one board out as pages: one plain page for paper sizes,
// one page with bleed and crop marks for board sizes (or with l.Marks), or
// an assembly index followed by A4 tiles when l.TileA4 is set.
func BoardPages(b Board, l Layout) ([]Page, error) {
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
		return []Page{{W: l.Size.W, H: l.Size.H, Label: label, draw: func(s surface) error {
			return d.draw(transformed{s, scale, 0, 0})
		}}}, nil
	}
	return []Page{printShopPage(d, scale, l.Size, label, b.Title)}, nil
}

// printShopPage puts the board with its bleed in the middle of a larger
// page, crop marks in the corners outside the bleed and a job line.
func printShopPage(d *boardDrawer, scale float64, sz Size, label, title string) Page {
	o := bleedMM + slugMM
	pd := *d
	pd.bleed = bleedMM / scale
	boxes := &pageBoxes{trimX: o, trimY: o, trimW: sz.W, trimH: sz.H, bleed: bleedMM}
	return Page{W: sz.W + 2*o, H: sz.H + 2*o, Label: label, boxes: boxes, draw: func(s surface) error {
		s.Clip(o-bleedMM, o-bleedMM, sz.W+2*bleedMM, sz.H+2*bleedMM)
		err := pd.draw(transformed{s, scale, o, o})
		s.Unclip()
		if err != nil {
			return err
		}
		return drawCropMarks(s, o, sz, title+" · "+label)
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
func planTiles(sz Size) tileGrid {
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

func tilePages(d *boardDrawer, scale float64, sz Size, label string) []Page {
	g := planTiles(sz)
	pages := []Page{{W: 210, H: 297, Label: label + " 拼贴说明", draw: func(s surface) error {
		return drawTileIndex(s, d, scale, g, label)
	}}}
	for r := 0; r < g.rows; r++ {
		for c := 0; c < g.cols; c++ {
			r, c := r, c
			pages = append(pages, Page{W: g.pageW, H: g.pageH, Label: label + " " + tileName(r, c), draw: func(s surface) error {
				return drawTile(s, d, scale, g, r, c, label)
			}})
		}
	}
	return pages
}

func drawTile(s surface, d *boardDrawer, scale float64, g tileGrid, r, c int, label string) error {
	m := tileMarginMM
	x0, y0 := float64(c)*g.stepX, float64(r)*g.stepY
	vw, vh := math.Min(g.cw, g.boardW-x0), math.Min(g.ch, g.boardH-y0)
	s.Clip(m, m, vw, vh)
	err := d.draw(transformed{s, scale, m - x0, m - y0})
	s.Unclip()
	if err != nil {
		return err
	}
	small := style{Color: grey}
	// Glue strips on the right and bottom: the next sheet's trimmed edge
	// lands on the dashed line and covers the same picture.
	if c < g.cols-1 {
		gx := m + g.stepX
		s.Line(gx, m, gx, m+vh, 0.3, grey, true)
		for _, y := range []float64{m - 6, m + vh + 1} {
			s.FillRect(gx, y, tileOverlapMM, 5, lightGrey)
			textAt(s, gx, tileOverlapMM, y+3.8, 7, small, 1, "粘贴")
		}
		textAt(s, gx, tileOverlapMM+m, m+vh+9, 7, small, 1, "接"+tileName(r, c+1)+"→")
	}
	if r < g.rows-1 {
		gy := m + g.stepY
		s.Line(m, gy, m+vw, gy, 0.3, grey, true)
		for _, x := range []float64{m - 6, m + vw + 1} {
			s.FillRect(x, gy, 5, tileOverlapMM, lightGrey)
			s.Text(x+0.4, gy+4, 6, small, "粘")
			s.Text(x+0.4, gy+8.5, 6, small, "贴")
		}
	}
	// Cut lines on the left and top where this sheet overlaps its
	// neighbours: its white margin goes.
	if c > 0 {
		s.Line(m, 2, m, g.pageH-2, 0.3, black, true)
		s.Text(1.5, m+4, 7, style{Color: black}, "剪")
	}
	if r > 0 {
		s.Line(2, m, g.pageW-2, m, 0.3, black, true)
		s.Text(m+1, m-2, 7, style{Color: black}, "剪：沿虚线剪去白边")
	}
	// Registration ticks at the picture's corners.
	for _, p := range [][2]float64{{m, m}, {m + vw, m}, {m, m + vh}, {m + vw, m + vh}} {
		s.Line(p[0]-3, p[1], p[0]+3, p[1], 0.2, black, false)
		s.Line(p[0], p[1]-3, p[0], p[1]+3, 0.2, black, false)
	}
	name := tileName(r, c)
	info := fmt.Sprintf("%s · 第%d行第%d列 · 共%d×%d张 · %s · %.0f×%.0f mm", name, r+1, c+1, g.cols, g.rows, label, g.boardW, g.boardH)
	pt, err := fitLine(s, "tile label", info, g.pageW-2*m-30, 6, 8, 3)
	if err != nil {
		return err
	}
	s.Text(m+12, g.pageH-3, pt, small, info)
	s.Text(m, g.pageH-2.5, 11, style{Color: red, Bold: true}, name)
	return nil
}

// drawTileIndex is the first sheet: the whole board small, the grid of
// sheets over it, and how to put them together.
func drawTileIndex(s surface, d *boardDrawer, scale float64, g tileGrid, label string) error {
	m := 15.0
	title := "拼贴说明 · " + label
	pt, err := fitLine(s, "index title", title, 210-2*m, 10, 18, 8)
	if err != nil {
		return err
	}
	s.Text(m, m+7, pt, style{Color: blue, Bold: true}, title)
	sub := fmt.Sprintf("成品 %.0f×%.0f mm，用 %d 张 A4（%d 列 × %d 行）拼成。", g.boardW, g.boardH, g.cols*g.rows, g.cols, g.rows)
	s.Text(m, m+15, 10, style{Color: black}, sub)

	boxW, boxH := 210-2*m, 297-m-25-60-m-6
	k := math.Min(boxW/g.boardW, boxH/g.boardH)
	mw, mh := g.boardW*k, g.boardH*k
	ox, oy := m+(boxW-mw)/2, m+25+(boxH-mh)/2
	if err := d.draw(transformed{s, scale * k, ox, oy}); err != nil {
		return err
	}
	s.StrokeRect(ox, oy, mw, mh, 0.3, black)
	// Each cell is the part of the board a sheet shows once assembled (the
	// overlap goes under the next sheet).
	npt := math.Min(16, math.Min(g.stepX, g.stepY)*k/ptMM*0.35)
	for r := 0; r < g.rows; r++ {
		for c := 0; c < g.cols; c++ {
			x0, y0 := float64(c)*g.stepX, float64(r)*g.stepY
			x1, y1 := math.Min(x0+g.stepX, g.boardW), math.Min(y0+g.stepY, g.boardH)
			if c == g.cols-1 {
				x1 = g.boardW
			}
			if r == g.rows-1 {
				y1 = g.boardH
			}
			s.StrokeRect(ox+x0*k, oy+y0*k, (x1-x0)*k, (y1-y0)*k, 0.5, red)
			n := tileName(r, c)
			cx, cy := ox+(x0+x1)/2*k, oy+(y0+y1)/2*k
			tw := s.Width(n, npt) + 2
			s.FillRect(cx-tw/2, cy-npt*ptMM*0.7, tw, npt*ptMM*1.4, white)
			textAt(s, cx-tw/2, tw, cy+npt*ptMM*0.35, npt, style{Color: red, Bold: true}, 1, n)
		}
	}
	steps := strings.Join([]string{
		"1. 按“实际大小 / 100%”打印，不要选“适合页面”，否则拼不齐。",
		"2. 除第一列外，每张沿左边的虚线剪去白边；除第一行外，沿上边的虚线剪去白边。",
		"3. 从 A1 开始，把下一张压在前一张右边（或上一行下边）的灰色“粘贴”区上，剪边对准虚线、图案对齐后粘牢。",
		"4. 全部拼好后，沿外圈图案边缘裁齐四周白边。",
	}, "\n")
	f, err := fit(s, "instructions", steps, 210-2*m, 60, 10.5, 6)
	if err != nil {
		return err
	}
	drawBlock(s, f, m, 297-m-60, 210-2*m, style{Color: black}, 0)
	return nil
}

// WriteBoard writes one board as a PDF.
func WriteBoard(w io.Writer, font *fonts.Font, b Board, l Layout) error {
	return WriteBoards(context.Background(), w, font, []Board{b}, l, DocInfo{Title: b.Title}, nil)
}

// WriteBoards writes all boards (one per venue, typically) into one PDF
// with the font embedded once. progress, if not nil, is called with the
// number of boards finished; ctx cancels between pages.
func WriteBoards(ctx context.Context, w io.Writer, font *fonts.Font, boards []Board, l Layout, info DocInfo, progress func(done, total int)) error {
	if len(boards) == 0 {
		return errors.New("print boards: no boards (the venue list is empty)")
	}
	var pages []Page
	ends := make([]int, len(boards)) // page count after each board
	for i, b := range boards {
		ps, err := BoardPages(b, l)
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
	return WritePDF(ctx, w, font, info, pages, pageProgress)
}

// PreviewBoard renders the board alone (trim size, no marks, untiled) into
// an image widthPx wide, for the designer's live preview.
func PreviewBoard(font *fonts.Font, b Board, l Layout, widthPx int) (image.Image, error) {
	l.TileA4, l.Marks = false, false
	d, scale, err := l.drawer(b)
	if err != nil {
		return nil, err
	}
	p := Page{W: l.Size.W, H: l.Size.H, Label: "preview", draw: func(s surface) error {
		return d.draw(transformed{s, scale, 0, 0})
	}}
	return Rasterize(font, p, widthPx)
}
