package roster

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"cunjing/app/ui/kit"
	"cunjing/store"
)

// Env is what 巡逻排班 needs from the window around it (kit.Env has it
// all).
type Env interface {
	Window() fyne.Window
	Store() *store.Store
	Now() time.Time
	Font() *kit.Font // the duty table's PDF is set in it
	FontErr() error
	Actor() string // who printed the duty table
	GoBG(fn func(ctx context.Context))
	Do(fn func())
	ShowError(what string, err error)
	SaveFailed(f *kit.EditForm, err error)
	ConfirmDelete(what string, del func())
}
