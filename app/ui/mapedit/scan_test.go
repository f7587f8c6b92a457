package mapedit

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	imgpng "image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"cunjing/app/ui/mapedit/mapscan"
	"cunjing/app/ui/uitest"
	"cunjing/maps"
	"cunjing/maps/edit"
	"cunjing/maps/render"
	"cunjing/print/fonts"
	"cunjing/store"
	"cunjing/store/mapdata"
)

// scannedJPEG makes what an officer's phone photo of a hand-drawn village
// map looks like: the village in pencil grey on paper-coloured noise, the
// sheet turned a little on the scanner, stored on its side with EXIF
// orientation 6 (as phones do) so only a decoder that honours EXIF shows
// it upright. It returns the file and the layer that lays it over v
// (ignoring the small turn, as an officer would before setting the scale).
func scannedJPEG(t testing.TB, v *maps.Village, ttf []byte, pxPerM, turnDeg float64) ([]byte, maps.BaseLayer) {
	t.Helper()
	r, err := render.NewRenderer(ttf)
	if err != nil {
		t.Fatal(err)
	}
	ix := maps.BuildIndex(v)
	ext := ix.Extent().Inset(25)
	w, h := int(ext.W()*pxPerM), int(ext.H()*pxPerM)
	vp := render.Viewport{Center: ext.Center(), Scale: pxPerM, W: float64(w), H: float64(h)}
	drawn, err := r.RenderImage(ix, vp, &render.Style{MinNumberSize: 9})
	if err != nil {
		t.Fatal(err)
	}
	lum := func(c color.RGBA) float64 { return (0.3*float64(c.R) + 0.59*float64(c.G) + 0.11*float64(c.B)) / 255 }
	bg := lum(drawn.RGBAAt(0, 0))
	rng := rand.New(rand.NewPCG(7, 11))
	paper := color.RGBA{0xee, 0xe4, 0xcc, 0xff}
	pencil := color.RGBA{0x4a, 0x4a, 0x52, 0xff}
	up := image.NewRGBA(image.Rect(0, 0, w, h))
	sin, cos := math.Sincos(turnDeg * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			// Sample the drawing turned about the centre.
			dx, dy := float64(x)-cx, float64(y)-cy
			sx, sy := int(cx+dx*cos+dy*sin), int(cy-dx*sin+dy*cos)
			ink := 0.0
			if sx >= 0 && sy >= 0 && sx < w && sy < h {
				ink = math.Max(0, math.Min(1, (bg-lum(drawn.RGBAAt(sx, sy))-0.1)*3.5))
			}
			// Pencil is uneven; paper has grain and a darker edge.
			ink *= 0.7 + 0.3*rng.Float64()
			edge := math.Min(math.Min(float64(x), float64(w-x)), math.Min(float64(y), float64(h-y)))
			shade := 1 - 0.12*math.Exp(-edge/25) + (rng.Float64()-0.5)*0.06
			mix := func(p, q uint8) uint8 {
				v := (float64(p)*(1-ink) + float64(q)*ink) * shade
				return uint8(math.Max(0, math.Min(255, v)))
			}
			up.SetRGBA(x, y, color.RGBA{mix(paper.R, pencil.R), mix(paper.G, pencil.G), mix(paper.B, pencil.B), 0xff})
		}
	}
	// Stored on its side: EXIF 6 says "turn 90° clockwise to view".
	side := image.NewRGBA(image.Rect(0, 0, h, w))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			side.SetRGBA(y, w-1-x, up.RGBAAt(x, y))
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, side, &jpeg.Options{Quality: 82}); err != nil {
		t.Fatal(err)
	}
	layer := maps.BaseLayer{Width: w, Height: h, MetresPerPx: 1 / pxPerM,
		Origin: maps.Point{X: ext.Min.X, Y: ext.Max.Y}, Opacity: 0.7}
	return withExifOrientation(buf.Bytes(), 6), layer
}

