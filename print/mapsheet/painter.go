package mapsheet

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"

	"github.com/jung-kurt/gofpdf"

	"cunjing/maps"
	"cunjing/print/typeset"
)

const fontFamily = typeset.Family

// ptPerMM converts millimetres (the page unit) to font points.
const ptPerMM = 72 / 25.4

// pdfPainter implements render.Painter on a gofpdf page: device units are
// millimetres, offset to the map frame's top-left corner.
type pdfPainter struct {
	pdf    *gofpdf.Fpdf
	tp     *typeset.PDF // the same document: its cached state is reset after painting
	ox, oy float64
	images map[image.Image]string
	err    error
}

func (p *pdfPainter) pts(in []maps.Point) []gofpdf.PointType {
	out := make([]gofpdf.PointType, len(in))
	for i, q := range in {
		out[i] = gofpdf.PointType{X: q.X + p.ox, Y: q.Y + p.oy}
	}
	return out
}

// straight converts a premultiplied colour to the straight RGB and
// opacity PDF uses.
func straight(c color.RGBA) (r, g, b int, a float64) {
	if c.A == 0 {
		return 0, 0, 0, 0
	}
	if c.A == 0xff {
		return int(c.R), int(c.G), int(c.B), 1
	}
	k := 255 / float64(c.A)
	return int(math.Min(255, float64(c.R)*k)), int(math.Min(255, float64(c.G)*k)), int(math.Min(255, float64(c.B)*k)), float64(c.A) / 255
}

func (p *pdfPainter) withAlpha(a float64, f func()) {
	p.tp.Reset() // colours and lines set here bypass typeset's cache
	if a < 1 {
		p.pdf.SetAlpha(a, "Normal")
		f()
		p.pdf.SetAlpha(1, "Normal")
		return
	}
	f()
}

func (p *pdfPainter) FillPolygon(pts []maps.Point, c color.RGBA) {
	if len(pts) < 3 || c.A == 0 {
		return
	}
	r, g, b, a := straight(c)
	p.pdf.SetFillColor(r, g, b)
	p.withAlpha(a, func() { p.pdf.Polygon(p.pts(pts), "F") })
}

func (p *pdfPainter) StrokePolyline(pts []maps.Point, width float64, c color.RGBA, closed bool, dash []float64) {
	if len(pts) < 2 || width <= 0 || c.A == 0 {
		return
	}
	r, g, b, a := straight(c)
	p.pdf.SetDrawColor(r, g, b)
	p.pdf.SetLineWidth(width)
	p.pdf.SetLineCapStyle("round")
	p.pdf.SetLineJoinStyle("round")
	if len(dash) >= 2 {
		p.pdf.SetDashPattern(dash[:2], 0)
		p.pdf.SetLineCapStyle("butt")
	}
	p.withAlpha(a, func() {
		q := p.pts(pts)
		p.pdf.MoveTo(q[0].X, q[0].Y)
		for _, x := range q[1:] {
			p.pdf.LineTo(x.X, x.Y)
		}
		if closed {
			p.pdf.ClosePath()
		}
		p.pdf.DrawPath("D")
	})
	if len(dash) >= 2 {
		p.pdf.SetDashPattern(nil, 0)
	}
}

func (p *pdfPainter) FillCircle(c maps.Point, rad float64, col color.RGBA) {
	if rad <= 0 || col.A == 0 {
		return
	}
	r, g, b, a := straight(col)
	p.pdf.SetFillColor(r, g, b)
	p.withAlpha(a, func() { p.pdf.Circle(c.X+p.ox, c.Y+p.oy, rad, "F") })
}

func (p *pdfPainter) TextWidth(s string, size float64) float64 {
	if size <= 0 {
		return 0
	}
	return p.tp.M.Width(s, size*ptPerMM)
}

// Text draws with a white outline first (text rendering mode 1, stroke)
// when halo is set, so numbers stay readable on lanes and colours.
func (p *pdfPainter) Text(at maps.Point, size float64, s string, c color.RGBA, centre, halo bool) {
	if size <= 0 || s == "" {
		return
	}
	p.tp.Reset()
	p.pdf.SetFont(fontFamily, "", size*ptPerMM)
	x := at.X + p.ox
	if centre {
		x -= p.TextWidth(s, size) / 2
	}
	y := at.Y + p.oy + size*0.36
	// A name may hold a character the embedded font cannot set (𠮷, 㙟 in
	// a lane's or a shop's name): drawn as its outline (typeset.Runs).
	pt := size * ptPerMM
	r, g, b, _ := straight(c)
	fill := color.RGBA{uint8(r), uint8(g), uint8(b), 255}
	outlined := false
	if halo {
		// The white outline of the whole label first, then its fill.
		p.tp.Runs(s, pt, func(run string, off float64) {
			p.pdf.SetDrawColor(255, 255, 255)
			p.pdf.SetLineWidth(size * 0.16)
			p.pdf.SetLineJoinStyle("round")
			p.pdf.SetTextRenderingMode(1)
			p.pdf.Text(x+off, y, run)
			p.pdf.SetTextRenderingMode(0)
		}, func(ch rune, off, rise float64) {
			outlined = true
			p.tp.Reset()
			p.tp.Outline(x+off, y-rise, pt, ch, nil, color.RGBA{255, 255, 255, 255}, size*0.16)
		})
	}
	p.tp.Runs(s, pt, func(run string, off float64) {
		p.pdf.SetTextColor(r, g, b)
		p.pdf.Text(x+off, y, run)
	}, func(ch rune, off, rise float64) {
		outlined = true
		p.tp.Reset()
		p.tp.Outline(x+off, y-rise, pt, ch, &fill, fill, 0)
	})
	if outlined {
		// The outlines set colours and the size through tp's cache;
		// the painter sets them on the page directly.
		p.tp.Reset()
		p.pdf.SetFont(fontFamily, "", pt)
	}
}

// TextTurned draws s turned a quarter turn anticlockwise (reading
// upwards) and centred on at, for the names of north–south lanes.
func (p *pdfPainter) TextTurned(at maps.Point, size float64, s string, c color.RGBA, halo bool) {
	if size <= 0 || s == "" {
		return
	}
	x, y := at.X+p.ox, at.Y+p.oy
	p.pdf.TransformBegin()
	p.pdf.TransformRotate(90, x, y)
	p.Text(maps.Point{X: at.X, Y: at.Y}, size, s, c, true, halo)
	p.pdf.TransformEnd()
	p.tp.Reset()
}

// Image places an axis-aligned image (the base map); rotation is not
// needed because maps never rotates the base layer.
func (p *pdfPainter) Image(img image.Image, m [6]float64, opacity float64) {
	if opacity <= 0 || m[1] != 0 || m[3] != 0 {
		return
	}
	name, ok := p.images[img]
	if !ok {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			p.err = fmt.Errorf("encode base map for PDF: %w", err)
			return
		}
		name = fmt.Sprintf("base%d", len(p.images))
		p.pdf.RegisterImageOptionsReader(name, gofpdf.ImageOptions{ImageType: "PNG"}, &buf)
		p.images[img] = name
	}
	b := img.Bounds()
	x := m[2] + m[0]*float64(b.Min.X) + p.ox
	y := m[5] + m[4]*float64(b.Min.Y) + p.oy
	p.withAlpha(opacity, func() {
		p.pdf.ImageOptions(name, x, y, m[0]*float64(b.Dx()), m[4]*float64(b.Dy()), false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	})
}
