package train

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"cunjing/maps/trace/digits"
)

// Config is one training run.
type Config struct {
	Seed    uint64
	Numbers int   // numbers rendered for training
	Hidden  []int // hidden layer sizes
	Epochs  int
	Rate    float32 // initial learning rate
	// Augment is the share of samples distorted afresh each epoch: a
	// random slant, stretch, rotation and shift of the glyph (the hand
	// varies more than the fonts do).
	Augment float64
	Log     io.Writer
}

// Fit trains a model on the samples by stochastic gradient descent with
// momentum, one sample at a time in a seeded order, on one goroutine so
// the result is the same bytes every run.
func Fit(ctx context.Context, cfg Config, samples []Sample) (*digits.Model, error) {
	if len(samples) == 0 {
		return nil, fmt.Errorf("train: no samples")
	}
	sizes := append(append([]int{digits.Inputs}, cfg.Hidden...), digits.Classes)
	m, err := digits.NewModel(sizes...)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x77656967))
	for l := range m.W {
		sd := math.Sqrt(2 / float64(sizes[l]))
		for i := range m.W[l] {
			m.W[l][i] = float32(rng.NormFloat64() * sd)
		}
	}
	vel := make([][]float32, len(m.W))
	velB := make([][]float32, len(m.W))
	for l := range m.W {
		vel[l] = make([]float32, len(m.W[l]))
		velB[l] = make([]float32, len(m.B[l]))
	}
	nl := len(sizes)
	act := make([][]float32, nl)
	grad := make([][]float32, nl)
	for i, n := range sizes {
		act[i] = make([]float32, n)
		grad[i] = make([]float32, n)
	}
	order := make([]int, len(samples))
	for i := range order {
		order[i] = i
	}
	const momentum, decay = 0.9, 1e-5
	for ep := 0; ep < cfg.Epochs; ep++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		lr := cfg.Rate * float32(0.5*(1+math.Cos(math.Pi*float64(ep)/float64(cfg.Epochs))))
		var loss float64
		wrong := 0
		for _, k := range order {
			s := samples[k]
			copy(act[0], s.In)
			if cfg.Augment > 0 && rng.Float64() < cfg.Augment {
				distort(rng, s.In, act[0])
			}
			for l := range m.W {
				x, y := act[l], act[l+1]
				nin := sizes[l]
				for o := range y {
					w := m.W[l][o*nin : (o+1)*nin]
					sum := m.B[l][o]
					for i, v := range x {
						sum += float32(w[i] * v)
					}
					if l+1 < len(m.W) && sum < 0 {
						sum = 0
					}
					y[o] = sum
				}
			}
			out := act[nl-1]
			mx := out[0]
			for _, v := range out {
				mx = max(mx, v)
			}
			var z float32
			for i, v := range out {
				out[i] = float32(math.Exp(float64(v - mx)))
				z += out[i]
			}
			best := 0
			for i := range out {
				out[i] /= z
				if out[i] > out[best] {
					best = i
				}
			}
			if best != s.Digit {
				wrong++
			}
			loss -= math.Log(math.Max(1e-9, float64(out[s.Digit])))
			// backward: softmax with cross-entropy
			g := grad[nl-1]
			for i := range g {
				g[i] = out[i]
			}
			g[s.Digit]--
			for l := len(m.W) - 1; l >= 0; l-- {
				x, gy, gx := act[l], grad[l+1], grad[l]
				nin := sizes[l]
				clear(gx)
				for o, go_ := range gy {
					w := m.W[l][o*nin : (o+1)*nin]
					vw := vel[l][o*nin : (o+1)*nin]
					for i, v := range x {
						gx[i] += float32(go_ * w[i])
						d := float32(go_*v) + float32(decay*w[i])
						vw[i] = float32(momentum*vw[i]) - float32(lr*d)
						w[i] += vw[i]
					}
					velB[l][o] = float32(momentum*velB[l][o]) - float32(lr*go_)
					m.B[l][o] += velB[l][o]
				}
				if l > 0 {
					for i := range gx {
						if x[i] <= 0 {
							gx[i] = 0
						}
					}
				}
			}
		}
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "epoch %d: rate %.4f, loss %.4f, training error %.2f%%\n", ep+1, lr, loss/float64(len(order)), 100*float64(wrong)/float64(len(order)))
		}
	}
	return m, nil
}

// distort writes a randomly sheared, stretched, rotated and shifted copy
// of a glyph (bilinear, about the glyph's centre) into out.
func distort(rng *rand.Rand, in, out []float32) {
	const n = digits.GlyphSide
	sh := (rng.Float64() - 0.5) * 0.5
	sx, sy := 0.85+rng.Float64()*0.3, 0.9+rng.Float64()*0.2
	rot := (rng.Float64() - 0.5) * 0.2
	dx, dy := (rng.Float64()-0.5)*2, (rng.Float64()-0.5)*2
	cs, sn := math.Cos(rot), math.Sin(rot)
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
			x, y = x*cs+y*sn, -x*sn+y*cs
			x, y = x/sx, y/sy
			x -= sh * y
			x, y = x+c-0.5, y+c-0.5
			x0, y0 := int(math.Floor(x)), int(math.Floor(y))
			ax, ay := float32(x-float64(x0)), float32(y-float64(y0))
			out[v*n+u] = (at(x0, y0)*(1-ax)+at(x0+1, y0)*ax)*(1-ay) + (at(x0, y0+1)*(1-ax)+at(x0+1, y0+1)*ax)*ay
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
