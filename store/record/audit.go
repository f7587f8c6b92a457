package record

import "strings"

// Audit actions.
const (
	AuditView   = "view"
	AuditPrint  = "print"
	AuditExport = "export"
	AuditLogin  = "login"
	// A station approving or unlocking a post's month (issue #20).
	AuditApprove = "approve"
	AuditUnlock  = "unlock"
	// An officer saying the PC's date is right after its clock ran ahead
	// (Store.ConfirmClock: the file's high-water mark set back).
	AuditClock = "clock"
)

// AuditActions lists every audit action (the window words each).
func AuditActions() []string {
	return []string{AuditView, AuditPrint, AuditExport, AuditLogin, AuditApprove, AuditUnlock, AuditClock}
}

// AuditEntry records who viewed, printed or exported personal data. It
// syncs to the station like any record and is never edited.
type AuditEntry struct {
	Meta
	At      string `db:"at"` // the PC's wall time, for people to read; merges use the HLC
	User    string `db:"user"`
	Role    string `db:"role"`
	Action  string `db:"action"`
	Subject string `db:"subject"`
	Detail  string `db:"detail"`
}

func (*AuditEntry) Table() string { return "audit" }

func (a *AuditEntry) Validate() error {
	if !oneOf(a.Action, AuditActions()...) || a.Action == "" {
		return fieldErr("audit", "action", a.Action, "must be view, print, export, login, approve, unlock or clock")
	}
	if strings.TrimSpace(a.Subject) == "" {
		return fieldErr("audit", "subject", "", "required")
	}
	return nil
}
