// Package trace finds a village in a scanned or photographed hand-drawn
// map: house outlines (closed pencil outlines), in the image's pixels,
// each with a confidence, for the officer to confirm in the editor.
//
// The steps are classical image processing, pure Go: the paper's
// brightness is estimated block by block (so shadows and stains do not
// read as ink) and each pixel compared with it; the ink is closed by one
// pixel to bridge small pencil gaps; the paper regions that the ink
// encloses are labelled; regions of a house's size and a rectangular
// shape (a rectangle or an L-shaped courtyard) are proposed as houses,
// their outline traced and simplified to a polygon.
//
// Closed ovals of a house's size are proposed as ponds.
//
// Lanes are the middles of the paper corridors between two facing walls
// of ink — two drawn lane lines, or two house rows — found with a
// Euclidean feature transform, joined into centrelines across crossings,
// each with its width (lanes.go).
//
// Each house's number is read from the ink islands inside its outline
// (maps/trace/housenum) by maps/trace/digits (a small network, pure Go);
// among the reader's readings the one its neighbours' numbers support is
// taken, and a number that breaks their sequence is flagged doubtful
// (numbers.go, housenum).
//
// Wells are small rings of ink with dense ink inside, paper around
// (landmarks.go).
//
// Without a scale given, a scale bar is looked for: a straight, nearly
// level line with ticks at both ends, its metres written above it and
// read by maps/trace/digits (scalebar.go); a scale it gives that the
// houses' size does not bear out is not used, and the proposal says why.
//
// A photo taken at an angle is flattened first (rectify.go): from the
// corners given, or found as the outline of the largest bright piece of
// the picture against a darker table; the proposal's positions are then
// mapped back to the photo's pixels.
//
// Sheets to measure it on come from maps/trace/sheetgen (measure.go
// scores a proposal against their truth).
package trace

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg" // decoders for scans and photos
	_ "image/png"
	"io"
	"math"
	"slices"

	"cunjing/maps/trace/digits"
)

// MaxPixels is the largest image accepted: A0 at 200 dpi, the base map's limit.
const MaxPixels = 64_000_000

// MinSide is the smallest width or height accepted.
const MinSide = 32

// ErrNoHouses is returned when a sheet shows no closed outline of a house's size.
var ErrNoHouses = errors.New("trace: no house outlines found (is this a hand-drawn village map, and is the whole sheet in the picture?)")

// Decode reads a JPEG or PNG scan into grey, refusing images too large
// or too small before decoding their pixels.
func Decode(r io.Reader) (*image.Gray, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<30))
	if err != nil {
		return nil, fmt.Errorf("trace: read image: %w", err)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("trace: not a JPEG or PNG image: %w", err)
	}
	if err := checkSize(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("trace: decode %s (%d×%d): %w", format, cfg.Width, cfg.Height, err)
	}
	if g, ok := img.(*image.Gray); ok {
		return g, nil
	}
	b := img.Bounds()
	if err := checkSize(b.Dx(), b.Dy()); err != nil {
		return nil, err
	}
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(g, g.Rect, img, b.Min, draw.Src)
	return g, nil
}

func checkSize(w, h int) error {
	if w < MinSide || h < MinSide {
		return fmt.Errorf("trace: image %d×%d px is too small to be a scanned map (want at least %d×%d)", w, h, MinSide, MinSide)
	}
	if int64(w)*int64(h) > MaxPixels {
		return fmt.Errorf("trace: image %d×%d px is %.0f megapixels, over the %d-megapixel limit: scan at 200 dpi or less (A0 at 200 dpi fits)", w, h, float64(w)*float64(h)/1e6, MaxPixels/1_000_000)
	}
	return nil
}

