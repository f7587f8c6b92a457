package settings

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/kit/wrap"
	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/store/clock"
	"cunjing/store/winlock"
)

// Preference keys of the backups.
const (
	prefBackupDir   = "backup_dir"   // folder (USB stick) backups go to
	prefBackupDaily = "backup_daily" // back up once a day while the app runs
	prefLastBackup  = "backup_last"  // + "." + device ID: RFC 3339 time of the database's last good backup
)

// backupKeep is how many backups a folder keeps (older ones are removed
// after a verified new one).
const backupKeep = 10

// backupEvery is how often the daily backup runs while the app is open.
const backupEvery = 24 * time.Hour

// minPassword is the shortest password an account may have.
const minPassword = 6

// lockChoices are the idle-lock choices in minutes (0: never).
var lockChoices = []int{5, 10, 15, 30, 60, 0}

// accountsPanel is the part of 设置 this area owns: screen lock, accounts,
// backups, and for station admins the audit log.
type accountsPanel struct {
	u       Env
	backups *Backups
	root    *fyne.Container

	lock       *widget.Select
	dir        *kit.Entry
	daily      *widget.Check
	backupNow  *widget.Button
	backupMsg  *wrap.Label
	backupList *fyne.Container
	listGen    int                                                    // the newest listing of the folder asked for
	listLeft   *atomic.Bool                                           // set when the newest listing under way is left behind
	checked    map[string]bool                                        // checkKey of the files verified as this database's backups
	verify     func(context.Context, *store.Store, backup.Info) error // backup.Verify (tests hold it)
	auditList  *fyne.Container

	// The backup passphrase and restore (nil for an auxiliary).
	encMsg      *kit.Message // to whom backups are encrypted
	pass, pass2 *kit.Entry
	setPass     *widget.Button
	passMsg     *kit.Message
	restoreFile *widget.Label
	restorePath string
	restorePass *kit.Entry
	restoreBtn  *widget.Button
	restoreMsg  *kit.Message
	chooseFile  func(then func(path string))
	confirm     func(title, text string, ok func())
	restoreDone func() // tests: called after a restore finished

	newUser, newName, newPass, newPass2 *kit.Entry
	newRole                             *widget.Select
	userMsg                             *wrap.Label
	acctCard                            *widget.Card // its subtitle says whether opening asks for a login
	users                               *fyne.Container

	chooseDir func(then func(dir string))
}

func lockLabel(m int) string {
	if m <= 0 {
		return lang.L("settings.acct.lockNever")
	}
	return fmt.Sprintf(lang.L("settings.acct.lockMinutes"), m)
}

// newAccountsPanel builds the panel; 设置 puts it under its own form.
func newAccountsPanel(u Env, bk *Backups) *accountsPanel {
	p := &accountsPanel{u: u, backups: bk, root: container.NewVBox(), verify: backup.Verify}
	p.chooseDir = p.folderDialog
	p.chooseFile = p.fileDialog
	p.confirm = p.confirmDialog

	opts := make([]string, len(lockChoices))
	for i, m := range lockChoices {
		opts[i] = lockLabel(m)
	}
	p.lock = kit.NewSelect(opts, nil)
	p.lock.SetSelected(lockLabel(u.Settings().LockMinutes()))
	p.lock.OnChanged = func(v string) {
		for _, m := range lockChoices {
			if lockLabel(m) == v {
				u.Settings().SetLockMinutes(m)
			}
		}
	}

	p.dir = kit.NewEntry()
	p.dir.SetText(u.Prefs().String(prefBackupDir))
	p.dir.SetPlaceHolder(lang.L("settings.backup.dirHint"))
	p.dir.OnChanged = func(v string) {
		u.Prefs().SetString(prefBackupDir, strings.TrimSpace(v))
		p.listBackups()
	}
	pick := widget.NewButtonWithIcon(lang.L("settings.backup.pick"), theme.FolderOpenIcon(), func() {
		p.chooseDir(func(dir string) { p.dir.SetText(dir) })
	})
	p.daily = widget.NewCheck(lang.L("settings.backup.daily"), func(on bool) {
		u.Prefs().SetBool(prefBackupDaily, on)
		if on {
			p.backups.Start()
		}
	})
	p.daily.SetChecked(u.Prefs().BoolWithFallback(prefBackupDaily, true))
	p.backupNow = widget.NewButtonWithIcon(lang.L("settings.backup.now"), theme.DocumentSaveIcon(), p.runBackup)
	p.backupNow.Importance = widget.HighImportance
	p.backupMsg = kit.StatusLabel(lastBackupText(u, nil))
	p.backupList = container.NewVBox()
	p.encMsg = kit.NewMessage()

	parts := []fyne.CanvasObject{
		container.NewBorder(nil, nil, nil, pick, p.dir),
		p.encMsg,
	}
	if p.mayRestore() {
		parts = append(parts, p.passphraseForm())
	}
	parts = append(parts, p.daily, container.NewHBox(p.backupNow), p.backupMsg, p.backupList)
	if p.mayRestore() {
		parts = append(parts, widget.NewSeparator(), p.restoreForm())
	}
	backups := widget.NewCard(lang.L("settings.backup.title"), lang.L("settings.backup.subtitle"), container.NewVBox(parts...))

	lockForm := widget.NewForm(widget.NewFormItem(lang.L("settings.acct.lockAfter"),
		container.NewVBox(p.lock, kit.StatusLabel(lang.L("settings.acct.lockHint")))))
	p.acctCard = widget.NewCard(lang.L("settings.acct.title"), accountsSubtitle(u.HasAccounts()), container.NewVBox(lockForm, p.userForm()))
	p.root.Add(p.acctCard)
	p.root.Add(backups)
	if u.IsStationAdmin() {
		p.auditList = container.NewVBox()
		p.root.Add(widget.NewCard(lang.L("settings.audit.title"), lang.L("settings.audit.subtitle"), p.auditList))
	}
	p.Refresh()
	return p
}

