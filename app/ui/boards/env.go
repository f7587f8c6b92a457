package boards

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"cunjing/print/fonts"
	"cunjing/store"
)

// Env is what 警示牌与宣传 needs from the window around it (kit.Env has
// it all).
type Env interface {
	App() fyne.App // opens a written PDF in the system's viewer
	Window() fyne.Window
	Store() *store.Store
	Now() time.Time
	Prefs() fyne.Preferences // the officer's edits of the leaflet texts
	PDFFont() (*fonts.Font, error)
	Actor() string                                                   // who printed
	Audit(ctx context.Context, action, subject, detail string) error // prints of personal data
	Touched()                                                        // typing in a designer counts as activity
	Ctx() context.Context                                            // cancelled when the window closes
	GoBG(fn func(ctx context.Context))
	Do(fn func())
	After(delay time.Duration, fn func(ctx context.Context)) (stop func() bool)
	ShowError(what string, err error)
}

// area is what the parts of the screen share: the environment, and how
// to re-read the screen's lists once something was printed or confirmed.
type area struct {
	Env
	lists func()
}
