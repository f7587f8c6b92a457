package maps_test

import (
	"testing"

	"cunjing/maps"
	"cunjing/maps/synth/synthtest"
)

func BenchmarkHitTest(b *testing.B) {
	v := synthtest.Village3000(b)
	ix := maps.BuildIndex(v)
	pts := hitPoints(v)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		ix.HitTest(pts[i%len(pts)], 0.5)
		i++
	}
}

func BenchmarkHitTestLinear(b *testing.B) {
	v := synthtest.Village3000(b)
	pts := hitPoints(v)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		maps.HitTestLinear(v, pts[i%len(pts)], 0.5)
		i++
	}
}

// hitPoints mixes clicks on houses, on lanes and on empty ground.
func hitPoints(v *maps.Village) []maps.Point {
	var pts []maps.Point
	for i := 0; i < len(v.Houses); i += 37 {
		pts = append(pts, v.Houses[i].Polygon.Centroid())
	}
	for i := 0; i < len(v.Lanes); i += 3 {
		pts = append(pts, v.Lanes[i].Points[0])
	}
	ext := maps.BoundsOf(pts)
	for k := 0; k < 20; k++ {
		pts = append(pts, maps.Point{X: ext.Min.X + ext.W()*float64(k)/20, Y: ext.Max.Y + 30})
	}
	return pts
}

func BenchmarkBuildIndex(b *testing.B) {
	v := synthtest.Village3000(b)
	b.ResetTimer()
	for b.Loop() {
		maps.BuildIndex(v)
	}
}
