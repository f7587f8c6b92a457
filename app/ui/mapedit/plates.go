package mapedit

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
	"cunjing/maps"
	"cunjing/print"
	"cunjing/print/fonts"
)

// Door plates (门牌, issue #24) from the map: for the whole village, the
// selected house, a lane or a list of numbers (1..50,203,203-1), at a sign
// maker's size or as A4 stickers, or the list of plates to replace after
// a renumbering — through app/plates, the use case `cunjing print plates`
// runs.

// Which houses the 门牌 dialog takes.
const (
	platesVillage = iota
	platesSelected
	platesLane
	platesNumbers
)

// platesChoice is what the 门牌 dialog asks.
type platesChoice struct {
	scope  int
	house  string // the selected house's ID (platesSelected)
	lane   string
	houses string
	size   print.PlateSize
	list   bool // the list of plates to replace instead of plates
}

// request is the use case's request for the choice; a lane or numbers
// chosen but not given is refused (it would print the whole village).
func (c platesChoice) request() (plates.Request, error) {
	req := plates.Request{Renumbered: c.list}
	switch c.scope {
	case platesSelected:
		req.IDs = []string{c.house}
	case platesLane:
		if strings.TrimSpace(c.lane) == "" {
			return req, errors.New(lang.L("mapedit.plates.pickLane"))
		}
		req.Lane = c.lane
	case platesNumbers:
		if strings.TrimSpace(c.houses) == "" {
			return req, errors.New(lang.L("mapedit.plates.giveNumbers"))
		}
		req.Houses = c.houses
	}
	return req, nil
}

// selectedHouse is the ID of the house selected on the map, or "".
func (m *Screen) selectedHouse() string {
	if m.selKind == maps.FeatHouse && m.selected != "" {
		return m.selected
	}
	return ""
}

