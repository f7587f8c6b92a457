package mapedit

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/image/vector"

	"cunjing/app/ui/kit"
	"cunjing/maps"
	"cunjing/maps/render"
)

// legendSwatch is the size of a legend entry's sample, in pixels.
const legendSwatch = 22

// legend is 图例 under 怎么用: what each fill, marker and symbol the
// village shows means, drawn as the map draws it (render.Legend, the
// printed sheet's entries), said in the window's words (the households'
// categories, the landmark kinds of 放地标). A newcomer could not tell a
// red-edged house from a 党员's red square.
func legend(v *maps.Village, vehicleWidth float64) []fyne.CanvasObject {
	if v == nil {
		return nil
	}
	// Two short words a line; the roads' longer ones a line each.
	var cells, long []fyne.CanvasObject
	for _, it := range render.Legend(v, vehicleWidth, false) {
		img := canvas.NewImageFromImage(swatch(it))
		img.FillMode = canvas.ImageFillOriginal
		img.ScaleMode = canvas.ImageScalePixels
		img.SetMinSize(fyne.NewSize(legendSwatch, legendSwatch))
		entry := container.NewBorder(nil, nil, container.NewCenter(img), nil, widget.NewLabel(legendWord(it, vehicleWidth)))
		if it.Key == "lane" || it.Key == "narrow" {
			long = append(long, entry)
		} else {
			cells = append(cells, entry)
		}
	}
	if len(cells)+len(long) == 0 {
		return nil
	}
	return []fyne.CanvasObject{kit.Heading(lang.L("mapedit.legend.title")),
		container.New(kit.TightVBox{}, append([]fyne.CanvasObject{container.NewGridWithColumns(2, cells...)}, long...)...)}
}

// mapCategoryKeys are the window's words for the map's house categories:
// those of 住户's list, which the printed sheet uses too (maps.Category.Label).
var mapCategoryKeys = map[maps.Category]string{
	maps.CatParty: "cat.party", maps.CatGrid: "cat.grid", maps.CatWubao: "cat.wubao", maps.CatKey: "cat.key",
	maps.CatElderly: "cat.elderly", maps.CatChildren: "cat.child", maps.CatRental: "cat.rental", maps.CatEmpty: "status.empty",
}

// mapWarningKeys are the window's words for the warning colours.
var mapWarningKeys = map[maps.Warning]string{maps.WarningRed: "warn.red", maps.WarningOrange: "warn.orange", maps.WarningGreen: "warn.green"}

// legendWord is what a legend entry is called in the window.
func legendWord(it render.LegendItem, vehicleWidth float64) string {
	kind, val, _ := strings.Cut(it.Key, ":")
	switch kind {
	case "house", "courtyard":
		return lang.L("mapedit.legend." + kind)
	case "lane", "narrow":
		return fmt.Sprintf(lang.L("mapedit.legend."+kind), trimFloat(vehicleWidth))
	case "warning":
		if k, ok := mapWarningKeys[maps.Warning(val)]; ok {
			return fmt.Sprintf(lang.L("mapedit.legend.warning"), lang.L(k))
		}
	case "category":
		if k, ok := mapCategoryKeys[maps.Category(val)]; ok {
			return lang.L(k)
		}
	case "landmark":
		if w := lang.L("mapedit.kind." + val); w != "mapedit.kind."+val {
			return w
		}
	}
	return it.Label
}

// swatch draws a legend entry's sample as the map draws it.
func swatch(it render.LegendItem) image.Image {
	p := &swatchPainter{img: image.NewRGBA(image.Rect(0, 0, legendSwatch, legendSwatch))}
	render.DrawLegendSwatch(p, it, maps.Point{X: legendSwatch / 2, Y: legendSwatch / 2}, legendSwatch-4)
	return p.img
}

// swatchPainter is the little of render.Painter a legend sample uses:
// fills and strokes, no text or images.
type swatchPainter struct {
	img *image.RGBA
}

func (p *swatchPainter) FillPolygon(pts []maps.Point, c color.RGBA) {
	if len(pts) < 3 {
		return
	}
	b := p.img.Bounds()
	r := vector.NewRasterizer(b.Dx(), b.Dy())
	r.MoveTo(float32(pts[0].X), float32(pts[0].Y))
	for _, q := range pts[1:] {
		r.LineTo(float32(q.X), float32(q.Y))
	}
	r.ClosePath()
	r.Draw(p.img, b, image.NewUniform(c), image.Point{})
}

func (p *swatchPainter) StrokePolyline(pts []maps.Point, width float64, c color.RGBA, closed bool, dash []float64) {
	if closed && len(pts) > 0 {
		pts = append(append([]maps.Point(nil), pts...), pts[0])
	}
	on, off := math.Inf(1), 0.0
	if len(dash) >= 2 && dash[0] > 0 {
		on, off = dash[0], dash[1]
	}
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		l := math.Hypot(b.X-a.X, b.Y-a.Y)
		if l == 0 {
			continue
		}
		for s := 0.0; s < l; s += on + off {
			e := math.Min(s+on, l)
			p.segment(lerp(a, b, s/l), lerp(a, b, e/l), width, c)
		}
	}
}

func lerp(a, b maps.Point, t float64) maps.Point {
	return maps.Point{X: a.X + (b.X-a.X)*t, Y: a.Y + (b.Y-a.Y)*t}
}

// segment fills a line from a to b, width wide, with square ends half the
// width long (so a box's corners close).
func (p *swatchPainter) segment(a, b maps.Point, width float64, c color.RGBA) {
	l := math.Hypot(b.X-a.X, b.Y-a.Y)
	if l == 0 {
		return
	}
	h := width / 2
	dx, dy := (b.X-a.X)/l*h, (b.Y-a.Y)/l*h
	p.FillPolygon([]maps.Point{
		{X: a.X - dx + dy, Y: a.Y - dy - dx}, {X: b.X + dx + dy, Y: b.Y + dy - dx},
		{X: b.X + dx - dy, Y: b.Y + dy + dx}, {X: a.X - dx - dy, Y: a.Y - dy + dx},
	}, c)
}

func (p *swatchPainter) FillCircle(c maps.Point, r float64, col color.RGBA) {
	const n = 24
	pts := make([]maps.Point, n)
	for i := range pts {
		a := 2 * math.Pi * float64(i) / n
		pts[i] = maps.Point{X: c.X + r*math.Cos(a), Y: c.Y + r*math.Sin(a)}
	}
	p.FillPolygon(pts, col)
}

func (p *swatchPainter) Text(maps.Point, float64, string, color.RGBA, bool, bool) {}
func (p *swatchPainter) TextWidth(string, float64) float64                        { return 0 }
func (p *swatchPainter) Image(image.Image, [6]float64, float64)                   {}
