package syncui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"cunjing/store"
	cjsync "cunjing/sync"
)

// Env is what 同步 needs from the window around it (kit.Env has all but
// the last).
type Env interface {
	App() fyne.App // the clipboard, for the device ID and the pairing code
	Window() fyne.Window
	Store() *store.Store
	Now() time.Time
	Prefs() fyne.Preferences // the exchange folder last used, a station's address
	Actor() string           // who marked a conflict reviewed
	GoBG(fn func(ctx context.Context))
	Do(fn func())
	ShowError(what string, err error)

	// Engine is the window's sync engine (opened once; an error for a
	// database without a sync identity, which 同步 explains).
	Engine(ctx context.Context) (*cjsync.Engine, error)
}
