package maps

import (
	"image"
	"testing"
)

// bench3000 is the benchmark village: Synthesize's 3000-house map.
func bench3000(b *testing.B) (*Village, *Index) {
	b.Helper()
	v, err := Synthesize(42, 3000)
	if err != nil {
		b.Fatal(err)
	}
	return v, BuildIndex(v)
}

// streetView is what an officer looks at while editing: a few lanes with
// legible numbers (3 px per metre) on a 1280×800 window.
func streetView(ix *Index) Viewport {
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

func BenchmarkHitTest(b *testing.B) {
	v, ix := bench3000(b)
	pts := hitPoints(v)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		ix.HitTest(pts[i%len(pts)], 0.5)
		i++
	}
}

func BenchmarkHitTestLinear(b *testing.B) {
	v, _ := bench3000(b)
	pts := hitPoints(v)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		HitTestLinear(v, pts[i%len(pts)], 0.5)
		i++
	}
}

// hitPoints mixes clicks on houses, on lanes and on empty ground.
func hitPoints(v *Village) []Point {
	var pts []Point
	for i := 0; i < len(v.Houses); i += 37 {
		pts = append(pts, v.Houses[i].Polygon.Centroid())
	}
	for i := 0; i < len(v.Lanes); i += 3 {
		pts = append(pts, v.Lanes[i].Points[0])
	}
	ext := BoundsOf(pts)
	for k := 0; k < 20; k++ {
		pts = append(pts, Point{ext.Min.X + ext.W()*float64(k)/20, ext.Max.Y + 30})
	}
	return pts
}

func BenchmarkBuildIndex(b *testing.B) {
	v, _ := bench3000(b)
	b.ResetTimer()
	for b.Loop() {
		BuildIndex(v)
	}
}