// Options tune detection.
type Options struct {
	// PxPerM is the sheet's scale in pixels per metre; 0 when unknown
	// (sizes are then judged from the image alone).
	PxPerM float64
	// SkipNumbers leaves every number unread (to time the rest alone).
	SkipNumbers bool
	// KeepCrops keeps each house's number crop in House.Crop (for
	// training the recogniser on sheets; with SkipNumbers too, the crops
	// are cut but not read).
	KeepCrops bool
	// Corners, when set, are the sheet's corners in the image (top-left,
	// top-right, bottom-right, bottom-left, as clicked): the sheet is
	// flattened from them (Rectify) before it is traced.
	Corners *[4]Pt
	// FindCorners looks for the sheet's corners (FindSheetCorners) and
	// flattens it from them; when no sheet's edge stands out from a
	// darker background — a scan — the image is traced as it is.
	FindCorners bool
}

// Pt is a pixel position in the input image.
type Pt [2]float64

// House is a proposed house.
type House struct {
	At         Pt      // centre of the enclosed region
	Outline    []Pt    // simplified outline, clockwise on screen
	Confidence float64 // 0..1: how rectangular and well closed
	AreaPx     int     // enclosed paper, in pixels
	// Number is the hand-written number as read ("" when unread), with
	// NumberConfidence 0..1; Doubtful when it breaks the sequence of its
	// neighbours' numbers (never to be trusted without a look).
	Number           string
	NumberConfidence float64
	Doubtful         bool
	// Crop is the number's crop, with Options.KeepCrops.
	Crop   digits.Crop
	region int32
}

// Landmark is a proposed map sign: "pond" (a closed oval) or "well" (a
// small circle with crossing lines).
type Landmark struct {
	Kind string
	At   Pt
}

// Proposal is what was found on a sheet.
type Proposal struct {
	Width, Height int
	// PxPerM is the scale the proposal was made at: Options.PxPerM, or
	// the scale bar's when one was found; 0 when unknown (sizes are then
	// in pixels only, and the editor asks for the scale).
	PxPerM float64
	// ScaleBar is the scale bar found, when the scale was not given.
	ScaleBar *ScaleBar
	// NoScaleBar says why no scale bar gave the scale ("" when one did,
	// or when the scale was given).
	NoScaleBar string
	// Corners are the sheet's corners the image was flattened from (nil
	// when it was traced as it is). Positions (At, Outline, Points, Ends)
	// are then still the input image's pixels, but sizes in pixels
	// (PxPerM, WidthPx, AreaPx) and Crop are the flattened sheet's, whose
	// size is FlatWidth×FlatHeight.
	Corners               *[4]Pt
	FlatWidth, FlatHeight int
	// Flat is the flattened sheet (nil when the image was traced as it
	// is), for a caller that keeps it in place of the photo.
	Flat      *image.Gray
	Houses    []House
	Lanes     []Lane
	Landmarks []Landmark
}

