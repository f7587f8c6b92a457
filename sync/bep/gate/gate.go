// Package gate bounds the connections a listener holds before they have
// said who they are: a TCP connection accepted, or a session a relay
// offered, and not yet through its TLS handshake names no device, so
// neither the paired list nor the bound on strangers (sync/bep's
// maxStrangers) holds it. Each took a goroutine and a file descriptor for
// up to 20 s, without limit: 300 silent connections held 300 of each.
//
// A Gate holds at most Max at once (Admit), and at most PerSource from one
// source (Source: an IP address, or a relay and the device that asked
// there): a newcomer from a source at its bound takes the place of that
// source's oldest, so one flooding address cannot hold more. When all are
// taken, a slot of the source group holding the most goes (its source
// holding the most, its oldest), and among equals the one held longest,
// so a lone newcomer never loses its place to a flood however fast the
// flood comes: a paired post dialling meanwhile still gets through (its
// handshake is some milliseconds, a flooder's never ends). Imports none
// of ours.
package gate

import (
	"container/list"
	"io"
	"net"
	"sync"
	"sync/atomic"
)

// Source is where a connection comes from, as far as a flooder cannot
// choose it: Name is bounded to PerSource slots, and Group is what the
// gate takes a slot from first when it is full (the group holding the
// most).
type Source struct{ Group, Name string }

// Direct is the source of a TCP connection from addr: its IPv4 address,
// or the /64 of its IPv6 address (what one line is given: an attacker
// holds every address in it).
func Direct(addr net.Addr) Source {
	var ip net.IP
	switch a := addr.(type) {
	case *net.TCPAddr:
		ip = a.IP
	default:
		if addr == nil {
			return Source{}
		}
		host, _, err := net.SplitHostPort(addr.String())
		if err != nil {
			host = addr.String()
		}
		ip = net.ParseIP(host)
		if ip == nil {
			return Source{Group: host, Name: host}
		}
	}
	if v4 := ip.To4(); v4 != nil {
		s := v4.String()
		return Source{Group: s, Name: s}
	}
	s := (&net.IPNet{IP: ip.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
	return Source{Group: s, Name: s}
}

// Relayed is the source of a session relay offered at the asking of
// device (a stock relay knows the asking device by its certificate; a
// hostile relay may name any device, but its flood stays in its group).
func Relayed(relay, device string) Source {
	return Source{Group: "relay " + relay, Name: "relay " + relay + " " + device}
}

// Gate is the connections in their handshake, at most Max, at most
// PerSource of one source.
type Gate struct {
	max, per int
	mu       sync.Mutex
	held     *list.List // of *Ticket, the longest held first
	names    map[string]int
	groups   map[string]int
	evicted  atomic.Int64
}

// New is a gate of at most n connections (at least 1), at most per of one
// source (at least 1, at most n).
func New(n, per int) *Gate {
	n = max(n, 1)
	return &Gate{max: n, per: min(max(per, 1), n), held: list.New(), names: map[string]int{}, groups: map[string]int{}}
}

// Ticket is a connection's slot, from Admit to Done.
type Ticket struct {
	g    *Gate
	c    io.Closer
	src  Source
	elem *list.Element // nil once let go (Done or evicted)
}

// Admit takes a slot for c, from src. When src holds PerSource slots, its
// oldest is closed; else, when all are taken, the oldest of the source
// holding the most in the group holding the most (the longest held among
// equals). The one closed fails its handshake (its own Done frees nothing
// more); evicted reports it.
func (g *Gate) Admit(src Source, c io.Closer) (t *Ticket, evicted bool) {
	t = &Ticket{g: g, c: c, src: src}
	g.mu.Lock()
	var out *Ticket
	if g.names[src.Name] >= g.per {
		out = g.oldest(func(o *Ticket) bool { return o.src.Name == src.Name })
	} else if g.held.Len() >= g.max {
		out = g.fullest()
	}
	if out != nil {
		g.remove(out)
	}
	t.elem = g.held.PushBack(t)
	g.names[src.Name]++
	g.groups[src.Group]++
	g.mu.Unlock()
	if out != nil {
		g.evicted.Add(1)
		out.c.Close()
		return t, true
	}
	return t, false
}

// oldest is the ticket held longest that match takes.
func (g *Gate) oldest(match func(*Ticket) bool) *Ticket {
	for e := g.held.Front(); e != nil; e = e.Next() {
		if o := e.Value.(*Ticket); match(o) {
			return o
		}
	}
	return nil
}

// fullest is the oldest ticket of the source holding the most in the
// group holding the most: of equals (by group, then source), the one held
// longest. The caller holds g.mu.
func (g *Gate) fullest() *Ticket {
	var best *Ticket
	var bg, bn int
	for e := g.held.Front(); e != nil; e = e.Next() { // longest held first
		o := e.Value.(*Ticket)
		og, on := g.groups[o.src.Group], g.names[o.src.Name]
		if best == nil || og > bg || (og == bg && on > bn) {
			best, bg, bn = o, og, on
		}
	}
	return best
}

// remove lets t's slot go; the caller holds g.mu.
func (g *Gate) remove(t *Ticket) {
	if t.elem == nil {
		return
	}
	g.held.Remove(t.elem)
	t.elem = nil
	if g.names[t.src.Name]--; g.names[t.src.Name] <= 0 {
		delete(g.names, t.src.Name)
	}
	if g.groups[t.src.Group]--; g.groups[t.src.Group] <= 0 {
		delete(g.groups, t.src.Group)
	}
}

// Done lets the slot go: the handshake ended, either way. It may be called
// more than once.
func (t *Ticket) Done() {
	t.g.mu.Lock()
	t.g.remove(t)
	t.g.mu.Unlock()
}

// Held is how many connections hold a slot now.
func (g *Gate) Held() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held.Len()
}

// HeldBy is how many connections of src hold a slot now.
func (g *Gate) HeldBy(src Source) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.names[src.Name]
}

// Evicted is how many connections were closed for a newcomer so far.
func (g *Gate) Evicted() int64 { return g.evicted.Load() }
