package table

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"cunjing/store/record"
)

// Queryer runs a query: the store's *sql.DB or a write transaction's
// *sql.Tx.
type Queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// List runs a SELECT of every column of T's table with the given WHERE
// tail and decodes each row into a T: the typed lists of store and of the
// packages below its root.
func List[T any, P interface {
	*T
	record.Record
}](ctx context.Context, q Queryer, where string, args ...any) ([]T, error) {
	var zero P = new(T)
	ti, err := Of(zero.Table())
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, "SELECT "+ti.ColList+" FROM "+ti.Name+" "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", ti.Name, err)
	}
	defer rows.Close()
	var out []T
	lists := make([]string, ti.ListCount())
	for rows.Next() {
		var v T
		rv := reflect.ValueOf(&v).Elem()
		if err := rows.Scan(ScanTargets(ti, rv, lists)...); err != nil {
			return nil, fmt.Errorf("list %s: %w", ti.Name, err)
		}
		if err := FinishScan(ti, rv, lists); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// GetRow reads the row with id of table ti into the record dst points to
// (record.ErrNotFound when there is none).
func GetRow(ctx context.Context, q Queryer, ti *Info, id string, dst reflect.Value) error {
	lists := make([]string, ti.ListCount())
	row := q.QueryRowContext(ctx, "SELECT "+ti.ColList+" FROM "+ti.Name+" WHERE id = ?", id)
	if err := row.Scan(ScanTargets(ti, dst.Elem(), lists)...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s %s: %w", ti.Name, id, record.ErrNotFound)
		}
		return fmt.Errorf("read %s %s: %w", ti.Name, id, err)
	}
	return FinishScan(ti, dst.Elem(), lists)
}

// Get reads the record with id into rec (a pointer to an empty record of
// the right type), deleted or not.
func Get(ctx context.Context, q Queryer, rec record.Record, id string) error {
	ti, err := Of(rec.Table())
	if err != nil {
		return err
	}
	return GetRow(ctx, q, ti, id, reflect.ValueOf(rec))
}

// Placeholders is n comma-separated SQL parameters ("?, ?, ?").
func Placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// In is vals as query arguments and the placeholders they fill ("?, ?"),
// for an IN (…) list.
func In(vals []string) (string, []any) {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	return Placeholders(len(vals)), args
}
