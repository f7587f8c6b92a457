package sync

// Healing splits. A device restored from an older backup reuses changeset
// numbers its peers already hold and lacks changes they hold; a PC whose
// clock is years off stamps its changes there. None of this may leave a
// post and its station apart in silence:
//
//   - every changeset a device applies from a peer is kept in that
//     stream's folder, whatever carried it, so the peer can have its own
//     changesets back (BEP announces the folder; an exchange folder that
//     holds some of a chain gets the rest, see writeBack);
//   - a device takes back its own changesets: one that follows its
//     stream's head continues the stream from it (no number is used
//     twice), any other is merged (its changes are this device's own);
//   - a changeset whose place in its chain is taken (a fork, a broken
//     chain) is refused its place but its changes are merged anyway (they
//     are signed by their maker, and merging is order-free), and its maker
//     is told, in a note in the next changeset to it, where this device
//     stands in that chain; the maker takes up its stream again after that
//     head and cuts again what may not have arrived (syncbook.Book.Rebase);
//   - a device measures its peers' clocks (a BEP handshake's timestamp,
//     changes stamped more than a day ahead) and tells a peer whose changes
//     come stamped ahead, so both name the PC whose clock is off.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"filippo.io/age"

	"cunjing/store"
	"cunjing/store/syncbook"
	"cunjing/sync/changeset"
	"cunjing/sync/safefile"
)

// seenRefused marks, in sync_seen, a changeset refused its place in its
// chain: its changes were merged, it is not read again.
const seenRefused = "refused"

type chainFault int

const (
	chainConflict chainFault = iota // its number was taken by another changeset
	chainReplay                     // older than what was applied
	chainBroken                     // does not follow the changeset applied before it
)

// peerName is how a device is called in messages: its name, or the start
// of its ID.
func (e *Engine) peerName(ctx context.Context, id string) string {
	if p, err := e.book.Peer(ctx, id); err == nil && p.Name != "" {
		return p.Name
	}
	return id[:min(7, len(id))]
}

// refuseChain refuses a verified changeset its place in its chain (logged
// in Chinese and English), merges its changes anyway, keeps a copy, and
// owes its maker a note saying where this device stands in that chain.
func (e *Engine) refuseChain(ctx context.Context, r Result, carrier, name string, o prepared, data []byte, fault chainFault) (Result, error) {
	h := o.Header
	head, headDigest, err := e.book.ChainHead(ctx, h.Origin, h.Stream)
	if err != nil {
		return r, err
	}
	who := e.peerName(ctx, h.Origin)
	var why, en string
	switch fault {
	case chainConflict:
		why = fmt.Sprintf("和先前已收到的第 %d 号内容不同（多半是发出它的电脑从较早的备份恢复后重复用了这个号）", h.Seq)
		en = fmt.Sprintf("conflicting changeset: sequence %d of %s was already received with different content (a restored device or a forged fork)", h.Seq, h.Stream)
	case chainReplay:
		why = fmt.Sprintf("比已收到的第 %d 号还旧", head)
		en = fmt.Sprintf("replay: sequence %d of %s is older than what was applied (%d)", h.Seq, h.Stream, head)
	default:
		why = fmt.Sprintf("接不上先前已收到的第 %d 号（多半是发出它的电脑从较早的备份恢复过）", head)
		en = fmt.Sprintf("broken chain: sequence %d of %s does not follow the changeset applied before it", h.Seq, h.Stream)
	}
	zh := fmt.Sprintf("「%s」的第 %d 号数据包%s。里面的修改已经合并，但没有排进它的序列；已告诉对方这里收到第 %d 号为止，请从第 %d 号接着发。",
		who, h.Seq, why, head, head+1)
	r, err = e.reject(ctx, r, carrier, h.Origin, RejectChain, zh+" ("+en+")")
	if err != nil {
		return r, err
	}
	in := syncbook.InChangeset{Origin: h.Origin, Stream: h.Stream, Seq: h.Seq, Name: name}
	res, err := e.apply(ctx, carrier, in, o, &r, func(*store.Tx, int64) error { return nil })
	if err != nil {
		return r, err
	}
	if err := e.keepCopy(ctx, h.Stream, name, data); err != nil {
		return r, err
	}
	if err := e.measureStamps(ctx, h.Origin, res.Ahead); err != nil {
		return r, err
	}
	if err := e.readNotes(ctx, carrier, h); err != nil {
		return r, err
	}
	if err := e.book.MarkSeen(ctx, name, seenRefused); err != nil {
		return r, err
	}
	agreed, known := uint64(0), h.Seq == 1 && h.Prev == ""
	if !known {
		if agreed, known, err = e.book.AppliedSeq(ctx, h.Origin, h.Stream, h.Prev); err != nil {
			return r, err
		}
	}
	old, open, found, err := e.note(ctx, h.Origin, changeset.NoteChain, h.Stream)
	if err != nil {
		return r, err
	}
	switch {
	case found && !open && h.Seq <= old.Head:
		// The maker took up its chain after a head it was told, and this
		// one is older than that: a copy of a changeset it has dropped
		// since. Nothing to tell it.
		return r, nil
	case found && open && (!known || old.Agreed < agreed):
		// An earlier refusal of this chain knew better where the two agree.
		agreed = old.Agreed
	}
	if found && open && old.Head == head && old.Digest == headDigest && old.Agreed == agreed {
		return r, nil // told already
	}
	n := changeset.Note{Kind: changeset.NoteChain, About: h.Origin, Stream: h.Stream, Head: head, Digest: headDigest,
		Agreed: agreed, Refused: h.Seq, Reason: why}
	e.kick()
	return r, e.putNote(ctx, n)
}

