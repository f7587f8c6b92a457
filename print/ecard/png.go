package ecard

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"cunjing/maps"
	"cunjing/maps/render"
	"cunjing/print/fonts"
	"cunjing/print/typeset"
)

// PNGWidth is the picture's width: a phone screen's 1080 pixels, so
// WeChat shows it without scaling text down.
const PNGWidth = 1080

// Sizes in pixels of the picture's text: the body is about 15 points on
// a phone held at reading distance, the title and the numbers larger.
const (
	pxTitle    = 76
	pxSub      = 36
	pxHeading  = 36
	pxBody     = 44
	pxServices = 58
	pxMargin   = 44
	mapH       = 760
)

var (
	colRed      = color.RGBA{0xc8, 0x10, 0x2e, 0xff}
	colInk      = color.RGBA{0x1a, 0x1a, 0x1a, 0xff}
	colHeading  = color.RGBA{0x0b, 0x3d, 0x91, 0xff}
	colWhite    = color.RGBA{0xff, 0xff, 0xff, 0xff}
	colPaper    = color.RGBA{0xff, 0xff, 0xff, 0xff}
	colRule     = color.RGBA{0xdd, 0xdd, 0xdd, 0xff}
	colPaleRed  = color.RGBA{0xfd, 0xec, 0xee, 0xff}
	colMapFrame = color.RGBA{0x80, 0x80, 0x80, 0xff}
)

// textDrawer draws and measures text in pixels with one font, and a
// character that font lacks (㙟, 䶮, 𠮷 in a name) with the first of the
// font's fallback fonts that has it, as the PDF does
// (typeset.Metrics.Shape); they are loaded on the first such character.
type textDrawer struct {
	f        *sfnt.Font
	loadFb   func() []*sfnt.Font // nil: none
	fb       []*sfnt.Font
	fbLoaded bool
	buf      sfnt.Buffer
	faces    map[faceKey]font.Face
}

// faceKey is a face of font i (0 the main font, i the fallback i-1) at px.
type faceKey struct {
	font int
	px   float64
}

// newTextDrawer draws with ttf, and the characters it lacks with the fonts
// fallbacks gives (font.Fallbacks; nil: none).
func newTextDrawer(ttf []byte, fallbacks func() []*sfnt.Font) (*textDrawer, error) {
	if len(ttf) == 0 {
		return nil, errors.New("emergency card: no font (a CJK TrueType font is needed for the picture)")
	}
	f, err := opentype.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("emergency card: parse font: %w", err)
	}
	return &textDrawer{f: f, loadFb: fallbacks, faces: map[faceKey]font.Face{}}, nil
}

// fontDrawer is newTextDrawer for fnt and its fallback fonts.
func fontDrawer(fnt *fonts.Font) (*textDrawer, error) {
	if fnt == nil {
		return newTextDrawer(nil, nil)
	}
	return newTextDrawer(fnt.TTF, fnt.Fallbacks)
}

// fontOf is which font draws r: 0 the main font (also when no font has r),
// i the fallback i-1.
func (t *textDrawer) fontOf(r rune) int {
	if g, err := t.f.GlyphIndex(&t.buf, r); err == nil && g != 0 || r < 0x2E80 {
		return 0
	}
	if !t.fbLoaded && t.loadFb != nil {
		t.fb = t.loadFb()
	}
	t.fbLoaded = true
	for i, f := range t.fb {
		if g, err := f.GlyphIndex(&t.buf, r); err == nil && g != 0 && typeset.SaneGlyph(&t.buf, f, g, r) {
			return i + 1
		}
	}
	return 0
}

func (t *textDrawer) face(i int, px float64) font.Face {
	k := faceKey{i, px}
	if f, ok := t.faces[k]; ok {
		return f
	}
	src := t.f
	if i > 0 {
		src = t.fb[i-1]
	}
	f, err := opentype.NewFace(src, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil // a size the font refuses: nothing is drawn, Width is 0
	}
	t.faces[k] = f
	return f
}

// runs calls f with each run of s drawn by one font.
func (t *textDrawer) runs(s string, f func(font int, run string)) {
	start, cur := 0, -1
	for i, r := range s {
		k := t.fontOf(r)
		if k != cur && i > start {
			f(cur, s[start:i])
			start = i
		}
		cur = k
	}
	if start < len(s) {
		f(max(cur, 0), s[start:])
	}
}

