package uitest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"testing"

	"cunjing/store"
	"cunjing/store/backup"
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

// WithBackupKey gives a fixture store the signing key sync.Init would
// have made and, unless pass is "", a backup passphrase.
func WithBackupKey(t testing.TB, s *store.Store, pass string) {
	t.Helper()
	ctx := context.Background()
	seed := make([]byte, ed25519.SeedSize)
	rand.Read(seed)
	if err := s.SyncBook().PutSecrets(ctx, map[string][]byte{backup.SecretSignSeed: seed}); err != nil {
		t.Fatal(err)
	}
	if pass != "" {
		if err := backup.SetPassphrase(ctx, s, pass); err != nil {
			t.Fatal(err)
		}
	}
}
