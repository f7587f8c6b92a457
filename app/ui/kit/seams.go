package kit

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"cunjing/store"
)

// The parts of Env the areas name in their own Env interfaces. Each area
// lists what it uses beyond them, so its Env says what it reaches for.

// Background is the background-work seam: work off the UI goroutine
// (counted, so tests and Close can wait for it) and back on it.
type Background interface {
	GoBG(fn func(ctx context.Context))
	Do(fn func())
}

// Base is what nearly every area uses: the window (dialogs open over it),
// the store, the clock, background work, the error dialog and the note
// that says where a file was saved.
type Base interface {
	Window() fyne.Window
	Store() *store.Store
	Now() time.Time
	Background
	ShowError(what string, err error)
	ShowSaved(path, what string)
}

// Editing is what the areas with edit forms use: a save error shown next
// to its field, and asking before a record is deleted.
type Editing interface {
	SaveFailed(f *EditForm, err error)
	ConfirmDelete(what string, del func())
	ConfirmDeleteSaying(question string, del func())
}

var (
	_ Base    = (*Env)(nil)
	_ Editing = (*Env)(nil)
	_ Later   = (*Env)(nil)
)

// Run runs work off the UI goroutine and then, on it, failed with its
// error or done; a window closing meanwhile runs neither. What work reads
// for done it leaves in variables of the caller: done runs after it.
func Run(u Background, work func(ctx context.Context) error, failed func(error), done func()) {
	u.GoBG(func(ctx context.Context) {
		err := work(ctx)
		if ctx.Err() != nil {
			return
		}
		u.Do(func() {
			if err != nil {
				failed(err)
				return
			}
			done()
		})
	})
}

// Loader is what Load needs: background work and the error dialog.
type Loader interface {
	Background
	ShowError(what string, err error)
}

// Load is Run for a read: one that failed is said in the error dialog.
func Load(u Loader, read func(ctx context.Context) error, show func()) {
	Run(u, read, func(err error) { u.ShowError(lang.L("error.load"), err) }, show)
}

// Saver is what Save needs: background work and SaveFailed.
type Saver interface {
	Background
	SaveFailed(f *EditForm, err error)
}

// Save is Run for a write: one that failed is shown next to its field in
// f, or (f nil, or a field f does not have) in the error dialog. While a
// save of f runs, another of f does nothing: a double click on 保存 of a
// new record saved it twice, as two records.
func Save(u Saver, f *EditForm, write func(ctx context.Context) error, done func()) {
	SaveOr(u, f, write, func(err error) { u.SaveFailed(f, err) }, done)
}

// SaveOr is Save whose failure goes to failed (a screen that offers
// something for some errors: an approved month's request to unlock).
func SaveOr(u Background, f *EditForm, write func(ctx context.Context) error, failed func(error), done func()) {
	if f != nil {
		if f.saving {
			return
		}
		f.saving = true
	}
	finish := func() {
		if f != nil {
			f.saving = false
		}
	}
	Run(u, write, func(err error) { finish(); failed(err) }, func() { finish(); done() })
}
