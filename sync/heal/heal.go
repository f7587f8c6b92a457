// Package heal keeps a post and its station from splitting in silence.
// A device restored from an older backup reuses changeset numbers its
// peers already hold and lacks changes they hold; a PC whose clock is
// years off stamps its changes there. None of this may leave them apart
// unsaid:
//
//   - every changeset a device applies from a peer is kept in that
//     stream's folder, whatever carried it, so the peer can have its own
//     changesets back (BEP announces the folder; an exchange folder that
//     holds some of a chain gets the rest, WriteBack);
//   - a device takes back its own changesets (the engine's importOwn: one
//     that follows its stream's head continues the stream from it, any
//     other is merged);
//   - a changeset whose place in its chain is taken (a fork, a broken
//     chain) is refused its place but its changes are merged anyway (they
//     are signed by their maker, and merging is order-free), and its maker
//     is told, in a note in the next changeset to it, where this device
//     stands in that chain (Refuse, OweChainNote); the maker takes up its
//     stream again after that head and cuts again what may not have
//     arrived (syncbook.Book.Rebase);
//   - a device measures its peers' clocks (a BEP handshake's timestamp,
//     changes stamped more than a day ahead) and tells a peer whose changes
//     come stamped ahead, so both name the PC whose clock is off;
//   - what it knows still keeps it apart from a peer is listed
//     (Divergences): a sync that leaves any is not complete.
//
// It sits below package sync, which runs a Healer for its engine and hands
// it what only the engine knows through Host; it never imports sync.
package heal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	gosync "sync"
	"time"

	"cunjing/store"
	"cunjing/store/syncbook"
	"cunjing/sync/changeset"
	"cunjing/sync/safefile"
)

// Host is what healing asks of the sync engine that runs it: the folders
// and outgoing streams this device has, what a peer's latest receipt says
// it holds of its own chains, what media a changeset refers to, and a
// stored blob written out sealed.
type Host interface {
	// FolderIDs lists the folders this device shares.
	FolderIDs(ctx context.Context) ([]string, error)
	// FolderDir is the directory holding a folder's files.
	FolderDir(folder string) string
	// Streams lists this device's outgoing streams.
	Streams(ctx context.Context) ([]Stream, error)
	// PeerHolds returns, per stream of peer's own, the sequence number up
	// to which its latest receipt says it holds its own chain as this
	// device has it.
	PeerHolds(ctx context.Context, peer string) (map[string]uint64, error)
	// Blobs lists the media a changeset refers to (none if it does not
	// open here).
	Blobs(ctx context.Context, data []byte) []string
	// WriteBlob writes the stored blob hash into dir sealed to this device
	// and to peers; stored is false (and nothing written) when this device
	// does not hold it.
	WriteBlob(ctx context.Context, dir, hash string, peers []syncbook.Peer) (stored bool, err error)
}

// Stream is one of this device's outgoing chains of changesets.
type Stream struct {
	ID         string
	Recipients []string // device IDs, besides this device
	// Post is the post whose own stream this is (cj-post-<Post>), or "".
	Post string
}

// KindRebased is the kind, in the rejection log, of a stream taken up
// again after a peer's head (sync.RejectRebased).
const KindRebased = "rebased"

// KindChain is the kind, in the rejection log, of a peer's changeset
// refused its place in its chain here (sync.RejectChain).
const KindChain = "chain"

// SeenRefused marks, in sync_seen, a changeset refused its place in its
// chain: its changes were merged, it is not read again.
const SeenRefused = "refused"

// Fault is why a changeset is refused its place in its chain.
type Fault int

// The faults.
const (
	Conflict Fault = iota // its number was taken by another changeset
	Replay                // older than what was applied
	Broken                // does not follow the changeset applied before it
)

// Healer heals the splits of one device.
type Healer struct {
	st   *store.Store
	book *syncbook.Book
	log  *slog.Logger
	host Host
	mu   gosync.Mutex
	owed bool // a cut is owed (see CutOwed)
}

