// Package status says what the sync state is, in numbers and in plain
// words (Chinese): what the JSON of `sync --once` and `exchange` and the
// window's 同步 show. The facts both say (what a peer received, when it
// was last reached and how, why its last session failed, what waits, the
// status's text) are worded for people by the app,
// app/lang/translations/sync (syncwords: Fill puts its words in
// Summary's word fields), so the command line and the window say each
// one way; the words this package gives those fields itself are the sync
// engine's, for its own logs and tests. It reads the sync
// bookkeeping (store/syncbook) and the store, and the divergences from
// sync/heal; what only the sync engine knows (its streams and folders,
// what each peer acknowledged in its receipts) it is handed as an Input
// (sync.Engine.Status builds it). It sits below package sync and never
// imports it.
package status

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/store/syncbook"
	"cunjing/sync/heal"
)

// Peer is what a person needs to know about one peer.
type Peer struct {
	DeviceID    string `json:"device_id"`
	Name        string `json:"name"`
	Role        string `json:"role"`
	LastContact string `json:"last_contact,omitempty"`
	// LastError is what went wrong the last time (Go's text, for the
	// small print), LastCause the key of its words ("sync.why.…", as
	// 立即同步 says them; sync/bep/why), Problem its short clause in
	// Chinese; all "" once an exchange went well.
	LastError string `json:"last_error,omitempty"`
	LastCause string `json:"last_cause,omitempty"`
	Problem   string `json:"last_problem,omitempty"`
	// LastPath: how the last network session went, "direct" or "relay".
	LastPath string `json:"last_path,omitempty"`
	BytesIn  int64  `json:"bytes_in"`
	BytesOut int64  `json:"bytes_out"`
	// ToSend counts our changesets the peer has not announced having yet
	// (known only after a BEP session); ToFetch the files it announced
	// that we have not pulled yet.
	ToSend  int `json:"to_send"`
	ToFetch int `json:"to_fetch"`
	// ClockOffsetMs is the peer's clock minus this PC's as last measured
	// (0: within a day, or not known); Clock names the PC whose clock is
	// off, in Chinese, with the station as the reference.
	ClockOffsetMs int64  `json:"clock_offset_ms,omitempty"`
	Clock         string `json:"clock,omitempty"`
	// Divergences: what keeps this device and the peer apart (Chinese),
	// with what of the peer is held here for a newer version
	// (HeldNewer), which only an upgrade of this device heals.
	Divergences []string `json:"divergences,omitempty"`
	// HeldNewer counts the peer's changes held here until this device is
	// upgraded: a newer version made them (store/held.go).
	HeldNewer int `json:"held_newer"`
	// Acknowledged: the peer's latest receipt covers every changeset cut
	// here for it; Unacknowledged counts those it does not, cut since
	// WaitingSince. Received says it in Chinese (AckWords).
	Acknowledged   bool   `json:"acknowledged"`
	Unacknowledged int    `json:"unacknowledged"`
	WaitingSince   string `json:"waiting_since,omitempty"`
	Received       string `json:"received_words,omitempty"`
	// AckThrough is when the newest changeset the peer acknowledged was
	// cut ("" none); Receipt says whether a receipt of it was taken in.
	AckThrough string `json:"acknowledged_through,omitempty"`
	Receipt    bool   `json:"receipt"`
	// Paused says, in Chinese, that this device's sessions with the peer
	// are paused because its files kept failing verification
	// (sync/quarantine; PausedWords), "" when they are not.
	Paused string `json:"paused,omitempty"`
	// OverExcused says, in Chinese, that the peer sent today files
	// addressed to others past what a changeset's reference excuses,
	// counted as such (OverExcusedWords); "" when none, or it is paused.
	OverExcused string `json:"over_excused,omitempty"`
}

