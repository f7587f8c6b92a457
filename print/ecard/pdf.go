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
		img, err := MapImage(c, v, font.TTF, mapPx, mapPx*int(mapBoxH)/int(contentW))
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

	// The sections, all at one size that fits what is left of the page.
	room := pageH - margin - footH - 3 - y
	secs := c.Sections()
	type placed struct {
		b     typeset.Block
		head  bool
		alert bool
	}
	var blocks []placed
	for pt := bodyPt; ; pt -= 0.5 {
		if pt < minBodyPt {
			return &typeset.OverflowError{Field: "emergency card text", Text: c.PlainText(), W: contentW, H: room, MinPt: minBodyPt}
		}
		blocks = blocks[:0]
		h := 0.0
		for _, s := range secs {
			hb := typeset.Block{Lines: []string{s.Heading}, Pt: pt * 0.85}
			blocks = append(blocks, placed{b: hb, head: true})
			h += hb.Height() + 1.5
			for i, l := range s.Lines {
				lines, _ := typeset.Break(pdf.M, l, pt, contentW)
				b := typeset.Block{Lines: lines, Pt: pt}
				blocks = append(blocks, placed{b: b, alert: s.Alert && i < len(c.NeedHelp())})
				h += b.Height()
			}
		}
		if h <= room {
			break
		}
	}
	for _, p := range blocks {
		if p.head {
			y += 1.5
			pdf.SetStroke(colRule, 0.2, false)
			pdf.Line(margin, y-0.5, margin+contentW, y-0.5)
			pdf.Block(p.b, margin, y, contentW, typeset.Left, colHeading, true)
			y += p.b.Height()
			continue
		}
		col := colInk
		if p.alert {
			col = colRed
		}
		pdf.Block(p.b, margin, y, contentW, typeset.Left, col, p.alert)
		y += p.b.Height()
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
