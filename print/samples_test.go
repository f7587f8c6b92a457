package print

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"cunjing/assets"
	"cunjing/print/fonts"
)

func testFont(t testing.TB) *fonts.Font {
	t.Helper()
	f, err := fonts.Find("")
	if err != nil {
		t.Skipf("no CJK font on this machine: %v", err)
	}
	return f
}

func testItems(t testing.TB) []assets.CostItem {
	t.Helper()
	items, err := assets.DefaultCostItems()
	if err != nil {
		t.Fatal(err)
	}
	items, err = assets.InForce(items, "2026-11-24")
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func testContact() Contact {
	return Contact{Post: "柳树村警务室", Station: "城关派出所", Officer: "王建国", Title: "社区民警", Phone: "13812345678", Address: "柳树村村委会东侧"}
}

func testBoard(t testing.TB, tpl Template, venue string) Board {
	return testBoardFor(t, tpl, SizeA4, venue)
}

// testBoardFor is the board with the items the template prints at sz.
func testBoardFor(t testing.TB, tpl Template, sz Size, venue string) Board {
	b := DefaultBoard(DefaultItemsFor(tpl, sz, testItems(t)), venue, testContact())
	b.Issuer = "城关派出所 宣"
	return b
}

// TestDocImages regenerates docs/img: every template at every size, plain
// and tiled (assembly index and first sheet), every leaflet and the card
// sheet, rendered by poppler from the real PDFs. Run with
//
//	CUNJING_DOC_IMG=$PWD/docs/img go test -tags sqlite_fts5 -run TestDocImages ./print
func TestDocImages(t *testing.T) {
	dir := os.Getenv("CUNJING_DOC_IMG")
	if dir == "" {
		t.Skip("set CUNJING_DOC_IMG to the folder for the renders")
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed")
	}
	font := testFont(t)
	tmp := t.TempDir()
	render := func(name string, pdf []byte, pages ...int) {
		t.Helper()
		p := filepath.Join(tmp, name+".pdf")
		if err := os.WriteFile(p, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		for i, pg := range pages {
			out := name
			if len(pages) > 1 {
				out = fmt.Sprintf("%s-%d", name, i+1)
			}
			res := "30"
			if pg == 0 { // the whole document is a single large page
				pg = 1
				res = "20"
			}
			args := []string{"-r", res, "-png", "-singlefile", "-f", fmt.Sprint(pg), "-l", fmt.Sprint(pg), p, filepath.Join(dir, out)}
			if b, err := exec.Command("pdftoppm", args...).CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm %s: %v\n%s", name, err, b)
			}
			// A 64-colour palette keeps the committed images about a
			// third of the size with no visible loss on flat layouts.
			if _, err := exec.LookPath("convert"); err == nil {
				png := filepath.Join(dir, out+".png")
				if b, err := exec.Command("convert", png, "-colors", "64", "PNG8:"+png).CombinedOutput(); err != nil {
					t.Fatalf("convert %s: %v\n%s", png, err, b)
				}
			}
		}
	}
	for _, tpl := range Templates() {
		for _, sz := range StandardSizes() {
			for _, tile := range []bool{false, true} {
				var buf bytes.Buffer
				l := Layout{Template: tpl, Size: sz, TileA4: tile}
				if err := WriteBoard(&buf, font, testBoardFor(t, tpl, sz, "张家小卖部"), l); err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("board-%s-%s", tpl, sz.Name)
				switch {
				case tile:
					render(name+"-tiled", buf.Bytes(), 1, 2)
				case sz.Paper:
					render(name, buf.Bytes(), 1)
				default:
					render(name, buf.Bytes(), 0)
				}
			}
		}
	}
	for _, topic := range assets.LeafletTopics {
		l, err := assets.DefaultLeaflet(topic)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []LeafletFormat{LeafletBifold, LeafletA5} {
			var buf bytes.Buffer
			if err := WriteLeaflet(&buf, font, l, f, testContact()); err != nil {
				t.Fatal(err)
			}
			render(fmt.Sprintf("leaflet-%s-%s", topic, f), buf.Bytes(), 1, 2)
		}
	}
	c2 := testContact()
	c2.Officer, c2.Phone, c2.Post = "李娜", "0371-12345678", "桃园村警务室"
	var buf bytes.Buffer
	if err := WriteCards(&buf, font, []Contact{testContact(), c2}, 5); err != nil {
		t.Fatal(err)
	}
	render("cards", buf.Bytes(), 1)
}
