package app

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// printCommands are the `cunjing print WHAT` sub-commands; each area adds
// its own line (boards, leaflets, cards, roster, map, sheet, plates).
func printCommands() map[string]func(ctx context.Context, env *Env, args []string) error {
	return map[string]func(ctx context.Context, env *Env, args []string) error{
		"roster":  cmdPrintRoster,
		"map":     cmdPrintMap,
		"board":   cmdPrintBoard,
		"leaflet": cmdPrintLeaflet,
		"cards":   cmdPrintCards,
		"sheet":   cmdPrintSheet,
		"plates":  cmdPrintPlates,
	}
}

func cmdPrint(ctx context.Context, env *Env, args []string) error {
	cmds := printCommands()
	var names []string
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(args) == 0 {
		return fmt.Errorf("%w: cunjing print %s [flags] --out FILE.pdf", errUsage, strings.Join(names, "|"))
	}
	run, ok := cmds[args[0]]
	if !ok {
		return fmt.Errorf("%w: unknown print %q (want one of %s)", errUsage, args[0], strings.Join(names, ", "))
	}
	return run(ctx, env, args[1:])
}
