package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
)

// Each area shows what the store already holds, in words.
func TestAreasShowTheirRecords(t *testing.T) {
	u, _ := newTestUI(t, uitest.Fixture(t, 0))
	leave := "请假：" + strings.Replace(uitest.FixtureLeave(clocktest.Today(t)), "..", " 至 ", 1) // as the officer reads it
	cases := []struct {
		area Area
		want []string
	}{
		{AreaPatrol, []string{"第一巡逻队", "赵警官，民警，13900001111", leave,
			"夜间巡逻  ·  日常巡逻  ·  每天  ·  19:00-21:00  ·  至少 2 人", "轮换：赵警官 → 钱村警", "路线：东三巷—北街—村委会"}},
		{AreaBoards, []string{"殴打他人", "待确认", "故意伤害致人轻伤", "已确认", "有 1 条金额尚待派出所确认，印制前请核对。",
			"500–1000 元，治安管理处罚法第五十一条", "治安处罚 · 法律代价", "刑事责任 · 法律代价"}},
		{AreaSync, []string{"警务室，城关镇，赵警官", "POSTDEV-TEST", "没有冲突：两边的修改都已合并。", "还没有和任何设备配对。"}},
		{AreaSettings, []string{"中文", "English", "民警", "辅警"}},
	}
	for _, c := range cases {
		t.Run(string(c.area), func(t *testing.T) {
			test.Tap(u.nav[c.area])
			u.Wait()
			got := strings.Join(uitest.Texts(u.screens[c.area].Object()), "\n")
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s lacks %q:\n%s", c.area, w, got)
				}
			}
		})
	}
}

func TestMissingFontShowsWarning(t *testing.T) {
	s := uitest.Fixture(t, 0)
	u, _ := newTestUI(t, s)
	if got := strings.Join(uitest.Texts(u.banner), "\n"); !strings.Contains(got, "没有找到中文字体") {
		t.Fatalf("no font warning without a finder:\n%s", got)
	}
	ttf, err := os.ReadFile(filepath.Join("testdata", "nonexistent.ttf"))
	if err == nil || len(ttf) > 0 {
		t.Fatal("testdata has an unexpected font")
	}
	calls := []string{}
	u.findFont = func(override string) (kit.Font, error) {
		calls = append(calls, override)
		if override != "" {
			return kit.Font{}, errors.New("not a TrueType file")
		}
		return kit.Font{Name: "Test Hei", Path: "/fonts/test.ttf", TTF: theme.DefaultTextFont().Content()}, nil
	}
	u.SetFontPath("")
	if got := uitest.Texts(u.banner); len(got) != 0 {
		t.Fatalf("warning stays after a font was found: %v", got)
	}
	if f := u.App().Settings().Theme().Font(fyne.TextStyle{Bold: true}); f.Name() != "Test Hei.ttf" {
		t.Errorf("theme font %q", f.Name())
	}
	// A broken override falls back to the system's font but says so.
	u.SetFontPath("/tmp/broken.ttf")
	if u.Font() == nil || u.Font().Name != "Test Hei" {
		t.Fatalf("broken override left no font: %+v", u.Font())
	}
	if got := strings.Join(uitest.Texts(u.banner), "\n"); !strings.Contains(got, "not a TrueType file") {
		t.Errorf("broken override not reported:\n%s", got)
	}
	if strings.Join(calls, ",") != ",/tmp/broken.ttf," {
		t.Errorf("finder calls %q", calls)
	}
}

