package settings

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/store"
)

// Preference keys of the backups.
const (
	prefBackupDir   = "backup_dir"   // folder (USB stick) backups go to
	prefBackupDaily = "backup_daily" // back up once a day while the app runs
	prefLastBackup  = "backup_last"  // RFC 3339 time of the last good backup
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
	dir        *widget.Entry
	daily      *widget.Check
	backupNow  *widget.Button
	backupMsg  *widget.Label
	backupList *fyne.Container
	auditList  *fyne.Container

	newUser, newName, newPass, newPass2 *widget.Entry
	newRole                             *widget.Select
	userMsg                             *widget.Label
	users                               *fyne.Container

	chooseDir func(then func(dir string))
}

func lockLabel(m int) string {
	if m <= 0 {
		return lang.L("boards.acct.lockNever")
	}
	return fmt.Sprintf(lang.L("boards.acct.lockMinutes"), m)
}

// newAccountsPanel builds the panel; 设置 puts it under its own form.
func newAccountsPanel(u Env, bk *Backups) *accountsPanel {
	p := &accountsPanel{u: u, backups: bk, root: container.NewVBox()}
	p.chooseDir = p.folderDialog

	opts := make([]string, len(lockChoices))
	for i, m := range lockChoices {
		opts[i] = lockLabel(m)
	}
	p.lock = widget.NewSelect(opts, nil)
	p.lock.SetSelected(lockLabel(u.Settings().LockMinutes()))
	p.lock.OnChanged = func(v string) {
		for _, m := range lockChoices {
			if lockLabel(m) == v {
				u.Settings().SetLockMinutes(m)
			}
		}
	}

	p.dir = widget.NewEntry()
	p.dir.SetText(u.Prefs().String(prefBackupDir))
	p.dir.SetPlaceHolder(lang.L("boards.backup.dirHint"))
	p.dir.OnChanged = func(v string) {
		u.Prefs().SetString(prefBackupDir, strings.TrimSpace(v))
		p.listBackups()
	}
	pick := widget.NewButtonWithIcon(lang.L("boards.backup.pick"), theme.FolderOpenIcon(), func() {
		p.chooseDir(func(dir string) { p.dir.SetText(dir) })
	})
	p.daily = widget.NewCheck(lang.L("boards.backup.daily"), func(on bool) {
		u.Prefs().SetBool(prefBackupDaily, on)
		if on {
			p.backups.Start()
		}
	})
	p.daily.SetChecked(u.Prefs().BoolWithFallback(prefBackupDaily, true))
	p.backupNow = widget.NewButtonWithIcon(lang.L("boards.backup.now"), theme.DocumentSaveIcon(), p.runBackup)
	p.backupNow.Importance = widget.HighImportance
	p.backupMsg = kit.StatusLabel(lastBackupText(u))
	p.backupList = container.NewVBox()
	restore := widget.NewLabel(fmt.Sprintf(lang.L("boards.backup.restore"), u.Store().Path()))
	restore.Wrapping = fyne.TextWrapWord
	restore.TextStyle = fyne.TextStyle{Monospace: false}

	backups := widget.NewCard(lang.L("boards.backup.title"), lang.L("boards.backup.subtitle"), container.NewVBox(
		container.NewBorder(nil, nil, nil, pick, p.dir),
		p.daily,
		container.NewHBox(p.backupNow),
		p.backupMsg,
		p.backupList,
		widget.NewSeparator(),
		restore,
	))

	lockForm := widget.NewForm(widget.NewFormItem(lang.L("boards.acct.lockAfter"),
		container.NewVBox(p.lock, kit.StatusLabel(lang.L("boards.acct.lockHint")))))
	p.root.Add(widget.NewCard(lang.L("boards.acct.title"), p.accountsSubtitle(), container.NewVBox(lockForm, p.userForm())))
	p.root.Add(backups)
	if u.IsStationAdmin() {
		p.auditList = container.NewVBox()
		p.root.Add(widget.NewCard(lang.L("boards.audit.title"), lang.L("boards.audit.subtitle"), p.auditList))
	}
	p.Refresh()
	return p
}

func (p *accountsPanel) accountsSubtitle() string {
	if p.u.HasAccounts() {
		return lang.L("boards.acct.subtitle")
	}
	return lang.L("boards.acct.noUsers")
}

