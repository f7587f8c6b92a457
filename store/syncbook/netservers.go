package syncbook

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// metaNetServers names the Syncthing discovery and relay servers this
// device uses, in the local meta table (never synced).
const metaNetServers = "net.servers"

// NetServers are Syncthing server URLs: global discovery servers
// (stdiscosrv, https://host:8443/?id=…) and relays (strelaysrv,
// relay://host:22067/?id=…). Empty: LAN and typed addresses only.
type NetServers struct {
	Discovery []string `json:"discovery"`
	Relays    []string `json:"relays"`
}

// NetServers reads the configured servers (none when never set).
func (b *Book) NetServers(ctx context.Context) (NetServers, error) {
	var v string
	err := b.q.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", metaNetServers).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return NetServers{Discovery: []string{}, Relays: []string{}}, nil
	}
	if err != nil {
		return NetServers{}, fmt.Errorf("read network servers: %w", err)
	}
	var n NetServers
	if err := json.Unmarshal([]byte(v), &n); err != nil {
		return NetServers{}, fmt.Errorf("read network servers: %w", err)
	}
	if n.Discovery == nil {
		n.Discovery = []string{}
	}
	if n.Relays == nil {
		n.Relays = []string{}
	}
	return n, nil
}

// SetNetServers replaces the configured servers (the caller checks the
// URLs: sync/bep/servers.Check).
func (b *Book) SetNetServers(ctx context.Context, n NetServers) error {
	if err := b.setMetaJSON(ctx, metaNetServers, n); err != nil {
		return fmt.Errorf("save network servers: %w", err)
	}
	return nil
}
