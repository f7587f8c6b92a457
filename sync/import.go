package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"

	"cunjing/store"
	"cunjing/store/syncbook"
	"cunjing/sync/admit"
	"cunjing/sync/changeset"
	"cunjing/sync/heal"
	"cunjing/sync/safefile"
	"cunjing/sync/status"
)

// Outcome is what importing one file did.
type Outcome string

// Outcomes of Import.
const (
	Applied   Outcome = "applied"    // verified and merged (with any waiting successors)
	Duplicate Outcome = "duplicate"  // already had it
	Waiting   Outcome = "waiting"    // verified; its predecessor has not arrived yet
	NotForUs  Outcome = "not-for-us" // encrypted to other devices
	NotReady  Outcome = "not-ready"  // incomplete (still being copied); try again later
	Rejected  Outcome = "rejected"   // refused; the reason is in the rejection log
	Ignored   Outcome = "ignored"    // not a cunjing file
	Own       Outcome = "own"        // this device's own file
)

// Result reports one import.
type Result struct {
	File    string
	Outcome Outcome
	Applied int // changesets applied (this one and waiting successors)
	Changes int // changes merged
	Refused int // changes refused by the ownership rule
	// Held counts changes of tables or fields this version does not know
	// (a newer version made them): held aside, merged once this device is
	// upgraded (store/held.go); the changeset counts as applied.
	Held int
	// Withheld counts changes of a station's own records of tables no
	// station publishes, which an older station sends to every post: not
	// kept, not refused (sync/admit; noted in sync_withheld).
	Withheld int
	Reason   string
	Kind     RejectKind // why it was Rejected
	// New: the refusal was logged now (not the same file refused for
	// the same reason before): what the file added to the books.
	New      bool
	Origin   string
	Sequence uint64
}

