// Package synconce is "sync once": pack the changes not yet packed into
// changesets, then exchange with every paired device that can be dialled.
// `cunjing sync --once` and 同步's 立即同步 both do it through here.
package synconce

import (
	"context"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store"
	"cunjing/store/syncbook"
	cjsync "cunjing/sync"
	"cunjing/sync/bep"
	"cunjing/sync/bep/servers"
)

// Session is one dialled peer's exchange.
type Session struct {
	Peer   syncbook.Peer
	Result bep.Result // what the session did (as far as it got)
	Err    error      // why it failed; nil when it ran (see Result.Complete)
	// LAN: the peer had no address and was found on the local network.
	LAN bool
}

// Done reports whether the session ended with both sides holding
// everything.
func (s Session) Done() bool { return s.Err == nil && s.Result.Complete }

// Report is what a sync once did.
type Report struct {
	Cut cjsync.CutResult
	// Sessions are the peers with an address (or, with servers set, every
	// peer), in the store's order; a peer without one dials us and is not
	// among them.
	Sessions []Session
	// BadServers are server URLs a station published that this version
	// does not accept (left out).
	BadServers []string
}

// Run cuts and then syncs with each paired peer that has an address,
// giving each at most timeout. A failed cut or peer list is an error; a
// failed session is in its Session.
func Run(ctx context.Context, e *cjsync.Engine, timeout time.Duration) (Report, error) {
	return RunLAN(ctx, e, timeout, nil, 0)
}

// RunLAN is Run that also dials the peers (and short pairings) without an
// address where lan hears them, listening up to lanWait for them (a
// station announces itself every 30 s). lan must be running.
func RunLAN(ctx context.Context, e *cjsync.Engine, timeout time.Duration, lan *bep.LAN, lanWait time.Duration) (Report, error) {
	var rep Report
	var err error
	if rep.Cut, err = e.Cut(ctx); err != nil {
		return rep, err
	}
	peers, err := e.Book().Peers(ctx, false)
	if err != nil {
		return rep, err
	}
	srv, bad, err := servers.Of(ctx, e.Store())
	if err != nil {
		return rep, err
	}
	rep.BadServers = bad
	node := bep.NewNode(e, bep.Config{LAN: lan, Servers: srv})
	// With discovery servers or relays set, a post may still find a
	// station that has no address through them (a station its county);
	// nobody dials the ones below (they dial it), as bep.Node.Run. A
	// short pairing's role is not known before it connects: a county
	// has none to dial.
	me := e.Store().Role()
	viaServers := !srv.Empty() && me != store.RoleCounty
	findable := func(p syncbook.Peer) bool { return !srv.Empty() && store.Above(p.Role, me) }
	// Short codes typed in here pair on their first connection, which
	// then syncs like any other.
	pending, err := e.ShortCodes().Pending(ctx)
	if err != nil {
		return rep, err
	}
	found := map[string][]string{}
	if lan != nil {
		var missing []string
		for _, p := range peers {
			if len(p.Addresses) == 0 {
				missing = append(missing, p.DeviceID)
			}
		}
		for _, sp := range pending {
			if len(sp.Addresses) == 0 {
				missing = append(missing, sp.DeviceID)
			}
		}
		found = lanFind(ctx, lan, missing, lanWait)
		for i, p := range peers {
			if len(p.Addresses) == 0 {
				peers[i].Addresses = found[p.DeviceID]
			}
		}
		for i, sp := range pending {
			if len(sp.Addresses) == 0 {
				pending[i].Addresses = found[sp.DeviceID]
			}
		}
	}
	paired := map[string]bool{}
	for _, sp := range pending {
		if len(sp.Addresses) == 0 && !viaServers {
			continue // no address known yet
		}
		p := syncbook.Peer{DeviceID: sp.DeviceID, Name: sp.DeviceID[:7], Addresses: sp.Addresses}
		pctx, cancel := context.WithTimeout(ctx, timeout)
		r, err := node.SyncOnce(pctx, p)
		cancel()
		if got, gerr := e.Book().Peer(ctx, sp.DeviceID); gerr == nil {
			p = got
		}
		paired[sp.DeviceID] = true
		rep.Sessions = append(rep.Sessions, Session{Peer: p, Result: r, Err: err, LAN: len(found[sp.DeviceID]) > 0})
	}
	for _, p := range peers {
		if (len(p.Addresses) == 0 && !findable(p)) || paired[p.DeviceID] {
			continue // it dials us, or it just did
		}
		pctx, cancel := context.WithTimeout(ctx, timeout)
		r, err := node.SyncOnce(pctx, p)
		cancel()
		rep.Sessions = append(rep.Sessions, Session{Peer: p, Result: r, Err: err, LAN: len(found[p.DeviceID]) > 0})
	}
	return rep, nil
}

// lanFind listens on the LAN until every device in ids is heard or wait
// (or ctx) ends, and returns the addresses of those heard.
func lanFind(ctx context.Context, lan *bep.LAN, ids []string, wait time.Duration) map[string][]string {
	found := map[string][]string{}
	if len(ids) == 0 {
		return found
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		for _, id := range ids {
			if len(found[id]) > 0 {
				continue
			}
			dev, err := protocol.DeviceIDFromString(id)
			if err != nil {
				continue
			}
			if a, err := lan.Lookup(wctx, dev); err == nil && len(a) > 0 {
				found[id] = a
			}
		}
		if len(found) == len(ids) {
			return found
		}
		select {
		case <-wctx.Done():
			return found
		case <-tick.C:
		}
	}
}
