// Package approval owns the monthly approval of a post's month (issue #20,
// as DHIS2's data approval): the station approves a post's month; that
// month's patrol logs and visits are then locked on both sides (Check, on
// every write), and an edit needs the station to unlock the month, with a
// reason, audited (Approve, Unlock). Approvals are the station's own
// synced records (month_approvals, broadcast to its posts like its
// notices); what a post would change in a locked month is kept as a
// request to unlock (Request: month_requests, the post's records), never
// lost.
//
// A post's edit made offline, before it heard of the approval, is never
// refused when it arrives (a refusal would block the post's chain): it is
// merged like every change, and the station then holds it back in the same
// transaction (HoldLate): the approved values are written again as the
// station's correction, and the edit becomes a request to unlock, applied
// if the station unlocks the month.
//
// It sits below store's root, which calls it with its write transaction
// seen through Tx (Store.ApproveMonth, UnlockMonth, RequestUnlock,
// Tx.HoldLateEdits, and the lock in Tx.Save).
package approval

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"cunjing/store/change"
	"cunjing/store/internal/table"
	"cunjing/store/record"

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

// Tx is what the approval needs of one of the store's write transactions.
type Tx interface {
	// Get reads the record with id into rec (record.ErrNotFound when
	// there is none).
	Get(rec record.Record, id string) error
	// Save writes rec as the store's Tx.Save does, the month lock checked.
	Save(rec record.Record) error
	// SaveUnlocked writes rec with the month lock lifted; a tombstone
	// restates every field without a live record's checks.
	SaveUnlocked(rec record.Record, tombstone bool) error
	// QueryRow runs a single-row query in the transaction.
	QueryRow(q string, args ...any) *sql.Row
	// Pending lists post's pending requests to unlock month, oldest first.
	Pending(post, month string) ([]record.MonthRequest, error)
}

// By is who acts, and when: the store's role and device, the user at the
// keyboard and the wall clock's now.
type By struct {
	Role, Device, User string
	At                 time.Time
}

func (b By) at() string { return b.At.Format("2006-01-02 15:04:05") }

func approvalID(post, month string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("cunjing:month_approvals:"+post+":"+month)).String()
}

// Month is the month (YYYY-MM) a locked kind of record belongs to.
func Month(rec record.Record) (string, bool) {
	var d string
	switch r := rec.(type) {
	case *record.Patrol:
		d = r.Date
	case *record.Visit:
		d = r.Date
	default:
		return "", false
	}
	if len(d) < 7 || !record.ValidMonth(d[:7]) {
		return "", false
	}
	return d[:7], true
}

// approval reads the approval of owner's month, if any.
func approval(tx Tx, owner, month string) (record.MonthApproval, bool, error) {
	var a record.MonthApproval
	if err := tx.Get(&a, approvalID(owner, month)); err != nil {
		if errors.Is(err, record.ErrNotFound) {
			return a, false, nil
		}
		return a, false, err
	}
	return a, !a.Deleted && a.State == record.ApprovalApproved, nil
}

// Check refuses a write of a patrol or visit whose month (before or after
// the edit) the station approved for its owner.
func Check(tx Tx, owner string, rec, old record.Record) error {
	for _, r := range []record.Record{rec, old} {
		if r == nil || reflect.ValueOf(r).IsNil() {
			continue
		}
		m, ok := Month(r)
		if !ok {
			continue
		}
		_, locked, err := approval(tx, owner, m)
		if err != nil {
			return err
		}
		if locked {
			return &MonthLockedError{Owner: owner, Month: m}
		}
	}
	return nil
}

