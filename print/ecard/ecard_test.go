package ecard

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"

	"cunjing/maps"
	"cunjing/maps/route"
	"cunjing/maps/synth"
	"cunjing/print/fonts"
	"cunjing/print/typeset"
)

var update = flag.Bool("update", false, "rewrite testdata/card.png, the golden image of the PNG card")

// testFont is wqy-microhei, the font the golden image was drawn with.
func testFont(t testing.TB) *fonts.Font {
	t.Helper()
	for _, p := range []string{"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"} {
		if f, err := fonts.Load(p); err == nil {
			return f
		}
	}
	t.Skip("the card is drawn with wqy-microhei: install fonts-wqy-microhei (make deps does)")
	return nil
}

var cardDay = time.Date(2026, 12, 4, 22, 15, 0, 0, time.FixedZone("CST", 8*3600)) // Beijing time, as the window's clock gives it

func age(n int) *int { return &n }

// testCard is a card for a house of a synthesized village, routed there.
func testCard(t testing.TB) (*Card, *maps.Village) {
	t.Helper()
	v, err := synth.Village(11, 120)
	if err != nil {
		t.Fatal(err)
	}
	h := v.Houses[len(v.Houses)/2]
	rt, err := route.Find(v, route.Options{To: h.Number})
	if err != nil {
		t.Fatal(err)
	}
	at := h.Polygon.Centroid()
	c := &Card{
		House:   House{ID: h.ID, Number: h.Number, X: at.X, Y: at.Y, Head: "王建国"},
		Route:   rt,
		Village: v.Name, Post: "张庄村警务室", Officer: "王建军", PostPhone: "13903921110", At: cardDay,
		People: []Person{
			{Name: "王秀英", Age: age(82), Needs: []string{"独居", "卧床"}},
			{Name: "王小明", Age: age(7), Needs: []string{"儿童"}},
			{Name: "王建国", Age: age(55), Needs: []string{}},
		},
		Phones: []Phone{{Name: "王建国", Relation: "户主", Phone: "13912345678"}, {Name: "李四", Relation: "邻居（12号）", Phone: "13812345678"}},
		OnDuty: []Duty{{Name: "张雨涵", Role: "辅警", Phone: "18282719279", Until: "2026-12-05 08:00"}},
	}
	c.Text = c.PlainText()
	return c, v
}

func TestCardText(t *testing.T) {
	c, _ := testCard(t)
	for _, want := range []string{
		"【紧急 " + c.Village + " " + c.House.Number + "号】", "户主 王建国", "2026-12-04 22:15",
		"消防车路线", c.Route.PhoneText(),
		"王秀英 82岁：独居、卧床", "王小明 7岁：儿童", "登记住在屋里的共3人",
		"户主 王建国 139 1234 5678", "邻居（12号） 李四 138 1234 5678",
		"张雨涵（辅警）182 8271 9279，到明天 08:00", "张庄村警务室 王建军 139 0392 1110",
		"火警 119　急救 120　报警 110",
	} {
		if !strings.Contains(c.Text, want) {
			t.Errorf("the text lacks %q:\n%s", want, c.Text)
		}
	}
	if strings.Contains(c.Text, "王建国 55岁") {
		t.Errorf("someone without needs is listed among those who need help:\n%s", c.Text)
	}
}

func TestUntilWords(t *testing.T) {
	for _, c := range []struct{ until, want string }{
		{"2026-12-04 23:00", " 23:00"},
		{"2026-12-05 08:00", "明天 08:00"},
		{"2026-12-07 08:00", "12月7日 08:00"},
		{"not a time", "not a time"},
	} {
		if got := untilWords(c.until, cardDay); got != c.want {
			t.Errorf("%s: %q, want %q", c.until, got, c.want)
		}
	}
}

func TestCardWithoutRouteSaysWhy(t *testing.T) {
	c := &Card{House: House{Number: "7"}, Village: "东村", RouteErr: "地图上没有巷道", At: cardDay}
	txt := c.PlainText()
	for _, want := range []string{"算不出消防车路线：地图上没有巷道", "没有登记需要帮助的人", "没有登记电话", "排班里现在没有人值班"} {
		if !strings.Contains(txt, want) {
			t.Errorf("lacks %q:\n%s", want, txt)
		}
	}
}

