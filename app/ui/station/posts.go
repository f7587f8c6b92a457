package station

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	stationwords "cunjing/app/lang/translations/station"
	"cunjing/app/ui/kit"
	"cunjing/store/schedule/tally"
	syncstation "cunjing/sync/station"
)

// Posts is the station's 各警务室: one line per post (its villages and
// officer, when its newest change arrived, what waits, a clock warning,
// an unpaired post marked 已解除配对), and, opened, one post: its figures
// and, through the shell, its map, households and roster in the other
// areas, read-only.
type Posts struct {
	u    DrillEnv
	root *fyne.Container
	list *fyne.Container // the list of posts
	page *fyne.Container // one post, when open
	t    *township
	open string // device ID of the post shown; "" the list
	// months is the open post's 月度审核, monthsCard its card on the
	// page, scroll the page's scroll.
	months     *months
	monthsCard fyne.CanvasObject
	scroll     *kit.FormScroll
	atMonths   bool // the page opens at 月度审核 (ShowMonths)
	// OnOpen, when set, is told of each post opened (the shell makes it
	// the post 巡逻排班 shows).
	OnOpen func(deviceID string)
}

// NewPosts builds 各警务室 in env u and loads it.
func NewPosts(u DrillEnv) *Posts {
	p := &Posts{u: u, list: container.NewVBox(), page: container.NewVBox()}
	p.root = container.NewStack()
	p.Refresh()
	return p
}

func (p *Posts) Object() fyne.CanvasObject { return p.root }

// Refresh reads the township again and redraws what is shown.
func (p *Posts) Refresh() {
	var t *township
	kit.Load(p.u, func(ctx context.Context) (err error) {
		t, err = loadTownship(ctx, p.u, true)
		return err
	}, func() {
		p.t = t
		p.draw()
	})
}

// Open shows one post (the list's 查看 does this).
func (p *Posts) Open(deviceID string) {
	if deviceID != p.open {
		p.atMonths = false
	}
	p.open = deviceID
	p.draw()
	p.opened()
}

// opened tells OnOpen of the post shown.
func (p *Posts) opened() {
	if p.OnOpen != nil && p.open != "" {
		p.OnOpen(p.open)
	}
}

// ShowMonths opens a post and scrolls its page to its 月度审核 (the
// screenshots show it), now and after the page is drawn again.
func (p *Posts) ShowMonths(deviceID string) {
	p.open, p.atMonths = deviceID, true
	p.draw()
	p.opened()
}

// AtMonths reports whether the open post's page is scrolled to 月度审核.
func (p *Posts) AtMonths() bool {
	return p.atMonths && p.scroll != nil && p.scroll.Scroll.Offset.Y > 0
}

// scrollToMonths puts the 月度审核 card at the top of the page: the
// heights of what stands above it, as the page's VBox lays them out.
func (p *Posts) scrollToMonths() {
	if p.scroll == nil || p.monthsCard == nil {
		return
	}
	y := float32(0)
	for _, o := range p.page.Objects {
		if o == p.monthsCard {
			p.scroll.Scroll.Offset.Y = y
			p.scroll.Scroll.Refresh()
			return
		}
		if o.Visible() {
			y += o.MinSize().Height + theme.Padding()
		}
	}
}

// Back returns to the list.
func (p *Posts) Back() {
	p.open, p.atMonths = "", false
	p.draw()
}

