package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/kit/wrap"
	"cunjing/app/ui/settings"
	"cunjing/store"
	"cunjing/store/backup"
	cjsync "cunjing/sync"
)

// Preference keys of the accounts area.
const (
	prefLastUser = "last_username" // filled in on the login screen
)

// accounts is the login and the idle lock around the screens; who is
// logged in and when they last touched the window are the environment's
// (kit.Env.User, LastActive). With no users in the database there is no
// login and the user is nil.
type accounts struct {
	typing   typingWatch // the idle check's view of the keyboard (UI goroutine)
	locked   bool
	kept     fyne.CanvasObject // the window content while the lock screen shows
	login    *loginScreen      // the login or lock screen being shown
	stopIdle func()
	// loops counts the idle watch and the database watch (watchSync),
	// which live outside the environment's background work; a restore
	// waits for them (and for the daily backup, settings.Backups.Wait)
	// after cancelling the window's context, and so does Close.
	loops sync.WaitGroup
	// ownStore is set once a restore has reopened the database: the
	// window then closes that store itself (Close).
	ownStore bool
	// emergencyNext: 紧急 was asked for on the login or lock screen; the
	// password opens straight onto it.
	emergencyNext bool
	// openNext: a file cunjing was started with (UI.OpenFile), offered
	// once someone has logged in.
	openNext string
	// worked: someone logged in on these accounts, so work they started
	// may end while the login screen has the window (keepBehindLogin).
	worked bool
}

// start shows the login screen when the database has accounts, else the
// main screens straight away (a post that never set up users).
func (u *UI) start() {
	u.acct = &accounts{}
	u.Touched()
	u.watchSync()
	has, err := u.Store().HasUsers(u.Ctx())
	if err != nil {
		// Refusing to open would lock the officer out of their own data
		// over a read error; show the screens and say so.
		u.build()
		u.ShowError(lang.L("settings.acct.checkFailed"), err)
		return
	}
	if !has {
		u.build()
		u.backups.Start()
		return
	}
	u.showLogin(false)
}

// loggedIn is called when a password was accepted.
func (u *UI) loggedIn(user store.User) {
	a := u.acct
	same := u.User() != nil && u.User().Username == user.Username
	u.SetUser(&user)
	a.locked = false
	a.login = nil
	a.worked = true
	u.Touched()
	u.Settings().Prefs().SetString(prefLastUser, user.Username)
	if err := u.Audit(u.Ctx(), store.AuditLogin, user.Username, ""); err != nil {
		u.ShowError(lang.L("error.save"), err)
	}
	if same && a.kept != nil {
		// Unlocked by the same person: everything is as they left it.
		u.Window().SetContent(a.kept)
		a.kept = nil
		u.unpark(u.area)
	} else {
		// Someone else may see other things (IDs masked or not).
		a.kept = nil
		u.build()
	}
	u.startIdleWatch()
	u.backups.Start()
	if a.emergencyNext {
		a.emergencyNext = false
		u.ShowEmergency()
	}
	if f := a.openNext; f != "" {
		a.openNext = ""
		u.OpenFile(f)
	}
}

// Lock hides the screens behind the login screen; what was on them stays
// as it was (a half-filled form is not lost) and comes back for the same
// user.
func (u *UI) Lock() {
	a := u.acct
	if a == nil || u.User() == nil || a.locked {
		return
	}
	a.locked = true
	a.kept = u.Window().Content()
	// A dialog over the screens would stay over the lock screen, for
	// anyone to read and answer: it goes with them, and comes back for
	// the same officer.
	u.park()
	u.showLogin(true)
}

// keepBehindLogin sets aside (park) a dialog that work started by whoever
// was logged in showed after the lock or a logout gave the window to the
// login screen: an export's 已保存 with 打开 showed over the lock screen,
// for anyone at the PC to open the file without the password. The same
// officer unlocking gets it back (loggedIn); anyone else gets fresh
// screens without it. A restore's own message, shown over the login of
// the restored database (start: new accounts), is not work of a session.
// Run after every function background work hands the UI goroutine (Do).
func (u *UI) keepBehindLogin() {
	if a := u.acct; a != nil && a.login != nil && a.worked && u.Window().Canvas().Overlays().Top() != nil {
		u.park()
	}
}

// LogOut ends the session: the next person logs in to freshly built
// screens.
func (u *UI) LogOut() {
	a := u.acct
	if a == nil || u.User() == nil {
		return
	}
	a.kept = nil
	u.SetUser(nil)
	a.locked = false
	u.showLogin(false)
}

// lockAfter is the idle time before the screen locks (0: never).
func (u *UI) lockAfter() time.Duration {
	m := u.Settings().LockMinutes()
	if m <= 0 {
		return 0
	}
	return time.Duration(m) * time.Minute
}