// Approve is the station approving post's month (YYYY-MM): its patrol
// logs and visits are locked on both sides from now on. It is audited.
func Approve(tx Tx, by By, post, month string) error {
	if by.Role != record.RoleStation {
		return errors.New("approve month: only a station approves")
	}
	a, _, err := approval(tx, post, month)
	if err != nil {
		return err
	}
	if a.ID == "" {
		a = record.MonthApproval{Meta: record.Meta{ID: approvalID(post, month)}, Post: post, Month: month}
	}
	if err := tx.QueryRow("SELECT coalesce(max(last_hlc), '') FROM origins WHERE device = ?", post).Scan(&a.Seen); err != nil {
		return fmt.Errorf("approve month: %w", err)
	}
	a.State, a.By, a.At, a.Reason = record.ApprovalApproved, by.User, by.at(), ""
	if err := tx.Save(&a); err != nil {
		return fmt.Errorf("approve month: %w", err)
	}
	return tx.Save(&record.AuditEntry{At: a.At, User: by.User, Role: record.RoleStation, Action: record.AuditApprove, Subject: post, Detail: month})
}

// Unlock is the station unlocking post's approved month, with a reason
// (audited): edits are allowed again, and the post's pending requests for
// the month are applied (the station's corrections of the post's records),
// oldest first. It returns how many were applied.
func Unlock(tx Tx, by By, post, month, reason string) (int, error) {
	if by.Role != record.RoleStation {
		return 0, errors.New("unlock month: only a station unlocks")
	}
	if strings.TrimSpace(reason) == "" {
		return 0, ErrUnlockReason
	}
	a, locked, err := approval(tx, post, month)
	if err != nil {
		return 0, err
	}
	if !locked {
		return 0, fmt.Errorf("unlock month: %s of %s is not approved", month, post)
	}
	a.State, a.By, a.At, a.Reason = record.ApprovalUnlocked, by.User, by.at(), strings.TrimSpace(reason)
	if err := tx.Save(&a); err != nil {
		return 0, fmt.Errorf("unlock month: %w", err)
	}
	if err := tx.Save(&record.AuditEntry{At: a.At, User: by.User, Role: record.RoleStation, Action: record.AuditUnlock, Subject: post, Detail: month + " " + a.Reason}); err != nil {
		return 0, err
	}
	reqs, err := tx.Pending(post, month)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range reqs {
		if err := applyRequest(tx, reqs[i]); err != nil {
			return n, fmt.Errorf("unlock month: request %s: %w", reqs[i].ID, err)
		}
		reqs[i].State = record.RequestApplied
		if err := tx.Save(&reqs[i]); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// applyRequest writes a request's fields into its record (creating it,
// owned by the request's owner, if it is not here).
func applyRequest(tx Tx, r record.MonthRequest) error {
	ti, err := table.Of(r.Tbl)
	if err != nil {
		return err
	}
	rv := reflect.New(ti.Typ)
	rec := rv.Interface().(record.Record)
	if err := tx.Get(rec, r.Rec); err != nil {
		if !errors.Is(err, record.ErrNotFound) {
			return err
		}
		*rec.RecordMeta() = record.Meta{ID: r.Rec, Owner: r.Owner}
	}
	if err := setFields(ti, rv, r.FieldValues()); err != nil {
		return err
	}
	// A tombstone restated: saved without the checks a live record has.
	return tx.SaveUnlocked(rec, rec.RecordMeta().Deleted)
}

// setFields sets the named columns of the record rv points to from
// change-log JSON.
func setFields(ti *table.Info, rv reflect.Value, fields map[string]json.RawMessage) error {
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

// Request keeps an edit of a patrol or visit in an approved month (rec as
// the post would save it; a new record gets its ID from newID) as a
// request to unlock: nothing of it is lost, and the station applies it if
// it unlocks the month.
func Request(tx Tx, by By, rec record.Record, note string, newID func() string) (record.MonthRequest, error) {
	var req record.MonthRequest
	if _, ok := Month(rec); !ok {
		return req, fmt.Errorf("request to unlock: a %s is not locked by month", rec.Table())
	}
	ti, err := table.Of(rec.Table())
	if err != nil {
		return req, err
	}
	m := rec.RecordMeta()
	if m.ID == "" {
		m.ID = newID()
	}
	old := reflect.New(ti.Typ)
	exists := true
	if err := tx.Get(old.Interface().(record.Record), m.ID); err != nil {
		if !errors.Is(err, record.ErrNotFound) {
			return req, err
		}
		exists = false
	}
	owner := by.Device
	if exists {
		owner = old.Interface().(record.Record).RecordMeta().Owner
	}
	// The locked month: the record's (after or before the edit).
	month := ""
	for _, r := range []record.Record{rec, old.Interface().(record.Record)} {
		if mo, ok := Month(r); ok {
			if _, locked, err := approval(tx, owner, mo); err != nil {
				return req, err
			} else if locked {
				month = mo
				break
			}
		}
	}
	if month == "" {
		return req, fmt.Errorf("request to unlock: the month of this %s is not approved", rec.Table())
	}
	fields := map[string]json.RawMessage{}
	nv := reflect.ValueOf(rec).Elem()
	for i := range ti.Cols {
		c := &ti.Cols[i]
		if c.Name == "id" || c.Name == "owner" {
			continue
		}
		v := table.Encode(c, nv.FieldByIndex(c.Index))
		if exists && v == table.Encode(c, old.Elem().FieldByIndex(c.Index)) {
			continue
		}
		if !exists && v == table.Encode(c, reflect.New(ti.Typ).Elem().FieldByIndex(c.Index)) {
			continue
		}
		fields[c.Name] = json.RawMessage(v)
	}
	if len(fields) == 0 {
		return req, errors.New("request to unlock: the edit changes nothing")
	}
	b, err := json.Marshal(fields) // sorted keys
	if err != nil {
		return req, err
	}
	req = record.MonthRequest{Meta: record.Meta{Owner: owner}, Month: month, Tbl: ti.Name, Rec: m.ID, Fields: string(b), Note: note,
		Source: record.RequestAsked, State: record.RequestPending, By: by.User, At: by.at()}
	return req, tx.Save(&req)
}

// Batch is the merged changeset HoldLate looks at (store.Batch).
type Batch interface {
	Len() int
	Change(i int) change.Change
	Origin(i int) string
}

// HoldLate runs at a station in the transaction that merged a post's
// changeset (b, already applied): a change of the post to its patrol or
// visit in a month the station approved, stamped after what the approval
// saw, is held back. The record gets the approved values again (the
// station's correction: for a record born after the approval, a tombstone)
// and the post's values become a pending request to unlock (source late),
// applied if the station unlocks the month. Nothing is refused: the
// changes stay in the change log, the chain goes on. It returns how many
// records were held.
func HoldLate(tx Tx, by By, b Batch) (int, error) {
	if by.Role != record.RoleStation {
		return 0, nil
	}
	// Most imports meet no approved month at all: one look, not one per
	// record.
	var approved int
	if err := tx.QueryRow("SELECT count(*) FROM (SELECT 1 FROM month_approvals WHERE "+record.LiveSQL("")+" AND state = ? LIMIT 1)", record.ApprovalApproved).Scan(&approved); err != nil {
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
		if !record.LockedTable(c.Table) {
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
		ti := table.Tables[k.table]
		rv := reflect.New(ti.Typ)
		rec := rv.Interface().(record.Record)
		if err := tx.Get(rec, k.rec); err != nil {
			if errors.Is(err, record.ErrNotFound) {
				continue
			}
			return held, err
		}
		owner := rec.RecordMeta().Owner
		month, ok := Month(rec)
		if !ok {
			continue
		}
		a, locked, err := approval(tx, owner, month)
		if err != nil {
			return held, err
		}
		if !locked {
			continue
		}
		// What the approval saw is told by stamps: changes stamped after
		// `seen` are the post's later edits. Unless `seen` lies beyond
		// this PC's clock's reach (the post's PC clock ran years ahead
		// before the approval and has been set right since, so its later
		// edits are stamped below `seen`): then a change counts as seen by
		// the approval if it was stored here before it, by its place in
		// this station's change log. (Only then: a station restored from
		// an older backup stores again, after its approval taken back, the
		// post's edits that came before the approval.)
		at := int64(math.MaxInt64)
		if h, err := change.ParseHLC(a.Seen); err == nil && time.UnixMilli(h.Wall).After(by.At.Add(change.MaxAhead)) {
			if at, err = approvedAt(tx, a.ID); err != nil {
				return held, err
			}
		}
		// The fields the post changed after the approval.
		var fields []string
		newest := ""
		for f, st := range late[k] {
			if st.dev != owner {
				continue
			}
			after := st.hlc > a.Seen
			if !after && at != math.MaxInt64 {
				var seq int64
				err := tx.QueryRow("SELECT seq FROM changes WHERE tbl = ? AND rec = ? AND field = ? AND hlc = ?", k.table, k.rec, f, st.hlc).Scan(&seq)
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return held, err
				}
				after = seq > at
			}
			if after {
				fields = append(fields, f)
				newest = max(newest, st.hlc)
			}
		}
		if len(fields) == 0 {
			continue
		}
		sort.Strings(fields)
		reqID := uuid.NewSHA1(uuid.NameSpaceURL, []byte("cunjing:month_requests:late:"+k.table+":"+k.rec+":"+newest)).String()
		var seen record.MonthRequest
		if err := tx.Get(&seen, reqID); err == nil {
			continue
		} else if !errors.Is(err, record.ErrNotFound) {
			return held, err
		}
		existed, err := changedBy(tx, k, a.Seen, at)
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
			want[c.Name] = json.RawMessage(table.Encode(c, rv.Elem().FieldByIndex(c.Index)))
			if !existed {
				continue
			}
			var v string
			err := tx.QueryRow("SELECT value FROM changes WHERE tbl = ? AND rec = ? AND field = ? AND hlc <= ? AND seq <= ? ORDER BY hlc DESC LIMIT 1",
				k.table, k.rec, c.Name, a.Seen, at).Scan(&v)
			switch {
			case err == nil:
				restore[c.Name] = json.RawMessage(v)
			case errors.Is(err, sql.ErrNoRows): // unset then: the column's default
				restore[c.Name] = json.RawMessage(table.Encode(c, reflect.New(ti.Typ).Elem().FieldByIndex(c.Index)))
			default:
				return held, err
			}
		}
		wb, err := json.Marshal(want)
		if err != nil {
			return held, err
		}
		if existed {
			if err = setFields(ti, rv, restore); err == nil {
				err = tx.SaveUnlocked(rec, false)
			}
		} else {
			rec.RecordMeta().Deleted = true
			err = tx.SaveUnlocked(rec, true)
		}
		if err != nil {
			return held, fmt.Errorf("hold late edit of %s %s: %w", k.table, k.rec, err)
		}
		req := record.MonthRequest{Meta: record.Meta{ID: reqID, Owner: owner}, Month: month, Tbl: k.table, Rec: k.rec, Fields: string(wb),
			Source: record.RequestLate, State: record.RequestPending, At: by.at()}
		if err := tx.Save(&req); err != nil {
			return held, err
		}
		held++
	}
	return held, nil
}

type lockKey struct{ table, rec string }

// changedBy reports whether the record has a change stamped at or before
// hlc and stored here by change-log position at (it existed when the
// approval was made).
func changedBy(tx Tx, k lockKey, hlc string, at int64) (bool, error) {
	var n int
	if err := tx.QueryRow("SELECT count(*) FROM changes WHERE tbl = ? AND rec = ? AND hlc <= ? AND seq <= ?", k.table, k.rec, hlc, at).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

// approvedAt is the change-log position of the approval id here: the
// last change of its state or what it saw. Every change stored after it
// arrived after the approval was made.
func approvedAt(tx Tx, id string) (int64, error) {
	var at int64
	err := tx.QueryRow("SELECT coalesce(max(seq), 0) FROM changes WHERE tbl = 'month_approvals' AND rec = ? AND field IN ('state', 'seen')", id).Scan(&at)
	if err != nil {
		return 0, fmt.Errorf("hold late edits: where approval %s stands: %w", id, err)
	}
	return at, nil
}
