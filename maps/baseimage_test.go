package maps_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"testing"

	"cunjing/maps"
	"cunjing/maps/maptest"
)

// withExif inserts an APP1 Exif segment with the given orientation (in the
// given byte order) right after the JPEG's SOI marker.
func withExif(t *testing.T, jpg []byte, orientation uint16, bo binary.ByteOrder) []byte {
	t.Helper()
	var tiff bytes.Buffer
	if bo == binary.LittleEndian {
		tiff.WriteString("II")
	} else {
		tiff.WriteString("MM")
	}
	w := func(v any) {
		if err := binary.Write(&tiff, bo, v); err != nil {
			t.Fatal(err)
		}
	}
	w(uint16(42))
	w(uint32(8))
	w(uint16(1))      // one IFD entry
	w(uint16(0x0112)) // Orientation
	w(uint16(3))      // SHORT
	w(uint32(1))      // count
	w(orientation)    // value
	w(uint16(0))      // padding of the 4-byte value field
	w(uint32(0))      // no next IFD
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	app1 := []byte{0xff, 0xe1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(len(seg)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, app1...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func encodeJPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDecodeBaseImageOrientation(t *testing.T) {
	src := encodeJPEG(t, maptest.Halves(64, 32)) // red left half, blue right half
	tests := []struct {
		o          uint16
		bo         binary.ByteOrder
		w, h       int
		redAt, blu image.Point
	}{
		{1, binary.BigEndian, 64, 32, image.Pt(8, 16), image.Pt(56, 16)},
		{3, binary.LittleEndian, 64, 32, image.Pt(56, 16), image.Pt(8, 16)}, // 180°
		{6, binary.BigEndian, 32, 64, image.Pt(16, 8), image.Pt(16, 56)},    // 90° CW: left becomes top
		{8, binary.LittleEndian, 32, 64, image.Pt(16, 56), image.Pt(16, 8)}, // 90° CCW: left becomes bottom
		{2, binary.BigEndian, 64, 32, image.Pt(56, 16), image.Pt(8, 16)},    // mirrored
		{9, binary.BigEndian, 64, 32, image.Pt(8, 16), image.Pt(56, 16)},    // invalid value: as is
	}
	for _, tc := range tests {
		b, err := maps.DecodeBaseImage(withExif(t, src, tc.o, tc.bo), 0)
		if err != nil {
			t.Fatalf("orientation %d: %v", tc.o, err)
		}
		if b.Width != tc.w || b.Height != tc.h || b.Format != "jpeg" {
			t.Errorf("orientation %d: %dx%d %s, want %dx%d", tc.o, b.Width, b.Height, b.Format, tc.w, tc.h)
			continue
		}
		if !maptest.IsRed(b.Original.At(tc.redAt.X, tc.redAt.Y)) || !maptest.IsBlue(b.Original.At(tc.blu.X, tc.blu.Y)) {
			t.Errorf("orientation %d: colours not where expected", tc.o)
		}
	}
}

func TestDecodeBaseImageDisplayCopy(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, maptest.Halves(3000, 1000)); err != nil {
		t.Fatal(err)
	}
	b, err := maps.DecodeBaseImage(buf.Bytes(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if b.Width != 3000 || b.Height != 1000 || b.Original.Bounds().Dx() != 3000 {
		t.Errorf("original not kept: %dx%d", b.Width, b.Height)
	}
	if d := b.Display.Bounds(); d.Dx() != 1000 || d.Dy() != 333 {
		t.Errorf("display copy %v, want 1000x333", d)
	}
	if len(b.Hash) != 64 {
		t.Errorf("hash %q", b.Hash)
	}
	small, err := maps.DecodeBaseImage(buf.Bytes(), 0)
	if err != nil || small.Display.Bounds().Dx() != maps.DefaultDisplaySide {
		t.Errorf("default display side: %v %v", err, small.Display.Bounds())
	}
}

// pngHeader is a PNG signature and IHDR claiming w×h, with a valid CRC, so
// only the size check stands between it and a huge allocation.
func pngHeader(w, h uint32) []byte {
	var ihdr bytes.Buffer
	ihdr.WriteString("IHDR")
	_ = binary.Write(&ihdr, binary.BigEndian, w)
	_ = binary.Write(&ihdr, binary.BigEndian, h)
	ihdr.Write([]byte{8, 6, 0, 0, 0})
	out := []byte("\x89PNG\r\n\x1a\n")
	out = binary.BigEndian.AppendUint32(out, 13)
	out = append(out, ihdr.Bytes()...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(ihdr.Bytes()))
}

func TestDecodeBaseImageBad(t *testing.T) {
	jpg := encodeJPEG(t, maptest.Halves(16, 16))
	tests := []struct {
		name string
		data []byte
		is   error
	}{
		{"empty", nil, maps.ErrImageFormat},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), maps.ErrImageFormat},
		{"text", []byte("hello"), maps.ErrImageFormat},
		{"truncated jpeg", jpg[:len(jpg)/2], nil},
		{"jpeg header only", jpg[:20], nil},
		{"huge png", pngHeader(100_000, 100_000), nil},
		{"zero png", pngHeader(0, 10), nil},
		{"oversized file", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, maps.MaxBaseImageBytes)...), nil},
	}
	for _, tc := range tests {
		_, err := maps.DecodeBaseImage(tc.data, 0)
		if err == nil {
			t.Errorf("%s: want error", tc.name)
			continue
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.is)
		}
	}
}

