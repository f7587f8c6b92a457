// Package table is store's table registry: one reflection pass at start-up
// turns the record structs of store/record (their db tags) into the
// tables, columns and kinds the change log, the merge, the dump and the
// typed lists work with (Tables, Of), and encodes, decodes and scans
// values by column (Encode, Decode, CanonicalDecoded, SQLValue,
// ScanTargets, FinishScan, Snapshot), and reads typed records with them
// (List, Get; In for an IN list's arguments). Internal to store: nothing
// outside store/ may import it.
package table

import (
	"cunjing/store/record"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
)

// Kind is how a column is stored and encoded.
type Kind int

// The kinds of column: text, integer, real, boolean, and a list of texts
// (JSON in SQL).
const (
	KindText Kind = iota
	KindInt
	KindReal
	KindBool
	KindList
)

// Column is one column of a synced table.
type Column struct {
	Name  string
	Kind  Kind
	Index []int // reflect field index path
}

// Type is the Go type of column c of table ti.
func (c *Column) Type(ti *Info) reflect.Type {
	return ti.Typ.FieldByIndex(c.Index).Type
}

// Info is a synced table as its record struct defines it.
type Info struct {
	Name    string
	Cols    []Column // including id, owner, deleted
	ByName  map[string]*Column
	Typ     reflect.Type
	ColList string // "id, owner, ..." for SELECT
}

// Tables is derived once from the record structs; it is a constant table
// describing the schema, never mutated after init.
var Tables = build()

func build() map[string]*Info {
	out := make(map[string]*Info, len(record.SyncedTables))
	for _, name := range record.SyncedTables {
		rec := record.New(name)
		t := reflect.TypeOf(rec).Elem()
		ti := &Info{Name: name, Typ: t, ByName: map[string]*Column{}}
		collect(t, nil, ti)
		for i := range ti.Cols {
			ti.ByName[ti.Cols[i].Name] = &ti.Cols[i]
			if i > 0 {
				ti.ColList += ", "
			}
			ti.ColList += `"` + ti.Cols[i].Name + `"`
		}
		out[name] = ti
	}
	return out
}

func collect(t reflect.Type, prefix []int, ti *Info) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		idx := append(append([]int{}, prefix...), i)
		if f.Anonymous {
			collect(f.Type, idx, ti)
			continue
		}
		tag := f.Tag.Get("db")
		if tag == "" {
			continue
		}
		var k Kind
		switch f.Type.Kind() {
		case reflect.String:
			k = KindText
		case reflect.Int64:
			k = KindInt
		case reflect.Float64:
			k = KindReal
		case reflect.Bool:
			k = KindBool
		case reflect.Slice:
			k = KindList
		default:
			panic(fmt.Sprintf("store: unsupported field type %s for %s.%s", f.Type, ti.Name, tag))
		}
		ti.Cols = append(ti.Cols, Column{Name: tag, Kind: k, Index: idx})
	}
}

// Of is the table named name, or an error for a table that is not synced.
func Of(name string) (*Info, error) {
	ti, ok := Tables[name]
	if !ok {
		return nil, fmt.Errorf("unknown table %q", name)
	}
	return ti, nil
}

// Encode turns a Go field value into its canonical change-log JSON.
func Encode(c *Column, v reflect.Value) string {
	switch c.Kind {
	case KindText:
		b, _ := json.Marshal(v.String()) // strings always marshal
		return string(b)
	case KindInt:
		return strconv.FormatInt(v.Int(), 10)
	case KindReal:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case KindBool:
		if v.Bool() {
			return "true"
		}
		return "false"
	default:
		list := v.Interface().([]string)
		if list == nil {
			list = []string{}
		}
		b, _ := json.Marshal(list)
		return string(b)
	}
}

