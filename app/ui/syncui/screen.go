package syncui

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	syncwords "cunjing/app/lang/translations/sync"
	"cunjing/app/synconce"
	"cunjing/app/ui/kit"
	"cunjing/app/ui/kit/wrap"
	"cunjing/app/update"
	"cunjing/store"
	"cunjing/store/syncbook"
	"cunjing/store/tierdata"
	cjsync "cunjing/sync"
	"cunjing/sync/bep"
	"cunjing/sync/bep/servers"
	"cunjing/sync/exchange"
	"cunjing/sync/identity"
	"cunjing/sync/release"
	"cunjing/sync/station"
	"cunjing/sync/status"
)

// Preference keys of the sync screen.
const (
	prefExchangeDir = "exchange_dir"   // the USB folder last used
	prefOwnAddress  = "sync_address"   // host:port a station listens on, put in its code
	syncTimeout     = 2 * time.Minute  // per peer, for 立即同步
	syncLANWait     = 35 * time.Second // listening for the station on the LAN (it announces every 30 s)
	rejectsShown    = 100              // newest refused files listed
	qrPixels        = 300              // own pairing code as a QR image
	maxCodeFileSize = identity.MaxCodeLen
)

// Screen is 同步: this device's pairing code (QR and text), pairing and
// unpairing, the sync state in plain words with a button to sync now, the
// exchange folder for USB sticks, refused files with reasons, the edits
// that lost to a concurrent edit, and the tabs the shell adds (at a
// station the township dashboard and publishing).
type Screen struct {
	u     Env
	root  fyne.CanvasObject
	tabs  *container.AppTabs
	extra []Tab

	status    *fyne.Container
	pairing   *fyne.Container
	exch      *fyne.Container
	rejects   *fyne.Container
	conflicts *fyne.Container

	syncBtn *widget.Button
	// pairBtn leads to 配对 while this device is paired with nobody:
	// 立即同步 has nobody to reach until then.
	pairBtn  *widget.Button
	syncBusy *widget.ProgressBarInfinite
	syncMsg  *wrap.Label
	// syncDetail: the raw errors under syncMsg that it has no words for.
	syncDetail *widget.Label

	code   string // own pairing code
	codeIn *kit.Entry
	// reflowing: reflowCode is setting codeIn's text
	reflowing bool
	address   *kit.Entry
	pairMsg   *kit.Message
	// Syncthing servers beyond the LAN (one URL a line).
	discoIn   *kit.Entry
	relayIn   *kit.Entry
	serverMsg *kit.Message
	exchDir   *kit.Entry
	exchBtn   *widget.Button
	exchMsg   *wrap.Label

	// OnPeers, when set, is handed the paired devices each time 同步 has
	// read them (the shell's notice of a peer that forgot this device).
	OnPeers func([]syncbook.Peer)

	// loading: a read of the state runs; reloadAgain: Reload was asked
	// meanwhile.
	loading, reloadAgain bool

	// Dialogs, replaced in tests.
	confirm   func(title, text string, ok func())
	chooseDir func(then func(dir string))
	// startInstaller starts a release's installer; quit closes cunjing so
	// the installer can replace it (both replaced in tests).
	startInstaller update.Runner
	quit           func()
	updateMsg      *kit.Message
	// releaseKeys are the keys a release must be signed by (the built-in
	// ones; tests sign with their own).
	releaseKeys func() ([]ed25519.PublicKey, error)
}

// Tab is a tab another area adds to 同步 (the station's township dashboard
// and publishing); 同步 refreshes it whenever it refreshes itself.
type Tab interface {
	TabItem() *container.TabItem
	Refresh()
}