// Width implements typeset.Measurer in pixels (pt is the size in px).
func (t *textDrawer) Width(s string, px float64) float64 {
	w := 0.0
	t.runs(s, func(i int, run string) {
		if f := t.face(i, px); f != nil {
			w += float64(font.MeasureString(f, run)) / 64
		}
	})
	return w
}

// draw writes s with its baseline at y; bold draws it a second time a
// pixel to the right (CJK system fonts come in one weight).
func (t *textDrawer) draw(dst draw.Image, x, y, px float64, c color.RGBA, bold bool, s string) {
	t.runs(s, func(i int, run string) {
		f := t.face(i, px)
		if f == nil {
			return
		}
		d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: f}
		offs := []float64{0}
		if bold {
			offs = []float64{0, math.Max(1, px/36)}
		}
		for _, o := range offs {
			d.Dot = fixed.Point26_6{X: fixed.Int26_6((x + o) * 64), Y: fixed.Int26_6(y * 64)}
			d.DrawString(run)
		}
		x += float64(font.MeasureString(f, run)) / 64
	})
}

// lines breaks s to width w at px by the one line breaker (typeset).
func (t *textDrawer) lines(s string, px, w float64) []string {
	ls, _ := typeset.Break(t, s, px, w)
	return ls
}

// MapImage draws the card's part of the village, w×h pixels: the house
// outlined, the route (drive, hose, stop, named water) and its number
// written large beside it.
func MapImage(c *Card, v *maps.Village, fnt *fonts.Font, w, h int) (*image.RGBA, error) {
	if v == nil {
		return nil, errors.New("emergency card: no village map")
	}
	var ttf []byte
	if fnt != nil {
		ttf = fnt.TTF
	}
	r, err := render.NewRenderer(ttf)
	if err != nil {
		return nil, fmt.Errorf("emergency card: %w", err)
	}
	r.SetFallbacks(fnt.Fallbacks) // 㙟 or 𠮷 in a lane's name, as in the card's text
	td, err := fontDrawer(fnt)
	if err != nil {
		return nil, err
	}
	vp, st, tg := mapView(c, v, td, w, h)
	img, err := r.RenderImage(maps.BuildIndex(v), vp, st)
	if err != nil {
		return nil, fmt.Errorf("emergency card: draw the map: %w", err)
	}
	// The house's number in a red tag above it, so it is found at a glance.
	draw.Draw(img, tg.box, image.NewUniform(colRed), image.Point{}, draw.Src)
	td.draw(img, tg.x, tg.y, tg.px, colWhite, true, tg.label)
	return img, nil
}

// numberTag is the red tag with the house's number written large above
// the house: its box and where its text starts, at px.
type numberTag struct {
	label    string
	px, x, y float64
	box      image.Rectangle
}

// mapView is the part of v the card's w×h map shows and how it is drawn:
// names placed where they cover no house number, symbol or other name (as
// on a printed map sheet), nor the number's red tag drawn over the map
// afterwards, so the water sources the route sentence names are named on
// the map too.
func mapView(c *Card, v *maps.Village, td *textDrawer, w, h int) (render.Viewport, *render.Style, numberTag) {
	vp := render.NewViewport(float64(w), float64(h), c.view(v), float64(w)/14)
	px := float64(w) / 22
	at := vp.ToScreen(maps.Point{X: c.House.X, Y: c.House.Y})
	tg := numberTag{label: c.House.Number + "号", px: px}
	lw := td.Width(tg.label, px)
	st := &render.Style{Highlight: []string{c.House.ID}, Route: render.OverlayOf(c.Route), Names: true, PlaceLabels: true,
		MinNumberSize: float64(w) / 90, SymbolSize: float64(w) / 80, Line: math.Max(1, float64(w)/700)}
	var numbers, marks []maps.Rect
	if d, err := render.DrawReport(measurer{td}, maps.BuildIndex(v), vp, st); err == nil {
		for _, t := range d.Texts {
			if t.Kind == render.TextNumber {
				numbers = append(numbers, t.Box)
			}
		}
		marks = d.Marks
	}
	bx, by := tagPlace(c, v, vp, at, numbers, marks, lw+px*0.6, px*1.4, px, w, h)
	tg.box = image.Rect(int(bx), int(by), int(bx+lw+px*0.6), int(by+px*1.4))
	tg.x, tg.y = bx+px*0.3, by+px*1.08
	reserved := maps.Rect{Min: maps.Point{X: float64(tg.box.Min.X), Y: float64(tg.box.Min.Y)}, Max: maps.Point{X: float64(tg.box.Max.X), Y: float64(tg.box.Max.Y)}}
	st.Reserved = []maps.Rect{reserved}
	return vp, st, tg
}

