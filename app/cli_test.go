package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/store"
)

// run calls the CLI as a script would and returns stdout, stderr and the
// exit code.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	// Backup passphrases are wrapped at scrypt 2^10, not the real 2^18:
	// the backup tests set and check one dozens of times.
	code := Run(context.Background(), args, &Env{Stdout: &out, Stderr: &errb, StoreOptions: store.Options{BackupWorkFactor: 10}})
	return out.String(), errb.String(), code
}

func TestCLIBadInput(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte(strings.Repeat("这不是数据库\n", 40)), 0o644)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"info", "--json"}, 2, "--db PATH is required"},
		{[]string{"info", "--db", notDB}, 1, "not a cunjing database"},
		{[]string{"info", "--db", filepath.Join(dir, "missing.db")}, 1, "no such file"},
		{[]string{"nosuch"}, 2, "unknown command"},
		{[]string{"demo", "--db", notDB}, 1, "already exists"},
		{[]string{"demo", "--db", filepath.Join(dir, "x.db"), "--houses", "5"}, 1, "houses must be between"},
		{[]string{"roster", "--db", notDB, "--from", "2026-02-30", "--to", "2026-03-01"}, 2, "--from"},
		{[]string{"print", "nosuch"}, 2, "unknown print"},
	}
	for _, tt := range tests {
		_, errs, code := run(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("cunjing %v: exit %d, %q; want exit %d with %q", tt.args, code, errs, tt.code, tt.msg)
		}
	}
	if b, _ := os.ReadFile(notDB); !strings.HasPrefix(string(b), "这不是数据库") {
		t.Fatal("a command changed a file that is not ours")
	}
}

// TestCLIOpensFiles: a first argument that names no command but a file
// (what a double-clicked backup or pairing-code file runs) goes to the
// window; one cunjing does not open, or that is not there, is said in
// Chinese, never "unknown command"; commands still win.
func TestCLIOpensFiles(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "台账.docx")
	os.WriteFile(doc, []byte("x"), 0o644)
	os.Mkdir(filepath.Join(dir, "旧备份.cjbak"), 0o755)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{doc}, 2, "村警通打不开这个文件"},
		{[]string{filepath.Join(dir, "旧备份.cjbak")}, 2, "村警通打不开这个文件"},
		{[]string{filepath.Join(dir, "没有.cjbak")}, 2, "找不到这个文件"},
		{[]string{"--db", filepath.Join(dir, "x.db"), filepath.Join(dir, "没有.cjpair")}, 2, "找不到这个文件"},
		{[]string{"--lang", "en", doc}, 2, "Cunjing cannot open this file"},
		{[]string{"--db", filepath.Join(dir, "x.db"), doc, doc}, 2, "give one file to open"},
		{[]string{"nosuch"}, 2, "unknown command"},
	}
	for _, tt := range tests {
		_, errs, code := run(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("cunjing %v: exit %d, %q; want exit %d with %q", tt.args, code, errs, tt.code, tt.msg)
		}
		if strings.Contains(errs, "unknown command") != (tt.args[0] == "nosuch") {
			t.Errorf("cunjing %v: %q", tt.args, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Error("a refused file still created the database")
	}
}

func TestLooksLikeFile(t *testing.T) {
	dir := t.TempDir()
	bare := filepath.Join(dir, "backup")
	os.WriteFile(bare, nil, 0o644)
	t.Chdir(t.TempDir()) // app/ has folders named like commands (demo/, emergency/)
	for _, c := range commands() {
		if looksLikeFile(c.Name) {
			t.Errorf("command %q looks like a file", c.Name)
		}
	}
	tests := []struct {
		arg  string
		want bool
	}{
		{"x.cjbak", true},
		{`D:\备份\x`, true},
		{"./demo", true},
		{bare, true},
		{"nosuch", false},
		{"help", false},
	}
	for _, tt := range tests {
		if got := looksLikeFile(tt.arg); got != tt.want {
			t.Errorf("looksLikeFile(%q) = %v", tt.arg, got)
		}
	}
}

// TestHelpListsTheCommands: every way of asking for help (`cunjing help`,
// `--help`, `-h`, and --help after the window's own flags) lists the
// commands and exits 0; `--help` used to open the window's flag set and
// show only --db and --lang.
func TestHelpListsTheCommands(t *testing.T) {
	tests := []struct {
		args   []string
		stdout bool // the list is on standard output (asked for first)
	}{
		{[]string{"help"}, true},
		{[]string{"--help"}, true},
		{[]string{"-h"}, true},
		{[]string{"-help"}, true},
		{[]string{"--db", "x.db", "--help"}, false},
		{[]string{"--lang", "en", "-h"}, false},
	}
	for _, tt := range tests {
		out, errs, code := run(t, tt.args...)
		got := errs
		if tt.stdout {
			got = out
		}
		if code != 0 || !strings.Contains(got, "run a command:") || !strings.Contains(got, "  roster ") {
			t.Errorf("cunjing %v: exit %d, stdout %q, stderr %q; want exit 0 and the commands listed", tt.args, code, out, errs)
		}
	}
}
