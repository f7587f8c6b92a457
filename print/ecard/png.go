package ecard

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"

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
	// m composes a name typed with combining marks as the PDF does
	// (typeset.Metrics.Compose) and raises a mark stacked over an
	// accent (Rise); nil when the font does not parse as sfnt.
	m *typeset.Metrics
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
	t := &textDrawer{f: f, loadFb: fallbacks, faces: map[faceKey]font.Face{}}
	if m, err := typeset.NewMetrics(ttf); err == nil {
		if fallbacks != nil {
			m.Fallbacks(fallbacks)
		}
		t.m = m
	}
	return t, nil
}

// compose is s as it is drawn: joiners left out, each letter with the
// combining marks after it precomposed where a font shows the result
// (Zha + U+0304 + ng → Zhāng), and the marks no font has left out (the
// main font drew them as a box with an advance: Zha□ng).
func (t *textDrawer) compose(s string) string {
	s = typeset.StripJoiners(s)
	if t.m == nil {
		return s
	}
	s = t.m.Compose(s)
	for _, r := range s {
		if typeset.IsMark(r) && t.fontOf(r) < 0 {
			return strings.Map(func(r rune) rune {
				if typeset.IsMark(r) && t.fontOf(r) < 0 {
					return -1
				}
				return r
			}, s)
		}
	}
	return s
}

// fontDrawer is newTextDrawer for fnt and its fallback fonts.
func fontDrawer(fnt *fonts.Font) (*textDrawer, error) {
	if fnt == nil {
		return newTextDrawer(nil, nil)
	}
	return newTextDrawer(fnt.TTF, fnt.Fallbacks)
}

