package mapsheet

import (
	"fmt"
	"image"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"cunjing/maps"
	"cunjing/maps/synth"
	"cunjing/print/printtest"
	"cunjing/print/typeset"
)

// On a tiled sheet's index page the tile names (A2  第5页) lay where tiles
// overlap, across the next tile's frame, the houses and the lanes, and read
// as struck through. Each name is now on white: rendered by poppler, inside
// every name's box there is nothing but paper and the name's own blue.
func TestIndexNamesOnWhite(t *testing.T) {
	for _, bin := range []string{"pdftoppm", "pdftotext"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s not installed", bin)
		}
	}
	in := writeFile(t, write(t, "tiled-index.pdf", village(t, 3000), Options{Post: "城关派出所", Date: day}))
	const dpi = 150.0
	img := renderPage(t, in, 1, dpi)
	box, err := exec.Command("pdftotext", "-bbox", "-f", "1", "-l", "1", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	// Each tile name is "A1" and "第2页", two words; the box spans both.
	word := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	ws := word.FindAllStringSubmatch(string(box), -1)
	label := regexp.MustCompile(`^[A-Z][0-9]+$`)
	page := regexp.MustCompile(`^第[0-9]+页$`)
	px := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v / 72 * dpi }
	n := 0
	for i := 0; i+1 < len(ws); i++ {
		if !label.MatchString(ws[i][5]) || !page.MatchString(ws[i+1][5]) {
			continue
		}
		n++
		r := image.Rect(int(px(ws[i][1]))+1, int(px(ws[i][2]))+1, int(px(ws[i+1][3]))-1, int(px(ws[i+1][4]))-1)
		foreign := 0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				c, g, b, _ := img.At(x, y).RGBA()
				c, g, b = c>>8, g>>8, b>>8
				paper := c > 235 && g > 235 && b > 235
				// The blue name and its antialiasing towards white: blue
				// the strongest channel, red the weakest.
				blue := b >= g && g >= c && b >= c+8
				if !paper && !blue {
					foreign++
				}
			}
		}
		if foreign > 0 {
			t.Errorf("%s %s: %d pixels of other ink inside its box %v", ws[i][5], ws[i+1][5], foreign, r)
		}
	}
	if n < 4 {
		t.Fatalf("found %d tile names on the index page", n)
	}
}

// The house index held 144 houses an A4 page (three columns of 48): a
// village of 145 printed a second index page with one house on it. The
// houses are shared out evenly: two pages of 73 and 72. Since the rows
// shrink to fill a page (planIndex: down to 4.5 mm, 168 houses an A4
// page), 145 houses are one page and 169 are two, of 85 and 84, not 168
// and one.
func TestHouseIndexPagesEven(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want int // pages
	}{{145, 1}, {169, 2}} {
		v := village(t, tc.n)
		if len(v.Houses) != tc.n {
			t.Fatalf("%d houses", len(v.Houses))
		}
		txt := pdftotext(t, write(t, fmt.Sprintf("index-%d.pdf", tc.n), v, Options{Post: "城关派出所", Date: day, Paper: PaperA4}))
		entry := regexp.MustCompile(`(?:^|\s)\d+(?:-\d+)?\s+\p{Han}`)
		var counts []int
		for _, pg := range strings.Split(txt, "\f") {
			if strings.Contains(pg, "房屋索引") {
				pg = strings.ReplaceAll(pg, fmt.Sprintf("共 %d 户", tc.n), "") // the heading's count
				counts = append(counts, len(entry.FindAllString(pg, -1)))
			}
		}
		sum, lo, hi := 0, tc.n, 0
		for _, c := range counts {
			sum, lo, hi = sum+c, min(lo, c), max(hi, c)
		}
		if len(counts) != tc.want || sum != tc.n || hi-lo > 3 {
			t.Errorf("%d houses: index pages hold %v houses, want %d even pages", tc.n, counts, tc.want)
		}
	}
}

// TestIndexShare: the house index shares its rows over its pages and, on
// each page, over its columns so that no two pages and no two columns
// differ by more than one row (301 houses on three A4 pages of 135 were
// 101, 101 and 99; 73 rows in three columns were 25, 25 and 23).
func TestIndexShare(t *testing.T) {
	cases := []struct {
		rows, perCol, cols int
		wantPages          []int // rows on each page
	}{
		{301, 45, 3, []int{101, 100, 100}},
		{145, 48, 3, []int{73, 72}},
		{144, 48, 3, []int{144}},
		{10, 48, 3, []int{10}},
		{1, 48, 4, []int{1}},
		{0, 48, 3, nil},
		{1000, 70, 4, []int{250, 250, 250, 250}},
		{1001, 70, 4, []int{251, 250, 250, 250}},
	}
	for _, c := range cases {
		pages := indexShare(c.rows, c.perCol, c.cols)
		var got []int
		next := 0
		for p, cols := range pages {
			n, lo, hi := 0, c.perCol+1, -1
			for _, col := range cols {
				if col[0] != next {
					t.Errorf("%d rows: page %d column starts at %d, want %d", c.rows, p+1, col[0], next)
				}
				k := col[1] - col[0]
				if k > c.perCol {
					t.Errorf("%d rows: page %d has a column of %d rows, at most %d fit", c.rows, p+1, k, c.perCol)
				}
				lo, hi = min(lo, k), max(hi, k)
				n += k
				next = col[1]
			}
			if len(cols) > c.cols || hi-lo > 1 {
				t.Errorf("%d rows: page %d columns %v (at most %d, differing by one row at most)", c.rows, p+1, cols, c.cols)
			}
			got = append(got, n)
		}
		if next != c.rows || fmt.Sprint(got) != fmt.Sprint(c.wantPages) {
			t.Errorf("%d rows, %d×%d a page: pages of %v rows (ending at %d), want %v", c.rows, c.perCol, c.cols, got, next, c.wantPages)
		}
	}
}

// The tiles' names on the index page sat in each tile's top left corner on
// white: every name below the top row lay over the village and hid its
// houses and lanes (on the demo 张庄村 at A4 1:1000, A2, B2 and C2: 18
// houses and lanes' bounds under the boxes). Each name now takes the
// corner of its tile where its white box hides the fewest: none there.
func TestIndexNamesHideLittle(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    *maps.Village
		opt  Options
		max  int
	}{
		{"zhang-a4-1000", synthVillage(t, 1, 320), Options{Paper: PaperA4, Scale: 1000}, 0},
		// Inside a large dense village every corner of an inner tile is
		// houses (B2, C2): 200 hidden before, 60 now.
		{"synth-3000", village(t, 3000), Options{}, 60},
	} {
		tc.opt.Date, tc.opt.NoIndex = day, true
		l, err := plan(tc.v, tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.tiles) < 4 {
			t.Fatalf("%s: %d tiles", tc.name, len(l.tiles))
		}
		m, err := typeset.NewMetrics(printtest.Font(t).TTF)
		if err != nil {
			t.Fatal(err)
		}
		vp := l.indexView()
		hidden := 0
		for _, lb := range l.indexLabels(vp, func(s string) float64 { return m.Width(s, indexLabelPt) }) {
			if n := l.hiddenBy(vp, lb.box); n > 0 {
				hidden += n
				t.Logf("%s: %s hides %d", tc.name, lb.text, n)
			}
		}
		if hidden > tc.max {
			t.Errorf("%s: the %d tile names hide %d houses, landmarks and lanes, want at most %d", tc.name, len(l.tiles), hidden, tc.max)
		}
	}
}

func synthVillage(t *testing.T, seed int64, n int) *maps.Village {
	t.Helper()
	v, err := synth.Village(seed, n)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