// Summary is the sync state in numbers and in plain words.
type Summary struct {
	Device    string `json:"device"`
	Role      string `json:"role"`
	Uncut     int    `json:"uncut_changes"`  // local changes not yet in a changeset
	Cut       int    `json:"cut_changesets"` // changesets made so far
	Received  int    `json:"received"`       // changesets applied
	WaitingIn int    `json:"waiting_in"`     // received, waiting for a predecessor
	Rejected  int    `json:"rejected"`       // entries in the rejection log still open (not Settled)
	// Settled counts refusals in the rejection log that are accounted
	// for (Settled): a forked changeset refused its place whose maker
	// has taken up its stream again and had the fork back, a stream of
	// this device taken up again whose new cut the peer acknowledged.
	// SettledWords says so in Chinese; they stay in the log.
	Settled      int      `json:"rejected_settled"`
	SettledWords string   `json:"rejected_settled_words,omitempty"`
	Peers        []Peer   `json:"peers"`
	Text         string   `json:"text"`
	LastRejected []string `json:"last_rejected,omitempty"`
	// Clocks, Paused and Divergences gather the peers' (Chinese), as
	// OverExcused their OverExcused.
	Clocks      []string `json:"clocks,omitempty"`
	Paused      []string `json:"paused,omitempty"`
	OverExcused []string `json:"over_excused,omitempty"`
	Divergences []string `json:"divergences,omitempty"`
	// HeldNewer counts changes held aside until this device is upgraded,
	// from every origin (paired or not); their words are in Divergences.
	HeldNewer int `json:"held_newer"`
	// Acknowledged is true when every paired post or station has
	// acknowledged every changeset cut here for it; Waiting lists, per
	// peer, those not acknowledged yet (empty when Acknowledged).
	Acknowledged bool      `json:"acknowledged"`
	Waiting      []Waiting `json:"waiting"`
	// AckWords says per peer, in Chinese, what it has received (AckWords).
	AckWords []string `json:"ack_words,omitempty"`
	// Withheld counts the records of other devices a post does not keep
	// (syncbook.Withheld: an older station's broadcast carried its own
	// households, residents, cards, audit …): removed here when this post
	// was upgraded, or not taken since. Nothing of it is an error.
	// WithheldWords says so in Chinese, also as Text's last line, once the
	// app has filled them in (app/lang/translations/sync's Fill: the words
	// are the window's, in its translations, which this package below
	// the app cannot read); Of leaves them out.
	Withheld      syncbook.Withheld `json:"withheld"`
	WithheldWords string            `json:"withheld_words,omitempty"`
	// Lost lists the pairings this database lost to a restore from a
	// backup made before them (Lost); their words are in Divergences,
	// and while there is one the status is not Acknowledged.
	Lost []Lost `json:"lost_pairings,omitempty"`
}

// Lost is a device this database paired (the journal beside it says so)
// that it no longer trusts: it was restored from a backup made before the
// pairing. The device still holds this one and its work.
type Lost struct {
	Peer     string `json:"peer"`
	Name     string `json:"name,omitempty"`
	Role     string `json:"role,omitempty"`
	PairedAt string `json:"paired_at,omitempty"`
	// Heard: known only from files the device sent this one since (when
	// the first came), encrypted to it and signed by a device not paired
	// here; the name is not known then.
	Heard string `json:"heard_at,omitempty"`
	// Dialled: heard as a device that dialled this one over BEP and was
	// refused, not paired here (NoteUnknownDialer).
	Dialled bool `json:"dialled,omitempty"`
}