// userForm adds an account. Without accounts anyone may add the first
// (which turns the login on); afterwards only officers and station admins.
func (p *accountsPanel) userForm() fyne.CanvasObject {
	u := p.u
	p.users = container.NewVBox()
	if u.HasAccounts() && u.UserRole() == store.UserAuxiliary {
		return p.users
	}
	p.newUser, p.newName = widget.NewEntry(), widget.NewEntry()
	p.newPass, p.newPass2 = widget.NewPasswordEntry(), widget.NewPasswordEntry()
	roles := []string{kit.UserRoleWord(store.UserOfficer), kit.UserRoleWord(store.UserAuxiliary)}
	if u.Store().Role() == store.RoleStation {
		roles = append(roles, kit.UserRoleWord(store.UserStationAdmin))
	}
	p.newRole = widget.NewSelect(roles, nil)
	p.newRole.SetSelected(roles[0])
	p.userMsg = kit.StatusLabel("")
	add := widget.NewButtonWithIcon(lang.L("boards.acct.add"), theme.ContentAddIcon(), p.addUser)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("boards.acct.username"), p.newUser),
		widget.NewFormItem(lang.L("boards.acct.display"), p.newName),
		widget.NewFormItem(lang.L("boards.acct.role"), p.newRole),
		widget.NewFormItem(lang.L("boards.acct.password"), p.newPass),
		widget.NewFormItem(lang.L("boards.acct.password2"), p.newPass2),
	)
	return container.NewVBox(p.users, kit.Heading(lang.L("boards.acct.addTitle")), form, container.NewHBox(add), p.userMsg)
}

// CheckNewPassword says what is wrong with a new password, in the user's
// words ("" when it is fine).
func CheckNewPassword(pw, again string) string {
	switch {
	case len([]rune(pw)) < minPassword:
		return fmt.Sprintf(lang.L("boards.acct.shortPassword"), minPassword)
	case pw != again:
		return lang.L("boards.acct.passwordMismatch")
	}
	return ""
}

func (p *accountsPanel) addUser() {
	name := strings.TrimSpace(p.newUser.Text)
	if name == "" {
		p.userMsg.SetText(lang.L("boards.acct.needUsername"))
		return
	}
	if msg := CheckNewPassword(p.newPass.Text, p.newPass2.Text); msg != "" {
		p.userMsg.SetText(msg)
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
			if err != nil {
				p.u.ShowError(lang.L("error.save"), err)
				return
			}
			p.newPass.SetText("")
			p.newPass2.SetText("")
			p.newUser.SetText("")
			p.newName.SetText("")
			msg := fmt.Sprintf(lang.L("boards.acct.added"), name)
			if first {
				msg += "\n" + lang.L("boards.acct.firstAdded")
			}
			p.userMsg.SetText(msg)
			p.Refresh()
		})
	})
}

func (p *accountsPanel) Refresh() {
	p.listBackups()
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
					text += "  " + fmt.Sprintf(lang.L("boards.acct.lockedUntil"), us.LockedUntil.Format("15:04"))
				}
				rows = append(rows, widget.NewLabel(text))
			}
			p.users.Objects = rows
			p.users.Refresh()
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
		return []fyne.CanvasObject{kit.StatusLabel(lang.L("boards.audit.none"))}
	}
	out := make([]fyne.CanvasObject, 0, len(log))
	for _, e := range log {
		l := widget.NewLabel(kit.JoinWith("  ", e.At, e.User, kit.UserRoleWord(e.Role), auditAction(e.Action), e.Subject, e.Detail))
		l.Wrapping = fyne.TextWrapWord
		out = append(out, l)
	}
	return out
}

func auditAction(a string) string {
	switch a {
	case store.AuditView, store.AuditPrint, store.AuditExport, store.AuditLogin:
		return lang.L("boards.audit." + a)
	}
	return a
}

// folderDialog lets the user pick the backup folder (a USB stick).
func (p *accountsPanel) folderDialog(then func(dir string)) {
	d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil {
			p.u.ShowError(lang.L("boards.backup.failed"), err)
			return
		}
		if l == nil {
			return
		}
		then(l.Path())
	}, p.u.Window())
	d.Resize(fyne.NewSize(860, 580))
	d.Show()
}

// runBackup writes and verifies a backup now.
func (p *accountsPanel) runBackup() {
	dir := strings.TrimSpace(p.dir.Text)
	if dir == "" {
		p.backupMsg.SetText(lang.L("boards.backup.needDir"))
		return
	}
	p.backupNow.Disable()
	p.backupMsg.SetText(lang.L("boards.backup.working"))
	p.u.GoBG(func(ctx context.Context) {
		path, err := p.backups.backupTo(ctx, dir, p.u.Now())
		p.u.Do(func() {
			p.backupNow.Enable()
			if err != nil {
				p.backupMsg.SetText(lang.L("boards.backup.failed"))
				p.u.ShowError(backupProblem(dir, err), err)
				return
			}
			p.backupMsg.SetText(fmt.Sprintf(lang.L("boards.backup.done"), path))
			p.listBackups()
		})
	})
}

