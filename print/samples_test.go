package print_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"cunjing/assets"
	"cunjing/print"
	"cunjing/print/costboard"
	"cunjing/print/printtest"
)

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
	font := printtest.Font(t)
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
	for _, tpl := range costboard.Templates() {
		for _, sz := range print.StandardSizes() {
			for _, tile := range []bool{false, true} {
				var buf bytes.Buffer
				l := costboard.Layout{Template: tpl, Size: sz, TileA4: tile}
				if err := costboard.Write(&buf, font, docBoard(t, tpl, sz), l); err != nil {
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
		for _, f := range []print.LeafletFormat{print.LeafletBifold, print.LeafletA5} {
			var buf bytes.Buffer
			if err := print.WriteLeaflet(&buf, font, l, f, print.TestContact()); err != nil {
				t.Fatal(err)
			}
			render(fmt.Sprintf("leaflet-%s-%s", topic, f), buf.Bytes(), 1, 2)
		}
	}
	c2 := print.TestContact()
	c2.Officer, c2.Phone, c2.Post = "李娜", "0371-12345678", "桃园村警务室"
	var buf bytes.Buffer
	if err := print.WriteCards(&buf, font, []print.Contact{print.TestContact(), c2}, 5); err != nil {
		t.Fatal(err)
	}
	render("cards", buf.Bytes(), 1)
}

// docBoard is the board of the pictures: the items the template prints at
// sz, for a village shop.
func docBoard(t *testing.T, tpl costboard.Template, sz print.Size) costboard.Board {
	b := costboard.Default(costboard.DefaultItemsFor(context.Background(), tpl, sz, printtest.CostItems(t)), "张家小卖部", print.TestContact())
	b.Issuer = "城关派出所 宣"
	return b
}
