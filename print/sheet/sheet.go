// Package sheet owns the per-house resident sheet (户情卡, in the spirit of
// the 居民信息平面图 officers keep for every house): one A4 page per
// household with the door number as painted, the house, the head and
// their phone, every member, the categories and warning colour, the last
// visits and ruled lines for the next ones. It works on plain values; the
// caller decides which ID numbers may be shown (masked or full) before
// handing them over.
package sheet

import (
	"context"
	"fmt"
	"image/color"
	"io"
	"strings"
	"time"

	"cunjing/print/fonts"
	"cunjing/print/typeset"
)

// Sheet is one household's page.
type Sheet struct {
	Village     string
	Number      string // door number as painted
	Address     string
	Owner       string
	OwnerPhone  string
	HouseType   string
	HouseUse    string
	Structure   string
	AreaM2      float64
	Status      string // 自住, 出租, 空置
	Tenant      string
	TenantPhone string
	GridCell    string
	Categories  []string
	Warning     string // 红, 橙, 绿
	Notes       string
	Members     []Member
	Visits      []Visit // newest first
}

// Member is one resident. IDNumber is printed as given: mask it before
// unless the user's role may see it.
type Member struct {
	Name         string
	Relation     string
	Gender       string
	BirthDate    string // YYYY-MM-DD
	IDNumber     string
	Phone        string
	CensusStatus string
	Occupation   string
	Categories   []string
	Notes        string
}

// Visit is one 走访.
type Visit struct {
	Date    string
	Officer string
	Notes   string
}

// Options are the page furniture.
type Options struct {
	Post    string    // the post's name, in the footer
	Printed time.Time // printing date (ages are counted to it); required
}

// Page geometry in millimetres (A4 portrait).
const (
	pageW, pageH = 210.0, 297.0
	margin       = 12.0
	contentW     = pageW - 2*margin
	footerY      = pageH - margin + 3
	rowH         = 7.0
	// minPt is the smallest size a cell's text shrinks to before it wraps
	// onto a second line, and minWrapPt the smallest of those lines; below
	// it the sheet reports the field instead of cutting the text.
	minPt     = 7.0
	minWrapPt = 5.0
)

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{R: r, G: g, B: b, A: 0xff} }

var (
	plateBlue = rgb(21, 82, 160) // door plates are white on blue
	ink       = rgb(25, 25, 25)
	grey      = rgb(110, 110, 110)
	rule      = rgb(150, 150, 150)
	headFill  = rgb(226, 234, 244)
	white     = rgb(255, 255, 255)
	ownerFill = rgb(248, 248, 240)
	warnColor = map[string]color.RGBA{"红": rgb(211, 47, 47), "橙": rgb(239, 124, 0), "绿": rgb(46, 125, 50)}
	catColor  = map[string]color.RGBA{
		"党员": rgb(198, 40, 40), "重点户": rgb(136, 14, 79), "留守老人": rgb(230, 81, 0), "留守儿童": rgb(249, 168, 37),
		"独居": rgb(106, 27, 154), "五保户": rgb(121, 85, 72), "出租屋": rgb(21, 101, 192), "流动人口": rgb(0, 131, 143), "网格员": rgb(46, 125, 50),
	}
	otherCat = rgb(96, 125, 139)
)

