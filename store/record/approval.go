package record

import "encoding/json"

// Approval states and request sources and states.
const (
	ApprovalApproved = "approved"
	ApprovalUnlocked = "unlocked"

	RequestAsked = "asked" // saved at the post as a request, the month being locked
	RequestLate  = "late"  // an edit made offline that arrived after the approval

	RequestPending = "pending"
	RequestApplied = "applied"
)

// MonthApproval is the station's approval of one post's month. Its ID is
// derived from (post, month), so approving again edits the same record.
type MonthApproval struct {
	Meta
	Post  string `db:"post"`  // the post's device ID
	Month string `db:"month"` // YYYY-MM
	State string `db:"state"` // approved, unlocked
	// Seen is the newest change of the post the station held when it
	// approved (its HLC): a change of the post stamped later was not part
	// of what was approved.
	Seen   string `db:"seen"`
	By     string `db:"by"`
	At     string `db:"at"` // the PC's wall time, for people
	Reason string `db:"reason"`
}

func (*MonthApproval) Table() string { return "month_approvals" }

func (a *MonthApproval) Validate() error {
	if a.Post == "" {
		return fieldErr("month_approvals", "post", "", "required")
	}
	if !ValidMonth(a.Month) {
		return fieldErr("month_approvals", "month", a.Month, "must be YYYY-MM")
	}
	if !oneOf(a.State, ApprovalApproved, ApprovalUnlocked) || a.State == "" {
		return fieldErr("month_approvals", "state", a.State, "must be approved or unlocked")
	}
	return nil
}

// MonthRequest is an edit of a post's patrol or visit in an approved month,
// kept until the station unlocks the month (then applied) — asked at the
// post, or made offline and arrived late. Owned by the post.
type MonthRequest struct {
	Meta
	Month  string `db:"month"`
	Tbl    string `db:"tbl"`    // patrols, visits
	Rec    string `db:"rec"`    // the record's ID
	Fields string `db:"fields"` // JSON object: field → the value (change-log JSON) the edit sets
	Note   string `db:"note"`
	Source string `db:"source"` // asked, late
	State  string `db:"state"`  // pending, applied
	By     string `db:"by"`
	At     string `db:"at"`
}

func (*MonthRequest) Table() string { return "month_requests" }

func (r *MonthRequest) Validate() error {
	if !ValidMonth(r.Month) {
		return fieldErr("month_requests", "month", r.Month, "must be YYYY-MM")
	}
	if !LockedTable(r.Tbl) {
		return fieldErr("month_requests", "tbl", r.Tbl, "must be patrols or visits")
	}
	if r.Rec == "" {
		return fieldErr("month_requests", "rec", "", "required")
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.Fields), &f); err != nil {
		return fieldErr("month_requests", "fields", r.Fields, "must be a JSON object")
	}
	if !oneOf(r.Source, RequestAsked, RequestLate) || r.Source == "" {
		return fieldErr("month_requests", "source", r.Source, "must be asked or late")
	}
	if !oneOf(r.State, RequestPending, RequestApplied) || r.State == "" {
		return fieldErr("month_requests", "state", r.State, "must be pending or applied")
	}
	return nil
}

// FieldValues are the request's fields, decoded.
func (r MonthRequest) FieldValues() map[string]json.RawMessage {
	var f map[string]json.RawMessage
	_ = json.Unmarshal([]byte(r.Fields), &f) // validated on save
	return f
}

// ValidMonth says whether m is a month YYYY-MM.
func ValidMonth(m string) bool {
	if len(m) != 7 || m[4] != '-' {
		return false
	}
	for i, c := range m {
		if i != 4 && (c < '0' || c > '9') {
			return false
		}
	}
	return m[5:] >= "01" && m[5:] <= "12"
}

// LockedTable says whether an approved month locks the records of table t
// (patrol logs and visits).
func LockedTable(t string) bool { return t == "patrols" || t == "visits" }
