package bep

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	gosync "sync"

	"github.com/syncthing/syncthing/lib/discover"
	"github.com/syncthing/syncthing/lib/events"
	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store/syncbook"
	"cunjing/sync/bep/gate"
	"cunjing/sync/bep/relayaccept"
	"cunjing/sync/bep/relayask"
	"cunjing/sync/bep/servers"
)

// Paths a session can take to its peer (Result.Path).
const (
	PathDirect = "direct" // a TCP connection to one of the peer's own addresses
	PathRelay  = "relay"  // through a Syncthing relay server (strelaysrv)
)

// reach is what a node built from its Servers, once.
type reach struct {
	once    gosync.Once
	err     error
	finders []finder // lookups only
	relays  []*url.URL
}

// finder looks devices up at a discovery server (servers.Finder).
type finder interface {
	Lookup(ctx context.Context, dev protocol.DeviceID) ([]string, error)
	String() string
}

// servers parses the node's servers on first use.
func (n *Node) servers() (*reach, error) {
	r := &n.reach
	r.once.Do(func() {
		for _, s := range n.cfg.Servers.Discovery {
			if err := servers.Check(servers.Discovery, s); err != nil {
				r.err = err
				return
			}
			f, err := servers.NewFinder(s)
			if err != nil {
				r.err = fmt.Errorf("discovery server %q: %w", s, err)
				return
			}
			r.finders = append(r.finders, f)
		}
		for _, s := range n.cfg.Servers.Relays {
			if err := servers.Check(servers.Relay, s); err != nil {
				r.err = err
				return
			}
			u, err := url.Parse(s)
			if err != nil {
				r.err = fmt.Errorf("relay %q: %w", s, err)
				return
			}
			r.relays = append(r.relays, u)
		}
	})
	return r, r.err
}

// target is one way to reach a peer, tried in order by SyncOnce.
type target struct {
	addr  string // what Result.Address shows: host:port or the relay URL
	path  string // PathDirect or PathRelay
	relay *url.URL
}

// lookup asks every discovery server where dev is, and returns its direct
// addresses (host:port) and the relays it has joined, both without
// duplicates and without the addresses in skip, the first
// servers.MaxFoundDirect and MaxFoundRelays (servers.Found). Servers that
// fail are reported in err only when none answered.
func (n *Node) lookup(ctx context.Context, dev protocol.DeviceID, skip map[string]bool) (direct []string, relays []*url.URL, err error) {
	r, err := n.servers()
	if err != nil {
		return nil, nil, err
	}
	var errs []error
	var answers [][]string
	for _, f := range r.finders {
		addrs, ferr := f.Lookup(ctx, dev)
		if ferr != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.String(), ferr))
			continue
		}
		answers = append(answers, addrs)
	}
	if len(answers) == 0 && len(errs) > 0 {
		return nil, nil, fmt.Errorf("global discovery of %s: %w", dev.Short(), errors.Join(errs...))
	}
	direct, relays = servers.Found(answers, skip)
	return direct, relays, nil
}

// globalTargets are the ways to reach dev that the servers give: its
// direct addresses from discovery first (a direct connection is preferred),
// then the relays it announced, then this node's own relays (a relay
// connects two devices that both joined it, so it needs no discovery).
func (n *Node) globalTargets(ctx context.Context, dev protocol.DeviceID, tried map[string]bool) ([]target, error) {
	r, err := n.servers()
	if err != nil {
		return nil, err
	}
	var out []target
	direct, relays, lerr := n.lookup(ctx, dev, tried)
	for _, a := range direct {
		out = append(out, target{addr: a, path: PathDirect})
	}
	seen := map[string]bool{}
	for _, u := range append(relays, r.relays...) {
		if seen[u.Host] {
			continue
		}
		seen[u.Host] = true
		out = append(out, target{addr: "relay://" + u.Host, path: PathRelay, relay: u})
	}
	if len(out) == 0 && lerr != nil {
		return nil, lerr
	}
	return out, nil
}

// Why a relay did not lead to the peer (sync/bep/relayask).
var (
	ErrRelayDown      = relayask.ErrRelayDown
	ErrNotAtRelay     = relayask.ErrNotAtRelay
	ErrRelayNotPinned = relayask.ErrRelayNotPinned
)

