package station

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	stationwords "cunjing/app/lang/translations/station"
	"cunjing/app/ui/kit"
	"cunjing/store/postcounts"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	syncstation "cunjing/sync/station"
)

// Dashboard is the station's 全镇总览 tab: per-post and township
// aggregates over the last month.
type Dashboard struct {
	u   Env
	box *fyne.Container
	// gen counts refreshes: the figures of an older one, arriving late,
	// are not painted over a newer view (UI goroutine only).
	gen int
	// painted, when set, is called after each paint, with whether the
	// patrol figures were in it (the benchmark times the first).
	painted func(plansReady bool)
	// open, when set, opens a post in 各警务室 (each row's 查看).
	open func(deviceID string)
}

// township is the dashboard's data: the township view, and per post what
// it acknowledged of what the station published and what the station
// holds of it.
type township struct {
	syncstation.Township
	acks     map[string]cjsync.PeerAck
	held     map[string]heldFrom
	selfRole string
	// from, to and at are what the view was read for; FillPlans counts
	// over the same.
	from, to string
	at       time.Time
}

// heldFrom is what the station has applied of one post: how many
// packages, the newest received when.
type heldFrom struct {
	n      int
	newest string
}

// NewDashboard builds 全镇总览 in env u: the station window's home
// (Object), or a tab of 同步 (TabItem); Refresh loads it.
func NewDashboard(u Env) *Dashboard { return &Dashboard{u: u, box: container.NewVBox()} }

// Object is 全镇总览 as a screen of its own.
func (d *Dashboard) Object() fyne.CanvasObject { return kit.Scroll(d.box) }

// TabItem is the tab 同步 shows.
func (d *Dashboard) TabItem() *container.TabItem {
	return container.NewTabItemWithIcon(lang.L("sync.tabDashboard"), theme.GridIcon(), kit.Scroll(d.box))
}

// Refresh reads the township view again: the counts and the posts first
// (painted at once), then every post's patrol figures, counted in the
// background and painted when they are in (at a hundred posts they are
// most of the work).
func (d *Dashboard) Refresh() {
	d.gen++
	gen := d.gen
	var t *township
	kit.Load(d.u, func(ctx context.Context) (err error) {
		t, err = loadTownship(ctx, d.u, false)
		return err
	}, func() {
		if t == nil || gen != d.gen {
			return
		}
		d.show(*t)
		full := *t
		full.Posts = append([]syncstation.PostView(nil), t.Posts...)
		kit.Load(d.u, func(ctx context.Context) error {
			return full.FillPlans(ctx, d.u.Store(), full.from, full.to, full.at)
		}, func() {
			if gen == d.gen {
				d.show(full)
			}
		})
	})
}

func (d *Dashboard) show(t township) {
	d.box.Objects = dashboardView(t, d.open)
	d.box.Refresh()
	if d.painted != nil {
		d.painted(t.PlansReady)
	}
}

// loadTownship is the township view over the last month, as of now, with
// every post's patrol figures or (plans false) without them. A database
// without a sync identity has no engine (nil, nil): 同步's status says
// why, and the dashboard stays empty.
func loadTownship(ctx context.Context, u Env, plans bool) (*township, error) {
	e, err := u.Engine(ctx)
	if err != nil {
		return nil, nil
	}
	now := u.Now()
	from, to := syncstation.DefaultRange(now)
	view := syncstation.Overview
	if plans {
		view = syncstation.View
	}
	t, err := view(ctx, e, from, to, syncstation.StaleAfter, now)
	if err != nil {
		return nil, fmt.Errorf("township dashboard: %w", err)
	}
	out := &township{Township: t, acks: map[string]cjsync.PeerAck{}, held: map[string]heldFrom{}, selfRole: u.Store().Role(),
		from: from, to: to, at: now}
	acks, err := e.Acks(ctx)
	if err != nil {
		return nil, fmt.Errorf("township dashboard: receipts: %w", err)
	}
	for _, a := range acks {
		out.acks[a.Peer] = a
	}
	ins, err := u.Store().SyncBook().InChangesets(ctx, syncbook.InApplied)
	if err != nil {
		return nil, fmt.Errorf("township dashboard: %w", err)
	}
	for _, in := range ins {
		h := out.held[in.Origin]
		h.n++
		if in.At > h.newest {
			h.newest = in.At
		}
		out.held[in.Origin] = h
	}
	return out, nil
}

// worstFirst is posts in the order the station's lists show them, the
// post needing the most urgent look first (syncstation.WorstFirst); posts
// is left as it is.
func worstFirst(posts []syncstation.PostView) []syncstation.PostView {
	out := slices.Clone(posts)
	syncstation.WorstFirst(out)
	return out
}