// startIdleWatch checks every few seconds whether the window has been
// left alone for longer than the lock time.
func (u *UI) startIdleWatch() {
	a := u.acct
	if a.stopIdle != nil {
		return
	}
	ctx, cancel := context.WithCancel(u.Ctx())
	a.stopIdle = cancel
	a.loops.Add(1)
	go func() { // not counted in u.bg: it lives as long as the window
		defer a.loops.Done()
		t := time.NewTicker(15 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				u.Do(func() { u.checkIdle(now) })
			}
		}
	}()
}

// checkIdle locks the screen when nobody has moved the mouse over the
// window or typed for the lock time.
func (u *UI) checkIdle(now time.Time) {
	a := u.acct
	d := u.lockAfter()
	if a == nil || u.User() == nil || a.locked || d <= 0 {
		return
	}
	if a.typing.changed(u.Window().Canvas()) {
		u.MarkActive(now)
		return
	}
	if now.Sub(u.LastActive()) >= d {
		u.Lock()
	}
}

// typingWatch notices the keyboard. Fyne hands key events only to the
// focused widget, so there is no hook to count them by; instead each idle
// check compares the focused widget and its text with the last check's.
// An officer typing a long visit note moves neither, but changes the text.
type typingWatch struct {
	focused fyne.Focusable
	text    string
}

// changed reports whether focus moved or the focused entry's text changed
// since the last call.
func (k *typingWatch) changed(c fyne.Canvas) bool {
	f := c.Focused()
	text := ""
	switch e := f.(type) {
	case *widget.Entry: // Fyne's own dialogs' entries
		text = e.Text
	case *kit.Entry: // every entry of ours
		text = e.Text
	case *widget.SelectEntry:
		text = e.Text
	case *kit.SelectEntry: // the forms' 结构, 关系, 房屋类型 …
		text = e.Text
	}
	moved := f != k.focused || text != k.text
	k.focused, k.text = f, text
	return moved && f != nil
}

// activityWatch wraps the window content. Fyne has no global input hook,
// but on every mouse movement the driver asks each object under the
// pointer for its cursor, from the root down, so the root hears about
// every movement without taking hover or taps from the widgets inside.
type activityWatch struct {
	widget.BaseWidget
	content fyne.CanvasObject
	touched func()
}

func newActivityWatch(content fyne.CanvasObject, touched func()) *activityWatch {
	w := &activityWatch{content: content, touched: touched}
	w.ExtendBaseWidget(w)
	return w
}

// Cursor implements desktop.Cursorable; deeper objects still choose the
// cursor shown, because the driver asks them after the root.
func (w *activityWatch) Cursor() desktop.Cursor {
	w.touched()
	return desktop.DefaultCursor
}

func (w *activityWatch) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(w.content)
}

// accountBar is the strip under the navigation: who is logged in, with
// lock and log-out buttons.
func (u *UI) accountBar() fyne.CanvasObject {
	if !u.HasAccounts() {
		return container.NewVBox()
	}
	user := u.User()
	name := user.DisplayName
	if name == "" {
		name = user.Username
	}
	who := widget.NewLabel(name + "（" + kit.UserRoleWord(user.Role) + "）")
	who.Wrapping = fyne.TextWrapWord
	lock := widget.NewButtonWithIcon(lang.L("settings.acct.lock"), theme.VisibilityOffIcon(), u.Lock)
	lock.Alignment = widget.ButtonAlignLeading
	out := widget.NewButtonWithIcon(lang.L("settings.acct.logout"), theme.LogoutIcon(), u.LogOut)
	out.Alignment = widget.ButtonAlignLeading
	return container.NewVBox(widget.NewSeparator(), who, lock, out)
}

// loginScreen asks for a user name and password.
type loginScreen struct {
	user, pass *kit.Entry
	msg        *kit.Message
	button     *widget.Button
	hint       *wrap.Label
	sos        *widget.Button
	// arm asks for 紧急 after the password (the 紧急 button, Ctrl+E).
	arm func()
}

// armEmergency makes the password open 紧急.
func (ls *loginScreen) armEmergency() {
	if ls.arm != nil {
		ls.arm()
	}
}