// Decode parses change-log JSON for column c into the value stored in
// SQLite, rejecting anything of the wrong type (changes come from outside).
func Decode(c *Column, raw string) (any, error) {
	switch c.Kind {
	case KindText:
		var s string
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			return nil, fmt.Errorf("field %s wants a string: %w", c.Name, err)
		}
		return s, nil
	case KindInt:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("field %s wants an integer: %w", c.Name, err)
		}
		return n, nil
	case KindReal:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("field %s wants a finite number, got %q", c.Name, raw)
		}
		return f, nil
	case KindBool:
		switch raw {
		case "true":
			return int64(1), nil
		case "false":
			return int64(0), nil
		}
		return nil, fmt.Errorf("field %s wants true or false, got %q", c.Name, raw)
	default:
		var list []string
		if err := json.Unmarshal([]byte(raw), &list); err != nil {
			return nil, fmt.Errorf("field %s wants a list of strings: %w", c.Name, err)
		}
		if list == nil {
			list = []string{}
		}
		b, _ := json.Marshal(list)
		return string(b), nil
	}
}

// CanonicalDecoded re-encodes an incoming JSON value the way Encode
// would, so equal values from different devices compare equal byte for
// byte; it also returns the value as bound in SQL, so a merge decodes each
// incoming value once.
func CanonicalDecoded(c *Column, raw string) (string, any, error) {
	v, err := Decode(c, raw)
	if err != nil {
		return "", nil, err
	}
	switch c.Kind {
	case KindText:
		b, _ := json.Marshal(v.(string))
		return string(b), v, nil
	case KindInt:
		return strconv.FormatInt(v.(int64), 10), v, nil
	case KindReal:
		return strconv.FormatFloat(v.(float64), 'g', -1, 64), v, nil
	case KindBool:
		if v.(int64) == 1 {
			return "true", v, nil
		}
		return "false", v, nil
	default:
		return v.(string), v, nil
	}
}

// SQLValue converts a struct field to the value bound in SQL.
func SQLValue(c *Column, v reflect.Value) any {
	switch c.Kind {
	case KindText:
		return v.String()
	case KindInt:
		return v.Int()
	case KindReal:
		return v.Float()
	case KindBool:
		if v.Bool() {
			return int64(1)
		}
		return int64(0)
	default:
		return Encode(c, v)
	}
}

// ScanTargets returns pointers for rows.Scan into a record; lists are
// scanned as text and decoded by FinishScan.
func ScanTargets(ti *Info, rv reflect.Value, lists []string) []any {
	dst := make([]any, len(ti.Cols))
	li := 0
	for i := range ti.Cols {
		c := &ti.Cols[i]
		f := rv.FieldByIndex(c.Index)
		switch c.Kind {
		case KindList:
			dst[i] = &lists[li]
			li++
		default:
			dst[i] = f.Addr().Interface()
		}
	}
	return dst
}

// FinishScan decodes the lists ScanTargets scanned as text into rv and
// keeps what was read as the record's loaded snapshot (Meta.SetLoaded).
func FinishScan(ti *Info, rv reflect.Value, lists []string) error {
	li := 0
	for i := range ti.Cols {
		c := &ti.Cols[i]
		if c.Kind != KindList {
			continue
		}
		var list []string
		if lists[li] != "" {
			if err := json.Unmarshal([]byte(lists[li]), &list); err != nil {
				return fmt.Errorf("%s.%s: %w", ti.Name, c.Name, err)
			}
		}
		rv.FieldByIndex(c.Index).Set(reflect.ValueOf(list))
		li++
	}
	if m, ok := rv.Addr().Interface().(record.Record); ok {
		m.RecordMeta().SetLoaded(Snapshot(ti, rv))
	}
	return nil
}

// Snapshot encodes every field of a record as the change log would.
func Snapshot(ti *Info, rv reflect.Value) []string {
	out := make([]string, len(ti.Cols))
	for i := range ti.Cols {
		out[i] = Encode(&ti.Cols[i], rv.FieldByIndex(ti.Cols[i].Index))
	}
	return out
}

// ListCount is how many of the table's columns are lists.
func (ti *Info) ListCount() int {
	n := 0
	for _, c := range ti.Cols {
		if c.Kind == KindList {
			n++
		}
	}
	return n
}
