package app

import (
	"context"
	"fmt"
	"strings"

	"cunjing/sync/bep"
)

// cmdConfig shows or sets the Syncthing servers this device may use to
// reach its peers beyond the LAN (stored only; #21's relay and global
// discovery transport comes later).
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
	for _, u := range disco {
		if err := bep.CheckServerURL(bep.ServerDiscovery, u); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	for _, u := range relays {
		if err := bep.CheckServerURL(bep.ServerRelay, u); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	st, err := openDB(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.SyncBook().NetServers(ctx)
	if err != nil {
		return err
	}
	if *clearAll {
		n.Discovery, n.Relays = []string{}, []string{}
	}
	if len(disco) > 0 {
		n.Discovery = append([]string{}, disco...)
	}
	if len(relays) > 0 {
		n.Relays = append([]string{}, relays...)
	}
	if *clearAll || len(disco) > 0 || len(relays) > 0 {
		if err := st.SyncBook().SetNetServers(ctx, n); err != nil {
			return err
		}
	}
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
