package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"cunjing/app/ui/boards"
	"cunjing/app/ui/households"
	"cunjing/app/ui/mapedit"
	"cunjing/app/ui/roster"
	"cunjing/app/ui/station"
	"cunjing/store"
)

// The station's own areas (its window opens on AreaTownship).
const (
	AreaTownship Area = "township" // 全镇总览
	AreaPosts    Area = "posts"    // 各警务室, and one post opened
	AreaPublish  Area = "publish"  // 发布: cost items, templates, notices
	AreaCounty   Area = "county"   // 全县总览 (a county's window opens on it)
)

// countyAreas is a county's navigation: its overview of the stations and
// their posts, publishing down through the stations, sync and settings.
func countyAreas() []Area {
	return []Area{AreaCounty, AreaPublish, AreaSync, AreaSettings}
}

// stationAreas is a station's navigation: the township first, then its
// posts, then every post's records across the township (a post filter in
// each: the village or the post), publishing, sync and settings.
func stationAreas() []Area {
	return []Area{AreaTownship, AreaPosts, AreaMap, AreaHouseholds, AreaPatrol, AreaBoards, AreaPublish, AreaSync, AreaSettings}
}

func stationIcon(a Area) fyne.Resource {
	switch a {
	case AreaTownship, AreaCounty:
		return theme.HomeIcon()
	case AreaPosts:
		return theme.AccountIcon()
	case AreaPublish:
		return theme.UploadIcon()
	}
	return nil
}

func (u *UI) newStationScreen(a Area) screen {
	switch a {
	case AreaTownship:
		h := station.NewHome(u)
		h.Refresh()
		return h
	case AreaPosts:
		p := station.NewPosts(u)
		p.OnOpen = u.followPost
		return p
	case AreaCounty:
		h := station.NewCountyHome(u)
		h.Refresh()
		return h
	}
	return station.NewPublish(u)
}

// SearchTownship opens the station's home and searches every post for q
// (the screenshots command shows the hits).
func (u *UI) SearchTownship(q string) {
	u.Show(AreaTownship)
	if h, ok := u.screens[AreaTownship].(*station.Home); ok {
		h.Search(q)
	}
}

// ShowPost opens 各警务室 at one post (the home's 查看; the screenshots
// command uses it).
func (u *UI) ShowPost(deviceID string) {
	u.Show(AreaPosts)
	if p, ok := u.screens[AreaPosts].(*station.Posts); ok {
		p.Open(deviceID)
	}
}

// followPost makes the post looked at the one 巡逻排班 shows, creating the
// roster's screen if it was not opened yet: every post opened in 各警务室
// (its own list's 查看, the home's, 月度审核) comes here (Posts.OnOpen).
func (u *UI) followPost(deviceID string) {
	var post store.Post
	if err := u.Store().Get(context.Background(), &post, deviceID); err != nil || post.Role != store.RolePost {
		return
	}
	sc, ok := u.screens[AreaPatrol]
	if !ok {
		sc = u.newScreen(AreaPatrol)
		u.screens[AreaPatrol] = sc
	}
	if r, ok := sc.(*roster.Screen); ok && r.Owner() != deviceID {
		r.ShowOwner(deviceID, post.Name)
	}
}

// ShowVillageMap opens 地图 on a village, read-only at a station (各警务室
// calls it).
func (u *UI) ShowVillageMap(villageID string) {
	u.Show(AreaMap)
	if m, ok := u.screens[AreaMap].(*mapedit.Screen); ok {
		m.ShowVillage(villageID)
	}
}

// ShowVillageHouseholds opens 住户 on one village's households (各警务室
// calls it).
func (u *UI) ShowVillageHouseholds(villageID string) {
	u.Show(AreaHouseholds)
	if h, ok := u.screens[AreaHouseholds].(*households.Screen); ok {
		h.ShowVillage(villageID)
	}
}

// ShowPostMonths opens one post at its 月度审核 (the screenshots command
// uses it).
func (u *UI) ShowPostMonths(deviceID string) {
	u.Show(AreaPosts)
	if p, ok := u.screens[AreaPosts].(*station.Posts); ok {
		p.ShowMonths(deviceID)
	}
}

// ShowPostBoards opens 警示牌与宣传 on one post's venues and what was
// printed for them (各警务室 calls it).
func (u *UI) ShowPostBoards(owner string) {
	u.Show(AreaBoards)
	if b, ok := u.screens[AreaBoards].(*boards.Screen); ok {
		b.ShowPost(owner)
	}
}

// ShowPostRoster opens 巡逻排班 on one post's roster and patrol log,
// read-only (各警务室 calls it).
func (u *UI) ShowPostRoster(owner, name string) {
	u.Show(AreaPatrol)
	if r, ok := u.screens[AreaPatrol].(*roster.Screen); ok {
		r.ShowOwner(owner, name)
	}
}

// AuditView records that a household's personal data was opened in detail
// (住户 calls it off the UI goroutine; householdID is the household's).
// At a station the entry is the household's post's record (a station may
// write its posts' records, as it corrects them): it names a person of
// that post, so it goes to that post alone (cj-post-<ID>) and stays in the
// station's own log. Left to the store it was the station's own record,
// sent in its broadcast to every post of the township.
func (u *UI) AuditView(ctx context.Context, subject, householdID string) {
	owner := u.householdPost(ctx, householdID)
	if owner == "" {
		u.Env.AuditView(ctx, subject, householdID)
		return
	}
	user := u.Actor()
	if who := u.User(); who != nil {
		user = who.Username
	}
	e := &store.AuditEntry{Meta: store.Meta{Owner: owner}, At: u.Now().Format("2006-01-02 15:04:05"), User: user, Role: u.UserRole(),
		Action: store.AuditView, Subject: subject, Detail: householdID}
	if err := u.Store().Save(ctx, e); err != nil && ctx.Err() == nil {
		u.Do(func() {
			u.ShowError(lang.L("error.save"), fmt.Errorf("audit %s %s: %w", store.AuditView, subject, err))
		})
	}
}

// householdPost is the post a household belongs to when this is a
// station and it is a post's ("" otherwise: the entry is this device's).
func (u *UI) householdPost(ctx context.Context, householdID string) string {
	if u.Store().Role() != store.RoleStation || householdID == "" {
		return ""
	}
	var h store.Household
	if err := u.Store().Get(ctx, &h, householdID); err != nil || h.Owner == u.Store().DeviceID() {
		return ""
	}
	var p store.Post
	if err := u.Store().Get(ctx, &p, h.Owner); err != nil || p.Role != store.RolePost {
		return ""
	}
	return h.Owner
}
