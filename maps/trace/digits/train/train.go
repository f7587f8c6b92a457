package train

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sync"

	"cunjing/maps/trace/digits"
)

// Config is one training run.
type Config struct {
	Seed    uint64
	Numbers int // numbers rendered for training
	C1, C2  int // convolution maps
	Hidden  int // dense layer size
	Epochs  int
	Rate    float32 // Adam's initial step size (cosine-decayed)
	Batch   int     // samples a step (split between the two workers)
	// Augment is the share of samples distorted afresh each epoch: a
	// random slant, stretch, rotation, shift, stroke width and blur of the
	// glyph (the hand varies more than the fonts do).
	Augment float64
	Log     io.Writer
}

// workers is how many goroutines compute a batch's gradient: fixed, not
// the machine's core count, and their sums are added in worker order, so
// the weights are the same bytes on any machine.
const workers = 2

// Fit trains a model on the samples by mini-batch Adam in a seeded order;
// each sample's distortion is drawn from its own stream (seed, epoch,
// position), so the result does not depend on the goroutines' timing.
func Fit(ctx context.Context, cfg Config, samples []Sample) (*digits.Model, error) {
	if len(samples) == 0 {
		return nil, fmt.Errorf("train: no samples")
	}
	m, err := digits.NewModel(cfg.C1, cfg.C2, cfg.Hidden)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x77656967))
	fanIn := []int{9, 0, 9 * cfg.C1, 0, m.Dense(), 0, cfg.Hidden, 0}
	params := m.Params()
	for l, p := range params {
		if fanIn[l] == 0 {
			continue
		}
		sd := math.Sqrt(2 / float64(fanIn[l]))
		for i := range p {
			p[i] = float32(rng.NormFloat64() * sd)
		}
	}
	batch := max(cfg.Batch, workers)
	grads := make([]*grad, workers)
	for w := range grads {
		grads[w] = newGrad(m)
	}
	mom, vel := newGrad(m), newGrad(m)
	order := make([]int, len(samples))
	for i := range order {
		order[i] = i
	}
	const beta1, beta2, eps, decay = 0.9, 0.999, 1e-8, 1e-4
	step := 0
	for ep := 0; ep < cfg.Epochs; ep++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		lr := cfg.Rate * float32(0.5*(1+math.Cos(math.Pi*float64(ep)/float64(cfg.Epochs))))
		var loss float64
		wrong := 0
		for b0 := 0; b0 < len(order); b0 += batch {
			idx := order[b0:min(b0+batch, len(order))]
			var wg sync.WaitGroup
			for w := range workers {
				part := idx[len(idx)*w/workers : len(idx)*(w+1)/workers]
				g := grads[w]
				g.reset()
				wg.Add(1)
				go func() {
					defer wg.Done()
					for k, si := range part {
						pos := b0 + len(idx)*w/workers + k
						in := g.in
						copy(in, samples[si].In)
						if cfg.Augment > 0 {
							srng := rand.New(rand.NewPCG(cfg.Seed^uint64(ep)<<40, uint64(pos)))
							if srng.Float64() < cfg.Augment {
								distort(srng, samples[si].In, in)
							}
						}
						g.add(m, in, samples[si].Digit)
					}
				}()
			}
			wg.Wait()
			for w := 1; w < workers; w++ {
				grads[0].plus(grads[w])
			}
			loss += grads[0].loss
			wrong += grads[0].wrong
			step++
			c1 := 1 - math.Pow(beta1, float64(step))
			c2 := 1 - math.Pow(beta2, float64(step))
			scale := float32(1) / float32(len(idx))
			for l, p := range params {
				g, mo, ve := grads[0].p[l], mom.p[l], vel.p[l]
				wd := float32(decay)
				if fanIn[l] == 0 {
					wd = 0 // biases are not decayed
				}
				for i := range p {
					gi := g[i]*scale + wd*p[i]
					mo[i] = float32(beta1*mo[i]) + float32((1-beta1)*gi)
					ve[i] = float32(beta2*ve[i]) + float32((1-beta2)*float32(gi*gi))
					mh := float64(mo[i]) / c1
					vh := float64(ve[i]) / c2
					p[i] -= float32(float64(lr) * mh / (math.Sqrt(vh) + eps))
				}
			}
		}
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "epoch %d: rate %.5f, loss %.4f, training error %.2f%% (distorted)\n", ep+1, lr, loss/float64(len(order)), 100*float64(wrong)/float64(len(order)))
		}
	}
	return m, nil
}

