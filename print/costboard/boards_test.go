package costboard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"cunjing/assets"
	"cunjing/print"
	"cunjing/print/printtest"
)

func TestBoardPDFs(t *testing.T) {
	font := printtest.Font(t)
	cases := []struct {
		tpl          Template
		size         string
		tile, marks  bool
		pages        int
		wMM, hMM     float64
		wantOnPage   []string
		notOnPage    []string
		tiledSheetsN int
	}{
		{TemplateTable, "a4", false, false, 1, 210, 297, []string{"第五十一", "3年以下", "3–10年"}, nil, 0},
		{TemplateTable, "a3", false, false, 1, 297, 420, []string{"寻衅滋事", "10年以上"}, nil, 0},
		{TemplateCalculator, "a3", false, false, 1, 297, 420, []string{"打一拳，要付出多少？", "拘留合计", "500–1000元", "另计"}, nil, 0},
		{TemplatePoster, "a3", false, false, 1, 297, 420, []string{"5–10日", "500–1000元", "3年以下"}, nil, 0},
		// A wall board's text reads at 3 m (WallBodyMinMM): the table keeps
		// every line with an amount, down to the last prison term, and the
		// repeat offence's 从重 (its slogan band closes up for it).
		{TemplateTable, "60x90", false, false, 1, 600 + 30, 900 + 30, []string{"成品600×900mm", "出血3mm", "纠集他人多次寻衅滋事", "5–10年", "一年内曾受过治安管理处罚又违法的，从重处罚", "、二十二条"}, nil, 0},
		{TemplateTable, "90x120", false, false, 1, 900 + 30, 1200 + 30, []string{"成品900×1200mm", "互相斗殴、事后报复不是制止侵害", "5–10年"}, nil, 0},
		{TemplatePoster, "90x120", false, false, 1, 900 + 30, 1200 + 30, []string{"成品900×1200mm"}, nil, 0},
		{TemplateTable, "a3", false, true, 1, 297 + 30, 420 + 30, []string{"按角线裁切"}, nil, 0},
		{TemplateTable, "a4", false, true, 1, 210 + 30, 297 + 30, []string{"成品210×297mm", "按角线裁切"}, nil, 0},
		{TemplateCalculator, "60x90", true, false, 1 + 3*5, 210, 297, []string{"拼贴说明", "用15张A4（3列×5行）拼成", "A1·第1行第1列", "E3·第5行第3列", "粘贴"}, nil, 15},
		{TemplateTable, "a3", true, false, 1 + 2*2, 210, 297, []string{"B2·第2行第2列"}, nil, 4},
	}
	for _, c := range cases {
		name := fmt.Sprintf("%s-%s-tile%v-marks%v", c.tpl, c.size, c.tile, c.marks)
		t.Run(name, func(t *testing.T) {
			sz, err := print.ParseSize(c.size)
			if err != nil {
				t.Fatal(err)
			}
			b := testBoardFor(t, c.tpl, sz, "张家小卖部")
			l := Layout{Template: c.tpl, Size: sz, TileA4: c.tile, Marks: c.marks}
			p := printtest.WriteTemp(t, name+".pdf", func(buf *bytes.Buffer) error { return Write(buf, font, b, l) })
			if n := printtest.PDFPages(t, p); n != c.pages {
				t.Errorf("pages = %d, want %d", n, c.pages)
			}
			w, h := printtest.PageSizeMM(t, p, 1)
			if abs(w-c.wMM) > 0.5 || abs(h-c.hMM) > 0.5 {
				t.Errorf("page 1 is %.1f×%.1f mm, want %.0f×%.0f", w, h, c.wMM, c.hMM)
			}
			if c.tile {
				g := planTiles(sz)
				if g.cols*g.rows != c.tiledSheetsN {
					t.Errorf("plan %d×%d, want %d sheets", g.cols, g.rows, c.tiledSheetsN)
				}
			}
			printtest.CheckOneEmbeddedFont(t, p)
			text := printtest.Squash(printtest.Poppler(t, "pdftotext", p, "-"))
			want := append([]string{"打架成本警示牌", "张家小卖部", "王建国", "13812345678", "110", "遇事冷静有话好说动手必吃亏",
				"《治安管理处罚法》（2025年修订，2026年1月1日起施行）", "数额核对日期：2026-11-24", "待核实"}, c.wantOnPage...)
			for _, wnt := range want {
				if !strings.Contains(text, printtest.Squash(wnt)) {
					t.Errorf("page text lacks %q", wnt)
				}
			}
			// Every line the layout was given is printed whole, with its
			// amount.
			for _, it := range b.Items {
				for _, w := range []string{it.Text, FormatAmount(it)} {
					if !strings.Contains(text, printtest.Squash(w)) {
						t.Errorf("item %q: page text lacks %q", it.Text, w)
					}
				}
			}
			if bleed := !c.tile && (c.marks || !sz.Paper); bleed {
				checkBoxes(t, p, sz)
			}
			for _, no := range []string{"第四十三条", "2012年"} {
				if strings.Contains(text, no) {
					t.Errorf("superseded law %q printed", no)
				}
			}
		})
	}
}

