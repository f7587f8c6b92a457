package bep

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
	ServerDiscovery = store.ServerDiscovery // stdiscosrv: https://host:port/[?id=DEVICE-ID]
	ServerRelay     = store.ServerRelay     // strelaysrv: relay://host:port/[?id=DEVICE-ID]
)

// CheckServerURL accepts a server URL in Syncthing's forms: a discovery
// server as https://host[:port]/ and a relay as relay://host:port/, each
// optionally pinned to the server's certificate with ?id=DEVICE-ID (which
// must be a valid device ID, check characters included).
func CheckServerURL(kind, s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%s server %q: %w", kind, s, err)
	}
	want := map[string]string{ServerDiscovery: "https", ServerRelay: "relay"}[kind]
	if want == "" {
		return fmt.Errorf("server kind %q, want %s or %s", kind, ServerDiscovery, ServerRelay)
	}
	if u.Scheme != want {
		return fmt.Errorf("%s server %q: want a %s:// URL", kind, s, want)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%s server %q: no host", kind, s)
	}
	if kind == ServerRelay {
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

// LocalServers reads the servers set on this device (cunjing config, or
// 同步's 跨网络同步 card).
func LocalServers(ctx context.Context, b *syncbook.Book) (Servers, error) {
	n, err := b.NetServers(ctx)
	if err != nil {
		return Servers{}, err
	}
	return Servers{Discovery: n.Discovery, Relays: n.Relays}, nil
}

// ServersOf is what a device uses: the servers set on it, then those its
// stations published to it (store.NetServer), without repeats. A
// published URL this version does not accept is left out and returned in
// bad, for the caller to say.
func ServersOf(ctx context.Context, st *store.Store) (s Servers, bad []string, err error) {
	if s, err = LocalServers(ctx, st.SyncBook()); err != nil {
		return Servers{}, nil, err
	}
	pub, err := tierdata.PublishedServers(ctx, st)
	if err != nil {
		return Servers{}, nil, err
	}
	for _, n := range pub {
		kind, list := ServerDiscovery, &s.Discovery
		if n.Kind == store.ServerRelay {
			kind, list = ServerRelay, &s.Relays
		}
		if err := CheckServerURL(kind, n.URL); err != nil {
			bad = append(bad, n.URL)
			continue
		}
		if !slices.Contains(*list, n.URL) {
			*list = append(*list, n.URL)
		}
	}
	return s, bad, nil
}

// SaveServers checks every URL (CheckServerURL) and, when all pass, makes
// them the servers the device uses; nothing is saved when one fails.
// Blank lines are dropped and repeats kept once.
func SaveServers(ctx context.Context, b *syncbook.Book, s Servers) (Servers, error) {
	clean := func(kind string, in []string) ([]string, error) {
		out := []string{}
		seen := map[string]bool{}
		for _, u := range in {
			u = strings.TrimSpace(u)
			if u == "" || seen[u] {
				continue
			}
			if err := CheckServerURL(kind, u); err != nil {
				return nil, err
			}
			seen[u] = true
			out = append(out, u)
		}
		return out, nil
	}
	var err error
	var n syncbook.NetServers
	if n.Discovery, err = clean(ServerDiscovery, s.Discovery); err != nil {
		return Servers{}, err
	}
	if n.Relays, err = clean(ServerRelay, s.Relays); err != nil {
		return Servers{}, err
	}
	if err := b.SetNetServers(ctx, n); err != nil {
		return Servers{}, err
	}
	return Servers{Discovery: n.Discovery, Relays: n.Relays}, nil
}