func (p *Posts) draw() {
	now := p.u.Now()
	head := container.NewPadded(kit.Heading(lang.L("station.posts")))
	if p.t == nil {
		p.root.Objects = []fyne.CanvasObject{container.NewBorder(head, nil, nil, nil,
			kit.StatusLabel(lang.L("station.noEngine")))}
		p.root.Refresh()
		return
	}
	if p.open != "" {
		for _, pv := range p.t.Posts {
			if pv.DeviceID == p.open {
				if p.months == nil || p.months.post != pv.DeviceID {
					p.months = newMonths(p.u, pv.DeviceID, pv.Name)
				} else {
					p.months.load()
				}
				p.monthsCard = p.months.card()
				p.page.Objects = postPage(pv, *p.t, p.u, now, p.Back, p.monthsCard)
				p.page.Refresh()
				p.scroll = kit.NewFormScroll(container.NewPadded(p.page))
				p.root.Objects = []fyne.CanvasObject{p.scroll}
				p.root.Refresh()
				if p.atMonths {
					p.scrollToMonths()
				}
				return
			}
		}
		p.open = ""
	}
	var rows []fyne.CanvasObject
	if len(p.t.Posts) == 0 {
		rows = append(rows, kit.StatusLabel(lang.L("station.dash.noPosts")))
	}
	for _, pv := range worstFirst(p.t.Posts) {
		rows = append(rows, postRow(pv, now, func() { p.Open(pv.DeviceID) }), widget.NewSeparator())
	}
	p.list.Objects = rows
	p.list.Refresh()
	p.root.Objects = []fyne.CanvasObject{container.NewBorder(head, nil, nil, nil, kit.Scroll(p.list))}
	p.root.Refresh()
}

// villageNames lists a post's villages, or says it has none yet.
func villageNames(pv syncstation.PostView) string {
	if len(pv.Villages) == 0 {
		return lang.L("station.noVillages")
	}
	names := make([]string, len(pv.Villages))
	for i, v := range pv.Villages {
		names[i] = v.Name
	}
	return strings.Join(names, lang.L("list.sep"))
}

// arrivedWords says when the post's newest change arrived and how many of
// its 数据包 the station holds.
func arrivedWords(pv syncstation.PostView, t township, now time.Time) string {
	fresh := lang.L("station.noArrival")
	if pv.Freshness >= 0 {
		fresh = fmt.Sprintf(lang.L("station.arrived"), freshWords(pv.Freshness))
	}
	h := t.held[pv.DeviceID]
	if h.n == 0 {
		if pv.Freshness < 0 {
			return fresh // 还没有收到它的数据: no second way of saying it
		}
		return fresh + lang.L("list.sep") + lang.L("station.dash.ackFromNone")
	}
	return fresh + lang.L("list.sep") + fmt.Sprintf(lang.L("station.dash.ackFrom"), h.n, kit.AgoWords(h.newest, now))
}

// waitWords says what the post has not taken in yet of what the station
// sent (its signed receipts), and how loud to say it: calmly while it is
// normal (sent since the post last synced: a notice just published waits
// for every post until its next sync), plainly once the post was heard
// from since, and loudly only once it has waited longer than the stale
// limit (syncstation.PostView.Wait says why days, not contact).
func waitWords(pv syncstation.PostView, t township, now time.Time) (string, widget.Importance) {
	a, ok := t.acks[pv.DeviceID]
	if !ok {
		return "", widget.MediumImportance
	}
	who := kit.AckWho(t.selfRole, a.Role, pv.Name)
	state := pv.Wait()
	if state == syncstation.WaitNone || a.Changesets == 0 {
		return kit.AckWords(who, a.Through, a.Changesets, a.Since, now.Location()), widget.MediumImportance
	}
	var parts []string
	if a.Through != "" {
		parts = append(parts, fmt.Sprintf(lang.L("station.wait.through"), pv.Name, minuteWords(a.Through, now.Location())))
	}
	since := minuteWords(a.Since, now.Location())
	imp := widget.LowImportance
	switch state {
	case syncstation.WaitLate:
		parts = append(parts, fmt.Sprintf(lang.L("station.wait.late"), pv.Name, stationwords.For(windowL, syncstation.StaleAfter), since, a.Changesets))
		imp = widget.DangerImportance
	case syncstation.WaitUnconfirmed:
		parts = append(parts, fmt.Sprintf(lang.L("station.wait.unconfirmed"), since, a.Changesets, stationwords.For(windowL, syncstation.StaleAfter)))
		imp = widget.MediumImportance
	default:
		parts = append(parts, fmt.Sprintf(lang.L("station.wait.normal"), since, a.Changesets))
	}
	return strings.Join(parts, lang.L("station.posts.sep")), imp
}

