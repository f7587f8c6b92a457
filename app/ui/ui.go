package ui

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	cjlang "cunjing/app/lang"
	"cunjing/app/ui/boards"
	"cunjing/app/ui/emergency"
	"cunjing/app/ui/households"
	"cunjing/app/ui/kit"
	"cunjing/app/ui/mapedit"
	"cunjing/app/ui/roster"
	"cunjing/app/ui/settings"
	"cunjing/app/ui/station"
	"cunjing/app/ui/syncui"
	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
)

// Area names the seven parts of the app the navigation leads to.
type Area string

// The areas in navigation order.
const (
	AreaMap        Area = "map"
	AreaHouseholds Area = "households"
	AreaPatrol     Area = "patrol"
	AreaBoards     Area = "boards"
	AreaSync       Area = "sync"
	AreaStats      Area = "stats"
	AreaSettings   Area = "settings"
	// AreaEmergency is 紧急: not in the navigation list but above it, a
	// red button reachable from every screen (and Ctrl+E).
	AreaEmergency Area = "emergency"
)

// EmergencyShortcut opens 紧急 from anywhere in the window. Fyne hands a
// focused entry its shortcuts: the search boxes are kit.Entry, which pass
// it on, and opening an area takes the cursor out of the one left.
var EmergencyShortcut = kit.EmergencyShortcut

// Areas lists a post's navigation in order.
func Areas() []Area {
	return []Area{AreaMap, AreaHouseholds, AreaPatrol, AreaBoards, AreaSync, AreaStats, AreaSettings}
}

// AreasFor lists the navigation of a post, a station or a county (role)
// in order: a station's window opens on the township and reaches every
// post's records, a county's on its stations (shell_station.go).
func AreasFor(role string) []Area {
	switch role {
	case store.RoleStation:
		return stationAreas()
	case store.RoleCounty:
		return countyAreas()
	}
	return Areas()
}

func (a Area) icon() fyne.Resource {
	switch a {
	case AreaMap:
		return theme.GridIcon()
	case AreaHouseholds:
		return theme.HomeIcon()
	case AreaPatrol:
		return theme.CalendarIcon()
	case AreaBoards:
		return theme.DocumentPrintIcon()
	case AreaSync:
		return theme.ViewRefreshIcon()
	case AreaStats:
		return theme.ListIcon()
	}
	if r := stationIcon(a); r != nil {
		return r
	}
	return theme.SettingsIcon()
}

// Title is the area's navigation label in the current language.
func (a Area) Title() string { return lang.L("nav." + string(a)) }

// screen is one area's content. refresh re-reads the store when the user
// comes back to it.
type screen interface {
	Object() fyne.CanvasObject
	Refresh()
}

// Options configure the main window.
type Options struct {
	// FindFont finds the CJK font; nil keeps Fyne's default font.
	FindFont kit.FontFinder
	// Now is the wall clock the screens show and date records by (today's
	// roster, "3 分钟前", a visit's date); nil is the real clock.
	Now clock.Func
	// Version is this build's version (FyneApp.toml's); a release the
	// station carries is offered when newer.
	Version string
	// WatchEvery is how often the shell asks whether another program
	// (or this one's sync) wrote the database, to bring what it shows of
	// the sync state up to date (shell_forgotten.go); 0 is every 2 s.
	WatchEvery time.Duration
}

// UI is the main window's content: navigation and the areas.
type UI struct {
	*kit.Env // the store, window, clock, font and background work the areas share

	findFont   kit.FontFinder
	version    string
	watchEvery time.Duration // Options.WatchEvery

	area   Area
	nav    map[Area]*widget.Button
	sos    *widget.Button // 紧急, above the navigation
	post   *widget.Label  // the post's name, under the title
	body   *fyne.Container
	banner *fyne.Container
	// forgotten are the paired devices that refused this one at their
	// last session as not known there (shell_forgotten.go).
	forgotten []syncbook.Peer
	// syncStale: the database changed since the open 同步 last read it,
	// and a dialog or a field being typed in holds its reload back
	// (reloadSync).
	syncStale atomic.Bool
	// bannerLines are the banner's wrapped texts (laid out again once
	// they have their width: kit.Refit).
	bannerLines []fyne.CanvasObject
	screens     map[Area]screen
	// parked are the dialogs Ctrl+E set aside (shell_nav.go), shown
	// again when their area is.
	parked []parkedDialog

	acct    *accounts         // login and idle lock (accounts.go)
	backups *settings.Backups // the daily backup, started once the screens show

	engMu  sync.Mutex // guards eng, engErr (opened off the UI goroutine)
	eng    *cjsync.Engine
	engErr error
}

// New builds the main UI for store s into window w. The caller owns s and
// closes it after the window is closed (call Close first).
func New(a fyne.App, w fyne.Window, s *store.Store, opt Options) *UI {
	return newUI(a, w, s, opt, fyne.Do, nil)
}