// Detect finds house outlines on a grey sheet.
func Detect(img *image.Gray, o Options) (*Proposal, error) {
	if img == nil {
		return nil, errors.New("trace: no image")
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if err := checkSize(w, h); err != nil {
		return nil, err
	}
	if o.PxPerM < 0 || math.IsNaN(o.PxPerM) || math.IsInf(o.PxPerM, 0) {
		return nil, fmt.Errorf("trace: scale %v px per metre: want a positive number or 0", o.PxPerM)
	}
	if o.Corners != nil || o.FindCorners {
		return detectFlattened(img, o)
	}
	raw := binarise(img)
	ink := dilate(slices.Clone(raw), w, h)
	lab, regs := label(ink, w, h)
	minA, maxA := 150.0, float64(w*h)/40
	if o.PxPerM > 0 {
		minA, maxA = 35*o.PxPerM*o.PxPerM, 1500*o.PxPerM*o.PxPerM
	}
	p := &Proposal{Width: w, Height: h, PxPerM: o.PxPerM}
	skip := make([]bool, len(regs)) // houses and ponds: no lane inside
	for id, r := range regs {
		if id == 0 || r.border || float64(r.area) < minA || float64(r.area) > maxA {
			continue
		}
		ring := contour(lab, w, h, int32(id), r.start)
		if len(ring) < 4 {
			continue
		}
		hull := convexHull(ring)
		rw, rh, rectA := minRect(hull)
		if rectA <= 0 {
			continue
		}
		// the area inside the traced boundary counts the number's strokes
		// and holes as the house's: half a pixel is added around the
		// boundary's pixel centres
		eps := 2.0
		if o.PxPerM > 0 {
			eps = math.Max(1.5, 0.6*o.PxPerM)
		}
		// a hand's wobble grows with the drawing's pixels: at least a
		// twentieth of the house's side
		eps = math.Max(eps, 0.05*math.Sqrt(rectA))
		poly := simplify(ring, eps)
		rect := (ringArea(ring) + perimeter(ring)/2 + 1) / rectA
		aspect := math.Max(rw, rh) / math.Max(1, math.Min(rw, rh))
		// a rectangle fills most of its rectangle, an L 0.86 of it when
		// drawn true (its hull 0.93); an oval pond fills 0.79 but is
		// convex, so below 0.8 only a clearly concave shape is an L
		// (measured: ponds 0.77–0.78 of their rectangle; drawn Ls down
		// to 0.69 with their hull 0.77)
		solid := (ringArea(ring) + perimeter(ring)/2 + 1) / (ringArea(hull) + perimeter(hull)/2 + 1)
		var conf float64
		concave := solid < 0.85 && rect >= 0.55 && len(poly) <= 24
		switch {
		case aspect > 4 || len(poly) < 4 || (len(poly) > 16 && !concave):
			continue
		case rect >= 0.8:
			conf = math.Min(1, (rect-0.72)/0.2)
		case rect >= 0.68 && solid >= 0.93 && len(poly) >= 6:
			// an oval: the map sign of a pond (坑塘)
			p.Landmarks = append(p.Landmarks, Landmark{Kind: "pond", At: Pt{r.sx/float64(r.area) + 0.5, r.sy/float64(r.area) + 0.5}})
			skip[id] = true
			continue
		case (rect >= 0.62 && solid < 0.9) || concave:
			// a hand's L: the inner corner's overshoot cuts into it
			conf = math.Min(1, (rect-0.55)/0.25) * math.Min(1, (0.96-solid)/0.1)
		default:
			continue
		}
		conf *= math.Min(1, (4.5-aspect)/2)
		skip[id] = true
		p.Houses = append(p.Houses, House{
			At:         Pt{r.sx/float64(r.area) + 0.5, r.sy/float64(r.area) + 0.5},
			Outline:    poly,
			Confidence: math.Round(conf*100) / 100,
			AreaPx:     r.area,
			region:     int32(id),
		})
	}
	if o.PxPerM == 0 {
		p.Houses = typicalSize(p.Houses)
	}
	if len(p.Houses) == 0 {
		return nil, ErrNoHouses
	}
	ppm, scaled := o.PxPerM, o.PxPerM > 0
	if ppm == 0 {
		ppm = guessScale(p.Houses)
		bar, err := findScaleBar(img, raw, w, h, ppm)
		switch {
		case bar != nil:
			ppm, scaled = bar.PxPerM, true
			p.PxPerM, p.ScaleBar = bar.PxPerM, bar
		case err != nil:
			p.NoScaleBar = "no scale bar used: " + err.Error()
		}
	}
	p.Lanes = findLanes(raw, w, h, lab, skip, laneMinM*ppm, laneMaxM*ppm, laneMinLenM*ppm)
	rw := math.Max(3, wellRadiusM*ppm)
	var wells []Landmark
	if scaled {
		wells = findWells(raw, w, h, lab, skip, 0.9*rw, 1.15*rw)
	} else {
		wells = findWells(raw, w, h, lab, skip, 0.85*rw, 1.2*rw)
	}
	wells = outsideHouses(wells, p.Houses)
	if p.ScaleBar != nil {
		wells = outsideBar(wells, p.ScaleBar)
	}
	p.Landmarks = append(p.Landmarks, wells...)
	for i := range p.Lanes {
		if p.PxPerM > 0 {
			p.Lanes[i].WidthM = math.Round(p.Lanes[i].WidthPx/p.PxPerM*10) / 10
		}
	}
	if !o.SkipNumbers || o.KeepCrops {
		if err := readNumbers(img, raw, lab, regs, p.Houses, !o.SkipNumbers, o.KeepCrops); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// typicalSize keeps, when the scale is unknown, the outlines within a
// factor of the median house: a village's houses are of one order of
// size, and small closed marks (a well's symbol, a lane crossing) are not.
func typicalSize(hs []House) []House {
	if len(hs) < 5 {
		return hs
	}
	areas := make([]int, len(hs))
	for i, h := range hs {
		areas[i] = h.AreaPx
	}
	slices.Sort(areas)
	med := float64(areas[len(areas)/2])
	out := hs[:0]
	for _, h := range hs {
		if a := float64(h.AreaPx); a >= 0.3*med && a <= 6*med {
			out = append(out, h)
		}
	}
	return out
}

// binarise marks ink: pixels clearly darker than the paper around them.
// The paper's brightness is the 90th percentile of each 32-pixel block,
// interpolated between block centres, so a shadow or a stain moves the
// reference with it.
func binarise(img *image.Gray) []byte {
	const bs = 32
	w, h := img.Rect.Dx(), img.Rect.Dy()
	bw, bh := (w+bs-1)/bs, (h+bs-1)/bs
	bg := make([]float32, bw*bh)
	var hist [256]int
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			hist = [256]int{}
			n := 0
			for y := by * bs; y < min(h, (by+1)*bs); y++ {
				row := img.Pix[y*img.Stride:]
				for x := bx * bs; x < min(w, (bx+1)*bs); x++ {
					hist[row[x]]++
					n++
				}
			}
			want, acc := n/10, 0
			v := 255
			for ; v > 0; v-- {
				acc += hist[v]
				if acc > want {
					break
				}
			}
			bg[by*bw+bx] = float32(v)
		}
	}
	// a block full of ink (a filled pond, a thick scribble) takes its
	// brightest neighbour's paper
	bg2 := make([]float32, len(bg))
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			m := bg[by*bw+bx]
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					x, y := bx+dx, by+dy
					if x >= 0 && y >= 0 && x < bw && y < bh && bg[y*bw+x] > m {
						m = max(m, bg[y*bw+x]*0.97)
					}
				}
			}
			bg2[by*bw+bx] = m
		}
	}
	out := make([]byte, w*h)
	for y := 0; y < h; y++ {
		fy := (float64(y)+0.5)/bs - 0.5
		y0 := min(max(int(math.Floor(fy)), 0), bh-1)
		y1 := min(y0+1, bh-1)
		ay := float32(math.Min(1, math.Max(0, fy-float64(y0))))
		row := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			fx := (float64(x)+0.5)/bs - 0.5
			x0 := min(max(int(math.Floor(fx)), 0), bw-1)
			x1 := min(x0+1, bw-1)
			ax := float32(math.Min(1, math.Max(0, fx-float64(x0))))
			b := (bg2[y0*bw+x0]*(1-ax)+bg2[y0*bw+x1]*ax)*(1-ay) + (bg2[y1*bw+x0]*(1-ax)+bg2[y1*bw+x1]*ax)*ay
			if float32(row[x]) < 0.78*b && b > 40 {
				out[y*w+x] = 1
			}
		}
	}
	return out
}

