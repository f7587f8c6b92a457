package store

// Monthly approval (issue #20, as DHIS2's data approval): the station
// approves a post's month; that month's patrol logs and visits are then
// locked on both sides, and an edit needs the station to unlock the month,
// with a reason, audited. Approvals are the station's own synced records
// (month_approvals, broadcast to its posts like its notices); what a post
// would change in a locked month is kept as a request to unlock
// (month_requests, the post's records), never lost.
//
// A post's edit made offline, before it heard of the approval, is never
// refused when it arrives (a refusal would block the post's chain): it is
// merged like every change, and the station then holds it back in the same
// transaction (Tx.HoldLateEdits): the approved values are written again as
// the station's correction, and the edit becomes a request to unlock,
// applied if the station unlocks the month.

import (
	"context"
	"cunjing/store/record"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/google/uuid"
)

// ErrMonthApproved is what an edit of a patrol or visit in a month the
// station approved fails with (errors.Is; the error is a
// *MonthLockedError naming the month).
var ErrMonthApproved = errors.New("the station approved this month: an edit needs it unlocked")

// ErrUnlockReason: unlocking a month needs a reason.
var ErrUnlockReason = errors.New("unlocking a month needs a reason")

// MonthLockedError says which post's month is locked.
type MonthLockedError struct {
	Owner, Month string
}

func (e *MonthLockedError) Error() string {
	return fmt.Sprintf("month %s of post %s: %v", e.Month, e.Owner, ErrMonthApproved)
}

func (e *MonthLockedError) Is(target error) bool { return target == ErrMonthApproved }

func approvalID(post, month string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("cunjing:month_approvals:"+post+":"+month)).String()
}

// recordMonth is the month (YYYY-MM) a locked kind of record belongs to.
func recordMonth(rec Record) (string, bool) {
	var d string
	switch r := rec.(type) {
	case *Patrol:
		d = r.Date
	case *Visit:
		d = r.Date
	default:
		return "", false
	}
	if len(d) < 7 || !ValidMonth(d[:7]) {
		return "", false
	}
	return d[:7], true
}

// approval reads the approval of owner's month, if any.
func (tx *Tx) approval(owner, month string) (MonthApproval, bool, error) {
	var a MonthApproval
	if err := tx.get(tables["month_approvals"], approvalID(owner, month), reflect.ValueOf(&a)); err != nil {
		if isNotFound(err) {
			return a, false, nil
		}
		return a, false, err
	}
	return a, !a.Deleted && a.State == ApprovalApproved, nil
}

// checkMonthLock refuses a write of a patrol or visit whose month (before
// or after the edit) the station approved for its owner.
func (tx *Tx) checkMonthLock(owner string, rec, old Record) error {
	if tx.unlocked {
		return nil
	}
	for _, r := range []Record{rec, old} {
		if r == nil || reflect.ValueOf(r).IsNil() {
			continue
		}
		m, ok := recordMonth(r)
		if !ok {
			continue
		}
		_, locked, err := tx.approval(owner, m)
		if err != nil {
			return err
		}
		if locked {
			return &MonthLockedError{Owner: owner, Month: m}
		}
	}
	return nil
}

// ApproveMonth is the station approving post's month (YYYY-MM) by user:
// its patrol logs and visits are locked on both sides from now on. It is
// audited.
func (s *Store) ApproveMonth(ctx context.Context, post, month, user string) error {
	if s.role != RoleStation {
		return errors.New("approve month: only a station approves")
	}
	return s.Update(ctx, func(tx *Tx) error {
		a, _, err := tx.approval(post, month)
		if err != nil {
			return err
		}
		if a.ID == "" {
			a = MonthApproval{Meta: Meta{ID: approvalID(post, month)}, Post: post, Month: month}
		}
		if err := tx.queryRow("SELECT coalesce(max(last_hlc), '') FROM origins WHERE device = ?", post).Scan(&a.Seen); err != nil {
			return fmt.Errorf("approve month: %w", err)
		}
		a.State, a.By, a.At, a.Reason = ApprovalApproved, user, s.wall().Format("2006-01-02 15:04:05"), ""
		if err := tx.Save(&a); err != nil {
			return fmt.Errorf("approve month: %w", err)
		}
		return tx.Save(&AuditEntry{At: a.At, User: user, Role: RoleStation, Action: AuditApprove, Subject: post, Detail: month})
	})
}

