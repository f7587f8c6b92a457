package mapscan

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/maps"
	"cunjing/maps/trace"
)

// cornerSide is the longest side of the photo as the corner picker shows
// it: enough to click a corner within a few pixels of the original.
const cornerSide = 1600

// pickCorners lets the officer click the sheet's four corners on the
// photo the draft was traced from, when they were not found or found
// wrong, and traces the photo again flattened from them.
func (m *Review) pickCorners(sd *scanDraft) {
	gen := m.ed.Gen()
	var img *maps.BaseImage
	kit.Run(m.u, func(ctx context.Context) (err error) {
		img, err = maps.DecodeBaseImage(sd.orig, cornerSide)
		return err
	}, func(err error) { m.u.ShowError(lang.L("mapedit.scan.failed"), err) }, func() {
		if gen != m.ed.Gen() || m.draft != sd {
			return
		}
		m.showCornerPicker(sd, img)
	})
}

func (m *Review) showCornerPicker(sd *scanDraft, img *maps.BaseImage) {
	count := widget.NewLabel("")
	p := newCornerPicker(img.Display, img.Width, img.Height, func(n int) {
		count.SetText(fmt.Sprintf(lang.L("mapedit.scan.cornersCount"), n))
	})
	p.changed(0)
	again := widget.NewButtonWithIcon(lang.L("mapedit.scan.cornersAgain"), theme.ContentUndoIcon(), p.reset)
	top := container.NewVBox(kit.Wrapped(lang.L("mapedit.scan.cornersHelp")), container.NewHBox(count, again))
	d := dialog.NewCustomConfirm(lang.L("mapedit.scan.corners"), lang.L("mapedit.scan.cornersTrace"), lang.L("Cancel"),
		container.NewBorder(top, nil, nil, nil, p), func(ok bool) {
			if !ok {
				return
			}
			c, done := p.corners()
			switch {
			case !done:
				m.ed.Say(lang.L("mapedit.scan.cornersFew"), widget.WarningImportance)
				return
			case !sheetShaped(c):
				m.ed.Say(lang.L("mapedit.scan.cornersBad"), widget.WarningImportance)
				return
			}
			m.traceScan(sd.orig, sd.rec.Source, nil, &c)
		}, m.u.Window())
	if c := m.u.Window().Canvas(); c != nil {
		s := c.Size()
		d.Resize(fyne.NewSize(s.Width*0.9, s.Height*0.9))
	}
	d.Show()
}

// cornerPicker shows a photo and takes four taps on it: the sheet's
// corners, in the original image's pixels.
type cornerPicker struct {
	widget.BaseWidget
	img      image.Image // the display copy
	origW    int         // the original's size: taps are scaled to it
	origH    int
	pts      []trace.Pt
	onChange func(n int)
}

func newCornerPicker(img image.Image, origW, origH int, onChange func(n int)) *cornerPicker {
	p := &cornerPicker{img: img, origW: origW, origH: origH, onChange: onChange}
	p.ExtendBaseWidget(p)
	return p
}

// fitContain is where an iw×ih image lies when drawn to fill size with
// its shape kept: its top-left corner and the size of one of its pixels.
func fitContain(size fyne.Size, iw, ih int) (x, y, s float32) {
	if iw <= 0 || ih <= 0 || size.Width <= 0 || size.Height <= 0 {
		return 0, 0, 0
	}
	s = min(size.Width/float32(iw), size.Height/float32(ih))
	return (size.Width - float32(iw)*s) / 2, (size.Height - float32(ih)*s) / 2, s
}

// toImage is the original image's pixel under pos in a widget of size, or
// false when pos is off the picture.
func toImage(pos fyne.Position, size fyne.Size, origW, origH int) (trace.Pt, bool) {
	x, y, s := fitContain(size, origW, origH)
	if s <= 0 {
		return trace.Pt{}, false
	}
	px, py := float64((pos.X-x)/s), float64((pos.Y-y)/s)
	if px < 0 || py < 0 || px > float64(origW) || py > float64(origH) {
		return trace.Pt{}, false
	}
	return trace.Pt{px, py}, true
}

// toWidget is where the original image's pixel p lies in a widget of size.
func toWidget(p trace.Pt, size fyne.Size, origW, origH int) fyne.Position {
	x, y, s := fitContain(size, origW, origH)
	return fyne.NewPos(x+float32(p[0])*s, y+float32(p[1])*s)
}

