// Package migrations owns the schema's history: the numbered SQL files in
// this folder (embedded; applied history, never edited: a change of
// schema is a new file), read in order (All), how far they go (Version),
// and bringing a database up to the newest (Apply), one transaction each,
// PRAGMA user_version counting what was applied. It sits below store's
// root, which applies them when it opens a file.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed *.sql
var files embed.FS

// ErrNewerSchema is a database written by a newer version of cunjing.
var ErrNewerSchema = errors.New("database was written by a newer version of cunjing")

// Migration is one numbered step of the schema.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// All reads the migrations in order, checking they are numbered 1, 2, 3 …
func All() ([]Migration, error) {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", e.Name())
		}
		b, err := files.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: want version %d", m.Name, i+1)
		}
	}
	return out, nil
}

// Version is the newest schema this program knows.
func Version() int {
	ms, err := All()
	if err != nil {
		return 0
	}
	return len(ms)
}

// Apply brings db up to the newest schema, each migration in a
// transaction of its own; a database of a newer schema is ErrNewerSchema.
func Apply(ctx context.Context, db *sql.DB) error {
	ms, err := All()
	if err != nil {
		return err
	}
	var cur int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if cur > len(ms) {
		return fmt.Errorf("%w (schema %d, this program knows up to %d): please update cunjing", ErrNewerSchema, cur, len(ms))
	}
	for _, m := range ms[cur:] {
		if err := apply(ctx, db, m); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// apply runs one migration and counts it in user_version, in one
// transaction.
func apply(ctx context.Context, db *sql.DB, m Migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		tx.Rollback()
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.Version)); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
