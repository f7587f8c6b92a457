package bep

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/syncthing/syncthing/lib/discover"
	"github.com/syncthing/syncthing/lib/events"
	"github.com/syncthing/syncthing/lib/protocol"
)

// LANPort is Syncthing's local discovery port (UDP broadcast).
const LANPort = 21027

// LAN announces this device on the local network and finds others there,
// with the syncthing module's own local discovery (lib/discover over
// lib/beacon: UDP broadcast every 30 s, and at once when a new device is
// heard). Its packets are Syncthing's, so a stock Syncthing on the same
// network hears them too and ignores the unknown device.
type LAN struct {
	f discover.FinderService
}

type lanAddrs []string

func (a lanAddrs) ExternalAddresses() []string { return a }
func (a lanAddrs) AllAddresses() []string      { return append([]string(nil), a...) }

// NewLAN prepares local discovery for device id on UDP port (LANPort in
// use; tests take another), announcing listen (host:port where this device
// accepts BEP; an empty host or 0.0.0.0 is announced as the address the
// packet comes from). Run it with Run.
func NewLAN(id protocol.DeviceID, port int, listen []string) (*LAN, error) {
	var urls lanAddrs
	for _, a := range listen {
		host, p, err := net.SplitHostPort(a)
		if err != nil {
			return nil, fmt.Errorf("local discovery: address %q: %w", a, err)
		}
		if host == "" {
			host = "0.0.0.0"
		}
		urls = append(urls, "tcp://"+net.JoinHostPort(host, p))
	}
	f, err := discover.NewLocal(id, fmt.Sprintf(":%d", port), urls, events.NoopLogger)
	if err != nil {
		return nil, fmt.Errorf("local discovery: %w", err)
	}
	return &LAN{f: f}, nil
}

// Run announces and listens until ctx ends.
func (l *LAN) Run(ctx context.Context) error {
	if err := l.f.Serve(ctx); err != nil && ctx.Err() == nil {
		return fmt.Errorf("local discovery: %w", err)
	}
	return nil
}

// Lookup returns the host:port addresses where dev was heard on the LAN in
// the last 90 seconds (none when it was not).
func (l *LAN) Lookup(ctx context.Context, dev protocol.DeviceID) ([]string, error) {
	urls, err := l.f.Lookup(ctx, dev)
	if err != nil {
		return nil, fmt.Errorf("local discovery of %s: %w", dev.Short(), err)
	}
	var out []string
	for _, s := range urls {
		u, err := url.Parse(s)
		if err != nil || !strings.HasPrefix(u.Scheme, "tcp") || u.Host == "" {
			continue // relay and QUIC addresses: not for cunjing's BEP
		}
		out = append(out, u.Host)
	}
	return out, nil
}

// Error is the beacon's last error (nil while it sends and receives).
func (l *LAN) Error() error { return l.f.Error() }
