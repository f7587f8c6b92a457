package station

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/print/fonts"
	"cunjing/store"
	"cunjing/store/search"
)

// HomeEnv is what the station window's home needs besides Env: the ways
// from a search hit into 住户 and 地图, which the shell opens (an area
// never imports another), and the timer the typed search waits on.
type HomeEnv interface {
	ReportEnv
	kit.Later
	// Ctx ends with the window: a search still running stops.
	Ctx() context.Context
	// OpenHousehold shows 住户 at the household living in a house.
	OpenHousehold(houseID string)
	// ShowHouseOnMap opens 地图 on the house's village, zoomed to it.
	ShowHouseOnMap(houseID string)
	// SearchHouseholds shows 住户 searching for q (a household with no
	// house on the map is found there).
	SearchHouseholds(q string)
	// ShowPost opens 各警务室 at one post (a row's 查看).
	ShowPost(deviceID string)
}

// homeLimit bounds the hits the township search lists: a name common in
// the township (王) lists the best 50; a longer query narrows it.
const homeLimit = 50

// searchPause is how long the typing pauses before the search runs.
const searchPause = 250 * time.Millisecond

// Home is the station window's home: the township search over every post
// (a person, phone, ID number or house number, through the one search
// the posts use) above 全镇总览. While a query is typed its hits stand in
// place of the overview; clearing it brings the overview back.
type Home struct {
	u      HomeEnv
	Dash   *Dashboard
	report *reportBar
	entry  *kit.Entry
	body   *fyne.Container
	runs   *kit.Debouncer
	// names maps a village's ID to its name (read with the first search).
	names map[string]string
	// hits are the hits shown (UI goroutine only).
	hits []search.Hit
}

// NewHome builds the home; Refresh loads the overview.
func NewHome(u HomeEnv) *Home {
	h := &Home{u: u, Dash: NewDashboard(u), runs: kit.NewDebouncer(u), report: newReportBar(u)}
	h.Dash.open = u.ShowPost
	h.entry = kit.NewEntry() // passes Ctrl+E (紧急) on to the window
	h.entry.SetPlaceHolder(lang.L("station.searchHint"))
	h.entry.ActionItem = widget.NewIcon(theme.SearchIcon())
	h.entry.OnChanged = func(string) { h.schedule(searchPause) }
	h.entry.OnSubmitted = func(string) { h.schedule(0) }
	h.body = container.NewStack(h.Dash.Object())
	return h
}

// Object is the search box and the month report bar over the overview or
// the hits.
func (h *Home) Object() fyne.CanvasObject {
	top := container.NewBorder(nil, nil, nil, h.report.Object(), h.entry)
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, h.body)
}

// ExportReport writes month's report (YYYY-MM) to path, as .xlsx or, with
// pdf, its PDF summary — what 月报's buttons do after the chooser (tests
// use it).
func (h *Home) ExportReport(month, path string, pdf bool) error {
	h.report.follow()
	for i, m := range h.report.months {
		if m.Format("2006-01") == month {
			h.report.pick.SetSelectedIndex(i)
			var font *fonts.Font
			if pdf {
				f, err := h.u.PDFFont()
				if err != nil {
					return err
				}
				font = f
			}
			h.report.write(path, month, font)
			return nil
		}
	}
	return fmt.Errorf("month %s is not offered", month)
}

// Refresh reads the overview again (and the hits, when a query is typed).
func (h *Home) Refresh() {
	h.report.follow()
	h.Dash.Refresh()
	h.names = nil
	if h.entry.Text != "" {
		h.schedule(0)
	}
}

// Search types q into the search box and searches at once (the
// screenshots and tests use it).
func (h *Home) Search(q string) {
	h.entry.SetText(q)
	h.schedule(0)
}

// Hits are the hits shown now.
func (h *Home) Hits() []search.Hit { return h.hits }

