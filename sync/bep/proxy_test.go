package bep

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"
	"github.com/syncthing/syncthing/lib/tlsutil"

	"cunjing/sync/bep/relayaccept"
	"cunjing/sync/bep/servers"
)

// proxyTestEnv names, in the child process of TestDialThroughProxy, the
// relay it joins, the discovery server it asks and the address it dials
// (separated by spaces).
const proxyTestEnv = "CUNJING_TEST_PROXY_DIALS"

// TestDialThroughProxy: a device behind a proxy (ALL_PROXY, as
// Syncthing's lib/dialer reads it) asked relays for sessions and joined
// them through it (lib/relay/client, relayjoin), and announced through it
// (lib/discover), but joined a relay itself (relayaccept's own client of
// the relay protocol), looked peers up (servers.Finder, HTTPS_PROXY
// only) and dialled their addresses past it: where only the proxy leads
// out, a station never joined its relay. Now all through it. lib/dialer
// reads ALL_PROXY once per process, so the dialling runs in a child
// process of this test with it set.
func TestDialThroughProxy(t *testing.T) {
	if env := os.Getenv(proxyTestEnv); env != "" {
		proxyChild(t, strings.Fields(env))
		return
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	relay := newHostileRelay(t, ctx)
	disco := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"addresses":["tcp://192.0.2.1:22000"]}`)
	}))
	t.Cleanup(disco.Close)
	direct, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { direct.Close() })
	go func() {
		for {
			c, err := direct.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	proxy, asked := socksProxy(t, ctx)
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestDialThroughProxy$", "-test.count=1")
	cmd.Env = append(os.Environ(), proxyTestEnv+"="+relay.url+" "+disco.URL+" "+direct.Addr().String(),
		"ALL_PROXY=socks5://"+proxy, "ALL_PROXY_NO_FALLBACK=1", "NO_PROXY=", "no_proxy=", "HTTPS_PROXY=", "https_proxy=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("behind the proxy: %v\n%s", err, out)
	}
	ru, _ := url.Parse(relay.url)
	du, _ := url.Parse(disco.URL)
	want := map[string]string{ru.Host: "joined the relay", du.Host: "asked the discovery server", direct.Addr().String(): "dialled a peer"}
	for range 3 {
		select {
		case got := <-asked:
			delete(want, got)
		default:
		}
	}
	for addr, what := range want {
		t.Errorf("%s (%s) past the proxy", what, addr)
	}
}

// proxyChild joins relay, looks a device up at disco and dials direct
// with the ALL_PROXY of its environment.
func proxyChild(t *testing.T, args []string) {
	if len(args) != 3 {
		t.Fatalf("%s: %q", proxyTestEnv, args)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := dialTCP(ctx, args[2])
	if err != nil {
		t.Fatalf("dial %s: %v", args[2], err)
	}
	c.Close()
	f, err := servers.NewFinder(args[1] + "/?insecure")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Lookup(ctx, protocol.LocalDeviceID); err != nil {
		t.Fatalf("look up at %s: %v", args[1], err)
	}
	ru, err := url.Parse(args[0])
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tlsutil.NewCertificateInMemory("station", 1)
	if err != nil {
		t.Fatal(err)
	}
	jctx, joined := context.WithCancel(ctx)
	acc := relayaccept.New(relayaccept.Host{Log: slog.New(slog.DiscardHandler),
		MayAsk:   func(context.Context, protocol.DeviceID) (bool, bool) { return false, false },
		SetReach: func(string, func() error) {},
		Joined: func(_ *url.URL, on bool) {
			if on {
				joined()
			}
		}})
	acc.Keep(jctx, ru, []tls.Certificate{cert})
	if ctx.Err() != nil {
		t.Fatal("not joined to the relay")
	}
}

// socksProxy is a SOCKS5 proxy (no authentication, CONNECT only) that
// sends the address each connection asks for on asked, then carries it.
func socksProxy(t *testing.T, ctx context.Context) (addr string, asked chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	asked = make(chan string, 8)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				target, err := socksConnect(c)
				if err != nil {
					return
				}
				asked <- target
				var d net.Dialer
				up, err := d.DialContext(ctx, "tcp", target)
				if err != nil {
					return
				}
				defer up.Close()
				if _, err := c.Write([]byte{5, 0, 0, 1, 0, 0, 0, 0, 0, 0}); err != nil {
					return
				}
				go func() { _, _ = io.Copy(up, c) }()
				_, _ = io.Copy(c, up)
			}()
		}
	}()
	return ln.Addr().String(), asked
}

// socksConnect reads a SOCKS5 greeting and CONNECT request and returns
// the host:port asked for.
func socksConnect(c net.Conn) (string, error) {
	b := make([]byte, 2)
	if _, err := io.ReadFull(c, b); err != nil {
		return "", err
	}
	if _, err := io.ReadFull(c, make([]byte, b[1])); err != nil { // methods
		return "", err
	}
	if _, err := c.Write([]byte{5, 0}); err != nil {
		return "", err
	}
	h := make([]byte, 4) // VER CMD RSV ATYP
	if _, err := io.ReadFull(c, h); err != nil {
		return "", err
	}
	var host string
	switch h[3] {
	case 1, 4:
		ip := make([]byte, map[byte]int{1: 4, 4: 16}[h[3]])
		if _, err := io.ReadFull(c, ip); err != nil {
			return "", err
		}
		host = net.IP(ip).String()
	case 3:
		n := make([]byte, 1)
		if _, err := io.ReadFull(c, n); err != nil {
			return "", err
		}
		name := make([]byte, n[0])
		if _, err := io.ReadFull(c, name); err != nil {
			return "", err
		}
		host = string(name)
	default:
		return "", io.ErrUnexpectedEOF
	}
	p := make([]byte, 2)
	if _, err := io.ReadFull(c, p); err != nil {
		return "", err
	}
	return net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(p)))), nil
}