// checkBoxes asserts a print-shop page's TrimBox is the finished size in
// the middle of the page and its BleedBox 3 mm larger on every side.
func checkBoxes(t *testing.T, path string, sz print.Size) {
	t.Helper()
	out := printtest.Poppler(t, "pdfinfo", "-box", path)
	box := func(name string) [4]float64 {
		m := regexp.MustCompile(name + `:\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("pdfinfo -box: no %s\n%s", name, out)
		}
		var v [4]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(m[i+1], 64)
			v[i] *= 25.4 / 72
		}
		return v
	}
	media, trim, bleed := box("MediaBox"), box("TrimBox"), box("BleedBox")
	o := print.BleedMM + print.SlugMM
	want := map[string][2][4]float64{
		"TrimBox":  {trim, {o, o, o + sz.W, o + sz.H}},
		"BleedBox": {bleed, {o - print.BleedMM, o - print.BleedMM, o + sz.W + print.BleedMM, o + sz.H + print.BleedMM}},
		"MediaBox": {media, {0, 0, sz.W + 2*o, sz.H + 2*o}},
	}
	for name, gw := range want {
		for i := range gw[0] {
			if abs(gw[0][i]-gw[1][i]) > 0.1 {
				t.Errorf("%s = %.1f, want %.1f (mm)", name, gw[0], gw[1])
				break
			}
		}
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestPublicOrderRecordWordingRefused(t *testing.T) {
	font := printtest.Font(t)
	b := testBoard(t, TemplateTable, "x")
	b.Items = append(b.Items, assets.CostItem{Tier: assets.TierPublicOrder, Grp: assets.GroupFamily, Text: "打一架留下案底，影响子女政审", CheckedOn: "2026-11-24"})
	err := Write(&bytes.Buffer{}, font, b, Layout{Template: TemplateTable, Size: print.SizeA4})
	if err == nil || !strings.Contains(err.Error(), "sealed") {
		t.Fatalf("err = %v, want sealed-record refusal", err)
	}
	b = testBoard(t, TemplatePoster, "x")
	b.Items = DefaultItems(TemplatePoster, printtest.CostItems(t))
	b.Slogan = "打架留案底"
	var crim bool
	for _, it := range b.Items {
		crim = crim || it.Tier == assets.TierCriminal
	}
	issues := Check(b, false)
	found := false
	for _, i := range issues {
		found = found || (i.Field == "slogan" && i.Blocking)
	}
	if found == crim {
		t.Errorf("slogan record wording blocking=%v with criminal items=%v: %v", found, crim, issues)
	}
}

func TestUnconfirmedAmounts(t *testing.T) {
	font := printtest.Font(t)
	b := testBoard(t, TemplateTable, "x")
	issues := Check(b, false)
	n := 0
	for _, i := range issues {
		if i.Field == "confirmed" {
			n++
			if i.Blocking {
				t.Errorf("unconfirmed blocks without RequireConfirmed: %v", i)
			}
		}
	}
	if n == 0 {
		t.Fatal("default items have no unconfirmed amounts (new Art. 51 must be)")
	}
	err := Write(&bytes.Buffer{}, font, b, Layout{Template: TemplateTable, Size: print.SizeA4, RequireConfirmed: true})
	if err == nil || !strings.Contains(err.Error(), "not yet confirmed") {
		t.Fatalf("RequireConfirmed: err = %v", err)
	}
	for i := range b.Items {
		b.Items[i].Confirmed = true
	}
	p := printtest.WriteTemp(t, "c.pdf", func(buf *bytes.Buffer) error {
		return Write(buf, font, b, Layout{Template: TemplateTable, Size: print.SizeA4, RequireConfirmed: true})
	})
	if text := printtest.Poppler(t, "pdftotext", p, "-"); strings.Contains(text, "待核实") {
		t.Error("confirmed board still says 待核实")
	}
}

func TestTextTooLong(t *testing.T) {
	font := printtest.Font(t)
	long := strings.Repeat("打架成本警示", 30)
	cases := []struct {
		name  string
		mod   func(*Board)
		field string // "" = must fit (shrunk) and print whole
		want  string
	}{
		{"long title shrinks", func(b *Board) { b.Title = "打架成本警示牌——冲动是魔鬼，动手必吃亏" }, "", "打架成本警示牌——冲动是魔鬼，动手必吃亏"},
		{"long venue shrinks", func(b *Board) { b.Venue = "柳树村东头老张家祖传手工豆腐坊暨便民小卖部" }, "", "柳树村东头老张家祖传手工豆腐坊暨便民小卖部"},
		{"title overflows", func(b *Board) { b.Title = long }, "title", ""},
		{"venue overflows", func(b *Board) { b.Venue = long }, "venue name", ""},
		{"slogan overflows", func(b *Board) { b.Slogan = long }, "slogan", ""},
		{"items overflow", func(b *Board) {
			it := b.Items[0]
			it.Text = long
			for i := 0; i < 60; i++ {
				b.Items = append(b.Items, it)
			}
		}, "cost items", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := testBoard(t, TemplateTable, "张家小卖部")
			c.mod(&b)
			var buf bytes.Buffer
			err := Write(&buf, font, b, Layout{Template: TemplateTable, Size: print.SizeA4})
			if c.field != "" {
				var oe *print.OverflowError
				if !errors.As(err, &oe) || oe.Field != c.field {
					t.Fatalf("err = %v, want OverflowError on %s", err, c.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(t.TempDir(), "b.pdf")
			if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			if text := printtest.Squash(printtest.Poppler(t, "pdftotext", p, "-")); !strings.Contains(text, c.want) {
				t.Errorf("shrunk text not printed whole: %q", c.want)
			}
		})
	}
}

// A post's name too long for one line of the contact (30 characters on an
// A4 board) takes two, the contact box one line taller: the A4 calculator
// and poster boards were refused ('contact … does not fit in 158×9 mm even
// at 16.5 pt'). The A4 table, whose items fill the board, was refused
// too; its contact now closes its four lines up and the slogan band gives
// up the rest.
func TestLongPostNameOnTwoLines(t *testing.T) {
	font := printtest.Font(t)
	for _, post := range []string{
		"城关镇张庄村李家屯王家洼赵家坪联合警务室第一工作站点值班室",
		"河南省周口市郸城县城关镇张庄村警务室第二警务工作站",
		"河南省周口市郸城县城关镇张庄村李家屯王家洼赵家坪联合警务室第二警务工作站",
	} {
		c := testContact()
		c.Station, c.Post = "城关镇", post
		for _, tpl := range []Template{TemplateCalculator, TemplatePoster, TemplateTable} {
			b := testBoard(t, tpl, "张家小卖部")
			b.Contact = c
			var buf bytes.Buffer
			if err := Write(&buf, font, b, Layout{Template: tpl, Size: print.SizeA4}); err != nil {
				t.Fatalf("%s, %d characters: %v", tpl, len([]rune(post)), err)
			}
			p := filepath.Join(t.TempDir(), "b.pdf")
			if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			if text := printtest.Squash(printtest.Poppler(t, "pdftotext", p, "-")); !strings.Contains(text, post+"社区民警") {
				t.Errorf("%s: the post's name not printed whole above the officer", tpl)
			}
		}
	}
	// A name no two lines hold is still refused, the contact named.
	c := testContact()
	c.Post = strings.Repeat("张庄村警务室", 10)
	b := testBoard(t, TemplateTable, "张家小卖部")
	b.Contact = c
	var oe *print.OverflowError
	if err := Write(io.Discard, font, b, Layout{Template: TemplateTable, Size: print.SizeA4}); !errors.As(err, &oe) || oe.Field != "contact" {
		t.Errorf("a 60-character post: %v, want the contact's overflow", err)
	}
}

func TestBatch(t *testing.T) {
	font := printtest.Font(t)
	boards := syntheticBoards(t, 5, TemplatePoster)
	l := Layout{Template: TemplatePoster, Size: print.SizeA4}
	var seen []int
	p := printtest.WriteTemp(t, "batch.pdf", func(buf *bytes.Buffer) error {
		return WriteAll(context.Background(), buf, font, boards, l, print.DocInfo{Title: "批量"}, func(done, total int) {
			if total != 5 {
				t.Errorf("total = %d", total)
			}
			seen = append(seen, done)
		})
	})
	if fmt.Sprint(seen) != "[1 2 3 4 5]" {
		t.Errorf("progress %v", seen)
	}
	if n := printtest.PDFPages(t, p); n != 5 {
		t.Fatalf("pages %d", n)
	}
	printtest.CheckOneEmbeddedFont(t, p)
	for i, b := range boards {
		pg := strconv.Itoa(i + 1)
		text := printtest.Squash(printtest.Poppler(t, "pdftotext", "-f", pg, "-l", pg, p, "-"))
		if !strings.Contains(text, printtest.Squash(b.Venue)) || !strings.Contains(text, b.Contact.Post) {
			t.Errorf("page %d lacks its venue %q / post %q", i+1, b.Venue, b.Contact.Post)
		}
	}

	// Cancel after the second board.
	ctx, cancel := context.WithCancel(context.Background())
	var last int
	err := WriteAll(ctx, &bytes.Buffer{}, font, boards, l, print.DocInfo{}, func(done, _ int) {
		last = done
		if done == 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || last != 2 {
		t.Errorf("cancel: err %v after %d boards", err, last)
	}

	if err := WriteAll(context.Background(), &bytes.Buffer{}, font, nil, l, print.DocInfo{}, nil); err == nil || !strings.Contains(err.Error(), "venue list is empty") {
		t.Errorf("empty batch: %v", err)
	}
	if err := WriteAll(context.Background(), &bytes.Buffer{}, nil, boards, l, print.DocInfo{}, nil); err == nil || !strings.Contains(err.Error(), "no font") {
		t.Errorf("missing font: %v", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestOutputErrors(t *testing.T) {
	font := printtest.Font(t)
	b := testBoard(t, TemplateTable, "x")
	l := Layout{Template: TemplateTable, Size: print.SizeA4}
	if err := Write(failWriter{}, font, b, l); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("failing writer: %v", err)
	}
	dir := t.TempDir()
	write := func(w io.Writer) error { return Write(w, font, b, l) }
	cases := []struct{ path, want string }{
		{filepath.Join(dir, "missing", "b.pdf"), "output folder"},
		{dir, "is a folder"},
		{"", "no file name"},
	}
	for _, c := range cases {
		if err := print.CreateFile(c.path, write); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("CreateFile(%q) = %v, want %q", c.path, err, c.want)
		}
	}
	// A failed write leaves neither the target nor a temp file behind.
	target := filepath.Join(dir, "b.pdf")
	if err := print.CreateFile(target, func(io.Writer) error { return errors.New("boom") }); err == nil {
		t.Fatal("error swallowed")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left behind: %v", ents)
	}
	if err := print.CreateFile(target, write); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(target); err != nil || st.Size() < 1000 {
		t.Errorf("target not written: %v", err)
	}
	if os.Geteuid() != 0 {
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		if err := print.CreateFile(filepath.Join(ro, "b.pdf"), write); err == nil || !strings.Contains(err.Error(), "cannot write there") {
			t.Errorf("read-only folder: %v", err)
		}
	}
}

func TestParseTemplateAndTile(t *testing.T) {
	for in, want := range map[string]Template{"": TemplateTable, "Table": TemplateTable, "calculator": TemplateCalculator, "poster": TemplatePoster} {
		if got, err := ParseTemplate(in); err != nil || got != want {
			t.Errorf("ParseTemplate(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseTemplate("banner"); err == nil {
		t.Error("unknown template accepted")
	}
	if tile, err := ParseTile("A4"); !tile || err != nil {
		t.Errorf("ParseTile(A4) = %v, %v", tile, err)
	}
	if _, err := ParseTile("a3"); err == nil {
		t.Error("tile a3 accepted")
	}
}

// Property: tiles cover the whole board, neighbours overlap by exactly the
// glue strip, and no sheet shows more than its printable area.
func TestTilePlanCoversBoard(t *testing.T) {
	for _, in := range []string{"a4", "a3", "60x90", "90x120", "40x60", "120x90", "250x250"} {
		sz, err := print.ParseSize(in)
		if err != nil {
			t.Fatal(err)
		}
		g := planTiles(sz)
		lastX := float64(g.cols-1)*g.stepX + g.cw
		lastY := float64(g.rows-1)*g.stepY + g.ch
		if lastX < sz.W || lastY < sz.H {
			t.Errorf("%s: tiles reach %.0f×%.0f, board %.0f×%.0f", in, lastX, lastY, sz.W, sz.H)
		}
		if g.cols > 1 && float64(g.cols-2)*g.stepX+g.cw >= sz.W {
			t.Errorf("%s: one column too many", in)
		}
		if g.cw-g.stepX != tileOverlapMM || g.cw > g.pageW-2*tileMarginMM {
			t.Errorf("%s: overlap %.1f, content %.1f on %.0f page", in, g.cw-g.stepX, g.cw, g.pageW)
		}
	}
	if tileName(0, 0) != "A1" || tileName(26, 2) != "AA3" {
		t.Errorf("tile names %s %s", tileName(0, 0), tileName(26, 2))
	}
}

func TestPreview(t *testing.T) {
	font := printtest.Font(t)
	for _, tpl := range Templates() {
		img, err := Preview(font, testBoard(t, tpl, "张家小卖部"), Layout{Template: tpl, Size: print.Size60x90, TileA4: true}, 300)
		if err != nil {
			t.Fatal(err)
		}
		b := img.Bounds()
		if b.Dx() != 300 || b.Dy() != 450 {
			t.Errorf("%s: preview %v, want 300×450", tpl, b)
		}
		// The header band is red, the footer blue, the middle has text.
		if c := color.RGBAModel.Convert(img.At(5, 5)).(color.RGBA); c != print.Red {
			t.Errorf("%s: header pixel %v", tpl, c)
		}
		if c := color.RGBAModel.Convert(img.At(5, b.Dy()-5)).(color.RGBA); c != print.Blue {
			t.Errorf("%s: footer pixel %v", tpl, c)
		}
		dark := 0
		for y := b.Dy() / 4; y < b.Dy()*3/4; y++ {
			for x := 0; x < b.Dx(); x++ {
				if r, g, bb, _ := img.At(x, y).RGBA(); r+g+bb < 3*0x8000 {
					dark++
				}
			}
		}
		if dark < 500 {
			t.Errorf("%s: body looks empty (%d dark pixels)", tpl, dark)
		}
	}
	if _, err := Preview(nil, testBoard(t, TemplateTable, ""), Layout{Size: print.SizeA4}, 300); err == nil {
		t.Error("preview without font")
	}
	if _, err := Preview(font, testBoard(t, TemplateTable, ""), Layout{Size: print.Size90x120}, 100000); err == nil {
		t.Error("huge preview accepted")
	}
}

func TestFormatAmountAndBasis(t *testing.T) {
	cases := []struct {
		min, max float64
		unit     string
		want     string
	}{
		{5, 10, "日", "5–10日"}, {0, 2000, "元", "2000元以下"}, {10, 0, "年", "10年以上"}, {500, 500, "元", "500元"}, {0, 0, "", ""},
	}
	for _, c := range cases {
		if got := FormatAmount(assets.CostItem{AmountMin: c.min, AmountMax: c.max, Unit: c.unit}); got != c.want {
			t.Errorf("FormatAmount(%g,%g,%s) = %q, want %q", c.min, c.max, c.unit, got, c.want)
		}
	}
	got := legalBasis([]assets.CostItem{
		{Law: "刑法", Article: "第二百三十四条", LawVersion: "2023年修正", EffectiveDate: "2024-03-01"},
		{Law: "治安管理处罚法", Article: "第五十一条", LawVersion: "2025年修订", EffectiveDate: "2026-01-01"},
		{Law: "刑法", Article: "第二百九十二条"},
		{Law: "刑法", Article: "第二百三十四条"},
	})
	want := "《刑法》（2023年修正，2024年3月1日起施行）第二百三十四、二百九十二条；《治安管理处罚法》（2025年修订，2026年1月1日起施行）第五十一条"
	if got != want {
		t.Errorf("legalBasis =\n%s\nwant\n%s", got, want)
	}
	// A title inside the law's title takes single angle brackets, as the
	// item's own source writes it: 《…适用〈…刑事诉讼法〉的解释》, not 《…《…》…》.
	got = legalBasis([]assets.CostItem{{Law: "最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释", Article: "第一百九十二条"}})
	if want := "《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》第一百九十二条"; got != want {
		t.Errorf("legalBasis of a title inside a title =\n%s\nwant\n%s", got, want)
	}
}

func TestBoardsForVenues(t *testing.T) {
	a, b := testContact(), testContact()
	b.Post, b.Phone = "桃园村警务室", "13900000000"
	own := print.Contact{Post: "自带", Phone: "110"}
	posts := []Post{{Contact: a, X: 0, Y: 0}, {Contact: b, X: 100, Y: 0}}
	venues := []Venue{{Name: "甲", X: 10}, {Name: "乙", X: 90, Y: 5}, {Name: "丙", X: 50}, {Name: "丁", X: 99, Contact: &own}}
	boards, err := ForVenues(Default(nil, "", print.Contact{}), venues, posts)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"柳树村警务室", "桃园村警务室", "柳树村警务室", "自带"}
	for i, bd := range boards {
		if bd.Venue != venues[i].Name || bd.Contact.Post != want[i] {
			t.Errorf("venue %d: %s / %s, want %s", i, bd.Venue, bd.Contact.Post, want[i])
		}
	}
	if _, err := ForVenues(Board{}, nil, posts); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty venues: %v", err)
	}
	if _, err := ForVenues(Board{}, []Venue{{Name: "x"}}, nil); err == nil {
		t.Error("no posts accepted")
	}
	if _, err := ForVenues(Board{}, []Venue{{Name: " "}}, posts); err == nil {
		t.Error("nameless venue accepted")
	}
}

// TestCalculatorTotalsSayUnconfirmed: a total is only as sure as its
// parts — 拘留合计 and 花钱合计 say 待核实 exactly when an amount they add
// up is unconfirmed — and the receipt still fits at A4 and 60×90 cm (also
// tiled onto A4), where every text is laid out and an overflow is an error.
func TestCalculatorTotalsSayUnconfirmed(t *testing.T) {
	font := printtest.Font(t)
	confirm := func(items []assets.CostItem, unit string) []assets.CostItem {
		out := append([]assets.CostItem(nil), items...)
		for i := range out {
			if unit == "" || out[i].Unit == unit {
				out[i].Confirmed = true
			}
		}
		return out
	}
	const days, money = "拘留合计（待核实）", "花钱合计（待核实）"
	cases := []struct {
		name        string
		confirmUnit string // "" confirms everything; "-" nothing
		want, not   []string
	}{
		{"as shipped", "-", []string{days, money}, nil},
		{"days confirmed", "日", []string{money, "拘留合计"}, []string{days}},
		{"money confirmed", "元", []string{days, "花钱合计"}, []string{money}},
		{"all confirmed", "", []string{"拘留合计", "花钱合计"}, []string{"待核实"}},
	}
	for _, size := range []string{"a4", "60x90"} {
		for _, tile := range []bool{false, true} {
			if tile && size == "a4" {
				continue
			}
			for _, c := range cases {
				t.Run(fmt.Sprintf("%s-tile%v-%s", size, tile, c.name), func(t *testing.T) {
					sz, err := print.ParseSize(size)
					if err != nil {
						t.Fatal(err)
					}
					b := testBoardFor(t, TemplateCalculator, sz, "张家小卖部")
					if c.confirmUnit != "-" {
						b.Items = confirm(b.Items, c.confirmUnit)
					}
					p := printtest.WriteTemp(t, "calc.pdf", func(buf *bytes.Buffer) error {
						return Write(buf, font, b, Layout{Template: TemplateCalculator, Size: sz, TileA4: tile})
					})
					text := printtest.Squash(printtest.Poppler(t, "pdftotext", p, "-"))
					for _, w := range c.want {
						if !strings.Contains(text, printtest.Squash(w)) {
							t.Errorf("text lacks %q", w)
						}
					}
					for _, w := range c.not {
						if strings.Contains(text, printtest.Squash(w)) {
							t.Errorf("text has %q", w)
						}
					}
				})
			}
		}
	}
}

// TestBoardSourceLine: where the footer has room, it says what the amounts
// rest on beyond the laws it cites — the court interpretation the
// compensation follows and who set a local figure; as the footer fills
// up (a long issuer on A4), the sources give way before anything else
// does.
func TestBoardSourceLine(t *testing.T) {
	font := printtest.Font(t)
	local := assets.CostItem{ID: "local-comp", Tier: assets.TierPublicOrder, Grp: assets.GroupEconomic, Text: "本辖区打一架一般赔偿",
		AmountMin: 3000, AmountMax: 8000, Unit: "元", CheckedOn: "2026-11-20", Confirmed: true, Local: true, Sort: 99,
		Source: "城关派出所2025年调解的12起打架案件"}
	sources := []string{"【本地】数额来源：" + local.Source, "法释〔2022〕14号"}
	printOne := func(t *testing.T, size, issuer string) (string, error) {
		sz, err := print.ParseSize(size)
		if err != nil {
			t.Fatal(err)
		}
		b := testBoardFor(t, TemplateCalculator, sz, "")
		b.Items[len(b.Items)-1] = local // as many lines as the size takes
		if issuer != "" {
			b.Issuer = issuer
		}
		var buf bytes.Buffer
		if err := Write(&buf, font, b, Layout{Template: TemplateCalculator, Size: sz}); err != nil {
			return "", err
		}
		p := printtest.WriteTemp(t, "b.pdf", func(w *bytes.Buffer) error { _, err := w.Write(buf.Bytes()); return err })
		return printtest.Squash(printtest.Poppler(t, "pdftotext", p, "-")), nil
	}
	for _, size := range []string{"a4", "60x90"} {
		t.Run(size, func(t *testing.T) {
			text, err := printOne(t, size, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range append([]string{"法律依据：《治安管理处罚法》", "数额核对日期"}, sources...) {
				if !strings.Contains(text, printtest.Squash(w)) {
					t.Errorf("text lacks %q", w)
				}
			}
			if size != "a4" {
				return
			}
			// A longer and longer issuer: the last footer that fits has
			// dropped the sources and kept the rest.
			last := ""
			for k := 1; k < 60; k++ {
				text, err := printOne(t, size, strings.Repeat("城关派出所社区警务队宣", k))
				if err != nil {
					var oe *print.OverflowError
					if !errors.As(err, &oe) {
						t.Fatal(err)
					}
					break
				}
				last = text
			}
			if last == "" {
				t.Fatal("no issuer fitted")
			}
			for _, w := range sources {
				if strings.Contains(last, printtest.Squash(w)) {
					t.Errorf("the fullest footer still has %q", w)
				}
			}
			for _, w := range []string{"法律依据：《治安管理处罚法》", "数额核对日期", "城关派出所社区警务队宣"} {
				if !strings.Contains(last, printtest.Squash(w)) {
					t.Errorf("the fullest footer lacks %q", w)
				}
			}
		})
	}
}

func testBoard(t testing.TB, tpl Template, venue string) Board {
	return testBoardFor(t, tpl, print.SizeA4, venue)
}

// testBoardFor is the board with the items the template prints at sz.
func testBoardFor(t testing.TB, tpl Template, sz print.Size, venue string) Board {
	b := Default(DefaultItemsFor(context.Background(), tpl, sz, printtest.CostItems(t)), venue, testContact())
	b.Issuer = "城关派出所 宣"
	return b
}

// testContact is the post on the test boards (print's tests use the same).
func testContact() print.Contact {
	return print.Contact{Post: "柳树村警务室", Station: "城关派出所", Officer: "王建国", Title: "社区民警", Phone: "13812345678", Address: "柳树村村委会东侧"}
}