// Import verifies one file received through carrier and applies it. final
// says the file is complete as far as the carrier knows (a BEP pull that
// verified every block, or a file that stopped growing): a damaged final
// file is rejected and logged, an incomplete one is NotReady.
func (e *Engine) Import(ctx context.Context, carrier, name string, data []byte, final bool) (Result, error) {
	r := Result{File: name}
	if strings.HasPrefix(name, safefile.TempPrefix) {
		r.Outcome = Ignored
		return r, nil
	}
	if h, ok := changeset.BlobHash(name); ok {
		return e.importBlob(ctx, carrier, name, h, data, final)
	}
	if changeset.IsReceiptName(name) {
		return e.importReceipt(ctx, carrier, name, data, final)
	}
	if !changeset.IsName(name) {
		r.Outcome = Ignored
		return r, nil
	}
	if o, ok, err := e.book.Seen(ctx, name); err != nil {
		return r, err
	} else if ok {
		switch o {
		case "own", syncbook.Superseded:
			r.Outcome = Own
			return r, nil
		case string(NotForUs):
			r.Outcome = NotForUs
			return r, nil
		case heal.SeenRefused:
			r.Outcome = Rejected
			r.Reason = "refused before (see the rejection log)"
			return r, nil
		}
		r.Outcome = Outcome(o)
	}
	if !changeset.NameMatches(name, data) {
		if !final {
			r.Outcome = NotReady
			return r, nil
		}
		return e.reject(ctx, r, carrier, "", RejectDamaged, "damaged or truncated: content does not match the hash in its name")
	}
	if done, err := e.book.HasReceivedName(ctx, name); err != nil {
		return r, err
	} else if done {
		r.Outcome = Duplicate
		return r, nil
	}
	// The outer header is unauthenticated: a forger can write any device
	// into it. Only what Open verified may name an origin, in the result
	// and in the rejection log.
	select {
	case e.opening <- struct{}{}:
	case <-ctx.Done():
		return r, ctx.Err()
	}
	defer func() { <-e.opening }()
	opened, err := e.openChangeset(ctx, data)
	if errors.Is(err, changeset.ErrNotForUs) {
		r.Outcome = NotForUs
		return r, e.book.MarkSeen(ctx, name, string(NotForUs))
	}
	if err != nil {
		if err := status.NoteUnknownSender(ctx, e.book, e.Self(), err); err != nil {
			return r, err
		}
		return e.reject(ctx, r, carrier, "", RejectUnverified, err.Error())
	}
	h := opened.Header
	r.Origin, r.Sequence = h.Origin, h.Seq
	if why := e.streamRefused(ctx, h.Origin, h.Stream); why != "" {
		return e.reject(ctx, r, carrier, h.Origin, RejectStream, why)
	}
	select {
	case e.applying <- struct{}{}:
	case <-ctx.Done():
		return r, ctx.Err()
	}
	defer func() { <-e.applying }()
	if h.Origin == e.Self() {
		return e.importOwn(ctx, carrier, name, data, opened, r)
	}
	head, headDigest, err := e.book.ChainHead(ctx, h.Origin, h.Stream)
	if err != nil {
		return r, err
	}
	prev, _, known, err := e.book.InChangeset(ctx, h.Origin, h.Stream, h.Seq)
	if err != nil {
		return r, err
	}
	if known {
		if prev.Digest == opened.Digest {
			r.Outcome = Duplicate
			return r, nil
		}
		return e.refuseChain(ctx, r, carrier, name, opened, data, heal.Conflict)
	}
	if h.Seq <= head {
		return e.refuseChain(ctx, r, carrier, name, opened, data, heal.Replay)
	}
	in := syncbook.InChangeset{Origin: h.Origin, Stream: h.Stream, Seq: h.Seq, Digest: opened.Digest, Prev: h.Prev,
		Name: name, Changes: h.Count, Bytes: int64(len(data))}
	// A changeset that says this device joins its stream starts the chain
	// here: those before it were not addressed to this device.
	joins := slices.Contains(h.Joins, e.Self())
	if h.Seq > head+1 && !joins {
		in.State = syncbook.InWaiting
		err := e.st.Update(ctx, func(tx *store.Tx) error { return tx.SyncBook().RecordIn(ctx, in, data) })
		if err != nil {
			return r, err
		}
		r.Outcome = Waiting
		e.log.Info("changeset waiting for its predecessor", "file", name, "origin", h.Origin, "seq", h.Seq, "have", head)
		return r, nil
	}
	if h.Prev != headDigest && !joins {
		return e.refuseChain(ctx, r, carrier, name, opened, data, heal.Broken)
	}
	if err := e.applyFrom(ctx, carrier, in, opened, data, &r); err != nil {
		return r, err
	}
	r.Outcome = Applied
	// Successors that arrived early can follow now.
	return r, e.followWaiting(ctx, carrier, h.Origin, h.Stream, h.Seq, opened.Digest, &r)
}

// followWaiting applies, in order, the changesets of origin's stream that
// arrived before their predecessor and now follow its head (number head,
// digest digest). Call it holding e.applying.
func (e *Engine) followWaiting(ctx context.Context, carrier, origin, stream string, head uint64, digest string, r *Result) error {
	for next := head + 1; ; next++ {
		w, wdata, ok, err := e.book.InChangeset(ctx, origin, stream, next)
		if err != nil {
			return err
		}
		if !ok || w.State != syncbook.InWaiting {
			return nil
		}
		o, err := e.openChangeset(ctx, wdata)
		if err != nil {
			// It verified when it arrived; the origin was unpaired since.
			_, rerr := e.reject(ctx, Result{File: w.Name}, carrier, origin, RejectUnverified, err.Error())
			return rerr
		}
		if o.Header.Prev != digest {
			_, rerr := e.refuseChain(ctx, Result{File: w.Name}, carrier, w.Name, o, wdata, heal.Broken)
			if rerr == nil {
				rerr = e.book.DropWaiting(ctx, origin, stream, next)
			}
			return rerr
		}
		w.State = syncbook.InApplied
		if err := e.applyFrom(ctx, carrier, w, o, wdata, r); err != nil {
			return err
		}
		digest = o.Digest
	}
}