func (m *Screen) showPlatesDialog() {
	v := m.v()
	if v == nil {
		return
	}
	if m.u.Font() == nil {
		m.u.ShowError(lang.L("mapedit.plates.failed"), errors.New(lang.L("map.needFont")))
		return
	}
	c := platesChoice{size: print.Plate20x12, house: m.selectedHouse()}
	if c.house != "" {
		c.scope = platesSelected
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
	numbers := widget.NewEntry()
	numbers.SetPlaceHolder("1..50,203,203-1")

	scopes := []string{lang.L("mapedit.plates.village")}
	scopeOf := []int{platesVillage}
	if c.house != "" {
		scopes = append(scopes, fmt.Sprintf(lang.L("mapedit.plates.selected"), m.houseNumber(c.house)))
		scopeOf = append(scopeOf, platesSelected)
	}
	if len(lanes) > 0 {
		scopes = append(scopes, lang.L("mapedit.plates.lane"))
		scopeOf = append(scopeOf, platesLane)
	}
	scopes = append(scopes, lang.L("mapedit.plates.numbers"))
	scopeOf = append(scopeOf, platesNumbers)
	scope := widget.NewRadioGroup(scopes, func(s string) {
		if i := slices.Index(scopes, s); i >= 0 {
			c.scope = scopeOf[i]
		}
	})
	scope.SetSelected(scopes[slices.Index(scopeOf, c.scope)])
	// Picking a lane or typing numbers chooses them.
	choose := func(sc int) {
		if i := slices.Index(scopeOf, sc); i >= 0 {
			scope.SetSelected(scopes[i])
		}
	}
	lane.OnChanged = func(s string) { c.lane = s; choose(platesLane) }
	numbers.OnChanged = func(s string) { c.houses = s; choose(platesNumbers) }

	sizes := []string{lang.L("mapedit.plates.size20x12"), lang.L("mapedit.plates.size30x20"), lang.L("mapedit.plates.stickers")}
	sizeOf := print.PlateSizes()
	size := widget.NewRadioGroup(sizes, func(s string) {
		if i := slices.Index(sizes, s); i >= 0 {
			c.size = sizeOf[i]
		}
	})
	size.SetSelected(sizes[0])
	list := widget.NewCheck(lang.L("mapedit.plates.list"), func(on bool) { c.list = on })

	objs := []fyne.CanvasObject{
		widget.NewLabel(lang.L("mapedit.plates.which")), scope,
	}
	if len(lanes) > 0 {
		objs = append(objs, lane)
	}
	objs = append(objs, numbers,
		widget.NewLabel(lang.L("mapedit.plates.size")), size, list,
		wrapped(lang.L("mapedit.plates.qrNote")))
	d := dialog.NewCustomConfirm(lang.L("mapedit.plates.title"), lang.L("mapedit.print.save"), lang.L("Cancel"),
		container.NewVBox(objs...), func(ok bool) {
			if ok {
				m.askPlatesFile(c)
			}
		}, m.u.Window())
	d.Resize(fyne.NewSize(520, 520))
	d.Show()
}

// houseNumber is a house's number as shown, or 未编号.
func (m *Screen) houseNumber(id string) string {
	if v := m.v(); v != nil {
		for i := range v.Houses {
			if v.Houses[i].ID == id && v.Houses[i].Number != "" {
				return v.Houses[i].Number
			}
		}
	}
	return lang.L("mapedit.plates.unnumbered")
}

// askPlatesFile asks where to save (the window's save seam, m.savePath)
// and prints there.
func (m *Screen) askPlatesFile(c platesChoice) {
	suffix := lang.L("mapedit.plates.fileSuffix")
	if c.list {
		suffix = lang.L("mapedit.plates.listSuffix")
	}
	m.savePath(m.village.Selected+suffix+".pdf", func(path string) { m.printPlatesTo(path, c) })
}

// saveDialog is the real save seam: the window's chooser, for a PDF.
func (m *Screen) saveDialog(name string, then func(path string)) {
	kit.SavePath(m.u.Window(), name, []string{".pdf"}, fyne.NewSize(900, 600), then)
}

// printPlatesTo writes the plates (or the list of plates to replace) of
// the map as it is on screen to path in the background, through a
// temporary file, and records the print.
func (m *Screen) printPlatesTo(path string, c platesChoice) {
	v := m.v()
	if v == nil || m.u.Font() == nil {
		return
	}
	req, err := c.request()
	if err != nil {
		m.u.ShowError(err.Error(), nil)
		return
	}
	snap := v.Clone()
	ttf, fontName := m.u.Font().TTF, m.u.Font().Name
	villageID := m.villageID
	now := m.u.Now()
	var sel *plates.Selection
	m.say(lang.L("mapedit.print.working"), widget.LowImportance)
	kit.Run(m.u, func(ctx context.Context) error {
		var err error
		sel, err = plates.Select(ctx, m.u.Store(), villageID, snap, req)
		if err != nil {
			return err
		}
		font, err := fonts.FromBytes(fontName, ttf)
		if err != nil {
			return err
		}
		err = print.CreateFile(path, func(w io.Writer) error {
			if c.list {
				return sel.WriteReplaceList(ctx, w, font, time.Time{}, now)
			}
			return sel.WritePlates(ctx, w, font, c.size, now)
		})
		if err != nil {
			return err
		}
		return sel.Record(ctx, m.u.Store(), c.size.Name, c.list, "", now)
	}, func(err error) {
		m.say("", widget.MediumImportance)
		what := lang.L("mapedit.plates.failed")
		switch {
		case errors.Is(err, plates.ErrNothing) && c.list:
			what = lang.L("mapedit.plates.noneChanged")
		case errors.Is(err, plates.ErrNothing):
			what = lang.L("mapedit.plates.none")
		case errors.Is(err, plates.ErrHouses):
			what = lang.L("mapedit.plates.badNumbers")
		}
		m.u.ShowError(what, err)
	}, func() {
		n, what := len(sel.Plates), "mapedit.plates.what"
		if c.list {
			n, what = len(sel.Replace), "mapedit.plates.listWhat"
		}
		m.say(fmt.Sprintf(lang.L("mapedit.plates.done"), n, path), widget.SuccessImportance)
		m.u.ShowSaved(path, fmt.Sprintf(lang.L(what), n))
	})
}
