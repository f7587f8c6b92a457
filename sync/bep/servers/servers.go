// Package servers owns which Syncthing servers a device uses beyond its
// LAN — stock global discovery servers (stdiscosrv) and relays
// (strelaysrv): the URL forms cunjing accepts for them, the list set on
// the device, and the list it uses once its stations' published servers
// are added. Package bep reaches peers through them.
package servers

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store"
	"cunjing/store/syncbook"
	"cunjing/store/tierdata"
)

// Kinds of Syncthing servers a device can be told to use.
const (
	Discovery = store.ServerDiscovery // stdiscosrv: https://host:port/[?id=DEVICE-ID]
	Relay     = store.ServerRelay     // strelaysrv: relay://host:port/[?id=DEVICE-ID]
)

// List is the Syncthing servers a node uses beyond its LAN: global
// discovery servers (stdiscosrv, https://host:8443/?id=…) and relays
// (strelaysrv, relay://host:22067/?id=…), as Check accepts them.
// None: LAN and typed addresses only.
type List struct {
	Discovery []string
	Relays    []string
}

// Empty reports whether no server is set.
func (s List) Empty() bool { return len(s.Discovery) == 0 && len(s.Relays) == 0 }

// Check accepts a server URL in Syncthing's forms: a discovery
// server as https://host[:port]/ and a relay as relay://host:port/, each
// optionally pinned to the server's certificate with ?id=DEVICE-ID (which
// must be a valid device ID, check characters included).
func Check(kind, s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%s server %q: %w", kind, s, err)
	}
	want := map[string]string{Discovery: "https", Relay: "relay"}[kind]
	if want == "" {
		return fmt.Errorf("server kind %q, want %s or %s", kind, Discovery, Relay)
	}
	if u.Scheme != want {
		return fmt.Errorf("%s server %q: want a %s:// URL", kind, s, want)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%s server %q: no host", kind, s)
	}
	if kind == Relay {
		if _, _, err := net.SplitHostPort(u.Host); err != nil {
			return fmt.Errorf("%s server %q: want relay://host:port (strelaysrv listens on 22067)", kind, s)
		}
	}
	if id := u.Query().Get("id"); id != "" {
		if _, err := protocol.DeviceIDFromString(id); err != nil {
			return fmt.Errorf("%s server %q: id: %w", kind, s, err)
		}
	}
	return nil
}

// Local reads the servers set on this device (cunjing config, or
// 同步's 跨网络同步 card).
func Local(ctx context.Context, b *syncbook.Book) (List, error) {
	n, err := b.NetServers(ctx)
	if err != nil {
		return List{}, err
	}
	return List{Discovery: n.Discovery, Relays: n.Relays}, nil
}

// Of is what a device uses: the servers set on it, then those its
// stations published to it (store.NetServer), without repeats. A
// published URL this version does not accept is left out and returned in
// bad, for the caller to say.
func Of(ctx context.Context, st *store.Store) (s List, bad []string, err error) {
	if s, err = Local(ctx, st.SyncBook()); err != nil {
		return List{}, nil, err
	}
	pub, err := tierdata.PublishedServers(ctx, st)
	if err != nil {
		return List{}, nil, err
	}
	for _, n := range pub {
		kind, list := Discovery, &s.Discovery
		if n.Kind == store.ServerRelay {
			kind, list = Relay, &s.Relays
		}
		if err := Check(kind, n.URL); err != nil {
			bad = append(bad, n.URL)
			continue
		}
		if !slices.Contains(*list, n.URL) {
			*list = append(*list, n.URL)
		}
	}
	return s, bad, nil
}

// Save checks every URL (Check) and, when all pass, makes
// them the servers the device uses; nothing is saved when one fails.
// Blank lines are dropped and repeats kept once.
func Save(ctx context.Context, b *syncbook.Book, s List) (List, error) {
	clean := func(kind string, in []string) ([]string, error) {
		out := []string{}
		seen := map[string]bool{}
		for _, u := range in {
			u = strings.TrimSpace(u)
			if u == "" || seen[u] {
				continue
			}
			if err := Check(kind, u); err != nil {
				return nil, err
			}
			seen[u] = true
			out = append(out, u)
		}
		return out, nil
	}
	var err error
	var n syncbook.NetServers
	if n.Discovery, err = clean(Discovery, s.Discovery); err != nil {
		return List{}, err
	}
	if n.Relays, err = clean(Relay, s.Relays); err != nil {
		return List{}, err
	}
	if err := b.SetNetServers(ctx, n); err != nil {
		return List{}, err
	}
	return List{Discovery: n.Discovery, Relays: n.Relays}, nil
}
