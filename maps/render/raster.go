package render

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"sync"

	"cunjing/maps"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/f64"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Renderer draws villages into RGBA images for the UI. It holds the font
// and caches of rasterised glyphs, so reuse one per view. A Renderer is
// safe for concurrent use (a mutex serialises frames).
type Renderer struct {
	mu     sync.Mutex
	font   *sfnt.Font
	faces  map[faceKey]font.Face
	glyphs map[glyphKey]*glyph
	// Fonts for the characters font lacks (SetFallbacks): loaded by
	// loadFallbacks on the first such character.
	loadFallbacks func() []*sfnt.Font
	fallbacks     []*sfnt.Font
	fallbackDone  bool
	buf           sfnt.Buffer
	rast          vector.Rasterizer
	mask          *image.Alpha // coverage scratch, grown as needed
	dst           *image.RGBA
	clip          image.Rectangle
}

type glyphKey struct {
	r    rune
	size int // quarter pixels
}

// faceKey is a face of font i (0 the renderer's font, i the fallback i-1)
// at a size in quarter pixels.
type faceKey struct {
	font, size int
}

type glyph struct {
	mask, halo *image.Alpha
	off        image.Point // mask origin relative to the pen on the baseline
	hoff       image.Point
	adv        float64
}

// maxGlyphCache bounds the glyph cache; a map view shows digits and a few
// hundred distinct name characters at a handful of sizes.
const maxGlyphCache = 8192

// NewRenderer returns a renderer that writes text with the TrueType or
// OpenType font ttf (a .ttc collection uses its first face). With nil ttf
// no text is drawn, which is still a usable map.
func NewRenderer(ttf []byte) (*Renderer, error) {
	r := &Renderer{faces: map[faceKey]font.Face{}, glyphs: map[glyphKey]*glyph{}}
	if len(ttf) == 0 {
		return r, nil
	}
	f, err := opentype.Parse(ttf)
	if err != nil {
		c, cerr := opentype.ParseCollection(ttf)
		if cerr != nil {
			return nil, fmt.Errorf("parse font: %w", err)
		}
		if f, err = c.Font(0); err != nil {
			return nil, fmt.Errorf("parse font collection face 0: %w", err)
		}
	}
	r.font = f
	return r, nil
}

// SetFallbacks gives the fonts that draw the characters the renderer's
// font lacks (the rare characters of names: 㙟, 䶮, 𠮷 in a lane's or a
// shop's name), which would otherwise be drawn as the font's empty box:
// load is called once, on the first CJK character the font lacks, and
// the first of its fonts that has a character draws it (print/fonts's
// Fallbacks, as the printed pages use). Call it before the first Render.
func (r *Renderer) SetFallbacks(load func() []*sfnt.Font) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.loadFallbacks = load
}

// Render draws the part of the indexed village shown by vp into dst (vp's
// size should match dst's bounds; dst's origin maps to device (0,0)).
func (r *Renderer) Render(dst *image.RGBA, ix *maps.Index, vp Viewport, st *Style) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.dst = dst
	r.clip = dst.Bounds()
	defer func() { r.dst = nil }()
	return Draw(r, ix, vp, st)
}

