package clikit

import (
	"context"
	"cunjing/store"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// Flags may come before or after positional arguments; a wrong flag is a
// usage mistake.
func TestParseFlags(t *testing.T) {
	tests := []struct {
		args  []string
		pos   []string
		db    string
		json  bool
		usage bool
	}{
		{[]string{"--db", "x", "203", "--json"}, []string{"203"}, "x", true, false},
		{[]string{"203", "--db", "x"}, []string{"203"}, "x", false, false},
		{[]string{"a", "b"}, []string{"a", "b"}, "", false, false},
		{[]string{"--nosuch"}, nil, "", false, true},
	}
	for _, tt := range tests {
		env := &Env{Stdout: io.Discard, Stderr: io.Discard}
		fs := NewFlags(env, "t")
		db := fs.String("db", "", "")
		asJSON := fs.Bool("json", false, "")
		pos, err := ParseFlags(fs, tt.args)
		if errors.Is(err, ErrUsage) != tt.usage || (err != nil && !tt.usage) {
			t.Errorf("%v: err %v, usage %v", tt.args, err, tt.usage)
			continue
		}
		if !tt.usage && (!slices.Equal(pos, tt.pos) || *db != tt.db || *asJSON != tt.json) {
			t.Errorf("%v: pos %v db %q json %v", tt.args, pos, *db, *asJSON)
		}
	}
}

// A sub-command runs with the arguments after its name; none or an unknown
// one is a usage mistake naming the ones there are.
func TestDispatch(t *testing.T) {
	var got []string
	cmds := map[string]Func{"list": func(_ context.Context, _ *Env, args []string) error { got = args; return nil }}
	env := &Env{Stdout: io.Discard, Stderr: io.Discard}
	if err := Dispatch(context.Background(), env, "holidays", cmds, []string{"list", "--db", "x"}); err != nil || !slices.Equal(got, []string{"--db", "x"}) {
		t.Errorf("list: %v, %v", err, got)
	}
	for _, args := range [][]string{nil, {"nosuch"}} {
		if err := Dispatch(context.Background(), env, "holidays", cmds, args); !errors.Is(err, ErrUsage) {
			t.Errorf("%v: %v", args, err)
		}
	}
}

// WriteOutput puts the file in place only once all of it is written, and
// leaves the old file and no temporary one behind when writing fails.
func TestWriteOutput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	after := 0
	err := WriteOutput(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		return errors.New("disk full")
	}, func() error { after++; return nil })
	if err == nil || after != 0 {
		t.Fatalf("failed write: err %v, after ran %d times", err, after)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("a failed write left %q", b)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".cunjing-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if err := WriteOutput(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }, func() error { after++; return nil }); err != nil || after != 1 {
		t.Fatalf("write: %v, after %d", err, after)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("file holds %q", b)
	}
}

func TestCheckDay(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		usage    bool
	}{
		{"2026-11-24", "2026-11-24", false}, {"2026-02-30", "", true}, {"24.11.2026", "", true},
		// No --today: the Beijing day of the clock, whatever zone its
		// time is in (23:30 UTC on the 5th is 07:30 on the 6th in Beijing).
		{"", "2026-12-06", false},
	} {
		env := &Env{StoreOptions: store.Options{Now: func() time.Time { return time.Date(2026, 12, 5, 23, 30, 0, 0, time.UTC) }}}
		got, err := env.CheckDay(tt.in)
		if got != tt.want || errors.Is(err, ErrUsage) != tt.usage {
			t.Errorf("CheckDay(%q) = %q, %v", tt.in, got, err)
		}
	}
}
