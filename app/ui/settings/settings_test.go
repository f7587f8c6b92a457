package settings

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/store/clock/clocktest"
	"cunjing/store/winlock"
)

// testEnv is 设置's environment in the tests: the headless one, and the
// languages and fonts it was asked to switch to.
type testEnv struct {
	*kit.Env
	languages, fonts []string
	// restore stands in for the shell's RestoreBackup (nil: it fails).
	restore func(from string, opt backup.RestoreOptions, done func(backup.RestoreInfo, error))
}

func (e *testEnv) SetLanguage(code string) error {
	e.languages = append(e.languages, code)
	return nil
}

func (e *testEnv) SetFontPath(path string) { e.fonts = append(e.fonts, path) }

// RestoreBackup is the shell's (app/ui tests how it swaps the window's
// store); here it runs restore when a test set one.
func (e *testEnv) RestoreBackup(from string, opt backup.RestoreOptions, done func(backup.RestoreInfo, error)) {
	if e.restore == nil {
		done(backup.RestoreInfo{}, errors.New("restore needs the shell"))
		return
	}
	e.restore(from, opt, done)
}

// openSettings shows 设置 over s in a headless window; user, when set,
// is logged in first (as the shell does: the login is audited).
func openSettings(t *testing.T, s *store.Store, user *store.User) (*testEnv, *Screen) {
	t.Helper()
	env, w := uitest.NewEnv(t, s)
	uitest.NoCutText(t, w)
	u := &testEnv{Env: env}
	if user != nil {
		u.SetUser(user)
		if err := u.Audit(context.Background(), store.AuditLogin, user.Username, ""); err != nil {
			t.Fatal(err)
		}
	}
	sc := New(u, NewBackups(u))
	w.SetContent(sc.Object())
	u.Wait()
	return u, sc
}

// openSettingsQueued is openSettings with nobody logged in and the
// window's background work run from a queue (uitest.Queue) the test
// drains (u.Wait, or the queue itself).
func openSettingsQueued(t *testing.T, s *store.Store) (*testEnv, *Screen, *uitest.Queue) {
	t.Helper()
	uitest.Headless(t)
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	q := &uitest.Queue{}
	env := kit.NewEnv(a, w, s, clocktest.Clock(t), q.Do, q.Drain)
	t.Cleanup(env.Close)
	u := &testEnv{Env: env}
	sc := New(u, NewBackups(u))
	w.SetContent(sc.Object())
	u.Wait()
	return u, sc, q
}