// New returns the healer of the device whose store this is, run by host;
// it logs to log (nil: nowhere).
func New(st *store.Store, host Host, log *slog.Logger) *Healer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Healer{st: st, book: st.SyncBook(), log: log, host: host}
}

func (h *Healer) self() string { return h.st.DeviceID() }

// PeerName is how a device is called in messages: its name, or the start
// of its ID.
func (h *Healer) PeerName(ctx context.Context, id string) string {
	if p, err := h.book.Peer(ctx, id); err == nil && p.Name != "" {
		return p.Name
	}
	return id[:min(7, len(id))]
}

// Refusal says why a changeset is refused its place in its chain: where
// this device stands in that chain and the words for the rejection log
// (Chinese, then English).
type Refusal struct {
	Head   uint64
	Digest string
	Why    string // the reason, in Chinese, as the note tells the maker
	Words  string
}

// Refuse words the refusal of a verified changeset's place in its chain.
// The engine then logs it, merges its changes anyway, keeps a copy
// (Kept) and owes its maker a note (OweChainNote).
func (h *Healer) Refuse(ctx context.Context, hd changeset.Header, fault Fault) (Refusal, error) {
	head, headDigest, err := h.book.ChainHead(ctx, hd.Origin, hd.Stream)
	if err != nil {
		return Refusal{}, err
	}
	who := h.PeerName(ctx, hd.Origin)
	var why, en string
	switch fault {
	case Conflict:
		why = fmt.Sprintf("和先前已收到的第 %d 号内容不同（多半是发出它的电脑从较早的备份恢复后重复用了这个号）", hd.Seq)
		en = fmt.Sprintf("conflicting changeset: sequence %d of %s was already received with different content (a restored device or a forged fork)", hd.Seq, hd.Stream)
	case Replay:
		why = fmt.Sprintf("比已收到的第 %d 号还旧", head)
		en = fmt.Sprintf("replay: sequence %d of %s is older than what was applied (%d)", hd.Seq, hd.Stream, head)
	default:
		why = fmt.Sprintf("接不上先前已收到的第 %d 号（多半是发出它的电脑从较早的备份恢复过）", head)
		en = fmt.Sprintf("broken chain: sequence %d of %s does not follow the changeset applied before it", hd.Seq, hd.Stream)
	}
	zh := fmt.Sprintf("「%s」的第 %d 号数据包%s。里面的修改已经合并，但没有排进它的序列；已告诉对方这里收到第 %d 号为止，请从第 %d 号接着发。",
		who, hd.Seq, why, head, head+1)
	return Refusal{Head: head, Digest: headDigest, Why: why, Words: zh + " (" + en + ")"}, nil
}

// OweChainNote owes the maker of a changeset refused its place (ref) a
// note saying where this device stands in that chain, unless it was told
// already or the changeset is an old copy of one it has dropped since.
func (h *Healer) OweChainNote(ctx context.Context, hd changeset.Header, ref Refusal) error {
	agreed, known := uint64(0), hd.Seq == 1 && hd.Prev == ""
	if !known {
		var err error
		if agreed, known, err = h.book.AppliedSeq(ctx, hd.Origin, hd.Stream, hd.Prev); err != nil {
			return err
		}
	}
	old, open, found, err := h.note(ctx, hd.Origin, changeset.NoteChain, hd.Stream)
	if err != nil {
		return err
	}
	switch {
	case found && !open && hd.Seq <= old.Head:
		// The maker took up its chain after a head it was told, and this
		// one is older than that: a copy of a changeset it has dropped
		// since. Nothing to tell it.
		return nil
	case found && open && (!known || old.Agreed < agreed):
		// An earlier refusal of this chain knew better where the two agree.
		agreed = old.Agreed
	}
	if found && open && old.Head == ref.Head && old.Digest == ref.Digest && old.Agreed == agreed {
		return nil // told already
	}
	n := changeset.Note{Kind: changeset.NoteChain, About: hd.Origin, Stream: hd.Stream, Head: ref.Head, Digest: ref.Digest,
		Agreed: agreed, Refused: hd.Seq, Reason: ref.Why}
	h.Kick()
	return h.putNote(ctx, n)
}

