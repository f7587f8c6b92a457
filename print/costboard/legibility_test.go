package costboard

import (
	"errors"
	"image"
	"image/color"
	"testing"

	"cunjing/print"
	"cunjing/print/printtest"
	"cunjing/print/typeset"
)

// recorder is a surface that measures with the font and records every
// text drawn: its size in millimetres on the page and whether it is fine
// print.
type recorder struct {
	estimate
	m     *typeset.Metrics
	texts []recorded
}

type recorded struct {
	s    string
	emMM float64
	fine bool
}

func (r *recorder) Width(s string, pt float64) float64 { return r.m.Width(s, pt) }
func (r *recorder) Break(text string, pt, w float64) ([]string, bool) {
	return typeset.Break(r, text, pt, w)
}
func (r *recorder) Text(x, y, pt float64, st print.Style, s string) {
	r.texts = append(r.texts, recorded{s, pt * print.PtMM, st.Fine})
}
func (r *recorder) QR(string) (image.Image, string, error) {
	return image.NewGray(image.Rect(0, 0, 1, 1)), "qr", nil
}
func (r *recorder) Image(string, image.Image, float64, float64, float64, float64) {}
func (r *recorder) FillRect(float64, float64, float64, float64, color.RGBA)       {}

// The board's own layout is measured at every size and template: body
// text (title, venue, items, amounts, slogan, contact, phone) has an em of
// at least BodyMinMM on the finished board, so it reads at 2 m; fine print
// (legal citations, dates, 待核实, the QR caption) at least FineMinMM.
func TestBoardTextReadsAtTwoMetres(t *testing.T) {
	font := printtest.Font(t)
	m, err := typeset.NewMetrics(font.TTF)
	if err != nil {
		t.Fatal(err)
	}
	custom, _ := print.ParseSize("40x60")
	for _, sz := range append(print.StandardSizes(), custom) {
		for _, tpl := range Templates() {
			b := testBoardFor(t, tpl, sz, "柳树村东头老张家便民小卖部")
			d, scale, err := Layout{Template: tpl, Size: sz}.drawer(b)
			if err != nil {
				t.Fatal(err)
			}
			rec := &recorder{m: m}
			if err := d.draw(print.Transformed{In: rec, Scale: scale, OX: 0, OY: 0}); err != nil {
				t.Fatalf("%s %s with its default lines: %v", tpl, sz.Name, err)
			}
			body, fine := 0, 0
			for _, tx := range rec.texts {
				if tx.fine {
					fine++
				} else {
					body++
				}
				if min := MinTextMM(tx.fine); tx.emMM < min-1e-6 {
					t.Errorf("%s %s: %q at %.2f mm (fine %v), minimum %.1f mm", tpl, sz.Name, tx.s, tx.emMM, tx.fine, min)
				}
			}
			if body < 8 || fine < 2 {
				t.Errorf("%s %s: %d body and %d fine texts drawn", tpl, sz.Name, body, fine)
			}
			t.Logf("%s %s: %d lines of %d, %d texts", tpl, sz.Name, len(b.Items), len(DefaultItems(tpl, printtest.CostItems(t))), len(rec.texts))
		}
	}
	// The whole table does not fit an A4 board at the minimum: the layout
	// says so rather than print it small.
	b := Default(DefaultItems(TemplateTable, printtest.CostItems(t)), "x", testContact())
	d, _, err := Layout{Template: TemplateTable, Size: print.SizeA4}.drawer(b)
	if err != nil {
		t.Fatal(err)
	}
	var oe *print.OverflowError
	if err := d.draw(&recorder{m: m}); !errors.As(err, &oe) || oe.Field != "cost items" {
		t.Errorf("all %d lines on an A4 table: %v, want an overflow of the cost items", len(b.Items), err)
	}
}
