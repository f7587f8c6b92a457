package digits

import (
	"cmp"
	_ "embed" // the trained weights
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

// weights.bin is written by `make train-digits` (maps/trace/digits/train):
// see weights.txt beside it for the fonts, seeds and figures it came from.
//
//go:embed weights.bin
var embedded []byte

// magic starts a weights file.
const magic = "CJDIGIT2"

// Classes are the network's outputs: the ten digits, the '-' of an
// inserted house (class Dash), which the segmentation's shape rule misses
// when it touches a digit or is short, and Reject: not one character (two
// digits that touch, or part of one), which makes a wrong cut unlikely.
const Classes = 12

// Dash is the class of '-', Reject the class of a cut that is not one
// character.
const (
	Dash   = 10
	Reject = 11
)

// Char is the character a class stands for ('?' for Reject).
func Char(class int) byte {
	switch class {
	case Dash:
		return '-'
	case Reject:
		return '?'
	}
	return byte('0' + class)
}

// ClassOf is the class of a character of a number ('0'–'9' or '-').
func ClassOf(ch byte) int {
	switch ch {
	case '-':
		return Dash
	case '?':
		return Reject
	}
	return int(ch - '0')
}

// maxChannels bounds a layer's width in a weights file.
const maxChannels = 512

// pooled1 and pooled2 are the sides of the feature maps after the first
// and the second pooling.
const (
	pooled1 = GlyphSide / 2
	pooled2 = GlyphSide / 4
)

// Model is a small convolutional network over the 16×16 glyph: a 3×3
// convolution to C1 maps (ReLU, 2×2 max pooling to 8×8), a 3×3
// convolution to C2 maps (ReLU, pooling to 4×4), then with the glyph's two
// shape features a dense layer of Hidden (ReLU) and the softmax over the
// classes. Convolutions pad with zeros.
type Model struct {
	C1, C2, Hidden int
	K1, B1         []float32 // C1×3×3, C1
	K2, B2         []float32 // C2×C1×3×3, C2
	W3, B3         []float32 // Hidden×Dense(), Hidden
	W4, B4         []float32 // Classes×Hidden, Classes
}

// Dense is the dense layer's input size: the pooled maps and the two
// shape features.
func (m *Model) Dense() int { return m.C2*pooled2*pooled2 + 2 }

// NewModel makes a model of the given widths with zero weights.
func NewModel(c1, c2, hidden int) (*Model, error) {
	for _, n := range []int{c1, c2, hidden} {
		if n < 1 || n > maxChannels {
			return nil, fmt.Errorf("digits: layer of %d: want 1 to %d", n, maxChannels)
		}
	}
	m := &Model{C1: c1, C2: c2, Hidden: hidden}
	m.K1, m.B1 = make([]float32, c1*9), make([]float32, c1)
	m.K2, m.B2 = make([]float32, c2*c1*9), make([]float32, c2)
	m.W3, m.B3 = make([]float32, hidden*m.Dense()), make([]float32, hidden)
	m.W4, m.B4 = make([]float32, Classes*hidden), make([]float32, Classes)
	return m, nil
}

// Params are the model's weights in a fixed order (the file's, and
// training's).
func (m *Model) Params() [][]float32 {
	return [][]float32{m.K1, m.B1, m.K2, m.B2, m.W3, m.B3, m.W4, m.B4}
}

// MarshalBinary writes the model: magic, C1, C2, Hidden and Classes as
// little-endian uint32, then Params as little-endian float32.
func (m *Model) MarshalBinary() ([]byte, error) {
	out := []byte(magic)
	for _, n := range []int{m.C1, m.C2, m.Hidden, Classes} {
		out = binary.LittleEndian.AppendUint32(out, uint32(n))
	}
	for _, p := range m.Params() {
		for _, v := range p {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(v))
		}
	}
	return out, nil
}

// Decode reads a weights file.
func Decode(data []byte) (*Model, error) {
	const head = len(magic) + 16
	if len(data) < head || string(data[:len(magic)]) != magic {
		return nil, errors.New("digits: not a weights file")
	}
	var dims [4]int
	for i := range dims {
		dims[i] = int(binary.LittleEndian.Uint32(data[len(magic)+4*i:]))
	}
	if dims[3] != Classes {
		return nil, fmt.Errorf("digits: weights file for %d classes, want %d", dims[3], Classes)
	}
	for _, n := range dims[:3] {
		if n < 1 || n > maxChannels {
			return nil, fmt.Errorf("digits: weights file with a layer of %d: want 1 to %d", n, maxChannels)
		}
	}
	c1, c2, hid := dims[0], dims[1], dims[2]
	want := c1*9 + c1 + c2*c1*9 + c2 + hid*(c2*pooled2*pooled2+2) + hid + Classes*hid + Classes
	p := data[head:]
	if len(p) != 4*want {
		return nil, fmt.Errorf("digits: weights file holds %d bytes of weights, want %d for widths %v", len(p), 4*want, dims[:3])
	}
	m, err := NewModel(c1, c2, hid)
	if err != nil {
		return nil, err
	}
	for _, q := range m.Params() {
		for i := range q {
			v := math.Float32frombits(binary.LittleEndian.Uint32(p))
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, errors.New("digits: weights file holds a NaN or an infinity")
			}
			q[i] = v
			p = p[4:]
		}
	}
	return m, nil
}

