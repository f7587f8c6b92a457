package mapedit

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"cunjing/app/ui/kit"
	"cunjing/store"
)

// Env is what the map editor needs from the window around it (kit.Env
// has all but the last).
type Env interface {
	App() fyne.App
	Window() fyne.Window
	Store() *store.Store
	Now() time.Time
	Font() *kit.Font // draws the numbers and names; nil: the map says it needs one
	GoBG(fn func(ctx context.Context))
	Do(fn func())
	ShowError(what string, err error)

	// OpenHousehold shows the household living in a house on 住户.
	OpenHousehold(houseID string)
}
