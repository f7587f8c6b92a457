// Package sheetgen draws synthetic hand-drawn village sheets — what a
// village police officer draws by hand after walking every lane: wobbly
// pencil rectangles for houses and courtyards, hand-written house numbers,
// double-line lanes, a pond and wells, an empty plot, a crossed-out
// number — on textured, stained paper, slightly rotated and JPEG-compressed
// as a scan or phone photo would be. Each sheet comes with its ground
// truth in pixels, so maps/trace can be measured against it.
//
// The layout is synth.Village's village, so sheets look like real
// villages. The numbers are set in handwriting-like fonts loaded from the
// system (Debian's fonts-humor-sans by default; Options.Fonts picks others,
// one per house); no font is embedded. About one house in twelve carries
// an inserted house's number, 203-1, as maps' numbering gives them. The package is
// pure image code: no cgo, no UI, no database.
package sheetgen

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"strconv"

	"cunjing/maps"
	"cunjing/maps/synth"
	"cunjing/maps/trace/homography"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// FontPaths are the places a handwriting-like font is looked for, in
// order (Debian's fonts-humor-sans first).
var FontPaths = []string{
	"/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf",
	"/usr/share/fonts/humor-sans/Humor-Sans.ttf",
	"/usr/local/share/fonts/Humor-Sans.ttf",
}

// HeldOutFont is the handwriting font (Debian's fonts-dkg-handwriting: one
// person's real hand) that maps/trace/digits is never trained on: sheets
// written in it measure the recogniser on a hand it has not seen.
const HeldOutFont = "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf"

// ErrNoFont is returned when no handwriting font is installed.
var ErrNoFont = errors.New("sheetgen: no handwriting font found (install Debian's fonts-humor-sans)")

