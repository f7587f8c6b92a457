package ui

import (
	"context"
	"fmt"
	"image"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cunjing/app/boardset"
	"cunjing/app/ui/kit"
	"cunjing/assets"
	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/bep"
	"cunjing/sync/exchange"
	"cunjing/sync/identity"
	"cunjing/sync/station"
)

// Preference keys of the sync screen.
const (
	prefExchangeDir = "exchange_dir"  // the USB folder last used
	prefOwnAddress  = "sync_address"  // host:port a station listens on, put in its code
	syncTimeout     = 2 * time.Minute // per peer, for 立即同步
	staleAfter      = 72 * time.Hour  // a post silent longer is highlighted
	rejectsShown    = 100             // newest refused files listed
	qrPixels        = 300             // own pairing code as a QR image
	dashboardDays   = 30              // boards and patrols counted over the last month
	freshMinute     = time.Minute     // rounding of freshness
	maxCodeFileSize = identity.MaxCodeLen
)

// syncScreen is 同步: this device's pairing code (QR and text), pairing and
// unpairing, the sync state in plain words with a button to sync now, the
// exchange folder for USB sticks, refused files with reasons, the edits
// that lost to a concurrent edit, and at a station the township dashboard
// and publishing.
type syncScreen struct {
	u    *UI
	root fyne.CanvasObject
	tabs *container.AppTabs

	mu     sync.Mutex // guards eng, engErr (set off the UI goroutine)
	eng    *cjsync.Engine
	engErr error

	status    *fyne.Container
	pairing   *fyne.Container
	exch      *fyne.Container
	rejects   *fyne.Container
	conflicts *fyne.Container
	dashboard *fyne.Container
	publish   *fyne.Container

	syncBtn  *widget.Button
	syncBusy *widget.ProgressBarInfinite
	syncMsg  *widget.Label

	code    string // own pairing code
	codeIn  *widget.Entry
	address *widget.Entry
	pairMsg *widget.Label
	exchDir *widget.Entry
	exchBtn *widget.Button
	exchMsg *widget.Label
	noticeT *widget.Entry
	noticeB *widget.Entry
	pubMsg  *widget.Label

	// Dialogs, replaced in tests.
	confirm   func(title, text string, ok func())
	chooseDir func(then func(dir string))
}

func newSyncScreen(u *UI) *syncScreen {
	s := &syncScreen{u: u,
		status: container.NewVBox(), pairing: container.NewVBox(), exch: container.NewVBox(),
		rejects: container.NewVBox(), conflicts: container.NewVBox(), dashboard: container.NewVBox(), publish: container.NewVBox(),
	}
	s.confirm = func(title, text string, ok func()) {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		d := dialog.NewCustomConfirm(title, lang.L("Confirm"), lang.L("Cancel"), l, func(yes bool) {
			if yes {
				ok()
			}
		}, u.Window())
		d.Resize(fyne.NewSize(520, 300))
		d.Show()
	}
	s.chooseDir = func(then func(string)) {
		d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
			if err != nil {
				u.ShowError(lang.L("boards.sync.exchFailed"), err)
				return
			}
			if l != nil {
				then(l.Path())
			}
		}, u.Window())
		d.Resize(fyne.NewSize(860, 580))
		d.Show()
	}

	s.syncBtn = widget.NewButtonWithIcon(lang.L("boards.sync.now"), theme.ViewRefreshIcon(), s.syncNow)
	s.syncBtn.Importance = widget.HighImportance
	s.syncBusy = widget.NewProgressBarInfinite()
	s.syncBusy.Stop()
	s.syncBusy.Hide()
	s.syncMsg = kit.StatusLabel("")

	s.codeIn = widget.NewMultiLineEntry()
	s.codeIn.Wrapping = fyne.TextWrapBreak
	s.codeIn.SetPlaceHolder(lang.L("boards.sync.pasteHint"))
	s.codeIn.SetMinRowsVisible(3)
	s.address = widget.NewEntry()
	s.address.SetPlaceHolder(lang.L("boards.sync.addressHint"))
	s.address.SetText(u.Settings().Prefs().String(prefOwnAddress))
	s.address.OnSubmitted = func(v string) { s.setAddress(v) }
	s.pairMsg = kit.StatusLabel("")

	s.exchDir = widget.NewEntry()
	s.exchDir.SetPlaceHolder(lang.L("boards.sync.exchHint"))
	s.exchDir.SetText(u.Settings().Prefs().String(prefExchangeDir))
	s.exchBtn = widget.NewButtonWithIcon(lang.L("boards.sync.exchRun"), theme.MailSendIcon(), s.runExchange)
	s.exchBtn.Importance = widget.HighImportance
	s.exchMsg = kit.StatusLabel("")
	s.noticeT, s.noticeB = widget.NewEntry(), widget.NewMultiLineEntry()
	s.noticeB.Wrapping = fyne.TextWrapWord
	s.pubMsg = kit.StatusLabel("")

	pad := func(o fyne.CanvasObject) fyne.CanvasObject { return container.NewVScroll(container.NewPadded(o)) }
	s.buildExchange()
	tabs := container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("boards.sync.tabStatus"), theme.InfoIcon(), pad(s.status)),
		container.NewTabItemWithIcon(lang.L("boards.sync.tabPair"), theme.AccountIcon(), pad(s.pairing)),
		container.NewTabItemWithIcon(lang.L("boards.sync.tabExchange"), theme.StorageIcon(), pad(s.exch)),
		container.NewTabItemWithIcon(lang.L("boards.sync.tabRejects"), theme.WarningIcon(), pad(s.rejects)),
		container.NewTabItemWithIcon(lang.L("boards.sync.tabConflicts"), theme.QuestionIcon(), pad(s.conflicts)),
	)
	if u.Store().Role() == store.RoleStation {
		s.buildPublish()
		tabs.Append(container.NewTabItemWithIcon(lang.L("boards.sync.tabDashboard"), theme.GridIcon(), pad(s.dashboard)))
		tabs.Append(container.NewTabItemWithIcon(lang.L("boards.sync.tabPublish"), theme.UploadIcon(), pad(s.publish)))
	}
	s.tabs = tabs
	s.root = container.NewBorder(container.NewPadded(kit.Heading(lang.L("nav.sync"))), nil, nil, nil, tabs)
	s.Refresh()
	return s
}