// LostWords says in Chinese what happened to a pairing a restore lost
// and what to do.
func LostWords(l Lost) string {
	who := "「" + l.Name + "」"
	if l.Name == "" {
		who = "设备 " + l.Peer
		if i := strings.IndexByte(l.Peer, '-'); i > 0 {
			who = "设备 " + l.Peer[:i]
		}
	}
	if w := RoleWord(l.Role); l.Role != "" && !strings.Contains(l.Name, w) {
		who += "（" + w + "）"
	}
	if l.Dialled {
		return who + "想和本机同步，但本机没有和它配对，已拒绝，它的修改本机都没有。多半是这个数据库从和它配对之前的备份恢复的（或者换了电脑）。如果认识它，请重新和它配对（扫码或粘贴它的配对码），配对后会自动补齐；如果不认识它，不要配对；如果是有意不再和它同步，请在它那边解除配对。"
	}
	if l.Heard != "" {
		return "收到了" + who + "发给本机的数据包，但本机没有和它配对，没有收下。多半是这个数据库从和它配对之前的备份恢复的（或者换了电脑），彼此的修改不再同步。如果认识它，请重新和它配对（扫码或粘贴它的配对码），配对后会自动补齐；如果不认识它，不要配对，请告诉派出所；如果是有意不再和它同步，请解除配对。"
	}
	return "这个数据库是从和" + who + "配对之前的备份恢复的，恢复后两边的配对不一致，彼此的修改不再同步。请重新和它配对（扫码或粘贴它的配对码），配对后会自动补齐；如果是有意不再和它同步，请解除配对。"
}

// Input is what the status is made of that only the sync engine knows.
type Input struct {
	Streams []string // this device's outgoing streams
	Folders []Folder // the folders it shares
	Acks    []Ack    // per paired post, station or county
	Lost    []Lost   // pairings a restore lost (sync.Engine.LostPairings)
}

// Folder is a folder this device shares, and with which peers.
type Folder struct {
	ID    string
	Peers []string
}

// Waiting counts a peer's changesets not acknowledged yet, and since when
// the oldest was cut.
type Waiting struct {
	Peer       string `json:"peer"`
	Changesets int    `json:"changesets"`
	Since      string `json:"since,omitempty"`
}

// Ack is what a peer has acknowledged of what this device cut for it
// (sync.PeerAck).
type Ack struct {
	Waiting
	Name, Role string // the peer's
	Through    string // when the newest acknowledged changeset was cut
	Receipt    bool   // a receipt of the peer was ever taken in
}

// AckWords says in Chinese what a peer has acknowledged, for the 同步
// screen: "派出所已收到 12月4日 15:02 之前的全部修改", or what it still
// waits for: "还有 3 个数据包等着派出所收下（从 12月3日 起）". selfRole is
// this device's role; times are shown in loc (nil: Beijing time, clock.Zone).
func AckWords(selfRole string, a Ack, loc *time.Location) string {
	if loc == nil {
		loc = clock.Zone
	}
	who := "「" + a.Name + "」"
	if store.Above(a.Role, selfRole) {
		who = RoleWord(a.Role) // the one above: 派出所, 县公安局
	}
	var parts []string
	if a.Through != "" {
		all := "全部"
		if a.Changesets > 0 {
			all = ""
		}
		parts = append(parts, fmt.Sprintf("%s已收到 %s 之前的%s修改", who, minuteZh(a.Through, loc), all))
	}
	if a.Changesets > 0 {
		parts = append(parts, fmt.Sprintf("还有 %d 个数据包等着%s收下（从 %s 起）", a.Changesets, who, dayZh(a.Since, loc)))
	} else if a.Through == "" {
		parts = append(parts, fmt.Sprintf("还没有要发给%s的修改", who))
	}
	return strings.Join(parts, "；")
}

func minuteZh(ts string, loc *time.Location) string {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	t = t.In(loc)
	return fmt.Sprintf("%d月%d日 %02d:%02d", t.Month(), t.Day(), t.Hour(), t.Minute())
}

func dayZh(ts string, loc *time.Location) string {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	t = t.In(loc)
	return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
}

