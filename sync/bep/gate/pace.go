package gate

import (
	"context"
	"net"
	"sync"
)

// Pacer keeps an accept loop no faster than the connections it accepted
// are read: at most n accepted and not read yet (nor closed). A flood
// accepted faster than their goroutines ran left connections in the gate
// that nobody had read — a post's client hello among them, waiting — and
// the gate could only take them all for silent alike; paced, the
// connections waiting are in the listener's backlog, and those in the
// gate have been read.
type Pacer struct{ seats chan struct{} }

// NewPacer is a pacer of n seats (at least 1).
func NewPacer(n int) *Pacer { return &Pacer{seats: make(chan struct{}, max(n, 1))} }

// Wait takes a seat for the next connection; false once ctx ended.
func (p *Pacer) Wait(ctx context.Context) bool {
	select {
	case p.seats <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

// Free gives a seat back that no connection took (an accept failed).
func (p *Pacer) Free() { <-p.seats }

// Conn is c, giving its seat back at its first read or its close.
func (p *Pacer) Conn(c net.Conn) net.Conn { return &paced{Conn: c, p: p} }

type paced struct {
	net.Conn
	p    *Pacer
	once sync.Once
}

func (c *paced) free() { c.once.Do(c.p.Free) }

func (c *paced) Read(b []byte) (int, error) {
	c.free()
	return c.Conn.Read(b)
}

func (c *paced) Close() error {
	c.free()
	return c.Conn.Close()
}