// New builds 同步 in env u with the extra tabs after its own, and loads
// the sync state.
func New(u Env, extra ...Tab) *Screen {
	s := &Screen{u: u, extra: extra,
		status: container.NewVBox(), pairing: container.NewVBox(), exch: container.NewVBox(),
		rejects: container.NewVBox(), conflicts: container.NewVBox(),
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
	s.startInstaller = update.Start
	s.releaseKeys = update.Keys
	s.quit = func() { u.App().Quit() }
	s.updateMsg = kit.NewMessage()
	s.chooseDir = func(then func(string)) {
		kit.FolderPath(u.Window(), "", fyne.NewSize(860, 580), then)
	}

	s.syncBtn = widget.NewButtonWithIcon(lang.L("sync.now"), theme.ViewRefreshIcon(), s.syncNow)
	s.syncBtn.Importance = widget.HighImportance
	s.pairBtn = widget.NewButtonWithIcon(lang.L("sync.goPair"), theme.AccountIcon(), func() { s.ShowTab(tabPair) })
	s.pairBtn.Importance = widget.HighImportance
	s.syncBusy = widget.NewProgressBarInfinite()
	s.syncBusy.Stop()
	s.syncBusy.Hide()
	s.syncMsg = kit.StatusLabel("")
	// The raw text of a failure 立即同步 has no words for, in small print
	// under them (synconce.Cause).
	s.syncDetail = widget.NewLabel("")
	s.syncDetail.Wrapping = fyne.TextWrapWord
	s.syncDetail.Importance = widget.LowImportance
	s.syncDetail.SizeName = theme.SizeNameCaptionText
	s.syncDetail.Hide()

	s.codeIn = kit.NewMultiLineEntry()
	s.codeIn.Wrapping = fyne.TextWrapOff
	s.codeIn.OnChanged = s.reflowCode
	s.codeIn.SetPlaceHolder(lang.L("sync.pasteHint"))
	s.codeIn.SetMinRowsVisible(3)
	s.address = kit.NewEntry()
	s.address.SetPlaceHolder(lang.L("sync.addressHint"))
	s.address.SetText(u.Prefs().String(prefOwnAddress))
	s.address.OnSubmitted = func(v string) { s.setAddress(v) }
	s.pairMsg = kit.NewMessage()
	s.discoIn, s.relayIn = kit.NewMultiLineEntry(), kit.NewMultiLineEntry()
	s.discoIn.SetPlaceHolder("https://192.168.1.10:8443/?id=…")
	s.relayIn.SetPlaceHolder("relay://192.168.1.10:22067/?id=…")
	for _, e := range []*kit.Entry{s.discoIn, s.relayIn} {
		e.Wrapping = fyne.TextWrapBreak
		e.SetMinRowsVisible(2)
	}
	s.serverMsg = kit.NewMessage()

	s.exchDir = kit.NewEntry()
	s.exchDir.SetPlaceHolder(lang.L("sync.exchHint"))
	s.exchDir.SetText(u.Prefs().String(prefExchangeDir))
	s.exchBtn = widget.NewButtonWithIcon(lang.L("sync.exchRun"), theme.MailSendIcon(), s.runExchange)
	s.exchBtn.Importance = widget.HighImportance
	s.exchMsg = kit.StatusLabel("")

	pad := func(o fyne.CanvasObject) fyne.CanvasObject { return kit.NewFormScroll(container.NewPadded(o)) }
	s.buildExchange()
	tabs := container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("sync.tabStatus"), theme.InfoIcon(), pad(s.status)),
		container.NewTabItemWithIcon(lang.L("sync.tabPair"), theme.AccountIcon(), pad(s.pairing)), // tabPair
		container.NewTabItemWithIcon(lang.L("sync.tabExchange"), theme.StorageIcon(), pad(s.exch)),
		container.NewTabItemWithIcon(lang.L("sync.tabRejects"), theme.WarningIcon(), pad(s.rejects)),
		container.NewTabItemWithIcon(lang.L("sync.tabConflicts"), theme.QuestionIcon(), pad(s.conflicts)),
	)
	for _, t := range extra {
		tabs.Append(t.TabItem())
	}
	s.tabs = tabs
	s.root = container.NewBorder(container.NewPadded(kit.Heading(lang.L("nav.sync"))), nil, nil, nil, tabs)
	s.Refresh()
	return s
}

func (s *Screen) Object() fyne.CanvasObject { return s.root }

// TabPair is the index of the pairing tab (the shell opens it for a
// peer that forgot this device).
const TabPair = 1

// CurrentTab is the index of the tab shown, counted from 0.
func (s *Screen) CurrentTab() int { return s.tabs.SelectedIndex() }

// tabPair is the index of 配对 among 同步's tabs.
const tabPair = 1

// TabCount is how many tabs 同步 has (a station has two more).
func (s *Screen) TabCount() int { return len(s.tabs.Items) }

// ShowTab selects the i-th tab, counted from 0; an index out of range
// changes nothing.
func (s *Screen) ShowTab(i int) {
	if i >= 0 && i < len(s.tabs.Items) {
		s.tabs.SelectIndex(i)
	}
}

type syncData struct {
	self      store.Post
	counts    store.Counts
	conflicts []store.Conflict
	rejects   []syncbook.Reject
	peers     []syncbook.Peer
	servers   servers.List
	// published: servers this device's stations publish to it (a post);
	// publishing: the ones it publishes (a station).
	published  []store.NetServer
	publishing []store.NetServer
	// offer: a newer release the station carried here (a post); refused:
	// releases carried here that did not pass the checks.
	offer   *update.Offer
	refused []update.Refused
	engErr  error
	status  status.Summary
	code    string
	short   string // the short code (read over the phone)
	qr      image.Image
}

func (s *Screen) Refresh() {
	s.read(true)
	for _, t := range s.extra {
		t.Refresh()
	}
}

// Reload reads the sync state again because the database changed under
// the open screen (another program on the file — a `cunjing node` in the
// background, `cunjing sync --once` — or this window's own sync: the
// shell's watch, app/ui/shell_forgotten.go). Reloads asked while one
// runs are one more, run when it ends; one that fails leaves the screen
// as it was, without a dialog (the next Refresh says the error).
func (s *Screen) Reload() {
	if s.loading {
		s.reloadAgain = true
		return
	}
	s.read(false)
}

// read loads the state and shows it; a failure is said in the error
// dialog when loud.
func (s *Screen) read(loud bool) {
	address := strings.TrimSpace(s.address.Text)
	var d syncData
	s.loading = true
	done := func() {
		s.loading = false
		if s.reloadAgain {
			s.reloadAgain = false
			s.read(false)
		}
	}
	kit.Run(s.u, func(ctx context.Context) (err error) {
		d, err = s.load(ctx, address)
		return err
	}, func(err error) {
		if loud {
			s.u.ShowError(lang.L("error.load"), err)
		}
		done()
	}, func() {
		s.show(d)
		done()
	})
}

