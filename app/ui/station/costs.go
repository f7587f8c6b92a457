package station

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/boardset"
	"cunjing/app/ui/kit"
	"cunjing/app/ui/kit/wrap"
	"cunjing/print/costboard"
	"cunjing/store"
)

// costFigures is 发布's list of the station's cost items with their
// amounts, sources, 本地 and 待核实/已核实; 修改 sets one as `cunjing costs
// set` does (boardset.SetFigure) and publishes it at once.
type costFigures struct {
	p      *Publish
	box    *fyne.Container // the list
	editor *fyne.Container // the form of the item being set
	ed     *figureForm
	items  []store.CostItem
}

func newCostFigures(p *Publish) *costFigures {
	return &costFigures{p: p, box: container.NewVBox(), editor: container.NewVBox()}
}

func (c *costFigures) Object() fyne.CanvasObject {
	return widget.NewCard(lang.L("station.pub.fig.title"), c.p.words("station.pub.fig.hint"), container.NewVBox(c.editor, c.box))
}

// load reads the station's own cost items and lists them.
func (c *costFigures) load() {
	u := c.p.u
	u.GoBG(func(ctx context.Context) {
		all, err := u.Store().CostItems(ctx)
		u.Do(func() {
			if err != nil {
				u.ShowError(lang.L("station.pub.fig.loadFailed"), err)
				return
			}
			c.items = c.items[:0]
			for _, it := range all {
				if it.Owner == u.Store().DeviceID() {
					c.items = append(c.items, it)
				}
			}
			c.show()
		})
	})
}

func (c *costFigures) show() {
	var rows []fyne.CanvasObject
	if len(c.items) == 0 {
		rows = append(rows, kit.LowLabel(c.p.words("station.pub.fig.none")))
	}
	for _, it := range c.items {
		it := it
		text := it.Text
		if a := costboard.FormatAmount(boardset.AssetItem(it)); a != "" {
			text += "  " + a
		}
		state := widget.NewLabel(lang.L("station.pub.fig.confirmed"))
		if !it.Confirmed {
			state.SetText(lang.L("station.pub.fig.unconfirmed"))
			state.Importance = widget.WarningImportance
		}
		line := []fyne.CanvasObject{state}
		if it.Local {
			line = append(line, widget.NewLabel(lang.L("station.pub.fig.local")))
		}
		edit := widget.NewButtonWithIcon(lang.L("roster.edit"), theme.DocumentCreateIcon(), func() { c.edit(it) })
		line = append(line, layout.NewSpacer(), edit)
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		row := []fyne.CanvasObject{widget.NewSeparator(), l, container.NewHBox(line...)}
		if src := strings.TrimSpace(kit.JoinWith(" ", it.Law, it.Article) + " " + it.Source); src != "" {
			row = append(row, kit.LowLabel(lang.L("station.pub.fig.source")+src))
		}
		rows = append(rows, container.NewVBox(row...))
	}
	c.box.Objects = rows
	c.box.Refresh()
}

// figureForm sets one item's figure.
type figureForm struct {
	c        *costFigures
	item     store.CostItem
	min, max *kit.Entry
	unit     *kit.Entry
	source   *kit.Entry
	local    *widget.Check
	checked  *widget.Check
	msg      *wrap.Label
}

func (c *costFigures) edit(it store.CostItem) {
	f := &figureForm{c: c, item: it, min: kit.NewEntry(), max: kit.NewEntry(), unit: kit.NewEntry(),
		source: kit.NewEntry(), msg: kit.StatusLabel("")}
	num := func(v float64) string {
		if v == 0 {
			return ""
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	f.min.SetText(num(it.AmountMin))
	f.max.SetText(num(it.AmountMax))
	f.unit.SetText(it.Unit)
	if it.Unit == "" {
		f.unit.SetText("元")
	}
	f.source.SetText(it.Source)
	f.source.SetPlaceHolder(lang.L("station.pub.fig.sourceHint"))
	f.local = widget.NewCheck(lang.L("station.pub.fig.localCheck"), nil)
	f.local.SetChecked(it.Local)
	f.checked = widget.NewCheck(lang.L("station.pub.fig.checkedCheck"), nil)
	f.checked.SetChecked(it.Confirmed)
	f.msg.Importance = widget.DangerImportance
	save := widget.NewButtonWithIcon(lang.L("station.pub.fig.save"), theme.UploadIcon(), f.save)
	save.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), c.close)
	c.ed = f
	c.editor.Objects = []fyne.CanvasObject{
		kit.Heading(fmt.Sprintf(lang.L("station.pub.fig.editTitle"), it.Text)),
		widget.NewForm(
			widget.NewFormItem(lang.L("station.pub.fig.amount"), container.NewGridWithColumns(3, f.min, f.max, f.unit)),
			widget.NewFormItem(lang.L("station.pub.fig.sourceField"), f.source),
		),
		f.local, f.checked, f.msg,
		container.NewHBox(layout.NewSpacer(), cancel, save),
		widget.NewSeparator(),
	}
	c.editor.Refresh()
}

func (c *costFigures) close() {
	c.ed = nil
	c.editor.Objects = nil
	c.editor.Refresh()
}

func (f *figureForm) save() {
	u := f.c.p.u
	parse := func(e *kit.Entry) (float64, bool) {
		s := strings.TrimSpace(e.Text)
		if s == "" {
			return 0, true
		}
		v, err := strconv.ParseFloat(s, 64)
		// ParseFloat also reads Inf and NaN: no amount to print.
		return v, err == nil && v >= 0 && !math.IsInf(v, 0)
	}
	lo, ok1 := parse(f.min)
	hi, ok2 := parse(f.max)
	if !ok1 || !ok2 {
		kit.SetWrapped(f.msg, lang.L("station.pub.fig.badAmount"))
		return
	}
	fig := boardset.Figure{Min: lo, Max: hi, Unit: f.unit.Text, Local: f.local.Checked, Source: f.source.Text, Confirmed: f.checked.Checked}
	day := u.Now().Format("2006-01-02")
	id := f.item.ID
	u.GoBG(func(ctx context.Context) {
		c, err := boardset.SetFigure(ctx, u.Store(), id, fig, day)
		u.Do(func() {
			switch {
			case errors.Is(err, boardset.ErrNeedSource):
				kit.SetWrapped(f.msg, lang.L("station.pub.fig.needSource"))
			case errors.Is(err, boardset.ErrInvalid):
				kit.SetWrapped(f.msg, lang.L("station.pub.fig.badAmount"))
			case err != nil:
				u.ShowError(lang.L("station.pub.failed"), err)
			default:
				f.c.close()
				f.c.p.publishRecs(&c)
				f.c.load()
			}
		})
	})
}