// fontOf is which font draws r: 0 the main font (also when no font has r),
// i the fallback i-1; -1 for a combining mark no font has.
func (t *textDrawer) fontOf(r rune) int {
	mark := typeset.IsMark(r)
	if g, err := t.f.GlyphIndex(&t.buf, r); err == nil && g != 0 || r < 0x2E80 && !mark {
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
	if mark {
		return -1
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

// runs calls f with each run of s (as compose leaves it) drawn by one
// font, and where it starts in s; a combining mark drawn from a fallback
// font is a run of its own.
func (t *textDrawer) runs(s string, f func(font int, run string, at int)) {
	start, cur := 0, -1
	for i, r := range s {
		k := t.fontOf(r)
		if (k != cur || k > 0 && typeset.IsMark(r)) && i > start {
			f(max(cur, 0), s[start:i], start)
			start = i
		}
		cur = k
	}
	if start < len(s) {
		f(max(cur, 0), s[start:], start)
	}
}

// Width implements typeset.Measurer in pixels (pt is the size in px).
func (t *textDrawer) Width(s string, px float64) float64 {
	w := 0.0
	t.runs(t.compose(s), func(i int, run string, _ int) {
		if f := t.face(i, px); f != nil {
			w += float64(font.MeasureString(f, run)) / 64
		}
	})
	return w
}

// draw writes s with its baseline at y; bold draws it a second time a
// pixel to the right (CJK system fonts come in one weight).
func (t *textDrawer) draw(dst draw.Image, x, y, px float64, c color.RGBA, bold bool, s string) {
	s = t.compose(s)
	t.runs(s, func(i int, run string, at int) {
		f := t.face(i, px)
		if f == nil {
			return
		}
		y := y
		if t.m != nil {
			y -= t.m.Rise(s, at, px) / typeset.PtMM // a mark over an accent: above it
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
	if tg.leader {
		drawLeader(img, tg.from, tg.to, math.Max(2, tg.px/12), colRed)
	}
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
	leader   bool       // drawn away from the house: a line joins them
	from, to maps.Point // the leader line, from the house to the tag
}

// maxLeaderMM is the longest leader line a name takes on the A4 card's
// map (contentW mm wide; the phone's picture is the same map, scaled):
// 13号巷水井 was set 47 mm from its well on a leader across a third of
// the map, read as naming something else.
const maxLeaderMM = 12.0

// mapView is the part of v the card's w×h map shows and how it is drawn:
// names placed where they cover no house number, symbol or other name (as
// on a printed map sheet), nor the number's red tag drawn over the map
// afterwards, so the water sources the route sentence names are named on
// the map too.
func mapView(c *Card, v *maps.Village, td *textDrawer, w, h int) (render.Viewport, *render.Style, numberTag) {
	st := &render.Style{Highlight: []string{c.House.ID}, Route: render.OverlayOf(c.Route), Names: true, PlaceLabels: true,
		MinNumberSize: float64(w) / 90, SymbolSize: float64(w) / 80, Line: math.Max(1, float64(w)/700),
		MaxLeader: maxLeaderMM / contentW * float64(w)}
	ix := maps.BuildIndex(v)
	box := c.view(v)
	var vp render.Viewport
	var tg numberTag
	best := -1.0
	for i := 0; i <= maxWiden; i++ {
		wvp := waterView(c, td, st, w, h, box)
		wtg, d := placeTag(c, v, ix, td, wvp, st, w, h)
		if share := waterShare(c, wvp, st, d, wtg.box); share > best+1e-9 {
			vp, tg, best = wvp, wtg, share
		}
		if best >= 0.999 {
			break
		}
		// A named water's name shrank below full size: the view widens a
		// step round its middle and is laid out again; the view where
		// they came out largest is kept.
		grow := func(lo, hi float64) (float64, float64) {
			m := (hi - lo) * (widenStep - 1) / 2
			return lo - m, hi + m
		}
		box.Min.X, box.Max.X = grow(box.Min.X, box.Max.X)
		box.Min.Y, box.Max.Y = grow(box.Min.Y, box.Max.Y)
	}
	reserved := maps.Rect{Min: maps.Point{X: float64(tg.box.Min.X), Y: float64(tg.box.Min.Y)}, Max: maps.Point{X: float64(tg.box.Max.X), Y: float64(tg.box.Max.Y)}}
	st.Reserved = []maps.Rect{reserved}
	return vp, st, tg
}

// The view widens by widenStep (each side a twentieth of its span) up to
// maxWiden times (1.48×) for the names of the water the route names to
// reach their full size: on the phone cards of the demo 张庄村 160 of the
// 640 named were one step (0.88) under it, 6号巷水井 among houses and
// the other names round it.
const (
	widenStep = 1.1
	maxWiden  = 4
)

// placeTag lays the map out in vp to see where its numbers and symbols
// go and places the number's tag there; it returns the tag and the
// layout (nil when it failed).
func placeTag(c *Card, v *maps.Village, ix *maps.Index, td *textDrawer, vp render.Viewport, st *render.Style, w, h int) (numberTag, *render.Drawing) {
	px := float64(w) / 22
	at := vp.ToScreen(maps.Point{X: c.House.X, Y: c.House.Y})
	tg := numberTag{label: c.House.Number + "号", px: px}
	lw := td.Width(tg.label, px)
	var numbers, marks []maps.Rect
	only := *st // the numbers, symbols and named water's names: all the tag and waterShare look at
	only.WaterNamesOnly = true
	d, err := render.DrawReport(measurer{td}, ix, vp, &only)
	if err == nil {
		for _, t := range d.Texts {
			// The water the route names, its name and its ring, is hidden
			// by the tag no more than a number: on the A4 card for 137号
			// the tag lay over 1号消火栓's ring and pushed its name to
			// the smallest size.
			if t.Kind == render.TextNumber || t.Kind == render.TextLandmark {
				numbers = append(numbers, t.Box)
			}
		}
		if c.Route != nil {
			for _, wt := range c.Route.NamedWater() {
				_, ring := render.WaterName(vp, st, wt.At)
				numbers = append(numbers, ring)
			}
		}
		marks = d.Marks
	} else {
		d = nil
	}
	sp := tagPlace(c, v, vp, at, numbers, marks, lw, px, w, h)
	tg.px = sp.px
	tg.box = image.Rect(int(sp.x), int(sp.y), int(sp.x+sp.tw), int(sp.y+sp.th))
	tg.x, tg.y = sp.x+sp.px*0.3, sp.y+sp.px*1.08
	tg.leader, tg.from, tg.to = sp.leader, sp.from, sp.to
	return tg, d
}

// waterShare is the smallest share of its full size (render.WaterName's)
// a water source the route names is named at in d, clear of the tag, its
// leader too (drawn over the map; the names are placed first, so one the
// tag does not reach keeps its place once they keep clear of it): 1 when
// every one is at full size, 0 when one is hidden or left out.
func waterShare(c *Card, vp render.Viewport, st *render.Style, d *render.Drawing, tag image.Rectangle) float64 {
	if c.Route == nil || d == nil {
		return 1
	}
	tb := maps.Rect{Min: maps.Point{X: float64(tag.Min.X), Y: float64(tag.Min.Y)}, Max: maps.Point{X: float64(tag.Max.X), Y: float64(tag.Max.Y)}}
	least := 1.0
	for _, wt := range c.Route.NamedWater() {
		full, _ := render.WaterName(vp, st, wt.At)
		share := 0.0
		for _, tx := range d.Texts {
			if tx.Kind == render.TextLandmark && tx.Text == wt.Name && !tx.Box.Overlaps(tb) && !leaderMeets(tx.Leader, tb) {
				share = max(share, min(1, tx.Size/full))
			}
		}
		least = min(least, share)
	}
	return least
}

// leaderMeets reports whether a name's leader runs through box: the
// card's map is laid out again with the tag's box kept clear (leaders
// included), so such a name goes elsewhere, smaller.
func leaderMeets(leader []maps.Point, box maps.Rect) bool {
	for i := 1; i < len(leader); i++ {
		if box.MeetsSegment(leader[i-1], leader[i]) {
			return true
		}
	}
	return false
}

// waterView is the card's w×h view of box, widened until each water
// source the route sentence names has room for its name at full size
// beside its ring on the side of the nearer edge of the map, and above or
// below it: such a well framed at the map's edge (1号消火栓 77 px from the
// right edge of the phone card for 214号, 5号巷水井 from the left for
// 19号) had its name shrunk to the smallest number size, 12 px, on 33 of
// the demo 张庄村's 640 (every house's card).
func waterView(c *Card, td *textDrawer, st *render.Style, w, h int, box maps.Rect) render.Viewport {
	pad := float64(w) / 14
	vp := render.NewViewport(float64(w), float64(h), box, pad)
	if c.Route == nil {
		return vp
	}
	for range 6 {
		grown := box
		for _, wt := range c.Route.NamedWater() {
			size, a := render.WaterName(vp, st, wt.At)
			across := td.Width(wt.Name, size) + 0.5*size // the name, its gap and halo
			down := 1.5 * size
			grow := func(short float64) float64 { return math.Max(0, short) / vp.Scale }
			cx, cy := a.Center().X, a.Center().Y
			if cx < vp.W/2 {
				grown.Min.X -= grow(across - a.Min.X)
			} else {
				grown.Max.X += grow(a.Max.X + across - vp.W)
			}
			if cy < vp.H/2 {
				grown.Max.Y += grow(down - a.Min.Y) // north is up
			} else {
				grown.Min.Y -= grow(a.Max.Y + down - vp.H)
			}
		}
		if grown == box {
			break
		}
		box = grown
		vp = render.NewViewport(float64(w), float64(h), box, pad)
	}
	return vp
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

// tagSpot is where the number's tag goes: its top left corner, its text's
// size (px) and box (tw×th), and, when it is not beside the house, the
// red leader line from the house (From) to the tag (To).
type tagSpot struct {
	x, y, px, tw, th float64
	leader           bool
	from, to         maps.Point
}

// tagScales are the sizes the tag is tried at, of its full size, before
// it is drawn away from the house with a leader line.
var tagScales = []float64{1, 0.8, 0.65}

// tagPlace is where the number's tag goes (lw: its text's width at px):
// above the house (at, its centre on screen) as a rule, else beside or
// below it, where it hides least: no house number (numbers, as the map
// places them; above a row of houses it hid the neighbour's: 4号 on the
// demo's card for 1号), then no symbol (marks: a hydrant, a well), then
// the least of the route and of the houses. Where every such place hides
// a number (a dense block of houses), a smaller tag is tried beside the
// house, down to tagScales' floor, and then the full tag in the nearest
// free space of the map, joined to the house by a leader line that
// crosses as few numbers as it can.
func tagPlace(c *Card, v *maps.Village, vp render.Viewport, at maps.Point, numbers, marks []maps.Rect, lw, px float64, w, h int) tagSpot {
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
				n := int(math.Hypot(b.X-a.X, b.Y-a.Y)/(px*0.7)) + 1
				for k := 0; k <= n; k++ {
					f := float64(k) / float64(n)
					route = append(route, maps.Point{X: a.X + (b.X-a.X)*f, Y: a.Y + (b.Y-a.Y)*f})
				}
			}
		}
	}
	overlap := func(a, b maps.Rect) float64 {
		return math.Max(0, math.Min(a.Max.X, b.Max.X)-math.Max(a.Min.X, b.Min.X)) * math.Max(0, math.Min(a.Max.Y, b.Max.Y)-math.Max(a.Min.Y, b.Min.Y))
	}
	// cost is what a tag at box hides: a number (the house's own or
	// another's: drawn in the middle third of its house) worst, then a
	// symbol, then the route; least a corner of a house.
	cost := func(box maps.Rect) (float64, int) {
		score, hidden := 100*overlap(box, self), 0
		for _, n := range numbers {
			if overlap(box, n) > 0 {
				hidden++
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
		return score + 1e6*float64(hidden), hidden
	}
	size := func(s float64) (float64, float64, float64) { return px * s, (lw + px*0.6) * s, px * 1.4 * s }
	clamp := func(bx, by, tw, th float64) (float64, float64) {
		return math.Max(2, math.Min(float64(w)-tw-2, bx)), math.Max(2, math.Min(float64(h)-th-2, by))
	}
	// Beside the house, at each size in turn.
	var first tagSpot
	for i, s := range tagScales {
		p, tw, th := size(s)
		gap := p * 0.3
		var cands [][2]float64
		if i == 0 {
			cands = append(cands, [2]float64{at.X - tw/2, at.Y - px*2.3}) // above, as it always was
		}
		// Then around the house, near to far: above, right, left, below
		// and the corners.
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
		best, bestHidden := math.Inf(1), 0
		var spot tagSpot
		for _, cd := range cands {
			bx, by := clamp(cd[0], cd[1], tw, th)
			sc, hidden := cost(maps.Rect{Min: maps.Point{X: bx, Y: by}, Max: maps.Point{X: bx + tw, Y: by + th}})
			if sc < best-1e-9 {
				best, bestHidden, spot = sc, hidden, tagSpot{x: bx, y: by, px: p, tw: tw, th: th}
			}
		}
		if bestHidden == 0 {
			// Not beside the house (a corner two tags out): a leader
			// line joins them, as one drawn away from it.
			box := maps.Rect{Min: maps.Point{X: spot.x, Y: spot.y}, Max: maps.Point{X: spot.x + spot.tw, Y: spot.y + spot.th}}
			if from, to := nearestPoints(self, box); math.Hypot(to.X-from.X, to.Y-from.Y) > 2*gap {
				spot.leader, spot.from, spot.to = true, from, to
			}
			return spot
		}
		if i == 0 {
			first = spot
		}
	}
	// Away from the house with a leader line: every place of the map, the
	// line from a corner or a side's middle of the house (the gaps between
	// houses run there) to the tag's nearest point.
	starts := []maps.Point{
		{X: self.Min.X, Y: self.Min.Y}, {X: self.Max.X, Y: self.Min.Y}, {X: self.Min.X, Y: self.Max.Y}, {X: self.Max.X, Y: self.Max.Y},
		{X: at.X, Y: self.Min.Y}, {X: at.X, Y: self.Max.Y}, {X: self.Min.X, Y: at.Y}, {X: self.Max.X, Y: at.Y},
	}
	for _, s := range tagScales {
		p, tw, th := size(s)
		best := math.Inf(1)
		var spot tagSpot
		step := th / 3
		for by := 2.0; by+th+2 <= float64(h); by += step {
			for bx := 2.0; bx+tw+2 <= float64(w); bx += step {
				box := maps.Rect{Min: maps.Point{X: bx, Y: by}, Max: maps.Point{X: bx + tw, Y: by + th}}
				if overlap(box, self) > 0 {
					continue
				}
				sc, hidden := cost(box)
				if hidden > 0 || sc >= best {
					continue
				}
				for _, from := range starts {
					to := maps.Point{X: math.Max(bx, math.Min(bx+tw, from.X)), Y: math.Max(by, math.Min(by+th, from.Y))}
					l := sc + 10*math.Hypot(to.X-from.X, to.Y-from.Y)
					for _, n := range numbers {
						if n.MeetsSegment(from, to) {
							l += 1e5
						}
					}
					if l < best {
						best, spot = l, tagSpot{x: bx, y: by, px: p, tw: tw, th: th, leader: true, from: from, to: to}
					}
				}
			}
		}
		if !math.IsInf(best, 1) {
			return spot
		}
	}
	return first // a map all numbers: the full tag where it hides least
}

// nearestPoints are the points of a and b nearest each other (the middle
// of their overlap along an axis where they overlap).
func nearestPoints(a, b maps.Rect) (maps.Point, maps.Point) {
	axis := func(a0, a1, b0, b1 float64) (float64, float64) {
		switch {
		case a1 < b0:
			return a1, b0
		case b1 < a0:
			return a0, b1
		}
		m := (math.Max(a0, b0) + math.Min(a1, b1)) / 2
		return m, m
	}
	ax, bx := axis(a.Min.X, a.Max.X, b.Min.X, b.Max.X)
	ay, by := axis(a.Min.Y, a.Max.Y, b.Min.Y, b.Max.Y)
	return maps.Point{X: ax, Y: ay}, maps.Point{X: bx, Y: by}
}

// drawLeader draws the tag's leader line from a to b, wd pixels wide.
func drawLeader(img *image.RGBA, a, b maps.Point, wd float64, c color.RGBA) {
	n := int(math.Hypot(b.X-a.X, b.Y-a.Y)*2) + 1
	r := int(math.Max(1, wd/2))
	u := image.NewUniform(c)
	for k := 0; k <= n; k++ {
		f := float64(k) / float64(n)
		x, y := int(a.X+(b.X-a.X)*f), int(a.Y+(b.Y-a.Y)*f)
		draw.Draw(img, image.Rect(x-r, y-r, x+r, y+r), u, image.Point{}, draw.Src)
	}
}