func (s *Screen) load(ctx context.Context, address string) (syncData, error) {
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
	if d.rejects, err = st.SyncBook().Rejects(ctx, rejectsShown); err != nil {
		return d, err
	}
	if d.peers, err = st.SyncBook().Peers(ctx, false); err != nil {
		return d, err
	}
	if d.servers, err = servers.Local(ctx, st.SyncBook()); err != nil {
		return d, err
	}
	if d.published, err = tierdata.PublishedServers(ctx, st); err != nil {
		return d, err
	}
	if st.Role() == store.RoleStation {
		if d.publishing, err = tierdata.OwnServers(ctx, st); err != nil {
			return d, err
		}
	} else {
		keys, err := s.releaseKeys()
		if err != nil {
			return d, err
		}
		if d.offer, d.refused, err = update.Find(ctx, st, keys, s.platform()); err != nil {
			return d, err
		}
	}
	e, eerr := s.u.Engine(ctx)
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
	// The QR carries the short code: version 4, coarse enough for a
	// phone photo of the screen. The long code stays on the buttons (a
	// post that only ever syncs by USB pairs with it or its file).
	sc, _, err := e.ShortCodes().Code(ctx)
	if err != nil {
		return d, fmt.Errorf("own short pairing code: %w", err)
	}
	d.short = sc.String()
	if d.qr, err = identity.ShortQR(sc, qrPixels); err != nil {
		return d, fmt.Errorf("own pairing code as QR: %w", err)
	}
	return d, nil
}

func (s *Screen) show(d syncData) {
	s.code = d.code
	s.status.Objects = s.statusView(d)
	s.status.Refresh()
	s.pairing.Objects = s.pairingView(d)
	s.pairing.Refresh()
	s.rejects.Objects = rejectsView(d.rejects, d.status.SettledWords)
	s.rejects.Refresh()
	s.conflicts.Objects = s.conflictsView(d)
	s.conflicts.Refresh()
	if s.OnPeers != nil {
		s.OnPeers(d.peers)
	}
}