// grad is one worker's gradient sum over its part of a batch, with its
// scratch.
type grad struct {
	p     [][]float32 // as Model.Params
	s     digits.Scratch
	in    []float32
	dOut  []float32
	dH    []float32
	dF    []float32
	dA2   []float32
	dP1   []float32
	dCol2 []float32
	dA1   []float32
	loss  float64
	wrong int
}

func newGrad(m *digits.Model) *grad {
	g := &grad{in: make([]float32, digits.Inputs)}
	for _, p := range m.Params() {
		g.p = append(g.p, make([]float32, len(p)))
	}
	g.dOut = make([]float32, digits.Classes)
	g.dH = make([]float32, m.Hidden)
	g.dF = make([]float32, m.Dense())
	g.dA2 = make([]float32, m.C2*(digits.GlyphSide/2)*(digits.GlyphSide/2))
	g.dP1 = make([]float32, m.C1*(digits.GlyphSide/2)*(digits.GlyphSide/2))
	g.dCol2 = make([]float32, m.C1*9*(digits.GlyphSide/2)*(digits.GlyphSide/2))
	g.dA1 = make([]float32, m.C1*digits.GlyphSide*digits.GlyphSide)
	return g
}

func (g *grad) reset() {
	for _, p := range g.p {
		clear(p)
	}
	g.loss, g.wrong = 0, 0
}

func (g *grad) plus(o *grad) {
	for l, p := range g.p {
		for i, v := range o.p[l] {
			p[i] += v
		}
	}
	g.loss += o.loss
	g.wrong += o.wrong
}

// add runs one sample forward and adds its cross-entropy gradient.
func (g *grad) add(m *digits.Model, in []float32, digit int) {
	s := &g.s
	out := m.Forward(in, s)
	best := 0
	for i := range out {
		if out[i] > out[best] {
			best = i
		}
	}
	if best != digit {
		g.wrong++
	}
	g.loss -= math.Log(math.Max(1e-9, float64(out[digit])))
	copy(g.dOut, out)
	g.dOut[digit]--
	gK1, gB1, gK2, gB2, gW3, gB3, gW4, gB4 := g.p[0], g.p[1], g.p[2], g.p[3], g.p[4], g.p[5], g.p[6], g.p[7]
	// dense layers
	denseBack(s.H, g.dOut, m.W4, gW4, gB4, g.dH)
	for i, v := range s.H {
		if v <= 0 {
			g.dH[i] = 0
		}
	}
	denseBack(s.F, g.dH, m.W3, gW3, gB3, g.dF)
	// unpool into the second convolution's maps, through its ReLU
	clear(g.dA2)
	for j, at := range s.I2 {
		if s.A2[at] > 0 {
			g.dA2[at] += g.dF[j]
		}
	}
	const n1, n0 = digits.GlyphSide / 2, digits.GlyphSide
	convBack(s.Col2, n1*n1, m.K2, g.dA2, gK2, gB2, g.dCol2)
	col2im(g.dCol2, n1, g.dP1)
	clear(g.dA1)
	for j, at := range s.I1 {
		if s.A1[at] > 0 {
			g.dA1[at] += g.dP1[j]
		}
	}
	convBack(s.Col1, n0*n0, m.K1, g.dA1, gK1, gB1, nil)
}

// denseBack adds y = W·x + b's gradients for dy: to gW, gb, and writes dx.
func denseBack(x, dy, w, gW, gb, dx []float32) {
	nin := len(x)
	clear(dx)
	for o, d := range dy {
		if d == 0 {
			continue
		}
		row, grow := w[o*nin:(o+1)*nin], gW[o*nin:(o+1)*nin]
		for i, v := range x {
			grow[i] += float32(d * v)
			dx[i] += float32(d * row[i])
		}
		gb[o] += d
	}
}