var loadEmbedded = sync.OnceValues(func() (*Model, error) {
	m, err := Decode(embedded)
	if err != nil {
		return nil, fmt.Errorf("digits: embedded weights: %w", err)
	}
	return m, nil
})

// Embedded is the trained model shipped in the binary.
func Embedded() (*Model, error) { return loadEmbedded() }

// Scratch holds a forward pass's activations, reused between calls; the
// training's backward pass reads them.
type Scratch struct {
	Col1 []float32 // the glyph laid out by Im2col
	Col2 []float32 // P1 laid out by Im2col
	A1   []float32 // C1×16×16 after ReLU
	P1   []float32 // C1×8×8 pooled
	I1   []int32   // for each of P1, the index in A1 it came from
	A2   []float32 // C2×8×8 after ReLU
	F    []float32 // C2×4×4 pooled, then the two shape features
	I2   []int32   // for each pooled value of F, its index in A2
	H    []float32 // Hidden after ReLU
	Out  []float32 // Classes: probabilities
}

func (s *Scratch) fit(m *Model) {
	if len(s.A1) == m.C1*GlyphSide*GlyphSide && len(s.A2) == m.C2*pooled1*pooled1 && len(s.H) == m.Hidden {
		return
	}
	s.Col1 = make([]float32, 9*GlyphSide*GlyphSide)
	s.Col2 = make([]float32, m.C1*9*pooled1*pooled1)
	s.A1 = make([]float32, m.C1*GlyphSide*GlyphSide)
	s.P1 = make([]float32, m.C1*pooled1*pooled1)
	s.I1 = make([]int32, len(s.P1))
	s.A2 = make([]float32, m.C2*pooled1*pooled1)
	s.F = make([]float32, m.Dense())
	s.I2 = make([]int32, m.C2*pooled2*pooled2)
	s.H = make([]float32, m.Hidden)
	s.Out = make([]float32, Classes)
}

// Forward computes the class probabilities for one input (Inputs long)
// and returns them (s.Out); s may be nil. Every product is rounded to
// float32 before it is added, so no fused multiply-add makes the result
// differ between machines.
func (m *Model) Forward(in []float32, s *Scratch) []float32 {
	if s == nil {
		s = &Scratch{}
	}
	s.fit(m)
	Im2col(in[:GlyphSide*GlyphSide], GlyphSide, s.Col1)
	Conv3(s.Col1, GlyphSide*GlyphSide, m.K1, m.B1, s.A1)
	pool(s.A1, m.C1, GlyphSide, s.P1, s.I1)
	Im2col(s.P1, pooled1, s.Col2)
	Conv3(s.Col2, pooled1*pooled1, m.K2, m.B2, s.A2)
	pool(s.A2, m.C2, pooled1, s.F[:m.C2*pooled2*pooled2], s.I2)
	copy(s.F[m.C2*pooled2*pooled2:], in[GlyphSide*GlyphSide:Inputs])
	dense(s.F, m.W3, m.B3, s.H, true)
	dense(s.H, m.W4, m.B4, s.Out, false)
	softmax(s.Out)
	return s.Out
}

// Im2col lays out n×n maps for a 3×3 convolution with zero padding: row
// i·9+ky·3+kx of col (n·n long) holds map i shifted by (kx−1, ky−1).
func Im2col(in []float32, n int, col []float32) {
	nn := n * n
	cin := len(in) / nn
	for i := 0; i < cin; i++ {
		src := in[i*nn : (i+1)*nn]
		for ky := 0; ky < 3; ky++ {
			dy := ky - 1
			for kx := 0; kx < 3; kx++ {
				dx := kx - 1
				row := col[((i*3+ky)*3+kx)*nn : ((i*3+ky)*3+kx+1)*nn]
				for y := 0; y < n; y++ {
					sy := y + dy
					for x := 0; x < n; x++ {
						sx := x + dx
						if sx < 0 || sy < 0 || sx >= n || sy >= n {
							row[y*n+x] = 0
						} else {
							row[y*n+x] = src[sy*n+sx]
						}
					}
				}
			}
		}
	}
}