// TestPNGGolden compares the picture with testdata/card.png, both scaled
// to a third (tolerant: a pixel differs by more than 64 in a channel on
// at most 0.5 % of pixels, mean difference at most 3). -update rewrites it.
func TestPNGGolden(t *testing.T) {
	f := testFont(t)
	c, v := testCard(t)
	img, err := PNG(c, v, f)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != PNGWidth {
		t.Fatalf("width %d, want %d", img.Bounds().Dx(), PNGWidth)
	}
	// The red band, the map's middle and the red foot are where they go.
	if r, g, b, _ := img.At(5, 5).RGBA(); r>>8 != 0xc8 || g>>8 != 0x10 || b>>8 != 0x2e {
		t.Errorf("the title band is not red at the top: %x %x %x", r>>8, g>>8, b>>8)
	}
	small := image.NewRGBA(image.Rect(0, 0, img.Bounds().Dx()/3, img.Bounds().Dy()/3))
	xdraw.ApproxBiLinear.Scale(small, small.Bounds(), img, img.Bounds(), draw.Src, nil)
	golden := filepath.Join("testdata", "card.png")
	if *update {
		var buf bytes.Buffer
		if err := png.Encode(&buf, small); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	fh, err := os.Open(golden)
	if err != nil {
		t.Fatalf("%v (go test ./print/ecard -run PNGGolden -update writes it)", err)
	}
	defer fh.Close()
	want, err := png.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	differ, mean, err := imageDiff(small, want)
	if err == nil && (differ > 0.005 || mean > 3) {
		err = fmt.Errorf("%.2f%% of pixels differ, mean difference %.2f", differ*100, mean)
	}
	if err != nil {
		out := filepath.Join(t.TempDir(), "card.png")
		var buf bytes.Buffer
		_ = png.Encode(&buf, small)
		_ = os.WriteFile(out, buf.Bytes(), 0o644)
		t.Fatalf("PNG card: %v; drawn now: %s", err, out)
	}
}

func imageDiff(a, b image.Image) (float64, float64, error) {
	if a.Bounds().Size() != b.Bounds().Size() {
		return 1, 255, fmt.Errorf("size %v, golden %v", a.Bounds().Size(), b.Bounds().Size())
	}
	n, differ, sum := 0, 0, 0.0
	for y := 0; y < a.Bounds().Dy(); y++ {
		for x := 0; x < a.Bounds().Dx(); x++ {
			r1, g1, b1, _ := a.At(a.Bounds().Min.X+x, a.Bounds().Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(b.Bounds().Min.X+x, b.Bounds().Min.Y+y).RGBA()
			d := 0
			for _, p := range [][2]uint32{{r1, r2}, {g1, g2}, {b1, b2}} {
				v := int(p[0]>>8) - int(p[1]>>8)
				if v < 0 {
					v = -v
				}
				sum += float64(v)
				d = max(d, v)
			}
			if d > 64 {
				differ++
			}
			n++
		}
	}
	return float64(differ) / float64(n), sum / float64(3*n), nil
}

// TestPDFHasEveryCharacter: the A4 page is one page whose text
// (pdftotext) holds every character of the card's text.
func TestPDFHasEveryCharacter(t *testing.T) {
	f := testFont(t)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	c, v := testCard(t)
	checkPDFText(t, f, c, v)
}

// TestPDFOfABigHousehold: a household of fifteen, twelve of them old
// people and children (the houses that most need a card), with the
// neighbours' and the emergency contacts' phones, gets its one A4 page: it
// was refused ('does not fit in 186×123 mm even at 9.0 pt') with one line
// a person. Short lines now go in two columns when one does not fit.
func TestPDFOfABigHousehold(t *testing.T) {
	f := testFont(t)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	c, v := testCard(t)
	c.People = nil
	for i, n := range []string{"王秀英", "李桂兰", "王德胜", "张淑珍", "王老五", "刘凤英", "王小明", "王小红", "王小军", "王小丽", "王小刚", "王小燕", "王建国", "王建民", "赵丽娟"} {
		p := Person{Name: n, Age: age(70 + i), Needs: []string{"留守老人"}}
		switch {
		case i >= 12:
			p.Age, p.Needs = age(40+i), nil
		case i >= 6:
			p.Age, p.Needs = age(i), []string{"留守儿童"}
		}
		c.People = append(c.People, p)
	}
	c.Phones = []Phone{{Name: "王建国", Relation: "户主", Phone: "13912345678"}, {Name: "赵丽娟", Relation: "配偶", Phone: "13612345678"}}
	for i := range 4 {
		c.Phones = append(c.Phones, Phone{Name: fmt.Sprintf("孙海%c", '一'+rune(i)), Relation: "王秀英的紧急联系人", Phone: "13712345678"},
			Phone{Name: fmt.Sprintf("李俊%c", '一'+rune(i)), Relation: fmt.Sprintf("邻居（%d号）", 300+i), Phone: "13812345678"})
	}
	c.OnDuty = append(c.OnDuty, Duty{Name: "李振华", Role: "民警", Phone: "13646502479", Until: "2026-12-05 08:00"})
	c.Text = c.PlainText()
	checkPDFText(t, f, c, v)
}

// checkPDFText writes the card's PDF: one page whose text (pdftotext)
// holds every line of the card's text.
func checkPDFText(t *testing.T, f *fonts.Font, c *Card, v *maps.Village) {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePDF(context.Background(), &buf, f, c, v); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "card.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	got := squeeze(string(out))
	if n := strings.Count(string(out), "\f"); n != 1 {
		t.Errorf("%d pages, want 1", n)
	}
	for _, l := range strings.Split(c.PlainText(), "\n") {
		l = strings.Trim(l, "【】：")
		if !strings.Contains(got, squeeze(l)) {
			t.Errorf("pdftotext lacks %q", l)
		}
	}
}

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\t' || r == '　' || r == '\f' {
			return -1
		}
		return r
	}, s)
}