func (s *syncScreen) Object() fyne.CanvasObject { return s.root }

// engine opens the sync engine once; a database without a sync identity
// (made before sync existed) has none, and the screen says so.
func (s *syncScreen) engine(ctx context.Context) (*cjsync.Engine, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.eng == nil && s.engErr == nil {
		s.eng, s.engErr = cjsync.New(ctx, s.u.Store(), cjsync.Options{})
	}
	return s.eng, s.engErr
}

type syncData struct {
	self      store.Post
	counts    store.Counts
	conflicts []store.Conflict
	rejects   []store.Reject
	peers     []store.Peer
	engErr    error
	status    cjsync.StatusSummary
	code      string
	qr        image.Image
	town      *station.Township
}

func (s *syncScreen) Refresh() {
	address := strings.TrimSpace(s.address.Text)
	s.u.GoBG(func(ctx context.Context) {
		d, err := s.load(ctx, address)
		if ctx.Err() != nil {
			return
		}
		s.u.Do(func() {
			if err != nil {
				s.u.ShowError(lang.L("error.load"), err)
				return
			}
			s.show(d)
		})
	})
}

func (s *syncScreen) load(ctx context.Context, address string) (syncData, error) {
	var d syncData
	st := s.u.Store()
	if err := st.Get(ctx, &d.self, st.DeviceID()); err != nil {
		return d, fmt.Errorf("read own profile: %w", err)
	}
	var err error
	if d.counts, err = st.Counts(ctx, ""); err != nil {
		return d, err
	}
	if d.conflicts, err = st.Conflicts(ctx); err != nil {
		return d, err
	}
	if d.rejects, err = st.Rejects(ctx, rejectsShown); err != nil {
		return d, err
	}
	if d.peers, err = st.Peers(ctx, false); err != nil {
		return d, err
	}
	e, eerr := s.engine(ctx)
	if eerr != nil {
		d.engErr = eerr
		return d, nil
	}
	if d.status, err = e.Status(ctx); err != nil {
		return d, err
	}
	var addrs []string
	if address != "" {
		addrs = []string{address}
	}
	c, err := e.Identity().Code(d.self.Name, st.Role(), addrs)
	if err != nil {
		return d, fmt.Errorf("own pairing code: %w", err)
	}
	if d.code, err = c.Encode(e.Identity()); err != nil {
		return d, fmt.Errorf("own pairing code: %w", err)
	}
	if d.qr, err = identity.QR(d.code, qrPixels); err != nil {
		return d, fmt.Errorf("own pairing code as QR: %w", err)
	}
	if st.Role() == store.RoleStation {
		now := s.u.Now()
		from := now.AddDate(0, 0, -dashboardDays).Format("2006-01-02")
		t, err := station.View(ctx, e, from, now.Format("2006-01-02"), staleAfter, now)
		if err != nil {
			return d, fmt.Errorf("township dashboard: %w", err)
		}
		d.town = &t
	}
	return d, nil
}

func (s *syncScreen) show(d syncData) {
	s.code = d.code
	s.status.Objects = s.statusView(d)
	s.status.Refresh()
	s.pairing.Objects = s.pairingView(d)
	s.pairing.Refresh()
	s.rejects.Objects = rejectsView(d.rejects)
	s.rejects.Refresh()
	s.conflicts.Objects = s.conflictsView(d)
	s.conflicts.Refresh()
	if d.town != nil {
		s.dashboard.Objects = dashboardView(*d.town, s.u.Now())
		s.dashboard.Refresh()
	}
}