// statusView is the sync state in plain words: what waits to go out and
// to come in, what each paired device has received, the sync-now button,
// then per paired device the details, and last, under 本机, this
// device's own card and ID.
func (s *Screen) statusView(d syncData) []fyne.CanvasObject {
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
	if d.engErr != nil {
		out := []fyne.CanvasObject{me}
		l := widget.NewLabel(lang.L("sync.noEngine") + "\n" + d.engErr.Error())
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
	// Where things stand comes first, with what each paired post or
	// station has received of what was made here: the line a person
	// looks for after carrying a stick.
	now := s.u.Now()
	out := []fyne.CanvasObject{kit.Heading(lang.L("sync.state"))}
	for _, line := range statusWords(d.status) {
		l := widget.NewLabel(line)
		l.Wrapping = fyne.TextWrapWord
		out = append(out, l)
	}
	// A pairing a restore lost has no card below (the database no longer
	// knows the device), and the other side still holds this one: said
	// here, with what to do.
	var lost []string
	for _, l := range d.status.Lost {
		lost = append(lost, status.LostWords(l))
	}
	out = append(out, kit.WarningLines(lost)...)
	// Peers nothing was made for yet are named in one line, not a line
	// each (a dozen at a township station).
	var nothingYet []string
	for _, p := range d.status.Peers {
		if !syncwords.Acks(p) {
			continue
		}
		if p.AckThrough == "" && p.Unacknowledged == 0 && p.LastCause != status.CauseForgotten {
			nothingYet = append(nothingYet, syncwords.Who(windowL, d.status.Role, p.Role, p.Name))
			continue
		}
		out = append(out, ackLabel(d.status.Role, p, now))
	}
	if len(nothingYet) > 0 {
		out = append(out, kit.AckLabel(strings.Join(nothingYet, lang.L("sync.nameSep")), "", 0, "", now, station.StaleAfter))
	}
	noPeers := syncwords.NoPeers(windowL, d.status)
	actions := container.NewHBox(s.syncBtn)
	s.syncBtn.Importance = widget.HighImportance
	if noPeers != "" {
		// Nobody to sync with yet: 配对 first, 立即同步 (which only packs)
		// beside it.
		actions = container.NewHBox(s.pairBtn, s.syncBtn)
		s.syncBtn.Importance = widget.MediumImportance
	}
	s.syncBtn.Refresh()
	out = append(out, actions, s.syncBusy, s.syncMsg, s.syncDetail)
	out = append(out, s.releaseView(d)...)
	out = append(out, kit.Heading(lang.L("sync.peers")))
	if noPeers != "" {
		out = append(out, kit.StatusLabel(noPeers))
	}
	for _, p := range d.status.Peers {
		out = append(out, peerCard(p, now))
	}
	// This device's own card under a heading of its own: below 已配对的设备
	// alone it read as a device this one is paired with.
	return append(out, kit.Heading(lang.L("sync.self")), me)
}

// statusWords says the engine's numbers as sentences, as the command
// line's status begins (syncwords.State): what is packed, received,
// acknowledged by all, waiting, refused, and what an older station's
// broadcast left here and this post removed or did not keep
// (store/migrations/0025, sync/admit).
func statusWords(st status.Summary) []string { return syncwords.State(windowL, st) }

// windowL is Fyne's lang.L as syncwords takes it: the sentences 同步
// shares with the command line, in the window's language.
func windowL(key string) string { return lang.L(key) }

// ackLabel is what the peer p has received of what this device
// (selfRole) made for it, in the words of the command line's status
// (syncwords.Received): green when it has everything, orange while what
// waits for it is older than the station's limit, red once it forgot
// this device (what it acknowledged before no longer counts).
func ackLabel(selfRole string, p status.Peer, now time.Time) fyne.CanvasObject {
	if p.LastCause == status.CauseForgotten {
		l := kit.Wrapped(syncwords.Received(windowL, selfRole, p, now.Location()))
		l.Importance = widget.DangerImportance
		return l
	}
	return kit.AckLabel(syncwords.Who(windowL, selfRole, p.Role, p.Name), p.AckThrough, p.Unacknowledged, p.WaitingSince, now, station.StaleAfter)
}

// peerCard is one paired device: when it was last reached, what waits to
// come from it, bytes moved over the network and on sticks, and the last
// problem, a line each as the command line's status says them
// (syncwords); what it has received of what was made here is said above,
// with where things stand.
func peerCard(p status.Peer, now time.Time) fyne.CanvasObject {
	lines := []fyne.CanvasObject{widget.NewLabel(syncwords.Contact(windowL, p, now))}
	if w := syncwords.Path(windowL, p.LastPath); w != "" {
		lines = append(lines, kit.StatusLabel(w))
	}
	if w := syncwords.Fetch(windowL, p.ToFetch); w != "" {
		lines = append(lines, widget.NewLabel(w))
	}
	lines = append(lines, kit.StatusLabel(syncwords.Bytes(windowL, p.BytesIn, p.BytesOut)))
	if w := syncwords.Problem(windowL, p); w != "" {
		// In the words 立即同步 uses (what happened, what to do); Go's
		// text only under them, for a cause not known.
		l := kit.Wrapped(w)
		l.Importance = widget.WarningImportance
		lines = append(lines, l)
		if raw := syncwords.Raw(p); raw != "" {
			lines = append(lines, kit.DetailFold(errors.New(raw)))
		}
	}
	// What keeps it apart, in sync's words as the command line says them:
	// its clock, a pause of its sessions, files past what is excused.
	lines = append(lines, kit.WarningLines(append([]string{p.Clock, p.Paused, p.OverExcused}, p.Divergences...))...)
	return widget.NewCard(p.Name, kit.JoinNonEmpty(peerRole(p.Role), kit.ShortID(p.DeviceID)), container.NewVBox(lines...))
}

// pairRoleWords says in Chinese why two devices may not pair: which
// roles this one pairs with, or the county a station has already.
func pairRoleWords(e *cjsync.PairRoleError) string {
	if e.County != "" {
		return fmt.Sprintf(lang.L("sync.pairOneCounty"), e.County)
	}
	var with []string
	for _, r := range cjsync.PairsWith(e.Self) {
		with = append(with, peerRole(r))
	}
	return fmt.Sprintf(lang.L("sync.pairWrongRole"), peerRole(e.Self), strings.Join(with, lang.L("sync.roleOr")), peerRole(e.Peer))
}

func peerRole(role string) string { return syncwords.Role(windowL, role) }

// syncNow packs new changes and exchanges with every paired device that
// can be dialled.
func (s *Screen) syncNow() {
	s.syncBtn.Disable()
	s.syncBusy.Show()
	s.syncBusy.Start()
	kit.SetWrapped(s.syncMsg, lang.L("sync.working"))
	s.setSyncDetail(nil)
	s.u.GoBG(func(ctx context.Context) {
		lines, details, err := s.runSync(ctx)
		s.u.Do(func() {
			s.syncBtn.Enable()
			s.syncBusy.Stop()
			s.syncBusy.Hide()
			if err != nil {
				kit.SetWrapped(s.syncMsg, "")
				s.u.ShowError(lang.L("sync.failed"), err)
				return
			}
			kit.SetWrapped(s.syncMsg, strings.Join(lines, "\n"))
			s.setSyncDetail(details)
			s.Refresh()
		})
	})
}

// setSyncDetail shows details in small print under 立即同步's lines (none:
// hidden).
func (s *Screen) setSyncDetail(details []string) {
	kit.Relaid(s.syncDetail, func() {
		s.syncDetail.SetText(strings.Join(details, "\n"))
		if len(details) == 0 {
			s.syncDetail.Hide()
		} else {
			s.syncDetail.Show()
		}
	})
}

func (s *Screen) runSync(ctx context.Context) (lines, details []string, err error) {
	e, err := s.u.Engine(ctx)
	if err != nil {
		return nil, nil, err
	}
	// A post also looks for its station on the LAN (Syncthing's local
	// discovery) when it has no address for it.
	var lan *bep.LAN
	if s.u.Store().Role() == store.RolePost {
		if lan, err = bep.NewLAN(e.Identity().DeviceID, bep.LANPort, nil); err != nil {
			return nil, nil, err
		}
		lctx, stop := context.WithCancel(ctx)
		lanDone := make(chan error, 1)
		go func() { lanDone <- lan.Run(lctx) }()
		defer func() { stop(); <-lanDone }()
	}
	rep, err := synconce.RunLAN(ctx, e, syncTimeout, lan, syncLANWait)
	if err != nil {
		return nil, nil, err
	}
	lines = []string{fmt.Sprintf(lang.L("sync.packed"), rep.Cut.Changes, len(rep.Cut.Changesets))}
	for _, se := range rep.Sessions {
		l, d := se.Lines(words)
		lines = append(lines, l...)
		details = append(details, d...)
	}
	if len(rep.Sessions) == 0 {
		lines = append(lines, lang.L("sync.nobodyToDial"))
	}
	return lines, details, nil
}

// pairingView shows this device's code (QR and text) and the box for the
// other device's code, then the paired devices with unpair buttons.
func (s *Screen) pairingView(d syncData) []fyne.CanvasObject {
	if d.engErr != nil {
		l := widget.NewLabel(lang.L("sync.noEngine"))
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
	codeText := widget.NewLabel(fmt.Sprintf(lang.L("sync.codeShort"), short, len(d.code)))
	codeText.Wrapping = fyne.TextWrapBreak
	copyCode := widget.NewButtonWithIcon(lang.L("sync.copyCode"), theme.ContentCopyIcon(), func() {
		s.u.App().Clipboard().SetContent(s.code)
		s.pairMsg.SetText(lang.L("sync.copied"))
	})
	copyCode.Importance = widget.HighImportance
	saveCode := widget.NewButtonWithIcon(lang.L("sync.saveCode"), theme.DocumentSaveIcon(), s.saveCodeFile)
	shortText := widget.NewLabel(fmt.Sprintf(lang.L("sync.shortCode"), d.short))
	shortText.Wrapping = fyne.TextWrapBreak
	side := []fyne.CanvasObject{kit.StatusLabel(lang.L("sync.myCodeHint")), shortText, codeText, container.NewHBox(copyCode, saveCode)}
	if s.u.Store().Role() != store.RolePost { // a station and a county listen
		side = append(side, widget.NewForm(widget.NewFormItem(lang.L("sync.address"),
			container.NewVBox(s.address, kit.StatusLabel(lang.L("sync.addressNote"))))))
	}
	mine := []fyne.CanvasObject{container.NewBorder(nil, nil, qr, nil, container.NewVBox(side...))}
	pairBtn := widget.NewButtonWithIcon(lang.L("sync.pair"), theme.ConfirmIcon(), func() { s.startPair(s.codeIn.Text) })
	pairBtn.Importance = widget.HighImportance
	fromFile := widget.NewButtonWithIcon(lang.L("sync.codeFromFile"), theme.FolderOpenIcon(), s.openCodeFile)
	out := []fyne.CanvasObject{
		widget.NewCard(lang.L("sync.myCode"), "", container.NewVBox(mine...)),
		widget.NewCard(lang.L("sync.theirCode"), lang.L("sync.theirCodeHint"),
			container.NewVBox(s.codeIn, container.NewHBox(pairBtn, fromFile), s.pairMsg)),
		s.serversCard(d.servers, d.published, d.publishing),
		kit.Heading(lang.L("sync.peers")),
	}
	if len(d.peers) == 0 && len(d.status.Lost) == 0 {
		out = append(out, kit.StatusLabel(lang.L("sync.noPeers")))
	}
	// A pairing a restore lost: pair again above, or unpair it on purpose.
	for _, l := range d.status.Lost {
		p := syncbook.Peer{DeviceID: l.Peer, Name: l.Name, Role: l.Role}
		if p.Name == "" {
			p.Name = kit.ShortID(l.Peer)
		}
		unpair := widget.NewButtonWithIcon(lang.L("sync.unpair"), theme.DeleteIcon(), func() { s.startUnpair(p) })
		unpair.Importance = widget.DangerImportance
		out = append(out, container.NewBorder(nil, nil, nil, unpair, container.NewVBox(kit.WarningLines([]string{status.LostWords(l)})...)))
	}
	for _, p := range d.peers {
		p := p
		unpair := widget.NewButtonWithIcon(lang.L("sync.unpair"), theme.DeleteIcon(), func() { s.startUnpair(p) })
		unpair.Importance = widget.DangerImportance
		info := widget.NewLabel(kit.JoinNonEmpty(p.Name, peerRole(p.Role), p.DeviceID, fmt.Sprintf(lang.L("sync.pairedAt"), p.PairedAt)))
		info.Wrapping = fyne.TextWrapWord
		out = append(out, container.NewBorder(nil, nil, nil, unpair, info))
	}
	return out
}

// startPair reads the other device's code, asks the user to check who it
// is, and pairs.
func (s *Screen) startPair(text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		s.pairMsg.SetText(lang.L("sync.pasteFirst"))
		return
	}
	if up := strings.ToUpper(text); strings.HasPrefix(up, "CJP-") || strings.HasPrefix(up, "CJP ") {
		s.startPairShort(text)
		return
	}
	c, err := identity.ParseCode(text)
	if err != nil {
		s.pairMsg.SetError(lang.L("sync.badCode"), err)
		return
	}
	if c.DeviceID.String() == s.u.Store().DeviceID() {
		s.pairMsg.SetText(lang.L("sync.ownCode"))
		return
	}
	if me := s.u.Store().Role(); !slices.Contains(cjsync.PairsWith(me), c.Role) {
		s.pairMsg.SetText(pairRoleWords(&cjsync.PairRoleError{Self: me, Peer: c.Role}))
		return
	}
	text = fmt.Sprintf(lang.L("sync.confirmPair"), c.Name, peerRole(c.Role), c.DeviceID.String())
	if len(c.Addresses) > 0 {
		text += "\n" + lang.L("sync.address") + "：" + strings.Join(c.Addresses, lang.L("list.sep"))
	}
	s.confirm(lang.L("sync.pair"), text, func() {
		s.u.GoBG(func(ctx context.Context) {
			e, err := s.u.Engine(ctx)
			var p syncbook.Peer
			if err == nil {
				p, err = e.Pair(ctx, c)
			}
			s.u.Do(func() {
				var pe *cjsync.PairRoleError
				if errors.As(err, &pe) {
					s.pairMsg.SetText(pairRoleWords(pe))
					return
				}
				if err != nil {
					s.u.ShowError(lang.L("sync.pairFailed"), err)
					return
				}
				s.codeIn.SetText("")
				s.pairMsg.SetText(fmt.Sprintf(lang.L("sync.paired"), p.Name))
				s.Refresh()
			})
		})
	})
}

// startPairShort takes a short code typed in: the pairing completes on
// the first connection to that device, which shows its name then.
func (s *Screen) startPairShort(text string) {
	c, err := identity.ParseShortCode(text)
	if err != nil {
		s.pairMsg.SetError(lang.L("sync.badShortCode"), err)
		return
	}
	if c.DeviceID.String() == s.u.Store().DeviceID() {
		s.pairMsg.SetText(lang.L("sync.ownCode"))
		return
	}
	s.u.GoBG(func(ctx context.Context) {
		e, err := s.u.Engine(ctx)
		if err == nil {
			_, err = e.ShortCodes().Typed(ctx, c, nil)
		}
		s.u.Do(func() {
			if err != nil {
				s.u.ShowError(lang.L("sync.pairFailed"), err)
				return
			}
			s.codeIn.SetText("")
			s.pairMsg.SetText(fmt.Sprintf(lang.L("sync.shortPending"), c.DeviceID.Short().String()))
			s.Refresh()
		})
	})
}

// startUnpair asks before revoking a device: it will be refused until
// paired again.
func (s *Screen) startUnpair(p syncbook.Peer) {
	s.confirm(lang.L("sync.unpair"), fmt.Sprintf(lang.L("sync.confirmUnpair"), p.Name, p.DeviceID), func() {
		s.u.GoBG(func(ctx context.Context) {
			err := cjsync.Unpair(ctx, s.u.Store(), p.DeviceID)
			s.u.Do(func() {
				if err != nil {
					s.u.ShowError(lang.L("error.save"), err)
					return
				}
				s.pairMsg.SetText(fmt.Sprintf(lang.L("sync.unpaired"), p.Name))
				s.Refresh()
			})
		})
	})
}

// setAddress keeps where a station listens and remakes its code.
func (s *Screen) setAddress(v string) {
	v = strings.TrimSpace(v)
	if v != "" {
		if err := identity.CheckAddress(v); err != nil {
			s.pairMsg.SetError(lang.L("sync.badAddress"), err)
			return
		}
	}
	s.u.Prefs().SetString(prefOwnAddress, v)
	s.Refresh()
}

// saveCodeFile writes this device's code to a text file (to carry on a
// USB stick to a device that cannot scan).
func (s *Screen) saveCodeFile() {
	code := s.code
	kit.SavePath(s.u.Window(), s.codeFileName(), []string{identity.CodeFileExt}, fyne.NewSize(860, 580), func(path string) {
		if err := kit.WriteFile(path, []byte(code+"\n")); err != nil {
			s.u.ShowError(lang.L("error.save"), err)
			return
		}
		s.pairMsg.SetText(fmt.Sprintf(lang.L("boards.out.saved"), path))
		s.u.ShowSaved(path, "")
	})
}

// codeFileName is the name saveCodeFile suggests: 配对码-<short ID>.cjpair.
func (s *Screen) codeFileName() string {
	return kit.SafeFileNameExt(identity.CodeFileExt, lang.L("sync.codeFile"), kit.ShortID(s.u.Store().DeviceID()))
}

// openCodeFile reads the other device's code from a file (a .cjpair, or
// a .txt an older version saved).
func (s *Screen) openCodeFile() {
	kit.OpenPath(s.u.Window(), nil, fyne.NewSize(860, 580), s.pairFromFile)
}

// PairFromFile shows the pairing tab with the code read from path in the
// box and asks, as 配对 does, whether to pair with the device it names
// (a pairing-code file opened with cunjing). A file that cannot be read
// says so; one that holds no code says so under the box.
func (s *Screen) PairFromFile(path string) {
	s.ShowTab(TabPair)
	s.pairFromFile(path)
}

// codeWidth is how many characters of a pairing code go on a line of the
// entry it is pasted into. The code is laid out in lines of its own
// (ParseCode ignores line breaks) rather than wrapped by Fyne, which
// wraps an unbroken line by measuring ever longer pieces of it: a pasted
// code of about 700 characters took two seconds, the window frozen.
const codeWidth = 48

// reflowCode lays a pasted pairing code out in lines of codeWidth; a
// short code (CJP-…) and anything typed by hand stay as they are.
func (s *Screen) reflowCode(text string) {
	if s.reflowing || !slices.ContainsFunc(strings.Split(text, "\n"), func(l string) bool { return utf8.RuneCountInString(l) > codeWidth }) {
		return
	}
	s.reflowing = true
	defer func() { s.reflowing = false }()
	s.codeIn.SetText(codeLines(text))
}

// codeLines is a pairing code without its spaces and line breaks, in lines
// of codeWidth characters.
func codeLines(text string) string {
	code := []rune(strings.Join(strings.Fields(text), ""))
	var b strings.Builder
	for len(code) > codeWidth {
		b.WriteString(string(code[:codeWidth]))
		b.WriteByte('\n')
		code = code[codeWidth:]
	}
	b.WriteString(string(code))
	return b.String()
}

func (s *Screen) pairFromFile(path string) {
	data, err := readCodeFile(path)
	if err != nil {
		s.u.ShowError(lang.L("error.load"), err)
		return
	}
	s.codeIn.SetText(strings.TrimSpace(string(data)))
	s.startPair(s.codeIn.Text)
}

// readCodeFile reads a pairing-code file, at most maxCodeFileSize+1 bytes
// (a longer one is not a code: startPair says so).
func readCodeFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCodeFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}

