// Package clikit is what every command of cunjing's command line shares:
// its environment (Env: output streams, store options, the build), the
// flag parsing that takes flags before or after positional arguments,
// usage errors (exit code 2), opening the database a command names,
// JSON output, writing a file only once all of it is written, and the
// dispatch of a command's own sub-commands. The commands themselves live
// in the packages beside it (app/cli/<area>); package app/cli holds their
// table.
package clikit

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"cunjing/store"
	"cunjing/store/clock"
	"cunjing/store/winlock"
)

// Build is what this build of cunjing is: the Version of FyneApp.toml and
// the source commit.
type Build struct {
	Version string
	Commit  string
}

// Env is what a subcommand may use: its output streams.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	// StoreOptions are the options every database a command opens or
	// creates gets (the zero value in the real program; tests lower the
	// backup passphrase's work factor).
	StoreOptions store.Options
	// Build is this build's version and commit (`cunjing version`).
	Build Build

	// holds are the databases' shared holds OpenDB took, let go of when
	// the command has returned (ReleaseHolds).
	mu    sync.Mutex
	holds []func()
}

// ReleaseHolds lets go of the holds on databases OpenDB took for the
// command (winlock.UserCommand): the command line (cli.Run) calls it once
// the command has returned, when it has closed them.
func (e *Env) ReleaseHolds() {
	e.mu.Lock()
	hs := e.holds
	e.holds = nil
	e.mu.Unlock()
	for _, release := range hs {
		release()
	}
}

// Func runs one command with the arguments after its name.
type Func func(ctx context.Context, env *Env, args []string) error

// Command is a line of the command table: `cunjing NAME`.
type Command struct {
	Name    string
	Summary string
	Run     Func
}

// ErrUsage marks a command-line mistake (exit code 2).
var ErrUsage = errors.New("usage")

