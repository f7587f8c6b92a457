package sync

import (
	"context"
	"fmt"
	"strings"
	"time"

	"cunjing/store"
	"cunjing/store/syncbook"
)

// PeerStatus is what a person needs to know about one peer.
type PeerStatus struct {
	DeviceID    string `json:"device_id"`
	Name        string `json:"name"`
	Role        string `json:"role"`
	LastContact string `json:"last_contact,omitempty"`
	LastError   string `json:"last_error,omitempty"`
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
	// (Engine.HeldNewer), which only an upgrade of this device heals.
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
}

// StatusSummary is the sync state in numbers and in plain words.
type StatusSummary struct {
	Device       string       `json:"device"`
	Role         string       `json:"role"`
	Uncut        int          `json:"uncut_changes"`  // local changes not yet in a changeset
	Cut          int          `json:"cut_changesets"` // changesets made so far
	Received     int          `json:"received"`       // changesets applied
	WaitingIn    int          `json:"waiting_in"`     // received, waiting for a predecessor
	Rejected     int          `json:"rejected"`       // entries in the rejection log
	Peers        []PeerStatus `json:"peers"`
	Text         string       `json:"text"`
	LastRejected []string     `json:"last_rejected,omitempty"`
	// Clocks and Divergences gather the peers' (Chinese).
	Clocks      []string `json:"clocks,omitempty"`
	Divergences []string `json:"divergences,omitempty"`
	// HeldNewer counts changes held aside until this device is upgraded,
	// from every origin (paired or not); their words are in Divergences.
	HeldNewer int `json:"held_newer"`
	// Acknowledged is true when every paired post or station has
	// acknowledged every changeset cut here for it; Waiting lists, per
	// peer, those not acknowledged yet (empty when Acknowledged).
	Acknowledged bool      `json:"acknowledged"`
	Waiting      []PeerAck `json:"waiting"`
	// AckWords says per peer, in Chinese, what it has received (AckWords).
	AckWords []string `json:"ack_words,omitempty"`
}