func TestBackupsPanel(t *testing.T) {
	s := uitest.Fixture(t, 0)
	uitest.WithBackupKey(t, s, "东河 backup 2024")
	u, sc := openSettings(t, s, nil)
	p := sc.accounts
	test.Tap(p.backupNow)
	if p.backupMsg.Text != "请先选择备份文件夹。" {
		t.Errorf("no folder: %q", p.backupMsg.Text)
	}
	dir := t.TempDir()
	p.dir.SetText(dir)
	u.Wait()
	test.Tap(p.backupNow)
	u.Wait()
	if !strings.Contains(p.backupMsg.Text, "备份完成并已检查") {
		t.Fatalf("backup message %q", p.backupMsg.Text)
	}
	list, err := backup.List(dir)
	if err != nil || len(list) != 1 || !list[0].Encrypted {
		t.Fatalf("backups %v %v", list, err)
	}
	if got := strings.Join(uitest.Texts(p.backupList), "\n"); !strings.Contains(got, "这个文件夹里有这个数据库的 1 份备份（最多保留最近的 10 份）：") || !strings.Contains(got, filepath.Base(list[0].Path)) {
		t.Errorf("backup list:\n%s", got)
	}

	// The demo post's backup in the same folder, newer: listed as another
	// database's, and not the one a restore offers.
	other, err := store.Create(context.Background(), filepath.Join(t.TempDir(), "demo.db"), store.Identity{DeviceID: "DEV-DEMO", Role: store.RolePost, Name: "演示警务室"}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := backup.Write(context.Background(), other, dir, backup.Options{Plaintext: true, Now: func() time.Time { return clocktest.Today(t).AddDate(1, 0, 0) }}); err != nil {
		t.Fatal(err)
	}
	p.restorePath = ""
	p.listBackups()
	u.Wait()
	rows := uitest.Texts(p.backupList)
	if got := strings.Join(rows, "\n"); !strings.Contains(got, "有这个数据库的 1 份备份（最多保留最近的 10 份），另有 1 个其他文件") {
		t.Errorf("backup list with the demo's:\n%s", got)
	}
	for _, r := range rows {
		if strings.Contains(r, filepath.Base(list[0].Path)) == strings.Contains(r, "（其他文件，不是这个数据库的备份）") && strings.Contains(r, "cunjing-backup-") {
			t.Errorf("row %q: marked wrongly", r)
		}
	}
	if p.restorePath != list[0].Path {
		t.Errorf("restore offers %q, want this database's %q", p.restorePath, list[0].Path)
	}

	// A copy of this database's backup planted with the highest number
	// there is in its (unsigned) header: listed first by its number, but
	// not what a restore offers, as its signature fails.
	data, err := os.ReadFile(list[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	const magicLen = len("CJBAK1\n")
	n := binary.BigEndian.Uint32(data[magicLen:])
	var hdr map[string]any
	if err := json.Unmarshal(data[magicLen+4:magicLen+4+int(n)], &hdr); err != nil {
		t.Fatal(err)
	}
	hdr["seq"] = uint64(math.MaxUint64)
	raw, _ := json.Marshal(hdr)
	planted := append(append([]byte("CJBAK1\n"), binary.BigEndian.AppendUint32(nil, uint32(len(raw)))...), raw...)
	planted = append(planted, data[magicLen+4+int(n):]...)
	if err := os.WriteFile(strings.Replace(list[0].Path, ".cjbak", "-9.cjbak", 1), planted, 0o600); err != nil {
		t.Fatal(err)
	}
	p.restorePath = ""
	p.listBackups()
	u.Wait()
	if p.restorePath != list[0].Path {
		t.Errorf("with a planted backup, restore offers %q, want this database's %q", p.restorePath, list[0].Path)
	}
	// Nor is it listed as this database's backup: only the one signed by
	// this device is (the header naming the device is not signed).
	rows = uitest.Texts(p.backupList)
	if got := strings.Join(rows, "\n"); !strings.Contains(got, "有这个数据库的 1 份备份（最多保留最近的 10 份），另有 2 个其他文件") {
		t.Errorf("the count with a planted backup:\n%s", got)
	}
	marked := 0
	for _, r := range rows {
		if !strings.Contains(r, "cunjing-backup-") {
			continue
		}
		other := strings.Contains(r, "（其他文件，不是这个数据库的备份）")
		if strings.Contains(r, filepath.Base(list[0].Path)) == other {
			t.Errorf("row %q: marked wrongly", r)
		}
		if other {
			marked++
		}
	}
	if marked != 2 {
		t.Errorf("%d rows marked as other files, want 2 (the demo's, the planted one):\n%s", marked, strings.Join(rows, "\n"))
	}

	// A window that does not know when this database was last backed up
	// (upgraded from a version that kept one time for all databases) says
	// it from the folder, not 还没有备份过.
	kept := u.Prefs().String(lastBackupPref(u))
	u.Prefs().RemoveValue(lastBackupPref(u))
	p.backupMsg.SetText(lastBackupText(u, nil))
	p.listBackups()
	u.Wait()
	if want := fmt.Sprintf("上次备份：%s", list[0].ModTime.Format("2006-01-02 15:04")); p.backupMsg.Text != want {
		t.Errorf("last backup without the window's record: %q, want %q", p.backupMsg.Text, want)
	}
	u.Prefs().SetString(lastBackupPref(u), kept)

	// The daily backup runs once a day, not more. When it last ran is
	// kept per database: another database's (the demo post's, opened in
	// the same window on the same PC) says nothing of this one's.
	if old := u.Prefs().String(prefLastBackup); old != "" {
		t.Errorf("last backup kept for every database alike: %q", old)
	}
	last, err := time.Parse(time.RFC3339, u.Prefs().String(lastBackupPref(u)))
	if err != nil {
		t.Fatal(err)
	}
	if path, err := p.backups.backupIfDue(context.Background(), last.Add(time.Hour)); err != nil || path != "" {
		t.Errorf("backup an hour later: %q %v", path, err)
	}
	if path, err := p.backups.backupIfDue(context.Background(), last.Add(25*time.Hour)); err != nil || path == "" {
		t.Errorf("no backup a day later: %v", err)
	}
	// A last backup made while the clock ran five years ahead does not
	// stop the daily backup for five years once the clock is set right.
	u.Prefs().SetString(lastBackupPref(u), last.AddDate(5, 0, 0).Format(time.RFC3339))
	if path, err := p.backups.backupIfDue(context.Background(), last.Add(26*time.Hour)); err != nil || path == "" {
		t.Errorf("no backup after the clock was set back: %v", err)
	}
	if path, err := p.backups.backupIfDue(context.Background(), last.Add(27*time.Hour)); err != nil || path != "" {
		t.Errorf("backup an hour after that: %q %v", path, err)
	}
	p.dir.SetText(filepath.Join(dir, "stick-pulled-out"))
	u.Wait()
	if got := strings.Join(uitest.Texts(p.backupList), "\n"); !strings.Contains(got, "U 盘插好了吗") {
		t.Errorf("missing folder:\n%s", got)
	}
}

// A backup whose older ones will not go (read-only on Windows) is a
// backup made: 设置 says it is done and why the stick fills, and the daily
// backup does not make another one every hour.
func TestBackupWhoseOldOnesWillNotGo(t *testing.T) {
	s := uitest.Fixture(t, 0)
	uitest.WithBackupKey(t, s, "东河 backup 2024")
	u, sc := openSettings(t, s, nil)
	p := sc.accounts
	stuck := errors.New("access is denied")
	writes := 0
	p.backups.write = func(ctx context.Context, s *store.Store, dir string, opt backup.Options) (string, error) {
		writes++
		path, err := backup.Write(ctx, s, dir, opt)
		if err != nil {
			return path, err
		}
		return path, fmt.Errorf("%w: %w", backup.ErrRotate, stuck)
	}
	dir := t.TempDir()
	p.dir.SetText(dir)
	u.Wait()
	test.Tap(p.backupNow)
	u.Wait()
	if !strings.Contains(p.backupMsg.Text, "备份完成并已检查") {
		t.Errorf("backup message %q", p.backupMsg.Text)
	}
	if got := uitest.Shown(u.Window().Canvas().Overlays().Top()); !strings.Contains(got, "较早的备份没能删掉") {
		t.Errorf("what the window said:\n%s", got)
	}
	if list, err := backup.List(dir); err != nil || len(list) != 1 {
		t.Fatalf("backups %v %v", list, err)
	}
	last, err := time.Parse(time.RFC3339, u.Prefs().String(lastBackupPref(u)))
	if err != nil {
		t.Fatalf("the backup made was not remembered: %v", err)
	}
	if path, err := p.backups.backupIfDue(context.Background(), last.Add(time.Hour)); err != nil || path != "" || writes != 1 {
		t.Errorf("an hour later: %q %v, %d backups written, want 1", path, err, writes)
	}
	// A backup that failed is not remembered.
	p.backups.write = func(context.Context, *store.Store, string, backup.Options) (string, error) {
		return "", stuck
	}
	if path, err := p.backups.backupIfDue(context.Background(), last.Add(25*time.Hour)); !errors.Is(err, stuck) || path != "" {
		t.Errorf("a failed backup: %q %v", path, err)
	}
	if got := u.Prefs().String(lastBackupPref(u)); got != last.Format(time.RFC3339) {
		t.Errorf("a failed backup was remembered: %s", got)
	}
}

func TestFirstAccountTurnsOnTheLogin(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, sc := openSettings(t, s, nil)
	p := sc.accounts
	if !strings.Contains(p.acctCard.Subtitle, "不需要登录") {
		t.Errorf("without accounts the card says %q", p.acctCard.Subtitle)
	}
	p.newUser.SetText("zhao")
	p.newName.SetText("赵警官")
	p.newPass.SetText("short")
	p.newPass2.SetText("short")
	test.Tap(uitest.FindButton(t, p.root, "添加"))
	if !strings.Contains(p.userMsg.Text, "至少 6 位") {
		t.Errorf("short password: %q", p.userMsg.Text)
	}
	p.newPass.SetText("secret1")
	p.newPass2.SetText("secret9")
	test.Tap(uitest.FindButton(t, p.root, "添加"))
	if p.userMsg.Text != "两次输入的密码不一样。" {
		t.Errorf("mismatch: %q", p.userMsg.Text)
	}
	p.newPass2.SetText("secret1")
	test.Tap(uitest.FindButton(t, p.root, "添加"))
	u.Wait()
	if has, err := s.HasUsers(context.Background()); err != nil || !has {
		t.Fatalf("no user saved: %v", err)
	}
	if !strings.Contains(p.userMsg.Text, "下次打开软件时需要登录") {
		t.Errorf("message %q", p.userMsg.Text)
	}
	// The card no longer says no login is needed.
	if got := p.acctCard.Subtitle; got != "每个人用自己的账号登录；辅警看到的身份证号会隐藏中间几位。" {
		t.Errorf("with an account the card says %q", got)
	}
	if u2, err := s.Login(context.Background(), "zhao", "secret1", u.Now()); err != nil || u2.Role != store.UserOfficer {
		t.Errorf("login %+v %v", u2, err)
	}

	// The same name again never replaces the account (an officer could
	// take over another's, the station administrator's too): it says so
	// and leaves the form for another name.
	p.newUser.SetText("zhao")
	p.newName.SetText("冒名")
	p.newPass.SetText("other-pw")
	p.newPass2.SetText("other-pw")
	test.Tap(uitest.FindButton(t, p.root, "添加"))
	u.Wait()
	if !strings.Contains(p.userMsg.Text, "已经有用户名为“zhao”的账号了") || p.newUser.Text != "zhao" {
		t.Errorf("adding zhao again: %q (user name field %q)", p.userMsg.Text, p.newUser.Text)
	}
	if u2, err := s.Login(context.Background(), "zhao", "secret1", u.Now()); err != nil || u2.DisplayName != "赵警官" {
		t.Errorf("zhao after a second add: %+v %v", u2, err)
	}
}

func TestAuditLogForStationAdmins(t *testing.T) {
	ctx := context.Background()
	s, err := store.Create(ctx, filepath.Join(t.TempDir(), "station.db"),
		store.Identity{DeviceID: "STATION-TEST", Role: store.RoleStation, Name: "城关派出所"}, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.AddUser(ctx, "admin", "刘所长", store.UserStationAdmin, "secret1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Audit(ctx, "zhao", store.UserOfficer, store.AuditExport, "东河村台账", "ledger.xlsx"); err != nil {
		t.Fatal(err)
	}
	admin, err := s.Login(ctx, "admin", "secret1", clocktest.Today(t))
	if err != nil {
		t.Fatal(err)
	}
	_, sc := openSettings(t, s, &admin)
	got := uitest.Joined(sc.Object())
	for _, want := range []string{"审计日志", "zhao", "导出", "东河村台账", "admin", "登录"} {
		if !strings.Contains(got, want) {
			t.Errorf("audit log lacks %q:\n%s", want, got)
		}
	}
	// Every action in words (审核通过, 解锁月份 and 确认电脑日期 showed as
	// approve, unlock, clock), a newer version's as it came.
	for _, a := range store.AuditActions() {
		if w := auditAction(a); w == a || strings.HasPrefix(w, "settings.") || strings.ContainsAny(w, "abcdefghijklmnopqrstuvwxyz") {
			t.Errorf("audit action %q shown as %q", a, w)
		}
	}
	if w := auditAction("rekey"); w != "rekey" {
		t.Errorf("an unknown action shown as %q", w)
	}
}

// TestBackupPassphraseBackupRestore walks the 设置 → 备份 card: without a
// passphrase no backup is made and the card says why; the passphrase is
// set (too short and mistyped first); the backup is encrypted; a restore
// with a wrong passphrase changes nothing; the right one, after a
// confirmation that says what will be replaced, restores (keeping the
// replaced file beside it). How the window then swaps its store is the
// shell's (app/ui TestRestoreRebuildsTheWindow).
func TestBackupPassphraseBackupRestore(t *testing.T) {
	ctx := context.Background()
	s := uitest.Fixture(t, 0)
	uitest.WithBackupKey(t, s, "")
	u, sc := openSettings(t, s, nil)
	p := sc.accounts
	if !strings.Contains(p.encMsg.Text(), "还没有设置备份口令") {
		t.Errorf("encryption without a key: %q", p.encMsg.Text())
	}
	dir := t.TempDir()
	p.dir.SetText(dir)
	u.Wait()
	test.Tap(p.backupNow)
	u.Wait()
	if ents, _ := os.ReadDir(dir); len(ents) != 0 || p.backupMsg.Text != "备份没有成功。" {
		t.Fatalf("backup without a key: %q, wrote %v", p.backupMsg.Text, ents)
	}

	p.pass.SetText("short")
	p.pass2.SetText("short")
	test.Tap(p.setPass)
	if !strings.Contains(p.passMsg.Text(), "至少要 8 个字") {
		t.Errorf("short passphrase: %q", p.passMsg.Text())
	}
	p.pass.SetText("东河村 backup 2024")
	p.pass2.SetText("东河村 backup 2O24")
	test.Tap(p.setPass)
	if !strings.Contains(p.passMsg.Text(), "不一样") {
		t.Errorf("mistyped passphrase: %q", p.passMsg.Text())
	}
	p.pass2.SetText("东河村 backup 2024")
	test.Tap(p.setPass)
	u.Wait()
	if !strings.Contains(p.passMsg.Text(), "备份口令已设置") || p.pass.Text != "" || !strings.Contains(p.encMsg.Text(), "用备份口令加密") {
		t.Fatalf("passphrase set: %q / %q", p.passMsg.Text(), p.encMsg.Text())
	}

	test.Tap(p.backupNow)
	u.Wait()
	list, err := backup.List(dir)
	if err != nil || len(list) != 1 || !list[0].Encrypted {
		t.Fatalf("backups %v %v (%q)", list, err, p.backupMsg.Text)
	}
	data, _ := os.ReadFile(list[0].Path)
	for _, secret := range []string{"王建国", "李秀英", "SQLite format", "东河警务室"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("backup holds %q in the clear", secret)
		}
	}
	if p.restorePath != list[0].Path {
		t.Errorf("newest backup not offered for restore: %q", p.restorePath)
	}

	// Something made after the backup, which a restore takes back.
	if err := s.Save(ctx, &store.Village{Name: "备份后新建村"}); err != nil {
		t.Fatal(err)
	}
	var confirmText string
	p.confirm = func(title, text string, ok func()) { confirmText = text; ok() }
	finished := false
	p.restoreDone = func() { finished = true }
	var restored *store.Store
	u.restore = func(from string, opt backup.RestoreOptions, done func(backup.RestoreInfo, error)) {
		// The shell packs what was saved since the last sync (two changes
		// here); the dialog says so.
		opt.BeforeSwap = func(context.Context, string) (int, error) { return 2, nil }
		u.GoBG(func(ctx context.Context) {
			ns, info, err := backup.ReplaceFrom(context.WithoutCancel(ctx), s, from, opt, store.Options{}, nil)
			u.Do(func() {
				if ns != nil && ns != s {
					restored = ns
					t.Cleanup(func() { ns.Close() })
				}
				done(info, err)
			})
		})
	}

	p.restorePass.SetText("wrong passphrase")
	test.Tap(p.restoreBtn)
	u.Wait()
	if !finished || !strings.Contains(p.restoreMsg.Text(), "备份口令不对") || restored != nil {
		t.Fatalf("wrong passphrase: %q", p.restoreMsg.Text())
	}
	if vs, err := s.Villages(ctx); err != nil || !hasVillage(vs, "备份后新建村") {
		t.Fatalf("a refused restore changed the database: %v", err)
	}

	finished = false
	p.restorePass.SetText("东河村 backup 2024")
	test.Tap(p.restoreBtn)
	u.Wait()
	if !finished || restored == nil {
		t.Fatalf("the restore did not finish: %q", p.restoreMsg.Text())
	}
	for _, want := range []string{filepath.Base(list[0].Path), "将被替换：" + s.Path(), "户", ".before-restore-"} {
		if !strings.Contains(confirmText, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, confirmText)
		}
	}
	vs, err := restored.Villages(ctx)
	if err != nil || hasVillage(vs, "备份后新建村") || !hasVillage(vs, "东河村") {
		t.Fatalf("restored villages %v %v", vs, err)
	}
	kept, _ := filepath.Glob(s.Path() + ".before-restore-*")
	if len(kept) == 0 {
		t.Error("the replaced database was not kept beside it")
	}
	if said := uitest.Shown(u.Window().Canvas().Overlays().Top()); !strings.Contains(said, "恢复前已把 2 条还没同步的修改打包") {
		t.Errorf("the restore's dialog does not say what was packed first:\n%s", said)
	}
}

func hasVillage(vs []store.Village, name string) bool {
	for _, v := range vs {
		if v.Name == name {
			return true
		}
	}
	return false
}

// A restore refused because another program has the database open
// (cunjing node, sync --once, exchange, any other cunjing command: a
// *winlock.UsedError naming them)
// or because another restore is under way says so in its own words, with
// the programs named, not the generic 恢复没有成功 (the reason was in
// 详细信息 only).
func TestRestoreRefusedWhileTheDatabaseIsUsed(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, sc := openSettings(t, s, nil)
	p := sc.accounts
	db := filepath.Join(t.TempDir(), "post.db")
	for _, by := range []string{winlock.UserNode, winlock.UserExchange} {
		l, err := winlock.Use(db, by)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = l.Release() })
	}
	_, used := winlock.ExcludeUsers(db) // as backup.ReplaceFrom is refused
	if used == nil {
		t.Fatal("the restore's locks were taken while node and exchange hold the database")
	}
	for _, c := range []struct {
		err  error
		want []string
	}{
		{fmt.Errorf("restore: %w", used), []string{"没有恢复，什么都没有改", "后台的同步服务、正在读写交换文件夹的交换程序正在使用这个数据库"}},
		{fmt.Errorf("restore: %w", &winlock.UsedError{DB: db, By: []string{winlock.UserSync}}), []string{"一次正在进行的同步正在使用"}},
		// Any other command on the command line (import, print, backup, …).
		{fmt.Errorf("restore: %w", &winlock.UsedError{DB: db, By: []string{winlock.UserCommand}}), []string{"一条正在运行的村警通命令（导入、打印、备份等）正在使用"}},
		{fmt.Errorf("restore: %s: %w", db, winlock.ErrRestoring), []string{"正在从另一份备份恢复", "什么都没有改"}},
	} {
		u.restore = func(_ string, _ backup.RestoreOptions, done func(backup.RestoreInfo, error)) {
			done(backup.RestoreInfo{}, c.err)
		}
		p.doRestore(filepath.Join(t.TempDir(), "x.cjbk"), "")
		u.Wait()
		// The line under the button and the error dialog say it.
		top := u.Window().Canvas().Overlays().Top()
		if top == nil {
			t.Fatalf("no error dialog for %v", c.err)
		}
		shown := uitest.Shown(top)
		for _, want := range c.want {
			if got := p.restoreMsg.Text(); !strings.Contains(got, want) {
				t.Errorf("restore refused with %v says %q, want %q", c.err, got, want)
			}
			if !strings.Contains(shown, want) {
				t.Errorf("the error dialog for %v lacks %q:\n%s", c.err, want, shown)
			}
		}
		u.Window().Canvas().Overlays().Remove(top)
	}
}

