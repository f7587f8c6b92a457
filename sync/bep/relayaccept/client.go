package relayaccept

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/syncthing/syncthing/lib/osutil"
	"github.com/syncthing/syncthing/lib/protocol"
	relayproto "github.com/syncthing/syncthing/lib/relay/protocol"
)

// MessageTimeout is how long a joined relay connection may stay silent
// before it is taken for lost (a stock relay pings every minute; the same
// as lib/relay/client's).
const MessageTimeout = 2 * time.Minute

// ErrRelayFull is a relay saying it takes no more devices.
var ErrRelayFull = errors.New("relay full")

// RefusedError is a relay answering a join with an error code.
type RefusedError struct {
	Code    int32
	Message string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("relay refused the join: code %d: %s", e.Code, e.Message)
}

// serve is lib/relay/client's static client, with what it did not say:
// it calls joined once the relay has answered the join (lib/relay/client
// gives no sign of it, so this node announced the relay to discovery
// servers before it was there, and while it could not get there at all),
// and returns when the connection ends, the relay is silent for
// MessageTimeout, or ctx ends. Invitations go to a.Offered, one by one.
func (a *Acceptor) serve(ctx context.Context, u *url.URL, certs []tls.Certificate, joined func()) error {
	if u.Scheme != "relay" {
		return fmt.Errorf("unsupported relay scheme %q", u.Scheme)
	}
	dctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	raw, err := a.dial(dctx, u.Host)
	if err != nil {
		return err
	}
	host, _, _ := net.SplitHostPort(u.Host)
	conn := tls.Client(raw, &tls.Config{
		Certificates:       certs,
		NextProtos:         []string{relayproto.ProtocolName},
		InsecureSkipVerify: true, // the relay's ID, when the URL gives it, is checked below
		MinVersion:         tls.VersionTLS12,
		ServerName:         host,
	})
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	_ = conn.SetDeadline(time.Now().Add(Timeout))
	if err := conn.HandshakeContext(dctx); err != nil {
		return err
	}
	cs := conn.ConnectionState()
	if cs.NegotiatedProtocol != relayproto.ProtocolName {
		return errors.New("protocol negotiation error")
	}
	if want := u.Query().Get("id"); want != "" {
		id, err := protocol.DeviceIDFromString(want)
		if err != nil {
			return fmt.Errorf("relay address contains invalid verification id: %w", err)
		}
		if len(cs.PeerCertificates) != 1 {
			return fmt.Errorf("unexpected certificate count: %d", len(cs.PeerCertificates))
		}
		if got := protocol.NewDeviceID(cs.PeerCertificates[0].Raw); got != id {
			return &IdentityError{Want: id, Got: got}
		}
	}
	if err := relayproto.WriteMessage(conn, relayproto.JoinRelayRequest{Token: u.Query().Get("token")}); err != nil {
		return err
	}
	m, err := relayproto.ReadMessage(conn)
	if err != nil {
		return err
	}
	switch m := m.(type) {
	case relayproto.Response:
		if m.Code != 0 {
			return &RefusedError{m.Code, m.Message}
		}
	case relayproto.RelayFull:
		return ErrRelayFull
	default:
		return fmt.Errorf("protocol error: expecting response got %T", m)
	}
	joined()
	for {
		_ = conn.SetDeadline(time.Now().Add(MessageTimeout))
		m, err := relayproto.ReadMessage(conn)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		switch m := m.(type) {
		case relayproto.Ping:
			if err := relayproto.WriteMessage(conn, relayproto.Pong{}); err != nil {
				return err
			}
		case relayproto.SessionInvitation:
			if ip := net.IP(m.Address); len(ip) == 0 || ip.IsUnspecified() {
				// The relay's own address (through a proxy, lib/dialer
				// gives the one dialled, not the proxy's).
				if ip, err := osutil.IPFromAddr(conn.RemoteAddr()); err == nil && ip != nil {
					m.Address = ip
				}
			}
			a.Offered(ctx, u, m)
		case relayproto.RelayFull:
			return ErrRelayFull
		default:
			return fmt.Errorf("protocol error: unexpected message %T", m)
		}
	}
}

// IdentityError is a relay whose certificate is not the one its URL names.
type IdentityError struct{ Want, Got protocol.DeviceID }

func (e *IdentityError) Error() string {
	return fmt.Sprintf("relay id does not match: want %s, got %s", e.Want.Short(), e.Got.Short())
}
