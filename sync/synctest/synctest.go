// Package synctest makes sync devices for tests above sync: a fresh
// device of a role in a temporary folder, two devices paired both ways,
// and a station's changes carried to a post. It is test support: nothing
// in the program imports it.
package synctest

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/store"
	cjsync "cunjing/sync"
)

// Device is a new device (role, name) in a temporary folder, closed when
// the test ends; opt, when given, opens its store (a test clock).
func Device(t testing.TB, role, name string, opt ...store.Options) *cjsync.Engine {
	t.Helper()
	ctx := context.Background()
	var o store.Options
	if len(opt) > 0 {
		o = opt[0]
	}
	st, _, err := cjsync.Init(ctx, filepath.Join(t.TempDir(), "db"), store.Identity{Role: role, Name: name}, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e, err := cjsync.New(ctx, st, cjsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// Pair pairs a and b both ways, each with the other's code (named by its
// profile) and no address.
func Pair(t testing.TB, a, b *cjsync.Engine) {
	t.Helper()
	ctx := context.Background()
	for _, x := range [][2]*cjsync.Engine{{a, b}, {b, a}} {
		var self store.Post
		if err := x[1].Store().Get(ctx, &self, x[1].Self()); err != nil {
			t.Fatal(err)
		}
		c, err := x[1].Identity().Code(self.Name, x[1].Store().Role(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x[0].Pair(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
}

// StationToPost cuts the station's changes and imports its broadcast and
// its stream to the post at the post.
func StationToPost(t testing.TB, stn, post *cjsync.Engine) {
	t.Helper()
	ctx := context.Background()
	if _, err := stn.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{cjsync.StationFolder(stn.Self()), cjsync.PostFolder(post.Self())} {
		if _, err := post.ImportDir(ctx, "test", stn.FolderDir(f), true); err != nil {
			t.Fatal(err)
		}
	}
}

// Up cuts below's changes and imports at above the stream below sends it:
// a post's to its station, a station's up-stream (its own and its posts'
// records) to its county. Nothing may be refused.
func Up(t testing.TB, below, above *cjsync.Engine) {
	t.Helper()
	ctx := context.Background()
	if _, err := below.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	f := cjsync.PostFolder(below.Self())
	if below.Store().Role() == store.RoleStation {
		f = cjsync.UpFolder(below.Self())
	}
	r, err := above.ImportDir(ctx, "test", below.FolderDir(f), true)
	if err != nil {
		t.Fatal(err)
	}
	if r.Refused != 0 || r.Outcomes[cjsync.Rejected] != 0 {
		t.Fatalf("%s refused what %s sent up: %+v", above.Store().Role(), below.Store().Role(), r)
	}
}

// Down cuts above's changes and imports at below what above sends it: a
// county's broadcast to a station; a station's broadcast, relay of its
// county's records and stream to the post, to a post. Nothing may be
// refused.
func Down(t testing.TB, above, below *cjsync.Engine) {
	t.Helper()
	ctx := context.Background()
	if _, err := above.Cut(ctx); err != nil {
		t.Fatal(err)
	}
	fs := []string{cjsync.CountyFolder(above.Self())}
	if above.Store().Role() == store.RoleStation {
		fs = []string{cjsync.StationFolder(above.Self()), cjsync.RelayFolder(above.Self()), cjsync.PostFolder(below.Self())}
	}
	for _, f := range fs {
		r, err := below.ImportDir(ctx, "test", above.FolderDir(f), true)
		if err != nil {
			t.Fatal(err)
		}
		if r.Refused != 0 || r.Outcomes[cjsync.Rejected] != 0 {
			t.Fatalf("%s refused what %s sent down: %+v", below.Store().Role(), above.Store().Role(), r)
		}
	}
}

// UDPBound reports whether some socket has UDP port bound. It reads
// /proc/net/udp where there is one rather than trying to bind the port:
// a probe that binds it for a moment can take it from under the beacon,
// which then waits out its service's back-off (a LAN test once ran out
// of its 40 s that way on a loaded machine).
func UDPBound(port int) bool {
	b, err := os.ReadFile("/proc/net/udp")
	if err != nil {
		c, err := net.ListenUDP("udp4", &net.UDPAddr{Port: port})
		if err != nil {
			return true
		}
		c.Close()
		return false
	}
	want := fmt.Sprintf(":%04X ", port)
	for _, line := range strings.Split(string(b), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) > 1 && strings.HasSuffix(f[1]+" ", want) {
			return true
		}
	}
	return false
}