// accountsSubtitle is the accounts card's subtitle: with accounts,
// everyone logs in; without, no login is needed until the first is added.
func accountsSubtitle(accounts bool) string {
	if accounts {
		return lang.L("settings.acct.subtitle")
	}
	return lang.L("settings.acct.noUsers")
}

// userForm adds an account. Without accounts anyone may add the first
// (which turns the login on); afterwards only officers and station admins.
func (p *accountsPanel) userForm() fyne.CanvasObject {
	u := p.u
	p.users = container.NewVBox()
	if u.HasAccounts() && u.UserRole() == store.UserAuxiliary {
		return p.users
	}
	p.newUser, p.newName = kit.NewEntry(), kit.NewEntry()
	p.newPass, p.newPass2 = kit.NewPasswordEntry(), kit.NewPasswordEntry()
	roles := []string{kit.UserRoleWord(store.UserOfficer), kit.UserRoleWord(store.UserAuxiliary)}
	if store.Publishes(u.Store().Role()) { // a station's or county's administrator
		roles = append(roles, kit.UserRoleWord(store.UserStationAdmin))
	}
	p.newRole = kit.NewSelect(roles, nil)
	p.newRole.SetSelected(roles[0])
	p.userMsg = kit.StatusLabel("")
	add := widget.NewButtonWithIcon(lang.L("settings.acct.add"), theme.ContentAddIcon(), p.addUser)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("settings.acct.username"), p.newUser),
		widget.NewFormItem(lang.L("settings.acct.display"), p.newName),
		widget.NewFormItem(lang.L("settings.acct.role"), p.newRole),
		widget.NewFormItem(lang.L("settings.acct.password"), p.newPass),
		widget.NewFormItem(lang.L("settings.acct.password2"), p.newPass2),
	)
	return container.NewVBox(p.users, kit.Heading(lang.L("settings.acct.addTitle")), form, container.NewHBox(add), p.userMsg)
}

// CheckNewPassword says what is wrong with a new password, in the user's
// words ("" when it is fine).
func CheckNewPassword(pw, again string) string {
	switch {
	case len([]rune(pw)) < minPassword:
		return fmt.Sprintf(lang.L("settings.acct.shortPassword"), minPassword)
	case pw != again:
		return lang.L("settings.acct.passwordMismatch")
	}
	return ""
}

func (p *accountsPanel) addUser() {
	name := strings.TrimSpace(p.newUser.Text)
	if name == "" {
		kit.SetWrapped(p.userMsg, lang.L("settings.acct.needUsername"))
		return
	}
	if msg := CheckNewPassword(p.newPass.Text, p.newPass2.Text); msg != "" {
		kit.SetWrapped(p.userMsg, msg)
		return
	}
	role := store.UserOfficer
	for _, r := range []string{store.UserOfficer, store.UserAuxiliary, store.UserStationAdmin} {
		if kit.UserRoleWord(r) == p.newRole.Selected {
			role = r
		}
	}
	display, pw := strings.TrimSpace(p.newName.Text), p.newPass.Text
	first := !p.u.HasAccounts()
	p.u.GoBG(func(ctx context.Context) {
		err := p.u.Store().AddUser(ctx, name, display, role, pw)
		p.u.Do(func() {
			if errors.Is(err, store.ErrUserExists) {
				kit.SetWrapped(p.userMsg, fmt.Sprintf(lang.L("settings.acct.exists"), name))
				return
			}
			if err != nil {
				p.u.ShowError(lang.L("error.save"), err)
				return
			}
			p.newPass.SetText("")
			p.newPass2.SetText("")
			p.newUser.SetText("")
			p.newName.SetText("")
			msg := fmt.Sprintf(lang.L("settings.acct.added"), name)
			if first {
				msg += "\n" + lang.L("settings.acct.firstAdded")
			}
			kit.SetWrapped(p.userMsg, msg)
			p.Refresh()
		})
	})
}