// showLogin puts the login screen into the window; locked says the
// screens are only hidden (the same user gets them back as they were).
func (u *UI) showLogin(locked bool) {
	ls := &loginScreen{user: kit.NewEntry(), pass: kit.NewPasswordEntry(), msg: kit.NewMessage()}
	u.acct.login = ls
	ls.msg.SetImportance(widget.DangerImportance)
	ls.user.SetText(u.Settings().Prefs().String(prefLastUser))
	if locked && u.User() != nil {
		ls.user.SetText(u.User().Username)
	}
	submit := func() { u.tryLogin(ls, u.Now()) }
	ls.pass.OnSubmitted = func(string) { submit() }
	ls.user.OnSubmitted = func(string) { u.Window().Canvas().Focus(ls.pass) }
	ls.button = widget.NewButtonWithIcon(lang.L("settings.acct.login"), theme.LoginIcon(), submit)
	ls.button.Importance = widget.HighImportance

	title := widget.NewLabelWithStyle(lang.L("app.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	hint := lang.L("settings.acct.loginHint")
	if locked {
		hint = lang.L("settings.acct.lockedHint")
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("settings.acct.username"), ls.user),
		widget.NewFormItem(lang.L("settings.acct.password"), ls.pass),
	)
	ls.hint = kit.StatusLabel(hint)
	ls.sos = widget.NewButtonWithIcon(lang.L("emergency.lock.button"), theme.WarningIcon(), nil)
	ls.sos.Importance = widget.DangerImportance
	ls.arm = func() {
		u.acct.emergencyNext = true
		kit.SetWrapped(ls.hint, lang.L("emergency.lock.armed"))
		ls.hint.Importance = widget.DangerImportance
		ls.hint.Refresh()
		u.Window().Canvas().Focus(ls.pass)
	}
	ls.sos.OnTapped = ls.arm
	if u.acct.emergencyNext {
		kit.SetWrapped(ls.hint, lang.L("emergency.lock.armed"))
		ls.hint.Importance = widget.DangerImportance
	}
	parts := []fyne.CanvasObject{title, ls.sos, ls.hint, form, ls.button, ls.msg}
	if locked {
		other := widget.NewButton(lang.L("settings.acct.otherUser"), func() {
			u.acct.kept = nil
			u.acct.emergencyNext = false
			u.SetUser(nil)
			u.acct.locked = false
			u.showLogin(false)
		})
		other.Importance = widget.LowImportance
		parts = append(parts, other)
	}
	box := container.NewVBox(parts...)
	u.Window().SetContent(container.NewCenter(kit.WithWidth(440, container.NewPadded(box))))
	if ls.user.Text == "" {
		u.Window().Canvas().Focus(ls.user)
	} else {
		u.Window().Canvas().Focus(ls.pass)
	}
}

// tryLogin checks the password and says in plain words why it failed.
func (u *UI) tryLogin(ls *loginScreen, now time.Time) {
	name := strings.TrimSpace(ls.user.Text)
	if name == "" || ls.pass.Text == "" {
		ls.msg.SetText(lang.L("settings.acct.needBoth"))
		return
	}
	user, err := u.Store().Login(u.Ctx(), name, ls.pass.Text, now)
	ls.pass.SetText("")
	switch {
	case err == nil:
		ls.msg.SetText("")
		u.loggedIn(user)
	case errors.Is(err, store.ErrLocked):
		ls.msg.SetText(fmt.Sprintf(lang.L("settings.acct.lockedOut"), int(store.LockoutDuration.Minutes())))
	case errors.Is(err, store.ErrBadLogin):
		ls.msg.SetText(lang.L("settings.acct.badLogin"))
	default:
		ls.msg.SetError(lang.L("settings.acct.loginFailed"), err)
	}
}

// RestoreBackup replaces the window's database with the backup from
// (backup.ReplaceFrom): the backup is opened, checked and decrypted beside
// the database while everything keeps running, so a wrong passphrase or a
// bad file changes nothing. Only then does the window stop its background
// work, close its store and swap the files (the replaced database is kept
// beside it), and it builds its screens again on the reopened database,
// starting from the login if that has accounts. done runs on the UI
// goroutine with what happened.
func (u *UI) RestoreBackup(from string, opt backup.RestoreOptions, done func(backup.RestoreInfo, error)) {
	old, a, bk := u.Store(), u.acct, u.backups
	ctx := u.Ctx()
	if opt.BeforeSwap == nil {
		// What was saved since the last sync is packed first, as `cunjing
		// restore` does: it comes back into the restored database at its
		// next sync, as everything sent before does.
		opt.BeforeSwap = func(ctx context.Context, _ string) (int, error) {
			return cjsync.CutBeforeRestore(ctx, old, nil)
		}
	}
	go func() { // not in the background work: it waits for that to end
		quiesce := func() {
			u.Stop()
			a.loops.Wait()
			bk.Wait()
		}
		ns, info, err := backup.ReplaceFrom(context.WithoutCancel(ctx), old, from, opt, store.Options{}, quiesce)
		u.Do(func() {
			if ns != nil && ns != old {
				u.Reopen(ns)
				u.engMu.Lock()
				u.eng, u.engErr = nil, nil // the replaced store's engine: 同步 opens one on ns
				u.engMu.Unlock()
				u.SetUser(nil) // whoever restored logs in again to the restored accounts
				u.backups = settings.NewBackups(u)
				u.start()
				u.acct.ownStore = true
			}
			if ns == nil {
				err = fmt.Errorf("%s: %w", lang.L("settings.restore.reopenFailed"), err)
			}
			done(info, err)
		})
	}()
}

// closeOwnStore closes the database a restore reopened (the caller of New
// closes the one it passed in).
func (u *UI) closeOwnStore() error {
	if u.acct == nil || !u.acct.ownStore {
		return nil
	}
	return u.Store().Close()
}