// minuteWords is an RFC 3339 time as 12月6日 21:25 in loc (as it is, when
// it does not read).
func minuteWords(ts string, loc *time.Location) string {
	at, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	at = at.In(loc)
	return fmt.Sprintf(lang.L("station.wait.at"), int(at.Month()), at.Day(), at.Hour(), at.Minute())
}

// whoWords is a post's villages, its officer and its phone (whom the
// station calls about a post that is behind).
func whoWords(pv syncstation.PostView) string {
	who := villageNames(pv)
	if pv.Officer != "" {
		who += "  " + fmt.Sprintf(lang.L("station.officer"), pv.Officer)
	}
	if pv.Phone != "" {
		who += "  " + fmt.Sprintf(lang.L("station.phone"), pv.Phone)
	}
	return who
}

// waitLines is the line of waitWords, as loud as it says; none when
// there is nothing to say.
func waitLines(pv syncstation.PostView, t township, now time.Time) []fyne.CanvasObject {
	w, imp := waitWords(pv, t, now)
	if w == "" {
		return nil
	}
	l := kit.Wrapped(w)
	l.Importance = imp
	if imp == widget.DangerImportance {
		l.TextStyle = fyne.TextStyle{Bold: true}
	}
	return []fyne.CanvasObject{l}
}

// postRow is one post in the list, compact so that a screen at 1366×768
// shows eight and more of a township's posts (five lines a post showed
// two and a half): its name and what it needs as chips (the list comes
// worst first: syncstation.WorstFirst), beside them its villages, officer
// and phone, when its newest data arrived, its patrols done of planned
// and when it was last in contact (wrapped beside a post with many
// needs); 查看 opens its page, which says everything in full.
func postRow(pv syncstation.PostView, now time.Time, open func()) fyne.CanvasObject {
	line := fmt.Sprintf(lang.L("station.posts.row"), whoWords(pv), freshWords(pv.Freshness), patrolShort(pv.Plan))
	if pv.NothingArrived() {
		line = lang.L("station.nothingYet")
	}
	if pv.LastContact != "" {
		line += lang.L("station.posts.sep") + fmt.Sprintf(lang.L("station.posts.contact"), kit.AgoWords(pv.LastContact, now))
	}
	head := container.NewHBox(append([]fyne.CanvasObject{postTitle(pv)}, needChips(pv)...)...)
	btn := widget.NewButtonWithIcon(lang.L("station.open"), theme.NavigateNextIcon(), open)
	return container.NewBorder(nil, nil, container.NewVBox(head), container.NewVBox(btn), kit.Wrapped(line))
}

// patrolShort is a post's patrols in a few words for its row: done of
// planned, or that nothing is planned (its roster's trouble is a chip).
func patrolShort(p syncstation.PatrolPlan) string { return stationwords.PatrolsShort(windowL, p) }

// patrolWords is a post's patrol line, the same words everywhere (the
// command line's too).
func patrolWords(p syncstation.PatrolPlan) string { return stationwords.Patrols(windowL, p) }

// kindWords says the figures per kind of slot: market-day coverage and
// school-gate posts kept among them.
func kindWords(f tally.Figures) string {
	parts := kit.KindParts(f)
	if len(parts) == 0 {
		return ""
	}
	return lang.L("roster.comp.byKind") + strings.Join(parts, lang.L("list.sep"))
}