// UnlockMonth is the station unlocking post's approved month, with a
// reason (audited): edits are allowed again, and the post's pending
// requests for the month are applied (the station's corrections of the
// post's records), oldest first. It returns how many were applied.
func (s *Store) UnlockMonth(ctx context.Context, post, month, user, reason string) (int, error) {
	if s.role != RoleStation {
		return 0, errors.New("unlock month: only a station unlocks")
	}
	if strings.TrimSpace(reason) == "" {
		return 0, ErrUnlockReason
	}
	n := 0
	err := s.Update(ctx, func(tx *Tx) error {
		a, locked, err := tx.approval(post, month)
		if err != nil {
			return err
		}
		if !locked {
			return fmt.Errorf("unlock month: %s of %s is not approved", month, post)
		}
		a.State, a.By, a.At, a.Reason = ApprovalUnlocked, user, s.wall().Format("2006-01-02 15:04:05"), strings.TrimSpace(reason)
		if err := tx.Save(&a); err != nil {
			return fmt.Errorf("unlock month: %w", err)
		}
		if err := tx.Save(&AuditEntry{At: a.At, User: user, Role: RoleStation, Action: AuditUnlock, Subject: post, Detail: month + " " + a.Reason}); err != nil {
			return err
		}
		reqs, err := liveTx[MonthRequest](tx, "AND owner = ? AND month = ? AND state = ? ORDER BY hlc, id", post, month, RequestPending)
		if err != nil {
			return err
		}
		for i := range reqs {
			if err := tx.applyRequest(reqs[i]); err != nil {
				return fmt.Errorf("unlock month: request %s: %w", reqs[i].ID, err)
			}
			reqs[i].State = RequestApplied
			if err := tx.Save(&reqs[i]); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// applyRequest writes a request's fields into its record (creating it,
// owned by the request's owner, if it is not here).
func (tx *Tx) applyRequest(r MonthRequest) error {
	ti, err := tableOf(r.Tbl)
	if err != nil {
		return err
	}
	rv := reflect.New(ti.Typ)
	rec := rv.Interface().(Record)
	if err := tx.get(ti, r.Rec, rv); err != nil {
		if !isNotFound(err) {
			return err
		}
		*rec.RecordMeta() = Meta{ID: r.Rec, Owner: r.Owner}
	}
	if err := setFields(ti, rv, r.FieldValues()); err != nil {
		return err
	}
	prev := tx.unlocked
	tx.unlocked = true
	defer func() { tx.unlocked = prev }()
	if rec.RecordMeta().Deleted {
		// A tombstone restated: saved without the checks a live record has.
		return tx.saveUnchecked(ti, rec)
	}
	return tx.Save(rec)
}

// setFields sets the named columns of the record rv points to from
// change-log JSON.
func setFields(ti *tableInfo, rv reflect.Value, fields map[string]json.RawMessage) error {
	for i := range ti.Cols {
		c := &ti.Cols[i]
		raw, ok := fields[c.Name]
		if !ok || c.Name == "id" || c.Name == "owner" {
			continue
		}
		f := rv.Elem().FieldByIndex(c.Index)
		if err := json.Unmarshal(raw, f.Addr().Interface()); err != nil {
			return fmt.Errorf("field %s: %w", c.Name, err)
		}
	}
	return nil
}

// RequestUnlock keeps an edit of a patrol or visit in an approved month
// (rec as the post would save it; a new record gets its ID here) as a
// request to unlock: nothing of it is lost, and the station applies it if
// it unlocks the month.
func (s *Store) RequestUnlock(ctx context.Context, rec Record, note, user string) (MonthRequest, error) {
	var req MonthRequest
	if _, ok := recordMonth(rec); !ok {
		return req, fmt.Errorf("request to unlock: a %s is not locked by month", rec.Table())
	}
	err := s.Update(ctx, func(tx *Tx) error {
		ti, err := tableOf(rec.Table())
		if err != nil {
			return err
		}
		m := rec.RecordMeta()
		if m.ID == "" {
			m.ID = NewID()
		}
		old := reflect.New(ti.Typ)
		exists := true
		if err := tx.get(ti, m.ID, old); err != nil {
			if !isNotFound(err) {
				return err
			}
			exists = false
		}
		owner := s.device
		if exists {
			owner = old.Interface().(Record).RecordMeta().Owner
		}
		// The locked month: the record's (after or before the edit).
		month := ""
		for _, r := range []Record{rec, old.Interface().(Record)} {
			if mo, ok := recordMonth(r); ok {
				if _, locked, err := tx.approval(owner, mo); err != nil {
					return err
				} else if locked {
					month = mo
					break
				}
			}
		}
		if month == "" {
			return fmt.Errorf("request to unlock: the month of this %s is not approved", rec.Table())
		}
		fields := map[string]json.RawMessage{}
		nv := reflect.ValueOf(rec).Elem()
		for i := range ti.Cols {
			c := &ti.Cols[i]
			if c.Name == "id" || c.Name == "owner" {
				continue
			}
			v := encodeValue(c, nv.FieldByIndex(c.Index))
			if exists && v == encodeValue(c, old.Elem().FieldByIndex(c.Index)) {
				continue
			}
			if !exists && v == encodeValue(c, reflect.New(ti.Typ).Elem().FieldByIndex(c.Index)) {
				continue
			}
			fields[c.Name] = json.RawMessage(v)
		}
		if len(fields) == 0 {
			return errors.New("request to unlock: the edit changes nothing")
		}
		b, err := json.Marshal(fields) // sorted keys
		if err != nil {
			return err
		}
		req = MonthRequest{Meta: Meta{Owner: owner}, Month: month, Tbl: ti.Name, Rec: m.ID, Fields: string(b), Note: note,
			Source: RequestAsked, State: RequestPending, By: user, At: s.wall().Format("2006-01-02 15:04:05")}
		return tx.Save(&req)
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
// changeset (b, already applied): a change of the post to its patrol or
// visit in a month the station approved, stamped after what the approval
// saw, is held back. The record gets the approved values again (the
// station's correction: for a record born after the approval, a tombstone)
// and the post's values become a pending request to unlock (source late),
// applied if the station unlocks the month. Nothing is refused: the
// changes stay in the change log, the chain goes on. It returns how many
// records were held.
func (tx *Tx) HoldLateEdits(b *Batch) (int, error) {
	if tx.s.role != RoleStation || b == nil {
		return 0, nil
	}
	// Most imports meet no approved month at all: one look, not one per
	// record.
	var approved int
	if err := tx.queryRow("SELECT count(*) FROM (SELECT 1 FROM month_approvals WHERE "+record.LiveSQL("")+" AND state = ? LIMIT 1)", ApprovalApproved).Scan(&approved); err != nil {
		return 0, fmt.Errorf("hold late edits: %w", err)
	}
	if approved == 0 {
		return 0, nil
	}
	type stamp struct{ hlc, dev string }
	late := map[lockKey]map[string]stamp{} // field → the newest change in this batch
	var order []lockKey
	for i := range b.Len() {
		c := b.Change(i)
		if !LockedTable(c.Table) {
			continue
		}
		k := lockKey{c.Table, c.Record}
		if late[k] == nil {
			late[k] = map[string]stamp{}
			order = append(order, k)
		}
		if c.HLC > late[k][c.Field].hlc {
			late[k][c.Field] = stamp{c.HLC, b.Origin(i)}
		}
	}
	held := 0
	for _, k := range order {
		ti := tables[k.table]
		rv := reflect.New(ti.Typ)
		rec := rv.Interface().(Record)
		if err := tx.get(ti, k.rec, rv); err != nil {
			if isNotFound(err) {
				continue
			}
			return held, err
		}
		owner := rec.RecordMeta().Owner
		month, ok := recordMonth(rec)
		if !ok {
			continue
		}
		a, locked, err := tx.approval(owner, month)
		if err != nil {
			return held, err
		}
		if !locked {
			continue
		}
		// The fields the post changed after the approval.
		var fields []string
		newest := ""
		for f, st := range late[k] {
			if st.hlc > a.Seen && st.dev == owner {
				fields = append(fields, f)
				newest = max(newest, st.hlc)
			}
		}
		if len(fields) == 0 {
			continue
		}
		sort.Strings(fields)
		reqID := uuid.NewSHA1(uuid.NameSpaceURL, []byte("cunjing:month_requests:late:"+k.table+":"+k.rec+":"+newest)).String()
		var seen MonthRequest
		if err := tx.get(tables["month_requests"], reqID, reflect.ValueOf(&seen)); err == nil {
			continue
		} else if !isNotFound(err) {
			return held, err
		}
		existed, err := tx.changedBy(k, a.Seen)
		if err != nil {
			return held, err
		}
		// What the post's edit set (for a record born after the approval,
		// all of it), and the approved values back.
		want := map[string]json.RawMessage{}
		restore := map[string]json.RawMessage{}
		for i := range ti.Cols {
			c := &ti.Cols[i]
			if c.Name == "id" || c.Name == "owner" {
				continue
			}
			if existed && !slices.Contains(fields, c.Name) {
				continue
			}
			want[c.Name] = json.RawMessage(encodeValue(c, rv.Elem().FieldByIndex(c.Index)))
			if !existed {
				continue
			}
			var v string
			err := tx.queryRow("SELECT value FROM changes WHERE tbl = ? AND rec = ? AND field = ? AND hlc <= ? ORDER BY hlc DESC LIMIT 1",
				k.table, k.rec, c.Name, a.Seen).Scan(&v)
			switch {
			case err == nil:
				restore[c.Name] = json.RawMessage(v)
			case errors.Is(err, sql.ErrNoRows): // unset then: the column's default
				restore[c.Name] = json.RawMessage(encodeValue(c, reflect.New(ti.Typ).Elem().FieldByIndex(c.Index)))
			default:
				return held, err
			}
		}
		wb, err := json.Marshal(want)
		if err != nil {
			return held, err
		}
		prev := tx.unlocked
		tx.unlocked = true
		if existed {
			if err = setFields(ti, rv, restore); err == nil {
				err = tx.Save(rec)
			}
		} else {
			rec.RecordMeta().Deleted = true
			err = tx.saveUnchecked(ti, rec)
		}
		tx.unlocked = prev
		if err != nil {
			return held, fmt.Errorf("hold late edit of %s %s: %w", k.table, k.rec, err)
		}
		req := MonthRequest{Meta: Meta{ID: reqID, Owner: owner}, Month: month, Tbl: k.table, Rec: k.rec, Fields: string(wb),
			Source: RequestLate, State: RequestPending, At: tx.s.wall().Format("2006-01-02 15:04:05")}
		if err := tx.Save(&req); err != nil {
			return held, err
		}
		held++
	}
	return held, nil
}

type lockKey struct{ table, rec string }

// changedBy reports whether the record has a change stamped at or before
// hlc (it existed when the approval was made).
func (tx *Tx) changedBy(k lockKey, hlc string) (bool, error) {
	var n int
	if err := tx.queryRow("SELECT count(*) FROM changes WHERE tbl = ? AND rec = ? AND hlc <= ?", k.table, k.rec, hlc).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}