// Status reports what is waiting to go out and to come in.
func (e *Engine) Status(ctx context.Context) (StatusSummary, error) {
	s := StatusSummary{Device: e.Self(), Role: e.st.Role()}
	streams, err := e.streams(ctx)
	if err != nil {
		return s, err
	}
	uncut := 0
	for _, st := range streams {
		state, err := e.book.StreamState(ctx, st.id)
		if err != nil {
			return s, err
		}
		cs, _, err := e.st.ChangesSince(ctx, e.Self(), state.ChangeSeq, 1_000_000)
		if err != nil {
			return s, err
		}
		uncut = max(uncut, len(cs))
	}
	s.Uncut = uncut
	outs, err := e.book.OutChangesets(ctx, "", 0)
	if err != nil {
		return s, err
	}
	s.Cut = len(outs)
	ins, err := e.book.InChangesets(ctx, "")
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
	rej, err := e.book.Rejects(ctx, 1_000_000)
	if err != nil {
		return s, err
	}
	s.Rejected = len(rej)
	for i, r := range rej {
		if i == 3 {
			break
		}
		s.LastRejected = append(s.LastRejected, fmt.Sprintf("%s: %s", r.File, r.Reason))
	}
	folders, err := e.Folders(ctx)
	if err != nil {
		return s, err
	}
	peers, err := e.book.Peers(ctx, false)
	if err != nil {
		return s, err
	}
	acks, err := e.Acks(ctx)
	if err != nil {
		return s, err
	}
	ackOf := map[string]PeerAck{}
	s.Waiting = []PeerAck{}
	for _, a := range acks {
		ackOf[a.Peer] = a
		if !a.Acknowledged() {
			s.Waiting = append(s.Waiting, a)
		}
		s.AckWords = append(s.AckWords, AckWords(s.Role, a, nil))
	}
	s.Acknowledged = AllAcknowledged(acks)
	for _, p := range peers {
		ps := PeerStatus{DeviceID: p.DeviceID, Name: p.Name, Role: p.Role, LastContact: p.LastContact, LastPath: p.LastPath,
			LastError: p.LastError, BytesIn: p.BytesIn, BytesOut: p.BytesOut, ClockOffsetMs: p.ClockMs,
			Clock: ClockWords(e.st.Role(), p.Role, p.Name, p.ClockMs)}
		if ps.Clock != "" {
			s.Clocks = append(s.Clocks, ps.Clock)
		}
		if ps.Divergences, err = e.Divergences(ctx, p.DeviceID); err != nil {
			return s, err
		}
		var held []string
		if ps.HeldNewer, held, err = e.HeldNewer(ctx, p.DeviceID); err != nil {
			return s, err
		}
		ps.Divergences = append(ps.Divergences, held...)
		s.Divergences = append(s.Divergences, ps.Divergences...)
		if a, ok := ackOf[p.DeviceID]; ok {
			ps.Acknowledged, ps.Unacknowledged, ps.WaitingSince = a.Acknowledged(), a.Changesets, a.Since
			ps.Received = AckWords(s.Role, a, nil)
			ps.AckThrough, ps.Receipt = a.Through, a.Receipt
		}
		for _, f := range folders {
			if !contains(f.Peers, p.DeviceID) {
				continue
			}
			theirs, err := e.book.BEPRemoteFiles(ctx, f.ID, p.DeviceID)
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
			mine, err := e.book.BEPFiles(ctx, f.ID, 0)
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
	held, err := e.st.HeldNewer(ctx)
	if err != nil {
		return s, err
	}
	for _, h := range held {
		s.HeldNewer += h.Waiting
		if !paired(s.Peers, h.Origin) {
			s.Divergences = append(s.Divergences, e.heldWords(ctx, h)...)
		}
	}
	s.Text = s.words(e.st.Clock().WallNow())
	return s, nil
}

// ClockWords names, in Chinese, the PC whose clock is off by offsetMs
// (the peer's clock minus this PC's), with the device above as the
// reference (a post's station, a station's county): a post says
// "这台电脑的时钟比派出所快 229 年", a station names the post. Within a
// day it says nothing.
func ClockWords(selfRole, peerRole, peerName string, offsetMs int64) string {
	d := time.Duration(offsetMs) * time.Millisecond
	if d >= -store.MaxAhead && d <= store.MaxAhead {
		return ""
	}
	up := above(peerRole, selfRole)
	down := above(selfRole, peerRole)
	faster := "快"
	if (down && d < 0) || (!down && d > 0) {
		faster = "慢"
	}
	amount := durationZh(max(d, -d))
	if down {
		return fmt.Sprintf("「%s」的电脑时钟比%s%s %s，请提醒那边把电脑的日期和时间改对。", peerName, roleZh(selfRole), faster, amount)
	}
	if up {
		return fmt.Sprintf("这台电脑的时钟比%s（%s）%s %s，请把电脑的日期和时间改对。", roleZh(peerRole), peerName, faster, amount)
	}
	return fmt.Sprintf("这台电脑的时钟和「%s」差 %s。", peerName, amount)
}

func above(a, b string) bool { return store.Above(a, b) }

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

func paired(peers []PeerStatus, id string) bool {
	for _, p := range peers {
		if p.DeviceID == id {
			return true
		}
	}
	return false
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// words renders the status as a person would say it, in Chinese (the
// CLI prints it; the window composes its own from the numbers).
func (s StatusSummary) words(now time.Time) string {
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
	for _, c := range s.Clocks {
		b.WriteString(c)
	}
	for _, d := range s.Divergences {
		b.WriteString(d)
	}
	if len(s.Peers) == 0 {
		b.WriteString("还没有和任何设备配对。")
	}
	for _, p := range s.Peers {
		fmt.Fprintf(&b, "\n%s（%s）：", p.Name, roleZh(p.Role))
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
		fmt.Fprintf(&b, "；已收到 %s，已发出 %s", bytesWord(p.BytesIn), bytesWord(p.BytesOut))
		if p.ToFetch > 0 {
			fmt.Fprintf(&b, "；等着从它收 %d 个文件", p.ToFetch)
		}
		if p.Received != "" {
			fmt.Fprintf(&b, "；%s", p.Received)
		}
		if p.LastError != "" {
			fmt.Fprintf(&b, "；上次的问题：%s", p.LastError)
		}
	}
	return strings.TrimSpace(b.String())
}

func roleZh(role string) string {
	switch role {
	case store.RoleStation:
		return "派出所"
	case store.RolePost:
		return "警务室"
	case store.RoleCounty:
		return "县局"
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

func bytesWord(n int64) string {
	switch {
	case n < 10<<10:
		return fmt.Sprintf("%d B", n)
	case n < 10<<20:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d MB", n>>20)
}
