package costboard

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	"cunjing/print"
	"cunjing/print/printtest"
	"cunjing/print/typeset"
)

// edgeRecorder records each text's baseline and em, in millimetres on the
// finished board.
type edgeRecorder struct {
	recorder
	lines []edgeLine
}

type edgeLine struct {
	s     string
	y, em float64
}

func (r *edgeRecorder) Text(x, y, pt float64, st print.Style, s string) {
	r.lines = append(r.lines, edgeLine{s: s, y: y, em: pt * print.PtMM})
}

// No text comes within 4 mm of a board's bottom edge: an office printer
// leaves 4–5 mm of the page unprinted and a print shop asks for 3 mm
// inside the trim, and the A4 boards' last footer line (数额核对日期…) sat
// 1.4 mm from it.
func TestBoardTextClearOfTheBottomEdge(t *testing.T) {
	m, err := typeset.NewMetrics(printtest.Font(t).TTF)
	if err != nil {
		t.Fatal(err)
	}
	const clear = 4.0
	for _, sz := range print.StandardSizes() {
		for _, tpl := range Templates() {
			b := testBoardFor(t, tpl, sz, "张家小卖部")
			b.Issuer = "城关派出所 宣"
			d, scale, err := Layout{Template: tpl, Size: sz}.drawer(b)
			if err != nil {
				t.Fatal(err)
			}
			rec := &edgeRecorder{recorder: recorder{m: m}}
			if err := d.draw(print.Transformed{In: rec, Scale: scale}); err != nil {
				t.Fatalf("%s %s: %v", tpl, sz.Name, err)
			}
			low := 0.0
			for _, l := range rec.lines {
				bottom := l.y + 0.2*l.em // the baseline and the glyphs' descent
				low = max(low, bottom)
				if bottom > sz.H-clear {
					t.Errorf("%s %s: %q reaches %.1f mm from the bottom edge, at least %.0f", tpl, sz.Name, l.s, sz.H-bottom, clear)
				}
			}
			t.Logf("%s %s: lowest text %.1f mm from the bottom edge", tpl, sz.Name, sz.H-low)
		}
	}
}

// tileRecorder records the text drawn on a tile sheet outside the board's
// clipped picture (its baseline, start and em), in millimetres.
type tileRecorder struct {
	recorder
	clipped bool
	texts   []tileText
}

type tileText struct {
	s        string
	x, y, em float64
}

func (r *tileRecorder) Clip(x, y, w, h float64) { r.clipped = true }
func (r *tileRecorder) Unclip()                 { r.clipped = false }
func (r *tileRecorder) Text(x, y, pt float64, st print.Style, s string) {
	if !r.clipped {
		r.texts = append(r.texts, tileText{s, x, y, pt * print.PtMM})
	}
}