// Of reports what is waiting to go out and to come in, at the device
// whose store and healer these are.
func Of(ctx context.Context, st *store.Store, h *heal.Healer, in Input) (Summary, error) {
	book := st.SyncBook()
	s := Summary{Device: st.DeviceID(), Role: st.Role()}
	now := st.Clock().WallNow()
	uncut := 0
	for _, id := range in.Streams {
		state, err := book.StreamState(ctx, id)
		if err != nil {
			return s, err
		}
		cs, _, err := st.ChangesSince(ctx, s.Device, state.ChangeSeq, 1_000_000)
		if err != nil {
			return s, err
		}
		uncut = max(uncut, len(cs))
	}
	s.Uncut = uncut
	outs, err := book.OutChangesets(ctx, "", 0)
	if err != nil {
		return s, err
	}
	s.Cut = len(outs)
	ins, err := book.InChangesets(ctx, "")
	if err != nil {
		return s, err
	}
	for _, in := range ins {
		if in.State == syncbook.InWaiting {
			s.WaitingIn++
		} else {
			s.Received++
		}
	}
	peers, err := book.Peers(ctx, false)
	if err != nil {
		return s, err
	}
	// A peer that refused this device at its last session does not know
	// it: its receipts are stale, nothing is acknowledged.
	forgot := map[string]string{}
	for _, p := range peers {
		if Forgotten(p.LastError) {
			forgot[p.DeviceID] = ForgottenWords(s.Role, p.Name, p.Role)
		}
	}
	ackOf := map[string]Ack{}
	s.Waiting = []Waiting{}
	for _, a := range in.Acks {
		ackOf[a.Peer] = a
		if a.Changesets > 0 {
			s.Waiting = append(s.Waiting, a.Waiting)
		}
		if w, ok := forgot[a.Peer]; ok {
			s.AckWords = append(s.AckWords, w)
			continue
		}
		s.AckWords = append(s.AckWords, AckWords(s.Role, a, nil))
	}
	s.Lost = in.Lost
	for _, l := range in.Lost {
		s.Divergences = append(s.Divergences, LostWords(l))
	}
	s.Acknowledged = len(s.Waiting) == 0 && len(s.Lost) == 0 && len(forgot) == 0
	apart := map[string]bool{} // peer → known divergences
	for _, p := range peers {
		ps := Peer{DeviceID: p.DeviceID, Name: p.Name, Role: p.Role, LastContact: p.LastContact, LastPath: p.LastPath,
			BytesIn: p.BytesIn, BytesOut: p.BytesOut, ClockOffsetMs: p.ClockMs,
			Clock: ClockWordsAt(s.Role, p.Role, p.Name, p.ClockMs, now)}
		ps.LastCause, ps.LastError = ParseLastError(p.LastError)
		if ps.Problem = ProblemWords(ps.LastCause); ps.Problem == "" && ps.LastError != "" {
			ps.Problem = "原因不明（" + ps.LastError + "）"
		}
		if ps.Clock != "" {
			s.Clocks = append(s.Clocks, ps.Clock)
		}
		if r, err := book.RefusedOf(ctx, p.DeviceID); err != nil {
			return s, err
		} else if r.PausedAt != "" {
			ps.Paused = PausedWords(p.Name, r)
			s.Paused = append(s.Paused, ps.Paused)
		} else if ps.OverExcused, err = overExcused(ctx, book, p); err != nil {
			return s, err
		} else if ps.OverExcused != "" {
			s.OverExcused = append(s.OverExcused, ps.OverExcused)
		}
		if ps.Divergences, err = h.Divergences(ctx, p.DeviceID); err != nil {
			return s, err
		}
		apart[p.DeviceID] = len(ps.Divergences) > 0
		var held []string
		if ps.HeldNewer, held, err = HeldNewer(ctx, st, h, p.DeviceID); err != nil {
			return s, err
		}
		ps.Divergences = append(ps.Divergences, held...)
		s.Divergences = append(s.Divergences, ps.Divergences...)
		if a, ok := ackOf[p.DeviceID]; ok {
			ps.Acknowledged, ps.Unacknowledged, ps.WaitingSince = a.Changesets == 0, a.Changesets, a.Since
			ps.Received = AckWords(s.Role, a, nil)
			ps.AckThrough, ps.Receipt = a.Through, a.Receipt
		}
		if w, ok := forgot[p.DeviceID]; ok {
			ps.Acknowledged, ps.Received = false, w
		}
		for _, f := range in.Folders {
			if !slices.Contains(f.Peers, p.DeviceID) {
				continue
			}
			theirs, err := book.BEPRemoteFiles(ctx, f.ID, p.DeviceID)
			if err != nil {
				return s, err
			}
			have := map[string]bool{}
			for _, t := range theirs {
				have[t.Name] = true
			}
			for _, o := range outs {
				if o.Stream == f.ID && !have[o.Name] {
					ps.ToSend++
				}
			}
			mine, err := book.BEPFiles(ctx, f.ID, 0)
			if err != nil {
				return s, err
			}
			got := map[string]bool{}
			for _, m := range mine {
				got[m.Name] = true
			}
			for _, t := range theirs {
				if !t.Deleted && !got[t.Name] {
					ps.ToFetch++
				}
			}
		}
		s.Peers = append(s.Peers, ps)
	}
	// Held changes of devices not paired (any more), or this device's
	// own from a newer version of it, are said too.
	held, err := st.HeldNewer(ctx)
	if err != nil {
		return s, err
	}
	for _, hn := range held {
		s.HeldNewer += hn.Waiting
		if !paired(s.Peers, hn.Origin) {
			s.Divergences = append(s.Divergences, heldWords(ctx, st, h, hn)...)
		}
	}
	if err := s.rejections(ctx, book, h, ackOf, apart); err != nil {
		return s, err
	}
	if s.Withheld, err = book.WithheldCounts(ctx); err != nil {
		return s, err
	}
	s.Text = s.words(now)
	return s, nil
}

