package typeset

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"math"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"

	"cunjing/print/fonts"
)

// Family is the name the one embedded font has inside every PDF.
const Family = "cjk"

// Info is a PDF's metadata.
type Info struct {
	Title string
	// Created is the creation date written into the file; zero leaves
	// gofpdf's default (the wall clock). Layouts pass the printing date
	// they were given, so files are reproducible.
	Created time.Time
}

// PDF is a gofpdf document set up the one way every cunjing PDF is: pages
// in millimetres with no margins and no automatic page breaks, the CJK font
// embedded once as a subset, the metrics that measured the layout, and a
// cache of the drawing state so long batches do not repeat operators.
type PDF struct {
	*gofpdf.Fpdf
	M *Metrics

	pt       float64
	text     color.RGBA
	fill     color.RGBA
	draw     color.RGBA
	lw       float64
	dash     bool
	joinSet  bool
	hasBoxes bool
}

// ObserveFit is the metrics' (a surface that embeds the PDF is a
// FitObserver too).
func (p *PDF) ObserveFit(c Cell) { p.M.ObserveFit(c) }

// NewPDF starts a document. The font must be a checked TrueType font from
// package fonts (gofpdf only prints a message for a font it cannot read
// and fails much later, so it is checked here first). A fit observer ctx
// carries (WithFitObserver) is told of every box text is fitted into with
// the document's metrics.
func NewPDF(ctx context.Context, font *fonts.Font, info Info) (*PDF, error) {
	if font == nil || len(font.TTF) == 0 {
		return nil, errors.New("no font (fonts.Find found none; name a .ttf/.ttc font)")
	}
	m, err := NewMetrics(font.TTF)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", font.Name, err)
	}
	if !m.Has('中') || !m.Has('0') {
		return nil, fmt.Errorf("font %s: lacks Chinese characters or digits", font.Name)
	}
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCreator("cunjing 村警通", true)
	if info.Title != "" {
		// UTF-16BE with its mark, encoded here: gofpdf's own encoder
		// (SetTitle(…, true)) garbles a character beyond U+FFFF (𠮷 in
		// a householder's name read as two wrong ones).
		pdf.SetTitle(utf16BE(info.Title), false)
	}
	if !info.Created.IsZero() {
		pdf.SetCreationDate(info.Created)
		pdf.SetModificationDate(info.Created)
	}
	pdf.AddUTF8FontFromBytes(Family, "", font.TTF)
	pdf.SetFont(Family, "", 12)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("load font %s into PDF: %w", font.Name, err)
	}
	m.observe = FitObserverOf(ctx)
	m.Fallbacks(font.Fallbacks)
	p := &PDF{Fpdf: pdf, M: m}
	p.Reset()
	return p, nil
}

// Reset forgets the cached drawing state (after a new page or the end of a
// clip, which restores the graphics state).
func (p *PDF) Reset() {
	p.pt, p.lw = -1, -1
	unset := color.RGBA{1, 2, 3, 0}
	p.text, p.fill, p.draw = unset, unset, unset
	p.dash, p.joinSet = false, false
}

// AddPage starts a page w×h mm (either orientation).
func (p *PDF) AddPage(w, h float64) {
	// gofpdf sets the dash pattern in force at a page's end again on the
	// next page, which Reset takes for solid: a fold line drawn last
	// outlined the next page's bold text with a dashed pen.
	p.SetDashPattern(nil, 0)
	p.AddPageFormat("P", gofpdf.SizeType{Wd: w, Ht: h})
	p.Reset()
}

// SetBoxes gives the current page (and those after it) a TrimBox, the
// finished size, and a BleedBox, the trim plus the bleed; x, y are the
// trim's top-left corner in mm on a page of height pageH. A print shop's
// RIP reads them to place crop marks and impose.
func (p *PDF) SetBoxes(x, y, w, h, bleed, pageH float64) {
	// gofpdf writes the box as given in points from the bottom left.
	p.SetPageBox("TrimBox", x, pageH-y-h, w, h)
	p.SetPageBox("BleedBox", x-bleed, pageH-y-h-bleed, w+2*bleed, h+2*bleed)
	p.hasBoxes = true
}

// SetFillRGBA sets the fill colour if it changed.
func (p *PDF) SetFillRGBA(c color.RGBA) {
	if c != p.fill {
		p.SetFillColor(int(c.R), int(c.G), int(c.B))
		p.fill = c
	}
}

