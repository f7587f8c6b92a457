package gate

import (
	"fmt"
	"net"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// conn is a connection that knows whether it was closed.
type conn struct {
	net.Conn
	closed atomic.Bool
}

func (c *conn) Close() error { c.closed.Store(true); return nil }

// closedOf is which of cs were closed.
func closedOf(cs []*conn) []int {
	var closed []int
	for i, c := range cs {
		if c.closed.Load() {
			closed = append(closed, i)
		}
	}
	return closed
}

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
			g := NewWith(tt.max, tt.per, Options{SilentGrace: -1})
			cs := make([]*conn, len(tt.admit))
			for i, src := range tt.admit {
				cs[i] = &conn{}
				tk, _ := g.Admit(src, cs[i])
				tk.Reading() // (silent while read)
			}
			closed := closedOf(cs)
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

// clock is a test's clock for a gate's grace.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// op is a step of TestGateStages: admit a connection from src (its index
// is the count of admits before), or mark connection i (talk, stranger,
// paired to dev), or let it go (done), or move the clock on by wait.
type op struct {
	admit    *Source
	talk     int
	stranger int
	pair     string
	done     bool
	wait     time.Duration
	talks    bool // admit: and it talks at once
}

func admit(s Source) op         { return op{admit: &s, talk: -1, stranger: -1} }
func post(s Source) op          { return op{admit: &s, talk: -1, stranger: -1, talks: true} }
func stranger(i int) op         { return op{talk: -1, stranger: i} }
func pair(i int, dev string) op { return op{talk: i, stranger: -1, pair: dev} }
func done(i int) op             { return op{talk: i, stranger: -1, done: true} }
func wait(d time.Duration) op   { return op{talk: -1, stranger: -1, wait: d} }
func many(n int, f func(int) op) []op {
	var ops []op
	for i := range n {
		ops = append(ops, f(i))
	}
	return ops
}

// How far a connection has come decides what a newcomer may close: a
// connection talking TLS counts against its source only past the grace
// (posts behind one carrier NAT, at work on their handshakes at once), a
// silent one goes before any talking one when the gate is full (a flood
// from many addresses that does not talk TLS closes none under way), and
// one named paired leaves the bounds of address and gate for those of
// its device. Before, the fifth of five posts of one address closed the
// first's handshake, and a flood closed the talking post's.
func TestGateStages(t *testing.T) {
	a, b := Source{"10.0.0.1", "10.0.0.1"}, Source{"10.0.0.2", "10.0.0.2"}
	flood := func(i int) op { s := fmt.Sprintf("10.1.0.%d", i); return admit(Source{s, s}) }
	seq := func(parts ...[]op) []op { return slices.Concat(parts...) }
	tests := []struct {
		name     string
		max, per int
		ops      []op
		closed   []int // of the connections admitted, in order
		unnamed  int
		counted  int // a's
	}{
		{"five posts of one address talking at once", 8, 2,
			many(5, func(int) op { return post(a) }), nil, 5, 0},
		{"talking past the grace counts", 8, 2,
			seq(many(3, func(int) op { return post(a) }), []op{wait(3 * time.Second), admit(a)}), []int{0, 1}, 2, 2},
		{"an address's silent flood closes its own silent, not its posts talking", 8, 2,
			seq(many(4, func(int) op { return post(a) }), many(6, func(int) op { return admit(a) })), []int{4, 5, 6, 7}, 6, 2},
		{"a silent flood from many addresses closes none talking", 4, 2,
			seq([]op{post(a), post(a), post(b)}, many(10, flood)), []int{3, 4, 5, 6, 7, 8, 9, 10, 11}, 4, 0},
		{"full of talking: the longest held gives (a NAT's posts make no flood)", 3, 3,
			[]op{post(a), post(b), post(b), admit(a)}, []int{0}, 3, 1},
		{"full: of those read and silent, the group holding the most gives", 4, 4,
			[]op{post(a), post(a), admit(b), admit(a), admit(b)}, []int{2}, 4, 1},
		{"a stranger counts at once", 8, 2,
			[]op{post(a), stranger(0), admit(a), admit(a)}, []int{1}, 2, 2},
		{"named paired: out of the address's and the gate's bounds", 2, 1,
			[]op{post(a), pair(0, "P"), admit(a), admit(a), admit(b)}, []int{1}, 2, 1},
		{"named paired: at most two of one device", 8, 8,
			seq(many(3, func(i int) op { return admit(a) }), many(3, func(i int) op { return pair(i, "P") })), []int{0}, 0, 0},
		{"named paired, done: frees its device's place", 8, 8,
			seq(many(3, func(i int) op { return admit(a) }), []op{pair(0, "P"), pair(1, "P"), done(0), pair(2, "P")}), nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
			g := NewWith(tt.max, tt.per, Options{Now: clk.now, SilentWait: time.Hour, SilentGrace: -1})
			var cs []*conn
			var ts []*Ticket
			for _, o := range tt.ops {
				switch {
				case o.admit != nil:
					c := &conn{}
					tk, _ := g.Admit(*o.admit, c)
					cs, ts = append(cs, c), append(ts, tk)
					tk.Reading()
					if o.talks {
						tk.Talking()
					}
				case o.wait > 0:
					clk.t = clk.t.Add(o.wait)
				case o.done:
					ts[o.talk].Done()
				case o.pair != "":
					ts[o.talk].Paired(o.pair)
				case o.stranger >= 0:
					ts[o.stranger].Stranger()
				default:
					ts[o.talk].Talking()
				}
			}
			closed := closedOf(cs)
			if !slices.Equal(closed, tt.closed) {
				t.Errorf("closed %v, want %v", closed, tt.closed)
			}
			if u, k := g.Unnamed(), g.CountedBy(a); u != tt.unnamed || k != tt.counted {
				t.Errorf("%d not named paired, %d of a counted; want %d, %d", u, k, tt.unnamed, tt.counted)
			}
			for _, tk := range ts {
				tk.Done()
			}
			if h := g.Held(); h != 0 {
				t.Errorf("%d held after all done", h)
			}
		})
	}
}