// Conv3 convolves maps laid out by Im2col (nn pixels each) with 3×3
// kernels k (out×in×3×3) plus biases b into out (len(b) maps), then
// applies ReLU.
func Conv3(col []float32, nn int, k, b, out []float32) {
	rows := len(col) / nn
	o := 0
	// four maps at a time share each load of col (each sum is still taken
	// in the same order)
	for ; o+4 <= len(b); o += 4 {
		d0, d1, d2, d3 := out[o*nn:(o+1)*nn], out[(o+1)*nn:(o+2)*nn], out[(o+2)*nn:(o+3)*nn], out[(o+3)*nn:(o+4)*nn]
		for j := range d0 {
			d0[j], d1[j], d2[j], d3[j] = b[o], b[o+1], b[o+2], b[o+3]
		}
		for r := 0; r < rows; r++ {
			w0, w1, w2, w3 := k[o*rows+r], k[(o+1)*rows+r], k[(o+2)*rows+r], k[(o+3)*rows+r]
			src := col[r*nn : (r+1)*nn]
			src = src[:len(d0)]
			d1, d2, d3 = d1[:len(d0)], d2[:len(d0)], d3[:len(d0)]
			for j, v := range src {
				d0[j] += float32(w0 * v)
				d1[j] += float32(w1 * v)
				d2[j] += float32(w2 * v)
				d3[j] += float32(w3 * v)
			}
		}
	}
	for ; o < len(b); o++ {
		dst := out[o*nn : (o+1)*nn]
		for j := range dst {
			dst[j] = b[o]
		}
		for r, w := range k[o*rows : (o+1)*rows] {
			src := col[r*nn : (r+1)*nn]
			src = src[:len(dst)]
			for j, v := range src {
				dst[j] += float32(w * v)
			}
		}
	}
	for j, v := range out[:len(b)*nn] {
		if v < 0 {
			out[j] = 0
		}
	}
}

// pool takes the maximum of each 2×2 block of c n×n maps into out, and
// where it came from into idx.
func pool(in []float32, c, n int, out []float32, idx []int32) {
	h := n / 2
	for ch := 0; ch < c; ch++ {
		for y := 0; y < h; y++ {
			for x := 0; x < h; x++ {
				bi := ch*n*n + 2*y*n + 2*x
				best := bi
				for _, j := range [3]int{bi + 1, bi + n, bi + n + 1} {
					if in[j] > in[best] {
						best = j
					}
				}
				o := ch*h*h + y*h + x
				out[o], idx[o] = in[best], int32(best)
			}
		}
	}
}

// dense computes y = W·x + b, with ReLU when relu is set.
func dense(x, w, b, y []float32, relu bool) {
	nin := len(x)
	for o := range y {
		row := w[o*nin : (o+1)*nin]
		sum := b[o]
		for i, v := range x {
			sum += float32(row[i] * v)
		}
		if relu && sum < 0 {
			sum = 0
		}
		y[o] = sum
	}
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
	// Score is the reading's log-likelihood as Read ranks readings (the
	// characters' log-probabilities less the penalty for wide cuts):
	// higher is likelier.
	Score float64
	// Alternatives are the other well-formed readings of the crop, best
	// first (at most MaxAlternatives): another count of characters, or
	// one character read as its second likeliest. A caller that knows
	// what the number should be near (its neighbours') may choose one.
	Alternatives []Reading
}

// MaxAlternatives is the most alternatives a Reading carries.
const MaxAlternatives = 16

