// Package mapsheet lays out a village map sheet as a PDF: the map on A4 or
// A3 (or tiled across A4 pages with an overlap and a page index when the
// village is too large to print legibly on one sheet), with legend, scale
// bar, north arrow, date and post name, followed by a house index (number
// → householder). The map itself is drawn by render.Draw through a gofpdf
// Painter, so paper and screen show the same thing.
package mapsheet

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"cunjing/maps"
	"cunjing/maps/numbering"
	"cunjing/maps/render"
	"cunjing/maps/route"
	"cunjing/print/fonts"
	"cunjing/print/typeset"
)

// Paper selects the sheet size.
type Paper string

// Paper choices. Auto picks A4 if the village fits legibly, else A3, else
// tiles across A4.
const (
	PaperAuto Paper = ""
	PaperA4   Paper = "A4"
	PaperA3   Paper = "A3"
)

// Options describe one map sheet.
type Options struct {
	Title string    // default: village name + "房屋分布图"
	Post  string    // police post name, printed in the header
	Date  time.Time // printed date; zero means today
	Paper Paper
	// Scale is the denominator (1000 for 1:1000); 0 chooses the smallest
	// standard scale at which house numbers stay legible.
	Scale        int
	VehicleWidth float64 // lane class shown in the legend (default 4.0 m)
	Route        *render.RouteOverlay
	Highlight    []string    // house IDs to outline
	BaseImage    image.Image // the scanned map, drawn under the features when set
	// NoIndex leaves out the house index pages.
	NoIndex bool
}

// Layout constants in millimetres.
const (
	// legendTop is where the legend starts under the frame, below the
	// neighbouring page's name (neighbours).
	legendTop = 5.5
	margin    = 10.0
	headerH   = 16.0
	footerH   = 26.0
	overlapMM = 12.0
	// minHouseMM is the short side a typical house needs on paper so its
	// number can be printed at a legible size (~5 pt).
	minHouseMM = 5.0
	// minNumberMM is the smallest number size printed (≈4.3 pt).
	minNumberMM = 1.5
	// roadGapEm is the clear space, in ems, a name keeps from a lane's
	// edge: a quarter em beyond the halo's 0.08, so a 1.7 mm name has
	// ~0.57 mm of white between its ink and the lane's casing (0.22 mm
	// wide): clearly apart on a print shop's coarse screen
	// (render.Style.RoadGap).
	roadGapEm = 0.25
	// maxLeaderMM is the longest leader line a name takes from its
	// feature (render.Style.MaxLeader; half as long again to a water
	// source the route names): on the demo 张庄村's sheets 6号巷水井 was
	// set 22 mm from its well and 农资店 15.5 mm from its symbol across
	// 27号巷, read as naming what lies there. 12 mm, the A4 card's bound,
	// sent names on the larger test villages onto a road's edge.
	maxLeaderMM = 15.0
	maxPages    = 400
)

// standardScales are the denominators offered, largest scale first.
var standardScales = []int{200, 250, 500, 750, 1000, 1250, 1500, 2000, 2500, 3000, 4000, 5000, 7500, 10000}

type sheet struct {
	w, h   float64 // page size
	orient string
	size   string
}

func (s sheet) frame() (x, y, w, h float64) {
	return margin, margin + headerH, s.w - 2*margin, s.h - 2*margin - headerH - footerH
}

func sheetFor(size string, landscape bool) sheet {
	w, h := 210.0, 297.0
	if size == "A3" {
		w, h = 297, 420
	}
	if landscape {
		return sheet{h, w, "L", size}
	}
	return sheet{w, h, "P", size}
}

// tile is one map page: a world box and its grid name.
type tile struct {
	world Rect
	name  string // "B2" on tiled sheets, "" for a single sheet
	page  int
}

// Rect is maps.Rect, named here for brevity.
type Rect = maps.Rect

// Plan is what WritePDF will print, worked out before drawing so callers
// (and tests) can show it: sheet size, scale and tiles.
type Plan struct {
	Paper     string // "A4" or "A3"
	Landscape bool
	Scale     int // denominator
	Tiles     int // map pages (1 when it fits one sheet)
	Cols      int
	Rows      int
}

// ErrEmpty is returned for a village with nothing to draw.
var ErrEmpty = errors.New("map sheet: the village has no houses, lanes or landmarks")

