package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/store/clock/clocktest"
	"cunjing/store/ledger"
	cjsync "cunjing/sync"
	"cunjing/sync/exchange"
)

// withUsers adds an officer (zhao/secret1) and an auxiliary
// (qian/secret2).
func withUsers(t *testing.T, s *store.Store) *store.Store {
	t.Helper()
	ctx := context.Background()
	if err := s.AddUser(ctx, "zhao", "赵警官", store.UserOfficer, "secret1"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser(ctx, "qian", "钱辅警", store.UserAuxiliary, "secret2"); err != nil {
		t.Fatal(err)
	}
	return s
}

func login(t *testing.T, u *UI, user, pw string) {
	t.Helper()
	ls := u.acct.login
	if ls == nil {
		t.Fatal("no login screen shown")
	}
	ls.user.SetText(user)
	ls.pass.SetText(pw)
	test.Tap(ls.button)
	u.Wait()
}

func TestLoginWhenTheDatabaseHasUsers(t *testing.T) {
	s := withUsers(t, uitest.Fixture(t, 0))
	u, w := newTestUI(t, s)
	if u.acct.login == nil || len(u.nav) != 0 {
		t.Fatal("the screens opened without a login")
	}
	ls := u.acct.login
	test.Tap(ls.button)
	if ls.msg.Text() != "请填写用户名和密码。" {
		t.Errorf("empty login: %q", ls.msg.Text())
	}
	for i := 0; i < store.MaxFailedLogins; i++ {
		login(t, u, "zhao", "wrong")
		if i < store.MaxFailedLogins-1 && ls.msg.Text() != "用户名或密码不对，请再试一次。" {
			t.Fatalf("wrong password %d: %q", i, ls.msg.Text())
		}
	}
	login(t, u, "zhao", "secret1")
	if !strings.Contains(ls.msg.Text(), "已锁定") || u.HasAccounts() {
		t.Fatalf("locked account let in: %q", ls.msg.Text())
	}
	if ls.pass.Text != "" {
		t.Error("the password stays in the box after a failed login")
	}

	login(t, u, "qian", "secret2")
	if !u.HasAccounts() || len(u.nav) != 7 || u.acct.login != nil {
		t.Fatalf("auxiliary not logged in")
	}
	if got := strings.Join(uitest.Texts(w.Content().(*activityWatch).content), "\n"); !strings.Contains(got, "钱辅警（辅警）") {
		t.Errorf("the navigation does not say who is logged in:\n%s", got)
	}
	if n := len(uitest.AuditActions(t, s, store.AuditLogin)); n != 1 {
		t.Errorf("%d login audit entries, want 1", n)
	}

	// The auxiliary sees IDs masked whatever 设置 says, and opening a
	// household is audited.
	u.Settings().SetRole(kit.RoleOfficer)
	u.SearchHouseholds("王建国") // one match: it opens
	u.Wait()
	detail := uitest.Joined(u.screens[AreaHouseholds].Object())
	if strings.Contains(detail, uitest.WangID) || !strings.Contains(detail, store.MaskIDNumber(uitest.WangID)) {
		t.Errorf("auxiliary sees the full ID:\n%s", detail)
	}
	views := uitest.AuditActions(t, s, store.AuditView)
	if len(views) == 0 || views[0].User != "qian" || views[0].Role != store.UserAuxiliary || !strings.Contains(views[0].Subject, "王建国") {
		t.Errorf("view audit %+v", views)
	}
	// 设置 shows the role from the login, not the radio.
	test.Tap(u.nav[AreaSettings])
	u.Wait()
	if got := strings.Join(uitest.Texts(u.screens[AreaSettings].Object()), "\n"); !strings.Contains(got, "由登录账号决定") {
		t.Errorf("settings still offers the role switch:\n%s", got)
	}
}

// TestTypingKeepsTheScreenUnlocked: an officer typing a long note without
// touching the mouse is not locked out mid-sentence; once the typing stops,
// the lock comes after the lock time.
func TestTypingKeepsTheScreenUnlocked(t *testing.T) {
	s := withUsers(t, uitest.Fixture(t, 0))
	u, w := newTestUI(t, s)
	login(t, u, "zhao", "secret1")
	search := searchBox(t, u)
	w.Canvas().Focus(search)
	start := u.Now()
	for i, at := range []time.Duration{4, 8, 12, 16} {
		test.Type(search, "走访"[:3*(i%2+1)])
		u.checkIdle(start.Add(at * time.Minute))
		if u.acct.locked {
			t.Fatalf("locked at minute %d while typing", at)
		}
	}
	u.checkIdle(start.Add(25 * time.Minute))
	if u.acct.locked {
		t.Fatal("locked 9 minutes after the last keystroke (lock time 10)")
	}
	u.checkIdle(start.Add(26*time.Minute + time.Second))
	if !u.acct.locked {
		t.Fatal("not locked 10 minutes after the typing stopped")
	}
}

func TestIdleLockKeepsTheScreen(t *testing.T) {
	s := withUsers(t, uitest.Fixture(t, 0))
	u, w := newTestUI(t, s)
	login(t, u, "zhao", "secret1")
	search := searchBox(t, u)
	search.SetText("半截没打完的字") // unsaved work on screen
	before := w.Content()

	u.checkIdle(u.Now().Add(9 * time.Minute))
	if u.acct.locked {
		t.Fatal("locked before the 10 minutes")
	}
	// Moving the mouse counts as activity.
	w.Content().(*activityWatch).Cursor()
	u.checkIdle(u.Now().Add(10*time.Minute + time.Second))
	if !u.acct.locked || w.Content() == before {
		t.Fatal("not locked after 10 idle minutes")
	}
	if u.acct.login.user.Text != "zhao" {
		t.Errorf("lock screen user %q", u.acct.login.user.Text)
	}
	login(t, u, "zhao", "wrong")
	if !u.acct.locked {
		t.Fatal("a wrong password unlocked")
	}
	login(t, u, "zhao", "secret1")
	if w.Content() != before || search.Text != "半截没打完的字" {
		t.Errorf("unlock lost the screen: same content %v, search %q", w.Content() == before, search.Text)
	}

	// 不自动锁屏 never locks.
	u.Settings().SetLockMinutes(0)
	u.checkIdle(u.Now().Add(24 * time.Hour))
	if u.acct.locked {
		t.Error("locked with the lock turned off")
	}
	// Another person after a lock gets fresh screens.
	u.Settings().SetLockMinutes(5)
	u.Lock()
	test.Tap(uitest.FindButton(t, w.Content(), "换一个人登录"))
	login(t, u, "qian", "secret2")
	if w.Content() == before || u.User().Username != "qian" {
		t.Error("a different user got the previous user's screen")
	}
}

func TestWelcomeImportsALedger(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	if err := ApplyLanguage("zh"); err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	path := filepath.Join(t.TempDir(), "new.db")
	var got NewPost
	done := 0
	wl := ShowWelcome(w, WelcomeOptions{
		Path:        path,
		CreateDemo:  func(context.Context, string) error { return nil },
		CreateEmpty: func(_ context.Context, _ string, p NewPost) error { got = p; return nil },
		ImportLedger: func(_ context.Context, _ string, p NewPost) (LedgerSummary, error) {
			got = p
			return LedgerSummary{Rows: 12, Households: 4, Added: 11, Skipped: []ledger.Skipped{{Row: 7,
				Reason:   `身份证号: ID number "110101199003071234": check character`,
				Problems: []ledger.Problem{{Kind: ledger.ProblemID, Column: "身份证号", Value: "110101199003071234"}}}}}, nil
		},
		Done: func() { done++ },
	})
	wl.chooseLedger = func(then func(string)) { then("/media/usb/台账.xlsx") }
	wl.name.SetText("东河警务室")
	wl.pass.SetText("secret1")
	wl.pass2.SetText("secret1")
	test.Tap(wl.ledger)
	if wl.msg.Text() != "请填写台账是哪个村的。" {
		t.Fatalf("no village: %q", wl.msg.Text())
	}
	wl.village.SetText("东河村")
	test.Tap(wl.ledger)
	wl.wait()
	if got.Ledger != "/media/usb/台账.xlsx" || got.Village != "东河村" || got.Username != "admin" {
		t.Errorf("import asked for %+v", got)
	}
	if !strings.Contains(wl.msg.Text(), "共 12 行，4 户") || !strings.Contains(wl.msg.Text(), "第 7 行：") ||
		!strings.Contains(wl.msg.Text(), "110101199003071234") || strings.Contains(wl.msg.Text(), "check character") {
		t.Errorf("report %q", wl.msg.Text())
	}
	if done != 0 || !wl.cont.Visible() {
		t.Fatal("the report was not left on screen to read")
	}
	test.Tap(wl.cont)
	if done != 1 {
		t.Errorf("continue called Done %d times", done)
	}
}

// waitRestore waits (draining the UI queue) until a restore has finished.
func waitRestore(t *testing.T, u *UI, finished *bool) {
	t.Helper()
	for range 3000 {
		u.Wait()
		if *finished {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the restore never finished")
}

// TestRestoreRebuildsTheWindow: a restore with a wrong passphrase changes
// nothing and keeps the window's store; the right one closes the store,
// restores (keeping the replaced file beside it) and rebuilds the window
// on the reopened database, which the window then closes itself. (设置's
// side of it, the passphrase and the confirmation, is tested in
// app/ui/settings.)
func TestRestoreRebuildsTheWindow(t *testing.T) {
	ctx := context.Background()
	s := uitest.Fixture(t, 0)
	uitest.WithBackupKey(t, s, "东河村 backup 2024")
	dir := t.TempDir()
	from, err := backup.Write(ctx, s, dir, backup.Options{Keep: 10, Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, s)
	test.Tap(u.nav[AreaSettings])
	u.Wait()
	before := u.screens[AreaSettings]
	engBefore, engErrBefore := u.Engine(ctx)
	// Something made after the backup, which a restore takes back.
	if err := s.Save(ctx, &store.Village{Name: "备份后新建村"}); err != nil {
		t.Fatal(err)
	}

	finished := false
	var rerr error
	u.RestoreBackup(from, backup.RestoreOptions{Passphrase: "wrong passphrase"}, func(_ backup.RestoreInfo, err error) {
		finished, rerr = true, err
	})
	waitRestore(t, u, &finished)
	if !errors.Is(rerr, backup.ErrWrongPassphrase) || u.Store() != s {
		t.Fatalf("wrong passphrase: %v", rerr)
	}
	if vs, err := s.Villages(ctx); err != nil || !hasVillage(vs, "备份后新建村") {
		t.Fatalf("a refused restore changed the database: %v", err)
	}

	finished = false
	var info backup.RestoreInfo
	u.RestoreBackup(from, backup.RestoreOptions{Passphrase: "东河村 backup 2024"}, func(i backup.RestoreInfo, err error) {
		finished, info, rerr = true, i, err
	})
	waitRestore(t, u, &finished)
	if rerr != nil {
		t.Fatal(rerr)
	}
	if u.Store() == s {
		t.Fatal("the window still uses the store it had before the restore")
	}
	if err := s.Save(ctx, &store.Village{Name: "旧库"}); err == nil {
		t.Error("the replaced store was not closed")
	}
	vs, err := u.Store().Villages(ctx)
	if err != nil || hasVillage(vs, "备份后新建村") || !hasVillage(vs, "东河村") {
		t.Fatalf("restored villages %v %v", vs, err)
	}
	if kept, _ := filepath.Glob(s.Path() + ".before-restore-*"); len(kept) == 0 || info.Kept == "" {
		t.Errorf("the replaced database was not kept beside it (%q)", info.Kept)
	}
	// The window was built again on the restored database.
	test.Tap(u.nav[AreaSettings])
	u.Wait()
	if u.screens[AreaSettings] == before {
		t.Error("settings were not built again after the restore")
	}
	if got := strings.Join(uitest.Texts(u.screens[AreaSettings].Object()), "\n"); !strings.Contains(got, "用备份口令加密") {
		t.Errorf("settings after the restore do not say how backups are encrypted:\n%s", got)
	}
	// 同步's engine is opened again, on the restored store (the old one
	// is closed).
	eng, engErr := u.Engine(ctx)
	if eng == engBefore && engErr == engErrBefore {
		t.Error("the window kept the sync engine of the replaced store")
	}
	if eng != nil && eng.Store() != u.Store() {
		t.Error("the sync engine is not on the restored store")
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

// The idle lock counts typing in every kind of entry the forms use: a
// change of text in the focused entry is activity, the same text is not.
// Typing in a form's 关系 or 房屋类型 (kit.SelectEntry) went unnoticed.
func TestTypingWatchSeesEveryEntry(t *testing.T) {
	test.NewTempApp(t)
	type focusable interface {
		fyne.Focusable
		fyne.CanvasObject
	}
	plain, search, choice := widget.NewEntry(), kit.NewEntry(), kit.NewSelectEntry([]string{"户主", "配偶"})
	for _, c := range []struct {
		name  string
		entry focusable
		set   func(string)
	}{
		{"widget.Entry", plain, plain.SetText},
		{"kit.Entry", search, search.SetText},
		{"kit.SelectEntry", choice, choice.SetText},
	} {
		w := test.NewWindow(c.entry)
		w.Canvas().Focus(c.entry)
		var k typingWatch
		k.changed(w.Canvas()) // focus arrived
		if k.changed(w.Canvas()) {
			t.Errorf("%s: nothing typed, counted as activity", c.name)
		}
		c.set("配偶")
		if !k.changed(w.Canvas()) {
			t.Errorf("%s: typing was not counted as activity", c.name)
		}
		w.Close()
	}
}

// A dialog open when the screen locks is not left over the lock screen,
// where anyone could read it and answer it without the password: it is
// set aside with the screen, and comes back, with what was typed in it,
// when the same officer unlocks; another person never sees it.
func TestLockSetsAnOpenDialogAside(t *testing.T) {
	s := withUsers(t, uitest.Fixture(t, 0))
	u, w := newTestUI(t, s)
	login(t, u, "zhao", "secret1")
	note := kit.NewMultiLineEntry()
	d := dialog.NewForm("走访记录", "保存", "取消", []*widget.FormItem{widget.NewFormItem("情况", note)}, func(bool) {}, w)
	d.Show()
	test.Type(note, "王建国家门口有人争吵")
	u.Lock()
	for _, o := range w.Canvas().Overlays().List() {
		t.Fatalf("a dialog stays over the lock screen:\n%s", uitest.Shown(o))
	}
	login(t, u, "zhao", "secret1")
	if w.Canvas().Overlays().Top() == nil || note.Text != "王建国家门口有人争吵" {
		t.Fatalf("unlocked by the same officer, the dialog is gone or lost its text (%q)", note.Text)
	}
	u.Lock()
	test.Tap(uitest.FindButton(t, w.Content(), "换一个人登录"))
	login(t, u, "qian", "secret2")
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Errorf("another person sees the last one's dialog:\n%s", uitest.Shown(top))
	}
}

// Work started before the lock that ends behind it (导出台账 writing a
// station's ledger, a batch of boards) showed its dialog over the lock
// screen: 已保存 with 打开 and 打开所在文件夹, for anyone at the PC to open
// every household's file without the password. It waits behind the lock
// for the same officer; after 换一个人登录 (or 退出登录) nobody sees it.
func TestDialogOfWorkEndingBehindTheLockWaits(t *testing.T) {
	s := withUsers(t, uitest.Fixture(t, 0))
	u, w := newTestUI(t, s)
	login(t, u, "zhao", "secret1")
	saved := filepath.Join(t.TempDir(), "台账.xlsx")
	ended := func() {
		u.GoBG(func(context.Context) { // the export, done now
			u.Do(func() { u.ShowSaved(saved, "已导出 12 户、31 人") })
		})
		u.Wait()
	}
	u.Lock()
	ended()
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("a dialog shows over the lock screen:\n%s", uitest.Shown(top))
	}
	login(t, u, "zhao", "secret1")
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("unlocked by the same officer, the export's dialog is gone")
	}
	w.Canvas().Overlays().Top().Hide()
	u.Lock()
	test.Tap(uitest.FindButton(t, w.Content(), "换一个人登录"))
	ended()
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("after 换一个人登录 a dialog shows over the login screen:\n%s", uitest.Shown(top))
	}
	login(t, u, "qian", "secret2")
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Errorf("another person sees the last one's export:\n%s", uitest.Shown(top))
	}
}

// 设置's 本警务室 renames the post, and the name under the window's title
// follows at once (it was read once, when the window was built).
func TestPostRenamedInSettingsShowsUnderTheTitle(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := newTestUI(t, s)
	test.Tap(u.nav[AreaSettings])
	u.Wait()
	var name *kit.Entry
	var save *widget.Button
	uitest.Walk(u.screens[AreaSettings].Object(), func(o fyne.CanvasObject) {
		if c, ok := o.(*widget.Card); ok && c.Title == "本警务室" {
			uitest.Walk(c.Content, func(o fyne.CanvasObject) {
				if e, ok := o.(*kit.Entry); ok && name == nil {
					name = e
				}
				if b, ok := o.(*widget.Button); ok && b.Text == "保存" {
					save = b
				}
			})
		}
	})
	if name == nil || save == nil {
		t.Fatal("设置 has no 本警务室 with its name and 保存")
	}
	name.SetText("新村警务室")
	test.Tap(save)
	u.Wait()
	if u.post.Text != "新村警务室" {
		t.Errorf("the window still names the post %q", u.post.Text)
	}
}

// A restore in the window packs first what the post saved since its last
// sync, as `cunjing restore` does (one use case, backup.RestoreOptions'
// BeforeSwap): it comes back into the restored database at its next sync
// and reaches the station. Before, the window's restore left it only in
// the kept copy, while both sides went on saying complete.
func TestWindowRestorePacksUnsentWork(t *testing.T) {
	ctx := context.Background()
	post, _, _, stnEngine := uitest.PairedPost(t)
	// Not uitest.WithBackupKey: it gives a fixture a signing key of its own,
	// and the post has one from its pairing.
	if err := backup.SetPassphrase(ctx, post, "东河村 backup 2024"); err != nil {
		t.Fatal(err)
	}
	from, err := backup.Write(ctx, post, t.TempDir(), backup.Options{Keep: 10, Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, post)
	if err := post.Save(ctx, &store.Village{Name: "恢复前一分钟的村"}); err != nil {
		t.Fatal(err)
	}
	finished := false
	var info backup.RestoreInfo
	var rerr error
	u.RestoreBackup(from, backup.RestoreOptions{Passphrase: "东河村 backup 2024"}, func(i backup.RestoreInfo, err error) {
		finished, info, rerr = true, i, err
	})
	waitRestore(t, u, &finished)
	if rerr != nil || info.PackErr != nil {
		t.Fatal(rerr, info.PackErr)
	}
	if info.Packed < 1 {
		t.Fatalf("packed %d changes before the restore, want the village saved since the backup", info.Packed)
	}
	restored, err := cjsync.New(ctx, u.Store(), cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	for _, e := range []*cjsync.Engine{restored, stnEngine, restored} {
		if _, err := exchange.Once(ctx, e, stick); err != nil {
			t.Fatal(err)
		}
	}
	for name, s := range map[string]*store.Store{"post": u.Store(), "station": stnEngine.Store()} {
		if vs, err := s.Villages(ctx); err != nil || !hasVillage(vs, "恢复前一分钟的村") {
			t.Errorf("%s after the restore and a stick trip lacks the village saved just before it: %v %v", name, vs, err)
		}
	}
}
