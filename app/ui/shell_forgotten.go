package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

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

// watchEvery is how often, by default, the shell asks the database
// whether it was written (Options.WatchEvery).
const watchEvery = 2 * time.Second

// watchSync keeps what the shell shows of the sync state (the notice of a
// peer that forgot this device, 同步's mark, the open 同步 itself:
// reloadSync) current when it is written
// elsewhere: another program on the same file (a `cunjing node` in the
// background, `cunjing sync --once` from a terminal) learning that the
// station forgot this post, or a good exchange clearing it, and this
// window's own 立即同步 and exchange. Every few seconds it asks SQLite
// whether another connection committed (Store.Watch: PRAGMA
// data_version, no page read) and only then reads the paired devices and
// hands them to the UI goroutine (setForgotten redraws only what
// changed). It ends with the window's context (the window closing, a
// restore stopping its work), counted in the accounts' loops. A watch
// that cannot start leaves the notice to the areas opened (Show).
func (u *UI) watchSync() {
	every := u.watchEvery
	if every <= 0 {
		every = watchEvery
	}
	a, st, ctx := u.acct, u.Store(), u.Ctx()
	a.loops.Add(1)
	go func() { // not counted in u.bg: it lives as long as the window
		defer a.loops.Done()
		w, err := st.Watch(ctx)
		if err != nil {
			// No connection to spare (the store closing): the notice is
			// then brought up to date as before, when an area opens or
			// 同步 reloads (checkForgotten), and nothing else depends on it.
			return
		}
		defer w.Close()
		t := time.NewTicker(every)
		defer t.Stop()
		seen := int64(-1)
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			v, err := w.Version(ctx)
			if err != nil {
				continue
			}
			if v == seen {
				if u.syncStale.Load() { // held back by a dialog or typing
					u.Do(u.reloadSync)
				}
				continue
			}
			peers, err := st.SyncBook().Peers(ctx, false)
			if err != nil {
				continue // asked again at the next tick
			}
			first := seen < 0 // what the screens just read
			seen = v
			u.Do(func() {
				u.setForgotten(peers)
				if !first {
					u.syncStale.Store(true)
					u.reloadSync()
				}
			})
		}
	}()
}

// reloadSync reads 同步 again when it is open and the database changed
// since it last read it (syncStale): its cards (last contact, what was
// sent and received, what waits, a pause) then follow a background `cunjing
// node` or `sync --once` as the banner does, one read a change of the file
// at most (the watch's period coalesces a burst of commits, and
// syncui.Screen.Reload runs one more at most while one runs). Not while a
// dialog is open over the window or a field has the cursor: the reload
// waits for the next tick after it closes or the cursor leaves, so nothing
// is rebuilt under what the officer is typing. 同步 not shown reads itself
// when it is (Show).
func (u *UI) reloadSync() {
	if !u.syncStale.Load() {
		return
	}
	sc, ok := u.screens[AreaSync].(*syncui.Screen)
	if !ok || u.area != AreaSync || u.body == nil {
		u.syncStale.Store(false)
		return
	}
	c := u.Window().Canvas()
	if c.Overlays().Top() != nil || c.Focused() != nil {
		return
	}
	u.syncStale.Store(false)
	sc.Reload()
}

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
	if u.banner == nil {
		return // the login screen: the screens, once built, show it
	}
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