// Tapped takes a corner; a fifth tap starts again from it.
func (p *cornerPicker) Tapped(e *fyne.PointEvent) {
	pt, ok := toImage(e.Position, p.Size(), p.origW, p.origH)
	if !ok {
		return
	}
	if len(p.pts) == 4 {
		p.pts = p.pts[:0]
	}
	p.pts = append(p.pts, pt)
	p.changed(len(p.pts))
}

func (p *cornerPicker) reset() {
	p.pts = p.pts[:0]
	p.changed(0)
}

func (p *cornerPicker) changed(n int) {
	if p.onChange != nil {
		p.onChange(n)
	}
	p.Refresh()
}

// corners are the four corners clicked, ordered top-left, top-right,
// bottom-right, bottom-left whatever order they were clicked in.
func (p *cornerPicker) corners() ([4]trace.Pt, bool) {
	if len(p.pts) != 4 {
		return [4]trace.Pt{}, false
	}
	return trace.OrderCorners([4]trace.Pt(p.pts)), true
}

// sheetShaped reports whether four ordered corners make a sheet that can
// be flattened: a convex four-sided shape whose sides are all at least
// trace.MinSide pixels (taps close together, or one inside the triangle of
// the others, are not a sheet's corners).
func sheetShaped(c [4]trace.Pt) bool {
	sign := 0.0
	for i := range 4 {
		a, b, d := c[i], c[(i+1)%4], c[(i+2)%4]
		if math.Hypot(b[0]-a[0], b[1]-a[1]) < trace.MinSide {
			return false
		}
		x := (b[0]-a[0])*(d[1]-b[1]) - (b[1]-a[1])*(d[0]-b[0])
		if x == 0 || (sign != 0 && (x > 0) != (sign > 0)) {
			return false
		}
		sign = x
	}
	return true
}

func (p *cornerPicker) MinSize() fyne.Size { return fyne.NewSize(320, 240) }

var colCorner = color.NRGBA{0x15, 0x65, 0xc0, 0xff}

func (p *cornerPicker) CreateRenderer() fyne.WidgetRenderer {
	im := canvas.NewImageFromImage(p.img)
	im.FillMode = canvas.ImageFillContain
	im.ScaleMode = canvas.ImageScaleFastest
	r := &cornerRenderer{p: p, img: im}
	for i := range 4 {
		c := canvas.NewCircle(color.Transparent)
		c.StrokeColor, c.StrokeWidth = colCorner, 3
		t := canvas.NewText(strconv.Itoa(i+1), colCorner)
		t.TextStyle.Bold, t.TextSize = true, 18
		l := canvas.NewLine(colCorner)
		l.StrokeWidth = 2
		r.dots[i], r.nums[i], r.edges[i] = c, t, l
	}
	return r
}

type cornerRenderer struct {
	p     *cornerPicker
	img   *canvas.Image
	dots  [4]*canvas.Circle
	nums  [4]*canvas.Text
	edges [4]*canvas.Line
}

func (r *cornerRenderer) Layout(size fyne.Size) {
	r.img.Resize(size)
	r.img.Move(fyne.NewPos(0, 0))
	const rad = 9
	n := len(r.p.pts)
	// the edges join the corners in the order clicked, and once all four
	// are there, in the order they will be used
	poly := r.p.pts
	if c, ok := r.p.corners(); ok {
		poly = c[:]
	}
	for i := range 4 {
		r.dots[i].Hidden, r.nums[i].Hidden, r.edges[i].Hidden = i >= n, i >= n, true
		if i >= n {
			continue
		}
		at := toWidget(r.p.pts[i], size, r.p.origW, r.p.origH)
		r.dots[i].Move(at.SubtractXY(rad, rad))
		r.dots[i].Resize(fyne.NewSize(2*rad, 2*rad))
		r.nums[i].Move(at.AddXY(rad, -2*rad))
		r.nums[i].Resize(r.nums[i].MinSize())
		if j := (i + 1) % 4; j < n && (i < 3 || n == 4) {
			r.edges[i].Position1 = toWidget(poly[i], size, r.p.origW, r.p.origH)
			r.edges[i].Position2 = toWidget(poly[j], size, r.p.origW, r.p.origH)
			r.edges[i].Hidden = false
		}
	}
}

func (r *cornerRenderer) MinSize() fyne.Size { return r.p.MinSize() }

func (r *cornerRenderer) Refresh() {
	r.Layout(r.p.Size())
	for _, o := range r.Objects() {
		o.Refresh()
	}
}

func (r *cornerRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.img}
	for i := range 4 {
		objs = append(objs, r.edges[i], r.dots[i], r.nums[i])
	}
	return objs
}

func (r *cornerRenderer) Destroy() {}
