package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"cunjing/app/cli/boardcmd"
	"cunjing/app/cli/clikit"
	"cunjing/app/cli/householdcmd"
	"cunjing/app/cli/mapcmd"
	"cunjing/app/cli/rostercmd"
)

// printCommands are the `cunjing print WHAT` sub-commands; each area adds
// its own line (boards, leaflets, cards, roster, map, sheet, plates).
func printCommands() map[string]clikit.Func {
	return map[string]clikit.Func{
		"roster":  rostercmd.PrintRoster,
		"map":     mapcmd.PrintMap,
		"board":   boardcmd.PrintBoard,
		"leaflet": boardcmd.PrintLeaflet,
		"cards":   boardcmd.PrintCards,
		"sheet":   householdcmd.PrintSheet,
		"plates":  mapcmd.PrintPlates,
	}
}

func cmdPrint(ctx context.Context, env *clikit.Env, args []string) error {
	cmds := printCommands()
	var names []string
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(args) == 0 {
		return fmt.Errorf("%w: cunjing print %s [flags] --out FILE.pdf", clikit.ErrUsage, strings.Join(names, "|"))
	}
	run, ok := cmds[args[0]]
	if !ok {
		return fmt.Errorf("%w: unknown print %q (want one of %s)", clikit.ErrUsage, args[0], strings.Join(names, ", "))
	}
	return run(ctx, env, args[1:])
}