// RenderImage allocates an image of vp's size and renders into it.
func (r *Renderer) RenderImage(ix *maps.Index, vp Viewport, st *Style) (*image.RGBA, error) {
	if err := vp.Validate(); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	w, h := int(math.Ceil(vp.W)), int(math.Ceil(vp.H))
	if w*h > 64<<20 {
		return nil, fmt.Errorf("render: %dx%d pixels is too large", w, h)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	if err := r.Render(img, ix, vp, st); err != nil {
		return nil, err
	}
	return img, nil
}

// fill rasterises the subpaths (each a closed ring, all oriented the same
// way so overlaps add up instead of cancelling) with colour c.
func (r *Renderer) fill(paths [][]maps.Point, c color.RGBA) {
	if c.A == 0 {
		return
	}
	box := maps.EmptyRect()
	for _, p := range paths {
		for _, q := range p {
			if !maps.Finite(q) {
				return
			}
			box = box.Extend(q)
		}
	}
	if box.IsEmpty() {
		return
	}
	cb := r.clip
	x0 := int(math.Max(math.Floor(box.Min.X), float64(cb.Min.X)))
	y0 := int(math.Max(math.Floor(box.Min.Y), float64(cb.Min.Y)))
	x1 := int(math.Min(math.Ceil(box.Max.X), float64(cb.Max.X)))
	y1 := int(math.Min(math.Ceil(box.Max.Y), float64(cb.Max.Y)))
	if x1 <= x0 || y1 <= y0 {
		return
	}
	r.rast.Reset(x1-x0, y1-y0)
	fx, fy := float64(x0), float64(y0)
	for _, p := range paths {
		if len(p) < 3 {
			continue
		}
		if ringArea(p) < 0 {
			r.rast.MoveTo(float32(p[len(p)-1].X-fx), float32(p[len(p)-1].Y-fy))
			for i := len(p) - 2; i >= 0; i-- {
				r.rast.LineTo(float32(p[i].X-fx), float32(p[i].Y-fy))
			}
		} else {
			r.rast.MoveTo(float32(p[0].X-fx), float32(p[0].Y-fy))
			for _, q := range p[1:] {
				r.rast.LineTo(float32(q.X-fx), float32(q.Y-fy))
			}
		}
		r.rast.ClosePath()
	}
	w, h := x1-x0, y1-y0
	if r.mask == nil || len(r.mask.Pix) < w*h {
		r.mask = image.NewAlpha(image.Rect(0, 0, w, h))
	}
	m := &image.Alpha{Pix: r.mask.Pix[:w*h], Stride: w, Rect: image.Rect(0, 0, w, h)}
	r.rast.DrawOp = draw.Src
	r.rast.Draw(m, m.Rect, image.Opaque, image.Point{})
	composite(r.dst, image.Pt(x0, y0), m, c)
}

// composite blends colour c through coverage mask m onto dst at off. Most
// pixels of a map shape are either outside (skipped) or fully inside
// (written directly when c is opaque); only edges are blended. This is
// several times faster than the rasteriser's general Over path, which
// divides on every pixel of the box.
func composite(dst *image.RGBA, off image.Point, m *image.Alpha, c color.RGBA) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	cr, cg, cb, ca := uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A)
	for y := 0; y < h; y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+w]
		pix := dst.Pix[dst.PixOffset(off.X, off.Y+y):]
		for x, cov := range row {
			if cov == 0 {
				continue
			}
			i := 4 * x
			if cov == 0xff && ca == 0xff {
				pix[i], pix[i+1], pix[i+2], pix[i+3] = c.R, c.G, c.B, 0xff
				continue
			}
			k := uint32(cov)
			// Premultiplied source scaled by coverage, then Over.
			sa := ca * k / 0xff
			inv := 0xff - sa
			pix[i] = uint8((cr*k + uint32(pix[i])*inv) / 0xff)
			pix[i+1] = uint8((cg*k + uint32(pix[i+1])*inv) / 0xff)
			pix[i+2] = uint8((cb*k + uint32(pix[i+2])*inv) / 0xff)
			pix[i+3] = uint8(sa + uint32(pix[i+3])*inv/0xff)
		}
	}
}

func ringArea(p []maps.Point) float64 {
	s := 0.0
	for i := range p {
		a, b := p[i], p[(i+1)%len(p)]
		s += a.X*b.Y - b.X*a.Y
	}
	return s
}

// Clear fills the whole surface with c.
func (r *Renderer) Clear(c color.RGBA) {
	draw.Draw(r.dst, r.clip, image.NewUniform(c), image.Point{}, draw.Src)
}

// FillPolygon implements Painter.
func (r *Renderer) FillPolygon(pts []maps.Point, c color.RGBA) {
	r.fill([][]maps.Point{pts}, c)
}

// FillCircle implements Painter.
func (r *Renderer) FillCircle(center maps.Point, rad float64, c color.RGBA) {
	r.fill([][]maps.Point{circle(center, rad)}, c)
}

func circle(c maps.Point, r float64) []maps.Point {
	n := int(math.Max(8, math.Min(48, r*2)))
	out := make([]maps.Point, n)
	for i := range out {
		a := 2 * math.Pi * float64(i) / float64(n)
		out[i] = maps.Point{X: c.X + r*math.Cos(a), Y: c.Y + r*math.Sin(a)}
	}
	return out
}