// FindFont returns the first handwriting font file present.
func FindFont() (string, error) {
	for _, p := range FontPaths {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", ErrNoFont
}

// Options say what sheet to draw.
type Options struct {
	Houses int    // houses in the village (1 to 5000)
	PageW  int    // page width in pixels; the page turns to the village's shape
	PageH  int    // page height in pixels
	Font   string // handwriting font file; "" finds one with FindFont
	// Fonts, when set, are the fonts numbers are written in, one chosen
	// per house (Font is then not used).
	Fonts []string
	// Quality is the JPEG quality the sheet passes through (0 = 70).
	Quality int
	// MaxRotate is the largest rotation in degrees (0 = 2).
	MaxRotate float64
	// ScaleBar draws a scale bar in an empty corner: a line of a round
	// number of metres with ticks, its length written above it ("50")
	// and "m" after it. Off by default, so sheets drawn before it
	// stay as they were.
	ScaleBar bool
}

// Pt is a pixel position.
type Pt [2]float64

// House is one drawn house: its true outline and number.
type House struct {
	Number  string `json:"number"`
	Outline []Pt   `json:"outline_px"`
	// Crossed is the number drawn and struck out before the true one ("" if none).
	Crossed string `json:"crossed,omitempty"`
}

// Lane is one drawn lane: its centreline and width.
type Lane struct {
	Points []Pt    `json:"px"`
	WidthM float64 `json:"width_m"`
}

// Landmark is a drawn symbol: "pond", "well" or "empty" (an empty plot).
type Landmark struct {
	Kind    string `json:"kind"`
	At      Pt     `json:"px"`
	Outline []Pt   `json:"outline_px,omitempty"`
}

// ScaleBar is a drawn scale bar: its two end ticks on the bar's line and
// the metres between them, as written above it.
type ScaleBar struct {
	Ends   [2]Pt   `json:"px"`
	Metres float64 `json:"metres"`
}

// Truth is what a sheet shows, in the sheet's pixels.
type Truth struct {
	Seed      int64      `json:"seed"`
	Width     int        `json:"width"`
	Height    int        `json:"height"`
	PxPerM    float64    `json:"px_per_m"`
	Rotation  float64    `json:"rotation_deg"`
	Houses    []House    `json:"houses"`
	Lanes     []Lane     `json:"lanes"`
	Landmarks []Landmark `json:"landmarks"`
	// ScaleBar is the scale bar drawn (nil when none was asked for or
	// no corner of the page was empty enough).
	ScaleBar *ScaleBar `json:"scale_bar,omitempty"`
}

// Sheet is a drawn sheet and its truth.
type Sheet struct {
	Image *image.Gray
	JPEG  []byte // the sheet as the JPEG it passed through (Image decoded)
	Truth Truth
}

const maxPagePixels = 64 << 20

// Generate draws the sheet for seed. The same seed, options and font file
// always give the same sheet.
func Generate(seed int64, o Options) (*Sheet, error) {
	if o.Houses < 1 || o.Houses > 5000 {
		return nil, fmt.Errorf("sheetgen: %d houses: want 1 to 5000", o.Houses)
	}
	if o.PageW < 64 || o.PageH < 64 || o.PageW*o.PageH > maxPagePixels {
		return nil, fmt.Errorf("sheetgen: page %d×%d px: want at least 64×64 and at most 64 megapixels", o.PageW, o.PageH)
	}
	if o.Quality == 0 {
		o.Quality = 70
	}
	if o.MaxRotate == 0 {
		o.MaxRotate = 2
	}
	paths := o.Fonts
	if len(paths) == 0 {
		path := o.Font
		if path == "" {
			p, err := FindFont()
			if err != nil {
				return nil, err
			}
			path = p
		}
		paths = []string{path}
	}
	var fonts []*opentype.Font
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("sheetgen: read font: %w", err)
		}
		fnt, err := opentype.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("sheetgen: parse font %s: %w", path, err)
		}
		fonts = append(fonts, fnt)
	}
	v, err := synth.Village(seed, o.Houses)
	if err != nil {
		return nil, fmt.Errorf("sheetgen: %w", err)
	}
	g := &gen{
		rng: rand.New(rand.NewPCG(uint64(seed), 0x73686565)),
		// the numbers' forms and fonts draw from their own stream, so
		// adding them moved nothing else on a seed's sheet
		nrng:  rand.New(rand.NewPCG(uint64(seed), 0x6e756d62)),
		fonts: fonts,
		faces: map[faceKey]font.Face{},
	}
	g.truth.Seed = seed
	if err := g.place(v, o); err != nil {
		return nil, err
	}
	g.draw(v)
	if o.ScaleBar {
		g.scaleBar(rand.New(rand.NewPCG(uint64(seed), 0x7363616c)))
	}
	img := g.paper()
	img = g.rotate(img, o.MaxRotate)
	out, enc, err := throughJPEG(img, o.Quality)
	if err != nil {
		return nil, err
	}
	return &Sheet{Image: out, JPEG: enc, Truth: g.truth}, nil
}

type gen struct {
	rng    *rand.Rand
	nrng   *rand.Rand
	fonts  []*opentype.Font
	font   int // the font of the number being written
	faces  map[faceKey]font.Face
	w, h   int
	ink    []float32 // darkness 0..1
	ppm    float64
	minX   float64
	maxY   float64
	margin float64
	truth  Truth
}

func (g *gen) between(a, b float64) float64 { return a + g.rng.Float64()*(b-a) }

