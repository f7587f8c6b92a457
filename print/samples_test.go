package print

import (
	"context"
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
	b := DefaultBoard(DefaultItems(tpl, testItems(t)), venue, testContact())
	b.Issuer = "城关派出所 宣"
	return b
}

// writePDF renders pages to dir/name.pdf.
func writeBoardPDF(t testing.TB, path string, font *fonts.Font, boards []Board, l Layout) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := WriteBoards(context.Background(), f, font, boards, l, DocInfo{}, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestScratchRender(t *testing.T) {
	dir := os.Getenv("CUNJING_SCRATCH")
	if dir == "" {
		t.Skip("set CUNJING_SCRATCH to a folder to write sample renders")
	}
	font := testFont(t)
	for _, tpl := range Templates() {
		for _, sz := range []Size{SizeA3, Size90x120} {
			for _, tile := range []bool{false, true} {
				name := string(tpl) + "-" + sz.Name
				if tile {
					name += "-tiled"
				}
				p := filepath.Join(dir, name+".pdf")
				writeBoardPDF(t, p, font, []Board{testBoard(t, tpl, "张家小卖部")}, Layout{Template: tpl, Size: sz, TileA4: tile})
				out, err := exec.Command("pdftoppm", "-r", "30", "-png", p, filepath.Join(dir, name)).CombinedOutput()
				if err != nil {
					t.Fatalf("%s: %v", out, err)
				}
			}
		}
	}
}

func TestScratchLeafletsCards(t *testing.T) {
	dir := os.Getenv("CUNJING_SCRATCH")
	if dir == "" {
		t.Skip("set CUNJING_SCRATCH to a folder to write sample renders")
	}
	font := testFont(t)
	for _, topic := range assets.LeafletTopics {
		l, err := assets.DefaultLeaflet(topic)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []LeafletFormat{LeafletBifold, LeafletA5} {
			p := filepath.Join(dir, "leaflet-"+topic+"-"+string(f)+".pdf")
			out, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := WriteLeaflet(out, font, l, f, testContact()); err != nil {
				t.Fatal(err)
			}
			out.Close()
		}
	}
	out, err := os.Create(filepath.Join(dir, "cards.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	c2 := testContact()
	c2.Officer, c2.Phone, c2.Post = "李娜", "0371-12345678", "桃园村警务室"
	if err := WriteCards(out, font, []Contact{testContact(), c2}, 5); err != nil {
		t.Fatal(err)
	}
	out.Close()
}
