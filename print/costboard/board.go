package costboard

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"cunjing/assets"
	"cunjing/print"
	"cunjing/print/typeset"
)

// Board is one cost-of-fighting board as the designer fills it in.
type Board struct {
	Title    string // e.g. 打架成本警示牌
	Subtitle string // one line under the title; may be ""
	Venue    string // where it hangs; printed under the title
	Items    []assets.CostItem
	Slogan   string
	Contact  print.Contact
	Issuer   string // who publishes it, e.g. "城关派出所 宣"; may be ""
	// LegalBasis overrides the footer's citation line derived from Items.
	LegalBasis string
	// CheckedOn overrides the footer date; "" takes the latest item date.
	CheckedOn string
}

// Default is a board with the default wording around items.
func Default(items []assets.CostItem, venue string, c print.Contact) Board {
	return Board{
		Title:    "打架成本警示牌",
		Subtitle: "冲动一时，代价一世",
		Venue:    venue,
		Items:    items,
		Slogan:   "遇事冷静 有话好说 动手必吃亏",
		Contact:  c,
	}
}

// DefaultItems picks from the station's items (already filtered with
// assets.InForce) the lines each template is designed for: the table takes
// them all; the calculator one case of the public-order tier (the first
// detention and fine lines, every economic and family line) plus the first
// criminal lines; the poster the four headline numbers and the lines
// without numbers.
func DefaultItems(t Template, items []assets.CostItem) []assets.CostItem {
	all := append([]assets.CostItem(nil), items...)
	assets.SortItems(all)
	if t == TemplateTable {
		return all
	}
	var out []assets.CostItem
	firstWith := func(tier, grp, unit string) {
		for _, it := range all {
			if it.Tier == tier && it.Grp == grp && it.Unit == unit && it.HasAmount() {
				out = append(out, it)
				return
			}
		}
	}
	firstWith(assets.TierPublicOrder, assets.GroupLegal, "日")
	firstWith(assets.TierPublicOrder, assets.GroupLegal, "元")
	switch t {
	case TemplateCalculator:
		for _, it := range all {
			if it.Tier == assets.TierPublicOrder && it.Grp != assets.GroupLegal {
				out = append(out, it)
			}
		}
		n := 0
		for _, it := range all {
			if it.Tier == assets.TierCriminal && it.Grp == assets.GroupLegal && n < 2 {
				out = append(out, it)
				n++
			}
		}
	case TemplatePoster:
		firstWith(assets.TierCriminal, assets.GroupLegal, "年")
		firstWith(assets.TierPublicOrder, assets.GroupEconomic, "元")
		// Under the numbers: family lines first (they move people), then
		// what else must be paid.
		for _, grp := range []string{assets.GroupFamily, assets.GroupEconomic} {
			for _, it := range all {
				if !it.HasAmount() && it.Grp == grp && it.Tier == assets.TierPublicOrder && len(out) < 8 {
					out = append(out, it)
				}
			}
		}
	}
	return out
}

// Issue is something the designer should show about a board.
type Issue struct {
	ItemID   string // "" for board fields
	Field    string
	Problem  string
	Blocking bool // printing is refused while it stands
}

func (i Issue) String() string {
	if i.ItemID != "" {
		return fmt.Sprintf("item %s %s: %s", i.ItemID, i.Field, i.Problem)
	}
	return fmt.Sprintf("%s: %s", i.Field, i.Problem)
}

// Check lists what is wrong or unsettled: invalid items (including
// record wording on the public-order tier) block printing, unconfirmed
// amounts do not unless requireConfirmed is set.
func Check(b Board, requireConfirmed bool) []Issue {
	var out []Issue
	if strings.TrimSpace(b.Title) == "" {
		out = append(out, Issue{Field: "title", Problem: "required", Blocking: true})
	}
	if len(b.Items) == 0 {
		out = append(out, Issue{Field: "items", Problem: "a board needs at least one cost item", Blocking: true})
	}
	for _, it := range b.Items {
		if err := assets.ValidateCostItem(it); err != nil {
			out = append(out, Issue{ItemID: it.ID, Field: "item", Problem: err.Error(), Blocking: true})
		}
		if it.HasAmount() && !it.Confirmed {
			out = append(out, Issue{ItemID: it.ID, Field: "confirmed", Problem: fmt.Sprintf("amount %s not yet confirmed by the station", FormatAmount(it)), Blocking: requireConfirmed})
		}
	}
	for _, w := range []struct{ field, text string }{{"slogan", b.Slogan}, {"subtitle", b.Subtitle}} {
		if r := assets.RecordWording(w.text); r != "" && !hasCriminal(b.Items) {
			out = append(out, Issue{Field: w.field, Problem: fmt.Sprintf("%q: record wording with no criminal-tier item (public-order records are sealed)", r), Blocking: true})
		}
	}
	return out
}

func hasCriminal(items []assets.CostItem) bool {
	for _, it := range items {
		if it.Tier == assets.TierCriminal {
			return true
		}
	}
	return false
}