// HeldNewer says, in Chinese and per origin, what changes of peer ("" for
// every peer) are held aside here because a newer version made them (a
// table or field this version lacks, store/held.go): merged once this
// device is upgraded. It is not a divergence a sync can heal, so a session
// is complete without it (heal's Divergences leaves it out); Of shows it with
// the divergences. n is the number of changes waiting for the upgrade.
func HeldNewer(ctx context.Context, st *store.Store, h *heal.Healer, peer string) (n int, words []string, err error) {
	held, err := st.HeldNewer(ctx)
	if err != nil {
		return 0, nil, err
	}
	for _, hn := range held {
		if peer != "" && hn.Origin != peer {
			continue
		}
		n += hn.Waiting
		words = append(words, heldWords(ctx, st, h, hn)...)
	}
	return n, words, nil
}

// heldWords says in Chinese what of one origin is held for a newer version.
func heldWords(ctx context.Context, st *store.Store, hl *heal.Healer, h store.HeldNewer) []string {
	name := "「" + hl.PeerName(ctx, h.Origin) + "」"
	if h.Origin == st.DeviceID() {
		name = "本机（在较新版本中做的修改）"
	}
	var out []string
	if h.Waiting > 0 {
		if h.Origin == st.DeviceID() {
			out = append(out, fmt.Sprintf("有 %d 条修改是本机在较新版本中做的，本机升级后生效。", h.Waiting))
		} else {
			out = append(out, fmt.Sprintf("有 %d 条修改来自较新版本的%s，本机升级后生效。", h.Waiting, name))
		}
	}
	if h.Unusable > 0 {
		out = append(out, fmt.Sprintf("来自%s的 %d 条修改在本机升级后仍无法合并（%s），已原样留存，请联系技术支持。", name, h.Unusable, h.Problem))
	}
	return out
}