// withExifOrientation inserts an APP1 Exif segment holding only the
// orientation tag right after the JPEG's start marker.
func withExifOrientation(jpg []byte, o uint16) []byte {
	var tiff bytes.Buffer
	tiff.WriteString("MM")
	for _, v := range []any{uint16(42), uint32(8), uint16(1), uint16(0x0112), uint16(3), uint32(1), o, uint16(0), uint32(0)} {
		_ = binary.Write(&tiff, binary.BigEndian, v) // writes to a bytes.Buffer cannot fail
	}
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	app1 := []byte{0xff, 0xe1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(len(seg)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, app1...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// The scanned map helper gives a JPEG that decodes upright only through
// EXIF, and a layer over the village. With CUNJING_SHOT_DB set it also
// lays such a scan under the largest village of that database (how the
// docs/img screenshots are made from `cunjing demo --houses 3000`).
func TestScannedBaseMap(t *testing.T) {
	f, err := fonts.Find("")
	if err != nil {
		t.Skipf("no CJK font: %v", err)
	}
	ctx := context.Background()
	path := os.Getenv("CUNJING_SHOT_DB")
	var s *store.Store
	if path != "" {
		if s, err = store.Open(ctx, path, store.Options{}); err != nil {
			t.Fatal(err)
		}
		defer s.Close()
	} else {
		s = uitest.Fixture(t, 0)
	}
	vs, err := s.Villages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var best store.Village
	var v *maps.Village
	for _, x := range vs {
		mv, err := mapdata.Load(ctx, s, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v == nil || len(mv.Houses) > len(v.Houses) {
			best, v = x, mv
		}
	}
	pxPerM := 2.0
	if len(v.Houses) > 1000 {
		pxPerM = 1.4
	}
	jpg, layer := scannedJPEG(t, v, f.TTF, pxPerM, 1.2)
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(jpg))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != layer.Height || cfg.Height != layer.Width {
		t.Fatalf("stored %dx%d, want the upright %dx%d on its side", cfg.Width, cfg.Height, layer.Width, layer.Height)
	}
	img, err := maps.DecodeBaseImage(jpg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if img.Width != layer.Width || img.Height != layer.Height {
		t.Fatalf("decoded %dx%d, want upright %dx%d", img.Width, img.Height, layer.Width, layer.Height)
	}
	layer.ImageHash = img.Hash
	if err := s.PutBlob(ctx, img.Hash, jpg); err != nil {
		t.Fatal(err)
	}
	v.Base = &layer
	if err := mapdata.SaveChanges(ctx, s, best.ID, v, edit.DirtySet{Village: true}); err != nil {
		t.Fatal(err)
	}
	got, err := mapdata.Load(ctx, s, best.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Base == nil || got.Base.ImageHash != img.Hash || got.Base.Width != layer.Width {
		t.Fatalf("base layer not saved: %+v", got.Base)
	}
	if path != "" {
		out := filepath.Join(filepath.Dir(path), "scanned-map.jpg")
		if err := os.WriteFile(out, jpg, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: base map %dx%d under %s (%d houses), copy in %s", path, layer.Width, layer.Height, best.Name, len(v.Houses), out)
	}
}

// 从扫描图识别's chosen scan (up to 64 MB, maybe from a slow USB stick) is
// read off the UI goroutine: the window says it is reading, and only the
// read done starts the trace. An unreadable file is said in Chinese; a
// read ending after another village was opened is dropped. The read ran
// inside the file chooser's callback, freezing the window for seconds.
func TestScanReadInTheBackground(t *testing.T) {
	var png bytes.Buffer
	if err := imgpng.Encode(&png, image.NewGray(image.Rect(0, 0, 40, 30))); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		data    []byte
		err     error
		switch_ string // village opened while the read is held ("" none)
		want    string // status once read
		traces  int    // trace jobs started once read
		dialog  string // error dialog's text once read ("" none)
	}{
		{"scan", png.Bytes(), nil, "", "正在识别扫描图，请稍候…", 1, ""},
		{"unreadable stick", nil, errors.New("read E:/扫描.png: input/output error"), "", "", 0, "这张图片不能用作底图"},
		{"another village opened meanwhile", png.Bytes(), nil, "东河村", "", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, w, m := mapOpen(t, "北庄村")
			bg := &heldBG{Env: m.u}
			m.scan = mapscan.New(bg, scanHost{m})
			var reads atomic.Int32
			m.scan.ReadScan = func(path string) ([]byte, error) {
				reads.Add(1)
				return tc.data, tc.err
			}
			m.scan.TraceFile("E:/扫描.png")
			if n := reads.Load(); n != 0 {
				t.Fatalf("the scan was read %d times on the UI goroutine", n)
			}
			if m.status.Text != "正在读取图片…" {
				t.Errorf("while reading the status says %q", m.status.Text)
			}
			if len(bg.held) != 1 {
				t.Fatalf("%d background jobs held, want the read", len(bg.held))
			}
			if tc.switch_ != "" {
				m.village.SetSelected(tc.switch_)
				u.Wait()
			}
			bg.release()
			u.Wait()
			if n := reads.Load(); n != 1 {
				t.Errorf("read %d times, want once", n)
			}
			if tc.want != "" && m.status.Text != tc.want || tc.want == "" && strings.Contains(m.status.Text, "识别") {
				t.Errorf("read: status %q, want %q", m.status.Text, tc.want)
			}
			if len(bg.held) != tc.traces {
				t.Errorf("%d jobs held after the read, want %d (the trace)", len(bg.held), tc.traces)
			}
			top := w.Canvas().Overlays().Top()
			if tc.dialog == "" && top != nil {
				t.Errorf("a dialog opened:\n%s", uitest.Shown(top))
			}
			if tc.dialog != "" && (top == nil || !strings.Contains(uitest.Shown(top), tc.dialog)) {
				t.Errorf("no dialog saying %q", tc.dialog)
			}
		})
	}
}