// buildExchange lays out the exchange-folder tab.
func (s *Screen) buildExchange() {
	pick := widget.NewButtonWithIcon(lang.L("settings.backup.pick"), theme.FolderOpenIcon(), func() {
		s.chooseDir(func(dir string) { s.exchDir.SetText(dir) })
	})
	s.exch.Objects = []fyne.CanvasObject{
		kit.StatusLabel(lang.L("sync.exchIntro")),
		container.NewBorder(nil, nil, nil, pick, s.exchDir),
		container.NewHBox(s.exchBtn),
		s.exchMsg,
	}
}

// runExchange imports what the folder holds and writes what the other
// side lacks, then says what happened.
func (s *Screen) runExchange() {
	dir := strings.TrimSpace(s.exchDir.Text)
	if dir == "" {
		kit.SetWrapped(s.exchMsg, lang.L("sync.exchNeedDir"))
		return
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		kit.SetWrapped(s.exchMsg, fmt.Sprintf(lang.L("settings.backup.noDir"), dir))
		return
	}
	s.u.Prefs().SetString(prefExchangeDir, dir)
	s.exchBtn.Disable()
	kit.SetWrapped(s.exchMsg, lang.L("sync.exchWorking"))
	s.u.GoBG(func(ctx context.Context) {
		e, err := s.u.Engine(ctx)
		var rep exchange.Report
		if err == nil {
			rep, err = exchange.Once(ctx, e, dir)
		}
		s.u.Do(func() {
			s.exchBtn.Enable()
			if err != nil {
				// A failed write still read and saved what the stick
				// brought: that is said, and what became of the stick.
				what, read := lang.L("sync.exchFailed"), ""
				if w := syncwords.WriteFailed(windowL, err); w != "" {
					what, read = what+"\n"+w, exchangeWords(rep)
				}
				kit.SetWrapped(s.exchMsg, read)
				s.u.ShowError(what, err)
				return
			}
			kit.SetWrapped(s.exchMsg, exchangeWords(rep))
			s.Refresh()
		})
	})
}

