package print

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"cunjing/assets"
	"cunjing/print/fonts"
	"cunjing/print/typeset"
)

// LeafletFormat is how a leaflet is folded.
type LeafletFormat string

const (
	// LeafletBifold is an A4 sheet printed both sides (flip on the short
	// edge) and folded once: outside = back panel | cover, inside = two
	// panels.
	LeafletBifold LeafletFormat = "a4-bifold"
	// LeafletA5 is an A5 sheet, front and back.
	LeafletA5 LeafletFormat = "a5"
)

// ParseLeafletFormat reads "a4-bifold" (also "bifold", "a4", "") or "a5".
func ParseLeafletFormat(s string) (LeafletFormat, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "a4", "bifold", "a4-bifold":
		return LeafletBifold, nil
	case "a5":
		return LeafletA5, nil
	}
	return "", fmt.Errorf("leaflet format %q: want a4-bifold or a5", s)
}

// leafletPanel is a column of flowed text.
type leafletPanel struct {
	page   int
	x, y   float64
	w, h   float64
	blocks []flowBlock
	pt     float64 // the text's size
}

type flowBlock struct {
	heading bool
	f       Fitted
	gap     float64 // space before
}

// flowSections places the sections' headings and points into the panels
// at one size; it reports false if they do not all fit. A section moves
// whole to the next panel when it does not fit what is left of this one
// but fits an empty one; a section longer than a panel is split between
// points, and its heading is repeated, marked （续）, on the next panel. A
// heading never ends a panel.
func flowSections(s Surface, secs []assets.Section, panels []*leafletPanel, pt float64) bool {
	for _, p := range panels {
		p.blocks, p.pt = nil, pt
	}
	pi, used := 0, 0.0
	height := func(bs []flowBlock, first bool) float64 {
		h := 0.0
		for i, b := range bs {
			if i > 0 || !first {
				h += b.gap
			}
			h += b.f.Height()
		}
		return h
	}
	put := func(bs []flowBlock) {
		for _, b := range bs {
			if used == 0 {
				b.gap = 0
			}
			panels[pi].blocks = append(panels[pi].blocks, b)
			used += b.gap + b.f.Height()
		}
	}
	next := func() bool {
		pi, used = pi+1, 0
		return pi < len(panels)
	}
	w := panels[0].w
	heading := func(text string) (flowBlock, bool) {
		f, ok := SetAt(s, text, pt*1.25, w-4)
		return flowBlock{heading: true, f: f, gap: pt * PtMM * 1.1}, ok
	}
	for _, sec := range secs {
		head, ok := heading(sec.Heading)
		if !ok {
			return false
		}
		bs := []flowBlock{head}
		for _, p := range sec.Points {
			f, ok := SetAt(s, "● "+p, pt, w-2)
			if !ok {
				return false
			}
			bs = append(bs, flowBlock{f: f, gap: pt * PtMM * 0.35})
		}
		if pi >= len(panels) {
			return false
		}
		// The whole section here, or whole on the next panel.
		if used+height(bs, used == 0) <= panels[pi].h {
			put(bs)
			continue
		}
		if used > 0 && pi+1 < len(panels) && height(bs, true) <= panels[pi+1].h {
			next()
			put(bs)
			continue
		}
		// Longer than a panel: split between points.
		cont, ok := heading(sec.Heading + "（续）")
		if !ok {
			return false
		}
		placed := false
		for i := 1; i < len(bs); i++ {
			pair := []flowBlock{bs[i]}
			if !placed {
				pair = []flowBlock{head, bs[i]}
			}
			if used+height(pair, used == 0) > panels[pi].h {
				if used == 0 || !next() {
					return false
				}
				pair = []flowBlock{cont, bs[i]}
				if !placed {
					pair[0] = head
				}
				if height(pair, true) > panels[pi].h {
					return false
				}
			}
			put(pair)
			placed = true
		}
	}
	return true
}

