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
	"math"
	"time"

	"github.com/jung-kurt/gofpdf"

	"cunjing/print/fonts"
)

// Page is one sheet of a document: its size in millimetres and how to draw
// it. Pages are built by the layout functions (BoardPages, LeafletPages,
// CardPages) and drawn by WritePDF or Rasterize.
type Page struct {
	W, H  float64
	Label string // for progress, errors and the PDF outline
	draw  func(s surface) error
}

// DocInfo is the PDF's metadata.
type DocInfo struct {
	Title   string
	Created time.Time // zero: now; fixed values make reproducible files
}

const fontFamily = "cjk"

// pdfSurface draws with gofpdf, skipping operators that would repeat the
// current state (900-page batches are dominated by them otherwise).
type pdfSurface struct {
	*metrics
	qrCache
	pdf     *gofpdf.Fpdf
	images  map[string]bool
	pt      float64
	text    color.RGBA
	fill    color.RGBA
	draw    color.RGBA
	lw      float64
	dash    bool
	clipped int
	err     error
}

func (p *pdfSurface) resetState() {
	p.pt, p.lw = -1, -1
	p.text, p.fill, p.draw = color.RGBA{1, 2, 3, 0}, color.RGBA{1, 2, 3, 0}, color.RGBA{1, 2, 3, 0}
	p.dash = false
}

func (p *pdfSurface) setFill(c color.RGBA) {
	if c != p.fill {
		p.pdf.SetFillColor(int(c.R), int(c.G), int(c.B))
		p.fill = c
	}
}

func (p *pdfSurface) setDraw(c color.RGBA, lw float64, dashed bool) {
	if c != p.draw {
		p.pdf.SetDrawColor(int(c.R), int(c.G), int(c.B))
		p.draw = c
	}
	if lw != p.lw {
		p.pdf.SetLineWidth(lw)
		p.lw = lw
	}
	if dashed != p.dash {
		if dashed {
			p.pdf.SetDashPattern([]float64{math.Max(3*lw, 1.5), math.Max(2*lw, 1)}, 0)
		} else {
			p.pdf.SetDashPattern(nil, 0)
		}
		p.dash = dashed
	}
}

func (p *pdfSurface) FillRect(x, y, w, h float64, c color.RGBA) {
	p.setFill(c)
	p.pdf.Rect(x, y, w, h, "F")
}

func (p *pdfSurface) StrokeRect(x, y, w, h, lw float64, c color.RGBA) {
	p.setDraw(c, lw, false)
	p.pdf.Rect(x, y, w, h, "D")
}

func (p *pdfSurface) Line(x1, y1, x2, y2, lw float64, c color.RGBA, dashed bool) {
	p.setDraw(c, lw, dashed)
	p.pdf.Line(x1, y1, x2, y2)
}

func (p *pdfSurface) Text(x, y, pt float64, st style, s string) {
	if s == "" {
		return
	}
	if pt != p.pt {
		p.pdf.SetFontSize(pt)
		p.pt = pt
	}
	if st.Color != p.text {
		p.pdf.SetTextColor(int(st.Color.R), int(st.Color.G), int(st.Color.B))
		p.text = st.Color
	}
	if st.Bold {
		p.setDraw(st.Color, pt*ptMM*0.045, false)
		p.pdf.SetTextRenderingMode(2)
		p.pdf.Text(x, y, s)
		p.pdf.SetTextRenderingMode(0)
		return
	}
	p.pdf.Text(x, y, s)
}

func (p *pdfSurface) Image(key string, img image.Image, x, y, w, h float64) {
	opt := gofpdf.ImageOptions{ImageType: "PNG"}
	if !p.images[key] {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			p.err = fmt.Errorf("encode image %s: %w", key, err)
			return
		}
		p.pdf.RegisterImageOptionsReader(key, opt, &buf)
		p.images[key] = true
	}
	p.pdf.ImageOptions(key, x, y, w, h, false, opt, 0, "")
}

func (p *pdfSurface) Clip(x, y, w, h float64) {
	p.pdf.ClipRect(x, y, w, h, false)
	p.clipped++
	// ClipRect saves the graphics state (q); what we set inside is
	// forgotten at Unclip, so forget our cache too.
}

func (p *pdfSurface) Unclip() {
	if p.clipped > 0 {
		p.pdf.ClipEnd()
		p.clipped--
		p.resetState()
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
	m, err := newMetrics(font.TTF)
	if err != nil {
		return err
	}
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCreator("cunjing 村警通", true)
	pdf.SetTitle(info.Title, true)
	if !info.Created.IsZero() {
		pdf.SetCreationDate(info.Created)
		pdf.SetModificationDate(info.Created)
	}
	pdf.AddUTF8FontFromBytes(fontFamily, "", font.TTF)
	pdf.SetFont(fontFamily, "", 12)
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("load font %s into PDF: %w", font.Name, err)
	}
	s := &pdfSurface{metrics: m, qrCache: qrCache{}, pdf: pdf, images: map[string]bool{}}
	for i, pg := range pages {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("write PDF: stopped at page %d of %d: %w", i+1, len(pages), err)
		}
		if pg.W <= 0 || pg.H <= 0 {
			return fmt.Errorf("page %d (%s): size %.0f×%.0f mm", i+1, pg.Label, pg.W, pg.H)
		}
		pdf.AddPageFormat("P", gofpdf.SizeType{Wd: pg.W, Ht: pg.H})
		s.resetState()
		if err := pg.draw(s); err != nil {
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
