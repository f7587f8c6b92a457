package app

import (
	"context"
	"fmt"
	"strings"

	"cunjing/store/syncbook"
	"cunjing/sync/bep"
)

// cmdConfig shows or sets the Syncthing servers this device uses to reach
// its peers beyond the LAN: `node` joins the relays and announces itself to
// the discovery servers, and `sync --once` and `node` find peers there.
func cmdConfig(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "config")
	db := fs.String("db", "", "database file")
	var disco, relays multiFlag
	fs.Var(&disco, "discovery", "global discovery server (stdiscosrv) URL, https://host:8443/?id=DEVICE-ID (repeatable; replaces the list)")
	fs.Var(&relays, "relay", "relay server (strelaysrv) URL, relay://host:22067/?id=DEVICE-ID (repeatable; replaces the list)")
	clearAll := fs.Bool("clear", false, "remove all servers (LAN and typed addresses only)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := openDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	cur, err := bep.ServersOf(ctx, st.SyncBook())
	if err != nil {
		return err
	}
	if *clearAll {
		cur = bep.Servers{}
	}
	if len(disco) > 0 {
		cur.Discovery = disco
	}
	if len(relays) > 0 {
		cur.Relays = relays
	}
	if *clearAll || len(disco) > 0 || len(relays) > 0 {
		if cur, err = bep.SaveServers(ctx, st.SyncBook(), cur); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	n := syncbook.NetServers{Discovery: append([]string{}, cur.Discovery...), Relays: append([]string{}, cur.Relays...)}
	if *asJSON {
		return writeJSON(env.Stdout, n)
	}
	fmt.Fprintf(env.Stdout, "discovery: %s\nrelays: %s\n", orNone(n.Discovery), orNone(n.Relays))
	return nil
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	return strings.Join(s, " ")
}
