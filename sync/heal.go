package sync

// The engine's side of healing splits (sync/heal): it refuses a changeset
// its place in its chain and takes back its own changesets, which both
// merge through the engine's apply; the rest is the Healer's.

import (
	"context"
	"strings"
	"time"

	"cunjing/store"
	"cunjing/store/syncbook"
	"cunjing/sync/heal"
)

// healHost is what the Healer asks of the engine (heal.Host).
type healHost struct{ *Engine }

func (h healHost) FolderIDs(ctx context.Context) ([]string, error) {
	folders, err := h.Folders(ctx)
	ids := make([]string, len(folders))
	for i, f := range folders {
		ids[i] = f.ID
	}
	return ids, err
}

func (h healHost) Streams(ctx context.Context) ([]heal.Stream, error) {
	streams, err := h.streams(ctx)
	return healStreams(streams), err
}

func (h healHost) PeerHolds(ctx context.Context, peer string) (map[string]uint64, error) {
	return h.peerHolds(ctx, peer)
}

func (h healHost) Blobs(ctx context.Context, data []byte) []string {
	if o, err := h.openChangeset(ctx, data); err == nil {
		return o.Header.Blobs
	}
	return nil
}

func (h healHost) WriteBlob(ctx context.Context, dir, hash string, peers []syncbook.Peer) (bool, error) {
	return h.writeBlob(ctx, dir, hash, peers)
}

// healStreams are the engine's outgoing streams as the Healer sees them.
func healStreams(streams []stream) []heal.Stream {
	out := make([]heal.Stream, len(streams))
	for i, s := range streams {
		out[i] = heal.Stream{ID: s.id, Recipients: make([]string, len(s.recipients))}
		out[i].Post, _ = strings.CutPrefix(s.id, PostFolder(""))
		for j, p := range s.recipients {
			out[i].Recipients[j] = p.DeviceID
		}
	}
	return out
}

// refuseChain refuses a verified changeset its place in its chain (logged
// in Chinese and English), merges its changes anyway, keeps a copy, and
// owes its maker a note saying where this device stands in that chain.
func (e *Engine) refuseChain(ctx context.Context, r Result, carrier, name string, o prepared, data []byte, fault heal.Fault) (Result, error) {
	h := o.Header
	ref, err := e.heal.Refuse(ctx, h, fault)
	if err != nil {
		return r, err
	}
	if r, err = e.reject(ctx, r, carrier, h.Origin, RejectChain, ref.Words); err != nil {
		return r, err
	}
	in := syncbook.InChangeset{Origin: h.Origin, Stream: h.Stream, Seq: h.Seq, Name: name}
	res, err := e.apply(ctx, carrier, in, o, &r, func(*store.Tx, int64) error { return nil })
	if err != nil {
		return r, err
	}
	if err := e.heal.Kept(ctx, carrier, name, data, h, res.Ahead, false); err != nil {
		return r, err
	}
	if err := e.book.MarkSeen(ctx, name, heal.SeenRefused); err != nil {
		return r, err
	}
	return r, e.heal.OweChainNote(ctx, h, ref)
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

// Divergences is the Healer's Divergences (sync/bep waits on it).
func (e *Engine) Divergences(ctx context.Context, peer string) ([]string, error) {
	return e.heal.Divergences(ctx, peer)
}

// NoteHelloClock is the Healer's NoteHelloClock (sync/bep's handshake).
func (e *Engine) NoteHelloClock(ctx context.Context, peer string, offset time.Duration) error {
	return e.heal.NoteHelloClock(ctx, peer, offset)
}

// CutOwed is the Healer's CutOwed: whether a cut should carry out soon
// what happened since the last call (sync/bep's session cuts then).
func (e *Engine) CutOwed() bool { return e.heal.CutOwed() }