// An auxiliary sees the backups but can neither set the passphrase nor
// restore.
func TestAuxiliaryCannotRestore(t *testing.T) {
	ctx := context.Background()
	s := uitest.Fixture(t, 0)
	if err := s.AddUser(ctx, "qian", "钱辅警", store.UserAuxiliary, "secret2"); err != nil {
		t.Fatal(err)
	}
	aux, err := s.Login(ctx, "qian", "secret2", clocktest.Today(t))
	if err != nil {
		t.Fatal(err)
	}
	_, sc := openSettings(t, s, &aux)
	p := sc.accounts
	if p.restoreBtn != nil || p.setPass != nil {
		t.Fatal("an auxiliary got the passphrase and restore controls")
	}
	if p.backupNow == nil {
		t.Fatal("no backup button")
	}
}

// The folder is listed again at each key typed in its entry; the list
// shown is the last folder's, even when an earlier listing (a folder of
// backups, each read through to check it) finishes after it.
func TestBackupListShowsTheLastFolderTyped(t *testing.T) {
	s := uitest.Fixture(t, 0)
	uitest.WithBackupKey(t, s, "东河 backup 2024")
	u, sc := openSettings(t, s, nil)
	p := sc.accounts
	full := t.TempDir()
	for i := range 3 {
		if _, err := backup.Write(context.Background(), s, full, backup.Options{Now: func() time.Time { return clocktest.Today(t).Add(time.Duration(i) * time.Hour) }}); err != nil {
			t.Fatal(err)
		}
	}
	empty := t.TempDir()
	for range 5 {
		p.checked = nil // each listing reads the backups through
		p.dir.SetText(full)
		p.dir.SetText(empty)
		u.Wait()
		if got := strings.Join(uitest.Texts(p.backupList), "\n"); got != "这个文件夹里还没有备份。" {
			t.Fatalf("typed %s then %s, the list shows:\n%s", full, empty, got)
		}
	}
}

