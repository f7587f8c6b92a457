package framing

import (
	"errors"
	"fmt"
	"net"
	gosync "sync"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"
)

// SilenceLimit is how long a BEP link may bring nothing before it is
// taken for dead. lib/protocol (here and in every stock Syncthing) sends
// a Ping whenever it has sent nothing for 45 s, checking every 45 s, so a
// live peer is heard at least every 90 s (protocol.PingSendInterval);
// lib/protocol's own receive timeout is 5 minutes. A link that died
// without a word (a relay's PC losing power, a village line dropping) was
// noticed only then; now within SilenceLimit, 30 s above the pings.
const SilenceLimit = protocol.PingSendInterval + 30*time.Second

// ErrSilent is a link that brought nothing for its silence limit.
var ErrSilent = errors.New("the link brought nothing: taken for dead")

// Silence returns c with every read given up after limit without a byte
// (wrapped in ErrSilent), or at the deadline set on it if sooner.
func Silence(c net.Conn, limit time.Duration) net.Conn {
	return &silentConn{Conn: c, limit: limit}
}

type silentConn struct {
	net.Conn
	limit time.Duration
	mu    gosync.Mutex
	set   time.Time // the read deadline set by the caller (zero: none)
}

func (c *silentConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	limit := time.Now().Add(c.limit)
	byLimit := c.set.IsZero() || limit.Before(c.set)
	dl := c.set
	if byLimit {
		dl = limit
	}
	c.mu.Unlock()
	if err := c.Conn.SetReadDeadline(dl); err != nil {
		return 0, err
	}
	n, err := c.Conn.Read(p)
	var ne net.Error
	if err != nil && byLimit && errors.As(err, &ne) && ne.Timeout() {
		return n, fmt.Errorf("%w (%s): %w", ErrSilent, c.limit, err)
	}
	return n, err
}

func (c *silentConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.set = t
	c.mu.Unlock()
	return c.Conn.SetDeadline(t)
}

func (c *silentConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.set = t
	c.mu.Unlock()
	return c.Conn.SetReadDeadline(t)
}
