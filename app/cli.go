// Package app is cunjing's user-facing layer: the command-line subcommands
// (this file and cli_*.go) and the Fyne window (gui.go and package app/ui).
// It wires the store, maps, print and sync packages together; it never
// writes SQL itself.
package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"cunjing/store"
)

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
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// commands is the table of subcommands. Each area adds its own lines; a
// command with sub-commands (map, print, import, export) dispatches itself.
func commands() []command {
	return append(guiCommands(), []command{
		{"demo", "create a realistic demo post database", cmdDemo},
		{"version", "this build's version and commit (--json: {version, commit, os, arch, renderer, window_renderer})", cmdVersion},
		{"info", "print record counts and identity of a database", cmdInfo},
		{"dump", "print the canonical dump (compare replicas with diff)", cmdDump},
		{"init", "create an empty device database with a new identity", cmdInit},
		{"id", "print this device's ID and pairing code", cmdID},
		{"pair", "pair with another device from its pairing code", cmdPair},
		{"unpair", "revoke a paired device", cmdUnpair},
		{"node", "run the sync node (listen, dial peers, watch an exchange folder)", cmdNode},
		{"sync", "dial paired peers once and exchange changesets", cmdSync},
		{"config", "Syncthing discovery and relay servers to use (config --db PATH [--discovery URL]… [--relay URL]… [--clear] [--publish] [--json])", cmdConfig},
		{"release", "signed releases: keygen --out DIR, sign --key K --version V --os OS --arch A FILE, verify [--json] MANIFEST [FILE], publish --db STATION MANIFEST FILE", cmdRelease},
		{"update", "the newest release the station carried here and whether it may be installed (--install starts its installer; --json)", cmdUpdate},
		{"exchange", "import from and export to an exchange folder once", cmdExchange},
		{"station", "township dashboard: per post counts, patrols done vs planned, freshness ([--from --to] [--json]); at a county, the county's", cmdStation},
		{"county", "county overview: per station and post counts, patrols done vs planned, freshness (--db COUNTY [--from --to] [--json])", cmdStation},
		{"report", "the monthly report for the county: report month --month YYYY-MM --out FILE.xlsx [--pdf FILE.pdf]", cmdReport},
		{"backup", "write an encrypted, verified backup to a folder, with rotation (passphrase in $CUNJING_BACKUP_PASSPHRASE)", cmdBackup},
		{"restore", "replace a database with a backup (passphrase in $CUNJING_BACKUP_PASSPHRASE, or --with-station-db)", cmdRestore},
		{"user", "add a local user (user add --db PATH USERNAME)", cmdUser},
		{"print", "print a PDF: " + printList(), cmdPrint},
		{"map", "tie a village map to the Earth (map georef), export it (.geojson WGS 84, .gpkg, .kml/.kmz; --local, --all), import one, or trace house outlines from a scanned hand-drawn map (map trace --dry-run)", cmdMap},
		{"locate", "find a house by number (old ones too), name, pinyin, phone or ID number tail", cmdLocate},
		{"route", "fire-engine route to a house (--village --to NUMBER [--width 4.0] [--json])", cmdRoute},
		{"emergency", "the emergency card of a house: route, who needs help, phones, on duty (--village NAME QUERY [--png F] [--pdf F] [--json])", cmdEmergency},
		{"roster", "expand the shift rules over dates (--from --to [--json])", cmdRoster},
		{"costs", "cost-of-fighting items with their sources; set the station's local figures: costs list|set --db PATH", cmdCosts},
		{"holidays", "the holiday calendar rosters use: holidays list|add|confirm|delete --db PATH", cmdHolidays},
		{"import", "import a household ledger (.xlsx/.csv): import households --db PATH FILE [--dry-run] [--json]", cmdImport},
		{"export", "export households and residents: export households --db PATH --out FILE.xlsx", cmdExport},
	}...)
}

