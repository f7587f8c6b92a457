package print

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"cunjing/maps/numbering"
	"cunjing/print/fonts"
	"cunjing/print/typeset"
)

// Door plates (门牌, 一屋一址, issue #24): the village, the lane, the house
// number in large type and a QR code holding PlatePayload, white on police
// blue. A sign maker gets each plate on its own page (trim size plus 3 mm
// bleed, crop marks outside the bleed, TrimBox and BleedBox, as boards for
// a print shop); an office printer gets an A4 sheet of stickers with cut
// lines. After a renumbering, ReplaceListPages is the list of plates to
// replace.

// Plate is one door plate.
type Plate struct {
	Village string // 张庄村
	Lane    string // the lane the gate opens onto; "" when the map has none
	Number  string // 203-1
	// Old is the number the house had before (the last of its history),
	// printed small as 原门牌 203; "" when the number never changed.
	Old   string
	Post  string // 柳树村警务室, printed small
	Phone string // the post's phone: printed small and in the QR code
}

// PlatePayload is the text a plate's QR code holds, version 1:
//
//	CJ1|<village>|<number>|<post phone>
//
// Four fields split by "|"; a "|" inside a field is written as the
// full-width "｜", spaces in the phone are dropped, and the phone may be
// empty. A phone's camera shows it as text; cunjing reads it back with
// ParsePlatePayload.
func PlatePayload(village, number, phone string) string {
	clean := func(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), "|", "｜") }
	phone = strings.Join(strings.Fields(phone), "")
	return "CJ1|" + clean(village) + "|" + clean(number) + "|" + clean(phone)
}

// ParsePlatePayload reads a plate's QR text back: village, number, phone.
func ParsePlatePayload(s string) (village, number, phone string, err error) {
	f := strings.Split(s, "|")
	if len(f) != 4 || f[0] != "CJ1" {
		return "", "", "", fmt.Errorf("not a cunjing door plate code (want CJ1|村|门牌号|电话): %q", s)
	}
	if f[1] == "" || f[2] == "" {
		return "", "", "", fmt.Errorf("door plate code without village or number: %q", s)
	}
	return f[1], f[2], f[3], nil
}

// PlateSize is a plate's finished size, or the A4 sticker sheet.
type PlateSize struct {
	Name     string  // as --size takes it: 20x12, 30x20, a4-stickers
	W, H     float64 // one plate, mm
	Stickers bool    // plates on A4 sheets with cut lines, no bleed
}

// The plate sizes: the two a sign maker makes (20×12 and 30×20 cm) and
// A4 stickers of 9×5.4 cm (the 20×12 plate's proportions), 2 × 5 a sheet.
var (
	Plate20x12    = PlateSize{Name: "20x12", W: 200, H: 120}
	Plate30x20    = PlateSize{Name: "30x20", W: 300, H: 200}
	PlateStickers = PlateSize{Name: "a4-stickers", W: 90, H: 54, Stickers: true}
)

// PlateSizes lists the sizes ParsePlateSize takes, in that order.
func PlateSizes() []PlateSize { return []PlateSize{Plate20x12, Plate30x20, PlateStickers} }

// ParsePlateSize reads 20x12, 30x20 (× or * for x, any case) or
// a4-stickers.
func ParsePlateSize(s string) (PlateSize, error) {
	k := strings.NewReplacer("×", "x", "*", "x", " ", "", "_", "-").Replace(strings.ToLower(strings.TrimSpace(s)))
	for _, ps := range PlateSizes() {
		if k == ps.Name || (ps.Stickers && (k == "a4" || k == "stickers")) {
			return ps, nil
		}
	}
	return PlateSize{}, fmt.Errorf("plate size %q: want 20x12, 30x20 or a4-stickers", s)
}

// Sticker sheet geometry: 2 columns × 5 rows of PlateStickers on A4.
const (
	stickerCols = 2
	stickerRows = 5
	// PlatesPerSheet is how many stickers an A4 sheet holds.
	PlatesPerSheet = stickerCols * stickerRows
)