func (e *Engine) putNote(ctx context.Context, n changeset.Note) error {
	b, err := json.Marshal(n)
	if err != nil {
		return err
	}
	return e.book.PutNote(ctx, syncbook.NoteRow{About: n.About, Kind: n.Kind, Stream: n.Stream, Body: string(b)})
}

// note returns the note of a kind about a peer's stream, and whether it is
// open and found at all.
func (e *Engine) note(ctx context.Context, about, kind, stream string) (n changeset.Note, open, found bool, err error) {
	row, found, err := e.book.Note(ctx, about, kind, stream)
	if err != nil || !found {
		return n, false, false, err
	}
	if err := json.Unmarshal([]byte(row.Body), &n); err != nil {
		return n, false, false, fmt.Errorf("note for %s: %w", about, err)
	}
	return n, row.Open, true, nil
}

// heardChain closes the chain note about a peer's stream once a changeset
// of it follows the head the note named: the peer took up its stream.
func (e *Engine) heardChain(ctx context.Context, h changeset.Header) error {
	n, open, _, err := e.note(ctx, h.Origin, changeset.NoteChain, h.Stream)
	if err != nil || !open || h.Seq <= n.Head {
		return err
	}
	return e.st.Update(ctx, func(tx *store.Tx) error { return tx.SyncBook().CloseNote(ctx, h.Origin, changeset.NoteChain, h.Stream) })
}

// keepCopy keeps a changeset applied from another device in its stream's
// folder, where BEP serves it and writeBack finds it: a device restored
// from an older backup gets its own changesets back from its peers.
func (e *Engine) keepCopy(ctx context.Context, stream, name string, data []byte) error {
	folders, err := e.Folders(ctx)
	if err != nil {
		return err
	}
	for _, f := range folders {
		if f.ID != stream {
			continue
		}
		dir := e.FolderDir(stream)
		if safefile.Exists(filepath.Join(dir, name)) {
			return nil
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("keep %s: %w", name, err)
		}
		return safefile.WriteAtomic(dir, name, data)
	}
	return nil
}