func printList() string {
	var names []string
	for n := range printCommands() {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// errUsage marks a command-line mistake (exit code 2).
var errUsage = errors.New("usage")

// Main runs cunjing with the given arguments and returns the exit code;
// b says which build this is.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, b Build) int {
	return Run(ctx, args, &Env{Stdout: stdout, Stderr: stderr, Build: b})
}

// Run is Main with the whole environment given.
func Run(ctx context.Context, args []string, env *Env) int {
	stdout, stderr := env.Stdout, env.Stderr
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return runGUI(ctx, env, args)
	}
	name := args[0]
	if name == "help" || name == "--help" || name == "-h" {
		printHelp(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == name {
			err := c.run(ctx, env, args[1:])
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				fmt.Fprintf(stderr, "cunjing %s: %v\n", name, err)
				return 2
			default:
				fmt.Fprintf(stderr, "cunjing %s: %v\n", name, err)
				return 1
			}
		}
	}
	if looksLikeFile(name) {
		return runGUI(ctx, env, args)
	}
	fmt.Fprintf(stderr, "cunjing: unknown command %q (see `cunjing help`)\n", name)
	return 2
}

// looksLikeFile reports whether a first argument that names no command is
// a file to open (`cunjing FILE`, what the file types the installer and
// the .deb register run): it has an extension or a folder in it, or is
// there. No command name has a dot or a slash, and command names are
// matched first, so the two never mix: a file named like a command is
// opened as ./demo.
func looksLikeFile(arg string) bool {
	if filepath.Ext(arg) != "" || strings.ContainsAny(arg, `/\`) {
		return true
	}
	_, err := os.Stat(arg)
	return err == nil
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "cunjing (村警通) — village police post app")
	fmt.Fprintln(w, "usage: cunjing [--db PATH]          open the window")
	fmt.Fprintln(w, "       cunjing [--db PATH] FILE     open the window and offer a backup (.cjbak) or pairing code (.cjpair)")
	fmt.Fprintln(w, "       cunjing COMMAND [flags]      run a command:")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
}

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(env *Env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("cunjing "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// parseFlags parses flags that may come before or after positional
// arguments ("locate --db x 203 --json" is how people type it).
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func requireDB(db string) error {
	if db == "" {
		return fmt.Errorf("%w: --db PATH is required", errUsage)
	}
	return nil
}

// openDB opens an existing database for a command.
func openDB(ctx context.Context, env *Env, path string) (*store.Store, error) {
	if err := requireDB(path); err != nil {
		return nil, err
	}
	s, err := store.Open(ctx, path, env.StoreOptions)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func cmdInfo(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "info")
	db := fs.String("db", "", "database file")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := openDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := s.Counts(ctx, "")
	if err != nil {
		return err
	}
	var self store.Post
	if err := s.Get(ctx, &self, s.DeviceID()); err != nil {
		return fmt.Errorf("read own profile: %w", err)
	}
	info := struct {
		store.Counts
		SchemaVersion int    `json:"schema_version"`
		DeviceID      string `json:"device_id"`
		Role          string `json:"role"`
		Name          string `json:"name"`
		Township      string `json:"township"`
	}{c, store.SchemaVersion(), s.DeviceID(), s.Role(), self.Name, self.Township}
	if *asJSON {
		return writeJSON(env.Stdout, info)
	}
	fmt.Fprintf(env.Stdout, "%s (%s, %s)\ndevice %s, schema %d\nvillages %d, houses %d, households %d, residents %d\nteams %d, members %d, shift rules %d, patrols %d\nvenues %d, cost items %d, changes %d, conflicts %d\n",
		self.Name, self.Township, s.Role(), s.DeviceID(), info.SchemaVersion,
		c.Villages, c.Houses, c.Households, c.Residents, c.Teams, c.Members, c.ShiftRules, c.Patrols,
		c.Venues, c.CostItems, c.Changes, c.Conflicts)
	return nil
}

func cmdDump(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "dump")
	db := fs.String("db", "", "database file")
	owner := fs.String("owner", "", "only records owned by this device ID")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := openDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Dump(ctx, env.Stdout, *owner)
}

// dispatch runs the subcommand named by args[0] of command name (e.g.
// `cunjing map import …`), or says which subcommands there are.
func dispatch(ctx context.Context, env *Env, name string, cmds map[string]func(ctx context.Context, env *Env, args []string) error, args []string) error {
	var names []string
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(args) == 0 {
		return fmt.Errorf("%w: cunjing %s %s [flags]", errUsage, name, strings.Join(names, "|"))
	}
	run, ok := cmds[args[0]]
	if !ok {
		return fmt.Errorf("%w: unknown %s %q (want one of %s)", errUsage, name, args[0], strings.Join(names, ", "))
	}
	return run(ctx, env, args[1:])
}
