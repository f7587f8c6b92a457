package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

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
