package bep

import (
	"context"
	"net"
	"testing"
	"time"

	"cunjing/sync/synctest"

	"github.com/syncthing/syncthing/lib/protocol"
)

// freeUDPPort is a UDP port nobody uses now (the test's own broadcast
// port, so it neither hears nor disturbs a Syncthing on 21027).
func freeUDPPort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no UDP in this sandbox: %v", err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// TestLANFindsStation: two local discovery clients (a station announcing
// its listen port, a post announcing nothing) on one broadcast port in one
// process: the post resolves the station's device ID to host:port. Skipped
// with the beacon's error when this machine cannot broadcast.
func TestLANFindsStation(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	port := freeUDPPort(t)
	stationID := protocol.NewDeviceID([]byte("station"))
	postID := protocol.NewDeviceID([]byte("post"))
	station, err := NewLAN(stationID, port, []string{":22100"})
	if err != nil {
		t.Fatal(err)
	}
	post, err := NewLAN(postID, port, []string{":22101"})
	if err != nil {
		t.Fatal(err)
	}
	// lib/beacon binds the broadcast port without SO_REUSEADDR, so of two
	// clients in one process only one hears: the post starts first and
	// holds the port; the station's reader then fails (and retries), its
	// sender broadcasts to the post.
	done := make(chan error, 2)
	go func() { done <- post.Run(ctx) }()
	defer func() { cancel(); <-done; <-done }()
	for ctx.Err() == nil && !synctest.UDPBound(port) {
		time.Sleep(20 * time.Millisecond)
	}
	go func() { done <- station.Run(ctx) }()
	var addrs []string
	for ctx.Err() == nil {
		if addrs, err = post.Lookup(ctx, stationID); err != nil {
			t.Fatal(err)
		}
		if len(addrs) > 0 {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
	if len(addrs) == 0 {
		if berr := post.Error(); berr != nil {
			t.Skipf("broadcast does not work here: %v", berr)
		}
		t.Fatal("the post did not hear the station in 20 s")
	}
	host, p, err := net.SplitHostPort(addrs[0])
	if err != nil || p != "22100" || net.ParseIP(host) == nil || net.ParseIP(host).IsUnspecified() {
		t.Fatalf("station found at %v, want <its IP>:22100", addrs)
	}
	if got, _ := post.Lookup(ctx, protocol.NewDeviceID([]byte("nobody"))); len(got) != 0 {
		t.Fatalf("an unknown device resolved to %v", got)
	}
}
