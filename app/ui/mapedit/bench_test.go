package mapedit

import (
	"testing"

	"fyne.io/fyne/v2"

	"cunjing/maps"
	"cunjing/maps/render"
	"cunjing/maps/synth"
	"cunjing/print/fonts"
)

// The map on the 3,000-house demo village with a scanned base map, in a
// 1000×600 view: street zoom (4 px/m) and the whole village.
func benchCanvas(b *testing.B, scale float64) *mapCanvas {
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
	c := newMapCanvas()
	c.Resize(fyne.NewSize(1000, 600))
	ix := maps.BuildIndex(v)
	c.setMap(r, ix, render.Style{Names: true, BaseImage: img.Display})
	c.draw(1000, 600) // fits the village
	if scale > 0 {
		c.update(func(_ *render.Style, vp *render.Viewport) { vp.Scale = scale })
	}
	c.draw(1000, 600)
	return c
}

// hoverOverlay is the rubber band of a polygon being drawn, following the
// pointer.
func hoverOverlay(c *mapCanvas, i int) *overlay {
	vp := c.viewport()
	p := vp.Center
	q := p.Add(maps.Point{X: float64(i%40) - 20, Y: 10})
	return &overlay{
		shapes: []overlayShape{{pts: []maps.Point{p, p.Add(maps.Point{X: 12}), q}, closed: true, fill: colDrawFill, line: colDrawLine, width: 2.5}},
		dots:   []overlayDot{{at: p, r: 4, fill: colDrawPoint, ring: colDrawLine}},
	}
}

// BenchmarkMapHoverOverlay is one pointer move while drawing: the cached
// map plus the overlay.
func BenchmarkMapHoverOverlay(b *testing.B) {
	c := benchCanvas(b, 4)
	for i := 0; b.Loop(); i++ {
		c.setOverlay(hoverOverlay(c, i))
		c.draw(1000, 600)
	}
}

// BenchmarkMapHoverRerender is the naive baseline: every pointer move
// renders the village again under the overlay.
func BenchmarkMapHoverRerender(b *testing.B) {
	c := benchCanvas(b, 4)
	for i := 0; b.Loop(); i++ {
		c.setOverlay(hoverOverlay(c, i))
		c.update(func(*render.Style, *render.Viewport) {}) // forces a render, as without the cache
		c.draw(1000, 600)
	}
}

// BenchmarkMapPanStreet and BenchmarkMapPanVillage are one frame of a
// drag: the view moves, so the map is rendered (from the index, only
// what is visible).
func BenchmarkMapPanStreet(b *testing.B) {
	c := benchCanvas(b, 4)
	for i := 0; b.Loop(); i++ {
		d := float64(i%2*2 - 1)
		c.update(func(_ *render.Style, vp *render.Viewport) { *vp = vp.Pan(d, 0) })
		c.draw(1000, 600)
	}
}

func BenchmarkMapPanVillage(b *testing.B) {
	c := benchCanvas(b, 0)
	for i := 0; b.Loop(); i++ {
		d := float64(i%2*2 - 1)
		c.update(func(_ *render.Style, vp *render.Viewport) { *vp = vp.Pan(d, 0) })
		c.draw(1000, 600)
	}
}

// BenchmarkMapDragVillage is one frame of a drag on the whole village
// when rendering is slow: the last frame slid along (compare
// BenchmarkMapPanVillage, rendering every frame).
func BenchmarkMapDragVillage(b *testing.B) {
	c := benchCanvas(b, 0)
	c.mu.Lock()
	c.panning, c.slow = true, true
	c.mu.Unlock()
	for i := 0; b.Loop(); i++ {
		d := float64(i%2*2 - 1)
		c.mu.Lock()
		c.vp = c.vp.Pan(d, 0)
		c.mu.Unlock()
		c.draw(1000, 600)
	}
}
