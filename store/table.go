package store

import (
	"cunjing/store/record"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
)

type colKind int

const (
	kText colKind = iota
	kInt
	kReal
	kBool
	kList
)

type column struct {
	name  string
	kind  colKind
	index []int // reflect field index path
}

type tableInfo struct {
	name    string
	cols    []column // including id, owner, deleted
	byName  map[string]*column
	typ     reflect.Type
	colList string // "id, owner, ..." for SELECT
}

// tables is derived once from the record structs; it is a constant table
// describing the schema, never mutated after init.
var tables = buildTables()

func buildTables() map[string]*tableInfo {
	out := make(map[string]*tableInfo, len(SyncedTables))
	for _, name := range SyncedTables {
		rec := record.New(name)
		t := reflect.TypeOf(rec).Elem()
		ti := &tableInfo{name: name, typ: t, byName: map[string]*column{}}
		collect(t, nil, ti)
		for i := range ti.cols {
			ti.byName[ti.cols[i].name] = &ti.cols[i]
			if i > 0 {
				ti.colList += ", "
			}
			ti.colList += `"` + ti.cols[i].name + `"`
		}
		out[name] = ti
	}
	return out
}

func collect(t reflect.Type, prefix []int, ti *tableInfo) {
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
		var k colKind
		switch f.Type.Kind() {
		case reflect.String:
			k = kText
		case reflect.Int64:
			k = kInt
		case reflect.Float64:
			k = kReal
		case reflect.Bool:
			k = kBool
		case reflect.Slice:
			k = kList
		default:
			panic(fmt.Sprintf("store: unsupported field type %s for %s.%s", f.Type, ti.name, tag))
		}
		ti.cols = append(ti.cols, column{name: tag, kind: k, index: idx})
	}
}

func tableOf(name string) (*tableInfo, error) {
	ti, ok := tables[name]
	if !ok {
		return nil, fmt.Errorf("unknown table %q", name)
	}
	return ti, nil
}

// encodeValue turns a Go field value into its canonical change-log JSON.
func encodeValue(c *column, v reflect.Value) string {
	switch c.kind {
	case kText:
		b, _ := json.Marshal(v.String()) // strings always marshal
		return string(b)
	case kInt:
		return strconv.FormatInt(v.Int(), 10)
	case kReal:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case kBool:
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

// decodeValue parses change-log JSON for column c into the value stored in
// SQLite, rejecting anything of the wrong type (changes come from outside).
func decodeValue(c *column, raw string) (any, error) {
	switch c.kind {
	case kText:
		var s string
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			return nil, fmt.Errorf("field %s wants a string: %w", c.name, err)
		}
		return s, nil
	case kInt:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("field %s wants an integer: %w", c.name, err)
		}
		return n, nil
	case kReal:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("field %s wants a finite number, got %q", c.name, raw)
		}
		return f, nil
	case kBool:
		switch raw {
		case "true":
			return int64(1), nil
		case "false":
			return int64(0), nil
		}
		return nil, fmt.Errorf("field %s wants true or false, got %q", c.name, raw)
	default:
		var list []string
		if err := json.Unmarshal([]byte(raw), &list); err != nil {
			return nil, fmt.Errorf("field %s wants a list of strings: %w", c.name, err)
		}
		if list == nil {
			list = []string{}
		}
		b, _ := json.Marshal(list)
		return string(b), nil
	}
}

// canonicalDecoded re-encodes an incoming JSON value the way encodeValue
// would, so equal values from different devices compare equal byte for
// byte; it also returns the value as bound in SQL, so a merge decodes each
// incoming value once.
func canonicalDecoded(c *column, raw string) (string, any, error) {
	v, err := decodeValue(c, raw)
	if err != nil {
		return "", nil, err
	}
	switch c.kind {
	case kText:
		b, _ := json.Marshal(v.(string))
		return string(b), v, nil
	case kInt:
		return strconv.FormatInt(v.(int64), 10), v, nil
	case kReal:
		return strconv.FormatFloat(v.(float64), 'g', -1, 64), v, nil
	case kBool:
		if v.(int64) == 1 {
			return "true", v, nil
		}
		return "false", v, nil
	default:
		return v.(string), v, nil
	}
}

// sqlValue converts a struct field to the value bound in SQL.
func sqlValue(c *column, v reflect.Value) any {
	switch c.kind {
	case kText:
		return v.String()
	case kInt:
		return v.Int()
	case kReal:
		return v.Float()
	case kBool:
		if v.Bool() {
			return int64(1)
		}
		return int64(0)
	default:
		return encodeValue(c, v)
	}
}

// scanTargets returns pointers for rows.Scan into a record; lists are
// scanned as text and decoded by finishScan.
func scanTargets(ti *tableInfo, rv reflect.Value, lists []string) []any {
	dst := make([]any, len(ti.cols))
	li := 0
	for i := range ti.cols {
		c := &ti.cols[i]
		f := rv.FieldByIndex(c.index)
		switch c.kind {
		case kList:
			dst[i] = &lists[li]
			li++
		default:
			dst[i] = f.Addr().Interface()
		}
	}
	return dst
}

func finishScan(ti *tableInfo, rv reflect.Value, lists []string) error {
	li := 0
	for i := range ti.cols {
		c := &ti.cols[i]
		if c.kind != kList {
			continue
		}
		var list []string
		if lists[li] != "" {
			if err := json.Unmarshal([]byte(lists[li]), &list); err != nil {
				return fmt.Errorf("%s.%s: %w", ti.name, c.name, err)
			}
		}
		rv.FieldByIndex(c.index).Set(reflect.ValueOf(list))
		li++
	}
	if m, ok := rv.Addr().Interface().(Record); ok {
		m.RecordMeta().SetLoaded(snapshot(ti, rv))
	}
	return nil
}

// snapshot encodes every field of a record as the change log would.
func snapshot(ti *tableInfo, rv reflect.Value) []string {
	out := make([]string, len(ti.cols))
	for i := range ti.cols {
		out[i] = encodeValue(&ti.cols[i], rv.FieldByIndex(ti.cols[i].index))
	}
	return out
}

func (ti *tableInfo) listCount() int {
	n := 0
	for _, c := range ti.cols {
		if c.kind == kList {
			n++
		}
	}
	return n
}
