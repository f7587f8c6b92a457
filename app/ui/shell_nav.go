package ui

import (
	"context"

	"cunjing/app/ui/boards"
	"cunjing/app/ui/emergency"
	"cunjing/app/ui/households"
	"cunjing/app/ui/mapedit"
	"cunjing/app/ui/syncui"
	cjsync "cunjing/sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// ShowHouseOnMap opens 地图 on the house's village, zoomed to the house
// with its details beside it (the households screen calls it).
func (u *UI) ShowHouseOnMap(houseID string) {
	u.Show(AreaMap)
	if m, ok := u.screens[AreaMap].(*mapedit.Screen); ok {
		m.ShowHouse(houseID)
	}
}

// refreshPrinted re-reads 警示牌与宣传's lists (cost items, venues, what
// was printed) after another area changed them (a station published).
func (u *UI) refreshPrinted() {
	if b, ok := u.screens[AreaBoards].(*boards.Screen); ok {
		b.RefreshLists()
	}
}

// OpenHousehold shows 住户 at the household living in a house (the map's
// 查看住户 calls it).
func (u *UI) OpenHousehold(houseID string) {
	u.Show(AreaHouseholds)
	if h, ok := u.screens[AreaHouseholds].(*households.Screen); ok {
		h.OpenHouse(houseID)
	}
}

// newSyncScreen is 同步. (At a station the township dashboard and
// publishing are areas of their own: shell_station.go.)
func (u *UI) newSyncScreen() *syncui.Screen {
	s := syncui.New(u)
	s.OnPeers = u.setForgotten // its own reads bring the notice up to date
	return s
}

// Engine opens the sync engine once per window; a database without a
// sync identity (made before sync existed) has none, and 同步 says so.
func (u *UI) Engine(ctx context.Context) (*cjsync.Engine, error) {
	u.engMu.Lock()
	defer u.engMu.Unlock()
	if u.eng == nil && u.engErr == nil {
		u.eng, u.engErr = cjsync.New(ctx, u.Store(), cjsync.Options{})
	}
	return u.eng, u.engErr
}

// Published is called when the station published records: 同步's counts
// and 警示牌与宣传's cost items change.
func (u *UI) Published() {
	for _, a := range []Area{AreaSync, AreaTownship, AreaPosts, AreaCounty} {
		if s, ok := u.screens[a]; ok {
			s.Refresh()
		}
	}
	u.refreshPrinted()
}

// ShowEmergency opens 紧急 with the cursor in its query box: the red
// button above the navigation and Ctrl+E call it. Behind the login or the
// idle lock it only arms the lock screen, so the password opens straight
// onto the card and nothing shows before it.
func (u *UI) ShowEmergency() {
	if a := u.acct; a != nil && a.login != nil {
		a.login.armEmergency()
		return
	}
	if u.body == nil {
		return
	}
	over := u.Window().Canvas().Overlays()
	if u.area == AreaEmergency && over.Top() != nil {
		// 紧急's own dialog (the patrol it turns into) is up: it keeps
		// the cursor, which Show would move behind it.
		return
	}
	// Another screen's dialog is set aside, unanswered and whole, until
	// its screen is shown again (park): dialogs are modal, and 紧急
	// opened behind one as if nothing happened.
	u.park()
	u.Show(AreaEmergency)
	if e, ok := u.screens[AreaEmergency].(*emergency.Screen); ok {
		e.Focus()
	}
}

// parkedDialog is a dialog Ctrl+E set aside, the area it was opened on
// and the field that had the cursor in it.
type parkedDialog struct {
	area  Area
	pop   *widget.PopUp
	focus fyne.Focusable
}

// park sets the dialogs open over the screens aside, unanswered (their
// callbacks do not run: nothing is deleted, saved or restored by them)
// and whole (what was typed in them stays), for unpark to show again
// when their area is shown; a menu (no text typed in it) just goes.
// Ctrl+E (紧急) and the lock screen call it.
func (u *UI) park() {
	over := u.Window().Canvas().Overlays()
	focused := u.Window().Canvas().Focused() // in the top dialog, if any
	for _, o := range over.List() {
		if p, ok := o.(*widget.PopUp); ok {
			p.Hide()
			u.parked = append(u.parked, parkedDialog{area: u.area, pop: p})
		} else {
			over.Remove(o)
		}
	}
	if n := len(u.parked); n > 0 && focused != nil {
		u.parked[n-1].focus = focused
	}
}

// unpark shows again, as they were, the dialogs Ctrl+E set aside on area
// a, the cursor back in the field it was in.
func (u *UI) unpark(a Area) {
	kept := u.parked[:0]
	var back []parkedDialog
	for _, d := range u.parked {
		if d.area == a {
			back = append(back, d)
		} else {
			kept = append(kept, d)
		}
	}
	u.parked = kept
	for _, d := range back {
		d.pop.Show()
		if d.focus != nil {
			u.Window().Canvas().Focus(d.focus)
		}
	}
}

// EmergencyScreen is 紧急 once it was opened (nil before).
func (u *UI) EmergencyScreen() *emergency.Screen {
	e, _ := u.screens[AreaEmergency].(*emergency.Screen)
	return e
}
