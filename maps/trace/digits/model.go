package digits

import (
	_ "embed" // the trained weights
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
)

// weights.bin is written by `make train-digits` (maps/trace/digits/train):
// see weights.txt beside it for the fonts, seeds and figures it came from.
//
//go:embed weights.bin
var embedded []byte

// magic starts a weights file.
const magic = "CJDIGIT1"

// Classes are the network's outputs: the ten digits.
const Classes = 10

// maxLayer bounds a layer's size in a weights file.
const maxLayer = 4096

// Model is a multilayer perceptron: ReLU hidden layers, softmax output.
type Model struct {
	Sizes []int       // inputs, hidden…, outputs
	W     [][]float32 // W[l] is Sizes[l+1]×Sizes[l], row by row
	B     [][]float32
}

// NewModel makes a model of the given layer sizes with zero weights.
func NewModel(sizes ...int) (*Model, error) {
	if len(sizes) < 2 {
		return nil, fmt.Errorf("digits: %d layer sizes: want inputs and outputs at least", len(sizes))
	}
	for _, n := range sizes {
		if n < 1 || n > maxLayer {
			return nil, fmt.Errorf("digits: layer of %d: want 1 to %d", n, maxLayer)
		}
	}
	m := &Model{Sizes: append([]int(nil), sizes...)}
	for l := 0; l+1 < len(sizes); l++ {
		m.W = append(m.W, make([]float32, sizes[l]*sizes[l+1]))
		m.B = append(m.B, make([]float32, sizes[l+1]))
	}
	return m, nil
}

// MarshalBinary writes the model: magic, layer count and sizes, then each
// layer's weights and biases as little-endian float32.
func (m *Model) MarshalBinary() ([]byte, error) {
	out := []byte(magic)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(m.Sizes)))
	for _, n := range m.Sizes {
		out = binary.LittleEndian.AppendUint32(out, uint32(n))
	}
	for l := range m.W {
		for _, v := range m.W[l] {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(v))
		}
		for _, v := range m.B[l] {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(v))
		}
	}
	return out, nil
}

// Decode reads a weights file.
func Decode(data []byte) (*Model, error) {
	if len(data) < len(magic)+4 || string(data[:len(magic)]) != magic {
		return nil, errors.New("digits: not a weights file")
	}
	p := data[len(magic):]
	nl := binary.LittleEndian.Uint32(p)
	p = p[4:]
	if nl < 2 || nl > 8 || len(p) < int(nl)*4 {
		return nil, fmt.Errorf("digits: weights file with %d layers: want 2 to 8", nl)
	}
	sizes := make([]int, nl)
	for i := range sizes {
		sizes[i] = int(binary.LittleEndian.Uint32(p))
		p = p[4:]
	}
	m, err := NewModel(sizes...)
	if err != nil {
		return nil, err
	}
	want := 0
	for l := range m.W {
		want += len(m.W[l]) + len(m.B[l])
	}
	if len(p) != 4*want {
		return nil, fmt.Errorf("digits: weights file holds %d bytes of weights, want %d for layers %v", len(p), 4*want, sizes)
	}
	read := func(dst []float32) error {
		for i := range dst {
			v := math.Float32frombits(binary.LittleEndian.Uint32(p))
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return errors.New("digits: weights file holds a NaN or an infinity")
			}
			dst[i] = v
			p = p[4:]
		}
		return nil
	}
	for l := range m.W {
		if err := read(m.W[l]); err != nil {
			return nil, err
		}
		if err := read(m.B[l]); err != nil {
			return nil, err
		}
	}
	return m, nil
}

var loadEmbedded = sync.OnceValues(func() (*Model, error) {
	m, err := Decode(embedded)
	if err != nil {
		return nil, fmt.Errorf("digits: embedded weights: %w", err)
	}
	if m.Sizes[0] != Inputs || m.Sizes[len(m.Sizes)-1] != Classes {
		return nil, fmt.Errorf("digits: embedded weights are for layers %v, want %d inputs and %d classes", m.Sizes, Inputs, Classes)
	}
	return m, nil
})