// WritePDF renders one page per sheet (more when a household has many
// members or visits) with font, a CJK TrueType from print/fonts. Text is
// set by the one text layout (print/typeset): a value too long for its
// cell shrinks, then wraps onto two lines; it is never cut.
//
// Every PDF writer in print takes ctx, w, font, then what it prints; a
// cancelled ctx stops it between sheets.
func WritePDF(ctx context.Context, w io.Writer, font *fonts.Font, sheets []Sheet, opt Options) (err error) {
	if len(sheets) == 0 {
		return fmt.Errorf("resident sheet: no household to print")
	}
	if font == nil || len(font.TTF) == 0 {
		return fmt.Errorf("resident sheet: no font")
	}
	if opt.Printed.IsZero() {
		return fmt.Errorf("resident sheet: no printing date")
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("resident sheet: PDF layout failed: %v", r)
		}
	}()
	title := "居民信息户情卡"
	if len(sheets) == 1 {
		title = strings.TrimSpace(sheets[0].Village + " " + sheets[0].Number + " " + sheets[0].Owner + " 户情卡")
	}
	pdf, err := typeset.NewPDF(ctx, font, typeset.Info{Title: title, Created: opt.Printed})
	if err != nil {
		return fmt.Errorf("resident sheet: %w", err)
	}
	l := &layout{pdf: pdf, opt: opt}
	for i := range sheets {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("resident sheet: %w", err)
		}
		if err := l.sheet(&sheets[i]); err != nil {
			return fmt.Errorf("resident sheet %s %s: %w", sheets[i].Village, sheets[i].Number, err)
		}
	}
	if err := l.footer(); err != nil {
		return err
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("resident sheet: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("resident sheet: write PDF: %w", err)
	}
	return nil
}

type layout struct {
	pdf   *typeset.PDF
	opt   Options
	cur   *Sheet // the household whose page is being drawn
	pages int
}

// newPage closes the page being drawn (its footer names its own
// household) and starts the next.
func (l *layout) newPage() error {
	if err := l.footer(); err != nil {
		return err
	}
	l.pdf.AddPage(pageW, pageH)
	l.pages++
	return nil
}

// footer writes the current page's footer: confidentiality, the post, and
// the household the page belongs to.
func (l *layout) footer() error {
	if l.pages == 0 {
		return nil
	}
	left := "内部资料　注意保密　" + strings.TrimSpace(l.opt.Post)
	right := "打印于 " + l.opt.Printed.Format("2006-01-02")
	if l.cur != nil {
		right = strings.TrimSpace(l.cur.Village+" "+l.cur.Number) + "　" + right
	}
	right += fmt.Sprintf("　第%d页", l.pages)
	st := typeset.Style{Color: grey}
	sp := typeset.Spec{Field: "footer", MaxPt: 7.5, MinPt: 5, OneLine: true}
	if err := l.pdf.Cell(left, margin, footerY-4, contentW/2, 4, sp, st); err != nil {
		return err
	}
	st.Align = typeset.Right
	return l.pdf.Cell(right, margin+contentW/2, footerY-4, contentW/2, 4, sp, st)
}

// text fits s on one line of the box, shrinking from pt to minPt, then on
// two lines down to minWrapPt.
func (l *layout) text(s string, x, y, w, h, pt float64, field string, st typeset.Style) error {
	sp := typeset.Spec{Field: field, MaxPt: pt, MinPt: min(pt, minPt), OneLine: true}
	b, err := typeset.Fit(l.pdf.M, s, w, h, sp)
	if err != nil {
		sp.OneLine, sp.MinPt, sp.Leading = false, minWrapPt, 1.1
		if b, err = typeset.Fit(l.pdf.M, s, w, h, sp); err != nil {
			return err
		}
	}
	l.pdf.Block(b, x, y+(h-b.Height())/2, w, st.Align, st.Color, st.Bold)
	return nil
}

func (l *layout) sheet(s *Sheet) error {
	if err := l.footer(); err != nil {
		return err
	}
	l.cur = s
	l.pdf.AddPage(pageW, pageH)
	l.pages++
	y, err := l.head(s, margin)
	if err != nil {
		return err
	}
	if y, err = l.facts(s, y+4); err != nil {
		return err
	}
	if y, err = l.categories(s, y+3); err != nil {
		return err
	}
	if y, err = l.members(s, y+4); err != nil {
		return err
	}
	return l.visits(s, y+5)
}

