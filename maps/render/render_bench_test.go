package render

import (
	"image"
	"testing"

	"cunjing/maps"
	"cunjing/maps/synth/synthtest"
)

// bench3000 is the benchmark village and its index.
func bench3000(b *testing.B) (*maps.Village, *maps.Index) {
	v := synthtest.Village3000(b)
	return v, maps.BuildIndex(v)
}

// streetView is what an officer looks at while editing: a few lanes with
// legible numbers (3 px per metre) on a 1280×800 window.
func streetView(ix *maps.Index) Viewport {
	return Viewport{Center: ix.Extent().Center(), Scale: 3, W: 1280, H: 800}
}

func BenchmarkRenderStreetView(b *testing.B) {
	_, ix := bench3000(b)
	r := testRenderer(b)
	img := image.NewRGBA(image.Rect(0, 0, 1280, 800))
	vp := streetView(ix)
	st := &Style{Names: true}
	b.ResetTimer()
	for b.Loop() {
		if err := r.Render(img, ix, vp, st); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderStreetViewNaive is the baseline: the same frame with no
// culling, every feature of the village sent to the rasteriser.
func BenchmarkRenderStreetViewNaive(b *testing.B) {
	_, ix := bench3000(b)
	r := testRenderer(b)
	img := image.NewRGBA(image.Rect(0, 0, 1280, 800))
	vp := streetView(ix)
	st := &Style{Names: true}
	r.dst, r.clip = img, img.Bounds()
	b.ResetTimer()
	for b.Loop() {
		if err := drawAll(r, ix, vp, st); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderWholeVillage(b *testing.B) {
	_, ix := bench3000(b)
	r := testRenderer(b)
	img := image.NewRGBA(image.Rect(0, 0, 1280, 800))
	vp := NewViewport(1280, 800, ix.Extent(), 10)
	b.ResetTimer()
	for b.Loop() {
		if err := r.Render(img, ix, vp, nil); err != nil {
			b.Fatal(err)
		}
	}
}
