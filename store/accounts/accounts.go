// Package accounts is the PC's local accounts (table users, never synced):
// adding one (Add, the password hashed with argon2id; never over an
// existing one), setting a forgotten password again (Reset), whether any exists
// (Any), listing them (List) and logging in with a lockout after
// MaxFailedLogins wrong passwords (Login). The roles and who may see full
// ID numbers are store/record's; the audit log, a synced record, is the
// store's. It sits below store over its database handle (DB); Store.AddUser,
// HasUsers, Users and Login hand it out.
package accounts

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"cunjing/store/clock"
	"cunjing/store/record"
)

// DB is the database the accounts live in (the store's).
type DB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Login policy: after MaxFailedLogins wrong passwords the account is locked
// for LockoutDuration (a village PC is shared and often left on).
const (
	MaxFailedLogins = 5
	LockoutDuration = 15 * time.Minute
	minPasswordLen  = 6
)

// Errors of logging in.
var (
	ErrBadLogin = errors.New("wrong user name or password")
	ErrLocked   = errors.New("account locked after too many wrong passwords")
)

// User is a local account.
type User struct {
	Username    string
	DisplayName string
	Role        string
	LockedUntil time.Time
	Disabled    bool
}

// argon2id parameters: OWASP's minimum (19 MiB, 2 passes), which an old
// office PC verifies in well under a second.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

func hashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

func checkPassword(encoded, pw string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, fmt.Errorf("unknown password hash format")
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("password hash parameters: %w", err)
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("password hash salt: %w", err)
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("password hash: %w", err)
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// ErrUserExists: Add was given the name of an account this PC has. Adding
// never replaces an account's password or role: an officer adding 所长's
// name would otherwise take the station administrator's account over
// (Reset is the deliberate way, from the command line at the PC).
var ErrUserExists = errors.New("there is already an account with this user name")

// ErrNoUser: Reset was given a name no account has.
var ErrNoUser = errors.New("no account has this user name")

// checkAccount refuses an empty name, an unknown role or a short password,
// and hashes the password.
func checkAccount(username, role, password string) (string, error) {
	if username == "" {
		return "", &record.FieldError{Table: "users", Field: "username", Msg: "required"}
	}
	if !slices.Contains([]string{record.UserOfficer, record.UserAuxiliary, record.UserStationAdmin}, role) {
		return "", &record.FieldError{Table: "users", Field: "role", Value: role, Msg: "must be officer, auxiliary or station_admin"}
	}
	if len([]rune(password)) < minPasswordLen {
		return "", &record.FieldError{Table: "users", Field: "password", Msg: fmt.Sprintf("at least %d characters", minPasswordLen)}
	}
	return hashPassword(password)
}

// Add creates a local account, created at now(). A name an account has is
// ErrUserExists, and that account is left as it was.
func Add(ctx context.Context, db DB, username, displayName, role, password string, now func() time.Time) error {
	username = strings.TrimSpace(username)
	h, err := checkAccount(username, role, password)
	if err != nil {
		return err
	}
	res, err := db.ExecContext(ctx, `INSERT INTO users (username, display_name, role, pw_hash, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (username) DO NOTHING`,
		username, displayName, role, h, now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("add user %s: %w", username, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("add user %s: %w", username, err)
	} else if n == 0 {
		return fmt.Errorf("add user %s: %w", username, ErrUserExists)
	}
	return nil
}

// Reset gives an existing account a new password and role (and display
// name, unless "") and lifts its lock: a forgotten password, set again by
// whoever sits at the PC with the database (cunjing user reset). A name no
// account has is ErrNoUser.
func Reset(ctx context.Context, db DB, username, displayName, role, password string) error {
	username = strings.TrimSpace(username)
	h, err := checkAccount(username, role, password)
	if err != nil {
		return err
	}
	res, err := db.ExecContext(ctx, `UPDATE users SET display_name = CASE WHEN ? = '' THEN display_name ELSE ? END, role = ?, pw_hash = ?,
		failed = 0, locked_until = '', disabled = 0 WHERE username = ?`, displayName, displayName, role, h, username)
	if err != nil {
		return fmt.Errorf("reset user %s: %w", username, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("reset user %s: %w", username, err)
	} else if n == 0 {
		return fmt.Errorf("reset user %s: %w", username, ErrNoUser)
	}
	return nil
}

// Any reports whether any account exists (the first run creates one).
func Any(ctx context.Context, db DB) (bool, error) {
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE disabled = 0").Scan(&n); err != nil {
		return false, fmt.Errorf("count users: %w", err)
	}
	return n > 0, nil
}

// List lists the local accounts.
func List(ctx context.Context, db DB) ([]User, error) {
	rows, err := db.QueryContext(ctx, "SELECT username, display_name, role, locked_until, disabled FROM users ORDER BY username")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var locked string
		if err := rows.Scan(&u.Username, &u.DisplayName, &u.Role, &locked, &u.Disabled); err != nil {
			return nil, err
		}
		u.LockedUntil, _ = time.Parse(time.RFC3339, locked) // empty: not locked
		out = append(out, u)
	}
	return out, rows.Err()
}

// Login checks a password. Wrong passwords count towards a lockout; a
// locked account refuses even the right password until the lock expires.
// now is passed in so tests (and a PC with a wrong clock) behave.
func Login(ctx context.Context, db DB, username, password string, now time.Time) (User, error) {
	var u User
	var hash, locked string
	var failed int
	err := db.QueryRowContext(ctx, "SELECT username, display_name, role, pw_hash, failed, locked_until, disabled FROM users WHERE username = ?", strings.TrimSpace(username)).
		Scan(&u.Username, &u.DisplayName, &u.Role, &hash, &failed, &locked, &u.Disabled)
	if errors.Is(err, sql.ErrNoRows) || u.Disabled {
		// Spend the same time as a real check so user names cannot be probed.
		checkPassword("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", password)
		return User{}, ErrBadLogin
	}
	if err != nil {
		return User{}, fmt.Errorf("login: %w", err)
	}
	if t, err := time.Parse(time.RFC3339, locked); err == nil && now.Before(t) {
		u.LockedUntil = t
		return u, fmt.Errorf("%w until %s", ErrLocked, t.In(clock.Zone).Format("15:04"))
	}
	ok, err := checkPassword(hash, password)
	if err != nil {
		return User{}, fmt.Errorf("login: %w", err)
	}
	if !ok {
		failed++
		lock := ""
		if failed >= MaxFailedLogins {
			lock = now.Add(LockoutDuration).UTC().Format(time.RFC3339)
			failed = 0
		}
		if _, err := db.ExecContext(ctx, "UPDATE users SET failed = ?, locked_until = ? WHERE username = ?", failed, lock, u.Username); err != nil {
			return User{}, fmt.Errorf("login: %w", err)
		}
		if lock != "" {
			return User{}, fmt.Errorf("%w for %d minutes", ErrLocked, int(LockoutDuration.Minutes()))
		}
		return User{}, ErrBadLogin
	}
	if _, err := db.ExecContext(ctx, "UPDATE users SET failed = 0, locked_until = '' WHERE username = ?", u.Username); err != nil {
		return User{}, fmt.Errorf("login: %w", err)
	}
	return u, nil
}
