package gate

import (
	"net"
	"slices"
	"sync/atomic"
	"testing"
)

// conn is a connection that knows whether it was closed.
type conn struct {
	net.Conn
	closed atomic.Bool
}

func (c *conn) Close() error { c.closed.Store(true); return nil }

// A full gate closes the connection held longest for a newcomer; a slot
// let go (Done, any number of times, or an evicted one's) frees no other.
func TestGateEvictsTheLongestHeld(t *testing.T) {
	g := New(2, 2)
	src := Source{Group: "a", Name: "a"}
	cs := make([]*conn, 4)
	ts := make([]*Ticket, 4)
	for i := range cs {
		cs[i] = &conn{}
	}
	steps := []struct {
		name    string
		do      func()
		held    int
		closed  []bool
		evicted int64
	}{
		{"two admitted", func() { ts[0], _ = g.Admit(src, cs[0]); ts[1], _ = g.Admit(src, cs[1]) }, 2, []bool{false, false, false, false}, 0},
		{"a third evicts the first", func() { ts[2], _ = g.Admit(src, cs[2]) }, 2, []bool{true, false, false, false}, 1},
		{"the evicted one's Done frees nothing", func() { ts[0].Done() }, 2, []bool{true, false, false, false}, 1},
		{"the second done", func() { ts[1].Done(); ts[1].Done() }, 1, []bool{true, false, false, false}, 1},
		{"a fourth fits", func() { ts[3], _ = g.Admit(src, cs[3]) }, 2, []bool{true, false, false, false}, 1},
		{"all done", func() { ts[2].Done(); ts[3].Done() }, 0, []bool{true, false, false, false}, 1},
	}
	for _, st := range steps {
		st.do()
		if g.Held() != st.held || g.Evicted() != st.evicted {
			t.Errorf("%s: held %d, evicted %d; want %d, %d", st.name, g.Held(), g.Evicted(), st.held, st.evicted)
		}
		for i, want := range st.closed {
			if cs[i].closed.Load() != want {
				t.Errorf("%s: connection %d closed %v, want %v", st.name, i, cs[i].closed.Load(), want)
			}
		}
	}
}

// The bounds by source: one source holds at most PerSource, its newcomer
// closing its own oldest; a full gate closes a slot of the group holding
// the most (of its source holding the most), the longest held among
// equals, never a lone newcomer's for a flood. Each step admits one
// connection; closed is which of those admitted so far were closed.
func TestGateBoundsBySource(t *testing.T) {
	a, b, c := Source{"10.0.0.1", "10.0.0.1"}, Source{"10.0.0.2", "10.0.0.2"}, Source{"10.0.0.3", "10.0.0.3"}
	r1, r2 := Relayed("relay:22067", "P1"), Relayed("relay:22067", "P2")
	tests := []struct {
		name   string
		max    int
		per    int
		admit  []Source
		closed []int // indexes into admit
	}{
		{"one source holds at most per", 8, 2, []Source{a, a, a, a}, []int{0, 1}},
		{"a flood does not close a lone post's", 4, 2, []Source{b, a, a, a, a, a}, []int{1, 2, 3}},
		{"full: the group holding the most gives", 4, 3, []Source{a, b, b, c, a}, []int{1}},
		{"full, equals: the longest held gives", 3, 3, []Source{a, b, c, c}, []int{0}},
		{"relayed: each device its own source, the relay one group", 4, 2, []Source{r1, r1, r1, r2, a, b}, []int{0, 1}},
		{"relayed: the relay's group gives first", 4, 4, []Source{a, r1, r2, r1, b}, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := New(tt.max, tt.per)
			cs := make([]*conn, len(tt.admit))
			for i, src := range tt.admit {
				cs[i] = &conn{}
				g.Admit(src, cs[i])
			}
			var closed []int
			for i, c := range cs {
				if c.closed.Load() {
					closed = append(closed, i)
				}
			}
			if !slices.Equal(closed, tt.closed) {
				t.Errorf("closed %v, want %v", closed, tt.closed)
			}
			if g.Held() != len(cs)-len(closed) || g.Evicted() != int64(len(closed)) {
				t.Errorf("held %d, evicted %d; want %d, %d", g.Held(), g.Evicted(), len(cs)-len(closed), len(closed))
			}
		})
	}
}

// The source of a direct connection: an IPv4 address, or an IPv6 /64 (an
// attacker on one line holds all of it).
func TestDirect(t *testing.T) {
	tests := []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 5}, "192.0.2.7"},
		{&net.TCPAddr{IP: net.ParseIP("::ffff:192.0.2.7"), Port: 5}, "192.0.2.7"},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:3:4:5:6"), Port: 5}, "2001:db8:1:2::/64"},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:ffff::1"), Port: 9}, "2001:db8:1:2::/64"},
		{&net.UnixAddr{Name: "@x", Net: "unix"}, "@x"},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := Direct(tt.addr); got.Name != tt.want || got.Group != tt.want {
			t.Errorf("Direct(%v) = %+v, want %q", tt.addr, got, tt.want)
		}
	}
}
