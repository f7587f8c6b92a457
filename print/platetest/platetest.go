// Package platetest reads door plates back the way a person does: it
// renders PDF pages with poppler's pdftoppm and decodes their QR codes
// with a pure-Go reader (gozxing), so tests of print, the CLI and the
// window check what a phone camera would see. It is for tests only.
package platetest

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// Render draws every page of the PDF at dpi with pdftoppm; without
// pdftoppm the test is skipped, saying so.
func Render(t testing.TB, pdf []byte, dpi int) []image.Image {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) is not installed: cannot render the plates to read their QR codes")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftoppm", "-r", fmt.Sprint(dpi), "-png", in, filepath.Join(dir, "p")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	names, err := filepath.Glob(filepath.Join(dir, "p-*.png"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names) // p-01.png …: pdftoppm pads to the page count's width
	var pages []image.Image
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		pages = append(pages, img)
	}
	return pages
}

// Decode reads the one QR code inside r (page pixels; an empty r means the
// whole image).
func Decode(img image.Image, r image.Rectangle) (string, error) {
	if r.Empty() {
		r = img.Bounds()
	}
	r = r.Intersect(img.Bounds())
	crop := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(crop, crop.Bounds(), img, r.Min, draw.Src)
	bmp, err := gozxing.NewBinaryBitmapFromImage(crop)
	if err != nil {
		return "", fmt.Errorf("QR bitmap: %w", err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", fmt.Errorf("no QR code read: %w", err)
	}
	return res.GetText(), nil
}

// MM turns a rectangle in page millimetres into pixels at dpi.
func MM(x, y, w, h float64, dpi int) image.Rectangle {
	k := float64(dpi) / 25.4
	return image.Rect(int(x*k), int(y*k), int((x+w)*k+0.5), int((y+h)*k+0.5))
}
