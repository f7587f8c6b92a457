package syncbook

// Forks written back (sync/heal.WriteBack): a changeset of a peer refused
// its place here (a fork, its changes merged here) goes back to its maker,
// which may lack it after a restore, until the maker has had it. Kept in
// the local meta table, one entry a fork: "heal.fork.sent.<file name>".

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

const metaForkSent = "heal.fork.sent."

// ForkSent is what was known when a fork was last written out for its
// maker: Ours, the number of the receipt this device had made for the
// maker (written out beside it); Theirs, the number of the maker's latest
// receipt held here then.
type ForkSent struct {
	Ours, Theirs uint64
}

// NoteForkSent records that the fork named name was written out for its
// maker, replacing what an earlier write recorded.
func (b *Book) NoteForkSent(ctx context.Context, name string, f ForkSent) error {
	if err := b.setMeta(ctx, metaForkSent+name, fmt.Sprintf("%d %d", f.Ours, f.Theirs)); err != nil {
		return fmt.Errorf("note fork %s written out: %w", name, err)
	}
	return nil
}

// ForkSentOf returns what NoteForkSent recorded of a fork (ok false:
// never written out, or the record cannot be read).
func (b *Book) ForkSentOf(ctx context.Context, name string) (ForkSent, bool, error) {
	var v string
	err := b.q.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", metaForkSent+name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return ForkSent{}, false, nil
	}
	if err != nil {
		return ForkSent{}, false, fmt.Errorf("read fork %s: %w", name, err)
	}
	var f ForkSent
	if _, err := fmt.Sscanf(v, "%d %d", &f.Ours, &f.Theirs); err != nil {
		return ForkSent{}, false, nil
	}
	return f, true, nil
}

// RejectsOfKind lists the rejections of one kind, oldest first.
func (b *Book) RejectsOfKind(ctx context.Context, kind string) ([]Reject, error) {
	return b.rejects(ctx, kind+" rejections", "WHERE kind = ? ORDER BY id", kind)
}

// BEPRemoteHas reports whether a peer has announced the file name in a
// folder (and not as deleted).
func (b *Book) BEPRemoteHas(ctx context.Context, folder, device, name string) (bool, error) {
	var n int
	err := b.q.QueryRowContext(ctx, "SELECT count(*) FROM bep_remote_files WHERE folder = ? AND device = ? AND name = ? AND deleted = 0", folder, device, name).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look up %s in %s's index of %s: %w", name, device, folder, err)
	}
	return n > 0, nil
}
