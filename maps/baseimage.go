package maps

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"

	xdraw "golang.org/x/image/draw"
)

// Limits on a scanned or photographed base map. A 48-megapixel phone photo
// fits; anything bigger is refused before decoding so a crafted header
// cannot make us allocate gigabytes.
const (
	MaxBaseImageBytes  = 64 << 20
	MaxBaseImagePixels = 64_000_000
	// DefaultDisplaySide is the longest side of the copy drawn on screen.
	DefaultDisplaySide = 2048
)

// BaseImage is a decoded base map: the original (upright per EXIF) for
// print and export, and a downscaled copy for drawing on screen.
type BaseImage struct {
	Original image.Image
	Display  image.Image
	Width    int    // original size after EXIF rotation
	Height   int    //
	Format   string // "jpeg" or "png"
	Hash     string // sha256 hex of the file bytes: the blob name the store and sync use
}

// Layer returns a BaseLayer for the image at the given opacity with no
// scale set yet (1 m per pixel until the officer sets it) and the image's
// top-left corner at the world origin.
func (b *BaseImage) Layer(opacity float64) BaseLayer {
	return BaseLayer{ImageHash: b.Hash, Width: b.Width, Height: b.Height, MetresPerPx: 1, Opacity: opacity}
}

// ErrImageFormat is returned for anything but JPEG and PNG.
var ErrImageFormat = errors.New("base map must be a JPEG or PNG image")

// DecodeBaseImage decodes a JPEG or PNG, turns it upright according to its
// EXIF orientation, and makes a display copy whose longest side is at most
// maxSide pixels (0 means DefaultDisplaySide).
func DecodeBaseImage(data []byte, maxSide int) (*BaseImage, error) {
	if len(data) > MaxBaseImageBytes {
		return nil, fmt.Errorf("base map: file of %d MB is larger than %d MB", len(data)>>20, MaxBaseImageBytes>>20)
	}
	if maxSide <= 0 {
		maxSide = DefaultDisplaySide
	}
	var format string
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xd8, 0xff}):
		format = "jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		format = "png"
	default:
		return nil, ErrImageFormat
	}
	var cfg image.Config
	var err error
	if format == "jpeg" {
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
	} else {
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
	}
	if err != nil {
		return nil, fmt.Errorf("base map: unreadable %s: %w", format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("base map: empty %dx%d image", cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxBaseImagePixels {
		return nil, fmt.Errorf("base map: %dx%d is %d megapixels, at most %d; scan at a lower resolution",
			cfg.Width, cfg.Height, int64(cfg.Width)*int64(cfg.Height)/1_000_000, MaxBaseImagePixels/1_000_000)
	}
	var img image.Image
	if format == "jpeg" {
		img, err = jpeg.Decode(bytes.NewReader(data))
	} else {
		img, err = png.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, fmt.Errorf("base map: decode %s: %w", format, err)
	}
	if format == "jpeg" {
		img = orient(img, exifOrientation(data))
	}
	sum := sha256.Sum256(data)
	b := img.Bounds()
	return &BaseImage{
		Original: img,
		Display:  downscale(img, maxSide),
		Width:    b.Dx(),
		Height:   b.Dy(),
		Format:   format,
		Hash:     hex.EncodeToString(sum[:]),
	}, nil
}

func downscale(img image.Image, maxSide int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= maxSide && h <= maxSide {
		return img
	}
	if w >= h {
		h = max(1, h*maxSide/w)
		w = maxSide
	} else {
		w = max(1, w*maxSide/h)
		h = maxSide
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	// Box-like averaging keeps pencil lines visible when shrinking a lot.
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// exifOrientation returns the EXIF Orientation (1–8) of a JPEG, or 1 when
// absent or unreadable: a photo with a broken EXIF block is still a photo.
func exifOrientation(data []byte) int {
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xff {
			return 1
		}
		marker := data[i+1]
		if marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker == 0x01 {
			i += 2
			continue
		}
		if marker == 0xda || marker == 0xd9 { // start of scan: no more metadata
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xe1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 1
	}
	n := int(bo.Uint16(t[off:]))
	for k := 0; k < n; k++ {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 {
			v := int(bo.Uint16(t[e+8:]))
			if v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// orient applies an EXIF orientation so the image is upright.
func orient(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var dx, dy int
			switch o {
			case 2: // mirrored horizontally
				dx, dy = w-1-x, y
			case 3: // rotated 180°
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored vertically
				dx, dy = x, h-1-y
			case 5: // transposed
				dx, dy = y, x
			case 6: // rotated 90° clockwise to view
				dx, dy = h-1-y, x
			case 7: // transverse
				dx, dy = h-1-y, w-1-x
			case 8: // rotated 90° counter-clockwise to view
				dx, dy = y, w-1-x
			}
			si := y*src.Stride + 4*x
			di := dy*dst.Stride + 4*dx
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}

// SetScale sets the layer's metres per pixel from two points clicked on
// the image (in original image pixels) and the real distance between them.
func (b *BaseLayer) SetScale(p1, p2 Point, metres float64) error {
	d := Dist(p1, p2)
	if !Finite(p1) || !Finite(p2) || d < 5 {
		return fmt.Errorf("scale: the two points are %.1f px apart; pick points at least 5 px apart", d)
	}
	if !(metres > 0) || metres > 100_000 {
		return fmt.Errorf("scale: distance %g m must be above 0 and at most 100 km", metres)
	}
	b.MetresPerPx = metres / d
	return nil
}

// ImageToWorld converts original image pixel coordinates to metres.
func (b *BaseLayer) ImageToWorld(p Point) Point {
	m := b.MetresPerPx
	if m <= 0 {
		m = 1
	}
	return Point{b.Origin.X + p.X*m, b.Origin.Y - p.Y*m}
}

// WorldToImage converts metres to original image pixel coordinates.
func (b *BaseLayer) WorldToImage(p Point) Point {
	m := b.MetresPerPx
	if m <= 0 {
		m = 1
	}
	return Point{(p.X - b.Origin.X) / m, (b.Origin.Y - p.Y) / m}
}

// Bounds is the world box the image covers.
func (b *BaseLayer) Bounds() Rect {
	return BoundsOf([]Point{b.ImageToWorld(Point{}), b.ImageToWorld(Point{float64(b.Width), float64(b.Height)})})
}
