// Package syncwords says the sync state in the words of the sync area's
// translations (zh.json, en.json beside it), for the window (through
// Fyne's lang.L) and for `cunjing sync --once` and `exchange` (through
// Zh, the Chinese table read without Fyne): a sentence both show is
// worded by one function from one entry of the files, so 同步 and the
// command line never say it two ways (as package stationwords does for a
// station's figures). sync/status gives the facts: numbers, kinds,
// times; what of it it says in Chinese itself (a clock apart, a pause, a
// divergence, a pairing lost) both show as it says it.
package syncwords

import (
	"fmt"
	"strings"
	"time"

	"cunjing/app/lang/translations"
	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/store/syncbook"
	"cunjing/sync/status"
)

// L looks a message key up: lang.L in the window, Zh on the command line.
type L = translations.L

// Zh is the Chinese words of key (translations.Zh), for the command line.
func Zh(key string) string { return translations.Zh(key) }

// Withheld says what a post did not keep of other devices' records ("" when
// nothing): an older station's software sent every post its own records
// (households, visits, emergency cards … of other villages or of the
// station itself); this post removed them from this PC alone when it was
// upgraded, or did not take those that came since — the station and other
// posts keep theirs, and nothing of this post's own records was touched.
func Withheld(l L, w syncbook.Withheld) string {
	if !w.Any() {
		return ""
	}
	var b strings.Builder
	if w.Removed > 0 {
		fmt.Fprintf(&b, l("sync.withheld.removed"), w.Removed, w.RemovedChanges)
	}
	if w.Refused > 0 {
		fmt.Fprintf(&b, l("sync.withheld.refused"), w.Refused, w.RefusedChanges)
	}
	b.WriteString(l("sync.withheld.kept"))
	return b.String()
}

// State is where things stand, a sentence each, as 同步 says them under
// 现在的情况 and the command line's status begins: what is not packed
// yet, what was packed and received, that every paired device has
// everything (AllAcked), what waits for an earlier package, what was
// refused, what a post did not keep (Withheld).
func State(l L, s status.Summary) []string {
	var out []string
	if s.Uncut == 0 {
		out = append(out, l("sync.allPacked"))
	} else {
		out = append(out, fmt.Sprintf(l("sync.uncut"), s.Uncut))
	}
	out = append(out, fmt.Sprintf(l("sync.counts"), s.Cut, s.Received))
	if AllAcked(s) {
		out = append(out, l("sync.allAcked"))
	}
	if s.WaitingIn > 0 {
		out = append(out, fmt.Sprintf(l("sync.waitingIn"), s.WaitingIn))
	}
	if s.Rejected > 0 {
		out = append(out, fmt.Sprintf(l("sync.rejected"), s.Rejected))
	}
	if w := Withheld(l, s.Withheld); w != "" {
		out = append(out, w)
	}
	return out
}

// AllAcked: with more than one paired post or station, nothing is left
// to pack and every one has acknowledged everything made here for it, at
// least one of them something (with one, its own line says so).
func AllAcked(s status.Summary) bool {
	if s.Uncut > 0 || !s.Acknowledged {
		return false
	}
	n, some := 0, false
	for _, p := range s.Peers {
		if p.Role == store.RolePost || p.Role == store.RoleStation || p.Role == store.RoleCounty {
			n++
			some = some || p.AckThrough != ""
		}
	}
	return n > 1 && some
}

// NoPeers is said when this device is paired with nobody ("" otherwise;
// a pairing a restore lost is said by its own words).
func NoPeers(l L, s status.Summary) string {
	if len(s.Peers) == 0 && len(s.Lost) == 0 {
		return l("sync.noPeers")
	}
	return ""
}

// PeerLines are what is said of one paired device, a line each, as 同步's
// card of it says them: when it was last reached and how, what waits to
// come from it, what it sent and received, what it has received of what
// was made here (Received), the last problem (Problem) and, under it,
// the program's own text of a problem without words (Raw). now is the
// caller's clock; times of day are Beijing time.
func PeerLines(l L, selfRole string, p status.Peer, now time.Time) []string {
	return nonEmpty(Contact(l, p, now), Path(l, p.LastPath), Fetch(l, p.ToFetch), Bytes(l, p.BytesIn, p.BytesOut),
		Received(l, selfRole, p, clock.Zone), Problem(l, p), Raw(p))
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Text is the whole status as the command line prints it: where things
// stand (State), what sync/status says in its own words (a pause, files
// past what is excused, a clock apart, what keeps this device and a peer
// apart), then each paired device, its name and role and, indented,
// PeerLines.
func Text(l L, s status.Summary, now time.Time) string {
	lines := State(l, s)
	lines = append(lines, s.Paused...)
	lines = append(lines, s.OverExcused...)
	lines = append(lines, s.Clocks...)
	lines = append(lines, s.Divergences...)
	if w := NoPeers(l, s); w != "" {
		lines = append(lines, w)
	}
	for _, p := range s.Peers {
		lines = append(lines, fmt.Sprintf(l("sync.peerHead"), p.Name, Role(l, p.Role)))
		for _, w := range PeerLines(l, s.Role, p, now) {
			lines = append(lines, "  "+w)
		}
	}
	return strings.Join(lines, "\n")
}

// Fill puts in s, in Chinese, the words of its facts that the app says
// (sync/status words them only for the sync engine's own use): the
// command line's JSON (text, ack_words, withheld_words, a peer's
// received_words and last_problem) and text say them as 同步 does. now is
// the caller's clock (the store's). Filling again says the same.
func Fill(s *status.Summary, now time.Time) {
	s.WithheldWords = Withheld(Zh, s.Withheld)
	s.AckWords = nil
	for i := range s.Peers {
		p := &s.Peers[i]
		p.Received = Received(Zh, s.Role, *p, clock.Zone)
		p.Problem = Cause(Zh, *p)
		if p.Received != "" {
			s.AckWords = append(s.AckWords, p.Received)
		}
	}
	s.Text = Text(Zh, *s, now)
}
