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
