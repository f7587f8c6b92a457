package identity

import (
	"fmt"
	"image"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
)

// QR renders a pairing code as a square QR image of about size pixels, for
// the pairing screen and for printing. Error correction M survives a
// smudged phone screen and still fits a 1.5 KB code.
func QR(code string, size int) (image.Image, error) {
	if size < 64 {
		size = 64
	}
	b, err := qr.Encode(code, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("encode QR: %w", err)
	}
	img, err := barcode.Scale(b, size, size)
	if err != nil {
		return nil, fmt.Errorf("scale QR: %w", err)
	}
	return img, nil
}