// head draws the door plate, the household's name line and the warning.
func (l *layout) head(s *Sheet, y float64) (float64, error) {
	p := l.pdf
	const plateW, plateH = 46.0, 30.0
	p.SetFillRGBA(plateBlue)
	p.RoundedRect(margin, y, plateW, plateH, 2.5, "1234", "F")
	p.SetStroke(white, 0.6, false)
	p.RoundedRect(margin+1.5, y+1.5, plateW-3, plateH-3, 1.8, "1234", "D")
	center := typeset.Style{Color: white, Align: typeset.Center}
	if err := l.text(s.Village, margin+3, y+3, plateW-6, 4.5, 9, "village", center); err != nil {
		return 0, err
	}
	num := s.Number
	if num == "" {
		num = "—"
	}
	if err := p.Cell(num, margin+4, y+8, plateW-8, plateH-14, typeset.Spec{Field: "door number", MaxPt: 34, MinPt: 12, OneLine: true}, typeset.Style{Color: white, Bold: true, Align: typeset.Center}); err != nil {
		return 0, err
	}
	if err := p.Cell("号", margin, y+plateH-6.5, plateW, 4.5, typeset.Spec{MaxPt: 8, MinPt: 8, OneLine: true}, center); err != nil {
		return 0, err
	}

	x := margin + plateW + 6
	w := contentW - plateW - 6
	left := typeset.Style{Color: grey}
	if err := p.Cell("居民信息户情卡", x, y+1, w, 4.5, typeset.Spec{MaxPt: 9, MinPt: 9, OneLine: true}, left); err != nil {
		return 0, err
	}
	name := s.Owner + " 户"
	if s.Owner == "" {
		name = "户主未登记" // not （户主未登记） 户
	}
	if err := p.Cell(name, x, y+6, w-40, 11, typeset.Spec{Field: "householder", MaxPt: 22, MinPt: 10, OneLine: true}, typeset.Style{Color: ink, Bold: true}); err != nil {
		return 0, err
	}
	phone := typeset.Phone(s.OwnerPhone)
	if phone == "" {
		phone = "未登记"
	}
	if err := l.text("电话　"+phone, x, y+17.5, w-40, 6.5, 12, "phone", typeset.Style{Color: ink}); err != nil {
		return 0, err
	}
	if err := l.text(strings.TrimSpace(s.Address), x, y+24, w, 6, 9, "address", left); err != nil {
		return 0, err
	}

	// Warning colour, top right.
	if c, ok := warnColor[s.Warning]; ok {
		const bw, bh = 34.0, 14.0
		bx := margin + contentW - bw
		p.SetFillRGBA(c)
		p.RoundedRect(bx, y+1, bw, bh, 2, "1234", "F")
		if err := p.Cell("预警等级", bx, y+1.8, bw, 4.5, typeset.Spec{MaxPt: 8, MinPt: 8, OneLine: true}, center); err != nil {
			return 0, err
		}
		if err := p.Cell(s.Warning+"色", bx, y+6.3, bw, 7.5, typeset.Spec{Field: "warning", MaxPt: 14, MinPt: 8, OneLine: true}, typeset.Style{Color: white, Bold: true, Align: typeset.Center}); err != nil {
			return 0, err
		}
	}
	return y + plateH, nil
}

// facts is the house in two columns of label and value.
func (l *layout) facts(s *Sheet, y float64) (float64, error) {
	area := ""
	if s.AreaM2 > 0 {
		area = strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", s.AreaM2), "0"), ".") + " ㎡"
	}
	tenant := strings.TrimSpace(s.Tenant + " " + typeset.Phone(s.TenantPhone))
	items := [][2]string{
		{"房屋类型", join(" / ", s.HouseType, s.HouseUse)}, {"结构 / 面积", join(" / ", s.Structure, area)},
		{"居住状态", s.Status}, {"承租人", tenant},
		{"所属网格", s.GridCell}, {"家庭人口", fmt.Sprintf("%d 人", len(s.Members))},
	}
	p := l.pdf
	colW := contentW / 2
	const labelW, h = 24.0, 6.5
	label := func(x, y float64, text string) error {
		p.SetFillRGBA(headFill)
		p.SetStroke(rule, 0.2, false)
		p.Rect(x, y, labelW, h, "FD")
		return l.text(text, x+1, y, labelW-2, h, 9, "label", typeset.Style{Color: grey, Align: typeset.Center})
	}
	for i, it := range items {
		x := margin + float64(i%2)*colW
		yy := y + float64(i/2)*h
		if err := label(x, yy, it[0]); err != nil {
			return 0, err
		}
		p.Rect(x+labelW, yy, colW-labelW, h, "D")
		if err := l.text(it[1], x+labelW+1.5, yy, colW-labelW-3, h, 10, it[0], typeset.Style{Color: ink}); err != nil {
			return 0, err
		}
	}
	y += float64((len(items)+1)/2) * h
	if n := strings.TrimSpace(s.Notes); n != "" {
		if err := label(margin, y, "备注"); err != nil {
			return 0, err
		}
		p.Rect(margin+labelW, y, contentW-labelW, h, "D")
		if err := l.text(n, margin+labelW+1.5, y, contentW-labelW-3, h, 10, "备注", typeset.Style{Color: ink}); err != nil {
			return 0, err
		}
		y += h
	}
	return y, nil
}