// draw paints the panel's blocks from its top. What the panel has left
// below them is shared out between them (a section's gap taking twice a
// point's, a heading's first point next to it), up to an em more a point
// and two a section: a section moved
// whole to the next panel left the lower third or half of this one white.
func (p *leafletPanel) draw(s Surface) {
	left, weight := p.h, 0.0
	for i, b := range p.blocks {
		left -= b.f.Height()
		if i > 0 {
			left -= b.gap
			weight += gapWeight(p.blocks[i-1], b)
		}
	}
	em := p.pt * PtMM
	extra := 0.0
	if weight > 0 && left > 0 {
		extra = math.Min(left/weight, em)
	}
	y := p.y
	for i, b := range p.blocks {
		if i > 0 {
			y += b.gap + extra*gapWeight(p.blocks[i-1], b)
		}
		if b.heading {
			s.FillRect(p.x, y, 1.6, b.f.Height(), Red)
			DrawBlock(s, b.f, p.x+3.5, y, p.w-4, Style{Color: Blue, Bold: true}, 0)
		} else {
			DrawBlock(s, b.f, p.x+1, y, p.w-2, Style{Color: Black}, 0)
		}
		y += b.f.Height()
	}
}

func checkLeaflet(l assets.Leaflet) error {
	if strings.TrimSpace(l.Title) == "" {
		return errors.New("leaflet: title required")
	}
	if len(l.Sections) == 0 {
		return errors.New("leaflet: no sections")
	}
	for i, sec := range l.Sections {
		if strings.TrimSpace(sec.Heading) == "" || len(sec.Points) == 0 {
			return fmt.Errorf("leaflet section %d: needs a heading and at least one point", i+1)
		}
	}
	return nil
}

// gapWeight is the share of a panel's spare height that goes before b,
// after prev: a heading stays with its first point.
func gapWeight(prev, b flowBlock) float64 {
	switch {
	case b.heading:
		return 2
	case prev.heading:
		return 0.25
	}
	return 1
}

// LeafletPages lays a leaflet out; the post's contact goes on the back.
func LeafletPages(l assets.Leaflet, format LeafletFormat, c Contact) ([]Page, error) {
	if err := checkLeaflet(l); err != nil {
		return nil, err
	}
	switch format {
	case LeafletBifold:
		return bifoldPages(l, c), nil
	case LeafletA5:
		return a5Pages(l, c), nil
	}
	return nil, fmt.Errorf("leaflet format %q: want a4-bifold or a5", format)
}

// callForHelp closes every bi-fold leaflet.
var callForHelp = assets.Section{Heading: "报警求助时说清楚", Points: []string{
	"在哪里：哪个村、哪条路、门牌号，附近有什么明显的标志。",
	"出了什么事：着火、被盗、被骗还是有人落水，现在情况怎样。",
	"有没有人受伤、被困，需不需要救护车。",
	"留下姓名和电话，保持手机畅通，等民警联系；不要先挂电话。",
}}

const (
	panelW     = 297.0 / 2
	leafMargin = 11.0
	leafContH  = 58.0
)

func bifoldPages(l assets.Leaflet, c Contact) []Page {
	pw := panelW - 2*leafMargin
	panels := []*leafletPanel{
		{page: 1, x: leafMargin, y: leafMargin, w: pw, h: 210 - 2*leafMargin},
		{page: 1, x: panelW + leafMargin, y: leafMargin, w: pw, h: 210 - 2*leafMargin},
		{page: 0, x: leafMargin, y: leafMargin, w: pw, h: 210 - 2*leafMargin - leafContH - 4},
	}
	var flowErr error
	flowed := false
	flow := func(s Surface) error {
		if flowed {
			return flowErr
		}
		flowed = true
		// The bi-fold has a third panel; every topic ends with how to
		// call for help, which fills it usefully.
		withCall := l
		withCall.Sections = append(append([]assets.Section(nil), l.Sections...), callForHelp)
		flowErr = flowAll(s, withCall, panels)
		return flowErr
	}
	foldMarks := func(s Surface) {
		s.Line(panelW, 0, panelW, 6, 0.3, Grey, true)
		s.Line(panelW, 204, panelW, 210, 0.3, Grey, true)
	}
	outside := Page{W: 297, H: 210, Label: l.Title + " 外页", Draw: func(s Surface) error {
		if err := flow(s); err != nil {
			return err
		}
		panels[2].draw(s)
		if err := drawLeafletContact(s, c, Rect{leafMargin, 210 - leafMargin - leafContH, pw, leafContH}); err != nil {
			return err
		}
		if err := drawLeafletCover(s, l, c, Rect{panelW, 0, panelW, 210}); err != nil {
			return err
		}
		foldMarks(s)
		return nil
	}}
	inside := Page{W: 297, H: 210, Label: l.Title + " 内页", Draw: func(s Surface) error {
		if err := flow(s); err != nil {
			return err
		}
		panels[0].draw(s)
		panels[1].draw(s)
		foldMarks(s)
		return nil
	}}
	return []Page{outside, inside}
}