// The list shows at once, this database's backups marked as being
// checked while they are read through (a station's are large, a stick
// slow: the list stayed empty meanwhile), then as they turned out.
func TestBackupListWhileChecking(t *testing.T) {
	s := uitest.Fixture(t, 0)
	uitest.WithBackupKey(t, s, "东河 backup 2024")
	dir := t.TempDir()
	if _, err := backup.Write(context.Background(), s, dir, backup.Options{Now: func() time.Time { return clocktest.Today(t) }}); err != nil {
		t.Fatal(err)
	}
	u, sc, q := openSettingsQueued(t, s)
	p := sc.accounts
	release := make(chan struct{})
	p.verify = func(ctx context.Context, st *store.Store, b backup.Info) error {
		<-release
		return backup.Verify(ctx, st, b)
	}
	p.checked = nil
	p.dir.SetText(dir)
	// The listing waits on the check; what it queued before shows.
	got := ""
	for i := 0; i < 2000 && !strings.Contains(got, "正在核对"); i++ {
		time.Sleep(time.Millisecond) // the listing runs off the UI goroutine
		q.Drain()
		got = strings.Join(uitest.Texts(p.backupList), "\n")
	}
	if !strings.Contains(got, "（正在核对）") || strings.Contains(got, "其他文件") {
		t.Errorf("while checking:\n%s", got)
	}
	close(release)
	u.Wait()
	if got := strings.Join(uitest.Texts(p.backupList), "\n"); strings.Contains(got, "正在核对") || strings.Contains(got, "其他文件") || !strings.Contains(got, "cunjing-backup-") {
		t.Errorf("once checked:\n%s", got)
	}
}