// A connection read and silent SilentWait is closed; one that talked is
// not.
func TestGateSilentWait(t *testing.T) {
	g := NewWith(8, 8, Options{SilentWait: 20 * time.Millisecond})
	a := Source{"10.0.0.1", "10.0.0.1"}
	quiet, talker := &conn{}, &conn{}
	tq, _ := g.Admit(a, quiet)
	tq.Reading()
	tk, _ := g.Admit(a, talker)
	tk.Reading()
	tk.Talking()
	deadline := time.After(5 * time.Second)
	for !quiet.closed.Load() {
		select {
		case <-deadline:
			t.Fatal("a silent connection still open")
		case <-time.After(5 * time.Millisecond):
		}
	}
	if talker.closed.Load() || g.Held() != 1 {
		t.Errorf("talking closed %v, %d held; want open, 1", talker.closed.Load(), g.Held())
	}
}

// A connection read and silent counts against its source only past
// SilentGrace: a post read before its client hello came (a loaded
// station, a slow line) is not taken for one of a flood from its
// address; past it, a newcomer closes the oldest.
func TestGateSilentGrace(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	g := NewWith(8, 2, Options{Now: clk.now, SilentWait: time.Hour})
	a := Source{"10.0.0.1", "10.0.0.1"}
	var cs []*conn
	admitRead := func() {
		c := &conn{}
		tk, _ := g.Admit(a, c)
		tk.Reading()
		cs = append(cs, c)
	}
	for range 3 {
		admitRead()
	}
	if k := g.CountedBy(a); k != 0 || g.Evicted() != 0 {
		t.Fatalf("within the grace: %d counted, %d closed; want none", k, g.Evicted())
	}
	clk.t = clk.t.Add(DefaultSilentGrace)
	admitRead()
	closed := closedOf(cs)
	if !slices.Equal(closed, []int{0, 1}) || g.CountedBy(a) != 1 {
		t.Errorf("past the grace: closed %v, %d counted; want [0 1], 1", closed, g.CountedBy(a))
	}
}
