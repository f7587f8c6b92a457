package digits

import (
	"errors"
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

type rect struct{ x0, y0, x1, y1 int }

// crop draws filled rectangles of full ink on a w×h crop.
func crop(w, h int, rs ...rect) Crop {
	c := Crop{W: w, H: h, Dark: make([]float32, w*h), Ink: make([]bool, w*h)}
	for _, r := range rs {
		for y := r.y0; y < r.y1; y++ {
			for x := r.x0; x < r.x1; x++ {
				c.Dark[y*w+x] = 1
				c.Ink[y*w+x] = true
			}
		}
	}
	return c
}

// digit is a 6×10 "digit": a ring of ink two pixels thick.
func digit(x, y int) []rect {
	return []rect{{x, y, x + 6, y + 2}, {x, y + 8, x + 6, y + 10}, {x, y, x + 2, y + 10}, {x + 4, y, x + 6, y + 10}}
}

func join(rs ...[]rect) []rect {
	var out []rect
	for _, r := range rs {
		out = append(out, r...)
	}
	return out
}

func TestSegment(t *testing.T) {
	for _, tc := range []struct {
		name    string
		c       Crop
		n       int    // characters found
		hyphens string // where the '-'s are: "..-." for 4 characters
		err     error
	}{
		{"one digit", crop(30, 20, digit(10, 5)...), 1, ".", nil},
		{"three digits", crop(50, 20, join(digit(5, 5), digit(14, 5), digit(23, 5))...), 3, "...", nil},
		{"specks beside digits are dropped", crop(50, 20, join(digit(5, 5), digit(14, 5), []rect{{30, 2, 31, 3}, {40, 16, 41, 17}})...), 2, "..", nil},
		{"a hyphen between digits", crop(50, 20, join(digit(5, 5), []rect{{14, 9, 19, 11}}, digit(22, 5))...), 3, ".-.", nil},
		{"touching digits are cut", crop(40, 20, join(digit(5, 5), digit(11, 5))...), 2, "..", nil},
		{"a digit in two strokes is one", crop(30, 20, rect{10, 5, 16, 7}, rect{10, 9, 16, 15}), 1, ".", nil},
		{"a struck-out number above the true one", crop(60, 40, join(
			digit(5, 3), digit(14, 3), []rect{{3, 7, 24, 9}}, // crossed out
			digit(5, 24), digit(14, 24), digit(23, 24))...), 3, "...", nil},
		{"only specks", crop(30, 20, rect{3, 3, 4, 4}, rect{10, 10, 11, 11}), 0, "", ErrNoNumber},
		{"blank", crop(30, 20), 0, "", ErrNoNumber},
		{"only a strike", crop(60, 20, rect{5, 9, 55, 11}), 0, "", ErrNoNumber},
		{"a struck-out pair of digits above the true one", crop(60, 40, join(
			digit(5, 3), digit(12, 3), []rect{{4, 7, 19, 9}}, // crossed out, 15 wide
			digit(5, 24), digit(14, 24), digit(23, 24))...), 3, "...", nil},
		{"touching digits that look struck are read when alone", crop(40, 20, join(
			digit(5, 5), digit(11, 5), digit(17, 5), []rect{{5, 9, 23, 11}})...), 3, "...", nil},
		{"a short dash is no speck", crop(50, 20, join(digit(5, 5), []rect{{14, 9, 17, 10}}, digit(20, 5))...), 3, ".-.", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := Segment(tc.c)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Boxes) != tc.n {
				t.Fatalf("%d characters %+v, want %d", len(l.Boxes), l.Boxes, tc.n)
			}
			got := ""
			for i, b := range l.Boxes {
				if i > 0 && b.X0 < l.Boxes[i-1].X0 {
					t.Errorf("characters out of order: %+v", l.Boxes)
				}
				if b.Hyphen {
					got += "-"
				} else {
					got += "."
				}
			}
			if got != tc.hyphens {
				t.Errorf("characters %q, want %q", got, tc.hyphens)
			}
		})
	}
}