// place chooses the page's orientation and scale from the village's extent.
func (g *gen) place(v *maps.Village, o Options) error {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	grow := func(p maps.Point) {
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	for _, h := range v.Houses {
		for _, p := range h.Polygon {
			grow(p)
		}
	}
	for _, l := range v.Landmarks {
		if l.Kind == maps.KindPond || l.Kind == maps.KindWell {
			grow(l.Point)
		}
	}
	ew, eh := maxX-minX+20, maxY-minY+20
	w, h := o.PageW, o.PageH
	if (ew > eh) != (w > h) {
		w, h = h, w
	}
	g.margin = 0.04 * float64(min(w, h))
	g.ppm = math.Min((float64(w)-2*g.margin)/ew, (float64(h)-2*g.margin)/eh)
	if g.ppm < 1 {
		return fmt.Errorf("sheetgen: %d houses do not fit on %d×%d px (%.2f px per metre)", o.Houses, w, h, g.ppm)
	}
	g.w, g.h = w, h
	g.minX, g.maxY = minX-10, maxY+10
	g.ink = make([]float32, w*h)
	g.truth.Width, g.truth.Height, g.truth.PxPerM = w, h, g.ppm
	return nil
}

// px maps local metres to page pixels.
func (g *gen) px(p maps.Point) Pt {
	return Pt{g.margin + (p.X-g.minX)*g.ppm, g.margin + (g.maxY-p.Y)*g.ppm}
}

// draw puts the village on the ink layer and records the truth.
func (g *gen) draw(v *maps.Village) {
	for _, l := range v.Lanes {
		if len(l.Points) < 2 {
			continue
		}
		pts := make([]Pt, len(l.Points))
		for i, p := range l.Points {
			pts[i] = g.px(p)
		}
		half := l.Width / 2 * g.ppm
		g.polyline(offset(pts, half), 1.0)
		g.polyline(offset(pts, -half), 1.0)
		g.truth.Lanes = append(g.truth.Lanes, Lane{Points: pts, WidthM: l.Width})
	}
	n := len(v.Houses)
	numbers := inserted(g.nrng, v.Houses)
	empty, crossed := -1, -1
	if n >= 4 {
		empty = g.rng.IntN(n)
		crossed = (empty + 1 + g.rng.IntN(n-1)) % n
	}
	for i, h := range v.Houses {
		ring := make([]Pt, len(h.Polygon))
		for j, p := range h.Polygon {
			ring[j] = g.px(p)
		}
		if i == empty {
			g.dashedRing(ring)
			g.truth.Landmarks = append(g.truth.Landmarks, Landmark{Kind: "empty", At: centroid(ring), Outline: ring})
			continue
		}
		g.ring(ring)
		th := House{Number: numbers[i], Outline: ring}
		g.font = g.nrng.IntN(len(g.fonts))
		if i == crossed {
			th.Crossed = fmt.Sprint(g.rng.IntN(900) + 10)
		}
		g.number(ring, th.Number, th.Crossed)
		g.truth.Houses = append(g.truth.Houses, th)
	}
	for _, l := range v.Landmarks {
		c := g.px(l.Point)
		switch l.Kind {
		case maps.KindPond:
			g.pond(c)
			g.truth.Landmarks = append(g.truth.Landmarks, Landmark{Kind: "pond", At: c})
		case maps.KindWell:
			g.well(c)
			g.truth.Landmarks = append(g.truth.Landmarks, Landmark{Kind: "well", At: c})
		}
	}
}

// inserted gives about one house in twelve the number of a house
// inserted after its predecessor (n becomes (n-1)-1, as maps' NumberNew
// numbers a house added later), keeping the rest as they are.
func inserted(rng *rand.Rand, hs []maps.House) []string {
	out := make([]string, len(hs))
	have := map[string]bool{}
	base := map[int]bool{} // numbers others are inserted after: kept
	for i, h := range hs {
		out[i] = h.Number
		have[h.Number] = true
	}
	for i := range out {
		n, err := strconv.Atoi(out[i])
		if rng.IntN(12) != 0 || err != nil || n < 2 || base[n] || !have[strconv.Itoa(n-1)] {
			continue
		}
		out[i] = fmt.Sprintf("%d-1", n-1)
		base[n-1] = true
		delete(have, strconv.Itoa(n)) // n is gone: n+1 is not inserted after it
	}
	return out
}

func centroid(r []Pt) Pt {
	var a, cx, cy float64
	for i := range r {
		p, q := r[i], r[(i+1)%len(r)]
		c := p[0]*q[1] - q[0]*p[1]
		a += c
		cx += (p[0] + q[0]) * c
		cy += (p[1] + q[1]) * c
	}
	if a == 0 {
		return r[0]
	}
	return Pt{cx / (3 * a), cy / (3 * a)}
}

// offset returns the polyline moved d pixels to its left.
func offset(pts []Pt, d float64) []Pt {
	out := make([]Pt, len(pts))
	for i := range pts {
		var nx, ny float64
		for _, j := range []int{i - 1, i} {
			if j < 0 || j+1 >= len(pts) {
				continue
			}
			dx, dy := pts[j+1][0]-pts[j][0], pts[j+1][1]-pts[j][1]
			l := math.Hypot(dx, dy)
			if l > 0 {
				nx, ny = nx-dy/l, ny+dx/l
			}
		}
		l := math.Hypot(nx, ny)
		if l > 0 {
			nx, ny = nx/l, ny/l
		}
		out[i] = Pt{pts[i][0] + nx*d, pts[i][1] + ny*d}
	}
	return out
}

// stroke draws one hand-drawn pencil line from a to b: a slow wobble
// across the line, a slightly varying pressure and grain.
func (g *gen) stroke(a, b Pt, pressure float64) {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l := math.Hypot(dx, dy)
	if l < 0.5 {
		return
	}
	nx, ny := -dy/l, dx/l
	amp := math.Min(1.6, 0.25+l/150) * g.between(0.5, 1)
	f1, p1 := g.between(0.5, 1.5)*math.Pi/l*2, g.between(0, 2*math.Pi)
	f2, p2 := g.between(3, 6)*math.Pi/l, g.between(0, 2*math.Pi)
	r := g.between(0.8, 1.25)
	dark := pressure * g.between(0.6, 0.85)
	for s := 0.0; s <= l; s += 0.4 {
		w := amp * (math.Sin(f1*s+p1) + 0.4*math.Sin(f2*s+p2)) * math.Sin(math.Pi*s/l)
		x := a[0] + dx*s/l + nx*w
		y := a[1] + dy*s/l + ny*w
		g.dab(x, y, r, dark*(0.75+0.25*g.rng.Float64()))
	}
}

// dab darkens a soft disc.
func (g *gen) dab(x, y, r, d float64) {
	x0, x1 := int(math.Floor(x-r-1)), int(math.Ceil(x+r+1))
	y0, y1 := int(math.Floor(y-r-1)), int(math.Ceil(y+r+1))
	for j := max(y0, 0); j <= min(y1, g.h-1); j++ {
		for i := max(x0, 0); i <= min(x1, g.w-1); i++ {
			e := r + 0.5 - math.Hypot(float64(i)+0.5-x, float64(j)+0.5-y)
			if e <= 0 {
				continue
			}
			v := float32(d * math.Min(1, e))
			k := j*g.w + i
			if v > g.ink[k] {
				g.ink[k] = v
			}
		}
	}
}

func (g *gen) polyline(pts []Pt, pressure float64) {
	for i := 1; i < len(pts); i++ {
		g.stroke(pts[i-1], pts[i], pressure)
	}
}

// ring draws a closed outline edge by edge, each edge overshooting its
// corners a little as a hand does.
func (g *gen) ring(r []Pt) {
	for i := range r {
		a, b := r[i], r[(i+1)%len(r)]
		dx, dy := b[0]-a[0], b[1]-a[1]
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		o0, o1 := g.between(0.5, 3), g.between(0.5, 3)
		g.stroke(Pt{a[0] - dx/l*o0, a[1] - dy/l*o0}, Pt{b[0] + dx/l*o1, b[1] + dy/l*o1}, 1)
	}
}

// dashedRing draws an outline in dashes: an empty plot.
func (g *gen) dashedRing(r []Pt) {
	dash := math.Max(4, 1.2*g.ppm)
	for i := range r {
		a, b := r[i], r[(i+1)%len(r)]
		dx, dy := b[0]-a[0], b[1]-a[1]
		l := math.Hypot(dx, dy)
		for s := 0.0; s < l; s += 2.2 * dash {
			e := math.Min(l, s+dash)
			g.stroke(Pt{a[0] + dx*s/l, a[1] + dy*s/l}, Pt{a[0] + dx*e/l, a[1] + dy*e/l}, 0.9)
		}
	}
}

// pond draws a wobbly oval with water waves inside.
func (g *gen) pond(c Pt) {
	rx, ry := g.between(5, 9)*g.ppm, g.between(4, 7)*g.ppm
	var pts []Pt
	ph := g.between(0, 2*math.Pi)
	for k := 0; k <= 40; k++ {
		t := 2 * math.Pi * float64(k) / 40
		f := 1 + 0.06*math.Sin(3*t+ph)
		pts = append(pts, Pt{c[0] + rx*f*math.Cos(t), c[1] + ry*f*math.Sin(t)})
	}
	g.polyline(pts, 1)
	for _, dy := range []float64{-0.35, 0, 0.35} {
		y := c[1] + dy*ry
		var wave []Pt
		for k := 0; k <= 8; k++ {
			x := c[0] - 0.45*rx + 0.9*rx*float64(k)/8
			wave = append(wave, Pt{x, y + 0.06*ry*math.Sin(float64(k)*math.Pi/2)})
		}
		g.polyline(wave, 0.8)
	}
}

// well draws the map symbol of a well: a small circle with 井 crossing lines.
func (g *gen) well(c Pt) {
	r := math.Max(3, 1.3*g.ppm)
	var pts []Pt
	for k := 0; k <= 16; k++ {
		t := 2 * math.Pi * float64(k) / 16
		pts = append(pts, Pt{c[0] + r*math.Cos(t), c[1] + r*math.Sin(t)})
	}
	g.polyline(pts, 1)
	for _, d := range []float64{-0.35, 0.35} {
		g.stroke(Pt{c[0] - 0.8*r, c[1] + d*r}, Pt{c[0] + 0.8*r, c[1] + d*r}, 1)
		g.stroke(Pt{c[0] + d*r, c[1] - 0.8*r}, Pt{c[0] + d*r, c[1] + 0.8*r}, 1)
	}
}

type faceKey struct{ font, px int }

func (g *gen) face(px int) font.Face {
	k := faceKey{g.font, px}
	if f, ok := g.faces[k]; ok {
		return f
	}
	f, err := opentype.NewFace(g.fonts[g.font], &opentype.FaceOptions{Size: float64(px), DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil
	}
	g.faces[k] = f
	return f
}

// number writes a house's number inside its outline, at a varied size and
// slant; with crossed set, that number is written first and struck out.
func (g *gen) number(ring []Pt, num, crossed string) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range ring {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	c := centroid(ring)
	bw, bh := maxX-minX, maxY-minY
	size := math.Min(bw, bh) * g.between(0.22, 0.32)
	if crossed != "" {
		size *= 0.8
		g.text(Pt{c[0], c[1] - 0.55*size}, crossed, size, bw*0.7, true)
		g.text(Pt{c[0], c[1] + 0.55*size}, num, size, bw*0.7, false)
		return
	}
	g.text(c, num, size, bw*0.7, false)
}

// text renders s centred on c with a random slant, at most maxW wide.
func (g *gen) text(c Pt, s string, size, maxW float64, strike bool) {
	px := max(6, int(size+0.5))
	f := g.face(px)
	if f == nil {
		return
	}
	adv := font.MeasureString(f, s).Ceil()
	for adv > int(maxW) && px > 6 {
		px--
		f = g.face(px)
		if f == nil {
			return
		}
		adv = font.MeasureString(f, s).Ceil()
	}
	m := f.Metrics()
	asc, desc := m.Ascent.Ceil(), m.Descent.Ceil()
	mask := image.NewAlpha(image.Rect(0, 0, adv+2, asc+desc+2))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: f, Dot: fixed.P(1, asc+1)}
	d.DrawString(s)
	slant := g.between(-0.25, 0.3)
	dark := g.between(0.7, 0.95)
	mw, mh := mask.Rect.Dx(), mask.Rect.Dy()
	ox, oy := c[0]-float64(mw)/2, c[1]-float64(mh)/2
	for y := 0; y < mh; y++ {
		sh := slant * float64(mh/2-y)
		for x := 0; x < mw; x++ {
			a := mask.AlphaAt(x, y).A
			if a == 0 {
				continue
			}
			i, j := int(ox+float64(x)+sh), int(oy+float64(y))
			if i < 0 || j < 0 || i >= g.w || j >= g.h {
				continue
			}
			v := float32(dark * float64(a) / 255)
			if k := j*g.w + i; v > g.ink[k] {
				g.ink[k] = v
			}
		}
	}
	if strike {
		y := c[1] + g.between(-0.1, 0.1)*float64(mh)
		g.stroke(Pt{ox, y + 1}, Pt{ox + float64(mw), y - 1}, 1)
		g.stroke(Pt{ox, y + 3}, Pt{ox + float64(mw), y + 1}, 0.9)
	}
}

// paper turns the ink into a grey sheet: paper tone that varies slowly,
// grain, a shadow across one side, and a tea stain with a darker rim.
func (g *gen) paper() *image.Gray {
	img := image.NewGray(image.Rect(0, 0, g.w, g.h))
	base := g.between(0.86, 0.95)
	fx, fy, ph := g.between(1, 3)*math.Pi/float64(g.w), g.between(1, 3)*math.Pi/float64(g.h), g.between(0, 6)
	// shadow: a darkening towards one edge, as a hand or phone casts
	sdir := g.between(0, 2*math.Pi)
	sx, sy := math.Cos(sdir), math.Sin(sdir)
	sdepth := g.between(0.1, 0.3)
	diag := math.Hypot(float64(g.w), float64(g.h))
	// stain
	cx, cy := g.between(0.15, 0.85)*float64(g.w), g.between(0.15, 0.85)*float64(g.h)
	rr := g.between(0.05, 0.1) * float64(min(g.w, g.h))
	sph := [3]float64{g.between(0, 6), g.between(0, 6), g.between(0, 6)}
	for y := 0; y < g.h; y++ {
		for x := 0; x < g.w; x++ {
			fxy := float64(x)
			fyy := float64(y)
			t := base + 0.03*math.Sin(fx*fxy+ph)*math.Cos(fy*fyy)
			// shadow
			p := ((fxy-float64(g.w)/2)*sx + (fyy-float64(g.h)/2)*sy) / diag // -0.5..0.5
			if p > 0.1 {
				t *= 1 - sdepth*math.Min(1, (p-0.1)*3)
			}
			// stain
			dx, dy := fxy-cx, fyy-cy
			a := math.Atan2(dy, dx)
			edge := rr * (1 + 0.15*math.Sin(3*a+sph[0]) + 0.08*math.Sin(7*a+sph[1]))
			if d := math.Hypot(dx, dy); d < edge {
				t *= 0.9
				if edge-d < 3 {
					t *= 0.93
				}
			}
			t += (g.rng.Float64() - 0.5) * 0.04
			ink := float64(g.ink[y*g.w+x])
			v := t * (1 - 0.8*ink)
			img.Pix[y*img.Stride+x] = uint8(math.Max(0, math.Min(255, v*255)))
		}
	}
	return img
}

// rotate turns the sheet by a small random angle about its centre, as a
// sheet lies crooked on a scanner, and moves the truth with it.
func (g *gen) rotate(src *image.Gray, maxDeg float64) *image.Gray {
	deg := g.between(-maxDeg, maxDeg)
	g.truth.Rotation = deg
	th := deg * math.Pi / 180
	cs, sn := math.Cos(th), math.Sin(th)
	cx, cy := float64(g.w)/2, float64(g.h)/2
	fwd := func(p Pt) Pt {
		x, y := p[0]-cx, p[1]-cy
		return Pt{cx + x*cs - y*sn, cy + x*sn + y*cs}
	}
	for i := range g.truth.Houses {
		for j, p := range g.truth.Houses[i].Outline {
			g.truth.Houses[i].Outline[j] = fwd(p)
		}
	}
	for i := range g.truth.Lanes {
		for j, p := range g.truth.Lanes[i].Points {
			g.truth.Lanes[i].Points[j] = fwd(p)
		}
	}
	if b := g.truth.ScaleBar; b != nil {
		b.Ends[0], b.Ends[1] = fwd(b.Ends[0]), fwd(b.Ends[1])
	}
	for i := range g.truth.Landmarks {
		g.truth.Landmarks[i].At = fwd(g.truth.Landmarks[i].At)
		for j, p := range g.truth.Landmarks[i].Outline {
			g.truth.Landmarks[i].Outline[j] = fwd(p)
		}
	}
	dst := image.NewGray(src.Rect)
	bg := src.Pix[src.Stride*(g.h/2)+2] // paper near an edge
	for y := 0; y < g.h; y++ {
		for x := 0; x < g.w; x++ {
			// inverse rotation
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			sx, sy := cx+dx*cs+dy*sn-0.5, cy-dx*sn+dy*cs-0.5
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			if x0 < 0 || y0 < 0 || x0+1 >= g.w || y0+1 >= g.h {
				dst.Pix[y*dst.Stride+x] = bg
				continue
			}
			ax, ay := sx-float64(x0), sy-float64(y0)
			at := func(i, j int) float64 { return float64(src.Pix[j*src.Stride+i]) }
			v := (at(x0, y0)*(1-ax)+at(x0+1, y0)*ax)*(1-ay) + (at(x0, y0+1)*(1-ax)+at(x0+1, y0+1)*ax)*ay
			dst.Pix[y*dst.Stride+x] = uint8(v + 0.5)
		}
	}
	return dst
}

// scaleBar draws a scale bar in the first empty corner of the page,
// bottom-left first: a line of a round number of metres about a sixth of
// the page wide, five intervals ticked, the metres written above its
// middle and "m" after its end. rng is the bar's own stream; the pencil's
// wobble comes from the sheet's.
func (g *gen) scaleBar(rng *rand.Rand) {
	want := float64(g.w) / 6 / g.ppm
	metres := 0.0
	for _, m := range []float64{10, 20, 25, 30, 40, 50, 100, 150, 200, 250, 500} {
		if m <= want {
			metres = m
		}
	}
	if metres == 0 {
		return
	}
	// the label is written at a hand's size (about 3.5 mm on an A3
	// sheet), not at the map's scale as the house numbers are
	size := math.Max(12, 0.012*float64(min(g.w, g.h)))
	tick := math.Max(6, 0.006*float64(min(g.w, g.h)))
	for metres >= 10 {
		l := metres * g.ppm
		pad := math.Max(8, 2*g.ppm)
		bw, bh := l+2.5*size+2*pad, tick+1.8*size+2*pad // the box it needs
		corners := []Pt{{0, float64(g.h) - bh}, {float64(g.w) - bw, float64(g.h) - bh}, {0, 0}, {float64(g.w) - bw, 0}}
		start := rng.IntN(2) // bottom-left or bottom-right first
		for k := range corners {
			c := corners[(k+start)%len(corners)]
			// inside the page margin's inner half
			c[0] = math.Max(g.margin/2, math.Min(c[0], float64(g.w)-bw-g.margin/2))
			c[1] = math.Max(g.margin/2, math.Min(c[1], float64(g.h)-bh-g.margin/2))
			if !g.empty(int(c[0]), int(c[1]), int(c[0]+bw), int(c[1]+bh)) {
				continue
			}
			x0 := c[0] + pad
			y := c[1] + pad + 1.8*size + tick
			a, b := Pt{x0, y}, Pt{x0 + l, y}
			g.stroke(a, b, 1)
			for i := 0; i <= 5; i++ {
				x := x0 + l*float64(i)/5
				t := tick
				if i != 0 && i != 5 {
					t *= 0.6
				}
				g.stroke(Pt{x, y}, Pt{x, y - t}, 1)
			}
			g.font = 0
			g.text(Pt{x0 + l/2, y - tick - 0.8*size}, strconv.Itoa(int(metres)), size, l*0.8, false)
			g.text(Pt{x0 + l + 0.9*size, y - 0.35*size}, "m", 0.8*size, 2*size, false)
			g.truth.ScaleBar = &ScaleBar{Ends: [2]Pt{a, b}, Metres: metres}
			return
		}
		metres /= 2
	}
}

// empty says whether no ink is drawn in [x0,x1)×[y0,y1) (clipped).
func (g *gen) empty(x0, y0, x1, y1 int) bool {
	for y := max(y0, 0); y < min(y1, g.h); y++ {
		for x := max(x0, 0); x < min(x1, g.w); x++ {
			if g.ink[y*g.w+x] > 0 {
				return false
			}
		}
	}
	return true
}

// PhotoOptions say how a sheet is photographed.
type PhotoOptions struct {
	// Margin is the table around the sheet, as a fraction of its size
	// on each side (0 = 0.12).
	Margin float64
	// Tilt is the most each corner moves, as a fraction of the sheet's
	// size, to make the perspective of a phone held at an angle (0 = 0.06).
	Tilt float64
	// Quality is the photo's JPEG quality (0 = 80).
	Quality int
}

// Photo is a sheet photographed at an angle on a darker table.
type Photo struct {
	Image *image.Gray
	JPEG  []byte
	// Corners are the sheet's corners in the photo: top-left, top-right,
	// bottom-right, bottom-left.
	Corners [4]Pt
}

// PhotoOf places the sheet on a darker, unevenly lit table with a
// perspective that moves each corner by up to Tilt of the sheet's size,
// and passes it through JPEG. The same seed gives the same photo.
func PhotoOf(s *Sheet, seed int64, o PhotoOptions) (*Photo, error) {
	if s == nil || s.Image == nil {
		return nil, errors.New("sheetgen: no sheet")
	}
	if o.Margin == 0 {
		o.Margin = 0.12
	}
	if o.Tilt == 0 {
		o.Tilt = 0.06
	}
	if o.Quality == 0 {
		o.Quality = 80
	}
	if o.Margin < 0 || o.Margin > 1 || o.Tilt < 0 || o.Tilt > o.Margin {
		return nil, fmt.Errorf("sheetgen: photo margin %v and tilt %v: want 0 < tilt ≤ margin ≤ 1", o.Margin, o.Tilt)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x70686f74))
	between := func(a, b float64) float64 { return a + rng.Float64()*(b-a) }
	sw, sh := float64(s.Image.Rect.Dx()), float64(s.Image.Rect.Dy())
	W, H := int(sw*(1+2*o.Margin)), int(sh*(1+2*o.Margin))
	if W*H > maxPagePixels {
		return nil, fmt.Errorf("sheetgen: a photo of %d×%d px is over 64 megapixels", W, H)
	}
	mx, my := o.Margin*sw, o.Margin*sh
	src := [4]Pt{{0, 0}, {sw, 0}, {sw, sh}, {0, sh}}
	var dst [4]Pt
	for i, p := range src {
		dst[i] = Pt{mx + p[0] + between(-o.Tilt, o.Tilt)*sw, my + p[1] + between(-o.Tilt, o.Tilt)*sh}
	}
	back, err := homography.From(dst, src) // photo → sheet
	if err != nil {
		return nil, fmt.Errorf("sheetgen: photo: %w", err)
	}
	img := image.NewGray(image.Rect(0, 0, W, H))
	table := between(0.2, 0.4)
	gx, gy := between(-0.15, 0.15), between(-0.15, 0.15)
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			p := back.Apply(Pt{float64(x) + 0.5, float64(y) + 0.5})
			var v float64
			if p[0] >= 0 && p[1] >= 0 && p[0] < sw && p[1] < sh {
				v = homography.Bilinear(s.Image, p)
			} else {
				// the table: a dark wood, lit unevenly, with grain
				t := table + gx*float64(x)/float64(W) + gy*float64(y)/float64(H) + 0.03*math.Sin(float64(y)*0.21+3*math.Sin(float64(x)*0.01))
				v = 255 * (t + (rng.Float64()-0.5)*0.05)
			}
			img.Pix[y*img.Stride+x] = uint8(math.Max(0, math.Min(255, v+0.5)))
		}
	}
	out, enc, err := throughJPEG(img, o.Quality)
	if err != nil {
		return nil, err
	}
	return &Photo{Image: out, JPEG: enc, Corners: dst}, nil
}

// throughJPEG passes img through JPEG at quality q, as a scanner or a
// phone does: the file's bytes and the grey image they decode to.
func throughJPEG(img image.Image, q int) (*image.Gray, []byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		return nil, nil, fmt.Errorf("sheetgen: jpeg: %w", err)
	}
	enc := bytes.Clone(buf.Bytes())
	dec, err := jpeg.Decode(&buf)
	if err != nil {
		return nil, nil, fmt.Errorf("sheetgen: jpeg: %w", err)
	}
	out := image.NewGray(dec.Bounds())
	draw.Draw(out, out.Bounds(), dec, dec.Bounds().Min, draw.Src)
	return out, enc, nil
}
