// Package cli is cunjing's command line: the table of its commands, each
// of which lives in the package of its area below (admincmd: the database
// itself; synccmd: identity, pairing, sync, the station's views,
// releases; mapcmd: the village map, routes, the emergency card, door
// plates; boardcmd: boards, leaflets, cards and their costs; rostercmd:
// the roster and holidays; householdcmd: household ledgers), over what
// they share (clikit). Package app adds the commands that need the window
// or its build (version, screenshots) and decides what is a command and
// what a file to open.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sort"
	"strings"

	"cunjing/app/cli/admincmd"
	"cunjing/app/cli/boardcmd"
	"cunjing/app/cli/clikit"
	"cunjing/app/cli/householdcmd"
	"cunjing/app/cli/mapcmd"
	"cunjing/app/cli/rostercmd"
	"cunjing/app/cli/synccmd"
)

// Commands is the table of subcommands. Each area adds its own lines; a
// command with sub-commands (map, print, import, export) dispatches itself.
func Commands() []clikit.Command {
	return []clikit.Command{
		{Name: "demo", Summary: "create a realistic demo post database", Run: admincmd.Demo},
		{Name: "info", Summary: "print record counts and identity of a database", Run: admincmd.Info},
		{Name: "dump", Summary: "print the canonical dump (compare replicas with diff)", Run: admincmd.Dump},
		{Name: "init", Summary: "create an empty device database with a new identity", Run: synccmd.Init},
		{Name: "id", Summary: "print this device's ID and pairing code", Run: synccmd.ID},
		{Name: "pair", Summary: "pair with another device from its pairing code", Run: synccmd.Pair},
		{Name: "unpair", Summary: "revoke a paired device", Run: synccmd.Unpair},
		{Name: "node", Summary: "run the sync node (listen, dial peers, watch an exchange folder)", Run: synccmd.Node},
		{Name: "sync", Summary: "dial paired peers once and exchange changesets", Run: synccmd.Sync},
		{Name: "config", Summary: "Syncthing discovery and relay servers to use (config --db PATH [--discovery URL]… [--relay URL]… [--clear] [--publish] [--json])", Run: synccmd.Config},
		{Name: "release", Summary: "signed releases: keygen --out DIR, sign --key K --version V --os OS --arch A FILE, verify [--json] MANIFEST [FILE], publish --db STATION MANIFEST FILE", Run: synccmd.Release},
		{Name: "update", Summary: "the newest release the station carried here and whether it may be installed (--install starts its installer; --json)", Run: synccmd.Update},
		{Name: "exchange", Summary: "import from and export to an exchange folder once", Run: synccmd.Exchange},
		{Name: "station", Summary: "township dashboard: per post counts, patrols done vs planned, freshness ([--from --to] [--json]); at a county, the county's", Run: synccmd.Station},
		{Name: "county", Summary: "county overview: per station and post counts, patrols done vs planned, freshness (--db COUNTY [--from --to] [--json])", Run: synccmd.Station},
		{Name: "report", Summary: "the monthly report for the county: report month --month YYYY-MM --out FILE.xlsx [--pdf FILE.pdf]", Run: synccmd.Report},
		{Name: "backup", Summary: "write an encrypted, verified backup to a folder, with rotation (passphrase in $CUNJING_BACKUP_PASSPHRASE)", Run: admincmd.Backup},
		{Name: "restore", Summary: "replace a database with a backup (passphrase in $CUNJING_BACKUP_PASSPHRASE, or --with-station-db)", Run: admincmd.Restore},
		{Name: "user", Summary: "add a local user, or set a forgotten password again (user add|reset --db PATH USERNAME)", Run: admincmd.User},
		{Name: "print", Summary: "print a PDF: " + printList(), Run: cmdPrint},
		{Name: "map", Summary: "tie a village map to the Earth (map georef), export it (.geojson WGS 84, .gpkg, .kml/.kmz; --local, --all), import one, or trace house outlines from a scanned hand-drawn map (map trace --dry-run)", Run: mapcmd.Map},
		{Name: "locate", Summary: "find a house by number (old ones too), name, pinyin, phone or ID number tail", Run: mapcmd.Locate},
		{Name: "route", Summary: "fire-engine route to a house (--village --to NUMBER [--width 4.0] [--json])", Run: mapcmd.Route},
		{Name: "emergency", Summary: "the emergency card of a house: route, who needs help, phones, on duty (--village NAME QUERY [--png F] [--pdf F] [--json])", Run: mapcmd.Emergency},
		{Name: "roster", Summary: "expand the shift rules over dates (--from --to [--json]); roster confirm-today [--station-date]: say which day is today when the PC's date is before what the roster has seen", Run: rostercmd.Roster},
		{Name: "costs", Summary: "cost-of-fighting items with their sources; set the station's local figures: costs list|set --db PATH", Run: boardcmd.Costs},
		{Name: "holidays", Summary: "the holiday calendar rosters use: holidays list|add|confirm|delete --db PATH", Run: rostercmd.Holidays},
		{Name: "import", Summary: "import a household ledger (.xlsx/.csv): import households --db PATH FILE [--dry-run] [--json]", Run: householdcmd.Import},
		{Name: "export", Summary: "export households and residents: export households --db PATH --out FILE.xlsx", Run: householdcmd.Export},
	}
}

func printList() string {
	var names []string
	for n := range printCommands() {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// Run runs the command of cmds named by args[0] with the rest of args and
// returns its exit code: 0, 2 for a usage mistake, 1 for any other error
// (said on stderr). found is false when no command has that name.
func Run(ctx context.Context, env *clikit.Env, cmds []clikit.Command, args []string) (code int, found bool) {
	if len(args) == 0 {
		return 0, false
	}
	name := args[0]
	// The databases the command opened are closed when it returns, and
	// so let go of (clikit.OpenDB).
	defer env.ReleaseHolds()
	for _, c := range cmds {
		if c.Name != name {
			continue
		}
		err := c.Run(ctx, env, args[1:])
		switch {
		case err == nil:
			return 0, true
		case errors.Is(err, flag.ErrHelp):
			return 0, true
		case errors.Is(err, clikit.ErrUsage):
			fmt.Fprintf(env.Stderr, "cunjing %s: %v\n", name, err)
			return 2, true
		default:
			fmt.Fprintf(env.Stderr, "cunjing %s: %v\n", name, err)
			return 1, true
		}
	}
	return 0, false
}
