package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/store"

	"cunjing/app/ui/kit"
)

// Preference keys of the accounts area.
const (
	prefLockMinutes = "lock_minutes"  // idle minutes before the screen locks (0: never)
	prefBackupDir   = "backup_dir"    // folder (USB stick) backups go to
	prefBackupDaily = "backup_daily"  // back up once a day while the app runs
	prefLastBackup  = "backup_last"   // RFC 3339 time of the last good backup
	prefLastUser    = "last_username" // filled in on the login screen
)

// defaultLockMinutes is how long a shared PC may sit idle before the
// screen locks.
const defaultLockMinutes = 10

// accounts is who is logged in and when they last touched the window.
// With no users in the database there is no login and user is nil.
type accounts struct {
	user       *store.User
	lastActive atomic.Int64 // unix nanoseconds of the last mouse movement or typing seen
	typing     typingWatch  // the idle check's view of the keyboard (UI goroutine)
	locked     bool
	kept       fyne.CanvasObject // the window content while the lock screen shows
	login      *loginScreen      // the login or lock screen being shown
	stopIdle   func()
	backupsOn  bool // the daily backup loop is running
}

// start shows the login screen when the database has accounts, else the
// main screens straight away (a post that never set up users).
func (u *UI) start() {
	u.acct = &accounts{}
	u.acct.lastActive.Store(u.now().UnixNano())
	has, err := u.st.HasUsers(u.ctx)
	if err != nil {
		// Refusing to open would lock the officer out of their own data
		// over a read error; show the screens and say so.
		u.build()
		u.showError(lang.L("boards.acct.checkFailed"), err)
		return
	}
	if !has {
		u.build()
		u.startBackups()
		return
	}
	u.showLogin(false)
}

// loggedIn is called when a password was accepted.
func (u *UI) loggedIn(user store.User) {
	a := u.acct
	same := a.user != nil && a.user.Username == user.Username
	a.user = &user
	a.locked = false
	a.login = nil
	a.lastActive.Store(u.now().UnixNano())
	u.settings.Prefs().SetString(prefLastUser, user.Username)
	if err := u.audit(u.ctx, store.AuditLogin, user.Username, ""); err != nil {
		u.showError(lang.L("error.save"), err)
	}
	if same && a.kept != nil {
		// Unlocked by the same person: everything is as they left it.
		u.win.SetContent(a.kept)
		a.kept = nil
	} else {
		// Someone else may see other things (IDs masked or not).
		a.kept = nil
		u.build()
	}
	u.startIdleWatch()
	u.startBackups()
}

// Lock hides the screens behind the login screen; what was on them stays
// as it was (a half-filled form is not lost) and comes back for the same
// user.
func (u *UI) Lock() {
	a := u.acct
	if a == nil || a.user == nil || a.locked {
		return
	}
	a.locked = true
	a.kept = u.win.Content()
	u.showLogin(true)
}

// LogOut ends the session: the next person logs in to freshly built
// screens.
func (u *UI) LogOut() {
	a := u.acct
	if a == nil || a.user == nil {
		return
	}
	a.kept = nil
	a.user = nil
	a.locked = false
	u.showLogin(false)
}

// lockAfter is the idle time before the screen locks (0: never).
func (u *UI) lockAfter() time.Duration {
	m := u.settings.Prefs().IntWithFallback(prefLockMinutes, defaultLockMinutes)
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
	ctx, cancel := context.WithCancel(u.ctx)
	a.stopIdle = cancel
	go func() { // not counted in u.bg: it lives as long as the window
		t := time.NewTicker(15 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				u.do(func() { u.checkIdle(now) })
			}
		}
	}()
}

// checkIdle locks the screen when nobody has moved the mouse over the
// window or typed for the lock time.
func (u *UI) checkIdle(now time.Time) {
	a := u.acct
	d := u.lockAfter()
	if a == nil || a.user == nil || a.locked || d <= 0 {
		return
	}
	if a.typing.changed(u.win.Canvas()) {
		a.lastActive.Store(now.UnixNano())
		return
	}
	if now.Sub(time.Unix(0, a.lastActive.Load())) >= d {
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
	case *widget.Entry:
		text = e.Text
	case *widget.SelectEntry:
		text = e.Text
	}
	moved := f != k.focused || text != k.text
	k.focused, k.text = f, text
	return moved && f != nil
}