// importOwn takes a changeset of this device coming back to it: one it cut
// before its database was restored from an older backup (kept by a peer,
// or still in its folder), or another copy of one it has. Its changes are
// this device's own and are merged; if it follows the stream's head it
// rejoins the stream, with any of its successors that came before it.
func (e *Engine) importOwn(ctx context.Context, carrier, name string, data []byte, o prepared, r Result) (Result, error) {
	h := o.Header
	r.Outcome = Own
	if out, ok, err := e.book.OutAt(ctx, h.Stream, h.Seq); err != nil {
		return r, err
	} else if ok && out.Digest == o.Digest {
		return r, e.book.MarkSeen(ctx, name, "own")
	}
	if in, _, ok, err := e.book.InChangeset(ctx, h.Origin, h.Stream, h.Seq); err != nil {
		return r, err
	} else if ok && in.Digest == o.Digest {
		r.Outcome = Duplicate
		return r, nil
	}
	adopted, err := e.takeBack(ctx, carrier, name, data, o, &r)
	if err != nil || !adopted {
		return r, err
	}
	e.log.Info("took back a changeset cut before a restore", "file", name, "stream", h.Stream, "seq", h.Seq)
	// Successors taken back earlier (merged, kept) rejoin the stream too.
	prev := o.Digest
	for next := h.Seq + 1; ; next++ {
		w, wdata, ok, err := e.book.InChangeset(ctx, h.Origin, h.Stream, next)
		if err != nil || !ok || w.Prev != prev || wdata == nil {
			return r, err
		}
		wo, err := e.openChangeset(ctx, wdata)
		if err != nil {
			return r, nil
		}
		ok, err = e.adoptOnly(ctx, w.Name, wdata, wo)
		if err != nil || !ok {
			return r, err
		}
		prev = wo.Digest
	}
}

func (e *Engine) ownOut(name string, data []byte, o prepared) syncbook.OutChangeset {
	h := o.Header
	return syncbook.OutChangeset{Stream: h.Stream, Seq: h.Seq, Name: name, Digest: o.Digest, Changes: h.Count, Blobs: h.Blobs, Data: data}
}

// takeBack merges an own changeset and, if it follows the stream's head,
// puts it back in the stream; otherwise it is remembered (with its data)
// as received.
func (e *Engine) takeBack(ctx context.Context, carrier, name string, data []byte, o prepared, r *Result) (bool, error) {
	h := o.Header
	in := syncbook.InChangeset{Origin: h.Origin, Stream: h.Stream, Seq: h.Seq, Digest: o.Digest, Prev: h.Prev,
		Name: name, Changes: h.Count, Bytes: int64(len(data)), State: syncbook.InApplied}
	adopted := false
	_, err := e.apply(ctx, carrier, in, o, r, func(tx *store.Tx, before int64) error {
		after, err := tx.MaxChangeSeq()
		if err != nil {
			return err
		}
		if adopted, err = tx.SyncBook().AdoptCut(ctx, e.ownOut(name, data, o), h.Prev, before, after); err != nil || adopted {
			return err
		}
		return tx.SyncBook().RecordIn(ctx, in, data)
	})
	if err != nil || !adopted {
		return adopted, err
	}
	return true, e.WriteOut(ctx, e.FolderDir(h.Stream), h.Stream)
}

// adoptOnly puts an own changeset merged earlier back in its stream.
func (e *Engine) adoptOnly(ctx context.Context, name string, data []byte, o prepared) (bool, error) {
	adopted := false
	err := e.st.Update(ctx, func(tx *store.Tx) error {
		var err error
		adopted, err = tx.SyncBook().AdoptCut(ctx, e.ownOut(name, data, o), o.Header.Prev, 1<<62, 0)
		return err
	})
	if err != nil || !adopted {
		return adopted, err
	}
	return true, e.WriteOut(ctx, e.FolderDir(o.Header.Stream), o.Header.Stream)
}