// A card too long for the page is refused with the overflow, never cut.
func TestPDFOverflowIsAnError(t *testing.T) {
	f := testFont(t)
	c, v := testCard(t)
	for i := range 80 {
		c.Phones = append(c.Phones, Phone{Name: fmt.Sprintf("邻居%d", i), Relation: "邻居", Phone: "13800000000"})
	}
	var oe *typeset.OverflowError
	if err := WritePDF(context.Background(), &bytes.Buffer{}, f, c, v); !errors.As(err, &oe) {
		t.Fatalf("a card of 82 phones: %v, want an overflow error", err)
	}
}

func TestNoFont(t *testing.T) {
	c, v := testCard(t)
	if _, err := PNG(c, v, nil); err == nil {
		t.Error("a picture without a font")
	}
	if err := WritePDF(context.Background(), &bytes.Buffer{}, nil, c, v); err == nil {
		t.Error("a PDF without a font")
	}
}

// TestPictureDrawsRareCharacters: the picture drew 㙟 and 䶮 (not in
// wqy-microhei) as the font's empty box, 欧阳▯▯ where the PDF card shows
// the name; it now draws them from the machine's fallback font, as the PDF
// does. Skipped where no fallback font has them.
func TestPictureDrawsRareCharacters(t *testing.T) {
	f := testFont(t)
	td, err := fontDrawer(f)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	has := false
	for _, fb := range f.Fallbacks() {
		if g, err := fb.GlyphIndex(&buf, '䶮'); err == nil && g != 0 {
			has = true
		}
	}
	if !has {
		t.Skip("no fallback font with 䶮 on this machine (Droid Sans Fallback, Noto CJK …)")
	}
	draw := func(s string) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, 120, 60))
		draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
		td.draw(img, 10, 45, 44, colInk, false, s)
		return img
	}
	dark := func(img *image.RGBA) int {
		n := 0
		for i := 0; i < len(img.Pix); i += 4 {
			if img.Pix[i] < 128 {
				n++
			}
		}
		return n
	}
	// 䶮 (龍 under 天) is a dense character: far more ink than a box.
	notdef, rare := dark(draw(string(rune(0xE000)))), dark(draw("䶮"))
	if rare < 3*notdef || rare < 200 {
		t.Errorf("䶮 drawn with %d dark pixels, the empty box %d: not the character", rare, notdef)
	}
}

// TestPictureDamagedFallbackFont: the picture's text drawer takes a
// character its font lacks from a fallback font as the PDF does, and a
// damaged one (hmtx all 0xFF) must not be used there either: its advances
// (below 0, or some 65 em) broke the name's lines wrongly and drew its
// characters over each other. Here the main font lacks 张 and the only
// fallback is the machine's CJK font with its advances overwritten.
func TestPictureDamagedFallbackFont(t *testing.T) {
	f := testFont(t)
	d := append([]byte(nil), f.TTF...)
	if string(d[:4]) == "ttcf" {
		t.Skip("the machine's font is a collection")
	}
	damaged := false
	for i, n := 0, int(binary.BigEndian.Uint16(d[4:])); i < n; i++ {
		if e := d[12+16*i:]; string(e[:4]) == "hmtx" {
			off, ln := binary.BigEndian.Uint32(e[8:]), binary.BigEndian.Uint32(e[12:])
			for j := off; j < off+ln; j++ {
				d[j] = 0xFF
			}
			damaged = true
		}
	}
	fb, err := sfnt.Parse(d)
	if !damaged || err != nil {
		t.Skipf("no hmtx to damage (%v)", err)
	}
	td, err := newTextDrawer(goregular.TTF, func() []*sfnt.Font { return []*sfnt.Font{fb} })
	if err != nil {
		t.Fatal(err)
	}
	if w := td.Width("张", 44); w <= 0 || w > 1.5*44 {
		t.Errorf("张 from a damaged fallback font is %.1f px wide at 44 px", w)
	}
}