// exchangeWords sums up an exchange for the user, as `cunjing exchange`
// prints it (syncwords.Exchange).
func exchangeWords(r exchange.Report) string {
	return strings.Join(syncwords.Exchange(windowL, r), "\n")
}

// rejectsView lists refused files, newest first, with their reasons;
// settled (the engine's words, "" for none) says which of them sync has
// since put right, so a list of old refusals does not read as trouble
// still open.
func rejectsView(rs []syncbook.Reject, settled string) []fyne.CanvasObject {
	out := []fyne.CanvasObject{kit.StatusLabel(lang.L("sync.rejectsIntro"))}
	if settled != "" {
		l := kit.Wrapped(settled)
		l.Importance = widget.SuccessImportance
		out = append(out, l)
	}
	if len(rs) == 0 {
		return append(out, widget.NewLabel(lang.L("sync.noRejects")))
	}
	for _, r := range rs {
		head := widget.NewLabelWithStyle(kit.JoinWith("  ", r.At, r.File), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		head.Wrapping = fyne.TextWrapBreak
		why := widget.NewLabel(lang.L("sync.reason") + rejectWords(r))
		why.Wrapping = fyne.TextWrapWord
		why.Importance = widget.WarningImportance
		sender := kit.ShortID(r.Origin)
		if r.Origin == "" { // only a verified origin is logged
			sender = lang.L("sync.unknownSender")
		}
		from := kit.StatusLabel(kit.JoinNonEmpty(lang.L("sync.carrierWord")+r.Carrier, sender))
		out = append(out, container.NewVBox(head, why, from, kit.DetailFold(errors.New(r.Reason)), widget.NewSeparator()))
	}
	return out
}

// rejectWords says why a file was refused in the user's language: the
// engine's own Chinese where it wrote some (a chain it could not place,
// with the numbers to go on from), else the words for its kind; the
// engine's full text waits under 详细信息.
func rejectWords(r syncbook.Reject) string {
	if startsCJK(r.Reason) {
		zh, _, _ := strings.Cut(r.Reason, " (")
		return zh
	}
	for _, k := range cjsync.RejectKinds() {
		if string(k) == r.Kind {
			return lang.L("sync.reject." + r.Kind)
		}
	}
	return lang.L("sync.reject.other")
}

// startsCJK reports whether s begins with a Han character or CJK
// punctuation (「, （ …).
func startsCJK(s string) bool {
	for _, c := range s {
		return unicode.Is(unicode.Han, c) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef)
	}
	return false
}

