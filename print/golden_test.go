package print_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"cunjing/assets"
	"cunjing/maps/synth"
	"cunjing/print"
	"cunjing/print/costboard"
	"cunjing/print/duty"
	"cunjing/print/fonts"
	"cunjing/print/mapsheet"
	"cunjing/print/printtest"
	"cunjing/print/sheet"
	"cunjing/print/typeset"
)

// Golden images (docs/PRINTING.md): every print type is rendered from its
// PDF by poppler at low resolution and compared with a reviewed image in
// testdata/golden. `make goldens` (go test ./print -run TestGolden -update)
// rewrites them; the commit that changes them shows the images for review.
var update = flag.Bool("update", false, "rewrite the golden images in testdata/golden")

// Tolerance: a pixel differs when a channel differs by more than
// goldenPixelDelta; a page matches when at most goldenMaxDiffer of its
// pixels differ and the mean absolute difference over all channels is at
// most goldenMaxMean (0–255). Poppler versions antialias edges a little
// differently; a moved line, a lost character or a colour change exceeds
// both.
const (
	goldenPixelDelta = 64
	goldenMaxDiffer  = 0.001
	goldenMaxMean    = 2.0
	goldenLongSidePx = 420 // pages are rendered so the long side is at most this
	goldenMaxDPI     = 36
)

const goldenDir = "testdata/golden"

// goldenFont is wqy-microhei, the font the goldens were made with; its
// face's sha256 is in testdata/golden/FONT.
func goldenFont(t *testing.T) *fonts.Font {
	t.Helper()
	var f *fonts.Font
	for _, p := range []string{"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"} {
		if ff, err := fonts.Load(p); err == nil {
			f = ff
			break
		}
	}
	if f == nil {
		t.Skip("golden images are drawn with wqy-microhei: install fonts-wqy-microhei (make deps does)")
	}
	for _, tool := range []string{"pdftoppm", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s (poppler-utils) not installed", tool)
		}
	}
	sum := sha256.Sum256(f.TTF)
	got := hex.EncodeToString(sum[:])
	want, _ := os.ReadFile(filepath.Join(goldenDir, "FONT"))
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(goldenDir, "FONT"), []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if strings.TrimSpace(string(want)) != got {
		t.Fatalf("the goldens were made with wqy-microhei %s, this machine's is %s: run make goldens and review the images", strings.TrimSpace(string(want)), got)
	}
	return f
}

// printable is one print type: its PDF, and the names, numbers and amounts
// pdftotext must return from it.
type printable struct {
	name  string
	pdf   func(ctx context.Context, f *fonts.Font) ([]byte, error)
	pages []int // 1-based pages to compare; nil: all
	text  []string
}

var goldenDay = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func boardPDF(tpl costboard.Template, sz print.Size, marks bool) func(ctx context.Context, f *fonts.Font) ([]byte, error) {
	return func(ctx context.Context, f *fonts.Font) ([]byte, error) {
		var buf bytes.Buffer
		b := goldenBoard(ctx, tpl, sz)
		err := costboard.WriteAll(ctx, &buf, f, []costboard.Board{b}, costboard.Layout{Template: tpl, Size: sz, Marks: marks}, print.DocInfo{Title: b.Title, Created: goldenDay}, nil)
		return buf.Bytes(), err
	}
}

func goldenBoard(ctx context.Context, tpl costboard.Template, sz print.Size) costboard.Board {
	items, _ := assets.DefaultCostItems()
	items, _ = assets.InForce(items, "2026-11-24")
	b := costboard.Default(costboard.DefaultItemsFor(ctx, tpl, sz, items), "张家小卖部", print.TestContact())
	b.Issuer = "城关派出所 宣"
	return b
}