// statusView is the sync state in plain words: what waits to go out and
// to come in, per paired device, with the sync-now button.
func (s *syncScreen) statusView(d syncData) []fyne.CanvasObject {
	id := s.u.Store().DeviceID()
	idLabel := widget.NewLabel(id)
	idLabel.Wrapping = fyne.TextWrapBreak
	copyID := widget.NewButtonWithIcon(lang.L("sync.copyID"), theme.ContentCopyIcon(), func() {
		s.u.App().Clipboard().SetContent(id)
	})
	me := widget.NewCard(d.self.Name, kit.JoinNonEmpty(kit.CodeWord("role", s.u.Store().Role()), d.self.Township, d.self.Officer, d.self.Phone),
		container.NewVBox(
			widget.NewLabelWithStyle(lang.L("sync.deviceID"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			container.NewBorder(nil, nil, nil, copyID, idLabel),
			kit.StatusLabel(fmt.Sprintf(lang.L("sync.changes"), d.counts.Changes)),
		))
	out := []fyne.CanvasObject{me}
	if d.engErr != nil {
		l := widget.NewLabel(lang.L("boards.sync.noEngine") + "\n" + d.engErr.Error())
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		out = append(out, l, kit.Heading(lang.L("sync.peers")))
		if len(d.peers) == 0 {
			out = append(out, kit.StatusLabel(lang.L("sync.noPeers")))
		}
		for _, p := range d.peers {
			out = append(out, widget.NewLabel(kit.JoinNonEmpty(p.Name, peerRole(p.Role), p.DeviceID)))
		}
		return out
	}
	out = append(out, kit.Heading(lang.L("boards.sync.state")))
	for _, line := range statusWords(d.status) {
		l := widget.NewLabel(line)
		l.Wrapping = fyne.TextWrapWord
		out = append(out, l)
	}
	out = append(out, container.NewHBox(s.syncBtn), s.syncBusy, s.syncMsg)
	out = append(out, kit.Heading(lang.L("sync.peers")))
	if len(d.status.Peers) == 0 {
		out = append(out, kit.StatusLabel(lang.L("sync.noPeers")))
	}
	for _, p := range d.status.Peers {
		out = append(out, peerCard(p, s.u.Now()))
	}
	return out
}

// statusWords says the engine's numbers as sentences.
func statusWords(st cjsync.StatusSummary) []string {
	var out []string
	if st.Uncut == 0 {
		out = append(out, lang.L("boards.sync.allPacked"))
	} else {
		out = append(out, fmt.Sprintf(lang.L("boards.sync.uncut"), st.Uncut))
	}
	out = append(out, fmt.Sprintf(lang.L("boards.sync.counts"), st.Cut, st.Received))
	if st.WaitingIn > 0 {
		out = append(out, fmt.Sprintf(lang.L("boards.sync.waitingIn"), st.WaitingIn))
	}
	if st.Rejected > 0 {
		out = append(out, fmt.Sprintf(lang.L("boards.sync.rejected"), st.Rejected))
	}
	return out
}

// peerCard is one paired device: when it was last reached, what waits to
// go to it and come from it, bytes moved, and the last problem.
func peerCard(p cjsync.PeerStatus, now time.Time) fyne.CanvasObject {
	lines := []fyne.CanvasObject{
		widget.NewLabel(fmt.Sprintf(lang.L("boards.sync.lastContact"), agoWords(p.LastContact, now))),
		widget.NewLabel(fmt.Sprintf(lang.L("boards.sync.waiting"), p.ToSend, p.ToFetch)),
		kit.StatusLabel(fmt.Sprintf(lang.L("boards.sync.bytes"), kit.SizeText(p.BytesIn), kit.SizeText(p.BytesOut))),
	}
	if p.LastError != "" {
		l := widget.NewLabel(lang.L("boards.sync.lastProblem") + p.LastError)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		lines = append(lines, l)
	}
	return widget.NewCard(p.Name, kit.JoinNonEmpty(peerRole(p.Role), shortID(p.DeviceID)), container.NewVBox(lines...))
}

func peerRole(role string) string {
	if role == identity.RoleCarrier {
		return lang.L("boards.sync.carrier")
	}
	return kit.CodeWord("role", role)
}

// shortID is the first block of a device ID, as Syncthing shows it.
func shortID(id string) string {
	if i := strings.IndexByte(id, '-'); i > 0 {
		return id[:i]
	}
	return id
}

// agoWords says how long ago an RFC 3339 time was.
func agoWords(ts string, now time.Time) string {
	if ts == "" {
		return lang.L("boards.sync.never")
	}
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	return durationWords(now.Sub(t))
}

// durationWords is an age in the largest whole unit.
func durationWords(d time.Duration) string {
	switch {
	case d < time.Minute:
		return lang.L("boards.sync.justNow")
	case d < time.Hour:
		return fmt.Sprintf(lang.L("boards.sync.minutesAgo"), int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf(lang.L("boards.sync.hoursAgo"), int(d.Hours()))
	}
	return fmt.Sprintf(lang.L("boards.sync.daysAgo"), int(d.Hours()/24))
}

// syncNow packs new changes and exchanges with every paired device that
// can be dialled.
func (s *syncScreen) syncNow() {
	s.syncBtn.Disable()
	s.syncBusy.Show()
	s.syncBusy.Start()
	s.syncMsg.SetText(lang.L("boards.sync.working"))
	s.u.GoBG(func(ctx context.Context) {
		lines, err := s.runSync(ctx)
		s.u.Do(func() {
			s.syncBtn.Enable()
			s.syncBusy.Stop()
			s.syncBusy.Hide()
			if err != nil {
				s.syncMsg.SetText("")
				s.u.ShowError(lang.L("boards.sync.failed"), err)
				return
			}
			s.syncMsg.SetText(strings.Join(lines, "\n"))
			s.Refresh()
		})
	})
}

func (s *syncScreen) runSync(ctx context.Context) ([]string, error) {
	e, err := s.engine(ctx)
	if err != nil {
		return nil, err
	}
	cut, err := e.Cut(ctx)
	if err != nil {
		return nil, err
	}
	lines := []string{fmt.Sprintf(lang.L("boards.sync.packed"), cut.Changes, len(cut.Changesets))}
	peers, err := e.Store().Peers(ctx, false)
	if err != nil {
		return nil, err
	}
	node := bep.NewNode(e, bep.Config{})
	dialled := 0
	for _, p := range peers {
		if len(p.Addresses) == 0 {
			continue // it dials us
		}
		dialled++
		pctx, cancel := context.WithTimeout(ctx, syncTimeout)
		r, err := node.SyncOnce(pctx, p)
		cancel()
		switch {
		case err != nil:
			lines = append(lines, fmt.Sprintf(lang.L("boards.sync.peerFailed"), p.Name, err))
		case !r.Complete:
			lines = append(lines, fmt.Sprintf(lang.L("boards.sync.peerPartial"), p.Name, r.Pulled, r.Imported, r.Error))
		default:
			lines = append(lines, fmt.Sprintf(lang.L("boards.sync.peerDone"), p.Name, r.Pulled, r.Imported))
		}
	}
	if dialled == 0 {
		lines = append(lines, lang.L("boards.sync.nobodyToDial"))
	}
	return lines, nil
}

// pairingView shows this device's code (QR and text) and the box for the
// other device's code, then the paired devices with unpair buttons.
func (s *syncScreen) pairingView(d syncData) []fyne.CanvasObject {
	if d.engErr != nil {
		l := widget.NewLabel(lang.L("boards.sync.noEngine"))
		l.Wrapping = fyne.TextWrapWord
		return []fyne.CanvasObject{l}
	}
	qr := canvas.NewImageFromImage(d.qr)
	qr.FillMode = canvas.ImageFillContain
	qr.ScaleMode = canvas.ImageScalePixels
	qr.SetMinSize(fyne.NewSize(320, 320))
	// The code is about 1.5 KB: the button copies it; the screen shows
	// its ends, enough to compare by phone.
	short := d.code
	if r := []rune(short); len(r) > 40 {
		short = string(r[:24]) + " … " + string(r[len(r)-12:])
	}
	codeText := widget.NewLabel(fmt.Sprintf(lang.L("boards.sync.codeShort"), short, len(d.code)))
	codeText.Wrapping = fyne.TextWrapBreak
	copyCode := widget.NewButtonWithIcon(lang.L("boards.sync.copyCode"), theme.ContentCopyIcon(), func() {
		s.u.App().Clipboard().SetContent(s.code)
		s.pairMsg.SetText(lang.L("boards.sync.copied"))
	})
	copyCode.Importance = widget.HighImportance
	saveCode := widget.NewButtonWithIcon(lang.L("boards.sync.saveCode"), theme.DocumentSaveIcon(), s.saveCodeFile)
	side := []fyne.CanvasObject{kit.StatusLabel(lang.L("boards.sync.myCodeHint")), codeText, container.NewHBox(copyCode, saveCode)}
	if s.u.Store().Role() == store.RoleStation {
		side = append(side, widget.NewForm(widget.NewFormItem(lang.L("boards.sync.address"),
			container.NewVBox(s.address, kit.StatusLabel(lang.L("boards.sync.addressNote"))))))
	}
	mine := []fyne.CanvasObject{container.NewBorder(nil, nil, qr, nil, container.NewVBox(side...))}
	pairBtn := widget.NewButtonWithIcon(lang.L("boards.sync.pair"), theme.ConfirmIcon(), func() { s.startPair(s.codeIn.Text) })
	pairBtn.Importance = widget.HighImportance
	fromFile := widget.NewButtonWithIcon(lang.L("boards.sync.codeFromFile"), theme.FolderOpenIcon(), s.openCodeFile)
	out := []fyne.CanvasObject{
		widget.NewCard(lang.L("boards.sync.myCode"), "", container.NewVBox(mine...)),
		widget.NewCard(lang.L("boards.sync.theirCode"), lang.L("boards.sync.theirCodeHint"),
			container.NewVBox(s.codeIn, container.NewHBox(pairBtn, fromFile), s.pairMsg)),
		kit.Heading(lang.L("sync.peers")),
	}
	if len(d.peers) == 0 {
		out = append(out, kit.StatusLabel(lang.L("sync.noPeers")))
	}
	for _, p := range d.peers {
		p := p
		unpair := widget.NewButtonWithIcon(lang.L("boards.sync.unpair"), theme.DeleteIcon(), func() { s.startUnpair(p) })
		unpair.Importance = widget.DangerImportance
		info := widget.NewLabel(kit.JoinNonEmpty(p.Name, peerRole(p.Role), p.DeviceID, fmt.Sprintf(lang.L("boards.sync.pairedAt"), p.PairedAt)))
		info.Wrapping = fyne.TextWrapWord
		out = append(out, container.NewBorder(nil, nil, nil, unpair, info))
	}
	return out
}

// startPair reads the other device's code, asks the user to check who it
// is, and pairs.
func (s *syncScreen) startPair(text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		s.pairMsg.SetText(lang.L("boards.sync.pasteFirst"))
		return
	}
	c, err := identity.ParseCode(text)
	if err != nil {
		s.pairMsg.SetText(lang.L("boards.sync.badCode") + "\n" + err.Error())
		return
	}
	if c.DeviceID.String() == s.u.Store().DeviceID() {
		s.pairMsg.SetText(lang.L("boards.sync.ownCode"))
		return
	}
	text = fmt.Sprintf(lang.L("boards.sync.confirmPair"), c.Name, peerRole(c.Role), c.DeviceID.String())
	if len(c.Addresses) > 0 {
		text += "\n" + lang.L("boards.sync.address") + "：" + strings.Join(c.Addresses, lang.L("list.sep"))
	}
	s.confirm(lang.L("boards.sync.pair"), text, func() {
		s.u.GoBG(func(ctx context.Context) {
			e, err := s.engine(ctx)
			var p store.Peer
			if err == nil {
				p, err = e.Pair(ctx, c)
			}
			s.u.Do(func() {
				if err != nil {
					s.u.ShowError(lang.L("boards.sync.pairFailed"), err)
					return
				}
				s.codeIn.SetText("")
				s.pairMsg.SetText(fmt.Sprintf(lang.L("boards.sync.paired"), p.Name))
				s.Refresh()
			})
		})
	})
}

// startUnpair asks before revoking a device: it will be refused until
// paired again.
func (s *syncScreen) startUnpair(p store.Peer) {
	s.confirm(lang.L("boards.sync.unpair"), fmt.Sprintf(lang.L("boards.sync.confirmUnpair"), p.Name, p.DeviceID), func() {
		s.u.GoBG(func(ctx context.Context) {
			err := s.u.Store().RevokePeer(ctx, p.DeviceID)
			s.u.Do(func() {
				if err != nil {
					s.u.ShowError(lang.L("error.save"), err)
					return
				}
				s.pairMsg.SetText(fmt.Sprintf(lang.L("boards.sync.unpaired"), p.Name))
				s.Refresh()
			})
		})
	})
}

// setAddress keeps where a station listens and remakes its code.
func (s *syncScreen) setAddress(v string) {
	v = strings.TrimSpace(v)
	if v != "" {
		if err := identity.CheckAddress(v); err != nil {
			s.pairMsg.SetText(lang.L("boards.sync.badAddress") + "\n" + err.Error())
			return
		}
	}
	s.u.Settings().Prefs().SetString(prefOwnAddress, v)
	s.Refresh()
}

// saveCodeFile writes this device's code to a text file (to carry on a
// USB stick to a device that cannot scan).
func (s *syncScreen) saveCodeFile() {
	code := s.code
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			s.u.ShowError(lang.L("error.save"), err)
			return
		}
		if w == nil {
			return
		}
		_, err = w.Write([]byte(code + "\n"))
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			s.u.ShowError(lang.L("error.save"), err)
			return
		}
		s.pairMsg.SetText(fmt.Sprintf(lang.L("boards.out.saved"), w.URI().Path()))
	}, s.u.Window())
	d.SetFileName(kit.SafeFileName(lang.L("boards.sync.codeFile"), shortID(s.u.Store().DeviceID())) + ".txt")
	d.Resize(fyne.NewSize(860, 580))
	d.Show()
}