// Read reads the number in a crop: an error when the crop is unusable or
// shows no number.
//
// Each piece of the line may be 1 to MaxCut characters (digits that
// touch, or a '-' joined to one): every cut is classified and scored by
// the network's log-probabilities less a penalty for characters wider
// than a digit. Each cut is read with its characters' likeliest classes,
// and again with any one character as its second likeliest. The pieces'
// readings are then combined, best first (a beam of 64), and the best
// combination that is a well-formed house number is read (if none is,
// the best one), the next well-formed ones kept as its Alternatives.
func (m *Model) Read(c Crop) (Reading, error) {
	line, err := segment(c, true)
	if err != nil {
		return Reading{}, err
	}
	in := make([]float32, Inputs)
	var s Scratch
	beam := []hyp{{conf: 1}}
	const width = 64
	seen := map[[5]int][]float32{}
	for _, piece := range line.Pieces {
		var opts []hyp
		switch {
		case piece.Hyphen:
			opts = append(opts, hyp{"-", 0, 1})
		case piece.Small:
			// a tick passed over, or a small character read
			opts = append(opts, hyp{"", smallSkip, 1})
			opts = append(opts, m.readCut(c, piece, []Box{piece}, line.Height, in, &s, seen)...)
		default:
			for n := 1; n <= MaxCut(piece, line.Height); n++ {
				// equal widths, and for each character in turn that one
				// narrow (a 1 joined to a round digit)
				cutsets := [][]Box{SplitN(c, piece, n)}
				for k := 0; n > 1 && k < n; k++ {
					ws := make([]float64, n)
					for i := range ws {
						ws[i] = 1
					}
					ws[k] = narrowShare
					if bs := SplitW(c, piece, ws); len(bs) == n && !sameCuts(bs, cutsets[0]) {
						cutsets = append(cutsets, bs)
					}
				}
				for _, bs := range cutsets {
					opts = append(opts, m.readCut(c, piece, bs, line.Height, in, &s, seen)...)
				}
			}
		}
		next := make([]hyp, 0, len(beam)*len(opts))
		for _, a := range beam {
			for _, o := range opts {
				next = append(next, hyp{a.text + o.text, a.score + o.score, a.conf * o.conf})
			}
		}
		slices.SortStableFunc(next, func(a, b hyp) int { return cmp.Compare(b.score, a.score) })
		beam = next[:min(len(next), width)]
	}
	var out Reading
	found := false
	for _, h := range beam {
		if !WellFormed(h.text) {
			continue
		}
		r := Reading{Text: h.text, Confidence: h.conf, Score: h.score}
		switch {
		case !found:
			out, found = r, true
		case len(out.Alternatives) < MaxAlternatives && r.Text != out.Text && !slices.ContainsFunc(out.Alternatives, func(a Reading) bool { return a.Text == r.Text }):
			out.Alternatives = append(out.Alternatives, r)
		}
	}
	if !found {
		b := beam[0]
		out = Reading{Text: b.text, Confidence: b.conf, Score: b.score}
	}
	return out, nil
}

// smallSkip is the score of passing over a piece under half the line's
// height: read as a character it must be likelier than that.
var smallSkip = -1.0

// narrowShare is a narrow character's width against its neighbours' in
// the uneven cuts Read tries.
const narrowShare = 0.5

func sameCuts(a, b []Box) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].X0 != b[i].X0 || a[i].X1 != b[i].X1 {
			return false
		}
	}
	return true
}

// readCut classifies one cut of a piece into characters and returns its
// readings: the likeliest classes, then each character swapped for its
// second likeliest.
func (m *Model) readCut(c Crop, piece Box, bs []Box, lineH int, in []float32, s *Scratch, seen map[[5]int][]float32) []hyp {
	type choice struct {
		k     int
		score float64 // log-probability less the width penalty
		conf  float64
	}
	first := make([]choice, 0, len(bs))
	second := make([]choice, 0, len(bs))
	for _, b := range bs {
		// the cuts of a piece share characters: each is classified once
		key := [5]int{b.X0, b.Y0, b.X1, b.Y1, len(b.Pix)}
		p, ok := seen[key]
		if !ok {
			Glyph(c, b, lineH, in)
			p = slices.Clone(m.Forward(in, s))
			seen[key] = p
		}
		k, k2 := 0, 1
		if p[k2] > p[k] {
			k, k2 = k2, k
		}
		for j := 2; j < Reject; j++ {
			if p[j] > p[k] {
				k, k2 = j, k
			} else if p[j] > p[k2] {
				k2 = j
			}
		}
		r := (float64(b.w())/float64(max(1, piece.h())) - 0.65) / 0.25
		if r < 0 {
			r = 0 // narrow digits (a 1) are not unlikely
		}
		pen := r * r / 2
		notRej := math.Max(1e-9, 1-float64(p[Reject]))
		first = append(first, choice{k, math.Log(math.Max(1e-9, float64(p[k]))) - pen, float64(p[k]) / notRej})
		second = append(second, choice{k2, math.Log(math.Max(1e-9, float64(p[k2]))) - pen, float64(p[k2]) / notRej})
	}
	var out []hyp
	for swap := -1; swap < len(first); swap++ {
		var txt []byte
		score, pc := 0.0, 1.0
		for i := range first {
			ch := first[i]
			if i == swap {
				ch = second[i]
			}
			txt = append(txt, Char(ch.k))
			score += ch.score
			pc *= ch.conf
		}
		out = append(out, hyp{string(txt), score, pc})
	}
	return out
}

// hyp is one reading of a line, or of a piece of it, while Read combines them.
type hyp struct {
	text  string
	score float64
	conf  float64
}

// MaxCut is the most characters a piece may be cut into: each at least
// 0.24 of the line's height wide, at most 4 (0.35 lost the numbers whose
// narrow 1 leans on the next digit, a piece 0.6 of the height wide).
func MaxCut(b Box, lineH int) int {
	return min(4, max(1, int(float64(b.w())/(0.24*float64(max(1, lineH))))))
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