// plateBoxes is where the layout puts each text of a plate w×h mm, from
// its top left: the tests check the number never leaves its box.
type plateBoxes struct {
	m                  float64 // frame inset
	left, lw           float64 // the text column
	placeY, placeH     float64 // village · lane
	numY, numH         float64 // the number
	oldY, oldH         float64 // 原门牌 …
	postY, postH       float64 // post and phone
	qrX, qrY, qrS      float64 // the QR code
	capY, capH         float64 // its caption
	framelw            float64
	pMax, nMax, fineMx float64 // largest sizes, pt
}

func plateLayout(w, h float64) plateBoxes {
	m := h * 0.045
	ix, iy, iw, ih := 2*m, 2*m, w-4*m, h-4*m
	capH := ih * 0.1
	q := min(ih-capH, iw*0.34)
	b := plateBoxes{m: m, framelw: max(h*0.008, 0.3)}
	b.qrS = q
	b.qrX, b.qrY = ix+iw-q, iy+(ih-q-capH)/2
	b.capY, b.capH = b.qrY+q, capH
	b.left, b.lw = ix, iw-q-m
	b.placeY, b.placeH = iy, ih*0.22
	b.numY, b.numH = b.placeY+b.placeH, ih*0.5
	b.oldY, b.oldH = b.numY+b.numH, ih*0.14
	b.postY, b.postH = b.oldY+b.oldH, ih*0.14
	b.pMax = b.placeH * 0.8 / PtMM
	b.nMax = b.numH * 0.95 / PtMM
	b.fineMx = b.oldH * 0.75 / PtMM
	return b
}

// drawPlate draws one plate w×h mm with its top left at (x, y), its blue
// running bleed mm past the edges.
func drawPlate(s Surface, p Plate, x, y, w, h, bleed float64) error {
	if strings.TrimSpace(p.Number) == "" {
		return errors.New("door plate without a number")
	}
	b := plateLayout(w, h)
	s.FillRect(x-bleed, y-bleed, w+2*bleed, h+2*bleed, Blue)
	s.StrokeRect(x+b.m, y+b.m, w-2*b.m, h-2*b.m, b.framelw, White)
	body := Style{Color: White, Bold: true}
	fine := Style{Color: White, Fine: true}

	place := p.Village
	if p.Lane != "" {
		place += " · " + p.Lane
	}
	pt, err := FitLine(s, "村名巷名", place, b.lw, b.placeH, b.pMax, b.pMax*0.4)
	if err != nil {
		return err
	}
	s.Text(x+b.left, LineBaseline(y+b.placeY, b.placeH, pt), pt, body, place)

	// The number and 号: the number as large as fits, 号 at 45% of it.
	num := numbering.Plain(p.Number)
	npt, err := FitLine(s, "门牌号", num+"号", b.lw, b.numH, b.nMax, b.nMax*0.15)
	if err != nil {
		return err
	}
	// 号 is smaller, so the number may grow a little: find the size at
	// which number + small 号 fill the width.
	const hao, gap = 0.45, 0.05 // 号's size and the space before it, in the number's ems
	wAt := func(pt float64) float64 { return s.Width(num, pt) + gap*pt*PtMM + s.Width("号", pt*hao) }
	for grow := npt; grow <= b.nMax; grow *= 1.03 {
		if wAt(grow) > b.lw {
			break
		}
		npt = grow
	}
	base := LineBaseline(y+b.numY, b.numH, npt)
	s.Text(x+b.left, base, npt, body, num)
	s.Text(x+b.left+s.Width(num, npt)+gap*npt*PtMM, base, npt*hao, body, "号")

	if p.Old != "" {
		old := "原门牌 " + numbering.Plain(p.Old)
		pt, err := FitLine(s, "原门牌", old, b.lw, b.oldH, b.fineMx, 5)
		if err != nil {
			return err
		}
		s.Text(x+b.left, LineBaseline(y+b.oldY, b.oldH, pt), pt, Style{Color: Yellow, Fine: true}, old)
	}
	contact := strings.TrimSpace(p.Post + " " + typeset.Phone(p.Phone))
	if contact != "" {
		pt, err := FitLine(s, "警务室电话", contact, b.lw, b.postH, b.fineMx, 5)
		if err != nil {
			return err
		}
		s.Text(x+b.left, LineBaseline(y+b.postY, b.postH, pt), pt, fine, contact)
	}

	img, key, err := s.QR(PlatePayload(p.Village, num, p.Phone))
	if err != nil {
		return err
	}
	s.Image(key, img, x+b.qrX, y+b.qrY, b.qrS, b.qrS)
	caption := "扫码核对门牌"
	cpt, err := FitLine(s, "二维码说明", caption, b.qrS, b.capH, b.fineMx, 4)
	if err != nil {
		return err
	}
	TextAt(s, x+b.qrX, b.qrS, LineBaseline(y+b.capY, b.capH, cpt), cpt, fine, 1, caption)
	return nil
}

