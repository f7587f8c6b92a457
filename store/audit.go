package store

import (
	"context"
	"cunjing/store/accounts"
	"time"
)

// The audit log: who viewed, printed or exported personal data (a synced
// record, AuditEntry). The local accounts are store/accounts', handed out
// here.

// Audit appends an entry to the audit log.
func (s *Store) Audit(ctx context.Context, user, role, action, subject, detail string) error {
	return s.Save(ctx, &AuditEntry{At: s.wall().Format("2006-01-02 15:04:05"), User: user, Role: role, Action: action, Subject: subject, Detail: detail})
}

// AuditLog lists audit entries, newest first (of one owner when set).
func (s *Store) AuditLog(ctx context.Context, owner string, limit int) ([]AuditEntry, error) {
	if limit <= 0 {
		limit = 500
	}
	if owner != "" {
		return live[AuditEntry](ctx, s, "AND owner = ? ORDER BY hlc DESC LIMIT ?", owner, limit)
	}
	return live[AuditEntry](ctx, s, "ORDER BY hlc DESC LIMIT ?", limit)
}

// User is a local account (accounts.User).
type User = accounts.User

// Login policy (accounts.MaxFailedLogins, accounts.LockoutDuration).
const (
	MaxFailedLogins = accounts.MaxFailedLogins
	LockoutDuration = accounts.LockoutDuration
)

// Errors of logging in (accounts.ErrBadLogin, accounts.ErrLocked).
var (
	ErrBadLogin = accounts.ErrBadLogin
	ErrLocked   = accounts.ErrLocked
	// ErrUserExists: AddUser was given the name of an account this PC has.
	ErrUserExists = accounts.ErrUserExists
	// ErrNoUser: ResetUser was given a name no account has.
	ErrNoUser = accounts.ErrNoUser
)

// AddUser creates a local account; a name an account has is
// ErrUserExists (accounts.Add).
func (s *Store) AddUser(ctx context.Context, username, displayName, role, password string) error {
	return accounts.Add(ctx, s.db, username, displayName, role, password, s.wall)
}

// ResetUser gives an existing account a new password and role and lifts
// its lock (accounts.Reset); a name no account has is ErrNoUser.
func (s *Store) ResetUser(ctx context.Context, username, displayName, role, password string) error {
	return accounts.Reset(ctx, s.db, username, displayName, role, password)
}

// HasUsers reports whether any account exists (the first run creates one).
func (s *Store) HasUsers(ctx context.Context) (bool, error) { return accounts.Any(ctx, s.db) }

// Users lists the local accounts.
func (s *Store) Users(ctx context.Context) ([]User, error) { return accounts.List(ctx, s.db) }

// Login checks a password (accounts.Login: wrong passwords count towards a
// lockout). now is passed in so tests (and a PC with a wrong clock) behave.
func (s *Store) Login(ctx context.Context, username, password string, now time.Time) (User, error) {
	return accounts.Login(ctx, s.db, username, password, now)
}
