package print

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"cunjing/assets"
	"cunjing/print/printtest"
	"cunjing/print/typeset"
)

func TestParse(t *testing.T) {
	sizes := []struct {
		in   string
		w, h float64
		name string
		err  string
	}{
		{"a4", 210, 297, "a4", ""},
		{" A3 ", 297, 420, "a3", ""},
		{"60x90", 600, 900, "60x90", ""},
		{"90×120", 900, 1200, "90x120", ""},
		{"600x900mm", 600, 900, "60x90", ""},
		{"45.5*60", 455, 600, "45.5x60", ""},
		{"40x60cm", 400, 600, "40x60", ""},
		{"10x10", 0, 0, "", "each side"},
		{"14.8x21", 0, 0, "", "each side must be 180"}, // A5: no template's text fits it
		{"18x25.5", 180, 255, "18x25.5", ""},
		{"300x90", 0, 0, "", "each side"},
		{"a5", 0, 0, "", "want a4"},
		{"axb", 0, 0, "", "numbers"},
		{"", 0, 0, "", "want a4"},
	}
	for _, c := range sizes {
		s, err := ParseSize(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseSize(%q) err %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || s.W != c.w || s.H != c.h || s.Name != c.name {
			t.Errorf("ParseSize(%q) = %+v, %v", c.in, s, err)
		}
	}
	for in, want := range map[string]LeafletFormat{"": LeafletBifold, "bifold": LeafletBifold, "A5": LeafletA5} {
		if got, err := ParseLeafletFormat(in); err != nil || got != want {
			t.Errorf("ParseLeafletFormat(%q) = %v, %v", in, got, err)
		}
	}
}

func TestLeaflets(t *testing.T) {
	font := printtest.Font(t)
	for _, topic := range assets.LeafletTopics {
		l, err := assets.DefaultLeaflet(topic)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []LeafletFormat{LeafletBifold, LeafletA5} {
			t.Run(topic+"-"+string(f), func(t *testing.T) {
				p := printtest.WriteTemp(t, "l.pdf", func(buf *bytes.Buffer) error { return WriteLeaflet(buf, font, l, f, testContact()) })
				if n := printtest.PDFPages(t, p); n != 2 {
					t.Errorf("pages %d", n)
				}
				printtest.CheckOneEmbeddedFont(t, p)
				text := printtest.Squash(printtest.Poppler(t, "pdftotext", p, "-"))
				want := []string{l.Title, l.Remember, "王建国", "13812345678"}
				for _, s := range l.Sections {
					want = append(want, s.Heading)
					want = append(want, s.Points...)
				}
				for _, w := range want {
					if !strings.Contains(text, printtest.Squash(w)) {
						t.Errorf("leaflet lacks %q", w)
					}
				}
			})
		}
	}
	l, _ := assets.DefaultLeaflet("fire")
	// A post named with its township (城关镇柳树村警务室) is named once:
	// the leaflet's issuer and contact read 城关镇 城关镇柳树村警务室.
	c := testContact()
	c.Station, c.Post = "城关镇", "城关镇柳树村警务室"
	p := printtest.WriteTemp(t, "l.pdf", func(buf *bytes.Buffer) error { return WriteLeaflet(buf, font, l, LeafletBifold, c) })
	if text := printtest.Squash(printtest.Poppler(t, "pdftotext", p, "-")); strings.Contains(text, "城关镇城关镇") || strings.Count(text, "城关镇柳树村警务室") != 2 {
		t.Errorf("the post's name on the leaflet: %d times, township twice: %v", strings.Count(text, "城关镇柳树村警务室"), strings.Contains(text, "城关镇城关镇"))
	}
	for i := 0; i < 6; i++ {
		l.Sections = append(l.Sections, l.Sections...)
	}
	var oe *OverflowError
	if err := WriteLeaflet(&bytes.Buffer{}, font, l, LeafletA5, testContact()); !errors.As(err, &oe) {
		t.Errorf("overlong leaflet: %v", err)
	}
	if err := WriteLeaflet(&bytes.Buffer{}, font, assets.Leaflet{Title: "x"}, LeafletA5, testContact()); err == nil {
		t.Error("empty leaflet accepted")
	}
}

func TestCards(t *testing.T) {
	font := printtest.Font(t)
	c2 := testContact()
	// The store keeps a landline as digits: the card sets off the area
	// code (it printed 037112345678, a number nobody reads aloud).
	c2.Officer, c2.Phone = "李娜", "037112345678"
	p := printtest.WriteTemp(t, "c.pdf", func(buf *bytes.Buffer) error { return WriteCards(buf, font, []Contact{testContact(), c2}, 6) })
	if n := printtest.PDFPages(t, p); n != 2 {
		t.Errorf("12 cards on %d pages, want 2", n)
	}
	printtest.CheckOneEmbeddedFont(t, p)
	text := printtest.Poppler(t, "pdftotext", "-f", "1", "-l", "1", p, "-")
	if n := strings.Count(text, "警民联系卡"); n != 10 {
		t.Errorf("page 1 has %d cards, want 10", n)
	}
	// A post's long name (30 characters) takes two lines: it was refused
	// ('does not fit in 52×6 mm even at 6.0 pt'), no card at all.
	c3 := testContact()
	c3.Post = "城关镇张庄村李家屯王家洼赵家坪联合警务室第一工作站点值班室"
	p3 := printtest.WriteTemp(t, "c3.pdf", func(buf *bytes.Buffer) error { return WriteCards(buf, font, []Contact{c3}, 1) })
	if text := printtest.Squash(printtest.Poppler(t, "pdftotext", p3, "-")); !strings.Contains(text, c3.Post) {
		t.Errorf("the card lacks its post's long name: %s", text)
	}
	text2 := printtest.Poppler(t, "pdftotext", "-f", "2", "-l", "2", p, "-")
	if n := strings.Count(text2, "0371-12345678"); n != 2 {
		t.Errorf("page 2 has %d of 李娜's cards, want 2", n)
	}
	if err := WriteCards(&bytes.Buffer{}, font, nil, 1); err == nil {
		t.Error("no contacts accepted")
	}
	if err := WriteCards(&bytes.Buffer{}, font, []Contact{{Officer: "x"}}, 1); err == nil || !strings.Contains(err.Error(), "phone") {
		t.Errorf("card without phone: %v", err)
	}
}

func TestQRPayload(t *testing.T) {
	c := testContact()
	c.Address = "东街1号;北侧,二楼"
	v, err := c.QRPayload()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"BEGIN:VCARD\r\n", "VERSION:3.0", "FN:王建国", "TEL;TYPE=WORK,VOICE:13812345678", `ADR;TYPE=WORK:;;东街1号\;北侧\,二楼;;;;`, "END:VCARD"} {
		if !strings.Contains(v, w) {
			t.Errorf("vCard lacks %q:\n%s", w, v)
		}
	}
	c.QR = "tel"
	if v, _ := c.QRPayload(); v != "tel:13812345678" {
		t.Errorf("tel payload %q", v)
	}
	if _, err := (Contact{QR: "tel"}).QRPayload(); err == nil {
		t.Error("tel without phone accepted")
	}
	for in, want := range map[string]string{"+86 138-1234-5678": "138 1234 5678", "037112345678": "0371-12345678",
		"03716123456": "0371-6123456", "01012345678": "010-12345678", "0101234567": "010-1234567",
		"02887654321": "028-87654321", "110": "110", "0371123": "0371123", "0371-1234567转8": "0371-1234567转8"} {
		if got := typeset.Phone(in); got != want {
			t.Errorf("Phone(%q) = %q, want %q", in, got, want)
		}
	}
	// The township once when the post's own name begins with it.
	for _, c := range []struct{ station, post, want string }{
		{"城关镇", "张庄村警务室", "城关镇 张庄村警务室"},
		{"城关镇", "城关镇张庄村警务室", "城关镇张庄村警务室"},
		{"", "张庄村警务室", "张庄村警务室"},
		{"城关镇", "", "城关镇"},
	} {
		if got := (Contact{Station: c.station, Post: c.post}).Org(); got != c.want {
			t.Errorf("Org(%q, %q) = %q, want %q", c.station, c.post, got, c.want)
		}
	}
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"a4", "60x90", "450x600mm", "1e9x1e9", "NaNxNaN", "-60x90", "60x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sz, err := ParseSize(s)
		if err != nil {
			return
		}
		if !(sz.W >= minSideMM && sz.W <= maxSideMM && sz.H >= minSideMM && sz.H <= maxSideMM) {
			t.Fatalf("ParseSize(%q) = %+v outside limits", s, sz)
		}
	})
}

