package bep

import (
	"context"
	"net"
	gosync "sync"
	"testing"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store"
	"cunjing/store/syncbook"
	"cunjing/sync/identity"
)

// TestFolderAliases: between two cunjing devices of v1.2.0 the messages
// name folders by the aliases the cluster configs declared (a request
// ~70 B instead of ~140 B: the folder ID is 71 B); with a peer that says
// an older version both sides name folders by their IDs, as before. Every
// way, the two end complete, holding the same records.
func TestFolderAliases(t *testing.T) {
	const msgRequest = 3
	for _, c := range []struct {
		name                  string
		postSays, stationSays string
		short                 bool
	}{
		{"both new", "", "", true},
		{"old station", "", "v1.1.0", false},
		{"old post", "v1.1.0", "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			post := device(t, store.RolePost, "P")
			station := device(t, store.RoleStation, "S")
			// The largest request each side read.
			var mu gosync.Mutex
			largest := map[string]int{}
			seen := func(who string) func(net.Conn, int, int) {
				return func(_ net.Conn, typ, size int) {
					if typ == msgRequest {
						mu.Lock()
						largest[who] = max(largest[who], size)
						mu.Unlock()
					}
				}
			}
			peer := pairAt(t, post, station, listen(t, ctx, station, Config{clientVersion: c.stationSays, onMessage: seen("station")}))
			newsBothWays(t, ctx, post, station)
			r, err := NewNode(post, Config{clientVersion: c.postSays, onMessage: seen("post")}).SyncOnce(ctx, peer)
			if err != nil || !r.Complete {
				t.Fatalf("sync: %+v %v", r, err)
			}
			if a, b := dump(t, post, ""), dump(t, station, ""); a != b {
				t.Fatalf("post and station differ:\n%s\n---\n%s", a, b)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, who := range []string{"post", "station"} {
				n := largest[who]
				if n == 0 {
					t.Fatalf("the %s read no request", who)
				}
				if short := n < 100; short != c.short {
					t.Errorf("the %s read requests of up to %d B; folders by alias: %v, want %v", who, n, short, c.short)
				}
			}
		})
	}
}

// TestNoteAliases: a peer's cluster config's labels are taken as aliases
// only from a cunjing of v1.2.0 on that is not a carrier, only for the
// folders shared here, and never one that could be a folder ID or that
// two folders declare.
func TestNoteAliases(t *testing.T) {
	cc := &protocol.ClusterConfig{Folders: []protocol.Folder{
		{ID: "cj-post-A", Label: "0"},
		{ID: "cj-station-B", Label: "1"},
		{ID: "cj-relay-B", Label: "cj-x"}, // could be a folder ID
		{ID: "cj-up-B", Label: "2"},
		{ID: "cj-county-C", Label: "2"},     // declared twice
		{ID: "cj-other", Label: "3"},        // not shared here
		{ID: "cj-long", Label: "123456789"}, // too long
		{ID: "cj-none"},
	}}
	mine := map[string]bool{"cj-post-A": true, "cj-station-B": true, "cj-relay-B": true, "cj-up-B": true, "cj-county-C": true, "cj-long": true, "cj-none": true}
	for _, c := range []struct {
		name  string
		short bool
		role  string
		want  map[string]string
	}{
		{"v1.2.0", true, store.RoleStation, map[string]string{"cj-post-A": "0", "cj-station-B": "1"}},
		{"older", false, store.RoleStation, nil},
		{"carrier", true, identity.RoleCarrier, nil},
	} {
		s := &session{short: c.short, peer: syncbook.Peer{Role: c.role}}
		s.noteAliases(cc, mine)
		if len(s.aliasOut) != len(c.want) {
			t.Errorf("%s: aliases %v, want %v", c.name, s.aliasOut, c.want)
			continue
		}
		for f, a := range c.want {
			if s.aliasOut[f] != a || s.wireFolder(f) != a {
				t.Errorf("%s: %s goes by %q, want %q", c.name, f, s.wireFolder(f), a)
			}
		}
		if s.wireFolder("cj-relay-B") != "cj-relay-B" {
			t.Errorf("%s: a folder without an alias goes by %q", c.name, s.wireFolder("cj-relay-B"))
		}
	}
}
