// Package homography is the projective map of one plane onto another that
// four points and their images fix — a photographed sheet's corners onto a
// flat rectangle, and back — and the bilinear sampling of a grey image
// through it. maps/trace flattens a photo with it and maps/trace/sheetgen
// photographs its sheets with it: one solve for both (sheetgen cannot import
// trace, whose tests import sheetgen). It imports nothing of ours.
package homography

import (
	"errors"
	"image"
	"math"
)

// H maps points of one plane to another: (x, y) goes to
// ((h0·x + h1·y + h2)/w, (h3·x + h4·y + h5)/w) with w = h6·x + h7·y + h8.
type H [9]float64

// The errors of From, for its callers to wrap.
var (
	ErrInLine    = errors.New("corners in a line: no sheet to flatten")
	ErrNotFinite = errors.New("corners give no flat sheet")
)

// Apply maps a point.
func (h H) Apply(p [2]float64) [2]float64 {
	w := h[6]*p[0] + h[7]*p[1] + h[8]
	return [2]float64{(h[0]*p[0] + h[1]*p[1] + h[2]) / w, (h[3]*p[0] + h[4]*p[1] + h[5]) / w}
}

// From is the homography taking the four points from to the four points
// to (in order): ErrInLine when three of either lie on a line, ErrNotFinite
// when the solve gives no finite map.
func From[P ~[2]float64](from, to [4]P) (H, error) {
	// eight equations in h0..h7 with h8 = 1
	var a [8][9]float64
	for i := range 4 {
		x, y, u, v := from[i][0], from[i][1], to[i][0], to[i][1]
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for c := range 8 {
		p := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-9 {
			return H{}, ErrInLine
		}
		a[c], a[p] = a[p], a[c]
		for r := range 8 {
			if r == c {
				continue
			}
			f := a[r][c] / a[c][c]
			for k := c; k < 9; k++ {
				a[r][k] -= f * a[c][k]
			}
		}
	}
	var h H
	for i := range 8 {
		h[i] = a[i][8] / a[i][i]
	}
	h[8] = 1
	for _, v := range h {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return H{}, ErrNotFinite
		}
	}
	return h, nil
}

// Bilinear is img's grey at p, a position in pixels (a pixel's centre is
// at its index plus a half), interpolated between the four pixel centres
// around it; beyond the image's edge the edge's pixels stand in. img's
// bounds start at 0, 0.
func Bilinear(img *image.Gray, p [2]float64) float64 {
	iw, ih := img.Rect.Dx(), img.Rect.Dy()
	at := func(x, y int) float64 {
		x, y = min(max(x, 0), iw-1), min(max(y, 0), ih-1)
		return float64(img.Pix[y*img.Stride+x])
	}
	sx, sy := p[0]-0.5, p[1]-0.5
	x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
	ax, ay := sx-float64(x0), sy-float64(y0)
	return (at(x0, y0)*(1-ax)+at(x0+1, y0)*ax)*(1-ay) + (at(x0, y0+1)*(1-ax)+at(x0+1, y0+1)*ax)*ay
}