// A listing the officer has moved on from — the folder entry cleared, or
// another folder typed — is neither shown nor read on: before, a folder
// cleared while its backups were being checked showed them again under
// the empty entry (and offered one to restore), and every listing went on
// reading each backup through, so typing a path over a slow stick read
// the same large files once per listing begun.
func TestBackupListingLeftBehind(t *testing.T) {
	for _, c := range []struct {
		name, then string
		want       string
	}{
		{"cleared", "", ""},
		{"another folder", "empty", "这个文件夹里还没有备份。"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := uitest.Fixture(t, 0)
			uitest.WithBackupKey(t, s, "东河 backup 2024")
			full := t.TempDir()
			for i := range 3 {
				if _, err := backup.Write(context.Background(), s, full, backup.Options{Now: func() time.Time { return clocktest.Today(t).Add(time.Duration(i) * time.Hour) }}); err != nil {
					t.Fatal(err)
				}
			}
			then := c.then
			if then == "empty" {
				then = t.TempDir()
			}
			u, sc, _ := openSettingsQueued(t, s)
			p := sc.accounts
			var calls atomic.Int32
			started, release := make(chan struct{}, 8), make(chan struct{})
			p.verify = func(ctx context.Context, st *store.Store, b backup.Info) error {
				calls.Add(1)
				started <- struct{}{}
				<-release
				return backup.Verify(ctx, st, b)
			}
			p.checked = nil
			p.dir.SetText(full)
			select {
			case <-started:
			case <-time.After(10 * time.Second):
				t.Fatal("the listing checked no backup")
			}
			p.dir.SetText(then)
			close(release)
			u.Wait()
			if got := strings.Join(uitest.Texts(p.backupList), "\n"); got != c.want {
				t.Errorf("typed %s then %q, the list shows:\n%s", full, then, got)
			}
			if p.restorePath != "" {
				t.Errorf("restore offers %s, of the folder left", p.restorePath)
			}
			if n := calls.Load(); n != 1 {
				t.Errorf("the folder left had %d backups read through, want 1 (the one under way)", n)
			}
		})
	}
}

