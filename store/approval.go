package store

// Monthly approval is store/approval's (the lock rule, approving and
// unlocking a month, requests to unlock, holding a late edit back); the
// store hands it its write transaction as approvalTx and keeps the entry
// points the window, the command line and sync call.

import (
	"context"
	"database/sql"

	"cunjing/store/approval"
	"cunjing/store/internal/table"
)

var (
	// ErrMonthApproved is approval.ErrMonthApproved: an edit of a patrol
	// or visit in a month the station approved (a *MonthLockedError).
	ErrMonthApproved = approval.ErrMonthApproved
	// ErrUnlockReason: unlocking a month needs a reason.
	ErrUnlockReason = approval.ErrUnlockReason
)

// MonthLockedError says which post's month is locked.
type MonthLockedError = approval.MonthLockedError

// approvalTx is a write transaction as store/approval sees it.
type approvalTx struct{ tx *Tx }

func (a approvalTx) Get(rec Record, id string) error         { return a.tx.Get(rec, id) }
func (a approvalTx) Save(rec Record) error                   { return a.tx.Save(rec) }
func (a approvalTx) QueryRow(q string, args ...any) *sql.Row { return a.tx.queryRow(q, args...) }
func (a approvalTx) Pending(post, month string) ([]MonthRequest, error) {
	return liveTx[MonthRequest](a.tx, "AND owner = ? AND month = ? AND state = ? ORDER BY hlc, id", post, month, RequestPending)
}

// SaveUnlocked writes rec with the month lock lifted (holding a late edit
// back, applying a request the station granted); a tombstone is restated
// without a live record's checks.
func (a approvalTx) SaveUnlocked(rec Record, tombstone bool) error {
	prev := a.tx.unlocked
	a.tx.unlocked = true
	defer func() { a.tx.unlocked = prev }()
	if !tombstone {
		return a.tx.Save(rec)
	}
	ti, err := table.Of(rec.Table())
	if err != nil {
		return err
	}
	return a.tx.saveUnchecked(ti, rec)
}

// by is who acts in this transaction, now.
func (tx *Tx) by(user string) approval.By {
	return approval.By{Role: tx.s.role, Device: tx.s.device, User: user, At: tx.s.wall()}
}

// checkMonthLock refuses a write of a patrol or visit whose month (before
// or after the edit) the station approved for its owner.
func (tx *Tx) checkMonthLock(owner string, rec, old Record) error {
	if tx.unlocked {
		return nil
	}
	return approval.Check(approvalTx{tx}, owner, rec, old)
}

// ApproveMonth is the station approving post's month (YYYY-MM) by user
// (approval.Approve).
func (s *Store) ApproveMonth(ctx context.Context, post, month, user string) error {
	return s.Update(ctx, func(tx *Tx) error { return approval.Approve(approvalTx{tx}, tx.by(user), post, month) })
}

// UnlockMonth is the station unlocking post's approved month, with a
// reason, applying the post's pending requests (approval.Unlock). It
// returns how many were applied.
func (s *Store) UnlockMonth(ctx context.Context, post, month, user, reason string) (int, error) {
	n := 0
	err := s.Update(ctx, func(tx *Tx) (err error) {
		n, err = approval.Unlock(approvalTx{tx}, tx.by(user), post, month, reason)
		return err
	})
	return n, err
}

// RequestUnlock keeps an edit of a patrol or visit in an approved month as
// a request to unlock (approval.Request).
func (s *Store) RequestUnlock(ctx context.Context, rec Record, note, user string) (MonthRequest, error) {
	var req MonthRequest
	err := s.Update(ctx, func(tx *Tx) (err error) {
		req, err = approval.Request(approvalTx{tx}, tx.by(user), rec, note, NewID)
		return err
	})
	return req, err
}

// MonthApprovals lists the approvals of post ("" every post), by month.
func (s *Store) MonthApprovals(ctx context.Context, post string) ([]MonthApproval, error) {
	if post == "" {
		return live[MonthApproval](ctx, s, "ORDER BY post, month")
	}
	return live[MonthApproval](ctx, s, "AND post = ? ORDER BY month", post)
}

// MonthRequests lists post's requests to unlock (all states), month ""
// for every month, oldest first.
func (s *Store) MonthRequests(ctx context.Context, post, month string) ([]MonthRequest, error) {
	if month == "" {
		return live[MonthRequest](ctx, s, "AND owner = ? ORDER BY month, at, id", post)
	}
	return live[MonthRequest](ctx, s, "AND owner = ? AND month = ? ORDER BY at, id", post, month)
}

// HoldLateEdits runs at a station in the transaction that merged a post's
// changeset (b, already applied): the post's late edits of months the
// station approved are held back as requests to unlock
// (approval.HoldLate). It returns how many records were held.
func (tx *Tx) HoldLateEdits(b *Batch) (int, error) {
	if b == nil {
		return 0, nil
	}
	return approval.HoldLate(approvalTx{tx}, tx.by(""), b)
}
