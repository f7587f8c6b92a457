package costboard

import (
	"context"
	"image"
	"image/color"
	"sort"

	"cunjing/assets"
	"cunjing/print"
	"cunjing/print/typeset"
)

// DefaultItemsFor is DefaultItems cut down to what the template can print
// on a board of size sz with its body text at the legible minimum
// (MinTextMMFor: 14 mm on a wall board): the lines with amounts first (public-order penalties, prison
// terms, then money), then the others in order, each taken only if the board still fits. An A4
// table holds fewer lines than a 60×90 cm one; every line kept is printed
// whole. The fit is judged with widths every CJK font shares (an
// ideograph is one em), so it needs no font; the real layout then fits
// with room to spare. A fit observer ctx carries (typeset.WithFitObserver)
// is told of the boxes each trial fits text into.
func DefaultItemsFor(ctx context.Context, t Template, sz print.Size, items []assets.CostItem) []assets.CostItem {
	cand := DefaultItems(t, items)
	if sz.W <= 0 || sz.H <= 0 {
		sz = print.SizeA4
	}
	rank := func(it assets.CostItem) int {
		switch {
		case it.HasAmount() && it.Tier == assets.TierPublicOrder && it.Grp == assets.GroupLegal:
			return 0
		case it.HasAmount() && it.Tier == assets.TierCriminal:
			return 1
		case it.HasAmount():
			return 2
		}
		return 3
	}
	order := append([]assets.CostItem(nil), cand...)
	sort.SliceStable(order, func(i, j int) bool { return rank(order[i]) < rank(order[j]) })
	b := Default(nil, "某某村便民小卖部（示例）", print.Contact{Station: "某某派出所", Post: "某某村警务室", Officer: "王建国", Title: "社区民警", Phone: "13800000000"})
	b.Issuer = "某某派出所 宣"
	var chosen []assets.CostItem
	for _, it := range order {
		try := append(append([]assets.CostItem(nil), chosen...), it)
		assets.SortItems(try)
		b.Items = try
		if boardFits(ctx, b, Layout{Template: t, Size: sz}) {
			chosen = try
		}
	}
	if len(chosen) == 0 && len(cand) > 0 {
		chosen = cand[:1]
	}
	return chosen
}

// boardFits lays b out on a measuring surface.
func boardFits(ctx context.Context, b Board, l Layout) bool {
	d, _, err := l.drawer(b)
	if err != nil {
		return false
	}
	return d.draw(estimate{observe: typeset.FitObserverOf(ctx)}) == nil
}

// estimate is a surface that only measures, with the widths every CJK
// font shares: an ideograph or fullwidth sign is one em, anything else at
// most 0.62 em; 3% is added for safety.
type estimate struct {
	observe func(typeset.Cell) // told of every fit, if set
}

// ObserveFit tells the fit observer, if any.
func (e estimate) ObserveFit(c typeset.Cell) {
	if e.observe != nil {
		e.observe(c)
	}
}

func (estimate) Width(s string, pt float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case r == '\u2060':
		case r >= 0x2E80 || r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—' || r == '·':
			w += 1
		default:
			w += 0.62
		}
	}
	return w * pt * print.PtMM * 1.03
}

func (e estimate) Break(text string, pt, w float64) ([]string, bool) {
	return typeset.Break(e, text, pt, w)
}

func (estimate) FillRect(x, y, w, h float64, c color.RGBA)                  {}
func (estimate) StrokeRect(x, y, w, h, lw float64, c color.RGBA)            {}
func (estimate) Line(x1, y1, x2, y2, lw float64, c color.RGBA, dashed bool) {}
func (estimate) Text(x, y, pt float64, st print.Style, s string)            {}
func (estimate) Image(key string, img image.Image, x, y, w, h float64)      {}
func (estimate) Clip(x, y, w, h float64)                                    {}
func (estimate) Unclip()                                                    {}
func (estimate) QR(string) (image.Image, string, error) {
	return image.NewGray(image.Rect(0, 0, 1, 1)), "estimate", nil
}
