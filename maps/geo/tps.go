package geo

import (
	"errors"
	"math"

	"cunjing/maps"
)

// tps is a thin-plate spline through the control points: the smooth
// correction added to the affine fit. It interpolates the affine's
// residual vectors exactly and bends as little as possible in between
// (the minimum-bending-energy surface), so away from the points it fades
// to a plane and never invents wiggles.
type tps struct {
	centres []maps.Point // map metres, shifted by origin and scaled
	origin  maps.Point
	scale   float64
	w       [2][]float64 // weights per centre, east and north
	a       [2][3]float64
}

func tpsU(r2 float64) float64 {
	if r2 == 0 {
		return 0
	}
	return r2 * math.Log(r2) / 2 // r² log r
}

func newTPS(src, val []maps.Point) (*tps, error) {
	n := len(src)
	o := mean(src)
	b := maps.BoundsOf(src)
	sc := math.Max(b.W(), b.H())
	if sc <= 0 {
		return nil, ErrCollinear
	}
	t := &tps{origin: o, scale: 1 / sc, centres: make([]maps.Point, n)}
	for i, p := range src {
		t.centres[i] = p.Sub(o).Scale(t.scale)
	}
	// [K P; Pᵀ 0] [w; a] = [v; 0]
	m := n + 3
	A := make([][]float64, m)
	for i := range A {
		A[i] = make([]float64, m+2)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			d := t.centres[i].Sub(t.centres[j])
			A[i][j] = tpsU(d.X*d.X + d.Y*d.Y)
		}
		A[i][n], A[i][n+1], A[i][n+2] = 1, t.centres[i].X, t.centres[i].Y
		A[n][i], A[n+1][i], A[n+2][i] = 1, t.centres[i].X, t.centres[i].Y
		A[i][m], A[i][m+1] = val[i].X, val[i].Y
	}
	if !solve(A, m, 2) {
		return nil, errors.New("the smooth correction cannot be fitted through these points")
	}
	for k := 0; k < 2; k++ {
		t.w[k] = make([]float64, n)
		for i := 0; i < n; i++ {
			t.w[k][i] = A[i][m+k]
		}
		for j := 0; j < 3; j++ {
			t.a[k][j] = A[n+j][m+k]
		}
	}
	return t, nil
}

func (t *tps) at(p maps.Point) maps.Point {
	q := p.Sub(t.origin).Scale(t.scale)
	var out [2]float64
	for k := 0; k < 2; k++ {
		s := t.a[k][0] + t.a[k][1]*q.X + t.a[k][2]*q.Y
		for i, c := range t.centres {
			d := q.Sub(c)
			s += t.w[k][i] * tpsU(d.X*d.X+d.Y*d.Y)
		}
		out[k] = s
	}
	return maps.Point{X: out[0], Y: out[1]}
}

// solve runs Gaussian elimination with partial pivoting on the m×m system
// whose nrhs right-hand sides are the extra columns of A; the solutions
// replace them.
func solve(A [][]float64, m, nrhs int) bool {
	for c := 0; c < m; c++ {
		p := c
		for r := c + 1; r < m; r++ {
			if math.Abs(A[r][c]) > math.Abs(A[p][c]) {
				p = r
			}
		}
		if math.Abs(A[p][c]) < 1e-12 {
			return false
		}
		A[c], A[p] = A[p], A[c]
		for r := c + 1; r < m; r++ {
			f := A[r][c] / A[c][c]
			if f == 0 {
				continue
			}
			for k := c; k < m+nrhs; k++ {
				A[r][k] -= f * A[c][k]
			}
		}
	}
	for c := m - 1; c >= 0; c-- {
		for k := m; k < m+nrhs; k++ {
			s := A[c][k]
			for j := c + 1; j < m; j++ {
				s -= A[c][j] * A[j][k]
			}
			A[c][k] = s / A[c][c]
		}
	}
	return true
}