// PlatePages lays plates out: one print-shop page each for a sign maker's
// size, or A4 sticker sheets of PlatesPerSheet.
func PlatePages(plates []Plate, size PlateSize) ([]Page, error) {
	if len(plates) == 0 {
		return nil, errors.New("door plates: no houses to print")
	}
	if size.W <= 0 || size.H <= 0 {
		return nil, errors.New("door plates: no size (use ParsePlateSize)")
	}
	if size.Stickers {
		return stickerPages(plates, size), nil
	}
	sz := Size{Name: size.Name, W: size.W, H: size.H}
	var pages []Page
	for _, p := range plates {
		p := p
		label := p.Village + " " + numbering.Plain(p.Number)
		o := BleedMM + SlugMM
		boxes := &PageBoxes{TrimX: o, TrimY: o, TrimW: sz.W, TrimH: sz.H, Bleed: BleedMM}
		pages = append(pages, Page{W: sz.W + 2*o, H: sz.H + 2*o, Label: label, Boxes: boxes, Draw: func(s Surface) error {
			s.Clip(o-BleedMM, o-BleedMM, sz.W+2*BleedMM, sz.H+2*BleedMM)
			err := drawPlate(s, p, o, o, sz.W, sz.H, BleedMM)
			s.Unclip()
			if err != nil {
				return err
			}
			return DrawCropMarks(s, o, sz, "门牌 · "+label)
		}})
	}
	return pages, nil
}

// DrawCropMarks draws the crop marks of a trim sz at (o, o) on a
// print-shop page, outside the bleed, and the job line under them.
func DrawCropMarks(s Surface, o float64, sz Size, what string) error {
	far := o - BleedMM - MarkGapMM
	for _, x := range []float64{o, o + sz.W} {
		s.Line(x, far-MarkLenMM, x, far, 0.25, Black, false)
		s.Line(x, o+sz.H+BleedMM+MarkGapMM, x, o+sz.H+BleedMM+MarkGapMM+MarkLenMM, 0.25, Black, false)
	}
	for _, y := range []float64{o, o + sz.H} {
		s.Line(far-MarkLenMM, y, far, y, 0.25, Black, false)
		s.Line(o+sz.W+BleedMM+MarkGapMM, y, o+sz.W+BleedMM+MarkGapMM+MarkLenMM, y, 0.25, Black, false)
	}
	job := fmt.Sprintf("%s · 成品 %s · 四边出血 %.0f mm · 按角线裁切", what, sz.MM(), BleedMM)
	pt, err := FitLine(s, "job line", job, sz.W, 5, 8, 3)
	if err != nil {
		return err
	}
	s.Text(o, o+sz.H+BleedMM+MarkGapMM+MarkLenMM-1, pt, Style{Color: Grey}, job)
	return nil
}

