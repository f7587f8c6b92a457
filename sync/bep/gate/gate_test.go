package gate

import (
	"net"
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
	g := New(2)
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
		{"two admitted", func() { ts[0], _ = g.Admit(cs[0]); ts[1], _ = g.Admit(cs[1]) }, 2, []bool{false, false, false, false}, 0},
		{"a third evicts the first", func() { ts[2], _ = g.Admit(cs[2]) }, 2, []bool{true, false, false, false}, 1},
		{"the evicted one's Done frees nothing", func() { ts[0].Done() }, 2, []bool{true, false, false, false}, 1},
		{"the second done", func() { ts[1].Done(); ts[1].Done() }, 1, []bool{true, false, false, false}, 1},
		{"a fourth fits", func() { ts[3], _ = g.Admit(cs[3]) }, 2, []bool{true, false, false, false}, 1},
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