func newUI(a fyne.App, w fyne.Window, s *store.Store, opt Options, do func(func()), drain func() bool) *UI {
	u := &UI{
		findFont:   opt.FindFont,
		version:    opt.Version,
		watchEvery: opt.WatchEvery,
		area:       AreaHouseholds,
	}
	// Work an officer started (an export, a batch of boards) may end
	// behind the lock or after a logout: what it shows waits there
	// (keepBehindLogin).
	u.Env = kit.NewEnv(a, w, s, opt.Now, func(fn func()) {
		do(func() {
			fn()
			u.keepBehindLogin()
		})
	}, drain)
	switch s.Role() {
	case store.RoleStation:
		u.area = AreaTownship
	case store.RoleCounty:
		u.area = AreaCounty
	}
	u.backups = settings.NewBackups(u)
	u.applyFont()
	u.start()
	return u
}

// Version is this build's version ("0.0.0" when the shell was not told).
func (u *UI) Version() string {
	if u.version == "" {
		return "0.0.0"
	}
	return u.version
}

// Close stops background work and waits for it, and closes the database
// if a restore in the window reopened it (accounts.go).
func (u *UI) Close() {
	u.Env.Close()
	if u.acct != nil {
		u.acct.loops.Wait() // the database watch gives its connection back
	}
	if err := u.closeOwnStore(); err != nil {
		fmt.Fprintf(os.Stderr, "cunjing: close %s: %v\n", u.Store().Path(), err)
	}
}

// ApplyLanguage switches lang.L to code before any UI is built.
func ApplyLanguage(code string) error {
	if code == "" {
		code = cjlang.Default
	}
	return cjlang.Use(code)
}

// applyFont finds the CJK font (the override from 设置 first) and sets the
// theme. Without one the theme keeps Fyne's font and the frame shows a
// warning.
func (u *UI) applyFont() {
	u.SetFont(kit.ChooseFont(u.findFont, u.Settings().FontPath()))
	u.App().Settings().SetTheme(kit.NewTheme(u.Font()))
}

// build (re)creates every widget in the current language.
func (u *UI) build() {
	u.screens = map[Area]screen{}
	u.parked = nil // their screens are gone
	u.nav = map[Area]*widget.Button{}
	title := widget.NewLabelWithStyle(lang.L("app.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	u.sos = widget.NewButtonWithIcon(lang.L("emergency.button"), theme.WarningIcon(), u.ShowEmergency)
	u.sos.Importance = widget.DangerImportance
	side := container.NewVBox(title, u.postLabel(), u.sos, widget.NewSeparator())
	for _, a := range AreasFor(u.Store().Role()) {
		a := a
		icon := a.icon()
		if a == AreaSync && len(u.forgotten) > 0 {
			icon = theme.WarningIcon() // shell_forgotten.go
		}
		b := widget.NewButtonWithIcon(a.Title(), icon, func() { u.Show(a) })
		b.Alignment = widget.ButtonAlignLeading
		u.nav[a] = b
		side.Add(b)
	}
	side.Add(u.accountBar())
	bg := canvas.NewRectangle(kit.ColHeader)
	nav := container.NewStack(bg, container.NewPadded(side))
	u.banner = container.NewVBox()
	u.body = container.NewStack()
	u.updateBanner()
	u.Window().SetContent(newActivityWatch(container.NewBorder(nil, nil, nav, nil, container.NewBorder(u.banner, nil, nil, nil, u.body)), u.Touched))
	u.Window().Canvas().RemoveShortcut(EmergencyShortcut)
	u.Window().Canvas().AddShortcut(EmergencyShortcut, func(fyne.Shortcut) { u.ShowEmergency() })
	escapeClosesDialogs(u.Window())
	u.Show(u.area)
}

// escapeClosesDialogs makes Esc close the dialog on top of w as its 取消
// would (kit.Escape): the window gets the key when nothing has the
// cursor, a kit.Entry when it has. The shell and the first-run screen.
func escapeClosesDialogs(w fyne.Window) {
	c := w.Canvas()
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			kit.Escape(c)
		}
	})
}

// HeldObjects names what the shell's root holds (kit.Holder): the
// screens' paths from the window go on through it (kit.Relaid's
// re-layout of a grown text, a form's scroll found by RevealProblem).
func (w *activityWatch) HeldObjects() []fyne.CanvasObject { return []fyne.CanvasObject{w.content} }

// postLabel names this post (or station) under the app title.
func (u *UI) postLabel() fyne.CanvasObject {
	var p store.Post
	name := u.Store().DeviceID()
	if err := u.Store().Get(u.Ctx(), &p, u.Store().DeviceID()); err == nil && p.Name != "" {
		name = p.Name
	}
	u.post = widget.NewLabel(name)
	u.post.Wrapping = fyne.TextWrapWord
	return u.post
}

// PostRenamed shows the post's new name under the title (设置's 本警务室
// saved it).
func (u *UI) PostRenamed(name string) {
	if u.post != nil {
		kit.SetWrapped(u.post, name)
	}
}

func (u *UI) updateBanner() {
	kit.Relaid(u.banner, u.fillBanner)
	// Laid out, a line has its width and wraps into more lines than the
	// banner first gave it.
	for _, l := range u.bannerLines {
		kit.Refit(l)
	}
}

