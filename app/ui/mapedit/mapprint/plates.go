package mapprint

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/plates"
	"cunjing/app/ui/kit"
	"cunjing/print"
	"cunjing/store/search"
)

// Door plates (门牌, issue #24) from the map: for the whole village, the
// selected house, a lane or a list of numbers (1..50,203,203-1), at a sign
// maker's size or as A4 stickers, or the list of plates to replace after
// a renumbering — through app/plates, the use case `cunjing print plates`
// runs.

// Which houses the 门牌 dialog takes.
const (
	PlatesVillage = iota
	PlatesSelected
	PlatesLane
	PlatesNumbers
)

// PlatesChoice is what the 门牌 dialog asks.
type PlatesChoice struct {
	Scope  int    // PlatesVillage …
	House  string // the selected house's ID (PlatesSelected)
	Lane   string
	Houses string // numbers and ranges: 1..50,203,203-1
	Size   print.PlateSize
	List   bool // the list of plates to replace instead of plates
}

// request is the use case's request for the choice; a lane or numbers
// chosen but not given is refused (it would print the whole village).
func (c PlatesChoice) request() (plates.Request, error) {
	req := plates.Request{Renumbered: c.List}
	switch c.Scope {
	case PlatesSelected:
		req.IDs = []string{c.House}
	case PlatesLane:
		if strings.TrimSpace(c.Lane) == "" {
			return req, errors.New(lang.L("mapedit.plates.pickLane"))
		}
		req.Lane = c.Lane
	case PlatesNumbers:
		if strings.TrimSpace(c.Houses) == "" {
			return req, errors.New(lang.L("mapedit.plates.giveNumbers"))
		}
		req.Houses = c.Houses
	}
	return req, nil
}

// ShowPlatesDialog is 门牌: which houses, what size, plates or the list
// of plates to replace, then where to save.
func (p *Printer) ShowPlatesDialog() {
	v := p.ed.Village()
	if v == nil {
		return
	}
	if p.u.Font() == nil {
		p.u.ShowError(lang.L("mapedit.plates.failed"), errors.New(lang.L("map.needFont")))
		return
	}
	c := PlatesChoice{Size: print.Plate20x12, House: p.ed.SelectedHouse()}
	if c.House != "" {
		c.Scope = PlatesSelected
	}
	var lanes []string
	for _, l := range v.Lanes {
		if n := strings.TrimSpace(l.Name); n != "" && !slices.Contains(lanes, n) {
			lanes = append(lanes, n)
		}
	}
	slices.Sort(lanes)
	lane := kit.NewSelect(lanes, nil)
	lane.PlaceHolder = lang.L("mapedit.plates.lanePlaceholder")
	numbers := kit.NewEntry()
	numbers.SetPlaceHolder("1..50,203,203-1")

	scopes := []string{lang.L("mapedit.plates.village")}
	scopeOf := []int{PlatesVillage}
	if c.House != "" {
		scopes = append(scopes, fmt.Sprintf(lang.L("mapedit.plates.selected"), p.houseNumber(c.House)))
		scopeOf = append(scopeOf, PlatesSelected)
	}
	if len(lanes) > 0 {
		scopes = append(scopes, lang.L("mapedit.plates.lane"))
		scopeOf = append(scopeOf, PlatesLane)
	}
	scopes = append(scopes, lang.L("mapedit.plates.numbers"))
	scopeOf = append(scopeOf, PlatesNumbers)
	scope := widget.NewRadioGroup(scopes, func(s string) {
		if i := slices.Index(scopes, s); i >= 0 {
			c.Scope = scopeOf[i]
		}
	})
	scope.SetSelected(scopes[slices.Index(scopeOf, c.Scope)])
	// Picking a lane or typing numbers chooses them.
	choose := func(sc int) {
		if i := slices.Index(scopeOf, sc); i >= 0 {
			scope.SetSelected(scopes[i])
		}
	}
	lane.OnChanged = func(s string) { c.Lane = s; choose(PlatesLane) }
	numbers.OnChanged = func(s string) { c.Houses = s; choose(PlatesNumbers) }

	sizes := []string{lang.L("mapedit.plates.size20x12"), lang.L("mapedit.plates.size30x20"), lang.L("mapedit.plates.stickers")}
	sizeOf := print.PlateSizes()
	size := widget.NewRadioGroup(sizes, func(s string) {
		if i := slices.Index(sizes, s); i >= 0 {
			c.Size = sizeOf[i]
		}
	})
	size.SetSelected(sizes[0])
	// The sizes side by side and the lane beside the numbers: stacked, the
	// dialog was 660 px tall, and its buttons fell under a 768-line
	// screen's taskbar.
	size.Horizontal = true
	list := widget.NewCheck(lang.L("mapedit.plates.list"), func(on bool) { c.List = on })

	objs := []fyne.CanvasObject{
		widget.NewLabel(lang.L("mapedit.plates.which")), scope,
	}
	if len(lanes) > 0 {
		objs = append(objs, container.NewGridWithColumns(2, lane, numbers))
	} else {
		objs = append(objs, numbers)
	}
	objs = append(objs,
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("mapedit.plates.size")), nil, size), list,
		kit.Wrapped(lang.L("mapedit.plates.qrNote")))
	d := dialog.NewCustomConfirm(lang.L("mapedit.plates.title"), lang.L("mapedit.print.save"), lang.L("Cancel"),
		container.NewVBox(objs...), func(ok bool) {
			if ok {
				p.askPlatesFile(c)
			}
		}, p.u.Window())
	d.Resize(fyne.NewSize(520, 520))
	d.Show()
}

