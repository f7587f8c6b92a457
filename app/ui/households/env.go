package households

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"cunjing/app/ui/kit"
	"cunjing/store"
)

// Env is what 住户 needs from the window around it (kit.Env has all but
// the last).
type Env interface {
	Window() fyne.Window
	Store() *store.Store
	Now() time.Time
	Prefs() fyne.Preferences // a ledger's column mapping, kept by its headers
	Ctx() context.Context
	SeesFullIDs() bool
	Audit(ctx context.Context, action, subject, detail string) error
	AuditView(ctx context.Context, subject, detail string)
	GoBG(fn func(ctx context.Context))
	Do(fn func())
	After(delay time.Duration, fn func(ctx context.Context)) (stop func() bool)
	ShowError(what string, err error)
	SaveFailed(f *kit.EditForm, err error)
	ConfirmDelete(what string, del func())

	// ShowHouseOnMap opens 地图 at a house.
	ShowHouseOnMap(houseID string)
}