// fillBanner puts in the banner what the officer must see over every
// area: a font problem, a peer that forgot this device.
func (u *UI) fillBanner() {
	u.banner.RemoveAll()
	u.bannerLines = nil
	if n, l := u.forgottenNotice(); n != nil {
		u.banner.Add(n)
		u.bannerLines = append(u.bannerLines, l)
	}
	switch {
	case u.FontErr() != nil && u.Font() != nil:
		msg := kit.Wrapped(lang.L("font.overrideFailed") + "\n" + u.FontErr().Error())
		msg.Importance = widget.WarningImportance
		u.banner.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()),
			widget.NewButton(lang.L("font.choose"), func() { u.Show(AreaSettings) }), msg))
	case u.FontErr() != nil:
		msg := kit.Wrapped(lang.L("font.missing") + "\n" + u.FontErr().Error())
		msg.Importance = widget.DangerImportance
		u.banner.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()),
			widget.NewButton(lang.L("font.choose"), func() { u.Show(AreaSettings) }), msg))
	}
}

// Show switches to area a.
func (u *UI) Show(a Area) {
	// The cursor leaves the area left: a hidden entry keeping it would
	// swallow the keys (Ctrl+E) typed in the one shown.
	u.Window().Canvas().Unfocus()
	u.area = a
	for k, b := range u.nav {
		if k == a {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.LowImportance
		}
		b.Refresh()
	}
	if a == AreaSync {
		u.syncStale.Store(false) // read now
	}
	sc, ok := u.screens[a]
	if !ok {
		sc = u.newScreen(a)
		u.screens[a] = sc
	} else {
		sc.Refresh()
	}
	u.body.Objects = []fyne.CanvasObject{sc.Object()}
	u.body.Refresh()
	u.unpark(a)
	u.checkForgotten()
}

// Current is the area shown.
func (u *UI) Current() Area { return u.area }

func (u *UI) newScreen(a Area) screen {
	switch a {
	case AreaMap:
		return mapedit.New(u)
	case AreaHouseholds:
		return households.New(u)
	case AreaPatrol:
		return roster.New(u)
	case AreaBoards:
		return boards.New(u)
	case AreaSync:
		return u.newSyncScreen()
	case AreaStats:
		return station.NewStats(u)
	case AreaTownship, AreaPosts, AreaPublish, AreaCounty:
		return u.newStationScreen(a)
	case AreaEmergency:
		return emergency.New(u)
	}
	return settings.New(u, u.backups)
}

// SetLanguage switches the UI language, keeps the choice and rebuilds the
// screens in it.
func (u *UI) SetLanguage(code string) error {
	if err := cjlang.Use(code); err != nil {
		return err
	}
	u.Settings().SetLanguage(code)
	u.Window().SetTitle(lang.L("app.title"))
	u.build()
	return nil
}

// SetFontPath keeps a font override ("" for the system's) and redraws
// with it.
func (u *UI) SetFontPath(path string) {
	u.Settings().SetFontPath(path)
	u.applyFont()
	u.build()
}

// SyncTabs switches to 同步 and returns how many tabs it has (a station
// has two more: 全镇总览 and 发布).
func (u *UI) SyncTabs() int {
	u.Show(AreaSync)
	return u.screens[AreaSync].(*syncui.Screen).TabCount()
}

// ShowSyncTab switches to 同步 at its i-th tab, counted from 0 (the
// screenshots command walks them).
func (u *UI) ShowSyncTab(i int) {
	u.Show(AreaSync)
	u.screens[AreaSync].(*syncui.Screen).ShowTab(i)
}

// SearchHouseholds switches to 住户 and searches for q (a house number,
// name, phone or ID number); a single match opens. Other areas use it to
// jump from a house on the map or a patrol finding to the household.
func (u *UI) SearchHouseholds(q string) {
	u.Show(AreaHouseholds)
	u.screens[AreaHouseholds].(*households.Screen).Search(q)
}

// FindOnMap shows 地图 and looks q up in its find box (the screenshots
// show the results list).
func (u *UI) FindOnMap(q string) {
	u.Show(AreaMap)
	if m, ok := u.screens[AreaMap].(*mapedit.Screen); ok {
		m.Find(q)
	}
}

// ReviewTraceDraft shows 地图 with the review of a village's trace draft
// (the screenshots show it).
func (u *UI) ReviewTraceDraft(villageID string) {
	u.Show(AreaMap)
	if m, ok := u.screens[AreaMap].(*mapedit.Screen); ok {
		m.ReviewDraft(villageID)
	}
}

// ShowHolidays shows 巡逻排班's 节假日 tab (the screenshots show it).
func (u *UI) ShowHolidays() {
	u.Show(AreaPatrol)
	if r, ok := u.screens[AreaPatrol].(*roster.Screen); ok {
		r.ShowHolidays()
	}
}

// RouteOnMap shows 地图 and the fire engine's route to house number of
// the village on screen (the screenshots show it).
func (u *UI) RouteOnMap(number string) {
	u.Show(AreaMap)
	if m, ok := u.screens[AreaMap].(*mapedit.Screen); ok {
		m.ShowRoute(number)
	}
}