func blocking(issues []Issue) error {
	var msgs []string
	for _, i := range issues {
		if i.Blocking {
			msgs = append(msgs, i.String())
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return errors.New("board cannot be printed: " + strings.Join(msgs, "; "))
}

// num prints an amount without a trailing ".0".
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// FormatAmount writes an item's amount as a board prints it: "5–10日",
// "2000元以下", "10年以上", "500元"; "" when the line has no number.
func FormatAmount(it assets.CostItem) string {
	mn, mx, u := it.AmountMin, it.AmountMax, it.Unit
	switch {
	case mn == 0 && mx == 0:
		return ""
	case mx == 0:
		return num(mn) + u + "以上"
	case mn == 0:
		return num(mx) + u + "以下"
	case mn == mx:
		return num(mn) + u
	}
	return num(mn) + "–" + num(mx) + u
}

var groupNames = map[string]string{
	assets.GroupLegal:    "法律代价",
	assets.GroupEconomic: "经济代价",
	assets.GroupFamily:   "家庭与前途",
}

var tierHeads = map[string]string{
	assets.TierPublicOrder: "治安处罚 · 打人致轻微伤及以下",
	assets.TierCriminal:    "刑事责任 · 致人轻伤及以上，构成犯罪",
}

// articleNum strips 第…条 so several articles of one law can be joined.
func articleNum(a string) string {
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(a), "第"), "条")
}

