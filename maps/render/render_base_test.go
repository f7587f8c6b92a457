package render

import (
	"testing"

	"cunjing/maps"
	"cunjing/maps/maptest"
)

func TestRenderBaseImage(t *testing.T) {
	v := &maps.Village{Base: &maps.BaseLayer{Width: 64, Height: 32, MetresPerPx: 0.5, Origin: maps.Point{X: 0, Y: 16}, Opacity: 1}}
	img := maptest.Halves(64, 32)
	vp := Viewport{Center: maps.Point{X: 16, Y: 8}, Scale: 10, W: 320, H: 160}
	out, err := testRenderer(t).RenderImage(maps.BuildIndex(v), vp, &Style{BaseImage: img})
	if err != nil {
		t.Fatal(err)
	}
	// World (8, 8) is image pixel (16, 16): red; world (24, 8) is blue.
	a, b := vp.ToScreen(maps.Point{X: 8, Y: 8}), vp.ToScreen(maps.Point{X: 24, Y: 8})
	if !maptest.IsRed(out.At(int(a.X), int(a.Y))) || !maptest.IsBlue(out.At(int(b.X), int(b.Y))) {
		t.Errorf("base image misplaced: %v %v", out.At(int(a.X), int(a.Y)), out.At(int(b.X), int(b.Y)))
	}
	// Half opacity blends with the background.
	v.Base.Opacity = 0.5
	out, _ = testRenderer(t).RenderImage(maps.BuildIndex(v), vp, &Style{BaseImage: img})
	if c := out.RGBAAt(int(a.X), int(a.Y)); c.G < 0x60 || c.R < 0xf0 {
		t.Errorf("half-opaque red over background: %v", c)
	}
}
