// Package linkturn owns how programs on one database take turns at the
// link to a peer.
//
// The window (its node holding the post's link to the station, or 立即同步)
// and `cunjing sync --once` on the same post are the same device to the
// station, which takes a second connection for the first one come back
// and retires the first: the window's node then dialled again and retired
// the command's session, which ended incomplete. So a dialling session
// first takes an OS lock on a file in the database's sync folder,
// .link-<peer>.lock (store/winlock: it dies with the process). A once
// session that finds it taken asks for it (it keeps .link-<peer>.want
// fresh) and waits; a held session (the node's link to the device above)
// that sees the ask ends at once and its node dials again once the lock
// is free. A held dial that finds the lock taken waits its turn without
// backing off. So the station never sees two sessions of one device at
// once, and the command's run is complete or ends saying plainly that
// another program held the link.
package linkturn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"cunjing/store/winlock"
)

// ErrBusy: another program on this database holds the link to the peer
// (a held dial waits its turn).
var ErrBusy = errors.New("another cunjing program on this PC is syncing with this device now")

// ErrYielded ends a held session that another program on this database
// asked to take the link over.
var ErrYielded = errors.New("another cunjing program on this PC takes the link over")

// wantFresh is how recent an ask must be to count: a waiter that died
// leaves a file nobody yields to for long.
const wantFresh = 3 * time.Second

// poll is how often a waiter tries the lock and a holder looks for an
// ask.
const poll = 200 * time.Millisecond

// Lock is this program's turn at the link to one peer.
type Lock struct {
	l    *winlock.Lock
	stop chan struct{}
	// asked is closed when another program asks for the link.
	asked chan struct{}
}

// Peer names the link: the folder the lock files live in (the database's
// sync folder), the peer's device ID, and its name for messages.
type Peer struct {
	Dir, DeviceID, Name string
}

func (p Peer) paths() (lock, want string) {
	base := filepath.Join(p.Dir, ".link-"+p.DeviceID)
	return base + ".lock", base + ".want"
}

// Take takes the link to p for this program. A once session waits for it
// (asking a held session of another program to yield) until ctx ends; a
// held one returns ErrBusy at once.
func Take(ctx context.Context, p Peer, once bool, log *slog.Logger) (*Lock, error) {
	lockPath, want := p.paths()
	waiting := false
	for {
		l, err := winlock.TakeFile(lockPath)
		if err == nil {
			if waiting {
				_ = os.Remove(want) // a stale ask only makes a holder yield once
				log.Info("the other program let go of the link; syncing", "peer", p.Name)
			}
			k := &Lock{l: l, stop: make(chan struct{}), asked: make(chan struct{})}
			go k.watch(want)
			return k, nil
		}
		if !errors.Is(err, winlock.ErrInUse) {
			return nil, fmt.Errorf("sync with %s: lock the link: %w", p.Name, err)
		}
		if !once {
			return nil, ErrBusy
		}
		if !waiting {
			log.Warn("another cunjing program on this PC (the window or cunjing node) is syncing with this device; waiting for it", "peer", p.Name)
			waiting = true
		}
		if err := os.WriteFile(want, nil, 0o600); err != nil {
			return nil, fmt.Errorf("sync with %s: ask for the link: %w", p.Name, err)
		}
		select {
		case <-ctx.Done():
			_ = os.Remove(want) // as above
			return nil, fmt.Errorf("sync with %s: another cunjing program on this PC (the window or cunjing node) was syncing with it all the while; try again when it is done: %w", p.Name, ctx.Err())
		case <-time.After(poll):
		}
	}
}

// Asked is closed when another program on this database asks for the
// link: a held session then ends with ErrYielded.
func (k *Lock) Asked() <-chan struct{} { return k.asked }

// watch closes asked when another program asks for the link.
func (k *Lock) watch(want string) {
	t := time.NewTicker(poll)
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

// Release gives the link up.
func (k *Lock) Release() {
	close(k.stop)
	_ = k.l.Release() // the OS lets go of it with the process anyway
}