type layout struct {
	v     *maps.Village
	ix    *maps.Index
	opt   Options
	sh    sheet
	scale int
	tiles []tile
	cols  int
	rows  int
	ext   Rect
	// legends are the legend keys of each page written, in page order
	// (the index page first on a tiled sheet), for tests.
	legends [][]string
}

// MakePlan chooses paper, orientation, scale and tiling for v.
func MakePlan(v *maps.Village, opt Options) (Plan, error) {
	l, err := plan(v, opt)
	if err != nil {
		return Plan{}, err
	}
	return Plan{Paper: l.sh.size, Landscape: l.sh.orient == "L", Scale: l.scale, Tiles: len(l.tiles), Cols: l.cols, Rows: l.rows}, nil
}

func plan(v *maps.Village, opt Options) (*layout, error) {
	if v == nil {
		return nil, ErrEmpty
	}
	ix := maps.BuildIndex(v)
	ext := ix.Extent()
	if ext.IsEmpty() {
		return nil, ErrEmpty
	}
	ext = ext.Inset(math.Max(ext.W(), ext.H()) * 0.02)
	if opt.Paper != PaperAuto && opt.Paper != PaperA4 && opt.Paper != PaperA3 {
		return nil, fmt.Errorf("map sheet: paper %q, want A4 or A3", opt.Paper)
	}
	if opt.Scale < 0 || opt.Scale > 100000 {
		return nil, fmt.Errorf("map sheet: scale 1:%d out of range", opt.Scale)
	}
	landscape := ext.W() >= ext.H()
	l := &layout{v: v, ix: ix, opt: opt, ext: ext}
	legible := legibleScale(v)
	fits := func(size string, denom int) bool {
		_, _, fw, fh := sheetFor(size, landscape).frame()
		s := 1000 / float64(denom) // mm per metre
		return ext.W()*s <= fw && ext.H()*s <= fh
	}
	sizes := []string{"A4", "A3"}
	switch opt.Paper {
	case PaperA4:
		sizes = []string{"A4"}
	case PaperA3:
		sizes = []string{"A3"}
	}
	if opt.Scale > 0 {
		l.scale = opt.Scale
		l.sh = sheetFor(sizes[0], landscape)
		for _, sz := range sizes {
			if fits(sz, opt.Scale) {
				l.sh = sheetFor(sz, landscape)
				break
			}
		}
	} else {
		// The largest scale (most detail) that fits a sheet, as long as it
		// is at least as detailed as legibility requires.
		found := false
		for _, sz := range sizes {
			for _, d := range standardScales {
				if d > legible {
					break
				}
				if fits(sz, d) {
					l.scale, l.sh, found = d, sheetFor(sz, landscape), true
					break
				}
			}
			if found {
				break
			}
		}
		if !found {
			// Tile on A4 (or the forced size) at the legible scale.
			l.scale = legible
			l.sh = sheetFor(sizes[0], landscape)
			if opt.Paper == PaperAuto {
				l.sh = sheetFor("A4", landscape)
			}
		}
	}
	if err := l.makeTiles(); err != nil {
		return nil, err
	}
	return l, nil
}

// legibleScale is the largest standard denominator at which the median
// house's short side is at least minHouseMM on paper.
func legibleScale(v *maps.Village) int {
	var shorts []float64
	for i := range v.Houses {
		b := v.Houses[i].Polygon.Bounds()
		if !b.IsEmpty() {
			shorts = append(shorts, math.Min(b.W(), b.H()))
		}
	}
	if len(shorts) == 0 {
		return 2000
	}
	sort.Float64s(shorts)
	med := math.Max(shorts[len(shorts)/2], 0.5)
	maxDenom := 1000 * med / minHouseMM
	best := standardScales[0]
	for _, d := range standardScales {
		if float64(d) <= maxDenom {
			best = d
		}
	}
	return best
}

