package train

import (
	"bytes"
	"context"
	"math/rand/v2"
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
	cfg := Config{Seed: 3, Hidden: []int{16}, Epochs: 3, Rate: 0.003, Augment: 0.3}
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