// openCodeFile reads the other device's code from a file.
func (s *syncScreen) openCodeFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			s.u.ShowError(lang.L("error.load"), err)
			return
		}
		if r == nil {
			return
		}
		data, rerr := io.ReadAll(io.LimitReader(r, maxCodeFileSize+1))
		if cerr := r.Close(); rerr == nil {
			rerr = cerr
		}
		if rerr != nil {
			s.u.ShowError(lang.L("error.load"), rerr)
			return
		}
		s.codeIn.SetText(strings.TrimSpace(string(data)))
		s.startPair(s.codeIn.Text)
	}, s.u.Window())
	d.Resize(fyne.NewSize(860, 580))
	d.Show()
}

// buildExchange lays out the exchange-folder tab.
func (s *syncScreen) buildExchange() {
	pick := widget.NewButtonWithIcon(lang.L("boards.backup.pick"), theme.FolderOpenIcon(), func() {
		s.chooseDir(func(dir string) { s.exchDir.SetText(dir) })
	})
	s.exch.Objects = []fyne.CanvasObject{
		kit.StatusLabel(lang.L("boards.sync.exchIntro")),
		container.NewBorder(nil, nil, nil, pick, s.exchDir),
		container.NewHBox(s.exchBtn),
		s.exchMsg,
	}
}