// boardText is what a board must print: its fixed wording, the contact and
// every item's text and amount.
func boardText(tpl costboard.Template, sz print.Size) []string {
	b := goldenBoard(context.Background(), tpl, sz)
	out := []string{b.Title, b.Subtitle, b.Venue, b.Slogan, b.Contact.Officer, "13812345678", "110",
		// The footer, broken over lines by the typesetter (起施 / 行 once).
		"法律依据：《治安管理处罚法》（2025年修订，2026年1月1日起施行）第五十一", "《刑法》（2023年修正，2024年3月1日起施行）第二百三十四", "数额核对日期：2026-11-24"}
	for _, it := range b.Items {
		out = append(out, it.Text)
		if a := costboard.FormatAmount(it); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// The duty table of issue #17: the names that lost characters in wrapped
// cells, in narrow columns.
var dutyNames = []string{"赵保田", "赵长江", "马志刚", "胡浩然", "杨玉兰", "王金山"}

func dutyTable(days int) duty.Table {
	t := duty.Table{Title: "张庄村警务室值班表", Period: "2026年12月", Footer: "张庄村警务室 民警 王建军 13903921110 报警 110 打印于 2026-11-24", Printed: goldenDay,
		Contacts: []duty.Person{{Name: "赵保田", Role: "村警", Phone: "15015036401"}, {Name: "赵长江", Role: "辅警", Phone: "19934776310"}, {Name: "马志刚", Role: "网格员", Phone: "13512345678"}}}
	if days == 7 {
		t.Period = "2026年12月7日–13日"
	}
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	if days == 7 {
		start = time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	}
	for i := range days {
		d := duty.Day{Date: start.AddDate(0, 0, i), Lunar: "初" + string([]rune("一二三四五六七八九十")[i%10]), Market: i%5 == 1}
		d.Entries = append(d.Entries,
			duty.Entry{Start: "07:00", End: "08:00", Rule: "护学岗", Team: "警务室", People: dutyNames[:4]},
			duty.Entry{Start: "08:00", End: "08:00", Rule: "24小时值班", Team: "第二巡逻队", People: dutyNames[i%6 : i%6+1]},
			duty.Entry{Start: "19:00", End: "21:00", Rule: "每日巡逻", Team: "第一巡逻队", People: dutyNames[2:], Alert: i == 3},
		)
		if i == 4 {
			d.Notes = []string{"元旦前夜加巡"}
		}
		t.Days = append(t.Days, d)
	}
	return t
}

func goldenSheet() sheet.Sheet {
	return sheet.Sheet{
		Village: "张庄村", Number: "203", Address: "河南省滑县城关镇张庄村东街203号", Owner: "张建国", OwnerPhone: "13812345678",
		HouseType: "平房", HouseUse: "住宅", Structure: "砖混", AreaM2: 126.5, Status: "自住", GridCell: "第三网格",
		Categories: []string{"党员", "留守老人"}, Warning: "橙", Notes: "老人独自在家时间长，重点关注用电安全",
		Members: []sheet.Member{
			{Name: "张建国", Relation: "户主", Gender: "男", BirthDate: "1952-04-08", IDNumber: "4105**********0013", Phone: "13812345678", CensusStatus: "人户一致", Categories: []string{"党员"}},
			{Name: "李秀英", Relation: "妻子", Gender: "女", BirthDate: "1955-12-31", IDNumber: "4105**********0024", Phone: "13912345678", CensusStatus: "人户一致", Categories: []string{"留守老人"}},
			{Name: "欧阳小明", Relation: "子", Gender: "男", BirthDate: "1980-01-01", IDNumber: "4105**********0011", Phone: "13700001111", CensusStatus: "人在户不在", Occupation: "郑州务工", Notes: "每年春节回家，平时电话联系，孙女由老人照看"},
		},
		Visits: []sheet.Visit{{Date: "2026-02-20", Officer: "王建军", Notes: "春节后回访，老人身体尚好，已检查电暖器线路"}},
	}
}

func printables() []printable {
	var ps []printable
	for _, tpl := range costboard.Templates() {
		ps = append(ps, printable{name: "board-" + string(tpl) + "-a4", pdf: boardPDF(tpl, print.SizeA4, false), text: boardText(tpl, print.SizeA4)})
	}
	ps = append(ps,
		printable{name: "board-table-a4-marks", pdf: boardPDF(costboard.TemplateTable, print.SizeA4, true), text: []string{"按角线裁切"}},
		printable{name: "board-table-60x90", pdf: boardPDF(costboard.TemplateTable, print.Size60x90, false), text: boardText(costboard.TemplateTable, print.Size60x90)},
		printable{name: "board-table-90x120", pdf: boardPDF(costboard.TemplateTable, print.Size90x120, false), text: boardText(costboard.TemplateTable, print.Size90x120)},
		printable{name: "board-poster-a3-tiled", pdf: func(ctx context.Context, f *fonts.Font) ([]byte, error) {
			var buf bytes.Buffer
			b := goldenBoard(ctx, costboard.TemplatePoster, print.SizeA3)
			err := costboard.WriteAll(ctx, &buf, f, []costboard.Board{b}, costboard.Layout{Template: costboard.TemplatePoster, Size: print.SizeA3, TileA4: true}, print.DocInfo{Title: b.Title, Created: goldenDay}, nil)
			return buf.Bytes(), err
		}, pages: []int{1, 2}, text: []string{"拼贴说明", "A1", "粘贴"}},
	)
	for _, topic := range []string{"fire", "fraud"} {
		l, _ := assets.DefaultLeaflet(topic)
		want := []string{l.Title, l.Remember, "王建国", "13812345678"}
		for _, s := range l.Sections {
			want = append(want, s.Heading)
			want = append(want, s.Points...)
		}
		format := print.LeafletBifold
		if topic == "fraud" {
			format = print.LeafletA5
		}
		ps = append(ps, printable{name: "leaflet-" + topic + "-" + string(format), pdf: func(ctx context.Context, f *fonts.Font) ([]byte, error) {
			pages, err := print.LeafletPages(l, format, print.TestContact())
			if err != nil {
				return nil, err
			}
			var buf bytes.Buffer
			err = print.WritePDF(ctx, &buf, f, print.DocInfo{Title: l.Title, Created: goldenDay}, pages, nil)
			return buf.Bytes(), err
		}, text: want})
	}
	c2 := print.TestContact()
	c2.Officer, c2.Phone, c2.Post = "欧阳秀英", "0371-12345678", "桃园村警务室"
	ps = append(ps, printable{name: "cards", pdf: func(ctx context.Context, f *fonts.Font) ([]byte, error) {
		pages, err := print.CardPages([]print.Contact{print.TestContact(), c2}, 5)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		err = print.WritePDF(ctx, &buf, f, print.DocInfo{Title: "警民联系卡", Created: goldenDay}, pages, nil)
		return buf.Bytes(), err
	}, text: []string{"王建国", "13812345678", "欧阳秀英", "0371-12345678", "桃园村警务室", "柳树村警务室"}})
	for _, days := range []int{7, 31} {
		want := append([]string{"张庄村警务室值班表", "15015036401", "19934776310", "元旦前夜加巡"}, dutyNames...)
		ps = append(ps, printable{name: fmt.Sprintf("duty-%d", days), pdf: func(ctx context.Context, f *fonts.Font) ([]byte, error) {
			var buf bytes.Buffer
			err := duty.WritePDF(ctx, &buf, f, dutyTable(days))
			return buf.Bytes(), err
		}, text: want})
	}
	sh := goldenSheet()
	shText := []string{sh.Owner, sh.Number, sh.OwnerPhone, "内部资料"}
	for _, m := range sh.Members {
		shText = append(shText, m.Name, m.IDNumber, m.Phone, m.Notes)
	}
	ps = append(ps, printable{name: "sheet", pdf: func(ctx context.Context, f *fonts.Font) ([]byte, error) {
		var buf bytes.Buffer
		err := sheet.WritePDF(ctx, &buf, f, []sheet.Sheet{sh, {Village: "李家屯", Number: "附1", Address: "李家屯村口"}}, sheet.Options{Post: "张庄村警务室", Printed: goldenDay})
		return buf.Bytes(), err
	}, text: append(shText, "李家屯附1")})
	v, err := synth.Village(3, 60)
	if err == nil {
		var names []string
		for _, h := range v.Houses {
			if h.Name != "" {
				names = append(names, h.Name)
			}
		}
		ps = append(ps, printable{name: "mapsheet", pdf: func(ctx context.Context, f *fonts.Font) ([]byte, error) {
			var buf bytes.Buffer
			err := mapsheet.WritePDF(ctx, &buf, f, v, mapsheet.Options{Post: "城关派出所东街警务室", Date: goldenDay})
			return buf.Bytes(), err
		}, text: append([]string{v.Name + "房屋分布图", "城关派出所东街警务室"}, names...)})
	}
	return ps
}

// TestGolden renders every print type and compares it with its reviewed
// image; pdftotext must return every name, number and amount it was
// given. It also records every box the layouts fitted text into, and
// feeds random text through each (the line breaker's property test on
// the real cells). CUNJING_GOLDEN_PDF=DIR keeps the PDFs in DIR.
func TestGolden(t *testing.T) {
	f := goldenFont(t)
	var cells []typeset.Cell
	ctx := typeset.WithFitObserver(context.Background(), func(c typeset.Cell) { cells = append(cells, c) })
	dir := t.TempDir()
	for _, p := range printables() {
		pdf, err := p.pdf(ctx, f)
		if err != nil {
			t.Errorf("%s: %v", p.name, err)
			continue
		}
		path := filepath.Join(dir, p.name+".pdf")
		if err := os.WriteFile(path, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		if keep := os.Getenv("CUNJING_GOLDEN_PDF"); keep != "" { // to look at the pages at full size
			if err := os.WriteFile(filepath.Join(keep, p.name+".pdf"), pdf, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		text := printtest.Squash(printtest.Poppler(t, "pdftotext", "-raw", path, "-"))
		for _, w := range p.text {
			if !strings.Contains(text, printtest.Squash(w)) {
				t.Errorf("%s: pdftotext lacks %q", p.name, w)
			}
		}
		compareGolden(t, path, p.name, p.pages)
	}
	checkCells(t, f, cells)
}

// compareGolden renders the pages of a PDF (nil: all) in one pdftoppm run
// and compares each with its golden image, NAME-PAGE.png.
func compareGolden(t *testing.T, pdf, name string, pages []int) {
	t.Helper()
	sizes := regexp.MustCompile(`Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`).FindAllStringSubmatch(printtest.Poppler(t, "pdfinfo", "-f", "1", "-l", "9999", pdf), -1)
	n := len(sizes)
	if pages == nil {
		for i := 1; i <= n; i++ {
			pages = append(pages, i)
		}
	}
	long := 0.0
	for _, pg := range pages {
		for _, v := range sizes[pg-1][1:] {
			pts, _ := strconv.ParseFloat(v, 64)
			long = math.Max(long, pts/72*25.4)
		}
	}
	dpi := math.Min(goldenMaxDPI, goldenLongSidePx/(long/25.4))
	dir := t.TempDir()
	printtest.Poppler(t, "pdftoppm", "-r", fmt.Sprintf("%.2f", dpi), "-f", fmt.Sprint(pages[0]), "-l", fmt.Sprint(pages[len(pages)-1]), "-png", pdf, filepath.Join(dir, "p"))
	for _, pg := range pages {
		// pdftoppm pads page numbers to the width of the last one.
		out := filepath.Join(dir, fmt.Sprintf("p-%0*d.png", len(fmt.Sprint(n)), pg))
		comparePage(t, out, fmt.Sprintf("%s-%d", name, pg))
	}
}

// comparePage compares one rendered page with its golden image (or, with
// -update, makes it the golden image).
func comparePage(t *testing.T, out, name string) {
	t.Helper()
	got := readPNG(t, out)
	golden := filepath.Join(goldenDir, name+".png")
	if *update {
		if b, err := exec.Command("convert", out, "-strip", "-colors", "256", "PNG8:"+golden).CombinedOutput(); err != nil {
			// Without ImageMagick, the full-colour image.
			data, _ := os.ReadFile(out)
			if werr := os.WriteFile(golden, data, 0o644); werr != nil {
				t.Fatalf("write %s: %v (convert: %v %s)", golden, werr, err, b)
			}
		}
		return
	}
	want := readPNG(t, golden)
	differ, mean, err := imageDiff(got, want)
	if err == nil && (differ > goldenMaxDiffer || mean > goldenMaxMean) {
		err = fmt.Errorf("%.2f%% of pixels differ (at most %.2f%%), mean difference %.2f (at most %.1f)", differ*100, goldenMaxDiffer*100, mean, goldenMaxMean)
	}
	if err == nil {
		t.Logf("%s: %.3f%% of pixels differ, mean difference %.2f", name, differ*100, mean)
		return
	}
	failed := filepath.Join("testdata", "failed")
	_ = os.MkdirAll(failed, 0o755)
	data, _ := os.ReadFile(out)
	_ = os.WriteFile(filepath.Join(failed, name+".png"), data, 0o644)
	t.Errorf("%s: %v; the page as drawn now is in testdata/failed/%s.png (make goldens accepts it after review)", name, err, name)
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (make goldens writes the golden images)", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// imageDiff is the share of pixels differing by more than goldenPixelDelta
// in some channel, and the mean absolute channel difference.
func imageDiff(a, b image.Image) (float64, float64, error) {
	if a.Bounds().Size() != b.Bounds().Size() {
		return 1, 255, fmt.Errorf("size %v, golden %v", a.Bounds().Size(), b.Bounds().Size())
	}
	ab, bb := a.Bounds(), b.Bounds()
	ra, rb := toRGBA(a), toRGBA(b)
	n, differ, sum := 0, 0, 0.0
	for y := 0; y < ab.Dy(); y++ {
		pa := ra.Pix[y*ra.Stride : y*ra.Stride+4*ab.Dx()]
		pb := rb.Pix[y*rb.Stride : y*rb.Stride+4*bb.Dx()]
		for x := 0; x < len(pa); x += 4 {
			d := 0
			for c := 0; c < 3; c++ {
				v := int(pa[x+c]) - int(pb[x+c])
				if v < 0 {
					v = -v
				}
				sum += float64(v)
				d = max(d, v)
			}
			if d > goldenPixelDelta {
				differ++
			}
			n++
		}
	}
	return float64(differ) / float64(n), sum / float64(3*n), nil
}

func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) {
		return r
	}
	b := img.Bounds()
	r := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(r, r.Rect, img, b.Min, draw.Src)
	return r
}

// checkCells feeds random CJK, Latin, number and punctuation strings
// through every distinct box the layouts fitted text into: each comes out
// whole, in order, inside its box, by the breaking rules — or the layout
// is told it does not fit.
func checkCells(t *testing.T, f *fonts.Font, cells []typeset.Cell) {
	t.Helper()
	m, err := typeset.NewMetrics(f.TTF)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]typeset.Cell{}
	for _, c := range cells {
		k := fmt.Sprintf("%.2f %.2f %.2f %.2f %.2f %v", c.W, c.H, c.Spec.MaxPt, c.Spec.MinPt, c.Spec.Leading, c.Spec.OneLine)
		seen[k] = c
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) < 50 {
		t.Errorf("only %d distinct cells observed: the layouts no longer fit text through print/typeset?", len(keys))
	}
	pieces := []string{"赵", "保", "田", "长", "江", "马", "志", "刚", "胡", "浩", "然", "警", "拘", "留", "罚", "款",
		"，", "。", "、", "；", "：", "？", "！", "）", "》", "」", "”", "（", "《", "「", "“",
		"0", "5", "10", "500", "1000", "–", "-", ":", ".", "元", "日", "年", "小时", "%", "138", "0371",
		"a", "Z", "QQ", "vCard", " ", "\n", string(typeset.WordJoiner), "·", "…"}
	rng := rand.New(rand.NewSource(1717))
	fitted := 0
	for _, k := range keys {
		c := seen[k]
		for i := 0; i < 12; i++ {
			var b strings.Builder
			for n := rng.Intn(30); n > 0; n-- {
				b.WriteString(pieces[rng.Intn(len(pieces))])
			}
			text := b.String()
			bl, err := typeset.Fit(m, text, c.W, c.H, c.Spec)
			if err != nil {
				continue // reported to the layout: it refuses to print
			}
			fitted++
			if err := typeset.Verify(m, text, bl, c.W, c.H); err != nil {
				t.Fatalf("cell %s: %v", k, err)
			}
			if err := typeset.CheckPlaced(m, bl, 5, 5, c.W, c.H, typeset.Align(i%3)); err != nil {
				t.Fatalf("cell %s, text %q: %v", k, text, err)
			}
		}
	}
	t.Logf("%d distinct cells, %d random texts fitted and checked", len(keys), fitted)
	if fitted < len(keys)*3 {
		t.Errorf("only %d of %d random texts fitted: the property says little", fitted, len(keys)*12)
	}
}
