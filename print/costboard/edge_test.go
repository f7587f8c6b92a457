package costboard

import (
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
