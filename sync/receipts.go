package sync

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"filippo.io/age"

	"cunjing/store"
	"cunjing/store/syncbook"
	"cunjing/sync/changeset"
	"cunjing/sync/safefile"
	"cunjing/sync/status"
)

// Receipts (issue #14). Each device tells each paired post or station,
// signed and encrypted like a changeset, how far it has applied that peer's
// streams (changeset.Receipt). A device makes a new receipt for a peer
// whenever the heads it applied of that peer change, writes it wherever it
// writes changesets for the peer (the BEP folder the two share, a stick),
// and keeps the latest verified receipt of each peer: what the peer has
// acknowledged. A stick then carries only what its peers have not
// acknowledged, and the status says, per peer, what it has and what it
// still waits for.

// Acknowledged is the outcome of a receipt file taken in.
const Acknowledged Outcome = "receipt"

// seenReceipt marks a receipt file of a peer already looked at.
const seenReceipt = "receipt"

// receiptPeers are the paired, unrevoked posts, stations and counties.
func (e *Engine) receiptPeers(ctx context.Context) ([]syncbook.Peer, error) {
	peers, err := e.book.Peers(ctx, false)
	if err != nil {
		return nil, err
	}
	var out []syncbook.Peer
	for _, p := range peers {
		if p.Role == store.RolePost || p.Role == store.RoleStation || p.Role == store.RoleCounty {
			out = append(out, p)
		}
	}
	return out, nil
}

// Receipt returns the current receipt for peer, making a new one when the
// heads applied here of the peer's streams changed since the last, the
// first time an engine is asked (after a restore from an older backup the
// last one held is older than what the peer has), and when the peer says
// it holds a receipt of this device numbered above the last one made here
// (a restore again: the peer would take the next one for a replay unless
// it is numbered higher). A receipt with no heads says "nothing of yours
// is here": a post rebuilt from its first backup gets everything again.
func (e *Engine) Receipt(ctx context.Context, p syncbook.Peer) (syncbook.ReceiptOut, bool, error) {
	return e.receipt(ctx, p, receiptFull)
}

// receiptMode says which receipt a folder or stick wants.
type receiptMode int

const (
	receiptFull receiptMode = iota // a stick: the current receipt
	// A BEP folder: a new receipt only when what it acknowledges of the
	// peer's streams changes (see receipt).
	receiptAcks
	// A BEP folder the peer itself reads (not a carrier): besides, no
	// first receipt that acknowledges nothing (see receipt).
	receiptAcksDirect
)

