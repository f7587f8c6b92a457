package homography

import (
	"errors"
	"image"
	"math"
	"testing"
)

func TestFrom(t *testing.T) {
	type pt [2]float64
	for _, tc := range []struct {
		name     string
		from, to [4]pt
		err      error
	}{
		{"identity", [4]pt{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, [4]pt{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, nil},
		{"perspective", [4]pt{{0, 0}, {100, 0}, {100, 50}, {0, 50}}, [4]pt{{10, 5}, {120, -3}, {130, 70}, {-4, 60}}, nil},
		{"in a line", [4]pt{{0, 0}, {1, 0}, {2, 0}, {3, 0}}, [4]pt{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, ErrInLine},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := From(tc.from, tc.to)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			if err != nil {
				if h != (H{}) {
					t.Errorf("a map %v with the error", h)
				}
				return
			}
			for i := range 4 {
				if p := h.Apply(tc.from[i]); math.Hypot(p[0]-tc.to[i][0], p[1]-tc.to[i][1]) > 1e-6 {
					t.Errorf("%v → %v, want %v", tc.from[i], p, tc.to[i])
				}
			}
		})
	}
}

func TestBilinear(t *testing.T) {
	// 2×2: 0 100 / 200 40
	img := &image.Gray{Pix: []uint8{0, 100, 200, 40}, Stride: 2, Rect: image.Rect(0, 0, 2, 2)}
	for _, tc := range []struct {
		p    [2]float64
		want float64
	}{
		{[2]float64{0.5, 0.5}, 0},           // a pixel's centre is the pixel
		{[2]float64{1.5, 1.5}, 40},          // the other corner's
		{[2]float64{1, 0.5}, 50},            // half way along the top row
		{[2]float64{1, 1}, 85},              // the middle: the four's mean
		{[2]float64{-3, 0.5}, 0},            // beyond the left edge: the edge's pixel
		{[2]float64{1.5, 9}, 40},            // beyond the bottom
		{[2]float64{0.5, 1.25}, 0.75 * 200}, // three quarters down the left column
	} {
		if got := Bilinear(img, tc.p); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("Bilinear(%v) = %v, want %v", tc.p, got, tc.want)
		}
	}
}