func TestBadCrops(t *testing.T) {
	m, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	big := image.NewGray(image.Rect(0, 0, 3000, 3000))
	for _, tc := range []struct {
		name string
		run  func() error
	}{
		{"empty", func() error { _, err := m.Read(Crop{}); return err }},
		{"1x1", func() error { _, err := m.Read(crop(1, 1, rect{0, 0, 1, 1})); return err }},
		{"mismatched", func() error {
			_, err := m.Read(Crop{W: 4, H: 4, Dark: make([]float32, 3), Ink: make([]bool, 16)})
			return err
		}},
		{"huge", func() error { _, err := m.Read(Crop{W: 5000, H: 5000}); return err }},
		{"huge from an image", func() error { _, err := FromGray(big, big.Rect, nil); return err }},
		{"outside the image", func() error { _, err := FromGray(big, image.Rect(4000, 4000, 4100, 4100), nil); return err }},
		{"nil image", func() error { _, err := FromGray(nil, image.Rect(0, 0, 1, 1), nil); return err }},
		{"bad mask", func() error { _, err := FromGray(big, image.Rect(0, 0, 10, 10), make([]bool, 3)); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func TestWellFormed(t *testing.T) {
	for s, want := range map[string]bool{"203": true, "203-1": true, "7": true, "": false, "-1": false, "203-": false, "012": false, "2-3-4": false, "20a": false, "123456": false} {
		if got := WellFormed(s); got != want {
			t.Errorf("WellFormed(%q) = %v", s, got)
		}
	}
}

func TestModelRoundTrip(t *testing.T) {
	m, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != string(embedded) {
		t.Fatal("the embedded weights do not write back the same bytes")
	}
	for _, bad := range [][]byte{nil, []byte("CJDIGIT2"), []byte("CJDIGIT1"), raw[:len(raw)-4], raw[:30], append(raw[:len(raw):len(raw)], 0)} {
		if _, err := Decode(bad); err == nil {
			t.Errorf("%d bytes decoded", len(bad))
		}
	}
}

func FuzzDecode(f *testing.F) {
	m, _ := NewModel(3, 2, 10)
	raw, _ := m.MarshalBinary()
	f.Add(raw)
	f.Add(embedded[:200])
	f.Add(embedded[:24])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			return
		}
		in := make([]float32, Inputs)
		p := m.Forward(in, nil)
		if len(p) != Classes {
			t.Fatalf("%d outputs for widths %d, %d, %d", len(p), m.C1, m.C2, m.Hidden)
		}
	})
}

func FuzzRead(f *testing.F) {
	f.Add(uint8(20), uint8(12), []byte{0, 0, 255, 255, 255, 0, 0, 255, 0, 255, 0, 255})
	f.Add(uint8(1), uint8(1), []byte{255})
	m, err := Embedded()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, w, h uint8, pix []byte) {
		c := Crop{W: int(w), H: int(h), Dark: make([]float32, int(w)*int(h)), Ink: make([]bool, int(w)*int(h))}
		for i := range c.Dark {
			if len(pix) > 0 {
				v := pix[i%len(pix)]
				c.Dark[i] = float32(v) / 255
				c.Ink[i] = v > 128
			}
		}
		r, err := m.Read(c)
		if err != nil {
			return
		}
		if r.Confidence < 0 || r.Confidence > 1 {
			t.Fatalf("confidence %v", r.Confidence)
		}
	})
}

func TestSplitN(t *testing.T) {
	c := crop(40, 20, join(digit(5, 5), digit(11, 5), digit(17, 5))...)
	l, err := Segment(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Pieces) != 1 {
		t.Fatalf("%d pieces, want the touching digits as one", len(l.Pieces))
	}
	for n := 1; n <= 4; n++ {
		bs := SplitN(c, l.Pieces[0], n)
		if len(bs) != n {
			t.Errorf("SplitN %d: %d boxes", n, len(bs))
		}
		px := 0
		for _, b := range bs {
			px += len(b.Pix)
		}
		if px != len(l.Pieces[0].Pix) {
			t.Errorf("SplitN %d: %d of %d pixels kept", n, px, len(l.Pieces[0].Pix))
		}
	}
	// cut where the ink is thinnest: between the digits (x = 11 and 17)
	bs := SplitN(c, l.Pieces[0], 3)
	if bs[1].X0 < 10 || bs[1].X0 > 12 || bs[2].X0 < 16 || bs[2].X0 > 18 {
		t.Errorf("cuts at %d and %d, want near 11 and 17", bs[1].X0, bs[2].X0)
	}
}

