package settings

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
)

// testEnv is 设置's environment in the tests: the headless one, and the
// languages and fonts it was asked to switch to.
type testEnv struct {
	*kit.Env
	languages, fonts []string
}

func (e *testEnv) SetLanguage(code string) error {
	e.languages = append(e.languages, code)
	return nil
}

func (e *testEnv) SetFontPath(path string) { e.fonts = append(e.fonts, path) }

// openSettings shows 设置 over s in a headless window; user, when set,
// is logged in first (as the shell does: the login is audited).
func openSettings(t *testing.T, s *store.Store, user *store.User) (*testEnv, *Screen) {
	t.Helper()
	env, w := uitest.NewEnv(t, s)
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

func TestBackupsPanel(t *testing.T) {
	s := uitest.Fixture(t, 0)
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
	list, err := store.Backups(dir)
	if err != nil || len(list) != 1 {
		t.Fatalf("backups %v %v", list, err)
	}
	if err := store.VerifyFile(context.Background(), list[0].Path); err != nil {
		t.Errorf("backup does not verify: %v", err)
	}
	if got := strings.Join(uitest.Texts(p.backupList), "\n"); !strings.Contains(got, "有 1 份备份") || !strings.Contains(got, filepath.Base(list[0].Path)) {
		t.Errorf("backup list:\n%s", got)
	}
	if got := strings.Join(uitest.Texts(p.root), "\n"); !strings.Contains(got, "cunjing restore --db") {
		t.Errorf("restore is not explained:\n%s", got)
	}

	// The daily backup runs once a day, not more.
	if path, err := p.backups.backupIfDue(context.Background(), u.Now().Add(time.Hour)); err != nil || path != "" {
		t.Errorf("backup an hour later: %q %v", path, err)
	}
	time.Sleep(1100 * time.Millisecond) // backups are named by the second
	if path, err := p.backups.backupIfDue(context.Background(), u.Now().Add(25*time.Hour)); err != nil || path == "" {
		t.Errorf("no backup a day later: %v", err)
	}
	p.dir.SetText(filepath.Join(dir, "stick-pulled-out"))
	u.Wait()
	if got := strings.Join(uitest.Texts(p.backupList), "\n"); !strings.Contains(got, "U 盘插好了吗") {
		t.Errorf("missing folder:\n%s", got)
	}
}

func TestFirstAccountTurnsOnTheLogin(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, sc := openSettings(t, s, nil)
	p := sc.accounts
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
	if u2, err := s.Login(context.Background(), "zhao", "secret1", u.Now()); err != nil || u2.Role != store.UserOfficer {
		t.Errorf("login %+v %v", u2, err)
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
}
