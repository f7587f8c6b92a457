package bep

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net"
	gosync "sync"
	"testing"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"

	"cunjing/store"
	cjsync "cunjing/sync"
	"cunjing/sync/bep/hello"
)

// dialAs completes a TLS handshake with the node at addr as device e
// (its certificate), nothing sent after it.
func dialAs(t *testing.T, ctx context.Context, e *cjsync.Engine, addr string) *tls.Conn {
	t.Helper()
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	tc := tls.Client(raw, &tls.Config{Certificates: []tls.Certificate{e.Identity().Cert}, NextProtos: []string{"bep/1.0"},
		InsecureSkipVerify: true, MinVersion: tls.VersionTLS13})
	if err := tc.HandshakeContext(ctx); err != nil {
		raw.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { tc.Close() })
	return tc
}

// heldFor reads c until the other end closes it (what it sent is
// returned) and says how long that took in ticks of tick, counted without
// the wall clock; it gives up after limit.
func heldFor(c io.Reader, tick, limit time.Duration) (got []byte, held time.Duration, closed bool) {
	done := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(c, 1<<20))
		done <- b
	}()
	tk := time.NewTicker(tick)
	defer tk.Stop()
	for n := time.Duration(0); ; n++ {
		select {
		case b := <-done:
			return b, n * tick, true
		case <-tk.C:
			if n*tick >= limit {
				return nil, n * tick, false
			}
		}
	}
}

// Field event: a station restored from a backup made before it paired its
// posts held each post's connection 10 s waiting for its hello, then 5 s
// for the post to read the Close saying it is not paired here (15 s a
// dial, a slot and a goroutine each). Once the TLS handshake has named
// the device (its certificate) the station knows it does not know it: it
// now tells it, and closes, within strangerWait (2 s). Measured here on
// loopback: a silent stranger was held 10 s, now 2 s; one that greets and
// never hangs up 5 s, now 2 s. The post still hears why
// (TestRestoredStationSaysItForgotThePost).
func TestStrangerLetGoQuickly(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	station := device(t, store.RoleStation, "S")
	stranger := device(t, store.RolePost, "X")
	addr := listen(t, ctx, station, Config{})
	const limit = 4 * time.Second // strangerWaitDefault is 2 s; before, 10 s and 5 s
	for _, c := range []struct {
		name  string
		greet bool
	}{
		{"silent after the handshake", false},
		{"greets and never hangs up", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			tc := dialAs(t, ctx, stranger, addr)
			if c.greet {
				if _, err := protocol.ExchangeHello(tc, protocol.Hello{DeviceName: "X", ClientName: "cunjing", ClientVersion: hello.ClientVersion, Timestamp: 1}); err != nil {
					t.Fatalf("the station's hello: %v", err)
				}
			}
			got, held, closed := heldFor(tc, 50*time.Millisecond, limit)
			if !closed {
				t.Fatalf("the station still held a device not paired here %v after the handshake", held)
			}
			t.Logf("held %v", held)
			if c.greet && !bytes.Contains(got, []byte(hello.NotPairedReason)) {
				t.Errorf("the device was not told it is not paired here: %q", got)
			}
		})
	}
}

// A flood of devices not paired here (or one dialling again and again)
// holds at most maxStrangers slots, each for at most strangerWait: past
// the bound a stranger is closed at once. Before, every one was held 10 s,
// all at once. A paired post syncs all the while, and a paired device's
// slow link still has its 20 s to say hello.
func TestStrangerFloodBounded(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	post := device(t, store.RolePost, "P")
	station := device(t, store.RoleStation, "S")
	const bound, flood = 2, 8
	addr := listen(t, ctx, station, Config{maxStrangers: bound, strangerWait: 3 * time.Second})
	peer := pairAt(t, post, station, addr)
	strangers := make([]*cjsync.Engine, flood)
	for i := range strangers {
		strangers[i] = device(t, store.RolePost, "X")
	}
	conns := make([]*tls.Conn, flood)
	var wg gosync.WaitGroup
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conns[i] = dialAs(t, ctx, strangers[i], addr)
		}()
	}
	wg.Wait()
	held := make([]time.Duration, flood)
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, held[i], _ = heldFor(c, 50*time.Millisecond, 15*time.Second)
		}()
	}
	if r, err := NewNode(post, Config{}).SyncOnce(ctx, peer); err != nil || !r.Complete {
		t.Errorf("a paired post during the flood: %+v, %v", r, err)
	}
	wg.Wait()
	long := 0
	for _, h := range held {
		if h >= 1500*time.Millisecond {
			long++
		}
	}
	if long > bound {
		t.Errorf("%d of %d strangers held 1.5 s or more, want at most %d: %v", long, flood, bound, held)
	}

	// The paired post's slow link: its hello 4 s after the handshake
	// (past any stranger's wait) still gets the station's.
	tc := dialAs(t, ctx, post, addr)
	time.Sleep(4 * time.Second)
	if _, err := protocol.ExchangeHello(tc, protocol.Hello{DeviceName: "P", ClientName: "cunjing", ClientVersion: hello.ClientVersion, Timestamp: 1}); err != nil {
		t.Fatalf("a paired device's hello 4 s after the handshake: %v", err)
	}
}
