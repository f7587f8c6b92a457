package synconce

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"syscall"

	"cunjing/sync/bep"
	"cunjing/sync/bep/framing"
	"cunjing/sync/bep/linkturn"
	"cunjing/sync/bep/servers"
)

// CauseOther is the key of the words for a failure Cause does not know:
// they say only that it failed, and the raw error goes beside them.
const CauseOther = "sync.why.other"

// causes are the failures a session is known to end with, most telling
// first (an error joins what every way to the peer gave: the first
// cause found anywhere in it wins), each with the key of its words in
// app/lang: what happened and what to do next, for a village officer.
var causes = []struct {
	key string
	is  func(error) bool
}{
	{"sync.why.forgotten", is(bep.ErrForgotten)},
	{"sync.why.wrongDevice", is(bep.ErrWrongDevice)},
	{"sync.why.pairRefused", func(err error) bool { var e *bep.PairRefusedError; return errors.As(err, &e) }},
	{"sync.why.busy", is(linkturn.ErrBusy)},
	{"sync.why.relayNotPinned", is(bep.ErrRelayNotPinned)},
	{"sync.why.notAtRelay", is(bep.ErrNotAtRelay)},
	{"sync.why.relayDown", is(bep.ErrRelayDown)},
	{"sync.why.badServer", func(err error) bool {
		return errors.Is(err, servers.ErrAnswerTooLarge) || errors.Is(err, servers.ErrWrongServer)
	}},
	{"sync.why.silent", is(framing.ErrSilent)},
	{"sync.why.refused", errno(syscall.ECONNREFUSED, 10061)}, // 10061: WSAECONNREFUSED (Windows)
	{"sync.why.noHost", func(err error) bool { var e *net.DNSError; return errors.As(err, &e) }},
	{"sync.why.noRoute", errno(syscall.EHOSTUNREACH, syscall.ENETUNREACH, 10065, 10051)},
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
		return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errno(syscall.ECONNRESET, 10054)(err)
	}},
	{"sync.why.noAddress", is(bep.ErrNoAddress)},
}

func is(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

// errno matches a system error by number (Windows' WSA numbers are not
// syscall's constants there, so they are listed as numbers).
func errno(codes ...syscall.Errno) func(error) bool {
	return func(err error) bool {
		var e syscall.Errno
		if !errors.As(err, &e) {
			return false
		}
		for _, c := range codes {
			if e == c {
				return true
			}
		}
		return false
	}
}

// Cause says why a session failed (Session.Err, or Result.Err of one that
// ended unfinished) as the key of its words in app/lang's translations
// ("sync.why.…"): CauseOther when it is none of the known ones, "" for
// nil. 立即同步 shows them; `sync --once --json` keeps the raw text in
// its "error" key.
func Cause(err error) string {
	if err == nil {
		return ""
	}
	for _, c := range causes {
		if c.is(err) {
			return c.key
		}
	}
	return CauseOther
}