// TestConv3 checks the Im2col convolution against the definition.
func TestConv3(t *testing.T) {
	for _, tc := range []struct{ n, cin, cout int }{{4, 1, 1}, {5, 2, 3}, {8, 3, 2}, {16, 1, 4}} {
		t.Run(fmt.Sprintf("%dx%d %d→%d", tc.n, tc.n, tc.cin, tc.cout), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tc.n), 1))
			nn := tc.n * tc.n
			in := make([]float32, tc.cin*nn)
			k := make([]float32, tc.cout*tc.cin*9)
			b := make([]float32, tc.cout)
			for _, s := range [][]float32{in, k, b} {
				for i := range s {
					s[i] = float32(rng.Float64()*2 - 1)
				}
			}
			col := make([]float32, tc.cin*9*nn)
			Im2col(in, tc.n, col)
			out := make([]float32, tc.cout*nn)
			Conv3(col, nn, k, b, out)
			for o := 0; o < tc.cout; o++ {
				for y := 0; y < tc.n; y++ {
					for x := 0; x < tc.n; x++ {
						want := float64(b[o])
						for i := 0; i < tc.cin; i++ {
							for ky := 0; ky < 3; ky++ {
								for kx := 0; kx < 3; kx++ {
									sx, sy := x+kx-1, y+ky-1
									if sx < 0 || sy < 0 || sx >= tc.n || sy >= tc.n {
										continue
									}
									want += float64(k[((o*tc.cin+i)*3+ky)*3+kx]) * float64(in[i*nn+sy*tc.n+sx])
								}
							}
						}
						want = math.Max(0, want)
						if got := float64(out[o*nn+y*tc.n+x]); math.Abs(got-want) > 1e-4 {
							t.Fatalf("map %d at %d,%d: %v, want %v", o, x, y, got, want)
						}
					}
				}
			}
		})
	}
}

func TestPool(t *testing.T) {
	in := []float32{
		1, 2, 0, 0,
		3, 4, 0, 5,
		-1, 0, 7, 7,
		0, 0, 7, 6,
	}
	out, idx := make([]float32, 4), make([]int32, 4)
	pool(in, 1, 4, out, idx)
	if want := []float32{4, 5, 0, 7}; !slices.Equal(out, want) {
		t.Errorf("pooled %v, want %v", out, want)
	}
	if want := []int32{5, 7, 9, 10}; !slices.Equal(idx, want) { // ties: the first
		t.Errorf("from %v, want %v", idx, want)
	}
}

// TestForward checks the network's output is a distribution over the
// classes, the same for the same input, and that the shape features count.
func TestForward(t *testing.T) {
	m, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	in := make([]float32, Inputs)
	for i := range GlyphSide * GlyphSide {
		if i%GlyphSide == 7 || i%GlyphSide == 8 {
			in[i] = 1 // a vertical bar: a 1
		}
	}
	in[GlyphSide*GlyphSide], in[GlyphSide*GlyphSide+1] = 0.1, 1
	p := slices.Clone(m.Forward(in, nil))
	var sum float64
	for _, v := range p {
		if v < 0 || v > 1 {
			t.Fatalf("probability %v", v)
		}
		sum += float64(v)
	}
	if math.Abs(sum-1) > 1e-4 || len(p) != Classes {
		t.Fatalf("%d probabilities summing to %v", len(p), sum)
	}
	if k := slices.Index(p, slices.Max(p)); k != 1 {
		t.Errorf("a vertical bar read as %c (%v)", Char(k), p)
	}
	var s Scratch
	if q := m.Forward(in, &s); !slices.Equal(p, q) {
		t.Error("the same input gave other probabilities")
	}
	// a short flat bar at mid-height, a third of the line's height: a '-'
	// as Read takes a character, the likeliest of the character classes
	// (the weights trained with finer over-cuts give such a bar a high
	// Reject too: part of a digit cut too fine looks like it)
	clear(in)
	for x := 1; x < 15; x++ {
		for y := 6; y < 10; y++ {
			in[y*GlyphSide+x] = 1
		}
	}
	in[GlyphSide*GlyphSide], in[GlyphSide*GlyphSide+1] = 1, 0.3
	if q := m.Forward(in, &s); slices.Index(q[:Reject], slices.Max(q[:Reject])) != Dash {
		t.Errorf("a bar read as %v, want '-'", q)
	}
}