// runExchange imports what the folder holds and writes what the other
// side lacks, then says what happened.
func (s *syncScreen) runExchange() {
	dir := strings.TrimSpace(s.exchDir.Text)
	if dir == "" {
		s.exchMsg.SetText(lang.L("boards.sync.exchNeedDir"))
		return
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		s.exchMsg.SetText(fmt.Sprintf(lang.L("boards.backup.noDir"), dir))
		return
	}
	s.u.Settings().Prefs().SetString(prefExchangeDir, dir)
	s.exchBtn.Disable()
	s.exchMsg.SetText(lang.L("boards.sync.exchWorking"))
	s.u.GoBG(func(ctx context.Context) {
		e, err := s.engine(ctx)
		var rep exchange.Report
		if err == nil {
			rep, err = exchange.Once(ctx, e, dir)
		}
		s.u.Do(func() {
			s.exchBtn.Enable()
			if err != nil {
				s.exchMsg.SetText("")
				s.u.ShowError(lang.L("boards.sync.exchFailed"), err)
				return
			}
			s.exchMsg.SetText(exchangeWords(rep))
			s.Refresh()
		})
	})
}

// exchangeWords sums up an exchange for the user.
func exchangeWords(r exchange.Report) string {
	o := r.Imported.Outcomes
	lines := []string{
		fmt.Sprintf(lang.L("boards.sync.exchRead"), r.Imported.Files, o[cjsync.Applied], r.Imported.Changes),
		fmt.Sprintf(lang.L("boards.sync.exchWrote"), r.Cut, r.Written),
	}
	if n := o[cjsync.Duplicate] + o[cjsync.Own] + o[cjsync.NotForUs] + o[cjsync.Ignored]; n > 0 {
		lines = append(lines, fmt.Sprintf(lang.L("boards.sync.exchSkipped"), n))
	}
	if n := o[cjsync.Waiting]; n > 0 {
		lines = append(lines, fmt.Sprintf(lang.L("boards.sync.waitingIn"), n))
	}
	if n := o[cjsync.Rejected] + r.Imported.Refused; n > 0 {
		lines = append(lines, fmt.Sprintf(lang.L("boards.sync.rejected"), n))
	}
	if len(r.Pending) > 0 {
		lines = append(lines, fmt.Sprintf(lang.L("boards.sync.exchPending"), len(r.Pending)))
	}
	return strings.Join(lines, "\n")
}

