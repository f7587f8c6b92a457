package uitest

import (
	"context"
	"testing"

	"cunjing/store"
)

// AuditActions are the audit log entries of one action, newest first.
func AuditActions(t *testing.T, s *store.Store, action string) []store.AuditEntry {
	t.Helper()
	log, err := s.AuditLog(context.Background(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.AuditEntry
	for _, e := range log {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}