// receipt is Receipt; in a mode other than receiptFull, a change in how far this device holds
// its own streams alone (a cut of its own) makes no new receipt: the last
// one stands until what it acknowledges of the peer's streams changes.
// A BEP folder wants that: the peer sees this device's new changesets in
// the folder itself, and each receipt is another file (~1.7 KB in format
// 1, ~450 B in format 2, and an index entry, a request and the peer's
// index entry for it) on a link that carries a few tens of KB a day. A
// stick gets the full receipt.
func (e *Engine) receipt(ctx context.Context, p syncbook.Peer, mode receiptMode) (syncbook.ReceiptOut, bool, error) {
	ackOnly := mode != receiptFull
	heads, err := e.book.AppliedHeads(ctx, p.DeviceID)
	if err != nil {
		return syncbook.ReceiptOut{}, false, err
	}
	hs := make([]changeset.Head, 0, len(heads)+1)
	for _, h := range heads {
		hs = append(hs, changeset.Head{Origin: p.DeviceID, Stream: h.Stream, Seq: h.Seq, Digest: h.Digest})
	}
	// And how far this device holds its own streams to the peer: the peer
	// writes back to a stick only what of them this device lacks.
	streams, err := e.streams(ctx)
	if err != nil {
		return syncbook.ReceiptOut{}, false, err
	}
	for _, s := range streams {
		if !hasPeer(s.recipients, p.DeviceID) {
			continue
		}
		st, err := e.book.StreamState(ctx, s.id)
		if err != nil {
			return syncbook.ReceiptOut{}, false, err
		}
		if st.Seq > 0 {
			hs = append(hs, changeset.Head{Origin: e.Self(), Stream: s.id, Seq: st.Seq, Digest: st.Digest})
		}
	}
	hj, err := json.Marshal(hs)
	if err != nil {
		return syncbook.ReceiptOut{}, false, err
	}
	last, had, err := e.book.ReceiptOut(ctx, p.DeviceID)
	if err != nil {
		return last, false, err
	}
	// What the peer sent last: the number of its receipt this one says is
	// held here, and the number of ours it holds.
	theirs, _, err := e.book.ReceiptIn(ctx, p.DeviceID)
	if err != nil {
		return last, false, err
	}
	e.mu.Lock()
	again := e.receipted[p.DeviceID]
	e.receipted[p.DeviceID] = true
	format := e.receiptFormats[p.DeviceID]
	e.mu.Unlock()
	if format != changeset.ReceiptFormat2 {
		format = changeset.ReceiptFormat1
	}
	if mode == receiptAcksDirect && format == changeset.ReceiptFormat2 && len(heads) == 0 && !had && theirs.Held == 0 {
		// A first receipt for a BEP folder that acknowledges nothing of
		// the peer's tells the peer, at the other end of the session,
		// nothing: it holds no receipt of ours (its latest says so, or we
		// have none of it), so it takes us for holding nothing of its
		// streams already, and our own heads (for its write-back to
		// sticks) follow in the first receipt that acknowledges
		// something. It cost a post's link ~370 B of receipt, two index
		// entries and a request, one in four of its receipts (issue #22).
		// A stick, a carrier (stock Syncthing) and an older cunjing (one
		// that reads format 1 only) still get it.
		return last, false, nil
	}
	if had && again && last.Number >= theirs.Held && changeset.ReceiptFormat(last.Data) == format &&
		(last.Heads == string(hj) || ackOnly && sameAcked(last.Heads, hs, p.DeviceID)) {
		return last, true, nil
	}
	wall := e.st.Clock().WallNow()
	n := uint64(max(wall.UnixMilli(), 1))
	if had && last.Number >= n {
		n = last.Number + 1
	}
	if theirs.Held >= n {
		n = theirs.Held + 1
	}
	if n > changeset.MaxReceiptNumber {
		return last, false, fmt.Errorf("receipt for %s: number %d out of range", p.Name, n)
	}
	r, err := age.ParseX25519Recipient(p.Recipient)
	if err != nil {
		return last, false, fmt.Errorf("encryption key of %s: %w", p.Name, err)
	}
	rc := changeset.Receipt{From: e.Self(), To: p.DeviceID, Number: n, AtMs: wall.UnixMilli(), Heads: hs, Held: theirs.Number}
	var name string
	var data []byte
	if format == changeset.ReceiptFormat2 {
		name, data, err = changeset.SealReceipt2(rc, e.id.Sign, r)
	} else {
		name, data, err = changeset.SealReceipt(rc, e.id.Sign, []age.Recipient{e.id.Age.Recipient(), r})
	}
	if err != nil {
		return last, false, err
	}
	out := syncbook.ReceiptOut{Peer: p.DeviceID, Number: n, Heads: string(hj), Name: name, Data: data}
	if err := e.book.PutReceiptOut(ctx, out); err != nil {
		return last, false, err
	}
	if err := e.book.MarkSeen(ctx, name, "own"); err != nil {
		return last, false, err
	}
	return out, true, nil
}

// NoteReceiptFormat records the receipt format a peer said it reads (in
// its BEP hello): from then on this process makes its receipts for the
// peer in that format (1 unless the peer said 2), wherever they go. A
// peer on an older version says nothing of it and keeps getting format 1;
// one that says 2 gets a new receipt in format 2 (changeset.SealReceipt2:
// ~450 B instead of ~1.7 KB, issue #22), and format 1 again if it comes
// back on an older version.
func (e *Engine) NoteReceiptFormat(peer string, format int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.receiptFormats == nil {
		e.receiptFormats = map[string]int{}
	}
	e.receiptFormats[peer] = format
}