// SetStroke sets the stroke colour, width and dashing if they changed.
func (p *PDF) SetStroke(c color.RGBA, lw float64, dashed bool) {
	if c != p.draw {
		p.SetDrawColor(int(c.R), int(c.G), int(c.B))
		p.draw = c
	}
	if lw != p.lw {
		p.SetLineWidth(lw)
		p.lw = lw
	}
	if dashed != p.dash {
		if dashed {
			p.SetDashPattern([]float64{math.Max(3*lw, 1.5), math.Max(2*lw, 1)}, 0)
		} else {
			p.SetDashPattern(nil, 0)
		}
		p.dash = dashed
	}
}

func (p *PDF) setText(pt float64, c color.RGBA) {
	if pt != p.pt {
		p.SetFontSize(pt)
		p.pt = pt
	}
	if c != p.text {
		p.SetTextColor(int(c.R), int(c.G), int(c.B))
		p.text = c
	}
}

// Text draws s with its baseline at y, starting at x. Bold is the glyphs
// filled and stroked with an outline as wide as Metrics.BoldEm says for
// each glyph, so dense characters keep their counters open.
func (p *PDF) Text(x, y, pt float64, c color.RGBA, bold bool, s string) {
	s = p.M.Compose(StripJoiners(s))
	if s == "" || pt <= 0 {
		return
	}
	// Characters the embedded font cannot show are drawn as outlines
	// (outline.go); the text between them is set as text.
	p.Runs(s, pt, func(run string, off float64) {
		p.text1(x+off, y, pt, c, bold, run)
	}, func(r rune, off, rise float64) {
		sw := 0.0
		if bold {
			sw = BoldMinEm * pt * PtMM
		}
		p.Outline(x+off, y-rise, pt, r, &c, c, sw)
	})
}

// Runs splits s into runs of characters the embedded font sets, passed
// to text, and single characters it cannot (outline.go), passed to
// outline; off is each one's offset from the start of s in mm at pt, and
// rise how far above the baseline an outline is drawn (a mark stacked over
// an accent: Metrics.Rise).
func (p *PDF) Runs(s string, pt float64, text func(run string, off float64), outline func(r rune, off, rise float64)) {
	start, off := 0, 0.0
	for i, r := range s {
		if p.M.Embeddable(r) || r == ' ' {
			continue
		}
		if i > start {
			text(s[start:i], off)
			off += p.M.Width(s[start:i], pt)
		}
		outline(r, off, p.M.Rise(s, i, pt))
		off += p.M.Width(string(r), pt)
		start = i + utf8.RuneLen(r)
	}
	if start == 0 {
		text(s, 0)
	} else if start < len(s) {
		text(s[start:], off)
	}
}

// Outline draws r's outline (Metrics.Shape) with its pen at (x, y):
// filled with fill when it is not nil, stroked lw wide in stroke when
// lw > 0 (a bold outline, a map label's white halo). It sits in a marked
// span whose ActualText is r, so copying and pdftotext give r.
func (p *PDF) Outline(x, y, pt float64, r rune, fill *color.RGBA, stroke color.RGBA, lw float64) {
	segs, _ := p.M.Shape(r, pt)
	if len(segs) == 0 && IsMark(r) && fill != nil && p.M.Embeddable(' ') {
		// A combining mark no font has: nothing to draw, but the text
		// keeps it (ê and U+0304 reads back as ê̄), in a span holding an
		// invisible space.
		p.RawWriteStr("/Span <</ActualText <" + fmt.Sprintf("FEFF%04X", r) + ">>> BDC")
		p.setText(pt, *fill)
		p.SetTextRenderingMode(3)
		p.RawWriteStr("0 Tz") // and no width: the space after the mark is the text's own
		p.Fpdf.Text(x, y, " ")
		p.RawWriteStr("100 Tz")
		p.SetTextRenderingMode(0)
		p.RawWriteStr("EMC")
		return
	}
	if len(segs) == 0 || (fill == nil && lw <= 0) {
		return
	}
	u := utf16.Encode([]rune{r})
	hex := "FEFF"
	for _, v := range u {
		hex += fmt.Sprintf("%04X", v)
	}
	p.RawWriteStr("/Span <</ActualText <" + hex + ">>> BDC")
	defer p.RawWriteStr("EMC")
	if p.M.Embeddable(Geta) {
		// The span replaces text, so it holds some: an invisible 〓 (the
		// printer's sign for a character the type lacks), which a reader
		// that ignores ActualText gives instead. A halo drawn under the
		// fill holds one too, so its text is the fill's and a reader
		// takes the two as one.
		tc := stroke
		if fill != nil {
			tc = *fill
		}
		p.setText(pt, tc)
		p.SetTextRenderingMode(3)
		if IsMark(r) {
			// A mark takes no advance: its stand-in takes no width
			// either, or it lay over the text after it (pdftotext read
			// the space after ê̄ as a new line).
			p.RawWriteStr("0 Tz")
			p.Fpdf.Text(x, y, string(Geta))
			p.RawWriteStr("100 Tz")
		} else {
			p.Fpdf.Text(x, y, string(Geta))
		}
		p.SetTextRenderingMode(0)
	}
	style := ""
	if fill != nil {
		p.SetFillRGBA(*fill)
		style = "F"
	}
	if lw > 0 {
		if !p.joinSet {
			p.SetLineJoinStyle("round")
			p.joinSet = true
		}
		p.SetStroke(stroke, lw, false)
		style += "D"
	}
	for i, sg := range segs {
		q := sg.P
		switch sg.Op {
		case 'M':
			if i > 0 {
				p.ClosePath() // a glyph's contours are closed
			}
			p.MoveTo(x+q[0][0], y+q[0][1])
		case 'L':
			p.LineTo(x+q[0][0], y+q[0][1])
		case 'Q':
			p.CurveTo(x+q[0][0], y+q[0][1], x+q[1][0], y+q[1][1])
		case 'C':
			p.CurveBezierCubicTo(x+q[0][0], y+q[0][1], x+q[1][0], y+q[1][1], x+q[2][0], y+q[2][1])
		}
	}
	p.ClosePath()
	p.DrawPath(style)
}