// dilate grows the ink by one pixel in each of the 8 directions, closing
// gaps of up to two pixels in a pencil line.
func dilate(in []byte, w, h int) []byte {
	tmp := make([]byte, len(in))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			if in[i] == 1 || (x > 0 && in[i-1] == 1) || (x+1 < w && in[i+1] == 1) {
				tmp[i] = 1
			}
		}
	}
	out := in // reuse: in is no longer needed
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			if tmp[i] == 1 || (y > 0 && tmp[i-w] == 1) || (y+1 < h && tmp[i+w] == 1) {
				out[i] = 1
			} else {
				out[i] = 0
			}
		}
	}
	return out
}

// region is one 4-connected piece of paper.
type region struct {
	area   int
	sx, sy float64
	border bool // touches the image edge: not enclosed
	start  int  // first pixel in raster order
	// bounding box, max exclusive
	x0, y0, x1, y1 int
}

// label gives each 4-connected paper region its own number (ink is 0)
// with a two-pass union-find.
func label(ink []byte, w, h int) ([]int32, []region) {
	lab := make([]int32, w*h)
	parent := []int32{0}
	find := func(a int32) int32 {
		for parent[a] != a {
			parent[a] = parent[parent[a]]
			a = parent[a]
		}
		return a
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			if ink[i] == 1 {
				continue
			}
			var up, left int32
			if y > 0 {
				up = lab[i-w]
			}
			if x > 0 {
				left = lab[i-1]
			}
			switch {
			case up == 0 && left == 0:
				parent = append(parent, int32(len(parent)))
				lab[i] = int32(len(parent) - 1)
			case up == 0:
				lab[i] = left
			case left == 0:
				lab[i] = up
			default:
				a, b := find(up), find(left)
				if a != b {
					if a < b {
						parent[b] = a
					} else {
						parent[a] = b
					}
				}
				lab[i] = min(a, b)
			}
		}
	}
	// compact to final labels
	final := make([]int32, len(parent))
	n := int32(0)
	for i := 1; i < len(parent); i++ {
		r := find(int32(i))
		if r == int32(i) {
			n++
			final[i] = n
		}
	}
	for i := 1; i < len(parent); i++ {
		final[i] = final[find(int32(i))]
	}
	regs := make([]region, n+1)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			if lab[i] == 0 {
				continue
			}
			l := final[lab[i]]
			lab[i] = l
			r := &regs[l]
			if r.area == 0 {
				r.start = i
				r.x0, r.y0, r.x1, r.y1 = x, y, x+1, y+1
			}
			r.x0, r.x1 = min(r.x0, x), max(r.x1, x+1)
			r.y1 = y + 1
			r.area++
			r.sx += float64(x)
			r.sy += float64(y)
			if x == 0 || y == 0 || x == w-1 || y == h-1 {
				r.border = true
			}
		}
	}
	return lab, regs
}

