// Package app is cunjing's user-facing layer: the Fyne window (gui.go and
// package app/ui) and the entry to the command line (this file; the
// commands live in app/cli and its area packages). It wires the store,
// maps, print and sync packages together; it never writes SQL itself.
package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"cunjing/app/cli"
	"cunjing/app/cli/clikit"
	"cunjing/store"
)

// Env is what a subcommand may use: its output streams (app/cli/clikit).
type Env = clikit.Env

type command = clikit.Command

// commands is the table of subcommands: the command line's (app/cli) and
// those of this package, which need the window or the build (version,
// screenshots).
func commands() []command {
	return append(append(guiCommands(), command{Name: "version", Summary: "this build's version and commit (--json: {version, commit, os, arch, renderer, window_renderer})", Run: cmdVersion}), cli.Commands()...)
}

// Main runs cunjing with the given arguments and returns the exit code;
// b says which build this is.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, b Build) int {
	return Run(ctx, args, &Env{Stdout: stdout, Stderr: stderr, Build: b})
}

// Run is Main with the whole environment given.
func Run(ctx context.Context, args []string, env *Env) int {
	stdout, stderr := env.Stdout, env.Stderr
	if len(args) > 0 && isHelp(args[0]) {
		printHelp(stdout)
		return 0
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return runGUI(ctx, env, args)
	}
	name := args[0]
	if code, found := cli.Run(ctx, env, commands(), args); found {
		return code
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

// isHelp reports whether a first argument asks for the list of commands
// (checked before the window's flags, which would list only their own).
func isHelp(arg string) bool {
	switch arg {
	case "help", "-h", "-help", "--help":
		return true
	}
	return false
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "cunjing (村警通) — village police post app")
	fmt.Fprintln(w, "usage: cunjing [--db PATH]          open the window")
	fmt.Fprintln(w, "       cunjing [--db PATH] FILE     open the window and offer a backup (.cjbak) or pairing code (.cjpair)")
	fmt.Fprintln(w, "       cunjing COMMAND [flags]      run a command:")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].Name < cs[j].Name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-10s %s\n", c.Name, c.Summary)
	}
}

// The window's own commands share the command line's flag parsing and
// output (app/cli/clikit).

func newFlags(env *Env, name string) *flag.FlagSet { return clikit.NewFlags(env, name) }

func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	return clikit.ParseFlags(fs, args)
}

func openDB(ctx context.Context, env *Env, path string) (*store.Store, error) {
	return clikit.OpenDB(ctx, env, path)
}

func writeJSON(w io.Writer, v any) error { return clikit.WriteJSON(w, v) }