// resumeWaiting lets follow the waiting changesets whose predecessor is
// applied but which did not follow it then: the import that applied the
// predecessor stopped before them (a full disk, a power cut, the
// session's time up), or another program on this database file applied
// it while this one recorded them as waiting. Their names are known, so
// no carrier brings them in again; without this they, and every later
// changeset of their chain, would wait for ever.
func (e *Engine) resumeWaiting(ctx context.Context, carrier string, res *DirResult) error {
	waiting, err := e.book.InChangesets(ctx, syncbook.InWaiting)
	if err != nil || len(waiting) == 0 {
		return err
	}
	seen := map[[2]string]bool{}
	for _, w := range waiting { // ordered by origin, stream, seq
		k := [2]string{w.Origin, w.Stream}
		if seen[k] {
			continue
		}
		seen[k] = true
		head, _, err := e.book.ChainHead(ctx, w.Origin, w.Stream)
		if err != nil {
			return err
		}
		if w.Seq != head+1 {
			continue // still waiting for a predecessor that has not come
		}
		select {
		case e.applying <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		r := Result{File: w.Name, Origin: w.Origin, Sequence: w.Seq}
		err = func() error {
			defer func() { <-e.applying }()
			head, digest, err := e.book.ChainHead(ctx, w.Origin, w.Stream)
			if err != nil {
				return err
			}
			return e.followWaiting(ctx, carrier, w.Origin, w.Stream, head, digest, &r)
		}()
		if err != nil {
			return fmt.Errorf("resume %s: %w", w.Name, err)
		}
		if r.Applied > 0 {
			r.Outcome = Applied
			res.Add(r)
		}
	}
	return nil
}

// streamRefused says why origin may not write to stream ("" when it may).
// The streams are fixed by the roles: a post writes only cj-post-<itself>;
// a station writes cj-station-<itself> (read by all its posts),
// cj-post-<P> for each post P it is paired with (read by that post alone),
// cj-relay-<itself> (its county's records, read by its posts) and
// cj-up-<itself> (read by its county); a county writes
// cj-county-<itself> (read by its stations). So a post accepts from its
// station that station's broadcast and the stream to itself, a station
// accepts from a post that post's stream and from its county the county's
// broadcast, a county accepts from a station that station's up-stream,
// and a device's own changesets coming back are accepted in the streams it
// cuts. Anything else (a paired device opening chains under other names)
// is refused before it is stored.
func (e *Engine) streamRefused(ctx context.Context, origin, stream string) string {
	self := e.Self()
	me := e.st.Role()
	role, err := e.originRole(ctx, origin)
	if err != nil {
		return "the sending device's role is unknown: " + err.Error()
	}
	ok := false
	switch {
	case role == store.RolePost:
		ok = stream == PostFolder(origin)
	case role == store.RoleCounty:
		ok = stream == CountyFolder(origin)
	case role == store.RoleStation && stream == StationFolder(origin):
		ok = me != store.RoleCounty
	case role == store.RoleStation && stream == RelayFolder(origin):
		ok = me == store.RolePost || origin == self
	case role == store.RoleStation && stream == UpFolder(origin):
		ok = me != store.RolePost
	case role == store.RoleStation && origin == self:
		if post, isPost := strings.CutPrefix(stream, "cj-post-"); isPost {
			p, err := e.book.Peer(ctx, post)
			ok = err == nil && p.Role == store.RolePost
		}
	case role == store.RoleStation:
		ok = stream == PostFolder(self) && me == store.RolePost
	}
	if ok {
		return ""
	}
	if len(stream) > 80 {
		stream = stream[:80] + "…"
	}
	return fmt.Sprintf("stream %q is not one a %s may write (a post writes cj-post-<its ID>, a station cj-station-<its ID>, cj-post-<ID> of its posts, cj-relay-<its ID> and cj-up-<its ID>, a county cj-county-<its ID>)", stream, role)
}

// prepared is a verified changeset whose changes are checked against this
// database's schema and prepared for the merge (store.Batch): CPU work
// done before the write lock is taken, so the lock is held only for the
// merge itself.
type prepared struct {
	changeset.Opened
	Batch *store.Batch
}

// openChangeset verifies and decrypts a changeset (changeset.Open) and
// prepares its changes; a change the schema refuses fails the whole file,
// except one that is well formed but of a table or field a newer version
// added: that one is held aside (store.Batch.Held) and the rest applies.
func (e *Engine) openChangeset(ctx context.Context, data []byte) (prepared, error) {
	o, err := changeset.Open(data, e.id.Age, e.keys(ctx))
	if err != nil {
		return prepared{}, err
	}
	b, err := store.PrepareBatch(o.Changes)
	if err != nil {
		return prepared{}, fmt.Errorf("changeset %s/%d: %w", o.Header.Origin, o.Header.Seq, err)
	}
	return prepared{Opened: o, Batch: b}, nil
}

// applyFrom applies a verified changeset of another device that follows
// its chain, keeps a copy of it in its folder (so the device can have it
// back after a restore, whatever carried it here), and acts on what it
// says about this device and on what its stamps say about its maker's
// clock.
func (e *Engine) applyFrom(ctx context.Context, carrier string, in syncbook.InChangeset, o prepared, data []byte, r *Result) error {
	res, err := e.apply(ctx, carrier, in, o, r, nil)
	if err != nil {
		return err
	}
	return e.heal.Kept(ctx, carrier, in.Name, data, o.Header, res.Ahead, true)
}

// apply merges a verified changeset in one transaction: the changes its
// origin may make, and the record of having applied it (or, when record is
// set, whatever record does instead). Changes the ownership rule refuses
// are logged, never silently dropped.
func (e *Engine) apply(ctx context.Context, carrier string, in syncbook.InChangeset, o prepared, r *Result,
	record func(tx *store.Tx, before int64) error) (store.ApplyResult, error) {
	var res store.ApplyResult
	role, err := e.originRole(ctx, o.Header.Origin)
	if err != nil {
		return res, err
	}
	var refused []string
	withheld := 0
	err = e.st.Update(ctx, func(tx *store.Tx) error {
		refused = refused[:0]
		v, err := admit.Split(ctx, tx, admit.Sender{Self: e.Self(), Role: e.st.Role(), Origin: o.Header.Origin, OriginRole: role}, o.Batch)
		if err != nil {
			return err
		}
		keep, counts := v.Keep, v.Counts
		refused = v.Refused
		if withheld, err = noteWithheld(ctx, tx, o.Batch, v.Withheld); err != nil {
			return err
		}
		if role == store.RoleStation && e.st.Role() == store.RoleCounty {
			// The posts this station speaks for, claimed by it.
			if err := tx.SyncBook().NoteTierOwners(ctx, o.Header.Origin, counts); err != nil {
				return err
			}
		}
		before, err := tx.MaxChangeSeq()
		if err != nil {
			return err
		}
		// openChangeset checked and prepared every change already.
		// Changes a newer version made of tables or fields this one
		// lacks are held aside in the same transaction (store/held.go).
		b := o.Batch.Subset(keep).From(o.Header.Origin, in.Name)
		if res, err = tx.ApplyBatch(b); err != nil {
			return fmt.Errorf("apply %s: %w", in.Name, err)
		}
		// A post's edit of a month this station approved, made before it
		// heard of the approval, is held back as a request to unlock
		// (store/approval.go), never refused.
		if role == store.RolePost {
			if _, err := tx.HoldLateEdits(b.Known()); err != nil {
				return fmt.Errorf("apply %s: %w", in.Name, err)
			}
		}
		r.Changes += len(keep) - b.HeldCount()
		r.Held += res.Held
		if o.Header.Origin != e.Self() {
			// When they arrived, for the month report (a post's stamps
			// say what its clock read).
			after, err := tx.MaxChangeSeq()
			if err != nil {
				return err
			}
			if err := tx.SyncBook().NoteArrival(ctx, before+1, after); err != nil {
				return err
			}
		}
		in.State = syncbook.InApplied
		if o.Header.Origin != e.Self() {
			if err := tx.SyncBook().NoteHeardFrom(ctx, o.Header.Origin); err != nil {
				return err
			}
			if err := status.Exchanged(ctx, tx.SyncBook(), o.Header.Origin, false); err != nil {
				return err
			}
		}
		if record != nil {
			return record(tx, before)
		}
		return tx.SyncBook().RecordIn(ctx, in, nil)
	})
	if err != nil {
		return res, err
	}
	r.Applied++
	if err := e.kickRelay(ctx, role); err != nil {
		return res, err
	}
	if withheld > 0 {
		r.Withheld += withheld
		e.log.Info("not kept: another device's own records of tables a station does not publish (an older station sends them)",
			"file", in.Name, "origin", o.Header.Origin, "changes", withheld)
	}
	if res.Held > 0 {
		e.log.Info("changes of a newer version held until this device is upgraded", "file", in.Name, "origin", o.Header.Origin, "held", res.Held)
	}
	if len(refused) > 0 {
		r.Refused += len(refused)
		reason := fmt.Sprintf("%d change(s) refused by the ownership rule, e.g. %s", len(refused), strings.Join(refused[:min(3, len(refused))], "; "))
		if _, err := e.book.LogReject(ctx, syncbook.Reject{Carrier: carrier, File: in.Name, Origin: o.Header.Origin, Kind: string(RejectOwnership), Reason: reason}); err != nil {
			return res, err
		}
		e.log.Warn("changes refused", "file", in.Name, "origin", o.Header.Origin, "reason", reason)
	}
	return res, nil
}

// noteWithheld notes, per record, the changes of b at indexes that a post
// does not keep (admit.Verdict.Withheld), and returns how many there were.
func noteWithheld(ctx context.Context, tx *store.Tx, b *store.Batch, indexes []int) (int, error) {
	type rec struct{ table, id string }
	n := map[rec]int{}
	owner := map[rec]string{}
	var order []rec
	for _, i := range indexes {
		c := b.Change(i)
		k := rec{c.Table, c.Record}
		if _, ok := n[k]; !ok {
			order = append(order, k)
		}
		n[k]++
		if c.Field == "owner" {
			var o string
			if json.Unmarshal([]byte(c.Value), &o) == nil {
				owner[k] = o
			}
		}
	}
	for _, k := range order {
		if err := tx.SyncBook().NoteWithheld(ctx, k.table, k.id, owner[k], n[k]); err != nil {
			return 0, err
		}
	}
	return len(indexes), nil
}

// kickRelay owes a cut when what a station just applied goes on: a
// post's changes up to its county, the county's down to its posts (a
// station with no county relays nothing).
func (e *Engine) kickRelay(ctx context.Context, origin string) error {
	if e.st.Role() != store.RoleStation || (origin != store.RolePost && origin != store.RoleCounty) {
		return nil
	}
	peers, err := e.book.Peers(ctx, false)
	if err != nil {
		return err
	}
	for _, p := range peers {
		if p.Role == store.RoleCounty {
			e.heal.Kick()
			return nil
		}
	}
	return nil
}

func (e *Engine) originRole(ctx context.Context, origin string) (string, error) {
	if origin == e.Self() {
		return e.st.Role(), nil
	}
	p, err := e.book.Peer(ctx, origin)
	if err != nil {
		return "", err
	}
	return p.Role, nil
}

func (e *Engine) reject(ctx context.Context, r Result, carrier, origin string, kind RejectKind, reason string) (Result, error) {
	r.Outcome, r.Reason, r.Kind = Rejected, reason, kind
	fresh, err := e.book.LogReject(ctx, syncbook.Reject{Carrier: carrier, File: r.File, Origin: origin, Kind: string(kind), Reason: reason})
	if err != nil {
		return r, err
	}
	r.New = fresh
	if fresh {
		e.log.Warn("changeset rejected", "file", r.File, "carrier", carrier, "origin", origin, "reason", reason)
	}
	return r, nil
}

func (e *Engine) importBlob(ctx context.Context, carrier, name, hash string, data []byte, final bool) (Result, error) {
	r := Result{File: name}
	if have, err := e.st.HasBlob(ctx, hash); err != nil {
		return r, err
	} else if have {
		r.Outcome = Duplicate
		return r, nil
	}
	if o, ok, err := e.book.Seen(ctx, name); err != nil {
		return r, err
	} else if ok && o == string(NotForUs) {
		r.Outcome = NotForUs
		return r, nil
	}
	ref, err := e.st.BlobReferenced(ctx, hash)
	if err != nil {
		return r, err
	}
	if !ref && !final {
		// Its changeset may still be on the way; look again later.
		r.Outcome = NotReady
		return r, nil
	}
	// A settled blob is opened even when nothing refers to it yet: garbage
	// under a blob's name is rejected once, not left pending for ever.
	plain, err := changeset.OpenBlob(hash, data, e.id.Age)
	if errors.Is(err, changeset.ErrNotForUs) {
		r.Outcome = NotForUs
		return r, e.book.MarkSeen(ctx, name, string(NotForUs))
	}
	if err != nil {
		if !final {
			r.Outcome = NotReady
			return r, nil
		}
		// Blobs are not signed: nobody is named as their sender.
		return e.reject(ctx, r, carrier, "", RejectUnverified, err.Error())
	}
	if !ref {
		// Sound and ours, but no changeset applied here names it yet (its
		// changeset waits for a predecessor): it stays on the carrier, and
		// is taken once its changeset has been applied.
		r.Outcome = Waiting
		r.Reason = "no applied changeset refers to this blob yet"
		return r, nil
	}
	if err := e.st.PutBlob(ctx, hash, plain); err != nil {
		return r, err
	}
	r.Outcome = Applied
	return r, nil
}

// DirResult sums up importing a directory (Add counts one more result).
type DirResult struct {
	Files    int             `json:"files"`
	Outcomes map[Outcome]int `json:"outcomes"`
	Changes  int             `json:"changes"`
	Refused  int             `json:"refused"`
	// HeldNewer counts changes held aside for a newer version (Result.Held).
	HeldNewer int `json:"held_newer"`
	// Withheld counts changes not kept (Result.Withheld).
	Withheld int `json:"withheld"`
	// Other counts what the folder holds that is no cunjing file (other
	// names, folders, links, pipes, devices: left alone, unread) and
	// OtherNames names the first MaxOtherNames of them, so a stick that
	// holds junk says so rather than being silently skipped.
	Other      int      `json:"other_files"`
	OtherNames []string `json:"other_names,omitempty"`
	// Unexamined counts files left unread because Within said no more
	// (ImportFilesWithin: a stick past its day's junk).
	Unexamined int      `json:"unexamined_files"`
	Results    []Result `json:"-"`
}

// Within bounds what one pass over a folder examines (sync/exchange: the
// junk sticks may bring in a day). More is asked before each file not
// known here is read: false leaves it, and every later one, unread
// (DirResult.Unexamined). Then Known: a result it gives stands for the
// file, unread (what the carrier remembers examining gave). Spent is told
// what examining one did, the bytes read and their file (nil: refused unread).
type Within interface {
	More() bool
	Known(ctx context.Context, dir, name string) (Result, bool)
	Spent(r Result, fi fs.FileInfo, data []byte)
}

func known(ctx context.Context, w Within, dir, name string) (Result, bool) {
	if w == nil {
		return Result{}, false
	}
	return w.Known(ctx, dir, name)
}

// MaxOtherNames bounds DirResult.OtherNames.
const MaxOtherNames = 20

// addOther counts an entry of the folder that is no cunjing file.
func (d *DirResult) addOther(name string) {
	d.Other++
	if len(d.OtherNames) < MaxOtherNames {
		d.OtherNames = append(d.OtherNames, strings.ToValidUTF8(name, "\ufffd"))
	}
}

func (d *DirResult) Add(r Result) {
	if d.Outcomes == nil {
		d.Outcomes = map[Outcome]int{}
	}
	d.Files++
	d.Outcomes[r.Outcome]++
	d.Changes += r.Changes
	d.Refused += r.Refused
	d.HeldNewer += r.Held
	d.Withheld += r.Withheld
	d.Results = append(d.Results, r)
}

// ImportDir imports every file in dir (not recursive) in name order, which
// is sequence order within each chain. final marks the files as complete
// (see Import).
func (e *Engine) ImportDir(ctx context.Context, carrier, dir string, final bool) (DirResult, error) {
	return e.ImportFiles(ctx, carrier, dir, func(fs.FileInfo) bool { return final })
}

// ImportFiles is ImportDir for a folder others write to (a USB stick, a
// shared drive): final says, from a file's metadata as it was opened,
// whether the file is complete (the exchange folder: unchanged for a
// while). Files are opened without following links and checked by size
// before a byte is read; a link, a device or a file larger than any
// cunjing file may be is rejected with its reason, unread.
func (e *Engine) ImportFiles(ctx context.Context, carrier, dir string, final func(fs.FileInfo) bool) (DirResult, error) {
	return e.ImportFilesWithin(ctx, carrier, dir, final, nil)
}

// ImportFilesWithin is ImportFiles examining only the files within allows
// (nil: all).
func (e *Engine) ImportFilesWithin(ctx context.Context, carrier, dir string, final func(fs.FileInfo) bool, within Within) (DirResult, error) {
	var res DirResult
	entries, err := os.ReadDir(dir)
	if err != nil {
		return res, fmt.Errorf("import %s: %w", dir, err)
	}
	names := make([]string, 0, len(entries))
	for _, en := range entries {
		n := en.Name()
		switch _, isBlob := changeset.BlobHash(n); {
		case strings.HasPrefix(n, safefile.TempPrefix):
			// A write or a pull of ours at work, or its leftover.
		case en.IsDir() || !changeset.IsName(n) && !isBlob && !changeset.IsReceiptName(n):
			res.addOther(n)
		default:
			names = append(names, n)
		}
	}
	// Changesets first so the blobs they name are referenced by then, and
	// this device's own first of all: after a restore, a peer's correction
	// of a record is better merged after the record's creation.
	own := heal.ChainPrefixOf(e.Self())
	sort.Slice(names, func(i, j int) bool {
		bi, bj := strings.HasPrefix(names[i], "blob-"), strings.HasPrefix(names[j], "blob-")
		if bi != bj {
			return bj
		}
		ri, rj := changeset.IsReceiptName(names[i]), changeset.IsReceiptName(names[j])
		if ri != rj {
			return rj // receipts last
		}
		oi, oj := strings.HasPrefix(names[i], own), strings.HasPrefix(names[j], own)
		if oi != oj {
			return oi
		}
		return names[i] < names[j]
	})
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		blobHash, isBlob := changeset.BlobHash(n)
		if o, ok, err := e.book.Seen(ctx, n); err == nil && ok && (o == "own" || o == string(NotForUs) || o == seenReceipt) {
			continue
		}
		// Verified before: no need to read it again.
		if done, err := e.book.HasReceivedName(ctx, n); err != nil {
			return res, err
		} else if done {
			res.Add(Result{File: n, Outcome: Duplicate})
			continue
		}
		limit, kind := int64(changeset.MaxFileSize), "changeset"
		if changeset.IsReceiptName(n) {
			limit, kind = changeset.MaxReceiptSize, "receipt"
		}
		if isBlob {
			if have, err := e.st.HasBlob(ctx, blobHash); err != nil {
				return res, err
			} else if have {
				res.Add(Result{File: n, Outcome: Duplicate})
				continue
			}
			limit, kind = changeset.MaxBlobFileSize, "media blob"
		}
		if within != nil && !within.More() {
			res.Unexamined++
			continue
		}
		if r, ok := known(ctx, within, dir, n); ok {
			res.Add(r)
			continue
		}
		data, fi, err := safefile.Read(dir, n, limit)
		switch {
		case errors.Is(err, safefile.ErrTooLarge) || errors.Is(err, safefile.ErrNotRegular):
			// A size no cunjing file has, or a link planted under a
			// cunjing name: refused unread, whatever it claims to be.
			reason := "refused unread: not a regular file (a link, a device or a pipe)"
			if errors.Is(err, safefile.ErrTooLarge) {
				reason = fmt.Sprintf("refused unread: larger than the %d bytes a %s may have", limit, kind)
			}
			r, rerr := e.reject(ctx, Result{File: n}, carrier, "", RejectNotFile, reason)
			if rerr != nil {
				return res, rerr
			}
			res.Add(r)
			if within != nil {
				within.Spent(r, nil, nil)
			}
			continue
		case err != nil:
			// A stick pulled out, a file vanishing under a sync tool or
			// still being written.
			e.log.Warn("cannot read", "file", n, "err", err)
			res.Add(Result{File: n, Outcome: NotReady, Reason: err.Error()})
			continue
		}
		r, err := e.Import(ctx, carrier, n, data, final(fi))
		if err != nil {
			return res, fmt.Errorf("import %s: %w", n, err)
		}
		res.Add(r)
		if within != nil {
			within.Spent(r, fi, data)
		}
	}
	// Last, so that a waiting changeset that cannot follow (its apply
	// fails) holds up nothing this folder brought.
	if err := e.resumeWaiting(ctx, carrier, &res); err != nil {
		return res, err
	}
	return res, nil
}
