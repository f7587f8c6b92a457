package train

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"cunjing/maps/trace"
	"cunjing/maps/trace/digits"
	"cunjing/maps/trace/sheetgen"
)

// Breakdown says where the numbers not read exactly are lost, house by
// house found on traced sheets: in the crop, in the segmentation or in the
// classification of single digits.
type Breakdown struct {
	Found int // true houses with a proposal inside
	Exact int // read exactly (well formed, confidence ≥ trace.MinNumberConfidence)

	// Segmentation: the number cannot be cut into its characters even
	// knowing how many there are.
	NoCrop    int // no crop (a region far larger than a house)
	NoNumber  int // Segment found no number
	TooMany   int // more pieces than characters (outline ink, a broken digit)
	BadCut    int // the known count's cut misses a '-' or a piece is empty
	CountRead int // cut right knowing the count, but Read chose another count

	// Classification, on the cuts made knowing the count (the oracle cut).
	Digits, DigitsWrong int
	OracleExact         int // every digit of the oracle cut classified right
	RightButUnsure      int // read right but below the confidence threshold
	Confusion           [digits.Classes][digits.Classes]int
}

// Add sums two breakdowns.
func (b *Breakdown) Add(o Breakdown) {
	b.Found += o.Found
	b.Exact += o.Exact
	b.NoCrop += o.NoCrop
	b.NoNumber += o.NoNumber
	b.TooMany += o.TooMany
	b.BadCut += o.BadCut
	b.CountRead += o.CountRead
	b.Digits += o.Digits
	b.DigitsWrong += o.DigitsWrong
	b.OracleExact += o.OracleExact
	b.RightButUnsure += o.RightButUnsure
	for i := range b.Confusion {
		for j := range b.Confusion[i] {
			b.Confusion[i][j] += o.Confusion[i][j]
		}
	}
}

// Write prints the breakdown as shares of the houses found.
func (b Breakdown) Write(w io.Writer) {
	pc := func(n int) string { return fmt.Sprintf("%5d (%5.1f%%)", n, 100*float64(n)/float64(max(1, b.Found))) }
	fmt.Fprintf(w, "houses found                          %d\n", b.Found)
	fmt.Fprintf(w, "read exactly                          %s\n", pc(b.Exact))
	fmt.Fprintf(w, "segmentation: no crop                 %s\n", pc(b.NoCrop))
	fmt.Fprintf(w, "segmentation: no number found         %s\n", pc(b.NoNumber))
	fmt.Fprintf(w, "segmentation: more pieces than chars  %s\n", pc(b.TooMany))
	fmt.Fprintf(w, "segmentation: known-count cut wrong   %s\n", pc(b.BadCut))
	fmt.Fprintf(w, "segmentation: Read chose wrong count  %s\n", pc(b.CountRead))
	fmt.Fprintf(w, "oracle cut, every digit right         %s\n", pc(b.OracleExact))
	fmt.Fprintf(w, "read right, confidence too low        %s\n", pc(b.RightButUnsure))
	fmt.Fprintf(w, "characters on oracle cuts: %d, classified wrong %d (%.1f%% right)\n", b.Digits, b.DigitsWrong, 100*(1-float64(b.DigitsWrong)/float64(max(1, b.Digits))))
	var sb strings.Builder
	sb.WriteString("confusion (row true, column read):\n     ")
	for j := range digits.Classes {
		fmt.Fprintf(&sb, "%5c", digits.Char(j))
	}
	sb.WriteByte('\n')
	for i := range digits.Classes {
		fmt.Fprintf(&sb, "%5c", digits.Char(i))
		for j := range digits.Classes {
			fmt.Fprintf(&sb, "%5d", b.Confusion[i][j])
		}
		sb.WriteByte('\n')
	}
	fmt.Fprint(w, sb.String())
}

// Diagnose draws A3 sheets at 150 dpi with 300 houses from the seeds with
// the given fonts, traces them and breaks down each found house's reading
// by m (nil: the segmentation only).
func Diagnose(ctx context.Context, m *digits.Model, seeds []int64, fonts []string) (Breakdown, error) {
	var out Breakdown
	for _, seed := range seeds {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		o := sheetgen.Options{Houses: 300, PageW: 2480, PageH: 1754, Fonts: fonts}
		s, err := sheetgen.Generate(seed, o)
		if err != nil {
			return out, fmt.Errorf("train: sheet %d: %w", seed, err)
		}
		p, err := trace.Detect(s.Image, trace.Options{PxPerM: s.Truth.PxPerM, KeepCrops: true, SkipNumbers: true})
		if err != nil {
			return out, fmt.Errorf("train: trace sheet %d: %w", seed, err)
		}
		for _, th := range s.Truth.Houses {
			ring := make([]trace.Pt, len(th.Outline))
			for i, q := range th.Outline {
				ring[i] = trace.Pt(q)
			}
			for _, h := range p.Houses {
				if !trace.Inside(h.At, ring) {
					continue
				}
				out.Found++
				out.house(m, h.Crop, th.Number)
				break
			}
		}
	}
	return out, nil
}

func (b *Breakdown) house(m *digits.Model, c digits.Crop, want string) {
	if c.W == 0 {
		b.NoCrop++
		return
	}
	var r digits.Reading
	rerr := errNoModel
	if m != nil {
		r, rerr = m.Read(c)
	}
	right := rerr == nil && r.Text == want && digits.WellFormed(r.Text)
	if right && r.Confidence >= trace.MinNumberConfidence {
		b.Exact++
	} else if right {
		b.RightButUnsure++
	}
	line, err := digits.Segment(c)
	switch {
	case err != nil:
		b.NoNumber++
		return
	case len(line.Pieces) > len(want):
		b.TooMany++
		return
	}
	ss, ok := Cut(c, want)
	if !ok {
		b.BadCut++
		return
	}
	if rerr == nil && len(r.Text) != len(want) {
		b.CountRead++
	}
	if m == nil {
		return
	}
	all := true
	var s digits.Scratch
	for _, x := range ss {
		if x.Digit == digits.Reject {
			continue // a wrong cut, kept for training
		}
		p := m.Forward(x.In, &s)
		k := argmax(p[:digits.Reject])
		b.Digits++
		b.Confusion[x.Digit][k]++
		if k != x.Digit {
			b.DigitsWrong++
			all = false
		}
	}
	if all {
		b.OracleExact++
	}
}

var errNoModel = errors.New("train: no model")

func argmax(p []float32) int {
	k := 0
	for j := range p {
		if p[j] > p[k] {
			k = j
		}
	}
	return k
}