// touched notes that the user did something.
func (u *UI) touched() {
	if u.acct != nil {
		u.acct.lastActive.Store(u.now().UnixNano())
	}
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

// actor names the person at the keyboard for print and audit records.
func (u *UI) actor() string {
	if u.acct != nil && u.acct.user != nil {
		if u.acct.user.DisplayName != "" {
			return u.acct.user.DisplayName
		}
		return u.acct.user.Username
	}
	var p store.Post
	if err := u.st.Get(u.ctx, &p, u.st.DeviceID()); err == nil && p.Officer != "" {
		return p.Officer
	}
	return u.st.DeviceID()
}

// userRole is the role that decides what personal data shows: the
// logged-in account's, or (in a database without accounts) the one chosen
// in 设置.
func (u *UI) userRole() string {
	if u.acct != nil && u.acct.user != nil {
		return u.acct.user.Role
	}
	if u.settings.Role() == kit.RoleOfficer {
		return store.UserOfficer
	}
	return store.UserAuxiliary
}

// seesFullIDs reports whether ID numbers show in full.
func (u *UI) seesFullIDs() bool { return store.CanSeeIDs(u.userRole()) }

// hasAccounts reports whether someone is logged in (the database has
// users).
func (u *UI) hasAccounts() bool { return u.acct != nil && u.acct.user != nil }

// isStationAdmin reports whether the logged-in user administers a station.
func (u *UI) isStationAdmin() bool {
	return u.hasAccounts() && u.acct.user.Role == store.UserStationAdmin
}

// audit writes who viewed, printed or exported personal data.
func (u *UI) audit(ctx context.Context, action, subject, detail string) error {
	user := u.actor()
	if u.acct != nil && u.acct.user != nil {
		user = u.acct.user.Username
	}
	if err := u.st.Audit(ctx, user, u.userRole(), action, subject, detail); err != nil {
		return fmt.Errorf("audit %s %s: %w", action, subject, err)
	}
	return nil
}

// auditView records that a household's personal data was opened in detail
// (called off the UI goroutine by the household screen).
func (u *UI) auditView(ctx context.Context, subject, detail string) {
	if err := u.audit(ctx, store.AuditView, subject, detail); err != nil && ctx.Err() == nil {
		u.do(func() { u.showError(lang.L("error.save"), err) })
	}
}

// accountBar is the strip under the navigation: who is logged in, with
// lock and log-out buttons.
func (u *UI) accountBar() fyne.CanvasObject {
	if !u.hasAccounts() {
		return container.NewVBox()
	}
	user := u.acct.user
	name := user.DisplayName
	if name == "" {
		name = user.Username
	}
	who := widget.NewLabel(name + "（" + userRoleWord(user.Role) + "）")
	who.Wrapping = fyne.TextWrapWord
	lock := widget.NewButtonWithIcon(lang.L("boards.acct.lock"), theme.VisibilityOffIcon(), u.Lock)
	lock.Alignment = widget.ButtonAlignLeading
	out := widget.NewButtonWithIcon(lang.L("boards.acct.logout"), theme.LogoutIcon(), u.LogOut)
	out.Alignment = widget.ButtonAlignLeading
	return container.NewVBox(widget.NewSeparator(), who, lock, out)
}

// userRoleWord names an account role in the UI language.
func userRoleWord(role string) string {
	switch role {
	case store.UserOfficer:
		return lang.L("role.officer")
	case store.UserAuxiliary:
		return lang.L("role.auxiliary")
	case store.UserStationAdmin:
		return lang.L("boards.acct.roleAdmin")
	}
	return role
}

// loginScreen asks for a user name and password.
type loginScreen struct {
	user, pass *widget.Entry
	msg        *widget.Label
	button     *widget.Button
}

// showLogin puts the login screen into the window; locked says the
// screens are only hidden (the same user gets them back as they were).
func (u *UI) showLogin(locked bool) {
	ls := &loginScreen{user: widget.NewEntry(), pass: widget.NewPasswordEntry(), msg: widget.NewLabel("")}
	u.acct.login = ls
	ls.msg.Wrapping = fyne.TextWrapWord
	ls.msg.Importance = widget.DangerImportance
	ls.user.SetText(u.settings.Prefs().String(prefLastUser))
	if locked && u.acct.user != nil {
		ls.user.SetText(u.acct.user.Username)
	}
	submit := func() { u.tryLogin(ls, u.now()) }
	ls.pass.OnSubmitted = func(string) { submit() }
	ls.user.OnSubmitted = func(string) { u.win.Canvas().Focus(ls.pass) }
	ls.button = widget.NewButtonWithIcon(lang.L("boards.acct.login"), theme.LoginIcon(), submit)
	ls.button.Importance = widget.HighImportance

	title := widget.NewLabelWithStyle(lang.L("app.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	hint := lang.L("boards.acct.loginHint")
	if locked {
		hint = lang.L("boards.acct.lockedHint")
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("boards.acct.username"), ls.user),
		widget.NewFormItem(lang.L("boards.acct.password"), ls.pass),
	)
	parts := []fyne.CanvasObject{title, kit.StatusLabel(hint), form, ls.button, ls.msg}
	if locked {
		other := widget.NewButton(lang.L("boards.acct.otherUser"), func() {
			u.acct.kept = nil
			u.acct.user = nil
			u.acct.locked = false
			u.showLogin(false)
		})
		other.Importance = widget.LowImportance
		parts = append(parts, other)
	}
	box := container.NewVBox(parts...)
	u.win.SetContent(container.NewCenter(kit.WithWidth(440, container.NewPadded(box))))
	if ls.user.Text == "" {
		u.win.Canvas().Focus(ls.user)
	} else {
		u.win.Canvas().Focus(ls.pass)
	}
}

// tryLogin checks the password and says in plain words why it failed.
func (u *UI) tryLogin(ls *loginScreen, now time.Time) {
	name := strings.TrimSpace(ls.user.Text)
	if name == "" || ls.pass.Text == "" {
		ls.msg.SetText(lang.L("boards.acct.needBoth"))
		return
	}
	user, err := u.st.Login(u.ctx, name, ls.pass.Text, now)
	ls.pass.SetText("")
	switch {
	case err == nil:
		ls.msg.SetText("")
		u.loggedIn(user)
	case errors.Is(err, store.ErrLocked):
		ls.msg.SetText(fmt.Sprintf(lang.L("boards.acct.lockedOut"), int(store.LockoutDuration.Minutes())))
	case errors.Is(err, store.ErrBadLogin):
		ls.msg.SetText(lang.L("boards.acct.badLogin"))
	default:
		ls.msg.SetText(lang.L("boards.acct.loginFailed") + "\n" + err.Error())
	}
}