// 设置 has 本警务室: an officer taking over the post changes the officer's
// name and phone there (printed on cards, leaflets and plates; only the
// first-run screen asked them). What does not read is refused in Chinese
// and nothing is saved; what is saved is the post's own record.
func TestPostDetailsChangedInSettings(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, sc := openSettings(t, s, nil)
	c := sc.post
	if c == nil {
		t.Fatal("设置 has no 本警务室 on a post")
	}
	if !strings.Contains(uitest.Joined(sc.Object()), "本警务室") {
		t.Errorf("本警务室 not shown:\n%s", uitest.Joined(sc.Object()))
	}
	before := c.rec
	cases := []struct {
		name, officer, phone, says string
		saved                      bool
	}{
		{"", "孙新民", "13900001111", "请填写警务室名称。", false},
		{before.Name, "孙新民", "123", "电话号码不对", false},
		{before.Name, "孙新民", "139 0000 1111", "已保存：" + before.Name, true},
	}
	for _, tc := range cases {
		c.name.SetText(tc.name)
		c.officer.SetText(tc.officer)
		c.phone.SetText(tc.phone)
		test.Tap(c.save)
		u.Wait()
		if got := c.msg.Text(); !strings.Contains(got, tc.says) {
			t.Errorf("%q %q %q: says %q, want %q", tc.name, tc.officer, tc.phone, got, tc.says)
		}
		var p store.Post
		if err := s.Get(context.Background(), &p, s.DeviceID()); err != nil {
			t.Fatal(err)
		}
		if tc.saved != (p.Officer == "孙新民") {
			t.Errorf("%q %q %q: stored officer %q", tc.name, tc.officer, tc.phone, p.Officer)
		}
		if tc.saved && (p.Phone != "13900001111" || p.Name != before.Name || p.Township != before.Township) {
			t.Errorf("stored %+v", p)
		}
	}
}