func (h *Healer) putNote(ctx context.Context, n changeset.Note) error {
	b, err := json.Marshal(n)
	if err != nil {
		return err
	}
	return h.book.PutNote(ctx, syncbook.NoteRow{About: n.About, Kind: n.Kind, Stream: n.Stream, Body: string(b)})
}

// note returns the note of a kind about a peer's stream, and whether it is
// open and found at all.
func (h *Healer) note(ctx context.Context, about, kind, stream string) (n changeset.Note, open, found bool, err error) {
	row, found, err := h.book.Note(ctx, about, kind, stream)
	if err != nil || !found {
		return n, false, false, err
	}
	if err := json.Unmarshal([]byte(row.Body), &n); err != nil {
		return n, false, false, fmt.Errorf("note for %s: %w", about, err)
	}
	return n, row.Open, true, nil
}

// Kept does what healing owes a changeset of another device just merged
// (ahead: store.ApplyResult.Ahead): keeps a copy of it in its stream's
// folder, closes the chain note it answers when it took its place in its
// chain (followed), notes its maker's clock from its stamps and acts on
// the notes it carries about this device.
func (h *Healer) Kept(ctx context.Context, carrier, name string, data []byte, hd changeset.Header, ahead map[string]time.Duration, followed bool) error {
	if err := h.keepCopy(ctx, hd.Stream, name, data); err != nil {
		return err
	}
	if followed {
		if err := h.heardChain(ctx, hd); err != nil {
			return err
		}
	}
	if err := h.measureStamps(ctx, hd.Origin, ahead); err != nil {
		return err
	}
	return h.readNotes(ctx, carrier, hd)
}

// heardChain closes the chain note about a peer's stream once a changeset
// of it follows the head the note named: the peer took up its stream.
func (h *Healer) heardChain(ctx context.Context, hd changeset.Header) error {
	n, open, _, err := h.note(ctx, hd.Origin, changeset.NoteChain, hd.Stream)
	if err != nil || !open || hd.Seq <= n.Head {
		return err
	}
	return h.st.Update(ctx, func(tx *store.Tx) error {
		return tx.SyncBook().CloseNote(ctx, hd.Origin, changeset.NoteChain, hd.Stream)
	})
}

