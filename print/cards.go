package print

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"cunjing/print/fonts"
	"cunjing/print/typeset"
)

// Contact cards (警民联系卡): 90×54 mm, the business-card size, ten to an
// A4 sheet in two columns of five, cut marks in the margins.
const (
	cardW, cardH   = 90.0, 54.0
	cardCols       = 2
	cardRows       = 5
	cardsPerSheet  = cardCols * cardRows
	cardSheetW     = 210.0
	cardSheetH     = 297.0
	cardMarkLen    = 5.0
	cardMarkGap    = 1.5
	defaultCopies  = cardsPerSheet
	maxCardsPerDoc = 10000

	cardPostLeading       = 1.15 // a post's name on two lines
	cardPostTwoLinesExtra = 1.5  // mm more below a post's name on two lines
)

// CardPages lays out copies of each contact's card (copies ≤ 0: one
// sheet's worth each), ten per A4 page in order.
func CardPages(contacts []Contact, copies int) ([]Page, error) {
	if len(contacts) == 0 {
		return nil, errors.New("contact cards: no contacts")
	}
	if copies <= 0 {
		copies = defaultCopies
	}
	if len(contacts)*copies > maxCardsPerDoc {
		return nil, fmt.Errorf("contact cards: %d cards is more than %d in one file", len(contacts)*copies, maxCardsPerDoc)
	}
	var cards []Contact
	for i, c := range contacts {
		if strings.TrimSpace(c.Phone) == "" {
			return nil, fmt.Errorf("contact card %d (%s): a phone number is required", i+1, c.Officer)
		}
		for k := 0; k < copies; k++ {
			cards = append(cards, c)
		}
	}
	ox := (cardSheetW - cardCols*cardW) / 2
	oy := (cardSheetH - cardRows*cardH) / 2
	var pages []Page
	for start := 0; start < len(cards); start += cardsPerSheet {
		sheet := cards[start:min(start+cardsPerSheet, len(cards))]
		pages = append(pages, Page{W: cardSheetW, H: cardSheetH, Label: fmt.Sprintf("联系卡 第%d页", len(pages)+1), Draw: func(s Surface) error {
			for i, c := range sheet {
				x := ox + float64(i%cardCols)*cardW
				y := oy + float64(i/cardCols)*cardH
				s.Clip(x, y, cardW, cardH)
				err := drawCard(s, c, x, y)
				s.Unclip()
				if err != nil {
					return fmt.Errorf("card %d: %w", start+i+1, err)
				}
			}
			drawCardMarks(s, ox, oy)
			return nil
		}})
	}
	return pages, nil
}

// drawCardMarks puts cut marks on every card edge, outside the grid only,
// so nothing is left on the cards after cutting.
func drawCardMarks(s Surface, ox, oy float64) {
	gw, gh := cardCols*cardW, cardRows*cardH
	for c := 0; c <= cardCols; c++ {
		x := ox + float64(c)*cardW
		s.Line(x, oy-cardMarkGap-cardMarkLen, x, oy-cardMarkGap, 0.2, Black, false)
		s.Line(x, oy+gh+cardMarkGap, x, oy+gh+cardMarkGap+cardMarkLen, 0.2, Black, false)
	}
	for r := 0; r <= cardRows; r++ {
		y := oy + float64(r)*cardH
		s.Line(ox-cardMarkGap-cardMarkLen, y, ox-cardMarkGap, y, 0.2, Black, false)
		s.Line(ox+gw+cardMarkGap, y, ox+gw+cardMarkGap+cardMarkLen, y, 0.2, Black, false)
	}
}

func drawCard(s Surface, c Contact, x, y float64) error {
	const band = 11.0
	s.FillRect(x, y, cardW, band, Blue)
	s.Text(x+4, y+7.8, 13, Style{Color: White, Bold: true}, "警民联系卡")
	if c.Station != "" {
		pt, err := FitLine(s, "station", c.Station, cardW-40, band-3, 9, 5)
		if err != nil {
			return err
		}
		TextAt(s, x+36, cardW-40, y+7.3, pt, Style{Color: White}, 2, c.Station)
	}
	img, key, err := c.QRImage(s)
	if err != nil {
		return err
	}
	q := 30.0
	qx, qy := x+cardW-q-2.5, y+band+2
	s.Image(key, img, qx, qy, q, q)
	TextAt(s, qx, q, qy+q+3.5, 5.5, Style{Color: Grey}, 1, "扫码存电话")

	tw := cardW - q - 8
	lx := x + 4
	ly := y + band + 2.5
	if c.Post != "" {
		pt, err := FitLine(s, "post", c.Post, tw, 6, 11, 6)
		var oe *OverflowError
		switch {
		case errors.As(err, &oe):
			// A long name (城关镇张庄村李家屯…联合警务室, 25 characters
			// and more) on two lines, set close as one name, and the
			// officer's line 1.5 mm lower than under one line: 3.0 mm of
			// paper between their ink (it was 1.6 mm).
			f, err := typeset.Fit(s, c.Post, tw, 6.5, typeset.Spec{Field: "post", MaxPt: 8, MinPt: 6, Leading: cardPostLeading})
			if err != nil {
				return err
			}
			DrawBlock(s, f, lx, ly, tw, Style{Color: Blue, Bold: true}, 0)
			ly += cardPostTwoLinesExtra
		case err != nil:
			return err
		default:
			s.Text(lx, ly+pt*PtMM, pt, Style{Color: Blue, Bold: true}, c.Post)
		}
		ly += 7
	}
	if c.Officer != "" {
		title := c.Title
		if title == "" {
			title = "民警"
		}
		t := title + "：" + c.Officer
		pt, err := FitLine(s, "officer", t, tw, 6, 10, 6)
		if err != nil {
			return err
		}
		s.Text(lx, ly+pt*PtMM, pt, Style{Color: Black}, t)
		ly += 6.5
	}
	phone := typeset.Phone(c.Phone)
	pt, err := FitLine(s, "phone", phone, tw, 8, 15, 7)
	if err != nil {
		return err
	}
	s.Text(lx, ly+pt*PtMM, pt, Style{Color: Red, Bold: true}, phone)
	ly += 8
	if c.Address != "" {
		f, err := Fit(s, "address", c.Address, tw, y+cardH-9-ly, 7.5, 5)
		if err != nil {
			return err
		}
		DrawBlock(s, f, lx, ly, tw, Style{Color: Grey}, 0)
	}
	s.FillRect(x, y+cardH-7, cardW, 7, PaleRed)
	TextAt(s, x, cardW, y+cardH-2.2, 9, Style{Color: Red, Bold: true}, 1, "紧急报警 110 · 火警 119 · 急救 120")
	return nil
}

// WriteCards writes contact cards as a PDF.
func WriteCards(w io.Writer, font *fonts.Font, contacts []Contact, copies int) error {
	pages, err := CardPages(contacts, copies)
	if err != nil {
		return err
	}
	return WritePDF(context.Background(), w, font, DocInfo{Title: "警民联系卡"}, pages, nil)
}