func (l *layout) makeTiles() error {
	_, _, fw, fh := l.sh.frame()
	s := 1000 / float64(l.scale)
	tw, th := fw/s, fh/s
	if l.ext.W() <= tw && l.ext.H() <= th {
		c := l.ext.Center()
		l.tiles = []tile{{world: Rect{Min: maps.Point{X: c.X - tw/2, Y: c.Y - th/2}, Max: maps.Point{X: c.X + tw/2, Y: c.Y + th/2}}, page: 1}}
		l.cols, l.rows = 1, 1
		return nil
	}
	stepX, stepY := (fw-overlapMM)/s, (fh-overlapMM)/s
	l.cols = int(math.Ceil((l.ext.W() - tw) / stepX))
	l.rows = int(math.Ceil((l.ext.H() - th) / stepY))
	l.cols, l.rows = max(l.cols, 0)+1, max(l.rows, 0)+1
	if l.cols*l.rows > maxPages {
		return fmt.Errorf("map sheet: 1:%d needs %d pages (at most %d); choose a smaller scale", l.scale, l.cols*l.rows, maxPages)
	}
	// Centre the grid on the village so overhangs are even.
	gw := tw + float64(l.cols-1)*stepX
	gh := th + float64(l.rows-1)*stepY
	x0 := l.ext.Center().X - gw/2
	yTop := l.ext.Center().Y + gh/2
	page := 2 // page 1 is the index
	for r := 0; r < l.rows; r++ {
		for c := 0; c < l.cols; c++ {
			w := Rect{
				Min: maps.Point{X: x0 + float64(c)*stepX, Y: yTop - float64(r)*stepY - th},
				Max: maps.Point{X: x0 + float64(c)*stepX + tw, Y: yTop - float64(r)*stepY},
			}
			empty := true
			l.ix.Query(w, func(maps.Ref) { empty = false })
			if empty {
				continue // no blank pages for fields outside the village
			}
			l.tiles = append(l.tiles, tile{world: w, name: fmt.Sprintf("%c%d", 'A'+rune(c%26), r+1), page: page})
			page++
		}
	}
	return nil
}

// WritePDF writes the map sheet in font, a CJK TrueType font from package
// fonts (every PDF writer in print takes ctx, w, font, then what it
// prints); a cancelled ctx stops it between pages.
func WritePDF(ctx context.Context, w io.Writer, font *fonts.Font, v *maps.Village, opt Options) error {
	if font == nil || len(font.TTF) == 0 {
		return errors.New("map sheet: no font")
	}
	l, err := plan(v, opt)
	if err != nil {
		return err
	}
	return l.write(ctx, w, font)
}

func (l *layout) write(ctx context.Context, w io.Writer, font *fonts.Font) error {
	v := l.v
	if l.opt.Date.IsZero() {
		l.opt.Date = time.Now()
	}
	if l.opt.Title == "" {
		l.opt.Title = strings.TrimSpace(v.Name + "房屋分布图")
	}
	if l.opt.VehicleWidth <= 0 {
		l.opt.VehicleWidth = route.DefaultVehicleWidth
	}
	tp, err := typeset.NewPDF(ctx, font, typeset.Info{Title: l.opt.Title, Created: l.opt.Date})
	if err != nil {
		return fmt.Errorf("map sheet: %w", err)
	}
	pdf := tp.Fpdf
	p := &pdfPainter{pdf: pdf, tp: tp, images: map[image.Image]string{}}
	if len(l.tiles) > 1 {
		if err := l.indexPage(p); err != nil {
			return err
		}
	}
	for i, t := range l.tiles {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("map sheet: %w", err)
		}
		if err := l.mapPage(p, t, i); err != nil {
			return err
		}
	}
	if !l.opt.NoIndex && len(v.Houses) > 0 {
		if err := l.houseIndex(p); err != nil {
			return err
		}
	}
	if p.err != nil {
		return fmt.Errorf("map sheet: %w", p.err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("map sheet: write PDF: %w", err)
	}
	return nil
}