// PNG draws the card as one picture PNGWidth pixels wide, as tall as its
// text needs: a red title band, the map, the route sentence, who needs
// help (red), the phones, who is on duty, and 119/120/110 at the foot.
func PNG(c *Card, v *maps.Village, fnt *fonts.Font) (*image.RGBA, error) {
	td, err := fontDrawer(fnt)
	if err != nil {
		return nil, err
	}
	const W = PNGWidth
	tw := float64(W - 2*pxMargin)
	type line struct {
		s    string
		px   float64
		c    color.RGBA
		bold bool
		gap  float64 // space above
	}
	var body []line
	for _, sec := range c.Sections() {
		body = append(body, line{sec.Heading, pxHeading, colHeading, true, 30})
		for i, l := range sec.Lines {
			col, bold := colInk, false
			if sec.Alert && i < len(c.NeedHelp()) {
				col, bold = colRed, true
			}
			for k, part := range td.lines(l, pxBody, tw) {
				gap := 0.0
				if k == 0 && i > 0 {
					gap = 8
				}
				body = append(body, line{part, pxBody, col, bold, gap})
			}
		}
	}
	titleLines := td.lines(c.Title(), pxTitle, tw)
	subLines := td.lines(c.Subtitle(), pxSub, tw)
	bandH := 30 + float64(len(titleLines))*pxTitle*1.2 + float64(len(subLines))*pxSub*1.4 + 20
	bodyH := 0.0
	for _, l := range body {
		bodyH += l.gap + l.px*1.4
	}
	footH := pxServices*1.5 + 40
	H := int(math.Ceil(bandH + mapH + 20 + bodyH + 40 + footH))
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	draw.Draw(img, img.Bounds(), image.NewUniform(colPaper), image.Point{}, draw.Src)

	// Title band.
	draw.Draw(img, image.Rect(0, 0, W, int(bandH)), image.NewUniform(colRed), image.Point{}, draw.Src)
	y := 30.0
	for _, l := range titleLines {
		y += pxTitle * 1.2
		td.draw(img, pxMargin, y-pxTitle*0.22, pxTitle, colWhite, true, l)
	}
	for _, l := range subLines {
		y += pxSub * 1.4
		td.draw(img, pxMargin, y-pxSub*0.3, pxSub, colWhite, false, l)
	}

	// Map.
	my := int(bandH)
	if v != nil {
		m, err := MapImage(c, v, fnt, W, mapH)
		if err != nil {
			return nil, err
		}
		draw.Draw(img, image.Rect(0, my, W, my+mapH), m, image.Point{}, draw.Src)
	} else {
		draw.Draw(img, image.Rect(0, my, W, my+mapH), image.NewUniform(colRule), image.Point{}, draw.Src)
	}
	draw.Draw(img, image.Rect(0, my+mapH, W, my+mapH+2), image.NewUniform(colMapFrame), image.Point{}, draw.Src)

	// Text.
	y = float64(my + mapH + 20)
	for _, l := range body {
		y += l.gap
		if l.c == colHeading {
			draw.Draw(img, image.Rect(pxMargin, int(y+4), W-pxMargin, int(y+6)), image.NewUniform(colRule), image.Point{}, draw.Src)
		}
		y += l.px * 1.4
		td.draw(img, pxMargin, y-l.px*0.32, l.px, l.c, l.bold, l.s)
	}

	// 119 / 120 / 110.
	fy := H - int(footH)
	draw.Draw(img, image.Rect(0, fy, W, H), image.NewUniform(colPaleRed), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, fy, W, fy+6), image.NewUniform(colRed), image.Point{}, draw.Src)
	sl := ServicesLine()
	px := float64(pxServices)
	for td.Width(sl, px) > tw && px > 20 {
		px--
	}
	td.draw(img, (W-td.Width(sl, px))/2, float64(fy)+20+px*1.05, px, colRed, true, sl)
	return img, nil
}

// measurer is a render.Painter that paints nothing: the map laid out to
// see where its numbers and symbols go.
type measurer struct{ td *textDrawer }

