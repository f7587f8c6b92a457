package mapsheet

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The house index pages left the bottom ~40% of every page white: the
// houses were shared out evenly over as many pages as 5.2 mm rows needed,
// so the demo 张庄村's 320 houses were two A3 pages of 40 rows a column
// where 72 fit (ink down to 58% of the page inside its margins). Rendered
// by poppler, the ink of every index page now reaches at least 85% of the
// way down the page inside its margins; every house is listed once, and
// each page's heading counts the index pages there are.
func TestHouseIndexFillsItsPages(t *testing.T) {
	for _, bin := range []string{"pdftoppm", "pdftotext"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s not installed", bin)
		}
	}
	for _, tc := range []struct {
		name string
		n    int
		opt  Options
	}{
		{"demo-320", 320, Options{}},             // A3: the demo post's 张庄村
		{"a4-320", 320, Options{Paper: PaperA4}}, // tiled on A4: a 图幅/页 column
		{"a4-200", 200, Options{Paper: PaperA4, Scale: 5000}},
		{"large-1200", 1200, Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := village(t, tc.n)
			tc.opt.Date, tc.opt.Post = day, "城关派出所"
			in := writeFile(t, write(t, "index-"+tc.name+".pdf", v, tc.opt))
			txt, err := exec.Command("pdftotext", "-layout", in, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			pages := strings.Split(string(txt), "\f")
			heading := regexp.MustCompile(`房屋索引（门牌号 → 户主），共 (\d+) 户，第 (\d+)/(\d+) 页`)
			var index []int // 1-based page numbers of the index pages
			for i, pg := range pages {
				m := heading.FindStringSubmatch(pg)
				if m == nil {
					continue
				}
				index = append(index, i+1)
				if m[1] != fmt.Sprint(len(v.Houses)) || m[2] != fmt.Sprint(len(index)) {
					t.Errorf("page %d's heading %q", i+1, m[0])
				}
			}
			if len(index) == 0 {
				t.Fatal("no house index pages")
			}
			for _, i := range index {
				if m := heading.FindStringSubmatch(pages[i-1]); m[3] != fmt.Sprint(len(index)) {
					t.Errorf("page %d says %s index pages, there are %d", i, m[3], len(index))
				}
			}
			// Every house once: its number at the start of an entry.
			entry := regexp.MustCompile(`(?:^|\s)(\d+(?:-\d+)?)\s+\p{Han}`)
			seen := map[string]int{}
			for _, i := range index {
				pg := heading.ReplaceAllString(pages[i-1], "")
				for _, m := range entry.FindAllStringSubmatch(pg, -1) {
					seen[m[1]]++
				}
			}
			for _, h := range v.Houses {
				if seen[h.Number] != 1 {
					t.Errorf("house %s listed %d times", h.Number, seen[h.Number])
				}
			}
			const dpi = 40.0
			for k, i := range index {
				img := renderPage(t, in, i, dpi)
				b := img.Bounds()
				bottom := inkBottom(img)
				hmm := float64(b.Dy()) / dpi * 25.4
				used := (float64(bottom)/dpi*25.4 - margin) / (hmm - 2*margin)
				t.Logf("index page %d/%d (PDF page %d): ink down to %.0f%% of the page inside its margins", k+1, len(index), i, used*100)
				if used < 0.85 {
					t.Errorf("index page %d/%d: ink reaches %.0f%% of the page inside its margins, want ≥ 85%%", k+1, len(index), used*100)
				}
			}
		})
	}
}

// writeFile writes pdf into a temporary file and names it.
func writeFile(t *testing.T, pdf []byte) string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "s.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return in
}

// renderPage renders page (1-based) of the PDF at dpi.
func renderPage(t *testing.T, pdf string, page int, dpi float64) image.Image {
	t.Helper()
	dir := t.TempDir()
	p := fmt.Sprint(page)
	if out, err := exec.Command("pdftoppm", "-r", fmt.Sprint(dpi), "-f", p, "-l", p, "-png", "-singlefile", pdf, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "p.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// inkBottom is the lowest pixel row holding ink (darker than near white).
func inkBottom(img image.Image) int {
	b := img.Bounds()
	for y := b.Max.Y - 1; y >= b.Min.Y; y-- {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bb, _ := img.At(x, y).RGBA(); r < 0xe800 || g < 0xe800 || bb < 0xe800 {
				return y - b.Min.Y + 1
			}
		}
	}
	return 0
}

// TestPlanIndexFills: for every village up to 3,000 houses on A4 and A3,
// the house index's table fills at least 85% of each page's height under
// the heading, unless its rows are already as tall as they go in the
// fewest columns (a short list); no column holds more rows than fit,
// every row is on a page, and no more pages are used than the smallest
// rows in the most columns need.
func TestPlanIndexFills(t *testing.T) {
	for _, paper := range []struct {
		name         string
		w, h         float64
		most, fewest int
	}{{"A4", 210, 297, 3, 2}, {"A3", 297, 420, 4, 3}} {
		avail := paper.h - (margin + headerH + 2) - margin
		capacity := paper.most * (int(avail/minIndexRow) - 1)
		for n := 1; n <= 3000; n++ {
			ip := planIndex(n, paper.w, avail)
			if want := (n + capacity - 1) / capacity; len(ip.share) != want {
				t.Fatalf("%s, %d houses: %d pages, want %d", paper.name, n, len(ip.share), want)
			}
			if ip.rowH < minIndexRow-1e-9 || ip.rowH > maxIndexRow+1e-9 || ip.cols < paper.fewest || ip.cols > paper.most {
				t.Fatalf("%s, %d houses: %d columns of %.2f mm rows", paper.name, n, ip.cols, ip.rowH)
			}
			next := 0
			for p, cols := range ip.share {
				down := 0
				for _, c := range cols {
					if c[0] != next {
						t.Fatalf("%s, %d houses: page %d skips rows", paper.name, n, p+1)
					}
					next = c[1]
					down = max(down, c[1]-c[0])
				}
				used := float64(down+1) * ip.rowH
				if used > avail+1e-6 {
					t.Fatalf("%s, %d houses: page %d's %d rows of %.2f mm need %.1f mm, %.1f there", paper.name, n, p+1, down, ip.rowH, used, avail)
				}
				short := ip.rowH >= maxIndexRow-1e-9 && ip.cols == paper.fewest
				if used < 0.85*avail && !short {
					t.Errorf("%s, %d houses: page %d of %d filled %.0f%% (%d columns of %d rows of %.2f mm)", paper.name, n, p+1, len(ip.share), 100*used/avail, ip.cols, down, ip.rowH)
				}
			}
			if next != n {
				t.Fatalf("%s, %d houses: %d listed", paper.name, n, next)
			}
		}
	}
}
