package mapprint

import (
	"context"
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/maps/render"
	"cunjing/print"
	"cunjing/print/mapsheet"
	"cunjing/store"
	"cunjing/store/printlog"
	"cunjing/store/search"
)

// The map sheet: the village map on A4 or A3 (tiled onto several sheets
// with a page index when the village is too big to read on one), legend,
// scale bar, date and post, then the house index. Laid out by
// print/mapsheet from the map as it is on screen.

// SheetChoice is what the print dialog asks.
type SheetChoice struct {
	Paper     mapsheet.Paper
	Index     bool // the house index after the map
	WithRoute bool // the fire engine's route shown
	WithBase  bool // the scanned base map under it
}

// ShowMapDialog is 打印地图: the paper, the house index, the route and
// the base map, with what the sheet will be; then where to save.
func (p *Printer) ShowMapDialog() {
	v := p.ed.Village()
	if v == nil {
		return
	}
	if p.u.Font() == nil {
		p.u.ShowError(lang.L("mapedit.print.failed"), fmt.Errorf("%s", lang.L("map.needFont")))
		return
	}
	papers := []string{lang.L("mapedit.print.auto"), "A4", "A3"}
	paperOf := map[string]mapsheet.Paper{papers[0]: mapsheet.PaperAuto, "A4": mapsheet.PaperA4, "A3": mapsheet.PaperA3}
	choice := SheetChoice{Index: true}
	plan := kit.Wrapped("")
	update := func() {
		pl, err := mapsheet.MakePlan(v, p.sheetOptions(choice, ""))
		if err != nil {
			kit.SetWrapped(plan, lang.L("mapedit.print.empty"))
			plan.Importance = widget.WarningImportance
			plan.Refresh()
			return
		}
		plan.Importance = widget.MediumImportance
		kit.SetWrapped(plan, describePlan(pl))
	}
	paper := widget.NewRadioGroup(papers, func(s string) { choice.Paper = paperOf[s]; update() })
	paper.Horizontal = true
	paper.SetSelected(papers[0])
	index := widget.NewCheck(lang.L("mapedit.print.index"), func(on bool) { choice.Index = on })
	index.SetChecked(true)
	objs := []fyne.CanvasObject{widget.NewLabel(lang.L("mapedit.print.paper")), paper, plan, index}
	if p.ed.Route() != nil && p.ed.Route().Reachable {
		objs = append(objs, widget.NewCheck(fmt.Sprintf(lang.L("mapedit.print.route"), search.PlainNumber(p.ed.Route().Number)), func(on bool) { choice.WithRoute = on }))
	}
	if p.ed.BaseImage() != nil {
		objs = append(objs, widget.NewCheck(lang.L("mapedit.print.base"), func(on bool) { choice.WithBase = on }))
	}
	update()
	d := dialog.NewCustomConfirm(lang.L("mapedit.print.title"), lang.L("mapedit.print.save"), lang.L("Cancel"),
		container.NewVBox(objs...), func(ok bool) {
			if ok {
				p.askMapFile(choice)
			}
		}, p.u.Window())
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

func (p *Printer) sheetOptions(c SheetChoice, post string) mapsheet.Options {
	opt := mapsheet.Options{Post: post, Paper: c.Paper, VehicleWidth: p.ed.VehicleWidth(), NoIndex: !c.Index, Date: p.u.Now()}
	if c.WithRoute && p.ed.Route() != nil {
		opt.Route = render.OverlayOf(p.ed.Route())
		opt.Highlight = []string{p.ed.Route().HouseID}
	}
	if c.WithBase {
		if b := p.ed.BaseImage(); b != nil {
			opt.BaseImage = b.Original
		}
	}
	return opt
}

func (p *Printer) askMapFile(c SheetChoice) {
	p.ed.SavePath(p.ed.VillageName()+lang.L("mapedit.print.fileSuffix")+".pdf", func(path string) { p.PrintMap(path, c) })
}

// PrintMap writes the map sheet to path in the background (through a
// temporary file, so a failure never leaves half a PDF) and records the
// print for the station's counts.
func (p *Printer) PrintMap(path string, c SheetChoice) {
	v := p.ed.Village()
	if v == nil || p.u.Font() == nil {
		return
	}
	snap := v.Clone() // the map may go on being edited while the PDF is laid out
	font, fontErr := p.u.PDFFont()
	villageName, villageID := p.ed.VillageName(), p.ed.VillageID()
	opt := p.sheetOptions(c, "")
	p.ed.Say(lang.L("mapedit.print.working"), widget.LowImportance)
	p.u.GoBG(func(ctx context.Context) {
		var post store.Post
		postName := ""
		if err := p.u.Store().Get(ctx, &post, p.u.Store().DeviceID()); err == nil {
			postName = post.Name
		}
		opt.Post = postName
		err := fontErr
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
			err = printlog.Save(ctx, p.u.Store(), &store.PrintRecord{Kind: "map", Template: villageName, Size: size,
				Copies: 1, PrintedAt: p.u.Now().Format("2006-01-02 15:04:05")}, "villages", villageID)
			if err != nil {
				err = fmt.Errorf("the PDF was written but the print was not recorded: %w", err)
			}
		}
		if ctx.Err() != nil {
			return
		}
		p.u.Do(func() {
			if err != nil {
				p.ed.Say("", widget.MediumImportance)
				p.u.ShowError(lang.L("mapedit.print.failed"), err)
				return
			}
			p.ed.Say(fmt.Sprintf(lang.L("mapedit.print.done"), path), widget.SuccessImportance)
			p.u.ShowSaved(path, "")
		})
	})
}
