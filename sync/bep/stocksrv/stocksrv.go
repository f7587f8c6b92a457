// Package stocksrv runs the stock Syncthing servers Debian packages —
// syncthing-discosrv's stdiscosrv and syncthing-relaysrv's strelaysrv — for
// tests of cunjing's own BEP connections against them. It is test support:
// nothing in the program imports it.
//
// A discovery server drops loopback addresses from announcements, so the
// servers and the devices under test listen on this machine's own
// non-loopback address (HostIP).
package stocksrv

import (
	"bufio"
	"io"
	"net"
	"os/exec"
	"regexp"
	"testing"
	"time"
)

// HostIP is a non-loopback IPv4 address of this machine; the test is
// skipped when it has none.
func HostIP(t testing.TB) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skipf("no network interfaces: %v", err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	t.Skip("this machine has no non-loopback IPv4 address, which a discovery server needs")
	return ""
}

// FreeAddr is ip:port with a TCP port nobody uses now.
func FreeAddr(t testing.TB, ip string) string {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Server is a running stock server; it is killed when the test ends.
type Server struct {
	// URL is the server's address in Syncthing's form, pinned to its
	// certificate: https://ip:port/?id=… or relay://ip:port/?id=….
	URL  string
	Addr string
	cmd  *exec.Cmd
	done chan struct{}
}

// Stop kills the server and waits for it (again: nothing).
func (s *Server) Stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// start runs bin with args in dir and waits until its output matches idRe
// (whose first group is the server's device ID) and addr accepts TCP.
func start(t testing.TB, bin, pkg, dir string, args []string, idRe *regexp.Regexp, addr string, url func(id string) string) *Server {
	t.Helper()
	path, err := exec.LookPath(bin)
	if err != nil {
		t.Skipf("%s is not installed (apt install %s; make test installs it)", bin, pkg)
	}
	cmd := exec.Command(path, args...)
	cmd.Dir = dir
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &Server{cmd: cmd, Addr: addr, done: make(chan struct{})}
	ids := make(chan string, 1)
	go func() {
		defer close(s.done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := idRe.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case ids <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, out)
		_ = cmd.Wait()
	}()
	t.Cleanup(s.Stop)
	select {
	case id := <-ids:
		s.URL = url(id)
	case <-time.After(30 * time.Second):
		t.Fatalf("%s printed no device ID in 30 s", bin)
	}
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		if i == 100 {
			t.Fatalf("%s does not listen on %s: %v", bin, addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

// Discovery runs a stdiscosrv on ip with a fresh key and database.
func Discovery(t testing.TB, ip string) *Server {
	t.Helper()
	addr := FreeAddr(t, ip)
	return start(t, "stdiscosrv", "syncthing-discosrv", t.TempDir(),
		[]string{"-listen", addr, "-cert", "cert.pem", "-key", "key.pem", "-db-dir", "db", "-replication-listen", ""},
		regexp.MustCompile(`Server device ID is ([A-Z0-9-]+)`), addr,
		func(id string) string { return "https://" + addr + "/?id=" + id })
}

// Relay runs a private strelaysrv (no public pool, no status server) on
// addr keeping its key in keys, so a relay started again on the same addr
// and keys has the same ID and URL.
func Relay(t testing.TB, addr, keys string) *Server {
	t.Helper()
	return start(t, "strelaysrv", "syncthing-relaysrv", keys,
		[]string{"-listen", addr, "-pools", "", "-status-srv", "", "-keys", keys},
		regexp.MustCompile(`URI: relay://[^/]+/\?id=([A-Z0-9-]+)`), addr,
		func(id string) string { return "relay://" + addr + "/?id=" + id })
}