// rejectsView lists refused files, newest first, with their reasons.
func rejectsView(rs []store.Reject) []fyne.CanvasObject {
	out := []fyne.CanvasObject{kit.StatusLabel(lang.L("boards.sync.rejectsIntro"))}
	if len(rs) == 0 {
		return append(out, widget.NewLabel(lang.L("boards.sync.noRejects")))
	}
	for _, r := range rs {
		head := widget.NewLabelWithStyle(kit.JoinWith("  ", r.At, r.File), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		head.Wrapping = fyne.TextWrapBreak
		why := widget.NewLabel(lang.L("boards.sync.reason") + r.Reason)
		why.Wrapping = fyne.TextWrapWord
		why.Importance = widget.WarningImportance
		from := kit.StatusLabel(kit.JoinNonEmpty(lang.L("boards.sync.carrierWord")+r.Carrier, shortID(r.Origin)))
		out = append(out, container.NewVBox(head, why, from, widget.NewSeparator()))
	}
	return out
}

// conflictsView lists the edits that lost to a concurrent edit, for a
// person to look at.
func (s *syncScreen) conflictsView(d syncData) []fyne.CanvasObject {
	open := 0
	for _, c := range d.conflicts {
		if !c.Reviewed {
			open++
		}
	}
	out := []fyne.CanvasObject{kit.Heading(fmt.Sprintf(lang.L("sync.conflicts"), open))}
	if len(d.conflicts) == 0 {
		out = append(out, kit.StatusLabel(lang.L("sync.noConflicts")))
	}
	by := s.u.Actor()
	for _, c := range d.conflicts {
		out = append(out, s.conflictRow(c, by))
	}
	return out
}

// conflictRow says which value lost and which won, in words; an
// unreviewed one has a button to mark it looked at.
func (s *syncScreen) conflictRow(c store.Conflict, by string) fyne.CanvasObject {
	text := fmt.Sprintf(lang.L("sync.conflictText"), kit.CodeWord("table", c.Table), c.Field, c.Value, c.Winner)
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	if c.Reviewed {
		l.Importance = widget.LowImportance
		return container.NewBorder(nil, nil, nil, kit.StatusLabel(lang.L("sync.reviewed")), l)
	}
	var btn *widget.Button
	btn = widget.NewButton(lang.L("sync.markReviewed"), func() {
		btn.Disable()
		s.u.GoBG(func(ctx context.Context) {
			err := s.u.Store().MarkReviewed(ctx, c, by)
			s.u.Do(func() {
				if err != nil {
					btn.Enable()
					s.u.ShowError(lang.L("error.save"), err)
					return
				}
				s.Refresh()
			})
		})
	})
	return container.NewBorder(nil, nil, nil, btn, l)
}

// dashboardView is the station's township view: totals first, then one
// card per post with its freshness (stale posts stand out).
func dashboardView(t station.Township, now time.Time) []fyne.CanvasObject {
	tot := t.Total
	tiles := container.NewGridWrap(fyne.NewSize(170, 120),
		kit.Tile(lang.L("stats.houses"), tot.Houses), kit.Tile(lang.L("stats.households"), tot.Households),
		kit.Tile(lang.L("stats.residents"), tot.Residents),
		kit.Tile(fmt.Sprintf(lang.L("boards.dash.patrolsOf"), t.TotalPlan.Planned), t.TotalPlan.Done),
		kit.Tile(lang.L("boards.dash.boards"), tot.BoardsPrint))
	out := []fyne.CanvasObject{
		kit.Heading(fmt.Sprintf(lang.L("boards.dash.township"), len(t.Posts))),
		kit.StatusLabel(fmt.Sprintf(lang.L("boards.dash.range"), t.TotalPlan.From, t.TotalPlan.To)),
		tiles,
		widget.NewLabel(categoryWords(tot)),
	}
	if len(t.StalePosts) > 0 {
		w := widget.NewLabel(fmt.Sprintf(lang.L("boards.dash.stale"), len(t.StalePosts)))
		w.Importance = widget.DangerImportance
		w.Wrapping = fyne.TextWrapWord
		out = append(out, container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, w))
	}
	if len(t.Posts) == 0 {
		out = append(out, kit.StatusLabel(lang.L("boards.dash.noPosts")))
	}
	stale := map[string]bool{}
	for _, id := range t.StalePosts {
		stale[id] = true
	}
	for _, p := range t.Posts {
		out = append(out, postCard(p, stale[p.DeviceID], now))
	}
	return out
}