// dashboardView is the station's township view: its totals in one strip,
// then one row per post, the post needing the most urgent look first
// (worstFirst), each with 查看 when open is set, and the households by
// warning and category at the foot. The duty officer's first question is
// which post needs him: at 1366×768 the tiles and the category lines above
// the list left room for three and a half rows.
func dashboardView(t township, open func(deviceID string)) []fyne.CanvasObject {
	out := overviewHead(fmt.Sprintf(lang.L("station.dash.township"), len(t.Posts)), t.Total, t.TotalPlan, t.PlansReady)
	if n := needCount(t.Posts); n > 0 {
		out = append(out, kit.Alert(fmt.Sprintf(lang.L("station.dash.needs"), n), widget.DangerImportance))
	}
	if len(t.Posts) == 0 {
		out = append(out, kit.StatusLabel(lang.L("station.dash.noPosts")))
	}
	for i, p := range worstFirst(t.Posts) {
		if i > 0 {
			out = append(out, widget.NewSeparator())
		}
		out = append(out, attentionRow(p, t.PlansReady, open))
	}
	if len(t.Posts) > 0 {
		out = append(out, widget.NewSeparator(), kit.StatusLabel(lang.L("station.dash.footHouseholds")+"\n"+categoryWords(t.Total)))
	}
	return out
}

// overviewHead is the top of a township's or a county's overview: its
// heading with the days counted beside it, over its totals in one strip
// (totalsStrip). The households by warning and category go at the foot.
func overviewHead(heading string, tot postcounts.Stats, plan syncstation.PatrolPlan, plansReady bool) []fyne.CanvasObject {
	rng := widget.NewLabel(fmt.Sprintf(lang.L("station.dash.range"), plan.From, plan.To))
	rng.Importance = widget.LowImportance
	return []fyne.CanvasObject{container.NewBorder(nil, nil, nil, rng, kit.Heading(heading)), totalsStrip(tot, plan, plansReady)}
}

// totalsStrip is a township's or a county's totals on one line (two on a
// narrow window): houses, households, residents, patrols done of planned
// (… while they are counted), boards printed, each a caption and its
// figure in bold.
func totalsStrip(st postcounts.Stats, plan syncstation.PatrolPlan, plansReady bool) fyne.CanvasObject {
	patrols := "…"
	if plansReady {
		patrols = fmt.Sprintf(lang.L("station.dash.doneOf"), plan.Done, plan.Planned)
	}
	item := func(caption, figure string) fyne.CanvasObject {
		return container.NewHBox(widget.NewLabel(caption), widget.NewLabelWithStyle(figure, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	n := func(v int) string { return fmt.Sprint(v) }
	return container.NewGridWrap(fyne.NewSize(stripCell, 36),
		item(lang.L("stats.houses"), n(st.Houses)), item(lang.L("stats.households"), n(st.Households)),
		item(lang.L("stats.residents"), n(st.Residents)), item(lang.L("station.dash.patrolsDone"), patrols),
		item(lang.L("station.dash.boards"), n(st.BoardsPrint)))
}

// stripCell is the width of one figure of the totals strip: 已印警示牌
// and a five-digit figure, or 巡逻完成 and 9999/9999.
const stripCell = 200

// totalsTiles are the tiles of a post's, a township's or a county's
// figures: houses, households, residents, the patrols tile given, boards
// printed.
func totalsTiles(st postcounts.Stats, patrols fyne.CanvasObject) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(170, 120),
		kit.Tile(lang.L("stats.houses"), st.Houses), kit.Tile(lang.L("stats.households"), st.Households),
		kit.Tile(lang.L("stats.residents"), st.Residents),
		patrols,
		kit.Tile(lang.L("station.dash.boards"), st.BoardsPrint))
}

// deviceCard is a post's or a station's card: its name, marked when it is
// not paired or has sent nothing for too long, over its lines.
func deviceCard(name, deviceID string, unpaired, stale bool, lines []fyne.CanvasObject) fyne.CanvasObject {
	title := name
	switch {
	case unpaired:
		title += "（" + lang.L("station.unpaired") + "）"
	case stale:
		title = "⚠ " + title
	}
	// Its role beside its short ID, as 同步's cards say a device
	// (派出所，KT54VN4): the bare ID under the name meant nothing to a clerk.
	return widget.NewCard(title, fmt.Sprintf(lang.L("station.county.cardSub"), kit.ShortID(deviceID)), container.NewVBox(lines...))
}

// categoryWords lists households by warning colour and category.
func categoryWords(st postcounts.Stats) string {
	var cats []string
	for _, list := range [][]kit.Value{kit.FilterCategories, kit.OtherCategories} {
		for _, c := range list {
			if n := st.ByCategory[c.V]; n > 0 {
				cats = append(cats, fmt.Sprintf("%s %d", lang.L(c.Key), n))
			}
		}
	}
	s := stationwords.Warnings(windowL, st)
	if len(cats) > 0 {
		s += "\n" + lang.L("station.dash.byCategory") + strings.Join(cats, lang.L("list.sep"))
	}
	return s
}

// freshWords says how long ago the newest data arrived (-1: none yet).
func freshWords(d time.Duration) string { return stationwords.Fresh(windowL, d) }