// Reach makes this node reachable beyond its LAN until ctx ends: it joins
// every configured relay, accepting the sessions paired peers ask it for
// there, and announces to every discovery server its listen addresses
// (host:port; an empty or unspecified host is announced as the address the
// server sees the announcement come from) and the relays it has joined.
// It returns at once when no server is set, and with an error when a
// server URL is bad; a server that cannot be reached is retried, with
// its error in ReachStatus.
func (n *Node) Reach(ctx context.Context, listen []string) error {
	r, err := n.servers()
	if err != nil {
		return err
	}
	if n.cfg.Servers.Empty() {
		return nil
	}
	var direct []string
	for _, a := range listen {
		host, port, err := net.SplitHostPort(a)
		if err != nil {
			return fmt.Errorf("announce %q: %w", a, err)
		}
		if host == "" {
			host = "0.0.0.0"
		}
		direct = append(direct, "tcp://"+net.JoinHostPort(host, port))
	}
	addrs := servers.NewAnnounced(direct)
	n.mu.Lock()
	n.announced = addrs
	n.mu.Unlock()
	var wg gosync.WaitGroup
	certs := []tls.Certificate{n.e.Identity().Cert}
	acc := n.acceptor(addrs)
	for _, u := range r.relays {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acc.Keep(ctx, u, certs)
		}()
	}
	// Announce again when the relays joined change (discover's global
	// client does on ListenAddressesChanged).
	evl := events.NewLogger()
	wg.Add(2)
	go func() {
		defer wg.Done()
		_ = evl.Serve(ctx)
	}()
	go func() {
		defer wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case <-addrs.Changed():
				evl.Log(events.ListenAddressesChanged, nil)
			}
		}
	}()
	for _, s := range n.cfg.Servers.Discovery {
		g, err := n.announcer(s, addrs, evl)
		if err != nil {
			return fmt.Errorf("discovery server %q: %w", s, err)
		}
		n.setReach("discovery "+s, g.Error)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := g.Serve(ctx); err != nil && ctx.Err() == nil {
				n.e.Log().Warn("global discovery stopped", "server", s, "err", err)
			}
		}()
	}
	wg.Wait()
	return nil
}

// announcer announces addrs to discovery server s when served, and again
// in 2 s on each ListenAddressesChanged in evl: lib/discover's global
// client (Config.announcer, for tests, without its timers).
func (n *Node) announcer(s string, addrs discover.AddressLister, evl events.Logger) (announcing, error) {
	if n.cfg.announcer != nil {
		return n.cfg.announcer(s, addrs, evl)
	}
	return discover.NewGlobal(s, n.e.Identity().Cert, addrs, evl, nil)
}

type announcing interface {
	Serve(ctx context.Context) error
	Error() error
}

// acceptor is the node's relay-accepting side (sync/bep/relayaccept),
// announcing the relays it joins in addrs.
func (n *Node) acceptor(addrs *servers.Announced) *relayaccept.Acceptor {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.relays == nil {
		n.relays = relayaccept.New(relayaccept.Host{Log: n.e.Log(), MayAsk: n.mayAsk, SetReach: n.setReach, Joined: addrs.SetJoined,
			Admit: n.admit, Wait: n.cfg.handshakeWait,
			Handshake: func(ctx context.Context, c net.Conn, tlsServer bool, t *gate.Ticket, through func()) (func(), error) {
				s, err := n.handshakeAs(ctx, c, false, tlsServer, PathRelay, t, through)
				if err != nil {
					return nil, err
				}
				return func() { s.run(ctx, false) }, nil
			}})
	}
	return n.relays
}

// mayAsk says whether dev may have a session here, and whether it is
// paired here (see relayaccept's Offered).
func (n *Node) mayAsk(ctx context.Context, dev protocol.DeviceID) (may, paired bool) {
	p, err := n.e.Book().Peer(ctx, dev.String())
	if errors.Is(err, syncbook.ErrNotFound) {
		shown, err := n.e.ShortCodes().Shown(ctx)
		return err != nil || shown, false
	}
	return err != nil || (p.RevokedAt == "" && !n.e.Revoked(ctx, p.DeviceID)), err == nil
}

// ReachState is how one server is doing for ReachStatus.
type ReachState struct {
	Server string // "relay host:port" or "discovery URL"
	Err    error  // nil: joined / announced
}

func (n *Node) setReach(name string, errOf func() error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.reachErr == nil {
		n.reachErr = map[string]func() error{}
	}
	n.reachErr[name] = errOf
}

// ReachStatus says how each server Reach uses is doing, sorted by name.
func (n *Node) ReachStatus() []ReachState {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]ReachState, 0, len(n.reachErr))
	for name, f := range n.reachErr {
		out = append(out, ReachState{Server: name, Err: f()})
	}
	slices.SortFunc(out, func(a, b ReachState) int { return strings.Compare(a.Server, b.Server) })
	return out
}
