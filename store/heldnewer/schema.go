package heldnewer

import (
	"errors"
	"fmt"
	"strings"
)

// What a change of a schema this version does not know is, and which
// names of tables and fields a newer version could use (store's merge
// checks each change against them before it holds one aside).

// ErrUnknownSchema marks a well-formed change of a table or field this
// version does not know: one a newer version made (see UnknownSchemaError).
var ErrUnknownSchema = errors.New("table or field unknown to this version (a newer version made the change)")

// UnknownSchemaError is a change that passed every check but names a table
// (TableKnown false) or a field of a known table that this version's schema
// lacks. errors.Is(err, ErrUnknownSchema) holds for it.
type UnknownSchemaError struct {
	Table, Field string
	TableKnown   bool
}

func (e *UnknownSchemaError) Error() string {
	if !e.TableKnown {
		return fmt.Sprintf("unknown table %q: %v", e.Table, ErrUnknownSchema)
	}
	return fmt.Sprintf("unknown field %s.%s: %v", e.Table, e.Field, ErrUnknownSchema)
}

// Is makes errors.Is(err, ErrUnknownSchema) true.
func (e *UnknownSchemaError) Is(target error) bool { return target == ErrUnknownSchema }

// MaxNameLen bounds the table and field names of a change held aside (the
// longest this schema uses is far shorter).
const MaxNameLen = 64

// SaneName says whether a table or field name unknown to this schema could
// be one a newer version uses: lower-case ASCII letters, digits and
// underscores, starting with a letter, at most MaxNameLen bytes.
func SaneName(s string) bool {
	if s == "" || len(s) > MaxNameLen || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// SaneTable is SaneName for a table: SQLite keeps names starting with
// "sqlite_" to itself, so no version of cunjing can have such a table.
func SaneTable(s string) bool { return SaneName(s) && !strings.HasPrefix(s, "sqlite_") }

// ReservedField says whether no change may ever name field: the record's
// id and the row's clock are not fields.
func ReservedField(f string) bool { return f == "id" || f == "hlc" }
