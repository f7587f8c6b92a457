// Package why says why a session with a peer failed: the one mapping of
// a session's error to the key of its words ("sync.why.…", app/lang's
// sentences for 立即同步 and `sync --once`; app/synconce.Cause), and the
// errors of sync/bep it finds (sync/bep names them too). A peer's last
// error is kept with its key (Stored), so the status, which has only the
// text and sits below sync's root, says it in words (sync/status's
// ProblemWords), not in Go's English (dial tcp …, hello: EOF).
package why

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"syscall"

	"cunjing/sync/bep/framing"
	"cunjing/sync/bep/linkturn"
	"cunjing/sync/bep/relayask"
	"cunjing/sync/bep/servers"
	"cunjing/sync/errno"
	"cunjing/sync/status"
)

// Why a session did not start or ended (sync/bep names them).
var (
	ErrWrongDevice = errors.New("another device answered at the address")
	ErrNoAddress   = errors.New("no address known (pair again with --address HOST:PORT, sync on the station's LAN, or set a discovery server or relay with cunjing config)")
	// ErrForgotten ends a session whose peer does not know this device:
	// it refused it in words at its hello (sync/bep/hello.NotPairedReason)
	// — a station restored from a backup made before it paired this post.
	ErrForgotten = errors.New("the peer does not know this device (not paired there; restored from a backup made before the pairing?)")
)

// PairRefusedError is the other device refusing the short pairing typed
// here, with its reason.
type PairRefusedError struct{ Peer, Reason string }

func (e *PairRefusedError) Error() string { return e.Peer + " 拒绝配对：" + e.Reason }

// Other is the key of the words for a failure Key does not know: they
// say only that it failed, and the raw error goes beside them.
const Other = status.CauseOther

// Forgotten is ErrForgotten's key.
const Forgotten = status.CauseForgotten

// causes are the failures a session is known to end with, most telling
// first (an error joins what every way to the peer gave: the first cause
// found anywhere in it wins), each with the key of its words in app/lang
// (what happened and what to do next, for a village officer; the
// status's short clause of each is sync/status's ProblemWords).
var causes = []struct {
	key string
	is  func(error) bool
}{
	{Forgotten, is(ErrForgotten)},
	{"sync.why.wrongDevice", is(ErrWrongDevice)},
	{"sync.why.pairRefused", func(err error) bool { var e *PairRefusedError; return errors.As(err, &e) }},
	{"sync.why.busy", is(linkturn.ErrBusy)},
	{"sync.why.relayNotPinned", is(relayask.ErrRelayNotPinned)},
	{"sync.why.notAtRelay", is(relayask.ErrNotAtRelay)},
	{"sync.why.relayDown", is(relayask.ErrRelayDown)},
	{"sync.why.badServer", func(err error) bool {
		return errors.Is(err, servers.ErrAnswerTooLarge) || errors.Is(err, servers.ErrWrongServer)
	}},
	{"sync.why.silent", is(framing.ErrSilent)},
	{"sync.why.refused", errno.Of(syscall.ECONNREFUSED, errno.WSAECONNREFUSED)},
	{"sync.why.noHost", func(err error) bool { var e *net.DNSError; return errors.As(err, &e) }},
	{"sync.why.noRoute", errno.Of(syscall.EHOSTUNREACH, syscall.ENETUNREACH, errno.WSAEHOSTUNREACH, errno.WSAENETUNREACH)},
	{"sync.why.tls", func(err error) bool {
		var a tls.AlertError
		var r tls.RecordHeaderError
		var v *tls.CertificateVerificationError
		var u x509.UnknownAuthorityError
		var op *net.OpError // an alert the other side sent
		return errors.As(err, &a) || errors.As(err, &r) || errors.As(err, &v) || errors.As(err, &u) || (errors.As(err, &op) && op.Op == "remote error")
	}},
	{"sync.why.timeout", func(err error) bool {
		var ne net.Error
		return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
	}},
	{"sync.why.closed", func(err error) bool {
		return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errno.Is(err, syscall.ECONNRESET, errno.WSAECONNRESET)
	}},
	{"sync.why.noAddress", is(ErrNoAddress)},
}

func is(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

// Key says why a session failed as the key of its words in app/lang's
// translations ("sync.why.…"): Other when it is none of the known ones,
// "" for nil.
func Key(err error) string {
	if err == nil {
		return ""
	}
	for _, c := range causes {
		if c.is(err) {
			return c.key
		}
	}
	return Other
}

// Stored is err as a peer's last error is kept (syncbook's last_error):
// its key in brackets, then its text (status.StoredError); "" for nil.
func Stored(err error) string {
	return status.StoredError(Key(err), err)
}
