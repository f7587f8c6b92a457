package synconce

import (
	"context"
	"net"
	"testing"
	"time"

	"cunjing/store"
	"cunjing/sync/bep"
	"cunjing/sync/synctest"
)

// TestRunLANShortPairing: a post has only the station's short code (no
// address); the station listens on loopback and announces itself with
// Syncthing's local discovery on a private broadcast port. Sync once finds
// it on the LAN, pairs over the first connection and exchanges.
func TestRunLANShortPairing(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	pe := synctest.Device(t, store.RolePost, "东河警务室")
	se := synctest.Device(t, store.RoleStation, "城关派出所")
	stn := se.Store()
	sc, _, err := se.ShortCodes().Code(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pe.ShortCodes().Typed(ctx, sc, nil); err != nil {
		t.Fatal(err)
	}

	udp, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no UDP in this sandbox: %v", err)
	}
	port := udp.LocalAddr().(*net.UDPAddr).Port
	udp.Close()
	// Listening on all interfaces: local discovery drops loopback
	// addresses, and the station is heard at the address its broadcast
	// came from.
	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	_, tcpPort, _ := net.SplitHostPort(ln.Addr().String())
	var wg = make(chan error, 3)
	sctx, stop := context.WithCancel(ctx)
	defer func() {
		stop()
		for range 3 {
			<-wg
		}
	}()
	go func() { wg <- bep.NewNode(se, bep.Config{}).Serve(sctx, ln) }()
	// The post's finder binds the broadcast port first (lib/beacon binds
	// it without SO_REUSEADDR: one listener per port and process).
	postLAN, err := bep.NewLAN(pe.Identity().DeviceID, port, nil)
	if err != nil {
		t.Fatal(err)
	}
	go func() { wg <- postLAN.Run(sctx) }()
	for sctx.Err() == nil && !synctest.UDPBound(port) {
		time.Sleep(20 * time.Millisecond)
	}
	// The station announces its port on whatever address it is heard at.
	stationLAN, err := bep.NewLAN(se.Identity().DeviceID, port, []string{":" + tcpPort})
	if err != nil {
		t.Fatal(err)
	}
	go func() { wg <- stationLAN.Run(sctx) }()

	rep, err := RunLAN(ctx, pe, 20*time.Second, postLAN, 15*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sessions) != 1 || rep.Sessions[0].Err != nil || rep.Sessions[0].Peer.Name != "城关派出所" {
		if len(rep.Sessions) == 0 {
			if berr := postLAN.Error(); berr != nil {
				t.Skipf("broadcast does not work here: %v", berr)
			}
		}
		t.Fatalf("sessions: %+v", rep.Sessions)
	}
	if !rep.Sessions[0].LAN {
		t.Error("the session does not say the station was found on the LAN")
	}
	if _, err := stn.SyncBook().Peer(ctx, pe.Self()); err != nil {
		t.Fatalf("the station did not pair the post: %v", err)
	}
}