// postPage is one post opened: what the list says, its figures per kind
// and team, its monthly approval, its boards per venue, and the ways into
// its records.
func postPage(pv syncstation.PostView, t township, u DrillEnv, now time.Time, back func(), months fyne.CanvasObject) []fyne.CanvasObject {
	st := pv.Stats
	backBtn := widget.NewButtonWithIcon(lang.L("station.back"), theme.NavigateBackIcon(), back)
	title := kit.Heading(pv.Name)
	out := []fyne.CanvasObject{container.NewHBox(append([]fyne.CanvasObject{backBtn, title}, needChips(pv)...)...)}
	if pv.Unpaired {
		l := widget.NewLabel(lang.L("station.unpairedNote"))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		out = append(out, l)
	}
	if pv.NothingArrived() {
		// Its villages, figures and months are not known: no zeros, and no
		// month to approve (审核通过 would lock what has not arrived).
		out = append(out, kit.Wrapped(lang.L("station.nothingYet")), kit.Wrapped(lang.L("station.nothingYetPage")))
		out = append(out, waitLines(pv, t, now)...)
		out = append(out, needLines(pv)...)
		return append(out, kit.WarningLines([]string{pv.Clock})...)
	}
	out = append(out, widget.NewLabel(whoWords(pv)), widget.NewLabel(arrivedWords(pv, t, now)))
	out = append(out, waitLines(pv, t, now)...)
	out = append(out, needLines(pv)...)
	out = append(out, kit.WarningLines([]string{pv.Clock})...)
	out = append(out, totalsTiles(st, kit.Tile(fmt.Sprintf(lang.L("station.dash.patrolsOf"), pv.Plan.Planned), pv.Plan.Done)))
	out = append(out, kit.StatusLabel(categoryWords(st)))

	// Patrols: the same figures the post sees on its 完成情况.
	patrols := []fyne.CanvasObject{kit.StatusLabel(fmt.Sprintf(lang.L("station.dash.range"), pv.Plan.From, pv.Plan.To)),
		widget.NewLabel(patrolWords(pv.Plan))}
	if w := kindWords(pv.Plan.Figures()); w != "" {
		patrols = append(patrols, widget.NewLabel(w))
	}
	for _, r := range pv.Plan.ByTeam {
		patrols = append(patrols, widget.NewLabel(fmt.Sprintf(lang.L("station.teamLine"), r.Team, r.Period, r.Done, r.Planned, r.Missed, r.AdHoc)))
	}
	for _, pr := range kit.FigureProblems(pv.Plan.Figures()) {
		l := widget.NewLabel(lang.L("station.dash.planProblem") + pr)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		patrols = append(patrols, l)
	}
	rosterBtn := widget.NewButtonWithIcon(lang.L("station.openRoster"), theme.CalendarIcon(), func() { u.ShowPostRoster(pv.DeviceID, pv.Name) })
	patrols = append(patrols, container.NewHBox(rosterBtn))
	out = append(out, widget.NewCard(lang.L("nav.patrol"), "", container.NewVBox(patrols...)), months)

	// Villages: map and households, each opened in its own area.
	var vrows []fyne.CanvasObject
	if len(pv.Villages) == 0 {
		vrows = append(vrows, kit.StatusLabel(lang.L("station.noVillages")))
	}
	for _, v := range pv.Villages {
		v := v
		vrows = append(vrows, container.NewBorder(nil, nil, nil,
			container.NewHBox(
				widget.NewButtonWithIcon(lang.L("station.openMap"), theme.GridIcon(), func() { u.ShowVillageMap(v.ID) }),
				widget.NewButtonWithIcon(lang.L("station.openHouseholds"), theme.HomeIcon(), func() { u.ShowVillageHouseholds(v.ID) })),
			widget.NewLabel(v.Name)))
	}
	out = append(out, widget.NewCard(lang.L("station.villages"), lang.L("station.readOnly"), container.NewVBox(vrows...)))

	// Boards per venue.
	venues := make([]string, 0, len(st.BoardsVenues))
	for v := range st.BoardsVenues {
		venues = append(venues, v)
	}
	sort.Strings(venues)
	var brows []fyne.CanvasObject
	if len(venues) == 0 {
		brows = append(brows, kit.StatusLabel(lang.L("station.dash.noBoards")))
	}
	for _, v := range venues {
		brows = append(brows, widget.NewLabel(fmt.Sprintf(lang.L("station.venueLine"), v, st.BoardsVenues[v])))
	}
	brows = append(brows, container.NewHBox(widget.NewButtonWithIcon(lang.L("station.openBoards"), theme.DocumentIcon(),
		func() { u.ShowPostBoards(pv.DeviceID) })))
	out = append(out, widget.NewCard(fmt.Sprintf(lang.L("station.dash.boardsAt"), st.BoardsPrint), "", container.NewVBox(brows...)))
	return out
}