// utf16BE is s as a PDF text string in UTF-16BE with its byte order mark,
// surrogate pairs for characters beyond U+FFFF.
func utf16BE(s string) string {
	b := []byte{0xFE, 0xFF}
	for _, v := range utf16.Encode([]rune(s)) {
		b = append(b, byte(v>>8), byte(v))
	}
	return string(b)
}

// Geta (〓) stands for a character the type lacks.
const Geta = '\u3013'

// text1 sets s, every character of which the embedded font shows.
func (p *PDF) text1(x, y, pt float64, c color.RGBA, bold bool, s string) {
	p.setText(pt, c)
	if !bold {
		p.Fpdf.Text(x, y, s)
		return
	}
	if !p.joinSet {
		p.SetLineJoinStyle("round")
		p.joinSet = true
	}
	p.SetTextRenderingMode(2)
	runs(p.M, s, func(run string, off, em float64) {
		p.SetStroke(c, em*pt*PtMM, false)
		p.Fpdf.Text(x+off*pt*PtMM, y, run)
	})
	p.SetTextRenderingMode(0)
}

// runs splits s into runs of glyphs with the same bold outline width
// (rounded to 0.002 em), calling f with each run, its offset from the
// start in ems and the width in ems.
func runs(m *Metrics, s string, f func(run string, offEm, boldEm float64)) {
	start, off, runOff := 0, 0.0, 0.0
	cur := -1.0
	for i, r := range s {
		w := math.Round(m.BoldEm(r)/0.002) * 0.002
		if r == ' ' {
			w = cur // spaces join either side
		}
		if w != cur && i > start {
			f(s[start:i], runOff, cur)
			start, runOff = i, off
		}
		if w >= 0 {
			cur = w
		}
		off += m.em(r)
	}
	if start < len(s) {
		if cur < 0 {
			cur = BoldMaxEm
		}
		f(s[start:], runOff, cur)
	}
}

// Block draws a fitted block with the top of its first line at y.
func (p *PDF) Block(b Block, x, y, w float64, align Align, c color.RGBA, bold bool) {
	for _, l := range b.Place(p.M, x, y, w, align) {
		p.Text(l.X, l.Baseline, l.Pt, c, bold, l.Text)
	}
}

// Style is how a cell's text is drawn.
type Style struct {
	Color color.RGBA
	Bold  bool
	Align Align
}

// Cell fits text into the box (x, y, w, h) by sp and draws it centred
// vertically; it returns the *OverflowError when it cannot.
func (p *PDF) Cell(text string, x, y, w, h float64, sp Spec, st Style) error {
	b, err := Fit(p.M, text, w, h, sp)
	if err != nil {
		return err
	}
	p.Block(b, x, y+(h-b.Height())/2, w, st.Align, st.Color, st.Bold)
	return nil
}
