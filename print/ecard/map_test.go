package ecard

import (
	"testing"

	"cunjing/maps"
	"cunjing/maps/render"
	"cunjing/maps/render/rendertest"
)

// The card's map wrote every name where its feature is: 小卖部 and 快递点
// over the 消火栓's symbol and each other, 卫生室 over 主街's name, and the
// water the route sentence names (1号消火栓) went unnamed under them. Names
// are now placed as on a map sheet: at the card's sizes no name covers
// another text or a landmark's symbol.
func TestMapNamesClear(t *testing.T) {
	c, v := testCard(t)
	for _, size := range [][2]int{{PNGWidth, 620}, {1120, 840}, {800, 800}} {
		vp, st := mapView(c, v, size[0], size[1])
		d, err := render.DrawReport(&rendertest.Recorder{W: vp.W, H: vp.H}, maps.BuildIndex(v), vp, st)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range d.Texts {
			for _, b := range d.Texts[i+1:] {
				if rendertest.Overlap(a.Box, b.Box) {
					t.Errorf("%v: %q covers %q", size, a.Text, b.Text)
				}
			}
			if a.Kind == render.TextNumber {
				continue
			}
			for _, m := range d.Marks {
				if rendertest.Overlap(a.Box, m) {
					t.Errorf("%v: %q covers a symbol at %v", size, a.Text, m)
				}
			}
		}
	}
}

// BenchmarkMapImage draws the card's map picture at the window's size.
func BenchmarkMapImage(b *testing.B) {
	f := testFont(b)
	c, v := testCard(b)
	b.ResetTimer()
	for range b.N {
		if _, err := MapImage(c, v, f.TTF, 1120, 840); err != nil {
			b.Fatal(err)
		}
	}
}
