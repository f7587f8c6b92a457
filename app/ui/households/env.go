package households

import (
	"context"

	"fyne.io/fyne/v2"

	"cunjing/app/ui/kit"
)

// Env is what 住户 needs from the window around it (kit.Env has all but
// the last).
type Env interface {
	kit.Base
	kit.Editing
	kit.Later                // the search waits for typing to pause
	Prefs() fyne.Preferences // a ledger's column mapping, kept by its headers
	Ctx() context.Context
	SeesFullIDs() bool
	Audit(ctx context.Context, action, subject, detail string) error
	AuditView(ctx context.Context, subject, detail string)

	// ShowHouseOnMap opens 地图 at a house.
	ShowHouseOnMap(houseID string)
}