func TestBaseLayerScale(t *testing.T) {
	b := maps.BaseLayer{Width: 1000, Height: 800, Origin: maps.Point{X: 10, Y: 20}}
	if err := b.SetScale(maps.Point{X: 100, Y: 100}, maps.Point{X: 400, Y: 500}, 250); err != nil {
		t.Fatal(err)
	}
	if math.Abs(b.MetresPerPx-0.5) > 1e-12 {
		t.Errorf("m/px %v, want 0.5", b.MetresPerPx)
	}
	p := b.ImageToWorld(maps.Point{X: 200, Y: 100})
	if p != (maps.Point{X: 110, Y: -30}) {
		t.Errorf("image→world %v", p)
	}
	if q := b.WorldToImage(p); maps.Dist(q, maps.Point{X: 200, Y: 100}) > 1e-9 {
		t.Errorf("world→image %v", q)
	}
	for _, bad := range []struct {
		p1, p2 maps.Point
		m      float64
	}{{maps.Point{X: 0, Y: 0}, maps.Point{X: 1, Y: 1}, 10}, {maps.Point{X: 0, Y: 0}, maps.Point{X: 100, Y: 0}, 0}, {maps.Point{X: 0, Y: 0}, maps.Point{X: 100, Y: 0}, math.NaN()}, {maps.Point{X: math.Inf(1), Y: 0}, maps.Point{X: 0, Y: 0}, 5}} {
		if err := b.SetScale(bad.p1, bad.p2, bad.m); err == nil {
			t.Errorf("SetScale(%v): want error", bad)
		}
	}
}

func FuzzDecodeBaseImage(f *testing.F) {
	var buf bytes.Buffer
	_ = png.Encode(&buf, maptest.Halves(8, 4))
	f.Add(buf.Bytes())
	var jb bytes.Buffer
	_ = jpeg.Encode(&jb, maptest.Halves(8, 8), nil)
	f.Add(jb.Bytes())
	f.Add([]byte{0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8})
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := maps.DecodeBaseImage(data, 64)
		if err != nil {
			return
		}
		if b.Width <= 0 || b.Height <= 0 || b.Display.Bounds().Dx() > 64 || b.Display.Bounds().Dy() > 64 {
			t.Fatalf("bad result %dx%d display %v", b.Width, b.Height, b.Display.Bounds())
		}
	})
}