// backupProblem says in plain words why a backup failed.
func backupProblem(dir string, err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Sprintf(lang.L("boards.backup.noDir"), dir)
	case errors.Is(err, os.ErrPermission):
		return fmt.Sprintf(lang.L("boards.backup.noWrite"), dir)
	case errors.Is(err, store.ErrDiskFull):
		return lang.L("boards.backup.full")
	}
	return lang.L("boards.backup.failed")
}

// backupTo writes a verified backup into dir and remembers when.
func (u *Backups) backupTo(ctx context.Context, dir string, now time.Time) (string, error) {
	if fi, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("backup folder %s: %w", dir, err)
	} else if !fi.IsDir() {
		return "", fmt.Errorf("backup folder %s: %w", dir, os.ErrNotExist)
	}
	path, err := u.Store().Backup(ctx, dir, backupKeep)
	if err != nil {
		return "", err
	}
	u.Prefs().SetString(prefLastBackup, now.Format(time.RFC3339))
	return path, nil
}

func lastBackupText(u Env) string {
	last := u.Prefs().String(prefLastBackup)
	if last == "" {
		return lang.L("boards.backup.never")
	}
	t, err := time.Parse(time.RFC3339, last)
	if err != nil {
		return lang.L("boards.backup.never")
	}
	return fmt.Sprintf(lang.L("boards.backup.last"), t.Format("2006-01-02 15:04"))
}

// listBackups shows the backups in the chosen folder, newest first.
func (p *accountsPanel) listBackups() {
	dir := strings.TrimSpace(p.dir.Text)
	if dir == "" {
		p.backupList.Objects = nil
		p.backupList.Refresh()
		return
	}
	p.u.GoBG(func(ctx context.Context) {
		list, err := store.Backups(dir)
		p.u.Do(func() {
			var rows []fyne.CanvasObject
			switch {
			case errors.Is(err, os.ErrNotExist):
				rows = append(rows, kit.StatusLabel(fmt.Sprintf(lang.L("boards.backup.noDir"), dir)))
			case err != nil:
				rows = append(rows, kit.StatusLabel(lang.L("boards.backup.listFailed")+"\n"+err.Error()))
			case len(list) == 0:
				rows = append(rows, kit.StatusLabel(lang.L("boards.backup.none")))
			default:
				rows = append(rows, widget.NewLabelWithStyle(fmt.Sprintf(lang.L("boards.backup.count"), len(list)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
			}
			for _, b := range list {
				rows = append(rows, widget.NewLabel(kit.JoinWith("    ", b.ModTime.Format("2006-01-02 15:04"), filepath.Base(b.Path), kit.SizeText(b.Size))))
			}
			p.backupList.Objects = rows
			p.backupList.Refresh()
		})
	})
}

// Backups is the daily backup of the window's database: the shell starts
// it once the screens show, 设置 backs up now and starts it when daily
// backups are turned on.
type Backups struct {
	Env
	on bool // the daily backup loop is running
}

// NewBackups backs up the database of env.
func NewBackups(env Env) *Backups { return &Backups{Env: env} }

// Start runs the daily backup while the app is open: at start if the last
// one is older than a day, then every hour it checks again.
func (u *Backups) Start() {
	if u.on {
		return
	}
	u.on = true
	go func() { // lives as long as the window, like the idle watch
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			if _, err := u.backupIfDue(u.Ctx(), u.Now()); err != nil && u.Ctx().Err() == nil {
				u.Do(func() { u.ShowError(lang.L("boards.backup.dailyFailed"), err) })
			}
			select {
			case <-u.Ctx().Done():
				return
			case <-t.C:
			}
		}
	}()
}

// backupIfDue backs up when daily backups are on, a folder is chosen and
// the last good backup is older than a day. It returns the new file ("":
// none was due).
func (u *Backups) backupIfDue(ctx context.Context, now time.Time) (string, error) {
	dir := u.Prefs().String(prefBackupDir)
	if dir == "" || !u.Prefs().BoolWithFallback(prefBackupDaily, true) {
		return "", nil
	}
	if last, err := time.Parse(time.RFC3339, u.Prefs().String(prefLastBackup)); err == nil && now.Sub(last) < backupEvery {
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
			widget.NewLabel(kit.UserRoleWord(u.UserRole())), kit.StatusLabel(lang.L("boards.acct.roleFromLogin"))))
	}
	return widget.NewFormItem(lang.L("settings.role"), container.NewVBox(radio, kit.StatusLabel(lang.L("settings.roleHint"))))
}
