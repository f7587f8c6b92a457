package mapedit

import (
	"context"
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/print"
	"cunjing/print/fonts"
	"cunjing/print/mapsheet"
	"cunjing/store"
)

// The map sheet: the village map on A4 or A3 (tiled onto several sheets
// with a page index when the village is too big to read on one), legend,
// scale bar, date and post, then the house index. Laid out by
// print/mapsheet from the map as it is on screen.

// printChoice is what the print dialog asks.
type printChoice struct {
	paper     mapsheet.Paper
	index     bool
	withRoute bool
	withBase  bool
}

func (m *Screen) showPrintDialog() {
	v := m.v()
	if v == nil {
		return
	}
	if m.u.Font() == nil {
		m.u.ShowError(lang.L("mapedit.print.failed"), fmt.Errorf("%s", lang.L("map.needFont")))
		return
	}
	papers := []string{lang.L("mapedit.print.auto"), "A4", "A3"}
	paperOf := map[string]mapsheet.Paper{papers[0]: mapsheet.PaperAuto, "A4": mapsheet.PaperA4, "A3": mapsheet.PaperA3}
	choice := printChoice{index: true}
	plan := wrapped("")
	update := func() {
		p, err := mapsheet.MakePlan(v, m.sheetOptions(choice, ""))
		if err != nil {
			plan.SetText(lang.L("mapedit.print.empty"))
			plan.Importance = widget.WarningImportance
			plan.Refresh()
			return
		}
		plan.Importance = widget.MediumImportance
		plan.SetText(describePlan(p))
	}
	paper := widget.NewRadioGroup(papers, func(s string) { choice.paper = paperOf[s]; update() })
	paper.Horizontal = true
	paper.SetSelected(papers[0])
	index := widget.NewCheck(lang.L("mapedit.print.index"), func(on bool) { choice.index = on })
	index.SetChecked(true)
	objs := []fyne.CanvasObject{widget.NewLabel(lang.L("mapedit.print.paper")), paper, plan, index}
	if m.route != nil && m.route.Reachable {
		objs = append(objs, widget.NewCheck(fmt.Sprintf(lang.L("mapedit.print.route"), m.route.Number), func(on bool) { choice.withRoute = on }))
	}
	if m.baseDisplay() != nil {
		objs = append(objs, widget.NewCheck(lang.L("mapedit.print.base"), func(on bool) { choice.withBase = on }))
	}
	update()
	d := dialog.NewCustomConfirm(lang.L("mapedit.print.title"), lang.L("mapedit.print.save"), lang.L("Cancel"),
		container.NewVBox(objs...), func(ok bool) {
			if ok {
				m.askPrintFile(choice)
			}
		}, m.u.Window())
	d.Resize(fyne.NewSize(480, 360))
	d.Show()
}

// describePlan says what the sheet will be, e.g. "A3 横向，比例 1:2000，1 张".
func describePlan(p mapsheet.Plan) string {
	orient := lang.L("mapedit.print.portrait")
	if p.Landscape {
		orient = lang.L("mapedit.print.landscape")
	}
	if p.Tiles > 1 {
		return fmt.Sprintf(lang.L("mapedit.print.planTiled"), p.Tiles, p.Paper, orient, p.Scale, p.Cols, p.Rows)
	}
	return fmt.Sprintf(lang.L("mapedit.print.planOne"), p.Paper, orient, p.Scale)
}

func (m *Screen) sheetOptions(c printChoice, post string) mapsheet.Options {
	opt := mapsheet.Options{Post: post, Paper: c.paper, VehicleWidth: m.vehicleWidth, NoIndex: !c.index}
	if c.withRoute && m.route != nil {
		opt.Route = routeOverlay(m.route)
		opt.Highlight = []string{m.route.HouseID}
	}
	if c.withBase {
		if v := m.v(); v != nil && v.Base != nil && m.bases[v.Base.ImageHash] != nil {
			opt.BaseImage = m.bases[v.Base.ImageHash].Original
		}
	}
	return opt
}

func (m *Screen) askPrintFile(c printChoice) {
	m.savePath(m.village.Selected+lang.L("mapedit.print.fileSuffix")+".pdf", func(path string) { m.printTo(path, c) })
}

// printTo writes the map sheet to path in the background (through a
// temporary file, so a failure never leaves half a PDF) and records the
// print for the station's counts.
func (m *Screen) printTo(path string, c printChoice) {
	v := m.v()
	if v == nil || m.u.Font() == nil {
		return
	}
	snap := v.Clone() // the map may go on being edited while the PDF is laid out
	ttf, fontName := m.u.Font().TTF, m.u.Font().Name
	villageName := m.village.Selected
	opt := m.sheetOptions(c, "")
	m.say(lang.L("mapedit.print.working"), widget.LowImportance)
	m.u.GoBG(func(ctx context.Context) {
		var post store.Post
		postName := ""
		if err := m.u.Store().Get(ctx, &post, m.u.Store().DeviceID()); err == nil {
			postName = post.Name
		}
		opt.Post = postName
		font, err := fonts.FromBytes(fontName, ttf)
		var plan mapsheet.Plan
		if err == nil {
			plan, err = mapsheet.MakePlan(snap, opt)
		}
		if err == nil {
			err = print.CreateFile(path, func(w io.Writer) error { return mapsheet.WritePDF(ctx, w, font, snap, opt) })
		}
		if err == nil {
			size := plan.Paper
			if plan.Tiles > 1 {
				size = fmt.Sprintf("%s×%d", plan.Paper, plan.Tiles)
			}
			err = m.u.Store().Save(ctx, &store.PrintRecord{Kind: "map", Template: villageName, Size: size,
				Copies: 1, PrintedAt: m.u.Now().Format("2006-01-02 15:04:05")})
			if err != nil {
				err = fmt.Errorf("the PDF was written but the print was not recorded: %w", err)
			}
		}
		if ctx.Err() != nil {
			return
		}
		m.u.Do(func() {
			if err != nil {
				m.say("", widget.MediumImportance)
				m.u.ShowError(lang.L("mapedit.print.failed"), err)
				return
			}
			m.say(fmt.Sprintf(lang.L("mapedit.print.done"), path), widget.SuccessImportance)
			m.u.ShowSaved(path, "")
		})
	})
}