// StrokePolyline implements Painter: every segment becomes a quad, joins
// and ends get round discs (for lines thick enough to show them), and the
// whole stroke is filled in one pass so a translucent line stays even.
func (r *Renderer) StrokePolyline(pts []maps.Point, width float64, c color.RGBA, closed bool, dash []float64) {
	if len(pts) < 2 || width <= 0 {
		return
	}
	if closed {
		pts = append(append([]maps.Point(nil), pts...), pts[0])
	}
	var runs [][]maps.Point
	if len(dash) >= 2 && dash[0] > 0 && dash[1] >= 0 {
		runs = dashRuns(pts, dash[0], dash[1])
	} else {
		runs = [][]maps.Point{pts}
	}
	hw := width / 2
	var paths [][]maps.Point
	// An opaque stroke may be filled piece by piece (overlaps do not show),
	// which keeps each rasterised box small for L-shaped or long lanes.
	piecewise := c.A == 0xff
	for _, run := range runs {
		for i := 1; i < len(run); i++ {
			a, b := run[i-1], run[i]
			l := maps.Dist(a, b)
			if l == 0 {
				continue
			}
			nx, ny := -(b.Y-a.Y)/l*hw, (b.X-a.X)/l*hw
			paths = append(paths, []maps.Point{{X: a.X + nx, Y: a.Y + ny}, {X: b.X + nx, Y: b.Y + ny}, {X: b.X - nx, Y: b.Y - ny}, {X: a.X - nx, Y: a.Y - ny}})
			if piecewise && len(run) > 2 {
				if width >= 2.5 {
					paths = append(paths, circle(b, hw))
					if i == 1 {
						paths = append(paths, circle(a, hw))
					}
				}
				r.fill(paths, c)
				paths = paths[:0]
			}
		}
		if piecewise && len(run) > 2 {
			continue
		}
		if width >= 2.5 {
			for _, q := range run {
				paths = append(paths, circle(q, hw))
			}
		}
	}
	r.fill(paths, c)
}

func dashRuns(pts []maps.Point, on, off float64) [][]maps.Point {
	var runs [][]maps.Point
	var cur []maps.Point
	drawing, left := true, on
	cur = append(cur, pts[0])
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		l := maps.Dist(a, b)
		pos := 0.0
		for l-pos > left {
			pos += left
			q := maps.Point{X: a.X + (b.X-a.X)*pos/l, Y: a.Y + (b.Y-a.Y)*pos/l}
			if drawing {
				cur = append(cur, q)
				runs = append(runs, cur)
				cur = nil
				left = off
			} else {
				cur = []maps.Point{q}
				left = on
			}
			drawing = !drawing
		}
		left -= l - pos
		if drawing {
			cur = append(cur, b)
		}
	}
	if drawing && len(cur) > 1 {
		runs = append(runs, cur)
	}
	return runs
}

// fontOf is which font draws ch: 0 the renderer's (also when no font has
// it), i the fallback i-1.
func (r *Renderer) fontOf(ch rune) int {
	if g, err := r.font.GlyphIndex(&r.buf, ch); err == nil && g != 0 || ch < 0x2E80 || r.loadFallbacks == nil {
		return 0
	}
	if !r.fallbackDone {
		r.fallbacks, r.fallbackDone = r.loadFallbacks(), true
	}
	for i, f := range r.fallbacks {
		if g, err := f.GlyphIndex(&r.buf, ch); err == nil && g != 0 {
			return i + 1
		}
	}
	return 0
}

