package bep

import (
	"context"
	"net"
	gosync "sync"
	"testing"
	"time"

	"cunjing/store"
	cjsync "cunjing/sync"
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
			if err := post.Store().Save(ctx, &store.Village{Name: "南岗村"}); err != nil {
				t.Fatal(err)
			}
			if err := station.Store().Save(ctx, &store.Notice{Title: "冬防通知"}); err != nil {
				t.Fatal(err)
			}
			for _, e := range []*cjsync.Engine{post, station} {
				if _, err := e.Cut(ctx); err != nil {
					t.Fatal(err)
				}
			}
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
