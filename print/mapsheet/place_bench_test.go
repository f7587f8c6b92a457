package mapsheet

import (
	"testing"

	"cunjing/maps/render"
	"cunjing/maps/render/rendertest"
	"cunjing/maps/synth"
)

// BenchmarkPlaceSheetLabels draws every map page of a sheet through a
// recorder, label placement included (docs/BENCHMARKS.md): the golden
// sheet's 60-house village on A4 and a 2,500-house village on A3.
func BenchmarkPlaceSheetLabels(b *testing.B) {
	for _, c := range []struct {
		name string
		seed int64
		n    int
		opt  Options
	}{{"golden-60", 3, 60, Options{}}, {"synth-2500-a3", 8, 2500, Options{Paper: PaperA3}}} {
		v, err := synth.Village(c.seed, c.n)
		if err != nil {
			b.Fatal(err)
		}
		l, err := plan(v, c.opt)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				for _, tl := range l.tiles {
					vp, st := l.view(tl)
					if _, err := render.DrawReport(&rendertest.Recorder{W: vp.W, H: vp.H}, l.ix, vp, st); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