var dirs = [8][2]int{{1, 0}, {1, 1}, {0, 1}, {-1, 1}, {-1, 0}, {-1, -1}, {0, -1}, {1, -1}}

// contour follows the outer boundary of region id from its first pixel
// (Moore-neighbour tracing), returning pixel centres clockwise on screen.
func contour(lab []int32, w, h int, id int32, start int) []Pt {
	in := func(x, y int) bool { return x >= 0 && y >= 0 && x < w && y < h && lab[y*w+x] == id }
	sx, sy := start%w, start/w
	x, y, back := sx, sy, 4 // the pixel west of the first one is not in the region
	var out []Pt
	for steps := 0; steps < 4*w*h; steps++ {
		out = append(out, Pt{float64(x) + 0.5, float64(y) + 0.5})
		found := false
		for i := 1; i <= 8; i++ {
			d := (back + i) % 8
			nx, ny := x+dirs[d][0], y+dirs[d][1]
			if in(nx, ny) {
				// the last empty neighbour, seen from the new pixel
				pd := (back + i - 1) % 8
				bx, by := x+dirs[pd][0]-nx, y+dirs[pd][1]-ny
				for k, dd := range dirs {
					if dd[0] == bx && dd[1] == by {
						back = k
					}
				}
				x, y = nx, ny
				found = true
				break
			}
		}
		if !found || (x == sx && y == sy) {
			break
		}
	}
	return out
}

func cross(o, a, b Pt) float64 { return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0]) }

