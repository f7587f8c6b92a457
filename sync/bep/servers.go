package bep

import (
	"fmt"
	"net"
	"net/url"

	"github.com/syncthing/syncthing/lib/protocol"
)

// Kinds of Syncthing servers a device can be told to use.
const (
	ServerDiscovery = "discovery" // stdiscosrv: https://host:port/[?id=DEVICE-ID]
	ServerRelay     = "relay"     // strelaysrv: relay://host:port/[?id=DEVICE-ID]
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
