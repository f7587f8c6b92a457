package print

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"time"

	"github.com/jung-kurt/gofpdf"

	"cunjing/print/fonts"
	"cunjing/print/typeset"
)

// Page is one sheet of a document: its size in millimetres and how to draw
// it. Pages are built by the layout functions (LeafletPages, CardPages,
// PlatePages, costboard.Pages …) and drawn by WritePDF or Rasterize.
type Page struct {
	W, H  float64
	Label string                // for progress, errors and the PDF outline
	Draw  func(s Surface) error // draws the page on s, in millimetres
	Boxes *PageBoxes            // print-shop pages: TrimBox and BleedBox; nil otherwise
}

// DocInfo is the PDF's metadata.
type DocInfo struct {
	Title   string
	Created time.Time // zero: now; fixed values make reproducible files
}

// PageBoxes are a print-shop page's boxes: the finished size (TrimBox) and how far
// colour runs past it (BleedBox), in page millimetres from the top left.
type PageBoxes struct {
	TrimX, TrimY, TrimW, TrimH float64
	Bleed                      float64
}

// pdfSurface draws with the one gofpdf set-up (print/typeset), which skips
// operators that would repeat the current state (900-page batches are
// dominated by them otherwise).
type pdfSurface struct {
	*typeset.PDF
	qrCache
	breaks  typeset.Cache
	images  map[string]bool
	clipped int
	err     error
}

func (p *pdfSurface) FillRect(x, y, w, h float64, c color.RGBA) {
	p.SetFillRGBA(c)
	p.PDF.Rect(x, y, w, h, "F")
}

func (p *pdfSurface) StrokeRect(x, y, w, h, lw float64, c color.RGBA) {
	p.SetStroke(c, lw, false)
	p.PDF.Rect(x, y, w, h, "D")
}

func (p *pdfSurface) Line(x1, y1, x2, y2, lw float64, c color.RGBA, dashed bool) {
	p.SetStroke(c, lw, dashed)
	p.PDF.Line(x1, y1, x2, y2)
}

func (p *pdfSurface) Text(x, y, pt float64, st Style, s string) {
	p.PDF.Text(x, y, pt, st.Color, st.Bold, s)
}

func (p *pdfSurface) Width(s string, pt float64) float64 { return p.M.Width(s, pt) }

func (p *pdfSurface) Break(text string, pt, w float64) ([]string, bool) {
	return p.breaks.Break(p.M, text, pt, w)
}

func (p *pdfSurface) Image(key string, img image.Image, x, y, w, h float64) {
	opt := gofpdf.ImageOptions{ImageType: "PNG"}
	if !p.images[key] {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			p.err = fmt.Errorf("encode image %s: %w", key, err)
			return
		}
		p.RegisterImageOptionsReader(key, opt, &buf)
		p.images[key] = true
	}
	p.ImageOptions(key, x, y, w, h, false, opt, 0, "")
}

func (p *pdfSurface) Clip(x, y, w, h float64) {
	p.ClipRect(x, y, w, h, false)
	p.clipped++
	// ClipRect saves the graphics state (q); what we set inside is
	// forgotten at Unclip, so forget our cache too.
}

func (p *pdfSurface) Unclip() {
	if p.clipped > 0 {
		p.ClipEnd()
		p.clipped--
		p.Reset()
	}
}

// WritePDF draws pages into one PDF with the font embedded once (as a
// subset of the characters used) and writes it to w. progress, if not nil,
// is called after each page; ctx cancels between pages.
func WritePDF(ctx context.Context, w io.Writer, font *fonts.Font, info DocInfo, pages []Page, progress func(done, total int)) error {
	if font == nil || len(font.TTF) == 0 {
		return errors.New("write PDF: no font (fonts.Find found none; name a .ttf/.ttc font)")
	}
	if len(pages) == 0 {
		return errors.New("write PDF: nothing to print")
	}
	anyBoxes := false
	for _, pg := range pages {
		anyBoxes = anyBoxes || pg.Boxes != nil
	}
	pdf, err := typeset.NewPDF(ctx, font, typeset.Info{Title: info.Title, Created: info.Created})
	if err != nil {
		return fmt.Errorf("write PDF: %w", err)
	}
	s := &pdfSurface{PDF: pdf, qrCache: qrCache{}, images: map[string]bool{}}
	for i, pg := range pages {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("write PDF: stopped at page %d of %d: %w", i+1, len(pages), err)
		}
		if pg.W <= 0 || pg.H <= 0 {
			return fmt.Errorf("page %d (%s): size %.0f×%.0f mm", i+1, pg.Label, pg.W, pg.H)
		}
		pdf.AddPage(pg.W, pg.H)
		if pg.Boxes != nil {
			b := pg.Boxes
			pdf.SetBoxes(b.TrimX, b.TrimY, b.TrimW, b.TrimH, b.Bleed, pg.H)
		} else if anyBoxes {
			// gofpdf carries boxes over to later pages: a page without
			// bleed says its trim is the whole page.
			pdf.SetBoxes(0, 0, pg.W, pg.H, 0, pg.H)
		}
		if err := pg.Draw(s); err != nil {
			return fmt.Errorf("page %d (%s): %w", i+1, pg.Label, err)
		}
		for s.clipped > 0 {
			s.Unclip()
		}
		if s.err != nil {
			return fmt.Errorf("page %d (%s): %w", i+1, pg.Label, s.err)
		}
		if err := pdf.Error(); err != nil {
			return fmt.Errorf("page %d (%s): %w", i+1, pg.Label, err)
		}
		if progress != nil {
			progress(i+1, len(pages))
		}
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("write PDF: %w", err)
	}
	return nil
}

// Print-shop geometry, in millimetres: a board for a print shop and a
// sheet of door plates share it.
const (
	BleedMM   = 3.0  // colour runs this far past the trim line
	SlugMM    = 12.0 // room outside the bleed for crop marks and the job line
	MarkLenMM = 7.0
	MarkGapMM = 2.0 // crop marks start this far outside the bleed
)