// categoryWords lists households by warning colour and category.
func categoryWords(st store.PostStats) string {
	var warn []string
	for _, w := range kit.Warnings {
		warn = append(warn, fmt.Sprintf("%s %d", lang.L(w.Key), st.ByWarning[w.V]))
	}
	var cats []string
	for _, list := range [][]kit.Value{kit.FilterCategories, kit.OtherCategories} {
		for _, c := range list {
			if n := st.ByCategory[c.V]; n > 0 {
				cats = append(cats, fmt.Sprintf("%s %d", lang.L(c.Key), n))
			}
		}
	}
	s := lang.L("boards.dash.byWarning") + strings.Join(warn, lang.L("list.sep"))
	if len(cats) > 0 {
		s += "\n" + lang.L("boards.dash.byCategory") + strings.Join(cats, lang.L("list.sep"))
	}
	return s
}

// postCard is one post on the dashboard.
func postCard(p station.PostView, stale bool, now time.Time) fyne.CanvasObject {
	st := p.Stats
	fresh := lang.L("boards.dash.noData")
	if p.Freshness >= 0 {
		fresh = durationWords(p.Freshness.Round(freshMinute))
	}
	freshL := widget.NewLabel(fmt.Sprintf(lang.L("boards.dash.fresh"), fresh, agoWords(p.LastContact, now)))
	if stale {
		freshL.Importance = widget.DangerImportance
		freshL.TextStyle = fyne.TextStyle{Bold: true}
	}
	// "0 of 0 planned (100%)" reads as a post doing everything asked of
	// it; with no roster the honest line is that nothing is planned.
	patrols := fmt.Sprintf(lang.L("boards.dash.patrolsNone"), p.Plan.AdHoc)
	if p.Plan.Planned > 0 {
		patrols = fmt.Sprintf(lang.L("boards.dash.patrols"), p.Plan.Done, p.Plan.Planned, int(p.Plan.Rate*100+0.5), p.Plan.AdHoc)
	}
	lines := []fyne.CanvasObject{
		freshL,
		widget.NewLabel(fmt.Sprintf(lang.L("boards.dash.counts"), st.Houses, st.Households, st.Residents)),
		widget.NewLabel(patrols),
		kit.StatusLabel(categoryWords(st)),
	}
	for _, pr := range p.Plan.Problems {
		l := widget.NewLabel(lang.L("boards.dash.planProblem") + pr)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		lines = append(lines, l)
	}
	venues := make([]string, 0, len(st.BoardsVenues))
	for v := range st.BoardsVenues {
		venues = append(venues, v)
	}
	sort.Strings(venues)
	if len(venues) == 0 {
		lines = append(lines, kit.StatusLabel(lang.L("boards.dash.noBoards")))
	} else {
		parts := make([]string, len(venues))
		for i, v := range venues {
			parts[i] = fmt.Sprintf("%s %d", v, st.BoardsVenues[v])
		}
		l := widget.NewLabel(fmt.Sprintf(lang.L("boards.dash.boardsAt"), st.BoardsPrint) + strings.Join(parts, lang.L("list.sep")))
		l.Wrapping = fyne.TextWrapWord
		lines = append(lines, l)
	}
	title := p.Name
	if stale {
		title = "⚠ " + title
	}
	return widget.NewCard(title, shortID(p.DeviceID), container.NewVBox(lines...))
}