func testContact() Contact {
	return Contact{Post: "柳树村警务室", Station: "城关派出所", Officer: "王建国", Title: "社区民警", Phone: "13812345678", Address: "柳树村村委会东侧"}
}

// TestRareCharactersInNames: names hold characters the usual CJK fonts
// lack (㙟, 䶮: Extension A) or that lie beyond U+FFFF (𠮷), where gofpdf's
// character map ends. A page with 𠮷 failed with index out of range
// [65536] (the resident sheet, the board, the map: any page with the
// name); 㙟 and 䶮 printed as nothing (wqy-microhei's .notdef is empty), so
// 欧阳䶮𠮷㙟 read 欧阳 with a gap. Each is now drawn (from a fallback font,
// or as a box when none has it), in the PDF and the preview, and the
// PDF's text still gives it.
func TestRareCharactersInNames(t *testing.T) {
	font := printtest.Font(t)
	const name = "欧阳䶮𠮷㙟"
	const pt, x0, base = 28.0, 5.0, 15.0
	pg := Page{W: 60, H: 40, Label: "rare", Draw: func(s Surface) error {
		s.Text(x0, base, pt, Style{Color: Black}, name)
		s.Text(x0, base+15, pt, Style{Color: Black, Bold: true}, name)
		return nil
	}}
	// Ink in each character's em box on both lines, at k px per mm.
	check := func(what string, img image.Image, k float64) {
		t.Helper()
		em := pt * typeset.PtMM
		for line := 0; line < 2; line++ {
			for i, r := range []rune(name) {
				x := x0 + float64(i)*em
				y := base + float64(line)*15
				ink := 0
				for py := int((y - 0.8*em) * k); py < int(y*k); py++ {
					for px := int((x + 0.1*em) * k); px < int((x+0.9*em)*k); px++ {
						if c := color.GrayModel.Convert(img.At(px, py)).(color.Gray); c.Y < 128 {
							ink++
						}
					}
				}
				if ink < 10 {
					t.Errorf("%s: %c (line %d) has %d dark pixels: not printed", what, r, line+1, ink)
				}
			}
		}
	}
	img, err := Rasterize(font, pg, 600)
	if err != nil {
		t.Fatal(err)
	}
	check("preview", img, 10)
	p := printtest.WriteTemp(t, "rare.pdf", func(buf *bytes.Buffer) error {
		return WritePDF(context.Background(), buf, font, DocInfo{}, []Page{pg}, nil)
	})
	if text := printtest.Squash(printtest.Poppler(t, "pdftotext", p, "-")); text != name+name {
		t.Errorf("pdftotext gives %q, want %q twice", text, name)
	}
	dir := t.TempDir()
	printtest.Poppler(t, "pdftoppm", "-r", "254", "-png", "-singlefile", p, filepath.Join(dir, "p"))
	f, err := os.Open(filepath.Join(dir, "p.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pdfImg, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	check("PDF", pdfImg, 10)
}

// A contact card's post name on two lines: the ink of its second line
// came within 1.6 mm of the officer's line below (3.0 mm now). Measured with the font's ink on the card as printed: at
// least 2 mm of paper under the name, on one line or two, and the name's
// two lines closer to each other than to the officer.
func TestCardPostNameClearOfTheOfficer(t *testing.T) {
	m, err := typeset.NewMetrics(printtest.Font(t).TTF)
	if err != nil {
		t.Fatal(err)
	}
	for _, post := range []string{"柳树村警务室", "城关镇张庄村李家屯王家洼赵家坪联合警务室第一站", "河南省周口市郸城县城关镇张庄村警务室第二警务工作站"} {
		c := TestContact()
		c.Post = post
		r := &plateRec{m: m}
		if err := drawCard(r, c, 0, 0); err != nil {
			t.Fatalf("%s: %v", post, err)
		}
		var name []recText
		var officer *recText
		for i, a := range r.texts {
			switch {
			case strings.Contains(post, a.s):
				name = append(name, a)
			case strings.Contains(a.s, c.Officer):
				officer = &r.texts[i]
			}
		}
		if officer == nil || len(name) == 0 || len(name) > 2 {
			t.Fatalf("%s: name drawn as %d lines, officer %v", post, len(name), officer)
		}
		ink := func(a recText) (top, bottom float64) {
			up, down := m.Ink(a.s, a.pt)
			return a.y - up, a.y + down
		}
		_, nb := ink(name[len(name)-1])
		ot, _ := ink(*officer)
		if gap := ot - nb; gap < 2 {
			t.Errorf("%s (%d lines): %.2f mm of paper between the name and the officer, want 2", post, len(name), gap)
		} else if len(name) == 2 {
			_, b1 := ink(name[0])
			t2, _ := ink(name[1])
			if t2-b1 >= gap {
				t.Errorf("%s: its two lines %.2f mm apart, the officer %.2f mm below: not one name", post, t2-b1, gap)
			}
			t.Logf("%s: %.2f mm between its lines, %.2f mm to the officer", post, t2-b1, gap)
		}
	}
}

// A name typed with combining marks prints as the name: pdftotext reads
// back the composed text, no 〓 or box stands in for a mark, and the text
// after the name starts where the composed name ends (a mark took an em).
func TestCombiningMarksPrintComposed(t *testing.T) {
	font := printtest.Font(t)
	m, err := typeset.NewMetrics(font.TTF)
	if err != nil {
		t.Fatal(err)
	}
	typed := "王 Zha\u0304ng Jose\u0301"
	if w, want := m.Width(typed, 12), m.Width("王 Zhāng José", 12); math.Abs(w-want) > 0.01 {
		t.Errorf("measured %.2f mm, the composed name %.2f", w, want)
	}
	pg := Page{W: 100, H: 30, Draw: func(s Surface) error {
		TextAt(s, 5, 90, 15, 12, Style{Color: Black}, 2, typed+"|")
		return nil
	}}
	p := printtest.WriteTemp(t, "marks.pdf", func(buf *bytes.Buffer) error {
		return WritePDF(context.Background(), buf, font, DocInfo{Title: "marks"}, []Page{pg}, nil)
	})
	if got := strings.TrimSpace(printtest.Poppler(t, "pdftotext", p, "-")); got != "王 Zhāng José|" {
		t.Errorf("pdftotext gives %+q", got)
	}
	// ê with a macron has no precomposed form, and wqy-microhei lacks
	// the macron: it is drawn from a fallback font (DejaVu Sans) or, with
	// none, not at all; either way the text keeps it, and the space after
	// it.
	typed = "ê\u0304 lu\u0308\u030c|"
	p = printtest.WriteTemp(t, "marks2.pdf", func(buf *bytes.Buffer) error {
		pg := Page{W: 100, H: 30, Draw: func(s Surface) error {
			s.Text(5, 15, 12, Style{Color: Black}, typed)
			return nil
		}}
		return WritePDF(context.Background(), buf, font, DocInfo{Title: "marks"}, []Page{pg}, nil)
	})
	if got := strings.TrimSpace(printtest.Poppler(t, "pdftotext", p, "-")); norm.NFC.String(got) != norm.NFC.String(typed) {
		t.Errorf("pdftotext gives %+q, want %+q", got, typed)
	}
}

// A leaflet's pages leave no panel half blank. The bi-fold's text was set
// at most at 15 pt, so a topic that fitted the two inside panels at that
// size left the back panel white above the contact box (fraud, theft and
// drowning: the page's top left quarter, 148×105 mm, without ink), and
// the fire leaflet's back a third of a panel high. The text now takes the
// largest size at which it fits, up to 20 pt, and the back panel's text
// what is left above the contact box.
func TestLeafletPanelsFilled(t *testing.T) {
	font := printtest.Font(t)
	for _, topic := range assets.LeafletTopics {
		l, err := assets.DefaultLeaflet(topic)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []LeafletFormat{LeafletBifold, LeafletA5} {
			pages, err := LeafletPages(l, f, testContact())
			if err != nil {
				t.Fatal(err)
			}
			for _, pg := range pages {
				img, err := Rasterize(font, pg, 600)
				if err != nil {
					t.Fatal(err)
				}
				// A window a panel's width less its margins and a quarter
				// of the page high.
				fw := 0.7
				if f == LeafletBifold {
					fw = 0.35
				}
				if r, ok := printtest.BlankWindow(img, fw, 0.25); ok {
					t.Errorf("%s %s: %v of the %v page is blank", topic, pg.Label, r, img.Bounds().Size())
				}
			}
		}
	}
}