func a5Pages(l assets.Leaflet, c Contact) []Page {
	const w, h = 148.0, 210.0
	coverH := 78.0
	pw := w - 2*leafMargin
	panels := []*leafletPanel{
		{page: 0, x: leafMargin, y: coverH + 6, w: pw, h: h - coverH - 6 - leafMargin},
		{page: 1, x: leafMargin, y: leafMargin, w: pw, h: h - 2*leafMargin - leafContH - 4},
	}
	var flowErr error
	flowed := false
	flow := func(s Surface) error {
		if !flowed {
			flowed, flowErr = true, flowAll(s, l, panels)
		}
		return flowErr
	}
	front := Page{W: w, H: h, Label: l.Title + " 正面", Draw: func(s Surface) error {
		if err := flow(s); err != nil {
			return err
		}
		if err := drawLeafletHeader(s, l, Rect{0, 0, w, coverH}); err != nil {
			return err
		}
		panels[0].draw(s)
		return nil
	}}
	back := Page{W: w, H: h, Label: l.Title + " 背面", Draw: func(s Surface) error {
		if err := flow(s); err != nil {
			return err
		}
		panels[1].draw(s)
		return drawLeafletContact(s, c, Rect{leafMargin, h - leafMargin - leafContH, pw, leafContH})
	}}
	return []Page{front, back}
}

// flowAll finds the largest size at which every section fits.
func flowAll(s Surface, l assets.Leaflet, panels []*leafletPanel) error {
	for pt := 20.0; pt >= 6.5; pt *= 0.96 {
		if flowSections(s, l.Sections, panels, pt) {
			return nil
		}
	}
	n := 0
	for _, sec := range l.Sections {
		n += len(sec.Points)
	}
	return &OverflowError{Field: "leaflet text", Text: fmt.Sprintf("%d sections, %d points", len(l.Sections), n), W: panels[0].w, H: panels[0].h, MinPt: 6.5}
}

// drawLeafletHeader is the title block: band, title, subtitle, and the one
// line to remember.
func drawLeafletHeader(s Surface, l assets.Leaflet, r Rect) error {
	s.FillRect(r.X, r.Y, r.W, r.H*0.62, Blue)
	in := r.W - 2*leafMargin
	tag := "平安乡村 · 安全提示"
	s.Text(r.X+leafMargin, r.Y+leafMargin, 9, Style{Color: Yellow}, tag)
	boxTop, boxH := r.Y+leafMargin+3, r.H*0.62-leafMargin-14
	f, err := Fit(s, "leaflet title", l.Title, in, boxH, math.Min(40, r.H/3), 12)
	if err != nil {
		return err
	}
	DrawBlock(s, f, r.X+leafMargin, boxTop+(boxH-f.Height())/2, in, Style{Color: White, Bold: true}, 0)
	if l.Subtitle != "" {
		pt, err := FitLine(s, "leaflet subtitle", l.Subtitle, in, 8, 13, 7)
		if err != nil {
			return err
		}
		s.Text(r.X+leafMargin, r.Y+r.H*0.62-4, pt, Style{Color: White}, l.Subtitle)
	}
	if l.Remember != "" {
		top := r.Y + r.H*0.62 + 3
		h := r.H*0.38 - 3
		s.FillRect(r.X+leafMargin, top, in, h, PaleRed)
		f, err := Fit(s, "leaflet key line", l.Remember, in-6, h-4, 18, 8)
		if err != nil {
			return err
		}
		DrawBlock(s, f, r.X+leafMargin+3, top+(h-f.Height())/2, in-6, Style{Color: Red, Bold: true}, 1)
	}
	return nil
}