func TestCharClass(t *testing.T) {
	for k := range Classes {
		if ClassOf(Char(k)) != k {
			t.Errorf("class %d → %q → %d", k, Char(k), ClassOf(Char(k)))
		}
	}
}

// TestFaintStrokes: pencil too faint for the threshold is ink when joined
// to ink (hysteresis) or an island of its own, not when it touches ink
// that was not kept (an outline) or the crop's edge.
func TestFaintStrokes(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 30, 20))
	for i := range img.Pix {
		img.Pix[i] = 230
	}
	set := func(x0, y0, x1, y1 int, v uint8) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				img.Pix[y*img.Stride+x] = v
			}
		}
	}
	set(10, 4, 12, 10, 60)   // a dark stroke
	set(10, 10, 12, 16, 190) // its faint lower half (0.83 of the paper)
	set(20, 4, 22, 16, 195)  // a faint stroke on its own
	set(0, 0, 30, 1, 40)     // the outline along the top, not kept
	set(24, 1, 26, 5, 190)   // faint ink touching the outline
	set(28, 5, 30, 20, 190)  // a faint lane off the crop's edge
	keep := make([]bool, 30*20)
	for y := 1; y < 20; y++ {
		for x := range 30 {
			keep[y*30+x] = true
		}
	}
	c, err := FromGray(img, img.Rect, keep)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		x, y int
		ink  bool
	}{
		{11, 5, true}, {11, 14, true}, {21, 10, true}, {25, 1, false}, {28, 10, false}, {5, 5, false}, {5, 0, false},
	} {
		if got := c.Ink[tc.y*30+tc.x]; got != tc.ink {
			t.Errorf("ink at %d,%d: %v, want %v", tc.x, tc.y, got, tc.ink)
		}
	}
	l, err := Segment(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Boxes) != 2 || l.Boxes[0].Y1-l.Boxes[0].Y0 != 12 || l.Boxes[1].X0 != 20 {
		t.Errorf("%+v, want two characters 12 px tall", l.Boxes)
	}
}

func TestSplitW(t *testing.T) {
	// a 1 (2 px wide) joined by a bar to a ring 6 px wide: equal cuts
	// would cut the ring, a narrow first character does not
	c := crop(30, 20, join([]rect{{5, 5, 7, 15}, {7, 10, 9, 11}}, digit(9, 5))...)
	l, err := Segment(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Pieces) != 1 {
		t.Fatalf("%d pieces, want one", len(l.Pieces))
	}
	p := l.Pieces[0]
	bs := SplitW(c, p, []float64{0.5, 1})
	if len(bs) != 2 {
		t.Fatalf("%d boxes", len(bs))
	}
	if bs[1].X0 < 7 || bs[1].X0 > 9 || bs[1].X1 != 15 {
		t.Errorf("the ring cut out as %d–%d, want 7..9–15", bs[1].X0, bs[1].X1)
	}
	if px := len(bs[0].Pix) + len(bs[1].Pix); px != len(p.Pix) {
		t.Errorf("%d of %d pixels kept", px, len(p.Pix))
	}
	if got := SplitW(c, p, []float64{1}); len(got) != 1 || got[0].X0 != p.X0 || got[0].X1 != p.X1 {
		t.Errorf("one character: %v", got)
	}
	if got := SplitW(c, p, make([]float64, 10)); got != nil {
		t.Errorf("10 characters in 10 px: %d boxes, want none", len(got))
	}
}

func TestSegmentSmall(t *testing.T) {
	// a 7 with a descender (16 px) beside a small ring (6 px tall): Segment
	// drops the ring as a tick; the reader's segment keeps it, marked Small;
	// a dot stays dropped
	seven := []rect{{2, 2, 10, 4}, {7, 2, 9, 18}}
	ring := []rect{{13, 6, 19, 7}, {13, 11, 19, 12}, {13, 6, 14, 12}, {18, 6, 19, 12}}
	dot := []rect{{22, 15, 24, 17}}
	c := crop(30, 20, join(seven, ring, dot)...)
	l, err := Segment(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Pieces) != 1 {
		t.Errorf("Segment: %d pieces, want the 7 alone", len(l.Pieces))
	}
	l, err = segment(c, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Pieces) != 2 || l.Pieces[0].Small || !l.Pieces[1].Small || l.Pieces[1].X0 != 13 {
		t.Errorf("segment with small: %+v, want the 7 and the small ring", l.Pieces)
	}
}