// convBack adds digits.Conv3's gradients for dOut (already through its
// ReLU, nn pixels a map): to the kernels gK, the biases gB and, when dCol
// is not nil, the Im2col rows col.
func convBack(col []float32, nn int, k, dOut, gK, gB, dCol []float32) {
	rows := len(col) / nn
	if dCol != nil {
		clear(dCol)
	}
	for o := range gB {
		var sb float32
		for _, v := range dOut[o*nn : (o+1)*nn] {
			sb += v
		}
		gB[o] += sb
	}
	o := 0
	// four maps at a time share each load of col; every sum keeps its order
	for ; o+4 <= len(gB); o += 4 {
		d0, d1, d2, d3 := dOut[o*nn:(o+1)*nn], dOut[(o+1)*nn:(o+2)*nn], dOut[(o+2)*nn:(o+3)*nn], dOut[(o+3)*nn:(o+4)*nn]
		for r := 0; r < rows; r++ {
			src := col[r*nn : (r+1)*nn]
			src = src[:len(d0)]
			d1, d2, d3 = d1[:len(d0)], d2[:len(d0)], d3[:len(d0)]
			var a0, a1, a2, a3 float32
			for j, v := range src {
				a0 += float32(d0[j] * v)
				a1 += float32(d1[j] * v)
				a2 += float32(d2[j] * v)
				a3 += float32(d3[j] * v)
			}
			gK[o*rows+r] += a0
			gK[(o+1)*rows+r] += a1
			gK[(o+2)*rows+r] += a2
			gK[(o+3)*rows+r] += a3
			if dCol != nil {
				w0, w1, w2, w3 := k[o*rows+r], k[(o+1)*rows+r], k[(o+2)*rows+r], k[(o+3)*rows+r]
				dc := dCol[r*nn : (r+1)*nn]
				dc = dc[:len(d0)]
				for j := range dc {
					t := dc[j]
					t += float32(w0 * d0[j])
					t += float32(w1 * d1[j])
					t += float32(w2 * d2[j])
					t += float32(w3 * d3[j])
					dc[j] = t
				}
			}
		}
	}
	for ; o < len(gB); o++ {
		d := dOut[o*nn : (o+1)*nn]
		for r := 0; r < rows; r++ {
			src := col[r*nn : (r+1)*nn]
			src = src[:len(d)]
			var acc float32
			for j, v := range d {
				acc += float32(v * src[j])
			}
			gK[o*rows+r] += acc
			if dCol != nil {
				w := k[o*rows+r]
				dc := dCol[r*nn : (r+1)*nn]
				dc = dc[:len(d)]
				for j, v := range d {
					dc[j] += float32(w * v)
				}
			}
		}
	}
}

// col2im adds Im2col rows' gradients dCol back onto the n×n maps dIn.
func col2im(dCol []float32, n int, dIn []float32) {
	nn := n * n
	cin := len(dIn) / nn
	clear(dIn)
	for i := 0; i < cin; i++ {
		dst := dIn[i*nn : (i+1)*nn]
		for ky := 0; ky < 3; ky++ {
			dy := ky - 1
			for kx := 0; kx < 3; kx++ {
				dx := kx - 1
				row := dCol[((i*3+ky)*3+kx)*nn : ((i*3+ky)*3+kx+1)*nn]
				for y := max(0, -dy); y < min(n, n-dy); y++ {
					for x := max(0, -dx); x < min(n, n-dx); x++ {
						dst[(y+dy)*n+x+dx] += row[y*n+x]
					}
				}
			}
		}
	}
}