// drawLeafletCover fills the bi-fold's front panel.
func drawLeafletCover(s Surface, l assets.Leaflet, c Contact, r Rect) error {
	if err := drawLeafletHeader(s, l, Rect{r.X, r.Y, r.W, 120}); err != nil {
		return err
	}
	in := r.W - 2*leafMargin
	nums := []struct{ n, what string }{{"110", "报警"}, {"119", "火警"}, {"120", "急救"}}
	cw := in / 3
	for i, n := range nums {
		x := r.X + leafMargin + float64(i)*cw
		s.StrokeRect(x+2, 135, cw-4, 30, 0.6, Blue)
		TextAt(s, x, cw, 152, 26, Style{Color: Red, Bold: true}, 1, n.n)
		TextAt(s, x, cw, 161, 10, Style{Color: Blue}, 1, n.what)
	}
	issuer := c.Org()
	if issuer != "" {
		// Who publishes it, with 宣 on the same line (a 宣 alone on a
		// line reads as a stray character).
		issuer += " 宣"
		pt, err := FitLine(s, "issuer", issuer, in, 10, 14, 7)
		if err != nil {
			return err
		}
		TextAt(s, r.X+leafMargin, in, 192, pt, Style{Color: Blue, Bold: true}, 1, issuer)
	}
	return nil
}

// drawLeafletContact is the post's contact block with its QR code.
func drawLeafletContact(s Surface, c Contact, r Rect) error {
	s.FillRect(r.X, r.Y, r.W, 9, Blue)
	s.Text(r.X+3, r.Y+6.5, 11, Style{Color: White, Bold: true}, "警民联系")
	body := Rect{r.X, r.Y + 9, r.W, r.H - 9}
	s.StrokeRect(body.X, body.Y, body.W, body.H, 0.5, Blue)
	img, key, err := c.QRImage(s)
	if err != nil {
		return err
	}
	q := body.H - 8
	s.Image(key, img, body.X+body.W-q-3, body.Y+2, q, q)
	TextAt(s, body.X+body.W-q-3, q, body.Y+body.H-2, 6.5, Style{Color: Grey}, 1, "扫码保存联系方式")
	tw := body.W - q - 9
	var lines []string
	if p := c.Org(); p != "" {
		lines = append(lines, p)
	}
	title := c.Title
	if title == "" {
		title = "民警"
	}
	if c.Officer != "" {
		lines = append(lines, title+"："+c.Officer)
	}
	if c.Phone != "" {
		lines = append(lines, "电话："+typeset.Phone(c.Phone))
	}
	if c.Address != "" {
		lines = append(lines, "地址："+c.Address)
	}
	lines = append(lines, "紧急情况请拨打 110")
	f, err := Fit(s, "leaflet contact", strings.Join(lines, "\n"), tw, body.H-4, 12, 6)
	if err != nil {
		return err
	}
	DrawBlock(s, f, body.X+3, body.Y+2+(body.H-4-f.Height())/2, tw, Style{Color: Black}, 0)
	return nil
}

// WriteLeaflet writes one leaflet as a PDF.
func WriteLeaflet(w io.Writer, font *fonts.Font, l assets.Leaflet, format LeafletFormat, c Contact) error {
	pages, err := LeafletPages(l, format, c)
	if err != nil {
		return err
	}
	return WritePDF(context.Background(), w, font, DocInfo{Title: l.Title}, pages, nil)
}