// readNotes acts on the notes a peer's changeset carries about this device.
func (e *Engine) readNotes(ctx context.Context, carrier string, h changeset.Header) error {
	for _, n := range h.Notes {
		if n.About != e.Self() {
			continue
		}
		switch n.Kind {
		case changeset.NoteClock:
			if err := e.book.SetPeerClock(ctx, h.Origin, -n.ClockMs, syncbook.ClockByNote); err != nil {
				return err
			}
		case changeset.NoteChain:
			if err := e.takeUp(ctx, carrier, h.Origin, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// takeUp acts on a peer's chain note about one of this device's streams:
// unless this device's chain already holds the head the peer named, it
// takes up its stream after that head (syncbook.Book.Rebase) and says so in its
// rejection log.
func (e *Engine) takeUp(ctx context.Context, carrier, from string, n changeset.Note) error {
	streams, err := e.streams(ctx)
	if err != nil {
		return err
	}
	mine := false
	for _, s := range streams {
		mine = mine || s.id == n.Stream
	}
	if !mine {
		return nil
	}
	if n.Head > 0 {
		if out, ok, err := e.book.OutAt(ctx, n.Stream, n.Head); err != nil {
			return err
		} else if ok && out.Digest == n.Digest {
			return nil // our chain holds what the peer has: the note is old news
		}
	}
	st, err := e.book.StreamState(ctx, n.Stream)
	if err != nil {
		return err
	}
	if st.Seq == n.Head && st.Digest == n.Digest {
		return nil
	}
	res, err := e.book.Rebase(ctx, n.Stream, n.Head, n.Digest, n.Agreed)
	if err != nil || !res.Done {
		return err
	}
	again := fmt.Sprintf("第 %d 号以后的修改重新打包", n.Agreed)
	if n.Agreed == 0 {
		again = "全部修改重新打包"
	}
	reason := fmt.Sprintf("「%s」没有把本机的第 %d 号数据包排进序列：它%s。里面的修改那边已经合并。本机已改为从第 %d 号接着发，%s（作废了本机 %d 个数据包）。",
		e.peerName(ctx, from), n.Refused, n.Reason, n.Head+1, again, len(res.Dropped))
	file := ""
	if len(res.Dropped) > 0 {
		file = res.Dropped[0]
	}
	if _, err := e.book.LogReject(ctx, syncbook.Reject{Carrier: carrier, File: file, Origin: from, Kind: string(RejectRebased), Reason: reason}); err != nil {
		return err
	}
	e.log.Warn("took up the stream after the peer's head", "peer", from, "stream", n.Stream, "head", n.Head,
		"agreed", n.Agreed, "dropped", len(res.Dropped))
	e.kick()
	return nil
}

// measureStamps notes a peer's clock from the stamps of its changes just
// merged (store.ApplyResult.Ahead): stamped more than MaxAhead past this
// PC's clock, its clock runs ahead by at least that much; stamped within a
// day, the two agree again (older stamps say nothing: the changes may have
// travelled for days). The peer is told either way (a clock note).
func (e *Engine) measureStamps(ctx context.Context, origin string, ahead map[string]time.Duration) error {
	d, ok := ahead[origin]
	if !ok {
		return nil
	}
	p, err := e.book.Peer(ctx, origin)
	if err != nil {
		return nil // ourselves, or not a peer
	}
	var ms int64
	switch {
	case d > store.MaxAhead:
		ms = d.Round(time.Hour).Milliseconds()
		if p.ClockBy == syncbook.ClockByStamps && abs(p.ClockMs-ms) < time.Hour.Milliseconds() {
			return nil
		}
	case d >= -store.MaxAhead && d <= store.MaxAhead && p.ClockMs != 0:
		// Fresh changes stamped within a day of this PC's clock: the
		// two clocks agree again, however the offset was measured.
		ms = 0
	default:
		return nil
	}
	if err := e.book.SetPeerClock(ctx, origin, ms, syncbook.ClockByStamps); err != nil {
		return err
	}
	e.kick()
	return e.putNote(ctx, changeset.Note{Kind: changeset.NoteClock, About: origin, ClockMs: ms})
}

// NoteHelloClock records a peer's clock as its BEP handshake gave it
// (remote minus local).
func (e *Engine) NoteHelloClock(ctx context.Context, peer string, offset time.Duration) error {
	ms := offset.Milliseconds()
	if offset >= -store.MaxAhead && offset <= store.MaxAhead {
		ms = 0
	}
	return e.book.SetPeerClock(ctx, peer, ms, syncbook.ClockByHello)
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// kick tells whoever runs the engine that a cut is owed (a note to send,
// a stream taken up again).
func (e *Engine) kick() {
	e.mu.Lock()
	e.owed = true
	e.mu.Unlock()
}

// CutOwed reports (and clears) whether something happened since the last
// call that a cut should carry out soon: a note to a peer, a stream taken
// up after a peer's head.
func (e *Engine) CutOwed() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	o := e.owed
	e.owed = false
	return o
}

// notesFor returns the unsent notes a stream should carry: those about a
// recipient of it for whom no stream with fewer recipients exists.
func (e *Engine) notesFor(ctx context.Context, s stream, all []stream) ([]changeset.Note, []syncbook.NoteRow, error) {
	rows, err := e.book.Notes(ctx, true)
	if err != nil || len(rows) == 0 {
		return nil, nil, err
	}
	var notes []changeset.Note
	var used []syncbook.NoteRow
	for _, row := range rows {
		best := ""
		bestN := 1 << 30
		for _, t := range all {
			for _, p := range t.recipients {
				// The fewest recipients, and a post's own stream first.
				if p.DeviceID == row.About && (len(t.recipients) < bestN || len(t.recipients) == bestN && t.id == PostFolder(row.About)) {
					best, bestN = t.id, len(t.recipients)
				}
			}
		}
		if best != s.id {
			continue
		}
		var n changeset.Note
		if err := json.Unmarshal([]byte(row.Body), &n); err != nil {
			return nil, nil, fmt.Errorf("note for %s: %w", row.About, err)
		}
		notes = append(notes, n)
		used = append(used, row)
		if len(notes) == changeset.MaxNotes {
			break
		}
	}
	return notes, used, nil
}

// writeBack writes into an exchange folder the changesets of other
// devices' chains this device keeps (keepCopy) that the folder lacks,
// for every chain the folder holds some of: a device restored from an
// older backup writes its chain there as it has it, and finds there the
// rest of it, with the media those changesets refer to.
func (e *Engine) writeBack(ctx context.Context, dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("write out: %w", err)
	}
	have := map[string]bool{}
	chains := map[string]bool{}
	for _, en := range ents {
		have[en.Name()] = true
		if p := chainPrefix(en.Name()); p != "" {
			chains[p] = true
		}
	}
	folders, err := e.Folders(ctx)
	if err != nil {
		return err
	}
	mine := chainPrefixOf(e.Self())
	holds := map[string]map[string]uint64{}
	for _, f := range folders {
		src := e.FolderDir(f.ID)
		kept, err := os.ReadDir(src)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("write out: %w", err)
		}
		var names []string
		for _, k := range kept {
			n := k.Name()
			if p := chainPrefix(n); p != "" && chains[p] && !have[n] && !strings.HasPrefix(p, mine) {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			if err := ctx.Err(); err != nil {
				return err
			}
			data, _, err := safefile.Read(src, n, changeset.MaxFileSize)
			if err != nil {
				continue // being replaced, or unreadable: it is not ours to fix
			}
			hint, err := changeset.Peek(data)
			if err != nil {
				continue
			}
			// What its origin says, in a receipt, that it holds of its own
			// chain need not go back to it.
			if _, ok := holds[hint.Origin]; !ok {
				if holds[hint.Origin], err = e.peerHolds(ctx, hint.Origin); err != nil {
					return err
				}
			}
			if hint.Seq <= holds[hint.Origin][hint.Stream] {
				continue
			}
			if o, err := e.openChangeset(ctx, data); err == nil {
				for _, b := range o.Header.Blobs {
					if err := e.writeBlobTo(ctx, dir, b, []string{hint.Origin}); err != nil {
						return err
					}
				}
			}
			if err := safefile.WriteAtomic(dir, n, data); err != nil {
				return err
			}
			have[n] = true
		}
	}
	return nil
}

// chainPrefix is the part of a changeset's file name that names its chain
// (origin and stream), or "" if name is not a changeset's.
func chainPrefix(name string) string {
	if !changeset.IsName(name) {
		return ""
	}
	parts := strings.SplitN(name, "-", 5)
	if len(parts) != 5 {
		return ""
	}
	return parts[0] + "-" + parts[1] + "-" + parts[2] + "-"
}

// chainPrefixOf is the start of the file names of an origin's changesets.
func chainPrefixOf(origin string) string {
	n := changeset.Name(origin, "x", 1, nil)
	return n[:strings.IndexByte(n[3:], '-')+4]
}

// writeBlobTo writes a stored blob into dir sealed to this device and the
// given devices, unless dir has it.
func (e *Engine) writeBlobTo(ctx context.Context, dir, hash string, devices []string) error {
	name := changeset.BlobName(hash)
	if safefile.Exists(filepath.Join(dir, name)) {
		return nil
	}
	data, err := e.st.Blob(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	recips := []age.Recipient{e.id.Age.Recipient()}
	for _, d := range devices {
		p, err := e.book.Peer(ctx, d)
		if err != nil || p.Recipient == "" {
			continue
		}
		r, err := age.ParseX25519Recipient(p.Recipient)
		if err != nil {
			return fmt.Errorf("encryption key of %s: %w", p.Name, err)
		}
		recips = append(recips, r)
	}
	sealed, err := changeset.SealBlob(data, recips)
	if err != nil {
		return err
	}
	return safefile.WriteAtomic(dir, name, sealed)
}

// Divergences lists, in Chinese, what this device knows keeps it apart
// from peer ("" for every peer) until the next exchange heals it: a
// changeset of the peer refused its place in its chain here (the peer has
// been told where to continue), changesets of the peer waiting for one
// that has not come, a stream of this device taken up again after the
// peer's head and not cut since. A sync that leaves any is not complete.
func (e *Engine) Divergences(ctx context.Context, peer string) ([]string, error) {
	var out []string
	notes, err := e.book.Notes(ctx, false)
	if err != nil {
		return nil, err
	}
	for _, row := range notes {
		if row.Kind != changeset.NoteChain || (peer != "" && row.About != peer) {
			continue
		}
		var n changeset.Note
		if err := json.Unmarshal([]byte(row.Body), &n); err != nil {
			return nil, fmt.Errorf("note for %s: %w", row.About, err)
		}
		out = append(out, fmt.Sprintf("没有收下「%s」的第 %d 号数据包，正等它从第 %d 号接着发。", e.peerName(ctx, n.About), n.Refused, n.Head+1))
	}
	waiting, err := e.book.InChangesets(ctx, syncbook.InWaiting)
	if err != nil {
		return nil, err
	}
	for _, w := range waiting {
		if peer != "" && w.Origin != peer {
			continue
		}
		head, _, err := e.book.ChainHead(ctx, w.Origin, w.Stream)
		if err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("「%s」的第 %d 号数据包在等还没到的第 %d 号。", e.peerName(ctx, w.Origin), w.Seq, head+1))
	}
	streams, err := e.streams(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range streams {
		if peer != "" && !hasRecipient(s, peer) {
			continue
		}
		st, err := e.book.StreamState(ctx, s.id)
		if err != nil {
			return nil, err
		}
		if taken, err := e.book.Rebased(ctx, s.id, st.Seq, st.Digest); err != nil {
			return nil, err
		} else if taken {
			out = append(out, fmt.Sprintf("本机要从对方手里的第 %d 号接着发，还没发出。", st.Seq))
		}
	}
	return out, nil
}

// HeldNewer says, in Chinese and per origin, what changes of peer ("" for
// every peer) are held aside here because a newer version made them (a
// table or field this version lacks, store/held.go): merged once this
// device is upgraded. It is not a divergence a sync can heal, so a session
// is complete without it (Divergences leaves it out); Status shows it with
// the divergences. n is the number of changes waiting for the upgrade.
func (e *Engine) HeldNewer(ctx context.Context, peer string) (n int, words []string, err error) {
	held, err := e.st.HeldNewer(ctx)
	if err != nil {
		return 0, nil, err
	}
	for _, h := range held {
		if peer != "" && h.Origin != peer {
			continue
		}
		n += h.Waiting
		words = append(words, e.heldWords(ctx, h)...)
	}
	return n, words, nil
}

// heldWords says in Chinese what of one origin is held for a newer version.
func (e *Engine) heldWords(ctx context.Context, h store.HeldNewer) []string {
	name := "「" + e.peerName(ctx, h.Origin) + "」"
	if h.Origin == e.Self() {
		name = "本机（在较新版本中做的修改）"
	}
	var out []string
	if h.Waiting > 0 {
		if h.Origin == e.Self() {
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

func hasRecipient(s stream, id string) bool {
	for _, p := range s.recipients {
		if p.DeviceID == id {
			return true
		}
	}
	return false
}
