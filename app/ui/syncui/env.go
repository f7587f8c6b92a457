package syncui

import (
	"context"

	"fyne.io/fyne/v2"

	"cunjing/app/ui/kit"
	cjsync "cunjing/sync"
)

// Env is what 同步 needs from the window around it (kit.Env has all but
// the last).
type Env interface {
	kit.Base
	App() fyne.App           // the clipboard, for the device ID and the pairing code
	Prefs() fyne.Preferences // the exchange folder last used, a station's address
	Actor() string           // who marked a conflict reviewed

	// Engine is the window's sync engine (opened once; an error for a
	// database without a sync identity, which 同步 explains).
	Engine(ctx context.Context) (*cjsync.Engine, error)

	// Version is this cunjing's version (a release carried down the tree
	// is offered only when newer).
	Version() string
}