// conflictsView lists the edits that lost to a concurrent edit, for a
// person to look at.
func (s *Screen) conflictsView(d syncData) []fyne.CanvasObject {
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
func (s *Screen) conflictRow(c store.Conflict, by string) fyne.CanvasObject {
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

// words are the window's words of a key (lang.L as synconce's Lines
// takes it).
func words(key string) string { return lang.L(key) }

// serversCard shows and edits the Syncthing discovery servers and relays
// this device uses to reach its peers beyond the LAN (a county's own, set
// up on a Debian box: docs/guide.md).
func (s *Screen) serversCard(cur servers.List, published, publishing []store.NetServer) fyne.CanvasObject {
	if s.discoIn.Text == "" && s.relayIn.Text == "" {
		s.discoIn.SetText(strings.Join(cur.Discovery, "\n"))
		s.relayIn.SetText(strings.Join(cur.Relays, "\n"))
	}
	save := widget.NewButtonWithIcon(lang.L("sync.serversSave"), theme.DocumentSaveIcon(), s.saveServers)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("sync.discovery"), s.discoIn),
		widget.NewFormItem(lang.L("sync.relays"), s.relayIn))
	buttons := container.NewHBox(save)
	var lines []fyne.CanvasObject
	if s.u.Store().Role() == store.RoleStation {
		pub := widget.NewButtonWithIcon(lang.L("sync.serversPublish"), theme.MailSendIcon(), s.publishServers)
		buttons.Add(pub)
		lines = append(lines, serverList(lang.L("sync.serversPublishing"), publishing))
	} else if len(published) > 0 {
		lines = append(lines, serverList(lang.L("sync.serversFromStation"), published))
	}
	body := container.NewVBox(form, buttons, s.serverMsg)
	for _, l := range lines {
		body.Add(l)
	}
	return widget.NewCard(lang.L("sync.servers"), lang.L("sync.serversHint"), body)
}