// PausedWords says, in Chinese, that this device's sessions with the
// peer name are paused because its files kept failing verification, or
// because it sent far too many files addressed to other devices (r: which,
// how many, how large), and how to resume them.
func PausedWords(name string, r syncbook.Refused) string {
	if r.PausedFor == syncbook.PausedNotForUs {
		return fmt.Sprintf("已暂停和「%s」同步：它发来的 %d 个文件（共 %s）都是加密给别的设备的，不是发给本机的，远远超出正常情况，已不再接收。请查明原因（那台电脑是否被盗用、是否装了不对的版本），确认无误后重新配对即可恢复同步。",
			name, r.NotForUsFiles, BytesWords(r.NotForUsBytes))
	}
	return fmt.Sprintf("已暂停和「%s」同步：它发来的 %d 个文件（共 %s）没有通过签名校验，已删除或隔离。请查明原因（那台电脑是否被盗用、是否装了不对的版本），确认无误后重新配对即可恢复同步。",
		name, r.Files, BytesWords(r.Bytes))
}

// OverExcusedWords says, in Chinese, that the peer name sent today files
// encrypted for other devices that its records name (x.OverFiles,
// x.OverBytes) past what is let through (sync/quarantine.ExcuseBound), so
// they count as not sent to this PC, and that more of them pause the sync
// with it ("" when there were none today).
func OverExcusedWords(name string, x syncbook.Excused) string {
	if x.OverFiles <= 0 {
		return ""
	}
	return fmt.Sprintf("「%s」今天发来的 %d 个文件（共 %s）是加密给别的设备的，虽然它的记录里提到了这些文件，但已超出允许放行的数量，已算作「不是发给本机的文件」。这样的文件再多，就会暂停和它同步。如果那边最近没有补发大批扫描图或安装包，请查明原因（那台电脑是否被盗用）。",
		name, x.OverFiles, BytesWords(x.OverBytes))
}

// overExcused is OverExcusedWords of peer p today.
func overExcused(ctx context.Context, book *syncbook.Book, p syncbook.Peer) (string, error) {
	x, err := book.ExcusedOf(ctx, p.DeviceID)
	if err != nil {
		return "", err
	}
	return OverExcusedWords(p.Name, x), nil
}

// ClockWordsAt says, in Chinese, that this PC's clock and a peer's are
// apart by offsetMs (the peer's clock minus this PC's), with the date this
// PC reads (now, shown in Beijing time), and asks the person to check it
// against a phone before changing anything. Which of the two is wrong
// cannot be known here: the device above is usually right, but a station
// whose clock ran three years fast told every post, whose clocks were
// right, to set theirs — and a post set three years ahead
// stamps its patrols and month reports there. So the post is told what
// to do either way: its own date wrong, set it; right, tell the station.
// A station names the post and its own date likewise. Within a day it
// says nothing.
func ClockWordsAt(selfRole, peerRole, peerName string, offsetMs int64, now time.Time) string {
	d := time.Duration(offsetMs) * time.Millisecond
	if d >= -store.MaxAhead && d <= store.MaxAhead {
		return ""
	}
	down := store.Above(selfRole, peerRole)
	faster := "快"
	if (down && d < 0) || (!down && d > 0) {
		faster = "慢"
	}
	amount := durationZh(max(d, -d))
	date := clock.In(now).Format("2006年1月2日")
	if down {
		return fmt.Sprintf("「%s」的电脑时钟比%s%s %s（本机的日期是 %s）。请对照手机上的日期：本机的对，就提醒那边把电脑的日期和时间改对；本机的不对，请先把本机的日期和时间改对。",
			peerName, RoleWord(selfRole), faster, amount, date)
	}
	if store.Above(peerRole, selfRole) {
		return fmt.Sprintf("这台电脑的日期是 %s，比%s（%s）的电脑%s %s。请对照手机上的日期：这台的不对，就把电脑的日期和时间改对；这台的对，就是%s的电脑时钟不对，请告诉%s改对。",
			date, RoleWord(peerRole), peerName, faster, amount, RoleWord(peerRole), RoleWord(peerRole))
	}
	return fmt.Sprintf("这台电脑的时钟和「%s」差 %s（本机的日期是 %s）。", peerName, amount, date)
}