// face is font i (fontOf) at size, and the size in quarter pixels.
func (r *Renderer) face(i int, size float64) (font.Face, int, error) {
	k := int(math.Round(size * 4))
	if f, ok := r.faces[faceKey{i, k}]; ok {
		return f, k, nil
	}
	src := r.font
	if i > 0 {
		src = r.fallbacks[i-1]
	}
	f, err := opentype.NewFace(src, &opentype.FaceOptions{Size: float64(k) / 4, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, k, err
	}
	r.faces[faceKey{i, k}] = f
	return f, k, nil
}

func (r *Renderer) glyph(ch rune, size float64) *glyph {
	key := glyphKey{ch, int(math.Round(size * 4))}
	if g, ok := r.glyphs[key]; ok {
		return g
	}
	f, _, err := r.face(r.fontOf(ch), size)
	if err != nil {
		return nil
	}
	if len(r.glyphs) >= maxGlyphCache {
		clear(r.glyphs)
	}
	dr, mask, mp, adv, ok := f.Glyph(fixed.Point26_6{}, ch)
	g := &glyph{adv: float64(adv) / 64}
	if ok && !dr.Empty() {
		// The face reuses its mask buffer: copy it out.
		m := image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
		draw.Draw(m, m.Bounds(), mask, mp, draw.Src)
		g.mask, g.off = m, dr.Min
		rad := 1
		if size >= 16 {
			rad = 2
		}
		g.halo, g.hoff = dilate(m, rad), dr.Min.Sub(image.Pt(rad, rad))
	}
	r.glyphs[key] = g
	return g
}

// dilate grows a glyph mask by rad pixels (max filter), for the light halo
// that keeps numbers readable on top of lanes and colours.
func dilate(m *image.Alpha, rad int) *image.Alpha {
	b := m.Bounds()
	out := image.NewAlpha(image.Rect(0, 0, b.Dx()+2*rad, b.Dy()+2*rad))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			a := m.Pix[y*m.Stride+x]
			if a == 0 {
				continue
			}
			for dy := 0; dy <= 2*rad; dy++ {
				row := out.Pix[(y+dy)*out.Stride:]
				for dx := 0; dx <= 2*rad; dx++ {
					if row[x+dx] < a {
						row[x+dx] = a
					}
				}
			}
		}
	}
	return out
}

// TextWidth implements Painter.
func (r *Renderer) TextWidth(s string, size float64) float64 {
	if r.font == nil || size <= 0 {
		return 0
	}
	w := 0.0
	for _, ch := range s {
		if g := r.glyph(ch, size); g != nil {
			w += g.adv
		}
	}
	return w
}

// Text implements Painter.
func (r *Renderer) Text(at maps.Point, size float64, s string, c color.RGBA, centre, halo bool) {
	if r.font == nil || size < 1 || size > 1000 || !maps.Finite(at) {
		return
	}
	x := at.X
	if centre {
		x -= r.TextWidth(s, size) / 2
	}
	// Digits and CJK sit about 0.36 em above the baseline's centre.
	base := at.Y + size*0.36
	if halo {
		hc := image.NewUniform(color.RGBA{0xd8, 0xd8, 0xd8, 0xd8}) // white at 85 %, premultiplied
		px := x
		for _, ch := range s {
			g := r.glyph(ch, size)
			if g == nil {
				continue
			}
			if g.halo != nil {
				r.blit(g.halo, image.Pt(int(math.Round(px))+g.hoff.X, int(math.Round(base))+g.hoff.Y), hc)
			}
			px += g.adv
		}
	}
	fc := image.NewUniform(c)
	for _, ch := range s {
		g := r.glyph(ch, size)
		if g == nil {
			continue
		}
		if g.mask != nil {
			r.blit(g.mask, image.Pt(int(math.Round(x))+g.off.X, int(math.Round(base))+g.off.Y), fc)
		}
		x += g.adv
	}
}

func (r *Renderer) blit(mask *image.Alpha, at image.Point, src image.Image) {
	dr := mask.Bounds().Add(at).Intersect(r.clip)
	if dr.Empty() {
		return
	}
	draw.DrawMask(r.dst, dr, src, image.Point{}, mask, dr.Min.Sub(at), draw.Over)
}

// Image implements Painter with nearest-neighbour sampling when enlarging
// (a scanned sketch looks crisper so) and bilinear when shrinking.
func (r *Renderer) Image(img image.Image, m [6]float64, opacity float64) {
	if opacity <= 0 {
		return
	}
	var mask image.Image
	if opacity < 1 {
		mask = image.NewUniform(color.Alpha{uint8(math.Round(opacity * 255))})
	}
	var interp xdraw.Interpolator = xdraw.ApproxBiLinear
	if m[0] >= 1 {
		interp = xdraw.NearestNeighbor
	}
	interp.Transform(r.dst, f64.Aff3(m), img, img.Bounds(), xdraw.Over, &xdraw.Options{SrcMask: mask})
}
