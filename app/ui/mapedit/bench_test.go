package mapedit

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/mapedit/mapcanvas"
	"cunjing/maps"
	"cunjing/maps/render"
	"cunjing/maps/synth"
	"cunjing/print/fonts"
)

// The map on the 3,000-house demo village with a scanned base map, in a
// 1000×600 view: street zoom (4 px/m) and the whole village.
func benchCanvas(b *testing.B, scale float64) *mapcanvas.Canvas {
	b.Helper()
	f, err := fonts.Find("")
	if err != nil {
		b.Skip(err)
	}
	v, err := synth.Village(42, 3000)
	if err != nil {
		b.Fatal(err)
	}
	jpg, layer := scannedJPEG(b, v, f.TTF, 1.4, 1.2)
	img, err := maps.DecodeBaseImage(jpg, 0)
	if err != nil {
		b.Fatal(err)
	}
	layer.ImageHash = img.Hash
	v.Base = &layer
	r, err := render.NewRenderer(f.TTF)
	if err != nil {
		b.Fatal(err)
	}
	c := mapcanvas.New()
	c.Resize(fyne.NewSize(1000, 600))
	ix := maps.BuildIndex(v)
	c.SetMap(r, ix, render.Style{Names: true, BaseImage: img.Display})
	c.Draw(1000, 600) // fits the village
	if scale > 0 {
		c.Update(func(_ *render.Style, vp *render.Viewport) { vp.Scale = scale })
	}
	c.Draw(1000, 600)
	return c
}

// hoverOverlay is the rubber band of a polygon being drawn, following the
// pointer.
func hoverOverlay(c *mapcanvas.Canvas, i int) *mapcanvas.Overlay {
	vp := c.Viewport()
	p := vp.Center
	q := p.Add(maps.Point{X: float64(i%40) - 20, Y: 10})
	return &mapcanvas.Overlay{
		Shapes: []mapcanvas.Shape{{Pts: []maps.Point{p, p.Add(maps.Point{X: 12}), q}, Closed: true, Fill: colDrawFill, Line: colDrawLine, Width: 2.5}},
		Dots:   []mapcanvas.Dot{{At: p, R: 4, Fill: colDrawPoint, Ring: colDrawLine}},
	}
}

// BenchmarkMapHoverOverlay is one pointer move while drawing: the cached
// map plus the overlay.
func BenchmarkMapHoverOverlay(b *testing.B) {
	c := benchCanvas(b, 4)
	for i := 0; b.Loop(); i++ {
		c.SetOverlay(hoverOverlay(c, i))
		c.Draw(1000, 600)
	}
}

// BenchmarkMapHoverRerender is the naive baseline: every pointer move
// renders the village again under the overlay.
func BenchmarkMapHoverRerender(b *testing.B) {
	c := benchCanvas(b, 4)
	for i := 0; b.Loop(); i++ {
		c.SetOverlay(hoverOverlay(c, i))
		c.Update(func(*render.Style, *render.Viewport) {}) // forces a render, as without the cache
		c.Draw(1000, 600)
	}
}

// BenchmarkMapPanStreet and BenchmarkMapPanVillage are one frame of a
// drag: the view moves, so the map is rendered (from the index, only
// what is visible).
func BenchmarkMapPanStreet(b *testing.B) {
	c := benchCanvas(b, 4)
	for i := 0; b.Loop(); i++ {
		d := float64(i%2*2 - 1)
		c.Update(func(_ *render.Style, vp *render.Viewport) { *vp = vp.Pan(d, 0) })
		c.Draw(1000, 600)
	}
}

func BenchmarkMapPanVillage(b *testing.B) {
	c := benchCanvas(b, 0)
	for i := 0; b.Loop(); i++ {
		d := float64(i%2*2 - 1)
		c.Update(func(_ *render.Style, vp *render.Viewport) { *vp = vp.Pan(d, 0) })
		c.Draw(1000, 600)
	}
}

// BenchmarkMapDragVillage is one frame of a drag on the whole village
// when rendering is slow: the last frame slid along (compare
// BenchmarkMapPanVillage, rendering every frame).
func BenchmarkMapDragVillage(b *testing.B) {
	test.NewTempApp(b) // a drag takes the keyboard through the app's driver
	c := benchCanvas(b, 0)
	c.SetSlow(true)
	at := fyne.NewPos(500, 300)
	for i := 0; b.Loop(); i++ {
		d := float32(i%2*2 - 1)
		c.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: at}, Dragged: fyne.Delta{DX: d}})
		c.Draw(1000, 600)
	}
}