// Embedded is the trained model shipped in the binary.
func Embedded() (*Model, error) { return loadEmbedded() }

// Scratch holds a forward pass's activations, reused between calls.
type Scratch struct {
	act [][]float32
}

// Forward computes the class probabilities for one input into probs
// (length Classes) and returns them; s may be nil. Every product is
// rounded to float32 before it is added, so no fused multiply-add makes
// the result differ between machines.
func (m *Model) Forward(in []float32, s *Scratch) []float32 {
	if s == nil {
		s = &Scratch{}
	}
	if len(s.act) != len(m.Sizes) {
		s.act = make([][]float32, len(m.Sizes))
		for i, n := range m.Sizes {
			s.act[i] = make([]float32, n)
		}
	}
	copy(s.act[0], in)
	for l := range m.W {
		x, y := s.act[l], s.act[l+1]
		nin := m.Sizes[l]
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
	softmax(s.act[len(s.act)-1])
	return s.act[len(s.act)-1]
}

func softmax(z []float32) {
	mx := z[0]
	for _, v := range z {
		mx = max(mx, v)
	}
	var sum float32
	for i, v := range z {
		z[i] = float32(math.Exp(float64(v - mx)))
		sum += z[i]
	}
	for i := range z {
		z[i] /= sum
	}
}

// Reading is a number read from a crop.
type Reading struct {
	Text       string  // digits with '-', as written
	Confidence float64 // 0..1: the product of each digit's probability
}

// Read reads the number in a crop: an error when the crop is unusable or
// shows no number.
func (m *Model) Read(c Crop) (Reading, error) {
	line, err := Segment(c)
	if err != nil {
		return Reading{}, err
	}
	var sb strings.Builder
	conf := 1.0
	in := make([]float32, Inputs)
	var s Scratch
	for _, piece := range line.Pieces {
		if piece.Hyphen {
			sb.WriteByte('-')
			continue
		}
		// how many digits the piece is: the cut whose digits the network
		// is surest of, weighed by how digit-like their widths are
		var best string
		bestScore, bestConf := math.Inf(-1), 0.0
		for n := 1; n <= maxCut(piece, line.Height); n++ {
			var txt []byte
			score, pc := 0.0, 1.0
			for _, b := range SplitN(c, piece, n) {
				Glyph(c, b, line.Height, in)
				p := m.Forward(in, &s)
				k := 0
				for j := range p {
					if p[j] > p[k] {
						k = j
					}
				}
				txt = append(txt, byte('0'+k))
				pc *= float64(p[k])
				r := (float64(b.w())/float64(max(1, piece.h())) - 0.65) / 0.25
				if r < 0 {
					r = 0 // narrow digits (a 1) are not unlikely
				}
				score += math.Log(math.Max(1e-9, float64(p[k]))) - r*r/2
			}
			if score > bestScore {
				best, bestScore, bestConf = string(txt), score, pc
			}
		}
		sb.WriteString(best)
		conf *= bestConf
	}
	return Reading{Text: sb.String(), Confidence: conf}, nil
}

// maxCut is the most digits a piece may be cut into: each at least 0.35
// of the line's height wide, at most 4.
func maxCut(b Box, lineH int) int {
	return min(4, max(1, int(float64(b.w())/(0.35*float64(max(1, lineH))))))
}

// WellFormed says whether s is a house number as written on a map: digits,
// optionally a '-' and more digits (203, 203-1), not starting with 0.
func WellFormed(s string) bool {
	base, sub, dash := strings.Cut(s, "-")
	digitsOnly := func(t string) bool {
		if t == "" || t[0] == '0' || len(t) > 5 {
			return false
		}
		for _, r := range t {
			if r < '0' || r > '9' {
				return false
			}
		}
		return true
	}
	return digitsOnly(base) && (!dash || digitsOnly(sub))
}
