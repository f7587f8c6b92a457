package printtest

import "image"

// BlankWindow finds the first window fw×fh (shares of the image's width
// and height) inside img that holds no ink (no pixel darker than near
// white), searching in steps of a tenth of the window; ok is false when
// every window has ink.
func BlankWindow(img image.Image, fw, fh float64) (image.Rectangle, bool) {
	b := img.Bounds()
	W, H := b.Dx(), b.Dy()
	// sum[y][x] counts the ink pixels above and left of (x, y).
	sum := make([][]int, H+1)
	sum[0] = make([]int, W+1)
	for y := 0; y < H; y++ {
		sum[y+1] = make([]int, W+1)
		for x := 0; x < W; x++ {
			ink := 0
			if r, g, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA(); r < 0xe800 || g < 0xe800 || bb < 0xe800 {
				ink = 1
			}
			sum[y+1][x+1] = sum[y][x+1] + sum[y+1][x] - sum[y][x] + ink
		}
	}
	ww, wh := int(fw*float64(W)), int(fh*float64(H))
	sx, sy := max(1, ww/10), max(1, wh/10)
	for y := 0; y+wh <= H; y += sy {
		for x := 0; x+ww <= W; x += sx {
			if sum[y+wh][x+ww]-sum[y][x+ww]-sum[y+wh][x]+sum[y][x] == 0 {
				return image.Rect(x, y, x+ww, y+wh), true
			}
		}
	}
	return image.Rectangle{}, false
}
