package kit

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"cunjing/print/fonts"
	"cunjing/store"
	"cunjing/store/clock"
)

// Env is the window the areas live in: the store, the app and window, the
// clock, the user's settings and font, who is at the keyboard, and the
// background-work seam. The shell (app/ui) makes one per window and hands
// each area the part it uses, through the area's own Env interface.
type Env struct {
	app      fyne.App
	win      fyne.Window
	st       *store.Store
	now      clock.Func
	settings Settings

	ctx    context.Context
	cancel context.CancelFunc
	bg     sync.WaitGroup // background work, waited for by Wait
	// do runs a function on the UI goroutine (fyne.Do); drain, when set,
	// runs what do queued and reports whether there was anything (tests
	// run the UI on their own goroutine this way).
	do    func(func())
	drain func() bool

	font    *Font
	fontErr error
	// pdfFont is font for print, made once per font chosen: it owns
	// the fallback fonts (opened at the first rare character in a name)
	// for as long as the window draws with font.
	pdfFont *fonts.Font

	open func(*url.URL) error // SetOpener; nil is the app's OpenURL

	user       *store.User  // logged in; nil in a database without accounts
	lastActive atomic.Int64 // unix nanoseconds of the last sign of the user
}

// NewEnv makes the environment of window w over store s. now nil is the
// real clock; do nil is fyne.Do (tests pass a queue and its drain).
func NewEnv(a fyne.App, w fyne.Window, s *store.Store, now clock.Func, do func(func()), drain func() bool) *Env {
	if do == nil {
		do = fyne.Do
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Env{app: a, win: w, st: s, now: clock.Or(now), settings: NewSettings(a.Preferences()),
		ctx: ctx, cancel: cancel, do: do, drain: drain}
	e.Touched()
	return e
}

// App is the Fyne app (clipboard, preferences, opening files).
func (e *Env) App() fyne.App { return e.app }

// Window is the main window (dialogs open over it).
func (e *Env) Window() fyne.Window { return e.win }

// Store is the database the screens read and write.
func (e *Env) Store() *store.Store { return e.st }

// Now is the wall clock the screens show and date records by.
func (e *Env) Now() time.Time { return e.now() }

// Settings are the user's choices kept in Fyne preferences.
func (e *Env) Settings() Settings { return e.settings }

// Prefs are the preferences the areas keep their own choices in.
func (e *Env) Prefs() fyne.Preferences { return e.settings.Prefs() }

// Ctx is cancelled when the window closes.
func (e *Env) Ctx() context.Context { return e.ctx }

// Close stops background work and waits for it.
func (e *Env) Close() {
	e.cancel()
	e.Wait()
}

// Stop cancels the window's context and waits for the background work
// started so far, without running what it handed to the UI goroutine (a
// restore, before it swaps the database under the window).
func (e *Env) Stop() {
	e.cancel()
	e.bg.Wait()
}

// Reopen makes s the window's store, with a fresh context for the work
// to come (a restore, on the UI goroutine, after Stop).
func (e *Env) Reopen(s *store.Store) {
	e.st = s
	e.ctx, e.cancel = context.WithCancel(context.Background())
}

// Wait blocks until every piece of background work started so far has
// finished (and, under a draining executor, been shown).
func (e *Env) Wait() {
	for {
		e.bg.Wait()
		if e.drain == nil || !e.drain() {
			return
		}
	}
}

// GoBG runs fn off the UI goroutine, counted for Wait.
func (e *Env) GoBG(fn func(ctx context.Context)) {
	e.bg.Add(1)
	go func() {
		defer e.bg.Done()
		fn(e.ctx)
	}()
}

// Do runs fn on the UI goroutine.
func (e *Env) Do(fn func()) { e.do(fn) }

// After runs fn off the UI goroutine once delay has passed, counted for
// Wait from now on; stop drops it if it has not started (and reports so).
func (e *Env) After(delay time.Duration, fn func(ctx context.Context)) (stop func() bool) {
	e.bg.Add(1)
	t := time.AfterFunc(delay, func() {
		defer e.bg.Done()
		if e.ctx.Err() == nil {
			fn(e.ctx)
		}
	})
	return func() bool {
		if t.Stop() {
			e.bg.Done()
			return true
		}
		return false
	}
}

// Font is the CJK font the screens draw with (nil when none was found).
func (e *Env) Font() *Font { return e.font }

// FontErr says what went wrong finding the font (nil when nothing did).
func (e *Env) FontErr() error { return e.fontErr }

// SetFont keeps the font found and what went wrong on the way.
func (e *Env) SetFont(f *Font, problem error) {
	e.font, e.fontErr, e.pdfFont = f, problem, nil
	if f != nil && len(f.TTF) > 0 {
		e.pdfFont = &fonts.Font{Name: f.Name, Path: f.Path, TTF: f.TTF}
	}
}

// ErrNoFont is why nothing can be printed on a PC without a CJK font.
var ErrNoFont = errors.New("no CJK TrueType font: choose one in settings")

// PDFFont is the font the PDFs embed: the one the screens draw with, so
// what is on screen is what is on paper. It is the same value until the
// font changes, so the machine's fallback fonts are opened once, not for
// every document.
func (e *Env) PDFFont() (*fonts.Font, error) {
	if e.pdfFont == nil {
		return nil, ErrNoFont
	}
	return e.pdfFont, nil
}

// SaveFailed shows an error from saving: next to its field when the form
// has it, else in the error dialog.
func (e *Env) SaveFailed(f *EditForm, err error) {
	if f != nil && f.ShowSaveError(err) {
		f.RevealProblem()
		return
	}
	if errors.Is(err, store.ErrMonthApproved) {
		// A visit or patrol of a month the station approved (巡逻排班
		// offers to keep the edit as a request to unlock).
		e.ShowError(lang.L("error.monthApproved"), err)
		return
	}
	e.ShowError(lang.L("error.save"), err)
}

// ConfirmDelete asks before a record is deleted, naming it.
func (e *Env) ConfirmDelete(what string, del func()) {
	e.ConfirmDeleteSaying(fmt.Sprintf(lang.L("roster.delete.question"), what), del)
}

// ConfirmDeleteSaying is ConfirmDelete asking question: what a deletion
// does where it is not the usual (a rule that has run ends instead).
func (e *Env) ConfirmDeleteSaying(question string, del func()) {
	d := dialog.NewConfirm(lang.L("roster.delete.title"), question, func(ok bool) {
		if ok {
			del()
		}
	}, e.win)
	d.SetConfirmText(lang.L("roster.delete.yes"))
	d.SetDismissText(lang.L("Cancel"))
	d.Show()
}

// User is the logged-in account (nil in a database without accounts, and
// while nobody is logged in).
func (e *Env) User() *store.User { return e.user }

// SetUser keeps who logged in (nil: nobody).
func (e *Env) SetUser(u *store.User) { e.user = u }

// HasAccounts reports whether someone is logged in (the database has
// users).
func (e *Env) HasAccounts() bool { return e.user != nil }

// IsStationAdmin reports whether the logged-in user administers a station.
func (e *Env) IsStationAdmin() bool {
	return e.user != nil && e.user.Role == store.UserStationAdmin
}

// Actor names the person at the keyboard for print and audit records.
func (e *Env) Actor() string {
	if e.user != nil {
		if e.user.DisplayName != "" {
			return e.user.DisplayName
		}
		return e.user.Username
	}
	var p store.Post
	if err := e.st.Get(e.ctx, &p, e.st.DeviceID()); err == nil && p.Officer != "" {
		return p.Officer
	}
	return e.st.DeviceID()
}

// UserRole is the role that decides what personal data shows: the
// logged-in account's, or (in a database without accounts) the one chosen
// in 设置.
func (e *Env) UserRole() string {
	if e.user != nil {
		return e.user.Role
	}
	if e.settings.Role() == RoleOfficer {
		return store.UserOfficer
	}
	return store.UserAuxiliary
}

// SeesFullIDs reports whether ID numbers show in full.
func (e *Env) SeesFullIDs() bool { return store.CanSeeIDs(e.UserRole()) }

// Audit writes who viewed, printed or exported personal data. The entry
// is this device's: at a station it stays in the station's log, since its
// broadcast carries no audit entries (sync's published tables); the
// station shell makes the entry of a household opened there that
// household's post's (UI.AuditView).
func (e *Env) Audit(ctx context.Context, action, subject, detail string) error {
	user := e.Actor()
	if e.user != nil {
		user = e.user.Username
	}
	if err := e.st.Audit(ctx, user, e.UserRole(), action, subject, detail); err != nil {
		return fmt.Errorf("audit %s %s: %w", action, subject, err)
	}
	return nil
}

// AuditView records that a household's personal data was opened in detail
// (called off the UI goroutine).
func (e *Env) AuditView(ctx context.Context, subject, detail string) {
	if err := e.Audit(ctx, store.AuditView, subject, detail); err != nil && ctx.Err() == nil {
		e.Do(func() { e.ShowError(lang.L("error.save"), err) })
	}
}

// Touched notes that the user did something (the idle lock counts from
// the last time).
func (e *Env) Touched() { e.MarkActive(e.Now()) }

// MarkActive notes a sign of the user at t.
func (e *Env) MarkActive(t time.Time) { e.lastActive.Store(t.UnixNano()) }

// LastActive is when the user last did something.
func (e *Env) LastActive() time.Time { return time.Unix(0, e.lastActive.Load()) }
