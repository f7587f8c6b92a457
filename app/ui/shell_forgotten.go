package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/ui/kit"
	"cunjing/app/ui/syncui"
	"cunjing/store"
	"cunjing/store/syncbook"
	"cunjing/sync/status"
)

// A paired device whose last session ended with it refusing this one
// because it does not know it (sync/bep's ErrForgotten, kept as
// status.CauseForgotten: a station restored from a backup made before it
// paired this post) gets none of this device's work until it pairs again.
// 同步's status lines said so, but an officer looks at the window's home:
// the shell says it in its banner, over every area, and marks 同步 in the
// navigation, until a later exchange with that device went well (its last
// error cleared: status.Exchanged, a good session).

// checkForgotten reads the paired devices off the UI goroutine and brings
// the notice up to date (setForgotten). A read that fails leaves the
// notice as it is: 同步 says the error when it is opened.
func (u *UI) checkForgotten() {
	st := u.Store()
	u.GoBG(func(ctx context.Context) {
		peers, err := st.SyncBook().Peers(ctx, false)
		if err != nil {
			return
		}
		u.Do(func() { u.setForgotten(peers) })
	})
}

// setForgotten keeps the peers that forgot this device (status.Forgotten)
// and redraws the banner and 同步's mark when they changed.
func (u *UI) setForgotten(peers []syncbook.Peer) {
	var by []syncbook.Peer
	for _, p := range peers {
		if status.Forgotten(p.LastError) {
			by = append(by, p)
		}
	}
	if slices.EqualFunc(by, u.forgotten, func(a, b syncbook.Peer) bool { return a.DeviceID == b.DeviceID && a.Name == b.Name }) {
		return
	}
	u.forgotten = by
	u.updateBanner()
	if b := u.nav[AreaSync]; b != nil {
		b.Icon = AreaSync.icon()
		if len(by) > 0 {
			b.Icon = theme.WarningIcon()
		}
		b.Refresh()
	}
}

// forgottenNotice is the banner's line for the peers that forgot this
// device (nil when none): who, what it means, what to do — ask them to
// pair again, this device's ID to read out —, and a button to 同步's
// pairing tab; and its wrapped text.
func (u *UI) forgottenNotice() (fyne.CanvasObject, fyne.CanvasObject) {
	if len(u.forgotten) == 0 {
		return nil, nil
	}
	self := u.Store().Role()
	var who []string
	for _, p := range u.forgotten {
		w := "「" + p.Name + "」"
		if store.Above(p.Role, self) || p.Name == "" {
			w = kit.CodeWord("role", p.Role)
		}
		if !slices.Contains(who, w) {
			who = append(who, w)
		}
	}
	msg := kit.Wrapped(fmt.Sprintf(lang.L("sync.forgotten.notice"), strings.Join(who, lang.L("sync.nameSep")), u.Store().DeviceID()))
	msg.Importance = widget.DangerImportance
	pair := widget.NewButtonWithIcon(lang.L("sync.forgotten.pair"), theme.AccountIcon(), func() {
		u.ShowSyncTab(syncui.TabPair)
	})
	return container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), pair, msg), msg
}