// serverList is a heading and one server a line (无 when none).
func serverList(title string, ns []store.NetServer) fyne.CanvasObject {
	var urls []string
	for _, n := range ns {
		kind := lang.L("sync.discovery")
		if n.Kind == store.ServerRelay {
			kind = lang.L("sync.relays")
		}
		urls = append(urls, kind+"："+n.URL)
	}
	if len(urls) == 0 {
		urls = []string{lang.L("sync.serversNoneListed")}
	}
	l := widget.NewLabel(title + "\n" + strings.Join(urls, "\n"))
	l.Wrapping = fyne.TextWrapBreak
	return l
}

// publishServers (a station) saves the lists and publishes them to every
// post; a bad URL publishes nothing.
func (s *Screen) publishServers() {
	in := servers.List{Discovery: strings.Split(s.discoIn.Text, "\n"), Relays: strings.Split(s.relayIn.Text, "\n")}
	var got servers.List
	kit.Run(s.u, func(ctx context.Context) error {
		e, err := s.u.Engine(ctx)
		if err != nil {
			return err
		}
		if got, err = servers.Save(ctx, s.u.Store().SyncBook(), in); err != nil {
			return err
		}
		_, err = station.PublishServers(ctx, e, got)
		return err
	}, func(err error) {
		s.serverMsg.SetError(lang.L("sync.serversBad"), err)
	}, func() {
		s.serverMsg.SetText(fmt.Sprintf(lang.L("sync.serversPublished"), len(got.Discovery), len(got.Relays)))
		s.Refresh()
	})
}

// saveServers checks and saves the server lists; a bad URL saves nothing
// and is named.
func (s *Screen) saveServers() {
	in := servers.List{Discovery: strings.Split(s.discoIn.Text, "\n"), Relays: strings.Split(s.relayIn.Text, "\n")}
	var got servers.List
	kit.Run(s.u, func(ctx context.Context) (err error) {
		got, err = servers.Save(ctx, s.u.Store().SyncBook(), in)
		return err
	}, func(err error) {
		s.serverMsg.SetError(lang.L("sync.serversBad"), err)
	}, func() {
		s.discoIn.SetText(strings.Join(got.Discovery, "\n"))
		s.relayIn.SetText(strings.Join(got.Relays, "\n"))
		if got.Empty() {
			s.serverMsg.SetText(lang.L("sync.serversNone"))
			return
		}
		s.serverMsg.SetText(fmt.Sprintf(lang.L("sync.serversSaved"), len(got.Discovery), len(got.Relays)))
	})
}

// platform is what runs here, for the release checks.
func (s *Screen) platform() update.Platform {
	return update.Platform{OS: runtime.GOOS, Arch: runtime.GOARCH, Version: s.u.Version()}
}

// releaseView is the new version the station carried here, with its
// install button, and the releases refused with why (one for another
// system is not mentioned: a township carries one for each).
func (s *Screen) releaseView(d syncData) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	if o := d.offer; o != nil {
		text := fmt.Sprintf(lang.L("update.offer"), o.Manifest.Version, o.From)
		lines := []fyne.CanvasObject{kit.StatusLabel(fmt.Sprintf(lang.L("update.installed"), s.u.Version()))}
		if o.Manifest.Notes != "" {
			n := widget.NewLabel(o.Manifest.Notes)
			n.Wrapping = fyne.TextWrapWord
			lines = append(lines, n)
		}
		install := widget.NewButtonWithIcon(lang.L("update.install"), theme.DownloadIcon(), func() { s.startInstall(*o) })
		install.Importance = widget.HighImportance
		lines = append(lines, container.NewHBox(install), s.updateMsg)
		out = append(out, widget.NewCard(text, "", container.NewVBox(lines...)))
	}
	for _, r := range d.refused {
		var why string
		switch {
		case errors.Is(r.Err, release.ErrOtherPlatform):
			continue
		case errors.Is(r.Err, release.ErrUnsigned):
			why = lang.L("update.unsigned")
		case errors.Is(r.Err, release.ErrBadFile):
			why = lang.L("update.badFile")
		case errors.Is(r.Err, release.ErrNotNewer):
			continue // an older one the station still carries: nothing to do
		default:
			why = lang.L("update.otherError")
		}
		l := widget.NewLabel(fmt.Sprintf(lang.L("update.refused"), r.Version, r.From, why))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		out = append(out, l)
	}
	return out
}

// startInstall asks, then writes the release next to the database, starts
// its installer and closes cunjing.
func (s *Screen) startInstall(o update.Offer) {
	s.confirm(lang.L("update.install"), fmt.Sprintf(lang.L("update.confirm"), o.Manifest.Version), func() {
		dir := filepath.Join(filepath.Dir(s.u.Store().Path()), "updates")
		kit.Run(s.u, func(ctx context.Context) error {
			keys, err := s.releaseKeys()
			if err != nil {
				return err
			}
			_, err = update.Install(ctx, s.u.Store(), keys, o, dir, s.startInstaller)
			return err
		}, func(err error) {
			s.updateMsg.SetError(lang.L("update.failed"), err)
		}, func() {
			s.updateMsg.SetText(lang.L("update.started"))
			s.quit()
		})
	})
}
