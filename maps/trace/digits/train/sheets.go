package train

import (
	"context"
	"fmt"
	"math/rand/v2"

	"cunjing/maps/trace"
	"cunjing/maps/trace/digits"
	"cunjing/maps/trace/sheetgen"
)

// SheetSamples draws village sheets (maps/trace/sheetgen) from the given
// seeds with the given fonts (Handwriting when training), traces them (maps/trace) and cuts the
// number of each house found into samples (CutOver with overCut): the recogniser then learns
// from crops exactly as tracing makes them. The pages are A3 at 130 to
// 200 dpi with 300 houses. It returns the samples and the numbers cut right
// of those found.
func SheetSamples(ctx context.Context, seeds []int64, fonts []string, overCut float64) ([]Sample, int, int, error) {
	return sheetSamples(ctx, seeds, fonts, nil, overCut)
}

// SheetExact draws A3 sheets at 150 dpi from the seeds with the given
// fonts, traces them and reads each found house's number with m, as
// trace would (ill-formed or below trace.MinNumberConfidence: unread): it
// returns the houses found and the numbers read exactly.
func SheetExact(ctx context.Context, m *digits.Model, seeds []int64, fonts []string) (found, exact int, err error) {
	_, found, exact, err = sheetSamples(ctx, seeds, fonts, m, DefaultOverCut)
	return found, exact, err
}

func sheetSamples(ctx context.Context, seeds []int64, fonts []string, m *digits.Model, overCut float64) ([]Sample, int, int, error) {
	var out []Sample
	found, right := 0, 0
	for _, seed := range seeds {
		if err := ctx.Err(); err != nil {
			return nil, 0, 0, err
		}
		rng := rand.New(rand.NewPCG(uint64(seed), 0x70616765))
		dpi := 130 + rng.Float64()*70
		if m != nil {
			dpi = 150
		}
		o := sheetgen.Options{Houses: 300, PageW: int(16.54 * dpi), PageH: int(11.69 * dpi), Fonts: fonts}
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
				if m != nil {
					if r, err := m.Read(h.Crop); err == nil && r.Text == th.Number && digits.WellFormed(r.Text) && r.Confidence >= trace.MinNumberConfidence {
						right++
					}
					break
				}
				if ss, ok := CutOver(h.Crop, th.Number, overCut); ok {
					right++
					out = append(out, ss...)
				}
				break
			}
		}
	}
	return out, found, right, nil
}