func chineseDate(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// innerTitles writes a title inside a law's title with single angle
// brackets (《…适用〈…刑事诉讼法〉的解释》).
var innerTitles = strings.NewReplacer("《", "〈", "》", "〉")

// legalBasis cites each law once, with its version, effective date and
// the articles the board uses, in order of first use.
func legalBasis(items []assets.CostItem) string {
	type law struct {
		version, eff string
		arts         []string
	}
	var order []string
	laws := map[string]*law{}
	for _, it := range items {
		if it.Law == "" {
			continue
		}
		l, ok := laws[it.Law]
		if !ok {
			l = &law{version: it.LawVersion, eff: it.EffectiveDate}
			laws[it.Law] = l
			order = append(order, it.Law)
		}
		if a := articleNum(it.Article); a != "" && !contains(l.arts, a) {
			l.arts = append(l.arts, a)
		}
	}
	var parts []string
	for _, name := range order {
		l := laws[name]
		p := "《" + innerTitles.Replace(name) + "》"
		var v []string
		if l.version != "" {
			v = append(v, l.version)
		}
		if l.eff != "" {
			v = append(v, chineseDate(l.eff)+"起施行")
		}
		if len(v) > 0 {
			p += "（" + strings.Join(v, "，") + "）"
		}
		if len(l.arts) > 0 {
			p += "第" + strings.Join(l.arts, "、") + "条"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "；")
}

// interpretations finds the court interpretations and State Council
// orders an item's Source cites (法释〔2022〕14号, 国务院令第481号).
var interpretations = regexp.MustCompile(`法释〔\d{4}〕\d+号|国务院令第\d+号`)

// sourceLine is what the board's items rest on beyond the laws the
// legal basis cites, read from each item's Source: the court
// interpretations and State Council orders, then who set each local
// figure; none the basis already names. "" when there is nothing more
// to say.
func sourceLine(items []assets.CostItem, basis string) string {
	var refs, local []string
	for _, it := range items {
		for _, r := range interpretations.FindAllString(it.Source, -1) {
			if !contains(refs, r) && !strings.Contains(basis, r) {
				refs = append(refs, r)
			}
		}
		if src := strings.TrimSpace(it.Source); it.Local && src != "" && !contains(local, src) {
			local = append(local, src)
		}
	}
	var parts []string
	if len(refs) > 0 {
		for i, r := range refs {
			refs[i] = typeset.Join(r) // one citation is never broken
		}
		parts = append(parts, "另据"+strings.Join(refs, "、"))
	}
	if len(local) > 0 {
		parts = append(parts, "【本地】数额来源："+strings.Join(local, "；"))
	}
	return strings.Join(parts, "；")
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func latestChecked(items []assets.CostItem) string {
	d := ""
	for _, it := range items {
		if it.CheckedOn > d {
			d = it.CheckedOn
		}
	}
	return d
}

func anyUnconfirmed(items []assets.CostItem) bool {
	for _, it := range items {
		if it.HasAmount() && !it.Confirmed {
			return true
		}
	}
	return false
}

// Logical board geometry: every template is designed on a canvas 297 mm
// wide (A3) whose height follows the chosen size's aspect, then scaled, so
// A4 and 90×120 cm boards look alike.
const (
	logicalW = 297.0
	bMargin  = 12.0
	headH    = 52.0
	venueH   = 15.0
	footH    = 24.0
	contactH = 46.0
	sloganH  = 26.0
	minBodyH = 90.0
	// sloganMinH is the slogan band an A4 table board closes down to
	// for a post's name on two lines: the slogan still a line above the
	// body minimum.
	sloganMinH = 16.0
	unconfirm  = "待核实"
)

// Legibility (docs/PRINTING.md). Someone with normal sight reads a Chinese
// character comfortably when its em (the font size) subtends about 10
// minutes of arc, D/344 at a distance D. A board's body text — titles,
// items, amounts, the slogan, the contact and the phone — must read at
// ReadingDistanceMM; fine print — the legal citations and dates in the
// footer, 待核实 marks, captions — at arm's length (FineDistanceMM). The
// minimums are in millimetres on the finished board, so the layout, which
// is drawn on a 297 mm canvas and scaled, turns them into points per size.
const (
	ReadingDistanceMM = 2000.0
	FineDistanceMM    = 860.0
	BodyMinMM         = ReadingDistanceMM / 344 // 5.8 mm ≈ 16.5 pt
	FineMinMM         = FineDistanceMM / 344    // 2.5 mm ≈ 7.1 pt
)

// MinTextMM is the smallest em, in millimetres on the finished board, that
// a board prints body text (fine false) or fine print (fine true) at.
func MinTextMM(fine bool) float64 {
	if fine {
		return FineMinMM
	}
	return BodyMinMM
}

// Wall boards. A board of 60×90 cm or larger hangs on a shop's wall and is
// read across the shop, from 2–3 m; its body text must read at the far end,
// WallDistanceMM. The measure is ISO 9241-3's: a character shall subtend
// at least 16 minutes of arc (20–22′ preferred); the US FAA's rule of
// thumb, a character 1/200 of the viewing distance (17′), agrees. A
// Chinese character is designed on its em square and fills nearly all of
// it (wqy-microhei's ink is 0.91 em; a Latin capital's 0.71), so the
// minimum is set on the em: 3 m × tan 16′ = 14.0 mm ≈ 40 pt. Its ink,
// 12.7 mm, subtends 16′ from 2.7 m in and the preferred 20′ from 2.2 m in.
// BodyMinMM (5.8 mm) is the same 16′ at 1.25 m: right for an A4 or A3
// sheet read at a counter or a door, not across a shop — at 3 m the 60×90
// table's 7.5 mm item text subtended 8.6′, half the minimum. Fine print is
// still read at arm's length (FineMinMM).
const (
	WallDistanceMM     = 3000.0
	WallBoardMinSideMM = 600.0
	WallBodyMinMM      = 14.0 // ≈ WallDistanceMM × tan 16′ (13.96), 39.7 pt
)

// MinTextMMFor is MinTextMM for a board of size sz: body text on a wall
// board (short side at least WallBoardMinSideMM) at least WallBodyMinMM.
func MinTextMMFor(sz print.Size, fine bool) float64 {
	if !fine && math.Min(sz.W, sz.H) >= WallBoardMinSideMM {
		return WallBodyMinMM
	}
	return MinTextMM(fine)
}

// boardDrawer draws one board on the logical canvas.
type boardDrawer struct {
	b     Board
	t     Template
	h     float64 // logical height
	scale float64 // finished millimetres per logical millimetre
	bleed float64 // logical bleed to paint edge bands into
	size  print.Size
}

// minPt is the smallest size, in logical points, text of the role may be
// set at on this board.
func (d *boardDrawer) minPt(fine bool) float64 {
	return MinTextMMFor(d.size, fine) / (print.PtMM * d.scale)
}

// drawBoard lays the board out on s (logical units). Text that cannot fit
// its box even at its smallest size is an *OverflowError, whose box and
// size are given as printed on the finished board.
func (d *boardDrawer) draw(s print.Surface) (err error) {
	defer func() {
		var oe *print.OverflowError
		if errors.As(err, &oe) && d.scale > 0 {
			oe.W, oe.H, oe.MinPt = oe.W*d.scale, oe.H*d.scale, oe.MinPt*d.scale
		}
	}()
	b, W, H := d.b, logicalW, d.h
	body := d.minPt(false)
	bodyTop := headH + 4
	if b.Venue != "" {
		bodyTop = headH + venueH + 4
	}
	foot, bandH, err := d.footer(s)
	if err != nil {
		return err
	}
	footTop := H - bandH
	geom := func(cH, sH float64) (contactTop, sloganTop, bodyBottom float64) {
		contactTop = footTop - cH - 4
		sloganTop = contactTop - sH - 2
		if b.Slogan == "" {
			sloganTop = contactTop
		}
		return contactTop, sloganTop, sloganTop - 3
	}
	cH, sH := contactH, sloganH
	if d.orgLines(s, b.Contact) == 2 {
		cH += contactLineH
	}
	contactTop, sloganTop, bodyBottom := geom(cH, sH)
	if d.t == TemplateTable && (cH > contactH || !d.size.Paper) {
		// The table's items fill an A4 board: a contact grown by a whole
		// line crowds them out. Its four lines close up to the body
		// minimum's leading and the slogan band gives up what else the
		// items need, down to sloganMinH. On a wall board the slogan band
		// gives up room for the items' lines too (its slogan, 40 pt at A3
		// scale, stays far above the body minimum): the 60×90 table left
		// out the repeat offence's 从重 for want of one line's height.
		body := func(bottom float64) print.Rect {
			return print.Rect{X: bMargin, Y: bodyTop, W: W - 2*bMargin, H: bottom - bodyTop}
		}
		if _, _, e := d.tableLayout(s, b.Items, body(bodyBottom)); e != nil {
			tight := math.Max(contactH, 6+4*lineHAt(d.minPt(false)))
			for h := sloganH; h >= sloganMinH; h -= 2 {
				ct, st, bb := geom(tight, h)
				if _, _, e := d.tableLayout(s, b.Items, body(bb)); e == nil {
					cH, sH, contactTop, sloganTop, bodyBottom = tight, h, ct, st, bb
					break
				}
			}
		}
	}
	if bodyBottom-bodyTop < minBodyH {
		return fmt.Errorf("the %s template needs a taller board: %.0f mm of body at A3 scale, at least %.0f (choose a portrait size)", d.t, bodyBottom-bodyTop, minBodyH)
	}

	// Header band, into the bleed on three sides.
	e := d.bleed
	s.FillRect(-e, -e, W+2*e, headH+e, print.Red)
	titleH := headH - 8.0
	if b.Subtitle != "" {
		titleH = 32
	}
	pt, err := print.FitLine(s, "title", b.Title, W-2*bMargin, titleH, 66, body)
	if err != nil {
		return err
	}
	print.TextAt(s, bMargin, W-2*bMargin, print.LineBaseline(4, titleH, pt), pt, print.Style{Color: print.White, Bold: true}, 1, b.Title)
	if b.Subtitle != "" {
		spt, err := print.FitLine(s, "subtitle", b.Subtitle, W-2*bMargin, 15, 26, body)
		if err != nil {
			return err
		}
		print.TextAt(s, bMargin, W-2*bMargin, print.LineBaseline(35.5, 15, spt), spt, print.Style{Color: print.Yellow, Bold: true}, 1, b.Subtitle)
	}
	if b.Venue != "" {
		s.FillRect(-e, headH, W+2*e, venueH, print.LightBlue)
		vpt, err := print.FitLine(s, "venue name", b.Venue, W-2*bMargin, venueH-2, 26, body)
		if err != nil {
			return err
		}
		print.TextAt(s, bMargin, W-2*bMargin, print.LineBaseline(headH, venueH, vpt), vpt, print.Style{Color: print.Blue, Bold: true}, 1, b.Venue)
	}

	r := print.Rect{X: bMargin, Y: bodyTop, W: W - 2*bMargin, H: bodyBottom - bodyTop}
	switch d.t {
	case TemplateTable:
		err = d.drawTable(s, b.Items, r)
	case TemplateCalculator:
		err = d.drawCalculator(s, b.Items, r)
	case TemplatePoster:
		err = d.drawPoster(s, b.Items, r)
	default:
		err = fmt.Errorf("unknown template %q", d.t)
	}
	var oe *print.OverflowError
	if errors.As(err, &oe) && cH > contactH {
		// The items did not fit above a contact grown for a long post
		// name: say what is too long, the name on its one line.
		if _, e := print.FitLine(s, "contact", b.Contact.Org(), contactTextW(), contactLineH, 24, body); e != nil {
			return e
		}
	}
	if err != nil {
		return err
	}

	if b.Slogan != "" {
		s.FillRect(bMargin, sloganTop, W-2*bMargin, sH, print.PaleRed)
		spt, err := print.FitLine(s, "slogan", b.Slogan, W-2*bMargin-8, sH-4, 40, body)
		if err != nil {
			return err
		}
		print.TextAt(s, bMargin, W-2*bMargin, print.LineBaseline(sloganTop, sH, spt), spt, print.Style{Color: print.Red, Bold: true}, 1, b.Slogan)
	}
	if err := d.drawContact(s, b.Contact, print.Rect{X: bMargin, Y: contactTop, W: W - 2*bMargin, H: cH}); err != nil {
		return err
	}
	d.drawFooter(s, footTop, bandH, foot)
	return nil
}

// edgeSafeMM is how far, in millimetres on the finished board, text keeps
// from the board's bottom edge: an office printer leaves 4–5 mm of an A4
// page unprinted, and a print shop asks for 3 mm inside the trim. The A4
// boards' last footer line sat 1.4 mm from the edge.
const edgeSafeMM = 5.0

// footPad is the space the footer keeps below its text, logical: 1.5 mm,
// or more on the small boards, so the text stays edgeSafeMM from the edge.
func (d *boardDrawer) footPad() float64 {
	if d.scale <= 0 {
		return 1.5
	}
	return math.Max(1.5, edgeSafeMM/d.scale)
}

// footer sets the footer's text: the legal basis, the items' sources
// where there is room, the dates and the issuer. It returns the block and
// the height of the band (logical): footH, unless the text needs more
// with footPad below it; the body above gives up what the band takes.
func (d *boardDrawer) footer(s print.Surface) (print.Fitted, float64, error) {
	b := d.b
	W := logicalW
	basis := b.LegalBasis
	if basis == "" {
		basis = legalBasis(b.Items)
	}
	checked := b.CheckedOn
	if checked == "" {
		checked = latestChecked(b.Items)
	}
	var meta []string
	if checked != "" {
		meta = append(meta, "数额核对日期："+checked)
	}
	if anyUnconfirmed(b.Items) {
		meta = append(meta, "标“"+unconfirm+"”的数额以派出所核实为准")
	}
	if b.Issuer != "" {
		meta = append(meta, b.Issuer)
	}
	compose := func(sources string) string {
		text := strings.TrimSpace("法律依据：" + basis)
		if basis == "" {
			text = ""
		}
		if sources != "" {
			if text != "" {
				text += "；"
			}
			text += sources
		}
		if len(meta) > 0 {
			if text != "" {
				text += "\n"
			}
			text += strings.Join(meta, "　")
		}
		return text
	}
	// The items' sources (court interpretations, who set a local figure)
	// go in where the footer has room for them; the legal basis and the
	// dates always do. The band grows when the text does not fit above
	// footPad.
	pad := d.footPad()
	var texts []string
	if src := sourceLine(b.Items, basis); src != "" && b.LegalBasis == "" {
		texts = append(texts, compose(src))
	}
	texts = append(texts, compose(""))
	var err error
	for _, text := range texts {
		for _, h := range []float64{footH - 1.5 - pad, footH - 3} {
			var f print.Fitted
			if f, err = print.Fit(s, "footer (legal basis)", text, W-2*bMargin, h, 12, d.minPt(true)); err == nil {
				return f, math.Max(footH, 1.5+h+pad), nil
			}
		}
	}
	return print.Fitted{}, 0, err
}

// drawFooter draws the footer band of height bandH at top, and its text
// f, centred in the band above footPad.
func (d *boardDrawer) drawFooter(s print.Surface, top, bandH float64, f print.Fitted) {
	W, e := logicalW, d.bleed
	s.FillRect(-e, top, W+2*e, bandH+e, print.Blue)
	box := bandH - 1.5 - d.footPad()
	print.DrawBlock(s, f, bMargin, top+1.5+(box-f.Height())/2, W-2*bMargin, print.Style{Color: print.White, Fine: true}, 0)
}

// contactLineH is the height of one of the contact's three lines.
const contactLineH = (contactH - 6) / 3

// lineHAt is the height of a line of the contact set at pt, a hair over
// so the line fits at pt after rounding.
func lineHAt(pt float64) float64 { return pt * print.PtMM * typeset.Leading * 1.002 }

// contactTextW is the width of the contact's text, left of the QR code.
func contactTextW() float64 { return logicalW - 2*bMargin - (contactH - 9) - 12 }

// orgLines is how many lines the post's name takes in the contact: two
// when it is too long for one at the body minimum (城关镇张庄村李家屯王家洼
// 赵家坪联合警务室第一工作站点值班室, 30 characters, on an A4 board), and
// two lines hold it; else one.
func (d *boardDrawer) orgLines(s print.Surface, c print.Contact) int {
	return len(d.orgBreak(s, c))
}

// orgBreak is the post's name as the contact sets it: one line, or two of
// about the same length (the narrowest measure that holds it in two).
func (d *boardDrawer) orgBreak(s print.Surface, c print.Contact) []string {
	org, pt, tw := c.Org(), d.minPt(false), contactTextW()
	if org == "" || s.Width(org, pt) <= tw {
		return []string{org}
	}
	for w := tw / 2; w <= tw; w += 2 {
		if l, ok := s.Break(org, pt, w); ok && len(l) == 2 {
			return l
		}
	}
	return []string{org}
}

// drawContact prints the post's contact at left and the QR code at right;
// a box taller than contactH (a post's name on two lines) keeps the QR
// code's size, centred.
func (d *boardDrawer) drawContact(s print.Surface, c print.Contact, r print.Rect) error {
	s.StrokeRect(r.X, r.Y, r.W, r.H, 0.6, print.Blue)
	img, key, err := c.QRImage(s)
	if err != nil {
		return err
	}
	q := contactH - 9
	qx := r.X + r.W - q - 4
	dy := (r.H - contactH) / 2
	s.Image(key, img, qx, r.Y+2+dy, q, q)
	caption := "扫码存民警电话"
	cpt, err := print.FitLine(s, "QR caption", caption, q+6, 6, 9, d.minPt(true))
	if err != nil {
		return err
	}
	print.TextAt(s, qx-3, q+6, print.LineBaseline(r.Y+dy+contactH-7, 6.5, cpt), cpt, print.Style{Color: print.Black, Fine: true}, 1, caption)

	tw := qx - r.X - 8
	type line struct {
		t  string
		st print.Style
		mx float64
	}
	var lines []line
	if org := c.Org(); org != "" {
		st := print.Style{Color: print.Blue, Bold: true}
		if two := d.orgBreak(s, c); len(two) == 2 {
			lines = append(lines, line{two[0], st, 24}, line{two[1], st, 24})
		} else {
			lines = append(lines, line{org, st, 24})
		}
	}
	title := c.Title
	if title == "" {
		title = "民警"
	}
	person := ""
	if c.Officer != "" {
		person = title + "：" + c.Officer + "　"
	}
	if c.Phone != "" {
		person += "电话：" + typeset.Phone(c.Phone)
	}
	if person != "" {
		lines = append(lines, line{person, print.Style{Color: print.Black, Bold: true}, 24})
	}
	lines = append(lines, line{"紧急情况 请拨打 110", print.Style{Color: print.Red, Bold: true}, 26})
	lh := (r.H - 6) / float64(len(lines))
	for i, l := range lines {
		pt, err := print.FitLine(s, "contact", l.t, tw, lh, l.mx, d.minPt(false))
		if err != nil {
			return err
		}
		print.TextAt(s, r.X+5, tw, print.LineBaseline(r.Y+3+float64(i)*lh, lh, pt), pt, l.st, 0, l.t)
	}
	return nil
}

// tableRow is one laid-out row of the table template.
type tableRow struct {
	kind      int // rowTier, rowGroup, rowItem
	label     string
	text, amt print.Fitted
	notePt    float64 // 待核实 under the amount when > 0
	h, amtW   float64
	hasAmount bool
	confirmed bool
}

const (
	rowTier = iota
	rowGroup
	rowItem
)

// drawTable prints the items grouped by tier and group: what happens in
// plain words at left, the amount in red at right. Every text is body text
// (it must read at ReadingDistanceMM), so the type shrinks uniformly from
// 28 pt until the whole table fits, but never below the body minimum; the
// legal citations are in the footer.
func (d *boardDrawer) drawTable(s print.Surface, items []assets.CostItem, r print.Rect) error {
	rows, pt, err := d.tableLayout(s, items, r)
	if err != nil {
		return err
	}
	const pad = tablePad
	y := r.Y
	shade := false
	for _, row := range rows {
		switch row.kind {
		case rowTier:
			s.FillRect(r.X, y, r.W, row.h, print.Blue)
			print.TextAt(s, r.X+pad*2, r.W, print.LineBaseline(y, row.h, pt*1.1), pt*1.1, print.Style{Color: print.White, Bold: true}, 0, row.label)
			shade = false
		case rowGroup:
			s.FillRect(r.X, y, r.W, row.h, print.LightBlue)
			print.TextAt(s, r.X+pad*2, r.W, print.LineBaseline(y, row.h, pt), pt, print.Style{Color: print.Blue, Bold: true}, 0, row.label)
			shade = false
		default:
			if shade {
				s.FillRect(r.X, y, r.W, row.h, print.LightGrey)
			}
			shade = !shade
			textW := r.W - 2*pad
			if row.hasAmount {
				textW -= row.amtW
				ax := r.X + r.W - row.amtW
				top := y + (row.h-row.amt.Height()-noteHeight(row.notePt))/2
				print.DrawBlock(s, row.amt, ax+pad, top, row.amtW-2*pad, print.Style{Color: print.Red, Bold: true}, 2)
				if row.notePt > 0 {
					print.TextAt(s, ax+pad, row.amtW-2*pad, top+row.amt.Height()+row.notePt*print.PtMM, row.notePt, print.Style{Color: print.Amber, Fine: true}, 2, "（"+unconfirm+"）")
				}
			}
			print.DrawBlock(s, row.text, r.X+pad, y+(row.h-row.text.Height())/2, textW, print.Style{Color: print.Black}, 0)
		}
		y += row.h
	}
	s.Line(r.X, y, r.X+r.W, y, 0.4, print.Blue, false)
	return nil
}

// tablePad is the space around a table row's text, logical mm.
const tablePad = 1.6

// tableLayout lays the table template's rows out in r at the largest size,
// 28 pt down to the body minimum, that holds them all; the size is the
// item text's.
func (d *boardDrawer) tableLayout(s print.Surface, items []assets.CostItem, r print.Rect) ([]tableRow, float64, error) {
	sorted := append([]assets.CostItem(nil), items...)
	assets.SortItems(sorted)
	const pad = tablePad
	body, fine := d.minPt(false), d.minPt(true)
	layout := func(pt float64) ([]tableRow, float64, bool) {
		apt := pt * 1.15
		notePt := math.Max(fine, pt*0.6)
		amtW := 0.0
		for _, it := range sorted {
			if a := FormatAmount(it); a != "" {
				amtW = math.Max(amtW, s.Width(a, apt))
			}
		}
		amtW = math.Min(amtW+2*pad+2, r.W*0.45)
		var out []tableRow
		total := 0.0
		tier, grp := "", ""
		n := 0
		for _, it := range sorted {
			if it.Tier != tier {
				tier, grp = it.Tier, ""
				n++
				label := fmt.Sprintf("%s、%s", []string{"一", "二", "三"}[min(n, 3)-1], tierHeads[it.Tier])
				hpt := pt * 1.1
				if s.Width(label, hpt) > r.W-4*pad {
					return nil, 0, false
				}
				h := hpt * print.PtMM * 1.55
				out = append(out, tableRow{kind: rowTier, label: label, h: h})
				total += h
			}
			if it.Grp != grp {
				grp = it.Grp
				h := pt * print.PtMM * 1.5
				out = append(out, tableRow{kind: rowGroup, label: groupNames[it.Grp], h: h})
				total += h
			}
			text := it.Text
			if it.Local {
				text = "【本地】" + text
			}
			row := tableRow{kind: rowItem, confirmed: it.Confirmed, amtW: amtW}
			textW := r.W - 2*pad
			if a := FormatAmount(it); a != "" {
				row.hasAmount = true
				textW -= amtW
				var ok bool
				if row.amt, ok = print.SetAt(s, a, apt, amtW-2*pad); !ok {
					return nil, 0, false
				}
				if !it.Confirmed {
					row.notePt = notePt
					if s.Width("（"+unconfirm+"）", notePt) > amtW-2*pad {
						return nil, 0, false
					}
				}
			}
			var ok bool
			if row.text, ok = print.SetAt(s, text, pt, textW); !ok {
				return nil, 0, false
			}
			ah := row.amt.Height()
			if row.notePt > 0 {
				ah += row.notePt * print.PtMM * 1.2
			}
			row.h = math.Max(row.text.Height(), ah) + 2*pad
			out = append(out, row)
			total += row.h
		}
		return out, total, total <= r.H
	}
	var rows []tableRow
	pt := 28.0
	for {
		if pt < body {
			pt = body
		}
		var ok bool
		if rows, _, ok = layout(pt); ok {
			break
		}
		if pt == body {
			return nil, 0, &print.OverflowError{Field: "cost items", Text: fmt.Sprintf("%d items", len(items)), W: r.W, H: r.H, MinPt: body}
		}
		pt *= 0.96
	}
	return rows, pt, nil
}

func noteHeight(pt float64) float64 {
	if pt <= 0 {
		return 0
	}
	return pt * print.PtMM * 1.2
}

// sums adds the amounts of items per unit; an open upper end (10年以上)
// makes the maximum open, and one amount not yet confirmed makes the
// total unconfirmed.
type sum struct {
	min, max    float64
	open        bool
	unconfirmed bool
}

func formatSum(v sum, unit string) string {
	switch {
	case v.open:
		return num(v.min) + unit + "以上"
	case v.min == v.max:
		return num(v.min) + unit
	case v.min == 0:
		return num(v.max) + unit + "以下"
	}
	return num(v.min) + "–" + num(v.max) + unit
}

// drawCalculator adds up the public-order lines like a receipt, then says
// what changes if the victim is hurt badly enough for the criminal tier.
func (d *boardDrawer) drawCalculator(s print.Surface, items []assets.CostItem, r print.Rect) error {
	var po, cr, fam []assets.CostItem
	for _, it := range items {
		switch {
		case it.Grp == assets.GroupFamily:
			fam = append(fam, it)
		case it.Tier == assets.TierCriminal:
			cr = append(cr, it)
		default:
			po = append(po, it)
		}
	}
	if len(po) == 0 {
		return errors.New("calculator template needs public-order items to add up")
	}
	sums := map[string]*sum{}
	var units []string
	for _, it := range po {
		if !it.HasAmount() {
			continue
		}
		v, ok := sums[it.Unit]
		if !ok {
			v = &sum{}
			sums[it.Unit] = v
			units = append(units, it.Unit)
		}
		v.min += it.AmountMin
		if it.AmountMax == 0 {
			v.open = true
		}
		if !it.Confirmed {
			v.unconfirmed = true
		}
		v.max += math.Max(it.AmountMax, it.AmountMin)
	}
	body, fine := d.minPt(false), d.minPt(true)
	// draw lays the receipt out at pt (painting when paint is set) and
	// returns its height, or ok false when a word does not fit its line.
	draw := func(pt float64, paint bool) (float64, bool) {
		y := r.Y
		lh := pt * print.PtMM * print.Leading
		head := "打一拳，要付出多少？"
		hpt := pt * 1.5
		if s.Width(head, hpt) > r.W {
			return 0, false
		}
		if paint {
			print.TextAt(s, r.X, r.W, y+hpt*print.PtMM*0.95, hpt, print.Style{Color: print.Blue, Bold: true}, 1, head)
		}
		y += hpt * print.PtMM * 1.45
		markPt := math.Max(fine, pt*0.6)
		amtW := 0.0
		for _, it := range po {
			a := FormatAmount(it)
			if a == "" {
				a = "另计"
			}
			amtW = math.Max(amtW, s.Width(a, pt)+pt*print.PtMM*0.5)
		}
		signW := pt * print.PtMM * 1.3
		textW := r.W - amtW - signW
		if textW < r.W*0.4 {
			return 0, false
		}
		for i, it := range po {
			text := it.Text
			if it.Local {
				text = "【本地】" + text
			}
			sign := "＋"
			if i == 0 {
				sign = "　"
			}
			f, ok := print.SetAt(s, text, pt, textW)
			if !ok {
				return 0, false
			}
			a := FormatAmount(it)
			ast := print.Style{Color: print.Red, Bold: true}
			if a == "" {
				a, ast = "另计", print.Style{Color: print.Black}
			}
			base := print.LineBaseline(y, lh, pt)
			if paint {
				s.Text(r.X, base, pt, print.Style{Color: print.Red, Bold: true}, sign)
				print.DrawBlock(s, f, r.X+signW, y, textW, print.Style{Color: print.Black}, 0)
				print.TextAt(s, r.X+r.W-amtW, amtW, base, pt, ast, 2, a)
				if it.HasAmount() && !it.Confirmed {
					print.TextAt(s, r.X+r.W-amtW, amtW, base+markPt*print.PtMM*1.25, markPt, print.Style{Color: print.Amber, Fine: true}, 2, unconfirm)
				}
			}
			h := math.Max(f.Height(), lh)
			if it.HasAmount() && !it.Confirmed {
				h = math.Max(h, lh+markPt*print.PtMM*1.1)
			}
			y += h + pt*print.PtMM*0.3
			if paint {
				s.Line(r.X, y-pt*print.PtMM*0.15, r.X+r.W, y-pt*print.PtMM*0.15, 0.2, print.LightGrey, false)
			}
		}
		y += pt * print.PtMM * 0.3
		if paint {
			s.Line(r.X, y, r.X+r.W, y, 0.6, print.Black, false)
			s.Line(r.X, y+1.2, r.X+r.W, y+1.2, 0.6, print.Black, false)
		}
		y += 2.5
		tpt := pt * 1.4
		for _, u := range units {
			what := "合计"
			switch u {
			case "日":
				what = "拘留合计"
			case "元":
				what = "花钱合计"
			}
			v := sums[u]
			label, line := "＝ "+what, formatSum(*v, u)
			// A total is only as sure as its least sure part: 待核实
			// after the label, at the label's size (it is read from as
			// far as the total), when any amount in it is unconfirmed.
			// Label, mark and total each keep their own width; the
			// total moves under the label when the line is too short.
			labelW, lineW := s.Width(label, pt), s.Width(line, tpt)
			markW, gap := 0.0, pt*print.PtMM*0.6
			mark := ""
			if v.unconfirmed {
				mark = "（" + unconfirm + "）"
				markW = s.Width(mark, pt)
			}
			leftW := labelW + markW
			if leftW > r.W || lineW > r.W {
				return 0, false
			}
			base := y + tpt*print.PtMM
			split := leftW+gap+lineW > r.W
			if paint {
				print.TextAt(s, r.X, labelW, base, pt, print.Style{Color: print.Black, Bold: true}, 0, label)
				if mark != "" {
					print.TextAt(s, r.X+labelW, markW, base, pt, print.Style{Color: print.Amber, Bold: true}, 0, mark)
				}
				lineBase := base
				if split {
					lineBase = base + tpt*print.PtMM*1.2
				}
				print.TextAt(s, r.X+r.W-lineW, lineW, lineBase, tpt, print.Style{Color: print.Red, Bold: true}, 2, line)
			}
			y += tpt * print.PtMM * 1.35
			if split {
				y += tpt * print.PtMM * 1.2
			}
		}
		note, ok := print.SetAt(s, "标“另计”的各项按实际发生另外计算，只多不少。", math.Max(fine, pt*0.6), r.W)
		if !ok {
			return 0, false
		}
		if paint {
			print.DrawBlock(s, note, r.X, y, r.W, print.Style{Color: print.Black, Fine: true}, 0)
		}
		y += note.Height()
		if len(cr) > 0 {
			y += pt * print.PtMM * 0.6
			boxTop := y
			inner := r.W - 6
			y += 2
			head, ok := print.SetAt(s, "如果把人打成轻伤，就是犯罪：", pt*1.1, inner)
			if !ok {
				return 0, false
			}
			if paint {
				print.DrawBlock(s, head, r.X+3, y, inner, print.Style{Color: print.Red, Bold: true}, 0)
			}
			y += head.Height()
			for _, it := range cr {
				t := it.Text
				if a := FormatAmount(it); a != "" {
					t += "　" + a
				}
				f, ok := print.SetAt(s, "· "+t, pt, inner)
				if !ok {
					return 0, false
				}
				if paint {
					print.DrawBlock(s, f, r.X+3, y, inner, print.Style{Color: print.Black}, 0)
				}
				y += f.Height()
			}
			y += 2
			if paint {
				s.StrokeRect(r.X, boxTop, r.W, y-boxTop, 0.8, print.Red)
			}
		}
		if len(fam) > 0 {
			y += pt * print.PtMM * 0.6
			var t []string
			for _, it := range fam {
				t = append(t, it.Text)
			}
			f, ok := print.SetAt(s, "还有："+strings.Join(t, "；")+"。", pt, r.W)
			if !ok {
				return 0, false
			}
			if paint {
				print.DrawBlock(s, f, r.X, y, r.W, print.Style{Color: print.Blue}, 0)
			}
			y += f.Height()
		}
		return y - r.Y, true
	}
	for pt := 30.0; ; pt *= 0.96 {
		if pt < body {
			pt = body
		}
		if h, ok := draw(pt, false); ok && h <= r.H {
			draw(pt, true)
			return nil
		}
		if pt == body {
			return &print.OverflowError{Field: "cost items", Text: fmt.Sprintf("%d items", len(items)), W: r.W, H: r.H, MinPt: body}
		}
	}
}

// drawPoster shows up to four amounts as big numbers in a grid (the last
// one of an unfilled row as wide as the row), then the lines without
// numbers as a list.
func (d *boardDrawer) drawPoster(s print.Surface, items []assets.CostItem, r print.Rect) error {
	var big, rest []assets.CostItem
	for _, it := range items {
		if it.HasAmount() && len(big) < 4 {
			big = append(big, it)
		} else {
			rest = append(rest, it)
		}
	}
	if len(big) == 0 {
		return errors.New("poster template needs items with amounts for its big numbers")
	}
	body := d.minPt(false)
	cols := 2
	if len(big) == 1 {
		cols = 1
	}
	rowsN := (len(big) + cols - 1) / cols
	gap := 4.0
	var lines []string
	for _, it := range rest {
		t := "● " + it.Text
		if a := FormatAmount(it); a != "" {
			t += "　" + a
		}
		lines = append(lines, t)
	}
	list := strings.Join(lines, "\n")
	// The list takes what it needs at its largest size up to 32% of the
	// body; the grid of numbers gets the rest.
	gridH := r.H
	var lf print.Fitted
	if len(rest) > 0 {
		var err error
		for share := 0.25; ; share += 0.05 {
			lf, err = print.Fit(s, "item list", list, r.W, r.H*share-gap, 28, body)
			if err == nil || share >= 0.6 {
				break
			}
		}
		if err != nil {
			return err
		}
		gridH = r.H - lf.Height() - gap*2
	}
	cw := (r.W - gap*float64(cols-1)) / float64(cols)
	ch := (gridH - gap*float64(rowsN-1)) / float64(rowsN)
	for i, it := range big {
		x := r.X + float64(i%cols)*(cw+gap)
		y := r.Y + float64(i/cols)*(ch+gap)
		cw := cw
		if i == len(big)-1 {
			// The last number of a row it does not fill takes the row's
			// width (three numbers left the grid's fourth cell white).
			cw = r.X + r.W - x
		}
		bg := print.PaleRed
		if it.Tier == assets.TierCriminal {
			bg = print.LightGrey
		}
		s.FillRect(x, y, cw, ch, bg)
		a := FormatAmount(it)
		numH := ch * 0.5
		pt, err := print.FitLine(s, "amount", a, cw-8, numH, 110, body)
		if err != nil {
			return err
		}
		print.TextAt(s, x, cw, print.LineBaseline(y+ch*0.04, numH, pt), pt, print.Style{Color: print.Red, Bold: true}, 1, a)
		labelTop := y + ch*0.04 + numH
		label := it.Text
		if it.Local {
			label = "【本地】" + label
		}
		if !it.Confirmed {
			label += "（" + unconfirm + "）"
		}
		f, err := print.Fit(s, "item text", label, cw-8, y+ch-labelTop-2, 26, body)
		if err != nil {
			return err
		}
		print.DrawBlock(s, f, x+4, labelTop+(y+ch-labelTop-2-f.Height())/2, cw-8, print.Style{Color: print.Black}, 1)
	}
	if len(rest) == 0 {
		return nil
	}
	top := r.Y + gridH + gap
	print.DrawBlock(s, lf, r.X, top+(r.Y+r.H-top-lf.Height())/2, r.W, print.Style{Color: print.Black}, 0)
	return nil
}