// schedule runs the search after delay, dropping a search not yet begun.
func (h *Home) schedule(delay time.Duration) {
	q := h.entry.Text
	if q == "" {
		h.runs.Cancel() // a search still pending or running shows nothing
		h.showOverview()
		return
	}
	names := h.names
	h.runs.Run(delay, func(gen int) {
		hits, names, err := h.find(h.u.Ctx(), q, names)
		h.u.Do(func() {
			if !h.runs.Current(gen) || h.entry.Text != q {
				return
			}
			h.names = names
			h.showHits(q, hits, err)
		})
	})
}

// find is the township search: every village, the best homeLimit hits.
func (h *Home) find(ctx context.Context, q string, names map[string]string) ([]search.Hit, map[string]string, error) {
	if names == nil {
		vs, err := h.u.Store().Villages(ctx)
		if err != nil {
			return nil, nil, err
		}
		names = make(map[string]string, len(vs))
		for _, v := range vs {
			names[v.ID] = v.Name
		}
	}
	hits, err := h.u.Store().Search(ctx, store.SearchQuery{Text: q, Limit: homeLimit})
	if len(hits) > homeLimit {
		hits = hits[:homeLimit]
	}
	return hits, names, err
}

func (h *Home) showOverview() {
	h.hits = nil
	h.body.Objects = []fyne.CanvasObject{h.Dash.Object()}
	h.body.Refresh()
}

// showHits lists the hits, each with the way into its household and its
// house on the map; a query the search cannot read says why in Chinese.
func (h *Home) showHits(q string, hits []search.Hit, err error) {
	h.hits = hits
	box := container.NewVBox()
	switch {
	case errors.Is(err, search.ErrTooLong):
		box.Add(kit.StatusLabel(fmt.Sprintf(lang.L("station.searchTooLong"), search.MaxQueryRunes)))
	case errors.Is(err, search.ErrEmptyQuery):
		h.showOverview()
		return
	case err != nil:
		box.Add(kit.ErrorLine(lang.L("error.load"), err))
	case len(hits) == 0:
		box.Add(kit.StatusLabel(fmt.Sprintf(lang.L("map.notFound"), q)))
	default:
		head := fmt.Sprintf(lang.L("station.searchFound"), len(hits))
		if len(hits) == homeLimit {
			head = fmt.Sprintf(lang.L("station.searchMore"), homeLimit)
		}
		box.Add(kit.StatusLabel(head))
		for _, hit := range hits {
			box.Add(h.hitRow(hit))
		}
	}
	h.body.Objects = []fyne.CanvasObject{kit.Scroll(box)}
	h.body.Refresh()
}

// hitRow is one hit: house number, name, village and what matched; 住户
// opens the household, 地图 the house.
func (h *Home) hitRow(hit search.Hit) fyne.CanvasObject {
	village := h.names[hit.VillageID]
	if village == "" {
		village = lang.L("station.noVillage")
	}
	line := fmt.Sprintf(lang.L("station.hit"), numberWords(hit.Number), hit.Name, village, matchWords(hit.Match))
	label := widget.NewLabel(line)
	label.Wrapping = fyne.TextWrapWord
	var buttons []fyne.CanvasObject
	if hit.HouseholdID != "" {
		buttons = append(buttons, widget.NewButtonWithIcon(lang.L("station.openHouseholds"), theme.AccountIcon(), func() {
			if hit.HouseID != "" {
				h.u.OpenHousehold(hit.HouseID)
				return
			}
			h.u.SearchHouseholds(hit.Name)
		}))
	}
	if hit.HouseID != "" {
		buttons = append(buttons, widget.NewButtonWithIcon(lang.L("station.openMap"), theme.SearchIcon(), func() { h.u.ShowHouseOnMap(hit.HouseID) }))
	}
	return container.NewBorder(nil, nil, nil, container.NewHBox(buttons...), label)
}

// numberWords is a house number as the list says it ("203号"), or 无门牌.
func numberWords(n string) string {
	if n == "" {
		return lang.L("station.noNumber")
	}
	return fmt.Sprintf(lang.L("station.number"), n)
}

// matchWords says in Chinese what of the record matched the query.
func matchWords(m search.Match) string {
	if w := lang.L("station.match." + m.String()); w != "station.match."+m.String() {
		return w
	}
	return m.String()
}
