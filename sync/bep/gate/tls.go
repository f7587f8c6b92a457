package gate

import (
	"crypto/tls"
	"net"
	"sync/atomic"
)

// Watch is c, marking t read at its first read and talking at the first
// bytes read from it (a TLS server reads the client hello first, a
// client the server's answer).
// For a nil t, c.
func (t *Ticket) Watch(c net.Conn) net.Conn {
	if t == nil {
		return c
	}
	return &watched{Conn: c, t: t}
}

type watched struct {
	net.Conn
	t           *Ticket
	read, heard atomic.Bool
}

func (w *watched) Read(p []byte) (int, error) {
	if !w.read.Load() {
		w.read.Store(true)
		w.t.Reading()
	}
	n, err := w.Conn.Read(p)
	if n > 0 && !w.heard.Load() {
		w.heard.Store(true)
		w.t.Talking()
	}
	return n, err
}

// Namer says which device paired here a connection's handshake shows.
type Namer struct {
	// Paired is the device the certificate cert (DER) names, when that
	// device is paired here and not revoked; "" otherwise.
	Paired func(cert []byte) string
	// Unwrap, when not nil, is the session a ticket stands for and the
	// certificate its peer showed then (sync/bep/tickets' Store.Unwrap).
	Unwrap func(h []byte) (*tls.SessionState, []byte, error)
}

// Config is cfg for t's connection (a clone; cfg for a nil t): its
// handshake names t paired (Paired) as soon as it shows a device paired
// here — at the client hello, by the ticket of a session it resumes (a
// random handle, used once, that only the device it was given to holds,
// and only with the session's secret does the handshake go on), or by the
// peer's certificate, whose signature the handshake checks next.
func (t *Ticket) Config(cfg *tls.Config, nm Namer) *tls.Config {
	if t == nil {
		return cfg
	}
	c := cfg.Clone()
	name := func(cert []byte) {
		if cert == nil {
			return
		}
		if dev := nm.Paired(cert); dev != "" {
			t.Paired(dev)
		}
	}
	if nm.Unwrap != nil {
		c.UnwrapSession = func(h []byte, _ tls.ConnectionState) (*tls.SessionState, error) {
			st, cert, err := nm.Unwrap(h)
			if st != nil {
				name(cert)
			}
			return st, err
		}
	}
	c.VerifyConnection = func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) > 0 {
			name(cs.PeerCertificates[0].Raw)
		}
		return nil
	}
	return c
}
