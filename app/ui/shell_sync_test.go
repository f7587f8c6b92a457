package ui

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/syncui"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/store/clock/clocktest"
	"cunjing/store/syncbook"
)

// watchedPost opens the window over a post paired with its station, its
// watch of the file asking every 10 ms, and a second connection to the
// post's file (another program on it).
func watchedPost(t *testing.T) (u *UI, w fyne.Window, stn, other *store.Store) {
	t.Helper()
	post, stn, _, _ := uitest.PairedPost(t)
	other, err := store.Open(context.Background(), post.Path(), store.Options{Now: clocktest.Clock(t), SkipIntegrityCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	u, w = newTestUIWith(t, post, Options{Now: clocktest.Clock(t), WatchEvery: 10 * time.Millisecond})
	return u, w, stn, other
}

// TestSyncScreenFollowsTheDatabase: the open 同步 showed what it read when
// it was opened, so what a `cunjing node` in the background (or `cunjing
// sync --once` from a terminal) did — a session with the station, bytes
// moved — showed only once the officer clicked away and back. It now
// reads itself again on the shell's watch of the file (the one that keeps
// the banner current), once a change, and not while a dialog of it is
// open or a field has the cursor (what is typed stays; it reads when the
// dialog closes or the cursor leaves). Red before: the card kept saying
// 已收到 0 B.
func TestSyncScreenFollowsTheDatabase(t *testing.T) {
	ctx := context.Background()
	u, w, stn, other := watchedPost(t)
	u.Show(AreaSync)
	u.Wait()
	sc := u.screens[AreaSync].(*syncui.Screen)
	reads, seen := 0, sc.OnPeers
	sc.OnPeers = func(p []syncbook.Peer) { reads++; seen(p) }
	said := func() string {
		sc.ShowTab(0)
		return uitest.Joined(sc.Object())
	}
	// ticks lets the watch run n of its periods.
	ticks := func(n int, until func() bool) {
		for i := 0; i < n && (until == nil || !until()); i++ {
			time.Sleep(10 * time.Millisecond)
			u.Wait()
		}
	}
	var in int64
	session := func() string { // another program's session with the station
		in += 5 << 10
		if err := other.SyncBook().NotePeerContact(ctx, stn.DeviceID(), "direct", 5<<10, 0, ""); err != nil {
			t.Fatal(err)
		}
		return "已收到 " + strconv.FormatInt(in>>10, 10) + " KB，已发出 0 B"
	}

	want := session()
	ticks(500, func() bool { return strings.Contains(said(), want) })
	if !strings.Contains(said(), want) {
		t.Fatalf("同步 does not show what another program wrote (%s):\n%s", want, said())
	}
	if !strings.Contains(said(), "上次连接方式：直连") {
		t.Errorf("the card does not say how the session went:\n%s", said())
	}
	// Nothing written: nothing read again (the reads write nothing).
	n := reads
	ticks(30, nil)
	if reads != n {
		t.Errorf("同步 read %d times with nothing written", reads-n)
	}

	// A dialog of the screen is open: it waits for it to close.
	sc.ShowTab(syncui.TabPair)
	test.Tap(uitest.FindButton(t, sc.Object(), "取消配对"))
	u.Wait()
	dlg := w.Canvas().Overlays().Top()
	if dlg == nil {
		t.Fatal("取消配对 asked nothing")
	}
	n = reads
	want = session()
	ticks(30, nil)
	if reads != n {
		t.Errorf("同步 read itself again under its dialog")
	}
	test.Tap(uitest.DialogButton(t, dlg, "取消"))
	ticks(500, func() bool { return reads > n })
	if !strings.Contains(said(), want) {
		t.Errorf("after the dialog closed 同步 does not show %s:\n%s", want, said())
	}

	// A field has the cursor: what is typed stays, and it reads itself
	// once the cursor leaves.
	sc.ShowTab(syncui.TabPair)
	var code *kit.Entry
	uitest.Walk(sc.Object(), func(o fyne.CanvasObject) {
		if e, ok := o.(*kit.Entry); ok && e.PlaceHolder == "CJ1.…" {
			code = e
		}
	})
	if code == nil {
		t.Fatal("no box for the other device's code")
	}
	uitest.Focus(t, w, code)
	test.Type(code, "CJP-1234")
	n = reads
	want = session()
	ticks(30, nil)
	if reads != n || code.Text != "CJP-1234" {
		t.Errorf("typing: read %d times, the box says %q", reads-n, code.Text)
	}
	w.Canvas().Unfocus()
	ticks(500, func() bool { return reads > n })
	if !strings.Contains(said(), want) || code.Text != "CJP-1234" {
		t.Errorf("after typing 同步 says\n%s\nand the box %q", said(), code.Text)
	}
}