// keepCopy keeps a changeset applied from another device in its stream's
// folder, where BEP serves it and WriteBack finds it: a device restored
// from an older backup gets its own changesets back from its peers.
func (h *Healer) keepCopy(ctx context.Context, stream, name string, data []byte) error {
	folders, err := h.host.FolderIDs(ctx)
	if err != nil {
		return err
	}
	for _, f := range folders {
		if f != stream {
			continue
		}
		dir := h.host.FolderDir(stream)
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

// readNotes acts on the notes a peer's changeset carries about this device.
func (h *Healer) readNotes(ctx context.Context, carrier string, hd changeset.Header) error {
	for _, n := range hd.Notes {
		if n.About != h.self() {
			continue
		}
		switch n.Kind {
		case changeset.NoteClock:
			if err := h.book.SetPeerClock(ctx, hd.Origin, -n.ClockMs, syncbook.ClockByNote); err != nil {
				return err
			}
		case changeset.NoteChain:
			if err := h.takeUp(ctx, carrier, hd.Origin, n); err != nil {
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
func (h *Healer) takeUp(ctx context.Context, carrier, from string, n changeset.Note) error {
	streams, err := h.host.Streams(ctx)
	if err != nil {
		return err
	}
	mine := false
	for _, s := range streams {
		mine = mine || s.ID == n.Stream
	}
	if !mine {
		return nil
	}
	if n.Head > 0 {
		if out, ok, err := h.book.OutAt(ctx, n.Stream, n.Head); err != nil {
			return err
		} else if ok && out.Digest == n.Digest {
			return nil // our chain holds what the peer has: the note is old news
		}
	}
	st, err := h.book.StreamState(ctx, n.Stream)
	if err != nil {
		return err
	}
	if st.Seq == n.Head && st.Digest == n.Digest {
		return nil
	}
	res, err := h.book.Rebase(ctx, n.Stream, n.Head, n.Digest, n.Agreed)
	if err != nil || !res.Done {
		return err
	}
	again := fmt.Sprintf("第 %d 号以后的修改重新打包", n.Agreed)
	if n.Agreed == 0 {
		again = "全部修改重新打包"
	}
	reason := fmt.Sprintf("「%s」没有把本机的第 %d 号数据包排进序列：它%s。里面的修改那边已经合并。本机已改为从第 %d 号接着发，%s（作废了本机 %d 个数据包）。",
		h.PeerName(ctx, from), n.Refused, n.Reason, n.Head+1, again, len(res.Dropped))
	file := ""
	if len(res.Dropped) > 0 {
		file = res.Dropped[0]
	}
	if _, err := h.book.LogReject(ctx, syncbook.Reject{Carrier: carrier, File: file, Origin: from, Kind: KindRebased, Reason: reason}); err != nil {
		return err
	}
	h.log.Warn("took up the stream after the peer's head", "peer", from, "stream", n.Stream, "head", n.Head,
		"agreed", n.Agreed, "dropped", len(res.Dropped))
	h.Kick()
	return nil
}

// measureStamps notes a peer's clock from the stamps of its changes just
// merged (store.ApplyResult.Ahead): stamped more than MaxAhead past this
// PC's clock, its clock runs ahead by at least that much; stamped within a
// day, the two agree again (older stamps say nothing: the changes may have
// travelled for days). The peer is told either way (a clock note).
func (h *Healer) measureStamps(ctx context.Context, origin string, ahead map[string]time.Duration) error {
	d, ok := ahead[origin]
	if !ok {
		return nil
	}
	p, err := h.book.Peer(ctx, origin)
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
	if err := h.book.SetPeerClock(ctx, origin, ms, syncbook.ClockByStamps); err != nil {
		return err
	}
	h.Kick()
	return h.putNote(ctx, changeset.Note{Kind: changeset.NoteClock, About: origin, ClockMs: ms})
}

// NoteHelloClock records a peer's clock as its BEP handshake gave it
// (remote minus local).
func (h *Healer) NoteHelloClock(ctx context.Context, peer string, offset time.Duration) error {
	ms := offset.Milliseconds()
	if offset >= -store.MaxAhead && offset <= store.MaxAhead {
		ms = 0
	}
	return h.book.SetPeerClock(ctx, peer, ms, syncbook.ClockByHello)
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// Kick tells whoever runs the engine that a cut is owed (a note to send,
// a stream taken up again, changes to relay).
func (h *Healer) Kick() {
	h.mu.Lock()
	h.owed = true
	h.mu.Unlock()
}

// CutOwed reports (and clears) whether something happened since the last
// call that a cut should carry out soon: a note to a peer, a stream taken
// up after a peer's head.
func (h *Healer) CutOwed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	o := h.owed
	h.owed = false
	return o
}

// NotesFor returns the unsent notes stream s should carry, of all this
// device's streams: those about a recipient of it for whom no stream with
// fewer recipients exists.
func (h *Healer) NotesFor(ctx context.Context, s string, all []Stream) ([]changeset.Note, []syncbook.NoteRow, error) {
	rows, err := h.book.Notes(ctx, true)
	if err != nil || len(rows) == 0 {
		return nil, nil, err
	}
	var notes []changeset.Note
	var used []syncbook.NoteRow
	for _, row := range rows {
		best := ""
		bestN := 1 << 30
		for _, t := range all {
			for _, p := range t.Recipients {
				// The fewest recipients, and a post's own stream first.
				if p == row.About && (len(t.Recipients) < bestN || len(t.Recipients) == bestN && t.Post == row.About) {
					best, bestN = t.ID, len(t.Recipients)
				}
			}
		}
		if best != s {
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

// WriteBack writes into an exchange folder the changesets of other
// devices' chains this device keeps (Kept) that the folder lacks, for
// every chain the folder holds some of: a device restored from an older
// backup writes its chain there as it has it, and finds there the rest of
// it, with the media those changesets refer to.
func (h *Healer) WriteBack(ctx context.Context, dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("write out: %w", err)
	}
	have := map[string]int64{} // name → size (-1: not a regular file)
	chains := map[string]bool{}
	for _, en := range ents {
		have[en.Name()] = -1
		if fi, err := en.Info(); err == nil && fi.Mode().IsRegular() {
			have[en.Name()] = fi.Size()
		}
		if p := chainPrefix(en.Name()); p != "" {
			chains[p] = true
		}
	}
	folders, err := h.host.FolderIDs(ctx)
	if err != nil {
		return err
	}
	mine := ChainPrefixOf(h.self())
	holds := map[string]map[string]uint64{}
	// Changesets refused their place here (forks) go back to their maker,
	// which may lack them, until it has had them (ForkDelivered): written
	// on every stick that carried its chain, they kept both sides saying
	// a file was refused for good.
	forks := map[string]string{} // file → its maker
	refused, err := h.book.RejectsOfKind(ctx, KindChain)
	if err != nil {
		return err
	}
	for _, r := range refused {
		if r.Origin != "" && !strings.HasPrefix(r.File, mine) {
			forks[r.File] = r.Origin
		}
	}
	for _, f := range folders {
		src := h.host.FolderDir(f)
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
			p := chainPrefix(n)
			if p == "" || !chains[p] || strings.HasPrefix(p, mine) {
				continue
			}
			if maker, ok := forks[n]; ok {
				if done, err := h.ForkDelivered(ctx, n, maker); err != nil {
					return err
				} else if done {
					continue
				}
			}
			// One there already is left unless it is torn (a copy of the
			// folder cut short).
			if size, there := have[n]; there {
				if fi, err := k.Info(); err != nil || size < 0 || fi.Size() == size {
					continue // whole, or not a file: not ours to replace
				}
			}
			names = append(names, n)
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
				if holds[hint.Origin], err = h.host.PeerHolds(ctx, hint.Origin); err != nil {
					return err
				}
			}
			if hint.Seq <= holds[hint.Origin][hint.Stream] {
				// Unless it is not the changeset of its chain: one refused
				// its place here (a fork, its changes merged here) is not
				// in the chain its origin holds, and its origin, restored
				// from an older backup, may lack its changes.
				in, _, known, err := h.book.InChangeset(ctx, hint.Origin, hint.Stream, hint.Seq)
				if err != nil {
					return err
				}
				if !known || in.State != syncbook.InApplied || in.Name == n {
					continue
				}
			}
			for _, b := range h.host.Blobs(ctx, data) {
				if err := h.writeBlobTo(ctx, dir, b, hint.Origin); err != nil {
					return err
				}
			}
			if err := safefile.WriteAtomic(dir, n, data); err != nil {
				return err
			}
			have[n] = int64(len(data))
			if maker, ok := forks[n]; ok && maker == hint.Origin {
				if err := h.noteForkSent(ctx, n, maker); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// noteForkSent records that the fork name went out for its maker beside
// the receipt this device made for it last (the one just written out).
func (h *Healer) noteForkSent(ctx context.Context, name, maker string) error {
	var f syncbook.ForkSent
	if out, ok, err := h.book.ReceiptOut(ctx, maker); err != nil {
		return err
	} else if ok {
		f.Ours = out.Number
	}
	if in, ok, err := h.book.ReceiptIn(ctx, maker); err != nil {
		return err
	} else if ok {
		f.Theirs = in.Number
	}
	return h.book.NoteForkSent(ctx, name, f)
}

// ForkDelivered reports whether the maker of a changeset refused its
// place here (the fork named name) has had it back: its BEP index of one
// of the folders lists it, or a receipt of the maker newer than the one
// held when the fork last went out on a stick says it holds the receipt
// this device wrote beside it (the maker imports a stick's files before
// it writes its receipt there). A maker that has it needs it no more.
func (h *Healer) ForkDelivered(ctx context.Context, name, maker string) (bool, error) {
	folders, err := h.host.FolderIDs(ctx)
	if err != nil {
		return false, err
	}
	for _, f := range folders {
		if has, err := h.book.BEPRemoteHas(ctx, f, maker, name); err != nil || has {
			return has, err
		}
	}
	sent, ok, err := h.book.ForkSentOf(ctx, name)
	if err != nil || !ok {
		return false, err
	}
	in, ok, err := h.book.ReceiptIn(ctx, maker)
	if err != nil || !ok {
		return false, err
	}
	return in.Number > sent.Theirs && in.Held >= sent.Ours, nil
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

// ChainPrefixOf is the start of the file names of an origin's changesets.
func ChainPrefixOf(origin string) string {
	n := changeset.Name(origin, "x", 1, nil)
	return n[:strings.IndexByte(n[3:], '-')+4]
}

// writeBlobTo writes a stored blob into dir sealed to this device and the
// device given (if paired, with a key), unless dir has it.
func (h *Healer) writeBlobTo(ctx context.Context, dir, hash, device string) error {
	if safefile.Exists(filepath.Join(dir, changeset.BlobName(hash))) {
		return nil
	}
	var to []syncbook.Peer
	if p, err := h.book.Peer(ctx, device); err == nil && p.Recipient != "" {
		to = append(to, p)
	}
	_, err := h.host.WriteBlob(ctx, dir, hash, to)
	return err
}

// Divergences lists, in Chinese, what this device knows keeps it apart
// from peer ("" for every peer) until the next exchange heals it: a
// changeset of the peer refused its place in its chain here (the peer has
// been told where to continue), changesets of the peer waiting for one
// that has not come, a stream of this device taken up again after the
// peer's head and not cut since. A sync that leaves any is not complete.
func (h *Healer) Divergences(ctx context.Context, peer string) ([]string, error) {
	var out []string
	notes, err := h.book.Notes(ctx, false)
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
		out = append(out, fmt.Sprintf("没有收下「%s」的第 %d 号数据包，正等它从第 %d 号接着发。", h.PeerName(ctx, n.About), n.Refused, n.Head+1))
	}
	waiting, err := h.book.InChangesets(ctx, syncbook.InWaiting)
	if err != nil {
		return nil, err
	}
	for _, w := range waiting {
		if peer != "" && w.Origin != peer {
			continue
		}
		head, _, err := h.book.ChainHead(ctx, w.Origin, w.Stream)
		if err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("「%s」的第 %d 号数据包在等还没到的第 %d 号。", h.PeerName(ctx, w.Origin), w.Seq, head+1))
	}
	streams, err := h.host.Streams(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range streams {
		if peer != "" && !slices.Contains(s.Recipients, peer) {
			continue
		}
		st, err := h.book.StreamState(ctx, s.ID)
		if err != nil {
			return nil, err
		}
		if taken, err := h.book.Rebased(ctx, s.ID, st.Seq, st.Digest); err != nil {
			return nil, err
		} else if taken {
			out = append(out, fmt.Sprintf("本机要从对方手里的第 %d 号接着发，还没发出。", st.Seq))
		}
	}
	return out, nil
}
