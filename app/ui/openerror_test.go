package ui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/winlock"
)

// TestOpenScreens: while a big database opens the window says so, with the
// file; a file that is not ours gets the plain-words advice and the cause.
func TestOpenScreens(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if err := ApplyLanguage("zh"); err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	ShowOpening(w, "/data/城关派出所.db")
	got := strings.Join(uitest.Texts(w.Content()), "\n")
	for _, want := range []string{"正在打开数据库", "/data/城关派出所.db", "请稍候"} {
		if !strings.Contains(got, want) {
			t.Errorf("opening screen lacks %q:\n%s", want, got)
		}
	}
	ShowOpenError(w, "/data/x.db", fmt.Errorf("open: %w (not a SQLite file)", store.ErrNotOurs))
	got = uitest.Shown(w.Content())
	for _, want := range []string{"打不开数据库", "不是村警通的数据库", "详细信息"} {
		if !strings.Contains(got, want) {
			t.Errorf("error screen lacks %q:\n%s", want, got)
		}
	}
	// The English cause is for whoever helps, under 详细信息.
	if strings.Contains(got, "not a SQLite file") {
		t.Errorf("error screen shows the Go error unasked:\n%s", got)
	}
	// A database on a write-protected stick is said as such, with what
	// to do, not as a file that may not exist.
	ShowOpenError(w, "/media/usb/post.db", fmt.Errorf("open: folder /media/usb: %w: read-only file system", store.ErrReadOnly))
	got = uitest.Shown(w.Content())
	for _, want := range []string{"打不开数据库", "只能读、不能写", "复制到这台电脑上"} {
		if !strings.Contains(got, want) {
			t.Errorf("read-only screen lacks %q:\n%s", want, got)
		}
	}
	// A window opened while a restore holds the database is told so, not
	// sent to look for another window that has it open.
	db := filepath.Join(t.TempDir(), "post.db")
	r, err := winlock.Restoring(db)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	_, err = winlock.Take(db)
	if err == nil {
		t.Fatal("a window took the lock of a database being restored")
	}
	ShowOpenError(w, db, err)
	got = uitest.Shown(w.Content())
	if !strings.Contains(got, "正在从备份恢复") || strings.Contains(got, "另一个村警通窗口") {
		t.Errorf("opened during a restore:\n%s", got)
	}
	// Another window's lock is still said as such.
	r.Release()
	l, err := winlock.Take(db)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	_, err = winlock.Take(db)
	ShowOpenError(w, db, err)
	if got = uitest.Shown(w.Content()); !strings.Contains(got, "另一个村警通窗口") {
		t.Errorf("opened in a second window:\n%s", got)
	}
}
