package print

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"unicode/utf8"

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
	breaks typeset.Cache
	img    *image.RGBA
	k      float64 // pixels per mm
	faces  map[float64]font.Face
	clips  []image.Rectangle
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
	px := math.Round(pt*PtMM*r.k*4) / 4
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

func (r *rasterSurface) Text(x, y, pt float64, st Style, s string) {
	s = r.Compose(typeset.StripJoiners(s))
	// As the PDF: a character the font cannot show is drawn as its
	// outline from a fallback font, or a box (typeset.Metrics.Shape).
	start, off := 0, 0.0
	for i, c := range s {
		if r.Embeddable(c) || c == ' ' {
			continue
		}
		if i > start {
			r.text1(x+off, y, pt, st, s[start:i])
			off += r.Width(s[start:i], pt)
		}
		r.shape(x+off, y-r.Rise(s, i, pt), pt, st.Color, c)
		off += r.Width(string(c), pt)
		start = i + utf8.RuneLen(c)
	}
	if start == 0 {
		r.text1(x, y, pt, st, s)
	} else if start < len(s) {
		r.text1(x+off, y, pt, st, s[start:])
	}
}

// shape fills c's outline (typeset.Metrics.Shape) with its pen at (x, y) mm.
func (r *rasterSurface) shape(x, y, pt float64, col color.RGBA, c rune) {
	segs, _ := r.Shape(c, pt)
	if len(segs) == 0 {
		return
	}
	em := pt * typeset.PtMM
	b := image.Rect(int(math.Floor((x-em)*r.k)), int(math.Floor((y-1.5*em)*r.k)),
		int(math.Ceil((x+2*em)*r.k)), int(math.Ceil((y+em)*r.k))).Intersect(r.clip())
	if b.Empty() {
		return
	}
	ras := vector.NewRasterizer(b.Dx(), b.Dy())
	ox, oy := float64(b.Min.X), float64(b.Min.Y)
	at := func(p [2]float64) (float32, float32) {
		return float32((x+p[0])*r.k - ox), float32((y+p[1])*r.k - oy)
	}
	for i, sg := range segs {
		switch sg.Op {
		case 'M':
			if i > 0 {
				ras.ClosePath()
			}
			ras.MoveTo(at(sg.P[0]))
		case 'L':
			ras.LineTo(at(sg.P[0]))
		case 'Q':
			ax, ay := at(sg.P[0])
			bx, by := at(sg.P[1])
			ras.QuadTo(ax, ay, bx, by)
		case 'C':
			ax, ay := at(sg.P[0])
			bx, by := at(sg.P[1])
			cx, cy := at(sg.P[2])
			ras.CubeTo(ax, ay, bx, by, cx, cy)
		}
	}
	ras.ClosePath()
	ras.Draw(r.img, b, image.NewUniform(col), b.Min)
}

// text1 draws s, every character of which the font has.
func (r *rasterSurface) text1(x, y, pt float64, st Style, s string) {
	f, err := r.face(pt)
	if err != nil || pt*PtMM*r.k < 0.5 {
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
	// width (typeset.BoldEm) on every side, here by rasterising it once and
	// taking the maximum of its mask over a disc of that radius.
	emPx := pt * PtMM * r.k
	dot := at(0, 0)
	for _, c := range s {
		rad := r.BoldEm(c) * emPx / 2
		if dr, mask, mp, adv, ok := f.Glyph(dot, c); ok && !dr.Empty() {
			grown, gr := dilate(mask, mp, dr, rad)
			draw.DrawMask(dst, gr, image.NewUniform(st.Color), image.Point{}, grown, image.Point{}, draw.Over)
			dot.X += adv
		} else {
			dot.X += fixed.Int26_6(r.Width(string(c), pt) * r.k * 64)
		}
	}
}

// dilate grows a glyph mask (the part at mp covering dr) by rad pixels on
// every side: each pixel takes the largest coverage within a disc, the
// disc's edge weighted by how much of the pixel it covers (so growing by
// half a pixel shows).
func dilate(mask image.Image, mp image.Point, dr image.Rectangle, rad float64) (*image.Alpha, image.Rectangle) {
	n := int(math.Ceil(rad))
	out := image.NewAlpha(image.Rect(0, 0, dr.Dx()+2*n, dr.Dy()+2*n))
	type off struct {
		d image.Point
		w uint32 // weight, /256
	}
	var offs []off
	for dy := -n; dy <= n; dy++ {
		for dx := -n; dx <= n; dx++ {
			w := math.Min(1, math.Max(0, rad+1-math.Hypot(float64(dx), float64(dy))))
			if w > 0 {
				offs = append(offs, off{image.Pt(dx, dy), uint32(w * 256)})
			}
		}
	}
	for y := 0; y < dr.Dy(); y++ {
		for x := 0; x < dr.Dx(); x++ {
			_, _, _, a := mask.At(mp.X+x, mp.Y+y).RGBA()
			v := a >> 8
			if v == 0 {
				continue
			}
			for _, o := range offs {
				i := (y+n+o.d.Y)*out.Stride + x + n + o.d.X
				if c := uint8(min(255, v*o.w>>8)); out.Pix[i] < c {
					out.Pix[i] = c
				}
			}
		}
	}
	return out, image.Rect(dr.Min.X-n, dr.Min.Y-n, dr.Max.X+n, dr.Max.Y+n)
}

func (r *rasterSurface) Break(text string, pt, w float64) ([]string, bool) {
	return r.breaks.Break(r.Metrics, text, pt, w)
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
	draw.Draw(img, img.Bounds(), image.NewUniform(White), image.Point{}, draw.Src)
	m.Fallbacks(fnt.Fallbacks)
	r := &rasterSurface{Metrics: m, qrCache: qrCache{}, img: img, k: k, faces: map[float64]font.Face{}}
	if err := p.Draw(r); err != nil {
		return nil, fmt.Errorf("preview %s: %w", p.Label, err)
	}
	return img, nil
}