// houseNumber is a house's number as shown, or 未编号.
func (p *Printer) houseNumber(id string) string {
	if v := p.ed.Village(); v != nil {
		for i := range v.Houses {
			if v.Houses[i].ID == id && v.Houses[i].Number != "" {
				return search.PlainNumber(v.Houses[i].Number)
			}
		}
	}
	return lang.L("mapedit.plates.unnumbered")
}

// askPlatesFile asks where to save (the editor's save seam)
// and prints there.
func (p *Printer) askPlatesFile(c PlatesChoice) {
	suffix := lang.L("mapedit.plates.fileSuffix")
	if c.List {
		suffix = lang.L("mapedit.plates.listSuffix")
	}
	p.ed.SavePath(p.ed.VillageName()+suffix+".pdf", func(path string) { p.PrintPlates(path, c) })
}

// PrintPlates writes the plates (or the list of plates to replace) of
// the map as it is on screen to path in the background, through a
// temporary file, and records the print.
func (p *Printer) PrintPlates(path string, c PlatesChoice) {
	v := p.ed.Village()
	if v == nil || p.u.Font() == nil {
		return
	}
	req, err := c.request()
	if err != nil {
		p.u.ShowError(err.Error(), nil)
		return
	}
	snap := v.Clone()
	font, fontErr := p.u.PDFFont()
	villageID := p.ed.VillageID()
	now := p.u.Now()
	var sel *plates.Selection
	p.ed.Say(lang.L("mapedit.print.working"), widget.LowImportance)
	kit.Run(p.u, func(ctx context.Context) error {
		var err error
		sel, err = plates.Select(ctx, p.u.Store(), villageID, snap, req)
		if err != nil {
			return err
		}
		if fontErr != nil {
			return fontErr
		}
		err = print.CreateFile(path, func(w io.Writer) error {
			if c.List {
				return sel.WriteReplaceList(ctx, w, font, time.Time{}, now)
			}
			return sel.WritePlates(ctx, w, font, c.Size, now)
		})
		if err != nil {
			return err
		}
		return sel.Record(ctx, p.u.Store(), c.Size.Name, c.List, "", now)
	}, func(err error) {
		p.ed.Say("", widget.MediumImportance)
		what := lang.L("mapedit.plates.failed")
		switch {
		case errors.Is(err, plates.ErrNothing) && c.List:
			what = lang.L("mapedit.plates.noneChanged")
		case errors.Is(err, plates.ErrNothing):
			what = lang.L("mapedit.plates.none")
		case errors.Is(err, plates.ErrHouses):
			what = lang.L("mapedit.plates.badNumbers")
		}
		p.u.ShowError(what, err)
	}, func() {
		n, what := len(sel.Plates), "mapedit.plates.what"
		if c.List {
			n, what = len(sel.Replace), "mapedit.plates.listWhat"
		}
		p.ed.Say(fmt.Sprintf(lang.L("mapedit.plates.done"), n, path), widget.SuccessImportance)
		p.u.ShowSaved(path, fmt.Sprintf(lang.L(what), n))
	})
}
