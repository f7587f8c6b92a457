package synccmd

import (
	"context"
	"fmt"
	"strings"

	"cunjing/app/cli/clikit"
	"cunjing/store"
	"cunjing/store/tierdata"
	cjsync "cunjing/sync"
	"cunjing/sync/bep/servers"
	"cunjing/sync/station"
)

// Config shows or sets the Syncthing servers this device uses to reach
// its peers beyond the LAN: `node` joins the relays and announces itself to
// the discovery servers, and `sync --once` and `node` find peers there. A
// station publishes its list to its posts with --publish; a post uses the
// published ones beside its own.
func Config(ctx context.Context, env *clikit.Env, args []string) error {
	fs, db := clikit.NewDBFlags(env, "config")
	var disco, relays clikit.MultiFlag
	fs.Var(&disco, "discovery", "global discovery server (stdiscosrv) URL, https://host:8443/?id=DEVICE-ID (repeatable; replaces the list)")
	fs.Var(&relays, "relay", "relay server (strelaysrv) URL, relay://host:22067/?id=DEVICE-ID (repeatable; replaces the list)")
	clearAll := fs.Bool("clear", false, "remove all servers (LAN and typed addresses only)")
	publish := fs.Bool("publish", false, "a station: publish its servers to its posts (an empty list withdraws them)")
	asJSON := clikit.JSONFlag(fs)
	if _, err := clikit.ParseFlags(fs, args); err != nil {
		return err
	}
	var st *store.Store
	var e *cjsync.Engine
	if *publish {
		var done func()
		var err error
		if e, done, err = openEngine(ctx, env, *db, false, ""); err != nil {
			return err
		}
		defer done()
		st = e.Store()
		if st.Role() != store.RoleStation {
			return fmt.Errorf("%w: --publish: only a station publishes servers to its posts", clikit.ErrUsage)
		}
	} else {
		var err error
		if st, err = clikit.OpenDB(ctx, env, *db); err != nil {
			return err
		}
		defer st.Close()
	}
	cur, err := servers.Local(ctx, st.SyncBook())
	if err != nil {
		return err
	}
	if *clearAll {
		cur = servers.List{}
	}
	if len(disco) > 0 {
		cur.Discovery = disco
	}
	if len(relays) > 0 {
		cur.Relays = relays
	}
	if *clearAll || len(disco) > 0 || len(relays) > 0 {
		if cur, err = servers.Save(ctx, st.SyncBook(), cur); err != nil {
			return fmt.Errorf("%w: %v", clikit.ErrUsage, err)
		}
	}
	if *publish {
		if _, err := station.PublishServers(ctx, e, cur); err != nil {
			return err
		}
	}
	out := struct {
		Discovery []string `json:"discovery"`
		Relays    []string `json:"relays"`
		// What this device's stations published (a post), or what it
		// publishes (a station).
		PublishedDiscovery []string `json:"published_discovery"`
		PublishedRelays    []string `json:"published_relays"`
	}{Discovery: append([]string{}, cur.Discovery...), Relays: append([]string{}, cur.Relays...),
		PublishedDiscovery: []string{}, PublishedRelays: []string{}}
	pub, err := tierdata.PublishedServers(ctx, st)
	if st.Role() == store.RoleStation {
		pub, err = tierdata.OwnServers(ctx, st)
	}
	if err != nil {
		return err
	}
	for _, n := range pub {
		if n.Kind == store.ServerRelay {
			out.PublishedRelays = append(out.PublishedRelays, n.URL)
		} else {
			out.PublishedDiscovery = append(out.PublishedDiscovery, n.URL)
		}
	}
	if *asJSON {
		return clikit.WriteJSON(env.Stdout, out)
	}
	fmt.Fprintf(env.Stdout, "discovery: %s\nrelays: %s\n", orNone(out.Discovery), orNone(out.Relays))
	fmt.Fprintf(env.Stdout, "published discovery: %s\npublished relays: %s\n", orNone(out.PublishedDiscovery), orNone(out.PublishedRelays))
	return nil
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "(none)"
	}
	return strings.Join(s, " ")
}