// The sheets of a board tiled across A4 keep their own marks (the sheet's
// name, its line of what it is, 接A2→, 剪) 4 mm from the page's edges, as
// the picture keeps 10 mm: an office printer prints nothing nearer. The
// red sheet name and its line sat 2.5–3 mm from the bottom, 接A2→ 1 mm,
// 剪 1.5 mm from the left.
func TestTileMarksClearOfTheEdges(t *testing.T) {
	m, err := typeset.NewMetrics(printtest.Font(t).TTF)
	if err != nil {
		t.Fatal(err)
	}
	const clear = 4.0
	for _, sz := range []print.Size{print.SizeA3, print.Size60x90} {
		b := testBoardFor(t, TemplatePoster, sz, "张家小卖部")
		pages, err := Pages(b, Layout{Template: TemplatePoster, Size: sz, TileA4: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, pg := range pages[1:] { // the index page has its own margins
			rec := &tileRecorder{recorder: recorder{m: m}}
			if err := pg.Draw(rec); err != nil {
				t.Fatal(err)
			}
			for _, tx := range rec.texts {
				top, bottom := tx.y-0.9*tx.em, tx.y+0.2*tx.em
				right := tx.x + m.Width(tx.s, tx.em/print.PtMM)
				if tx.x < clear || top < clear || bottom > pg.H-clear || right > pg.W-clear {
					t.Errorf("%s %s: %q at x %.1f–%.1f, y %.1f–%.1f mm on a %.0f×%.0f page: within %.0f mm of an edge", sz.Name, pg.Label, tx.s, tx.x, right, top, bottom, pg.W, pg.H, clear)
				}
			}
		}
	}
}

// indexRecorder records, in drawing order, the boxes of what the index
// page paints: texts (em box from the baseline), filled and stroked
// rectangles.
type indexRecorder struct {
	recorder
	ops []indexOp
}

type indexOp struct {
	kind       string // "text", "fill", "stroke"
	s          string
	x, y, w, h float64
	lw         float64
	c          color.RGBA
}

func (r *indexRecorder) Text(x, y, pt float64, st print.Style, s string) {
	em := pt * print.PtMM
	r.ops = append(r.ops, indexOp{kind: "text", s: s, x: x, y: y - 0.9*em, w: r.m.Width(s, pt), h: 1.1 * em, c: st.Color})
}
func (r *indexRecorder) FillRect(x, y, w, h float64, c color.RGBA) {
	r.ops = append(r.ops, indexOp{kind: "fill", x: x, y: y, w: w, h: h, c: c})
}
func (r *indexRecorder) StrokeRect(x, y, w, h, lw float64, c color.RGBA) {
	r.ops = append(r.ops, indexOp{kind: "stroke", x: x, y: y, w: w, h: h, lw: lw, c: c})
}

// overlapMM2 is the area two boxes share, in mm².
func overlapMM2(ax, ay, aw, ah, bx, by, bw, bh float64) float64 {
	w := math.Min(ax+aw, bx+bw) - math.Max(ax, bx)
	h := math.Min(ay+ah, by+bh) - math.Max(ay, by)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// The assembly index (拼贴说明) shows the whole board small with the grid
// of sheets over it. The sheets' names (A1…E5) were set in the middle of
// each cell on a white box, hiding the board's title, amounts and slogan
// there (25 white boxes over a 90×120 cm table's picture). The names now
// stand outside the picture (row letters at its left, column numbers
// above it): nothing painted after the picture covers it but the red
// grid's thin lines, and every row and column is named.
func TestTileIndexNamesOffThePicture(t *testing.T) {
	m, err := typeset.NewMetrics(printtest.Font(t).TTF)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		tpl Template
		sz  print.Size
	}{
		{TemplateTable, print.Size90x120},
		{TemplatePoster, print.Size60x90},
		{TemplateCalculator, print.SizeA3},
	} {
		g := planTiles(tc.sz)
		b := testBoardFor(t, tc.tpl, tc.sz, "马记便民超市")
		pages, err := Pages(b, Layout{Template: tc.tpl, Size: tc.sz, TileA4: true})
		if err != nil {
			t.Fatal(err)
		}
		rec := &indexRecorder{recorder: recorder{m: m}}
		if err := pages[0].Draw(rec); err != nil {
			t.Fatal(err)
		}
		// The picture's frame: the first thin black rectangle as large as
		// the board drawn small.
		frame := -1
		for i, op := range rec.ops {
			if op.kind == "stroke" && op.c == print.Black && op.w > 60 && op.h > 60 {
				frame = i
				break
			}
		}
		if frame < 0 {
			t.Fatalf("%s %s: no picture frame on the index", tc.tpl, tc.sz.Name)
		}
		pic := rec.ops[frame]
		covered, named := 0.0, map[string]bool{}
		for _, op := range rec.ops[frame+1:] {
			if op.kind == "stroke" {
				continue // the grid's lines
			}
			if op.kind == "text" {
				named[op.s] = true
			}
			if a := overlapMM2(op.x, op.y, op.w, op.h, pic.x, pic.y, pic.w, pic.h); a > 0 {
				covered += a
				t.Errorf("%s %s: %s %q at %.0f,%.0f %.0f×%.0f mm covers %.0f mm² of the picture", tc.tpl, tc.sz.Name, op.kind, op.s, op.x, op.y, op.w, op.h, a)
			}
		}
		for r := 0; r < g.rows; r++ {
			if !named[tileName(r, 0)[:1]] {
				t.Errorf("%s %s: row %s not named beside the picture", tc.tpl, tc.sz.Name, tileName(r, 0)[:1])
			}
		}
		for c := 0; c < g.cols; c++ {
			if n := fmt.Sprint(c + 1); !named[n] {
				t.Errorf("%s %s: column %s not named beside the picture", tc.tpl, tc.sz.Name, n)
			}
		}
		t.Logf("%s %s: %.0f mm² of a %.0f×%.0f mm picture covered by what is drawn over it", tc.tpl, tc.sz.Name, covered, pic.w, pic.h)
	}
}