// buildPublish lays out the station's publishing tab: cost items (the
// defaults the app ships, or the station's as confirmed), board templates
// and notices, saved and packed for the posts at once.
func (s *syncScreen) buildPublish() {
	items := widget.NewButtonWithIcon(lang.L("boards.pub.items"), theme.UploadIcon(), s.publishItems)
	items.Importance = widget.HighImportance
	tplName := widget.NewEntry()
	tplName.SetPlaceHolder(lang.L("boards.pub.tplNameHint"))
	tplLayout := widget.NewSelect([]string{lang.L("boards.tpl.table"), lang.L("boards.tpl.calculator"), lang.L("boards.tpl.poster")}, nil)
	tplLayout.SetSelectedIndex(0)
	tplTitle, tplSlogan := widget.NewEntry(), widget.NewEntry()
	tplTitle.SetText("打架成本警示牌")
	tplSlogan.SetText("遇事冷静 有话好说 动手必吃亏")
	tplBtn := widget.NewButtonWithIcon(lang.L("boards.pub.template"), theme.UploadIcon(), func() {
		layouts := []string{"table", "calculator", "poster"}
		layout := layouts[0]
		for i, o := range tplLayout.Options {
			if o == tplLayout.Selected {
				layout = layouts[i]
			}
		}
		if strings.TrimSpace(tplName.Text) == "" {
			s.pubMsg.SetText(lang.L("boards.pub.needName"))
			return
		}
		s.publishRecs(&store.BoardTemplate{Name: strings.TrimSpace(tplName.Text), Layout: layout,
			Title: strings.TrimSpace(tplTitle.Text), Slogan: strings.TrimSpace(tplSlogan.Text), Size: "a4"})
	})
	noticeBtn := widget.NewButtonWithIcon(lang.L("boards.pub.notice"), theme.UploadIcon(), func() {
		if strings.TrimSpace(s.noticeT.Text) == "" {
			s.pubMsg.SetText(lang.L("boards.pub.needTitle"))
			return
		}
		s.publishRecs(&store.Notice{Title: strings.TrimSpace(s.noticeT.Text), Body: strings.TrimSpace(s.noticeB.Text),
			PublishedAt: s.u.Now().Format("2006-01-02 15:04")})
	})
	s.noticeB.SetMinRowsVisible(4)
	s.publish.Objects = []fyne.CanvasObject{
		kit.StatusLabel(lang.L("boards.pub.intro")),
		s.pubMsg,
		widget.NewCard(lang.L("boards.costItems"), lang.L("boards.pub.itemsHint"), container.NewHBox(items)),
		widget.NewCard(lang.L("boards.pub.templates"), "", container.NewVBox(widget.NewForm(
			widget.NewFormItem(lang.L("boards.pub.tplName"), tplName),
			widget.NewFormItem(lang.L("boards.f.template"), tplLayout),
			widget.NewFormItem(lang.L("boards.f.title"), tplTitle),
			widget.NewFormItem(lang.L("boards.f.slogan"), tplSlogan),
		), container.NewHBox(tplBtn))),
		widget.NewCard(lang.L("boards.pub.notices"), "", container.NewVBox(widget.NewForm(
			widget.NewFormItem(lang.L("boards.pub.noticeTitle"), s.noticeT),
			widget.NewFormItem(lang.L("boards.pub.noticeBody"), s.noticeB),
		), container.NewHBox(noticeBtn))),
	}
}

// publishItems publishes the station's cost items; a station with none
// yet publishes the defaults the app ships (amounts still to confirm).
func (s *syncScreen) publishItems() {
	s.u.GoBG(func(ctx context.Context) {
		items, err := s.u.Store().CostItems(ctx)
		var recs []store.Record
		if err == nil {
			for i := range items {
				if items[i].Owner == s.u.Store().DeviceID() {
					recs = append(recs, &items[i])
				}
			}
			if len(recs) == 0 {
				recs, err = defaultItemRecords()
			}
		}
		s.u.Do(func() {
			if err != nil {
				s.u.ShowError(lang.L("boards.pub.failed"), err)
				return
			}
			s.publishRecs(recs...)
		})
	})
}

func (s *syncScreen) publishRecs(recs ...store.Record) {
	s.pubMsg.SetText(lang.L("boards.pub.working"))
	s.u.GoBG(func(ctx context.Context) {
		e, err := s.engine(ctx)
		var res cjsync.CutResult
		if err == nil {
			res, err = station.Publish(ctx, e, recs...)
		}
		s.u.Do(func() {
			if err != nil {
				s.pubMsg.SetText("")
				s.u.ShowError(lang.L("boards.pub.failed"), err)
				return
			}
			s.pubMsg.SetText(fmt.Sprintf(lang.L("boards.pub.done"), len(recs), len(res.Changesets)))
			s.Refresh()
			s.u.refreshPrinted()
		})
	})
}

// defaultItemRecords are the cost items the app ships, as records.
func defaultItemRecords() ([]store.Record, error) {
	items, err := assets.DefaultCostItems()
	if err != nil {
		return nil, fmt.Errorf("default cost items: %w", err)
	}
	recs := make([]store.Record, len(items))
	for i, it := range items {
		c := boardset.StoreItem(it)
		recs[i] = &c
	}
	return recs, nil
}
