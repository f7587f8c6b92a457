// Package gate bounds the connections a listener holds before they have
// said who they are: a TCP connection accepted and not yet through its TLS
// handshake names no device, so neither the paired list nor the bound on
// strangers (sync/bep's maxStrangers) holds it. Each took a goroutine and
// a file descriptor for up to 20 s, without limit: 300 silent connections
// held 300 of each. A Gate holds at most so many (Admit); when all are
// taken, the one held longest is closed for the newcomer, so a flood of
// silent or slow connections keeps at most Max at once and a paired post
// dialling meanwhile still gets a slot (its handshake is some
// milliseconds, a flooder's never ends). Imports none of ours.
package gate

import (
	"container/list"
	"net"
	"sync"
	"sync/atomic"
)

// Gate is the connections in their handshake, at most Max.
type Gate struct {
	max     int
	mu      sync.Mutex
	held    *list.List // of *Ticket, the longest held first
	evicted atomic.Int64
}

// New is a gate of at most n connections (at least 1).
func New(n int) *Gate {
	return &Gate{max: max(n, 1), held: list.New()}
}

// Ticket is a connection's slot, from Admit to Done.
type Ticket struct {
	g    *Gate
	c    net.Conn
	elem *list.Element // nil once let go (Done or evicted)
}

// Admit takes a slot for c. When all are taken, the connection held
// longest is closed (its handshake fails: its own Done frees nothing more)
// and evicted reports it.
func (g *Gate) Admit(c net.Conn) (t *Ticket, evicted bool) {
	t = &Ticket{g: g, c: c}
	g.mu.Lock()
	var out net.Conn
	if g.held.Len() >= g.max {
		front := g.held.Front()
		old := front.Value.(*Ticket)
		g.held.Remove(front)
		old.elem = nil
		out = old.c
	}
	t.elem = g.held.PushBack(t)
	g.mu.Unlock()
	if out != nil {
		g.evicted.Add(1)
		out.Close()
		return t, true
	}
	return t, false
}

// Done lets the slot go: the handshake ended, either way. It may be called
// more than once.
func (t *Ticket) Done() {
	t.g.mu.Lock()
	if t.elem != nil {
		t.g.held.Remove(t.elem)
		t.elem = nil
	}
	t.g.mu.Unlock()
}

// Held is how many connections hold a slot now.
func (g *Gate) Held() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held.Len()
}

// Evicted is how many connections were closed for a newcomer so far.
func (g *Gate) Evicted() int64 { return g.evicted.Load() }