func join(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// categories draws the household's and members' categories as coloured tags.
func (l *layout) categories(s *Sheet, y float64) (float64, error) {
	cats := append([]string(nil), s.Categories...)
	for _, m := range s.Members {
		for _, c := range m.Categories {
			if !contains(cats, c) {
				cats = append(cats, c)
			}
		}
	}
	p := l.pdf
	label := typeset.Spec{MaxPt: 9, MinPt: 9, OneLine: true}
	if err := p.Cell("关注类别", margin, y, 18, 6, label, typeset.Style{Color: grey}); err != nil {
		return 0, err
	}
	x := margin + 18
	if len(cats) == 0 {
		return y + 6, p.Cell("无", x, y, 40, 6, label, typeset.Style{Color: grey})
	}
	const pt = 9.5
	for _, c := range cats {
		w := min(p.M.Width(c, pt)+5, contentW-18)
		if x+w > margin+contentW {
			x = margin + 18
			y += 7.5
		}
		col, ok := catColor[c]
		if !ok {
			col = otherCat
		}
		p.SetFillRGBA(col)
		p.RoundedRect(x, y, w, 6, 1.5, "1234", "F")
		if err := p.Cell(c, x+1, y, w-2, 6, typeset.Spec{Field: "category", MaxPt: pt, MinPt: minWrapPt, OneLine: true}, typeset.Style{Color: white, Align: typeset.Center}); err != nil {
			return 0, err
		}
		x += w + 2.5
	}
	return y + 6, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

type col struct {
	title string
	w     float64
	value func(m *Member) string
}

func (l *layout) memberCols() []col {
	return []col{
		{"姓名", 20, func(m *Member) string { return m.Name }},
		{"关系", 14, func(m *Member) string { return m.Relation }},
		{"性别", 10, func(m *Member) string { return m.Gender }},
		{"年龄", 11, func(m *Member) string { return age(m.BirthDate, l.opt.Printed) }},
		{"身份证号", 40, func(m *Member) string { return m.IDNumber }},
		{"联系电话", 25, func(m *Member) string { return typeset.Phone(m.Phone) }},
		{"人户状态", 19, func(m *Member) string { return m.CensusStatus }},
		{"类别 / 备注", contentW - 139, func(m *Member) string {
			return join("；", strings.Join(m.Categories, "、"), m.Occupation, m.Notes)
		}},
	}
}

// age is whole years at the printing date ("" without a birth date).
func age(birth string, at time.Time) string {
	b, err := time.Parse("2006-01-02", birth)
	if err != nil {
		return ""
	}
	y := at.Year() - b.Year()
	if at.Month() < b.Month() || at.Month() == b.Month() && at.Day() < b.Day() {
		y--
	}
	if y < 0 {
		return ""
	}
	return fmt.Sprintf("%d", y)
}

func (l *layout) tableHead(cols []col, y float64, title string) (float64, error) {
	p := l.pdf
	if err := l.text(title, margin, y, contentW, 6, 11, "table title", typeset.Style{Color: ink, Bold: true}); err != nil {
		return 0, err
	}
	y += 7
	x := margin
	for _, c := range cols {
		p.SetFillRGBA(headFill)
		p.SetStroke(rule, 0.2, false)
		p.Rect(x, y, c.w, rowH, "FD")
		if err := l.text(c.title, x+0.5, y, c.w-1, rowH, 9, "column heading", typeset.Style{Color: ink, Align: typeset.Center}); err != nil {
			return 0, err
		}
		x += c.w
	}
	return y + rowH, nil
}

// members is the table of residents, continued on further pages when a
// large household does not fit.
func (l *layout) members(s *Sheet, y float64) (float64, error) {
	cols := l.memberCols()
	y, err := l.tableHead(cols, y, fmt.Sprintf("家庭成员（%d人）", len(s.Members)))
	if err != nil {
		return 0, err
	}
	p := l.pdf
	if len(s.Members) == 0 {
		p.SetStroke(rule, 0.2, false)
		p.Rect(margin, y, contentW, rowH, "D")
		return y + rowH, l.text("未登记家庭成员", margin, y, contentW, rowH, 9.5, "", typeset.Style{Color: grey, Align: typeset.Center})
	}
	for i := range s.Members {
		if y+rowH > footerY-8 {
			if err := l.newPage(); err != nil {
				return 0, err
			}
			if y, err = l.tableHead(cols, margin, fmt.Sprintf("家庭成员（续）　%s %s 户", s.Number, s.Owner)); err != nil {
				return 0, err
			}
		}
		m := &s.Members[i]
		x := margin
		fill := white
		if m.Relation == "户主" {
			fill = ownerFill
		}
		for _, c := range cols {
			p.SetFillRGBA(fill)
			p.SetStroke(rule, 0.2, false)
			p.Rect(x, y, c.w, rowH, "FD")
			size := 9.5
			if c.title == "身份证号" || c.title == "联系电话" {
				size = 9
			}
			st := typeset.Style{Color: ink, Align: typeset.Center}
			if c.title == "类别 / 备注" {
				st.Align = typeset.Left
			}
			if err := l.text(c.value(m), x+1, y, c.w-2, rowH, size, c.title, st); err != nil {
				return 0, err
			}
			x += c.w
		}
		y += rowH
	}
	return y, nil
}

// visits lists the recorded visits (newest first) and leaves ruled lines
// to write the next ones by hand.
func (l *layout) visits(s *Sheet, y float64) error {
	cols := []col{{title: "走访日期", w: 26}, {title: "走访人", w: 24}, {title: "走访情况", w: contentW - 50}}
	p := l.pdf
	head := func(y float64, title string) (float64, error) { return l.tableHead(cols, y, title) }
	if y+6+7+3*rowH > footerY-8 {
		if err := l.newPage(); err != nil {
			return err
		}
		y = margin
	}
	title := "走访记录"
	if len(s.Visits) > 0 {
		title += "（最近一次 " + s.Visits[0].Date + "）"
	}
	y, err := head(y, title)
	if err != nil {
		return err
	}
	// Every recorded visit, then ruled lines to the foot of the page.
	rows := max(len(s.Visits), int((footerY-8-y)/rowH))
	for i := 0; i < rows; i++ {
		if y+rowH > footerY-8 {
			if i >= len(s.Visits) {
				break
			}
			if err := l.newPage(); err != nil {
				return err
			}
			if y, err = head(margin, "走访记录（续）"); err != nil {
				return err
			}
		}
		var v Visit
		if i < len(s.Visits) {
			v = s.Visits[i]
		}
		x := margin
		for j, c := range cols {
			p.SetStroke(rule, 0.2, false)
			p.Rect(x, y, c.w, rowH, "D")
			st := typeset.Style{Color: ink, Align: typeset.Center}
			if j == 2 {
				st.Align = typeset.Left
			}
			if err := l.text([]string{v.Date, v.Officer, v.Notes}[j], x+1.5, y, c.w-3, rowH, 9.5, c.title, st); err != nil {
				return err
			}
			x += c.w
		}
		y += rowH
	}
	return nil
}
