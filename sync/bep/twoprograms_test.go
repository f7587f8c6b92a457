package bep

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/store/clock/clocktest"
	cjsync "cunjing/sync"
)

// The window's node holds its post's link to the station while
// `cunjing sync --once` runs on the same database: two programs, one
// device. The station used to take the second connection for the first
// one come back, retire the window's session, and the window's node,
// dialling again, retired the command's: sync --once could end
// incomplete. Now the programs on one database take turns at a link (a
// lock beside the database): the command asks, the window's held session
// yields and waits, every command run is complete, the station retires
// nothing, and the window holds its link again afterwards.
func TestWindowAndCommandOnOnePost(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	peer := pairAt(t, post, station, ln.Addr().String())
	stationNode := NewNode(station, Config{})
	windowNode := NewNode(post, Config{})
	done := make(chan struct{}, 2)
	go func() { _ = stationNode.Run(ctx, ln, time.Hour, nil); done <- struct{}{} }()
	go func() { _ = windowNode.Run(ctx, nil, time.Hour, nil); done <- struct{}{} }()
	t.Cleanup(func() { cancel(); <-done; <-done })
	held := func() error {
		if !windowNode.connected(peer.DeviceID) {
			return fmt.Errorf("the window holds no link")
		}
		return nil
	}
	if err := waitFor(ctx, held); err != nil {
		t.Fatal(err)
	}

	// `cunjing sync --once`: its own store and engine on the same files.
	st, err := store.Open(ctx, post.Store().Path(), store.Options{Now: clocktest.Ticking(t, 0)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cli, err := cjsync.New(ctx, st, cjsync.Options{Dir: post.Dir()})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := cli.Store().Save(ctx, &store.Village{Name: fmt.Sprintf("第%d村", i+1)}); err != nil {
			t.Fatal(err)
		}
		if _, err := cli.Cut(ctx); err != nil {
			t.Fatal(err)
		}
		octx, ocancel := context.WithTimeout(ctx, 30*time.Second)
		r, err := NewNode(cli, Config{}).SyncOnce(octx, peer)
		ocancel()
		if err != nil || !r.Complete || r.Error != "" {
			t.Fatalf("run %d of sync --once beside the window: complete %v, error %q / %v", i+1, r.Complete, r.Error, err)
		}
	}
	if n := stationNode.retired.Load(); n != 0 {
		t.Errorf("the station retired %d sessions of the post", n)
	}
	if err := waitFor(ctx, held); err != nil {
		t.Fatalf("after the command: %v", err)
	}
}