func (measurer) FillPolygon([]maps.Point, color.RGBA)                              {}
func (measurer) StrokePolyline([]maps.Point, float64, color.RGBA, bool, []float64) {}
func (measurer) FillCircle(maps.Point, float64, color.RGBA)                        {}
func (measurer) Text(maps.Point, float64, string, color.RGBA, bool, bool)          {}
func (measurer) Image(image.Image, [6]float64, float64)                            {}
func (m measurer) TextWidth(s string, size float64) float64                        { return m.td.Width(s, size) }

// tagPlace is where the number's tag (tw×th pixels) goes: above the house
// (at, its centre on screen) as a rule, else beside or below it, where it
// hides least: no house number (numbers, as the map places them; above a
// row of houses it hid the neighbour's: 4号 on the demo's card for 1号),
// then no symbol (marks: a hydrant, a well), then the least of the route
// and of the houses.
func tagPlace(c *Card, v *maps.Village, vp render.Viewport, at maps.Point, numbers, marks []maps.Rect, tw, th, px float64, w, h int) (float64, float64) {
	screen := func(r maps.Rect) maps.Rect {
		return maps.EmptyRect().Extend(vp.ToScreen(r.Min)).Extend(vp.ToScreen(r.Max))
	}
	self := maps.EmptyRect().Extend(at)
	var others []maps.Rect
	for i := range v.Houses {
		r := screen(v.Houses[i].Polygon.Bounds())
		if v.Houses[i].ID == c.House.ID {
			self = self.Union(r)
		} else {
			others = append(others, r)
		}
	}
	var route []maps.Point // the route's lines, a point every half tag height
	if rt := c.Route; rt != nil {
		for _, path := range [][]maps.Point{rt.Path, rt.HosePath} {
			for i := 1; i < len(path); i++ {
				a, b := vp.ToScreen(path[i-1]), vp.ToScreen(path[i])
				n := int(math.Hypot(b.X-a.X, b.Y-a.Y)/(th/2)) + 1
				for k := 0; k <= n; k++ {
					f := float64(k) / float64(n)
					route = append(route, maps.Point{X: a.X + (b.X-a.X)*f, Y: a.Y + (b.Y-a.Y)*f})
				}
			}
		}
	}
	clamp := func(bx, by float64) (float64, float64) {
		return math.Max(2, math.Min(float64(w)-tw-2, bx)), math.Max(2, math.Min(float64(h)-th-2, by))
	}
	overlap := func(a, b maps.Rect) float64 {
		return math.Max(0, math.Min(a.Max.X, b.Max.X)-math.Max(a.Min.X, b.Min.X)) * math.Max(0, math.Min(a.Max.Y, b.Max.Y)-math.Max(a.Min.Y, b.Min.Y))
	}
	gap := px * 0.3
	cands := [][2]float64{{at.X - tw/2, at.Y - px*2.3}} // above, as it always was
	// Then around the house, near to far: above, right, left, below and
	// the corners.
	for _, d := range []float64{gap, gap + th, gap + 2*th} {
		cands = append(cands,
			[2]float64{at.X - tw/2, self.Min.Y - d - th},
			[2]float64{self.Max.X + d, at.Y - th/2},
			[2]float64{self.Min.X - d - tw, at.Y - th/2},
			[2]float64{at.X - tw/2, self.Max.Y + d},
			[2]float64{self.Max.X + d, self.Min.Y - d - th},
			[2]float64{self.Min.X - d - tw, self.Min.Y - d - th},
			[2]float64{self.Max.X + d, self.Max.Y + d},
			[2]float64{self.Min.X - d - tw, self.Max.Y + d})
	}
	bestX, bestY, best := 0.0, 0.0, math.Inf(1)
	for _, cd := range cands {
		bx, by := clamp(cd[0], cd[1])
		box := maps.Rect{Min: maps.Point{X: bx, Y: by}, Max: maps.Point{X: bx + tw, Y: by + th}}
		// Worst a number hidden (the house's own or another's: drawn
		// in the middle third of its house), then a symbol, then the
		// route; least a corner of a house.
		score := 100 * overlap(box, self)
		for _, n := range numbers {
			if overlap(box, n) > 0 {
				score += 1e6
			}
		}
		for _, o := range others {
			score += overlap(box, o)
		}
		for _, m := range marks {
			if overlap(box, m) > 0 {
				score += 1e4
			}
		}
		for _, p := range route {
			if box.Contains(p) {
				score += 1e3
			}
		}
		if score < best-1e-9 {
			bestX, bestY, best = bx, by, score
		}
	}
	return bestX, bestY
}
