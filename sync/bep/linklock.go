package bep

// Programs on one database take turns at the link to a peer. The window
// (its node holding the post's link to the station, or 立即同步) and
// `cunjing sync --once` on the same post are the same device to the
// station, which takes a second connection for the first one come back
// and retires the first: the window's node then dialled again and retired
// the command's session, which ended incomplete. So a dialling session
// first takes an OS lock on a file in the database's sync folder,
// .link-<peer>.lock (store/winlock: it dies with the process). A once
// session that finds it taken asks for it (it keeps .link-<peer>.want
// fresh) and waits; a held session (Node.Run's link to the device above)
// that sees the ask ends at once and its node dials again once the lock
// is free. A held dial that finds the lock taken waits its turn without
// backing off. So the station never sees two sessions of one device at
// once, and the command's run is complete or ends saying plainly that
// another program held the link.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"cunjing/store/syncbook"
	"cunjing/store/winlock"
)

// errLinkBusy: another program on this database holds the link to the
// peer (a held dial waits its turn).
var errLinkBusy = errors.New("another cunjing program on this PC is syncing with this device now")

// errYielded ends a held session that another program on this database
// asked to take the link over.
var errYielded = errors.New("another cunjing program on this PC takes the link over")

// wantFresh is how recent an ask must be to count: a waiter that died
// leaves a file nobody yields to for long.
const wantFresh = 3 * time.Second

// linkPoll is how often a waiter tries the lock and a holder looks for an
// ask.
const linkPoll = 200 * time.Millisecond

type linkLock struct {
	l    *winlock.Lock
	stop chan struct{}
	// asked is closed when another program asks for the link.
	asked chan struct{}
}

func (n *Node) linkPaths(peer string) (lock, want string) {
	base := filepath.Join(n.e.Dir(), ".link-"+peer)
	return base + ".lock", base + ".want"
}

// takeLink takes the link to p for this program. A once session waits
// for it (asking a held session of another program to yield) until ctx
// ends; a held one returns errLinkBusy at once.
func (n *Node) takeLink(ctx context.Context, p syncbook.Peer, once bool) (*linkLock, error) {
	lockPath, want := n.linkPaths(p.DeviceID)
	waiting := false
	for {
		l, err := winlock.TakeFile(lockPath)
		if err == nil {
			if waiting {
				_ = os.Remove(want)
				n.e.Log().Info("the other program let go of the link; syncing", "peer", p.Name)
			}
			k := &linkLock{l: l, stop: make(chan struct{}), asked: make(chan struct{})}
			go k.watch(want)
			return k, nil
		}
		if !errors.Is(err, winlock.ErrInUse) {
			return nil, fmt.Errorf("sync with %s: lock the link: %w", p.Name, err)
		}
		if !once {
			return nil, errLinkBusy
		}
		if !waiting {
			n.e.Log().Warn("another cunjing program on this PC (the window or cunjing node) is syncing with this device; waiting for it", "peer", p.Name)
			waiting = true
		}
		if err := os.WriteFile(want, nil, 0o600); err != nil {
			return nil, fmt.Errorf("sync with %s: ask for the link: %w", p.Name, err)
		}
		select {
		case <-ctx.Done():
			_ = os.Remove(want)
			return nil, fmt.Errorf("sync with %s: another cunjing program on this PC (the window or cunjing node) was syncing with it all the while; try again when it is done: %w", p.Name, ctx.Err())
		case <-time.After(linkPoll):
		}
	}
}

// watch closes asked when another program asks for the link.
func (k *linkLock) watch(want string) {
	t := time.NewTicker(linkPoll)
	defer t.Stop()
	for {
		select {
		case <-k.stop:
			return
		case <-t.C:
		}
		if fi, err := os.Stat(want); err == nil && time.Since(fi.ModTime()).Abs() < wantFresh {
			close(k.asked)
			return
		}
	}
}

func (k *linkLock) release() {
	close(k.stop)
	_ = k.l.Release()
}