func (p *accountsPanel) Refresh() {
	p.listBackups()
	p.showEncryption()
	u := p.u
	u.GoBG(func(ctx context.Context) {
		users, err := u.Store().Users(ctx)
		var log []store.AuditEntry
		if err == nil && p.auditList != nil {
			log, err = u.Store().AuditLog(ctx, "", 200)
		}
		if ctx.Err() != nil {
			return
		}
		u.Do(func() {
			if err != nil {
				u.ShowError(lang.L("error.load"), err)
				return
			}
			var rows []fyne.CanvasObject
			for _, us := range users {
				text := kit.JoinNonEmpty(us.Username, us.DisplayName, kit.UserRoleWord(us.Role))
				if us.LockedUntil.After(p.u.Now()) {
					text += "  " + fmt.Sprintf(lang.L("settings.acct.lockedUntil"), us.LockedUntil.Format("15:04"))
				}
				rows = append(rows, widget.NewLabel(text))
			}
			p.users.Objects = rows
			p.users.Refresh()
			p.acctCard.SetSubTitle(accountsSubtitle(len(users) > 0))
			if p.auditList != nil {
				p.auditList.Objects = auditRows(log)
				p.auditList.Refresh()
			}
		})
	})
}

// auditRows lists audit entries, newest first, in words.
func auditRows(log []store.AuditEntry) []fyne.CanvasObject {
	if len(log) == 0 {
		return []fyne.CanvasObject{kit.StatusLabel(lang.L("settings.audit.none"))}
	}
	out := make([]fyne.CanvasObject, 0, len(log))
	for _, e := range log {
		l := kit.Wrapped(kit.JoinWith("  ", e.At, e.User, kit.UserRoleWord(e.Role), auditAction(e.Action), e.Subject, e.Detail))
		out = append(out, l)
	}
	return out
}

func auditAction(a string) string {
	if slices.Contains(store.AuditActions(), a) {
		return lang.L("settings.audit." + a)
	}
	return a // a newer version's action
}

// folderDialog lets the user pick the backup folder (a USB stick).
func (p *accountsPanel) folderDialog(then func(dir string)) {
	kit.FolderPath(p.u.Window(), strings.TrimSpace(p.dir.Text), fyne.NewSize(860, 580), then)
}

// runBackup writes and verifies a backup now.
func (p *accountsPanel) runBackup() {
	dir := strings.TrimSpace(p.dir.Text)
	if dir == "" {
		kit.SetWrapped(p.backupMsg, lang.L("settings.backup.needDir"))
		return
	}
	p.backupNow.Disable()
	kit.SetWrapped(p.backupMsg, lang.L("settings.backup.working"))
	p.u.GoBG(func(ctx context.Context) {
		path, err := p.backups.backupTo(ctx, dir, p.u.Now())
		p.u.Do(func() {
			p.backupNow.Enable()
			if path == "" {
				kit.SetWrapped(p.backupMsg, lang.L("settings.backup.failed"))
				p.u.ShowError(backupProblem(dir, err), err)
				return
			}
			kit.SetWrapped(p.backupMsg, fmt.Sprintf(lang.L("settings.backup.done"), path))
			if err != nil {
				p.u.ShowError(fmt.Sprintf(lang.L("settings.backup.notRotated"), dir), err)
			}
			p.listBackups()
		})
	})
}

// backupProblem says in plain words why a backup failed.
func backupProblem(dir string, err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Sprintf(lang.L("settings.backup.noDir"), dir)
	case errors.Is(err, os.ErrPermission):
		return fmt.Sprintf(lang.L("settings.backup.noWrite"), dir)
	case errors.Is(err, store.ErrDiskFull):
		return lang.L("settings.backup.full")
	case errors.Is(err, backup.ErrNoKey):
		return lang.L("settings.backup.needKey")
	}
	return lang.L("settings.backup.failed")
}

