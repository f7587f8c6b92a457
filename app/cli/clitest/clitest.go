// Package clitest holds what the command line's tests share: running a
// command as a script would (Run, MustRun) and demo databases built once
// per test binary and handed out as copies (DemoDB, Demo), so the tests of
// an area do not each spend most of a second building the same demo post.
// A test package that uses them runs its tests through Main.
package clitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"cunjing/app/cli"
	"cunjing/app/cli/clikit"
	"cunjing/store"
	"cunjing/store/backup"
)

// Run calls the command line as a script would and returns stdout, stderr
// and the exit code. Backup passphrases are wrapped at scrypt 2^10, not
// the real 2^18: the backup tests set and check one dozens of times.
func Run(t testing.TB, args ...string) (string, string, int) {
	t.Helper()
	return RunWith(t, store.Options{BackupWorkFactor: 10}, args...)
}

// RunWith is Run with the options every database the command opens gets
// (a test's clock).
//
// The commands open their databases without the quick_check every open
// does (store.Options.SkipIntegrityCheck): on the 12 MB demo post it was
// a third of the package's CPU, run again by every command of a test.
// Each database a test makes (Demo, DemoDB, a successful init or demo) is
// opened with it once instead, when the test ends (checkAtEnd), so a
// command that left a database damaged still fails its test.
func RunWith(t testing.TB, opt store.Options, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	opt.SkipIntegrityCheck = true
	env := &clikit.Env{Stdout: &out, Stderr: &errb, StoreOptions: opt}
	code, found := cli.Run(context.Background(), env, cli.Commands(), args)
	if !found {
		fmt.Fprintf(&errb, "cunjing: unknown command %q (see `cunjing help`)\n", strings.Join(args[:min(1, len(args))], ""))
		code = 2
	}
	if code == 0 && len(args) > 0 && (args[0] == "init" || args[0] == "demo") {
		if db := flagValue(args, "--db"); db != "" {
			checkAtEnd(t, db)
		}
	}
	return out.String(), errb.String(), code
}

// flagValue is the value of the flag name in args (name VALUE or
// name=VALUE), or "".
func flagValue(args []string, name string) string {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
	}
	return ""
}

// checkAtEnd opens the database at path as the program does, quick_check
// included, when the test ends, if it is still there: the check RunWith's
// commands skip, once for the whole test.
func checkAtEnd(t testing.TB, path string) {
	t.Helper()
	t.Cleanup(func() {
		if _, err := os.Stat(path); err != nil {
			return // the test removed it
		}
		s, err := store.Open(context.Background(), path, store.Options{})
		if err != nil {
			t.Errorf("at the end of the test, %s: %v", path, err)
			return
		}
		if err := s.Close(); err != nil {
			t.Errorf("at the end of the test, close %s: %v", path, err)
		}
	})
}

// MustRun is Run that fails the test unless the command succeeds; it
// returns stdout.
func MustRun(t testing.TB, args ...string) string {
	t.Helper()
	out, errs, code := Run(t, args...)
	if code != 0 {
		t.Fatalf("cunjing %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

// Code is the pairing code `id --json` prints for the database db.
func Code(t testing.TB, db string) string {
	t.Helper()
	var id struct{ Code string }
	if err := json.Unmarshal([]byte(MustRun(t, "id", "--db", db, "--json")), &id); err != nil {
		t.Fatal(err)
	}
	return id.Code
}

// Pair pairs the databases a and b both ways with `pair`.
func Pair(t testing.TB, a, b string) {
	t.Helper()
	MustRun(t, "pair", "--db", a, Code(t, b))
	MustRun(t, "pair", "--db", b, Code(t, a))
}

// DemoDB is a fresh copy of the demo post of seed 7 on 2026-11-24 (what
// most tests read and change).
func DemoDB(t testing.TB) string {
	t.Helper()
	return Demo(t, "--seed", "7", "--today", "2026-11-24")
}

// Demo is a fresh copy, in the test's own folder, of the database
// `cunjing demo --db FILE args…` makes; each demo is made once per test
// binary. Copies share the demo's device identity: a test that needs two
// devices makes the second with init.
func Demo(t testing.TB, args ...string) string {
	t.Helper()
	tpl, err := demos.template(args)
	if err != nil {
		t.Fatalf("cunjing demo %s: %v", strings.Join(args, " "), err)
	}
	db := filepath.Join(t.TempDir(), "post.db")
	if err := backup.CopyFile(tpl, db); err != nil {
		t.Fatal(err)
	}
	checkAtEnd(t, db)
	return db
}

// Main runs a test package's tests (m.Run) and removes the demos made for
// them; a package using Demo or DemoDB calls it from its TestMain.
func Main(m *testing.M) {
	code := m.Run()
	demos.remove()
	os.Exit(code)
}

// demoCache is the demos made in this test binary, by their arguments.
type demoCache struct {
	mu    sync.Mutex
	dir   string
	built map[string]*demoFile
}

type demoFile struct {
	once sync.Once
	path string
	err  error
}

var demos demoCache

func (c *demoCache) template(args []string) (string, error) {
	key := strings.Join(args, "\x00")
	c.mu.Lock()
	if c.dir == "" {
		dir, err := os.MkdirTemp("", "cunjing-clitest-")
		if err != nil {
			c.mu.Unlock()
			return "", err
		}
		c.dir, c.built = dir, map[string]*demoFile{}
	}
	f := c.built[key]
	if f == nil {
		f = &demoFile{path: filepath.Join(c.dir, fmt.Sprintf("demo%d.db", len(c.built)))}
		c.built[key] = f
	}
	c.mu.Unlock()
	f.once.Do(func() {
		var errb bytes.Buffer
		env := &clikit.Env{Stdout: io.Discard, Stderr: &errb}
		if code, _ := cli.Run(context.Background(), env, cli.Commands(), append([]string{"demo", "--db", f.path}, args...)); code != 0 {
			f.err = fmt.Errorf("exit %d: %s", code, errb.String())
			return
		}
		// The demo is closed, so the file holds everything; a write-ahead
		// log left beside it would be lost on copying.
		if _, err := os.Stat(f.path + "-wal"); err == nil {
			f.err = fmt.Errorf("%s-wal is left beside the demo", f.path)
		}
	})
	return f.path, f.err
}

func (c *demoCache) remove() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir != "" {
		os.RemoveAll(c.dir)
		c.dir, c.built = "", nil
	}
}