// sameAcked reports whether the heads of peer's streams in a receipt's
// heads (JSON, as kept in the book) are those in hs.
func sameAcked(lastJSON string, hs []changeset.Head, peer string) bool {
	var was []changeset.Head
	if json.Unmarshal([]byte(lastJSON), &was) != nil {
		return false
	}
	acked := func(hs []changeset.Head) []changeset.Head {
		var out []changeset.Head
		for _, h := range hs {
			if h.Origin == peer {
				out = append(out, h)
			}
		}
		return out
	}
	a, b := acked(was), acked(hs)
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// WriteReceipts writes into dir the current receipt for each peer in
// peers (nil: every paired post and station) and removes older receipts
// this device wrote there for them. It returns the bytes written.
func (e *Engine) WriteReceipts(ctx context.Context, dir string, peers []syncbook.Peer) (int64, error) {
	return e.writeReceipts(ctx, dir, peers, true, receiptFull)
}

// writeReceipts writes the receipts; prune removes this device's older
// receipts for the same peers from dir (a BEP folder keeps them: its index
// has no deletions); mode is as for receipt.
func (e *Engine) writeReceipts(ctx context.Context, dir string, peers []syncbook.Peer, prune bool, mode receiptMode) (int64, error) {
	if e.noReceipts {
		return 0, nil
	}
	if peers == nil {
		var err error
		if peers, err = e.receiptPeers(ctx); err != nil {
			return 0, err
		}
	}
	var n int64
	for _, p := range peers {
		r, ok, err := e.receipt(ctx, p, mode)
		if err != nil {
			return n, err
		}
		if !ok || safefile.HasSize(filepath.Join(dir, r.Name), int64(len(r.Data))) {
			continue
		}
		if e.afterReceiptMade != nil {
			e.afterReceiptMade()
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return n, err
		}
		if err := safefile.WriteAtomic(dir, r.Name, r.Data); err != nil {
			return n, err
		}
		n += int64(len(r.Data))
		if !prune {
			continue
		}
		// The newest receipt this database made for the peer (another
		// program on it may have made a newer one than r meanwhile).
		newest, ok, err := e.book.ReceiptOut(ctx, p.DeviceID)
		if err != nil {
			return n, err
		}
		if ok {
			pruneReceipts(dir, "rc-"+shortID(e.Self())+"-"+shortID(p.DeviceID)+"-", newest.Number)
		}
	}
	return n, nil
}

// pruneReceipts removes from dir the receipts of ours for one peer (their
// names start with prefix) numbered below newest, the number of the newest
// receipt this database made for it: they say less. Below that, not every
// one but the one just written: another program on this database (the
// window and `cunjing exchange`) writes the same stick, and a receipt
// made first but written last took away the newer one the other had
// written. Nor below the highest number on the stick: a name is no proof
// (the stick is untrusted), and a file planted with a higher number, or
// one left by this device before its database was restored, took away
// every receipt written after it. A name whose number cannot be read is
// left alone.
func pruneReceipts(dir, prefix string, newest uint64) {
	es, _ := os.ReadDir(dir)
	for _, en := range es {
		nm := en.Name()
		if !strings.HasPrefix(nm, prefix) || !changeset.IsReceiptName(nm) {
			continue
		}
		num, _, _ := strings.Cut(nm[len(prefix):], "-")
		n, err := strconv.ParseUint(num, 10, 64)
		if err != nil {
			continue
		}
		if n < newest {
			_ = os.Remove(filepath.Join(dir, nm))
		}
	}
}

func shortID(id string) string {
	id = strings.ReplaceAll(id, "-", "")
	if len(id) > 7 {
		id = id[:7]
	}
	return id
}

// importReceipt verifies a receipt file and keeps it as its sender's
// latest if it is newer than the one held. A forged, unpaired, revoked or
// misaddressed receipt, or an old one carried again, changes nothing and
// is logged.
func (e *Engine) importReceipt(ctx context.Context, carrier, name string, data []byte, final bool) (Result, error) {
	r := Result{File: name}
	if o, ok, err := e.book.Seen(ctx, name); err != nil {
		return r, err
	} else if ok {
		switch o {
		case "own":
			r.Outcome = Own
		case string(NotForUs):
			r.Outcome = NotForUs
		default:
			r.Outcome = Duplicate
		}
		return r, nil
	}
	if !changeset.ReceiptNameMatches(name, data) {
		if !final {
			r.Outcome = NotReady
			return r, nil
		}
		return e.reject(ctx, r, carrier, "", RejectDamaged, "damaged or truncated receipt: content does not match the hash in its name")
	}
	rr := changeset.ReceiptReader{Self: e.Self(), Identity: e.id.Age, Keys: e.keys(ctx)}
	if changeset.ReceiptFormat(data) == changeset.ReceiptFormat2 {
		// Format 2 names its sender by reference: one of these.
		peers, err := e.book.Peers(ctx, true)
		if err != nil {
			return r, err
		}
		for _, p := range peers {
			rr.Peers = append(rr.Peers, p.DeviceID)
		}
	}
	from, _ := rr.Sender(data) // Open reports a bad header
	if from == e.Self() {
		r.Outcome = Own
		return r, e.book.MarkSeen(ctx, name, "own")
	}
	rc, err := rr.Open(data)
	if err == changeset.ErrNotForUs {
		r.Outcome = NotForUs
		return r, e.book.MarkSeen(ctx, name, string(NotForUs))
	}
	// Until it verifies, its sender is whoever its header claims: only a
	// verified one is named, in the result and the rejection log.
	kind := RejectUnverified // its signature, encryption or format (sync/quarantine counts it)
	if err == nil {
		r.Origin = rc.From
		if rc.To != e.Self() {
			kind, err = RejectReceipt, fmt.Errorf("receipt %s/%d is addressed to %s, not to this device", rc.From, rc.Number, rc.To)
		}
	}
	if err != nil {
		r, err = e.reject(ctx, r, carrier, r.Origin, kind, err.Error())
		if err == nil {
			err = e.book.MarkSeen(ctx, name, seenReceipt)
		}
		return r, err
	}
	r.Sequence = rc.Number
	var mine []changeset.Head // what it holds of ours, and of its own
	for _, h := range rc.Heads {
		if h.Origin == e.Self() || h.Origin == rc.From {
			mine = append(mine, h)
		}
	}
	if mine == nil {
		mine = []changeset.Head{}
	}
	hj, err := json.Marshal(mine)
	if err != nil {
		return r, err
	}
	fresh, err := e.book.PutReceiptIn(ctx, syncbook.ReceiptIn{Peer: rc.From, Number: rc.Number, AtMs: rc.AtMs, Heads: string(hj), Held: rc.Held})
	if err != nil {
		return r, err
	}
	if !fresh {
		held, _, err := e.book.ReceiptIn(ctx, rc.From)
		if err != nil {
			return r, err
		}
		if held.Number == rc.Number && held.AtMs == rc.AtMs && held.Heads == string(hj) && held.Held == rc.Held {
			// This very receipt, taken in meanwhile by another program
			// on this database (the window and `cunjing exchange` on
			// one stick): a duplicate, not a replay.
			r.Outcome = Duplicate
			return r, e.book.MarkSeen(ctx, name, seenReceipt)
		}
		// A replay, or a peer restored from an older backup (or on a PC
		// whose clock is behind) numbering from where its backup left
		// off: the next receipt to it is a new one, saying which number
		// of its is held here, so that it can number above it.
		e.mu.Lock()
		delete(e.receipted, rc.From)
		e.mu.Unlock()
		r, err = e.reject(ctx, r, carrier, from, RejectReceipt, fmt.Sprintf("回执编号 %d 不比已有的 %d 新（旧的或重放的回执），未采用 (receipt %d is not newer than %d held: old or replayed, ignored)",
			rc.Number, held.Number, rc.Number, held.Number))
		if err == nil {
			err = e.book.MarkSeen(ctx, name, seenReceipt)
		}
		return r, err
	}
	r.Outcome = Acknowledged
	// A new receipt, by any carrier, is an exchange that went well.
	if err := status.Exchanged(ctx, e.book, rc.From, true); err != nil {
		return r, err
	}
	e.log.Info("receipt", "from", rc.From, "number", rc.Number, "heads", len(mine), "carrier", carrier)
	return r, e.book.MarkSeen(ctx, name, seenReceipt)
}

// PeerAck is how far one peer has acknowledged what this device holds for
// it.
type PeerAck struct {
	Peer string `json:"peer"`
	Name string `json:"-"`
	Role string `json:"-"`
	// Changesets not yet acknowledged, and when the oldest was cut.
	Changesets int    `json:"changesets"`
	Since      string `json:"since,omitempty"`
	// Through is when the newest acknowledged changeset was cut: the peer
	// has every change made here before then ("" none acknowledged).
	Through string `json:"-"`
	// Receipt says whether a receipt of the peer was ever taken in.
	Receipt bool `json:"-"`
}

// Acknowledged reports whether the peer holds everything cut for it.
func (a PeerAck) Acknowledged() bool { return a.Changesets == 0 }

// acked returns, per stream, the sequence number up to which the peer's
// latest receipt acknowledges this device's changesets (a head whose
// digest is not the one cut here acknowledges nothing of that stream).
func (e *Engine) acked(ctx context.Context, peer string) (map[string]uint64, bool, error) {
	out := map[string]uint64{}
	if e.noReceipts {
		return out, false, nil
	}
	r, ok, err := e.book.ReceiptIn(ctx, peer)
	if err != nil || !ok {
		return out, ok, err
	}
	var hs []changeset.Head
	if err := json.Unmarshal([]byte(r.Heads), &hs); err != nil {
		return out, ok, fmt.Errorf("receipt of %s: %w", peer, err)
	}
	for _, h := range hs {
		if h.Origin != e.Self() {
			continue
		}
		outs, err := e.book.OutChangesets(ctx, h.Stream, h.Seq-1)
		if err != nil {
			return out, ok, err
		}
		if len(outs) > 0 && outs[0].Seq == h.Seq && outs[0].Digest == h.Digest {
			out[h.Stream] = h.Seq
			continue
		}
		// The head this device took its stream up after (a rebase: the
		// peer refused changesets cut here after a restore, and this
		// device dropped them and continued after the peer's head). Its
		// changeset is the peer's version, not cut here, yet the peer
		// holds the chain to it, and what is left here up to it is what
		// both agree on.
		rebased, err := e.book.Rebased(ctx, h.Stream, h.Seq, h.Digest)
		if err != nil {
			return out, ok, err
		}
		if rebased {
			out[h.Stream] = h.Seq
		}
	}
	return out, ok, nil
}

// Acks lists, per paired post or station, what it has acknowledged of what
// this device cut for it.
func (e *Engine) Acks(ctx context.Context) ([]PeerAck, error) {
	peers, err := e.receiptPeers(ctx)
	if err != nil {
		return nil, err
	}
	streams, err := e.streams(ctx)
	if err != nil {
		return nil, err
	}
	// Through is dated by the last changeset acknowledged in each stream
	// (the latest cut), not the greatest date: one cut while this PC's
	// clock ran years fast would date everything the peer holds years
	// ahead (shown without the year, a day that looks like yesterday)
	// until a later date came. A stream's last date beyond this PC's
	// clock is believed only when no stream has one within it.
	reach := e.st.Clock().WallNow().Add(store.MaxAhead).UTC().Format(time.RFC3339Nano)
	var out []PeerAck
	for _, p := range peers {
		a := PeerAck{Peer: p.DeviceID, Name: p.Name, Role: p.Role}
		acked, had, err := e.acked(ctx, p.DeviceID)
		if err != nil {
			return nil, err
		}
		a.Receipt = had
		far := ""
		for _, s := range streams {
			if !hasPeer(s.recipients, p.DeviceID) {
				continue
			}
			outs, err := e.book.OutChangesets(ctx, s.id, 0)
			if err != nil {
				return nil, err
			}
			last, lastSeq := "", uint64(0)
			for _, o := range outs {
				if o.Seq <= acked[s.id] {
					if o.Seq >= lastSeq {
						last, lastSeq = o.At, o.Seq
					}
					continue
				}
				a.Changesets++
				if a.Since == "" || o.At < a.Since {
					a.Since = o.At
				}
			}
			switch {
			case last == "":
			case atBefore(last, reach):
				if last > a.Through {
					a.Through = last
				}
			case last > far:
				far = last
			}
		}
		if a.Through == "" {
			a.Through = far
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Peer < out[j].Peer })
	return out, nil
}

// atBefore compares two cut times (RFC 3339): whether at is not after
// limit. One that cannot be read counts as before.
func atBefore(at, limit string) bool {
	t, err := time.Parse(time.RFC3339Nano, at)
	l, lerr := time.Parse(time.RFC3339Nano, limit)
	return err != nil || lerr != nil || !t.After(l)
}

func hasPeer(ps []syncbook.Peer, id string) bool {
	for _, p := range ps {
		if p.DeviceID == id {
			return true
		}
	}
	return false
}

// AllAcknowledged reports whether every peer in acks holds everything.
func AllAcknowledged(acks []PeerAck) bool {
	for _, a := range acks {
		if !a.Acknowledged() {
			return false
		}
	}
	return true
}

// WriteFolderReceipts writes into a BEP folder's directory the current
// receipts for the peers that share it: in a post's folder, the post's
// receipts for its stations (at the post) or the station's receipt for
// that post (at the station); in a station's up-folder, likewise between
// the station and its county. A broadcast folder carries none.
func (e *Engine) WriteFolderReceipts(ctx context.Context, folder string) error {
	return e.writeFolderReceipts(ctx, folder, receiptAcks)
}

// WriteFolderReceiptsDirect is WriteFolderReceipts for a session with the
// peer itself (not a carrier): a first receipt that would acknowledge
// nothing of the peer's is not made (see receipt).
func (e *Engine) WriteFolderReceiptsDirect(ctx context.Context, folder string) error {
	return e.writeFolderReceipts(ctx, folder, receiptAcksDirect)
}

func (e *Engine) writeFolderReceipts(ctx context.Context, folder string, mode receiptMode) error {
	if e.noReceipts {
		return nil
	}
	// A post's folder and a station's up-folder each belong to the device
	// below; the one above is the station or the county.
	below, above := "", ""
	if id, ok := strings.CutPrefix(folder, "cj-post-"); ok {
		below, above = id, store.RoleStation
	} else if id, ok := strings.CutPrefix(folder, "cj-up-"); ok {
		below, above = id, store.RoleCounty
	} else {
		return nil
	}
	peers, err := e.receiptPeers(ctx)
	if err != nil {
		return err
	}
	var to []syncbook.Peer
	for _, p := range peers {
		if (below == e.Self() && p.Role == above) || (below != e.Self() && p.DeviceID == below) {
			to = append(to, p)
		}
	}
	if len(to) == 0 {
		return nil
	}
	_, err = e.writeReceipts(ctx, e.FolderDir(folder), to, false, mode)
	return err
}

// peerHolds returns, per stream of peer's own, the sequence number up to
// which the peer's latest receipt says it holds its own chain as this
// device has it (the digests agree; a chain that differs counts as 0).
func (e *Engine) peerHolds(ctx context.Context, peer string) (map[string]uint64, error) {
	out := map[string]uint64{}
	if e.noReceipts {
		return out, nil
	}
	r, ok, err := e.book.ReceiptIn(ctx, peer)
	if err != nil || !ok {
		return out, err
	}
	var hs []changeset.Head
	if err := json.Unmarshal([]byte(r.Heads), &hs); err != nil {
		return out, fmt.Errorf("receipt of %s: %w", peer, err)
	}
	for _, h := range hs {
		if h.Origin != peer {
			continue
		}
		in, _, known, err := e.book.InChangeset(ctx, peer, h.Stream, h.Seq)
		if err != nil {
			return out, err
		}
		if known && in.Digest == h.Digest {
			out[h.Stream] = h.Seq
		}
	}
	return out, nil
}
