package train

import (
	"context"
	"fmt"
	"math/rand/v2"

	"cunjing/maps/trace"
	"cunjing/maps/trace/sheetgen"
)

// Handwriting are the training fonts sheets are drawn with: the
// handwriting-like ones of Fonts.
var Handwriting = Fonts[:13]

// SheetSamples draws village sheets (maps/trace/sheetgen) from the given
// seeds with the handwriting fonts, traces them (maps/trace) and cuts the
// number of each house found into samples: the recogniser then learns
// from crops exactly as tracing makes them. The pages are A3 at 130 to
// 200 dpi with 300 houses. It returns the samples and the numbers cut right
// of those found.
func SheetSamples(ctx context.Context, seeds []int64) ([]Sample, int, int, error) {
	var out []Sample
	found, right := 0, 0
	for _, seed := range seeds {
		if err := ctx.Err(); err != nil {
			return nil, 0, 0, err
		}
		rng := rand.New(rand.NewPCG(uint64(seed), 0x70616765))
		dpi := 130 + rng.Float64()*70
		o := sheetgen.Options{Houses: 300, PageW: int(16.54 * dpi), PageH: int(11.69 * dpi), Fonts: Handwriting}
		s, err := sheetgen.Generate(seed, o)
		if err != nil {
			return nil, 0, 0, fmt.Errorf("train: sheet %d: %w", seed, err)
		}
		p, err := trace.Detect(s.Image, trace.Options{PxPerM: s.Truth.PxPerM, KeepCrops: true, SkipNumbers: true})
		if err != nil {
			return nil, 0, 0, fmt.Errorf("train: trace sheet %d: %w", seed, err)
		}
		for _, th := range s.Truth.Houses {
			ring := make([]trace.Pt, len(th.Outline))
			for i, q := range th.Outline {
				ring[i] = trace.Pt(q)
			}
			for _, h := range p.Houses {
				if h.Crop.W == 0 || !trace.Inside(h.At, ring) {
					continue
				}
				found++
				if ss, ok := Cut(h.Crop, th.Number); ok {
					right++
					out = append(out, ss...)
				}
				break
			}
		}
	}
	return out, found, right, nil
}
