package boards

import (
	"context"

	"fyne.io/fyne/v2"

	"cunjing/app/ui/kit"
	"cunjing/print/fonts"
)

// Env is what 警示牌与宣传 needs from the window around it (kit.Env has
// it all).
type Env interface {
	kit.Base
	kit.Later                // the previews wait for typing to pause
	Prefs() fyne.Preferences // the officer's edits of the leaflet texts
	PDFFont() (*fonts.Font, error)
	Actor() string                                                   // who printed
	Audit(ctx context.Context, action, subject, detail string) error // prints of personal data
	Touched()                                                        // typing in a designer counts as activity
	Ctx() context.Context                                            // cancelled when the window closes
}

// area is what the parts of the screen share: the environment, and how
// to re-read the screen's lists once something was printed or confirmed.
type area struct {
	Env
	lists func()
}
