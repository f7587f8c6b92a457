package print

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"cunjing/print/fonts"
	"cunjing/print/typeset"
)

// rasterSurface draws the same layouts into an image for on-screen
// previews. It is not meant for print: text is antialiased, not hinted.
type rasterSurface struct {
	*typeset.Metrics
	qrCache
	img   *image.RGBA
	k     float64 // pixels per mm
	faces map[float64]font.Face
	clips []image.Rectangle
}

func (r *rasterSurface) clip() image.Rectangle {
	if len(r.clips) == 0 {
		return r.img.Bounds()
	}
	return r.clips[len(r.clips)-1]
}

func (r *rasterSurface) rect(x, y, w, h float64) image.Rectangle {
	return image.Rect(int(math.Round(x*r.k)), int(math.Round(y*r.k)),
		int(math.Round((x+w)*r.k)), int(math.Round((y+h)*r.k))).Canon()
}

func (r *rasterSurface) FillRect(x, y, w, h float64, c color.RGBA) {
	draw.Draw(r.img, r.rect(x, y, w, h).Intersect(r.clip()), image.NewUniform(c), image.Point{}, draw.Over)
}

func (r *rasterSurface) StrokeRect(x, y, w, h, lw float64, c color.RGBA) {
	r.Line(x, y, x+w, y, lw, c, false)
	r.Line(x+w, y, x+w, y+h, lw, c, false)
	r.Line(x+w, y+h, x, y+h, lw, c, false)
	r.Line(x, y+h, x, y, lw, c, false)
}

func (r *rasterSurface) Line(x1, y1, x2, y2, lw float64, c color.RGBA, dashed bool) {
	if !dashed {
		r.segment(x1, y1, x2, y2, lw, c)
		return
	}
	l := math.Hypot(x2-x1, y2-y1)
	on, off := math.Max(3*lw, 1.5), math.Max(2*lw, 1)
	for d := 0.0; d < l; d += on + off {
		e := math.Min(d+on, l)
		r.segment(x1+(x2-x1)*d/l, y1+(y2-y1)*d/l, x1+(x2-x1)*e/l, y1+(y2-y1)*e/l, lw, c)
	}
}

// segment fills the quadrilateral around a line at least one pixel wide,
// rasterising only its bounding box (a full-page rasteriser per table rule
// made previews take a second).
func (r *rasterSurface) segment(x1, y1, x2, y2, lw float64, c color.RGBA) {
	px1, py1, px2, py2 := x1*r.k, y1*r.k, x2*r.k, y2*r.k
	l := math.Hypot(px2-px1, py2-py1)
	if l == 0 {
		return
	}
	hw := math.Max(lw*r.k, 1) / 2
	nx, ny := -(py2-py1)/l*hw, (px2-px1)/l*hw
	pts := [4][2]float64{{px1 + nx, py1 + ny}, {px2 + nx, py2 + ny}, {px2 - nx, py2 - ny}, {px1 - nx, py1 - ny}}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	b := image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX)), int(math.Ceil(maxY))).Intersect(r.clip())
	if b.Empty() {
		return
	}
	ras := vector.NewRasterizer(b.Dx(), b.Dy())
	ox, oy := float64(b.Min.X), float64(b.Min.Y)
	ras.MoveTo(float32(pts[0][0]-ox), float32(pts[0][1]-oy))
	for _, p := range pts[1:] {
		ras.LineTo(float32(p[0]-ox), float32(p[1]-oy))
	}
	ras.ClosePath()
	ras.Draw(r.img, b, image.NewUniform(c), b.Min)
}

func (r *rasterSurface) face(pt float64) (font.Face, error) {
	px := math.Round(pt*ptMM*r.k*4) / 4
	if f, ok := r.faces[px]; ok {
		return f, nil
	}
	f, err := opentype.NewFace(r.Font(), &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("font face at %.1f px: %w", px, err)
	}
	r.faces[px] = f
	return f, nil
}

func (r *rasterSurface) Text(x, y, pt float64, st style, s string) {
	s = typeset.StripJoiners(s)
	f, err := r.face(pt)
	if err != nil || pt*ptMM*r.k < 0.5 {
		return // too small to see; a preview loses nothing
	}
	dst := r.img.SubImage(r.clip()).(*image.RGBA)
	d := font.Drawer{Dst: dst, Src: image.NewUniform(st.Color), Face: f}
	at := func(dx, dy float64) fixed.Point26_6 {
		return fixed.Point26_6{X: fixed.Int26_6((x*r.k + dx) * 64), Y: fixed.Int26_6((y*r.k + dy) * 64)}
	}
	if !st.Bold {
		d.Dot = at(0, 0)
		d.DrawString(s)
		return
	}
	// Bold as the PDF draws it: each glyph grown by half its outline
	// width (typeset.BoldEm) on every side, here by drawing it at points
	// around a circle of that radius.
	emPx := pt * ptMM * r.k
	off := 0.0
	for _, c := range s {
		g := string(c)
		rad := r.BoldEm(c) * emPx / 2
		n := max(8, int(math.Ceil(rad*4)))
		for k := 0; k <= n; k++ {
			dx, dy := 0.0, 0.0
			if k < n {
				a := 2 * math.Pi * float64(k) / float64(n)
				dx, dy = rad*math.Cos(a), rad*math.Sin(a)
			}
			d.Dot = at(off+dx, dy)
			d.DrawString(g)
		}
		off += r.Width(g, pt) * r.k
	}
}

func (r *rasterSurface) Image(_ string, img image.Image, x, y, w, h float64) {
	dst := r.img.SubImage(r.clip()).(*image.RGBA)
	xdraw.NearestNeighbor.Scale(dst, r.rect(x, y, w, h), img, img.Bounds(), xdraw.Over, nil)
}

func (r *rasterSurface) Clip(x, y, w, h float64) {
	r.clips = append(r.clips, r.rect(x, y, w, h).Intersect(r.clip()))
}

func (r *rasterSurface) Unclip() {
	if len(r.clips) > 0 {
		r.clips = r.clips[:len(r.clips)-1]
	}
}

// maxPreviewPixels bounds a preview's memory (about 64 MB of RGBA).
const maxPreviewPixels = 16 << 20

// Rasterize draws one page into an image widthPx pixels wide, white
// background: the designer's live preview, the same layout as the PDF.
func Rasterize(fnt *fonts.Font, p Page, widthPx int) (*image.RGBA, error) {
	if fnt == nil || len(fnt.TTF) == 0 {
		return nil, fmt.Errorf("preview: no font")
	}
	if widthPx <= 0 || p.W <= 0 || p.H <= 0 {
		return nil, fmt.Errorf("preview: bad size %d px for %.0f×%.0f mm", widthPx, p.W, p.H)
	}
	k := float64(widthPx) / p.W
	hPx := int(math.Ceil(p.H * k))
	if widthPx*hPx > maxPreviewPixels {
		return nil, fmt.Errorf("preview: %d×%d px is too large", widthPx, hPx)
	}
	m, err := typeset.NewMetrics(fnt.TTF)
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, widthPx, hPx))
	draw.Draw(img, img.Bounds(), image.NewUniform(white), image.Point{}, draw.Src)
	r := &rasterSurface{Metrics: m, qrCache: qrCache{}, img: img, k: k, faces: map[float64]font.Face{}}
	if err := p.draw(r); err != nil {
		return nil, fmt.Errorf("preview %s: %w", p.Label, err)
	}
	return img, nil
}