func TestWelcomeCreatesTheDemo(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	if err := ApplyLanguage("zh"); err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	path := filepath.Join(t.TempDir(), "new.db")
	done := 0
	var created NewPost
	wl := ShowWelcome(w, WelcomeOptions{
		Path: path,
		CreateDemo: func(ctx context.Context, p string) error {
			return errors.New("disk full")
		},
		CreateEmpty: func(ctx context.Context, p string, np NewPost) error {
			created = np
			s, err := store.Create(ctx, p, store.Identity{DeviceID: "NEW-DEV", Role: store.RolePost, Name: np.Name}, store.Options{})
			if err != nil {
				return err
			}
			return s.Close()
		},
		Done: func() { done++ },
	})
	test.Tap(wl.demo)
	wl.wait()
	if done != 0 || strings.Contains(wl.msg.Text(), "disk full") || !strings.Contains(wl.msg.Detail(), "disk full") || !strings.Contains(wl.msg.Text(), "创建数据库失败") {
		t.Fatalf("failed demo: done=%d msg=%q detail=%q (the Go error belongs behind 详细信息)", done, wl.msg.Text(), wl.msg.Detail())
	}
	if wl.demo.Disabled() {
		t.Error("buttons stay disabled after a failure")
	}
	test.Tap(wl.create)
	if wl.msg.Text() != "请填写警务室名称。" {
		t.Fatalf("empty name: %q", wl.msg.Text())
	}
	test.Type(wl.name, "西岭警务室")
	test.Type(wl.phone, "123")
	test.Tap(wl.create)
	if !strings.Contains(wl.msg.Text(), "创建数据库失败") || done != 0 {
		t.Fatalf("bad phone accepted: %q", wl.msg.Text())
	}
	wl.phone.SetText("+86 139 0000 1111")
	test.Tap(wl.create)
	if !strings.Contains(wl.msg.Text(), "至少 6 位") || done != 0 {
		t.Fatalf("created without an admin password: %q", wl.msg.Text())
	}
	wl.pass.SetText("secret1")
	wl.pass2.SetText("secret1")
	test.Tap(wl.create)
	wl.wait()
	if done != 1 {
		t.Fatalf("Done called %d times, msg %q", done, wl.msg.Text())
	}
	if created.Name != "西岭警务室" || created.Phone != "13900001111" || created.Username != "admin" || created.Password != "secret1" ||
		created.Role != store.RolePost {
		t.Errorf("created %+v", created)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not created: %v", err)
	}
}

// The first-run screen starts a township station too: the form asks for
// the station's name, the ledger choice (a post's) goes, and what it
// creates is a station.
func TestWelcomeCreatesAStation(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	if err := ApplyLanguage("zh"); err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	var created NewPost
	wl := ShowWelcome(w, WelcomeOptions{
		Path: filepath.Join(t.TempDir(), "station.db"),
		CreateEmpty: func(ctx context.Context, p string, np NewPost) error {
			created = np
			return nil
		},
		ImportLedger: func(ctx context.Context, p string, np NewPost) (LedgerSummary, error) {
			return LedgerSummary{}, errors.New("a station imported a ledger")
		},
	})
	if !wl.ledger.Visible() {
		t.Fatal("a post's ledger choice is hidden")
	}
	wl.role.SetSelected("派出所（汇总各警务室）")
	if wl.ledger.Visible() || wl.nameItem.Text != "派出所名称" {
		t.Errorf("station form: ledger visible %v, name label %q", wl.ledger.Visible(), wl.nameItem.Text)
	}
	test.Tap(wl.create)
	if wl.msg.Text() != "请填写派出所名称。" {
		t.Errorf("empty name: %q", wl.msg.Text())
	}
	wl.name.SetText("城关派出所")
	wl.pass.SetText("secret1")
	wl.pass2.SetText("secret1")
	test.Tap(wl.create)
	wl.wait()
	if created.Role != store.RoleStation || created.Name != "城关派出所" {
		t.Errorf("created %+v", created)
	}
	// The county bureau: its own words, no ledger, created as a county.
	wl.role.SetSelected("县公安局（汇总各派出所）")
	wl.name.SetText("")
	if wl.ledger.Visible() || wl.nameItem.Text != "县公安局名称" {
		t.Errorf("county form: ledger visible %v, name label %q", wl.ledger.Visible(), wl.nameItem.Text)
	}
	test.Tap(wl.create)
	if wl.msg.Text() != "请填写县公安局名称。" {
		t.Errorf("empty county name: %q", wl.msg.Text())
	}
	wl.name.SetText("城关县公安局")
	test.Tap(wl.create)
	wl.wait()
	if created.Role != store.RoleCounty || created.Name != "城关县公安局" {
		t.Errorf("created %+v", created)
	}
}
