package ecard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"io"

	"github.com/jung-kurt/gofpdf"

	"cunjing/maps"
	"cunjing/print/fonts"
	"cunjing/print/typeset"
)

// A4 portrait, millimetres.
const (
	pageW, pageH = 210.0, 297.0
	margin       = 12.0
	contentW     = pageW - 2*margin
	bandH        = 24.0
	mapBoxH      = 112.0
	footH        = 16.0
	// Body text is set at bodyPt and shrinks (all sections together) to
	// minBodyPt when the card is long; below that it is an error, never
	// text cut off.
	bodyPt    = 16.0
	minBodyPt = 9.0
)

// mapPx is the map's raster resolution on the page: about 220 dpi.
const mapPx = 1600

// WritePDF prints the card on one A4 page with the same parts as the
// picture: title band, map, route, who needs help, phones, on duty, and
// 119/120/110 at the foot. Text is real text (pdftotext reads it).
//
// Every PDF writer in print takes ctx, w, font, then what it prints.
func WritePDF(ctx context.Context, w io.Writer, font *fonts.Font, c *Card, v *maps.Village) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("emergency card: %w", err)
	}
	if font == nil || len(font.TTF) == 0 {
		return errors.New("emergency card: no font (fonts.Find found none; name a .ttf/.ttc font)")
	}
	pdf, err := typeset.NewPDF(ctx, font, typeset.Info{Title: c.Title(), Created: c.At})
	if err != nil {
		return fmt.Errorf("emergency card: %w", err)
	}
	pdf.AddPage(pageW, pageH)

	pdf.SetFillRGBA(colRed)
	pdf.Rect(0, 0, pageW, bandH, "F")
	if err := pdf.Cell(c.Title(), margin, 3, contentW, 12, typeset.Spec{Field: "title", MaxPt: 26, MinPt: 14, OneLine: true}, typeset.Style{Color: colWhite, Bold: true}); err != nil {
		return err
	}
	if s := c.Subtitle(); s != "" {
		if err := pdf.Cell(s, margin, 15, contentW, 7, typeset.Spec{Field: "subtitle", MaxPt: 11, MinPt: 8, OneLine: true}, typeset.Style{Color: colWhite}); err != nil {
			return err
		}
	}

	y := bandH + 4
	if v != nil {
		img, err := MapImage(c, v, font, mapPx, mapPx*int(mapBoxH)/int(contentW))
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return fmt.Errorf("emergency card: encode the map: %w", err)
		}
		opt := gofpdf.ImageOptions{ImageType: "PNG"}
		pdf.RegisterImageOptionsReader("map", opt, &buf)
		pdf.ImageOptions("map", margin, y, contentW, mapBoxH, false, opt, 0, "")
		pdf.SetStroke(colMapFrame, 0.3, false)
		pdf.Rect(margin, y, contentW, mapBoxH, "D")
		y += mapBoxH + 3
	}

	// The sections, all at one size that fits what is left of the page:
	// first one column; then, for a long card (a household of twelve
	// children and old people), a section whose every line is short in
	// two columns, read down the left and then the right.
	room := pageH - margin - footH - 3 - y
	blocks, ok := layoutSections(pdf.M, c, room, false)
	if !ok {
		if blocks, ok = layoutSections(pdf.M, c, room, true); !ok {
			return &typeset.OverflowError{Field: "emergency card text", Text: c.PlainText(), W: contentW, H: room, MinPt: minBodyPt}
		}
	}
	for _, p := range blocks {
		x, yy := margin+p.x, y+p.y
		if p.head {
			pdf.SetStroke(colRule, 0.2, false)
			pdf.Line(margin, yy-0.5, margin+contentW, yy-0.5)
			pdf.Block(p.b, x, yy, contentW, typeset.Left, colHeading, true)
			continue
		}
		col := colInk
		if p.alert {
			col = colRed
		}
		pdf.Block(p.b, x, yy, p.w, typeset.Left, col, p.alert)
	}

	fy := pageH - margin - footH
	pdf.SetFillRGBA(colPaleRed)
	pdf.Rect(margin, fy, contentW, footH, "F")
	if err := pdf.Cell(ServicesLine(), margin, fy, contentW, footH, typeset.Spec{Field: "services", MaxPt: 24, MinPt: 14, OneLine: true}, typeset.Style{Color: colRed, Bold: true, Align: typeset.Center}); err != nil {
		return err
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("emergency card: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("emergency card: write PDF: %w", err)
	}
	return nil
}

// placed is a block of the card's sections at (x, y) from the top left of
// the text area, w wide.
type placed struct {
	b       typeset.Block
	x, y, w float64
	head    bool
	alert   bool
}

// colGap is the space between two columns of a section.
const colGap = 6.0

// layoutSections sets the sections at the largest size from bodyPt down to
// minBodyPt at which they fit in room mm; twoCols sets a section whose
// every line fits half the width on one line in two columns. ok is false
// when they do not fit even at minBodyPt.
func layoutSections(m *typeset.Metrics, c *Card, room float64, twoCols bool) ([]placed, bool) {
	secs := c.Sections()
	var blocks []placed
	half := (contentW - colGap) / 2
	for pt := bodyPt; pt >= minBodyPt; pt -= 0.5 {
		blocks = blocks[:0]
		y := 0.0
		for _, s := range secs {
			y += 1.5
			hb := typeset.Block{Lines: []string{s.Heading}, Pt: pt * 0.85}
			blocks = append(blocks, placed{b: hb, y: y, w: contentW, head: true})
			y += hb.Height()
			alert := func(i int) bool { return s.Alert && i < len(c.NeedHelp()) }
			short := twoCols && len(s.Lines) > 1
			for _, l := range s.Lines {
				short = short && m.Width(l, pt) <= half
			}
			if short {
				rows := (len(s.Lines) + 1) / 2
				lh := typeset.Block{Lines: []string{""}, Pt: pt}.Height()
				for i, l := range s.Lines {
					col, row := i/rows, i%rows
					blocks = append(blocks, placed{b: typeset.Block{Lines: []string{l}, Pt: pt},
						x: float64(col) * (half + colGap), y: y + float64(row)*lh, w: half, alert: alert(i)})
				}
				y += float64(rows) * lh
				continue
			}
			for i, l := range s.Lines {
				lines, _ := typeset.Break(m, l, pt, contentW)
				b := typeset.Block{Lines: lines, Pt: pt}
				blocks = append(blocks, placed{b: b, y: y, w: contentW, alert: alert(i)})
				y += b.Height()
			}
		}
		if y <= room {
			return blocks, true
		}
	}
	return nil, false
}
