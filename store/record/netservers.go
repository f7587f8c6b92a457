package record

import (
	"fmt"
	"strings"
)

// Kinds of NetServer.
const (
	ServerDiscovery = "discovery" // stdiscosrv: https://host:8443/?id=…
	ServerRelay     = "relay"     // strelaysrv: relay://host:22067/?id=…
)

// maxServerURL bounds a published server URL.
const maxServerURL = 500

// NetServer is a Syncthing server a station publishes to its posts: its
// county's global discovery server or relay. A post uses them beside the
// ones set on the post itself (sync/bep checks the URL's form).
type NetServer struct {
	Meta
	Kind string `db:"kind"`
	URL  string `db:"url"`
}

func (*NetServer) Table() string { return "net_servers" }

func (n *NetServer) Validate() error {
	n.URL = strings.TrimSpace(n.URL)
	if n.Kind != ServerDiscovery && n.Kind != ServerRelay {
		return fieldErr("net_servers", "kind", n.Kind, "must be discovery or relay")
	}
	if n.URL == "" || len(n.URL) > maxServerURL || strings.ContainsAny(n.URL, " \t\r\n") {
		return fieldErr("net_servers", "url", n.URL, fmt.Sprintf("must be one URL of at most %d characters", maxServerURL))
	}
	return nil
}
