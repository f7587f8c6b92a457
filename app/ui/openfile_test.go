package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/backup"
	"cunjing/store/clock/clocktest"
	"cunjing/sync/identity"
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		path string
		want FileKind
	}{
		{"/media/usb/cunjing-2026-11-24.cjbak", FileBackup},
		{`D:\备份\东河村.CJBAK`, FileBackup},
		{"配对码-ABCD123.cjpair", FilePairingCode},
		{"配对码-ABCD123.CjPair", FilePairingCode},
		{"配对码-ABCD123.txt", FileUnknown},
		{"台账.xlsx", FileUnknown},
		{"cjbak", FileUnknown},
		{"x.cjbak.partial", FileUnknown},
	}
	for _, tt := range tests {
		if got := KindOf(tt.path); got != tt.want {
			t.Errorf("KindOf(%q) = %d, want %d", tt.path, got, tt.want)
		}
	}
}

// overlayText is what the dialog on top of w says ("" with none).
func overlayText(w fyne.Window) string {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var b strings.Builder
	uitest.WalkRendered(top, func(o fyne.CanvasObject) bool {
		for _, s := range uitest.Texts(o) {
			b.WriteString(s + "\n")
		}
		return true
	})
	return b.String()
}

// TestOpenFile: a backup opened with cunjing goes to 设置 with the backup
// chosen for 恢复… (which asks first: app/ui/settings); a pairing-code
// file to 同步's pairing, which asks whether to pair with the station it
// names; another file gets a message; behind the login it waits for the
// password.
func TestOpenFile(t *testing.T) {
	ctx := context.Background()
	post, _, stnEngine := uitest.SyncPair(t)
	uitest.WithBackupKey(t, post, "东河村 backup 2024")
	from, err := backup.Write(ctx, post, t.TempDir(), backup.Options{Keep: 10, Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, post)

	u.OpenFile(from)
	u.Wait()
	if u.Current() != AreaSettings {
		t.Fatalf("a backup opened %s, want settings", u.Current())
	}
	got := uitest.Joined(u.screens[AreaSettings].Object())
	if !strings.Contains(got, from) || !strings.Contains(got, "已选好这份备份") {
		t.Errorf("settings does not offer %s for restore:\n%s", from, got)
	}

	c, err := stnEngine.Identity().Code("城关派出所", store.RoleStation, nil)
	if err != nil {
		t.Fatal(err)
	}
	code, err := c.Encode(stnEngine.Identity())
	if err != nil {
		t.Fatal(err)
	}
	pair := filepath.Join(t.TempDir(), "配对码-城关"+identity.CodeFileExt)
	if err := os.WriteFile(pair, []byte(code+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	u.OpenFile(pair)
	u.Wait()
	if u.Current() != AreaSync {
		t.Fatalf("a pairing code opened %s, want sync", u.Current())
	}
	if got := overlayText(w); !strings.Contains(got, "城关派出所") || !strings.Contains(got, stnEngine.Self()) {
		t.Errorf("no confirmation to pair with the station:\n%s", got)
	}
	if peers, err := post.SyncBook().Peers(ctx, false); err != nil || len(peers) != 0 {
		t.Fatalf("paired before the officer confirmed: %+v %v", peers, err)
	}
	w.Canvas().Overlays().Top().Hide()
	w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())

	u.OpenFile("/tmp/台账.xlsx")
	u.Wait()
	if got := overlayText(w); !strings.Contains(got, "村警通打不开这个文件") || !strings.Contains(got, ".cjbak") || !strings.Contains(got, ".cjpair") {
		t.Errorf("unsupported file:\n%s", got)
	}
}

func TestOpenFileWaitsForTheLogin(t *testing.T) {
	ctx := context.Background()
	s := withUsers(t, uitest.Fixture(t, 0))
	uitest.WithBackupKey(t, s, "东河村 backup 2024")
	from, err := backup.Write(ctx, s, t.TempDir(), backup.Options{Keep: 10, Now: clocktest.Clock(t)})
	if err != nil {
		t.Fatal(err)
	}
	u, w := newTestUI(t, s)
	u.OpenFile(from)
	u.Wait()
	if u.acct.login == nil || len(u.nav) != 0 {
		t.Fatal("opening a file got past the login")
	}
	// An auxiliary may not restore: told so, nothing chosen.
	login(t, u, "qian", "secret2")
	if got := overlayText(w); !strings.Contains(got, "辅警不能从备份恢复") {
		t.Errorf("auxiliary not told:\n%s", got)
	}
	if got := uitest.Joined(u.screens[AreaSettings].Object()); strings.Contains(got, from) {
		t.Errorf("a backup was chosen for an auxiliary:\n%s", got)
	}
	u.LogOut()
	u.OpenFile(from)
	login(t, u, "zhao", "secret1")
	if u.Current() != AreaSettings || !strings.Contains(uitest.Joined(u.screens[AreaSettings].Object()), from) {
		t.Errorf("after the officer's login the backup is not offered (%s)", u.Current())
	}
}
