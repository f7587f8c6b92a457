package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"cunjing/app/ui/syncui"
	"cunjing/app/ui/uitest"
	"cunjing/store"
	"cunjing/sync/status"
)

// TestForgottenPeerNoticeOnTheShell: a post whose station refused it at
// the last session as not paired there (a station restored from a backup
// made before the pairing) got nothing across, and only 同步's status
// lines said so. The shell now says it over every area — who, what to do,
// this device's ID to read out — and marks 同步, until an exchange with the
// station goes well; the station told a post forgot it says it the same
// way, naming the post. Red before: no notice.
func TestForgottenPeerNoticeOnTheShell(t *testing.T) {
	post, stn, _, _ := uitest.PairedPost(t)
	ctx := context.Background()
	forgot := status.StoredError(status.CauseForgotten, errors.New("the peer does not know this device: closed by remote"))
	for _, tc := range []struct {
		name string
		self *store.Store
		peer *store.Store
		who  string
	}{
		{"a post forgotten by its station", post, stn, "派出所已经不认识本机了"},
		{"a station forgotten by its post", stn, post, "「东河警务室」已经不认识本机了"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			book := tc.self.SyncBook()
			if err := book.NotePeerContact(ctx, tc.peer.DeviceID(), "", 0, 0, forgot); err != nil {
				t.Fatal(err)
			}
			u, _ := newTestUI(t, tc.self)
			banner := uitest.Joined(u.banner)
			if !strings.Contains(banner, tc.who) || !strings.Contains(banner, tc.self.DeviceID()) || !strings.Contains(banner, "重新和本机配对") {
				t.Fatalf("forgotten: the banner says %q, want %s, what to do and this device's ID %s", banner, tc.who, tc.self.DeviceID())
			}
			if u.nav[AreaSync].Icon != theme.WarningIcon() {
				t.Error("forgotten: 同步 is not marked in the navigation")
			}
			// 去配对 opens 同步's pairing tab.
			test.Tap(uitest.FindButton(t, u.banner, "去配对"))
			u.Wait()
			if u.Current() != AreaSync || u.screens[AreaSync].(*syncui.Screen).CurrentTab() != syncui.TabPair {
				t.Errorf("去配对 opened %s, want 同步's pairing tab", u.Current())
			}
			// A good session clears the peer's last error: the notice goes
			// at 同步's next read of the peers (its refresh after 立即同步)
			// and at the next area opened.
			if err := book.NotePeerContact(ctx, tc.peer.DeviceID(), "direct", 10, 10, ""); err != nil {
				t.Fatal(err)
			}
			u.screens[AreaSync].Refresh()
			u.Wait()
			if banner := uitest.Joined(u.banner); strings.Contains(banner, "不认识本机") {
				t.Errorf("after a good session the banner still says %q", banner)
			}
			if u.nav[AreaSync].Icon == theme.WarningIcon() {
				t.Error("after a good session 同步 is still marked")
			}
			// Forgotten again, seen when another area is opened.
			if err := book.NotePeerContact(ctx, tc.peer.DeviceID(), "", 0, 0, forgot); err != nil {
				t.Fatal(err)
			}
			u.Show(AreaSettings)
			u.Wait()
			if !strings.Contains(uitest.Joined(u.banner), tc.who) {
				t.Errorf("forgotten again: the banner says %q", uitest.Joined(u.banner))
			}
		})
	}
}

// TestForgottenPeerNoticeFollowsTheDatabase: the banner followed only the
// areas opened and 同步's reloads, so a post whose background `cunjing
// node` (or a `cunjing sync --once` from a terminal) learned that the
// station forgot it showed nothing until the officer clicked somewhere,
// and a good exchange there left the red banner up. The shell now watches
// the file (PRAGMA data_version) and brings the banner and 同步's mark up
// to date within its watch's period, no area opened: written by another
// handle on the file (another program), cleared there, and written
// through the window's own store, as its 立即同步's session does. Red
// before: the banner stayed as the last area opened left it.
func TestForgottenPeerNoticeFollowsTheDatabase(t *testing.T) {
	ctx := context.Background()
	u, _, stn, other := watchedPost(t)
	post := u.Store()
	area := u.Current()
	forgot := status.StoredError(status.CauseForgotten, errors.New("the peer does not know this device: closed by remote"))
	const said = "派出所已经不认识本机了"
	for _, step := range []struct {
		name      string
		by        *store.Store
		lastError string
		shown     bool
	}{
		{"another program learns the station forgot this post", other, forgot, true},
		{"a good exchange there clears it", other, "", false},
		{"this window's own session learns it", post, forgot, true},
		{"and its next good exchange clears it", post, "", false},
	} {
		path := ""
		if step.lastError == "" {
			path = "direct"
		}
		if err := step.by.SyncBook().NotePeerContact(ctx, stn.DeviceID(), path, 10, 10, step.lastError); err != nil {
			t.Fatal(err)
		}
		// Within the watch's period (a few of them, on a busy machine).
		for i := 0; i < 500 && strings.Contains(uitest.Joined(u.banner), said) != step.shown; i++ {
			time.Sleep(10 * time.Millisecond)
			u.Wait()
		}
		if banner := uitest.Joined(u.banner); strings.Contains(banner, said) != step.shown {
			t.Errorf("%s: the banner says %q, want the notice shown %v", step.name, banner, step.shown)
		}
		if marked := u.nav[AreaSync].Icon == theme.WarningIcon(); marked != step.shown {
			t.Errorf("%s: 同步 marked %v, want %v", step.name, marked, step.shown)
		}
		if u.Current() != area {
			t.Fatalf("%s: %s opened, want nothing opened (%s)", step.name, u.Current(), area)
		}
	}
}