// backupTo writes a verified backup into dir and remembers when. A backup
// written whose older ones could not all be removed (backup.ErrRotate) is
// a backup made: it is remembered and returned with the error, so the
// daily backup does not make another every hour into a filling stick.
func (u *Backups) backupTo(ctx context.Context, dir string, now time.Time) (string, error) {
	if fi, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("backup folder %s: %w", dir, err)
	} else if !fi.IsDir() {
		return "", fmt.Errorf("backup folder %s: %w", dir, os.ErrNotExist)
	}
	path, err := u.write(ctx, u.Store(), dir, backup.Options{Keep: backupKeep, Now: clock.Fixed(now)})
	if err != nil && !(path != "" && errors.Is(err, backup.ErrRotate)) {
		return "", err
	}
	u.Prefs().SetString(lastBackupPref(u), now.Format(time.RFC3339))
	return path, err
}

// lastBackupText says when this database was last backed up: as the
// window remembers it, else by its newest backup in the folder (newest,
// nil when none is known): a version that kept the time for all databases
// alike left none for this one.
func lastBackupText(u Env, newest *backup.Info) string {
	t, err := time.Parse(time.RFC3339, u.Prefs().String(lastBackupPref(u)))
	switch {
	case err == nil:
	case newest != nil:
		t = newest.ModTime
	default:
		return lang.L("settings.backup.never")
	}
	return fmt.Sprintf(lang.L("settings.backup.last"), t.Format("2006-01-02 15:04"))
}

// listBackups shows the backups in the chosen folder, newest first.
func (p *accountsPanel) listBackups() {
	dir := strings.TrimSpace(p.dir.Text)
	// Only the newest listing is shown: the folder is listed again at
	// each key typed in its entry, and an older listing (a slower folder)
	// may finish last — after the entry was cleared too.
	p.listGen++
	gen := p.listGen
	// The listing left behind stops reading its backups through: on a
	// slow stick each listing begun (a key typed) read the same large
	// files again, slowing the one that is shown.
	if p.listLeft != nil {
		p.listLeft.Store(true)
	}
	left := new(atomic.Bool)
	p.listLeft = left
	if dir == "" {
		p.backupList.Objects = nil
		p.backupList.Refresh()
		return
	}
	// Whether the folder's newest good backup is wanted.
	want := p.restoreFile != nil && p.restorePath == "" || p.u.Prefs().String(lastBackupPref(p.u)) == ""
	// Read only, off the UI goroutine too: each listing makes its own.
	prev := p.checked
	p.u.GoBG(func(ctx context.Context) {
		list, err := backup.List(dir)
		// This database's backups are those that verify as its own (a
		// signature by its device, or a plain database of its device, as
		// a restore checks them): a header naming its device is not
		// enough, anyone may write one. Each file is read through; one
		// that verified is not read again while it stays as it was (one
		// that did not is: a stick may have failed to read).
		mine := backup.OfDevice(ctx, list, p.u.Store().DeviceID())
		// Reading them through takes a while on a slow stick (a
		// station's backups are large): the list shows at once, those
		// not yet read marked as being checked.
		checking, known := map[string]bool{}, map[string]bool{}
		for _, b := range mine {
			if prev[checkKey(b)] {
				known[b.Path] = true
			} else {
				checking[b.Path] = true
			}
		}
		if len(checking) > 0 {
			p.u.Do(func() {
				if gen == p.listGen {
					p.showBackups(dir, list, err, known, checking)
				}
			})
		}
		ours := map[string]bool{}
		var verified []backup.Info   // newest first, as mine
		checked := map[string]bool{} // of the files there now
		for _, b := range mine {
			k := checkKey(b)
			if !prev[k] {
				if left.Load() {
					return // a newer listing was asked for
				}
				err := p.verify(ctx, p.u.Store(), b)
				if ctx.Err() != nil {
					return // the window is closing
				}
				if err != nil {
					continue
				}
			}
			checked[k] = true
			ours[b.Path] = true
			verified = append(verified, b)
		}
		// The one a restore offers: the newest that will restore.
		var offer backup.Info
		offered := want && len(verified) > 0
		if offered {
			offer = verified[0]
		}
		p.u.Do(func() {
			if gen != p.listGen {
				return
			}
			p.checked = checked
			p.showBackups(dir, list, err, ours, nil)
			// The window does not know when this database was last backed
			// up (a version that kept one time for all databases): the
			// folder's newest of its backups says. Not while a backup runs:
			// its message is the one to show.
			if offered && p.u.Prefs().String(lastBackupPref(p.u)) == "" && !p.backupNow.Disabled() {
				kit.SetWrapped(p.backupMsg, lastBackupText(p.u, &offer))
			}
			if p.restoreFile != nil && p.restorePath == "" && offered {
				p.pickRestore(offer.Path) // this device's newest, unless one was chosen
			}
		})
	})
}