// stickerPages puts the plates on A4 sheets, PlatesPerSheet a sheet, with
// a white cut line between stickers and dashed cut marks in the margins.
func stickerPages(plates []Plate, size PlateSize) []Page {
	const pw, ph = 210.0, 297.0
	gw, gh := stickerCols*size.W, stickerRows*size.H
	ox, oy := (pw-gw)/2, (ph-gh)/2
	sheets := (len(plates) + PlatesPerSheet - 1) / PlatesPerSheet
	var pages []Page
	for n := 0; n < sheets; n++ {
		n := n
		batch := plates[n*PlatesPerSheet : min(len(plates), (n+1)*PlatesPerSheet)]
		label := fmt.Sprintf("门牌贴纸 %d/%d", n+1, sheets)
		pages = append(pages, Page{W: pw, H: ph, Label: label, Draw: func(s Surface) error {
			for i, p := range batch {
				x := ox + float64(i%stickerCols)*size.W
				y := oy + float64(i/stickerCols)*size.H
				if err := drawPlate(s, p, x, y, size.W, size.H, 0); err != nil {
					return fmt.Errorf("sticker %s: %w", p.Number, err)
				}
			}
			rows := (len(batch) + stickerCols - 1) / stickerCols
			bottom := oy + float64(rows)*size.H
			// Cut lines: white on the blue between stickers, dashed grey
			// marks in the margins where each line meets the edge of the
			// stickers.
			const mark = 6.0
			for c := 0; c <= stickerCols; c++ {
				x := ox + float64(c)*size.W
				s.Line(x, oy, x, bottom, 0.3, White, false)
				s.Line(x, oy-1-mark, x, oy-1, 0.2, Grey, true)
				s.Line(x, bottom+1, x, bottom+1+mark, 0.2, Grey, true)
			}
			for r := 0; r <= rows; r++ {
				y := oy + float64(r)*size.H
				s.Line(ox, y, ox+gw, y, 0.3, White, false)
				s.Line(ox-1-mark, y, ox-1, y, 0.2, Grey, true)
				s.Line(ox+gw+1, y, ox+gw+1+mark, y, 0.2, Grey, true)
			}
			note := fmt.Sprintf("门牌贴纸（临时用）· %s · 第 %d 张 共 %d 张 · 沿白线剪开，每张 %s", batch[0].Village, n+1, sheets, Size{W: size.W, H: size.H}.MM())
			pt, err := FitLine(s, "贴纸说明", note, gw-8, oy-mark-2, 9, 7.2)
			if err != nil {
				return err
			}
			TextAt(s, ox, gw, oy-mark-3, pt, Style{Color: Grey, Fine: true}, 1, note)
			return nil
		}})
	}
	return pages
}

// WritePlates writes door plates as one PDF.
func WritePlates(ctx context.Context, w io.Writer, font *fonts.Font, plates []Plate, size PlateSize, info DocInfo) error {
	pages, err := PlatePages(plates, size)
	if err != nil {
		return err
	}
	if info.Title == "" {
		info.Title = "门牌 · " + plates[0].Village
	}
	return WritePDF(ctx, w, font, info, pages, nil)
}

// Replacement is one plate to replace after a renumbering.
type Replacement struct {
	Old, New    string // 203 → 203-1
	Lane        string
	Householder string
}

// ReplaceList is the list of plates to replace (门牌更换清单).
type ReplaceList struct {
	Village string
	Post    string
	// Since is when the renumbering began (--changed-since); zero: every
	// house whose number ever changed.
	Since   time.Time
	Printed time.Time
	Rows    []Replacement
}

// replace-list table geometry, mm.
const (
	rlMargin = 15.0
	rlTop    = 42.0 // the table's top on every page
	rlRowH   = 9.0
	rlRows   = 25 // rows a page holds at most
)

// ReplaceListPages lays the list out as A4 tables: 序号, 原门牌 → 新门牌,
// 巷道, 户主 and a box to tick when the new plate is up.
func ReplaceListPages(l ReplaceList) ([]Page, error) {
	if len(l.Rows) == 0 {
		return nil, errors.New("replacement list: no house's number changed")
	}
	// As few pages as hold the rows, the rows shared out evenly: 51 houses
	// are three pages of 17, not 25, 25 and one row alone.
	// Pages of ceil(len/n) rows each left 676 rows as 27 pages of 25 and
	// one of 1 (typeset.EvenShare: 24 or 25 each).
	n := (len(l.Rows) + rlRows - 1) / rlRows
	var pages []Page
	for k := 0; k < n; k++ {
		first, last := typeset.EvenShare(len(l.Rows), n, k)
		rows := l.Rows[first:last]
		pages = append(pages, Page{W: 210, H: 297, Label: fmt.Sprintf("门牌更换清单 %d/%d", k+1, n), Draw: func(s Surface) error {
			return drawReplaceList(s, l, rows, first, k+1, n)
		}})
	}
	return pages, nil
}

