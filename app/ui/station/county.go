package station

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	stationwords "cunjing/app/lang/translations/station"
	"cunjing/app/ui/kit"
	syncstation "cunjing/sync/station"
)

// CountyHome is the county window's home, 全县总览: the county's totals,
// then one card per station with its link and, under it, a line per post
// (syncstation.CountyView), with the month report bar on top (the report
// lists every post, named with its station).
type CountyHome struct {
	u      ReportEnv
	box    *fyne.Container
	report *reportBar
	gen    int
	// view is the overview shown (UI goroutine only; tests read it).
	view *syncstation.County
}

// NewCountyHome builds the county's home; Refresh loads it.
func NewCountyHome(u ReportEnv) *CountyHome {
	return &CountyHome{u: u, box: container.NewVBox(), report: newReportBar(u)}
}

// Object is the report bar over the overview.
func (h *CountyHome) Object() fyne.CanvasObject {
	top := container.NewBorder(nil, nil, nil, h.report.Object())
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, kit.Scroll(h.box))
}

// View is the overview shown now (nil before the first load).
func (h *CountyHome) View() *syncstation.County { return h.view }

// Refresh reads the county's overview again, over this month to date (as
// a station's 全镇总览 and `cunjing station` count).
func (h *CountyHome) Refresh() {
	h.gen++
	gen := h.gen
	var c *syncstation.County
	kit.Load(h.u, func(ctx context.Context) error {
		e, err := h.u.Engine(ctx)
		if err != nil {
			return nil // 同步 says why there is no sync identity
		}
		now := h.u.Now()
		from, to := syncstation.DefaultRange(now)
		v, err := syncstation.CountyView(ctx, e, from, to, syncstation.StaleAfter, now)
		if err != nil {
			return fmt.Errorf("county overview: %w", err)
		}
		c = &v
		return nil
	}, func() {
		if c == nil || gen != h.gen {
			return
		}
		h.view = c
		h.box.Objects = countyView(*c, h.u.Now())
		h.box.Refresh()
	})
}

// countyView is the county's totals in one strip (as a station's
// 全镇总览: the tiles above the list took a third of the screen), stale
// stations and posts called out, a card per station, and the households
// by warning and category at the foot.
func countyView(c syncstation.County, now time.Time) []fyne.CanvasObject {
	posts := 0
	for _, s := range c.Stations {
		posts += len(s.Township.Posts)
	}
	out := overviewHead(fmt.Sprintf(lang.L("station.county.heading"), len(c.Stations), posts), c.Total, c.TotalPlan, true)
	if len(c.StaleStations)+len(c.StalePosts) > 0 {
		var parts []string
		if len(c.StaleStations) > 0 {
			parts = append(parts, fmt.Sprintf(lang.L("station.county.staleStations"), strings.Join(c.StaleStations, lang.L("list.sep"))))
		}
		if len(c.StalePosts) > 0 {
			parts = append(parts, fmt.Sprintf(lang.L("station.county.stalePosts"), len(c.StalePosts)))
		}
		out = append(out, kit.Alert(strings.Join(parts, "\n"), widget.DangerImportance))
	}
	if len(c.Stations) == 0 {
		out = append(out, kit.StatusLabel(lang.L("station.county.noStations")))
	}
	for _, s := range c.Stations {
		out = append(out, stationCard(s, now))
	}
	if len(c.Stations) > 0 {
		out = append(out, kit.StatusLabel(lang.L("station.county.footHouseholds")+"\n"+categoryWords(c.Total)))
	}
	return out
}

// stationCard is one station: its link and newest data, its township's
// counts and patrols, then a line per post.
func stationCard(s syncstation.StationView, now time.Time) fyne.CanvasObject {
	link := fmt.Sprintf(lang.L("station.dash.fresh"), freshWords(s.Freshness), kit.AgoWords(s.LastContact, now))
	switch s.LastPath {
	case "direct":
		link += lang.L("station.county.direct")
	case "relay":
		link += lang.L("station.county.relay")
	}
	freshL := widget.NewLabel(link)
	if s.Stale {
		freshL.Importance = widget.DangerImportance
		freshL.TextStyle = fyne.TextStyle{Bold: true}
	}
	t := s.Township
	lines := []fyne.CanvasObject{freshL}
	lines = append(lines, kit.WarningLines([]string{s.Clock})...)
	lines = append(lines,
		widget.NewLabel(stationwords.Counts(windowL, t.Total)),
		widget.NewLabel(patrolWords(t.TotalPlan)))
	if len(t.Posts) == 0 {
		lines = append(lines, kit.StatusLabel(lang.L("station.county.noPosts")))
	}
	// Worst first, as the station's own lists (what the county can see:
	// silence, patrols, the roster, a clock).
	for _, p := range worstFirst(t.Posts) {
		l := widget.NewLabel(fmt.Sprintf(lang.L("station.county.post"), p.Name, p.Stats.Households, p.Stats.Residents, patrolWords(p.Plan), freshWords(p.Freshness)))
		l.Wrapping = fyne.TextWrapWord
		if len(p.Needs()) > 0 {
			l.Importance = widget.DangerImportance
		}
		lines = append(lines, l)
	}
	return deviceCard(s.Name, s.DeviceID, s.Unpaired, s.Stale, lines)
}