// showBackups lists the backups in dir (list, or the error reading it):
// those in checking marked as being checked, those of ours as this
// database's, the others as other files.
func (p *accountsPanel) showBackups(dir string, list []backup.Info, err error, ours, checking map[string]bool) {
	var rows []fyne.CanvasObject
	switch {
	case errors.Is(err, os.ErrNotExist):
		rows = append(rows, kit.StatusLabel(fmt.Sprintf(lang.L("settings.backup.noDir"), dir)))
	case err != nil:
		rows = append(rows, kit.ErrorLine(lang.L("settings.backup.listFailed"), err))
	case len(list) == 0:
		rows = append(rows, kit.StatusLabel(lang.L("settings.backup.none")))
	case checking != nil: // which are this database's is not known yet
		rows = append(rows, widget.NewLabelWithStyle(fmt.Sprintf(lang.L("settings.backup.count"), len(list), backupKeep), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	default:
		text := fmt.Sprintf(lang.L("settings.backup.countOurs"), len(ours), backupKeep)
		if others := len(list) - len(ours); others > 0 {
			text = fmt.Sprintf(lang.L("settings.backup.countOthers"), len(ours), backupKeep, others)
		}
		rows = append(rows, widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	plain := false
	for _, b := range list {
		mark := ""
		if !b.Encrypted {
			mark, plain = lang.L("settings.backup.plainMark"), true
		}
		other := ""
		switch {
		case checking[b.Path]:
			other = lang.L("settings.backup.checkingMark")
		case !ours[b.Path]:
			other = lang.L("settings.backup.otherMark")
		}
		rows = append(rows, widget.NewLabel(kit.JoinWith("    ", b.ModTime.Format("2006-01-02 15:04"), filepath.Base(b.Path), kit.SizeText(b.Size), mark, other)))
	}
	if plain {
		warn := kit.StatusLabel(lang.L("settings.backup.plainWarn"))
		warn.Importance = widget.WarningImportance
		rows = append(rows, warn)
	}
	p.backupList.Objects = rows
	p.backupList.Refresh()
}

// checkKey names a backup file as it is now: a file replaced, grown or
// touched since it was checked is checked again.
func checkKey(b backup.Info) string {
	return fmt.Sprintf("%s\x00%d\x00%d", b.Path, b.Size, b.ModTime.UnixNano())
}

// Backups is the daily backup of the window's database: the shell starts
// it once the screens show, 设置 backs up now and starts it when daily
// backups are turned on.
type Backups struct {
	Env
	on   bool           // the daily backup loop is running
	loop sync.WaitGroup // the loop, which lives outside the background work
	// warnedNoKey: the daily backup has said once that it needs a
	// passphrase (not every hour).
	warnedNoKey bool
	// write is backup.Write (tests make its rotation fail).
	write func(context.Context, *store.Store, string, backup.Options) (string, error)
}

// Wait blocks until the daily backup loop has ended (a restore waits for
// it after cancelling the window's context).
func (u *Backups) Wait() { u.loop.Wait() }

// NewBackups backs up the database of env.
func NewBackups(env Env) *Backups { return &Backups{Env: env, write: backup.Write} }

// Start runs the daily backup while the app is open: at start if the last
// one is older than a day, then every hour it checks again. Without a
// passphrase or a station it says so once, not every hour.
func (u *Backups) Start() {
	if u.on {
		return
	}
	u.on = true
	ctx := u.Ctx()
	u.loop.Add(1)
	go func() { // lives as long as the window (or until a restore), like the idle watch
		defer u.loop.Done()
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			_, err := u.backupIfDue(ctx, u.Now())
			switch {
			case err == nil || ctx.Err() != nil:
			case errors.Is(err, backup.ErrNoKey):
				u.Do(func() {
					if !u.warnedNoKey {
						u.warnedNoKey = true
						u.ShowError(lang.L("settings.backup.dailyNoKey"), err)
					}
				})
			case errors.Is(err, backup.ErrRotate):
				dir := u.Prefs().String(prefBackupDir)
				u.Do(func() { u.ShowError(fmt.Sprintf(lang.L("settings.backup.notRotated"), dir), err) })
			default:
				u.Do(func() { u.ShowError(lang.L("settings.backup.dailyFailed"), err) })
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// lastBackupPref is the preference that keeps when this database's last
// good backup was made: one per device, since the window's preferences
// are the app's and the demo post and the real one share them (the demo's
// backup must not stand for the real post's).
func lastBackupPref(u Env) string { return prefLastBackup + "." + u.Store().DeviceID() }

// backupIfDue backs up when daily backups are on, a folder is chosen and
// the last good backup is older than a day. It returns the new file ("":
// none was due).
func (u *Backups) backupIfDue(ctx context.Context, now time.Time) (string, error) {
	dir := u.Prefs().String(prefBackupDir)
	if dir == "" || !u.Prefs().BoolWithFallback(prefBackupDaily, true) {
		return "", nil
	}
	// A last backup dated after now was made while the clock ran ahead,
	// or the clock has fallen back since (a dead BIOS battery): either
	// way it says nothing of a day having passed, so one is due (and the
	// next day is counted from it).
	if last, err := time.Parse(time.RFC3339, u.Prefs().String(lastBackupPref(u))); err == nil && !last.After(now) && now.Sub(last) < backupEvery {
		return "", nil
	}
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return "", nil // the stick is not plugged in; try again later
	}
	return u.backupTo(ctx, dir, now)
}

// roleItem is 设置's "who uses this PC" line: the role radio in a database
// without accounts, else the logged-in user's role (which decides what
// shows, so it cannot be switched here).
func roleItem(u Env, radio *widget.RadioGroup) *widget.FormItem {
	if u.HasAccounts() {
		return widget.NewFormItem(lang.L("settings.role"), container.NewVBox(
			widget.NewLabel(kit.UserRoleWord(u.UserRole())), kit.StatusLabel(lang.L("settings.acct.roleFromLogin"))))
	}
	return widget.NewFormItem(lang.L("settings.role"), container.NewVBox(radio, kit.StatusLabel(lang.L("settings.roleHint"))))
}

// mayRestore reports whether the person at the keyboard may set the
// backup passphrase and restore: anyone but an auxiliary.
func (p *accountsPanel) mayRestore() bool {
	return !(p.u.HasAccounts() && p.u.UserRole() == store.UserAuxiliary)
}

// passphraseForm sets the backup passphrase (typed twice). Backups are
// encrypted to it without it being typed again; restoring needs it.
func (p *accountsPanel) passphraseForm() fyne.CanvasObject {
	p.pass, p.pass2 = kit.NewPasswordEntry(), kit.NewPasswordEntry()
	p.passMsg = kit.NewMessage()
	p.setPass = widget.NewButtonWithIcon(lang.L("settings.backup.setPass"), theme.ConfirmIcon(), p.setPassphrase)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("settings.backup.pass"), p.pass),
		widget.NewFormItem(lang.L("settings.backup.pass2"), p.pass2),
	)
	return container.NewVBox(kit.StatusLabel(lang.L("settings.backup.passHint")), form, container.NewHBox(p.setPass), p.passMsg)
}

func (p *accountsPanel) setPassphrase() {
	pw, again := p.pass.Text, p.pass2.Text
	switch {
	case utf8.RuneCountInString(pw) < backup.MinPassphrase:
		p.passMsg.SetText(fmt.Sprintf(lang.L("settings.backup.passShort"), backup.MinPassphrase))
		return
	case pw != again:
		p.passMsg.SetText(lang.L("settings.acct.passwordMismatch"))
		return
	}
	p.setPass.Disable()
	p.passMsg.SetText(lang.L("settings.backup.passWorking"))
	p.u.GoBG(func(ctx context.Context) {
		err := backup.SetPassphrase(ctx, p.u.Store(), pw)
		p.u.Do(func() {
			p.setPass.Enable()
			if err != nil {
				p.passMsg.SetError(lang.L("settings.backup.passFailed"), err)
				return
			}
			p.pass.SetText("")
			p.pass2.SetText("")
			p.passMsg.SetText(lang.L("settings.backup.passSet"))
			p.showEncryption()
		})
	})
}

// showEncryption says to whom backups are encrypted, or that none can be
// made until a passphrase is set.
func (p *accountsPanel) showEncryption() {
	p.u.GoBG(func(ctx context.Context) {
		enc, err := backup.EncryptionOf(ctx, p.u.Store())
		if ctx.Err() != nil {
			return
		}
		p.u.Do(func() {
			p.encMsg.SetImportance(widget.MediumImportance)
			switch {
			case err != nil:
				p.encMsg.SetError(lang.L("settings.backup.encUnknown"), err)
			case enc.Passphrase && len(enc.Stations) > 0:
				p.encMsg.SetText(fmt.Sprintf(lang.L("settings.backup.encBoth"), strings.Join(enc.Stations, "、")))
			case enc.Passphrase:
				p.encMsg.SetText(lang.L("settings.backup.encPass"))
			case len(enc.Stations) > 0:
				p.encMsg.SetText(fmt.Sprintf(lang.L("settings.backup.encStation"), strings.Join(enc.Stations, "、")))
			default:
				p.encMsg.SetImportance(widget.DangerImportance)
				p.encMsg.SetText(lang.L("settings.backup.encNone"))
			}
			p.encMsg.Refresh()
		})
	})
}

// restoreForm chooses a backup and its passphrase; 恢复… says what will be
// replaced and asks before anything happens.
func (p *accountsPanel) restoreForm() fyne.CanvasObject {
	p.restoreFile = widget.NewLabel(lang.L("settings.restore.noFile"))
	p.restoreFile.Wrapping = fyne.TextWrapBreak
	choose := widget.NewButtonWithIcon(lang.L("settings.restore.choose"), theme.FileIcon(), func() { p.chooseFile(p.pickRestore) })
	p.restorePass = kit.NewPasswordEntry()
	p.restorePass.SetPlaceHolder(lang.L("settings.restore.passHint"))
	p.restoreBtn = widget.NewButtonWithIcon(lang.L("settings.restore.button"), theme.HistoryIcon(), p.startRestore)
	p.restoreBtn.Importance = widget.DangerImportance
	p.restoreMsg = kit.NewMessage()
	return container.NewVBox(
		kit.Heading(lang.L("settings.restore.title")),
		kit.StatusLabel(lang.L("settings.restore.hint")),
		container.NewBorder(nil, nil, nil, choose, p.restoreFile),
		widget.NewForm(widget.NewFormItem(lang.L("settings.backup.pass"), p.restorePass)),
		container.NewHBox(p.restoreBtn),
		p.restoreMsg,
	)
}

// offerRestore chooses the backup at path (a backup file opened with
// cunjing) and says what to do next; false when the restore form is not
// there (whoever is logged in may not restore).
func (p *accountsPanel) offerRestore(path string) bool {
	if p.restoreFile == nil {
		return false
	}
	p.pickRestore(path)
	p.restoreMsg.SetText(lang.L("settings.restore.offered"))
	return true
}

func (p *accountsPanel) pickRestore(path string) {
	p.restorePath = path
	kit.SetWrapped(p.restoreFile, path)
	p.restoreMsg.SetText("")
}

// startRestore reads the chosen backup's header and the database's counts
// and asks, in words, whether to replace the one with the other.
func (p *accountsPanel) startRestore() {
	from, pass := p.restorePath, p.restorePass.Text
	if from == "" {
		p.restoreMsg.SetText(lang.L("settings.restore.needFile"))
		return
	}
	u := p.u
	u.GoBG(func(ctx context.Context) {
		hdr, plain, err := backup.Inspect(from)
		var c store.Counts
		var cerr error
		if err == nil {
			c, cerr = u.Store().Counts(ctx, "")
		}
		if ctx.Err() != nil {
			return
		}
		u.Do(func() {
			switch {
			case err != nil:
				p.restoreMsg.SetError(restoreProblem(err), err)
			case cerr != nil:
				u.ShowError(lang.L("error.load"), cerr)
			case !plain && pass == "" && hdr.Key == "":
				p.restoreMsg.SetText(lang.L("settings.restore.stationOnly"))
			case !plain && pass == "":
				p.restoreMsg.SetText(lang.L("settings.restore.needPass"))
			default:
				p.confirm(lang.L("settings.restore.confirmTitle"), p.restoreText(from, hdr, plain, c), func() { p.doRestore(from, pass) })
			}
		})
	})
}

// restoreText says which backup replaces what, and how to undo it.
func (p *accountsPanel) restoreText(from string, hdr backup.Header, plain bool, c store.Counts) string {
	lines := []string{fmt.Sprintf(lang.L("settings.restore.file"), filepath.Base(from))}
	if plain {
		lines = append(lines, lang.L("settings.restore.plain"))
	} else {
		when := hdr.Created
		if t, err := time.Parse(time.RFC3339, hdr.Created); err == nil {
			when = t.In(clock.Zone).Format("2006-01-02 15:04")
		}
		lines = append(lines, fmt.Sprintf(lang.L("settings.restore.made"), when))
		if hdr.Device != p.u.Store().DeviceID() {
			lines = append(lines, fmt.Sprintf(lang.L("settings.restore.otherDevice"), kit.ShortID(hdr.Device)))
		}
	}
	lines = append(lines,
		fmt.Sprintf(lang.L("settings.restore.replaces"), p.u.Store().Path(), c.Households, c.Residents),
		lang.L("settings.restore.kept"),
		lang.L("settings.restore.reopen"))
	return strings.Join(lines, "\n")
}

// doRestore restores after the user confirmed (UI.restoreBackup).
func (p *accountsPanel) doRestore(from, pass string) {
	u := p.u
	p.restoreBtn.Disable()
	p.restoreMsg.SetText(lang.L("settings.restore.working"))
	u.RestoreBackup(from, backup.RestoreOptions{Passphrase: pass}, func(info backup.RestoreInfo, err error) {
		// On success p belongs to screens that are gone: the window was
		// built again on the restored database.
		if err != nil {
			p.restoreBtn.Enable()
			p.restoreMsg.SetText(restoreProblem(err))
			if !errors.Is(err, backup.ErrWrongPassphrase) {
				u.ShowError(restoreProblem(err), err)
			}
		} else {
			text := fmt.Sprintf(lang.L("settings.restore.done"), filepath.Base(from), info.Kept)
			if info.Packed > 0 {
				text += "\n" + fmt.Sprintf(lang.L("settings.restore.packed"), info.Packed)
			}
			if info.PackErr != nil {
				text += "\n" + lang.L("settings.restore.notPacked")
			}
			if info.Plain {
				text += "\n" + lang.L("settings.restore.wasPlain")
			}
			l := kit.Wrapped(text)
			d := dialog.NewCustom(lang.L("settings.restore.title"), lang.L("settings.restore.close"), l, u.Window())
			d.Resize(fyne.NewSize(520, 260))
			d.Show()
		}
		if p.restoreDone != nil {
			p.restoreDone()
		}
	})
}

// restoreProblem says in plain words why a restore did not happen.
func restoreProblem(err error) string {
	var used *winlock.UsedError
	switch {
	case errors.As(err, &used):
		return fmt.Sprintf(lang.L("settings.restore.inUse"), holders(used.By))
	case errors.Is(err, winlock.ErrRestoring):
		return lang.L("settings.restore.restoring")
	case errors.Is(err, backup.ErrWrongPassphrase):
		return lang.L("settings.restore.wrongPass")
	case errors.Is(err, backup.ErrNeedPassphrase):
		return lang.L("settings.restore.needPass")
	case errors.Is(err, backup.ErrNoPassphraseWrap):
		return lang.L("settings.restore.stationOnly")
	case errors.Is(err, backup.ErrForged):
		return lang.L("settings.restore.forged")
	case errors.Is(err, backup.ErrNotABackup), errors.Is(err, store.ErrNotOurs), errors.Is(err, store.ErrCorrupt):
		return lang.L("settings.restore.notBackup")
	case errors.Is(err, store.ErrNewerSchema):
		return lang.L("settings.restore.newer")
	}
	return lang.L("settings.restore.failed")
}

// holders names the programs that hold the database (winlock's users), in
// the user's words: a restore waits for them.
func holders(by []string) string {
	words := make([]string, 0, len(by))
	for _, u := range by {
		switch u {
		case winlock.UserNode:
			words = append(words, lang.L("settings.restore.byNode"))
		case winlock.UserSync:
			words = append(words, lang.L("settings.restore.bySync"))
		case winlock.UserExchange:
			words = append(words, lang.L("settings.restore.byExchange"))
		case winlock.UserCommand:
			words = append(words, lang.L("settings.restore.byCommand"))
		case winlock.UserWindow:
			words = append(words, lang.L("settings.restore.byWindow"))
		default:
			words = append(words, lang.L("settings.restore.byOther"))
		}
	}
	if len(words) == 0 {
		words = append(words, lang.L("settings.restore.byOther"))
	}
	return strings.Join(words, lang.L("settings.restore.bySep"))
}

// fileDialog lets the user pick a backup file, starting in the backup
// folder.
func (p *accountsPanel) fileDialog(then func(path string)) {
	kit.ShowChooser(p.u.Window(), kit.Choose{Kind: kit.ChooseOpen, Exts: []string{backup.Ext, backup.PlainExt},
		Dir: strings.TrimSpace(p.dir.Text), Size: fyne.NewSize(860, 580)}, then)
}

// confirmDialog asks before a restore.
func (p *accountsPanel) confirmDialog(title, text string, ok func()) {
	l := kit.Wrapped(text)
	d := dialog.NewCustomConfirm(title, lang.L("settings.restore.confirmOK"), lang.L("settings.restore.cancel"), l, func(yes bool) {
		if yes {
			ok()
		}
	}, p.u.Window())
	d.Resize(fyne.NewSize(600, 380))
	d.Show()
}