var (
	black   = color.RGBA{0, 0, 0, 0xff}
	grey80  = color.RGBA{80, 80, 80, 0xff}
	tileHue = color.RGBA{21, 101, 192, 0xff}
	white   = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// header writes the title and the post and date on one line, the
// subtitle under it, and a rule.
func (l *layout) header(p *pdfPainter, sub string) error {
	tp := p.tp
	w := l.sh.w - 2*margin
	right := l.opt.Date.Format("2006年1月2日")
	if l.opt.Post != "" {
		right = l.opt.Post + "  " + right
	}
	rb, err := typeset.FitLine(tp.M, right, w*0.45, 7, typeset.Spec{Field: "post and date", MaxPt: 9, MinPt: 6})
	if err != nil {
		return err
	}
	rw := rb.Width(tp.M)
	if err := tp.Cell(l.opt.Title, margin, margin, w-rw-4, 8, typeset.Spec{Field: "title", MaxPt: 15, MinPt: 8, OneLine: true}, typeset.Style{Color: black, Bold: true}); err != nil {
		return err
	}
	tp.Block(rb, l.sh.w-margin-rw, margin+4-rb.Height()/2, rw, typeset.Left, black, false)
	if err := tp.Cell(sub, margin, margin+8.5, w, 5, typeset.Spec{Field: "subtitle", MaxPt: 9, MinPt: 5, OneLine: true}, typeset.Style{Color: black}); err != nil {
		return err
	}
	tp.SetStroke(black, 0.3, false)
	tp.Line(margin, margin+headerH-2, l.sh.w-margin, margin+headerH-2)
	return nil
}

func (l *layout) mapPage(p *pdfPainter, t tile, i int) error {
	pdf := p.pdf
	p.tp.AddPage(l.sh.w, l.sh.h)
	sub := fmt.Sprintf("比例尺 1:%d", l.scale)
	if t.name != "" {
		sub += fmt.Sprintf("    图幅 %s（第 %d 页，共 %d 幅，相邻图幅重叠 %.0f 毫米）", t.name, t.page, len(l.tiles), overlapMM)
	}
	if err := l.header(p, sub); err != nil {
		return err
	}
	fx, fy, fw, fh := l.sh.frame()
	vp, st := l.view(t)
	pdf.ClipRect(fx, fy, fw, fh, false)
	p.ox, p.oy = fx, fy
	drawn, err := render.DrawReport(p, l.ix, vp, st)
	p.ox, p.oy = 0, 0
	pdf.ClipEnd()
	p.tp.Reset()
	if err != nil {
		return fmt.Errorf("map sheet: page %d: %w", i+1, err)
	}
	p.tp.SetStroke(black, 0.4, false)
	pdf.Rect(fx, fy, fw, fh, "D")
	l.neighbours(p, t)
	return l.footer(p, vp.Scale, l.scale, drawn.Keys)
}

// view is the viewport and style a map page draws tile t with.
func (l *layout) view(t tile) (render.Viewport, *render.Style) {
	_, _, fw, fh := l.sh.frame()
	vp := render.Viewport{Center: t.world.Center(), Scale: 1000 / float64(l.scale), W: fw, H: fh}
	return vp, &render.Style{
		VehicleWidth:  l.opt.VehicleWidth,
		Highlight:     l.opt.Highlight,
		Route:         l.opt.Route,
		BaseImage:     l.opt.BaseImage,
		MinNumberSize: minNumberMM,
		SymbolSize:    1.6,
		Names:         true,
		NoBackground:  true,
		Line:          0.18,
		PlaceLabels:   true,
		RoadGap:       roadGapEm,
		ClearOutlines: true,
		MaxLeader:     maxLeaderMM,
	}
}

// neighbours writes the names of adjacent tiles at the frame edges, so a
// reader can follow a lane onto the next page.
func (l *layout) neighbours(p *pdfPainter, t tile) {
	if t.name == "" {
		return
	}
	fx, fy, fw, fh := l.sh.frame()
	pdf, tp := p.pdf, p.tp
	const pt = 8
	col := int(t.name[0] - 'A')
	var row int
	fmt.Sscanf(t.name[1:], "%d", &row)
	find := func(c, r int) string {
		n := fmt.Sprintf("%c%d", 'A'+rune(c), r)
		for _, o := range l.tiles {
			if o.name == n && c >= 0 && r >= 1 {
				return fmt.Sprintf("接 %s（第%d页）", n, o.page)
			}
		}
		return ""
	}
	w := func(s string) float64 { return tp.M.Width(s, pt) }
	if s := find(col, row-1); s != "" {
		tp.Text(fx+fw/2-w(s)/2, fy-1, pt, grey80, false, s)
	}
	if s := find(col, row+1); s != "" {
		tp.Text(fx+fw/2-w(s)/2, fy+fh+3.5, pt, grey80, false, s)
	}
	if s := find(col-1, row); s != "" {
		pdf.TransformBegin()
		pdf.TransformRotate(90, fx-1, fy+fh/2+w(s)/2)
		tp.Text(fx-1, fy+fh/2+w(s)/2, pt, grey80, false, s)
		pdf.TransformEnd()
		tp.Reset()
	}
	if s := find(col+1, row); s != "" {
		pdf.TransformBegin()
		pdf.TransformRotate(-90, fx+fw+1, fy+fh/2-w(s)/2)
		tp.Text(fx+fw+1, fy+fh/2-w(s)/2, pt, grey80, false, s)
		pdf.TransformEnd()
		tp.Reset()
	}
}

// north draws the north arrow centred on x, y (its 北 below): in the
// footer, where it hides nothing of the map.
func (l *layout) north(p *pdfPainter, x, y float64) {
	pdf, tp := p.pdf, p.tp
	tp.SetFillRGBA(black)
	pdf.Polygon([]gofpdf.PointType{{X: x, Y: y - 5}, {X: x + 2.5, Y: y + 3}, {X: x, Y: y + 1.5}, {X: x - 2.5, Y: y + 3}}, "F")
	tp.Text(x-tp.M.Width("北", 8)/2, y+6.5, 8, black, false, "北")
}

// footer draws the scale bar and the legend under the frame: the legend
// of what the page shows (keys, from render.DrawReport), nothing else.
func (l *layout) footer(p *pdfPainter, s float64, denom int, keys []string) error {
	pdf, tp := p.pdf, p.tp
	_, fy, _, fh := l.sh.frame()
	y := fy + fh + 6
	// Scale bar: a round length of about 40 mm, in four alternating parts.
	target := 40 / s
	nice := []float64{5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000}
	length := nice[0]
	for _, n := range nice {
		if n <= target {
			length = n
		}
	}
	bw := length * s
	x := margin
	tp.SetStroke(black, 0.2, false)
	for k := 0; k < 4; k++ {
		if k%2 == 0 {
			tp.SetFillRGBA(black)
		} else {
			tp.SetFillRGBA(color.RGBA{255, 255, 255, 255})
		}
		pdf.Rect(x+float64(k)*bw/4, y, bw/4, 1.8, "FD")
	}
	tp.Text(x-0.5, y+5, 7, black, false, "0")
	lbl := fmt.Sprintf("%g 米", length)
	tp.Text(x+bw-tp.M.Width(lbl, 7)/2, y+5, 7, black, false, lbl)
	tp.Text(x, y+9, 7, black, false, fmt.Sprintf("比例尺 1:%d", denom))
	l.north(p, margin+math.Max(bw, 30)+9, y+3)
	// Legend: items flow in columns right of the scale bar and the north
	// arrow, each label whole (shrunk if it must be).
	l.legends = append(l.legends, keys)
	items := render.LegendFor(keys, l.opt.VehicleWidth)
	lx := margin + math.Max(bw, 30) + 18
	// Rows as tall as the footer allows at 7 pt; tighter rows and smaller
	// type when the entries need more room. They start under the next
	// page's name, which a tiled sheet writes under the frame's middle.
	top := fy + fh + legendTop
	var rowH, pt, colW float64
	rows := 0
	for _, try := range []struct{ rowH, pt float64 }{{4.6, 7}, {3.8, 6.2}, {3.2, 5.4}, {2.7, 4.6}} {
		rowH, pt = try.rowH, try.pt
		rows = int((footerH - legendTop - 0.5) / rowH)
		colW = 20.0
		for _, it := range items {
			colW = math.Max(colW, tp.M.Width(it.Label, pt)+rowH+5)
		}
		colW = math.Min(colW, 60)
		cols := (len(items) + rows - 1) / rows
		if lx+float64(cols)*colW <= l.sh.w-margin+4 {
			break
		}
	}
	for i, it := range items {
		c, r := i/rows, i%rows
		ix := lx + float64(c)*colW
		if ix+colW > l.sh.w-margin+4 {
			return fmt.Errorf("map sheet: the legend has %d entries, room for %d", len(items), i)
		}
		iy := top + rowH/2 + float64(r)*rowH
		sw := math.Min(3.6, rowH*0.8)
		render.DrawLegendSwatch(p, it, maps.Point{X: ix + sw/2 + 0.5, Y: iy}, sw)
		tp.Reset()
		if err := tp.Cell(it.Label, ix+sw+2, iy-rowH/2, colW-sw-3, rowH, typeset.Spec{Field: "legend", MaxPt: pt, MinPt: 4, OneLine: true}, typeset.Style{Color: black}); err != nil {
			return err
		}
	}
	return nil
}

// indexPage shows the whole village small, with the tile grid and each
// tile's name and page number.
func (l *layout) indexPage(p *pdfPainter) error {
	pdf, tp := p.pdf, p.tp
	tp.AddPage(l.sh.w, l.sh.h)
	if err := l.header(p, fmt.Sprintf("图幅索引：共 %d 幅，比例尺 1:%d，每幅 %s%s", len(l.tiles), l.scale, l.sh.size, map[string]string{"L": "横向", "P": "纵向"}[l.sh.orient])); err != nil {
		return err
	}
	fx, fy, fw, fh := l.sh.frame()
	vp := l.indexView()
	st := &render.Style{VehicleWidth: l.opt.VehicleWidth, MinNumberSize: 100, SymbolSize: 1, NoBackground: true, Line: 0.1}
	pdf.ClipRect(fx, fy, fw, fh, false)
	p.ox, p.oy = fx, fy
	drawn, err := render.DrawReport(p, l.ix, vp, st)
	if err != nil {
		return fmt.Errorf("map sheet: index page: %w", err)
	}
	tp.Reset()
	for _, t := range l.tiles {
		a := vp.ToScreen(maps.Point{X: t.world.Min.X, Y: t.world.Max.Y})
		b := vp.ToScreen(maps.Point{X: t.world.Max.X, Y: t.world.Min.Y})
		tp.SetStroke(tileHue, 0.4, false)
		pdf.Rect(a.X+fx, a.Y+fy, b.X-a.X, b.Y-a.Y, "D")
	}
	// The names after every frame, each on white: where tiles overlap, a
	// label lay across the next tile's frame, houses and lanes.
	for _, lb := range l.indexLabels(vp, func(s string) float64 { return tp.M.Width(s, indexLabelPt) }) {
		tp.SetFillRGBA(white)
		pdf.Rect(lb.box.Min.X+fx, lb.box.Min.Y+fy, lb.box.W(), lb.box.H(), "F")
		tp.Text(lb.box.Min.X+fx+1, lb.box.Min.Y+fy+4.3, indexLabelPt, tileHue, false, lb.text)
	}
	p.ox, p.oy = 0, 0
	pdf.ClipEnd()
	tp.Reset()
	tp.SetStroke(black, 0.4, false)
	pdf.Rect(fx, fy, fw, fh, "D")
	return l.footer(p, vp.Scale, int(math.Round(1000/vp.Scale)), drawn.Keys)
}

// indexView is the index page's view: every tile whole in its frame.
func (l *layout) indexView() render.Viewport {
	_, _, fw, fh := l.sh.frame()
	all := l.ext
	for _, t := range l.tiles {
		all = all.Union(t.world)
	}
	return render.NewViewport(fw, fh, all, 4)
}

// indexLabelPt is the size of the tiles' names on the index page.
const indexLabelPt = 11.0

// indexLabel is a tile's name on the index page and its white box, in
// millimetres from the frame's corner.
type indexLabel struct {
	text string
	box  maps.Rect
}

// indexLabels places each tile's name (A2  第5页) on the index page in a
// corner of its tile, the one whose white box hides the fewest houses,
// landmarks and lanes (and no name placed before it): in the top left
// corner every name but the top row's lay over the village (on the demo
// 张庄村's A4 index, A2, B2 and C2 hid 7 houses and lanes).
func (l *layout) indexLabels(vp render.Viewport, width func(string) float64) []indexLabel {
	var out []indexLabel
	for _, t := range l.tiles {
		text := fmt.Sprintf("%s  第%d页", t.name, t.page)
		w, h := width(text)+2, 6.0
		a := vp.ToScreen(maps.Point{X: t.world.Min.X, Y: t.world.Max.Y})
		b := vp.ToScreen(maps.Point{X: t.world.Max.X, Y: t.world.Min.Y})
		var best maps.Rect
		bestN := -1
		for _, c := range [][2]float64{{a.X + 1, a.Y + 1.2}, {b.X - 1 - w, a.Y + 1.2}, {a.X + 1, b.Y - 1.2 - h}, {b.X - 1 - w, b.Y - 1.2 - h}} {
			box := maps.Rect{Min: maps.Point{X: c[0], Y: c[1]}, Max: maps.Point{X: c[0] + w, Y: c[1] + h}}
			n := l.hiddenBy(vp, box)
			for _, o := range out {
				if o.box.Overlaps(box) {
					n += 1000
				}
			}
			if bestN < 0 || n < bestN {
				best, bestN = box, n
			}
		}
		out = append(out, indexLabel{text: text, box: best})
	}
	return out
}

// hiddenBy counts the houses, landmarks and lanes whose bounds reach into
// box (millimetres from the index frame's corner).
func (l *layout) hiddenBy(vp render.Viewport, box maps.Rect) int {
	p, q := vp.ToWorld(box.Min), vp.ToWorld(box.Max)
	lanes, houses, landmarks, _ := l.ix.Visible(maps.Rect{Min: maps.Point{X: math.Min(p.X, q.X), Y: math.Min(p.Y, q.Y)}, Max: maps.Point{X: math.Max(p.X, q.X), Y: math.Max(p.Y, q.Y)}})
	return len(lanes) + len(houses) + len(landmarks)
}

// tileOf names the tile showing most of a house (its centroid's tile,
// preferring the one where it is furthest from the edge).
func (l *layout) tileOf(c maps.Point) string {
	best, bd := "", -1.0
	for _, t := range l.tiles {
		if !t.world.Contains(c) {
			continue
		}
		d := math.Min(math.Min(c.X-t.world.Min.X, t.world.Max.X-c.X), math.Min(c.Y-t.world.Min.Y, t.world.Max.Y-c.Y))
		if d > bd {
			best, bd = fmt.Sprintf("%s/%d", t.name, t.page), d
		}
	}
	return best
}

// houseIndex lists every house in number order: number, householder, old
// numbers and (for tiled sheets) the page that shows it.
func (l *layout) houseIndex(p *pdfPainter) error {
	type row struct{ num, name, old, where string }
	var rows []row
	for i := range l.v.Houses {
		h := &l.v.Houses[i]
		r := row{num: h.Number, name: h.Name, old: strings.Join(h.History, "、")}
		if r.num == "" {
			r.num = "（未编号）"
		}
		if len(l.tiles) > 1 {
			r.where = l.tileOf(h.Polygon.Centroid())
		}
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b row) int { return numbering.Compare(a.num, b.num) })
	tp := p.tp
	// The index is always portrait on the sheet's paper size.
	w, h := 210.0, 297.0
	if l.sh.size == "A3" {
		w, h = 297, 420
	}
	tiled := len(l.tiles) > 1
	top := margin + headerH + 2
	ip := planIndex(len(rows), w, h-top-margin)
	cols, rowH, share, pages := ip.cols, ip.rowH, ip.share, len(ip.share)
	gap := 4.0
	cw := (w - 2*margin - gap*float64(cols-1)) / float64(cols)
	numW, oldW, whereW := cw*0.22, cw*0.24, 0.0
	if tiled {
		whereW = cw * 0.18
	}
	nameW := cw - numW - oldW - whereW
	// Type grows with the rows: 9 pt in 5.2 mm rows, 8 to 11 pt.
	pt := math.Min(11, math.Max(8, rowH*9/5.2))
	// cell sets a value on one line, shrinking it, or on two; it is never
	// cut (a name that fits neither is an error naming it).
	cell := func(s string, x, y, w, pt float64) error {
		sp := typeset.Spec{Field: "house index", MaxPt: pt, MinPt: 5.5, OneLine: true}
		b, err := typeset.Fit(tp.M, s, w-1, rowH, sp)
		if err != nil {
			sp.OneLine, sp.MinPt, sp.Leading = false, 3.5, 1.05
			if b, err = typeset.Fit(tp.M, s, w-1, rowH, sp); err != nil {
				return err
			}
		}
		tp.Block(b, x+1, y+(rowH-b.Height())/2, w-1, typeset.Left, black, false)
		return nil
	}
	for pg := 0; pg < pages; pg++ {
		tp.AddPage(w, h)
		saved := l.sh
		l.sh = sheet{w: w, h: h, orient: "P", size: saved.size}
		err := l.header(p, fmt.Sprintf("房屋索引（门牌号 → 户主），共 %d 户，第 %d/%d 页", len(rows), pg+1, pages))
		l.sh = saved
		if err != nil {
			return err
		}
		for c, col := range share[pg] {
			x := margin + float64(c)*(cw+gap)
			y := top
			tp.SetFillRGBA(color.RGBA{230, 230, 230, 255})
			tp.Rect(x, y, cw, rowH, "F")
			heads := []struct {
				s    string
				x, w float64
			}{{"门牌号", x, numW}, {"户主", x + numW, nameW}, {"曾用号", x + numW + nameW, oldW}}
			if tiled {
				heads = append(heads, struct {
					s    string
					x, w float64
				}{"图幅/页", x + numW + nameW + oldW, whereW})
			}
			for _, hd := range heads {
				if err := cell(hd.s, hd.x, y, hd.w, pt-1); err != nil {
					return err
				}
			}
			for k, r := range rows[col[0]:col[1]] {
				y += rowH
				if k%2 == 1 {
					tp.SetFillRGBA(color.RGBA{246, 246, 246, 255})
					tp.Rect(x, y, cw, rowH, "F")
				}
				if err := cell(r.num, x, y, numW, pt); err != nil {
					return err
				}
				if err := cell(r.name, x+numW, y, nameW, pt); err != nil {
					return err
				}
				if err := cell(r.old, x+numW+nameW, y, oldW, pt-2); err != nil {
					return err
				}
				if tiled {
					if err := cell(r.where, x+numW+nameW+oldW, y, whereW, pt-2); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// Rows of the house index, in millimetres: as low as minIndexRow when
// that saves a page, as tall as maxIndexRow (11 pt type) when few houses
// would leave the page half white.
const (
	minIndexRow = 4.5
	maxIndexRow = 7.0
)

// indexPlan is how the house index is laid out: columns a page, the row
// height and each page's columns of rows (indexShare).
type indexPlan struct {
	cols  int
	rowH  float64
	share [][][2]int
}

// planIndex lays out n rows of the house index on pages w mm wide with
// avail mm under the heading for the table (its head row and its rows).
// As few pages as hold the rows at minIndexRow in the most columns the
// paper takes (3 on A4, 4 on A3), the rows shared evenly over them
// (indexShare); then the columns (that many or one fewer) and the row
// height, up to maxIndexRow, that fill the page's height best, the
// taller rows when two fill it alike, then the fewer columns. The pages of 5.2 mm rows it
// replaces left the bottom 40% of the demo 张庄村's two A3 pages white
// (320 houses, 40 rows a column where 72 fit); they are now one page.
func planIndex(n int, w, avail float64) indexPlan {
	most := 3
	if w > 250 {
		most = 4
	}
	perCol := func(rowH float64) int { return int(avail/rowH+1e-9) - 1 }
	pages := max(1, (n+most*perCol(minIndexRow)-1)/(most*perCol(minIndexRow)))
	perPage := (n + pages - 1) / pages
	best := indexPlan{cols: most, rowH: minIndexRow}
	bestFill := -1.0
	for _, cols := range []int{most, most - 1} {
		down := max(1, (perPage+cols-1)/cols) // the longest column's rows
		rowH := math.Min(maxIndexRow, avail/float64(down+1))
		if rowH < minIndexRow {
			continue
		}
		fill := float64(down+1) * rowH / avail
		tie := math.Abs(fill-bestFill) <= 1e-9
		if fill > bestFill+1e-9 || tie && rowH > best.rowH+1e-9 || tie && math.Abs(rowH-best.rowH) <= 1e-9 && cols < best.cols {
			best, bestFill = indexPlan{cols: cols, rowH: rowH}, fill
		}
	}
	best.share = indexShare(n, perCol(best.rowH), best.cols)
	return best
}

// indexShare lays the house index's rows out: for each page, each
// column's rows [first, last) in reading order, with perCol rows a column
// at most and cols columns a page. As few pages as hold the rows, the
// rows shared out evenly over them and, on each page, over its columns:
// no two pages and no two columns differ by more than one row (145
// houses on A4 are pages of 73 and 72, not 144 and one alone; 301 are
// 101, 100 and 100, not 101, 101 and 99).
func indexShare(rows, perCol, cols int) [][][2]int {
	if rows <= 0 || perCol <= 0 || cols <= 0 {
		return nil
	}
	pages := (rows + perCol*cols - 1) / (perCol * cols)
	out := make([][][2]int, pages)
	for pg := range out {
		first, last := typeset.EvenShare(rows, pages, pg)
		n := last - first
		for c := 0; c < min(cols, n); c++ {
			a, b := typeset.EvenShare(n, min(cols, n), c)
			out[pg] = append(out[pg], [2]int{first + a, first + b})
		}
	}
	return out
}