// distort writes a randomly sheared, stretched, rotated, shifted and
// elastically bent copy of a glyph (bilinear, about the glyph's centre)
// into out, then sometimes thickens, thins or blurs its strokes.
func distort(rng *rand.Rand, in, out []float32) {
	const n = digits.GlyphSide
	sh := (rng.Float64() - 0.5) * 0.6
	sx, sy := 0.8+rng.Float64()*0.35, 0.88+rng.Float64()*0.24
	rot := (rng.Float64() - 0.5) * 0.25
	dx, dy := (rng.Float64()-0.5)*2, (rng.Float64()-0.5)*2
	cs, sn := math.Cos(rot), math.Sin(rot)
	// elastic bend: a smooth displacement of up to about a pixel
	ea, eb := rng.Float64()*1.2, rng.Float64()*1.2
	ef, eg := 0.2+rng.Float64()*0.4, 0.2+rng.Float64()*0.4
	ep, eq := rng.Float64()*2*math.Pi, rng.Float64()*2*math.Pi
	c := float64(n) / 2
	at := func(x, y int) float32 {
		if x < 0 || y < 0 || x >= n || y >= n {
			return 0
		}
		return in[y*n+x]
	}
	for v := 0; v < n; v++ {
		for u := 0; u < n; u++ {
			// output → input: undo shift, rotation, stretch, shear
			x, y := float64(u)+0.5-c-dx, float64(v)+0.5-c-dy
			x += ea * math.Sin(ef*float64(v)+ep)
			y += eb * math.Sin(eg*float64(u)+eq)
			x, y = x*cs+y*sn, -x*sn+y*cs
			x, y = x/sx, y/sy
			x -= sh * y
			x, y = x+c-0.5, y+c-0.5
			x0, y0 := int(math.Floor(x)), int(math.Floor(y))
			ax, ay := float32(x-float64(x0)), float32(y-float64(y0))
			top := float32(at(x0, y0)*(1-ax)) + float32(at(x0+1, y0)*ax)
			bot := float32(at(x0, y0+1)*(1-ax)) + float32(at(x0+1, y0+1)*ax)
			out[v*n+u] = float32(top*(1-ay)) + float32(bot*ay)
		}
	}
	var tmp [n * n]float32
	copy(tmp[:], out[:n*n])
	nb := func(u, v int) (lo, hi, sum float32) {
		lo = 1
		for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
			x, y := u+d[0], v+d[1]
			var w float32
			if x >= 0 && y >= 0 && x < n && y < n {
				w = tmp[y*n+x]
			}
			lo, hi, sum = min(lo, w), max(hi, w), sum+w
		}
		return lo, hi, sum
	}
	switch r := rng.Float64(); {
	case r < 0.2: // a broader pencil
		k := float32(0.4 + 0.4*rng.Float64())
		for v := 0; v < n; v++ {
			for u := 0; u < n; u++ {
				_, hi, _ := nb(u, v)
				out[v*n+u] = max(tmp[v*n+u], float32(k*hi))
			}
		}
	case r < 0.35: // a finer one
		for v := 0; v < n; v++ {
			for u := 0; u < n; u++ {
				lo, _, _ := nb(u, v)
				out[v*n+u] = float32(0.5*tmp[v*n+u]) + float32(0.5*min(tmp[v*n+u], lo))
			}
		}
	case r < 0.5: // blur
		for v := 0; v < n; v++ {
			for u := 0; u < n; u++ {
				_, _, sum := nb(u, v)
				out[v*n+u] = float32(0.6*tmp[v*n+u]) + float32(0.1*sum)
			}
		}
	}
	var peak float32
	for _, v := range out[:n*n] {
		peak = max(peak, v)
	}
	if peak > 0 {
		for i := range out[:n*n] {
			out[i] /= peak
		}
	}
	copy(out[n*n:], in[n*n:])
}

// Accuracy is the share of samples the model classifies right.
func Accuracy(m *digits.Model, samples []Sample) float64 {
	if len(samples) == 0 {
		return 0
	}
	var s digits.Scratch
	right := 0
	for _, x := range samples {
		p := m.Forward(x.In, &s)
		best := 0
		for k := range p {
			if p[k] > p[best] {
				best = k
			}
		}
		if best == x.Digit {
			right++
		}
	}
	return float64(right) / float64(len(samples))
}
