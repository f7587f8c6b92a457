package station

import (
	"fyne.io/fyne/v2/lang"

	"context"
	"time"

	"fyne.io/fyne/v2"

	"cunjing/app/ui/kit"
	"cunjing/store"
	cjsync "cunjing/sync"
)

// Env is what 统计 and the station's tabs of 同步 need from the window
// around them (kit.Env has all but the last two).
type Env interface {
	kit.Background
	Store() *store.Store
	Now() time.Time
	ShowError(what string, err error)
	// Window is the main window (the file chooser opens over it).
	Window() fyne.Window

	// Engine is the window's sync engine (opened once; an error for a
	// database without a sync identity).
	Engine(ctx context.Context) (*cjsync.Engine, error)
	// Published tells the window the station published records: 同步's
	// counts and 警示牌与宣传's cost items change.
	Published()
}

// DrillEnv is what 各警务室 needs besides Env: the ways into a post's
// records in the other areas, which the shell opens read-only (an area
// never imports another).
type DrillEnv interface {
	Env
	// ShowVillageMap opens 地图 on the village, read-only.
	ShowVillageMap(villageID string)
	// ShowVillageHouseholds opens 住户 on the village's households.
	ShowVillageHouseholds(villageID string)
	// ShowPostRoster opens 巡逻排班 on one post's roster and patrol log,
	// read-only.
	ShowPostRoster(owner, name string)
	// ShowPostBoards opens 警示牌与宣传 on one post's venues and prints.
	ShowPostBoards(owner string)
	// Actor names the person at the keyboard (approvals and unlocks are
	// audited under it).
	Actor() string
}

// windowL is Fyne's lang.L as stationwords takes it: the figures the
// command line prints too are worded there, once.
func windowL(key string) string { return lang.L(key) }
