package print

import (
	"bytes"
	"errors"
	"strings"
	"testing"

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
	c2.Officer, c2.Phone = "李娜", "0371-12345678"
	p := printtest.WriteTemp(t, "c.pdf", func(buf *bytes.Buffer) error { return WriteCards(buf, font, []Contact{testContact(), c2}, 6) })
	if n := printtest.PDFPages(t, p); n != 2 {
		t.Errorf("12 cards on %d pages, want 2", n)
	}
	printtest.CheckOneEmbeddedFont(t, p)
	text := printtest.Poppler(t, "pdftotext", "-f", "1", "-l", "1", p, "-")
	if n := strings.Count(text, "警民联系卡"); n != 10 {
		t.Errorf("page 1 has %d cards, want 10", n)
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
	if got := typeset.Phone("+86 138-1234-5678"); got != "138 1234 5678" {
		t.Errorf("formatPhone = %q", got)
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
