// Package sheet owns the per-house resident sheet (户情卡, in the spirit of
// the 居民信息平面图 officers keep for every house): one A4 page per
// household with the door number as painted, the house, the head and
// their phone, every member, the categories and warning colour, the last
// visits and ruled lines for the next ones. It works on plain values; the
// caller decides which ID numbers may be shown (masked or full) before
// handing them over.
package sheet

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"cunjing/print/fonts"
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
	Printed time.Time // printing date (ages are counted to it); zero: now
}

// Page geometry in millimetres (A4 portrait).
const (
	pageW, pageH = 210.0, 297.0
	margin       = 12.0
	contentW     = pageW - 2*margin
	footerY      = pageH - margin + 3
	rowH         = 7.0
)

type rgb struct{ r, g, b int }

var (
	plateBlue = rgb{21, 82, 160} // door plates are white on blue
	ink       = rgb{25, 25, 25}
	grey      = rgb{110, 110, 110}
	rule      = rgb{150, 150, 150}
	headFill  = rgb{226, 234, 244}
	warnColor = map[string]rgb{"红": {211, 47, 47}, "橙": {239, 124, 0}, "绿": {46, 125, 50}}
	catColor  = map[string]rgb{
		"党员": {198, 40, 40}, "重点户": {136, 14, 79}, "留守老人": {230, 81, 0}, "留守儿童": {249, 168, 37},
		"独居": {106, 27, 154}, "五保户": {121, 85, 72}, "出租屋": {21, 101, 192}, "流动人口": {0, 131, 143}, "网格员": {46, 125, 50},
	}
	otherCat = rgb{96, 125, 139}
)

// WritePDF renders one page per sheet (more when a household has many
// members or visits) with font, a CJK TrueType from print/fonts.
func WritePDF(w io.Writer, sheets []Sheet, font *fonts.Font, opt Options) (err error) {
	if len(sheets) == 0 {
		return fmt.Errorf("resident sheet: no household to print")
	}
	if font == nil || len(font.TTF) == 0 {
		return fmt.Errorf("resident sheet: no font")
	}
	// gofpdf only prints a message for a font it cannot read and panics
	// later, so check it the way print/fonts does first.
	if _, err := fonts.FromBytes(font.Name, font.TTF); err != nil {
		return fmt.Errorf("resident sheet: font %s: %w", font.Name, err)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("resident sheet: PDF layout failed: %v", r)
		}
	}()
	if opt.Printed.IsZero() {
		opt.Printed = time.Now()
	}
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, margin)
	pdf.AddUTF8FontFromBytes("cjk", "", font.TTF)
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("resident sheet: font %s: %w", font.Name, err)
	}
	title := "居民信息户情卡"
	if len(sheets) == 1 {
		title = strings.TrimSpace(sheets[0].Village + " " + sheets[0].Number + " " + sheets[0].Owner + " 户情卡")
	}
	pdf.SetTitle(title, true)
	pdf.SetCreator("cunjing", true)
	pdf.SetCreationDate(opt.Printed)
	pdf.SetModificationDate(opt.Printed)
	l := &layout{pdf: pdf, opt: opt}
	pdf.SetFooterFunc(l.footer)
	for i := range sheets {
		l.sheet(&sheets[i])
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
	pdf *gofpdf.Fpdf
	opt Options
	cur *Sheet
}

func (l *layout) color(c rgb)     { l.pdf.SetTextColor(c.r, c.g, c.b) }
func (l *layout) fill(c rgb)      { l.pdf.SetFillColor(c.r, c.g, c.b) }
func (l *layout) draw(c rgb)      { l.pdf.SetDrawColor(c.r, c.g, c.b) }
func (l *layout) font(pt float64) { l.pdf.SetFont("cjk", "", pt) }

func (l *layout) footer() {
	pdf := l.pdf
	l.font(7.5)
	l.color(grey)
	pdf.SetXY(margin, footerY-4)
	left := "内部资料　注意保密　" + strings.TrimSpace(l.opt.Post)
	pdf.CellFormat(contentW/2, 4, left, "", 0, "L", false, 0, "")
	right := "打印于 " + l.opt.Printed.Format("2006-01-02")
	if l.cur != nil {
		right = strings.TrimSpace(l.cur.Village+" "+l.cur.Number) + "　" + right
	}
	pdf.CellFormat(contentW/2, 4, right+fmt.Sprintf("　第%d页", pdf.PageNo()), "", 0, "R", false, 0, "")
}