func drawReplaceList(s Surface, l ReplaceList, rows []Replacement, first, page, pages int) error {
	m, tw := rlMargin, 210-2*rlMargin
	title := "门牌更换清单 · " + l.Village
	pt, err := FitLine(s, "清单标题", title, tw, 12, 20, 10)
	if err != nil {
		return err
	}
	s.Text(m, m+8, pt, Style{Color: Blue, Bold: true}, title)
	sub := fmt.Sprintf("门牌号变了的 %d 户", len(l.Rows))
	if !l.Since.IsZero() {
		sub += "（" + l.Since.Format("2006-01-02") + " 以来）"
	}
	sub += "：装上新门牌后在“已换”栏打勾，旧门牌收回。"
	if pt, err = FitLine(s, "清单说明", sub, tw, 8, 11, 8); err != nil {
		return err
	}
	s.Text(m, m+17, pt, Style{Color: Black}, sub)

	// Columns: 序号, 原门牌, →, 新门牌, 巷道, 户主, 已换.
	widths := []float64{14, 30, 8, 30, 44, 38, 16}
	heads := []string{"序号", "原门牌", "", "新门牌", "巷道", "户主", "已换"}
	y := rlTop
	s.FillRect(m, y, tw, rlRowH, LightBlue)
	x := m
	for i, hd := range heads {
		TextAt(s, x, widths[i], LineBaseline(y, rlRowH, 11), 11, Style{Color: Blue, Bold: true}, 1, hd)
		x += widths[i]
	}
	for i, r := range rows {
		y = rlTop + float64(i+1)*rlRowH
		cells := []string{fmt.Sprint(first + i + 1), numbering.Plain(r.Old), "→", numbering.Plain(r.New), r.Lane, r.Householder, ""}
		x = m
		for c, txt := range cells {
			if txt != "" {
				st := Style{Color: Black, Bold: c == 3}
				cpt, err := FitLine(s, heads[c], txt, widths[c]-2, rlRowH, 12, 7.2)
				if err != nil {
					return err
				}
				TextAt(s, x+1, widths[c]-2, LineBaseline(y, rlRowH, cpt), cpt, st, 1, txt)
			}
			x += widths[c]
		}
		// The box to tick.
		bx := m + tw - widths[6]/2 - 2.5
		s.StrokeRect(bx, y+rlRowH/2-2.5, 5, 5, 0.3, Black)
		s.Line(m, y+rlRowH, m+tw, y+rlRowH, 0.2, Grey, false)
	}
	bottom := rlTop + float64(len(rows)+1)*rlRowH
	s.StrokeRect(m, rlTop, tw, bottom-rlTop, 0.3, Black)
	foot := fmt.Sprintf("%s · 打印于 %s · 第 %d 页 共 %d 页", strings.TrimSpace(l.Post), l.Printed.Format("2006-01-02"), page, pages)
	foot = strings.TrimPrefix(foot, " · ")
	if pt, err = FitLine(s, "页脚", foot, tw, 6, 9, 7.2); err != nil {
		return err
	}
	s.Text(m, 297-m+4, pt, Style{Color: Grey, Fine: true}, foot)
	return nil
}

// WriteReplaceList writes the list of plates to replace as one PDF.
func WriteReplaceList(ctx context.Context, w io.Writer, font *fonts.Font, l ReplaceList, info DocInfo) error {
	pages, err := ReplaceListPages(l)
	if err != nil {
		return err
	}
	if info.Title == "" {
		info.Title = "门牌更换清单 · " + l.Village
	}
	return WritePDF(ctx, w, font, info, pages, nil)
}