// convexHull is Andrew's monotone chain over the contour points.
func convexHull(pts []Pt) []Pt {
	ps := append([]Pt(nil), pts...)
	sortPts(ps)
	var lo, hi []Pt
	for _, p := range ps {
		for len(lo) >= 2 && cross(lo[len(lo)-2], lo[len(lo)-1], p) <= 0 {
			lo = lo[:len(lo)-1]
		}
		lo = append(lo, p)
	}
	for i := len(ps) - 1; i >= 0; i-- {
		p := ps[i]
		for len(hi) >= 2 && cross(hi[len(hi)-2], hi[len(hi)-1], p) <= 0 {
			hi = hi[:len(hi)-1]
		}
		hi = append(hi, p)
	}
	return append(lo[:len(lo)-1], hi[:len(hi)-1]...)
}

func sortPts(ps []Pt) {
	slices.SortFunc(ps, func(a, b Pt) int {
		if c := cmp.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return cmp.Compare(a[1], b[1])
	})
}

// minRect is the smallest rectangle around a convex hull, one side along
// one of the hull's edges: its two sides and area. The region's pixel
// centres are one pixel short of its extent, so a pixel is added to each side.
func minRect(hull []Pt) (float64, float64, float64) {
	if len(hull) < 3 {
		return 0, 0, 0
	}
	best, bw, bh := math.Inf(1), 0.0, 0.0
	for i := range hull {
		a, b := hull[i], hull[(i+1)%len(hull)]
		dx, dy := b[0]-a[0], b[1]-a[1]
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		ux, uy := dx/l, dy/l
		minU, maxU, minV, maxV := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, p := range hull {
			u := p[0]*ux + p[1]*uy
			v := -p[0]*uy + p[1]*ux
			minU, maxU = math.Min(minU, u), math.Max(maxU, u)
			minV, maxV = math.Min(minV, v), math.Max(maxV, v)
		}
		rw, rh := maxU-minU+1, maxV-minV+1
		if rw*rh < best {
			best, bw, bh = rw*rh, rw, rh
		}
	}
	return bw, bh, best
}

func ringArea(r []Pt) float64 {
	var a float64
	for i := range r {
		p, q := r[i], r[(i+1)%len(r)]
		a += p[0]*q[1] - q[0]*p[1]
	}
	return math.Abs(a) / 2
}

func perimeter(r []Pt) float64 {
	var l float64
	for i := range r {
		p, q := r[i], r[(i+1)%len(r)]
		l += math.Hypot(q[0]-p[0], q[1]-p[1])
	}
	return l
}

// simplify reduces a closed contour with Douglas–Peucker.
func simplify(ring []Pt, eps float64) []Pt {
	if len(ring) < 4 {
		return ring
	}
	// split at the point farthest from the first
	far, fd := 0, -1.0
	for i, p := range ring {
		if d := math.Hypot(p[0]-ring[0][0], p[1]-ring[0][1]); d > fd {
			far, fd = i, d
		}
	}
	a := dp(ring[:far+1], eps)
	b := dp(append(append([]Pt(nil), ring[far:]...), ring[0]), eps)
	return append(a[:len(a)-1], b[:len(b)-1]...)
}

func dp(pts []Pt, eps float64) []Pt {
	if len(pts) < 3 {
		return pts
	}
	a, b := pts[0], pts[len(pts)-1]
	dx, dy := b[0]-a[0], b[1]-a[1]
	l := math.Hypot(dx, dy)
	idx, md := 0, -1.0
	for i := 1; i < len(pts)-1; i++ {
		p := pts[i]
		var d float64
		if l == 0 {
			d = math.Hypot(p[0]-a[0], p[1]-a[1])
		} else {
			d = math.Abs(dx*(a[1]-p[1])-dy*(a[0]-p[0])) / l
		}
		if d > md {
			idx, md = i, d
		}
	}
	if md <= eps {
		return []Pt{a, b}
	}
	l1 := dp(pts[:idx+1], eps)
	l2 := dp(pts[idx:], eps)
	return append(l1[:len(l1)-1], l2...)
}