// durationZh says a long duration in the largest whole unit.
func durationZh(d time.Duration) string {
	const day = 24 * time.Hour
	switch {
	case d >= 365*day:
		return fmt.Sprintf("%d 年", int((d+182*day)/(365*day)))
	case d >= day:
		return fmt.Sprintf("%d 天", int((d+day/2)/day))
	}
	return fmt.Sprintf("%d 小时", int((d+time.Hour/2)/time.Hour))
}

func paired(peers []Peer, id string) bool {
	for _, p := range peers {
		if p.DeviceID == id {
			return true
		}
	}
	return false
}

// words renders the status in Chinese for the sync engine's own logs and
// tests; what the command line prints and the window shows is the app's
// wording of the same facts (syncwords.Text, through Fill).
func (s Summary) words(now time.Time) string {
	var b strings.Builder
	switch s.Uncut {
	case 0:
		b.WriteString("本机的修改都已打包好。")
	default:
		fmt.Fprintf(&b, "有 %d 条修改还没打包。", s.Uncut)
	}
	if s.WaitingIn > 0 {
		fmt.Fprintf(&b, "收到的 %d 个数据包在等更早的一个，那个到了就会合并。", s.WaitingIn)
	}
	if s.Rejected > 0 {
		fmt.Fprintf(&b, "有 %d 个文件或修改被拒收（见拒收记录）。", s.Rejected)
	}
	for _, p := range s.Paused {
		b.WriteString(p)
	}
	for _, o := range s.OverExcused {
		b.WriteString(o)
	}
	for _, c := range s.Clocks {
		b.WriteString(c)
	}
	for _, d := range s.Divergences {
		b.WriteString(d)
	}
	if len(s.Peers) == 0 && len(s.Lost) == 0 {
		b.WriteString("还没有和任何设备配对。")
	}
	for _, p := range s.Peers {
		fmt.Fprintf(&b, "\n%s（%s）：", p.Name, RoleWord(p.Role))
		if p.LastContact == "" {
			b.WriteString("从未联系")
		} else {
			fmt.Fprintf(&b, "上次联系 %s", ago(p.LastContact, now))
		}
		switch p.LastPath {
		case "direct":
			b.WriteString("（直连）")
		case "relay":
			b.WriteString("（经中继）")
		}
		fmt.Fprintf(&b, "；已收到 %s，已发出 %s", BytesWords(p.BytesIn), BytesWords(p.BytesOut))
		if p.ToFetch > 0 {
			fmt.Fprintf(&b, "；等着从它收 %d 个文件", p.ToFetch)
		}
		if p.Received != "" {
			fmt.Fprintf(&b, "；%s", p.Received)
		}
		if p.Problem != "" && p.LastCause != CauseForgotten { // (Received says it)
			fmt.Fprintf(&b, "；上次的问题：%s", p.Problem)
		}
	}
	return strings.TrimSpace(b.String())
}

// RoleWord names a role in Chinese: 派出所, 警务室, 县公安局 (a carrier: 中转设备).
func RoleWord(role string) string {
	switch role {
	case store.RoleStation:
		return "派出所"
	case store.RolePost:
		return "警务室"
	case store.RoleCounty:
		return "县公安局"
	}
	return "中转设备"
}

func ago(ts string, now time.Time) string {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	d := now.Sub(t).Round(time.Second)
	switch {
	case d < time.Minute:
		return "刚刚"
	case d < time.Hour:
		return fmt.Sprintf("%d 分钟前", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d 小时前", int(d.Hours()))
	}
	return fmt.Sprintf("%d 天前", int(d.Hours()/24))
}

// BytesWords is a byte count as the status says it, in the command
// line's words and on 同步's card of the peer alike (one way to say what
// a peer sent and received): whole B under a KB, whole KB under a MB,
// then MB to one decimal.
func BytesWords(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}
