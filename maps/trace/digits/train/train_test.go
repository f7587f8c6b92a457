package train

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"cunjing/maps/trace/digits"
)

// bars are glyphs of three classes: a horizontal bar (digit 0), a
// vertical one (1) and a diagonal (2), each shifted and noisy.
func bars(seed uint64, n int) []Sample {
	rng := rand.New(rand.NewPCG(seed, 1))
	var out []Sample
	for i := 0; i < n; i++ {
		d := i % 3
		in := make([]float32, digits.Inputs)
		off := rng.IntN(6) + 5
		for k := 2; k < 14; k++ {
			switch d {
			case 0:
				in[off*digits.GlyphSide+k] = 1
			case 1:
				in[k*digits.GlyphSide+off] = 1
			case 2:
				in[k*digits.GlyphSide+k] = 1
			}
		}
		for k := range digits.GlyphSide * digits.GlyphSide {
			in[k] += float32(rng.Float64() * 0.3)
		}
		out = append(out, Sample{In: in, Digit: d})
	}
	return out
}

func TestFitLearnsAndRepeats(t *testing.T) {
	cfg := Config{Seed: 3, C1: 4, C2: 6, Hidden: 16, Epochs: 3, Rate: 0.003, Batch: 8, Augment: 0.3}
	a, err := Fit(context.Background(), cfg, bars(1, 300))
	if err != nil {
		t.Fatal(err)
	}
	if acc := Accuracy(a, bars(2, 300)); acc < 0.95 {
		t.Errorf("accuracy %.2f on fresh bars, want ≥ 0.95", acc)
	}
	b, err := Fit(context.Background(), cfg, bars(1, 300))
	if err != nil {
		t.Fatal(err)
	}
	ra, _ := a.MarshalBinary()
	rb, _ := b.MarshalBinary()
	if !bytes.Equal(ra, rb) {
		t.Error("the same seed and samples gave different weights")
	}
	if _, err := Fit(context.Background(), cfg, nil); err == nil {
		t.Error("no samples: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Fit(ctx, cfg, bars(1, 30)); err == nil {
		t.Error("a cancelled context: no error")
	}
}

// TestGradient checks the backward pass against finite differences of the
// loss, for every kind of weight.
func TestGradient(t *testing.T) {
	m, err := digits.NewModel(3, 4, 5)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, p := range m.Params() {
		for i := range p {
			p[i] = float32(rng.NormFloat64() * 0.5)
		}
	}
	in := make([]float32, digits.Inputs)
	for i := range in {
		in[i] = float32(rng.Float64())
	}
	const digit = 3
	loss := func() float64 {
		p := m.Forward(in, nil)
		return -math.Log(float64(p[digit]))
	}
	g := newGrad(m)
	g.add(m, in, digit)
	names := []string{"K1", "B1", "K2", "B2", "W3", "B3", "W4", "B4"}
	for l, p := range m.Params() {
		checked, bad := 0, 0
		for i := 0; i < len(p) && checked < 12; i += 1 + len(p)/12 {
			const h = 2e-3
			v := p[i]
			p[i] = v + h
			up := loss()
			p[i] = v - h
			down := loss()
			p[i] = v
			num := (up - down) / (2 * h)
			got := float64(g.p[l][i])
			checked++
			if math.Abs(num-got) > 0.02+0.05*math.Abs(num) {
				bad++
				t.Logf("%s[%d]: backward %.5f, finite difference %.5f", names[l], i, got, num)
			}
		}
		if bad > 1 { // a ReLU or a pooling switch may sit within h of one weight
			t.Errorf("%s: %d of %d gradients off", names[l], bad, checked)
		}
	}
}

func TestRandomNumberForms(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	dash := 0
	for range 500 {
		s := RandomNumber(rng)
		if !digits.WellFormed(s) {
			t.Fatalf("%q is not a house number", s)
		}
		if bytes.ContainsRune([]byte(s), '-') {
			dash++
		}
	}
	if dash == 0 || dash > 200 {
		t.Errorf("%d of 500 with a '-'", dash)
	}
}

func TestShare(t *testing.T) {
	piece := func(x0, w int, hyphen bool) digits.Box {
		return digits.Box{X0: x0, X1: x0 + w, Y0: 0, Y1: 10, Hyphen: hyphen}
	}
	for _, tc := range []struct {
		name   string
		pieces []digits.Box
		s      string
		want   []int // nil: cannot be shared
	}{
		{"one each", []digits.Box{piece(0, 6, false), piece(8, 6, false), piece(16, 6, false)}, "203", []int{1, 1, 1}},
		{"two touching", []digits.Box{piece(0, 6, false), piece(8, 13, false)}, "203", []int{1, 2}},
		{"a dash found by shape", []digits.Box{piece(0, 6, false), piece(8, 13, false), piece(23, 4, true), piece(29, 4, false)}, "203-1", []int{1, 2, 1, 1}},
		{"a dash joined to its digit", []digits.Box{piece(0, 13, false), piece(15, 10, false), piece(27, 4, false)}, "203-1", []int{2, 2, 1}},
		{"a dash where there is none", []digits.Box{piece(0, 6, false), piece(8, 4, true)}, "20", nil},
		{"too few characters", []digits.Box{piece(0, 6, false), piece(8, 6, false)}, "2", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := share(digits.Line{Pieces: tc.pieces, Height: 10}, tc.s)
			if tc.want == nil {
				if ok {
					t.Fatalf("shared as %v", got)
				}
				return
			}
			if !ok || !slices.Equal(got, tc.want) {
				t.Errorf("shared %v (%v), want %v", got, ok, tc.want)
			}
		})
	}
}

// TestStrokeHand draws numbers in the stroke hand: seeded, so the same
// bytes twice; ink where the characters are, and cut by the recogniser's
// segmentation into as many characters as written, for most of them.
func TestStrokeHand(t *testing.T) {
	draw := func(seed uint64) ([][]byte, int) {
		rng := rand.New(rand.NewPCG(seed, 2))
		var out [][]byte
		right := 0
		for _, s := range []string{"3", "47", "1234", "905-2", "3333", "680"} {
			img, err := Render(rng, Font{Path: StrokeHand}, s)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, img.Pix)
			if slices.Min(img.Pix) > 150 {
				t.Errorf("%q drawn without ink", s)
			}
			c, err := digits.FromGray(img, img.Rect, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := Cut(c, s); ok {
				right++
			}
		}
		return out, right
	}
	a, right := draw(5)
	b, _ := draw(5)
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Errorf("number %d drawn differently from the same seed", i)
		}
	}
	if right < 4 {
		t.Errorf("%d of 6 stroke-hand numbers cut into their characters", right)
	}
	for r := range handDigits {
		if handWidth(r) <= 0 {
			t.Errorf("%q has no width", r)
		}
	}
	for _, r := range "0123456789-" {
		if len(handDigits[r]) == 0 {
			t.Errorf("the stroke hand has no %q", r)
		}
	}
}