// fit shortens s with "…" until it fits width at the current font.
func (l *layout) fit(s string, width float64) string {
	if l.pdf.GetStringWidth(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && l.pdf.GetStringWidth(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// fitSize returns the largest size from pt down to minPt at which s fits.
func (l *layout) fitSize(s string, width, pt, minPt float64) float64 {
	for ; pt > minPt; pt -= 0.5 {
		l.font(pt)
		if l.pdf.GetStringWidth(s) <= width {
			return pt
		}
	}
	l.font(minPt)
	return minPt
}

func (l *layout) sheet(s *Sheet) {
	l.cur = s
	l.pdf.AddPage()
	y := l.head(s, margin)
	y = l.facts(s, y+4)
	y = l.categories(s, y+3)
	y = l.members(s, y+4)
	l.visits(s, y+5)
}

// head draws the door plate, the household's name line and the warning.
func (l *layout) head(s *Sheet, y float64) float64 {
	pdf := l.pdf
	const plateW, plateH = 46.0, 30.0
	l.fill(plateBlue)
	pdf.RoundedRect(margin, y, plateW, plateH, 2.5, "1234", "F")
	l.draw(rgb{255, 255, 255})
	pdf.SetLineWidth(0.6)
	pdf.RoundedRect(margin+1.5, y+1.5, plateW-3, plateH-3, 1.8, "1234", "D")
	pdf.SetTextColor(255, 255, 255)
	l.font(9)
	pdf.SetXY(margin, y+3.5)
	pdf.CellFormat(plateW, 4, l.fit(s.Village, plateW-6), "", 0, "C", false, 0, "")
	num := s.Number
	if num == "" {
		num = "—"
	}
	l.fitSize(num, plateW-8, 34, 12)
	pdf.SetXY(margin, y+9)
	pdf.CellFormat(plateW, plateH-13, num, "", 0, "C", false, 0, "")
	l.font(8)
	pdf.SetXY(margin, y+plateH-6)
	pdf.CellFormat(plateW, 4, "号", "", 0, "C", false, 0, "")

	x := margin + plateW + 6
	w := contentW - plateW - 6
	l.color(grey)
	l.font(9)
	pdf.SetXY(x, y+1)
	pdf.CellFormat(w, 4.5, "居民信息户情卡", "", 0, "L", false, 0, "")
	l.color(ink)
	name := s.Owner
	if name == "" {
		name = "（户主未登记）"
	}
	l.font(l.fitSize(name+" 户", w-40, 22, 12))
	pdf.SetXY(x, y+7)
	pdf.CellFormat(w-40, 10, name+" 户", "", 0, "L", false, 0, "")
	l.font(12)
	pdf.SetXY(x, y+18)
	phone := s.OwnerPhone
	if phone == "" {
		phone = "电话未登记"
	}
	pdf.CellFormat(w-40, 6, "电话　"+phone, "", 0, "L", false, 0, "")
	l.font(9)
	l.color(grey)
	pdf.SetXY(x, y+24.5)
	pdf.CellFormat(w, 5, l.fit(strings.TrimSpace(s.Address), w), "", 0, "L", false, 0, "")

	// Warning colour, top right.
	if c, ok := warnColor[s.Warning]; ok {
		const bw, bh = 34.0, 14.0
		bx := margin + contentW - bw
		l.fill(c)
		pdf.RoundedRect(bx, y+1, bw, bh, 2, "1234", "F")
		pdf.SetTextColor(255, 255, 255)
		l.font(8)
		pdf.SetXY(bx, y+2.2)
		pdf.CellFormat(bw, 4, "预警等级", "", 0, "C", false, 0, "")
		l.font(14)
		pdf.SetXY(bx, y+6.5)
		pdf.CellFormat(bw, 7, s.Warning+"色", "", 0, "C", false, 0, "")
	}
	l.color(ink)
	return y + plateH
}

// facts is the house in two columns of label and value.
func (l *layout) facts(s *Sheet, y float64) float64 {
	area := ""
	if s.AreaM2 > 0 {
		area = strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", s.AreaM2), "0"), ".") + " ㎡"
	}
	tenant := strings.TrimSpace(s.Tenant + " " + s.TenantPhone)
	items := [][2]string{
		{"房屋类型", join(" / ", s.HouseType, s.HouseUse)}, {"结构 / 面积", join(" / ", s.Structure, area)},
		{"居住状态", s.Status}, {"承租人", tenant},
		{"所属网格", s.GridCell}, {"家庭人口", fmt.Sprintf("%d 人", len(s.Members))},
	}
	pdf := l.pdf
	l.draw(rule)
	pdf.SetLineWidth(0.2)
	colW := contentW / 2
	const labelW, h = 24.0, 6.5
	for i, it := range items {
		x := margin + float64(i%2)*colW
		yy := y + float64(i/2)*h
		l.fill(headFill)
		pdf.Rect(x, yy, labelW, h, "FD")
		pdf.Rect(x+labelW, yy, colW-labelW, h, "D")
		l.font(9)
		l.color(grey)
		pdf.SetXY(x, yy)
		pdf.CellFormat(labelW, h, it[0], "", 0, "C", false, 0, "")
		l.color(ink)
		l.font(10)
		pdf.SetXY(x+labelW+1.5, yy)
		pdf.CellFormat(colW-labelW-3, h, l.fit(it[1], colW-labelW-3), "", 0, "L", false, 0, "")
	}
	y += float64((len(items)+1)/2) * h
	if n := strings.TrimSpace(s.Notes); n != "" {
		l.fill(headFill)
		pdf.Rect(margin, y, labelW, h, "FD")
		pdf.Rect(margin+labelW, y, contentW-labelW, h, "D")
		l.font(9)
		l.color(grey)
		pdf.SetXY(margin, y)
		pdf.CellFormat(labelW, h, "备注", "", 0, "C", false, 0, "")
		l.color(ink)
		pdf.SetXY(margin+labelW+1.5, y)
		pdf.CellFormat(contentW-labelW-3, h, l.fit(n, contentW-labelW-3), "", 0, "L", false, 0, "")
		y += h
	}
	return y
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
func (l *layout) categories(s *Sheet, y float64) float64 {
	cats := append([]string(nil), s.Categories...)
	for _, m := range s.Members {
		for _, c := range m.Categories {
			if !contains(cats, c) {
				cats = append(cats, c)
			}
		}
	}
	pdf := l.pdf
	l.font(9)
	l.color(grey)
	pdf.SetXY(margin, y)
	pdf.CellFormat(18, 6, "关注类别", "", 0, "L", false, 0, "")
	x := margin + 18
	if len(cats) == 0 {
		pdf.CellFormat(40, 6, "无", "", 0, "L", false, 0, "")
		return y + 6
	}
	l.font(9.5)
	for _, c := range cats {
		w := pdf.GetStringWidth(c) + 5
		if x+w > margin+contentW {
			x = margin + 18
			y += 7.5
		}
		col, ok := catColor[c]
		if !ok {
			col = otherCat
		}
		l.fill(col)
		pdf.RoundedRect(x, y, w, 6, 1.5, "1234", "F")
		pdf.SetTextColor(255, 255, 255)
		pdf.SetXY(x, y)
		pdf.CellFormat(w, 6, c, "", 0, "C", false, 0, "")
		x += w + 2.5
	}
	l.color(ink)
	return y + 6
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
		{"联系电话", 25, func(m *Member) string { return m.Phone }},
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

func (l *layout) tableHead(cols []col, y float64, title string) float64 {
	pdf := l.pdf
	l.font(11)
	l.color(ink)
	pdf.SetXY(margin, y)
	pdf.CellFormat(contentW, 6, title, "", 0, "L", false, 0, "")
	y += 7
	l.fill(headFill)
	l.draw(rule)
	pdf.SetLineWidth(0.2)
	l.font(9)
	x := margin
	for _, c := range cols {
		pdf.Rect(x, y, c.w, rowH, "FD")
		pdf.SetXY(x, y)
		pdf.CellFormat(c.w, rowH, c.title, "", 0, "C", false, 0, "")
		x += c.w
	}
	return y + rowH
}

// members is the table of residents, continued on further pages when a
// large household does not fit.
func (l *layout) members(s *Sheet, y float64) float64 {
	cols := l.memberCols()
	y = l.tableHead(cols, y, fmt.Sprintf("家庭成员（%d人）", len(s.Members)))
	pdf := l.pdf
	if len(s.Members) == 0 {
		l.font(9.5)
		l.color(grey)
		pdf.Rect(margin, y, contentW, rowH, "D")
		pdf.SetXY(margin, y)
		pdf.CellFormat(contentW, rowH, "未登记家庭成员", "", 0, "C", false, 0, "")
		return y + rowH
	}
	for i := range s.Members {
		if y+rowH > footerY-8 {
			pdf.AddPage()
			y = l.tableHead(cols, margin, fmt.Sprintf("家庭成员（续）　%s %s 户", s.Number, s.Owner))
		}
		m := &s.Members[i]
		x := margin
		if m.Relation == "户主" {
			pdf.SetFillColor(248, 248, 240)
		} else {
			pdf.SetFillColor(255, 255, 255)
		}
		for _, c := range cols {
			pdf.Rect(x, y, c.w, rowH, "FD")
			v := c.value(m)
			size := 9.5
			if c.title == "身份证号" || c.title == "联系电话" {
				size = 9
			}
			l.font(l.fitSize(v, c.w-2, size, 7))
			l.color(ink)
			align := "C"
			if c.title == "类别 / 备注" {
				align = "L"
			}
			pdf.SetXY(x+1, y)
			pdf.CellFormat(c.w-2, rowH, l.fit(v, c.w-2), "", 0, align, false, 0, "")
			x += c.w
		}
		y += rowH
	}
	return y
}

// visits lists the recorded visits (newest first) and leaves ruled lines
// to write the next ones by hand.
func (l *layout) visits(s *Sheet, y float64) {
	cols := []struct {
		title string
		w     float64
	}{{"走访日期", 26}, {"走访人", 24}, {"走访情况", contentW - 50}}
	pdf := l.pdf
	head := func(y float64, title string) float64 {
		l.font(11)
		l.color(ink)
		pdf.SetXY(margin, y)
		pdf.CellFormat(contentW, 6, title, "", 0, "L", false, 0, "")
		y += 7
		l.fill(headFill)
		l.draw(rule)
		l.font(9)
		x := margin
		for _, c := range cols {
			pdf.Rect(x, y, c.w, rowH, "FD")
			pdf.SetXY(x, y)
			pdf.CellFormat(c.w, rowH, c.title, "", 0, "C", false, 0, "")
			x += c.w
		}
		return y + rowH
	}
	if y+6+7+3*rowH > footerY-8 {
		pdf.AddPage()
		y = margin
	}
	title := "走访记录"
	if len(s.Visits) > 0 {
		title += "（最近一次 " + s.Visits[0].Date + "）"
	}
	y = head(y, title)
	// Every recorded visit, then ruled lines to the foot of the page.
	rows := max(len(s.Visits), int((footerY-8-y)/rowH))
	for i := 0; i < rows; i++ {
		if y+rowH > footerY-8 {
			if i >= len(s.Visits) {
				break
			}
			pdf.AddPage()
			y = head(margin, "走访记录（续）")
		}
		var v Visit
		if i < len(s.Visits) {
			v = s.Visits[i]
		}
		x := margin
		for j, c := range cols {
			pdf.Rect(x, y, c.w, rowH, "D")
			val := []string{v.Date, v.Officer, v.Notes}[j]
			l.font(l.fitSize(val, c.w-3, 9.5, 7))
			l.color(ink)
			align := "C"
			if j == 2 {
				align = "L"
			}
			pdf.SetXY(x+1.5, y)
			pdf.CellFormat(c.w-3, rowH, l.fit(val, c.w-3), "", 0, align, false, 0, "")
			x += c.w
		}
		y += rowH
	}
}