// NewFlags makes a flag set that reports errors instead of exiting.
func NewFlags(env *Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("cunjing "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// NewDBFlags makes a command's flag set (NewFlags) with --db declared:
// nearly every command reads or changes a database.
func NewDBFlags(env *Env, name string) (*flag.FlagSet, *string) {
	fs := NewFlags(env, name)
	return fs, DBFlag(fs)
}

// NewVillageFlags makes the flag set of a command that works on one
// village of a database: --db and --village declared.
func NewVillageFlags(env *Env, name string) (fs *flag.FlagSet, db, village *string) {
	fs, db = NewDBFlags(env, name)
	return fs, db, VillageFlag(fs)
}

// The flags many commands share, each with the same help wherever it is
// declared.

// DBFlag declares --db, the database file a command reads or changes.
func DBFlag(fs *flag.FlagSet) *string { return fs.String("db", "", "database file") }

// JSONFlag declares --json: print JSON instead of text.
func JSONFlag(fs *flag.FlagSet) *bool { return fs.Bool("json", false, "print JSON") }

// VillageFlag declares --village, the village a command works on, by name.
func VillageFlag(fs *flag.FlagSet) *string { return fs.String("village", "", "village name") }

// PDFOutFlag declares --out, the PDF file a print command writes.
func PDFOutFlag(fs *flag.FlagSet) *string { return fs.String("out", "", "PDF file to write") }

// FontFlag declares --font, the CJK font a print command uses.
func FontFlag(fs *flag.FlagSet) *string {
	return fs.String("font", "", "CJK TrueType font to use (default: found on the system)")
}

// CheckDayFlag declares --today, the day of a check (read with CheckDay).
func CheckDayFlag(fs *flag.FlagSet) *string {
	return fs.String("today", "", "the day of the check, YYYY-MM-DD (default today)")
}

// ParseFlags parses flags that may come before or after positional
// arguments ("locate --db x 203 --json" is how people type it).
func ParseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", ErrUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// RequireDB says --db is required when db is empty.
func RequireDB(db string) error {
	if db == "" {
		return fmt.Errorf("%w: --db PATH is required", ErrUsage)
	}
	return nil
}

// OpenDB opens an existing database for a command, holding it shared
// (winlock.UserCommand) until the command has returned (Env.ReleaseHolds,
// which cli.Run calls): a restore (`cunjing restore`, the window's) is
// refused while the command has it open, naming it, where it used to move
// the file from under it and the command's writes went into the copy it
// kept aside; a command starting during a restore is refused. The caller
// closes the store.
func OpenDB(ctx context.Context, env *Env, path string) (*store.Store, error) {
	s, release, err := OpenHeld(ctx, env, path, winlock.UserCommand)
	if err != nil {
		return nil, err
	}
	env.mu.Lock()
	env.holds = append(env.holds, release)
	env.mu.Unlock()
	return s, nil
}

// OpenHeld opens the existing database at path holding it shared as user
// (winlock.Use: UserNode, UserSync, UserExchange, UserCommand), refused
// while a restore holds it. release lets go of the hold: call it once
// the store is closed.
func OpenHeld(ctx context.Context, env *Env, path, user string) (s *store.Store, release func(), err error) {
	if err := RequireDB(path); err != nil {
		return nil, nil, err
	}
	var hold *winlock.Lock
	use := func() (err error) {
		if hold, err = winlock.Use(path, user); errors.Is(err, winlock.ErrRestoring) {
			return fmt.Errorf("%w: try again when it is done（正在恢复这个数据库，恢复完成后再试）", err)
		}
		return err
	}
	// Only beside a database that is there: a mistyped path (or a
	// folder) is said by store.Open and leaves no lock file behind.
	fi, statErr := os.Stat(path)
	there := statErr == nil && fi.Mode().IsRegular()
	if there {
		if err := use(); err != nil {
			return nil, nil, err
		}
	}
	if s, err = store.Open(ctx, path, env.StoreOptions); err != nil {
		hold.Release()
		return nil, nil, err
	}
	// Not there when looked at, but opened: a restore may have been
	// between its two renames, and opened the file after them without
	// the hold it must be refused by. Taken now (refused while that
	// restore still runs).
	if !there {
		if err := use(); err != nil {
			s.Close()
			return nil, nil, err
		}
	}
	return s, func() { hold.Release() }, nil
}

// ParseOpen parses a command's flags (ParseFlags; it takes no positional
// arguments) and opens the database --db named: the start of a command
// that reads or changes one database. The caller closes it.
func ParseOpen(ctx context.Context, env *Env, fs *flag.FlagSet, args []string, db *string) (*store.Store, error) {
	if _, err := ParseFlags(fs, args); err != nil {
		return nil, err
	}
	return OpenDB(ctx, env, *db)
}

// OpenDBOnDay checks --today (CheckDay) and then opens the database --db
// names: the start of a command that records a check made on a day. The
// caller closes the store.
func OpenDBOnDay(ctx context.Context, env *Env, db, today string) (*store.Store, string, error) {
	day, err := env.CheckDay(today)
	if err != nil {
		return nil, "", err
	}
	s, err := OpenDB(ctx, env, db)
	if err != nil {
		return nil, "", err
	}
	return s, day, nil
}

// Show runs a command that reads one database and shows what it read (its
// flags: --db and --json): read gets it from the open database; it is
// printed as JSON with --json, else by text.
func Show[T any](ctx context.Context, env *Env, name string, args []string, read func(*store.Store) (T, error), text func(w io.Writer, v T)) error {
	fs := NewFlags(env, name)
	db := DBFlag(fs)
	asJSON := JSONFlag(fs)
	s, err := ParseOpen(ctx, env, fs, args, db)
	if err != nil {
		return err
	}
	defer s.Close()
	v, err := read(s)
	if err != nil {
		return err
	}
	if *asJSON {
		return WriteJSON(env.Stdout, v)
	}
	text(env.Stdout, v)
	return nil
}

// WriteJSON prints v as indented JSON, Chinese as it is.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Dispatch runs the subcommand named by args[0] of command name (e.g.
// `cunjing map import …`), or says which subcommands there are.
func Dispatch(ctx context.Context, env *Env, name string, cmds map[string]Func, args []string) error {
	var names []string
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(args) == 0 {
		return fmt.Errorf("%w: cunjing %s %s [flags]", ErrUsage, name, strings.Join(names, "|"))
	}
	run, ok := cmds[args[0]]
	if !ok {
		return fmt.Errorf("%w: unknown %s %q (want one of %s)", ErrUsage, name, args[0], strings.Join(names, ", "))
	}
	return run(ctx, env, args[1:])
}

// MultiFlag is a flag given any number of times (--relay URL --relay URL).
type MultiFlag []string

func (m *MultiFlag) String() string     { return strings.Join(*m, ",") }
func (m *MultiFlag) Set(v string) error { *m = append(*m, v); return nil }

// User names whoever runs a command in the audit log ("cli:" and the
// login name).
func User() string {
	if u := os.Getenv("USER"); u != "" {
		return "cli:" + u
	}
	if u := os.Getenv("USERNAME"); u != "" {
		return "cli:" + u
	}
	return "cli"
}

// Now is the time by the commands' clock (StoreOptions.Now, else the
// system's) in Beijing time, so its date is the Beijing day on a server
// set to UTC too (clock.Zone).
func (e *Env) Now() time.Time { return clock.In(clock.Or(e.StoreOptions.Now)()) }

// CheckDay is --today or today's date (Now), as YYYY-MM-DD.
func (e *Env) CheckDay(s string) (string, error) {
	if s == "" {
		return e.Now().Format(time.DateOnly), nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", fmt.Errorf("%w: --today must be YYYY-MM-DD", ErrUsage)
	}
	return s, nil
}
